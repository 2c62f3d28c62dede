//! A picture of the shown topic over the session: its size in bytes and its
//! record count after each step, with the cleaner runs marked. Inline SVG,
//! no chart library; the numbers are also given as text.

use yew::prelude::*;

use super::Panel;
use crate::ui::describe::plural;
use crate::ui::format;
use crate::ui::hooks::use_app;
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
    let Some(app) = use_app() else { return Html::default() };
    let s = app.state();
    let Some(topic) = s.current_topic() else {
        return Html::default();
    };
    let n = s.session.entries.len();
    let stride = n.div_ceil(MAX_POINTS).max(1);
    let mut sizes = vec![(0.0, 0.0)];
    let mut counts = vec![(0.0, 0.0)];
    let mut cleans = Vec::new();
    for (i, e) in s.session.entries.iter().enumerate() {
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
