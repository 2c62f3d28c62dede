//! The page's status line: what the last action did, or Kafka's error for
//! a rejected one, announced politely to screen readers.

use yew::prelude::*;

use crate::ui::hooks::{dispatch_on, use_app};
use crate::ui::state::{Action, StatusKind};

#[function_component(StatusLine)]
pub fn status_line() -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let s = app.state();
    let dismiss = dispatch_on(&app, Action::DismissStatus);
    let body = match &s.status {
        None => {
            html! { <span class="status-idle">{ "Ready. Every action becomes a line of the session script below." }</span> }
        }
        Some(st) => {
            let (class, word) = match st.kind {
                StatusKind::Ok => ("status-ok", "Done"),
                StatusKind::Info => ("status-info", "Note"),
                StatusKind::Error => ("status-error", "Rejected"),
            };
            html! {
                <>
                    <span class={classes!("status-kind", class)}>{ word }</span>
                    <span class="status-text" data-test-id="status-text">{ st.text.clone() }</span>
                    <button type="button" class="btn-link status-dismiss" onclick={dismiss} aria-label="Dismiss the message">{ "✕" }</button>
                </>
            }
        }
    };
    html! {
        <div class="status" aria-live="polite" data-test-id="status">{ body }</div>
    }
}
