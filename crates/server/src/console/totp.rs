//! The optional second factor: time-based one-time codes (RFC 6238:
//! HMAC-SHA-1, 30-second steps, six digits), as authenticator apps make
//! them from a shared base32 secret.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds per code.
const STEP: i64 = 30;
/// Steps either side of now accepted, for clocks a little apart.
const SKEW: i64 = 1;
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A new random secret (160 bits), in base32.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).expect("the operating system's random number generator");
    base32(&bytes)
}

/// The `otpauth://` address an authenticator app reads (typed in or as a
/// QR code) for `account` with `secret`.
pub fn uri(account: &str, secret: &str) -> String {
    let label: String = percent_encoding::utf8_percent_encode(
        &format!("xxgk:{account}"),
        percent_encoding::NON_ALPHANUMERIC,
    )
    .collect();
    format!("otpauth://totp/{label}?secret={secret}&issuer=xxgk&digits=6&period=30")
}

/// The six-digit code of `secret` at `now` (seconds since 1970).
pub fn code_at(secret: &str, now: i64) -> Option<String> {
    let key = unbase32(secret)?;
    let counter = now.div_euclid(STEP) as u64;
    let mut mac = Hmac::<Sha1>::new_from_slice(&key).ok()?;
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let value = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    Some(format!("{:06}", value % 1_000_000))
}

/// Whether `code` is the code of `secret` now or a step either side.
pub fn accepts(secret: &str, code: &str, now: i64) -> bool {
    step_of(secret, code, now).is_some()
}

/// The time step whose code `code` is, if it is the code of `secret` now
/// or a step either side: a login takes a step only once, so a code seen
/// over a shoulder cannot be used again.
pub fn step_of(secret: &str, code: &str, now: i64) -> Option<i64> {
    if code.len() != 6 {
        return None;
    }
    (-SKEW..=SKEW)
        .map(|step| now.div_euclid(STEP) + step)
        .find(|step| {
            code_at(secret, step * STEP)
                .is_some_and(|expected| super::auth::same_token(&expected, code))
        })
}

fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn unbase32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for c in text.bytes().filter(|c| *c != b'=' && *c != b' ') {
        let value = BASE32.iter().position(|&b| b == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        // RFC 6238 appendix B, SHA-1, secret "12345678901234567890",
        // its eight-digit codes cut to the six an app shows.
        let secret = base32(b"12345678901234567890");
        assert_eq!(secret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(code_at(&secret, time).as_deref(), Some(code), "{time}");
        }
    }

    #[test]
    fn a_code_is_accepted_a_step_either_side_and_no_further() {
        let secret = new_secret();
        let now = 1_700_000_000;
        let code = code_at(&secret, now).unwrap();
        assert!(accepts(&secret, &code, now));
        assert!(accepts(&secret, &code, now + 30));
        assert!(!accepts(&secret, &code, now + 90));
        assert!(!accepts(&secret, "12345", now));
        assert!(!accepts("not base32!", &code, now));
    }
}
