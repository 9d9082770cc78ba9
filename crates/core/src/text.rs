//! What may not stand in text that people type or read: characters they
//! cannot see. One rule for the catalogue's index numbers and for every
//! text of a submission.

/// The first character of `text` that a reader cannot see: a control
/// character (line breaks and tabs allowed where `multiline`), or an
/// invisible one that hides itself or changes the direction of the text
/// around it (zero-width spaces and joiners, direction marks, embeddings,
/// overrides and isolates, the byte-order mark), which can make two
/// texts that look the same differ, or disguise what is written.
pub fn hidden_character(text: &str, multiline: bool) -> Option<char> {
    text.chars().find(|&c| {
        (c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
            || matches!(
                c,
                '\u{200B}'..='\u{200F}'
                    | '\u{202A}'..='\u{202E}'
                    | '\u{2060}'..='\u{2069}'
                    | '\u{061C}'
                    | '\u{FEFF}'
            )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_are_hidden_only_on_one_line() {
        assert_eq!(hidden_character("第一行\n第二行\t", true), None);
        assert_eq!(hidden_character("第一行\n第二行", false), Some('\n'));
        assert_eq!(hidden_character("a\u{7}b", true), Some('\u{7}'));
    }

    #[test]
    fn invisible_characters_are_found_and_visible_odd_ones_are_not() {
        for c in [
            '\u{200B}', '\u{200D}', '\u{202E}', '\u{2066}', '\u{061C}', '\u{FEFF}',
        ] {
            assert_eq!(hidden_character(&format!("东政{c}12号"), true), Some(c));
        }
        assert_eq!(
            hidden_character("东政〔2016〕12号 第 3 页　附件#1&2", false),
            None
        );
    }
}
