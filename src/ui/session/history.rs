//! Looking back: the session as it was after any of its lines, for the
//! page's scrubbable history.
//!
//! Kafka keeps no history of a broker; the page does not need one either:
//! the engine is deterministic, so the broker after line `k` is undo's
//! nearest copy at or before `k` ([`super::checkpoints`]) with the lines
//! after it run again, exactly what a replay of the first `k` lines from an
//! empty broker builds (tested below). No second model: the past is a
//! [`Session`] of its own, the page shows it instead of the present one,
//! and the present one is not touched.
//!
//! An instant inside a `run` line (one of its cleanings, say) is the lines
//! before it and then `run` for just the time up to that instant
//! ([`Session::at_within`]): by the contract a `run` of `a` then one of `b`
//! is a `run` of `a + b`, and the end instant of a run belongs to it, so
//! that is exactly the broker the whole line passed through at that moment.
//!
//! Simplified: the past session keeps no copies of its own (it is only
//! looked at), and its time series is the present one cut at line `k`.

use std::rc::Rc;

use super::{is_clean, page_broker, EntryKind, Session, TopicMetrics};

/// What a line changed in one topic's totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub topic: Rc<str>,
    /// The totals before the line (zero before the topic had any).
    pub before: TopicMetrics,
    pub after: TopicMetrics,
}

impl Session {
    /// The session as it was after its first `k` lines (all of them when
    /// `k` is past the end). `near` is a past session already built (the
    /// one shown before): when it is at or before `k` and no nearer copy of
    /// the broker is kept, the replay goes on from it instead of from a
    /// copy, so stepping forward through the history costs one line.
    pub fn at(&self, k: usize, near: Option<Session>) -> Session {
        let k = k.min(self.entries.len());
        let copy = self.checkpoints.iter().rev().find(|c| c.len() <= k);
        let from_copy = copy.map_or(0, |c| c.len());
        let mut past = match near.filter(|n| n.entries.len() <= k && n.entries.len() >= from_copy) {
            Some(mut n) => {
                n.log_stamp = self.log_stamp;
                n
            }
            None => {
                let (broker, totals, last_clean) = match copy {
                    Some(c) => (c.broker.clone(), c.totals.clone(), c.last_clean.clone()),
                    None => (page_broker(), Default::default(), None),
                };
                Session {
                    broker,
                    entries: self.entries[..from_copy].to_vec(),
                    totals,
                    last_clean,
                    log_stamp: self.log_stamp,
                    ..Session::default()
                }
            }
        };
        let from = past.entries.len();
        // Replayed lines must not sample again: the series is the present
        // one, cut at line `k`.
        past.series = Default::default();
        let last = self.entries[from..k].iter().rposition(|e| is_clean(&e.step.command));
        for (i, e) in self.entries[from..k].iter().enumerate() {
            let (entry, compare) = past.apply(e.step.clone(), e.seq, e.comments.clone(), Some(i) == last);
            if entry.kind == EntryKind::Clean {
                past.last_clean = compare.map(Rc::new);
            }
            debug_assert!(entry == *e, "the same line on the same broker: the same entry");
            past.entries.push(entry);
        }
        let mut series = self.series.clone();
        series.truncate(k);
        past.series = series;
        past
    }

    /// The session as it was at `time_ms` inside its `run` line at index
    /// `at` (0-based): the first `at` lines, then that line's run up to
    /// `time_ms` and no further, everything due at `time_ms` done. `None`
    /// when line `at` is not a `run`, or `time_ms` is not within it.
    pub fn at_within(&self, at: usize, time_ms: i64) -> Option<Session> {
        let line = self.entries.get(at)?;
        let crate::scenario::Command::Run(run) = &line.step.command else {
            return None;
        };
        let mut past = self.at(at, None);
        let ms = time_ms
            .checked_sub(past.broker.now_ms())
            .filter(|ms| (0..=run.ms).contains(ms))?;
        let mut step = line.step.clone();
        step.command = crate::scenario::Command::Run(crate::scenario::command::Run { ms });
        step.text = format!("run {ms}ms");
        let (entry, _) = past.apply(step, line.seq, Vec::new(), false);
        past.entries.push(entry);
        Some(past)
    }

    /// Roughly how many records building [`Session::at`] copies or runs
    /// again (as [`Session::undo_weight`]): how the page decides to paint a
    /// busy sign first.
    pub fn at_weight(&self, k: usize, near: Option<usize>) -> u64 {
        let k = k.min(self.entries.len());
        let copy = self.checkpoints.iter().rev().find(|c| c.len() <= k);
        let (mut from, copied) = copy.map_or((0, 0), |c| (c.len(), c.records()));
        let mut weight = copied;
        if let Some(n) = near.filter(|&n| n <= k && n >= from) {
            from = n;
            weight = 0;
        }
        let mut held = copied;
        for e in &self.entries[from..k] {
            let appended = super::cost(&e.step.command);
            held = held.saturating_add(appended);
            weight = weight.saturating_add(appended);
            if matches!(e.kind, EntryKind::Clean | EntryKind::Retention) {
                weight = weight.saturating_add(held);
            }
        }
        weight
    }

    /// What line `seq` (1-based) changed: each topic it changed, with its
    /// totals before (from the latest earlier line that changed it) and
    /// after.
    pub fn changes(&self, seq: usize) -> Vec<Change> {
        let Some(entry) = seq.checked_sub(1).and_then(|i| self.entries.get(i)) else {
            return Vec::new();
        };
        entry
            .metrics
            .iter()
            .map(|(topic, after)| {
                let before = self.entries[..seq - 1]
                    .iter()
                    .rev()
                    .find_map(|e| e.metrics_of(topic))
                    .cloned()
                    .unwrap_or_default();
                Change {
                    topic: topic.clone(),
                    before,
                    after: after.clone(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_same, random_lines, step};
    use super::*;

    /// The first `k` lines of `s`, replayed from an empty broker.
    fn replayed(s: &Session, k: usize) -> Session {
        let script = super::super::script_of(&s.entries[..k], &[]);
        let mut fresh = Session::default();
        assert_eq!(fresh.load(&script), Ok(()));
        fresh
    }

    #[test]
    fn the_past_is_a_replay_of_the_first_lines() {
        for seed in 0..6u64 {
            let lines = random_lines(seed, 120 + seed as usize * 11);
            let mut s = Session::default();
            for line in &lines {
                let _ = s.run(step(line));
            }
            assert!(s.checkpoints() > 0, "seed {seed}: copies kept");
            let script = s.script();
            let n = s.entries.len();
            for k in [0, 1, 2, n / 3, CHECKPOINT_EVERY, CHECKPOINT_EVERY + 5, n - 1, n] {
                let past = s.at(k, None);
                assert_eq!(past.entries.len(), k);
                assert_same(&past, &replayed(&s, k), &format!("seed {seed}, at {k}"));
            }
            // Going on from a past session already built gives the same.
            let mut near = s.at(3, None);
            for k in 4..40.min(n) {
                near = s.at(k, Some(near));
                assert_same(&near, &replayed(&s, k), &format!("seed {seed}, stepped to {k}"));
            }
            // A later past session is not gone back from: rebuilt instead.
            let back = s.at(10, Some(s.at(20, None)));
            assert_same(&back, &replayed(&s, 10), &format!("seed {seed}, back to 10"));
            // Looking back changes nothing in the present.
            assert_eq!(s.script(), script);
            assert_eq!(s.entries.len(), n);
        }
    }

    #[test]
    fn a_line_changes_the_totals_it_says() {
        let mut s = Session::default();
        let text = "topic t cleanup.policy=compact segment.bytes=200\nproduce t a:1\nproduce t a:2\nproduce t b:1\nroll t\nclean\n";
        assert_eq!(s.load(text), Ok(()));
        assert!(s.changes(0).is_empty());
        assert!(s.changes(99).is_empty());
        let first = s.changes(2);
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].before, TopicMetrics::default());
        assert_eq!(first[0].after.records, 1);
        let clean = s.changes(6);
        assert_eq!(clean.len(), 1);
        assert_eq!((clean[0].before.records, clean[0].after.records), (3, 2));
        assert!(clean[0].after.size_bytes < clean[0].before.size_bytes);
    }

    #[test]
    fn the_weight_counts_from_the_nearest_start() {
        let mut s = Session::default();
        assert_eq!(
            s.load("topic t\ngenerate t count=100 keys=10\ngenerate t count=50 keys=10\n"),
            Ok(())
        );
        assert_eq!(s.at_weight(3, None), 150);
        assert_eq!(s.at_weight(3, Some(2)), 50);
        assert_eq!(s.at_weight(1, Some(2)), 0);
    }

    #[test]
    fn an_instant_inside_a_run_is_the_run_up_to_it() {
        let mut s = Session::default();
        let text = "topic t cleanup.policy=compact segment.bytes=400 min.cleanable.dirty.ratio=0.1\n\
                    load t rate=10/s keys=5 for=1m seed=3\nrun 2m\nproduce t a:1\n";
        assert_eq!(s.load(text), Ok(()));
        let cleanings = s.entries[2]
            .result
            .ran()
            .map(|r| r.cleanings.clone())
            .unwrap_or_default();
        assert!(cleanings.len() > 1, "the run cleans");
        let start = s.entries[1].now_ms;
        for c in [&cleanings[0], &cleanings[cleanings.len() / 2]] {
            let past = s.at_within(2, c.time_ms).unwrap();
            // The same as a script that runs only up to that instant.
            let script = format!(
                "{}\nrun {}ms\n",
                super::super::script_of(&s.entries[..2], &[]).trim_end(),
                c.time_ms - start
            );
            let mut fresh = Session::default();
            assert_eq!(fresh.load(&script), Ok(()));
            assert_same(&past, &fresh, &format!("at {}", c.time_ms));
            assert_eq!(past.broker.now_ms(), c.time_ms);
            // That cleaning is the last one the partial run made.
            let ran = past.entries[2]
                .result
                .ran()
                .map(|r| r.cleanings.clone())
                .unwrap_or_default();
            assert_eq!(ran.last(), Some(c));
        }
        // Not a run line, or outside it: nothing.
        assert!(s.at_within(3, start).is_none());
        assert!(s.at_within(2, start - 1).is_none());
        assert!(s.at_within(2, start + 120_001).is_none());
        assert!(s.at_within(99, start).is_none());
    }

    use super::super::CHECKPOINT_EVERY;
}
