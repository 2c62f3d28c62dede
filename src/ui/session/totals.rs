//! Each topic's totals (size in bytes, records) after every line, for the
//! chart.
//!
//! Bookkeeping per line is bounded: each entry keeps the totals of only the
//! topics that line changed (the chart draws a topic as a step line through
//! them), kept incrementally in one map of current totals, so a line costs
//! the topics it touched, not every topic or every record.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::Session;
use crate::log::PartitionLog;
use crate::log_manager::LogManager;
use crate::scenario::command::{CreateTopic, Produce};
use crate::scenario::{Command, Outcome, StepResult};

/// One topic's totals after a step (for the chart).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TopicMetrics {
    pub size_bytes: u64,
    pub records: u64,
}

impl Session {
    /// Brings the current totals up to date after a step that went
    /// through, and returns those of the topics it changed. An append adds
    /// its records (only the size is read back, segment by segment); a
    /// cleaning or a retention check recounts the topics it touched.
    pub(super) fn update_totals(&mut self, command: &Command, result: &StepResult) -> Vec<(Rc<str>, TopicMetrics)> {
        let mut changed: Vec<(String, u64)> = Vec::new();
        let mut recount: Vec<String> = Vec::new();
        match command {
            Command::Topic(CreateTopic { name, .. }) => recount.push(name.clone()),
            Command::Produce(Produce { topic, .. }) => changed.push((topic.clone(), 1)),
            Command::Generate(_) => {
                if let Outcome::Generate(g) = &result.outcome {
                    changed.push((g.topic.clone(), g.count));
                }
            }
            Command::Clean(_) => {
                if let Some(c) = result.cleaned() {
                    recount.extend(c.cleaned.iter().map(|c| c.topic_partition.topic.clone()));
                    recount.extend(c.deleted.iter().map(|d| d.topic_partition.topic.clone()));
                }
            }
            Command::Retention(_) => {
                if let Some(r) = result.retention() {
                    recount.extend(r.deleted.iter().map(|d| d.topic_partition.topic.clone()));
                }
            }
            // Load records land in whichever topics have loads under way, and
            // a run also cleans and deletes: recount every topic.
            Command::Load(_) | Command::Advance(_) | Command::Clock(_) | Command::Run(_) => {
                let appended = match &result.outcome {
                    Outcome::Load(l) => l.appended.is_some(),
                    Outcome::Clock(c) => c.appended.is_some(),
                    Outcome::Run(_) => true,
                    _ => false,
                };
                if appended {
                    recount.extend(self.broker.topics().map(|t| t.name().to_string()));
                }
            }
            _ => {}
        }
        let mut out: Vec<(Rc<str>, TopicMetrics)> = Vec::new();
        for (topic, added) in changed {
            let size_bytes = topic_size(&self.broker, &topic);
            let key = self.key(&topic);
            let m = self.totals.entry(key.clone()).or_default();
            m.records += added;
            m.size_bytes = size_bytes;
            out.push((key, m.clone()));
        }
        recount.sort();
        recount.dedup();
        for topic in recount {
            let m = topic_metrics(&self.broker, &topic);
            let key = self.key(&topic);
            self.totals.insert(key.clone(), m.clone());
            out.push((key, m));
        }
        out
    }

    /// The shared name of a topic (one allocation per topic, not per line).
    fn key(&self, topic: &str) -> Rc<str> {
        self.totals
            .get_key_value(topic)
            .map_or_else(|| Rc::from(topic), |(k, _)| Rc::clone(k))
    }

    /// Every topic's current totals.
    pub fn totals(&self) -> &BTreeMap<Rc<str>, TopicMetrics> {
        &self.totals
    }
}

/// A topic's size in bytes (segment sizes are kept, so this does not walk
/// records).
fn topic_size(broker: &LogManager, topic: &str) -> u64 {
    broker
        .topic(topic)
        .map_or(0, |t| t.partitions().iter().map(PartitionLog::size_bytes).sum())
}

/// A topic's size and record count, counted.
pub fn topic_metrics(broker: &LogManager, topic: &str) -> TopicMetrics {
    let mut m = TopicMetrics::default();
    if let Ok(t) = broker.topic(topic) {
        for log in t.partitions() {
            m.size_bytes += log.size_bytes();
            m.records += log.record_count();
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::super::tests::random_lines;
    use super::*;

    #[test]
    fn totals_kept_step_by_step_match_a_recount() {
        let mut s = Session::default();
        assert_eq!(s.load(&random_lines(99, 400).join("\n")), Ok(()));
        for (topic, m) in s.totals() {
            assert_eq!(*m, topic_metrics(&s.broker, topic), "{topic}");
        }
        // Each entry keeps only the topics it changed.
        assert!(s.entries.iter().all(|e| e.metrics.len() <= 2));
        assert!(s.entries.iter().any(|e| e.metrics_of("t").is_some()));
    }
}
