//! Choropleth layout: an equirectangular projection of the bounds (standard
//! parallel at their middle latitude), polygons clipped to the frame, values
//! shaded in five quantile classes from light to dark.

use crate::chart::FIGURE_WIDTH;
use crate::document::MapFigure;
use crate::scene::{Anchor, GREY, INK, Mark, Rgb, Scene, WHITE};
use crate::text::{Font, format_number, truncate};

/// ColorBrewer "Blues", five classes, light to dark.
pub(crate) const CLASS_COLOURS: [Rgb; 5] =
    [Rgb(0xef, 0xf3, 0xff), Rgb(0xbd, 0xd7, 0xe7), Rgb(0x6b, 0xae, 0xd6), Rgb(0x31, 0x82, 0xbd), Rgb(0x08, 0x51, 0x9c)];
const NO_DATA: Rgb = Rgb(0xe4, 0xe4, 0xe0);
const SEA: Rgb = Rgb(0xf7, 0xfa, 0xfc);

/// The projection of a lon/lat box onto a `width` × `height` frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Projection {
    west: f64,
    north: f64,
    /// Points per degree of longitude and of latitude.
    kx: f64,
    ky: f64,
    pub width: f64,
    pub height: f64,
}

impl Projection {
    /// Fits `(west, south, east, north)` into at most `max_width` × `max_height`;
    /// an invalid box becomes the whole world.
    pub(crate) fn fit(bounds: (f64, f64, f64, f64), max_width: f64, max_height: f64) -> Self {
        let (w, s, e, n) = bounds;
        let valid = [w, s, e, n].iter().all(|v| v.is_finite())
            && w < e
            && s < n
            && (-180.0..=180.0).contains(&w)
            && (-180.0..=180.0).contains(&e)
            && (-90.0..=90.0).contains(&s)
            && (-90.0..=90.0).contains(&n);
        let (w, s, e, n) = if valid { (w, s, e, n) } else { (-180.0, -90.0, 180.0, 90.0) };
        let cos = ((s + n) / 2.0).to_radians().cos().max(0.1);
        let aspect = (n - s) / ((e - w) * cos);
        let (width, height) = if max_width * aspect <= max_height {
            (max_width, max_width * aspect)
        } else {
            (max_height / aspect, max_height)
        };
        Projection { west: w, north: n, kx: width / (e - w), ky: height / (n - s), width, height }
    }

    /// Frame coordinates (y down) of a lon/lat point.
    pub(crate) fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        ((lon - self.west) * self.kx, (self.north - lat) * self.ky)
    }
}

/// Clips a closed ring to the rectangle `[0, w] × [0, h]` (Sutherland–Hodgman).
pub(crate) fn clip_ring(ring: &[(f64, f64)], w: f64, h: f64) -> Vec<(f64, f64)> {
    type Inside = fn((f64, f64), f64) -> bool;
    let edges: [(Inside, f64, bool); 4] = [
        (|p, _| p.0 >= 0.0, 0.0, true),
        (|p, lim| p.0 <= lim, w, true),
        (|p, _| p.1 >= 0.0, 0.0, false),
        (|p, lim| p.1 <= lim, h, false),
    ];
    let mut points: Vec<(f64, f64)> = ring.iter().copied().filter(|p| p.0.is_finite() && p.1.is_finite()).collect();
    for (inside, limit, vertical) in edges {
        if points.is_empty() {
            break;
        }
        let input = std::mem::take(&mut points);
        let cross = |a: (f64, f64), b: (f64, f64)| {
            if vertical {
                let t = (limit - a.0) / (b.0 - a.0);
                (limit, a.1 + t * (b.1 - a.1))
            } else {
                let t = (limit - a.1) / (b.1 - a.1);
                (a.0 + t * (b.0 - a.0), limit)
            }
        };
        let mut prev = input[input.len() - 1];
        for &cur in &input {
            match (inside(cur, limit), inside(prev, limit)) {
                (true, true) => points.push(cur),
                (true, false) => {
                    points.push(cross(prev, cur));
                    points.push(cur);
                }
                (false, true) => points.push(cross(prev, cur)),
                (false, false) => {}
            }
            prev = cur;
        }
    }
    points
}

/// Class breaks: the upper bounds of up to five quantile classes of the finite
/// values (ties kept in one class), as `(low, high)` per class.
pub(crate) fn classes(values: &[f64]) -> Vec<(f64, f64)> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let mut out: Vec<(f64, f64)> = Vec::new();
    let mut start = 0;
    for k in 1..=5 {
        let end = (k * n).div_ceil(5);
        if end <= start {
            continue;
        }
        // Keep equal values together: extend the class over ties.
        let mut end = end;
        while end < n && sorted[end] == sorted[end - 1] {
            end += 1;
        }
        out.push((sorted[start], sorted[end - 1]));
        start = end;
        if start >= n {
            break;
        }
    }
    out
}

/// The class index of `value` among `classes` (by their upper bounds).
fn class_of(classes: &[(f64, f64)], value: f64) -> usize {
    classes.iter().position(|&(_, hi)| value <= hi).unwrap_or(classes.len().saturating_sub(1))
}

/// The colour of class `k` of `count`: spread over the five shades.
fn class_colour(k: usize, count: usize) -> Rgb {
    let index = if count <= 1 { 2 } else { k * 4 / (count - 1) };
    CLASS_COLOURS[index.min(4)]
}

/// Lays a map out as a scene.
pub(crate) fn layout(map: &MapFigure) -> Scene {
    let mut marks = Vec::new();
    let title = truncate(&map.title, Font::Bold, 11.0, FIGURE_WIDTH);
    marks.push(Mark::Text {
        x: 0.0,
        y: 12.0,
        text: title,
        size: 11.0,
        anchor: Anchor::Start,
        font: Font::Bold,
        fill: INK,
    });
    let top = 20.0;
    let projection = Projection::fit(map.bounds, FIGURE_WIDTH, 420.0);
    let left = (FIGURE_WIDTH - projection.width) / 2.0;
    marks.push(Mark::Rect { x: left, y: top, w: projection.width, h: projection.height, fill: SEA });
    let values: Vec<f64> = map.values.values().copied().filter(|v| v.is_finite()).collect();
    let classes = classes(&values);
    for shape in &map.shapes {
        let rings: Vec<Vec<(f64, f64)>> = shape
            .rings
            .iter()
            .map(|ring| {
                let projected: Vec<(f64, f64)> = ring.iter().map(|&(lon, lat)| projection.project(lon, lat)).collect();
                clip_ring(&projected, projection.width, projection.height)
                    .into_iter()
                    .map(|(x, y)| (x + left, y + top))
                    .collect::<Vec<_>>()
            })
            .filter(|ring: &Vec<(f64, f64)>| ring.len() >= 3)
            .collect();
        if rings.is_empty() {
            continue;
        }
        let fill = match map.values.get(&shape.key) {
            Some(&v) if v.is_finite() && !shape.key.is_empty() => class_colour(class_of(&classes, v), classes.len()),
            _ => NO_DATA,
        };
        marks.push(Mark::Area { rings, fill, stroke: Some((WHITE, 0.4)) });
    }
    let frame = [
        (left, top),
        (left + projection.width, top),
        (left + projection.width, top + projection.height),
        (left, top + projection.height),
    ];
    for i in 0..4 {
        marks.push(Mark::Line { from: frame[i], to: frame[(i + 1) % 4], stroke: GREY, width: 0.5, dashed: false });
    }
    // Legend: one swatch per class, then "no data".
    let mut y = top + projection.height + 16.0;
    marks.push(Mark::Text {
        x: 0.0,
        y,
        text: truncate(&map.legend_title, Font::Bold, 8.0, FIGURE_WIDTH),
        size: 8.0,
        anchor: Anchor::Start,
        font: Font::Bold,
        fill: INK,
    });
    y += 6.0;
    let decimals = if values.iter().all(|v| v.fract() == 0.0) { 0 } else { 1 };
    let mut entries: Vec<(Rgb, String)> = classes
        .iter()
        .enumerate()
        .map(|(k, &(lo, hi))| {
            let text = if lo == hi {
                format_number(lo, decimals)
            } else {
                format!("{} \u{2013} {}", format_number(lo, decimals), format_number(hi, decimals))
            };
            (class_colour(k, classes.len()), text)
        })
        .collect();
    entries.push((NO_DATA, String::from("no data")));
    let slot = FIGURE_WIDTH / 6.0;
    for (i, (colour, text)) in entries.into_iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let x = slot * i as f64;
        marks.push(Mark::Rect { x, y, w: 12.0, h: 9.0, fill: colour });
        marks.push(Mark::Text {
            x: x + 15.0,
            y: y + 7.5,
            text: truncate(&text, Font::Regular, 7.5, slot - 17.0),
            size: 7.5,
            anchor: Anchor::Start,
            font: Font::Regular,
            fill: INK,
        });
    }
    let shaded = map.values.iter().filter(|(k, v)| v.is_finite() && !k.is_empty()).count();
    let label = format!(
        "Map: {}; {} areas shaded in {} classes by {}",
        map.title,
        shaded,
        classes.len(),
        if map.legend_title.is_empty() { "value" } else { &map.legend_title }
    );
    Scene { width: FIGURE_WIDTH, height: y + 14.0, label, marks }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::document::Shape;

    #[test]
    fn projection_maps_corners_and_keeps_aspect() {
        let p = Projection::fit((-10.0, 30.0, 40.0, 60.0), 480.0, 420.0);
        assert_eq!(p.project(-10.0, 60.0), (0.0, 0.0));
        let (x, y) = p.project(40.0, 30.0);
        assert!((x - p.width).abs() < 1e-9 && (y - p.height).abs() < 1e-9);
        // 50° of longitude at cos(45°) against 30° of latitude.
        let expected = 30.0 / (50.0 * 45f64.to_radians().cos());
        assert!((p.height / p.width - expected).abs() < 1e-9);
        let world = Projection::fit((f64::NAN, 0.0, 1.0, 1.0), 480.0, 420.0);
        assert_eq!(world.project(-180.0, 90.0), (0.0, 0.0));
        assert!(world.width <= 480.0 && world.height <= 420.0);
    }

    #[test]
    fn rings_are_clipped_to_the_frame() {
        let ring = vec![(-10.0, -10.0), (20.0, -10.0), (20.0, 20.0), (-10.0, 20.0)];
        let clipped = clip_ring(&ring, 10.0, 10.0);
        assert!(clipped.iter().all(|p| (0.0..=10.0).contains(&p.0) && (0.0..=10.0).contains(&p.1)));
        assert_eq!(clipped.len(), 4);
        assert!(clip_ring(&[(20.0, 20.0), (30.0, 20.0), (30.0, 30.0)], 10.0, 10.0).is_empty());
    }

    #[test]
    fn classes_are_quantiles_with_ties_together() {
        let values: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(classes(&values), vec![(1.0, 2.0), (3.0, 4.0), (5.0, 6.0), (7.0, 8.0), (9.0, 10.0)]);
        assert_eq!(classes(&[3.0, 3.0, 3.0]), vec![(3.0, 3.0)]);
        assert_eq!(classes(&[f64::NAN]), vec![]);
        let c = classes(&[1.0, 1.0, 1.0, 1.0, 9.0]);
        assert_eq!(c, vec![(1.0, 1.0), (9.0, 9.0)]);
        assert_eq!(class_colour(0, 2), CLASS_COLOURS[0]);
        assert_eq!(class_colour(1, 2), CLASS_COLOURS[4]);
    }

    #[test]
    fn the_map_shades_by_value() {
        let square = |x: f64| vec![vec![(x, 0.0), (x + 1.0, 0.0), (x + 1.0, 1.0), (x, 1.0)]];
        let map = MapFigure {
            title: "Nationalities".into(),
            shapes: vec![
                Shape { key: "AA".into(), label: "A".into(), rings: square(0.0) },
                Shape { key: "BB".into(), label: "B".into(), rings: square(2.0) },
                Shape { key: "CC".into(), label: "C".into(), rings: square(50.0) },
            ],
            values: HashMap::from([("AA".into(), 1.0), ("BB".into(), 100.0), ("ZZ".into(), f64::NAN)]),
            bounds: (-1.0, -1.0, 4.0, 2.0),
            legend_title: "Detections".into(),
        };
        let scene = layout(&map);
        let fills: Vec<Rgb> = scene
            .marks
            .iter()
            .filter_map(|m| if let Mark::Area { fill, .. } = m { Some(*fill) } else { None })
            .collect();
        assert_eq!(fills, vec![CLASS_COLOURS[0], CLASS_COLOURS[4]], "CC lies outside the bounds");
        assert!(scene.to_svg().contains("no data"));
    }
}
