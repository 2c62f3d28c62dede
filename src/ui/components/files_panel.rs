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
use crate::ui::browser::{self, NamedBytes};
use crate::ui::files_module::{is_loaded, with_files_module, FilesModule, FilesSession, ImportFiles};
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

/// The module's session for a script, kept while the script is the same.
type Cached = Rc<RefCell<Option<(String, Rc<FilesSession>)>>>;

/// The shown session replayed in the module (reused while its script and
/// files are the same).
fn module_session(
    m: &FilesModule,
    cache: &Cached,
    script: &str,
    with: &[ImportFiles],
) -> Result<Rc<FilesSession>, String> {
    let key = format!(
        "{script}\u{0}{}",
        with.iter()
            .map(|(p, f)| format!("{p}:{}", f.len()))
            .collect::<Vec<_>>()
            .join(",")
    );
    if let Some((k, s)) = cache.borrow().as_ref() {
        if *k == key {
            return Ok(s.clone());
        }
    }
    let s = Rc::new(m.session(script, with)?);
    *cache.borrow_mut() = Some((key, s.clone()));
    Ok(s)
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
    let cache: Cached = use_mut_ref(|| None);
    let note = use_state(|| None::<Note>);
    let dump_open = use_state(|| false);
    let paths = use_state(|| None::<Result<Vec<String>, String>>);
    let dump_pick = use_state(|| (String::new(), String::new()));
    let options = use_state(|| (true, false, false));
    let dumped = use_state(|| None::<Dumped>);
    let dump_note = use_state(|| None::<Note>);
    let picked = use_state(|| None::<Picked>);
    let group = use_state(|| 0usize);
    let target = use_state(String::new);
    let import_note = use_state(|| None::<Note>);
    let repick_input = use_node_ref();
    let repick_path = use_state(String::new);
    let dragging = use_state(|| false);
    let Some(app) = use_app() else { return Html::default() };
    let s = app.state();
    let (script_now, past, now_ms) = shown(&app);

    // The export's paths, whenever the dump is open and the session moves.
    {
        let (app, cache, paths) = (app.clone(), cache.clone(), paths.clone());
        use_effect_with((*dump_open, script_now.clone()), move |(open, _)| {
            if *open {
                if !is_loaded() {
                    paths.set(None);
                }
                with_files_module(move |m| {
                    let (script, with) = shown_with_files(&app);
                    paths.set(Some(
                        m.and_then(|m| module_session(&m, &cache, &script, &with))
                            .and_then(|s| s.export_paths()),
                    ));
                });
            }
        });
    }

    let download = {
        let (app, cache, note) = (app.clone(), cache.clone(), note.clone());
        Callback::from(move |_: MouseEvent| {
            if !is_loaded() {
                note.set(Some(Note(StatusKind::Info, loading_note())));
            }
            let (app, cache, note) = (app.clone(), cache.clone(), note.clone());
            with_files_module(move |m| {
                let ((script, with), (_, past, now_ms)) = (shown_with_files(&app), shown(&app));
                let tar = m
                    .and_then(|m| module_session(&m, &cache, &script, &with))
                    .and_then(|s| s.export_archive());
                note.set(Some(match tar {
                    Ok(tar) => {
                        let name = archive_name(now_ms);
                        let when = match past {
                            Some(k) => format!("the session as it was after line {k} (the past shown)"),
                            None => "the session now".to_string(),
                        };
                        if browser::download_bytes(&name, &tar, "application/x-tar") {
                            Note(
                                StatusKind::Ok,
                                format!(
                                    "Downloaded {name} ({}): {when}, as a broker's log.dirs folder holds it.",
                                    format::bytes(tar.len() as u64)
                                ),
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

    // The dump's choices: a partition, one of its files, the options.
    let shown_broker = &s.shown().broker;
    let partitions: Vec<String> = shown_broker
        .topics()
        .flat_map(|t| {
            t.partitions()
                .iter()
                .map(|l| format!("{}-{}", l.topic_partition().topic, l.topic_partition().partition))
                .collect::<Vec<_>>()
        })
        .collect();
    let partition = if partitions.contains(&dump_pick.0) {
        dump_pick.0.clone()
    } else {
        s.current_topic()
            .map(|t| format!("{t}-0"))
            .filter(|p| partitions.contains(p))
            .or_else(|| partitions.first().cloned())
            .unwrap_or_default()
    };
    let file_list: Vec<String> = match &*paths {
        Some(Ok(p)) => p
            .iter()
            .filter(|p| {
                p.strip_prefix(&format!("{partition}/"))
                    .is_some_and(|f| !f.contains('/'))
                    && DUMPABLE.iter().any(|e| p.ends_with(e))
            })
            .cloned()
            .collect(),
        _ => Vec::new(),
    };
    let file = if file_list.contains(&dump_pick.1) {
        dump_pick.1.clone()
    } else {
        file_list.first().cloned().unwrap_or_default()
    };
    let (print_data, deep, sanity) = *options;
    let command = {
        let mut c = format!("kafka-dump-log.sh --files {file}");
        if print_data {
            c.push_str(" --print-data-log");
        }
        if deep {
            c.push_str(" --deep-iteration");
        }
        if sanity {
            c.push_str(" --index-sanity-check");
        }
        c
    };
    let on_partition = {
        let dump_pick = dump_pick.clone();
        Callback::from(move |e: Event| dump_pick.set((browser::select_value(&e), String::new())))
    };
    let on_file = {
        let (dump_pick, partition) = (dump_pick.clone(), partition.clone());
        Callback::from(move |e: Event| dump_pick.set((partition.clone(), browser::select_value(&e))))
    };
    let flag = |i: usize| {
        let options = options.clone();
        Callback::from(move |e: Event| {
            let on = browser::checked(&e);
            let mut o = *options;
            match i {
                0 => o.0 = on,
                1 => o.1 = on,
                _ => o.2 = on,
            }
            options.set(o);
        })
    };
    let run_dump = {
        let (app, cache, dumped, dump_note, file, command) = (
            app.clone(),
            cache.clone(),
            dumped.clone(),
            dump_note.clone(),
            file.clone(),
            command.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            if file.is_empty() {
                return;
            }
            let (app, cache, dumped, dump_note, file, command) = (
                app.clone(),
                cache.clone(),
                dumped.clone(),
                dump_note.clone(),
                file.clone(),
                command.clone(),
            );
            with_files_module(move |m| {
                let (script, with) = shown_with_files(&app);
                let out = m
                    .and_then(|m| module_session(&m, &cache, &script, &with))
                    .and_then(|s| {
                        s.dump(
                            &[file],
                            &[
                                ("printDataLog", print_data),
                                ("deepIteration", deep),
                                ("indexSanityCheck", sanity),
                            ],
                        )
                    });
                match out {
                    Ok((stdout, stderr)) => {
                        dump_note.set(None);
                        dumped.set(Some(Dumped {
                            script,
                            command,
                            stdout,
                            stderr,
                        }));
                    }
                    Err(e) => dump_note.set(Some(Note(StatusKind::Error, e))),
                }
            });
        })
    };
    let on_dump_toggle = {
        let dump_open = dump_open.clone();
        Callback::from(move |e: Event| dump_open.set(browser::details_open(&e)))
    };
    let dump_body = if *dump_open {
        let dump_out = (*dumped).as_ref().map(|d| {
            let lines: Vec<&str> = d.stdout.lines().collect();
            let shown_lines = lines.len().min(MAX_DUMP_LINES);
            let more = lines.len() - shown_lines;
            let text = lines[..shown_lines].join("\n");
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
                    <pre class="console-out dump-out" tabindex="0" aria-label="kafka-dump-log.sh output" data-test-id="dump-stdout">{ text }</pre>
                    if more > 0 {
                        <p class="small muted" data-test-id="dump-more">{ format!("… {} more lines not shown ({} lines in all); Copy copies them all.", format::count(more as u64), format::count(lines.len() as u64)) }</p>
                    }
                    if !d.stderr.is_empty() {
                        <pre class="console-out dump-err" tabindex="0" aria-label="kafka-dump-log.sh errors (stderr)" data-test-id="dump-stderr">{ d.stderr.clone() }</pre>
                    }
                </div>
            }
        });
        let files_state = match &*paths {
            None => html! { <p class="msg msg-info" role="status" data-test-id="files-loading">{ loading_note() }</p> },
            Some(Err(e)) => {
                html! { <p class="msg msg-error" role="alert" data-test-id="files-load-failed">{ e.clone() }</p> }
            }
            Some(Ok(_)) => Html::default(),
        };
        html! {
            <>
                { files_state }
                <div class="inline-form">
                    <div class="field">
                        <label for="dump-partition">{ "Partition" }</label>
                        <select id="dump-partition" class="input input-small" onchange={on_partition} data-test-id="dump-partition">
                            { for partitions.iter().map(|p| html! { <option value={p.clone()} selected={*p == partition}>{ p.clone() }</option> }) }
                        </select>
                    </div>
                    <div class="field">
                        <label for="dump-file">{ "File" }</label>
                        <select id="dump-file" class="input input-small" onchange={on_file} data-test-id="dump-file">
                            { for file_list.iter().map(|f| html! { <option value={f.clone()} selected={*f == file}>{ f.rsplit('/').next().unwrap_or(f).to_string() }</option> }) }
                        </select>
                    </div>
                </div>
                <div class="inline-form">
                    <label class="check"><input type="checkbox" checked={print_data} onchange={flag(0)} data-test-id="dump-print-data-log" /><code>{ "--print-data-log" }</code></label>
                    <label class="check"><input type="checkbox" checked={deep} onchange={flag(1)} data-test-id="dump-deep-iteration" /><code>{ "--deep-iteration" }</code></label>
                    <label class="check"><input type="checkbox" checked={sanity} onchange={flag(2)} data-test-id="dump-index-sanity-check" /><code>{ "--index-sanity-check" }</code></label>
                    <button type="button" class="btn btn-small" onclick={run_dump} disabled={file.is_empty()} data-test-id="dump-run">{ "Dump" }</button>
                </div>
                <p class="small muted">{ "Run the same in the broker's log directory (log.dirs): " }<code class="wrap-code">{ command.clone() }</code></p>
                { note_html(&dump_note, "dump-message") }
                { dump_out.unwrap_or_default() }
            </>
        }
    } else {
        Html::default()
    };

    // Import: files picked or dropped, then a target.
    let take_files = {
        let (picked, group, target, import_note) = (picked.clone(), group.clone(), target.clone(), import_note.clone());
        Rc::new(move |read: browser::ReadFiles| {
            if !is_loaded() {
                import_note.set(Some(Note(StatusKind::Info, loading_note())));
            }
            let (picked, group, target, import_note) =
                (picked.clone(), group.clone(), target.clone(), import_note.clone());
            read_picked(read, move |groups| match groups {
                Ok(groups) => {
                    import_note.set(None);
                    group.set(0);
                    target.set(String::new());
                    picked.set(Some(Picked { groups }));
                }
                Err(e) => {
                    picked.set(None);
                    import_note.set(Some(Note(StatusKind::Error, e)));
                }
            });
        })
    };
    let on_pick = {
        let take = take_files.clone();
        Callback::from(move |e: Event| {
            let take = take.clone();
            browser::read_chosen_files(&e, MAX_PICK_BYTES, move |r| take(r));
        })
    };
    let on_drop = {
        let (take, dragging) = (take_files.clone(), dragging.clone());
        Callback::from(move |e: DragEvent| {
            dragging.set(false);
            let take = take.clone();
            browser::read_dropped_files(&e, MAX_PICK_BYTES, move |r| take(r));
        })
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            browser::allow_drop(&e);
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let present = &s.session.broker;
    // Empty partitions of the present session (an import changes it).
    let empty: Vec<String> = present
        .topics()
        .flat_map(|t| {
            t.partitions()
                .iter()
                .filter(|l| l.log_end_offset() == 0 && l.record_count() == 0)
                .map(|l| format!("{}/{}", l.topic_partition().topic, l.topic_partition().partition))
                .collect::<Vec<_>>()
        })
        .collect();
    let import_form = (*picked).as_ref().map(|p| {
        let g = (*group).min(p.groups.len().saturating_sub(1));
        let (dir, files_of) = &p.groups[g];
        let new_topic = dir.as_deref().and_then(topic_partition_of).filter(|(t, _)| present.topic(t).is_err());
        let mut targets: Vec<(String, String)> = empty.iter().map(|t| (t.clone(), t.clone())).collect();
        if let Some((t, part)) = &new_topic {
            targets.insert(0, (format!("new:{t}/{part}"), format!("{t}/{part} (new topic {t}, cleanup.policy=compact)")));
        }
        let chosen = if targets.iter().any(|(v, _)| *v == *target) { (*target).clone() } else { targets.first().map(|(v, _)| v.clone()).unwrap_or_default() };
        let on_group = {
            let group = group.clone();
            Callback::from(move |e: Event| group.set(browser::select_value(&e).parse().unwrap_or(0)))
        };
        let on_target = {
            let target = target.clone();
            Callback::from(move |e: Event| target.set(browser::select_value(&e)))
        };
        let on_import = {
            let (app, picked, import_note, chosen, dir, files_of) = (app.clone(), picked.clone(), import_note.clone(), chosen.clone(), dir.clone(), files_of.clone());
            Callback::from(move |_: MouseEvent| {
                let (new, tp) = match chosen.strip_prefix("new:") {
                    Some(tp) => (true, tp.to_string()),
                    None => (false, chosen.clone()),
                };
                let Some((topic, part)) = tp.rsplit_once('/').map(|(t, p)| (t.to_string(), p.parse::<u32>().unwrap_or(0))) else {
                    return;
                };
                let group = import_files(&files_of);
                // Refused files change nothing, not even a topic first.
                if let Err(e) = read_log_within(&group, Budget::PAGE.bytes) {
                    import_note.set(Some(Note(StatusKind::Error, format!("cannot import {e}"))));
                    return;
                }
                let names: Vec<&str> = files_of.iter().map(|(n, _)| n.as_str()).collect();
                let hint = dir.clone().unwrap_or_else(|| files::path_hint(&names, &format!("{topic}-{part}")));
                let path = files::add(&hint, group);
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
                import_note.set(None);
                picked.set(None);
            })
        };
        let total: u64 = files_of.iter().map(|(_, b)| b.len() as u64).sum();
        html! {
            <div class="import-form" data-test-id="import-form">
                <p class="small">{ format!("{} file{} ({}): ", files_of.len(), if files_of.len() == 1 { "" } else { "s" }, format::bytes(total)) }
                    { files_of.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>().join(", ") }</p>
                <div class="inline-form">
                    if p.groups.len() > 1 {
                        <div class="field">
                            <label for="import-group">{ "Partition directory" }</label>
                            <select id="import-group" class="input input-small" onchange={on_group} data-test-id="import-group">
                                { for p.groups.iter().enumerate().map(|(i, (d, _))| html! { <option value={i.to_string()} selected={i == g}>{ d.clone().unwrap_or_default() }</option> }) }
                            </select>
                        </div>
                    }
                    <div class="field">
                        <label for="import-target">{ "Into" }</label>
                        <select id="import-target" class="input input-small" onchange={on_target} data-test-id="import-target">
                            { for targets.iter().map(|(v, l)| html! { <option value={v.clone()} selected={*v == chosen}>{ l.clone() }</option> }) }
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

    // Lines whose files are not here (a link, a saved session): pick again.
    let missing = files::missing(&s.session.entries);
    let on_repick = {
        let (app, repick_path, import_note) = (app.clone(), repick_path.clone(), import_note.clone());
        Callback::from(move |e: Event| {
            // The line whose button opened the picker (the first one else).
            let path = Some((*repick_path).clone())
                .filter(|p| !p.is_empty())
                .or_else(|| files::missing(&app.state().session.entries).into_iter().next())
                .unwrap_or_default();
            let (app, import_note) = (app.clone(), import_note.clone());
            browser::read_chosen_files(&e, MAX_PICK_BYTES, move |r| {
                read_picked(r, move |groups| match groups {
                    Ok(groups) => {
                        let g = groups
                            .iter()
                            .position(|(d, _)| d.as_deref() == Some(path.as_str()))
                            .unwrap_or(0);
                        files::put(&path, import_files(&groups[g].1));
                        import_note.set(None);
                        let text = app.state().session.script();
                        app.dispatch(Action::LoadScript {
                            text,
                            origin: Origin::Files,
                        });
                    }
                    Err(e) => import_note.set(Some(Note(StatusKind::Error, e))),
                });
            });
        })
    };
    let repick = missing.iter().map(|path| {
        let onclick = {
            let (input, repick_path, path) = (repick_input.clone(), repick_path.clone(), path.clone());
            Callback::from(move |_: MouseEvent| {
                repick_path.set(path.clone());
                browser::open_file_picker(&input);
            })
        };
        html! {
            <p class="msg msg-info" role="status" data-test-id="files-missing">
                { "This session imports " }<code>{ path.clone() }</code>{ ", whose files this page does not have (links and saved sessions keep the line, not the files). " }
                <button type="button" class="btn btn-small" {onclick} data-test-id="files-repick">{ "Pick the files again" }</button>
            </p>
        }
    });

    let looking = past
        .map(|k| format!(" (the past shown: after line {k})"))
        .unwrap_or_default();
    let read_only = s.read_only;
    html! {
        <Panel title="Kafka's files" id="files" subtitle={AttrValue::from("the session as a broker's log directory")}>
            <div class="inline-form">
                <button type="button" class="btn btn-small" onclick={download} data-test-id="files-download"
                    title="One .tar of what a broker's log.dirs folder would hold: tar -xf it, then run Kafka's tools on it">
                    { format!("Download the log directory (.tar){looking}") }</button>
                <span class="small muted">{ archive_name(now_ms) }</span>
            </div>
            { note_html(&note, "files-message") }
            { for repick }
            <input type="file" multiple=true class="sr-only" tabindex="-1" aria-hidden="true" ref={repick_input} onchange={on_repick} data-test-id="files-repick-input" />
            <details class="files-fold" ontoggle={on_dump_toggle} data-test-id="dump-fold">
                <summary>{ "kafka-dump-log.sh: a segment file as Kafka's tool prints it" }</summary>
                { dump_body }
            </details>
            if !read_only {
                <details class="files-fold" data-test-id="import-fold">
                    <summary>{ "Import Kafka's files into an empty partition" }</summary>
                    <div class={classes!("drop-zone", dragging.then_some("drop-zone-over"))} ondragover={on_drag_over} ondragleave={on_drag_leave} ondrop={on_drop} data-test-id="import-drop">
                        <label for="import-files">{ "A partition directory's files (.log and their indexes), one .tar of one, or the text of kafka-dump-log.sh --print-data-log: pick them, or drop them here." }</label>
                        <input id="import-files" type="file" multiple=true onchange={on_pick} data-test-id="import-files" />
                    </div>
                    { import_form.unwrap_or_default() }
                    { note_html(&import_note, "import-message") }
                    { inline_status(&s, &Origin::Files, "import-status") }
                    <p class="small muted">{ "Imported files stay with this tab: undo, looking back and replays use them. Saved sessions and share links keep the import line but not its files; the page then asks for them again." }</p>
                </details>
            }
        </Panel>
    }
}
