//! Links from a catalogue: the original document and attachments.
//!
//! A catalogue is kept by hand, and whatever it says ends up as an `href` in a
//! portal page, so only `http:`, `https:` and relative references are let
//! through. The check follows the WHATWG URL parser's reading of the scheme
//! (leading and trailing controls and spaces dropped, tabs and line breaks
//! removed anywhere) so that ` JavaScript:` or `java<TAB>script:` cannot slip
//! past it. A full URL crate would carry Unicode domain tables into the
//! widget's download; finding the scheme needs none of them.

use std::fmt;

/// A link that is `http:`, `https:` or a relative reference, in the cleaned
/// form a browser would read.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Link(String);

/// Why a link was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkProblem {
    /// Nothing but white space.
    Empty,
    /// A scheme other than http or https (lower-cased), e.g. `javascript`.
    Scheme(String),
}

impl Link {
    /// Accepts `http(s):` URLs and relative references, refuses every other
    /// scheme.
    pub fn parse(text: &str) -> Result<Link, LinkProblem> {
        let trimmed = text.trim_matches(|c: char| c <= ' ');
        let cleaned: String = trimmed
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        if cleaned.is_empty() {
            return Err(LinkProblem::Empty);
        }
        match scheme(&cleaned) {
            Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {
                Ok(Link(cleaned))
            }
            Some(s) => Err(LinkProblem::Scheme(s.to_ascii_lowercase())),
            None => Ok(Link(cleaned)),
        }
    }

    /// The link as written (cleaned), to be resolved against the catalogue's
    /// URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the link names its scheme (`http:`/`https:`), as opposed to a
    /// relative reference.
    pub fn is_absolute(&self) -> bool {
        scheme(&self.0).is_some()
    }
}

impl fmt::Display for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The scheme of a URL (`ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"`),
/// or `None` for a relative reference.
fn scheme(url: &str) -> Option<&str> {
    let end = url.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))?;
    let starts_with_letter = url.as_bytes().first().is_some_and(u8::is_ascii_alphabetic);
    (starts_with_letter && url.get(end..)?.starts_with(':'))
        .then(|| url.get(..end))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_https_and_relative_links_are_accepted() {
        for text in [
            "http://www.guangde.gov.cn/a.html",
            "HTTPS://example.cn/x?y=1#z",
            "files/2016-budget.xls",
            "/xxgk/2016.pdf",
            "./a.pdf",
            "../a.pdf",
            "//cdn.example.cn/a.pdf",
            "?page=2",
            "#top",
            "报告.pdf",
            "a/b:c",
            "1http:x",
        ] {
            assert!(Link::parse(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn other_schemes_are_refused_however_they_are_spelled() {
        for (text, scheme) in [
            ("javascript:alert(1)", "javascript"),
            (" JavaScript:alert(1)", "javascript"),
            ("\u{1}javascript:alert(1)", "javascript"),
            ("java\tscript:alert(1)", "javascript"),
            ("java\nscript:alert(1)", "javascript"),
            ("jav\r\nascript:alert(1)", "javascript"),
            ("data:text/html,<script>alert(1)</script>", "data"),
            ("vbscript:msgbox", "vbscript"),
            ("file:///etc/passwd", "file"),
            ("ftp://example.cn/a", "ftp"),
            ("mailto:a@b.cn", "mailto"),
        ] {
            assert_eq!(
                Link::parse(text),
                Err(LinkProblem::Scheme(scheme.into())),
                "{text:?}"
            );
        }
    }

    #[test]
    fn entity_spellings_are_harmless_relative_text() {
        // In JSON `&#9;` is five characters, not a tab: a browser given this
        // as an href reads a relative path, never a scheme.
        let link = Link::parse("java&#9;script:alert(1)").unwrap();
        assert!(!link.is_absolute());
    }

    #[test]
    fn blank_links_are_refused() {
        assert_eq!(Link::parse(" \t\n"), Err(LinkProblem::Empty));
    }

    #[test]
    fn cleaning_removes_what_the_browser_removes() {
        assert_eq!(
            Link::parse(" http://a.cn/\tb \n").unwrap().as_str(),
            "http://a.cn/b"
        );
        assert!(Link::parse("https://a.cn").unwrap().is_absolute());
    }
}
