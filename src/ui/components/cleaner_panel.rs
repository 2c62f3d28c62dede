//! The log cleaner: each compacted partition's dirty ratio against its
//! `min.cleanable.dirty.ratio` (a small bar chart), whether it is eligible
//! and why in the engine's words, the buttons that run it, the cleaner's
//! report of the last run and a before/after view of the partition cleaned.
//! Per partition, "When?" shows the engine's outlook (when it becomes
//! eligible and is cleaned, what it waits for, each tombstone's horizon)
//! and "Dry run" what a cleaning now would keep and remove, changing
//! nothing (`LogManager::dry_run`, drawn with the same before/after view).

use std::rc::Rc;

use yew::prelude::*;

use super::partition_view::record_cell;
use super::{inline_status, Panel};
use crate::cleaner::manager::LogToClean;
use crate::log_manager::{RemovedWhy, Wait};
use crate::scenario::command::{Clean, Retention};
use crate::scenario::Command;
use crate::snapshot::materialize;
use crate::topic_partition::TopicPartition;
use crate::ui::describe::{self, plural};
use crate::ui::fates::{fates, Fate, Fates};
use crate::ui::format;
use crate::ui::hooks::{dispatch_on, exec_on, set_to, use_app, AppHandle};
use crate::ui::log_window::gap_text;
use crate::ui::session::{CleanCompare, EntryKind};
use crate::ui::state::{Action, Origin};

/// Records of the "before" log drawn in the before/after view.
const FATE_RECORDS: usize = 300;

/// Partitions listed before "show all" (the chosen and eligible ones first).
const ROWS_SHOWN: usize = 8;

/// What the panel inspects: a partition's outlook or its dry run.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Look {
    When(TopicPartition),
    DryRun(TopicPartition),
}

#[function_component(CleanerPanel)]
pub fn cleaner_panel() -> Html {
    let app = use_app();
    let show_all = use_state(|| false);
    let look = use_state(|| None::<Look>);
    let Some(app) = app else { return Html::default() };
    let s = app.state();
    let mut plan = s.shown().broker.plan_cleaning();
    // The chosen partition, then the eligible ones, then the dirtiest.
    plan.sort_by(|a, b| {
        (b.chosen, b.eligible)
            .cmp(&(a.chosen, a.eligible))
            .then(b.dirty_ratio.total_cmp(&a.dirty_ratio))
            .then(a.topic_partition.cmp(&b.topic_partition))
    });
    let total = plan.len();
    let toggle = set_to(&show_all, !*show_all);
    let enabled = s.shown().broker.broker_config().log_cleaner_enable;
    let run = dispatch_on(&app, Action::run_cleaner(Origin::Cleaner));
    let retention = exec_on(&app, Command::Retention(Retention), Origin::Cleaner);
    let rows = plan
        .iter()
        .take(if *show_all { total } else { ROWS_SHOWN })
        .map(|c| ratio_row(c, &app, &look));
    let last = s.shown().latest(EntryKind::Clean);
    let actions = html! {
        <>
            <button type="button" class="btn btn-primary btn-small" onclick={run} data-test-id="run-cleaner-panel">{ "Run cleaner" }</button>
            <button type="button" class="btn btn-small" onclick={retention} data-test-id="run-retention"
                title="One retention pass over topics whose policy is delete only (compacted topics get theirs with each cleaner run)">{ "Run retention" }</button>
        </>
    };
    html! {
        <Panel title="Log cleaner" id="cleaner" {actions}>
            <p class="hint">{ "A cleaner thread's iteration cleans the eligible compacted partition with the highest dirty ratio (dirty bytes ÷ (clean + dirty bytes), counted in whole segments). Eligible: ratio strictly above min.cleanable.dirty.ratio, or max.compaction.lag.ms exceeded." }</p>
            if !enabled {
                <p class="msg msg-info">{ "log.cleaner.enable=false: no cleaner thread runs, so \"Run cleaner\" compacts nothing." }</p>
            }
            { inline_status(&s, &Origin::Cleaner, "cleaner-message") }
            if plan.is_empty() {
                <p class="hint">{ "No compacted partitions yet." }</p>
            } else {
                <ul class="ratios" aria-label="Dirty ratio of each compacted partition against its threshold">{ for rows }</ul>
                if total > ROWS_SHOWN {
                    <button type="button" class="btn btn-small" onclick={toggle} data-test-id="ratios-toggle">
                        { if *show_all { "Show fewer partitions".to_string() } else { format!("Show all {total} compacted partitions") } }
                    </button>
                }
            }
            if let Some(l) = (*look).clone() {
                <Inspect look={l} stamp={s.shown().log_stamp} now={s.shown().broker.now_ms()} />
            }
            if let Some(e) = last {
                <section class="last-run" aria-labelledby="last-run-h">
                    <h3 id="last-run-h">{ format!("Last cleaner run (step #{} at {})", e.seq, format::time(e.now_ms)) }</h3>
                    <pre class="report" data-test-id="cleaner-report" tabindex="0" aria-label="The cleaner log of the last run">{ e.result.cleaned().map(|c| c.report.join("\n")).unwrap_or_default() }</pre>
                </section>
            }
            if let Some(c) = &s.shown().last_clean {
                <Compare compare={Same(Rc::clone(c))} />
            }
        </Panel>
    }
}

/// One partition's ratio against its threshold, with the verdict.
fn ratio_row(c: &LogToClean, app: &AppHandle, look: &UseStateHandle<Option<Look>>) -> Html {
    let when = set_to(look, Some(Look::When(c.topic_partition.clone())));
    let dry = set_to(look, Some(Look::DryRun(c.topic_partition.clone())));
    let id = c.topic_partition.to_string();
    let (badge, badge_class) = if c.chosen {
        ("★ next to clean", "badge badge-chosen")
    } else if c.eligible {
        ("✓ eligible", "badge badge-ok")
    } else {
        ("✕ not eligible", "badge badge-no")
    };
    let ratio = c.dirty_ratio.clamp(0.0, 1.0) * 100.0;
    let threshold = c.min_cleanable_dirty_ratio.clamp(0.0, 1.0) * 100.0;
    let clean = exec_on(
        app,
        Command::Clean(Clean {
            target: Some(c.topic_partition.clone()),
        }),
        Origin::Cleaner,
    );
    let above = c.dirty_ratio > c.min_cleanable_dirty_ratio;
    html! {
        <li class="ratio-row" data-test-id={format!("ratio-{id}")}>
            <div class="ratio-head">
                <strong class="mono">{ id.clone() }</strong>
                <span class={badge_class} data-test-id="ratio-verdict">{ badge }</span>
                <button type="button" class="btn btn-small ratio-clean" onclick={clean} data-test-id={format!("clean-now-{id}")}
                    disabled={c.first_uncleanable_offset <= c.first_dirty_offset}
                    title="Clean this partition now, whatever its dirty ratio">{ "Clean now" }</button>
                <button type="button" class="btn btn-small" onclick={when} data-test-id={format!("when-{id}")}
                    title="When will it be cleaned, what does it wait for, when do its tombstones go">{ "When?" }</button>
                <button type="button" class="btn btn-small" onclick={dry} data-test-id={format!("dry-run-{id}")}
                    title="What a cleaning now would keep and remove, without changing anything">{ "Dry run" }</button>
            </div>
            <svg class="ratio-bar" viewBox="0 0 100 12" preserveAspectRatio="none" role="img"
                aria-label={format!("dirty ratio {} against threshold {}", format::ratio(c.dirty_ratio), format::ratio(c.min_cleanable_dirty_ratio))}>
                <rect class="ratio-track" x="0" y="2" width="100" height="8" />
                <rect class={classes!("ratio-fill", above.then_some("above"))} x="0" y="2" width={format!("{ratio:.2}")} height="8" />
                <line class="ratio-threshold" x1={format!("{threshold:.2}")} x2={format!("{threshold:.2}")} y1="0" y2="12" />
            </svg>
            <p class="ratio-nums">
                { format!("dirty ratio {} {} min.cleanable.dirty.ratio {}", format::ratio(c.dirty_ratio), if above { ">" } else { "≤" }, format::ratio(c.min_cleanable_dirty_ratio)) }
                <span class="muted">{ format!(" · clean {} · dirty {} · uncleanable {}", format::bytes(c.clean_bytes), format::bytes(c.cleanable_bytes), format::bytes(c.uncleanable_bytes)) }</span>
                if c.max_compaction_delay_ms > 0 {
                    <span class="warn-text">{ format!(" · max.compaction.lag.ms exceeded by {}", crate::clock::format_duration(c.max_compaction_delay_ms)) }</span>
                }
            </p>
            <p class="ratio-reason" data-test-id="ratio-reason">{ c.reason.to_string() }</p>
        </li>
    }
}

/// The last cleaning, compared by identity (comparing two logs of
/// thousands of records on every redraw would cost more than drawing).
#[derive(Clone)]
struct Same(Rc<CleanCompare>);

impl PartialEq for Same {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
struct CompareProps {
    compare: Same,
    /// The heading (default: the last cleaning's).
    #[prop_or_default]
    title: Option<String>,
}

#[function_component(Compare)]
fn compare(p: &CompareProps) -> Html {
    let c: &CleanCompare = &p.compare.0;
    let key = (
        c.seq,
        c.before.log_end_offset(),
        c.after.size_bytes(),
        c.result.end_offset,
    );
    let same_state = use_memo(key, |_| {
        let (b, a) = (materialize(&c.before), materialize(&c.after));
        (b == a, b.len(), a.len())
    });
    let name = c.result.topic_partition.to_string();
    let (b_rec, a_rec) = (c.before.record_count(), c.after.record_count());
    let segs = |l: &crate::log::PartitionLog| {
        l.segments()
            .iter()
            .map(|s| format!("@{}", s.base_offset()))
            .collect::<Vec<_>>()
            .join(" ")
    };

    // What became of each record of the before log (the first few hundred).
    let Fates { items: fates, shown } = fates(c, FATE_RECORDS);
    let items = fates.iter().map(|f| match f {
        Fate::Kept(cell) => record_cell(cell, c.result.now_ms),
        Fate::Removed { from, to, count, keys } => html! {
            <div class="gap gap-removed" role="listitem" data-test-id="removed-run" title={format!("keys: {}", keys.join(", "))}>
                <span aria-hidden="true">{ "✕ " }</span>{ gap_text(*from, *to) }
                <span class="muted">{ format!(" ({count} record{}: {})", plural(*count as usize), format::clip(&keys.join(", "), 40)) }</span>
            </div>
        },
    });
    let s = &c.result.stats;
    let (same, b_keys, a_keys) = *same_state;
    html! {
        <section class="compare" aria-labelledby="compare-h" data-test-id="clean-compare">
            <h3 id="compare-h">{ p.title.clone().unwrap_or_else(|| format!("Before and after: {name} (step #{})", c.seq)) }</h3>
            <table class="compare-table">
                <thead><tr><th scope="col"><span class="sr-only">{ "measure" }</span></th><th scope="col">{ "before" }</th><th scope="col">{ "after" }</th></tr></thead>
                <tbody>
                    <tr><th scope="row">{ "records" }</th><td>{ format::count(b_rec) }</td><td data-test-id="after-records">{ format::count(a_rec) }</td></tr>
                    <tr><th scope="row">{ "size" }</th><td>{ format::bytes(c.before.size_bytes()) }</td><td>{ format::bytes(c.after.size_bytes()) }</td></tr>
                    <tr><th scope="row">{ "segments" }</th><td class="mono small">{ format::clip(&segs(&c.before), 80) }</td><td class="mono small">{ format::clip(&segs(&c.after), 80) }</td></tr>
                    <tr><th scope="row">{ "log start / end" }</th>
                        <td>{ format!("{} / {}", c.before.log_start_offset(), c.before.log_end_offset()) }</td>
                        <td>{ format!("{} / {}", c.after.log_start_offset(), c.after.log_end_offset()) }<span class="muted">{ " (offsets never change)" }</span></td></tr>
                    <tr><th scope="row">{ "first dirty offset" }</th><td>{ c.first_dirty_before }</td><td>{ c.first_dirty_after }</td></tr>
                    <tr><th scope="row">{ "state (key → latest value)" }</th><td>{ format!("{b_keys} key{}", plural(b_keys)) }</td>
                        <td data-test-id="state-unchanged">{ format!("{a_keys} key{} · {}", plural(a_keys), if same { "✓ identical" } else { "✕ differs" }) }</td></tr>
                </tbody>
            </table>
            <p class="hint" data-test-id="cleaning-stats">{ cleaning_stats(s) }</p>
            <h4>{ format!("What became of each record (first {} of {})", format::count(shown), format::count(b_rec)) }</h4>
            <div class="strip fate" role="list" aria-label="Records before cleaning: kept ones drawn, removed ones as crossed-out ranges">{ for items }</div>
        </section>
    }
}

/// One sentence on a cleaning's counters, in the table's number formats.
fn cleaning_stats(s: &crate::cleaner::stats::CleanerStats) -> String {
    let smaller = if s.bytes_read == 0 {
        0.0
    } else {
        100.0 * (1.0 - s.bytes_written as f64 / s.bytes_read as f64)
    };
    format!(
        "Read {} record{} ({}), wrote {} ({}): {smaller:.1}% smaller. Tombstones stamped: {}, removed: {}.",
        format::count(s.messages_read),
        plural(usize::try_from(s.messages_read).unwrap_or(usize::MAX)),
        format::bytes(s.bytes_read),
        format::count(s.messages_written),
        format::bytes(s.bytes_written),
        format::count(s.tombstones_stamped),
        format::count(s.tombstones_removed),
    )
}

#[derive(Properties, PartialEq)]
struct InspectProps {
    look: Look,
    /// The session's log stamp and clock: what is shown is recomputed when
    /// they move.
    stamp: u64,
    now: i64,
}

/// A partition's outlook ("When?") or dry run, from the engine.
#[function_component(Inspect)]
fn inspect(p: &InspectProps) -> Html {
    let app = use_app();
    let dry = {
        let app = app.clone();
        use_memo((p.look.clone(), p.stamp, p.now), move |(look, _, _)| {
            let Look::DryRun(tp) = look else { return None };
            let app = app?;
            let s = app.state();
            let b = &s.shown().broker;
            let dry = b.dry_run(&tp.topic, tp.partition);
            Some(dry.map_err(|e| e.to_string()).map(|d| {
                let before = b.partition(&tp.topic, tp.partition).ok().cloned();
                let compare = match (before, d.after.clone(), d.cleaning.clone()) {
                    (Some(before), Some(after), Some(result)) => Some(Rc::new(CleanCompare {
                        seq: s.shown().entries.len(),
                        before,
                        after,
                        first_dirty_before: d.decision.first_dirty_offset,
                        first_dirty_after: result.end_offset,
                        result,
                    })),
                    _ => None,
                };
                (d, compare)
            }))
        })
    };
    let Some(app) = app else { return Html::default() };
    let s = app.state();
    match &p.look {
        Look::DryRun(tp) => match dry.as_ref() {
            Some(Ok((d, compare))) => {
                let mut superseded = 0;
                let mut expired = 0;
                let mut other = 0;
                for r in &d.removed_records {
                    match r.why {
                        RemovedWhy::Superseded { .. } => superseded += 1,
                        RemovedWhy::TombstoneExpired => expired += 1,
                        RemovedWhy::Other => other += 1,
                    }
                }
                let verdict = if d.decision.eligible {
                    format!("A cleaner thread would pick it now: {}.", d.decision.reason)
                } else {
                    format!(
                        "A cleaner thread would not pick it now ({}); `clean {tp}` would do this.",
                        d.decision.reason
                    )
                };
                let first = d.removed_records.iter().take(12).map(|r| {
                    let key = r.key.clone().unwrap_or_else(|| "null".to_string());
                    let why = match r.why {
                        RemovedWhy::Superseded { by } => format!("superseded by offset {by}"),
                        RemovedWhy::TombstoneExpired => "tombstone past its delete horizon".to_string(),
                        RemovedWhy::Other => "not retained by the cleaner".to_string(),
                    };
                    html! { <li><span class="mono">{ format!("{} {key}", r.offset) }</span>{ format!(": {why}") }</li> }
                });
                html! {
                    <section class="inspect" aria-labelledby="inspect-h" data-test-id="dry-run">
                        <h3 id="inspect-h">{ format!("Dry run: what the cleaner would do to {tp} now (nothing changes)") }</h3>
                        <p data-test-id="dry-run-summary">{ format!("{} record{} would stay, {} would go", format::count(d.kept), plural(d.kept as usize), format::count(d.removed)) }
                            { format!(" ({superseded} superseded by a later record of their key, {expired} expired tombstone{}, {other} other).", plural(expired)) }</p>
                        <p class="hint">{ verdict }</p>
                        if d.cleaning.is_none() {
                            <p class="hint">{ "Nothing lies between the first dirty offset and the first uncleanable one: a cleaning now would change nothing." }</p>
                        }
                        <ul class="dry-removed" data-test-id="dry-run-removed">{ for first }</ul>
                        if let Some(c) = compare {
                            <Compare compare={Same(Rc::clone(c))} title={Some(format!("Would be, after a cleaning now: {tp}"))} />
                        }
                    </section>
                }
            }
            Some(Err(e)) => html! { <p class="msg msg-error">{ e.clone() }</p> },
            None => Html::default(),
        },
        Look::When(tp) => match s.shown().broker.outlook(&tp.topic, tp.partition) {
            Ok(o) => {
                let at = |t: i64| format!("{} ({})", format::time(t), format::since_start(t));
                let head = match (o.eligible_at_ms, o.cleaning_at_ms) {
                    (Some(e), _) if e <= o.now_ms && o.cleaning_at_ms == Some(o.now_ms) => {
                        "Eligible now: the next cleaner wake cleans it.".to_string()
                    }
                    (Some(e), Some(c)) => format!(
                        "Eligible {}; cleaned by the cleaner threads at {} if the broker runs.",
                        if e <= o.now_ms {
                            "now".to_string()
                        } else {
                            format!("at {}", at(e))
                        },
                        at(c)
                    ),
                    (Some(e), None) => format!(
                        "Eligible {}, but no cleaner thread runs (log.cleaner.enable=false).",
                        if e <= o.now_ms {
                            "now".to_string()
                        } else {
                            format!("at {}", at(e))
                        }
                    ),
                    (None, _) => "Not eligible with the records it has: it needs more appends (see what it waits for)."
                        .to_string(),
                };
                let waits = o
                    .waits_for
                    .iter()
                    .map(|w| html! { <li data-test-id="wait">{ wait_text(w, &at) }</li> });
                let tombs = o.tombstones.iter().take(20).map(|t| {
                    let what = describe::tombstone_wait(&t.waits_for, o.now_ms);
                    html! { <li><span class="mono">{ format!("{} {}", t.offset, t.key) }</span>{ format!(": {what}") }</li> }
                });
                let more = o.tombstones.len().saturating_sub(20) as u64 + o.more_tombstones;
                html! {
                    <section class="inspect" aria-labelledby="inspect-h" data-test-id="outlook">
                        <h3 id="inspect-h">{ format!("When, and why not yet: {tp}") }</h3>
                        <p data-test-id="outlook-head">{ head }</p>
                        if !o.waits_for.is_empty() {
                            <h4>{ "Waits for" }</h4>
                            <ul data-test-id="outlook-waits">{ for waits }</ul>
                        }
                        <h4>{ format!("Tombstones ({})", o.tombstones.len() as u64 + o.more_tombstones) }</h4>
                        if o.tombstones.is_empty() {
                            <p class="hint">{ "None." }</p>
                        } else {
                            <ul data-test-id="outlook-tombstones">{ for tombs }</ul>
                        }
                        if more > 0 { <p class="hint">{ format!("and {more} more") }</p> }
                        <p class="hint">{ "A prediction assumes no more appends and no config change; Play or Run shows it happen." }</p>
                    </section>
                }
            }
            Err(e) => html! { <p class="msg msg-error">{ e.to_string() }</p> },
        },
    }
}

/// One thing a partition waits for, from the engine's data.
fn wait_text(w: &Wait, at: &dyn Fn(i64) -> String) -> String {
    match w {
        Wait::ActiveSegmentRoll { base_offset, size_bytes, bytes_until_roll, roll_by_time_at_ms, roll_by } => {
            let time = match roll_by_time_at_ms {
                Some(t) => format!(", or by an append at or after {} ({})", at(*t), roll_by.describe()),
                None => String::new(),
            };
            format!("the active segment @{base_offset} ({}) is never cleaned: it must roll, by an append past {} more bytes (segment.bytes){time}", format::bytes(*size_bytes), format::bytes(*bytes_until_roll))
        }
        Wait::MinCompactionLag { base_offset, until_ms } => format!("segment @{base_offset} is younger than min.compaction.lag.ms until {}", at(*until_ms)),
        Wait::DirtyRatio { dirty_ratio, min_cleanable_dirty_ratio, more_dirty_bytes } => match more_dirty_bytes {
            Some(b) => format!("dirty ratio {} is not above min.cleanable.dirty.ratio {}: {} more dirty bytes in closed segments would pass it", format::ratio(*dirty_ratio), format::ratio(*min_cleanable_dirty_ratio), format::bytes(*b)),
            None => format!("dirty ratio {} can never be above min.cleanable.dirty.ratio {}", format::ratio(*dirty_ratio), format::ratio(*min_cleanable_dirty_ratio)),
        },
        Wait::MaxCompactionLag { at_ms } => format!("max.compaction.lag.ms makes it eligible at {} whatever its ratio", at(*at_ms)),
        Wait::DirtierLog { topic_partition } => format!("eligible, but {topic_partition} is dirtier and is cleaned first (then this one, at the same instant)"),
        Wait::CleanerDisabled => "log.cleaner.enable=false: no cleaner thread runs".to_string(),
        Wait::OpenTransaction { producer_id, first_offset } => format!("the transaction of producer {producer_id}, open since offset {first_offset}, holds the last stable offset there: nothing from it on is cleaned until it commits or aborts"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cleaner::stats::CleanerStats;

    #[test]
    fn cleaning_stats_count_one_record_in_the_singular_and_use_the_tables_formats() {
        let one = CleanerStats {
            messages_read: 1,
            bytes_read: 70,
            messages_written: 1,
            bytes_written: 70,
            ..CleanerStats::default()
        };
        assert_eq!(
            cleaning_stats(&one),
            "Read 1 record (70 B), wrote 1 (70 B): 0.0% smaller. Tombstones stamped: 0, removed: 0."
        );
        let many = CleanerStats {
            messages_read: 12_345,
            bytes_read: 2048,
            messages_written: 0,
            bytes_written: 0,
            tombstones_removed: 2,
            ..CleanerStats::default()
        };
        assert_eq!(
            cleaning_stats(&many),
            "Read 12\u{202f}345 records (2.0 KiB), wrote 0 (0 B): 100.0% smaller. Tombstones stamped: 0, removed: 2."
        );
    }
}
