//! What every record users keep under markings shares (watches, watched
//! areas, actions of the plan, disruptions): the checks on the markings a
//! viewer gives a record, references to entities the viewer may see, and the
//! clock.

use rusqlite::Connection;
use tessera_access::{Policy, Role, Viewer, valid_compartment};
use tessera_model::{EntityKind, Handling, Markings};

use crate::StoreError;
use crate::maritime::EntityRef;
use crate::visibility::Visibility;

/// Seconds since the UNIX epoch, now.
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Checks the markings a viewer gives a record (a watch, an area, an action, a disruption): valid compartments, markings the viewer
/// could see (nobody creates what they may not read), and the viewer's own agency as owner unless
/// the viewer is an administrator.
pub(crate) fn check_markings(viewer: &Viewer, markings: &Markings, handling: &Handling) -> Result<(), StoreError> {
    if markings.owner.trim().is_empty() {
        return Err(StoreError::Invalid("markings: the owner agency is empty".into()));
    }
    if let Some(bad) = markings.compartments.iter().find(|c| !valid_compartment(c)) {
        return Err(StoreError::Invalid(format!("markings: {bad:?} is not a valid compartment name")));
    }
    if markings.owner != viewer.agency && viewer.role != Role::Administrator {
        return Err(StoreError::Refused(format!(
            "a user of {} may not record material owned by {}",
            viewer.agency, markings.owner
        )));
    }
    if !Policy.may_see(viewer, markings, handling) {
        return Err(StoreError::Refused(format!(
            "markings {} ({}) would hide it from its own author",
            markings.banner(),
            handling.code()
        )));
    }
    Ok(())
}

/// A reference to an entity of the picture, if it exists, the viewer may see a statement about it,
/// and it is of `kind`.
pub(crate) fn entity_ref(
    conn: &Connection,
    visibility: &Visibility,
    id: &str,
    kind: EntityKind,
) -> Result<Option<EntityRef>, StoreError> {
    Ok(crate::read::caption(conn, visibility, id)?
        .filter(|(k, _)| *k == kind)
        .map(|(_, caption)| EntityRef { id: id.to_string(), caption }))
}

/// Longest free text accepted in a record's field.
pub(crate) const MAX_TEXT: usize = 4000;

/// Trims a required free-text field; refuses it empty or too long.
pub(crate) fn checked_text(field: &str, text: &str) -> Result<String, StoreError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(StoreError::Invalid(format!("{field}: must not be empty")));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(StoreError::Invalid(format!("{field}: longer than {MAX_TEXT} characters")));
    }
    Ok(text.to_string())
}

/// Checks that `id` names an entity of `kind` that the viewer may see.
pub(crate) fn checked_entity(
    conn: &Connection,
    visibility: &Visibility,
    field: &str,
    id: Option<&String>,
    kind: EntityKind,
) -> Result<Option<String>, StoreError> {
    let Some(id) = id else { return Ok(None) };
    let id = id.trim();
    match entity_ref(conn, visibility, id, kind)? {
        Some(r) => Ok(Some(r.id)),
        None => Err(StoreError::Invalid(format!("{field}: no {} entity {id:?} that you may see", kind.name()))),
    }
}
