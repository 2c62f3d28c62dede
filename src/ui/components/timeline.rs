//! The event timeline: every line of the session with the simulated time it
//! ran at and what it did (produces, rolls, cleaner runs, ...), newest
//! first. Shapes and words, not colour alone, tell the kinds apart.
//!
//! It is also the way back: each line's number is a button that shows the
//! broker as it was after that line (the latest one: now), and the
//! scrubber above moves through them all (see [`super::history`]). While
//! looking back, the line shown is marked as the current step and the later
//! ones are dimmed (they are kept).

use yew::prelude::*;

use super::history::{look_back_on, Scrubber};
use super::Panel;
use crate::ui::describe::{describe_result, plural};
use crate::ui::format;
use crate::ui::hooks::{set_from_select, use_app};
use crate::ui::session::{Entry, EntryKind};

/// Entries drawn at most.
const MAX_ROWS: usize = 200;

fn icon(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Topic => "⊕",
        EntryKind::Config => "⚙",
        EntryKind::Produce => "●",
        EntryKind::Tombstone => "⌫",
        EntryKind::Generate => "≋",
        EntryKind::Clock => "◷",
        EntryKind::Roll => "↻",
        EntryKind::Clean => "✦",
        EntryKind::Retention => "✂",
        EntryKind::Consume => "⇣",
    }
}

/// Which entries a filter keeps.
fn keep(filter: &str, e: &Entry) -> bool {
    match filter {
        "produce" => matches!(e.kind, EntryKind::Produce | EntryKind::Tombstone | EntryKind::Generate),
        "roll" => e.kind == EntryKind::Roll || e.result.produced().is_some_and(|p| p.rolled.is_some()),
        "clean" => matches!(e.kind, EntryKind::Clean | EntryKind::Retention),
        "errors" => !e.result.ok,
        _ => true,
    }
}

#[function_component(Timeline)]
pub fn timeline() -> Html {
    let app = use_app();
    let filter = use_state(|| "all".to_string());
    let Some(app) = app else { return Html::default() };
    let s = app.state();
    let onfilter = set_from_select(&filter);
    let matching: Vec<&Entry> = s.session.entries.iter().rev().filter(|e| keep(&filter, e)).collect();
    let n = s.session.entries.len();
    let at = s.past.as_ref().map_or(n, |p| p.at);
    let rows = matching.iter().take(MAX_ROWS).map(|e| {
        let (current, later) = (e.seq == at, e.seq > at);
        let look = if e.seq == n {
            ("Show the broker now", None)
        } else {
            ("Show the broker as it was after this line", Some(e.seq))
        };
        let outcome = if e.result.ok {
            describe_result(e)
        } else {
            format!("✕ {}", e.result.error.as_deref().unwrap_or("rejected"))
        };
        html! {
            <li class={classes!("tl-row", format!("tl-{}", e.kind.label()), (!e.result.ok).then_some("tl-error"), current.then_some("tl-current"), later.then_some("tl-later"))}
                data-test-id="timeline-entry" data-kind={e.kind.label()} aria-current={current.then_some("step")}>
                <button type="button" class="tl-seq" onclick={look_back_on::<MouseEvent>(&app, look.1)} title={look.0}
                    aria-label={format!("#{}: {}", e.seq, look.0.to_lowercase())} data-test-id="timeline-look">{ format!("#{}", e.seq) }</button>
                <time class="tl-time" datetime={crate::clock::format_utc(e.now_ms)} title={format::time(e.now_ms)}>{ format::offset_from_start(e.now_ms) }</time>
                <span class="tl-kind"><span aria-hidden="true">{ icon(e.kind) }</span>{ format!(" {}", e.kind.label()) }</span>
                <code class="tl-line" title={e.step.text.clone()}>{ format::clip(&e.step.text, 90) }</code>
                <span class="tl-result">{ outcome }</span>
                if let Some(r) = e.result.produced().and_then(|p| p.rolled.as_ref()) {
                    <span class="badge badge-roll">{ format!("↻ rolled: {r}") }</span>
                }
            </li>
        }
    });
    let actions = html! {
        <>
            <label for="timeline-filter" class="small">{ "Show" }</label>
            <select id="timeline-filter" class="input input-small" onchange={onfilter} data-test-id="timeline-filter">
                { for [("all", "everything"), ("produce", "produces"), ("roll", "rolls"), ("clean", "cleaner runs"), ("errors", "rejected lines")].iter()
                    .map(|(v, l)| html! { <option value={*v} selected={*filter == *v}>{ *l }</option> }) }
            </select>
        </>
    };
    html! {
        <Panel title="Timeline" id="timeline" subtitle={AttrValue::from(format!("{} event{}, newest first", s.session.entries.len(), plural(s.session.entries.len())))} {actions}>
            <Scrubber />
            if matching.is_empty() {
                <p class="hint">{ "Nothing yet." }</p>
            } else {
                <ol class="timeline" data-test-id="timeline" reversed=true tabindex="0" aria-label="Timeline of the session, newest first">{ for rows }</ol>
            }
            if matching.len() > MAX_ROWS {
                <p class="hint">{ format!("Showing the newest {MAX_ROWS} of {}; the script holds them all.", matching.len()) }</p>
            }
        </Panel>
    }
}
