//! `begin`, `commit` and `abort`: a transactional producer's
//! `beginTransaction()`, `commitTransaction()` and `abortTransaction()`.
//! `commit` and `abort` append one marker (a COMMIT or ABORT control batch)
//! to every partition the transaction wrote to, at the clock's now, as the
//! transaction coordinator has the partition leaders do.

use std::fmt;

use serde::Serialize;

use super::producer::parse_producer_name;
use crate::error::Result;
use crate::log_manager::{LogManager, MarkerWritten};
use crate::scenario::lexer::{no_extra, split_word, ParseResult};

/// Which end of a transaction, or its beginning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxnAction {
    Begin,
    Commit,
    Abort,
}

/// `begin <name>`, `commit <name>` or `abort <name>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    pub action: TxnAction,
    pub producer: String,
}

/// What a transaction step did: the markers `commit` and `abort` wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TransactionStep {
    pub producer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markers: Option<Vec<MarkerWritten>>,
}

impl Transaction {
    pub const BEGIN_WORD: &'static str = "begin";
    pub const COMMIT_WORD: &'static str = "commit";
    pub const ABORT_WORD: &'static str = "abort";

    pub(crate) fn parse(word: &str, rest: &str) -> ParseResult<Self> {
        let action = match word {
            Self::BEGIN_WORD => TxnAction::Begin,
            Self::COMMIT_WORD => TxnAction::Commit,
            _ => TxnAction::Abort,
        };
        let usage = format!("{word} <producer>");
        let (name, extra) = split_word(rest);
        no_extra(extra, &usage)?;
        if name.is_empty() {
            return Err(format!("usage: {usage}"));
        }
        Ok(Transaction {
            action,
            producer: parse_producer_name(name)?,
        })
    }

    pub(crate) fn execute(&self, broker: &mut LogManager) -> Result<TransactionStep> {
        let markers = match self.action {
            TxnAction::Begin => {
                broker.begin_transaction(&self.producer)?;
                None
            }
            TxnAction::Commit => Some(broker.end_transaction(&self.producer, true)?),
            TxnAction::Abort => Some(broker.end_transaction(&self.producer, false)?),
        };
        Ok(TransactionStep {
            producer: self.producer.clone(),
            markers,
        })
    }

    /// The command's word.
    pub fn word(&self) -> &'static str {
        match self.action {
            TxnAction::Begin => Self::BEGIN_WORD,
            TxnAction::Commit => Self::COMMIT_WORD,
            TxnAction::Abort => Self::ABORT_WORD,
        }
    }
}

impl fmt::Display for Transaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.word(), self.producer)
    }
}
