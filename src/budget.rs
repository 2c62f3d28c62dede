//! The budget of a session: how much work and memory a script may ask of
//! the simulated broker.
//!
//! Not in Kafka: a broker's limits are its disk and its quotas (which
//! throttle rather than refuse). The playground runs in a browser tab and in
//! a CLI that holds every record in memory, so a few hundred bytes of script
//! must not be able to freeze the one or abort the other. The budget bounds
//! the totals and products that cost memory and time, never a single field:
//! `generate count=5000000 value-bytes=1000000` is refused for the bytes it
//! would append, before it appends one.
//!
//! The broker ([`crate::log_manager::LogManager`]) holds a budget and what
//! was used of it, checks every request against both before it changes
//! anything, and refuses with [`crate::error::BudgetExceeded`], which names
//! the limit and the command. [`Budget::CLI`] is the default; the page and
//! embedders use the lower [`Budget::PAGE`] (`LogManager::with_budget`).

use std::fmt;

/// Kafka's `max.poll.records` default: what a `consume` without `max=`
/// returns at most.
pub const DEFAULT_CONSUME_MAX: u64 = 500;

/// The limits of one session (one broker, from its creation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Records appended over the session (produce, tombstone, generate).
    pub records: u64,
    /// Key and value bytes appended over the session.
    pub bytes: u64,
    /// Partitions, summed over every topic.
    pub partitions: u64,
    /// Steps (commands) a session may run; a rejected step changes nothing,
    /// so it does not count (a script is also bounded when it is parsed).
    pub steps: u64,
    /// Cleaner and retention work over the session: records the cleaner
    /// reads (mapping the dirty section and recopying the log) plus the
    /// partitions and segments each cleaner iteration or retention pass looks
    /// at. A one-key dedupe buffer over a large log recopies it every round:
    /// this is what bounds the rounds.
    pub cleaner_work: u64,
    /// The most records one `consume` may ask for (`max=`).
    pub consume_max: u64,
    /// Entries kept in the results of the steps over the session: records
    /// returned by consumes and partitions listed in a clean's selection.
    pub results: u64,
}

impl Budget {
    /// The command line's budget (also [`Default`]): a few GB of memory at
    /// most, and a run of a minute or so at worst.
    pub const CLI: Budget = Budget {
        records: 10_000_000,
        bytes: 1 << 30,
        partitions: 10_000,
        steps: 1_000_000,
        cleaner_work: 500_000_000,
        consume_max: 100_000,
        results: 2_000_000,
    };

    /// The page's budget (and the JS API's): what a browser tab holds and
    /// works through in seconds.
    pub const PAGE: Budget = Budget {
        records: 1_000_000,
        bytes: 64 << 20,
        partitions: 2_000,
        steps: 20_000,
        cleaner_work: 50_000_000,
        consume_max: 10_000,
        results: 500_000,
    };

    /// The limit's value.
    pub fn max(&self, limit: Limit) -> u64 {
        match limit {
            Limit::Records => self.records,
            Limit::Bytes => self.bytes,
            Limit::Partitions => self.partitions,
            Limit::Steps => self.steps,
            Limit::CleanerWork => self.cleaner_work,
            Limit::ConsumeMax => self.consume_max,
            Limit::Results => self.results,
        }
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::CLI
    }
}

/// One limit of a [`Budget`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Records,
    Bytes,
    Partitions,
    Steps,
    CleanerWork,
    ConsumeMax,
    Results,
}

impl Limit {
    /// The field's name in [`Budget`], as errors and the README name it.
    pub fn name(self) -> &'static str {
        match self {
            Limit::Records => "records",
            Limit::Bytes => "bytes",
            Limit::Partitions => "partitions",
            Limit::Steps => "steps",
            Limit::CleanerWork => "cleaner_work",
            Limit::ConsumeMax => "consume_max",
            Limit::Results => "results",
        }
    }

    /// What the limit counts, in words.
    pub fn unit(self) -> &'static str {
        match self {
            Limit::Records => "records appended",
            Limit::Bytes => "bytes of keys and values appended",
            Limit::Partitions => "partitions over all topics",
            Limit::Steps => "steps",
            Limit::CleanerWork => "records and segments read by the cleaner and the retention check",
            Limit::ConsumeMax => "records in one consume",
            Limit::Results => "records and entries kept in the steps' results",
        }
    }

    /// Whether the limit is a total over the session (or a cap on one command).
    pub fn is_total(self) -> bool {
        self != Limit::ConsumeMax
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a session has used of its budget so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub records: u64,
    pub bytes: u64,
    pub steps: u64,
    pub cleaner_work: u64,
    pub results: u64,
}

impl Usage {
    /// What is used of a total limit (0 for a per-command cap; partitions are
    /// counted from the topics, not here).
    pub(crate) fn of(&self, limit: Limit) -> u64 {
        match limit {
            Limit::Records => self.records,
            Limit::Bytes => self.bytes,
            Limit::Steps => self.steps,
            Limit::CleanerWork => self.cleaner_work,
            Limit::Results => self.results,
            Limit::Partitions | Limit::ConsumeMax => 0,
        }
    }
}
