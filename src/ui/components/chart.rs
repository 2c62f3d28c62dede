//! Pictures of the shown topic: over simulated time, per partition, its
//! size and record count, its dirty ratio against
//! `min.cleanable.dirty.ratio` and its tombstones, with cleanings and rolls
//! marked (from the session's bounded [`TimeSeries`]); while the whole
//! session sits at one instant (no clock move yet), the topic's size and
//! record count after each step instead. Inline SVG, no chart library; the
//! numbers are also given as text, and the x axis of time has ticks at
//! round units (ms, s, min, h, d).
//!
//! [`TimeSeries`]: crate::ui::session::TimeSeries

use yew::prelude::*;

use super::Panel;
use crate::ui::describe::plural;
use crate::ui::format;
use crate::ui::hooks::use_app;
use crate::ui::session::series::{EventKind, PartitionSeries};
use crate::ui::session::EntryKind;

const W: f64 = 600.0;
const H: f64 = 140.0;
/// Points drawn at most (longer sessions are sampled).
const MAX_POINTS: usize = 600;

/// A step-line path through `(x, y)` points scaled to the plot.
fn path(points: &[(f64, f64)], x_max: f64, y_max: f64) -> String {
    let sx = |x: f64| if x_max > 0.0 { x / x_max * W } else { 0.0 };
    let sy = |y: f64| if y_max > 0.0 { H - y / y_max * (H - 6.0) } else { H };
    let mut d = String::new();
    for (i, (x, y)) in points.iter().enumerate() {
        if i == 0 {
            d.push_str(&format!("M{:.1},{:.1}", sx(*x), sy(*y)));
        } else {
            d.push_str(&format!(" H{:.1} V{:.1}", sx(*x), sy(*y)));
        }
    }
    if let Some((x, _)) = points.last() {
        if sx(*x) < W {
            d.push_str(&format!(" H{W:.1}"));
        }
    }
    d
}

#[function_component(SizeChart)]
pub fn size_chart() -> Html {
    let app = use_app();
    let partition = use_state(|| 0u32);
    let Some(app) = app else { return Html::default() };
    let s = app.state();
    let Some(topic) = s.current_topic() else {
        return Html::default();
    };
    let partitions = s
        .shown()
        .broker
        .topic(&topic)
        .map_or(1, |t| t.partitions().len() as u32);
    let p = (*partition).min(partitions.saturating_sub(1));
    if let Some(series) = s.shown().series.of(&topic, p).filter(|x| spans_time(x)) {
        let onpick = {
            let partition = partition.clone();
            Callback::from(move |e: Event| partition.set(crate::ui::browser::select_value(&e).parse().unwrap_or(0)))
        };
        let picker = (partitions > 1).then(|| {
            html! {
                <label class="chart-pick">{ "Partition " }
                    <select class="input input-small" onchange={onpick} data-test-id="chart-partition">
                        { for (0..partitions).map(|i| html! { <option value={i.to_string()} selected={i == p}>{ format!("{topic}-{i}") }</option> }) }
                    </select>
                </label>
            }
        });
        return html! {
            <Panel title="Over simulated time" id="chart" subtitle={AttrValue::from(format!("{topic}-{p}"))}>
                { picker }
                { time_charts(&topic, p, series) }
            </Panel>
        };
    }
    let n = s.shown().entries.len();
    let stride = n.div_ceil(MAX_POINTS).max(1);
    let mut sizes = vec![(0.0, 0.0)];
    let mut counts = vec![(0.0, 0.0)];
    let mut cleans = Vec::new();
    for (i, e) in s.shown().entries.iter().enumerate() {
        let Some(m) = e.metrics_of(&topic) else { continue };
        if e.kind == EntryKind::Clean
            && e.result
                .cleaned()
                .is_some_and(|c| c.cleaned.as_ref().is_some_and(|c| c.topic_partition.topic == topic))
        {
            cleans.push(e.seq as f64);
        }
        if i % stride == 0 || i + 1 == n || e.kind == EntryKind::Clean {
            sizes.push((e.seq as f64, m.size_bytes as f64));
            counts.push((e.seq as f64, m.records as f64));
        }
    }
    let x_max = n.max(1) as f64;
    let size_max = sizes.iter().map(|p| p.1).fold(0.0, f64::max);
    let count_max = counts.iter().map(|p| p.1).fold(0.0, f64::max);
    let (now_size, now_count) = (sizes.last().map_or(0.0, |p| p.1), counts.last().map_or(0.0, |p| p.1));
    let summary = format!(
        "{topic} over {n} steps: size now {} (peak {}), records now {} (peak {}), {} cleaning{}",
        format::bytes(now_size as u64),
        format::bytes(size_max as u64),
        format::count(now_count as u64),
        format::count(count_max as u64),
        cleans.len(),
        plural(cleans.len())
    );
    let marks = cleans.iter().map(|x| {
        let px = x / x_max * W;
        html! { <line class="chart-clean" x1={format!("{px:.1}")} x2={format!("{px:.1}")} y1="0" y2={H.to_string()} /> }
    });
    html! {
        <Panel title="Size over the session" id="chart" subtitle={AttrValue::from(topic.clone())}>
            <div class="chart" data-test-id="size-chart">
                <div class="chart-axes">
                    <span class="chart-axis-left">{ format!("bytes (max {})", format::bytes(size_max as u64)) }</span>
                    <span class="chart-axis-right">{ format!("records (max {})", format::count(count_max as u64)) }</span>
                </div>
                <svg viewBox={format!("0 0 {W} {H}")} preserveAspectRatio="none" class="chart-svg" role="img" aria-label={summary.clone()}>
                    <title>{ summary.clone() }</title>
                    <line class="chart-base" x1="0" x2={W.to_string()} y1={H.to_string()} y2={H.to_string()} />
                    { for marks }
                    <path class="chart-count-area" d={format!("{} V{H} H0 Z", path(&counts, x_max, count_max))} />
                    <path class="chart-size" d={path(&sizes, x_max, size_max)} />
                    <path class="chart-count" d={path(&counts, x_max, count_max)} />
                </svg>
                <div class="chart-x"><span>{ "step 0" }</span><span>{ format!("step {n}") }</span></div>
                <ul class="chart-legend">
                    <li><span class="key key-size" aria-hidden="true"></span>{ format!("size (solid): {}", format::bytes(now_size as u64)) }</li>
                    <li><span class="key key-count" aria-hidden="true"></span>{ format!("records (dashed, shaded): {}", format::count(now_count as u64)) }</li>
                    <li><span class="key key-clean" aria-hidden="true"></span>{ format!("cleaner runs (dotted verticals): {}", cleans.len()) }</li>
                </ul>
            </div>
        </Panel>
    }
}

/// Whether a partition's samples span some simulated time.
fn spans_time(s: &PartitionSeries) -> bool {
    match (s.samples.first(), s.samples.last()) {
        (Some(a), Some(b)) => b.time_ms > a.time_ms,
        _ => false,
    }
}

/// Round steps for the time axis, in milliseconds.
const TICK_STEPS: [i64; 24] = [
    1,
    10,
    100,
    1000,
    2000,
    5000,
    10_000,
    15_000,
    30_000,
    60_000,
    120_000,
    300_000,
    600_000,
    900_000,
    1_800_000,
    3_600_000,
    7_200_000,
    10_800_000,
    21_600_000,
    43_200_000,
    86_400_000,
    172_800_000,
    604_800_000,
    2_592_000_000,
];

/// Tick times for `[from, to]`: a round step giving at most `max` ticks,
/// at multiples of the step from the session start.
pub fn ticks(from: i64, to: i64, max: usize) -> Vec<i64> {
    let span = (to - from).max(1);
    let step = TICK_STEPS
        .iter()
        .copied()
        .find(|s| span / s < max as i64)
        .unwrap_or(span);
    let base = crate::clock::START_MS;
    let first =
        base + (from - base).div_euclid(step) * step + if (from - base).rem_euclid(step) == 0 { 0 } else { step };
    (0..)
        .map(|i| first + i * step)
        .take_while(|t| *t <= to)
        .take(max + 1)
        .collect()
}

/// A tick's label: the time since the session start, in its largest units.
pub fn tick_label(t: i64) -> String {
    crate::ui::format::since_start(t).replace("start", "+0s")
}

/// A polyline through `(x, y)` points scaled to a plot of `h`.
fn line(points: impl Iterator<Item = (i64, f64)>, x0: i64, x1: i64, y_max: f64, h: f64) -> String {
    let span = (x1 - x0).max(1) as f64;
    let mut d = String::new();
    for (i, (x, y)) in points.enumerate() {
        let px = (x - x0) as f64 / span * W;
        let py = if y_max > 0.0 { h - y / y_max * (h - 4.0) } else { h };
        d.push_str(&format!("{}{px:.1},{py:.1}", if i == 0 { "M" } else { " L" }));
    }
    d
}

/// The three charts of one partition over simulated time.
fn time_charts(topic: &str, partition: u32, s: &PartitionSeries) -> Html {
    let (x0, x1) = match (s.samples.first(), s.samples.last()) {
        (Some(a), Some(b)) => (a.time_ms, b.time_ms.max(a.time_ms + 1)),
        _ => return Html::default(),
    };
    let px = |t: i64| (t - x0) as f64 / (x1 - x0) as f64 * W;
    let last = s.samples.last().copied();
    let size_max = s.samples.iter().map(|x| x.size_bytes).max().unwrap_or(0) as f64;
    let count_max = s.samples.iter().map(|x| x.records).max().unwrap_or(0) as f64;
    let tomb_max = s.samples.iter().map(|x| x.tombstones).max().unwrap_or(0) as f64;
    let threshold = s.min_cleanable_dirty_ratio;
    let cleanings: Vec<i64> = s
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Cleaning { .. }))
        .map(|e| e.time_ms)
        .collect();
    let rolls: Vec<i64> = s
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Roll { .. }))
        .map(|e| e.time_ms)
        .filter(|t| *t >= x0)
        .collect();
    let removed: u64 = s
        .events
        .iter()
        .map(|e| match e.kind {
            EventKind::Cleaning { removed } => removed,
            EventKind::Roll { .. } => 0,
        })
        .sum();
    const HS: f64 = 120.0;
    const HR: f64 = 70.0;
    let marks = |h: f64| {
        cleanings
            .iter()
            .filter(|t| **t >= x0)
            .map(|t| {
                let x = px(*t);
                html! { <line class="chart-clean" x1={format!("{x:.1}")} x2={format!("{x:.1}")} y1="0" y2={h.to_string()} /> }
            })
            .collect::<Html>()
    };
    let roll_marks = rolls
        .iter()
        .map(|t| {
            let x = px(*t);
            html! { <line class="chart-roll" x1={format!("{x:.1}")} x2={format!("{x:.1}")} y1={(HS - 10.0).to_string()} y2={HS.to_string()} /> }
        })
        .collect::<Html>();
    let size = line(
        s.samples.iter().map(|x| (x.time_ms, x.size_bytes as f64)),
        x0,
        x1,
        size_max,
        HS,
    );
    let count = line(
        s.samples.iter().map(|x| (x.time_ms, x.records as f64)),
        x0,
        x1,
        count_max,
        HS,
    );
    let ratios: Vec<(i64, f64)> = s
        .samples
        .iter()
        .filter_map(|x| x.dirty_ratio.map(|r| (x.time_ms, r)))
        .collect();
    let ratio = line(ratios.iter().copied(), x0, x1, 1.0, HR);
    let tomb = line(
        s.samples.iter().map(|x| (x.time_ms, x.tombstones as f64)),
        x0,
        x1,
        tomb_max.max(1.0),
        HR,
    );
    let ty = HR - threshold.clamp(0.0, 1.0) * (HR - 4.0);
    let tick_times = ticks(x0, x1, 6);
    let axis = tick_times
        .iter()
        .map(|t| {
            let left = px(*t) / W * 100.0;
            // A label centred on a tick near the right edge would be cut
            // off there: it ends at its tick instead.
            let class = if left > 92.0 {
                "chart-tick chart-tick-end"
            } else {
                "chart-tick"
            };
            html! { <span {class} style={format!("left:{left:.2}%")}>{ tick_label(*t) }</span> }
        })
        .collect::<Html>();
    let grid = |h: f64| {
        tick_times
            .iter()
            .map(|t| {
                let x = px(*t);
                html! { <line class="chart-grid" x1={format!("{x:.1}")} x2={format!("{x:.1}")} y1="0" y2={h.to_string()} /> }
            })
            .collect::<Html>()
    };
    let (now_size, now_count, now_ratio, now_tomb) = last.map_or((0, 0, None, 0), |l| {
        (l.size_bytes, l.records, l.dirty_ratio, l.tombstones)
    });
    let span = format!("{} to {}", tick_label(x0), tick_label(x1));
    let size_summary = format!(
        "{topic}-{partition} from {span}: size now {} (peak {}), records now {} (peak {}), {} cleaning{} removing {} records, {} roll{}",
        format::bytes(now_size),
        format::bytes(size_max as u64),
        format::count(now_count),
        format::count(count_max as u64),
        cleanings.len(),
        plural(cleanings.len()),
        format::count(removed),
        rolls.len(),
        plural(rolls.len())
    );
    let ratio_summary = match now_ratio {
        Some(r) => format!(
            "{topic}-{partition} dirty ratio from {span}: now {} against min.cleanable.dirty.ratio {} (peak {})",
            format::ratio(r),
            format::ratio(threshold),
            format::ratio(ratios.iter().map(|x| x.1).fold(0.0, f64::max))
        ),
        None => format!("{topic}-{partition} is not compacted: no dirty ratio"),
    };
    let tomb_summary = format!(
        "{topic}-{partition} tombstones from {span}: now {} (peak {})",
        format::count(now_tomb),
        format::count(tomb_max as u64)
    );
    html! {
        <div class="chart chart-time" data-test-id="time-chart">
            <div class="chart-axes">
                <span class="chart-axis-left">{ format!("bytes (max {})", format::bytes(size_max as u64)) }</span>
                <span class="chart-axis-right">{ format!("records (max {})", format::count(count_max as u64)) }</span>
            </div>
            <svg viewBox={format!("0 0 {W} {HS}")} preserveAspectRatio="none" class="chart-svg" role="img" aria-label={size_summary.clone()} data-test-id="chart-size">
                <title>{ size_summary.clone() }</title>
                { grid(HS) }
                <line class="chart-base" x1="0" x2={W.to_string()} y1={HS.to_string()} y2={HS.to_string()} />
                { marks(HS) }
                { roll_marks }
                <path class="chart-size" d={size} />
                <path class="chart-count" d={count} />
            </svg>
            <div class="chart-axes"><span>{ "dirty ratio (0 to 1)" }</span><span>{ format!("threshold {}", format::ratio(threshold)) }</span></div>
            <svg viewBox={format!("0 0 {W} {HR}")} preserveAspectRatio="none" class="chart-svg chart-svg-small" role="img" aria-label={ratio_summary.clone()} data-test-id="chart-ratio">
                <title>{ ratio_summary.clone() }</title>
                { grid(HR) }
                { marks(HR) }
                <line class="chart-threshold" x1="0" x2={W.to_string()} y1={format!("{ty:.1}")} y2={format!("{ty:.1}")} />
                <path class="chart-ratio" d={ratio} />
            </svg>
            <div class="chart-axes"><span>{ format!("tombstones (max {})", format::count(tomb_max as u64)) }</span></div>
            <svg viewBox={format!("0 0 {W} {HR}")} preserveAspectRatio="none" class="chart-svg chart-svg-small" role="img" aria-label={tomb_summary.clone()} data-test-id="chart-tombstones">
                <title>{ tomb_summary.clone() }</title>
                { grid(HR) }
                { marks(HR) }
                <path class="chart-tomb" d={tomb} />
            </svg>
            <div class="chart-ticks" aria-hidden="true">{ axis }</div>
            <ul class="chart-legend">
                <li><span class="key key-size" aria-hidden="true"></span>{ format!("size (solid): {}", format::bytes(now_size)) }</li>
                <li><span class="key key-count" aria-hidden="true"></span>{ format!("records (dashed): {}", format::count(now_count)) }</li>
                <li><span class="key key-ratio" aria-hidden="true"></span>{ match now_ratio { Some(r) => format!("dirty ratio: {} (threshold {}, dashed)", format::ratio(r), format::ratio(threshold)), None => "no dirty ratio (not compacted)".to_string() } }</li>
                <li><span class="key key-tomb" aria-hidden="true"></span>{ format!("tombstones: {}", format::count(now_tomb)) }</li>
                <li><span class="key key-clean" aria-hidden="true"></span>{ format!("cleanings (dotted verticals): {}", cleanings.len()) }</li>
                <li><span class="key key-roll" aria-hidden="true"></span>{ format!("segment rolls (ticks at the bottom): {}", rolls.len()) }</li>
            </ul>
            <p class="sr-only" data-test-id="chart-summary">{ format!("{size_summary}. {ratio_summary}. {tomb_summary}.") }</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::START_MS;

    #[test]
    fn ticks_fall_on_round_units_from_the_start() {
        assert_eq!(
            ticks(START_MS, START_MS + 3_600_000, 6),
            (0..=4).map(|i| START_MS + i * 900_000).collect::<Vec<_>>()
        );
        assert_eq!(tick_label(START_MS + 900_000), "+15m");
        assert_eq!(tick_label(START_MS), "+0s");
        let day = ticks(START_MS + 5000, START_MS + 86_400_000, 6);
        assert_eq!(day.first().copied(), Some(START_MS + 21_600_000));
        assert!(day.len() <= 7);
        let short = ticks(START_MS + 10, START_MS + 45, 6);
        assert_eq!(short, vec![START_MS + 10, START_MS + 20, START_MS + 30, START_MS + 40]);
        assert_eq!(tick_label(START_MS + 10), "+10ms");
    }
}
