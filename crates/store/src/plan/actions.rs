//! Stream leads and the actions of the plan: adding them, changing an
//! action's status (appended to its history), and reading them back through
//! the viewer's visibility.

use rusqlite::{Connection, OptionalExtension, Row, params};
use tessera_access::Viewer;
use tessera_model::disruption::ActionStatus;
use tessera_model::taxonomy::{MODI, Route, Stream, StreamCode, country_by_code};
use tessera_model::{EntityKind, Handling, Markings};

use super::{Action, ActionUpdate, NewAction, NewTarget, StreamLead, Target, TargetKind, may_keep_plan};
use crate::StoreError;
use crate::marked::{check_markings, checked_text, entity_ref, now};
use crate::visibility::{Visibility, marking_id};

/// Refuses roles that do not keep the plan.
pub(super) fn require_planner(viewer: &Viewer, what: &str) -> Result<(), StoreError> {
    if may_keep_plan(viewer.role) {
        Ok(())
    } else {
        Err(StoreError::Refused(format!("the role {} may not {what}", viewer.role)))
    }
}

/// Checks an optional `YYYY-MM-DD` date field.
pub(super) fn checked_date(field: &str, date: Option<&str>) -> Result<Option<String>, StoreError> {
    let Some(date) = date.map(str::trim).filter(|d| !d.is_empty()) else { return Ok(None) };
    let full = date.len() == 10 && tessera_model::time::day_number(date).is_some();
    if !full {
        return Err(StoreError::Invalid(format!("{field}: {date:?} is not a date (YYYY-MM-DD)")));
    }
    Ok(Some(date.to_string()))
}

pub(crate) fn set_stream_lead(
    conn: &mut Connection,
    viewer: &Viewer,
    stream: Stream,
    agency: &str,
    lead: &str,
    markings: &Markings,
    handling: &Handling,
) -> Result<StreamLead, StoreError> {
    require_planner(viewer, "set stream leads")?;
    let agency = checked_text("agency", agency)?;
    let lead = checked_text("lead", lead)?;
    check_markings(viewer, markings, handling)?;
    let tx = conn.transaction()?;
    let marking = marking_id(&tx, markings, handling.code())?;
    tx.execute(
        "INSERT INTO plan_streams (stream, agency, lead, updated_by, updated_at, marking, handling, handling_conditions)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (stream, marking) DO UPDATE SET agency = excluded.agency, lead = excluded.lead,
            updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        params![
            stream.name(),
            agency,
            lead,
            viewer.user,
            now(),
            marking,
            handling.code().to_string(),
            handling.conditions()
        ],
    )?;
    tx.commit()?;
    stream_leads(conn, viewer)?
        .into_iter()
        .find(|l| l.stream == stream && l.agency == agency && l.lead == lead)
        .ok_or_else(|| StoreError::Corrupt(format!("the lead of {} vanished", stream.name())))
}

pub(crate) fn stream_leads(conn: &Connection, viewer: &Viewer) -> Result<Vec<StreamLead>, StoreError> {
    let visibility = Visibility::load(conn, viewer)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT stream, agency, lead, updated_by, updated_at, marking FROM plan_streams
         WHERE marking IN ({}) ORDER BY stream, updated_at DESC",
        visibility.sql_list()
    ))?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get::<_, i64>(5)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (stream, agency, lead, updated_by, updated_at, marking) = row?;
        let stream = Stream::from_name(&stream).ok_or_else(|| StoreError::Corrupt(format!("stream {stream:?}")))?;
        let Some(markings) = visibility.get(marking) else { continue };
        out.push(StreamLead {
            stream,
            label: stream.label().to_string(),
            agency,
            lead,
            updated_by,
            updated_at,
            banner: markings.banner(),
        });
    }
    out.sort_by_key(|l| Stream::ALL.iter().position(|s| *s == l.stream));
    Ok(out)
}

/// Checks one target against what the viewer may see; returns it as stored (kind, id).
fn checked_target(
    conn: &Connection,
    visibility: &Visibility,
    index: usize,
    target: &NewTarget,
) -> Result<NewTarget, StoreError> {
    let id = target.id.trim();
    let field = format!("targets[{index}]");
    let bad = |what: &str| StoreError::Invalid(format!("{field}: {id:?} is not {what}"));
    let id = match target.kind {
        TargetKind::Group => match entity_ref(conn, visibility, id, EntityKind::Organization)? {
            Some(r) => r.id,
            None => return Err(bad("an organisation entity that you may see")),
        },
        TargetKind::Route => Route::from_name(id).ok_or_else(|| bad("a route code"))?.name().to_string(),
        TargetKind::Country | TargetKind::Nationality => {
            country_by_code(id).ok_or_else(|| bad("an ISO 3166-1 country code"))?.alpha2.to_string()
        }
        TargetKind::Mo => {
            MODI.iter().find(|(c, _)| *c == id).ok_or_else(|| bad("a modus operandi code"))?.0.to_string()
        }
        TargetKind::Stream => StreamCode::from_name(id).ok_or_else(|| bad("a report stream code"))?.name().to_string(),
    };
    Ok(NewTarget { kind: target.kind, id })
}

pub(crate) fn add_action(conn: &mut Connection, viewer: &Viewer, action: &NewAction) -> Result<Action, StoreError> {
    require_planner(viewer, "add actions to the plan")?;
    let reference = checked_text("reference", &action.reference)?;
    let objective = checked_text("objective", &action.objective)?;
    let title = checked_text("title", &action.title)?;
    let agency = checked_text("agency", &action.agency)?;
    let owner = checked_text("owner", &action.owner)?;
    let start = checked_date("start", action.start.as_deref())?;
    let due = checked_date("due", action.due.as_deref())?;
    if let (Some(s), Some(d)) = (&start, &due)
        && d < s
    {
        return Err(StoreError::Invalid(format!("due: {d} is before the start {s}")));
    }
    check_markings(viewer, &action.markings, &action.handling)?;
    let visibility = Visibility::load(conn, viewer)?;
    let mut targets = Vec::with_capacity(action.targets.len());
    for (i, t) in action.targets.iter().enumerate() {
        let t = checked_target(conn, &visibility, i, t)?;
        if !targets.contains(&t) {
            targets.push(t);
        }
    }
    let targets_json = serde_json::to_string(&targets).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let tx = conn.transaction()?;
    let marking = marking_id(&tx, &action.markings, action.handling.code())?;
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM plan_actions WHERE reference = ?1 AND marking = ?2",
            params![reference, marking],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = existing {
        return Err(StoreError::Invalid(format!(
            "reference: {reference:?} is already an action under these markings (action {id})"
        )));
    }
    let at = now();
    tx.execute(
        "INSERT INTO plan_actions (reference, stream, objective, title, agency, owner, start, due, targets,
            created_by, created_at, marking, handling, handling_conditions)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            reference,
            action.stream.name(),
            objective,
            title,
            agency,
            owner,
            start,
            due,
            targets_json,
            viewer.user,
            at,
            marking,
            action.handling.code().to_string(),
            action.handling.conditions()
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO plan_action_updates (action, at, by, status, note) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, at, viewer.user, action.status.name(), "added to the plan"],
    )?;
    tx.commit()?;
    let visibility = Visibility::load(conn, viewer)?;
    load_action(conn, &visibility, id)?.ok_or_else(|| StoreError::Corrupt(format!("action {id} vanished")))
}

pub(crate) fn set_action_status(
    conn: &mut Connection,
    viewer: &Viewer,
    id: i64,
    status: ActionStatus,
    note: &str,
) -> Result<Action, StoreError> {
    let visibility = Visibility::load(conn, viewer)?;
    let Some(current) = load_action(conn, &visibility, id)? else {
        return Err(StoreError::NotFound(format!("no action {id}")));
    };
    require_planner(viewer, "change actions of the plan")?;
    let note = note.trim();
    if note.chars().count() > crate::marked::MAX_TEXT {
        return Err(StoreError::Invalid(format!("note: longer than {} characters", crate::marked::MAX_TEXT)));
    }
    if current.status == status && note.is_empty() {
        return Ok(current);
    }
    conn.execute(
        "INSERT INTO plan_action_updates (action, at, by, status, note) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, now(), viewer.user, status.name(), note],
    )?;
    load_action(conn, &visibility, id)?.ok_or_else(|| StoreError::Corrupt(format!("action {id} vanished")))
}

/// The columns of [`action_row`], to follow `SELECT`.
const ACTION_COLUMNS: &str =
    "id, reference, stream, objective, title, agency, owner, start, due, targets, created_by, marking";

struct ActionRow {
    id: i64,
    reference: String,
    stream: String,
    objective: String,
    title: String,
    agency: String,
    owner: String,
    start: Option<String>,
    due: Option<String>,
    targets: String,
    created_by: String,
    marking: i64,
}

fn action_row(r: &Row<'_>) -> rusqlite::Result<ActionRow> {
    Ok(ActionRow {
        id: r.get(0)?,
        reference: r.get(1)?,
        stream: r.get(2)?,
        objective: r.get(3)?,
        title: r.get(4)?,
        agency: r.get(5)?,
        owner: r.get(6)?,
        start: r.get(7)?,
        due: r.get(8)?,
        targets: r.get(9)?,
        created_by: r.get(10)?,
        marking: r.get(11)?,
    })
}

/// How a target reads: a group by its caption as the viewer sees it (`None` if the viewer may not
/// see it), the rest by their names.
fn target_label(conn: &Connection, visibility: &Visibility, t: &NewTarget) -> Result<Option<String>, StoreError> {
    Ok(match t.kind {
        TargetKind::Group => entity_ref(conn, visibility, &t.id, EntityKind::Organization)?.map(|r| r.caption),
        TargetKind::Route => Some(Route::from_name(&t.id).map_or(t.id.clone(), |r| r.label().to_string())),
        TargetKind::Country | TargetKind::Nationality => {
            Some(country_by_code(&t.id).map_or(t.id.clone(), |c| c.name.to_string()))
        }
        TargetKind::Mo => Some(MODI.iter().find(|(c, _)| *c == t.id).map_or(t.id.clone(), |(_, l)| l.to_string())),
        TargetKind::Stream => Some(t.id.replace('_', " ")),
    })
}

fn build_action(conn: &Connection, visibility: &Visibility, row: ActionRow) -> Result<Option<Action>, StoreError> {
    let Some(markings) = visibility.get(row.marking) else { return Ok(None) };
    let corrupt = |what: &str| StoreError::Corrupt(format!("action {}: {what}", row.id));
    let stream = Stream::from_name(&row.stream).ok_or_else(|| corrupt("stream"))?;
    let stored: Vec<NewTarget> = serde_json::from_str(&row.targets).map_err(|_| corrupt("targets"))?;
    let mut targets = Vec::with_capacity(stored.len());
    for t in stored {
        if let Some(label) = target_label(conn, visibility, &t)? {
            targets.push(Target { kind: t.kind, id: t.id, label });
        }
    }
    let mut stmt =
        conn.prepare_cached("SELECT at, by, status, note FROM plan_action_updates WHERE action = ?1 ORDER BY id")?;
    let mut history = Vec::new();
    for update in stmt.query_map([row.id], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
    })? {
        let (at, by, status, note) = update?;
        let status = ActionStatus::from_name(&status).ok_or_else(|| corrupt("status"))?;
        history.push(ActionUpdate { at, by, status, note });
    }
    let status = history.last().map(|u| u.status).ok_or_else(|| corrupt("no history"))?;
    Ok(Some(Action {
        id: row.id,
        reference: row.reference,
        stream,
        objective: row.objective,
        title: row.title,
        agency: row.agency,
        owner: row.owner,
        start: row.start,
        due: row.due,
        status,
        targets,
        history,
        created_by: row.created_by,
        classification: markings.classification,
        owner_agency: markings.owner.clone(),
        banner: markings.banner(),
    }))
}

fn load_action(conn: &Connection, visibility: &Visibility, id: i64) -> Result<Option<Action>, StoreError> {
    let row = conn
        .prepare_cached(&format!("SELECT {ACTION_COLUMNS} FROM plan_actions WHERE id = ?1"))?
        .query_row([id], action_row)
        .optional()?;
    match row {
        Some(row) => build_action(conn, visibility, row),
        None => Ok(None),
    }
}

/// Whether the plan holds an action `reference` under markings the viewer may see (one
/// indexed lookup, for checking a reference without reading the whole plan).
pub(crate) fn visible_action(conn: &Connection, visibility: &Visibility, reference: &str) -> Result<bool, StoreError> {
    let sql = format!("SELECT 1 FROM plan_actions WHERE reference = ?1 AND marking IN ({})", visibility.sql_list());
    Ok(conn.prepare_cached(&sql)?.query_row([reference], |_| Ok(())).optional()?.is_some())
}

pub(crate) fn actions(conn: &Connection, viewer: &Viewer) -> Result<Vec<Action>, StoreError> {
    let visibility = Visibility::load(conn, viewer)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {ACTION_COLUMNS} FROM plan_actions WHERE marking IN ({}) ORDER BY id",
        visibility.sql_list()
    ))?;
    let rows = stmt.query_map([], action_row)?.collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.extend(build_action(conn, &visibility, row)?);
    }
    out.sort_by(|a, b| {
        let pos = |s: Stream| Stream::ALL.iter().position(|x| *x == s);
        (pos(a.stream), &a.reference).cmp(&(pos(b.stream), &b.reference))
    });
    Ok(out)
}
