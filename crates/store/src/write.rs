//! Ingest: writes a batch of reports and statements in one transaction,
//! indexing report text and name keys as it goes.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use tessera_model::names::name_keys;
use tessera_model::schema::PropertyType;

use crate::codec::{GradingColumns, list_to_column};
use crate::{IngestBatch, IngestReceipt, StoreError};

/// Whether values of this property are indexed as names.
fn is_name(kind: tessera_model::EntityKind, property: &str) -> bool {
    matches!(property, "name" | "alias") && kind.property(property).is_some_and(|p| p.kind == PropertyType::Name)
}

/// Stores the batch atomically.
pub(crate) fn ingest(
    conn: &mut Connection,
    batch: &IngestBatch,
    progress: &mut dyn FnMut(usize),
) -> Result<IngestReceipt, StoreError> {
    let tx = conn.transaction()?;
    let mut receipt = IngestReceipt::default();
    {
        let mut report_exists = tx.prepare_cached("SELECT EXISTS(SELECT 1 FROM reports WHERE id = ?1)")?;
        let mut insert_report = tx.prepare_cached(
            "INSERT INTO reports (id, agency, author, date, source_eval, intel_eval, handling, handling_conditions,
                original_scheme, original_code, classification, owner, compartments, caveats, streams, routes, text,
                source_file, recorded)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
        )?;
        let mut index_text = tx.prepare_cached("INSERT INTO report_text (rowid, text) VALUES (?1, ?2)")?;
        let mut find_entity = tx.prepare_cached("SELECT rowid FROM entities WHERE id = ?1")?;
        let mut insert_entity = tx.prepare_cached("INSERT INTO entities (id, kind) VALUES (?1, ?2)")?;
        let mut insert_statement = tx.prepare_cached(
            "INSERT INTO statements (entity, kind, property, value, original, report, observed, recorded, origin)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        let mut index_name = tx.prepare_cached("INSERT INTO name_keys (rowid, keys) VALUES (?1, ?2)")?;
        let mut entity_rows: HashMap<String, i64> = HashMap::new();

        for (report, statements) in &batch.reports {
            if report_exists.query_row([&report.id], |r| r.get::<_, bool>(0))? {
                return Err(StoreError::DuplicateReport(report.id.clone()));
            }
            let g = GradingColumns::from_grading(&report.grading);
            let m = &report.markings;
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
                m.classification.rank(),
                m.owner,
                list_to_column(&m.compartments),
                list_to_column(&m.caveats),
                list_to_column(&streams),
                list_to_column(&routes),
                report.text,
                batch.source,
                recorded,
            ])?;
            let report_row = tx.last_insert_rowid();
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
                ])?;
                receipt.statements += 1;
                if is_name(statement.kind, &statement.property) {
                    let keys = name_keys(&statement.value).join(" ");
                    if !keys.is_empty() {
                        index_name.execute(params![tx.last_insert_rowid(), keys])?;
                    }
                }
            }
        }
    }
    tx.commit()?;
    progress(receipt.reports % 256);
    Ok(receipt)
}
