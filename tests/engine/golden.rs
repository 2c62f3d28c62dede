//! Golden outputs: the `run --json` of every built-in scenario and of 250
//! seeded random scripts, byte for byte, as committed in `tests/golden/`
//! (an output above 1 MiB as a summary and a checksum: see [`held`]).
//!
//! A refactoring must not change what a script does; a deliberate change of
//! behaviour updates the files in the same commit, so the diff shows what a
//! script now observes differently. To rewrite them:
//!
//! ```text
//! KCP_UPDATE_GOLDEN=1 cargo test --test engine golden
//! ```

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use kcp::scenario::command::WORDS;
use kcp::scenario::{self, builtin};

use crate::random_scripts;

/// How many random scripts the golden file holds.
const RANDOM_SCRIPTS: u64 = 250;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn updating() -> bool {
    std::env::var_os("KCP_UPDATE_GOLDEN").is_some()
}

/// Compares `actual` with the file, or writes it when updating.
fn check(path: &Path, actual: &str) {
    if updating() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e} (KCP_UPDATE_GOLDEN=1 writes it)", path.display()));
    if expected != actual {
        let (e, a): (Vec<_>, Vec<_>) = (expected.lines().collect(), actual.lines().collect());
        let first = e
            .iter()
            .zip(&a)
            .position(|(x, y)| x != y)
            .unwrap_or(e.len().min(a.len()));
        panic!(
            "{} differs from the engine's output at line {}:\n  golden: {}\n  now:    {}",
            path.display(),
            first + 1,
            e.get(first).map_or("<end of file>", |s| &s[..s.len().min(400)]),
            a.get(first).map_or("<end of output>", |s| &s[..s.len().min(400)]),
        );
    }
}

#[test]
fn every_built_in_scenario_gives_its_golden_json() {
    for b in builtin::all() {
        // With the files its `import` lines name, as the CLI finds them.
        let out = builtin::run(b).unwrap_or_else(|e| panic!("{}: {e}", b.id));
        let json = serde_json::to_string_pretty(&out).unwrap() + "\n";
        check(&golden_dir().join(format!("builtins/{}.json", b.id)), &held(&json));
    }
}

/// The largest output held whole; above it (the sample partition of
/// thousands of records) the file holds the steps, each partition's
/// segments (base offset, bytes, records) and the CRC-32C of the whole
/// output: any change fails, and the diff still says where.
const HELD_WHOLE_BYTES: usize = 1 << 20;

fn held(json: &str) -> String {
    if json.len() <= HELD_WHOLE_BYTES {
        return json.to_string();
    }
    let out: serde_json::Value = serde_json::from_str(json).unwrap();
    let partitions: Vec<serde_json::Value> = out["topics"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| {
            t["partitions"].as_array().unwrap().iter().map(move |p| {
                let segments: Vec<serde_json::Value> = p["segments"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|seg| {
                        let records: usize = seg["batches"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|b| b["records"].as_array().map_or(0, Vec::len))
                            .sum();
                        serde_json::json!({
                            "base_offset": seg["base_offset"],
                            "size_bytes": seg["size_bytes"],
                            "records": records,
                        })
                    })
                    .collect();
                serde_json::json!({
                    "topic": t["name"],
                    "partition": p["partition"],
                    "log_start_offset": p["log_start_offset"],
                    "log_end_offset": p["log_end_offset"],
                    "segments": segments,
                })
            })
        })
        .collect();
    let summary = serde_json::json!({
        "whole_output": { "bytes": json.len(), "crc32c": kcp::batch::crc32c::crc32c(json.as_bytes()) },
        "steps": out["steps"],
        "partitions": partitions,
    });
    serde_json::to_string_pretty(&summary).unwrap() + "\n"
}

#[test]
fn seeded_random_scripts_give_their_golden_json() {
    let mut file = String::new();
    for seed in 0..RANDOM_SCRIPTS {
        let script = random_scripts::script(seed);
        let json = match scenario::run(&script) {
            Ok(out) => serde_json::to_string(&out).unwrap(),
            Err(e) => format!("syntax error: {e}"),
        };
        // One script and its output per line pair, so a diff names the seed.
        writeln!(file, "seed {seed} script {}", serde_json::to_string(&script).unwrap()).unwrap();
        writeln!(file, "seed {seed} output {json}").unwrap();
    }
    check(&golden_dir().join("random-scripts.txt"), &file);
}

/// How many random time scripts join the golden scripts in the coverage
/// check (`load` and `run` came after the golden scripts were fixed).
const TIME_SCRIPTS: u64 = 100;

/// How many random transactional scripts the coverage check runs.
const TXN_SCRIPTS: u64 = 100;

/// The random scripts are only as good as what they reach: every command
/// must run at least once accepted and once rejected (`clean` with and
/// without a partition counts as two), in the golden scripts or, for the
/// commands of the broker in time, the random time scripts.
#[test]
fn the_random_scripts_reach_every_command_accepted_and_rejected() {
    let mut accepted = BTreeSet::new();
    let mut rejected = BTreeSet::new();
    let mut cleaned = 0;
    let scripts = (0..RANDOM_SCRIPTS)
        .map(|seed| (seed, random_scripts::script(seed)))
        .chain((0..TIME_SCRIPTS).map(|seed| (seed, random_scripts::time_script(seed))))
        .chain((0..TXN_SCRIPTS).map(|seed| (seed, random_scripts::txn_script(seed))));
    for (seed, script) in scripts {
        let out = scenario::run(&script).unwrap_or_else(|e| panic!("seed {seed}: {e}\n{script}"));
        let lines: Vec<&str> = script.lines().collect();
        for step in &out.steps {
            let text = lines[step.line - 1];
            let word = if text == "clean" || text.starts_with("clean ") && text.contains('/') {
                if text == "clean" {
                    "clean"
                } else {
                    "clean t/p"
                }
            } else {
                step.command.as_str()
            };
            if step.ok {
                accepted.insert(word.to_string());
            } else {
                rejected.insert(word.to_string());
            }
            if step.cleaned().is_some_and(|c| c.cleaned.is_some()) {
                cleaned += 1;
            }
        }
    }
    // Every command word, with `clean` split in two (with and without a partition).
    // `import` reads files beside a script, which random scripts have none
    // of: `log_files` runs it, accepted and rejected.
    let all = WORDS.iter().copied().filter(|w| *w != "import").chain(["clean t/p"]);
    // `clean` and `retention` (no arguments) can never be rejected.
    let never_rejected = ["clean", "retention"];
    for word in all {
        assert!(accepted.contains(word), "no random script ran an accepted {word}");
        assert!(
            never_rejected.contains(&word) || rejected.contains(word),
            "no random script ran a rejected {word}"
        );
    }
    assert!(
        cleaned > RANDOM_SCRIPTS as usize,
        "the random scripts cleaned only {cleaned} times"
    );
}

/// The random transactional scripts' `run --json`, as for the others.
#[test]
fn seeded_transactional_scripts_give_their_golden_json() {
    let mut file = String::new();
    for seed in 0..TXN_GOLDEN_SCRIPTS {
        let script = random_scripts::txn_script(seed);
        let json = match scenario::run(&script) {
            Ok(out) => serde_json::to_string(&out).unwrap(),
            Err(e) => format!("syntax error: {e}"),
        };
        writeln!(file, "seed {seed} script {}", serde_json::to_string(&script).unwrap()).unwrap();
        writeln!(file, "seed {seed} output {json}").unwrap();
    }
    check(&golden_dir().join("random-txn-scripts.txt"), &file);
}

/// How many random transactional scripts have golden outputs.
const TXN_GOLDEN_SCRIPTS: u64 = 40;
