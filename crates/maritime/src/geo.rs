//! Distances and watched areas (GeoJSON polygons).

use serde_json::Value;

/// Mean Earth radius in metres (IUGG).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;
/// Metres in a nautical mile.
pub const NM: f64 = 1852.0;

/// Great-circle distance in metres between two points, so that implied
/// speeds are right at every latitude: haversine, or for points within 0.1°
/// of each other (the usual step between two reports) the equirectangular
/// approximation, which differs from it by less than 1 part in 10,000 there
/// and costs one cosine instead of five transcendental functions.
#[inline]
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (dlat, dlon) = (lat2 - lat1, lon2 - lon1);
    if dlat.abs() < 0.1 && dlon.abs() < 0.1 {
        let x = dlon.to_radians() * cos_lat(((lat1 + lat2) * 0.5).to_radians());
        let y = dlat.to_radians();
        return EARTH_RADIUS_M * (x * x + y * y).sqrt();
    }
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp * 0.5).sin().powi(2) + p1.cos() * p2.cos() * (dl * 0.5).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
}

/// `cos(x)` for a latitude in radians (|x| ≤ π/2) by its Taylor series to
/// the x¹⁶ term (error below 6e-13, a fifth of libm's time); libm's `cos`
/// for anything else.
#[inline]
pub fn cos_lat(x: f64) -> f64 {
    let within = x.abs() <= std::f64::consts::FRAC_PI_2;
    if !within {
        return x.cos();
    }
    const C: [f64; 8] = [
        -1.0 / 2.0,
        1.0 / 24.0,
        -1.0 / 720.0,
        1.0 / 40_320.0,
        -1.0 / 3_628_800.0,
        1.0 / 479_001_600.0,
        -1.0 / 87_178_291_200.0,
        1.0 / 20_922_789_888_000.0,
    ];
    let x2 = x * x;
    let mut acc = C[7];
    for c in C[..7].iter().rev() {
        // (Not mul_add: without a target FMA it is a slow library call.)
        acc = acc * x2 + *c;
    }
    acc * x2 + 1.0
}

/// Which watched areas a point may be in, from a grid over the areas'
/// bounding boxes (at most 64 × 64 cells): the point is tested only against
/// the areas whose box meets its cell, instead of every area.
#[derive(Debug, Clone)]
pub(crate) struct AreaIndex {
    bbox: [f64; 4],
    cell: f64,
    cols: usize,
    rows: usize,
    /// Start of each cell's ids in `ids`, and one past the end.
    starts: Vec<u32>,
    ids: Vec<u16>,
}

impl AreaIndex {
    /// The index of `areas` (ids are positions in the slice; areas past
    /// 65,535 are not indexed).
    pub(crate) fn new(areas: &[Area]) -> AreaIndex {
        let boxes: Vec<(u16, [f64; 4])> = areas
            .iter()
            .take(usize::from(u16::MAX))
            .enumerate()
            .filter(|(_, a)| a.bbox.iter().all(|v| v.is_finite()))
            .map(|(i, a)| (i as u16, a.bbox))
            .collect();
        if boxes.is_empty() {
            // An empty box that holds no point.
            let bbox = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
            return AreaIndex { bbox, cell: 1.0, cols: 1, rows: 1, starts: vec![0, 0], ids: Vec::new() };
        }
        let mut bbox = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for (_, b) in &boxes {
            bbox = [bbox[0].min(b[0]), bbox[1].min(b[1]), bbox[2].max(b[2]), bbox[3].max(b[3])];
        }
        let cell = ((bbox[2] - bbox[0]).max(bbox[3] - bbox[1]) / 64.0).max(1e-9);
        let cols = (((bbox[2] - bbox[0]) / cell).floor() as usize + 1).min(65);
        let rows = (((bbox[3] - bbox[1]) / cell).floor() as usize + 1).min(65);
        let mut cells: Vec<Vec<u16>> = vec![Vec::new(); cols * rows];
        let at = |v: f64, lo: f64, n: usize| (((v - lo) / cell).floor().max(0.0) as usize).min(n - 1);
        for (i, b) in &boxes {
            for r in at(b[1], bbox[1], rows)..=at(b[3], bbox[1], rows) {
                for c in at(b[0], bbox[0], cols)..=at(b[2], bbox[0], cols) {
                    cells[r * cols + c].push(*i);
                }
            }
        }
        let mut starts = Vec::with_capacity(cells.len() + 1);
        let mut ids = Vec::new();
        for c in cells {
            starts.push(ids.len() as u32);
            ids.extend(c);
        }
        starts.push(ids.len() as u32);
        AreaIndex { bbox, cell, cols, rows, starts, ids }
    }

    /// The areas (ascending ids) whose bounding box may hold the point.
    #[inline]
    pub(crate) fn candidates(&self, lat: f64, lon: f64) -> &[u16] {
        let b = &self.bbox;
        let inside = lon >= b[0] && lat >= b[1] && lon <= b[2] && lat <= b[3];
        if !inside {
            return &[];
        }
        let c = (((lon - b[0]) / self.cell) as usize).min(self.cols - 1);
        let r = (((lat - b[1]) / self.cell) as usize).min(self.rows - 1);
        let k = r * self.cols + c;
        &self.ids[self.starts[k] as usize..self.starts[k + 1] as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_cosine_of_latitudes() {
        for i in -9000..=9000 {
            let x = (i as f64 / 100.0).to_radians();
            assert!((cos_lat(x) - x.cos()).abs() < 1e-12, "{x}");
        }
        assert_eq!(cos_lat(4.0), 4.0f64.cos());
        assert!(cos_lat(f64::NAN).is_nan());
    }

    #[test]
    fn area_index_finds_every_area_holding_a_point() {
        let square = |name: &str, x: f64, y: f64, size: f64| {
            let ring = vec![(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)];
            Area::new(name, vec![Polygon { outer: ring, holes: vec![] }])
        };
        let areas = vec![
            square("a", 0.0, 0.0, 1.0),
            square("b", 0.5, 0.5, 1.0),
            square("tiny", 10.0, 10.0, 0.001),
            square("c", -30.0, 40.0, 0.2),
        ];
        let index = AreaIndex::new(&areas);
        let mut k = 0u64;
        for i in 0..20_000 {
            // A pseudo-random point over and around the boxes.
            k = k.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let lon = -35.0 + (k >> 11) as f64 / (1u64 << 53) as f64 * 50.0;
            let lat = -5.0 + ((k >> 3) % 60_000) as f64 / 1000.0;
            let (lat, lon) = if i % 4 == 0 { (10.0005 + (i % 7) as f64 * 1e-4, 10.0005) } else { (lat, lon) };
            let inside: Vec<u16> = (0..areas.len() as u16).filter(|&a| areas[a as usize].contains(lat, lon)).collect();
            let found: Vec<u16> =
                index.candidates(lat, lon).iter().copied().filter(|&a| areas[a as usize].contains(lat, lon)).collect();
            assert_eq!(found, inside, "{lat} {lon}");
        }
        assert!(AreaIndex::new(&[]).candidates(0.0, 0.0).is_empty());
    }

    #[test]
    fn short_and_long_distances_agree_with_haversine() {
        // One degree of latitude is 111.195 km on the mean sphere.
        assert!((distance_m(50.0, 1.0, 51.0, 1.0) - 111_195.0).abs() < 1.0);
        // Just inside and outside the equirectangular window agree.
        for lat in [0.0, 36.0, 60.0, 75.0] {
            let a = distance_m(lat, 10.0, lat + 0.0999, 10.0999);
            let b = distance_m(lat, 10.0, lat + 0.1001, 10.1001);
            assert!((b / a - 1.0).abs() < 0.003, "{lat}: {a} {b}");
        }
        // Across the antimeridian.
        assert!((distance_m(0.0, 179.95, 0.0, -179.95) - 11_119.5).abs() < 1.0);
        assert_eq!(implied_knots(1852.0, 3600), 1.0);
        assert_eq!(implied_knots(1.0, 0), f64::INFINITY);
    }
}

/// Speed in knots implied by moving `meters` in `seconds`; infinite for a
/// move in no time.
pub fn implied_knots(meters: f64, seconds: i64) -> f64 {
    if seconds <= 0 { if meters > 0.0 { f64::INFINITY } else { 0.0 } } else { meters * (3600.0 / NM) / seconds as f64 }
}

/// A ring of (lon, lat) vertices.
type Ring = Vec<(f64, f64)>;

/// One polygon: an outer ring and its holes.
#[derive(Debug, Clone, PartialEq)]
pub struct Polygon {
    /// Outer boundary, (lon, lat).
    pub outer: Ring,
    /// Holes, (lon, lat).
    pub holes: Vec<Ring>,
}

/// A watched area (a stretch of coast where boats are launched, a zone of
/// interest): entering, leaving or stopping inside it raises events.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    /// The feature's `properties.name`, else its `id`, else `feature N`.
    pub name: String,
    /// One or more polygons (a MultiPolygon).
    pub polygons: Vec<Polygon>,
    /// Bounding box (min lon, min lat, max lon, max lat) for a fast reject.
    pub bbox: [f64; 4],
}

/// Why a GeoJSON document could not be read as watched areas; names the
/// feature so that the user can fix it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AreaError {
    /// Not JSON at all.
    #[error("not JSON: {0}")]
    Json(String),
    /// A feature is malformed.
    #[error("{feature}: {problem}")]
    Feature {
        /// The feature's name, id or index.
        feature: String,
        /// What is wrong with it.
        problem: String,
    },
}

fn ring_contains(ring: &[(f64, f64)], lon: f64, lat: f64) -> bool {
    let mut inside = false;
    let n = ring.len();
    let mut j = n.wrapping_sub(1);
    for i in 0..n {
        let (xi, yi) = ring[i];
        let (xj, yj) = ring[j];
        if (yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

impl Polygon {
    /// Whether the point is inside the outer ring and outside every hole
    /// (even-odd rule).
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        ring_contains(&self.outer, lon, lat) && !self.holes.iter().any(|h| ring_contains(h, lon, lat))
    }
}

impl Area {
    /// Builds an area from polygons, computing its bounding box.
    pub fn new(name: impl Into<String>, polygons: Vec<Polygon>) -> Area {
        let mut bbox = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for &(x, y) in polygons.iter().flat_map(|p| p.outer.iter()) {
            bbox = [bbox[0].min(x), bbox[1].min(y), bbox[2].max(x), bbox[3].max(y)];
        }
        Area { name: name.into(), polygons, bbox }
    }

    /// Whether the point is inside any of the area's polygons.
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        lon >= self.bbox[0]
            && lat >= self.bbox[1]
            && lon <= self.bbox[2]
            && lat <= self.bbox[3]
            && self.polygons.iter().any(|p| p.contains(lat, lon))
    }

    /// Reads a GeoJSON FeatureCollection (or a single Feature) of Polygon
    /// and MultiPolygon features into areas.
    pub fn from_geojson(text: &str) -> Result<Vec<Area>, AreaError> {
        let v: Value = serde_json::from_str(text).map_err(|e| AreaError::Json(e.to_string()))?;
        let features: Vec<&Value> = match v.get("type").and_then(Value::as_str) {
            Some("FeatureCollection") => match v.get("features").and_then(Value::as_array) {
                Some(a) => a.iter().collect(),
                None => return Err(err("FeatureCollection", "no \"features\" array")),
            },
            Some("Feature") => vec![&v],
            other => {
                return Err(err("document", &format!("type is {other:?}, expected FeatureCollection or Feature")));
            }
        };
        features.iter().enumerate().map(|(i, f)| feature(i, f)).collect()
    }
}

fn err(feature: &str, problem: &str) -> AreaError {
    AreaError::Feature { feature: feature.to_string(), problem: problem.to_string() }
}

fn feature(index: usize, f: &Value) -> Result<Area, AreaError> {
    let props = f.get("properties");
    let name = props
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| {
            f.get("id").and_then(|id| match id {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
        })
        .unwrap_or_else(|| format!("feature {index}"));
    let fail = |p: String| AreaError::Feature { feature: name.clone(), problem: p };
    if f.get("type").and_then(Value::as_str) != Some("Feature") {
        return Err(fail("type is not \"Feature\"".into()));
    }
    let g = f.get("geometry").filter(|g| !g.is_null()).ok_or_else(|| fail("no geometry".into()))?;
    let coords = g.get("coordinates").ok_or_else(|| fail("geometry has no coordinates".into()))?;
    let polygons = match g.get("type").and_then(Value::as_str) {
        Some("Polygon") => vec![polygon(coords).map_err(fail)?],
        Some("MultiPolygon") => coords
            .as_array()
            .ok_or_else(|| fail("MultiPolygon coordinates are not an array".into()))?
            .iter()
            .enumerate()
            .map(|(i, p)| polygon(p).map_err(|e| fail(format!("polygon {i}: {e}"))))
            .collect::<Result<_, _>>()?,
        other => return Err(fail(format!("geometry type {other:?} is not Polygon or MultiPolygon"))),
    };
    Ok(Area::new(name, polygons))
}

fn polygon(v: &Value) -> Result<Polygon, String> {
    let rings = v.as_array().ok_or("polygon coordinates are not an array of rings")?;
    if rings.is_empty() {
        return Err("polygon has no rings".into());
    }
    let mut out = Vec::with_capacity(rings.len());
    for (r, ring) in rings.iter().enumerate() {
        let pts = ring.as_array().ok_or(format!("ring {r} is not an array"))?;
        let mut pr = Vec::with_capacity(pts.len());
        for (k, p) in pts.iter().enumerate() {
            let xy = p.as_array().filter(|a| a.len() >= 2);
            let (x, y) = match xy.map(|a| (a[0].as_f64(), a[1].as_f64())) {
                Some((Some(x), Some(y))) => (x, y),
                _ => return Err(format!("ring {r} point {k} is not [lon, lat]")),
            };
            if !(x.abs() <= 180.0 && y.abs() <= 90.0) {
                return Err(format!("ring {r} point {k} [{x}, {y}] is off the globe"));
            }
            pr.push((x, y));
        }
        if pr.len() < 4 {
            return Err(format!("ring {r} has {} points, a closed ring needs at least 4", pr.len()));
        }
        out.push(pr);
    }
    let outer = out.remove(0);
    Ok(Polygon { outer, holes: out })
}
