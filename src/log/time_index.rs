//! A segment's `.timeindex` file: Kafka's `TimeIndex`.
//!
//! 12-byte entries, big-endian: a timestamp (`int64`) and an offset relative
//! to the segment's base (`int32`). An entry (T, O) says that the largest
//! timestamp in the segment up to that point is T, first reached in the
//! batch whose last offset is O. Entries are attempted with the offset
//! index's (see [`super::offset_index`]) and once more when the segment
//! becomes inactive or is closed; an entry is written only if its timestamp
//! is strictly greater than the last one's.
//!
//! Simplified: as for the offset index, only the trimmed file is written.

/// `TimeIndex.ENTRY_SIZE`.
pub const ENTRY_SIZE: usize = 12;

/// `TimestampOffset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimestampOffset {
    pub timestamp: i64,
    pub offset: i64,
}

/// The entries of one segment's time index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeIndex {
    base_offset: i64,
    entries: Vec<TimestampOffset>,
}

impl TimeIndex {
    pub fn new(base_offset: i64) -> Self {
        TimeIndex {
            base_offset,
            entries: Vec::new(),
        }
    }

    pub fn base_offset(&self) -> i64 {
        self.base_offset
    }

    pub fn entries(&self) -> &[TimestampOffset] {
        &self.entries
    }

    /// `TimeIndex.lastEntry`: (-1, base offset) when empty.
    pub fn last_entry(&self) -> TimestampOffset {
        self.entries.last().copied().unwrap_or(TimestampOffset {
            timestamp: crate::batch::NO_TIMESTAMP,
            offset: self.base_offset,
        })
    }

    /// `TimeIndex.maybeAppend`: only a timestamp strictly greater than the
    /// last entry's is added.
    pub fn maybe_append(&mut self, timestamp: i64, offset: i64) {
        if timestamp > self.last_entry().timestamp {
            self.entries.push(TimestampOffset { timestamp, offset });
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.entries.len() * ENTRY_SIZE);
        for e in &self.entries {
            out.extend_from_slice(&e.timestamp.to_be_bytes());
            let relative = e.offset.wrapping_sub(self.base_offset) as i32;
            out.extend_from_slice(&relative.to_be_bytes());
        }
        out
    }

    /// Reads a file as Kafka opens it read-only: `length / 12` entries.
    pub fn parse(base_offset: i64, bytes: &[u8]) -> Self {
        let entries = bytes
            .chunks_exact(ENTRY_SIZE)
            .map(|e| {
                let mut ts = [0u8; 8];
                ts.copy_from_slice(&e[..8]);
                TimestampOffset {
                    timestamp: i64::from_be_bytes(ts),
                    offset: base_offset.wrapping_add(i64::from(i32::from_be_bytes([e[8], e[9], e[10], e[11]]))),
                }
            })
            .collect();
        TimeIndex { base_offset, entries }
    }

    /// `TimeIndex.sanityCheck` on a file of `length` bytes at `path`.
    ///
    /// # Errors
    ///
    /// The `CorruptIndexException` message: a last timestamp below the
    /// first, a last offset below the base, or a length that is not a
    /// multiple of 12.
    pub fn sanity_check(&self, path: &str, length: usize) -> Result<(), String> {
        if let (Some(first), Some(last)) = (self.entries.first(), self.entries.last()) {
            if last.timestamp < first.timestamp {
                return Err(format!(
                    "Corrupt time index found, time index file ({path}) has non-zero size but the last timestamp is \
                     {} which is less than the first timestamp {}",
                    last.timestamp, first.timestamp
                ));
            }
            if last.offset < self.base_offset {
                return Err(format!(
                    "Corrupt time index found, time index file ({path}) has non-zero size but the last offset is {} \
                     which is less than the first offset {}",
                    last.offset, self.base_offset
                ));
            }
        }
        if length % ENTRY_SIZE != 0 {
            return Err(format!(
                "Time index file {path} is corrupt, found {length} bytes which is neither positive nor a multiple of \
                 {ENTRY_SIZE}"
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_strictly_greater_timestamp_is_appended() {
        let mut index = TimeIndex::new(0);
        assert_eq!(
            index.last_entry(),
            TimestampOffset {
                timestamp: -1,
                offset: 0
            }
        );
        index.maybe_append(-1, 3);
        assert!(index.entries().is_empty());
        index.maybe_append(50, 3);
        index.maybe_append(50, 7);
        index.maybe_append(40, 9);
        index.maybe_append(60, 9);
        assert_eq!(
            index.entries(),
            &[
                TimestampOffset {
                    timestamp: 50,
                    offset: 3
                },
                TimestampOffset {
                    timestamp: 60,
                    offset: 9
                }
            ]
        );
        let bytes = index.to_bytes();
        assert_eq!(&bytes[..12], &[0, 0, 0, 0, 0, 0, 0, 50, 0, 0, 0, 3]);
        assert_eq!(TimeIndex::parse(0, &bytes), index);
    }

    #[test]
    fn sanity_check_words_kafkas_errors() {
        let mut index = TimeIndex::new(0);
        index.entries.push(TimestampOffset {
            timestamp: 9,
            offset: 1,
        });
        index.entries.push(TimestampOffset {
            timestamp: 5,
            offset: 2,
        });
        let e = index.sanity_check("/d/x.timeindex", 24).unwrap_err();
        assert!(
            e.contains("the last timestamp is 5 which is less than the first timestamp 9"),
            "{e}"
        );
        assert!(TimeIndex::new(0).sanity_check("/d/x.timeindex", 13).is_err());
    }
}
