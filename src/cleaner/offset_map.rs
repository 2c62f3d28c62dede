//! The cleaner's key -> latest offset map, with Kafka's fixed capacity.
//!
//! Models Kafka's `SkimpyOffsetMap`: `log.cleaner.dedupe.buffer.size` split
//! across `log.cleaner.threads`, 24 bytes per entry (an MD5 of the key and
//! an 8-byte offset), filled at most to `log.cleaner.io.buffer.load.factor`.
//! When it is full the round stops there and the rest waits for the next
//! round: that is what a small buffer does to cleaning. Simplified: keys are
//! compared exactly instead of by MD5 (Kafka would merge two keys whose
//! hashes collide, which practically never happens), and the capacity is
//! counted in keys rather than probed slots.

use rustc_hash::FxHashMap;

/// Key -> offset of its latest record in the mapped range.
#[derive(Debug, Clone)]
pub struct OffsetMap {
    map: FxHashMap<Box<[u8]>, i64>,
    slots: usize,
    latest_offset: i64,
}

impl OffsetMap {
    /// A map with `slots` entries of memory (`memory / 24`).
    pub fn new(slots: usize) -> Self {
        OffsetMap {
            map: FxHashMap::default(),
            slots,
            latest_offset: -1,
        }
    }

    /// Forgets every key; the latest offset goes back to -1.
    pub fn clear(&mut self) {
        self.map.clear();
        self.latest_offset = -1;
    }

    /// Records that `key`'s latest record so far is at `offset`. Kafka's
    /// `put` also moves the map's latest offset to `offset`.
    pub fn put(&mut self, key: &[u8], offset: i64) {
        match self.map.get_mut(key) {
            Some(o) => *o = offset,
            None => {
                self.map.insert(Box::from(key), offset);
            }
        }
        self.latest_offset = offset;
    }

    /// The latest offset of `key`, or -1 when the key is not in the map.
    pub fn get(&self, key: &[u8]) -> i64 {
        self.map.get(key).copied().unwrap_or(-1)
    }

    /// `updateLatestOffset`: the last offset the map covers.
    pub fn update_latest_offset(&mut self, offset: i64) {
        self.latest_offset = offset;
    }

    pub fn latest_offset(&self) -> i64 {
        self.latest_offset
    }

    /// Distinct keys in the map.
    pub fn size(&self) -> usize {
        self.map.len()
    }

    pub fn slots(&self) -> usize {
        self.slots
    }

    /// `size / slots`, what Kafka logs as "Buffer utilization".
    pub fn utilization(&self) -> f64 {
        if self.slots == 0 {
            0.0
        } else {
            self.map.len() as f64 / self.slots as f64
        }
    }
}
