//! Invariants of transactions and the cleaner, over the seeded random
//! transactional scripts (`random_scripts::txn_script`), checked after every
//! step (cleaner.md §5.4-5.6, §6):
//!
//! 1. The last stable offset never passes the high watermark, and is the
//!    first offset of the oldest open transaction when one is open.
//! 2. A `read_committed` consumer reading from the start ends with the same
//!    key -> value map before and after any cleaning.
//! 3. A transaction marker is never removed before its delete horizon: one
//!    that a cleaning removed carried a horizon at or before that cleaning.
//! 4. The producer state rebuilt from the log's bytes has, for every active
//!    producer, the live epoch, last sequence and open transaction.
//! 5. Every record below the last stable offset is committed or aborted: a
//!    `read_committed` fetch never returns a record of an open transaction.

use std::collections::BTreeSet;

use kcp::log::PartitionLog;
use kcp::scenario::{self, Command};
use kcp::snapshot::materialize_committed;

use crate::random_scripts::txn_script;
use crate::support::Broker;

/// Seeds checked (each script runs step by step with checks in between).
const SEEDS: u64 = 300;

fn markers(log: &PartitionLog) -> BTreeSet<(i64, Option<i64>)> {
    log.segments()
        .iter()
        .flat_map(|s| s.batches())
        .filter(|b| b.is_control() && b.record_count() > 0)
        .map(|b| (b.base_offset(), b.delete_horizon_ms()))
        .collect()
}

fn check_state(log: &PartitionLog, seed: u64, line: usize) {
    let tp = log.topic_partition();
    assert!(
        log.last_stable_offset() <= log.high_watermark(),
        "seed {seed} line {line} {tp}: LSO past HW"
    );
    if let Some(t) = log.producer_state().open_transactions().next() {
        assert_eq!(log.last_stable_offset(), t.first_offset, "seed {seed} line {line} {tp}");
    }
    let (rebuilt, _) = log.rebuild_producer_state();
    for e in log.producer_state().producers() {
        let r = rebuilt
            .producer(e.producer_id)
            .unwrap_or_else(|| panic!("seed {seed} line {line} {tp}: producer {} not rebuilt", e.producer_id));
        assert_eq!(
            (r.producer_epoch, r.last_seq(), r.current_txn_first_offset),
            (e.producer_epoch, e.last_seq(), e.current_txn_first_offset),
            "seed {seed} line {line} {tp}: producer {}",
            e.producer_id
        );
    }
    let open: BTreeSet<i64> = log
        .producer_state()
        .open_transactions()
        .map(|t| t.producer_id)
        .collect();
    let committed = log
        .read_isolated(
            log.log_start_offset(),
            usize::MAX,
            kcp::log::IsolationLevel::ReadCommitted,
        )
        .unwrap();
    let lso = log.last_stable_offset();
    assert!(committed.iter().all(|r| r.offset < lso), "seed {seed} line {line} {tp}");
    // Records of open transactions lie at or past the LSO.
    for seg in log.segments() {
        for b in seg.batches() {
            if b.is_transactional() && !b.is_control() && open.contains(&b.producer_id()) {
                let first = log
                    .producer_state()
                    .producer(b.producer_id())
                    .and_then(|e| e.current_txn_first_offset);
                if first.is_some_and(|f| b.base_offset() >= f) {
                    assert!(b.base_offset() >= lso, "seed {seed} line {line} {tp}");
                }
            }
        }
    }
}

#[test]
fn transactional_invariants_hold_after_every_step_of_random_scripts() {
    let mut cleanings = 0;
    let mut markers_removed = 0;
    for seed in 0..SEEDS {
        let script = txn_script(seed);
        let steps = scenario::parse(&script).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let mut b = Broker::new();
        for step in &steps {
            let is_clean = matches!(step.command, Command::Clean(_));
            let before: Vec<_> = b
                .topics()
                .flat_map(|t| t.partitions().iter())
                .map(|log| (materialize_committed(log), markers(log)))
                .collect();
            let r = scenario::run_step(&mut b.lm, step);
            let now = b.now_ms();
            for (i, log) in b.topics().flat_map(|t| t.partitions().iter()).enumerate() {
                check_state(log, seed, step.line);
                if is_clean && r.ok {
                    let (state, old_markers) = &before[i];
                    assert_eq!(
                        &materialize_committed(log),
                        state,
                        "seed {seed} line {}: read_committed state changed by cleaning",
                        step.line
                    );
                    let kept: BTreeSet<i64> = markers(log).iter().map(|(o, _)| *o).collect();
                    for (offset, horizon) in old_markers {
                        if !kept.contains(offset) {
                            markers_removed += 1;
                            assert!(
                                horizon.is_some_and(|h| h <= now),
                                "seed {seed} line {}: marker {offset} removed before its horizon {horizon:?}",
                                step.line
                            );
                        }
                    }
                }
            }
            if is_clean && r.cleaned().is_some_and(|c| c.cleaned.is_some()) {
                cleanings += 1;
            }
        }
    }
    // The scripts must reach what is checked.
    assert!(cleanings > SEEDS as usize, "only {cleanings} cleanings");
    assert!(markers_removed > 0, "no cleaning removed a marker");
}
