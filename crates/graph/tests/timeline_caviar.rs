//! The CAVIAR network (Morselli 2009) through its eleven wiretap phases:
//! sizes, who entered and left, centralisation, and who took over from a
//! player who disappeared. Reference values were computed once by hand with
//! networkx 3.6 from the same files, each matrix read as an undirected graph
//! (a link wherever either direction has a contact):
//!
//! ```python
//! G = nx.Graph(); G.add_edges_from((r[0], c) for r in rows[1:] for c, v in zip(cols, r[1:]) if float(v) > 0 and r[0] != c)
//! deg = dict(G.degree()); dc = sum(max(deg.values()) - d for d in deg.values()) / ((n - 1) * (n - 2))
//! b = nx.betweenness_centrality(G, normalized=True); bc = sum(max(b.values()) - x for x in b.values()) / (n - 1)
//! nx.density(G); nx.number_connected_components(G); max(len(c) for c in nx.connected_components(G))
//! entered = set(G) - set(previous); left = set(previous) - set(G)
//! ```
//!
//! and the replacement scores with the measure of `timeline.rs` written out
//! in Python over the same graphs. The tests skip quietly when the shared
//! data folder is absent.

use std::path::PathBuf;

use tessera_graph::read::{Format, read_graph};
use tessera_graph::timeline::Timeline;

fn caviar() -> Option<Timeline> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/graph/caviar_phases");
    if !dir.exists() {
        eprintln!("skipping: {} is absent", dir.display());
        return None;
    }
    let phases = (1..=11)
        .map(|p| (format!("phase{p}"), read_graph(&dir.join(format!("phase{p}.csv")), Format::Auto).expect("reads")))
        .collect();
    Some(Timeline::from_phases(phases))
}

/// Per phase: nodes, entered, left, density, degree and betweenness centralisation, components, largest.
#[allow(clippy::type_complexity)]
const NETWORKX: [(usize, usize, usize, f64, f64, f64, usize, usize); 11] = [
    (15, 0, 0, 0.17142857142857143, 0.7912087912087912, 0.8865777080062797, 1, 15),
    (24, 11, 2, 0.10144927536231885, 0.7905138339920948, 0.9276507991063754, 1, 24),
    (33, 13, 4, 0.10606060606060606, 0.7852822580645161, 0.8178112399193544, 1, 33),
    (33, 8, 8, 0.09090909090909091, 0.6683467741935484, 0.8191671766993088, 1, 33),
    (32, 10, 11, 0.07862903225806452, 0.6731182795698925, 0.8654179673950744, 1, 32),
    (27, 5, 10, 0.1339031339031339, 0.6030769230769231, 0.51491124260355, 1, 27),
    (36, 14, 5, 0.07777777777777778, 0.6436974789915967, 0.5816566626650662, 2, 30),
    (42, 17, 11, 0.06736353077816493, 0.44146341463414634, 0.5189173111243311, 1, 42),
    (34, 12, 20, 0.0784313725490196, 0.2708333333333333, 0.5342343893480259, 1, 34),
    (42, 23, 15, 0.05807200929152149, 0.27195121951219514, 0.32694824509220677, 3, 31),
    (41, 16, 17, 0.06097560975609756, 0.2512820512820513, 0.5067254273504271, 2, 39),
];

#[test]
fn phase_summaries_match_networkx() {
    let Some(timeline) = caviar() else { return };
    let summaries = timeline.summaries(2);
    assert_eq!(summaries.len(), 11);
    for (i, (s, &(nodes, entered, left, density, dc, bc, components, largest))) in
        summaries.iter().zip(&NETWORKX).enumerate()
    {
        let phase = i + 1;
        assert_eq!((s.nodes, s.entered.len(), s.left.len()), (nodes, entered, left), "phase {phase}");
        assert_eq!((s.components, s.largest_component), (components, largest), "phase {phase}");
        for (got, want, what) in [
            (s.density, density, "density"),
            (s.degree_centralization, dc, "degree centralisation"),
            (s.betweenness_centralization, bc, "betweenness centralisation"),
        ] {
            assert!((got - want).abs() < 1e-9, "phase {phase} {what}: {got} vs {want}");
        }
    }
    let names = |ids: &[u32]| {
        let mut names: Vec<&str> = ids.iter().map(|&v| timeline.names()[v as usize].as_str()).collect();
        names.sort_by_key(|n| n.parse::<u32>().unwrap_or(u32::MAX));
        names
    };
    // Between phases 1 and 2, n4 and n54 drop out of the intercepts.
    assert_eq!(names(&summaries[1].left), ["4", "54"]);
    assert_eq!(names(&summaries[5].entered), ["14", "20", "77", "78", "87"]);
}

#[test]
fn serero_dominates_early_and_the_network_decentralises() {
    // Morselli: n1 (Daniel Serero) is the hub early on, and the network grows less centralised
    // as seizures mount. The data agree: n1 has the highest betweenness in phases 1–8 and 10,
    // n3 in phase 9, n41 in phase 11; n12 (Pierre Perlini) has the most links in phase 11 (the
    // existing `caviar.rs` checks that), but not the highest betweenness, so that is not asserted.
    let Some(timeline) = caviar() else { return };
    let summaries = timeline.summaries(2);
    let top: Vec<&str> =
        summaries.iter().map(|s| timeline.names()[s.top_betweenness.unwrap() as usize].as_str()).collect();
    assert_eq!(top, ["1", "1", "1", "1", "1", "1", "1", "1", "3", "1", "41"]);
    let first = &summaries[..4];
    let last = &summaries[8..];
    assert!(first.iter().all(|s| s.degree_centralization > 0.6));
    assert!(last.iter().all(|s| s.degree_centralization < 0.3));
    let twelve = timeline.id("12").unwrap();
    let last_window = &timeline.windows()[10];
    let one = timeline.id("1").unwrap();
    let degree = |v: u32| last_window.graph.degree(last_window.local(v).unwrap());
    assert_eq!((degree(twelve), degree(one)), (12, 7));
}

#[test]
fn who_took_over_from_players_who_disappeared() {
    let Some(timeline) = caviar() else { return };
    let name = |v: u32| timeline.names()[v as usize].as_str();
    // n89, second broker of phases 1, 2 and 4, is gone from phase 6. Its three contacts in
    // phase 5 were n1, n7 and n76; in phase 6 n3 and n12 each newly link one of them, and each
    // gains more betweenness than n89 had: score 1/3 · 1/2 + 1/2 = 2/3 each, n3 first on the larger gain.
    let ranking = timeline.replacements(4, timeline.id("89").unwrap(), 2).unwrap();
    let top: Vec<(&str, usize)> = ranking[..3].iter().map(|r| (name(r.node), r.contacts_taken)).collect();
    assert_eq!(top, [("3", 1), ("12", 1), ("76", 0)]);
    assert!((ranking[0].score - 2.0 / 3.0).abs() < 1e-12 && (ranking[1].score - 2.0 / 3.0).abs() < 1e-12);
    assert!((ranking[2].score - 0.5).abs() < 1e-12);
    // n22 (phase 8, two contacts) is gone from phase 9; n3, the top broker of phase 9, takes one
    // contact and more than all of n22's brokerage: 0.75.
    let ranking = timeline.replacements(7, timeline.id("22").unwrap(), 2).unwrap();
    assert_eq!((name(ranking[0].node), ranking[0].contacts_taken), ("3", 1));
    assert!((ranking[0].score - 0.75).abs() < 1e-12);
    assert_eq!(name(ranking[1].node), "7");
    assert!((ranking[0].betweenness_after - ranking[0].betweenness_before - 0.2616).abs() < 1e-4);
}
