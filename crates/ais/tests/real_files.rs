//! The decoder on the real AIS files in ../shared/data/ais: message counts
//! per file are those pyais 3.3.1 decodes (the data set's README and
//! scripts/ais_diff.py), and nothing in them is a decoding error beyond the
//! documented faults of the files themselves.

use std::path::PathBuf;

use tessera_ais::{Body, Decoder, Reason};

fn data(name: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ais").join(name);
    p.exists().then_some(p)
}

fn decode(name: &str) -> Option<(Decoder, Vec<tessera_ais::Message>)> {
    let path = data(name)?;
    let mut d = Decoder::new();
    let mut out = Vec::new();
    d.decode_all(std::io::BufReader::new(std::fs::File::open(path).unwrap()), |m| out.push(m)).unwrap();
    Some((d, out))
}

#[test]
fn message_counts_match_pyais_on_every_real_file() {
    let expected = [
        ("aishub_gpsd_ais-nmea-sample.log", 82_744),
        ("dma_aislib_stream_example.txt", 4_051),
        ("gpsd_sample.aivdm", 102),
        ("gpsd_ais-nmea-type6-fid55.log", 1_326),
        ("pyais_nmea_data_sample.txt", 778),
        ("libais_typeexamples.nmea", 26),
        ("libais_tagblock.nmea", 4),
        ("signalk_nais300-merrimac.log", 536),
        ("signalk_nais400-merrimac.log", 668),
        ("signalk_gofree-merrimac.log", 1_459),
    ];
    let mut seen = 0;
    for (name, count) in expected {
        let Some((d, out)) = decode(name) else { continue };
        seen += 1;
        assert_eq!(out.len(), count, "{name}");
        assert_eq!(d.stats().messages, count as u64, "{name}");
        assert_eq!(d.stats().error(Reason::Checksum), 0, "{name}");
    }
    if seen == 0 {
        eprintln!("../shared/data/ais not present: skipped");
    }
}

#[test]
fn every_type_of_the_gpsd_reference_vectors() {
    let Some((d, _)) = decode("gpsd_sample.aivdm") else { return };
    for t in 1..=27 {
        assert!(d.stats().by_type[t] > 0, "type {t} missing");
    }
    assert_eq!(d.stats().total_errors(), 0);
}

#[test]
fn dma_time_stamps_apply_to_the_following_sentences() {
    let Some((d, out)) = decode("dma_aislib_stream_example.txt") else { return };
    assert_eq!(d.stats().timestamps, 4_051);
    assert!(out.iter().all(|m| m.meta.received_ms.is_some()));
    // 2010-06-11 around 11:46 UTC.
    let first = out[0].meta.received_ms.unwrap();
    assert!((1_276_256_000_000..1_276_260_000_000).contains(&first), "{first}");
}

#[test]
fn tag_block_sources_and_times() {
    let Some((_, out)) = decode("libais_tagblock.nmea") else { return };
    assert!(out.iter().all(|m| m.meta.source.is_some_and(|s| s.as_str().starts_with("rORBCOMM"))));
    let static_voyage = out.iter().find(|m| m.msg_type == 5).unwrap();
    assert_eq!(static_voyage.meta.received_ms, Some(1_418_169_601_000));
}

#[test]
fn gofree_extra_field_and_faulty_sentences_of_the_aishub_sample() {
    let Some((d, _)) = decode("signalk_gofree-merrimac.log") else { return };
    assert_eq!(d.stats().total_errors(), 0);
    // The AISHub sample carries 8 sentences with fill-bit count 6, one part
    // without its start and one start without its end.
    let Some((d, out)) = decode("aishub_gpsd_ais-nmea-sample.log") else { return };
    assert_eq!(d.stats().error(Reason::FillBits), 8);
    assert_eq!(d.stats().error(Reason::OrphanPart), 1);
    assert_eq!(d.stats().error(Reason::Incomplete), 1);
    // "Not available" positions are None, never out-of-range numbers.
    for m in &out {
        if let Body::Position(p) = &m.body {
            assert!(p.lat.is_none_or(|v| v.abs() <= 90.0) && p.lon.is_none_or(|v| v.abs() <= 180.0));
        }
    }
    assert!(out.iter().any(|m| matches!(&m.body, Body::Position(p) if p.lat.is_none())));
}
