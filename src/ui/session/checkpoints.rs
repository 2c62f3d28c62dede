//! Undo's copies of the broker (checkpoints), and undo itself.
//!
//! Kafka's log only goes forward; the page's undo drops the last line. Running
//! the whole session again from an empty broker would make every undo as slow
//! as the session is long, so every [`CHECKPOINT_EVERY`] lines the session
//! keeps a copy of the broker (a [`LogManager`] clones whole), at most
//! [`MAX_CHECKPOINTS`] of them holding at most [`CHECKPOINT_RECORDS`] records
//! together (older ones are thinned out first, so their spacing grows). Undo
//! restores the nearest copy and replays only the few lines after it. The
//! engine is deterministic, so that is the state a replay from an empty
//! broker would build (tested below over random sessions).

use std::collections::BTreeMap;
use std::rc::Rc;

use super::{is_clean, page_broker, CleanCompare, EntryKind, Session, TopicMetrics};
use crate::log_manager::LogManager;
use crate::scenario::Step;

/// Lines between two copies of the broker kept for undo.
pub const CHECKPOINT_EVERY: usize = 32;
/// Copies of the broker kept for undo at most.
pub const MAX_CHECKPOINTS: usize = 8;
/// Records held by all copies together at most (a copy of a million-record
/// broker is tens of megabytes).
pub const CHECKPOINT_RECORDS: u64 = 2_000_000;

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

/// The session after its first `len` lines, for undo.
#[derive(Debug, Clone)]
pub(super) struct Checkpoint {
    len: usize,
    pub(super) broker: LogManager,
    pub(super) totals: BTreeMap<Rc<str>, TopicMetrics>,
    pub(super) last_clean: Option<Rc<CleanCompare>>,
    records: u64,
}

impl Checkpoint {
    /// The lines the copy had run.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The records the copy holds.
    pub(super) fn records(&self) -> u64 {
        self.records
    }
}

impl Session {
    /// Drops the last line: restores the nearest copy of the broker at or
    /// before the line before it and replays the lines after that copy.
    /// Returns the line undone and how many were replayed, or `None` when
    /// the session is empty.
    pub fn undo(&mut self) -> Option<Undone> {
        let undone = self.entries.pop()?;
        let (from, replayed) = self.rebuild();
        let trailing = std::mem::take(&mut self.trailing_comments);
        self.trailing_comments = undone.comments.into_iter().chain(trailing).collect();
        Some(Undone {
            line: undone.step.text,
            from,
            replayed,
        })
    }

    /// Rebuilds the broker for the entries the session has: restores the
    /// nearest copy and replays the lines after it (undo; a click's `run`
    /// refused partway). Returns the lines the copy had run and how many
    /// were replayed. The time series forgets later lines and is not sampled
    /// again by the replay.
    pub(super) fn rebuild(&mut self) -> (usize, usize) {
        let target = self.entries.len();
        self.series.truncate(target);
        let series = std::mem::take(&mut self.series);
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
        self.series = series;
        self.log_stamp += 1;
        self.lineage = self.log_stamp;
        (from, replayed)
    }

    /// Roughly how many records an undo now copies or runs again (see
    /// [`Session::weight`]): the copy of the broker it restores and what
    /// the lines after that copy append, plus what their cleanings and
    /// retention checks may read.
    pub fn undo_weight(&self) -> u64 {
        // An undo rebuilds the session as it was after all lines but the
        // last: the same work as looking back there.
        self.at_weight(self.entries.len().saturating_sub(1), None)
    }

    /// How many copies of the broker undo keeps now (for tests and the
    /// page's notes).
    pub fn checkpoints(&self) -> usize {
        self.checkpoints.len()
    }

    /// Keeps a copy of the broker after the first `len` lines, then thins
    /// the copies: over [`MAX_CHECKPOINTS`], every other one from the oldest
    /// goes (the spacing of old copies doubles); over
    /// [`CHECKPOINT_RECORDS`], the oldest go.
    pub(super) fn checkpoint(&mut self, len: usize) {
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

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_same, random_lines, step};
    use super::*;

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
    fn checkpoints_are_bounded() {
        let mut s = Session::default();
        assert_eq!(s.load(&random_lines(7, CHECKPOINT_EVERY * 40).join("\n")), Ok(()));
        assert!(s.checkpoints() <= MAX_CHECKPOINTS);
        assert!(s.checkpoints.windows(2).all(|w| w[0].len < w[1].len));
        assert!(s.checkpoints.iter().map(|c| c.records).sum::<u64>() <= CHECKPOINT_RECORDS);
    }
}
