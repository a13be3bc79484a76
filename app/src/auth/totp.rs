//! The second factor's arithmetic (server only): TOTP codes (RFC 6238 over
//! RFC 4226, HMAC-SHA-1, 6 digits, 30-second steps), secrets in base32, the
//! `otpauth://` address and its QR code, and recovery codes. No I/O here;
//! the database side is in [`super::factor`].

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Digits in a code.
pub const DIGITS: u32 = 6;
/// Seconds in a time step.
pub const PERIOD: u64 = 30;
/// Bytes in a new secret: 160 bits, as RFC 4226 recommends for SHA-1.
pub const SECRET_BYTES: usize = 20;
/// The shortest secret an operator may provision (80 bits, RFC 4226's minimum).
pub const MIN_SECRET_BYTES: usize = 10;
/// Recovery codes made at set-up.
pub const RECOVERY_CODES: usize = 10;
/// The name authenticator apps show above the account.
pub const ISSUER: &str = "Bli involvert";

/// RFC 4226's HOTP value of `counter`, `digits` long (as a number).
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    // HMAC accepts a key of any length; `new_from_slice` cannot fail for it.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret) else {
        return u32::MAX;
    };
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[19] & 0x0f);
    let bin = u32::from_be_bytes([
        hash[offset] & 0x7f,
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]);
    bin % 10u32.pow(digits)
}

/// The time step of a moment (Unix seconds).
pub fn step_of(unix: u64) -> u64 {
    unix / PERIOD
}

/// The code of step `step`, with its leading zeros.
pub fn code_for_step(secret: &[u8], step: u64) -> String {
    format!(
        "{:0width$}",
        hotp(secret, step, DIGITS),
        width = DIGITS as usize
    )
}

/// The code at a moment (Unix seconds).
pub fn code_at(secret: &[u8], unix: u64) -> String {
    code_for_step(secret, step_of(unix))
}

/// A typed code as six digits: spaces and dashes are dropped (apps show
/// `123 456`); anything else is not a code.
pub fn clean_code(typed: &str) -> Option<String> {
    let digits: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (digits.len() == DIGITS as usize && digits.bytes().all(|b| b.is_ascii_digit()))
        .then_some(digits)
}

/// The step `typed` is the code of, one step either side of `unix`
/// allowed for clock drift, and only a step after `last_step`: a code is
/// accepted at most once, and never one older than the last accepted.
pub fn accepted_step(secret: &[u8], typed: &str, unix: u64, last_step: i64) -> Option<u64> {
    let typed = clean_code(typed)?;
    let now = step_of(unix);
    [now.saturating_sub(1), now, now + 1]
        .into_iter()
        .filter(|step| i64::try_from(*step).is_ok_and(|s| s > last_step))
        .find(|step| same(code_for_step(secret, *step).as_bytes(), typed.as_bytes()))
}

/// Compares without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A new random secret.
pub fn new_secret() -> Vec<u8> {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut secret = vec![0u8; SECRET_BYTES];
    OsRng.fill_bytes(&mut secret);
    secret
}

/// A secret as base32 (RFC 4648, no padding): what apps and `otpauth://` take.
pub fn encode_secret(secret: &[u8]) -> String {
    BASE32_NOPAD.encode(secret)
}

/// A base32 secret as typed or stored (any case, spaces, `=` padding).
pub fn decode_secret(text: &str) -> Option<Vec<u8>> {
    let clean: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=' && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    BASE32_NOPAD
        .decode(clean.as_bytes())
        .ok()
        .filter(|s| s.len() >= MIN_SECRET_BYTES && s.len() <= 64)
}

/// A base32 secret in groups of four, for typing it into an app by hand.
pub fn grouped(secret_b32: &str) -> String {
    secret_b32
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `otpauth://` address an app reads from the QR code.
pub fn otpauth_uri(username: &str, secret_b32: &str) -> String {
    // `query::encode` writes a space as `+`, which a path does not read as one.
    let encode = |s: &str| crate::query::encode(s).replace('+', "%20");
    let issuer = encode(ISSUER);
    format!(
        "otpauth://totp/{issuer}:{}?secret={secret_b32}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={PERIOD}",
        encode(username)
    )
}

/// The QR code of `text` as an inline `<svg>` element (no XML prolog, no
/// script, no style attribute: the page's CSP holds).
pub fn qr_svg(text: &str) -> Option<String> {
    let code =
        qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build();
    svg.find("<svg").map(|i| svg[i..].to_string())
}

/// Ten new recovery codes, as shown to the person (`abcd-efgh-jkmn`:
/// 60 random bits each).
pub fn new_recovery_codes() -> Vec<String> {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 8];
            OsRng.fill_bytes(&mut bytes);
            let text = BASE32_NOPAD.encode(&bytes).to_ascii_lowercase();
            format!("{}-{}-{}", &text[0..4], &text[4..8], &text[8..12])
        })
        .collect()
}

/// A recovery code as stored: SHA-256 of its letters and digits, lowercase
/// (dashes and spaces as typed do not matter).
pub fn recovery_hash(typed: &str) -> Option<String> {
    let clean: String = typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (clean.len() == 12).then(|| super::sha256_hex(&clean))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B, the SHA-1 rows: the secret is the ASCII of
    /// "12345678901234567890"; the RFC's codes have 8 digits, and a 6-digit
    /// code is the same number modulo 10⁶.
    #[test]
    fn rfc_6238_test_vectors() {
        let secret = b"12345678901234567890";
        let vectors = [
            (59u64, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ];
        for (time, expected) in vectors {
            assert_eq!(hotp(secret, step_of(time), 8), expected, "T = {time}");
            assert_eq!(
                code_at(secret, time),
                format!("{:06}", expected % 1_000_000),
                "T = {time}"
            );
        }
        // RFC 4226, appendix D: HOTP counters 0 and 1.
        assert_eq!(hotp(secret, 0, 6), 755224);
        assert_eq!(hotp(secret, 1, 6), 287082);
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_only_after_the_last_used_step() {
        let secret = b"12345678901234567890";
        let now = 1111111111;
        let step = step_of(now) as i64;
        let code = code_at(secret, now);
        assert_eq!(accepted_step(secret, &code, now, 0), Some(step as u64));
        assert_eq!(accepted_step(secret, &code, now, step), None, "reused");
        let before = code_at(secret, now - PERIOD);
        assert_eq!(
            accepted_step(secret, &before, now, 0),
            Some(step as u64 - 1)
        );
        let after = code_at(secret, now + PERIOD);
        assert_eq!(accepted_step(secret, &after, now, 0), Some(step as u64 + 1));
        let too_old = code_at(secret, now - 2 * PERIOD);
        assert_eq!(accepted_step(secret, &too_old, now, 0), None);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert!(accepted_step(secret, &spaced, now, 0).is_some());
        assert_eq!(accepted_step(secret, "12345", now, 0), None);
        assert_eq!(accepted_step(secret, "abcdef", now, 0), None);
    }

    #[test]
    fn secrets_round_trip_through_base32_and_are_grouped_in_fours() {
        let secret = new_secret();
        let text = encode_secret(&secret);
        assert_eq!(text.len(), 32);
        assert_eq!(decode_secret(&grouped(&text).to_lowercase()), Some(secret));
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
        assert_eq!(decode_secret("AAAA"), None, "too short");
        let uri = otpauth_uri("kari", &text);
        assert!(
            uri.starts_with("otpauth://totp/Bli%20involvert:kari?secret="),
            "{uri}"
        );
        let svg = qr_svg(&uri).unwrap();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(!svg.contains("style") && !svg.contains("script"));
    }

    #[test]
    fn recovery_codes_are_distinct_and_hash_as_typed() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), RECOVERY_CODES);
        let code = &codes[0];
        assert_eq!(
            recovery_hash(code),
            recovery_hash(&code.replace('-', " ").to_uppercase())
        );
        assert_eq!(recovery_hash("123456"), None);
    }
}
