//! `load`: a producer client sending keyed records at a steady rate over a
//! span of simulated time (as `kafka-producer-perf-test --throughput`, with
//! keys). Record `i` is due at `t0 + floor((i-1) x unit / n)`; the line
//! appends the records due at its own time, and `advance`, `clock` and `run`
//! append the rest when the clock reaches them (the broker's
//! [`LogManager::start_load`]). Keys, values and tombstones are those of
//! `generate` for the same seed.
//!
//! The parser refuses what cannot be a load (a rate of 0, a unit other than
//! `/s`, `/m`, `/h`, no keys, a bad duration); how many records a session
//! may send is the broker's budget, held whole when the line runs.

use std::fmt;
use std::num::NonZeroU64;

use serde::Serialize;

use crate::error::Result;
use crate::log_manager::{LoadRequest, LogManager, RateUnit, DEFAULT_SEED};
use crate::scenario::command::generate::MAX_VALUE_BYTES;
use crate::scenario::lexer::{format_duration_word, key_values, parse_count, parse_duration, split_word, ParseResult};

/// `load <topic> rate=<n>/s|/m|/h keys=<k> for=<duration> [seed=<s>] [tombstones=<f>] [value-bytes=<b>]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Load {
    pub topic: String,
    /// Records per `unit`.
    pub rate: NonZeroU64,
    pub unit: RateUnit,
    /// Keys are `key-0` .. `key-(keys-1)`.
    pub keys: NonZeroU64,
    /// How long the producer sends, in milliseconds.
    pub for_ms: i64,
    pub seed: u64,
    /// The chance that a record is a tombstone, from 0 to 1.
    pub tombstones: f64,
    /// Values padded with `.` or cut to this length; `None`: `v<i>`.
    pub value_bytes: Option<u64>,
}

/// What the line started, and what it appended at once.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Loaded {
    pub topic: String,
    /// Records the load sends in all.
    pub count: u64,
    /// When its last record is due (`null` when it sends none).
    pub last_ms: Option<i64>,
    /// Records due at the line's own time, appended by it (absent when none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appended: Option<u64>,
    /// Records the broker refused when they were due (absent when none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<u64>,
}

const USAGE: &str = "usage: load <topic> rate=<n>/s|/m|/h keys=<k> for=<duration> [seed=<s>] \
                     [tombstones=<fraction>] [value-bytes=<b>]";

/// `<n>/s`, `<n>/m` or `<n>/h` with `n` at least 1.
fn parse_rate(v: &str) -> ParseResult<(NonZeroU64, RateUnit)> {
    let bad = || format!("rate must be <records>/s, /m or /h with at least 1 record (e.g. rate=1000/s), got '{v}'");
    let (n, unit) = v.split_once('/').ok_or_else(bad)?;
    let unit = match unit {
        "s" => RateUnit::Second,
        "m" => RateUnit::Minute,
        "h" => RateUnit::Hour,
        _ => return Err(bad()),
    };
    let n = n.parse::<u64>().ok().and_then(NonZeroU64::new).ok_or_else(bad)?;
    Ok((n, unit))
}

impl Load {
    pub const WORD: &'static str = "load";

    pub(crate) fn parse(rest: &str) -> ParseResult<Self> {
        let (topic, rest) = split_word(rest);
        if topic.is_empty() {
            return Err(USAGE.into());
        }
        let (mut rate, mut keys, mut for_ms) = (None, None, None);
        let (mut seed, mut tombstones, mut value_bytes) = (DEFAULT_SEED, 0.0, None);
        for (k, v) in key_values(rest)? {
            match k.as_str() {
                "rate" => rate = Some(parse_rate(&v)?),
                "keys" => {
                    let n = parse_count(&k, &v)?;
                    keys = Some(NonZeroU64::new(n).ok_or("keys must be at least 1")?);
                }
                "for" => {
                    for_ms = Some(parse_duration(&v).map_err(|e| format!("for: {e}"))?);
                }
                "seed" => {
                    seed = v
                        .parse::<u64>()
                        .map_err(|_| format!("seed must be a non-negative integer, got '{v}'"))?
                }
                "tombstones" => {
                    tombstones = v
                        .parse::<f64>()
                        .ok()
                        .filter(|f| (0.0..=1.0).contains(f))
                        .ok_or_else(|| format!("tombstones must be a fraction from 0 to 1, got '{v}'"))?;
                }
                "value-bytes" => {
                    let b = parse_count(&k, &v)?;
                    if b > MAX_VALUE_BYTES {
                        return Err(format!("value-bytes may be at most {MAX_VALUE_BYTES}"));
                    }
                    value_bytes = Some(b);
                }
                _ => return Err(format!("unknown option '{k}' for load; {USAGE}")),
            }
        }
        let (Some((rate, unit)), Some(keys), Some(for_ms)) = (rate, keys, for_ms) else {
            return Err(USAGE.into());
        };
        Ok(Load {
            topic: topic.to_string(),
            rate,
            unit,
            keys,
            for_ms,
            seed,
            tombstones,
            value_bytes,
        })
    }

    pub(crate) fn execute(&self, broker: &mut LogManager) -> Result<Loaded> {
        let started = broker.start_load(LoadRequest {
            topic: &self.topic,
            rate: self.rate,
            unit: self.unit,
            // A duration never parses negative; the page builds the struct.
            for_ms: u64::try_from(self.for_ms).unwrap_or(0),
            keys: self.keys,
            seed: self.seed,
            tombstones: self.tombstones,
            value_bytes: self.value_bytes,
        })?;
        Ok(Loaded {
            topic: self.topic.clone(),
            count: started.count,
            last_ms: started.last_ms,
            appended: (started.appended.appended > 0).then_some(started.appended.appended),
            refused: (started.appended.refused > 0).then_some(started.appended.refused),
        })
    }
}

/// The seed is always written, so that the line replays the same records.
impl fmt::Display for Load {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} rate={}/{} keys={} for={} seed={}",
            Self::WORD,
            self.topic,
            self.rate,
            self.unit.suffix(),
            self.keys,
            format_duration_word(self.for_ms),
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
