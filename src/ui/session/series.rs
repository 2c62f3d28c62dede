//! Each partition over simulated time, for the time charts: its size,
//! record count, dirty ratio and tombstones, sampled after every line and
//! inside a `run` (after each piece, and just before and after each
//! cleaning, so the sawtooth of a compacted log shows where each cleaning
//! came from), with cleanings and segment rolls kept as events.
//!
//! Bounded: each partition keeps at most [`MAX_SAMPLES`] samples and
//! [`MAX_EVENTS`] events; past that every other one goes (plain samples
//! before those around a cleaning), so a day's run costs what an hour's
//! does and memory grows with the partitions, not with the events.
//! Counting tombstones reads only what changed: a segment's count is kept
//! while its size, record count and end stay, and the active segment is
//! read from where the last sample stopped.
//!
//! Simplified: a roll is dated by the new segment's creation time and seen
//! when a sample finds a new active segment (two rolls between samples
//! show as one).

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use crate::log::PartitionLog;
use crate::log_manager::LogManager;

/// Samples one partition keeps at most.
pub const MAX_SAMPLES: usize = 480;
/// Events one partition keeps at most.
pub const MAX_EVENTS: usize = 240;

/// One partition at one instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub time_ms: i64,
    /// The session line that was running (1-based).
    pub seq: usize,
    pub size_bytes: u64,
    pub records: u64,
    /// `cleanable / (clean + cleanable)` as the cleaner manager sees it
    /// (`None`: not a compacted topic).
    pub dirty_ratio: Option<f64>,
    pub tombstones: u64,
    /// Taken just before or after a cleaning (kept first when thinning).
    pub at_cleaning: bool,
}

/// Something that happened to a partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A cleaning, and how many records it removed.
    Cleaning { removed: u64 },
    /// The active segment rolled; the new one starts at `base_offset`.
    Roll { base_offset: i64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub time_ms: i64,
    pub seq: usize,
    pub kind: EventKind,
}

/// One partition's samples and events.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PartitionSeries {
    pub samples: Vec<Sample>,
    pub events: Vec<Event>,
    /// The topic's `min.cleanable.dirty.ratio` at the last sample.
    pub min_cleanable_dirty_ratio: f64,
    /// The active segment's base offset at the last sample.
    active_base: Option<i64>,
    tombstones: TombstoneCount,
}

/// Every partition's series.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TimeSeries {
    parts: BTreeMap<(Rc<str>, u32), PartitionSeries>,
}

impl TimeSeries {
    /// One partition's series, if it was sampled.
    pub fn of(&self, topic: &str, partition: u32) -> Option<&PartitionSeries> {
        self.parts
            .iter()
            .find(|((t, p), _)| &**t == topic && *p == partition)
            .map(|(_, s)| s)
    }

    /// Samples every partition of `topics` (every topic with `None`) as the
    /// broker is now, during line `seq`.
    pub fn sample(&mut self, broker: &LogManager, seq: usize, topics: Option<&[&str]>, at_cleaning: bool) {
        let now = broker.now_ms();
        let plan = broker.plan_cleaning();
        for topic in broker.topics() {
            if topics.is_some_and(|ts| !ts.contains(&topic.name())) {
                continue;
            }
            let key_topic = self
                .parts
                .keys()
                .find(|(t, _)| &**t == topic.name())
                .map_or_else(|| Rc::from(topic.name()), |(t, _)| Rc::clone(t));
            for log in topic.partitions() {
                let s = self.parts.entry((Rc::clone(&key_topic), log.partition())).or_default();
                let planned = plan.iter().find(|c| c.topic_partition == *log.topic_partition());
                s.min_cleanable_dirty_ratio = topic.config().min_cleanable_dirty_ratio;
                let active = log.active_segment();
                if let Some(before) = s.active_base.filter(|b| *b != active.base_offset()) {
                    if active.base_offset() > before {
                        s.push_event(Event {
                            time_ms: active.created_ms().min(now),
                            seq,
                            kind: EventKind::Roll {
                                base_offset: active.base_offset(),
                            },
                        });
                    }
                }
                s.active_base = Some(active.base_offset());
                let sample = Sample {
                    time_ms: now,
                    seq,
                    size_bytes: log.size_bytes(),
                    records: log.record_count(),
                    dirty_ratio: planned.map(|c| c.dirty_ratio),
                    tombstones: s.tombstones.count(log),
                    at_cleaning,
                };
                s.push_sample(sample);
            }
        }
    }

    /// A cleaning of `topic`-`partition` at `time_ms` that removed `removed` records.
    pub fn cleaning(&mut self, topic: &str, partition: u32, time_ms: i64, seq: usize, removed: u64) {
        if let Some(s) = self
            .parts
            .iter_mut()
            .find(|((t, p), _)| &**t == topic && *p == partition)
        {
            s.1.push_event(Event {
                time_ms,
                seq,
                kind: EventKind::Cleaning { removed },
            });
        }
    }

    /// Forgets what lines after `seq` sampled (undo).
    pub fn truncate(&mut self, seq: usize) {
        for s in self.parts.values_mut() {
            s.samples.retain(|x| x.seq <= seq);
            s.events.retain(|x| x.seq <= seq);
        }
    }

    /// Samples kept over every partition (for tests of the bound).
    pub fn len(&self) -> usize {
        self.parts.values().map(|s| s.samples.len() + s.events.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl PartitionSeries {
    fn push_sample(&mut self, sample: Sample) {
        // The same instant and line, and no cleaning between: the later
        // sample replaces the earlier (a burst of clicks costs one).
        if let Some(last) = self.samples.last_mut() {
            if last.time_ms == sample.time_ms && last.seq == sample.seq && !last.at_cleaning && !sample.at_cleaning {
                *last = sample;
                return;
            }
        }
        self.samples.push(sample);
        if self.samples.len() > MAX_SAMPLES {
            thin(&mut self.samples, |s| s.at_cleaning);
        }
    }

    fn push_event(&mut self, event: Event) {
        self.events.push(event);
        if self.events.len() > MAX_EVENTS {
            thin(&mut self.events, |_| false);
        }
    }
}

/// Halves a list: every other plain item goes (the first and last stay);
/// when that leaves more than three quarters, every other item.
fn thin<T>(items: &mut Vec<T>, keep: impl Fn(&T) -> bool) {
    let target = items.len() * 3 / 4;
    let last = items.len().saturating_sub(1);
    let mut plain = 0usize;
    let mut i = 0usize;
    items.retain(|x| {
        let at = i;
        i += 1;
        if at == 0 || at == last || keep(x) {
            return true;
        }
        plain += 1;
        plain % 2 == 0
    });
    if items.len() > target {
        let last = items.len() - 1;
        let mut i = 0usize;
        items.retain(|_| {
            let at = i;
            i += 1;
            at == last || at % 2 == 0
        });
    }
}

/// Tombstones per segment, kept while a segment stays as it was.
#[derive(Debug, Clone, Default, PartialEq)]
struct TombstoneCount {
    /// By base offset: (size, records, end offset, tombstones).
    segments: HashMap<i64, (u64, u64, Option<i64>, u64)>,
}

impl TombstoneCount {
    fn count(&mut self, log: &PartitionLog) -> u64 {
        let mut kept = HashMap::with_capacity(log.segments().len());
        let mut total = 0u64;
        let last = log.segments().len().saturating_sub(1);
        for (i, seg) in log.segments().iter().enumerate() {
            let id = (seg.size_bytes(), seg.record_count(), seg.next_offset());
            let n = match self.segments.get(&seg.base_offset()) {
                Some(&(size, records, end, n)) if (size, records, end) == id => n,
                // The active segment only grows: read what came since.
                Some(&(size, _, Some(end), n)) if i == last && size < id.0 => n + tombstones_in(seg.batches_from(end)),
                _ => tombstones_in(seg.batches()),
            };
            kept.insert(seg.base_offset(), (id.0, id.1, id.2, n));
            total += n;
        }
        self.segments = kept;
        total
    }
}

fn tombstones_in(batches: crate::log::segment::Batches<'_>) -> u64 {
    batches
        .iter()
        .filter(|b| !b.is_control())
        .flat_map(|b| b.records())
        .filter(|r| r.value.is_none())
        .count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn broker(script: &str) -> LogManager {
        crate::ui::ran(crate::ui::session::page_broker(), script)
    }

    #[test]
    fn tombstones_are_counted_incrementally_as_a_full_count_would() {
        let mut b = broker("topic t cleanup.policy=compact segment.bytes=400 delete.retention.ms=0");
        let mut c = TombstoneCount::default();
        let lines = [
            "generate t count=50 keys=7 tombstones=0.3",
            "tombstone t a",
            "roll t",
            "clean t/0",
            "generate t count=30 keys=7 seed=3 tombstones=0.5",
            "advance 1s",
            "clean t/0",
            "produce t a:1",
        ];
        for line in lines {
            let step = crate::scenario::parse(line).unwrap_or_else(|e| panic!("{e}")).remove(0);
            assert!(crate::scenario::run_step(&mut b, &step).ok);
            let log = b.partition("t", 0).unwrap_or_else(|e| panic!("{e}"));
            let full = log.records().filter(|(_, r)| r.value.is_none()).count() as u64;
            assert_eq!(c.count(log), full, "after {line}");
        }
    }

    #[test]
    fn samples_and_events_stay_bounded_and_keep_cleanings() {
        let b = broker("topic t partitions=2 cleanup.policy=compact\nproduce t a:1");
        let mut s = TimeSeries::default();
        for i in 0..5000 {
            s.sample(&b, i, None, i % 97 == 0);
            s.cleaning("t", 0, i as i64, i, 1);
        }
        let p = s.of("t", 0).unwrap_or_else(|| panic!("sampled"));
        assert!(p.samples.len() <= MAX_SAMPLES && p.samples.len() > MAX_SAMPLES / 4);
        assert!(p.events.len() <= MAX_EVENTS);
        assert_eq!(p.samples.last().map(|x| x.seq), Some(4999));
        assert_eq!(p.samples.first().map(|x| x.seq), Some(0));
        assert!(
            p.samples.iter().filter(|x| x.at_cleaning).count() >= 40,
            "cleanings kept first"
        );
        assert!(p.samples.windows(2).all(|w| w[0].seq < w[1].seq));
        s.truncate(100);
        assert!(s.of("t", 1).is_some_and(|p| p.samples.iter().all(|x| x.seq <= 100)));
    }
}
