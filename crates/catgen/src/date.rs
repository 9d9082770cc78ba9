//! Calendar days: arithmetic and the spellings a catalogue uses.

/// A calendar day, counted in days from 1970-01-01 (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day(pub i32);

impl Day {
    /// The day `year-month-day`; the caller passes a real date.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Day {
        // Howard Hinnant's days_from_civil.
        let y = if month <= 2 { year - 1 } else { year };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = (y - era * 400) as u32;
        let mp = (month + 9) % 12;
        let doy = (153 * mp + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Day(era * 146_097 + doe as i32 - 719_468)
    }

    /// `(year, month, day)` of this day.
    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = (z - era * 146_097) as u32;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe as i32 + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        (if m <= 2 { y + 1 } else { y }, m, d)
    }

    /// The year of this day.
    pub fn year(self) -> i32 {
        self.ymd().0
    }

    /// The day `n` days later (earlier when `n` is negative).
    pub fn plus(self, n: i32) -> Day {
        Day(self.0 + n)
    }

    /// Day of the week, Monday = 0 … Sunday = 6.
    pub fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday.
        (self.0 + 3).rem_euclid(7) as u32
    }

    /// The canonical spelling `2016-03-05`.
    pub fn iso(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// The spelling of documents, `2016年3月5日`.
    pub fn chinese(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y}年{m}月{d}日")
    }

    /// A spreadsheet spelling, `2016/3/5`.
    pub fn slashed(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y}/{m}/{d}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_day_of_the_catalogue_range() {
        let start = Day::from_ymd(2009, 12, 1);
        let end = Day::from_ymd(2025, 2, 1);
        for n in start.0..=end.0 {
            let (y, m, d) = Day(n).ymd();
            assert!(xxgk_core::Date::new(y as u16, m as u8, d as u8).is_some());
            assert_eq!(Day::from_ymd(y, m, d), Day(n));
        }
    }

    #[test]
    fn knows_weekdays_and_spellings() {
        let day = Day::from_ymd(2016, 3, 5);
        assert_eq!(day.weekday(), 5); // a Saturday
        assert_eq!(day.iso(), "2016-03-05");
        assert_eq!(day.chinese(), "2016年3月5日");
        assert_eq!(day.slashed(), "2016/3/5");
        assert_eq!(Day::from_ymd(2010, 1, 1).weekday(), 4); // a Friday
    }
}
