//! Text helpers: WinAnsi encoding with transliteration, Helvetica metrics,
//! line wrapping, HTML escaping and number formatting.

use crate::metrics::{HELVETICA, HELVETICA_BOLD, WIN_ANSI_HIGH};

/// The two faces used everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Font {
    Regular,
    Bold,
}

/// The WinAnsi code of `c`, if WinAnsi has it (controls excluded).
fn win_ansi_code(c: char) -> Option<u8> {
    let u = u32::from(c);
    match u {
        0x20..=0x7E | 0xA0..=0xFF => u8::try_from(u).ok(),
        _ => WIN_ANSI_HIGH.iter().position(|&h| h != 0 && h == u).and_then(|i| u8::try_from(0x80 + i).ok()),
    }
}

/// `text` as WinAnsi bytes: controls become spaces (whitespace) or vanish,
/// characters outside WinAnsi are transliterated (deunicode) or become `?`.
pub(crate) fn to_win_ansi(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        if let Some(code) = win_ansi_code(c) {
            out.push(code);
        } else if c.is_whitespace() {
            out.push(b' ');
        } else if c.is_control() || is_invisible(c) {
            // Dropped: zero-width and formatting characters print nothing.
        } else {
            match deunicode::deunicode_char(c) {
                Some(ascii) if !ascii.is_empty() => {
                    out.extend(ascii.bytes().filter(|b| (0x20..=0x7E).contains(b)));
                }
                _ => out.push(b'?'),
            }
        }
    }
    out
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}')
}

/// Advance width of one WinAnsi byte in thousandths of the em.
fn advance(font: Font, byte: u8) -> u16 {
    let table = match font {
        Font::Regular => &HELVETICA,
        Font::Bold => &HELVETICA_BOLD,
    };
    match byte.checked_sub(32) {
        Some(i) => table.get(usize::from(i)).copied().filter(|&w| w > 0).unwrap_or(278),
        None => 0,
    }
}

/// Width in points of WinAnsi `bytes` set in `font` at `size`.
pub(crate) fn width(bytes: &[u8], font: Font, size: f64) -> f64 {
    let units: u64 = bytes.iter().map(|&b| u64::from(advance(font, b))).sum();
    // Widths of real text stay far below 2^52, so the conversion is exact.
    #[allow(clippy::cast_precision_loss)]
    let units = units as f64;
    units * size / 1000.0
}

/// Width in points of a Unicode string once encoded.
pub(crate) fn str_width(text: &str, font: Font, size: f64) -> f64 {
    width(&to_win_ansi(text), font, size)
}

/// Wraps WinAnsi `bytes` into lines no wider than `max_width` points; words
/// wider than a line are broken between characters. Always at least one line.
pub(crate) fn wrap(bytes: &[u8], font: Font, size: f64, max_width: f64) -> Vec<Vec<u8>> {
    let max_width = if max_width.is_finite() && max_width > 0.0 { max_width } else { f64::INFINITY };
    let space = width(b" ", font, size);
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    let mut line_width = 0.0;
    for word in bytes.split(|&b| b == b' ').filter(|w| !w.is_empty()) {
        let word_width = width(word, font, size);
        if !line.is_empty() && line_width + space + word_width <= max_width {
            line.push(b' ');
            line.extend_from_slice(word);
            line_width += space + word_width;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        if word_width <= max_width {
            line.extend_from_slice(word);
            line_width = word_width;
            continue;
        }
        // A word longer than the line: break it between characters.
        line_width = 0.0;
        for &b in word {
            let w = width(&[b], font, size);
            if !line.is_empty() && line_width + w > max_width {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            line.push(b);
            line_width += w;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Cuts `text` so it fits in `max_width` points, ending with an ellipsis when cut.
pub(crate) fn truncate(text: &str, font: Font, size: f64, max_width: f64) -> String {
    if str_width(text, font, size) <= max_width {
        return text.to_owned();
    }
    let ellipsis = str_width("\u{2026}", font, size);
    let mut out = String::new();
    let mut used = 0.0;
    for c in text.chars() {
        let w = width(&to_win_ansi(&c.to_string()), font, size);
        if used + w + ellipsis > max_width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('\u{2026}');
    out
}

/// Escapes text for HTML element content and attribute values; drops
/// control characters that are not allowed in HTML.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {}
            '\u{FDD0}'..='\u{FDEF}' => {}
            c if (u32::from(c) & 0xFFFE) == 0xFFFE => {}
            c => out.push(c),
        }
    }
    out
}

/// Formats a finite number for axes and legends: thousands separators,
/// `decimals` digits after the point, scientific notation beyond 1e15.
pub(crate) fn format_number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return String::from("–");
    }
    if value.abs() >= 1e15 {
        return format!("{value:.2e}");
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text.split_once('.').map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let negative = value < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0');
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&grouped);
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn win_ansi_keeps_latin_and_transliterates_the_rest() {
        assert_eq!(to_win_ansi("Café €5 “q”"), b"Caf\xe9 \x805 \x93q\x94".to_vec());
        assert_eq!(to_win_ansi("Москва"), b"Moskva".to_vec());
        assert_eq!(to_win_ansi("a\u{0}b\tc\u{200B}"), b"ab c".to_vec());
        assert!(!to_win_ansi("محمد").is_empty());
        assert_eq!(to_win_ansi("\u{10FFFF}"), b"?".to_vec());
    }

    #[test]
    fn widths_follow_the_afm() {
        assert!((width(b"Hello", Font::Regular, 10.0) - 22.78).abs() < 1e-9);
        assert!((width(b"W", Font::Bold, 1000.0) - 944.0).abs() < 1e-9);
        assert!(width(b"iiii", Font::Regular, 10.0) < width(b"mmmm", Font::Regular, 10.0));
    }

    #[test]
    fn wrapping_respects_the_width_and_breaks_long_words() {
        let text = to_win_ansi("the quick brown fox jumps over the lazy dog");
        let lines = wrap(&text, Font::Regular, 10.0, 60.0);
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(width(line, Font::Regular, 10.0) <= 60.0, "{:?}", String::from_utf8_lossy(line));
        }
        assert_eq!(lines.join(&b' '), text);
        let long = vec![b'x'; 500];
        let lines = wrap(&long, Font::Regular, 10.0, 50.0);
        assert!(lines.len() > 5 && lines.iter().all(|l| !l.is_empty() && width(l, Font::Regular, 10.0) <= 50.0));
        assert_eq!(wrap(b"", Font::Regular, 10.0, 50.0), vec![Vec::<u8>::new()]);
        // A width narrower than one character still terminates, one character per line.
        assert_eq!(wrap(b"abc", Font::Regular, 10.0, 0.1).len(), 3);
    }

    #[test]
    fn truncation_adds_an_ellipsis() {
        let cut = truncate("Democratic Republic of the Congo", Font::Regular, 8.0, 60.0);
        assert!(cut.ends_with('\u{2026}') && str_width(&cut, Font::Regular, 8.0) <= 60.0);
        assert_eq!(truncate("UK", Font::Regular, 8.0, 60.0), "UK");
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(escape_html(r#"<a href="x">&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
        assert_eq!(escape_html("a\u{0}\u{7}b\u{FFFF}"), "ab");
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(format_number(1_234_567.0, 0), "1,234,567");
        assert_eq!(format_number(-1234.5, 1), "-1,234.5");
        assert_eq!(format_number(0.25, 2), "0.25");
        assert_eq!(format_number(-0.0001, 0), "0");
        assert_eq!(format_number(f64::NAN, 0), "–");
        assert_eq!(format_number(1e300, 0), "1.00e300");
    }
}
