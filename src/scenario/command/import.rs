//! `import`: a partition's log becomes Kafka's files (a partition directory
//! or one `.log` segment), as a broker opening that directory would hold it.
//!
//! The files themselves are not part of the script: the CLI reads them
//! beside the script, the page asks for them, and both hand them to the
//! broker ([`LogManager::provide_import_files`]) before the line runs.

use std::fmt;

use serde::Serialize;

use crate::error::Result;
use crate::log_manager::LogManager;
use crate::scenario::lexer::{parse_topic_partition, split_word, ParseResult};

/// `import <topic>/<p> <path>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub topic: String,
    pub partition: u32,
    /// As written: the rest of the line.
    pub path: String,
}

/// What the partition holds after the import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Imported {
    pub topic: String,
    pub partition: u32,
    pub segments: usize,
    pub records: u64,
    pub bytes: u64,
    pub log_start_offset: i64,
    pub log_end_offset: i64,
}

const USAGE: &str = "import <topic>/<p> <path>";

impl Import {
    pub const WORD: &'static str = "import";

    pub(crate) fn parse(rest: &str) -> ParseResult<Self> {
        let (spec, path) = split_word(rest);
        let path = path.trim();
        if spec.is_empty() || path.is_empty() {
            return Err(format!("usage: {USAGE}"));
        }
        let (topic, partition) = parse_topic_partition(spec)?;
        let Some(partition) = partition else {
            return Err(format!("import names one partition: usage: {USAGE}"));
        };
        Ok(Import {
            topic,
            partition,
            path: path.to_string(),
        })
    }

    pub(crate) fn execute(&self, broker: &mut LogManager) -> Result<Imported> {
        // Checked first, so that a missing topic is reported as Kafka would.
        broker.partition(&self.topic, self.partition)?;
        let files = broker.import_files(&self.path)?.to_vec();
        let log = broker.import_partition(&self.topic, self.partition, &files)?;
        Ok(Imported {
            topic: self.topic.clone(),
            partition: self.partition,
            segments: log.segments.len(),
            records: log.records,
            bytes: log.bytes,
            log_start_offset: log.log_start_offset(),
            log_end_offset: log.log_end_offset(),
        })
    }
}

impl fmt::Display for Import {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}/{} {}", Self::WORD, self.topic, self.partition, self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_partition_and_the_rest_of_the_line_as_the_path() {
        let i = Import::parse("t/0 data/my dir/t-0").unwrap();
        assert_eq!(
            (i.topic.as_str(), i.partition, i.path.as_str()),
            ("t", 0, "data/my dir/t-0")
        );
        assert_eq!(i.to_string(), "import t/0 data/my dir/t-0");
        assert!(Import::parse("t data").is_err());
        assert!(Import::parse("t/0").is_err());
    }
}
