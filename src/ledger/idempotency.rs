//! The idempotency record: what a request id produced, stored under `I` with
//! the fingerprint of the request's payload, in the same batch as what it
//! produced. A retry is answered from it; another payload is refused.
use super::error::{rule, LedgerError, Result};
use super::keys;
use super::record::Hash;

/// What an idempotency record says a request id produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Produced {
    Book(u32),
    Account(u32),
    Entry(u64),
    Closed(u32),
    /// A business operation, with the head seq after it.
    Applied(u64),
}

/// Bytes of an encoded record: the payload hash, a kind tag, a big-endian u64.
const RECORD_BYTES: usize = 41;

impl Produced {
    pub(super) fn encode(self, payload: &Hash) -> Vec<u8> {
        let (kind, value) = match self {
            Self::Book(n) => (1u8, u64::from(n)),
            Self::Account(n) => (2, u64::from(n)),
            Self::Entry(s) => (3, s),
            Self::Closed(n) => (4, u64::from(n)),
            Self::Applied(s) => (5, s),
        };
        let mut v = Vec::with_capacity(RECORD_BYTES);
        v.extend_from_slice(payload);
        v.push(kind);
        v.extend_from_slice(&value.to_be_bytes());
        v
    }

    pub(super) fn decode(bytes: &[u8]) -> Option<(Hash, Self)> {
        if bytes.len() != RECORD_BYTES {
            return None;
        }
        let payload: Hash = bytes[..32].try_into().ok()?;
        let value = u64::from_be_bytes(bytes[33..41].try_into().ok()?);
        let small = u32::try_from(value).ok();
        let produced = match bytes[32] {
            1 => Self::Book(small?),
            2 => Self::Account(small?),
            3 => Self::Entry(value),
            4 => Self::Closed(small?),
            5 => Self::Applied(value),
            _ => return None,
        };
        Some((payload, produced))
    }
}

/// The stored record of a request id, if any.
pub(super) fn lookup(db: &sled::Db, request_id: &str) -> Result<Option<(Hash, Produced)>> {
    db.get(keys::idempotency(request_id))?
        .map(|v| {
            Produced::decode(&v).ok_or_else(|| {
                LedgerError::Internal(format!("idempotency record of {request_id:?} is damaged"))
            })
        })
        .transpose()
}

/// The seq an entry's request id produced, from its idempotency record.
pub fn entry_request(db: &sled::Db, request_id: &str) -> Result<Option<u64>> {
    Ok(db
        .get(keys::idempotency(request_id))?
        .and_then(|v| Produced::decode(&v))
        .and_then(|(_, p)| match p {
            Produced::Entry(seq) => Some(seq),
            _ => None,
        }))
}

/// The refusal of a request id used before with another payload.
pub(super) fn reused(request_id: &str) -> LedgerError {
    LedgerError::AlreadyExists {
        field: "request_id".into(),
        what: format!(
            "request id {request_id:?} was already used for a different request (rule {})",
            rule::REQUEST_ID_REUSED
        ),
    }
}

/// The refusal of a request id used before for another kind of request.
pub(super) fn reused_for_other_kind() -> LedgerError {
    LedgerError::AlreadyExists {
        field: "request_id".into(),
        what: format!(
            "request id was already used for a different kind of request (rule {})",
            rule::REQUEST_ID_REUSED
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_keep_their_layout() {
        let payload = [7u8; 32];
        for p in [
            Produced::Book(3),
            Produced::Account(70_000),
            Produced::Entry(1 << 40),
            Produced::Closed(1),
            Produced::Applied(12),
        ] {
            let bytes = p.encode(&payload);
            assert_eq!(bytes.len(), RECORD_BYTES);
            assert_eq!(Produced::decode(&bytes), Some((payload, p)));
        }
        // The stored layout: payload, tag 3, the seq big-endian.
        let bytes = Produced::Entry(258).encode(&payload);
        assert_eq!(&bytes[32..], &[3, 0, 0, 0, 0, 0, 0, 1, 2]);
        assert_eq!(Produced::decode(&bytes[..40]), None);
    }
}
