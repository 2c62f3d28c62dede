//! `playground bench`: the engine's `generate` and cleaner timed beside the
//! bare lower bounds of `kcp::bench` (same records, same bytes) and this
//! machine's memcpy, in one run, with ratios; and the peak memory (RSS, as
//! the kernel counts it) of building and cleaning a log, in a child process
//! per shape so that shapes do not share a high-water mark.

use std::process::{Command, ExitCode};
use std::time::Instant;

use kcp::bench::{bare_dedupe, bare_generate, Shape};
use kcp::cleaner::offset_map::OffsetMap;
use kcp::log_manager::LogManager;
use kcp::Budget;

pub const USAGE: &str = "  playground bench [--records N] [--keys K] [--value-bytes B] [--runs R] [--memory]
                                            time generate and the cleaner against the bare
                                            lower bounds (default: 1000000 records, 10000 keys)
  playground bench --matrix [--max-records N] [--runs R]
                                            the same, with peak memory, over 100k/1M/10M records
                                            x keys at 100, 1% and 50% x 10- and 100-byte values";

/// Segments of 1 MiB, so that a cleaning works in many groups, as on a
/// broker with a big log.
const SEGMENT_BYTES: &str = "1048576";

struct Args {
    shape: Shape,
    runs: u32,
    memory: bool,
    matrix: bool,
    max_records: u64,
    /// Internal: measure one shape's peak memory and print it (run by the
    /// parent in a fresh process).
    child_peak: bool,
    /// Internal: time generates of the shape, by the engine or the bare
    /// writer, and print the best (run by the parent in a fresh process).
    child_generate: Option<Side>,
}

/// Which generate a child times.
#[derive(Clone, Copy)]
enum Side {
    Engine,
    Bare,
}

impl Side {
    fn flag(self) -> &'static str {
        match self {
            Side::Engine => "--child-generate-engine",
            Side::Bare => "--child-generate-bare",
        }
    }
}

fn parse(args: &[String]) -> Option<Args> {
    let mut a = Args {
        shape: Shape {
            records: 1_000_000,
            keys: 10_000,
            value_bytes: None,
        },
        runs: 3,
        memory: false,
        matrix: false,
        max_records: 10_000_000,
        child_peak: false,
        child_generate: None,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--memory" => a.memory = true,
            "--matrix" => a.matrix = true,
            "--child-peak" => a.child_peak = true,
            "--child-generate-engine" => a.child_generate = Some(Side::Engine),
            "--child-generate-bare" => a.child_generate = Some(Side::Bare),
            _ => {
                let v: u64 = it.next()?.parse().ok()?;
                match flag.as_str() {
                    "--records" if v > 0 => a.shape.records = v,
                    "--keys" if v > 0 => a.shape.keys = v,
                    "--value-bytes" => a.shape.value_bytes = Some(v),
                    "--runs" if v > 0 => a.runs = u32::try_from(v).ok()?,
                    "--max-records" if v > 0 => a.max_records = v,
                    _ => return None,
                }
            }
        }
    }
    Some(a)
}

pub fn bench(args: &[String]) -> ExitCode {
    let Some(a) = parse(args) else {
        eprintln!("usage:\n{USAGE}");
        return ExitCode::from(2);
    };
    if a.child_peak {
        return child_peak(a.shape);
    }
    if let Some(side) = a.child_generate {
        return child_generate(side, a.shape, a.runs);
    }
    let shapes: Vec<Shape> = if a.matrix {
        let mut v = Vec::new();
        for records in [100_000u64, 1_000_000, 10_000_000] {
            if records > a.max_records {
                continue;
            }
            for keys in [100, records / 100, records / 2] {
                for value_bytes in [10, 100] {
                    v.push(Shape {
                        records,
                        keys,
                        value_bytes: Some(value_bytes),
                    });
                }
            }
        }
        v
    } else {
        vec![a.shape]
    };
    let memory = a.memory || a.matrix;
    // A first, untimed log warms the allocator (glibc adapts its mmap
    // threshold after the first big free), so that the first shape is not
    // measured on a cold heap and the others on a warm one.
    let mut warm = broker();
    let _ = generate(
        &mut warm,
        Shape {
            records: 200_000,
            keys: 1_000,
            value_bytes: Some(100),
        },
    );
    drop(warm);
    println!(
        "{:>9} {:>8} {:>5} {:>8} | {:>8} {:>8} {:>5} | {:>8} {:>8} {:>5} | {:>7} {:>6} {:>6}{}",
        "records",
        "keys",
        "value",
        "log MB",
        "gen s",
        "bare s",
        "x",
        "clean s",
        "bare s",
        "x",
        "MB/s",
        "memcpy",
        "%",
        if memory { "  | peak MB  log+map MB     x" } else { "" }
    );
    for shape in shapes {
        let Some(m) = measure(shape, a.runs) else {
            return ExitCode::from(2);
        };
        let mut line = format!(
            "{:>9} {:>8} {:>5} {:>8.1} | {:>8.3} {:>8.3} {:>5.2} | {:>8.3} {:>8.3} {:>5.2} | {:>7.0} {:>6.0} {:>5.0}%",
            shape.records,
            shape.keys,
            shape.value_bytes.map_or("v<i>".to_string(), |b| b.to_string()),
            m.log_bytes as f64 / 1e6,
            m.generate_s,
            m.bare_generate_s,
            m.generate_s / m.bare_generate_s,
            m.clean_s,
            m.bare_dedupe_s,
            m.clean_s / m.bare_dedupe_s,
            m.log_bytes as f64 / 1e6 / m.clean_s,
            m.log_bytes as f64 / 1e6 / m.memcpy_s,
            100.0 * m.memcpy_s / m.clean_s,
        );
        if memory {
            match peak_in_child(shape) {
                Some((peak, log, map)) => line.push_str(&format!(
                    "  | {:>7.1} {:>11.1} {:>5.2}",
                    peak as f64 / 1e6,
                    (log + map) as f64 / 1e6,
                    peak as f64 / (log + map) as f64
                )),
                None => line.push_str("  | (not measured: the child process failed)"),
            }
        }
        println!("{line}");
    }
    println!(
        "x: engine time / bare time (same records, same bytes, one run); MB/s: log bytes cleaned per second; \
         %: cleaner speed as a share of memcpy; peak: peak RSS of generating and cleaning, less the process's \
         RSS before; log+map: encoded log plus the cleaner's offset map"
    );
    ExitCode::SUCCESS
}

struct Measured {
    log_bytes: u64,
    generate_s: f64,
    bare_generate_s: f64,
    clean_s: f64,
    bare_dedupe_s: f64,
    memcpy_s: f64,
}

/// The bench's broker: no budget on records, bytes or cleaner work, so
/// that any record count can be measured (10M records of 100 bytes already
/// pass the CLI's 1 GiB of payload); memory is the machine's limit.
fn broker() -> LogManager {
    let mut b = LogManager::with_budget(Budget {
        records: u64::MAX,
        bytes: u64::MAX,
        cleaner_work: u64::MAX,
        ..Budget::CLI
    });
    if let Err(e) = b.create_topic(
        "bench",
        1,
        &[("cleanup.policy", "compact"), ("segment.bytes", SEGMENT_BYTES)],
    ) {
        eprintln!("the bench cannot create its topic: {e}");
    }
    b
}

fn generate(b: &mut LogManager, shape: Shape) -> kcp::Result<()> {
    b.generate(shape.generate_request("bench"))?;
    b.roll("bench", None)?;
    Ok(())
}

/// Best of `runs` for each of clean, bare dedupe and memcpy, and the best
/// generate and bare generate as [`child_generate`] times them.
///
/// The two generates are timed apart, each in a child process whose
/// allocator keeps the memory it is given (see [`WARM_HEAP`]), so that
/// both write into warm pages after the first run. Timed side by side in
/// one process they were not measured alike: glibc kept the bare side's
/// one big buffer in the process between runs (freeing a big block raises
/// its trim threshold) but gave the engine's 1 MiB segments back to the
/// kernel, so that the engine paid for first touching every page and the
/// bare side did not (at 100k records of 10 bytes: 10 ms against 5 ms, where
/// both take 6 and 5 ms warm; cold, both take 10-11 ms, most of it the
/// kernel's page faults, too noisy to compare code by).
fn measure(shape: Shape, runs: u32) -> Option<Measured> {
    let best = |f: &mut dyn FnMut() -> f64| (0..runs).map(|_| f()).fold(f64::MAX, f64::min);
    let Some(generate_s) = generate_in_child(Side::Engine, shape, runs) else {
        eprintln!("the bench cannot time the engine's generate: its child process failed");
        return None;
    };
    let Some(bare_generate_s) = generate_in_child(Side::Bare, shape, runs) else {
        eprintln!("the bench cannot time the bare generate: its child process failed");
        return None;
    };
    let mut base = broker();
    if let Err(e) = generate(&mut base, shape) {
        eprintln!("the bench cannot generate its log: {e}");
        return None;
    }
    let log = base.partition("bench", 0).ok()?;
    let log_bytes = log.size_bytes();
    if log.record_count() != shape.records {
        eprintln!(
            "the bench log holds {} records, not {}",
            log.record_count(),
            shape.records
        );
        return None;
    }
    let batches = || log.segments().iter().flat_map(|s| s.batches());
    let mut bare_kept = 0;
    let bare_dedupe_s = best(&mut || {
        let mut out = Vec::new();
        let t = Instant::now();
        bare_kept = bare_dedupe(batches(), &mut out);
        let s = t.elapsed().as_secs_f64();
        std::hint::black_box(out);
        s
    });
    let mut kept = 0;
    let clean_s = best(&mut || {
        let mut b = base.clone();
        let t = Instant::now();
        let run = b.clean_partition("bench", 0);
        let s = t.elapsed().as_secs_f64();
        kept = run.ok().and_then(|r| r.cleaned).map_or(0, |c| c.stats.messages_written);
        s
    });
    if kept != bare_kept {
        eprintln!("the cleaner kept {kept} records, the bare dedupe {bare_kept}: not the same work");
        return None;
    }
    let mut dst: Vec<u8> = Vec::with_capacity(log_bytes as usize);
    let memcpy_s = best(&mut || {
        dst.clear();
        let t = Instant::now();
        for s in log.segments() {
            dst.extend_from_slice(&s.as_bytes());
        }
        let s = t.elapsed().as_secs_f64();
        std::hint::black_box(&dst);
        s
    });
    Some(Measured {
        log_bytes,
        generate_s,
        bare_generate_s,
        clean_s,
        bare_dedupe_s,
        memcpy_s,
    })
}

/// glibc's tunables for the generate children: never map big blocks apart
/// and never give freed memory back, so that after a first run either side
/// reuses the pages it touched (read at a process's start, hence the child).
/// Another allocator ignores them.
const WARM_HEAP: &str = "glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=1000000000000000";

/// Runs this binary to time `runs` generates of `shape` by `side`, in a
/// fresh process with a warm heap; the best time, in seconds.
fn generate_in_child(side: Side, shape: Shape, runs: u32) -> Option<f64> {
    let out = child(shape, &[side.flag(), "--runs", &runs.to_string()], Some(WARM_HEAP))?;
    out.trim().parse().ok()
}

/// In the child: generates of `shape`, by the engine (with the roll the
/// bench's log ends with) or by the bare writer, `runs` of them and more
/// until half a second has passed (at most 100); prints the best time, in
/// seconds. A small log's first runs are slow even on warm pages (at 100k
/// records the first five or so take 7-10 ms, the later ones 6 ms), so a
/// best of three would time the process settling rather than the code.
fn child_generate(side: Side, shape: Shape, runs: u32) -> ExitCode {
    let (mut best, mut spent, mut done) = (f64::MAX, 0.0, 0);
    while done < runs || (spent < 0.5 && done < 100) {
        done += 1;
        let mut b = broker();
        let now = b.now_ms();
        // Either side's log is freed after the clock stops.
        let mut bytes = Vec::new();
        let t = Instant::now();
        match side {
            Side::Engine => {
                if generate(&mut b, shape).is_err() {
                    return ExitCode::FAILURE;
                }
            }
            Side::Bare => bytes = bare_generate(shape, now),
        }
        let took = t.elapsed().as_secs_f64();
        best = best.min(took);
        spent += took;
        std::hint::black_box((&b, &bytes));
    }
    println!("{best}");
    ExitCode::SUCCESS
}

/// Runs this binary's `bench` for `shape` with the internal `flags`, and
/// with `GLIBC_TUNABLES` when given; what it printed, if it succeeded.
fn child(shape: Shape, flags: &[&str], tunables: Option<&str>) -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let mut cmd = Command::new(exe);
    cmd.arg("bench")
        .args(flags)
        .args(["--records", &shape.records.to_string()])
        .args(["--keys", &shape.keys.to_string()]);
    if let Some(t) = tunables {
        cmd.env("GLIBC_TUNABLES", t);
    }
    if let Some(b) = shape.value_bytes {
        cmd.args(["--value-bytes", &b.to_string()]);
    }
    let out = cmd.output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok()
}

/// Runs this binary with `--child-peak` for `shape` and reads its answer:
/// (peak RSS growth, encoded log bytes, offset map bytes).
fn peak_in_child(shape: Shape) -> Option<(u64, u64, u64)> {
    let text = child(shape, &["--child-peak"], None)?;
    let mut n = text.split_whitespace().map(|w| w.parse::<u64>().ok());
    Some((n.next()??, n.next()??, n.next()??))
}

/// `VmHWM` or `VmRSS` of this process, in bytes (Linux).
fn proc_status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// In the child: generate and clean once; print the peak RSS growth, the
/// log's encoded bytes (before cleaning: the most the log held) and the
/// offset map's table.
fn child_peak(shape: Shape) -> ExitCode {
    let Some(start) = proc_status_bytes("VmRSS:") else {
        return ExitCode::FAILURE;
    };
    let mut b = broker();
    if generate(&mut b, shape).is_err() {
        return ExitCode::FAILURE;
    }
    let log_bytes = b.partition("bench", 0).map_or(0, |l| l.size_bytes());
    let max_keys = b.broker_config().max_keys_per_pass();
    let keys = shape.keys.min(shape.records);
    let map_bytes = OffsetMap::table_bytes(usize::try_from(keys).unwrap_or(usize::MAX).min(max_keys));
    if b.clean_partition("bench", 0).is_err() {
        return ExitCode::FAILURE;
    }
    let Some(peak) = proc_status_bytes("VmHWM:") else {
        return ExitCode::FAILURE;
    };
    println!("{} {log_bytes} {map_bytes}", peak.saturating_sub(start));
    ExitCode::SUCCESS
}
