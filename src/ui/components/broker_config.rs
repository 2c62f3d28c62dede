//! The broker's log cleaner settings (`log.cleaner.*`, set dynamically
//! with `kafka-configs --entity-type brokers --alter`): the dedupe buffer,
//! the threads and the load factor first.

use yew::prelude::*;

use super::config_editor::{origin, ConfigRow, Scope};
use super::{status_for, use_app};
use crate::config::broker_config_keys;

const FIRST: [&str; 3] = [
    "log.cleaner.dedupe.buffer.size",
    "log.cleaner.threads",
    "log.cleaner.io.buffer.load.factor",
];

#[function_component(BrokerConfigPanel)]
pub fn broker_config_panel() -> Html {
    let Some(app) = use_app() else { return Html::default() };
    let s = app.session();
    let values: std::collections::BTreeMap<&str, String> = s.broker.broker_config().entries().into_iter().collect();
    let mut keys = broker_config_keys();
    keys.sort_by_key(|k| (FIRST.iter().position(|f| *f == k.name).unwrap_or(FIRST.len()), k.name));
    let rows = keys.iter().map(|k| {
        let value = values.get(k.name).cloned().unwrap_or_default();
        let overridden = value != k.default;
        html! { <ConfigRow key={k.name} scope={Scope::Broker} info={k.clone()} value={AttrValue::from(value)} {overridden}
            status={status_for(&s, &origin(&Scope::Broker, k.name))} dispatch={app.dispatcher()} /> }
    });
    html! {
        <details class="panel panel-fold" id="broker-config">
            <summary><h2>{ "Broker: log cleaner settings" }</h2></summary>
            <p class="hint">{ "The offset map holds dedupe.buffer.size ÷ threads ÷ 24 bytes × load factor keys per cleaning pass; a small map cleans in several rounds." }</p>
            <p class="hint" data-test-id="max-keys-per-pass">{ {
                let n = s.broker.broker_config().max_keys_per_pass();
                format!("Now: {} key{} per pass.", crate::ui::format::count(n as u64), if n == 1 { "" } else { "s" })
            } }</p>
            <div class="cfg-list">{ for rows }</div>
        </details>
    }
}
