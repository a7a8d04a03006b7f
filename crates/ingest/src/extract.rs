//! Identifier extraction from free text.
//!
//! Reports' narrative text names phones, e-mail addresses, IBANs, passports,
//! vessels, vehicles, handles and wallets that the structured part often
//! leaves out. [`extract_identifiers`] finds them so that they become
//! entities and link the report to others mentioning the same identifier.
//!
//! Precision matters more than recall here: a false identifier would link
//! unrelated reports. So every candidate goes through its validator (check
//! digits, checksums, numbering plans) and the shapes looked for are narrow:
//! phone numbers only in international or 0-prefixed national form, plates
//! only in the UK and French formats, IMO, MMSI and passport numbers only
//! when introduced by their keyword. Where candidates overlap, the more
//! specific identifier wins (a run of IBAN digits is never also a phone).
//!
//! The scan is a handful of linear passes over the bytes with no regular
//! expressions; validators run only on the few candidates that pass the shape
//! checks.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use tessera_model::identifiers::{IdentifierKind, crypto, email, handle, iban, imo, mmsi, mrz, passport, phone, plate};

/// An identifier found in free text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// What kind of identifier it is.
    pub kind: IdentifierKind,
    /// Its normalised form (as [`IdentifierKind::normalize`] gives it).
    pub value: String,
    /// The text as written, exactly `text[span]`.
    pub raw: String,
    /// Byte offsets of `raw` in the text.
    pub span: Range<usize>,
}

/// Finds, validates and normalises the identifiers in `text`: phone numbers
/// (national ones read in `default_phone_region`, the UK when None), e-mail
/// addresses, IBANs (compact or in groups of four), passport numbers from
/// machine-readable zones or after "passport"/"document number", IMO and MMSI
/// numbers after their keyword, UK and French vehicle plates, social handles
/// and Bitcoin and Ethereum addresses. Invalid candidates are dropped; each
/// (kind, value) is returned once, at its first occurrence, in text order.
pub fn extract_identifiers(text: &str, default_phone_region: Option<&str>) -> Vec<Extracted> {
    let mut candidates: Vec<(u8, Extracted)> = Vec::new();
    scan_mrz(text, &mut candidates);
    scan_tokens(text, &mut candidates);
    scan_at_signs(text, &mut candidates);

    // Accept the more specific identifiers first; a later candidate overlapping an accepted one is dropped.
    candidates.sort_by_key(|(priority, found)| (*priority, found.span.start));
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut accepted: Vec<Extracted> = Vec::new();
    for (_, found) in candidates {
        if !overlaps(&taken, &found.span) {
            taken.insert(found.span.start, found.span.end);
            accepted.push(found);
        }
    }
    for found in scan_phones(text, default_phone_region) {
        if !overlaps(&taken, &found.span) {
            taken.insert(found.span.start, found.span.end);
            accepted.push(found);
        }
    }

    accepted.sort_by_key(|found| found.span.start);
    let mut seen: HashSet<(IdentifierKind, String)> = HashSet::new();
    accepted.retain(|found| seen.insert((found.kind, found.value.clone())));
    accepted
}

/// Whether `span` overlaps any accepted span (accepted spans never overlap each other).
fn overlaps(taken: &BTreeMap<usize, usize>, span: &Range<usize>) -> bool {
    taken.range(..span.end).next_back().is_some_and(|(_, &end)| end > span.start)
}

// Priorities: lower is accepted first.
const P_MRZ: u8 = 0;
const P_STRONG: u8 = 1; // checksummed, unambiguous shapes: IBAN, crypto, e-mail
const P_KEYWORD: u8 = 2; // IMO, MMSI, passport after their keyword
const P_HANDLE: u8 = 3;
const P_PLATE: u8 = 4;

fn extracted(text: &str, kind: IdentifierKind, value: String, span: Range<usize>) -> Extracted {
    Extracted { kind, value, raw: text[span.clone()].to_string(), span }
}

/// Passport numbers from ICAO 9303 TD3 zones; the span is the document-number field of line 2.
fn scan_mrz(text: &str, out: &mut Vec<(u8, Extracted)>) {
    for (td3, zone) in mrz::find_td3(text) {
        // Line 2 is the last 44 bytes of the zone; the number is its first nine, less trailing filler.
        let line2 = zone.end.saturating_sub(44);
        let field = &text.as_bytes()[line2..line2 + 9];
        let len = field.iter().rposition(|&b| b != b'<').map_or(0, |p| p + 1);
        if len == 0 {
            continue;
        }
        if let Ok(value) = passport::normalize_document_number(&td3.document_number) {
            out.push((P_MRZ, extracted(text, IdentifierKind::Passport, value, line2..line2 + len)));
        }
    }
}

/// Characters stripped from the start of a whitespace-separated token.
fn is_leading_punct(c: char) -> bool {
    matches!(c, '(' | '[' | '{' | '"' | '\'' | '<' | '*' | '“' | '‘' | '«')
}

/// Characters stripped from the end of a whitespace-separated token.
fn is_trailing_punct(c: char) -> bool {
    matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '"' | '\'' | '>' | '*' | '”' | '’' | '»')
}

/// A token: the whole whitespace-delimited run, and its core without surrounding punctuation.
#[derive(Clone)]
struct Token {
    whole: Range<usize>,
    core: Range<usize>,
}

/// The token starting at or after byte `from`, if any.
fn token_at(text: &str, from: usize) -> Option<Token> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() && bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    if i >= bytes.len() {
        return None;
    }
    let start = i;
    while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
        i += 1;
    }
    // Fast path for the usual ASCII word; the char-aware trims handle typographic quotes.
    let (first, last) = (bytes[start], bytes[i - 1]);
    let lead = if first < 0x80 && !is_leading_punct(char::from(first)) {
        0
    } else {
        let word = &text[start..i];
        word.len() - word.trim_start_matches(is_leading_punct).len()
    };
    let core_end = if last < 0x80 && !is_trailing_punct(char::from(last)) {
        i
    } else {
        start + lead + text[start + lead..i].trim_end_matches(is_trailing_punct).len()
    };
    let core_end = core_end.max(start + lead);
    Some(Token { whole: start..i, core: start + lead..core_end })
}

/// The text's tokens, produced on demand with a little lookahead and never all held at once.
struct Tokens<'a> {
    text: &'a str,
    /// Where the next token is searched from.
    pos: usize,
    /// Tokens `first..first + buf.len()`.
    buf: std::collections::VecDeque<Token>,
    first: usize,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, pos: 0, buf: std::collections::VecDeque::new(), first: 0 }
    }

    /// Token number `i` (counting from 0); earlier tokens than the last released one are gone.
    fn get(&mut self, i: usize) -> Option<Token> {
        while self.first + self.buf.len() <= i {
            let token = token_at(self.text, self.pos)?;
            self.pos = token.whole.end;
            self.buf.push_back(token);
        }
        self.buf.get(i.checked_sub(self.first)?).cloned()
    }

    /// Forgets tokens before number `i`.
    fn release_before(&mut self, i: usize) {
        while self.first < i && self.buf.pop_front().is_some() {
            self.first += 1;
        }
    }
}

/// Whether two tokens are separated by exactly one space.
fn single_space(bytes: &[u8], a: &Token, b: &Token) -> bool {
    b.whole.start == a.whole.end + 1 && bytes[a.whole.end] == b' '
}

fn upper_letters(b: &[u8]) -> bool {
    b.iter().all(u8::is_ascii_uppercase)
}

fn digits(b: &[u8]) -> bool {
    b.iter().all(u8::is_ascii_digit)
}

/// Keyword-introduced numbers (IMO, MMSI, passport), IBANs, crypto addresses and plates.
fn scan_tokens(text: &str, out: &mut Vec<(u8, Extracted)>) {
    let bytes = text.as_bytes();
    let mut tokens = Tokens::new(text);
    for t in 0.. {
        tokens.release_before(t);
        let Some(token) = tokens.get(t) else { break };
        let token = &token;
        let core = &bytes[token.core.clone()];
        if core.is_empty() {
            continue;
        }

        // Keywords: "IMO 9074729", "IMO no. 9074729", "IMO:9074729", "MMSI 235012345", "passport no L898902C3".
        if core.len() <= 16
            && matches!(core[0], b'i' | b'I' | b'm' | b'M' | b'p' | b'P' | b'd' | b'D')
            && let Some(hit) = keyword_number(text, &mut tokens, t)
        {
            out.push((P_KEYWORD, hit));
            continue;
        }

        // IBAN: two letters, two digits; compact, or in groups of four.
        if core.len() >= 4
            && upper_letters(&core[..2])
            && digits(&core[2..4])
            && let Some(hit) = iban_at(text, &mut tokens, t)
        {
            out.push((P_STRONG, hit));
            continue;
        }

        // Crypto addresses.
        if let Some(hit) = crypto_at(text, token) {
            out.push((P_STRONG, hit));
            continue;
        }

        // Plates: UK "AB12 CDE" / "AB12CDE", French "AB-123-CD" / "AB 123 CD" / "AB123CD".
        if core[0].is_ascii_uppercase() {
            let mut plate_span = None;
            if (core.len() == 7 || core.len() == 9) && plate::plate_format(&text[token.core.clone()]).is_some() {
                let has_dash = core.contains(&b'-');
                if core.len() == 7 || (has_dash && core[2] == b'-' && core[6] == b'-') {
                    plate_span = Some(token.core.clone());
                }
            } else if core.len() == 4
                && upper_letters(&core[..2])
                && digits(&core[2..])
                && let Some(n) =
                    tokens.get(t + 1).filter(|n| single_space(bytes, token, n) && n.core.start == n.whole.start)
            {
                let second = &bytes[n.core.clone()];
                if second.len() == 3 && upper_letters(second) {
                    plate_span = Some(token.core.start..n.core.end);
                }
            } else if core.len() == 2
                && upper_letters(core)
                && token.core.start == token.whole.start
                && let (Some(n1), Some(n2)) = (tokens.get(t + 1), tokens.get(t + 2))
            {
                let (mid, last) = (&bytes[n1.core.clone()], &bytes[n2.core.clone()]);
                if single_space(bytes, token, &n1)
                    && single_space(bytes, &n1, &n2)
                    && n1.core == n1.whole
                    && mid.len() == 3
                    && digits(mid)
                    && last.len() == 2
                    && upper_letters(last)
                {
                    plate_span = Some(token.core.start..n2.core.end);
                }
            }
            if let Some(span) = plate_span
                && plate::plate_format(&text[span.clone()]).is_some()
                && let Ok(value) = plate::normalize_plate(&text[span.clone()])
            {
                out.push((P_PLATE, extracted(text, IdentifierKind::Plate, value, span)));
            }
        }
    }
}

/// Words that may sit between a keyword and its number ("IMO no. 9074729", "passport number: X").
fn is_filler(word: &str) -> bool {
    matches!(word, "no" | "nr" | "num" | "number" | "#" | "n°" | "no:" | "-" | ":" | "is" | "of")
}

/// A number introduced by IMO, MMSI, passport or document number at token `t`.
fn keyword_number(text: &str, tokens: &mut Tokens<'_>, t: usize) -> Option<Extracted> {
    let token = &tokens.get(t)?;
    let word = text[token.core.clone()].to_ascii_lowercase();
    // Glued forms: "IMO9074729", "IMO:9074729", "MMSI:235012345".
    for (keyword, kind) in [("imo", IdentifierKind::Imo), ("mmsi", IdentifierKind::Mmsi)] {
        if word.len() > keyword.len() && word.starts_with(keyword) {
            let rest_start = token.core.start + keyword.len();
            let rest = &text[rest_start..token.core.end];
            let digits_at = rest.len() - rest.trim_start_matches([':', '#', '-', '.']).len();
            let span = rest_start + digits_at..token.core.end;
            return number_of_kind(text, kind, span);
        }
    }
    let kind = match word.as_str() {
        "imo" => IdentifierKind::Imo,
        "mmsi" => IdentifierKind::Mmsi,
        "passport" => IdentifierKind::Passport,
        "document" | "doc" => {
            // Only "document number" / "document no", not any document.
            let n = tokens.get(t + 1)?;
            let w = text[n.core.clone()].to_ascii_lowercase();
            if !matches!(w.as_str(), "number" | "no" | "nr" | "num") {
                return None;
            }
            IdentifierKind::Passport
        }
        _ => return None,
    };
    let mut k = t + 1;
    for _ in 0..3 {
        let n = tokens.get(k)?;
        let w = text[n.core.clone()].to_ascii_lowercase();
        if n.core.is_empty() || is_filler(&w) {
            k += 1;
        } else {
            break;
        }
    }
    let n = tokens.get(k)?;
    // The number must follow within a short distance, on the same line.
    let gap = &text[token.whole.end..n.whole.start];
    if gap.contains('\n') || n.whole.start - token.whole.end > 40 {
        return None;
    }
    number_of_kind(text, kind, n.core.clone())
}

fn number_of_kind(text: &str, kind: IdentifierKind, span: Range<usize>) -> Option<Extracted> {
    let raw = &text[span.clone()];
    if raw.is_empty() || !raw.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let value = match kind {
        IdentifierKind::Imo => imo::normalize_imo(raw).ok()?,
        IdentifierKind::Mmsi => mmsi::parse_mmsi(raw).ok()?.to_string(),
        IdentifierKind::Passport => passport::normalize_document_number(raw).ok()?,
        _ => return None,
    };
    Some(extracted(text, kind, value, span))
}

/// An IBAN starting at token `t`: the core itself, or groups of up to four characters separated by single spaces.
fn iban_at(text: &str, tokens: &mut Tokens<'_>, t: usize) -> Option<Extracted> {
    let bytes = text.as_bytes();
    let first = &tokens.get(t)?;
    let core = &bytes[first.core.clone()];
    let expected = iban::iban_length(std::str::from_utf8(&core[..2]).ok()?)?;
    let span = if core.len() == expected {
        first.core.clone()
    } else if core.len() == 4 && first.core.end == first.whole.end {
        let mut len = 4;
        let mut k = t;
        loop {
            let prev = tokens.get(k)?;
            let n = tokens.get(k + 1)?;
            let group = &bytes[n.core.clone()];
            if !single_space(bytes, &prev, &n)
                || n.core.start != n.whole.start
                || group.is_empty()
                || group.len() > 4
                || !group.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            {
                return None;
            }
            len += group.len();
            k += 1;
            if len >= expected || group.len() < 4 || n.core.end != n.whole.end {
                break;
            }
        }
        if len != expected {
            return None;
        }
        first.core.start..tokens.get(k)?.core.end
    } else {
        return None;
    };
    let value = iban::normalize_iban(&text[span.clone()]).ok()?;
    Some(extracted(text, IdentifierKind::Iban, value, span))
}

fn crypto_at(text: &str, token: &Token) -> Option<Extracted> {
    let raw = &text[token.core.clone()];
    let b = raw.as_bytes();
    let plausible = match b.first()? {
        b'0' => b.len() == 42 && b[1] == b'x',
        b'b' | b'B' => {
            b.len() >= 14 && b.len() <= 90 && raw.is_char_boundary(3) && raw[..3].eq_ignore_ascii_case("bc1")
        }
        b'1' | b'3' => {
            (25..=35).contains(&b.len())
                && b.iter().all(|c| c.is_ascii_alphanumeric() && !matches!(c, b'0' | b'O' | b'I' | b'l'))
                && b.iter().any(u8::is_ascii_alphabetic)
        }
        _ => false,
    };
    if !plausible {
        return None;
    }
    let (_, value) = crypto::normalize_crypto(raw).ok()?;
    Some(extracted(text, IdentifierKind::Crypto, value, token.core.clone()))
}

fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_domain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// E-mail addresses and handles, found from their '@'.
fn scan_at_signs(text: &str, out: &mut Vec<(u8, Extracted)>) {
    let bytes = text.as_bytes();
    let mut search = 0;
    while let Some(offset) = bytes[search..].iter().position(|&b| b == b'@') {
        let at = search + offset;
        search = at + 1;
        let mut start = at;
        while start > 0 && is_local_byte(bytes[start - 1]) {
            start -= 1;
        }
        while start < at && matches!(bytes[start], b'.' | b'-' | b'+') {
            start += 1;
        }
        if start < at {
            // E-mail: local@domain.
            let mut end = at + 1;
            while end < bytes.len() && is_domain_byte(bytes[end]) {
                end += 1;
            }
            while end > at + 1 && matches!(bytes[end - 1], b'.' | b'-') {
                end -= 1;
            }
            let glued = bytes.get(end).is_some_and(|&b| b == b'@' || b >= 0x80);
            if !glued
                && end > at + 1
                && let Ok(value) = email::normalize_email(&text[start..end])
            {
                out.push((P_STRONG, extracted(text, IdentifierKind::Email, value, start..end)));
                search = end;
            }
            continue;
        }
        // Handle: "@name" not glued to a preceding word.
        if at > 0 && (bytes[at - 1] >= 0x80 || bytes[at - 1] == b'@' || bytes[at - 1] == b'/') {
            continue;
        }
        let mut end = at + 1;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'.' | b'_')) {
            end += 1;
        }
        while end > at + 1 && bytes[end - 1] == b'.' {
            end -= 1;
        }
        let name = &bytes[at + 1..end];
        let glued = bytes.get(end).is_some_and(|&b| b >= 0x80 || b == b'@' || b == b'-');
        if glued || !name.iter().any(u8::is_ascii_alphabetic) {
            continue;
        }
        if let Ok(value) = handle::normalize_handle(&text[at..end]) {
            out.push((P_HANDLE, extracted(text, IdentifierKind::Handle, value, at..end)));
        }
    }
}

/// Whether a phone number may start at `i`: not glued to a word, a number or a reference.
fn phone_boundary_before(bytes: &[u8], i: usize) -> bool {
    i == 0 || {
        let b = bytes[i - 1];
        !(b.is_ascii_alphanumeric() || b >= 0x80 || b"-/._+#@&=<\\".contains(&b))
    }
}

/// Whether a phone number may end at `e`.
fn phone_boundary_after(bytes: &[u8], e: usize) -> bool {
    let Some(&b) = bytes.get(e) else { return true };
    let digit_follows = bytes.get(e + 1).is_some_and(u8::is_ascii_digit);
    !(b.is_ascii_alphanumeric()
        || b >= 0x80
        || matches!(b, b'@' | b'_' | b'/')
        || (matches!(b, b'-' | b'.') && digit_follows))
}

/// Phone numbers: "+" or "00" international forms and 0-prefixed national forms, with
/// single spaces, dashes or dots between digit groups and brackets around one group.
fn scan_phones(text: &str, region: Option<&str>) -> Vec<Extracted> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        let may_start = match b {
            b'+' => next.is_ascii_digit() && next != b'0',
            b'(' => next == b'0',
            b'0' => true,
            _ => false,
        };
        if may_start
            && phone_boundary_before(bytes, i)
            && let Some(hit) = phone_at(text, i, region)
        {
            i = hit.span.end;
            out.push(hit);
            continue;
        }
        i += 1;
        if b.is_ascii_digit() {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
        }
    }
    out
}

/// The longest well-shaped, valid phone number starting at `start`.
fn phone_at(text: &str, start: usize, region: Option<&str>) -> Option<Extracted> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut j = start;
    let mut open = false;
    let mut bracket_groups = 0;
    let international = bytes[j] == b'+';
    if international {
        j += 1;
    } else if bytes[j] == b'(' {
        open = true;
        bracket_groups = 1;
        j += 1;
    }
    let mut digit_bytes: Vec<u8> = Vec::with_capacity(16);
    // Candidate ends: (byte end, digit count) after each complete group with brackets balanced.
    let mut ends: Vec<(usize, usize)> = Vec::with_capacity(8);
    loop {
        let group = j;
        while j < n && bytes[j].is_ascii_digit() {
            digit_bytes.push(bytes[j]);
            j += 1;
        }
        if j == group || digit_bytes.len() > 17 {
            break;
        }
        if open && j < n && bytes[j] == b')' {
            open = false;
            j += 1;
        }
        if !open {
            ends.push((j, digit_bytes.len()));
        }
        // A separator, then the next group must start with a digit (or an opening bracket).
        let mut k = j;
        let sep_start = k;
        if bytes[k..].starts_with(b" - ") {
            k += 3;
        } else if k < n && matches!(bytes[k], b' ' | b'-' | b'.') {
            k += 1;
        }
        if k < n && bytes[k] == b'(' && !open && bracket_groups < 2 && (k == sep_start || bytes[k - 1] == b' ') {
            open = true;
            bracket_groups += 1;
            k += 1;
        }
        let closed_before = k == sep_start && bytes.get(k.wrapping_sub(1)) == Some(&b')');
        if k < n && bytes[k].is_ascii_digit() && (k > sep_start || closed_before) {
            j = k;
        } else {
            break;
        }
    }
    let double_zero = !international && digit_bytes.starts_with(b"00");
    for &(end, count) in ends.iter().rev() {
        let ds = &digit_bytes[..count];
        let shaped = if international {
            (8..=15).contains(&count)
        } else if double_zero {
            (10..=17).contains(&count) && ds[2] != b'0'
        } else {
            (10..=11).contains(&count) && ds.first() == Some(&b'0') && ds.get(1).is_some_and(|&d| d != b'0')
        };
        if !shaped || !phone_boundary_after(bytes, end) {
            continue;
        }
        let raw = &text[start..end];
        if let Ok(value) = phone::normalize_phone(raw, region) {
            return Some(extracted(text, IdentifierKind::Phone, value, start..end));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const L1: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
    const L2: &str = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";

    fn report() -> String {
        format!(
            "On 07/03/1991 subject ERIKSSON was stopped at Coquelles driving AB12 CDE towing a trailer \
             registered AB-123-CD. He paid £3,500 (ref NCA-2024-001234) into IBAN GB29 NWBK 6016 1331 9268 19 \
             and later FR1420041010050500013M02606. Calls were made from 07700 900123 and +33 6 12 34 56 78 \
             and 00 218 91 234 5678. Contact e-mail ali.smuggler@example.com, Instagram @channel_boats_24. \
             The dinghy was towed by the MV SEA STAR (IMO 9074729, MMSI: 235012345). Passport no L898902C3 \
             was presented; its MRZ read:\n{L1}\n{L2}\nPayments went to bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq \
             and 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed."
        )
    }

    fn values(found: &[Extracted], kind: IdentifierKind) -> Vec<&str> {
        found.iter().filter(|f| f.kind == kind).map(|f| f.value.as_str()).collect()
    }

    #[test]
    fn finds_one_of_each_in_a_report() {
        let text = report();
        let found = extract_identifiers(&text, None);
        use IdentifierKind as K;
        assert_eq!(values(&found, K::Phone), ["+447700900123", "+33612345678", "+218912345678"]);
        assert_eq!(values(&found, K::Email), ["ali.smuggler@example.com"]);
        assert_eq!(values(&found, K::Iban), ["GB29NWBK60161331926819", "FR1420041010050500013M02606"]);
        assert_eq!(values(&found, K::Imo), ["9074729"]);
        assert_eq!(values(&found, K::Mmsi), ["235012345"]);
        assert_eq!(values(&found, K::Passport), ["L898902C3"], "the MRZ repeats the number: deduplicated");
        assert_eq!(values(&found, K::Plate), ["AB12CDE", "AB123CD"]);
        assert_eq!(values(&found, K::Handle), ["@channel_boats_24"]);
        assert_eq!(
            values(&found, K::Crypto),
            ["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"]
        );
        assert_eq!(found.len(), 14);
        for f in &found {
            assert_eq!(&text[f.span.clone()], f.raw);
        }
        assert!(found.windows(2).all(|w| w[0].span.start < w[1].span.start));
        let iban = found.iter().find(|f| f.kind == K::Iban).unwrap();
        assert_eq!(iban.raw, "GB29 NWBK 6016 1331 9268 19");
        let phone = found.iter().find(|f| f.kind == K::Phone).unwrap();
        assert_eq!(phone.raw, "07700 900123");
    }

    #[test]
    fn dates_amounts_and_references_are_not_phones() {
        let text = "Born 07/03/1991, arrived 07.03.2024 or 2024-03-07; paid £3,500 and €12,000.50; \
                    refs NCA-2024-001234, CASE/0123/4567 and 0123456789012345678; total 0.5 tonnes; \
                    IMO 9074728 (bad check digit), IBAN GB29 NWBK 6016 1331 9268 18 (bad checksum), \
                    wallet 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb, passport issued 2019, user@localhost.";
        let found = extract_identifiers(text, None);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn phone_forms() {
        let cases = [
            ("tel: +44 (0)7700 900123.", "+447700900123", "+44 (0)7700 900123"),
            ("call (020) 7946 0123 now", "+442079460123", "(020) 7946 0123"),
            ("on 07700-900-123,", "+447700900123", "07700-900-123"),
            ("+1 (202) 555-0143", "+12025550143", "+1 (202) 555-0143"),
            ("dial 0033 6 12 34 56 78", "+33612345678", "0033 6 12 34 56 78"),
        ];
        for (text, value, raw) in cases {
            let found = extract_identifiers(text, None);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert_eq!((found[0].value.as_str(), found[0].raw.as_str()), (value, raw), "{text}");
        }
        let list = extract_identifiers("numbers 07700 900123 07700 900456", None);
        assert_eq!(values(&list, IdentifierKind::Phone), ["+447700900123", "+447700900456"]);
        let french = extract_identifiers("appelé au 06 12 34 56 78", Some("FR"));
        assert_eq!(values(&french, IdentifierKind::Phone), ["+33612345678"]);
        assert!(extract_identifiers("id 07700900123abc", None).is_empty());
    }

    #[test]
    fn emails_and_handles_are_told_apart() {
        let found = extract_identifiers("write to Boss@Example.co.uk or @boss_uk; not@ or @x or @12 or a@b", None);
        assert_eq!(values(&found, IdentifierKind::Email), ["boss@example.co.uk"]);
        assert_eq!(values(&found, IdentifierKind::Handle), ["@boss_uk"]);
    }

    #[test]
    fn keywords_introduce_numbers() {
        let found = extract_identifiers(
            "IMO:9074729; imo no. 9176187; MMSI 227006760; document number 123456789; passport: AB-12345",
            None,
        );
        assert_eq!(values(&found, IdentifierKind::Imo), ["9074729", "9176187"]);
        assert_eq!(values(&found, IdentifierKind::Mmsi), ["227006760"]);
        assert_eq!(values(&found, IdentifierKind::Passport), ["123456789", "AB12345"]);
        assert!(extract_identifiers("9074729 235012345 L898902C3", None).is_empty(), "no keyword, no number");
    }

    #[test]
    fn duplicates_are_reported_once() {
        let found = extract_identifiers("07700 900123, +447700900123 and 0044 7700 900123", None);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span, 0..12);
    }

    #[test]
    fn long_text_is_scanned_whole_and_deduplicated() {
        let paragraph = "The subject travelled from Calais on 12 March with three associates, meeting a contact near \
                         the port who arranged onward transport in a lorry. Payments of around 3,500 euros per person \
                         were reported, collected in cash at a cafe. A second crossing was planned for the following \
                         week from a beach near Gravelines. The organiser was reachable on 07700 900123. ";
        let text = format!("{}{}", paragraph.repeat(4000), report());
        // The phone repeated 4,000 times is reported once; the identifiers at the very end are still found.
        // (Speed is measured in bench/, never asserted here.)
        let found = extract_identifiers(&text, None);
        assert_eq!(found.len(), 14);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_spans_slice_raw(s in "\\PC{0,200}") {
            for f in extract_identifiers(&s, None) {
                proptest::prop_assert_eq!(s.get(f.span.clone()), Some(f.raw.as_str()));
            }
        }

        #[test]
        fn never_panics_on_identifier_like_text(
            s in "([ +()0-9@.a-zA-Z<:-]|IMO |MMSI |passport |GB29 |P<UTO|\n){0,80}"
        ) {
            for f in extract_identifiers(&s, Some("FR")) {
                proptest::prop_assert_eq!(s.get(f.span.clone()), Some(f.raw.as_str()));
            }
        }
    }
}
