//! Number, size and time formatting shared by the page's components.

use crate::clock::{format_duration, format_utc, START_MS};

/// `1 234 567` style grouping with thin spaces, readable in a dense UI.
pub fn count(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(ch);
    }
    out
}

/// Bytes as `812 B`, `12.4 KiB`, `3.1 MiB`.
pub fn bytes(n: u64) -> String {
    const KI: f64 = 1024.0;
    let f = n as f64;
    if n < 1024 {
        format!("{n} B")
    } else if f < KI * KI {
        format!("{:.1} KiB", f / KI)
    } else if f < KI * KI * KI {
        format!("{:.1} MiB", f / KI / KI)
    } else {
        format!("{:.1} GiB", f / KI / KI / KI)
    }
}

/// A ratio as `0.42`.
pub fn ratio(r: f64) -> String {
    format!("{r:.2}")
}

/// The simulated time, `2024-01-01 00:00:00` (UTC, no millis when zero).
pub fn time(ms: i64) -> String {
    let s = format_utc(ms);
    let s = s.strip_suffix(".000Z").map(|x| format!("{x}Z")).unwrap_or(s);
    s.replacen('T', " ", 1)
}

/// Time of day only, `00:05:00`, for dense lists.
pub fn time_of_day(ms: i64) -> String {
    let s = format_utc(ms);
    s.get(11..19).unwrap_or(&s).to_string()
}

/// Month, day and time, `01-02 00:05`, for tight labels.
pub fn short(ms: i64) -> String {
    let s = format_utc(ms);
    s.get(5..16).map(|x| x.replacen('T', " ", 1)).unwrap_or(s)
}

/// Month, day and time to the second, and to the millisecond when it has
/// any (`01-01 00:00:11.100`): a delete horizon, where 100 ms can matter.
pub fn short_precise(ms: i64) -> String {
    let s = format_utc(ms);
    let end = if s.get(20..23) == Some("000") { 19 } else { 23 };
    s.get(5..end).map(|x| x.replacen('T', " ", 1)).unwrap_or(s)
}

/// How far the clock is from the session start: `+1d 2h`.
pub fn since_start(ms: i64) -> String {
    let d = ms.saturating_sub(START_MS);
    if d == 0 {
        "start".to_string()
    } else {
        format!("+{}", format_duration(d))
    }
}

/// The time since the session start for lists: `+0s`, `+1d 2h`.
pub fn offset_from_start(ms: i64) -> String {
    format!("+{}", format_duration(ms.saturating_sub(START_MS)).replace("0ms", "0s"))
}

/// A span of simulated time, `1h 30m` (`0s` for none).
pub fn duration(ms: i64) -> String {
    if ms <= 0 {
        return "0s".to_string();
    }
    format_duration(ms)
}

/// A duration in milliseconds for a config value, if it is one.
pub fn duration_hint(name: &str, value: &str) -> Option<String> {
    if !name.ends_with(".ms") {
        return None;
    }
    let ms: i64 = value.trim().parse().ok()?;
    if ms == i64::MAX {
        return Some("forever".to_string());
    }
    if ms < 1000 {
        return None;
    }
    Some(format_duration(ms))
}

/// A size in bytes for a config value, if it is one.
pub fn bytes_hint(name: &str, value: &str) -> Option<String> {
    if !(name.ends_with(".bytes") || name.ends_with(".size")) {
        return None;
    }
    let n: u64 = value.trim().parse().ok()?;
    (n >= 1024).then(|| bytes(n))
}

/// The offsets `[from, to)` written as the page writes every range of
/// offsets: inclusive, `3–7`, or `3` alone, or `none` when empty.
pub fn offsets(from: i64, to: i64) -> String {
    match to - from {
        n if n <= 0 => "none".to_string(),
        1 => format!("{from}"),
        _ => format!("{from}–{}", to - 1),
    }
}

/// Cuts text to `max` characters with an ellipsis.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn horizons_show_seconds_and_milliseconds_when_they_have_them() {
        assert_eq!(short_precise(1_704_067_211_000), "01-01 00:00:11");
        assert_eq!(short_precise(1_704_067_211_100), "01-01 00:00:11.100");
    }

    #[test]
    fn offset_ranges_are_written_one_way() {
        assert_eq!(offsets(0, 3), "0–2");
        assert_eq!(offsets(4, 5), "4");
        assert_eq!(offsets(5, 5), "none");
    }

    #[test]
    fn formats() {
        assert_eq!(count(1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(bytes(2048), "2.0 KiB");
        assert_eq!(time(START_MS), "2024-01-01 00:00:00Z");
        assert_eq!(since_start(START_MS + 61_000), "+1m 1s");
        assert_eq!(duration_hint("delete.retention.ms", "86400000").as_deref(), Some("1d"));
        assert_eq!(clip("abcdef", 4), "abc…");
    }
}
