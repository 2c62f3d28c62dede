//! Running a whole script into a fresh session, a slice at a time.
//!
//! A long script (a pasted one, a share link, the saved session) can take a
//! while to run. A [`Replay`] parses it all first, then runs it a few lines
//! at a time into a fresh [`Session`], so the page can yield to the browser
//! between slices, show progress and cancel, and the page never blocks; the
//! session it replaces is untouched until [`Replay::finish`].
//! [`Session::load`] is the same replay run in one go.

use super::{cost, is_clean, Session, CHECKPOINT_EVERY};
use crate::budget::Budget;
use crate::scenario::{self, Step};

/// A script parsed within the page's budget of steps, with its comments: a
/// script of more steps is refused at the first one too many, before the
/// rest is read.
fn parse_page(text: &str) -> Result<(scenario::Commented, Vec<String>), scenario::SyntaxError> {
    scenario::parse_within(text, Budget::PAGE.steps)?;
    scenario::parse_with_comments(text)
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

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_same, random_lines};
    use super::*;

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
}
