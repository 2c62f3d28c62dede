//! The simulated clock in the header: the time, the advance buttons and a
//! custom advance (step by step: the broker's background work waits), and
//! the run mode: Play at a speed, Pause, Run 1 h and Run 1 day, where the
//! broker works as a broker does (loads, cleaner threads, retention
//! checks), written into the script as `run` lines.

use yew::prelude::*;

use super::inline_status;
use crate::scenario::command::Advance;
use crate::scenario::Command;
use crate::ui::format;
use crate::ui::hooks::{dispatch_on, exec_on, set_from_input, use_app};
use crate::ui::state::{Action, Origin, Speed};

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
    let now = s.shown().broker.now_ms();

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
    let playing = s.play.as_ref().map(|p| p.speed);
    let toggle = dispatch_on(
        &app,
        Action::Play(match playing {
            Some(_) => None,
            None => Some(s.play_speed),
        }),
    );
    let onspeed = {
        let app = app.clone();
        Callback::from(move |e: Event| {
            let v: i64 = crate::ui::browser::select_value(&e).parse().unwrap_or(60_000);
            app.dispatch(Action::SetSpeed(Speed(v)));
        })
    };
    let run_for = |ms: i64| {
        dispatch_on(
            &app,
            Action::RunFor {
                ms,
                origin: Origin::Clock,
            },
        )
    };
    let speed_now = playing.unwrap_or(s.play_speed);

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
            <div class="clock-run" role="group" aria-label="Run mode">
                <button type="button" class={classes!("btn", "btn-small", playing.is_some().then_some("btn-primary"))} onclick={toggle}
                    data-test-id="play" aria-pressed={playing.is_some().to_string()}
                    title="Play: the broker runs on its own (loads, cleaner threads on log.cleaner.backoff.ms, retention checks); Pause: step by step again">
                    { if playing.is_some() { "❚❚ Pause" } else { "▶ Play" } }</button>
                <label for="play-speed" class="sr-only">{ "Speed: simulated time per second" }</label>
                <select id="play-speed" class="input input-small" onchange={onspeed} data-test-id="play-speed" title="Simulated time per second">
                    { for Speed::CHOICES.iter().map(|(sp, label)| html! {
                        <option value={sp.0.to_string()} selected={*sp == speed_now}>{ *label }</option>
                    }) }
                </select>
                <button type="button" class="btn btn-small" onclick={run_for(3_600_000)} data-test-id="run-1h"
                    title="The broker works for one hour of simulated time: `run 1h`">{ "Run 1 h" }</button>
                <button type="button" class="btn btn-small" onclick={run_for(86_400_000)} data-test-id="run-1d"
                    title="The broker works for one day of simulated time: `run 1d`">{ "Run 1 day" }</button>
            </div>
            { inline_status(&s, &Origin::Clock, "clock-message") }
        </div>
    }
}
