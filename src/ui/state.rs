//! The page's one state and its one reducer: the simulated broker plus the
//! session of scenario lines that built it.
//!
//! Every user action becomes a scenario line (the command's `Display`), is parsed
//! back (`scenario::parse`) and run with `scenario::run_step`, the code path
//! scripts take. The session *is* the list of lines run so far with their
//! results, which gives the script editor, the timeline and undo (replay every
//! line but the last on a fresh broker; the engine is deterministic).
//!
//! The broker sits behind a `RefCell` shared by every version of the store:
//! cloning a log of thousands of records on each click would be wasteful.
//! Only [`Store::reduce`] borrows it mutably, and only while an action runs;
//! components borrow it immutably while they render. `version` changes on
//! every action, so components compare stores by version.

use std::cell::{Ref, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use yew::Reducible;

use crate::cleaner::CleanResult;
use crate::log::PartitionLog;
use crate::log_manager::LogManager;
use crate::scenario::command::{Alter, Broker, Clean, CreateTopic, Produce, Retention, Roll, Unset};
use crate::scenario::{self, Command, Commented, Step, StepResult};

/// The most records one session may generate or produce in the page, so a
/// pasted script cannot exhaust the tab's memory (the engine's own cap is
/// meant for the command line).
pub const MAX_SESSION_RECORDS: u64 = 1_000_000;
/// The most bytes of values one session may generate in the page.
pub const MAX_SESSION_VALUE_BYTES: u64 = 256 << 20;

/// Which control an action came from, so an error shows beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Header,
    Clock,
    TopicCreate,
    TopicConfig(String),
    BrokerConfig(String),
    Produce,
    Generate,
    Partition(String, u32),
    Cleaner,
    Consumer,
    Script,
    Scenario(String),
    Url,
}

/// Whether the last action went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Ok,
    Info,
    Error,
}

/// The message of the last action, shown beside its control and in the
/// page's status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub origin: Origin,
    pub kind: StatusKind,
    pub text: String,
    /// For a rejected step, Kafka's exception name (for example
    /// `InvalidConfigurationException`).
    pub error_name: Option<String>,
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

/// The broker and the session that built it.
#[derive(Debug, Clone, Default)]
pub struct Session {
    pub broker: LogManager,
    pub entries: Vec<Entry>,
    /// Comments at the end of the loaded script, kept for the editor.
    pub trailing_comments: Vec<String>,
    /// Shared, so that views hold it without copying two logs.
    pub last_clean: Option<Rc<CleanCompare>>,
    pub status: Option<Status>,
    /// The topic the page shows (UI state, not part of the script).
    pub selected_topic: Option<String>,
    /// Changes whenever a log may have changed (every line but `consume`,
    /// every replay), never repeating within a page: views of the logs
    /// redraw only when it moves.
    pub log_stamp: u64,
    /// A script from the URL that did not parse, for the editor to show.
    pub rejected_script: Option<String>,
    /// Records produced or generated so far (see [`MAX_SESSION_RECORDS`]).
    records_budget_used: u64,
    value_bytes_used: u64,
    /// A read-only embed: only whole scripts (from the address or the host
    /// page) and reads (`consume`) run; clicks that would change the log
    /// are refused.
    pub read_only: bool,
}

/// Everything the page can ask the state to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Run one command as a scenario line (a click in the page).
    Exec {
        command: Command,
        origin: Origin,
    },
    /// Run one typed scenario line (e.g. a custom clock advance).
    ExecLine {
        line: String,
        origin: Origin,
    },
    /// Replace the session with a script: parse it all (a syntax error runs
    /// nothing), then run it on a fresh broker.
    LoadScript {
        text: String,
        origin: Origin,
    },
    /// Drop the last line and replay the rest.
    Undo,
    /// An empty broker and an empty session.
    Reset,
    SelectTopic(String),
    /// Show a message without changing the broker (e.g. a form the page
    /// refused before it became a line).
    Notice {
        origin: Origin,
        kind: StatusKind,
        text: String,
    },
    DismissStatus,
}

/// The reducer's state: a shared session and a version that changes with
/// every action.
#[derive(Debug, Clone)]
pub struct Store {
    session: Rc<RefCell<Session>>,
    pub version: u64,
}

impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.session, &other.session) && self.version == other.version
    }
}

impl Default for Store {
    fn default() -> Self {
        Store {
            session: Rc::new(RefCell::new(Session::default())),
            version: 0,
        }
    }
}

impl Store {
    /// Read access for rendering. Never held across an action.
    pub fn session(&self) -> Ref<'_, Session> {
        self.session.borrow()
    }

    /// Makes the session read-only (an embed with `?readonly`).
    pub fn set_read_only(&self, read_only: bool) {
        if let Ok(mut s) = self.session.try_borrow_mut() {
            s.read_only = read_only;
        }
    }

    /// Applies an action directly (outside Yew: start-up and tests).
    pub fn apply(&self, action: Action) {
        if let Ok(mut s) = self.session.try_borrow_mut() {
            s.apply(action);
        }
    }
}

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let applied = match self.session.try_borrow_mut() {
            Ok(mut s) => {
                s.apply(action);
                true
            }
            // Only possible if an action were dispatched while rendering;
            // drop it rather than panic.
            Err(_) => false,
        };
        if !applied {
            return self;
        }
        Rc::new(Store {
            session: Rc::clone(&self.session),
            version: self.version.wrapping_add(1),
        })
    }
}

/// The script text of a session: comments, then each line, one a line.
pub fn script_of(entries: &[Entry], trailing: &[String]) -> String {
    scenario::script::write(
        entries.iter().map(|e| (e.comments.as_slice(), e.step.text.as_str())),
        trailing,
    )
}

/// Records and value bytes a command appends, for the page's budget.
fn cost(c: &Command) -> (u64, u64) {
    match c {
        Command::Produce(Produce { value, .. }) => (1, value.as_ref().map_or(0, |v| v.len() as u64)),
        Command::Generate(g) => (
            g.count,
            g.count.saturating_mul(g.value_bytes.unwrap_or(8).saturating_add(8)),
        ),
        _ => (0, 0),
    }
}

impl Session {
    /// The session as a script.
    pub fn script(&self) -> String {
        script_of(&self.entries, &self.trailing_comments)
    }

    /// The topic the page shows: the selected one if it exists, else the
    /// first.
    pub fn current_topic(&self) -> Option<String> {
        if let Some(t) = &self.selected_topic {
            if self.broker.topic(t).is_ok() {
                return Some(t.clone());
            }
        }
        self.broker.topics().next().map(|t| t.name().to_string())
    }

    /// The latest entry of a kind, newest first.
    pub fn latest(&self, kind: EntryKind) -> Option<&Entry> {
        self.entries.iter().rev().find(|e| e.kind == kind)
    }

    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Exec { command, origin } if self.read_only && !matches!(command, Command::Consume(_)) => {
                self.refuse(origin)
            }
            Action::ExecLine { origin, .. } if self.read_only => self.refuse(origin),
            Action::Undo if self.read_only => self.refuse(Origin::Header),
            Action::Exec { command, origin } => {
                let line = command.to_string();
                match scenario::parse(&line) {
                    Ok(steps) if steps.len() == 1 && steps[0].command == command => {
                        self.exec_user(
                            steps.into_iter().next().unwrap_or_else(|| unreachable_step(&line)),
                            origin,
                        );
                    }
                    Ok(_) | Err(_) => {
                        // A topic name that cannot be a word is one Kafka
                        // refuses too: give Kafka's words.
                        let text = match &command {
                            Command::Topic(CreateTopic { name, .. }) => crate::topic::validate_topic_name(name).err().map(|e| e.to_string()),
                            _ => None,
                        }
                        .unwrap_or_else(|| format!(
                            "This cannot be written as a scenario line ({line:?}): keys cannot contain ':' or line breaks, values cannot contain line breaks, and config values cannot contain spaces."
                        ));
                        self.set_status(origin, StatusKind::Error, text)
                    }
                }
            }
            Action::ExecLine { line, origin } => match scenario::parse(&line) {
                Ok(steps) if steps.len() == 1 => {
                    if let Some(step) = steps.into_iter().next() {
                        self.exec_user(step, origin);
                    }
                }
                Ok(_) => self.set_status(origin, StatusKind::Error, "expected exactly one command".to_string()),
                Err(e) => self.set_status(origin, StatusKind::Error, e.to_string()),
            },
            Action::LoadScript { text, origin } => self.load_script(&text, origin),
            Action::Undo => self.undo(),
            Action::Reset => {
                let selected = self.selected_topic.take();
                let (stamp, read_only) = (self.log_stamp, self.read_only);
                *self = Session::default();
                self.read_only = read_only;
                self.selected_topic = selected;
                self.log_stamp = stamp + 1;
                self.set_status(
                    Origin::Header,
                    StatusKind::Info,
                    "Reset: an empty broker, an empty session.".to_string(),
                );
            }
            Action::SelectTopic(t) => self.selected_topic = Some(t),
            Action::Notice { origin, kind, text } => self.set_status(origin, kind, text),
            Action::DismissStatus => self.status = None,
        }
    }

    fn refuse(&mut self, origin: Origin) {
        self.set_status(
            origin,
            StatusKind::Info,
            "This embedded playground is read-only: open it in the full playground to change it.".to_string(),
        );
    }

    fn set_status(&mut self, origin: Origin, kind: StatusKind, text: String) {
        self.status = Some(Status {
            origin,
            kind,
            text,
            error_name: None,
        });
    }

    /// Checks the page's budget for a list of commands on top of what the
    /// session already holds.
    fn check_budget<'a>(
        &self,
        commands: impl IntoIterator<Item = &'a Command>,
        base: (u64, u64),
    ) -> Result<(u64, u64), String> {
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

    /// A click: run the line; a rejected one changes nothing and is not
    /// added to the session, its error is shown.
    fn exec_user(&mut self, step: Step, origin: Origin) {
        let base = (self.records_budget_used, self.value_bytes_used);
        let used = match self.check_budget([&step.command], base) {
            Ok(u) => u,
            Err(e) => return self.set_status(origin, StatusKind::Error, e),
        };
        let comments = std::mem::take(&mut self.trailing_comments);
        let seq = self.entries.len() + 1;
        let (entry, compare) = run_entry(&mut self.broker, step, seq, comments.clone(), true);
        if entry.result.ok {
            if entry.kind != EntryKind::Consume {
                self.log_stamp += 1;
            }
            self.records_budget_used = used.0;
            self.value_bytes_used = used.1;
            if let Command::Topic(CreateTopic { name, .. }) = &entry.step.command {
                self.selected_topic = Some(name.clone());
            }
            if let Some(c) = compare {
                self.last_clean = Some(Rc::new(c));
            }
            let text = describe_result(&entry);
            self.entries.push(entry);
            self.set_status(origin, StatusKind::Ok, text);
        } else {
            self.trailing_comments = comments;
            let text = entry.result.error.clone().unwrap_or_else(|| "rejected".to_string());
            self.set_status(origin, StatusKind::Error, text);
            if let Some(s) = self.status.as_mut() {
                s.error_name = entry.result.error_name.clone();
            }
        }
    }

    fn load_script(&mut self, text: &str, origin: Origin) {
        let (steps, trailing) = match scenario::parse_with_comments(text) {
            Ok(p) => p,
            Err(e) => {
                if origin == Origin::Url {
                    self.rejected_script = Some(text.to_string());
                }
                return self.set_status(origin, StatusKind::Error, e.to_string());
            }
        };
        let used = match self.check_budget(steps.iter().map(|(s, _)| &s.command), (0, 0)) {
            Ok(u) => u,
            Err(e) => return self.set_status(origin, StatusKind::Error, e),
        };
        let selected = self.selected_topic.take();
        self.replay(steps);
        self.trailing_comments = trailing;
        self.records_budget_used = used.0;
        self.value_bytes_used = used.1;
        self.selected_topic = selected.filter(|t| self.broker.topic(t).is_ok());
        if self.selected_topic.is_none() {
            self.selected_topic = self.entries.iter().find_map(|e| match &e.step.command {
                Command::Topic(CreateTopic { name, .. }) if e.result.ok => Some(name.clone()),
                _ => None,
            });
        }
        let rejected: Vec<&Entry> = self.entries.iter().filter(|e| !e.result.ok).collect();
        let n = self.entries.len();
        let text = match rejected.first() {
            None => format!("Ran {n} line{}.", plural(n)),
            Some(first) => format!(
                "Ran {n} line{}; {} rejected by the broker (first: line {}: {}).",
                plural(n),
                rejected.len(),
                first.step.line,
                first.result.error.as_deref().unwrap_or("rejected")
            ),
        };
        let kind = if rejected.is_empty() {
            StatusKind::Ok
        } else {
            StatusKind::Error
        };
        self.set_status(origin, kind, text);
    }

    /// Runs steps on a fresh broker, replacing the session.
    fn replay(&mut self, steps: Commented) {
        let mut broker = LogManager::default();
        let last_clean = steps.iter().rposition(|(s, _)| matches!(s.command, Command::Clean(_)));
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

    fn undo(&mut self) {
        let Some(last) = self.entries.last() else {
            return self.set_status(Origin::Header, StatusKind::Info, "Nothing to undo.".to_string());
        };
        let undone = last.step.text.clone();
        let mut steps: Commented = self
            .entries
            .iter()
            .map(|e| (e.step.clone(), e.comments.clone()))
            .collect();
        let (_, comments) = steps.pop().unwrap_or_else(|| (unreachable_step(""), Vec::new()));
        let trailing = std::mem::take(&mut self.trailing_comments);
        let used = self
            .check_budget(steps.iter().map(|(s, _)| &s.command), (0, 0))
            .unwrap_or((0, 0));
        self.replay(steps);
        self.trailing_comments = comments.into_iter().chain(trailing).collect();
        self.records_budget_used = used.0;
        self.value_bytes_used = used.1;
        self.set_status(
            Origin::Header,
            StatusKind::Info,
            format!(
                "Undid `{undone}` (replayed the {} line{} before it).",
                self.entries.len(),
                plural(self.entries.len())
            ),
        );
    }
}

/// A placeholder that is never run (keeps `unwrap` out of the reducer).
fn unreachable_step(text: &str) -> Step {
    Step {
        line: 0,
        word: String::new(),
        text: text.to_string(),
        command: Command::Retention(Retention),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
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
        (Some((log, first_dirty_before)), Some(c)) => broker
            .partition(&c.topic_partition.topic, c.topic_partition.partition)
            .ok()
            .map(|after| CleanCompare {
                seq,
                before: log,
                after: after.clone(),
                first_dirty_before,
                first_dirty_after: broker
                    .first_dirty_offset(&c.topic_partition.topic, c.topic_partition.partition)
                    .unwrap_or(c.end_offset),
                result: c.clone(),
            }),
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

/// A sentence on what a successful line did.
pub fn describe_result(e: &Entry) -> String {
    let r = &e.result;
    match &e.step.command {
        Command::Topic(CreateTopic { name, .. }) => format!("Created topic {name}."),
        Command::Alter(Alter { topic, configs }) => {
            let list = configs
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", ");
            format!("Set {list} on {topic}.")
        }
        Command::Unset(Unset { topic, names }) => {
            format!(
                "Removed the override of {} on {topic}: back to the broker default.",
                names.join(", ")
            )
        }
        Command::Broker(Broker { configs }) => {
            let list = configs
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(", ");
            format!("Broker: set {list}.")
        }
        Command::Produce(Produce { value, .. }) => {
            let what = if value.is_none() { "Tombstone" } else { "Record" };
            let p = r.produced();
            let mut s = format!(
                "{what} written to {}-{} at offset {}.",
                p.map_or("?", |p| p.topic.as_str()),
                p.map_or(0, |p| p.partition),
                p.map_or(-1, |p| p.offset)
            );
            if let Some(roll) = p.and_then(|p| p.rolled.as_ref()) {
                s.push_str(&format!(" The append rolled a new segment ({roll})."));
            }
            s
        }
        Command::Generate(g) => {
            format!("Generated {} records over {} keys on {}.", g.count, g.keys, g.topic)
        }
        Command::Advance(_) | Command::Clock(_) => {
            format!(
                "Clock is now {}.",
                super::format::time(r.clock().map_or(e.now_ms, |c| c.now_ms))
            )
        }
        Command::Roll(Roll { topic, .. }) => match r.rolled().map(|o| o.rolled_partitions.as_slice()) {
            Some([]) | None => format!("Nothing rolled on {topic}: the active segment was already empty."),
            Some(ps) => format!(
                "Rolled {}: a new empty active segment at the log end offset.",
                ps.iter().map(|p| format!("{topic}-{p}")).collect::<Vec<_>>().join(", ")
            ),
        },
        Command::Clean(_) => match r.cleaned().and_then(|c| c.cleaned.as_ref()) {
            Some(c) => format!(
                "Cleaned {}: {} → {} records, {} → {} bytes.",
                c.topic_partition,
                c.stats.messages_read,
                c.stats.messages_written,
                c.stats.bytes_read,
                c.stats.bytes_written
            ),
            None => r
                .cleaned()
                .and_then(|c| c.report.first().cloned())
                .unwrap_or_else(|| "The cleaner found nothing to clean.".to_string()),
        },
        Command::Retention(_) => {
            let n = r.retention().map_or(0, |o| o.deleted.len());
            format!("Retention ran: {n} segment{} deleted.", plural(n))
        }
        Command::Consume(c) => {
            let (topic, partition) = (&c.topic, c.partition);
            let n = r.consumed().map_or(0, |o| o.records.len());
            let mut s = format!("Fetched {n} record{} from {topic}-{partition}.", plural(n));
            if let Some(note) = r.consumed().and_then(|o| o.note.as_ref()) {
                s.push(' ');
                s.push_str(note);
            }
            s
        }
    }
}

/// Runs the engine's hot paths once on a scratch session (produce,
/// generate, roll, clean, fetch, the log window, the state view), so the
/// browser compiles and optimises them before the person's first big
/// action: the first 10,000-record generate is then as fast as later ones.
pub fn warm_up() {
    let mut s = Session::default();
    s.apply(Action::LoadScript {
        text: "topic w partitions=2 cleanup.policy=compact segment.bytes=4096\ngenerate w count=3000 keys=50 tombstones=0.01\nproduce w k:v\nroll w\nclean\nclean w/1\nconsume w/0 from=5 max=20".into(),
        origin: Origin::Header,
    });
    s.apply(Action::Undo);
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

    fn produce(key: &str, value: Option<&str>) -> Action {
        Action::Exec {
            command: Command::Produce(Produce {
                topic: "t".into(),
                partition: None,
                timestamp_ms: None,
                key: Some(key.into()),
                value: value.map(str::to_string),
            }),
            origin: Origin::Produce,
        }
    }

    #[test]
    fn actions_become_lines_and_undo_replays() {
        let mut s = Session::default();
        s.apply(Action::LoadScript {
            text: "# hello\ntopic t cleanup.policy=compact\n# tail".into(),
            origin: Origin::Script,
        });
        s.apply(produce("a", Some("1")));
        s.apply(produce("a", None));
        assert_eq!(
            s.script(),
            "# hello\ntopic t cleanup.policy=compact\n# tail\nproduce t a:1\ntombstone t a\n"
        );
        s.apply(Action::Undo);
        assert_eq!(s.entries.len(), 2);
        assert_eq!(s.broker.partition("t", 0).map(|l| l.log_end_offset()).ok(), Some(1));
    }

    #[test]
    fn rejected_clicks_change_nothing() {
        let mut s = Session::default();
        s.apply(Action::LoadScript {
            text: "topic t cleanup.policy=compact".into(),
            origin: Origin::Script,
        });
        s.apply(Action::Exec {
            command: Command::Alter(Alter {
                topic: "t".into(),
                configs: vec![("segment.bytes".into(), "-1".into())],
            }),
            origin: Origin::TopicConfig("segment.bytes".into()),
        });
        assert_eq!(s.entries.len(), 1);
        let status = s.status.clone().unwrap_or_else(|| panic!("a status"));
        assert_eq!(status.kind, StatusKind::Error);
        assert!(status.text.contains("segment.bytes"), "{}", status.text);
        // A key with ':' cannot be a line.
        s.apply(produce("a:b", Some("1")));
        assert_eq!(s.entries.len(), 1);
    }

    #[test]
    fn topic_names_get_kafkas_words() {
        let mut s = Session::default();
        s.apply(Action::Exec {
            command: Command::Topic(CreateTopic {
                name: "my topic".into(),
                partitions: Some(1),
                configs: vec![],
            }),
            origin: Origin::TopicCreate,
        });
        assert!(s.entries.is_empty());
        assert_eq!(
            s.status.map(|x| x.text),
            Some("Topic name \"my topic\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'".to_string())
        );
    }

    #[test]
    fn syntax_errors_run_nothing() {
        let mut s = Session::default();
        s.apply(Action::LoadScript {
            text: "topic t\nbogus".into(),
            origin: Origin::Script,
        });
        assert!(s.entries.is_empty());
        assert_eq!(s.status.as_ref().map(|x| x.text.as_str()), Some("line 2: unknown command 'bogus' (expected topic, alter, unset, broker, produce, tombstone, generate, advance, clock, roll, clean, retention or consume)"));
    }

    #[test]
    fn cleaning_keeps_before_and_after() {
        let mut s = Session::default();
        s.apply(Action::LoadScript {
            text: "topic t cleanup.policy=compact\nproduce t a:1\nproduce t a:2\nproduce t b:1\nroll t\nclean t/0"
                .into(),
            origin: Origin::Script,
        });
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
        s.apply(Action::LoadScript {
            text: "topic t\ngenerate t count=2000000 keys=5".into(),
            origin: Origin::Script,
        });
        assert!(s.entries.is_empty());
    }
}
