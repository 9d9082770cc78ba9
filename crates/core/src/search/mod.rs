//! Searching a catalogue in Chinese.
//!
//! Text and queries are folded to one form ([`fold`]: NFKC, lower case,
//! traditional to simplified, one pair of brackets, pinyin artefacts such
//! as `鄉(xiāng)` removed). The [`SearchIndex`] lists, for every character
//! and every pair of adjacent characters, the entries whose folded text
//! has it: a term of one or two characters is answered from the lists
//! alone, a longer one from the lists and then checked in the text, so any
//! substring is found and nothing else. Latin words and numbers match by
//! prefix; titles also match by pinyin. Ranking weights are in [`Weights`].

pub mod fold;
mod highlight;
pub(crate) mod ids;
pub(crate) mod index;
pub mod page;
pub(crate) mod pinyin;
pub(crate) mod postings;
mod query;

pub use highlight::{highlights, snippet};
pub use index::{SearchIndex, Weights};
pub use query::{Query, Term, TermKind, MAX_TERMS, MAX_TERM_CHARS};

use crate::Catalogue;

/// The entries that match `query`, found the slow, obvious way: every
/// field of every entry folded and searched. The index must give exactly
/// these (tests and the benchmark's recall use it as the truth). Ascending.
pub fn scan(catalogue: &Catalogue, query: &Query) -> Vec<usize> {
    if query.is_empty() {
        return Vec::new();
    }
    catalogue
        .items
        .iter()
        .enumerate()
        .filter(|(_, item)| {
            let title = fold::fold(&item.title);
            let texts = [
                title.clone(),
                fold::fold(item.doc_number.as_deref().unwrap_or_default()),
                fold::fold(&item.id),
                fold::fold(&item.keywords.join(" ")),
                fold::fold(&item.publisher),
                fold::fold(item.summary.as_deref().unwrap_or_default()),
                fold::fold(item.body.as_deref().unwrap_or_default()),
            ];
            let spelled = pinyin::Pinyin::new(std::slice::from_ref(&title));
            query.terms.iter().all(|term| {
                texts.iter().any(|t| term.occurs_in(t))
                    || (term.pinyin && !spelled.matches_reading_all(&term.text).is_empty())
            })
        })
        .map(|(i, _)| i)
        .collect()
}
