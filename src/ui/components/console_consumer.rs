//! The whole topic from the beginning, as `kafka-console-consumer
//! --from-beginning` with `print.partition` and `print.key` prints it
//! ([`crate::report::console_consumer`]), with the tool's closing count, so a
//! learner can check the seed tutorials' "you should see N messages" before
//! and after a cleaning. It is a read: no line joins the session.

use yew::prelude::*;

use crate::report::{console_consumer, CONSOLE_CONSUMER_PROPERTIES, DEFAULT_KEY_SEPARATOR};
use crate::ui::describe::plural;
use crate::ui::hooks::set_from_input;
use crate::ui::hooks::use_app;

/// Lines shown at most; the count covers them all.
const MAX_LINES: usize = 200;

/// One read: the lines shown, the total, and the logs it read.
#[derive(Clone, PartialEq)]
struct Read {
    topic: String,
    lines: Vec<String>,
    total: u64,
    stamp: u64,
}

#[derive(Properties, PartialEq)]
pub struct ConsoleConsumerProps {
    pub topic: AttrValue,
}

#[function_component(ConsoleConsumer)]
pub fn console_consumer_view(p: &ConsoleConsumerProps) -> Html {
    let read = use_state(|| None::<Read>);
    // As typed on the command line: `\t` is a tab (Kafka unescapes it too).
    let separator = use_state(|| "\\t".to_string());
    let Some(app) = use_app() else { return Html::default() };
    let s = app.state();
    let stamp = s.shown().log_stamp;
    let onclick = {
        let (app, read, topic, separator) = (app.clone(), read.clone(), p.topic.to_string(), separator.clone());
        Callback::from(move |_: MouseEvent| {
            let s = app.state();
            let Ok(t) = s.shown().broker.topic(&topic) else {
                return;
            };
            let mut lines = Vec::new();
            // As Kafka reads the property: `\t` is a tab; empty is the default.
            let sep = match separator.replace("\\t", "\t") {
                sep if sep.is_empty() => DEFAULT_KEY_SEPARATOR.to_string(),
                sep => sep,
            };
            let total = console_consumer(t.partitions(), &sep, MAX_LINES, |l| lines.push(l));
            read.set(Some(Read {
                topic: topic.clone(),
                lines,
                total,
                stamp: s.shown().log_stamp,
            }));
        })
    };
    let extra = match separator.as_str() {
        "" | "\\t" => String::new(),
        sep => format!(" --property key.separator=\"{sep}\""),
    };
    let command = format!(
        "kafka-console-consumer --bootstrap-server localhost:9092 --topic {} {CONSOLE_CONSUMER_PROPERTIES}{extra}",
        p.topic
    );
    let result = (*read).as_ref().filter(|r| r.topic == *p.topic).map(|r| {
        let more = r.total.saturating_sub(r.lines.len() as u64);
        html! {
            <>
                if r.stamp != stamp {
                    <p class="msg msg-info" data-test-id="console-stale">{ "The log has changed since this read: read again to see it now." }</p>
                }
                <pre class="console-out" tabindex="0" aria-label="Console consumer output" data-test-id="console-out">
                    { r.lines.join("\n") }
                    if more > 0 { { format!("\n… {more} more") } }
                </pre>
                <p class="small" data-test-id="console-total">{ format!("Processed a total of {} message{}", r.total, plural(r.total as usize)) }</p>
            </>
        }
    });
    html! {
        <div class="console-consumer" data-test-id="console-consumer">
            <h3 class="small-heading">{ "The whole topic, from the beginning" }</h3>
            <p class="small muted"><code class="wrap-code">{ command }</code></p>
            <div class="inline-form">
                <div class="field">
                    <label for="console-sep"><code>{ "key.separator" }</code></label>
                    <input id="console-sep" class="input input-small mono" size="6" value={(*separator).clone()} oninput={set_from_input(&separator)} data-test-id="console-separator" />
                </div>
                <button type="button" class="btn btn-small" {onclick} data-test-id="console-read">{ "Read all partitions" }</button>
            </div>
            { result.unwrap_or_default() }
        </div>
    }
}
