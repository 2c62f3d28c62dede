//! The built-in scenarios (`crate::scenario::builtin::all()`), each with the
//! sentence on what it teaches: step through one as a lesson, or run it
//! whole; either replaces the session.

use yew::prelude::*;

use super::{inline_status, Panel};
use crate::scenario::{self, builtin};
use crate::ui::hooks::{load_builtin_on, use_app};
use crate::ui::state::{Action, Origin};

#[function_component(ScenariosPanel)]
pub fn scenarios_panel() -> Html {
    let app = use_app();
    // The built-ins never change: count their lines once.
    let counts = use_memo((), |_| {
        builtin::all()
            .iter()
            .map(|b| scenario::parse(b.script).map(|v| v.len()).unwrap_or(0))
            .collect::<Vec<_>>()
    });
    let Some(app) = app else { return Html::default() };
    let s = app.state();
    let items = builtin::all().iter().enumerate().map(|(i, b)| {
        let steps = counts.get(i).copied().unwrap_or(0);
        let origin = Origin::Scenario(b.id.to_string());
        let onclick = load_builtin_on(
            &app,
            b,
            Action::LoadScript {
                text: b.script.to_string(),
                origin: origin.clone(),
            },
            origin.clone(),
        );
        let start = load_builtin_on(
            &app,
            b,
            Action::LoadLesson {
                text: b.script.to_string(),
                step: true,
            },
            origin.clone(),
        );
        html! {
            <li class="scenario" data-test-id={format!("scenario-{}", b.id)}>
                <div class="scenario-head">
                    <h3 class="scenario-title">{ b.title }</h3>
                    <div class="scenario-actions">
                    <button type="button" class="btn btn-small btn-primary" onclick={start} disabled={steps == 0}
                        aria-label={format!("Step through the lesson: {}", b.title)} data-test-id={format!("lesson-{}", b.id)}>{ "Step through" }</button>
                    <button type="button" class="btn btn-small" {onclick} disabled={steps == 0}
                        aria-label={format!("Run the whole scenario: {}", b.title)} data-test-id={format!("load-{}", b.id)}>{ "Run all" }</button>
                    </div>
                </div>
                <p class="scenario-teaches">{ b.teaches }</p>
                <p class="muted small">{ if steps == 0 { "(script not written yet)".to_string() } else { format!("{steps} lines") } }</p>
                { inline_status(&s, &origin, &format!("scenario-message-{}", b.id)) }
            </li>
        }
    });
    html! {
        <Panel title="Scenarios" id="scenarios">
            <p class="hint">{ "Step through one as a lesson, or run it all; either replaces the session, and Undo steps back through it." }</p>
            <ul class="scenario-list">{ for items }</ul>
        </Panel>
    }
}
