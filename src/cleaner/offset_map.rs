//! The cleaner's key -> latest offset map, with Kafka's fixed capacity.
//!
//! Models Kafka's `SkimpyOffsetMap`: `log.cleaner.dedupe.buffer.size` split
//! across `log.cleaner.threads`, 24 bytes per entry (a 16-byte digest of the
//! key and an 8-byte offset, stored inline in one flat table), filled at
//! most to `log.cleaner.io.buffer.load.factor`. When it is full the round
//! stops there and the rest waits for the next round: that is what a small
//! buffer does to cleaning. Each key is hashed once per pass.
//!
//! Simplified, and why the results are Kafka's:
//! - The digest is not MD5. A key of at most 15 bytes is its own digest
//!   (its bytes and its length), so equal digests are equal keys, exactly;
//!   a longer key is digested with SipHash-1-3-128 under a fixed key. Like
//!   Kafka, two long keys with one digest would count as one key: a chance
//!   collision takes about 2^64 distinct keys, far past any log here, and
//!   SipHash has no known way to make one on purpose (a fast
//!   non-cryptographic hash would let a crafted share link make two keys
//!   one), so every result equals exact-key comparison, and Kafka's on the
//!   same records. Both are fast in wasm, which has no 128-bit multiply.
//! - The capacity is counted in keys (`slots * load factor`, Kafka's
//!   arithmetic, checked by the cleaner before every put), while the table
//!   itself starts small and doubles as keys arrive (at most half full, up to
//!   what the pass's capacity needs) rather than being allocated whole at
//!   Kafka's buffer size: a log of 10,000 keys does not cost 128 MiB, and
//!   its table stays in the processor's cache, which is most of the speed
//!   of a pass. Probe order is not Kafka's; nothing observable depends on it.
//! - Not in Kafka: [`MappedOffsets`], two bits per offset of the mapped
//!   range (was this record put; is it still its key's latest), filled by
//!   the map pass and read by the second pass instead of hashing the key
//!   again and probing the table. It holds what `get` would answer for
//!   every record the map pass put (see its doc for why, exactly), so the
//!   cleaner's results do not change; records it has no bit for (the
//!   clean section, skipped batches) still ask the map. It lets the second
//!   pass drop a batch whose records were all superseded without reading
//!   them. It is a quarter of a byte per offset, at most 2 bytes a record.

use std::fmt;

use std::hash::Hasher;

use siphasher::sip128::{Hasher128, SipHasher13};

/// A key's 16-byte digest, as two words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digest([u64; 2]);

/// Marks a digest that holds its key inline (the top byte of the second
/// word is 0x80 + the key's length).
const INLINE: u64 = 0x80;

impl Digest {
    /// The digest of `key`: a key of at most 15 bytes is its own digest (its
    /// bytes and its length, so equal digests are equal keys, exactly); a
    /// longer one is its SipHash-1-3-128.
    #[inline(always)]
    pub fn of(key: &[u8]) -> Digest {
        let n = key.len();
        if n <= 15 {
            return Digest(inline_words(key));
        }
        Self::hashed(key)
    }

    #[inline(never)]
    fn hashed(key: &[u8]) -> Digest {
        // The key is fixed ("kafka!", "cleaner") so that digests, and so the
        // table's layout, are the same in every run.
        let mut s = SipHasher13::new_with_keys(0x0000_6b61_666b_6121, 0x0063_6c65_616e_6572);
        s.write(key);
        let h = s.finish128();
        Digest([h.h1, h.h2])
    }
}

/// A key of at most 15 bytes as two words: its bytes (little-endian) in
/// the first 15 bytes, `INLINE + length` in the last. Loads overlap rather
/// than copy byte by byte.
#[inline(always)]
fn inline_words(key: &[u8]) -> [u64; 2] {
    let n = key.len();
    let (w0, w1) = if n >= 8 {
        let lo = u64::from_le_bytes(key[..8].try_into().unwrap_or_default());
        // Bytes n-8..n, shifted so that only bytes 8..n remain.
        let hi = u64::from_le_bytes(key[n - 8..n].try_into().unwrap_or_default())
            .checked_shr(8 * (16 - n) as u32)
            .unwrap_or(0);
        (lo, hi)
    } else if n >= 4 {
        let lo = u64::from(u32::from_le_bytes(key[..4].try_into().unwrap_or_default()));
        let hi = u64::from(u32::from_le_bytes(key[n - 4..n].try_into().unwrap_or_default())) >> (8 * (8 - n));
        (lo | hi << 32, 0)
    } else {
        let mut w = 0u64;
        for (i, &b) in key.iter().enumerate() {
            w |= u64::from(b) << (8 * i);
        }
        (w, 0)
    };
    [w0, w1 | (INLINE + n as u64) << 56]
}

/// One slot, 24 bytes as in Kafka: the digest's two words and the offset
/// plus one (0: an empty slot, so that a new table is zeroed memory).
type Entry = [u64; 3];

/// The table a pass starts with; it doubles as keys arrive.
const INITIAL_SLOTS: usize = 1 << 10;

/// Key digest -> offset of its latest record in the mapped range.
pub struct OffsetMap {
    /// Open addressing with linear probing; a power of two long.
    table: Vec<Entry>,
    /// Kafka's slot count (`memory / 24`), for utilization.
    slots: usize,
    size: usize,
    latest_offset: i64,
}

impl OffsetMap {
    /// A map with `slots` entries of memory (`memory / 24`). No table is
    /// allocated until a pass says how many keys it may meet.
    pub fn new(slots: usize) -> Self {
        OffsetMap {
            table: Vec::new(),
            slots,
            size: 0,
            latest_offset: -1,
        }
    }

    /// Forgets every key (the latest offset goes back to -1), keeping a
    /// small table for the next pass.
    pub fn clear(&mut self) {
        if self.table.len() == INITIAL_SLOTS {
            self.table.fill([0; 3]);
        } else {
            self.table = vec![[0; 3]; INITIAL_SLOTS];
        }
        self.size = 0;
        self.latest_offset = -1;
    }

    /// The table a pass that meets `keys` distinct keys ends with: at most
    /// half full, so that probes stay short, and a power of two long.
    pub fn table_slots(keys: usize) -> usize {
        let mut slots = INITIAL_SLOTS;
        while keys.saturating_mul(2) > slots {
            slots = slots.saturating_mul(2);
        }
        slots
    }

    /// Bytes of that table (24 a slot).
    pub fn table_bytes(keys: usize) -> u64 {
        (Self::table_slots(keys) * std::mem::size_of::<Entry>()) as u64
    }

    #[inline]
    fn slot_of(table: &[Entry], digest: Digest) -> usize {
        let mask = table.len() - 1;
        // Fibonacci hashing: the product's top bits depend on every bit of
        // both words (an inline key differs from its neighbours in a few).
        let h = (digest.0[0] ^ digest.0[1].rotate_left(31)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut i = (h >> (64 - table.len().trailing_zeros())) as usize;
        loop {
            let e = &table[i];
            if e[2] == 0 || (e[0] == digest.0[0] && e[1] == digest.0[1]) {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// Records that the key with `digest` has its latest record so far at
    /// `offset` (>= 0). Kafka's `put` also moves the map's latest offset to
    /// `offset`.
    #[inline]
    pub fn put(&mut self, digest: Digest, offset: i64) {
        if (self.size + 1) * 2 > self.table.len() {
            self.grow();
        }
        let i = Self::slot_of(&self.table, digest);
        if self.table[i][2] == 0 {
            self.size += 1;
        }
        self.table[i] = [digest.0[0], digest.0[1], offset as u64 + 1];
        self.latest_offset = offset;
    }

    /// Doubles the table and moves every entry into it.
    #[cold]
    fn grow(&mut self) {
        let old = std::mem::take(&mut self.table);
        self.table = vec![[0; 3]; (old.len() * 2).max(INITIAL_SLOTS)];
        for e in old.into_iter().filter(|e| e[2] != 0) {
            let i = Self::slot_of(&self.table, Digest([e[0], e[1]]));
            self.table[i] = e;
        }
    }

    /// The latest offset of the key with `digest`, or -1 when it is not in
    /// the map.
    #[inline]
    pub fn get(&self, digest: Digest) -> i64 {
        if self.table.is_empty() {
            return -1;
        }
        self.table[Self::slot_of(&self.table, digest)][2] as i64 - 1
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
        self.size
    }

    pub fn slots(&self) -> usize {
        self.slots
    }

    /// Bytes the table takes in memory (24 a slot).
    pub fn heap_bytes(&self) -> u64 {
        (self.table.capacity() * std::mem::size_of::<Entry>()) as u64
    }

    /// `size / slots`, what Kafka logs as "Buffer utilization".
    pub fn utilization(&self) -> f64 {
        if self.slots == 0 {
            0.0
        } else {
            self.size as f64 / self.slots as f64
        }
    }
}

/// The fate the map gives each record of the dense range it mapped, as two
/// bits an offset, so that the second pass reads a bit where it would hash
/// the key again and probe the table (not in Kafka; the result is the
/// map's, exactly).
///
/// Why that is exact: offsets are unique in a log (appends assign them in
/// order; an import refuses batches whose offsets do not increase), so the
/// one `put` at offset `o` is the record at `o`, under its own key's
/// digest. If the table holds `o` when the pass ends, it holds it in that
/// digest's slot: the map gives `o`, the record is its key's latest. If the record was put but the table no
/// longer holds `o`, a later put of the same digest replaced it: the map
/// gives a later offset, and the record is not the latest. A record that
/// was not put (before the mapped range, or in a batch the map pass
/// skipped) has no bit, and the caller asks the map.
#[derive(Debug, Default)]
pub struct MappedOffsets {
    /// The first offset the bits cover.
    start: i64,
    /// `put` bits and `latest` bits, one of each an offset from `start`.
    put: Vec<u64>,
    latest: Vec<u64>,
}

impl MappedOffsets {
    /// Bits for `[start, end)`, which holds `records` records, or none
    /// (every record asks the map) when that range is sparse: more than 8
    /// offsets a record, so that the bits never take more than 2 bytes a
    /// record (a quarter of a byte an offset).
    pub fn new(start: i64, end: i64, records: u64) -> Self {
        let span = u64::try_from(end.saturating_sub(start)).unwrap_or(0);
        if span == 0 || span > records.saturating_mul(8) {
            return MappedOffsets::default();
        }
        let words = usize::try_from(span.div_ceil(64)).unwrap_or(0);
        MappedOffsets {
            start,
            put: vec![0; words],
            latest: vec![0; words],
        }
    }

    #[inline]
    fn index(&self, offset: i64) -> Option<(usize, u64)> {
        let i = usize::try_from(offset.wrapping_sub(self.start)).ok()?;
        (i / 64 < self.put.len()).then_some((i / 64, 1 << (i % 64)))
    }

    /// The map pass put the record at `offset`.
    #[inline]
    pub fn on_put(&mut self, offset: i64) {
        if let Some((w, bit)) = self.index(offset) {
            self.put[w] |= bit;
        }
    }

    /// After the map pass: marks the offsets the map holds.
    pub fn mark_latest(&mut self, map: &OffsetMap) {
        if self.put.is_empty() {
            return;
        }
        for e in &map.table {
            if e[2] != 0 {
                if let Some((w, bit)) = self.index(e[2] as i64 - 1) {
                    self.latest[w] |= bit;
                }
            }
        }
    }

    /// For a record the map pass put: whether it is its key's latest
    /// (`map.get(digest of its key) == offset`); `None` for any other
    /// offset.
    #[inline]
    pub fn is_latest(&self, offset: i64) -> Option<bool> {
        let (w, bit) = self.index(offset)?;
        (self.put[w] & bit != 0).then_some(self.latest[w] & bit != 0)
    }

    /// Whether the map pass put exactly `count` records in `[first, last]`
    /// and none of them is its key's latest: then each is superseded, and
    /// a batch of those records loses them all (its records need not be
    /// read to know it).
    #[inline]
    pub fn all_superseded(&self, first: i64, last: i64, count: usize) -> bool {
        if last < first {
            return false;
        }
        let (Some((w0, b0)), Some((w1, b1))) = (self.index(first), self.index(last)) else {
            return false;
        };
        if w0 == w1 {
            // Bits b0 up to b1, both included.
            let mask = (b1 - b0) | b1;
            return self.latest[w0] & mask == 0 && (self.put[w0] & mask).count_ones() as usize == count;
        }
        let (mut put, mut latest) = (0usize, 0u64);
        for w in w0..=w1 {
            let mut mask = u64::MAX;
            if w == w0 {
                mask &= !(b0 - 1);
            }
            if w == w1 {
                mask &= (b1 - 1) | b1;
            }
            put += (self.put[w] & mask).count_ones() as usize;
            latest |= self.latest[w] & mask;
        }
        latest == 0 && put == count
    }

    /// Bytes the bits take.
    pub fn heap_bytes(&self) -> u64 {
        ((self.put.capacity() + self.latest.capacity()) * 8) as u64
    }
}

/// A clone is empty: like the map, the bits are scratch of one round.
impl Clone for MappedOffsets {
    fn clone(&self) -> Self {
        MappedOffsets::default()
    }
}

/// A clone is an empty map of the same capacity: between rounds the map
/// holds nothing a later round reads, and a broker checkpoint should not
/// copy megabytes of scratch.
impl Clone for OffsetMap {
    fn clone(&self) -> Self {
        OffsetMap::new(self.slots)
    }
}

impl fmt::Debug for OffsetMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OffsetMap")
            .field("slots", &self.slots)
            .field("size", &self.size)
            .field("latest_offset", &self.latest_offset)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_24_bytes_as_in_kafka() {
        assert_eq!(std::mem::size_of::<Entry>(), 24);
    }

    #[test]
    fn short_keys_are_their_own_digest_and_every_length_differs() {
        let mut keys: Vec<Vec<u8>> = (0..=20usize)
            .flat_map(|n| [vec![b'a'; n], vec![0u8; n], (0..n as u8).collect()])
            .collect();
        keys.sort();
        keys.dedup();
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(Digest::of(a), Digest::of(b), "{a:?} {b:?}");
            }
        }
        assert_eq!(Digest::of(b"key-1234").0[0], u64::from_le_bytes(*b"key-1234"));
        assert_eq!(Digest::of(b"key-12345").0[1], u64::from(b'5') | (INLINE + 9) << 56);
    }

    #[test]
    fn the_latest_put_of_a_key_wins_and_absent_keys_read_minus_one() {
        let mut m = OffsetMap::new(100);
        m.clear();
        m.put(Digest::of(b"a"), 0);
        m.put(Digest::of(b"b"), 1);
        m.put(Digest::of(b"a"), 2);
        assert_eq!((m.get(Digest::of(b"a")), m.get(Digest::of(b"b"))), (2, 1));
        assert_eq!(m.get(Digest::of(b"c")), -1);
        assert_eq!((m.size(), m.latest_offset()), (2, 2));
        m.clear();
        assert_eq!((m.size(), m.latest_offset(), m.get(Digest::of(b"a"))), (0, -1, -1));
    }

    /// Puts `keys` (offset i for the i-th, from `start`) into a map and
    /// bits over `[start, start + span)`.
    fn mapped(keys: &[u64], start: i64, span: i64) -> (OffsetMap, MappedOffsets) {
        let mut m = OffsetMap::new(1 << 20);
        m.clear();
        let mut bits = MappedOffsets::new(start, start + span, keys.len() as u64);
        for (i, k) in keys.iter().enumerate() {
            let offset = start + i as i64;
            m.put(Digest::of(format!("key-{k}").as_bytes()), offset);
            bits.on_put(offset);
        }
        bits.mark_latest(&m);
        (m, bits)
    }

    #[test]
    fn the_bits_say_what_the_map_says_of_every_record_it_put() {
        let mut rng = crate::rng::SplitMix64::new(7);
        let keys: Vec<u64> = (0..1000).map(|_| rng.below(37)).collect();
        let (m, bits) = mapped(&keys, 500, 1000);
        for (i, k) in keys.iter().enumerate() {
            let offset = 500 + i as i64;
            let latest = m.get(Digest::of(format!("key-{k}").as_bytes()));
            assert_eq!(bits.is_latest(offset), Some(latest == offset), "{offset}");
        }
        // Offsets nobody put (outside the range) have no answer.
        assert_eq!(
            (bits.is_latest(499), bits.is_latest(1500), bits.is_latest(-1)),
            (None, None, None)
        );
        assert_eq!(bits.is_latest(i64::MIN), None);
        assert_eq!(bits.heap_bytes(), 2 * 16 * 8);
    }

    #[test]
    fn a_batch_is_all_superseded_only_when_each_of_its_records_was_put_and_replaced() {
        // Offsets 0..200 alternate keys a and b, then 200 is c: the latest
        // are 198 (a), 199 (b) and 200 (c); 201..256 were never put.
        let keys: Vec<u64> = (0..200).map(|i| i % 2).chain([2]).collect();
        let (_, bits) = mapped(&keys, 0, 256);
        // Within a word, across words (63|64, 127|128), up to the end.
        assert!(bits.all_superseded(0, 0, 1));
        assert!(bits.all_superseded(60, 70, 11));
        assert!(bits.all_superseded(0, 197, 198));
        // A latest record inside, or a count that is not the records put
        // (a record that was not put, say an unkeyed one).
        assert!(!bits.all_superseded(0, 198, 199));
        assert!(!bits.all_superseded(190, 200, 11));
        assert!(!bits.all_superseded(60, 70, 10));
        assert!(!bits.all_superseded(60, 70, 12));
        // Offsets never put, outside the bits, or a range backwards.
        assert!(!bits.all_superseded(201, 201, 1));
        assert!(bits.all_superseded(201, 201, 0));
        assert!(!bits.all_superseded(250, 300, 0));
        assert!(!bits.all_superseded(-1, 3, 4));
        assert!(!bits.all_superseded(5, 4, 0));
    }

    #[test]
    fn a_sparse_range_gets_no_bits() {
        let bits = MappedOffsets::new(0, 1 << 40, 1000);
        assert_eq!((bits.heap_bytes(), bits.is_latest(0)), (0, None));
        assert!(!bits.all_superseded(0, 0, 1));
        assert_eq!(MappedOffsets::new(10, 10, 0).heap_bytes(), 0);
        assert_eq!(MappedOffsets::new(10, 5, 3).heap_bytes(), 0);
    }

    #[test]
    fn a_map_grows_as_keys_arrive_and_stays_exact() {
        let mut m = OffsetMap::new(1 << 20);
        m.clear();
        for i in 0..10_000i64 {
            m.put(Digest::of(format!("key-{i}").as_bytes()), i);
        }
        assert_eq!(m.size(), 10_000);
        assert_eq!(m.heap_bytes(), OffsetMap::table_bytes(10_000));
        assert_eq!(OffsetMap::table_slots(10_000), 32_768);
        assert!((0..10_000i64).all(|i| m.get(Digest::of(format!("key-{i}").as_bytes())) == i));
        // A clone is empty scratch of the same capacity.
        assert_eq!((m.clone().size(), m.clone().slots()), (0, 1 << 20));
    }
}
