//! The JavaScript API: a thin wasm-bindgen facade for pages that script the
//! engine directly.
//!
//! Each method converts its arguments into one scenario command, runs it
//! through the same code path as a script line (so the page, the CLI and the
//! API cannot disagree), and returns the result as a plain object through
//! serde-wasm-bindgen. Offsets and timestamps cross as numbers (they stay
//! below 2^53), never as BigInt. A rejected command throws an `Error` whose
//! message is Kafka's, and changes nothing.
//!
//! ```js
//! import init, { Playground } from "./pkg/kcp.js";
//! await init();
//! const p = new Playground();
//! p.createTopic("t", 1, { "cleanup.policy": "compact", "segment.bytes": "490" });
//! p.produce("t", "K1", "V1");
//! p.roll("t");
//! p.clean();
//! console.log(p.snapshot().topics[0].partitions[0].segments);
//! ```

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::log_manager::LogManager;
use crate::scenario::command::{Advance, Alter, Broker, Clean, Consume, CreateTopic, Produce, Retention, Roll, Unset};
use crate::scenario::{self, Command, Step, StepResult};
use crate::snapshot::{materialize, BrokerSnapshot};
use crate::TopicPartition;

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("cannot convert the result: {e}")))
}

/// Reads `{ "config.name": "value", ... }` (values may be strings, numbers
/// or booleans) into config pairs.
fn configs(value: JsValue) -> Result<Vec<(String, String)>, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    let map: std::collections::BTreeMap<String, serde_json::Value> = serde_wasm_bindgen::from_value(value)
        .map_err(|_| JsError::new("configs must be an object such as { \"cleanup.policy\": \"compact\" }"))?;
    Ok(map
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            (k, v)
        })
        .collect())
}

fn offset(value: Option<f64>, what: &str) -> Result<Option<i64>, JsError> {
    match value {
        None => Ok(None),
        Some(v) if v.fract() == 0.0 && v.abs() <= 9_007_199_254_740_991.0 => Ok(Some(v as i64)),
        Some(v) => Err(JsError::new(&format!("{what} must be a whole number, got {v}"))),
    }
}

/// A simulated broker for a page to script.
#[wasm_bindgen]
pub struct Playground {
    broker: LogManager,
    line: usize,
}

impl Default for Playground {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl Playground {
    /// A broker with no topics, the clock at 2024-01-01T00:00:00Z.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Playground {
        Playground {
            broker: LogManager::default(),
            line: 0,
        }
    }

    fn exec(&mut self, word: &str, command: Command) -> Result<JsValue, JsError> {
        self.line += 1;
        let step = Step {
            line: self.line,
            word: word.to_string(),
            text: command.to_string(),
            command,
        };
        let result: StepResult = scenario::run_step(&mut self.broker, &step);
        match &result.error {
            Some(e) => Err(JsError::new(e)),
            None => to_js(&result),
        }
    }

    /// `kafka-topics --create`: `configs` is an object of topic configs.
    ///
    /// # Errors
    ///
    /// Throws an `Error` (and creates nothing) when `configs` is not an object
    /// (`configs must be an object such as ...`), or with Kafka's message when the
    /// broker refuses: `InvalidTopicException` for an illegal name,
    /// `InvalidPartitionsException` for fewer than one partition (or more than the
    /// playground draws), `TopicExistsException` (`Topic 't' already exists.`), or
    /// `InvalidConfigurationException` for an unknown config name, a bad value
    /// (`Invalid value x for configuration segment.bytes: Not a number of type INT`)
    /// or `min.compaction.lag.ms` above `max.compaction.lag.ms`.
    #[wasm_bindgen(js_name = createTopic)]
    pub fn create_topic(&mut self, name: &str, partitions: u32, configs_obj: JsValue) -> Result<JsValue, JsError> {
        let configs = configs(configs_obj)?;
        self.exec(
            "topic",
            Command::Topic(CreateTopic {
                name: name.into(),
                partitions: Some(i64::from(partitions)),
                configs,
            }),
        )
    }

    /// `kafka-configs --alter` on a topic.
    ///
    /// # Errors
    ///
    /// Throws an `Error` (and changes nothing) when `configs` is not an object, or
    /// with Kafka's message: `UnknownTopicOrPartitionException` (`This server does
    /// not host this topic-partition: topic 't' does not exist.`) or
    /// `InvalidConfigurationException` for an unknown name, a bad value or
    /// `min.compaction.lag.ms` above `max.compaction.lag.ms`.
    #[wasm_bindgen(js_name = alterTopic)]
    pub fn alter_topic(&mut self, name: &str, configs_obj: JsValue) -> Result<JsValue, JsError> {
        let configs = configs(configs_obj)?;
        self.exec(
            "alter",
            Command::Alter(Alter {
                topic: name.into(),
                configs,
            }),
        )
    }

    /// Removes topic overrides: back to the broker defaults
    /// (`kafka-configs --alter --delete-config`). `names` is an array of
    /// config names.
    ///
    /// # Errors
    ///
    /// Throws an `Error` with Kafka's message (and changes nothing):
    /// `UnknownTopicOrPartitionException` for an unknown topic, or
    /// `InvalidConfigurationException` (`Invalid config(s): a,b`) naming every
    /// given config the topic does not override, or the lag conflict the
    /// defaults would leave.
    #[wasm_bindgen(js_name = unsetTopicConfigs)]
    pub fn unset_topic_configs(&mut self, name: &str, names: Vec<String>) -> Result<JsValue, JsError> {
        self.exec(
            "unset",
            Command::Unset(Unset {
                topic: name.into(),
                names,
            }),
        )
    }

    /// Broker cleaner settings (`log.cleaner.*`).
    ///
    /// # Errors
    ///
    /// Throws an `Error` (and changes nothing) when `configs` is not an object, or
    /// with Kafka's `InvalidConfigurationException` message: `Unknown broker config
    /// name: <name>`, a bad value, fewer than one cleaner thread, an offset map
    /// that cannot hold one key, or a change that would leave some topic with
    /// `min.compaction.lag.ms` above `max.compaction.lag.ms`.
    #[wasm_bindgen(js_name = alterBroker)]
    pub fn alter_broker(&mut self, configs_obj: JsValue) -> Result<JsValue, JsError> {
        let configs = configs(configs_obj)?;
        self.exec("broker", Command::Broker(Broker { configs }))
    }

    /// Produces one record; `key` or `value` null/undefined means null (a
    /// null value is a tombstone). Returns `{topic, partition, offset, ...}`.
    ///
    /// # Errors
    ///
    /// Throws an `Error` (and appends nothing) when `timestamp_ms` is not a whole
    /// number (`timestamp must be a whole number, got 1.5`), or with Kafka's
    /// message when the broker refuses the record: `UnknownTopicOrPartitionException`,
    /// `RecordTooLargeException` (over `max.message.bytes`), `InvalidRecordException`
    /// (a null key on a compacted topic), `InvalidTimestampException` (outside
    /// `message.timestamp.before/after.max.ms`) or `RecordBatchTooLargeException`
    /// (larger than `segment.bytes`).
    pub fn produce(
        &mut self,
        topic: &str,
        key: Option<String>,
        value: Option<String>,
        partition: Option<u32>,
        timestamp_ms: Option<f64>,
    ) -> Result<JsValue, JsError> {
        let timestamp_ms = offset(timestamp_ms, "timestamp")?;
        let word = if value.is_some() { "produce" } else { "tombstone" };
        self.exec(
            word,
            Command::Produce(Produce {
                topic: topic.into(),
                partition,
                timestamp_ms,
                key,
                value,
            }),
        )
    }

    /// A tombstone for `key`.
    ///
    /// # Errors
    ///
    /// Throws an `Error` with Kafka's message, as [`Playground::produce`] does:
    /// `UnknownTopicOrPartitionException`, `RecordTooLargeException` or
    /// `RecordBatchTooLargeException`.
    pub fn tombstone(&mut self, topic: &str, key: String, partition: Option<u32>) -> Result<JsValue, JsError> {
        self.exec(
            "tombstone",
            Command::Produce(Produce {
                topic: topic.into(),
                partition,
                timestamp_ms: None,
                key: Some(key),
                value: None,
            }),
        )
    }

    /// Moves the simulated clock forward by `ms` milliseconds.
    ///
    /// # Errors
    ///
    /// Throws an `Error` when `ms` is not a whole number (`ms must be a whole
    /// number, got 0.5`) or is negative (`cannot advance the clock by a negative
    /// duration (-5 ms)`); the clock does not move.
    pub fn advance(&mut self, ms: f64) -> Result<JsValue, JsError> {
        let ms = offset(Some(ms), "ms")?.unwrap_or(0);
        self.exec("advance", Command::Advance(Advance { ms }))
    }

    /// Rolls the active segment of one partition, or of all.
    ///
    /// # Errors
    ///
    /// Throws an `Error` with Kafka's `UnknownTopicOrPartitionException` message
    /// when the topic or the given partition does not exist; nothing rolls.
    pub fn roll(&mut self, topic: &str, partition: Option<u32>) -> Result<JsValue, JsError> {
        self.exec(
            "roll",
            Command::Roll(Roll {
                topic: topic.into(),
                partition,
            }),
        )
    }

    /// One cleaner-thread iteration; returns `{selection, cleaned, report, ...}`.
    ///
    /// # Errors
    ///
    /// Throws an `Error` only if serde-wasm-bindgen cannot convert the result
    /// (`cannot convert the result: ...`), which these plain shapes never
    /// trigger: a cleaner iteration itself never fails.
    pub fn clean(&mut self) -> Result<JsValue, JsError> {
        self.exec("clean", Command::Clean(Clean { target: None }))
    }

    /// Cleans one partition now, whatever its dirty ratio.
    ///
    /// # Errors
    ///
    /// Throws an `Error` (and cleans nothing) with Kafka's
    /// `UnknownTopicOrPartitionException` message when the partition does not
    /// exist, or `t-0 is not compacted (cleanup.policy=delete); ...` when the
    /// topic's policy has no `compact`.
    #[wasm_bindgen(js_name = cleanPartition)]
    pub fn clean_partition(&mut self, topic: &str, partition: u32) -> Result<JsValue, JsError> {
        self.exec(
            "clean",
            Command::Clean(Clean {
                target: Some(TopicPartition::new(topic, partition)),
            }),
        )
    }

    /// One retention pass over `delete` logs.
    ///
    /// # Errors
    ///
    /// Throws an `Error` only if serde-wasm-bindgen cannot convert the result
    /// (`cannot convert the result: ...`), which these plain shapes never
    /// trigger: a retention pass itself never fails.
    pub fn retention(&mut self) -> Result<JsValue, JsError> {
        self.exec("retention", Command::Retention(Retention))
    }

    /// Fetches from `from` (default: the log start offset).
    ///
    /// # Errors
    ///
    /// Throws an `Error` when `from` is not a whole number (`from must be a whole
    /// number, got 1.5`), or with Kafka's message: `UnknownTopicOrPartitionException`,
    /// or `OffsetOutOfRangeException` (`Received request for offset 9 for partition
    /// t-0, but we only have log segments upto 7.`) below the log start offset or
    /// past the log end offset.
    pub fn consume(
        &mut self,
        topic: &str,
        partition: u32,
        from: Option<f64>,
        max: Option<u32>,
    ) -> Result<JsValue, JsError> {
        let from = offset(from, "from")?;
        self.exec(
            "consume",
            Command::Consume(Consume {
                topic: topic.into(),
                partition,
                from,
                max: max.map(u64::from),
            }),
        )
    }

    /// Runs a whole scenario script on this broker; returns the steps.
    /// A syntax error throws `line N: ...` and runs nothing.
    ///
    /// # Errors
    ///
    /// Throws an `Error` `line N: <message>` for the first syntax error, and runs
    /// nothing. A command the broker rejects does not throw: its step has
    /// `ok: false`, `error` and `error_name`.
    pub fn run(&mut self, script: &str) -> Result<JsValue, JsError> {
        let steps = scenario::parse(script).map_err(|e| JsError::new(&e.to_string()))?;
        let results: Vec<StepResult> = steps.iter().map(|s| scenario::run_step(&mut self.broker, s)).collect();
        to_js(&results)
    }

    /// The whole broker as plain objects (the `run --json` shapes).
    ///
    /// # Errors
    ///
    /// Throws an `Error` only if serde-wasm-bindgen cannot convert the result
    /// (`cannot convert the result: ...`), which these plain shapes never
    /// trigger.
    pub fn snapshot(&self) -> Result<JsValue, JsError> {
        to_js(&BrokerSnapshot::of(&self.broker))
    }

    /// Key -> latest value, as a consumer reading from the start builds it.
    ///
    /// # Errors
    ///
    /// Throws an `Error` with Kafka's `UnknownTopicOrPartitionException` message
    /// (`This server does not host this topic-partition: t-3.`) when the topic or
    /// the partition does not exist.
    pub fn state(&self, topic: &str, partition: u32) -> Result<JsValue, JsError> {
        let log = self
            .broker
            .partition(topic, partition)
            .map_err(|e| JsError::new(&e.to_string()))?;
        to_js(&materialize(log))
    }

    /// The simulated clock in epoch milliseconds.
    #[wasm_bindgen(getter, js_name = nowMs)]
    pub fn now_ms(&self) -> f64 {
        self.broker.now_ms() as f64
    }
}

/// Runs a scenario on a new broker and returns what `run --json` prints.
///
/// # Errors
///
/// Throws an `Error` `line N: <message>` for the first syntax error. A
/// command the broker rejects does not throw: its step has `ok: false`,
/// `error` and `error_name`.
#[wasm_bindgen(js_name = runScenario)]
pub fn run_scenario(script: &str) -> Result<JsValue, JsError> {
    let out = scenario::run(script).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&out)
}

/// Kafka's `Utils.murmur2` of the key's UTF-8 bytes.
#[wasm_bindgen]
pub fn murmur2(key: &str) -> i32 {
    crate::partitioner::murmur2(key.as_bytes())
}

/// Where the Java client, librdkafka and Sarama send `key` among
/// `partitions` partitions, with every intermediate number.
///
/// # Errors
///
/// Throws an `Error` only if serde-wasm-bindgen cannot convert the result
/// (`cannot convert the result: ...`), which these plain shapes never trigger.
#[wasm_bindgen(js_name = explainPartition)]
pub fn explain_partition(key: &str, partitions: u32) -> Result<JsValue, JsError> {
    to_js(&crate::partitioner::explain(key.as_bytes(), partitions))
}

/// The built-in scenarios: `[{id, title, teaches, script}]`.
///
/// # Errors
///
/// Throws an `Error` only if serde-wasm-bindgen cannot convert the result
/// (`cannot convert the result: ...`), which these plain shapes never trigger.
#[wasm_bindgen(js_name = builtinScenarios)]
pub fn builtin_scenarios() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct B {
        id: &'static str,
        title: &'static str,
        teaches: &'static str,
        script: &'static str,
    }
    let all: Vec<B> = crate::scenario::builtin::all()
        .iter()
        .map(|b| B {
            id: b.id,
            title: b.title,
            teaches: b.teaches,
            script: b.script,
        })
        .collect();
    to_js(&all)
}

/// The URL fragment (without `#`) that carries `script`: `script=...` when
/// short, `z=v1....` (compressed) when long.
#[wasm_bindgen(js_name = encodeShareFragment)]
pub fn encode_share_fragment(script: &str) -> String {
    crate::scenario::share::encode(script)
}

/// The script a fragment carries, `undefined` when it carries none; throws
/// on a malformed or oversized link.
///
/// # Errors
///
/// Throws an `Error` with the reason a link cannot be read: too long
/// (`the link is too long (...)`), a script over 256 KiB, another format
/// version, or damaged data (`the link is damaged: ...`).
#[wasm_bindgen(js_name = decodeShareFragment)]
pub fn decode_share_fragment(fragment: &str) -> Result<Option<String>, JsError> {
    crate::scenario::share::decode(fragment).map_err(|e| JsError::new(&e.to_string()))
}
