//! A reader for TopoJSON country topologies (world-atlas `countries-110m.json`).
//!
//! Arcs may be quantised (a `transform` with scale and translate, positions
//! delta-encoded) or absolute; polygons reference arcs by index, `~i`
//! (negative) meaning arc `i` reversed. Shapes are keyed by ISO 3166-1 alpha-2,
//! from the feature's numeric `id` or, failing that, its name (Kosovo has no id;
//! Somaliland resolves to Somalia); features whose name is no ISO country keep an
//! empty key and are drawn as land without a value.
//! The crate reads no files: callers pass the bytes.

use std::collections::HashMap;

use serde_json::Value;
use tessera_model::countries::{COUNTRIES, find_country};

use crate::Error;
use crate::document::Shape;

fn topology(message: &str) -> Error {
    Error::Topology(message.to_owned())
}

/// Decodes the arcs into lon/lat positions.
fn decode_arcs(root: &Value) -> Result<Vec<Vec<(f64, f64)>>, Error> {
    let transform = match root.get("transform") {
        Some(t) => {
            let pair = |key: &str| -> Result<(f64, f64), Error> {
                let v = t
                    .get(key)
                    .and_then(Value::as_array)
                    .ok_or_else(|| topology("transform lacks scale or translate"))?;
                match (v.first().and_then(Value::as_f64), v.get(1).and_then(Value::as_f64)) {
                    (Some(a), Some(b)) => Ok((a, b)),
                    _ => Err(topology("transform values are not numbers")),
                }
            };
            Some((pair("scale")?, pair("translate")?))
        }
        None => None,
    };
    let arcs = root.get("arcs").and_then(Value::as_array).ok_or_else(|| topology("no arcs"))?;
    arcs.iter()
        .map(|arc| {
            let positions = arc.as_array().ok_or_else(|| topology("an arc is not an array"))?;
            let (mut x, mut y) = (0.0, 0.0);
            positions
                .iter()
                .map(|p| {
                    let p = p.as_array().ok_or_else(|| topology("a position is not an array"))?;
                    let (Some(a), Some(b)) = (p.first().and_then(Value::as_f64), p.get(1).and_then(Value::as_f64))
                    else {
                        return Err(topology("a position lacks coordinates"));
                    };
                    Ok(match transform {
                        Some(((sx, sy), (tx, ty))) => {
                            x += a;
                            y += b;
                            (x * sx + tx, y * sy + ty)
                        }
                        None => (a, b),
                    })
                })
                .collect()
        })
        .collect()
}

/// Stitches a ring from arc references.
fn ring(arcs: &[Vec<(f64, f64)>], refs: &Value) -> Result<Vec<(f64, f64)>, Error> {
    let refs = refs.as_array().ok_or_else(|| topology("a ring is not an array of arc indexes"))?;
    let mut points: Vec<(f64, f64)> = Vec::new();
    for r in refs {
        let index = r.as_i64().ok_or_else(|| topology("an arc index is not an integer"))?;
        let (i, reversed) = if index < 0 { (!index, true) } else { (index, false) };
        let arc =
            usize::try_from(i).ok().and_then(|i| arcs.get(i)).ok_or_else(|| topology("arc index out of range"))?;
        let mut part = arc.clone();
        if reversed {
            part.reverse();
        }
        // Consecutive arcs share their junction point.
        let skip = usize::from(!points.is_empty());
        points.extend(part.into_iter().skip(skip));
    }
    Ok(points)
}

fn polygon(arcs: &[Vec<(f64, f64)>], rings: &Value) -> Result<Vec<Vec<(f64, f64)>>, Error> {
    rings
        .as_array()
        .ok_or_else(|| topology("a polygon is not an array of rings"))?
        .iter()
        .map(|r| ring(arcs, r))
        .collect()
}

fn key_of(geometry: &Value, numeric: &HashMap<&str, &str>) -> (String, String) {
    let name = geometry.pointer("/properties/name").and_then(Value::as_str).unwrap_or_default().to_owned();
    let id = match geometry.get("id") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(format!("{n:0>3}")),
        _ => None,
    };
    let by_id = id.as_deref().and_then(|id| numeric.get(id).copied());
    let key = by_id.or_else(|| find_country(&name).map(|c| c.alpha2)).unwrap_or_default();
    (key.to_owned(), name)
}

/// The country shapes of a TopoJSON topology's `countries` object (or its first
/// object), keyed by ISO alpha-2.
///
/// # Errors
/// When the bytes are not JSON or not a topology with arcs and geometries.
pub fn countries(bytes: &[u8]) -> Result<Vec<Shape>, Error> {
    let root: Value = serde_json::from_slice(bytes)?;
    if root.get("type").and_then(Value::as_str) != Some("Topology") {
        return Err(topology("not a Topology"));
    }
    let arcs = decode_arcs(&root)?;
    let objects = root.get("objects").and_then(Value::as_object).ok_or_else(|| topology("no objects"))?;
    let object = objects.get("countries").or_else(|| objects.values().next()).ok_or_else(|| topology("no objects"))?;
    let geometries = match object.get("geometries").and_then(Value::as_array) {
        Some(g) => g.iter().collect::<Vec<_>>(),
        None => vec![object],
    };
    let numeric: HashMap<&str, &str> = COUNTRIES.iter().filter_map(|c| c.numeric.map(|n| (n, c.alpha2))).collect();
    let mut shapes = Vec::new();
    for geometry in geometries {
        let arcs_of = geometry.get("arcs");
        let rings = match (geometry.get("type").and_then(Value::as_str), arcs_of) {
            (Some("Polygon"), Some(rings)) => polygon(&arcs, rings)?,
            (Some("MultiPolygon"), Some(polygons)) => {
                let mut all = Vec::new();
                for p in polygons.as_array().ok_or_else(|| topology("a multipolygon is not an array"))? {
                    all.extend(polygon(&arcs, p)?);
                }
                all
            }
            _ => continue,
        };
        let (key, label) = key_of(geometry, &numeric);
        shapes.push(Shape { key, label, rings });
    }
    Ok(shapes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two unit squares sharing an edge, quantised with scale 1 and translate (10, 20).
    const TINY: &str = r#"{
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [10, 20]},
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "id": "826", "properties": {"name": "United Kingdom"}, "arcs": [[0, 1]]},
            {"type": "MultiPolygon", "properties": {"name": "Kosovo"}, "arcs": [[[-1, 2]]]},
            {"type": "Polygon", "properties": {"name": "Somaliland"}, "arcs": [[2, -1]]},
            {"type": "Polygon", "properties": {"name": "Nowhere"}, "arcs": [[2, -1]]},
            {"type": null}
        ]}},
        "arcs": [
            [[1, 0], [0, 1]],
            [[1, 1], [-1, 0], [0, -1], [1, 0]],
            [[1, 0], [1, 0], [0, 1], [-1, 0]]
        ]
    }"#;

    #[test]
    fn decodes_delta_encoded_arcs_and_keys_by_alpha2() {
        let shapes = countries(TINY.as_bytes()).unwrap();
        assert_eq!(shapes.len(), 4);
        assert_eq!(shapes[0].key, "GB");
        assert_eq!(shapes[0].label, "United Kingdom");
        // Arc 0: (11,20) → (11,21); arc 1: (11,21) → (10,21) → (10,20) → (11,20).
        assert_eq!(shapes[0].rings, vec![vec![(11.0, 20.0), (11.0, 21.0), (10.0, 21.0), (10.0, 20.0), (11.0, 20.0)]]);
        assert_eq!(shapes[1].key, "XK", "Kosovo has no id and is found by name");
        // ~0 reverses arc 0, then arc 2: (11,20) → (12,20) → (12,21) → (11,21).
        assert_eq!(shapes[1].rings, vec![vec![(11.0, 21.0), (11.0, 20.0), (12.0, 20.0), (12.0, 21.0), (11.0, 21.0)]]);
        assert_eq!(shapes[2].key, "SO", "resolved by name");
        assert_eq!(shapes[3].key, "", "no ISO country");
    }

    #[test]
    fn rejects_what_is_no_topology() {
        assert!(countries(b"not json").is_err());
        assert!(countries(br#"{"type": "FeatureCollection"}"#).is_err());
        assert!(
            countries(br#"{"type": "Topology", "arcs": [], "objects": {"c": {"type": "Polygon", "arcs": [[5]]}}}"#)
                .is_err()
        );
        let empty = countries(
            br#"{"type": "Topology", "arcs": [], "objects": {"c": {"type": "GeometryCollection", "geometries": []}}}"#,
        );
        assert_eq!(empty.unwrap(), vec![]);
    }
}
