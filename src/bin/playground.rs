//! The native command line: runs scenario scripts and the cleaner benchmark.
//!
//! `playground run FILE [--json] [--strict]` (FILE may be `-` for stdin):
//! exit 0 when the script parsed and ran, 2 on a syntax error (stderr says
//! `line N: ...` and nothing runs), 1 with `--strict` if a command was
//! rejected. `playground bench` measures the cleaner; `playground list`
//! shows the built-in scenarios; `playground show NAME` prints one.

use std::io::Read;
use std::process::ExitCode;
use std::time::Instant;

use kcp::log_manager::LogManager;
use kcp::scenario::{self, builtin, Outcome};
use kcp::{report, snapshot};

const USAGE: &str = "usage:
  playground run FILE [--json] [--strict]   run a scenario script (FILE may be - for stdin)
  playground list                           list the built-in scenarios
  playground show NAME                      print a built-in scenario's script
  playground bench [--records N] [--keys K] measure the log cleaner";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
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
        Some("bench") => bench(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> ExitCode {
    let mut file = None;
    let (mut json, mut strict) = (false, false);
    for a in args {
        match a.as_str() {
            "--json" => json = true,
            "--strict" => strict = true,
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
    let steps = match scenario::parse(&text) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut broker = LogManager::default();
    let mut results = Vec::with_capacity(steps.len());
    for step in &steps {
        let r = scenario::run_step(&mut broker, step);
        if !json {
            print_step(step, &r);
        }
        results.push(r);
    }
    let rejected = results.iter().any(|r| !r.ok);
    if json {
        let out = scenario::output(&broker, results);
        match serde_json::to_string_pretty(&out) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("cannot write JSON: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        println!();
        for t in broker.topics() {
            for log in t.partitions() {
                let dirty = broker.first_dirty_offset(t.name(), log.partition()).unwrap_or(0);
                for line in report::dump_log(log, dirty) {
                    println!("{line}");
                }
                let state = snapshot::materialize(log);
                println!(
                    "State of {} (key -> latest value, as a consumer reading from the start builds it): {} keys",
                    log.topic_partition(),
                    state.len()
                );
                for (k, v) in state {
                    println!("  {k} -> {v}");
                }
                println!();
            }
        }
    }
    if strict && rejected {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn print_step(step: &scenario::Step, r: &scenario::StepResult) {
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
        Outcome::Clock(c) => line.push_str(&format!("  -> clock {}", kcp::clock::format_utc(c.now_ms))),
        _ => {}
    }
    println!("{line}");
    match &r.outcome {
        Outcome::Clean(c) => {
            for c in &c.selection {
                println!(
                    "           {} [{}, {}): {}{}",
                    c.topic_partition,
                    c.first_dirty_offset,
                    c.first_uncleanable_offset,
                    c.reason,
                    if c.chosen { "  <- cleaned" } else { "" }
                );
            }
            for l in &c.report {
                println!("           {}", l.replace('\t', "  "));
            }
        }
        Outcome::Consume(c) => {
            if let Some(n) = &c.note {
                println!("           {n}");
            }
            if c.records.is_empty() {
                println!("           (no records)");
            }
            for rec in &c.records {
                println!(
                    "           offset {} key {} value {}",
                    rec.offset,
                    rec.key.as_deref().unwrap_or("null"),
                    rec.value.as_deref().unwrap_or("null (tombstone)")
                );
            }
        }
        Outcome::Retention(rt) => {
            for d in &rt.deleted {
                println!(
                    "           deleted segment {} of {} ({}); log start offset {}",
                    d.base_offset, d.topic_partition, d.reason, d.log_start_offset
                );
            }
        }
        _ => {}
    }
}

/// Produces a log of `records` records over `keys` keys into 1 MiB
/// segments, then times one cleaning of the whole log (best of 3).
fn bench(args: &[String]) -> ExitCode {
    let mut records: u64 = 1_000_000;
    let mut keys: u64 = 10_000;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let v = it.next().and_then(|v| v.parse::<u64>().ok());
        match (a.as_str(), v) {
            ("--records", Some(v)) if v > 0 => records = v,
            ("--keys", Some(v)) if v > 0 => keys = v,
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let script = format!(
        "topic bench cleanup.policy=compact segment.bytes=1048576\ngenerate bench count={records} keys={keys} seed=1\nroll bench\n"
    );
    let steps = scenario::parse(&script).expect("the bench script parses");
    let mut best = f64::MAX;
    let mut last = None;
    for _ in 0..3 {
        let mut broker = LogManager::default();
        let t0 = Instant::now();
        for s in &steps {
            let r = scenario::run_step(&mut broker, s);
            assert!(r.ok, "bench setup failed: {:?}", r.error);
        }
        let produce_s = t0.elapsed().as_secs_f64();
        let t1 = Instant::now();
        let run = broker.clean_partition("bench", 0).expect("bench is compacted");
        let secs = t1.elapsed().as_secs_f64();
        if secs < best {
            best = secs;
        }
        last = Some((run, produce_s));
    }
    let (run, produce_s) = last.expect("ran three times");
    let c = run.cleaned.expect("the bench log is cleaned");
    let mb = c.stats.bytes_read as f64 / 1_048_576.0;
    println!(
        "log: {records} records over {keys} keys, {:.1} MB in {} segments (produced in {produce_s:.2} s)",
        mb,
        c.groups.iter().map(Vec::len).sum::<usize>()
    );
    println!(
        "cleaned to {} records, {:.2} MB",
        c.stats.messages_written,
        c.stats.bytes_written as f64 / 1_048_576.0
    );
    println!(
        "cleaner: {best:.3} s (best of 3): {:.0} MB/s of log processed, {:.0} records/s",
        mb / best,
        c.stats.messages_read as f64 / best
    );
    ExitCode::SUCCESS
}
