//! The commands of the scenario language: the syntax tree of one line, and
//! the dispatch from a line's first word to the command that parses it.
//!
//! Each command (or family of commands) lives in one file under `command/`
//! with everything about it: its struct, its word, its parser, its script
//! line (`Display`, which parses back to the same command), its validation
//! and what it does to the broker (`execute`, returning its typed outcome).
//! This file only lists them.

pub mod clean;
pub mod clock;
pub mod config;
pub mod consume;
pub mod generate;
pub mod import;
pub mod load;
pub mod produce;
pub mod producer;
pub mod roll;
pub mod run;
pub mod transaction;

use std::fmt;

pub use clean::{Clean, Cleaned, Retention, RetentionChecked};
pub use clock::{Advance, ClockMoved, SetClock};
pub use config::{Alter, Broker, CreateTopic, TopicChanged, Unset};
pub use consume::{Consume, Consumed};
pub use generate::{Generate, Generated, MAX_VALUE_BYTES};
pub use import::{Import, Imported};
pub use load::{Load, Loaded};
pub use produce::{Produce, Produced};
pub use producer::{Producer, ProducerCreated};
pub use roll::{Roll, Rolled};
pub use run::{Ran, Run};
pub use transaction::{Transaction, TransactionStep, TxnAction};

use super::lexer::{split_word, ParseResult};

/// One parsed command, by the word that starts its line.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `topic`: `kafka-topics --create`.
    Topic(CreateTopic),
    /// `alter`: `kafka-configs --alter --add-config`.
    Alter(Alter),
    /// `unset`: `kafka-configs --alter --delete-config`.
    Unset(Unset),
    /// `broker`: dynamic broker configs.
    Broker(Broker),
    /// `produce` and `tombstone` (a tombstone has `value: None`).
    Produce(Produce),
    /// `generate`: many records from a seeded generator.
    Generate(Generate),
    /// `load`: a producer sending at a rate as time passes.
    Load(Load),
    /// `advance`: the clock moves forward.
    Advance(Advance),
    /// `clock`: the clock is set.
    Clock(SetClock),
    /// `run`: the broker works for a while, on Kafka's schedules.
    Run(Run),
    /// `roll`: a new active segment.
    Roll(Roll),
    /// `clean`: a cleaner-thread iteration, or one partition now.
    Clean(Clean),
    /// `retention`: the retention check of `delete` logs.
    Retention(Retention),
    /// `consume`: a fetch.
    Consume(Consume),
    /// `import`: Kafka's files become a partition's log.
    Import(Import),
    /// `producer`: a producer client.
    Producer(Producer),
    /// `begin`, `commit`, `abort`: a transaction.
    Transaction(Transaction),
}

/// Every command word, in the order the unknown-command error lists them.
pub const WORDS: &[&str] = &[
    CreateTopic::WORD,
    Alter::WORD,
    Unset::WORD,
    Broker::WORD,
    Produce::WORD,
    Produce::TOMBSTONE_WORD,
    Generate::WORD,
    Load::WORD,
    Advance::WORD,
    SetClock::WORD,
    Run::WORD,
    Roll::WORD,
    Clean::WORD,
    Retention::WORD,
    Consume::WORD,
    Import::WORD,
    Producer::WORD,
    Transaction::BEGIN_WORD,
    Transaction::COMMIT_WORD,
    Transaction::ABORT_WORD,
];

impl Command {
    /// Parses one non-blank, non-comment line (trimmed).
    pub(crate) fn parse(text: &str) -> ParseResult<Command> {
        let (word, rest) = split_word(text);
        match word {
            CreateTopic::WORD => CreateTopic::parse(rest).map(Command::Topic),
            Alter::WORD => Alter::parse(rest).map(Command::Alter),
            Unset::WORD => Unset::parse(rest).map(Command::Unset),
            Broker::WORD => Broker::parse(rest).map(Command::Broker),
            Produce::WORD | Produce::TOMBSTONE_WORD => Produce::parse(word, rest).map(Command::Produce),
            Generate::WORD => Generate::parse(rest).map(Command::Generate),
            Load::WORD => Load::parse(rest).map(Command::Load),
            Advance::WORD => Advance::parse(rest).map(Command::Advance),
            SetClock::WORD => SetClock::parse(rest).map(Command::Clock),
            Run::WORD => Run::parse(rest).map(Command::Run),
            Roll::WORD => Roll::parse(rest).map(Command::Roll),
            Clean::WORD => Clean::parse(rest).map(Command::Clean),
            Retention::WORD => Retention::parse(rest).map(Command::Retention),
            Consume::WORD => Consume::parse(rest).map(Command::Consume),
            Import::WORD => Import::parse(rest).map(Command::Import),
            Producer::WORD => Producer::parse(rest).map(Command::Producer),
            Transaction::BEGIN_WORD | Transaction::COMMIT_WORD | Transaction::ABORT_WORD => {
                Transaction::parse(word, rest).map(Command::Transaction)
            }
            _ => {
                let (last, first) = WORDS.split_last().expect("there are commands");
                Err(format!(
                    "unknown command '{word}' (expected {} or {last})",
                    first.join(", ")
                ))
            }
        }
    }
}

/// The command as a script line: the page records a session this way, so
/// that it can be shown, shared and replayed.
impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Topic(c) => c.fmt(f),
            Command::Alter(c) => c.fmt(f),
            Command::Unset(c) => c.fmt(f),
            Command::Broker(c) => c.fmt(f),
            Command::Produce(c) => c.fmt(f),
            Command::Generate(c) => c.fmt(f),
            Command::Load(c) => c.fmt(f),
            Command::Advance(c) => c.fmt(f),
            Command::Clock(c) => c.fmt(f),
            Command::Run(c) => c.fmt(f),
            Command::Roll(c) => c.fmt(f),
            Command::Clean(c) => c.fmt(f),
            Command::Retention(c) => c.fmt(f),
            Command::Consume(c) => c.fmt(f),
            Command::Import(c) => c.fmt(f),
            Command::Producer(c) => c.fmt(f),
            Command::Transaction(c) => c.fmt(f),
        }
    }
}
