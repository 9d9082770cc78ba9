//! One spreadsheet row turned into a catalogue entry: dates made
//! `2016-12-01`, the category cell made an id, 主题词 and 附件 split,
//! 层级, 有效性 and 公开属性 written as their codes. What the catalogue
//! parser checks (required members, real dates, known categories and
//! values, safe links) is left to it, so each rule has one message.

use super::attachments;
use super::categories::{Found, Tree};
use super::columns::{letters, Column, Header};
use super::dates;
use super::entry::{disclosure_code, Entry};
use super::problem::RowProblem;
use super::sheet::{Cell, Row};
use xxgk_core::{Disclosure, Level, Validity};

/// What a row turned into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Converted {
    /// Nothing in any known column: passed over.
    Blank,
    /// An entry for the parser to check.
    Entry(Box<Entry>),
    /// Left out, with its index number if it has one.
    Rejected {
        /// The index number.
        id: Option<String>,
        /// Why, at least one problem.
        problems: Vec<RowProblem>,
    },
}

/// Turns `row` into an entry, with the columns of `header` and the
/// categories of `tree`.
pub fn convert(row: &Row, header: &Header, tree: &Tree) -> Converted {
    if header.columns.iter().all(|&(i, _)| row.cell(i).is_blank()) {
        return Converted::Blank;
    }
    let mut entry = Entry::default();
    let mut problems = Vec::new();
    for &(index, column) in &header.columns {
        let cell = row.cell(index);
        if let Cell::Error(value) = cell {
            problems.push(RowProblem::ErrorCell {
                column,
                cell: format!("{}{}", letters(index), row.number),
                value: value.clone(),
            });
            continue;
        }
        if cell.is_blank() {
            continue;
        }
        let text = cell.text().unwrap_or_default().trim().to_owned();
        match column {
            Column::Written => entry.written = date(cell),
            Column::Published => entry.published = date(cell),
            Column::Category => match tree.find(&text) {
                Found::Id(id) => entry.category = Some(id.to_owned()),
                Found::Nothing => entry.category = Some(text),
                Found::Several(paths) => {
                    problems.push(RowProblem::AmbiguousCategory { text, paths });
                }
            },
            Column::Keywords => entry.keywords = keywords(&text),
            Column::Attachments => entry.attachments = attachments::split(&text),
            Column::Level => {
                entry.level = Some(code(text, |t| Level::from_code(t).map(Level::code)));
            }
            Column::Validity => {
                entry.validity = Some(code(text, |t| Validity::from_code(t).map(Validity::code)));
            }
            Column::Disclosure => {
                entry.disclosure = Some(code(text, |t| {
                    Disclosure::from_code(t).map(disclosure_code)
                }));
            }
            Column::Id => entry.id = Some(text),
            Column::Title => entry.title = Some(text),
            Column::Publisher => entry.publisher = Some(text),
            Column::DocNumber => entry.doc_number = Some(text),
            Column::Topic => entry.topic = Some(text),
            Column::Genre => entry.genre = Some(text),
            Column::Village => entry.village = Some(text),
            Column::Summary => entry.summary = Some(text),
            Column::Body => entry.body = Some(text),
            Column::Link => entry.link = Some(text),
        }
    }
    if problems.is_empty() {
        Converted::Entry(Box::new(entry))
    } else {
        Converted::Rejected {
            id: entry.id,
            problems,
        }
    }
}

/// A date cell as `2016-12-01`, or as written when it is not a date (the
/// parser then says so).
fn date(cell: &Cell) -> Option<String> {
    dates::read(cell).map(|date| date.map_or_else(|text| text, |d| d.to_string()))
}

/// The code of a known value (`村级` → `village`), or the text as written
/// for the parser to refuse.
fn code(text: String, read: impl Fn(&str) -> Option<&'static str>) -> String {
    read(&text).map_or(text, str::to_owned)
}

/// 主题词 split at spaces, commas, `、` and semicolons, in either width.
fn keywords(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::sheet::When;

    fn header(names: &[&str]) -> Header {
        let cells = names.iter().map(|n| Cell::Text((*n).into())).collect();
        Header::read("t", &Row { number: 1, cells }).unwrap()
    }

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    const NAMES: [&str; 9] = [
        "索引号",
        "名称",
        "发布日期",
        "目录分类",
        "层级",
        "有效性",
        "公开方式",
        "主题词",
        "备注",
    ];

    #[test]
    fn a_row_becomes_an_entry_with_codes_and_canonical_dates() {
        let row = Row {
            number: 5,
            cells: vec![
                Cell::Number(123.0),
                text(" 东亭乡2016年财政预算公开 "),
                Cell::When(When {
                    year: 2016,
                    month: 3,
                    day: 5,
                    seconds: 0,
                }),
                text("法定主动公开内容/财政预决算"),
                text("村级"),
                text("失效"),
                text("依申请公开"),
                text("财政；预算，2016年 公开、三公"),
                text("ignored"),
            ],
        };
        let Converted::Entry(entry) = convert(&row, &header(&NAMES), &Tree::standard().unwrap())
        else {
            panic!("not converted");
        };
        assert_eq!(entry.id.as_deref(), Some("123"));
        assert_eq!(entry.title.as_deref(), Some("东亭乡2016年财政预算公开"));
        assert_eq!(entry.published.as_deref(), Some("2016-03-05"));
        assert_eq!(entry.category.as_deref(), Some("czyjs"));
        assert_eq!(entry.level.as_deref(), Some("village"));
        assert_eq!(entry.validity.as_deref(), Some("expired"));
        assert_eq!(entry.disclosure.as_deref(), Some("on_request"));
        assert_eq!(entry.keywords, ["财政", "预算", "2016年", "公开", "三公"]);
    }

    #[test]
    fn what_the_parser_refuses_is_passed_on_as_written() {
        let row = Row {
            number: 5,
            cells: vec![
                text("A-1"),
                Cell::Empty,
                text("2016年2月30日"),
                text("财政"),
                text("县级"),
            ],
        };
        let Converted::Entry(entry) = convert(&row, &header(&NAMES), &Tree::standard().unwrap())
        else {
            panic!("not converted");
        };
        assert_eq!(entry.title, None);
        assert_eq!(entry.published.as_deref(), Some("2016年2月30日"));
        assert_eq!(entry.category.as_deref(), Some("财政"));
        assert_eq!(entry.level.as_deref(), Some("县级"));
    }

    #[test]
    fn error_values_and_ambiguous_categories_leave_the_row_out() {
        let tree = Tree::new(vec![
            xxgk_core::Category {
                id: "a".into(),
                name: "甲".into(),
                parent: None,
                depth: 0,
            },
            xxgk_core::Category {
                id: "b".into(),
                name: "其他".into(),
                parent: Some(0),
                depth: 1,
            },
            xxgk_core::Category {
                id: "c".into(),
                name: "其他".into(),
                parent: None,
                depth: 0,
            },
        ]);
        let row = Row {
            number: 7,
            cells: vec![
                text("A-1"),
                text("标题"),
                Cell::Error("#N/A".into()),
                text("其他"),
            ],
        };
        assert_eq!(
            convert(&row, &header(&NAMES), &tree),
            Converted::Rejected {
                id: Some("A-1".into()),
                problems: vec![
                    RowProblem::ErrorCell {
                        column: Column::Published,
                        cell: "C7".into(),
                        value: "#N/A".into()
                    },
                    RowProblem::AmbiguousCategory {
                        text: "其他".into(),
                        paths: vec!["甲/其他".into(), "其他".into()]
                    },
                ],
            }
        );
    }

    #[test]
    fn a_row_with_nothing_in_known_columns_is_blank() {
        let row = Row {
            number: 3,
            cells: vec![
                text(" "),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                text("备注而已"),
            ],
        };
        assert_eq!(
            convert(&row, &header(&NAMES), &Tree::standard().unwrap()),
            Converted::Blank
        );
        let empty = Row {
            number: 4,
            cells: Vec::new(),
        };
        assert_eq!(
            convert(&empty, &header(&NAMES), &Tree::standard().unwrap()),
            Converted::Blank
        );
    }
}
