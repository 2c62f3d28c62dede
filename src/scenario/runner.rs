//! Running a script: each step on the broker, and the `run --json` output.
//!
//! Running is step by step: a rejected command is recorded with Kafka's
//! error and changes nothing, and the next line runs. A step's JSON is its
//! common fields (`line`, `command`, `ok`, `error`, `error_name`) followed
//! by its command's outcome, field for field as `scenario-format.md` has
//! them.

use std::collections::BTreeMap;

use serde::Serialize;

use super::command::{
    Cleaned, ClockMoved, Command, Consumed, Generated, Imported, Loaded, Produced, ProducerCreated, Ran,
    RetentionChecked, Rolled, TopicChanged, TransactionStep,
};
use super::script::{parse_within, Step, SyntaxError};
use crate::budget::Budget;
use crate::error::Result;
use crate::log_manager::LogManager;
use crate::snapshot::{BrokerSnapshot, TopicSnapshot, TopicsView};

/// The result of one step, as `run --json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepResult {
    pub line: usize,
    /// The command's first word as written.
    pub command: String,
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Kafka's exception name for the error (`InvalidConfigurationException`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_name: Option<String>,
    /// What the command did; [`Outcome::None`] when it was rejected.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// What a command did, by command: its fields follow the step's common
/// fields in the JSON, with no tag.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Outcome {
    /// A rejected command, or one with nothing to report (`broker`).
    None,
    /// `topic`, `alter`, `unset`.
    Topic(TopicChanged),
    Produce(Produced),
    Generate(Generated),
    Load(Loaded),
    /// `advance`, `clock`.
    Clock(ClockMoved),
    Run(Ran),
    Roll(Rolled),
    Clean(Cleaned),
    Retention(RetentionChecked),
    Consume(Consumed),
    Import(Imported),
    Producer(ProducerCreated),
    /// `begin`, `commit`, `abort`.
    Transaction(TransactionStep),
}

/// The typed outcome of each kind of step, `None` for other steps.
impl StepResult {
    pub fn produced(&self) -> Option<&Produced> {
        match &self.outcome {
            Outcome::Produce(o) => Some(o),
            _ => None,
        }
    }

    pub fn clock(&self) -> Option<&ClockMoved> {
        match &self.outcome {
            Outcome::Clock(o) => Some(o),
            _ => None,
        }
    }

    pub fn loaded(&self) -> Option<&Loaded> {
        match &self.outcome {
            Outcome::Load(o) => Some(o),
            _ => None,
        }
    }

    pub fn ran(&self) -> Option<&Ran> {
        match &self.outcome {
            Outcome::Run(o) => Some(o),
            _ => None,
        }
    }

    pub fn rolled(&self) -> Option<&Rolled> {
        match &self.outcome {
            Outcome::Roll(o) => Some(o),
            _ => None,
        }
    }

    pub fn cleaned(&self) -> Option<&Cleaned> {
        match &self.outcome {
            Outcome::Clean(o) => Some(o),
            _ => None,
        }
    }

    pub fn retention(&self) -> Option<&RetentionChecked> {
        match &self.outcome {
            Outcome::Retention(o) => Some(o),
            _ => None,
        }
    }

    pub fn transaction(&self) -> Option<&TransactionStep> {
        match &self.outcome {
            Outcome::Transaction(o) => Some(o),
            _ => None,
        }
    }

    pub fn consumed(&self) -> Option<&Consumed> {
        match &self.outcome {
            Outcome::Consume(o) => Some(o),
            _ => None,
        }
    }
}

/// `run --json`: the broker at the end, and every step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunOutput {
    pub now_ms: i64,
    pub topics: Vec<TopicSnapshot>,
    pub steps: Vec<StepResult>,
    pub broker_config: BTreeMap<String, String>,
    pub producers: Vec<crate::snapshot::ProducerSnapshot>,
}

/// The JSON of a [`RunOutput`], byte for byte, written from the broker
/// itself: the records are serialized as they are read, never copied, so
/// `run --json` streams a log of millions of records.
#[derive(Debug, Clone, Copy)]
pub struct OutputView<'a> {
    pub broker: &'a LogManager,
    pub steps: &'a [StepResult],
}

impl Serialize for OutputView<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let broker_config: BTreeMap<&str, String> = self.broker.broker_config().entries().into_iter().collect();
        let mut st = serializer.serialize_struct("RunOutput", 5)?;
        st.serialize_field("now_ms", &self.broker.now_ms())?;
        st.serialize_field("topics", &TopicsView(self.broker))?;
        st.serialize_field("steps", self.steps)?;
        st.serialize_field("broker_config", &broker_config)?;
        st.serialize_field("producers", &crate::snapshot::ProducerSnapshot::all(self.broker))?;
        st.end()
    }
}

/// Parses and runs a script on a new broker with [`Budget::CLI`].
///
/// # Errors
///
/// The script's first syntax error (or its first step past the budget's
/// `steps`); then nothing runs.
pub fn run(script: &str) -> std::result::Result<RunOutput, SyntaxError> {
    run_with_budget(script, Budget::CLI)
}

/// Parses and runs a script on a new broker with `budget`.
///
/// # Errors
///
/// The script's first syntax error (or its first step past the budget's
/// `steps`); then nothing runs.
pub fn run_with_budget(script: &str, budget: Budget) -> std::result::Result<RunOutput, SyntaxError> {
    let mut broker = LogManager::with_budget(budget);
    let results = run_on(&mut broker, script)?;
    Ok(output(&broker, results))
}

/// Parses a script and runs it on `broker` (which may hold files for its
/// `import` lines), within the broker's budget of steps.
///
/// # Errors
///
/// As [`run_with_budget`]; then nothing runs.
pub fn run_on(broker: &mut LogManager, script: &str) -> std::result::Result<Vec<StepResult>, SyntaxError> {
    let steps = parse_within(script, broker.budget().steps)?;
    Ok(steps.iter().map(|s| run_step(broker, s)).collect())
}

/// The JSON view of a broker and the results of its steps.
pub fn output(broker: &LogManager, steps: Vec<StepResult>) -> RunOutput {
    let snap = BrokerSnapshot::of(broker);
    RunOutput {
        now_ms: snap.now_ms,
        topics: snap.topics,
        steps,
        broker_config: snap.broker_config,
        producers: snap.producers,
    }
}

/// Runs one step; a rejected command leaves the broker as it was, its
/// budget included. Every step that ran counts against the session's `steps`
/// budget (a script's length is also bounded when it is parsed).
pub fn run_step(broker: &mut LogManager, step: &Step) -> StepResult {
    let done = broker
        .check_step(&step.word)
        .and_then(|()| execute(broker, &step.command));
    if done.is_ok() {
        broker.count_step();
    }
    StepResult::of(step, done)
}

impl StepResult {
    /// The result of `step`, which ended with `done`: its outcome, or the
    /// error's text and Kafka name with no outcome.
    pub fn of(step: &Step, done: crate::error::Result<Outcome>) -> StepResult {
        let (ok, error, error_name, outcome) = match done {
            Ok(outcome) => (true, None, None, outcome),
            Err(e) => (
                false,
                Some(e.to_string()),
                Some(e.kafka_name().to_string()),
                Outcome::None,
            ),
        };
        StepResult {
            line: step.line,
            command: step.word.clone(),
            ok,
            error,
            error_name,
            outcome,
        }
    }
}

fn execute(broker: &mut LogManager, command: &Command) -> Result<Outcome> {
    Ok(match command {
        Command::Topic(c) => Outcome::Topic(c.execute(broker)?),
        Command::Alter(c) => Outcome::Topic(c.execute(broker)?),
        Command::Unset(c) => Outcome::Topic(c.execute(broker)?),
        Command::Broker(c) => {
            c.execute(broker)?;
            Outcome::None
        }
        Command::Produce(c) => Outcome::Produce(c.execute(broker)?),
        Command::Generate(c) => Outcome::Generate(c.execute(broker)?),
        Command::Load(c) => Outcome::Load(c.execute(broker)?),
        Command::Advance(c) => Outcome::Clock(c.execute(broker)?),
        Command::Clock(c) => Outcome::Clock(c.execute(broker)?),
        Command::Run(c) => Outcome::Run(c.execute(broker)?),
        Command::Roll(c) => Outcome::Roll(c.execute(broker)?),
        Command::Clean(c) => Outcome::Clean(c.execute(broker)?),
        Command::Retention(c) => Outcome::Retention(c.execute(broker)?),
        Command::Consume(c) => Outcome::Consume(c.execute(broker)?),
        Command::Import(c) => Outcome::Import(c.execute(broker)?),
        Command::Producer(c) => Outcome::Producer(c.execute(broker)?),
        Command::Transaction(c) => Outcome::Transaction(c.execute(broker)?),
    })
}
