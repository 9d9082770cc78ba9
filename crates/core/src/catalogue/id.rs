//! The one rule for a catalogue entry's index number (索引号): the parser
//! skips an entry that breaks it, and a submission about an entry
//! (`related_item`) is checked by it, so any entry the widget shows can be
//! asked about.

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
    /// [`crate::text::is_hidden`]): staff could not see it, and two index
    /// numbers that look the same would differ.
    Hidden(char),
}

/// Checks an index number as the catalogue keeps it (trimmed, not blank):
/// at most [`ENTRY_ID_MAX`] characters, none of them hidden. Any other
/// character is allowed (letters of any script, spaces inside, `/`, `#`,
/// `&`, `〔〕`…): formats differ from province to province.
pub fn check_entry_id(id: &str) -> Result<(), EntryIdProblem> {
    if let Some(c) = id.chars().find(|&c| crate::text::is_hidden(c, false)) {
        return Err(EntryIdProblem::Hidden(c));
    }
    match id.chars().count() {
        n if n > ENTRY_ID_MAX => Err(EntryIdProblem::TooLong(n)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_counts_characters() {
        assert_eq!(check_entry_id(&"1".repeat(ENTRY_ID_MAX)), Ok(()));
        assert_eq!(
            check_entry_id(&"索".repeat(ENTRY_ID_MAX + 1)),
            Err(EntryIdProblem::TooLong(ENTRY_ID_MAX + 1))
        );
    }
}
