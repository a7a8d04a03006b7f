//! The OpenAPI 3.1 document of the HTTP API, built by hand so that it costs
//! no build time. A unit test in the crate root checks that every entry of
//! [`crate::ROUTES`] is described here.

use serde_json::{Value, json};
use tessera_model::EntityKind;

fn error_responses(codes: &[&str]) -> Value {
    let mut out = serde_json::Map::new();
    for code in codes {
        let description = match *code {
            "400" => "Bad request (missing or malformed parameter)",
            "404" => "Not found, or not visible to you (the two are indistinguishable)",
            "422" => "The input was refused; every problem is listed in `details` and nothing was stored",
            "401" => {
                "No valid session: log in with POST /api/login and send `Authorization: Bearer <token>` (code `unauthenticated`)"
            }
            "403" => {
                "A cookie-authenticated request that changes state lacked the session's CSRF token (code `forbidden`)"
            }
            "429" => "Too many login attempts from your address (code `rate_limited`)",
            _ => "Internal error",
        };
        out.insert(
            (*code).to_string(),
            json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}),
        );
    }
    Value::Object(out)
}

fn html_responses(codes: &[&str]) -> Value {
    let mut m = serde_json::Map::new();
    m.insert(
        "200".into(),
        json!({"description": "HTML page", "content": {"text/html": {"schema": {"type": "string"}}}}),
    );
    for code in codes {
        m.insert(
            (*code).to_string(),
            json!({"description": "HTML error page", "content": {"text/html": {"schema": {"type": "string"}}}}),
        );
    }
    Value::Object(m)
}

fn ok_json(description: &str, schema: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

fn with(mut ok: serde_json::Map<String, Value>, errors: Value) -> Value {
    if let Value::Object(e) = errors {
        ok.extend(e);
    }
    Value::Object(ok)
}

fn responses(ok: Value, errors: &[&str]) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("200".into(), ok);
    with(m, error_responses(errors))
}

fn id_param(description: &str) -> Value {
    json!({"name": "id", "in": "path", "required": true, "description": description, "schema": {"type": "string"}})
}

fn search_params() -> Value {
    let kinds: Vec<&str> = EntityKind::ALL.iter().map(|k| k.name()).collect();
    json!([
        {"name": "q", "in": "query", "required": true, "description": "A name in any spelling or script, an identifier in any common format, or words of report text.", "schema": {"type": "string", "minLength": 1, "maxLength": 500}},
        {"name": "kind", "in": "query", "required": false, "description": "Restrict entity hits to these kinds (comma-separated).", "schema": {"type": "string", "examples": ["Person", "Person,Phone"]}, "x-kinds": kinds},
        {"name": "limit", "in": "query", "required": false, "description": "Page size (capped at 100).", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
        {"name": "offset", "in": "query", "required": false, "description": "Results to skip.", "schema": {"type": "integer", "minimum": 0, "maximum": 100000, "default": 0}}
    ])
}

fn schemas() -> Value {
    let mut all = core_schemas();
    if let (Value::Object(all), Value::Object(more)) = (&mut all, resolution_schemas()) {
        all.extend(more);
    }
    if let (Value::Object(all), Value::Object(more)) = (&mut all, group_schemas()) {
        all.extend(more);
    }
    if let (Value::Object(all), Value::Object(more)) = (&mut all, network_schemas()) {
        all.extend(more);
    }
    if let (Value::Object(all), Value::Object(more)) = (&mut all, maritime_schemas()) {
        all.extend(more);
    }
    if let (Value::Object(all), Value::Object(more)) = (&mut all, picture_schemas()) {
        all.extend(more);
    }
    if let (Value::Object(all), Value::Object(more)) = (&mut all, plan_schemas()) {
        all.extend(more);
    }
    all
}

/// The schemas of entity resolution: possible matches, their evidence, clusters and decisions.
fn resolution_schemas() -> Value {
    json!({
        "Evidence": {
            "type": "object",
            "required": ["field", "level", "bits"],
            "properties": {
                "field": {"type": "string", "description": "Field of the record, or `prior`."},
                "level": {"type": "string", "description": "How the two values compared (exact, phonetic, missing...)."},
                "bits": {"type": "number", "description": "log2(m/u): positive for agreement, negative for disagreement."}
            }
        },
        "MatchCandidate": {
            "type": "object",
            "description": "A possible match, shown only when every marking its two records rest on is visible to you.",
            "required": ["a", "b", "kind", "a_caption", "b_caption", "probability", "weight", "prior", "evidence", "fields", "same_cluster", "status"],
            "properties": {
                "a": {"type": "string"}, "b": {"type": "string"},
                "kind": {"$ref": "#/components/schemas/EntityKind"},
                "a_caption": {"type": "string"}, "b_caption": {"type": "string"},
                "probability": {"type": "number", "minimum": 0, "maximum": 1},
                "weight": {"type": "number", "description": "Sum of the evidence, in bits."},
                "prior": {"type": "number", "description": "log2 odds of a match before comparing any field."},
                "evidence": {"type": "array", "items": {"$ref": "#/components/schemas/Evidence"}},
                "fields": {"type": "array", "items": {"type": "object", "required": ["field", "a", "b"], "properties": {"field": {"type": "string"}, "a": {"type": "string"}, "b": {"type": "string"}}}},
                "same_cluster": {"type": "boolean"},
                "status": {"enum": ["open", "confirmed", "rejected"]}
            }
        },
        "MatchQueue": {
            "type": "object",
            "required": ["candidates", "total"],
            "properties": {
                "candidates": {"type": "array", "items": {"$ref": "#/components/schemas/MatchCandidate"}},
                "total": {"type": "integer", "description": "Candidates with this status visible to you."}
            }
        },
        "ClusterMember": {
            "type": "object", "required": ["id", "caption"],
            "properties": {"id": {"type": "string"}, "caption": {"type": "string"}}
        },
        "ClusterView": {
            "type": "object",
            "description": "An entity's resolved cluster: only the members you may see, and only their statements you may see.",
            "required": ["entity", "kind", "members", "statements"],
            "properties": {
                "entity": {"type": "string"},
                "kind": {"$ref": "#/components/schemas/EntityKind"},
                "members": {"type": "array", "items": {"$ref": "#/components/schemas/ClusterMember"}},
                "statements": {"type": "array", "items": {"$ref": "#/components/schemas/Statement"}}
            }
        },
        "DecisionOutcome": {
            "type": "object",
            "required": ["decision", "resolution"],
            "properties": {
                "decision": {"type": "object", "required": ["report", "statements", "banner"], "properties": {
                    "report": {"type": "string", "description": "The report the decision is a statement of, authored by you."},
                    "statements": {"type": "integer"},
                    "banner": {"type": "string", "description": "Its marking: no lower than what the decision rests on."}
                }},
                "resolution": {"type": "object", "description": "The incremental resolution run that followed."}
            }
        }
    })
}

fn core_schemas() -> Value {
    let kinds: Vec<&str> = EntityKind::ALL.iter().map(|k| k.name()).collect();
    json!({
        "Session": {
            "type": "object",
            "required": ["token", "csrf", "user", "expires"],
            "properties": {
                "token": {"type": "string", "description": "Send as `Authorization: Bearer <token>`."},
                "csrf": {"type": "string", "description": "Needed only when the session is used through the cookie."},
                "user": {"type": "string"},
                "expires": {"type": "integer", "description": "Unix seconds."}
            }
        },
        "Error": {
            "type": "object",
            "required": ["error"],
            "properties": {"error": {
                "type": "object",
                "required": ["code", "message", "details"],
                "properties": {
                    "code": {"enum": ["not_found", "bad_request", "invalid_input", "internal", "unauthenticated", "forbidden", "rate_limited"]},
                    "message": {"type": "string"},
                    "details": {"type": "array", "items": {"$ref": "#/components/schemas/ErrorDetail"}}
                }
            }}
        },
        "ErrorDetail": {
            "type": "object",
            "required": ["file", "line", "field", "message"],
            "properties": {
                "file": {"type": "string"},
                "line": {"type": "integer", "description": "1-based line of the input (0 when the problem concerns the whole file)."},
                "field": {"type": ["string", "null"], "description": "Path of the field inside the record, e.g. `entities[2].properties.iban[0]`."},
                "message": {"type": "string"}
            }
        },
        "EntityKind": {"enum": kinds},
        "Classification": {"enum": ["OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET"]},
        "Markings": {
            "type": "object",
            "required": ["classification", "owner", "compartments", "caveats"],
            "properties": {
                "classification": {"$ref": "#/components/schemas/Classification"},
                "owner": {"type": "string"},
                "compartments": {"type": "array", "items": {"type": "string"}},
                "caveats": {"type": "array", "items": {"type": "string"}}
            }
        },
        "Grading": {
            "type": "object",
            "description": "UK 3x5x2 grading; `original` keeps the provider's grade when it was mapped from 5x5x5 or Europol 4x4.",
            "required": ["source", "intelligence", "handling", "original"],
            "properties": {
                "source": {"enum": ["Reliable", "Untested", "NotReliable"], "description": "1, 2, 3"},
                "intelligence": {"enum": ["KnownDirectly", "KnownIndirectlyCorroborated", "KnownIndirectly", "NotKnown", "SuspectedFalse"], "description": "A to E"},
                "handling": {"oneOf": [
                    {"const": "Permitted", "description": "P"},
                    {"type": "object", "required": ["Conditions"], "properties": {"Conditions": {"type": "string"}}, "description": "C, with its conditions"}
                ]},
                "original": {"oneOf": [
                    {"type": "null"},
                    {"type": "object", "required": ["scheme", "code"], "properties": {
                        "scheme": {"enum": ["uk3x5x2", "uk5x5x5", "europol4x4"]},
                        "code": {"type": "string"}
                    }}
                ]}
            }
        },
        "Statement": {
            "type": "object",
            "description": "One fact with its provenance.",
            "required": ["id", "entity_id", "kind", "property", "value", "original", "report_id", "agency", "grading", "markings", "observed", "recorded", "origin"],
            "properties": {
                "id": {"type": "integer"},
                "entity_id": {"type": "string"},
                "kind": {"$ref": "#/components/schemas/EntityKind"},
                "property": {"type": "string", "description": "Property name, or link type for links."},
                "value": {"type": "string", "description": "Normalised value; for a link, the target entity id."},
                "original": {"type": ["string", "null"], "description": "As the source wrote it, when different."},
                "report_id": {"type": "string"},
                "agency": {"type": "string"},
                "grading": {"$ref": "#/components/schemas/Grading"},
                "markings": {"$ref": "#/components/schemas/Markings"},
                "observed": {"type": "string"},
                "recorded": {"type": "string", "format": "date-time"},
                "origin": {"enum": ["structured", "extracted"]}
            }
        },
        "Captions": {"type": "object", "additionalProperties": {"type": "string"}, "description": "Entity id to caption."},
        "EntityView": {
            "type": "object",
            "required": ["id", "kind", "caption", "statements", "inbound", "captions"],
            "properties": {
                "id": {"type": "string"},
                "kind": {"$ref": "#/components/schemas/EntityKind"},
                "caption": {"type": "string"},
                "statements": {"type": "array", "items": {"$ref": "#/components/schemas/Statement"}},
                "inbound": {"type": "array", "items": {"$ref": "#/components/schemas/Statement"}},
                "captions": {"$ref": "#/components/schemas/Captions"}
            }
        },
        "ReportView": {
            "type": "object",
            "required": ["id", "agency", "author", "date", "grading", "markings", "streams", "routes", "text", "source_file", "recorded", "statements", "captions"],
            "properties": {
                "id": {"type": "string"},
                "agency": {"type": "string"},
                "author": {"type": "string"},
                "date": {"type": "string"},
                "grading": {"$ref": "#/components/schemas/Grading"},
                "markings": {"$ref": "#/components/schemas/Markings"},
                "streams": {"type": "array", "items": {"type": "string"}},
                "routes": {"type": "array", "items": {"type": "string"}},
                "text": {"type": "string"},
                "source_file": {"type": "string"},
                "recorded": {"type": "string"},
                "statements": {"type": "array", "items": {"$ref": "#/components/schemas/Statement"}},
                "captions": {"$ref": "#/components/schemas/Captions"}
            }
        },
        "EntityHit": {
            "type": "object",
            "required": ["id", "kind", "caption", "matched", "reason", "score"],
            "properties": {
                "id": {"type": "string"},
                "kind": {"$ref": "#/components/schemas/EntityKind"},
                "caption": {"type": "string"},
                "matched": {"type": "array", "items": {"type": "string"}},
                "reason": {"enum": ["identifier", "name"]},
                "score": {"type": "number", "minimum": 0, "maximum": 1},
                "members": {"type": "array", "items": {"$ref": "#/components/schemas/ClusterMember"}, "description": "Other members of its resolved cluster that you may see; their hits are folded into this one."}
            }
        },
        "ReportHit": {
            "type": "object",
            "required": ["id", "agency", "date", "banner", "grading", "snippet"],
            "properties": {
                "id": {"type": "string"},
                "agency": {"type": "string"},
                "date": {"type": "string"},
                "banner": {"type": "string"},
                "grading": {"type": "string"},
                "snippet": {"type": "string", "description": "Text around the match; matches between `[` and `]`."}
            }
        },
        "SearchResults": {
            "type": "object",
            "required": ["query", "identifiers", "entities", "total_entities", "reports", "total_reports"],
            "properties": {
                "query": {"type": "string"},
                "identifiers": {"type": "array", "items": {"type": "string"}},
                "entities": {"type": "array", "items": {"$ref": "#/components/schemas/EntityHit"}},
                "total_entities": {"type": "integer"},
                "reports": {"type": "array", "items": {"$ref": "#/components/schemas/ReportHit"}},
                "total_reports": {"type": "integer"}
            }
        },
        "Stats": {
            "type": "object",
            "required": ["reports", "statements", "entities", "agencies"],
            "properties": {
                "reports": {"type": "integer"},
                "statements": {"type": "integer"},
                "entities": {"type": "integer"},
                "agencies": {"type": "array", "description": "Visible reports per agency, as [agency, count] pairs.", "items": {
                    "type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "minItems": 2, "maxItems": 2
                }}
            }
        },
        "FileSummary": {
            "type": "object",
            "required": ["file", "reports", "statements", "extracted", "new_entities", "seconds"],
            "properties": {
                "file": {"type": "string"},
                "reports": {"type": "integer"},
                "statements": {"type": "integer"},
                "extracted": {"type": "integer"},
                "new_entities": {"type": "integer"},
                "seconds": {"type": "number"}
            }
        }
    })
}

/// The paths of entity resolution: the review queue, explanations, decisions and clusters.
fn resolution_paths() -> Value {
    json!({
            "/api/matches": {"get": {
                "operationId": "matchQueue",
                "summary": "Possible matches for review, with the two records side by side and the evidence per field",
                "parameters": [
                    {"name": "status", "in": "query", "schema": {"enum": ["open", "confirmed", "rejected"], "default": "open"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 20}},
                    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}}
                ],
                "responses": responses(ok_json("One page of the queue", "MatchQueue"), &["400", "401", "500"])
            }},
            "/api/matches/{a}/{b}": {"get": {
                "operationId": "matchExplanation",
                "summary": "One possible match with its explanation (either order of the ids)",
                "parameters": [
                    {"name": "a", "in": "path", "required": true, "schema": {"type": "string"}, "description": "Entity id, percent-encoded"},
                    {"name": "b", "in": "path", "required": true, "schema": {"type": "string"}, "description": "Entity id, percent-encoded"}
                ],
                "responses": responses(ok_json("The pair", "MatchCandidate"), &["400", "401", "404", "500"])
            }},
            "/api/decisions": {"post": {
                "operationId": "decide",
                "summary": "Rule that two entities are the same or different (analysts, investigators, stream leads, administrators); recorded as a statement of a report you author, audited, and obeyed by every later run",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["a", "b", "verdict"], "properties": {
                    "a": {"type": "string"}, "b": {"type": "string"}, "verdict": {"enum": ["same", "different"]}
                }}}}},
                "responses": responses(ok_json("Recorded, and resolution re-run", "DecisionOutcome"), &["400", "401", "403", "404", "500"])
            }},
            "/api/entities/{id}/cluster": {"get": {
                "operationId": "getCluster",
                "summary": "The entity's resolved cluster: the members you may see, and their visible statements merged",
                "parameters": [id_param("Entity id, percent-encoded")],
                "responses": responses(ok_json("The cluster", "ClusterView"), &["400", "401", "404", "500"])
            }},
            "/api/entities/{id}/split": {"post": {
                "operationId": "splitEntity",
                "summary": "Split the entity from its cluster: rules it different from every other member you may see",
                "parameters": [id_param("Entity id, percent-encoded")],
                "responses": responses(ok_json("Recorded, and resolution re-run", "DecisionOutcome"), &["400", "401", "403", "404", "500"])
            }},
            "/matches": {"get": {
                "operationId": "pageMatches", "tags": ["web UI"],
                "summary": "Web UI: possible matches, side by side with their evidence, with Confirm and Reject buttons",
                "responses": html_responses(&["400", "500"])
            }},
            "/matches/decide": {"post": {
                "operationId": "pageDecide", "tags": ["web UI"],
                "summary": "Web UI: confirm or reject a possible match (form fields `a`, `b`, `verdict`, `csrf`); redirects to /matches",
                "responses": {"303": {"description": "Recorded: back to the queue"}, "400": {"description": "Bad form"}, "403": {"description": "Missing CSRF token, or a role that may not decide"}}
            }},
            "/entity/{id}/split": {"post": {
                "operationId": "pageSplit", "tags": ["web UI"],
                "summary": "Web UI: split the entity from its cluster (form field `csrf`); redirects to the entity page",
                "parameters": [id_param("Entity id, percent-encoded")],
                "responses": {"303": {"description": "Recorded: back to the entity"}, "400": {"description": "Nothing to split"}, "403": {"description": "Missing CSRF token, or a role that may not decide"}}
            }}
    })
}

/// The schemas of the organised crime group board.
fn group_schemas() -> Value {
    let bands = json!({"type": "string", "enum": ["high", "significant", "moderate", "low"]});
    json!({
        "GroupSummary": {
            "type": "object",
            "description": "One line of the board, computed only from statements you may see.",
            "required": ["id", "name", "origin", "band", "priority", "harm", "capability", "intent", "confidence", "confidence_band", "members", "records"],
            "properties": {
                "id": {"type": "string", "description": "The smallest id among the group's visible organisation records."},
                "name": {"type": "string"},
                "origin": {"type": "string", "enum": ["curated"], "description": "Recorded by agencies as an organised crime group (`topics = crime.ocg`)."},
                "band": bands,
                "priority": {"type": "integer", "minimum": 0, "maximum": 100, "description": "harm × threat / 100, threat = √(capability × intent)"},
                "harm": {"type": "integer", "minimum": 0, "maximum": 100},
                "capability": {"type": "integer", "minimum": 0, "maximum": 100},
                "intent": {"type": "integer", "minimum": 0, "maximum": 100},
                "confidence": {"type": "integer", "minimum": 0, "maximum": 100, "description": "From the grading of the reports behind the facts and corroboration by independent agencies; separate from the score."},
                "confidence_band": {"type": "string", "enum": ["high", "medium", "low"]},
                "members": {"type": "integer", "minimum": 0},
                "last_activity": {"type": ["string", "null"]},
                "records": {"type": "integer", "minimum": 1, "description": "Organisation records (from one or several agencies) that make the group."}
            }
        },
        "GroupView": {
            "type": "object",
            "description": "One group in full: its summary, its records, the facts given to the engine (`profile`: lists of facts, each with its subject, label, date, amount and reports) and the assessment (`assessment.factors`: every factor with its level 0-4 or null when not assessed, descriptor, explanation and evidence; `harm`, `capability`, `intent` with their explanations; `threat`, `priority`, `band`, `confidence`). See docs/priority.md.",
            "required": ["summary", "organisations", "profile", "assessment"],
            "properties": {
                "summary": {"$ref": "#/components/schemas/GroupSummary"},
                "organisations": {"type": "array", "items": {"$ref": "#/components/schemas/ClusterMember"}},
                "profile": {"type": "object"},
                "assessment": {"type": "object"}
            }
        }
    })
}

/// The paths of the organised crime group board.
fn group_paths() -> Value {
    json!({
        "/api/groups": {"get": {
            "operationId": "groups",
            "summary": "The organised crime group board: every group you may see, highest priority first, scored from visible statements only (audited)",
            "responses": responses(json!({"description": "The board", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/GroupSummary"}}}}}), &["401", "500"])
        }},
        "/api/groups/{id}": {"get": {
            "operationId": "getGroup",
            "summary": "One group by the id of any of its organisation records: its facts and every factor with its descriptor and explanation (audited)",
            "parameters": [id_param("Organisation record id, percent-encoded")],
            "responses": responses(ok_json("The group", "GroupView"), &["400", "401", "404", "500"])
        }},
        "/groups": {"get": {
            "operationId": "pageGroups", "tags": ["web UI"],
            "summary": "Web UI: the organised crime group board",
            "responses": html_responses(&["500"])
        }},
        "/groups/{id}": {"get": {
            "operationId": "pageGroup", "tags": ["web UI"],
            "summary": "Web UI: one group, every factor with its level descriptor, explanation and the facts behind it, and a link to its link chart",
            "parameters": [id_param("Organisation record id, percent-encoded")],
            "responses": html_responses(&["400", "404", "500"])
        }}
    })
}

/// The OpenAPI 3.1 document.
pub fn document() -> Value {
    let mut doc = core_document();
    if let (Some(Value::Object(paths)), Value::Object(more)) = (doc.get_mut("paths"), resolution_paths()) {
        paths.extend(more);
    }
    if let (Some(Value::Object(paths)), Value::Object(more)) = (doc.get_mut("paths"), group_paths()) {
        paths.extend(more);
    }
    if let (Some(Value::Object(paths)), Value::Object(more)) = (doc.get_mut("paths"), network_paths()) {
        paths.extend(more);
    }
    if let (Some(Value::Object(paths)), Value::Object(more)) = (doc.get_mut("paths"), maritime_paths()) {
        paths.extend(more);
    }
    if let (Some(Value::Object(paths)), Value::Object(more)) = (doc.get_mut("paths"), picture_paths()) {
        paths.extend(more);
    }
    if let (Some(Value::Object(paths)), Value::Object(more)) = (doc.get_mut("paths"), plan_paths()) {
        paths.extend(more);
    }
    doc
}

/// A static asset of the web UI served from the binary.
fn static_asset(operation: &str, summary: &str, description: &str, content_type: &str, schema: &str) -> Value {
    json!({"get": {
        "operationId": operation, "tags": ["web UI"], "summary": summary,
        "responses": {"200": {"description": description, "content": {content_type: {"schema": {"type": schema}}}}}
    }})
}

/// The paths of maritime monitoring: watchlist, areas, alerts, tracks.
fn maritime_paths() -> Value {
    let time = |name: &str, description: &str| {
        query_param(
            name,
            &format!("{description} Unix seconds, YYYY-MM-DD (midnight UTC) or YYYY-MM-DDTHH:MM[:SS]Z."),
            json!({"type": "string"}),
        )
    };
    json!({
        "/api/maritime/watchlist": {
            "get": {
                "operationId": "getWatchlist", "tags": ["maritime"],
                "summary": "The watched vessels you may see (a watch carries its owner's markings), with their linked vessel entity and group when you may see those, open alerts and last position",
                "responses": responses(ok_json("The watchlist", "Watchlist"), &["401", "500"])
            },
            "post": {
                "operationId": "addWatch", "tags": ["maritime"],
                "summary": "Put a vessel on your agency's watchlist; its behaviours in later AIS scans raise alerts carrying the same markings (default OFFICIAL-SENSITIVE, handling C)",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewWatch"}}}},
                "responses": with(
                    serde_json::Map::from_iter([("201".to_string(), ok_json("The watch as stored", "Watch"))]),
                    error_responses(&["400", "401", "403", "500"])
                )
            }
        },
        "/api/maritime/areas": {"get": {
            "operationId": "getWatchedAreas", "tags": ["maritime"],
            "summary": "The watched areas (e.g. stretches of coast where small boats are launched) you may see, as a GeoJSON FeatureCollection",
            "responses": responses(json!({"description": "GeoJSON FeatureCollection; properties id, name, owner, classification", "content": {"application/json": {"schema": {"type": "object"}}}}), &["401", "500"])
        }},
        "/api/maritime/alerts": {"get": {
            "operationId": "getAlerts", "tags": ["maritime"],
            "summary": "Alerts raised by the behaviours of watched vessels you may see, newest first (without evidence; see /api/maritime/alerts/{id})",
            "parameters": [
                query_param("kind", "Behaviour: gap, encounter, loitering, short_stop, area_entry, area_exit, identity_change, speed_jump.", json!({"type": "string"})),
                query_param("status", "open, acknowledged or retracted (a late position withdrew the event).", json!({"type": "string"})),
                query_param("watch", "Only this watch's alerts.", json!({"type": "integer"})),
                time("since", "Only alerts that end at or after this time."),
                time("until", "Only alerts starting at or before this time."),
                query_param("limit", "Page size (at most 1000, default 200).", json!({"type": "integer", "maximum": 1000})),
                query_param("offset", "Alerts to skip.", json!({"type": "integer"}))
            ],
            "responses": responses(ok_json("One page of alerts", "AlertPage"), &["400", "401", "500"])
        }},
        "/api/maritime/alerts/{id}": {"get": {
            "operationId": "getAlert", "tags": ["maritime"],
            "summary": "One alert with its evidence: the watched vessel's stored track from shortly before to shortly after the event",
            "parameters": [id_param("Alert id.")],
            "responses": responses(ok_json("The alert", "Alert"), &["400", "401", "404", "500"])
        }},
        "/api/maritime/alerts/{id}/status": {"post": {
            "operationId": "setAlertStatus", "tags": ["maritime"],
            "summary": "Acknowledge an open alert or reopen an acknowledged one",
            "parameters": [id_param("Alert id.")],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["acknowledged", "open"]}}}}}},
            "responses": responses(ok_json("The alert after the change", "Alert"), &["400", "401", "403", "404", "500"])
        }},
        "/map": {"get": {
            "operationId": "pageMap", "tags": ["web UI"],
            "summary": "Web UI: the maritime map (Leaflet over an embedded Natural Earth basemap): watched vessels, their tracks, watched areas and alerts; its data comes from the /api/maritime reads",
            "responses": html_responses(&["403", "500"])
        }},
        "/static/map.js": static_asset("mapScript", "The map's script (embedded in the binary)", "JavaScript", "text/javascript", "string"),
        "/static/leaflet.js": static_asset("leafletScript", "Leaflet 1.9.4 (BSD-2-Clause), from the npm registry, embedded at build time", "JavaScript", "text/javascript", "string"),
        "/static/leaflet.css": static_asset("leafletStylesheet", "Leaflet's stylesheet", "CSS", "text/css", "string"),
        "/static/topojson-client.js": static_asset("topojsonScript", "topojson-client 3.1.0 (ISC), from the npm registry, embedded at build time", "JavaScript", "text/javascript", "string"),
        "/static/world-10m.json": static_asset("worldBasemap", "The map's basemap: Natural Earth 1:10m countries (public domain) as TopoJSON, from world-atlas 2.0.2, embedded at build time", "TopoJSON", "application/json", "object"),
        "/api/maritime/ais": {"post": {
            "operationId": "scanAis", "tags": ["maritime"],
            "summary": "Scan raw AIS (NMEA 0183 AIVDM/AIVDO lines; tag blocks and $PGHP time stamps) for the behaviours of watched vessels: alerts and positions are recorded for every watch, the receipt counts only those you may see (at most 256 MiB)",
            "parameters": [query_param("name", "Name of the upload, for the audit log and messages.", json!({"type": "string"}))],
            "requestBody": {"required": true, "content": {"text/plain": {"schema": {"type": "string"}}}},
            "responses": responses(ok_json("What the scan did", "ScanReceipt"), &["400", "401", "403", "500"])
        }},
        "/api/maritime/tracks/{watch}": {"get": {
            "operationId": "getTrack", "tags": ["maritime"],
            "summary": "The stored positions of one watched vessel (at most one a minute), thinned evenly to max_points",
            "parameters": [
                {"name": "watch", "in": "path", "required": true, "description": "Watch id.", "schema": {"type": "integer"}},
                time("from", "Only positions at or after this time."),
                time("to", "Only positions at or before this time."),
                query_param("max_points", "Most points returned (2 to 20000, default 2000).", json!({"type": "integer", "maximum": 20000}))
            ],
            "responses": responses(ok_json("The track", "Track"), &["400", "401", "404", "500"])
        }}
    })
}

/// The schemas of maritime monitoring.
fn maritime_schemas() -> Value {
    let entity_ref = json!({"type": ["object", "null"], "required": ["id", "caption"], "properties": {"id": {"type": "string"}, "caption": {"type": "string"}}, "description": "Shown only when you may see the entity."});
    json!({
        "TrackPoint": {
            "type": "object", "required": ["time", "lat", "lon"],
            "properties": {
                "time": {"type": "integer", "description": "Unix seconds."},
                "lat": {"type": "number"}, "lon": {"type": "number"},
                "sog": {"type": ["number", "null"], "description": "Speed over ground (knots)."},
                "cog": {"type": ["number", "null"], "description": "Course over ground (degrees)."}
            }
        },
        "Track": {
            "type": "object", "required": ["watch", "points"],
            "properties": {"watch": {"type": "integer"}, "points": {"type": "array", "items": {"$ref": "#/components/schemas/TrackPoint"}}}
        },
        "NewWatch": {
            "type": "object", "required": ["mmsi", "reason"],
            "properties": {
                "mmsi": {"type": "integer"}, "vessel": {"type": "string", "description": "Vessel entity id."},
                "group": {"type": "string", "description": "Group entity id."}, "reason": {"type": "string"},
                "classification": {"type": "string"}, "handling": {"type": "string", "enum": ["P", "C"]},
                "conditions": {"type": "string"}, "compartments": {"type": "array", "items": {"type": "string"}},
                "caveats": {"type": "array", "items": {"type": "string"}}
            }
        },
        "Watch": {
            "type": "object",
            "required": ["id", "mmsi", "reason", "owner", "added_by", "added_at", "classification", "handling", "open_alerts"],
            "properties": {
                "id": {"type": "integer"}, "mmsi": {"type": "integer"},
                "flag": {"type": ["string", "null"], "description": "ISO country of the MMSI's maritime identification digits."},
                "name": {"type": ["string", "null"], "description": "Latest AIS ship name seen."},
                "vessel": entity_ref.clone(), "group": entity_ref.clone(),
                "reason": {"type": "string"}, "owner": {"type": "string"}, "added_by": {"type": "string"},
                "added_at": {"type": "integer"}, "classification": {"type": "string"}, "handling": {"type": "string"},
                "open_alerts": {"type": "integer"},
                "last_position": {"oneOf": [{"$ref": "#/components/schemas/TrackPoint"}, {"type": "null"}]}
            }
        },
        "Watchlist": {
            "type": "object", "required": ["watches"],
            "properties": {"watches": {"type": "array", "items": {"$ref": "#/components/schemas/Watch"}}}
        },
        "Alert": {
            "type": "object",
            "required": ["id", "watch", "mmsi", "kind", "start", "end", "lat", "lon", "details", "status", "raised_at"],
            "properties": {
                "id": {"type": "integer"}, "watch": {"type": "integer"}, "mmsi": {"type": "integer"},
                "other_mmsi": {"type": ["integer", "null"]}, "vessel": entity_ref,
                "kind": {"type": "string"}, "start": {"type": "integer"}, "end": {"type": "integer"},
                "lat": {"type": ["number", "null"]}, "lon": {"type": ["number", "null"]},
                "details": {"type": "object", "description": "The behaviour's evidence (docs/maritime.md): hours, distance_nm, implied_knots, min_distance_m, area, minutes, field/old/new..."},
                "status": {"type": "string", "enum": ["open", "acknowledged", "retracted"]},
                "raised_at": {"type": "integer"},
                "evidence": {"type": "array", "items": {"$ref": "#/components/schemas/TrackPoint"}, "description": "Only on GET /api/maritime/alerts/{id}."}
            }
        },
        "ScanReceipt": {
            "type": "object",
            "required": ["sentences", "messages", "positions", "watched_positions", "alerts_raised", "alerts_retracted", "problems"],
            "properties": {
                "sentences": {"type": "integer"}, "messages": {"type": "integer"},
                "positions": {"type": "integer", "description": "Positions of any vessel in the upload."},
                "watched_positions": {"type": "integer", "description": "Positions recorded for watches you may see."},
                "alerts_raised": {"type": "integer", "description": "New alerts on watches you may see."},
                "alerts_retracted": {"type": "integer", "description": "Alerts on watches you may see that late data withdrew."},
                "problems": {"type": "integer", "description": "Sentences or messages that could not be used."}
            }
        },
        "AlertPage": {
            "type": "object", "required": ["total", "alerts"],
            "properties": {"total": {"type": "integer"}, "alerts": {"type": "array", "items": {"$ref": "#/components/schemas/Alert"}}}
        }
    })
}

fn core_document() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Tessera API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Intelligence fusion for multi-agency teams. Every answer contains only what the viewer may see; every request is written to the audit log. Ids contain characters such as ':', '+', '#' and '@': percent-encode them in paths.",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"}
        },
        "paths": {
            "/api/search": {"get": {
                "operationId": "search",
                "summary": "Search names (any spelling), identifiers (any format) and report text",
                "parameters": search_params(),
                "responses": responses(ok_json("One page of entity and report hits", "SearchResults"), &["400", "500"])
            }},
            "/api/entities/{id}": {"get": {
                "operationId": "getEntity",
                "summary": "An entity with every statement the viewer may see, each with its provenance",
                "parameters": [id_param("Entity id, percent-encoded (e.g. phone%3A%2B447700900123)")],
                "responses": responses(ok_json("The entity", "EntityView"), &["400", "404", "500"])
            }},
            "/api/reports/{id}": {"get": {
                "operationId": "getReport",
                "summary": "A report with its grading, markings, text and statements",
                "parameters": [id_param("Report reference, percent-encoded")],
                "responses": responses(ok_json("The report", "ReportView"), &["400", "404", "500"])
            }},
            "/api/ingest": {"post": {
                "operationId": "ingest",
                "summary": "Ingest a JSON Lines file of reports (schema/report.schema.json): all of it, or nothing",
                "parameters": [{"name": "name", "in": "query", "required": false, "description": "File name recorded as the reports' source.", "schema": {"type": "string", "default": "upload.jsonl", "maxLength": 200}}],
                "requestBody": {"required": true, "content": {"application/x-ndjson": {"schema": {"type": "string"}}, "application/jsonl": {"schema": {"type": "string"}}, "text/plain": {"schema": {"type": "string"}}}},
                "responses": responses(ok_json("What was stored", "FileSummary"), &["400", "422", "500"])
            }},
            "/api/stats": {"get": {
                "operationId": "stats",
                "summary": "Counts of what the viewer can see",
                "responses": responses(ok_json("Counts", "Stats"), &["500"])
            }},
            "/api/audit": {"get": {
                "operationId": "audit",
                "summary": "The audit log with the chain's verification (auditors and administrators only); CSV with format=csv",
                "parameters": [
                    {"name": "user", "in": "query", "schema": {"type": "string"}},
                    {"name": "action", "in": "query", "schema": {"type": "string"}},
                    {"name": "contains", "in": "query", "schema": {"type": "string"}},
                    {"name": "since", "in": "query", "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100000}},
                    {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "csv"]}}
                ],
                "responses": responses(
                    json!({"description": "Verification and records", "content": {"application/json": {"schema": {"type": "object"}}, "text/csv": {"schema": {"type": "string"}}}}),
                    &["401", "403", "500"]
                )
            }},
            "/audit": {"get": {
                "operationId": "pageAudit", "tags": ["web UI"],
                "summary": "Web UI: the audit viewer (auditors and administrators only)",
                "responses": html_responses(&["403", "500"])
            }},
            "/api/deconflictions": {"get": {
                "operationId": "deconflictions",
                "summary": "Hit / no-hit: who searched for what the viewer's agency holds and could not see it",
                "responses": responses(json!({"description": "The inbox, newest first", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}}), &["401", "403", "500"])
            }},
            "/deconflictions": {"get": {
                "operationId": "pageDeconflictions", "tags": ["web UI"],
                "summary": "Web UI: the agency's deconfliction inbox",
                "responses": html_responses(&["403", "500"])
            }},
            "/api/openapi.json": {"get": {
                "operationId": "openapi", "security": [],
                "summary": "This document",
                "responses": {"200": {"description": "OpenAPI 3.1 document", "content": {"application/json": {"schema": {"type": "object"}}}}}
            }},
            "/": {"get": {
                "operationId": "pageHome", "tags": ["web UI"],
                "summary": "Web UI: search form and holdings per agency",
                "responses": html_responses(&["500"])
            }},
            "/search": {"get": {
                "operationId": "pageSearch", "tags": ["web UI"],
                "summary": "Web UI: search results",
                "parameters": search_params(),
                "responses": html_responses(&["400", "500"])
            }},
            "/entity/{id}": {"get": {
                "operationId": "pageEntity", "tags": ["web UI"],
                "summary": "Web UI: entity page with the provenance of every statement",
                "parameters": [id_param("Entity id, percent-encoded")],
                "responses": html_responses(&["404", "500"])
            }},
            "/report/{id}": {"get": {
                "operationId": "pageReport", "tags": ["web UI"],
                "summary": "Web UI: report page",
                "parameters": [id_param("Report reference, percent-encoded")],
                "responses": html_responses(&["404", "500"])
            }},
            "/api/login": {"post": {
                "operationId": "login",
                "summary": "Log in with a user name and password; answers a bearer token for the other endpoints (sessions last 8 hours; 5 failures lock the account for 15 minutes)",
                "security": [],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["user", "password"], "properties": {"user": {"type": "string"}, "password": {"type": "string", "format": "password"}}}}}},
                "responses": responses(ok_json("A session", "Session"), &["400", "401", "429", "500"])
            }},
            "/api/logout": {"post": {
                "operationId": "logout",
                "summary": "End the session of the bearer token",
                "responses": responses(json!({"description": "Logged out", "content": {"application/json": {"schema": {"type": "object", "properties": {"logged_out": {"type": "boolean"}}}}}}), &["401", "500"])
            }},
            "/login": {
                "get": {
                    "operationId": "pageLogin", "tags": ["web UI"], "security": [],
                    "summary": "Web UI: login form (sets the double-submit CSRF cookie `tessera_login_csrf`); redirects to / in single-user mode",
                    "responses": html_responses(&[])
                },
                "post": {
                    "operationId": "pageLoginSubmit", "tags": ["web UI"], "security": [],
                    "summary": "Web UI: log in (form fields `user`, `password`, `csrf`); sets the `tessera_session` cookie and redirects to /",
                    "requestBody": {"required": true, "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "required": ["user", "password", "csrf"], "properties": {"user": {"type": "string"}, "password": {"type": "string", "format": "password"}, "csrf": {"type": "string"}}}}}},
                    "responses": {"303": {"description": "Logged in: to /"}, "401": {"description": "Refused: the form again"}, "403": {"description": "The form's CSRF token did not match its cookie"}, "429": {"description": "Too many attempts from your address"}}
                }
            },
            "/logout": {"post": {
                "operationId": "pageLogout", "tags": ["web UI"],
                "summary": "Web UI: log out (form field `csrf` or header `X-CSRF-Token`); clears the cookie and redirects to /login",
                "responses": {"303": {"description": "Logged out: to /login"}, "403": {"description": "Missing or wrong CSRF token"}}
            }},
            "/network": {"get": {
                "operationId": "pageNetwork", "tags": ["web UI"],
                "summary": "Web UI: the interactive link chart (canvas) of the given entities, or of the whole visible network; its data comes from GET /api/network and GET /api/network/edge",
                "parameters": [{"name": "seed", "in": "query", "required": false, "description": "Entity id to start from; repeat for several (at most 50).", "schema": {"type": "array", "items": {"type": "string", "maxLength": 500}, "maxItems": 50}, "style": "form", "explode": true}],
                "responses": html_responses(&["400", "403", "500"])
            }},
            "/static/network.js": {"get": {
                "operationId": "networkScript", "tags": ["web UI"],
                "summary": "The link chart's script (embedded in the binary; the web UI's only script)",
                "responses": {"200": {"description": "JavaScript", "content": {"text/javascript": {"schema": {"type": "string"}}}}}
            }},
            "/static/tessera.css": {"get": {
                "operationId": "stylesheet", "tags": ["web UI"], "security": [],
                "summary": "The web UI's stylesheet",
                "responses": {"200": {"description": "CSS", "content": {"text/css": {"schema": {"type": "string"}}}}}
            }}
        },
        "security": [{"bearer": []}, {"cookie": []}],
        "components": {
            "schemas": schemas(),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "Token from POST /api/login. Not needed while the server has no users (single-user mode)."},
                "cookie": {"type": "apiKey", "in": "cookie", "name": "tessera_session", "description": "The web UI's session; state-changing requests must also send the session's CSRF token (`X-CSRF-Token` or form field `csrf`)."}
            }
        }
    })
}

/// A query parameter.
fn query_param(name: &str, description: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema})
}

/// The network endpoints: the link chart's data, an edge's provenance, paths.
fn network_paths() -> Value {
    let types = query_param(
        "types",
        "Comma-separated link types to keep (associate, family, member_of, uses, owns, paid, travelled_on, sighted_at, communicated_with, employed_by); all when absent.",
        json!({"type": "string"}),
    );
    let until = query_param(
        "until",
        "Only links observed on or before this date (YYYY, YYYY-MM or YYYY-MM-DD; a month or year counts whole).",
        json!({"type": "string"}),
    );
    let limit = query_param(
        "limit",
        "Most nodes (default 2000, at most 20000).",
        json!({"type": "integer", "minimum": 1, "maximum": 20000}),
    );
    json!({
        "/api/network": {"get": {
            "operationId": "getNetwork", "tags": ["network"],
            "summary": "The network of resolved entities you may see: nodes are clusters, edges are links weighed by grading and corroboration, with Leiden communities and betweenness",
            "parameters": [
                {"name": "seed", "in": "query", "required": false, "description": "Entity to start from; repeat for several (at most 50). Without seeds: the whole visible network up to `limit` nodes.", "schema": {"type": "array", "items": {"type": "string"}, "maxItems": 50}, "style": "form", "explode": true},
                query_param("depth", "Hops of neighbours around the seeds (0 to 4, default 1).", json!({"type": "integer", "minimum": 0, "maximum": 4})),
                types,
                query_param("from", "Only links observed on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).", json!({"type": "string"})),
                until,
                limit
            ],
            "responses": responses(ok_json("The network", "Network"), &["400", "401", "404", "500"])
        }},
        "/api/network/edge": {"get": {
            "operationId": "getNetworkEdge", "tags": ["network"],
            "summary": "Every statement you may see behind one edge (any member of either node may be named), with how its weight was reached",
            "parameters": [
                {"name": "source", "in": "query", "required": true, "schema": {"type": "string"}},
                {"name": "target", "in": "query", "required": true, "schema": {"type": "string"}},
                {"name": "type", "in": "query", "required": true, "description": "One link type.", "schema": {"type": "string"}}
            ],
            "responses": responses(ok_json("The edge's provenance", "EdgeProvenance"), &["400", "401", "404", "500"])
        }},
        "/api/network/pictures": {"post": {
            "operationId": "stampNetworkPicture", "tags": ["network"],
            "summary": "Before the link chart is saved as an image: the highest classification of the entities and links it shows (as you see them), to print on it, and a reference to the audit record of the export (written whether the export is allowed or refused)",
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["nodes", "edges"], "additionalProperties": false, "properties": {
                "nodes": {"type": "array", "maxItems": 20000, "items": {"type": "string"}, "description": "Entity ids drawn."},
                "edges": {"type": "array", "maxItems": 100000, "items": {"type": "object", "required": ["source", "target", "type"], "additionalProperties": false, "properties": {
                    "source": {"type": "string"}, "target": {"type": "string"}, "type": {"type": "string", "description": "One link type."}
                }}}
            }}}}},
            "responses": responses(ok_json("What to print on the image", "PictureStamp"), &["400", "401", "403", "404", "500"])
        }},
        "/api/network/paths": {"get": {
            "operationId": "getNetworkPaths", "tags": ["network"],
            "summary": "The k shortest paths (in hops) between two entities through the network you may see, with the edges and statements behind each hop",
            "parameters": [
                {"name": "from", "in": "query", "required": true, "description": "Start entity.", "schema": {"type": "string"}},
                {"name": "to", "in": "query", "required": true, "description": "End entity.", "schema": {"type": "string"}},
                query_param("k", "How many paths (1 to 10, default 3).", json!({"type": "integer", "minimum": 1, "maximum": 10})),
                query_param("types", "Comma-separated link types the paths may use.", json!({"type": "string"})),
                query_param("after", "Only links observed on or after this date.", json!({"type": "string"})),
                query_param("until", "Only links observed on or before this date.", json!({"type": "string"})),
                query_param("limit", "Most nodes of the network searched (default 20000).", json!({"type": "integer"})),
                query_param("ordered", "Only a path whose links were observed in time order (each hop on or after the one before): the earliest-arriving one; each hop then carries its `observed` date.", json!({"type": "boolean"}))
            ],
            "responses": responses(ok_json("The paths, shortest first", "PathAnswer"), &["400", "401", "404", "500"])
        }},
        "/api/network/timeline": {"get": {
            "operationId": "getNetworkTimeline", "tags": ["network"],
            "summary": "The network you may see over time: windows of days over the links' observation dates, with who entered and left, centralisation and the broker of each window; with `replaced`, who took over the links and brokerage of a node that left",
            "parameters": [
                query_param("window", "Window length in days (1 to 3660, default 91).", json!({"type": "integer", "minimum": 1, "maximum": 3660})),
                query_param("replaced", "An entity that left the network: rank its successors.", json!({"type": "string"})),
                {"name": "seed", "in": "query", "required": false, "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": true},
                query_param("depth", "Hops around the seeds.", json!({"type": "integer", "minimum": 0, "maximum": 4})),
                query_param("types", "Comma-separated link types.", json!({"type": "string"})),
                query_param("from", "Only links observed on or after this date.", json!({"type": "string"})),
                query_param("until", "Only links observed on or before this date.", json!({"type": "string"})),
                query_param("limit", "Most nodes (default 20000).", json!({"type": "integer"}))
            ],
            "responses": responses(ok_json("The windows, oldest first", "TimelineAnswer"), &["400", "401", "404", "500"])
        }},
        "/api/network/removal": {"get": {
            "operationId": "getNetworkRemoval", "tags": ["network"],
            "summary": "Disruption planning: which k removals (greedy, by pairwise connectivity) fragment the network you may see most, chosen among nodes of the given kinds (people by default), and what each leaves",
            "parameters": [
                query_param("k", "Removals to simulate (1 to 50, default 5).", json!({"type": "integer", "minimum": 1, "maximum": 50})),
                query_param("kinds", "Comma-separated entity kinds that may be removed (default Person).", json!({"type": "string"})),
                {"name": "seed", "in": "query", "required": false, "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": true},
                query_param("depth", "Hops around the seeds.", json!({"type": "integer", "minimum": 0, "maximum": 4})),
                query_param("types", "Comma-separated link types.", json!({"type": "string"})),
                query_param("from", "Only links observed on or after this date.", json!({"type": "string"})),
                query_param("until", "Only links observed on or before this date.", json!({"type": "string"})),
                query_param("limit", "Most nodes (default 20000).", json!({"type": "integer"}))
            ],
            "responses": responses(ok_json("The plan", "RemovalPlan"), &["400", "401", "404", "500"])
        }}
    })
}

/// The schemas of the network endpoints.
fn network_schemas() -> Value {
    let date = json!({"type": ["string", "null"], "description": "Observation date (YYYY-MM-DD)."});
    json!({
        "NetworkNode": {
            "type": "object",
            "required": ["id", "kind", "caption", "members", "seed", "community", "degree", "betweenness", "classification"],
            "properties": {
                "id": {"type": "string", "description": "Smallest id among the cluster's members you may see."},
                "kind": {"$ref": "#/components/schemas/EntityKind"},
                "caption": {"type": "string"},
                "members": {"type": "array", "items": {"type": "string"}, "description": "Members you reach through cluster links you may see in full."},
                "seed": {"type": "boolean"},
                "community": {"type": ["integer", "null"], "description": "Leiden community (modularity, seed 1) in the returned network."},
                "degree": {"type": "integer"},
                "betweenness": {"type": "number", "description": "Scaled so the highest node is 1."},
                "classification": {"oneOf": [{"$ref": "#/components/schemas/Classification"}, {"type": "null"}], "description": "Highest classification of the statements other than links you see about its members; null for an entity known only from a link to it."}
            }
        },
        "PictureStamp": {
            "type": "object",
            "required": ["reference", "classification", "user", "agency", "at", "nodes", "edges"],
            "properties": {
                "reference": {"type": "string", "description": "Quoted in the audit record of the export."},
                "classification": {"$ref": "#/components/schemas/Classification"},
                "user": {"type": "string"}, "agency": {"type": "string"},
                "at": {"type": "string", "format": "date-time"},
                "nodes": {"type": "integer"}, "edges": {"type": "integer"}
            }
        },
        "NetworkEdge": {
            "type": "object",
            "required": ["id", "source", "target", "type", "weight", "agencies", "statements", "first", "last", "classification"],
            "properties": {
                "id": {"type": "string"}, "source": {"type": "string"}, "target": {"type": "string"},
                "type": {"type": "string", "description": "Link type; associate, family and communicated_with are undirected."},
                "weight": {"type": "number", "description": "1 − Π(1 − c) over agencies, c the agency's best statement confidence (docs/network.md)."},
                "agencies": {"type": "integer"}, "statements": {"type": "integer"},
                "first": date.clone(), "last": date.clone(),
                "classification": {"$ref": "#/components/schemas/Classification", "description": "Highest classification of the statements behind it."}
            }
        },
        "Network": {
            "type": "object",
            "required": ["nodes", "edges", "link_types", "period", "communities", "truncated"],
            "properties": {
                "nodes": {"type": "array", "items": {"$ref": "#/components/schemas/NetworkNode"}},
                "edges": {"type": "array", "items": {"$ref": "#/components/schemas/NetworkEdge"}},
                "link_types": {"type": "array", "items": {"type": "string"}},
                "period": {"type": "object", "properties": {"first": date.clone(), "last": date.clone()}},
                "communities": {"type": "integer"},
                "truncated": {"type": "boolean", "description": "The node limit stopped the expansion."}
            }
        },
        "EdgeStatement": {
            "type": "object",
            "required": ["id", "entity", "property", "value", "report_id", "agency", "grading", "banner", "observed", "origin", "confidence"],
            "properties": {
                "id": {"type": "integer"}, "entity": {"type": "string"}, "property": {"type": "string"}, "value": {"type": "string"},
                "report_id": {"type": "string"}, "agency": {"type": "string"}, "grading": {"type": "string"},
                "banner": {"type": "string"}, "observed": {"type": "string"}, "origin": {"type": "string"},
                "confidence": {"type": "number"}
            }
        },
        "EdgeProvenance": {
            "type": "object",
            "required": ["source", "target", "type", "weight", "explanation", "statements"],
            "properties": {
                "source": {"type": "string"}, "target": {"type": "string"}, "type": {"type": "string"},
                "weight": {"type": "number"}, "explanation": {"type": "string"},
                "statements": {"type": "array", "items": {"$ref": "#/components/schemas/EdgeStatement"}}
            }
        },
        "RemovalSnapshot": {"type": "object", "required": ["components", "largest_component", "connected_pairs"], "properties": {"components": {"type": "integer"}, "largest_component": {"type": "integer"}, "connected_pairs": {"type": "integer"}}},
        "RemovalPlan": {
            "type": "object",
            "required": ["initial", "steps"],
            "properties": {
                "initial": {"$ref": "#/components/schemas/RemovalSnapshot"},
                "steps": {"type": "array", "items": {
                    "type": "object",
                    "required": ["node", "kind", "degree", "after"],
                    "properties": {
                        "node": {"$ref": "#/components/schemas/NodeRef"},
                        "kind": {"$ref": "#/components/schemas/EntityKind"},
                        "degree": {"type": "integer"},
                        "after": {"$ref": "#/components/schemas/RemovalSnapshot"}
                    }
                }}
            }
        },
        "NodeRef": {"type": "object", "required": ["id", "caption"], "properties": {"id": {"type": "string"}, "caption": {"type": "string"}}},
        "TimelineAnswer": {
            "type": "object",
            "required": ["window_days", "windows", "departure"],
            "properties": {
                "window_days": {"type": "integer"},
                "windows": {"type": "array", "items": {
                    "type": "object",
                    "required": ["start", "end", "nodes", "edges", "density", "degree_centralization", "betweenness_centralization", "components", "largest_share", "top_broker", "entered", "left"],
                    "properties": {
                        "start": {"type": "string"}, "end": {"type": "string"},
                        "nodes": {"type": "integer"}, "edges": {"type": "integer"}, "density": {"type": "number"},
                        "degree_centralization": {"type": "number"}, "betweenness_centralization": {"type": "number"},
                        "components": {"type": "integer"}, "largest_share": {"type": "number"},
                        "top_broker": {"oneOf": [{"$ref": "#/components/schemas/NodeRef"}, {"type": "null"}]},
                        "entered": {"type": "array", "items": {"$ref": "#/components/schemas/NodeRef"}},
                        "left": {"type": "array", "items": {"$ref": "#/components/schemas/NodeRef"}}
                    }
                }},
                "departure": {"oneOf": [{"type": "null"}, {
                    "type": "object",
                    "required": ["node", "last_window", "successors"],
                    "properties": {
                        "node": {"$ref": "#/components/schemas/NodeRef"},
                        "last_window": {"type": "integer"},
                        "successors": {"type": "array", "items": {
                            "type": "object",
                            "required": ["node", "score", "contacts_taken", "contacts_share", "brokerage_share"],
                            "properties": {
                                "node": {"$ref": "#/components/schemas/NodeRef"}, "score": {"type": "number"},
                                "contacts_taken": {"type": "integer"}, "contacts_share": {"type": "number"},
                                "brokerage_share": {"type": "number"}
                            }
                        }}
                    }
                }]}
            }
        },
        "PathAnswer": {
            "type": "object",
            "required": ["from", "to", "paths"],
            "properties": {
                "from": {"type": "string"}, "to": {"type": "string"},
                "paths": {"type": "array", "items": {
                    "type": "object",
                    "required": ["nodes", "captions", "hops"],
                    "properties": {
                        "nodes": {"type": "array", "items": {"type": "string"}},
                        "captions": {"type": "array", "items": {"type": "string"}},
                        "hops": {"type": "array", "items": {
                            "type": "object",
                            "required": ["from", "to", "edges", "statement_ids", "observed"],
                            "properties": {
                                "from": {"type": "string"}, "to": {"type": "string"},
                                "edges": {"type": "array", "items": {"$ref": "#/components/schemas/NetworkEdge"}},
                                "statement_ids": {"type": "array", "items": {"type": "integer"}},
                                "observed": {"type": ["string", "null"], "description": "For a time-ordered path, the date of the link used."}
                            }
                        }}
                    }
                }}
            }
        }
    })
}

/// The threat picture endpoint (docs/picture.md).
fn picture_paths() -> Value {
    json!({
        "/api/picture": {"get": {
            "operationId": "getPicture", "tags": ["picture"],
            "summary": "The threat picture built from the reports you may see: figures by stream, route, country, nationality and modus operandi with their periods, confidence (1 − Π(1 − best grading confidence per agency)) and number of independent agencies; monthly series per stream and route with change points; organised crime groups ranked. Partner liaison officers always receive sanitised counts. Audited as read_picture.",
            "parameters": [
                query_param("by", "Comma-separated dimensions: stream, route, country, nationality, mo (all when absent).", json!({"type": "string"})),
                query_param("period", "month (default) or quarter.", json!({"type": "string", "enum": ["month", "quarter"]})),
                query_param("from", "First report date included: YYYY, YYYY-MM or YYYY-MM-DD.", json!({"type": "string"})),
                query_param("until", "Last report date included: YYYY, YYYY-MM or YYYY-MM-DD (a year or month includes all of it).", json!({"type": "string"})),
                query_param("sanitise", "Sanitise counts as for partners: true or false (default false; always true for partner liaison officers).", json!({"type": "boolean"})),
                query_param("groups", "Organised crime groups listed (0 to 100, default 10).", json!({"type": "integer", "minimum": 0, "maximum": 100}))
            ],
            "responses": responses(ok_json("The picture", "Picture"), &["400", "401", "500"])
        }},
        "/picture": {"get": {
            "operationId": "pagePicture", "tags": ["web UI"],
            "summary": "Web UI: the threat-picture dashboard (the same picture as GET /api/picture, charts drawn as inline SVG on the server), audited as read_picture",
            "parameters": [
                query_param("period", "month (default) or quarter.", json!({"type": "string", "enum": ["month", "quarter"]})),
                query_param("from", "First report date included.", json!({"type": "string"})),
                query_param("until", "Last report date included.", json!({"type": "string"})),
                query_param("sanitise", "Show the picture sanitised, as partners see it.", json!({"type": "boolean"}))
            ],
            "responses": html_responses(&["400", "403", "500"])
        }}
    })
}

/// The schemas of the threat picture.
fn picture_schemas() -> Value {
    let count = json!({"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "enum": ["<5"]}], "description": "A count; when sanitised, rounded to the nearest 5 or \"<5\"."});
    json!({
        "PictureFigure": {
            "type": "object",
            "required": ["key", "label", "reports", "entities", "by_kind", "agencies", "confidence", "periods"],
            "properties": {
                "key": {"type": "string"}, "label": {"type": "string"},
                "reports": count, "entities": count,
                "by_kind": {"type": "object", "additionalProperties": count},
                "agencies": {"type": "integer", "description": "Independent agencies whose reports carry it."},
                "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                "periods": {"type": "array", "items": {"type": "object", "required": ["period", "reports"], "properties": {"period": {"type": "string"}, "reports": count}}}
            }
        },
        "PictureSeries": {
            "type": "object",
            "required": ["by", "key", "start", "changes"],
            "properties": {
                "by": {"type": "string"}, "key": {"type": "string"}, "start": {"type": "string", "description": "YYYY-MM"},
                "counts": {"type": ["array", "null"], "items": {"type": "integer"}, "description": "Null when sanitised."},
                "last_twelve_months_change": {"type": ["number", "null"]},
                "changes": {"type": "array", "items": {"type": "object", "required": ["month", "direction"], "properties": {"month": {"type": "string"}, "direction": {"type": "string", "enum": ["up", "down"]}, "level_before": {"type": ["number", "null"]}, "level_after": {"type": ["number", "null"]}}}}
            }
        },
        "Picture": {
            "type": "object",
            "required": ["period", "sanitised", "reports", "agencies", "sections", "series", "groups"],
            "properties": {
                "from": {"type": ["string", "null"]}, "until": {"type": ["string", "null"]},
                "period": {"type": "string", "enum": ["month", "quarter"]},
                "sanitised": {"type": "boolean"},
                "method": {"type": ["string", "null"], "description": "The sanitising method, when sanitised."},
                "reports": count,
                "agencies": {"type": "integer"},
                "sections": {"type": "array", "items": {"type": "object", "required": ["by", "figures", "withheld"], "properties": {"by": {"type": "string"}, "figures": {"type": "array", "items": {"$ref": "#/components/schemas/PictureFigure"}}, "withheld": {"type": "integer", "description": "Figures withheld by sanitising."}}}},
                "series": {"type": "array", "items": {"$ref": "#/components/schemas/PictureSeries"}},
                "groups": {"type": "array", "items": {"type": "object", "required": ["rank", "id", "name", "band", "priority", "confidence", "members"], "properties": {"rank": {"type": "integer"}, "id": {"type": "string"}, "name": {"type": "string"}, "band": {"type": "string"}, "priority": {"type": "integer"}, "confidence": {"type": "integer"}, "members": count, "last_activity": {"type": ["string", "null"]}}}}
            }
        }
    })
}

/// A JSON request body of a schema.
fn json_body(schema: &str) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

/// A 201 response with the created record, and the errors of a change.
fn created(description: &str, schema: &str) -> Value {
    with(
        serde_json::Map::from_iter([("201".to_string(), ok_json(description, schema))]),
        error_responses(&["400", "401", "403", "500"]),
    )
}

/// A downloadable file's 200 response.
fn file_response(description: &str, types: &[&str]) -> Value {
    let content: serde_json::Map<String, Value> =
        types.iter().map(|t| ((*t).to_string(), json!({"schema": {"type": "string"}}))).collect();
    json!({"description": description, "content": content})
}

/// The review's query parameters.
fn review_params() -> Value {
    json!([
        query_param(
            "as_of",
            "Date of the review, YYYY-MM-DD (default: the latest date of what you may see, or today if earlier).",
            json!({"type": "string"})
        ),
        query_param(
            "window",
            "Days before and after each disruption compared (7 to 730, default 90).",
            json!({"type": "integer", "minimum": 7, "maximum": 730})
        ),
        query_param(
            "period",
            "quarter (default) or month: the periods of the returns table.",
            json!({"type": "string", "enum": ["quarter", "month"]})
        )
    ])
}

/// The paths of the Strategic Action Plan, the disruption log, the review and the meeting papers.
fn plan_paths() -> Value {
    json!({
        "/api/plan": {"get": {
            "operationId": "getPlan", "tags": ["plan"],
            "summary": "The Strategic Action Plan as you may see it: the four streams' leads and every action with its stream, objective, agency, owner, dates, status history and targets (groups you may not see are left out). Audited as read_plan.",
            "responses": responses(ok_json("The plan", "Plan"), &["401", "500"])
        }},
        "/api/plan/actions": {"post": {
            "operationId": "addAction", "tags": ["plan"],
            "summary": "Add an action to the plan (analysts, investigators, stream leads, administrators). Targets: group (an organisation id you may see), route, country, nationality, mo, stream. Audited as plan_action_add.",
            "requestBody": json_body("NewAction"),
            "responses": created("The action as stored", "Action")
        }},
        "/api/plan/actions/{id}/status": {"post": {
            "operationId": "setActionStatus", "tags": ["plan"],
            "summary": "Change an action's status; appended to its history with the note. Audited as plan_action_status.",
            "parameters": [id_param("Action id")],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["planned", "in_progress", "complete", "cancelled"]}, "note": {"type": "string"}}}}}},
            "responses": responses(ok_json("The action", "Action"), &["400", "401", "403", "404", "500"])
        }},
        "/api/disruptions": {
            "get": {
                "operationId": "getDisruptions", "tags": ["plan"],
                "summary": "The disruption log as you may see it, newest first; subjects, defendants and evidence you may not see are left out (counted in other_subjects). Audited as read_disruptions.",
                "parameters": [query_param("group", "Only disruptions recorded against this organisation id.", json!({"type": "string"}))],
                "responses": responses(json!({"description": "Disruptions", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Disruption"}}}}}), &["400", "401", "500"])
            },
            "post": {
                "operationId": "recordDisruption", "tags": ["plan"],
                "summary": "Record a disruption. The written impact criteria grade it; a recorded impact that differs needs impact_reason. Audited as disruption_record.",
                "requestBody": json_body("NewDisruption"),
                "responses": created("The disruption as stored", "Disruption")
            }
        },
        "/api/disruptions/criteria": {"get": {
            "operationId": "getImpactCriteria", "tags": ["plan"],
            "summary": "The written criteria of the impact levels (major, moderate, minor) in force.",
            "responses": responses(json!({"description": "Criteria, major first", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object", "required": ["level", "text"], "properties": {"level": {"type": "string", "enum": ["major", "moderate", "minor"]}, "text": {"type": "string"}}}}}}}), &["401", "500"])
        }},
        "/api/disruptions/{id}": {"get": {
            "operationId": "getDisruption", "tags": ["plan"],
            "summary": "One disruption, if you may see it. Audited as read_disruption.",
            "parameters": [id_param("Disruption id")],
            "responses": responses(ok_json("The disruption", "Disruption"), &["400", "401", "404", "500"])
        }},
        "/api/review": {"get": {
            "operationId": "getReview", "tags": ["plan"],
            "summary": "The sufficiency and impact review of what you may see (docs/review.md): coverage of priority threats and groups by live actions per stream, the impact that followed each disruption, estimated criminal revenue against assets denied, and headlines. Refused for partner liaison officers and auditors. Audited as read_review.",
            "parameters": review_params(),
            "responses": responses(ok_json("The review", "Review"), &["400", "401", "403", "500"])
        }},
        "/api/review/{table}": {"get": {
            "operationId": "getReviewCsv", "tags": ["plan"],
            "summary": "A table of the review as CSV: coverage.csv, impact.csv or returns.csv. Audited as read_review.",
            "parameters": [{"name": "table", "in": "path", "required": true, "schema": {"type": "string", "enum": ["coverage.csv", "impact.csv", "returns.csv"]}}],
            "responses": with(serde_json::Map::from_iter([("200".to_string(), file_response("CSV", &["text/csv"]))]), error_responses(&["400", "401", "403", "404", "500"]))
        }},
        "/reports/{name}": {"get": {
            "operationId": "getReport", "tags": ["plan"],
            "summary": "The meeting papers, generated offline from what you may see and marked with the highest classification behind them: threat-assessment.html, threat-assessment.pdf, threat-assessment.csv, review.html, review.pdf. Audited as export_report. The review takes the review's parameters, the threat assessment the picture's.",
            "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string", "enum": ["threat-assessment.html", "threat-assessment.pdf", "threat-assessment.csv", "review.html", "review.pdf"]}}],
            "responses": with(serde_json::Map::from_iter([("200".to_string(), file_response("The paper", &["text/html", "application/pdf", "text/csv"]))]), error_responses(&["400", "401", "403", "404", "500"]))
        }},
        "/plan": {"get": {
            "operationId": "pagePlan", "tags": ["web UI"],
            "summary": "Web UI: the action-plan board (a column per stream with its lead and actions; keepers change an action's status). Audited as read_plan.",
            "responses": html_responses(&["403", "500"])
        }},
        "/plan/actions/{id}/status": {"post": {
            "operationId": "pageSetActionStatus", "tags": ["web UI"],
            "summary": "Web UI: the board's status form (status, note, csrf); back to the board.",
            "parameters": [id_param("Action id")],
            "responses": {"303": {"description": "Back to /plan"}, "400": {"description": "HTML error page"}, "404": {"description": "HTML error page"}}
        }},
        "/disruptions": {
            "get": {
                "operationId": "pageDisruptions", "tags": ["web UI"],
                "summary": "Web UI: the disruption log with each disruption's assets, prosecutions, evidence and grading, and the written impact criteria. Audited as read_disruptions.",
                "parameters": [query_param("group", "Only this organisation id's disruptions.", json!({"type": "string"}))],
                "responses": html_responses(&["403", "500"])
            },
            "post": {
                "operationId": "pageRecordDisruption", "tags": ["web UI"],
                "summary": "Web UI: the log's record form (one asset line, csrf); back to the log, or an error page naming the field. Audited as disruption_record.",
                "responses": {"303": {"description": "Back to /disruptions"}, "400": {"description": "HTML error page"}, "403": {"description": "HTML error page"}}
            }
        },
        "/review": {"get": {
            "operationId": "pageReview", "tags": ["web UI"],
            "summary": "Web UI: the sufficiency and impact review with its charts, and links to the HTML, PDF and CSV papers. Audited as read_review.",
            "parameters": review_params(),
            "responses": html_responses(&["400", "403", "500"])
        }}
    })
}

/// The schemas of the plan, the log and the review (their fields are those of docs/plan.md and docs/review.md).
fn plan_schemas() -> Value {
    let target = json!({"type": "object", "required": ["kind", "id"], "properties": {"kind": {"type": "string", "enum": ["group", "route", "country", "nationality", "mo", "stream"]}, "id": {"type": "string"}, "label": {"type": "string"}}});
    let markings = json!({"$ref": "#/components/schemas/Markings"});
    json!({
        "Plan": {"type": "object", "required": ["stream_leads", "actions"], "properties": {
            "stream_leads": {"type": "array", "items": {"type": "object", "required": ["stream", "agency", "lead"], "properties": {"stream": {"type": "string"}, "label": {"type": "string"}, "agency": {"type": "string"}, "lead": {"type": "string"}, "banner": {"type": "string"}}}},
            "actions": {"type": "array", "items": {"$ref": "#/components/schemas/Action"}}
        }},
        "NewAction": {"type": "object", "required": ["reference", "stream", "objective", "title", "agency", "owner", "markings"], "properties": {
            "reference": {"type": "string"}, "stream": {"type": "string", "enum": ["facilitation", "clandestine_entry", "false_documentation", "abuse_of_legitimate_entry"]},
            "objective": {"type": "string"}, "title": {"type": "string"}, "agency": {"type": "string"}, "owner": {"type": "string"},
            "start": {"type": "string", "description": "YYYY-MM-DD"}, "due": {"type": "string", "description": "YYYY-MM-DD"},
            "status": {"type": "string", "enum": ["planned", "in_progress", "complete", "cancelled"]},
            "targets": {"type": "array", "items": target}, "markings": markings, "handling": {"type": "string", "description": "\"P\" or \"C: conditions\""}
        }},
        "Action": {"type": "object", "required": ["id", "reference", "stream", "status", "targets", "history", "banner"], "properties": {
            "id": {"type": "integer"}, "reference": {"type": "string"}, "stream": {"type": "string"}, "status": {"type": "string"},
            "targets": {"type": "array", "items": target}, "history": {"type": "array", "items": {"type": "object"}}, "banner": {"type": "string"}
        }},
        "NewDisruption": {"type": "object", "required": ["reference", "kind", "date", "agency", "summary", "impact", "markings"], "properties": {
            "reference": {"type": "string"},
            "kind": {"type": "string", "enum": ["arrest", "charge", "conviction", "seizure", "asset_restraint", "confiscation", "social_media_takedown", "vessel_interdiction", "travel_order", "financial_order"]},
            "date": {"type": "string"}, "agency": {"type": "string"}, "group": {"type": "string"}, "subjects": {"type": "array", "items": {"type": "string"}},
            "summary": {"type": "string"}, "evidence": {"type": "array", "items": {"type": "string"}}, "action": {"type": "string"}, "accounts": {"type": "integer"},
            "impact": {"type": "string", "enum": ["major", "moderate", "minor"]}, "impact_reason": {"type": "string"},
            "assets": {"type": "array", "items": {"type": "object", "required": ["kind", "description", "status"], "properties": {"kind": {"type": "string"}, "description": {"type": "string"}, "quantity": {"type": "integer"}, "value_gbp": {"type": "number"}, "status": {"type": "string", "enum": ["seized", "restrained", "confiscated", "forfeited", "returned"]}}}},
            "prosecutions": {"type": "array", "items": {"type": "object", "required": ["defendant", "charge", "status"], "properties": {"defendant": {"type": "string"}, "charge": {"type": "string"}, "status": {"type": "string", "enum": ["charged", "awaiting_trial", "convicted", "acquitted", "discontinued"]}, "date": {"type": "string"}, "outcome": {"type": "string"}}}},
            "markings": markings, "handling": {"type": "string"}
        }},
        "Disruption": {"type": "object", "required": ["id", "reference", "kind", "date", "impact", "assessed", "other_subjects", "denied_gbp", "banner"], "properties": {
            "id": {"type": "integer"}, "reference": {"type": "string"}, "kind": {"type": "string"}, "date": {"type": "string"},
            "impact": {"type": "string"}, "assessed": {"type": "object", "properties": {"level": {"type": "string"}, "reasons": {"type": "array", "items": {"type": "string"}}}},
            "other_subjects": {"type": "integer"}, "denied_gbp": {"type": "number"}, "banner": {"type": "string"}
        }},
        "Review": {"type": "object", "required": ["as_of", "window_days", "coverage", "impacts", "returns", "headlines"], "properties": {
            "as_of": {"type": "string"}, "window_days": {"type": "integer"}, "coverage": {"type": "object"}, "impacts": {"type": "object"}, "returns": {"type": "object"},
            "headlines": {"type": "array", "items": {"type": "string"}}
        }}
    })
}
