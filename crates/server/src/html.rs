//! Small HTML building blocks: escaping, URL encoding, the page layout,
//! marking banners and grading badges. Every piece of data that reaches a
//! page passes through [`esc`] (or [`enc`] inside URLs) exactly once.

use std::fmt::Write as _;

use crate::auth::{Caller, Via};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tessera_model::{Classification, EntityKind, Grading, Handling, Markings};

/// The start of every page up to `<body>`: the one stylesheet, nothing fetched from elsewhere.
pub(crate) fn document_head(title: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{} · Tessera</title>
<link rel="stylesheet" href="/static/tessera.css">
</head>
<body>"#,
        esc(title)
    )
}

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a path segment or query value (everything but RFC 3986 unreserved characters).
pub(crate) fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// The entity page's address.
pub(crate) fn entity_href(id: &str) -> String {
    format!("/entity/{}", enc(id))
}

/// The report page's address.
pub(crate) fn report_href(id: &str) -> String {
    format!("/report/{}", enc(id))
}

/// A search snippet, whose matches the store puts between `[` and `]`, as
/// HTML: escaped first, then the brackets turned into balanced `<mark>` tags.
pub(crate) fn highlight(snippet: &str) -> String {
    let escaped = esc(snippet);
    let mut out = String::with_capacity(escaped.len() + 32);
    let mut open = false;
    for c in escaped.chars() {
        match c {
            '[' if !open => {
                out.push_str("<mark>");
                open = true;
            }
            ']' if open => {
                out.push_str("</mark>");
                open = false;
            }
            c => out.push(c),
        }
    }
    if open {
        out.push_str("</mark>");
    }
    out
}

/// CSS class of a classification's colour.
pub(crate) fn classification_class(c: Classification) -> &'static str {
    match c {
        Classification::Official => "cls-official",
        Classification::OfficialSensitive => "cls-official-sensitive",
        Classification::Secret => "cls-secret",
        Classification::TopSecret => "cls-top-secret",
    }
}

/// The classification a banner line starts with (banners are produced by [`Markings::banner`]).
pub(crate) fn banner_classification(banner: &str) -> Classification {
    let b = banner.trim_start();
    if b.starts_with("TOP SECRET") {
        Classification::TopSecret
    } else if b.starts_with("SECRET") {
        Classification::Secret
    } else if b.starts_with("OFFICIAL-SENSITIVE") {
        Classification::OfficialSensitive
    } else {
        Classification::Official
    }
}

/// A compact marking chip for tables.
pub(crate) fn marking_chip(banner: &str) -> String {
    format!(r#"<span class="marking {}">{}</span>"#, classification_class(banner_classification(banner)), esc(banner))
}

/// The full-width banner at the top (and bottom) of a report or statement.
pub(crate) fn banner(markings: &Markings) -> String {
    let owner = if markings.owner.is_empty() {
        String::new()
    } else {
        format!(r#" <span class="owner">owner {}</span>"#, esc(&markings.owner))
    };
    format!(
        r#"<div class="banner {}" role="note" aria-label="protective marking">{}{owner}</div>"#,
        classification_class(markings.classification),
        esc(&markings.banner())
    )
}

/// What a handling code means.
pub(crate) fn handling_meaning(h: &Handling) -> String {
    match h {
        Handling::Permitted => "P: lawful sharing permitted".to_string(),
        Handling::Conditions(c) => format!("C: lawful sharing permitted with conditions: {c}"),
    }
}

/// The meaning of a grade in words, for tooltips.
pub(crate) fn grading_meaning(g: &Grading) -> String {
    let mut out = format!(
        "Source {}: {}. Intelligence {}: {}. Handling {}",
        g.source.code(),
        g.source.label(),
        g.intelligence.code(),
        g.intelligence.label(),
        handling_meaning(&g.handling)
    );
    if let Some(original) = &g.original {
        let _ = write!(out, ". Mapped from {} {}", original.scheme.name(), original.code);
    }
    out
}

/// A grade badge with its meaning as a tooltip.
pub(crate) fn grading_badge(g: &Grading) -> String {
    let original = match &g.original {
        Some(o) => format!(r#" <span class="original-grade">from {} {}</span>"#, esc(o.scheme.name()), esc(&o.code)),
        None => String::new(),
    };
    format!(
        r#"<abbr class="grading" data-grading="{code}" title="{title}">{code}</abbr>{original}"#,
        code = esc(&g.code()),
        title = esc(&grading_meaning(g))
    )
}

/// A kind label.
pub(crate) fn kind_chip(kind: EntityKind) -> String {
    format!(r#"<span class="kind kind-{0}">{0}</span>"#, esc(kind.name()))
}

/// A complete page.
pub(crate) struct Page<'a> {
    /// `<title>`.
    pub title: String,
    /// Who is asking: shown in the top bar, with a logout button or the single-user notice.
    pub caller: &'a Caller,
    /// The query to keep in the search box.
    pub query: &'a str,
    /// Main content (already HTML).
    pub body: String,
}

impl Page<'_> {
    /// Renders the page with the given status.
    pub(crate) fn render(self, status: StatusCode) -> Response {
        let v = &self.caller.viewer;
        let session = match self.caller.via {
            Via::Cookie => format!(
                r#" <form class="logout" method="post" action="/logout"><input type="hidden" name="csrf" value="{}"><button type="submit">Log out</button></form>"#,
                esc(&self.caller.csrf)
            ),
            Via::Bearer => String::new(),
            Via::SingleUser => String::new(),
        };
        let audit_link =
            if v.role.reads_audit() { r#" <a class="audit-link" href="/audit">Audit log</a>"# } else { "" };
        // The review is the threat group's own document: partners are refused it, so not offered it.
        let review_link = if tessera_picture::review::may_review(v) {
            r#" <a class="review-link" href="/review">Review</a>"#
        } else {
            ""
        };
        let matches_link = if v.role.reads_intelligence() {
            format!(
                r#" <a class="groups-link" href="/groups">Groups</a> <a class="map-link" href="/map">Map</a> <a class="picture-link" href="/picture">Picture</a> <a class="plan-link" href="/plan">Plan</a> <a class="disruptions-link" href="/disruptions">Disruptions</a>{review_link} <a class="matches-link" href="/matches">Possible matches</a>"#
            )
        } else {
            String::new()
        };
        let notice = if self.caller.via == Via::SingleUser {
            r#"<div class="single-user-notice" role="note">Single-user mode: this data directory has no users, so there is no login and every request acts as the local operator. Add users with <code>tessera user add</code> to require login.</div>"#
        } else {
            ""
        };
        let compartments = if v.compartments.is_empty() {
            String::new()
        } else if v.compartments.contains("*") {
            r#" <span class="compartments">all compartments</span>"#.to_string()
        } else {
            let list: Vec<&str> = v.compartments.iter().map(String::as_str).collect();
            format!(r#" <span class="compartments">[{}]</span>"#, esc(&list.join(", ")))
        };
        let html = format!(
            r#"{head}
<header class="topbar">
<a class="brand" href="/">Tessera</a>
<form class="topsearch" method="get" action="/search" role="search">
<input type="search" name="q" value="{query}" placeholder="Name, phone, passport, IBAN, vessel, words…" aria-label="Search" autocomplete="off">
<button type="submit">Search</button>
</form>
<div class="viewer" title="Every request is recorded in the audit log">
<span class="user">{user}</span> <span class="agency">{agency}</span> <span class="role">{role}</span>
<span class="clearance {cls}">cleared {clearance}</span>{compartments}{matches_link}{audit_link}{session}
</div>
</header>
{notice}
<main>
{body}
</main>
<footer class="foot">Every search and read is written to the audit log as <b>{user}</b> ({agency}).</footer>
</body>
</html>
"#,
            head = document_head(&self.title),
            query = esc(self.query),
            user = esc(&v.user),
            agency = esc(&v.agency),
            role = esc(v.role.name()),
            cls = classification_class(v.clearance),
            clearance = esc(v.clearance.as_str()),
            body = self.body,
        );
        html_response(status, html)
    }
}

/// An HTML response with headers that keep the page self-contained.
pub(crate) fn html_response(status: StatusCode, html: String) -> Response {
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn encodes_ids_for_urls() {
        assert_eq!(enc("phone:+447700900123"), "phone%3A%2B447700900123");
        assert_eq!(enc("nca#12 a/b@c"), "nca%2312%20a%2Fb%40c");
        assert_eq!(enc("é"), "%C3%A9");
    }

    #[test]
    fn highlights_after_escaping_and_stays_balanced() {
        assert_eq!(highlight("met [Ahmed] <b>"), "met <mark>Ahmed</mark> &lt;b&gt;");
        assert_eq!(highlight("[open"), "<mark>open</mark>");
        assert_eq!(highlight("a] [b [c]"), "a] <mark>b [c</mark>");
        assert_eq!(highlight("[<script>]"), "<mark>&lt;script&gt;</mark>");
    }

    #[test]
    fn banners_map_to_colours() {
        assert_eq!(banner_classification("TOP SECRET [X]"), Classification::TopSecret);
        assert_eq!(banner_classification("SECRET [OP-X]"), Classification::Secret);
        assert_eq!(banner_classification("OFFICIAL-SENSITIVE"), Classification::OfficialSensitive);
        assert_eq!(banner_classification("OFFICIAL"), Classification::Official);
    }
}
