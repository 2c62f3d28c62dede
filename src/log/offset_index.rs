//! A segment's `.index` file: Kafka's `OffsetIndex`.
//!
//! Sparse 8-byte entries, big-endian: the offset relative to the segment's
//! base (`int32`) and the byte position (`int32`) in the `.log` of the batch
//! whose last offset it is. [`LogSegment`](super::segment::LogSegment)'s
//! append rule decides when an entry is written (more than
//! `index.interval.bytes` since the last one; never for a segment's first
//! batch); `log_dir` replays that rule to write the file.
//!
//! Simplified: the entries live in a `Vec`; Kafka's file is memory-mapped,
//! preallocated to `segment.index.bytes` while the segment is active and
//! trimmed to its entries when it rolls or the broker shuts down cleanly.
//! Only the trimmed form is written here (what a broker leaves on disk after
//! a clean shutdown).

/// `OffsetIndex.ENTRY_SIZE`.
pub const ENTRY_SIZE: usize = 8;

/// `OffsetPosition`: an offset and the position of its batch in the `.log`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OffsetPosition {
    pub offset: i64,
    pub position: u32,
}

/// The entries of one segment's offset index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetIndex {
    base_offset: i64,
    entries: Vec<OffsetPosition>,
}

impl OffsetIndex {
    /// An empty index for the segment based at `base_offset`.
    pub fn new(base_offset: i64) -> Self {
        OffsetIndex {
            base_offset,
            entries: Vec::new(),
        }
    }

    pub fn base_offset(&self) -> i64 {
        self.base_offset
    }

    pub fn entries(&self) -> &[OffsetPosition] {
        &self.entries
    }

    /// `OffsetIndex.append` (the caller keeps offsets increasing).
    pub fn append(&mut self, offset: i64, position: u32) {
        self.entries.push(OffsetPosition { offset, position });
    }

    /// The file's bytes, trimmed to the entries.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.entries.len() * ENTRY_SIZE);
        for e in &self.entries {
            // relativeOffset: fits an int32 by the segment's roll rule.
            let relative = e.offset.wrapping_sub(self.base_offset) as i32;
            out.extend_from_slice(&relative.to_be_bytes());
            out.extend_from_slice(&e.position.to_be_bytes());
        }
        out
    }

    /// Reads a file as Kafka opens it read-only: `length / 8` entries (a
    /// partial last entry is not one).
    pub fn parse(base_offset: i64, bytes: &[u8]) -> Self {
        let entries = bytes
            .chunks_exact(ENTRY_SIZE)
            .map(|e| OffsetPosition {
                offset: base_offset.wrapping_add(i64::from(i32::from_be_bytes([e[0], e[1], e[2], e[3]]))),
                position: u32::from_be_bytes([e[4], e[5], e[6], e[7]]),
            })
            .collect();
        OffsetIndex { base_offset, entries }
    }

    /// `OffsetIndex.lookup`: the greatest entry whose offset is at most
    /// `target`, or (base offset, 0) when there is none.
    pub fn lookup(&self, target: i64) -> OffsetPosition {
        // Kafka's binary search over the raw entries, as they are.
        let (mut lo, mut hi) = (0usize, self.entries.len());
        if hi == 0 || self.entries[0].offset > target {
            return OffsetPosition {
                offset: self.base_offset,
                position: 0,
            };
        }
        hi -= 1;
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if self.entries[mid].offset > target {
                hi = mid - 1;
            } else {
                lo = mid;
            }
        }
        self.entries[lo]
    }

    /// `OffsetIndex.sanityCheck` on a file of `length` bytes at `path`:
    /// Kafka's message when the broker would rebuild the index.
    ///
    /// # Errors
    ///
    /// The `CorruptIndexException` message: a last offset below the base,
    /// or a length that is not a multiple of 8.
    pub fn sanity_check(&self, path: &str, length: usize) -> Result<(), String> {
        if let Some(last) = self.entries.last() {
            if last.offset < self.base_offset {
                return Err(format!(
                    "Corrupt index found, index file ({path}) has non-zero size but the last offset is {} which is \
                     less than the base offset {}",
                    last.offset, self.base_offset
                ));
            }
        }
        if length % ENTRY_SIZE != 0 {
            return Err(format!(
                "Index file {path} is corrupt, found {length} bytes which is neither positive nor a multiple of \
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
    fn entries_are_relative_offsets_and_positions_big_endian() {
        let mut index = OffsetIndex::new(100);
        index.append(105, 4200);
        index.append(190, 9000);
        let bytes = index.to_bytes();
        assert_eq!(bytes.len(), 16);
        assert_eq!(&bytes[..8], &[0, 0, 0, 5, 0, 0, 0x10, 0x68]);
        assert_eq!(OffsetIndex::parse(100, &bytes), index);
        // A partial last entry is not read.
        assert_eq!(OffsetIndex::parse(100, &[bytes.as_slice(), &[1, 2]].concat()), index);
    }

    #[test]
    fn lookup_finds_the_greatest_entry_at_or_below_the_target() {
        let mut index = OffsetIndex::new(10);
        index.append(15, 100);
        index.append(20, 200);
        assert_eq!(
            index.lookup(12),
            OffsetPosition {
                offset: 10,
                position: 0
            }
        );
        assert_eq!(index.lookup(15).position, 100);
        assert_eq!(index.lookup(19).position, 100);
        assert_eq!(index.lookup(99).position, 200);
    }

    #[test]
    fn sanity_check_words_kafkas_errors() {
        let index = OffsetIndex::parse(10, &[0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]);
        let e = index.sanity_check("/d/x.index", 8).unwrap_err();
        assert!(
            e.contains("the last offset is 9 which is less than the base offset 10"),
            "{e}"
        );
        let e = OffsetIndex::new(0).sanity_check("/d/x.index", 7).unwrap_err();
        assert_eq!(
            e,
            "Index file /d/x.index is corrupt, found 7 bytes which is neither positive nor a multiple of 8"
        );
        assert_eq!(OffsetIndex::new(0).sanity_check("/d/x.index", 0), Ok(()));
    }
}
