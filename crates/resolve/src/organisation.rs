//! Organisation names: an organisation is known by several names and
//! aliases, and each name is mostly generic words that say what *kind* of
//! group it is ("network", "crew", "the", "syndicate") around one or two
//! distinctive words that say *which* group it is (a place, a person, a
//! trade: "Zawiya", "Ostend lorry", "Kawa").
//!
//! A field of role [`Role::OrganisationName`](crate::Role::OrganisationName)
//! holds every name and alias of a record, separated by [`SEPARATOR`] (see
//! [`join`]). Two records are compared name by name, every name of one with
//! every name of the other, and the best agreement counts, so an alias one
//! agency lists ("Al-Zawiya group") meets the name another uses ("Zawiya
//! network"). Names agree on their distinctive words' phonetic keys; generic
//! words count for nothing, so "the Zawiya brothers" and "Zawiya network"
//! agree, while "Dunkirk boat crew" and "Boulogne boat crew", which share only
//! "boat" and each have a distinctive word the other lacks, do not.
//!
//! The generic vocabulary is a fixed list of words that designate groups in
//! general (as company-name matching strips "Ltd" and "GmbH"); it names no
//! particular group. Term frequencies are not used for organisation names:
//! a holding has few organisations, each reported by several agencies, so the
//! frequency of a name counts the agencies that report the group rather than
//! the groups that share the name.

use tessera_model::names;

/// Separates the names and aliases of one record in an organisation-name
/// field.
pub const SEPARATOR: char = '|';

/// Words that designate a group in general rather than a particular one:
/// articles and connectors, words for a group or gang (English, French,
/// Italian, Spanish, German), kinship words groups are named with, and legal
/// forms. Folded lowercase, sorted (binary-searched).
const GENERIC: &[&str] = &[
    "a",
    "an",
    "and",
    "association",
    "band",
    "banda",
    "bande",
    "bv",
    "cartel",
    "cell",
    "clan",
    "co",
    "company",
    "cosca",
    "crew",
    "crime",
    "criminal",
    "de",
    "der",
    "des",
    "die",
    "du",
    "et",
    "famiglia",
    "familia",
    "family",
    "filiere",
    "firm",
    "gang",
    "gmbh",
    "group",
    "groupe",
    "grupo",
    "gruppe",
    "gruppo",
    "inc",
    "la",
    "le",
    "les",
    "limited",
    "llc",
    "ltd",
    "mafia",
    "mob",
    "network",
    "netzwerk",
    "new",
    "oc",
    "ocg",
    "of",
    "org",
    "organisation",
    "organised",
    "organization",
    "organized",
    "organizzazione",
    "outfit",
    "plc",
    "reseau",
    "rete",
    "ring",
    "sa",
    "sarl",
    "srl",
    "syndicate",
    "team",
    "the",
    "und",
];

/// Generic words in the plural or with kinship meaning, folded: also generic.
const GENERIC_KIN: &[&str] = &["boys", "brethren", "brotherhood", "brothers", "cousins", "sons"];

/// Whether a folded token designates a group in general rather than a
/// particular one (plurals of the generic words included).
pub fn is_generic(token: &str) -> bool {
    let one = |t: &str| GENERIC.binary_search(&t).is_ok() || GENERIC_KIN.contains(&t);
    one(token) || token.strip_suffix('s').is_some_and(|t| t.len() > 2 && one(t))
}

/// Joins names and aliases into one organisation-name field value, dropping
/// empty ones and any separator inside a name.
pub fn join<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for n in names {
        let n = n.replace(SEPARATOR, " ");
        let n = n.trim();
        if n.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str(" | ");
        }
        out.push_str(n);
    }
    out
}

/// The names of an organisation-name field value, trimmed, without empty
/// ones.
pub fn split(value: &str) -> impl Iterator<Item = &str> {
    value.split(SEPARATOR).map(str::trim).filter(|n| !n.is_empty())
}

/// The distinctive tokens of one name: its tokens (folded, particles
/// handled as for person names) less the generic ones.
pub fn distinctive_tokens(name: &str) -> Vec<String> {
    names::name_tokens(name).into_iter().filter(|t| !is_generic(t)).collect()
}

/// Phonetic keys of the distinctive tokens of every name of an
/// organisation-name field value, sorted and deduplicated: what brings two
/// records together for comparison (blocking, incremental neighbourhoods).
pub fn distinctive_keys(value: &str) -> Vec<String> {
    let mut keys: Vec<String> = split(value)
        .flat_map(|n| distinctive_tokens(n).into_iter().map(|t| names::token_key(&t)))
        .filter(|k| !k.is_empty())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// One name of an organisation, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgName {
    /// Id of the folded name, the same for every record that gives it.
    pub id: u32,
    /// Folded lowercase ASCII words.
    pub folded: Box<str>,
    /// Interned phonetic keys of the distinctive tokens, sorted and
    /// deduplicated (empty for a name made of generic words only).
    pub keys: Box<[u32]>,
}

/// Pairs of name ids `(x, y)`, `x < y`, that some record gives together, as
/// names of one organisation.
pub type ListedTogether = std::collections::HashSet<(u32, u32)>;

/// The pairs of names each record gives together (`records` holds each
/// record's names).
pub fn listed_together<'a>(records: impl IntoIterator<Item = &'a [OrgName]>) -> ListedTogether {
    let mut out = ListedTogether::new();
    for names in records {
        for (i, x) in names.iter().enumerate() {
            for y in &names[i + 1..] {
                out.insert((x.id.min(y.id), x.id.max(y.id)));
            }
        }
    }
    out
}

/// Agreement level of two organisations, each given by all its names: 4 when
/// they share a name, or a name of one and a name of the other are given
/// together by some record (an agency's word that they name one group); else
/// the best of [`name_level`] over every name of one against every name of
/// the other.
pub fn level(a: &[OrgName], b: &[OrgName], together: &ListedTogether) -> u8 {
    let mut best = 0;
    for x in a {
        for y in b {
            if x.id == y.id || together.contains(&(x.id.min(y.id), x.id.max(y.id))) {
                return 4;
            }
            best = best.max(name_level(x, y));
            if best == 4 {
                return 4;
            }
        }
    }
    best
}

/// Agreement level of two organisation names: 4 the same name; 3 the same
/// distinctive words (as phonetic keys), generic words aside; 2 the
/// distinctive words of one among those of the other; 1 some distinctive
/// words shared but each name has one the other lacks; 0 none shared.
pub fn name_level(x: &OrgName, y: &OrgName) -> u8 {
    if x.folded == y.folded {
        return 4;
    }
    if x.keys.is_empty() || y.keys.is_empty() {
        return 0;
    }
    if x.keys == y.keys {
        return 3;
    }
    let shared = x.keys.iter().filter(|k| y.keys.binary_search(k).is_ok()).count();
    if shared == 0 {
        0
    } else if shared == x.keys.len() || shared == y.keys.len() {
        2
    } else {
        1
    }
}

/// Agreement level of two sorted sets of members: 4 three or more in common,
/// 3 two, 2 one, 0 none.
pub fn shared_level(a: &[u32], b: &[u32]) -> u8 {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() && shared < 3 {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    match shared {
        0 => 0,
        1 => 2,
        2 => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names normalised with keys interned in one shared list.
    fn orgs(values: &[&str]) -> Vec<Vec<OrgName>> {
        let mut interned: Vec<String> = Vec::new();
        let mut folded: Vec<String> = Vec::new();
        values
            .iter()
            .map(|v| {
                split(v)
                    .map(|n| {
                        let mut keys: Vec<u32> = distinctive_tokens(n)
                            .iter()
                            .map(|t| names::token_key(t))
                            .filter(|k| !k.is_empty())
                            .map(|k| match interned.iter().position(|x| *x == k) {
                                Some(i) => i as u32,
                                None => {
                                    interned.push(k);
                                    interned.len() as u32 - 1
                                }
                            })
                            .collect();
                        keys.sort_unstable();
                        keys.dedup();
                        let f = names::fold(n);
                        let id = folded.iter().position(|x| *x == f).unwrap_or_else(|| {
                            folded.push(f.clone());
                            folded.len() - 1
                        }) as u32;
                        OrgName { id, folded: f.into(), keys: keys.into() }
                    })
                    .collect()
            })
            .collect()
    }

    fn lvl(a: &str, b: &str) -> u8 {
        let o = orgs(&[a, b]);
        level(&o[0], &o[1], &ListedTogether::new())
    }

    #[test]
    fn the_generic_list_is_sorted_and_plurals_are_generic() {
        assert!(GENERIC.windows(2).all(|w| w[0] < w[1]));
        for w in ["network", "networks", "the", "crew", "crews", "brothers", "syndicate", "gang", "ring", "group"] {
            assert!(is_generic(w), "{w}");
        }
        for w in ["zawiya", "ostend", "sfax", "boat", "lorry", "kawas", "bus", "gas"] {
            assert!(!is_generic(w), "{w}");
        }
    }

    #[test]
    fn distinctive_words_carry_the_match() {
        assert_eq!(lvl("Zawiya network", "Zawiya network"), 4);
        assert_eq!(lvl("Zawiya network", "the Zawiya brothers"), 3);
        assert_eq!(lvl("Al-Zawiya group", "Zawiya network"), 3, "the article and generic words aside");
        assert_eq!(lvl("the new Boulogne crew", "Boulogne boat crew"), 2);
        assert_eq!(lvl("Dunkirk boat crew", "Boulogne boat crew"), 1, "a shared trade, different places");
        assert_eq!(lvl("Sfax crossing syndicate", "Izmir crossing ring"), 1);
        assert_eq!(lvl("Zawiya network", "Aegean network"), 0, "generic words alone never agree");
        assert_eq!(lvl("the network", "the group"), 0);
        assert_eq!(lvl("the network", "The Network"), 4);
    }

    #[test]
    fn every_name_meets_every_alias() {
        // One agency names the group by an alias the other lists.
        assert_eq!(lvl("Durrës documents ring | the Tirana printers", "the Tirana printers"), 4);
        assert_eq!(lvl("Dunkirk boat crew | Grande-Synthe crew | Kawa's crew", "Kawa's crew"), 4);
        assert_eq!(lvl("Durrës documents ring", "the Tirana printers"), 0);
        assert_eq!(lvl("Boulogne boat crew | the new Boulogne crew", "Dunkirk boat crew | Kawa's crew"), 1);
    }

    #[test]
    fn names_another_record_gives_together_agree() {
        // One agency lists both names; two others each use one of them.
        let o =
            orgs(&["Dunkirk boat crew | Grande-Synthe crew", "Dunkirk boat crew", "Grande-Synthe crew", "Kawa's crew"]);
        let together = listed_together(o.iter().map(Vec::as_slice));
        assert_eq!(level(&o[1], &o[2], &ListedTogether::new()), 0);
        assert_eq!(level(&o[1], &o[2], &together), 4);
        assert_eq!(level(&o[1], &o[3], &together), 0, "only names given together");
    }

    #[test]
    fn members_in_common() {
        assert_eq!(shared_level(&[1, 3, 5], &[2, 4, 6]), 0);
        assert_eq!(shared_level(&[1, 3, 5], &[3, 4]), 2);
        assert_eq!(shared_level(&[1, 3, 5], &[1, 3]), 3);
        assert_eq!(shared_level(&[1, 2, 3, 5, 8], &[1, 2, 3, 4, 5]), 4);
        assert_eq!(shared_level(&[], &[1]), 0);
    }

    #[test]
    fn joining_and_splitting() {
        assert_eq!(join(["Zawiya network", " ", "Al|Zawiya group"]), "Zawiya network | Al Zawiya group");
        assert_eq!(split(" a | | b ").collect::<Vec<_>>(), vec!["a", "b"]);
        assert_eq!(distinctive_keys("the Zawiya brothers | Zawiya network | the network").len(), 1);
        assert!(distinctive_keys("the network").is_empty());
    }
}
