//! The SQLite schema and its migrations.
//!
//! Migrations are numbered SQL scripts applied in order inside one
//! transaction each; `PRAGMA user_version` records how far a store has come.
//! A migration is never edited once released: a change is a new migration.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use tessera_model::names;

use crate::StoreError;

/// Each migration, in order. Index + 1 is the schema version it produces.
const MIGRATIONS: &[&str] = &[
    // 1: reports, entities, statements, search indexes, audit log.
    r#"
    -- Everything the access policy decides on, stored once per distinct combination:
    -- the markings and the handling code (P or C; the conditions stay on the report).
    CREATE TABLE markings (
        id INTEGER PRIMARY KEY,
        classification INTEGER NOT NULL,
        owner TEXT NOT NULL,
        compartments TEXT NOT NULL,
        caveats TEXT NOT NULL,
        handling TEXT NOT NULL,
        UNIQUE (classification, owner, compartments, caveats, handling)
    );

    CREATE TABLE reports (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        agency TEXT NOT NULL,
        author TEXT NOT NULL,
        date TEXT NOT NULL,
        source_eval TEXT NOT NULL,
        intel_eval TEXT NOT NULL,
        handling TEXT NOT NULL,
        handling_conditions TEXT,
        original_scheme TEXT,
        original_code TEXT,
        marking INTEGER NOT NULL REFERENCES markings(id),
        streams TEXT NOT NULL,
        routes TEXT NOT NULL,
        source_file TEXT NOT NULL,
        recorded TEXT NOT NULL
    );
    CREATE INDEX reports_agency ON reports(agency, date);
    CREATE INDEX reports_marking ON reports(marking);

    CREATE TABLE entities (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL
    );

    CREATE TABLE statements (
        id INTEGER PRIMARY KEY,
        entity INTEGER NOT NULL REFERENCES entities(rowid),
        kind TEXT NOT NULL,
        property TEXT NOT NULL,
        value TEXT NOT NULL,
        original TEXT,
        report INTEGER NOT NULL REFERENCES reports(rowid),
        observed TEXT NOT NULL,
        recorded TEXT NOT NULL,
        origin TEXT NOT NULL,
        lookup INTEGER NOT NULL
    );
    CREATE INDEX statements_entity ON statements(entity, property);
    CREATE INDEX statements_report ON statements(report);
    -- Exact lookups are by identifier or by link target only, so only those statements are indexed by value.
    CREATE INDEX statements_value ON statements(value) WHERE lookup = 1;

    -- Free text lives apart from the report's header so that header rows stay small and
    -- the joins of search and access checks stay cheap.
    CREATE TABLE report_bodies (
        rowid INTEGER PRIMARY KEY REFERENCES reports(rowid),
        text TEXT NOT NULL
    );
    CREATE VIRTUAL TABLE report_text USING fts5(
        text, content='report_bodies', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
    );
    -- Name search: the keys of each name statement in a contentless index (rowid = statement id),
    -- and beside it a narrow row with what search needs, so that a match costs one small row read.
    CREATE VIRTUAL TABLE name_keys USING fts5(keys, content='', tokenize='ascii', detail='none');
    CREATE TABLE name_rows (
        rowid INTEGER PRIMARY KEY,
        entity TEXT NOT NULL,
        kind TEXT NOT NULL,
        value TEXT NOT NULL,
        report TEXT NOT NULL,
        marking INTEGER NOT NULL
    );

    CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user TEXT NOT NULL,
        agency TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    "#,
    // 2: what left for whom (dissemination records) and hit / no-hit deconfliction.
    r#"
    CREATE TABLE disseminations (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user TEXT NOT NULL,
        agency TEXT NOT NULL,
        recipient TEXT NOT NULL,
        format TEXT NOT NULL,
        items INTEGER NOT NULL,
        statement_ids TEXT NOT NULL,
        sha256 TEXT NOT NULL
    );
    CREATE TABLE deconflictions (
        id INTEGER PRIMARY KEY,
        reference TEXT NOT NULL UNIQUE,
        at TEXT NOT NULL,
        asker_user TEXT NOT NULL,
        asker_agency TEXT NOT NULL,
        query TEXT NOT NULL,
        owner TEXT NOT NULL,
        report_ids TEXT NOT NULL
    );
    CREATE INDEX deconflictions_owner ON deconflictions(owner, at);
    -- An owning agency can switch deconfliction off for a compartment (hits on it then say nothing).
    CREATE TABLE deconfliction_opt_outs (
        agency TEXT NOT NULL,
        compartment TEXT NOT NULL,
        PRIMARY KEY (agency, compartment)
    );
    "#,
    // 3: entity resolution. Derived tables, rebuilt from the statements by each run (the analysts'
    // decisions are statements, so nothing here is the only record of anything).
    r#"
    -- The current cluster of every resolved entity (persons, organisations, vessels, vehicles).
    -- Cluster ids are kept from run to run where the cluster is the same, or grew.
    CREATE TABLE clusters (
        entity TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        cluster INTEGER NOT NULL
    );
    CREATE INDEX clusters_cluster ON clusters(cluster);
    -- Possible matches for review, with the engine's evidence. `markings` lists every marking id
    -- the two records were built from: a reader must be allowed to see all of them.
    CREATE TABLE match_candidates (
        a TEXT NOT NULL,
        b TEXT NOT NULL,
        kind TEXT NOT NULL,
        probability REAL NOT NULL,
        weight REAL NOT NULL,
        prior REAL NOT NULL,
        evidence TEXT NOT NULL,
        fields TEXT NOT NULL,
        markings TEXT NOT NULL,
        same_cluster INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'confirmed', 'rejected')),
        PRIMARY KEY (a, b)
    );
    CREATE INDEX match_candidates_status ON match_candidates(status, probability);
    -- What each run covered: a later run re-resolves the entities with statements after `last_statement`.
    CREATE TABLE resolution_runs (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        mode TEXT NOT NULL,
        last_statement INTEGER NOT NULL,
        records INTEGER NOT NULL,
        resolved INTEGER NOT NULL,
        clusters_changed INTEGER NOT NULL,
        candidates INTEGER NOT NULL,
        seconds REAL NOT NULL
    );
    "#,
    // 4: the links behind each cluster, so a viewer sees a member only through evidence they may
    // see (a cluster joined through a hidden record must not show its visible ends together).
    r#"
    -- A link the engine (or an analyst's decision) made inside a cluster. `markings` lists every
    -- marking id the two records were built from.
    CREATE TABLE cluster_links (
        a TEXT NOT NULL,
        b TEXT NOT NULL,
        markings TEXT NOT NULL,
        PRIMARY KEY (a, b)
    );
    CREATE INDEX cluster_links_b ON cluster_links(b);
    "#,
    // 5: the watchlist of suspect vessels, watched areas, alerts and the positions of watched vessels.
    // Alerts and positions carry no markings of their own: they inherit their watch's.
    r#"
    CREATE TABLE watches (
        id INTEGER PRIMARY KEY,
        mmsi INTEGER NOT NULL,
        vessel TEXT,
        grp TEXT,
        reason TEXT NOT NULL,
        added_by TEXT NOT NULL,
        added_agency TEXT NOT NULL,
        added_at INTEGER NOT NULL,
        marking INTEGER NOT NULL REFERENCES markings(id),
        handling TEXT NOT NULL,
        handling_conditions TEXT,
        ship_name TEXT,
        UNIQUE (mmsi, marking)
    );
    CREATE TABLE watched_areas (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        feature TEXT NOT NULL,
        added_by TEXT NOT NULL,
        added_at INTEGER NOT NULL,
        marking INTEGER NOT NULL REFERENCES markings(id),
        handling TEXT NOT NULL,
        handling_conditions TEXT,
        UNIQUE (name, marking)
    );
    -- One alert per watch, behaviour, vessel and start: rescanning a file adds nothing.
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        watch INTEGER NOT NULL REFERENCES watches(id),
        mmsi INTEGER NOT NULL,
        other_mmsi INTEGER,
        kind TEXT NOT NULL,
        start INTEGER NOT NULL,
        ends INTEGER NOT NULL,
        lat REAL,
        lon REAL,
        details TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'retracted')),
        raised_at INTEGER NOT NULL,
        status_by TEXT,
        status_at INTEGER,
        UNIQUE (watch, kind, mmsi, start)
    );
    CREATE INDEX alerts_start ON alerts(start);
    CREATE INDEX alerts_event ON alerts(mmsi, kind, start);
    -- At most one position per minute per watch (the first one seen).
    CREATE TABLE watch_positions (
        watch INTEGER NOT NULL REFERENCES watches(id),
        minute INTEGER NOT NULL,
        time INTEGER NOT NULL,
        lat REAL NOT NULL,
        lon REAL NOT NULL,
        sog REAL,
        cog REAL,
        PRIMARY KEY (watch, minute)
    ) WITHOUT ROWID;
    "#,
    // 6: the Strategic Action Plan (stream leads, actions and their history) and the disruption log
    // (disruptions, the assets they took, the prosecutions that followed). Each record carries
    // markings; what it names (groups, people, reports) is checked against the reader's visibility.
    r#"
    CREATE TABLE plan_streams (
        stream TEXT NOT NULL,
        agency TEXT NOT NULL,
        lead TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        marking INTEGER NOT NULL REFERENCES markings(id),
        handling TEXT NOT NULL,
        handling_conditions TEXT,
        PRIMARY KEY (stream, marking)
    );
    CREATE TABLE plan_actions (
        id INTEGER PRIMARY KEY,
        reference TEXT NOT NULL,
        stream TEXT NOT NULL,
        objective TEXT NOT NULL,
        title TEXT NOT NULL,
        agency TEXT NOT NULL,
        owner TEXT NOT NULL,
        start TEXT,
        due TEXT,
        targets TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        marking INTEGER NOT NULL REFERENCES markings(id),
        handling TEXT NOT NULL,
        handling_conditions TEXT,
        UNIQUE (reference, marking)
    );
    -- Append-only: an action's status is its latest update.
    CREATE TABLE plan_action_updates (
        id INTEGER PRIMARY KEY,
        action INTEGER NOT NULL REFERENCES plan_actions(id),
        at INTEGER NOT NULL,
        by TEXT NOT NULL,
        status TEXT NOT NULL,
        note TEXT NOT NULL
    );
    CREATE INDEX plan_action_updates_action ON plan_action_updates(action, id);
    CREATE TABLE disruptions (
        id INTEGER PRIMARY KEY,
        reference TEXT NOT NULL,
        kind TEXT NOT NULL,
        date TEXT NOT NULL,
        agency TEXT NOT NULL,
        grp TEXT,
        subjects TEXT NOT NULL,
        summary TEXT NOT NULL,
        evidence TEXT NOT NULL,
        action TEXT,
        accounts INTEGER NOT NULL,
        impact TEXT NOT NULL,
        impact_reason TEXT,
        assessed TEXT NOT NULL,
        assets TEXT NOT NULL,
        prosecutions TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        recorded_at INTEGER NOT NULL,
        marking INTEGER NOT NULL REFERENCES markings(id),
        handling TEXT NOT NULL,
        handling_conditions TEXT,
        UNIQUE (reference, marking)
    );
    CREATE INDEX disruptions_group ON disruptions(grp, date);
    "#,
    // 7: the version of the function each derived index was built with (see refresh_name_keys).
    r#"
    CREATE TABLE index_versions (
        name TEXT PRIMARY KEY,
        version INTEGER NOT NULL
    );
    "#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Brings the store's schema up to [`SCHEMA_VERSION`] and its derived
/// indexes up to the functions of this build; refuses a store written by a
/// newer Tessera.
pub fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    migrate_schema(conn)?;
    refresh_name_keys(conn)?;
    Ok(())
}

/// Applies the migrations the store has not had yet.
fn migrate_schema(conn: &mut Connection) -> Result<(), StoreError> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(StoreError::TooNew { found: current, supported: SCHEMA_VERSION });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as u32 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

/// Rebuilds the name-search index when its keys were made by another version
/// of [`names::name_keys`] ([`names::KEY_VERSION`]): a search computes its keys
/// with this build's function, so an index keyed by another would miss every
/// name whose keys changed. Every name row is keyed again, in one
/// transaction, once; later opens find the version current and read nothing.
fn refresh_name_keys(conn: &mut Connection) -> Result<(), StoreError> {
    let built = |conn: &Connection| -> Result<Option<u32>, StoreError> {
        Ok(conn
            .query_row("SELECT version FROM index_versions WHERE name = 'name_keys'", [], |r| r.get(0))
            .optional()?)
    };
    if built(conn)? == Some(names::KEY_VERSION) {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Another process may have rebuilt it while this one waited for the lock.
    if built(&tx)? == Some(names::KEY_VERSION) {
        return Ok(());
    }
    tx.execute("INSERT INTO name_keys (name_keys) VALUES ('delete-all')", [])?;
    {
        let mut rows = tx.prepare("SELECT rowid, value FROM name_rows")?;
        let mut insert = tx.prepare("INSERT INTO name_keys (rowid, keys) VALUES (?1, ?2)")?;
        let mut read = rows.query([])?;
        while let Some(row) = read.next()? {
            let (rowid, value): (i64, String) = (row.get(0)?, row.get(1)?);
            let keys = names::name_keys(&value).join(" ");
            if !keys.is_empty() {
                insert.execute(params![rowid, keys])?;
            }
        }
    }
    tx.execute(
        "INSERT INTO index_versions (name, version) VALUES ('name_keys', ?1)
         ON CONFLICT (name) DO UPDATE SET version = excluded.version",
        [names::KEY_VERSION],
    )?;
    tx.commit()?;
    Ok(())
}
