//! Ingest: writes a stream of reports and statements in one transaction,
//! indexing report text and name keys as it goes.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use tessera_model::Markings;
use tessera_model::names::name_keys;
use tessera_model::schema::PropertyType;

use crate::codec::{GradingColumns, list_to_column};
use crate::{Aborted, IngestReceipt, ReportWithStatements, StoreError};

/// Whether values of this property are indexed as names.
fn is_name(kind: tessera_model::EntityKind, property: &str) -> bool {
    matches!(property, "name" | "alias") && kind.property(property).is_some_and(|p| p.kind == PropertyType::Name)
}

/// Whether a statement is found by exact value: identifiers, and links (by target id).
fn is_lookup(kind: tessera_model::EntityKind, property: &str) -> bool {
    if tessera_model::LinkType::from_name(property).is_some() {
        return true;
    }
    use PropertyType as T;
    kind.property(property).is_some_and(|p| {
        matches!(
            p.kind,
            T::Phone
                | T::Email
                | T::Iban
                | T::Imo
                | T::Mmsi
                | T::Mrz
                | T::Crypto
                | T::Plate
                | T::Handle
                | T::Identifier
                | T::EntityRef
        )
    })
}

/// Stores the batch atomically.
pub(crate) fn ingest(
    conn: &mut Connection,
    source: &str,
    reports: &mut dyn Iterator<Item = Result<ReportWithStatements, Aborted>>,
    progress: &mut dyn FnMut(usize),
) -> Result<IngestReceipt, StoreError> {
    // A bulk load touches index pages all over the file: give it a large page cache for the
    // duration (an upper bound, not an allocation), then return to the everyday size.
    let everyday_cache: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", BULK_CACHE_KIB)?;
    let result = ingest_in_transaction(conn, source, reports, progress);
    conn.pragma_update(None, "cache_size", everyday_cache)?;
    result
}

/// Page cache during a bulk load, in KiB as `PRAGMA cache_size` takes it when negative.
const BULK_CACHE_KIB: i64 = -1_048_576;

fn ingest_in_transaction(
    conn: &mut Connection,
    source: &str,
    reports: &mut dyn Iterator<Item = Result<ReportWithStatements, Aborted>>,
    progress: &mut dyn FnMut(usize),
) -> Result<IngestReceipt, StoreError> {
    let tx = conn.transaction()?;
    let mut receipt = IngestReceipt::default();
    {
        let mut report_exists = tx.prepare_cached("SELECT EXISTS(SELECT 1 FROM reports WHERE id = ?1)")?;
        let mut insert_report = tx.prepare_cached(
            "INSERT INTO reports (id, agency, author, date, source_eval, intel_eval, handling, handling_conditions,
                original_scheme, original_code, marking, streams, routes, source_file, recorded)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?;
        let mut marking_ids: HashMap<(Markings, char), i64> = HashMap::new();
        let mut insert_body = tx.prepare_cached("INSERT INTO report_bodies (rowid, text) VALUES (?1, ?2)")?;
        let mut index_text = tx.prepare_cached("INSERT INTO report_text (rowid, text) VALUES (?1, ?2)")?;
        let mut find_entity = tx.prepare_cached("SELECT rowid FROM entities WHERE id = ?1")?;
        let mut insert_entity = tx.prepare_cached("INSERT INTO entities (id, kind) VALUES (?1, ?2)")?;
        let mut insert_statement = tx.prepare_cached(
            "INSERT INTO statements (entity, kind, property, value, original, report, observed, recorded, origin, lookup)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        let mut index_name = tx.prepare_cached("INSERT INTO name_keys (rowid, keys) VALUES (?1, ?2)")?;
        let mut insert_name_row = tx.prepare_cached(
            "INSERT INTO name_rows (rowid, entity, kind, value, report, marking) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut entity_rows: HashMap<String, i64> = HashMap::new();

        for item in reports {
            // Returning drops the transaction, which rolls back everything written so far.
            let (report, statements) = item.map_err(|Aborted| StoreError::Aborted)?;
            if report_exists.query_row([&report.id], |r| r.get::<_, bool>(0))? {
                return Err(StoreError::DuplicateReport(report.id.clone()));
            }
            let g = GradingColumns::from_grading(&report.grading);
            let m = &report.markings;
            let handling = report.grading.handling.code();
            let marking = match marking_ids.get(&(m.clone(), handling)) {
                Some(id) => *id,
                None => {
                    let id = crate::visibility::marking_id(&tx, m, handling)?;
                    marking_ids.insert((m.clone(), handling), id);
                    id
                }
            };
            let streams: Vec<String> = report.streams.iter().map(|s| s.name().to_string()).collect();
            let routes: Vec<String> = report.routes.iter().map(|r| r.name().to_string()).collect();
            let recorded =
                statements.first().map(|s| s.recorded.clone()).unwrap_or_else(tessera_model::time::now_rfc3339);
            insert_report.execute(params![
                report.id,
                report.agency,
                report.author,
                report.date,
                g.source,
                g.intelligence,
                g.handling,
                g.conditions,
                g.original_scheme,
                g.original_code,
                marking,
                list_to_column(&streams),
                list_to_column(&routes),
                source,
                recorded,
            ])?;
            let report_row = tx.last_insert_rowid();
            insert_body.execute(params![report_row, report.text])?;
            index_text.execute(params![report_row, report.text])?;
            receipt.reports += 1;
            if receipt.reports % 256 == 0 {
                progress(256);
            }

            for statement in statements {
                let entity_row = match entity_rows.get(&statement.entity_id) {
                    Some(row) => *row,
                    None => {
                        let row = match find_entity.query_row([&statement.entity_id], |r| r.get(0)).optional()? {
                            Some(row) => row,
                            None => {
                                insert_entity.execute(params![statement.entity_id, statement.kind.name()])?;
                                receipt.new_entities += 1;
                                tx.last_insert_rowid()
                            }
                        };
                        entity_rows.insert(statement.entity_id.clone(), row);
                        row
                    }
                };
                insert_statement.execute(params![
                    entity_row,
                    statement.kind.name(),
                    statement.property,
                    statement.value,
                    statement.original,
                    report_row,
                    statement.observed,
                    statement.recorded,
                    statement.origin.name(),
                    is_lookup(statement.kind, &statement.property),
                ])?;
                receipt.statements += 1;
                if is_name(statement.kind, &statement.property) {
                    let keys = name_keys(&statement.value).join(" ");
                    if !keys.is_empty() {
                        let statement_id = tx.last_insert_rowid();
                        index_name.execute(params![statement_id, keys])?;
                        insert_name_row.execute(params![
                            statement_id,
                            statement.entity_id,
                            statement.kind.name(),
                            statement.value,
                            report.id,
                            marking,
                        ])?;
                    }
                }
            }
        }
    }
    tx.commit()?;
    progress(receipt.reports % 256);
    Ok(receipt)
}
