//! `generate`: many single-record batches over a key space, from a seeded
//! generator (a stand-in for `kafka-producer-perf-test`, with keys).
//!
//! The records themselves (keys, values, tombstones, the SplitMix64 draws)
//! are the broker's [`LogManager::generate`]; this file reads the line. How
//! many records and bytes a session may append is the broker's budget
//! ([`crate::budget::Budget`]), checked on the product of count and size
//! before anything is appended; the parser only refuses a value longer than
//! [`MAX_VALUE_BYTES`].

use std::fmt;
use std::num::NonZeroU64;

use serde::Serialize;

use crate::error::Result;
use crate::log_manager::{GenerateRequest, LogManager, DEFAULT_SEED};
use crate::scenario::lexer::{key_values, parse_count, split_word, ParseResult};

/// The longest value `generate` may write (one record; the session's total
/// is the budget's `bytes`).
pub const MAX_VALUE_BYTES: u64 = 1 << 20;

/// `generate <topic> count=<n> keys=<k> [seed=<s>] [tombstones=<fraction>] [value-bytes=<b>]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Generate {
    pub topic: String,
    pub count: u64,
    /// Keys are `key-0` .. `key-(keys-1)`.
    pub keys: NonZeroU64,
    pub seed: u64,
    /// The chance that a record is a tombstone, from 0 to 1.
    pub tombstones: f64,
    /// Values padded with `.` or cut to this length; `None`: `v<i>`.
    pub value_bytes: Option<u64>,
}

/// How many records were appended.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Generated {
    pub topic: String,
    pub count: u64,
}

const USAGE: &str = "usage: generate <topic> count=<n> keys=<k> [seed=<s>] [tombstones=<fraction>] [value-bytes=<b>]";

fn check_value_bytes(bytes: u64) -> ParseResult<()> {
    if bytes > MAX_VALUE_BYTES {
        return Err(format!("value-bytes may be at most {MAX_VALUE_BYTES}"));
    }
    Ok(())
}

impl Generate {
    pub const WORD: &'static str = "generate";

    pub(crate) fn parse(rest: &str) -> ParseResult<Self> {
        let (topic, rest) = split_word(rest);
        if topic.is_empty() {
            return Err(USAGE.into());
        }
        let (mut count, mut keys, mut seed, mut tombstones, mut value_bytes) = (None, None, DEFAULT_SEED, 0.0, None);
        for (k, v) in key_values(rest)? {
            match k.as_str() {
                "count" => count = Some(parse_count(&k, &v)?),
                "keys" => keys = Some(parse_count(&k, &v)?),
                "seed" => {
                    seed = v
                        .parse::<u64>()
                        .map_err(|_| format!("seed must be a non-negative integer, got '{v}'"))?
                }
                "tombstones" => {
                    tombstones = v
                        .parse::<f64>()
                        .map_err(|_| format!("tombstones must be a fraction from 0 to 1, got '{v}'"))?;
                    if !(0.0..=1.0).contains(&tombstones) {
                        return Err(format!("tombstones must be a fraction from 0 to 1, got '{v}'"));
                    }
                }
                "value-bytes" => {
                    let b = parse_count(&k, &v)?;
                    check_value_bytes(b)?;
                    value_bytes = Some(b);
                }
                _ => return Err(format!("unknown option '{k}' for generate; {USAGE}")),
            }
        }
        let (Some(count), Some(keys)) = (count, keys) else {
            return Err(USAGE.into());
        };
        let keys = NonZeroU64::new(keys).ok_or("keys must be at least 1")?;
        Ok(Generate {
            topic: topic.to_string(),
            count,
            keys,
            seed,
            tombstones,
            value_bytes,
        })
    }

    pub(crate) fn execute(&self, broker: &mut LogManager) -> Result<Generated> {
        broker.generate(GenerateRequest {
            topic: &self.topic,
            count: self.count,
            keys: self.keys,
            seed: self.seed,
            tombstones: self.tombstones,
            value_bytes: self.value_bytes,
        })?;
        Ok(Generated {
            topic: self.topic.clone(),
            count: self.count,
        })
    }
}

/// The seed is always written, so that the line replays the same records.
impl fmt::Display for Generate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} count={} keys={} seed={}",
            Self::WORD,
            self.topic,
            self.count,
            self.keys,
            self.seed
        )?;
        if self.tombstones > 0.0 {
            write!(f, " tombstones={}", self.tombstones)?;
        }
        if let Some(b) = self.value_bytes {
            write!(f, " value-bytes={b}")?;
        }
        Ok(())
    }
}
