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
