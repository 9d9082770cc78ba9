//! Dates as spreadsheets hold them (成文日期, 发布日期): a date cell, a
//! date typed as text in any of the forms staff use, or the serial day
//! number Excel stores a date as (42705 is 2016-12-01), which is what a
//! date cell becomes when its column is formatted as General or it is
//! saved as CSV.

use super::sheet::Cell;
use super::text::half_width;
use calamine::{ExcelDateTime, ExcelDateTimeType};
use xxgk_core::Date;

/// The serial numbers taken for dates: five digits, from 1927-05-18 to
/// 2099-12-31. A four-digit number is a year someone typed, not a date.
const SERIALS: std::ops::Range<f64> = 10_000.0..73_051.0;

/// A date cell read: `None` when the cell is empty, `Err` with the cell's
/// text when it holds something that is not a date (the catalogue parser
/// then says so in its own words).
pub fn read(cell: &Cell) -> Option<Result<Date, String>> {
    if cell.is_blank() {
        return None;
    }
    let date = match cell {
        Cell::When(when) => Date::new(when.year, when.month, when.day),
        Cell::Number(number) => serial(*number),
        Cell::Text(text) => parse(text),
        Cell::Empty | Cell::Bool(_) | Cell::Error(_) => None,
    };
    Some(date.ok_or_else(|| cell.text().unwrap_or_default().trim().to_owned()))
}

/// Reads a date typed as text: `2016-12-01`, `2016/12/1`, `2016.12.01`,
/// `2016年12月1日` (in full-width digits too), any of these followed by a
/// time (`2016/12/1 0:00`), `20161201`, or a serial number (`42705`).
pub fn parse(text: &str) -> Option<Date> {
    let text = half_width(text);
    let text = text.trim();
    if let Some(date) = Date::parse(text) {
        return Some(date);
    }
    if let Some((day, time)) = text.split_once([' ', 'T']) {
        let is_time = !time.trim().is_empty()
            && time
                .trim()
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.'));
        return is_time.then(|| Date::parse(day)).flatten();
    }
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        let (year, month, day) = (text.get(0..4)?, text.get(4..6)?, text.get(6..8)?);
        return Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    }
    text.parse::<f64>().ok().and_then(serial)
}

/// The date of an Excel serial number (days since 1899-12-30, in the
/// 1900 date system every Windows workbook uses), from 10000 to 73050.
pub fn serial(number: f64) -> Option<Date> {
    if !SERIALS.contains(&number) {
        return None;
    }
    let (year, month, day, ..) =
        ExcelDateTime::new(number, ExcelDateTimeType::DateTime, false).to_ymd_hms_milli();
    Date::new(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::sheet::When;

    fn text(cell: Cell) -> Option<Result<String, String>> {
        read(&cell).map(|r| r.map(|d| d.to_string()))
    }

    #[test]
    fn every_form_staff_type_is_the_same_day() {
        for form in [
            "2016-12-01",
            "2016/12/1",
            "2016.12.01",
            "2016年12月1日",
            "２０１６年１２月１日",
            " 2016-12-1 ",
            "2016/12/1 0:00",
            "2016-12-01 00:00:00",
            "2016-12-01T08:30",
            "20161201",
            "42705",
            "42705.5",
        ] {
            assert_eq!(
                text(Cell::Text(form.into())),
                Some(Ok("2016-12-01".into())),
                "{form}"
            );
        }
    }

    #[test]
    fn date_cells_and_serial_numbers_are_dates() {
        let when = When {
            year: 2016,
            month: 12,
            day: 1,
            seconds: 0,
        };
        assert_eq!(text(Cell::When(when)), Some(Ok("2016-12-01".into())));
        assert_eq!(text(Cell::Number(42705.0)), Some(Ok("2016-12-01".into())));
        assert_eq!(text(Cell::Number(42429.0)), Some(Ok("2016-02-29".into())));
        assert_eq!(text(Cell::Number(25569.0)), Some(Ok("1970-01-01".into())));
    }

    #[test]
    fn what_is_not_a_date_comes_back_as_written() {
        for (cell, written) in [
            (Cell::Text("2016年2月30日".into()), "2016年2月30日"),
            (Cell::Text("去年".into()), "去年"),
            (Cell::Text("2016".into()), "2016"),
            (Cell::Text("2016-12-01 上午".into()), "2016-12-01 上午"),
            (Cell::Number(2016.0), "2016"),
            (Cell::Number(99999.0), "99999"),
            (Cell::Bool(true), "TRUE"),
            (Cell::Error("#N/A".into()), "#N/A"),
        ] {
            assert_eq!(text(cell), Some(Err(written.into())), "{written}");
        }
        assert_eq!(text(Cell::Empty), None);
        assert_eq!(text(Cell::Text("  ".into())), None);
    }
}
