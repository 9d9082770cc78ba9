//! The disclosure catalogue (政府信息公开目录): its model and its parser.
//!
//! [`Catalogue::parse`] reads an `xxgk-catalogue/1` file (see
//! `docs/catalogue.md`). A problem with the whole file is a
//! [`CatalogueError`]; a problem with one entry skips that entry only and is
//! kept in [`Catalogue::skipped`], so one bad row never blanks the catalogue.

mod error;
mod id;
mod parse;

pub use error::{CatalogueError, Expected, Field, ItemProblem, Skipped, SkippedPlace};
pub use id::{check_entry_id, EntryIdProblem, ENTRY_ID_MAX};
pub use parse::Reader;

use crate::{Date, Link};
use std::collections::HashMap;

/// The version string this crate reads, the value of the file's `schema`.
pub const SCHEMA: &str = "xxgk-catalogue/1";

/// A parsed catalogue: the valid entries, the category tree, and what was
/// skipped.
#[derive(Clone, Debug)]
pub struct Catalogue {
    /// Who publishes the catalogue.
    pub site: Site,
    /// Every category, parents before their children (depth-first order).
    pub categories: Vec<Category>,
    /// The valid entries, in file order.
    pub items: Vec<Item>,
    /// Entries and categories that were left out, with why.
    pub skipped: Vec<Skipped>,
    category_index: HashMap<String, usize>,
    item_index: HashMap<String, usize>,
    newest_first: Vec<usize>,
}

/// The body that keeps the catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// The disclosing body, e.g. `东亭乡人民政府`.
    pub name: String,
    /// The region, e.g. `安徽省广德县东亭乡`.
    pub region: Option<String>,
    /// When the catalogue was last updated.
    pub updated: Option<Date>,
}

/// One node of the category tree (目录分类).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    /// The id items refer to.
    pub id: String,
    /// The name citizens see.
    pub name: String,
    /// The index of the parent in [`Catalogue::categories`], `None` at the top.
    pub parent: Option<usize>,
    /// How deep the node sits: 0 at the top.
    pub depth: usize,
}

/// One catalogue entry with its standard metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// 索引号, the index number, unique in the catalogue.
    pub id: String,
    /// 名称.
    pub title: String,
    /// 发布机构.
    pub publisher: String,
    /// 层级, township or village.
    pub level: Level,
    /// The village of a village-level entry.
    pub village: Option<String>,
    /// 文号, e.g. `东政〔2016〕12号`.
    pub doc_number: Option<String>,
    /// 成文日期.
    pub written: Option<Date>,
    /// 发布日期.
    pub published: Date,
    /// The index of its category in [`Catalogue::categories`].
    pub category: usize,
    /// 主题分类.
    pub topic: Option<String>,
    /// 体裁分类.
    pub genre: Option<String>,
    /// 主题词.
    pub keywords: Vec<String>,
    /// 有效性.
    pub validity: Validity,
    /// 公开属性.
    pub disclosure: Disclosure,
    /// 内容概述.
    pub summary: Option<String>,
    /// The full text; a line break starts a paragraph.
    pub body: Option<String>,
    /// The original document.
    pub link: Option<Link>,
    /// 附件.
    pub attachments: Vec<Attachment>,
}

/// A file attached to an entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// What citizens see, e.g. `2016年财政预算表.xls`.
    pub name: String,
    /// Where it is.
    pub url: Link,
    /// Its size in bytes (`size`), where the catalogue gives it.
    pub size: Option<u64>,
}

impl Attachment {
    /// The file's type, from the extension of its name (or else of its
    /// address: a download page's, `get.aspx?id=7`, names none of the
    /// file's), in capitals: `PDF`, `DOCX`; `None` when neither has one.
    pub fn kind(&self) -> Option<String> {
        let extension = |s: &str| {
            let path = s.split(['?', '#']).next().unwrap_or_default();
            let (_, ext) = path.rsplit('/').next()?.rsplit_once('.')?;
            (!ext.is_empty() && ext.len() <= 5 && ext.bytes().all(|b| b.is_ascii_alphanumeric()))
                .then(|| ext.to_ascii_uppercase())
        };
        extension(&self.name).or_else(|| extension(self.url.as_str()))
    }

    /// Whether a phone's browser opens the file itself: PDF, pictures,
    /// text and web pages; office documents and archives need an app.
    pub fn opens_on_phones(&self) -> bool {
        self.kind().is_none_or(|kind| {
            matches!(
                kind.as_str(),
                "PDF" | "JPG" | "JPEG" | "PNG" | "GIF" | "WEBP" | "TXT" | "HTM" | "HTML" | "MP4"
            )
        })
    }

    /// What a citizen should know before tapping it, in brackets: type
    /// and size where known, and `needs_app` when a phone may not open it
    /// (`（XLS，44 KB，…）`; `words` are the brackets and the separator).
    pub fn about(&self, words: (&str, &str, &str), needs_app: &str) -> Option<String> {
        let (open, between, close) = words;
        let mut out = String::new();
        for part in [
            self.kind(),
            self.size.map(human_size),
            (!self.opens_on_phones()).then(|| needs_app.to_owned()),
        ]
        .into_iter()
        .flatten()
        {
            out.push_str(if out.is_empty() { open } else { between });
            out.push_str(&part);
        }
        (!out.is_empty()).then(|| out + close)
    }
}

/// A size in bytes as people read it: `980 B`, `52 KB`, `5.3 MB`,
/// `1536.0 MB`, rounded up (numbers written as 32-bit: smaller in the
/// widget).
pub fn human_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = KB * 1024;
    let small = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    match bytes {
        b if b < KB => format!("{} B", small(b)),
        b if b <= MB - KB => format!("{} KB", small(b.div_ceil(KB))),
        b => {
            let tenths = small(b.saturating_mul(10).div_ceil(MB));
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    }
}

/// The level of government that published an entry, for 联动公开.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// 乡镇级.
    #[default]
    Township,
    /// 村级.
    Village,
}

/// Whether an entry is still in force (有效性).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Validity {
    /// 有效.
    #[default]
    Valid,
    /// 失效: expired by its own terms or superseded.
    Expired,
    /// 废止: repealed.
    Repealed,
}

/// How an entry came to be public (公开属性).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Disclosure {
    /// 主动公开.
    #[default]
    Proactive,
    /// 依申请公开.
    OnRequest,
}

impl Level {
    /// Every level, in display order.
    pub const ALL: [Level; 2] = [Level::Township, Level::Village];

    /// The code used in the file and in the URL hash.
    pub fn code(self) -> &'static str {
        match self {
            Level::Township => "township",
            Level::Village => "village",
        }
    }

    /// Reads a code or its Chinese name.
    pub fn from_code(text: &str) -> Option<Level> {
        match text.trim() {
            "township" | "乡镇级" | "乡镇" => Some(Level::Township),
            "village" | "村级" | "村" => Some(Level::Village),
            _ => None,
        }
    }

    /// The name citizens see.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            Level::Township => lang.say("乡镇级", "鄉鎮級", "Township"),
            Level::Village => lang.say("村级", "村級", "Village"),
        }
    }
}

impl Validity {
    /// Every value, in display order.
    pub const ALL: [Validity; 3] = [Validity::Valid, Validity::Expired, Validity::Repealed];

    /// The code used in the file and in the URL hash.
    pub fn code(self) -> &'static str {
        match self {
            Validity::Valid => "valid",
            Validity::Expired => "expired",
            Validity::Repealed => "repealed",
        }
    }

    /// Reads a code or its Chinese name.
    pub fn from_code(text: &str) -> Option<Validity> {
        match text.trim() {
            "valid" | "有效" => Some(Validity::Valid),
            "expired" | "失效" => Some(Validity::Expired),
            "repealed" | "废止" => Some(Validity::Repealed),
            _ => None,
        }
    }

    /// The name citizens see.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            Validity::Valid => lang.say("有效", "有效", "In force"),
            Validity::Expired => lang.say("失效", "失效", "Expired"),
            Validity::Repealed => lang.say("废止", "廢止", "Repealed"),
        }
    }
}

impl Disclosure {
    /// Reads a code or its Chinese name.
    pub fn from_code(text: &str) -> Option<Disclosure> {
        match text.trim() {
            "proactive" | "主动公开" => Some(Disclosure::Proactive),
            "on_request" | "依申请公开" => Some(Disclosure::OnRequest),
            _ => None,
        }
    }

    /// The name citizens see.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            Disclosure::Proactive => lang.say("主动公开", "主動公開", "Proactive"),
            Disclosure::OnRequest => lang.say("依申请公开", "依申請公開", "On request"),
        }
    }
}

/// The names of a category and its ancestors in `categories` (parents
/// before children), from the top.
pub fn path_of(categories: &[Category], position: usize) -> Vec<&str> {
    let mut path = Vec::new();
    let mut at = Some(position);
    while let Some(i) = at {
        path.push(categories[i].name.as_str());
        at = categories[i].parent;
    }
    path.reverse();
    path
}

impl Catalogue {
    /// Reads a catalogue file. `file` names it in messages (its URL or path).
    ///
    /// Whole-file problems (empty, not UTF-8, not JSON, an unknown schema
    /// version, a missing member) are an error; entries and categories with a
    /// problem are left out and listed in [`Catalogue::skipped`].
    pub fn parse(file: &str, bytes: &[u8]) -> Result<Catalogue, CatalogueError> {
        Ok(Reader::new(file, Catalogue::text(file, bytes)?)?.finish())
    }

    /// The text of a catalogue file, the first step of [`Catalogue::parse`]:
    /// a byte-order mark is dropped; an empty file or one that is not UTF-8
    /// is an error. Then [`Reader::new`], [`Reader::read`] and
    /// [`Reader::finish`] do the rest in steps.
    pub fn text<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, CatalogueError> {
        parse::text(file, bytes)
    }

    /// A catalogue of a site and its category tree, without entries: what
    /// a published bundle's manifest gives before any entry is fetched.
    pub fn tree_only(site: Site, categories: Vec<Category>) -> Catalogue {
        let category_index = categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        Catalogue {
            site,
            categories,
            items: Vec::new(),
            skipped: Vec::new(),
            category_index,
            item_index: HashMap::new(),
            newest_first: Vec::new(),
        }
    }

    fn assemble(
        site: Site,
        categories: Vec<Category>,
        category_index: HashMap<String, usize>,
        items: Vec<Item>,
        item_index: HashMap<String, usize>,
        skipped: Vec<Skipped>,
    ) -> Catalogue {
        let mut newest_first: Vec<usize> = (0..items.len()).collect();
        crate::sort::indices(&mut newest_first, &|a, b| {
            items[b].published.cmp(&items[a].published).then(a.cmp(&b))
        });
        Catalogue {
            site,
            categories,
            items,
            skipped,
            category_index,
            item_index,
            newest_first,
        }
    }

    /// The entry with this index number.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.item_index.get(id).map(|&i| &self.items[i])
    }

    /// The index of the category with this id.
    pub fn category_position(&self, id: &str) -> Option<usize> {
        self.category_index.get(id).copied()
    }

    /// The category an entry sits in.
    pub fn category_of(&self, item: &Item) -> &Category {
        &self.categories[item.category]
    }

    /// The category and its ancestors' names from the top, e.g.
    /// `["法定主动公开内容", "财政预决算"]`.
    pub fn category_path(&self, position: usize) -> Vec<&str> {
        // Not `path_of`: the widget's module is smaller with this here.
        let mut path = Vec::new();
        let mut at = Some(position);
        while let Some(i) = at {
            path.push(self.categories[i].name.as_str());
            at = self.categories[i].parent;
        }
        path.reverse();
        path
    }

    /// The entries' indexes ordered by publication date, newest first (file
    /// order among equal dates).
    pub fn newest_first(&self) -> &[usize] {
        &self.newest_first
    }

    /// For each category, whether it is `position` or below it.
    pub fn subtree(&self, position: usize) -> Vec<bool> {
        let mut inside = vec![false; self.categories.len()];
        inside[position] = true;
        // Parents come before children, so one pass settles every node.
        for (i, category) in self.categories.iter().enumerate().skip(position + 1) {
            if let Some(parent) = category.parent {
                inside[i] = inside[parent];
            }
        }
        inside
    }

    /// How many entries each category holds, counting its descendants'.
    pub fn category_counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.categories.len()];
        for item in &self.items {
            counts[item.category] += 1;
        }
        // Children come after parents: adding from the end rolls counts up.
        for i in (0..self.categories.len()).rev() {
            if let Some(parent) = self.categories[i].parent {
                counts[parent] += counts[i];
            }
        }
        counts
    }
}
