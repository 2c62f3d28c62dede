//! `advance` and `clock`: the simulated clock (Kafka's `Time`, as its tests'
//! `MockTime` moves it). Nothing runs in the background while it moves: the
//! cleaner and the retention check run when asked.

use std::fmt;

use serde::Serialize;

use crate::error::Result;
use crate::log_manager::LogManager;
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

/// The clock afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ClockMoved {
    pub now_ms: i64,
}

impl ClockMoved {
    fn of(broker: &LogManager) -> Self {
        ClockMoved {
            now_ms: broker.now_ms(),
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
        broker.advance_ms(self.ms)?;
        Ok(ClockMoved::of(broker))
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
        broker.set_clock_ms(self.ms)?;
        Ok(ClockMoved::of(broker))
    }
}

impl fmt::Display for SetClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", Self::WORD, self.ms)
    }
}
