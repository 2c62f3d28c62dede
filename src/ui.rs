//! The playground page: a Yew front end over the engine, built by Trunk
//! (`src/bin/playground_ui.rs`, `www/index.html`).
//!
//! | module | what |
//! | --- | --- |
//! | [`state`] | the one store and its reducer: every change of the page's state is an action |
//! | [`session`] | the scenario lines run so far, the broker they built, the budget and replay (undo) |
//! | [`describe`] | the sentences on what a line, a script, an undo did |
//! | [`lesson`] | the embed's scenario, stepped through a line at a time |
//! | [`startup`] | what the page starts with (link, saved session, default scenario, safe mode) |
//! | [`saved`] | the session this browser keeps, and the rules that never lose it silently |
//! | [`log_window`] | what the log view draws: records, gaps, markers, segments |
//! | [`fates`] | what became of each record across a cleaning (the before/after view) |
//! | [`app`] | the page layout and shortcuts |
//! | [`embed`] | the compact layout for iframes (`embed.html`) and its host-page messages |
//! | [`hooks`] | the store from context and the components' callback helpers |
//! | [`components`] | one component per thing shown |
//! | [`browser`] | every call into the browser: URL, storage, clipboard, listeners, fields, the panic banner |
//! | [`files_module`] | Kafka's files support (the JS API module with the codecs), loaded on first use |
//! | [`format`](mod@format) | numbers, sizes and times for people |

pub mod app;
pub mod browser;
pub mod components;
pub mod describe;
pub mod embed;
pub mod embed_code;
pub mod fates;
pub mod files_module;
pub mod format;
pub mod hooks;
pub mod inspect;
pub mod lesson;
pub mod log_window;
pub mod saved;
pub mod session;
pub mod startup;
pub mod state;

/// Installs the panic hook and mounts the page on `#app` (or `<body>`).
pub fn start() {
    browser::install_panic_hook();
    startup::test_panic_trigger();
    match browser::app_root() {
        Some(el) => {
            yew::Renderer::<app::App>::with_root(el).render();
        }
        None => {
            yew::Renderer::<app::App>::new().render();
        }
    }
}

/// For the page's tests: `script` run on `broker`, every line accepted.
#[cfg(test)]
pub(crate) fn ran(mut broker: crate::log_manager::LogManager, script: &str) -> crate::log_manager::LogManager {
    let results = crate::scenario::run_on(&mut broker, script).unwrap_or_else(|e| panic!("{e}"));
    for r in results {
        assert!(r.ok, "{r:?}");
    }
    broker
}
