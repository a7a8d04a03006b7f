//! Properties of the decoder on any input: no panic, 6-bit armouring round
//! trips, and messages encoded into sentences (single or split into parts,
//! interleaved) decode to the fields they were built from.

use proptest::prelude::*;
use tessera_ais::bits::BitBuf;
use tessera_ais::{Body, Decoder, Options};

/// Wrap armoured payload parts into `!AIVDM` sentences with valid checksums.
fn sentences(payload: &str, fill: u8, seq: u8, channel: char, part_len: usize) -> Vec<String> {
    let chunks: Vec<&str> = if payload.is_empty() {
        vec![""]
    } else {
        payload.as_bytes().chunks(part_len).map(|c| std::str::from_utf8(c).unwrap()).collect()
    };
    let total = chunks.len();
    let seq = if total > 1 { seq.to_string() } else { String::new() };
    chunks
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let f = if i + 1 == total { fill } else { 0 };
            let body = format!("AIVDM,{total},{},{seq},{channel},{c},{f}", i + 1);
            let sum = body.bytes().fold(0u8, |a, b| a ^ b);
            format!("!{body}*{sum:02X}")
        })
        .collect()
}

fn position_bits(mmsi: u32, lon: i32, lat: i32, speed: u16, course: u16, heading: u16) -> BitBuf {
    let mut b = BitBuf::new();
    for (v, w) in [
        (1u64, 6),
        (0, 2),
        (u64::from(mmsi), 30),
        (0, 4),
        (0x80, 8),
        (u64::from(speed), 10),
        (1, 1),
        (lon as u32 as u64 & ((1 << 28) - 1), 28),
        (lat as u32 as u64 & ((1 << 27) - 1), 27),
        (u64::from(course), 12),
        (u64::from(heading), 9),
        (30, 6),
        (0, 2),
        (0, 3),
        (0, 1),
        (12345, 19),
    ] {
        assert!(b.push_bits(v, w));
    }
    b
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_never_panic(lines in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..200), 0..20)) {
        let mut d = Decoder::with_options(Options { max_pending: 4, max_age: 5, ..Options::default() });
        for l in &lines {
            let _ = d.feed(l);
        }
        d.finish();
        prop_assert_eq!(d.stats().lines, lines.len() as u64);
    }

    #[test]
    fn sentence_like_input_never_panics(
        total in 0u8..12, num in 0u8..12, seq in "[0-9]{0,3}", chan in "[AB12]?",
        payload in "[0-9:;<=>?@A-W`a-w!*,\\\\]{0,120}", fill in "[0-9]?", extra in "(,[0-9a-z]{0,4}){0,3}",
        fix_sum in any::<bool>(), tag in "(\\\\[sgcn]:[-0-9a-zA-Z]{0,12}(,[sgcn]:[-0-9]{0,12}){0,2}(\\*[0-9A-F]{2})?\\\\)?",
    ) {
        let body = format!("AIVDM,{total},{num},{seq},{chan},{payload},{fill}{extra}");
        let sum = if fix_sum { body.bytes().fold(0u8, |a, b| a ^ b) } else { 0 };
        let line = format!("{tag}!{body}*{sum:02X}");
        let mut d = Decoder::new();
        let _ = d.feed(line.as_bytes());
        let _ = d.feed(line.as_bytes());
        d.finish();
    }

    #[test]
    fn armour_round_trip(bits in prop::collection::vec(any::<bool>(), 0..1500)) {
        let mut b = BitBuf::new();
        for &x in &bits {
            prop_assert!(b.push_bits(u64::from(x), 1));
        }
        let (armoured, fill) = b.armor();
        prop_assert!(fill < 6);
        let mut c = BitBuf::new();
        c.push_armored(armoured.as_bytes()).unwrap();
        c.truncate_by(usize::from(fill));
        prop_assert_eq!(c.len(), bits.len());
        for (i, &x) in bits.iter().enumerate() {
            prop_assert_eq!(c.u(i, 1), Some(u64::from(x)));
        }
    }

    #[test]
    fn wide_fields_round_trip(fields in prop::collection::vec((any::<u64>(), 1usize..=64), 1..40)) {
        let mut b = BitBuf::new();
        let mut off = 0;
        let mut at = Vec::new();
        for &(v, w) in &fields {
            prop_assert!(b.push_bits(v, w));
            at.push((off, w, if w == 64 { v } else { v & ((1u64 << w) - 1) }));
            off += w;
        }
        let (armoured, fill) = b.armor();
        let mut c = BitBuf::new();
        c.push_armored(armoured.as_bytes()).unwrap();
        c.truncate_by(usize::from(fill));
        for (off, w, v) in at {
            prop_assert_eq!(c.u(off, w), Some(v));
        }
    }

    #[test]
    fn position_report_round_trip(
        mmsi in 0u32..(1 << 30), lon in -108_600_000i32..=108_600_000, lat in -54_600_000i32..=54_600_000,
        speed in 0u16..1024, course in 0u16..4096, heading in 0u16..512, channel in "[AB12]",
    ) {
        let (armoured, fill) = position_bits(mmsi, lon, lat, speed, course, heading).armor();
        let line = &sentences(&armoured, fill, 0, channel.chars().next().unwrap(), 1000)[0];
        let mut d = Decoder::new();
        let m = d.feed(line.as_bytes()).expect("decodes");
        prop_assert_eq!(m.mmsi, mmsi);
        prop_assert_eq!(m.meta.channel, Some(channel.as_bytes()[0]));
        let Body::Position(p) = m.body else { panic!("not a position") };
        let want_lon = (lon.abs() <= 108_000_000).then(|| f64::from(lon) / 600_000.0);
        let want_lat = (lat.abs() <= 54_000_000).then(|| f64::from(lat) / 600_000.0);
        prop_assert_eq!(p.lon, want_lon);
        prop_assert_eq!(p.lat, want_lat);
        prop_assert_eq!(p.speed, (speed != 1023).then(|| f64::from(speed) / 10.0));
        prop_assert_eq!(p.course, (course < 3600).then(|| f64::from(course) / 10.0));
        prop_assert_eq!(p.heading, (heading < 360).then_some(heading));
        prop_assert_eq!(p.radio, Some(12345));
    }

    #[test]
    fn interleaved_multipart_messages_reassemble(
        a in prop::collection::vec(any::<bool>(), 100..900),
        b in prop::collection::vec(any::<bool>(), 100..900),
        part_len in 20usize..60,
        order in prop::collection::vec(any::<bool>(), 0..64),
    ) {
        // Two type-8 messages with random contents, split into parts on
        // sequential ids 3 and 4, their sentences interleaved at random.
        let build = |bits: &[bool], mmsi: u64| {
            let mut buf = BitBuf::new();
            buf.push_bits(8, 6);
            buf.push_bits(0, 2);
            buf.push_bits(mmsi, 30);
            for &x in bits {
                buf.push_bits(u64::from(x), 1);
            }
            buf
        };
        let (pa, fa) = build(&a, 111).armor();
        let (pb, fb) = build(&b, 222).armor();
        let sa = sentences(&pa, fa, 3, 'A', part_len);
        let sb = sentences(&pb, fb, 4, 'A', part_len);
        let (mut ia, mut ib) = (0, 0);
        let mut lines = Vec::new();
        let mut k = 0;
        while ia < sa.len() || ib < sb.len() {
            let take_a = ib >= sb.len() || (ia < sa.len() && order.get(k).copied().unwrap_or(true));
            k += 1;
            if take_a { lines.push(&sa[ia]); ia += 1 } else { lines.push(&sb[ib]); ib += 1 }
        }
        let mut d = Decoder::new();
        let out: Vec<_> = lines.iter().filter_map(|l| d.feed(l.as_bytes())).collect();
        prop_assert_eq!(out.len(), 2);
        prop_assert_eq!(d.stats().total_errors(), 0);
        for m in out {
            let bits = if m.mmsi == 111 { &a } else { &b };
            prop_assert_eq!(usize::from(m.bits), 38 + bits.len());
            let Body::BinaryBroadcast(x) = &m.body else { panic!("not type 8") };
            prop_assert_eq!(x.data.bits + 18, bits.len().max(18));
        }
    }
}
