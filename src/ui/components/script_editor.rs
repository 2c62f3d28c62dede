//! The session as a script: every action so far as a scenario line. Edit it
//! and run it to replay from an empty broker (a syntax error shows
//! `line N: ...` and runs nothing), copy a link that runs it on load,
//! download it as a file or open one, and forget the copy this browser keeps.

use yew::prelude::*;

use super::{inline_status, Panel};
use crate::scenario;
use crate::ui::browser;
use crate::ui::describe::plural;
use crate::ui::hooks::{set_to, use_app, AppHandle};
use crate::ui::startup;
use crate::ui::state::{Action, Origin, StatusKind};

/// The largest scenario file the page opens (as large as a link may carry).
pub const MAX_FILE_BYTES: usize = crate::scenario::share::MAX_SCRIPT_BYTES;

#[derive(Properties, PartialEq)]
pub struct ScriptEditorProps {
    /// The page saves the session in this browser (the full page; not an
    /// embed): offer to forget it.
    #[prop_or_default]
    pub saving: bool,
}

#[function_component(ScriptEditor)]
pub fn script_editor(p: &ScriptEditorProps) -> Html {
    let app = use_app();
    let file_input = use_node_ref();
    // `Some` while the person edits; `None` follows the session.
    let draft = use_state(|| app.as_ref().and_then(|a| a.state().rejected_script.clone()));
    let area = use_node_ref();
    // A script kept as a draft later (a link or saved session that did not
    // parse, safe mode) lands in the editor too.
    {
        let draft = draft.clone();
        let rejected = app.as_ref().and_then(|a| a.state().rejected_script.clone());
        use_effect_with(rejected, move |r| {
            if let Some(r) = r {
                draft.set(Some(r.clone()));
            }
        });
    }
    let Some(app) = app else { return Html::default() };
    let s = app.state();
    let session_text = s.session.script();
    let text = (*draft).clone().unwrap_or_else(|| session_text.clone());
    let editing = draft.is_some();

    let run = {
        let (app, draft, area) = (app.clone(), draft.clone(), area.clone());
        let text = text.clone();
        move || match scenario::parse(&text) {
            Ok(_) => {
                app.dispatch(Action::LoadScript {
                    text: text.clone(),
                    origin: Origin::Script,
                });
                draft.set(None);
            }
            Err(e) => {
                select_line(&area, &text, e.line);
                app.dispatch(Action::Notice {
                    origin: Origin::Script,
                    kind: StatusKind::Error,
                    text: e.to_string(),
                });
            }
        }
    };
    let onsubmit = {
        let run = run.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            run();
        })
    };
    let onkeydown = {
        let run = run.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                run();
            }
        })
    };
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| draft.set(Some(browser::textarea_value(&e))))
    };
    let discard = set_to(&draft, None);
    let share = {
        let app = app.clone();
        let text = text.clone();
        Callback::from(move |_: MouseEvent| share_script(&app, &text, Origin::Script))
    };
    let download = {
        let (app, text) = (app.clone(), text.clone());
        Callback::from(move |_: MouseEvent| {
            let ok = browser::download_text("kafka-scenario.txt", &text);
            app.dispatch(Action::Notice {
                origin: Origin::Script,
                kind: if ok { StatusKind::Ok } else { StatusKind::Error },
                text: if ok {
                    "Downloaded the script as kafka-scenario.txt.".to_string()
                } else {
                    "The browser refused the download.".to_string()
                },
            });
        })
    };
    let choose = {
        let file_input = file_input.clone();
        Callback::from(move |_: MouseEvent| browser::open_file_picker(&file_input))
    };
    let onfile = {
        let (app, draft) = (app.clone(), draft.clone());
        Callback::from(move |e: Event| {
            let (app, draft) = (app.clone(), draft.clone());
            browser::read_chosen_file(&e, MAX_FILE_BYTES, move |name, result| match result {
                // A file that does not parse lands in the editor with its
                // line's error; nothing runs.
                Ok(text) => match scenario::parse(&text) {
                    Ok(_) => {
                        draft.set(None);
                        app.dispatch(Action::LoadScript {
                            text,
                            origin: Origin::Script,
                        });
                    }
                    Err(err) => {
                        draft.set(Some(text));
                        app.dispatch(Action::Notice {
                            origin: Origin::Script,
                            kind: StatusKind::Error,
                            text: format!("{name}: {err}"),
                        });
                    }
                },
                Err(text) => app.dispatch(Action::Notice {
                    origin: Origin::Script,
                    kind: StatusKind::Error,
                    text,
                }),
            });
        })
    };
    let forget = {
        let (app, draft) = (app.clone(), draft.clone());
        Callback::from(move |_: MouseEvent| {
            {
                use crate::ui::saved::KeyValue;
                browser::LocalStorage.remove(crate::ui::saved::SAVED_KEY);
                crate::ui::saved::with_known(|k| *k = None);
            }
            browser::drop_fragment();
            draft.set(None);
            for action in startup::load_default(Origin::Script, |what| {
                format!("Forgot the saved session; the page shows {what} again.")
            }) {
                app.dispatch(action);
            }
        })
    };
    let lines = text.lines().count();
    // A read-only embed shows the script but runs only its own.
    let ro = s.read_only;
    html! {
        <Panel title="Session script" id="script" subtitle={AttrValue::from(format!("{} line{}", lines, plural(lines)))}>
            <form {onsubmit} class="script-form">
                <label for="script-text" class="sr-only">{ "The session as a scenario script, one command per line" }</label>
                <textarea ref={area} id="script-text" class={classes!("input", "mono", "script-text", editing.then_some("input-changed"))} rows="12" spellcheck="false" readonly={ro}
                    value={text} {oninput} {onkeydown} data-test-id="script-text" aria-describedby="script-help" />
                <p id="script-help" class="hint">
                    if editing { { "Edited: Run replays the script from an empty broker. " } } else { { "This is the session so far; edit it to change history. " } }
                    { "Ctrl+Enter runs. Commands: topic, alter, unset, broker, produce, tombstone, generate, load, advance, clock, run, roll, clean, retention, consume." }
                </p>
                <div class="button-row">
                    if !ro {
                        <button type="submit" class="btn btn-primary btn-small" data-test-id="run-script">{ "Run script" }</button>
                        <button type="button" class="btn btn-small" onclick={discard} disabled={!editing} data-test-id="discard-script">{ "Discard edits" }</button>
                    }
                    <button type="button" class="btn btn-small" onclick={share} data-test-id="share-script">{ "Copy link" }</button>
                    <button type="button" class="btn btn-small" onclick={download} data-test-id="download-script"
                        title="Save the script as a text file">{ "Download" }</button>
                    if !ro {
                    <button type="button" class="btn btn-small" onclick={choose} data-test-id="open-script"
                        title="Load a scenario from a text file (it replaces the session)">{ "Open file…" }</button>
                    <input ref={file_input} type="file" accept=".txt,.kcp,text/plain" hidden=true onchange={onfile}
                        aria-label="A scenario file to load" data-test-id="open-script-file" />
                    }
                    if p.saving {
                        <button type="button" class="btn btn-small btn-ghost" onclick={forget} data-test-id="forget-session"
                            title="This browser keeps your session across reloads; forget it and start from the default scenario">{ "Forget saved session" }</button>
                    }
                </div>
            </form>
            { inline_status(&s, &Origin::Script, "script-message") }
        </Panel>
    }
}

/// Selects line `line` (1-based) of the editor, so a syntax error's line is
/// where the caret is.
fn select_line(area: &NodeRef, text: &str, line: usize) {
    // Offsets in UTF-16 code units, as the DOM counts them.
    let mut start = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        let len = l.encode_utf16().count() as u32;
        if i + 1 == line {
            browser::select_range(area, start, start + len);
            return;
        }
        start += len + 1;
    }
}

/// Puts a link to `text` in the address bar and on the clipboard: the
/// readable `#script=` form when short, `#z=v1.` when long.
pub fn share_script(app: &AppHandle, text: &str, origin: Origin) {
    let notice = |kind, text: String| {
        app.dispatch(Action::Notice {
            origin: origin.clone(),
            kind,
            text,
        })
    };
    // One size limit: a link Share makes is one the page can open.
    if text.len() > crate::scenario::share::MAX_SCRIPT_BYTES {
        return notice(
            StatusKind::Error,
            format!(
                "This script is {} bytes, over the {} KiB a link may carry: download it instead.",
                text.len(),
                crate::scenario::share::MAX_SCRIPT_BYTES >> 10
            ),
        );
    }
    match browser::share_url(text) {
        Some(url) => {
            browser::replace_url(&url);
            let copied = browser::copy_to_clipboard(&url);
            notice(
                StatusKind::Ok,
                if copied {
                    format!(
                        "Link copied ({} characters{}); it is also in the address bar.",
                        url.len(),
                        if url.contains("#z=") { ", compressed" } else { "" }
                    )
                } else {
                    "The link is in the address bar: copy it from there.".to_string()
                },
            );
        }
        None => notice(
            StatusKind::Error,
            "The browser gave no page address to build a link from.".to_string(),
        ),
    }
}
