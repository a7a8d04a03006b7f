//! The hidden "real world" the reports are written about: organised crime
//! groups, the true people in and around them, their phones, accounts,
//! documents, vehicles and vessels. Reports are partial, noisy views of it.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::ids::{self, BANKS, FLAGS, PhoneNo, PhonePlan, WALLETS};
use crate::names::{ALBANIAN, ARABIC, CULTURES, KURDISH, PASHTO, SUDANESE, TIGRINYA, VIETNAMESE};

/// A real place with its coordinates (WGS 84, town centre).
pub(crate) struct Place {
    pub name: &'static str,
    pub country: &'static str,
    pub lat: f64,
    pub lon: f64,
}

macro_rules! place {
    ($n:expr, $c:expr, $lat:expr, $lon:expr) => {
        Place { name: $n, country: $c, lat: $lat, lon: $lon }
    };
}

pub(crate) const PLACES: &[Place] = &[
    place!("Zuwara", "LY", 32.9312, 12.0820),          // 0
    place!("Sabratha", "LY", 32.7933, 12.4885),        // 1
    place!("Zawiya", "LY", 32.7571, 12.7278),          // 2
    place!("Tripoli", "LY", 32.8872, 13.1913),         // 3
    place!("Sfax", "TN", 34.7406, 10.7603),            // 4
    place!("Lampedusa", "IT", 35.5011, 12.6053),       // 5
    place!("Calais", "FR", 50.9513, 1.8587),           // 6
    place!("Dunkirk", "FR", 51.0343, 2.3768),          // 7
    place!("Gravelines", "FR", 50.9865, 2.1281),       // 8
    place!("Boulogne-sur-Mer", "FR", 50.7264, 1.6147), // 9
    place!("Loon-Plage", "FR", 50.9967, 2.2183),       // 10
    place!("Ostend", "BE", 51.2154, 2.9286),           // 11
    place!("Brussels", "BE", 50.8503, 4.3517),         // 12
    place!("Dover", "GB", 51.1279, 1.3134),            // 13
    place!("Folkestone", "GB", 51.0814, 1.1695),       // 14
    place!("Istanbul", "TR", 41.0082, 28.9784),        // 15
    place!("Izmir", "TR", 38.4237, 27.1428),           // 16
    place!("Athens", "GR", 37.9838, 23.7275),          // 17
    place!("Belgrade", "RS", 44.7866, 20.4489),        // 18
    place!("Tirana", "AL", 41.3275, 19.8187),          // 19
    place!("Durrës", "AL", 41.3246, 19.4565),          // 20
    place!("Catania", "IT", 37.5079, 15.0830),         // 21
    place!("London", "GB", 51.5072, -0.1276),          // 22
    place!("Birmingham", "GB", 52.4862, -1.8904),      // 23
    place!("Zeebrugge", "BE", 51.3333, 3.2000),        // 24
    place!("Lesbos", "GR", 39.1040, 26.5550),          // 25
];

/// Kinds of location within a town that reports mention.
pub(crate) const SPOTS: &[&str] = &[
    "beach launch point",
    "safe house",
    "warehouse",
    "informal camp",
    "port area",
    "lorry park",
    "money exchange shop",
    "internet café",
    "rented flat",
    "car wash",
];

/// How a group moves people.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    /// Boats across the Central Mediterranean.
    MedSea,
    /// Small boats across the Channel.
    ChannelSea,
    /// Lorries through the Channel ports.
    Lorry,
    /// Forged and fraudulently obtained documents.
    Documents,
    /// Aegean crossings and the Balkan land route.
    EastMed,
}

/// The fixed description of an organised crime group.
pub(crate) struct GroupDef {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub operation: &'static str,
    pub kind: Kind,
    pub country: &'static str,
    pub routes: &'static [&'static str],
    pub streams: &'static [&'static str],
    pub bases: &'static [usize],
    pub destinations: &'static [usize],
    pub leader_culture: u8,
    pub member_cultures: &'static [u8],
    pub migrant_cultures: &'static [u8],
    pub phone_regions: &'static [&'static str],
    pub modus: &'static str,
    pub weight: f64,
}

pub(crate) const GROUPS: &[GroupDef] = &[
    GroupDef {
        name: "Zawiya network",
        aliases: &["Al-Zawiya group", "the Zawiya brothers"],
        operation: "OP-KESTREL",
        kind: Kind::MedSea,
        country: "LY",
        routes: &["central_mediterranean"],
        streams: &["facilitation_sea"],
        bases: &[2, 0, 1, 3],
        destinations: &[5, 21],
        leader_culture: ARABIC,
        member_cultures: &[ARABIC, ARABIC, SUDANESE, TIGRINYA],
        migrant_cultures: &[TIGRINYA, SUDANESE, ARABIC, PASHTO],
        phone_regions: &["LY", "LY", "LY", "IT"],
        modus: "Holds migrants in warehouses near Zawiya and Sabratha and launches wooden and fishing boats from beaches west of Tripoli; fees collected through hawala in Khartoum and via diaspora agents in Europe.",
        weight: 1.2,
    },
    GroupDef {
        name: "Sfax crossing syndicate",
        aliases: &["Sfax iron-boat syndicate"],
        operation: "OP-MERLIN",
        kind: Kind::MedSea,
        country: "TN",
        routes: &["central_mediterranean"],
        streams: &["facilitation_sea"],
        bases: &[4],
        destinations: &[5],
        leader_culture: ARABIC,
        member_cultures: &[ARABIC, ARABIC, SUDANESE],
        migrant_cultures: &[SUDANESE, ARABIC, TIGRINYA],
        phone_regions: &["TN", "TN", "IT"],
        modus: "Builds and buys welded iron boats in Sfax and sends them to Lampedusa at night; recruits through Facebook and TikTok groups.",
        weight: 0.9,
    },
    GroupDef {
        name: "Dunkirk boat crew",
        aliases: &["Grande-Synthe crew", "Kawa's crew"],
        operation: "OP-TIDEWAY",
        kind: Kind::ChannelSea,
        country: "FR",
        routes: &["channel"],
        streams: &["facilitation_sea", "clandestine_entry"],
        bases: &[7, 10, 8, 6],
        destinations: &[13, 14],
        leader_culture: KURDISH,
        member_cultures: &[KURDISH, KURDISH, KURDISH, PASHTO],
        migrant_cultures: &[KURDISH, PASHTO, TIGRINYA, SUDANESE, ARABIC],
        phone_regions: &["FR", "FR", "GB", "BE"],
        modus: "Buys inflatable boats and engines in Germany, stores them in the dunes around Gravelines and launches overloaded dinghies to Kent; advertises places on TikTok and Telegram.",
        weight: 1.3,
    },
    GroupDef {
        name: "Ostend lorry network",
        aliases: &["Brussels lorry network"],
        operation: "OP-HALYARD",
        kind: Kind::Lorry,
        country: "BE",
        routes: &["channel"],
        streams: &["facilitation_land", "clandestine_entry"],
        bases: &[12, 11, 24],
        destinations: &[13, 22, 23],
        leader_culture: KURDISH,
        member_cultures: &[KURDISH, ALBANIAN, VIETNAMESE, ALBANIAN],
        migrant_cultures: &[VIETNAMESE, KURDISH, ALBANIAN, TIGRINYA],
        phone_regions: &["BE", "BE", "GB", "FR"],
        modus: "Conceals migrants in refrigerated and curtain-sided lorries loaded at Belgian parking areas, with complicit drivers paid per head.",
        weight: 0.8,
    },
    GroupDef {
        name: "Durrës documents ring",
        aliases: &["the Tirana printers"],
        operation: "OP-LANTERN",
        kind: Kind::Documents,
        country: "AL",
        routes: &["western_balkan", "channel"],
        streams: &["false_documentation", "abuse_of_legitimate_entry"],
        bases: &[20, 19],
        destinations: &[22, 23],
        leader_culture: ALBANIAN,
        member_cultures: &[ALBANIAN, ALBANIAN, ARABIC],
        migrant_cultures: &[ALBANIAN, KURDISH, ARABIC, VIETNAMESE],
        phone_regions: &["AL", "GB", "GB", "IT"],
        modus: "Supplies counterfeit and look-alike EU identity documents and sponsors fraudulent visit visas; customers fly to the UK or cross hidden in vehicles.",
        weight: 0.6,
    },
    GroupDef {
        name: "Izmir crossing ring",
        aliases: &["Aegean network"],
        operation: "OP-SHEARWATER",
        kind: Kind::EastMed,
        country: "TR",
        routes: &["eastern_mediterranean", "western_balkan"],
        streams: &["facilitation_sea", "facilitation_land"],
        bases: &[16, 15],
        destinations: &[25, 17, 18],
        leader_culture: PASHTO,
        member_cultures: &[PASHTO, ARABIC, KURDISH],
        migrant_cultures: &[PASHTO, ARABIC, KURDISH],
        phone_regions: &["TR", "TR", "GR", "RS"],
        modus: "Moves Afghan and Syrian migrants from Izmir to the Greek islands by speedboat and on through Athens and Belgrade by car.",
        weight: 0.7,
    },
    GroupDef {
        name: "Boulogne boat crew",
        aliases: &["the new Boulogne crew"],
        operation: "OP-FULMAR",
        kind: Kind::ChannelSea,
        country: "FR",
        routes: &["channel"],
        streams: &["facilitation_sea", "clandestine_entry"],
        bases: &[9, 6],
        destinations: &[13, 14],
        leader_culture: KURDISH,
        member_cultures: &[KURDISH, TIGRINYA, PASHTO, SUDANESE],
        migrant_cultures: &[TIGRINYA, SUDANESE, PASHTO, KURDISH],
        phone_regions: &["FR", "FR", "GB"],
        modus: "Launches boats from beaches south of Boulogne, picking passengers up from the water ('taxi boats'); took over launches after the Dunkirk crew was disrupted.",
        weight: 0.8,
    },
];

/// Day index (from 2023-01-01) on which the Dunkirk boat crew was disrupted.
pub(crate) const DISRUPTION_DAY: u32 = 534; // 2024-06-18
/// Index of the disrupted group.
pub(crate) const DISRUPTED_GROUP: usize = 2;
/// Index of the group that grew after the disruption.
pub(crate) const EMERGING_GROUP: usize = 6;
/// Number of days covered (2023-01-01 to 2025-06-30 inclusive).
pub(crate) const DAYS: u32 = 912;

/// Roles people play.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Role {
    Leader,
    Organiser,
    BoatPilot,
    Driver,
    MoneyHandler,
    Recruiter,
    Forger,
    Logistics,
    SafeHouse,
    Associate,
    Relative,
    Migrant,
}

impl Role {
    /// The value written in the `role` property.
    pub fn label(self) -> &'static str {
        match self {
            Role::Leader => "leader",
            Role::Organiser => "organiser",
            Role::BoatPilot => "boat pilot",
            Role::Driver => "driver",
            Role::MoneyHandler => "hawala banker",
            Role::Recruiter => "recruiter",
            Role::Forger => "document forger",
            Role::Logistics => "logistics",
            Role::SafeHouse => "safe house keeper",
            Role::Associate => "associate",
            Role::Relative => "relative",
            Role::Migrant => "migrant",
        }
    }

    /// Whether the role makes a person a member of the group.
    pub fn is_member(self) -> bool {
        !matches!(self, Role::Associate | Role::Relative | Role::Migrant)
    }
}

/// A travel document a person holds or uses.
#[derive(Clone, Debug)]
pub(crate) struct Passport {
    pub number: String,
    pub issuer: &'static str,
    pub status: &'static str,
    /// Expiry as (year, month, day).
    pub expiry: (u16, u8, u8),
    /// Name printed on the document when it is not the holder's own (impostor or forged).
    pub printed_as: Option<(u8, bool, u8, u8)>,
}

/// One true person.
#[derive(Clone, Debug)]
pub(crate) struct Person {
    pub culture: u8,
    pub male: bool,
    pub given: u8,
    pub family: u8,
    pub dob: (u16, u8, u8),
    pub nationality: &'static str,
    pub role: Role,
    pub group: Option<u8>,
    pub home: usize,
    pub phones: Vec<PhoneNo>,
    pub ibans: Vec<(String, usize)>,
    pub passport: Option<Passport>,
    pub account: Option<(&'static str, String)>,
    pub email: Option<String>,
    pub vehicle: Option<(String, &'static str, &'static str)>,
    pub wallet: Option<usize>,
    pub relatives: Vec<u32>,
    pub associates: Vec<u32>,
}

impl Person {
    /// Canonical given and family name parts (first variants).
    pub fn canonical(&self) -> (&'static str, &'static str) {
        let c = &CULTURES[self.culture as usize];
        let given = if self.male { &c.male[self.given as usize] } else { &c.female[self.given as usize] };
        (given.variants[0], c.family[self.family as usize].variants[0])
    }

    /// Canonical full name.
    pub fn canonical_name(&self) -> String {
        let (g, f) = self.canonical();
        if CULTURES[self.culture as usize].family_first { format!("{f} {g}") } else { format!("{g} {f}") }
    }
}

/// A vessel known to the scenario.
#[derive(Clone, Debug)]
pub(crate) struct VesselRec {
    pub name: &'static str,
    pub kind: &'static str,
    pub imo: Option<String>,
    pub mmsi: String,
    pub flag: &'static str,
    pub owner: u32,
}

/// A group with its people and assets.
pub(crate) struct Group {
    pub members: Vec<u32>,
    pub by_role: Vec<(Role, Vec<u32>)>,
    pub associates: Vec<u32>,
    pub migrants: Vec<u32>,
    pub vessels: Vec<VesselRec>,
}

impl Group {
    /// Members with `role` (falls back to all members).
    pub fn with_role(&self, role: Role) -> &[u32] {
        self.by_role.iter().find(|(r, v)| *r == role && !v.is_empty()).map_or(&self.members[..], |(_, v)| &v[..])
    }
}

/// The whole hidden world.
pub(crate) struct World {
    pub persons: Vec<Person>,
    pub groups: Vec<Group>,
}

const VESSEL_NAMES: &[&str] = &[
    "Al Amal",
    "Nour al Bahr",
    "Sea Star",
    "Baraka",
    "Mare Chiaro",
    "Bahr Zawiya",
    "Sirocco",
    "Al Fajr",
    "Yasmine",
    "Rais Hamidou",
    "Stella Maris",
    "Karim 3",
    "Ege Yildizi",
    "Deniz Kizi",
    "Mavi Dalga",
    "Poseidon II",
];

const CAR_MODELS: &[&str] = &[
    "Ford Transit",
    "Renault Master",
    "Mercedes-Benz Sprinter",
    "Volkswagen Passat",
    "BMW 320d",
    "Peugeot 308",
    "Volvo FH",
    "Scania R450",
    "DAF XF",
    "Audi A4",
    "Citroën Berlingo",
];

/// Picks a random element.
pub(crate) fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn region_for(place: usize) -> &'static str {
    match PLACES[place].country {
        "LY" => "LY",
        "TN" => "TN",
        "IT" => "IT",
        "FR" => "FR",
        "BE" => "BE",
        "GB" => "GB",
        "TR" => "TR",
        "GR" => "GR",
        "RS" => "RS",
        "AL" => "AL",
        _ => "IT",
    }
}

struct Builder<'a> {
    rng: &'a mut ChaCha8Rng,
    phones: PhonePlan,
    persons: Vec<Person>,
    wallets_used: usize,
    email_seq: u32,
    handle_seq: u32,
}

impl Builder<'_> {
    fn person(&mut self, culture: u8, role: Role, group: Option<u8>, home: usize) -> u32 {
        let c = &CULTURES[culture as usize];
        let male = match role {
            Role::Migrant | Role::Relative => self.rng.random_bool(0.75),
            Role::Associate | Role::MoneyHandler | Role::Forger => self.rng.random_bool(0.85),
            _ => self.rng.random_bool(0.97),
        };
        let given =
            if male { self.rng.random_range(0..c.male.len()) } else { self.rng.random_range(0..c.female.len()) } as u8;
        let family = self.rng.random_range(0..c.family.len()) as u8;
        let (lo, hi) = match role {
            Role::Leader => (1968, 1988),
            Role::Migrant => (1986, 2007),
            _ => (1972, 2003),
        };
        let dob = (self.rng.random_range(lo..=hi), self.rng.random_range(1..=12u8), self.rng.random_range(1..=28u8));
        let nationality = *pick(self.rng, c.nationalities);
        let id = self.persons.len() as u32;
        self.persons.push(Person {
            culture,
            male,
            given,
            family,
            dob,
            nationality,
            role,
            group,
            home,
            phones: Vec::new(),
            ibans: Vec::new(),
            passport: None,
            account: None,
            email: None,
            vehicle: None,
            wallet: None,
            relatives: Vec::new(),
            associates: Vec::new(),
        });
        id
    }

    fn equip(&mut self, id: u32, def: &GroupDef) {
        let role = self.persons[id as usize].role;
        let home = self.persons[id as usize].home;
        let n_phones = match role {
            Role::Leader | Role::Organiser => self.rng.random_range(2..=3),
            Role::Migrant => usize::from(self.rng.random_bool(0.6)),
            Role::Relative => 0,
            _ => self.rng.random_range(1..=2),
        };
        for k in 0..n_phones {
            let region =
                if k == 0 && role != Role::Migrant { region_for(home) } else { *pick(self.rng, def.phone_regions) };
            let region = if role == Role::Migrant {
                *pick(self.rng, &["GB", "FR", "IT", "GB", region_for(home)])
            } else {
                region
            };
            let phone = self.phones.allocate(region, self.rng);
            self.persons[id as usize].phones.push(phone);
        }
        let wants_iban = match role {
            Role::MoneyHandler => 2,
            Role::Leader | Role::Logistics => 1,
            Role::Associate => usize::from(self.rng.random_bool(0.3)),
            Role::Migrant => 0,
            _ => usize::from(self.rng.random_bool(0.15)),
        };
        for _ in 0..wants_iban {
            let bank = self.rng.random_range(0..BANKS.len());
            let iban = ids::iban(&BANKS[bank], self.rng);
            self.persons[id as usize].ibans.push((iban, bank));
        }
        if self.rng.random_bool(if role == Role::Migrant { 0.35 } else { 0.55 }) {
            let issuer = self.persons[id as usize].nationality;
            let number = ids::passport_number(issuer, self.rng);
            let expiry =
                (self.rng.random_range(2025..=2033), self.rng.random_range(1..=12u8), self.rng.random_range(1..=28u8));
            self.persons[id as usize].passport =
                Some(Passport { number, issuer, status: "genuine", expiry, printed_as: None });
        }
        if matches!(role, Role::Recruiter | Role::Organiser) || (role == Role::Leader && self.rng.random_bool(0.3)) {
            let (g, f) = self.persons[id as usize].canonical();
            let service = *pick(self.rng, &["TikTok", "Facebook", "Telegram", "Telegram", "Instagram"]);
            let stem = match self.rng.random_range(0..4) {
                0 => format!("{}_{}", ascii_lower(g), ascii_lower(PLACES[home].name)),
                1 => format!("{}.travel{}", ascii_lower(f), self.handle_seq % 97),
                2 => format!("safe_trip_{}", ascii_lower(PLACES[*pick(self.rng, def.destinations)].name)),
                _ => format!("{}{}", ascii_lower(g), 1970 + self.handle_seq % 40),
            };
            self.handle_seq += 1;
            let stem: String = stem.chars().take(24).collect();
            self.persons[id as usize].account = Some((service, format!("{stem}{}", self.handle_seq)));
        }
        if self.rng.random_bool(if role == Role::Migrant { 0.05 } else { 0.25 }) {
            let (g, f) = self.persons[id as usize].canonical();
            self.email_seq += 1;
            let domain = *pick(self.rng, &["example.com", "example.net", "example.org"]);
            self.persons[id as usize].email =
                Some(format!("{}.{}{}@{domain}", ascii_lower(g), ascii_lower(f), self.email_seq));
        }
        if matches!(role, Role::Driver | Role::Logistics) || (role.is_member() && self.rng.random_bool(0.2)) {
            let (plate, country) =
                if PLACES[home].country == "GB" || (def.kind == Kind::Lorry && self.rng.random_bool(0.5)) {
                    (ids::uk_plate(self.rng), "GB")
                } else {
                    (ids::fr_plate(self.rng), "FR")
                };
            let model = if role == Role::Driver && def.kind == Kind::Lorry {
                *pick(self.rng, &CAR_MODELS[6..9])
            } else {
                *pick(self.rng, CAR_MODELS)
            };
            self.persons[id as usize].vehicle = Some((plate, model, country));
        }
        if role == Role::MoneyHandler && self.wallets_used < WALLETS.len() && self.rng.random_bool(0.5) {
            self.persons[id as usize].wallet = Some(self.wallets_used);
            self.wallets_used += 1;
        }
    }
}

fn ascii_lower(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

impl World {
    /// Builds the world for a scenario of `reports` reports.
    pub fn build(rng: &mut ChaCha8Rng, reports: usize) -> World {
        let mut b = Builder {
            rng,
            phones: PhonePlan::default(),
            persons: Vec::new(),
            wallets_used: 0,
            email_seq: 0,
            handle_seq: 0,
        };
        let members_per_group = 16 + reports / 300;
        let migrants_total = (reports / 4).max(200);
        let weight_sum: f64 = GROUPS.iter().map(|g| g.weight).sum();
        let mut groups = Vec::new();
        for (gi, def) in GROUPS.iter().enumerate() {
            let n = ((members_per_group as f64) * (0.7 + 0.5 * def.weight)) as usize;
            let mut members = Vec::new();
            let mut by_role: Vec<(Role, Vec<u32>)> = Vec::new();
            let work_role = match def.kind {
                Kind::MedSea | Kind::ChannelSea | Kind::EastMed => Role::BoatPilot,
                Kind::Lorry => Role::Driver,
                Kind::Documents => Role::Forger,
            };
            for k in 0..n {
                let role = match k {
                    0 => Role::Leader,
                    1 | 2 => Role::Organiser,
                    3 => Role::MoneyHandler,
                    4 => Role::Recruiter,
                    5 => work_role,
                    6 => Role::Logistics,
                    _ => *pick(
                        b.rng,
                        &[
                            work_role,
                            work_role,
                            work_role,
                            Role::Organiser,
                            Role::MoneyHandler,
                            Role::Recruiter,
                            Role::Recruiter,
                            Role::Forger,
                            Role::Logistics,
                            Role::SafeHouse,
                            Role::Driver,
                        ],
                    ),
                };
                let culture = if k == 0 { def.leader_culture } else { *pick(b.rng, def.member_cultures) };
                let home = if role == Role::Driver && def.kind != Kind::Lorry
                    || k % 9 == 8 && def.routes.contains(&"channel")
                {
                    *pick(b.rng, def.destinations)
                } else {
                    *pick(b.rng, def.bases)
                };
                let id = b.person(culture, role, Some(gi as u8), home);
                b.equip(id, def);
                members.push(id);
                match by_role.iter_mut().find(|(r, _)| *r == role) {
                    Some((_, v)) => v.push(id),
                    None => by_role.push((role, vec![id])),
                }
            }
            // Associates and relatives around the leadership and money handlers.
            let mut associates = Vec::new();
            for k in 0..n / 2 {
                let anchor = members[k % members.len().min(8)];
                let anchor_p = b.persons[anchor as usize].clone();
                let relative = k % 3 == 0;
                let (culture, role, home) = if relative {
                    (anchor_p.culture, Role::Relative, anchor_p.home)
                } else {
                    (*pick(b.rng, def.member_cultures), Role::Associate, *pick(b.rng, def.bases))
                };
                let id = b.person(culture, role, None, home);
                if relative {
                    // Relatives share the family name and, as a household, a phone.
                    b.persons[id as usize].family = anchor_p.family;
                    b.persons[id as usize].nationality = anchor_p.nationality;
                    if let Some(ph) = anchor_p.phones.first() {
                        b.persons[id as usize].phones.push(ph.clone());
                    }
                    b.persons[id as usize].relatives.push(anchor);
                    b.persons[anchor as usize].relatives.push(id);
                } else {
                    b.equip(id, def);
                    b.persons[id as usize].associates.push(anchor);
                    b.persons[anchor as usize].associates.push(id);
                }
                associates.push(id);
            }
            let n_migrants = ((migrants_total as f64) * def.weight / weight_sum) as usize;
            let mut migrants = Vec::new();
            for _ in 0..n_migrants.max(20) {
                let culture = *pick(b.rng, def.migrant_cultures);
                let home = *pick(b.rng, def.bases);
                let id = b.person(culture, Role::Migrant, None, home);
                b.equip(id, def);
                migrants.push(id);
            }
            let mut vessels = Vec::new();
            if matches!(def.kind, Kind::MedSea | Kind::EastMed | Kind::ChannelSea) {
                let n_vessels = 2 + n / 8;
                for _ in 0..n_vessels {
                    let (flag, mid) = match def.kind {
                        Kind::MedSea => *pick(b.rng, &FLAGS[0..3]),
                        Kind::EastMed => *pick(b.rng, &FLAGS[3..5]),
                        _ => *pick(b.rng, &FLAGS[5..8]),
                    };
                    let kind = match def.kind {
                        Kind::MedSea => {
                            *pick(b.rng, &["fishing vessel", "fishing vessel", "wooden boat", "cargo ship"])
                        }
                        Kind::EastMed => *pick(b.rng, &["speedboat", "fishing vessel", "yacht"]),
                        _ => *pick(b.rng, &["fishing vessel", "rigid-hull inflatable boat"]),
                    };
                    let imo = matches!(kind, "cargo ship" | "fishing vessel").then(|| ids::imo(b.rng));
                    let mmsi = ids::mmsi(mid, b.rng);
                    let owner = *pick(b.rng, &members[..members.len().min(8)]);
                    let name = VESSEL_NAMES[b.rng.random_range(0..VESSEL_NAMES.len())];
                    vessels.push(VesselRec { name, kind, imo, mmsi, flag, owner });
                }
            }
            groups.push(Group { members, by_role, associates, migrants, vessels });
        }
        // A few people work for two groups (money handlers and forgers serve several).
        for gi in 0..groups.len() {
            let other = (gi + 3) % groups.len();
            let shared = groups[other].with_role(Role::MoneyHandler)[0];
            groups[gi].associates.push(shared);
        }
        let mut persons = b.persons;
        make_namesakes(&mut persons, &groups, b.rng);
        World { persons, groups }
    }
}

/// Gives some people exactly the name of someone else of the same culture:
/// namesakes that entity resolution must keep apart (different birth dates,
/// often different nationalities). The first pair is always two men called
/// Mohammed Ahmed, one Libyan in the Zawiya network, one Egyptian in Sfax.
fn make_namesakes(persons: &mut [Person], groups: &[Group], rng: &mut ChaCha8Rng) {
    let a = groups[0].members[1];
    let b = groups[1].with_role(Role::MoneyHandler)[0];
    for (id, nat, year) in [(a, "LY", 1984), (b, "EG", 1991)] {
        let p = &mut persons[id as usize];
        p.culture = ARABIC;
        p.male = true;
        p.given = 0;
        p.family = 1;
        p.nationality = nat;
        p.dob.0 = year;
    }
    let n = persons.len();
    for _ in 0..(n / 40).max(4) {
        let x = rng.random_range(0..n);
        let y = rng.random_range(0..n);
        if x == y || persons[x].culture != persons[y].culture || persons[x].male != persons[y].male {
            continue;
        }
        if persons[x].relatives.contains(&(y as u32)) {
            continue;
        }
        persons[y].given = persons[x].given;
        persons[y].family = persons[x].family;
        if persons[y].dob == persons[x].dob {
            persons[y].dob.0 -= 3;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn world_has_groups_and_people() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let w = World::build(&mut rng, 2400);
        assert_eq!(w.groups.len(), 7);
        assert!(w.persons.len() > 500);
        assert_eq!(w.persons[w.groups[0].members[1] as usize].canonical_name(), "Mohammed Ahmed");
    }
}
