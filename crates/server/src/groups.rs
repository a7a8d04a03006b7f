//! The organised crime group board in the API and the web UI: groups ranked
//! by priority with their band, harm, capability and intent scores,
//! confidence, members and last activity; and each group in full, every factor
//! with its written level descriptor, its explanation and the facts behind it
//! (linked to their entities and reports). Everything is computed by the store
//! from the statements the caller may see; every read is audited before the
//! answer is computed.

use std::fmt::Write as _;

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use tessera_access::Viewer;
use tessera_store::priority::{Band, FactorScore};
use tessera_store::{AuditEvent, GroupOrigin, GroupSummary, GroupView, Store};

use crate::AppState;
use crate::api::ApiError;
use crate::auth::Caller;
use crate::html::{Page, enc, entity_href, esc, report_href};
use crate::pages::{OrErrorPage, PageResult};

/// Longest group id accepted.
const MAX_ID_CHARS: usize = 200;

/// The board for `viewer`, audited first.
async fn read_board(state: &AppState, viewer: &Viewer) -> Result<Vec<GroupSummary>, ApiError> {
    state.read_audited(viewer, AuditEvent::new("read_groups", ""), move |store, viewer| store.groups(viewer)).await
}

/// One group for `viewer`, audited first; 404 when it is not a group the viewer may see.
async fn read_group(state: &AppState, viewer: &Viewer, id: String) -> Result<GroupView, ApiError> {
    if id.trim().is_empty() || id.chars().count() > MAX_ID_CHARS || id.chars().any(char::is_control) {
        return Err(ApiError::bad_request(format!(
            "a group id is 1 to {MAX_ID_CHARS} characters without control characters"
        )));
    }
    let shown = id.clone();
    state
        .read_audited(viewer, AuditEvent::new("read_group", id.clone()), move |store, viewer| store.group(viewer, &id))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no organised crime group {shown:?} is available to you")))
}

/// `GET /api/groups`: the board, highest priority first.
pub(crate) async fn api_groups(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<GroupSummary>>, ApiError> {
    Ok(Json(read_board(&state, &caller.viewer).await?))
}

/// `GET /api/groups/{id}`: one group with its facts and every factor explained.
pub(crate) async fn api_group(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<GroupView>, ApiError> {
    let Path(id) = id?;
    Ok(Json(read_group(&state, &caller.viewer, id).await?))
}

/// The page of a group.
pub(crate) fn group_href(id: &str) -> String {
    format!("/groups/{}", enc(id))
}

fn band_chip(band: Band) -> String {
    format!(r#"<span class="band band-{}">{}</span>"#, format!("{band:?}").to_lowercase(), band.label())
}

fn origin_chip(origin: GroupOrigin) -> &'static str {
    match origin {
        GroupOrigin::Curated => "",
        GroupOrigin::Detected => {
            r#" <span class="origin detected" title="Found by community detection (Leiden) in your network; no agency has recorded it as a group">detected community</span>"#
        }
    }
}

/// The board as an HTML table.
fn board_html(board: &[GroupSummary]) -> String {
    let mut out = String::from(
        r#"<h1 class="page-title">Organised crime groups</h1>
<p class="hint">Groups recorded by agencies (organisations with topic <code>crime.ocg</code>; the same group from several agencies is one group once entity resolution joins their records), and communities that community detection finds in your network among people who belong to no recorded group, ranked by priority. Priority = harm × threat, where threat = √(capability × intent); every factor is scored 0 to 4 against written descriptors (open a group to see them). Confidence is separate from the score: it comes from the grading of the reports behind the facts and from corroboration by independent agencies. Only material you may see is counted. The method is described in <code>docs/priority.md</code>; the official OCGM and MoRiLE scales are not public, so this is Tessera's own, written down.</p>"#,
    );
    let _ = write!(out, r#"<p class="count"><span id="group-total">{}</span> group(s)</p>"#, board.len());
    if board.is_empty() {
        out.push_str(r#"<p class="empty">No organised crime group is visible to you.</p>"#);
        return out;
    }
    out.push_str(r#"<table class="dense groups"><thead><tr><th class="num">#</th><th>Group</th><th>Band</th><th class="num">Priority</th><th class="num">Harm</th><th class="num">Capability</th><th class="num">Intent</th><th>Confidence</th><th class="num">Members</th><th>Last activity</th><th class="num">Records</th></tr></thead><tbody>"#);
    for (i, g) in board.iter().enumerate() {
        let _ = write!(
            out,
            r#"<tr class="group" data-group="{id}" data-band="{band_code}"><td class="num">{rank}</td><td><a class="group-link" href="{href}">{name}</a> <span class="id">{id}</span>{origin}</td><td>{band}</td><td class="num priority">{p}</td><td class="num">{h}</td><td class="num">{c}</td><td class="num">{int}</td><td class="confidence">{conf} ({cb})</td><td class="num members">{m}</td><td>{last}</td><td class="num">{r}</td></tr>"#,
            id = esc(&g.id),
            band_code = format!("{:?}", g.band).to_lowercase(),
            rank = i + 1,
            href = esc(&group_href(&g.id)),
            name = esc(&g.name),
            origin = origin_chip(g.origin),
            band = band_chip(g.band),
            p = g.priority,
            h = g.harm,
            c = g.capability,
            int = g.intent,
            conf = g.confidence,
            cb = g.confidence_band.label(),
            m = g.members,
            last = esc(g.last_activity.as_deref().unwrap_or("none dated")),
            r = g.records,
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// A fact's subject as a link when it is an entity the page can show (codes such as countries are not).
fn subject_html(subject: &str, label: &str) -> String {
    let entity = subject.contains(':') && !subject.contains('→') && !subject.contains('|') && !subject.contains('#');
    if entity {
        format!(r#"<a class="entity-link" href="{}">{}</a>"#, esc(&entity_href(subject)), esc(label))
    } else {
        esc(label)
    }
}

/// One factor: level, descriptor, explanation, the scale, and the facts behind it.
fn factor_html(f: &FactorScore) -> String {
    let level = f.level.map(|l| l.to_string()).unwrap_or_else(|| "n/a".into());
    let mut out = format!(
        r#"<section class="factor" data-factor="{key}" data-level="{level}"><h3>{label} <span class="level">level {level}</span></h3><p class="descriptor">{descriptor}</p><p class="explanation">{explanation}</p><p class="counts">Counts: {counts}</p>"#,
        key =
            esc(&serde_json::to_value(f.factor).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()),
        label = esc(f.label),
        descriptor = esc(&f.descriptor),
        explanation = esc(&f.explanation),
        counts = esc(f.counts),
    );
    out.push_str(r#"<ol class="scale" start="0">"#);
    for (i, d) in f.factor.descriptors().iter().enumerate() {
        let reached = if f.level == Some(i as u8) { r#" class="reached""# } else { "" };
        let _ = write!(out, "<li{reached}>{}</li>", esc(d));
    }
    out.push_str("</ol>");
    if !f.evidence.is_empty() {
        let _ = write!(
            out,
            r#"<details class="evidence"><summary>The facts behind it ({} in all{})</summary><ul>"#,
            f.evidence_total,
            if f.evidence_total > f.evidence.len() { format!(", {} shown", f.evidence.len()) } else { String::new() }
        );
        for fact in &f.evidence {
            let reports: Vec<String> = fact
                .reports
                .iter()
                .map(|r| format!(r#"<a class="report-link" href="{}">{}</a>"#, esc(&report_href(r)), esc(r)))
                .collect();
            let _ = write!(
                out,
                r#"<li class="fact">{}{} <span class="reports">{}</span></li>"#,
                subject_html(&fact.subject, &fact.label),
                fact.date.as_deref().map(|d| format!(r#" <span class="date">{}</span>"#, esc(d))).unwrap_or_default(),
                reports.join(" ")
            );
        }
        out.push_str("</ul></details>");
    }
    out.push_str("</section>");
    out
}

/// A group in full.
fn group_html(g: &GroupView) -> String {
    let a = &g.assessment;
    let mut out = format!(
        r#"<h1 class="page-title">{name} {band}</h1>
<p class="group-scores"><span class="priority">Priority <b>{p}</b></span> · Harm <b>{h}</b> · Capability <b>{c}</b> · Intent <b>{i}</b> · Threat <b>{t}</b> · Confidence <b>{conf}</b> ({cb}) · assessed as of {as_of}</p>
<p class="priority-explanation">{pe}</p>
<p class="confidence-explanation">Confidence: {ce}</p>
<p class="actions"><a class="network-link" href="/network?seed={seed}">Open the link chart of this group</a> · <a href="/groups">Back to the board</a></p>"#,
        name = esc(&a.name),
        band = band_chip(a.band),
        p = a.priority,
        h = a.harm.score,
        c = a.capability.score,
        i = a.intent.score,
        t = a.threat,
        conf = a.confidence.score,
        cb = a.confidence.band.label(),
        as_of = esc(&a.as_of),
        pe = esc(&a.priority_explanation),
        ce = esc(&a.confidence.explanation),
        seed = enc(&g.summary.seed),
    );
    if g.summary.origin == GroupOrigin::Detected {
        out.push_str(r#"<p class="origin detected">No agency has recorded this group: community detection (Leiden, on the network of what you may see) found these people tied more closely to each other than to the rest, and none of them is a member of a recorded group. Its members are the people of the community.</p>"#);
    }
    if !g.organisations.is_empty() {
        out.push_str(r#"<section class="records"><h2>Records of this group</h2><ul>"#);
    }
    for m in &g.organisations {
        let _ = write!(
            out,
            r#"<li><a class="entity-link" href="{}">{}</a> <span class="id">{}</span></li>"#,
            esc(&entity_href(&m.id)),
            esc(&m.caption),
            esc(&m.id)
        );
    }
    if !g.organisations.is_empty() {
        out.push_str("</ul></section>");
    }
    for d in [&a.harm, &a.capability, &a.intent] {
        let _ = write!(
            out,
            r#"<section class="dimension" data-dimension="{key}"><h2>{label} <span class="score">{score}</span></h2><p class="explanation">{e}</p>"#,
            key = format!("{:?}", d.dimension).to_lowercase(),
            label = d.dimension.label(),
            score = d.score,
            e = esc(&d.explanation)
        );
        for f in a.factors.iter().filter(|f| f.dimension == d.dimension) {
            out.push_str(&factor_html(f));
        }
        out.push_str("</section>");
    }
    out
}

/// `GET /groups`: the board.
pub(crate) async fn page_groups(State(state): State<AppState>, caller: Caller) -> PageResult {
    let board = read_board(&state, &caller.viewer).await.or_error_page(&caller)?;
    let body = board_html(&board);
    Ok(Page { title: "Organised crime groups".into(), caller: &caller, query: "", body }.render(StatusCode::OK))
}

/// `GET /groups/{id}`: one group, every factor explained.
pub(crate) async fn page_group(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> PageResult {
    let Path(id) = id.or_error_page(&caller)?;
    let g = read_group(&state, &caller.viewer, id).await.or_error_page(&caller)?;
    let records: Vec<String> = g.organisations.iter().map(|o| o.id.clone()).collect();
    let mut body = group_html(&g);
    if !records.is_empty() {
        let (actions, disruptions) =
            crate::plan::read_against(&state, &caller.viewer, records).await.or_error_page(&caller)?;
        body.push_str(&against_html(&actions, &disruptions));
    }
    Ok(Page { title: g.assessment.name.clone(), caller: &caller, query: "", body }.render(StatusCode::OK))
}

/// The plan's actions against the group and the disruptions recorded against it.
fn against_html(actions: &[tessera_store::Action], disruptions: &[tessera_store::Disruption]) -> String {
    let mut out = String::from(r#"<section class="against"><h2>Against this group</h2>"#);
    if actions.is_empty() {
        out.push_str(r#"<p class="empty">No action of the plan you may see targets this group.</p>"#);
    } else {
        out.push_str(r#"<h3>Actions of the plan</h3><ul class="group-actions">"#);
        for a in actions {
            let _ = write!(
                out,
                r#"<li><a href="/plan">{r}</a> {title} — {agency}, {status}{due}</li>"#,
                r = esc(&a.reference),
                title = esc(&a.title),
                agency = esc(&a.agency),
                status = esc(a.status.label()),
                due = a.due.as_deref().map_or(String::new(), |d| format!(", due {}", esc(d))),
            );
        }
        out.push_str("</ul>");
    }
    if disruptions.is_empty() {
        out.push_str(r#"<p class="empty">No disruption you may see is recorded against this group.</p>"#);
    } else {
        out.push_str(r#"<h3>Disruptions</h3><ul class="group-disruptions">"#);
        for d in disruptions {
            let _ = write!(
                out,
                r#"<li>{date} <a href="/disruptions">{r}</a> {kind} <span class="chip impact-{impact}">{label}</span> — {agency}</li>"#,
                date = esc(&d.date),
                r = esc(&d.reference),
                kind = esc(d.kind.label()),
                impact = d.impact.name(),
                label = esc(d.impact.label()),
                agency = esc(&d.agency),
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tessera_store::priority::{Fact, GroupProfile, assess};

    fn view() -> GroupView {
        let profile = GroupProfile {
            id: "NCA:OCG-<1>".into(),
            name: "<script>crew</script>".into(),
            as_of: "2025-03-01".into(),
            members: vec![Fact::new("NCA:P-1", "Karim <b>", vec!["NCA-1".into()])],
            countries: vec![Fact::new("FR", "FR", vec!["NCA-1".into()])],
            ..GroupProfile::default()
        };
        let assessment = assess(&profile).unwrap();
        let summary = GroupSummary {
            id: profile.id.clone(),
            name: profile.name.clone(),
            origin: tessera_store::GroupOrigin::Curated,
            seed: "NCA:P-1".into(),
            band: assessment.band,
            priority: assessment.priority,
            harm: assessment.harm.score,
            capability: assessment.capability.score,
            intent: assessment.intent.score,
            confidence: assessment.confidence.score,
            confidence_band: assessment.confidence.band,
            members: 1,
            last_activity: None,
            records: 1,
        };
        GroupView { summary, organisations: vec![], profile, assessment }
    }

    #[test]
    fn a_group_page_escapes_everything_and_links_facts_to_entities_and_reports() {
        let html = group_html(&view());
        assert!(!html.contains("<script>") && html.contains("&lt;script&gt;crew"));
        assert!(html.contains(r#"href="/network?seed=NCA%3AP-1""#), "{html}");
        assert!(html.contains(r#"<a class="entity-link" href="/entity/NCA%3AP-1">Karim &lt;b&gt;</a>"#));
        assert!(html.contains(r#"href="/report/NCA-1""#));
        assert!(html.contains(r#"data-factor="size" data-level="0""#));
        assert!(html.contains("One member or none"), "every level descriptor is shown");
        assert!(html.contains("20 or more"));
        // A country code is not an entity: no link.
        assert!(!html.contains(r#"href="/entity/FR""#));
    }

    #[test]
    fn the_board_ranks_and_links_each_group() {
        let v = view();
        let html = board_html(std::slice::from_ref(&v.summary));
        assert!(html.contains(r#"<span id="group-total">1</span>"#));
        assert!(html.contains(r#"href="/groups/NCA%3AOCG-%3C1%3E""#));
        assert!(!html.contains("<script>"));
        assert!(board_html(&[]).contains("No organised crime group is visible to you."));
    }
}
