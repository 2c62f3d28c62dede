//! The shown topic's configs by their Kafka names: the ones the playground
//! simulates first, then those it only accepts and validates
//! (`kafka-configs --alter --add-config`, one key at a time).

use yew::prelude::*;

use super::config_editor::{origin, ConfigRow, Scope};
use super::{status_for, use_app};
use crate::config::topic_config_keys;

/// Compaction's own keys, shown first in this order.
const FIRST: [&str; 8] = [
    "cleanup.policy",
    "min.cleanable.dirty.ratio",
    "segment.bytes",
    "segment.ms",
    "min.compaction.lag.ms",
    "max.compaction.lag.ms",
    "delete.retention.ms",
    "segment.jitter.ms",
];

#[function_component(TopicConfigPanel)]
pub fn topic_config_panel() -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let s = app.session();
    let Some(topic) = s.current_topic() else {
        return Html::default();
    };
    let Ok(t) = s.broker.topic(&topic) else {
        return Html::default();
    };
    let values: std::collections::BTreeMap<&str, String> = t.config().entries().into_iter().collect();
    let mut keys = topic_config_keys();
    keys.sort_by_key(|k| {
        (
            FIRST.iter().position(|f| *f == k.name).unwrap_or(FIRST.len()),
            !k.modelled,
            k.name,
        )
    });
    let row = |k: &crate::config::ConfigKey| {
        let value = values.get(k.name).cloned().unwrap_or_default();
        let overridden = t.overrides().get(k.name).is_some();
        html! { <ConfigRow key={k.name} scope={Scope::Topic(topic.clone())} info={k.clone()} value={AttrValue::from(value)} {overridden}
        status={status_for(&s, &origin(&Scope::Topic(String::new()), k.name))} dispatch={app.dispatcher()} /> }
    };
    let (main, rest): (Vec<_>, Vec<_>) = keys.iter().partition(|k| FIRST.contains(&k.name));
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
