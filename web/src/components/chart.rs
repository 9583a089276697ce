//! The response-time chart of a monitor: an inline SVG (no chart library) of the mean response
//! time per bucket as a line over a shaded area, the slowest check of each bucket as a lighter
//! band above it, and the buckets with failed checks marked under the line: red where a check
//! was down, amber where one was degraded. For assistive technology the picture is one image
//! whose label sums it up (`role="img"`, a `<title>` and a `<desc>`); the numbers themselves are
//! in a table under it, for everyone ([`ChartTable`]).
//!
//! The geometry is plain functions of the points ([`Frame`], [`paths`], [`marks`],
//! [`y_ticks`], [`x_ticks`]), tested without a browser.

use chrono::{DateTime, FixedOffset, Offset, TimeZone, Timelike, Utc};
use leptos::prelude::*;
use upstate_shared::dto::{ChartPoint, MonitorChart};

/// The drawing's size in SVG units; it scales to the width of its box.
pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 200.0;
/// The plot's edges: room for the response-time labels on the left, the time labels and the
/// strip of failures under it.
const PLOT_LEFT: f64 = 52.0;
const PLOT_RIGHT: f64 = WIDTH - 8.0;
const PLOT_TOP: f64 = 8.0;
const PLOT_BOTTOM: f64 = 158.0;
const STRIP_TOP: f64 = 162.0;
const STRIP_HEIGHT: f64 = 6.0;
const TIME_LABEL_Y: f64 = 190.0;
/// A bucket is never drawn thinner than this, so one failed bucket in 30 days still shows.
const MARK_MIN_WIDTH: f64 = 1.5;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The ranges the API draws, as `?range=` names them, with their words.
pub const RANGES: [(&str, &str); 3] = [("24h", "24 hours"), ("7d", "7 days"), ("30d", "30 days")];

/// How long one bucket of a range is: 5 minutes over 24 h, an hour over 7 and 30 days.
pub fn bucket_seconds(range: &str) -> i64 {
    match range {
        "24h" => 300,
        _ => 3600,
    }
}

/// "the last 24 hours".
pub fn range_words(range: &str) -> String {
    let words = RANGES
        .iter()
        .find(|(name, _)| *name == range)
        .map_or(range, |(_, words)| words);
    format!("the last {words}")
}

/// A response time as people read it: "87 ms", "1.2 s", "12 s".
pub fn format_latency(ms: u32) -> String {
    if ms < 1000 {
        return format!("{ms} ms");
    }
    let tenths = (ms + 50) / 100;
    if tenths.is_multiple_of(10) || tenths >= 100 {
        format!("{} s", (tenths + 5) / 10)
    } else {
        format!("{}.{} s", tenths / 10, tenths % 10)
    }
}

/// An uptime percentage, never rounded up to a perfect score it did not earn: "100%",
/// "99.99%" (for 99.999), "97.50%".
pub fn format_percent(percent: f64) -> String {
    if percent >= 100.0 {
        return "100%".to_owned();
    }
    let hundredths = (percent.max(0.0) * 100.0).floor() / 100.0;
    format!("{hundredths:.2}%")
}

/// The scale of the response-time axis: its top and the step between its ticks, round numbers
/// (1, 2 or 5 times a power of ten) with at most four steps, above every value drawn.
pub fn y_scale(slowest_ms: u32) -> (u32, u32) {
    let target = slowest_ms.max(10);
    let mut power = 1u32;
    loop {
        for factor in [1, 2, 5] {
            let step = factor * power;
            if step.saturating_mul(4) >= target {
                let top = target.div_ceil(step) * step;
                return (top, step);
            }
        }
        power = power.saturating_mul(10);
    }
}

/// Where things go: the time range across, response times up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// The response time at the top of the plot.
    pub top_ms: u32,
    /// A bucket's length.
    pub bucket: i64,
}

impl Frame {
    /// The frame of a chart: its range, and a scale above its slowest check.
    pub fn of(chart: &MonitorChart) -> Frame {
        let slowest = chart
            .points
            .iter()
            .map(|p| p.latency_ms_max.max(p.latency_ms_avg))
            .max()
            .unwrap_or(0);
        Frame {
            from: chart.from,
            to: chart.to,
            top_ms: y_scale(slowest).0,
            bucket: bucket_seconds(&chart.range),
        }
    }

    /// The x of a moment (clamped to the plot).
    pub fn x(&self, at: DateTime<Utc>) -> f64 {
        let span = (self.to - self.from).num_seconds().max(1) as f64;
        let offset = (at - self.from).num_seconds() as f64;
        let share = (offset / span).clamp(0.0, 1.0);
        PLOT_LEFT + share * (PLOT_RIGHT - PLOT_LEFT)
    }

    /// The y of a response time (clamped to the plot).
    pub fn y(&self, ms: u32) -> f64 {
        let share = (f64::from(ms) / f64::from(self.top_ms.max(1))).clamp(0.0, 1.0);
        PLOT_BOTTOM - share * (PLOT_BOTTOM - PLOT_TOP)
    }

    /// How wide a bucket is drawn.
    pub fn bucket_width(&self) -> f64 {
        let span = (self.to - self.from).num_seconds().max(1) as f64;
        (self.bucket as f64 / span * (PLOT_RIGHT - PLOT_LEFT)).max(MARK_MIN_WIDTH)
    }

    /// The x positions a bucket's line goes through: its middle, or (for a bucket with no
    /// neighbour to join) its whole width, so a lone bucket is a short dash, not nothing.
    fn xs(&self, point: &ChartPoint, alone: bool) -> Vec<f64> {
        let start = self.x(point.at);
        let end = self.x(point.at + chrono::Duration::seconds(self.bucket));
        if alone {
            vec![start, end]
        } else {
            vec![(start + end) / 2.0]
        }
    }
}

/// The runs of points with no missing bucket between them: the line breaks where the monitor
/// was not checked (paused, or not created yet), rather than drawing across the gap.
pub fn runs(points: &[ChartPoint], bucket: i64) -> Vec<&[ChartPoint]> {
    let mut runs = Vec::new();
    let mut start = 0;
    for index in 1..=points.len() {
        let broken = match (points.get(index - 1), points.get(index)) {
            (Some(before), Some(after)) => (after.at - before.at).num_seconds() > bucket * 3 / 2,
            _ => true,
        };
        if broken {
            if let Some(run) = points.get(start..index)
                && !run.is_empty()
            {
                runs.push(run);
            }
            start = index;
        }
    }
    runs
}

/// The SVG paths of a chart: the mean's line, the area under it, and the band up to the
/// slowest check.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Paths {
    pub line: String,
    pub area: String,
    pub band: String,
}

fn coordinate(path: &mut String, command: char, x: f64, y: f64) {
    if !path.is_empty() {
        path.push(' ');
    }
    path.push_str(&format!("{command}{x:.1},{y:.1}"));
}

/// Draws the points in `frame`: one subpath per run ([`runs`]).
pub fn paths(frame: &Frame, points: &[ChartPoint]) -> Paths {
    let mut drawn = Paths::default();
    let baseline = frame.y(0);
    for run in runs(points, frame.bucket) {
        let alone = run.len() == 1;
        let along: Vec<(f64, &ChartPoint)> = run
            .iter()
            .flat_map(|p| frame.xs(p, alone).into_iter().map(move |x| (x, p)))
            .collect();
        let (Some((first_x, _)), Some((last_x, _))) = (along.first(), along.last()) else {
            continue;
        };
        for (index, (x, point)) in along.iter().enumerate() {
            let command = if index == 0 { 'M' } else { 'L' };
            coordinate(&mut drawn.line, command, *x, frame.y(point.latency_ms_avg));
        }
        // The area: along the mean, then back along the baseline.
        coordinate(&mut drawn.area, 'M', *first_x, baseline);
        for (x, point) in &along {
            coordinate(&mut drawn.area, 'L', *x, frame.y(point.latency_ms_avg));
        }
        coordinate(&mut drawn.area, 'L', *last_x, baseline);
        drawn.area.push_str(" Z");
        // The band: along the slowest, then back along the mean.
        for (index, (x, point)) in along.iter().enumerate() {
            let command = if index == 0 { 'M' } else { 'L' };
            let slowest = point.latency_ms_max.max(point.latency_ms_avg);
            coordinate(&mut drawn.band, command, *x, frame.y(slowest));
        }
        for (x, point) in along.iter().rev() {
            coordinate(&mut drawn.band, 'L', *x, frame.y(point.latency_ms_avg));
        }
        drawn.band.push_str(" Z");
    }
    drawn
}

/// What a bucket's checks were, at worst, when not all were up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Down,
    Degraded,
}

impl Mark {
    pub fn word(self) -> &'static str {
        match self {
            Mark::Down => "down",
            Mark::Degraded => "degraded",
        }
    }
}

/// A marked bucket: where it is drawn and how wide, what it was, and its words (a tooltip).
#[derive(Debug, Clone, PartialEq)]
pub struct MarkedBucket {
    pub x: f64,
    pub width: f64,
    pub mark: Mark,
    pub at: DateTime<Utc>,
    pub checks: u32,
    pub failed: u32,
}

/// The buckets with a down check (red) or, failing that, a degraded one (amber).
pub fn marks(frame: &Frame, points: &[ChartPoint]) -> Vec<MarkedBucket> {
    let width = frame.bucket_width();
    points
        .iter()
        .filter_map(|p| {
            let (mark, failed) = if p.down > 0 {
                (Mark::Down, p.down)
            } else if p.degraded > 0 {
                (Mark::Degraded, p.degraded)
            } else {
                return None;
            };
            let x = frame.x(p.at).min(PLOT_RIGHT - width);
            Some(MarkedBucket {
                x,
                width,
                mark,
                at: p.at,
                checks: p.up + p.degraded + p.down,
                failed,
            })
        })
        .collect()
}

/// The response-time axis: each tick's y and its label.
pub fn y_ticks(frame: &Frame) -> Vec<(f64, String)> {
    let (top, step) = y_scale(frame.top_ms);
    (0..=top / step.max(1))
        .map(|i| {
            let ms = i * step;
            (frame.y(ms), format_latency(ms))
        })
        .collect()
}

/// The time axis, in the reader's time zone (`offset`): every 6 hours on the hour over a day
/// ("18:00"), every day at midnight over a week and every 5 days over a month ("3 Dec").
pub fn x_ticks(frame: &Frame, range: &str, offset: FixedOffset) -> Vec<(f64, String)> {
    let step: i64 = match range {
        "24h" => 6 * 3600,
        "7d" => 86_400,
        _ => 5 * 86_400,
    };
    let shift = i64::from(offset.local_minus_utc());
    // The first local multiple of the step after `from`.
    let local_from = frame.from.timestamp() + shift;
    let mut local = (local_from.div_euclid(step) + 1) * step;
    let mut ticks = Vec::new();
    while local < frame.to.timestamp() + shift {
        if let Some(at) = Utc.timestamp_opt(local - shift, 0).single() {
            let there = at.with_timezone(&offset);
            let label = if step < 86_400 {
                format!("{:02}:{:02}", there.hour(), there.minute())
            } else {
                day_label(there)
            };
            ticks.push((frame.x(at), label));
        }
        local += step;
    }
    ticks
}

/// "3 Dec".
fn day_label(at: DateTime<FixedOffset>) -> String {
    use chrono::Datelike;
    let month = MONTHS
        .get(at.month0() as usize)
        .copied()
        .unwrap_or_default();
    format!("{} {month}", at.day())
}

/// The chart in one sentence, for its image label: the range, typical and slowest response
/// times, the uptime and how many buckets failed.
pub fn summary(chart: &MonitorChart) -> String {
    let over = range_words(&chart.range);
    if chart.points.is_empty() {
        return format!("Response times over {over}: no checks yet.");
    }
    let checks: u64 = chart
        .points
        .iter()
        .map(|p| u64::from(p.up + p.degraded + p.down))
        .sum();
    let weighted: u64 = chart
        .points
        .iter()
        .map(|p| u64::from(p.latency_ms_avg) * u64::from(p.up + p.degraded + p.down))
        .sum();
    let mean = weighted
        .checked_div(checks)
        .map_or(0, |mean| u32::try_from(mean).unwrap_or(u32::MAX));
    let slowest = chart
        .points
        .iter()
        .map(|p| p.latency_ms_max)
        .max()
        .unwrap_or(0);
    let down = chart.points.iter().filter(|p| p.down > 0).count();
    let degraded = chart
        .points
        .iter()
        .filter(|p| p.down == 0 && p.degraded > 0)
        .count();
    let mut text = format!(
        "Response times over {over}: {} on average, {} at the slowest.",
        format_latency(mean),
        format_latency(slowest)
    );
    if let Some(uptime) = chart.uptime_percent {
        text.push_str(&format!(" Uptime {}.", format_percent(uptime)));
    }
    let periods = |n: usize| if n == 1 { "period" } else { "periods" };
    match (down, degraded) {
        (0, 0) => text.push_str(" Every check passed."),
        (down, 0) => text.push_str(&format!(" Down in {down} {}.", periods(down))),
        (0, degraded) => text.push_str(&format!(" Degraded in {degraded} {}.", periods(degraded))),
        (down, degraded) => text.push_str(&format!(
            " Down in {down} {}, degraded in {degraded} more.",
            periods(down)
        )),
    }
    text
}

/// The reader's time zone now (the browser's), for the time axis.
fn local_offset() -> FixedOffset {
    chrono::Local::now().offset().fix()
}

/// The chart itself (`data-testid="monitor-chart"`).
#[component]
pub fn ResponseTimeChart(chart: MonitorChart) -> impl IntoView {
    let frame = Frame::of(&chart);
    let drawn = paths(&frame, &chart.points);
    let marked = marks(&frame, &chart.points);
    let said = summary(&chart);
    let y_axis = y_ticks(&frame);
    let x_axis = x_ticks(&frame, &chart.range, local_offset());
    let bucket_words = if frame.bucket < 3600 {
        "5 minutes"
    } else {
        "hour"
    };
    view! {
        <figure class="chart" data-testid="monitor-chart">
            <svg class="chart-svg" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img"
                aria-labelledby="chart-title chart-desc" preserveAspectRatio="xMidYMid meet">
                <title id="chart-title">{format!("Response times over {}", range_words(&chart.range))}</title>
                <desc id="chart-desc">{said}</desc>
                <g class="chart-grid">
                    {y_axis.into_iter().map(|(y, label)| view! {
                        <line x1=PLOT_LEFT x2=PLOT_RIGHT y1=y y2=y/>
                        <text class="chart-label" x=PLOT_LEFT - 6.0 y=y + 4.0 text-anchor="end">{label}</text>
                    }).collect_view()}
                </g>
                {marked.iter().filter(|m| m.mark == Mark::Down).map(|m| view! {
                    <rect class="chart-down-tint" x=m.x y=PLOT_TOP width=m.width height=PLOT_BOTTOM - PLOT_TOP/>
                }).collect_view()}
                <path class="chart-band" d=drawn.band/>
                <path class="chart-area" d=drawn.area/>
                <path class="chart-line" d=drawn.line/>
                {marked.into_iter().map(|m| {
                    let class = match m.mark { Mark::Down => "chart-down", Mark::Degraded => "chart-degraded" };
                    let tip = format!("{}: {} of {} checks {}", crate::time::local(m.at), m.failed, m.checks, m.mark.word());
                    view! { <rect class=class x=m.x y=STRIP_TOP width=m.width height=STRIP_HEIGHT><title>{tip}</title></rect> }
                }).collect_view()}
                {x_axis.into_iter().map(|(x, label)| view! {
                    <line class="chart-tick" x1=x x2=x y1=PLOT_BOTTOM y2=STRIP_TOP + STRIP_HEIGHT + 4.0/>
                    <text class="chart-label" x=x y=TIME_LABEL_Y text-anchor="middle">{label}</text>
                }).collect_view()}
            </svg>
            <figcaption class="chart-legend" aria-hidden="true">
                <span><span class="swatch swatch-line"></span>"Mean response time"</span>
                <span><span class="swatch swatch-band"></span>"Slowest check"</span>
                <span><span class="swatch swatch-down"></span>"Down"</span>
                <span><span class="swatch swatch-degraded"></span>"Degraded"</span>
                <span class="meta">{format!("One point per {bucket_words}.")}</span>
            </figcaption>
        </figure>
    }
}

/// The chart's numbers as a table: one row per bucket, newest first.
#[component]
pub fn ChartTable(chart: MonitorChart) -> impl IntoView {
    view! {
        <table class="table chart-table">
            <caption class="sr-only">{format!("Response times over {}, by period", range_words(&chart.range))}</caption>
            <thead><tr>
                <th scope="col">"From"</th><th scope="col">"Mean"</th><th scope="col">"Slowest"</th>
                <th scope="col">"Up"</th><th scope="col">"Degraded"</th><th scope="col">"Down"</th>
            </tr></thead>
            <tbody>{chart.points.iter().rev().map(|p| view! {
                <tr>
                    <td><time datetime=p.at.to_rfc3339()>{crate::time::local(p.at)}</time></td>
                    <td>{format_latency(p.latency_ms_avg)}</td>
                    <td>{format_latency(p.latency_ms_max)}</td>
                    <td>{p.up}</td><td>{p.degraded}</td><td>{p.down}</td>
                </tr>
            }).collect_view()}</tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn point(time: &str, avg: u32, max: u32, (up, degraded, down): (u32, u32, u32)) -> ChartPoint {
        ChartPoint {
            at: at(time),
            latency_ms_avg: avg,
            latency_ms_max: max,
            up,
            degraded,
            down,
        }
    }

    fn chart(range: &str, from: &str, to: &str, points: Vec<ChartPoint>) -> MonitorChart {
        MonitorChart {
            range: range.to_owned(),
            from: at(from),
            to: at(to),
            uptime_percent: Some(99.5),
            points,
        }
    }

    #[test]
    fn response_times_read_in_milliseconds_then_seconds() {
        assert_eq!(format_latency(0), "0 ms");
        assert_eq!(format_latency(87), "87 ms");
        assert_eq!(format_latency(999), "999 ms");
        assert_eq!(format_latency(1000), "1 s");
        assert_eq!(format_latency(1249), "1.2 s");
        assert_eq!(format_latency(1960), "2 s");
        assert_eq!(format_latency(12_345), "12 s");
    }

    #[test]
    fn uptime_is_never_rounded_up_to_perfect() {
        assert_eq!(format_percent(100.0), "100%");
        assert_eq!(format_percent(99.999), "99.99%");
        assert_eq!(format_percent(97.5), "97.50%");
        assert_eq!(format_percent(0.0), "0.00%");
    }

    #[test]
    fn the_scale_is_round_and_above_the_slowest_check() {
        assert_eq!(y_scale(0), (10, 5));
        assert_eq!(y_scale(120), (150, 50));
        assert_eq!(y_scale(950), (1000, 500));
        assert_eq!(y_scale(1000), (1000, 500));
        assert_eq!(y_scale(4321), (6000, 2000));
        for slowest in [1, 7, 33, 480, 999, 10_001, 59_999] {
            let (top, step) = y_scale(slowest);
            assert!(top >= slowest, "{slowest}: top {top}");
            assert!(top / step <= 4, "{slowest}: {top}/{step}");
        }
    }

    #[test]
    fn buckets_far_apart_break_the_line() {
        let points = vec![
            point("2026-11-30T10:00:00Z", 100, 120, (1, 0, 0)),
            point("2026-11-30T10:05:00Z", 110, 130, (1, 0, 0)),
            // Paused for 20 minutes.
            point("2026-11-30T10:30:00Z", 90, 90, (1, 0, 0)),
        ];
        let found = runs(&points, 300);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].len(), 2);
        assert_eq!(found[1].len(), 1);
        assert!(runs(&[], 300).is_empty());
    }

    #[test]
    fn the_line_goes_through_each_bucket_and_the_area_closes_on_the_baseline() {
        // A 10-minute range of two 5-minute buckets: the plot's width in two halves.
        let chart = chart(
            "24h",
            "2026-11-30T10:00:00Z",
            "2026-11-30T10:10:00Z",
            vec![
                point("2026-11-30T10:00:00Z", 0, 5, (1, 0, 0)),
                point("2026-11-30T10:05:00Z", 10, 10, (1, 0, 0)),
            ],
        );
        let frame = Frame::of(&chart);
        assert_eq!(frame.top_ms, 10);
        let drawn = paths(&frame, &chart.points);
        // Middles at a quarter and three quarters of 52..632; 0 ms at the bottom, 10 at the top.
        assert_eq!(drawn.line, "M197.0,158.0 L487.0,8.0");
        assert_eq!(
            drawn.area,
            "M197.0,158.0 L197.0,158.0 L487.0,8.0 L487.0,158.0 Z"
        );
        assert_eq!(
            drawn.band,
            "M197.0,83.0 L487.0,8.0 L487.0,8.0 L197.0,158.0 Z"
        );
    }

    #[test]
    fn a_lone_bucket_is_a_dash_across_its_width() {
        let chart = chart(
            "24h",
            "2026-11-30T10:00:00Z",
            "2026-11-30T10:10:00Z",
            vec![point("2026-11-30T10:05:00Z", 10, 10, (1, 0, 0))],
        );
        let drawn = paths(&Frame::of(&chart), &chart.points);
        assert_eq!(drawn.line, "M342.0,8.0 L632.0,8.0");
    }

    #[test]
    fn no_points_draw_nothing() {
        let chart = chart("7d", "2026-11-23T10:00:00Z", "2026-11-30T10:00:00Z", vec![]);
        assert_eq!(paths(&Frame::of(&chart), &chart.points), Paths::default());
        assert!(marks(&Frame::of(&chart), &chart.points).is_empty());
        assert_eq!(
            summary(&chart),
            "Response times over the last 7 days: no checks yet."
        );
    }

    #[test]
    fn down_outranks_degraded_and_up_buckets_are_not_marked() {
        let chart = chart(
            "24h",
            "2026-11-30T00:00:00Z",
            "2026-12-01T00:00:00Z",
            vec![
                point("2026-11-30T10:00:00Z", 100, 120, (12, 0, 0)),
                point("2026-11-30T10:05:00Z", 900, 2000, (5, 4, 3)),
                point("2026-11-30T10:10:00Z", 700, 800, (10, 2, 0)),
            ],
        );
        let frame = Frame::of(&chart);
        let found = marks(&frame, &chart.points);
        assert_eq!(found.len(), 2);
        assert_eq!(
            (found[0].mark, found[0].failed, found[0].checks),
            (Mark::Down, 3, 12)
        );
        assert_eq!((found[1].mark, found[1].failed), (Mark::Degraded, 2));
        // A 5-minute bucket of a day is thin, but never invisible.
        assert!(found[0].width >= MARK_MIN_WIDTH);
        assert!(found[0].x < found[1].x);
    }

    #[test]
    fn the_summary_says_typical_and_slowest_times_and_failures() {
        let chart = chart(
            "24h",
            "2026-11-30T00:00:00Z",
            "2026-12-01T00:00:00Z",
            vec![
                point("2026-11-30T10:00:00Z", 100, 150, (3, 0, 0)),
                point("2026-11-30T10:05:00Z", 500, 1500, (0, 0, 1)),
                point("2026-11-30T10:10:00Z", 300, 400, (0, 1, 0)),
            ],
        );
        assert_eq!(
            summary(&chart),
            "Response times over the last 24 hours: 220 ms on average, 1.5 s at the slowest. \
             Uptime 99.50%. Down in 1 period, degraded in 1 more."
        );
    }

    #[test]
    fn the_time_axis_falls_on_round_local_times() {
        let chart = chart(
            "24h",
            "2026-11-30T10:17:00Z",
            "2026-12-01T10:17:00Z",
            vec![],
        );
        let frame = Frame::of(&chart);
        let utc = FixedOffset::east_opt(0).unwrap();
        let labels: Vec<String> = x_ticks(&frame, "24h", utc)
            .into_iter()
            .map(|t| t.1)
            .collect();
        assert_eq!(labels, ["12:00", "18:00", "00:00", "06:00"]);
        // Two hours east, the same moments are other round hours of the reader's clock.
        let east = FixedOffset::east_opt(2 * 3600).unwrap();
        let labels: Vec<String> = x_ticks(&frame, "24h", east)
            .into_iter()
            .map(|t| t.1)
            .collect();
        assert_eq!(labels, ["18:00", "00:00", "06:00", "12:00"]);
        let week = self::chart("7d", "2026-11-24T10:00:00Z", "2026-12-01T10:00:00Z", vec![]);
        let labels: Vec<String> = x_ticks(&Frame::of(&week), "7d", utc)
            .into_iter()
            .map(|t| t.1)
            .collect();
        assert_eq!(
            labels,
            [
                "25 Nov", "26 Nov", "27 Nov", "28 Nov", "29 Nov", "30 Nov", "1 Dec"
            ]
        );
        let ticks = x_ticks(&Frame::of(&week), "7d", utc);
        assert!(ticks.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn the_response_axis_has_labelled_round_ticks() {
        let frame = Frame {
            from: at("2026-11-30T00:00:00Z"),
            to: at("2026-12-01T00:00:00Z"),
            top_ms: 1000,
            bucket: 300,
        };
        let labels: Vec<String> = y_ticks(&frame).into_iter().map(|t| t.1).collect();
        assert_eq!(labels, ["0 ms", "500 ms", "1 s"]);
    }
}
