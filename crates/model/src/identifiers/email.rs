//! E-mail addresses, checked for structure and folded to lower case.

use super::IdentifierError;

const WHAT: &str = "e-mail address";

/// Validates an e-mail address and returns it trimmed and entirely lower-cased.
///
/// A leading `mailto:` and surrounding angle brackets are dropped. The local
/// part may hold letters, digits and ``!#$%&'*+/=?^_`{|}~.-`` (no leading,
/// trailing or doubled dot, at most 64 characters); the domain must be at least
/// two dot-separated labels of letters, digits and inner hyphens, with an
/// alphabetic (or `xn--`) top-level label. The local part is lower-cased too:
/// RFC 5321 lets it be case-sensitive, but no mainstream provider treats it
/// so, and two reports spelling one address differently must meet. Addresses
/// with non-ASCII characters are rejected (write the domain in its `xn--` form).
pub fn normalize_email(raw: &str) -> Result<String, IdentifierError> {
    let mut s = raw.trim();
    if s.len() >= 7 && s.is_char_boundary(7) && s[..7].eq_ignore_ascii_case("mailto:") {
        s = s[7..].trim();
    }
    if let Some(inner) = s.strip_prefix('<').and_then(|r| r.strip_suffix('>')) {
        s = inner.trim();
    }
    if s.is_empty() {
        return Err(IdentifierError::Empty(WHAT));
    }
    let bad = |problem: &str| IdentifierError::malformed(WHAT, s, problem);
    if !s.is_ascii() {
        return Err(bad("has non-ASCII characters"));
    }
    if s.len() > 254 {
        return Err(bad("is longer than 254 characters"));
    }
    let lower = s.to_ascii_lowercase();
    let Some((local, domain)) = lower.split_once('@') else {
        return Err(bad("has no @"));
    };
    if domain.contains('@') {
        return Err(bad("has more than one @"));
    }
    if local.is_empty() || local.len() > 64 {
        return Err(bad("local part must have 1 to 64 characters"));
    }
    if !local.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-".contains(&b)) {
        return Err(bad("local part has a character not allowed"));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(bad("local part has a misplaced dot"));
    }
    if !valid_domain(domain) {
        return Err(bad("domain is not a valid host name"));
    }
    Ok(lower)
}

/// Whether a lower-cased domain is a valid internet host name with at least two labels.
pub(crate) fn valid_domain(domain: &str) -> bool {
    if domain.len() > 253 {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let tld = labels[labels.len() - 1];
    labels.iter().all(|l| label_ok(l))
        && tld.len() >= 2
        && (tld.bytes().all(|b| b.is_ascii_lowercase()) || tld.starts_with("xn--"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_addresses() {
        for (raw, expected) in [
            ("  Ali.Hassan@Example.COM ", "ali.hassan@example.com"),
            ("mailto:smuggler+boats@proton.me", "smuggler+boats@proton.me"),
            ("<x@y.com>", "x@y.com"),
            ("o'brien@mail.co.uk", "o'brien@mail.co.uk"),
            ("a_b-c@sub-domain.example.org", "a_b-c@sub-domain.example.org"),
            ("x@xn--bcher-kva.example", "x@xn--bcher-kva.example"),
        ] {
            assert_eq!(normalize_email(raw).unwrap(), expected, "{raw}");
        }
    }

    #[test]
    fn rejects_malformed_addresses() {
        for bad in [
            "",
            "plainaddress",
            "a@b@c.com",
            "@example.com",
            "x@localhost",
            "x@-bad.com",
            "x@bad-.com",
            "x@exa mple.com",
            ".x@example.com",
            "x.@example.com",
            "x..y@example.com",
            "x@example.c",
            "x@example.123",
            "jürgen@example.de",
            "x@example..com",
            "x(y)@example.com",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
        assert_eq!(
            normalize_email("x@localhost").unwrap_err().to_string(),
            "e-mail address x@localhost: domain is not a valid host name"
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = normalize_email(&s);
        }
    }
}
