//! `run`: the broker works for a span of simulated time, as a broker does:
//! scheduled load records appended when due, the cleaner threads on Kafka's
//! schedule (`log.cleaner.backoff.ms` after an idle iteration, at once again
//! after a cleaning) and the retention check every
//! `log.retention.check.interval.ms`, in time order; then the clock stands at
//! the end. The broker's [`LogManager::run_for`] does it; this file reads the
//! line and shapes the step's JSON (`appended`, `cleanings`,
//! `deleted_segments`, as `scenario-format.md` has them).

use std::fmt;

use serde::Serialize;

use crate::error::Result;
use crate::log_manager::{BrokerRun, LogManager, TimedCleaning};
use crate::scenario::lexer::{format_duration_word, parse_duration, ParseResult};

/// `run <duration>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub ms: i64,
}

/// What the broker did while it ran.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ran {
    /// The clock at the end.
    pub now_ms: i64,
    /// Load records appended.
    pub appended: u64,
    /// Every cleaning, in time order, with the time it happened.
    pub cleanings: Vec<TimedCleaning>,
    /// Segments deleted by the cleaner threads and the retention checks.
    pub deleted_segments: u64,
    /// Cleaner-thread iterations, idle ones included.
    pub cleaner_iterations: u64,
    /// Retention checks made.
    pub retention_checks: u64,
    /// Load records the broker refused when they were due (absent when none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<u64>,
}

impl Ran {
    /// What a run that did `run` says, the clock now at `now_ms` (also for a
    /// `run` done in pieces: [`LogManager::continue_run`]).
    pub fn of(now_ms: i64, run: BrokerRun) -> Ran {
        Ran {
            now_ms,
            appended: run.appended.appended,
            cleanings: run.cleanings,
            deleted_segments: run.deleted_segments,
            cleaner_iterations: run.cleaner_iterations,
            retention_checks: run.retention_checks,
            refused: (run.appended.refused > 0).then_some(run.appended.refused),
        }
    }
}

impl Run {
    pub const WORD: &'static str = "run";

    pub(crate) fn parse(rest: &str) -> ParseResult<Self> {
        let d = rest.trim();
        if d.is_empty() || d.split_whitespace().count() != 1 {
            return Err("usage: run <duration>, e.g. run 1h (units: ms, s, m, h, d)".into());
        }
        Ok(Run { ms: parse_duration(d)? })
    }

    pub(crate) fn execute(&self, broker: &mut LogManager) -> Result<Ran> {
        let run = broker.run_for(self.ms)?;
        Ok(Ran::of(broker.now_ms(), run))
    }
}

/// In the largest whole unit (`run 90s`, `run 1h`).
impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", Self::WORD, format_duration_word(self.ms))
    }
}
