//! The page: header (clock and global actions), the left column (topics,
//! producer, configs, scenarios) and the main area (log, cleaner, consumer,
//! state, chart, script, timeline), around the one reducer.
//!
//! The same wasm draws the compact embed (`embed.html`, whose `<body>`
//! carries `data-kcp-mode="embed"`): see [`super::embed`].

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::browser::{self, EventListener};
use super::components::broker_config::BrokerConfigPanel;
use super::components::chart::SizeChart;
use super::components::cleaner_panel::CleanerPanel;
use super::components::clock::ClockBar;
use super::components::consumer::ConsumerPanel;
use super::components::partition_view::LogPanel;
use super::components::producer::ProducerPanel;
use super::components::scenarios::ScenariosPanel;
use super::components::script_editor::{share_script, ScriptEditor};
use super::components::state_view::StateView;
use super::components::status::StatusLine;
use super::components::timeline::Timeline;
use super::components::topic_config::TopicConfigPanel;
use super::components::topics::TopicsPanel;
use super::components::AppHandle;
use super::state::{Action, Origin, StatusKind, Store};
use crate::scenario::command::Clean;
use crate::scenario::{self, builtin, Command};

/// What a newcomer sees when the address carries no script and no built-in
/// scenario is written yet: a compacted topic with tiny segments, a few
/// updates, and nothing cleaned yet.
pub const STARTER: &str = "# A compacted topic with tiny segments (segment.bytes=300), so a few records fill one.
# Try: Run cleaner (header), then produce more, advance the clock, roll, and clean again.
topic demo partitions=2 cleanup.policy=compact segment.bytes=300
produce demo alice:{\"city\":\"Oslo\"}
produce demo bob:{\"city\":\"Lima\"}
produce demo alice:{\"city\":\"Rome\"}
produce demo carol:{\"city\":\"Pune\"}
produce demo bob:{\"city\":\"Kyiv\"}
produce demo alice:{\"city\":\"Nice\"}
produce demo dave:{\"city\":\"Baku\"}
produce demo carol:{\"city\":\"Bern\"}
tombstone demo dave
produce demo alice:{\"city\":\"Riga\"}
";

/// The script the page starts with: the first built-in scenario if it is
/// written, else [`STARTER`].
pub fn default_script() -> (&'static str, String) {
    match builtin::all().first() {
        Some(b) if scenario::parse(b.script).is_ok_and(|s| !s.is_empty()) => {
            (b.script, format!("the built-in scenario \u{201c}{}\u{201d}", b.title))
        }
        _ => (STARTER, "a small compacted topic, demo".to_string()),
    }
}

/// The first state: the script in the address (`#script=` or `#z=v1.`),
/// else the session saved by the last visit, else the default. A link wins
/// over the saved session.
fn initial_store() -> Store {
    let store = Store::default();
    match browser::script_from_hash() {
        Some(Ok(text)) => store.apply(Action::LoadScript {
            text,
            origin: Origin::Url,
        }),
        Some(Err(text)) => store.apply(Action::Notice {
            origin: Origin::Url,
            kind: StatusKind::Error,
            text,
        }),
        None if browser::saved_script().is_some_and(|s| !s.trim().is_empty()) => {
            let text = browser::saved_script().unwrap_or_default();
            store.apply(Action::LoadScript {
                text,
                origin: Origin::Header,
            });
            let lines = store.session().entries.len();
            store.apply(Action::Notice {
                origin: Origin::Header,
                kind: StatusKind::Info,
                text: format!("Restored your session from this browser ({lines} line{}). \u{201c}Forget saved session\u{201d} under the session script starts afresh.", if lines == 1 { "" } else { "s" }),
            });
        }
        None => {
            let (text, what) = default_script();
            store.apply(Action::LoadScript {
                text: text.to_string(),
                origin: Origin::Header,
            });
            store.apply(Action::Notice {
                origin: Origin::Header,
                kind: StatusKind::Info,
                text: format!("Welcome: the page loaded {what}. Every action you take becomes a line of the session script; Undo replays all but the last."),
            });
        }
    }
    store
}

/// The page: the full playground, or the compact embed on `embed.html`.
#[function_component(App)]
pub fn app() -> Html {
    let view = use_memo((), |_| super::embed::View::from_page());
    if view.embed {
        html! { <super::embed::Embed view={(*view).clone()} /> }
    } else {
        html! { <Full /> }
    }
}

/// The full playground.
#[function_component(Full)]
fn full() -> Html {
    let store = use_reducer(initial_store);

    // Keyboard shortcuts (outside text fields) and `#script=` links
    // followed without a reload.
    {
        let dispatcher = store.dispatcher();
        use_effect_with((), move |_| {
            let keys = {
                let d = dispatcher.clone();
                EventListener::new("keydown", move |e| {
                    let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    if k.ctrl_key() || k.meta_key() || k.alt_key() || browser::typing_in_field(k) {
                        return;
                    }
                    match k.key().as_str() {
                        "c" => d.dispatch(Action::Exec {
                            command: Command::Clean(Clean { target: None }),
                            origin: Origin::Header,
                        }),
                        "u" => d.dispatch(Action::Undo),
                        "/" => {
                            k.prevent_default();
                            browser::focus("produce-key");
                        }
                        _ => {}
                    }
                })
            };
            let hash = {
                let d = dispatcher.clone();
                EventListener::new("hashchange", move |_| match browser::script_from_hash() {
                    Some(Ok(text)) => d.dispatch(Action::LoadScript {
                        text,
                        origin: Origin::Url,
                    }),
                    Some(Err(text)) => d.dispatch(Action::Notice {
                        origin: Origin::Url,
                        kind: StatusKind::Error,
                        text,
                    }),
                    None => {}
                })
            };
            move || drop((keys, hash))
        });
    }
    {
        let store = store.clone();
        // Remember the session for the panic banner, and save it in this
        // browser so that a reload keeps it.
        // Once the session differs from the link it came from, the link
        // leaves the address bar, so that a reload restores the session
        // (a link in the address wins over the saved session).
        // The default scenario is not saved: nothing saved means default.
        use_effect_with(store.version, move |_| {
            let script = store.session().script();
            browser::remember_script(&script);
            if let Some(Ok(linked)) = browser::script_from_hash() {
                if scenario::normalize_script(&linked).as_deref() != Some(script.as_str()) {
                    browser::drop_fragment();
                }
            }
            if scenario::normalize_script(default_script().0).as_deref() == Some(script.as_str()) {
                browser::clear_saved_script();
            } else {
                browser::save_script(&script);
            }
        });
    }
    // Warm the engine once the page is on screen.
    use_effect_with((), |_| {
        gloo_timers::callback::Timeout::new(40, super::state::warm_up).forget();
    });

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
    let reset = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| store.dispatch(Action::Reset))
    };
    let share = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            let text = store.session().script();
            share_script(&store, &text, Origin::Header);
        })
    };
    let (entries, can_undo) = {
        let s = store.session();
        (s.entries.len(), !s.entries.is_empty())
    };
    let handle: AppHandle = store.clone();

    html! {
        <ContextProvider<AppHandle> context={handle}>
            <div class="app" data-test-id="app" data-version={store.version.to_string()}>
                <a class="skip-link" href="#main">{ "Skip to the log" }</a>
                <header class="topbar">
                    <div class="brand">
                        <h1>{ "Kafka compaction playground" }</h1>
                        <p class="tagline">{ "Kafka's log cleaner, modelled in WebAssembly" }</p>
                    </div>
                    <ClockBar />
                    <nav class="global-actions" aria-label="Session">
                        <button type="button" class="btn btn-primary" onclick={run_cleaner} data-test-id="run-cleaner"
                            title="One cleaner-thread iteration: clean the filthiest eligible partition (shortcut: c)" aria-keyshortcuts="c">
                            { "Run cleaner" }</button>
                        <button type="button" class="btn" onclick={undo} disabled={!can_undo} data-test-id="undo"
                            title="Undo the last action by replaying the session without it (shortcut: u)" aria-keyshortcuts="u">
                            { "Undo" }</button>
                        <button type="button" class="btn" onclick={reset} data-test-id="reset" title="An empty broker and an empty session">{ "Reset" }</button>
                        <button type="button" class="btn" onclick={share} data-test-id="share" title="Copy a link that replays this session">{ "Share" }</button>
                        <span class="sr-only">{ format!("{entries} actions in the session") }</span>
                    </nav>
                </header>
                <StatusLine />
                <div class="layout">
                    <aside class="sidebar" aria-label="Topics, producer, configs and scenarios">
                        <TopicsPanel />
                        <ProducerPanel />
                        <TopicConfigPanel />
                        <BrokerConfigPanel />
                        <ScenariosPanel />
                    </aside>
                    <main id="main" class="main" tabindex="-1">
                        <LogPanel />
                        <CleanerPanel />
                        <div class="grid-2 grid-read">
                            <ConsumerPanel />
                            <StateView />
                        </div>
                        <SizeChart />
                        <div class="grid-2 grid-script">
                            <ScriptEditor saving=true />
                            <Timeline />
                        </div>
                    </main>
                </div>
                <footer class="footer">
                    <p>
                        { "Keys: " }<kbd>{ "c" }</kbd>{ " run cleaner · " }<kbd>{ "u" }</kbd>{ " undo · " }<kbd>{ "/" }</kbd>{ " focus the producer's key · " }
                        <kbd>{ "Ctrl" }</kbd>{ "+" }<kbd>{ "Enter" }</kbd>{ " run the script." }
                    </p>
                    <p class="muted">
                        { "Modelled on Kafka 4.0. Departures: segment.bytes is accepted down to 14 bytes as Kafka 4.0 topic configs do (brokers from 4.1 require at least 1 MiB), and the dedupe buffer down to one key per pass, so that segment rolls and partial cleanings are visible with a handful of records. One broker, one replica; the cleaner and retention run only when asked, and time moves only when you advance it." }
                    </p>
                </footer>
            </div>
        </ContextProvider<AppHandle>>
    }
}
