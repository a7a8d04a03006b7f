//! Review benchmark for `bench/review.sh`: generates a synthetic, seeded
//! [`ReviewInput`] (groups with reports, travellers and prices; actions;
//! disruptions with assets; priority threats), writes it as JSON with the
//! options (`OUT_DIR/review-SCALE.json`, read by the pandas peer in
//! `bench/review.py`), reads that file back, and times
//! `tessera_review::review` alone (not the JSON parsing), median of REPEAT runs.
//! The key numbers of the review go to `OUT_DIR/tessera-SCALE.json` for the
//! peer to check against.
//!
//! SCALE: `small` (20 groups, 5,000 reports, 50 actions, 100 disruptions),
//! `large` (1,000 groups, 500,000 reports, 2,000 actions, 5,000 disruptions),
//! or `GROUPS,REPORTS,ACTIONS,DISRUPTIONS`.
//!
//! cargo run --release -p tessera-review --example review_bench -- SCALE OUT_DIR [REPEAT]

use std::time::Instant;

use serde_json::{Value, json};
use tessera_model::time::{civil_from_days, days_from_civil};
use tessera_review::{
    Action, ActionStatus, ActivityReport, Asset, Dated, Disruption, GroupActivity, Impact, Options, PersonCount, Price,
    ReviewInput, Stream, Target, TargetKind, Threat, review,
};

const AS_OF: &str = "2026-03-31";
const SEED: u64 = 20_261_128;
const ROUTES: [&str; 12] = [
    "channel",
    "central_med",
    "eastern_med",
    "western_med",
    "balkans",
    "western_africa",
    "eastern_land",
    "black_sea",
    "english_lorry",
    "air_heathrow",
    "north_sea",
    "irish_border",
];
const MOS: [&str; 4] = ["small_boat", "lorry", "air", "false_documents"];
const NATIONALITIES: [&str; 8] = ["AF", "ER", "IR", "SY", "SD", "IQ", "VN", "AL"];
const AGENCIES: [&str; 6] = ["NCA", "Border Force", "Immigration Enforcement", "Police Scotland", "PSNI", "HMRC"];
const KINDS: [&str; 6] = ["arrest", "charge", "seizure", "asset_restraint", "social_media_takedown", "conviction"];
const ASSET_KINDS: [&str; 4] = ["cash", "vehicle", "boat", "property"];
const STATUSES: [&str; 6] = ["seized", "restrained", "confiscated", "forfeited", "returned", " Seized"];
const CURRENCIES: [&str; 8] = ["GBP", "EUR", "EUR", "USD", "TRY", "LYD", "eur", "XOF"];

/// splitmix64: small, seeded, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    #[allow(clippy::cast_precision_loss)]
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi] (inclusive).
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = u64::try_from(hi - lo + 1).unwrap_or(1);
        lo + i64::try_from(self.next() % span).unwrap_or(0)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn day(date: &str) -> i64 {
    let parts: Vec<u32> = date.split('-').map(|p| p.parse().unwrap_or(1)).collect();
    days_from_civil(i64::from(parts[0]), parts[1], parts[2])
}

fn date(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// An index drawn from cumulative weights.
fn weighted(rng: &mut Rng, cumulative: &[f64]) -> usize {
    let total = cumulative.last().copied().unwrap_or(0.0);
    let x = rng.unit() * total;
    cumulative.partition_point(|&c| c <= x).min(cumulative.len() - 1)
}

fn cumulate(weights: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut sum = 0.0;
    weights
        .map(|w| {
            sum += w;
            sum
        })
        .collect()
}

fn streams(rng: &mut Rng) -> Vec<Stream> {
    let mut out: Vec<Stream> = Stream::ALL.iter().copied().filter(|_| rng.chance(0.45)).collect();
    if out.is_empty() {
        out.push(*rng.pick(&Stream::ALL));
    }
    out
}

/// Sometimes the same id written differently (case, spaces): the engine must match it anyway.
fn variant(rng: &mut Rng, id: &str) -> String {
    match rng.below(20) {
        0 => id.to_ascii_uppercase(),
        1 => format!(" {id} "),
        _ => id.to_owned(),
    }
}

#[allow(clippy::too_many_lines, clippy::cast_precision_loss, clippy::cast_possible_truncation)]
fn generate(groups_n: usize, reports_n: usize, actions_n: usize, disruptions_n: usize) -> ReviewInput {
    let mut rng = Rng(SEED ^ (groups_n as u64).wrapping_mul(31) ^ (reports_n as u64));
    let first = day("2024-01-01");
    let last = day(AS_OF);
    let blocks = usize::try_from((last - first) / 30 + 1).unwrap_or(1);

    // Groups: members, home routes, and an activity level per 30-day block.
    struct Plan {
        members: Vec<String>,
        home: Vec<&'static str>,
        blocks: Vec<f64>,
    }
    let mut groups = Vec::with_capacity(groups_n);
    let mut plans = Vec::with_capacity(groups_n);
    for g in 0..groups_n {
        let priority = u8::try_from(rng.range(0, 100)).unwrap_or(50);
        let band = match priority {
            75.. => "Very high",
            50..=74 => "High",
            25..=49 => "Medium",
            _ => "Low",
        };
        let members: Vec<String> = (0..rng.range(5, 30)).map(|k| format!("g{g:04}-p{k:02}")).collect();
        let mut home: Vec<&'static str> = Vec::new();
        for _ in 0..rng.range(1, 3) {
            let r = *rng.pick(&ROUTES);
            if !home.contains(&r) {
                home.push(r);
            }
        }
        let blocks: Vec<f64> = (0..blocks).map(|_| 0.2 + 1.8 * rng.unit()).collect();
        groups.push(GroupActivity {
            id: format!("g{g:04}"),
            name: format!("Group {g:04}"),
            priority,
            band: band.into(),
            streams: streams(&mut rng),
            members: members.clone(),
            reports: Vec::new(),
            travellers: Vec::new(),
            prices: Vec::new(),
        });
        plans.push(Plan { members, home, blocks });
    }

    // Reports: a group by size weight, a 30-day block by that group's activity, a day in the block.
    let sizes = cumulate((0..groups_n).map(|_| 0.2 + 1.6 * rng.unit()));
    let block_weights: Vec<Vec<f64>> = plans.iter().map(|p| cumulate(p.blocks.iter().copied())).collect();
    for r in 0..reports_n {
        let g = weighted(&mut rng, &sizes);
        let plan = &plans[g];
        let block = weighted(&mut rng, &block_weights[g]) as i64;
        let day = (first + block * 30 + rng.range(0, 29)).min(last);
        let home = *rng.pick(&plan.home);
        let mut routes = vec![variant(&mut rng, home)];
        if rng.chance(0.1) {
            routes.push((*rng.pick(&plan.home)).to_owned());
        }
        if rng.chance(0.05) {
            routes.push((*rng.pick(&ROUTES)).to_owned());
        }
        let mut members = Vec::new();
        for _ in 0..rng.range(0, 3) {
            // Skewed: the first members are named most (the key players).
            let k = ((rng.unit() * rng.unit()) * plan.members.len() as f64) as usize;
            members.push(plan.members[k.min(plan.members.len() - 1)].clone());
        }
        if rng.chance(0.03) && !members.is_empty() {
            members.push(format!(" {} ", members[0]));
        }
        if rng.chance(0.02) {
            members.push(String::new());
        }
        groups[g].reports.push(ActivityReport { id: format!("r{r:07}"), date: date(day), routes, members });
    }

    // Travellers (some named twice: counted once, at their first date) and prices.
    for (g, group) in groups.iter_mut().enumerate() {
        let moved = group.reports.len() * 3 / 5;
        let distinct = (moved * 4 / 5).max(1);
        group.travellers = (0..moved)
            .map(|_| Dated {
                id: format!("g{g:04}-t{:05}", rng.below(distinct)),
                date: date(rng.range(day("2024-06-01"), last)),
            })
            .collect();
        group.prices = (0..rng.range(0, 12))
            .map(|_| Price {
                date: date(rng.range(first, last)),
                amount: rng.range(8, 60) as f64 * 100.0,
                currency: (*rng.pick(&CURRENCIES)).to_owned(),
            })
            .collect();
    }

    let group_target = |rng: &mut Rng, groups: &[GroupActivity]| {
        let g = &groups[rng.below(groups.len())];
        Target { kind: TargetKind::Group, id: variant(rng, &g.id), label: g.name.clone() }
    };
    let actions: Vec<Action> = (0..actions_n)
        .map(|a| {
            let start = rng.chance(0.8).then(|| rng.range(day("2024-01-01"), day("2026-06-30")));
            let due = rng.chance(0.85).then(|| start.unwrap_or(day("2025-01-01")) + rng.range(30, 400));
            let status = match rng.below(20) {
                0..=4 => ActionStatus::Planned,
                5..=12 => ActionStatus::InProgress,
                13..=17 => ActionStatus::Complete,
                _ => ActionStatus::Cancelled,
            };
            let targets = (0..rng.range(1, 3))
                .map(|_| match rng.below(20) {
                    0..=9 => group_target(&mut rng, &groups),
                    10..=14 => {
                        let r = *rng.pick(&ROUTES);
                        Target { kind: TargetKind::Route, id: variant(&mut rng, r), label: r.into() }
                    }
                    15..=16 => {
                        let m = *rng.pick(&MOS);
                        Target { kind: TargetKind::Mo, id: m.into(), label: m.into() }
                    }
                    17..=18 => {
                        let n = *rng.pick(&NATIONALITIES);
                        Target { kind: TargetKind::Nationality, id: n.into(), label: n.into() }
                    }
                    _ => Target { kind: TargetKind::Country, id: "FR".into(), label: "France".into() },
                })
                .collect();
            Action {
                reference: format!("SAP-{a:04}"),
                stream: *rng.pick(&Stream::ALL),
                objective: "Disrupt the groups".into(),
                title: format!("Action {a}"),
                agency: (*rng.pick(&AGENCIES)).to_owned(),
                owner: format!("Owner {}", rng.below(40)),
                start: start.map(date),
                due: due.map(date),
                status,
                targets,
            }
        })
        .collect();

    let impacts = [Impact::Major, Impact::Moderate, Impact::Minor];
    let disruptions: Vec<Disruption> = (0..disruptions_n)
        .map(|d| {
            let group = match rng.below(20) {
                0..=1 => None,
                2 => Some(String::from("g9999x")),
                _ => {
                    let g = &groups[rng.below(groups.len())];
                    Some(variant(&mut rng, &g.id))
                }
            };
            let subjects = match group
                .as_deref()
                .map(str::trim)
                .and_then(|id| groups.iter().position(|g| g.id.eq_ignore_ascii_case(id)))
            {
                Some(g) => {
                    (0..rng.range(0, 3)).map(|_| plans[g].members[rng.below(plans[g].members.len())].clone()).collect()
                }
                None => Vec::new(),
            };
            Disruption {
                reference: format!("D-{d:05}"),
                kind: (*rng.pick(&KINDS)).to_owned(),
                date: date(rng.range(day("2024-03-01"), day("2026-04-30"))),
                agency: (*rng.pick(&AGENCIES)).to_owned(),
                group,
                subjects,
                impact: *rng.pick(&impacts),
                assets: (0..rng.range(0, 3))
                    .map(|_| Asset {
                        kind: (*rng.pick(&ASSET_KINDS)).to_owned(),
                        status: (*rng.pick(&STATUSES)).to_owned(),
                        value_gbp: rng.chance(0.8).then(|| rng.range(5, 2000) as f64 * 100.0),
                    })
                    .collect(),
            }
        })
        .collect();

    let threats: Vec<Threat> = ROUTES[..6]
        .iter()
        .map(|r| (TargetKind::Route, *r))
        .chain(MOS.iter().map(|m| (TargetKind::Mo, *m)))
        .map(|(kind, id)| Threat {
            target: Target {
                kind,
                id: if rng.chance(0.3) { id.to_ascii_uppercase() } else { id.into() },
                label: id.into(),
            },
            streams: streams(&mut rng),
            reports: rng.below(500),
            agencies: 1 + rng.below(6),
        })
        .collect();

    ReviewInput { actions, disruptions, groups, threats }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len().is_multiple_of(2) { (v[mid - 1] + v[mid]) / 2.0 } else { v[mid] }
}

fn people(list: &[PersonCount]) -> Value {
    list.iter().map(|p| json!([p.id, p.reports])).collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [scale, out_dir, rest @ ..] = args.as_slice() else {
        return Err("usage: bench small|large|GROUPS,REPORTS,ACTIONS,DISRUPTIONS OUT_DIR [REPEAT]".into());
    };
    let repeat: usize = rest.first().map_or(Ok(5), |r| r.parse())?;
    let (g, r, a, d) = match scale.as_str() {
        "small" => (20, 5_000, 50, 100),
        "large" => (1_000, 500_000, 2_000, 5_000),
        custom => {
            let n: Vec<usize> = custom.split(',').map(str::parse).collect::<Result<_, _>>()?;
            let [g, r, a, d] = n.as_slice() else { return Err("SCALE: small, large or G,R,A,D".into()) };
            (*g, *r, *a, *d)
        }
    };
    let out_dir = std::path::PathBuf::from(out_dir);
    std::fs::create_dir_all(&out_dir)?;
    let options = Options::new(AS_OF);
    let path = out_dir.join(format!("review-{scale}.json"));
    let input = generate(g, r, a, d);
    std::fs::write(&path, serde_json::to_vec(&json!({"options": options, "input": input}))?)?;
    drop(input);

    // Review exactly what the peer reads: the file, parsed back.
    let started = Instant::now();
    let bytes = std::fs::read(&path)?;
    let mut file: Value = serde_json::from_slice(&bytes)?;
    let options: Options = serde_json::from_value(file["options"].take())?;
    let input: ReviewInput = serde_json::from_value(file["input"].take())?;
    let parse_ms = started.elapsed().as_secs_f64() * 1000.0;

    let mut runs = Vec::with_capacity(repeat);
    let mut result = None;
    for _ in 0..repeat.max(1) {
        let started = Instant::now();
        let out = std::hint::black_box(review(&input, &options)?);
        runs.push(started.elapsed().as_secs_f64() * 1000.0);
        result = Some(out);
    }
    let Some(review) = result else { return Err("no run".into()) };

    let impacts: Vec<Value> = review
        .impacts
        .disruptions
        .iter()
        .map(|i| {
            json!({
                "reference": i.reference, "group": i.group,
                "before": i.before.reports, "after": i.after.reports, "after_days": i.after.days,
                "change_pct": i.change_pct, "observed": i.observed,
                "routes_before": i.routes_before, "routes_after": i.routes_after,
                "key_players_before": people(&i.key_players_before), "key_players_after": people(&i.key_players_after),
                "disappeared": i.disappeared.iter().map(|p| &p.id).collect::<Vec<_>>(),
                "successors": i.successors.iter().map(|p| &p.id).collect::<Vec<_>>(),
                "subjects_after": people(&i.subjects_after),
                "displacement": i.displacement.iter().map(|x| &x.group).collect::<Vec<_>>(),
            })
        })
        .collect();
    let periods: Vec<Value> = review
        .returns
        .periods
        .iter()
        .map(|p| {
            json!({
                "label": p.label, "start": p.start, "end": p.end, "travellers": p.travellers,
                "revenue_gbp": p.revenue_gbp, "denied_gbp": p.assets_denied_gbp, "returned_gbp": p.assets_returned_gbp,
                "unvalued": p.assets_unvalued,
                "disruptions": [p.disruptions.major, p.disruptions.moderate, p.disruptions.minor, p.disruptions.total],
            })
        })
        .collect();
    let totals: Vec<Value> = review
        .coverage
        .totals
        .iter()
        .map(|t| {
            json!({"stream": t.stream, "rows_relevant": t.rows_relevant, "rows_covered": t.rows_covered,
                   "gaps": t.gaps, "overdue": t.overdue, "agencies": t.agencies})
        })
        .collect();
    let indirect: usize = review.coverage.rows.iter().flat_map(|row| row.cells.iter()).map(|c| c.indirect.len()).sum();
    let direct: usize = review.coverage.rows.iter().flat_map(|row| row.cells.iter()).map(|c| c.actions.len()).sum();
    let out = json!({
        "scale": scale,
        "counts": {"groups": g, "reports": r, "actions": a, "disruptions": d, "threats": input.threats.len(),
                   "travellers": input.groups.iter().map(|g| g.travellers.len()).sum::<usize>(),
                   "prices": input.groups.iter().map(|g| g.prices.len()).sum::<usize>()},
        "file": path, "file_bytes": bytes.len(), "parse_ms": parse_ms,
        "repeat": runs.len(), "review_ms": median(runs.clone()), "review_ms_runs": runs,
        "coverage": {"rows": review.coverage.rows.len(), "totals": totals,
                     "direct_refs": direct, "indirect_refs": indirect},
        "impacts": impacts, "impact_notes": review.impacts.notes.len(),
        "returns": {"from": review.returns.from, "until": review.returns.until,
                    "pooled_median_gbp": review.returns.pooled_median_gbp,
                    "excluded_prices": review.returns.excluded_prices.count, "periods": periods},
        "headlines": review.headlines,
    });
    std::fs::write(out_dir.join(format!("tessera-{scale}.json")), serde_json::to_vec(&out)?)?;
    println!(
        "{scale}: {} groups, {} reports, {} actions, {} disruptions; file {} bytes parsed in {parse_ms:.0} ms; \
         review median {:.1} ms of {}",
        g,
        r,
        a,
        d,
        bytes.len(),
        median(
            out["review_ms_runs"].as_array().map(|v| v.iter().filter_map(Value::as_f64).collect()).unwrap_or_default()
        ),
        out["repeat"]
    );
    Ok(())
}
