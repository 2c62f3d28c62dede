//! The page's components, one file per thing shown, and the helpers they
//! share: the store context, dispatching a command, reading form fields and
//! the inline message beside a control.

pub mod broker_config;
pub mod chart;
pub mod cleaner_panel;
pub mod clock;
pub mod config_editor;
pub mod consumer;
pub mod partition_view;
pub mod producer;
pub mod scenarios;
pub mod script_editor;
pub mod state_view;
pub mod status;
pub mod timeline;
pub mod topic_config;
pub mod topics;

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::state::{Action, Origin, Session, Status, StatusKind, Store};
use crate::scenario::Command;

/// The store handle every component reads and dispatches to.
pub type AppHandle = UseReducerHandle<Store>;

/// The store from context. The app always provides it; a component used
/// outside the app renders nothing.
#[hook]
pub fn use_app() -> Option<AppHandle> {
    use_context::<AppHandle>()
}

/// The store's dispatcher: stable across renders, for components that take
/// what they show as props instead of reading the context (they then redraw
/// only when those props change).
pub type Dispatch = yew::functional::UseReducerDispatcher<Store>;

/// The store handle as a prop that never counts as a change (components
/// that hold it decide when to redraw from their other props).
#[derive(Clone)]
pub struct Shared(pub AppHandle);

impl PartialEq for Shared {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// The last action's message if it came from `origin`.
pub fn status_for(session: &Session, origin: &Origin) -> Option<Status> {
    session.status.as_ref().filter(|s| &s.origin == origin).cloned()
}

/// A callback that runs `command` as a scenario line.
pub fn exec(app: &AppHandle, command: Command, origin: Origin) {
    app.dispatch(Action::Exec { command, origin });
}

/// The value of the input that fired an event.
pub fn input_value(e: &InputEvent) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

/// The value of a `<select>` that fired a change.
pub fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

/// The value of a `<textarea>` that fired an input.
pub fn textarea_value(e: &InputEvent) -> String {
    e.target_unchecked_into::<HtmlTextAreaElement>().value()
}

/// Whether a checkbox is ticked.
pub fn checked(e: &Event) -> bool {
    e.target_unchecked_into::<HtmlInputElement>().checked()
}

/// The message of the last action if it came from `origin`, drawn beside
/// the control (errors are Kafka's words, verbatim).
pub fn inline_status(session: &Session, origin: &Origin, test_id: &str) -> Html {
    status_html(session.status.as_ref().filter(|s| &s.origin == origin), test_id)
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
