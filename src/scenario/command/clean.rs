//! `clean` and `retention`: the log's background maintenance, run when
//! asked. `clean` is one iteration of a `LogCleaner` thread
//! (`CleanerThread.doWork`: the filthiest eligible compacted log, then
//! segment deletion on compacted logs), or with `<topic>/<p>` one partition
//! cleaned now whatever its dirty ratio (not in Kafka; for teaching).
//! `retention` is one pass of `LogManager.cleanupLogs` over `delete` logs.

use std::fmt;

use serde::Serialize;

use crate::cleaner::manager::LogToClean;
use crate::cleaner::CleanResult;
use crate::error::Result;
use crate::log::retention::SegmentDeletion;
use crate::log_manager::LogManager;
use crate::report;
use crate::scenario::lexer::{no_extra, parse_partition, split_word, ParseResult};
use crate::topic_partition::TopicPartition;

/// `clean [<topic>/<p>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clean {
    /// `None`: a cleaner-thread iteration; `Some`: this partition now.
    pub target: Option<TopicPartition>,
}

/// `retention`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention;

/// What a cleaning considered and did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cleaned {
    /// Every compacted partition considered, and why it was or was not
    /// eligible.
    pub selection: Vec<LogToClean>,
    /// What was cleaned (`null` in the JSON when nothing was).
    pub cleaned: Option<CleanResult>,
    /// Segments deleted by retention in the same iteration.
    pub deleted: Vec<SegmentDeletion>,
    /// The cleaner's log, in Kafka's words.
    pub report: Vec<String>,
}

/// Segments the retention check deleted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RetentionChecked {
    pub deleted: Vec<SegmentDeletion>,
}

impl Clean {
    pub const WORD: &'static str = "clean";

    pub(crate) fn parse(rest: &str) -> ParseResult<Self> {
        let (spec, extra) = split_word(rest);
        no_extra(extra, "clean [<topic>/<p>]")?;
        if spec.is_empty() {
            return Ok(Clean { target: None });
        }
        let tp = parse_partition(spec, "usage: clean <topic>/<p> (name the partition, e.g. clean t/0)")?;
        Ok(Clean { target: Some(tp) })
    }

    pub(crate) fn execute(&self, broker: &mut LogManager) -> Result<Cleaned> {
        let run = match &self.target {
            None => broker.run_cleaner_iteration()?,
            Some(tp) => broker.clean_partition(&tp.topic, tp.partition)?,
        };
        let mut report = report::cleaner_report(&run);
        if !broker.broker_config().log_cleaner_enable {
            report.push("log.cleaner.enable=false: no cleaner thread runs, so nothing is compacted".to_string());
        }
        Ok(Cleaned {
            selection: run.selection,
            cleaned: run.cleaned,
            deleted: run.deleted,
            report,
        })
    }
}

impl fmt::Display for Clean {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Self::WORD)?;
        match &self.target {
            Some(tp) => write!(f, " {}/{}", tp.topic, tp.partition),
            None => Ok(()),
        }
    }
}

impl Retention {
    pub const WORD: &'static str = "retention";

    pub(crate) fn parse(rest: &str) -> ParseResult<Self> {
        no_extra(rest, Self::WORD)?;
        Ok(Retention)
    }

    pub(crate) fn execute(self, broker: &mut LogManager) -> Result<RetentionChecked> {
        Ok(RetentionChecked {
            deleted: broker.run_retention()?,
        })
    }
}

impl fmt::Display for Retention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Self::WORD)
    }
}
