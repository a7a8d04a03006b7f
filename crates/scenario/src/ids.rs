//! Synthetic identifiers that pass strict validation: phone numbers in
//! allocated (and, where they exist, fiction-reserved) ranges, IBANs with
//! mod-97 check digits, IMO numbers and MMSIs, passport numbers with ICAO 9303
//! machine-readable zones, vehicle plates, e-mails and crypto addresses.

use rand::Rng;

/// A telephone number split into country calling code and national
/// significant number, so that it can be written in several formats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PhoneNo {
    /// ISO 3166-1 alpha-2 region.
    pub region: &'static str,
    /// Country calling code without "+".
    pub cc: &'static str,
    /// National significant number (no trunk prefix).
    pub nsn: String,
}

impl PhoneNo {
    /// E.164 form, e.g. "+447700900123".
    pub fn e164(&self) -> String {
        format!("+{}{}", self.cc, self.nsn)
    }

    /// International form with the grouping people write, e.g. "+44 7700 900123".
    pub fn international(&self) -> String {
        let n = &self.nsn;
        let grouped = match self.region {
            "GB" if n.starts_with('7') => format!("{} {}", &n[..4], &n[4..]),
            "GB" if n.starts_with("20") => format!("{} {} {}", &n[..2], &n[2..6], &n[6..]),
            "GB" => format!("{} {} {}", &n[..3], &n[3..6], &n[6..]),
            "FR" => format!("{} {} {} {} {}", &n[..1], &n[1..3], &n[3..5], &n[5..7], &n[7..]),
            "LY" | "IT" | "TR" | "GR" => {
                format!("{} {} {}", &n[..n.len() - 7], &n[n.len() - 7..n.len() - 4], &n[n.len() - 4..])
            }
            "BE" => format!("{} {} {} {}", &n[..3], &n[3..5], &n[5..7], &n[7..]),
            "TN" => format!("{} {} {}", &n[..2], &n[2..5], &n[5..]),
            _ => format!("{} {} {}", &n[..2], &n[2..5], &n[5..]),
        };
        format!("+{} {}", self.cc, grouped)
    }

    /// National format with trunk prefix; only UK numbers are ever written this
    /// way in reports (UK agencies' habit), so that readers can assume GB.
    pub fn uk_national(&self) -> Option<String> {
        if self.region != "GB" {
            return None;
        }
        let n = &self.nsn;
        Some(if n.starts_with('7') {
            format!("0{} {}", &n[..4], &n[4..])
        } else if n.starts_with("20") {
            format!("0{} {} {}", &n[..2], &n[2..6], &n[6..])
        } else {
            format!("0{} {} {}", &n[..3], &n[3..6], &n[6..])
        })
    }
}

/// Allocates phone numbers: UK numbers from Ofcom's drama ranges (07700 900xxx,
/// then the 1000-number geographic drama blocks), French mobiles from ARCEP's
/// fiction range 06 39 98 xx xx, other countries at random within their
/// mobile ranges.
#[derive(Default)]
pub(crate) struct PhonePlan {
    uk_next: usize,
    fr_next: usize,
}

/// Ofcom drama blocks: national significant number prefixes of 1000-number blocks.
const UK_BLOCKS: &[&str] = &["7700900", "2079460", "1614960", "1214960", "1134960", "1414960", "1514960", "1174960"];

impl PhonePlan {
    /// A fresh number in `region`.
    pub fn allocate(&mut self, region: &'static str, rng: &mut impl Rng) -> PhoneNo {
        let digits = |rng: &mut dyn FnMut() -> u32, n: usize| -> String {
            (0..n).map(|_| char::from(b'0' + rng() as u8)).collect()
        };
        let mut d = || rng.random_range(0..10u32);
        let (cc, nsn) = match region {
            "GB" => {
                let k = self.uk_next;
                self.uk_next += 1;
                if k < UK_BLOCKS.len() * 1000 {
                    let block = UK_BLOCKS[k / 1000];
                    // A fixed odd multiplier permutes the block so numbers look scattered.
                    let n = (k % 1000) * 617 % 1000;
                    ("44", format!("{block}{n:03}"))
                } else {
                    return self.allocate("FR", rng);
                }
            }
            "FR" => {
                let k = self.fr_next;
                self.fr_next += 1;
                if k < 10_000 {
                    let n = k * 7_919 % 10_000;
                    ("33", format!("63998{n:04}"))
                } else {
                    ("33", format!("6{}{}", [0, 1, 2, 4, 5, 6, 7, 8][d() as usize % 8], digits(&mut d, 7)))
                }
            }
            "LY" => ("218", format!("9{}{}", 1 + d() % 5, digits(&mut d, 7))),
            "IT" => ("39", format!("3{}{}", 2 + d() % 8, digits(&mut d, 8))),
            "BE" => ("32", format!("4{}{}", 5 + d() % 5, digits(&mut d, 7))),
            "TR" => ("90", format!("5{}{}", [0, 3, 4, 5][d() as usize % 4], digits(&mut d, 8))),
            "GR" => ("30", format!("69{}", digits(&mut d, 8))),
            "TN" => ("216", format!("{}{}", [2, 5, 9][d() as usize % 3], digits(&mut d, 7))),
            "AL" => ("355", format!("69{}", digits(&mut d, 7))),
            "RS" => ("381", format!("6{}{}", [0, 1, 2, 3, 4, 5, 6][d() as usize % 7], digits(&mut d, 7))),
            _ => return self.allocate("IT", rng),
        };
        let region = match cc {
            "44" => "GB",
            "33" => "FR",
            _ => region,
        };
        PhoneNo { region, cc, nsn }
    }
}

/// ISO 7064 mod 97-10 remainder of an alphanumeric string (letters A=10 … Z=35).
pub(crate) fn mod97(s: &str) -> u32 {
    let mut r: u32 = 0;
    for b in s.bytes() {
        if b.is_ascii_digit() {
            r = (r * 10 + u32::from(b - b'0')) % 97;
        } else {
            let v = u32::from(b.to_ascii_uppercase() - b'A') + 10;
            r = (r * 100 + v) % 97;
        }
    }
    r
}

/// Builds an IBAN from its country and BBAN, computing the two check digits.
pub(crate) fn iban_from_bban(country: &str, bban: &str) -> String {
    let check = 98 - mod97(&format!("{bban}{country}00"));
    format!("{country}{check:02}{bban}")
}

/// Writes an IBAN in groups of four, as printed on statements.
pub(crate) fn iban_grouped(iban: &str) -> String {
    let mut out = String::with_capacity(iban.len() + iban.len() / 4);
    for (i, c) in iban.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

fn rand_digits(rng: &mut impl Rng, n: usize) -> String {
    (0..n).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect()
}

fn rand_letters(rng: &mut impl Rng, n: usize, alphabet: &[u8]) -> String {
    (0..n).map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())])).collect()
}

const AZ: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// The Italian CIN check letter over ABI, CAB and account number.
fn italian_cin(s: &str) -> char {
    const ODD: [u32; 26] =
        [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
    let mut sum = 0;
    for (i, b) in s.bytes().enumerate() {
        let v = if b.is_ascii_digit() { u32::from(b - b'0') } else { u32::from(b - b'A') };
        sum += if i % 2 == 0 { ODD[v as usize] } else { v };
    }
    char::from(b'A' + (sum % 26) as u8)
}

/// A fictional bank in one country.
pub(crate) struct Bank {
    pub country: &'static str,
    pub name: &'static str,
    /// GB: four-letter bank code; elsewhere the national bank code digits.
    pub code: &'static str,
}

/// Invented banks and money-service businesses (no real institution).
pub(crate) const BANKS: &[Bank] = &[
    Bank { country: "GB", name: "Thamesbridge Bank", code: "TBRG" },
    Bank { country: "GB", name: "Northgate Savings", code: "NGTS" },
    Bank { country: "GB", name: "Kestrel Money Transfer Ltd", code: "KMTL" },
    Bank { country: "FR", name: "Banque de la Côte d'Opale", code: "30788" },
    Bank { country: "FR", name: "Caisse du Littoral Nord", code: "14559" },
    Bank { country: "BE", name: "Banque Flandre-Escaut", code: "731" },
    Bank { country: "IT", name: "Banca Sicula di Credito", code: "03642" },
    Bank { country: "DE", name: "Nordhafen Bank", code: "21070020" },
    Bank { country: "TR", name: "Ege Katılım Bankası", code: "00216" },
];

/// A fresh IBAN at `bank`.
pub(crate) fn iban(bank: &Bank, rng: &mut impl Rng) -> String {
    let bban = match bank.country {
        "GB" => format!("{}{}{}", bank.code, rand_digits(rng, 6), rand_digits(rng, 8)),
        "FR" => {
            let branch = rand_digits(rng, 5);
            let account = rand_digits(rng, 11);
            let n = |s: &str| s.parse::<u128>().unwrap_or(0);
            let key = 97 - ((89 * n(bank.code) + 15 * n(&branch) + 3 * n(&account)) % 97);
            format!("{}{branch}{account}{key:02}", bank.code)
        }
        "BE" => {
            let first = format!("{}{}", bank.code, rand_digits(rng, 7));
            let check = first.parse::<u64>().unwrap_or(0) % 97;
            let check = if check == 0 { 97 } else { check };
            format!("{first}{check:02}")
        }
        "IT" => {
            let rest = format!("{}{}{}", bank.code, rand_digits(rng, 5), rand_digits(rng, 12));
            format!("{}{rest}", italian_cin(&rest))
        }
        "DE" => format!("{}{}", bank.code, rand_digits(rng, 10)),
        _ => format!("{}0{}", bank.code, rand_digits(rng, 16)),
    };
    iban_from_bban(bank.country, &bban)
}

/// A seven-digit IMO ship identification number with its check digit.
pub(crate) fn imo(rng: &mut impl Rng) -> String {
    let mut d = [0u32; 6];
    d[0] = rng.random_range(7..10);
    for x in d.iter_mut().skip(1) {
        *x = rng.random_range(0..10);
    }
    let check: u32 = d.iter().enumerate().map(|(i, v)| v * (7 - i as u32)).sum::<u32>() % 10;
    let mut s: String = d.iter().map(|v| char::from(b'0' + *v as u8)).collect();
    s.push(char::from(b'0' + check as u8));
    s
}

/// A ship-station MMSI (MID followed by six digits).
pub(crate) fn mmsi(mid: u16, rng: &mut impl Rng) -> String {
    format!("{mid}{}{}", rng.random_range(1..10u8), rand_digits(rng, 5))
}

/// Flag states used for vessels: (ISO alpha-2, MID).
pub(crate) const FLAGS: &[(&str, u16)] = &[
    ("LY", 642),
    ("IT", 247),
    ("TN", 672),
    ("TR", 271),
    ("GR", 237),
    ("FR", 227),
    ("GB", 232),
    ("BE", 205),
    ("MT", 248),
];

/// ICAO 9303 check digit: weights 7, 3, 1; digits their value, A=10 … Z=35, '<'=0.
pub(crate) fn mrz_check(field: &str) -> char {
    const W: [u32; 3] = [7, 3, 1];
    let sum: u32 = field
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let v = match b {
                b'0'..=b'9' => u32::from(b - b'0'),
                b'A'..=b'Z' => u32::from(b - b'A') + 10,
                _ => 0,
            };
            v * W[i % 3]
        })
        .sum();
    char::from(b'0' + (sum % 10) as u8)
}

/// Reduces a name to the MRZ alphabet: upper-case A–Z, '<' for spaces and hyphens.
fn mrz_name(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'a'..='z' | 'A'..='Z' => Some(c.to_ascii_uppercase()),
            ' ' | '-' => Some('<'),
            _ => None,
        })
        .collect()
}

fn pad(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    while out.len() < n {
        out.push('<');
    }
    out
}

/// The fields printed in a passport's machine-readable zone.
pub(crate) struct MrzFields<'a> {
    pub issuer: &'a str,
    pub surname: &'a str,
    pub given: &'a str,
    pub number: &'a str,
    pub nationality: &'a str,
    /// YYMMDD
    pub birth: &'a str,
    pub sex: char,
    /// YYMMDD
    pub expiry: &'a str,
}

/// Builds the two 44-character lines of an ICAO 9303 TD3 passport MRZ with
/// every check digit (number, birth, expiry, optional data, composite).
pub(crate) fn td3(f: &MrzFields<'_>) -> (String, String) {
    let name = format!("{}<<{}", mrz_name(f.surname), mrz_name(f.given));
    let line1 = pad(&format!("P<{}{}", f.issuer, name), 44);
    let number = pad(f.number, 9);
    let optional = pad("", 14);
    let n_check = mrz_check(&number);
    let b_check = mrz_check(f.birth);
    let e_check = mrz_check(f.expiry);
    let o_check = mrz_check(&optional);
    let composite_input = format!("{number}{n_check}{}{b_check}{}{e_check}{optional}{o_check}", f.birth, f.expiry);
    let composite = mrz_check(&composite_input);
    let line2 = format!(
        "{number}{n_check}{}{}{b_check}{}{}{e_check}{optional}{o_check}{composite}",
        f.nationality, f.birth, f.sex, f.expiry
    );
    (line1, line2)
}

/// ISO 3166-1 alpha-3 code used in MRZs for the alpha-2 codes in the scenario.
pub(crate) fn alpha3(alpha2: &str) -> &'static str {
    match alpha2 {
        "ER" => "ERI",
        "ET" => "ETH",
        "AF" => "AFG",
        "IQ" => "IRQ",
        "IR" => "IRN",
        "SD" => "SDN",
        "SY" => "SYR",
        "AL" => "ALB",
        "XK" => "RKS",
        "VN" => "VNM",
        "EG" => "EGY",
        "LY" => "LBY",
        "TN" => "TUN",
        "TR" => "TUR",
        "GB" => "GBR",
        "IT" => "ITA",
        "FR" => "FRA",
        "BE" => "BEL",
        "GR" => "GRC",
        "DE" => "D<<",
        _ => "XXA",
    }
}

/// A passport number in the issuing country's usual shape (at most nine characters).
pub(crate) fn passport_number(country: &str, rng: &mut impl Rng) -> String {
    match country {
        "ER" | "AF" | "SD" => format!("P{}", rand_digits(rng, 7)),
        "IQ" | "EG" => format!("A{}", rand_digits(rng, 8)),
        "SY" => format!("N{}", rand_digits(rng, 8)),
        "AL" | "XK" => format!("B{}{}", rand_letters(rng, 1, b"ABCDEFGH"), rand_digits(rng, 7)),
        "VN" => format!("C{}", rand_digits(rng, 7)),
        "LY" | "TN" | "ET" | "IR" => {
            format!("{}{}", rand_letters(rng, 1, b"ABCDEFGHJKLMNPRSTUVWXYZ"), rand_digits(rng, 7))
        }
        "TR" => format!("U{}", rand_digits(rng, 8)),
        "IT" => format!("Y{}{}", rand_letters(rng, 1, AZ), rand_digits(rng, 7)),
        "FR" => format!("{}{}{}", rand_digits(rng, 2), rand_letters(rng, 2, AZ), rand_digits(rng, 5)),
        "BE" => format!("E{}{}", rand_letters(rng, 1, AZ), rand_digits(rng, 6)),
        "GR" => format!("A{}{}", rand_letters(rng, 1, AZ), rand_digits(rng, 7)),
        _ => rand_digits(rng, 9),
    }
}

/// A UK registration in the 2001 format ("AB12 CDE"): region letters without
/// I, Q or Z first, an age identifier 02–24 or 51–74, random letters without I or Q.
pub(crate) fn uk_plate(rng: &mut impl Rng) -> String {
    const FIRST: &[u8] = b"ABCDEFGHJKLMNOPRSTUVWXY";
    const OTHER: &[u8] = b"ABCDEFGHJKLMNOPRSTUVWXYZ";
    let year = rng.random_range(2..25u32) + if rng.random_bool(0.5) { 50 } else { 0 };
    format!("{}{}{year:02} {}", rand_letters(rng, 1, FIRST), rand_letters(rng, 1, OTHER), rand_letters(rng, 3, OTHER))
}

/// A French SIV registration ("AB-123-CD"): no I, O or U, no "SS", no "WW" prefix.
pub(crate) fn fr_plate(rng: &mut impl Rng) -> String {
    const L: &[u8] = b"ABCDEFGHJKLMNPQRSTVXYZ";
    let number = rng.random_range(1..1000u32);
    format!("{}-{number:03}-{}", rand_letters(rng, 2, L), rand_letters(rng, 2, L))
}

/// Public example crypto addresses whose checksums are well known to be valid
/// (Bitcoin genesis and BIP examples, EIP-55 test vectors): (address, currency).
pub(crate) const WALLETS: &[(&str, &str)] = &[
    ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "BTC"),
    ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "BTC"),
    ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "BTC"),
    ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "BTC"),
    ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "ETH"),
    ("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "ETH"),
    ("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "ETH"),
    ("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb", "ETH"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn icao_specimen_check_digits() {
        // ICAO Doc 9303 part 4 specimen (Utopia, Anna Maria Eriksson).
        let (l1, l2) = td3(&MrzFields {
            issuer: "UTO",
            surname: "Eriksson",
            given: "Anna Maria",
            number: "L898902C3",
            nationality: "UTO",
            birth: "740812",
            sex: 'F',
            expiry: "120415",
        });
        assert_eq!(l1, "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<");
        assert_eq!(&l2[..28], "L898902C36UTO7408122F1204159");
        assert_eq!(l2.len(), 44);
    }

    #[test]
    fn iban_registry_example() {
        assert_eq!(iban_from_bban("GB", "NWBK60161331926819"), "GB29NWBK60161331926819");
        assert_eq!(iban_from_bban("BE", "539007547034"), "BE68539007547034");
    }

    #[test]
    fn imo_known_number() {
        // IMO 9074729 is the textbook example: 9*7+0*6+7*5+4*4+7*3+2*2 = 139 → 9.
        let d = [9u32, 0, 7, 4, 7, 2];
        let s: u32 = d.iter().enumerate().map(|(i, v)| v * (7 - i as u32)).sum();
        assert_eq!(s % 10, 9);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        assert_eq!(imo(&mut rng).len(), 7);
    }

    #[test]
    fn uk_numbers_are_unique_and_drama() {
        let mut plan = PhonePlan::default();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..3000 {
            let p = plan.allocate("GB", &mut rng);
            assert!(seen.insert(p.e164()));
        }
        assert!(seen.contains("+447700900000"));
    }
}
