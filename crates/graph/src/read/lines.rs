//! Splitting text into numbered lines and fields, shared by every reader.

/// Lines of a byte buffer with their 1-based numbers; a line that is not
/// UTF-8 is an error string. A UTF-8 byte-order mark and `\r` are removed.
pub(crate) struct Lines<'a> {
    rest: &'a [u8],
    number: usize,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        let rest = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        Lines { rest, number: 0 }
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, Result<&'a str, String>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let end = self.rest.iter().position(|&b| b == b'\n').unwrap_or(self.rest.len());
        let mut line = &self.rest[..end];
        self.rest = self.rest.get(end + 1..).unwrap_or(&[]);
        if let Some(stripped) = line.strip_suffix(b"\r") {
            line = stripped;
        }
        self.number += 1;
        let text = std::str::from_utf8(line).map_err(|e| format!("not UTF-8 text ({e})"));
        Some((self.number, text))
    }
}

/// Whether a line carries no data: empty, or a `#` or `%` comment.
pub(crate) fn is_blank_or_comment(line: &str) -> bool {
    let line = line.trim();
    line.is_empty() || line.starts_with('#') || line.starts_with('%')
}

/// Fields of a line: comma separated if it has a comma (or a semicolon),
/// otherwise whitespace separated; surrounding spaces and double quotes removed.
pub(crate) fn fields(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    fields_into(line, &mut out);
    out
}

/// [`fields`] into a buffer kept across lines, so that reading allocates nothing per line.
pub(crate) fn fields_into<'a>(line: &'a str, out: &mut Vec<&'a str>) {
    fn clean(f: &str) -> &str {
        let f = f.trim();
        f.strip_prefix('"').and_then(|g| g.strip_suffix('"')).unwrap_or(f)
    }
    out.clear();
    if line.contains(',') {
        out.extend(line.split(',').map(clean));
    } else if line.contains(';') {
        out.extend(line.split(';').map(clean));
    } else {
        out.extend(line.split_ascii_whitespace().map(clean));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_numbered_and_cleaned() {
        let all: Vec<_> = Lines::new(b"\xEF\xBB\xBFa\r\nb\n\xff\n").collect();
        assert_eq!(all[0], (1, Ok("a")));
        assert_eq!(all[1], (2, Ok("b")));
        assert!(all[2].1.is_err());
        assert_eq!(all.len(), 3);
    }

    #[test]
    fn fields_split_on_commas_or_whitespace() {
        assert_eq!(fields(" \"a\" , b,3"), ["a", "b", "3"]);
        assert_eq!(fields("a\t b  3"), ["a", "b", "3"]);
        assert_eq!(fields("a;b"), ["a", "b"]);
        assert!(is_blank_or_comment("  # x") && is_blank_or_comment("") && !is_blank_or_comment("1 2"));
    }
}
