//! What one cleaning round read, wrote and removed.
//!
//! Models Kafka's `CleanerStats`, whose numbers the cleaner thread logs after
//! every round. Times are not measured (the simulation is instantaneous), so
//! Kafka's MB/s lines are left out of the report; the byte and message counts
//! are Kafka's definitions. Two counts are ours, for teaching: tombstones
//! stamped with a delete horizon and tombstones removed after it.

use serde::Serialize;

/// Counters of one round (Kafka's definitions unless noted).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CleanerStats {
    /// Records iterated while recopying (records of wholly discarded batches
    /// are not counted, as in `MemoryRecords.filterTo`).
    pub messages_read: u64,
    /// Bytes of every recopied segment, clean and dirty.
    pub bytes_read: u64,
    /// Records that survived.
    pub messages_written: u64,
    /// Bytes written, empty batch headers included.
    pub bytes_written: u64,
    /// Records and bytes scanned while building the offset map.
    pub map_messages_read: u64,
    pub map_bytes_read: u64,
    /// Unkeyed records dropped ("Found N invalid messages during compaction").
    pub invalid_messages_read: u64,
    /// Distinct keys in the offset map at the end of the round.
    pub map_keys: u64,
    /// `map_keys / slots`: Kafka's "Buffer utilization".
    pub buffer_utilization: f64,
    /// Output segments written (one per group).
    pub segments_written: u64,
    /// Ours: tombstones that got `delete_horizon_ms` this round.
    pub tombstones_stamped: u64,
    /// Ours: latest-for-their-key tombstones dropped because their horizon had passed.
    pub tombstones_removed: u64,
}

impl CleanerStats {
    /// Kafka's "x% size reduction": bytes written against bytes read.
    pub fn size_reduction_percent(&self) -> f64 {
        reduction_percent(self.bytes_read, self.bytes_written)
    }

    /// Kafka's "(x% fewer messages)".
    pub fn message_reduction_percent(&self) -> f64 {
        reduction_percent(self.messages_read, self.messages_written)
    }
}

/// `100 * (1 - after / before)`, 0 when there was nothing before.
fn reduction_percent(before: u64, after: u64) -> f64 {
    if before == 0 {
        0.0
    } else {
        100.0 * (1.0 - after as f64 / before as f64)
    }
}
