//! Cryptocurrency addresses: Bitcoin (Base58Check and Bech32/Bech32m) and
//! Ethereum (EIP-55), every checksum verified so that a mistyped address is
//! never taken for a wallet.

use sha2::{Digest, Sha256};
use tiny_keccak::{Hasher, Keccak};

use super::IdentifierError;

/// Which chain an address belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CryptoKind {
    /// Bitcoin mainnet (P2PKH, P2SH, SegWit and Taproot addresses).
    Bitcoin,
    /// Ethereum (and EVM chains sharing its address format).
    Ethereum,
}

impl CryptoKind {
    /// Short ticker used in entity ids ("btc", "eth").
    pub fn ticker(self) -> &'static str {
        match self {
            Self::Bitcoin => "btc",
            Self::Ethereum => "eth",
        }
    }
}

/// Validates a Bitcoin or Ethereum address and returns its chain and canonical
/// form: Base58 addresses as written (they are case-sensitive), Bech32 and
/// Ethereum addresses lower-cased.
pub fn normalize_crypto(raw: &str) -> Result<(CryptoKind, String), IdentifierError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(IdentifierError::Empty("crypto address"));
    }
    if s.starts_with("0x") || s.starts_with("0X") {
        return normalize_ethereum(s).map(|a| (CryptoKind::Ethereum, a));
    }
    if s.len() > 3 && s.is_char_boundary(3) && s[..3].eq_ignore_ascii_case("bc1") {
        return normalize_bech32(s).map(|a| (CryptoKind::Bitcoin, a));
    }
    if s.starts_with('1') || s.starts_with('3') {
        return normalize_base58(s).map(|a| (CryptoKind::Bitcoin, a));
    }
    Err(IdentifierError::malformed(
        "crypto address",
        s,
        "is not a Bitcoin (1..., 3..., bc1...) or Ethereum (0x...) address",
    ))
}

const BTC: &str = "Bitcoin address";
const ETH: &str = "Ethereum address";
const BASE58: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Checks a Base58Check P2PKH (version 0, '1...') or P2SH (version 5, '3...') address.
fn normalize_base58(s: &str) -> Result<String, IdentifierError> {
    if !(25..=35).contains(&s.len()) {
        return Err(IdentifierError::malformed(BTC, s, "Base58 addresses have 25 to 35 characters"));
    }
    let bytes = base58_decode(s).ok_or_else(|| IdentifierError::malformed(BTC, s, "has a character outside Base58"))?;
    if bytes.len() != 25 {
        return Err(IdentifierError::malformed(BTC, s, "does not decode to 25 bytes"));
    }
    let (payload, checksum) = bytes.split_at(21);
    let digest = Sha256::digest(Sha256::digest(payload));
    if digest[..4] != *checksum {
        return Err(IdentifierError::checksum(BTC, s, "fails the Base58Check checksum"));
    }
    match (payload[0], s.as_bytes()[0]) {
        (0x00, b'1') | (0x05, b'3') => Ok(s.to_string()),
        _ => Err(IdentifierError::malformed(BTC, s, "has a version byte other than P2PKH or P2SH")),
    }
}

/// Decodes Base58 (leading '1's are zero bytes); None on a character outside the alphabet.
fn base58_decode(s: &str) -> Option<Vec<u8>> {
    let zeros = s.bytes().take_while(|&b| b == b'1').count();
    // Big-endian base-256 accumulator.
    let mut num: Vec<u8> = Vec::with_capacity(s.len());
    for b in s.bytes().skip(zeros) {
        let mut carry = BASE58.iter().position(|&c| c == b)? as u32;
        for byte in num.iter_mut().rev() {
            carry += u32::from(*byte) * 58;
            *byte = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            num.insert(0, (carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let mut out = vec![0u8; zeros];
    out.extend(num);
    Some(out)
}

const BECH32_CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const BECH32_CONST: u32 = 1;
const BECH32M_CONST: u32 = 0x2bc8_30a3;

fn bech32_polymod(values: impl Iterator<Item = u8>) -> u32 {
    const GEN: [u32; 5] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3];
    let mut chk: u32 = 1;
    for v in values {
        let top = chk >> 25;
        chk = ((chk & 0x01ff_ffff) << 5) ^ u32::from(v);
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

/// Checks a SegWit address (BIP-173 Bech32 for version 0, BIP-350 Bech32m for versions 1–16).
fn normalize_bech32(s: &str) -> Result<String, IdentifierError> {
    let bad = |problem: &str| IdentifierError::malformed(BTC, s, problem);
    if !s.is_ascii() || s.len() > 90 || s.len() < 14 {
        return Err(bad("SegWit addresses have 14 to 90 ASCII characters"));
    }
    let has_lower = s.bytes().any(|b| b.is_ascii_lowercase());
    let has_upper = s.bytes().any(|b| b.is_ascii_uppercase());
    if has_lower && has_upper {
        return Err(bad("mixes upper and lower case"));
    }
    let lower = s.to_ascii_lowercase();
    let Some((hrp, data)) = lower.rsplit_once('1') else {
        return Err(bad("has no separator"));
    };
    if hrp != "bc" {
        return Err(bad("is not a Bitcoin mainnet address"));
    }
    let values: Option<Vec<u8>> =
        data.bytes().map(|b| BECH32_CHARSET.iter().position(|&c| c == b).map(|p| p as u8)).collect();
    let values = values.ok_or_else(|| bad("has a character outside Bech32"))?;
    if values.len() < 7 {
        return Err(bad("is too short"));
    }
    let expanded =
        hrp.bytes().map(|b| b >> 5).chain([0]).chain(hrp.bytes().map(|b| b & 31)).chain(values.iter().copied());
    let constant = bech32_polymod(expanded);
    let version = values[0];
    let expected = if version == 0 { BECH32_CONST } else { BECH32M_CONST };
    if constant != expected {
        let which = if version == 0 { "Bech32" } else { "Bech32m" };
        return Err(IdentifierError::checksum(BTC, s, format!("fails the {which} checksum")));
    }
    if version > 16 {
        return Err(bad("has a witness version above 16"));
    }
    let program = convert_5_to_8(&values[1..values.len() - 6]).ok_or_else(|| bad("has invalid padding"))?;
    if !(2..=40).contains(&program.len()) || (version == 0 && program.len() != 20 && program.len() != 32) {
        return Err(bad("has a witness program of the wrong length"));
    }
    Ok(lower)
}

/// Regroups 5-bit values into bytes; None if the leftover padding is too long or not zero.
fn convert_5_to_8(data: &[u8]) -> Option<Vec<u8>> {
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut out = Vec::with_capacity(data.len() * 5 / 8);
    for &v in data {
        acc = (acc << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    (bits < 5 && (acc << (8 - bits)) & 0xff == 0).then_some(out)
}

/// Checks an Ethereum address: 0x and 40 hex digits; mixed case must carry a valid
/// EIP-55 checksum, all-lower and all-upper are accepted unchecked.
fn normalize_ethereum(s: &str) -> Result<String, IdentifierError> {
    let hex = &s[2..];
    if hex.len() != 40 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(IdentifierError::malformed(ETH, s, "must be 0x and 40 hexadecimal digits"));
    }
    let lower = hex.to_ascii_lowercase();
    let has_lower = hex.bytes().any(|b| b.is_ascii_lowercase());
    let has_upper = hex.bytes().any(|b| b.is_ascii_uppercase());
    if has_lower && has_upper {
        let mut hash = [0u8; 32];
        let mut keccak = Keccak::v256();
        keccak.update(lower.as_bytes());
        keccak.finalize(&mut hash);
        let ok = hex.bytes().enumerate().all(|(i, b)| {
            let nibble = (hash[i / 2] >> if i % 2 == 0 { 4 } else { 0 }) & 0x0f;
            !b.is_ascii_alphabetic() || b.is_ascii_uppercase() == (nibble >= 8)
        });
        if !ok {
            return Err(IdentifierError::checksum(ETH, s, "fails the EIP-55 mixed-case checksum"));
        }
    }
    Ok(format!("0x{lower}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_known_addresses() {
        for (raw, kind, expected) in [
            ("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", CryptoKind::Bitcoin, "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
            ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", CryptoKind::Bitcoin, "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
            (
                "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
                CryptoKind::Bitcoin,
                "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
            ),
            (
                "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
                CryptoKind::Bitcoin,
                "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
            ),
            (
                "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297",
                CryptoKind::Bitcoin,
                "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297",
            ),
            (
                "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                CryptoKind::Ethereum,
                "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
            ),
            (
                "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                CryptoKind::Ethereum,
                "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359",
            ),
            (
                "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
                CryptoKind::Ethereum,
                "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
            ),
            (
                "0x52908400098527886E0F7030069857D2E4169EE7",
                CryptoKind::Ethereum,
                "0x52908400098527886e0f7030069857d2e4169ee7",
            ),
        ] {
            assert_eq!(normalize_crypto(raw).unwrap(), (kind, expected.to_string()), "{raw}");
        }
    }

    #[test]
    fn rejects_tampered_addresses() {
        for bad in [
            "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb",
            "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz",
            "1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf0a",
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdp",
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwF5mdq",
            "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx",
            "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe",
            "0xZZAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "2NBFNJTktNa7GZusGbDbGKRZTxdK9VVez3n",
            "",
            "hello",
        ] {
            assert!(normalize_crypto(bad).is_err(), "{bad}");
        }
        assert_eq!(
            normalize_crypto("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD").unwrap_err().to_string(),
            "Ethereum address 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD: fails the EIP-55 mixed-case checksum"
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,100}") {
            let _ = normalize_crypto(&s);
        }

        #[test]
        fn never_panics_on_address_like_input(s in "(0x|bc1|1|3)[0-9a-zA-Z]{0,90}") {
            let _ = normalize_crypto(&s);
        }
    }
}
