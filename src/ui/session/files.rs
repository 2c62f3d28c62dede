//! The files the page's `import` lines name: picked (or dropped) once, kept
//! for the tab's life by the path the line writes, and handed to every
//! broker that runs the line.
//!
//! A line is only text (`import orders/0 orders-0`); its files are bytes
//! the person chose. Every broker the page builds from the script (a click,
//! a script's replay, undo's replay from a checkpoint, looking back) runs
//! its lines through `session::run_step`, which calls [`provide`] just
//! before an `import` line and takes the files back after it, so that the
//! copies of the broker kept for undo never hold them. A path with no files
//! here (a share link, a saved session, another tab) gets [`MISSING`]: the
//! line is refused with that message, and the rest of the session runs.
//!
//! Simplified: the files are not saved with the session (localStorage holds
//! a few MiB at most, shared with drafts; a log segment is often bigger),
//! and are kept until the tab closes, not dropped when no line names them
//! any more (what the page imports fits its budget of 64 MiB held).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::Entry;
use crate::log_dir::import::ImportFile;
use crate::log_manager::LogManager;
use crate::scenario::Command;
use crate::ui::files_module::ImportFiles;

/// Why an `import` line's files are not there, as the broker's refusal
/// says it (`cannot import orders-0 at byte 0: ...`).
pub const MISSING: &str = "this page does not have the files (share links and saved sessions keep the line, not \
                           its files): pick them again in Kafka's files panel";

/// The longest path a line gets (the rest of a long file name is cut).
const MAX_PATH_CHARS: usize = 80;

thread_local! {
    static FILES: RefCell<BTreeMap<String, Rc<[ImportFile]>>> = const { RefCell::new(BTreeMap::new()) };
}

/// Keeps `files` for an `import` line and returns the path the line
/// writes: `hint` made safe for a line, with ` (2)`, ` (3)`... when other
/// files already have it. The same files again get the same path.
pub fn add(hint: &str, files: Vec<ImportFile>) -> String {
    let base = line_safe(hint);
    FILES.with(|f| {
        let mut f = f.borrow_mut();
        let mut path = base.clone();
        let mut n = 1;
        loop {
            match f.get(&path) {
                Some(have) if **have == *files => return path,
                Some(_) => {
                    n += 1;
                    path = format!("{base} ({n})");
                }
                None => {
                    f.insert(path.clone(), files.into());
                    return path;
                }
            }
        }
    })
}

/// Keeps `files` under exactly `path` (files picked again for a line that
/// names them), replacing what was there.
pub fn put(path: &str, files: Vec<ImportFile>) {
    FILES.with(|f| f.borrow_mut().insert(path.to_string(), files.into()));
}

/// Whether the page has files for `path`.
pub fn has(path: &str) -> bool {
    FILES.with(|f| f.borrow().contains_key(path))
}

/// The bytes of the files kept for `path` (0 without them).
pub fn bytes(path: &str) -> u64 {
    FILES.with(|f| {
        f.borrow()
            .get(path)
            .map_or(0, |files| files.iter().map(|f| f.bytes.len() as u64).sum())
    })
}

/// Before `command` runs on `broker`: an `import` line gets its files (or
/// [`MISSING`]). Returns the path to withdraw once the line has run.
pub fn provide(broker: &mut LogManager, command: &Command) -> Option<String> {
    let Command::Import(i) = command else { return None };
    let files = FILES.with(|f| f.borrow().get(&i.path).cloned());
    broker.provide_import_files(&i.path, files.map(|f| f.to_vec()).ok_or_else(|| MISSING.to_string()));
    Some(i.path.clone())
}

/// The paths of `entries`' `import` lines, each once, in order.
fn import_paths(entries: &[Entry]) -> Vec<String> {
    let mut paths: Vec<String> = Vec::new();
    for e in entries {
        if let Command::Import(i) = &e.step.command {
            if !paths.contains(&i.path) {
                paths.push(i.path.clone());
            }
        }
    }
    paths
}

/// The files of `entries`' `import` lines that the page has, as the files
/// module takes them (`provideFiles(path, [{ name, bytes }])`).
pub fn of_entries(entries: &[Entry]) -> Vec<ImportFiles> {
    import_paths(entries)
        .into_iter()
        .filter_map(|path| {
            let files = FILES.with(|f| f.borrow().get(&path).cloned())?;
            Some((path, files.iter().map(|f| (f.name.clone(), f.bytes.clone())).collect()))
        })
        .collect()
}

/// The paths of `entries`' `import` lines whose files the page does not
/// have (to offer picking them again).
pub fn missing(entries: &[Entry]) -> Vec<String> {
    import_paths(entries).into_iter().filter(|p| !has(p)).collect()
}

/// A path for files: their common folder (`orders-0` for an archive's
/// `orders-0/00000000000000000000.log`, ...), else the one file's name,
/// else `fallback` (loose files picked from a folder: the target, e.g.
/// `orders-0`).
pub fn path_hint(names: &[&str], fallback: &str) -> String {
    let folder = |n: &str| n.split_once('/').map(|(d, _)| d.to_string());
    let first = names.first().and_then(|n| folder(n));
    match (names, first) {
        (_, Some(d)) if names.iter().all(|n| folder(n).as_deref() == Some(d.as_str())) => d,
        ([one], _) => one.rsplit('/').next().unwrap_or(one).to_string(),
        _ => fallback.to_string(),
    }
}

/// `hint` as the rest of a line holds it: no line breaks, no `#` (a
/// comment), no control characters; trimmed and at most
/// [`MAX_PATH_CHARS`]; never empty.
fn line_safe(hint: &str) -> String {
    let s: String = hint
        .chars()
        .map(|c| match c {
            '#' => '_',
            c if c.is_control() => ' ',
            c => c,
        })
        .take(MAX_PATH_CHARS)
        .collect();
    let s = s.trim();
    if s.is_empty() {
        "files".to_string()
    } else {
        s.to_string()
    }
}

#[cfg(all(test, feature = "files"))]
mod tests {
    use super::*;
    use crate::ui::session::tests::step;
    use crate::ui::session::Session;

    /// A segment of two batches at offsets 0 and 5 (a gap, as after a
    /// cleaning), written by the engine's own export.
    fn segment() -> Vec<ImportFile> {
        let mut s = Session::default();
        s.load("topic src cleanup.policy=compact\nproduce src a:1\nproduce src b:2\nproduce src c:3\nproduce src b:4\nroll src\nclean src/0")
            .unwrap();
        let mut files = Vec::new();
        crate::log_dir::export(&s.broker, |path, bytes| {
            if path.starts_with("src-0/") && path.ends_with(".log") {
                files.push(ImportFile {
                    name: path.to_string(),
                    bytes: bytes.to_vec(),
                });
            }
            Ok::<(), ()>(())
        })
        .unwrap();
        assert!(!files.is_empty());
        files
    }

    fn offsets(s: &Session, topic: &str) -> Vec<i64> {
        let log = s.broker.partition(topic, 0).unwrap();
        log.records().map(|(_, r)| r.offset).collect()
    }

    #[test]
    fn an_import_line_replays_undoes_and_looks_back_with_its_files() {
        let path = add("src-0", segment());
        assert_eq!(path, "src-0");
        let mut s = Session::default();
        s.run(step("topic orders cleanup.policy=compact")).unwrap();
        s.run(step(&format!("import orders/0 {path}"))).unwrap();
        s.run(step("produce orders z:9")).unwrap();
        let now = offsets(&s, "orders");
        assert_eq!(
            now,
            [0, 2, 3, 4],
            "the cleaned segment's gap is kept, the next offset follows it"
        );

        // Copies of the broker (undo's checkpoints) hold no files.
        assert!(s.broker.import_files(&path).is_err());

        // A replay of the script gives the same partition.
        let mut again = Session::default();
        again.load(&s.script()).unwrap();
        assert_eq!(offsets(&again, "orders"), now);

        // Looking back after the import line, and undo of the last line.
        let past = s.at(2, None);
        assert_eq!(offsets(&past, "orders"), now[..now.len() - 1]);
        s.undo();
        assert_eq!(offsets(&s, "orders"), now[..now.len() - 1]);
        // Undo of the import itself: the partition is empty again.
        s.undo();
        assert!(offsets(&s, "orders").is_empty());
    }

    #[test]
    fn a_line_whose_files_are_not_here_is_refused_and_the_rest_runs() {
        let mut s = Session::default();
        s.load("topic orders\nimport orders/0 from-a-link\nproduce orders k:v")
            .unwrap();
        let refused = &s.entries[1];
        assert!(!refused.result.ok);
        assert_eq!(
            refused.result.error.as_deref(),
            Some(format!("cannot import from-a-link at byte 0: {MISSING}").as_str())
        );
        assert!(s.entries[2].result.ok);
        assert_eq!(missing(&s.entries), vec!["from-a-link".to_string()]);
        // Picked again under the line's path, the same script imports.
        put("from-a-link", segment());
        assert!(missing(&s.entries).is_empty());
        let script = s.script();
        s.load(&script).unwrap();
        assert!(s.entries.iter().all(|e| e.result.ok), "{:?}", s.entries[1].result.error);
        assert_eq!(of_entries(&s.entries).len(), 1);
    }

    #[test]
    fn a_corrupt_file_names_its_byte_and_changes_nothing() {
        let mut bad = segment();
        let last = bad[0].bytes.len() - 1;
        bad[0].bytes[last] ^= 0xff;
        let path = add("bad-0", bad);
        let mut s = Session::default();
        s.run(step("topic orders")).unwrap();
        let before = s.script();
        let e = s.run(step(&format!("import orders/0 {path}"))).unwrap_err();
        assert!(
            e.text
                .starts_with("cannot import src-0/00000000000000000000.log at byte "),
            "{}",
            e.text
        );
        assert_eq!(s.script(), before);
        assert!(offsets(&s, "orders").is_empty());
    }

    #[test]
    fn paths_are_named_after_the_files_and_kept_apart() {
        assert_eq!(
            path_hint(
                &[
                    "orders-0/00000000000000000000.log",
                    "orders-0/00000000000000000000.index"
                ],
                "x"
            ),
            "orders-0"
        );
        assert_eq!(
            path_hint(&["00000000000000000000.log"], "orders-0"),
            "00000000000000000000.log"
        );
        assert_eq!(path_hint(&["a.log", "a.index"], "orders-0"), "orders-0");
        assert_eq!(path_hint(&["t-0/a.log", "u-0/a.log"], "orders-0"), "orders-0");
        let one = vec![ImportFile {
            name: "a.log".into(),
            bytes: vec![1],
        }];
        let two = vec![ImportFile {
            name: "a.log".into(),
            bytes: vec![2],
        }];
        assert_eq!(add("a.log", one.clone()), "a.log");
        assert_eq!(add("a.log", one), "a.log", "the same files, the same path");
        assert_eq!(bytes("a.log"), 1);
        assert_eq!(bytes("nothing here"), 0);
        assert_eq!(add("a.log", two), "a.log (2)");
        assert_eq!(add("x\n#y", Vec::new()), "x _y");
        assert_eq!(add(" \n", Vec::new()), "files");
    }
}
