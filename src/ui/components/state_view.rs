//! The state view: key → latest value, as a consumer reading the shown
//! topic from the start would build it (`crate::snapshot::materialize`).
//! Compaction must not change it; the cleaner panel checks that too.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use super::Panel;
use crate::snapshot::materialize;
use crate::ui::describe::plural;
use crate::ui::format;
use crate::ui::hooks::{set_from_input, use_app};

/// Rows drawn at most.
const MAX_ROWS: usize = 200;

#[function_component(StateView)]
pub fn state_view() -> Html {
    let app = use_app();
    let filter = use_state(String::new);
    // Hooks run unconditionally: the memo is keyed on the store version and
    // the shown topic, and is empty without either; it is recomputed only
    // when a log may have changed (the session's log stamp).
    let stamp = app.as_ref().map(|a| a.state().session.log_stamp);
    let topic = app.as_ref().and_then(|a| a.state().current_topic());
    let state: Rc<Vec<(String, u32, String)>> = use_memo((stamp, topic.clone()), |(_, topic)| {
        let mut rows = Vec::new();
        let (Some(app), Some(topic)) = (app.as_ref(), topic) else {
            return rows;
        };
        let s = app.state();
        if let Ok(t) = s.session.broker.topic(topic) {
            for log in t.partitions() {
                let m: BTreeMap<String, String> = materialize(log);
                rows.extend(m.into_iter().map(|(k, v)| (k, log.partition(), v)));
            }
        }
        rows.sort();
        rows
    });
    let Some(topic) = topic else { return Html::default() };
    let f = filter.to_lowercase();
    let matching: Vec<&(String, u32, String)> = state
        .iter()
        .filter(|(k, _, v)| f.is_empty() || k.to_lowercase().contains(&f) || v.to_lowercase().contains(&f))
        .collect();
    let rows = matching.iter().take(MAX_ROWS).map(|(k, p, v)| {
        html! {
            <tr data-test-id="state-row" data-key={k.clone()}>
                <td class="mono">{ format::clip(k, 28) }</td>
                <td class="num">{ *p }</td>
                <td class="mono" data-test-id="state-value">{ format::clip(v, 60) }</td>
            </tr>
        }
    });
    let oninput = set_from_input(&filter);
    html! {
        <Panel title="State" id="state" subtitle={AttrValue::from(format!("{} key{} in {topic}", format::count(state.len() as u64), plural(state.len())))}>
            <p class="hint">{ "Key → latest value, as a consumer reading from the start builds it; a tombstone removes its key. Cleaning never changes this." }</p>
            <div class="inline-form">
                <label for="state-filter">{ "Filter" }</label>
                <input id="state-filter" class="input" type="search" value={(*filter).clone()} {oninput} placeholder="key or value" data-test-id="state-filter" />
            </div>
            if state.is_empty() {
                <p class="hint" data-test-id="state-empty">{ "No keys yet." }</p>
            } else {
                <div class="table-wrap">
                    <table class="data" data-test-id="state-view">
                        <thead><tr><th scope="col">{ "key" }</th><th scope="col">{ "partition" }</th><th scope="col">{ "latest value" }</th></tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
                if matching.len() > MAX_ROWS {
                    <p class="hint">{ format!("Showing {MAX_ROWS} of {} matching keys; filter to narrow.", format::count(matching.len() as u64)) }</p>
                }
            }
        </Panel>
    }
}
