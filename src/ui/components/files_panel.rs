//! Kafka's files, next to the log view: the session as a broker's log
//! directory (one `.tar` download, what `export FILE DIR` writes),
//! `kafka-dump-log.sh` over any of its segment files, and files in
//! (`import <topic>/<p> <path>`: a partition directory's files, a `.tar`
//! of one, or the text of `kafka-dump-log.sh --print-data-log`).
//!
//! Everything here needs Kafka's files support, which the page loads on
//! first use ([`crate::ui::files_module`], about 375 KB gzipped): until then
//! the panel costs nothing, and when the load fails (the single-file
//! playground, offline) it says why and the rest of the page works on. The
//! download and the dump replay the shown session in that module, so they
//! are of the past while looking back, and say so.
//!
//! Simplified: a dump shows at most [`MAX_DUMP_LINES`] lines (Copy copies
//! all of them); the import offers a new topic named after a partition
//! directory (`orders-0` -> `orders`), created with `cleanup.policy=compact`
//! (the files do not carry the topic's configs).

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::{inline_status, Panel};
use crate::budget::Budget;
use crate::log_dir::dump_text::is_dump_text;
use crate::log_dir::import::{read_log_within, ImportFile};
use crate::scenario::builtin;
use crate::ui::browser::{self, NamedBytes};
use crate::ui::files_module::{
    is_loaded, provide_builtin_files, with_files_module, FilesModule, FilesSession, ImportFiles,
};
use crate::ui::format;
use crate::ui::hooks::{use_app, AppHandle};
use crate::ui::session::files;
use crate::ui::state::{Action, Origin, StatusKind};

/// Lines of a dump drawn at most (a big segment's dump is megabytes).
pub const MAX_DUMP_LINES: usize = 1000;

/// File bytes one pick takes at most: the page's budget of bytes held.
const MAX_PICK_BYTES: u64 = Budget::PAGE.bytes;

/// The segment files a dump offers, by extension.
const DUMPABLE: [&str; 4] = [".log", ".index", ".timeindex", ".txnindex"];

/// What the module is doing, said beside the buttons that need it.
fn loading_note() -> String {
    "Loading Kafka's files support (about 375 KB, once)…".to_string()
}

thread_local! {
    /// The module's session for a script and its files, kept while they
    /// are the same (a download and the dumps of one session replay it
    /// once).
    static CACHE: RefCell<Option<(String, Rc<FilesSession>)>> = const { RefCell::new(None) };
}

/// The shown session replayed in the module (reused while its script and
/// files are the same).
fn module_session(m: &FilesModule, script: &str, with: &[ImportFiles]) -> Result<Rc<FilesSession>, String> {
    let key = format!(
        "{script}\u{0}{}",
        with.iter()
            .map(|(p, f)| format!("{p}:{}", f.len()))
            .collect::<Vec<_>>()
            .join(",")
    );
    if let Some((k, s)) = CACHE.with(|c| c.borrow().clone()) {
        if k == key {
            return Ok(s);
        }
    }
    let s = Rc::new(m.session(script, with)?);
    CACHE.with(|c| *c.borrow_mut() = Some((key, s.clone())));
    Ok(s)
}

/// The shown session replayed in the module, for `then` (after the
/// module has loaded: the first time, a note says it is loading).
fn with_shown_session(app: &AppHandle, then: impl FnOnce(Result<Rc<FilesSession>, String>) + 'static) {
    let app = app.clone();
    with_files_module(move |m| {
        let (script, with) = shown_with_files(&app);
        then(m.and_then(|m| module_session(&m, &script, &with)));
    });
}

/// The shown session: its script, and what it is (now, or the past after
/// line k, with its clock).
fn shown(app: &AppHandle) -> (String, Option<usize>, i64) {
    let s = app.state();
    let shown = s.shown();
    (shown.script(), s.past.as_ref().map(|p| p.at), shown.broker.now_ms())
}

/// The shown session's script and its import lines' files (copied: only
/// when the module is to replay it).
fn shown_with_files(app: &AppHandle) -> (String, Vec<ImportFiles>) {
    let s = app.state();
    (s.shown().script(), files::of_entries(&s.shown().entries))
}

/// `kafka-logs-2024-01-01T00-00-00Z.tar`: the clock, in a file name.
fn archive_name(now_ms: i64) -> String {
    let utc = crate::clock::format_utc(now_ms);
    let t: String = utc
        .strip_suffix(".000Z")
        .map_or(utc.clone(), |s| format!("{s}Z"))
        .chars()
        .map(|c| if c == ':' { '-' } else { c })
        .collect();
    format!("kafka-logs-{t}.tar")
}

/// A partition directory's name split (`orders-0` -> `orders`, 0).
fn topic_partition_of(dir: &str) -> Option<(String, u32)> {
    let (t, p) = dir.rsplit_once('-')?;
    (!t.is_empty()).then(|| p.parse().ok().map(|p| (t.to_string(), p)))?
}

/// Picked files as import groups: an archive's partition directories, or
/// the loose files as one group (`None` for its folder).
fn groups_of(entries: Vec<NamedBytes>) -> Vec<(Option<String>, Vec<NamedBytes>)> {
    let mut groups: Vec<(Option<String>, Vec<NamedBytes>)> = Vec::new();
    for (name, bytes) in &entries {
        let Some((dir, _)) = name.rsplit_once('/') else {
            continue;
        };
        let dir = dir.rsplit('/').next().unwrap_or(dir).to_string();
        match groups.iter_mut().find(|(d, _)| d.as_deref() == Some(dir.as_str())) {
            Some((_, g)) => g.push((name.clone(), bytes.clone())),
            None => groups.push((Some(dir), vec![(name.clone(), bytes.clone())])),
        }
    }
    groups.retain(|(_, g)| g.iter().any(|(n, b)| n.ends_with(".log") || is_dump_text(b)));
    if groups.is_empty() {
        groups.push((None, entries));
    }
    groups
}

/// Whether picked files are one tar archive.
fn is_archive(picked: &[NamedBytes]) -> bool {
    matches!(picked, [(name, bytes)] if name.ends_with(".tar") || bytes.get(257..262) == Some(b"ustar"))
}

/// Reads picked files (an archive through the module), then `done` with
/// the groups they make.
fn read_picked(
    picked: browser::ReadFiles,
    done: impl FnOnce(Result<Vec<(Option<String>, Vec<NamedBytes>)>, String>) + 'static,
) {
    let picked = match picked {
        Ok(p) => p,
        Err(e) => return done(Err(e)),
    };
    with_files_module(move |m| {
        let m = match m {
            Ok(m) => m,
            Err(e) => return done(Err(e)),
        };
        let entries = if is_archive(&picked) {
            match m.read_archive(&picked[0].1) {
                Ok(entries) => entries,
                Err(e) => return done(Err(format!("{}: {e}", picked[0].0))),
            }
        } else {
            picked
        };
        done(Ok(groups_of(entries)))
    });
}

fn import_files(group: &[NamedBytes]) -> Vec<ImportFile> {
    group
        .iter()
        .map(|(name, bytes)| ImportFile {
            name: name.clone(),
            bytes: bytes.clone(),
        })
        .collect()
}

/// A note of the panel's own (module loads, downloads, files read).
#[derive(Clone, PartialEq)]
struct Note(StatusKind, String);

fn note_html(note: &Option<Note>, test_id: &str) -> Html {
    let Some(Note(kind, text)) = note else {
        return Html::default();
    };
    let (class, role) = match kind {
        StatusKind::Error => ("msg msg-error", "alert"),
        StatusKind::Ok => ("msg msg-ok", "status"),
        StatusKind::Info => ("msg msg-info", "status"),
    };
    html! { <p class={class} role={role} data-test-id={test_id.to_string()}>{ text.clone() }</p> }
}

/// A dump's text and the command that prints it.
#[derive(Clone, PartialEq)]
struct Dumped {
    /// The script of the session dumped (a later one makes it stale).
    script: String,
    command: String,
    stdout: String,
    stderr: String,
}

/// Files picked for an import, waiting for a target.
#[derive(Clone, PartialEq)]
struct Picked {
    groups: Vec<(Option<String>, Vec<NamedBytes>)>,
}

#[function_component(FilesPanel)]
pub fn files_panel() -> Html {
    let note = use_state(|| None::<Note>);
    let dump_open = use_state(|| false);
    let import_open = use_state(|| false);
    let Some(app) = use_app() else { return Html::default() };
    let s = app.state();
    let (_, past, now_ms) = shown(&app);
    let download = {
        let (app, note) = (app.clone(), note.clone());
        Callback::from(move |_: MouseEvent| {
            if !is_loaded() {
                note.set(Some(Note(StatusKind::Info, loading_note())));
            }
            let (app2, note) = (app.clone(), note.clone());
            with_shown_session(&app, move |session| {
                let (_, past, now_ms) = shown(&app2);
                note.set(Some(match session.and_then(|s| s.export_archive()) {
                    Ok(tar) => {
                        let name = archive_name(now_ms);
                        let when = match past {
                            Some(k) => format!("the session as it was after line {k} (the past shown)"),
                            None => "the session now".to_string(),
                        };
                        if browser::download_bytes(&name, &tar, "application/x-tar") {
                            let size = format::bytes(tar.len() as u64);
                            Note(
                                StatusKind::Ok,
                                format!("Downloaded {name} ({size}): {when}, as a broker's log.dirs folder holds it."),
                            )
                        } else {
                            Note(StatusKind::Error, "This browser refused the download.".to_string())
                        }
                    }
                    Err(e) => Note(StatusKind::Error, e),
                }));
            });
        })
    };
    let toggle = |h: &UseStateHandle<bool>| {
        let h = h.clone();
        Callback::from(move |e: Event| h.set(browser::details_open(&e)))
    };
    let looking = past
        .map(|k| format!(" (the past shown: after line {k})"))
        .unwrap_or_default();
    html! {
        <Panel title="Kafka's files" id="files" subtitle={AttrValue::from("the session as a broker's log directory")}>
            <div class="inline-form">
                <button type="button" class="btn btn-small" onclick={download} data-test-id="files-download"
                    title="One .tar of what a broker's log.dirs folder would hold: tar -xf it, then run Kafka's tools on it">
                    { format!("Download the log directory (.tar){looking}") }</button>
                <span class="small muted">{ archive_name(now_ms) }</span>
            </div>
            { note_html(&note, "files-message") }
            if !s.read_only {
                <Repick />
            }
            // Each part is drawn only while open: closed, it costs nothing.
            <details class="files-fold" ontoggle={toggle(&dump_open)} data-test-id="dump-fold">
                <summary>{ "kafka-dump-log.sh: a segment file as Kafka's tool prints it" }</summary>
                if *dump_open { <DumpView /> }
            </details>
            if !s.read_only {
                <details class="files-fold" ontoggle={toggle(&import_open)} data-test-id="import-fold">
                    <summary>{ "Import Kafka's files into an empty partition" }</summary>
                    if *import_open { <ImportView /> }
                </details>
            }
        </Panel>
    }
}

/// `kafka-dump-log.sh --files <file> <options>` over the shown session.
#[function_component(DumpView)]
fn dump_view() -> Html {
    let paths = use_state(|| None::<Result<Vec<String>, String>>);
    let pick = use_state(|| (String::new(), String::new()));
    let options = use_state(|| (true, false, false));
    let dumped = use_state(|| None::<Dumped>);
    let note = use_state(|| None::<Note>);
    let Some(app) = use_app() else { return Html::default() };
    let s = app.state();
    let (script_now, _, _) = shown(&app);
    // The export's paths, now and whenever the session moves.
    {
        let (app, paths) = (app.clone(), paths.clone());
        use_effect_with(script_now.clone(), move |_| {
            with_shown_session(&app, move |session| {
                paths.set(Some(session.and_then(|s| s.export_paths())))
            });
        });
    }
    let partitions: Vec<String> = s
        .shown()
        .broker
        .topics()
        .flat_map(|t| {
            t.partitions()
                .iter()
                .map(|l| l.topic_partition().to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    let partition = if partitions.contains(&pick.0) {
        pick.0.clone()
    } else {
        s.current_topic()
            .map(|t| format!("{t}-0"))
            .filter(|p| partitions.contains(p))
            .or_else(|| partitions.first().cloned())
            .unwrap_or_default()
    };
    let prefix = format!("{partition}/");
    let file_list: Vec<String> = match &*paths {
        Some(Ok(p)) => p
            .iter()
            .filter(|p| {
                p.strip_prefix(&prefix).is_some_and(|f| !f.contains('/')) && DUMPABLE.iter().any(|e| p.ends_with(e))
            })
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    let file = if file_list.contains(&pick.1) {
        pick.1.clone()
    } else {
        file_list.first().cloned().unwrap_or_default()
    };
    let (print_data, deep, sanity) = *options;
    let flags = [
        (print_data, "--print-data-log"),
        (deep, "--deep-iteration"),
        (sanity, "--index-sanity-check"),
    ];
    let command = flags
        .iter()
        .filter(|(on, _)| *on)
        .fold(format!("kafka-dump-log.sh --files {file}"), |c, (_, f)| {
            format!("{c} {f}")
        });
    let on_partition = {
        let pick = pick.clone();
        Callback::from(move |e: Event| pick.set((browser::select_value(&e), String::new())))
    };
    let on_file = {
        let (pick, partition) = (pick.clone(), partition.clone());
        Callback::from(move |e: Event| pick.set((partition.clone(), browser::select_value(&e))))
    };
    let checks = flags.iter().enumerate().map(|(i, (on, flag))| {
        let options = options.clone();
        let onchange = Callback::from(move |e: Event| {
            let on = browser::checked(&e);
            let mut o = *options;
            *[&mut o.0, &mut o.1, &mut o.2][i] = on;
            options.set(o);
        });
        html! {
            <label class="check"><input type="checkbox" checked={*on} {onchange} data-test-id={format!("dump-{}", &flag[2..])} /><code>{ *flag }</code></label>
        }
    });
    let run = {
        let (app, dumped, note, file, command) =
            (app.clone(), dumped.clone(), note.clone(), file.clone(), command.clone());
        Callback::from(move |_: MouseEvent| {
            let (dumped, note, file, command) = (dumped.clone(), note.clone(), file.clone(), command.clone());
            let script = shown(&app).0;
            with_shown_session(&app, move |session| {
                let options = [
                    ("printDataLog", print_data),
                    ("deepIteration", deep),
                    ("indexSanityCheck", sanity),
                ];
                match session.and_then(|s| s.dump(&[file], &options)) {
                    Ok((stdout, stderr)) => {
                        note.set(None);
                        dumped.set(Some(Dumped {
                            script,
                            command,
                            stdout,
                            stderr,
                        }));
                    }
                    Err(e) => note.set(Some(Note(StatusKind::Error, e))),
                }
            });
        })
    };
    let out = (*dumped).as_ref().map(|d| {
        let lines: Vec<&str> = d.stdout.lines().collect();
        let drawn = lines.len().min(MAX_DUMP_LINES);
        let more = lines.len() - drawn;
        let copy = {
            let all = format!("{}{}", d.stdout, d.stderr);
            Callback::from(move |_: MouseEvent| {
                browser::copy_to_clipboard(&all);
            })
        };
        html! {
            <div class="dump-result" data-test-id="dump-result">
                if d.script != script_now {
                    <p class="msg msg-info" data-test-id="dump-stale">{ "The session has changed since this dump: dump again to see it now." }</p>
                }
                <div class="dump-head">
                    <code class="wrap-code" data-test-id="dump-command">{ format!("$ {}", d.command) }</code>
                    <button type="button" class="btn btn-small" onclick={copy} data-test-id="dump-copy">{ "Copy" }</button>
                </div>
                <pre class="console-out dump-out" tabindex="0" aria-label="kafka-dump-log.sh output" data-test-id="dump-stdout">{ lines[..drawn].join("\n") }</pre>
                if more > 0 {
                    <p class="small muted" data-test-id="dump-more">{ format!("… {} more lines not shown ({} lines in all); Copy copies them all.", format::count(more as u64), format::count(lines.len() as u64)) }</p>
                }
                if !d.stderr.is_empty() {
                    <pre class="console-out dump-err" tabindex="0" aria-label="kafka-dump-log.sh errors (stderr)" data-test-id="dump-stderr">{ d.stderr.clone() }</pre>
                }
            </div>
        }
    });
    let state = match &*paths {
        None => Some(Note(StatusKind::Info, loading_note())),
        Some(Err(e)) => Some(Note(StatusKind::Error, e.clone())),
        Some(Ok(_)) => None,
    };
    let state_id = if matches!(&*paths, Some(Err(_))) {
        "files-load-failed"
    } else {
        "files-loading"
    };
    let option =
        |v: &String, label: String, selected: bool| html! { <option value={v.clone()} {selected}>{ label }</option> };
    html! {
        <>
            { note_html(&state, state_id) }
            <div class="inline-form">
                <div class="field">
                    <label for="dump-partition">{ "Partition" }</label>
                    <select id="dump-partition" class="input input-small" onchange={on_partition} data-test-id="dump-partition">
                        { for partitions.iter().map(|p| option(p, p.clone(), *p == partition)) }
                    </select>
                </div>
                <div class="field">
                    <label for="dump-file">{ "File" }</label>
                    <select id="dump-file" class="input input-small" onchange={on_file} data-test-id="dump-file">
                        { for file_list.iter().map(|f| option(f, f.rsplit('/').next().unwrap_or(f).to_string(), *f == file)) }
                    </select>
                </div>
            </div>
            <div class="inline-form">
                { for checks }
                <button type="button" class="btn btn-small" onclick={run} disabled={file.is_empty()} data-test-id="dump-run">{ "Dump" }</button>
            </div>
            // Before a dump, the command these choices make; after one,
            // its output says it above the text.
            if out.is_none() {
                <p class="small muted">{ "Run the same in the broker's log directory (log.dirs): " }<code class="wrap-code">{ command }</code></p>
            }
            { note_html(&note, "dump-message") }
            { out.unwrap_or_default() }
        </>
    }
}

/// Files in: picked or dropped, then a target and the `import` line.
#[function_component(ImportView)]
fn import_view() -> Html {
    let picked = use_state(|| None::<Picked>);
    let choice = use_state(|| (0usize, String::new()));
    let note = use_state(|| None::<Note>);
    let Some(app) = use_app() else { return Html::default() };
    let s = app.state();
    let take = {
        let (picked, choice, note) = (picked.clone(), choice.clone(), note.clone());
        Rc::new(move |read: browser::ReadFiles| {
            if !is_loaded() {
                note.set(Some(Note(StatusKind::Info, loading_note())));
            }
            let (picked, choice, note) = (picked.clone(), choice.clone(), note.clone());
            read_picked(read, move |groups| {
                choice.set((0, String::new()));
                match groups {
                    Ok(groups) => {
                        note.set(None);
                        picked.set(Some(Picked { groups }));
                    }
                    Err(e) => {
                        picked.set(None);
                        note.set(Some(Note(StatusKind::Error, e)));
                    }
                }
            });
        })
    };
    let on_pick = {
        let take = take.clone();
        Callback::from(move |e: Event| {
            let take = take.clone();
            browser::read_chosen_files(&e, MAX_PICK_BYTES, move |r| take(r));
        })
    };
    let on_drop = Callback::from(move |e: DragEvent| {
        let take = take.clone();
        browser::read_dropped_files(&e, MAX_PICK_BYTES, move |r| take(r));
    });
    let on_drag_over = Callback::from(|e: DragEvent| browser::allow_drop(&e));
    let present = &s.session.broker;
    let form = (*picked).as_ref().map(|p| {
        let g = choice.0.min(p.groups.len().saturating_sub(1));
        let (dir, group) = &p.groups[g];
        // Empty partitions of the present session, and a new topic named
        // after the files' directory when there is none of that name.
        let mut targets: Vec<(String, String)> = present
            .topics()
            .flat_map(|t| {
                t.partitions()
                    .iter()
                    .filter(|l| l.log_end_offset() == 0 && l.record_count() == 0)
                    .map(|l| {
                        let tp = l.topic_partition();
                        let v = format!("{}/{}", tp.topic, tp.partition);
                        (v.clone(), v)
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        if let Some((t, part)) = dir.as_deref().and_then(topic_partition_of).filter(|(t, _)| present.topic(t).is_err()) {
            targets.insert(0, (format!("new:{t}/{part}"), format!("{t}/{part} (new topic {t}, cleanup.policy=compact)")));
        }
        let chosen = match targets.iter().find(|(v, _)| *v == choice.1) {
            Some((v, _)) => v.clone(),
            None => targets.first().map(|(v, _)| v.clone()).unwrap_or_default(),
        };
        let on_group = {
            let choice = choice.clone();
            Callback::from(move |e: Event| choice.set((browser::select_value(&e).parse().unwrap_or(0), String::new())))
        };
        let on_target = {
            let choice = choice.clone();
            Callback::from(move |e: Event| choice.set((g, browser::select_value(&e))))
        };
        let on_import = {
            let (app, picked, note, chosen, dir, group) =
                (app.clone(), picked.clone(), note.clone(), chosen.clone(), dir.clone(), group.clone());
            Callback::from(move |_: MouseEvent| {
                let (new, tp) = match chosen.strip_prefix("new:") {
                    Some(tp) => (true, tp),
                    None => (false, chosen.as_str()),
                };
                let Some((topic, part)) = tp.rsplit_once('/').and_then(|(t, p)| Some((t, p.parse::<u32>().ok()?))) else {
                    return;
                };
                let files_in = import_files(&group);
                // Refused files change nothing, not even a topic first: read
                // here within what the session has left, as the broker will.
                let (budget, used) = {
                    let s = app.state();
                    (*s.session.broker.budget(), *s.session.broker.usage())
                };
                let room = budget.bytes.saturating_sub(used.bytes);
                let refused = match read_log_within(&files_in, room.saturating_add(1)) {
                    Err(e) => Some(format!("cannot import {e}")),
                    Ok(log) if log.held_bytes > room || log.records > budget.records.saturating_sub(used.records) => {
                        Some(format!(
                            "cannot import: the files hold {} records and {} bytes, more than this session has left of \
                             the page's budget ({} records, {} bytes)",
                            log.records,
                            log.held_bytes,
                            budget.records.saturating_sub(used.records),
                            room
                        ))
                    }
                    Ok(_) => None,
                };
                if let Some(why) = refused {
                    note.set(Some(Note(StatusKind::Error, why)));
                    return;
                }
                let names: Vec<&str> = group.iter().map(|(n, _)| n.as_str()).collect();
                let hint = dir.clone().unwrap_or_else(|| files::path_hint(&names, &format!("{topic}-{part}")));
                let path = files::add(&hint, files_in);
                if new {
                    app.dispatch(Action::ExecLine {
                        line: format!("topic {topic} partitions={} cleanup.policy=compact", part + 1),
                        origin: Origin::Files,
                    });
                }
                app.dispatch(Action::ExecLine {
                    line: format!("import {topic}/{part} {path}"),
                    origin: Origin::Files,
                });
                note.set(None);
                picked.set(None);
            })
        };
        let total: u64 = group.iter().map(|(_, b)| b.len() as u64).sum();
        // The first few names (a broker's directory may hold hundreds).
        let mut names = group.iter().take(6).map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ");
        if group.len() > 6 {
            names.push_str(&format!(", … {} more", group.len() - 6));
        }
        let option = |v: String, label: String, selected: bool| html! { <option value={v} {selected}>{ label }</option> };
        html! {
            <div class="import-form" data-test-id="import-form">
                <p class="small">{ format!("{} file(s), {}: {names}", group.len(), format::bytes(total)) }</p>
                <div class="inline-form">
                    if p.groups.len() > 1 {
                        <div class="field">
                            <label for="import-group">{ "Partition directory" }</label>
                            <select id="import-group" class="input input-small" onchange={on_group} data-test-id="import-group">
                                { for p.groups.iter().enumerate().map(|(i, (d, _))| option(i.to_string(), d.clone().unwrap_or_default(), i == g)) }
                            </select>
                        </div>
                    }
                    <div class="field">
                        <label for="import-target">{ "Into" }</label>
                        <select id="import-target" class="input input-small" onchange={on_target} data-test-id="import-target">
                            { for targets.iter().map(|(v, l)| option(v.clone(), l.clone(), *v == chosen)) }
                        </select>
                    </div>
                    <button type="button" class="btn btn-small btn-primary" onclick={on_import} disabled={chosen.is_empty()} data-test-id="import-run">{ "Import" }</button>
                </div>
                if targets.is_empty() {
                    <p class="small muted">{ "An import needs an empty partition: create a topic first." }</p>
                }
            </div>
        }
    });
    html! {
        <>
            <div class="drop-zone" ondragover={on_drag_over} ondrop={on_drop} data-test-id="import-drop">
                <label for="import-files">{ "A partition directory's files (.log and their indexes), one .tar of one, or the text of kafka-dump-log.sh --print-data-log: pick them, or drop them here." }</label>
                <input id="import-files" type="file" multiple=true onchange={on_pick} data-test-id="import-files" />
            </div>
            { form.unwrap_or_default() }
            { note_html(&note, "import-message") }
            { inline_status(&s, &Origin::Files, "import-status") }
            <p class="small muted">{ "Imported files stay with this tab: undo, looking back and replays use them. Saved sessions and share links keep the import line but not its files; the page then asks for them again." }</p>
        </>
    }
}

/// Replays the session now that its missing files are there.
fn replay_with_files(app: &AppHandle) {
    let text = app.state().session.script();
    app.dispatch(Action::LoadScript {
        text,
        origin: Origin::Files,
    });
}

/// The session's `import` lines whose files this page does not have (a
/// link, a saved session), each with a button to pick them again: the
/// session is then replayed with them.
#[function_component(Repick)]
fn repick() -> Html {
    let input = use_node_ref();
    let path = use_state(String::new);
    let note = use_state(|| None::<Note>);
    let Some(app) = use_app() else { return Html::default() };
    let missing = files::missing(&app.state().session.entries);
    if missing.is_empty() && note.is_none() {
        return Html::default();
    }
    let onchange = {
        let (app, path, note) = (app.clone(), path.clone(), note.clone());
        Callback::from(move |e: Event| {
            // The line whose button opened the picker (the first one else).
            let path = Some((*path).clone())
                .filter(|p| !p.is_empty())
                .or_else(|| files::missing(&app.state().session.entries).into_iter().next())
                .unwrap_or_default();
            let (app, note) = (app.clone(), note.clone());
            browser::read_chosen_files(&e, MAX_PICK_BYTES, move |r| {
                read_picked(r, move |groups| match groups {
                    Ok(groups) => {
                        let g = groups
                            .iter()
                            .position(|(d, _)| d.as_deref() == Some(path.as_str()))
                            .unwrap_or(0);
                        files::put(&path, import_files(&groups[g].1));
                        note.set(None);
                        replay_with_files(&app);
                    }
                    Err(e) => note.set(Some(Note(StatusKind::Error, e))),
                });
            });
        })
    };
    let lines = missing.iter().map(|p| {
        let onclick = {
            let (input, path, p) = (input.clone(), path.clone(), p.clone());
            Callback::from(move |_: MouseEvent| {
                path.set(p.clone());
                browser::open_file_picker(&input);
            })
        };
        // A path a built-in lesson imports (a link to the lesson): its
        // sample can be made again, the same bytes as before.
        let sample = builtin::all()
            .iter()
            .find(|b| b.imports.iter().any(|(path, _)| path == p))
            .map(|b| {
                let (app, note) = (app.clone(), note.clone());
                let onclick = Callback::from(move |_: MouseEvent| {
                    let (app, note) = (app.clone(), note.clone());
                    note.set(Some(Note(StatusKind::Info, loading_note())));
                    provide_builtin_files(b, move |r| match r {
                        Ok(()) => {
                            note.set(None);
                            replay_with_files(&app);
                        }
                        Err(e) => note.set(Some(Note(StatusKind::Error, e))),
                    });
                });
                html! {
                    <>{ " " }<button type="button" class="btn btn-small" {onclick} data-test-id="files-sample"
                        title={format!("The sample partition of the lesson \"{}\"", b.title)}>{ "Use the lesson's sample" }</button></>
                }
            });
        html! {
            <p class="msg msg-info" role="status" data-test-id="files-missing">
                { "This session imports " }<code>{ p.clone() }</code>{ ", whose files this page does not have (links and saved sessions keep the line, not the files). " }
                <button type="button" class="btn btn-small" {onclick} data-test-id="files-repick">{ "Pick the files again" }</button>
                { sample.unwrap_or_default() }
            </p>
        }
    });
    html! {
        <>
            { for lines }
            { note_html(&note, "repick-message") }
            <input type="file" multiple=true class="sr-only" tabindex="-1" aria-hidden="true" ref={input} {onchange} data-test-id="files-repick-input" />
        </>
    }
}
