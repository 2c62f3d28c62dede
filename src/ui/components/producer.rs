//! The producer: key and value (JSON welcome), tombstones, an explicit
//! partition or timestamp, where the key goes and why (murmur2 step by step,
//! and where librdkafka and Sarama would send it), which producer client
//! sends (none: a plain, non-idempotent producer; the clients and their
//! transactions are [`super::producer_clients`]), and the bulk `generate`.
//!
//! The bulk form checks its fields before it sends the line, one message for
//! the first field that is wrong, in the engine's terms: a count from 0 to
//! what is left of the session's budget of records (the broker's
//! [`crate::Budget`], the page's), a value of at most
//! [`crate::scenario::MAX_VALUE_BYTES`]. What the form cannot know (the
//! bytes the records would take) the broker refuses with its own message.

use std::num::NonZeroU64;

use yew::prelude::*;

use super::{inline_status, Panel};
use crate::partitioner::{explain, PartitionExplanation};
use crate::scenario::command::{Generate, Produce};
use crate::scenario::{Command, MAX_VALUE_BYTES};
use crate::ui::browser::{checked, input_value, select_value, textarea_value};
use crate::ui::describe::plural;
use crate::ui::format;
use crate::ui::hooks::{set_from_input, set_from_select, use_app, AppHandle};
use crate::ui::state::{Action, Origin, StatusKind};

/// What the form holds.
#[derive(Clone, PartialEq)]
struct Draft {
    key: String,
    null_key: bool,
    value: String,
    partition: String,
    timestamp: String,
    /// The producer client that sends (`producer=`); empty: none.
    producer: String,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            key: "user1".into(),
            null_key: false,
            value: r#"{"name":"Ann","city":"Oslo"}"#.into(),
            partition: String::new(),
            timestamp: String::new(),
            producer: String::new(),
        }
    }
}

/// Removes the whitespace outside strings of a JSON text, so a pretty
/// printed value fits on one scenario line without changing its meaning.
fn minify_json(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in s.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

/// What the value is, for the hint under the field.
fn json_hint(value: &str) -> Option<Result<(), String>> {
    let t = value.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return None;
    }
    Some(
        serde_json::from_str::<serde_json::Value>(value)
            .map(|_| ())
            .map_err(|e| e.to_string()),
    )
}

/// The value as it will be sent: one line, JSON minified if it had line
/// breaks.
fn one_line_value(value: &str) -> Result<String, String> {
    if !value.contains(['\n', '\r']) {
        return Ok(value.to_string());
    }
    match json_hint(value) {
        Some(Ok(())) => Ok(minify_json(value)),
        _ => Err(
            "A value must fit on one line of the scenario script; only JSON values are joined onto one line for you."
                .into(),
        ),
    }
}

/// A callback that reads a field of the form from an event into the draft.
fn edit<E: 'static, V: 'static>(
    draft: &UseStateHandle<Draft>,
    read: fn(&E) -> V,
    write: fn(&mut Draft, V),
) -> Callback<E> {
    let draft = draft.clone();
    Callback::from(move |e: E| {
        let mut d = (*draft).clone();
        write(&mut d, read(&e));
        draft.set(d);
    })
}

fn notice(app: &AppHandle, origin: Origin, text: String) {
    app.dispatch(Action::Notice {
        origin,
        kind: StatusKind::Error,
        text,
    });
}

/// Builds the produce (or tombstone) command from the form.
fn command(topic: &str, d: &Draft, tombstone: bool) -> Result<Command, String> {
    let partition = match d.partition.as_str() {
        "" => None,
        p => Some(
            p.parse::<u32>()
                .map_err(|_| format!("partition must be a number, got '{p}'"))?,
        ),
    };
    let timestamp_ms = match d.timestamp.trim() {
        "" => None,
        t => Some(
            t.parse::<i64>()
                .map_err(|_| format!("timestamp must be epoch milliseconds (an integer), got '{t}'"))?,
        ),
    };
    let key = if d.null_key { None } else { Some(d.key.clone()) };
    if key.as_deref() == Some("NULL") {
        return Err("The key NULL stands for a null key in the scenario language; tick \"null key\" instead.".into());
    }
    let value = if tombstone {
        None
    } else {
        Some(one_line_value(&d.value)?)
    };
    if value.as_deref() == Some("NULL") {
        return Err(
            "The value NULL stands for a tombstone in the scenario language; use \"Send tombstone\" instead.".into(),
        );
    }
    Ok(Command::Produce(Produce {
        topic: topic.to_string(),
        partition,
        timestamp_ms,
        key,
        value,
        producer: (!d.producer.is_empty()).then(|| d.producer.clone()),
    }))
}

/// The bulk form's fields as typed.
struct Bulk<'a> {
    count: &'a str,
    keys: &'a str,
    seed: &'a str,
    tombstones: &'a str,
    value_bytes: &'a str,
}

/// Records the session may still append: its budget less what it used.
fn records_left(broker: &crate::log_manager::LogManager) -> u64 {
    broker.budget().records.saturating_sub(broker.usage().records)
}

/// Builds the `generate` command from the bulk form, with at most `left`
/// records (see [`records_left`]).
fn generate_command(topic: &str, b: &Bulk, left: u64) -> Result<Command, String> {
    let (count, keys, seed, tombstones, value_bytes) = (
        b.count.trim(),
        b.keys.trim(),
        b.seed.trim(),
        b.tombstones.trim(),
        b.value_bytes.trim(),
    );
    let count = count
        .parse::<u64>()
        .ok()
        .filter(|n| *n <= left)
        .ok_or_else(|| format!("Records must be a whole number from 0 to {left}, got '{count}'."))?;
    let keys = keys
        .parse::<u64>()
        .ok()
        .and_then(NonZeroU64::new)
        .ok_or_else(|| format!("Distinct keys must be a whole number of at least 1, got '{keys}'."))?;
    let seed = seed
        .parse::<u64>()
        .map_err(|_| format!("Seed must be a whole number of at least 0, got '{seed}'."))?;
    let tombstones = match tombstones {
        "" => 0.0,
        t => t
            .parse::<f64>()
            .ok()
            .filter(|f| (0.0..=1.0).contains(f))
            .ok_or_else(|| format!("Tombstone fraction must be a number from 0 to 1, got '{t}'."))?,
    };
    let value_bytes = match value_bytes {
        "" => None,
        v => Some(v.parse::<u64>().ok().filter(|n| *n <= MAX_VALUE_BYTES).ok_or_else(|| {
            format!(
                "Value bytes must be a whole number from 0 to {MAX_VALUE_BYTES}, or blank for short values, got '{v}'."
            )
        })?),
    };
    Ok(Command::Generate(Generate {
        topic: topic.to_string(),
        count,
        keys,
        seed,
        tombstones,
        value_bytes,
    }))
}

#[derive(Properties, PartialEq)]
pub struct ProducerProps {
    /// Whether the bulk generator starts unfolded (folded in embeds).
    #[prop_or(true)]
    pub bulk_open: bool,
    /// An embed's compact form: key, value, partition and the two buttons;
    /// where the key goes folded; no timestamp, bulk or load.
    #[prop_or_default]
    pub compact: bool,
}

#[function_component(ProducerPanel)]
pub fn producer_panel(p: &ProducerProps) -> Html {
    let app = use_app();
    let draft = use_state(Draft::default);
    let count = use_state(|| "10000".to_string());
    let keys = use_state(|| "100".to_string());
    let seed = use_state(|| "42".to_string());
    let tombstones = use_state(|| "0".to_string());
    let value_bytes = use_state(String::new);
    let Some(app) = app else { return Html::default() };
    let s = app.state();
    let Some(topic) = s.current_topic() else {
        return html! {
            <Panel title="Produce" id="produce"><p class="hint">{ "Create a topic first." }</p></Panel>
        };
    };
    let Ok(t) = s.shown().broker.topic(&topic) else {
        return Html::default();
    };
    let n = t.partitions().len() as u32;
    let compacted = t.config().cleanup_policy.compact;

    let send = |tombstone: bool| {
        let (app, draft, topic) = (app.clone(), draft.clone(), topic.clone());
        move || match command(&topic, &draft, tombstone) {
            Ok(c) => app.dispatch(Action::Exec {
                command: c,
                origin: Origin::Produce,
            }),
            Err(e) => notice(&app, Origin::Produce, e),
        }
    };
    let onsubmit = {
        let go = send(false);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            go();
        })
    };
    // Ctrl+Enter in the value sends (Enter alone starts a new line).
    let onvalue_key = {
        let go = send(false);
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                go();
            }
        })
    };
    let ontombstone = {
        let go = send(true);
        Callback::from(move |_: MouseEvent| go())
    };
    let onvalue = edit(&draft, textarea_value, |d, v| d.value = v);
    let onnull = edit(&draft, checked, |d, v| d.null_key = v);
    let onpartition = edit(&draft, select_value, |d, v| d.partition = v);
    let onsender = edit(&draft, select_value, |d, v| d.producer = v);
    let on_created = {
        let draft = draft.clone();
        Callback::from(move |name: String| {
            let mut d = (*draft).clone();
            d.producer = name;
            draft.set(d);
        })
    };
    // A client that no longer exists (undo) is no choice: plain producer.
    let clients: Vec<_> = s.session.broker.producers().collect();
    if !draft.producer.is_empty() && !clients.iter().any(|c| c.name == draft.producer) {
        let mut d = (*draft).clone();
        d.producer.clear();
        draft.set(d);
    }

    let left = records_left(&s.shown().broker);
    let ongenerate = {
        let app = app.clone();
        let topic = topic.clone();
        let (count, keys, seed, tombstones, value_bytes) = (
            count.clone(),
            keys.clone(),
            seed.clone(),
            tombstones.clone(),
            value_bytes.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let bulk = Bulk {
                count: &count,
                keys: &keys,
                seed: &seed,
                tombstones: &tombstones,
                value_bytes: &value_bytes,
            };
            match generate_command(&topic, &bulk, left) {
                Ok(command) => app.dispatch(Action::Exec {
                    command,
                    origin: Origin::Generate,
                }),
                Err(e) => notice(&app, Origin::Generate, e),
            }
        })
    };
    let budget = s.shown().broker.budget().records;
    let count_hint = format!(
        "0 to {}: the page appends at most {} records a session ({} so far).",
        format::count(left),
        format::count(budget),
        format::count(budget.saturating_sub(left))
    );
    let set = set_from_input;

    let explanation = explain_view(&draft, n, compacted);
    let hint = match json_hint(&draft.value) {
        None => html! { <span>{ "Any text; Kafka stores bytes. Ctrl+Enter sends." }</span> },
        Some(Ok(())) => {
            html! { <span class="ok-text">{ "✓ valid JSON" }{ if draft.value.contains('\n') { " (sent on one line)" } else { "" } }</span> }
        }
        Some(Err(e)) => {
            html! { <span class="warn-text">{ format!("⚠ not valid JSON ({e}); it would still be sent as is") }</span> }
        }
    };
    let ts_hint = match draft.timestamp.trim().parse::<i64>() {
        Ok(ms) => format!("= {}", format::time(ms)),
        Err(_) if draft.timestamp.trim().is_empty() => format!("blank = now ({})", s.shown().broker.now_ms()),
        Err(_) => "epoch milliseconds".to_string(),
    };

    html! {
        <Panel title="Produce" id="produce" subtitle={AttrValue::from(format!("to {topic}"))}>
            <form class="form-grid producer" {onsubmit} data-test-id="produce-form">
                <label for="produce-key">{ "Key" }</label>
                <div class="key-row">
                    <input id="produce-key" class="input mono" value={draft.key.clone()} oninput={edit(&draft, input_value, |d, v| d.key = v)}
                        disabled={draft.null_key} data-test-id="produce-key" autocomplete="off" spellcheck="false" />
                    <label class="check"><input type="checkbox" checked={draft.null_key} onchange={onnull} data-test-id="produce-null-key" />{ "null key" }</label>
                </div>
                <label for="produce-value">{ "Value" }</label>
                <div>
                    <textarea id="produce-value" class="input mono" rows="2" value={draft.value.clone()} oninput={onvalue} onkeydown={onvalue_key}
                        data-test-id="produce-value" spellcheck="false" aria-describedby="produce-value-hint" />
                    <p id="produce-value-hint" class="hint">{ hint }</p>
                </div>
                <label for="produce-partition">{ "Partition" }</label>
                <select id="produce-partition" class="input" onchange={onpartition} data-test-id="produce-partition">
                    <option value="" selected={draft.partition.is_empty()}>{ "by key (default partitioner)" }</option>
                    { for (0..n).map(|p| html! { <option value={p.to_string()} selected={draft.partition == p.to_string()}>{ format!("{topic}-{p} (explicit)") }</option> }) }
                </select>
                if !clients.is_empty() {
                <label for="produce-sender">{ "Producer" }</label>
                <select id="produce-sender" class="input" onchange={onsender} data-test-id="produce-sender">
                    <option value="" selected={draft.producer.is_empty()}>{ "none (not idempotent)" }</option>
                    { for clients.iter().map(|c| html! {
                        <option value={c.name.clone()} selected={draft.producer == c.name}>{ format!("{} ({})", c.name,
                            if c.transactional_id.is_some() { "transactional" } else if c.producer_id.is_some() { "idempotent" } else { "not idempotent" }) }</option>
                    }) }
                </select>
                }
                if !p.compact {
                <label for="produce-ts">{ "Timestamp" }</label>
                <div>
                    <input id="produce-ts" class="input mono" value={draft.timestamp.clone()} oninput={edit(&draft, input_value, |d, v| d.timestamp = v)}
                        placeholder="now" data-test-id="produce-timestamp" inputmode="numeric" autocomplete="off" aria-describedby="produce-ts-hint" />
                    <p id="produce-ts-hint" class="hint">{ ts_hint }</p>
                </div>
                }
                <div class="span-2 button-row">
                    <button type="submit" class="btn btn-primary" data-test-id="produce">{ "Produce" }</button>
                    <button type="button" class="btn btn-danger" onclick={ontombstone} data-test-id="tombstone"
                        title="A record with this key and a null value: deletes the key once compacted">{ "Send tombstone" }</button>
                </div>
            </form>
            { inline_status(&s, &Origin::Produce, "produce-message") }
            if !p.compact {
                <super::producer_clients::ProducerClients {on_created} />
            }
            if p.compact {
                <details class="bulk explain-fold">
                    <summary>{ "Where this key goes" }</summary>
                    { explanation }
                </details>
            } else {
                { explanation }
            }
            if !p.compact {
            <details class="bulk" open={p.bulk_open}>
                <summary>{ "Bulk: random updates (seeded)" }</summary>
                // The form's own checks give one message, in the engine's
                // terms; the browser's would be a second, worded otherwise.
                <form class="form-grid" onsubmit={ongenerate} data-test-id="generate-form" novalidate=true>
                    <label for="gen-count">{ "Records" }</label>
                    <div>
                        <input id="gen-count" class="input" type="number" min="0" max={left.to_string()} value={(*count).clone()} oninput={set(&count)}
                            data-test-id="generate-count" aria-describedby="gen-count-hint" />
                        <p id="gen-count-hint" class="hint" data-test-id="generate-count-hint">{ count_hint }</p>
                    </div>
                    <label for="gen-keys">{ "Distinct keys" }</label>
                    <input id="gen-keys" class="input" type="number" min="1" value={(*keys).clone()} oninput={set(&keys)} data-test-id="generate-keys" />
                    <label for="gen-seed">{ "Seed" }</label>
                    <input id="gen-seed" class="input" type="number" min="0" value={(*seed).clone()} oninput={set(&seed)} data-test-id="generate-seed" />
                    <label for="gen-tomb">{ "Tombstone fraction" }</label>
                    <input id="gen-tomb" class="input" value={(*tombstones).clone()} oninput={set(&tombstones)} data-test-id="generate-tombstones" inputmode="decimal" />
                    <label for="gen-vb">{ "Value bytes" }</label>
                    <input id="gen-vb" class="input" value={(*value_bytes).clone()} oninput={set(&value_bytes)} placeholder="short values" data-test-id="generate-value-bytes" inputmode="numeric" />
                    <button type="submit" class="btn span-2" data-test-id="generate">{ format!("Generate {} records", count.trim()) }</button>
                </form>
                { inline_status(&s, &Origin::Generate, "generate-message") }
            </details>
            <LoadForm topic={topic.clone()} open={p.bulk_open} />
            }
        </Panel>
    }
}

/// The `load` line of the load form: `load <topic> rate=<n>/<unit>
/// keys=<k> for=<d> seed=<s>`, with a tombstone fraction and a value width
/// when given. The engine's parser checks it (one message, in its words).
#[allow(clippy::too_many_arguments)]
fn load_line(
    topic: &str,
    rate: &str,
    unit: &str,
    keys: &str,
    for_: &str,
    seed: &str,
    tombstones: &str,
    value_bytes: &str,
) -> String {
    let mut line = format!(
        "load {topic} rate={}/{} keys={} for={} seed={}",
        rate.trim(),
        unit.trim(),
        keys.trim(),
        for_.trim(),
        seed.trim()
    );
    if !tombstones.trim().is_empty() && tombstones.trim() != "0" {
        line.push_str(&format!(" tombstones={}", tombstones.trim()));
    }
    if !value_bytes.trim().is_empty() {
        line.push_str(&format!(" value-bytes={}", value_bytes.trim()));
    }
    line
}

#[derive(Properties, PartialEq)]
struct LoadFormProps {
    topic: String,
    open: bool,
}

/// A producer load over simulated time: records at a rate, appended as the
/// clock reaches them (Play, Run, or advancing the clock).
#[function_component(LoadForm)]
fn load_form(p: &LoadFormProps) -> Html {
    let app = use_app();
    let rate = use_state(|| "100".to_string());
    let unit = use_state(|| "s".to_string());
    let keys = use_state(|| "10000".to_string());
    let for_ = use_state(|| "1h".to_string());
    let seed = use_state(|| "42".to_string());
    let tombstones = use_state(|| "0".to_string());
    let value_bytes = use_state(String::new);
    let Some(app) = app else { return Html::default() };
    let s = app.state();
    let line = load_line(&p.topic, &rate, &unit, &keys, &for_, &seed, &tombstones, &value_bytes);
    let onsubmit = {
        let (app, line) = (app.clone(), line.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            app.dispatch(Action::ExecLine {
                line: line.clone(),
                origin: Origin::Load,
            });
        })
    };
    let set = set_from_input;
    let pending = s.shown().broker.pending_load_records();
    html! {
        <details class="bulk" open={p.open} data-test-id="load-panel">
            <summary>{ "Load: a producer over time" }</summary>
            <form class="form-grid" {onsubmit} data-test-id="load-form" novalidate=true>
                <label for="load-rate">{ "Rate" }</label>
                <div class="input-pair">
                    <input id="load-rate" class="input" type="number" min="1" value={(*rate).clone()} oninput={set(&rate)} data-test-id="load-rate" />
                    <label for="load-unit" class="sr-only">{ "per" }</label>
                    <select id="load-unit" class="input" onchange={set_from_select(&unit)} data-test-id="load-unit">
                        { for [("s", "per second"), ("m", "per minute"), ("h", "per hour")].iter().map(|(u, l)| html! {
                            <option value={*u} selected={*unit == *u}>{ *l }</option>
                        }) }
                    </select>
                </div>
                <label for="load-keys">{ "Distinct keys" }</label>
                <input id="load-keys" class="input" type="number" min="1" value={(*keys).clone()} oninput={set(&keys)} data-test-id="load-keys" />
                <label for="load-for">{ "For" }</label>
                <input id="load-for" class="input" value={(*for_).clone()} oninput={set(&for_)} data-test-id="load-for" title="A duration: 90s, 10m, 1h, 1d" />
                <label for="load-seed">{ "Seed" }</label>
                <input id="load-seed" class="input" type="number" min="0" value={(*seed).clone()} oninput={set(&seed)} data-test-id="load-seed" />
                <label for="load-tomb">{ "Tombstone fraction" }</label>
                <input id="load-tomb" class="input" value={(*tombstones).clone()} oninput={set(&tombstones)} data-test-id="load-tombstones" inputmode="decimal" />
                <label for="load-vb">{ "Value bytes" }</label>
                <input id="load-vb" class="input" value={(*value_bytes).clone()} oninput={set(&value_bytes)} placeholder="short values" data-test-id="load-value-bytes" inputmode="numeric" />
                <p class="hint span-2"><code data-test-id="load-line">{ line.clone() }</code>{ ": records are appended as the clock reaches them; press Play or Run to let the broker work." }</p>
                <button type="submit" class="btn span-2" data-test-id="load-start">{ "Start the load" }</button>
            </form>
            if pending > 0 {
                <p class="hint" data-test-id="load-pending">{ format!("{} load records still to come.", format::count(pending)) }</p>
            }
            { inline_status(&s, &Origin::Load, "load-message") }
        </details>
    }
}

/// Where the key goes and why, step by step.
fn explain_view(d: &Draft, n: u32, compacted: bool) -> Html {
    if let Ok(p) = d.partition.parse::<u32>() {
        return html! {
            <div class="explain" data-test-id="partition-explain" aria-live="polite">
                <p>{ format!("Explicit partition {p}: the producer sends the record there and no partitioner runs.") }</p>
            </div>
        };
    }
    if d.null_key {
        return html! {
            <div class="explain" data-test-id="partition-explain" aria-live="polite">
                <p>{ "A null key is not hashed: the Java producer's sticky partitioner (KIP-794) keeps one partition until a batch is full." }</p>
                if compacted { <p class="warn-text">{ "⚠ This topic is compacted: the broker rejects records without a key." }</p> }
            </div>
        };
    }
    let e: PartitionExplanation = explain(d.key.as_bytes(), n);
    let shown = e.key_hex.len().min(48);
    let hex: String = e.key_hex.as_bytes()[..shown]
        .chunks(2)
        .map(|c| std::str::from_utf8(c).unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ");
    let more = if e.key_hex.len() > shown { " …" } else { "" };
    let random = match e.librdkafka_consistent_random {
        Some(p) => format!("partition {p}"),
        None => "a random partition (empty key)".to_string(),
    };
    html! {
        <div class="explain" data-test-id="partition-explain" aria-live="polite">
            <h3 class="explain-title">{ "Where this key goes" }</h3>
            <ol class="explain-steps">
                <li><span class="step-name">{ "key bytes" }</span><span><code>{ format!("{hex}{more}") }</code><span class="muted">{ format!(" ({} byte{})", e.key_len, plural(e.key_len)) }</span></span></li>
                <li><span class="step-name">{ "murmur2" }</span><code>{ format!("{} (0x{})", e.murmur2, e.murmur2_hex) }</code></li>
                <li><span class="step-name">{ "toPositive" }</span><code>{ format!("{} & 0x7fffffff = {}", e.murmur2, e.to_positive) }</code></li>
                <li><span class="step-name">{ format!("mod {}", e.num_partitions) }</span><code>{ format!("{} % {} = {}", e.to_positive, e.num_partitions, e.partition) }</code></li>
                <li class="explain-result"><span class="step-name">{ "partition" }</span><strong data-test-id="explain-partition">{ e.partition }</strong>
                    <span class="muted">{ " Java client, Kafka Streams" }</span></li>
            </ol>
            <table class="explain-others">
                <caption class="sr-only">{ "Other clients' default partitioners" }</caption>
                <tbody>
                    <tr><th scope="row">{ "librdkafka default" }</th><td>{ format!("consistent_random: crc32 {:#010x} % {} → {random}", e.crc32, e.num_partitions) }</td></tr>
                    <tr><th scope="row">{ "Sarama default" }</th><td>{ format!("fnv1a {:#010x} → partition {}", e.fnv1a32, e.sarama) }</td></tr>
                </tbody>
            </table>
            if e.librdkafka_consistent_random != Some(e.partition) || e.sarama != e.partition {
                <p class="hint">{ "Clients that hash differently send the same key to different partitions: mixing them on one topic splits a key's history, and compaction cannot merge it." }</p>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_joined_onto_one_line() {
        assert_eq!(
            minify_json("{\n  \"a\": \"x y\",\n  \"b\": [1, 2]\n}"),
            r#"{"a":"x y","b":[1,2]}"#
        );
        assert_eq!(
            one_line_value("{\n\"a\":\"\\\" q\"\n}").ok().as_deref(),
            Some(r#"{"a":"\" q"}"#)
        );
        assert!(one_line_value("two\nlines").is_err());
    }

    #[test]
    fn the_bulk_form_says_one_thing_per_problem() {
        let ok = Bulk {
            count: " 0 ",
            keys: "3",
            seed: "7",
            tombstones: "",
            value_bytes: "",
        };
        // Count 0 is a line the engine takes.
        assert_eq!(
            generate_command("t", &ok, 10).map(|c| c.to_string()).as_deref(),
            Ok("generate t count=0 keys=3 seed=7")
        );
        let full = Bulk {
            count: "10",
            tombstones: "0.5",
            value_bytes: "100",
            ..ok
        };
        assert_eq!(
            generate_command("t", &full, 10).map(|c| c.to_string()).as_deref(),
            Ok("generate t count=10 keys=3 seed=7 tombstones=0.5 value-bytes=100")
        );
        // Past what is left, or not a count: the same message, with the range.
        let range = "Records must be a whole number from 0 to 9, got '10'.";
        assert_eq!(generate_command("t", &full, 9).err().as_deref(), Some(range));
        for (bad, message) in [
            (
                Bulk { count: "-1", ..ok },
                "Records must be a whole number from 0 to 10, got '-1'.",
            ),
            (
                Bulk { keys: "0", ..ok },
                "Distinct keys must be a whole number of at least 1, got '0'.",
            ),
            (
                Bulk { seed: "x", ..ok },
                "Seed must be a whole number of at least 0, got 'x'.",
            ),
            (
                Bulk {
                    tombstones: "1.5",
                    ..ok
                },
                "Tombstone fraction must be a number from 0 to 1, got '1.5'.",
            ),
            (
                Bulk {
                    tombstones: "NaN",
                    ..ok
                },
                "Tombstone fraction must be a number from 0 to 1, got 'NaN'.",
            ),
            (
                Bulk {
                    value_bytes: "2000000",
                    ..ok
                },
                "Value bytes must be a whole number from 0 to 1048576, or blank for short values, got '2000000'.",
            ),
        ] {
            assert_eq!(generate_command("t", &bad, 10).err().as_deref(), Some(message));
        }
        // Every line the form builds parses back as itself.
        let c = generate_command("t", &full, 10).unwrap_or_else(|e| panic!("{e}"));
        assert!(crate::ui::session::step_of(&c).is_ok());
    }

    #[test]
    fn forms_become_commands() {
        let d = Draft {
            key: "k".into(),
            null_key: false,
            value: "v".into(),
            partition: "1".into(),
            timestamp: "5".into(),
            producer: String::new(),
        };
        assert_eq!(
            command("t", &d, false).ok(),
            Some(Command::Produce(Produce {
                topic: "t".into(),
                partition: Some(1),
                timestamp_ms: Some(5),
                key: Some("k".into()),
                value: Some("v".into()),
                producer: None,
            }))
        );
        assert!(command(
            "t",
            &Draft {
                timestamp: "soon".into(),
                ..d.clone()
            },
            true
        )
        .is_err());
        let Ok(Command::Produce(p)) = command(
            "t",
            &Draft {
                producer: "tx".into(),
                ..d
            },
            false,
        ) else {
            panic!("a produce")
        };
        assert_eq!(p.to_string(), "produce t/1 ts=5 producer=tx k:v");
    }
}
