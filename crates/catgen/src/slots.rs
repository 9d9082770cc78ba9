//! Filling `{slot}`s of templates with values that stay the same within one item.

use crate::date::Day;
use crate::dice::Dice;
use crate::site::Site;
use crate::vocab::{self, chinese_number, dated};

/// How deep slot values may nest (`{项目}` → `{村}至{村2}…`).
const MAX_DEPTH: u32 = 4;

/// The values of one item's slots.
///
/// A slot is drawn the first time a template of the item uses it and then
/// reused, so the village of the title is the village of the body.
pub struct Ctx<'s> {
    site: &'s Site,
    published: Day,
    village: Option<usize>,
    office: &'static str,
    work: &'static [&'static str],
    publisher: String,
    values: Vec<(&'static str, String)>,
}

impl<'s> Ctx<'s> {
    /// Slots for an item of `site` published on `published` by `publisher`;
    /// `village` is the village of a village-level item, `office` the short
    /// name of the township office that `{办}` stands for, `work` the pool
    /// of `{工作}` (the general one when empty).
    pub fn new(
        site: &'s Site,
        published: Day,
        village: Option<usize>,
        office: &'static str,
        work: &'static [&'static str],
        publisher: &str,
    ) -> Self {
        Ctx {
            site,
            published,
            village,
            office,
            work: if work.is_empty() { vocab::WORK } else { work },
            publisher: publisher.to_string(),
            values: Vec::with_capacity(16),
        }
    }

    /// The year the item is published in.
    pub fn year(&self) -> i32 {
        self.published.year()
    }

    /// Sets a slot's value (the title, once it is known, for `{标题}`).
    pub fn set(&mut self, name: &'static str, value: String) {
        match self.values.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.values.push((name, value)),
        }
    }

    /// Appends `template` to `out` with its slots filled.
    ///
    /// An unknown slot is copied as written; a test fills every template and
    /// checks that no brace is left, so that only happens to a typo.
    pub fn fill(&mut self, template: &'static str, dice: &mut Dice, out: &mut String) {
        self.fill_at(template, dice, out, 0);
    }

    /// `template` with its slots filled, as a new string.
    pub fn render(&mut self, template: &'static str, dice: &mut Dice) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        self.fill(template, dice, &mut out);
        out
    }

    fn fill_at(&mut self, template: &'static str, dice: &mut Dice, out: &mut String, depth: u32) {
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return;
            };
            let name = &after[..close];
            match self.value(name, dice, depth) {
                Some(value) => out.push_str(&value),
                None => out.push_str(&rest[open..open + close + 2]),
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
    }

    fn value(&mut self, name: &'static str, dice: &mut Dice, depth: u32) -> Option<String> {
        if let Some((_, v)) = self.values.iter().find(|(n, _)| *n == name) {
            return Some(v.clone());
        }
        let v = self.draw(name, dice, depth)?;
        self.values.push((name, v.clone()));
        Some(v)
    }

    /// A pool entry usable this year, with its own slots filled.
    fn pooled(&mut self, pool: &'static [&'static str], dice: &mut Dice, depth: u32) -> String {
        let entry = pick_dated(pool, self.published.year(), dice);
        let mut out = String::with_capacity(entry.len() + 16);
        if depth < MAX_DEPTH {
            self.fill_at(entry, dice, &mut out, depth + 1);
        } else {
            out.push_str(entry);
        }
        out
    }

    /// A pool entry usable this year for which `keep` holds, filled.
    fn pooled_where(
        &mut self,
        pool: &'static [&'static str],
        keep: impl Fn(&str) -> bool,
        dice: &mut Dice,
        depth: u32,
    ) -> String {
        let year = self.published.year();
        let usable: Vec<&'static str> = pool
            .iter()
            .filter_map(|e| match dated(e, year) {
                (text, true) if keep(text) => Some(text),
                _ => None,
            })
            .collect();
        let entry = usable
            .get(dice.index(usable.len()))
            .copied()
            .unwrap_or_else(|| dated(pool[0], year).0);
        let mut out = String::with_capacity(entry.len() + 16);
        self.fill_at(entry, dice, &mut out, depth + 1);
        out
    }

    /// For `{村}{本村项目}`: an entry of `pool` that is about one village,
    /// without the village's name (which the template writes); `{slot}` is
    /// set to the whole name so the body speaks of the same thing.
    fn of_the_village(
        &mut self,
        slot: &'static str,
        pool: &'static [&'static str],
        dice: &mut Dice,
        depth: u32,
    ) -> String {
        let year = self.published.year();
        let usable: Vec<&'static str> = pool
            .iter()
            .filter_map(|e| match dated(e, year) {
                (text, true) => text.strip_prefix("{村}"),
                _ => None,
            })
            .collect();
        let entry = usable.get(dice.index(usable.len())).copied().unwrap_or("");
        let mut rest = String::with_capacity(entry.len() + 16);
        self.fill_at(entry, dice, &mut rest, depth + 1);
        if !self.values.iter().any(|(n, _)| *n == slot) {
            let village = self.value("村", dice, depth).unwrap_or_default();
            self.values.push((slot, format!("{village}{rest}")));
        }
        rest
    }

    fn person(&mut self, others: &[&'static str], dice: &mut Dice) -> String {
        loop {
            let name = format!(
                "{}{}",
                dice.pick(vocab::SURNAMES),
                dice.pick(vocab::GIVEN_NAMES)
            );
            if !others
                .iter()
                .any(|o| self.values.iter().any(|(n, v)| n == o && *v == name))
            {
                return name;
            }
        }
    }

    fn other_than(
        &mut self,
        first: &'static str,
        dice: &mut Dice,
        depth: u32,
        draw: impl Fn(&mut Self, &mut Dice) -> String,
    ) -> String {
        let taken = self.value(first, dice, depth).unwrap_or_default();
        for _ in 0..16 {
            let v = draw(self, dice);
            if v != taken {
                return v;
            }
        }
        draw(self, dice)
    }

    fn village_name(&mut self, dice: &mut Dice) -> String {
        let villages = &self.site.villages;
        villages[dice.index(villages.len())].clone()
    }

    fn group(dice: &mut Dice) -> String {
        if dice.per_mille(500) {
            format!("{}组", chinese_number(dice.between(1, 15)))
        } else {
            format!("{}组", dice.pick(vocab::HAMLETS))
        }
    }

    fn draw(&mut self, name: &'static str, dice: &mut Dice, depth: u32) -> Option<String> {
        let site = self.site;
        let year = self.published.year();
        let (_, month, _) = self.published.ymd();
        Some(match name {
            "乡" => site.township.to_string(),
            "乡短" => site.stem.to_string(),
            "级" => site.level_word.to_string(),
            "县" => site.county.name.to_string(),
            "县短" => site.county.name.trim_end_matches('县').to_string(),
            "省" => site.county.province.to_string(),
            "村" => match self.village {
                Some(v) => site.villages[v].clone(),
                None => self.village_name(dice),
            },
            "村2" => self.other_than("村", dice, depth, |c, d| c.village_name(d)),
            "组" => Self::group(dice),
            "组2" => self.other_than("组", dice, depth, |_, d| Self::group(d)),
            "年" => year.to_string(),
            "上年" => (year - 1).to_string(),
            "下年" => (year + 1).to_string(),
            "远期" => ((year + 14) / 5 * 5).to_string(),
            "招生年" => (year - 6).to_string(),
            "月" => month.to_string(),
            "日" => self.published.ymd().2.to_string(),
            "批" => chinese_number(dice.between(1, 6)),
            "季" => chinese_number((month - 1) / 3 + 1),
            "天数" => dice.pick(&[5u32, 7, 10]).to_string(),
            "起" => self.published.chinese(),
            "止" => {
                let days: u32 = self.value("天数", dice, depth)?.parse().ok()?;
                self.published.plus((days * 7 / 5) as i32).chinese()
            }
            "日期" => self.published.chinese(),
            "发布机构" => self.publisher.clone(),
            "办" => self.office.to_string(),
            "电话" => format!(
                "{}-{}{:06}",
                site.county.area_code,
                dice.pick(&[6u32, 8]),
                dice.below(1_000_000)
            ),
            "门牌" => dice.between(1, 188).to_string(),
            "人" => self.person(&[], dice),
            "人2" => self.person(&["人"], dice),
            "人3" => self.person(&["人", "人2"], dice),
            "数" => dice.between(2, 40).to_string(),
            "数2" => dice.between(10, 120).to_string(),
            "大数" => dice.between(120, 5000).to_string(),
            "小数" | "小数2" => dice.between(1, 9).to_string(),
            // 金额 (100-3000万元) > 小额 (2-30万元) > 零额 (0.01-2万元), so
            // a part never exceeds the whole it is said to be part of.
            "金额" | "金额2" | "金额3" => money(dice.between(10_000, 300_000)),
            "小额" | "小额2" | "小额3" => money(dice.between(200, 3_000)),
            "零额" | "零额2" => money(dice.between(1, 200)),
            "百分比" => percent(dice.between(10, 150)),
            "百分比2" => percent(dice.between(900, 999)),
            "百分比3" => percent(dice.between(950, 1100)),
            "收入" => (5_000 + (year - 2010) * 900 + dice.between(0, 1_500) as i32).to_string(),
            "面积" => hundredths(dice.between(100, 20_000)),
            "面积2" => hundredths(dice.between(50, 5_000)),
            "里程" => format!("{}.{}", dice.between(0, 11), dice.between(1, 9)),
            "工期" => (dice.between(2, 12) * 30).to_string(),
            "出生年" => (year - dice.between(25, 55) as i32).to_string(),
            "届" => chinese_number(dice.between(8, 12)),
            "年龄" => dice.pick(&[35u32, 40, 45, 50, 55]).to_string(),
            "救助金额" => (dice.between(5, 50) * 100).to_string(),
            "低保标准" => {
                (1_500 + (year - 2010) * 380 + dice.between(0, 5) as i32 * 60).to_string()
            }
            "医保费" => {
                const FEES: [u32; 15] = [
                    30, 50, 60, 70, 90, 120, 150, 180, 220, 250, 280, 320, 350, 380, 400,
                ];
                FEES[(year - 2010).clamp(0, 14) as usize].to_string()
            }
            "奖扶标准" => if year < 2016 { "720" } else { "960" }.to_string(),
            "养老档次" => dice.pick(&[2_000u32, 3_000, 5_000]).to_string(),
            "子女" => dice
                .pick(&["一个女孩", "一个男孩", "两个女孩", "一个子女"])
                .to_string(),
            "规划" => match year {
                ..=2015 => "第十二个五年规划",
                2016..=2020 => "第十三个五年规划",
                _ => "第十四个五年规划",
            }
            .to_string(),
            // A village committee speaks of its own village's projects.
            "项目" if self.village.is_some() => {
                self.pooled_where(vocab::PROJECTS, |e| e.starts_with("{村}"), dice, depth)
            }
            "项目" => self.pooled(vocab::PROJECTS, dice, depth),
            "本村项目" => self.of_the_village("项目", vocab::PROJECTS, dice, depth),
            "路" => dice.pick(vocab::ROADS).to_string(),
            "工作" => self.pooled(self.work, dice, depth),
            "目的" => self.pooled(vocab::PURPOSES, dice, depth),
            "活动" => self.pooled(vocab::CAMPAIGNS, dice, depth),
            "事项" if self.village.is_some() => {
                self.pooled_where(vocab::MATTERS, |e| !e.starts_with("{乡}"), dice, depth)
            }
            "事项" => self.pooled(vocab::MATTERS, dice, depth),
            "本村事项" => self.of_the_village("事项", vocab::MATTERS, dice, depth),
            "政策" => self.pooled(vocab::POLICIES, dice, depth),
            "岗位" => self.pooled(vocab::POSTS, dice, depth),
            "会议" => self.pooled(vocab::MEETINGS, dice, depth),
            "节日" => dice.pick(vocab::HOLIDAYS).to_string(),
            "产业" => dice.pick(vocab::INDUSTRIES).to_string(),
            "采购方式" => dice.pick(vocab::PROCUREMENT_METHODS).to_string(),
            "公司" => {
                let county = site.county.name.trim_end_matches('县');
                format!(
                    "{county}{}{}有限公司",
                    dice.pick(vocab::TRADE_NAMES),
                    dice.pick(vocab::TRADES)
                )
            }
            "物资" => dice.pick(vocab::GOODS).to_string(),
            "困难原因" => dice.pick(vocab::HARDSHIPS).to_string(),
            "困难原因2" => dice.pick(vocab::HARDSHIPS).to_string(),
            "职务" => self.pooled(vocab::POSITIONS, dice, depth),
            "职务2" => {
                let first = self.value("职务", dice, depth).unwrap_or_default();
                let mut v = self.pooled(vocab::POSITIONS, dice, depth);
                if v == first {
                    v = self.pooled(vocab::POSITIONS, dice, depth);
                }
                v
            }
            "学历" => dice.pick(vocab::EDUCATION).to_string(),
            "文明称号" => self.pooled(vocab::HONOURS, dice, depth),
            "安全领域" => self.pooled(vocab::SAFETY_FIELDS, dice, depth),
            "教育活动" => self.pooled(vocab::SCHOOL_CAMPAIGNS, dice, depth),
            "卫生活动" => self.pooled(vocab::HEALTH_CAMPAIGNS, dice, depth),
            "部门" => self.pooled(vocab::DEPARTMENTS, dice, depth),
            "申请事项" => self.pooled(vocab::REQUESTS, dice, depth),
            "微信名" => self.pooled(vocab::WECHAT, dice, depth),
            "答复结果" => self.pooled(vocab::REPLIES, dice, depth),
            _ => return None,
        })
    }
}

/// An entry of `pool` whose year range includes `year` (the first entry if
/// none does, so a pool never runs dry).
pub fn pick_dated(pool: &'static [&'static str], year: i32, dice: &mut Dice) -> &'static str {
    for _ in 0..8 {
        let entry = pool[dice.index(pool.len())];
        let (text, ok) = dated(entry, year);
        if ok {
            return text;
        }
    }
    let usable: Vec<&'static str> = pool
        .iter()
        .filter_map(|e| match dated(e, year) {
            (text, true) => Some(text),
            _ => None,
        })
        .collect();
    if usable.is_empty() {
        dated(pool[0], year).0
    } else {
        usable[dice.index(usable.len())]
    }
}

/// `12345` (hundredths of 万元) as `123.45万元`.
fn money(hundredths_of_wan: u32) -> String {
    format!("{}万元", hundredths(hundredths_of_wan))
}

/// `12345` as `123.45`.
fn hundredths(n: u32) -> String {
    format!("{}.{:02}", n / 100, n % 100)
}

/// `85` (tenths of a percent) as `8.5%`.
fn percent(tenths: u32) -> String {
    format!("{}.{}%", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        Site::choose(&mut Dice::new(11))
    }

    #[test]
    fn a_slot_keeps_its_value_within_an_item() {
        let site = site();
        let mut dice = Dice::new(1);
        let mut ctx = Ctx::new(&site, Day::from_ymd(2016, 3, 5), None, "财政所", &[], "x");
        let a = ctx.render("{村}{人}", &mut dice);
        let b = ctx.render("{村}{人}", &mut dice);
        assert_eq!(a, b);
    }

    #[test]
    fn second_village_and_person_differ_from_the_first() {
        let site = site();
        let mut dice = Dice::new(2);
        for _ in 0..200 {
            let mut ctx = Ctx::new(&site, Day::from_ymd(2016, 3, 5), None, "财政所", &[], "x");
            assert_ne!(
                ctx.render("{村}", &mut dice),
                ctx.render("{村2}", &mut dice)
            );
            assert_ne!(
                ctx.render("{人}", &mut dice),
                ctx.render("{人2}", &mut dice)
            );
        }
    }

    #[test]
    fn village_items_talk_about_their_own_village() {
        let site = site();
        let mut dice = Dice::new(3);
        let mut ctx = Ctx::new(
            &site,
            Day::from_ymd(2016, 3, 5),
            Some(2),
            "财政所",
            &[],
            "x",
        );
        assert_eq!(ctx.render("{村}", &mut dice), site.villages[2]);
    }

    #[test]
    fn nested_slots_are_filled_and_unknown_ones_kept() {
        let site = site();
        let mut dice = Dice::new(4);
        for _ in 0..100 {
            let mut ctx = Ctx::new(&site, Day::from_ymd(2019, 7, 1), None, "财政所", &[], "x");
            let text = ctx.render("{项目}与{政策}及{事项}", &mut dice);
            assert!(!text.contains('{'), "{text}");
        }
        let mut ctx = Ctx::new(&site, Day::from_ymd(2019, 7, 1), None, "财政所", &[], "x");
        assert_eq!(ctx.render("a{没有}b", &mut dice), "a{没有}b");
    }

    #[test]
    fn a_village_project_is_not_prefixed_twice_and_feeds_the_body() {
        let site = site();
        let mut dice = Dice::new(6);
        for _ in 0..300 {
            let mut ctx = Ctx::new(
                &site,
                Day::from_ymd(2019, 7, 1),
                Some(1),
                "财政所",
                &[],
                "x",
            );
            let title = ctx.render("{村}{本村项目}", &mut dice);
            let village = &site.villages[1];
            assert_eq!(title.matches(village.as_str()).count(), 1, "{title}");
            assert_eq!(ctx.render("{项目}", &mut dice), title);
        }
    }

    #[test]
    fn dated_pools_respect_the_year() {
        let mut dice = Dice::new(5);
        for _ in 0..500 {
            let text = pick_dated(vocab::WORK, 2010, &mut dice);
            assert_ne!(text, "脱贫攻坚");
            assert_ne!(text, "疫情防控");
        }
    }

    #[test]
    fn numbers_are_spelled_like_documents() {
        assert_eq!(money(12_345), "123.45万元");
        assert_eq!(percent(85), "8.5%");
        assert_eq!(hundredths(5), "0.05");
    }
}
