//! One editable config row, shared by the topic and broker config panels:
//! the Kafka name, the value, the default, a short explanation, the
//! playground's note where it departs from Kafka, and Kafka's own
//! validation message inline when a value is rejected (nothing changes).

use yew::prelude::*;

use super::{input_value, status_html, Dispatch};
use crate::config::ConfigKey;
use crate::scenario::command::{Alter, Broker, Unset};
use crate::scenario::Command;
use crate::ui::format;
use crate::ui::state::{Action, Origin, Status, StatusKind};

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
        Callback::from(move |e: InputEvent| draft.set(input_value(&e)))
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
