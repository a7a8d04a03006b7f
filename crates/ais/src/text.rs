//! Short inline strings, so that names, call signs and destinations decode
//! without allocating.

/// Up to `N` ASCII bytes stored inline (ship names, call signs, destinations,
/// tag-block sources). Longer input is cut at `N` bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Text<const N: usize> {
    len: u8,
    buf: [u8; N],
}

impl<const N: usize> Default for Text<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> Text<N> {
    /// The empty string.
    pub const fn new() -> Self {
        Text { len: 0, buf: [0; N] }
    }

    /// Copy printable ASCII from `bytes` (other bytes become `?`), cut at `N`.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        let mut t = Self::new();
        for &b in bytes.iter().take(N) {
            t.push(if (0x20..0x7f).contains(&b) { b } else { b'?' });
        }
        t
    }

    /// Append one byte if there is room.
    #[inline]
    pub fn push(&mut self, b: u8) {
        if (self.len as usize) < N && (self.len as usize) < 255 {
            self.buf[self.len as usize] = b;
            self.len += 1;
        }
    }

    /// Remove trailing `@` padding, then surrounding spaces: the AIS
    /// convention, as pyais and gpsd apply it.
    pub fn trim_ais(&mut self) {
        let mut end = self.len as usize;
        while end > 0 && self.buf[end - 1] == b'@' {
            end -= 1;
        }
        while end > 0 && self.buf[end - 1] == b' ' {
            end -= 1;
        }
        let mut start = 0;
        while start < end && self.buf[start] == b' ' {
            start += 1;
        }
        if start > 0 {
            self.buf.copy_within(start..end, 0);
        }
        self.len = (end - start) as u8;
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // Only printable ASCII is ever pushed by this crate.
        std::str::from_utf8(&self.buf[..self.len as usize]).unwrap_or("")
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.len as usize
    }
}

impl<const N: usize> std::fmt::Debug for Text<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl<const N: usize> std::fmt::Display for Text<N> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_padding_then_spaces() {
        let mut t = Text::<20>::from_bytes(b" AB@C  @@@");
        t.trim_ais();
        assert_eq!(t.as_str(), "AB@C");
        let mut t = Text::<4>::from_bytes(b"ABCDEF");
        assert_eq!(t.as_str(), "ABCD");
        t.trim_ais();
        assert_eq!(t.len(), 4);
    }
}
