//! The session: the scenario lines run so far, each with its
//! `scenario::StepResult`, and the broker (`LogManager`) they built.
//!
//! Every user action becomes a scenario line (`scenario::to_line`), is parsed
//! back (`scenario::parse`) and run with `scenario::run_step`, the code path
//! scripts take. The list of lines run so far gives the script editor, the
//! timeline and undo: undo replays every line but the last on a fresh broker
//! (the engine is deterministic), where Kafka could only go forward.
//!
//! The page adds one limit Kafka does not have: a budget of records and value
//! bytes per session ([`MAX_SESSION_RECORDS`], [`MAX_SESSION_VALUE_BYTES`]),
//! so a pasted script cannot exhaust the tab's memory.
//!
//! This is where the page calls the engine; the reducer
//! ([`super::state`]) turns what happens here into messages and page state.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::cleaner::CleanResult;
use crate::log::PartitionLog;
use crate::log_manager::LogManager;
use crate::scenario::command::{Clean, CreateTopic, Generate, Produce};
use crate::scenario::{self, Command, Commented, Step, StepResult};

/// The most records one session may generate or produce in the page, so a
/// pasted script cannot exhaust the tab's memory (the engine's own cap is
/// meant for the command line).
pub const MAX_SESSION_RECORDS: u64 = 1_000_000;
/// The most bytes of values one session may generate in the page.
pub const MAX_SESSION_VALUE_BYTES: u64 = 256 << 20;

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
            Command::Alter(_) | Command::Unset(_) | Command::Broker(_) => EntryKind::Config,
            Command::Produce(Produce { value: None, .. }) => EntryKind::Tombstone,
            Command::Produce(_) => EntryKind::Produce,
            Command::Generate(_) => EntryKind::Generate,
            Command::Advance(_) | Command::Clock(_) => EntryKind::Clock,
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

/// One topic's totals after a step (for the chart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicMetrics {
    pub size_bytes: u64,
    pub records: u64,
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
    /// Every topic's totals after the step.
    pub metrics: BTreeMap<String, TopicMetrics>,
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
    /// Kafka's message, or the page's budget.
    pub text: String,
    /// Kafka's exception name, when the broker rejected it.
    pub error_name: Option<String>,
}

/// Why a script was not loaded (nothing of it ran).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    Syntax(scenario::SyntaxError),
    /// Over the page's budget.
    Budget(String),
}

/// The broker and the lines that built it.
#[derive(Debug, Clone, Default)]
pub struct Session {
    pub broker: LogManager,
    pub entries: Vec<Entry>,
    /// Comments at the end of the loaded script, kept for the editor.
    pub trailing_comments: Vec<String>,
    /// Shared, so that views hold it without copying two logs.
    pub last_clean: Option<Rc<CleanCompare>>,
    /// Changes whenever a log may have changed (every line but `consume`,
    /// every replay), never repeating within a page: views of the logs
    /// redraw only when it moves.
    pub log_stamp: u64,
    /// Records produced or generated so far (see [`MAX_SESSION_RECORDS`]).
    records_budget_used: u64,
    value_bytes_used: u64,
}

/// The script text of a session: comments, then each line, one a line.
pub fn script_of(entries: &[Entry], trailing: &[String]) -> String {
    let mut out = String::new();
    for e in entries {
        for c in &e.comments {
            out.push_str(c);
            out.push('\n');
        }
        out.push_str(&e.step.text);
        out.push('\n');
    }
    for c in trailing {
        out.push_str(c);
        out.push('\n');
    }
    out
}

/// A script as the session would write it back (comments and commands,
/// one a line), without running it; `None` if it does not parse.
pub fn normalize_script(text: &str) -> Option<String> {
    let (steps, trailing) = scenario::parse_with_comments(text).ok()?;
    let mut out = String::new();
    for (step, comments) in &steps {
        for c in comments {
            out.push_str(c);
            out.push('\n');
        }
        out.push_str(&step.text);
        out.push('\n');
    }
    for c in &trailing {
        out.push_str(c);
        out.push('\n');
    }
    Some(out)
}

/// One command as a scenario line, parsed back: the step a click runs, or
/// the line when it cannot be written as one (a key with ':', a value with
/// a line break, ...).
///
/// # Errors
///
/// The line itself (`Command`'s `Display`) when it does not parse back as
/// exactly this one command.
pub fn step_of(command: &Command) -> Result<Step, String> {
    let line = command.to_string();
    match scenario::parse(&line) {
        Ok(steps) if steps.len() == 1 && steps[0].command == *command => steps.into_iter().next().ok_or(line),
        Ok(_) | Err(_) => Err(line),
    }
}

/// One typed line (e.g. a custom clock advance) as a step.
///
/// # Errors
///
/// The syntax error (`line 1: <message>`), or `expected exactly one
/// command` for text with none (blank or a comment) or several lines.
pub fn step_of_line(line: &str) -> Result<Step, String> {
    match scenario::parse(line) {
        Ok(steps) if steps.len() == 1 => steps
            .into_iter()
            .next()
            .ok_or_else(|| "expected exactly one command".into()),
        Ok(_) => Err("expected exactly one command".to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// Records and value bytes a command appends, for the page's budget.
fn cost(c: &Command) -> (u64, u64) {
    match c {
        Command::Produce(Produce { value, .. }) => (1, value.as_ref().map_or(0, |v| v.len() as u64)),
        Command::Generate(Generate { count, value_bytes, .. }) => {
            (*count, count.saturating_mul(value_bytes.unwrap_or(8).saturating_add(8)))
        }
        _ => (0, 0),
    }
}

/// Checks the page's budget for a list of commands on top of `base`.
fn check_budget<'a>(commands: impl IntoIterator<Item = &'a Command>, base: (u64, u64)) -> Result<(u64, u64), String> {
    let (mut records, mut bytes) = base;
    for c in commands {
        let (r, b) = cost(c);
        records = records.saturating_add(r);
        bytes = bytes.saturating_add(b);
    }
    if records > MAX_SESSION_RECORDS {
        return Err(format!(
            "The page keeps at most {MAX_SESSION_RECORDS} produced records per session so that the tab stays responsive (this would make {records}). Use the command line (`playground run`) for bigger runs."
        ));
    }
    if bytes > MAX_SESSION_VALUE_BYTES {
        return Err(format!(
            "The page keeps at most {} MiB of values per session (this would make {} MiB).",
            MAX_SESSION_VALUE_BYTES >> 20,
            bytes >> 20
        ));
    }
    Ok((records, bytes))
}

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
    /// A [`Rejection`], and the session is unchanged: over the page's budget
    /// of records or value bytes (the page's text, no `error_name`), or
    /// rejected by the broker (Kafka's message and exception name, e.g.
    /// `UnknownTopicOrPartitionException`).
    pub fn run(&mut self, step: Step) -> Result<&Entry, Rejection> {
        let base = (self.records_budget_used, self.value_bytes_used);
        let used = check_budget([&step.command], base).map_err(|text| Rejection { text, error_name: None })?;
        let comments = std::mem::take(&mut self.trailing_comments);
        let seq = self.entries.len() + 1;
        let (entry, compare) = run_entry(&mut self.broker, step, seq, comments.clone(), true);
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
        (self.records_budget_used, self.value_bytes_used) = used;
        if let Some(c) = compare {
            self.last_clean = Some(Rc::new(c));
        }
        self.entries.push(entry);
        Ok(&self.entries[self.entries.len() - 1])
    }

    /// Replaces the session with a script: parses it all (a syntax error
    /// runs nothing), checks the budget, then runs it on a fresh broker.
    ///
    /// # Errors
    ///
    /// [`LoadError::Syntax`] for the first line that does not parse, or
    /// [`LoadError::Budget`] when the script would exceed the page's budget of
    /// records or value bytes; the session is unchanged. Lines the broker
    /// rejects do not fail the load: they are entries with an error.
    pub fn load(&mut self, text: &str) -> Result<(), LoadError> {
        let (steps, trailing) = scenario::parse_with_comments(text).map_err(LoadError::Syntax)?;
        let used = check_budget(steps.iter().map(|(s, _)| &s.command), (0, 0)).map_err(LoadError::Budget)?;
        self.replay(steps);
        self.trailing_comments = trailing;
        (self.records_budget_used, self.value_bytes_used) = used;
        Ok(())
    }

    /// Drops the last line and replays the rest; returns the line undone,
    /// or `None` when the session is empty.
    pub fn undo(&mut self) -> Option<String> {
        let mut steps: Commented = self
            .entries
            .iter()
            .map(|e| (e.step.clone(), e.comments.clone()))
            .collect();
        let (undone, comments) = steps.pop()?;
        let trailing = std::mem::take(&mut self.trailing_comments);
        let used = check_budget(steps.iter().map(|(s, _)| &s.command), (0, 0)).unwrap_or((0, 0));
        self.replay(steps);
        self.trailing_comments = comments.into_iter().chain(trailing).collect();
        (self.records_budget_used, self.value_bytes_used) = used;
        Some(undone.text)
    }

    /// An empty broker and an empty session (the log stamp still moves on).
    pub fn reset(&mut self) {
        let stamp = self.log_stamp;
        *self = Session::default();
        self.log_stamp = stamp + 1;
    }

    /// Runs steps on a fresh broker, replacing the session.
    fn replay(&mut self, steps: Commented) {
        let mut broker = LogManager::default();
        let last_clean = steps
            .iter()
            .rposition(|(s, _)| matches!(s.command, Command::Clean { .. }));
        let mut entries = Vec::with_capacity(steps.len());
        let mut compare = None;
        for (i, (step, comments)) in steps.into_iter().enumerate() {
            let (entry, c) = run_entry(&mut broker, step, i + 1, comments, Some(i) == last_clean);
            if c.is_some() {
                compare = c;
            }
            entries.push(entry);
        }
        self.broker = broker;
        self.entries = entries;
        self.last_clean = compare.map(Rc::new);
        self.log_stamp += 1;
        self.trailing_comments.clear();
    }
}

/// Runs one step and records it; with `compare`, a cleaning also keeps the
/// cleaned partition as it was before and after.
fn run_entry(
    broker: &mut LogManager,
    step: Step,
    seq: usize,
    comments: Vec<String>,
    compare: bool,
) -> (Entry, Option<CleanCompare>) {
    let before = if compare {
        clean_target(broker, &step.command)
    } else {
        None
    };
    let result = scenario::run_step(broker, &step);
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
    let entry = Entry {
        seq,
        kind: EntryKind::of(&step.command),
        step,
        comments,
        result,
        now_ms: broker.now_ms(),
        metrics: metrics(broker),
    };
    (entry, clean)
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

/// Every topic's size and record count.
pub fn metrics(broker: &LogManager) -> BTreeMap<String, TopicMetrics> {
    broker
        .topics()
        .map(|t| {
            let mut m = TopicMetrics {
                size_bytes: 0,
                records: 0,
            };
            for log in t.partitions() {
                m.size_bytes += log.size_bytes();
                m.records += log.record_count();
            }
            (t.name().to_string(), m)
        })
        .collect()
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

    fn step(line: &str) -> Step {
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
        assert_eq!(s.undo().as_deref(), Some("tombstone t a"));
        assert_eq!(s.entries.len(), 2);
        assert_eq!(s.broker.partition("t", 0).map(|l| l.log_end_offset()).ok(), Some(1));
        assert_eq!(
            normalize_script("#a\n\n  topic t  \n#b"),
            Some("#a\ntopic t\n#b\n".to_string())
        );
    }

    #[test]
    fn unwritable_commands_are_not_steps() {
        let c = Command::Produce(scenario::command::Produce {
            topic: "t".into(),
            partition: None,
            timestamp_ms: None,
            key: Some("a:b".into()),
            value: Some("1".into()),
        });
        assert!(step_of(&c).is_err());
        assert_eq!(
            step_of_line("topic t\ntopic u").err().as_deref(),
            Some("expected exactly one command")
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

    #[test]
    fn budget_refuses_huge_scripts() {
        let mut s = Session::default();
        assert!(matches!(
            s.load("topic t\ngenerate t count=2000000 keys=5"),
            Err(LoadError::Budget(_))
        ));
        assert!(s.entries.is_empty());
    }
}
