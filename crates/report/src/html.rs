//! The HTML renderer: one self-contained HTML5 file (inline CSS, charts and
//! the map as inline SVG, no external resource of any kind).

use std::fmt::Write as _;

use crate::document::{Align, Block, Document, Table};
use crate::text::escape_html as esc;
use crate::{chart, map};

const STYLE: &str = r"
:root { color-scheme: light; }
body { font-family: Helvetica, Arial, sans-serif; color: #222; margin: 0; background: #fff; line-height: 1.45; }
main { max-width: 820px; margin: 0 auto; padding: 1rem 1.5rem 2rem; }
.banner { text-align: center; font-weight: bold; letter-spacing: .06em; padding: .3rem; background: #f2f2f2; border: 1px solid #999; }
header.title { border-bottom: 2px solid #222; margin-bottom: 1.2rem; padding-bottom: .6rem; }
header.title h1 { font-size: 1.8rem; margin: .8rem 0 .2rem; }
header.title .subtitle { font-size: 1.1rem; color: #444; margin: 0 0 .6rem; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0; font-size: .9rem; }
dl.meta dt { font-weight: bold; } dl.meta dd { margin: 0; }
h2 { font-size: 1.35rem; margin: 1.6rem 0 .5rem; } h3 { font-size: 1.1rem; margin: 1.2rem 0 .4rem; }
.key-figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .6rem; margin: 1rem 0; }
.key-figure { border: 1px solid #ccc; border-left: 4px solid #0072b2; padding: .5rem .7rem; }
.key-figure .value { font-size: 1.6rem; font-weight: bold; display: block; }
.key-figure .label { font-size: .85rem; display: block; } .key-figure .note { font-size: .8rem; color: #555; display: block; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0 .3rem; font-size: .9rem; }
caption { text-align: left; font-weight: bold; padding-bottom: .3rem; }
th, td { border-bottom: 1px solid #ccc; padding: .25rem .5rem; vertical-align: top; text-align: left; }
th { border-bottom: 2px solid #222; } .num { text-align: right; font-variant-numeric: tabular-nums; }
.table-note, figcaption { font-size: .8rem; color: #555; }
figure { margin: 1.2rem 0; } figure svg { max-width: 100%; height: auto; display: block; }
@media print {
  @page { size: A4 portrait; margin: 22mm 18mm; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  .banner { position: fixed; left: 0; right: 0; background: none; border: none; font-size: 9pt; }
  .banner.top { top: -14mm; } .banner.bottom { bottom: -14mm; }
  .page-break { break-after: page; }
  figure, .key-figures, tr, h2, h3 { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  thead { display: table-header-group; }
}
";

/// Renders the document as one self-contained HTML5 file.
#[must_use]
pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    let banner = esc(&doc.banner);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"Tessera\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        if doc.title.trim().is_empty() { String::from("Report") } else { esc(&doc.title) }
    );
    if !doc.banner.trim().is_empty() {
        let _ = writeln!(out, "<div class=\"banner top\" role=\"note\">{banner}</div>");
    }
    out.push_str("<main>\n<header class=\"title\">\n");
    let _ = writeln!(out, "<h1>{}</h1>", esc(&doc.title));
    if let Some(subtitle) = &doc.subtitle {
        let _ = writeln!(out, "<p class=\"subtitle\">{}</p>", esc(subtitle));
    }
    if !doc.meta.is_empty() {
        out.push_str("<dl class=\"meta\">\n");
        for (label, value) in &doc.meta {
            let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", esc(label), esc(value));
        }
        out.push_str("</dl>\n");
    }
    out.push_str("</header>\n");
    for block in &doc.blocks {
        block_html(&mut out, block);
    }
    out.push_str("</main>\n");
    if !doc.banner.trim().is_empty() {
        let _ = writeln!(out, "<div class=\"banner bottom\" role=\"note\">{banner}</div>");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// Styles for [`render_fragment`], scoped to `.tessera-report` so they fit inside another page.
pub const FRAGMENT_STYLE: &str = r"
.tessera-report .key-figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .6rem; margin: 1rem 0; }
.tessera-report .key-figure { border: 1px solid #ccc; border-left: 4px solid #0072b2; padding: .5rem .7rem; }
.tessera-report .key-figure .value { font-size: 1.4rem; font-weight: bold; display: block; }
.tessera-report .key-figure .label, .tessera-report .key-figure .note { font-size: .85rem; display: block; }
.tessera-report table { border-collapse: collapse; width: 100%; margin: 1rem 0 .3rem; font-size: .9rem; }
.tessera-report caption { text-align: left; font-weight: bold; padding-bottom: .3rem; }
.tessera-report th, .tessera-report td { border-bottom: 1px solid #ccc; padding: .25rem .5rem; vertical-align: top; text-align: left; }
.tessera-report .num { text-align: right; font-variant-numeric: tabular-nums; }
.tessera-report .table-note, .tessera-report figcaption { font-size: .8rem; color: #555; }
.tessera-report figure { margin: 1.2rem 0; } .tessera-report figure svg { max-width: 100%; height: auto; display: block; }
";

/// Renders only the document's blocks, inside `<div class="tessera-report">`, for a page that has its
/// own header, banner and styles (add [`FRAGMENT_STYLE`]); the title and metadata are the caller's.
#[must_use]
pub fn render_fragment(doc: &Document) -> String {
    let mut out = String::from("<div class=\"tessera-report\">\n");
    for block in &doc.blocks {
        block_html(&mut out, block);
    }
    out.push_str("</div>\n");
    out
}

fn block_html(out: &mut String, block: &Block) {
    match block {
        Block::Heading { level, text } => {
            // Level 1 is the document's <h1>, so sections start at <h2>.
            let tag = if *level <= 1 { "h2" } else { "h3" };
            let _ = writeln!(out, "<{tag}>{}</{tag}>", esc(text));
        }
        Block::Paragraph(text) => {
            let _ = writeln!(out, "<p>{}</p>", esc(text));
        }
        Block::Bullets(items) => {
            if items.is_empty() {
                return;
            }
            out.push_str("<ul>\n");
            for item in items {
                let _ = writeln!(out, "<li>{}</li>", esc(item));
            }
            out.push_str("</ul>\n");
        }
        Block::KeyFigures(figures) => {
            if figures.is_empty() {
                return;
            }
            out.push_str("<div class=\"key-figures\">\n");
            for f in figures {
                let _ = write!(
                    out,
                    "<div class=\"key-figure\"><span class=\"value\">{}</span><span class=\"label\">{}</span>",
                    esc(&f.value),
                    esc(&f.label)
                );
                if let Some(note) = &f.note {
                    let _ = write!(out, "<span class=\"note\">{}</span>", esc(note));
                }
                out.push_str("</div>\n");
            }
            out.push_str("</div>\n");
        }
        Block::Table(table) => table_html(out, table),
        Block::Chart(c) => {
            let scene = chart::layout(c);
            let _ = writeln!(out, "<figure class=\"chart\">{}</figure>", scene.to_svg());
        }
        Block::Map(m) => {
            let scene = map::layout(m);
            let _ = writeln!(out, "<figure class=\"map\">{}</figure>", scene.to_svg());
        }
        Block::PageBreak => out.push_str("<div class=\"page-break\" aria-hidden=\"true\"></div>\n"),
    }
}

fn table_html(out: &mut String, table: &Table) {
    // Without declared columns the widest row decides; otherwise rows are padded or cut.
    let columns =
        if table.columns.is_empty() { table.rows.iter().map(Vec::len).max().unwrap_or(0) } else { table.columns.len() };
    out.push_str("<table>\n");
    let _ = writeln!(out, "<caption>{}</caption>", esc(&table.caption));
    let class = |i: usize| match table.columns.get(i).map(|c| c.align) {
        Some(Align::Right) => " class=\"num\"",
        _ => "",
    };
    if !table.columns.is_empty() {
        out.push_str("<thead><tr>");
        for (i, c) in table.columns.iter().enumerate() {
            let _ = write!(out, "<th scope=\"col\"{}>{}</th>", class(i), esc(&c.title));
        }
        out.push_str("</tr></thead>\n");
    }
    out.push_str("<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for i in 0..columns {
            let cell = row.get(i).map_or("", String::as_str);
            let _ = write!(out, "<td{}>{}</td>", class(i), esc(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    if let Some(note) = &table.note {
        let _ = writeln!(out, "<p class=\"table-note\">{}</p>", esc(note));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Chart, Column, Series};

    #[test]
    fn the_page_is_self_contained_accessible_and_escaped() {
        let doc = Document {
            title: "Threat <assessment>".into(),
            subtitle: Some("Q3 & Q4".into()),
            banner: "OFFICIAL-SENSITIVE".into(),
            meta: vec![("Prepared for".into(), "Threat group".into())],
            blocks: vec![
                Block::Heading { level: 1, text: "Summary".into() },
                Block::Paragraph("<script>alert(1)</script>".into()),
                Block::Table(Table {
                    caption: "Routes".into(),
                    columns: vec![
                        Column { title: "Route".into(), align: Align::Left },
                        Column { title: "n".into(), align: Align::Right },
                    ],
                    rows: vec![vec!["Channel".into()], vec!["a".into(), "1".into(), "extra".into()]],
                    note: None,
                }),
                Block::Chart(Chart::Bars {
                    title: "Bars".into(),
                    categories: vec!["x".into()],
                    series: vec![Series { name: "s".into(), values: vec![1.0] }],
                    unit: String::new(),
                }),
            ],
        };
        let html = render(&doc);
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(html.contains("<title>Threat &lt;assessment&gt;</title>"));
        assert_eq!(html.matches("OFFICIAL-SENSITIVE").count(), 2);
        assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"));
        assert!(html.contains("<caption>Routes</caption>"));
        assert!(html.contains("<td>Channel</td><td class=\"num\"></td></tr>"));
        assert!(!html.contains("extra"));
        assert!(html.contains("<figure class=\"chart\"><svg") && html.contains("role=\"img\""));
        assert!(
            !html.contains("http://")
                || html.matches("http://").count() == html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
        );
        assert!(!html.contains("NaN"));
    }
}
