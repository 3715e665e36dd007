//! Scans per day, one line per group (the place kinds), with a legend of each group's total.

use super::{Align, Canvas, ChartWords, EMPTY, GRID, INK, LEGEND, LEGEND_TOTAL, NOTE, SMALL, count, style, ticks};
use crate::fonts::Face;
use chrono::{Datelike, NaiveDate, Weekday};
use std::fmt::Write as _;

const WIDTH: f32 = 960.0;
const HEIGHT: f32 = 540.0;
const LEFT: f32 = 64.0;
const TOP: f32 = 96.0;
const BOTTOM: f32 = 470.0;
/// Markers on every day while the days are wide enough to tell them apart.
const MARKED_DAYS: usize = 45;
/// Longer than this, the axis labels months (with their year), not days.
const MONTH_LABELS: usize = 98;

/// One group's figure for each day of the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DailyScans {
    /// The unit's name.
    pub unit: String,
    /// Every day of the period, in order (at least one).
    pub days: Vec<NaiveDate>,
    /// One per group, each with a value for every day.
    pub series: Vec<Series>,
}

/// Which days get a label on the axis: every day while there is room, then Mondays, then the
/// first of each month (every third month over long periods).
fn labelled(days: &[NaiveDate]) -> Vec<usize> {
    let n = days.len();
    let pick = |keep: &dyn Fn(NaiveDate) -> bool| -> Vec<usize> { (0..n).filter(|i| keep(days[*i])).collect() };
    match n {
        0..=14 => (0..n).collect(),
        15..=28 => (0..n).step_by(2).collect(),
        29..=MONTH_LABELS => pick(&|d| d.weekday() == Weekday::Mon),
        99..=400 => pick(&|d| d.day() == 1),
        _ => pick(&|d| d.day() == 1 && d.month0() % 3 == 0),
    }
}

/// The chart as a standalone SVG document.
pub fn scans_svg(chart: &DailyScans, words: &ChartWords) -> String {
    let (Some(first), Some(last)) = (chart.days.first(), chart.days.last()) else {
        return Canvas::new(WIDTH, HEIGHT, words.lang, words.scans_title).finish();
    };
    let period = words.period(*first, *last);
    let title = format!("{} — {}", words.scans_title, chart.unit);
    let mut c = Canvas::new(WIDTH, HEIGHT, words.lang, &format!("{title}, {period}"));
    let (font, shown) = super::fitted_title(&title, WIDTH - 2.0 * LEFT);
    c.text(LEFT, 36.0, font, Align::Start, &shown);
    let totals: Vec<u64> = chart.series.iter().map(|s| s.values.iter().sum()).collect();
    let total: u64 = totals.iter().sum();
    c.text(LEFT, 60.0, NOTE, Align::Start, &format!("{period} · {}", words.measure));

    // The legend sets the plot's right edge: as wide as its longest line.
    let legend_lines: Vec<String> =
        chart.series.iter().zip(&totals).map(|(s, t)| format!("{}{}{}", s.name, words.colon, count(*t))).collect();
    let legend_total = format!("{}{}{}", words.total, words.colon, count(total));
    let text_width =
        legend_lines.iter().map(|l| Face::Regular.width(l, 13.0)).fold(Face::Bold.width(&legend_total, 13.0), f32::max);
    let legend_x = WIDTH - 24.0 - 36.0 - text_width.min(260.0);
    let right = legend_x - 28.0;

    let max = chart.series.iter().flat_map(|s| s.values.iter().copied()).max().unwrap_or(0);
    let ticks = ticks(max);
    let top_value = ticks.last().copied().unwrap_or(1).max(1) as f32;
    let y_of = |v: u64| BOTTOM - (v as f32 / top_value) * (BOTTOM - TOP);
    let n = chart.days.len();
    // Days sit in the middle of equal slots, so a one-day chart has its point in the middle.
    let slot = (right - LEFT) / n as f32;
    let x_of = |i: usize| LEFT + slot * (i as f32 + 0.5);

    for t in &ticks {
        let y = y_of(*t);
        c.line((LEFT, y), (right, y), GRID, 1.0);
        c.text(LEFT - 8.0, y + 4.0, SMALL, Align::End, &count(*t));
    }
    c.line((LEFT, BOTTOM), (right, BOTTOM), INK, 1.0);
    for i in labelled(&chart.days) {
        let x = x_of(i);
        c.line((x, BOTTOM), (x, BOTTOM + 5.0), INK, 1.0);
        let day = chart.days[i];
        let label = if n > MONTH_LABELS { words.axis_month(day) } else { words.axis_day(day) };
        c.text(x, BOTTOM + 20.0, SMALL, Align::Middle, &label);
    }
    if total == 0 {
        c.text((LEFT + right) / 2.0, (TOP + BOTTOM) / 2.0, EMPTY, Align::Middle, words.no_scans);
    }

    for (i, s) in chart.series.iter().enumerate() {
        let st = style(i);
        let mut points = String::new();
        for (d, v) in s.values.iter().enumerate().take(n) {
            let _ = write!(points, "{}{:.1},{:.1}", if d == 0 { "" } else { " " }, x_of(d), y_of(*v));
        }
        let dash = if st.dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{}\"", st.dash) };
        c.raw(&format!(
            "<polyline id=\"series-{i}\" points=\"{points}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\" \
             stroke-linejoin=\"round\"{dash}/>",
            st.colour
        ));
        if n <= MARKED_DAYS {
            for (d, v) in s.values.iter().enumerate().take(n) {
                c.marker(x_of(d), y_of(*v), 3.5, st);
            }
        }
    }

    // Legend: a sample of each line with its marker, the group's name and its total.
    let mut y = TOP + 6.0;
    for (i, line) in legend_lines.iter().enumerate() {
        let st = style(i);
        let dash = if st.dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{}\"", st.dash) };
        c.raw(&format!(
            "<line x1=\"{legend_x:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{}\" stroke-width=\"2.5\"{dash}/>",
            legend_x + 28.0,
            st.colour
        ));
        c.marker(legend_x + 14.0, y, 3.5, st);
        c.text(legend_x + 36.0, y + 4.5, LEGEND, Align::Start, line);
        y += 24.0;
    }
    c.text(legend_x + 36.0, y + 8.0, LEGEND_TOTAL, Align::Start, &legend_total);
    c.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::testing::{keep, parse, shapes, texts};

    fn days(from: NaiveDate, n: usize) -> Vec<NaiveDate> {
        from.iter_days().take(n).collect()
    }

    fn nov(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).expect("date")
    }

    type Group<'a> = (&'a str, fn(usize) -> u64);

    fn chart(n: usize, groups: &[Group]) -> DailyScans {
        DailyScans {
            unit: "Đồn Biên phòng Bắc Xa".into(),
            days: days(nov(4), n),
            series: groups
                .iter()
                .map(|(name, f)| Series { name: (*name).into(), values: (0..n).map(f).collect() })
                .collect(),
        }
    }

    #[test]
    fn one_line_per_group_and_a_legend_with_totals() {
        let c = chart(
            30,
            &[
                ("Nhà văn hóa", |d| (d % 7) as u64 * 3),
                ("Trạm Biên phòng", |d| if d % 5 == 0 { 12 } else { 1 }),
                ("Trụ sở xã", |_| 0),
            ],
        );
        let svg = scans_svg(&c, ChartWords::vietnamese());
        keep("scans-30-days", &svg);
        let tree = parse(&svg);
        let lines = shapes(&tree, "series-");
        assert_eq!(lines.len(), 3, "{lines:?}");
        let all = texts(&svg);
        let total0: u64 = c.series[0].values.iter().sum();
        assert!(all.contains(&format!("Nhà văn hóa: {total0}")), "{all:?}");
        assert!(all.iter().any(|t| t.starts_with("Lượt quét mã QR theo ngày — Đồn Biên phòng Bắc Xa")), "{all:?}");
        assert!(all.iter().any(|t| t.starts_with("04/11/2026 – 03/12/2026")), "{all:?}");
        // 30 days: Mondays only on the axis (9, 16, 23, 30 November).
        for label in ["09/11", "16/11", "23/11", "30/11"] {
            assert!(all.contains(&label.to_owned()), "{label}: {all:?}");
        }
        assert!(!all.contains(&"10/11".to_owned()));
        // The zero line lies on the x axis; the busiest day reaches the top tick's height or below.
        let flat = lines.iter().find(|l| l.0 == "series-2").expect("flat line");
        assert!(flat.4 < 0.5 && (flat.2 - BOTTOM).abs() < 0.5, "{flat:?}");
    }

    #[test]
    fn french_figures_follow_a_spaced_colon() {
        let c = chart(5, &[("Maison de la culture", |d| 300 * d as u64), ("Station frontalière", |_| 0)]);
        let all = texts(&scans_svg(&c, ChartWords::for_lang("fr").expect("fr")));
        // 0 + 300 + 600 + 900 + 1,200 scans; the colon and the thousands with narrow no-break spaces.
        for label in [
            "Maison de la culture\u{202f}: 3\u{202f}000",
            "Station frontalière\u{202f}: 0",
            "Total\u{202f}: 3\u{202f}000",
        ] {
            assert!(all.contains(&label.to_owned()), "{label}: {all:?}");
        }
        let all = texts(&scans_svg(&c, ChartWords::for_lang("en").expect("en")));
        assert!(all.contains(&"Total: 3\u{202f}000".to_owned()), "{all:?}");
    }

    #[test]
    fn hostile_names_are_escaped() {
        let mut c = chart(3, &[("<b>&\"'", |_| 1)]);
        c.unit = "Trạm <script>alert(1)</script> & \"co\"".into();
        let svg = scans_svg(&c, ChartWords::vietnamese());
        assert!(!svg.contains("<script>") && !svg.contains("<b>"));
        parse(&svg);
        let all = texts(&svg);
        assert!(all.iter().any(|t| t.contains("Trạm <script>alert(1)</script> & \"co\"")), "{all:?}");
        assert!(all.contains(&"<b>&\"': 3".to_owned()), "{all:?}");
    }

    #[test]
    fn a_quiet_period_says_so_and_still_has_a_scale() {
        let c = chart(1, &[("Nhà văn hóa", |_| 0)]);
        let svg = scans_svg(&c, ChartWords::for_lang("en").expect("en"));
        keep("scans-empty", &svg);
        parse(&svg);
        let all = texts(&svg);
        assert!(all.contains(&"No scans in this period".to_owned()), "{all:?}");
        assert!(all.contains(&"5".to_owned()) && all.contains(&"4 Nov".to_owned()), "{all:?}");
        let empty = DailyScans { unit: "x".into(), days: vec![], series: vec![] };
        parse(&scans_svg(&empty, ChartWords::vietnamese()));
    }

    #[test]
    fn long_periods_thin_their_labels() {
        let year: Vec<NaiveDate> = days(NaiveDate::from_ymd_opt(2026, 1, 1).expect("d"), 365);
        let firsts: Vec<u32> = labelled(&year).into_iter().map(|i| year[i].day()).collect();
        assert_eq!(firsts.len(), 12);
        assert!(firsts.iter().all(|d| *d == 1));
        assert_eq!(labelled(&year[..10]).len(), 10);
        let three_years: Vec<NaiveDate> = days(NaiveDate::from_ymd_opt(2024, 1, 1).expect("d"), 1_100);
        assert_eq!(labelled(&three_years).len(), 13);
        let c = chart(365, &[("a", |d| d as u64), ("b", |d| (365 - d) as u64)]);
        let svg = scans_svg(&c, ChartWords::for_lang("fr").expect("fr"));
        keep("scans-year", &svg);
        assert_eq!(shapes(&parse(&svg), "series-").len(), 2);
    }
}
