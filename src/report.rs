//! Readable reports: segments as `kafka-dump-log.sh` prints them, the
//! cleaner's round as its log says it, and a topic as
//! `kafka-console-consumer --from-beginning` prints it.
//!
//! Models the text of Kafka's `DumpLogSegments --deep-iteration
//! --print-data-log` and of `LogCleaner`'s stats block. Simplified: no CRC
//! (nothing is encoded to bytes), and no timings (the simulated cleaner takes
//! no time), so the MB/s lines are left out; sizes are also given in bytes,
//! because the playground's logs are far below a megabyte.

use crate::clock::format_utc;
use crate::log::PartitionLog;
use crate::log_manager::CleanerRun;
use crate::record::display_bytes;

/// The segments of a partition, `kafka-dump-log.sh` style.
pub fn dump_log(log: &PartitionLog, first_dirty_offset: i64) -> Vec<String> {
    let mut out = Vec::new();
    dump_log_lines(log, first_dirty_offset, |line| out.push(line));
    out
}

/// [`dump_log`] a line at a time, for a writer that streams a log too big
/// to hold as text.
pub fn dump_log_lines(log: &PartitionLog, first_dirty_offset: i64, mut emit: impl FnMut(String)) {
    emit(format!(
        "Partition {} (log start offset {}, first dirty offset {}, log end offset {}, {} segments, {} bytes)",
        log.topic_partition(),
        log.log_start_offset(),
        first_dirty_offset,
        log.log_end_offset(),
        log.segments().len(),
        log.size_bytes()
    ));
    let active_base = log.active_segment().base_offset();
    for seg in log.segments() {
        emit(format!(
            "Dumping {:020}.log{}",
            seg.base_offset(),
            if seg.base_offset() == active_base {
                " (active segment)"
            } else {
                ""
            }
        ));
        emit(format!("Log starting offset: {}", seg.base_offset()));
        let mut position = 0;
        for b in seg.batches() {
            let horizon = match b.delete_horizon_ms() {
                Some(h) => format!("OptionalLong[{h}]"),
                None => "OptionalLong.empty".to_string(),
            };
            emit(format!(
                "baseOffset: {} lastOffset: {} count: {} baseSequence: {} lastSequence: {} producerId: {} producerEpoch: {} partitionLeaderEpoch: 0 isTransactional: {} isControl: {} deleteHorizonMs: {horizon} position: {position} {}: {} size: {} magic: 2 compresscodec: none",
                b.base_offset(),
                b.last_offset(),
                b.record_count(),
                b.base_sequence(),
                if b.base_sequence() < 0 { -1 } else { b.base_sequence().wrapping_add((b.last_offset() - b.base_offset()) as i32) },
                b.producer_id(),
                b.producer_epoch(),
                b.is_transactional(),
                b.is_control(),
                b.timestamp_type(),
                b.max_timestamp_ms(),
                b.size_bytes()
            ));
            for r in b.records() {
                // A record's sequence: the batch's base sequence plus its
                // offset delta, wrapping at Int.MAX to 0; -1 without one.
                let sequence = if b.base_sequence() < 0 {
                    -1
                } else {
                    ((i64::from(b.base_sequence()) + (r.offset - b.base_offset())) % (i64::from(i32::MAX) + 1)) as i32
                };
                let mut line = format!(
                    "| offset: {} {}: {} keySize: {} valueSize: {} sequence: {sequence} headerKeys: []",
                    r.offset,
                    b.timestamp_type(),
                    b.timestamp_of(&r),
                    r.key.as_ref().map_or(-1, |k| k.len() as i64),
                    r.value.as_ref().map_or(-1, |v| v.len() as i64)
                );
                if b.is_control() {
                    let kind = crate::log::producer_state::control_type(r.key).map_or("UNKNOWN", |c| c.name());
                    let epoch = r
                        .value
                        .and_then(|v| v.get(2..6))
                        .map_or(0, |e| i32::from_be_bytes([e[0], e[1], e[2], e[3]]));
                    line.push_str(&format!(" endTxnMarker: {kind} coordinatorEpoch: {epoch}"));
                    emit(line);
                    continue;
                }
                if let Some(k) = &r.key {
                    line.push_str(&format!(" key: {}", display_bytes(k)));
                }
                if let Some(v) = &r.value {
                    line.push_str(&format!(" payload: {}", display_bytes(v)));
                }
                emit(line);
            }
            position += b.size_bytes();
        }
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1_048_576.0)
}

/// One cleaner iteration in the words of Kafka's cleaner log.
pub fn cleaner_report(run: &CleanerRun) -> Vec<String> {
    let mut out = Vec::new();
    match &run.cleaned {
        None => {
            if run.selection.is_empty() {
                out.push("Log cleaner thread 0: no compacted partitions to consider".to_string());
            } else {
                out.push("Log cleaner thread 0: no log is eligible for cleaning; the thread backs off for log.cleaner.backoff.ms".to_string());
            }
        }
        Some(c) => {
            let s = &c.stats;
            let log = &c.topic_partition;
            out.push(format!("Cleaner 0: Beginning cleaning of log {log}"));
            out.push(format!(
                "Cleaner 0: Building offset map for log {log} in offset range [{}, {}).",
                c.first_dirty_offset, c.first_uncleanable_offset
            ));
            if c.end_offset < c.first_uncleanable_offset {
                out.push(format!(
                    "Cleaner 0: Offset map is full ({} keys, log.cleaner.dedupe.buffer.size allows {} per pass): this round ends at offset {}, the next one starts there.",
                    s.map_keys, c.max_keys_per_pass, c.end_offset
                ));
            }
            for g in &c.groups {
                let list = g.iter().map(|b| b.to_string()).collect::<Vec<_>>().join(", ");
                out.push(format!(
                    "Cleaner 0: Swapping in cleaned segment {} for segment(s) [{list}] in log {log}",
                    g[0]
                ));
            }
            out.push(format!(
                "\tLog cleaner thread 0 cleaned log {log} (dirty section = [{}, {}])",
                c.first_dirty_offset, c.end_offset
            ));
            out.push(format!(
                "\t{} MB of log processed ({} bytes).",
                mb(s.bytes_read),
                s.bytes_read
            ));
            out.push(format!(
                "\tIndexed {} MB ({} bytes, {} messages) into the offset map.",
                mb(s.map_bytes_read),
                s.map_bytes_read,
                s.map_messages_read
            ));
            out.push(format!("\tBuffer utilization: {:.1}%", 100.0 * s.buffer_utilization));
            out.push(format!(
                "\tStart size: {} MB ({} bytes, {} messages)",
                mb(s.bytes_read),
                s.bytes_read,
                s.messages_read
            ));
            out.push(format!(
                "\tEnd size: {} MB ({} bytes, {} messages)",
                mb(s.bytes_written),
                s.bytes_written,
                s.messages_written
            ));
            out.push(format!(
                "\t{:.1}% size reduction ({:.1}% fewer messages)",
                s.size_reduction_percent(),
                s.message_reduction_percent()
            ));
            if s.tombstones_stamped > 0 {
                out.push(format!(
                    "\tTombstones kept: {}, stamped with delete horizon {} (now + delete.retention.ms)",
                    s.tombstones_stamped,
                    format_utc(c.delete_horizon_ms)
                ));
            }
            if s.tombstones_removed > 0 {
                out.push(format!(
                    "\tTombstones removed after their delete horizon: {}",
                    s.tombstones_removed
                ));
            }
            if s.invalid_messages_read > 0 {
                out.push(format!(
                    "Cleaner 0: Found {} invalid messages during compaction.",
                    s.invalid_messages_read
                ));
            }
        }
    }
    for d in &run.deleted {
        out.push(format!(
            "Deleting segment {} of {} ({} bytes) due to {} breach; log start offset is now {}",
            d.base_offset,
            d.topic_partition,
            d.size_bytes,
            d.reason.describe(),
            d.log_start_offset
        ));
    }
    out
}

/// The options of [`console_consumer`], as `kafka-console-consumer` shows
/// them on its command line.
pub const CONSOLE_CONSUMER_PROPERTIES: &str =
    "--from-beginning --property print.partition=true --property print.key=true";

/// `key.separator`'s default in Kafka's `DefaultMessageFormatter`.
pub const DEFAULT_KEY_SEPARATOR: &str = "\t";

/// A topic read from the beginning as `kafka-console-consumer` prints it
/// with [`CONSOLE_CONSUMER_PROPERTIES`]: one line per record,
/// `Partition:<p><sep><key><sep><value>` (Kafka's `DefaultMessageFormatter`:
/// partition, then key, then value, each followed by `key.separator`, a tab
/// by default, `null` for a null key or value). Partitions are read one after the other (a real consumer
/// interleaves them in fetch order, which the playground does not model).
/// `emit` gets the first `max_lines` lines; the return value is the total, as
/// the tool's "Processed a total of N messages".
pub fn console_consumer<'a>(
    partitions: impl IntoIterator<Item = &'a PartitionLog>,
    key_separator: &str,
    max_lines: usize,
    mut emit: impl FnMut(String),
) -> u64 {
    let mut total = 0u64;
    for log in partitions {
        if total as usize >= max_lines {
            // Only the count is left to do, and the log knows it.
            total += log.record_count();
            continue;
        }
        for (_, r) in log.records() {
            if (total as usize) < max_lines {
                let text = |b: Option<&[u8]>| b.map_or_else(|| "null".to_string(), display_bytes);
                let (p, sep) = (log.partition(), key_separator);
                emit(format!("Partition:{p}{sep}{}{sep}{}", text(r.key), text(r.value)));
            }
            total += 1;
        }
    }
    total
}

#[cfg(test)]
mod console_consumer_tests {
    use super::*;
    use crate::log_manager::LogManager;
    use crate::scenario;

    #[test]
    fn every_partition_from_the_beginning_with_kafkas_layout() {
        let mut broker = LogManager::default();
        let script = "topic t partitions=2 cleanup.policy=compact\nproduce t/1 a:1\nproduce t/0 b:{\"x\": 1}\ntombstone t/1 a\nproduce t/0 c:3\n";
        for step in scenario::parse(script).unwrap() {
            scenario::runner::run_step(&mut broker, &step);
        }
        let topic = broker.topic("t").unwrap();
        let mut lines = Vec::new();
        let total = console_consumer(topic.partitions(), DEFAULT_KEY_SEPARATOR, 10, |l| lines.push(l));
        assert_eq!(total, 4);
        assert_eq!(
            lines,
            [
                "Partition:0\tb\t{\"x\": 1}",
                "Partition:0\tc\t3",
                "Partition:1\ta\t1",
                "Partition:1\ta\tnull"
            ]
        );
        let mut few = Vec::new();
        assert_eq!(console_consumer(topic.partitions(), " => ", 1, |l| few.push(l)), 4);
        assert_eq!(few, ["Partition:0 => b => {\"x\": 1}"]);
    }
}
