//! What a citizen typed, folded and split into terms.

use super::fold::{fold, is_han, is_word};

/// The longest term looked for, in characters. A longer one (a pasted
/// paragraph) is cut here: it still finds the document it came from, and a
/// 10,000-character query costs no more than this.
pub const MAX_TERM_CHARS: usize = 64;

/// The most terms looked for; any after these are ignored.
pub const MAX_TERMS: usize = 16;

/// How a term matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermKind {
    /// Has a character that is not a Latin letter or digit (an ideograph,
    /// a bracket…): matches anywhere, as a substring.
    Substring,
    /// Latin letters and digits only: matches the start of a word (`pm`
    /// finds `PM2.5`, `12` finds `12号` but not `2012`).
    Word,
}

/// One term of a query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    /// For each prefix of the term, the length of its longest proper
    /// prefix that is also its suffix (Knuth-Morris-Pratt), to find the
    /// term in a stream of characters.
    fallback: Vec<usize>,
    /// The folded text of the term.
    pub text: String,
    /// Its characters.
    pub chars: Vec<char>,
    /// How it matches.
    pub kind: TermKind,
    /// Whether it may also be pinyin of a title (Latin letters only, two
    /// or more).
    pub pinyin: bool,
}

/// A query: its terms, all of which must match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// The terms, in the order typed.
    pub terms: Vec<Term>,
}

impl Query {
    /// Folds `text` (see [`fold`]) and splits it at white space. Terms
    /// without a letter, digit or ideograph (`。`, `-`) are dropped, so a
    /// query of punctuation alone has no terms.
    pub fn parse(text: &str) -> Query {
        let folded = fold(text);
        let terms = folded
            .split(' ')
            .filter(|t| t.chars().any(|c| is_word(c) || is_han(c)))
            .take(MAX_TERMS)
            .map(|t| {
                let chars: Vec<char> = t.chars().take(MAX_TERM_CHARS).collect();
                let word = chars.iter().all(|&c| is_word(c));
                Term {
                    fallback: fallback(&chars),
                    text: chars.iter().collect(),
                    pinyin: word
                        && chars.len() >= 2
                        && chars.iter().all(|c| c.is_ascii_alphabetic()),
                    kind: if word {
                        TermKind::Word
                    } else {
                        TermKind::Substring
                    },
                    chars,
                }
            })
            .collect();
        Query { terms }
    }

    /// Whether there is anything to look for.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

impl Term {
    /// Where the term occurs in folded `text`, as byte ranges: every
    /// substring occurrence, or for a word term every occurrence at the
    /// start of a word.
    pub fn occurrences<'t>(
        &'t self,
        text: &'t str,
    ) -> impl Iterator<Item = std::ops::Range<usize>> + 't {
        let kind = self.kind;
        memchr::memmem::find_iter(text.as_bytes(), self.text.as_bytes())
            .filter(move |&at| {
                kind == TermKind::Substring || !text[..at].chars().next_back().is_some_and(is_word)
            })
            .map(|at| at..at + self.text.len())
    }

    /// Whether the term occurs in folded `text`.
    pub fn occurs_in(&self, text: &str) -> bool {
        self.occurrences(text).next().is_some()
    }

    /// Where the term first occurs in a stream of folded characters, as the
    /// index of its first character; for a word term, only at the start of
    /// a word. One pass, no buffer: the text is folded as it is read.
    pub fn first_in(&self, text: impl Iterator<Item = char>) -> Option<usize> {
        let len = self.chars.len();
        if len == 0 {
            return None;
        }
        // Whether each of the last len + 1 characters was a word character.
        let mut words = vec![false; len + 1];
        let mut matched = 0;
        for (i, c) in text.enumerate() {
            words[i % (len + 1)] = is_word(c);
            while matched > 0 && self.chars[matched] != c {
                matched = self.fallback[matched - 1];
            }
            if self.chars[matched] == c {
                matched += 1;
            }
            if matched == len {
                let start = i + 1 - len;
                let at_word_start = start == 0 || !words[(start - 1) % (len + 1)];
                if self.kind == TermKind::Substring || at_word_start {
                    return Some(start);
                }
                matched = self.fallback[matched - 1];
            }
        }
        None
    }
}

/// The Knuth-Morris-Pratt table of `chars`.
fn fallback(chars: &[char]) -> Vec<usize> {
    let mut table = vec![0; chars.len()];
    let mut k = 0;
    for i in 1..chars.len() {
        while k > 0 && chars[i] != chars[k] {
            k = table[k - 1];
        }
        if chars[i] == chars[k] {
            k += 1;
        }
        table[i] = k;
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_folded_and_split_at_spaces() {
        let query = Query::parse("  財政　2016 PM ");
        let texts: Vec<&str> = query.terms.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["财政", "2016", "pm"]);
        let kinds: Vec<TermKind> = query.terms.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, [TermKind::Substring, TermKind::Word, TermKind::Word]);
        assert_eq!(
            query.terms.iter().map(|t| t.pinyin).collect::<Vec<_>>(),
            [false, false, true]
        );
    }

    #[test]
    fn an_empty_query_and_a_query_of_punctuation_have_no_terms() {
        assert!(Query::parse("").is_empty());
        assert!(Query::parse("   ").is_empty());
        assert!(Query::parse("。，、 - ！").is_empty());
    }

    #[test]
    fn a_very_long_query_is_cut_to_the_longest_term() {
        let query = Query::parse(&"政".repeat(10_000));
        assert_eq!(query.terms[0].chars.len(), MAX_TERM_CHARS);
    }

    #[test]
    fn a_query_of_very_many_terms_keeps_the_first_ones() {
        let query = Query::parse(&"政 ".repeat(5_000));
        assert_eq!(query.terms.len(), MAX_TERMS);
    }

    #[test]
    fn the_first_place_in_a_stream_of_characters_is_found() {
        let term = &Query::parse("乡乡村").terms[0];
        assert_eq!(term.first_in("东乡乡乡村".chars()), Some(2));
        assert_eq!(term.first_in("乡乡".chars()), None);
        let term = &Query::parse("aab").terms[0];
        assert_eq!(
            term.first_in("xaaab aab".chars()),
            Some(6),
            "a word term starts a word"
        );
        let term = &Query::parse("12").terms[0];
        assert_eq!(term.first_in("2012 12号".chars()), Some(5));
        let term = &Query::parse("预算").terms[0];
        assert_eq!(term.first_in("财政预算".chars()), Some(2));
    }

    #[test]
    fn word_terms_match_only_at_the_start_of_a_word() {
        let term = &Query::parse("12").terms[0];
        assert!(term.occurs_in("东政(2016)12号"));
        assert!(!term.occurs_in("2012年"));
        let found: Vec<_> = term.occurrences("12号 a12 12").collect();
        assert_eq!(found, [0..2, 10..12]);
        let term = &Query::parse("段简").terms[0];
        assert!(term.occurs_in("手段简单"));
    }
}
