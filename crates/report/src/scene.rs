//! Backend-neutral vector figures: marks in points, y growing downwards,
//! written as inline SVG or as a PDF content stream.

use std::fmt::Write as _;

use crate::text::{self, Font, escape_html};

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    fn pdf(self) -> String {
        let c = |v: u8| num(f64::from(v) / 255.0);
        format!("{} {} {}", c(self.0), c(self.1), c(self.2))
    }
}

pub(crate) const INK: Rgb = Rgb(0x22, 0x22, 0x22);
pub(crate) const GREY: Rgb = Rgb(0x66, 0x66, 0x66);
pub(crate) const GRID: Rgb = Rgb(0xdd, 0xdd, 0xdd);
pub(crate) const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);

/// Where a text's x coordinate sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

/// One drawing element. Coordinates are finite points (constructors clean them).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Mark {
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: Rgb,
    },
    Line {
        from: (f64, f64),
        to: (f64, f64),
        stroke: Rgb,
        width: f64,
        dashed: bool,
    },
    Polyline {
        points: Vec<(f64, f64)>,
        stroke: Rgb,
        width: f64,
    },
    /// Filled rings (even-odd), optionally outlined.
    Area {
        rings: Vec<Vec<(f64, f64)>>,
        fill: Rgb,
        stroke: Option<(Rgb, f64)>,
    },
    /// Text on one line; `y` is the baseline.
    Text {
        x: f64,
        y: f64,
        text: String,
        size: f64,
        anchor: Anchor,
        font: Font,
        fill: Rgb,
    },
}

/// A figure: a box of `width` × `height` points holding marks.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Scene {
    pub width: f64,
    pub height: f64,
    /// Short description for screen readers.
    pub label: String,
    pub marks: Vec<Mark>,
}

/// A coordinate for output: finite, two decimals, no trailing zeros.
pub(crate) fn num(v: f64) -> String {
    let v = if v.is_finite() { v.clamp(-1e7, 1e7) } else { 0.0 };
    let mut s = format!("{v:.2}");
    while s.contains('.') && (s.ends_with('0') || s.ends_with('.')) {
        s.pop();
    }
    if s == "-0" { String::from("0") } else { s }
}

impl Scene {
    /// The scene as an inline `<svg>` element.
    pub(crate) fn to_svg(&self) -> String {
        let mut out = String::new();
        let _ = write!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}" font-family="Helvetica, Arial, sans-serif">"#,
            escape_html(&self.label),
            num(self.width),
            num(self.height),
            num(self.width),
            num(self.height)
        );
        let _ = write!(out, "<title>{}</title>", escape_html(&self.label));
        for mark in &self.marks {
            match mark {
                Mark::Rect { x, y, w, h, fill } => {
                    let _ = write!(
                        out,
                        r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
                        num(*x),
                        num(*y),
                        num(w.max(0.0)),
                        num(h.max(0.0)),
                        fill.hex()
                    );
                }
                Mark::Line { from, to, stroke, width, dashed } => {
                    let dash = if *dashed { r#" stroke-dasharray="3 2""# } else { "" };
                    let _ = write!(
                        out,
                        r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"{dash}/>"#,
                        num(from.0),
                        num(from.1),
                        num(to.0),
                        num(to.1),
                        stroke.hex(),
                        num(*width)
                    );
                }
                Mark::Polyline { points, stroke, width } => {
                    let pts: Vec<String> = points.iter().map(|p| format!("{},{}", num(p.0), num(p.1))).collect();
                    let _ = write!(
                        out,
                        r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="{}" stroke-linejoin="round"/>"#,
                        pts.join(" "),
                        stroke.hex(),
                        num(*width)
                    );
                }
                Mark::Area { rings, fill, stroke } => {
                    let mut d = String::new();
                    for ring in rings.iter().filter(|r| r.len() >= 3) {
                        for (i, p) in ring.iter().enumerate() {
                            let _ = write!(d, "{}{} {}", if i == 0 { 'M' } else { 'L' }, num(p.0), num(p.1));
                        }
                        d.push('Z');
                    }
                    if d.is_empty() {
                        continue;
                    }
                    let stroke = stroke.map_or_else(
                        || String::from(r#" stroke="none""#),
                        |(c, w)| format!(r#" stroke="{}" stroke-width="{}""#, c.hex(), num(w)),
                    );
                    let _ = write!(out, r#"<path d="{d}" fill="{}" fill-rule="evenodd"{stroke}/>"#, fill.hex());
                }
                Mark::Text { x, y, text, size, anchor, font, fill } => {
                    let anchor = match anchor {
                        Anchor::Start => "start",
                        Anchor::Middle => "middle",
                        Anchor::End => "end",
                    };
                    let weight = if *font == Font::Bold { r#" font-weight="bold""# } else { "" };
                    let _ = write!(
                        out,
                        r#"<text x="{}" y="{}" font-size="{}" text-anchor="{anchor}" fill="{}"{weight}>{}</text>"#,
                        num(*x),
                        num(*y),
                        num(*size),
                        fill.hex(),
                        escape_html(text)
                    );
                }
            }
        }
        out.push_str("</svg>");
        out
    }

    /// The scene as a PDF content stream for a Form XObject whose BBox is
    /// `[0 0 width height]`; fonts are `/F1` (regular) and `/F2` (bold).
    pub(crate) fn to_pdf(&self) -> Vec<u8> {
        let h = self.height;
        let mut out = String::new();
        for mark in &self.marks {
            match mark {
                Mark::Rect { x, y, w, h: rh, fill } => {
                    out.push_str(&format!(
                        "{} rg {} {} {} {} re f\n",
                        fill.pdf(),
                        num(*x),
                        num(h - y - rh),
                        num(w.max(0.0)),
                        num(rh.max(0.0))
                    ));
                }
                Mark::Line { from, to, stroke, width, dashed } => {
                    let dash = if *dashed { "[3 2] 0 d" } else { "[] 0 d" };
                    out.push_str(&format!(
                        "{} RG {} w {dash} {} {} m {} {} l S\n",
                        stroke.pdf(),
                        num(*width),
                        num(from.0),
                        num(h - from.1),
                        num(to.0),
                        num(h - to.1)
                    ));
                }
                Mark::Polyline { points, stroke, width } => {
                    if points.len() < 2 {
                        continue;
                    }
                    let mut s = format!("{} RG {} w [] 0 d 1 j ", stroke.pdf(), num(*width));
                    for (i, p) in points.iter().enumerate() {
                        let _ = write!(s, "{} {} {} ", num(p.0), num(h - p.1), if i == 0 { "m" } else { "l" });
                    }
                    s.push_str("S\n");
                    out.push_str(&s);
                }
                Mark::Area { rings, fill, stroke } => {
                    let mut s = String::new();
                    for ring in rings.iter().filter(|r| r.len() >= 3) {
                        for (i, p) in ring.iter().enumerate() {
                            let _ = write!(s, "{} {} {} ", num(p.0), num(h - p.1), if i == 0 { "m" } else { "l" });
                        }
                        s.push_str("h ");
                    }
                    if s.is_empty() {
                        continue;
                    }
                    let paint = match stroke {
                        Some((c, w)) => format!("{} RG {} w [] 0 d 1 j B*", c.pdf(), num(*w)),
                        None => String::from("f*"),
                    };
                    out.push_str(&format!("{} rg {s}{paint}\n", fill.pdf()));
                }
                Mark::Text { x, y, text, size, anchor, font, fill } => {
                    let bytes = text::to_win_ansi(text);
                    let w = text::width(&bytes, *font, *size);
                    let x = match anchor {
                        Anchor::Start => *x,
                        Anchor::Middle => x - w / 2.0,
                        Anchor::End => x - w,
                    };
                    let f = if *font == Font::Bold { "/F2" } else { "/F1" };
                    out.push_str(&format!("{} rg BT {f} {} Tf {} {} Td ", fill.pdf(), num(*size), num(x), num(h - y)));
                    out_string(&mut out, &bytes);
                    out.push_str(" Tj ET\n");
                }
            }
        }
        out.into_bytes()
    }
}

/// Appends a PDF literal string of WinAnsi `bytes`, escaping delimiters and
/// writing non-printable bytes in octal.
pub(crate) fn out_string(out: &mut String, bytes: &[u8]) {
    out.push('(');
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7E => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
    }
    out.push(')');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Scene {
        Scene {
            width: 100.0,
            height: 50.0,
            label: "a <chart>".into(),
            marks: vec![
                Mark::Rect { x: 1.0, y: 2.0, w: 3.0, h: 4.0, fill: INK },
                Mark::Text {
                    x: 50.0,
                    y: 10.0,
                    text: "a (b) \\ é".into(),
                    size: 8.0,
                    anchor: Anchor::Middle,
                    font: Font::Bold,
                    fill: INK,
                },
                Mark::Area { rings: vec![vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]], fill: GRID, stroke: None },
            ],
        }
    }

    #[test]
    fn numbers_are_short_and_finite() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.256), "1.26");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(1e300), "10000000");
    }

    #[test]
    fn svg_is_accessible_and_escaped() {
        let svg = sample().to_svg();
        assert!(svg.contains(r#"role="img" aria-label="a &lt;chart&gt;""#));
        assert!(svg.contains("<title>a &lt;chart&gt;</title>"));
        assert!(svg.contains(r#"font-weight="bold">a (b) \ é</text>"#));
        assert!(svg.contains(r#"<path d="M0 0L10 0L10 10Z""#));
    }

    #[test]
    fn pdf_flips_y_and_escapes_strings() {
        let pdf = String::from_utf8_lossy(&sample().to_pdf()).into_owned();
        // The rectangle at y=2 with height 4 sits at 50-2-4 = 44 from the bottom.
        assert!(pdf.contains("1 44 3 4 re f"), "{pdf}");
        assert!(pdf.contains(r"(a \(b\) \\ \351) Tj"), "{pdf}");
        assert!(pdf.contains("0 50 m 10 50 l 10 40 l h f*"), "{pdf}");
    }
}
