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
//! Messages are accepted only from `window.parent` and only in these shapes
//! (a `script` must be a string of at most [`crate::scenario::share::MAX_SCRIPT_BYTES`]);
//! anything else is ignored. A script is only ever parsed as a scenario.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::browser::{self, EventListener};
use super::components::chart::SizeChart;
use super::components::cleaner_panel::CleanerPanel;
use super::components::clock::ClockBar;
use super::components::consumer::ConsumerPanel;
use super::components::partition_view::LogPanel;
use super::components::producer::ProducerPanel;
use super::components::script_editor::ScriptEditor;
use super::components::state_view::StateView;
use super::components::status::StatusLine;
use super::components::timeline::Timeline;
use super::components::topic_config::TopicConfigPanel;
use super::components::topics::TopicsPanel;
use super::components::AppHandle;
use super::state::{Action, Origin, StatusKind, Store};
use crate::scenario::command::Clean;
use crate::scenario::{self, Command};

/// Every panel an embed can show, by its `panels=` name.
pub const PANELS: [&str; 11] = [
    "clock", "topics", "producer", "log", "cleaner", "consumer", "state", "chart", "script", "timeline", "config",
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
        let body = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body());
        let embed = body.as_ref().and_then(|b| b.get_attribute("data-kcp-mode")).as_deref() == Some("embed");
        let panels: Vec<&'static str> = match browser::query_param("panels") {
            Some(list) => list
                .split(',')
                .filter_map(|p| PANELS.iter().copied().find(|k| *k == p.trim()))
                .collect(),
            None => DEFAULT_PANELS.to_vec(),
        };
        let flag = |name: &str| browser::query_param(name).is_some_and(|v| !matches!(v.as_str(), "0" | "false" | "no"));
        if let Some(theme) = browser::query_param("theme").filter(|t| matches!(t.as_str(), "dark" | "light")) {
            if let Some(root) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                let _ = root.set_attribute("data-theme", &theme);
            }
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

/// The embed's scenario and, when stepping, how many of its commands ran.
#[derive(Debug, Clone, Default, PartialEq)]
struct Lesson {
    text: String,
    /// 1-based line numbers of its commands (empty if it does not parse).
    lines: Vec<usize>,
    /// `Some(k)`: stepping, `k` commands run.
    cursor: Option<usize>,
}

impl Lesson {
    fn new(text: String, step: bool) -> Lesson {
        let lines: Vec<usize> = scenario::parse(&text)
            .map(|s| s.iter().map(|s| s.line).collect())
            .unwrap_or_default();
        let cursor = (step && !lines.is_empty()).then_some(0);
        Lesson { text, lines, cursor }
    }

    /// The script the session should hold now: all of it, or the lines up
    /// to the `k`th command when stepping.
    fn script(&self) -> String {
        match self.cursor {
            None => self.text.clone(),
            Some(0) => String::new(),
            Some(k) => {
                let last = self.lines.get(k - 1).copied().unwrap_or(usize::MAX);
                self.text.lines().take(last).collect::<Vec<_>>().join("\n")
            }
        }
    }

    /// Runs it (or its first `k` commands) on a fresh broker.
    fn apply(&self, store: &dyn Fn(Action)) {
        store(Action::LoadScript {
            text: self.script(),
            origin: Origin::Url,
        });
        if let Some(k) = self.cursor {
            let text = match k {
                0 => format!("Ready to step through {} lines: press Next step.", self.lines.len()),
                k => {
                    let line = self
                        .lines
                        .get(k - 1)
                        .and_then(|n| self.text.lines().nth(n - 1))
                        .unwrap_or("")
                        .trim();
                    format!("Step {k} of {}: {line}", self.lines.len())
                }
            };
            store(Action::Notice {
                origin: Origin::Url,
                kind: StatusKind::Info,
                text,
            });
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct EmbedProps {
    pub view: View,
}

/// A script from the fragment, or the default scenario.
fn first_lesson(step: bool) -> (Lesson, Option<String>) {
    match browser::script_from_hash() {
        Some(Ok(text)) => (Lesson::new(text, step), None),
        Some(Err(e)) => (Lesson::default(), Some(e)),
        None => (Lesson::new(super::app::default_script().0.to_string(), step), None),
    }
}

#[function_component(Embed)]
pub fn embed(p: &EmbedProps) -> Html {
    let view = p.view.clone();
    let lesson = use_mut_ref(Lesson::default);
    let store = {
        let (lesson, step, read_only) = (lesson.clone(), view.step, view.read_only);
        use_reducer(move || {
            let store = Store::default();
            store.set_read_only(read_only);
            let (first, error) = first_lesson(step);
            match error {
                Some(text) => store.apply(Action::Notice {
                    origin: Origin::Url,
                    kind: StatusKind::Error,
                    text,
                }),
                None => first.apply(&|a| store.apply(a)),
            }
            *lesson.borrow_mut() = first;
            store
        })
    };
    let root = use_node_ref();

    // The host page: ready, resizes, and its messages.
    {
        let (dispatcher, lesson, root) = (store.dispatcher(), lesson.clone(), root.clone());
        let lines = store.session().entries.len();
        use_effect_with((), move |_| {
            let steps = lesson.borrow().lines.len();
            let mut last_height = 0;
            let resize = root.cast::<web_sys::HtmlElement>().and_then(|el| {
                browser::observe_height(&el, move |h| {
                    if h != last_height && h > 0 {
                        last_height = h;
                        browser::post_to_parent(&browser::object(&[
                            ("type", "kcp:resize".into()),
                            ("height", h.into()),
                        ]));
                    }
                })
            });
            let messages = EventListener::new("message", move |e| {
                let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() else {
                    return;
                };
                if !browser::from_parent(e) {
                    return;
                }
                handle_message(&e.data(), &lesson, &dispatcher);
            });
            browser::post_to_parent(&browser::object(&[
                ("type", "kcp:ready".into()),
                ("lines", (lines as u32).into()),
                ("steps", (steps as u32).into()),
            ]));
            move || drop((resize, messages))
        });
    }
    {
        let store = store.clone();
        use_effect_with(store.version, move |_| {
            browser::remember_script(&store.session().script())
        });
    }

    let dispatch = |store: &AppHandle| {
        let store = store.clone();
        move |a: Action| store.dispatch(a)
    };
    let run_cleaner = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            store.dispatch(Action::Exec {
                command: Command::Clean(Clean { target: None }),
                origin: Origin::Header,
            })
        })
    };
    let undo = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Undo))
    };
    let restart = {
        let (store, lesson) = (store.clone(), lesson.clone());
        Callback::from(move |_: MouseEvent| {
            let d = dispatch(&store);
            restart_lesson(&lesson, &d);
            post_state(&lesson, None);
        })
    };
    let next = {
        let (store, lesson) = (store.clone(), lesson.clone());
        Callback::from(move |_: MouseEvent| {
            let d = dispatch(&store);
            step_lesson(&lesson, &d);
            post_state(&lesson, None);
        })
    };
    let (script, can_undo) = {
        let s = store.session();
        (s.script(), !s.entries.is_empty())
    };
    let open_href = format!("./index.html#{}", crate::scenario::share::encode(&script));
    let (cursor, steps) = {
        let l = lesson.borrow();
        (l.cursor, l.lines.len())
    };
    let handle: AppHandle = store.clone();
    let ro = view.read_only;
    let panel = |name: &str, body: Html| if view.shows(name) { body } else { Html::default() };
    let pair = view.shows("consumer") && view.shows("state");

    html! {
        <ContextProvider<AppHandle> context={handle}>
            <div ref={root} class={classes!("app", "embed", ro.then_some("readonly"))} data-test-id="app" data-version={store.version.to_string()}>
                <header class="embed-bar">
                    <nav class="embed-actions" aria-label="Playground">
                        if let Some(k) = cursor {
                            <button type="button" class="btn btn-primary btn-small" onclick={next} disabled={k >= steps} data-test-id="next-step"
                                title="Run the next line of the scenario">{ format!("Next step ({k}/{steps})") }</button>
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
                <StatusLine />
                <div class="embed-panels">
                    { panel("topics", html! { <TopicsPanel /> }) }
                    { panel("producer", if ro { Html::default() } else { html! { <ProducerPanel bulk_open=false /> } }) }
                    { panel("log", html! { <LogPanel /> }) }
                    { panel("cleaner", html! { <CleanerPanel /> }) }
                    if pair {
                        <div class="grid-2"><ConsumerPanel /><StateView /></div>
                    } else {
                        { panel("consumer", html! { <ConsumerPanel /> }) }
                        { panel("state", html! { <StateView /> }) }
                    }
                    { panel("chart", html! { <SizeChart /> }) }
                    { panel("config", if ro { Html::default() } else { html! { <TopicConfigPanel /> } }) }
                    { panel("script", html! { <ScriptEditor /> }) }
                    { panel("timeline", html! { <Timeline /> }) }
                </div>
            </div>
        </ContextProvider<AppHandle>>
    }
}

type Shared = std::rc::Rc<std::cell::RefCell<Lesson>>;

fn restart_lesson(lesson: &Shared, dispatch: &dyn Fn(Action)) {
    let mut l = lesson.borrow_mut();
    if l.cursor.is_some() {
        l.cursor = Some(0);
    }
    l.apply(dispatch);
}

/// Runs the next line; false when there is none (not stepping, or done).
fn step_lesson(lesson: &Shared, dispatch: &dyn Fn(Action)) -> bool {
    let mut l = lesson.borrow_mut();
    match l.cursor {
        Some(k) if k < l.lines.len() => {
            l.cursor = Some(k + 1);
            l.apply(dispatch);
            true
        }
        _ => false,
    }
}

/// One message from the host page: checked, handled, acknowledged.
fn handle_message(data: &JsValue, lesson: &Shared, dispatcher: &yew::functional::UseReducerDispatcher<Store>) {
    let Some(kind) = browser::string_field(data, "type") else {
        return;
    };
    let d = dispatcher.clone();
    let dispatch = move |a: Action| d.dispatch(a);
    let (ok, text) = match kind.as_str() {
        "kcp:load" => {
            let Some(script) = browser::string_field(data, "script") else {
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
                let step = js_sys::Reflect::get(data, &JsValue::from_str("step"))
                    .ok()
                    .and_then(|v| v.as_bool())
                    .unwrap_or(false);
                let next = Lesson::new(script, step);
                let ok = !next.lines.is_empty() || scenario::parse(&next.text).is_ok();
                next.apply(&dispatch);
                *lesson.borrow_mut() = next;
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
            let ok = step_lesson(lesson, &dispatch);
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
            restart_lesson(lesson, &dispatch);
            (true, "reset".to_string())
        }
        _ => return,
    };
    post_state(lesson, Some((kind, ok, text)));
}

/// Tells the host page where the lesson stands (after a message, with what
/// it asked and how that went).
fn post_state(lesson: &Shared, request: Option<(String, bool, String)>) {
    let l = lesson.borrow();
    let mut fields = vec![
        ("type", JsValue::from_str("kcp:state")),
        ("step", l.cursor.map_or(JsValue::NULL, |k| (k as u32).into())),
        ("steps", (l.lines.len() as u32).into()),
    ];
    if let Some((kind, ok, text)) = request {
        fields.extend([("request", kind.into()), ("ok", ok.into()), ("text", text.into())]);
    }
    browser::post_to_parent(&browser::object(&fields));
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# intro\ntopic t\n\nproduce t a:1\n# before the last\nproduce t a:2\n";

    #[test]
    fn stepping_runs_growing_prefixes() {
        let mut l = Lesson::new(TEXT.to_string(), true);
        assert_eq!(l.lines, vec![2, 4, 6]);
        assert_eq!(l.script(), "");
        l.cursor = Some(2);
        assert_eq!(l.script(), "# intro\ntopic t\n\nproduce t a:1");
        l.cursor = Some(3);
        assert_eq!(scenario::parse(&l.script()).map(|s| s.len()).ok(), Some(3));
    }

    #[test]
    fn without_stepping_or_on_bad_scripts_everything_runs() {
        assert_eq!(Lesson::new(TEXT.to_string(), false).script(), TEXT);
        let bad = Lesson::new("topic t\nbogus\n".to_string(), true);
        assert_eq!(bad.cursor, None);
        assert_eq!(bad.script(), "topic t\nbogus\n");
    }
}
