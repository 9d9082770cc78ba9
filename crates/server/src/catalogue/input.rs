//! The one way the catalogue commands read their input: a catalogue file
//! (`xxgk-catalogue/1` JSON) as it is, or a spreadsheet (`.xlsx`, `.xls`,
//! `.xlsb`, `.ods`, `.csv`) turned into one. Either way the result is JSON
//! bytes for [`xxgk_core::Catalogue::parse`], so the widget's own parser
//! has the last word on every entry, plus the rows that could not be
//! turned into entries and the row each entry came from, so that the
//! parser's findings are reported by spreadsheet row.

use super::categories::Tree;
use super::columns::Header;
use super::document;
use super::error::InputError;
use super::problem::{Problem, Reason};
use super::progress::Progress;
use super::row::{self, Converted};
use super::sheet::{self, Cell, Sheet, Workbook};
use super::site::{self, SiteEntry};
use std::path::{Path, PathBuf};
use xxgk_core::catalogue::Reader;
use xxgk_core::{Catalogue, CatalogueError, Date, ItemProblem, Lang, SkippedPlace};

/// How to read an input. Every field has a default (`Options::default()`).
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// A catalogue file whose category tree spreadsheet categories are
    /// found in; `None` for the standard township tree.
    pub categories: Option<PathBuf>,
    /// The site's name; `None` for the publisher (发布机构) of most rows.
    pub site_name: Option<String>,
    /// The site's region; `None` for none.
    pub region: Option<String>,
    /// The sheet of a workbook to read; `None` for the first.
    pub sheet: Option<String>,
    /// The language of the progress bar.
    pub lang: Lang,
    /// Whether a progress bar may be shown (on a terminal, past
    /// [`Progress::THRESHOLD`] rows).
    pub progress: bool,
}

/// What kind of file an input is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A catalogue file.
    Json,
    /// A CSV file.
    Csv,
    /// A workbook.
    Workbook(Workbook),
}

/// Something staff should know about how a spreadsheet was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    /// Rows with nothing in a known column, passed over.
    BlankRows(usize),
    /// Header cells that name no member; their columns were not read.
    IgnoredColumns(Vec<String>),
    /// Only one sheet of a workbook with several was read.
    OtherSheets {
        /// The sheet read.
        read: String,
        /// The others.
        others: Vec<String>,
    },
    /// A CSV file was read as GBK.
    FromGbk,
}

impl Note {
    /// The note in words.
    pub fn message(&self, lang: Lang) -> String {
        let list = |items: &[String]| items.join(lang.pick("、", ", "));
        match (self, lang) {
            (Note::BlankRows(n), Lang::Zh | Lang::Hant) => format!("空行 {n} 行，已略过。"),
            (Note::BlankRows(n), Lang::En) => format!("{n} blank rows passed over."),
            (Note::IgnoredColumns(names), Lang::Zh | Lang::Hant) => {
                format!("这些列不是目录的内容，已忽略：{}。", list(names))
            }
            (Note::IgnoredColumns(names), Lang::En) => {
                format!("columns ignored (not catalogue members): {}.", list(names))
            }
            (Note::OtherSheets { read, others }, Lang::Zh | Lang::Hant) => format!(
                "只读取了工作表“{read}”，未读取：{}（可用 --sheet 选择）。",
                list(others)
            ),
            (Note::OtherSheets { read, others }, Lang::En) => format!(
                "read the sheet \"{read}\" only, not: {} (choose with --sheet).",
                list(others)
            ),
            (Note::FromGbk, Lang::Zh | Lang::Hant) => "文件不是 UTF-8 编码，已按 GBK 读取；如有乱码，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”。".into(),
            (Note::FromGbk, Lang::En) => "the file is not UTF-8 and was read as GBK; if text looks garbled, save it from Excel as \"CSV UTF-8 (Comma delimited)\".".into(),
        }
    }
}

/// An input read: the catalogue as JSON, and what staff need to know to
/// fix the rows that did not make it.
#[derive(Clone, Debug)]
pub struct Input {
    /// The file, as messages name it.
    pub file: String,
    /// What kind of file it was.
    pub kind: Kind,
    /// The catalogue, `xxgk-catalogue/1`: a catalogue file as it is; for a
    /// spreadsheet, every row that could be turned into an entry.
    pub json: Vec<u8>,
    /// Spreadsheet rows left out before the parser saw them.
    pub rejected: Vec<Problem>,
    /// What staff should know about how the file was read.
    pub notes: Vec<Note>,
    /// For a spreadsheet, the row each entry of `json` came from.
    rows: Vec<usize>,
    progress: bool,
    lang: Lang,
}

/// Reads a catalogue file or a spreadsheet (see the module's
/// documentation). The kind is told by the file's extension, and for an
/// unknown extension by its first bytes (a catalogue file otherwise, as
/// `xxgk-server check` has always taken it).
pub fn read(path: &Path, options: &Options) -> Result<Input, InputError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| InputError::Read {
        file: file.clone(),
        detail: e.to_string(),
    })?;
    let kind = kind(&file, path, &bytes)?;
    let sheet = match kind {
        Kind::Json => return Ok(Input::catalogue(file, bytes)),
        Kind::Csv => sheet::csv(&file, &bytes)?,
        Kind::Workbook(workbook) => {
            sheet::workbook(&file, bytes, workbook, options.sheet.as_deref())?
        }
    };
    let tree = match &options.categories {
        Some(categories) => Tree::from_file(categories)?,
        None => Tree::standard()?,
    };
    spreadsheet(file, kind, sheet, &tree, options)
}

/// The kind of file, by extension, then by content.
fn kind(file: &str, path: &Path, bytes: &[u8]) -> Result<Kind, InputError> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    let ods = zip
        && bytes
            .windows(46)
            .take(200)
            .any(|w| w == b"application/vnd.oasis.opendocument.spreadsheet");
    let workbook = match extension.as_deref() {
        Some("json") => return Ok(Kind::Json),
        Some("csv") => return Ok(Kind::Csv),
        Some("xlsb") if zip => Workbook::Xlsb,
        Some("ods") if zip => Workbook::Ods,
        Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods") if !zip && !ole => {
            return Err(InputError::NotWorkbook {
                file: file.to_owned(),
            })
        }
        _ if ods => Workbook::Ods,
        _ if zip => Workbook::Xlsx,
        _ if ole => Workbook::Xls,
        _ => return Ok(Kind::Json),
    };
    Ok(Kind::Workbook(workbook))
}

/// The rows of a sheet turned into a catalogue.
fn spreadsheet(
    file: String,
    kind: Kind,
    sheet: Sheet,
    tree: &Tree,
    options: &Options,
) -> Result<Input, InputError> {
    let mut rows = sheet
        .rows
        .iter()
        .skip_while(|r| r.cells.iter().all(Cell::is_blank));
    let header = Header::read(
        &file,
        rows.next()
            .ok_or_else(|| InputError::Empty { file: file.clone() })?,
    )?;
    let rows: Vec<_> = rows.collect();
    let progress = Progress::new(
        rows.len(),
        options.lang.pick("正在转换", "converting"),
        options.progress,
    );
    let (mut entries, mut numbers, mut rejected, mut blank) =
        (Vec::new(), Vec::new(), Vec::new(), 0);
    for row in rows {
        match row::convert(row, &header, tree) {
            Converted::Blank => blank += 1,
            Converted::Entry(entry) => {
                entries.push(*entry);
                numbers.push(row.number);
            }
            Converted::Rejected { id, problems } => rejected.push(Problem::Row {
                row: row.number,
                id,
                reasons: problems.into_iter().map(Reason::Row).collect(),
            }),
        }
        progress.advance(1);
    }
    drop(progress);

    let name = options
        .site_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .or_else(|| site::most_frequent(entries.iter().filter_map(|e| e.publisher.as_deref())));
    let name = match name {
        Some(name) => name,
        // With no entry, nothing needs a publisher: the file names the site.
        None if entries.is_empty() => file.clone(),
        None => return Err(InputError::NoSiteName { file }),
    };
    let site = SiteEntry {
        name,
        region: options.region.clone().filter(|r| !r.trim().is_empty()),
        updated: site::latest(
            entries
                .iter()
                .filter_map(|e| e.published.as_deref().and_then(Date::parse)),
        ),
    };
    let json = document::write(&site, &tree.nodes(), &entries)?;

    let mut notes = Vec::new();
    if sheet.from_gbk {
        notes.push(Note::FromGbk);
    }
    if let (Some(read), false) = (&sheet.name, sheet.others.is_empty()) {
        notes.push(Note::OtherSheets {
            read: read.clone(),
            others: sheet.others.clone(),
        });
    }
    if !header.ignored.is_empty() {
        notes.push(Note::IgnoredColumns(header.ignored));
    }
    if blank > 0 {
        notes.push(Note::BlankRows(blank));
    }
    Ok(Input {
        file,
        kind,
        json,
        rejected,
        notes,
        rows: numbers,
        progress: options.progress,
        lang: options.lang,
    })
}

impl Input {
    /// A catalogue file, taken as it is.
    pub fn catalogue(file: String, bytes: Vec<u8>) -> Input {
        Input {
            file,
            kind: Kind::Json,
            json: bytes,
            rejected: Vec::new(),
            notes: Vec::new(),
            rows: Vec::new(),
            progress: false,
            lang: Lang::Zh,
        }
    }

    /// Whether the input was a spreadsheet.
    pub fn is_spreadsheet(&self) -> bool {
        self.kind != Kind::Json
    }

    /// The catalogue, read by the widget's parser.
    pub fn parse(&self) -> Result<Catalogue, CatalogueError> {
        let mut reader = Reader::new(&self.file, Catalogue::text(&self.file, &self.json)?)?;
        let progress = Progress::new(
            self.rows.len(),
            self.lang.pick("正在检查", "checking"),
            self.progress,
        );
        const BATCH: usize = 500;
        while reader.read(BATCH) {
            progress.advance(BATCH);
        }
        Ok(reader.finish())
    }

    /// Everything left out, in the order of the file: for a spreadsheet,
    /// the rows rejected here and those the parser skipped, by row number
    /// (the parser's entry positions turned into rows); for a catalogue
    /// file, what the parser skipped, as it says it.
    pub fn problems(&self, catalogue: &Catalogue) -> Vec<Problem> {
        let row_of = |place: &SkippedPlace| match place {
            SkippedPlace::Item(n) => n.checked_sub(1).and_then(|i| self.rows.get(i)).copied(),
            SkippedPlace::Category(_) => None,
        };
        let mut problems = self.rejected.clone();
        for skipped in &catalogue.skipped {
            let Some(row) = row_of(&skipped.place) else {
                problems.push(Problem::Skipped(skipped.clone()));
                continue;
            };
            let reasons = skipped
                .problems
                .iter()
                .map(|p| match p {
                    ItemProblem::DuplicateId { first } => {
                        row_of(first).map_or_else(|| Reason::Entry(p.clone()), Reason::SameIdAs)
                    }
                    p => Reason::Entry(p.clone()),
                })
                .collect();
            problems.push(Problem::Row {
                row,
                id: skipped.id.clone(),
                reasons,
            });
        }
        if self.is_spreadsheet() {
            problems.sort_by_key(|p| p.row().unwrap_or(0));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(text: &str) -> Input {
        let sheet = sheet::csv("t.csv", text.as_bytes()).unwrap();
        spreadsheet(
            "t.csv".into(),
            Kind::Csv,
            sheet,
            &Tree::standard().unwrap(),
            &Options::default(),
        )
        .unwrap()
    }

    #[test]
    fn the_parsers_findings_are_reported_by_row() {
        let input = sheet(
            "\n索引号,名称,发布日期,目录分类,发布机构\n\
             A-1,甲,2016-12-01,czyjs,东亭乡人民政府\n\
             A-2,,2016-12-02,czyjs,东亭乡人民政府\n\
             ,,,,\n\
             A-1,丙,2016-12-03,czyjs,东亭村委会\n",
        );
        let catalogue = input.parse().unwrap();
        assert_eq!(catalogue.items.len(), 1);
        let lines: Vec<String> = input
            .problems(&catalogue)
            .iter()
            .map(|p| p.message(Lang::Zh))
            .collect();
        assert_eq!(
            lines,
            [
                "第 4 行（索引号 A-2）：缺少名称（title）",
                "第 6 行（索引号 A-1）：编号与第 3 行重复"
            ]
        );
        assert_eq!(input.notes, [Note::BlankRows(1)]);
    }

    #[test]
    fn the_site_is_the_most_frequent_publisher_and_the_latest_date() {
        let input = sheet(
            "索引号,名称,发布日期,目录分类,发布机构\n\
             A-1,甲,2016-12-01,czyjs,东亭村委会\n\
             A-2,乙,2017年3月31日,czyjs,东亭乡人民政府\n\
             A-3,丙,2016/1/2,czyjs,东亭乡人民政府\n\
             A-4,丁,不详,czyjs,东亭乡人民政府\n",
        );
        let site = input.parse().unwrap().site;
        assert_eq!(site.name, "东亭乡人民政府");
        assert_eq!(
            site.updated.map(|d| d.to_string()).as_deref(),
            Some("2017-03-31")
        );
        assert_eq!(site.region, None);
    }

    #[test]
    fn without_any_publisher_the_site_name_must_be_given() {
        let text = "索引号,名称,发布日期,目录分类\nA-1,甲,2016-12-01,czyjs\n";
        let sheet_of = || sheet::csv("t.csv", text.as_bytes()).unwrap();
        let tree = Tree::standard().unwrap();
        let refused = spreadsheet(
            "t.csv".into(),
            Kind::Csv,
            sheet_of(),
            &tree,
            &Options::default(),
        );
        assert!(matches!(refused, Err(InputError::NoSiteName { .. })));
        let options = Options {
            site_name: Some("东亭乡人民政府".into()),
            region: Some("安徽省广德县东亭乡".into()),
            ..Options::default()
        };
        let input = spreadsheet("t.csv".into(), Kind::Csv, sheet_of(), &tree, &options).unwrap();
        let catalogue = input.parse().unwrap();
        assert_eq!(catalogue.site.name, "东亭乡人民政府");
        assert_eq!(catalogue.items[0].publisher, "东亭乡人民政府");
        assert_eq!(catalogue.site.region.as_deref(), Some("安徽省广德县东亭乡"));
    }

    #[test]
    fn the_kind_is_told_by_extension_then_content() {
        let kind = |name: &str, bytes: &[u8]| kind(name, Path::new(name), bytes);
        let zip = b"PK\x03\x04rest";
        assert_eq!(kind("a.json", zip), Ok(Kind::Json));
        assert_eq!(kind("a.CSV", b"x"), Ok(Kind::Csv));
        assert_eq!(kind("a.XLSX", zip), Ok(Kind::Workbook(Workbook::Xlsx)));
        assert_eq!(kind("a.xls", zip), Ok(Kind::Workbook(Workbook::Xlsx)));
        assert_eq!(kind("a.xlsb", zip), Ok(Kind::Workbook(Workbook::Xlsb)));
        assert_eq!(
            kind("a.xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1..."),
            Ok(Kind::Workbook(Workbook::Xls))
        );
        assert_eq!(kind("download", zip), Ok(Kind::Workbook(Workbook::Xlsx)));
        assert_eq!(kind("catalogue.txt", b"{}"), Ok(Kind::Json));
        assert!(matches!(
            kind("a.xls", b"<html><table>"),
            Err(InputError::NotWorkbook { .. })
        ));
        let mut ods = b"PK\x03\x04\x14\0\0\0\0\0mimetype".to_vec();
        ods.extend_from_slice(b"application/vnd.oasis.opendocument.spreadsheet");
        assert_eq!(kind("a.bin", &ods), Ok(Kind::Workbook(Workbook::Ods)));
    }
}
