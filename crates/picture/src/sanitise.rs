//! Sanitised counts, for pictures shown to partners.
//!
//! The method (applied to every count of a sanitised picture, and to
//! partner liaison viewers always):
//! 1. a figure drawn from the reports of fewer than [`MIN_AGENCIES`]
//!    agencies is withheld whole (it would show one agency's holdings);
//! 2. a count below [`THRESHOLD`] is shown as `"<5"` (small numbers identify
//!    people and operations);
//! 3. any other count is rounded to the nearest multiple of [`ROUNDING`]
//!    (halves up), so that differences between pictures do not reveal single
//!    reports;
//! 4. monthly series show no counts or levels, only the months and
//!    directions of change points.
//!
//! Access is not what sanitising is for: every figure is already built only
//! from what the viewer may see. Sanitising governs what is shown onwards.

use serde::{Serialize, Serializer};

/// Counts below this are shown as "<5".
pub const THRESHOLD: u64 = 5;
/// Other counts are rounded to a multiple of this.
pub const ROUNDING: u64 = 5;
/// Figures from fewer agencies than this are withheld.
pub const MIN_AGENCIES: usize = 2;

/// A count as shown: exact, rounded, or below the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// The exact count.
    Exact(u64),
    /// Rounded to the nearest multiple of [`ROUNDING`].
    Rounded(u64),
    /// Fewer than [`THRESHOLD`] (and more than zero).
    Below,
}

impl Count {
    /// The count as shown: exact, or sanitised.
    pub fn show(n: u64, sanitise: bool) -> Count {
        if !sanitise {
            Count::Exact(n)
        } else if n == 0 {
            Count::Exact(0)
        } else if n < THRESHOLD {
            Count::Below
        } else {
            Count::Rounded(n.saturating_add(ROUNDING / 2) / ROUNDING * ROUNDING)
        }
    }

    /// The text shown (`"<5"` below the threshold).
    pub fn text(self) -> String {
        match self {
            Count::Exact(n) | Count::Rounded(n) => n.to_string(),
            Count::Below => format!("<{THRESHOLD}"),
        }
    }
}

impl Serialize for Count {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Count::Exact(n) | Count::Rounded(n) => s.serialize_u64(*n),
            Count::Below => s.serialize_str(&self.text()),
        }
    }
}

/// The method, in words, as shown with a sanitised picture.
pub fn method() -> String {
    format!(
        "figures from fewer than {MIN_AGENCIES} agencies withheld; counts below {THRESHOLD} shown as \"<{THRESHOLD}\"; \
         other counts rounded to the nearest {ROUNDING}; series show change points only"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_hidden_and_others_rounded() {
        assert_eq!(Count::show(3, false), Count::Exact(3));
        assert_eq!(Count::show(0, true), Count::Exact(0));
        assert_eq!(Count::show(1, true), Count::Below);
        assert_eq!(Count::show(4, true), Count::Below);
        assert_eq!(Count::show(5, true), Count::Rounded(5));
        assert_eq!(Count::show(7, true), Count::Rounded(5));
        assert_eq!(Count::show(8, true), Count::Rounded(10));
        assert_eq!(Count::show(12, true), Count::Rounded(10));
        assert_eq!(Count::show(13, true), Count::Rounded(15));
        assert_eq!(Count::show(u64::MAX, true), Count::Rounded(u64::MAX / 5 * 5));
        assert_eq!(serde_json::to_string(&Count::Below).unwrap(), "\"<5\"");
        assert_eq!(serde_json::to_string(&Count::Rounded(10)).unwrap(), "10");
        assert!(method().contains("<5"));
    }

    #[test]
    fn rounded_counts_are_multiples_and_near() {
        for n in 5..500u64 {
            let Count::Rounded(r) = Count::show(n, true) else { panic!("{n} not rounded") };
            assert_eq!(r % ROUNDING, 0);
            assert!(r.abs_diff(n) <= ROUNDING / 2, "{n} → {r}");
        }
    }
}
