//! The compact playground for an iframe in a tutorial page (`embed.html`).
//!
//! It takes its scenario from the URL fragment (`#script=` or `#z=v1.`, as
//! the full page does) and its view options from the query string:
//!
//! | option | meaning |
//! | --- | --- |
//! | `panels=log,cleaner,state` | the panels shown, in this order (see [`PANELS`]); default [`DEFAULT_PANELS`] |
//! | `readonly` | only the scenario and reads: clicks that would change the log are refused |
//! | `step` | load the scenario without running it; "Next step" (or a `kcp:step` message) runs one line at a time |
//! | `theme=dark` / `theme=light` | colours |
//!
//! The host page protocol (`window.postMessage`), all messages plain objects
//! with a `type`:
//!
//! - embed → parent: `{type: "kcp:ready", lines, steps}` once the scenario
//!   has run; `{type: "kcp:resize", height}` whenever the content height (CSS
//!   pixels) changes; `{type: "kcp:state", step, steps, request?, ok?, text?}`
//!   after each message handled (with `request`, its type) and whenever the
//!   reader steps or restarts with the embed's own buttons (`step` is null
//!   when not stepping).
//! - parent → embed: `{type: "kcp:load", script, step?}` replaces the
//!   scenario (and runs it, or with `step: true` loads it for stepping);
//!   `{type: "kcp:step"}` runs the next line; `{type: "kcp:reset"}` goes back
//!   to the start of the scenario.
//!
//! Messages are accepted only from `window.parent`, at the parent's origin
//! ([`browser::parent_origin`]: `location.ancestorOrigins`, else the
//! referrer's origin, else the origin of the parent's first message), and
//! only in these shapes (a `script` must be a string of at most
//! [`crate::scenario::share::MAX_SCRIPT_BYTES`]); anything else is ignored.
//! A script is only ever parsed as a scenario.
//!
//! Posts are addressed to the parent's origin, never to whoever frames the
//! page under another name. `kcp:ready` and `kcp:resize` (counts and a
//! height) go to `"*"` when that origin is unknown or opaque (a `file://`
//! host page); `kcp:state` never does: it answers the origin of the message
//! it acknowledges, and after the reader's own Next step or Restart it is
//! not sent at all while the parent's origin is unknown.

use serde_json::json;
use yew::prelude::*;

use super::browser::{self, Message};
use super::components::chart::SizeChart;
use super::components::cleaner_panel::CleanerPanel;
use super::components::clock::ClockBar;
use super::components::config_panel::{ConfigPanel, ConfigScope};
use super::components::consumer::ConsumerPanel;
use super::components::partition_view::LogPanel;
use super::components::producer::ProducerPanel;
use super::components::script_editor::ScriptEditor;
use super::components::state_view::StateView;
use super::components::status::StatusLine;
use super::components::timeline::Timeline;
use super::components::topics::TopicsPanel;
use super::hooks::{dispatch_on, AppHandle};
use super::startup;
use super::state::{Action, Origin, StatusKind};
use crate::scenario;

/// Every panel an embed can show, by its `panels=` name.
pub const PANELS: [&str; 12] = [
    "clock", "topics", "producer", "log", "cleaner", "consumer", "state", "chart", "script", "timeline", "config",
    "status",
];
/// The panels shown without `panels=`.
pub const DEFAULT_PANELS: [&str; 5] = ["clock", "producer", "log", "cleaner", "state"];

/// How the page was asked to look.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    pub embed: bool,
    pub panels: Vec<&'static str>,
    pub read_only: bool,
    pub step: bool,
}

impl View {
    /// Reads the mode from `<body data-kcp-mode>` and the options from the
    /// query string; applies `theme=` to the document. Unknown values are
    /// ignored.
    pub fn from_page() -> View {
        let embed = browser::body_attribute("data-kcp-mode").as_deref() == Some("embed");
        let panels: Vec<&'static str> = match browser::query_param("panels") {
            Some(list) => list
                .split(',')
                .filter_map(|p| PANELS.iter().copied().find(|k| *k == p.trim()))
                .collect(),
            None => DEFAULT_PANELS.to_vec(),
        };
        let flag = |name: &str| browser::query_param(name).is_some_and(|v| !matches!(v.as_str(), "0" | "false" | "no"));
        if let Some(theme) = browser::query_param("theme").filter(|t| matches!(t.as_str(), "dark" | "light")) {
            browser::set_root_attribute("data-theme", &theme);
        }
        View {
            embed,
            panels: if panels.is_empty() {
                DEFAULT_PANELS.to_vec()
            } else {
                panels
            },
            read_only: flag("readonly"),
            step: flag("step"),
        }
    }

    fn shows(&self, panel: &str) -> bool {
        self.panels.contains(&panel)
    }
}

#[derive(Properties, PartialEq)]
pub struct EmbedProps {
    pub view: View,
}

#[function_component(Embed)]
pub fn embed(p: &EmbedProps) -> Html {
    let view = p.view.clone();
    let store = {
        let (step, read_only) = (view.step, view.read_only);
        use_reducer(move || startup::embed(read_only, step))
    };
    let root = use_node_ref();
    super::hooks::use_job_driver(&store);

    // A built-in lesson that imports a sample partition (its script as
    // the fragment): the files module makes the sample, then the lesson
    // loads again with it, as it would have in the full page.
    {
        let (store, step) = (store.clone(), view.step);
        use_effect_with((), move |_| {
            // The fragment the embed started from (see `startup::embed`).
            let text = browser::script_from_hash()
                .and_then(Result::ok)
                .and_then(|t| scenario::normalize_script(&t));
            let wanted = crate::scenario::builtin::all()
                .iter()
                .find(|b| !b.imports.is_empty() && text.is_some() && scenario::normalize_script(b.script) == text);
            if let Some(b) = wanted {
                super::files_module::provide_builtin_files(b, move |r| match r {
                    Ok(()) => store.dispatch(Action::LoadLesson {
                        text: b.script.to_string(),
                        step,
                    }),
                    Err(text) => store.dispatch(Action::Notice {
                        origin: Origin::Url,
                        kind: StatusKind::Error,
                        text,
                    }),
                });
            }
        });
    }

    // The host page: ready, resizes, and its messages.
    {
        let (store, root) = (store.clone(), root.clone());
        use_effect_with((), move |_| {
            let (lines, steps) = {
                let s = store.state();
                (s.session.entries.len(), s.lesson.steps())
            };
            let mut last_height = 0;
            let resize = browser::observe_height(&root, move |h| {
                if h != last_height && h > 0 {
                    last_height = h;
                    browser::post_to_parent(
                        &[("type", json!("kcp:resize")), ("height", json!(h))],
                        browser::Audience::Anyone,
                    );
                }
            });
            let messages = browser::on_parent_message(move |m| handle_message(m, &store));
            browser::post_to_parent(
                &[
                    ("type", json!("kcp:ready")),
                    ("lines", json!(lines as u32)),
                    ("steps", json!(steps as u32)),
                ],
                browser::Audience::Anyone,
            );
            move || drop((resize, messages))
        });
    }
    {
        let store = store.clone();
        use_effect_with(store.version, move |_| {
            browser::remember_script(&store.state().session.script())
        });
    }

    let run_cleaner = dispatch_on(&store, Action::run_cleaner(Origin::Header));
    let undo = dispatch_on(&store, Action::Undo);
    let lesson_button = |action: Action| {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            store.dispatch(action.clone());
            post_state(&store, None, None);
        })
    };
    let restart = lesson_button(Action::RestartLesson);
    let next = lesson_button(Action::StepLesson);
    let back = lesson_button(Action::BackLesson);
    let (script, can_undo, cursor, steps, whole, quiet) = {
        let s = store.state();
        // The status line only when asked (`panels=...,status`), or when it
        // has something to say beyond "done": an error, a note, a lesson's
        // position.
        let quiet = !view.shows("status")
            && s.status
                .as_ref()
                .is_none_or(|st| st.kind == super::state::StatusKind::Ok);
        (
            s.session.script(),
            !s.session.entries.is_empty(),
            s.lesson.cursor,
            s.lesson.steps(),
            s.job.as_ref().is_some_and(super::state::Job::is_whole),
            quiet,
        )
    };
    // As on the full page: the controls wait while one heavy action runs.
    let inert = whole.then_some(AttrValue::Static(""));
    let open_href = format!("./index.html#{}", crate::scenario::share::encode(&script));
    let handle: AppHandle = store.clone();
    let ro = view.read_only;
    let panel = |name: &str, body: Html| if view.shows(name) { body } else { Html::default() };
    let pair = view.shows("consumer") && view.shows("state");

    html! {
        <ContextProvider<AppHandle> context={handle}>
            <div ref={root} class={classes!("app", "embed", ro.then_some("readonly"))} data-test-id="app" data-version={store.version.to_string()} aria-busy={whole.then_some("true")}>
                <header class="embed-bar" inert={inert.clone()}>
                    <nav class="embed-actions" aria-label="Playground">
                        if let Some(k) = cursor {
                            <button type="button" class="btn btn-small" onclick={back} disabled={k == 0} data-test-id="back-step"
                                title="Take the last step back">{ "Back" }</button>
                            <button type="button" class="btn btn-primary btn-small" onclick={next} disabled={k >= steps} data-test-id="next-step"
                                title="Run the next step of the scenario">{ format!("Next step ({k}/{steps})") }</button>
                        }
                        if !ro {
                            <button type="button" class={classes!("btn", "btn-small", cursor.is_none().then_some("btn-primary"))} onclick={run_cleaner} data-test-id="run-cleaner"
                                title="One cleaner-thread iteration: clean the filthiest eligible partition">{ "Run cleaner" }</button>
                            <button type="button" class="btn btn-small" onclick={undo} disabled={!can_undo} data-test-id="undo"
                                title="Undo the last action by replaying the session without it">{ "Undo" }</button>
                        }
                        <button type="button" class="btn btn-small" onclick={restart} data-test-id="restart"
                            title="Back to the start of this scenario">{ "Restart" }</button>
                        <a class="btn btn-small embed-open" href={open_href} target="_blank" rel="noopener" data-test-id="open-full"
                            title="Open this session in the full playground, in a new tab">{ "Open in playground ↗" }</a>
                    </nav>
                    { panel("clock", html! { <ClockBar /> }) }
                </header>
                if !quiet {
                    <StatusLine />
                }
                <super::components::safety::JobBar />
                <super::components::safety::SafetyBar />
                <main class="embed-panels" {inert}>
                    <h1 class="sr-only">{ "Kafka compaction playground" }</h1>
                    <super::components::lesson_panel::LessonPanel embed=true />
                    { panel("topics", html! { <TopicsPanel /> }) }
                    { panel("producer", if ro { Html::default() } else { html! { <ProducerPanel bulk_open=false compact=true /> } }) }
                    { panel("log", html! { <LogPanel /> }) }
                    { panel("cleaner", html! { <CleanerPanel /> }) }
                    if pair {
                        <div class="grid-2"><ConsumerPanel /><StateView /></div>
                    } else {
                        { panel("consumer", html! { <ConsumerPanel /> }) }
                        { panel("state", html! { <StateView /> }) }
                    }
                    { panel("chart", html! { <SizeChart /> }) }
                    { panel("config", if ro { Html::default() } else { html! { <ConfigPanel scope={ConfigScope::Topic} /> } }) }
                    { panel("script", html! { <ScriptEditor /> }) }
                    { panel("timeline", html! { <Timeline /> }) }
                </main>
            </div>
        </ContextProvider<AppHandle>>
    }
}

/// One message from the host page: checked, handled, acknowledged.
fn handle_message(m: &Message, store: &AppHandle) {
    let Some(kind) = m.string("type") else {
        return;
    };
    let (ok, text) = match kind.as_str() {
        "kcp:load" => {
            let Some(script) = m.string("script") else {
                return;
            };
            if script.len() > crate::scenario::share::MAX_SCRIPT_BYTES {
                (
                    false,
                    format!(
                        "the script is larger than {} bytes",
                        crate::scenario::share::MAX_SCRIPT_BYTES
                    ),
                )
            } else {
                let step = m.bool("step").unwrap_or(false);
                let ok = scenario::parse(&script).is_ok();
                store.dispatch(Action::LoadLesson { text: script, step });
                (
                    ok,
                    if ok {
                        "loaded".to_string()
                    } else {
                        "the script has a syntax error; see the embed's message".to_string()
                    },
                )
            }
        }
        "kcp:step" => {
            let ok = store.state().lesson.can_step();
            if ok {
                store.dispatch(Action::StepLesson);
            }
            (
                ok,
                if ok {
                    "stepped".to_string()
                } else {
                    "nothing to step: load a script with step: true".to_string()
                },
            )
        }
        "kcp:reset" => {
            store.dispatch(Action::RestartLesson);
            (true, "reset".to_string())
        }
        _ => return,
    };
    post_state(store, Some((kind, ok, text)), Some(m.origin()));
}

/// Tells the host page where the lesson stands (after a message, with what
/// it asked and how that went). Only to the parent's origin: `reply_to` is
/// the origin of the message answered, used when the browser did not tell
/// the parent's; without either nothing is sent.
fn post_state(store: &AppHandle, request: Option<(String, bool, String)>, reply_to: Option<&str>) {
    let (cursor, steps) = {
        let s = store.state();
        (s.lesson.cursor, s.lesson.steps())
    };
    let mut fields = vec![
        ("type", json!("kcp:state")),
        ("step", cursor.map_or(serde_json::Value::Null, |k| json!(k as u32))),
        ("steps", json!(steps as u32)),
    ];
    if let Some((kind, ok, text)) = request {
        fields.extend([("request", json!(kind)), ("ok", json!(ok)), ("text", json!(text))]);
    }
    browser::post_to_parent(&fields, browser::Audience::Parent { reply_to });
}
