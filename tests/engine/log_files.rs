//! Kafka's files in and out: the export of a session as a broker's log
//! directory, checked against Kafka's own rules and tools.
//!
//! Checked over every built-in scenario and seeded random scripts: each
//! `.log` is the segment's bytes with every batch's CRC-32C computed (and
//! each batch passes Kafka's checks); `.index` and `.timeindex` follow
//! `LogSegment.append`'s rule (their entry counts equal the ones the engine
//! keeps live for its roll rule, every offset-index entry points at a batch
//! start with that batch's last offset, time-index timestamps rise and end
//! at the segment's max); the checkpoints have Kafka's formats; Kafka
//! 4.0.0's own `kafka.tools.DumpLogSegments` prints exactly what our `dump`
//! prints for every exported file, with `--deep-iteration`,
//! `--print-data-log` and `--index-sanity-check`; the independent decoders
//! of `../shared/oracles/record-format/` (kafka-python, kafkajs, and the
//! Rust `kafka-protocol` crate when built) decode every export with their
//! strict checks and agree with each other and with the engine's records.
//!
//! Files Kafka itself writes (`kcp.oracle.LogFiles` in tests/kafka: every
//! codec, tombstones with delete horizons from Kafka's cleaner, and
//! transactional and idempotent producers with COMMIT and ABORT markers,
//! cleaned by Kafka, a transaction left open) import to what Kafka holds
//! (batches, producer fields, markers, horizons, aborted-transaction index,
//! last stable offset, read_committed view) and export back byte for byte;
//! cleaning them gives what Kafka's cleaner gives (sizes aside for the
//! compressed batches our compressor rewrote), and Kafka's `DumpLogSegments`
//! reads what we wrote.
//! Every transactional session's export (whole, cut in half, and before
//! its closing cleanings), opened by Kafka's `UnifiedLog` without producer
//! snapshots and cleaned by Kafka's `Cleaner`, equals the engine's import of
//! the same files cleaned over the same range at the same time, and the
//! live session's own cleaning.
//! Kafka's `UnifiedLog` opened on every export as after an unclean shutdown
//! (recovery from offset 0) truncates nothing and serves the engine's
//! batches and records.
//!
//! Kafka's classes run in one JVM per option set, with the harness's
//! classpath (`kafka_oracle`): skipped without java and mvn, except in CI.
//! The decoders are skipped, except in CI, when their runtime is missing.
//! `.ci/tools.sh` installs them under
//! `~/.local/share/kafka-compaction-playground/record-format/` (a venv with
//! kafka-python, kafkajs's packages, the built kafka-protocol oracle), where
//! they are looked for first; then the README's `/tmp/kp-venv`,
//! `/tmp/kp-node` and `/tmp/kp-rust-oracle-target`. `KCP_KP_PYTHON`,
//! `KCP_KJS_NODE_PATH` (or `NODE_PATH`) and `KCP_KP_RUST_ORACLE` override.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use kcp::batch::validate::check_batch;
use kcp::dump_log_segments::{dump, DumpFiles, DumpOptions};
use kcp::log::offset_index::OffsetIndex;
use kcp::log::time_index::TimeIndex;
use kcp::log::IsolationLevel;
use kcp::log_dir;
use kcp::log_manager::LogManager;
use kcp::record::TimestampType;
use kcp::scenario::{self, builtin};

use crate::kafka_oracle::kafka_classpath;
use crate::random_scripts;

/// Seeded random scripts exported besides the built-in scenarios.
const RANDOM_SCRIPTS: u64 = 40;
/// Seeded random transactional scripts (`random_scripts::txn_script`):
/// transactional and idempotent batches, COMMIT and ABORT markers, open
/// transactions and `.txnindex` files, before and after cleaning.
const TXN_SCRIPTS: u64 = 24;

fn scripts() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = builtin::all()
        .iter()
        .map(|b| (format!("builtin-{}", b.id), b.script.to_string()))
        .collect();
    for seed in 0..RANDOM_SCRIPTS {
        out.push((format!("random-{seed}"), random_scripts::oracle_script(seed)));
    }
    for seed in 0..TXN_SCRIPTS {
        out.push((format!("txn-{seed}"), random_scripts::txn_script(seed)));
    }
    out
}

fn run(script: &str) -> LogManager {
    let mut broker = LogManager::default();
    // A built-in's `import` lines get their files, as the CLI finds them
    // beside it: its export is then of a partition that came from files.
    if let Some(b) = builtin::all().iter().find(|b| b.script == script) {
        for (path, files) in builtin::import_files(b) {
            broker.provide_import_files(path, Ok(files));
        }
    }
    scenario::run_on(&mut broker, script).expect("the script parses");
    broker
}

/// The export as (relative path, bytes), in order.
fn export_files(broker: &LogManager) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    log_dir::export(broker, |path, bytes| {
        files.push((path.to_string(), bytes.to_vec()));
        Ok::<(), ()>(())
    })
    .unwrap();
    files
}

/// A fresh directory under the system's temp dir.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kcp-log-files-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write_export(broker: &LogManager, dir: &Path) {
    log_dir::export(broker, |path, bytes| {
        let target = dir.join(path);
        std::fs::create_dir_all(target.parent().unwrap())?;
        std::fs::write(target, bytes)
    })
    .unwrap();
}

/// Every exported script in its own directory; the paths of its segment
/// and index files.
fn exported(name: &str) -> (PathBuf, Vec<String>) {
    let root = temp_dir(name);
    let mut files = Vec::new();
    for (id, script) in scripts() {
        let dir = root.join(&id);
        write_export(&run(&script), &dir);
        for (path, _) in export_files(&run(&script)) {
            if [".log", ".index", ".timeindex", ".txnindex"]
                .iter()
                .any(|s| path.ends_with(s))
            {
                files.push(dir.join(path).display().to_string());
            }
        }
    }
    (root, files)
}

#[test]
fn a_log_file_is_the_segment_bytes_with_each_batch_crc_and_passes_kafkas_checks() {
    for (id, script) in scripts() {
        let broker = run(&script);
        let files = export_files(&broker);
        for topic in broker.topics() {
            for log in topic.partitions() {
                for segment in log.segments() {
                    let name = format!("{}-{}/{:020}.log", topic.name(), log.partition(), segment.base_offset());
                    let (_, bytes) = files
                        .iter()
                        .find(|(p, _)| *p == name)
                        .expect("every segment has its .log");
                    assert_eq!(bytes.len(), segment.as_bytes().len(), "{id} {name}");
                    let mut pos = 0;
                    for batch in segment.batches() {
                        let len = batch.as_bytes().len();
                        let written = &bytes[pos..pos + len];
                        // Only the CRC field (bytes 17..21) differs from memory.
                        assert_eq!(&written[..17], &batch.as_bytes()[..17], "{id} {name}");
                        assert_eq!(&written[21..], &batch.as_bytes()[21..], "{id} {name}");
                        assert_eq!(check_batch(written, true), Ok(()), "{id} {name} at {pos}");
                        pos += len;
                    }
                }
            }
        }
    }
}

#[test]
fn indexes_follow_the_segment_append_rule_and_point_at_their_batches() {
    for (id, script) in scripts() {
        let broker = run(&script);
        let files = export_files(&broker);
        let get = |p: &str| &files.iter().find(|(q, _)| q == p).unwrap().1;
        for topic in broker.topics() {
            for log in topic.partitions() {
                let last = log.segments().len() - 1;
                for (i, segment) in log.segments().iter().enumerate() {
                    let base = segment.base_offset();
                    let prefix = format!("{}-{}/{base:020}", topic.name(), log.partition());
                    let index = OffsetIndex::parse(base, get(&format!("{prefix}.index")));
                    let time = TimeIndex::parse(base, get(&format!("{prefix}.timeindex")));
                    // The engine counts entries as it appends (its roll rule
                    // needs them); the export rebuilds them from the bytes.
                    assert_eq!(
                        index.entries().len() as u64,
                        segment.offset_index_entries(),
                        "{id} {prefix}"
                    );
                    // A closed segment's time index is complete; the active
                    // one gets its closing entry from the clean shutdown.
                    let live = segment.time_index_entries();
                    let closing = u64::from(i == last && time.entries().len() as u64 == live + 1);
                    assert_eq!(time.entries().len() as u64, live + closing, "{id} {prefix}");
                    let log_bytes = get(&format!("{prefix}.log"));
                    for e in index.entries() {
                        let at = e.position as usize;
                        let b = segment
                            .batches()
                            .iter()
                            .scan(0usize, |p, b| {
                                let here = *p;
                                *p += b.as_bytes().len();
                                Some((here, b))
                            })
                            .find(|(p, _)| *p == at)
                            .map(|(_, b)| b)
                            .unwrap_or_else(|| panic!("{id} {prefix}: entry at {at} is not a batch start"));
                        assert_eq!(b.last_offset(), e.offset, "{id} {prefix}");
                        assert!(at > 0, "the first batch never gets an entry");
                        assert!(at < log_bytes.len());
                    }
                    let ts: Vec<i64> = time.entries().iter().map(|e| e.timestamp).collect();
                    assert!(ts.windows(2).all(|w| w[0] < w[1]), "{id} {prefix}: {ts:?}");
                    if let Some(max) = segment.batches().iter().map(|b| b.max_timestamp_ms()).max() {
                        if max >= 0 {
                            assert_eq!(ts.last(), Some(&max), "{id} {prefix}");
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn checkpoints_and_partition_metadata_have_kafkas_formats() {
    let broker = run("topic t partitions=2 cleanup.policy=compact\n\
         produce t/0 k:v1\nproduce t/0 k:v2\nproduce t/1 a:1\nroll t\nclean t/0\n\
         topic d retention.ms=1000 segment.ms=100\nproduce d k:v\nadvance 2s\nproduce d k:v\nretention\n");
    let files = export_files(&broker);
    let get = |p: &str| String::from_utf8(files.iter().find(|(q, _)| q == p).unwrap().1.clone()).unwrap();
    assert_eq!(get("cleaner-offset-checkpoint"), "0\n1\nt 0 2\n");
    assert_eq!(get("recovery-point-offset-checkpoint"), "0\n3\nd 0 2\nt 0 2\nt 1 1\n");
    assert_eq!(get("replication-offset-checkpoint"), "0\n3\nd 0 2\nt 0 2\nt 1 1\n");
    // Retention moved d-0's start to a segment base: not listed.
    assert_eq!(get("log-start-offset-checkpoint"), "0\n0\n");
    // t-0 was led at epoch 0 since its creation; cleaning removed offset 0
    // but not the epoch's start. d-0's start moved with retention.
    assert_eq!(get("t-0/leader-epoch-checkpoint"), "0\n1\n0 0\n");
    assert_eq!(get("d-0/leader-epoch-checkpoint"), "0\n1\n0 1\n");
    let meta = get("t-0/partition.metadata");
    assert!(
        meta.starts_with("version: 0\ntopic_id: ") && !meta.ends_with('\n'),
        "{meta:?}"
    );
    assert_eq!(meta, get("t-1/partition.metadata"));
    assert_ne!(meta, get("d-0/partition.metadata"));
    let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    assert!(names.contains(&"d-0/00000000000000000001.log"));
    assert!(!names.contains(&"d-0/00000000000000000000.log"));
}

/// Our dump reading the files from disk, as the CLI does.
struct Disk;

impl DumpFiles for Disk {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        std::fs::read(path).map_err(|e| e.to_string())
    }

    fn absolute(&self, path: &str) -> String {
        path.to_string()
    }
}

/// stderr as a set of blocks (a line and its indented lines): Kafka prints
/// them from hash maps, in no particular order.
fn stderr_blocks(text: &str) -> BTreeSet<String> {
    let mut blocks = BTreeSet::new();
    let mut current = String::new();
    for line in text.lines().filter(|l| !l.starts_with("SLF4J")) {
        if !line.starts_with("  ") && !current.is_empty() {
            blocks.insert(std::mem::take(&mut current));
        }
        current.push_str(line);
        current.push('\n');
    }
    if !current.is_empty() {
        blocks.insert(current);
    }
    blocks
}

#[test]
fn kafkas_dump_log_segments_prints_exactly_what_our_dump_prints() {
    let Some(classpath) = kafka_classpath() else {
        return;
    };
    let (root, files) = exported("dump");
    let list = files.join(",");
    let options: [(&[&str], DumpOptions); 5] = [
        (&[], DumpOptions::default()),
        (
            &["--deep-iteration"],
            DumpOptions {
                deep_iteration: true,
                ..DumpOptions::default()
            },
        ),
        (
            &["--print-data-log"],
            DumpOptions {
                print_data_log: true,
                ..DumpOptions::default()
            },
        ),
        (
            &["--deep-iteration", "--print-data-log"],
            DumpOptions {
                deep_iteration: true,
                print_data_log: true,
                ..DumpOptions::default()
            },
        ),
        (
            &["--index-sanity-check"],
            DumpOptions {
                index_sanity_check: true,
                ..DumpOptions::default()
            },
        ),
    ];
    for (flags, opts) in options {
        let out = Command::new("java")
            .args(["-Dfile.encoding=UTF-8", "-Dsun.stdout.encoding=UTF-8", "-cp", classpath])
            .arg("kafka.tools.DumpLogSegments")
            .args(["--files", &list])
            .args(flags)
            .output()
            .expect("java runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let kafka = String::from_utf8(out.stdout).unwrap();
        let refs: Vec<&str> = files.iter().map(String::as_str).collect();
        let ours = dump(&refs, opts, &Disk);
        if kafka != ours.stdout {
            let (k, o): (Vec<&str>, Vec<&str>) = (kafka.lines().collect(), ours.stdout.lines().collect());
            let at = k
                .iter()
                .zip(&o)
                .position(|(a, b)| a != b)
                .unwrap_or(k.len().min(o.len()));
            panic!(
                "{flags:?}: our dump differs from Kafka's at line {}:\nKafka: {:?}\nours:  {:?}",
                at + 1,
                k.get(at),
                o.get(at)
            );
        }
        assert_eq!(
            stderr_blocks(&String::from_utf8_lossy(&out.stderr)),
            stderr_blocks(&ours.stderr),
            "{flags:?}: stderr"
        );
    }
    let _ = std::fs::remove_dir_all(root);
}

/// The oracles' folder: `../shared/oracles/record-format` beside the
/// repository, or `KCP_RECORD_FORMAT_ORACLES`.
fn oracle_dir() -> PathBuf {
    std::env::var_os("KCP_RECORD_FORMAT_ORACLES").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/oracles/record-format"),
        PathBuf::from,
    )
}

/// Where `.ci/tools.sh` (`ensure_record_format_oracles`) installs the
/// oracles' runtimes: `$XDG_DATA_HOME` or `~/.local/share`, then
/// `kafka-compaction-playground/record-format`.
fn installed_oracles() -> Option<PathBuf> {
    let data = std::env::var_os("XDG_DATA_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".local/share")))?;
    Some(data.join("kafka-compaction-playground/record-format"))
}

/// The first of `candidates` that exists.
fn first_existing(candidates: impl IntoIterator<Item = PathBuf>) -> Option<PathBuf> {
    candidates.into_iter().find(|p| p.exists())
}

/// `KCP_KP_PYTHON`, else the venv `.ci/tools.sh` makes, else the README's
/// `/tmp/kp-venv`.
fn python() -> PathBuf {
    std::env::var_os("KCP_KP_PYTHON").map_or_else(
        || {
            let tools = installed_oracles().map(|d| d.join("venv/bin/python"));
            first_existing(tools.into_iter().chain([PathBuf::from("/tmp/kp-venv/bin/python")]))
                .unwrap_or_else(|| PathBuf::from("/tmp/kp-venv/bin/python"))
        },
        PathBuf::from,
    )
}

/// `KCP_KJS_NODE_PATH`, else `NODE_PATH`, else the packages `.ci/tools.sh`
/// installs, else `/tmp/kp-node`.
fn node_path() -> Option<String> {
    std::env::var("KCP_KJS_NODE_PATH")
        .or_else(|_| std::env::var("NODE_PATH"))
        .ok()
        .or_else(|| {
            let tools = installed_oracles().map(|d| d.join("node/node_modules"));
            first_existing(tools.into_iter().chain([PathBuf::from("/tmp/kp-node/node_modules")]))
                .map(|p| p.display().to_string())
        })
}

/// `KCP_KP_RUST_ORACLE`, else the build `.ci/tools.sh` makes, else the
/// README's target directory.
fn rust_oracle() -> PathBuf {
    let readme = PathBuf::from("/tmp/kp-rust-oracle-target/release/kp-rust-oracle");
    std::env::var_os("KCP_KP_RUST_ORACLE").map_or_else(
        || {
            let tools = installed_oracles().map(|d| d.join("rust-oracle/bin/kp-rust-oracle"));
            first_existing(tools.into_iter().chain([readme.clone()])).unwrap_or(readme)
        },
        PathBuf::from,
    )
}

/// Whether the decoders can run; skips (or fails in CI) when not.
fn oracles_present() -> bool {
    let dir = oracle_dir();
    let py = dir.join("kp_dump_log.py").exists()
        && Command::new(python())
            .args(["-c", "import kafka.record"])
            .output()
            .is_ok_and(|o| o.status.success());
    let js = node_path().is_some_and(|p| {
        Command::new("node")
            .env("NODE_PATH", p)
            .args(["-e", "require('kafkajs/src/protocol/recordBatch/v0/decoder')"])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if !(py && js) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but the record-format oracles cannot run ({}: kafka-python {py}, kafkajs {js})",
            dir.display()
        );
        eprintln!(
            "SKIPPED: the record-format oracles need {} with kafka-python and kafkajs",
            dir.display()
        );
    }
    py && js
}

fn run_tool(cmd: &mut Command) -> String {
    let out = cmd.output().expect("the oracle runs");
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The engine's records of a partition as `--records-json` lines.
fn engine_records_json(log: &kcp::log::PartitionLog) -> String {
    let hex = |b: Option<&[u8]>| {
        b.map_or(serde_json::Value::Null, |b| {
            serde_json::Value::String(b.iter().map(|x| format!("{x:02x}")).collect())
        })
    };
    let mut out = String::new();
    for (batch, r) in log.records() {
        let headers: Vec<serde_json::Value> = r
            .headers
            .iter()
            .map(|(k, v)| serde_json::json!([String::from_utf8_lossy(k), hex(v)]))
            .collect();
        let line = serde_json::json!({
            "offset": r.offset, "timestamp": batch.timestamp_of(&r), "key": hex(r.key), "value": hex(r.value),
            "headers": headers, "isControl": batch.is_control(),
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

#[test]
fn independent_decoders_read_every_export_and_agree_with_the_engine() {
    if !oracles_present() {
        return;
    }
    let dir = oracle_dir();
    let node_path = node_path().unwrap();
    let rust_oracle = rust_oracle();
    let root = temp_dir("oracles");
    // Every file of every export, in order, through each decoder once.
    let (mut logs, mut checked, mut ours) = (Vec::new(), Vec::new(), String::new());
    // Not the transactional sessions: kafka-python and kafkajs yield no
    // record of a control batch, so their time-index check reads a marker's
    // timestamp as -1 (Kafka's own DumpLogSegments checks those exports).
    for (id, script) in scripts()
        .into_iter()
        .filter(|(_, script)| !script.contains("transactional.id="))
    {
        let broker = run(&script);
        write_export(&broker, &root.join(&id));
        for topic in broker.topics() {
            for log in topic.partitions() {
                let part = root.join(&id).join(format!("{}-{}", topic.name(), log.partition()));
                for segment in log.segments() {
                    let prefix = part
                        .join(format!("{:020}", segment.base_offset()))
                        .display()
                        .to_string();
                    logs.push(format!("{prefix}.log"));
                    // The segment and index files are strictly checked; the
                    // leader-epoch-checkpoint is not: it is Kafka's (from the
                    // log start), where the oracle expects the first surviving
                    // batch's offset.
                    for suffix in [".log", ".index", ".timeindex"] {
                        checked.push(format!("{prefix}{suffix}"));
                    }
                }
                ours.push_str(&engine_records_json(log));
            }
        }
    }
    let py = |args: &[&str], files: &[String]| {
        run_tool(
            Command::new(python())
                .arg(dir.join("kp_dump_log.py"))
                .args(args)
                .args(files),
        )
    };
    py(&["--print-data-log", "--strict"], &checked);
    // Node writes to a pipe asynchronously and may exit before a long
    // output is through; to a file it writes synchronously.
    let js_out = root.join("kafkajs.jsonl");
    let status = Command::new("node")
        .env("NODE_PATH", &node_path)
        .arg(dir.join("kjs_dump_log.js"))
        .args(&logs)
        .stdout(std::fs::File::create(&js_out).unwrap())
        .status()
        .expect("node runs");
    assert!(status.success(), "kjs_dump_log.js failed");
    let js = std::fs::read_to_string(&js_out).unwrap();
    assert_eq!(py(&["--json"], &logs), js, "kafka-python and kafkajs disagree");
    let parse = |s: &str| -> Vec<serde_json::Value> { s.lines().map(|l| serde_json::from_str(l).unwrap()).collect() };
    let records = py(&["--records-json"], &logs);
    let (theirs, ours) = (parse(&records), parse(&ours));
    assert_eq!(theirs.len(), ours.len(), "record counts");
    for (t, o) in theirs.iter().zip(&ours) {
        assert_eq!(t, o, "kafka-python and the engine disagree");
    }
    if rust_oracle.exists() {
        let rust = run_tool(Command::new(&rust_oracle).args(&logs));
        assert_eq!(parse(&rust), theirs, "kafka-protocol disagrees");
    } else {
        eprintln!(
            "(the kafka-protocol oracle is not built at {}; not compared)",
            rust_oracle.display()
        );
    }
    let _ = std::fs::remove_dir_all(root);
}

// ------------------------------------------------------------------ import

use kcp::log_dir::import::ImportFile;

/// The files of one partition directory of an export.
fn partition_files(files: &[(String, Vec<u8>)], dir: &str) -> Vec<ImportFile> {
    files
        .iter()
        .filter(|(p, _)| p.starts_with(&format!("{dir}/")))
        .map(|(p, b)| ImportFile {
            name: p.clone(),
            bytes: b.clone(),
        })
        .collect()
}

/// A broker with `source`'s broker settings and every topic created as in
/// `source` (same configs), each partition imported from `source`'s export.
fn reimport(source: &LogManager) -> LogManager {
    reimport_files(source, |_| true)
}

/// [`reimport`] of the exported files `keep` keeps, the clock at the
/// source's time.
fn reimport_files(source: &LogManager, keep: impl Fn(&str) -> bool) -> LogManager {
    let files: Vec<(String, Vec<u8>)> = export_files(source).into_iter().filter(|(p, _)| keep(p)).collect();
    let mut broker = LogManager::default();
    // The source's broker settings (its cleaner's offset map among them).
    let defaults = broker.broker_config().entries();
    let changed: Vec<(&str, String)> = source
        .broker_config()
        .entries()
        .into_iter()
        .filter(|e| !defaults.contains(e))
        .collect();
    let changed: Vec<(&str, &str)> = changed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    broker.alter_broker(&changed).unwrap();
    let behind = source.now_ms() - broker.now_ms();
    if behind > 0 {
        broker.advance_ms(behind).unwrap();
    }
    for topic in source.topics() {
        let configs: Vec<(&str, &str)> = topic.overrides().iter().collect();
        broker
            .create_topic(topic.name(), topic.partitions().len() as i64, &configs)
            .unwrap();
        for log in topic.partitions() {
            let dir = format!("{}-{}", topic.name(), log.partition());
            broker
                .import_partition(topic.name(), log.partition(), &partition_files(&files, &dir))
                .unwrap_or_else(|e| panic!("{dir}: {e}"));
        }
    }
    broker
}

#[test]
fn export_then_import_gives_the_same_partitions_and_the_same_files() {
    for (id, script) in scripts() {
        let source = run(&script);
        let copy = reimport(&source);
        for (a, b) in source.topics().zip(copy.topics()) {
            for (la, lb) in a.partitions().iter().zip(b.partitions()) {
                assert_eq!(la.log_start_offset(), lb.log_start_offset(), "{id}");
                assert_eq!(la.log_end_offset(), lb.log_end_offset(), "{id}");
                let segs = |l: &kcp::log::PartitionLog| -> Vec<(i64, Vec<u8>)> {
                    l.segments()
                        .iter()
                        .map(|s| (s.base_offset(), s.as_bytes().to_vec()))
                        .collect()
                };
                assert_eq!(segs(la), segs(lb), "{id} {}", la.topic_partition());
            }
        }
        // The same files, but for the cleaner's checkpoint: a partition
        // directory does not carry it (a broker given only the directory
        // starts cleaning at the log start too).
        let without_cleaner = |b: &LogManager| -> Vec<(String, Vec<u8>)> {
            export_files(b)
                .into_iter()
                .filter(|(p, _)| p != "cleaner-offset-checkpoint")
                .collect()
        };
        assert_eq!(without_cleaner(&source), without_cleaner(&copy), "{id}");
    }
}

/// Each segment's aborted transactions.
fn aborted(log: &kcp::log::PartitionLog) -> Vec<Vec<kcp::log::transaction_index::AbortedTxn>> {
    log.segments()
        .iter()
        .map(|s| s.txn_index().entries().to_vec())
        .collect()
}

#[test]
fn an_imported_transactional_partition_has_the_same_lso_index_and_reads_as_the_original() {
    let mut open_seen = false;
    let mut aborted_seen = false;
    let txn_sessions = scripts()
        .into_iter()
        .filter(|(id, script)| id.starts_with("txn-") || script.lines().any(|l| l.starts_with("producer ")));
    for (id, script) in txn_sessions {
        let source = run(&script);
        let copy = reimport(&source);
        let parts: Vec<(String, u32)> = source
            .topics()
            .flat_map(|t| t.partitions().iter().map(|l| (t.name().to_string(), l.partition())))
            .collect();
        for (topic, p) in &parts {
            let (a, b) = (source.partition(topic, *p).unwrap(), copy.partition(topic, *p).unwrap());
            let name = format!("{id} {}", a.topic_partition());
            assert_eq!(a.last_stable_offset(), b.last_stable_offset(), "{name}: LSO");
            assert_eq!(
                a.producer_state().first_unstable_offset(),
                b.producer_state().first_unstable_offset(),
                "{name}: open transactions"
            );
            assert_eq!(aborted(a), aborted(b), "{name}: aborted transactions");
            open_seen |= a.last_stable_offset() < a.log_end_offset();
            aborted_seen |= aborted(a).iter().any(|s| !s.is_empty());
            for isolation in [IsolationLevel::ReadCommitted, IsolationLevel::ReadUncommitted] {
                let from = a.log_start_offset();
                assert_eq!(
                    a.read_isolated(from, usize::MAX, isolation).unwrap(),
                    b.read_isolated(from, usize::MAX, isolation).unwrap(),
                    "{name}: {isolation:?}"
                );
            }
            // Without the aborted-transaction index the import rebuilds it
            // from the markers: the same read_committed view.
            let rebuilt = reimport_files(&source, |f| !f.ends_with(".txnindex"));
            let c = rebuilt.partition(topic, *p).unwrap();
            assert_eq!(a.last_stable_offset(), c.last_stable_offset(), "{name}: LSO, rebuilt");
            assert_eq!(
                a.read_isolated(a.log_start_offset(), usize::MAX, IsolationLevel::ReadCommitted)
                    .unwrap(),
                c.read_isolated(a.log_start_offset(), usize::MAX, IsolationLevel::ReadCommitted)
                    .unwrap(),
                "{name}: read_committed, rebuilt"
            );
        }
    }
    eprintln!("open transactions seen: {open_seen}, aborted transactions seen: {aborted_seen}");
    assert!(
        open_seen || aborted_seen,
        "the sessions have open or aborted transactions"
    );
}

/// After an import the producer state is rebuilt from the bytes, as a
/// Kafka broker rebuilds it when it opens a partition directory without
/// producer snapshots (an export has none). It can differ from the live
/// session's (which remembers producers whose batches the cleaner already
/// removed), so the oracle is Kafka: each transactional session's export
/// opened by Kafka's `UnifiedLog` and cleaned by its `Cleaner` over the same
/// range at the same time as the engine cleans its import of the same files.
#[test]
fn an_imported_transactional_partition_cleans_as_kafka_cleans_the_same_files() {
    let Some(classpath) = kafka_classpath() else {
        return;
    };
    let root = temp_dir("txn-clean");
    // (name, the engine's copy, topic, partition, directory, clock, range, configs)
    let mut cases = Vec::new();
    // Each session whole (ended by cleanings: little is left to clean) and
    // cut in half (dirty data, aborted batches, open transactions, which
    // time out before the whole sessions end), and one more left open.
    let mut sessions: Vec<(String, String)> = Vec::new();
    for (id, script) in scripts() {
        if script.contains("transactional.id=") {
            let lines: Vec<&str> = script.lines().collect();
            sessions.push((format!("{id}-half"), lines[..lines.len() / 2].join("\n") + "\n"));
            // And up to the roll before its closing cleanings (each of the
            // three rounds: roll, clean each partition, advance, produce to
            // each; then a read of each partition).
            if id.starts_with("txn-") {
                let p: usize = lines
                    .iter()
                    .find_map(|l| l.split(' ').find_map(|w| w.strip_prefix("partitions=")))
                    .and_then(|n| n.parse().ok())
                    .expect("the topic line");
                let cut = lines.len() - (3 * (2 + 2 * p) + p) + 1;
                assert_eq!(
                    (lines[cut - 1], lines[cut]),
                    ("roll t", "clean t/0"),
                    "{id}: the closing rounds"
                );
                sessions.push((format!("{id}-dirty"), lines[..cut].join("\n") + "\n"));
            }
            sessions.push((id, script));
        }
    }
    sessions.push(("open-txn".to_string(), OPEN_TXN_SCRIPT.to_string()));
    // Each session live and as the engine imports its export.
    let mut brokers: BTreeMap<&str, (LogManager, LogManager)> = BTreeMap::new();
    for (id, script) in &sessions {
        let source = run(script);
        write_export(&source, &root.join(id));
        for topic in source.topics() {
            if !topic.config().cleanup_policy.compact {
                continue;
            }
            // The topic's configs and the broker's cleaner settings that
            // size the offset map (a small one cleans in several passes).
            let cleaner = [
                "log.cleaner.dedupe.buffer.size",
                "log.cleaner.threads",
                "log.cleaner.io.buffer.load.factor",
            ];
            let configs: Vec<String> = topic
                .overrides()
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .chain(
                    source
                        .broker_config()
                        .entries()
                        .into_iter()
                        .filter(|(k, _)| cleaner.contains(k))
                        .map(|(k, v)| format!("{k}={v}")),
                )
                .collect();
            for log in topic.partitions() {
                let dir = root.join(id).join(format!("{}-{}", topic.name(), log.partition()));
                // From the log start up to the segment of the last stable
                // offset, as the cleaner's planner bounds a first cleaning.
                let (from, upto) = (log.log_start_offset(), segment_base_at(log, log.last_stable_offset()));
                cases.push((
                    id.as_str(),
                    topic.name().to_string(),
                    log.partition(),
                    dir,
                    source.now_ms(),
                    from,
                    upto,
                    configs.join(","),
                ));
            }
        }
        let copy = reimport(&source);
        brokers.insert(id, (source, copy));
    }
    let parts: Vec<(&Path, i64, i64, i64, &str)> = cases
        .iter()
        .map(|(_, _, _, dir, now, from, upto, configs)| (dir.as_path(), *now, *from, *upto, configs.as_str()))
        .collect();
    let kafka = kafka_clean(classpath, &parts);
    assert_eq!(kafka.len(), cases.len());
    let (mut cleaned, mut aborted_seen, mut open_seen) = (0, false, false);
    for ((id, topic, p, _, _, from, upto, _), kafka) in cases.iter().zip(&kafka) {
        let (source, copy) = brokers.get_mut(id).unwrap();
        let name = format!("{id} {topic}-{p}");
        let before = partition_json(copy.partition(topic, *p).unwrap());
        copy.clean_range(topic, *p, *from, *upto).unwrap();
        let log = copy.partition(topic, *p).unwrap();
        assert_eq!(
            partition_json(log),
            comparable(kafka),
            "{name}: our cleaning differs from Kafka's"
        );
        assert_eq!(
            serde_json::json!(log.last_stable_offset()),
            kafka["last_stable_offset"],
            "{name}: LSO after cleaning"
        );
        assert_eq!(
            read_committed_json(log),
            kafka["read_committed"],
            "{name}: read_committed"
        );
        aborted_seen |= aborted(log).iter().any(|s| !s.is_empty());
        open_seen |= log.last_stable_offset() < log.log_end_offset();
        // The live session cleaned the same way cleans as Kafka too: the
        // state rebuilt from the bytes holds each producer's last batch at
        // the offset the live state holds (the cleaner keeps an active
        // producer's last batch, emptied if need be), and a transaction's
        // markers and index entries are in the files.
        source.clean_range(topic, *p, *from, *upto).unwrap();
        let live = source.partition(topic, *p).unwrap();
        assert_eq!(
            partition_json(live),
            comparable(kafka),
            "{name}: the live session cleans otherwise"
        );
        cleaned += usize::from(partition_json(log) != before);
    }
    // Many ranges had something to clean (a whole session's cleanings
    // left little, and a range ends at the last stable offset's segment).
    eprintln!("{cleaned} of {} partitions changed by the cleaning", cases.len());
    assert!(3 * cleaned > cases.len(), "{cleaned} of {}", cases.len());
    assert!(cases.len() > TXN_SCRIPTS as usize, "{}", cases.len());
    assert!(aborted_seen && open_seen, "aborted {aborted_seen}, open {open_seen}");
    let _ = std::fs::remove_dir_all(root);
}

/// A transaction left open among an idempotent producer's batches.
const OPEN_TXN_SCRIPT: &str =
    "topic balances cleanup.policy=compact segment.bytes=200 min.cleanable.dirty.ratio=0.01\n\
     producer payments transactional.id=payments-1\nproducer ledger\n\
     produce balances producer=ledger alice:1 bob:1\nbegin payments\n\
     produce balances producer=payments alice:100\n\
     produce balances producer=ledger alice:90 bob:50 carol:1\nproduce balances producer=ledger alice:80 bob:40\n\
     produce balances producer=ledger alice:70 bob:30\nproduce balances producer=ledger alice:60 bob:20\n";

#[test]
fn an_imported_open_transaction_holds_the_cleaner_back() {
    let source = run(OPEN_TXN_SCRIPT);
    let mut copy = reimport(&source);
    let log = copy.partition("balances", 0).unwrap();
    let lso = log.last_stable_offset();
    assert!(lso < log.log_end_offset(), "the transaction is still open");
    assert_eq!(lso, source.partition("balances", 0).unwrap().last_stable_offset());
    let run = copy.clean_partition("balances", 0).unwrap();
    let target = &run.selection[0];
    assert!(target.first_uncleanable_offset <= lso, "{target:?}");
}

/// The export of a small compacted partition with two batches in its
/// first segment, and that segment's `.log`.
fn small_export() -> Vec<u8> {
    let broker = run("topic t cleanup.policy=compact\nproduce t k:v1\nproduce t k:v2\n");
    export_files(&broker)
        .into_iter()
        .find(|(p, _)| p == "t-0/00000000000000000000.log")
        .unwrap()
        .1
}

fn import_one(bytes: Vec<u8>) -> Result<LogManager, String> {
    let mut broker = run("topic t cleanup.policy=compact\n");
    broker
        .import_partition(
            "t",
            0,
            &[ImportFile {
                name: "t-0/00000000000000000000.log".into(),
                bytes,
            }],
        )
        .map(|_| broker)
        .map_err(|e| e.to_string())
}

#[test]
fn corrupt_truncated_and_oversized_files_are_refused_naming_file_and_byte() {
    let good = small_export();
    assert_eq!(good.len(), 142);
    assert!(import_one(good.clone()).is_ok());
    // A flipped value byte: the second batch's CRC (at 71 + 17) no longer holds.
    let mut bad = good.clone();
    bad[140] ^= 0x20;
    let e = import_one(bad).unwrap_err();
    assert!(
        e.starts_with("cannot import t-0/00000000000000000000.log at byte 88: Record is corrupt (stored crc = "),
        "{e}"
    );
    // Cut inside the second batch.
    let e = import_one(good[..100].to_vec()).unwrap_err();
    assert_eq!(
        e,
        "cannot import t-0/00000000000000000000.log at byte 71: the batch of 71 bytes is truncated: the file ends \
         after 29 of them"
    );
    // A length field claiming more than the file holds.
    let mut big = good.clone();
    big[8..12].copy_from_slice(&i32::MAX.to_be_bytes());
    let e = import_one(big).unwrap_err();
    assert!(
        e.contains("at byte 0: the batch of 2147483659 bytes is truncated"),
        "{e}"
    );
    // A length below the v2 header.
    let mut small = good.clone();
    small[8..12].copy_from_slice(&10i32.to_be_bytes());
    let e = import_one(small).unwrap_err();
    assert!(
        e.contains("at byte 8: Found record size 10 smaller than minimum record overhead"),
        "{e}"
    );
    // A refused import changes nothing: the partition is still empty.
    let mut broker = run("topic t cleanup.policy=compact\n");
    let r = broker.import_partition(
        "t",
        0,
        &[ImportFile {
            name: "00000000000000000000.log".into(),
            bytes: good[..100].to_vec(),
        }],
    );
    assert!(r.is_err());
    assert_eq!(broker.partition("t", 0).unwrap().log_end_offset(), 0);
    assert_eq!(broker.usage().records, 0);
}

#[test]
fn import_needs_an_existing_empty_partition_and_refuses_what_the_engine_cannot_model() {
    let good = small_export();
    let mut broker = run("topic t cleanup.policy=compact\nproduce t k:v\n");
    let file = |bytes: Vec<u8>| {
        vec![ImportFile {
            name: "x/00000000000000000000.log".into(),
            bytes,
        }]
    };
    let e = broker
        .import_partition("t", 0, &file(good.clone()))
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "cannot import into t-0: the partition is not empty (log end offset 1); import fills an empty partition"
    );
    assert!(broker.import_partition("u", 0, &file(good.clone())).is_err());
    // A transactional batch (attribute bit 4), CRC recomputed so that only
    // the flag is refused.
    let mut txn = good[..71].to_vec();
    txn[22] |= 0x10;
    let crc = kcp::batch::crc32c::crc32c(&txn[21..]);
    txn[17..21].copy_from_slice(&crc.to_be_bytes());
    // is no longer refused.
    let mut empty = run("topic t\n");
    empty.import_partition("t", 0, &file(txn)).unwrap();
    assert_eq!(empty.partition("t", 0).unwrap().log_end_offset(), 1);
    // A `.txnindex` that is not whole entries of version 0 is refused.
    let mut torn = file(good.clone());
    torn.push(ImportFile {
        name: "x/00000000000000000000.txnindex".into(),
        bytes: vec![0; 35],
    });
    let e = run("topic t\n")
        .import_partition("t", 0, &torn)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("00000000000000000000.txnindex at byte 34: the transaction index is 35 bytes"),
        "{e}"
    );
    torn[1].bytes = [vec![0, 1], vec![0; 32]].concat();
    let e = run("topic t\n")
        .import_partition("t", 0, &torn)
        .unwrap_err()
        .to_string();
    assert!(e.contains("Unexpected aborted transaction version 1"), "{e}");
    // The CLI's path resolution: a script line with files it was given.
    let mut lm = run("topic t\n");
    lm.provide_import_files("dir", Ok(file(good)));
    let steps = scenario::parse("import t/0 dir\nconsume t/0\nimport t/0 nowhere\n").unwrap();
    let results: Vec<_> = steps.iter().map(|s| scenario::run_step(&mut lm, s)).collect();
    assert!(results[0].ok, "{:?}", results[0].error);
    assert_eq!(results[1].consumed().unwrap().records.len(), 2);
    assert!(results[2].error.as_deref().unwrap().contains("nowhere"));
}

// ------------------------------------------- files Kafka writes, compressed

/// `kcp.oracle.LogFiles` (tests/kafka) with `args`: Kafka's partition(s) as
/// JSON.
fn kafka_log_files(classpath: &str, args: &[&str]) -> serde_json::Value {
    let out = Command::new("java")
        .args(["-Xmx512m", "-cp", classpath, "kcp.oracle.LogFiles"])
        .args(args)
        .output()
        .expect("java runs");
    assert!(
        out.status.success(),
        "LogFiles {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("LogFiles prints JSON")
}

/// `LogFiles clean` of each (partition directory, clock, first dirty
/// offset, upper bound, topic configs as `name=value,...`), all in one JVM:
/// Kafka's partitions after `Cleaner.clean` over `[from, upto)`, each opened
/// without producer snapshots (the producer state rebuilt from the batches,
/// as the engine's import rebuilds it).
fn kafka_clean(classpath: &str, parts: &[(&Path, i64, i64, i64, &str)]) -> Vec<serde_json::Value> {
    let mut args = vec!["clean".to_string()];
    for (dir, now, from, upto, configs) in parts {
        args.push(dir.display().to_string());
        args.extend([now, from, upto].map(|n| n.to_string()));
        args.push((*configs).to_string());
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    match kafka_log_files(classpath, &refs) {
        serde_json::Value::Array(parts) => parts,
        other => panic!("LogFiles clean prints a list: {other}"),
    }
}

/// The records a read_committed consumer polling from the log start gets,
/// as the harness's `read_committed` prints them.
fn read_committed_json(log: &kcp::log::PartitionLog) -> serde_json::Value {
    let text = |b: &Option<Box<[u8]>>| b.as_deref().map(|b| String::from_utf8_lossy(b).into_owned());
    let records = log
        .read_isolated(log.log_start_offset(), usize::MAX, IsolationLevel::ReadCommitted)
        .unwrap();
    records
        .iter()
        .map(|r| serde_json::json!({"offset": r.offset, "timestamp_ms": r.timestamp_ms, "key": text(&r.key), "value": text(&r.value)}))
        .collect()
}

/// A partition as `Json.partition` of the harness prints it (the fields
/// both sides have; records' keys and values as UTF-8 text).
fn partition_json(log: &kcp::log::PartitionLog) -> serde_json::Value {
    let text = |b: Option<&[u8]>| b.map(|b| String::from_utf8_lossy(b).into_owned());
    let active = log.segments().len() - 1;
    let segments: Vec<serde_json::Value> = log
        .segments()
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let batches: Vec<serde_json::Value> = s
                .batches()
                .iter()
                .map(|b| {
                    let records: Vec<serde_json::Value> = b
                        .records()
                        .map(|r| {
                            if b.is_control() {
                                // The harness names a marker by its control type.
                                let kind = match r.key.and_then(|k| k.get(2..4)) {
                                    Some([0, 0]) => "ABORT",
                                    Some([0, 1]) => "COMMIT",
                                    _ => "UNKNOWN",
                                };
                                return serde_json::json!({"control": kind, "offset": r.offset,
                                    "timestamp_ms": b.timestamp_of(&r)});
                            }
                            serde_json::json!({"offset": r.offset, "timestamp_ms": b.timestamp_of(&r),
                                "key": text(r.key), "value": text(r.value)})
                        })
                        .collect();
                    let attributes = u16::from_be_bytes([b.as_bytes()[21], b.as_bytes()[22]]);
                    serde_json::json!({"base_offset": b.base_offset(), "last_offset": b.last_offset(),
                        "size_bytes": b.size_bytes(), "max_timestamp_ms": b.max_timestamp_ms(),
                        "delete_horizon_ms": b.delete_horizon_ms(), "producer_id": b.producer_id(),
                        "producer_epoch": b.producer_epoch(), "base_sequence": b.base_sequence(),
                        "transactional": b.is_transactional(), "control": b.is_control(),
                        "attributes": attributes, "records": records})
                })
                .collect();
            let aborted: Vec<serde_json::Value> = s
                .txn_index()
                .entries()
                .iter()
                .map(|t| {
                    serde_json::json!({"producer_id": t.producer_id, "first_offset": t.first_offset,
                        "last_offset": t.last_offset, "last_stable_offset": t.last_stable_offset})
                })
                .collect();
            serde_json::json!({"base_offset": s.base_offset(), "size_bytes": s.size_bytes(), "active": i == active,
                "aborted_transactions": aborted, "batches": batches})
        })
        .collect();
    serde_json::json!({"log_start_offset": log.log_start_offset(), "log_end_offset": log.log_end_offset(),
        "segments": segments})
}

/// The fields compared: Kafka's JSON without what only it has.
fn comparable(kafka: &serde_json::Value) -> serde_json::Value {
    serde_json::json!({"log_start_offset": kafka["log_start_offset"], "log_end_offset": kafka["log_end_offset"],
        "segments": kafka["segments"]})
}

/// Sizes are compared except for the compressed batches `rewritten` (by
/// base offset): those our compressor wrote, not Kafka's.
fn without_rewritten_sizes(mut p: serde_json::Value, rewritten: &BTreeSet<i64>) -> serde_json::Value {
    for s in p["segments"].as_array_mut().unwrap() {
        let mut any = false;
        for b in s["batches"].as_array_mut().unwrap() {
            if rewritten.contains(&b["base_offset"].as_i64().unwrap()) {
                b["size_bytes"] = serde_json::Value::Null;
                any = true;
            }
        }
        if any {
            s["size_bytes"] = serde_json::Value::Null;
        }
    }
    p
}

fn batches_of(log: &kcp::log::PartitionLog) -> impl Iterator<Item = &kcp::batch::RecordBatch> {
    log.segments().iter().flat_map(|s| s.batches().iter())
}

/// The files of a partition directory, for an import.
fn read_partition_dir(dir: &Path) -> Vec<ImportFile> {
    let mut files: Vec<ImportFile> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| ImportFile {
            name: e.path().display().to_string(),
            bytes: std::fs::read(e.path()).unwrap(),
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

/// Kafka's log layer writes partition `c-0` (`LogFiles` mode `mode`) in
/// a new temporary directory `name`, and the engine imports it into topic
/// `c`: the classpath, what Kafka printed, the partition directory and the
/// broker; `None` without Kafka's jars (outside CI).
fn kafka_written(mode: &str, name: &str) -> Option<(&'static str, serde_json::Value, PathBuf, LogManager)> {
    let classpath = kafka_classpath()?;
    let root = temp_dir(name);
    let written = kafka_log_files(classpath, &[mode, &root.display().to_string()]);
    let part = root.join("c-0");
    let mut broker = run("topic c cleanup.policy=compact delete.retention.ms=60000\n");
    broker
        .import_partition("c", 0, &read_partition_dir(&part))
        .unwrap_or_else(|e| panic!("{e}"));
    Some((classpath, written, part, broker))
}

#[test]
fn segments_kafka_writes_with_every_codec_import_exactly_and_clean_as_kafkas_cleaner_cleans() {
    let Some((classpath, written, part, mut broker)) = kafka_written("write", "kafka-codecs") else {
        return;
    };
    let root = part.parent().expect("c-0 sits in its root").to_path_buf();
    let log = broker.partition("c", 0).unwrap();
    // Every codec is there, and a delete horizon Kafka's cleaner stamped.
    let codecs: BTreeSet<u8> = batches_of(log).map(|b| b.compression_codec()).collect();
    assert_eq!(codecs, BTreeSet::from([0, 1, 2, 3, 4]));
    assert!(batches_of(log).any(|b| b.delete_horizon_ms().is_some() && b.compression_codec() != 0));
    assert_eq!(
        partition_json(log),
        comparable(&written),
        "the import differs from what Kafka holds"
    );
    // Exported again, every .log is Kafka's byte for byte.
    let files = export_files(&broker);
    for seg in log.segments() {
        let name = format!("{:020}.log", seg.base_offset());
        let ours = &files.iter().find(|(p, _)| *p == format!("c-0/{name}")).unwrap().1;
        assert_eq!(ours, &std::fs::read(part.join(&name)).unwrap(), "{name}");
    }
    // Kafka's own kafka-dump-log text of those files imports to the same
    // batches and records (header values and compressed bytes aside).
    let logs: Vec<String> = log
        .segments()
        .iter()
        .map(|s| part.join(format!("{:020}.log", s.base_offset())).display().to_string())
        .collect();
    let kafka_text = Command::new("java")
        .args([
            "-cp",
            classpath,
            "kafka.tools.DumpLogSegments",
            "--print-data-log",
            "--files",
        ])
        .arg(logs.join(","))
        .output()
        .unwrap();
    assert!(kafka_text.status.success());
    let from_text = import_dump_text(
        &String::from_utf8(kafka_text.stdout).unwrap(),
        "cleanup.policy=compact delete.retention.ms=60000",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(dump_carried(from_text.partition("t", 0).unwrap()), dump_carried(log));
    // Cleaned past the horizons: tombstones go, compressed batches that
    // lose records are rewritten with their codec.
    let now = kcp::clock::START_MS + 100_000;
    let before: Vec<(i64, usize, Option<i64>)> = batches_of(log)
        .map(|b| (b.base_offset(), b.record_count(), b.delete_horizon_ms()))
        .collect();
    let active = log.active_segment().base_offset();
    let cleaned = kafka_clean(
        classpath,
        &[(
            &part,
            now,
            0,
            active,
            "cleanup.policy=compact,delete.retention.ms=60000",
        )],
    );
    let cleaned = &cleaned[0];
    broker.set_clock_ms(now).unwrap();
    broker.clean_partition("c", 0).unwrap();
    let log = broker.partition("c", 0).unwrap();
    let rewritten: BTreeSet<i64> = batches_of(log)
        .filter(|b| b.compression_codec() != 0)
        .filter(|b| !before.contains(&(b.base_offset(), b.record_count(), b.delete_horizon_ms())))
        .map(|b| b.base_offset())
        .collect();
    assert!(!rewritten.is_empty(), "the test rewrites compressed batches");
    assert!(
        batches_of(log).any(|b| b.compression_codec() != 0 && !rewritten.contains(&b.base_offset())),
        "and copies some as they are"
    );
    assert_eq!(
        without_rewritten_sizes(partition_json(log), &rewritten),
        without_rewritten_sizes(comparable(cleaned), &rewritten),
        "our cleaning differs from Kafka's"
    );
    // What our compressor wrote, Kafka's own DumpLogSegments decodes, and
    // its text equals our dump's.
    let out_dir = root.join("ours");
    write_export(&broker, &out_dir);
    let logs: Vec<String> = log
        .segments()
        .iter()
        .map(|s| {
            out_dir
                .join(format!("c-0/{:020}.log", s.base_offset()))
                .display()
                .to_string()
        })
        .collect();
    let kafka = Command::new("java")
        .args([
            "-cp",
            classpath,
            "kafka.tools.DumpLogSegments",
            "--deep-iteration",
            "--files",
        ])
        .arg(logs.join(","))
        .output()
        .unwrap();
    assert!(kafka.status.success());
    let refs: Vec<&str> = logs.iter().map(String::as_str).collect();
    let ours = dump(
        &refs,
        DumpOptions {
            deep_iteration: true,
            ..DumpOptions::default()
        },
        &Disk,
    );
    assert_eq!(String::from_utf8(kafka.stdout).unwrap(), ours.stdout);
    let _ = std::fs::remove_dir_all(root);
}

/// The base of the segment holding `offset` (the active segment's when
/// past it): the upper bound Kafka's cleaner rounds a first uncleanable
/// offset down to.
fn segment_base_at(log: &kcp::log::PartitionLog, offset: i64) -> i64 {
    log.segment_index_for(offset)
        .map_or(log.active_segment().base_offset(), |i| log.segments()[i].base_offset())
}

#[test]
fn transactional_segments_kafka_writes_import_exactly_and_clean_as_kafkas_cleaner_cleans() {
    let Some((classpath, written, part, mut broker)) = kafka_written("write-txn", "kafka-txn") else {
        return;
    };
    let root = part.parent().expect("c-0 sits in its root").to_path_buf();
    let log = broker.partition("c", 0).unwrap();
    // What the harness wrote is there: transactional batches in every
    // codec, both markers (one with the delete horizon Kafka's second
    // cleaning stamped), an idempotent producer, aborted transactions in
    // the index and a transaction left open.
    let txn_codecs: BTreeSet<u8> = batches_of(log)
        .filter(|b| b.is_transactional() && !b.is_control())
        .map(|b| b.compression_codec())
        .collect();
    assert_eq!(txn_codecs, BTreeSet::from([0, 1, 2, 3, 4]));
    let markers: BTreeSet<&str> = written["segments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["batches"].as_array().unwrap())
        .flat_map(|b| b["records"].as_array().unwrap())
        .filter_map(|r| r["control"].as_str())
        .collect();
    assert_eq!(markers, BTreeSet::from(["ABORT", "COMMIT"]));
    assert!(batches_of(log).any(|b| b.is_control() && b.delete_horizon_ms().is_some()));
    assert!(batches_of(log).any(|b| !b.is_transactional() && b.producer_id() >= 0));
    assert!(aborted(log).iter().any(|s| !s.is_empty()));
    assert!(log.last_stable_offset() < log.log_end_offset(), "a transaction is open");
    assert_eq!(
        partition_json(log),
        comparable(&written),
        "the import differs from what Kafka holds"
    );
    assert_eq!(
        serde_json::json!(log.last_stable_offset()),
        written["last_stable_offset"]
    );
    assert_eq!(read_committed_json(log), written["read_committed"], "read_committed");
    // Exported again, every .log and .txnindex is Kafka's byte for byte.
    let files = export_files(&broker);
    for seg in log.segments() {
        for ext in ["log", "txnindex"] {
            let name = format!("{:020}.{ext}", seg.base_offset());
            let ours = files.iter().find(|(p, _)| *p == format!("c-0/{name}")).map(|(_, b)| b);
            let kafkas = std::fs::read(part.join(&name)).ok();
            // Kafka leaves an empty .txnindex; the export writes none.
            let kafkas = kafkas.filter(|b| !b.is_empty());
            assert_eq!(ours, kafkas.as_ref(), "{name}");
        }
    }
    // Cleaned again, past the horizons, up to the open transaction's
    // segment: the emptied markers and the tombstones go.
    let now = kcp::clock::START_MS + 100_000;
    let upper = segment_base_at(log, log.last_stable_offset());
    let before: Vec<(i64, usize, Option<i64>)> = batches_of(log)
        .map(|b| (b.base_offset(), b.record_count(), b.delete_horizon_ms()))
        .collect();
    let markers_before = batches_of(log).filter(|b| b.is_control()).count();
    let cleaned = kafka_clean(
        classpath,
        &[(&part, now, 0, upper, "cleanup.policy=compact,delete.retention.ms=60000")],
    );
    let cleaned = &cleaned[0];
    broker.set_clock_ms(now).unwrap();
    broker.clean_range("c", 0, 0, upper).unwrap();
    let log = broker.partition("c", 0).unwrap();
    assert!(
        batches_of(log).filter(|b| b.is_control()).count() < markers_before,
        "markers were removed"
    );
    let rewritten: BTreeSet<i64> = batches_of(log)
        .filter(|b| b.compression_codec() != 0)
        .filter(|b| !before.contains(&(b.base_offset(), b.record_count(), b.delete_horizon_ms())))
        .map(|b| b.base_offset())
        .collect();
    assert_eq!(
        without_rewritten_sizes(partition_json(log), &rewritten),
        without_rewritten_sizes(comparable(cleaned), &rewritten),
        "our cleaning differs from Kafka's"
    );
    assert_eq!(
        serde_json::json!(log.last_stable_offset()),
        cleaned["last_stable_offset"]
    );
    assert_eq!(
        read_committed_json(log),
        cleaned["read_committed"],
        "read_committed after cleaning"
    );
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn kafkas_unified_log_opened_on_every_export_recovers_without_truncating_and_serves_the_same_records() {
    let Some(classpath) = kafka_classpath() else {
        return;
    };
    let root = temp_dir("unified-log");
    let (mut dirs, mut ours, mut lsos) = (Vec::new(), Vec::new(), Vec::new());
    for (id, script) in scripts() {
        let broker = run(&script);
        write_export(&broker, &root.join(&id));
        // Kafka recovers every segment from offset 0 (`LogSegment.recover`
        // rebuilds each `.txnindex` from the markers and the producer state
        // from the batches): our import of the `.log` files alone, which
        // rebuilds them the same way.
        let rebuilt = reimport_files(&broker, |f| !f.ends_with(".txnindex"));
        for topic in rebuilt.topics() {
            for log in topic.partitions() {
                let dir = root.join(&id).join(format!("{}-{}", topic.name(), log.partition()));
                dirs.push(dir.display().to_string());
                ours.push((format!("{id} {}", log.topic_partition()), partition_json(log)));
                lsos.push(serde_json::json!(log.last_stable_offset()));
            }
        }
    }
    let mut args = vec!["open"];
    args.extend(dirs.iter().map(String::as_str));
    let opened = kafka_log_files(classpath, &args);
    let opened = opened.as_array().unwrap();
    assert_eq!(opened.len(), ours.len());
    for (i, (kafka, (name, ours))) in opened.iter().zip(&ours).enumerate() {
        // Recovery (an unclean shutdown, from offset 0) read every batch and
        // kept every byte.
        assert_eq!(
            kafka["sizes_before"], kafka["sizes_after"],
            "{name}: Kafka truncated a segment"
        );
        let total: u64 = kafka["sizes_before"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(kafka["bytes_after_recovery"].as_u64(), Some(total), "{name}");
        assert_eq!(
            kafka["partition"]["last_stable_offset"], lsos[i],
            "{name}: the LSO Kafka recovers"
        );
        assert_eq!(
            &comparable(&kafka["partition"]),
            ours,
            "{name}: Kafka serves other records"
        );
    }
    let _ = std::fs::remove_dir_all(root);
}

// ------------------------------------------------------ import of a dump

/// What a dump's text carries of a partition: every batch's header fields
/// but its size and CRC, and every record but its header values.
fn dump_carried(log: &kcp::log::PartitionLog) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for s in log.segments() {
        for b in s.batches() {
            let records: Vec<serde_json::Value> = b
                .records()
                .map(|r| {
                    let keys: Vec<String> = r
                        .headers
                        .iter()
                        .map(|(k, _)| String::from_utf8_lossy(k).into_owned())
                        .collect();
                    serde_json::json!([r.offset, b.timestamp_of(&r), r.key, r.value, keys])
                })
                .collect();
            let bytes = b.as_bytes();
            out.push(serde_json::json!({
                "segment": s.base_offset(), "base": b.base_offset(), "last": b.last_offset(),
                "count": b.record_count(), "max_ts": b.max_timestamp_ms(), "horizon": b.delete_horizon_ms(),
                // A LogAppendTime batch's records read as its time: the
                // dump does not show their own timestamps, nor the base.
                "base_ts": (b.timestamp_type() == TimestampType::CreateTime).then(|| b.base_timestamp_ms()),
                "attributes": [bytes[21], bytes[22]],
                "producer": [b.producer_id(), i64::from(b.producer_epoch()), i64::from(b.base_sequence())],
                "epoch": b.partition_leader_epoch(), "records": records,
            }));
        }
    }
    out
}

fn import_dump_text(text: &str, topic_configs: &str) -> Result<LogManager, String> {
    let mut broker = run(&format!("topic t {topic_configs}\n"));
    broker
        .import_partition(
            "t",
            0,
            &[ImportFile {
                name: "dump.txt".into(),
                bytes: text.as_bytes().to_vec(),
            }],
        )
        .map(|_| broker)
        .map_err(|e| e.to_string())
}

#[test]
fn a_dump_of_every_export_imports_as_the_same_partition() {
    let root = temp_dir("dump-import");
    let mut compared = 0;
    for (id, script) in scripts() {
        let source = run(&script);
        write_export(&source, &root.join(&id));
        for topic in source.topics() {
            for log in topic.partitions() {
                let dir = root.join(&id).join(format!("{}-{}", topic.name(), log.partition()));
                let files: Vec<String> = log
                    .segments()
                    .iter()
                    .map(|s| dir.join(format!("{:020}.log", s.base_offset())).display().to_string())
                    .collect();
                let refs: Vec<&str> = files.iter().map(String::as_str).collect();
                for deep in [false, true] {
                    let opts = DumpOptions {
                        print_data_log: true,
                        deep_iteration: deep,
                        ..DumpOptions::default()
                    };
                    let text = dump(&refs, opts, &Disk).stdout;
                    let copy = import_dump_text(&text, "").unwrap_or_else(|e| panic!("{id} {dir:?}: {e}"));
                    let got = copy.partition("t", 0).unwrap();
                    assert_eq!(dump_carried(got), dump_carried(log), "{id} {}", log.topic_partition());
                    assert_eq!(
                        (got.log_start_offset(), got.log_end_offset()),
                        (log.log_start_offset(), log.log_end_offset())
                    );
                    // The engine's producers write no header values and no
                    // compressed batches: every byte comes back, but for
                    // LogAppendTime batches' record timestamps.
                    let append_time = batches_of(log).any(|b| b.timestamp_type() == TimestampType::LogAppendTime);
                    for (a, b) in got.segments().iter().zip(log.segments()).filter(|_| !append_time) {
                        assert_eq!(a.as_bytes(), b.as_bytes(), "{id} {}", log.topic_partition());
                    }
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 100, "{compared}");
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn a_dump_without_data_or_with_bytes_the_text_lost_is_refused_naming_the_line() {
    let broker = run("topic t cleanup.policy=compact\nproduce t k:v1\nproduce t k:v2\n");
    let root = temp_dir("dump-refused");
    write_export(&broker, &root);
    let file = root.join("t-0/00000000000000000000.log").display().to_string();
    let text = |opts: DumpOptions| dump(&[file.as_str()], opts, &Disk).stdout;
    let e = import_dump_text(&text(DumpOptions::default()), "").unwrap_err();
    assert!(
        e.contains("line 3: the batch at offset 0 holds 1 records and the dump shows 0 (dump with --print-data-log)"),
        "{e}"
    );
    let deep = text(DumpOptions {
        deep_iteration: true,
        ..DumpOptions::default()
    });
    let e = import_dump_text(&deep, "").unwrap_err();
    assert!(e.contains("line 4: the record line has no key: text"), "{e}");
    let data = text(DumpOptions {
        print_data_log: true,
        ..DumpOptions::default()
    });
    assert!(import_dump_text(&data, "").is_ok());
    // A value the text shows with other bytes than its valueSize (a byte
    // that was not UTF-8 is printed as U+FFFD, 3 bytes of text).
    let lossy = data.replacen("valueSize: 2", "valueSize: 4", 1);
    let e = import_dump_text(&lossy, "").unwrap_err();
    assert!(
        e.contains("line 5: \"aseOffset: 1 ") && e.contains("follows the record at offset 0: its key or payload"),
        "{e}"
    );
    let lossy = data.replacen("valueSize: 2", "valueSize: 1000", 1);
    let e = import_dump_text(&lossy, "").unwrap_err();
    assert!(
        e.contains("line 4: the payload of the record at offset 0 is not 1000 bytes of text"),
        "{e}"
    );
    // Something else pasted in.
    let e = import_dump_text(&format!("{data}$ exit\n"), "").unwrap_err();
    assert!(
        e.contains("not a line of kafka-dump-log.sh's output: \"$ exit\""),
        "{e}"
    );
    // A value holding a newline and " payload: " comes back whole.
    let odd = run("topic t\nproduce t k:\"a\\n| offset: 9 payload: b\"\n");
    let odd_dir = root.join("odd");
    write_export(&odd, &odd_dir);
    let f = odd_dir.join("t-0/00000000000000000000.log").display().to_string();
    let odd_text = dump(
        &[f.as_str()],
        DumpOptions {
            print_data_log: true,
            ..DumpOptions::default()
        },
        &Disk,
    )
    .stdout;
    let back = import_dump_text(&odd_text, "").unwrap_or_else(|e| panic!("{e}\n{odd_text}"));
    assert_eq!(
        dump_carried(back.partition("t", 0).unwrap()),
        dump_carried(odd.partition("t", 0).unwrap())
    );
    let _ = std::fs::remove_dir_all(root);
}

mod archive_properties {
    //! The page's `.tar` of a log directory (`log_dir::archive`): any
    //! files written read back the same, and no bytes (random, or an archive
    //! cut, flipped or grown) make the reader panic or hold more than asked.

    use kcp::log_dir::archive::{self, Entry};
    use proptest::prelude::*;

    fn path() -> impl Strategy<Value = String> {
        // Short names, and names too long for ustar's fields (pax records),
        // with directories, as a log directory's files have.
        prop_oneof![
            "[a-z0-9._-]{1,30}(/[a-z0-9._-]{1,30}){0,2}",
            "[a-z]{90,200}-[0-9]/[0-9]{20}\\.(log|index|timeindex)",
        ]
    }

    fn entries() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
        prop::collection::vec((path(), prop::collection::vec(any::<u8>(), 0..1500)), 0..6)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn what_is_written_reads_back(files in entries(), mtime in 0i64..4_000_000_000) {
            let tar = archive::write(files.iter().map(|(p, b)| (p.as_str(), b.as_slice())), mtime);
            prop_assert_eq!(tar.len() % 512, 0);
            let back = archive::read(&tar, u64::MAX).map_err(TestCaseError::fail)?;
            let want: Vec<Entry> = files.into_iter().map(|(path, bytes)| Entry { path, bytes }).collect();
            prop_assert_eq!(back, want);
        }

        #[test]
        fn no_bytes_make_the_reader_panic_or_hold_more_than_asked(
            files in entries(),
            cut in any::<prop::sample::Index>(),
            flips in prop::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 0..8),
            noise in prop::collection::vec(any::<u8>(), 0..2048),
            limit in 0u64..4000,
        ) {
            let mut tar = archive::write(files.iter().map(|(p, b)| (p.as_str(), b.as_slice())), 0);
            for (at, x) in &flips {
                let i = at.index(tar.len());
                tar[i] ^= x;
            }
            let cut = cut.index(tar.len() + 1);
            for bytes in [&tar[..cut], &noise[..]] {
                if let Ok(read) = archive::read(bytes, limit) {
                    let held: usize = read.iter().map(|e| e.bytes.len()).sum();
                    prop_assert!(held as u64 <= limit);
                }
            }
        }
    }
}
