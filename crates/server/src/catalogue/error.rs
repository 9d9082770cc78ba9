//! What stops a catalogue or spreadsheet from being read at all, in words
//! for the staff who keep it: each message names the file and says what
//! to do.

use super::columns::Column;
use xxgk_core::{CatalogueError, Lang, Skipped};

/// A problem with the whole input; nothing of it can be used.
///
/// `Display` gives the Chinese message; [`InputError::message`] gives
/// either language.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Zh))]
pub enum InputError {
    /// The file cannot be read from the disk.
    Read {
        /// The file.
        file: String,
        /// The system's words.
        detail: String,
    },
    /// A `.xlsx`, `.xls` or `.ods` file that is not one (a web page saved
    /// as `.xls`, often).
    NotWorkbook {
        /// The file.
        file: String,
    },
    /// calamine could not read the workbook.
    Workbook {
        /// The file.
        file: String,
        /// calamine's words.
        detail: String,
    },
    /// The workbook has no sheet.
    NoSheet {
        /// The file.
        file: String,
    },
    /// `--sheet` names no sheet of the workbook.
    NoSuchSheet {
        /// The file.
        file: String,
        /// The name given.
        wanted: String,
        /// The sheets there are.
        sheets: Vec<String>,
    },
    /// A CSV file that is neither UTF-8 nor GBK.
    Encoding {
        /// The file.
        file: String,
    },
    /// The csv crate could not read a CSV file.
    Csv {
        /// The file.
        file: String,
        /// The line, from 1.
        line: usize,
        /// The csv crate's words.
        detail: String,
    },
    /// The sheet has no row with anything in it.
    Empty {
        /// The file.
        file: String,
    },
    /// The header row lacks a column every entry needs.
    MissingColumns {
        /// The file.
        file: String,
        /// The row taken for the header.
        row: usize,
        /// The columns missing.
        missing: Vec<Column>,
    },
    /// Two header cells name the same member (名称 and 标题, say).
    RepeatedColumn {
        /// The file.
        file: String,
        /// The member.
        column: Column,
        /// The first header cell, e.g. `B1`.
        first: String,
        /// The second header cell.
        second: String,
    },
    /// The `--categories` file (or the standard tree) cannot be read as a
    /// catalogue.
    Categories(CatalogueError),
    /// Nodes of the `--categories` tree had to be skipped.
    BadCategories {
        /// The file.
        file: String,
        /// The nodes skipped, with why.
        skipped: Vec<Skipped>,
    },
    /// No `--site-name` and no 发布机构 to take it from.
    NoSiteName {
        /// The file.
        file: String,
    },
    /// The catalogue could not be written as JSON.
    Json(String),
}

impl InputError {
    /// The message, naming the file, the problem and what to do.
    pub fn message(&self, lang: Lang) -> String {
        let list = |items: &[String]| items.join(lang.pick("、", ", "));
        match (self, lang) {
            (InputError::Read { file, detail }, Lang::Zh | Lang::Hant) => format!("无法读取 {file}：{detail}"),
            (InputError::Read { file, detail }, Lang::En) => format!("cannot read {file}: {detail}"),
            (InputError::NotWorkbook { file }, Lang::Zh | Lang::Hant) => format!(
                "{file} 不是真正的 Excel 或 OpenDocument 表格（可能是另存为 .xls 的网页）。请用 Excel 或 WPS 打开它，另存为 .xlsx 后再试。"
            ),
            (InputError::NotWorkbook { file }, Lang::En) => format!(
                "{file} is not a real Excel or OpenDocument workbook (perhaps a web page saved as .xls). Open it in Excel or WPS, save it as .xlsx and try again."
            ),
            (InputError::Workbook { file, detail }, Lang::Zh | Lang::Hant) => format!(
                "无法读取表格 {file}（{detail}）。如果文件设了打开密码，请先取消密码；也可以用 Excel 或 WPS 另存为 .xlsx 后再试。"
            ),
            (InputError::Workbook { file, detail }, Lang::En) => format!(
                "cannot read the workbook {file} ({detail}). If it has a password, remove it; or save it again as .xlsx from Excel or WPS and try again."
            ),
            (InputError::NoSheet { file }, Lang::Zh | Lang::Hant) => format!("表格 {file} 中没有工作表。"),
            (InputError::NoSheet { file }, Lang::En) => format!("the workbook {file} has no sheet."),
            (InputError::NoSuchSheet { file, wanted, sheets }, Lang::Zh | Lang::Hant) => format!(
                "表格 {file} 中没有名为“{wanted}”的工作表。现有的工作表：{}。",
                list(sheets)
            ),
            (InputError::NoSuchSheet { file, wanted, sheets }, Lang::En) => format!(
                "the workbook {file} has no sheet named \"{wanted}\"; its sheets are: {}.",
                list(sheets)
            ),
            (InputError::Encoding { file }, Lang::Zh | Lang::Hant) => format!(
                "{file} 既不是 UTF-8 也不是 GBK 编码。请用 Excel 打开原表格，“另存为”选择“CSV UTF-8（逗号分隔）”后再试。"
            ),
            (InputError::Encoding { file }, Lang::En) => format!(
                "{file} is neither UTF-8 nor GBK. Open the original in Excel and save it as \"CSV UTF-8 (Comma delimited)\", then try again."
            ),
            (InputError::Csv { file, line, detail }, Lang::Zh | Lang::Hant) => {
                format!("无法读取 {file} 第 {line} 行（{detail}）。请检查该行的引号和逗号。")
            }
            (InputError::Csv { file, line, detail }, Lang::En) => format!(
                "cannot read line {line} of {file} ({detail}). Check the quotes and commas on that line."
            ),
            (InputError::Empty { file }, Lang::Zh | Lang::Hant) => {
                format!("{file} 中没有任何内容。请确认选对了文件和工作表。")
            }
            (InputError::Empty { file }, Lang::En) => {
                format!("{file} holds nothing. Check that it is the right file and sheet.")
            }
            (InputError::MissingColumns { file, row, missing }, _) => {
                let names: Vec<String> = missing.iter().map(|c| c.describe(lang)).collect();
                match lang {
                    Lang::Zh | Lang::Hant => format!(
                        "{file} 的第 {row} 行被当作表头，但其中没有这些列：{}。请在表格第一行写上列名（可用的列名见 docs/catalogue-import.md）；表头上方如有标题行，请删去。",
                        list(&names)
                    ),
                    Lang::En => format!(
                        "row {row} of {file} is taken for the header, but it lacks these columns: {}. Put the column names in the first row (see docs/catalogue-import.md for the names), deleting any title row above them.",
                        list(&names)
                    ),
                }
            }
            (InputError::RepeatedColumn { file, column, first, second }, Lang::Zh | Lang::Hant) => format!(
                "{file} 的表头 {first} 和 {second} 都是“{}”列。请删去其中一列或改名，只留一列。",
                column.names()[0]
            ),
            (InputError::RepeatedColumn { file, column, first, second }, Lang::En) => format!(
                "the header cells {first} and {second} of {file} both name the column \"{}\". Delete or rename one of them.",
                column.names()[0]
            ),
            (InputError::Categories(e), _) => e.message(lang),
            (InputError::BadCategories { file, skipped }, _) => {
                let problems: Vec<String> = skipped.iter().map(|s| s.message(lang)).collect();
                match lang {
                    Lang::Zh | Lang::Hant => format!(
                        "分类文件 {file} 中有分类不能使用：{}。请先修正分类树（xxgk-server check {file} 会列出问题）。",
                        problems.join("；")
                    ),
                    Lang::En => format!(
                        "the category file {file} has nodes that cannot be used: {}. Fix the tree first (xxgk-server check {file} lists the problems).",
                        problems.join("; ")
                    ),
                }
            }
            (InputError::NoSiteName { file }, Lang::Zh | Lang::Hant) => format!(
                "{file} 中没有填写发布机构，无法确定目录的公开主体。请加上“发布机构”列，或用 --site-name 给出名称（如 --site-name 东亭乡人民政府）。"
            ),
            (InputError::NoSiteName { file }, Lang::En) => format!(
                "{file} names no publisher (发布机构), so the body that discloses the catalogue is unknown. Add a 发布机构 column, or give it with --site-name (such as --site-name 东亭乡人民政府)."
            ),
            (InputError::Json(detail), Lang::Zh | Lang::Hant) => format!("无法生成目录 JSON：{detail}"),
            (InputError::Json(detail), Lang::En) => {
                format!("cannot write the catalogue as JSON: {detail}")
            }
        }
    }
}
