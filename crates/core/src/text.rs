//! What may not stand in text that people type or read: characters they
//! cannot see. One rule for the catalogue's index numbers and for every
//! text of a submission.

/// Whether a reader cannot see `c`: a control character (line breaks and
/// tabs allowed where `multiline`), or an invisible one that hides itself
/// or changes the direction of the text around it (zero-width spaces and
/// joiners, direction marks, embeddings, overrides and isolates, the
/// byte-order mark), which can make two texts that look the same differ,
/// or disguise what is written.
pub fn is_hidden(c: char, multiline: bool) -> bool {
    (c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
        || matches!(
            c,
            '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{061C}'
                | '\u{FEFF}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_are_hidden_only_on_one_line() {
        assert!(!"第一行\n第二行\t".chars().any(|c| is_hidden(c, true)));
        assert!(is_hidden('\n', false));
        assert!(is_hidden('\u{7}', true));
    }

    #[test]
    fn invisible_characters_are_found_and_visible_odd_ones_are_not() {
        for c in [
            '\u{200B}', '\u{200D}', '\u{202E}', '\u{2066}', '\u{061C}', '\u{FEFF}',
        ] {
            assert!(is_hidden(c, true), "{c:?}");
        }
        let odd = "东政〔2016〕12号 第 3 页　附件#1&2";
        assert!(!odd.chars().any(|c| is_hidden(c, false)));
    }
}
