//! Looking back through the session: the scrubber (a labelled range over
//! the session's lines, keyboard-driven as any range input), and, while
//! the page shows the past, the banner that says so: which line, what it
//! did and changed, Earlier / Later, and Back to now.
//!
//! Every move is a browser history entry ([`browser::push_look_back`]), so
//! Back and Forward step through what the person looked at; the address
//! (a share link's fragment) stays as it is. A `run` line's cleanings are
//! listed as buttons: each shows the broker right after it (inside the
//! line, [`crate::ui::session::Session::at_within`]); those are views of the
//! line's own position, not history entries of their own.

use yew::prelude::*;

use crate::ui::browser;
use crate::ui::describe::{describe_result, plural};
use crate::ui::format;
use crate::ui::hooks::{use_app, AppHandle};
use crate::ui::state::Action;

/// Cleanings of a `run` line listed at most.
const MAX_CLEANINGS: usize = 6;

/// Looks back at line `at` (or now); with `push`, as a new browser history
/// entry, unless the current entry already is that position.
pub fn look_back(app: &AppHandle, at: Option<usize>, push: bool) {
    let len = app.state().session.entries.len();
    let at = at.filter(|&k| k < len);
    if push && browser::look_back_state().flatten() != at {
        browser::push_look_back(at);
    }
    app.dispatch(Action::LookBack(at));
}

/// A callback that looks back at `at`, as a new history entry.
pub fn look_back_on<E: 'static>(app: &AppHandle, at: Option<usize>) -> Callback<E> {
    let app = app.clone();
    Callback::from(move |_| look_back(&app, at, true))
}

/// The scrubber: one position per line, the last one being now.
#[function_component(Scrubber)]
pub fn scrubber() -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let s = app.state();
    let n = s.session.entries.len();
    if n < 2 {
        return Html::default();
    }
    let at = s.past.as_ref().map_or(n, |p| p.at);
    let text = |k: usize| match s.session.entries.get(k.wrapping_sub(1)) {
        Some(e) if k == n => format!("#{k} of {n}, now: {}", format::clip(&e.step.text, 60)),
        Some(e) => format!("#{k} of {n}: {}", format::clip(&e.step.text, 60)),
        None => format!("#{k} of {n}"),
    };
    // Dragging shows each position; the position let go of (or each key
    // press) is the history entry, so Back does not replay the drag.
    let oninput = {
        let app = app.clone();
        Callback::from(move |e: InputEvent| {
            if let Ok(k) = browser::input_value(&e).parse::<usize>() {
                look_back(&app, Some(k), false);
            }
        })
    };
    let onchange = {
        let app = app.clone();
        Callback::from(move |e: Event| {
            if let Ok(k) = browser::changed_input_value(&e).parse::<usize>() {
                look_back(&app, Some(k), true);
            }
        })
    };
    html! {
        <div class="scrubber">
            <label for="history-scrubber" class="small">{ "Look back" }</label>
            <input type="range" id="history-scrubber" class="scrubber-range" min="1" max={n.to_string()} step="1"
                value={at.to_string()} aria-valuetext={text(at)} {oninput} {onchange} data-test-id="history-scrubber"
                title="The broker after each line: drag, or use the arrow keys, Home and End; the right end is now" />
            <output for="history-scrubber" class="small scrubber-at">{ if at == n { "now".to_string() } else { format!("#{at} of {n}") } }</output>
        </div>
    }
}

/// The banner shown while looking back.
#[function_component(HistoryBar)]
pub fn history_bar() -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let s = app.state();
    let Some(past) = s.past.as_ref() else {
        return Html::default();
    };
    let (k, n) = (past.at, s.session.entries.len());
    let entry = k.checked_sub(1).and_then(|i| s.session.entries.get(i));
    let changes = s.session.changes(k);
    let changed = changes.iter().map(|c| {
        html! {
            <li>
                <strong>{ c.topic.to_string() }</strong>
                { format!(": {} → {} record{}, {} → {}",
                    format::count(c.before.records), format::count(c.after.records), plural(as_usize(c.after.records)),
                    format::bytes(c.before.size_bytes), format::bytes(c.after.size_bytes)) }
            </li>
        }
    });
    let within = past.within;
    let cleanings = entry.and_then(|e| e.result.ran()).map(|r| {
        let more = r.cleanings.len().saturating_sub(MAX_CLEANINGS);
        html! {
            <>
                <ul class="history-cleanings" aria-label="Cleanings during this run: each shows the broker right after it">
                    { for r.cleanings.iter().take(MAX_CLEANINGS).map(|c| {
                        let onclick = {
                            let (app, time_ms) = (app.clone(), c.time_ms);
                            Callback::from(move |_: MouseEvent| app.dispatch(Action::LookWithin { line: k, time_ms }))
                        };
                        let shown = within == Some(c.time_ms);
                        html! {
                            <li>
                                <button type="button" class="btn-link history-cleaning" {onclick} aria-pressed={shown.to_string()}
                                    data-test-id="history-cleaning" title="Show the broker right after this cleaning">
                                    { format!("{} cleaned {}: {} → {} records",
                                        format::offset_from_start(c.time_ms), c.topic_partition,
                                        format::count(c.messages_read), format::count(c.messages_written)) }
                                </button>
                            </li>
                        }
                    }) }
                </ul>
                if more > 0 { <p class="hint">{ format!("and {more} more cleaning{} (the time charts mark them all)", plural(more)) }</p> }
            </>
        }
    });
    let earlier = look_back_on::<MouseEvent>(&app, Some(k.saturating_sub(1).max(1)));
    let later = look_back_on::<MouseEvent>(&app, Some(k + 1));
    let now = look_back_on::<MouseEvent>(&app, None);
    html! {
        <section class="history-bar" aria-label="Looking back" data-test-id="history-bar">
            <div class="history-text">
                <p class="history-head" data-test-id="history-head">
                    <strong>{ "Viewing the past" }</strong>
                    { format!(" · #{k} of {n}") }
                    if let Some(e) = entry {
                        { " · " }<time class="tl-time" datetime={crate::clock::format_utc(e.now_ms)}>{ format::offset_from_start(e.now_ms) }</time>
                        { " · " }<code>{ format::clip(&e.step.text, 80) }</code>
                    }
                </p>
                if let Some(t) = within {
                    <p class="history-within" data-test-id="history-within">
                        { format!("Inside this line, at {}: the broker as the run left it then (everything due at that instant done). ", format::time(t)) }
                        <button type="button" class="btn-link" onclick={look_back_on::<MouseEvent>(&app, Some(k))} data-test-id="history-whole-line">{ "Show the whole line" }</button>
                    </p>
                    if let Some(e) = past.session.entries.last() {
                        <p class="history-did" data-test-id="history-did">{ format!("Up to then: {}", describe_result(e)) }</p>
                    }
                } else if let Some(e) = entry {
                    <p class="history-did" data-test-id="history-did">{ describe_result(e) }</p>
                }
                if !changes.is_empty() {
                    <ul class="history-changes" aria-label="What it changed" data-test-id="history-changes">{ for changed }</ul>
                }
                { cleanings.unwrap_or_default() }
                <p class="hint">{ format!("The page shows the broker as it was after this line; the {} later line{} are kept. Changes wait until you are back to now.", n - k, plural(n - k)) }</p>
            </div>
            <div class="history-actions">
                <button type="button" class="btn btn-small" onclick={earlier} disabled={k <= 1} data-test-id="history-earlier">{ "◀ Earlier" }</button>
                <button type="button" class="btn btn-small" onclick={later} data-test-id="history-later">{ "Later ▶" }</button>
                <button type="button" class="btn btn-small btn-primary" onclick={now} data-test-id="back-to-now">{ "Back to now" }</button>
            </div>
        </section>
    }
}

fn as_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}
