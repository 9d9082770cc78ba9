//! Working days (工作日) for the statutory clock of disclosure requests:
//! a reply is due 20 working days after the request is received (Art. 33
//! of the 2019 Regulations), and the State Council moves days each year
//! (public holidays, and weekend days worked in exchange, 调休). Which
//! days those are is data, not code: `data/holidays-cn.txt` holds the
//! published arrangements, and a county adds next year's (or its own
//! corrections) in a file of the same format (`docs/calendar.md`).
//!
//! A date in a year no arrangement covers cannot be counted: the answer
//! is an error naming the year, never a guess that ignores its holidays.

use crate::Date;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The arrangements this project ships (2016 onwards).
pub const BUILTIN: &str = include_str!("../data/holidays-cn.txt");

/// Which days are working days.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    /// Years whose arrangement is complete.
    years: BTreeSet<u16>,
    /// Days that differ from an ordinary week: `true` a working day (a
    /// weekend day worked), `false` a day off (a holiday on a weekday, or
    /// any holiday).
    moved: BTreeMap<Date, Day>,
}

/// A day the arrangement sets, and what for (元旦, 春节…).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Day {
    working: bool,
    what: String,
}

/// What a calendar file says: the years it declares complete, and the
/// days it sets.
type Read = (Vec<u16>, Vec<(Date, Day)>);

/// A line of a calendar file that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarError {
    /// Its number, from 1.
    pub line: usize,
    /// What is wrong, in Chinese, with what to write instead.
    pub message: String,
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "第 {} 行：{}", self.line, self.message)
    }
}

impl std::error::Error for CalendarError {}

/// A date no arrangement covers: its year's holidays are not known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Uncovered {
    /// The year.
    pub year: u16,
}

impl fmt::Display for Uncovered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "节假日安排里没有 {} 年：无法计算工作日。请按国务院办公厅当年的节假日安排通知，把该年的放假和调休上班日期加进节假日文件（见 docs/calendar.md）。",
            self.year
        )
    }
}

impl std::error::Error for Uncovered {}

/// At most this many days in one range: a holiday is never longer.
const LONGEST_RANGE: i32 = 31;

impl Calendar {
    /// The arrangements this project ships.
    pub fn builtin() -> Calendar {
        let mut calendar = Calendar::default();
        calendar
            .add(BUILTIN)
            .expect("the shipped holiday file reads (tested)");
        calendar
    }

    /// Adds the arrangements of a calendar file. A day it sets replaces
    /// what was known of that day (a county's file corrects the shipped
    /// one). Nothing is added if any line is wrong.
    pub fn add(&mut self, text: &str) -> Result<(), CalendarError> {
        let (years, days) = Calendar::read(text)?;
        self.years.extend(years);
        self.moved.extend(days);
        Ok(())
    }

    /// Adds the days a calendar file sets, but not its `year` lines: which
    /// years are complete stays as it was (a site's own days, added to the
    /// national arrangements).
    pub fn add_days(&mut self, text: &str) -> Result<(), CalendarError> {
        let (_, days) = Calendar::read(text)?;
        self.moved.extend(days);
        Ok(())
    }

    /// The years a calendar file declares complete and the days it sets.
    fn read(text: &str) -> Result<Read, CalendarError> {
        let mut years = Vec::new();
        let mut days = Vec::new();
        // Notepad on Windows writes a byte-order mark first.
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        for (i, line) in text.lines().enumerate() {
            let wrong = |message: String| CalendarError {
                line: i + 1,
                message,
            };
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut words = line.split_whitespace();
            let first = words.next().unwrap_or_default();
            if first == "year" {
                let year = words
                    .next()
                    .and_then(|y| y.parse::<u16>().ok())
                    .filter(|y| (1900..=2100).contains(y))
                    .ok_or_else(|| {
                        wrong(format!(
                            "“{line}”：year 后面应是 1900 到 2100 之间的年份，例如 year 2027"
                        ))
                    })?;
                years.push(year);
                continue;
            }
            let (from, to) = match first.split_once("..") {
                Some((from, to)) => (from, to),
                None => (first, first),
            };
            let date = |text: &str| {
                Date::parse(text).ok_or_else(|| {
                    wrong(format!(
                        "“{text}”不是日期：请写成 2027-01-01，连续几天写成 2027-02-05..2027-02-11"
                    ))
                })
            };
            let (from, to) = (date(from)?, date(to)?);
            let span = to.days() - from.days();
            if !(0..LONGEST_RANGE).contains(&span) {
                return Err(wrong(format!(
                    "“{first}”：结束日期应在开始日期当天或之后，且一段不超过 {LONGEST_RANGE} 天"
                )));
            }
            let working = match words.next() {
                Some("off") => false,
                Some("work") => true,
                _ => {
                    return Err(wrong(format!(
                        "“{line}”：日期后面应写 off（放假）或 work（调休上班）"
                    )))
                }
            };
            let what = words.collect::<Vec<_>>().join(" ");
            let mut day = from;
            loop {
                days.push((
                    day,
                    Day {
                        working,
                        what: what.clone(),
                    },
                ));
                if day == to {
                    break;
                }
                day = day.next().ok_or_else(|| wrong("日期超出 2100 年".into()))?;
            }
        }
        Ok((years, days))
    }

    /// The years whose arrangement is complete.
    pub fn years(&self) -> impl Iterator<Item = u16> + '_ {
        self.years.iter().copied()
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: Date) -> Result<bool, Uncovered> {
        if !self.years.contains(&date.year()) {
            return Err(Uncovered { year: date.year() });
        }
        Ok(match self.moved.get(&date) {
            Some(day) => day.working,
            None => date.weekday() <= 5,
        })
    }

    /// The weekdays off and the weekend days worked in `year`: the first
    /// less the second is the holidays the year's arrangement grants (11
    /// days a year until 2024, 13 from 2025).
    pub fn days_moved(&self, year: u16) -> Result<(u32, u32), Uncovered> {
        let (mut off, mut worked) = (0, 0);
        let mut day = Date::new(year, 1, 1).ok_or(Uncovered { year })?;
        while day.year() == year {
            match (day.weekday() <= 5, self.is_working_day(day)?) {
                (true, false) => off += 1,
                (false, true) => worked += 1,
                _ => {}
            }
            day = day.next().ok_or(Uncovered { year })?;
        }
        Ok((off, worked))
    }

    /// Takes every day off that `other` sets (the national holidays, when
    /// a site's own days are added): none of them becomes a working day.
    pub fn keep_days_off(&mut self, other: &Calendar) {
        for (date, day) in &other.moved {
            if !day.working {
                self.moved.insert(*date, day.clone());
            }
        }
    }

    /// The days the arrangements set, in order, each with whether it is a
    /// working day.
    pub fn days_set(&self) -> impl Iterator<Item = (Date, bool)> + '_ {
        self.moved.iter().map(|(date, day)| (*date, day.working))
    }

    /// What a day the arrangement sets is for (`春节`), if it sets it.
    pub fn why(&self, date: Date) -> Option<&str> {
        self.moved.get(&date).map(|d| d.what.as_str())
    }

    /// The `n`th working day after `from`, counting from the day after
    /// (`from` itself, the day a request is received, does not count):
    /// the due date of a period of `n` working days. `n` 0 is `from`.
    pub fn add_working_days(&self, from: Date, n: u32) -> Result<Date, Uncovered> {
        let mut day = from;
        let mut left = n;
        while left > 0 {
            day = day.next().ok_or(Uncovered { year: 2101 })?;
            if self.is_working_day(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// Working days after `from` up to and including `to` (0 if `to` is
    /// not after `from`): how many of a period have been used.
    pub fn working_days_between(&self, from: Date, to: Date) -> Result<u32, Uncovered> {
        let mut day = from;
        let mut count = 0;
        while day < to {
            day = day.next().ok_or(Uncovered { year: 2101 })?;
            if self.is_working_day(day)? {
                count += 1;
            }
        }
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn a_request_confirmed_before_national_day_2024_is_due_on_30_october() {
        let calendar = Calendar::builtin();
        // Friday; Sunday 29 September is worked, 1-7 October are off,
        // Saturday 12 October is worked.
        let received = date("2024-09-27");
        assert_eq!(
            calendar.add_working_days(received, 1),
            Ok(date("2024-09-29"))
        );
        assert_eq!(
            calendar.add_working_days(received, 2),
            Ok(date("2024-09-30"))
        );
        assert_eq!(
            calendar.add_working_days(received, 3),
            Ok(date("2024-10-08"))
        );
        let due = calendar.add_working_days(received, 20).unwrap();
        assert_eq!(due, date("2024-10-30"));
        // Extended once, by 20 working days more.
        assert_eq!(calendar.add_working_days(due, 20), Ok(date("2024-11-27")));
        assert_eq!(calendar.working_days_between(received, due), Ok(20));
        assert_eq!(calendar.working_days_between(due, received), Ok(0));
        assert_eq!(calendar.why(date("2024-10-12")), Some("国庆节"));
    }

    #[test]
    fn ordinary_weeks_count_monday_to_friday() {
        let calendar = Calendar::builtin();
        // Friday 2024-11-01: the next working day is Monday.
        assert_eq!(
            calendar.add_working_days(date("2024-11-01"), 1),
            Ok(date("2024-11-04"))
        );
        assert_eq!(
            calendar.add_working_days(date("2024-11-01"), 0),
            Ok(date("2024-11-01"))
        );
        assert_eq!(calendar.is_working_day(date("2024-11-02")), Ok(false));
    }

    #[test]
    fn a_year_without_an_arrangement_is_an_error_not_a_guess() {
        let calendar = Calendar::builtin();
        let late = date("2026-12-15");
        let err = calendar.add_working_days(late, 20).unwrap_err();
        assert_eq!(err, Uncovered { year: 2027 });
        assert!(err.to_string().contains("2027"));
        assert_eq!(
            calendar.is_working_day(date("2015-06-01")),
            Err(Uncovered { year: 2015 })
        );
        // A county adds next year's arrangement.
        let mut county = calendar.clone();
        county.add("year 2027\n2027-01-01 off 元旦\n").unwrap();
        assert!(county.add_working_days(late, 20).is_ok());
        assert_eq!(county.is_working_day(date("2027-01-01")), Ok(false));
    }

    #[test]
    fn a_file_saved_by_notepad_reads() {
        let mut calendar = Calendar::default();
        calendar
            .add("\u{FEFF}year 2027\r\n2027-01-01 off 元旦\r\n")
            .unwrap();
        assert_eq!(calendar.is_working_day(date("2027-01-01")), Ok(false));
    }

    #[test]
    fn a_later_file_corrects_a_day() {
        let mut calendar = Calendar::builtin();
        assert_eq!(calendar.is_working_day(date("2024-10-12")), Ok(true));
        calendar.add("2024-10-12 off 更正").unwrap();
        assert_eq!(calendar.is_working_day(date("2024-10-12")), Ok(false));
    }

    #[test]
    fn wrong_lines_are_named_and_nothing_is_added() {
        for (text, line, says) in [
            ("year 2027\n2027-02-30 off", 2, "2027-02-30"),
            ("year twenty", 1, "year"),
            ("2027-01-01 holiday", 1, "off"),
            ("# x\n\n2027-01-05..2027-01-01 off", 3, "结束日期"),
            ("2027-01-01..2027-03-01 off", 1, "31"),
            ("2027-01-01", 1, "work"),
        ] {
            let mut calendar = Calendar::default();
            let err = calendar.add(text).unwrap_err();
            assert_eq!(err.line, line, "{text}");
            assert!(err.message.contains(says), "{text}: {err}");
            assert_eq!(calendar, Calendar::default(), "{text}");
        }
    }

    /// Each shipped year gives the holidays the rules grant: weekdays off
    /// less weekend days worked is 11 days (2016-2024; 13 in 2020, whose
    /// Spring Festival was extended by two), 13 from 2025 (除夕 and
    /// 2 May added). A wrong or missing line in the file shows here.
    #[test]
    fn every_shipped_year_grants_the_statutory_days() {
        let calendar = Calendar::builtin();
        let years: Vec<u16> = calendar.years().collect();
        assert_eq!(years, (2016..=2026).collect::<Vec<_>>());
        for year in years {
            let (off, worked) = calendar.days_moved(year).unwrap();
            let granted = match year {
                2020 => 13,
                ..=2024 => 11,
                _ => 13,
            };
            assert_eq!(
                off - worked,
                granted,
                "{year}: {off} weekdays off, {worked} weekend days worked"
            );
        }
    }
}
