//! The simulated wall clock every broker decision reads.
//!
//! Models Kafka's `Time` (its tests use `MockTime`). The engine never reads
//! the machine's clock: time moves only when a script or a person says so,
//! which makes every run reproducible, natively and in the browser.

/// 2024-01-01T00:00:00Z, where every session starts.
pub const START_MS: i64 = 1_704_067_200_000;

/// 9999-12-31T23:59:59.999Z, the latest the clock may show. Kafka's clock
/// has no such bound, but a broker's sums of now and a config are Java longs
/// that wrap near the end of `i64`; the playground refuses to go there rather
/// than show what no broker will live to see (and keeps dates printable).
pub const MAX_MS: i64 = 253_402_300_799_999;

/// Milliseconds since the Unix epoch, moved by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    now_ms: i64,
}

impl Default for Clock {
    fn default() -> Self {
        Clock { now_ms: START_MS }
    }
}

impl Clock {
    /// A clock at `now_ms`.
    pub fn at(now_ms: i64) -> Self {
        Clock { now_ms }
    }

    /// The current simulated time in epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    /// Moves the clock by `ms` and returns the new time, or returns `None`
    /// and stays put when that is past [`MAX_MS`]: a clock that stopped
    /// silently at its end would lie.
    pub fn advance_ms(&mut self, ms: i64) -> Option<i64> {
        self.now_ms = self.now_ms.checked_add(ms).filter(|t| *t <= MAX_MS)?;
        Some(self.now_ms)
    }

    /// Sets the clock; it may move backwards (a teaching tool may rewind).
    pub fn set_ms(&mut self, now_ms: i64) {
        self.now_ms = now_ms;
    }
}

/// Formats epoch milliseconds as ISO-8601 UTC (`2024-01-01T00:00:00.000Z`),
/// without a date crate: the civil-from-days algorithm (H. Hinnant).
pub fn format_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        sod / 3600,
        (sod / 60) % 60,
        sod % 60
    )
}

/// Formats a duration in milliseconds the way a person reads it: `1d 2h`,
/// `3m 20s`, `250ms`.
pub fn format_duration(ms: i64) -> String {
    if ms == i64::MAX {
        return "forever".to_string();
    }
    let neg = ms < 0;
    let mut rest = ms.unsigned_abs();
    let mut parts = Vec::new();
    for (unit, size) in [("d", 86_400_000u64), ("h", 3_600_000), ("m", 60_000), ("s", 1000)] {
        if rest >= size {
            parts.push(format!("{}{unit}", rest / size));
            rest %= size;
        }
    }
    if rest > 0 || parts.is_empty() {
        parts.push(format!("{rest}ms"));
    }
    let s = parts.into_iter().take(2).collect::<Vec<_>>().join(" ");
    if neg {
        format!("-{s}")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_is_new_year_2024() {
        assert_eq!(format_utc(START_MS), "2024-01-01T00:00:00.000Z");
        assert_eq!(format_utc(START_MS + 86_400_000 * 60 + 1), "2024-03-01T00:00:00.001Z");
        assert_eq!(format_utc(0), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(86_400_000), "1d");
        assert_eq!(format_duration(90_061_000), "1d 1h");
        assert_eq!(format_duration(250), "250ms");
        assert_eq!(format_duration(0), "0ms");
    }

    #[test]
    fn advance_past_the_end_of_time_is_refused_not_saturated() {
        let mut c = Clock::at(MAX_MS - 1);
        assert_eq!(c.advance_ms(10), None);
        assert_eq!(c.now_ms(), MAX_MS - 1);
        assert_eq!(c.advance_ms(i64::MAX), None);
        assert_eq!(c.advance_ms(1), Some(MAX_MS));
    }
}
