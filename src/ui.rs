//! The playground page: a Yew front end over the engine, built by Trunk
//! (`src/bin/playground_ui.rs`, `www/index.html`).
//!
//! | module | what |
//! | --- | --- |
//! | [`state`] | the one reducer: the broker plus the session of scenario lines |
//! | [`log_window`] | what the log view draws: records, gaps, markers, segments |
//! | [`app`] | the page layout, shortcuts and start-up (link, saved session, default) |
//! | [`embed`] | the compact layout for iframes (`embed.html`) and its host-page messages |
//! | [`components`] | one component per thing shown |
//! | [`browser`] | URL, clipboard, listeners and the panic banner |
//! | [`format`] | numbers, sizes and times for people |

pub mod app;
pub mod browser;
pub mod components;
pub mod embed;
pub mod format;
pub mod log_window;
pub mod state;

/// Installs the panic hook and mounts the page on `#app` (or `<body>`).
pub fn start() {
    browser::install_panic_hook();
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(el) => {
            // Replace the "loading" placeholder.
            el.set_inner_html("");
            yew::Renderer::<app::App>::with_root(el).render();
        }
        None => {
            yew::Renderer::<app::App>::new().render();
        }
    }
}
