//! The page's sentences about the session: what a line did (one sentence
//! per scenario command, in the words `kafka-topics`, `kafka-configs` and
//! the cleaner's log would use) and what a whole script, an undo or a reset
//! did. Pure text from an [`Entry`]'s `scenario::StepResult`, so the
//! reducer and the timeline say the same thing.

use super::format;
use super::session::{Entry, Session, Undone};
use crate::scenario::command::{Alter, Broker, CreateTopic, Produce, Roll, Unset};
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
        Command::Topic(CreateTopic { name, .. }) => format!("Created topic {name}."),
        Command::Alter(Alter { topic, configs }) => format!("Set {} on {topic}.", config_list(configs)),
        Command::Unset(Unset { topic, names }) => {
            format!(
                "Removed the override of {} on {topic}: back to the broker default.",
                names.join(", ")
            )
        }
        Command::Broker(Broker { configs }) => format!("Broker: set {}.", config_list(configs)),
        Command::Produce(Produce { value, .. }) => {
            let what = if value.is_none() { "Tombstone" } else { "Record" };
            let p = r.produced();
            let mut s = format!(
                "{what} written to {} at offset {}.",
                p.map_or("?".to_string(), |p| p.topic_partition.to_string()),
                p.map_or(-1, |p| p.offset)
            );
            if let Some(roll) = p.and_then(|p| p.rolled.as_ref()) {
                s.push_str(&format!(" The append rolled a new segment ({roll})."));
            }
            s
        }
        Command::Generate(g) => {
            format!("Generated {} records over {} keys on {}.", g.count, g.keys, g.topic)
        }
        Command::Producer(p) => format!("Created producer {}.", p.name),
        Command::Transaction(t) => match r.transaction().and_then(|o| o.markers.as_ref()) {
            Some(m) => format!(
                "{} of {}: {} marker{} written.",
                t.word(),
                t.producer,
                m.len(),
                plural(m.len())
            ),
            None => format!("{} began a transaction.", t.producer),
        },
        Command::Load(l) => {
            let n = r.loaded().map_or(0, |o| o.count);
            format!(
                "Started a load of {n} record{} over {} keys on {}, {} per {}.",
                plural(n as usize),
                l.keys,
                l.topic,
                l.rate,
                l.unit.suffix()
            )
        }
        Command::Advance(_) | Command::Clock(_) => {
            format!(
                "Clock is now {}.",
                format::time(r.clock().map_or(e.now_ms, |c| c.now_ms))
            )
        }
        Command::Run(_) => match r.ran() {
            Some(o) => format!(
                "The broker ran until {}: {} record{} appended, {} cleaning{}, {} segment{} deleted.",
                format::time(o.now_ms),
                o.appended,
                plural(o.appended as usize),
                o.cleanings.len(),
                plural(o.cleanings.len()),
                o.deleted_segments,
                plural(o.deleted_segments as usize)
            ),
            None => "The broker ran.".to_string(),
        },
        Command::Roll(Roll { topic, .. }) => match r.rolled().map(|o| o.rolled_partitions.as_slice()) {
            Some([]) | None => format!("Nothing rolled on {topic}: the active segment was already empty."),
            Some(ps) => format!(
                "Rolled {}: a new empty active segment at the log end offset.",
                ps.iter().map(|p| format!("{topic}-{p}")).collect::<Vec<_>>().join(", ")
            ),
        },
        Command::Clean(_) => match r.cleaned().and_then(|c| c.cleaned.as_ref()) {
            Some(c) if c.stats.messages_written == c.stats.messages_read => format!(
                "Cleaned {}: read {} record{} and removed none: each was the latest of its key in the offset map, and \
                 no tombstone's delete horizon had passed (a cleaning still recopies the segments, and stamps \
                 tombstones cleaned for the first time with their horizon).",
                c.topic_partition,
                format::count(c.stats.messages_read),
                plural(usize::try_from(c.stats.messages_read).unwrap_or(usize::MAX)),
            ),
            // In the page's number formats, as the cleaner panel's table.
            Some(c) => format!(
                "Cleaned {}: {} → {} records, {} → {}.",
                c.topic_partition,
                format::count(c.stats.messages_read),
                format::count(c.stats.messages_written),
                format::bytes(c.stats.bytes_read),
                format::bytes(c.stats.bytes_written)
            ),
            None => r
                .cleaned()
                .and_then(|c| c.report.first().cloned())
                .unwrap_or_else(|| "The cleaner found nothing to clean.".to_string()),
        },
        Command::Retention(_) => {
            let n = r.retention().map_or(0, |o| o.deleted.len());
            format!("Retention ran: {n} segment{} deleted.", plural(n))
        }
        Command::Import(c) => format!("Imported {} into {}-{}.", c.path, c.topic, c.partition),
        Command::Consume(c) => {
            let n = r.consumed().map_or(0, |o| o.records.len());
            let mut s = format!("Fetched {n} record{} from {}-{}.", plural(n), c.topic, c.partition);
            if let Some(note) = r.consumed().and_then(|o| o.note.as_ref()) {
                s.push(' ');
                s.push_str(note);
            }
            s
        }
    }
}

/// What a loaded script did: how many lines ran, and the first the broker
/// rejected. `Err` when some were rejected.
///
/// # Errors
///
/// When the broker rejected some lines: the same count, how many were
/// rejected, and the first one's line number and Kafka message, for the page
/// to show as an error.
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
        Command::Topic(CreateTopic { name, .. }) => crate::topic::validate_topic_name(name).err().map(|e| e.to_string()),
        _ => None,
    }
    .unwrap_or_else(|| format!(
        "This cannot be written as a scenario line ({line:?}): keys cannot contain ':' or line breaks, values cannot contain line breaks, and config values cannot contain spaces."
    ))
}

/// After an undo: the line dropped, and how the state before it was
/// rebuilt (the copy of the broker kept after line `from`, if any, and the
/// lines run again after it).
pub fn undone(u: &Undone) -> String {
    let Undone { line, from, replayed } = u;
    let lines = match replayed {
        1 => "the line".to_string(),
        n => format!("the {n} lines"),
    };
    match (*from, *replayed) {
        (_, 0) => format!("Undid `{line}`."),
        (0, _) => format!("Undid `{line}` (ran {lines} before it again)."),
        (f, _) => {
            format!("Undid `{line}` (restored the broker as it was after line {f} and ran {lines} after it again).")
        }
    }
}

/// A change refused while long work runs.
pub fn busy(done: usize, total: usize) -> String {
    format!(
        "Busy running a script (line {done} of {total}): wait for it, or press Cancel to keep the session as it was."
    )
}

/// Long work dropped.
pub fn cancelled(done: usize, total: usize) -> String {
    format!(
        "Cancelled after {done} of {total} line{}: the session is as it was before.",
        plural(total)
    )
}

/// Leaving the past.
pub const BACK_TO_NOW: &str = "Back to now: the page shows the broker as it is.";

/// Looking back at line `k` of a session.
pub fn looking_back(session: &Session, k: usize) -> String {
    let n = session.entries.len();
    match k.checked_sub(1).and_then(|i| session.entries.get(i)) {
        Some(e) => format!(
            "Looking back at #{k} of {n}: the broker as it was after `{}`. Back to now to change the session.",
            crate::ui::format::clip(&e.step.text, 60)
        ),
        None => {
            format!("Looking back: the empty broker before the first of {n} lines. Back to now to change the session.")
        }
    }
}

/// A change refused while looking back.
pub fn looking_back_refused(k: usize, n: usize) -> String {
    format!(
        "You are looking back at #{k} of {n}: the page shows the past and changes nothing in it. Press Back to now first; nothing after #{k} is lost."
    )
}

pub const NOTHING_TO_UNDO: &str = "Nothing to undo.";
pub const RESET: &str = "Reset: an empty broker, an empty session.";
pub const READ_ONLY: &str = "This embedded playground is read-only: open it in the full playground to change it.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cleaning_that_removes_nothing_says_why() {
        let mut s = crate::ui::session::Session::default();
        s.load("topic t cleanup.policy=compact\nproduce t a:1\nproduce t b:1\nroll t\nclean t/0\nproduce t a:2\nroll t\nclean t/0").unwrap();
        let nothing = describe_result(&s.entries[4]);
        assert!(
            nothing.starts_with("Cleaned t-0: read 2 records and removed none: each was the latest of its key"),
            "{nothing}"
        );
        let stats = &s.entries[7]
            .result
            .cleaned()
            .and_then(|c| c.cleaned.as_ref())
            .unwrap()
            .stats;
        assert_eq!(
            describe_result(&s.entries[7]),
            format!(
                "Cleaned t-0: 3 → 2 records, {} B → {} B.",
                stats.bytes_read, stats.bytes_written
            )
        );
        // One record reads in the singular.
        let mut one = crate::ui::session::Session::default();
        one.load("topic t cleanup.policy=compact\nproduce t a:1\nroll t\nclean t/0")
            .unwrap();
        assert!(describe_result(&one.entries[3]).starts_with("Cleaned t-0: read 1 record and removed none"));
    }

    #[test]
    fn an_undo_says_how_the_state_was_rebuilt() {
        let u = |from, replayed| Undone {
            line: "roll t".into(),
            from,
            replayed,
        };
        assert_eq!(undone(&u(0, 0)), "Undid `roll t`.");
        assert_eq!(undone(&u(64, 0)), "Undid `roll t`.");
        assert_eq!(undone(&u(0, 1)), "Undid `roll t` (ran the line before it again).");
        assert_eq!(
            undone(&u(32, 5)),
            "Undid `roll t` (restored the broker as it was after line 32 and ran the 5 lines after it again)."
        );
    }
}

/// What a tombstone must still wait for before it goes (the engine's
/// [`crate::log_manager::TombstoneWait`], in words), the clock at `now_ms`.
pub fn tombstone_wait(wait: &crate::log_manager::TombstoneWait, now_ms: i64) -> String {
    use crate::log_manager::TombstoneWait;
    match wait {
        TombstoneWait::Superseded => {
            "a later record of its key exists: the next cleaning covering it removes it".to_string()
        }
        TombstoneWait::FirstCleaning { horizon_if_cleaned_now_ms } => format!(
            "never cleaned yet: the first cleaning stamps its horizon (now it would be {}), a later cleaning at or after it removes it",
            format::time(*horizon_if_cleaned_now_ms)
        ),
        TombstoneWait::Horizon { at_ms } if *at_ms <= now_ms => format!(
            "horizon {} has passed: the next cleaning of its range removes it (the partition must be selected again)",
            format::time(*at_ms)
        ),
        TombstoneWait::Horizon { at_ms } => {
            format!("goes with a cleaning of its range at or after {}", format::time(*at_ms))
        }
    }
}
