//! The consumer: fetch a partition from any offset, as a consumer would
//! (`consume t/p from=N max=M`). A fetch from a removed offset lands on the
//! next surviving record, and the page says so (the engine's note). The
//! isolation switch writes `isolation=read_committed` into the line: the
//! fetch stops at the last stable offset and skips aborted records. Below
//! it, the whole topic as `kafka-console-consumer --from-beginning` prints it
//! ([`super::console_consumer`]).

use yew::prelude::*;

use super::{inline_status, Panel};
use crate::scenario::Command;
use crate::ui::describe::plural;
use crate::ui::format;
use crate::ui::hooks::{set_from_input, set_from_select, use_app};
use crate::ui::session::EntryKind;
use crate::ui::state::{Action, Origin};

/// Rows drawn from one fetch.
const MAX_ROWS: usize = 200;

/// The line's isolation option: none for Kafka's default, read_uncommitted.
fn isolation_option(read_committed: bool) -> &'static str {
    if read_committed {
        " isolation=read_committed"
    } else {
        ""
    }
}

#[function_component(ConsumerPanel)]
pub fn consumer_panel() -> Html {
    let app = use_app();
    let partition = use_state(|| "0".to_string());
    let from = use_state(String::new);
    let max = use_state(|| "20".to_string());
    let committed = use_state(|| false);
    let Some(app) = app else { return Html::default() };
    let s = app.state();
    let Some(topic) = s.current_topic() else {
        return html! { <Panel title="Consumer" id="consumer"><p class="hint">{ "Create a topic first." }</p></Panel> };
    };
    let n = s
        .shown()
        .broker
        .topic(&topic)
        .map(|t| t.partitions().len() as u32)
        .unwrap_or(0);

    let onsubmit = {
        let app = app.clone();
        let (topic, partition, from, max, committed) = (
            topic.clone(),
            partition.clone(),
            from.clone(),
            max.clone(),
            committed.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut line = format!("consume {topic}/{}", partition.trim());
            if !from.trim().is_empty() {
                line.push_str(&format!(" from={}", from.trim()));
            }
            if !max.trim().is_empty() {
                line.push_str(&format!(" max={}", max.trim()));
            }
            line.push_str(isolation_option(*committed));
            app.dispatch(Action::ExecLine {
                line,
                origin: Origin::Consumer,
            });
        })
    };
    let onpartition = set_from_select(&partition);

    let last = s.shown().latest(EntryKind::Consume);
    let result = last.map(|e| {
        let r = &e.result;
        let consumed = r.consumed();
        let records = consumed.map_or(&[][..], |c| c.records.as_slice());
        let rows = records.iter().take(MAX_ROWS).map(|rec| {
            let tomb = rec.value.is_none();
            html! {
                <tr class={classes!(tomb.then_some("tomb-row"))} data-test-id="consumed-record" data-offset={rec.offset.to_string()}>
                    <td class="num">{ rec.offset }</td>
                    <td class="mono">{ format::clip(rec.key.as_deref().unwrap_or("null"), 24) }</td>
                    <td class="mono">{ match &rec.value { Some(v) => format::clip(v, 48), None => "⌫ tombstone (null)".to_string() } }</td>
                    <td class="muted small">{ format::time(rec.timestamp_ms) }</td>
                </tr>
            }
        });
        let line = match &e.step.command {
            Command::Consume { .. } => e.step.text.clone(),
            _ => String::new(),
        };
        let read_committed = line.contains("isolation=read_committed");
        html! {
            <div class="consume-result">
                <p class="small muted">{ format!("Step #{}: ", e.seq) }<code>{ line }</code>{ format!(" → {} record{}", records.len(), plural(records.len())) }</p>
                if let Some(note) = consumed.and_then(|c| c.note.as_ref()) {
                    <p class="msg msg-info" data-test-id="consume-note"><span class="msg-prefix">{ "ℹ " }</span>{ note.clone() }</p>
                }
                if records.is_empty() && read_committed {
                    <p class="hint" data-test-id="consume-empty">{ "Nothing to read: read_committed stops at the last stable offset, and skips aborted records." }</p>
                } else if records.is_empty() {
                    <p class="hint" data-test-id="consume-empty">{ "Nothing to read: the fetch started at the log end offset." }</p>
                } else {
                    <div class="table-wrap">
                        <table class="data" data-test-id="consumed">
                            <thead><tr><th scope="col">{ "offset" }</th><th scope="col">{ "key" }</th><th scope="col">{ "value" }</th><th scope="col">{ "timestamp" }</th></tr></thead>
                            <tbody>{ for rows }</tbody>
                        </table>
                    </div>
                    if records.len() > MAX_ROWS {
                        <p class="hint">{ format!("Showing the first {MAX_ROWS} of {}.", records.len()) }</p>
                    }
                }
            </div>
        }
    });

    html! {
        <Panel title="Consumer" id="consumer" subtitle={AttrValue::from(format!("reads {topic}"))}>
            <form class="inline-form" {onsubmit} data-test-id="consume-form">
                <div class="field">
                    <label for="consume-partition">{ "Partition" }</label>
                    <select id="consume-partition" class="input input-small" onchange={onpartition} data-test-id="consume-partition">
                        { for (0..n).map(|p| html! { <option value={p.to_string()} selected={*partition == p.to_string()}>{ format!("{topic}-{p}") }</option> }) }
                    </select>
                </div>
                <div class="field">
                    <label for="consume-from">{ "From offset" }</label>
                    <input id="consume-from" class="input input-small" inputmode="numeric" size="7" placeholder="log start" value={(*from).clone()} oninput={set_from_input(&from)} data-test-id="consume-from" />
                </div>
                <div class="field">
                    <label for="consume-max">{ "Max records" }</label>
                    <input id="consume-max" class="input input-small" inputmode="numeric" size="5" value={(*max).clone()} oninput={set_from_input(&max)} data-test-id="consume-max" />
                </div>
                <fieldset class="field isolation">
                    <legend>{ "isolation.level" }</legend>
                    <label class="check"><input type="radio" name="consume-isolation" checked={!*committed} data-test-id="isolation-uncommitted"
                        onchange={let c = committed.clone(); Callback::from(move |_: Event| c.set(false))} />{ "read_uncommitted" }</label>
                    <label class="check"><input type="radio" name="consume-isolation" checked={*committed} data-test-id="isolation-committed"
                        onchange={let c = committed.clone(); Callback::from(move |_: Event| c.set(true))} />{ "read_committed" }</label>
                </fieldset>
                <button type="submit" class="btn btn-primary btn-small" data-test-id="consume">{ "Fetch" }</button>
            </form>
            { inline_status(&s, &Origin::Consumer, "consume-message") }
            { result.unwrap_or_default() }
            <super::console_consumer::ConsoleConsumer topic={AttrValue::from(topic.clone())} />
        </Panel>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_writes_isolation_into_the_line() {
        for (committed, level) in [(true, Some("read_committed")), (false, None)] {
            let line = format!("consume t/0 max=5{}", isolation_option(committed));
            let steps = crate::scenario::parse(&format!("topic t\n{line}")).unwrap_or_default();
            let Some(Command::Consume(c)) = steps.get(1).map(|s| &s.command) else {
                panic!("{line}")
            };
            assert_eq!(c.isolation.map(|i| i.name()), level);
        }
    }
}
