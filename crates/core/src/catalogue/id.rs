//! The one rule for a catalogue entry's index number (索引号): the parser
//! skips an entry that breaks it, and a submission about an entry
//! (`related_item`) is checked by it, so any entry the widget shows can be
//! asked about.

use crate::Lang;

/// The most characters an index number may have. Real ones are about 30
/// (`11341822003207567E/201612-00012`); a longer one is a mistake in the
/// file (a title or a whole row pasted into `id`).
pub const ENTRY_ID_MAX: usize = 100;

/// Why a text cannot be an entry's index number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryIdProblem {
    /// More than [`ENTRY_ID_MAX`] characters: how many it has.
    TooLong(usize),
    /// A control character or an invisible one (see
    /// [`crate::text::hidden_character`]): staff could not see it, and two
    /// index numbers that look the same would differ.
    Hidden(char),
}

/// Checks an index number as the catalogue keeps it (trimmed, not blank):
/// at most [`ENTRY_ID_MAX`] characters, none of them hidden. Any other
/// character is allowed (letters of any script, spaces inside, `/`, `#`,
/// `&`, `〔〕`…): formats differ from province to province.
pub fn check_entry_id(id: &str) -> Result<(), EntryIdProblem> {
    if let Some(c) = crate::text::hidden_character(id, false) {
        return Err(EntryIdProblem::Hidden(c));
    }
    match id.chars().count() {
        n if n > ENTRY_ID_MAX => Err(EntryIdProblem::TooLong(n)),
        _ => Ok(()),
    }
}

impl EntryIdProblem {
    /// What is wrong, to follow the name of the index number: "has 112
    /// characters, …".
    pub fn message(self, lang: Lang) -> String {
        match (self, lang) {
            (EntryIdProblem::TooLong(n), Lang::Zh) => {
                format!("有 {n} 个字符，超过了 {ENTRY_ID_MAX} 个的上限")
            }
            (EntryIdProblem::TooLong(n), Lang::En) => {
                format!("has {n} characters, more than the {ENTRY_ID_MAX} allowed")
            }
            (EntryIdProblem::Hidden(c), Lang::Zh) => format!(
                "含有看不见的控制字符（U+{:04X}），可能是从别处复制来的，请删除",
                c as u32
            ),
            (EntryIdProblem::Hidden(c), Lang::En) => format!(
                "contains the invisible control character U+{:04X}, probably copied from elsewhere; delete it",
                c as u32
            ),
        }
    }
}
