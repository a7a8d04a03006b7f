//! The organised crime group board: one [`GroupProfile`] per organised crime
//! group the viewer may see, built only from the statements that viewer may
//! see, scored by [`tessera_priority`].
//!
//! What makes a group: an `Organization` with a visible `topics = crime.ocg`
//! statement. The same group reported by several agencies is one group on the
//! board through its resolved cluster, as the viewer sees it
//! ([`visible_members`]: two records joined only through hidden material stay
//! two groups). The group's id is the smallest visible member id, as in the
//! link chart.
//!
//! What counts as what (every count is of distinct, resolved entities):
//! - members: people with a visible `member_of` link to the group, once per
//!   visible cluster; their records across agencies are read together;
//! - travellers: people who paid a member, or travelled on a vessel or vehicle
//!   of the group (one members use, own or travelled on);
//! - minors: travellers under 18 at the date of the report that records them
//!   (from a visible date of birth);
//! - assets: vessels and vehicles members use, own or travelled on; phones,
//!   e-mail addresses and social-media accounts members use; bank accounts and
//!   wallets they own or use;
//! - false documents: identity documents members or travellers use or own
//!   whose visible status is forged, counterfeit, impostor or fraudulently
//!   obtained;
//! - events (crossing, interception, sighting, payment, seizure: activity;
//!   arrest: disruption) recorded in the reports that state the group's
//!   links, members or assets;
//! - dangerous methods: the group's vessels by type (small boats against
//!   other vessels), travellers found in vehicles, and the group's recorded
//!   modus operandi;
//! - indicators of trafficking or exploitation, deaths and injuries: words in
//!   the visible notes, summaries and modus operandi of the group, its
//!   members, travellers and events (listed in [`TRAFFICKING_WORDS`],
//!   [`DEATH_WORDS`], [`INJURY_WORDS`]);
//! - countries: the group's, its events', the places its members and assets
//!   were seen at, its bank accounts'; routes: those of the reports above.
//!
//! The assessment date is the latest visible event date in the store (the
//! board is a picture of the holdings, which may be historic), or today.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use tessera_access::Viewer;
use tessera_model::{EntityKind, LinkType};
use tessera_priority::{Assessment, Band, ConfidenceBand, Fact, GroupProfile, Source, assess};

use crate::read::{caption_of, visible_statements};
use crate::resolution::{ClusterMember, visible_members};
use crate::visibility::Visibility;
use crate::{StoreError, StoredStatement};

/// Words that mark an indicator of trafficking or exploitation in notes, summaries and modus operandi.
pub const TRAFFICKING_WORDS: &[&str] = &[
    "traffick",
    "debt bondage",
    "forced labour",
    "forced labor",
    "sexual exploitation",
    "exploited",
    "documents withheld",
    "passport withheld",
    "passports withheld",
    "held captive",
    "held against",
    "ransom",
    "tortur",
    "beaten",
];
/// Words that record a death.
pub const DEATH_WORDS: &[&str] = &["died", "dead", "drowned", "death", "bodies", "body recovered", "fatalit"];
/// Words that record an injury.
pub const INJURY_WORDS: &[&str] = &["injur", "hospitalised", "hospitalized", "burns", "hypotherm", "crushed"];
/// Words of a modus operandi or vessel type that mean small boats.
const SMALL_BOAT_WORDS: &[&str] = &[
    "dinghy",
    "dinghies",
    "inflatable",
    "rubber boat",
    "small boat",
    "wooden boat",
    "iron boat",
    "welded iron",
    "speedboat",
    "fishing boat",
];
/// Words of a modus operandi that mean concealment in vehicles.
const CONCEALMENT_WORDS: &[&str] = &["conceal", "lorry", "lorries", "hgv", "trailer", "refrigerated"];
/// Document statuses that make a document false.
const FALSE_STATUSES: &[&str] = &["forged", "counterfeit", "impostor", "fraudulently_obtained"];
/// Event types that are activity.
const ACTIVITY_EVENTS: &[&str] = &["crossing", "interception", "sighting", "payment", "seizure"];

/// Where a group on the board comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupOrigin {
    /// Organisations that agencies recorded as organised crime groups (`topics = crime.ocg`).
    Curated,
    /// A community that Leiden found in the viewer's network, holding no member of a curated group.
    Detected,
}

/// Fewest people a detected community needs to be shown as a group.
pub const MIN_COMMUNITY_PEOPLE: usize = 3;

/// The prefix of a detected community's id.
const COMMUNITY_PREFIX: &str = "community:";

/// One line of the board.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSummary {
    /// The group's id: the smallest id among its visible organisation records.
    pub id: String,
    /// Its name (caption of that record).
    pub name: String,
    /// Where it comes from.
    pub origin: GroupOrigin,
    /// The entity to open the link chart from (`/network?seed=`).
    pub seed: String,
    /// Priority band.
    pub band: Band,
    /// Priority, 0 to 100.
    pub priority: u8,
    /// Harm, 0 to 100.
    pub harm: u8,
    /// Capability, 0 to 100.
    pub capability: u8,
    /// Intent, 0 to 100.
    pub intent: u8,
    /// Confidence, 0 to 100.
    pub confidence: u8,
    /// Confidence band.
    pub confidence_band: ConfidenceBand,
    /// Distinct members.
    pub members: usize,
    /// Latest dated activity.
    pub last_activity: Option<String>,
    /// The organisation records that make the group (other agencies' records of the same group).
    pub records: usize,
}

/// One group in full: its records, the facts gathered, and the assessment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupView {
    /// The line of the board.
    pub summary: GroupSummary,
    /// The organisation records that make the group, as the viewer sees them.
    pub organisations: Vec<ClusterMember>,
    /// The facts, as given to the engine.
    pub profile: GroupProfile,
    /// The assessment.
    pub assessment: Assessment,
}

impl GroupView {
    fn new(
        origin: GroupOrigin,
        seed: String,
        organisations: Vec<ClusterMember>,
        profile: GroupProfile,
    ) -> Result<Self, StoreError> {
        let assessment = assess(&profile).map_err(|e| StoreError::Corrupt(format!("group {}: {e}", profile.id)))?;
        let summary = GroupSummary {
            id: profile.id.clone(),
            name: profile.name.clone(),
            origin,
            seed,
            band: assessment.band,
            priority: assessment.priority,
            harm: assessment.harm.score,
            capability: assessment.capability.score,
            intent: assessment.intent.score,
            confidence: assessment.confidence.score,
            confidence_band: assessment.confidence.band,
            members: profile.members.len(),
            last_activity: assessment.last_activity.clone(),
            records: organisations.len(),
        };
        Ok(Self { summary, organisations, profile, assessment })
    }
}

/// Collects facts of one kind, once per subject, with every report behind each.
#[derive(Default)]
struct Facts(BTreeMap<String, Fact>);

impl Facts {
    fn add(&mut self, subject: &str, label: impl FnOnce() -> String, report: &str) -> &mut Fact {
        let fact = self.0.entry(subject.to_string()).or_insert_with(|| Fact::new(subject, label(), Vec::new()));
        if !fact.reports.iter().any(|r| r == report) {
            fact.reports.push(report.to_string());
        }
        fact
    }

    fn contains(&self, subject: &str) -> bool {
        self.0.contains_key(subject)
    }

    fn into_vec(self) -> Vec<Fact> {
        self.0.into_values().collect()
    }
}

/// Whether `text` (lower-cased) contains any of `words`; returns the first found.
fn find_word<'w>(text: &str, words: &[&'w str]) -> Option<&'w str> {
    let lower = text.to_lowercase();
    words.iter().copied().find(|w| lower.contains(w))
}

/// A short quote of a text for an explanation.
fn quote(text: &str) -> String {
    let t: String = text.chars().take(90).collect();
    if t.len() < text.len() { format!("“{t}…”") } else { format!("“{t}”") }
}

/// Reads one viewer's groups.
struct Builder<'c> {
    conn: &'c Connection,
    vis: Visibility,
    kinds: HashMap<String, Option<EntityKind>>,
    canon: HashMap<String, (String, Vec<String>)>,
    statements: RefCell<HashMap<String, Rc<Vec<StoredStatement>>>>,
    inbound: HashMap<String, Vec<StoredStatement>>,
    routes: HashMap<String, Vec<String>>,
    captions: RefCell<HashMap<String, String>>,
    as_of: String,
}

impl<'c> Builder<'c> {
    fn new(conn: &'c Connection, viewer: &Viewer) -> Result<Self, StoreError> {
        let vis = Visibility::load(conn, viewer)?;
        let visible = vis.sql_list();
        let latest: Option<String> = conn
            .prepare_cached(&format!(
                "SELECT MAX(s.value) FROM statements s JOIN entities e ON e.rowid = s.entity
                 JOIN reports r ON r.rowid = s.report
                 WHERE e.kind = 'Event' AND s.property = 'date' AND r.marking IN ({visible})"
            ))?
            .query_row([], |r| r.get(0))
            .optional()?
            .flatten();
        let as_of = latest
            .and_then(|d| tessera_priority::day_number(&d).map(|_| d.chars().take(10).collect::<String>()))
            .map(|d| match d.len() {
                4 => format!("{d}-12-31"),
                7 => format!("{d}-28"),
                _ => d,
            })
            .unwrap_or_else(tessera_model::time::today);
        Ok(Self {
            conn,
            vis,
            kinds: HashMap::new(),
            canon: HashMap::new(),
            statements: RefCell::new(HashMap::new()),
            inbound: HashMap::new(),
            routes: HashMap::new(),
            captions: RefCell::new(HashMap::new()),
            as_of,
        })
    }

    /// Ids of the organisations recorded as organised crime groups in visible statements.
    fn ocg_records(&self) -> Result<Vec<String>, StoreError> {
        let visible = self.vis.sql_list();
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT DISTINCT e.id FROM statements s JOIN entities e ON e.rowid = s.entity
             JOIN reports r ON r.rowid = s.report
             WHERE e.kind = 'Organization' AND s.property = 'topics' AND s.value = 'crime.ocg'
               AND r.marking IN ({visible}) ORDER BY e.id"
        ))?;
        let ids = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(ids)
    }

    fn kind(&mut self, id: &str) -> Result<Option<EntityKind>, StoreError> {
        if let Some(k) = self.kinds.get(id) {
            return Ok(*k);
        }
        let kind: Option<String> = self
            .conn
            .prepare_cached("SELECT kind FROM entities WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let kind = kind.and_then(|k| EntityKind::from_name(&k));
        self.kinds.insert(id.to_string(), kind);
        Ok(kind)
    }

    /// The canonical id (smallest visible member) of an entity's cluster, and all its visible member ids.
    fn cluster(&mut self, id: &str) -> Result<(String, Vec<String>), StoreError> {
        if let Some(c) = self.canon.get(id) {
            return Ok(c.clone());
        }
        let members = visible_members(self.conn, &self.vis, id)?;
        let ids: Vec<String> =
            if members.is_empty() { vec![id.to_string()] } else { members.into_iter().map(|m| m.id).collect() };
        let canonical = ids.iter().min().cloned().unwrap_or_else(|| id.to_string());
        let out = (canonical, ids.clone());
        for m in ids {
            self.canon.insert(m, out.clone());
        }
        Ok(out)
    }

    /// The visible statements about an entity (cached; shared, since hubs have hundreds).
    fn statements(&self, id: &str) -> Result<Rc<Vec<StoredStatement>>, StoreError> {
        if let Some(s) = self.statements.borrow().get(id) {
            return Ok(Rc::clone(s));
        }
        let s = Rc::new(visible_statements(self.conn, &self.vis, "WHERE e.id = ?1 ORDER BY r.date, s.id", [id])?);
        self.statements.borrow_mut().insert(id.to_string(), Rc::clone(&s));
        Ok(s)
    }

    /// Visible link statements pointing at `id`.
    fn inbound(&mut self, id: &str) -> Result<Vec<StoredStatement>, StoreError> {
        if let Some(s) = self.inbound.get(id) {
            return Ok(s.clone());
        }
        let links = LinkType::ALL.iter().map(|l| format!("'{}'", l.name())).collect::<Vec<_>>().join(", ");
        let s = visible_statements(
            self.conn,
            &self.vis,
            &format!("WHERE s.lookup = 1 AND s.value = ?1 AND s.property IN ({links}) ORDER BY r.date, s.id"),
            [id],
        )?;
        self.inbound.insert(id.to_string(), s.clone());
        Ok(s)
    }

    /// The caption of an entity from its visible statements (cached; `id` itself when it has none).
    fn caption(&self, id: &str) -> Result<String, StoreError> {
        if let Some(c) = self.captions.borrow().get(id) {
            return Ok(c.clone());
        }
        let statements = self.statements(id)?;
        let c = match statements.first() {
            Some(first) => caption_of(first.statement.kind, id, &statements),
            None => id.to_string(),
        };
        self.captions.borrow_mut().insert(id.to_string(), c.clone());
        Ok(c)
    }

    /// The routes of a (visible) report.
    fn report_routes(&mut self, report: &str) -> Result<Vec<String>, StoreError> {
        if let Some(r) = self.routes.get(report) {
            return Ok(r.clone());
        }
        let column: Option<String> = self
            .conn
            .prepare_cached("SELECT routes FROM reports WHERE id = ?1")?
            .query_row([report], |r| r.get(0))
            .optional()?;
        let routes = match column {
            Some(c) => crate::codec::column_to_list(&c)?,
            None => Vec::new(),
        };
        self.routes.insert(report.to_string(), routes.clone());
        Ok(routes)
    }

    /// Visible statements about events in a report.
    fn events_in(&self, report: &str) -> Result<Vec<StoredStatement>, StoreError> {
        visible_statements(self.conn, &self.vis, "WHERE r.id = ?1 AND e.kind = 'Event' ORDER BY s.id", [report])
    }

    /// Every group the viewer may see, as (records, canonical id).
    fn groups(&mut self) -> Result<Vec<Vec<ClusterMember>>, StoreError> {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut out = Vec::new();
        for id in self.ocg_records()? {
            if seen.contains(&id) {
                continue;
            }
            let mut members = visible_members(self.conn, &self.vis, &id)?;
            if members.is_empty() {
                continue;
            }
            members.sort_by(|a, b| a.id.cmp(&b.id));
            for m in &members {
                seen.insert(m.id.clone());
            }
            out.push(members);
        }
        Ok(out)
    }

    /// The profile of one group, from its visible organisation records.
    fn profile(&mut self, records: &[ClusterMember]) -> Result<GroupProfile, StoreError> {
        let id = records.first().map(|m| m.id.clone()).unwrap_or_default();
        let name = records.first().map(|m| m.caption.clone()).unwrap_or_default();
        let mut g = Gathered::default();
        let org_ids: BTreeSet<String> = records.iter().map(|m| m.id.clone()).collect();

        // The organisation records themselves.
        for org in &org_ids {
            for s in self.statements(org)?.iter() {
                g.source(s);
                let st = &s.statement;
                match st.property.as_str() {
                    "country" => {
                        g.countries.add(&st.value, || st.value.clone(), &st.report_id);
                    }
                    "modusOperandi" | "notes" => g.text(org, &st.value, &st.report_id, true),
                    _ => {}
                }
            }
        }

        // Members: people linked by member_of, once per visible cluster.
        let mut member_of_record: BTreeMap<String, String> = BTreeMap::new();
        for org in &org_ids {
            for s in self.inbound(org)? {
                if s.statement.property != LinkType::MemberOf.name() || s.statement.kind != EntityKind::Person {
                    continue;
                }
                g.source(&s);
                g.reports.insert(s.statement.report_id.clone());
                let (canonical, ids) = self.cluster(&s.statement.entity_id)?;
                let label = self.caption(&canonical)?;
                g.members.add(&canonical, || label, &s.statement.report_id);
                for m in ids {
                    member_of_record.insert(m, canonical.clone());
                }
            }
        }
        self.gather(id, name, g, member_of_record)
    }

    /// The profile of a detected community: its people are its members, each with the reports of
    /// the visible links that put them in the community.
    fn community_profile(
        &mut self,
        id: String,
        name: String,
        people: &[(String, Vec<String>)],
    ) -> Result<GroupProfile, StoreError> {
        let mut g = Gathered::default();
        let mut member_of_record: BTreeMap<String, String> = BTreeMap::new();
        for (canonical, ids) in people {
            for m in ids {
                member_of_record.insert(m.clone(), canonical.clone());
            }
        }
        for (canonical, ids) in people {
            let label = self.caption(canonical)?;
            for record in ids {
                for s in self.statements(record)?.iter() {
                    if s.statement.link_type().is_some_and(|_| member_of_record.contains_key(&s.statement.value)) {
                        g.source(s);
                        g.reports.insert(s.statement.report_id.clone());
                        g.members.add(canonical, || label.clone(), &s.statement.report_id);
                        if let Some(m) = member_of_record.get(&s.statement.value) {
                            g.members.add(m, || m.clone(), &s.statement.report_id);
                        }
                    }
                }
            }
        }
        // A member reached only through another's statement still needs its caption.
        let missing: Vec<String> = g.members.0.iter().filter(|(k, f)| f.label == **k).map(|(k, _)| k.clone()).collect();
        for k in missing {
            let label = self.caption(&k)?;
            if let Some(f) = g.members.0.get_mut(&k) {
                f.label = label;
            }
        }
        self.gather(id, name, g, member_of_record)
    }

    /// Everything the members (`member_of_record`: record id → canonical member) state and is stated
    /// about them, their assets, travellers and events, into the profile.
    fn gather(
        &mut self,
        id: String,
        name: String,
        mut g: Gathered,
        member_of_record: BTreeMap<String, String>,
    ) -> Result<GroupProfile, StoreError> {
        // Everything members state and everything stated about them.
        let mut assets: BTreeMap<String, EntityKind> = BTreeMap::new();
        let mut phone_owner: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut traveller_records: BTreeSet<String> = BTreeSet::new();
        let member_records: Vec<(String, String)> =
            member_of_record.iter().map(|(r, c)| (r.clone(), c.clone())).collect();
        for (record, canonical) in &member_records {
            for s in self.statements(record)?.iter() {
                let st = &s.statement;
                match st.property.as_str() {
                    "role" => {
                        let role = st.value.trim().to_lowercase();
                        g.source(s);
                        g.roles.add(&role, || role.clone(), &st.report_id);
                        if let Some(m) = g.members.0.get_mut(canonical)
                            && !m.label.contains(" (")
                        {
                            m.label = format!("{} ({role})", m.label);
                        }
                    }
                    "notes" => g.text(canonical, &st.value, &st.report_id, false),
                    _ => {}
                }
                let Some(link) = st.link_type() else { continue };
                let target = st.value.clone();
                let Some(kind) = self.kind(&target)? else { continue };
                g.source(s);
                g.reports.insert(st.report_id.clone());
                match (link, kind) {
                    (
                        LinkType::Uses | LinkType::Owns | LinkType::TravelledOn,
                        EntityKind::Vessel | EntityKind::Vehicle,
                    ) => {
                        let (asset, _) = self.cluster(&target)?;
                        assets.insert(asset, kind);
                    }
                    (
                        LinkType::Uses | LinkType::Owns,
                        EntityKind::Phone | EntityKind::Email | EntityKind::SocialAccount,
                    ) => {
                        let label = self.caption(&target)?;
                        g.communications.add(&target, || label, &st.report_id);
                        if kind == EntityKind::Phone {
                            phone_owner.entry(target.clone()).or_default().insert(canonical.clone());
                        }
                    }
                    (LinkType::Uses | LinkType::Owns, EntityKind::BankAccount) => {
                        let label = self.caption(&target)?;
                        g.accounts.add(&target, || label, &st.report_id);
                        for a in self.statements(&target)?.iter() {
                            if a.statement.property == "country" {
                                g.countries.add(
                                    &a.statement.value,
                                    || a.statement.value.clone(),
                                    &a.statement.report_id,
                                );
                            }
                        }
                    }
                    (LinkType::Uses | LinkType::Owns, EntityKind::CryptoWallet) => {
                        let label = self.caption(&target)?;
                        g.wallets.add(&target, || label, &st.report_id);
                    }
                    (LinkType::Uses | LinkType::Owns, EntityKind::IdentityDocument) => {
                        self.document(&mut g, &target)?;
                    }
                    (LinkType::SightedAt, EntityKind::Address) => self.place(&mut g, &target)?,
                    (LinkType::Paid, EntityKind::Event) => {}
                    (
                        LinkType::Associate | LinkType::Family | LinkType::CommunicatedWith | LinkType::Paid,
                        EntityKind::Person,
                    ) => {
                        if let Some(other) = member_of_record.get(&target)
                            && other != canonical
                        {
                            g.tie(canonical, other, link, &st.report_id, self)?;
                        }
                    }
                    _ => {}
                }
            }
            for s in self.inbound(record)? {
                let st = &s.statement;
                let Some(link) = st.link_type() else { continue };
                if st.kind != EntityKind::Person {
                    continue;
                }
                if let Some(other) = member_of_record.get(&st.entity_id) {
                    if other != canonical && link != LinkType::MemberOf {
                        g.source(&s);
                        g.tie(other, canonical, link, &st.report_id, self)?;
                    }
                    continue;
                }
                if link == LinkType::Paid {
                    g.source(&s);
                    g.reports.insert(st.report_id.clone());
                    let payer = self.caption(&st.entity_id)?;
                    let payee = self.caption(record)?;
                    let key = format!("{}→{}", st.entity_id, record);
                    g.payments.add(&key, || format!("{payer} paid {payee}"), &st.report_id);
                    g.dated_activity(&key, || format!("{payer} paid {payee}"), st);
                    traveller_records.insert(st.entity_id.clone());
                }
            }
        }

        // Calls between members' phones.
        let phones: Vec<(String, BTreeSet<String>)> = phone_owner.iter().map(|(p, o)| (p.clone(), o.clone())).collect();
        for (phone, owners) in &phones {
            for s in self.statements(phone)?.iter() {
                if s.statement.link_type() != Some(LinkType::CommunicatedWith) {
                    continue;
                }
                if let Some(others) = phone_owner.get(&s.statement.value) {
                    for a in owners {
                        for b in others {
                            if a != b {
                                g.source(s);
                                g.tie(a, b, LinkType::CommunicatedWith, &s.statement.report_id, self)?;
                            }
                        }
                    }
                }
            }
        }

        // Vessels and vehicles: their type, their places, and who travelled on them.
        for (asset, kind) in &assets {
            let (_, ids) = self.cluster(asset)?;
            let label = self.caption(asset)?;
            let mut kind_text = String::new();
            let mut asset_reports = BTreeSet::new();
            for record in &ids {
                for s in self.statements(record)?.iter() {
                    g.source(s);
                    asset_reports.insert(s.statement.report_id.clone());
                    match s.statement.property.as_str() {
                        "type" | "model" if kind_text.is_empty() => kind_text = s.statement.value.clone(),
                        "sighted_at" => {
                            let place = s.statement.value.clone();
                            if self.kind(&place)? == Some(EntityKind::Address) {
                                self.place(&mut g, &place)?;
                            }
                        }
                        _ => {}
                    }
                }
                for s in self.inbound(record)? {
                    if s.statement.link_type() == Some(LinkType::TravelledOn)
                        && s.statement.kind == EntityKind::Person
                        && !member_of_record.contains_key(&s.statement.entity_id)
                    {
                        g.source(&s);
                        g.reports.insert(s.statement.report_id.clone());
                        traveller_records.insert(s.statement.entity_id.clone());
                        let who = self.caption(&s.statement.entity_id)?;
                        let key = format!("{}@{}", s.statement.entity_id, asset);
                        g.dated_activity(&key, || format!("{who} travelled on {label}"), &s.statement);
                        if *kind == EntityKind::Vehicle {
                            let key = format!("{}@{}", s.statement.entity_id, asset);
                            g.concealment.add(
                                &key,
                                || format!("{who} found travelling in vehicle {label}"),
                                &s.statement.report_id,
                            );
                        }
                    }
                }
            }
            g.reports.extend(asset_reports.iter().cloned());
            let reports: Vec<String> = asset_reports.into_iter().collect();
            let shown = if kind_text.is_empty() { label.clone() } else { format!("{label} ({kind_text})") };
            let list = if *kind == EntityKind::Vessel { &mut g.vessels } else { &mut g.vehicles };
            for r in &reports {
                list.add(asset, || shown.clone(), r);
            }
            if *kind == EntityKind::Vessel {
                let method = if find_word(&kind_text, SMALL_BOAT_WORDS).is_some()
                    || ["rigid-hull", "rhib"].iter().any(|w| kind_text.to_lowercase().contains(w))
                {
                    &mut g.small_boats
                } else {
                    &mut g.other_vessels
                };
                for r in &reports {
                    method.add(asset, || shown.clone(), r);
                }
            }
        }

        // Travellers, once per visible cluster: minors, documents, notes.
        let travellers: Vec<String> = traveller_records.into_iter().collect();
        for record in &travellers {
            let (canonical, ids) = self.cluster(record)?;
            if member_of_record.contains_key(&canonical) {
                continue;
            }
            let label = self.caption(&canonical)?;
            for id in &ids {
                for s in self.statements(id)?.iter() {
                    let st = &s.statement;
                    match st.property.as_str() {
                        "birthDate" => {
                            if let (Some(born), Some(at)) =
                                (tessera_priority::day_number(&st.value), tessera_priority::day_number(&st.observed))
                                && st.value.len() == 10
                                && at >= born
                                && (at - born) < 18 * 365 + 4
                            {
                                g.source(s);
                                let age = (at - born) / 365;
                                g.minors.add(
                                    &canonical,
                                    || {
                                        format!(
                                            "{label}, aged {age} at {}",
                                            &st.observed.chars().take(10).collect::<String>()
                                        )
                                    },
                                    &st.report_id,
                                );
                            }
                        }
                        "notes" => g.text(&canonical, &st.value, &st.report_id, false),
                        "uses" | "owns" if self.kind(&st.value)? == Some(EntityKind::IdentityDocument) => {
                            self.document(&mut g, &st.value.clone())?;
                        }
                        _ => {}
                    }
                }
            }
            let first_report = g.traveller_report(&canonical, &ids, self)?;
            g.travellers.add(&canonical, || label.clone(), &first_report);
        }

        // Events recorded with the group's links, members or assets.
        let reports: Vec<String> = g.reports.iter().cloned().collect();
        for report in &reports {
            for route in self.report_routes(report)? {
                g.routes.add(&route, || route.replace('_', " "), report);
            }
            let mut by_event: BTreeMap<String, Vec<StoredStatement>> = BTreeMap::new();
            for s in self.events_in(report)? {
                by_event.entry(s.statement.entity_id.clone()).or_default().push(s);
            }
            for (event, statements) in by_event {
                g.event(&event, &statements);
            }
        }

        Ok(g.finish(id, name, self.as_of.clone()))
    }

    /// A document: false when a visible status says so.
    fn document(&mut self, g: &mut Gathered, id: &str) -> Result<(), StoreError> {
        for s in self.statements(id)?.iter() {
            if s.statement.property == "documentStatus" && FALSE_STATUSES.contains(&s.statement.value.as_str()) {
                g.source(s);
                let label = format!("{} ({})", self.caption(id)?, s.statement.value.replace('_', " "));
                g.dated_activity(id, || format!("false document {label} recorded"), &s.statement);
                g.false_documents.add(id, || label, &s.statement.report_id);
            }
        }
        Ok(())
    }

    /// A place: its country.
    fn place(&mut self, g: &mut Gathered, id: &str) -> Result<(), StoreError> {
        for s in self.statements(id)?.iter() {
            if s.statement.property == "country" {
                g.source(s);
                g.countries.add(&s.statement.value, || s.statement.value.clone(), &s.statement.report_id);
            }
        }
        Ok(())
    }
}

/// Facts gathered for one group.
#[derive(Default)]
struct Gathered {
    travellers: Facts,
    crossings: Facts,
    small_boats: Facts,
    concealment: Facts,
    other_vessels: Facts,
    minors: Facts,
    indicators: Facts,
    deaths: Facts,
    injuries: Facts,
    members: Facts,
    roles: Facts,
    vessels: Facts,
    vehicles: Facts,
    communications: Facts,
    payments: Facts,
    accounts: Facts,
    wallets: Facts,
    false_documents: Facts,
    countries: Facts,
    routes: Facts,
    ties: Facts,
    activity: Facts,
    disruptions: Facts,
    /// Reports that state the group's links, members or assets (events are read from them).
    reports: BTreeSet<String>,
    sources: BTreeMap<String, Source>,
}

impl Gathered {
    fn source(&mut self, s: &StoredStatement) {
        let st = &s.statement;
        self.sources.entry(st.report_id.clone()).or_insert_with(|| Source {
            report: st.report_id.clone(),
            agency: st.agency.clone(),
            source: st.grading.source,
            intelligence: st.grading.intelligence,
        });
    }

    /// Activity dated by when a statement was observed (a payment, a journey, a false document).
    fn dated_activity(&mut self, key: &str, label: impl FnOnce() -> String, st: &tessera_model::report::Statement) {
        let date: String = st.observed.chars().take(10).collect();
        if tessera_priority::day_number(&date).is_none() {
            return;
        }
        let fact = self.activity.add(key, label, &st.report_id);
        if fact.date.as_ref().is_none_or(|d| *d < date) {
            fact.date = Some(date);
        }
    }

    /// Reads a text for indicators of trafficking, deaths, injuries and (for the group's own modus operandi) methods.
    fn text(&mut self, subject: &str, text: &str, report: &str, modus: bool) {
        let key = format!("{subject}#{}", text.len());
        if let Some(w) = find_word(text, TRAFFICKING_WORDS) {
            self.indicators.add(&key, || format!("{} mentions “{w}”: {}", subject, quote(text)), report);
        }
        if let Some(w) = find_word(text, DEATH_WORDS) {
            self.deaths.add(&key, || format!("{} mentions “{w}”: {}", subject, quote(text)), report);
        }
        if let Some(w) = find_word(text, INJURY_WORDS) {
            self.injuries.add(&key, || format!("{} mentions “{w}”: {}", subject, quote(text)), report);
        }
        if modus {
            if let Some(w) = find_word(text, SMALL_BOAT_WORDS) {
                self.small_boats.add(&key, || format!("modus operandi mentions “{w}”: {}", quote(text)), report);
            }
            if let Some(w) = find_word(text, CONCEALMENT_WORDS) {
                self.concealment.add(&key, || format!("modus operandi mentions “{w}”: {}", quote(text)), report);
            }
        }
    }

    /// A tie between two members (in either order, once per pair).
    fn tie(&mut self, a: &str, b: &str, link: LinkType, report: &str, builder: &Builder<'_>) -> Result<(), StoreError> {
        let (x, y) = if a < b { (a, b) } else { (b, a) };
        let key = format!("{x}|{y}");
        if !self.ties.contains(&key) {
            let (cx, cy) = (builder.caption(x)?, builder.caption(y)?);
            self.ties.add(&key, || format!("{cx} – {cy} ({link})"), report);
        } else {
            self.ties.add(&key, String::new, report);
        }
        Ok(())
    }

    /// The first report that names a traveller among the group's reports (else any of theirs).
    fn traveller_report(
        &self,
        canonical: &str,
        ids: &[String],
        builder: &mut Builder<'_>,
    ) -> Result<String, StoreError> {
        let mut any = None;
        for id in ids {
            for s in builder.statements(id)?.iter() {
                if self.reports.contains(&s.statement.report_id) {
                    return Ok(s.statement.report_id.clone());
                }
                any.get_or_insert(s.statement.report_id.clone());
            }
        }
        Ok(any.unwrap_or_else(|| canonical.to_string()))
    }

    /// An event recorded in one of the group's reports.
    fn event(&mut self, id: &str, statements: &[StoredStatement]) {
        let value = |p: &str| statements.iter().find(|s| s.statement.property == p).map(|s| s.statement.value.clone());
        let Some(kind) = value("eventType") else { return };
        let Some(first) = statements.first() else { return };
        let report = first.statement.report_id.clone();
        for s in statements {
            self.source(s);
        }
        let date = value("date");
        let summary = value("summary");
        let label = match (&summary, &date) {
            (Some(s), Some(d)) => format!("{kind} {d}: {s}"),
            (None, Some(d)) => format!("{kind} {d}"),
            (Some(s), None) => format!("{kind}: {s}"),
            (None, None) => kind.clone(),
        };
        if let Some(c) = value("country") {
            self.countries.add(&c, || c.clone(), &report);
        }
        for s in statements {
            if matches!(s.statement.property.as_str(), "summary" | "notes") {
                self.text(id, &s.statement.value, &report, false);
            }
        }
        let with_date = |f: &mut Fact| {
            if let Some(d) = &date {
                f.date = Some(d.clone());
            }
        };
        if ACTIVITY_EVENTS.contains(&kind.as_str()) {
            with_date(self.activity.add(id, || label.clone(), &report));
        }
        match kind.as_str() {
            "crossing" | "interception" => with_date(self.crossings.add(id, || label.clone(), &report)),
            "arrest" => with_date(self.disruptions.add(id, || label.clone(), &report)),
            "payment" => {
                let amount = value("amount").and_then(|a| a.parse::<f64>().ok()).filter(|a| a.is_finite());
                let fact = self.payments.add(id, || label.clone(), &report);
                with_date(fact);
                if let (Some(a), Some(c)) = (amount, value("currency")) {
                    fact.amount = Some(tessera_priority::Money { value: a, currency: c });
                }
            }
            _ => {}
        }
    }

    fn finish(self, id: String, name: String, as_of: String) -> GroupProfile {
        GroupProfile {
            id,
            name,
            as_of,
            travellers: self.travellers.into_vec(),
            crossings: self.crossings.into_vec(),
            small_boats: self.small_boats.into_vec(),
            concealment: self.concealment.into_vec(),
            other_vessels: self.other_vessels.into_vec(),
            minors: self.minors.into_vec(),
            trafficking_indicators: self.indicators.into_vec(),
            deaths: self.deaths.into_vec(),
            injuries: self.injuries.into_vec(),
            members: self.members.into_vec(),
            roles: self.roles.into_vec(),
            vessels: self.vessels.into_vec(),
            vehicles: self.vehicles.into_vec(),
            communications: self.communications.into_vec(),
            payments: self.payments.into_vec(),
            accounts: self.accounts.into_vec(),
            wallets: self.wallets.into_vec(),
            false_documents: self.false_documents.into_vec(),
            countries: self.countries.into_vec(),
            routes: self.routes.into_vec(),
            ties: self.ties.into_vec(),
            activity: self.activity.into_vec(),
            disruptions: self.disruptions.into_vec(),
            sources: self.sources.into_values().collect(),
        }
    }
}

/// The curated groups the viewer may see, and every record id of their organisations and members.
fn curated(b: &mut Builder<'_>) -> Result<(Vec<GroupView>, BTreeSet<String>), StoreError> {
    let mut views = Vec::new();
    let mut records = BTreeSet::new();
    for orgs in b.groups()? {
        let profile = b.profile(&orgs)?;
        records.extend(orgs.iter().map(|m| m.id.clone()));
        for m in &profile.members {
            records.extend(b.cluster(&m.subject)?.1);
        }
        let seed = profile.id.clone();
        views.push(GroupView::new(GroupOrigin::Curated, seed, orgs, profile)?);
    }
    Ok((views, records))
}

/// The communities Leiden finds in the viewer's whole network (see [`crate::network`]) that hold at
/// least [`MIN_COMMUNITY_PEOPLE`] people and no record of a curated group or of its members.
fn detected(b: &mut Builder<'_>, viewer: &Viewer, curated: &BTreeSet<String>) -> Result<Vec<GroupView>, StoreError> {
    let request = crate::NetworkRequest { max_nodes: crate::MAX_NETWORK_NODES, ..crate::NetworkRequest::default() };
    let network = crate::network::network(b.conn, viewer, &request)?;
    let mut communities: BTreeMap<u32, Vec<&crate::NetworkNode>> = BTreeMap::new();
    for node in &network.nodes {
        if let Some(c) = node.community {
            communities.entry(c).or_default().push(node);
        }
    }
    let mut out = Vec::new();
    for nodes in communities.values() {
        if nodes.iter().any(|n| n.members.iter().any(|m| curated.contains(m))) {
            continue;
        }
        let mut people: Vec<&crate::NetworkNode> =
            nodes.iter().copied().filter(|n| n.kind == EntityKind::Person).collect();
        if people.len() < MIN_COMMUNITY_PEOPLE {
            continue;
        }
        people.sort_by(|a, c| c.degree.cmp(&a.degree).then(a.id.cmp(&c.id)));
        let hub = people[0];
        let first = people.iter().map(|n| n.id.as_str()).min().unwrap_or(hub.id.as_str());
        let id = format!("{COMMUNITY_PREFIX}{first}");
        let name = format!("Community around {}", hub.caption);
        let members: Vec<(String, Vec<String>)> = people.iter().map(|n| (n.id.clone(), n.members.clone())).collect();
        let profile = b.community_profile(id, name, &members)?;
        out.push(GroupView::new(GroupOrigin::Detected, hub.id.clone(), Vec::new(), profile)?);
    }
    Ok(out)
}

/// Every group the viewer may see, curated and detected, scored, highest priority first.
pub(crate) fn groups(conn: &Connection, viewer: &Viewer) -> Result<Vec<GroupSummary>, StoreError> {
    let mut b = Builder::new(conn, viewer)?;
    let (curated_views, records) = curated(&mut b)?;
    let mut out: Vec<GroupSummary> = curated_views.into_iter().map(|v| v.summary).collect();
    out.extend(detected(&mut b, viewer, &records)?.into_iter().map(|v| v.summary));
    out.sort_by(board_order);
    Ok(out)
}

/// The board's order: highest priority first, then highest confidence, then by id.
fn board_order(a: &GroupSummary, b: &GroupSummary) -> std::cmp::Ordering {
    b.priority.cmp(&a.priority).then(b.confidence.cmp(&a.confidence)).then(a.id.cmp(&b.id))
}

/// Every curated group the viewer may see, in full (the board's recorded groups, without the
/// detected communities), in the board's order.
pub(crate) fn curated_groups(conn: &Connection, viewer: &Viewer) -> Result<Vec<GroupView>, StoreError> {
    let mut views = curated(&mut Builder::new(conn, viewer)?)?.0;
    views.sort_by(|a, b| board_order(&a.summary, &b.summary));
    Ok(views)
}

/// One group in full, by the id of any of its visible organisation records (or a detected
/// community's id); `None` if the viewer sees no such group.
pub(crate) fn group(conn: &Connection, viewer: &Viewer, id: &str) -> Result<Option<GroupView>, StoreError> {
    let mut b = Builder::new(conn, viewer)?;
    if id.starts_with(COMMUNITY_PREFIX) {
        let (_, records) = curated(&mut b)?;
        return Ok(detected(&mut b, viewer, &records)?.into_iter().find(|v| v.summary.id == id));
    }
    for records in b.groups()? {
        if records.iter().any(|m| m.id == id) {
            let profile = b.profile(&records)?;
            let seed = profile.id.clone();
            return Ok(Some(GroupView::new(GroupOrigin::Curated, seed, records, profile)?));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_found_whatever_their_case() {
        assert_eq!(find_word("Launches OVERLOADED Dinghies from the dunes", SMALL_BOAT_WORDS), Some("dinghies"));
        assert_eq!(find_word("Conceals migrants in lorries", CONCEALMENT_WORDS), Some("conceal"));
        assert_eq!(find_word("Two passengers drowned", DEATH_WORDS), Some("drowned"));
        assert_eq!(find_word("a quiet day", DEATH_WORDS), None);
    }

    #[test]
    fn facts_are_kept_once_per_subject_with_every_report() {
        let mut f = Facts::default();
        f.add("a", || "A".into(), "R1");
        f.add("a", || "ignored".into(), "R2");
        f.add("a", || "ignored".into(), "R1");
        f.add("b", || "B".into(), "R1");
        let v = f.into_vec();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].label, "A");
        assert_eq!(v[0].reports, vec!["R1".to_string(), "R2".to_string()]);
    }

    #[test]
    fn quotes_are_cut_on_characters() {
        let long = "é".repeat(200);
        let q = quote(&long);
        assert!(q.ends_with("…”") && q.chars().count() == 93);
        assert_eq!(quote("short"), "“short”");
    }
}
