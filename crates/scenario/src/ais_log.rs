//! A synthetic AIS log of one day in the Dover Strait for the scenario's
//! Channel vessels, with the behaviours a watchlist should catch: a vessel
//! going dark, an encounter at sea, loitering, and a launch (a short stop)
//! off the Gravelines–Dunkirk coast. Background traffic (ferries and ships in
//! the traffic separation scheme) surrounds them. Coordinates follow the
//! real coastline; the watched areas are geography, not personal data.

use std::io::{self, Write};

use serde::Serialize;

use crate::ais::{AisPosition, AisStatic, position_sentence, static_sentences};
use std::collections::BTreeSet;

use crate::world::{VesselRec, World};

/// Start of the log: 2024-09-14T00:00:00Z.
pub const LOG_START: i64 = 1_726_272_000;
/// Length of the log in seconds (one day).
pub const LOG_SECONDS: i64 = 86_400;

/// A vessel of the scenario's Channel groups.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ScenarioVessel {
    /// Group id ("OCG-3").
    pub group: String,
    /// Vessel name.
    pub name: String,
    /// Kind ("fishing vessel", "rigid-hull inflatable boat").
    pub kind: String,
    /// MMSI.
    pub mmsi: u32,
    /// IMO number, if it has one.
    pub imo: Option<String>,
    /// Whether a report of the scenario carries its MMSI (so the picture has its vessel entity).
    pub in_reports: bool,
}

/// A vessel of the log whose behaviour should raise an alert once it is watched.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SuspectVessel {
    /// The vessel.
    pub vessel: ScenarioVessel,
    /// The behaviour it shows: "gap", "encounter", "loitering" or "short_stop".
    pub behaviour: &'static str,
    /// Why an analyst would watch it.
    pub reason: String,
}

/// What [`ais_log`] wrote.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct AisLogSummary {
    /// Lines written (one sentence each).
    pub sentences: usize,
    /// First and last reception times (seconds).
    pub period: (i64, i64),
    /// Vessels that transmitted.
    pub vessels: usize,
    /// The scenario's suspect vessels and their behaviours.
    pub suspects: Vec<SuspectVessel>,
    /// The MMSI of the vessel met at sea by the encounter's suspect.
    pub encounter_partner: u32,
}

/// The vessels of the scenario's sea-crossing groups on the Channel (Dunkirk and Boulogne crews),
/// those the reports name first within each group.
pub(crate) fn channel_vessels(world: &World, named: &BTreeSet<(usize, usize)>) -> Vec<ScenarioVessel> {
    const CHANNEL_GROUPS: [usize; 2] = [2, 6];
    let mut out = Vec::new();
    for g in CHANNEL_GROUPS {
        let mut vessels: Vec<(usize, &VesselRec)> =
            world.groups.get(g).map(|g| g.vessels.iter().enumerate().collect()).unwrap_or_default();
        vessels.sort_by_key(|(v, _)| !named.contains(&(g, *v)));
        for (index, v) in vessels {
            if let Ok(mmsi) = v.mmsi.parse() {
                out.push(ScenarioVessel {
                    group: format!("OCG-{}", g + 1),
                    name: v.name.to_string(),
                    kind: v.kind.to_string(),
                    mmsi,
                    imo: v.imo.clone(),
                    in_reports: named.contains(&(g, index)),
                });
            }
        }
    }
    out
}

/// The watched areas of the demo as a GeoJSON FeatureCollection: the coastal waters where boats
/// are launched between Gravelines and Dunkirk, and off Cap Gris-Nez and Wimereux.
pub fn watched_areas() -> serde_json::Value {
    let feature = |name: &str, ring: &[[f64; 2]]| {
        serde_json::json!({
            "type": "Feature",
            "properties": { "name": name },
            "geometry": { "type": "Polygon", "coordinates": [ring] }
        })
    };
    serde_json::json!({
        "type": "FeatureCollection",
        "features": [
            feature("Gravelines–Dunkirk coast", &[
                [2.05, 50.995], [2.20, 51.020], [2.33, 51.045], [2.42, 51.060],
                [2.42, 51.100], [2.20, 51.065], [2.05, 51.040], [2.05, 50.995]
            ]),
            feature("Cap Gris-Nez – Wimereux coast", &[
                [1.50, 50.740], [1.595, 50.740], [1.597, 50.800], [1.575, 50.866],
                [1.50, 50.880], [1.50, 50.740]
            ]),
        ]
    })
}

/// A route: (seconds after [`LOG_START`], lat, lon) waypoints, moving in straight lines between them.
struct Route {
    points: Vec<(i64, f64, f64)>,
}

impl Route {
    /// Position, speed (knots) and course at time `t`, or `None` outside the route.
    fn at(&self, t: i64) -> Option<(f64, f64, f64, f64)> {
        let i = self.points.windows(2).position(|w| w[0].0 <= t && t <= w[1].0)?;
        let ((t0, la0, lo0), (t1, la1, lo1)) = (self.points[i], self.points[i + 1]);
        let f = if t1 > t0 { (t - t0) as f64 / (t1 - t0) as f64 } else { 0.0 };
        let (lat, lon) = (la0 + (la1 - la0) * f, lo0 + (lo1 - lo0) * f);
        let dy = (la1 - la0) * 60.0;
        let dx = (lo1 - lo0) * 60.0 * la0.to_radians().cos();
        let nm = (dx * dx + dy * dy).sqrt();
        let hours = (t1 - t0) as f64 / 3600.0;
        let sog = if hours > 0.0 { nm / hours } else { 0.0 };
        let cog = dx.atan2(dy).to_degrees().rem_euclid(360.0);
        Some((lat, lon, sog, cog))
    }
}

/// One transmitting vessel of the log.
struct Transmitter {
    mmsi: u32,
    name: String,
    ship_type: u8,
    imo: u32,
    route: Route,
    /// Seconds between reports.
    every: i64,
    /// First report at this offset, so that vessels do not all report in the same second.
    phase: i64,
    /// Silent between these times (going dark).
    silent: Option<(i64, i64)>,
}

const H: i64 = 3600;

fn ship(mmsi: u32, name: &str, ship_type: u8, route: Vec<(i64, f64, f64)>, every: i64, phase: i64) -> Transmitter {
    Transmitter {
        mmsi,
        name: name.into(),
        ship_type,
        imo: 0,
        route: Route { points: route },
        every,
        phase,
        silent: None,
    }
}

/// Background traffic: ferries Dover–Calais and ships in both lanes of the traffic separation scheme.
fn background() -> Vec<Transmitter> {
    let mut out = Vec::new();
    // Ferries: Dover (51.115, 1.345) to Calais (50.970, 1.860), 90 minutes, 45 in port.
    for (k, (mmsi, name)) in
        [(235_101_001, "PRIDE OF DOVRE"), (228_101_002, "COTE DES FLANDRES"), (235_101_003, "SPIRIT OF KENTT")]
            .into_iter()
            .enumerate()
    {
        let (dover, calais) = ((51.115, 1.345), (50.970, 1.860));
        let mut at_dover = k % 2 == 0;
        let port = |at_dover: bool| if at_dover { dover } else { calais };
        let mut route = vec![(0, port(at_dover).0, port(at_dover).1)];
        let mut t = k as i64 * 45 * 60;
        while t + 90 * 60 <= LOG_SECONDS {
            let (from, to) = (port(at_dover), port(!at_dover));
            route.push((t, from.0, from.1));
            route.push((t + 90 * 60, to.0, to.1));
            t += 135 * 60;
            at_dover = !at_dover;
        }
        route.dedup_by_key(|p| p.0);
        out.push(ship(mmsi, name, 60, route, 120, 7 + k as i64 * 13));
    }
    // Through traffic: the south-west lane (towards the Atlantic) and the north-east lane.
    let lanes = [((51.25, 2.00), (50.85, 1.25)), ((50.95, 1.30), (51.32, 2.05))];
    let names = ["NORDIC TRADER", "ATLANTIC VEGA", "MAERSK SALINA", "CELTIC DAWN", "ELBE EXPRESS", "RIO TAGUS"];
    let flags = [636, 538, 219, 232, 211, 255];
    for (k, name) in names.iter().enumerate() {
        let (from, to) = lanes[k % 2];
        let start = (k as i64) * 3 * H;
        let mmsi = flags[k] * 1_000_000 + 200_000 + k as u32;
        let route = vec![(start, from.0, from.1), (start + 4 * H, to.0, to.1)];
        out.push(ship(mmsi, name, 70, route, 180, 31 + k as i64 * 17));
    }
    out
}

/// The suspects' transmissions and what they do.
fn suspects(vessels: &[ScenarioVessel]) -> (Vec<Transmitter>, Vec<SuspectVessel>, Transmitter) {
    let mut out = Vec::new();
    let mut roles = Vec::new();
    let dunkirk: Vec<&ScenarioVessel> = vessels.iter().filter(|v| v.group == "OCG-3").collect();
    let boulogne: Vec<&ScenarioVessel> = vessels.iter().filter(|v| v.group == "OCG-7").collect();
    let imo = |v: &ScenarioVessel| v.imo.as_deref().and_then(|i| i.parse().ok()).unwrap_or(0);
    let mut add = |v: &ScenarioVessel, behaviour: &'static str, reason: &str, route, silent| {
        let mut t = ship(v.mmsi, &v.name, if v.kind.contains("fishing") { 30 } else { 37 }, route, 60, 0);
        t.imo = imo(v);
        t.silent = silent;
        out.push(t);
        roles.push(SuspectVessel { vessel: v.clone(), behaviour, reason: reason.to_string() });
    };
    // Goes dark for seven hours off Gravelines and reappears off Dover, 19 nm away.
    if let Some(v) = dunkirk.first() {
        let route = vec![(0, 51.080, 2.300), (3 * H, 51.060, 1.950), (10 * H, 51.100, 1.450), (12 * H, 51.050, 1.700)];
        let reason = "Named by aerial surveillance as carrying migrants; AIS transmissions stopped before crossings";
        add(v, "gap", reason, route, Some((3 * H + 30, 10 * H)));
    }
    // Meets a fishing vessel mid-Channel for three hours.
    if let Some(v) = dunkirk.get(1) {
        let route = vec![(0, 51.040, 2.330), (4 * H, 51.030, 1.600), (7 * H, 51.031, 1.602), (9 * H, 51.050, 2.100)];
        add(
            v,
            "encounter",
            "Supply vessel of the Dunkirk boat crew: engines and boats handed over at sea",
            route,
            None,
        );
    }
    // Loiters three hours off Boulogne.
    if let Some(v) = boulogne.first() {
        let route = vec![(0, 50.720, 1.580), (2 * H, 50.760, 1.480), (5 * H, 50.765, 1.485), (7 * H, 50.720, 1.580)];
        add(v, "loitering", "Boulogne boat crew's vessel, seen waiting offshore before launches", route, None);
    }
    // Runs along the Gravelines–Dunkirk coast and stops fifteen minutes: a launch.
    if let Some(v) = boulogne.get(1).or(dunkirk.get(2)) {
        let stop = 14 * H;
        let route = vec![
            (stop - 2 * H, 51.150, 2.600),
            (stop, 51.025, 2.080),
            (stop + 15 * 60, 51.025, 2.080),
            (stop + 15 * 60 + H, 51.120, 2.400),
        ];
        add(v, "short_stop", "Suspected of launching small boats off the Gravelines–Dunkirk coast", route, None);
    }
    // The fishing vessel met at sea (not a scenario vessel: the picture does not know it).
    let partner = ship(
        227_300_777,
        "MARIE GALANTE",
        30,
        vec![(0, 50.960, 1.800), (4 * H, 51.0305, 1.601), (7 * H, 51.0307, 1.6025), (10 * H, 50.960, 1.800)],
        120,
        11,
    );
    (out, roles, partner)
}

/// The sentences one transmitter sends, with their times.
fn transmissions(t: &Transmitter, lines: &mut Vec<(i64, u32, String)>) {
    let end = t.route.points.last().map_or(0, |p| p.0);
    let mut s = t.route.points.first().map_or(0, |p| p.0) + t.phase;
    let mut last_static: Option<i64> = None;
    let mut seq = 0u8;
    while s <= end {
        let dark = t.silent.is_some_and(|(a, b)| a <= s && s < b);
        if !dark && let Some((lat, lon, sog, cog)) = t.route.at(s) {
            let time = LOG_START + s;
            if last_static.is_none_or(|l| s - l >= H) {
                let data = AisStatic {
                    mmsi: t.mmsi,
                    time,
                    imo: t.imo,
                    callsign: String::new(),
                    name: t.name.clone(),
                    ship_type: t.ship_type,
                    destination: String::new(),
                };
                lines.push((time, t.mmsi, static_sentences(&data, seq).join("\n")));
                seq = (seq + 1) % 10;
                last_static = Some(s);
            }
            let p = AisPosition {
                msg_type: 1,
                mmsi: t.mmsi,
                time,
                lat,
                lon,
                sog: Some(sog),
                cog: Some(cog),
                heading: Some(cog.round() as u16 % 360),
            };
            lines.push((time, t.mmsi, position_sentence(&p)));
        }
        s += t.every;
    }
}

/// Writes the log (tag-blocked `!AIVDM` sentences in time order) for the scenario's Channel vessels.
pub(crate) fn write_log(
    world: &World,
    named: &BTreeSet<(usize, usize)>,
    out: &mut impl Write,
) -> io::Result<AisLogSummary> {
    let vessels = channel_vessels(world, named);
    let (mut all, suspects, partner) = suspects(&vessels);
    let encounter_partner = partner.mmsi;
    all.push(partner);
    all.extend(background());
    let mut lines = Vec::new();
    for t in &all {
        transmissions(t, &mut lines);
    }
    lines.sort_by_key(|(time, mmsi, _)| (*time, *mmsi));
    let mut out = io::BufWriter::new(out);
    let mut sentences = 0;
    for (_, _, line) in &lines {
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
        sentences += line.lines().count();
    }
    out.flush()?;
    let period = (lines.first().map_or(LOG_START, |l| l.0), lines.last().map_or(LOG_START, |l| l.0));
    Ok(AisLogSummary { sentences, period, vessels: all.len(), suspects, encounter_partner })
}
