//! The record inspector: one record in full ([`crate::ui::inspect`]) under
//! its partition's strip, opened by clicking or pressing Enter on a record:
//! key and value whole (JSON pretty-printed), headers, timestamp, batch and
//! segment, its producer's id, epoch, sequence and transaction outcome,
//! delete horizon, and the cleanings that read it and kept it.
//! Escape or Close shuts it and gives focus back to the record.

use yew::prelude::*;

use super::Shared;
use crate::ui::describe::plural;
use crate::ui::format;
use crate::ui::inspect::{inspect, Shown};
use crate::ui::log_window::TxnOutcome;

#[derive(Properties, PartialEq)]
pub struct RecordInspectorProps {
    pub topic: AttrValue,
    pub partition: u32,
    pub offset: i64,
    pub store: Shared,
    pub on_close: Callback<()>,
}

fn shown_html(s: &Shown, test_id: &'static str) -> Html {
    html! {
        <>
            <pre class={classes!("insp-value", s.json.then_some("insp-json"))} tabindex="0" data-test-id={test_id}>{ s.text.clone() }</pre>
            <span class="muted small">{ format!("{} byte{}{}{}", s.len, plural(s.len), if s.json { " · JSON" } else { "" },
                if s.cut { " · shown in part" } else { "" }) }</span>
        </>
    }
}

#[function_component(RecordInspector)]
pub fn record_inspector(p: &RecordInspectorProps) -> Html {
    let heading = use_node_ref();
    // Focus moves to the inspector when it opens (a keyboard user lands on it).
    {
        let heading = heading.clone();
        use_effect_with(p.offset, move |_| {
            if let Some(h) = heading.cast::<web_sys::HtmlElement>() {
                let _ = h.focus();
            }
        });
    }
    let s = p.store.0.state();
    let now = s.shown().broker.now_ms();
    let id = format!("{}-{}", p.topic, p.partition);
    let onkeydown = {
        let close = p.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                close.emit(());
            }
        })
    };
    let found = s
        .session
        .broker
        .partition(&p.topic, p.partition)
        .ok()
        .and_then(|log| inspect(log, p.offset, &s.shown().entries));
    let body = match found {
        None => html! {
            <p class="hint" data-test-id="inspector-gone">{ format!("No record at offset {} any more: a cleaning or retention removed it (its offset stays unused).", p.offset) }</p>
        },
        Some(r) => {
            let fate = if r.kept_by.is_empty() {
                html! { <p data-test-id="inspector-fate">{ if r.in_active_segment {
                    "No cleaning has read it: it is in the active segment, which is never cleaned."
                } else {
                    "No cleaning has read it yet."
                } }</p> }
            } else {
                let items = r.kept_by.iter().map(|k| html! {
                    <li>{ format!("Step #{} at {}: the cleaning of the log below offset {} (its dirty range {}) kept it.",
                        k.seq, format::time(k.time_ms), k.end_offset, format::offsets(k.first_dirty_offset, k.end_offset)) }</li>
                });
                html! { <ul data-test-id="inspector-fate">{ for items }</ul> }
            };
            let headers = if r.headers.is_empty() {
                html! { <span class="muted">{ "none" }</span> }
            } else {
                let rows = r.headers.iter().map(|(k, v)| html! {
                    <tr><td class="mono">{ k.clone() }</td><td class="mono">{ v.clone().unwrap_or_else(|| "null".to_string()) }</td></tr>
                });
                html! { <table class="data"><thead><tr><th scope="col">{ "header" }</th><th scope="col">{ "value" }</th></tr></thead><tbody>{ for rows }</tbody></table> }
            };
            let (base, last, count, size) = r.batch;
            // A tombstone: what must still happen for it to go (the engine's
            // outlook of its partition).
            let still = r.value.is_none().then(|| {
                s.shown().broker.outlook(&p.topic, p.partition).ok().and_then(|o| {
                    o.tombstones
                        .iter()
                        .find(|t| t.offset == r.offset)
                        .map(|t| crate::ui::describe::tombstone_wait(&t.waits_for, o.now_ms))
                })
            });
            let still = still.flatten();
            html! {
                <dl class="insp-grid">
                    <dt>{ "Key" }</dt>
                    <dd>{ match &r.key { Some(k) => shown_html(k, "inspector-key"), None => html! { <code>{ "null" }</code> } } }</dd>
                    <dt>{ "Value" }</dt>
                    <dd>{ match &r.value {
                        Some(v) => shown_html(v, "inspector-value"),
                        None => html! { <span class="rec-tomb" data-test-id="inspector-value">{ "null: a tombstone, the delete marker of compaction" }</span> },
                    } }</dd>
                    <dt>{ "Headers" }</dt><dd>{ headers }</dd>
                    <dt>{ "Timestamp" }</dt>
                    <dd>{ format!("{} ({} ms, {})", format::time(r.timestamp_ms), r.timestamp_ms, if r.log_append_time { "LogAppendTime" } else { "CreateTime" }) }</dd>
                    <dt>{ "Batch" }</dt>
                    <dd data-test-id="inspector-batch">{ format!("offsets {base}–{last}, {count} record{}, {size} bytes, producer id {}", plural(count), r.producer_id) }</dd>
                    if let Some(pf) = r.producer {
                        <dt>{ "Producer" }</dt>
                        <dd data-test-id="inspector-producer">{ format!("{}{}", pf.describe(), match pf.txn {
                            Some(TxnOutcome::Aborted) => ": an ABORT marker ended its transaction; read_committed consumers skip it and the cleaner removes it",
                            Some(TxnOutcome::Open) => ": its transaction is still open; read_committed consumers stop before it and the cleaner does not pass it",
                            Some(TxnOutcome::Committed) => ": a COMMIT marker ended its transaction",
                            None => ": idempotent, not transactional",
                        }) }</dd>
                    }
                    <dt>{ "Segment" }</dt>
                    <dd>{ format!("base offset {}{}", r.segment_base, if r.in_active_segment { " (the active segment)" } else { "" }) }</dd>
                    if let Some(h) = r.delete_horizon_ms {
                        <dt>{ "Delete horizon" }</dt>
                        <dd>{ format!("{}{}", format::time(h), if h <= now {
                            ": passed; the next cleaning of this range removes a tombstone here"
                        } else { "" }) }</dd>
                    }
                    <dt>{ "Fate" }</dt><dd>{ fate }</dd>
                    if let Some(what) = &still {
                        <dt>{ "To go" }</dt>
                        <dd data-test-id="inspector-to-go">{ format!("As a tombstone, it {what}. ") }
                            <a href="#cleaner">{ "When is this partition cleaned? See the log cleaner's When?" }</a></dd>
                    }
                </dl>
            }
        }
    };
    html! {
        <section class="inspector" aria-labelledby={format!("insp-{id}")} data-test-id="inspector" {onkeydown}>
            <div class="insp-head">
                <h4 id={format!("insp-{id}")} ref={heading} tabindex="-1">{ format!("Record at offset {} of {id}", p.offset) }</h4>
                <button type="button" class="btn btn-small" onclick={p.on_close.reform(|_: MouseEvent| ())} data-test-id="inspector-close" aria-keyshortcuts="Escape">{ "Close" }</button>
            </div>
            { body }
        </section>
    }
}
