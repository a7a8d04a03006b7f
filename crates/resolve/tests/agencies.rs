//! The scenario: three agencies' reports about one man become one
//! cluster, while two different men called Mohammed Ahmed, one report of
//! each giving the same household phone, stay two. A background population (each person recorded
//! twice) lets the model train without labels as it would on real data.

use tessera_resolve::{Config, Record, Role, Schema, dedupe};

fn rec(id: &str, name: &str, dob: &str, phone: &str, postcode: &str) -> Record {
    Record::new(id, [name, dob, phone, postcode])
}

/// Romanisation variants the second agency uses.
const VARIANTS: [(&str, &str); 10] = [
    ("omar", "umar"),
    ("yusuf", "yousef"),
    ("leyla", "layla"),
    ("haddad", "hadad"),
    ("rahimi", "raheemi"),
    ("ahmadi", "ahmedi"),
    ("hoxha", "hoxa"),
    ("tesfaye", "tesfay"),
    ("karimi", "kareemi"),
    ("farah", "faraah"),
];

#[test]
fn three_agencies_one_person_two_namesakes_apart() {
    let given = ["anna", "omar", "li", "ivan", "sara", "yusuf", "amira", "dawit", "hana", "reza", "leyla", "tuan"];
    let surname = [
        "kaya", "haddad", "chen", "petrov", "ali", "novak", "berisha", "tran", "abebe", "osei", "silva", "kowalski",
        "nguyen", "ahmadi", "tesfaye", "rahimi", "hoxha", "mensah", "garcia", "ozturk", "farah", "karimi", "bekele",
    ];
    let mut records = Vec::new();
    for i in 0..300usize {
        let name = format!("{} {}", given[i % given.len()], surname[(i * 7) % surname.len()]);
        let dob = format!("{}-{:02}-{:02}", 1950 + i % 50, 1 + i % 12, 1 + (i * 11) % 28);
        let phone = format!("07700 9{:05}", i * 13);
        let postcode = format!("E{} {}AB", 1 + i % 20, i % 10);
        records.push(rec(&format!("p{i}"), &name, &dob, &phone, &postcode));
        // A second record of the same person as another agency wrote it:
        // upper case, another romanisation, the date day first, no phone,
        // a year-only date, or a moved household.
        let dob2 = match i % 5 {
            0 => format!("{:02}/{:02}/{}", 1 + (i * 11) % 28, 1 + i % 12, 1950 + i % 50),
            1 => format!("01/01/{}", 1950 + i % 50),
            _ => dob,
        };
        let phone2 = if i % 2 == 0 { phone.replace(' ', "") } else { String::new() };
        let postcode2 = if i % 7 == 3 { format!("N{} {}XY", 1 + i % 9, i % 10) } else { postcode.clone() };
        let name2 =
            VARIANTS.iter().fold(name.clone(), |n, (from, to)| if i % 3 == 0 { n.replace(from, to) } else { n });
        records.push(rec(&format!("p{i}b"), &name2.to_uppercase(), &dob2, &phone2, &postcode2));
    }
    let base = records.len();
    records.push(rec("border", "Mohamed Abdelrahman", "07/03/1991", "+44 7700 911111", "E5 1AB"));
    records.push(rec("debrief", "Muhammad Abd al-Rahman", "1991-07-03", "", "E5 1AB"));
    records.push(rec("partner", "ABDULRAHMAN Mohammad", "1991", "0044 7700 911111", ""));
    // Two men called Mohammed Ahmed, each reported twice; one report of each
    // gives the same household phone.
    records.push(rec("ahmed-1a", "Mohammed Ahmed", "1984-02-10", "07700 933333", "E9 4AB"));
    records.push(rec("ahmed-1b", "Muhammad Ahmed", "10/02/1984", "07700 922222", "E9 4AB"));
    records.push(rec("ahmed-2a", "Mohamed Ahmed", "1962-11-25", "+447700922222", "E9 4AB"));
    records.push(rec("ahmed-2b", "Mohammed Ahmad", "25.11.1962", "", "E9 4AB"));

    let schema = Schema::new([
        ("name", Role::FullName),
        ("dob", Role::BirthDate),
        ("phone", Role::Phone),
        ("postcode", Role::Postcode),
    ]);
    let res = dedupe(&records, &Config::new(schema)).unwrap();
    let cluster_of = |i: usize| res.clusters.iter().position(|c| c.contains(&(i as u32)));
    assert!(cluster_of(base).is_some());
    assert_eq!(cluster_of(base), cluster_of(base + 1), "{:?}", res.clusters);
    assert_eq!(cluster_of(base), cluster_of(base + 2), "{:?}", res.clusters);
    assert_eq!(cluster_of(base + 3), cluster_of(base + 4), "{:?}", res.clusters);
    assert_eq!(cluster_of(base + 5), cluster_of(base + 6), "{:?}", res.clusters);
    assert_ne!(cluster_of(base + 3), cluster_of(base + 5), "namesakes chained through the household phone");
}
