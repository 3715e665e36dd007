//! The unit's places where they are, each a circle whose area is its scans in the period, so the
//! command sees at a glance which villages use the codes. Places without coordinates are listed
//! beside the map.

use super::{Align, Canvas, ChartWords, EMPTY, HEADING, INK, LABEL, MUTED, NOTE, SMALL, count};
use crate::fonts::Face;
use chrono::NaiveDate;

const WIDTH: f32 = 960.0;
const HEIGHT: f32 = 640.0;
/// The map's frame.
const MAP: (f32, f32, f32, f32) = (24.0, 84.0, 700.0, 600.0);
/// The busiest place's radius at most; the others scale by the square root of their share.
const MAX_RADIUS: f32 = 36.0;
const MIN_TOP_RADIUS: f32 = 10.0;
/// Share of the map the circles may cover together, so many busy places do not hide each other.
const INKED_SHARE: f32 = 0.06;
/// A place nobody scanned: a hollow ring of this radius.
const RING: f32 = 4.5;
/// Kept free inside the frame so circles and labels at the edge stay whole.
const MARGIN: f32 = MAX_RADIUS + 8.0;
const FILL: &str = "#0072B2";
const KM_PER_DEGREE: f64 = 111.32;
/// A place further than this from the middle of the others is left off the map and listed beside
/// it, as are places further than [`STRAY_FACTOR`] times the others' usual distance from the middle:
/// one mistyped coordinate (21.95 written 12.95, a 0 left in) would otherwise zoom the map out until
/// every real village sits on one spot. A post's places lie within a few tens of kilometres, a
/// province's within two hundred; a digit wrong before the decimal point moves a place by hundreds.
const STRAY_KM: f64 = 100.0;
const STRAY_FACTOR: f64 = 8.0;

#[derive(Debug, Clone, PartialEq)]
pub struct PlaceDot {
    pub name: String,
    /// People's scans in the period.
    pub people: u64,
    /// Latitude and longitude (WGS 84), when known.
    pub at: Option<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlacesMap {
    pub unit: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub places: Vec<PlaceDot>,
}

/// Equirectangular projection fitted to the places' bounding box: longitude shrunk by the cosine of
/// the middle latitude so distances east and north look alike, one scale for both axes.
struct Projection {
    lat0: f64,
    lon0: f64,
    /// Pixels per projected degree.
    scale: f64,
    cos: f64,
    centre: (f32, f32),
}

impl Projection {
    fn fit(points: &[(f64, f64)]) -> Option<Self> {
        let (first, rest) = points.split_first()?;
        let (mut lat_min, mut lat_max, mut lon_min, mut lon_max) = (first.0, first.0, first.1, first.1);
        for (lat, lon) in rest {
            (lat_min, lat_max) = (lat_min.min(*lat), lat_max.max(*lat));
            (lon_min, lon_max) = (lon_min.min(*lon), lon_max.max(*lon));
        }
        let lat0 = (lat_min + lat_max) / 2.0;
        let lon0 = (lon_min + lon_max) / 2.0;
        let cos = lat0.to_radians().cos().max(0.01);
        let (w, h) = ((lon_max - lon_min) * cos, lat_max - lat_min);
        let (fw, fh) = (f64::from(MAP.2 - MAP.0 - 2.0 * MARGIN), f64::from(MAP.3 - MAP.1 - 2.0 * MARGIN));
        // One place, or all at one spot: any scale does; the point sits in the middle.
        let scale = match (w > 1e-9, h > 1e-9) {
            (false, false) => 0.0,
            (true, false) => fw / w,
            (false, true) => fh / h,
            (true, true) => (fw / w).min(fh / h),
        };
        let centre = ((MAP.0 + MAP.2) / 2.0, (MAP.1 + MAP.3) / 2.0);
        Some(Self { lat0, lon0, scale, cos, centre })
    }

    fn project(&self, (lat, lon): (f64, f64)) -> (f32, f32) {
        let x = (lon - self.lon0) * self.cos * self.scale;
        let y = (lat - self.lat0) * self.scale;
        (self.centre.0 + x as f32, self.centre.1 - y as f32)
    }

    /// A round distance of at most about 160 px, with its length in pixels.
    fn scale_bar(&self) -> Option<(f64, f32)> {
        if self.scale <= 0.0 {
            return None;
        }
        let px_per_km = self.scale / KM_PER_DEGREE;
        let fits = 160.0 / px_per_km;
        let km = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0]
            .into_iter()
            .rev()
            .find(|k| *k <= fits)?;
        Some((km, (km * px_per_km) as f32))
    }
}

/// The median of `values` (which it sorts); `None` when there are none.
fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

/// Which of `points` lie far from all the others (see [`STRAY_KM`]). With fewer than three points
/// there is no telling which one is wrong, and none is.
fn strays(points: &[(f64, f64)]) -> Vec<bool> {
    if points.len() < 3 {
        return vec![false; points.len()];
    }
    let (Some(lat), Some(lon)) = (
        median(&mut points.iter().map(|p| p.0).collect::<Vec<_>>()),
        median(&mut points.iter().map(|p| p.1).collect::<Vec<_>>()),
    ) else {
        return vec![false; points.len()];
    };
    let cos = lat.to_radians().cos();
    let km = |(a, b): &(f64, f64)| ((a - lat).hypot((b - lon) * cos)) * KM_PER_DEGREE;
    let distances: Vec<f64> = points.iter().map(km).collect();
    let usual = median(&mut distances.clone()).unwrap_or(0.0);
    let limit = (STRAY_FACTOR * usual).max(STRAY_KM);
    distances.into_iter().map(|d| d > limit).collect()
}

/// The radius of a place with `people` scans when the busiest has `max`: area in proportion.
fn radius(people: u64, max: u64, top: f32) -> f32 {
    if people == 0 || max == 0 {
        return RING;
    }
    top * (people as f32 / max as f32).sqrt()
}

/// The busiest place's radius: the circles' areas sum to a fixed share of the map (within bounds).
/// With radii `top·√(p/max)`, that sum is `π·top²·Σp/max`.
fn top_radius(max: u64, sum: u64) -> f32 {
    if max == 0 {
        return MAX_RADIUS;
    }
    let area = (MAP.2 - MAP.0) * (MAP.3 - MAP.1) * INKED_SHARE;
    (area * max as f32 / (std::f32::consts::PI * sum as f32)).sqrt().clamp(MIN_TOP_RADIUS, MAX_RADIUS)
}

fn overlaps(a: (f32, f32, f32, f32), b: (f32, f32, f32, f32)) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Where a label may go, best first: beside its circle (right, left, above, below), then further
/// down or up on either side, with a leader line.
fn label_spots(x: f32, y: f32, r: f32) -> Vec<(f32, f32, Align)> {
    let mut spots = vec![
        (x + r + 4.0, y + 4.0, Align::Start),
        (x - r - 4.0, y + 4.0, Align::End),
        (x, y - r - 5.0, Align::Middle),
        (x, y + r + 14.0, Align::Middle),
    ];
    for step in 1..=6 {
        for dy in [14.0 * step as f32, -14.0 * step as f32] {
            spots.push((x + r + 12.0, y + 4.0 + dy, Align::Start));
            spots.push((x - r - 12.0, y + 4.0 + dy, Align::End));
        }
    }
    spots
}

/// The box `text` takes as a label at `spot`.
fn label_box((x, y, align): (f32, f32, Align), text: &str) -> (f32, f32, f32, f32) {
    let w = LABEL.face.width(text, LABEL.size);
    let x0 = match align {
        Align::End => x - w,
        Align::Middle => x - w / 2.0,
        Align::Start => x,
    };
    (x0, y - 11.0, x0 + w, y + 3.0)
}

/// Whether a box lies inside the map's frame.
fn inside(b: (f32, f32, f32, f32)) -> bool {
    b.0 >= MAP.0 + 2.0 && b.2 <= MAP.2 - 2.0 && b.1 >= MAP.1 && b.3 <= MAP.3
}

/// The first of `spots` where `text` stays inside the frame and clear of every `blocked` box.
fn free_spot(spots: &[(f32, f32, Align)], text: &str, blocked: &[(f32, f32, f32, f32)]) -> Option<(f32, f32, Align)> {
    spots.iter().copied().find(|s| {
        let b = label_box(*s, text);
        inside(b) && !blocked.iter().any(|t| overlaps(*t, b))
    })
}

pub fn places_svg(map: &PlacesMap, words: &ChartWords) -> String {
    let period = words.period(map.from, map.to);
    let title = format!("{} — {}", words.places_title, map.unit);
    let mut c = Canvas::new(WIDTH, HEIGHT, words.lang, &format!("{title}, {period}"));
    let (font, shown) = super::fitted_title(&title, WIDTH - 2.0 * MAP.0);
    c.text(MAP.0, 36.0, font, Align::Start, &shown);
    let total: u64 = map.places.iter().map(|p| p.people).sum();
    c.text(
        MAP.0,
        60.0,
        NOTE,
        Align::Start,
        &format!("{period} · {} · {}{}{}", words.measure, words.total, words.colon, count(total)),
    );
    c.raw(&format!(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f6f8f9\" stroke=\"#c8d0d4\"/>",
        MAP.0,
        MAP.1,
        MAP.2 - MAP.0,
        MAP.3 - MAP.1
    ));

    let with_coordinates: Vec<(usize, (f64, f64))> =
        map.places.iter().enumerate().filter_map(|(i, p)| p.at.map(|at| (i, at))).collect();
    let stray = strays(&with_coordinates.iter().map(|(_, at)| *at).collect::<Vec<_>>());
    let (located, far): (Vec<_>, Vec<_>) = with_coordinates.into_iter().zip(stray).partition(|(_, s)| !s);
    let located: Vec<(usize, (f64, f64))> = located.into_iter().map(|(p, _)| p).collect();
    let far: Vec<&PlaceDot> = far.into_iter().map(|((i, _), _)| &map.places[i]).collect();
    let max = located.iter().map(|(i, _)| map.places[*i].people).max().unwrap_or(0);
    let top = top_radius(max, located.iter().map(|(i, _)| map.places[*i].people).sum());
    let points: Vec<(f64, f64)> = located.iter().map(|(_, at)| *at).collect();
    // Places whose name did not fit on the map: numbered there, named beside it.
    let mut keyed: Vec<usize> = Vec::new();
    match Projection::fit(&points) {
        None => c.text((MAP.0 + MAP.2) / 2.0, (MAP.1 + MAP.3) / 2.0, EMPTY, Align::Middle, words.no_places),
        Some(projection) => {
            // The biggest first, so a small circle on top of a big one stays visible.
            let mut order: Vec<(usize, (f32, f32), f32)> = located
                .iter()
                .map(|(i, at)| (*i, projection.project(*at), radius(map.places[*i].people, max, top)))
                .collect();
            order.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
            for (i, (x, y), r) in &order {
                let circle = if map.places[*i].people == 0 {
                    format!("fill=\"#ffffff\" stroke=\"{FILL}\" stroke-width=\"1.5\"")
                } else {
                    format!("fill=\"{FILL}\" fill-opacity=\"0.45\" stroke=\"{FILL}\" stroke-width=\"1.5\"")
                };
                c.raw(&format!("<circle id=\"place-{i}\" cx=\"{x:.2}\" cy=\"{y:.2}\" r=\"{r:.3}\" {circle}/>"));
            }
            // Labels beside their circle (right, left, above, below); where villages crowd, further
            // down or up with a thin leader line to the circle. Labels have a white halo, so one
            // that crosses a circle stays legible.
            let circles: Vec<(f32, f32, f32, f32)> =
                order.iter().map(|(_, (x, y), r)| (x - r, y - r, x + r, y + r)).collect();
            // The scale bar's corner is kept free of labels too.
            let bar = projection.scale_bar();
            let bar_at = (MAP.0 + 16.0, MAP.3 - 16.0);
            let mut taken: Vec<(f32, f32, f32, f32)> = bar
                .iter()
                .map(|(_, px)| (bar_at.0 - 4.0, bar_at.1 - 22.0, bar_at.0 + px + 4.0, bar_at.1 + 4.0))
                .collect();
            let mut by_position = order.clone();
            by_position.sort_by(|a, b| a.1.1.total_cmp(&b.1.1).then(a.0.cmp(&b.0)));
            for (i, (x, y), r) in by_position {
                let p = &map.places[i];
                let candidates = label_spots(x, y, r);
                let label = format!("{} ({})", p.name, count(p.people));
                let blocked: Vec<_> = taken.iter().chain(&circles).copied().collect();
                // A name that finds no free spot gets a number instead, and the name goes beside
                // the map under that number: crowded villages stay legible.
                let (text, spot) = match free_spot(&candidates, &label, &blocked) {
                    Some(spot) => (label, spot),
                    None => {
                        keyed.push(i);
                        let key = keyed.len().to_string();
                        let spot = free_spot(&candidates, &key, &blocked)
                            .or_else(|| candidates.iter().copied().find(|c| inside(label_box(*c, &key))))
                            .unwrap_or(candidates[0]);
                        (key, spot)
                    }
                };
                if !candidates[..4].contains(&spot) {
                    let end_x = if spot.2 == Align::End { spot.0 + 2.0 } else { spot.0 - 2.0 };
                    let dx = end_x - x;
                    let dy = spot.1 - 4.0 - y;
                    let len = (dx * dx + dy * dy).sqrt().max(1.0);
                    c.line((x + dx / len * r, y + dy / len * r), (end_x, spot.1 - 4.0), MUTED, 0.75);
                }
                taken.push(label_box(spot, &text));
                c.halo_text(spot.0, spot.1, LABEL, spot.2, &text);
            }
            if let Some((km, px)) = bar {
                let (x, y) = bar_at;
                c.line((x, y), (x + px, y), INK, 2.0);
                c.line((x, y - 5.0), (x, y + 1.0), INK, 2.0);
                c.line((x + px, y - 5.0), (x + px, y + 1.0), INK, 2.0);
                let km = if km < 1.0 { format!("{km:.1} km") } else { format!("{km:.0} km") };
                c.text(x + px / 2.0, y - 8.0, LABEL, Align::Middle, &km);
            }
        }
    }

    // Beside the map: how to read it, then the places it cannot show.
    let side = MAP.2 + 24.0;
    let mut y = MAP.1 + 14.0;
    for note in [words.area_note, words.unused_note] {
        for line in wrap(note, WIDTH - side - 16.0, SMALL.face, SMALL.size) {
            c.text(side, y, SMALL, Align::Start, &line);
            y += 16.0;
        }
        y += 6.0;
    }
    let entry = |p: &PlaceDot| format!("{} ({})", p.name, count(p.people));
    let numbered: Vec<String> =
        keyed.iter().enumerate().map(|(n, i)| format!("{}. {}", n + 1, entry(&map.places[*i]))).collect();
    let unplaced: Vec<String> = map.places.iter().filter(|p| p.at.is_none()).map(entry).collect();
    let far: Vec<String> = far.into_iter().map(entry).collect();
    let lists = [(words.numbered, numbered), (words.no_coordinates, unplaced), (words.far_away, far)];
    // Every entry is listed: the chart grows below the map when the lists are long.
    for (heading, entries) in lists.into_iter().filter(|(_, e)| !e.is_empty()) {
        y += 14.0;
        for line in wrap(heading, WIDTH - side - 16.0, HEADING.face, HEADING.size) {
            c.text(side, y, HEADING, Align::Start, &line);
            y += 20.0;
        }
        for entry in entries {
            for line in wrap(&entry, WIDTH - side - 16.0, LABEL.face, LABEL.size) {
                c.text(side, y, LABEL, Align::Start, &line);
                y += 16.0;
            }
        }
    }
    c.grow_to(y);
    c.finish()
}

/// `text` in lines no wider than `width` in `face` at `size`, broken between words.
fn wrap(text: &str, width: f32, face: Face, size: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
        if !line.is_empty() && face.width(&candidate, size) > width {
            lines.push(std::mem::replace(&mut line, word.to_owned()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::testing::{keep, parse, shapes, texts};

    fn dot(name: &str, people: u64, at: Option<(f64, f64)>) -> PlaceDot {
        PlaceDot { name: name.into(), people, at }
    }

    fn map(places: Vec<PlaceDot>) -> PlacesMap {
        PlacesMap {
            unit: "Đồn Biên phòng Bắc Xa".into(),
            from: NaiveDate::from_ymd_opt(2026, 11, 4).expect("d"),
            to: NaiveDate::from_ymd_opt(2026, 12, 3).expect("d"),
            places,
        }
    }

    /// The radius of `place-{i}` as drawn (half its bounding box).
    fn radius_of(svg: &str, i: usize) -> f32 {
        let all = shapes(&parse(svg), "place-");
        let s = all.iter().find(|s| s.0 == format!("place-{i}")).expect("circle");
        s.3 / 2.0
    }

    #[test]
    fn areas_are_in_proportion_to_scans() {
        let m = map(vec![
            dot("Nhà văn hóa thôn Nà Pàn", 100, Some((21.952, 106.712))),
            dot("Trụ sở UBND xã Kiên Mộc", 25, Some((21.938, 106.745))),
            dot("Trạm Biên phòng Khuổi Phầy", 0, Some((21.975, 106.760))),
            dot("Chốt tuần tra mốc 1090", 9, None),
        ]);
        let svg = places_svg(&m, ChartWords::vietnamese());
        keep("places", &svg);
        let (big, quarter) = (radius_of(&svg, 0), radius_of(&svg, 1));
        assert!((big / quarter - 2.0).abs() < 0.01, "4× the scans, 2× the radius: {big} {quarter}");
        assert!((radius_of(&svg, 2) - RING).abs() < 0.2, "unused place still drawn");
        assert!(svg.contains("id=\"place-2\"") && svg.contains("fill=\"#ffffff\""), "a hollow ring");
        assert_eq!(shapes(&parse(&svg), "place-").len(), 3, "the place without coordinates is not on the map");
        let all = texts(&svg);
        for label in ["Nhà văn hóa thôn Nà Pàn (100)", "Trạm Biên phòng Khuổi Phầy (0)", "Chưa có tọa độ"]
        {
            assert!(all.contains(&label.to_owned()), "{label}: {all:?}");
        }
        assert!(all.contains(&"Chốt tuần tra mốc 1090 (9)".to_owned()), "listed beside the map: {all:?}");
        assert!(all.iter().any(|t| t.ends_with(" km")), "a scale: {all:?}");
        // North is up and east is right.
        let circles = shapes(&parse(&svg), "place-");
        let at =
            |i: usize| circles.iter().find(|s| s.0 == format!("place-{i}")).map(|s| (s.1 + s.3 / 2.0, s.2 + s.4 / 2.0));
        let (house, office, station) = (at(0).expect("0"), at(1).expect("1"), at(2).expect("2"));
        assert!(office.0 > house.0 && station.1 < house.1, "{house:?} {office:?} {station:?}");
        for (x, y) in [house, office, station] {
            assert!(x > MAP.0 && x < MAP.2 && y > MAP.1 && y < MAP.3, "inside the frame");
        }
    }

    #[test]
    fn a_mistyped_coordinate_is_listed_beside_the_map_not_drawn_on_it() {
        let villages = vec![
            dot("Nhà văn hóa thôn Nà Pàn", 40, Some((21.952, 106.712))),
            dot("Trụ sở UBND xã Kiên Mộc", 25, Some((21.938, 106.745))),
            dot("Trạm Biên phòng Khuổi Phầy", 7, Some((21.975, 106.760))),
        ];
        let plain = places_svg(&map(villages.clone()), ChartWords::vietnamese());
        // 21.96 typed as 12.96 (about 1,000 km south), and a place left at 0, 0.
        let mut with_typos = villages.clone();
        with_typos.insert(1, dot("Chốt tuần tra mốc 1090", 3, Some((12.96, 106.73))));
        with_typos.push(dot("Cầu Bản Chắt", 0, Some((0.0, 0.0))));
        let svg = places_svg(&map(with_typos), ChartWords::for_lang("en").expect("en"));
        keep("places-strays", &svg);
        let at = |svg: &str, i: usize| {
            let all = shapes(&parse(svg), "place-");
            all.iter().find(|s| s.0 == format!("place-{i}")).map(|s| (s.1, s.2, s.3, s.4))
        };
        // The villages sit exactly where they sit on the map without the typos (ids follow the
        // list: the stray took index 1).
        assert_eq!(at(&svg, 0), at(&plain, 0));
        assert_eq!(at(&svg, 2), at(&plain, 1));
        assert_eq!(at(&svg, 3), at(&plain, 2));
        assert_eq!(at(&svg, 1), None, "the mistyped place is not drawn");
        assert_eq!(at(&svg, 4), None, "nor the one at 0, 0");
        // The heading may wrap: the column's lines read as one text.
        let column = texts(&svg).join(" ");
        for listed in
            ["Far from all the other places: check the coordinates", "Chốt tuần tra mốc 1090 (3)", "Cầu Bản Chắt (0)"]
        {
            assert!(column.contains(listed), "{listed}: {column}");
        }
        // A province's posts two hundred kilometres apart are all drawn: only far outliers go.
        let province = vec![
            dot("Đồn Biên phòng Bắc Xa", 5, Some((21.95, 106.71))),
            dot("Đồn Biên phòng Chi Ma", 5, Some((21.83, 106.85))),
            dot("Đồn Biên phòng Bảo Lâm", 5, Some((22.05, 106.40))),
            dot("Đồn Biên phòng Tân Thanh", 5, Some((21.70, 106.72))),
            dot("Bộ Chỉ huy Bộ đội Biên phòng tỉnh", 5, Some((21.85, 106.76))),
            dot("Đồn Biên phòng Thanh Lòa", 5, Some((22.30, 106.25))),
        ];
        let svg = places_svg(&map(province), ChartWords::vietnamese());
        assert_eq!(shapes(&parse(&svg), "place-").len(), 6);
        assert!(!texts(&svg).iter().any(|t| t.starts_with("Tọa độ ở xa")), "nothing listed as far");
    }

    /// The boxes of the texts inside the map's frame, with their text: from each `<text>`'s
    /// position, anchor and measured length.
    fn label_boxes(svg: &str) -> Vec<(String, (f32, f32, f32, f32))> {
        use resvg::usvg::roxmltree;
        let doc = roxmltree::Document::parse(svg).expect("well-formed XML");
        let number = |n: &roxmltree::Node, a: &str| n.attribute(a).and_then(|v| v.parse::<f32>().ok());
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| {
                let (x, y, w) = (number(&n, "x")?, number(&n, "y")?, number(&n, "textLength")?);
                let x0 = match n.attribute("text-anchor") {
                    Some("middle") => x - w / 2.0,
                    Some("end") => x - w,
                    _ => x,
                };
                Some((n.text()?.to_owned(), (x0, y - 11.0, x0 + w, y + 3.0)))
            })
            .filter(|(_, b)| b.0 >= MAP.0 && b.2 <= MAP.2 && b.1 >= MAP.1 && b.3 <= MAP.3)
            .collect()
    }

    #[test]
    fn crowded_places_with_long_names_get_numbers_not_overlapping_labels() {
        // Forty-two places with long French names within a kilometre or two of each other: more
        // names than the map has room for.
        let places: Vec<PlaceDot> = (0u32..42)
            .map(|i| {
                let (row, col) = (f64::from(i / 7), f64::from(i % 7));
                let name = format!("Point de patrouille du carrefour de Lũng Mần n° {}", i + 1);
                dot(&name, u64::from(i) * 3, Some((21.95 + row * 0.004, 106.71 + col * 0.004)))
            })
            .collect();
        let svg = places_svg(&map(places.clone()), ChartWords::for_lang("fr").expect("fr"));
        keep("places-crowded", &svg);
        let boxes = label_boxes(&svg);
        for (a, (ta, ba)) in boxes.iter().enumerate() {
            for (tb, bb) in &boxes[a + 1..] {
                assert!(!overlaps(*ba, *bb), "{ta:?} overlaps {tb:?}");
            }
        }
        // Every place is named once: on the map, or beside it after the number it has on the map
        // (the column's wrapped lines read as one text).
        let on_map: Vec<&String> = boxes.iter().map(|(t, _)| t).collect();
        let column = texts(&svg).join(" ");
        let mut numbered = 0;
        for p in &places {
            let label = format!("{} ({})", p.name, count(p.people));
            let named_on_map = on_map.iter().any(|t| **t == label);
            match column.find(&format!(". {label}")) {
                Some(at) => {
                    numbered += 1;
                    let number = column[..at].rsplit(' ').next().expect("number").to_owned();
                    assert!(!named_on_map, "{label} named twice");
                    assert!(on_map.iter().any(|t| **t == number), "number {number} of {label} on the map");
                }
                None => assert!(named_on_map, "{label} named nowhere: {column}"),
            }
        }
        assert!(numbered > 0 && column.contains("Numéros sur la carte"), "more names than room: {column}");
    }

    #[test]
    fn two_places_far_apart_are_both_drawn() {
        // With two places there is no telling which is wrong.
        let svg = places_svg(
            &map(vec![dot("A", 1, Some((21.95, 106.71))), dot("B", 2, Some((12.95, 106.71)))]),
            ChartWords::vietnamese(),
        );
        assert_eq!(shapes(&parse(&svg), "place-").len(), 2);
    }

    #[test]
    fn one_place_or_one_spot_does_not_divide_by_zero() {
        for places in [
            vec![dot("Nhà văn hóa", 3, Some((21.95, 106.71)))],
            vec![dot("A", 3, Some((21.95, 106.71))), dot("B", 12, Some((21.95, 106.71)))],
            vec![dot("A", 0, Some((21.95, 106.71))), dot("B", 0, Some((21.95, 106.80)))],
        ] {
            let svg = places_svg(&map(places.clone()), ChartWords::vietnamese());
            let circles = shapes(&parse(&svg), "place-");
            assert_eq!(circles.len(), places.len());
            for c in circles {
                assert!(c.1.is_finite() && c.2.is_finite() && c.3 > 0.0, "{c:?}");
            }
        }
    }

    #[test]
    fn no_places_and_hostile_names() {
        let svg = places_svg(&map(vec![]), ChartWords::for_lang("fr").expect("fr"));
        assert!(texts(&svg).contains(&"Aucun lieu n’a encore de coordonnées".to_owned()));
        let mut m = map(vec![dot("<Nhà> & \"văn\" 'hóa'", 1, Some((21.9, 106.7))), dot("</text><script>", 0, None)]);
        m.unit = "Đồn <&>".into();
        let svg = places_svg(&m, ChartWords::vietnamese());
        assert!(!svg.contains("<script>") && !svg.contains("<Nhà>"));
        parse(&svg);
        let all = texts(&svg);
        assert!(all.contains(&"<Nhà> & \"văn\" 'hóa' (1)".to_owned()), "{all:?}");
        assert!(all.contains(&"</text><script> (0)".to_owned()), "{all:?}");
        assert!(all.iter().any(|t| t.ends_with("— Đồn <&>")), "{all:?}");
    }
}
