//! Unified social credit codes (统一社会信用代码, GB 32100-2015) for publishers.

use crate::dice::Dice;

/// The 31 characters a credit code may use (no I, O, Z, S, V).
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// An 18-character credit code: `kind` (2 characters, e.g. `11` for an organ
/// of state, `12` for a public institution, `54` here for a village
/// committee), a 6-digit `region` code, a 9-character organisation code with
/// its GB 11714 check digit, and the GB 32100 check character.
///
/// The digits are random; the check characters are computed, so the codes
/// look right to anyone who validates them.
pub fn credit_code(kind: &str, region: &str, dice: &mut Dice) -> String {
    let mut code = String::with_capacity(18);
    code.push_str(kind);
    code.push_str(region);
    let mut org = String::with_capacity(9);
    for _ in 0..8 {
        org.push(char::from(b'0' + dice.below(10) as u8));
    }
    org.push(org_check(&org));
    code.push_str(&org);
    code.push(credit_check(&code));
    code
}

/// GB 11714 check digit of an 8-digit organisation code body.
fn org_check(body: &str) -> char {
    const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(36).unwrap_or(0) * w)
        .sum();
    match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        n => char::from(b'0' + n as u8),
    }
}

/// GB 32100 check character of the first 17 characters of a credit code.
fn credit_check(first17: &str) -> char {
    let mut weight = 1u32;
    let mut sum = 0u32;
    for c in first17.bytes() {
        let value = ALPHABET.iter().position(|&a| a == c).unwrap_or(0) as u32;
        sum += value * weight;
        weight = weight * 3 % 31;
    }
    char::from(ALPHABET[((31 - sum % 31) % 31) as usize])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_eighteen_characters_of_the_alphabet() {
        let mut dice = Dice::new(5);
        for _ in 0..200 {
            let code = credit_code("11", "341822", &mut dice);
            assert_eq!(code.len(), 18);
            assert!(code.bytes().all(|b| ALPHABET.contains(&b)));
            assert!(code.starts_with("11341822"));
        }
    }

    #[test]
    fn check_characters_match_published_examples() {
        // GB 11714 worked example: D2143569 -> X is for letters; digits only here.
        assert_eq!(org_check("12345678"), '8');
        // A real code (a well-known company's): 91350100M000100Y43.
        assert_eq!(credit_check("91350100M000100Y4"), '3');
    }
}
