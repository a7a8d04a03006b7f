//! Maritime Mobile Service Identities (ITU-R M.585): nine digits whose
//! leading digits say what kind of station transmits and whose Maritime
//! Identification Digits (MID) give its flag state.

use std::fmt;

use super::IdentifierError;
use crate::countries::{Country, mmsi_mid_country};

const WHAT: &str = "MMSI";

/// What kind of station an MMSI belongs to, read from its leading digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MmsiKind {
    /// A ship station: MIDxxxxxx.
    Ship,
    /// A group of ship stations: 0MIDxxxxx.
    GroupOfShips,
    /// A coast station: 00MIDxxxx.
    CoastStation,
    /// A search-and-rescue aircraft: 111MIDxxx.
    SarAircraft,
    /// A handheld VHF transceiver with DSC and GNSS: 8MIDxxxxx.
    Handheld,
    /// A craft associated with a parent ship (a tender, a lifeboat): 98MIDxxxx.
    AuxiliaryCraft,
    /// An aid to navigation (buoy, light, virtual AtoN): 99MIDxxxx.
    AidToNavigation,
    /// An AIS search-and-rescue transmitter: 970xxyyyy (no flag).
    AisSart,
    /// A man-overboard device: 972xxyyyy (no flag).
    ManOverboard,
    /// An AIS-equipped EPIRB: 974xxyyyy (no flag).
    EpirbAis,
}

/// A parsed MMSI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mmsi {
    /// The nine-digit number (leading zeros are significant: display with [`fmt::Display`]).
    pub number: u32,
    /// The kind of station.
    pub kind: MmsiKind,
    /// The flag state from the MID, when the kind carries one and the MID is allocated.
    pub flag: Option<&'static Country>,
}

impl Mmsi {
    /// The Maritime Identification Digits, when the kind carries them.
    pub fn mid(&self) -> Option<u16> {
        let n = self.number;
        let mid = match self.kind {
            MmsiKind::Ship => n / 1_000_000,
            MmsiKind::GroupOfShips => n / 100_000,
            MmsiKind::CoastStation => n / 10_000,
            MmsiKind::SarAircraft => n / 1000 % 1000,
            MmsiKind::Handheld => n / 100_000 % 1000,
            MmsiKind::AuxiliaryCraft | MmsiKind::AidToNavigation => n / 10_000 % 1000,
            MmsiKind::AisSart | MmsiKind::ManOverboard | MmsiKind::EpirbAis => return None,
        };
        u16::try_from(mid).ok()
    }
}

impl fmt::Display for Mmsi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:09}", self.number)
    }
}

/// Parses an MMSI ("235012345", "MMSI 235012345", "MMSI: 235012345"): nine
/// digits of a recognised kind whose MID, where the kind has one, is a real
/// MID (201–775). An unallocated MID is accepted with no flag.
pub fn parse_mmsi(raw: &str) -> Result<Mmsi, IdentifierError> {
    let mut s = raw.trim();
    if s.len() >= 4 && s.is_char_boundary(4) && s[..4].eq_ignore_ascii_case("MMSI") {
        s = s[4..].trim_start_matches([':', '.', ' ', '\t', '-', '#']);
    }
    let s = s.trim();
    if s.is_empty() {
        return Err(IdentifierError::Empty(WHAT));
    }
    if s.len() != 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdentifierError::malformed(WHAT, s, "must be nine digits"));
    }
    let number: u32 = s.parse().map_err(|_| IdentifierError::malformed(WHAT, s, "must be nine digits"))?;
    let b = s.as_bytes();
    let kind = match (b[0], b[1], b[2]) {
        (b'0', b'0', _) => MmsiKind::CoastStation,
        (b'0', ..) => MmsiKind::GroupOfShips,
        (b'1', b'1', b'1') => MmsiKind::SarAircraft,
        (b'2'..=b'7', ..) => MmsiKind::Ship,
        (b'8', ..) => MmsiKind::Handheld,
        (b'9', b'8', _) => MmsiKind::AuxiliaryCraft,
        (b'9', b'9', _) => MmsiKind::AidToNavigation,
        (b'9', b'7', b'0') => MmsiKind::AisSart,
        (b'9', b'7', b'2') => MmsiKind::ManOverboard,
        (b'9', b'7', b'4') => MmsiKind::EpirbAis,
        _ => {
            return Err(IdentifierError::malformed(
                WHAT,
                s,
                "does not start like a ship, coast station, group, SAR aircraft, handheld, craft, AtoN or beacon MMSI",
            ));
        }
    };
    let mut mmsi = Mmsi { number, kind, flag: None };
    if let Some(mid) = mmsi.mid() {
        if !(201..=775).contains(&mid) {
            return Err(IdentifierError::malformed(
                WHAT,
                s,
                format!("{mid:03} is not a maritime identification digit"),
            ));
        }
        mmsi.flag = mmsi_mid_country(mid);
    }
    Ok(mmsi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flag(m: &Mmsi) -> Option<&'static str> {
        m.flag.map(|c| c.alpha2)
    }

    #[test]
    fn reads_kind_and_flag() {
        for (raw, kind, mid, country) in [
            ("235012345", MmsiKind::Ship, Some(235), Some("GB")),
            ("MMSI 227006760", MmsiKind::Ship, Some(227), Some("FR")),
            ("MMSI: 636012345", MmsiKind::Ship, Some(636), Some("LR")),
            ("538003456", MmsiKind::Ship, Some(538), Some("MH")),
            ("002320001", MmsiKind::CoastStation, Some(232), Some("GB")),
            ("022712345", MmsiKind::GroupOfShips, Some(227), Some("FR")),
            ("111232506", MmsiKind::SarAircraft, Some(232), Some("GB")),
            ("992351234", MmsiKind::AidToNavigation, Some(235), Some("GB")),
            ("982470123", MmsiKind::AuxiliaryCraft, Some(247), Some("IT")),
            ("824712345", MmsiKind::Handheld, Some(247), Some("IT")),
            ("970123456", MmsiKind::AisSart, None, None),
            ("972001234", MmsiKind::ManOverboard, None, None),
            ("974001234", MmsiKind::EpirbAis, None, None),
            ("217000001", MmsiKind::Ship, Some(217), None),
        ] {
            let m = parse_mmsi(raw).unwrap();
            assert_eq!((m.kind, m.mid(), flag(&m)), (kind, mid, country), "{raw}");
        }
    }

    #[test]
    fn displays_nine_digits() {
        assert_eq!(parse_mmsi("002320001").unwrap().to_string(), "002320001");
        assert_eq!(parse_mmsi("MMSI 235012345").unwrap().to_string(), "235012345");
    }

    #[test]
    fn rejects_bad_mmsis() {
        for bad in
            ["", "23501234", "2350123456", "23501234X", "123456789", "000000000", "971000000", "960000000", "880012345"]
        {
            assert!(parse_mmsi(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_mmsi("123456789").unwrap_err().to_string().split(':').next(), Some("MMSI 123456789"));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = parse_mmsi(&s);
        }

        #[test]
        fn round_trips(n in 0u32..1_000_000_000) {
            let s = format!("{n:09}");
            if let Ok(m) = parse_mmsi(&s) {
                proptest::prop_assert_eq!(m.to_string(), s);
            }
        }
    }
}
