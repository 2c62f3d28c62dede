//! The page's sentences about the session: what a line did (one sentence
//! per scenario command, in the words `kafka-topics`, `kafka-configs` and
//! the cleaner's log would use) and what a whole script, an undo or a reset
//! did. Pure text from an [`Entry`]'s `scenario::StepResult`, so the
//! reducer and the timeline say the same thing.

use super::format;
use super::session::Entry;
use crate::scenario::Command;

/// "" or "s".
pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `k=v, k=v`.
fn config_list(configs: &[(String, String)]) -> String {
    configs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A sentence on what a successful line did.
pub fn describe_result(e: &Entry) -> String {
    let r = &e.result;
    match &e.step.command {
        Command::Topic { name, .. } => format!("Created topic {name}."),
        Command::Alter { topic, configs } => format!("Set {} on {topic}.", config_list(configs)),
        Command::Unset { topic, names } => {
            format!(
                "Removed the override of {} on {topic}: back to the broker default.",
                names.join(", ")
            )
        }
        Command::Broker { configs } => format!("Broker: set {}.", config_list(configs)),
        Command::Produce { value, .. } => {
            let what = if value.is_none() { "Tombstone" } else { "Record" };
            let mut s = format!(
                "{what} written to {}-{} at offset {}.",
                r.topic.as_deref().unwrap_or("?"),
                r.partition.unwrap_or(0),
                r.offset.unwrap_or(-1)
            );
            if let Some(roll) = &r.rolled {
                s.push_str(&format!(" The append rolled a new segment ({roll})."));
            }
            s
        }
        Command::Generate { topic, count, keys, .. } => {
            format!("Generated {count} records over {keys} keys on {topic}.")
        }
        Command::Advance { .. } | Command::Clock { .. } => {
            format!("Clock is now {}.", format::time(r.now_ms.unwrap_or(e.now_ms)))
        }
        Command::Roll { topic, .. } => match r.rolled_partitions.as_deref() {
            Some([]) | None => format!("Nothing rolled on {topic}: the active segment was already empty."),
            Some(ps) => format!(
                "Rolled {}: a new empty active segment at the log end offset.",
                ps.iter().map(|p| format!("{topic}-{p}")).collect::<Vec<_>>().join(", ")
            ),
        },
        Command::Clean { .. } => match &r.cleaned {
            Some(Some(c)) => format!(
                "Cleaned {}-{}: {} → {} records, {} → {} bytes.",
                c.topic,
                c.partition,
                c.stats.messages_read,
                c.stats.messages_written,
                c.stats.bytes_read,
                c.stats.bytes_written
            ),
            _ => r
                .report
                .as_ref()
                .and_then(|l| l.first().cloned())
                .unwrap_or_else(|| "The cleaner found nothing to clean.".to_string()),
        },
        Command::Retention => {
            let n = r.deleted.as_ref().map_or(0, Vec::len);
            format!("Retention ran: {n} segment{} deleted.", plural(n))
        }
        Command::Consume { topic, partition, .. } => {
            let n = r.records.as_ref().map_or(0, Vec::len);
            let mut s = format!("Fetched {n} record{} from {topic}-{partition}.", plural(n));
            if let Some(note) = &r.note {
                s.push(' ');
                s.push_str(note);
            }
            s
        }
    }
}

/// What a loaded script did: how many lines ran, and the first the broker
/// rejected. `Err` when some were rejected.
pub fn script_ran(entries: &[Entry]) -> Result<String, String> {
    let n = entries.len();
    let rejected: Vec<&Entry> = entries.iter().filter(|e| !e.result.ok).collect();
    match rejected.first() {
        None => Ok(format!("Ran {n} line{}.", plural(n))),
        Some(first) => Err(format!(
            "Ran {n} line{}; {} rejected by the broker (first: line {}: {}).",
            plural(n),
            rejected.len(),
            first.step.line,
            first.result.error.as_deref().unwrap_or("rejected")
        )),
    }
}

/// A click that cannot become a scenario line. A topic name that cannot be
/// a word is one Kafka refuses too: then Kafka's words.
pub fn unwritable(command: &Command, line: &str) -> String {
    match command {
        Command::Topic { name, .. } => crate::topic::validate_topic_name(name).err().map(|e| e.to_string()),
        _ => None,
    }
    .unwrap_or_else(|| format!(
        "This cannot be written as a scenario line ({line:?}): keys cannot contain ':' or line breaks, values cannot contain line breaks, and config values cannot contain spaces."
    ))
}

/// After an undo of `line`, with `left` lines replayed.
pub fn undone(line: &str, left: usize) -> String {
    format!("Undid `{line}` (replayed the {left} line{} before it).", plural(left))
}

pub const NOTHING_TO_UNDO: &str = "Nothing to undo.";
pub const RESET: &str = "Reset: an empty broker, an empty session.";
pub const READ_ONLY: &str = "This embedded playground is read-only: open it in the full playground to change it.";
