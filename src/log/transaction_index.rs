//! The aborted-transaction index of a segment: what its `.txnindex` holds.
//!
//! Models Kafka's `TransactionIndex` and `AbortedTxn`
//! (storage `internals/log/`): one 34-byte entry per transaction aborted by
//! an ABORT marker in this segment (int16 version 0, int64 producer id,
//! int64 first offset, int64 last offset, int64 last stable offset), in the
//! order the markers were appended. A `read_committed` fetch collects the
//! entries that overlap what it reads to drop aborted records; the cleaner
//! collects them to discard aborted batches and writes back the ones whose
//! data it still keeps.
//!
//! Simplified: the entries live in memory; [`TransactionIndex::to_bytes`]
//! gives the file's bytes.

use serde::Serialize;

/// `AbortedTxn.CURRENT_VERSION`.
pub const ABORTED_TXN_VERSION: i16 = 0;
/// `AbortedTxn.TOTAL_SIZE`: the bytes of one entry.
pub const ABORTED_TXN_SIZE: usize = 34;

/// One aborted transaction (`AbortedTxn`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AbortedTxn {
    pub producer_id: i64,
    /// The offset of the transaction's first batch in this partition.
    pub first_offset: i64,
    /// The offset of its ABORT marker.
    pub last_offset: i64,
    /// The last stable offset once it was aborted: the first offset of the
    /// earliest other open transaction, else the offset after the marker.
    pub last_stable_offset: i64,
}

impl AbortedTxn {
    /// The entry as `.txnindex` stores it (big-endian).
    pub fn to_bytes(&self) -> [u8; ABORTED_TXN_SIZE] {
        let mut b = [0u8; ABORTED_TXN_SIZE];
        b[0..2].copy_from_slice(&ABORTED_TXN_VERSION.to_be_bytes());
        b[2..10].copy_from_slice(&self.producer_id.to_be_bytes());
        b[10..18].copy_from_slice(&self.first_offset.to_be_bytes());
        b[18..26].copy_from_slice(&self.last_offset.to_be_bytes());
        b[26..34].copy_from_slice(&self.last_stable_offset.to_be_bytes());
        b
    }
}

/// A segment's `.txnindex`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransactionIndex {
    entries: Vec<AbortedTxn>,
}

/// `TxnIndexSearchResult`: the entries found, and whether the search may
/// stop at this segment (an entry's last stable offset reached the bound).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxnIndexSearchResult {
    pub aborted_transactions: Vec<AbortedTxn>,
    pub is_complete: bool,
}

impl TransactionIndex {
    pub fn entries(&self) -> &[AbortedTxn] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// `TransactionIndex.append`.
    pub fn append(&mut self, txn: AbortedTxn) {
        self.entries.push(txn);
    }

    /// `collectAbortedTxns(fetchOffset, upperBoundOffset)`: the entries that
    /// overlap `[fetch_offset, upper_bound_offset)`; complete once an entry's
    /// last stable offset is at or past the bound (no later segment can hold
    /// a transaction that started before it).
    pub fn collect_aborted_txns(&self, fetch_offset: i64, upper_bound_offset: i64) -> TxnIndexSearchResult {
        let mut found = Vec::new();
        for txn in &self.entries {
            if txn.last_offset >= fetch_offset && txn.first_offset < upper_bound_offset {
                found.push(*txn);
            }
            if txn.last_stable_offset >= upper_bound_offset {
                return TxnIndexSearchResult {
                    aborted_transactions: found,
                    is_complete: true,
                };
            }
        }
        TxnIndexSearchResult {
            aborted_transactions: found,
            is_complete: false,
        }
    }

    /// The `.txnindex` file: the entries back to back.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.entries.iter().flat_map(AbortedTxn::to_bytes).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_34_bytes_version_first() {
        let t = AbortedTxn {
            producer_id: 7,
            first_offset: 1,
            last_offset: 3,
            last_stable_offset: 4,
        };
        let b = t.to_bytes();
        assert_eq!(b.len(), 34);
        assert_eq!(&b[0..2], &[0, 0]);
        assert_eq!(b[9], 7);
        assert_eq!((b[17], b[25], b[33]), (1, 3, 4));
    }

    #[test]
    fn collect_stops_at_an_entry_whose_lso_reaches_the_bound() {
        let mut idx = TransactionIndex::default();
        let e = |first, last, lso| AbortedTxn {
            producer_id: 1,
            first_offset: first,
            last_offset: last,
            last_stable_offset: lso,
        };
        idx.append(e(0, 2, 3));
        idx.append(e(5, 8, 9));
        idx.append(e(10, 12, 13));
        let r = idx.collect_aborted_txns(3, 6);
        assert_eq!(r.aborted_transactions, vec![e(5, 8, 9)]);
        assert!(r.is_complete);
        let r = idx.collect_aborted_txns(0, 20);
        assert_eq!(r.aborted_transactions.len(), 3);
        assert!(!r.is_complete);
    }
}
