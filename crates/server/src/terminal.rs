//! Text from a catalogue or a submission, made safe to print on staff's
//! terminal: a control character (an escape sequence can move the cursor,
//! rewrite the screen or the window title) or an invisible character that
//! turns text around is shown as its code, `\u{1b}`, not obeyed.

use std::borrow::Cow;

/// `text` with every control and direction-changing character written as
/// `\u{…}`.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Each line made printable, line breaks kept.
pub fn printable_lines(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| {
            let (body, end) = match line.strip_suffix("\r\n") {
                Some(body) => (body, "\r\n"),
                None => line
                    .strip_suffix('\n')
                    .map_or((line, ""), |body| (body, "\n")),
            };
            format!("{}{end}", printable(body))
        })
        .collect()
}

fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_shown_not_obeyed() {
        assert_eq!(printable("东亭乡 2016"), "东亭乡 2016");
        assert_eq!(
            printable("标题\u{1b}]0;pwned\u{7}\u{1b}[2J"),
            "标题\\u{1b}]0;pwned\\u{7}\\u{1b}[2J"
        );
        assert_eq!(printable("a\r\nb\u{9b}c"), "a\\u{d}\\u{a}b\\u{9b}c");
        assert_eq!(printable("abc\u{202E}fed"), "abc\\u{202e}fed");
        assert!(matches!(printable("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn printed_exports_keep_their_line_breaks() {
        assert_eq!(
            printable_lines("a,b\r\nc\u{1b}[2J,d\r\n"),
            "a,b\r\nc\\u{1b}[2J,d\r\n"
        );
        assert_eq!(printable_lines("x\ny"), "x\ny");
    }
}
