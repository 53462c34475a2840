//! The journal on disk: entry records packed in blocks.
//!
//! A flushed group writes its entries as blocks of at most
//! [`MAX_ENTRIES_PER_BLOCK`] consecutive records under `E` + the seq of the
//! block's first entry; each record is preceded by its length (u32 BE). One
//! key per block instead of one per entry is what lets group commit pay
//! sled's per-key cost once per block. Every access to entry records goes
//! through this module.
use super::error::{LedgerError, Result};
use super::keys;

/// Entries per block: bounds the bytes read to fetch one entry.
pub const MAX_ENTRIES_PER_BLOCK: usize = 128;

/// Blocks being filled by one group.
#[derive(Default)]
pub struct Blocks {
    /// (first seq, entries in block, bytes)
    blocks: Vec<(u64, usize, Vec<u8>)>,
}

impl Blocks {
    /// Appends the record of entry `seq`; seqs must arrive consecutively.
    pub fn push(&mut self, seq: u64, record: &[u8]) {
        let fresh = match self.blocks.last() {
            Some((first, n, _)) => {
                assert_eq!(
                    first + *n as u64,
                    seq,
                    "journal blocks hold consecutive entries"
                );
                *n == MAX_ENTRIES_PER_BLOCK
            }
            None => true,
        };
        if fresh {
            self.blocks
                .push((seq, 0, Vec::with_capacity(record.len() * 16)));
        }
        let (_, n, bytes) = self.blocks.last_mut().expect("a block exists");
        let len = u32::try_from(record.len()).expect("an entry record is far below 4 GiB");
        bytes.extend_from_slice(&len.to_be_bytes());
        bytes.extend_from_slice(record);
        *n += 1;
    }

    pub fn write_into(self, batch: &mut sled::Batch) {
        for (first, _, bytes) in self.blocks {
            batch.insert(&keys::entry(first), bytes);
        }
    }
}

fn damaged(first: u64) -> LedgerError {
    LedgerError::Internal(format!(
        "the journal block starting at entry {first} is damaged; run `huzhu verify`"
    ))
}

/// The records of one block, in order.
pub fn records(first: u64, value: &[u8]) -> impl Iterator<Item = Result<&[u8]>> {
    let mut rest = value;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let Some((len, tail)) = rest.split_first_chunk::<4>() else {
            rest = &[];
            return Some(Err(damaged(first)));
        };
        let len = u32::from_be_bytes(*len) as usize;
        if tail.len() < len {
            rest = &[];
            return Some(Err(damaged(first)));
        }
        let (record, tail) = tail.split_at(len);
        rest = tail;
        Some(Ok(record))
    })
}

/// The stored bytes of entry `seq`, if the journal holds it.
pub fn get(db: &sled::Db, seq: u64) -> Result<Option<Vec<u8>>> {
    let Some(found) = db.range(keys::entry(0)..=keys::entry(seq)).next_back() else {
        return Ok(None);
    };
    let (k, v) = found?;
    let first = keys::decode_seq(&k);
    let index = usize::try_from(seq - first).map_err(|_| damaged(first))?;
    let found = records(first, &v)
        .nth(index)
        .transpose()?
        .map(<[u8]>::to_vec);
    Ok(found)
}

/// Entries `from..=to` in order as (seq by position, record bytes). The seq is
/// the block's first seq plus the record's position; callers check it against
/// the seq written inside the record.
pub fn scan(
    db: &sled::Db,
    from: u64,
    to: u64,
) -> impl Iterator<Item = Result<(u64, Vec<u8>)>> + '_ {
    // Start at the block holding `from`, which may begin before it.
    let start = db
        .range(keys::entry(0)..=keys::entry(from))
        .next_back()
        .and_then(|r| r.ok())
        .map_or(from, |(k, _)| keys::decode_seq(&k));
    db.range(keys::entry(start)..=keys::entry(to))
        .flat_map(
            move |item| -> Box<dyn Iterator<Item = Result<(u64, Vec<u8>)>>> {
                match item {
                    Err(e) => Box::new(std::iter::once(Err(e.into()))),
                    Ok((k, v)) => {
                        let first = keys::decode_seq(&k);
                        let all: Vec<Result<(u64, Vec<u8>)>> = records(first, &v)
                            .enumerate()
                            .map(|(i, r)| r.map(|bytes| (first + i as u64, bytes.to_vec())))
                            .collect();
                        Box::new(all.into_iter())
                    }
                }
            },
        )
        .filter(move |r| {
            r.as_ref()
                .map_or(true, |(seq, _)| (from..=to).contains(seq))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_round_trip_and_find_each_entry() {
        let dir = tempfile::tempdir().unwrap();
        let db = sled::open(dir.path()).unwrap();
        let mut blocks = Blocks::default();
        let n = MAX_ENTRIES_PER_BLOCK as u64 * 2 + 5;
        for seq in 1..=n {
            blocks.push(seq, format!("record {seq}").as_bytes());
        }
        let mut batch = sled::Batch::default();
        blocks.write_into(&mut batch);
        db.apply_batch(batch).unwrap();
        assert_eq!(db.len(), 3, "three blocks");
        for seq in [1, 2, 128, 129, 256, 257, n] {
            assert_eq!(
                get(&db, seq).unwrap().unwrap(),
                format!("record {seq}").as_bytes()
            );
        }
        assert_eq!(get(&db, n + 1).unwrap(), None);
        let seqs: Vec<u64> = scan(&db, 127, 131).map(|r| r.unwrap().0).collect();
        assert_eq!(seqs, vec![127, 128, 129, 130, 131]);
        assert_eq!(scan(&db, 1, n).count() as u64, n);
    }

    #[test]
    fn a_truncated_block_is_reported() {
        let mut value = 10u32.to_be_bytes().to_vec();
        value.extend_from_slice(b"short");
        assert!(records(1, &value).next().unwrap().is_err());
    }
}
