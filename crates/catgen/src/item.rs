//! One catalogue entry and how a realistic one is made.

use crate::body::compose;
use crate::date::Day;
use crate::dice::Dice;
use crate::genre::Genre;
use crate::messy;
use crate::site::{Body, Site, OFFICES};
use crate::slots::Ctx;
use crate::specs::{Spec, Title, SPECS};
use crate::traditional::to_traditional;
use crate::vocab::{dated, ATTACHMENT_KINDS};
use serde::Serialize;

/// First day an item may be written or published.
pub const FIRST_DAY: (i32, u32, u32) = (2010, 1, 1);
/// Last day an item may be published.
pub const LAST_DAY: (i32, u32, u32) = (2024, 12, 31);

/// One entry of `items`, with the members in the order of docs/catalogue.md.
#[derive(Clone, Debug, Serialize)]
pub struct Item {
    /// 索引号: `{credit code}/{YYYYMM}-{sequence}`.
    pub id: String,
    /// 名称.
    pub title: String,
    /// 发布机构.
    pub publisher: String,
    /// 层级: `township`/`village` (or `乡镇级`/`村级`).
    pub level: &'static str,
    /// The village of a village-level entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub village: Option<String>,
    /// 文号, for about 70% of entries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<String>,
    /// 成文日期, a few days before publication.
    pub written: String,
    /// 发布日期, always `YYYY-MM-DD`.
    pub published: String,
    /// Id of the category in the tree.
    pub category: &'static str,
    /// 主题分类.
    pub topic: &'static str,
    /// 体裁分类.
    pub genre: &'static str,
    /// 主题词.
    pub keywords: Keywords,
    /// 有效性.
    pub validity: &'static str,
    /// 公开属性.
    pub disclosure: &'static str,
    /// 内容概述, at most 100 characters.
    pub summary: String,
    /// Full text, paragraphs separated by `\n`.
    pub body: String,
    /// The original document (http or https).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// 附件, with relative URLs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
}

/// Keywords as a list, or as one text the way spreadsheets export them.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum Keywords {
    /// `["低保", "救助"]`.
    List(Vec<String>),
    /// `"低保、救助"`.
    Joined(String),
}

/// One attachment.
#[derive(Clone, Debug, Serialize)]
pub struct Attachment {
    /// Name shown to citizens.
    pub name: String,
    /// Relative URL of the file.
    pub url: String,
}

/// Makes items one after another for one site.
///
/// Publication dates rise with the position in the file (the span
/// 2010-01-01..=2024-12-31 is cut into as many slots as there are items), so a
/// catalogue reads in date order and index-number sequences rise with it.
pub struct ItemMaker {
    site: Site,
    total: u64,
    first: Day,
    span: u64,
    township_weights: Vec<u32>,
    village_weights: Vec<u32>,
    /// [`title_weight`] of every title template, per spec: township, village.
    title_weights: Vec<(Vec<u32>, Vec<u32>)>,
    /// Next index-number sequence, per publisher and year.
    sequences: Vec<u32>,
    /// Last document number, per publisher and year.
    doc_numbers: Vec<u32>,
    traditional_per_mille: u32,
}

const YEARS: usize = (LAST_DAY.0 - FIRST_DAY.0 + 1) as usize;

impl ItemMaker {
    /// A maker of `total` items of `site`, `traditional_per_mille` of them in
    /// traditional characters.
    pub fn new(site: Site, total: u64, traditional_per_mille: u32) -> Self {
        let first = Day::from_ymd(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2);
        let last = Day::from_ymd(LAST_DAY.0, LAST_DAY.1, LAST_DAY.2);
        let slots = site.publishers.len() * YEARS;
        ItemMaker {
            total: total.max(1),
            first,
            span: (last.0 - first.0 + 1) as u64,
            township_weights: SPECS.iter().map(|s| s.township_weight).collect(),
            village_weights: SPECS.iter().map(|s| s.village_weight).collect(),
            title_weights: SPECS
                .iter()
                .map(|s| (weights_of(s.township_titles), weights_of(s.village_titles)))
                .collect(),
            sequences: vec![0; slots],
            doc_numbers: vec![0; slots],
            traditional_per_mille,
            site,
        }
    }

    /// The site the items belong to.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// Item number `index` (from 0); call in order.
    pub fn make(&mut self, index: u64, dice: &mut Dice) -> Item {
        let published = self.publication_day(index, dice);
        let year = published.year();
        let village_level = dice.per_mille(300);
        let spec_index = if village_level {
            dice.weighted(&self.village_weights)
        } else {
            dice.weighted(&self.township_weights)
        };
        let spec = &SPECS[spec_index];

        let (publisher, village, office) = self.publisher_for(spec, village_level, dice);
        let site = &self.site;
        let publisher_name = site.publishers[publisher].name.clone();
        let mut ctx = Ctx::new(site, published, village, office, spec.work, &publisher_name);

        let (titles, weights) = if village_level {
            (spec.village_titles, &self.title_weights[spec_index].1)
        } else {
            (spec.township_titles, &self.title_weights[spec_index].0)
        };
        let (template, genre) = pick_title(titles, weights, year, dice);
        let title = ctx.render(template, dice);
        ctx.set("标题", title.clone());
        let text = compose(spec, genre, village_level, &mut ctx, dice);

        let written = published.plus(-(dice.below(13) as i32)).max(self.first);
        let slot = publisher * YEARS + (year - FIRST_DAY.0) as usize;
        self.sequences[slot] += 1;
        let sequence = self.sequences[slot];
        let (y, m, _) = published.ymd();
        let id = format!(
            "{}/{y:04}{m:02}-{sequence:05}",
            site.publishers[publisher].code
        );

        let has_doc_number = dice.per_mille(if village_level { 200 } else { 910 });
        let doc_number = has_doc_number.then(|| {
            let slot = publisher * YEARS + (written.year() - FIRST_DAY.0) as usize;
            self.doc_numbers[slot] += dice.between(1, 3);
            let prefix = &site.publishers[publisher].doc_prefix;
            messy::doc_number(prefix, written.year(), self.doc_numbers[slot], dice)
        });
        let written = messy::date(written, dice);

        let keywords = keywords(spec, village.map(|v| site.villages[v].as_str()), dice);
        let validity = messy::validity(dice);
        let proactive = spec.id != "ysqgk" && !dice.per_mille(10);
        let disclosure = messy::disclosure(proactive, dice);
        let link = dice
            .per_mille(100)
            .then(|| link(site, spec.id, published, dice));
        let attachments = if dice.per_mille(100) {
            attachments(&mut ctx, spec.id, published, sequence, dice)
        } else {
            Vec::new()
        };

        let traditional = dice.below(1000) < u64::from(self.traditional_per_mille);
        let mut title = if dice.per_mille(2) {
            messy::with_markup(&title, dice)
        } else {
            title
        };
        let mut summary = text.summary;
        let mut body = text.body;
        if traditional {
            title = to_traditional(&title);
            summary = to_traditional(&summary);
            body = to_traditional(&body);
        }
        let level = messy::level(village_level, dice);

        Item {
            id,
            title,
            publisher: publisher_name,
            level,
            village: village.map(|v| site.villages[v].clone()),
            doc_number,
            written,
            published: published.iso(),
            category: spec.id,
            topic: spec.topic,
            genre: genre.as_str(),
            keywords,
            validity,
            disclosure,
            summary,
            body,
            link,
            attachments,
        }
    }

    /// A day in this item's slot, moved off weekends nine times in ten.
    fn publication_day(&self, index: u64, dice: &mut Dice) -> Day {
        let lo = index * self.span / self.total;
        let hi = ((index + 1) * self.span / self.total).max(lo + 1);
        let day = self.first.plus((lo + dice.below(hi - lo)) as i32);
        let weekend_shift = match day.weekday() {
            5 => -1,
            6 => 1,
            _ => 0,
        };
        let last = Day::from_ymd(LAST_DAY.0, LAST_DAY.1, LAST_DAY.2);
        if weekend_shift != 0 && dice.per_mille(900) {
            day.plus(weekend_shift).clamp(self.first, last)
        } else {
            day
        }
    }

    /// Publisher index, village index and the office `{办}` stands for.
    fn publisher_for(
        &self,
        spec: &Spec,
        village_level: bool,
        dice: &mut Dice,
    ) -> (usize, Option<usize>, &'static str) {
        let office = *dice.pick(spec.offices);
        let short = OFFICES[office].short;
        if village_level {
            let v = dice.index(self.site.villages.len());
            return (self.site.village_committee(v), Some(v), short);
        }
        if dice.per_mille(450) {
            (self.site.government(), None, short)
        } else {
            let p = self.site.office(office);
            debug_assert_eq!(self.site.publishers[p].body, Body::Office(office));
            (p, None, short)
        }
    }
}

/// [`title_weight`] of each template of `titles`.
fn weights_of(titles: &[Title]) -> Vec<u32> {
    titles.iter().map(|(t, _)| title_weight(t)).collect()
}

/// A title template usable in `year`, chosen by `weights` (see
/// [`title_weight`]).
fn pick_title(
    titles: &'static [Title],
    weights: &[u32],
    year: i32,
    dice: &mut Dice,
) -> (&'static str, Genre) {
    let weights: Vec<u32> = titles
        .iter()
        .zip(weights)
        .map(|((t, _), &w)| if dated(t, year).1 { w } else { 0 })
        .collect();
    let i = if weights.iter().any(|&w| w > 0) {
        dice.weighted(&weights)
    } else {
        0
    };
    (dated(titles[i].0, year).0, titles[i].1)
}

/// How often a title template is used relative to the others of its list.
///
/// A township publishes its 机构设置 once and a 低保 list for some village
/// every month, so templates whose slots vary little (only the township,
/// office and year) are rare, and those naming people, projects, villages or
/// months are common. This also keeps most titles distinct at 100k items.
pub fn title_weight(template: &str) -> u32 {
    const RICH: [&str; 7] = [
        "{人}",
        "{项目}",
        "{事项}",
        "{申请事项}",
        "{公司}",
        "{政策}",
        "{组}",
    ];
    const VARIED: [&str; 10] = [
        "{村}", "{数}", "{数2}", "{月}", "{日}", "{批}", "{工作}", "{活动}", "{岗位}", "{物资}",
    ];
    let rich = RICH.iter().filter(|s| template.contains(*s)).count() as u32;
    let varied = VARIED.iter().filter(|s| template.contains(*s)).count() as u32;
    1 + 4 * rich + 2 * varied
}

/// Two to four keywords of the category, sometimes with the village.
fn keywords(spec: &Spec, village: Option<&str>, dice: &mut Dice) -> Keywords {
    let count = dice.between(2, 4) as usize;
    let mut left: Vec<&str> = spec.keywords.to_vec();
    let mut words: Vec<String> = Vec::with_capacity(count);
    if let Some(v) = village {
        if dice.per_mille(400) {
            words.push(v.to_string());
        }
    }
    while words.len() < count && !left.is_empty() {
        let i = dice.index(left.len());
        words.push(left.swap_remove(i).to_string());
    }
    if dice.per_mille(100) {
        let separator = *dice.pick(&["、", " ", "，", "；"]);
        Keywords::Joined(words.join(separator))
    } else {
        Keywords::List(words)
    }
}

/// A link to the original on the county portal.
fn link(site: &Site, category: &str, day: Day, dice: &mut Dice) -> String {
    let scheme = if dice.per_mille(600) { "https" } else { "http" };
    let (y, m, d) = day.ymd();
    format!(
        "{scheme}://www.{}.gov.cn/xxgk/{category}/{y:04}{m:02}/t{y:04}{m:02}{d:02}_{}.html",
        site.county.pinyin,
        1_000_000 + dice.below(9_000_000)
    )
}

/// One to three attachments with relative URLs.
fn attachments(
    ctx: &mut Ctx,
    category: &str,
    day: Day,
    sequence: u32,
    dice: &mut Dice,
) -> Vec<Attachment> {
    let mut kinds: Vec<(&'static str, &'static str)> = ATTACHMENT_KINDS
        .iter()
        .filter(|(_, _, cats)| cats.is_empty() || cats.split(' ').any(|c| c == category))
        .map(|&(name, ext, _)| (name, ext))
        .collect();
    let (y, m, d) = day.ymd();
    let folder = if dice.per_mille(800) {
        "files"
    } else {
        "/xxgk/files"
    };
    let count = dice.between(1, 3).min(kinds.len() as u32);
    (1..=count)
        .map(|n| {
            let (template, ext) = kinds.swap_remove(dice.index(kinds.len()));
            let kind = ctx.render(template, dice);
            Attachment {
                name: format!("附件{n}：{kind}.{ext}"),
                url: format!("{folder}/{y:04}/{y:04}{m:02}{d:02}{sequence:05}_{n}.{ext}"),
            }
        })
        .collect()
}
