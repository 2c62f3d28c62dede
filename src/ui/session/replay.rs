//! Running a whole script into a fresh session, a slice at a time.
//!
//! A long script (a pasted one, a share link, the saved session) can take a
//! while to run. A [`Replay`] parses it all first, then runs it a little at
//! a time into a fresh [`Session`], so the page can yield to the browser
//! between slices, show progress and cancel, and the page never blocks; the
//! session it replaces is untouched until [`Replay::finish`].
//! [`Session::load`] is the same replay run in one go.
//!
//! A slice is a few lines, or a few chunks of records: a `generate` line of
//! more than one chunk is appended a chunk at a time
//! ([`super::generating::InPlace`], with the engine's resumable
//! generation), so one line of a million records is spread over many
//! slices and ends with the entry, broker and budget of running it whole.
//! A line that must run whole and is heavy ([`Session::weight`] over
//! [`HEAVY_STEP`], a cleaning of a big log, say) starts a slice of its own,
//! so the progress names it before it runs.

use super::generating::{result_of, InPlace};
use super::running::RunLine;
use super::{cost, is_clean, Session, CHECKPOINT_EVERY, HEAVY_STEP};
use crate::budget::Budget;
use crate::scenario::{self, Command, Step};

/// A script parsed within the page's budget of steps, with its comments: a
/// script of more steps is refused at the first one too many, before the
/// rest is read.
fn parse_page(text: &str) -> Result<(scenario::Commented, Vec<String>), scenario::SyntaxError> {
    scenario::parse_within(text, Budget::PAGE.steps)?;
    scenario::parse_with_comments(text)
}

/// The work done so far within one [`Replay::run_while`] call, for its
/// `more` test.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ran {
    /// Lines finished.
    pub lines: usize,
    /// Records a sliced `generate` appended.
    pub records: u64,
}

/// A script being run into a fresh session, a slice at a time: the page
/// yields to the browser between slices and may drop it (cancel) without
/// touching the session it was to replace.
#[derive(Debug, Clone)]
pub struct Replay {
    session: Session,
    steps: std::vec::IntoIter<(Step, Vec<String>)>,
    /// The `generate` line being appended a chunk at a time, if any.
    generating: Option<InPlace>,
    /// The `run` line being run a piece at a time, if any.
    running: Option<Box<RunLine>>,
    /// Which lines are cleanings to compare before and after: the last one
    /// between two checkpoints (what undo and the cleaner view can show).
    compare: Vec<bool>,
    total: usize,
    trailing: Vec<String>,
    /// How much work the script is (see [`Replay::weight`]).
    weight: u64,
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
            weight: weight(steps.iter().map(|(s, _)| &s.command)),
            steps: steps.into_iter(),
            generating: None,
            running: None,
            compare,
            trailing,
        })
    }

    /// How much work the script is, roughly: a line, a hundred records
    /// appended, or a hundred records a cleaning or a retention check may
    /// read (all those appended before it) count one.
    pub fn weight(&self) -> u64 {
        self.weight
    }

    /// Lines run so far.
    pub fn done(&self) -> usize {
        self.session.entries.len()
    }

    /// Lines in the script.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Of the `generate` line being appended a chunk at a time, if any: the
    /// records appended so far and in all.
    pub fn records(&self) -> Option<(u64, u64)> {
        self.generating
            .as_ref()
            .map(|g| (g.generation.done(), g.generation.count()))
    }

    /// The next line to run (or the one running), if any, for the progress
    /// note.
    pub fn next_line(&self) -> Option<String> {
        match (&self.generating, &self.running) {
            (Some(g), _) => Some(g.step.text.clone()),
            (_, Some(r)) => Some(r.line(&self.session)),
            _ => self.steps.as_slice().first().map(|(s, _)| s.text.clone()),
        }
    }

    /// Of the `run` line being run a piece at a time, if any: the simulated
    /// time run so far and in all (ms).
    pub fn run_progress(&self) -> Option<(i64, i64)> {
        self.running.as_ref().map(|r| r.progress(&self.session))
    }

    /// Whether every line has run.
    pub fn is_done(&self) -> bool {
        self.generating.is_none() && self.running.is_none() && self.steps.as_slice().is_empty()
    }

    /// Runs lines (and chunks of a big `generate` line) while `more(work
    /// done in this call)` says so, at least one piece if any is left. A
    /// heavy line that runs whole waits for the next call unless it comes
    /// first. Returns whether every line has run.
    pub fn run_while(&mut self, mut more: impl FnMut(Ran) -> bool) -> bool {
        let mut ran = Ran::default();
        while !self.is_done() {
            let started = ran != Ran::default();
            if started && !more(ran) {
                break;
            }
            if let Some(g) = self.generating.as_mut() {
                let before = g.generation.done();
                let chunk = g.run_chunk(&mut self.session.broker);
                ran.records += g.generation.done() - before;
                if chunk.is_err() || g.generation.is_done() {
                    self.finish_generating(chunk);
                    ran.lines += 1;
                }
                continue;
            }
            if let Some(r) = self.running.as_mut() {
                let mut seen = 0;
                let done = r.run_while(&mut self.session, |w| {
                    seen = w;
                    more(Ran {
                        lines: ran.lines,
                        records: ran.records + w,
                    })
                });
                ran.records += seen.max(1);
                if !matches!(done, Ok(false)) {
                    self.running = None;
                    ran.lines += 1;
                }
                continue;
            }
            let heavy = self
                .steps
                .as_slice()
                .first()
                .is_some_and(|(s, _)| !is_sliced(&s.command) && self.session.weight(s) > HEAVY_STEP);
            if started && heavy {
                break;
            }
            let Some((step, comments)) = self.steps.next() else {
                break;
            };
            if let Some(r) = RunLine::of_script(&self.session, &step, &comments) {
                self.running = Some(Box::new(r));
                continue;
            }
            if let Some(generation) = InPlace::generation(&self.session, &step) {
                self.generating = Some(InPlace {
                    step,
                    comments,
                    generation,
                });
                continue;
            }
            let i = self.session.entries.len();
            let compare = self.compare.get(i).copied().unwrap_or(false);
            let (entry, c) = self.session.apply(step, i + 1, comments, compare);
            self.session.push(entry, c);
            ran.lines += 1;
        }
        self.is_done()
    }

    /// Records the `generate` line appended a chunk at a time, as running
    /// it whole would have: the same result (the broker's refusal of a
    /// record midway leaves what came before it appended, as there), and a
    /// step counted only when it went through.
    fn finish_generating(&mut self, chunk: Result<(), crate::error::Error>) {
        let Some(InPlace {
            step,
            comments,
            generation,
        }) = self.generating.take()
        else {
            return;
        };
        let ok = chunk.is_ok();
        let result = result_of(&step, &generation, chunk);
        let seq = self.session.entries.len() + 1;
        let (entry, c) = self.session.apply_with(step, seq, comments, move |broker, _, _| {
            if ok {
                broker.count_step();
            }
            (result, None)
        });
        self.session.push(entry, c);
    }

    /// The session built, whose log stamp moves on from `stamp` (that of
    /// the session it replaces). Lines not run yet are run first.
    pub fn finish(mut self, stamp: u64) -> Session {
        self.run_while(|_| true);
        let mut session = self.session;
        session.trailing_comments = self.trailing;
        session.log_stamp = stamp + 1;
        session.lineage = session.log_stamp;
        session
    }
}

/// Whether a line runs a chunk at a time in a replay (a `generate` of more
/// than one chunk) rather than whole.
fn is_sliced(command: &Command) -> bool {
    matches!(command, Command::Generate(g) if g.count > super::generating::CHUNK_RECORDS)
        || matches!(command, Command::Run(_))
}

/// See [`Replay::weight`].
fn weight<'a>(commands: impl Iterator<Item = &'a Command>) -> u64 {
    let (mut lines, mut appended, mut read) = (0u64, 0u64, 0u64);
    for c in commands {
        lines += 1;
        appended = appended.saturating_add(cost(c));
        if matches!(c, Command::Clean(_) | Command::Retention(_)) {
            read = read.saturating_add(appended);
        }
    }
    lines.saturating_add(appended / 100).saturating_add(read / 100)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_same, random_lines};
    use super::*;
    use crate::log_manager::LogManager;

    #[test]
    fn a_replay_runs_in_slices_and_leaves_nothing_half_done() {
        let text = random_lines(3, 100).join("\n");
        let mut whole = Session::default();
        assert_eq!(whole.load(&text), Ok(()));
        let mut r = Replay::new(&text).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(r.total(), 102);
        let mut slices = 0;
        while !r.run_while(|ran| ran.lines < 10) {
            slices += 1;
            assert_eq!(r.done(), slices * 10);
        }
        assert_eq!(slices, 10);
        let sliced = r.finish(whole.log_stamp - 1);
        assert_same(&sliced, &whole, "sliced");
    }

    /// The script run line by line with the engine's own runner, each line
    /// whole, on a broker with the page's budget.
    fn whole(text: &str) -> (LogManager, Vec<scenario::StepResult>) {
        let mut broker = crate::ui::session::page_broker();
        let steps = scenario::parse(text).unwrap_or_else(|e| panic!("{e}"));
        let results = steps.iter().map(|s| scenario::run_step(&mut broker, s)).collect();
        (broker, results)
    }

    #[test]
    fn a_big_generate_line_runs_in_chunks_and_ends_as_if_run_whole() {
        let text = "topic t partitions=3 cleanup.policy=compact segment.bytes=20000\n\
                    produce t a:1\n\
                    generate t count=25500 keys=300 seed=9 tombstones=0.05\n\
                    roll t\n\
                    clean\n\
                    generate t count=3001 keys=5 value-bytes=30\n\
                    generate nope count=5000 keys=5\n\
                    generate t count=2000000 keys=5\n\
                    consume t/0 max=3";
        let mut r = Replay::new(text).unwrap_or_else(|e| panic!("{e:?}"));
        let mut seen = Vec::new();
        while !r.run_while(|ran| ran.records < 4000 && ran.lines < 3) {
            seen.push((r.done(), r.records(), r.next_line()));
        }
        // The first slice runs two lines and the first 4000 records; the
        // line is reported, with its records, until it is done.
        let line = "generate t count=25500 keys=300 seed=9 tombstones=0.05";
        assert_eq!(seen[0], (2, Some((4000, 25500)), Some(line.to_string())));
        assert_eq!(seen[5], (2, Some((24000, 25500)), Some(line.to_string())));
        // Then the rest of it, `roll` and `clean` (a light one): three lines.
        assert_eq!(seen[6].0, 5);
        let session = r.finish(0);
        // The same broker (every record, the generator's draws, the budget
        // used) and the same results as the engine running each line whole,
        // and the same JSON the CLI would print.
        let (broker, results) = whole(text);
        assert!(format!("{:?}", session.broker) == format!("{broker:?}"), "the broker");
        let got: Vec<_> = session.entries.iter().map(|e| e.result.clone()).collect();
        assert_eq!(got, results);
        assert_eq!(
            results[6].error_name.as_deref(),
            Some("UnknownTopicOrPartitionException")
        );
        assert_eq!(results[7].error_name.as_deref(), Some("BudgetExceeded"));
        let json = |b: &LogManager| serde_json::to_string(&scenario::output(b, results.clone())).unwrap_or_default();
        assert_eq!(json(&session.broker), json(&broker));
        // And the same session as the lines clicked one by one.
        let mut clicked = Session::default();
        for line in text.lines() {
            let _ = clicked.run(super::super::tests::step(line));
        }
        assert!(format!("{:?}", clicked.broker) == format!("{broker:?}"), "clicked");
    }

    #[test]
    fn a_heavy_line_that_runs_whole_starts_a_slice_of_its_own() {
        let text = "topic t cleanup.policy=compact\ngenerate t count=60000 keys=10\nroll t\nproduce t a:1\nclean t/0\nproduce t b:1";
        let mut r = Replay::new(text).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(!r.run_while(|_| true));
        assert_eq!((r.done(), r.next_line().as_deref()), (4, Some("clean t/0")));
        // It runs first in the next slice, alone if the slice says so.
        assert!(!r.run_while(|ran| ran.lines < 1));
        assert_eq!((r.done(), r.next_line().as_deref()), (5, Some("produce t b:1")));
        assert!(r.run_while(|_| true));
        // A light script weighs its lines; appends and what cleanings may
        // read weigh a line per hundred records.
        assert_eq!(Replay::new("topic t\nproduce t a:1").map(|r| r.weight()), Ok(2));
        assert_eq!(Replay::new(text).map(|r| r.weight()), Ok(6 + 600 + 600));
    }
}
