//! The broker in time: `load` and `run` as `scenario-format.md` ("The broker
//! in time") defines them, through scripts and the public API.
//!
//! What is checked: the arithmetic of a load's record times; that
//! `advance`, `clock` and `run` append load records when the clock reaches
//! them and never ahead; the order at one instant (load appends, then
//! cleaner iterations, then the retention check); the cleaner threads'
//! schedule (a wake at broker start, `log.cleaner.backoff.ms` after an idle
//! iteration, at once again after a cleaning, wakes before a run at its
//! start, restarts by a `broker` line, `log.cleaner.enable=false`); the
//! retention check's times; the step JSON; the budget; as a property, that
//! a `load` + `run` leaves the same logs as the explicit `produce`, `clock`,
//! `clean` and `retention` lines the contract's rules give; and that a
//! partition's outlook (when it is cleaned, when each tombstone goes)
//! agrees with what a later `run` does.
//!
//! Not checked here: that the schedule is Kafka's (the oracle runs random
//! time scripts through Kafka's classes, `kafka_oracle.rs`). The order of
//! cleaner iterations before the retention check at one instant is not
//! observable in the logs (they act on disjoint logs), so the property
//! driver follows it without a test of its own.

use kcp::budget::Limit;
use kcp::clock::START_MS;
use kcp::log_manager::{LogManager, TombstoneWait, Wait};
use kcp::rng::SplitMix64;
use kcp::scenario::{self, StepResult};
use kcp::snapshot::BrokerSnapshot;
use kcp::Budget;
use proptest::prelude::*;
use serde_json::Value;

use crate::support::{Broker, RUN_CLEANING_FIELDS};

/// The last step's outcome of a `run` line.
fn ran(results: &[StepResult]) -> &kcp::scenario::command::Ran {
    results
        .last()
        .and_then(StepResult::ran)
        .expect("the last line is a run")
}

/// Every record's (offset, timestamp, key, value) of one partition.
fn records(b: &Broker, topic: &str, partition: u32) -> Vec<(i64, i64, String, Option<String>)> {
    b.log(topic, partition)
        .records()
        .map(|(_, r)| {
            (
                r.offset,
                r.timestamp_ms,
                String::from_utf8_lossy(r.key.unwrap_or_default()).into_owned(),
                r.value.map(|v| String::from_utf8_lossy(v).into_owned()),
            )
        })
        .collect()
}

fn timestamps(b: &Broker, topic: &str) -> Vec<i64> {
    records(b, topic, 0).into_iter().map(|r| r.1).collect()
}

// ------------------------------------------------------------ record times

#[test]
fn record_i_is_due_at_t0_plus_floor_of_i_minus_1_units_over_the_rate() {
    let mut b = Broker::with_topic("t", &[]);
    let r = b.run("load t rate=3/s keys=2 for=2s\nadvance 2s");
    assert_eq!(r[0].loaded().map(|l| (l.count, l.appended)), Some((6, Some(1))));
    // floor(k x 1000 / 3): 0, 333, 666, 1000, 1333, 1666.
    let offsets: Vec<i64> = timestamps(&b, "t").iter().map(|t| t - START_MS).collect();
    assert_eq!(offsets, [0, 333, 666, 1000, 1333, 1666]);

    // N = floor(n x for / unit): 7 per minute for 50 s is 5 (5.83), one every 8571 ms.
    let mut b = Broker::with_topic("t", &[]);
    let r = b.run("load t rate=7/m keys=2 for=50s\nadvance 1h");
    assert_eq!(r[0].loaded().map(|l| l.count), Some(5));
    assert_eq!(r[0].loaded().and_then(|l| l.last_ms), Some(START_MS + 4 * 60_000 / 7));
    let offsets: Vec<i64> = timestamps(&b, "t").iter().map(|t| t - START_MS).collect();
    assert_eq!(offsets, [0, 8571, 17142, 25714, 34285]);

    // Per hour, and a load too short for one record.
    let mut b = Broker::with_topic("t", &[]);
    let r = b.run("load t rate=2/h keys=1 for=1h\nload t rate=1/s keys=1 for=999ms\nadvance 1h");
    assert_eq!(r[0].loaded().map(|l| l.count), Some(2));
    assert_eq!(
        r[1].loaded().map(|l| (l.count, l.appended, l.last_ms)),
        Some((0, None, None))
    );
    let offsets: Vec<i64> = timestamps(&b, "t").iter().map(|t| t - START_MS).collect();
    assert_eq!(offsets, [0, 1_800_000]);
}

#[test]
fn the_load_line_appends_every_record_due_at_its_own_time() {
    let mut b = Broker::with_topic("t", &[]);
    // 5000/s: records 1..5 are due at t0 (floor(4 x 0.2) = 0), the 6th 1 ms later.
    let r = b.run("load t rate=5000/s keys=3 for=10ms");
    assert_eq!(r[0].loaded().map(|l| (l.count, l.appended)), Some((50, Some(5))));
    assert_eq!(b.log("t", 0).log_end_offset(), 5);
    assert_eq!(b.pending_load_records(), 45);
    assert_eq!(b.next_load_record_ms(), Some(START_MS + 1));
}

#[test]
fn loads_draw_keys_values_and_tombstones_as_generate_does() {
    let script = "topic t partitions=3 cleanup.policy=compact\n";
    let mut loaded = Broker::new();
    loaded.run(&format!(
        "{script}load t rate=1000/s keys=7 for=40ms seed=9 tombstones=0.3 value-bytes=4\nadvance 1s"
    ));
    let mut generated = Broker::new();
    generated.run(&format!(
        "{script}generate t count=40 keys=7 seed=9 tombstones=0.3 value-bytes=4"
    ));
    for p in 0..3 {
        let strip = |v: Vec<(i64, i64, String, Option<String>)>| -> Vec<_> {
            v.into_iter().map(|(o, _, k, v)| (o, k, v)).collect()
        };
        assert_eq!(
            strip(records(&loaded, "t", p)),
            strip(records(&generated, "t", p)),
            "partition {p}"
        );
    }
}

// ---------------------------------------------------- appends as time passes

#[test]
fn advance_and_clock_append_records_when_due_and_never_ahead() {
    let mut b = Broker::with_topic("t", &[]);
    let r = b.run("load t rate=3/s keys=2 for=2s\nadvance 332ms\nadvance 1ms\nclock 1704067201400\nclock 1704067200000\nclock 1704067201665\nadvance 1ms");
    let appended: Vec<Option<u64>> = r[1..].iter().map(|s| s.clock().and_then(|c| c.appended)).collect();
    // 333 is record 2's time; 1400 passes 666, 1000 and 1333; a clock set
    // back appends nothing; 1665 is one short of 1666.
    assert_eq!(appended, [None, Some(1), Some(3), None, None, Some(1)]);
    assert_eq!(b.pending_load_records(), 0);
    // Each record carries its own time, not the clock's end.
    let offsets: Vec<i64> = timestamps(&b, "t").iter().map(|t| t - START_MS).collect();
    assert_eq!(offsets, [0, 333, 666, 1000, 1333, 1666]);
}

#[test]
fn a_record_is_appended_at_its_time_so_time_based_rolls_happen_then() {
    // segment.ms=999: a record more than 999 ms after a segment's first rolls it.
    let mut b = Broker::with_topic("t", &[("segment.ms", "999")]);
    b.run("load t rate=2/s keys=1 for=3s\nadvance 1h");
    // Records at 0, 500 | 1000, 1500 | 2000, 2500: the roll happened at the
    // append times, not at the end of the advance.
    let segs: Vec<usize> = b.log("t", 0).segments().iter().map(|s| s.batches().len()).collect();
    assert_eq!(segs, [2, 2, 2]);
}

#[test]
fn several_loads_append_in_the_order_their_lines_ran() {
    let mut b = Broker::with_topic("t", &[]);
    b.run("load t rate=1/s keys=1 for=3s\nload t rate=1/s keys=1 for=3s value-bytes=4\nadvance 5s");
    let values: Vec<String> = records(&b, "t", 0).into_iter().filter_map(|r| r.3).collect();
    assert_eq!(values, ["v1", "v1..", "v2", "v2..", "v3", "v3.."]);
}

#[test]
fn a_record_the_broker_refuses_when_due_is_dropped_and_the_next_is_sent() {
    let mut b = Broker::with_topic("t", &[]);
    let r = b.run(
        "load t rate=1/s keys=1 for=3s value-bytes=10\nalter t max.message.bytes=72\nadvance 1s\nalter t max.message.bytes=1000\nadvance 1s",
    );
    assert_eq!(r[2].clock().map(|c| (c.appended, c.refused)), Some((None, Some(1))));
    assert_eq!(r[4].clock().map(|c| (c.appended, c.refused)), Some((Some(1), None)));
    let values: Vec<String> = records(&b, "t", 0).into_iter().filter_map(|r| r.3).collect();
    assert_eq!(values, ["v1........", "v3........"]);
}

// -------------------------------------------------------------- the cleaner

/// A compacted topic whose records all sit in closed segments.
const DIRTY: &str = "topic t cleanup.policy=compact segment.bytes=300\nproduce t k:v1\nproduce t k:v2\nproduce t k:v3\nproduce t k:v4\nroll t\n";

#[test]
fn the_cleaner_threads_wake_at_broker_start_and_sleep_the_backoff_when_idle() {
    let mut b = Broker::new();
    let r = b.run(
        "broker log.cleaner.backoff.ms=10000\ntopic t cleanup.policy=compact\nproduce t k:v1\nproduce t k:v2\nrun 5s",
    );
    // One wake at broker start: nothing to clean (the active segment).
    assert_eq!(ran(&r).cleaner_iterations, 1);
    assert_eq!(b.next_cleaner_wake_ms(), Some(START_MS + 10_000));
    let r = b.run("roll t\nrun 10s");
    // Not at the roll (5 s): at the next wake, 10 s, then again at once (idle).
    let run = ran(&r);
    assert_eq!(
        run.cleanings.iter().map(|c| c.time_ms).collect::<Vec<_>>(),
        [START_MS + 10_000]
    );
    assert_eq!(run.cleaner_iterations, 2);
    assert_eq!(b.next_cleaner_wake_ms(), Some(START_MS + 20_000));
}

#[test]
fn after_a_cleaning_the_thread_looks_again_at_the_same_instant() {
    let mut b = Broker::new();
    let r = b.run(&format!(
        "{DIRTY}topic u cleanup.policy=compact segment.bytes=300\nproduce u k:v1\nproduce u k:v2\nroll u\nrun 0ms"
    ));
    let run = ran(&r);
    // t, then u, then an idle look: three iterations at broker start.
    let cleaned: Vec<(String, i64)> = run
        .cleanings
        .iter()
        .map(|c| (c.topic_partition.topic.clone(), c.time_ms))
        .collect();
    assert_eq!(cleaned, [("t".to_string(), START_MS), ("u".to_string(), START_MS)]);
    assert_eq!(run.cleaner_iterations, 3);
}

#[test]
fn a_wake_that_fell_before_a_run_happens_once_at_its_start() {
    let mut b = Broker::new();
    let r = b.run(&format!("{DIRTY}advance 1h\nrun 0ms"));
    let run = ran(&r);
    assert_eq!(
        run.cleanings.iter().map(|c| c.time_ms).collect::<Vec<_>>(),
        [START_MS + 3_600_000]
    );
    // The 240 wakes the hour held are not made up: one wake, two iterations.
    assert_eq!(run.cleaner_iterations, 2);
}

#[test]
fn a_manual_clean_does_not_move_the_schedule() {
    let mut b = Broker::new();
    b.run("topic t cleanup.policy=compact segment.bytes=300\nproduce t k:v1\nproduce t k:v2\nrun 1s\nclean");
    assert_eq!(b.next_cleaner_wake_ms(), Some(START_MS + 15_000));
    let r = b.run("roll t\nrun 14s");
    assert_eq!(
        ran(&r).cleanings.iter().map(|c| c.time_ms).collect::<Vec<_>>(),
        [START_MS + 15_000]
    );
}

#[test]
fn a_broker_line_that_changes_a_cleaner_setting_restarts_the_threads_now() {
    let mut b = Broker::new();
    b.run("topic t cleanup.policy=compact\nrun 1s");
    assert_eq!(b.next_cleaner_wake_ms(), Some(START_MS + 15_000));
    // The same value changes nothing; a topic default is not a thread setting.
    b.run("broker log.cleaner.backoff.ms=15000\nbroker log.cleaner.min.cleanable.ratio=0.1");
    assert_eq!(b.next_cleaner_wake_ms(), Some(START_MS + 15_000));
    for change in [
        "log.cleaner.threads=2",
        "log.cleaner.dedupe.buffer.size=1000000",
        "log.cleaner.io.buffer.load.factor=0.5",
        "log.cleaner.io.buffer.size=1000",
        "log.cleaner.io.max.bytes.per.second=1000",
        "log.cleaner.backoff.ms=5000",
    ] {
        let r = b.run(&format!("advance 1s\nbroker {change}\nrun 0ms"));
        assert_eq!(ran(&r).cleaner_iterations, 1, "{change}");
        let now = b.now_ms();
        assert_eq!(
            b.next_cleaner_wake_ms(),
            Some(now + b.broker_config().log_cleaner_backoff_ms),
            "{change}"
        );
    }
}

#[test]
fn log_cleaner_enable_false_stops_the_threads_and_true_starts_them_now() {
    let mut b = Broker::new();
    let r = b.run(&format!("broker log.cleaner.enable=false\n{DIRTY}run 1h"));
    let run = ran(&r);
    assert_eq!((run.cleaner_iterations, run.cleanings.len()), (0, 0));
    assert_eq!(b.next_cleaner_wake_ms(), None);
    let r = b.run("advance 7s\nbroker log.cleaner.enable=true\nrun 0ms");
    let run = ran(&r);
    assert_eq!(
        run.cleanings.iter().map(|c| c.time_ms).collect::<Vec<_>>(),
        [START_MS + 3_607_000]
    );
}

#[test]
fn a_backoff_of_0_wakes_an_idle_thread_every_millisecond() {
    let mut b = Broker::new();
    let r = b.run("broker log.cleaner.backoff.ms=0\ntopic t cleanup.policy=compact\nrun 9ms");
    // 0, 1, ..., 9 ms: the end instant belongs to the run.
    assert_eq!(ran(&r).cleaner_iterations, 10);
}

// ------------------------------------------------------ the order at one instant

#[test]
fn at_one_instant_the_load_appends_come_before_the_cleaner() {
    // segment.ms=14999: the load's record at 15 s rolls the segment, which
    // makes the records before it cleanable by the wake at 15 s only if the
    // append came first.
    let mut b = Broker::with_topic("t", &[("cleanup.policy", "compact"), ("segment.ms", "14999")]);
    let r = b.run("load t rate=1/s keys=1 for=16s\nrun 15s");
    let run = ran(&r);
    assert_eq!(run.cleanings.len(), 1);
    let c = &run.cleanings[0];
    assert_eq!(
        (c.time_ms, c.first_dirty_offset, c.end_offset),
        (START_MS + 15_000, 0, 15)
    );
}

/// A delete topic with one record per segment and room for two: the load's
/// record at 30 s (the first retention check) and what the check deletes.
const RETAINED: &str = "topic d cleanup.policy=delete segment.bytes=100 retention.bytes=146\n";

#[test]
fn at_one_instant_the_load_appends_come_before_the_retention_check() {
    let mut b = Broker::new();
    let r = b.run(&format!("{RETAINED}load d rate=6/m keys=1 for=40s\nrun 30s"));
    assert_eq!(ran(&r).retention_checks, 1);
    assert_eq!(ran(&r).deleted_segments, 2);
    assert_eq!(b.log("d", 0).log_start_offset(), 2);
    // The other order, written out, keeps one more record: the test can tell.
    let mut other = Broker::new();
    other.run(&format!(
        "{RETAINED}produce d key-0:v1\nclock {}\nproduce d key-0:v2\nclock {}\nproduce d key-0:v3\nclock {}\nretention\nproduce d key-0:v4",
        START_MS + 10_000,
        START_MS + 20_000,
        START_MS + 30_000
    ));
    assert_eq!(other.log("d", 0).log_start_offset(), 1);
}

// ------------------------------------------------------------- retention

#[test]
fn retention_checks_come_30s_after_broker_start_then_every_interval_inside_runs_only() {
    let mut b = Broker::new();
    b.run("broker log.retention.check.interval.ms=60000\ntopic d cleanup.policy=delete");
    assert_eq!(b.next_retention_check_ms(), START_MS + 30_000);
    let checks = |b: &mut Broker, line: &str| ran(&b.run(line)).retention_checks;
    assert_eq!(checks(&mut b, "run 29999ms"), 0);
    // The end instant belongs to the run.
    assert_eq!(checks(&mut b, "run 1ms"), 1);
    assert_eq!(checks(&mut b, "run 60s"), 1); // 90 s
                                              // 150 s falls inside an advance: skipped, not made up.
    b.run("advance 100s"); // to 190 s
    assert_eq!(b.next_retention_check_ms(), START_MS + 210_000);
    assert_eq!(checks(&mut b, "run 20s"), 1); // 210 s
    assert_eq!(checks(&mut b, "run 59999ms"), 0);
    assert_eq!(checks(&mut b, "run 1ms"), 1); // 270 s
}

#[test]
fn a_retention_check_deletes_what_retention_ms_has_expired() {
    let mut b = Broker::new();
    let r = b.run("topic d cleanup.policy=delete segment.bytes=100 retention.ms=10000\nproduce d k:v1\nproduce d k:v2\nrun 29999ms");
    assert_eq!(ran(&r).deleted_segments, 0);
    let r = b.run("run 1ms");
    // At 30 s both old records are past retention.ms: their segments go.
    assert_eq!(ran(&r).deleted_segments, 2);
    assert_eq!(b.log("d", 0).log_start_offset(), 2);
}

// ------------------------------------------------------------------ JSON

#[test]
fn the_steps_json_carries_appended_cleanings_and_deleted_segments() {
    let script = "topic t cleanup.policy=compact segment.bytes=300\nadvance 1s\nload t rate=10/s keys=2 for=3s\nadvance 150ms\nadvance 49ms\nclock 1704067201400\nrun 1m\nload t rate=1/s keys=1 for=0s\n";
    let out = scenario::run(script).unwrap_or_else(|e| panic!("{e}"));
    let json = serde_json::to_value(&out).unwrap();
    let steps = json["steps"].as_array().unwrap();
    // (serde_json's maps are sorted by key.)
    let keys = |i: usize| -> Vec<String> { steps[i].as_object().unwrap().keys().cloned().collect() };
    // An advance with no load records has no "appended", as before loads.
    assert_eq!(keys(1), ["command", "line", "now_ms", "ok"]);
    assert_eq!(steps[2]["appended"], 1);
    assert_eq!(steps[3]["appended"], 1);
    assert!(steps[4].get("appended").is_none(), "{}", steps[4]);
    // 1 s + 200, 300 and 400 ms.
    assert_eq!(steps[5]["appended"], 3);
    let run = &steps[6];
    for f in ["appended", "cleanings", "deleted_segments"] {
        assert!(run.get(f).is_some(), "{f}: {run}");
    }
    assert_eq!(run["appended"], 25);
    let c = &run["cleanings"][0];
    let fields: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
    let mut contract = RUN_CLEANING_FIELDS;
    contract.sort_unstable();
    assert_eq!(fields, contract);
    assert!(c["time_ms"].as_i64().unwrap() >= START_MS + 1400);
    assert!(steps[7].get("appended").is_none(), "{}", steps[7]);
    assert_eq!(steps[7]["count"], 0);
}

// ---------------------------------------------------------------- budget

#[test]
fn a_load_holds_its_whole_count_against_the_budget_when_its_line_runs() {
    let r = scenario::run_with_budget(
        "topic t\nload t rate=1000/s keys=100000 for=1h\nload t rate=100/s keys=10 for=1h\ngenerate t count=700000 keys=1\ngenerate t count=10 keys=1",
        Budget::PAGE,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let s = &r.steps;
    // 3.6 M records: refused at once, whatever is appended so far (nothing).
    assert!(!s[1].ok);
    let e = s[1].error.as_deref().unwrap_or_default();
    assert!(
        e.starts_with("load refused by the session's budget: it needs 3600000 records appended")
            && e.ends_with("(limit records)"),
        "{e}"
    );
    // 360 000 held from the line on, one appended: 700 000 more no longer fit.
    assert!(s[2].ok);
    assert!(!s[3].ok, "{:?}", s[3]);
    assert!(s[3].error.as_deref().unwrap_or_default().contains("(limit records)"));
    assert!(s[4].ok);
    // A refused load changes nothing.
    let mut fresh = LogManager::with_budget(Budget::PAGE);
    scenario::run_step(&mut fresh, &scenario::parse("topic t").unwrap()[0]);
    let before = format!("{fresh:?}");
    let refused = scenario::run_step(
        &mut fresh,
        &scenario::parse("load t rate=1000/s keys=100000 for=1h").unwrap()[0],
    );
    assert!(!refused.ok);
    assert_eq!(format!("{fresh:?}"), before);
}

#[test]
fn a_run_whose_wakes_alone_pass_the_budget_is_refused_at_once() {
    let started = std::time::Instant::now();
    let r = scenario::run_with_budget(
        "broker log.cleaner.backoff.ms=0\ntopic t cleanup.policy=compact\nrun 1000d\nrun 1s",
        Budget::PAGE,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(!r.steps[2].ok);
    let e = r.steps[2].error.as_deref().unwrap_or_default();
    assert!(
        e.starts_with("run refused by the session's budget") && e.ends_with("(limit cleaner_work)"),
        "{e}"
    );
    assert!(r.steps[3].ok);
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[test]
fn a_run_that_passes_the_budget_on_the_way_is_undone_whole() {
    // Enough cleaner work for the wakes and the first cleaning, not for
    // what the load appends after it.
    let budget = Budget {
        cleaner_work: 3_000,
        ..Budget::PAGE
    };
    let mut b = LogManager::with_budget(budget);
    let steps = scenario::parse(
        "topic t cleanup.policy=compact segment.bytes=1000\nload t rate=100/s keys=5 for=20s\nadvance 10s\nrun 1m",
    )
    .unwrap();
    let mut results: Vec<StepResult> = steps[..3].iter().map(|s| scenario::run_step(&mut b, s)).collect();
    assert!(results.iter().all(|r| r.ok));
    let before = format!("{b:?}");
    results.push(scenario::run_step(&mut b, &steps[3]));
    let last = results.last().unwrap();
    assert!(!last.ok);
    assert!(
        last.error
            .as_deref()
            .unwrap_or_default()
            .contains(&format!("(limit {})", Limit::CleanerWork.name())),
        "{:?}",
        last.error
    );
    assert_eq!(format!("{b:?}"), before, "a refused run changed the broker");
}

// -------------------------------------------------------------- validation

#[test]
fn bad_rates_units_durations_and_keys_are_syntax_errors_that_say_what_is_wrong() {
    let error = |line: &str| match scenario::parse(line) {
        Ok(_) => panic!("{line} parsed"),
        Err(e) => e.to_string(),
    };
    for (line, says) in [
        (
            "load t rate=0/s keys=1 for=1s",
            "rate must be <records>/s, /m or /h with at least 1 record",
        ),
        ("load t rate=5/d keys=1 for=1s", "got '5/d'"),
        ("load t rate=5 keys=1 for=1s", "got '5'"),
        ("load t rate=-5/s keys=1 for=1s", "got '-5/s'"),
        ("load t rate=5/s keys=0 for=1s", "keys must be at least 1"),
        (
            "load t rate=5/s keys=x for=1s",
            "keys must be a non-negative integer, got 'x'",
        ),
        ("load t rate=5/s keys=1 for=5", "for: '5' is not a duration"),
        (
            "load t rate=5/s keys=1 for=99999999999999999d",
            "is too long a duration",
        ),
        ("load t rate=5/s keys=1", "usage: load <topic> rate=<n>/s|/m|/h"),
        (
            "load t rate=5/s keys=1 for=1s tombstones=2",
            "tombstones must be a fraction from 0 to 1",
        ),
        (
            "load t rate=5/s keys=1 for=1s speed=2",
            "unknown option 'speed' for load",
        ),
        ("run", "usage: run <duration>"),
        ("run 5", "'5' is not a duration"),
        ("run 1h 2h", "usage: run <duration>"),
    ] {
        let e = error(line);
        assert!(e.starts_with("line 1: ") && e.contains(says), "{line}: {e}");
    }
}

#[test]
fn runs_and_loads_past_the_end_of_time_are_refused_and_change_nothing() {
    let mut b = Broker::with_topic("t", &[]);
    let r = b.run_lenient("run 106751991167d\nclock 253402300790000\nload t rate=1/s keys=1 for=1h\nrun 1s");
    assert_eq!(
        r[0].error.as_deref(),
        Some("the clock cannot go past 9999-12-31T23:59:59.999Z (253402300799999 ms)")
    );
    assert_eq!(
        r[2].error.as_deref(),
        Some("the load's last record would be due at 253402304389000 ms, past the clock's end at 9999-12-31T23:59:59.999Z (253402300799999 ms)")
    );
    assert!(r[3].ok);
    assert_eq!(b.log("t", 0).log_end_offset(), 0);
    assert!(b.run_for(-1).is_err());
}

// ---------------------------------------------- the same log, written out

/// A `load` + `run` case the property draws.
#[derive(Debug, Clone)]
struct Case {
    partitions: u32,
    segment_bytes: u32,
    segment_ms: Option<u32>,
    ratio: &'static str,
    delete_retention_ms: u32,
    backoff_ms: u32,
    interval_ms: u32,
    rate: u64,
    unit: (&'static str, u64),
    keys: u64,
    for_s: u64,
    seed: u64,
    tombstones: f64,
    value_bytes: Option<u64>,
    /// An `advance` before the run (loads append, the cleaner sleeps).
    pause_ms: u32,
    run_ms: u32,
}

fn case() -> impl Strategy<Value = Case> {
    (
        (
            1u32..=2,
            prop::sample::select(vec![200u32, 400, 1000]),
            prop::option::of(2000u32..20_000),
        ),
        (
            prop::sample::select(vec!["0.01", "0.3", "0.5"]),
            prop::sample::select(vec![0u32, 5000, 86_400_000]),
        ),
        (
            prop::sample::select(vec![100u32, 1000, 7000, 15_000]),
            prop::sample::select(vec![5000u32, 60_000, 300_000]),
        ),
        (
            1u64..=40,
            prop::sample::select(vec![("s", 1000u64), ("m", 60_000)]),
            1u64..=8,
            1u64..=60,
        ),
        (
            any::<u64>(),
            prop::sample::select(vec![0.0, 0.2, 1.0]),
            prop::option::of(0u64..12),
        ),
        (0u32..20_000, 0u32..90_000),
    )
        .prop_map(
            |(
                (partitions, segment_bytes, segment_ms),
                (ratio, delete_retention_ms),
                (backoff_ms, interval_ms),
                (rate, unit, keys, for_s),
                (seed, tombstones, value_bytes),
                (pause_ms, run_ms),
            )| Case {
                partitions,
                segment_bytes,
                segment_ms,
                ratio,
                delete_retention_ms,
                backoff_ms,
                interval_ms,
                rate,
                unit,
                keys,
                for_s,
                seed,
                tombstones,
                value_bytes,
                pause_ms,
                run_ms,
            },
        )
}

impl Case {
    /// The topics and broker settings both scripts start with: a compacted
    /// topic `t` that the load writes to, and a delete topic `d` that only
    /// the retention check touches.
    fn setup(&self) -> String {
        let mut s = format!(
            "broker log.cleaner.backoff.ms={} log.retention.check.interval.ms={}\ntopic t partitions={} cleanup.policy=compact segment.bytes={} min.cleanable.dirty.ratio={} delete.retention.ms={}",
            self.backoff_ms, self.interval_ms, self.partitions, self.segment_bytes, self.ratio, self.delete_retention_ms
        );
        if let Some(ms) = self.segment_ms {
            s.push_str(&format!(" segment.ms={ms}"));
        }
        s.push_str("\ntopic d cleanup.policy=delete segment.bytes=200 retention.ms=20000\nproduce d k:v\nproduce d k:v\nproduce d k:v\n");
        s
    }

    fn scheduled(&self) -> String {
        let mut s = self.setup();
        s.push_str(&format!(
            "load t rate={}/{} keys={} for={}s seed={}",
            self.rate, self.unit.0, self.keys, self.for_s, self.seed
        ));
        if self.tombstones > 0.0 {
            s.push_str(&format!(" tombstones={}", self.tombstones));
        }
        if let Some(b) = self.value_bytes {
            s.push_str(&format!(" value-bytes={b}"));
        }
        s.push_str(&format!("\nadvance {}ms\nrun {}ms\n", self.pause_ms, self.run_ms));
        s
    }

    /// The load's records from the contract's rules alone: (time, produce or
    /// tombstone line).
    fn records(&self, t0: i64) -> Vec<(i64, String)> {
        let n = self.rate * self.for_s * 1000 / self.unit.1;
        let mut rng = SplitMix64::new(self.seed);
        (1..=n)
            .map(|i| {
                let t = t0 + ((i - 1) * self.unit.1 / self.rate) as i64;
                let key = format!("key-{}", rng.below(self.keys));
                let tombstone = self.tombstones > 0.0 && rng.next_f64() < self.tombstones;
                let line = if tombstone {
                    format!("tombstone t {key}")
                } else {
                    let mut v = format!("v{i}");
                    if let Some(w) = self.value_bytes.map(|w| w as usize) {
                        v = if v.len() >= w {
                            v[..w].to_string()
                        } else {
                            format!("{v}{}", ".".repeat(w - v.len()))
                        };
                    }
                    format!("produce t {key}:{v}")
                };
                (t, line)
            })
            .collect()
    }
}

/// Runs one line on `b`, which must accept it.
fn line(b: &mut LogManager, text: &str) -> StepResult {
    let step = &scenario::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))[0];
    let r = scenario::run_step(b, step);
    assert!(r.ok, "{text}: {:?}", r.error);
    r
}

/// The explicit script the contract's rules give for `case`, run line by
/// line: each record at its time (`clock`, `produce`), then at each cleaner
/// wake `clean` until it cleans nothing (then the backoff), then at each
/// retention check `retention`. Returns the cleanings' (time, partition,
/// first dirty, end).
fn explicit(case: &Case, b: &mut LogManager) -> Vec<(i64, u32, i64, i64)> {
    for l in case.setup().lines() {
        line(b, l);
    }
    let t0 = b.now_ms();
    let mut pending = case.records(t0).into_iter().peekable();
    let start = t0 + i64::from(case.pause_ms);
    let end = start + i64::from(case.run_ms);
    // The advance: records only.
    while let Some((t, text)) = pending.next_if(|(t, _)| *t <= start) {
        line(b, &format!("clock {t}"));
        line(b, &text);
    }
    let mut wake = START_MS.max(start);
    let mut check = START_MS + 30_000;
    while check < start {
        check += i64::from(case.interval_ms);
    }
    let mut cleanings = Vec::new();
    loop {
        let next = pending.peek().map_or(i64::MAX, |(t, _)| *t);
        let t = next.min(wake).min(check);
        if t > end {
            break;
        }
        line(b, &format!("clock {t}"));
        while let Some((_, text)) = pending.next_if(|(rt, _)| *rt == t) {
            line(b, &text);
        }
        if wake == t {
            loop {
                let r = line(b, "clean");
                let Some(c) = r.cleaned().and_then(|c| c.cleaned.clone()) else {
                    break;
                };
                cleanings.push((t, c.topic_partition.partition, c.first_dirty_offset, c.end_offset));
                if c.end_offset <= c.first_dirty_offset {
                    break;
                }
            }
            wake = t + i64::from(case.backoff_ms.max(1));
        }
        if check == t {
            line(b, "retention");
            check = t + i64::from(case.interval_ms);
        }
    }
    line(b, &format!("clock {end}"));
    cleanings
}

/// The logs of a broker as the JSON contract shows them.
fn logs(b: &LogManager) -> Value {
    serde_json::to_value(BrokerSnapshot::of(b).topics).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn a_load_and_a_run_leave_the_logs_the_contracts_explicit_script_leaves(c in case()) {
        let out = scenario::run(&c.scheduled()).unwrap_or_else(|e| panic!("{e}"));
        for s in &out.steps {
            prop_assert!(s.ok, "line {}: {:?}\n{}", s.line, s.error, c.scheduled());
        }
        let mut scheduled = LogManager::default();
        for s in scenario::parse(&c.scheduled()).unwrap() {
            scenario::run_step(&mut scheduled, &s);
        }
        let run = out.steps.last().and_then(StepResult::ran).expect("a run");
        let mut by_hand = LogManager::default();
        let cleanings = explicit(&c, &mut by_hand);
        let seen: Vec<(i64, u32, i64, i64)> = run
            .cleanings
            .iter()
            .map(|x| (x.time_ms, x.topic_partition.partition, x.first_dirty_offset, x.end_offset))
            .collect();
        prop_assert_eq!(&seen, &cleanings, "{}", c.scheduled());
        prop_assert_eq!(scheduled.now_ms(), by_hand.now_ms());
        prop_assert!(logs(&scheduled) == logs(&by_hand), "the logs differ\n{}", c.scheduled());
    }
}

// ------------------------------------------------- when, and why not yet

/// A few compacted topics with lags, ratios and horizons, records at
/// various times, some cleaned already: the state an outlook is taken of.
fn outlook_setup() -> impl Strategy<Value = String> {
    let topic = (
        1u32..=2,
        prop::sample::select(vec![200u32, 400, 1000]),
        prop::sample::select(vec![
            (0u32, 0u32),
            (20_000, 0),
            (90_000, 200_000),
            (0, 60_000),
            (0, 200_000),
        ]),
        prop::sample::select(vec!["0.1", "0.5", "0.9"]),
        prop::sample::select(vec![0u32, 30_000, 86_400_000]),
        prop::sample::select(vec![None, Some(30_000u32)]),
    );
    let op = (0u32..100, 0u32..5, 0u32..60_000);
    (
        prop::sample::select(vec![1000u32, 7000, 15_000]),
        prop::collection::vec(topic, 1..=3),
        prop::collection::vec(op, 5..60),
    )
        .prop_map(|(backoff, topics, ops)| {
            let names = ["a", "b", "c"];
            let mut s = format!("broker log.cleaner.backoff.ms={backoff}\n");
            for (i, (partitions, bytes, (min_lag, max_lag), ratio, delete_retention, segment_ms)) in
                topics.iter().enumerate()
            {
                s.push_str(&format!(
                    "topic {} partitions={partitions} cleanup.policy=compact segment.bytes={bytes} min.compaction.lag.ms={min_lag} min.cleanable.dirty.ratio={ratio} delete.retention.ms={delete_retention}",
                    names[i]
                ));
                if *max_lag > 0 {
                    s.push_str(&format!(" max.compaction.lag.ms={max_lag}"));
                }
                if let Some(ms) = segment_ms {
                    s.push_str(&format!(" segment.ms={ms}"));
                }
                s.push('\n');
            }
            for (kind, key, n) in ops {
                let t = names[(n as usize) % topics.len()];
                let p = n % topics[(n as usize) % topics.len()].0;
                s.push_str(&match kind {
                    0..=59 => format!("produce {t}/{p} k{key}:v{n}\n"),
                    60..=69 => format!("tombstone {t}/{p} k{key}\n"),
                    70..=84 => format!("advance {}ms\n", n / 3),
                    85..=89 => format!("roll {t}/{p}\n"),
                    90..=94 => "clean\n".to_string(),
                    _ => format!("run {}ms\n", n / 2),
                });
            }
            s
        })
}

/// Every compacted partition of the broker.
fn partitions(b: &LogManager) -> Vec<(String, u32)> {
    b.topics()
        .flat_map(|t| t.partitions().iter().map(|l| (t.name().to_string(), l.partition())))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn outlooks_predict_when_a_later_run_cleans_each_partition_and_each_tombstone_goes(script in outlook_setup()) {
        let mut b = Broker::new();
        b.run_lenient(&script);
        let outlooks: Vec<_> = partitions(&b)
            .into_iter()
            .map(|(t, p)| b.outlook(&t, p).unwrap_or_else(|e| panic!("{t}-{p}: {e}")))
            .collect();
        let start = b.now_ms();
        // eligible_at_ms is the exact boundary: the manager's own decision
        // flips there, not a millisecond before.
        for o in &outlooks {
            let eligible_at = |at: i64| {
                let mut probe = b.clone();
                probe.set_clock_ms(at).unwrap();
                probe.plan_for(&o.topic_partition.topic, o.topic_partition.partition).eligible
            };
            if let Some(at) = o.eligible_at_ms.filter(|&at| at > start) {
                prop_assert!(eligible_at(at) && !eligible_at(at - 1), "{:?}\n{}", o, script);
            }
            if o.eligible_at_ms.is_none() {
                prop_assert!(!eligible_at(start + 100 * 86_400_000), "{:?}\n{}", o, script);
            }
        }
        let span = 600_000;
        let r = b.run(&format!("run {span}ms"));
        let run = ran(&r);
        for o in &outlooks {
            let mine: Vec<_> = run.cleanings.iter().filter(|c| c.topic_partition == o.topic_partition).collect();
            let predicted = o.cleaning_at_ms.filter(|&at| at <= start + span);
            prop_assert_eq!(
                mine.first().map(|c| c.time_ms),
                predicted,
                "{}: {:?}\n{}",
                o.topic_partition,
                o,
                script
            );
            if o.now.eligible {
                prop_assert_eq!(o.eligible_at_ms, Some(start));
            }
            // Each tombstone goes exactly when a cleaning of its range comes at
            // or after its horizon (stamped by the first cleaning covering it).
            let log = b.log(&o.topic_partition.topic, o.topic_partition.partition);
            let present: std::collections::BTreeMap<i64, Option<i64>> = log
                .records()
                .filter(|(_, r)| r.value.is_none())
                .map(|(batch, r)| (r.offset, batch.delete_horizon_ms()))
                .collect();
            for t in &o.tombstones {
                let covering: Vec<i64> =
                    mine.iter().filter(|c| c.end_offset > t.offset).map(|c| c.time_ms).collect();
                // The cleanings that may remove it: all covering ones when
                // stamped, else those after the first (which stamps it).
                let (horizon, removers) = match t.waits_for {
                    TombstoneWait::Superseded => continue,
                    TombstoneWait::Horizon { at_ms } => (Some(at_ms), &covering[..]),
                    TombstoneWait::FirstCleaning { horizon_if_cleaned_now_ms } => {
                        let retention = horizon_if_cleaned_now_ms - start;
                        match covering.split_first() {
                            Some((first, later)) => (Some(first + retention), later),
                            None => (None, &covering[..]),
                        }
                    }
                };
                let gone = horizon.is_some_and(|h| removers.iter().any(|&c| c >= h));
                prop_assert_eq!(!present.contains_key(&t.offset), gone, "tombstone {:?}\n{}", t, script);
                if !gone {
                    if let Some(h) = horizon {
                        prop_assert_eq!(present[&t.offset], Some(h), "tombstone {:?}\n{}", t, script);
                    }
                }
            }
        }
    }
}

#[test]
fn an_outlook_says_what_a_quiet_partition_waits_for() {
    let mut b = Broker::new();
    b.run("topic t cleanup.policy=compact segment.bytes=1000 min.compaction.lag.ms=60000 segment.ms=30000\nproduce t k:v1\nproduce t k:v2\nrun 1s");
    let o = b.outlook("t", 0).unwrap();
    // Everything sits in the active segment: the next append at or after
    // 30 001 ms (segment.ms, from the first record's time) rolls it.
    assert!(!o.now.eligible);
    assert_eq!(o.eligible_at_ms, None);
    assert!(o.waits_for.iter().any(|w| matches!(w, Wait::ActiveSegmentRoll { base_offset: 0, roll_by_time_at_ms: Some(at), .. } if *at == START_MS + 30_001)), "{:?}", o.waits_for);
    // An append then rolls it; the closed segment waits for min.compaction.lag.ms.
    b.run("advance 30s\nproduce t k:v3");
    let o = b.outlook("t", 0).unwrap();
    assert!(
        o.waits_for.iter().any(
            |w| matches!(w, Wait::MinCompactionLag { base_offset: 0, until_ms } if *until_ms == START_MS + 60_000)
        ),
        "{:?}",
        o.waits_for
    );
    assert_eq!(o.eligible_at_ms, Some(START_MS + 60_000));
    // The wake due at 15 s fell inside the advance: a run starting now (31 s)
    // wakes at once, then every 15 s: 46 s, then 61 s.
    assert_eq!(o.cleaning_at_ms, Some(START_MS + 61_000));
    let r = b.run("run 1m");
    assert_eq!(
        ran(&r).cleanings.iter().map(|c| c.time_ms).collect::<Vec<_>>(),
        [START_MS + 61_000]
    );
    let json = serde_json::to_value(&o).unwrap();
    assert_eq!(json["waits_for"][0]["kind"], "min_compaction_lag");
    assert!(b.outlook("nope", 0).is_err());
}

#[test]
fn an_outlook_names_the_dirtier_log_cleaned_first_and_the_bytes_a_ratio_needs() {
    let mut b = Broker::new();
    b.run(&format!("{DIRTY}topic u cleanup.policy=compact segment.bytes=300\nproduce u k:v1\nproduce u j:v1\nroll u\nproduce u k:v2\nroll u"));
    let u = b.outlook("u", 0).unwrap();
    let t = b.outlook("t", 0).unwrap();
    assert!(t.now.eligible && u.now.eligible);
    // Both ratios are 1.0: t goes first (topic order), u at the same instant.
    assert!(u.waits_for.contains(&Wait::DirtierLog {
        topic_partition: kcp::TopicPartition::new("t", 0)
    }));
    assert_eq!((t.cleaning_at_ms, u.cleaning_at_ms), (Some(START_MS), Some(START_MS)));
    b.run("run 0ms\nproduce u k:v3\nroll u");
    let u = b.outlook("u", 0).unwrap();
    let Some(Wait::DirtyRatio {
        more_dirty_bytes: Some(more),
        ..
    }) = u
        .waits_for
        .iter()
        .find(|w| matches!(w, Wait::DirtyRatio { .. }))
        .cloned()
    else {
        panic!("{:?}", u.waits_for)
    };
    let (clean, dirty) = (u.now.clean_bytes, u.now.cleanable_bytes);
    assert!((dirty + more) as f64 / (clean + dirty + more) as f64 > 0.5);
    assert!((dirty + more - 1) as f64 / (clean + dirty + more - 1) as f64 <= 0.5);
}

/// A `run` done whole, and the same `run` done in pieces (the page's way:
/// [`LogManager::start_run`] and [`LogManager::continue_run`] to instants
/// drawn from `cuts`), leave the same broker and say the same.
fn whole_and_in_pieces(script: &str, span: i64, cuts: &[u32]) -> Result<(), TestCaseError> {
    let mut whole = Broker::new();
    whole.run_lenient(script);
    let mut pieces = whole.clone();
    let done = whole.run_for(span);
    let mut run = pieces.start_run(span).expect("the same checks pass");
    let mut at = run.start_ms;
    let mut moments = 0usize;
    for cut in cuts {
        at = at.saturating_add(i64::from(*cut));
        pieces
            .continue_run(&mut run, at, &mut |_, _| moments += 1)
            .expect("a piece within the budget");
        prop_assert_eq!(pieces.now_ms(), at.min(run.end_ms));
    }
    pieces
        .continue_run(&mut run, i64::MAX, &mut |_, _| moments += 1)
        .expect("the rest");
    prop_assert!(run.is_done(&pieces));
    let done = done.expect("the whole run passes");
    // Each cleaning is seen before and after.
    prop_assert_eq!(moments, 2 * done.cleanings.len());
    prop_assert_eq!(&run.done, &done);
    prop_assert_eq!(format!("{:?}", *pieces), format!("{:?}", *whole), "{}", script);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn a_run_in_pieces_is_the_run_whole(
        script in outlook_setup(),
        load in prop::sample::select(vec![None, Some("rate=50/s keys=20 for=2m tombstones=0.1"), Some("rate=7/m keys=3 for=1h")]),
        span in 0i64..3_600_000,
        cuts in prop::collection::vec(0u32..400_000, 0..12),
    ) {
        let script = match load {
            Some(l) => format!("{script}load a {l}\n"),
            None => script,
        };
        whole_and_in_pieces(&script, span, &cuts)?;
    }
}

#[test]
fn a_dry_run_agrees_with_the_cleaning_that_follows_and_changes_nothing() {
    let script = "topic t cleanup.policy=compact segment.bytes=300 delete.retention.ms=0\n\
                  load t rate=20/s keys=6 for=30s tombstones=0.2\n\
                  advance 31s\ntombstone t gone\nroll t\nclean t/0\nadvance 1s\nproduce t key-1:x\nroll t\n";
    let mut b = Broker::new();
    b.run(script);
    let before = format!("{:?}", *b);
    let dry = b.dry_run("t", 0).expect("a compacted partition");
    assert_eq!(format!("{:?}", *b), before, "a dry run changes nothing");
    assert!(dry.removed > 0 && dry.kept > 0, "{dry:?}");
    assert_eq!(
        dry.removed as usize,
        dry.removed_records.len(),
        "{:?}",
        dry.removed_records
    );
    assert!(dry
        .removed_records
        .iter()
        .any(|r| matches!(r.why, kcp::log_manager::RemovedWhy::Superseded { .. })));
    assert!(dry
        .removed_records
        .iter()
        .any(|r| matches!(r.why, kcp::log_manager::RemovedWhy::TombstoneExpired)));
    let gone: Vec<i64> = dry.removed_records.iter().map(|r| r.offset).collect();
    let before_offsets: Vec<i64> = b.log("t", 0).records().map(|(_, r)| r.offset).collect();
    // A real cleaning now does exactly that.
    let r = b.run("clean t/0");
    let cleaned = r[0].cleaned().and_then(|c| c.cleaned.clone()).expect("it cleans");
    assert_eq!(Some(&cleaned), dry.cleaning.as_ref());
    let after: Vec<i64> = b.log("t", 0).records().map(|(_, r)| r.offset).collect();
    let expected: Vec<i64> = before_offsets.into_iter().filter(|o| !gone.contains(o)).collect();
    assert_eq!(after, expected);
    assert_eq!(
        dry.after.as_ref().map(|l| format!("{l:?}")),
        Some(format!("{:?}", b.log("t", 0)))
    );
    // Nothing left to clean: the dry run says so and removes nothing.
    let dry = b.dry_run("t", 0).expect("compacted");
    assert_eq!((dry.cleaning.is_none(), dry.removed), (true, 0));
    let json = serde_json::to_value(&dry).unwrap_or_default();
    assert_eq!(json["topic"], "t");
    assert!(b.dry_run("nope", 0).is_err());
}
