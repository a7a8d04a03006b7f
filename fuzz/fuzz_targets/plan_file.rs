//! Plan-file records (actions and disruptions, as `tessera plan import`, the
//! API and the web form take them) on arbitrary JSON: they parse or are
//! refused with an error, never a panic; the impact criteria grade whatever
//! parses, and a criteria file parses or is refused by name.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_model::disruption::{AssetKind, ImpactCriteria, ImpactFacts};
use tessera_store::{NewAction, NewDisruption};

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<NewAction>(data);
    if let Ok(d) = serde_json::from_slice::<NewDisruption>(data) {
        let assets: f64 = d.assets.iter().filter(|a| a.status.denied()).filter_map(|a| a.value_gbp).sum();
        let craft = d.assets.iter().filter(|a| matches!(a.kind, AssetKind::Boat | AssetKind::Engine)).count();
        let facts = ImpactFacts {
            kind: Some(d.kind),
            subjects: d.subjects.len(),
            leaders: 0,
            assets_gbp: assets,
            craft,
            accounts: d.accounts as usize,
        };
        let graded = ImpactCriteria::default().assess(&facts);
        assert!(!graded.reasons.is_empty());
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(criteria) = toml::from_str::<ImpactCriteria>(text)
        && criteria.validate().is_ok()
    {
        assert!(!criteria.criteria().is_empty());
    }
});
