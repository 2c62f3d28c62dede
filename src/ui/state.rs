//! The page's one state and its one reducer (Yew's `use_reducer`, as in
//! the `function_todomvc` example): the [`Session`] of scenario lines and
//! its broker, plus what only the page has (the message of the last action,
//! the topic shown, the embed's read-only flag and lesson).
//!
//! Every change of state is an [`Action`] through [`PageState::reduce`],
//! including start-up ([`Store::with`]); components only read.
//!
//! Long work is a [`Job`]: a script of many lines (or many records) runs
//! into a fresh session a slice at a time ([`Action::Continue`], which the
//! page dispatches after each paint), and so does a heavy `generate` line,
//! appending its records to a copy of the broker ([`Generating`]); a big
//! `generate` line inside a script is appended in slices too. While a job
//! runs the page answers every click (other changes are refused with a
//! note), shows its progress, and [`Action::Cancel`] drops it, leaving the
//! session as it was.
//!
//! One heavy action that can only run whole (a cleaning of a big log, an
//! undo that copies a big broker; see [`session::Session::weight`]) is a job
//! too, of one piece ([`Work::Whole`]): held until the page has painted its
//! busy sign, then run, so no click blocks the page without a sign of work.
//!
//! The state sits behind a `RefCell` shared by every version of the store:
//! cloning a log of thousands of records on each click would be wasteful.
//! Only the reducer borrows it mutably, and only while an action runs;
//! components borrow it immutably while they render. `version` changes on
//! every action, so components compare stores by version. Because the cell
//! is shared, any store handle reads the current state, even one captured
//! by an older render.

use std::cell::{Ref, RefCell};
use std::rc::Rc;

use yew::Reducible;

use super::describe;
use super::lesson::Lesson;
use super::session::{self, Generating, Replay, RunLine, Session};
use crate::scenario::command::{Clean, CreateTopic};
use crate::scenario::Command;

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
    /// The producer panel's load form.
    Load,
    Partition(String, u32),
    Cleaner,
    Consumer,
    /// Kafka's files panel (imports).
    Files,
    Script,
    Scenario(String),
    Url,
    /// The session this browser saved (start-up, restore).
    Saved,
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
    /// A read-only embed (`?readonly`): only whole scripts and reads run.
    SetReadOnly(bool),
    /// The embed's scenario: run it, or with `step` load it for stepping.
    LoadLesson {
        text: String,
        step: bool,
    },
    /// Run the lesson's next step (nothing when there is none).
    StepLesson,
    /// Take the lesson's last step back (nothing before the first).
    BackLesson,
    /// Back to the start of the lesson.
    RestartLesson,
    /// Stop stepping: the session stays as it is, to play with freely.
    LeaveLesson,
    /// Run the next slice of the job: while `now` (milliseconds) says less
    /// than [`SLICE_MS`] have passed, or [`SLICE_LINES`] lines without a
    /// clock.
    Continue {
        now: Option<Clock>,
    },
    /// Drop the job; the session stays as it was before it.
    Cancel,
    /// Show (or with `None` clear) a note about the saved session.
    SavedNote(Option<SavedNote>),
    /// Do not save the session over the stored one until the person
    /// changes it (safe mode, a saved session that did not load).
    HoldSaving,
    /// Put a script in the editor as a draft, without running it.
    Draft(String),
    /// Let the broker run on its own at a speed, or (`None`) pause: step by
    /// step again.
    Play(Option<Speed>),
    /// The speed Play runs at (now, if playing, and next time).
    SetSpeed(Speed),
    /// Play's next tick: run the broker a tick's worth of simulated time
    /// (for at most [`SLICE_MS`] of the page's time when `now` is given).
    PlayTick {
        now: Option<Clock>,
    },
    /// Run the broker for `ms` of simulated time (`run <ms>`), a slice at
    /// a time with progress and Stop.
    RunFor {
        ms: i64,
        origin: Origin,
    },
    /// Show the broker as it was after line `k` of the session (`Some(k)`,
    /// 1-based: the timeline, the scrubber, the browser's Back), or the
    /// broker now (`None`, or `k` at or past the last line).
    LookBack(Option<usize>),
    /// Show the broker at `time_ms` inside the `run` line `line` (1-based),
    /// e.g. at one of its cleanings.
    LookWithin {
        line: usize,
        time_ms: i64,
    },
}

/// How fast Play runs the broker: simulated milliseconds per second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Speed(pub i64);

/// A minute per second: a load's minutes go by while you watch.
impl Default for Speed {
    fn default() -> Self {
        Speed(60_000)
    }
}

impl Speed {
    /// The choices the page offers, with their labels.
    pub const CHOICES: [(Speed, &'static str); 5] = [
        (Speed(1000), "1 s/s"),
        (Speed(10_000), "10 s/s"),
        (Speed(60_000), "1 min/s"),
        (Speed(600_000), "10 min/s"),
        (Speed(3_600_000), "1 h/s"),
    ];

    /// The page's milliseconds between two ticks: a second at real speed
    /// (whole seconds in the script), a quarter second faster.
    pub fn tick_ms(self) -> u32 {
        if self.0 <= 1000 {
            1000
        } else {
            250
        }
    }

    /// Simulated milliseconds one tick runs.
    pub fn sim_per_tick_ms(self) -> i64 {
        self.0.saturating_mul(i64::from(self.tick_ms())) / 1000
    }

    pub fn label(self) -> String {
        Speed::CHOICES
            .iter()
            .find(|(s, _)| *s == self)
            .map_or_else(|| format!("{} ms/s", self.0), |(_, l)| (*l).to_string())
    }
}

/// The session as it was after one of its lines, shown while looking
/// back; the present session is untouched meanwhile.
#[derive(Debug, Clone)]
pub struct Past {
    /// The lines run (the event shown is line `at`).
    pub at: usize,
    /// An instant inside line `at` (a `run`): the broker as that line left
    /// it at this time (one of its cleanings, say), not at its end.
    pub within: Option<i64>,
    pub session: Session,
}

/// The broker running on its own (Play).
#[derive(Debug, Clone)]
pub struct Play {
    pub speed: Speed,
    /// The `run` line the ticks extend, while it is the session's last.
    line: Option<Box<RunLine>>,
}

/// A clock in milliseconds (the browser's `performance.now`), and how
/// long the slice it times may run (at most [`SLICE_MS`]: the page gives
/// less when its render after a slice is slow, so that slice and render
/// together stay one short task).
#[derive(Debug, Clone, Copy)]
pub struct Clock(pub fn() -> f64, pub f64);

impl PartialEq for Clock {
    /// Every clock counts as the same: actions compare by what they ask.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// A job's slice lasts about this long, so a click waits at most that.
pub const SLICE_MS: f64 = 30.0;
/// Lines per slice without a clock (native tests).
pub const SLICE_LINES: usize = 64;
/// A script heavier than this ([`Replay::weight`]) runs as a job.
pub const HEAVY_SCRIPT: u64 = 400;
/// A line that appends more records than this runs as a job.
pub const HEAVY_LINE_RECORDS: u64 = 50_000;
/// Records per slice of a heavy line without a clock (native tests).
pub const SLICE_RECORDS: u64 = 64_000;
/// An action that may read or copy more records than this runs whole, but
/// only after the page has painted its busy sign (see [`Work::Whole`]).
pub const HEAVY_STEP: u64 = session::HEAVY_STEP;

/// Long work in progress.
#[derive(Debug, Clone)]
pub struct Job {
    pub origin: Origin,
    /// What is being done, for the progress line ("Loading the link").
    pub what: String,
    pub work: Work,
    /// A run's simulated time done and in all (its progress bar).
    pub run_fraction: Option<(f64, f64)>,
}

/// What a job does.
#[derive(Debug, Clone)]
pub enum Work {
    /// A script running into a fresh session.
    Load(Box<Replay>),
    /// One heavy `generate` line appending to a copy of the broker.
    Generate(Box<Generating>),
    /// One heavy action that runs whole, held for one paint so that the
    /// busy sign shows first; nothing has run yet.
    Whole(Box<Action>),
    /// A click's `run` line, run in place a slice at a time: the session
    /// keeps what has run (Stop keeps it too).
    Run(Box<RunLine>),
}

impl Job {
    /// Work done and work in all, in [`Job::unit`]s.
    pub fn progress(&self) -> (usize, usize) {
        match &self.work {
            Work::Load(r) => (r.done(), r.total()),
            Work::Generate(g) => (as_usize(g.done()), as_usize(g.total())),
            Work::Whole(_) => (0, 1),
            Work::Run(_) => (0, 1),
        }
    }

    /// What [`Job::progress`] counts: lines of a script, or records of a
    /// line.
    pub fn unit(&self) -> &'static str {
        match &self.work {
            Work::Load(_) => "line",
            Work::Generate(_) => "record",
            Work::Whole(_) => "action",
            Work::Run(_) => "millisecond",
        }
    }

    /// The line running next.
    pub fn next_line(&self) -> Option<String> {
        match &self.work {
            Work::Load(r) => r.next_line(),
            Work::Generate(g) => Some(g.line().to_string()),
            Work::Whole(_) | Work::Run(_) => None,
        }
    }

    /// The progress line: what is being done and how far it has got ("Loading
    /// the link: line 2 of 5, record 40001 of 1000000").
    pub fn label(&self) -> String {
        let (done, total) = self.progress();
        let at = (done + 1).min(total);
        match &self.work {
            Work::Load(r) => match (r.records(), r.run_progress()) {
                (Some((d, n)), _) => format!("{}: line {at} of {total}, record {} of {n}", self.what, (d + 1).min(n)),
                (_, Some((d, n))) => format!(
                    "{}: line {at} of {total}, {} of {} simulated",
                    self.what,
                    crate::ui::format::duration(d),
                    crate::ui::format::duration(n)
                ),
                _ => format!("{}: line {at} of {total}", self.what),
            },
            Work::Run(_) => self.what.clone(),
            Work::Generate(_) => format!("{}: record {at} of {total}", self.what),
            Work::Whole(_) => format!("{}…", self.what),
        }
    }

    /// How far the work has got, as (done, in all) for a progress bar; `None`
    /// for one piece of work, which has no parts to count.
    pub fn fraction(&self) -> Option<(f64, f64)> {
        let (done, total) = self.progress();
        match &self.work {
            Work::Load(r) => {
                let part = r
                    .records()
                    .map(|(d, n)| d as f64 / n.max(1) as f64)
                    .or_else(|| r.run_progress().map(|(d, n)| d as f64 / n.max(1) as f64))
                    .unwrap_or(0.0);
                Some((done as f64 + part, total as f64))
            }
            Work::Generate(_) => Some((done as f64, total as f64)),
            Work::Run(_) => self.run_fraction,
            Work::Whole(_) => None,
        }
    }

    /// Whether Cancel keeps what was done (a run) rather than dropping it.
    pub fn stops(&self) -> bool {
        matches!(self.work, Work::Run(_))
    }

    /// Whether the job runs in one piece (nothing to cancel once it starts;
    /// the page's controls wait meanwhile).
    pub fn is_whole(&self) -> bool {
        matches!(self.work, Work::Whole(_))
    }
}

fn as_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// Something about the saved session the person should know and decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SavedNote {
    /// A link (or another tab) replaced the saved session; the earlier one
    /// is kept as the previous session.
    PreviousKept { lines: usize },
    /// Another tab saved a different session.
    OtherTab { script: String },
    /// The session could not be saved.
    SaveFailed(String),
    /// The last visit stopped while loading: nothing was replayed.
    SafeMode { script: String },
}

impl Action {
    /// One cleaner-thread iteration, from a control of `origin`.
    pub fn run_cleaner(origin: Origin) -> Action {
        Action::Exec {
            command: Command::Clean(Clean { target: None }),
            origin,
        }
    }
}

/// The reducer's state.
#[derive(Debug, Clone, Default)]
pub struct PageState {
    pub session: Session,
    pub status: Option<Status>,
    /// The topic the page shows (UI state, not part of the script).
    pub selected_topic: Option<String>,
    /// A script from the URL that did not parse, for the editor to show.
    pub rejected_script: Option<String>,
    /// A read-only embed: only whole scripts (from the address or the host
    /// page) and reads (`consume`) run; clicks that would change the log
    /// are refused.
    pub read_only: bool,
    /// The lesson being stepped through (the embed's scenario; on the full
    /// page, one started from Start here or the scenarios).
    pub lesson: Lesson,
    /// Long work in progress, if any.
    pub job: Option<Job>,
    /// A note about the saved session.
    pub saved_note: Option<SavedNote>,
    /// The saved session is not to be overwritten until the person changes
    /// this one (see [`Action::HoldSaving`]).
    pub hold_saving: bool,
    /// The broker running on its own, if it does.
    pub play: Option<Play>,
    /// The speed Play starts at.
    pub play_speed: Speed,
    /// Looking back: the session as it was after an earlier line, which
    /// the page shows instead of the present one (changes are refused
    /// until Back to now).
    pub past: Option<Past>,
}

impl PageState {
    /// The topic the page shows: the selected one if it exists, else the
    /// first.
    pub fn current_topic(&self) -> Option<String> {
        match &self.selected_topic {
            Some(t) if self.shown().has_topic(t) => Some(t.clone()),
            _ => self.shown().first_topic(),
        }
    }

    /// The session the page shows: the past one while looking back, else
    /// the present one. Views of the broker read this; what is saved,
    /// shared and listed in the timeline is always the present one.
    pub fn shown(&self) -> &Session {
        self.past.as_ref().map_or(&self.session, |p| &p.session)
    }

    /// The one reducer.
    pub fn reduce(&mut self, action: Action) {
        if let Some(past) = &self.past {
            match &action {
                // A link followed in this tab, or a saved session restored:
                // the person asked for it; the session it replaces is kept
                // as the previous one (see `saved`), so go back to now first.
                Action::LoadScript {
                    origin: Origin::Url | Origin::Saved,
                    ..
                } => self.back_to_now(),
                // Play paused when looking back began.
                Action::PlayTick { .. } => return,
                a if changes_session(a) || matches!(a, Action::Play(Some(_)) | Action::Exec { .. }) => {
                    let text = describe::looking_back_refused(past.at, self.session.entries.len());
                    return self.set_status(origin_of(&action), StatusKind::Info, text);
                }
                _ => {}
            }
        }
        if let (Some(job), true) = (&self.job, changes_session(&action)) {
            let text = match &job.work {
                Work::Load(r) => describe::busy(r.done(), r.total()),
                Work::Generate(g) => format!(
                    "Busy running `{}` (record {} of {}): wait for it, or press Cancel to keep the session as it was.",
                    g.line(),
                    g.done(),
                    g.total()
                ),
                Work::Whole(_) => format!("Busy: {}. Wait for it to finish.", job.what),
                Work::Run(_) => format!("Busy: {}. Wait for it, or press Stop to keep what has run.", job.what),
            };
            return self.set_status(origin_of(&action), StatusKind::Info, text);
        }
        if changes_session(&action) {
            self.hold_saving = false;
        }
        if let Some(what) = self.heavy(&action) {
            self.job = Some(Job {
                origin: origin_of(&action),
                what,
                work: Work::Whole(Box::new(action)),
                run_fraction: None,
            });
            return;
        }
        self.apply(action);
    }

    /// What a heavy action that runs whole is doing, for its busy sign, or
    /// `None` for a light one (or one that is refused or runs as slices):
    /// weighed from the record counts the broker keeps (see
    /// [`session::Session::weight`]), before anything runs.
    fn heavy(&self, action: &Action) -> Option<String> {
        let held = || self.session.records_held();
        let (weight, what) = match action {
            Action::LookBack(Some(k)) if self.job.is_none() && *k < self.session.entries.len() => {
                let near = self.past.as_ref().filter(|p| p.within.is_none()).map(|p| p.at);
                (self.session.at_weight(*k, near), format!("Looking back at #{k}"))
            }
            Action::LookWithin { line, .. } if self.job.is_none() && *line <= self.session.entries.len() => (
                self.session.at_weight(*line, None),
                format!("Looking back inside #{line}"),
            ),
            _ if self.read_only || !changes_session(action) => return None,
            Action::Exec { command, .. } => self.weigh_line(session::step_of(command).ok()?),
            Action::ExecLine { line, .. } => self.weigh_line(session::step_of_line(line).ok()?),
            Action::Undo => {
                let last = self.session.entries.last()?;
                let line = crate::ui::format::clip(&last.step.text, 60);
                (self.session.undo_weight(), format!("Undoing `{line}`"))
            }
            // Dropping a big broker takes a while too.
            Action::Reset => (held(), "Resetting".to_string()),
            Action::LoadScript { .. } => (held(), "Replacing the session".to_string()),
            _ => return None,
        };
        (weight > HEAVY_STEP).then(|| format!("{what} ({} records)", crate::ui::format::count(weight)))
    }

    /// A line's weight and what running it says. A `generate` heavy enough
    /// to run in slices weighs the copy of the broker it starts on (its
    /// records are appended in slices after that), or nothing when it is
    /// refused up front.
    fn weigh_line(&self, step: crate::scenario::Step) -> (u64, String) {
        let weight = match &step.command {
            c if session::cost(c) > HEAVY_LINE_RECORDS => match session::generating::startable(&self.session, &step) {
                Some(_) => self.session.records_held(),
                None => 0,
            },
            _ => self.session.weight(&step),
        };
        (weight, format!("Running `{}`", crate::ui::format::clip(&step.text, 60)))
    }

    /// Runs an action now (see [`PageState::reduce`]).
    fn apply(&mut self, action: Action) {
        match action {
            Action::Continue { now } => self.continue_job(now),
            Action::Cancel if self.job.as_ref().is_some_and(Job::stops) => self.stop_run(),
            Action::Cancel => {
                if let Some(job) = self.job.take() {
                    let (done, total) = job.progress();
                    let text = match job.work {
                        Work::Load(_) => describe::cancelled(done, total),
                        Work::Generate(_) => {
                            format!("Cancelled after {done} of {total} records: the session is as it was before.")
                        }
                        Work::Whole(_) | Work::Run(_) => {
                            "Cancelled before it ran: the session is as it was.".to_string()
                        }
                    };
                    // Nothing to save over the stored session (a cancelled
                    // restore must not save an empty one in its place).
                    self.hold_saving |= self.session.entries.is_empty();
                    self.set_status(job.origin, StatusKind::Info, text);
                }
            }
            Action::SavedNote(note) => self.saved_note = note,
            Action::HoldSaving => self.hold_saving = true,
            Action::Draft(text) => self.rejected_script = Some(text),
            Action::Exec { command, origin } if self.read_only && !matches!(command, Command::Consume { .. }) => {
                self.set_status(origin, StatusKind::Info, describe::READ_ONLY.to_string())
            }
            Action::ExecLine { origin, .. } if self.read_only => {
                self.set_status(origin, StatusKind::Info, describe::READ_ONLY.to_string())
            }
            Action::Undo if self.read_only => {
                self.set_status(Origin::Header, StatusKind::Info, describe::READ_ONLY.to_string())
            }
            Action::Exec { command, origin } => match session::step_of(&command) {
                Ok(step) => self.run_or_defer(step, origin),
                Err(line) => self.set_status(origin, StatusKind::Error, describe::unwritable(&command, &line)),
            },
            Action::ExecLine { line, origin } => match session::step_of_line(&line) {
                Ok(step) => self.run_or_defer(step, origin),
                Err(e) => self.set_status(origin, StatusKind::Error, e),
            },
            Action::LoadScript { text, origin } => self.load(&text, origin),
            Action::Undo => {
                let text = match self.session.undo() {
                    Some(u) => describe::undone(&u),
                    None => describe::NOTHING_TO_UNDO.to_string(),
                };
                self.set_status(Origin::Header, StatusKind::Info, text);
            }
            Action::Reset => {
                self.session.reset();
                self.rejected_script = None;
                self.set_status(Origin::Header, StatusKind::Info, describe::RESET.to_string());
            }
            Action::SelectTopic(t) => self.selected_topic = Some(t),
            Action::Notice { origin, kind, text } => self.set_status(origin, kind, text),
            Action::DismissStatus => self.status = None,
            Action::SetReadOnly(read_only) => self.read_only = read_only,
            Action::LoadLesson { text, step } => {
                self.lesson = Lesson::new(text, step);
                self.run_lesson();
            }
            Action::StepLesson if self.lesson.can_step() => {
                self.lesson.step();
                self.run_lesson();
            }
            Action::StepLesson => {}
            Action::BackLesson if self.lesson.can_go_back() => {
                self.lesson.back();
                self.run_lesson();
            }
            Action::BackLesson => {}
            Action::RestartLesson => {
                self.lesson.restart();
                self.run_lesson();
            }
            Action::LeaveLesson => {
                self.lesson = Lesson::default();
                self.set_status(
                    Origin::Header,
                    StatusKind::Info,
                    "Left the lesson: the session stays as it is, yours to change.".to_string(),
                );
            }
            Action::Play(speed) => self.set_play(speed),
            Action::SetSpeed(speed) => {
                self.play_speed = speed;
                if let Some(p) = self.play.as_mut() {
                    p.speed = speed;
                }
            }
            Action::PlayTick { now } => self.play_tick(now),
            Action::RunFor { origin, .. } if self.read_only => {
                self.set_status(origin, StatusKind::Info, describe::READ_ONLY.to_string())
            }
            Action::RunFor { ms, origin } => self.run_for(ms, origin),
            Action::LookBack(at) => self.look_back(at),
            Action::LookWithin { line, time_ms } => self.look_within(line, time_ms),
        }
    }

    /// Shows the broker as it was after line `at`, or now.
    fn look_back(&mut self, at: Option<usize>) {
        let len = self.session.entries.len();
        let Some(k) = at.filter(|&k| k < len) else {
            if self.past.is_some() {
                self.back_to_now();
                self.set_status(Origin::Header, StatusKind::Info, describe::BACK_TO_NOW.to_string());
            }
            return;
        };
        if self.past.as_ref().is_some_and(|p| p.at == k && p.within.is_none()) {
            return;
        }
        if let Some(job) = &self.job {
            let text = format!("Busy: {}. Look back when it is done.", job.what);
            return self.set_status(Origin::Header, StatusKind::Info, text);
        }
        if self.play.is_some() {
            self.set_play(None);
        }
        // A past inside a run line is not a start to go on from: its last
        // line ran only part of the way.
        let near = self.past.take().filter(|p| p.within.is_none()).map(|p| p.session);
        let mut past = self.session.at(k, near);
        // The views keep what they read by the log stamp: the past is a
        // new stamp (and lineage) of its own.
        self.session.log_stamp += 1;
        past.log_stamp = self.session.log_stamp;
        past.lineage = past.log_stamp;
        self.past = Some(Past {
            at: k,
            within: None,
            session: past,
        });
        let text = describe::looking_back(&self.session, k);
        self.set_status(Origin::Header, StatusKind::Info, text);
    }

    /// Shows the broker at `time_ms` inside the `run` line `line` (1-based).
    fn look_within(&mut self, line: usize, time_ms: i64) {
        if let Some(job) = &self.job {
            let text = format!("Busy: {}. Look back when it is done.", job.what);
            return self.set_status(Origin::Header, StatusKind::Info, text);
        }
        let Some(mut past) = line.checked_sub(1).and_then(|i| self.session.at_within(i, time_ms)) else {
            return;
        };
        if self.play.is_some() {
            self.set_play(None);
        }
        self.session.log_stamp += 1;
        past.log_stamp = self.session.log_stamp;
        past.lineage = past.log_stamp;
        self.past = Some(Past {
            at: line,
            within: Some(time_ms),
            session: past,
        });
        let text = format!(
            "{} Inside it: the broker at {}, as the run left it then.",
            describe::looking_back(&self.session, line),
            crate::ui::format::time(time_ms)
        );
        self.set_status(Origin::Header, StatusKind::Info, text);
    }

    /// Leaves the past: the page shows the present session again.
    fn back_to_now(&mut self) {
        if self.past.take().is_some() {
            self.session.log_stamp += 1;
            self.session.lineage = self.session.log_stamp;
        }
    }

    /// Starts (or changes the speed of) Play, or pauses it.
    fn set_play(&mut self, speed: Option<Speed>) {
        match (speed, self.play.take()) {
            (None, Some(p)) => {
                if let Some(line) = p.line {
                    line.finish(&mut self.session);
                }
                self.set_status(
                    Origin::Clock,
                    StatusKind::Info,
                    "Paused: step by step again (the broker's background work waits).".to_string(),
                );
            }
            (None, None) => {}
            (Some(_), _) if self.read_only => {
                self.set_status(Origin::Clock, StatusKind::Info, describe::READ_ONLY.to_string())
            }
            (Some(speed), old) => {
                self.play = Some(Play {
                    speed,
                    line: old.and_then(|p| p.line),
                });
                self.set_status(
                    Origin::Clock,
                    StatusKind::Info,
                    format!(
                        "Playing at {}: the broker runs on its own (loads, cleaner threads, retention checks); the script gets one `run` line until you pause.",
                        speed.label()
                    ),
                );
            }
        }
    }

    /// One tick of Play: extends its `run` line by a tick's worth (when
    /// the last tick's is done: a broker that cannot keep up runs slower
    /// than asked, never blocks), or starts a new line when another line
    /// came after it.
    fn play_tick(&mut self, now: Option<Clock>) {
        if self.job.is_some() || self.read_only {
            return;
        }
        let Some(play) = self.play.as_mut() else { return };
        let sim = play.speed.sim_per_tick_ms();
        let started = match play.line.take() {
            Some(mut line) if line.is_last(&self.session) => line.extend(&self.session, sim).map(|()| line),
            old => {
                if let Some(line) = old {
                    line.finish(&mut self.session);
                }
                RunLine::start(&self.session, sim).map(Box::new)
            }
        };
        let ran = started.and_then(|mut line| {
            let done = match now {
                Some(Clock(now, budget)) => {
                    let start = now();
                    line.run_while(&mut self.session, |_| now() - start < budget.min(SLICE_MS))
                }
                None => line.run_while(&mut self.session, |_| true),
            };
            done.map(|_| line)
        });
        match ran {
            Ok(line) => {
                if let Some(p) = self.play.as_mut() {
                    p.line = Some(line);
                }
            }
            Err(rejected) => {
                self.play = None;
                self.status = Some(Status {
                    origin: Origin::Clock,
                    kind: StatusKind::Error,
                    text: format!("Paused: {}", rejected.text),
                    error_name: rejected.error_name,
                });
            }
        }
    }

    /// Run 1 h, Run 1 day: a `run` line as a job, a slice at a time.
    fn run_for(&mut self, ms: i64, origin: Origin) {
        if let Some(p) = self.play.take() {
            if let Some(line) = p.line {
                line.finish(&mut self.session);
            }
        }
        match RunLine::start(&self.session, ms) {
            Ok(line) => {
                let what = format!("Running the broker for {}", crate::ui::format::duration(ms));
                self.set_status(origin.clone(), StatusKind::Info, format!("{what}…"));
                self.job = Some(Job {
                    origin,
                    what,
                    work: Work::Run(Box::new(line)),
                    run_fraction: Some((0.0, ms.max(1) as f64)),
                });
            }
            Err(rejected) => self.ran(Err(rejected), origin),
        }
    }

    /// Stop on a running `run` line: the session keeps what has run.
    fn stop_run(&mut self) {
        let Some(job) = self.job.take() else { return };
        let Work::Run(line) = job.work else { return };
        let (done, total) = line.progress(&self.session);
        line.finish(&mut self.session);
        let text = format!(
            "Stopped after {} of {} simulated: the session keeps what ran (`{}`).",
            crate::ui::format::duration(done),
            crate::ui::format::duration(total),
            self.session.entries.last().map_or("", |e| e.step.text.as_str())
        );
        self.set_status(job.origin, StatusKind::Info, text);
    }

    fn set_status(&mut self, origin: Origin, kind: StatusKind, text: String) {
        self.status = Some(Status {
            origin,
            kind,
            text,
            error_name: None,
        });
    }

    /// A click's line, run now, or when heavy (many records) as a job on
    /// a copy of the broker, a slice at a time. A heavy line the broker
    /// refuses up front is refused at once, as a light one.
    fn run_or_defer(&mut self, step: crate::scenario::Step, origin: Origin) {
        if session::cost(&step.command) <= HEAVY_LINE_RECORDS {
            return self.run(step, origin);
        }
        let Some(generating) = Generating::start(&self.session, step.clone()) else {
            return self.run(step, origin);
        };
        self.set_status(origin.clone(), StatusKind::Info, format!("Running `{}`…", step.text));
        self.job = Some(Job {
            origin,
            what: "Generating".to_string(),
            work: Work::Generate(Box::new(generating)),
            run_fraction: None,
        });
    }

    /// A click's line: added to the session, or rejected with Kafka's error.
    fn run(&mut self, step: crate::scenario::Step, origin: Origin) {
        let ran = said(self.session.run(step));
        self.ran(ran, origin);
    }

    /// Says what a click's line did (see [`PageState::run`]).
    fn ran(&mut self, ran: Result<(Option<String>, String), session::Rejection>, origin: Origin) {
        match ran {
            Ok((created, text)) => {
                if created.is_some() {
                    self.selected_topic = created;
                }
                self.set_status(origin, StatusKind::Ok, text);
            }
            Err(rejected) => {
                self.status = Some(Status {
                    origin,
                    kind: StatusKind::Error,
                    text: rejected.text,
                    error_name: rejected.error_name,
                });
            }
        }
    }

    /// A whole script: light ones run at once, heavy ones become a job.
    /// A script that does not parse (from a link or this browser's copy)
    /// is kept for the editor with its error; the session stays.
    fn load(&mut self, text: &str, origin: Origin) {
        match Replay::new(text) {
            Err(e) => {
                if origin != Origin::Script {
                    self.rejected_script = Some(text.to_string());
                }
                self.set_status(origin, StatusKind::Error, e.to_string());
            }
            Ok(replay) if replay.weight() > HEAVY_SCRIPT => {
                let what = match origin {
                    Origin::Url => "Loading the link",
                    Origin::Saved => "Restoring your saved session",
                    _ => "Running the script",
                };
                self.set_status(
                    origin.clone(),
                    StatusKind::Info,
                    format!("{what}: {} lines…", replay.total()),
                );
                self.job = Some(Job {
                    origin,
                    what: what.to_string(),
                    work: Work::Load(Box::new(replay)),
                    run_fraction: None,
                });
            }
            Ok(replay) => self.loaded(replay, origin),
        }
    }

    /// Runs the job's next slice; when it is done, its result replaces
    /// the session.
    fn continue_job(&mut self, now: Option<Clock>) {
        let Some(mut job) = self.job.take() else { return };
        match job.work {
            // Its busy sign has been painted: run it, whole.
            Work::Whole(action) => self.apply(*action),
            Work::Generate(ref mut g) => {
                let done = match now {
                    Some(Clock(now, budget)) => {
                        let start = now();
                        g.run_while(|_| now() - start < budget.min(SLICE_MS))
                    }
                    None => g.run_while(|ran| ran < SLICE_RECORDS),
                };
                if !done {
                    self.job = Some(job);
                } else if let Work::Generate(g) = job.work {
                    let ran = said(g.finish(&mut self.session));
                    self.ran(ran, job.origin);
                }
            }
            Work::Run(ref mut line) => {
                let done = match now {
                    Some(Clock(now, budget)) => {
                        let start = now();
                        line.run_while(&mut self.session, |_| now() - start < budget.min(SLICE_MS))
                    }
                    None => line.run_while(&mut self.session, |work| work < SLICE_RECORDS),
                };
                let (d, n) = line.progress(&self.session);
                job.run_fraction = Some((d as f64, n.max(1) as f64));
                match done {
                    Ok(false) => self.job = Some(job),
                    Ok(true) => {
                        if let Work::Run(line) = job.work {
                            line.finish(&mut self.session);
                        }
                        let text = self
                            .session
                            .entries
                            .last()
                            .map(describe::describe_result)
                            .unwrap_or_default();
                        self.set_status(job.origin, StatusKind::Ok, text);
                    }
                    Err(rejected) => self.ran(Err(rejected), job.origin),
                }
            }
            Work::Load(ref mut replay) => {
                let done = match now {
                    Some(Clock(now, budget)) => {
                        let start = now();
                        replay.run_while(|_| now() - start < budget.min(SLICE_MS))
                    }
                    None => replay.run_while(|ran| ran.lines < SLICE_LINES && ran.records < SLICE_RECORDS),
                };
                if done {
                    if let Work::Load(replay) = job.work {
                        self.loaded(*replay, job.origin);
                    }
                } else {
                    self.job = Some(job);
                }
            }
        }
    }

    /// A script that ran: it becomes the session; the topic shown stays if
    /// it still exists, else the script's first topic.
    fn loaded(&mut self, replay: Replay, origin: Origin) {
        self.session = replay.finish(self.session.log_stamp);
        let selected = self.selected_topic.take().filter(|t| self.session.has_topic(t));
        self.selected_topic = selected.or_else(|| self.session.first_created_topic());
        match describe::script_ran(&self.session.entries) {
            Ok(text) => self.set_status(origin, StatusKind::Ok, text),
            Err(text) => self.set_status(origin, StatusKind::Error, text),
        }
    }

    /// Runs the lesson as far as it has got (a replay from the start: the
    /// steps before stay exactly as a fresh run makes them; a heavy one runs
    /// in slices, as any script), and says where the reader is.
    fn run_lesson(&mut self) {
        self.load(&self.lesson.script(), Origin::Url);
        if let Some(text) = self.lesson.notice() {
            self.set_status(Origin::Url, StatusKind::Info, text);
        }
    }
}

/// What a line that ran says: the topic it created, if any, and its
/// description; or why it was rejected.
fn said(ran: Result<&session::Entry, session::Rejection>) -> Result<(Option<String>, String), session::Rejection> {
    ran.map(|entry| {
        let created = match &entry.step.command {
            Command::Topic(CreateTopic { name, .. }) => Some(name.clone()),
            _ => None,
        };
        (created, describe::describe_result(entry))
    })
}

/// Whether an action would change the session (refused while a job runs).
fn changes_session(action: &Action) -> bool {
    match action {
        Action::Exec { command, .. } => !matches!(command, Command::Consume(_)),
        Action::ExecLine { .. }
        | Action::LoadScript { .. }
        | Action::Undo
        | Action::Reset
        | Action::LoadLesson { .. }
        | Action::StepLesson
        | Action::BackLesson
        | Action::RestartLesson
        | Action::RunFor { .. } => true,
        _ => false,
    }
}

/// The control an action came from.
fn origin_of(action: &Action) -> Origin {
    match action {
        Action::Exec { origin, .. } | Action::ExecLine { origin, .. } | Action::LoadScript { origin, .. } => {
            origin.clone()
        }
        _ => Origin::Header,
    }
}

/// The reducer's handle: the shared state and a version that changes with
/// every action.
#[derive(Debug, Clone)]
pub struct Store {
    state: Rc<RefCell<PageState>>,
    pub version: u64,
}

impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state) && self.version == other.version
    }
}

impl Default for Store {
    fn default() -> Self {
        Store {
            state: Rc::new(RefCell::new(PageState::default())),
            version: 0,
        }
    }
}

impl Store {
    /// Read access for rendering. Never held across an action.
    pub fn state(&self) -> Ref<'_, PageState> {
        self.state.borrow()
    }

    /// Runs an action through the reducer before the page is on screen
    /// (start-up): nothing has drawn yet, so the version stays.
    pub fn with(self, action: Action) -> Store {
        if let Ok(mut s) = self.state.try_borrow_mut() {
            s.reduce(action);
        }
        self
    }
}

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let applied = match self.state.try_borrow_mut() {
            Ok(mut s) => {
                s.reduce(action);
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
            state: Rc::clone(&self.state),
            version: self.version.wrapping_add(1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn produce(key: &str, value: Option<&str>) -> Action {
        Action::Exec {
            command: Command::Produce(crate::scenario::command::Produce {
                topic: "t".into(),
                partition: None,
                timestamp_ms: None,
                key: Some(key.into()),
                value: value.map(str::to_string),
                producer: None,
            }),
            origin: Origin::Produce,
        }
    }

    fn load(text: &str) -> Action {
        Action::LoadScript {
            text: text.into(),
            origin: Origin::Script,
        }
    }

    fn status(s: &PageState) -> (StatusKind, &str) {
        let st = s.status.as_ref().unwrap_or_else(|| panic!("a status"));
        (st.kind, st.text.as_str())
    }

    #[test]
    fn actions_become_lines_and_undo_replays() {
        let mut s = PageState::default();
        s.reduce(load("# hello\ntopic t cleanup.policy=compact\n# tail"));
        assert_eq!(status(&s), (StatusKind::Ok, "Ran 1 line."));
        s.reduce(produce("a", Some("1")));
        assert_eq!(status(&s), (StatusKind::Ok, "Record written to t-0 at offset 0."));
        s.reduce(produce("a", None));
        assert_eq!(
            s.session.script(),
            "# hello\ntopic t cleanup.policy=compact\n# tail\nproduce t a:1\ntombstone t a\n"
        );
        s.reduce(Action::Undo);
        assert_eq!(
            status(&s),
            (
                StatusKind::Info,
                "Undid `tombstone t a` (ran the 2 lines before it again)."
            )
        );
        assert_eq!(s.session.entries.len(), 2);
        assert_eq!(s.current_topic().as_deref(), Some("t"));
    }

    #[test]
    fn rejected_clicks_change_nothing() {
        let mut s = PageState::default();
        s.reduce(load("topic t cleanup.policy=compact"));
        s.reduce(Action::Exec {
            command: Command::Alter(crate::scenario::command::Alter {
                topic: "t".into(),
                configs: vec![("segment.bytes".into(), "-1".into())],
            }),
            origin: Origin::TopicConfig("segment.bytes".into()),
        });
        assert_eq!(s.session.entries.len(), 1);
        let (kind, text) = status(&s);
        assert_eq!(kind, StatusKind::Error);
        assert!(text.contains("segment.bytes"), "{text}");
        assert!(s.status.as_ref().is_some_and(|st| st.error_name.is_some()));
        // A key with ':' cannot be a line.
        s.reduce(produce("a:b", Some("1")));
        assert_eq!(s.session.entries.len(), 1);
        assert!(status(&s).1.starts_with("This cannot be written as a scenario line"));
    }

    #[test]
    fn topic_names_get_kafkas_words() {
        let mut s = PageState::default();
        s.reduce(Action::Exec {
            command: Command::Topic(crate::scenario::command::CreateTopic {
                name: "my topic".into(),
                partitions: Some(1),
                configs: vec![],
            }),
            origin: Origin::TopicCreate,
        });
        assert!(s.session.entries.is_empty());
        assert_eq!(
            s.status.map(|x| x.text),
            Some("Topic name \"my topic\" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'".to_string())
        );
    }

    #[test]
    fn syntax_errors_run_nothing() {
        let mut s = PageState::default();
        s.reduce(load("topic t\nbogus"));
        assert!(s.session.entries.is_empty());
        assert_eq!(status(&s).1, "line 2: unknown command 'bogus' (expected topic, alter, unset, broker, produce, tombstone, generate, load, advance, clock, run, roll, clean, retention, consume, import, producer, begin, commit or abort)");
        assert_eq!(s.rejected_script, None);
        s.reduce(Action::LoadScript {
            text: "bogus".into(),
            origin: Origin::Url,
        });
        assert_eq!(s.rejected_script.as_deref(), Some("bogus"));
    }

    #[test]
    fn looking_inside_a_run_line_shows_the_broker_at_one_of_its_cleanings() {
        let mut s = PageState::default();
        s.reduce(load(
            "topic t cleanup.policy=compact segment.bytes=400 min.cleanable.dirty.ratio=0.1\nload t rate=10/s keys=5 for=1m seed=3\nrun 2m\nproduce t a:1",
        ));
        let cleanings = s.session.entries[2]
            .result
            .ran()
            .map(|r| r.cleanings.clone())
            .unwrap_or_default();
        let first = cleanings.first().map(|c| c.time_ms).unwrap_or_default();
        s.reduce(Action::LookWithin {
            line: 3,
            time_ms: first,
        });
        assert_eq!(s.past.as_ref().map(|p| (p.at, p.within)), Some((3, Some(first))));
        assert_eq!(s.shown().broker.now_ms(), first);
        assert!(status(&s).1.contains("Inside it: the broker at"));
        // Changes are still refused; the present is whole.
        s.reduce(produce("b", Some("1")));
        assert_eq!(s.session.entries.len(), 4);
        // The whole line again: rebuilt, not gone on from the part run.
        s.reduce(Action::LookBack(Some(3)));
        assert_eq!(s.past.as_ref().map(|p| (p.at, p.within)), Some((3, None)));
        assert_eq!(s.shown().broker.now_ms(), s.session.entries[2].now_ms);
        // Not a run line, or outside it: nothing changes.
        s.reduce(Action::LookWithin {
            line: 4,
            time_ms: first,
        });
        assert_eq!(s.past.as_ref().map(|p| p.within), Some(None));
        s.reduce(Action::LookBack(None));
        assert!(s.past.is_none());
    }

    #[test]
    fn looking_back_shows_the_past_and_refuses_changes_until_now() {
        let mut s = PageState::default();
        s.reduce(load(
            "topic t cleanup.policy=compact segment.bytes=200\nproduce t a:1\nproduce t a:2\nroll t\nclean",
        ));
        let script = s.session.script();
        let stamp = s.session.log_stamp;
        s.reduce(Action::LookBack(Some(3)));
        let past = s.past.as_ref().map(|p| p.at);
        assert_eq!(past, Some(3));
        assert_eq!(s.shown().entries.len(), 3);
        assert_eq!(
            s.shown().broker.partition("t", 0).map(|l| l.record_count()).ok(),
            Some(2)
        );
        assert!(s.shown().log_stamp > stamp, "a stamp of its own, for the views");
        assert!(status(&s)
            .1
            .starts_with("Looking back at #3 of 5: the broker as it was after `produce t a:2`"));
        // Changes, reads that add a line, undo and Run are refused, with a
        // message; the present is untouched.
        for action in [
            produce("b", Some("1")),
            Action::Undo,
            Action::Reset,
            Action::run_cleaner(Origin::Header),
            Action::RunFor {
                ms: 1000,
                origin: Origin::Clock,
            },
            Action::Play(Some(Speed::default())),
            load("topic u"),
        ] {
            s.reduce(action.clone());
            assert_eq!(
                status(&s),
                (StatusKind::Info, describe::looking_back_refused(3, 5).as_str()),
                "{action:?}"
            );
            assert_eq!(s.session.script(), script);
            assert!(s.play.is_none());
        }
        assert_eq!(s.shown().entries.len(), 3);
        // Forward, back, then now.
        s.reduce(Action::LookBack(Some(4)));
        assert_eq!(s.shown().entries.len(), 4);
        s.reduce(Action::LookBack(Some(1)));
        assert_eq!(
            s.shown().broker.partition("t", 0).map(|l| l.record_count()).ok(),
            Some(0)
        );
        let before = s.shown().log_stamp;
        s.reduce(Action::LookBack(None));
        assert!(s.past.is_none());
        assert!(s.session.log_stamp > before && s.session.lineage == s.session.log_stamp);
        assert_eq!(status(&s), (StatusKind::Info, describe::BACK_TO_NOW));
        // The last line, or past it: the broker now.
        s.reduce(Action::LookBack(Some(5)));
        assert!(s.past.is_none());
        s.reduce(produce("b", Some("1")));
        assert_eq!(s.session.entries.len(), 6);
        // A link followed while looking back: back to now, then loaded.
        s.reduce(Action::LookBack(Some(2)));
        s.reduce(Action::LoadScript {
            text: "topic u".into(),
            origin: Origin::Url,
        });
        assert!(s.past.is_none());
        assert_eq!(s.session.script(), "topic u\n");
    }

    #[test]
    fn a_heavy_look_back_paints_its_busy_sign_first() {
        let mut s = PageState::default();
        s.reduce(load("topic t\ngenerate t count=60000 keys=100\nproduce t a:1"));
        while s.job.is_some() {
            s.reduce(Action::Continue { now: None });
        }
        assert_eq!(s.session.entries.len(), 3);
        s.reduce(Action::LookBack(Some(2)));
        assert!(s.job.as_ref().is_some_and(Job::is_whole));
        assert!(s.past.is_none(), "nothing ran before the paint");
        s.reduce(Action::Continue { now: None });
        assert!(s.job.is_none());
        assert_eq!(s.past.as_ref().map(|p| p.session.records_held()), Some(60_000));
        // Played on: looking back pauses Play.
        s.reduce(Action::LookBack(None));
        s.reduce(Action::Play(Some(Speed::default())));
        s.reduce(Action::PlayTick { now: None });
        s.reduce(Action::LookBack(Some(1)));
        assert!(s.play.is_none());
        assert!(s.past.is_some());
    }

    #[test]
    fn read_only_refuses_changes_but_reads() {
        let mut s = PageState::default();
        s.reduce(Action::SetReadOnly(true));
        s.reduce(load("topic t\nproduce t a:1"));
        s.reduce(produce("b", Some("2")));
        assert_eq!(status(&s), (StatusKind::Info, describe::READ_ONLY));
        // Typed lines are refused too; a read clicked as a command runs.
        s.reduce(Action::ExecLine {
            line: "consume t/0".into(),
            origin: Origin::Consumer,
        });
        assert_eq!(status(&s), (StatusKind::Info, describe::READ_ONLY));
        s.reduce(Action::Exec {
            command: Command::Consume(crate::scenario::command::Consume {
                topic: "t".into(),
                partition: 0,
                from: None,
                max: None,
                isolation: None,
            }),
            origin: Origin::Consumer,
        });
        assert_eq!(status(&s), (StatusKind::Ok, "Fetched 1 record from t-0."));
        assert_eq!(s.session.entries.len(), 3);
    }

    #[test]
    fn lessons_step_through_the_reducer() {
        let mut s = PageState::default();
        s.reduce(Action::LoadLesson {
            text: "topic t\nproduce t a:1\nproduce t a:2".into(),
            step: true,
        });
        assert!(s.session.entries.is_empty());
        assert_eq!(
            status(&s),
            (StatusKind::Info, "Ready to step through 3 steps: press Next step.")
        );
        s.reduce(Action::StepLesson);
        s.reduce(Action::StepLesson);
        assert_eq!(s.session.entries.len(), 2);
        assert_eq!(status(&s), (StatusKind::Info, "Step 2 of 3: produce t a:1"));
        s.reduce(Action::BackLesson);
        assert_eq!(s.session.entries.len(), 1);
        assert_eq!(status(&s), (StatusKind::Info, "Step 1 of 3: topic t"));
        s.reduce(Action::RestartLesson);
        assert!(s.session.entries.is_empty());
        assert_eq!(s.lesson.cursor, Some(0));
        s.reduce(Action::BackLesson);
        assert_eq!(s.lesson.cursor, Some(0));
        // Leaving keeps the session and stops stepping.
        s.reduce(Action::StepLesson);
        s.reduce(Action::LeaveLesson);
        assert!(!s.lesson.active());
        assert_eq!(s.session.entries.len(), 1);
        s.reduce(Action::StepLesson);
        assert_eq!(s.session.entries.len(), 1);
    }

    #[test]
    fn reset_keeps_the_shown_topic_and_start_up_keeps_the_version() {
        let store = Store::default()
            .with(load("topic a\ntopic b"))
            .with(Action::SelectTopic("b".into()));
        assert_eq!(store.version, 0);
        let store = Rc::new(store).reduce(Action::Reset);
        assert_eq!(store.version, 1);
        let s = store.state();
        assert!(s.session.entries.is_empty());
        assert_eq!(s.selected_topic.as_deref(), Some("b"));
        assert_eq!(status(&s), (StatusKind::Info, describe::RESET));
    }

    #[test]
    fn long_scripts_run_as_jobs_that_cancel_cleanly() {
        let mut s = PageState::default();
        s.reduce(load("topic keep\nproduce keep a:1"));
        let before = s.session.script();
        let long: String = (0..500).map(|i| format!("topic t{i}\n")).collect();
        s.reduce(load(&long));
        assert!(s.job.is_some(), "a job, not a blocking run");
        assert_eq!(s.session.script(), before);
        s.reduce(Action::Continue { now: None });
        assert_eq!(s.job.as_ref().map(Job::progress), Some((SLICE_LINES, 500)));
        // Changes wait; reads and notes go through.
        s.reduce(produce("b", Some("2")));
        assert!(status(&s).1.starts_with("Busy running a script"), "{:?}", s.status);
        s.reduce(Action::Cancel);
        assert!(s.job.is_none());
        assert_eq!(s.session.script(), before, "as it was");
        // Run to the end: the session is swapped in whole.
        s.reduce(load(&long));
        while s.job.is_some() {
            s.reduce(Action::Continue { now: None });
        }
        assert_eq!(s.session.entries.len(), 500);
        assert_eq!(status(&s), (StatusKind::Ok, "Ran 500 lines."));
    }

    #[test]
    fn a_heavy_generate_runs_in_slices_and_cancels_cleanly() {
        let line = "generate t count=150000 keys=10 seed=3 tombstones=0.01";
        let start = || {
            let mut s = PageState::default();
            s.reduce(load("topic t partitions=2 cleanup.policy=compact\nproduce t a:1"));
            s
        };
        // One click that runs in one go, for comparison.
        let mut whole = start();
        assert!(whole
            .session
            .run(session::step_of_line(line).unwrap_or_else(|e| panic!("{e}")))
            .is_ok());

        let mut s = start();
        let (script, broker, stamp) = (
            s.session.script(),
            format!("{:?}", s.session.broker),
            s.session.log_stamp,
        );
        let exec = || Action::ExecLine {
            line: line.into(),
            origin: Origin::Generate,
        };
        s.reduce(exec());
        assert!(status(&s).1.starts_with("Running `generate"));
        s.reduce(Action::Continue { now: None });
        let job = s.job.as_ref().unwrap_or_else(|| panic!("a job"));
        assert_eq!((job.progress(), job.unit()), ((64_000, 150_000), "record"));
        assert_eq!(job.next_line().as_deref(), Some(line));
        // Changes wait; the session is untouched meanwhile.
        s.reduce(produce("b", Some("2")));
        assert!(status(&s).1.starts_with("Busy running `generate"), "{:?}", s.status);
        s.reduce(Action::Cancel);
        assert!(s.job.is_none());
        assert_eq!(
            status(&s),
            (
                StatusKind::Info,
                "Cancelled after 64000 of 150000 records: the session is as it was before."
            )
        );
        assert_eq!(s.session.script(), script);
        assert!(format!("{:?}", s.session.broker) == broker, "the broker as it was");
        assert_eq!(s.session.log_stamp, stamp);

        // Run to the end: the same session as the one-go click.
        s.reduce(exec());
        let mut slices = 0;
        while s.job.is_some() {
            s.reduce(Action::Continue { now: None });
            slices += 1;
        }
        assert_eq!(slices, 3);
        assert_eq!(
            status(&s),
            (
                StatusKind::Ok,
                describe::describe_result(&whole.session.entries[2]).as_str()
            )
        );
        assert_eq!(s.session.entries, whole.session.entries);
        assert!(format!("{:?}", s.session.broker) == format!("{:?}", whole.session.broker));
        assert_eq!(s.session.broker.usage(), whole.session.broker.usage());
        assert_eq!(s.session.log_stamp, whole.session.log_stamp);
        // A heavy line the broker refuses is refused at once.
        s.reduce(Action::ExecLine {
            line: "generate nope count=60000 keys=10".into(),
            origin: Origin::Generate,
        });
        assert!(s.job.is_none());
        assert_eq!(status(&s).0, StatusKind::Error);
    }

    #[test]
    fn a_heavy_action_waits_for_its_busy_sign_then_runs_whole() {
        let start = |extra: &str| {
            let mut s = PageState::default();
            s.reduce(load(&format!(
                "topic t cleanup.policy=compact\ngenerate t count=60000 keys=10\nroll t{extra}"
            )));
            while s.job.is_some() {
                s.reduce(Action::Continue { now: None });
            }
            s
        };
        let mut s = start("");
        let mut direct = start("");
        assert!(direct
            .session
            .run(session::step_of_line("clean").unwrap_or_else(|e| panic!("{e}")))
            .is_ok());
        let (script, stamp) = (s.session.script(), s.session.log_stamp);
        // The click on "Run cleaner": nothing runs yet, the busy sign shows.
        s.reduce(Action::run_cleaner(Origin::Header));
        let job = s.job.as_ref().unwrap_or_else(|| panic!("a job"));
        assert!(job.is_whole());
        assert_eq!(job.label(), "Running `clean` (60\u{202f}000 records)…");
        assert_eq!((job.fraction(), job.next_line()), (None, None));
        assert_eq!((s.session.script(), s.session.log_stamp), (script.clone(), stamp));
        // Other changes wait meanwhile; then it runs, as a click would.
        s.reduce(produce("b", Some("2")));
        assert_eq!(
            status(&s),
            (
                StatusKind::Info,
                "Busy: Running `clean` (60\u{202f}000 records). Wait for it to finish."
            )
        );
        s.reduce(Action::Continue { now: None });
        assert!(s.job.is_none());
        assert!(
            status(&s).1.starts_with("Cleaned t-0: 60\u{202f}000 → 10 records"),
            "{:?}",
            s.status
        );
        assert_eq!(s.session.entries, direct.session.entries);
        assert!(format!("{:?}", s.session.broker) == format!("{:?}", direct.session.broker));

        // Light actions on the big log run at once; an undo that replays
        // the big generate, a reset and a typed heavy line wait for a paint.
        s.reduce(produce("b", Some("2")));
        assert!(s.job.is_none());
        s.reduce(Action::Undo);
        assert_eq!(
            s.job.as_ref().map(Job::label).as_deref(),
            Some("Undoing `produce t b:2` (120\u{202f}000 records)…")
        );
        s.reduce(Action::Cancel);
        assert_eq!(
            status(&s),
            (StatusKind::Info, "Cancelled before it ran: the session is as it was.")
        );
        assert_eq!(s.session.entries.len(), 5);
        let mut s = start("");
        s.reduce(Action::ExecLine {
            line: "retention".into(),
            origin: Origin::Clock,
        });
        assert!(s.job.as_ref().is_some_and(Job::is_whole));
        s.reduce(Action::Continue { now: None });
        assert_eq!(s.session.entries.len(), 4);
        s.reduce(Action::Reset);
        assert!(s.job.as_ref().is_some_and(Job::is_whole));
        s.reduce(Action::Continue { now: None });
        assert!(s.session.entries.is_empty());
        // A cleaning of a small log runs at once.
        s.reduce(load(
            "topic t cleanup.policy=compact\nproduce t a:1\nproduce t a:2\nroll t",
        ));
        s.reduce(Action::run_cleaner(Origin::Header));
        assert!(s.job.is_none());
        assert_eq!(s.session.entries.len(), 5);
    }

    #[test]
    fn a_big_generate_in_a_link_runs_in_record_slices_and_cancels_cleanly() {
        let mut s = PageState::default();
        s.reduce(load("topic keep\nproduce keep a:1"));
        let (before, broker) = (s.session.script(), format!("{:?}", s.session.broker));
        let link = "topic t partitions=2 cleanup.policy=compact\ngenerate t count=200000 keys=1000\nroll t\nclean";
        s.reduce(Action::LoadScript {
            text: link.into(),
            origin: Origin::Url,
        });
        s.reduce(Action::Continue { now: None });
        let job = s.job.as_ref().unwrap_or_else(|| panic!("a job"));
        assert_eq!(job.label(), "Loading the link: line 2 of 4, record 64001 of 200000");
        assert_eq!(job.next_line().as_deref(), Some("generate t count=200000 keys=1000"));
        assert_eq!(job.fraction(), Some((1.32, 4.0)));
        s.reduce(Action::Cancel);
        assert_eq!(
            status(&s),
            (
                StatusKind::Info,
                "Cancelled after 1 of 4 lines: the session is as it was before."
            )
        );
        assert_eq!(s.session.script(), before);
        assert!(format!("{:?}", s.session.broker) == broker, "the broker as it was");
        // To the end: four slices of records, then the cleaning (heavy: a
        // slice of its own).
        s.reduce(Action::LoadScript {
            text: link.into(),
            origin: Origin::Url,
        });
        let mut labels = Vec::new();
        while s.job.is_some() {
            s.reduce(Action::Continue { now: None });
            labels.extend(s.job.as_ref().map(Job::label));
        }
        assert_eq!(
            labels,
            [
                "Loading the link: line 2 of 4, record 64001 of 200000",
                "Loading the link: line 2 of 4, record 128001 of 200000",
                "Loading the link: line 2 of 4, record 192001 of 200000",
                "Loading the link: line 4 of 4",
            ]
        );
        assert_eq!(status(&s), (StatusKind::Ok, "Ran 4 lines."));
        let mut whole = Session::default();
        for line in link.lines() {
            assert!(whole
                .run(session::step_of_line(line).unwrap_or_else(|e| panic!("{e}")))
                .is_ok());
        }
        assert!(format!("{:?}", s.session.broker) == format!("{:?}", whole.broker));
    }

    #[test]
    fn unreadable_saved_sessions_stay_as_drafts() {
        let mut s = PageState::default();
        s.reduce(Action::LoadScript {
            text: "topic t\nbogus".into(),
            origin: Origin::Saved,
        });
        assert_eq!(s.rejected_script.as_deref(), Some("topic t\nbogus"));
        s.reduce(Action::HoldSaving);
        assert!(s.hold_saving);
        s.reduce(Action::DismissStatus);
        assert!(s.hold_saving, "only a change of the session releases it");
        s.reduce(load("topic u"));
        assert!(!s.hold_saving);
    }
}

/// An `import` line whose files the page does not have (a share link, a
/// saved session: they carry lines, not files) is refused with a message
/// saying to pick the files again, and the rest of the session runs. With
/// or without the `files` feature: the page (built without it) reads the
/// files once its files support has loaded, see `session::files`.
#[cfg(test)]
mod import_files {
    use super::*;

    #[test]
    fn an_import_without_its_files_is_refused_with_a_reason_and_nothing_breaks() {
        let mut s = PageState::default();
        s.reduce(Action::LoadScript {
            text: "topic t cleanup.policy=compact\nimport t/0 data/t-0\nproduce t k:v".into(),
            origin: Origin::Script,
        });
        let st = s.status.as_ref().map(|st| (st.kind, st.text.clone()));
        assert_eq!(
            st,
            Some((
                StatusKind::Error,
                format!(
                    "Ran 3 lines; 1 rejected by the broker (first: line 2: cannot import data/t-0 at byte 0: {}).",
                    session::files::MISSING
                )
            ))
        );
        assert!(session::files::MISSING.contains("pick them again"));
        // The refused line stays in the session, as any line the broker
        // rejects; the others ran.
        assert_eq!(
            s.session.script(),
            "topic t cleanup.policy=compact\nimport t/0 data/t-0\nproduce t k:v\n"
        );
        assert_eq!(
            session::files::missing(&s.session.entries),
            vec!["data/t-0".to_string()]
        );
        s.reduce(Action::LoadScript {
            text: "topic u\nproduce u k:v".into(),
            origin: Origin::Script,
        });
        assert_eq!(s.status.as_ref().map(|st| st.text.as_str()), Some("Ran 2 lines."));
    }

    /// Files picked in the page: the line runs, undo and looking back
    /// replay it with them.
    #[cfg(feature = "files")]
    #[test]
    fn an_import_from_the_page_undoes_and_looks_back() {
        let mut src = Session::default();
        src.load("topic src\nproduce src a:1\nproduce src b:2").unwrap();
        let mut picked = Vec::new();
        crate::log_dir::export(&src.broker, |path, bytes| {
            if path.starts_with("src-0/") {
                picked.push(crate::log_dir::import::ImportFile {
                    name: path.to_string(),
                    bytes: bytes.to_vec(),
                });
            }
            Ok::<(), ()>(())
        })
        .unwrap();
        let path = session::files::add("src-0", picked);
        let mut s = PageState::default();
        s.reduce(Action::LoadScript {
            text: "topic t".into(),
            origin: Origin::Script,
        });
        let line = |line: &str| Action::ExecLine {
            line: line.to_string(),
            origin: Origin::Files,
        };
        s.reduce(line(&format!("import t/0 {path}")));
        assert_eq!(
            s.status.as_ref().map(|st| (st.kind, st.text.as_str())),
            Some((StatusKind::Ok, "Imported src-0 into t-0."))
        );
        s.reduce(line("produce t c:3"));
        let records = |s: &PageState| s.shown().broker.partition("t", 0).unwrap().record_count();
        assert_eq!(records(&s), 3);
        s.reduce(Action::LookBack(Some(2)));
        assert_eq!(records(&s), 2, "the past after the import line");
        s.reduce(Action::LookBack(None));
        s.reduce(Action::Undo);
        assert_eq!(records(&s), 2);
        s.reduce(Action::Undo);
        assert_eq!(records(&s), 0);
    }
}
