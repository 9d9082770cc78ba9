//! What is wrong with a catalogue, in words for the staff who keep it:
//! the widget shows these messages only when a file or some of its
//! entries cannot be shown, so they are written here, outside the
//! widget's own module (whose download they would otherwise add to).

use wasm_bindgen::prelude::*;
use xxgk_core::{Catalogue, Lang};

/// Between two messages in [`explain`]'s answer.
pub const SEPARATOR: char = '\u{1e}';

/// Why the catalogue `file` (its URL, named in the messages) with these
/// `bytes` cannot be shown, or why each skipped entry was: one message
/// each, separated by U+001E, in the language of the tag `lang` (staff
/// messages: English, else simplified Chinese).
#[wasm_bindgen]
pub fn explain(file: &str, bytes: &[u8], lang: &str) -> String {
    let lang = Lang::from_tag(lang);
    match Catalogue::parse(file, bytes) {
        Err(error) => error.message(lang),
        Ok(catalogue) => {
            let messages: Vec<String> = catalogue
                .skipped
                .iter()
                .map(|skipped| skipped.message(lang))
                .collect();
            messages.join(&SEPARATOR.to_string())
        }
    }
}
