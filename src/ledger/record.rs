//! The canonical encoding of a journal entry and its place in the hash chain.
//!
//! An entry is stored as the exact JSON bytes that are hashed: the record holds
//! its predecessor's hash, so `hash = SHA-256(canonical JSON)` chains every entry
//! to all before it. The encoding names books and accounts by their public ids
//! and amounts in integer fen, so an extract can re-check the chain on its own.
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];

/// The predecessor hash of the first entry.
pub const GENESIS_HASH: Hash = [0u8; 32];

/// Sides are the domain's: an entry record stores them as "D" and "C".
pub use crate::domain::posting::Side;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostingRecord {
    pub book: String,
    pub code: String,
    pub sub: String,
    pub side: Side,
    pub amount_fen: i64,
}

/// One journal entry exactly as stored and hashed. Field order is the encoding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryRecord {
    pub v: u8,
    pub seq: u64,
    pub prev_hash: String,
    pub request_id: String,
    pub value_date: chrono::NaiveDate,
    pub recorded_at_us: i64,
    pub actor: String,
    pub memo: String,
    /// Seq of the entry this one reverses; 0 for an ordinary entry.
    pub reverses: u64,
    pub postings: Vec<PostingRecord>,
}

pub const RECORD_VERSION: u8 = 1;

impl EntryRecord {
    /// The canonical bytes: what is stored and what is hashed.
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("an entry record always serializes")
    }

    pub fn decode(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}

pub fn hash_bytes(bytes: &[u8]) -> Hash {
    Sha256::digest(bytes).into()
}

pub fn hash_hex(hash: &Hash) -> String {
    hex::encode(hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> EntryRecord {
        EntryRecord {
            v: RECORD_VERSION,
            seq: 1,
            prev_hash: hash_hex(&GENESIS_HASH),
            request_id: "r1".into(),
            value_date: chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
            recorded_at_us: 1,
            actor: "clerk".into(),
            memo: "seed".into(),
            reverses: 0,
            postings: vec![PostingRecord {
                book: "f".into(),
                code: "1002".into(),
                sub: String::new(),
                side: Side::Debit,
                amount_fen: 100,
            }],
        }
    }

    #[test]
    fn encoding_round_trips_and_is_stable() {
        let r = sample();
        let bytes = r.encode();
        assert_eq!(EntryRecord::decode(&bytes).unwrap(), r);
        assert_eq!(
            String::from_utf8(bytes.clone()).unwrap(),
            "{\"v\":1,\"seq\":1,\"prev_hash\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"request_id\":\"r1\",\"value_date\":\"2025-03-01\",\"recorded_at_us\":1,\"actor\":\"clerk\",\"memo\":\"seed\",\"reverses\":0,\"postings\":[{\"book\":\"f\",\"code\":\"1002\",\"sub\":\"\",\"side\":\"D\",\"amount_fen\":100}]}"
        );
        // Any change to any field changes the hash.
        let mut altered = r.clone();
        altered.postings[0].amount_fen = 101;
        assert_ne!(hash_bytes(&altered.encode()), hash_bytes(&bytes));
    }
}
