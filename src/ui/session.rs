//! The session: the scenario lines run so far, each with its
//! `scenario::StepResult`, and the broker (`LogManager`) they built.
//!
//! Every user action becomes a scenario line (`scenario::to_line`), is parsed
//! back (`scenario::parse`) and run with `scenario::run_step`, the code path
//! scripts take. The list of lines run so far gives the script editor, the
//! timeline and undo, where Kafka could only go forward.
//!
//! Undo does not replay the whole session: every [`CHECKPOINT_EVERY`] lines
//! the session keeps a copy of the broker (a [`LogManager`] clones whole), at
//! most [`MAX_CHECKPOINTS`] of them holding at most [`CHECKPOINT_RECORDS`]
//! records together (older ones are thinned out first, so their spacing
//! grows); undo restores the nearest copy and replays the few lines after
//! it. The engine is deterministic, so that is the state a replay from an
//! empty broker would build (tested below over random sessions).
//!
//! A whole script is run by a [`Replay`]: a fresh session built a few lines
//! at a time, so the page can yield to the browser between slices, show
//! progress and cancel (the session it replaces is untouched until
//! [`Replay::finish`]).
//!
//! Bookkeeping per line is bounded: each entry keeps the totals of only the
//! topics that line changed (the chart draws a topic as a step line through
//! them), kept incrementally in one map of current totals.
//!
//! The page's limits are the engine's: every broker here is made with the
//! page's budget ([`Budget::PAGE`], see [`page_broker`]) and scripts are
//! parsed within its `steps`, so a pasted script cannot exhaust the tab's
//! memory, and what goes over is refused by the broker, with its message
//! (`BudgetExceeded`), the same in the page, the JS API and `playground run
//! --page-budget`. The page only estimates the work a line or a script is
//! ([`cost`], [`Replay::weight`]) to decide when to show that it is busy.
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
use crate::scenario::{self, Command, Outcome, Step, StepResult};

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

/// Lines between two copies of the broker kept for undo.
pub const CHECKPOINT_EVERY: usize = 32;
/// Copies of the broker kept for undo at most.
pub const MAX_CHECKPOINTS: usize = 8;
/// Records held by all copies together at most (a copy of a million-record
/// broker is tens of megabytes).
pub const CHECKPOINT_RECORDS: u64 = 2_000_000;

/// One topic's totals after a step (for the chart).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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

/// What an undo did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undone {
    /// The line dropped.
    pub line: String,
    /// The lines the restored copy of the broker had run (0: none was kept,
    /// undo started from an empty broker).
    pub from: usize,
    /// How many lines were run again after that copy.
    pub replayed: usize,
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
    /// Every topic's current totals, kept step by step.
    totals: BTreeMap<Rc<str>, TopicMetrics>,
    /// Copies of the broker for undo, oldest first.
    checkpoints: Vec<Checkpoint>,
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
            totals: BTreeMap::new(),
            checkpoints: Vec::new(),
        }
    }
}

/// The session after its first `len` lines, for undo.
#[derive(Debug, Clone)]
struct Checkpoint {
    len: usize,
    broker: LogManager,
    totals: BTreeMap<Rc<str>, TopicMetrics>,
    last_clean: Option<Rc<CleanCompare>>,
    records: u64,
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

/// Records a command asks to append: how the page tells a heavy line
/// (worth a busy sign) from a light one. Not a limit: the broker's budget
/// decides what runs.
pub fn cost(c: &Command) -> u64 {
    match c {
        Command::Produce(_) => 1,
        Command::Generate(Generate { count, .. }) => *count,
        _ => 0,
    }
}

/// A script parsed within the page's budget of steps, with its comments: a
/// script of more steps is refused at the first one too many, before the
/// rest is read.
fn parse_page(text: &str) -> Result<(scenario::Commented, Vec<String>), scenario::SyntaxError> {
    scenario::parse_within(text, Budget::PAGE.steps)?;
    scenario::parse_with_comments(text)
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
    /// A [`Rejection`], and the session is unchanged: rejected by the broker
    /// (Kafka's message and exception name, e.g.
    /// `UnknownTopicOrPartitionException`), or past the page's budget
    /// (`BudgetExceeded`, naming the limit and the command).
    pub fn run(&mut self, step: Step) -> Result<&Entry, Rejection> {
        let comments = std::mem::take(&mut self.trailing_comments);
        let seq = self.entries.len() + 1;
        let (entry, compare) = self.apply(step, seq, comments.clone(), true);
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

    /// Drops the last line: restores the nearest copy of the broker at or
    /// before the line before it and replays the lines after that copy.
    /// Returns the line undone and how many were replayed, or `None` when
    /// the session is empty.
    pub fn undo(&mut self) -> Option<Undone> {
        let undone = self.entries.pop()?;
        let target = self.entries.len();
        self.checkpoints.retain(|c| c.len <= target);
        let (from, broker, totals, last_clean) = match self.checkpoints.last() {
            Some(c) => (c.len, c.broker.clone(), c.totals.clone(), c.last_clean.clone()),
            None => (0, page_broker(), BTreeMap::new(), None),
        };
        self.broker = broker;
        self.totals = totals;
        self.last_clean = last_clean;
        let replayed = target - from;
        let later: Vec<(Step, Vec<String>)> = self.entries[from..]
            .iter()
            .map(|e| (e.step.clone(), e.comments.clone()))
            .collect();
        let last = later.iter().rposition(|(s, _)| is_clean(&s.command));
        for (i, (step, comments)) in later.into_iter().enumerate() {
            let seq = from + i + 1;
            let (entry, compare) = self.apply(step, seq, comments, Some(i) == last);
            if entry.kind == EntryKind::Clean {
                self.last_clean = compare.map(Rc::new);
            }
            // The same line on the same broker: the same entry (kept).
            debug_assert!(self.entries[from + i] == entry);
        }
        let trailing = std::mem::take(&mut self.trailing_comments);
        self.trailing_comments = undone.comments.into_iter().chain(trailing).collect();
        self.log_stamp += 1;
        Some(Undone {
            line: undone.step.text,
            from,
            replayed,
        })
    }

    /// An empty broker and an empty session (the log stamp still moves on).
    pub fn reset(&mut self) {
        let stamp = self.log_stamp;
        *self = Session::default();
        self.log_stamp = stamp + 1;
    }

    /// How many copies of the broker undo keeps now (for tests and the
    /// page's notes).
    pub fn checkpoints(&self) -> usize {
        self.checkpoints.len()
    }

    /// Runs one step on the broker and records it, with the totals of the
    /// topics it changed; with `compare`, a cleaning also keeps the cleaned
    /// partition as it was before and after.
    fn apply(&mut self, step: Step, seq: usize, comments: Vec<String>, compare: bool) -> (Entry, Option<CleanCompare>) {
        let (result, clean) = run_step(&mut self.broker, &step, seq, compare);
        let metrics = if result.ok {
            self.update_totals(&step.command, &result)
        } else {
            Vec::new()
        };
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

    /// Brings the current totals up to date after a step that went
    /// through, and returns those of the topics it changed. An append adds
    /// its records (only the size is read back, segment by segment); a
    /// cleaning or a retention check recounts the topics it touched.
    fn update_totals(&mut self, command: &Command, result: &StepResult) -> Vec<(Rc<str>, TopicMetrics)> {
        let mut changed: Vec<(String, u64)> = Vec::new();
        let mut recount: Vec<String> = Vec::new();
        match command {
            Command::Topic(CreateTopic { name, .. }) => recount.push(name.clone()),
            Command::Produce(Produce { topic, .. }) => changed.push((topic.clone(), 1)),
            Command::Generate(_) => {
                if let Outcome::Generate(g) = &result.outcome {
                    changed.push((g.topic.clone(), g.count));
                }
            }
            Command::Clean(_) => {
                if let Some(c) = result.cleaned() {
                    recount.extend(c.cleaned.iter().map(|c| c.topic_partition.topic.clone()));
                    recount.extend(c.deleted.iter().map(|d| d.topic_partition.topic.clone()));
                }
            }
            Command::Retention(_) => {
                if let Some(r) = result.retention() {
                    recount.extend(r.deleted.iter().map(|d| d.topic_partition.topic.clone()));
                }
            }
            _ => {}
        }
        let mut out: Vec<(Rc<str>, TopicMetrics)> = Vec::new();
        for (topic, added) in changed {
            let size_bytes = topic_size(&self.broker, &topic);
            let key = self.key(&topic);
            let m = self.totals.entry(key.clone()).or_default();
            m.records += added;
            m.size_bytes = size_bytes;
            out.push((key, m.clone()));
        }
        recount.sort();
        recount.dedup();
        for topic in recount {
            let m = topic_metrics(&self.broker, &topic);
            let key = self.key(&topic);
            self.totals.insert(key.clone(), m.clone());
            out.push((key, m));
        }
        out
    }

    /// The shared name of a topic (one allocation per topic, not per line).
    fn key(&self, topic: &str) -> Rc<str> {
        self.totals
            .get_key_value(topic)
            .map_or_else(|| Rc::from(topic), |(k, _)| Rc::clone(k))
    }

    /// Every topic's current totals.
    pub fn totals(&self) -> &BTreeMap<Rc<str>, TopicMetrics> {
        &self.totals
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

    /// Keeps a copy of the broker after the first `len` lines, then thins
    /// the copies: over [`MAX_CHECKPOINTS`], every other one from the oldest
    /// goes (the spacing of old copies doubles); over
    /// [`CHECKPOINT_RECORDS`], the oldest go.
    fn checkpoint(&mut self, len: usize) {
        let records = self.totals.values().map(|m| m.records).sum();
        self.checkpoints.push(Checkpoint {
            len,
            broker: self.broker.clone(),
            totals: self.totals.clone(),
            last_clean: self.last_clean.clone(),
            records,
        });
        if self.checkpoints.len() > MAX_CHECKPOINTS {
            let mut i = 0;
            self.checkpoints.retain(|_| {
                i += 1;
                i % 2 == 0
            });
        }
        while self.checkpoints.iter().map(|c| c.records).sum::<u64>() > CHECKPOINT_RECORDS {
            self.checkpoints.remove(0);
        }
    }
}

/// A script being run into a fresh session, a slice at a time: the page
/// yields to the browser between slices and may drop it (cancel) without
/// touching the session it was to replace.
#[derive(Debug, Clone)]
pub struct Replay {
    session: Session,
    steps: std::vec::IntoIter<(Step, Vec<String>)>,
    /// Which lines are cleanings to compare before and after: the last one
    /// between two checkpoints (what undo and the cleaner view can show).
    compare: Vec<bool>,
    total: usize,
    trailing: Vec<String>,
    /// Records the script asks to append (see [`cost`]).
    records: u64,
}

impl Replay {
    /// Parses a script within the page's budget of steps; nothing runs yet.
    /// What the lines ask of the other limits is the broker's to refuse, line
    /// by line, as they run.
    ///
    /// # Errors
    ///
    /// The first line that does not parse, or the first step past the page's
    /// budget of steps.
    pub fn new(text: &str) -> Result<Replay, scenario::SyntaxError> {
        let (steps, trailing) = parse_page(text)?;
        let records = steps.iter().fold(0u64, |n, (s, _)| n.saturating_add(cost(&s.command)));
        // A cleaning is compared if no later one falls before the next
        // checkpoint (nor before the end).
        let mut compare = vec![false; steps.len()];
        let mut next_clean_block = None;
        for (i, (s, _)) in steps.iter().enumerate().rev() {
            if is_clean(&s.command) {
                let block = i / CHECKPOINT_EVERY;
                compare[i] = next_clean_block != Some(block);
                next_clean_block = Some(block);
            }
        }
        Ok(Replay {
            session: Session::default(),
            total: steps.len(),
            steps: steps.into_iter(),
            compare,
            trailing,
            records,
        })
    }

    /// How much work the script is, roughly: a line, or a hundred records
    /// appended, count one.
    pub fn weight(&self) -> u64 {
        (self.total as u64).saturating_add(self.records / 100)
    }

    /// Lines run so far.
    pub fn done(&self) -> usize {
        self.session.entries.len()
    }

    /// Lines in the script.
    pub fn total(&self) -> usize {
        self.total
    }

    /// The next line to run, if any (for the progress note).
    pub fn next_line(&self) -> Option<&str> {
        self.steps.as_slice().first().map(|(s, _)| s.text.as_str())
    }

    /// Whether every line has run.
    pub fn is_done(&self) -> bool {
        self.steps.as_slice().is_empty()
    }

    /// Runs lines while `more(lines run in this call)` says so (at least
    /// one, if any is left). Returns whether every line has run.
    pub fn run_while(&mut self, mut more: impl FnMut(usize) -> bool) -> bool {
        let mut ran = 0;
        while ran == 0 || more(ran) {
            let Some((step, comments)) = self.steps.next() else {
                break;
            };
            let i = self.session.entries.len();
            let compare = self.compare.get(i).copied().unwrap_or(false);
            let (entry, c) = self.session.apply(step, i + 1, comments, compare);
            self.session.push(entry, c);
            ran += 1;
        }
        self.is_done()
    }

    /// The session built, whose log stamp moves on from `stamp` (that of
    /// the session it replaces). Lines not run yet are run first.
    pub fn finish(mut self, stamp: u64) -> Session {
        self.run_while(|_| true);
        let mut session = self.session;
        session.trailing_comments = self.trailing;
        session.log_stamp = stamp + 1;
        session
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
    let result = scenario::run_step(broker, step);
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

/// A topic's size in bytes (segment sizes are kept, so this does not walk
/// records).
fn topic_size(broker: &LogManager, topic: &str) -> u64 {
    broker
        .topic(topic)
        .map_or(0, |t| t.partitions().iter().map(PartitionLog::size_bytes).sum())
}

/// A topic's size and record count, counted.
pub fn topic_metrics(broker: &LogManager, topic: &str) -> TopicMetrics {
    let mut m = TopicMetrics::default();
    if let Ok(t) = broker.topic(topic) {
        for log in t.partitions() {
            m.size_bytes += log.size_bytes();
            m.records += log.record_count();
        }
    }
    m
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

    /// A random session of short lines over two topics: appends, tombstones,
    /// rolls, cleanings, retention, clock moves, config changes, reads and
    /// a few lines the broker rejects.
    fn random_lines(seed: u64, n: usize) -> Vec<String> {
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
    fn assert_same(a: &Session, b: &Session, what: &str) {
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
    fn undo_from_a_checkpoint_is_a_replay_from_scratch() {
        for seed in 0..12u64 {
            let lines = random_lines(seed, 150 + seed as usize * 7);
            let mut s = Session::default();
            // Clicks (rejected lines are not added), so the session's
            // checkpoints come from `run`.
            for line in &lines {
                let _ = s.run(step(line));
            }
            assert!(s.checkpoints() > 0, "seed {seed}: checkpoints kept");
            for undo in 0..45 {
                let undone = s.undo();
                assert!(undone.is_some(), "seed {seed}: undo {undo}");
                let mut fresh = Session::default();
                assert_eq!(fresh.load(&s.script()), Ok(()));
                assert_same(&s, &fresh, &format!("seed {seed}, after {} undos", undo + 1));
            }
            // A loaded session undoes the same way.
            let mut loaded = Session::default();
            assert_eq!(loaded.load(&lines.join("\n")), Ok(()));
            for _ in 0..40 {
                loaded.undo();
            }
            let mut fresh = Session::default();
            assert_eq!(fresh.load(&loaded.script()), Ok(()));
            assert_same(&loaded, &fresh, &format!("seed {seed}: a loaded session"));
        }
    }

    #[test]
    fn totals_kept_step_by_step_match_a_recount() {
        let mut s = Session::default();
        assert_eq!(s.load(&random_lines(99, 400).join("\n")), Ok(()));
        for (topic, m) in s.totals() {
            assert_eq!(*m, topic_metrics(&s.broker, topic), "{topic}");
        }
        // Each entry keeps only the topics it changed.
        assert!(s.entries.iter().all(|e| e.metrics.len() <= 2));
        assert!(s.entries.iter().any(|e| e.metrics_of("t").is_some()));
    }

    #[test]
    fn checkpoints_are_bounded() {
        let mut s = Session::default();
        assert_eq!(s.load(&random_lines(7, CHECKPOINT_EVERY * 40).join("\n")), Ok(()));
        assert!(s.checkpoints() <= MAX_CHECKPOINTS);
        assert!(s.checkpoints.windows(2).all(|w| w[0].len < w[1].len));
        assert!(s.checkpoints.iter().map(|c| c.records).sum::<u64>() <= CHECKPOINT_RECORDS);
    }

    #[test]
    fn a_replay_runs_in_slices_and_leaves_nothing_half_done() {
        let text = random_lines(3, 100).join("\n");
        let mut whole = Session::default();
        assert_eq!(whole.load(&text), Ok(()));
        let mut r = Replay::new(&text).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(r.total(), 102);
        let mut slices = 0;
        while !r.run_while(|ran| ran < 10) {
            slices += 1;
            assert_eq!(r.done(), slices * 10);
        }
        assert_eq!(slices, 10);
        let sliced = r.finish(whole.log_stamp - 1);
        assert_same(&sliced, &whole, "sliced");
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
