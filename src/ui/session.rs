//! The session: the scenario lines run so far, each with its
//! `scenario::StepResult`, and the broker (`LogManager`) they built.
//!
//! Every user action becomes a scenario line (`scenario::to_line`), is parsed
//! back (`scenario::parse`) and run with `scenario::run_step`, the code path
//! scripts take. The list of lines run so far gives the script editor, the
//! timeline and undo, where Kafka could only go forward.
//!
//! The parts live in their own modules: [`script`] (a click as a line,
//! parsed back; the session written back as a script), [`checkpoints`]
//! (undo's copies of the broker: undo restores the nearest and replays only
//! the lines after it), [`replay`] (a script run into a fresh session a
//! slice at a time, so the page never blocks), [`generating`] (one heavy
//! `generate` line appended a slice at a time, on a copy of the broker),
//! [`history`] (the session as it was after any line, for looking back),
//! [`files`] (the files `import` lines name, given to every broker) and
//! [`totals`] (each topic's
//! totals after every line, for the chart). Their items are re-exported
//! here, so `session::Replay` and the like are the paths the page uses.
//!
//! The page's limits are the engine's: every broker here is made with the
//! page's budget ([`Budget::PAGE`], see [`page_broker`]) and scripts are
//! parsed within its `steps`, so a pasted script cannot exhaust the tab's
//! memory, and what goes over is refused by the broker, with its message
//! (`BudgetExceeded`), the same in the page, the JS API and `playground run
//! --page-budget`. The page only estimates the work a line or a script is
//! ([`cost`], [`Session::weight`], [`Replay::weight`]) to decide when to
//! show that it is busy.
//!
//! This is where the page calls the engine; the reducer
//! ([`super::state`]) turns what happens here into messages and page state.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::budget::Budget;
use crate::cleaner::CleanResult;
use crate::log::PartitionLog;
use crate::log_manager::LogManager;
use crate::scenario::command::{Clean, CreateTopic, Generate, Produce};
use crate::scenario::{self, Command, Step, StepResult};

pub mod checkpoints;
pub mod files;
pub mod generating;
pub mod history;
pub mod replay;
pub mod running;
pub mod script;
pub mod series;
pub mod totals;

use checkpoints::Checkpoint;
pub use checkpoints::{Undone, CHECKPOINT_EVERY, CHECKPOINT_RECORDS, MAX_CHECKPOINTS};
pub use generating::Generating;
pub use history::Change;
pub use replay::Replay;
pub use running::RunLine;
pub use script::{normalize_script, script_of, step_of, step_of_line};
pub use series::TimeSeries;
pub use totals::{topic_metrics, TopicMetrics};

/// An empty broker with the page's budget: every broker of the page's
/// sessions starts as this one.
pub fn page_broker() -> LogManager {
    LogManager::with_budget(Budget::PAGE)
}

/// What kind of event a line is, for the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Topic,
    Config,
    Produce,
    Tombstone,
    Generate,
    Clock,
    Roll,
    Clean,
    Retention,
    Consume,
}

impl EntryKind {
    pub fn of(c: &Command) -> Self {
        match c {
            Command::Topic(_) => EntryKind::Topic,
            Command::Alter(_) | Command::Unset(_) | Command::Broker(_) | Command::Producer(_) => EntryKind::Config,
            Command::Transaction(_) => EntryKind::Produce,
            Command::Produce(Produce { value: None, .. }) => EntryKind::Tombstone,
            Command::Produce(_) => EntryKind::Produce,
            Command::Generate(_) | Command::Load(_) | Command::Import(_) => EntryKind::Generate,
            Command::Advance(_) | Command::Clock(_) | Command::Run(_) => EntryKind::Clock,
            Command::Roll(_) => EntryKind::Roll,
            Command::Clean(_) => EntryKind::Clean,
            Command::Retention(_) => EntryKind::Retention,
            Command::Consume(_) => EntryKind::Consume,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EntryKind::Topic => "topic",
            EntryKind::Config => "config",
            EntryKind::Produce => "produce",
            EntryKind::Tombstone => "tombstone",
            EntryKind::Generate => "generate",
            EntryKind::Clock => "clock",
            EntryKind::Roll => "roll",
            EntryKind::Clean => "cleaner",
            EntryKind::Retention => "retention",
            EntryKind::Consume => "consume",
        }
    }
}

/// One line of the session and what it did.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// 1-based position among the session's commands.
    pub seq: usize,
    pub step: Step,
    /// Comment lines that came before it in the script it was loaded from.
    pub comments: Vec<String>,
    pub kind: EntryKind,
    pub result: StepResult,
    /// The simulated clock after the step.
    pub now_ms: i64,
    /// The totals, after the step, of the topics it changed (usually one;
    /// none for a read, a config or a clock line).
    pub metrics: Vec<(Rc<str>, TopicMetrics)>,
}

impl Entry {
    /// This topic's totals after the step, if the step changed it.
    pub fn metrics_of(&self, topic: &str) -> Option<&TopicMetrics> {
        self.metrics.iter().find(|(t, _)| &**t == topic).map(|(_, m)| m)
    }
}

/// The partition the latest cleaning changed, as it was before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct CleanCompare {
    /// The session entry that cleaned.
    pub seq: usize,
    pub before: PartitionLog,
    pub after: PartitionLog,
    pub first_dirty_before: i64,
    pub first_dirty_after: i64,
    pub result: CleanResult,
}

/// A line the session did not take, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The broker's message (Kafka's, or the budget's).
    pub text: String,
    /// Kafka's exception name (or `BudgetExceeded`).
    pub error_name: Option<String>,
}

/// The broker and the lines that built it.
#[derive(Debug, Clone)]
pub struct Session {
    pub broker: LogManager,
    pub entries: Vec<Entry>,
    /// Comments at the end of the loaded script, kept for the editor.
    pub trailing_comments: Vec<String>,
    /// The latest `clean` line's partition before and after, if it cleaned
    /// one. Shared, so that views hold it without copying two logs.
    pub last_clean: Option<Rc<CleanCompare>>,
    /// Changes whenever a log may have changed (every line but `consume`,
    /// every replay), never repeating within a page: views of the logs
    /// redraw only when it moves.
    pub log_stamp: u64,
    /// The log stamp when the broker was last replaced rather than moved
    /// on by a line (a load, an undo, a reset). While it stays, the logs
    /// only move forward (appends raise a log's end, cleanings and
    /// retention lower its count of records), so a view may keep what it
    /// read of them and read only what changed.
    pub lineage: u64,
    /// Every topic's current totals, kept step by step.
    totals: BTreeMap<Rc<str>, TopicMetrics>,
    /// Copies of the broker for undo, oldest first.
    checkpoints: Vec<Checkpoint>,
    /// Each partition over simulated time, for the time charts.
    pub series: TimeSeries,
    /// A `run` line done in pieces is being recorded: its cleanings were
    /// marked as they happened.
    marked_run: bool,
}

/// An empty session on an empty broker with the page's budget.
impl Default for Session {
    fn default() -> Self {
        Session {
            broker: page_broker(),
            entries: Vec::new(),
            trailing_comments: Vec::new(),
            last_clean: None,
            log_stamp: 0,
            lineage: 0,
            totals: BTreeMap::new(),
            checkpoints: Vec::new(),
            series: TimeSeries::default(),
            marked_run: false,
        }
    }
}

/// Records a command asks to append: how the page tells a heavy line
/// (worth a busy sign) from a light one. Not a limit: the broker's budget
/// decides what runs.
pub fn cost(c: &Command) -> u64 {
    match c {
        Command::Produce(_) => 1,
        Command::Generate(Generate { count, .. }) => *count,
        // A `run` appends what its loads have due, and may clean: a rough
        // stand-in (a second of a typical page load).
        Command::Run(r) => u64::try_from(r.ms / 10).unwrap_or(0),
        // An import reads its files whole: about a record per 64 bytes.
        Command::Import(i) => files::bytes(&i.path) / 64,
        _ => 0,
    }
}

/// A single step that may read or copy more records than this (see
/// [`Session::weight`]) is heavy: the page paints a busy sign before it
/// runs it, since it runs whole (a cleaning is not resumable). In the
/// browser a record costs about half a microsecond to clean, copy or read
/// back, so a step under this takes a few tens of milliseconds.
pub const HEAVY_STEP: u64 = 50_000;

impl Session {
    /// The session as a script.
    pub fn script(&self) -> String {
        script_of(&self.entries, &self.trailing_comments)
    }

    /// The latest entry of a kind, newest first.
    pub fn latest(&self, kind: EntryKind) -> Option<&Entry> {
        self.entries.iter().rev().find(|e| e.kind == kind)
    }

    /// Whether a topic exists on the broker.
    pub fn has_topic(&self, name: &str) -> bool {
        self.broker.topic(name).is_ok()
    }

    /// The first topic, by name.
    pub fn first_topic(&self) -> Option<String> {
        self.broker.topics().next().map(|t| t.name().to_string())
    }

    /// Records the broker holds now, over every partition (the logs'
    /// own counts: no record is read).
    pub fn records_held(&self) -> u64 {
        self.broker
            .topics()
            .flat_map(|t| t.partitions())
            .map(PartitionLog::record_count)
            .fold(0, u64::saturating_add)
    }

    /// Roughly how many records running `step` now reads, copies or writes
    /// whole, from the counts the broker keeps: a cleaning reads the log it
    /// cleans (for a cleaner iteration, the one it picks: at most the
    /// largest), a retention check may drop any (and the state view then
    /// reads the rest again), an append writes what it appends, and every
    /// [`CHECKPOINT_EVERY`]th line copies the broker for undo. Not a limit:
    /// how the page decides to paint a busy sign first ([`HEAVY_STEP`]).
    pub fn weight(&self, step: &Step) -> u64 {
        let held = || self.records_held();
        let largest = || {
            self.broker
                .topics()
                .flat_map(|t| t.partitions())
                .map(PartitionLog::record_count)
                .max()
                .unwrap_or(0)
        };
        let own = match &step.command {
            Command::Clean(Clean { target: Some(tp) }) => self
                .broker
                .partition(&tp.topic, tp.partition)
                .map_or(0, PartitionLog::record_count),
            Command::Clean(Clean { target: None }) => largest(),
            Command::Retention(_) => held(),
            c => cost(c),
        };
        let copies = (self.entries.len() + 1) % CHECKPOINT_EVERY == 0;
        if copies {
            own.saturating_add(held())
        } else {
            own
        }
    }

    /// The first topic a line of the session created.
    pub fn first_created_topic(&self) -> Option<String> {
        self.entries.iter().find_map(|e| match &e.step.command {
            Command::Topic(CreateTopic { name, .. }) if e.result.ok => Some(name.clone()),
            _ => None,
        })
    }

    /// A click: runs the line; a rejected one changes nothing and is not
    /// added to the session. Returns the new entry.
    ///
    /// # Errors
    ///
    /// A [`Rejection`], and the session is unchanged: rejected by the broker
    /// (Kafka's message and exception name, e.g.
    /// `UnknownTopicOrPartitionException`), or past the page's budget
    /// (`BudgetExceeded`, naming the limit and the command).
    pub fn run(&mut self, step: Step) -> Result<&Entry, Rejection> {
        self.run_with(step, |broker, step, seq| run_step(broker, step, seq, true))
    }

    /// [`Session::run`], with the step's execution supplied: `exec` runs the
    /// step on the broker (given the line's number) and says what it did.
    /// A heavy `generate` run a slice at a time ([`Generating`]) ends here,
    /// so it is recorded exactly as a click would be.
    fn run_with(
        &mut self,
        step: Step,
        exec: impl FnOnce(&mut LogManager, &Step, usize) -> (StepResult, Option<CleanCompare>),
    ) -> Result<&Entry, Rejection> {
        let comments = std::mem::take(&mut self.trailing_comments);
        let seq = self.entries.len() + 1;
        let (entry, compare) = self.apply_with(step, seq, comments.clone(), exec);
        if !entry.result.ok {
            self.trailing_comments = comments;
            return Err(Rejection {
                text: entry.result.error.clone().unwrap_or_else(|| "rejected".to_string()),
                error_name: entry.result.error_name.clone(),
            });
        }
        if entry.kind != EntryKind::Consume {
            self.log_stamp += 1;
        }
        self.push(entry, compare);
        Ok(&self.entries[self.entries.len() - 1])
    }

    /// Replaces the session with a script: parses it all (a syntax error
    /// runs nothing), then runs it on a fresh broker (in one go: the page
    /// runs long scripts a slice at a time with [`Replay`]).
    ///
    /// # Errors
    ///
    /// The first line that does not parse, or the first step past the page's
    /// budget of steps; the session is unchanged. Lines the broker rejects,
    /// the budget's refusals included, do not fail the load: they are entries
    /// with an error.
    pub fn load(&mut self, text: &str) -> Result<(), scenario::SyntaxError> {
        let mut replay = Replay::new(text)?;
        replay.run_while(|_| true);
        let stamp = self.log_stamp;
        *self = replay.finish(stamp);
        Ok(())
    }

    /// An empty broker and an empty session (the log stamp still moves on).
    pub fn reset(&mut self) {
        let stamp = self.log_stamp;
        *self = Session::default();
        self.log_stamp = stamp + 1;
        self.lineage = self.log_stamp;
    }

    /// Runs one step on the broker and records it, with the totals of the
    /// topics it changed; with `compare`, a cleaning also keeps the cleaned
    /// partition as it was before and after.
    fn apply(&mut self, step: Step, seq: usize, comments: Vec<String>, compare: bool) -> (Entry, Option<CleanCompare>) {
        self.apply_with(step, seq, comments, |broker, step, seq| {
            run_step(broker, step, seq, compare)
        })
    }

    /// [`Session::apply`], with the step's execution supplied (see
    /// [`Session::run_with`]).
    fn apply_with(
        &mut self,
        step: Step,
        seq: usize,
        comments: Vec<String>,
        exec: impl FnOnce(&mut LogManager, &Step, usize) -> (StepResult, Option<CleanCompare>),
    ) -> (Entry, Option<CleanCompare>) {
        let (result, clean) = exec(&mut self.broker, &step, seq);
        let metrics = if result.ok {
            self.update_totals(&step.command, &result)
        } else {
            Vec::new()
        };
        if result.ok {
            self.sample_after(seq, &metrics, &result);
        }
        let entry = Entry {
            seq,
            kind: EntryKind::of(&step.command),
            step,
            comments,
            result,
            now_ms: self.broker.now_ms(),
            metrics,
        };
        (entry, clean)
    }

    /// Samples the partitions a line changed, and marks its cleanings.
    fn sample_after(&mut self, seq: usize, metrics: &[(Rc<str>, TopicMetrics)], result: &StepResult) {
        if !metrics.is_empty() {
            let topics: Vec<&str> = metrics.iter().map(|(t, _)| &**t).collect();
            self.series.sample(&self.broker, seq, Some(&topics), false);
        }
        let now = self.broker.now_ms();
        let cleanings = result
            .cleaned()
            .and_then(|c| c.cleaned.as_ref())
            .map(|c| {
                (
                    now,
                    c.topic_partition.clone(),
                    c.stats.messages_read,
                    c.stats.messages_written,
                )
            })
            .into_iter()
            .chain(result.ran().filter(|_| !self.marked_run).into_iter().flat_map(|r| {
                r.cleanings.iter().map(|c| {
                    (
                        c.time_ms,
                        c.topic_partition.clone(),
                        c.messages_read,
                        c.messages_written,
                    )
                })
            }));
        for (at, tp, read, written) in cleanings {
            self.series
                .cleaning(&tp.topic, tp.partition, at, seq, read.saturating_sub(written));
        }
    }

    /// Rewrites the last entry (a click's `run` line that ran further): its
    /// line, result, clock and totals. A copy of the broker undo took after
    /// it is stale and goes ([`Session::settle_checkpoint`] takes it again).
    pub(super) fn amend_last(&mut self, step: Step, result: StepResult) {
        let seq = self.entries.len();
        self.checkpoints.retain(|c| c.len() < seq);
        let metrics = self.update_totals(&step.command, &result);
        let now_ms = self.broker.now_ms();
        if let Some(e) = self.entries.last_mut() {
            e.step = step;
            e.result = result;
            e.now_ms = now_ms;
            e.metrics = metrics;
        }
        self.log_stamp += 1;
    }

    /// Takes undo's copy of the broker after line `seq` if one falls there
    /// and the line is the last (after a click's `run` line is done).
    pub(super) fn settle_checkpoint(&mut self, seq: usize) {
        if seq == self.entries.len()
            && seq % CHECKPOINT_EVERY == 0
            && self.checkpoints.last().is_none_or(|c| c.len() < seq)
        {
            self.checkpoint(seq);
        }
    }

    /// Adds an entry that ran, and keeps a copy of the broker every
    /// [`CHECKPOINT_EVERY`] lines.
    fn push(&mut self, entry: Entry, compare: Option<CleanCompare>) {
        // The latest `clean` line's before and after (none when it cleaned
        // nothing), so a replay, which compares only the cleanings it must,
        // gives the same as clicks.
        if entry.kind == EntryKind::Clean {
            self.last_clean = compare.map(Rc::new);
        }
        self.entries.push(entry);
        let len = self.entries.len();
        if len % CHECKPOINT_EVERY == 0 {
            self.checkpoint(len);
        }
    }
}

fn is_clean(command: &Command) -> bool {
    matches!(command, Command::Clean { .. })
}

/// Runs one step; with `compare`, a cleaning also keeps the cleaned
/// partition as it was before and after.
fn run_step(broker: &mut LogManager, step: &Step, seq: usize, compare: bool) -> (StepResult, Option<CleanCompare>) {
    let before = if compare {
        clean_target(broker, &step.command)
    } else {
        None
    };
    // The one place every broker of the page runs a line: an `import`
    // line's files are there for it, and only for it.
    let provided = files::provide(broker, &step.command);
    let result = scenario::run_step(broker, step);
    if let Some(path) = provided {
        broker.withdraw_import_files(&path);
    }
    let clean = match (before, result.cleaned().and_then(|c| c.cleaned.as_ref())) {
        (Some((log, first_dirty_before)), Some(c)) => {
            let tp = &c.topic_partition;
            broker
                .partition(&tp.topic, tp.partition)
                .ok()
                .map(|after| CleanCompare {
                    seq,
                    before: log,
                    after: after.clone(),
                    first_dirty_before,
                    first_dirty_after: broker
                        .first_dirty_offset(&tp.topic, tp.partition)
                        .unwrap_or(c.end_offset),
                    result: c.clone(),
                })
        }
        _ => None,
    };
    (result, clean)
}

/// The partition a `clean` line is about to clean, copied, with its first
/// dirty offset.
fn clean_target(broker: &LogManager, command: &Command) -> Option<(PartitionLog, i64)> {
    let (topic, partition) = match command {
        Command::Clean(Clean { target: Some(tp) }) => (tp.topic.clone(), tp.partition),
        Command::Clean(Clean { target: None }) => {
            let chosen = broker.plan_cleaning().into_iter().find(|c| c.chosen)?;
            (chosen.topic_partition.topic, chosen.topic_partition.partition)
        }
        _ => return None,
    };
    let log = broker.partition(&topic, partition).ok()?.clone();
    let first_dirty = broker.first_dirty_offset(&topic, partition).ok()?;
    Some((log, first_dirty))
}

/// Runs the engine's hot paths once on a scratch session (produce,
/// generate, roll, clean, fetch, the log window, the state view), so the
/// browser compiles and optimises them before the person's first big
/// action: the first 10,000-record generate is then as fast as later ones.
pub fn warm_up() {
    let mut s = Session::default();
    let _ = s.load("topic w partitions=2 cleanup.policy=compact segment.bytes=4096\ngenerate w count=3000 keys=50 tombstones=0.01\nproduce w k:v\nroll w\nclean\nclean w/1\nconsume w/0 from=5 max=20");
    s.undo();
    let plan = s.broker.plan_cleaning();
    if let Ok(t) = s.broker.topic("w") {
        for log in t.partitions() {
            let marks =
                super::log_window::Marks::of(log, plan.iter().find(|c| c.topic_partition == *log.topic_partition()));
            let _ = super::log_window::window(log, &marks, 0, 100);
            let _ = super::log_window::segments(log, &marks);
            let _ = crate::snapshot::materialize(log);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn step(line: &str) -> Step {
        step_of_line(line).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn lines_keep_their_comments_and_undo_replays() {
        let mut s = Session::default();
        assert_eq!(s.load("# hello\ntopic t cleanup.policy=compact\n# tail"), Ok(()));
        assert!(s.run(step("produce t a:1")).is_ok());
        assert!(s.run(step("tombstone t a")).is_ok());
        assert_eq!(
            s.script(),
            "# hello\ntopic t cleanup.policy=compact\n# tail\nproduce t a:1\ntombstone t a\n"
        );
        assert_eq!(
            s.undo(),
            Some(Undone {
                line: "tombstone t a".into(),
                from: 0,
                replayed: 2
            })
        );
        assert_eq!(s.entries.len(), 2);
        assert_eq!(s.broker.partition("t", 0).map(|l| l.log_end_offset()).ok(), Some(1));
        assert_eq!(
            normalize_script("#a\n\n  topic t  \n#b"),
            Some("#a\ntopic t\n#b\n".to_string())
        );
    }

    #[test]
    fn cleaning_keeps_before_and_after() {
        let mut s = Session::default();
        assert_eq!(
            s.load("topic t cleanup.policy=compact\nproduce t a:1\nproduce t a:2\nproduce t b:1\nroll t\nclean t/0"),
            Ok(())
        );
        let c = s.last_clean.clone().unwrap_or_else(|| panic!("a cleaning"));
        assert_eq!(c.before.record_count(), 3);
        assert_eq!(c.after.record_count(), 2);
        assert_eq!(
            crate::snapshot::materialize(&c.before),
            crate::snapshot::materialize(&c.after)
        );
    }

    /// A random session of short lines over two topics: appends, tombstones,
    /// rolls, cleanings, retention, clock moves, config changes, reads and
    /// a few lines the broker rejects.
    pub(super) fn random_lines(seed: u64, n: usize) -> Vec<String> {
        let mut rng = crate::rng::SplitMix64::new(seed);
        let mut lines = vec![
            "topic t partitions=2 cleanup.policy=compact segment.bytes=200 min.cleanable.dirty.ratio=0.01".to_string(),
            "topic d cleanup.policy=delete segment.bytes=150 retention.bytes=300".to_string(),
        ];
        for _ in 0..n {
            let k = rng.below(6);
            let line = match rng.below(14) {
                0..=3 => format!("produce t k{k}:v{}", rng.below(100)),
                4 => format!("tombstone t k{k}"),
                5 => format!("produce d k{k}:some-value"),
                6 => format!("generate t count={} keys=4 seed={k}", rng.below(40)),
                7 => "roll t".to_string(),
                8 => "clean".to_string(),
                9 => format!("clean t/{}", rng.below(2)),
                10 => "retention".to_string(),
                11 => "advance 10m".to_string(),
                12 => format!("consume t/{} max=3", rng.below(2)),
                _ => "produce nope a:1".to_string(),
            };
            lines.push(line);
        }
        lines
    }

    /// The two sessions hold the same broker, lines, results, cleaning
    /// view, totals and budget (compared part by part, to say which).
    pub(super) fn assert_same(a: &Session, b: &Session, what: &str) {
        assert_eq!(a.script(), b.script(), "{what}: script");
        // A clicked line is line 1 of its own one-line script: compare
        // entries but for that.
        let strip = |s: &Session| -> Vec<Entry> {
            s.entries
                .iter()
                .cloned()
                .map(|mut e| {
                    e.step.line = 0;
                    e.result.line = 0;
                    e
                })
                .collect()
        };
        for (x, y) in strip(a).iter().zip(strip(b).iter()) {
            assert!(x == y, "{what}: entry {x:?}\n != {y:?}");
        }
        assert!(format!("{:?}", a.broker) == format!("{:?}", b.broker), "{what}: broker");
        assert!(a.last_clean == b.last_clean, "{what}: last cleaning");
        assert_eq!(a.totals, b.totals, "{what}: totals");
        assert_eq!(a.broker.usage(), b.broker.usage(), "{what}: budget used");
    }

    #[test]
    fn the_engine_budget_refuses_what_goes_over_and_changes_nothing() {
        // A click past the page's budget of records: refused by the broker,
        // with its name, and the session is as it was.
        let mut s = Session::default();
        assert_eq!(s.broker.budget(), &Budget::PAGE);
        assert_eq!(s.load("topic t\ngenerate t count=10 keys=5"), Ok(()));
        let (script, broker, stamp) = (s.script(), format!("{:?}", s.broker), s.log_stamp);
        let over = Budget::PAGE.records - s.broker.usage().records + 1;
        let rejected = s.run(step(&format!("generate t count={over} keys=5")));
        let rejected = rejected.err().unwrap_or_else(|| panic!("refused"));
        assert_eq!(rejected.error_name.as_deref(), Some("BudgetExceeded"));
        assert!(rejected.text.contains("limit records"), "{}", rejected.text);
        assert_eq!(s.script(), script);
        assert!(format!("{:?}", s.broker) == broker, "the broker is unchanged");
        assert_eq!(s.log_stamp, stamp);
        // Exactly what is left still goes through.
        assert!(s.run(step(&format!("generate t count={} keys=5", over - 1))).is_ok());
        assert_eq!(s.broker.usage().records, Budget::PAGE.records);

        // In a script, the line is an entry with the broker's error; the
        // rest runs, and undo's fresh broker has the page's budget too.
        let mut s = Session::default();
        assert_eq!(
            s.load("topic t\ngenerate t count=2000000 keys=5\nproduce t a:1"),
            Ok(())
        );
        assert_eq!(s.entries[1].result.error_name.as_deref(), Some("BudgetExceeded"));
        assert_eq!(s.broker.usage().records, 1);
        s.undo();
        s.undo();
        s.undo();
        assert_eq!(s.broker.budget(), &Budget::PAGE);

        // A script of more steps than the page's budget runs nothing.
        let long = "roll t\n".repeat(Budget::PAGE.steps as usize + 1);
        let e = s.load(&long).err().unwrap_or_else(|| panic!("refused"));
        assert_eq!(e.line, Budget::PAGE.steps as usize + 1);
        assert!(e.message.contains("limit steps"), "{e}");
        assert!(Replay::new(&long).is_err());
    }
}
