//! What is wrong with a row or an entry, listed for staff one line each:
//! a spreadsheet row by its number as Excel shows it, an entry of a
//! catalogue file by its position, exactly as `xxgk-server check` has
//! always listed it.

use super::columns::Column;
use xxgk_core::{ItemProblem, Lang, Skipped};

/// Why a spreadsheet row is left out before the catalogue parser sees it:
/// what only a spreadsheet can get wrong. Everything else (a missing
/// title, a date that is not one, a link that is not http(s)…) is the
/// parser's to say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowProblem {
    /// A cell holds a formula's error value.
    ErrorCell {
        /// Its column.
        column: Column,
        /// The cell, e.g. `F5`.
        cell: String,
        /// The error value, e.g. `#N/A`.
        value: String,
    },
    /// The category cell names several nodes of the tree.
    AmbiguousCategory {
        /// The cell as written.
        text: String,
        /// The paths of the nodes it names.
        paths: Vec<String>,
    },
}

impl RowProblem {
    /// The problem in words, with what to do.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (RowProblem::ErrorCell { column, cell, value }, Lang::Zh | Lang::Hant) => format!(
                "{}（{cell}）是公式错误值 {value}，请修正公式或直接填写内容",
                column.names()[0]
            ),
            (RowProblem::ErrorCell { column, cell, value }, Lang::En) => format!(
                "{} ({cell}) holds the formula error {value}; fix the formula or type the value",
                column.names()[0]
            ),
            (RowProblem::AmbiguousCategory { text, paths }, Lang::Zh | Lang::Hant) => format!(
                "目录分类“{text}”对应多个分类：{}，请写出完整路径，如“{}”",
                paths.join("、"),
                paths.first().map_or("", String::as_str)
            ),
            (RowProblem::AmbiguousCategory { text, paths }, Lang::En) => format!(
                "category \"{text}\" names several categories: {}; write the full path, such as \"{}\"",
                paths.join(", "),
                paths.first().map_or("", String::as_str)
            ),
        }
    }
}

/// One reason a row was left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Found while reading the row.
    Row(RowProblem),
    /// Found by the catalogue parser, in its words.
    Entry(ItemProblem),
    /// The parser's repeated index number, its first use being this row.
    SameIdAs(usize),
}

impl Reason {
    /// The reason in words.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Reason::Row(problem), _) => problem.message(lang),
            (Reason::Entry(problem), _) => problem.message(lang),
            (Reason::SameIdAs(row), Lang::Zh | Lang::Hant) => format!("编号与第 {row} 行重复"),
            (Reason::SameIdAs(row), Lang::En) => format!("id already used by row {row}"),
        }
    }
}

/// A row or an entry left out, with why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A spreadsheet row.
    Row {
        /// Its number as Excel shows it (the header is usually 1).
        row: usize,
        /// Its index number, when it has a readable one.
        id: Option<String>,
        /// Why, at least one reason.
        reasons: Vec<Reason>,
    },
    /// An entry or category of a catalogue file, as the parser lists it.
    Skipped(Skipped),
}

impl Problem {
    /// The spreadsheet row, for a row.
    pub fn row(&self) -> Option<usize> {
        match self {
            Problem::Row { row, .. } => Some(*row),
            Problem::Skipped(_) => None,
        }
    }

    /// One line for staff: where, which, and what is wrong, e.g.
    /// `第 9 行（索引号 …）：缺少名称（title）`.
    pub fn message(&self, lang: Lang) -> String {
        let (row, id, reasons) = match self {
            Problem::Skipped(skipped) => return skipped.message(lang),
            Problem::Row { row, id, reasons } => (row, id, reasons),
        };
        let id = match (id, lang) {
            (Some(id), Lang::Zh | Lang::Hant) => format!("（索引号 {id}）"),
            (Some(id), Lang::En) => format!(" (id {id})"),
            (None, _) => String::new(),
        };
        let reasons: Vec<String> = reasons.iter().map(|r| r.message(lang)).collect();
        match lang {
            Lang::Zh | Lang::Hant => format!("第 {row} 行{id}：{}", reasons.join("；")),
            Lang::En => format!("Row {row}{id}: {}", reasons.join("; ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_core::catalogue::Field;

    #[test]
    fn a_row_is_named_by_its_number_and_index_number() {
        let problem = Problem::Row {
            row: 9,
            id: Some("X/2016-1".into()),
            reasons: vec![
                Reason::Entry(ItemProblem::Missing(Field::Title)),
                Reason::SameIdAs(4),
            ],
        };
        assert_eq!(
            problem.message(Lang::Zh),
            "第 9 行（索引号 X/2016-1）：缺少名称（title）；编号与第 4 行重复"
        );
        assert_eq!(
            problem.message(Lang::En),
            "Row 9 (id X/2016-1): title (title) is missing; id already used by row 4"
        );
    }

    #[test]
    fn an_ambiguous_category_shows_the_way_out() {
        let problem = RowProblem::AmbiguousCategory {
            text: "其他".into(),
            paths: vec!["甲/其他".into(), "乙/其他".into()],
        };
        assert_eq!(
            problem.message(Lang::Zh),
            "目录分类“其他”对应多个分类：甲/其他、乙/其他，请写出完整路径，如“甲/其他”"
        );
    }
}
