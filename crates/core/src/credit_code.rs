//! The unified social credit code (统一社会信用代码, GB 32100-2015) an
//! organisation applies with: 18 characters from the code's alphabet
//! (digits and capitals without I, O, S, V, Z), the 3rd to 8th the
//! administrative division (digits), the 18th a check character over the
//! first 17. Checked in the form and by the receiver with the same code.

use std::fmt;

/// The alphabet, each character's value its position.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The weight of each of the first 17 positions: 3 to the power of the
/// position, modulo 31.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Why a code is not a unified social credit code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CodeProblem {
    /// Not 18 characters long (how many it has).
    Length(usize),
    /// A character outside the alphabet, or a letter where the division
    /// code's digits go (its position from 1, and the character).
    Character(usize, char),
    /// The 18th character is not the check character of the first 17
    /// (the one it should be).
    Check(char),
}

impl fmt::Display for CodeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CodeProblem::Length(n) => write!(
                f,
                "统一社会信用代码应为 18 位，这里是 {n} 位。请对照营业执照或登记证书上的代码填写。"
            ),
            CodeProblem::Character(at, c) => write!(
                f,
                "统一社会信用代码第 {at} 位“{c}”不对：代码只含数字和大写字母（不含 I、O、S、V、Z），第 3 至 8 位是数字。请对照证照核对。"
            ),
            CodeProblem::Check(_) => write!(
                f,
                "统一社会信用代码的最后一位校验码与前 17 位不符，可能有一位抄错了。请对照营业执照或登记证书逐位核对。"
            ),
        }
    }
}

impl std::error::Error for CodeProblem {}

fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|v| v as u32)
}

/// The check character of the first 17 characters of a code (already
/// upper case); `None` if they are not 17 characters of the alphabet.
pub fn check_character(first: &str) -> Option<char> {
    let bytes = first.as_bytes();
    if bytes.len() != 17 {
        return None;
    }
    let mut sum = 0;
    for (&c, weight) in bytes.iter().zip(WEIGHTS) {
        sum += value(c)? * weight;
    }
    let check = (31 - sum % 31) % 31;
    Some(char::from(ALPHABET[check as usize]))
}

/// The code as it is kept: white space taken out, letters in capitals
/// (people type `91350100m000100y43`), if it is valid.
pub fn check(text: &str) -> Result<String, CodeProblem> {
    let code: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let length = code.chars().count();
    if length != 18 {
        return Err(CodeProblem::Length(length));
    }
    for (i, c) in code.chars().enumerate() {
        let digit_only = (2..8).contains(&i);
        let fits = c.is_ascii() && value(c as u8).is_some() && (!digit_only || c.is_ascii_digit());
        if !fits {
            return Err(CodeProblem::Character(i + 1, c));
        }
    }
    let expected = check_character(&code[..17]).ok_or(CodeProblem::Length(length))?;
    if code.ends_with(expected) {
        Ok(code)
    } else {
        Err(CodeProblem::Check(expected))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// GB 32100-2015, section 5, written out as the standard gives it:
    /// C18 = 31 - MOD(Σ Ci × Wi, 31), Wi = 3^(i-1) MOD 31, 31 read as 0.
    fn direct(first: &[u8]) -> u8 {
        let alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        let mut sum: u64 = 0;
        for (i, &c) in first.iter().enumerate() {
            let ci = alphabet.find(char::from(c)).unwrap() as u64;
            let wi = 3u64.pow(i as u32) % 31;
            sum += ci * wi;
        }
        let c18 = 31 - sum % 31;
        alphabet.as_bytes()[if c18 == 31 { 0 } else { c18 as usize }]
    }

    fn code_strategy() -> impl Strategy<Value = Vec<u8>> {
        let any = proptest::sample::select(ALPHABET.to_vec());
        let digit = proptest::sample::select(b"0123456789".to_vec());
        (
            proptest::collection::vec(any.clone(), 2),
            proptest::collection::vec(digit, 6),
            proptest::collection::vec(any, 9),
        )
            .prop_map(|(a, b, c)| [a, b, c].concat())
    }

    proptest! {
        #[test]
        fn the_check_character_is_the_standard_s(first in code_strategy()) {
            let text = String::from_utf8(first.clone()).unwrap();
            let want = direct(&first);
            prop_assert_eq!(check_character(&text), Some(char::from(want)));
            let whole = format!("{text}{}", char::from(want));
            prop_assert_eq!(check(&whole), Ok(whole.clone()));
            prop_assert_eq!(check(&whole.to_lowercase()), Ok(whole.clone()));
            for &other in ALPHABET.iter().filter(|&&c| c != want) {
                let wrong = format!("{text}{}", char::from(other));
                prop_assert_eq!(check(&wrong), Err(CodeProblem::Check(char::from(want))));
            }
        }

        #[test]
        fn any_text_is_answered_without_panicking(text in "\\PC{0,24}") {
            let _ = check(&text);
        }
    }

    #[test]
    fn problems_are_named() {
        assert_eq!(check("9135010"), Err(CodeProblem::Length(7)));
        assert_eq!(check("91350100M000100Y4"), Err(CodeProblem::Length(17)));
        // I is not in the alphabet; a letter in the division code.
        assert_eq!(
            check("9I350100M000100Y43"),
            Err(CodeProblem::Character(2, 'I'))
        );
        assert_eq!(
            check("9135A100M000100Y43"),
            Err(CodeProblem::Character(5, 'A'))
        );
        assert_eq!(
            check("９1350100M000100Y43"),
            Err(CodeProblem::Character(1, '９'))
        );
        // The standard's own example, and two companies' registered codes.
        for real in [
            "91350100M000100Y43",
            "91440300708461136T",
            "91110000802100433B",
        ] {
            assert_eq!(check(real), Ok(real.to_owned()));
        }
        assert_eq!(check("91350100M000100Y44"), Err(CodeProblem::Check('3')));
        let first = "91350100M000100Y4";
        let right = check_character(first).unwrap();
        assert!(check(&format!("{first}{right}")).is_ok());
        assert!(check(&format!(" {} {first}{right} ", "")).is_ok());
        for problem in [
            CodeProblem::Length(7),
            CodeProblem::Character(2, 'I'),
            CodeProblem::Check('3'),
        ] {
            assert!(problem.to_string().contains("统一社会信用代码"));
        }
    }
}
