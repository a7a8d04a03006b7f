//! The threat picture in the API: `GET /api/picture`, the intelligence the
//! caller may see aggregated by `tessera_picture` (docs/picture.md). The read
//! is audited (`read_picture`) before it is answered; partner liaison
//! officers always receive sanitised counts.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use tessera_access::Viewer;
use tessera_picture::{Dimension, MAX_GROUPS, Options, PeriodKind, Picture, PictureError};
use tessera_store::{AuditEvent, StoreError};

use crate::AppState;
use crate::api::ApiError;
use crate::auth::Caller;

/// The query parameters `GET /api/picture` accepts.
const PARAMETERS: &[&str] = &["by", "period", "from", "until", "sanitise", "groups"];

/// Longest date bound accepted (`YYYY-MM-DD`).
const MAX_DATE_CHARS: usize = 10;

/// The options from the query string, each bad parameter named.
pub(crate) fn options(pairs: &[(String, String)]) -> Result<Options, ApiError> {
    let mut o = Options::default();
    let bad = |e: PictureError| ApiError::bad_request(e.to_string());
    for (key, value) in pairs {
        match key.as_str() {
            "by" => {
                for name in value.split(',').filter(|n| !n.trim().is_empty()) {
                    let d = Dimension::parse(name).map_err(bad)?;
                    if !o.by.contains(&d) {
                        o.by.push(d);
                    }
                }
            }
            "period" => o.period = PeriodKind::parse(value).map_err(bad)?,
            "from" | "until" => {
                let v = value.trim();
                if v.is_empty() || v.chars().count() > MAX_DATE_CHARS {
                    return Err(ApiError::bad_request(format!("{key}: {value:?} is not a date (YYYY[-MM[-DD]])")));
                }
                if key == "from" { o.from = Some(v.to_string()) } else { o.until = Some(v.to_string()) }
            }
            "sanitise" => {
                o.sanitise = match value.trim() {
                    "" | "true" | "1" => true,
                    "false" | "0" => false,
                    other => return Err(ApiError::bad_request(format!("sanitise: {other:?} is not true or false"))),
                }
            }
            "groups" => {
                o.groups = value.trim().parse().ok().filter(|n| *n <= MAX_GROUPS).ok_or_else(|| {
                    ApiError::bad_request(format!("groups: {value:?} is not a whole number from 0 to {MAX_GROUPS}"))
                })?
            }
            other => {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter `{other}` (expected {})",
                    PARAMETERS.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
                )));
            }
        }
    }
    Ok(o)
}

/// `GET /api/picture?by=route&period=quarter&from=2024-01&until=2024-12&sanitise=true&groups=10`.
pub(crate) async fn api_picture(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Picture>, ApiError> {
    let Query(pairs) = query?;
    let options = options(&pairs)?;
    Ok(Json(read_picture(&state, &caller.viewer, options).await?))
}

/// Builds `viewer`'s picture, audited as `read_picture` first (the API and the dashboard).
pub(crate) async fn read_picture(state: &AppState, viewer: &Viewer, options: Options) -> Result<Picture, ApiError> {
    state
        .read_audited(viewer, AuditEvent::new("read_picture", options.audit_detail()), move |store, viewer| {
            tessera_picture::build(store, viewer, &options).map_err(|e| match e {
                PictureError::Invalid(m) => StoreError::Invalid(m),
                PictureError::Store(s) => s,
            })
        })
        .await
}

/// The FRONTEX series of the routes of `picture` (none when the data is not loaded).
pub(crate) fn frontex_context(state: &AppState, picture: &Picture) -> Vec<tessera_picture::SeriesView> {
    state.frontex().map(|data| tessera_picture::context::for_picture(data, picture)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn parameters_are_read_and_bad_ones_named() {
        let o = options(&pairs(&[("by", "route,mo,route"), ("period", "quarter"), ("sanitise", ""), ("groups", "3")]))
            .unwrap();
        assert_eq!(o.by, vec![Dimension::Route, Dimension::Mo]);
        assert_eq!((o.period, o.sanitise, o.groups), (PeriodKind::Quarter, true, 3));
        assert!(o.audit_detail().starts_with("by=route,mo period=Quarter"));
        for (k, v, named) in [
            ("by", "colour", "by:"),
            ("period", "week", "period:"),
            ("groups", "1000", "groups:"),
            ("sanitise", "maybe", "sanitise:"),
            ("from", "2024-01-01T00:00", "from:"),
            ("colour", "red", "`colour`"),
        ] {
            let e = options(&pairs(&[(k, v)])).unwrap_err();
            assert!(format!("{e:?}").contains(named), "{k}={v}: {e:?}");
        }
    }
}
