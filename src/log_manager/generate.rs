//! Record generation: many single-record batches over a key space, from a
//! seeded generator, as the scenario's `generate` appends them.
//!
//! Not in Kafka (the nearest is `kafka-producer-perf-test`, whose records
//! have no keys); the keys, values and draws are fixed by
//! `scenario-format.md` ("generate, exactly"), so that a seed always gives
//! the same log.

use std::num::NonZeroU64;

use super::{LogManager, ProduceRequest};
use crate::budget::Limit;
use crate::error::{Error, Result, UnknownTopicOrPartition};
use crate::partitioner::partition_for_key;
use crate::record::SimpleRecord;
use crate::rng::SplitMix64;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GenerateRequest<'a> {
    pub topic: &'a str,
    /// How many records (one batch each).
    pub count: u64,
    /// Keys are `key-0` .. `key-(keys-1)`.
    pub keys: NonZeroU64,
    /// The SplitMix64 seed of the key and tombstone draws.
    pub seed: u64,
    /// The chance that a record is a tombstone; 0 draws nothing for it.
    pub tombstones: f64,
    /// Values `v<i>` padded with `.` or cut to this length; `None`: as is.
    pub value_bytes: Option<u64>,
}

/// Record `i`'s value (1-based): `v<i>`, padded with `.` or cut to
/// `value_bytes` when given.
fn value_of(i: u64, value_bytes: Option<u64>) -> Vec<u8> {
    let mut value = Vec::new();
    write_value(&mut value, i, value_bytes);
    value
}

/// Writes record `i`'s value into `buf` (replacing what it held), so that a
/// generation reuses one buffer for all its values.
fn write_value(buf: &mut Vec<u8>, i: u64, value_bytes: Option<u64>) {
    buf.clear();
    buf.push(b'v');
    push_decimal(buf, i);
    if let Some(w) = value_bytes.and_then(|w| usize::try_from(w).ok()) {
        // Cut, or padded with '.' (up to 16 with a fixed-size write: see
        // `extend_short`).
        if w > buf.len() && w - buf.len() <= 16 {
            buf.extend_from_slice(&[b'.'; 16]);
        }
        buf.resize(w, b'.');
    }
}

/// In wasm, takes the memory a slice of `records` records will need from
/// the browser in one step, before appending them: the allocator otherwise
/// grows the wasm memory once per new segment, and each growth costs the
/// JavaScript engine far more than the allocation (measured in Node: 1M
/// records over 1 MiB segments spent about half their time growing memory).
/// The memory is returned to the allocator at once, which then hands it out
/// to the segments. Natively, nothing to do.
fn grow_heap_for(topic: &str, records: u64, broker: &LogManager) {
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    let Ok(t) = broker.topic(topic) else { return };
    // The largest a record of this generation can be is bounded by the
    // budget already checked; an estimate is enough (the heap is reused).
    let per_record = crate::batch::RECORD_BATCH_OVERHEAD + 32;
    let bytes = records
        .saturating_mul(per_record)
        .min(u64::try_from(t.config().segment_bytes).unwrap_or(0).saturating_mul(64));
    if let Ok(bytes) = usize::try_from(bytes) {
        if bytes > 1 << 20 {
            let mut room: Vec<u8> = Vec::new();
            if room.try_reserve_exact(bytes).is_ok() {
                std::hint::black_box(&mut room);
            }
        }
    }
}

/// Writes `key-<n>` into `buf` (replacing what it held).
fn write_key(buf: &mut Vec<u8>, n: u64) {
    buf.clear();
    buf.extend_from_slice(b"key-");
    push_decimal(buf, n);
}

/// Appends `n` in decimal, as `format!("{n}")` would, without formatting
/// machinery (this runs twice per generated record): in groups of eight
/// digits, each made in 32-bit arithmetic (wasm32 has no 64-bit
/// multiply-high, so a `u64` divided by 10 is a real division there; only a
/// number of nine digits or more takes one per group).
fn push_decimal(buf: &mut Vec<u8>, n: u64) {
    const GROUP: u64 = 100_000_000;
    if n >= GROUP {
        push_decimal(buf, n / GROUP);
        push_digits(buf, (n % GROUP) as u32, 8);
    } else {
        push_digits(buf, n as u32, 1);
    }
}

/// Appends `m` (below 10^8) in decimal, with leading zeros up to `width`
/// digits: made in one u64 and written with one fixed-size move, as a copy
/// of a length known only at run time is a `memory.copy` call in wasm.
#[inline(always)]
fn push_digits(buf: &mut Vec<u8>, mut m: u32, width: usize) {
    let (mut packed, mut len) = (0u64, 0);
    // At least one digit (`width` is 1 or more).
    loop {
        let q = div10(m);
        // Less significant digits move up: the last, most significant, is
        // the lowest byte, first in memory.
        packed = (packed << 8) | u64::from(b'0' + (m - q * 10) as u8);
        len += 1;
        m = q;
        if m == 0 && len >= width {
            break;
        }
    }
    let at = buf.len();
    buf.extend_from_slice(&packed.to_le_bytes());
    buf.truncate(at + len);
}

/// `m / 10` for every `u32`, as a multiply and a shift (what compilers do
/// natively; wasm's `i32.div_u` is a real division).
#[inline(always)]
fn div10(m: u32) -> u32 {
    ((u64::from(m) * 0xCCCC_CCCD) >> 35) as u32
}

/// A `generate` under way: what is left to append and the generator's
/// state, so that the records can be appended a few at a time (the page
/// yields to the browser between slices) with exactly the draws of one go.
/// Made by [`LogManager::start_generate`], after its checks.
#[derive(Debug, Clone, PartialEq)]
pub struct Generation {
    topic: String,
    keys: NonZeroU64,
    tombstones: f64,
    value_bytes: Option<u64>,
    count: u64,
    rng: SplitMix64,
    /// The next record's number (1-based); past `count` when done.
    next: u64,
    /// The largest record this generation can write (its longest key and
    /// value): while the broker accepts it, it accepts every record of the
    /// generation, so each slice checks it once instead of each record.
    longest_key: Vec<u8>,
    longest_value: Vec<u8>,
}

impl Generation {
    /// The topic the records go to.
    pub fn topic(&self) -> &str {
        &self.topic
    }

    /// Records to append in all.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Records appended so far.
    pub fn done(&self) -> u64 {
        self.next - 1
    }

    /// Whether every record has been appended.
    pub fn is_done(&self) -> bool {
        self.next > self.count
    }

    /// Makes record `next`'s draws (its key, then, with tombstones, whether
    /// it is one) and writes its key and value into the two buffers; returns
    /// the value, `None` for a tombstone.
    fn draw<'v>(&mut self, key: &mut Vec<u8>, value: &'v mut Vec<u8>) -> Option<&'v [u8]> {
        write_key(key, self.rng.below(self.keys.get()));
        let tombstone = self.tombstones > 0.0 && self.rng.next_f64() < self.tombstones;
        if tombstone {
            return None;
        }
        write_value(value, self.next, self.value_bytes);
        Some(value)
    }

    /// Passes over the record whose append [`LogManager::continue_generate`]
    /// just refused (its draws are made): a `load`'s producer drops a record
    /// the broker refused and sends the next.
    pub(crate) fn skip_refused(&mut self) {
        self.next += 1;
    }
}

impl LogManager {
    /// Appends `count` single-record batches at the clock's now, partitions
    /// from the default partitioner. Record `i` (1-based) takes the key
    /// `key-<below(keys)>`, then, when `tombstones` > 0, is a tombstone if
    /// the next `next_f64()` is below it, else has the value `v<i>`.
    /// The same as [`LogManager::start_generate`] and then
    /// [`LogManager::continue_generate`] until it is done.
    ///
    /// # Errors
    ///
    /// Those of [`LogManager::start_generate`]: checked up front, so a
    /// refusal appends nothing.
    pub fn generate(&mut self, req: GenerateRequest<'_>) -> Result<()> {
        let mut g = self.start_generate(req)?;
        self.continue_generate(&mut g, u64::MAX)?;
        Ok(())
    }

    /// Checks a `generate` up front and returns it ready to append (nothing
    /// is appended yet, and the broker is unchanged).
    ///
    /// # Errors
    ///
    /// The topic must exist, the largest record it can write (the longest
    /// key with the longest value) must pass the broker's checks, and the
    /// session's budget must hold `count` more records of at most that size
    /// ([`crate::error::Error::BudgetExceeded`], limit `records` or `bytes`:
    /// the product of count and size, never one field alone).
    pub fn start_generate(&self, req: GenerateRequest<'_>) -> Result<Generation> {
        let longest_key = format!("key-{}", req.keys.get() - 1);
        // Value lengths grow with `i` (`v<i>`), or are all `value_bytes`:
        // the last record's is the longest. Its length is computed, not
        // built, so that `value-bytes` far past the budget costs nothing.
        let longest_value_len = match req.value_bytes {
            Some(w) => w,
            None => format!("v{}", req.count).len() as u64,
        };
        self.check_budget("generate", Limit::Records, req.count)?;
        let per_record = (longest_key.len() as u64).saturating_add(longest_value_len);
        self.check_budget("generate", Limit::Bytes, req.count.saturating_mul(per_record))?;
        // With nothing to append only the topic is checked (and a huge
        // `value_bytes` is never built).
        let longest_value = if req.count == 0 {
            Vec::new()
        } else {
            value_of(req.count, req.value_bytes)
        };
        self.check_produce(&ProduceRequest::new(
            req.topic,
            Some(longest_key.as_bytes()),
            Some(&longest_value),
        ))?;
        Ok(Generation {
            topic: req.topic.to_string(),
            keys: req.keys,
            tombstones: req.tombstones,
            value_bytes: req.value_bytes,
            count: req.count,
            rng: SplitMix64::new(req.seed),
            next: 1,
            longest_key: longest_key.into_bytes(),
            longest_value,
        })
    }

    /// Appends up to `max_records` more records of a generation started by
    /// [`LogManager::start_generate`] on this broker (or on the copy it was
    /// cloned from), with the draws one go would make. Returns whether every
    /// record has been appended.
    ///
    /// # Errors
    ///
    /// The broker's refusal of a record (within one `generate` not
    /// expected: the largest was checked up front; a `load` continues later,
    /// after configs may have changed); the records before it stay appended.
    pub fn continue_generate(&mut self, g: &mut Generation, max_records: u64) -> Result<bool> {
        let end = g.count.min(g.next.saturating_add(max_records).saturating_sub(1));
        if g.next > end {
            return Ok(g.is_done());
        }
        let largest = ProduceRequest::new(&g.topic, Some(&g.longest_key), Some(&g.longest_value));
        if self.check_produce(&largest).is_err() {
            // A config changed since the start (a lower max.message.bytes,
            // say): each record goes through produce's own checks, and the
            // first refused one ends the slice with its error.
            return self.continue_generate_checked(g, end);
        }
        let now = self.clock.now_ms();
        grow_heap_for(&g.topic, end - g.next + 1, self);
        // The topic was checked when the generation started; a generation
        // continued on a broker without it (not the one it started on) is
        // refused as a produce would be.
        let Some(topic) = self.topics.get_mut(&g.topic) else {
            return Err(Error::UnknownTopicOrPartition(UnknownTopicOrPartition::Topic {
                topic: g.topic.clone(),
            }));
        };
        let (logs, config) = topic.logs_mut();
        let partitions = logs.len() as u32;
        // One key and one value buffer for the whole slice: each record's
        // bytes are written into them and copied once, into its batch.
        let (mut key, mut value) = (Vec::with_capacity(24), Vec::new());
        while g.next <= end {
            let value = g.draw(&mut key, &mut value);
            // What `produce` does for this record, without its checks:
            // `start_generate` checked the largest record and the budget
            // for all of them, and a keyed record at the clock's now passes
            // every check its largest passes. The partition is the
            // default partitioner's for a key (the sticky partition and
            // its draws are only for null keys); the batch carries now as
            // its timestamp under either timestamp type.
            // With one partition, every key's is 0: no murmur2 to compute.
            let p = if partitions == 1 {
                0
            } else {
                partition_for_key(&key, partitions) as usize
            };
            let record = SimpleRecord::new(now, Some(&key), value);
            let rng = &mut self.rng;
            logs[p].append_batch(&[record], config, now, now, || config.random_segment_jitter_ms(rng));
            self.usage.records += 1;
            self.usage.bytes += (key.len() + value.map_or(0, <[u8]>::len)) as u64;
            g.next += 1;
        }
        Ok(g.is_done())
    }

    /// [`Self::continue_generate`] with every record produced as one
    /// `produce` is, checks included.
    fn continue_generate_checked(&mut self, g: &mut Generation, end: u64) -> Result<bool> {
        let (mut key, mut value) = (Vec::with_capacity(24), Vec::new());
        while g.next <= end {
            let value = g.draw(&mut key, &mut value);
            self.produce_one(ProduceRequest::new(&g.topic, Some(&key), value))?;
            g.next += 1;
        }
        Ok(g.is_done())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::Budget;

    #[test]
    fn keys_and_values_are_written_as_the_contract_formats_them() {
        let mut buf = Vec::new();
        let edges = [
            u64::from(u32::MAX) - 1,
            u64::from(u32::MAX),
            1 << 32,
            (1 << 32) + 9,
            99_999_999,
            100_000_000,
            100_000_001,
            99_999_999_999,
            10_000_000_000_000_000,
        ];
        for n in [0, 7, 10, 99, 12_345, u64::MAX].into_iter().chain(edges) {
            write_key(&mut buf, n);
            assert_eq!(buf, format!("key-{n}").as_bytes());
        }
        assert_eq!(value_of(12, None), b"v12");
        assert_eq!(value_of(12, Some(6)), b"v12...");
        assert_eq!(value_of(12345, Some(3)), b"v12");
        assert_eq!(value_of(1, Some(0)), b"");
        for w in 0..40usize {
            assert_eq!(
                value_of(123, Some(w as u64)),
                format!("{:.<w$}", "v123").as_bytes()[..w]
            );
        }
    }

    fn broker() -> LogManager {
        let mut b = LogManager::with_budget(Budget::PAGE);
        let made = b.create_topic("t", 3, &[("cleanup.policy", "compact"), ("segment.bytes", "2000")]);
        assert!(made.is_ok(), "{made:?}");
        b
    }

    #[test]
    fn generating_in_chunks_is_generating_in_one_go() {
        let mut sizes = SplitMix64::new(11);
        for (seed, count, tombstones, value_bytes) in [
            (1, 3000, 0.0, None),
            (2, 2500, 0.2, Some(7)),
            (3, 1, 0.5, None),
            (4, 0, 0.0, None),
        ] {
            let req = GenerateRequest {
                topic: "t",
                count,
                keys: NonZeroU64::new(40).unwrap_or(NonZeroU64::MIN),
                seed,
                tombstones,
                value_bytes,
            };
            let mut whole = broker();
            assert!(whole.generate(req).is_ok());
            let mut sliced = broker();
            let mut g = sliced.start_generate(req).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!((g.topic(), g.count(), g.done()), ("t", count, 0));
            let mut chunks = 0;
            loop {
                let before = g.done();
                let done = sliced
                    .continue_generate(&mut g, sizes.below(400))
                    .unwrap_or_else(|e| panic!("{e}"));
                assert!(g.done() >= before);
                chunks += 1;
                if done {
                    break;
                }
            }
            assert!(count < 1000 || chunks > 5, "{chunks} chunks");
            assert_eq!(g.done(), count);
            assert!(g.is_done());
            assert!(format!("{whole:?}") == format!("{sliced:?}"), "seed {seed}: broker");
            assert_eq!(whole.usage(), sliced.usage(), "seed {seed}: usage");
        }
    }

    #[test]
    fn generating_is_producing_each_record() {
        for (timestamp_type, tombstones, value_bytes) in [
            ("CreateTime", 0.0, None),
            ("LogAppendTime", 0.3, Some(5)),
            ("CreateTime", 0.5, Some(40)),
        ] {
            let make = || {
                let mut b = broker();
                let set = b.alter_topic("t", &[("message.timestamp.type", timestamp_type)]);
                assert!(set.is_ok(), "{set:?}");
                b
            };
            let req = GenerateRequest {
                topic: "t",
                count: 700,
                keys: NonZeroU64::new(30).unwrap_or(NonZeroU64::MIN),
                seed: 9,
                tombstones,
                value_bytes,
            };
            let mut generated = make();
            assert!(generated.generate(req).is_ok());
            // The contract's records, one produce each.
            let mut produced = make();
            let mut rng = SplitMix64::new(9);
            for i in 1..=700 {
                let key = format!("key-{}", rng.below(30));
                let tombstone = tombstones > 0.0 && rng.next_f64() < tombstones;
                let value = (!tombstone).then(|| value_of(i, value_bytes));
                let r = produced.produce(ProduceRequest::new("t", Some(key.as_bytes()), value.as_deref()));
                assert!(r.is_ok(), "{r:?}");
            }
            assert!(format!("{generated:?}") == format!("{produced:?}"), "{timestamp_type}");
            assert_eq!(generated.usage(), produced.usage());
        }
    }

    #[test]
    fn a_refused_generation_starts_nothing() {
        let b = broker();
        let req = GenerateRequest {
            topic: "nope",
            count: 10,
            keys: NonZeroU64::MIN,
            seed: 1,
            tombstones: 0.0,
            value_bytes: None,
        };
        assert!(b.start_generate(req).is_err());
        let over = GenerateRequest {
            topic: "t",
            count: Budget::PAGE.records + 1,
            ..req
        };
        assert!(b.start_generate(over).is_err());
    }
}
