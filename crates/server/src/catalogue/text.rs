//! Text as staff type it: the same letter, digit or sign may come in its
//! full-width form (`Ａ`, `１`, `（`, `／`) from a Chinese input method.
//! Headers, category names and dates are compared after folding those to
//! ASCII.

/// `text` with the full-width forms of ASCII (U+FF01–U+FF5E) and the
/// ideographic space (U+3000) made half-width.
pub fn half_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect()
}

/// The form two names are compared in: half-width, without white space,
/// ASCII letters in lower case. `财政 预决算（一）` and `财政预决算(一)` fold
/// the same.
pub fn fold(text: &str) -> String {
    half_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_forms_fold_to_ascii() {
        assert_eq!(half_width("２０１６／１２／１"), "2016/12/1");
        assert_eq!(
            half_width("法定主动公开内容＞财政预决算"),
            "法定主动公开内容>财政预决算"
        );
        assert_eq!(half_width("a\u{3000}b"), "a b");
        assert_eq!(half_width("〔2016〕"), "〔2016〕");
    }

    #[test]
    fn folded_names_ignore_width_spaces_and_case() {
        assert_eq!(fold(" 财政 预决算（一）"), fold("财政预决算(一)"));
        assert_eq!(fold("ＩＤ"), "id");
        assert_ne!(fold("财政预决算"), fold("财政决算"));
    }
}
