//! Property tests: every aggravating input can only raise its factor, its
//! dimension, the threat and the priority; older activity (the one mitigating
//! input) can only lower the trend.

use proptest::prelude::*;
use tessera_priority::{Assessment, Fact, GroupProfile, assess, day_number};

/// The count lists of a profile, in a fixed order.
const LISTS: usize = 21;

fn list(p: &mut GroupProfile, k: usize) -> &mut Vec<Fact> {
    match k {
        0 => &mut p.travellers,
        1 => &mut p.crossings,
        2 => &mut p.small_boats,
        3 => &mut p.concealment,
        4 => &mut p.other_vessels,
        5 => &mut p.minors,
        6 => &mut p.trafficking_indicators,
        7 => &mut p.deaths,
        8 => &mut p.injuries,
        9 => &mut p.members,
        10 => &mut p.roles,
        11 => &mut p.vessels,
        12 => &mut p.vehicles,
        13 => &mut p.communications,
        14 => &mut p.payments,
        15 => &mut p.accounts,
        16 => &mut p.wallets,
        17 => &mut p.false_documents,
        18 => &mut p.countries,
        19 => &mut p.routes,
        _ => &mut p.ties,
    }
}

fn facts(count: usize, tag: usize) -> Vec<Fact> {
    (0..count).map(|i| Fact::new(format!("{tag}-{i}"), format!("fact {i}"), vec![format!("R-{i}")])).collect()
}

/// The date `days` before 2024-06-30.
fn before(days: i64) -> String {
    let d = day_number("2024-06-30").unwrap() - days;
    let (y, m, dd) = tessera_model::time::civil_from_days(d);
    format!("{y:04}-{m:02}-{dd:02}")
}

fn profile(counts: &[usize], recent: usize, prior: usize, disrupted: Option<i64>) -> GroupProfile {
    let mut p =
        GroupProfile { id: "G".into(), name: "G".into(), as_of: "2024-06-30".into(), ..GroupProfile::default() };
    for (k, c) in counts.iter().enumerate() {
        *list(&mut p, k) = facts(*c, k);
    }
    for i in 0..recent {
        p.activity.push(Fact::new(format!("recent{i}"), "recent", vec![]).dated(before((i % 89) as i64)));
    }
    for i in 0..prior {
        p.activity.push(Fact::new(format!("prior{i}"), "prior", vec![]).dated(before(91 + (i % 360) as i64)));
    }
    if let Some(days) = disrupted {
        p.disruptions.push(Fact::new("arrest", "arrest", vec![]).dated(before(days)));
    }
    p
}

fn no_lower(before: &Assessment, after: &Assessment) -> Result<(), TestCaseError> {
    for (x, y) in before.factors.iter().zip(&after.factors) {
        prop_assert!(y.level.unwrap_or(0) >= x.level.unwrap_or(0), "{:?}: {:?} -> {:?}", x.factor, x.level, y.level);
    }
    prop_assert!(after.harm.score >= before.harm.score);
    prop_assert!(after.capability.score >= before.capability.score);
    prop_assert!(after.intent.score >= before.intent.score);
    prop_assert!(after.threat >= before.threat);
    prop_assert!(after.priority >= before.priority);
    prop_assert!(after.band <= before.band, "bands are ordered High first");
    Ok(())
}

proptest! {
    #[test]
    fn more_of_any_aggravating_fact_never_lowers_a_score(
        counts in prop::collection::vec(0usize..40, LISTS),
        k in 0usize..LISTS,
        extra in 1usize..30,
        recent in 0usize..10,
        prior in 0usize..20,
    ) {
        let a = assess(&profile(&counts, recent, prior, None)).unwrap();
        let mut more = counts.clone();
        more[k] += extra;
        let b = assess(&profile(&more, recent, prior, None)).unwrap();
        no_lower(&a, &b)?;
    }

    #[test]
    fn more_recent_activity_never_lowers_a_score(
        counts in prop::collection::vec(0usize..40, LISTS),
        recent in 0usize..30,
        extra in 1usize..30,
        prior in 0usize..40,
        disrupted in prop::option::of(100i64..400),
    ) {
        let a = assess(&profile(&counts, recent, prior, disrupted)).unwrap();
        let b = assess(&profile(&counts, recent + extra, prior, disrupted)).unwrap();
        no_lower(&a, &b)?;
    }

    #[test]
    fn more_older_activity_never_raises_the_trend(
        recent in 0usize..30,
        prior in 0usize..40,
        extra in 1usize..40,
    ) {
        let trend = |p: &GroupProfile| assess(p).unwrap().factor(tessera_priority::Factor::Trend).unwrap().level;
        let a = trend(&profile(&[0; LISTS], recent, prior, None));
        let b = trend(&profile(&[0; LISTS], recent, prior + extra, None));
        prop_assert!(b <= a, "{a:?} -> {b:?}");
    }
}
