//! `advance` and `clock`: the simulated clock (Kafka's `Time`, as its tests'
//! `MockTime` moves it). The broker's background work stays paused while it
//! moves (the step-by-step mode: the cleaner and the retention check run when
//! asked, or in a `run`), except that the records of a `load` whose times the
//! clock passes are appended, each at its own time.

use std::fmt;

use serde::Serialize;

use crate::error::Result;
use crate::log_manager::{LoadAppends, LogManager};
use crate::scenario::lexer::{format_duration_word, parse_duration, ParseResult};

/// `advance <duration>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Advance {
    pub ms: i64,
}

/// `clock <epoch ms>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetClock {
    pub ms: i64,
}

/// The clock afterwards, and the load records appended on the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ClockMoved {
    pub now_ms: i64,
    /// Load records appended (absent when none, as before loads existed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appended: Option<u64>,
    /// Load records the broker refused when they were due (absent when none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<u64>,
}

impl ClockMoved {
    fn of(broker: &LogManager, loads: LoadAppends) -> Self {
        ClockMoved {
            now_ms: broker.now_ms(),
            appended: (loads.appended > 0).then_some(loads.appended),
            refused: (loads.refused > 0).then_some(loads.refused),
        }
    }
}

impl Advance {
    pub const WORD: &'static str = "advance";

    pub(crate) fn parse(rest: &str) -> ParseResult<Self> {
        let d = rest.trim();
        if d.is_empty() || d.split_whitespace().count() != 1 {
            return Err("usage: advance <duration>, e.g. advance 10s (units: ms, s, m, h, d)".into());
        }
        Ok(Advance { ms: parse_duration(d)? })
    }

    pub(crate) fn execute(&self, broker: &mut LogManager) -> Result<ClockMoved> {
        let loads = broker.advance_ms(self.ms)?;
        Ok(ClockMoved::of(broker, loads))
    }
}

/// In the largest whole unit (`advance 90s`, `advance 1h`).
impl fmt::Display for Advance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", Self::WORD, format_duration_word(self.ms))
    }
}

impl SetClock {
    pub const WORD: &'static str = "clock";

    pub(crate) fn parse(rest: &str) -> ParseResult<Self> {
        let v = rest.trim();
        let ms = v
            .parse::<i64>()
            .map_err(|_| format!("usage: clock <epoch ms>; '{v}' is not an integer"))?;
        Ok(SetClock { ms })
    }

    pub(crate) fn execute(&self, broker: &mut LogManager) -> Result<ClockMoved> {
        let loads = broker.set_clock_ms(self.ms)?;
        Ok(ClockMoved::of(broker, loads))
    }
}

impl fmt::Display for SetClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", Self::WORD, self.ms)
    }
}
