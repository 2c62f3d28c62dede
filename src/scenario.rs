//! The scenario language: the playground's text form.
//!
//! Tutorial authors write it in their pages, URLs carry it, the page shows
//! the session as a script, and the CLI runs it. One command per line; the
//! grammar and the JSON of [`RunOutput`] are a contract (`scenario-format.md`)
//! that tests outside the project rely on: extend it, never change it.
//!
//! Parsing is all-or-nothing (a syntax error names its line and nothing
//! runs); running is step by step (a rejected command is recorded with
//! Kafka's error and changes nothing, and the next line runs).

pub mod builtin;

use std::fmt;

use serde::Serialize;

use crate::cleaner::manager::LogToClean;
use crate::cleaner::CleanResult;
use crate::error::{Error, InvalidRequest, Result};
use crate::log::retention::SegmentDeletion;
use crate::log_manager::{CleanerRun, LogManager, ProduceRequest, DEFAULT_SEED};
use crate::report;
use crate::rng::SplitMix64;
use crate::snapshot::{BrokerSnapshot, RecordSnapshot, TopicSnapshot};

/// Limits that keep a script from freezing a browser tab.
pub const MAX_GENERATE_COUNT: u64 = 5_000_000;
pub const MAX_VALUE_BYTES: u64 = 1 << 20;

/// A parse failure: `line N: message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyntaxError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for SyntaxError {}

/// One parsed command.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Topic {
        name: String,
        partitions: Option<i64>,
        configs: Vec<(String, String)>,
    },
    Alter {
        topic: String,
        configs: Vec<(String, String)>,
    },
    /// Removes topic overrides (`kafka-configs --alter --delete-config`).
    Unset {
        topic: String,
        names: Vec<String>,
    },
    Broker {
        configs: Vec<(String, String)>,
    },
    /// `produce` and `tombstone` (a tombstone has `value: None`).
    Produce {
        topic: String,
        partition: Option<u32>,
        timestamp_ms: Option<i64>,
        key: Option<String>,
        value: Option<String>,
    },
    Generate {
        topic: String,
        count: u64,
        keys: u64,
        seed: u64,
        tombstones: f64,
        value_bytes: Option<u64>,
    },
    Advance {
        ms: i64,
    },
    Clock {
        ms: i64,
    },
    Roll {
        topic: String,
        partition: Option<u32>,
    },
    Clean {
        target: Option<(String, u32)>,
    },
    Retention,
    Consume {
        topic: String,
        partition: u32,
        from: Option<i64>,
        max: Option<u64>,
    },
}

/// A command with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// 1-based line number in the script.
    pub line: usize,
    /// The command's first word as written (`produce`, `tombstone`, ...).
    pub word: String,
    /// The line as written, trimmed.
    pub text: String,
    pub command: Command,
}

/// The result of one step, as `run --json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct StepResult {
    pub line: usize,
    pub command: String,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Kafka's exception name for the error (`InvalidConfigurationException`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    /// produce: the roll this append caused (`segment.bytes`, `segment.ms`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rolled: Option<String>,
    /// roll: the partitions that got a new active segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rolled_partitions: Option<Vec<u32>>,
    /// generate: how many records were appended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// advance / clock: the clock afterwards.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub now_ms: Option<i64>,
    /// clean: every compacted partition considered, and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selection: Option<Vec<LogToClean>>,
    /// clean: what was cleaned (`null` when nothing was).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cleaned: Option<Option<CleanResult>>,
    /// clean / retention: segments deleted by retention.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted: Option<Vec<SegmentDeletion>>,
    /// clean: the cleaner's log, in Kafka's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<Vec<String>>,
    /// consume: what the consumer received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<Vec<RecordSnapshot>>,
    /// A sentence for people (e.g. a fetch that started past removed offsets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `run --json`: the broker at the end, and every step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunOutput {
    pub now_ms: i64,
    pub topics: Vec<TopicSnapshot>,
    pub steps: Vec<StepResult>,
    pub broker_config: std::collections::BTreeMap<String, String>,
}

/// Parses a whole script; the first syntax error stops it.
pub fn parse(script: &str) -> std::result::Result<Vec<Step>, SyntaxError> {
    let mut steps = Vec::new();
    for (i, raw) in script.lines().enumerate() {
        let line = i + 1;
        let text = raw.trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let command = parse_line(text).map_err(|message| SyntaxError { line, message })?;
        let word = text.split_whitespace().next().unwrap_or_default().to_string();
        steps.push(Step {
            line,
            word,
            text: text.to_string(),
            command,
        });
    }
    Ok(steps)
}

/// Parses and runs a script on a new broker.
pub fn run(script: &str) -> std::result::Result<RunOutput, SyntaxError> {
    let steps = parse(script)?;
    let mut broker = LogManager::default();
    let results = steps.iter().map(|s| run_step(&mut broker, s)).collect();
    Ok(output(&broker, results))
}

/// The JSON view of a broker and the results of its steps.
pub fn output(broker: &LogManager, steps: Vec<StepResult>) -> RunOutput {
    let snap = BrokerSnapshot::of(broker);
    RunOutput {
        now_ms: snap.now_ms,
        topics: snap.topics,
        steps,
        broker_config: snap.broker_config,
    }
}

/// Runs one step; a rejected command leaves the broker as it was.
pub fn run_step(broker: &mut LogManager, step: &Step) -> StepResult {
    let base = StepResult {
        line: step.line,
        command: step.word.clone(),
        ok: true,
        ..Default::default()
    };
    match execute(broker, &step.command, base.clone()) {
        Ok(r) => r,
        Err(e) => StepResult {
            ok: false,
            error: Some(e.to_string()),
            error_name: Some(e.kafka_name().to_string()),
            ..base
        },
    }
}

fn pairs(configs: &[(String, String)]) -> Vec<(&str, &str)> {
    configs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

fn execute(broker: &mut LogManager, command: &Command, mut r: StepResult) -> Result<StepResult> {
    match command {
        Command::Topic {
            name,
            partitions,
            configs,
        } => {
            broker.create_topic(name, partitions.unwrap_or(1), &pairs(configs))?;
            r.topic = Some(name.clone());
        }
        Command::Alter { topic, configs } => {
            broker.alter_topic(topic, &pairs(configs))?;
            r.topic = Some(topic.clone());
        }
        Command::Unset { topic, names } => {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            broker.delete_topic_configs(topic, &names)?;
            r.topic = Some(topic.clone());
        }
        Command::Broker { configs } => broker.alter_broker(&pairs(configs))?,
        Command::Produce {
            topic,
            partition,
            timestamp_ms,
            key,
            value,
        } => {
            let res = broker.produce(ProduceRequest {
                topic,
                partition: *partition,
                timestamp_ms: *timestamp_ms,
                key: key.as_deref().map(str::as_bytes),
                value: value.as_deref().map(str::as_bytes),
            })?;
            r.topic = Some(res.topic);
            r.partition = Some(res.partition);
            r.offset = Some(res.offset);
            r.rolled = res.rolled.map(|reason| reason.describe().to_string());
        }
        Command::Generate {
            topic,
            count,
            keys,
            seed,
            tombstones,
            value_bytes,
        } => {
            generate(broker, topic, *count, *keys, *seed, *tombstones, *value_bytes)?;
            r.topic = Some(topic.clone());
            r.count = Some(*count);
        }
        Command::Advance { ms } => {
            broker.advance_ms(*ms)?;
            r.now_ms = Some(broker.now_ms());
        }
        Command::Clock { ms } => {
            broker.set_clock_ms(*ms)?;
            r.now_ms = Some(broker.now_ms());
        }
        Command::Roll { topic, partition } => {
            r.rolled_partitions = Some(broker.roll(topic, *partition)?);
            r.topic = Some(topic.clone());
            r.partition = *partition;
        }
        Command::Clean { target } => {
            let run = match target {
                None => broker.run_cleaner_iteration(),
                Some((t, p)) => broker.clean_partition(t, *p)?,
            };
            fill_clean(&mut r, run, broker.broker_config().log_cleaner_enable);
        }
        Command::Retention => r.deleted = Some(broker.run_retention()),
        Command::Consume {
            topic,
            partition,
            from,
            max,
        } => {
            let max = max.map_or(usize::MAX, |m| usize::try_from(m).unwrap_or(usize::MAX));
            let records = broker.consume(topic, *partition, *from, max)?;
            if let (Some(f), Some(first)) = (from, records.first()) {
                if first.offset > *f {
                    r.note = Some(format!(
                        "offset {f} is no longer in the log (compacted away); the fetch starts at the next surviving record, offset {}",
                        first.offset
                    ));
                }
            }
            r.topic = Some(topic.clone());
            r.partition = Some(*partition);
            r.records = Some(records.iter().map(RecordSnapshot::from).collect());
        }
    }
    Ok(r)
}

fn fill_clean(r: &mut StepResult, run: CleanerRun, enabled: bool) {
    let mut lines = report::cleaner_report(&run);
    if !enabled {
        lines.push("log.cleaner.enable=false: no cleaner thread runs, so nothing is compacted".to_string());
    }
    r.report = Some(lines);
    r.selection = Some(run.selection);
    r.cleaned = Some(run.cleaned);
    r.deleted = Some(run.deleted);
}

/// `generate`: `count` single-record batches over `keys` keys from a seeded
/// generator. Checked up front, so a refusal appends nothing.
fn generate(
    broker: &mut LogManager,
    topic: &str,
    count: u64,
    keys: u64,
    seed: u64,
    tombstones: f64,
    value_bytes: Option<u64>,
) -> Result<()> {
    // The parser enforces these too; commands built by the page or the JS
    // API come here directly.
    if keys == 0 {
        return Err(Error::InvalidRequest(InvalidRequest::GenerateWithoutKeys));
    }
    if count > MAX_GENERATE_COUNT || value_bytes.is_some_and(|b| b > MAX_VALUE_BYTES) {
        return Err(Error::InvalidRequest(InvalidRequest::GenerateTooLarge {
            max_count: MAX_GENERATE_COUNT,
            max_value_bytes: MAX_VALUE_BYTES,
        }));
    }
    let width = value_bytes.map(|b| b as usize);
    let value_of = |i: u64| -> String {
        let base = format!("v{i}");
        match width {
            None => base,
            Some(w) if base.len() >= w => base[..w].to_string(),
            Some(w) => format!("{base}{}", ".".repeat(w - base.len())),
        }
    };
    // The largest record it can write: the longest key with the longest value.
    let longest_key = format!("key-{}", keys - 1);
    let longest_value = value_of(count);
    broker.validate_produce(ProduceRequest {
        topic,
        partition: None,
        timestamp_ms: None,
        key: Some(longest_key.as_bytes()),
        value: Some(longest_value.as_bytes()),
    })?;
    let mut rng = SplitMix64::new(seed);
    for i in 1..=count {
        let key = format!("key-{}", rng.below(keys));
        let tombstone = tombstones > 0.0 && rng.next_f64() < tombstones;
        let value = if tombstone { None } else { Some(value_of(i)) };
        broker.produce(ProduceRequest {
            topic,
            partition: None,
            timestamp_ms: None,
            key: Some(key.as_bytes()),
            value: value.as_deref().map(str::as_bytes),
        })?;
    }
    Ok(())
}

// ---------------------------------------------------------------- parsing

fn parse_line(text: &str) -> std::result::Result<Command, String> {
    let (word, rest) = split_word(text);
    match word {
        "topic" => {
            let (name, rest) = split_word(rest);
            if name.is_empty() {
                return Err("usage: topic <topic> [partitions=<n>] [<config>=<value> ...]".into());
            }
            let mut partitions = None;
            let mut configs = Vec::new();
            for (k, v) in key_values(rest)? {
                if k == "partitions" {
                    partitions = Some(parse_int(&k, &v)?);
                } else {
                    configs.push((k, v));
                }
            }
            Ok(Command::Topic { name: name.to_string(), partitions, configs })
        }
        "alter" => {
            let (topic, rest) = split_word(rest);
            let configs = key_values(rest)?;
            if topic.is_empty() || configs.is_empty() {
                return Err("usage: alter <topic> <config>=<value> ...".into());
            }
            Ok(Command::Alter { topic: topic.to_string(), configs })
        }
        "unset" => {
            let (topic, rest) = split_word(rest);
            let names: Vec<String> = rest.split_whitespace().map(str::to_string).collect();
            if topic.is_empty() || names.is_empty() || names.iter().any(|n| n.contains('=')) {
                return Err("usage: unset <topic> <config> ... (back to the broker default, like kafka-configs --delete-config)".into());
            }
            Ok(Command::Unset { topic: topic.to_string(), names })
        }
        "broker" => {
            let configs = key_values(rest)?;
            if configs.is_empty() {
                return Err("usage: broker <config>=<value> ...".into());
            }
            Ok(Command::Broker { configs })
        }
        "produce" | "tombstone" => parse_produce(word, rest),
        "generate" => parse_generate(rest),
        "advance" => {
            let d = rest.trim();
            if d.is_empty() || d.split_whitespace().count() != 1 {
                return Err("usage: advance <duration>, e.g. advance 10s (units: ms, s, m, h, d)".into());
            }
            Ok(Command::Advance { ms: parse_duration(d)? })
        }
        "clock" => {
            let v = rest.trim();
            let ms = v.parse::<i64>().map_err(|_| format!("usage: clock <epoch ms>; '{v}' is not an integer"))?;
            Ok(Command::Clock { ms })
        }
        "roll" => {
            let (spec, extra) = split_word(rest);
            no_extra(extra, "roll <topic>[/<p>]")?;
            if spec.is_empty() {
                return Err("usage: roll <topic>[/<p>]".into());
            }
            let (topic, partition) = parse_topic_partition(spec)?;
            Ok(Command::Roll { topic, partition })
        }
        "clean" => {
            let (spec, extra) = split_word(rest);
            no_extra(extra, "clean [<topic>/<p>]")?;
            if spec.is_empty() {
                return Ok(Command::Clean { target: None });
            }
            match parse_topic_partition(spec)? {
                (t, Some(p)) => Ok(Command::Clean { target: Some((t, p)) }),
                (_, None) => Err("usage: clean <topic>/<p> (name the partition, e.g. clean t/0)".into()),
            }
        }
        "retention" => {
            no_extra(rest, "retention")?;
            Ok(Command::Retention)
        }
        "consume" => {
            let (spec, rest) = split_word(rest);
            let (topic, partition) = parse_topic_partition(spec)?;
            let Some(partition) = partition else {
                return Err("usage: consume <topic>/<p> [from=<offset>] [max=<n>]".into());
            };
            let (mut from, mut max) = (None, None);
            for (k, v) in key_values(rest)? {
                match k.as_str() {
                    "from" => from = Some(parse_int(&k, &v)?),
                    "max" => max = Some(parse_count(&k, &v)?),
                    _ => return Err(format!("unknown option '{k}' for consume (expected from=<offset> or max=<n>)")),
                }
            }
            Ok(Command::Consume { topic, partition, from, max })
        }
        _ => Err(format!(
            "unknown command '{word}' (expected topic, alter, unset, broker, produce, tombstone, generate, advance, clock, roll, clean, retention or consume)"
        )),
    }
}

fn parse_produce(word: &str, rest: &str) -> std::result::Result<Command, String> {
    let usage = if word == "produce" {
        "usage: produce <topic>[/<p>] [ts=<ms>] <key>:<value>"
    } else {
        "usage: tombstone <topic>[/<p>] [ts=<ms>] <key>"
    };
    let (spec, mut rest) = split_word(rest);
    if spec.is_empty() {
        return Err(usage.into());
    }
    let (topic, partition) = parse_topic_partition(spec)?;
    let mut timestamp_ms = None;
    let (w, after) = split_word(rest);
    if let Some(ts) = w.strip_prefix("ts=") {
        if !ts.contains(':') || word == "tombstone" {
            timestamp_ms = Some(
                ts.parse::<i64>()
                    .map_err(|_| format!("ts must be an integer (epoch ms), got '{ts}'"))?,
            );
            rest = after;
        }
    }
    let null = |s: &str| if s == "NULL" { None } else { Some(s.to_string()) };
    let (key, value) = if word == "produce" {
        let Some((k, v)) = rest.split_once(':') else {
            return Err(format!("{usage} (no ':' between key and value)"));
        };
        (null(k), null(v))
    } else {
        if rest.is_empty() {
            return Err(usage.into());
        }
        (null(rest), None)
    };
    Ok(Command::Produce {
        topic,
        partition,
        timestamp_ms,
        key,
        value,
    })
}

fn parse_generate(rest: &str) -> std::result::Result<Command, String> {
    let usage = "usage: generate <topic> count=<n> keys=<k> [seed=<s>] [tombstones=<fraction>] [value-bytes=<b>]";
    let (topic, rest) = split_word(rest);
    if topic.is_empty() {
        return Err(usage.into());
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
                if b > MAX_VALUE_BYTES {
                    return Err(format!("value-bytes may be at most {MAX_VALUE_BYTES}"));
                }
                value_bytes = Some(b);
            }
            _ => return Err(format!("unknown option '{k}' for generate; {usage}")),
        }
    }
    let (Some(count), Some(keys)) = (count, keys) else {
        return Err(usage.into());
    };
    if count > MAX_GENERATE_COUNT {
        return Err(format!("count may be at most {MAX_GENERATE_COUNT}"));
    }
    if keys == 0 {
        return Err("keys must be at least 1".into());
    }
    Ok(Command::Generate {
        topic: topic.to_string(),
        count,
        keys,
        seed,
        tombstones,
        value_bytes,
    })
}

/// The first blank-separated word and the rest (left-trimmed).
fn split_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], s[i..].trim_start()),
        None => (s, ""),
    }
}

fn no_extra(rest: &str, usage: &str) -> std::result::Result<(), String> {
    if rest.trim().is_empty() {
        Ok(())
    } else {
        Err(format!("unexpected '{}'; usage: {usage}", rest.trim()))
    }
}

/// `name=value` words; a config's value may be empty (`cleanup.policy=`).
fn key_values(rest: &str) -> std::result::Result<Vec<(String, String)>, String> {
    rest.split_whitespace()
        .map(|w| match w.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
            _ => Err(format!("expected <name>=<value>, got '{w}'")),
        })
        .collect()
}

fn parse_int(name: &str, v: &str) -> std::result::Result<i64, String> {
    v.parse::<i64>()
        .map_err(|_| format!("{name} must be an integer, got '{v}'"))
}

fn parse_count(name: &str, v: &str) -> std::result::Result<u64, String> {
    v.parse::<u64>()
        .map_err(|_| format!("{name} must be a non-negative integer, got '{v}'"))
}

/// `<topic>` or `<topic>/<p>`. Topic names cannot contain '/'.
fn parse_topic_partition(spec: &str) -> std::result::Result<(String, Option<u32>), String> {
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

/// `<integer><unit>` with unit ms, s, m, h or d.
pub fn parse_duration(d: &str) -> std::result::Result<i64, String> {
    let split = d.find(|c: char| !c.is_ascii_digit()).unwrap_or(d.len());
    let (num, unit) = d.split_at(split);
    let bad = || format!("'{d}' is not a duration: use an integer with ms, s, m, h or d (e.g. 500ms, 10s, 1h, 7d)");
    let n: i64 = num.parse().map_err(|_| bad())?;
    let scale = match unit {
        "ms" => 1,
        "s" => 1000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return Err(bad()),
    };
    n.checked_mul(scale)
        .ok_or_else(|| format!("'{d}' is too long a duration"))
}

/// Formats a command back into a script line (the page records a session
/// this way, so that it can be shown, shared and replayed).
pub fn to_line(c: &Command) -> String {
    let kv = |cs: &[(String, String)]| cs.iter().map(|(k, v)| format!(" {k}={v}")).collect::<String>();
    let tp = |t: &str, p: &Option<u32>| match p {
        Some(p) => format!("{t}/{p}"),
        None => t.to_string(),
    };
    match c {
        Command::Topic {
            name,
            partitions,
            configs,
        } => {
            let p = partitions.map(|p| format!(" partitions={p}")).unwrap_or_default();
            format!("topic {name}{p}{}", kv(configs))
        }
        Command::Alter { topic, configs } => format!("alter {topic}{}", kv(configs)),
        Command::Unset { topic, names } => format!("unset {topic} {}", names.join(" ")),
        Command::Broker { configs } => format!("broker{}", kv(configs)),
        Command::Produce {
            topic,
            partition,
            timestamp_ms,
            key,
            value,
        } => {
            let ts = timestamp_ms.map(|t| format!(" ts={t}")).unwrap_or_default();
            let k = key.as_deref().unwrap_or("NULL");
            match value {
                Some(v) => format!("produce {}{ts} {k}:{v}", tp(topic, partition)),
                None => format!("tombstone {}{ts} {k}", tp(topic, partition)),
            }
        }
        Command::Generate {
            topic,
            count,
            keys,
            seed,
            tombstones,
            value_bytes,
        } => {
            let mut s = format!("generate {topic} count={count} keys={keys} seed={seed}");
            if *tombstones > 0.0 {
                s.push_str(&format!(" tombstones={tombstones}"));
            }
            if let Some(b) = value_bytes {
                s.push_str(&format!(" value-bytes={b}"));
            }
            s
        }
        Command::Advance { ms } => format!("advance {}", format_duration_word(*ms)),
        Command::Clock { ms } => format!("clock {ms}"),
        Command::Roll { topic, partition } => format!("roll {}", tp(topic, partition)),
        Command::Clean { target: None } => "clean".into(),
        Command::Clean { target: Some((t, p)) } => format!("clean {t}/{p}"),
        Command::Retention => "retention".into(),
        Command::Consume {
            topic,
            partition,
            from,
            max,
        } => {
            let mut s = format!("consume {topic}/{partition}");
            if let Some(f) = from {
                s.push_str(&format!(" from={f}"));
            }
            if let Some(m) = max {
                s.push_str(&format!(" max={m}"));
            }
            s
        }
    }
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
