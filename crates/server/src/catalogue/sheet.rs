//! The rows of a spreadsheet, numbered as staff see them in Excel: a
//! workbook's sheet (`.xlsx`, `.xls`, `.xlsb`, `.ods`, read with calamine)
//! or a `.csv` file (read with the csv crate, UTF-8 with or without a
//! byte-order mark, or GBK as Excel on Chinese Windows saves it).

use super::error::InputError;
use calamine::{Data, Reader, Sheets};
use std::io::Cursor;

/// One cell's value, as the spreadsheet holds it.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text, as typed.
    Text(String),
    /// A number (a spreadsheet stores a date without a date format as its
    /// serial number, too).
    Number(f64),
    /// A cell formatted as a date or a date and time.
    When(When),
    /// TRUE or FALSE.
    Bool(bool),
    /// A formula's error value, such as `#N/A` or `#REF!`.
    Error(String),
}

/// The calendar parts of a date cell, in the workbook's own epoch already.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct When {
    /// The year.
    pub year: u16,
    /// The month, 1-12.
    pub month: u8,
    /// The day, 1-31.
    pub day: u8,
    /// The time of day in seconds, 0 for a date alone.
    pub seconds: u32,
}

impl Cell {
    /// Whether the cell holds nothing but white space.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as the text staff see: a whole number without `.0`, a date
    /// as `2016-12-01` (with its time, if it has one), TRUE or FALSE.
    /// `None` for an empty cell.
    pub fn text(&self) -> Option<String> {
        match self {
            Cell::Empty => None,
            Cell::Text(text) => Some(text.clone()),
            Cell::Number(number) => Some(number_text(*number)),
            Cell::When(when) => Some(when.to_string()),
            Cell::Bool(b) => Some(if *b { "TRUE" } else { "FALSE" }.to_owned()),
            Cell::Error(value) => Some(value.clone()),
        }
    }
}

impl std::fmt::Display for When {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)?;
        if self.seconds > 0 {
            let (h, m) = (self.seconds / 3600, self.seconds % 3600 / 60);
            write!(f, " {h:02}:{m:02}")?;
        }
        Ok(())
    }
}

/// A number as a spreadsheet shows it in General format: `42705`, not
/// `42705.0`.
pub fn number_text(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 9.0e15 {
        format!("{}", number as i64)
    } else {
        format!("{number}")
    }
}

/// One row: its number in the spreadsheet (the first row is 1) and its
/// cells from column A.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The row number staff see.
    pub number: usize,
    /// The cells, from column A; cells past the end are empty.
    pub cells: Vec<Cell>,
}

impl Row {
    /// The cell in column `index` (A is 0).
    pub fn cell(&self, index: usize) -> &Cell {
        self.cells.get(index).unwrap_or(&Cell::Empty)
    }
}

/// The rows of one sheet, and what staff should know about how it was
/// read.
#[derive(Clone, Debug, Default)]
pub struct Sheet {
    /// The rows in order, blank ones included.
    pub rows: Vec<Row>,
    /// The sheet's name, for a workbook.
    pub name: Option<String>,
    /// The workbook's other sheets, which were not read.
    pub others: Vec<String>,
    /// Whether a CSV file was decoded from GBK.
    pub from_gbk: bool,
}

/// The kinds of workbook calamine reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workbook {
    /// Excel 2007 and later, `.xlsx` and `.xlsm`.
    Xlsx,
    /// Excel's binary workbook, `.xlsb`.
    Xlsb,
    /// Excel 97-2003, `.xls`.
    Xls,
    /// OpenDocument (LibreOffice, WPS), `.ods`.
    Ods,
}

/// Reads one sheet of a workbook: `sheet` by name, or the first.
pub fn workbook(
    file: &str,
    bytes: Vec<u8>,
    kind: Workbook,
    sheet: Option<&str>,
) -> Result<Sheet, InputError> {
    let failed = |detail: String| InputError::Workbook {
        file: file.to_owned(),
        detail,
    };
    let data = Cursor::new(bytes);
    let mut book: Sheets<_> = match kind {
        Workbook::Xlsx => {
            Sheets::Xlsx(calamine::open_workbook_from_rs(data).map_err(|e| failed(format!("{e}")))?)
        }
        Workbook::Xlsb => {
            Sheets::Xlsb(calamine::open_workbook_from_rs(data).map_err(|e| failed(format!("{e}")))?)
        }
        Workbook::Xls => {
            Sheets::Xls(calamine::open_workbook_from_rs(data).map_err(|e| failed(format!("{e}")))?)
        }
        Workbook::Ods => {
            Sheets::Ods(calamine::open_workbook_from_rs(data).map_err(|e| failed(format!("{e}")))?)
        }
    };
    let names = book.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.trim() == wanted.trim())
            .cloned()
            .ok_or_else(|| InputError::NoSuchSheet {
                file: file.to_owned(),
                wanted: wanted.to_owned(),
                sheets: names.clone(),
            })?,
        None => names.first().cloned().ok_or_else(|| InputError::NoSheet {
            file: file.to_owned(),
        })?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| failed(format!("{e}")))?;
    let (top, left) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| Row {
            number: top as usize + i + 1,
            cells: std::iter::repeat_n(Cell::Empty, left as usize)
                .chain(cells.iter().map(cell))
                .collect(),
        })
        .collect();
    let others = names.into_iter().filter(|n| *n != name).collect();
    Ok(Sheet {
        rows,
        name: Some(name),
        others,
        from_gbk: false,
    })
}

/// A calamine cell as a [`Cell`].
fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(text) => Cell::Text(text.clone()),
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Float(n) => Cell::Number(*n),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(when) if when.is_datetime() => {
            let (year, month, day, h, m, s, _) = when.to_ymd_hms_milli();
            Cell::When(When {
                year,
                month,
                day,
                seconds: u32::from(h) * 3600 + u32::from(m) * 60 + u32::from(s),
            })
        }
        Data::DateTime(duration) => Cell::Number(duration.as_f64()),
        Data::DateTimeIso(text) => iso(text).map_or_else(|| Cell::Text(text.clone()), Cell::When),
        Data::DurationIso(text) => Cell::Text(text.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// An OpenDocument date, `2016-12-01` or `2016-12-01T08:30:00`.
fn iso(text: &str) -> Option<When> {
    let (date, time) = text.split_once('T').unwrap_or((text, ""));
    let mut parts = date.splitn(3, '-').map(str::parse::<u32>);
    let (year, month, day) = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    let mut clock = time
        .split(':')
        .map(|p| p.split('.').next().unwrap_or("0").parse::<u32>());
    let mut next = || clock.next().and_then(Result::ok).unwrap_or(0);
    let seconds = next() * 3600 + next() * 60 + next();
    Some(When {
        year: u16::try_from(year).ok()?,
        month: u8::try_from(month).ok()?,
        day: u8::try_from(day).ok()?,
        seconds,
    })
}

/// Reads a CSV file: UTF-8 (a byte-order mark is dropped), or GBK, which
/// is decoded (Excel on Chinese Windows saves "CSV (逗号分隔)" in GBK).
/// Commas separate the cells, or tabs when the first line has tabs and no
/// comma.
pub fn csv(file: &str, bytes: &[u8]) -> Result<Sheet, InputError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (text, from_gbk) = match std::str::from_utf8(bytes) {
        Ok(text) => (std::borrow::Cow::Borrowed(text), false),
        Err(_) => {
            match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
                Some(text) => (text, true),
                None => {
                    return Err(InputError::Encoding {
                        file: file.to_owned(),
                    })
                }
            }
        }
    };
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if !first_line.contains(',') && first_line.contains('\t') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(InputError::Csv {
                    file: file.to_owned(),
                    line: e.position().map_or(0, |p| p.line() as usize),
                    detail: e.to_string(),
                })
            }
        }
        // The csv crate passes over empty lines, and a record's position
        // is where the one before it ended; Excel shows each empty line as
        // a row, so they are counted back in.
        let start = record.position().map_or(0, |p| p.byte() as usize);
        for _ in 0..empty_lines(text.as_bytes(), start) {
            rows.push(Row {
                number: rows.len() + 1,
                cells: Vec::new(),
            });
        }
        rows.push(Row {
            number: rows.len() + 1,
            cells: record
                .iter()
                .map(|field| {
                    if field.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(field.replace("\r\n", "\n"))
                    }
                })
                .collect(),
        });
    }
    Ok(Sheet {
        rows,
        name: None,
        others: Vec::new(),
        from_gbk,
    })
}

/// The empty lines from `start`, where the csv crate says a record
/// begins: `\r\n`, `\n` and `\r` each end one (the `\n` of a `\r\n`
/// that ended the record before is not a line of its own).
fn empty_lines(text: &[u8], start: usize) -> usize {
    let mut at = start;
    if at > 0 && text.get(at - 1) == Some(&b'\r') && text.get(at) == Some(&b'\n') {
        at += 1;
    }
    let mut lines = 0;
    while let Some(&b) = text.get(at) {
        match b {
            b'\r' if text.get(at + 1) == Some(&b'\n') => at += 2,
            b'\r' | b'\n' => at += 1,
            _ => break,
        }
        lines += 1;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(row: &Row) -> Vec<String> {
        row.cells
            .iter()
            .map(|c| c.text().unwrap_or_default())
            .collect()
    }

    #[test]
    fn csv_rows_are_numbered_as_excel_shows_them() {
        // An empty line, a cell holding a line break, a row of commas.
        let text = "\n标题,日期\n\n\n甲,2016-12-01\n\"乙\n第二行\",2016/12/1\n,,\n丙,42705\n\n";
        for text in [text.to_owned(), text.replace('\n', "\r\n")] {
            let sheet = csv("t.csv", text.as_bytes()).unwrap();
            let numbers: Vec<usize> = sheet.rows.iter().map(|r| r.number).collect();
            assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7, 8], "{text:?}");
            for blank in [0, 2, 3] {
                assert!(sheet.rows[blank].cells.is_empty(), "{text:?}");
            }
            assert_eq!(texts(&sheet.rows[1]), ["标题", "日期"]);
            assert_eq!(texts(&sheet.rows[5]), ["乙\n第二行", "2016/12/1"]);
            assert!(sheet.rows[6].cells.iter().all(Cell::is_blank));
            assert_eq!(texts(&sheet.rows[7]), ["丙", "42705"]);
        }
    }

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_header() {
        let sheet = csv("t.csv", "\u{FEFF}名称,发布日期\n".as_bytes()).unwrap();
        assert_eq!(sheet.rows[0].cells[0], Cell::Text("名称".into()));
    }

    #[test]
    fn gbk_is_decoded_and_said() {
        let (gbk, _, _) = encoding_rs::GBK.encode("名称,发布日期\n东亭乡,2016-12-01\n");
        let sheet = csv("t.csv", &gbk).unwrap();
        assert!(sheet.from_gbk);
        assert_eq!(texts(&sheet.rows[1]), ["东亭乡", "2016-12-01"]);
        assert!(!csv("t.csv", "名称\n".as_bytes()).unwrap().from_gbk);
    }

    #[test]
    fn bytes_that_are_neither_utf8_nor_gbk_are_refused() {
        assert!(matches!(
            csv("t.csv", b"a,b\n\x80\xFF\n"),
            Err(InputError::Encoding { .. })
        ));
    }

    #[test]
    fn tab_separated_text_is_read_too() {
        let sheet = csv("t.csv", "名称\t发布日期\n甲\t2016-12-01\n".as_bytes()).unwrap();
        assert_eq!(texts(&sheet.rows[1]), ["甲", "2016-12-01"]);
    }

    #[test]
    fn numbers_show_as_in_general_format() {
        assert_eq!(number_text(42705.0), "42705");
        assert_eq!(number_text(2.5), "2.5");
        assert_eq!(number_text(-3.0), "-3");
    }

    #[test]
    fn opendocument_dates_are_read() {
        assert_eq!(
            iso("2016-12-01T08:30:00"),
            Some(When {
                year: 2016,
                month: 12,
                day: 1,
                seconds: 8 * 3600 + 30 * 60
            })
        );
        assert_eq!(
            iso("2016-12-01").map(|w| w.to_string()).as_deref(),
            Some("2016-12-01")
        );
        assert_eq!(iso("yesterday"), None);
    }
}
