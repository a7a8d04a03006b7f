//! Social-media and messaging handles ("@name"), folded to one form.

use super::IdentifierError;

const WHAT: &str = "handle";

/// Normalises a handle to "@" followed by 2 to 30 lower-case letters, digits,
/// dots and underscores (with at least one letter or digit); the leading "@"
/// may be omitted in the input.
pub fn normalize_handle(raw: &str) -> Result<String, IdentifierError> {
    let s = raw.trim();
    let name = s.strip_prefix('@').unwrap_or(s);
    if name.is_empty() {
        return Err(IdentifierError::Empty(WHAT));
    }
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_') {
        return Err(IdentifierError::malformed(WHAT, s, "may hold only letters, digits, dots and underscores"));
    }
    if !(2..=30).contains(&name.len()) {
        return Err(IdentifierError::malformed(WHAT, s, "must have 2 to 30 characters after the @"));
    }
    if !name.bytes().any(|b| b.is_ascii_alphanumeric()) {
        return Err(IdentifierError::malformed(WHAT, s, "has no letter or digit"));
    }
    Ok(format!("@{}", name.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_handles() {
        for (raw, expected) in
            [("@Channel_Crossings", "@channel_crossings"), ("boat.man99", "@boat.man99"), (" @ab ", "@ab")]
        {
            assert_eq!(normalize_handle(raw).unwrap(), expected, "{raw}");
        }
    }

    #[test]
    fn rejects_bad_handles() {
        for bad in ["", "@", "@a", "@has space", "@émile", "@a-b", "@__", &format!("@{}", "a".repeat(31))] {
            assert!(normalize_handle(bad).is_err(), "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = normalize_handle(&s);
        }
    }
}
