//! The state view: key → latest value, as a consumer reading the shown
//! topic from the start would build it (`crate::snapshot::materialize`).
//! Compaction must not change it; the cleaner panel checks that too.
//!
//! Reading a million records takes a few hundred milliseconds, so the view
//! keeps what it read ([`StateCache`]) and, while the logs only move forward
//! (the session's `lineage`), reads again only the partitions whose counts
//! changed: a partition that only grew reads just its new records, as a
//! consumer would poll them; one that lost records (a cleaning, retention)
//! is read whole again. A clock move or a roll reads nothing. While the
//! broker works in slices (a run, Play, a long script), the reading waits
//! for a task of its own after the slice's render, so that slice, render
//! and reading are never one long task.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use super::Panel;
use crate::log::PartitionLog;
use crate::record::display_bytes;
use crate::snapshot::materialize;
use crate::ui::describe::plural;
use crate::ui::format;
use crate::ui::hooks::{set_from_input, use_app};
use crate::ui::session::Session;

/// Rows drawn at most.
const MAX_ROWS: usize = 200;

/// A row of the view: key, partition, latest value.
type Row = (String, u32, String);

/// One partition's state as last read, with the log's counts then.
#[derive(Debug, Clone)]
struct Read {
    partition: u32,
    start: i64,
    end: i64,
    count: u64,
    state: BTreeMap<String, String>,
}

impl Read {
    fn whole(log: &PartitionLog) -> Read {
        Read {
            partition: log.partition(),
            start: log.log_start_offset(),
            end: log.log_end_offset(),
            count: log.record_count(),
            state: materialize(log),
        }
    }

    /// Brought up to `log`: kept when its counts are the same, extended by
    /// the records appended since when it only grew (no record removed:
    /// the count grew by as many as the end moved), else read whole.
    fn update(mut self, log: &PartitionLog) -> (Read, bool) {
        let (start, end, count) = (log.log_start_offset(), log.log_end_offset(), log.record_count());
        if (self.start, self.end, self.count) == (start, end, count) {
            return (self, false);
        }
        let appended = u64::try_from(end - self.end).ok().filter(|&n| n > 0);
        let only_appended = self.start == start && appended.is_some_and(|n| count.checked_sub(self.count) == Some(n));
        let new = match appended.and_then(|n| usize::try_from(n).ok()) {
            Some(n) if only_appended => log.read(self.end, n).ok(),
            _ => None,
        };
        let Some(new) = new else {
            return (Read::whole(log), true);
        };
        // What `materialize` does, for the records after the last read.
        for r in new {
            let Some(key) = r.key.as_deref() else { continue };
            match r.value.as_deref() {
                Some(v) => {
                    self.state.insert(display_bytes(key), display_bytes(v));
                }
                None => {
                    self.state.remove(&display_bytes(key));
                }
            }
        }
        (self.end, self.count) = (end, count);
        (self, true)
    }
}

/// What the view last read of a topic, kept between renders.
#[derive(Debug, Default)]
pub struct StateCache {
    lineage: Option<u64>,
    topic: String,
    reads: Vec<Read>,
    rows: Rc<Vec<Row>>,
}

impl StateCache {
    /// The topic's rows (key, partition, value), sorted, reading only what
    /// changed since the last call (see the module's doc).
    pub fn rows(&mut self, session: &Session, topic: &str) -> Rc<Vec<Row>> {
        let same = self.lineage == Some(session.lineage) && self.topic == topic;
        let mut changed = !same;
        let mut old: BTreeMap<u32, Read> = if same {
            std::mem::take(&mut self.reads)
                .into_iter()
                .map(|r| (r.partition, r))
                .collect()
        } else {
            BTreeMap::new()
        };
        self.lineage = Some(session.lineage);
        topic.clone_into(&mut self.topic);
        self.reads.clear();
        if let Ok(t) = session.broker.topic(topic) {
            for log in t.partitions() {
                let (read, moved) = match old.remove(&log.partition()) {
                    Some(read) => read.update(log),
                    None => (Read::whole(log), true),
                };
                changed |= moved;
                self.reads.push(read);
            }
        }
        changed |= !old.is_empty();
        if changed {
            let mut rows: Vec<Row> = self
                .reads
                .iter()
                .flat_map(|r| r.state.iter().map(|(k, v)| (k.clone(), r.partition, v.clone())))
                .collect();
            rows.sort();
            self.rows = Rc::new(rows);
        }
        Rc::clone(&self.rows)
    }
}

#[function_component(StateView)]
pub fn state_view() -> Html {
    let app = use_app();
    let filter = use_state(String::new);
    let cache = use_mut_ref(StateCache::default);
    // The rows drawn, and the log stamp and topic they were read at.
    let drawn = use_mut_ref(|| (None::<u64>, None::<String>, Rc::<Vec<Row>>::default()));
    let pending = use_mut_ref(|| false);
    let redraw = use_force_update();
    // Hooks run unconditionally: what is read is keyed on the shown topic
    // and the session's log stamp (a log may have changed); the cache reads
    // only what changed.
    let (stamp, topic, busy) = app.as_ref().map_or((None, None, false), |a| {
        let s = a.state();
        let busy = s.job.is_some() || s.play.is_some();
        (Some(s.shown().log_stamp), s.current_topic(), busy)
    });
    let read = |app: &crate::ui::hooks::AppHandle, topic: &str| cache.borrow_mut().rows(app.state().shown(), topic);
    let stale = {
        let d = drawn.borrow();
        d.0 != stamp || d.1 != topic
    };
    let same_topic = drawn.borrow().1 == topic;
    if stale && (!busy || !same_topic) {
        let rows = match (app.as_ref(), topic.as_deref()) {
            (Some(app), Some(t)) => read(app, t),
            _ => Rc::default(),
        };
        *drawn.borrow_mut() = (stamp, topic.clone(), rows);
    } else if stale && !*pending.borrow() {
        // While the broker works in slices, the state is read again in a
        // task of its own, after the slice's render: reading a partition a
        // cleaning rewrote takes as long as a slice, and the two together
        // would be one long task.
        *pending.borrow_mut() = true;
        if let Some(app) = app.clone() {
            let (cache, drawn, pending, redraw) = (cache.clone(), drawn.clone(), pending.clone(), redraw.clone());
            gloo_timers::callback::Timeout::new(0, move || {
                *pending.borrow_mut() = false;
                let (stamp, topic) = {
                    let s = app.state();
                    (Some(s.shown().log_stamp), s.current_topic())
                };
                let rows = match topic.as_deref() {
                    Some(t) => cache.borrow_mut().rows(app.state().shown(), t),
                    None => Rc::default(),
                };
                *drawn.borrow_mut() = (stamp, topic, rows);
                redraw.force_update();
            })
            .forget();
        }
    }
    let state = Rc::clone(&drawn.borrow().2);
    let Some(topic) = topic else { return Html::default() };
    let f = filter.to_lowercase();
    let matching: Vec<&(String, u32, String)> = state
        .iter()
        .filter(|(k, _, v)| f.is_empty() || k.to_lowercase().contains(&f) || v.to_lowercase().contains(&f))
        .collect();
    let rows = matching.iter().take(MAX_ROWS).map(|(k, p, v)| {
        html! {
            <tr data-test-id="state-row" data-key={k.clone()}>
                <td class="mono">{ format::clip(k, 28) }</td>
                <td class="num">{ *p }</td>
                <td class="mono" data-test-id="state-value">{ format::clip(v, 60) }</td>
            </tr>
        }
    });
    let oninput = set_from_input(&filter);
    html! {
        <Panel title="State" id="state" subtitle={AttrValue::from(format!("{} key{} in {topic}", format::count(state.len() as u64), plural(state.len())))}>
            <p class="hint">{ "Key → latest value, as a consumer reading from the start builds it; a tombstone removes its key. Cleaning never changes this." }</p>
            <div class="inline-form">
                <label for="state-filter">{ "Filter" }</label>
                <input id="state-filter" class="input" type="search" value={(*filter).clone()} {oninput} placeholder="key or value" data-test-id="state-filter" />
            </div>
            if state.is_empty() {
                <p class="hint" data-test-id="state-empty">{ "No keys yet." }</p>
            } else {
                <div class="table-wrap">
                    <table class="data" data-test-id="state-view">
                        <thead><tr><th scope="col">{ "key" }</th><th scope="col">{ "partition" }</th><th scope="col">{ "latest value" }</th></tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
                if matching.len() > MAX_ROWS {
                    <p class="hint">{ format!("Showing {MAX_ROWS} of {} matching keys; filter to narrow.", format::count(matching.len() as u64)) }</p>
                }
            }
        </Panel>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;
    use crate::ui::session::step_of_line;

    /// The rows read from scratch.
    fn fresh(session: &Session, topic: &str) -> Vec<Row> {
        let mut rows: Vec<Row> = Vec::new();
        if let Ok(t) = session.broker.topic(topic) {
            for log in t.partitions() {
                rows.extend(materialize(log).into_iter().map(|(k, v)| (k, log.partition(), v)));
            }
        }
        rows.sort();
        rows
    }

    #[test]
    fn the_cache_reads_only_what_changed_and_always_agrees_with_a_fresh_read() {
        let mut rng = SplitMix64::new(7);
        let mut s = Session::default();
        assert_eq!(
            s.load("topic t partitions=2 cleanup.policy=compact segment.bytes=300 min.cleanable.dirty.ratio=0.01 delete.retention.ms=0\ntopic d cleanup.policy=delete segment.bytes=150 retention.bytes=300"),
            Ok(())
        );
        let mut cache = StateCache::default();
        let mut kept = 0;
        for i in 0..600 {
            let k = rng.below(8);
            let line = match rng.below(13) {
                0..=3 => format!("produce t k{k}:v{i}"),
                4 => format!("tombstone t k{k}"),
                5 => format!("generate t count={} keys=5 seed={i}", rng.below(30)),
                6 => "roll t".to_string(),
                7 => "clean".to_string(),
                8 => format!("produce d k{k}:v{i}"),
                9 => "retention".to_string(),
                10 => "advance 1m".to_string(),
                _ => String::new(),
            };
            if line.is_empty() {
                s.undo();
            } else {
                let _ = s.run(step_of_line(&line).unwrap_or_else(|e| panic!("{e}")));
            }
            let topic = if rng.below(5) == 0 { "d" } else { "t" };
            let before = Rc::clone(&cache.rows);
            let rows = cache.rows(&s, topic);
            assert_eq!(*rows, fresh(&s, topic), "after line {i}: {line}");
            kept += usize::from(Rc::ptr_eq(&before, &rows));
        }
        // A clock move, a roll, a read of the same topic: nothing read again.
        assert!(kept > 30, "rows kept {kept} times");
        // A reset starts afresh even where the counts are the same.
        s.reset();
        assert_eq!(s.load("topic t\nproduce t a:1"), Ok(()));
        let first = cache.rows(&s, "t");
        s.reset();
        assert_eq!(s.load("topic t\nproduce t a:2"), Ok(()));
        assert_eq!(first[0].2, "1");
        assert_eq!(cache.rows(&s, "t")[0].2, "2");
    }
}
