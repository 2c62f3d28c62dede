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
use crate::error::Result;
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
fn value_of(i: u64, value_bytes: Option<u64>) -> String {
    let base = format!("v{i}");
    match value_bytes.map(|b| b as usize) {
        None => base,
        Some(w) if base.len() >= w => base[..w].to_string(),
        Some(w) => format!("{base}{}", ".".repeat(w - base.len())),
    }
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
            String::new()
        } else {
            value_of(req.count, req.value_bytes)
        };
        self.check_produce(&ProduceRequest::new(
            req.topic,
            Some(longest_key.as_bytes()),
            Some(longest_value.as_bytes()),
        ))?;
        Ok(Generation {
            topic: req.topic.to_string(),
            keys: req.keys,
            tombstones: req.tombstones,
            value_bytes: req.value_bytes,
            count: req.count,
            rng: SplitMix64::new(req.seed),
            next: 1,
        })
    }

    /// Appends up to `max_records` more records of a generation started by
    /// [`LogManager::start_generate`] on this broker (or on the copy it was
    /// cloned from), with the draws one go would make. Returns whether every
    /// record has been appended.
    ///
    /// # Errors
    ///
    /// The broker's refusal of a record (not expected: the largest was
    /// checked up front); the records before it stay appended.
    pub fn continue_generate(&mut self, g: &mut Generation, max_records: u64) -> Result<bool> {
        let end = g.count.min(g.next.saturating_add(max_records).saturating_sub(1));
        while g.next <= end {
            let i = g.next;
            let key = format!("key-{}", g.rng.below(g.keys.get()));
            let tombstone = g.tombstones > 0.0 && g.rng.next_f64() < g.tombstones;
            let value = if tombstone {
                None
            } else {
                Some(value_of(i, g.value_bytes))
            };
            self.produce(ProduceRequest::new(
                &g.topic,
                Some(key.as_bytes()),
                value.as_deref().map(str::as_bytes),
            ))?;
            g.next += 1;
        }
        Ok(g.is_done())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::Budget;

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
