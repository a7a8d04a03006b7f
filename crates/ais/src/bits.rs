//! The 6-bit armouring of AIS payloads and a bit reader over the de-armoured
//! bits.
//!
//! Each payload character carries six bits (ITU-R M.1371-5 / IEC 61162-1):
//! `'0'..='W'` map to 0..=39 and `` '`'..='w' `` to 40..=63. [`BitBuf`] holds
//! the bits of one message in a fixed array of 64-bit words, so that decoding
//! never allocates; fields are read most-significant bit first.

/// Most bits one message may carry. A five-slot message has at most 1,008
/// bits; real feeds carry over-long payloads, so four times that is kept and
/// anything longer is refused as [`crate::Reason::PayloadTooLong`].
pub const MAX_BITS: usize = 4096;
const WORDS: usize = MAX_BITS / 64;

/// The value of one armoured payload character, or `None` when the character
/// is not part of the 6-bit alphabet.
#[inline(always)]
pub fn sixbit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'W' => Some(c - 48),
        b'`'..=b'w' => Some(c - 56),
        _ => None,
    }
}

/// 6-bit value of every byte; 0xFF marks bytes outside the alphabet.
static SIXBIT: [u8; 256] = {
    let mut t = [0xFFu8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        if b >= b'0' && b <= b'W' {
            t[c] = b - 48;
        } else if b >= b'`' && b <= b'w' {
            t[c] = b - 56;
        }
        c += 1;
    }
    t
};

/// The armoured character that carries the 6-bit value `v` (only the low six
/// bits are used).
#[inline]
pub fn armor_char(v: u8) -> u8 {
    let v = v & 0x3f;
    if v < 40 { v + 48 } else { v + 56 }
}

/// The AIS 6-bit text alphabet (`@` is padding).
pub const TEXT_ALPHABET: &[u8; 64] = b"@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_ !\"#$%&'()*+,-./0123456789:;<=>?";

/// The de-armoured bits of one message, in a fixed buffer reused from message
/// to message.
#[derive(Clone)]
pub struct BitBuf {
    words: [u64; WORDS],
    len: usize,
}

impl Default for BitBuf {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for BitBuf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BitBuf({} bits)", self.len)
    }
}

/// Why armoured text could not be turned into bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArmorError {
    /// A character outside the 6-bit alphabet.
    BadChar,
    /// More than [`MAX_BITS`] bits.
    TooLong,
}

impl BitBuf {
    /// An empty buffer.
    pub const fn new() -> Self {
        BitBuf { words: [0; WORDS], len: 0 }
    }

    /// Number of bits held.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no bit is held.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Forget every bit.
    #[inline]
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// Append the bits of armoured payload characters. On error the buffer
    /// holds an unspecified prefix and should be cleared.
    pub fn push_armored(&mut self, payload: &[u8]) -> Result<(), ArmorError> {
        if self.len + payload.len() * 6 > MAX_BITS {
            return Err(ArmorError::TooLong);
        }
        let mut word = self.len / 64;
        let mut used = self.len % 64;
        // `acc` holds the `used` bits of the current word, right-aligned.
        let mut acc = if used == 0 { 0 } else { self.words[word] >> (64 - used) };
        let mut chunks = payload.chunks_exact(8);
        // Eight characters make 48 bits: fold them into one integer first.
        for chunk in &mut chunks {
            let mut v: u64 = 0;
            let mut bad = 0u8;
            for &c in chunk {
                let x = SIXBIT[c as usize];
                bad |= x;
                v = (v << 6) | u64::from(x & 0x3f);
            }
            if bad & 0x80 != 0 {
                return Err(ArmorError::BadChar);
            }
            let free = 64 - used;
            if free >= 48 {
                acc = (acc << 48) | v;
                used += 48;
                if used == 64 {
                    self.words[word] = acc;
                    word += 1;
                    acc = 0;
                    used = 0;
                }
            } else {
                let rest = 48 - free;
                self.words[word] = (acc << free) | (v >> rest);
                word += 1;
                acc = v & ((1u64 << rest) - 1);
                used = rest;
            }
        }
        for &c in chunks.remainder() {
            let v = u64::from(sixbit(c).ok_or(ArmorError::BadChar)?);
            let free = 64 - used;
            if free >= 6 {
                acc = (acc << 6) | v;
                used += 6;
                if used == 64 {
                    self.words[word] = acc;
                    word += 1;
                    acc = 0;
                    used = 0;
                }
            } else {
                let rest = 6 - free;
                self.words[word] = (acc << free) | (v >> rest);
                word += 1;
                acc = v & ((1u64 << rest) - 1);
                used = rest;
            }
        }
        if used > 0 {
            self.words[word] = acc << (64 - used);
        }
        self.len = word * 64 + used;
        Ok(())
    }

    /// Drop the last `n` bits (the fill bits of the last sentence).
    pub fn truncate_by(&mut self, n: usize) {
        self.len = self.len.saturating_sub(n);
    }

    /// The unsigned value of `width` bits (at most 64) starting at bit `off`,
    /// or `None` when the message is too short to hold them.
    #[inline(always)]
    pub fn u(&self, off: usize, width: usize) -> Option<u64> {
        if width == 0 || width > 64 || off + width > self.len {
            return None;
        }
        Some(self.raw(off, width))
    }

    #[inline(always)]
    fn raw(&self, off: usize, width: usize) -> u64 {
        let w = off / 64;
        let b = off % 64;
        let hi = self.words[w] << b;
        let v = if b + width > 64 { hi | (self.words[w + 1] >> (64 - b)) } else { hi };
        v >> (64 - width)
    }

    /// The two's-complement value of `width` bits starting at `off`.
    #[inline(always)]
    pub fn i(&self, off: usize, width: usize) -> Option<i64> {
        let v = self.u(off, width)?;
        let shift = 64 - width;
        Some(((v << shift) as i64) >> shift)
    }

    /// One bit as a boolean.
    #[inline(always)]
    pub fn b(&self, off: usize) -> Option<bool> {
        self.u(off, 1).map(|v| v == 1)
    }

    /// `width` bits as 6-bit text: whole characters only, trailing `@`
    /// padding removed, then surrounding spaces (as pyais and gpsd do).
    pub fn text<const N: usize>(&self, off: usize, width: usize) -> Option<crate::Text<N>> {
        if off >= self.len {
            return None;
        }
        let end = (off + width).min(self.len);
        let mut t = crate::Text::<N>::new();
        let mut p = off;
        while p + 6 <= end {
            t.push(TEXT_ALPHABET[self.raw(p, 6) as usize]);
            p += 6;
        }
        t.trim_ais();
        Some(t)
    }

    /// Variable-length 6-bit text from `off` to the end of the message.
    pub fn text_to_end(&self, off: usize) -> Option<String> {
        if off > self.len {
            return None;
        }
        let mut s = String::with_capacity((self.len - off) / 6);
        let mut p = off;
        while p + 6 <= self.len {
            s.push(TEXT_ALPHABET[self.raw(p, 6) as usize] as char);
            p += 6;
        }
        let trimmed = s.trim_end_matches('@').trim();
        Some(trimmed.to_string())
    }

    /// The bits from `off` to `end` (clamped to the message) packed into bytes,
    /// most significant bit first, the last byte padded with zero bits; and
    /// the number of bits.
    pub fn bytes(&self, off: usize, end: usize) -> (Vec<u8>, usize) {
        let end = end.min(self.len);
        if off >= end {
            return (Vec::new(), 0);
        }
        let n = end - off;
        let mut out = Vec::with_capacity(n.div_ceil(8));
        let mut p = off;
        while p < end {
            let w = (end - p).min(8);
            out.push((self.raw(p, w) << (8 - w)) as u8);
            p += w;
        }
        (out, n)
    }

    /// The bits armoured again as payload characters, with the number of fill
    /// bits needed to make whole characters.
    pub fn armor(&self) -> (String, u8) {
        let mut s = String::with_capacity(self.len.div_ceil(6));
        let mut p = 0;
        while p < self.len {
            let w = (self.len - p).min(6);
            let v = (self.raw(p, w) << (6 - w)) as u8;
            s.push(armor_char(v) as char);
            p += w;
        }
        let fill = (s.len() * 6 - self.len) as u8;
        (s, fill)
    }

    /// Append `width` bits (at most 64) of `value`; used to build messages in
    /// tests and tools. Returns false when the buffer is full.
    pub fn push_bits(&mut self, value: u64, width: usize) -> bool {
        if width == 0 {
            return true;
        }
        if width > 64 || self.len + width > MAX_BITS {
            return false;
        }
        let value = if width == 64 { value } else { value & ((1u64 << width) - 1) };
        let w = self.len / 64;
        let b = self.len % 64;
        if b == 0 {
            self.words[w] = 0;
        }
        // Clear the bits beyond `len` in the current word before or-ing.
        let keep = if b == 0 { 0 } else { self.words[w] & (!0u64 << (64 - b)) };
        let free = 64 - b;
        if width <= free {
            self.words[w] = keep | (value << (free - width));
        } else {
            let rest = width - free;
            self.words[w] = keep | (value >> rest);
            self.words[w + 1] = value << (64 - rest);
        }
        self.len += width;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabet_round_trip() {
        for v in 0..64u8 {
            assert_eq!(sixbit(armor_char(v)), Some(v));
        }
        assert_eq!(sixbit(b'X'), None);
        assert_eq!(sixbit(b'_'), None);
        assert_eq!(sixbit(b'x'), None);
    }

    #[test]
    fn reads_fields_of_a_known_position_report() {
        // gpsd's type-1 example: MMSI 371798000, speed 12.3, course 224.0.
        let mut b = BitBuf::new();
        b.push_armored(b"15RTgt0PAso;90TKcjM8h6g208CQ").unwrap();
        assert_eq!(b.len(), 168);
        assert_eq!(b.u(0, 6), Some(1));
        assert_eq!(b.u(8, 30), Some(371798000));
        assert_eq!(b.u(50, 10), Some(123));
        assert_eq!(b.u(116, 12), Some(2240));
        assert_eq!(b.i(42, 8), Some(-127));
        assert_eq!(b.u(160, 10), None);
    }

    #[test]
    fn push_armored_matches_char_by_char() {
        let payload = b"55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8";
        for split in 0..payload.len() {
            let mut a = BitBuf::new();
            a.push_armored(&payload[..split]).unwrap();
            a.push_armored(&payload[split..]).unwrap();
            let mut b = BitBuf::new();
            for &c in payload.iter() {
                b.push_bits(u64::from(sixbit(c).unwrap()), 6);
            }
            assert_eq!(a.len(), b.len());
            for off in 0..a.len() {
                assert_eq!(a.u(off, 1), b.u(off, 1), "split {split} bit {off}");
            }
        }
    }

    #[test]
    fn bad_character_is_refused() {
        let mut b = BitBuf::new();
        assert_eq!(b.push_armored(b"15RTgt0PAso;90TK~jM8h6g208CQ"), Err(ArmorError::BadChar));
        let mut b = BitBuf::new();
        assert_eq!(b.push_armored(b"15RTgt0PAso;90TKcjM8h6g208C_"), Err(ArmorError::BadChar));
    }
}
