//! The page's notes about long work and the saved session: a progress line
//! with Cancel while a job runs (or the busy sign of one heavy action), and
//! what the person should decide about the copy this browser keeps (a previous session to restore, another
//! tab's session, a failed save, safe mode). See [`crate::ui::saved`].

use yew::prelude::*;

use crate::ui::browser;
use crate::ui::hooks::{dispatch_on, use_app};
use crate::ui::saved::{self, Saved};
use crate::ui::state::{Action, Origin, SavedNote};

/// The progress line of long work, with Cancel, or the busy sign of one
/// heavy action about to run whole (a spinner and what it is doing; the
/// page paints it before the work starts, and its controls wait).
#[function_component(JobBar)]
pub fn job_bar() -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let s = app.state();
    let Some(job) = s.job.as_ref() else {
        return Html::default();
    };
    let cancel = dispatch_on(&app, Action::Cancel);
    let next = job
        .next_line()
        .map(|l| crate::ui::format::clip(&l, 60))
        .unwrap_or_default();
    let bar = job.fraction().map(|(done, total)| {
        html! {
            <progress max={total.max(1.0).to_string()} value={done.to_string()} aria-label="Work done so far"></progress>
        }
    });
    html! {
        <div class={classes!("busy", job.is_whole().then_some("busy-whole"))} role="status" aria-live="polite" data-test-id="progress">
            <span class="spinner" aria-hidden="true"></span>
            <span class="busy-text" data-test-id="progress-text">{ job.label() }
                if !next.is_empty() { <span class="busy-next">{ " · " }<code>{ next }</code></span> }
            </span>
            { bar }
            if !job.is_whole() {
                if job.stops() {
                    <button type="button" class="btn btn-small" onclick={cancel} data-test-id="cancel-job"
                        title="Stop here: the session keeps what has run, as a shorter run line">{ "Stop" }</button>
                } else {
                    <button type="button" class="btn btn-small" onclick={cancel} data-test-id="cancel-job"
                        title="Stop and keep the session as it was before">{ "Cancel" }</button>
                }
            }
        </div>
    }
}

/// What the person should decide about the session this browser keeps.
#[function_component(SafetyBar)]
pub fn safety_bar() -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let s = app.state();
    let dismiss = dispatch_on(&app, Action::SavedNote(None));
    let load = |script: &str| {
        let (app, script) = (app.clone(), script.to_string());
        Callback::from(move |_: MouseEvent| {
            saved::with_known(|k| *k = Some(script.clone()));
            app.dispatch(Action::SavedNote(None));
            app.dispatch(Action::LoadScript {
                text: script.clone(),
                origin: Origin::Saved,
            });
        })
    };
    let note = s.saved_note.as_ref().map(|note| {
        let (text, actions) = match note {
            SavedNote::PreviousKept { lines } => {
                let restore = {
                    let app = app.clone();
                    Callback::from(move |_: MouseEvent| {
                        app.dispatch(Action::SavedNote(None));
                        if let Some(text) = saved::with_known(|k| saved::take_previous(&browser::LocalStorage, k)) {
                            app.dispatch(Action::LoadScript { text, origin: Origin::Saved });
                        }
                    })
                };
                (
                    format!("The session this browser had saved ({lines} line{}) was replaced; it is kept as your previous session.", crate::ui::describe::plural(*lines)),
                    html! { <button type="button" class="btn btn-small btn-primary" onclick={restore} data-test-id="restore-previous">{ "Restore previous session" }</button> },
                )
            }
            SavedNote::OtherTab { script } => {
                let keep = {
                    let app = app.clone();
                    Callback::from(move |_: MouseEvent| {
                        let mine = app.state().session.script();
                        let outcome = saved::with_known(|k| saved::keep_mine(&browser::LocalStorage, k, &mine));
                        app.dispatch(Action::SavedNote(match outcome {
                            Saved::Displaced(lines) => Some(SavedNote::PreviousKept { lines }),
                            _ => None,
                        }));
                    })
                };
                (
                    format!("Another tab saved a different session ({} lines). Saving here keeps theirs as the previous session.", saved::command_lines(script)),
                    html! {
                        <>
                            <button type="button" class="btn btn-small btn-primary" onclick={load(script)} data-test-id="other-tab-load">{ "Load theirs" }</button>
                            <button type="button" class="btn btn-small" onclick={keep} data-test-id="other-tab-keep">{ "Keep mine" }</button>
                        </>
                    },
                )
            }
            SavedNote::SaveFailed(text) => (text.clone(), Html::default()),
            SavedNote::SafeMode { script } => (
                format!("Safe mode: the last visit did not finish loading a session ({} lines), so nothing was replayed.", saved::command_lines(script)),
                html! { <button type="button" class="btn btn-small btn-primary" onclick={load(script)} data-test-id="safe-load">{ "Load it anyway" }</button> },
            ),
        };
        html! {
            <div class="saved-note" role="alert" data-test-id="saved-note">
                <span>{ text }</span>
                { actions }
                <button type="button" class="btn btn-small btn-ghost" onclick={dismiss.clone()} data-test-id="saved-note-dismiss">{ "Dismiss" }</button>
            </div>
        }
    });
    html! { <>{ note }</> }
}
