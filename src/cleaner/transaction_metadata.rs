//! What the cleaner tracks of transactions while it reads a log in order.
//!
//! Models Kafka's `CleanedTransactionMetadata` and
//! `AbortedTransactionMetadata` (`LogCleaner.scala`): the aborted
//! transactions of the segments read (from their `.txnindex`), a min-heap by
//! first offset; from a transaction's first offset on, its producer's
//! transactional batches are aborted data (discarded), and its ABORT marker
//! may go once no batch of it was seen this round. A COMMIT marker may go
//! once no batch of its transaction was seen this round. "May go" means the
//! marker enters the tombstone-like two phases (stamped with a delete
//! horizon, removed after it): see `Cleaner::clean_batch`.
//!
//! One instance spans a whole round (every group), as in Kafka; the ABORT
//! entries of transactions whose batches are still in the log are written
//! back to the index of the segment the marker is copied into.

use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use crate::batch::RecordBatch;
use crate::log::producer_state::{control_type, ControlType};
use crate::log::transaction_index::AbortedTxn;

/// The cleaner's view of the transactions of the batches it reads.
#[derive(Debug, Default)]
pub struct CleanedTransactionMetadata {
    /// Producers with a committed (or not yet known to be aborted)
    /// transaction whose batches were read this round.
    ongoing_committed: BTreeSet<i64>,
    /// Producers inside an aborted transaction: the entry and the last
    /// offset of the last of its batches read, if any.
    ongoing_aborted: BTreeMap<i64, (AbortedTxn, Option<i64>)>,
    /// Aborted transactions not reached yet, smallest first offset first.
    aborted: BinaryHeap<std::cmp::Reverse<(i64, i64, i64, i64)>>,
}

impl CleanedTransactionMetadata {
    /// `addAbortedTransactions`.
    pub fn add_aborted_transactions(&mut self, txns: impl IntoIterator<Item = AbortedTxn>) {
        for t in txns {
            self.aborted.push(std::cmp::Reverse((
                t.first_offset,
                t.producer_id,
                t.last_offset,
                t.last_stable_offset,
            )));
        }
    }

    /// `consumeAbortedTxnsUpTo`. Inline for the common case (no aborted
    /// transaction starts by `offset`: one comparison per batch).
    #[inline]
    fn consume_aborted_txns_up_to(&mut self, offset: i64) {
        if self.aborted.peek().is_some_and(|t| t.0 .0 <= offset) {
            self.consume_aborted_txns_up_to_slow(offset);
        }
    }

    #[cold]
    #[inline(never)]
    fn consume_aborted_txns_up_to_slow(&mut self, offset: i64) {
        while let Some(std::cmp::Reverse((first, pid, last, lso))) = self.aborted.peek().copied() {
            if first > offset {
                break;
            }
            self.aborted.pop();
            self.ongoing_aborted.entry(pid).or_insert((
                AbortedTxn {
                    producer_id: pid,
                    first_offset: first,
                    last_offset: last,
                    last_stable_offset: lso,
                },
                None,
            ));
        }
    }

    /// `onControlBatchRead`: whether the marker may be discarded, and the
    /// aborted transaction to write back to the cleaned segment's index
    /// when it stays because batches of it were read.
    pub fn on_control_batch_read(&mut self, batch: &RecordBatch) -> (bool, Option<AbortedTxn>) {
        self.consume_aborted_txns_up_to(batch.last_offset());
        let Some(record) = batch.records().next() else {
            // An empty control batch was already cleaned: safe to discard.
            return (true, None);
        };
        let pid = batch.producer_id();
        match control_type(record.key) {
            Some(ControlType::Abort) => match self.ongoing_aborted.remove(&pid) {
                // Retain the marker until all batches of the transaction are gone.
                Some((txn, Some(_))) => (false, Some(txn)),
                _ => (true, None),
            },
            Some(ControlType::Commit) => (!self.ongoing_committed.remove(&pid), None),
            None => (false, None),
        }
    }

    /// `onBatchRead`: whether a data batch belongs to an aborted transaction.
    #[inline]
    pub fn on_batch_read(&mut self, batch: &RecordBatch) -> bool {
        self.consume_aborted_txns_up_to(batch.last_offset());
        if !batch.is_transactional() {
            return false;
        }
        match self.ongoing_aborted.get_mut(&batch.producer_id()) {
            Some((_, last)) => {
                *last = Some(batch.last_offset());
                true
            }
            None => {
                self.ongoing_committed.insert(batch.producer_id());
                false
            }
        }
    }
}
