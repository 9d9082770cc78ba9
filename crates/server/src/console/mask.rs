//! Personal data as lists show it: enough to tell cases apart, not
//! enough to identify anyone. The case page shows it in full, to the
//! roles that need it, and each showing is logged.

/// A phone number with its middle hidden: `139*****678`,
/// `056*-****345`.
pub fn phone(text: &str) -> String {
    keep_ends(text, 3, 3)
}

/// An identity number with all but its first four and last two
/// characters hidden (the birth date and sequence are in between).
pub fn id_number(text: &str) -> String {
    keep_ends(text, 4, 2)
}

/// An email address with its local part hidden but for its first
/// character.
pub fn email(text: &str) -> String {
    match text.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => keep_ends(text, 1, 0),
    }
}

/// Letters and digits, full-width ones (１３９) included.
fn digits(text: &str) -> usize {
    text.chars().filter(|c| c.is_alphanumeric()).count()
}

/// `text` with its letters and digits hidden except the first `head`
/// and last `tail` of them; other characters (dashes, spaces) stay.
fn keep_ends(text: &str, head: usize, tail: usize) -> String {
    let total = digits(text);
    if total == 0 {
        return String::new();
    }
    // Short numbers show less, never all.
    let head = head.min(total / 3);
    let tail = tail.min(total / 3);
    let mut seen = 0;
    text.chars()
        .map(|c| {
            if !c.is_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen <= head || seen > total - tail {
                c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_only_their_ends() {
        assert_eq!(phone("13912345678"), "139*****678");
        assert_eq!(phone("0563-6012345"), "056*-****345");
        assert_eq!(id_number("342523198001011237"), "3425************37");
        assert_eq!(id_number("34252319800101123X"), "3425************3X");
        assert_eq!(email("zhangsan@example.cn"), "z***@example.cn");
        assert_eq!(phone(""), "");
        // Full-width digits are digits too.
        assert_eq!(phone("139０５６３１２３４"), "139*****２３４");
        assert_eq!(phone("１３９０５６３１２３４"), "１３９*****２３４");
    }

    #[test]
    fn a_short_number_is_never_shown_whole() {
        for text in ["1", "12", "123", "1234", "12345"] {
            let masked = phone(text);
            assert!(masked.contains('*'), "{text} -> {masked}");
            let masked = id_number(text);
            assert!(masked.contains('*'), "{text} -> {masked}");
        }
    }
}
