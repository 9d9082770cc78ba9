//! The header row: which column holds which member of an entry. Staff
//! write the standard metadata names (索引号, 名称, 发布日期…), some of
//! them in a common variant (标题, 体裁, 公开方式…), or the JSON member
//! names of `docs/catalogue.md` (`id`, `title`…). Spaces, full-width
//! forms, letter case and a `*` marking a required column do not matter.

use super::error::InputError;
use super::sheet::Row;
use super::text::fold;
use xxgk_core::Lang;

/// A member of a catalogue entry that a column can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    /// 索引号, `id`.
    Id,
    /// 名称, `title`.
    Title,
    /// 发布机构, `publisher`.
    Publisher,
    /// 文号, `doc_number`.
    DocNumber,
    /// 成文日期, `written`.
    Written,
    /// 发布日期, `published`.
    Published,
    /// 目录分类, `category`.
    Category,
    /// 主题分类, `topic`.
    Topic,
    /// 体裁分类, `genre`.
    Genre,
    /// 主题词, `keywords`.
    Keywords,
    /// 有效性, `validity`.
    Validity,
    /// 公开属性, `disclosure`.
    Disclosure,
    /// 层级, `level`.
    Level,
    /// 村, `village`.
    Village,
    /// 内容概述, `summary`.
    Summary,
    /// 正文, `body`.
    Body,
    /// 附件, `attachments`.
    Attachments,
    /// 原文链接, `link`.
    Link,
}

impl Column {
    /// Every column, in the order of `docs/catalogue-import.md`.
    pub const ALL: [Column; 18] = [
        Column::Id,
        Column::Title,
        Column::Publisher,
        Column::DocNumber,
        Column::Written,
        Column::Published,
        Column::Category,
        Column::Topic,
        Column::Genre,
        Column::Keywords,
        Column::Validity,
        Column::Disclosure,
        Column::Level,
        Column::Village,
        Column::Summary,
        Column::Body,
        Column::Attachments,
        Column::Link,
    ];

    /// The columns an entry cannot do without: a sheet lacking one of them
    /// is refused as a whole.
    pub const REQUIRED: [Column; 4] = [
        Column::Id,
        Column::Title,
        Column::Published,
        Column::Category,
    ];

    /// The header names taken for this column; the first is the one
    /// messages use, the last the JSON member.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Column::Id => &["索引号", "id"],
            Column::Title => &["名称", "标题", "title"],
            Column::Publisher => &["发布机构", "publisher"],
            Column::DocNumber => &["文号", "doc_number"],
            Column::Written => &["成文日期", "written"],
            Column::Published => &["发布日期", "published"],
            Column::Category => &["目录分类", "category"],
            Column::Topic => &["主题分类", "topic"],
            Column::Genre => &["体裁", "体裁分类", "genre"],
            Column::Keywords => &["主题词", "keywords"],
            Column::Validity => &["有效性", "validity"],
            Column::Disclosure => &["公开方式", "公开属性", "disclosure"],
            Column::Level => &["层级", "level"],
            Column::Village => &["村", "村居", "所属村", "village"],
            Column::Summary => &["内容概述", "摘要", "summary"],
            Column::Body => &["正文", "body"],
            Column::Attachments => &["附件", "attachments"],
            Column::Link => &["链接", "原文链接", "link"],
        }
    }

    /// The column's name in messages: `名称（标题、title）` or
    /// `名称 (标题, title)`.
    pub fn describe(self, lang: Lang) -> String {
        let names = self.names();
        let others = names[1..].join(lang.pick("、", ", "));
        match lang {
            Lang::Zh | Lang::Hant => format!("{}（或 {others}）", names[0]),
            Lang::En => format!("{} (or {others})", names[0]),
        }
    }

    /// The column a header names, if any.
    pub fn from_header(header: &str) -> Option<Column> {
        let header = fold(header);
        let header = header.trim_matches('*');
        Column::ALL
            .into_iter()
            .find(|c| c.names().iter().any(|n| fold(n) == header))
    }
}

/// The spreadsheet column letters of a 0-based index: A, Z, AA…
pub fn letters(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The header row read: where each known column is, and the headers not
/// known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The header's row number.
    pub row: usize,
    /// Each known column and its index (A is 0), left to right.
    pub columns: Vec<(usize, Column)>,
    /// Headers that name no member, as written; their cells are ignored.
    pub ignored: Vec<String>,
}

impl Header {
    /// Reads the header row. A column named twice (名称 and 标题, say)
    /// and a missing required column are errors of the whole file.
    pub fn read(file: &str, row: &Row) -> Result<Header, InputError> {
        let mut columns: Vec<(usize, Column)> = Vec::new();
        let mut ignored = Vec::new();
        for (index, cell) in row.cells.iter().enumerate() {
            let Some(text) = cell.text().filter(|t| !t.trim().is_empty()) else {
                continue;
            };
            let Some(column) = Column::from_header(&text) else {
                ignored.push(text.trim().to_owned());
                continue;
            };
            if let Some(&(first, _)) = columns.iter().find(|(_, c)| *c == column) {
                return Err(InputError::RepeatedColumn {
                    file: file.to_owned(),
                    column,
                    first: format!("{}{}", letters(first), row.number),
                    second: format!("{}{}", letters(index), row.number),
                });
            }
            columns.push((index, column));
        }
        let missing: Vec<Column> = Column::REQUIRED
            .into_iter()
            .filter(|r| !columns.iter().any(|(_, c)| c == r))
            .collect();
        if !missing.is_empty() {
            return Err(InputError::MissingColumns {
                file: file.to_owned(),
                row: row.number,
                missing,
            });
        }
        Ok(Header {
            row: row.number,
            columns,
            ignored,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::sheet::Cell;

    fn row(headers: &[&str]) -> Row {
        Row {
            number: 3,
            cells: headers
                .iter()
                .map(|h| {
                    if h.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text((*h).into())
                    }
                })
                .collect(),
        }
    }

    #[test]
    fn headers_are_known_in_every_spelling() {
        for (header, column) in [
            ("索引号", Column::Id),
            (" 名 称 ", Column::Title),
            ("标题", Column::Title),
            ("Title", Column::Title),
            ("ＴＩＴＬＥ", Column::Title),
            ("*发布日期", Column::Published),
            ("发布日期*", Column::Published),
            ("体裁", Column::Genre),
            ("体裁分类", Column::Genre),
            ("公开方式", Column::Disclosure),
            ("公开属性", Column::Disclosure),
            ("村居", Column::Village),
            ("所属村", Column::Village),
            ("摘要", Column::Summary),
            ("原文链接", Column::Link),
            ("doc_number", Column::DocNumber),
        ] {
            assert_eq!(Column::from_header(header), Some(column), "{header}");
        }
        assert_eq!(Column::from_header("备注"), None);
        assert_eq!(Column::from_header("名"), None);
    }

    #[test]
    fn every_column_has_its_json_member_last() {
        let members = [
            "id",
            "title",
            "publisher",
            "doc_number",
            "written",
            "published",
            "category",
            "topic",
            "genre",
            "keywords",
            "validity",
            "disclosure",
            "level",
            "village",
            "summary",
            "body",
            "attachments",
            "link",
        ];
        for (column, member) in Column::ALL.into_iter().zip(members) {
            assert_eq!(column.names().last(), Some(&member));
        }
    }

    #[test]
    fn unknown_headers_are_kept_to_be_reported() {
        let header = Header::read(
            "t",
            &row(&["", "索引号", "名称", "备注", "发布日期", "目录分类"]),
        )
        .unwrap();
        assert_eq!(header.row, 3);
        assert_eq!(
            header.columns,
            [
                (1, Column::Id),
                (2, Column::Title),
                (4, Column::Published),
                (5, Column::Category)
            ]
        );
        assert_eq!(header.ignored, ["备注"]);
    }

    #[test]
    fn a_column_given_twice_is_named_by_its_cells() {
        let e = Header::read(
            "t",
            &row(&["索引号", "名称", "标题", "发布日期", "目录分类"]),
        )
        .unwrap_err();
        assert!(
            matches!(&e, InputError::RepeatedColumn { column: Column::Title, first, second, .. }
                if first == "B3" && second == "C3"),
            "{e:?}"
        );
    }

    #[test]
    fn missing_required_columns_are_listed() {
        let e = Header::read("t", &row(&["名称", "发布日期"])).unwrap_err();
        assert!(
            matches!(&e, InputError::MissingColumns { row: 3, missing, .. }
                if *missing == [Column::Id, Column::Category]),
            "{e:?}"
        );
    }

    #[test]
    fn column_letters_go_past_z() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(27), "AB");
        assert_eq!(letters(701), "ZZ");
        assert_eq!(letters(702), "AAA");
    }
}
