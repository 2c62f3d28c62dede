//! The native command line: runs scenario scripts and the cleaner benchmark.
//!
//! `playground run FILE [--json [--pretty]] [--strict] [--page-budget]`
//! (FILE may be `-` for stdin): exit 0 when the script parsed and ran, 2 on
//! a syntax error (stderr says `line N: ...` and nothing runs), 1 with
//! `--strict` if a command was rejected. `--json` writes compact JSON (one
//! line), `--pretty` indents it; either way it is streamed to stdout as the
//! log is read, never built whole in memory. The session's budget is
//! `Budget::CLI`, or with `--page-budget` the page's (to check that a script
//! runs on the page). `playground bench` measures the cleaner; `playground
//! list` shows the built-in scenarios; `playground show NAME` prints one.
//! `playground export FILE DIR` runs a script and writes the broker's log
//! directory; `playground dump --files F[,F...]` prints segment and index
//! files as `kafka-dump-log.sh` does.

use std::io::{BufWriter, Read, Write};
use std::process::ExitCode;
use std::time::Instant;

/// `playground bench`: its own file, as it is long and apart from the rest.
#[path = "playground/bench.rs"]
mod bench;

use kcp::log_manager::LogManager;
use kcp::scenario::{self, builtin, Outcome, OutputView};
use kcp::{report, snapshot, Budget};

const USAGE: &str = "usage:
  playground run FILE [--json [--pretty]] [--strict] [--page-budget]
                                            run a scenario script (FILE may be - for stdin)
  playground export FILE DIR                run a scenario script and write what a broker's log.dirs
                                            folder would hold (segments, indexes, checkpoints) into DIR
  playground dump --files F[,F...] [--print-data-log] [--deep-iteration] [--index-sanity-check]
                  [--verify-index-only]     print .log/.index/.timeindex files as kafka-dump-log.sh does
  playground list                           list the built-in scenarios
  playground show NAME                      print a built-in scenario's script
  playground bench --load [--rate N] [--keys K] [--hours H] [--runs R]
                                            time `load` + `run` against generate + clean of the same records
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("export") => export(&args[1..]),
        Some("dump") => dump(&args[1..]),
        Some("list") => {
            for b in builtin::all() {
                println!("{:<28} {}", b.id, b.title);
                println!("{:<28} {}", "", b.teaches);
            }
            ExitCode::SUCCESS
        }
        Some("show") => match args.get(1).and_then(|n| builtin::find(n)) {
            Some(b) => {
                print!("{}", b.script);
                ExitCode::SUCCESS
            }
            None => {
                eprintln!(
                    "no built-in scenario named {:?}; see `playground list`",
                    args.get(1).map_or("", |s| s)
                );
                ExitCode::from(2)
            }
        },
        Some("bench") if args.get(1).is_some_and(|a| a == "--load") => bench_load(&args[2..]),
        Some("bench") => bench::bench(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}\n{}", bench::USAGE);
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}\n{}", bench::USAGE);
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> ExitCode {
    let mut file = None;
    let (mut json, mut pretty, mut strict, mut budget) = (false, false, false, Budget::CLI);
    for a in args {
        match a.as_str() {
            "--json" => json = true,
            "--pretty" => pretty = true,
            "--strict" => strict = true,
            "--page-budget" => budget = Budget::PAGE,
            _ if file.is_none() => file = Some(a.clone()),
            _ => {
                eprintln!("unexpected argument {a:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(file) = file else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let text = if file == "-" {
        let mut s = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut s) {
            eprintln!("cannot read standard input: {e}");
            return ExitCode::from(2);
        }
        s
    } else {
        match std::fs::read_to_string(&file) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("cannot read {file}: {e}");
                return ExitCode::from(2);
            }
        }
    };
    let steps = match scenario::parse_within(&text, budget.steps) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    drop(text);
    let mut broker = LogManager::with_budget(budget);
    provide_import_files(&mut broker, &steps, &file);
    let mut out = BufWriter::new(std::io::stdout().lock());
    let written = if json {
        // The steps' results are kept (the budget bounds them); the records
        // are not: OutputView serializes them straight from the broker.
        let results: Vec<_> = steps.iter().map(|s| scenario::run_step(&mut broker, s)).collect();
        let rejected = results.iter().any(|r| !r.ok);
        let view = OutputView {
            broker: &broker,
            steps: &results,
        };
        let done = if pretty {
            serde_json::to_writer_pretty(&mut out, &view)
        } else {
            serde_json::to_writer(&mut out, &view)
        };
        done.map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
            .and_then(|()| out.flush())
            .map(|()| rejected)
    } else {
        write_text(&mut out, &mut broker, &steps)
    };
    match written {
        Err(e) => {
            eprintln!("cannot write the output: {e}");
            ExitCode::FAILURE
        }
        Ok(true) if strict => ExitCode::FAILURE,
        Ok(_) => ExitCode::SUCCESS,
    }
}

/// Reads the files each `import` line names, resolved against the
/// script's folder (the working directory for stdin), and gives them to the
/// broker: a directory's files, or one file.
fn provide_import_files(broker: &mut LogManager, steps: &[scenario::Step], script: &str) {
    let folder = match std::path::Path::new(script).parent() {
        Some(p) if script != "-" => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    for step in steps {
        let scenario::Command::Import(import) = &step.command else {
            continue;
        };
        let target = folder.join(&import.path);
        let read = |name: String, path: &std::path::Path| {
            std::fs::read(path)
                .map(|bytes| kcp::log_dir::import::ImportFile { name, bytes })
                .map_err(|e| e.to_string())
        };
        let files = if target.is_dir() {
            std::fs::read_dir(&target)
                .map_err(|e| e.to_string())
                .and_then(|entries| {
                    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
                    paths.sort();
                    paths
                        .iter()
                        .map(|p| {
                            let name = p
                                .file_name()
                                .map(|n| n.to_string_lossy().into_owned())
                                .unwrap_or_default();
                            read(format!("{}/{name}", import.path.trim_end_matches('/')), p)
                        })
                        .collect()
                })
        } else {
            read(import.path.clone(), &target).map(|f| vec![f])
        };
        broker.provide_import_files(&import.path, files);
    }
}

/// Reads a script (FILE or `-`), or says why not.
fn read_script(file: &str) -> Result<String, String> {
    if file == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(s)
    } else {
        std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))
    }
}

/// `export FILE DIR`: runs the script as `run` does, then writes the log
/// directory. Exit 2 for a syntax error, 1 when DIR cannot be written.
fn export(args: &[String]) -> ExitCode {
    let [file, dir] = args else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let text = match read_script(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let steps = match scenario::parse_within(&text, Budget::CLI.steps) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut broker = LogManager::with_budget(Budget::CLI);
    provide_import_files(&mut broker, &steps, file);
    for step in &steps {
        let r = scenario::run_step(&mut broker, step);
        if let Some(e) = &r.error {
            eprintln!("line {}: {e}", step.line);
        }
    }
    let root = std::path::Path::new(dir);
    let written = kcp::log_dir::export(&broker, |path, bytes| {
        let target = root.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, bytes)
    });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cannot write {dir}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Files read from disk for `dump`, named as Kafka names them.
struct DiskFiles;

impl kcp::dump_log_segments::DumpFiles for DiskFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        std::fs::read(path).map_err(|e| format!("{path}: {e}"))
    }

    fn absolute(&self, path: &str) -> String {
        std::path::absolute(path).map_or_else(|_| path.to_string(), |p| p.display().to_string())
    }
}

/// `dump --files ...`: `kafka-dump-log.sh`'s options and output.
fn dump(args: &[String]) -> ExitCode {
    let mut opts = kcp::dump_log_segments::DumpOptions::default();
    let mut files = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--files" => files = it.next().cloned(),
            "--print-data-log" => opts.print_data_log = true,
            "--deep-iteration" => opts.deep_iteration = true,
            "--index-sanity-check" => opts.index_sanity_check = true,
            "--verify-index-only" => opts.verify_index_only = true,
            _ => {
                eprintln!("unexpected argument {a:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(files) = files else {
        eprintln!("Missing required argument \"[files]\"\n{USAGE}");
        return ExitCode::from(2);
    };
    let list: Vec<&str> = files.split(',').collect();
    let out = kcp::dump_log_segments::dump(&list, opts, &DiskFiles);
    print!("{}", out.stdout);
    eprint!("{}", out.stderr);
    ExitCode::SUCCESS
}

/// The readable output: each step as it runs, then every log and the state
/// a consumer builds. Returns whether a command was rejected.
fn write_text(out: &mut impl Write, broker: &mut LogManager, steps: &[scenario::Step]) -> std::io::Result<bool> {
    let mut rejected = false;
    for step in steps {
        let r = scenario::run_step(broker, step);
        rejected |= !r.ok;
        print_step(out, step, &r)?;
    }
    writeln!(out)?;
    for t in broker.topics() {
        for log in t.partitions() {
            let dirty = broker.first_dirty_offset(t.name(), log.partition()).unwrap_or(0);
            let mut failed = Ok(());
            report::dump_log_lines(log, dirty, |line| {
                if failed.is_ok() {
                    failed = writeln!(out, "{line}");
                }
            });
            failed?;
            let state = snapshot::materialize(log);
            writeln!(
                out,
                "State of {} (key -> latest value, as a consumer reading from the start builds it): {} keys",
                log.topic_partition(),
                state.len()
            )?;
            for (k, v) in state {
                writeln!(out, "  {k} -> {v}")?;
            }
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(rejected)
}

fn print_step(out: &mut impl Write, step: &scenario::Step, r: &scenario::StepResult) -> std::io::Result<()> {
    let mut line = format!("line {:>3}  {}", step.line, step.text);
    if let Some(e) = &r.error {
        line.push_str(&format!("\n           REJECTED: {e}"));
    }
    match &r.outcome {
        Outcome::Produce(p) => {
            line.push_str(&format!("  -> {} offset {}", p.topic_partition, p.offset));
            if let Some(reason) = &p.rolled {
                line.push_str(&format!(" (rolled a new segment: {reason})"));
            }
        }
        Outcome::Clock(c) => {
            line.push_str(&format!("  -> clock {}", kcp::clock::format_utc(c.now_ms)));
            if let Some(n) = c.appended {
                line.push_str(&format!(" ({n} load records appended)"));
            }
        }
        Outcome::Load(l) => line.push_str(&format!(
            "  -> {} records, {} due now",
            l.count,
            l.appended.unwrap_or(0)
        )),
        Outcome::Run(r) => line.push_str(&format!(
            "  -> clock {}: {} load records appended, {} cleaner iterations, {} cleanings, {} retention checks, {} \
             segments deleted",
            kcp::clock::format_utc(r.now_ms),
            r.appended,
            r.cleaner_iterations,
            r.cleanings.len(),
            r.retention_checks,
            r.deleted_segments
        )),
        _ => {}
    }
    writeln!(out, "{line}")?;
    match &r.outcome {
        Outcome::Clean(c) => {
            for c in &c.selection {
                writeln!(
                    out,
                    "           {} [{}, {}): {}{}",
                    c.topic_partition,
                    c.first_dirty_offset,
                    c.first_uncleanable_offset,
                    c.reason,
                    if c.chosen { "  <- cleaned" } else { "" }
                )?;
            }
            for l in &c.report {
                writeln!(out, "           {}", l.replace('\t', "  "))?;
            }
        }
        Outcome::Consume(c) => {
            if let Some(n) = &c.note {
                writeln!(out, "           {n}")?;
            }
            if c.records.is_empty() {
                writeln!(out, "           (no records)")?;
            }
            for rec in &c.records {
                writeln!(
                    out,
                    "           offset {} key {} value {}",
                    rec.offset,
                    rec.key.as_deref().unwrap_or("null"),
                    rec.value.as_deref().unwrap_or("null (tombstone)")
                )?;
            }
        }
        Outcome::Run(r) => {
            for c in &r.cleanings {
                writeln!(
                    out,
                    "           {} cleaned {} [{}, {}): {} -> {} records, {} -> {} bytes",
                    kcp::clock::format_utc(c.time_ms),
                    c.topic_partition,
                    c.first_dirty_offset,
                    c.end_offset,
                    c.messages_read,
                    c.messages_written,
                    c.bytes_read,
                    c.bytes_written
                )?;
            }
        }
        Outcome::Retention(rt) => {
            for d in &rt.deleted {
                writeln!(
                    out,
                    "           deleted segment {} of {} ({}); log start offset {}",
                    d.base_offset, d.topic_partition, d.reason, d.log_start_offset
                )?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Runs a script on a new CLI broker and returns the seconds it took, or
/// the first rejection.
fn time_script(script: &str) -> Result<(f64, LogManager, Vec<scenario::StepResult>), String> {
    let steps = scenario::parse(script).map_err(|e| e.to_string())?;
    let mut broker = LogManager::default();
    let t0 = Instant::now();
    let mut results = Vec::new();
    for s in &steps {
        let r = scenario::run_step(&mut broker, s);
        if let Some(e) = &r.error {
            return Err(format!("line {}: {e}", s.line));
        }
        results.push(r);
    }
    Ok((t0.elapsed().as_secs_f64(), broker, results))
}

/// The broker in time at scale: `load` of `rate` records/s over `keys` keys
/// for `hours` h with `run` over the same span (the cleaner threads at the
/// default backoff, the retention check), against the same records appended
/// by `generate` and cleaned once (`roll` and `clean t/0`), without the
/// schedule. Best of `runs` each.
fn bench_load(args: &[String]) -> ExitCode {
    let (mut rate, mut keys, mut hours, mut runs) = (1000u64, 100_000u64, 1u64, 1u64);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let v = it.next().and_then(|v| v.parse::<u64>().ok());
        match (a.as_str(), v) {
            ("--rate", Some(v)) if v > 0 => rate = v,
            ("--keys", Some(v)) if v > 0 => keys = v,
            ("--hours", Some(v)) if v > 0 => hours = v,
            ("--runs", Some(v)) if v > 0 => runs = v,
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let records = rate * 3600 * hours;
    let topic = "topic bench cleanup.policy=compact segment.bytes=1048576\n";
    let scheduled = format!("{topic}load bench rate={rate}/s keys={keys} for={hours}h seed=1\nrun {hours}h\n");
    let unscheduled = format!("{topic}generate bench count={records} keys={keys} seed=1\nroll bench\nclean bench/0\n");
    let (mut best_scheduled, mut best_unscheduled) = (f64::MAX, f64::MAX);
    let mut summary = String::new();
    for _ in 0..runs {
        match time_script(&scheduled) {
            Ok((secs, broker, results)) => {
                best_scheduled = best_scheduled.min(secs);
                if let Some(r) = results.last().and_then(|r| r.ran()) {
                    let log = broker.partition("bench", 0).ok();
                    summary = format!(
                        "load + run: {} records appended, {} cleaner iterations, {} cleanings, {} retention checks; \
                         the log holds {} records in {} segments",
                        r.appended + 1,
                        r.cleaner_iterations,
                        r.cleanings.len(),
                        r.retention_checks,
                        log.map_or(0, kcp::log::PartitionLog::record_count),
                        log.map_or(0, |l| l.segments().len())
                    );
                }
            }
            Err(e) => {
                eprintln!("the load bench cannot run: {e}");
                return ExitCode::from(2);
            }
        }
        match time_script(&unscheduled) {
            Ok((secs, _, _)) => best_unscheduled = best_unscheduled.min(secs),
            Err(e) => {
                eprintln!("the load bench cannot run: {e}");
                return ExitCode::from(2);
            }
        }
    }
    println!("{summary}");
    println!("load {rate}/s over {keys} keys for {hours} h + run {hours}h: {best_scheduled:.2} s (best of {runs})");
    println!("generate {records} records + roll + one clean, no schedule: {best_unscheduled:.2} s (best of {runs})");
    println!("ratio: {:.2}x", best_scheduled / best_unscheduled);
    ExitCode::SUCCESS
}
