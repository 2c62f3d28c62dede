//! The page's components, one file per thing shown, and the pieces they
//! share: the panel frame and the inline message beside a control (the
//! store context and callback helpers are in [`super::hooks`]).

pub mod chart;
pub mod cleaner_panel;
pub mod clock;
pub mod config_panel;
pub mod console_consumer;
pub mod consumer;
pub mod embed_builder;
pub mod files_panel;
pub mod history;
pub mod lesson_panel;
pub mod partition_view;
pub mod producer;
pub mod producer_clients;
pub mod record_inspector;
pub mod safety;
pub mod scenarios;
pub mod script_editor;
pub mod start_here;
pub mod state_view;
pub mod status;
pub mod timeline;
pub mod topics;

use yew::prelude::*;

use super::state::{Origin, PageState, Status, StatusKind};

/// The store handle as a prop that never counts as a change (components
/// that hold it decide when to redraw from their other props).
#[derive(Clone)]
pub struct Shared(pub super::hooks::AppHandle);

impl PartialEq for Shared {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// The last action's message if it came from `origin`.
pub fn status_for(state: &PageState, origin: &Origin) -> Option<Status> {
    state.status.as_ref().filter(|s| &s.origin == origin).cloned()
}

/// The message of the last action if it came from `origin`, drawn beside
/// the control (errors are Kafka's words, verbatim).
pub fn inline_status(state: &PageState, origin: &Origin, test_id: &str) -> Html {
    status_html(state.status.as_ref().filter(|s| &s.origin == origin), test_id)
}

/// Draws a message (see [`inline_status`]).
pub fn status_html(status: Option<&Status>, test_id: &str) -> Html {
    match status {
        Some(s) => {
            let (class, prefix) = match s.kind {
                StatusKind::Error => ("msg msg-error", "✕ Rejected: "),
                StatusKind::Ok => ("msg msg-ok", "✓ "),
                StatusKind::Info => ("msg msg-info", "ℹ "),
            };
            html! {
                <p class={class} role={if s.kind == StatusKind::Error { "alert" } else { "status" }} data-test-id={test_id.to_string()}>
                    <span class="msg-prefix">{prefix}</span>{ s.text.clone() }
                    if let Some(name) = &s.error_name {
                        { " " }<code class="err-name" title="The exception Kafka raises for this" data-test-id="error-name">{ name.clone() }</code>
                    }
                </p>
            }
        }
        _ => Html::default(),
    }
}

/// A panel with a heading; `id` doubles as the anchor for jump links.
#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub title: AttrValue,
    pub id: AttrValue,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub actions: Html,
    #[prop_or_default]
    pub subtitle: Option<AttrValue>,
    #[prop_or_default]
    pub children: Html,
}

#[function_component(Panel)]
pub fn panel(p: &PanelProps) -> Html {
    let heading = format!("{}-h", p.id);
    html! {
        <section class={classes!("panel", p.class.clone())} id={p.id.clone()} aria-labelledby={heading.clone()}>
            <div class="panel-head">
                <h2 id={heading}>{ p.title.clone() }</h2>
                if let Some(s) = &p.subtitle { <span class="panel-sub">{ s.clone() }</span> }
                <div class="panel-actions">{ p.actions.clone() }</div>
            </div>
            { p.children.clone() }
        </section>
    }
}
