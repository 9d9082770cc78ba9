//! Calendar dates of catalogue entries (成文日期, 发布日期).
//!
//! Only whole days are needed, so a date is three small numbers. A date crate
//! would add a parser for formats we do not use and still not read the
//! `2016年3月5日` form that spreadsheets export, so the checks live here.

use std::fmt;

/// A valid calendar date between the years 1900 and 2100.
///
/// Dates order chronologically, so sorting items by date is a plain sort.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// Makes a date from its parts, or `None` if the day does not exist
    /// (`2016-02-30`) or the year is outside 1900-2100.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let valid = (1900..=2100).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Date { year, month, day })
    }

    /// Reads `2016-03-05`, `2016/3/5`, `2016.03.05` or `2016年3月5日`,
    /// ignoring white space around it.
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let (year, rest) = text.split_at_checked(4)?;
        if !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: u16 = year.parse().ok()?;
        let (month, day) = if let Some(rest) = rest.strip_prefix('年') {
            let (month, rest) = rest.split_once('月')?;
            (month, rest.strip_suffix('日')?)
        } else {
            let separator = rest
                .chars()
                .next()
                .filter(|c| matches!(c, '-' | '/' | '.'))?;
            let rest = rest.get(1..)?;
            rest.split_once(separator)?
        };
        Date::new(year, number(month)?, number(day)?)
    }

    /// The year, e.g. 2016.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1-12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1-31.
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before it), for counting days.
    pub fn days(self) -> i32 {
        // H. Hinnant's days-from-civil.
        let (m, d) = (i32::from(self.month), i32::from(self.day));
        let y = i32::from(self.year) - i32::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01; `None` outside 1900-2100.
    pub fn from_days(days: i32) -> Option<Date> {
        let (year, month, day) = civil(i64::from(days));
        Date::new(u16::try_from(year).ok()?, month as u8, day as u8)
    }

    /// The day after, if it is within 1900-2100.
    pub fn next(self) -> Option<Date> {
        Date::from_days(self.days() + 1)
    }

    /// The day in Beijing (UTC+8) at `seconds` since 1970: "today" for
    /// staff and the statutory clock.
    pub fn beijing(seconds: i64) -> Option<Date> {
        Date::from_days(i32::try_from(beijing_day(seconds).0).ok()?)
    }

    /// The day of the week, 1 (Monday) to 7 (Sunday).
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday.
        ((self.days() + 3).rem_euclid(7) + 1) as u8
    }
}

/// Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Prints the canonical `2016-03-05` form.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One or two ASCII digits.
fn number(text: &str) -> Option<u8> {
    let ok = (1..=2).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    if ok {
        text.parse().ok()
    } else {
        None
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Seconds since 1970 as `YYYY-MM-DD HH:MM` in Beijing time (UTC+8), as
/// staff and citizens read the times of submissions and replies.
pub fn beijing_time(seconds: i64) -> String {
    let (days, (hour, minute)) = beijing_day(seconds);
    let (year, month, day) = civil(days);
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}")
}

/// Seconds since 1970 as days since 1970 and the time of day (hour,
/// minute), in Beijing time (UTC+8).
fn beijing_day(seconds: i64) -> (i64, (u8, u8)) {
    let local = seconds + 8 * 3600;
    let (days, rest) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    (days, ((rest / 3600) as u8, (rest % 3600 / 60) as u8))
}

/// The time of day (hour, minute) in Beijing time (UTC+8) of seconds
/// since 1970, for writing [`Date::beijing`] with its time in a
/// language's own way.
pub fn beijing_clock(seconds: i64) -> (u8, u8) {
    beijing_day(seconds).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_beijing_time() {
        assert_eq!(beijing_time(0), "1970-01-01 08:00");
        assert_eq!(beijing_time(1_488_326_400), "2017-03-01 08:00");
        assert_eq!(beijing_time(951_782_400 - 8 * 3600), "2000-02-29 00:00");
        assert_eq!(
            beijing_time(1_798_761_600 - 8 * 3600 - 60),
            "2026-12-31 23:59"
        );
        assert_eq!(beijing_clock(1_798_761_600 - 8 * 3600 - 60), (23, 59));
        assert_eq!(beijing_clock(-1), (7, 59));
    }

    #[test]
    fn every_accepted_spelling_gives_the_same_date() {
        let expected = Date::new(2016, 3, 5).unwrap();
        for text in [
            "2016-03-05",
            "2016/3/5",
            "2016.03.05",
            "2016年3月5日",
            " 2016-3-05 ",
        ] {
            assert_eq!(Date::parse(text), Some(expected), "{text}");
        }
        assert_eq!(expected.to_string(), "2016-03-05");
    }

    #[test]
    fn days_that_do_not_exist_are_refused() {
        for text in [
            "2016-02-30",
            "2015-02-29",
            "2016-13-01",
            "2016-00-10",
            "2016-04-31",
            "1900-02-29",
        ] {
            assert_eq!(Date::parse(text), None, "{text}");
        }
        assert!(Date::parse("2016-02-29").is_some());
        assert!(Date::parse("2000-02-29").is_some());
    }

    #[test]
    fn malformed_text_is_refused_without_panicking() {
        for text in [
            "",
            "2016",
            "2016-",
            "2016-03",
            "16-03-05",
            "2016-03-05T00:00",
            "2016-3/5",
            "二〇一六年三月五日",
            "2016年3月5",
            "2016-003-05",
            "abcd-ef-gh",
            "２０１６-03-05",
            "2016年",
            "年",
        ] {
            assert_eq!(Date::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn days_count_across_months_years_and_leap_days() {
        let date = |t: &str| Date::parse(t).unwrap();
        assert_eq!(date("1970-01-01").days(), 0);
        assert_eq!(date("2000-03-01").days() - date("2000-02-28").days(), 2);
        assert_eq!(date("1900-03-01").days() - date("1900-02-28").days(), 1);
        assert_eq!(date("2024-01-01").days() - date("2023-01-01").days(), 365);
        assert_eq!(date("2025-01-01").days() - date("2024-01-01").days(), 366);
        // Every day of 1900-2100 there and back, one after another.
        let mut day = date("1900-01-01");
        let mut n = day.days();
        while let Some(next) = day.next() {
            n += 1;
            assert_eq!(next.days(), n);
            assert_eq!(Date::from_days(n), Some(next));
            assert!(next > day);
            day = next;
        }
        assert_eq!(day, date("2100-12-31"));
        assert_eq!(Date::from_days(date("1900-01-01").days() - 1), None);
    }

    #[test]
    fn the_day_in_beijing_turns_at_16_utc() {
        // 2024-09-26 15:59:59 and 16:00:00 UTC.
        assert_eq!(Date::beijing(1_727_366_399), Date::parse("2024-09-26"));
        assert_eq!(Date::beijing(1_727_366_400), Date::parse("2024-09-27"));
        assert_eq!(Date::beijing(i64::MAX / 2), None);
    }

    #[test]
    fn weekdays_are_those_of_the_calendar() {
        let date = |t: &str| Date::parse(t).unwrap();
        assert_eq!(date("1970-01-01").weekday(), 4);
        assert_eq!(date("2024-09-27").weekday(), 5);
        assert_eq!(date("2024-09-29").weekday(), 7);
        assert_eq!(date("2016-12-01").weekday(), 4);
        assert_eq!(date("1900-01-01").weekday(), 1);
    }

    #[test]
    fn dates_order_chronologically() {
        let a = Date::parse("2015-12-31").unwrap();
        let b = Date::parse("2016-01-01").unwrap();
        assert!(a < b);
        assert_eq!((b.year(), b.month(), b.day()), (2016, 1, 1));
    }
}
