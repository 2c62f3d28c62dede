//! A `run` line done a piece at a time, so the page never blocks while the
//! broker works for an hour or a day of simulated time.
//!
//! A [`RunLine`] uses the engine's resumable run
//! ([`LogManager::start_run`], [`LogManager::continue_run`]): done in pieces,
//! a `run` is exactly the `run` done whole (an engine test checks it), so
//! the session's script, undo and share links stay true. After each piece,
//! and just before and after each cleaning, the partitions are sampled for
//! the time charts ([`super::series`]).
//!
//! Two ways to record it:
//! - A click's run (the Run 1 h button, Play): the session's broker moves
//!   on in place and the line is written as `run <what has run>` after
//!   every piece, so Stop keeps what was done and the script always says
//!   it. Play extends the same line tick after tick ([`RunLine::extend`]):
//!   `run 10s` then `run 20s` is one line `run 20s`, which the engine makes
//!   the same as two. A piece the budget refuses leaves the broker partway:
//!   the session is rebuilt from its lines (undo's way) and the line stays
//!   as it was before the piece.
//! - A `run` line of a script being replayed: done in place on the
//!   replay's own broker and recorded when done, as written, with the
//!   result running it whole gives (a refusal on the way restores the copy
//!   of the broker taken first, as [`LogManager::run_for`] does).
//!
//! Not the engine's: the budget's up-front check of `cleaner_work` is made
//! for each extension of a played line, not for the whole line, so a line
//! played past what a whole `run` would be allowed could be refused when
//! the script is replayed (at the budget's very edge only).

use super::{step_of_line, Rejection, Session};
use crate::error::Error;
use crate::log_manager::{BrokerRun, LogManager, RunMoment, Running};
use crate::scenario::command::Ran;
use crate::scenario::lexer::format_duration_word;
use crate::scenario::{Command, Outcome, Step, StepResult};

/// Records appended or read by cleanings that one piece aims at: small
/// enough that a slice overshoots its time by little.
pub const PIECE_WORK: u64 = 2000;

/// A `run` line under way.
#[derive(Debug, Clone)]
pub struct RunLine {
    run: Running,
    /// A script's line (recorded when done, as written), or `None` for a
    /// click's (written as `run <elapsed>` after every piece).
    script: Option<(Step, Vec<String>)>,
    /// A script line's broker before it ran (restored when refused).
    before: Option<Box<LogManager>>,
    /// A click's entry, once its first piece is done.
    seq: Option<usize>,
    /// The clock when the line started.
    start_ms: i64,
    /// What the line did before the current extension.
    earlier: BrokerRun,
    /// Simulated time per piece, adapted to the work it finds.
    piece_ms: i64,
}

impl RunLine {
    /// A click's `run <ms>`, checked as the line would be (the `steps`
    /// budget, then the run's up-front checks); nothing runs yet.
    ///
    /// # Errors
    ///
    /// The broker's refusal, as [`Session::run`] gives it.
    pub fn start(session: &Session, ms: i64) -> Result<RunLine, Rejection> {
        session.broker.check_step("run").map_err(rejection)?;
        let run = session.broker.start_run(ms).map_err(rejection)?;
        Ok(RunLine::new(run, None, None))
    }

    /// A script's `run` line worth doing in pieces (it appends many load
    /// records or spans many cleaner wakes), on `session`'s broker; `None`
    /// runs it whole (a light line, or one refused up front).
    pub(super) fn of_script(session: &Session, step: &Step, comments: &[String]) -> Option<RunLine> {
        let Command::Run(r) = &step.command else { return None };
        let b = &session.broker;
        let end = b.now_ms().checked_add(r.ms)?;
        let loads = if b.next_load_record_ms().is_some_and(|t| t <= end) {
            b.pending_load_records()
        } else {
            0
        };
        let wakes = r.ms / b.broker_config().log_cleaner_backoff_ms.max(1);
        if loads.saturating_add(u64::try_from(wakes).unwrap_or(u64::MAX)) <= PIECE_WORK {
            return None;
        }
        b.check_step(&step.word).ok()?;
        let run = b.start_run(r.ms).ok()?;
        Some(RunLine::new(
            run,
            Some((step.clone(), comments.to_vec())),
            Some(Box::new(b.clone())),
        ))
    }

    fn new(run: Running, script: Option<(Step, Vec<String>)>, before: Option<Box<LogManager>>) -> RunLine {
        let span = run.end_ms - run.start_ms;
        RunLine {
            start_ms: run.start_ms,
            piece_ms: (span / 100).clamp(1, 60_000),
            run,
            script,
            before,
            seq: None,
            earlier: BrokerRun::default(),
        }
    }

    /// Simulated time run so far and asked for in all (ms).
    pub fn progress(&self, session: &Session) -> (i64, i64) {
        (session.broker.now_ms() - self.start_ms, self.run.end_ms - self.start_ms)
    }

    /// Whether it has run all it was asked to.
    pub fn is_done(&self, session: &Session) -> bool {
        self.run.is_done(&session.broker)
    }

    /// The line being run, for the progress note.
    pub fn line(&self, session: &Session) -> String {
        match &self.script {
            Some((step, _)) => step.text.clone(),
            None => format!("run {}", format_duration_word(self.progress(session).1)),
        }
    }

    /// Whether this click's line is still the session's last (so that a
    /// tick of Play may extend it).
    pub fn is_last(&self, session: &Session) -> bool {
        self.seq.is_none_or(|seq| seq == session.entries.len())
    }

    /// Asks a click's line, once done, to run `ms` more (Play's next tick).
    ///
    /// # Errors
    ///
    /// The up-front refusal of the extension; the line is unchanged.
    pub fn extend(&mut self, session: &Session, ms: i64) -> Result<(), Rejection> {
        if !self.is_done(session) {
            return Ok(());
        }
        let run = session.broker.start_run(ms).map_err(rejection)?;
        merge(&mut self.earlier, std::mem::replace(&mut self.run, run).done);
        Ok(())
    }

    /// Runs pieces while `more(work done in this call)` says so (at least
    /// one if any is left), sampling the partitions, then records the line
    /// (a click's after every call, a script's when done). Returns whether
    /// it has run all it was asked to.
    ///
    /// # Errors
    ///
    /// A piece past the budget: a click's line stays as it was before the
    /// piece (the session is rebuilt from its lines); a script's line is
    /// recorded as refused, the broker as it was before it.
    pub fn run_while(&mut self, session: &mut Session, mut more: impl FnMut(u64) -> bool) -> Result<bool, Rejection> {
        let mut work = 0u64;
        let seq = self.seq.unwrap_or(session.entries.len() + 1);
        while !self.is_done(session) && (work == 0 || more(work)) {
            let before = piece_work(&self.run.done);
            let until = session.broker.now_ms().saturating_add(self.piece_ms);
            let Session { broker, series, .. } = &mut *session;
            let piece = broker.continue_run(&mut self.run, until, &mut |b, m| match m {
                RunMoment::BeforeCleaning { .. } => series.sample(b, seq, None, true),
                RunMoment::AfterCleaning(c) => {
                    let tp = &c.topic_partition;
                    series.sample(b, seq, Some(&[tp.topic.as_str()]), true);
                    let removed = c.messages_read.saturating_sub(c.messages_written);
                    series.cleaning(&tp.topic, tp.partition, c.time_ms, seq, removed);
                }
            });
            if let Err(e) = piece {
                return Err(self.refused(session, e));
            }
            session.series.sample(&session.broker, seq, None, false);
            let did = piece_work(&self.run.done) - before;
            work = work.saturating_add(did.max(1));
            // Aim at PIECE_WORK per piece, and at least a hundred samples
            // over the run.
            let span = (self.run.end_ms - self.run.start_ms).max(1);
            self.piece_ms = if did > 2 * PIECE_WORK {
                (self.piece_ms / 2).max(1)
            } else if did < PIECE_WORK / 2 {
                self.piece_ms.saturating_mul(2)
            } else {
                self.piece_ms
            }
            .clamp(1, (span / 100).max(1000));
        }
        let done = self.is_done(session);
        if self.script.is_none() || done {
            self.record(session);
        }
        Ok(done)
    }

    /// What the line did so far, as its entry says it.
    fn result(&self, session: &Session, step: &Step) -> StepResult {
        let mut total = self.earlier.clone();
        merge(&mut total, self.run.done.clone());
        StepResult::of(step, Ok(Outcome::Run(Ran::of(session.broker.now_ms(), total))))
    }

    fn record(&mut self, session: &mut Session) {
        session.marked_run = true;
        self.record_entry(session);
        session.marked_run = false;
    }

    fn record_entry(&mut self, session: &mut Session) {
        if let Some((step, comments)) = self.script.take() {
            let result = self.result(session, &step);
            let seq = session.entries.len() + 1;
            let (entry, c) = session.apply_with(step, seq, comments, move |broker, _, _| {
                broker.count_step();
                (result, None)
            });
            session.push(entry, c);
            return;
        }
        let elapsed = session.broker.now_ms() - self.start_ms;
        let Ok(step) = step_of_line(&format!("run {}", format_duration_word(elapsed))) else {
            return;
        };
        let result = self.result(session, &step);
        match self.seq {
            Some(seq) if seq == session.entries.len() => session.amend_last(step, result),
            _ => {
                if session
                    .run_with(step, |broker, _, _| {
                        broker.count_step();
                        (result, None)
                    })
                    .is_ok()
                {
                    self.seq = Some(session.entries.len());
                }
            }
        }
    }

    /// A piece the budget refused, with the broker partway.
    fn refused(&mut self, session: &mut Session, e: Error) -> Rejection {
        let rejected = rejection(e.clone());
        match (self.script.take(), self.before.take()) {
            (Some((step, comments)), Some(before)) => {
                session.broker = *before;
                let seq = session.entries.len() + 1;
                session.series.truncate(seq - 1);
                let (entry, c) = session.apply_with(step, seq, comments, move |_, step, _| {
                    (StepResult::of(step, Err(e)), None)
                });
                session.push(entry, c);
            }
            _ => {
                session.rebuild();
            }
        }
        rejected
    }

    /// A click's line is done (or stopped): undo's copy of the broker after
    /// it, if one falls there, is taken now.
    pub fn finish(self, session: &mut Session) {
        if let Some(seq) = self.seq {
            session.settle_checkpoint(seq);
        }
    }
}

/// Adds a later part of a run to what came before.
fn merge(into: &mut BrokerRun, more: BrokerRun) {
    into.appended += more.appended;
    into.cleanings.extend(more.cleanings);
    into.deleted_segments += more.deleted_segments;
    into.cleaner_iterations += more.cleaner_iterations;
    into.retention_checks += more.retention_checks;
}

/// Records appended and read by the cleanings so far (how heavy a piece was).
fn piece_work(r: &BrokerRun) -> u64 {
    r.cleanings
        .iter()
        .map(|c| c.messages_read)
        .fold(r.appended.appended + r.cleaner_iterations, u64::saturating_add)
}

fn rejection(e: Error) -> Rejection {
    Rejection {
        text: e.to_string(),
        error_name: Some(e.kafka_name().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_same, step};
    use super::*;

    const SETUP: &str =
        "topic t partitions=2 cleanup.policy=compact segment.bytes=2000 min.cleanable.dirty.ratio=0.2\n\
                         topic d cleanup.policy=delete segment.bytes=500 retention.ms=60000\n\
                         load t rate=40/s keys=50 for=20m tombstones=0.05\n\
                         load d rate=2/s keys=5 for=20m";

    fn session() -> Session {
        let mut s = Session::default();
        assert_eq!(s.load(SETUP), Ok(()));
        s
    }

    /// The session's script, loaded into a fresh session.
    fn replayed(s: &Session) -> Session {
        let mut fresh = Session::default();
        assert_eq!(fresh.load(&s.script()), Ok(()));
        fresh
    }

    #[test]
    fn a_clicked_run_in_pieces_is_the_line_it_writes() {
        let mut s = session();
        let mut line = RunLine::start(&s, 15 * 60_000).unwrap_or_else(|r| panic!("{r:?}"));
        let mut calls = 0;
        while !line.run_while(&mut s, |w| w < 3000).unwrap_or_else(|r| panic!("{r:?}")) {
            calls += 1;
            // After every call the script says what has run, and replays
            // to the same broker.
            let last = s.entries.last().map(|e| e.step.text.clone()).unwrap_or_default();
            assert!(last.starts_with("run "), "{last}");
            if calls % 7 == 1 {
                assert_same(&s, &replayed(&s), &format!("after {calls} calls"));
            }
        }
        assert!(calls > 5, "{calls} calls");
        line.finish(&mut s);
        assert_eq!(s.entries.last().map(|e| e.step.text.as_str()), Some("run 15m"));
        assert_same(&s, &replayed(&s), "done");
        // The partitions were sampled along the way, cleanings marked.
        let p = s.series.of("t", 0).unwrap_or_else(|| panic!("sampled"));
        assert!(p.samples.len() > 50, "{}", p.samples.len());
        assert!(p
            .events
            .iter()
            .any(|e| matches!(e.kind, super::super::series::EventKind::Cleaning { .. })));
        assert!(p.samples.iter().any(|x| x.tombstones > 0));
    }

    #[test]
    fn play_extends_one_line_and_a_click_between_starts_another() {
        let mut s = session();
        let mut line = RunLine::start(&s, 10_000).unwrap_or_else(|r| panic!("{r:?}"));
        for _ in 0..6 {
            line.extend(&s, 10_000).unwrap_or_else(|r| panic!("{r:?}"));
            assert!(line.run_while(&mut s, |_| true).unwrap_or_else(|r| panic!("{r:?}")));
        }
        assert_eq!(s.entries.last().map(|e| e.step.text.as_str()), Some("run 1m"));
        assert_eq!(s.entries.len(), 5);
        assert!(s.run(step("produce t k1:x")).is_ok());
        assert!(!line.is_last(&s));
        line.finish(&mut s);
        let mut next = RunLine::start(&s, 2500).unwrap_or_else(|r| panic!("{r:?}"));
        assert!(next.run_while(&mut s, |_| true).unwrap_or_else(|r| panic!("{r:?}")));
        assert_eq!(s.entries.len(), 7);
        assert_eq!(s.entries.last().map(|e| e.step.text.as_str()), Some("run 2500ms"));
        assert_same(&s, &replayed(&s), "played");
        // Undo drops the whole played line.
        s.undo();
        s.undo();
        s.undo();
        assert_eq!(s.entries.len(), 4);
        assert_same(&s, &replayed(&s), "undone");
    }

    #[test]
    fn stopping_keeps_what_ran() {
        let mut s = session();
        let mut line = RunLine::start(&s, 3_600_000).unwrap_or_else(|r| panic!("{r:?}"));
        assert!(!line.run_while(&mut s, |w| w < 5000).unwrap_or_else(|r| panic!("{r:?}")));
        let (done, total) = line.progress(&s);
        assert!(done > 0 && done < total, "{done} of {total}");
        line.finish(&mut s);
        let text = s.entries.last().map(|e| e.step.text.clone()).unwrap_or_default();
        assert_eq!(text, format!("run {}", format_duration_word(done)));
        assert_same(&s, &replayed(&s), "stopped");
    }

    #[test]
    fn a_scripts_heavy_run_line_runs_in_pieces_as_if_whole() {
        let text = format!("{SETUP}\n# an hour\nrun 60m\nproduce t a:1\nrun 5s");
        let mut r = super::super::Replay::new(&text).unwrap_or_else(|e| panic!("{e:?}"));
        let mut slices = 0;
        while !r.run_while(|ran| ran.records < 4000) {
            slices += 1;
        }
        assert!(slices > 3, "{slices}");
        let sliced = r.finish(0);
        // The engine's own runner, each line whole.
        let mut broker = super::super::page_broker();
        let steps = crate::scenario::parse(&text).unwrap_or_else(|e| panic!("{e}"));
        let results: Vec<StepResult> = steps
            .iter()
            .map(|s| crate::scenario::run_step(&mut broker, s))
            .collect();
        assert!(format!("{:?}", sliced.broker) == format!("{broker:?}"), "the broker");
        let got: Vec<_> = sliced.entries.iter().map(|e| e.result.clone()).collect();
        assert_eq!(got, results);
        assert_eq!(sliced.script(), format!("{}\n", text));
        // A run the budget refuses on the way changes nothing, as whole.
        let over = "topic t cleanup.policy=compact\nload t rate=1000/s keys=10 for=20m\nrun 20m";
        let mut r = super::super::Replay::new(over).unwrap_or_else(|e| panic!("{e:?}"));
        r.run_while(|_| true);
        let s = r.finish(0);
        let mut broker = super::super::page_broker();
        let steps = crate::scenario::parse(over).unwrap_or_else(|e| panic!("{e}"));
        let results: Vec<StepResult> = steps
            .iter()
            .map(|s| crate::scenario::run_step(&mut broker, s))
            .collect();
        let got: Vec<_> = s.entries.iter().map(|e| e.result.clone()).collect();
        assert_eq!(got, results);
        assert!(format!("{:?}", s.broker) == format!("{broker:?}"));
    }
}
