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
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (dlat, dlon) = (lat2 - lat1, lon2 - lon1);
    if dlat.abs() < 0.1 && dlon.abs() < 0.1 {
        let x = dlon.to_radians() * ((lat1 + lat2) * 0.5).to_radians().cos();
        let y = dlat.to_radians();
        return EARTH_RADIUS_M * (x * x + y * y).sqrt();
    }
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp * 0.5).sin().powi(2) + p1.cos() * p2.cos() * (dl * 0.5).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

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
