//! The JavaScript API: a thin wasm-bindgen facade for pages that script the
//! engine directly.
//!
//! Each method converts its arguments into one scenario command, runs it
//! through the same code path as a script line (so the page, the CLI and the
//! API cannot disagree), and returns the result as a plain object through
//! serde-wasm-bindgen. Offsets and timestamps cross as numbers (they stay
//! below 2^53), never as BigInt.
//!
//! Every argument arrives as a bare `JsValue` and is checked in Rust (by the
//! private `args` module), before anything is copied into wasm memory or
//! reaches the engine: a wasm-bindgen `&str` or `u32` parameter trusts its
//! caller (`42` where a string belongs, or a cyclic object handed to serde,
//! trapped the module for good). What a call throws:
//!
//! - `TypeError`: an argument of the wrong type (`produce("t", 42, "v")`, an
//!   object as a value, a fraction as an offset, configs that are not a flat
//!   object of strings, numbers and booleans);
//! - `RangeError`: a number outside what the argument can be (a negative
//!   partition), or a string or list longer than the API takes;
//! - `Error` named after Kafka's exception (`e.name` is
//!   `InvalidRecordException`, `e.message` Kafka's message) when the broker
//!   rejects the command; other `Error`s for a script's syntax or a bad link.
//!
//! A call that throws changes nothing, and the next call works. Configs are
//! read one level deep, by `Reflect.ownKeys` and `Reflect.get` (whose own
//! exceptions, from a getter or a proxy, are re-thrown as they are): nothing
//! here recurses into a JavaScript object.
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

mod args;
#[cfg(feature = "files")]
mod files;

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::budget::Budget;
use crate::log_manager::LogManager;
use crate::scenario::command::{Advance, Alter, Broker, Clean, Consume, CreateTopic, Produce, Retention, Roll, Unset};
use crate::scenario::{self, Command, Step, StepResult};
use crate::snapshot::{materialize, BrokerSnapshot};
use crate::TopicPartition;

use args::{range_error, Arg};
pub use args::{MAX_ENTRIES, MAX_NAME_CHARS, MAX_STRING_CHARS};
#[cfg(feature = "files")]
pub use files::MAX_FILE_BYTES;

/// An `Error` with `message`, named after Kafka's exception when there is one.
fn kafka_error(name: Option<&str>, message: &str) -> JsValue {
    let e = js_sys::Error::new(message);
    if let Some(name) = name {
        e.set_name(name);
    }
    e.into()
}

fn plain_error(message: &str) -> JsValue {
    kafka_error(None, message)
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| plain_error(&format!("cannot convert the result: {e}")))
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
    /// A broker with no topics, the clock at 2024-01-01T00:00:00Z, and the
    /// page's budget ([`Budget::PAGE`]): a command past it throws an `Error`
    /// named `BudgetExceeded` and changes nothing.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Playground {
        Playground {
            broker: LogManager::with_budget(Budget::PAGE),
            line: 0,
        }
    }

    fn exec(&mut self, word: &str, command: Command) -> Result<JsValue, JsValue> {
        self.line += 1;
        let step = Step {
            line: self.line,
            word: word.to_string(),
            text: command.to_string(),
            command,
        };
        let result: StepResult = scenario::run_step(&mut self.broker, &step);
        match &result.error {
            Some(e) => Err(kafka_error(result.error_name.as_deref(), e)),
            None => to_js(&result),
        }
    }

    /// `kafka-topics --create`: `configs` is an object of topic configs.
    ///
    /// # Errors
    ///
    /// Throws (and creates nothing) a `TypeError` when `name` is not a string,
    /// `partitions` not a whole number, or `configs` not a flat object of
    /// strings, numbers and booleans; a `RangeError` for an oversized name or
    /// configs; or an `Error` named after Kafka's exception when the broker
    /// refuses: `InvalidTopicException` for an illegal name,
    /// `InvalidPartitionsException` for fewer than one partition (or more than the
    /// playground draws), `TopicExistsException` (`Topic 't' already exists.`), or
    /// `InvalidConfigurationException` for an unknown config name, a bad value
    /// (`Invalid value x for configuration segment.bytes: Not a number of type INT`)
    /// or `min.compaction.lag.ms` above `max.compaction.lag.ms`.
    #[wasm_bindgen(js_name = createTopic)]
    pub fn create_topic(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] partitions: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Record<string, string | number | boolean>")] configs: JsValue,
    ) -> Result<JsValue, JsValue> {
        const M: &str = "createTopic";
        let name = Arg(M, "name").name(&name)?;
        // Any safe integer: the broker words the refusal of 0 or less as Kafka does.
        let partitions = Arg(M, "partitions").optional_integer(&partitions, i64::MIN, i64::MAX)?;
        let configs = Arg(M, "configs").configs(&configs)?;
        self.exec(
            "topic",
            Command::Topic(CreateTopic {
                name,
                partitions: Some(partitions.unwrap_or(1)),
                configs,
            }),
        )
    }

    /// `kafka-configs --alter` on a topic.
    ///
    /// # Errors
    ///
    /// Throws (and changes nothing) a `TypeError` when `name` is not a string or
    /// `configs` not a flat object of strings, numbers and booleans; a
    /// `RangeError` for oversized ones; or an `Error` named after Kafka's
    /// exception: `UnknownTopicOrPartitionException` (`This server does not host
    /// this topic-partition: topic 't' does not exist.`) or
    /// `InvalidConfigurationException` for an unknown name, a bad value or
    /// `min.compaction.lag.ms` above `max.compaction.lag.ms`.
    #[wasm_bindgen(js_name = alterTopic)]
    pub fn alter_topic(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Record<string, string | number | boolean>")] configs: JsValue,
    ) -> Result<JsValue, JsValue> {
        const M: &str = "alterTopic";
        let topic = Arg(M, "name").name(&name)?;
        let configs = Arg(M, "configs").configs(&configs)?;
        self.exec("alter", Command::Alter(Alter { topic, configs }))
    }

    /// Removes topic overrides: back to the broker defaults
    /// (`kafka-configs --alter --delete-config`). `names` is an array of
    /// config names.
    ///
    /// # Errors
    ///
    /// Throws (and changes nothing) a `TypeError` when `name` is not a string or
    /// `names` not an array of strings; a `RangeError` for an oversized one; or
    /// an `Error` named after Kafka's exception: `UnknownTopicOrPartitionException`
    /// for an unknown topic, or `InvalidConfigurationException` (`Invalid
    /// config(s): a,b`) naming every given config the topic does not override,
    /// or the lag conflict the defaults would leave.
    #[wasm_bindgen(js_name = unsetTopicConfigs)]
    pub fn unset_topic_configs(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string[]")] names: JsValue,
    ) -> Result<JsValue, JsValue> {
        const M: &str = "unsetTopicConfigs";
        let topic = Arg(M, "name").name(&name)?;
        let names = Arg(M, "names").names(&names, "an array of config names", "each config name")?;
        self.exec("unset", Command::Unset(Unset { topic, names }))
    }

    /// Broker cleaner settings (`log.cleaner.*`).
    ///
    /// # Errors
    ///
    /// Throws (and changes nothing) a `TypeError` when `configs` is not a flat
    /// object of strings, numbers and booleans, a `RangeError` for an oversized
    /// one, or an `Error` named `InvalidConfigurationException` with Kafka's
    /// message: `Unknown broker config name: <name>`, a bad value, fewer than one
    /// cleaner thread, an offset map that cannot hold one key, or a change that
    /// would leave some topic with `min.compaction.lag.ms` above
    /// `max.compaction.lag.ms`.
    #[wasm_bindgen(js_name = alterBroker)]
    pub fn alter_broker(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "Record<string, string | number | boolean>")] configs: JsValue,
    ) -> Result<JsValue, JsValue> {
        let configs = Arg("alterBroker", "configs").configs(&configs)?;
        self.exec("broker", Command::Broker(Broker { configs }))
    }

    /// Produces one record; `key` or `value` null/undefined means null (a
    /// null value is a tombstone). Returns `{topic, partition, offset, ...}`.
    ///
    /// # Errors
    ///
    /// Throws (and appends nothing) a `TypeError` when `topic` is not a string,
    /// `key` or `value` neither a string nor null/undefined, or `partition` or
    /// `timestampMs` not a whole number; a `RangeError` for a negative partition
    /// or an oversized string; or an `Error` named after Kafka's exception when
    /// the broker refuses the record: `UnknownTopicOrPartitionException`,
    /// `RecordTooLargeException` (over `max.message.bytes`), `InvalidRecordException`
    /// (a null key on a compacted topic), `InvalidTimestampException` (outside
    /// `message.timestamp.before/after.max.ms`) or `RecordBatchTooLargeException`
    /// (larger than `segment.bytes`).
    pub fn produce(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] topic: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] key: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] value: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number | null")] partition: JsValue,
        #[wasm_bindgen(js_name = timestampMs, unchecked_optional_param_type = "number | null")] timestamp_ms: JsValue,
    ) -> Result<JsValue, JsValue> {
        const M: &str = "produce";
        let topic = Arg(M, "topic").name(&topic)?;
        let key = Arg(M, "key").nullable_text(&key)?;
        let value = Arg(M, "value").nullable_text(&value)?;
        let partition = Arg(M, "partition").optional_partition(&partition)?;
        // Any safe integer: the broker applies Kafka's producer rules to it.
        let timestamp_ms = Arg(M, "timestampMs").optional_integer(&timestamp_ms, i64::MIN, i64::MAX)?;
        let word = if value.is_some() { "produce" } else { "tombstone" };
        self.exec(
            word,
            Command::Produce(Produce {
                topic,
                partition,
                timestamp_ms,
                key,
                value,
                producer: None,
            }),
        )
    }

    /// A tombstone for `key`.
    ///
    /// # Errors
    ///
    /// Throws (and appends nothing) a `TypeError` when `topic` or `key` is not a
    /// string or `partition` not a whole number, a `RangeError` for a negative
    /// partition or an oversized string, or an `Error` named after Kafka's
    /// exception, as [`Playground::produce`] does: `UnknownTopicOrPartitionException`,
    /// `RecordTooLargeException` or `RecordBatchTooLargeException`.
    pub fn tombstone(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] topic: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number | null")] partition: JsValue,
    ) -> Result<JsValue, JsValue> {
        const M: &str = "tombstone";
        let topic = Arg(M, "topic").name(&topic)?;
        let key = Arg(M, "key").text(&key)?;
        let partition = Arg(M, "partition").optional_partition(&partition)?;
        self.exec(
            "tombstone",
            Command::Produce(Produce {
                topic,
                partition,
                timestamp_ms: None,
                key: Some(key),
                value: None,
                producer: None,
            }),
        )
    }

    /// Moves the simulated clock forward by `ms` milliseconds.
    ///
    /// # Errors
    ///
    /// Throws a `TypeError` when `ms` is not a whole number (`advance: ms must be
    /// a whole number, got 0.5`), or an `Error` when it is negative (`cannot
    /// advance the clock by a negative duration (-5 ms)`); the clock does not move.
    pub fn advance(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] ms: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ms = Arg("advance", "ms").integer(&ms, i64::MIN, i64::MAX)?;
        self.exec("advance", Command::Advance(Advance { ms }))
    }

    /// Rolls the active segment of one partition, or of all.
    ///
    /// # Errors
    ///
    /// Throws a `TypeError` when `topic` is not a string or `partition` not a
    /// whole number, a `RangeError` for a negative partition, or an `Error` named
    /// `UnknownTopicOrPartitionException` (Kafka's message) when the topic or the
    /// given partition does not exist; nothing rolls.
    pub fn roll(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] topic: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number | null")] partition: JsValue,
    ) -> Result<JsValue, JsValue> {
        let topic = Arg("roll", "topic").name(&topic)?;
        let partition = Arg("roll", "partition").optional_partition(&partition)?;
        self.exec("roll", Command::Roll(Roll { topic, partition }))
    }

    /// One cleaner-thread iteration; returns `{selection, cleaned, report, ...}`.
    ///
    /// # Errors
    ///
    /// Throws an `Error` only if serde-wasm-bindgen cannot convert the result
    /// (`cannot convert the result: ...`), which these plain shapes never
    /// trigger: a cleaner iteration itself never fails.
    pub fn clean(&mut self) -> Result<JsValue, JsValue> {
        self.exec("clean", Command::Clean(Clean { target: None }))
    }

    /// Cleans one partition now, whatever its dirty ratio.
    ///
    /// # Errors
    ///
    /// Throws (and cleans nothing) a `TypeError` when `topic` is not a string or
    /// `partition` not a whole number, a `RangeError` for a negative partition,
    /// or an `Error` named after Kafka's exception: `UnknownTopicOrPartitionException`
    /// when the partition does not exist, or `InvalidRequestException` (`t-0 is
    /// not compacted (cleanup.policy=delete); ...`) when the topic's policy has
    /// no `compact`.
    #[wasm_bindgen(js_name = cleanPartition)]
    pub fn clean_partition(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] topic: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] partition: JsValue,
    ) -> Result<JsValue, JsValue> {
        let topic = Arg("cleanPartition", "topic").name(&topic)?;
        let partition = Arg("cleanPartition", "partition").partition(&partition)?;
        self.exec(
            "clean",
            Command::Clean(Clean {
                target: Some(TopicPartition::new(&topic, partition)),
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
    pub fn retention(&mut self) -> Result<JsValue, JsValue> {
        self.exec("retention", Command::Retention(Retention))
    }

    /// Fetches from `from` (default: the log start offset), at most `max`
    /// records.
    ///
    /// # Errors
    ///
    /// Throws a `TypeError` when `topic` is not a string or `partition`, `from`
    /// or `max` not a whole number (`consume: from must be a whole number, got
    /// 1.5`), a `RangeError` for a negative partition or `max`, or an `Error`
    /// named after Kafka's exception: `UnknownTopicOrPartitionException`, or
    /// `OffsetOutOfRangeException` (`Received request for offset 9 for partition
    /// t-0, but we only have log segments upto 7.`) below the log start offset or
    /// past the log end offset.
    pub fn consume(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] topic: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] partition: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number | null")] from: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number | null")] max: JsValue,
    ) -> Result<JsValue, JsValue> {
        const M: &str = "consume";
        let topic = Arg(M, "topic").name(&topic)?;
        let partition = Arg(M, "partition").partition(&partition)?;
        let from = Arg(M, "from").optional_integer(&from, i64::MIN, i64::MAX)?;
        let max = Arg(M, "max").optional_integer(&max, 0, i64::from(u32::MAX))?;
        self.exec(
            "consume",
            Command::Consume(Consume {
                topic,
                partition,
                from,
                max: max.and_then(|m| u64::try_from(m).ok()),
                isolation: None,
            }),
        )
    }

    /// Runs a whole scenario script on this broker; returns the steps.
    /// A syntax error throws `line N: ...` and runs nothing.
    ///
    /// # Errors
    ///
    /// Throws a `TypeError` when `script` is not a string, a `RangeError` when
    /// it is longer than [`MAX_STRING_CHARS`], or an `Error` `line N: <message>`
    /// for the first syntax error (or the first step past the budget's
    /// `steps`), and runs nothing. A command the broker rejects does not
    /// throw: its step has `ok: false`, `error` and `error_name`.
    pub fn run(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] script: JsValue,
    ) -> Result<JsValue, JsValue> {
        let script = Arg("run", "script").text(&script)?;
        let steps =
            scenario::parse_within(&script, self.broker.budget().steps).map_err(|e| plain_error(&e.to_string()))?;
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
    pub fn snapshot(&self) -> Result<JsValue, JsValue> {
        to_js(&BrokerSnapshot::of(&self.broker))
    }

    /// Key -> latest value, as a consumer reading from the start builds it.
    ///
    /// # Errors
    ///
    /// Throws a `TypeError` when `topic` is not a string or `partition` not a
    /// whole number, a `RangeError` for a negative partition, or an `Error`
    /// named `UnknownTopicOrPartitionException` (`This server does not host this
    /// topic-partition: t-3.`) when the topic or the partition does not exist.
    pub fn state(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] topic: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] partition: JsValue,
    ) -> Result<JsValue, JsValue> {
        let topic = Arg("state", "topic").name(&topic)?;
        let partition = Arg("state", "partition").partition(&partition)?;
        let log = self
            .broker
            .partition(&topic, partition)
            .map_err(|e| kafka_error(Some(e.kafka_name()), &e.to_string()))?;
        to_js(&materialize(log))
    }

    /// When a compacted partition becomes eligible and is cleaned, what it
    /// waits for, and when each tombstone can go (`LogManager::outlook`), as
    /// plain objects: `{ topic, partition, now_ms, now, eligible_at_ms,
    /// cleaning_at_ms, waits_for: [{ kind, ... }], tombstones: [{ offset,
    /// key, delete_horizon_ms, waits_for: { kind, ... } }], more_tombstones }`.
    ///
    /// # Errors
    ///
    /// Throws a `TypeError` when `topic` is not a string or `partition` not a
    /// whole number, a `RangeError` for a negative partition, or an `Error`
    /// named after Kafka's exception: `UnknownTopicOrPartitionException`, or
    /// `InvalidRequestException` when the topic is not compacted.
    pub fn outlook(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] topic: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] partition: JsValue,
    ) -> Result<JsValue, JsValue> {
        let topic = Arg("outlook", "topic").name(&topic)?;
        let partition = Arg("outlook", "partition").partition(&partition)?;
        let o = self
            .broker
            .outlook(&topic, partition)
            .map_err(|e| kafka_error(Some(e.kafka_name()), &e.to_string()))?;
        to_js(&o)
    }

    /// What the cleaner would do to a compacted partition now, changing
    /// nothing (`LogManager::dry_run`): `{ topic, partition, now_ms, decision,
    /// cleaning, kept, removed, removed_records: [{ offset, key, why: { kind,
    /// by? } }] }`.
    ///
    /// # Errors
    ///
    /// As [`Playground::outlook`].
    #[wasm_bindgen(js_name = dryRun)]
    pub fn dry_run(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] topic: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] partition: JsValue,
    ) -> Result<JsValue, JsValue> {
        let topic = Arg("dryRun", "topic").name(&topic)?;
        let partition = Arg("dryRun", "partition").partition(&partition)?;
        let d = self
            .broker
            .dry_run(&topic, partition)
            .map_err(|e| kafka_error(Some(e.kafka_name()), &e.to_string()))?;
        to_js(&d)
    }

    /// The simulated clock in epoch milliseconds.
    #[wasm_bindgen(getter, js_name = nowMs)]
    pub fn now_ms(&self) -> f64 {
        self.broker.now_ms() as f64
    }
}

/// Runs a scenario on a new broker with the page's budget ([`Budget::PAGE`])
/// and returns what `run --json` prints.
///
/// # Errors
///
/// Throws a `TypeError` when `script` is not a string, a `RangeError` when it
/// is longer than [`MAX_STRING_CHARS`], or an `Error` `line N: <message>` for
/// the first syntax error. A command the broker rejects does not throw: its
/// step has `ok: false`, `error` and `error_name`.
#[wasm_bindgen(js_name = runScenario)]
pub fn run_scenario(#[wasm_bindgen(unchecked_param_type = "string")] script: JsValue) -> Result<JsValue, JsValue> {
    let script = Arg("runScenario", "script").text(&script)?;
    let out = scenario::run_with_budget(&script, Budget::PAGE).map_err(|e| plain_error(&e.to_string()))?;
    to_js(&out)
}

/// Kafka's `Utils.murmur2` of the key's UTF-8 bytes.
///
/// # Errors
///
/// Throws a `TypeError` when `key` is not a string, a `RangeError` when it
/// is longer than [`MAX_STRING_CHARS`].
#[wasm_bindgen]
pub fn murmur2(#[wasm_bindgen(unchecked_param_type = "string")] key: JsValue) -> Result<i32, JsValue> {
    let key = Arg("murmur2", "key").text(&key)?;
    Ok(crate::partitioner::murmur2(key.as_bytes()))
}

/// Where the Java client, librdkafka and Sarama send `key` among
/// `partitions` partitions, with every intermediate number.
///
/// # Errors
///
/// Throws a `TypeError` when `key` is not a string or `partitions` not a
/// whole number, a `RangeError` when `partitions` is below 1 or above
/// 2147483647 or `key` longer than [`MAX_STRING_CHARS`].
#[wasm_bindgen(js_name = explainPartition)]
pub fn explain_partition(
    #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number")] partitions: JsValue,
) -> Result<JsValue, JsValue> {
    let key = Arg("explainPartition", "key").text(&key)?;
    let n = Arg("explainPartition", "partitions").integer(&partitions, 1, i64::from(i32::MAX))?;
    let n = u32::try_from(n).map_err(|_| range_error("explainPartition: partitions is out of range"))?;
    to_js(&crate::partitioner::explain(key.as_bytes(), n))
}

/// The built-in scenarios: `[{id, title, teaches, script}]`.
///
/// # Errors
///
/// Throws an `Error` only if serde-wasm-bindgen cannot convert the result
/// (`cannot convert the result: ...`), which these plain shapes never trigger.
#[wasm_bindgen(js_name = builtinScenarios)]
pub fn builtin_scenarios() -> Result<JsValue, JsValue> {
    #[derive(Serialize)]
    struct B {
        id: &'static str,
        title: &'static str,
        teaches: &'static str,
        script: &'static str,
        /// `[path, built-in id]`: the files of its `import` lines are that
        /// built-in's export (see `builtinImportFiles`).
        imports: &'static [(&'static str, &'static str)],
    }
    let all: Vec<B> = crate::scenario::builtin::all()
        .iter()
        .map(|b| B {
            id: b.id,
            title: b.title,
            teaches: b.teaches,
            script: b.script,
            imports: b.imports,
        })
        .collect();
    to_js(&all)
}

/// The URL fragment (without `#`) that carries `script`: `script=...` when
/// short, `z=v1....` (compressed) when long.
///
/// # Errors
///
/// Throws a `TypeError` when `script` is not a string, a `RangeError` when it
/// is longer than [`MAX_STRING_CHARS`].
#[wasm_bindgen(js_name = encodeShareFragment)]
pub fn encode_share_fragment(
    #[wasm_bindgen(unchecked_param_type = "string")] script: JsValue,
) -> Result<String, JsValue> {
    let script = Arg("encodeShareFragment", "script").text(&script)?;
    Ok(crate::scenario::share::encode(&script))
}

/// The script a fragment carries, `undefined` when it carries none; throws
/// on a malformed or oversized link.
///
/// # Errors
///
/// Throws a `TypeError` when `fragment` is not a string, a `RangeError` when
/// it is longer than [`MAX_STRING_CHARS`], or an `Error` with the reason a
/// link cannot be read: too long (`the link is too long (...)`), a script
/// over 256 KiB, another format version, or damaged data (`the link is
/// damaged: ...`).
#[wasm_bindgen(js_name = decodeShareFragment)]
pub fn decode_share_fragment(
    #[wasm_bindgen(unchecked_param_type = "string")] fragment: JsValue,
) -> Result<Option<String>, JsValue> {
    let fragment = Arg("decodeShareFragment", "fragment").text(&fragment)?;
    crate::scenario::share::decode(&fragment).map_err(|e| plain_error(&e.to_string()))
}
