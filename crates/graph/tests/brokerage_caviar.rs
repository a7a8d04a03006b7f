//! Brokerage roles on CAVIAR phase 3 (Morselli 2009), as directed calls
//! (row → column of the matrix) and as an undirected network, with the
//! players split into three groups by their number modulo 3 (an arbitrary
//! but reproducible partition). Reference counts were computed once by hand
//! with a direct Python enumeration of every two-path a → b → c (a ≠ c, no
//! arc a → c), classified by the groups of a, b and c; the undirected case
//! with every arc added in both directions. Skips quietly when the shared
//! data folder is absent.

use std::path::PathBuf;

use tessera_graph::Graph;
use tessera_graph::brokerage::{Roles, brokerage_directed, brokerage_undirected};
use tessera_graph::read::{Format, read_graph};

#[test]
fn phase_three_roles_match_a_direct_enumeration() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/graph/caviar_phases/phase3.csv");
    if !path.exists() {
        eprintln!("skipping: {} is absent", path.display());
        return;
    }
    let list = read_graph(&path, Format::Auto).expect("reads");
    let membership: Vec<u32> = list.names().iter().map(|n| n.parse::<u32>().expect("numbered players") % 3).collect();
    let totals = |roles: &[Roles]| (0..5).map(|i| roles.iter().map(|r| r.counts[i]).sum::<u64>()).collect::<Vec<_>>();
    let row = |roles: &[Roles], name: &str| roles[list.id(name).unwrap() as usize].counts;

    let directed = brokerage_directed(&list, &membership);
    assert_eq!(row(&directed, "1"), [15, 56, 69, 30, 62]);
    assert_eq!(row(&directed, "3"), [5, 2, 10, 5, 3]);
    assert_eq!(totals(&directed), [21, 62, 89, 43, 67]);

    let undirected = brokerage_undirected(&Graph::from_edges(&list), &membership);
    assert_eq!(row(&undirected, "1"), [70, 140, 152, 152, 144]);
    assert_eq!(row(&undirected, "3"), [12, 4, 17, 17, 8]);
    assert_eq!(totals(&undirected), [92, 160, 197, 197, 164]);
}
