//! Topics: pick the topic the page shows and create new ones as
//! `kafka-topics --create` does: a name, a partition count, a cleanup policy
//! and any other configs in one go (pasted `--config k=v` words work), with
//! nothing pre-filled that the person does not see. Where Kafka takes
//! milliseconds (`*.ms`), a duration as the clock takes it (`1h`) is
//! accepted and written into the line in milliseconds.

use yew::prelude::*;

use super::{inline_status, Panel};
use crate::scenario::command::CreateTopic;
use crate::scenario::lexer::parse_duration;
use crate::scenario::Command;
use crate::ui::describe::plural;
use crate::ui::hooks::{dispatch_on, set_from_input, set_from_select, use_app};
use crate::ui::state::{Action, Origin, StatusKind};

#[function_component(TopicsPanel)]
pub fn topics_panel() -> Html {
    let app = use_app();
    let name = use_state(String::new);
    let partitions = use_state(String::new);
    let policy = use_state(|| "compact".to_string());
    let others = use_state(String::new);
    let Some(app) = app else { return Html::default() };
    let s = app.state();
    let current = s.current_topic();

    let tabs = s.shown().broker.topics().map(|t| {
        let selected = current.as_deref() == Some(t.name());
        let onclick = dispatch_on(&app, Action::SelectTopic(t.name().to_string()));
        let policy = t.config().cleanup_policy.to_string();
        html! {
            <li>
                <button type="button" class={classes!("topic-tab", selected.then_some("selected"))} aria-pressed={selected.to_string()}
                    {onclick} data-test-id={format!("topic-tab-{}", t.name())}>
                    <span class="topic-name">{ t.name().to_string() }</span>
                    <span class="topic-meta">{ format!("{} partition{} · {policy}", t.partitions().len(), plural(t.partitions().len())) }</span>
                    if selected { <span class="sr-only">{ " (shown)" }</span> }
                </button>
            </li>
        }
    });

    // The line the form would run, or why it cannot be one yet.
    let planned = plan(&name, &partitions, &policy, &others);
    let onsubmit = {
        let app = app.clone();
        let planned = planned.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match planned.clone() {
                Ok(create) => app.dispatch(Action::Exec {
                    command: Command::Topic(create),
                    origin: Origin::TopicCreate,
                }),
                Err(text) => app.dispatch(Action::Notice {
                    origin: Origin::TopicCreate,
                    kind: StatusKind::Error,
                    text,
                }),
            }
        })
    };
    let set = set_from_input;
    let onpolicy = set_from_select(&policy);

    html! {
        <Panel title="Topics" id="topics">
            if current.is_none() {
                <p class="hint">{ "No topic yet: create one below, or load a scenario." }</p>
            }
            <ul class="topic-tabs" aria-label="Topics (pick the one to show)">{ for tabs }</ul>
            <details class="create-topic" open={current.is_none()}>
                <summary>{ "Create a topic" }</summary>
                <form class="form-grid" {onsubmit} data-test-id="create-topic-form">
                    <label for="new-topic-name">{ "Name" }</label>
                    <input id="new-topic-name" class="input" value={(*name).clone()} oninput={set(&name)} data-test-id="new-topic-name" autocomplete="off" spellcheck="false" placeholder="e.g. orders" required=true />
                    <label for="new-topic-partitions">{ "Partitions" }</label>
                    <input id="new-topic-partitions" class="input" inputmode="numeric" value={(*partitions).clone()} oninput={set(&partitions)} data-test-id="new-topic-partitions" placeholder="1 (default)" />
                    <label for="new-topic-policy"><code>{ "cleanup.policy" }</code></label>
                    <select id="new-topic-policy" class="input" onchange={onpolicy} data-test-id="new-topic-policy">
                        { for ["compact", "delete", "compact,delete"].iter().map(|p| html! { <option value={*p} selected={*policy == *p}>{ *p }</option> }) }
                    </select>
                    <label for="new-topic-configs" class="span-2">{ "Other configs" }</label>
                    <textarea id="new-topic-configs" class="input span-2 mono" rows="3" value={(*others).clone()} oninput={set_text(&others)} data-test-id="new-topic-configs"
                        spellcheck="false" placeholder="--config segment.bytes=1024 --config delete.retention.ms=1h" aria-describedby="new-topic-configs-hint"></textarea>
                    <p id="new-topic-configs-hint" class="hint span-2">{ "Any topic configs, as kafka-topics takes them (--config k=v) or one k=v per line. Durations such as 1h or 30s are accepted where Kafka takes milliseconds. Small segments (segment.bytes=1024) roll often, so cleaning has something to do; Kafka's default is 1 GiB." }</p>
                    <p class="span-2 create-preview" data-test-id="create-topic-preview" aria-live="polite">
                        { match &planned {
                            Ok(create) => html! { <>{ "Runs " }<code>{ create.to_string() }</code></> },
                            Err(why) => html! { <span class="muted">{ why.clone() }</span> },
                        } }
                    </p>
                    <button type="submit" class="btn btn-primary span-2" data-test-id="create-topic">{ "Create topic" }</button>
                </form>
                { inline_status(&s, &Origin::TopicCreate, "create-topic-message") }
            </details>
        </Panel>
    }
}

/// Keeps a text area's value in a state handle.
fn set_text(h: &UseStateHandle<String>) -> Callback<InputEvent> {
    let h = h.clone();
    Callback::from(move |e: InputEvent| {
        let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
        h.set(area.value());
    })
}

/// The `topic` command the form describes, or what is missing or wrong.
/// The broker validates the configs themselves (with Kafka's wording) when
/// the line runs; this only reads the form.
fn plan(name: &str, partitions: &str, policy: &str, others: &str) -> Result<CreateTopic, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Give the topic a name.".to_string());
    }
    let partitions = match partitions.trim() {
        "" => None,
        p => Some(
            p.parse::<i64>()
                .map_err(|_| format!("partitions must be an integer, got '{p}'"))?,
        ),
    };
    let mut configs = vec![("cleanup.policy".to_string(), policy.to_string())];
    for (key, value) in read_configs(others)? {
        if configs.iter().any(|(k, _)| *k == key) {
            return Err(format!("{key} is given twice"));
        }
        configs.push((key, value));
    }
    Ok(CreateTopic {
        name: name.to_string(),
        partitions,
        configs,
    })
}

/// `--config k=v` words (as pasted from a `kafka-topics --create` line,
/// backslashes and all) or `k=v` lines, in order. A `*.ms` config given as
/// a duration (`1h`) becomes milliseconds.
fn read_configs(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        let word = word.strip_prefix("--config=").unwrap_or(word);
        if matches!(word, "--config" | "\\") {
            continue;
        }
        let Some((key, value)) = word.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            return Err(format!("expected <config>=<value>, got '{word}'"));
        };
        let value = match parse_duration(value) {
            Ok(ms) if key.ends_with(".ms") && value.parse::<i64>().is_err() => ms.to_string(),
            _ => value.to_string(),
        };
        out.push((key.to_string(), value));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeds_create_line_reads_in_one_go() {
        let pasted = "--config cleanup.policy=compact --config min.cleanable.dirty.ratio=0.01 \\\n  --config segment.ms=10000 --config delete.retention.ms=100";
        assert_eq!(
            read_configs(pasted).unwrap(),
            [
                ("cleanup.policy", "compact"),
                ("min.cleanable.dirty.ratio", "0.01"),
                ("segment.ms", "10000"),
                ("delete.retention.ms", "100")
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
        );
        // The policy from the field and again in the configs: refused, not guessed.
        assert_eq!(
            plan("t", "", "compact", pasted).unwrap_err(),
            "cleanup.policy is given twice"
        );
    }

    #[test]
    fn durations_become_milliseconds_only_where_kafka_takes_them() {
        let c = plan(
            "t",
            "3",
            "compact",
            "delete.retention.ms=1h\nsegment.bytes=1024\nmax.compaction.lag.ms=30s",
        )
        .unwrap();
        assert_eq!(c.to_string(), "topic t partitions=3 cleanup.policy=compact delete.retention.ms=3600000 segment.bytes=1024 max.compaction.lag.ms=30000");
        // Not a duration, or not a .ms config: left for the broker to judge.
        let c = plan("t", "", "delete", "segment.bytes=1h segment.ms=soon").unwrap();
        assert_eq!(
            c.to_string(),
            "topic t cleanup.policy=delete segment.bytes=1h segment.ms=soon"
        );
    }

    #[test]
    fn what_is_missing_is_said() {
        assert_eq!(plan(" ", "", "compact", "").unwrap_err(), "Give the topic a name.");
        assert_eq!(
            plan("t", "three", "compact", "").unwrap_err(),
            "partitions must be an integer, got 'three'"
        );
        assert_eq!(
            plan("t", "", "compact", "oops").unwrap_err(),
            "expected <config>=<value>, got 'oops'"
        );
        assert_eq!(
            plan("t", "", "compact", "=1").unwrap_err(),
            "expected <config>=<value>, got '=1'"
        );
    }
}
