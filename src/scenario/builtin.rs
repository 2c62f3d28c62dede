//! The built-in scenarios: scripts from the tutorials people come from, and
//! the surprises of compaction, each with a sentence on what it teaches.
//!
//! The scripts are files beside this one (`builtins/*.txt`), compiled in so
//! that the CLI, the page and the tests share one copy.

#[cfg(feature = "files")]
use crate::{budget::Budget, log_manager::LogManager, scenario};

/// One built-in scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Builtin {
    /// Stable name, used in URLs and by `playground show`.
    pub id: &'static str,
    pub title: &'static str,
    /// What a learner should take away.
    pub teaches: &'static str,
    pub script: &'static str,
    /// The files its `import` lines name: (the line's path, the built-in
    /// whose export holds them as the partition directory of that name).
    /// The CLI finds them beside the script; [`import_files`] makes them.
    pub imports: &'static [(&'static str, &'static str)],
}

macro_rules! builtin {
    ($id:literal, $title:literal, $teaches:literal) => {
        builtin!($id, $title, $teaches, imports: &[])
    };
    ($id:literal, $title:literal, $teaches:literal, imports: $imports:expr) => {
        Builtin {
            id: $id,
            title: $title,
            teaches: $teaches,
            script: include_str!(concat!("builtins/", $id, ".txt")),
            imports: $imports,
        }
    };
}

const ALL: &[Builtin] = &[
    builtin!(
        "log-compaction-basics",
        "Log compaction basics: user1's updates",
        "Only the latest value per key survives cleaning, and only once the records have left the active segment."
    ),
    builtin!(
        "team-stats",
        "Team stats dashboard (keys and compaction)",
        "Keys route a team's updates to one partition; cleaning keeps each team's latest stats at their original offsets."
    ),
    builtin!(
        "docs-k1-k9",
        "The Kafka docs' K1..K9 example",
        "Offsets never change: compaction leaves gaps, and a consumer sees the same latest values before and after."
    ),
    builtin!(
        "user-profiles-state-store",
        "User profiles as a state store, with a tombstone",
        "A tombstone deletes a key from the state store; it stays for delete.retention.ms, then a later cleaning removes it."
    ),
    builtin!(
        "active-segment-never-cleaned",
        "Why are my duplicates still there? The active segment",
        "Records in the active segment are never cleaned: roll the segment (segment.bytes or segment.ms) before compaction can see them."
    ),
    builtin!(
        "tombstone-lingers",
        "A tombstone outlives delete.retention.ms",
        "The delete horizon is stamped by the first cleaning; the tombstone goes only at a later cleaning past the horizon, which needs the log to be dirty again."
    ),
    builtin!(
        "dirty-ratio-threshold",
        "A dirty ratio exactly at the threshold does not clean",
        "The log is cleaned only when its dirty ratio is strictly above min.cleanable.dirty.ratio."
    ),
    builtin!(
        "min-compaction-lag",
        "min.compaction.lag.ms protects fresh data",
        "Segments with records younger than min.compaction.lag.ms are not cleaned, whatever the dirty ratio."
    ),
    builtin!(
        "max-compaction-lag",
        "max.compaction.lag.ms forces a roll and a cleaning",
        "On a compacted topic max.compaction.lag.ms caps segment.ms, and a log past it is cleaned even below the dirty ratio."
    ),
    builtin!(
        "small-dedupe-buffer",
        "A small dedupe buffer cleans in several rounds",
        "When the offset map fills, the round stops there; the next round starts where it stopped."
    ),
    builtin!(
        "quiet-topic-waits-for-a-roll",
        "A quiet topic waits for a roll, with the broker running",
        "A quiet topic is not cleaned however often the cleaner wakes: segment.ms rolls a segment only when an append's timestamp is past it, and the cleaner's next wake then cleans it."
    ),
    builtin!(
        "max-lag-under-load",
        "max.compaction.lag.ms under a steady load",
        "Under load, max.compaction.lag.ms rolls a segment every lag and has it cleaned at the cleaner's next wake, however low its dirty ratio, bounding how long an overwritten value stays."
    ),
    builtin!(
        "tombstone-lifetime",
        "A tombstone's day on a busy topic",
        "The first cleaning stamps a tombstone with a horizon 24 h (delete.retention.ms) later; cleanings before it keep the tombstone, and the first cleaning at or after it, which needs a roll, drops it."
    ),
    builtin!(
        "dirty-ratio-sawtooth",
        "The dirty-ratio sawtooth: 0.5 against 0.1",
        "A log grows until its dirty ratio is above min.cleanable.dirty.ratio and is cleaned back to one record per key: a lower ratio keeps it smaller at the cost of many more cleanings."
    ),
    builtin!(
        "state-store-in-real-time",
        "The state-store tutorial, with the broker running",
        "What a consumer sees at each moment of the tutorial: duplicates go at the cleaner's first wake after a later record rolls their segment, and a partition that gets no later record keeps its old values."
    ),
    builtin!(
        "exactly-once-changelog",
        "An exactly-once Streams changelog: commits, an abort, and cleaning",
        "Aborted updates stay in the log until the cleaner removes them whatever their keys; read_committed readers never see them, before or after cleaning."
    ),
    builtin!(
        "hanging-transaction",
        "A hanging transaction stops compaction",
        "An open transaction holds the last stable offset at its first offset, and the cleaner never cleans past it until the transaction is aborted."
    ),
    builtin!(
        "markers-outlive-data",
        "Transaction markers outlive their data",
        "A commit marker stays while its transaction's batches are read, then is stamped and removed only after delete.retention.ms, like a tombstone."
    ),
    builtin!(
        "idempotent-empty-batch",
        "An idempotent producer's empty batch survives cleaning",
        "The cleaner keeps each active producer's last batch, even emptied, so the broker keeps its last sequence; it goes once the producer writes again or expires."
    ),
    builtin!(
        "user-profiles-partition",
        "A partition as a broker holds it: two hours of profile updates",
        "A topic with cleanup.policy=delete keeps every update of every key; its files, in Kafka's format, are the sample the next lesson imports."
    ),
    builtin!(
        "what-will-the-cleaner-do",
        "What will the cleaner do to my partition?",
        "Import a partition's files, read its dirty ratio and the cleaner's plan before changing anything, clean it, and export the result; an imported partition is cleaned from its start, as its cleaner checkpoint stays behind.",
        imports: &[("user-profiles-0", "user-profiles-partition")]
    ),
];

/// Every built-in scenario, in teaching order.
pub fn all() -> &'static [Builtin] {
    ALL
}

/// The built-in scenario with this id.
pub fn find(id: &str) -> Option<&'static Builtin> {
    ALL.iter().find(|b| b.id == id)
}

/// The files `b`'s `import` lines name, made by running each source
/// built-in and exporting it (deterministic, so always the same bytes):
/// (path, files named `<path>/<file>`, as the CLI reads a directory).
#[cfg(feature = "files")]
pub fn import_files(b: &Builtin) -> Vec<(&'static str, Vec<crate::log_dir::import::ImportFile>)> {
    b.imports
        .iter()
        .map(|&(path, source)| {
            let mut files = Vec::new();
            if let Some(source) = find(source) {
                let mut broker = LogManager::with_budget(Budget::CLI);
                // A source built-in has no imports of its own (a test holds
                // every built-in's script free of syntax errors).
                let _ = scenario::run_on(&mut broker, source.script);
                let dir = format!("{path}/");
                let _ = crate::log_dir::export(&broker, |name, bytes| {
                    if name.starts_with(&dir) {
                        files.push(crate::log_dir::import::ImportFile {
                            name: name.to_string(),
                            bytes: bytes.to_vec(),
                        });
                    }
                    Ok::<(), ()>(())
                });
            }
            (path, files)
        })
        .collect()
}

/// Runs `b` as the CLI would with its import files beside it.
///
/// # Errors
///
/// A syntax error in its script (a test catches it).
#[cfg(feature = "files")]
pub fn run(b: &Builtin) -> Result<scenario::RunOutput, scenario::SyntaxError> {
    let mut broker = LogManager::with_budget(Budget::CLI);
    for (path, files) in import_files(b) {
        broker.provide_import_files(path, Ok(files));
    }
    let results = scenario::run_on(&mut broker, b.script)?;
    Ok(scenario::output(&broker, results))
}

/// A group of lessons on the page's first screen, by where a learner comes
/// from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group {
    pub title: &'static str,
    pub blurb: &'static str,
    /// Built-in ids, in the order to offer them.
    pub ids: &'static [&'static str],
}

const GROUPS: &[Group] = &[
    Group {
        title: "From a tutorial",
        blurb: "The flows of the tutorials people come from, step by step.",
        ids: &[
            "log-compaction-basics",
            "team-stats",
            "user-profiles-state-store",
            "docs-k1-k9",
        ],
    },
    Group {
        title: "The classic surprises",
        blurb: "Why are my duplicates still there? Why did the tombstone stay?",
        ids: &[
            "active-segment-never-cleaned",
            "tombstone-lingers",
            "dirty-ratio-threshold",
            "min-compaction-lag",
            "max-compaction-lag",
            "small-dedupe-buffer",
        ],
    },
    Group {
        title: "The broker in time",
        blurb: "A broker that runs by itself: when does the cleaner act, and why not yet?",
        ids: &[
            "quiet-topic-waits-for-a-roll",
            "state-store-in-real-time",
            "max-lag-under-load",
            "tombstone-lifetime",
            "dirty-ratio-sawtooth",
        ],
    },
    Group {
        title: "Transactions",
        blurb: "Idempotent and transactional producers: markers, aborted data, and an open transaction that holds the cleaner back.",
        ids: &[
            "exactly-once-changelog",
            "hanging-transaction",
            "markers-outlive-data",
            "idempotent-empty-batch",
        ],
    },
    Group {
        title: "Kafka's files",
        blurb: "A real partition's files in, Kafka's cleaner on them, and the result out, before touching the cluster.",
        ids: &["what-will-the-cleaner-do", "user-profiles-partition"],
    },
];

/// The lessons offered first, grouped; every built-in is in one group.
pub fn groups() -> &'static [Group] {
    GROUPS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_is_offered_in_exactly_one_group() {
        for b in all() {
            let n = groups().iter().flat_map(|g| g.ids).filter(|id| **id == b.id).count();
            assert_eq!(n, 1, "{} is in {n} groups", b.id);
        }
        for id in groups().iter().flat_map(|g| g.ids) {
            assert!(find(id).is_some(), "{id} is not a built-in");
        }
    }
}
