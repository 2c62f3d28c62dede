//! The simulated clock in the header: the time, the advance buttons and a
//! custom advance. `segment.ms`, the compaction lags and
//! `delete.retention.ms` all read this clock; it never moves by itself.

use yew::prelude::*;

use super::inline_status;
use crate::scenario::command::Advance;
use crate::scenario::Command;
use crate::ui::format;
use crate::ui::hooks::{exec_on, set_from_input, use_app};
use crate::ui::state::{Action, Origin};

const STEPS: [(&str, &str, i64); 4] = [
    ("+1 s", "one second", 1_000),
    ("+1 min", "one minute", 60_000),
    ("+1 h", "one hour", 3_600_000),
    ("+1 day", "one day", 86_400_000),
];

#[function_component(ClockBar)]
pub fn clock_bar() -> Html {
    let app = use_app();
    let custom = use_state(|| "10m".to_string());
    let Some(app) = app else { return Html::default() };
    let s = app.state();
    let now = s.session.broker.now_ms();

    let buttons = STEPS.iter().map(|(label, words, ms)| {
        let onclick = exec_on(&app, Command::Advance(Advance { ms: *ms }), Origin::Clock);
        html! {
            <button type="button" class="btn btn-small" {onclick} aria-label={format!("Advance the clock by {words}")}
                data-test-id={format!("advance-{}", label.trim_start_matches('+').replace(' ', ""))}>{ *label }</button>
        }
    });

    let onsubmit = {
        let app = app.clone();
        let custom = custom.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let d = custom.trim().to_string();
            app.dispatch(Action::ExecLine {
                line: format!("advance {d}"),
                origin: Origin::Clock,
            });
        })
    };
    let oninput = set_from_input(&custom);

    html! {
        <div class="clock" role="group" aria-labelledby="clock-label">
            <div class="clock-now">
                <span id="clock-label" class="clock-label">{ "Simulated time" }</span>
                <time class="clock-time" data-test-id="clock" datetime={crate::clock::format_utc(now)}>{ format::time(now) }</time>
                <span class="clock-since" data-test-id="clock-since">{ format::since_start(now) }</span>
            </div>
            <div class="clock-buttons">
                { for buttons }
                <form class="clock-custom" {onsubmit}>
                    <label for="advance-custom" class="sr-only">{ "Advance the clock by a duration such as 90s, 10m, 2h or 7d" }</label>
                    <input id="advance-custom" class="input input-small" size="5" value={(*custom).clone()} {oninput}
                        data-test-id="advance-custom" placeholder="10m" autocomplete="off" spellcheck="false"
                        title="A duration: an integer with ms, s, m, h or d" />
                    <button type="submit" class="btn btn-small" data-test-id="advance-custom-go">{ "Advance" }</button>
                </form>
            </div>
            { inline_status(&s, &Origin::Clock, "clock-message") }
        </div>
    }
}
