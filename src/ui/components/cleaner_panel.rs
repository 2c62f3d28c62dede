//! The log cleaner: each compacted partition's dirty ratio against its
//! `min.cleanable.dirty.ratio` (a small bar chart), whether it is eligible
//! and why in the engine's words, the buttons that run it, the cleaner's
//! report of the last run and a before/after view of the partition cleaned.

use std::rc::Rc;

use yew::prelude::*;

use super::partition_view::record_cell;
use super::{inline_status, Panel};
use crate::cleaner::manager::LogToClean;
use crate::scenario::command::{Clean, Retention};
use crate::scenario::Command;
use crate::snapshot::materialize;
use crate::ui::describe::plural;
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

#[function_component(CleanerPanel)]
pub fn cleaner_panel() -> Html {
    let app = use_app();
    let show_all = use_state(|| false);
    let Some(app) = app else { return Html::default() };
    let s = app.state();
    let mut plan = s.session.broker.plan_cleaning();
    // The chosen partition, then the eligible ones, then the dirtiest.
    plan.sort_by(|a, b| {
        (b.chosen, b.eligible)
            .cmp(&(a.chosen, a.eligible))
            .then(b.dirty_ratio.total_cmp(&a.dirty_ratio))
            .then(a.topic_partition.cmp(&b.topic_partition))
    });
    let total = plan.len();
    let toggle = set_to(&show_all, !*show_all);
    let enabled = s.session.broker.broker_config().log_cleaner_enable;
    let run = dispatch_on(&app, Action::run_cleaner(Origin::Cleaner));
    let retention = exec_on(&app, Command::Retention(Retention), Origin::Cleaner);
    let rows = plan
        .iter()
        .take(if *show_all { total } else { ROWS_SHOWN })
        .map(|c| ratio_row(c, &app));
    let last = s.session.latest(EntryKind::Clean);
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
            if let Some(e) = last {
                <section class="last-run" aria-labelledby="last-run-h">
                    <h3 id="last-run-h">{ format!("Last cleaner run (step #{} at {})", e.seq, format::time(e.now_ms)) }</h3>
                    <pre class="report" data-test-id="cleaner-report">{ e.result.cleaned().map(|c| c.report.join("\n")).unwrap_or_default() }</pre>
                </section>
            }
            if let Some(c) = &s.session.last_clean {
                <Compare compare={Same(Rc::clone(c))} />
            }
        </Panel>
    }
}

/// One partition's ratio against its threshold, with the verdict.
fn ratio_row(c: &LogToClean, app: &AppHandle) -> Html {
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
            <h3 id="compare-h">{ format!("Before and after: {name} (step #{})", c.seq) }</h3>
            <table class="compare-table">
                <thead><tr><th scope="col"></th><th scope="col">{ "before" }</th><th scope="col">{ "after" }</th></tr></thead>
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
            <p class="hint">{ format!("Read {} records ({} bytes), wrote {} ({} bytes): {:.1}% smaller. Tombstones stamped: {}, removed: {}.",
                s.messages_read, s.bytes_read, s.messages_written, s.bytes_written,
                if s.bytes_read == 0 { 0.0 } else { 100.0 * (1.0 - s.bytes_written as f64 / s.bytes_read as f64) },
                s.tombstones_stamped, s.tombstones_removed) }</p>
            <h4>{ format!("What became of each record (first {} of {})", format::count(shown), format::count(b_rec)) }</h4>
            <div class="strip fate" role="list" aria-label="Records before cleaning: kept ones drawn, removed ones as crossed-out ranges">{ for items }</div>
        </section>
    }
}
