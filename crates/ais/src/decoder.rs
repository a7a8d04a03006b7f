//! The streaming decoder: lines in, messages out, with constant memory.
//!
//! A line may carry a tag block (`\s:station,c:1418169601*hh\`), then an
//! AIS sentence (`!AIVDM,1,1,,A,<payload>,0*hh`, any talker id, `VDM` or
//! `VDO`), possibly followed by receiver fields after the checksum. `$PGHP`
//! lines set the reception time of the sentences that follow. Multi-part
//! messages are reassembled in a bounded table keyed on sequential id,
//! channel, talker, part count and source (tag-block group or station);
//! parts that never complete are dropped after [`Options::max_age`] lines or
//! when the table is full. Bad input is counted by [`Reason`], never fatal.

use std::io::BufRead;

use crate::Text;
use crate::bits::{ArmorError, BitBuf, MAX_BITS};
use crate::message::{self, Message, Meta, PayloadError};

/// Why a line did not yield a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Reason {
    /// The checksum after `*` does not match the sentence.
    Checksum,
    /// No `*hh` checksum.
    NoChecksum,
    /// Too few fields, or a part count, part number or sequence id that is not a number.
    Malformed,
    /// Fill bits outside 0..=5.
    FillBits,
    /// A payload character outside the 6-bit alphabet.
    PayloadChar,
    /// More than [`MAX_BITS`] bits in one message.
    PayloadTooLong,
    /// Fewer than the 38 header bits.
    TooShort,
    /// Message type 0 or above 27.
    UnknownType,
    /// Type 24 with a part number other than 0 (A) or 1 (B).
    UnknownPart,
    /// A tag block without its closing `\` or with a bad checksum (the
    /// sentence after it is still decoded, without the tag block's fields).
    TagBlock,
    /// A part of a multi-part message whose earlier parts were not seen, or
    /// came out of order.
    OrphanPart,
    /// A multi-part message that never completed (expired, evicted, or
    /// restarted by a new first part).
    Incomplete,
}

impl Reason {
    /// Every reason, in reporting order.
    pub const ALL: [Reason; 12] = [
        Reason::Checksum,
        Reason::NoChecksum,
        Reason::Malformed,
        Reason::FillBits,
        Reason::PayloadChar,
        Reason::PayloadTooLong,
        Reason::TooShort,
        Reason::UnknownType,
        Reason::UnknownPart,
        Reason::TagBlock,
        Reason::OrphanPart,
        Reason::Incomplete,
    ];

    /// Short snake-case name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Reason::Checksum => "checksum",
            Reason::NoChecksum => "no_checksum",
            Reason::Malformed => "malformed",
            Reason::FillBits => "fill_bits",
            Reason::PayloadChar => "payload_char",
            Reason::PayloadTooLong => "payload_too_long",
            Reason::TooShort => "too_short",
            Reason::UnknownType => "unknown_type",
            Reason::UnknownPart => "unknown_part",
            Reason::TagBlock => "tag_block",
            Reason::OrphanPart => "orphan_part",
            Reason::Incomplete => "incomplete",
        }
    }
}

/// Counts of what the decoder saw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Lines fed.
    pub lines: u64,
    /// AIS sentences (`!xxVDM` / `!xxVDO`) found.
    pub sentences: u64,
    /// Messages decoded.
    pub messages: u64,
    /// `$PGHP` time stamps read.
    pub timestamps: u64,
    /// Lines that are not AIS: blank lines, comments, other NMEA sentences.
    pub ignored: u64,
    /// Messages by type (index = type; 0 unused).
    pub by_type: [u64; 28],
    /// Problems by [`Reason`] (index = `reason as usize`).
    pub errors: [u64; Reason::ALL.len()],
}

impl Stats {
    /// How many times `reason` occurred.
    pub fn error(&self, reason: Reason) -> u64 {
        self.errors[reason as usize]
    }

    /// All problems together.
    pub fn total_errors(&self) -> u64 {
        self.errors.iter().sum()
    }
}

/// Tolerances of the decoder.
#[derive(Debug, Clone)]
pub struct Options {
    /// Refuse sentences whose checksum does not match (default true).
    pub verify_checksum: bool,
    /// Multi-part messages assembled at the same time (default 64).
    pub max_pending: usize,
    /// Lines after which an incomplete multi-part message is dropped (default 1,000).
    pub max_age: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options { verify_checksum: true, max_pending: 64, max_age: 1000 }
    }
}

struct Pending {
    key: u64,
    next: u8,
    total: u8,
    started: u64,
    meta: Meta,
    payload: Vec<u8>,
}

/// Turns lines into messages. Holds one bit buffer and a bounded table of
/// incomplete multi-part messages; allocates nothing per position report.
pub struct Decoder {
    opts: Options,
    bits: BitBuf,
    pending: Vec<Pending>,
    free: Vec<Pending>,
    pghp_ms: Option<i64>,
    stats: Stats,
}

impl Default for Decoder {
    fn default() -> Self {
        Self::new()
    }
}

/// What a tag block said.
#[derive(Default)]
struct Tag<'a> {
    source: Option<&'a [u8]>,
    time_ms: Option<i64>,
    group: Option<&'a [u8]>,
}

impl Decoder {
    /// A decoder with default [`Options`].
    pub fn new() -> Self {
        Self::with_options(Options::default())
    }

    /// A decoder with the given tolerances.
    pub fn with_options(opts: Options) -> Self {
        let max = opts.max_pending.max(1);
        Decoder {
            opts: Options { max_pending: max, ..opts },
            bits: BitBuf::new(),
            pending: Vec::with_capacity(max),
            free: Vec::with_capacity(max),
            pghp_ms: None,
            stats: Stats::default(),
        }
    }

    /// What has been counted so far.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// End of input: count the multi-part messages still incomplete.
    pub fn finish(&mut self) {
        let n = self.pending.len() as u64;
        self.stats.errors[Reason::Incomplete as usize] += n;
        self.free.append(&mut self.pending);
    }

    #[inline]
    fn err(&mut self, r: Reason) -> Option<Message> {
        self.stats.errors[r as usize] += 1;
        None
    }

    /// Decode one line (with or without its line ending). Returns the message
    /// the line completes, if any.
    pub fn feed(&mut self, line: &[u8]) -> Option<Message> {
        self.stats.lines += 1;
        let line = trim(line);
        let mut rest = line;
        let mut tag = Tag::default();
        while let Some(after) = rest.strip_prefix(b"\\") {
            let Some(end) = after.iter().position(|&c| c == b'\\') else {
                return self.err(Reason::TagBlock);
            };
            match parse_tag(&after[..end]) {
                Some(t) => {
                    tag.source = t.source.or(tag.source);
                    tag.time_ms = t.time_ms.or(tag.time_ms);
                    tag.group = t.group.or(tag.group);
                }
                None => {
                    self.stats.errors[Reason::TagBlock as usize] += 1;
                }
            }
            rest = &after[end + 1..];
        }
        match rest.first() {
            Some(b'!') => {}
            Some(b'$') => return self.dollar(rest),
            _ => {
                // Blank, comment, or a prefix before the sentence.
                match find_sentence(rest) {
                    Some(p) => rest = &rest[p..],
                    None => {
                        self.stats.ignored += 1;
                        return None;
                    }
                }
            }
        }
        self.sentence(rest, &tag)
    }

    fn dollar(&mut self, s: &[u8]) -> Option<Message> {
        if !s.starts_with(b"$PGHP,") {
            self.stats.ignored += 1;
            return None;
        }
        let Some((body, ok)) = checksum(s) else {
            return self.err(Reason::NoChecksum);
        };
        if !ok && self.opts.verify_checksum {
            return self.err(Reason::Checksum);
        }
        // $PGHP,1,<year>,<month>,<day>,<hour>,<minute>,<second>,<ms>,...
        let mut f = body.split(|&c| c == b',');
        let _ = f.next();
        if f.next() != Some(b"1") {
            self.stats.ignored += 1;
            return None;
        }
        let mut n = [0i64; 7];
        for v in n.iter_mut() {
            match f.next().and_then(int) {
                Some(x) => *v = x,
                None => return self.err(Reason::Malformed),
            }
        }
        let ms = crate::time::civil_to_ms(
            n[0],
            n[1] as u32,
            n[2] as u32,
            n[3] as u32,
            n[4] as u32,
            n[5] as u32,
            n[6] as u32,
        );
        match ms {
            Some(ms) => {
                self.pghp_ms = Some(ms);
                self.stats.timestamps += 1;
                None
            }
            None => self.err(Reason::Malformed),
        }
    }

    fn sentence(&mut self, s: &[u8], tag: &Tag<'_>) -> Option<Message> {
        // s starts with '!'.
        if s.len() < 7 || &s[3..6] != b"VDM" && &s[3..6] != b"VDO" || s[6] != b',' {
            self.stats.ignored += 1;
            return None;
        }
        self.stats.sentences += 1;
        let Some((body, ok)) = checksum(s) else {
            return self.err(Reason::NoChecksum);
        };
        if !ok && self.opts.verify_checksum {
            return self.err(Reason::Checksum);
        }
        if body.len() < 6 {
            // A `*` inside the address field.
            return self.err(Reason::Malformed);
        }
        // body is `AIVDM,total,num,seq,channel,payload,fill[,extra...]`.
        let mut pos = 6;
        let (Some(total), Some(num), Some(seq), Some(chan), Some(payload)) = (
            field(body, &mut pos),
            field(body, &mut pos),
            field(body, &mut pos),
            field(body, &mut pos),
            field(body, &mut pos),
        ) else {
            return self.err(Reason::Malformed);
        };
        let fill = field(body, &mut pos).unwrap_or(b"0");
        let (Some(total), Some(num)) = (digit(total), digit(num)) else {
            return self.err(Reason::Malformed);
        };
        if total == 0 || num == 0 || num > total || seq.len() > 2 || !seq.iter().all(u8::is_ascii_digit) {
            return self.err(Reason::Malformed);
        }
        let fill = match fill {
            [] => 0,
            [d @ b'0'..=b'5'] => d - b'0',
            _ => return self.err(Reason::FillBits),
        };
        let channel = chan.first().copied();
        let talker = [s[1], s[2]];
        let meta = Meta {
            talker,
            own: s[5] == b'O',
            channel,
            parts: total,
            source: tag.source.map(Text::from_bytes),
            received_ms: tag.time_ms.or(self.pghp_ms),
        };
        if total == 1 {
            self.bits.clear();
            if let Err(e) = self.bits.push_armored(payload) {
                return self.err(armor_reason(e));
            }
            return self.finish_message(fill, meta);
        }
        // Multi-part.
        let key = part_key(seq, channel, talker, total, tag.group.or(tag.source));
        let line = self.stats.lines;
        let max_age = self.opts.max_age;
        let before = self.pending.len();
        let mut i = 0;
        while i < self.pending.len() {
            if line - self.pending[i].started > max_age {
                let p = self.pending.swap_remove(i);
                self.free.push(p);
            } else {
                i += 1;
            }
        }
        self.stats.errors[Reason::Incomplete as usize] += (before - self.pending.len()) as u64;
        let found = self.pending.iter().position(|p| p.key == key && p.total == total);
        if num == 1 {
            if let Some(i) = found {
                let p = self.pending.swap_remove(i);
                self.free.push(p);
                self.stats.errors[Reason::Incomplete as usize] += 1;
            }
            if self.pending.len() >= self.opts.max_pending {
                let oldest = (0..self.pending.len()).min_by_key(|&i| self.pending[i].started).unwrap_or(0);
                let p = self.pending.swap_remove(oldest);
                self.free.push(p);
                self.stats.errors[Reason::Incomplete as usize] += 1;
            }
            let mut p = self.free.pop().unwrap_or_else(|| Pending {
                key: 0,
                next: 0,
                total: 0,
                started: 0,
                meta: Meta::default(),
                payload: Vec::new(),
            });
            p.key = key;
            p.next = 2;
            p.total = total;
            p.started = line;
            p.meta = meta;
            p.payload.clear();
            p.payload.extend_from_slice(payload);
            self.pending.push(p);
            return None;
        }
        let Some(i) = found.filter(|&i| self.pending[i].next == num) else {
            return self.err(Reason::OrphanPart);
        };
        if (self.pending[i].payload.len() + payload.len()) * 6 > MAX_BITS {
            let p = self.pending.swap_remove(i);
            self.free.push(p);
            return self.err(Reason::PayloadTooLong);
        }
        let p = &mut self.pending[i];
        p.payload.extend_from_slice(payload);
        p.next += 1;
        if p.meta.received_ms.is_none() {
            p.meta.received_ms = meta.received_ms;
        }
        if p.meta.source.is_none() {
            p.meta.source = meta.source;
        }
        if num < total {
            return None;
        }
        let p = self.pending.swap_remove(i);
        self.bits.clear();
        let r = self.bits.push_armored(&p.payload);
        let meta = p.meta;
        self.free.push(p);
        if let Err(e) = r {
            return self.err(armor_reason(e));
        }
        self.finish_message(fill, meta)
    }

    fn finish_message(&mut self, fill: u8, meta: Meta) -> Option<Message> {
        self.bits.truncate_by(usize::from(fill));
        match message::decode(&self.bits, meta) {
            Ok(m) => {
                self.stats.messages += 1;
                self.stats.by_type[usize::from(m.msg_type)] += 1;
                Some(m)
            }
            Err(PayloadError::TooShort) => self.err(Reason::TooShort),
            Err(PayloadError::UnknownType) => self.err(Reason::UnknownType),
            Err(PayloadError::UnknownPart) => self.err(Reason::UnknownPart),
        }
    }

    /// Decode every line of `reader`, calling `f` with each message, then
    /// [`Decoder::finish`]. Lines need not be UTF-8.
    pub fn decode_all<R: BufRead>(&mut self, mut reader: R, mut f: impl FnMut(Message)) -> std::io::Result<()> {
        let mut line = Vec::with_capacity(256);
        while read_line(&mut reader, &mut line)? {
            if let Some(m) = self.feed(&line) {
                f(m);
            }
        }
        self.finish();
        Ok(())
    }

    /// An iterator over the messages of `reader`.
    pub fn messages<R: BufRead>(self, reader: R) -> Messages<R> {
        Messages { reader, decoder: self, line: Vec::with_capacity(256), done: false }
    }
}

/// Iterator over the messages of a [`BufRead`], from [`Decoder::messages`].
pub struct Messages<R> {
    reader: R,
    decoder: Decoder,
    line: Vec<u8>,
    done: bool,
}

impl<R> Messages<R> {
    /// The decoder's counts so far (complete once the iterator has ended).
    pub fn stats(&self) -> &Stats {
        self.decoder.stats()
    }
}

impl<R: BufRead> Iterator for Messages<R> {
    type Item = std::io::Result<Message>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            match read_line(&mut self.reader, &mut self.line) {
                Ok(false) => {
                    self.done = true;
                    self.decoder.finish();
                    return None;
                }
                Ok(true) => {
                    if let Some(m) = self.decoder.feed(&self.line) {
                        return Some(Ok(m));
                    }
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

/// Longest line kept: a sentence is at most 82 characters and a tag block
/// adds a few dozen; anything longer is cut here (and then fails its
/// checksum), so memory stays bounded whatever the input.
pub const MAX_LINE: usize = 16 * 1024;

/// Reads one line into `line` (without growing it beyond [`MAX_LINE`] bytes;
/// the rest of a longer line is skipped), keeping the line ending. False at
/// the end of input. The decoder's own line reader, for callers that look at
/// lines before feeding them (bounded memory whatever the input).
pub fn read_line<R: BufRead>(reader: &mut R, line: &mut Vec<u8>) -> std::io::Result<bool> {
    line.clear();
    let mut any = false;
    loop {
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(any);
        }
        any = true;
        let (chunk, done) = match find(buf, b'\n', 0) {
            Some(p) => (&buf[..=p], true),
            None => (buf, false),
        };
        let room = MAX_LINE.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let n = chunk.len();
        reader.consume(n);
        if done {
            return Ok(true);
        }
    }
}

fn armor_reason(e: ArmorError) -> Reason {
    match e {
        ArmorError::BadChar => Reason::PayloadChar,
        ArmorError::TooLong => Reason::PayloadTooLong,
    }
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if first.is_ascii_whitespace() || *first == 0 {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if last.is_ascii_whitespace() || *last == 0 {
            s = rest;
        } else {
            break;
        }
    }
    s
}

/// Position of `!` starting an AIS sentence inside a line that carries a
/// prefix (a time stamp, a receiver name).
fn find_sentence(s: &[u8]) -> Option<usize> {
    if s.first() == Some(&b'#') {
        return None;
    }
    let mut from = 0;
    while let Some(p) = s[from..].iter().position(|&c| c == b'!') {
        let p = from + p;
        if s.len() >= p + 7 && (&s[p + 3..p + 6] == b"VDM" || &s[p + 3..p + 6] == b"VDO") {
            return Some(p);
        }
        from = p + 1;
    }
    None
}

/// The body between the start character and `*`, and whether the two hex
/// digits after `*` match its XOR checksum. `None` without `*hh`. Eight bytes
/// at a time: the checksum is an XOR, so words can be folded together.
#[inline]
fn checksum(s: &[u8]) -> Option<(&[u8], bool)> {
    let mut acc = 0u64;
    let mut i = 1;
    let star = loop {
        if i + 8 <= s.len() {
            let w = u64::from_le_bytes(s[i..i + 8].try_into().unwrap_or([0; 8]));
            let m = has_byte(w, b'*');
            if m != 0 {
                let k = (m.trailing_zeros() / 8) as usize;
                if k > 0 {
                    acc ^= w & (u64::MAX >> (64 - 8 * k));
                }
                break i + k;
            }
            acc ^= w;
            i += 8;
        } else {
            let k = s[i.min(s.len())..].iter().position(|&c| c == b'*')?;
            for &c in &s[i..i + k] {
                acc ^= u64::from(c);
            }
            break i + k;
        }
    };
    let hi = hexval(*s.get(star + 1)?)?;
    let lo = hexval(*s.get(star + 2)?)?;
    acc ^= acc >> 32;
    acc ^= acc >> 16;
    acc ^= acc >> 8;
    Some((&s[1..star], acc as u8 == (hi << 4 | lo)))
}

/// Bytes of `w` equal to `b` marked by their high bit; the lowest mark is
/// exact (higher ones may be false positives, which callers never use).
#[inline(always)]
fn has_byte(w: u64, b: u8) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let x = w ^ (LO * u64::from(b));
    x.wrapping_sub(LO) & !x & HI
}

/// Position of the first `b` in `s` at or after `from`.
#[inline(always)]
fn find(s: &[u8], b: u8, from: usize) -> Option<usize> {
    let mut i = from;
    while i + 8 <= s.len() {
        let w = u64::from_le_bytes(s[i..i + 8].try_into().unwrap_or([0; 8]));
        let m = has_byte(w, b);
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    s.get(i..)?.iter().position(|&c| c == b).map(|p| i + p)
}

/// The comma-separated field starting at `*pos`, moving `*pos` past it.
#[inline(always)]
fn field<'a>(body: &'a [u8], pos: &mut usize) -> Option<&'a [u8]> {
    if *pos > body.len() {
        return None;
    }
    let end = find(body, b',', *pos).unwrap_or(body.len());
    let f = &body[*pos..end];
    *pos = end + 1;
    Some(f)
}

#[inline]
fn hexval(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'A'..=b'F' => Some(c - b'A' + 10),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    }
}

#[inline]
fn digit(s: &[u8]) -> Option<u8> {
    match s {
        [d @ b'0'..=b'9'] => Some(d - b'0'),
        _ => None,
    }
}

fn int(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() > 18 {
        return None;
    }
    let (neg, digits) = match s {
        [b'-', rest @ ..] => (true, rest),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v = digits.iter().fold(0i64, |a, &c| a * 10 + i64::from(c - b'0'));
    Some(if neg { -v } else { v })
}

/// Parse a tag block's content (`s:src,c:123*hh`); `None` when its checksum
/// is present and wrong.
fn parse_tag(content: &[u8]) -> Option<Tag<'_>> {
    let fields = match content.iter().position(|&c| c == b'*') {
        Some(star) => {
            let (hi, lo) = (hexval(*content.get(star + 1)?)?, hexval(*content.get(star + 2)?)?);
            let body = &content[..star];
            if body.iter().fold(0u8, |a, &c| a ^ c) != (hi << 4 | lo) {
                return None;
            }
            body
        }
        None => content,
    };
    let mut tag = Tag::default();
    for field in fields.split(|&c| c == b',') {
        match field {
            [b's', b':', v @ ..] => tag.source = Some(v),
            [b'c', b':', v @ ..] => {
                // Seconds, or milliseconds when the number is that large.
                tag.time_ms = int(v).map(|t| if t.abs() >= 100_000_000_000 { t } else { t * 1000 });
            }
            [b'g', b':', v @ ..] => {
                // g:<part>-<total>-<group id>: key on the group id.
                let id = v.iter().rposition(|&c| c == b'-').map_or(v, |p| &v[p + 1..]);
                tag.group = Some(id);
            }
            _ => {}
        }
    }
    Some(tag)
}

fn part_key(seq: &[u8], channel: Option<u8>, talker: [u8; 2], total: u8, source: Option<&[u8]>) -> u64 {
    // FNV-1a over the parts of the key.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    };
    for &b in seq {
        eat(b);
    }
    eat(0xff);
    eat(channel.unwrap_or(0));
    eat(talker[0]);
    eat(talker[1]);
    eat(total);
    for &b in source.unwrap_or_default() {
        eat(b);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Body;

    #[test]
    fn single_sentence_with_trailing_receiver_fields() {
        let mut d = Decoder::new();
        let m = d
            .feed(b"!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30,d-080,S2118,t050056.00,T56.4837741,r003669946,1325394060,1325394001\r\n")
            .unwrap();
        assert_eq!(m.msg_type, 1);
        assert_eq!(m.meta.channel, Some(b'A'));
        assert_eq!(d.stats().messages, 1);
    }

    #[test]
    fn bad_checksum_is_counted_not_fatal() {
        let mut d = Decoder::new();
        assert!(d.feed(b"!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*31").is_none());
        assert_eq!(d.stats().error(Reason::Checksum), 1);
        let mut d = Decoder::with_options(Options { verify_checksum: false, ..Options::default() });
        assert!(d.feed(b"!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*31").is_some());
    }

    #[test]
    fn gofree_extra_field_and_empty_channel() {
        let mut d = Decoder::new();
        let m = d.feed(b"!AIVDM,1,1,1,,13aI8e?P00PGpU:NR6s00?vT2000,0,0*1C").unwrap();
        assert_eq!(m.meta.channel, None);
        assert_eq!(m.mmsi, 244730036);
    }

    #[test]
    fn other_talkers_and_vdo() {
        let mut d = Decoder::new();
        for talker in [b"BS", b"AB", b"SA"] {
            let body = format!("{}VDO,1,1,,B,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0", std::str::from_utf8(talker).unwrap());
            let sum = body.bytes().fold(0u8, |a, c| a ^ c);
            let line = format!("!{body}*{sum:02X}");
            let m = d.feed(line.as_bytes()).unwrap();
            assert_eq!(&m.meta.talker, talker);
            assert!(m.meta.own);
        }
    }

    #[test]
    fn interleaved_multipart_with_tag_blocks() {
        let mut d = Decoder::new();
        let lines: [&[u8]; 4] = [
            b"\\g:1-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*37\\!AIVDM,2,1,6,A,53@o0E000001Q0CG37U8u<Tp4q@D00000000000018330400000000000000,0*63",
            b"\\s:rORBCOMM104,q:u,c:1418172113,T:2014-12-10 00.41.53*55\\!AIVDM,1,1,,B,13F?Vv700<DJuLEtvep`iToV0<00,0*78",
            b"\\g:2-2-1604,s:rORBCOMM008,c:1418169601,T:2014-12-10 00.00.01*34\\!AIVDM,2,2,6,A,00000000008,2*2A",
            b"",
        ];
        let out: Vec<Message> = lines.iter().filter_map(|l| d.feed(l)).collect();
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].msg_type, 1);
        assert_eq!(out[0].meta.source.unwrap().as_str(), "rORBCOMM104");
        assert_eq!(out[0].meta.received_ms, Some(1418172113000));
        assert_eq!(out[1].msg_type, 5);
        assert_eq!(out[1].meta.parts, 2);
        assert_eq!(out[1].meta.received_ms, Some(1418169601000));
        assert!(matches!(out[1].body, Body::StaticVoyage(_)));
    }

    #[test]
    fn two_multipart_messages_interleaved_on_different_sequence_ids() {
        let a1 = b"!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C";
        let a2 = b"!AIVDM,2,2,1,A,88888888880,2*25";
        let mut d = Decoder::new();
        // A second message on sequence id 2 starts before the first ends.
        let b1 = retag(a1, b'1', b'2');
        let b2 = retag(a2, b'1', b'2');
        assert!(d.feed(a1).is_none());
        assert!(d.feed(&b1).is_none());
        let m1 = d.feed(a2).unwrap();
        let m2 = d.feed(&b2).unwrap();
        assert_eq!(m1, m2);
        assert_eq!(m1.mmsi, 351759000);
        assert_eq!(d.stats().total_errors(), 0);
        // An orphan second part is counted.
        assert!(d.feed(a2).is_none());
        assert_eq!(d.stats().error(Reason::OrphanPart), 1);
    }

    /// Change the sequential id field of a sentence and fix its checksum.
    fn retag(line: &[u8], from: u8, to: u8) -> Vec<u8> {
        let s = std::str::from_utf8(line).unwrap();
        let star = s.find('*').unwrap();
        let mut fields: Vec<String> = s[1..star].split(',').map(str::to_string).collect();
        assert_eq!(fields[3].as_bytes(), [from]);
        fields[3] = (to as char).to_string();
        let body = fields.join(",");
        let sum = body.bytes().fold(0u8, |a, c| a ^ c);
        format!("!{body}*{sum:02X}").into_bytes()
    }

    #[test]
    fn pending_table_is_bounded_and_parts_expire() {
        let mut d = Decoder::with_options(Options { max_pending: 4, max_age: 10, ..Options::default() });
        let first = b"!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C";
        for seq in b"0123456789" {
            d.feed(&retag(first, b'1', *seq));
        }
        assert!(d.pending.len() <= 4);
        assert_eq!(d.stats().error(Reason::Incomplete), 6);
        for _ in 0..20 {
            d.feed(b"# nothing");
        }
        d.feed(&retag(first, b'1', b'1'));
        assert_eq!(d.pending.len(), 1);
        d.finish();
        assert_eq!(d.stats().error(Reason::Incomplete), 11);
    }

    #[test]
    fn word_at_a_time_helpers_agree_with_bytewise() {
        let s = b"!AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30";
        for cut in 0..s.len() {
            let t = &s[..cut];
            let star = t.iter().position(|&c| c == b'*');
            let want = star.and_then(|p| {
                let hi = hexval(*t.get(p + 1)?)?;
                let lo = hexval(*t.get(p + 2)?)?;
                Some((&t[1..p], t[1..p].iter().fold(0, |a, &c| a ^ c) == (hi << 4 | lo)))
            });
            assert_eq!(checksum(t), want, "cut {cut}");
            for from in 0..=cut {
                assert_eq!(find(t, b',', from), t[from..].iter().position(|&c| c == b',').map(|p| p + from));
            }
        }
    }

    #[test]
    fn reader_caps_line_length_and_keeps_going() {
        let mut input = vec![b'x'; 3 * MAX_LINE];
        input.extend_from_slice(
            b"\n!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A\n!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A",
        );
        let mut line = Vec::new();
        let mut r = std::io::BufReader::with_capacity(1000, &input[..]);
        assert!(read_line(&mut r, &mut line).unwrap());
        assert_eq!(line.len(), MAX_LINE);
        let out: Vec<_> = Decoder::new().messages(&input[..]).collect::<Result<_, _>>().unwrap();
        assert_eq!(out.len(), 2);
        let mut d = Decoder::new();
        let mut n = 0;
        d.decode_all(&input[..], |_| n += 1).unwrap();
        assert_eq!((n, d.stats().lines), (2, 3));
    }

    #[test]
    fn pghp_sets_reception_time() {
        let mut d = Decoder::new();
        assert!(d.feed(b"$PGHP,1,2010,6,11,11,46,11,390,231,45,992190934,1,2B*5B").is_none());
        let m = d.feed(b"!AIVDM,1,1,,B,402=481uaUcf;OQ55JS9ITi025Jp,0*2B").unwrap();
        assert_eq!(m.meta.received_ms, Some(1276256771390));
        assert_eq!(d.stats().timestamps, 1);
    }

    #[test]
    fn prefixed_comment_and_garbage_lines() {
        let mut d = Decoder::new();
        assert!(d.feed(b"# comment !AIVDM").is_none());
        assert!(d.feed(b"").is_none());
        assert!(d.feed(b"$GPGGA,1,2,3*00").is_none());
        assert!(d.feed(b"2014-01-01 00:00:00 !AIVDM,1,1,,A,15N1u<PP1FJuvSRHOE6QIwwh0HQ6,0*30").is_some());
        assert!(d.feed(b"!AIVDM,1,1,,A").is_none());
        assert!(d.feed(b"!AIVDM,1,1,,A,15N1u,0*").is_none());
        assert!(d.feed(b"!*AVDM,1,1,,A,15N1u,0*00").is_none());
        assert!(d.feed(b"!A*VDO,*2A").is_none());
        assert_eq!(d.stats().ignored, 3);
        // A `*` inside the address leaves no hex digits after it.
        assert_eq!(d.stats().error(Reason::NoChecksum), 4);
    }
}
