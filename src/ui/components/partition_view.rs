//! The log: for each partition of the shown topic, its clean / dirty /
//! uncleanable regions, the cleaner's markers, its segments in order and a
//! page of its records, with removed offsets drawn as gaps. Transactions:
//! a badge on transactional records, aborted ones hatched and labelled,
//! COMMIT / ABORT markers drawn as markers, and the last stable offset with
//! the open transaction that holds it.
//!
//! Only one page of records (at most [`PAGE`]) is drawn per partition, so a
//! log of any size stays fast; the segment strip and the pager move the page.

use std::rc::Rc;

use yew::prelude::*;

use super::{status_for, status_html, Panel, Shared};
use crate::cleaner::manager::LogToClean;
use crate::log::producer_state::ControlType;
use crate::scenario::command::{Clean, Roll};
use crate::scenario::Command;
use crate::ui::describe::plural;
use crate::ui::format;
use crate::ui::hooks::{exec_on, set_from_input, set_to, use_app};
use crate::ui::log_window::{self, gap_text, Cell, Item, Marker, Marks, Region, SegmentSummary, TxnOutcome, Window};
use crate::ui::state::{Origin, Status};
use crate::TopicPartition;

/// Records drawn per partition page (half as many when a topic has more
/// than two partitions, so the page stays short).
pub const PAGE: usize = 64;

/// Partitions drawn before "show more" (each draws up to [`PAGE`] records).
pub const PARTITIONS_SHOWN: usize = 6;

/// The shown topic's partitions.
#[function_component(LogPanel)]
pub fn log_panel() -> Html {
    let app = use_app();
    let shown = use_state(|| PARTITIONS_SHOWN);
    let Some(app) = app else { return Html::default() };
    let s = app.state();
    let Some(topic) = s.current_topic() else {
        return html! {
            <Panel title="The log" id="log-view">
                <p class="hint">{ "No topic yet: create one (Topics panel), or load a scenario." }</p>
            </Panel>
        };
    };
    let Ok(t) = s.shown().broker.topic(&topic) else {
        return Html::default();
    };
    let plan = s.shown().broker.plan_cleaning();
    let compacted = t.config().cleanup_policy.compact;
    let policy = t.config().cleanup_policy.to_string();
    let roll_all = exec_on(
        &app,
        Command::Roll(Roll {
            topic: topic.clone(),
            partition: None,
        }),
        Origin::Header,
    );
    let total = t.partitions().len();
    // The legend explains markers and aborted records once there are any.
    let transactions = s.shown().broker.producers().any(|p| p.transactional_id.is_some());
    // A lesson's last step: the records it wrote are highlighted.
    let lesson_appends: Vec<(TopicPartition, i64)> = s
        .session
        .entries
        .get(s.lesson.ran_by_current())
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| e.result.produced().map(|p| (p.topic_partition.clone(), p.offset)))
        .collect();
    let more = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(*shown + PARTITIONS_SHOWN * 4))
    };
    let partitions = t.partitions().iter().take(*shown).map(|log| {
        let p = log.partition();
        let pl = plan.iter().find(|c| c.topic_partition == *log.topic_partition()).cloned();
        let status = status_for(&s, &Origin::Partition(topic.clone(), p));
        let page = if total > 2 { PAGE / 2 } else { PAGE };
        let new_offsets = Rc::new(
            lesson_appends
                .iter()
                .filter(|(tp, _)| tp == log.topic_partition())
                .map(|(_, o)| *o)
                .collect::<Vec<_>>(),
        );
        html! { <PartitionView key={p} topic={topic.clone()} partition={p} plan={pl} {page} stamp={s.shown().log_stamp} now_ms={s.shown().broker.now_ms()} {status} store={Shared(app.clone())} {new_offsets} /> }
    });
    let actions = html! {
        <button type="button" class="btn btn-small" onclick={roll_all} data-test-id="roll-all"
            title="Roll the active segment of every partition">{ "Roll all partitions" }</button>
    };
    html! {
        <Panel title={format!("The log of {topic}")} id="log-view" subtitle={AttrValue::from(format!("cleanup.policy={policy}"))} {actions}>
            <Legend {compacted} {transactions} />
            if !compacted {
                <p class="hint">{ "This topic is not compacted: the cleaner never touches it; only retention (retention.ms, retention.bytes) deletes whole segments." }</p>
            }
            <div class="partitions">{ for partitions }</div>
            if total > *shown {
                <p class="more-partitions">
                    { format!("Showing {} of {total} partitions. ", *shown) }
                    <button type="button" class="btn btn-small" onclick={more} data-test-id="more-partitions">{ "Show more partitions" }</button>
                </p>
            }
        </Panel>
    }
}

#[derive(Properties, PartialEq)]
struct LegendProps {
    compacted: bool,
    /// Some partition holds transactional batches or markers.
    transactions: bool,
}

#[function_component(Legend)]
fn legend(p: &LegendProps) -> Html {
    html! {
        <details class="legend-fold" open={!crate::ui::browser::is_embed()}>
        <summary>{ "How to read the log" }</summary>
        <ul class="legend" aria-label="How to read the log">
            if p.compacted {
                <li><span class="swatch r-clean" aria-hidden="true"></span>{ "clean: cleaned before, below the checkpoint" }</li>
                <li><span class="swatch r-dirty" aria-hidden="true"></span>{ "dirty: what the next cleaning reads" }</li>
                <li><span class="swatch r-uncleanable" aria-hidden="true"></span>{ "uncleanable: active segment or too young" }</li>
            }
            <li><span class="swatch swatch-tomb" aria-hidden="true"></span>{ "tombstone (null value)" }</li>
            <li><span class="swatch swatch-gap" aria-hidden="true"></span>{ "removed offsets (a gap: offsets never change)" }</li>
            if p.transactions {
                <li><span class="swatch swatch-aborted" aria-hidden="true"></span>{ "✗ aborted: its transaction ended with an ABORT marker" }</li>
                <li><span class="swatch swatch-ctrl" aria-hidden="true"></span>{ "COMMIT / ABORT marker (a control batch)" }</li>
            }
        </ul>
        </details>
    }
}

#[derive(Properties, PartialEq)]
pub struct PartitionProps {
    pub topic: AttrValue,
    pub partition: u32,
    pub plan: Option<LogToClean>,
    /// Records per page.
    pub page: usize,
    /// The session's log stamp: the view redraws when a log may have changed.
    pub stamp: u64,
    pub now_ms: i64,
    /// The last action's message, when it came from this partition's buttons.
    pub status: Option<Status>,
    pub store: Shared,
    /// Offsets the lesson's last step appended here, drawn highlighted.
    #[prop_or_default]
    pub new_offsets: Rc<Vec<i64>>,
}

#[function_component(PartitionView)]
pub fn partition_view(props: &PartitionProps) -> Html {
    let from = use_state(|| None::<i64>);
    let goto = use_state(String::new);
    // The record open in the inspector, if any.
    let picked = use_state(|| None::<i64>);
    let app = props.store.0.clone();
    let s = app.state();
    let topic = props.topic.to_string();
    let p = props.partition;
    let Ok(log) = s.shown().broker.partition(&topic, p) else {
        return Html::default();
    };
    let marks = Marks::of(log, props.plan.as_ref());
    let start = (*from).unwrap_or(marks.log_start);
    let w = log_window::window(log, &marks, start, props.page);
    let segs = log_window::segments(log, &marks);
    let id = TopicPartition::new(topic.clone(), p).to_string();
    let now = props.now_ms;

    let set_from = |o: Option<i64>| set_to(&from, o);
    let origin = Origin::Partition(topic.clone(), p);
    let roll = exec_on(
        &app,
        Command::Roll(Roll {
            topic: topic.clone(),
            partition: Some(p),
        }),
        origin.clone(),
    );
    let clean = exec_on(
        &app,
        Command::Clean(Clean {
            target: Some(TopicPartition::new(topic.clone(), p)),
        }),
        origin,
    );
    let ongoto = {
        let (from, goto) = (from.clone(), goto.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Ok(o) = goto.trim().parse::<i64>() {
                from.set(Some(o));
            }
        })
    };
    let ongoto_input = set_from_input(&goto);

    let records = w.total;
    let first_shown = w
        .items
        .iter()
        .find_map(|i| if let Item::Record(c) = i { Some(c.offset) } else { None });
    let last_shown = w
        .items
        .iter()
        .rev()
        .find_map(|i| if let Item::Record(c) = i { Some(c.offset) } else { None });
    let compacted = props.plan.is_some();

    html! {
        <article class="partition" data-test-id={format!("partition-{id}")} aria-labelledby={format!("ph-{id}")}>
            <header class="part-head">
                <h3 id={format!("ph-{id}")}>{ id.clone() }</h3>
                <p class="part-stats" data-test-id={format!("stats-{id}")}>
                    { format!("{} record{} · {} segment{} · {} · log start {} · log end {}",
                        format::count(records), plural(records as usize),
                        segs.len(), plural(segs.len()),
                        format::bytes(log.size_bytes()), marks.log_start, marks.log_end) }
                </p>
                <div class="part-actions">
                    <button type="button" class="btn btn-small" onclick={roll} data-test-id={format!("roll-{id}")}
                        title="Close the active segment and open a new, empty one at the log end offset">{ "Roll segment" }</button>
                    if compacted {
                        <button type="button" class="btn btn-small" onclick={clean} data-test-id={format!("clean-{id}")}
                            title="Clean this partition from its first dirty offset to its first uncleanable offset, whatever its dirty ratio">{ "Clean this partition now" }</button>
                    }
                </div>
            </header>
            { status_html(props.status.as_ref(), &format!("partition-message-{id}")) }
            { region_bar(props.plan.as_ref(), &marks, log.size_bytes()) }
            { marker_list(&marks, &id) }
            { segment_strip(&segs, first_shown, last_shown, &from, &id) }
            if w.total == 0 {
                <p class="hint empty-part" data-test-id={format!("empty-{id}")}>{ format!("No records yet: every marker is at offset {}.", marks.log_end) }</p>
            } else {
            if w.total > props.page as u64 {
            <div class="pager" role="group" aria-label={format!("Pages of {id}")}>
                <span class="pager-pos" data-test-id={format!("page-{id}")}>
                    { if w.shown == 0 { "No records".to_string() } else {
                        format!("Records {}–{} of {}", format::count(w.first_index + 1), format::count(w.first_index + w.shown), format::count(w.total)) } }
                </span>
                <button type="button" class="btn btn-small" disabled={w.prev_start.is_none()} onclick={set_from(Some(marks.log_start))} aria-label="First page">{ "« First" }</button>
                <button type="button" class="btn btn-small" disabled={w.prev_start.is_none()} onclick={set_from(w.prev_start)} aria-label="Previous page">{ "◀ Prev" }</button>
                <button type="button" class="btn btn-small" disabled={w.next_start.is_none()} onclick={set_from(w.next_start)} aria-label="Next page" data-test-id={format!("next-page-{id}")}>{ "Next ▶" }</button>
                <button type="button" class="btn btn-small" disabled={w.next_start.is_none()} onclick={set_from(w.last_start)} aria-label="Last page" data-test-id={format!("last-page-{id}")}>{ "Last »" }</button>
                <form class="goto" onsubmit={ongoto}>
                    <label for={format!("goto-{id}")}>{ "Go to offset" }</label>
                    <input id={format!("goto-{id}")} class="input input-small" inputmode="numeric" size="6" value={(*goto).clone()} oninput={ongoto_input} data-test-id={format!("goto-{id}")} />
                </form>
            </div>
            }
            { strip(&w, &marks, now, &id, &picked, &props.new_offsets) }
            if let Some(offset) = *picked {
                <super::record_inspector::RecordInspector topic={AttrValue::from(topic.clone())} partition={p} {offset}
                    store={props.store.clone()} on_close={close_inspector(&picked, &id, offset)} />
            }
            }
        </article>
    }
}

/// The region sizes (bytes, as the dirty ratio counts them) as a bar with
/// text labels.
fn region_bar(plan: Option<&LogToClean>, marks: &Marks, size: u64) -> Html {
    let Some(pl) = plan else {
        return html! {
            <div class="region-bar" role="img" aria-label={format!("{} in the log; not compacted", format::bytes(size))}>
                <div class="region r-none" style="width:100%"><span>{ format!("{} · not compacted", format::bytes(size)) }</span></div>
            </div>
        };
    };
    let total = pl.clean_bytes + pl.cleanable_bytes + pl.uncleanable_bytes;
    if total == 0 {
        return html! { <div class="region-bar empty" role="img" aria-label="empty log"><span>{ "empty log" }</span></div> };
    }
    let f = marks.first_dirty.unwrap_or(marks.log_start);
    let u = marks.first_uncleanable.unwrap_or(marks.log_end);
    let parts = [
        (Region::Clean, pl.clean_bytes, format!("[{}, {f})", marks.log_start)),
        (Region::Dirty, pl.cleanable_bytes, format!("[{f}, {u})")),
        (
            Region::Uncleanable,
            pl.uncleanable_bytes,
            format!("[{u}, {})", marks.log_end),
        ),
    ];
    let label = parts
        .iter()
        .map(|(r, b, range)| format!("{} {} {range}", r.label(), format::bytes(*b)))
        .collect::<Vec<_>>()
        .join("; ");
    let bars = parts.iter().filter(|(_, b, _)| *b > 0).map(|(r, b, range)| {
        let pct = (*b as f64 / total as f64 * 100.0).max(1.5);
        let text = format!("{} {}", r.label(), format::bytes(*b));
        html! {
            <div class={classes!("region", r.class())} style={format!("flex-grow:{pct:.3}")} title={format!("{text}, offsets {range}")}>
                <span>{ text }</span>
            </div>
        }
    });
    html! {
        <div class="region-bar" role="img" aria-label={format!("Bytes by region: {label}")}>{ for bars }</div>
    }
}

/// The four offsets, as text.
fn marker_list(m: &Marks, id: &str) -> Html {
    let bound = m.bound.map(|b| format!(" ({})", b.describe())).unwrap_or_default();
    html! {
        <dl class="marks" data-test-id={format!("marks-{id}")}>
            <div><dt>{ "log start" }</dt><dd data-test-id="mark-log-start">{ m.log_start }</dd></div>
            if let Some(f) = m.first_dirty {
                <div><dt>{ "first dirty (cleaner checkpoint)" }</dt><dd data-test-id="mark-first-dirty">{ f }</dd></div>
            }
            if let Some(u) = m.first_uncleanable {
                <div title={bound.clone()}><dt>{ "first uncleanable" }</dt><dd data-test-id="mark-first-uncleanable">{ u }<span class="muted">{ bound.clone() }</span></dd></div>
            }
            if let Some(why) = m.lso_reason() {
                <div title={why.clone()}><dt>{ "last stable offset (LSO)" }</dt><dd data-test-id="mark-lso">{ m.last_stable }<span class="muted">{ format!(" ({why})") }</span></dd></div>
            }
            <div><dt>{ "log end offset (LEO)" }</dt><dd data-test-id="mark-leo">{ m.log_end }</dd></div>
        </dl>
    }
}

/// Segments in order as boxes; long lists keep the ends and the segments
/// around the shown page.
fn segment_strip(
    segs: &[SegmentSummary],
    first: Option<i64>,
    last: Option<i64>,
    from: &UseStateHandle<Option<i64>>,
    id: &str,
) -> Html {
    let n = segs.len();
    let viewing = |s: &SegmentSummary| match (first, last) {
        (Some(a), Some(b)) => {
            s.base_offset <= b
                && (s.next_offset > a || s.active || s.next_offset == s.base_offset && s.base_offset >= a)
        }
        _ => s.active,
    };
    let centre_lo = segs.iter().position(viewing).unwrap_or(n.saturating_sub(1));
    let centre_hi = segs.iter().rposition(viewing).unwrap_or(centre_lo);
    let keep = |i: usize| n <= 24 || i < 2 || i + 2 >= n || (i + 6 >= centre_lo && i <= centre_hi + 6);
    let mut out = Vec::new();
    let mut hidden = 0usize;
    for s in segs {
        if !keep(s.index) {
            hidden += 1;
            continue;
        }
        if hidden > 0 {
            out.push(html! { <li class="seg-more" aria-label={format!("{hidden} segments not shown")}>{ format!("… {hidden} …") }</li> });
            hidden = 0;
        }
        let onclick = set_to(from, Some(s.base_offset));
        let region = s.region;
        let desc = format!(
            "segment at base offset {} · {} · {} record{} · {}{}",
            s.base_offset,
            format::bytes(s.size_bytes),
            s.records,
            plural(s.records as usize),
            region.label(),
            if s.active { " · active segment" } else { "" }
        );
        out.push(html! {
            <li>
                <button type="button" class={classes!("seg", region.class(), s.active.then_some("seg-active"), viewing(s).then_some("seg-viewing"))}
                    {onclick} title={desc.clone()} aria-label={format!("Show {desc}")} data-test-id="segment" data-base={s.base_offset.to_string()}>
                    <span class="seg-base">{ format!("@{}", s.base_offset) }</span>
                    <span class="seg-size">{ format::bytes(s.size_bytes) }</span>
                    <span class="seg-count">{ format!("{} rec", s.records) }</span>
                    if s.active { <span class="badge badge-active">{ "active" }</span> }
                </button>
            </li>
        });
    }
    html! {
        <div class={classes!("segments", (n == 1).then_some("seg-single"))}>
            <span class="segments-label" id={format!("segs-{id}")}>{ format!("Segments ({n})") }</span>
            <ol class="seg-list" aria-labelledby={format!("segs-{id}")}>{ for out }</ol>
        </div>
    }
}

/// Shuts the inspector and gives focus back to the record it showed.
fn close_inspector(picked: &UseStateHandle<Option<i64>>, id: &str, offset: i64) -> Callback<()> {
    let (picked, target) = (picked.clone(), format!("rec-{id}-{offset}"));
    Callback::from(move |()| {
        picked.set(None);
        crate::ui::browser::focus(&target);
    })
}

/// The page of records with gaps, segment starts and markers.
fn strip(w: &Window, marks: &Marks, now: i64, id: &str, picked: &UseStateHandle<Option<i64>>, new: &[i64]) -> Html {
    let items = w.items.iter().map(|item| match item {
        Item::Segment { base_offset, size_bytes, records, active, continued } => html! {
            <div class="seg-start" role="listitem">
                <span>{ if *continued { format!("segment @{base_offset} (continued)") } else { format!("segment @{base_offset}") } }</span>
                <span class="muted">{ format!(" · {} · {} record{}", format::bytes(*size_bytes), records, plural(*records as usize)) }</span>
                if *active { <span class="badge badge-active">{ "active segment: never cleaned" }</span> }
            </div>
        },
        Item::Marker { marker, offset } => marker_flag(*marker, *offset, marks),
        Item::Control { offset, kind, producer_id, producer_epoch, timestamp_ms, delete_horizon_ms } => {
            let name = kind.map_or("CONTROL", ControlType::name);
            let horizon = delete_horizon_ms.map(|h| if h <= now {
                " · delete horizon passed: the next cleaning that may drop it removes it".to_string()
            } else {
                format!(" · delete horizon {}", format::time(h))
            }).unwrap_or_default();
            html! {
                <div class={classes!("ctrl", match kind { Some(ControlType::Abort) => "ctrl-abort", _ => "ctrl-commit" })} role="listitem"
                    data-test-id="control-marker" data-type={name} data-offset={offset.to_string()}
                    title={format!("offset {offset} · {name} marker (control batch) of producer {producer_id}, epoch {producer_epoch} · {}{horizon}", format::time(*timestamp_ms))}>
                    <span class="ctrl-name">{ format!("{name} marker") }</span>
                    <span class="ctrl-pid">{ format!("producer {producer_id}") }</span>
                    <span class="marker-off">{ *offset }</span>
                </div>
            }
        }
        Item::Gap { from, to } => html! {
            <div class="gap" role="listitem" data-test-id="gap" data-from={from.to_string()} data-to={to.to_string()}>
                <span aria-hidden="true">{ "⋯ " }</span>{ gap_text(*from, *to) }
            </div>
        },
        Item::Record(c) => {
            let open = **picked == Some(c.offset);
            let (picked, offset) = (picked.clone(), c.offset);
            let onclick = Callback::from(move |_: MouseEvent| picked.set((!open).then_some(offset)));
            record_cell_with(c, now, Some(Pick { onclick, open, id, new: new.contains(&c.offset) }))
        }
    });
    html! {
        <div class="strip" data-test-id={format!("records-{id}")} aria-label={format!("Records of {id}")} role="list">{ for items }</div>
    }
}

fn marker_flag(m: Marker, offset: i64, marks: &Marks) -> Html {
    let test = match m {
        Marker::LogStart => "marker-log-start",
        Marker::FirstDirty => "marker-first-dirty",
        Marker::FirstUncleanable => "marker-first-uncleanable",
        Marker::LastStable => "marker-lso",
        Marker::LogEnd => "marker-leo",
    };
    let why = (m == Marker::LastStable).then(|| marks.lso_reason()).flatten();
    let label = match &why {
        Some(w) => format!("marker: {} at offset {offset}: {w}", m.label()),
        None => format!("marker: {} at offset {offset}", m.label()),
    };
    html! {
        <div class={classes!("marker", m.class())} data-test-id={test} role="listitem" aria-label={label}>
            <span class="marker-label">{ m.label() }</span>
            <span class="marker-short" aria-hidden="true">{ m.short() }</span>
            <span class="marker-off">{ offset }</span>
            if let Some(w) = why { <span class="marker-why">{ w }</span> }
        </div>
    }
}

/// A record drawn as a button that opens the inspector.
pub struct Pick<'a> {
    pub onclick: Callback<MouseEvent>,
    /// This record is the one open.
    pub open: bool,
    /// The partition's name (the button's element id).
    pub id: &'a str,
    /// The lesson's last step wrote it: drawn highlighted.
    pub new: bool,
}

/// One record: offset, key, value; tombstones drawn differently, with
/// their delete horizon when the cleaner stamped one.
pub fn record_cell(c: &Cell, now: i64) -> Html {
    record_cell_with(c, now, None)
}

/// [`record_cell`], as a button that opens the record inspector when
/// `pick` is given.
pub fn record_cell_with(c: &Cell, now: i64, pick: Option<Pick<'_>>) -> Html {
    let key = c.key.as_ref().map_or("null".to_string(), |k| k.text.clone());
    let tomb = c.value.is_none();
    let value = c.value.as_ref().map(|v| v.text.clone());
    let horizon = c.delete_horizon_ms.filter(|_| tomb);
    let (batch_base, batch_last, batch_size) = c.batch;
    let batch = if batch_base == batch_last {
        format!("batch of 1 record, {batch_size} bytes")
    } else {
        format!("batch {batch_base}–{batch_last}, {batch_size} bytes")
    };
    let txn = c.producer.and_then(|p| p.txn);
    let title = format!(
        "offset {} · key {} · {} · {} · {} · {batch}{}{}",
        c.offset,
        key,
        match &c.value {
            Some(v) => format!(
                "value {}{}",
                format::clip(&v.text, 200),
                if v.cut {
                    format!(" … ({} bytes)", v.len)
                } else {
                    String::new()
                }
            ),
            None => "tombstone (null value)".to_string(),
        },
        format::time(c.timestamp_ms),
        c.region.label(),
        match horizon {
            Some(h) if h <= now => format!(
                " · delete horizon {} passed: the next cleaning of this range removes it",
                format::time(h)
            ),
            Some(h) => format!(" · delete horizon {}", format::time(h)),
            None => String::new(),
        },
        c.producer.map(|p| format!(" · {}", p.describe())).unwrap_or_default()
    );
    let body = html! {
        <>
            <span class="rec-top"><span class="rec-off">{ c.offset }</span><span class="rec-size">{ format!("{batch_size} B") }</span></span>
            <span class="rec-key">{ format::clip(&key, 14) }</span>
            if let Some(v) = value {
                <span class="rec-val">{ format::clip(&v, 18) }</span>
            } else {
                <span class="rec-val rec-tomb">{ "⌫ tombstone" }</span>
            }
            <span class="rec-ts">{ format::time_of_day(c.timestamp_ms) }</span>
            if let Some(t) = txn {
                <span class={classes!("rec-txn", match t { TxnOutcome::Aborted => "txn-aborted", TxnOutcome::Open => "txn-open", TxnOutcome::Committed => "txn-committed" })}
                    data-test-id="txn-badge" data-outcome={t.label()}>
                    { match t { TxnOutcome::Aborted => "✗ aborted", TxnOutcome::Open => "txn open", TxnOutcome::Committed => "txn ✓" } }
                </span>
            }
            if let Some(h) = horizon {
                <span class={classes!("rec-horizon", (h <= now).then_some("passed"))} data-test-id="delete-horizon">
                    { if h <= now { "horizon passed".to_string() } else { format!("horizon {}", format::short_precise(h)) } }
                </span>
            }
        </>
    };
    let class = classes!(
        "rec",
        c.region.class(),
        tomb.then_some("tomb"),
        (txn == Some(TxnOutcome::Aborted)).then_some("rec-aborted")
    );
    match pick {
        // Focusable and clickable: a button in the list item.
        Some(Pick { onclick, open, id, new }) => html! {
            <div class={classes!("rec-slot", new.then_some("rec-new"))} role="listitem">
                <button type="button" id={format!("rec-{id}-{}", c.offset)} class={classes!(class, "rec-button", open.then_some("rec-open"))} {title} {onclick}
                    aria-expanded={open.to_string()} aria-label={format!("Record at offset {}, key {key}{}: open it in full", c.offset, txn.map(|t| format!(", {}", t.label())).unwrap_or_default())}
                    data-test-id="record" data-offset={c.offset.to_string()} data-key={key.clone()}>{ body }</button>
            </div>
        },
        None => html! {
            <div {class} role="listitem" {title} data-test-id="record" data-offset={c.offset.to_string()} data-key={key.clone()}>{ body }</div>
        },
    }
}
