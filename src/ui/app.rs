//! The page: header (clock and global actions), the left column (topics,
//! producer, configs, scenarios) and the main area (log, cleaner, consumer,
//! state, chart, script, timeline), around the one reducer.
//!
//! The same wasm draws the compact embed (`embed.html`, whose `<body>`
//! carries `data-kcp-mode="embed"`): see [`super::embed`]. What the page
//! starts with is in [`super::startup`].

use yew::prelude::*;

use super::browser;
use super::components::chart::SizeChart;
use super::components::cleaner_panel::CleanerPanel;
use super::components::clock::ClockBar;
use super::components::config_panel::{ConfigPanel, ConfigScope};
use super::components::consumer::ConsumerPanel;
use super::components::history::HistoryBar;
use super::components::lesson_panel::LessonPanel;
use super::components::partition_view::LogPanel;
use super::components::producer::ProducerPanel;
use super::components::safety::{JobBar, SafetyBar};
use super::components::scenarios::ScenariosPanel;
use super::components::script_editor::{share_script, ScriptEditor};
use super::components::start_here::StartHere;
use super::components::state_view::StateView;
use super::components::status::StatusLine;
use super::components::timeline::Timeline;
use super::components::topics::TopicsPanel;
use super::hooks::{dispatch_on, use_job_driver, use_play_driver, AppHandle};
use super::saved::{self, KeyValue, Saved};
use super::session::normalize_script;
use super::startup::{self, default_script};
use super::state::{Action, Origin, SavedNote};

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
    let store = use_reducer(startup::full_page);

    // Keyboard shortcuts (outside text fields) and `#script=` links
    // followed without a reload.
    {
        let dispatcher = store.dispatcher();
        let script_now = store.clone();
        use_effect_with((), move |_| {
            let keys = {
                let d = dispatcher.clone();
                browser::on_shortcut(move |key| match key {
                    "c" => {
                        d.dispatch(Action::run_cleaner(Origin::Header));
                        false
                    }
                    "u" => {
                        d.dispatch(Action::Undo);
                        false
                    }
                    "/" => {
                        browser::focus("produce-key");
                        true
                    }
                    // A lesson's Next and Back (nothing when none is open).
                    "n" => {
                        d.dispatch(Action::StepLesson);
                        false
                    }
                    "p" => {
                        d.dispatch(Action::BackLesson);
                        false
                    }
                    _ => false,
                })
            };
            let d = dispatcher.clone();
            let hash = browser::on_hash_change(move || {
                // Back or Forward to an entry the page made for looking
                // back, which keeps the address it had: not a link
                // followed anew (the pop-state listener moves the view).
                if browser::look_back_state().is_some() {
                    return;
                }
                if let Some(action) = startup::from_link() {
                    // A link followed in this tab: the session it replaces
                    // becomes the previous one, restorable, like any
                    // session this visit did not write.
                    if matches!(action, Action::LoadScript { .. }) {
                        super::saved::with_known(|k| *k = None);
                    }
                    d.dispatch(action);
                }
            });
            // Back and Forward through what the person looked back at (an
            // entry the page did not make shows now). An address that
            // came back with a link no longer the session's loses it, as
            // the saving below does.
            let pop = browser::on_pop_state(move |at| {
                dispatcher.dispatch(Action::LookBack(at));
                if let (Some(_), Some(Ok(link))) = (browser::look_back_state(), browser::script_from_hash()) {
                    if normalize_script(&link).as_deref() != Some(script_now.state().session.script().as_str()) {
                        browser::drop_fragment();
                    }
                }
            });
            move || drop((keys, hash, pop))
        });
    }
    {
        let store = store.clone();
        // Remember the session for the panic banner, and save it in this
        // browser so that a reload keeps it (see `saved` for the rules that
        // keep a person's work). Nothing is saved while a job runs (a
        // load is marked instead: a tab that dies loading starts the next
        // visit in safe mode) or while saving is held.
        // Once the session differs from the link it came from, the link
        // leaves the address bar, so that a reload restores the session.
        // The default scenario is not saved: nothing saved means default.
        // Keyed on the session's text, not on every action: a note (say,
        // that another tab saved) must not save, or two tabs would move
        // each other's session back and forth.
        let (script, busy, hold) = {
            let s = store.state();
            (s.session.script(), s.job.is_some(), s.hold_saving)
        };
        use_effect_with((script, busy, hold), move |(script, busy, hold)| {
            let (script, busy, hold) = (script.clone(), *busy, *hold);
            let failed_note = matches!(store.state().saved_note, Some(SavedNote::SaveFailed(_)));
            browser::remember_script(&script);
            let kv = browser::LocalStorage;
            if busy {
                kv.set(saved::LOADING_KEY, "1");
                return;
            }
            kv.remove(saved::LOADING_KEY);
            if hold {
                return;
            }
            let mut linked = false;
            if let Some(Ok(link)) = browser::script_from_hash() {
                linked = normalize_script(&link).as_deref() == Some(script.as_str());
                if !linked {
                    browser::drop_fragment();
                }
            }
            let default = normalize_script(default_script().0).as_deref() == Some(script.as_str());
            let outcome = saved::with_known(|k| saved::save(&kv, k, (!default).then_some(script.as_str()), linked));
            let note = match outcome {
                Saved::Done if failed_note => Some(None),
                Saved::Done => None,
                Saved::Displaced(lines) => Some(Some(SavedNote::PreviousKept { lines })),
                Saved::TooBig(bytes) => Some(Some(SavedNote::SaveFailed(format!(
                    "This session is {bytes} bytes, over the {} KiB a saved session or a link may hold, so this browser no longer keeps it: download it to keep it.",
                    crate::scenario::share::MAX_SCRIPT_BYTES >> 10
                )))),
                Saved::Failed => Some(Some(SavedNote::SaveFailed(
                    "This browser refused to save the session (storage is full or disabled): download it to keep it.".to_string(),
                ))),
            };
            if let Some(note) = note {
                store.dispatch(Action::SavedNote(note));
            }
        });
    }
    // Long work: one slice after each paint, until it is done.
    use_job_driver(&store);
    // Play: the broker runs on its own, a tick at a time.
    use_play_driver(&store);
    // Another tab saved a different session: say so, rather than let the
    // last writer win silently.
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            let listener = browser::on_storage_change(saved::SAVED_KEY, move |value| {
                let Some(theirs) = value.filter(|v| !v.trim().is_empty()) else {
                    return;
                };
                if theirs != store.state().session.script() {
                    store.dispatch(Action::SavedNote(Some(SavedNote::OtherTab { script: theirs })));
                }
            });
            move || drop(listener)
        });
    }
    // Warm the engine once the page is on screen.
    use_effect_with((), |_| {
        gloo_timers::callback::Timeout::new(40, super::session::warm_up).forget();
    });

    let run_cleaner = dispatch_on(&store, Action::run_cleaner(Origin::Header));
    let undo = dispatch_on(&store, Action::Undo);
    let reset = dispatch_on(&store, Action::Reset);
    let share = {
        let store = store.clone();
        Callback::from(move |_: MouseEvent| {
            let text = store.state().session.script();
            share_script(&store, &text, Origin::Header);
        })
    };
    let past = store.state().past.is_some().then_some(AttrValue::Static("true"));
    let (entries, can_undo, whole, start) = {
        let s = store.state();
        let whole = s.job.as_ref().is_some_and(super::state::Job::is_whole);
        // An empty session, not stepping a lesson: offer the lessons.
        let start = s.session.entries.is_empty() && !s.lesson.active() && s.job.is_none();
        (s.session.entries.len(), !s.session.entries.is_empty(), whole, start)
    };
    // While one heavy action waits for its busy sign to be painted, and then
    // runs, the controls wait too (`inert`: no click, no focus).
    let inert = whole.then_some(AttrValue::Static(""));
    let handle: AppHandle = store.clone();

    html! {
        <ContextProvider<AppHandle> context={handle}>
            <div class="app" data-test-id="app" data-version={store.version.to_string()} data-past={past} aria-busy={whole.then_some("true")}>
                <a class="skip-link" href="#main">{ "Skip to the log" }</a>
                // The header and the progress line under it stick together
                // to the top of a wide window, so the one never covers the
                // other.
                <div class="masthead">
                <header class="topbar" inert={inert.clone()}>
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
                            title="Undo the last action: back to the nearest saved copy of the broker, then replay the lines after it (shortcut: u)" aria-keyshortcuts="u">
                            { "Undo" }</button>
                        <button type="button" class="btn" onclick={reset} data-test-id="reset" title="An empty broker and an empty session">{ "Reset" }</button>
                        <button type="button" class="btn" onclick={share} data-test-id="share" title="Copy a link that replays this session">{ "Share" }</button>
                        <span class="sr-only">{ format!("{entries} actions in the session") }</span>
                    </nav>
                </header>
                <JobBar />
                <HistoryBar />
                </div>
                <StatusLine />
                <SafetyBar />
                <div class="layout" {inert}>
                    <aside class="sidebar" aria-label="Topics, producer, configs and scenarios">
                        <TopicsPanel />
                        <ProducerPanel />
                        <ConfigPanel scope={ConfigScope::Topic} />
                        <ConfigPanel scope={ConfigScope::Broker} />
                        <ScenariosPanel />
                    </aside>
                    <main id="main" class="main" tabindex="-1">
                        if start {
                            <StartHere />
                        }
                        <LessonPanel />
                        <LogPanel />
                        <super::components::files_panel::FilesPanel />
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
                        <super::components::embed_builder::EmbedBuilder />
                    </main>
                </div>
                <footer class="footer">
                    <p>
                        { "Keys: " }<kbd>{ "c" }</kbd>{ " run cleaner · " }<kbd>{ "u" }</kbd>{ " undo · " }<kbd>{ "/" }</kbd>{ " focus the producer's key · " }<kbd>{ "n" }</kbd>{ " / " }<kbd>{ "p" }</kbd>{ " a lesson's next / previous step · " }
                        <kbd>{ "Ctrl" }</kbd>{ "+" }<kbd>{ "Enter" }</kbd>{ " run the script." }
                    </p>
                    <p class="muted">
                        { "Modelled on Kafka 4.0. Departures: segment.bytes is accepted down to 14 bytes as Kafka 4.0 topic configs do (brokers from 4.1 require at least 1 MiB), and the dedupe buffer down to one key per pass, so that segment rolls and partial cleanings are visible with a handful of records. One broker, one replica; step by step, the cleaner and retention run only when asked and time moves only when you advance it; Play and Run let the broker work on its own, as `run` lines." }
                    </p>
                </footer>
            </div>
        </ContextProvider<AppHandle>>
    }
}
