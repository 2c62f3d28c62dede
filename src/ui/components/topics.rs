//! Topics: pick the topic the page shows and create new ones with a
//! partition count and a cleanup policy (`kafka-topics --create`).

use yew::prelude::*;

use super::{inline_status, Panel};
use crate::scenario::command::CreateTopic;
use crate::scenario::Command;
use crate::ui::describe::plural;
use crate::ui::hooks::{dispatch_on, set_from_input, set_from_select, use_app};
use crate::ui::state::{Action, Origin, StatusKind};

#[function_component(TopicsPanel)]
pub fn topics_panel() -> Html {
    let app = use_app();
    let name = use_state(|| "orders".to_string());
    let partitions = use_state(|| "3".to_string());
    let policy = use_state(|| "compact".to_string());
    let segment_bytes = use_state(|| "1024".to_string());
    let Some(app) = app else { return Html::default() };
    let s = app.state();
    let current = s.current_topic();

    let tabs = s.session.broker.topics().map(|t| {
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

    let onsubmit = {
        let app = app.clone();
        let (name, partitions, policy, segment_bytes) =
            (name.clone(), partitions.clone(), policy.clone(), segment_bytes.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let count = match partitions.trim().parse::<i64>() {
                Ok(n) => n,
                Err(_) => {
                    return app.dispatch(Action::Notice {
                        origin: Origin::TopicCreate,
                        kind: StatusKind::Error,
                        text: format!("partitions must be an integer, got '{}'", partitions.trim()),
                    })
                }
            };
            let mut configs = vec![("cleanup.policy".to_string(), (*policy).clone())];
            if !segment_bytes.trim().is_empty() {
                configs.push(("segment.bytes".to_string(), segment_bytes.trim().to_string()));
            }
            app.dispatch(Action::Exec {
                command: Command::Topic(CreateTopic {
                    name: name.trim().to_string(),
                    partitions: Some(count),
                    configs,
                }),
                origin: Origin::TopicCreate,
            });
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
                    <input id="new-topic-name" class="input" value={(*name).clone()} oninput={set(&name)} data-test-id="new-topic-name" autocomplete="off" spellcheck="false" />
                    <label for="new-topic-partitions">{ "Partitions" }</label>
                    <input id="new-topic-partitions" class="input" type="number" min="1" value={(*partitions).clone()} oninput={set(&partitions)} data-test-id="new-topic-partitions" />
                    <label for="new-topic-policy"><code>{ "cleanup.policy" }</code></label>
                    <select id="new-topic-policy" class="input" onchange={onpolicy} data-test-id="new-topic-policy">
                        { for ["compact", "delete", "compact,delete"].iter().map(|p| html! { <option value={*p} selected={*policy == *p}>{ *p }</option> }) }
                    </select>
                    <label for="new-topic-segment"><code>{ "segment.bytes" }</code></label>
                    <input id="new-topic-segment" class="input" value={(*segment_bytes).clone()} oninput={set(&segment_bytes)} data-test-id="new-topic-segment-bytes" placeholder="default 1073741824" aria-describedby="new-topic-segment-hint" />
                    <p id="new-topic-segment-hint" class="hint span-2">{ "Small segments roll often, so cleaning has something to do. Leave blank for Kafka's default (1 GiB)." }</p>
                    <button type="submit" class="btn btn-primary span-2" data-test-id="create-topic">{ "Create topic" }</button>
                </form>
                { inline_status(&s, &Origin::TopicCreate, "create-topic-message") }
            </details>
        </Panel>
    }
}
