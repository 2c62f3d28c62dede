//! Golden runs of every built-in scenario, and the `run --json` contract of
//! `scenario-format.md`, checked through the real CLI binary.

use std::io::Write;
use std::process::{Command, Stdio};

use kcp::scenario::command::{Cleaned, Consumed};
use kcp::scenario::{self, builtin, RunOutput, StepResult};
use serde_json::Value;

fn run_builtin(id: &str) -> RunOutput {
    let b = builtin::find(id).unwrap_or_else(|| panic!("no built-in scenario {id}"));
    builtin::run(b).unwrap_or_else(|e| panic!("{id}: {e}"))
}

/// The steps of a given command word, in order.
fn steps<'a>(out: &'a RunOutput, word: &str) -> Vec<&'a StepResult> {
    out.steps.iter().filter(|s| s.command == word).collect()
}

fn consumed(step: &StepResult) -> &Consumed {
    step.consumed().expect("a consume step")
}

fn offsets(step: &StepResult) -> Vec<i64> {
    consumed(step).records.iter().map(|r| r.offset).collect()
}

fn cleaning(step: &StepResult) -> &Cleaned {
    step.cleaned().expect("a clean step")
}

fn cleaned(step: &StepResult) -> bool {
    cleaning(step).cleaned.is_some()
}

#[test]
fn every_built_in_scenario_parses_runs_and_says_what_it_teaches() {
    assert!(builtin::all().len() >= 10);
    for b in builtin::all() {
        assert!(!b.teaches.is_empty() && !b.title.is_empty());
        let out = builtin::run(b).unwrap_or_else(|e| panic!("{}: {e}", b.id));
        let rejected: Vec<_> = out.steps.iter().filter(|s| !s.ok).collect();
        // Only the team-stats tutorial sends a record without a key, on
        // purpose; the Java client's sticky partitioner picked partition 2.
        if b.id == "team-stats" {
            assert_eq!(rejected.len(), 1);
            assert_eq!(
                rejected[0].error.as_deref(),
                Some("Compacted topic cannot accept message without key in topic partition team_stats-2")
            );
        } else {
            assert!(rejected.is_empty(), "{}: {rejected:?}", b.id);
        }
    }
}

#[test]
fn log_compaction_basics_keeps_only_update_4_after_the_segment_rolls() {
    let out = run_builtin("log-compaction-basics");
    let cleans = steps(&out, "clean");
    assert!(!cleaned(cleans[0]), "the active segment is never cleaned");
    assert!(cleaned(cleans[1]));
    let consumes = steps(&out, "consume");
    assert_eq!(offsets(consumes[0]), vec![0, 1, 2, 3, 4]);
    assert_eq!(offsets(consumes[1]), vec![4]);
    assert_eq!(consumed(consumes[1]).records[0].value.as_deref(), Some("update-4"));
}

#[test]
fn the_docs_k1_k9_example_ends_with_the_documented_offsets() {
    let out = run_builtin("docs-k1-k9");
    let consumes = steps(&out, "consume");
    assert_eq!(offsets(consumes[0]), vec![13, 17, 19, 20, 21, 22]);
    assert_eq!(offsets(consumes[1]), vec![17, 20, 22, 25, 26, 27, 28]);
    let kv: Vec<(String, String)> = consumed(consumes[1])
        .records
        .iter()
        .map(|r| (r.key.clone().unwrap(), r.value.clone().unwrap()))
        .collect();
    let expected = [
        ("K5", "V2"),
        ("K7", "V1"),
        ("K4", "V6"),
        ("K1", "V9"),
        ("K9", "V6"),
        ("K8", "V22"),
        ("K2", "V25"),
    ];
    assert_eq!(kv, expected.map(|(k, v)| (k.to_string(), v.to_string())));
    assert_eq!(
        offsets(consumes[2])[0],
        20,
        "a fetch from removed offset 18 starts at 20"
    );
    assert!(consumed(consumes[2])
        .note
        .as_deref()
        .unwrap()
        .contains("offset 18 is no longer in the log"));
}

#[test]
fn team_stats_keeps_each_teams_latest_stats() {
    let out = run_builtin("team-stats");
    let mut latest = std::collections::BTreeMap::new();
    for c in steps(&out, "consume") {
        for r in &consumed(c).records {
            latest.insert(r.key.clone().unwrap(), r.value.clone().unwrap());
        }
    }
    assert_eq!(
        latest["team-1"],
        r#"{"team": "team-1", "processed": 180, "flagged": 25}"#
    );
    assert_eq!(
        latest["team-2"],
        r#"{"team": "team-2", "processed": 120, "flagged": 9}"#
    );
    assert_eq!(latest["team-3"], r#"{"team": "team-3", "processed": 20, "flagged": 2}"#);
}

#[test]
fn the_user_profiles_state_store_deletes_user_5_and_later_drops_the_tombstone() {
    let out = run_builtin("user-profiles-state-store");
    let mut state = std::collections::BTreeMap::new();
    let mut tombstones = 0;
    for t in &out.topics {
        for p in &t.partitions {
            for s in &p.segments {
                for b in &s.batches {
                    for r in &b.records {
                        match &r.value {
                            Some(v) => {
                                state.insert(r.key.clone().unwrap(), v.clone());
                            }
                            None => {
                                tombstones += 1;
                                state.remove(r.key.as_ref().unwrap());
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(!state.contains_key("user-5"));
    assert_eq!(state.len(), 9);
    assert!(state["user-1"].contains("\"version\": 3"));
    assert!(state["user-4"].contains("\"version\": 2"));
    assert_eq!(tombstones, 0, "the tombstone is gone after its horizon");
    let consumes = steps(&out, "consume");
    let p1: Vec<_> = consumes[3..].iter().map(|c| offsets(c)).collect();
    assert_eq!(
        p1,
        vec![vec![0, 1, 2], vec![0, 2], vec![3]],
        "tombstone at 2 kept, then dropped"
    );
    let stamped = &consumed(consumes[4]).records;
    assert!(stamped[1].value.is_none());
}

#[test]
fn a_tombstone_outlives_its_horizon_until_the_log_is_cleaned_again() {
    let out = run_builtin("tombstone-lingers");
    let cleans = steps(&out, "clean");
    assert!(cleaned(cleans[0]));
    assert!(!cleaned(cleans[1]), "a clean log is not chosen, horizon or not");
    assert!(cleaned(cleans[2]));
    let consumes = steps(&out, "consume");
    assert_eq!(offsets(consumes[0]), vec![1, 2]);
    assert_eq!(offsets(consumes[1]), vec![1, 2], "the expired tombstone is still there");
    assert_eq!(offsets(consumes[2]), vec![1, 3, 4]);
    let first = cleaning(cleans[0]).cleaned.clone().unwrap();
    assert_eq!(first.delete_horizon_ms, kcp::clock::START_MS + 60_000);
}

#[test]
fn a_dirty_ratio_exactly_at_the_threshold_does_not_clean() {
    let out = run_builtin("dirty-ratio-threshold");
    let cleans = steps(&out, "clean");
    assert!(cleaned(cleans[0]));
    let sel = &cleaning(cleans[1]).selection[0];
    assert_eq!(sel.dirty_ratio, 0.5);
    assert!(!sel.eligible);
    assert_eq!(
        sel.reason.to_string(),
        "dirty ratio 0.50 is not above min.cleanable.dirty.ratio 0.50"
    );
    assert!(!cleaned(cleans[1]));
    assert!(cleaned(cleans[2]));
}

#[test]
fn min_compaction_lag_protects_fresh_segments_until_the_lag_has_passed() {
    let out = run_builtin("min-compaction-lag");
    let cleans = steps(&out, "clean");
    assert!(!cleaned(cleans[0]) && !cleaned(cleans[1]));
    assert!(cleaning(cleans[0]).selection[0]
        .reason
        .to_string()
        .contains("min.compaction.lag.ms"));
    assert!(cleaned(cleans[2]));
}

#[test]
fn max_compaction_lag_rolls_the_segment_and_forces_a_cleaning() {
    let out = run_builtin("max-compaction-lag");
    let produces = steps(&out, "produce");
    assert_eq!(
        produces.last().unwrap().produced().unwrap().rolled.as_deref(),
        Some("max.compaction.lag.ms")
    );
    let cleans = steps(&out, "clean");
    assert!(!cleaned(cleans[0]));
    assert!(cleaned(cleans[1]));
    let sel = &cleaning(cleans[1]).selection[0];
    assert!(sel.eligible && sel.max_compaction_delay_ms > 0);
    assert!(
        sel.reason
            .to_string()
            .starts_with("max.compaction.lag.ms exceeded by 1000 ms"),
        "{}",
        sel.reason
    );
}

#[test]
fn a_small_dedupe_buffer_cleans_in_three_rounds() {
    let out = run_builtin("small-dedupe-buffer");
    let ends: Vec<i64> = steps(&out, "clean")
        .iter()
        .map(|s| cleaning(s).cleaned.as_ref().expect("each round cleans").end_offset)
        .collect();
    assert_eq!(ends, vec![3, 6, 9]);
    assert_eq!(offsets(steps(&out, "consume")[0]), vec![2, 4, 5, 6, 7, 8]);
}

#[test]
fn the_active_segment_keeps_its_duplicates_until_it_rolls() {
    let out = run_builtin("active-segment-never-cleaned");
    let cleans = steps(&out, "clean");
    assert!(!cleaned(cleans[0]) && !cleaned(cleans[1]) && cleaned(cleans[2]));
    assert_eq!(offsets(steps(&out, "consume")[1]), vec![3, 4, 5]);
}

// ------------------------------------------------------------ the CLI contract

fn cli(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_playground"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI starts");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

const CONTRACT_SCRIPT: &str = "\
# the example of scenario-format.md
topic t cleanup.policy=compact segment.bytes=490
produce t K1:V1
produce t K2:V1
produce t K1:V2
produce t K3:V1
produce t K1:V3
produce t K2:V2
produce t K4:V1
produce t NULL:oops
tombstone t K3
clean
consume t/0 from=1
produce t/0 ts=1704067200005 weird key: a:b {\"json\": true}
";

#[test]
fn run_json_matches_the_contract_field_for_field() {
    let (code, stdout, stderr) = cli(&["run", "-", "--json"], CONTRACT_SCRIPT);
    assert_eq!(code, 0, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["now_ms"], 1704067200000i64);
    let t = &v["topics"][0];
    assert_eq!(t["name"], "t");
    assert_eq!(t["config"]["cleanup.policy"], "compact");
    assert_eq!(t["config"]["segment.bytes"], "490");
    assert_eq!(t["config"]["min.cleanable.dirty.ratio"], "0.5");
    assert_eq!(t["config"]["delete.retention.ms"], "86400000");
    let p = &t["partitions"][0];
    for field in ["partition", "log_start_offset", "log_end_offset", "first_dirty_offset"] {
        assert!(p[field].is_i64(), "{field}");
    }
    assert_eq!(p["log_end_offset"], 9);
    assert_eq!(p["first_dirty_offset"], 6);
    let seg = &p["segments"][0];
    assert_eq!(seg["base_offset"], 0);
    assert_eq!(seg["active"], false);
    assert!(seg["size_bytes"].is_u64());
    let batch = &seg["batches"][0];
    for field in ["base_offset", "last_offset", "size_bytes", "max_timestamp_ms"] {
        assert!(batch[field].is_i64(), "{field}");
    }
    assert!(batch["delete_horizon_ms"].is_null());
    assert_eq!(batch["size_bytes"], 72);
    let rec = &batch["records"][0];
    assert_eq!(rec["offset"], 3);
    assert_eq!(rec["timestamp_ms"], 1704067200000i64);
    assert_eq!(rec["key"], "K3");
    assert_eq!(rec["value"], "V1");
    let active = &p["segments"][1];
    assert_eq!(active["active"], true);
    let tomb = &active["batches"][1]["records"][0];
    assert_eq!(tomb["key"], "K3");
    assert!(tomb["value"].is_null());

    let steps = v["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 13);
    assert_eq!(steps[0]["line"], 2);
    assert_eq!(steps[0]["command"], "topic");
    assert_eq!(steps[1]["command"], "produce");
    assert_eq!(
        (
            steps[1]["ok"].as_bool(),
            &steps[1]["topic"],
            &steps[1]["partition"],
            &steps[1]["offset"]
        ),
        (Some(true), &Value::from("t"), &Value::from(0), &Value::from(0))
    );
    assert_eq!(steps[8]["ok"], false);
    assert_eq!(
        steps[8]["error"],
        "Compacted topic cannot accept message without key in topic partition t-0"
    );
    assert_eq!(steps[9]["command"], "tombstone");
    assert_eq!(steps[9]["offset"], 7);
    let clean = &steps[10];
    assert_eq!(clean["command"], "clean");
    let sel = &clean["selection"][0];
    assert_eq!(sel["topic"], "t");
    assert_eq!(sel["partition"], 0);
    assert_eq!(sel["first_dirty_offset"], 0);
    assert_eq!(sel["first_uncleanable_offset"], 6);
    assert_eq!(sel["clean_bytes"], 0);
    assert_eq!(sel["cleanable_bytes"], 432);
    assert_eq!(sel["dirty_ratio"], 1.0);
    assert_eq!(sel["eligible"], true);
    assert_eq!(sel["reason"], "dirty ratio 1.00 > min.cleanable.dirty.ratio 0.50");
    let c = &clean["cleaned"];
    assert_eq!(c["topic"], "t");
    assert_eq!(c["partition"], 0);
    assert_eq!(c["first_dirty_offset"], 0);
    assert_eq!(c["end_offset"], 6);
    assert_eq!(c["messages_read"], 6);
    assert_eq!(c["messages_written"], 3);
    assert_eq!(c["bytes_read"], 432);
    assert_eq!(c["bytes_written"], 216);
    let consume = &steps[11];
    assert_eq!(consume["records"][0]["offset"], 3);
    assert_eq!(consume["records"][0]["key"], "K3");
    // The value is the rest of the line, verbatim: spaces, colons, JSON.
    assert_eq!(steps[12]["offset"], 8);
    let last = &p["segments"][1]["batches"][2]["records"][0];
    assert_eq!(last["key"], "weird key");
    assert_eq!(last["value"], " a:b {\"json\": true}");
    assert_eq!(last["timestamp_ms"], 1704067200005i64);
}

#[test]
fn a_clean_that_cleans_nothing_reports_cleaned_null() {
    let (code, stdout, _) = cli(
        &["run", "-", "--json"],
        "topic t cleanup.policy=compact\nproduce t a:1\nclean\n",
    );
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let clean = &v["steps"][2];
    assert!(clean["cleaned"].is_null());
    assert!(clean.get("cleaned").is_some(), "cleaned is present, as null");
    assert_eq!(clean["selection"][0]["eligible"], false);
}

#[test]
fn a_syntax_error_names_its_line_and_nothing_runs() {
    let (code, stdout, stderr) = cli(&["run", "-", "--json"], "topic t\nproduce t no-colon-here\n");
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.starts_with("line 2: "), "{stderr}");
    let (code, _, stderr) = cli(&["run", "-"], "topic t\n\n  # comment\nadvance 5 minutes\n");
    assert_eq!(code, 2);
    assert!(stderr.starts_with("line 4: "), "{stderr}");
}

#[test]
fn strict_mode_fails_when_a_command_was_rejected() {
    let script = "topic t cleanup.policy=compact\nproduce t NULL:v\n";
    assert_eq!(cli(&["run", "-"], script).0, 0);
    assert_eq!(cli(&["run", "-", "--strict"], script).0, 1);
    assert_eq!(cli(&["run", "-", "--strict"], "topic t\n").0, 0);
}

#[test]
fn the_readable_report_dumps_segments_like_kafka_dump_log() {
    let (code, stdout, _) = cli(&["run", "-"], CONTRACT_SCRIPT);
    assert_eq!(code, 0);
    assert!(stdout.contains("Dumping 00000000000000000000.log"));
    assert!(stdout.contains("baseOffset: 3 lastOffset: 3 count: 1"));
    assert!(stdout.contains(
        "| offset: 3 CreateTime: 1704067200000 keySize: 2 valueSize: 2 sequence: -1 headerKeys: [] key: K3 payload: V1"
    ));
    assert!(stdout.contains("Log cleaner thread 0 cleaned log t-0 (dirty section = [0, 6])"));
    assert!(stdout.contains("50.0% size reduction (50.0% fewer messages)"));
}

#[test]
fn a_rejected_command_changes_nothing() {
    let ok = scenario::run("topic t cleanup.policy=compact segment.bytes=1000\nproduce t a:1\n").unwrap();
    let with_rejections = scenario::run(
        "topic t cleanup.policy=compact segment.bytes=1000\nproduce t a:1\nalter t segment.bytes=2000 min.cleanable.dirty.ratio=7\nproduce t NULL:x\ntopic t\nbroker log.cleaner.threads=0\ngenerate t count=3 keys=1 value-bytes=2000\nconsume t/0 from=99\nroll t/5\nclean t/9\n",
    )
    .unwrap();
    assert!(
        with_rejections.steps[2..].iter().all(|s| !s.ok),
        "{:?}",
        with_rejections.steps
    );
    assert_eq!(ok.topics, with_rejections.topics);
    assert_eq!(ok.broker_config, with_rejections.broker_config);
}

#[test]
fn unset_puts_a_topic_config_back_to_the_broker_default() {
    let out = scenario::run(
        "topic t cleanup.policy=compact segment.ms=5000 min.cleanable.dirty.ratio=0.1\nunset t segment.ms min.cleanable.dirty.ratio\nunset t segment.bytes\nbroker log.cleaner.min.cleanable.ratio=0.3\n",
    )
    .unwrap();
    assert!(out.steps[1].ok);
    let t = &out.topics[0];
    assert_eq!(t.config["segment.ms"], "604800000");
    assert_eq!(
        t.config["min.cleanable.dirty.ratio"], "0.3",
        "the broker default applies again"
    );
    assert_eq!(t.overrides.keys().collect::<Vec<_>>(), vec!["cleanup.policy"]);
    // Kafka 4.0's kafka-configs refuses to delete a config that is not set.
    assert_eq!(out.steps[2].error.as_deref(), Some("Invalid config(s): segment.bytes"));
    assert_eq!(kcp::scenario::parse("unset t segment.ms=1").unwrap_err().line, 1);
}

#[test]
fn rejected_steps_carry_kafkas_exception_name() {
    let out =
        scenario::run("topic t cleanup.policy=compact\nproduce t NULL:x\nalter t segment.ms=0\nconsume t/0 from=5\n")
            .unwrap();
    let names: Vec<_> = out.steps.iter().map(|s| s.error_name.as_deref()).collect();
    assert_eq!(
        names,
        vec![
            None,
            Some("InvalidRecordException"),
            Some("InvalidConfigurationException"),
            Some("OffsetOutOfRangeException")
        ]
    );
}

#[test]
fn equally_dirty_logs_say_that_kafka_leaves_their_order_open() {
    let out =
        scenario::run("topic t partitions=2 cleanup.policy=compact\nproduce t/0 k:v\nproduce t/1 k:v\nroll t\nclean\n")
            .unwrap();
    let selection = &out.steps.last().unwrap().cleaned().unwrap().selection;
    assert!(selection[0].chosen, "topic, then partition order picks t-0");
    let tied = selection[1].reason.to_string();
    assert!(!selection[1].chosen);
    assert!(
        tied.contains("exactly as dirty as t-0, which was picked: Kafka leaves the order of equally dirty logs open"),
        "{tied}"
    );
}
