//! The producer clients of the session (`producer` lines): each one's
//! producer id and epoch, whether it is idempotent or transactional, and a
//! transactional one's state (`READY`, or `IN_TRANSACTION` since which
//! offset on which partitions) with Begin / Commit / Abort; and a small
//! form that writes a `producer <name> [transactional.id=..]
//! [enable.idempotence=false]` line. Every action is a script line; the
//! engine checks it and answers in the Java client's words.
//!
//! Which client sends the produce form's records is chosen in the produce
//! form itself ([`super::producer`]); a client made here becomes that choice.

use yew::prelude::*;

use crate::log_manager::{LogManager, ProducerClient};
use crate::scenario::command::{Transaction, TxnAction};
use crate::scenario::Command;
use crate::ui::browser::{checked, input_value};
use crate::ui::hooks::{exec_on, use_app};
use crate::ui::state::{Action, Origin};

/// The `producer` line of the form's fields.
pub fn producer_line(name: &str, transactional_id: &str, idempotent: bool) -> String {
    let mut line = format!("producer {}", name.trim());
    if !transactional_id.trim().is_empty() {
        line.push_str(&format!(" transactional.id={}", transactional_id.trim()));
    }
    if !idempotent {
        line.push_str(" enable.idempotence=false");
    }
    line
}

/// What kind of client it is, in a few words.
pub fn kind(c: &ProducerClient) -> String {
    match (&c.transactional_id, c.producer_id) {
        (Some(t), Some(id)) => format!("transactional.id={t} · producer id {id} · epoch {}", c.producer_epoch),
        (None, Some(id)) => format!("idempotent · producer id {id} · epoch {}", c.producer_epoch),
        _ => "not idempotent (producer id -1)".to_string(),
    }
}

/// A transactional client's state: `READY`, or `IN_TRANSACTION since
/// offset N on t-0, since offset M on t-1` (the first offset of its
/// transaction on each partition it wrote to, from the partition's
/// producer state).
pub fn state(broker: &LogManager, c: &ProducerClient) -> Option<String> {
    c.transactional_id.as_ref()?;
    let Some(parts) = &c.transaction else {
        return Some(c.state().to_string());
    };
    if parts.is_empty() {
        return Some(format!("{} (nothing sent yet)", c.state()));
    }
    let on = parts
        .iter()
        .map(|tp| {
            let first = broker
                .partition(&tp.topic, tp.partition)
                .ok()
                .zip(c.producer_id)
                .and_then(|(log, id)| log.producer_state().producer(id)?.current_txn_first_offset);
            match first {
                Some(o) => format!("since offset {o} on {tp}"),
                None => format!("on {tp}"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    Some(format!("{} {on}", c.state()))
}

#[derive(Properties, PartialEq)]
pub struct ProducerClientsProps {
    /// A client was asked for: the produce form sends with it from now on.
    pub on_created: Callback<String>,
}

#[function_component(ProducerClients)]
pub fn producer_clients(p: &ProducerClientsProps) -> Html {
    let app = use_app();
    let name = use_state(|| "tx".to_string());
    let tid = use_state(|| "tx-1".to_string());
    let idempotent = use_state(|| true);
    let Some(app) = app else { return Html::default() };
    let s = app.state();
    let broker = &s.session.broker;

    let oncreate = {
        let (app, name, tid, idempotent, on_created) = (
            app.clone(),
            name.clone(),
            tid.clone(),
            idempotent.clone(),
            p.on_created.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_created.emit(name.trim().to_string());
            app.dispatch(Action::ExecLine {
                line: producer_line(&name, &tid, *idempotent),
                origin: Origin::Produce,
            });
        })
    };
    let txn = |action: TxnAction, producer: &str| {
        exec_on::<MouseEvent>(
            &app,
            Command::Transaction(Transaction {
                action,
                producer: producer.to_string(),
            }),
            Origin::Produce,
        )
    };
    let rows = broker.producers().map(|c| {
        let st = state(broker, c);
        let open = c.transaction.is_some();
        html! {
            <li class="client" data-test-id="producer-client" data-name={c.name.clone()}>
                <span class="client-name mono">{ c.name.clone() }</span>
                <span class="muted small">{ kind(c) }</span>
                if let Some(st) = st {
                    <span class={classes!("client-state", open.then_some("in-txn"))} data-test-id="producer-state">{ st }</span>
                    <span class="button-row">
                        <button type="button" class="btn btn-small" disabled={open} onclick={txn(TxnAction::Begin, &c.name)}
                            data-test-id="txn-begin" title={format!("begin {}", c.name)}>{ "Begin" }</button>
                        <button type="button" class="btn btn-small" disabled={!open} onclick={txn(TxnAction::Commit, &c.name)}
                            data-test-id="txn-commit" title={format!("commit {}: a COMMIT marker on every partition it wrote to", c.name)}>{ "Commit" }</button>
                        <button type="button" class="btn btn-small btn-danger" disabled={!open} onclick={txn(TxnAction::Abort, &c.name)}
                            data-test-id="txn-abort" title={format!("abort {}: an ABORT marker on every partition it wrote to", c.name)}>{ "Abort" }</button>
                    </span>
                }
            </li>
        }
    });
    let none = broker.producers().next().is_none();
    html! {
        <details class="bulk clients" open={!none}>
            <summary>{ "Producer clients (idempotence, transactions)" }</summary>
            if none {
                <p class="hint">{ "Records go from a plain, non-idempotent producer (producer id -1). Make an idempotent or transactional client here, then choose it in the form above." }</p>
            } else {
                <ul class="client-list" data-test-id="producer-clients">{ for rows }</ul>
            }
            <form class="form-grid" onsubmit={oncreate} data-test-id="producer-form">
                <label for="client-name">{ "Name" }</label>
                <input id="client-name" class="input mono input-small" value={(*name).clone()} autocomplete="off" spellcheck="false"
                    oninput={let n = name.clone(); Callback::from(move |e: InputEvent| n.set(input_value(&e)))} data-test-id="producer-name" />
                <label for="client-tid">{ "transactional.id" }</label>
                <input id="client-tid" class="input mono input-small" value={(*tid).clone()} placeholder="none: not transactional" autocomplete="off" spellcheck="false"
                    oninput={let t = tid.clone(); Callback::from(move |e: InputEvent| t.set(input_value(&e)))} data-test-id="producer-tid" />
                <span></span>
                <label class="check"><input type="checkbox" checked={*idempotent} data-test-id="producer-idempotent"
                    onchange={let i = idempotent.clone(); Callback::from(move |e: Event| i.set(checked(&e)))} />{ "enable.idempotence" }</label>
                <button type="submit" class="btn span-2" data-test-id="producer-create">{ "Create producer" }</button>
            </form>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario;

    fn broker(script: &str) -> LogManager {
        crate::ui::ran(LogManager::default(), script)
    }

    #[test]
    fn the_form_writes_a_producer_line() {
        assert_eq!(producer_line(" tx ", "tx-1", true), "producer tx transactional.id=tx-1");
        assert_eq!(producer_line("p", " ", false), "producer p enable.idempotence=false");
        assert!(scenario::parse(&producer_line("tx", "tx-1", true)).is_ok());
    }

    #[test]
    fn a_transactional_client_says_since_which_offset_and_where() {
        let mut b = broker(
            "topic t partitions=2\nproducer plain enable.idempotence=false\nproducer tx transactional.id=x\nproduce t/0 a:1\nproduce t/0 b:1",
        );
        let c = |b: &LogManager, n: &str| b.producer(n).cloned().unwrap_or_else(|_| panic!("{n}"));
        assert_eq!(state(&b, &c(&b, "plain")), None);
        assert_eq!(kind(&c(&b, "plain")), "not idempotent (producer id -1)");
        assert_eq!(kind(&c(&b, "tx")), "transactional.id=x · producer id 0 · epoch 0");
        assert_eq!(state(&b, &c(&b, "tx")).as_deref(), Some("READY"));
        for line in ["begin tx", "produce t/1 producer=tx k:1", "produce t/0 producer=tx k:2"] {
            let step = scenario::parse(line).unwrap_or_default();
            assert!(scenario::run_step(&mut b, &step[0]).ok, "{line}");
        }
        assert_eq!(
            state(&b, &c(&b, "tx")).as_deref(),
            Some("IN_TRANSACTION since offset 2 on t-0, since offset 0 on t-1")
        );
    }
}
