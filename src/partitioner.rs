//! Where a producer sends a record: the key → partition hashes of the Java
//! client and of the two other client families people meet in practice.
//!
//! Models Kafka's `Utils.murmur2` / `Utils.toPositive` and
//! `BuiltInPartitioner.partitionForKey` (`clients/.../common/utils/Utils.java`,
//! `clients/.../producer/internals/BuiltInPartitioner.java`), librdkafka's
//! `consistent` partitioner (`src/rdkafka_msg.c`, CRC32) and Sarama's default
//! `NewHashPartitioner` (`partitioner.go`, FNV-1a, the same as librdkafka's
//! `fnv1a`). Null-key records get KIP-794's sticky placement made
//! deterministic: no broker availability, no adaptive (queue-size weighted)
//! choice, and the random draw comes from the caller's seeded generator.
//!
//! Invariants (checked by the unit tests below and, against the 597-key
//! vectors of `shared/vectors/partitioners.jsonl`, by
//! `tests/engine/partitioner.rs`):
//!
//! 1. Every function that returns a partition returns a value in
//!    `0..num_partitions`, and `0` when `num_partitions` is 0 (never panics).
//! 2. The same bytes and partition count always give the same partition.
//! 3. `murmur2` is bit-exact with Java's, including for bytes ≥ 0x80.

use serde::Serialize;

use crate::rng::SplitMix64;

/// Kafka `Utils.murmur2`: the seed, written as a (negative) Java int.
const MURMUR2_SEED: u32 = 0x9747_b28c;
/// Kafka `Utils.murmur2`: the multiplier `m`.
const MURMUR2_M: u32 = 0x5bd1_e995;
/// Kafka `Utils.murmur2`: the shift `r`.
const MURMUR2_R: u32 = 24;

/// FNV-1a 32-bit offset basis (`hash/fnv` in Go, `rd_fnv1a` in librdkafka).
const FNV1A_OFFSET_BASIS: u32 = 0x811c_9dc5;
/// FNV-1a 32-bit prime.
const FNV1A_PRIME: u32 = 0x0100_0193;

/// Callers validate `num_partitions >= 1`; if a 0 slips through anyway we
/// place everything on partition 0 instead of dividing by zero.
fn effective_partitions(num_partitions: u32) -> u32 {
    num_partitions.max(1)
}

/// Kafka's 32-bit MurmurHash2 of `data`, as the Java `int` it returns.
///
/// Bit-exact with `Utils.murmur2(byte[])`: all arithmetic is done on `u32`
/// (wrapping multiplies, logical shifts, which is what Java's `int *` and
/// `>>>` do) and only the final value is reinterpreted as `i32`. Taking
/// `&[u8]` avoids Java's signed-byte trap (Kafka masks every byte with
/// `& 0xff`). The empty key hashes to 275646681; Java never hashes a null key.
///
/// # Example
///
/// ```
/// assert_eq!(kcp::partitioner::murmur2(b"21"), -973932308);
/// ```
pub fn murmur2(data: &[u8]) -> i32 {
    // Kafka: Utils.murmur2: h = seed ^ length (the length as a Java int, so
    // it wraps exactly like the truncating cast below).
    let mut h: u32 = MURMUR2_SEED ^ (data.len() as u32);

    // Kafka: Utils.murmur2: whole 4-byte groups, little-endian.
    let mut groups = data.chunks_exact(4);
    for group in &mut groups {
        let mut k = u32::from_le_bytes([group[0], group[1], group[2], group[3]]);
        k = k.wrapping_mul(MURMUR2_M);
        k ^= k >> MURMUR2_R;
        k = k.wrapping_mul(MURMUR2_M);
        h = h.wrapping_mul(MURMUR2_M);
        h ^= k;
    }

    // Kafka: Utils.murmur2: the 1-3 byte tail falls through the switch, and
    // the extra multiply happens only when there is a tail.
    let tail = groups.remainder();
    if tail.len() >= 3 {
        h ^= u32::from(tail[2]) << 16;
    }
    if tail.len() >= 2 {
        h ^= u32::from(tail[1]) << 8;
    }
    if !tail.is_empty() {
        h ^= u32::from(tail[0]);
        h = h.wrapping_mul(MURMUR2_M);
    }

    // Kafka: Utils.murmur2: final mix, logical shifts (`>>>`).
    h ^= h >> 13;
    h = h.wrapping_mul(MURMUR2_M);
    h ^= h >> 15;

    h as i32
}

/// Kafka `Utils.toPositive`: clears the sign bit (`n & 0x7fffffff`).
///
/// This is deliberately **not** an absolute value: `-1` becomes
/// `2147483647` (abs would give 1) and `i32::MIN` becomes 0. Ports that used
/// `abs` send about half of all keys to the wrong partition.
pub fn to_positive(n: i32) -> i32 {
    // Kafka: Utils.toPositive (a mask since 0.8.2, when it was still called
    // Utils.abs; see partitioners.md §1.2).
    n & 0x7fff_ffff
}

/// The partition the Java producer (and Kafka Streams) picks for a non-null
/// serialized key: `toPositive(murmur2(key)) % num_partitions`.
///
/// `num_partitions` is the topic's total partition count: Kafka ignores
/// availability for keyed records. An empty key is a key and is hashed.
///
/// # Example
///
/// ```
/// // kafkajs issue #357: "100:48069" on 12 partitions.
/// assert_eq!(kcp::partitioner::partition_for_key(b"100:48069", 12), 9);
/// ```
pub fn partition_for_key(key: &[u8], num_partitions: u32) -> u32 {
    // Kafka: BuiltInPartitioner.partitionForKey; to_positive is never
    // negative, so the cast to u32 is lossless.
    to_positive(murmur2(key)) as u32 % effective_partitions(num_partitions)
}

/// The standard zlib / IEEE 802.3 CRC-32 of `data` (what librdkafka's
/// `rd_crc32`, Python's `zlib.crc32` and Go's `crc32.ChecksumIEEE` compute).
///
/// A byte at a time over a 1 KiB table built at compile time, as
/// [`crate::batch::crc32c`]: keys are short, and a slicing-by-16 table (the
/// `crc32fast` crate's) weighed 16 KiB of the page's wasm, incompressible.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc = CRC32_TABLE[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

/// The table of CRC-32's reflected polynomial `0xEDB88320`.
const CRC32_TABLE: [u32; 256] = crate::batch::crc32c::table(0xEDB8_8320);

/// librdkafka's `consistent` partitioner: `crc32(key) % num_partitions`,
/// an unsigned modulo.
///
/// A NULL key (`None`) and an empty key both hash as zero bytes, and
/// `crc32("") == 0`, so both land on partition 0. (The default
/// `consistent_random` sends those two to a sticky random partition instead;
/// see [`PartitionExplanation::librdkafka_consistent_random`].)
pub fn librdkafka_consistent(key: Option<&[u8]>, num_partitions: u32) -> u32 {
    // librdkafka: rd_kafka_msg_partitioner_consistent: rd_crc32(key, keylen)
    // % partition_cnt, with a NULL key hashed as length 0.
    crc32(key.unwrap_or(&[])) % effective_partitions(num_partitions)
}

/// 32-bit FNV-1a of `data` (XOR each byte in, then multiply by the prime).
pub fn fnv1a32(data: &[u8]) -> u32 {
    data.iter()
        .fold(FNV1A_OFFSET_BASIS, |h, &b| (h ^ u32::from(b)).wrapping_mul(FNV1A_PRIME))
}

/// Sarama's default `NewHashPartitioner`, which librdkafka's `fnv1a`
/// partitioner reproduces: `p = int32(fnv1a32(key)) % n`, then `-p` if `p`
/// is negative.
///
/// The modulo comes first, so the hash `0x80000000` (key "1468509572224")
/// gives `2^31 % n`, a valid partition. An empty key is hashed
/// (FNV("") = 0x811c9dc5).
pub fn sarama_fnv1a(key: &[u8], num_partitions: u32) -> u32 {
    // Sarama: hashPartitioner.Partition: int32(hasher.Sum32()) % numPartitions
    // with Go's truncating `%` (the sign follows the dividend), then negate.
    // Done in i64 so that a partition count above i32::MAX cannot overflow;
    // for every count Sarama accepts (an int32) the result is identical.
    let hash = i64::from(fnv1a32(key) as i32);
    let p = hash % i64::from(effective_partitions(num_partitions));
    // |p| < num_partitions <= u32::MAX, so the cast is lossless.
    p.unsigned_abs() as u32
}

/// Everything the UI shows to explain where a key goes, under each client
/// family. All numbers are plain; field names are snake_case in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartitionExplanation {
    /// The serialized key bytes as lowercase hex ("" for the empty key):
    /// partitioners hash bytes, not strings.
    pub key_hex: String,
    /// Number of key bytes; Kafka mixes the length into the murmur2 seed.
    pub key_len: usize,
    /// `Utils.murmur2` as Java prints it (a signed int).
    pub murmur2: i32,
    /// The same hash as 8 lowercase hex digits (the `u32` that librdkafka's
    /// `rd_murmur2` and kafka-python report).
    pub murmur2_hex: String,
    /// `Utils.toPositive(murmur2)`: the sign bit cleared.
    pub to_positive: i32,
    /// The partition count used (0 is reported as 1, see
    /// [`partition_for_key`]).
    pub num_partitions: u32,
    /// The Java producer's partition: `to_positive % num_partitions`.
    pub partition: u32,
    /// zlib CRC-32 of the key, the hash of librdkafka's default partitioner.
    pub crc32: u32,
    /// librdkafka `consistent`: `crc32 % num_partitions`.
    pub librdkafka_consistent: u32,
    /// librdkafka's default `consistent_random`: the same as `consistent`
    /// for a non-empty key, `None` for an empty key, which is not hashed but
    /// sent to a sticky random partition.
    pub librdkafka_consistent_random: Option<u32>,
    /// 32-bit FNV-1a of the key, the hash of Sarama's default partitioner.
    pub fnv1a32: u32,
    /// Sarama `NewHashPartitioner` (= librdkafka `fnv1a`) partition.
    pub sarama: u32,
}

/// Explains where `key` goes on a topic of `num_partitions` partitions under
/// the Java client, librdkafka and Sarama.
///
/// `key` is a present (possibly empty) serialized key; null keys are never
/// hashed by Java (see [`StickyPartitioner`]).
pub fn explain(key: &[u8], num_partitions: u32) -> PartitionExplanation {
    let n = effective_partitions(num_partitions);
    let hash = murmur2(key);
    let consistent = librdkafka_consistent(Some(key), n);
    PartitionExplanation {
        key_hex: key.iter().map(|b| format!("{b:02x}")).collect(),
        key_len: key.len(),
        murmur2: hash,
        murmur2_hex: format!("{:08x}", hash as u32),
        to_positive: to_positive(hash),
        num_partitions: n,
        partition: partition_for_key(key, n),
        crc32: crc32(key),
        librdkafka_consistent: consistent,
        // librdkafka: rd_kafka_msg_partitioner_consistent_random: an empty
        // key (keylen 0) takes the sticky random path, like NULL.
        librdkafka_consistent_random: (!key.is_empty()).then_some(consistent),
        fnv1a32: fnv1a32(key),
        sarama: sarama_fnv1a(key, n),
    }
}

/// The Java producer's placement of null-key records (KIP-794's built-in
/// sticky partitioner, Kafka ≥ 3.3), made deterministic.
///
/// Kafka (`BuiltInPartitioner.peekCurrentPartitionInfo` /
/// `updatePartitionInfo`) keeps one partition until at least `batch.size`
/// bytes have been produced to it, then draws the next one. Our choices:
///
/// * the switch happens as soon as [`Self::BATCH_SIZE`] bytes are reached,
///   after the record that crossed it was placed. Kafka may wait for the
///   batch to be ready (up to 2 × `batch.size`); we have no batches in
///   flight, so we always allow the switch;
/// * the next partition is drawn uniformly from **all** partitions with the
///   caller's seeded [`SplitMix64`] (it may be the same partition again, as
///   in Kafka). Kafka draws `toPositive(ThreadLocalRandom.nextInt())` over
///   the available partitions, or weights by queue size when
///   `partitioner.adaptive.partitioning.enable=true`; the playground has no
///   brokers and no queues, so every partition is available and equally
///   loaded.
///
/// # Example
///
/// ```
/// use kcp::partitioner::StickyPartitioner;
/// use kcp::rng::SplitMix64;
///
/// let mut rng = SplitMix64::new(7);
/// let mut sticky = StickyPartitioner::default();
/// let first = sticky.partition(6, 100, &mut rng);
/// assert_eq!(sticky.partition(6, 100, &mut rng), first);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StickyPartitioner {
    /// The partition null-key records currently go to; `None` until the
    /// first record (Kafka picks lazily too: `peekCurrentPartitionInfo`).
    current: Option<u32>,
    /// Bytes produced to `current` since it was picked
    /// (Kafka's `StickyPartitionInfo.producedBytes`).
    produced_bytes: u64,
}

impl StickyPartitioner {
    /// Kafka's default `batch.size` (16384 bytes), the sticky threshold.
    pub const BATCH_SIZE: u64 = 16384;

    /// Places one null-key record of `record_bytes` bytes on a topic of
    /// `num_partitions` partitions and returns its partition.
    ///
    /// Always returns a value below `num_partitions` (0 if it is 0). If the
    /// topic shrank below the current partition (not possible in Kafka, but
    /// a caller may reuse the partitioner), a new partition is drawn.
    pub fn partition(&mut self, num_partitions: u32, record_bytes: u64, rng: &mut SplitMix64) -> u32 {
        let n = effective_partitions(num_partitions);
        // Kafka: BuiltInPartitioner.peekCurrentPartitionInfo: pick one if
        // there is no current sticky partition.
        let partition = match self.current {
            Some(p) if p < n => p,
            _ => self.switch_to_next(n, rng),
        };

        // Kafka: BuiltInPartitioner.updatePartitionInfo: count the appended
        // bytes and switch once at least batch.size went to this partition.
        self.produced_bytes = self.produced_bytes.saturating_add(record_bytes);
        if self.produced_bytes >= Self::BATCH_SIZE {
            self.switch_to_next(n, rng);
        }
        partition
    }

    /// The partition the next null-key record will go to, or `None` before
    /// the first record.
    pub fn current(&self) -> Option<u32> {
        self.current
    }

    /// Kafka: BuiltInPartitioner.nextPartition (no load statistics): a
    /// uniform draw over the partitions, with a fresh byte count.
    fn switch_to_next(&mut self, n: u32, rng: &mut SplitMix64) -> u32 {
        // below(n) < n <= u32::MAX, so the cast is lossless.
        let next = rng.below(u64::from(n)) as u32;
        self.current = Some(next);
        self.produced_bytes = 0;
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kafka UtilsTest.testMurmur2 (keys are ASCII `String.getBytes()`).
    #[test]
    fn murmur2_matches_kafka_utils_test() {
        assert_eq!(murmur2(b"21"), -973932308);
        assert_eq!(murmur2(b"foobar"), -790332482);
        assert_eq!(murmur2(b"a-little-bit-long-string"), -985981536);
        assert_eq!(murmur2(b"a-little-bit-longer-string"), -1486304829);
        assert_eq!(murmur2(b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"), -58897971);
        // Kafka spells this key as a byte array: {'a', 'b', 'c'}.
        assert_eq!(murmur2(b"abc"), 479470107);
    }

    #[test]
    fn empty_key_is_hashed_to_the_mixed_seed() {
        assert_eq!(murmur2(b""), 275646681);
        assert_eq!(murmur2(b"") as u32, 0x106e_08d9);
        assert_eq!(partition_for_key(b"", 12), 9);
        assert_eq!(partition_for_key(b"", 100), 81);
    }

    /// librdkafka src/rdmurmur2.c unittest_murmur2 (as uint32).
    #[test]
    fn murmur2_matches_librdkafka_unittest() {
        let unaligned = b"PreAmbleWillBeRemoved,ThePrePartThatIs";
        let cases: [(&[u8], u32); 11] = [
            (b"kafka", 0xd067_cf64),
            (b"giberish123456789", 0x8f55_2b0c),
            (b"1234", 0x9fc9_7b14),
            (b"234", 0xe7c0_09ca),
            (b"34", 0x8739_30da),
            (b"4", 0x5a4b_5ca1),
            (&unaligned[..], 0x7842_4f1c),
            (&unaligned[1..], 0x4a62_b377),
            (&unaligned[2..], 0xe0e4_e09e),
            (&unaligned[3..], 0x62b8_b43f),
            (b"", 0x106e_08d9),
        ];
        for (key, expected) in cases {
            assert_eq!(murmur2(key) as u32, expected, "key {key:?}");
        }
    }

    /// Sarama partitioner_test.go TestMurmur2 (as uint32).
    #[test]
    fn murmur2_matches_sarama_test() {
        let cases: [(&[u8], u32); 6] = [
            (b"foo", 597841616),
            (b"bar", 988958145),
            (b"baz", 1973573280),
            (b"", 275646681),
            (b"kafka", 3496464228),
            (b"sarama", 770765511),
        ];
        for (key, expected) in cases {
            assert_eq!(murmur2(key) as u32, expected, "key {key:?}");
        }
    }

    #[test]
    fn murmur2_treats_bytes_as_unsigned() {
        // partitioners.md §3.2: a signed-byte port gets these wrong.
        assert_eq!(murmur2(&[0x80]), 857690492);
        assert_eq!(murmur2(&[0xff, 0x00]), 1945074367);
        assert_eq!(murmur2("ключ".as_bytes()), 2122343024);
        // And an arithmetic-shift port gets this one wrong.
        assert_eq!(murmur2(&[0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86]), -47880214);
    }

    #[test]
    fn to_positive_masks_the_sign_bit_instead_of_taking_abs() {
        assert_eq!(to_positive(-1), 2147483647);
        assert_eq!(to_positive(i32::MIN), 0);
        assert_eq!(to_positive(i32::MAX), i32::MAX);
        assert_eq!(to_positive(0), 0);
        assert_eq!(to_positive(-973932308), 1173551340);
    }

    #[test]
    fn partition_for_key_matches_published_cases() {
        // kafkajs#357: "100:48069", 12 partitions.
        assert_eq!(partition_for_key(b"100:48069", 12), 9);
        // kafkajs#1154: "TT0124", 15 partitions: Java 10.
        assert_eq!(partition_for_key(b"TT0124", 15), 10);
        // "foobar" on 12: abs() instead of the mask would give 2.
        assert_eq!(partition_for_key(b"foobar", 12), 6);
    }

    #[test]
    fn librdkafka_consistent_is_crc32_modulo_unsigned() {
        assert_eq!(crc32(b""), 0);
        // The CRC-32 (IEEE) check value.
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        // kafkajs#1154: "TT0124", 15 partitions: librdkafka default 9.
        assert_eq!(librdkafka_consistent(Some(b"TT0124"), 15), 9);
        // NULL and empty keys both go to partition 0 under `consistent`.
        assert_eq!(librdkafka_consistent(None, 12), 0);
        assert_eq!(librdkafka_consistent(Some(b""), 12), 0);
    }

    /// Sarama partitioner_test.go TestConsistentCRCHashPartitioner (n = 100);
    /// NewConsistentCRCHashPartitioner equals librdkafka `consistent`.
    #[test]
    fn librdkafka_consistent_matches_sarama_crc_test() {
        let cases: [(&[u8], u32); 5] = [
            (b"abc123def456", 57),
            (b"SheetJS", 26),
            (b"9e8c7f4cf45857cfff7645d6", 24),
            (b"3900446192ff85a5f67da10c", 75),
            (b"0f4407b7a67d6d27de372198", 50),
        ];
        for (key, expected) in cases {
            assert_eq!(librdkafka_consistent(Some(key), 100), expected, "key {key:?}");
        }
    }

    /// librdkafka src/rdfnv1a.c unittest_fnv1a: it checks the hash after the
    /// Sarama-style negation, i.e. |int32(fnv1a32)|.
    #[test]
    fn fnv1a32_matches_librdkafka_unittest() {
        let unaligned = b"PreAmbleWillBeRemoved,ThePrePartThatIs";
        let cases: [(&[u8], u32); 11] = [
            (b"kafka", 0x0d33_c4e1),
            (b"giberish123456789", 0x77a5_8295),
            (b"1234", 0x023b_dd03),
            (b"234", 0x2dea_3cd2),
            (b"34", 0x740f_a83e),
            (b"4", 0x310c_a263),
            (&unaligned[..], 0x65cb_d69c),
            (&unaligned[1..], 0x6e49_c79a),
            (&unaligned[2..], 0x69ee_d356),
            (&unaligned[3..], 0x6abc_c023),
            (b"", 0x7ee3_623b),
        ];
        for (key, expected) in cases {
            let negated = (fnv1a32(key) as i32).wrapping_abs() as u32;
            assert_eq!(negated, expected, "key {key:?}");
        }
        assert_eq!(fnv1a32(b""), 0x811c_9dc5);
    }

    #[test]
    fn sarama_fnv1a_takes_the_modulo_before_negating() {
        // Sarama TestHashPartitionerMinInt32: the hash is exactly 0x80000000.
        assert_eq!(fnv1a32(b"1468509572224"), 0x8000_0000);
        assert_eq!(sarama_fnv1a(b"1468509572224", 100), 48);
        assert!(sarama_fnv1a(b"1468509572224", 50) < 50);
        // The empty key is hashed: FNV("") as i32 = -2128831035.
        assert_eq!(sarama_fnv1a(b"", 12), 3);
        assert_eq!(sarama_fnv1a(b"", 100), 35);
    }

    #[test]
    fn zero_partitions_never_panics() {
        assert_eq!(partition_for_key(b"k", 0), 0);
        assert_eq!(librdkafka_consistent(Some(b"k"), 0), 0);
        assert_eq!(sarama_fnv1a(b"k", 0), 0);
        assert_eq!(explain(b"k", 0).num_partitions, 1);
        let mut rng = SplitMix64::new(1);
        assert_eq!(StickyPartitioner::default().partition(0, 10, &mut rng), 0);
    }

    #[test]
    fn explain_reports_every_family() {
        let e = explain(b"foobar", 12);
        assert_eq!(e.key_hex, "666f6f626172");
        assert_eq!(e.key_len, 6);
        assert_eq!(e.murmur2, -790332482);
        assert_eq!(e.murmur2_hex, "d0e47bbe");
        assert_eq!(e.to_positive, 1357151166);
        assert_eq!(e.partition, 6);
        assert_eq!(e.crc32, 2666930069);
        assert_eq!(e.librdkafka_consistent, 5);
        assert_eq!(e.librdkafka_consistent_random, Some(5));
        assert_eq!(e.fnv1a32, 3214735720);
        assert_eq!(e.sarama, 0);

        let empty = explain(b"", 100);
        assert_eq!(empty.key_hex, "");
        assert_eq!(empty.murmur2_hex, "106e08d9");
        assert_eq!(empty.partition, 81);
        assert_eq!(empty.librdkafka_consistent, 0);
        assert_eq!(empty.librdkafka_consistent_random, None);
        assert_eq!(empty.sarama, 35);
    }

    #[test]
    fn sticky_switches_once_batch_size_is_reached() {
        let mut rng = SplitMix64::new(42);
        let mut sticky = StickyPartitioner::default();
        assert_eq!(sticky.current(), None);
        let first = sticky.partition(1000, StickyPartitioner::BATCH_SIZE - 1, &mut rng);
        assert_eq!(sticky.current(), Some(first));
        // This record crosses the threshold: it still goes to `first`, and
        // the next partition is drawn right after.
        assert_eq!(sticky.partition(1000, 1, &mut rng), first);
        assert_eq!(sticky.produced_bytes, 0);
        assert!(sticky.current().is_some());
    }
}
