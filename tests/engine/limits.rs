//! The session's budget and the input that used to hurt: each test is one
//! class of issue 10 (unbounded work from short input, panics on extreme
//! numbers, the smaller ones), failing on the engine before the budget and
//! passing now. The CLI tests run the binary under a memory limit
//! (`ulimit -v`) and a time limit.

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kcp::budget::{Limit, DEFAULT_CONSUME_MAX};
use kcp::log_manager::LogManager;
use kcp::scenario::{self, builtin, OutputView, StepResult};
use kcp::Budget;
use proptest::prelude::*;

use crate::random_scripts;
use crate::support::Broker;

fn run_on(broker: &mut LogManager, script: &str) -> Vec<StepResult> {
    let steps = scenario::parse(script).unwrap_or_else(|e| panic!("{e}"));
    steps.iter().map(|s| scenario::run_step(broker, s)).collect()
}

fn refused_by(r: &StepResult, limit: Limit) {
    assert!(!r.ok, "line {} ({}) should be refused", r.line, r.command);
    assert_eq!(r.error_name.as_deref(), Some("BudgetExceeded"), "{:?}", r.error);
    let e = r.error.as_deref().unwrap_or_default();
    assert!(e.contains(&format!("(limit {})", limit.name())), "{e}");
    assert!(e.starts_with(&format!("{} refused", r.command)), "{e}");
}

// ------------------------------------------------------- budget, per limit

#[test]
fn generate_is_refused_up_front_for_the_product_of_count_and_value_size() {
    let mut b = LogManager::default();
    let r = run_on(
        &mut b,
        "topic t\ngenerate t count=5000000 keys=1 value-bytes=1000000\nproduce t k:v",
    );
    refused_by(&r[1], Limit::Bytes);
    assert!(r[2].ok);
    assert_eq!(b.partition("t", 0).unwrap().log_end_offset(), 1, "nothing was appended");
}

#[test]
fn the_records_budget_is_a_total_over_the_session() {
    let mut b = LogManager::with_budget(Budget {
        records: 100,
        ..Budget::PAGE
    });
    let r = run_on(
        &mut b,
        "topic t\ngenerate t count=60 keys=5\ngenerate t count=60 keys=5\ngenerate t count=40 keys=5\nproduce t k:v",
    );
    assert!(r[1].ok);
    refused_by(&r[2], Limit::Records);
    assert!(r[3].ok);
    refused_by(&r[4], Limit::Records);
    assert_eq!(b.partition("t", 0).unwrap().log_end_offset(), 100);
    assert_eq!(b.usage().records, 100);
}

#[test]
fn partitions_are_summed_over_topics() {
    let mut b = LogManager::with_budget(Budget::PAGE);
    let r = run_on(&mut b, "topic a partitions=1000\ntopic b partitions=1000\ntopic c");
    assert!(r[0].ok && r[1].ok);
    refused_by(&r[2], Limit::Partitions);
    assert!(b.topic("c").is_err());
}

#[test]
fn a_consume_without_max_returns_max_poll_records_and_max_is_capped() {
    let mut b = LogManager::default();
    let r = run_on(
        &mut b,
        "topic t\ngenerate t count=2000 keys=2000\nconsume t/0\nconsume t/0 from=1900\nconsume t/0 max=100001",
    );
    assert_eq!(r[2].consumed().unwrap().records.len() as u64, DEFAULT_CONSUME_MAX);
    assert_eq!(r[3].consumed().unwrap().records.len(), 100);
    refused_by(&r[4], Limit::ConsumeMax);
}

#[test]
fn records_kept_in_results_are_bounded_over_the_session() {
    let mut b = LogManager::with_budget(Budget {
        results: 1200,
        ..Budget::PAGE
    });
    let r = run_on(
        &mut b,
        "topic t\ngenerate t count=1000 keys=1000\nconsume t/0\nconsume t/0\nconsume t/0",
    );
    assert!(r[2].ok && r[3].ok);
    refused_by(&r[4], Limit::Results);
    assert_eq!(b.usage().results, 1000);
}

#[test]
fn a_one_key_dedupe_buffer_cannot_recopy_a_big_log_without_end() {
    // Each round maps one key and recopies the whole log: the cleaner work
    // budget bounds how many rounds a session gets.
    let mut b = LogManager::with_budget(Budget {
        cleaner_work: 100_000,
        ..Budget::PAGE
    });
    let mut script = String::from(
        "broker log.cleaner.dedupe.buffer.size=48\ntopic t cleanup.policy=compact\ngenerate t count=5000 keys=5000\nroll t\n",
    );
    script.push_str(&"clean t/0\n".repeat(100));
    let r = run_on(&mut b, &script);
    let cleaned = r.iter().filter(|s| s.command == "clean" && s.ok).count();
    assert!((10..=25).contains(&cleaned), "{cleaned} rounds");
    let refused = r.iter().find(|s| s.command == "clean" && !s.ok).unwrap();
    refused_by(refused, Limit::CleanerWork);
    assert!(b.usage().cleaner_work <= 100_000);
    // The refusal changed nothing: the next one is refused the same way.
    let before = b.first_dirty_offset("t", 0).unwrap();
    assert!(b.clean_partition("t", 0).is_err());
    assert_eq!(b.first_dirty_offset("t", 0).unwrap(), before);
}

#[test]
fn a_script_longer_than_the_budget_is_refused_when_parsed_and_steps_are_counted() {
    let script = "topic t\n".to_string() + &"produce t k:v\n".repeat(20);
    let e = scenario::parse_within(&script, 10).unwrap_err();
    assert_eq!(e.line, 11);
    assert!(e.message.contains("limit steps"), "{e}");
    let mut b = LogManager::with_budget(Budget {
        steps: 3,
        ..Budget::PAGE
    });
    let r = run_on(&mut b, "topic t\nproduce t a:1\nproduce t b:1\nproduce t c:1");
    assert!(r[..3].iter().all(|s| s.ok));
    refused_by(&r[3], Limit::Steps);
}

// ------------------------------------------------------ constant-cost steps

#[test]
fn record_counts_and_sizes_stay_equal_to_a_walk_of_the_log() {
    for seed in 0..60 {
        let Ok(out) = scenario::run(&random_scripts::script(seed)) else {
            continue;
        };
        for t in &out.topics {
            for p in &t.partitions {
                let walked: u64 = p
                    .segments
                    .iter()
                    .flat_map(|s| &s.batches)
                    .map(|b| b.records.len() as u64)
                    .sum();
                let bytes: u64 = p.segments.iter().map(|s| s.size_bytes).sum();
                assert_eq!(p.record_count, walked, "seed {seed}");
                assert_eq!(p.size_bytes, bytes, "seed {seed}");
            }
        }
    }
}

#[test]
fn the_streamed_json_is_the_run_output_byte_for_byte() {
    let scripts = builtin::all()
        .iter()
        .map(|b| b.script.to_string())
        .chain((0..40).map(random_scripts::script));
    for script in scripts {
        let Ok(steps) = scenario::parse(&script) else { continue };
        let mut broker = LogManager::default();
        let results: Vec<StepResult> = steps.iter().map(|s| scenario::run_step(&mut broker, s)).collect();
        let streamed = serde_json::to_string(&OutputView {
            broker: &broker,
            steps: &results,
        })
        .unwrap();
        let built = serde_json::to_string(&scenario::output(&broker, results.clone())).unwrap();
        assert_eq!(streamed, built);
    }
}

// ------------------------------------------------- extreme numbers, no panic

#[test]
fn timestamps_below_minus_one_are_refused_as_the_java_producer_does() {
    let mut b = Broker::new();
    let r = b.run_lenient(
        "topic t cleanup.policy=compact\ntombstone t ts=-9223372036854775808 a\nproduce t ts=-2 a:1\nproduce t ts=-1 a:1\nroll t\nclean t/0",
    );
    assert_eq!(r[1].error_name.as_deref(), Some("IllegalArgumentException"));
    assert_eq!(
        r[1].error.as_deref(),
        Some("Invalid timestamp: -9223372036854775808. Timestamp should always be non-negative or null.")
    );
    assert_eq!(
        r[2].error.as_deref(),
        Some("Invalid timestamp: -2. Timestamp should always be non-negative or null.")
    );
    assert!(r[3].ok && r[4].ok && r[5].ok, "ts=-1 is 'no timestamp'");
}

#[test]
fn the_clock_refuses_to_pass_the_end_of_the_year_9999_instead_of_stopping_there() {
    let mut b = Broker::new();
    let r = b.run_lenient(
        "topic t cleanup.policy=compact delete.retention.ms=9223372036854775807\nclock 253402300799998\nadvance 1ms\nadvance 1ms\nclock 253402300800000\nadvance 106751991167d\nproduce t a:1\ntombstone t a\nroll t\nclean t/0\nclean t/0\nconsume t/0",
    );
    assert!(r[2].ok);
    for refused in &r[3..6] {
        assert!(!refused.ok);
        assert!(
            refused
                .error
                .as_deref()
                .unwrap()
                .contains("the clock cannot go past 9999-12-31T23:59:59.999Z"),
            "{refused:?}"
        );
    }
    assert_eq!(b.now_ms(), kcp::clock::MAX_MS);
    // now + delete.retention.ms wraps past the end of a Java long: Kafka sets
    // no horizon then, and nothing here may panic.
    assert!(r[6..].iter().all(|s| s.ok), "{r:?}");
}

#[test]
fn an_advance_too_long_for_a_number_says_so() {
    let e = scenario::parse("advance 9223372036854775808ms").unwrap_err();
    assert_eq!(e.message, "'9223372036854775808ms' is too long a duration");
    let e = scenario::parse("advance 106751991167301d").unwrap_err();
    assert_eq!(e.message, "'106751991167301d' is too long a duration");
    assert!(scenario::parse("advance 5x")
        .unwrap_err()
        .message
        .contains("is not a duration"));
}

fn extreme_line() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "produce t a:1",
        "produce t/1 b:2",
        "tombstone t a",
        "produce t ts=0 a:1",
        "produce t ts=-1 b:1",
        "produce t ts=-2 a:1",
        "produce t ts=9223372036854775807 a:1",
        "produce t ts=-9223372036854775808 a:1",
        "tombstone t ts=-9223372036854775808 a",
        "tombstone t ts=9223372036854775807 b",
        "clock 9223372036854775807",
        "clock 9223372036854775806",
        "clock 0",
        "advance 106751991167d",
        "advance 9223372036854775807ms",
        "advance 1ms",
        "roll t",
        "clean",
        "clean t/0",
        "clean t/1",
        "retention",
        "consume t/0",
        "consume t/0 from=9223372036854775807",
        "consume t/0 from=-9223372036854775808",
        "consume t/1 max=18446744073709551615",
        "alter t delete.retention.ms=9223372036854775807",
        "alter t delete.retention.ms=0",
        "alter t message.timestamp.type=LogAppendTime",
        "alter t message.timestamp.type=CreateTime",
        "alter t message.timestamp.before.max.ms=9223372036854775807",
        "alter t message.timestamp.after.max.ms=9223372036854775807",
        "alter t max.compaction.lag.ms=9223372036854775807",
        "alter t min.compaction.lag.ms=9223372036854775807",
        "alter t segment.ms=1",
        "alter t retention.ms=9223372036854775807",
        "alter t cleanup.policy=compact,delete",
        "alter t segment.bytes=100",
        "broker log.cleaner.dedupe.buffer.size=24",
        "generate t count=30 keys=3 tombstones=0.5",
        "generate t count=18446744073709551615 keys=18446744073709551615",
    ])
    .prop_map(str::to_string)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Tests run in debug builds, with overflow checks: an arithmetic
    /// overflow anywhere input reaches is a panic here.
    #[test]
    fn random_scripts_of_extreme_numbers_never_panic(lines in prop::collection::vec(extreme_line(), 1..50)) {
        let script = "topic t partitions=2 cleanup.policy=compact segment.bytes=200\n".to_string() + &lines.join("\n");
        let out = scenario::run_with_budget(&script, Budget::PAGE).unwrap();
        for s in &out.steps {
            prop_assert!(s.ok || s.error.is_some());
        }
    }
}

// ------------------------------------------------------------ smaller ones

#[test]
fn topics_that_differ_only_by_dot_and_underscore_collide_as_in_kafka() {
    let mut b = Broker::new();
    let r = b.run_lenient("topic a.b\ntopic a_b\ntopic a.b\ntopic a-b");
    assert!(r[0].ok);
    assert_eq!(r[1].error_name.as_deref(), Some("InvalidTopicException"));
    assert_eq!(
        r[1].error.as_deref(),
        Some("Topic 'a_b' collides with existing topic: a.b")
    );
    assert_eq!(r[2].error_name.as_deref(), Some("TopicExistsException"));
    assert!(r[3].ok);
}

#[test]
fn a_byte_order_mark_and_any_line_ending_are_read_as_editors_write_them() {
    let steps = scenario::parse("\u{feff}topic t\rproduce t a:1\r\nproduce t b:2\n\rproduce t c:3").unwrap();
    let lines: Vec<(usize, &str)> = steps.iter().map(|s| (s.line, s.text.as_str())).collect();
    assert_eq!(
        lines,
        [
            (1, "topic t"),
            (2, "produce t a:1"),
            (3, "produce t b:2"),
            (5, "produce t c:3")
        ]
    );
}

#[test]
fn a_huge_topic_name_is_not_echoed_whole() {
    let name = "x".repeat(10 << 20);
    let mut b = Broker::new();
    let r = b.run_lenient(&format!("topic {name}\nproduce {name} k:v\nroll {name}!"));
    for s in &r {
        let e = s.error.as_deref().unwrap_or_else(|| panic!("line {} refused", s.line));
        assert!(e.len() < 1500, "{} bytes", e.len());
        assert!(e.contains("more bytes)"), "{e:.400}");
    }
    let e = scenario::parse(&format!("bogus{name}")).unwrap_err();
    assert!(e.message.len() < 1500);
}

// --------------------------------------------------------------- the CLI

/// Runs the CLI on `script` with `args`, under `ulimit -v` of `kib` KiB and
/// a time limit; returns (exit code, stdout length, stderr, seconds).
fn cli_limited(args: &[&str], script: &str, kib: u64, secs: u64) -> (i32, usize, String, f64) {
    let bin = env!("CARGO_BIN_EXE_playground");
    let t0 = Instant::now();
    let mut child = Command::new("timeout")
        .arg(secs.to_string())
        .args(["bash", "-c", &format!("ulimit -v {kib}; exec \"$0\" \"$@\""), bin])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("timeout and bash run");
    child.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        out.stdout.len(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        t0.elapsed().as_secs_f64(),
    )
}

/// What a debug build may take for work that needs a moment in release.
const SLOW_DEBUG: Duration = Duration::from_secs(60);

#[test]
fn the_cli_refuses_huge_generates_at_once_within_little_memory() {
    let mut script = "topic t\ngenerate t count=5000000 keys=1 value-bytes=1000000\n".to_string();
    script.push_str(&"generate t count=5000000 keys=10\n".repeat(10));
    let (code, len, err, secs) = cli_limited(&["run", "-", "--json", "--page-budget"], &script, 400_000, 30);
    assert_eq!(code, 0, "{err}");
    assert!(len < 100_000);
    assert!(secs < 10.0, "{secs} s");
}

#[test]
fn the_cli_survives_many_consumes_of_a_big_log_within_little_memory() {
    // The 761-byte script, scaled to a debug build: consumes
    // without max= each kept every record, 60 times over.
    let mut script = "topic t\ngenerate t count=200000 keys=1000\n".to_string();
    script.push_str(&"consume t/0\n".repeat(60));
    let (code, len, err, secs) = cli_limited(&["run", "-", "--json"], &script, 400_000, SLOW_DEBUG.as_secs());
    assert_eq!(code, 0, "{err}");
    assert!(len > 10_000_000, "the log was written ({len} bytes)");
    assert!(secs < 30.0, "{secs} s");
}

#[test]
fn the_cli_streams_the_json_of_a_big_log_instead_of_building_it() {
    // 500,000 records make about 100 MB of JSON; built whole (twice, with the
    // copy of the log it was built from) it passed 400 MB.
    let script = "topic t cleanup.policy=compact\ngenerate t count=500000 keys=1000\n";
    let (code, len, err, _) = cli_limited(&["run", "-", "--json"], script, 400_000, SLOW_DEBUG.as_secs());
    assert_eq!(code, 0, "{err}");
    assert!(len > 50_000_000, "{len} bytes");
}

#[test]
fn the_bench_times_both_generates_in_child_processes_and_prints_their_row() {
    let out = Command::new(env!("CARGO_BIN_EXE_playground"))
        .args([
            "bench",
            "--records",
            "3000",
            "--keys",
            "30",
            "--value-bytes",
            "10",
            "--runs",
            "2",
            "--memory",
        ])
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}{stderr}");
    let row = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("3000 "))
        .unwrap_or_else(|| panic!("no row: {stdout}"));
    // records keys value log-MB | gen bare x | clean bare x | MB/s memcpy % | peak log+map x
    let cells: Vec<f64> = row
        .split(|c: char| c.is_whitespace() || c == '|' || c == '%')
        .filter(|w| !w.is_empty())
        .map(|w| w.parse().unwrap_or_else(|_| panic!("{w:?} in {row}")))
        .collect();
    assert_eq!(cells.len(), 16, "{row}");
    assert_eq!(&cells[..3], &[3000.0, 30.0, 10.0]);
    for (i, name) in [
        (4, "gen"),
        (5, "bare gen"),
        (7, "clean"),
        (8, "bare dedupe"),
        (13, "peak"),
    ] {
        assert!(cells[i] >= 0.0 && cells[i].is_finite(), "{name}: {row}");
    }
    assert!(cells[6] > 0.0, "the generate ratio of two timed children: {row}");
}

#[test]
fn the_cli_writes_compact_json_by_default_and_indents_with_pretty() {
    let script = "topic t\nproduce t k:v\n";
    let out = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_playground"))
            .args(args)
            .arg(std::env::temp_dir().join("kcp-limits-pretty.txt"))
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    std::fs::write(std::env::temp_dir().join("kcp-limits-pretty.txt"), script).unwrap();
    let compact = out(&["run", "--json"]);
    let pretty = out(&["run", "--json", "--pretty"]);
    assert_eq!(compact.lines().count(), 1);
    assert!(pretty.lines().count() > 20);
    let (a, b): (serde_json::Value, serde_json::Value) = (
        serde_json::from_str(&compact).unwrap(),
        serde_json::from_str(&pretty).unwrap(),
    );
    assert_eq!(a, b);
}
