//! The words of a script line: the tokenising helpers every command's parser
//! shares.
//!
//! A line is blank-separated words; options are `name=value` words; a
//! partition is `<topic>/<p>`; a duration is an integer with a unit. Errors
//! are the message of a syntax error (the caller adds `line N: `), worded as
//! the scenario contract words them.

use crate::topic_partition::TopicPartition;

/// What a command's parser returns: the message of a syntax error.
pub(crate) type ParseResult<T> = std::result::Result<T, String>;

/// The first blank-separated word and the rest (left-trimmed).
pub(crate) fn split_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], s[i..].trim_start()),
        None => (s, ""),
    }
}

/// Refuses anything after a command's last word.
pub(crate) fn no_extra(rest: &str, usage: &str) -> ParseResult<()> {
    if rest.trim().is_empty() {
        Ok(())
    } else {
        Err(format!("unexpected '{}'; usage: {usage}", rest.trim()))
    }
}

/// `name=value` words; a config's value may be empty (`cleanup.policy=`).
pub(crate) fn key_values(rest: &str) -> ParseResult<Vec<(String, String)>> {
    rest.split_whitespace()
        .map(|w| match w.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
            _ => Err(format!("expected <name>=<value>, got '{w}'")),
        })
        .collect()
}

/// An option's integer value.
pub(crate) fn parse_int(name: &str, v: &str) -> ParseResult<i64> {
    v.parse::<i64>()
        .map_err(|_| format!("{name} must be an integer, got '{v}'"))
}

/// An option's count (a non-negative integer).
pub(crate) fn parse_count(name: &str, v: &str) -> ParseResult<u64> {
    v.parse::<u64>()
        .map_err(|_| format!("{name} must be a non-negative integer, got '{v}'"))
}

/// `<topic>` or `<topic>/<p>`. Topic names cannot contain '/'.
pub(crate) fn parse_topic_partition(spec: &str) -> ParseResult<(String, Option<u32>)> {
    if spec.is_empty() {
        return Err("expected <topic> or <topic>/<partition>".into());
    }
    match spec.rsplit_once('/') {
        None => Ok((spec.to_string(), None)),
        Some((t, p)) => {
            let p = p
                .parse::<u32>()
                .map_err(|_| format!("'{spec}': the partition after '/' must be a non-negative integer"))?;
            if t.is_empty() {
                return Err(format!("'{spec}': missing topic name before '/'"));
            }
            Ok((t.to_string(), Some(p)))
        }
    }
}

/// `<topic>/<p>`, the partition required; `usage` is the error without it.
pub(crate) fn parse_partition(spec: &str, usage: &str) -> ParseResult<TopicPartition> {
    match parse_topic_partition(spec)? {
        (topic, Some(partition)) => Ok(TopicPartition::new(topic, partition)),
        (_, None) => Err(usage.into()),
    }
}

/// `<topic>` or `<topic>/<p>` as a script writes it.
pub(crate) fn topic_partition_word(topic: &str, partition: Option<u32>) -> String {
    match partition {
        Some(p) => format!("{topic}/{p}"),
        None => topic.to_string(),
    }
}

/// ` name=value` for each pair, as options are written after a command.
pub(crate) fn key_values_words(configs: &[(String, String)]) -> String {
    configs.iter().map(|(k, v)| format!(" {k}={v}")).collect()
}

/// `<integer><unit>` with unit ms, s, m, h or d.
///
/// # Errors
///
/// The syntax error's message when `d` is not such a duration or its
/// milliseconds overflow an `i64`.
pub fn parse_duration(d: &str) -> ParseResult<i64> {
    let split = d.find(|c: char| !c.is_ascii_digit()).unwrap_or(d.len());
    let (num, unit) = d.split_at(split);
    let bad = || format!("'{d}' is not a duration: use an integer with ms, s, m, h or d (e.g. 500ms, 10s, 1h, 7d)");
    let scale = match unit {
        "ms" => 1,
        "s" => 1000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return Err(bad()),
    };
    let too_long = || format!("'{d}' is too long a duration");
    let n: i64 = match num.parse() {
        Ok(n) => n,
        // All digits, but more than an i64 holds.
        Err(e) if *e.kind() == std::num::IntErrorKind::PosOverflow => return Err(too_long()),
        Err(_) => return Err(bad()),
    };
    n.checked_mul(scale).ok_or_else(too_long)
}

/// The largest whole unit: 90000 -> `90s`, 3600000 -> `1h`.
pub fn format_duration_word(ms: i64) -> String {
    for (unit, size) in [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000)] {
        if ms != 0 && ms % size == 0 {
            return format!("{}{unit}", ms / size);
        }
    }
    format!("{ms}ms")
}
