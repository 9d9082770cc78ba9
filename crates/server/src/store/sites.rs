//! Sites: the portals one receiver serves (a township, a county
//! department, a county), each named by a short code that the widget
//! sends (`data-site`). A site lists the origins its pages come from and
//! may set its own reply period for messages and add its own holiday
//! arrangements (a local festival, an autonomous region's days off); a
//! township names its county as its parent, takes in the county's
//! arrangements, and whatever is counted or shown for the county takes in
//! its townships. A receiver with no sites serves one default site, the
//! code `''`, whose origins are the ones `serve --allow-origin` gives.

use super::db::{params, Optional, Row, Sql};
use super::{Result, Store};
use crate::origin::Origin;
use std::collections::HashMap;
use std::sync::Arc;
use xxgk_core::calendar::Calendar;

/// The longest site code.
pub const CODE_MAX: usize = 32;

/// The most working days a site may give itself to answer a message.
pub const REPLY_DAYS_MAX: u32 = 60;

/// The longest holiday arrangement a site may add, in bytes: decades of
/// local days.
pub const CALENDAR_MAX: usize = 64 * 1024;

/// A site as kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// Its code: lower-case letters, digits and `-`.
    pub code: String,
    /// Its name, as the console and the report show it.
    pub name: String,
    /// The code of the site it belongs to (a township's county), or `''`.
    pub parent: String,
    /// The origins its pages come from, which may send submissions for it.
    pub origins: Vec<Origin>,
    /// Its reply period for messages in working days, if it sets its own.
    pub reply_days: Option<u32>,
    /// The holiday arrangements it adds to the receiver's and its
    /// county's, in the format of `docs/calendar.md`; `''` for none.
    pub calendar: String,
}

impl Site {
    /// How many days-setting lines its own arrangement has (comments and
    /// blank lines left out).
    pub fn holiday_lines(&self) -> usize {
        self.calendar
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .count()
    }
}

/// Whether `code` may name a site; what is wrong with it if not.
pub fn check_code(code: &str) -> std::result::Result<(), String> {
    if code.is_empty()
        || code.len() > CODE_MAX
        || code.starts_with('-')
        || !code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(format!(
            "{code:?} is not a site code: use 1 to {CODE_MAX} lower-case letters, digits and -, \
             not starting with -, like dongting or guangde-xian"
        ));
    }
    Ok(())
}

fn site_row(r: &Row) -> Result<Site> {
    let origins: String = r.get(3)?;
    Ok(Site {
        code: r.get(0)?,
        name: r.get(1)?,
        parent: r.get(2)?,
        // Written by this module: one normalised origin per line; a line
        // that no longer reads is left out rather than failing the site.
        origins: origins
            .lines()
            .filter_map(|line| Origin::parse(line).ok())
            .collect(),
        reply_days: r
            .get::<Option<i64>>(4)?
            .and_then(|days| u32::try_from(days).ok()),
        calendar: r.get(5)?,
    })
}

const SITE: &str = "code, name, parent, origins, reply_days, calendar";

/// Every site, and which of them a code takes in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sites(pub Vec<Site>);

impl Sites {
    /// The site with `code`.
    pub fn get(&self, code: &str) -> Option<&Site> {
        self.0.iter().find(|site| site.code == code)
    }

    /// The codes of `roots` and of every site under them, through any
    /// number of levels, each once: what a county's figures and a
    /// county's staff take in.
    pub fn under<'a>(&self, roots: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        let mut codes: Vec<String> = roots.into_iter().map(str::to_owned).collect();
        let mut i = 0;
        while i < codes.len() {
            for site in &self.0 {
                if site.parent == codes[i] && !codes.contains(&site.code) {
                    codes.push(site.code.clone());
                }
            }
            i += 1;
        }
        codes
    }

    /// The one site that lists `origin`, if exactly one does.
    pub fn by_origin(&self, origin: &Origin) -> Option<&Site> {
        let mut listing = self.0.iter().filter(|s| s.origins.contains(origin));
        match (listing.next(), listing.next()) {
            (Some(site), None) => Some(site),
            _ => None,
        }
    }

    /// Whether any site lists `origin`.
    pub fn lists(&self, origin: &Origin) -> bool {
        self.0.iter().any(|s| s.origins.contains(origin))
    }

    /// The working days of the site `code`: `base` (the receiver's), with
    /// the arrangements of its counties and then its own added, so a
    /// township's local day off corrects its county's; the days off of
    /// `base` stay days off whatever a site says. An arrangement that
    /// no longer reads (it was checked when set) is left out, and said in
    /// the log.
    pub fn calendar_of(&self, base: &Arc<Calendar>, code: &str) -> Arc<Calendar> {
        calendar_in(&|code| self.get(code), base, code, &mut HashMap::new())
    }

    /// The working days of every site ([`Sites::calendar_of`]).
    pub fn calendars(&self, base: Arc<Calendar>) -> SiteCalendars {
        let by_code: HashMap<&str, &Site> = self.0.iter().map(|s| (s.code.as_str(), s)).collect();
        let find = |code: &str| by_code.get(code).copied();
        let mut own = HashMap::new();
        for site in &self.0 {
            calendar_in(&find, &base, &site.code, &mut own);
        }
        own.retain(|_, calendar| !Arc::ptr_eq(calendar, &base));
        SiteCalendars { base, own }
    }
}

/// [`Sites::calendar_of`] with the sites found by `find`, and the
/// calendars of the sites worked out already in `known`, where those of
/// `code`'s line are put too: a site that adds nothing shares its
/// county's.
fn calendar_in<'a>(
    find: &dyn Fn(&str) -> Option<&'a Site>,
    base: &Arc<Calendar>,
    code: &str,
    known: &mut HashMap<String, Arc<Calendar>>,
) -> Arc<Calendar> {
    // Up from `code` to the first site worked out already, or the top
    // county; each site once, should the sites ever make a loop.
    let mut line: Vec<&Site> = Vec::new();
    let mut calendar = base.clone();
    let mut at = find(code);
    while let Some(site) = at {
        if let Some(worked_out) = known.get(&site.code) {
            calendar = worked_out.clone();
            break;
        }
        if line.iter().any(|s| s.code == site.code) {
            break;
        }
        line.push(site);
        at = find(&site.parent);
    }
    for site in line.into_iter().rev() {
        if !site.calendar.trim().is_empty() {
            let mut added = (*calendar).clone();
            // Its days only: which years are complete is the receiver's.
            if let Err(e) = added.add_days(&site.calendar) {
                tracing::warn!(site = %site.code, "the site's holiday arrangement is left out: {e}");
            }
            // A national day off stays one, even one published after
            // the site's arrangement was set.
            added.keep_days_off(base);
            calendar = Arc::new(added);
        }
        known.insert(site.code.clone(), calendar.clone());
    }
    calendar
}

/// Each site's working days (`Sites::calendars`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteCalendars {
    /// The receiver's: the shipped arrangements, the operator's files and
    /// what was added in the console.
    base: Arc<Calendar>,
    /// Those of the sites that add to it, by code.
    own: HashMap<String, Arc<Calendar>>,
}

impl SiteCalendars {
    /// The receiver's calendar alone, for every site.
    #[cfg(test)]
    pub fn only(base: Arc<Calendar>) -> SiteCalendars {
        SiteCalendars {
            base,
            own: HashMap::new(),
        }
    }

    /// The working days of the site `code` (the receiver's for the
    /// default site and a site no longer known).
    pub fn of(&self, code: &str) -> &Calendar {
        self.own.get(code).unwrap_or(&self.base)
    }

    /// The receiver's.
    pub fn base(&self) -> &Calendar {
        &self.base
    }
}

/// Why a site could not be added or changed, in words for the operator.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    /// The code is not a site code.
    #[error("{0}")]
    Code(String),
    /// There is a site with this code already.
    #[error("there is already a site {0:?}: change it with `site set`")]
    Taken(String),
    /// There is no site with this code.
    #[error("there is no site {0:?}: `site list` shows the sites, `site add` adds one")]
    Unknown(String),
    /// The parent named is not a site.
    #[error(
        "the parent {0:?} is not a site: add the county first, or give an existing site's code"
    )]
    Parent(String),
    /// The parent named is the site itself or one under it.
    #[error("{0:?} cannot belong to {1:?}, which is itself or belongs to it")]
    Cycle(String, String),
    /// No name.
    #[error("a site needs a name (--name) on one line, like 东亭乡人民政府")]
    Name,
    /// A reply period out of bounds.
    #[error("a reply period is 1 to {REPLY_DAYS_MAX} working days")]
    ReplyDays,
    /// A holiday arrangement that does not read, or is too long.
    #[error("the site's holiday arrangement (docs/calendar.md): {0}")]
    Calendar(String),
    /// A change of the days a site counts in that is not allowed: a day
    /// gone by, or a national day off made a working day.
    #[error("the site's days cannot change so (docs/calendar.md): {0}")]
    Days(String),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] super::Error),
}

/// A site's arrangement as `Calendar::add` reads it and as it is
/// checked: without a byte-order mark (Notepad on Windows writes one
/// first), lines ended by `\n` alone.
fn plain_calendar(text: &str) -> String {
    text.strip_prefix('\u{FEFF}')
        .unwrap_or(text)
        .replace("\r\n", "\n")
}

/// Whether `text` may be a site's holiday arrangement: it reads as a
/// calendar file, declares no year complete, holds no control characters
/// (a carriage return alone would hide a line), and is at most
/// [`CALENDAR_MAX`] bytes.
pub fn check_calendar(text: &str) -> std::result::Result<(), String> {
    let text = plain_calendar(text);
    if text.len() > CALENDAR_MAX {
        return Err(format!(
            "共 {} 字节，太长了：最多 {CALENDAR_MAX} 字节",
            text.len()
        ));
    }
    let controls = text
        .split('\n')
        .position(|line| line.chars().any(|c| c.is_control() && c != '\t'));
    if let Some(n) = controls {
        return Err(format!(
            "第 {} 行：有看不见的控制字符，请删去后重新输入这一行",
            n + 1
        ));
    }
    Calendar::default().add(&text).map_err(|e| e.to_string())?;
    // Which years are complete is the receiver's to say: a site that
    // declared one would count its days without the national holidays.
    let year = text
        .split('\n')
        .position(|line| line.split_whitespace().next() == Some("year"));
    if let Some(n) = year {
        return Err(format!(
            "第 {} 行：一个站点只增加放假和调休上班的日期；哪一年的全国安排已完整由接收服务的节假日安排说明（serve --calendar 或“设置”页），请删去这一行",
            n + 1
        ));
    }
    Ok(())
}

/// Whether the sites may become `after` from `before` on `today`, the
/// site `changed` changed, with `national` the receiver's calendar: the
/// days before today stay as they were for it and every site under it
/// (its own days, or its county's after a move), since the deadlines of
/// their cases were counted in them; and no day the change sets a working
/// day is a national day off, which would shorten a statutory period.
fn check_days(
    before: &Sites,
    after: &Sites,
    changed: &str,
    national: &Arc<Calendar>,
    today: xxgk_core::Date,
) -> std::result::Result<(), String> {
    let Some(old) = before.get(changed) else {
        // A new site has no cases yet.
        return Ok(());
    };
    let (was, is) = (
        before.calendars(national.clone()),
        after.calendars(national.clone()),
    );
    for code in after.under([changed]) {
        let (was, is) = (was.of(&code), is.of(&code));
        let days = was.days_set().chain(is.days_set()).map(|(day, _)| day);
        for day in days.filter(|day| *day < today) {
            if was.is_working_day(day).ok() != is.is_working_day(day).ok() {
                return Err(format!(
                    "这样改会改变站点 {code} 的 {day}，它在今天（{today}）以前：已经过去的日子不能再改，已有案件的期限是按它计算的；只能增加或修改今天及以后的日子"
                ));
            }
        }
    }
    // The lines kept from before pass: one set before the national day
    // off was published has no effect (the day stays off), and must not
    // stop the site's other changes.
    let mut kept = Calendar::default();
    let _ = kept.add_days(&old.calendar);
    let kept: Vec<_> = kept.days_set().collect();
    let mut own = Calendar::default();
    let _ = own.add_days(after.get(changed).map_or("", |s| s.calendar.as_str()));
    for (day, working) in own.days_set() {
        if working && !kept.contains(&(day, true)) && national.is_working_day(day) == Ok(false) {
            if let Some(why) = national.why(day) {
                return Err(format!(
                    "{day} 是全国放假日（{why}）：站点不能把它改为上班日，那会缩短法定期限"
                ));
            }
        }
    }
    Ok(())
}

impl Store {
    /// Every site, by code.
    pub fn sites(&self) -> Result<Sites> {
        self.conn
            .query_map(
                &format!("SELECT {SITE} FROM site ORDER BY code"),
                params![],
                site_row,
            )
            .map(Sites)
    }

    /// The site with `code`, if there is one.
    pub fn site(&self, code: &str) -> Result<Option<Site>> {
        self.conn
            .query_row(
                &format!("SELECT {SITE} FROM site WHERE code = ?1"),
                params![code],
                site_row,
            )
            .optional()
    }

    /// Adds `site`, or with `replace` changes the site with its code;
    /// refused for a code taken (or, changing, unknown), a parent that is
    /// not a site or would make a loop, no name, or a reply period out of
    /// bounds.
    pub fn put_site(
        &mut self,
        site: &Site,
        replace: bool,
        now: i64,
    ) -> std::result::Result<(), SiteError> {
        check_code(&site.code).map_err(SiteError::Code)?;
        if site.name.trim().is_empty() || site.name.chars().any(char::is_control) {
            return Err(SiteError::Name);
        }
        if site
            .reply_days
            .is_some_and(|d| d == 0 || d > REPLY_DAYS_MAX)
        {
            return Err(SiteError::ReplyDays);
        }
        check_calendar(&site.calendar).map_err(SiteError::Calendar)?;
        // As kept.
        let site = &Site {
            calendar: plain_calendar(&site.calendar).trim().to_owned(),
            name: site.name.trim().to_owned(),
            ..site.clone()
        };
        // The receiver's calendar as kept in the database: the shipped
        // arrangements and what was added in the console.
        let mut national = Calendar::builtin();
        if let Some(added) = self.setting(crate::cases::CALENDAR_SETTING)? {
            let _ = national.add(&added);
        }
        let national = Arc::new(national);
        let today = xxgk_core::Date::beijing(now)
            .ok_or_else(|| SiteError::Days("the server's clock is wrong".into()))?;
        self.still_there()?;
        let tx = self.conn.write()?;
        let sites = tx
            .query_map(
                &format!("SELECT {SITE} FROM site ORDER BY code"),
                params![],
                site_row,
            )
            .map(Sites)?;
        match (sites.get(&site.code).is_some(), replace) {
            (true, false) => return Err(SiteError::Taken(site.code.clone())),
            (false, true) => return Err(SiteError::Unknown(site.code.clone())),
            _ => {}
        }
        if !site.parent.is_empty() {
            if sites.get(&site.parent).is_none() {
                return Err(SiteError::Parent(site.parent.clone()));
            }
            if sites.under([site.code.as_str()]).contains(&site.parent) {
                return Err(SiteError::Cycle(site.code.clone(), site.parent.clone()));
            }
        }
        let mut after = sites.clone();
        after.0.retain(|s| s.code != site.code);
        after.0.push(site.clone());
        check_days(&sites, &after, &site.code, &national, today).map_err(SiteError::Days)?;
        let origins: Vec<String> = site.origins.iter().map(Origin::to_string).collect();
        let reply_days = site.reply_days.map(i64::from);
        tx.execute(
            "INSERT INTO site (code, name, parent, origins, reply_days, calendar, created_at,
                 changed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, parent = excluded.parent,
                 origins = excluded.origins, reply_days = excluded.reply_days,
                 calendar = excluded.calendar, changed_at = excluded.changed_at",
            params![
                site.code,
                site.name,
                site.parent,
                origins.join("\n"),
                reply_days,
                site.calendar,
                now
            ],
        )?;
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::temp_store;

    fn site(code: &str, parent: &str) -> Site {
        Site {
            code: code.to_owned(),
            name: format!("{code} 人民政府"),
            parent: parent.to_owned(),
            origins: vec![Origin::parse(&format!("https://{code}.example.gov.cn")).unwrap()],
            reply_days: None,
            calendar: String::new(),
        }
    }

    #[test]
    fn a_township_counts_in_its_county_s_days_off_and_its_own() {
        let (_dir, mut store) = temp_store();
        let mut county = site("guangde", "");
        county.calendar = "2026-03-03 off 县庆\n2026-03-07 work 县庆调休".into();
        let mut township = site("dongting", "guangde");
        // The township works the county's day off, and has one of its own.
        township.calendar = "2026-03-03 work\n2026-03-04 off 乡庆".into();
        for s in [
            county,
            township,
            site("taohe", "guangde"),
            site("elsewhere", ""),
        ] {
            store.put_site(&s, false, 1).unwrap();
        }
        let base = Arc::new(Calendar::builtin());
        let calendars = store.sites().unwrap().calendars(base.clone());
        let day = |text| xxgk_core::Date::parse(text).unwrap();
        let working = |site: &str, text| calendars.of(site).is_working_day(day(text)).unwrap();
        // 2026-03-03 is a Tuesday, 03-04 a Wednesday, 03-07 a Saturday.
        assert!(!working("guangde", "2026-03-03") && working("guangde", "2026-03-04"));
        assert!(working("guangde", "2026-03-07"));
        assert!(
            !working("taohe", "2026-03-03"),
            "a township takes in its county's"
        );
        assert!(working("dongting", "2026-03-03") && !working("dongting", "2026-03-04"));
        assert!(working("dongting", "2026-03-07"));
        for plain in ["elsewhere", "", "unknown"] {
            assert!(working(plain, "2026-03-03") && !working(plain, "2026-03-07"));
            assert!(std::ptr::eq(calendars.of(plain), calendars.base()));
        }
        assert_eq!(
            *store.sites().unwrap().calendar_of(&base, "dongting"),
            *calendars.of("dongting")
        );
        // A line that does not read, or too much, is refused; the site
        // keeps what it had.
        let before = store.sites().unwrap();
        let mut wrong = store.site("dongting").unwrap().unwrap();
        for text in [
            "2026-03-05 holiday".to_owned(),
            "year 2099\n2099-01-01 off".to_owned(),
            "# 很长\n".repeat(CALENDAR_MAX),
        ] {
            wrong.calendar = text;
            assert!(matches!(
                store.put_site(&wrong, true, 2),
                Err(SiteError::Calendar(_))
            ));
        }
        assert_eq!(store.sites().unwrap(), before);
    }

    #[test]
    fn days_gone_by_and_national_days_off_are_not_changed_and_nothing_hidden_is_kept() {
        let (_dir, mut store) = temp_store();
        // 10:00 in Beijing on 2026-12-02.
        let now = i64::from(xxgk_core::Date::parse("2026-12-02").unwrap().days()) * 86_400 + 7200;
        let mut local = site("local", "");
        // A new site may bring days gone by: it has no cases yet.
        local.calendar = "2026-03-03 off 县庆".into();
        store.put_site(&local, false, now).unwrap();
        let refused = |store: &mut Store, text: &str, said: &str| {
            let mut changed = store.site("local").unwrap().unwrap();
            changed.calendar = text.into();
            match store.put_site(&changed, true, now) {
                Err(SiteError::Calendar(why) | SiteError::Days(why)) => {
                    assert!(why.contains(said), "{text:?}: {why}")
                }
                other => panic!("{text:?}: {other:?}"),
            }
        };
        for (text, said) in [
            // Removed, moved, or added before today.
            ("", "站点 local 的 2026-03-03，它在今天（2026-12-02）以前"),
            ("2026-03-03 work", "local 的 2026-03-03，"),
            (
                "2026-03-03 off 县庆\n2026-12-01 off",
                "local 的 2026-12-01，",
            ),
            // A national day off made a working day.
            ("2026-03-03 off 县庆\n2027-01-01 work", ""),
            (
                "2026-03-03 off 县庆\n2026-12-02..2026-12-03 off\n2026-10-01 work",
                "2026-10-01 是全国放假日（国庆节）",
            ),
            // A carriage return alone would hide the line after it.
            (
                "2026-03-03 off 县庆\r2026-12-19 work",
                "第 1 行：有看不见的控制字符",
            ),
            ("\u{FEFF}year 2027\n2027-04-09 off", "第 1 行"),
            (
                "2026-03-03 off 县庆\n# a\u{0}b",
                "第 2 行：有看不见的控制字符",
            ),
        ] {
            if said.is_empty() {
                // 2027 is not in the shipped arrangements: nothing to
                // reverse there, so it is kept.
                let mut changed = store.site("local").unwrap().unwrap();
                changed.calendar = text.into();
                store.put_site(&changed, true, now).unwrap();
                continue;
            }
            refused(&mut store, text, said);
        }
        // A national day off of the coming year, once known: a site's work
        // day set before stays a day off.
        let next_year = "year 2027\n2027-01-01 off 元旦\n2027-10-01..2027-10-07 off 国庆节";
        store
            .set_setting(crate::cases::CALENDAR_SETTING, next_year)
            .unwrap();
        let mut national = Calendar::builtin();
        national.add(next_year).unwrap();
        let calendars = store.sites().unwrap().calendars(Arc::new(national));
        let new_year = xxgk_core::Date::parse("2027-01-01").unwrap();
        assert_eq!(calendars.of("local").is_working_day(new_year), Ok(false));
        // And the line set before does not stop another change.
        let mut renamed = store.site("local").unwrap().unwrap();
        assert!(renamed.calendar.contains("2027-01-01 work"));
        renamed.name = "本地镇".into();
        store.put_site(&renamed, true, now).unwrap();
        // After the day, the line, of no effect, may go.
        let later = i64::from(xxgk_core::Date::parse("2027-01-05").unwrap().days()) * 86_400 + 7200;
        renamed.calendar = "2026-03-03 off 县庆".into();
        store.put_site(&renamed, true, later).unwrap();
        refused(
            &mut store,
            "2026-03-03 off 县庆\n2027-10-04 work",
            "全国放假日（国庆节）",
        );
        // Today and later change freely, and the text is kept without a
        // byte-order mark, its lines ended by \n.
        let mut changed = store.site("local").unwrap().unwrap();
        changed.calendar =
            "\u{FEFF}2026-03-03 off 县庆\r\n2026-12-02 off\r\n2027-04-09 off 三月三".into();
        store.put_site(&changed, true, now).unwrap();
        assert_eq!(
            store.site("local").unwrap().unwrap().calendar,
            "2026-03-03 off 县庆\n2026-12-02 off\n2027-04-09 off 三月三"
        );
        let mut named = changed.clone();
        named.name = "东亭\n乡".into();
        assert!(matches!(
            store.put_site(&named, true, now),
            Err(SiteError::Name)
        ));
        // Lines ended as a browser sends them count as they are kept.
        let mut long = changed.clone();
        long.calendar = format!("{}\r\n", changed.calendar) + &"#\r\n".repeat(CALENDAR_MAX / 3);
        store.put_site(&long, true, now).unwrap();
        assert!(!store
            .site("local")
            .unwrap()
            .unwrap()
            .calendar
            .contains('\r'));

        // A township moved to another county, or left on its own, would
        // lose the county's day gone by: refused, unless it keeps it.
        let mut county = site("ca", "");
        county.calendar = "2026-11-16..2026-11-20 off 县庆".into();
        for s in [county.clone(), site("cb", ""), site("town", "ca")] {
            store.put_site(&s, false, now).unwrap();
        }
        let mut town = site("town", "ca");
        // Saying again what its county says changes nothing: kept.
        town.calendar = "2026-11-16 off 县庆".into();
        store.put_site(&town, true, now).unwrap();
        for parent in ["cb", ""] {
            town.parent = parent.into();
            match store.put_site(&town, true, now) {
                Err(SiteError::Days(why)) => {
                    assert!(why.contains("站点 town 的 2026-11-17"), "{why}")
                }
                other => panic!("{parent}: {other:?}"),
            }
        }
        town.calendar = "2026-11-16..2026-11-20 off 县庆".into();
        town.parent = "cb".into();
        store.put_site(&town, true, now).unwrap();
        // Nor may a county change a day gone by, which its townships
        // counted in.
        town.parent = "ca".into();
        store.put_site(&town, true, now).unwrap();
        county.calendar = "2026-11-16 off 县庆".into();
        assert!(matches!(
            store.put_site(&county, true, now),
            Err(SiteError::Days(_))
        ));
    }

    #[test]
    fn codes_are_short_lower_case_words() {
        for good in [
            "dongting",
            "guangde-xian",
            "a",
            "x2016",
            &"a".repeat(CODE_MAX),
        ] {
            assert!(check_code(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "Dongting",
            "东亭",
            "dong_ting",
            "dong ting",
            "-x",
            "a,b",
            "a%",
            &"a".repeat(CODE_MAX + 1),
        ] {
            assert!(check_code(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn sites_are_added_changed_and_read_back_with_their_counties() {
        let (_dir, mut store) = temp_store();
        assert_eq!(store.sites().unwrap(), Sites::default());
        store.put_site(&site("guangde", ""), false, 1).unwrap();
        store
            .put_site(&site("dongting", "guangde"), false, 2)
            .unwrap();
        let mut lucun = site("lucun", "dongting");
        lucun.reply_days = Some(10);
        store.put_site(&lucun, false, 3).unwrap();
        store.put_site(&site("taohe", ""), false, 3).unwrap();
        let sites = store.sites().unwrap();
        assert_eq!(
            sites.0.iter().map(|s| s.code.as_str()).collect::<Vec<_>>(),
            ["dongting", "guangde", "lucun", "taohe"]
        );
        assert_eq!(store.site("lucun").unwrap(), Some(lucun.clone()));
        assert_eq!(
            sites.under(["guangde"]),
            ["guangde", "dongting", "lucun"],
            "a county takes in its townships and theirs"
        );
        assert_eq!(sites.under(["dongting", "lucun"]), ["dongting", "lucun"]);
        let origin = Origin::parse("https://taohe.example.gov.cn").unwrap();
        assert_eq!(sites.by_origin(&origin).unwrap().code, "taohe");

        // Changed: the name, the origins, the reply period.
        let mut changed = site("taohe", "guangde");
        changed.name = "桃河乡".into();
        changed
            .origins
            .push(Origin::parse("http://10.0.0.9:8080").unwrap());
        changed.reply_days = Some(20);
        store.put_site(&changed, true, 4).unwrap();
        assert_eq!(store.site("taohe").unwrap(), Some(changed));
        // Two sites listing one origin: neither is that origin's.
        let mut shared = site("shared", "");
        shared.origins = vec![origin.clone()];
        store.put_site(&shared, false, 5).unwrap();
        assert!(store.sites().unwrap().by_origin(&origin).is_none());
        assert!(store.sites().unwrap().lists(&origin));
    }

    #[test]
    fn what_would_break_the_sites_is_refused_and_changes_nothing() {
        let (_dir, mut store) = temp_store();
        store.put_site(&site("guangde", ""), false, 1).unwrap();
        store
            .put_site(&site("dongting", "guangde"), false, 1)
            .unwrap();
        let before = store.sites().unwrap();
        let refused = |store: &mut Store, s: &Site, replace| {
            store.put_site(s, replace, 2).unwrap_err().to_string()
        };
        assert!(refused(&mut store, &site("guangde", ""), false).contains("already"));
        assert!(refused(&mut store, &site("nowhere", ""), true).contains("no site"));
        assert!(refused(&mut store, &site("x", "nowhere"), false).contains("not a site"));
        assert!(refused(&mut store, &site("guangde", "dongting"), true).contains("cannot belong"));
        assert!(refused(&mut store, &site("guangde", "guangde"), true).contains("cannot belong"));
        assert!(refused(&mut store, &site("Bad", ""), false).contains("not a site code"));
        let mut nameless = site("y", "");
        nameless.name = " ".into();
        assert!(refused(&mut store, &nameless, false).contains("name"));
        let mut slow = site("z", "");
        slow.reply_days = Some(0);
        assert!(refused(&mut store, &slow, false).contains("1 to"));
        assert_eq!(store.sites().unwrap(), before);
    }
}
