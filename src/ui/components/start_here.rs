//! "Start here": the first screen of a first visit (and of any empty
//! session), a short choice by where a learner comes from: the tutorials'
//! flows, the classic surprises, the broker in time (the groups of
//! [`crate::scenario::builtin::groups`]), or free play on an empty
//! compacted topic. Each lesson says what it teaches and how long it takes.

use yew::prelude::*;

use super::inline_status;
use crate::scenario::{builtin, lesson};
use crate::ui::hooks::{dispatch_on, load_builtin_on, use_app};
use crate::ui::state::{Action, Origin};

/// The one line free play starts with: a compacted topic with Kafka's
/// defaults, nothing else set.
pub const FREE_PLAY: &str = "topic demo cleanup.policy=compact\n";

#[function_component(StartHere)]
pub fn start_here() -> Html {
    let Some(app) = use_app() else { return Html::default() };
    // The built-ins never change: read them as lessons once.
    let timing = use_memo((), |_| {
        builtin::all()
            .iter()
            .map(|b| {
                let l = lesson::Lesson::read(b.script);
                (b.id, l.len(), l.minutes())
            })
            .collect::<Vec<_>>()
    });
    let groups =
        builtin::groups().iter().map(|g| {
            let items = g.ids.iter().filter_map(|id| builtin::find(id)).map(|b| {
            let (steps, minutes) =
                timing.iter().find(|(id, ..)| *id == b.id).map_or((0, 1), |&(_, s, m)| (s, m));
            let start = load_builtin_on(
                &app,
                b,
                Action::LoadLesson {
                    text: b.script.to_string(),
                    step: true,
                },
                Origin::Scenario(b.id.to_string()),
            );
            html! {
                <li class="start-item">
                    <button type="button" class="start-lesson" onclick={start} data-test-id={format!("start-{}", b.id)}>
                        <span class="start-title">{ b.title }</span>
                        <span class="start-meta">{ format!("{steps} steps · about {minutes} min") }</span>
                        <span class="start-teaches">{ b.teaches }</span>
                    </button>
                    { inline_status(&app.state(), &Origin::Scenario(b.id.to_string()), &format!("start-message-{}", b.id)) }
                </li>
            }
        });
            html! {
                <section class="start-group" aria-label={g.title}>
                    <h3>{ g.title }</h3>
                    <p class="muted small">{ g.blurb }</p>
                    <ul class="start-list">{ for items }</ul>
                </section>
            }
        });
    let free = dispatch_on(
        &app,
        Action::LoadScript {
            text: FREE_PLAY.to_string(),
            origin: Origin::Header,
        },
    );
    html! {
        <section class="panel start-here" id="start-here" aria-labelledby="start-here-h" data-test-id="start-here">
            <div class="panel-head">
                <h2 id="start-here-h">{ "Start here" }</h2>
            </div>
            <p class="start-intro">
                { "A faithful model of a Kafka 4.0 topic and its log cleaner. Pick a lesson to step through, with what to watch for at each step, or play freely." }
            </p>
            <div class="start-groups">{ for groups }</div>
            <div class="start-free">
                <button type="button" class="btn" onclick={free} data-test-id="free-play">{ "Free play: an empty compacted topic" }</button>
                <span class="muted small">{ "Runs " }<code>{ FREE_PLAY.trim() }</code>{ "; produce, roll, advance the clock and clean as you like." }</span>
            </div>
        </section>
    }
}
