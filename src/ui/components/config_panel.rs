//! The configs by their Kafka names, one panel per scope: the shown
//! topic's (`kafka-configs --entity-type topics --alter --add-config`, one
//! key at a time), the ones the playground simulates first, then those it
//! only accepts and validates; or the broker's log cleaner settings
//! (`log.cleaner.*`, set dynamically with `--entity-type brokers`), the
//! dedupe buffer, the threads and the load factor first.
//!
//! Each row shows the Kafka name, the value, the default, a short
//! explanation, the playground's note where it departs from Kafka, and
//! Kafka's own validation message inline when a value is rejected (nothing
//! changes).

use std::collections::BTreeMap;

use yew::prelude::*;

use super::{status_for, status_html};
use crate::config::{broker_config_keys, topic_config_keys, ConfigKey};
use crate::scenario::command::{Alter, Broker, Unset};
use crate::scenario::Command;
use crate::ui::browser;
use crate::ui::describe::plural;
use crate::ui::format;
use crate::ui::hooks::{use_app, Dispatch};
use crate::ui::state::{Action, Origin, Status, StatusKind};

/// Which configs a panel shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigScope {
    /// The shown topic's.
    Topic,
    /// The broker's log cleaner settings.
    Broker,
}

impl ConfigScope {
    /// The keys shown first, in this order: compaction's own.
    fn first(self) -> &'static [&'static str] {
        match self {
            ConfigScope::Topic => &[
                "cleanup.policy",
                "min.cleanable.dirty.ratio",
                "segment.bytes",
                "segment.ms",
                "min.compaction.lag.ms",
                "max.compaction.lag.ms",
                "delete.retention.ms",
                "segment.jitter.ms",
            ],
            ConfigScope::Broker => &[
                "log.cleaner.dedupe.buffer.size",
                "log.cleaner.threads",
                "log.cleaner.io.buffer.load.factor",
            ],
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ConfigPanelProps {
    pub scope: ConfigScope,
}

/// One row's data: the key, its effective value, and whether it is set
/// explicitly.
struct RowData {
    info: ConfigKey,
    value: String,
    overridden: bool,
}

#[function_component(ConfigPanel)]
pub fn config_panel(p: &ConfigPanelProps) -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let s = app.state();
    let first = p.scope.first();
    let position = |k: &ConfigKey| first.iter().position(|f| *f == k.name).unwrap_or(first.len());
    // A topic's override is what `kafka-configs --describe` lists as set on
    // the topic; a broker setting counts as set when it is not the default.
    let (scope, rows): (Scope, Vec<RowData>) = match p.scope {
        ConfigScope::Topic => {
            let Some(topic) = s.current_topic() else {
                return Html::default();
            };
            let Ok(t) = s.shown().broker.topic(&topic) else {
                return Html::default();
            };
            let values: BTreeMap<&str, String> = t.config().entries().into_iter().collect();
            let mut keys = topic_config_keys();
            keys.sort_by_key(|k| (position(k), !k.modelled, k.name));
            let rows = keys
                .into_iter()
                .map(|info| RowData {
                    value: values.get(info.name).cloned().unwrap_or_default(),
                    overridden: t.overrides().get(info.name).is_some(),
                    info,
                })
                .collect();
            (Scope::Topic(topic), rows)
        }
        ConfigScope::Broker => {
            let values: BTreeMap<&str, String> = s.shown().broker.broker_config().entries().into_iter().collect();
            let mut keys = broker_config_keys();
            keys.sort_by_key(|k| (position(k), k.name));
            let rows = keys
                .into_iter()
                .map(|info| {
                    let value = values.get(info.name).cloned().unwrap_or_default();
                    RowData {
                        overridden: value != info.default,
                        value,
                        info,
                    }
                })
                .collect();
            (Scope::Broker, rows)
        }
    };
    let row = |r: &RowData| {
        html! { <ConfigRow key={r.info.name} scope={scope.clone()} info={r.info.clone()} value={AttrValue::from(r.value.clone())} overridden={r.overridden}
        status={status_for(&s, &origin(&scope, r.info.name))} dispatch={app.dispatcher()} /> }
    };
    match &scope {
        Scope::Topic(topic) => {
            let (main, rest): (Vec<&RowData>, Vec<&RowData>) = rows.iter().partition(|r| first.contains(&r.info.name));
            html! {
                <details class="panel panel-fold" id="topic-config" open=true>
                    <summary><h2>{ format!("Topic configs: {topic}") }</h2></summary>
                    <p class="hint">{ "Press Enter or Set to apply one key (kafka-configs --alter). A rejected value changes nothing and shows Kafka's message." }</p>
                    <div class="cfg-list">{ for main.into_iter().map(row) }</div>
                    <details class="cfg-more">
                        <summary>{ format!("{} more topic configs", rest.len()) }</summary>
                        <div class="cfg-list">{ for rest.into_iter().map(row) }</div>
                    </details>
                </details>
            }
        }
        Scope::Broker => {
            let n = s.shown().broker.broker_config().max_keys_per_pass();
            html! {
                <details class="panel panel-fold" id="broker-config">
                    <summary><h2>{ "Broker: log cleaner settings" }</h2></summary>
                    <p class="hint">{ "The offset map holds dedupe.buffer.size ÷ threads ÷ 24 bytes × load factor keys per cleaning pass; a small map cleans in several rounds." }</p>
                    <p class="hint" data-test-id="max-keys-per-pass">{ format!("Now: {} key{} per pass.", format::count(n as u64), plural(n)) }</p>
                    <div class="cfg-list">{ for rows.iter().map(row) }</div>
                </details>
            }
        }
    }
}

/// Whose config a row edits.
#[derive(Clone, PartialEq)]
pub enum Scope {
    Topic(String),
    Broker,
}

#[derive(Properties, PartialEq)]
pub struct ConfigRowProps {
    pub scope: Scope,
    pub info: ConfigKey,
    /// The effective value.
    pub value: AttrValue,
    /// Set explicitly (a topic override, or a broker value that differs
    /// from the default).
    pub overridden: bool,
    /// The last action's message, when it was an edit of this key.
    pub status: Option<Status>,
    pub dispatch: Dispatch,
}

/// The origin of an edit of `name` in `scope`.
pub fn origin(scope: &Scope, name: &str) -> Origin {
    match scope {
        Scope::Topic(_) => Origin::TopicConfig(name.to_string()),
        Scope::Broker => Origin::BrokerConfig(name.to_string()),
    }
}

/// Kafka trims list entries; spaces cannot be written on a scenario line.
fn normalise(kind: &str, v: &str) -> String {
    let v = v.trim();
    if kind == "list" {
        v.split(',').map(str::trim).collect::<Vec<_>>().join(",")
    } else {
        v.to_string()
    }
}

fn command(scope: &Scope, name: &str, value: String) -> Command {
    let configs = vec![(name.to_string(), value)];
    match scope {
        Scope::Topic(t) => Command::Alter(Alter {
            topic: t.clone(),
            configs,
        }),
        Scope::Broker => Command::Broker(Broker { configs }),
    }
}

#[function_component(ConfigRow)]
pub fn config_row(p: &ConfigRowProps) -> Html {
    let draft = use_state_eq(|| p.value.to_string());
    {
        let draft = draft.clone();
        use_effect_with(p.value.clone(), move |v| {
            draft.set(v.to_string());
        });
    }
    let app = p.dispatch.clone();
    let name = p.info.name;
    let origin = origin(&p.scope, name);
    let id = format!(
        "cfg-{}-{}",
        if matches!(p.scope, Scope::Broker) {
            "broker"
        } else {
            "topic"
        },
        name.replace('.', "-")
    );

    let onsubmit = {
        let (app, draft, scope, origin) = (app.clone(), draft.clone(), p.scope.clone(), origin.clone());
        let kind = p.info.kind;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let v = normalise(kind, &draft);
            if v.contains(char::is_whitespace) {
                return app.dispatch(Action::Notice {
                    origin: origin.clone(),
                    kind: StatusKind::Error,
                    text: format!(
                        "Invalid value {v} for configuration {name}: a scenario line cannot hold spaces in a value."
                    ),
                });
            }
            app.dispatch(Action::Exec {
                command: command(&scope, name, v),
                origin: origin.clone(),
            });
        })
    };
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| draft.set(browser::input_value(&e)))
    };
    // A topic override is removed (`unset`, like `kafka-configs
    // --delete-config`), so the topic follows the broker default again; a
    // broker setting is set back to its default value.
    let reset = {
        let (app, scope, origin) = (app.clone(), p.scope.clone(), origin.clone());
        let default = p.info.default.clone();
        Callback::from(move |_: MouseEvent| {
            let command = match &scope {
                Scope::Topic(t) => Command::Unset(Unset {
                    topic: t.clone(),
                    names: vec![name.to_string()],
                }),
                Scope::Broker => command(&scope, name, default.clone()),
            };
            app.dispatch(Action::Exec {
                command,
                origin: origin.clone(),
            })
        })
    };
    let changed = normalise(p.info.kind, &draft) != p.value.as_str();
    let hint = format::duration_hint(name, &p.value).or_else(|| format::bytes_hint(name, &p.value));
    let default_hint =
        format::duration_hint(name, &p.info.default).or_else(|| format::bytes_hint(name, &p.info.default));
    let error_id = format!("{id}-msg");
    html! {
        <form class={classes!("cfg-row", p.overridden.then_some("cfg-set"), (!p.info.modelled).then_some("cfg-unmodelled"))}
            {onsubmit} data-test-id={format!("config-{name}")}>
            <div class="cfg-head">
                <label for={id.clone()}><code>{ name }</code></label>
                if p.overridden { <span class="badge badge-set">{ if matches!(p.scope, Scope::Topic(_)) { "set on topic" } else { "changed" } }</span> }
                if !p.info.modelled { <span class="badge">{ "not simulated" }</span> }
            </div>
            <div class="cfg-input">
                <input id={id.clone()} class={classes!("input", "mono", changed.then_some("input-changed"))} value={(*draft).clone()} {oninput}
                    aria-describedby={format!("{id}-doc {error_id}")} autocomplete="off" spellcheck="false" data-test-id={format!("config-input-{name}")} />
                <button type="submit" class="btn btn-small" data-test-id={format!("config-set-{name}")} disabled={!changed}>{ "Set" }</button>
                if p.overridden && (matches!(p.scope, Scope::Topic(_)) || p.info.default != p.value.as_str()) {
                    <button type="button" class="btn btn-small btn-ghost" onclick={reset} data-test-id={format!("config-default-{name}")}
                        title={if matches!(p.scope, Scope::Topic(_)) { format!("Remove the topic's override of {name} (unset): back to the default, {}", p.info.default) } else { format!("Set {name} back to its default, {}", p.info.default) }}>{ "Default" }</button>
                }
            </div>
            <p class="cfg-meta">
                if let Some(h) = hint { <span class="cfg-hint">{ format!("= {h} · ") }</span> }
                { format!("default {}", format::clip(&p.info.default, 40)) }
                if let Some(h) = default_hint { { format!(" ({h})") } }
                if !p.info.valid_values.is_empty() { { format!(" · valid {}", p.info.valid_values) } }
            </p>
            <p class="cfg-doc" id={format!("{id}-doc")}>{ p.info.doc }</p>
            if let Some(note) = p.info.note { <p class="cfg-note"><span aria-hidden="true">{ "⚠ " }</span>{ note }</p> }
            <div id={error_id}>{ status_html(p.status.as_ref(), &format!("config-message-{name}")) }</div>
        </form>
    }
}
