//! The partitioners against the ground-truth vectors of
//! `shared/vectors/partitioners.jsonl`: 597 keys × 10 partition counts, each
//! produced by the real client libraries (kafka-python, kafkajs, librdkafka,
//! Sarama) and a JVM reference (see `shared/kafka/partitioners.md` §3).
//!
//! The shared directory is `$KCP_SHARED_DIR` if set, else `../shared` next to
//! the crate. A missing vector file fails the tests: it is the evidence that
//! the hashes are Kafka's, so it must not be skipped silently.

use std::path::PathBuf;

use kcp::partitioner::{
    crc32, explain, fnv1a32, librdkafka_consistent, murmur2, partition_for_key, sarama_fnv1a, to_positive,
    StickyPartitioner,
};
use kcp::rng::SplitMix64;
use serde_json::Value;

/// How many keys the vector file holds (after its `_meta` line).
const EXPECTED_KEYS: usize = 597;

/// One key line of the vector file.
struct KeyVector {
    id: u64,
    key: Vec<u8>,
    line: Value,
}

/// The parsed vector file: the partition counts announced by `_meta`, and
/// every key line.
struct Vectors {
    partition_counts: Vec<u32>,
    keys: Vec<KeyVector>,
}

fn vectors_path() -> PathBuf {
    let shared = std::env::var_os("KCP_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")));
    shared.join("vectors").join("partitioners.jsonl")
}

fn decode_hex(hex: &str) -> Vec<u8> {
    hex.as_bytes()
        .chunks(2)
        .map(|pair| {
            let digits = std::str::from_utf8(pair).expect("key_hex is ASCII");
            assert_eq!(digits.len(), 2, "odd-length key_hex {hex:?}");
            u8::from_str_radix(digits, 16).expect("key_hex is hex")
        })
        .collect()
}

fn load_vectors() -> Vectors {
    let path = vectors_path();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the partitioner vectors at {}: {e}. \
             Set KCP_SHARED_DIR to the directory holding vectors/partitioners.jsonl.",
            path.display()
        )
    });

    let mut partition_counts = None;
    let mut keys = Vec::new();
    for (number, raw) in text.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let line: Value =
            serde_json::from_str(raw).unwrap_or_else(|e| panic!("{}:{}: not JSON: {e}", path.display(), number + 1));
        if line.get("_meta").and_then(Value::as_bool) == Some(true) {
            let counts = line["partition_counts"]
                .as_array()
                .expect("_meta.partition_counts is an array")
                .iter()
                .map(|n| n.as_u64().expect("partition count is a number") as u32)
                .collect::<Vec<_>>();
            partition_counts = Some(counts);
            continue;
        }
        let id = line["id"].as_u64().expect("id is a number");
        let key = decode_hex(line["key_hex"].as_str().expect("key_hex is a string"));
        assert_eq!(
            line["key_len"].as_u64(),
            Some(key.len() as u64),
            "key {id}: key_len does not match key_hex"
        );
        keys.push(KeyVector { id, key, line });
    }

    let partition_counts = partition_counts.expect("the vector file has a _meta line");
    assert!(!partition_counts.is_empty(), "_meta lists no partition counts");
    Vectors { partition_counts, keys }
}

impl KeyVector {
    fn int(&self, field: &str) -> i64 {
        self.line[field]
            .as_i64()
            .unwrap_or_else(|| panic!("key {}: {field} is not an integer", self.id))
    }

    /// A `{n: partition}` map, checked to cover every partition count.
    fn partitions(&self, field: &str, counts: &[u32]) -> Vec<(u32, u32)> {
        let map = self.line[field]
            .as_object()
            .unwrap_or_else(|| panic!("key {}: {field} is not an object", self.id));
        assert_eq!(
            map.len(),
            counts.len(),
            "key {}: {field} does not cover every partition count",
            self.id
        );
        counts
            .iter()
            .map(|&n| {
                let p = map
                    .get(&n.to_string())
                    .and_then(Value::as_u64)
                    .unwrap_or_else(|| panic!("key {}: {field} has no n={n}", self.id));
                (n, p as u32)
            })
            .collect()
    }
}

#[test]
fn the_vector_file_holds_every_expected_key() {
    let vectors = load_vectors();
    assert_eq!(vectors.keys.len(), EXPECTED_KEYS);
    assert_eq!(vectors.partition_counts, [1, 2, 3, 5, 6, 10, 12, 16, 50, 100]);
}

#[test]
fn java_default_partitioner_matches_every_vector() {
    let vectors = load_vectors();
    let mut checked = 0;
    for v in &vectors.keys {
        let hash = murmur2(&v.key);
        assert_eq!(i64::from(hash), v.int("murmur2"), "key {}: murmur2", v.id);
        assert_eq!(
            format!("{:08x}", hash as u32),
            v.line["murmur2_u32_hex"].as_str().unwrap(),
            "key {}: murmur2 as u32 hex",
            v.id
        );
        assert_eq!(
            i64::from(to_positive(hash)),
            v.int("to_positive"),
            "key {}: to_positive",
            v.id
        );
        for (n, expected) in v.partitions("java_murmur2", &vectors.partition_counts) {
            assert_eq!(
                partition_for_key(&v.key, n),
                expected,
                "key {} ({:?}), n={n}: java_murmur2",
                v.id,
                v.line["key_hex"]
            );
        }
        checked += 1;
    }
    assert_eq!(checked, EXPECTED_KEYS);
}

#[test]
fn librdkafka_consistent_partitioner_matches_every_vector() {
    let vectors = load_vectors();
    let mut checked = 0;
    for v in &vectors.keys {
        assert_eq!(i64::from(crc32(&v.key)), v.int("crc32"), "key {}: crc32", v.id);
        for (n, expected) in v.partitions("librdkafka_consistent", &vectors.partition_counts) {
            assert_eq!(
                librdkafka_consistent(Some(&v.key), n),
                expected,
                "key {}, n={n}: librdkafka_consistent",
                v.id
            );
        }
        checked += 1;
    }
    assert_eq!(checked, EXPECTED_KEYS);
    // The NULL key under `consistent` (from the _meta line): always 0.
    for &n in &vectors.partition_counts {
        assert_eq!(librdkafka_consistent(None, n), 0);
    }
}

#[test]
fn sarama_hash_partitioner_matches_every_vector() {
    let vectors = load_vectors();
    let mut checked = 0;
    for v in &vectors.keys {
        let hash = fnv1a32(&v.key);
        assert_eq!(i64::from(hash), v.int("fnv1a32"), "key {}: fnv1a32", v.id);
        assert_eq!(
            i64::from(hash as i32),
            v.int("fnv1a32_i32"),
            "key {}: fnv1a32 as i32",
            v.id
        );
        for (n, expected) in v.partitions("sarama_fnv1a", &vectors.partition_counts) {
            assert_eq!(sarama_fnv1a(&v.key, n), expected, "key {}, n={n}: sarama_fnv1a", v.id);
        }
        checked += 1;
    }
    assert_eq!(checked, EXPECTED_KEYS);
}

#[test]
fn explanation_agrees_with_every_vector() {
    let vectors = load_vectors();
    let mut checked = 0;
    for v in &vectors.keys {
        let java = v.partitions("java_murmur2", &vectors.partition_counts);
        let crc = v.partitions("librdkafka_consistent", &vectors.partition_counts);
        let sarama = v.partitions("sarama_fnv1a", &vectors.partition_counts);
        for i in 0..vectors.partition_counts.len() {
            let n = vectors.partition_counts[i];
            let e = explain(&v.key, n);
            assert_eq!(e.key_hex, v.line["key_hex"].as_str().unwrap(), "key {}", v.id);
            assert_eq!(e.key_len, v.key.len(), "key {}", v.id);
            assert_eq!(i64::from(e.murmur2), v.int("murmur2"), "key {}", v.id);
            assert_eq!(i64::from(e.to_positive), v.int("to_positive"), "key {}", v.id);
            assert_eq!(e.num_partitions, n);
            assert_eq!(e.partition, java[i].1, "key {}, n={n}: partition", v.id);
            assert_eq!(i64::from(e.crc32), v.int("crc32"), "key {}", v.id);
            assert_eq!(e.librdkafka_consistent, crc[i].1, "key {}, n={n}", v.id);
            assert_eq!(i64::from(e.fnv1a32), v.int("fnv1a32"), "key {}", v.id);
            assert_eq!(e.sarama, sarama[i].1, "key {}, n={n}: sarama", v.id);
            // `consistent_random` is a map for hashed keys and a string
            // ("random (sticky)...") for the empty key.
            match &v.line["librdkafka_consistent_random"] {
                Value::Object(map) => assert_eq!(
                    e.librdkafka_consistent_random.map(u64::from),
                    map[&n.to_string()].as_u64(),
                    "key {}, n={n}: consistent_random",
                    v.id
                ),
                _ => assert_eq!(e.librdkafka_consistent_random, None, "key {}", v.id),
            }
        }
        checked += 1;
    }
    assert_eq!(checked, EXPECTED_KEYS);
}

#[test]
fn partition_for_key_always_lies_below_the_partition_count() {
    let vectors = load_vectors();
    for v in &vectors.keys {
        for n in [1u32, 2, 7, 64, 1000, u32::MAX] {
            assert!(partition_for_key(&v.key, n) < n);
            assert!(librdkafka_consistent(Some(&v.key), n) < n);
            assert!(sarama_fnv1a(&v.key, n) < n);
        }
    }
}

#[test]
fn sticky_partitioner_is_deterministic_for_a_seed() {
    let place = |seed: u64| {
        let mut rng = SplitMix64::new(seed);
        let mut sticky = StickyPartitioner::default();
        (0..2000)
            .map(|i| sticky.partition(12, 100 + (i % 7) * 50, &mut rng))
            .collect::<Vec<_>>()
    };
    let first = place(20240611);
    assert_eq!(first, place(20240611));
    // Over ~500 KB the partitioner switched many times, so a different seed
    // gives a different placement.
    assert_ne!(first, place(1));
}

#[test]
fn sticky_partitioner_stays_on_one_partition_below_batch_size() {
    for seed in 0..50 {
        let mut rng = SplitMix64::new(seed);
        let mut sticky = StickyPartitioner::default();
        assert_eq!(sticky.current(), None);
        let first = sticky.partition(100, 100, &mut rng);
        assert_eq!(sticky.current(), Some(first));
        // 163 more records of 100 bytes: 16400 bytes in total, and the one
        // that reaches 16384 still lands on `first`.
        let mut produced = 100;
        while produced < StickyPartitioner::BATCH_SIZE {
            assert_eq!(sticky.partition(100, 100, &mut rng), first, "seed {seed}");
            produced += 100;
        }
    }
}

#[test]
fn sticky_partitioner_always_returns_a_partition_below_n() {
    let mut rng = SplitMix64::new(7);
    let mut sticky = StickyPartitioner::default();
    let mut seen = std::collections::BTreeSet::new();
    for i in 0..20_000u64 {
        // The partition count changes over time, to shrink below `current`.
        let n = [1u32, 3, 12, 2, 100][(i / 1000 % 5) as usize];
        let p = sticky.partition(n, 1 + i % 4000, &mut rng);
        assert!(p < n, "partition {p} for n={n}");
        if n == 100 {
            seen.insert(p);
        }
        assert!(sticky.current().is_some_and(|c| c < n));
    }
    // Switches really happen, and spread over the partitions.
    assert!(seen.len() > 10, "only {} distinct partitions", seen.len());
}
