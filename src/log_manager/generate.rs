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

impl GenerateRequest<'_> {
    /// Record `i`'s value (1-based).
    fn value(&self, i: u64) -> String {
        let base = format!("v{i}");
        match self.value_bytes.map(|b| b as usize) {
            None => base,
            Some(w) if base.len() >= w => base[..w].to_string(),
            Some(w) => format!("{base}{}", ".".repeat(w - base.len())),
        }
    }
}

impl LogManager {
    /// Appends `count` single-record batches at the clock's now, partitions
    /// from the default partitioner. Record `i` (1-based) takes the key
    /// `key-<below(keys)>`, then, when `tombstones` > 0, is a tombstone if
    /// the next `next_f64()` is below it, else has the value `v<i>`.
    ///
    /// # Errors
    ///
    /// Checked up front, so a refusal appends nothing: the topic must exist,
    /// the largest record it can write (the longest key with the longest
    /// value) must pass the broker's checks, and the session's budget must
    /// hold `count` more records of at most that size
    /// ([`crate::error::Error::BudgetExceeded`], limit `records` or `bytes`:
    /// the product of count and size, never one field alone).
    pub fn generate(&mut self, req: GenerateRequest<'_>) -> Result<()> {
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
            req.value(req.count)
        };
        self.check_produce(&ProduceRequest::new(
            req.topic,
            Some(longest_key.as_bytes()),
            Some(longest_value.as_bytes()),
        ))?;
        let mut rng = SplitMix64::new(req.seed);
        for i in 1..=req.count {
            let key = format!("key-{}", rng.below(req.keys.get()));
            let tombstone = req.tombstones > 0.0 && rng.next_f64() < req.tombstones;
            let value = if tombstone { None } else { Some(req.value(i)) };
            self.produce(ProduceRequest::new(
                req.topic,
                Some(key.as_bytes()),
                value.as_deref().map(str::as_bytes),
            ))?;
        }
        Ok(())
    }
}
