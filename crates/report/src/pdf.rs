//! The PDF renderer: A4 portrait, text wrapped with Helvetica's AFM metrics,
//! tables split across pages with their header repeated, charts and maps as
//! Form XObjects (`/Chart1`…, `/Map1`…), the banner at the top and bottom of
//! every page and "Page n of N" in the footer.
//!
//! The file is written directly (PDF 1.7, uncompressed streams, classic xref
//! table): the dozen kinds of objects needed do not justify a dependency, and
//! owning the writer keeps every byte offset under test.

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::document::{Align, Block, Document, KeyFigure, Table};
use crate::scene::{Scene, num, out_string};
use crate::text::{Font, to_win_ansi, width, wrap};
use crate::{chart, map};

const PAGE_WIDTH: f64 = 595.28;
const PAGE_HEIGHT: f64 = 841.89;
const MARGIN_X: f64 = 56.0;
const CONTENT_TOP: f64 = PAGE_HEIGHT - 66.0;
const CONTENT_BOTTOM: f64 = 66.0;
const CONTENT_WIDTH: f64 = PAGE_WIDTH - 2.0 * MARGIN_X;

const BODY_SIZE: f64 = 10.0;
const BODY_LEADING: f64 = 13.5;
const CELL_SIZE: f64 = 8.5;
const CELL_LEADING: f64 = 11.0;
const CELL_PAD: f64 = 4.0;

/// Renders the document as a PDF file dated now.
#[must_use]
pub fn render(doc: &Document) -> Vec<u8> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    render_at(doc, i64::try_from(now).unwrap_or(0))
}

/// Renders the document as a PDF file whose creation date is `unix_seconds`
/// (for reproducible output).
#[must_use]
pub fn render_at(doc: &Document, unix_seconds: i64) -> Vec<u8> {
    let mut layout = Layout::new();
    layout.title_block(doc);
    for block in &doc.blocks {
        layout.block(block);
    }
    write_file(doc, &layout, unix_seconds)
}

/// One laid-out page: its body content and the figures it shows.
#[derive(Debug, Default)]
struct Page {
    content: String,
    /// (resource name, index into `Layout::figures`).
    figures: Vec<(String, usize)>,
}

/// Flows blocks onto pages, top to bottom.
#[derive(Debug)]
struct Layout {
    pages: Vec<Page>,
    /// Current baseline position, from the bottom of the page.
    y: f64,
    figures: Vec<Scene>,
    charts: usize,
    maps: usize,
}

fn colour(r: u8, g: u8, b: u8) -> String {
    let c = |v: u8| num(f64::from(v) / 255.0);
    format!("{} {} {}", c(r), c(g), c(b))
}

impl Layout {
    fn new() -> Self {
        Layout { pages: vec![Page::default()], y: CONTENT_TOP, figures: Vec::new(), charts: 0, maps: 0 }
    }

    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.pages.push(Page::default());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn fresh(&self) -> bool {
        self.y >= CONTENT_TOP
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = CONTENT_TOP;
    }

    /// Starts a new page unless `height` fits below the cursor (or the page is empty).
    fn ensure(&mut self, height: f64) {
        if self.y - height < CONTENT_BOTTOM && !self.fresh() {
            self.new_page();
        }
    }

    /// Writes one line of text with its baseline at `baseline`.
    fn text_at(&mut self, x: f64, baseline: f64, bytes: &[u8], font: Font, size: f64, grey: bool) {
        if bytes.is_empty() {
            return;
        }
        let f = if font == Font::Bold { "/F2" } else { "/F1" };
        let fill = if grey { colour(0x55, 0x55, 0x55) } else { colour(0x22, 0x22, 0x22) };
        let mut s = format!("{fill} rg BT {f} {} Tf {} {} Td ", num(size), num(x), num(baseline));
        out_string(&mut s, bytes);
        s.push_str(" Tj ET\n");
        self.page().content.push_str(&s);
    }

    /// Wrapped text at `indent`, split across pages line by line.
    fn flow(&mut self, text: &str, font: Font, size: f64, leading: f64, indent: f64, grey: bool) {
        let lines = wrap(&to_win_ansi(text), font, size, CONTENT_WIDTH - indent);
        for line in lines {
            self.ensure(leading);
            self.y -= leading;
            self.text_at(MARGIN_X + indent, self.y + (leading - size) * 0.5, &line, font, size, grey);
        }
    }

    fn rule(&mut self, y: f64, x0: f64, x1: f64, width: f64, grey: u8) {
        let line = format!(
            "{} RG {} w [] 0 d {} {} m {} {} l S\n",
            colour(grey, grey, grey),
            num(width),
            num(x0),
            num(y),
            num(x1),
            num(y)
        );
        self.page().content.push_str(&line);
    }

    fn title_block(&mut self, doc: &Document) {
        self.flow(&doc.title, Font::Bold, 20.0, 25.0, 0.0, false);
        if let Some(subtitle) = &doc.subtitle {
            self.y -= 2.0;
            self.flow(subtitle, Font::Regular, 12.5, 16.0, 0.0, true);
        }
        if !doc.meta.is_empty() {
            self.y -= 6.0;
        }
        let label_width = 120.0;
        for (label, value) in &doc.meta {
            let labels = wrap(&to_win_ansi(label), Font::Bold, 9.0, label_width - 8.0);
            let values = wrap(&to_win_ansi(value), Font::Regular, 9.0, CONTENT_WIDTH - label_width);
            for i in 0..labels.len().max(values.len()) {
                self.ensure(12.0);
                self.y -= 12.0;
                let baseline = self.y + 2.0;
                if let Some(l) = labels.get(i) {
                    self.text_at(MARGIN_X, baseline, l, Font::Bold, 9.0, false);
                }
                if let Some(v) = values.get(i) {
                    self.text_at(MARGIN_X + label_width, baseline, v, Font::Regular, 9.0, false);
                }
            }
        }
        self.y -= 8.0;
        self.rule(self.y, MARGIN_X, MARGIN_X + CONTENT_WIDTH, 1.5, 0x22);
        self.y -= 10.0;
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading { level, text } => {
                let (size, leading) = if *level <= 1 { (15.0, 20.0) } else { (12.0, 16.0) };
                // Keep a heading with at least a few lines of what follows.
                self.ensure(leading + 8.0 + 3.0 * BODY_LEADING);
                if !self.fresh() {
                    self.y -= 8.0;
                }
                self.flow(text, Font::Bold, size, leading, 0.0, false);
                self.y -= 2.0;
            }
            Block::Paragraph(text) => {
                self.flow(text, Font::Regular, BODY_SIZE, BODY_LEADING, 0.0, false);
                self.y -= 6.0;
            }
            Block::Bullets(items) => {
                for item in items {
                    let lines = wrap(&to_win_ansi(item), Font::Regular, BODY_SIZE, CONTENT_WIDTH - 16.0);
                    for (i, line) in lines.iter().enumerate() {
                        self.ensure(BODY_LEADING);
                        self.y -= BODY_LEADING;
                        let baseline = self.y + 2.0;
                        if i == 0 {
                            self.text_at(
                                MARGIN_X + 4.0,
                                baseline,
                                &to_win_ansi("\u{2022}"),
                                Font::Regular,
                                BODY_SIZE,
                                false,
                            );
                        }
                        self.text_at(MARGIN_X + 16.0, baseline, line, Font::Regular, BODY_SIZE, false);
                    }
                }
                self.y -= 6.0;
            }
            Block::KeyFigures(figures) => {
                for row in figures.chunks(4) {
                    self.key_figures(row);
                }
                self.y -= 4.0;
            }
            Block::Table(table) => self.table(table),
            Block::Chart(c) => {
                self.charts += 1;
                let name = format!("Chart{}", self.charts);
                self.figure(chart::layout(c), name);
            }
            Block::Map(m) => {
                self.maps += 1;
                let name = format!("Map{}", self.maps);
                self.figure(map::layout(m), name);
            }
            Block::PageBreak => {
                if !self.fresh() {
                    self.new_page();
                }
            }
        }
    }

    fn key_figures(&mut self, row: &[KeyFigure]) {
        const GAP: f64 = 8.0;
        #[allow(clippy::cast_precision_loss)] // at most four per row
        let n = row.len() as f64;
        let box_width = (CONTENT_WIDTH - GAP * (n - 1.0)) / n;
        let inner = box_width - 14.0;
        let cells: Vec<_> = row
            .iter()
            .map(|f| {
                let value = wrap(&to_win_ansi(&f.value), Font::Bold, 16.0, inner);
                let label = wrap(&to_win_ansi(&f.label), Font::Regular, 8.5, inner);
                let note =
                    f.note.as_deref().map(|n| wrap(&to_win_ansi(n), Font::Regular, 7.5, inner)).unwrap_or_default();
                (value, label, note)
            })
            .collect();
        #[allow(clippy::cast_precision_loss)]
        let height = cells
            .iter()
            .map(|(v, l, n)| 10.0 + v.len() as f64 * 19.0 + l.len() as f64 * 10.5 + n.len() as f64 * 9.0)
            .fold(0.0, f64::max)
            .min(CONTENT_TOP - CONTENT_BOTTOM - 10.0);
        self.ensure(height + 6.0);
        self.y -= 4.0;
        let top = self.y;
        for (i, (value, label, note)) in cells.iter().enumerate() {
            #[allow(clippy::cast_precision_loss)]
            let x = MARGIN_X + i as f64 * (box_width + GAP);
            let frame = format!(
                "{} RG 0.6 w [] 0 d {} {} {} {} re S {} rg {} {} 3 {} re f\n",
                colour(0xbb, 0xbb, 0xbb),
                num(x),
                num(top - height),
                num(box_width),
                num(height),
                colour(0x00, 0x72, 0xb2),
                num(x),
                num(top - height),
                num(height)
            );
            self.page().content.push_str(&frame);
            let mut y = top - 4.0;
            for (lines, font, size, leading, grey) in [
                (value, Font::Bold, 16.0, 19.0, false),
                (label, Font::Regular, 8.5, 10.5, false),
                (note, Font::Regular, 7.5, 9.0, true),
            ] {
                for line in lines {
                    y -= leading;
                    if y < top - height {
                        break;
                    }
                    self.text_at(x + 9.0, y + (leading - size) * 0.4, line, font, size, grey);
                }
            }
        }
        self.y = top - height - 6.0;
    }

    fn table(&mut self, table: &Table) {
        let n = if table.columns.is_empty() {
            table.rows.iter().map(Vec::len).max().unwrap_or(0)
        } else {
            table.columns.len()
        };
        let caption = to_win_ansi(&table.caption);
        let header: Vec<String> =
            (0..n).map(|i| table.columns.get(i).map(|c| c.title.clone()).unwrap_or_default()).collect();
        let align = |i: usize| table.columns.get(i).map_or(Align::Left, |c| c.align);
        // Column widths in proportion to their natural widths, filling the text column.
        let natural: Vec<f64> = (0..n)
            .map(|i| {
                let head = width(&to_win_ansi(&header[i]), Font::Bold, CELL_SIZE);
                let body = table
                    .rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| width(&to_win_ansi(c), Font::Regular, CELL_SIZE))
                    .fold(0.0, f64::max);
                (head.max(body) + 2.0 * CELL_PAD).clamp(24.0, CONTENT_WIDTH * 0.45)
            })
            .collect();
        let total: f64 = natural.iter().sum();
        let widths: Vec<f64> = natural.iter().map(|w| w / total * CONTENT_WIDTH).collect();
        let lefts: Vec<f64> = widths
            .iter()
            .scan(MARGIN_X, |x, w| {
                let left = *x;
                *x += w;
                Some(left)
            })
            .collect();
        let wrap_cells = |cells: &[String], font: Font| -> Vec<Vec<Vec<u8>>> {
            (0..n)
                .map(|i| {
                    wrap(
                        &to_win_ansi(cells.get(i).map_or("", String::as_str)),
                        font,
                        CELL_SIZE,
                        widths[i] - 2.0 * CELL_PAD,
                    )
                })
                .collect()
        };
        let header_lines = wrap_cells(&header, Font::Bold);
        #[allow(clippy::cast_precision_loss)]
        let height_of = |cells: &[Vec<Vec<u8>>]| {
            cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f64 * CELL_LEADING + 2.0 * CELL_PAD - 3.0
        };
        let header_height = if table.columns.is_empty() { 0.0 } else { height_of(&header_lines) };
        let caption_height = if caption.is_empty() { 0.0 } else { 15.0 };
        // A row may use at most what an empty page leaves under the caption and header.
        let room = CONTENT_TOP - CONTENT_BOTTOM - caption_height - header_height - 4.0;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let max_lines = (((room - 2.0 * CELL_PAD + 3.0) / CELL_LEADING).floor().max(1.0)) as usize;

        let start = |layout: &mut Layout, continued: bool, first_row: f64| {
            layout.ensure(caption_height + header_height + first_row);
            if !caption.is_empty() {
                layout.y -= caption_height;
                let mut text = caption.clone();
                if continued {
                    text.extend_from_slice(b" (continued)");
                }
                layout.text_at(MARGIN_X, layout.y + 4.0, &text, Font::Bold, 10.0, false);
            }
            if header_height > 0.0 {
                let top = layout.y;
                let fill = format!(
                    "{} rg {} {} {} {} re f\n",
                    colour(0xee, 0xee, 0xee),
                    num(MARGIN_X),
                    num(top - header_height),
                    num(CONTENT_WIDTH),
                    num(header_height)
                );
                layout.page().content.push_str(&fill);
                layout.cells(&header_lines, &lefts, &widths, &align, top, Font::Bold);
                layout.y = top - header_height;
                layout.rule(layout.y, MARGIN_X, MARGIN_X + CONTENT_WIDTH, 1.0, 0x22);
            }
        };
        let rows: Vec<Vec<Vec<Vec<u8>>>> = table
            .rows
            .iter()
            .map(|r| {
                let mut cells = wrap_cells(r, Font::Regular);
                for cell in &mut cells {
                    if cell.len() > max_lines {
                        cell.truncate(max_lines);
                        if let Some(last) = cell.last_mut() {
                            last.extend_from_slice(&to_win_ansi("\u{2026}"));
                        }
                    }
                }
                cells
            })
            .collect();
        let first = rows.first().map_or(0.0, |r| height_of(r));
        self.y -= 4.0;
        start(self, false, first);
        for row in &rows {
            let h = height_of(row);
            if self.y - h < CONTENT_BOTTOM {
                self.new_page();
                start(self, true, h);
            }
            let top = self.y;
            self.cells(row, &lefts, &widths, &align, top, Font::Regular);
            self.y = top - h;
            self.rule(self.y, MARGIN_X, MARGIN_X + CONTENT_WIDTH, 0.4, 0xbb);
        }
        if let Some(note) = &table.note {
            self.y -= 2.0;
            self.flow(note, Font::Regular, 8.0, 10.5, 0.0, true);
        }
        self.y -= 10.0;
    }

    fn cells(
        &mut self,
        cells: &[Vec<Vec<u8>>],
        lefts: &[f64],
        widths: &[f64],
        align: &dyn Fn(usize) -> Align,
        top: f64,
        font: Font,
    ) {
        for (i, lines) in cells.iter().enumerate() {
            for (k, line) in lines.iter().enumerate() {
                #[allow(clippy::cast_precision_loss)]
                let baseline = top - CELL_PAD - CELL_SIZE - k as f64 * CELL_LEADING + 1.0;
                let x = match align(i) {
                    Align::Left => lefts[i] + CELL_PAD,
                    Align::Right => lefts[i] + widths[i] - CELL_PAD - width(line, font, CELL_SIZE),
                };
                self.text_at(x, baseline, line, font, CELL_SIZE, false);
            }
        }
    }

    /// Places a scene as a Form XObject, scaled down if taller than a page; never split.
    fn figure(&mut self, scene: Scene, name: String) {
        let room = CONTENT_TOP - CONTENT_BOTTOM - 8.0;
        let scale = if scene.height > room { room / scene.height } else { 1.0 };
        let (w, h) = (scene.width * scale, scene.height * scale);
        self.ensure(h + 8.0);
        self.y -= 6.0;
        let x = MARGIN_X + (CONTENT_WIDTH - w) / 2.0;
        let bottom = self.y - h;
        let index = self.figures.len();
        self.figures.push(scene);
        let draw = format!("q {} 0 0 {} {} {} cm /{name} Do Q\n", num(scale), num(scale), num(x), num(bottom));
        let page = self.page();
        page.content.push_str(&draw);
        page.figures.push((name, index));
        self.y = bottom - 10.0;
    }
}

/// A PDF text string: literal ASCII when possible, UTF-16BE with BOM otherwise.
fn text_string(text: &str) -> String {
    let clean: String = text.chars().filter(|c| !c.is_control()).collect();
    if clean.bytes().all(|b| (0x20..0x7F).contains(&b)) {
        let mut s = String::new();
        out_string(&mut s, clean.as_bytes());
        return s;
    }
    let mut s = String::from("<FEFF");
    for unit in clean.encode_utf16() {
        let _ = write!(s, "{unit:04X}");
    }
    s.push('>');
    s
}

/// `D:YYYYMMDDHHmmSSZ` for a Unix time (proleptic Gregorian, UTC).
fn pdf_date(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let year = year.clamp(0, 9999);
    format!("D:{year:04}{month:02}{day:02}{:02}{:02}{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// Serialises objects, recording each one's byte offset for the xref table.
struct Writer {
    bytes: Vec<u8>,
    offsets: Vec<usize>,
}

impl Writer {
    fn object(&mut self, id: usize, body: &str) {
        self.mark(id);
        self.bytes.extend_from_slice(format!("{id} 0 obj\n{body}\nendobj\n").as_bytes());
    }

    fn stream(&mut self, id: usize, dict: &str, data: &[u8]) {
        self.mark(id);
        self.bytes.extend_from_slice(format!("{id} 0 obj\n<< {dict} /Length {} >>\nstream\n", data.len()).as_bytes());
        self.bytes.extend_from_slice(data);
        self.bytes.extend_from_slice(b"\nendstream\nendobj\n");
    }

    fn mark(&mut self, id: usize) {
        if self.offsets.len() <= id {
            self.offsets.resize(id + 1, 0);
        }
        self.offsets[id] = self.bytes.len();
    }
}

fn write_file(doc: &Document, layout: &Layout, unix_seconds: i64) -> Vec<u8> {
    const CATALOG: usize = 1;
    const PAGES: usize = 2;
    const REGULAR: usize = 3;
    const BOLD: usize = 4;
    const INFO: usize = 5;
    let first_figure = 6;
    let first_page = first_figure + layout.figures.len();
    let page_count = layout.pages.len();
    let mut w = Writer { bytes: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec(), offsets: Vec::new() };

    w.object(CATALOG, &format!("<< /Type /Catalog /Pages {PAGES} 0 R >>"));
    let kids: Vec<String> = (0..page_count).map(|i| format!("{} 0 R", first_page + 2 * i)).collect();
    w.object(
        PAGES,
        &format!(
            "<< /Type /Pages /Kids [{}] /Count {page_count} /MediaBox [0 0 {} {}] >>",
            kids.join(" "),
            num(PAGE_WIDTH),
            num(PAGE_HEIGHT)
        ),
    );
    w.object(REGULAR, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
    w.object(BOLD, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
    w.object(
        INFO,
        &format!(
            "<< /Title {} /Producer (Tessera) /Creator (Tessera) /CreationDate ({}) >>",
            text_string(&doc.title),
            pdf_date(unix_seconds)
        ),
    );
    let fonts = format!("/Font << /F1 {REGULAR} 0 R /F2 {BOLD} 0 R >>");
    for (i, scene) in layout.figures.iter().enumerate() {
        let dict = format!(
            "/Type /XObject /Subtype /Form /BBox [0 0 {} {}] /Resources << {fonts} >>",
            num(scene.width),
            num(scene.height)
        );
        w.stream(first_figure + i, &dict, &scene.to_pdf());
    }
    let banner = to_win_ansi(&doc.banner);
    let footer_title = crate::text::truncate(&doc.title, Font::Regular, 7.5, CONTENT_WIDTH - 90.0);
    for (i, page) in layout.pages.iter().enumerate() {
        let id = first_page + 2 * i;
        let mut content = page.content.clone();
        let mut line = |text: &[u8], font: Font, size: f64, x: f64, y: f64| {
            if text.is_empty() {
                return;
            }
            let f = if font == Font::Bold { "/F2" } else { "/F1" };
            let _ = write!(content, "0.13 0.13 0.13 rg BT {f} {} Tf {} {} Td ", num(size), num(x), num(y));
            out_string(&mut content, text);
            content.push_str(" Tj ET\n");
        };
        let banner_x = (PAGE_WIDTH - width(&banner, Font::Bold, 9.0)).max(0.0) / 2.0;
        line(&banner, Font::Bold, 9.0, banner_x, PAGE_HEIGHT - 34.0);
        line(&banner, Font::Bold, 9.0, banner_x, 24.0);
        let number = format!("Page {} of {page_count}", i + 1).into_bytes();
        line(&number, Font::Regular, 7.5, MARGIN_X + CONTENT_WIDTH - width(&number, Font::Regular, 7.5), 42.0);
        line(&to_win_ansi(&footer_title), Font::Regular, 7.5, MARGIN_X, 42.0);
        let xobjects: Vec<String> =
            page.figures.iter().map(|(name, index)| format!("/{name} {} 0 R", first_figure + index)).collect();
        let resources =
            if xobjects.is_empty() { fonts.clone() } else { format!("{fonts} /XObject << {} >>", xobjects.join(" ")) };
        w.object(
            id,
            &format!("<< /Type /Page /Parent {PAGES} 0 R /Resources << {resources} >> /Contents {} 0 R >>", id + 1),
        );
        w.stream(id + 1, "", content.as_bytes());
    }
    let xref = w.bytes.len();
    let size = w.offsets.len();
    let mut tail = format!("xref\n0 {size}\n0000000000 65535 f \n");
    for &offset in w.offsets.iter().skip(1) {
        let _ = writeln!(tail, "{offset:010} 00000 n ");
    }
    let _ =
        write!(tail, "trailer\n<< /Size {size} /Root {CATALOG} 0 R /Info {INFO} 0 R >>\nstartxref\n{xref}\n%%EOF\n");
    w.bytes.extend_from_slice(tail.as_bytes());
    w.bytes
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::document::{Chart, Column, Series};

    /// Checks the xref table: every entry points at its `N 0 obj`; returns the page count.
    pub(crate) fn check_structure(pdf: &[u8]) -> usize {
        let find_last = |needle: &[u8]| pdf.windows(needle.len()).rposition(|w| w == needle);
        let startxref = find_last(b"startxref\n").expect("startxref");
        let tail = std::str::from_utf8(&pdf[startxref + 10..]).expect("ascii trailer");
        let xref: usize = tail.lines().next().unwrap().trim().parse().unwrap();
        let table = std::str::from_utf8(&pdf[xref..]).expect("ascii xref");
        assert!(table.starts_with("xref\n0 "), "startxref points at the xref table");
        let mut lines = table.lines().skip(1);
        let size: usize = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        assert_eq!(lines.next(), Some("0000000000 65535 f "));
        for id in 1..size {
            let entry = lines.next().unwrap();
            assert_eq!(entry.len(), 19, "entries are 20 bytes with the newline");
            let offset: usize = entry[..10].parse().unwrap();
            let expected = format!("{id} 0 obj\n");
            assert_eq!(&pdf[offset..offset + expected.len()], expected.as_bytes(), "object {id}");
        }
        assert!(pdf.ends_with(b"%%EOF\n"));
        String::from_utf8_lossy(pdf).matches("/Type /Page ").count()
    }

    /// The content streams of the pages, in order.
    pub(crate) fn page_streams(pdf: &[u8]) -> Vec<String> {
        let text = String::from_utf8_lossy(pdf);
        let mut out = Vec::new();
        for (pos, _) in text.match_indices("/Type /Page /Parent") {
            let contents = &text[pos..];
            let id: usize = contents.split("/Contents ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
            let start = text.find(&format!("\n{id} 0 obj\n")).unwrap();
            let stream = &text[start..];
            let begin = stream.find("stream\n").unwrap() + 7;
            let end = stream.find("\nendstream").unwrap();
            out.push(stream[begin..end].to_owned());
        }
        out
    }

    fn long_document() -> Document {
        Document {
            title: "Threat assessment: organised immigration crime".into(),
            subtitle: Some("Sufficiency and impact review".into()),
            banner: "OFFICIAL-SENSITIVE".into(),
            meta: vec![("Prepared for".into(), "Threat group".into()), ("Date".into(), "28 November 2026".into())],
            blocks: vec![
                Block::Paragraph("word ".repeat(400)),
                Block::Chart(Chart::Bars {
                    title: "By nationality".into(),
                    categories: vec!["Eritrea".into(), "Iran".into()],
                    series: vec![Series { name: "2025".into(), values: vec![10.0, 20.0] }],
                    unit: String::new(),
                }),
                Block::Table(Table {
                    caption: "Groups".into(),
                    columns: vec![
                        Column { title: "Group".into(), align: Align::Left },
                        Column { title: "Score".into(), align: Align::Right },
                    ],
                    rows: (0..150).map(|i| vec![format!("group {i}"), format!("{i}")]).collect(),
                    note: Some("Scores from the prioritisation engine.".into()),
                }),
            ],
        }
    }

    #[test]
    fn the_file_is_well_formed_and_paginated() {
        let pdf = render_at(&long_document(), 1_795_000_000);
        let pages = check_structure(&pdf);
        assert!(pages >= 4, "{pages}");
        let streams = page_streams(&pdf);
        assert_eq!(streams.len(), pages);
        for (i, s) in streams.iter().enumerate() {
            assert_eq!(s.matches("(OFFICIAL-SENSITIVE) Tj").count(), 2, "banner twice on page {}", i + 1);
            assert!(s.contains(&format!("(Page {} of {pages}) Tj", i + 1)));
        }
        // The table continues with its header repeated.
        let continued = streams.iter().filter(|s| s.contains("(Groups \\(continued\\)) Tj")).count();
        assert!(continued >= 2);
        assert_eq!(streams.iter().filter(|s| s.contains("(Score) Tj")).count(), continued + 1);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/Chart1 ") && text.contains("/Subtype /Form"));
        assert!(text.contains("/Producer (Tessera)") && text.contains("/CreationDate (D:20261118110640Z)"));
    }

    #[test]
    fn an_empty_document_has_one_page() {
        let pdf = render_at(&Document::default(), 0);
        assert_eq!(check_structure(&pdf), 1);
        assert!(String::from_utf8_lossy(&pdf).contains("(D:19700101000000Z)"));
    }

    #[test]
    fn dates_and_text_strings() {
        assert_eq!(pdf_date(951_782_400), "D:20000229000000Z");
        assert_eq!(pdf_date(1_795_000_000), "D:20261118110640Z");
        assert_eq!(text_string("A (b)"), "(A \\(b\\))");
        assert_eq!(text_string("É"), "<FEFF00C9>");
    }
}
