//! Deliberately invalid items, for tests of the widget's error reporting.

use crate::item::Item;
use serde_json::Value;

/// What is wrong with a bad item; each bad item has exactly one flaw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flaw {
    /// No `title` member.
    MissingTitle,
    /// A `published` date that does not exist, e.g. `2016-02-30`.
    ImpossibleDate,
    /// A `category` that is not in the tree.
    UnknownCategory,
    /// The `id` of an earlier valid item.
    DuplicateId,
    /// A `link` with a script scheme, e.g. `javascript:alert(1)`.
    ScriptLink,
    /// A `title` that is an array or an object instead of text.
    TitleNotText,
}

/// The flaws in the order bad items cycle through them.
pub const FLAWS: [Flaw; 6] = [
    Flaw::MissingTitle,
    Flaw::ImpossibleDate,
    Flaw::UnknownCategory,
    Flaw::DuplicateId,
    Flaw::ScriptLink,
    Flaw::TitleNotText,
];

/// Category ids that are not in the tree.
pub const UNKNOWN_CATEGORIES: [&str; 4] = ["qtxx", "tzgg", "czyjs-old", "xxgk_other"];

impl Flaw {
    /// The flaw of the `k`-th bad item (from 0); a duplicate id needs an
    /// earlier valid item, so without one the title goes missing instead.
    pub fn for_bad_item(k: u64, has_earlier: bool) -> Flaw {
        match FLAWS[(k % FLAWS.len() as u64) as usize] {
            Flaw::DuplicateId if !has_earlier => Flaw::MissingTitle,
            flaw => flaw,
        }
    }

    /// A short English name, for messages and tests.
    pub fn name(self) -> &'static str {
        match self {
            Flaw::MissingTitle => "missing title",
            Flaw::ImpossibleDate => "impossible date",
            Flaw::UnknownCategory => "unknown category",
            Flaw::DuplicateId => "duplicate id",
            Flaw::ScriptLink => "script link",
            Flaw::TitleNotText => "title not text",
        }
    }
}

/// The position (from 0) of the `k`-th of `bad` bad items among `total`,
/// spread evenly through the file. Positions are distinct and rising while
/// `bad <= total`.
pub fn position(k: u64, bad: u64, total: u64) -> u64 {
    ((2 * u128::from(k) + 1) * u128::from(total) / (2 * u128::from(bad))) as u64
}

/// `item` as JSON with `flaw` put into it; `k` varies the details and
/// `earlier_id` is the id to duplicate.
///
/// The members of a bad item come out in alphabetical order (serde_json's
/// map), which the format allows.
pub fn corrupt(item: &Item, flaw: Flaw, k: u64, earlier_id: Option<&str>) -> Value {
    let mut value = serde_json::to_value(item).unwrap_or(Value::Null);
    let Some(map) = value.as_object_mut() else {
        return value;
    };
    let variant = (k / FLAWS.len() as u64) as usize;
    let year = item.published.get(..4).unwrap_or("2016");
    match flaw {
        Flaw::MissingTitle => {
            map.remove("title");
        }
        Flaw::ImpossibleDate => {
            let date = match variant % 4 {
                0 => format!("{year}-02-30"),
                1 => format!("{year}-04-31"),
                2 => format!("{year}-13-05"),
                _ => format!("{year}/2/30"),
            };
            map.insert("published".into(), Value::String(date));
        }
        Flaw::UnknownCategory => {
            let id = UNKNOWN_CATEGORIES[variant % UNKNOWN_CATEGORIES.len()];
            map.insert("category".into(), Value::String(id.into()));
        }
        Flaw::DuplicateId => {
            let id = earlier_id.unwrap_or_default();
            map.insert("id".into(), Value::String(id.into()));
        }
        Flaw::ScriptLink => {
            let link = match variant % 3 {
                0 => "javascript:alert(1)",
                1 => " JavaScript:alert(1)",
                _ => "java\tscript:alert(1)",
            };
            map.insert("link".into(), Value::String(link.into()));
        }
        Flaw::TitleNotText => {
            let title = Value::String(item.title.clone());
            let wrong = if variant % 2 == 0 {
                Value::Array(vec![title])
            } else {
                serde_json::json!({ "zh": title })
            };
            map.insert("title".into(), wrong);
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_distinct_rising_and_in_range() {
        for (bad, total) in [
            (1, 1),
            (3, 3),
            (5, 7),
            (10, 1000),
            (999, 1000),
            (7, 100_000),
        ] {
            let all: Vec<u64> = (0..bad).map(|k| position(k, bad, total)).collect();
            assert!(
                all.windows(2).all(|w| w[0] < w[1]),
                "{bad}/{total}: {all:?}"
            );
            assert!(all.iter().all(|&p| p < total));
        }
    }

    #[test]
    fn the_first_bad_item_never_duplicates_a_missing_earlier_id() {
        assert_eq!(Flaw::for_bad_item(3, false), Flaw::MissingTitle);
        assert_eq!(Flaw::for_bad_item(3, true), Flaw::DuplicateId);
    }
}
