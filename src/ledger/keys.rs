//! The storage layout: one sled tree, records told apart by a one-byte prefix.
//!
//! Everything a write changes goes into one `sled::Batch` on this one tree, which
//! sled applies atomically; one flush then makes the whole group durable.
//!
//! | prefix | key after the prefix               | value                                   |
//! |--------|------------------------------------|-----------------------------------------|
//! | `M`    | name                               | meta: format version, checkpoint seq    |
//! | `B`    | book no (u32 BE)                   | book metadata, JSON                     |
//! | `A`    | account no (u32 BE)                | account metadata, JSON                  |
//! | `C`    | account no                         | balance in fen at the checkpoint (i128) |
//! | `E`    | seq of the block's first entry     | block of canonical entry records (journal.rs) |
//! | `I`    | request id bytes                   | idempotency record                      |
//! | `P`    | account no, day, first seq         | chunk of postings: seq, leg, amount     |
//! | `K`    | book no, day, first seq            | chunk of seqs: the per-book journal     |
//! | `X`    | seq of the original                | seq of its reversal                     |
//! | `R`    | registry key ("member/fund-a/M1")  | version (u64 BE), then the record JSON  |
//!
//! Big-endian integers make sled's byte order the numeric order, so ranges
//! over days and sequence numbers are plain range scans.

pub const META_FORMAT: &[u8] = b"Mformat";
pub const META_CHECKPOINT: &[u8] = b"Mcheckpoint";
pub const FORMAT_VERSION: &[u8] = b"huzhu-ledger-1";

pub const BOOK: u8 = b'B';
pub const ACCOUNT: u8 = b'A';
pub const CHECKPOINT_BALANCE: u8 = b'C';
pub const ENTRY: u8 = b'E';
pub const IDEMPOTENCY: u8 = b'I';
pub const POSTING: u8 = b'P';
pub const BOOK_JOURNAL: u8 = b'K';
pub const REVERSAL: u8 = b'X';
pub const REGISTRY: u8 = b'R';

pub fn book(no: u32) -> [u8; 5] {
    prefixed_u32(BOOK, no)
}

pub fn account(no: u32) -> [u8; 5] {
    prefixed_u32(ACCOUNT, no)
}

pub fn checkpoint_balance(no: u32) -> [u8; 5] {
    prefixed_u32(CHECKPOINT_BALANCE, no)
}

pub fn entry(seq: u64) -> [u8; 9] {
    let mut k = [0u8; 9];
    k[0] = ENTRY;
    k[1..].copy_from_slice(&seq.to_be_bytes());
    k
}

pub fn reversal(seq: u64) -> [u8; 9] {
    let mut k = entry(seq);
    k[0] = REVERSAL;
    k
}

pub fn registry(key: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(1 + key.len());
    k.push(REGISTRY);
    k.extend_from_slice(key.as_bytes());
    k
}

pub fn idempotency(request_id: &str) -> Vec<u8> {
    let mut k = Vec::with_capacity(1 + request_id.len());
    k.push(IDEMPOTENCY);
    k.extend_from_slice(request_id.as_bytes());
    k
}

/// An index chunk: everything one flushed group adds to one account's (`P`)
/// or one book's (`K`) index for one value date, under one key. Group commit
/// thus writes one index key per account touched, not one per posting.
///
/// Key: tag, owner (account or book no), day, seq of the chunk's first item:
/// 17 bytes. Chunks of later groups have larger seqs, so key order is
/// (owner, day, seq) order and the items inside a chunk ascend by seq.
pub fn chunk(tag: u8, owner: u32, day: u32, first_seq: u64) -> [u8; 17] {
    let mut k = [0u8; 17];
    k[0] = tag;
    k[1..5].copy_from_slice(&owner.to_be_bytes());
    k[5..9].copy_from_slice(&day.to_be_bytes());
    k[9..17].copy_from_slice(&first_seq.to_be_bytes());
    k
}

/// The chunk keys of one owner from `day_from` through `day_to` inclusive.
pub fn chunk_range(tag: u8, owner: u32, day_from: u32, day_to: u32) -> ([u8; 17], [u8; 17]) {
    (
        chunk(tag, owner, day_from, 0),
        chunk(tag, owner, day_to, u64::MAX),
    )
}

/// Decodes a chunk key into (owner, day, first seq).
pub fn decode_chunk(key: &[u8]) -> (u32, u32, u64) {
    assert_eq!(key.len(), 17, "chunk keys are 17 bytes");
    (
        u32::from_be_bytes(key[1..5].try_into().expect("4 bytes")),
        u32::from_be_bytes(key[5..9].try_into().expect("4 bytes")),
        u64::from_be_bytes(key[9..17].try_into().expect("8 bytes")),
    )
}

/// A `P` chunk item: seq (u64), leg (u16), signed amount in fen (i64).
pub const POSTING_ITEM_BYTES: usize = 18;
/// A `K` chunk item: seq (u64).
pub const BOOK_ITEM_BYTES: usize = 8;

pub fn posting_item(seq: u64, leg: u16, signed_fen: i64) -> [u8; POSTING_ITEM_BYTES] {
    let mut v = [0u8; POSTING_ITEM_BYTES];
    v[..8].copy_from_slice(&seq.to_be_bytes());
    v[8..10].copy_from_slice(&leg.to_be_bytes());
    v[10..].copy_from_slice(&signed_fen.to_be_bytes());
    v
}

/// Decodes a `P` item into (seq, signed amount in fen).
pub fn decode_posting_item(item: &[u8]) -> (u64, i64) {
    (
        u64::from_be_bytes(item[..8].try_into().expect("8 bytes")),
        i64::from_be_bytes(item[10..18].try_into().expect("8 bytes")),
    )
}

/// The items of a chunk value, or `None` when its length is not a multiple of
/// the item size (a damaged chunk).
pub fn chunk_items(value: &[u8], item_bytes: usize) -> Option<std::slice::ChunksExact<'_, u8>> {
    value
        .len()
        .is_multiple_of(item_bytes)
        .then(|| value.chunks_exact(item_bytes))
}

/// The seq an item starts with.
pub fn item_seq(item: &[u8]) -> u64 {
    u64::from_be_bytes(item[..8].try_into().expect("8 bytes"))
}

pub fn decode_seq(key: &[u8]) -> u64 {
    assert_eq!(key.len(), 9, "entry keys are 9 bytes");
    u64::from_be_bytes(key[1..9].try_into().expect("8 bytes"))
}

fn prefixed_u32(prefix: u8, no: u32) -> [u8; 5] {
    let mut k = [0u8; 5];
    k[0] = prefix;
    k[1..].copy_from_slice(&no.to_be_bytes());
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_order_is_numeric_order() {
        assert!(entry(255) < entry(256));
        assert!(chunk(POSTING, 1, 10, 99) < chunk(POSTING, 1, 11, 1));
        assert!(chunk(POSTING, 1, u32::MAX, u64::MAX) < chunk(POSTING, 2, 0, 0));
        assert_eq!(decode_chunk(&chunk(BOOK_JOURNAL, 7, 8, 9)), (7, 8, 9));
        let item = posting_item(42, 3, -1_234);
        assert_eq!(decode_posting_item(&item), (42, -1_234));
        assert_eq!(item_seq(&item), 42);
        assert!(chunk_items(&[0u8; 17], POSTING_ITEM_BYTES).is_none());
        assert_eq!(decode_seq(&entry(42)), 42);
    }
}
