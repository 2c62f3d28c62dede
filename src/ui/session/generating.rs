//! One heavy `generate` line, appended a slice at a time.
//!
//! A click on the bulk-generate form may ask for hundreds of thousands of
//! records: in one piece that blocks the tab for seconds. A [`Generating`]
//! checks the line as [`Session::run`] would (the `steps` budget, then the
//! broker's up-front checks of `generate`), copies the session's broker and
//! appends to the copy a slice at a time, with the engine's resumable
//! generation ([`LogManager::start_generate`]), so the page can yield to the
//! browser between slices, show progress and cancel (drop it). The session
//! itself is untouched until [`Generating::finish`], which records the line
//! exactly as a click running it in one go would: same entry, same result,
//! same budget used, totals and checkpoints.
//!
//! A `generate` line inside a script being replayed ([`super::Replay`]) is
//! appended the same way, a chunk at a time, but in place ([`InPlace`]): the
//! replay's broker is its own until the replay finishes.

use super::{Entry, Rejection, Session};
use crate::error::Error;
use crate::log_manager::{GenerateRequest, Generation, LogManager};
use crate::scenario::command::{Generate, Generated};
use crate::scenario::{Command, Outcome, Step, StepResult};

/// Records appended between two looks at the clock: small enough that a
/// slice overshoots its time by little, large enough that looking costs
/// nothing.
pub const CHUNK_RECORDS: u64 = 1000;

/// A `generate` line being appended to a copy of the session's broker.
#[derive(Debug, Clone)]
pub struct Generating {
    step: Step,
    broker: LogManager,
    generation: Generation,
    /// The broker's refusal of a record midway (not expected: the largest
    /// was checked up front); the line is then rejected as a whole.
    failed: Option<Error>,
}

impl Generating {
    /// Starts a `generate` line on a copy of the session's broker; nothing
    /// is appended yet. `None` when the step is not a `generate`, or when
    /// it would be refused up front: then [`Session::run`] refuses it at
    /// once, with the broker's message, and costs nothing.
    pub fn start(session: &Session, step: Step) -> Option<Generating> {
        let generation = startable(session, &step)?;
        Some(Generating {
            broker: session.broker.clone(),
            generation,
            step,
            failed: None,
        })
    }

    /// Records appended so far.
    pub fn done(&self) -> u64 {
        self.generation.done()
    }

    /// Records the line appends in all.
    pub fn total(&self) -> u64 {
        self.generation.count()
    }

    /// The line, for the progress note.
    pub fn line(&self) -> &str {
        &self.step.text
    }

    /// Whether there is nothing left to append.
    pub fn is_done(&self) -> bool {
        self.failed.is_some() || self.generation.is_done()
    }

    /// Appends records, [`CHUNK_RECORDS`] at a time, while `more(records
    /// appended in this call)` says so (at least one chunk, if any is left).
    /// Returns whether every record has been appended.
    pub fn run_while(&mut self, mut more: impl FnMut(u64) -> bool) -> bool {
        let mut ran = 0;
        while !self.is_done() && (ran == 0 || more(ran)) {
            let before = self.generation.done();
            if let Err(e) = self.broker.continue_generate(&mut self.generation, CHUNK_RECORDS) {
                self.failed = Some(e);
            }
            ran += self.generation.done() - before;
        }
        self.is_done()
    }

    /// Appends what is left and records the line in the session, as
    /// [`Session::run`] would have.
    ///
    /// # Errors
    ///
    /// A [`Rejection`] when the broker refused a record midway; the session
    /// is unchanged.
    pub fn finish(mut self, session: &mut Session) -> Result<&Entry, Rejection> {
        self.run_while(|_| true);
        if let Some(e) = self.failed {
            return Err(Rejection {
                text: e.to_string(),
                error_name: Some(e.kafka_name().to_string()),
            });
        }
        let Generating {
            step,
            mut broker,
            generation,
            ..
        } = self;
        // What `scenario::run_step` does after a step that ran.
        broker.count_step();
        let result = result_of(&step, &generation, Ok(()));
        session.run_with(step, move |b, _, _| {
            *b = broker;
            (result, None)
        })
    }
}

/// What [`run_step`](crate::scenario::run_step) says of a `generate` line
/// that appended `generation` (whole), or that the broker refused midway
/// with `failed`.
pub(super) fn result_of(step: &Step, generation: &Generation, failed: Result<(), Error>) -> StepResult {
    let done = failed.map(|()| {
        Outcome::Generate(Generated {
            topic: generation.topic().to_string(),
            count: generation.count(),
        })
    });
    StepResult::of(step, done)
}

/// A `generate` line of a replay, appended to the replay's own broker a
/// chunk at a time (the replay's session is not the page's until it is
/// finished, so nothing needs copying: Cancel drops the whole replay).
#[derive(Debug, Clone)]
pub struct InPlace {
    pub(super) step: Step,
    pub(super) comments: Vec<String>,
    pub(super) generation: Generation,
}

impl InPlace {
    /// The generation of `step` on `session`'s broker if it is a `generate`
    /// of more than one chunk that passes the checks `run_step` makes first
    /// (the `steps` budget, then the broker's up-front checks); otherwise
    /// `None`, and the step runs whole (a refusal then costs nothing and
    /// says the same).
    pub(super) fn generation(session: &Session, step: &Step) -> Option<Generation> {
        match &step.command {
            Command::Generate(g) if g.count > CHUNK_RECORDS => startable(session, step),
            _ => None,
        }
    }

    /// Appends the next chunk to `broker`; `Err` when the broker refused a
    /// record (the line is then over, as `run_step` would have stopped).
    pub(super) fn run_chunk(&mut self, broker: &mut LogManager) -> Result<(), Error> {
        broker.continue_generate(&mut self.generation, CHUNK_RECORDS).map(drop)
    }
}

/// The generation of a `generate` line on `session`'s broker, if it passes
/// the checks `run_step` makes first (the `steps` budget, then the broker's
/// up-front checks of `generate`); nothing is appended or copied.
pub fn startable(session: &Session, step: &Step) -> Option<Generation> {
    let Command::Generate(g) = &step.command else {
        return None;
    };
    session.broker.check_step(&step.word).ok()?;
    session.broker.start_generate(request(g)).ok()
}

/// The engine's request for a `generate` line (as the command runs it).
fn request(g: &Generate) -> GenerateRequest<'_> {
    GenerateRequest {
        topic: &g.topic,
        count: g.count,
        keys: g.keys,
        seed: g.seed,
        tombstones: g.tombstones,
        value_bytes: g.value_bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_same, step};
    use super::*;

    fn session() -> Session {
        let mut s = Session::default();
        assert_eq!(
            s.load(
                "# a comment\ntopic t partitions=2 cleanup.policy=compact segment.bytes=5000\nproduce t a:1\n# tail"
            ),
            Ok(())
        );
        s
    }

    #[test]
    fn a_generate_in_slices_is_the_same_as_one_click() {
        let line = "generate t count=12345 keys=77 seed=5 tombstones=0.1";
        let mut whole = session();
        assert!(whole.run(step(line)).is_ok());
        let mut sliced = session();
        let before = format!("{:?}", sliced.broker);
        let mut g = Generating::start(&sliced, step(line)).unwrap_or_else(|| panic!("starts"));
        assert_eq!((g.done(), g.total(), g.line()), (0, 12345, line));
        let mut slices = 0;
        while !g.run_while(|ran| ran < 2000) {
            slices += 1;
            assert_eq!(g.done(), slices * 2000);
            // The session is untouched meanwhile: a Cancel drops `g`.
            assert!(format!("{:?}", sliced.broker) == before);
            assert_eq!(sliced.entries.len(), 2);
        }
        assert_eq!(slices, 6);
        assert!(g.finish(&mut sliced).is_ok());
        assert_same(&sliced, &whole, "sliced generate");
        assert_eq!(sliced.log_stamp, whole.log_stamp);
        assert_eq!(sliced.trailing_comments, whole.trailing_comments);
    }

    #[test]
    fn refusals_are_left_to_the_click() {
        let s = session();
        assert!(Generating::start(&s, step("generate nope count=10 keys=2")).is_none());
        assert!(Generating::start(&s, step("generate t count=2000000 keys=2")).is_none());
        assert!(Generating::start(&s, step("produce t a:1")).is_none());
    }
}
