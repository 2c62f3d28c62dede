//! Seeded random scenario scripts that cover every command and its edges.
//!
//! One generator serves two checks: the golden outputs of `golden.rs` (the
//! engine's `run --json` must not change by accident) and, later, the
//! differential run against Kafka's own classes. A script depends only on its
//! seed, so a failing seed is a reproducible script.
//!
//! The scripts are meant to reach the interesting states, not just to parse:
//! small segments so that logs roll and clean, few keys so that cleaning
//! removes records, small dedupe buffers for partial rounds, timestamps in
//! the past and the future, configs in and out of range, unknown topics and
//! partitions, null keys on compacted topics.

use kcp::rng::SplitMix64;

/// Topic names the scripts use; a script creates some of them.
const TOPICS: [&str; 3] = ["t", "u", "orders.v1"];

/// Topic configs with values that are accepted, and some that are not.
const TOPIC_CONFIGS: &[(&str, &[&str])] = &[
    (
        "cleanup.policy",
        &["compact", "delete", "compact,delete", "delete,compact", "", "bogus"],
    ),
    (
        "segment.bytes",
        &["14", "100", "200", "300", "512", "1024", "13", "-1", "1e3"],
    ),
    ("segment.ms", &["1", "1000", "60000", "3600000", "0", "604800000"]),
    ("segment.jitter.ms", &["0", "500", "-1"]),
    (
        "min.cleanable.dirty.ratio",
        &["0", "0.01", "0.1", "0.5", "0.99", "1", "1.5", "NaN", "-0.1"],
    ),
    (
        "min.compaction.lag.ms",
        &["0", "1000", "60000", "-1", "9223372036854775807"],
    ),
    (
        "max.compaction.lag.ms",
        &["1", "1000", "60000", "0", "9223372036854775807"],
    ),
    ("delete.retention.ms", &["0", "1000", "60000", "86400000", "-1"]),
    ("retention.ms", &["-1", "0", "1000", "60000", "604800000", "-2"]),
    ("retention.bytes", &["-1", "0", "100", "1000", "x"]),
    ("max.message.bytes", &["100", "1000", "1048588", "0"]),
    ("message.timestamp.type", &["CreateTime", "LogAppendTime", "createtime"]),
    ("message.timestamp.after.max.ms", &["0", "1000", "3600000", "-1"]),
    ("message.timestamp.before.max.ms", &["0", "1000", "9223372036854775807"]),
    ("segment.index.bytes", &["1024", "4096", "3", "10485760"]),
    ("index.interval.bytes", &["0", "4096"]),
    ("compression.type", &["producer", "gzip", "none", "brotli"]),
    ("no.such.config", &["1"]),
];

/// Broker cleaner settings, including maps that hold only a few keys.
const BROKER_CONFIGS: &[(&str, &[&str])] = &[
    (
        "log.cleaner.dedupe.buffer.size",
        &["24", "48", "72", "120", "240", "134217728", "0", "-1"],
    ),
    ("log.cleaner.io.buffer.load.factor", &["0.5", "0.9", "1", "1.5", "0"]),
    ("log.cleaner.threads", &["1", "2", "0", "-1"]),
    ("log.cleaner.backoff.ms", &["15000", "1000", "-1"]),
    ("log.cleaner.min.cleanable.ratio", &["0.1", "0.5", "2"]),
    ("log.cleaner.delete.retention.ms", &["0", "1000", "86400000"]),
    ("log.cleaner.enable", &["true", "false", "maybe"]),
    ("log.cleaner.min.compaction.lag.ms", &["0", "1000"]),
    ("log.cleaner.max.compaction.lag.ms", &["1000", "9223372036854775807"]),
    ("log.segment.bytes", &["200", "1073741824"]),
    ("log.cleanup.policy", &["compact", "delete"]),
    ("no.such.broker.config", &["1"]),
];

/// The scenario clock's start (2024-01-01T00:00:00Z).
const START_MS: i64 = 1_704_067_200_000;

struct Gen {
    rng: SplitMix64,
    lines: Vec<String>,
    /// Topics this script created, with their partition counts (as asked).
    topics: Vec<(String, i64)>,
}

impl Gen {
    fn below(&mut self, n: u64) -> u64 {
        self.rng.below(n)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.next_f64() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A topic this script created most of the time, sometimes one it did not.
    fn topic(&mut self) -> String {
        if self.topics.is_empty() || self.chance(0.05) {
            self.pick(&TOPICS).to_string()
        } else {
            let i = self.below(self.topics.len() as u64) as usize;
            self.topics[i].0.clone()
        }
    }

    /// `<topic>/<p>`, usually a partition that exists.
    fn topic_partition(&mut self) -> String {
        let t = self.topic();
        let n = self
            .topics
            .iter()
            .find(|(name, _)| *name == t)
            .map_or(1, |(_, n)| (*n).max(1));
        let p = if self.chance(0.05) {
            n as u64 + self.below(3)
        } else {
            self.below(n as u64)
        };
        format!("{t}/{p}")
    }

    fn topic_config(&mut self) -> String {
        let (name, values) = *self.pick(TOPIC_CONFIGS);
        // Mostly values that make the cleaner busy; the rest anything listed.
        format!("{name}={}", self.pick(values))
    }

    fn key(&mut self, keys: u64) -> String {
        match self.below(40) {
            0 => "NULL".to_string(),
            1 => String::new(),
            _ => format!("k{}", self.below(keys)),
        }
    }

    fn value(&mut self) -> String {
        match self.below(12) {
            0 => "NULL".to_string(),
            1 => String::new(),
            2 => "{\"name\": \"ada\", \"visits\": 3}".to_string(),
            3 => "a value: with a colon".to_string(),
            4 => "x".repeat(self.below(300) as usize),
            _ => format!("v{}", self.below(1000)),
        }
    }

    fn timestamp(&mut self, now: i64) -> String {
        let ts = match self.below(10) {
            0 => -1,
            1 => 0,
            2 => now + 3_600_000 + 1 + self.below(10_000) as i64, // past message.timestamp.after.max.ms
            3 => now + self.below(60_000) as i64,
            4 => START_MS - self.below(86_400_000 * 30) as i64,
            _ => now - self.below(600_000) as i64,
        };
        format!("ts={ts}")
    }

    fn duration(&mut self) -> String {
        if self.chance(0.02) {
            // Past the end of time: the clock would overflow, so it is rejected.
            return "106751991167d".to_string();
        }
        let n = 1 + self.below(90);
        let unit = *self.pick(&["ms", "s", "s", "m", "m", "h", "d"]);
        format!("{n}{unit}")
    }

    /// Where a produce or tombstone goes (`<topic>` or `<topic>/<p>`) and
    /// its optional ` ts=...`.
    fn produce_target(&mut self, now: i64) -> (String, String) {
        let target = if self.chance(0.2) {
            self.topic_partition()
        } else {
            self.topic()
        };
        let ts = if self.chance(0.15) {
            format!(" {}", self.timestamp(now))
        } else {
            String::new()
        };
        (target, ts)
    }

    fn create_topic(&mut self) {
        let name = self.pick(&TOPICS).to_string();
        let partitions: i64 = *self.pick(&[1, 1, 1, 2, 3, 0]);
        let mut line = format!("topic {name}");
        if partitions != 1 || self.chance(0.3) {
            line.push_str(&format!(" partitions={partitions}"));
        }
        // Most topics are compacted with small segments, so that cleaning shows.
        if self.chance(0.85) {
            let policy = self.pick(&["compact", "compact", "compact,delete", "delete"]);
            let segment_bytes = self.pick(&[200, 300, 400, 700, 1024]);
            line.push_str(&format!(" cleanup.policy={policy} segment.bytes={segment_bytes}"));
        }
        for _ in 0..self.below(3) {
            let c = self.topic_config();
            line.push_str(&format!(" {c}"));
        }
        self.lines.push(line);
        if !self.topics.iter().any(|(n, _)| *n == name) && partitions > 0 {
            self.topics.push((name, partitions));
        }
    }

    fn step(&mut self, now: &mut i64, keys: u64) {
        let line = match self.below(100) {
            0..=3 => {
                self.create_topic();
                return;
            }
            4..=7 => {
                let t = self.topic();
                let n = 1 + self.below(2);
                let cs: Vec<String> = (0..n).map(|_| self.topic_config()).collect();
                format!("alter {t} {}", cs.join(" "))
            }
            8..=9 => {
                let t = self.topic();
                let (name, _) = *self.pick(TOPIC_CONFIGS);
                format!("unset {t} {name}")
            }
            10..=12 => {
                let (name, values) = *self.pick(BROKER_CONFIGS);
                format!("broker {name}={}", self.pick(values))
            }
            13..=44 => {
                let (target, ts) = self.produce_target(*now);
                let (k, v) = (self.key(keys), self.value());
                format!("produce {target}{ts} {k}:{v}")
            }
            45..=52 => {
                let (target, ts) = self.produce_target(*now);
                let k = self.key(keys);
                let k = if k.is_empty() { "k0".to_string() } else { k };
                format!("tombstone {target}{ts} {k}")
            }
            53..=56 => {
                let t = self.topic();
                let mut line = format!("generate {t} count={} keys={}", self.below(60), 1 + self.below(keys));
                if self.chance(0.5) {
                    line.push_str(&format!(" seed={}", self.below(1000)));
                }
                if self.chance(0.3) {
                    line.push_str(&format!(" tombstones={}", self.pick(&["0", "0.1", "0.5", "1"])));
                }
                if self.chance(0.3) {
                    line.push_str(&format!(" value-bytes={}", self.pick(&[0, 1, 10, 100])));
                }
                line
            }
            57..=66 => {
                let d = self.duration();
                // `now` only guides the timestamps this generator writes; an
                // advance past the end of time is rejected and moves nothing.
                if let Some(t) = kcp::scenario::parse_duration(&d)
                    .ok()
                    .and_then(|ms| now.checked_add(ms))
                {
                    if t < 32_503_680_000_000 {
                        *now = t;
                    }
                }
                format!("advance {d}")
            }
            67..=68 => {
                // Mostly near now (forwards or back), sometimes before 1970.
                let to = if self.chance(0.1) {
                    -1 - self.below(1000) as i64
                } else {
                    *now + self.below(7_200_000) as i64 - 1_800_000
                };
                if to >= *now {
                    *now = to;
                }
                format!("clock {to}")
            }
            69..=75 => {
                if self.chance(0.5) {
                    format!("roll {}", self.topic())
                } else {
                    format!("roll {}", self.topic_partition())
                }
            }
            76..=85 => "clean".to_string(),
            86..=90 => format!("clean {}", self.topic_partition()),
            91..=92 => "retention".to_string(),
            _ => {
                let mut line = format!("consume {}", self.topic_partition());
                if self.chance(0.5) {
                    line.push_str(&format!(" from={}", self.below(30) as i64 - 2));
                }
                if self.chance(0.5) {
                    line.push_str(&format!(" max={}", self.below(10)));
                }
                line
            }
        };
        self.lines.push(line);
    }
}

/// The random script for `seed`: 10 to 80 lines, every command reachable.
pub fn script(seed: u64) -> String {
    let mut g = Gen {
        rng: SplitMix64::new(seed ^ 0x5eed_5c41_7000),
        lines: vec![format!("# random script, seed {seed}")],
        topics: Vec::new(),
    };
    let keys = 2 + g.below(12);
    if g.chance(0.3) {
        let (name, values) = BROKER_CONFIGS[0];
        let value = g.pick(values);
        g.lines.push(format!("broker {name}={value}"));
    }
    g.create_topic();
    if g.chance(0.4) {
        g.create_topic();
    }
    let mut now = START_MS;
    let steps = 10 + g.below(70);
    for _ in 0..steps {
        g.step(&mut now, keys);
    }
    // End with the cleaner's view of every log, so the last state is cleaned.
    g.lines.push("clean".to_string());
    let mut text = g.lines.join("\n");
    text.push('\n');
    text
}

/// Broker settings that pace the broker in time (`run`), including values
/// Kafka refuses.
const TIME_BROKER_CONFIGS: &[(&str, &[&str])] = &[
    (
        "log.cleaner.backoff.ms",
        &["200", "1000", "15000", "15000", "60000", "-1"],
    ),
    ("log.retention.check.interval.ms", &["1000", "60000", "300000", "0"]),
    ("log.cleaner.enable", &["true", "true", "false"]),
    ("log.cleaner.min.cleanable.ratio", &["0.1", "0.5"]),
    ("log.cleaner.dedupe.buffer.size", &["48", "240", "134217728"]),
];

impl Gen {
    /// A `load` line: small rates and spans, so that a script appends a few
    /// thousand records at most; sometimes onto a topic that does not exist.
    fn load(&mut self, keys: u64) -> String {
        let t = self.topic();
        let rate = 1 + self.below(10);
        let unit = *self.pick(&["s", "s", "s", "m", "h"]);
        let span = match self.below(5) {
            0 => format!("{}ms", self.below(3000)),
            1..=3 => format!("{}s", 1 + self.below(60)),
            _ => format!("{}m", 1 + self.below(2)),
        };
        let mut line = format!("load {t} rate={rate}/{unit} keys={} for={span}", 1 + self.below(keys));
        if self.chance(0.5) {
            line.push_str(&format!(" seed={}", self.below(1000)));
        }
        if self.chance(0.3) {
            line.push_str(&format!(" tombstones={}", self.pick(&["0.1", "0.3", "1"])));
        }
        if self.chance(0.2) {
            line.push_str(&format!(" value-bytes={}", self.pick(&[0, 1, 10, 100])));
        }
        line
    }

    /// A `run` line: mostly seconds to minutes, sometimes an hour, rarely
    /// past the end of time (rejected).
    fn run_line(&mut self, now: &mut i64) -> String {
        let d = match self.below(50) {
            0 => "106751991167d".to_string(),
            1..=3 => "1h".to_string(),
            4..=6 => "0ms".to_string(),
            7..=20 => format!("{}ms", self.below(20_000)),
            21..=40 => format!("{}s", 1 + self.below(120)),
            _ => format!("{}m", 1 + self.below(10)),
        };
        if let Some(t) = kcp::scenario::parse_duration(&d)
            .ok()
            .and_then(|ms| now.checked_add(ms))
        {
            if t < 32_503_680_000_000 {
                *now = t;
            }
        }
        format!("run {d}")
    }

    /// One line of a time script: loads, runs and the settings that pace
    /// them among every other command.
    fn time_step(&mut self, now: &mut i64, keys: u64) {
        let line = match self.below(100) {
            0..=14 => self.load(keys),
            15..=39 => self.run_line(now),
            40..=44 => {
                let (name, values) = *self.pick(TIME_BROKER_CONFIGS);
                format!("broker {name}={}", self.pick(values))
            }
            _ => {
                self.step(now, keys);
                return;
            }
        };
        self.lines.push(line);
    }
}

/// The random time script for `seed`: loads and runs among every other
/// command, with small segments and short lags so that logs roll, clean and
/// delete while the broker runs. A separate generator from [`script`], whose
/// scripts (the golden ones) stay as they were.
pub fn time_script(seed: u64) -> String {
    let mut g = Gen {
        rng: SplitMix64::new(seed ^ 0x7153_c41e_d000),
        lines: vec![format!("# random time script, seed {seed}")],
        topics: Vec::new(),
    };
    let keys = 2 + g.below(12);
    for _ in 0..g.below(3) {
        let (name, values) = *g.pick(TIME_BROKER_CONFIGS);
        let value = g.pick(values);
        g.lines.push(format!("broker {name}={value}"));
    }
    g.create_topic();
    if g.chance(0.6) {
        // Time-driven configs on a second topic: rolls by segment.ms,
        // forced cleaning by max.compaction.lag.ms, tombstones that expire.
        let name = g.pick(&TOPICS).to_string();
        let policy = g.pick(&["compact", "compact", "compact,delete", "delete"]);
        let mut line = format!(
            "topic {name} cleanup.policy={policy} segment.bytes={}",
            g.pick(&[300, 700, 2000])
        );
        for (config, values) in [
            ("segment.ms", &["10000", "60000"][..]),
            ("max.compaction.lag.ms", &["30000", "120000"][..]),
            ("min.compaction.lag.ms", &["5000", "60000"][..]),
            ("delete.retention.ms", &["0", "20000"][..]),
            ("retention.ms", &["60000", "300000"][..]),
            ("min.cleanable.dirty.ratio", &["0.01", "0.3"][..]),
        ] {
            if g.chance(0.35) {
                line.push_str(&format!(" {config}={}", g.pick(values)));
            }
        }
        g.lines.push(line);
        if !g.topics.iter().any(|(n, _)| *n == name) {
            g.topics.push((name, 1));
        }
    }
    let mut now = START_MS;
    let steps = 10 + g.below(40);
    for _ in 0..steps {
        g.time_step(&mut now, keys);
    }
    // End with the broker at work, so the last state is what a broker reaches.
    g.lines.push("run 1m".to_string());
    let mut text = g.lines.join("\n");
    text.push('\n');
    text
}

/// `script` with every `segment.jitter.ms` above 0 set to 0, for the
/// oracle. Kafka draws a segment's roll jitter from `ThreadLocalRandom`, so
/// with jitter Kafka itself does not decide when a segment rolls; the
/// playground draws it from its seeded generator. (Invalid values stay:
/// their rejection involves no chance.)
pub fn without_jitter(script: &str) -> String {
    script
        .lines()
        .map(|line| {
            line.split(' ')
                .map(|word| match word.strip_prefix("segment.jitter.ms=") {
                    Some(v) if v.parse::<i64>().is_ok_and(|n| n > 0) => "segment.jitter.ms=0".to_string(),
                    _ => word.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .map(|line| line + "\n")
        .collect()
}

/// The random script for `seed` as the Kafka oracle runs it: `script(seed)`
/// without segment jitter ([`without_jitter`]).
pub fn oracle_script(seed: u64) -> String {
    without_jitter(&script(seed))
}

/// The random time script for `seed` as the Kafka oracle runs it.
pub fn oracle_time_script(seed: u64) -> String {
    without_jitter(&time_script(seed))
}

/// Values that probe a config validator: in and out of range, of the wrong
/// type, and the edges of Java's number parsing (`Long.parseLong`,
/// `Integer.parseInt`, `Double.parseDouble`, `Boolean`, list and enum
/// strings).
#[rustfmt::skip]
const CONFIG_VALUES: &[&str] = &[
    "0", "1", "-1", "-2", "2", "13", "14", "100", "1000", "1024", "4096", "60000", "86400000", "1048576",
    "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
    "-9223372036854775808", "-9223372036854775809", "+5", "007", "1e3", "1E3", "0x10", "1_000", "1.0", "1.5", "0.5",
    "0.0", "-0.0", "-0.1", ".5", "5.", "1d", "1f", "NaN", "Infinity", "-Infinity", "1e308", "1e309", "4.9e-324", "",
    "x", "true", "false", "TRUE", "yes", "compact", "delete", "compact,delete", "delete,compact", "Compact",
    "compact,", ",compact", "compact,,delete", "compact,compact", "CreateTime", "LogAppendTime", "createtime",
    "producer", "gzip", "zstd", "lz4", "snappy", "uncompressed", "none", "brotli", "\u{663}",
];

/// A few topic configs and broker cleaner settings with random values, as
/// `topic`, `alter` and `broker` lines, so that every name meets every kind
/// of value; the oracle compares acceptance and message with Kafka's.
pub fn config_script(seed: u64) -> String {
    let topic_names: Vec<&str> = kcp::config::topic_config_keys().iter().map(|k| k.name).collect();
    let broker_names: Vec<&str> = kcp::config::broker_config_keys().iter().map(|k| k.name).collect();
    let mut rng = SplitMix64::new(seed ^ 0xc0f1_65ee_d000);
    let mut pick = |n: usize| rng.below(n as u64) as usize;
    let mut lines = vec![format!("# config script, seed {seed}")];
    let value = |i: usize| CONFIG_VALUES[i];
    for i in 0..2 {
        let name = topic_names[pick(topic_names.len())];
        let v = value(pick(CONFIG_VALUES.len()));
        lines.push(format!("topic c{i} {name}={v}"));
    }
    lines.push("topic t cleanup.policy=compact".to_string());
    for _ in 0..3 {
        let n = 1 + pick(2);
        let cs: Vec<String> = (0..n)
            .map(|_| {
                let name = topic_names[pick(topic_names.len())];
                format!("{name}={}", value(pick(CONFIG_VALUES.len())))
            })
            .collect();
        lines.push(format!("alter t {}", cs.join(" ")));
    }
    for _ in 0..2 {
        let name = broker_names[pick(broker_names.len())];
        lines.push(format!("broker {name}={}", value(pick(CONFIG_VALUES.len()))));
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// Producer names the transactional scripts use.
const PRODUCERS: [&str; 3] = ["p0", "p1", "p2"];

/// The random transactional script for `seed`: a compacted topic or two,
/// idempotent and transactional producers, transactions that commit, abort
/// or stay open, plain records beside them, rolls, cleanings and clock
/// moves past `delete.retention.ms`, read_committed and read_uncommitted
/// consumes, and misuse (commit without begin, a send outside a
/// transaction, an unknown producer) that is rejected.
pub fn txn_script(seed: u64) -> String {
    let mut g = Gen {
        rng: SplitMix64::new(seed ^ 0x7a4e_0000_1400),
        lines: vec![format!("# random transactional script, seed {seed}")],
        topics: Vec::new(),
    };
    let partitions = 1 + g.below(2) as u32;
    let segment = g.pick(&[200, 300, 600, 2000]);
    let retention = g.pick(&["0", "1000", "60000"]);
    g.lines.push(format!(
        "topic t partitions={partitions} cleanup.policy=compact segment.bytes={segment} delete.retention.ms={retention} min.cleanable.dirty.ratio=0.01"
    ));
    g.topics.push(("t".to_string(), partitions.into()));
    if g.chance(0.3) {
        let size = g.pick(&[48, 72, 240]);
        g.lines.push(format!("broker log.cleaner.dedupe.buffer.size={size}"));
    }
    // Producers: p0 transactional, p1 transactional or idempotent, p2 idempotent or plain.
    g.lines.push("producer p0 transactional.id=tx-0".to_string());
    let p1_transactional = g.chance(0.7);
    if p1_transactional {
        g.lines.push("producer p1 transactional.id=tx-1".to_string());
    } else {
        g.lines.push("producer p1".to_string());
    }
    let plain = g.chance(0.5);
    g.lines.push(format!(
        "producer p2{}",
        if plain { " enable.idempotence=false" } else { "" }
    ));
    let transactional: Vec<&str> = if p1_transactional { vec!["p0", "p1"] } else { vec!["p0"] };
    // Which transactional producers are inside a transaction: most begins,
    // commits and aborts are the right ones, some are misuse.
    let mut open: Vec<&str> = Vec::new();
    let keys = 2 + g.below(6);
    let steps = 10 + g.below(50);
    for _ in 0..steps {
        let target = format!("t/{}", g.below(u64::from(partitions)));
        let line = match g.below(100) {
            0..=44 => {
                // Mostly producers that may send.
                let p = if !open.is_empty() && g.chance(0.6) {
                    open[g.below(open.len() as u64) as usize]
                } else {
                    g.pick(&PRODUCERS)
                };
                if g.chance(0.1) {
                    format!("tombstone {target} producer={p} k{}", g.below(keys))
                } else {
                    format!("produce {target} producer={p} k{}:v{}", g.below(keys), g.below(1000))
                }
            }
            45..=52 => format!("produce {target} k{}:v{}", g.below(keys), g.below(1000)),
            53..=60 => {
                let idle: Vec<&str> = transactional.iter().copied().filter(|p| !open.contains(p)).collect();
                let p = if !idle.is_empty() && g.chance(0.9) {
                    idle[g.below(idle.len() as u64) as usize]
                } else {
                    g.pick(&PRODUCERS)
                };
                if transactional.contains(&p) && !open.contains(&p) {
                    open.push(p);
                }
                format!("begin {p}")
            }
            61..=74 => {
                let p = if !open.is_empty() && g.chance(0.9) {
                    open[g.below(open.len() as u64) as usize]
                } else {
                    g.pick(&PRODUCERS)
                };
                open.retain(|o| *o != p);
                if g.chance(0.6) {
                    format!("commit {p}")
                } else {
                    format!("abort {p}")
                }
            }
            75..=79 => "roll t".to_string(),
            80..=86 => {
                if g.chance(0.5) {
                    "clean".to_string()
                } else {
                    format!("clean {target}")
                }
            }
            87..=91 => format!("advance {}", g.pick(&["1s", "30s", "2m"])),
            92..=97 => {
                let iso = g.pick(&["", " isolation=read_committed", " isolation=read_uncommitted"]);
                format!("consume {target}{iso}")
            }
            98 => "begin nobody".to_string(),
            _ => "producer p0".to_string(),
        };
        g.lines.push(line);
    }
    // End the open transactions (one may stay open and hold the cleaner
    // back), then clean twice past delete.retention.ms, so that markers are
    // stamped and removed, and read what a committed reader sees.
    for p in open {
        if g.chance(0.85) {
            let word = if g.chance(0.6) { "commit" } else { "abort" };
            g.lines.push(format!("{word} {p}"));
        }
    }
    for round in 0..3 {
        g.lines.push("roll t".to_string());
        for p in 0..partitions {
            g.lines.push(format!("clean t/{p}"));
        }
        g.lines.push("advance 61s".to_string());
        for p in 0..partitions {
            let k = g.below(keys);
            g.lines.push(format!("produce t/{p} k{k}:end{round}"));
        }
    }
    for p in 0..partitions {
        g.lines.push(format!("consume t/{p} isolation=read_committed"));
    }
    let mut text = g.lines.join("\n");
    text.push('\n');
    text
}
