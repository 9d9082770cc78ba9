//! Reading a bundle: the manifest, the directory, pages of entries and
//! single entries.

use super::codec::{is_tag, list, named, tag, Bytes};
use super::{both, id_buckets, Files, Gather, Wait, DETAIL_GROUP, FIRST_ROWS, LIST_SHARD, SCHEMA};
use crate::json::{self, Json};
use crate::search::postings::Bits;
use crate::{Catalogue, Category, Date, Facets, Item, Level, Order, Site, Validity, View};
use std::cell::OnceCell;

/// An entry as lists show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Its number in the bundle (oldest first).
    pub n: u32,
    /// 索引号.
    pub id: String,
    /// 名称.
    pub title: String,
    /// 发布机构.
    pub publisher: String,
    /// 发布日期.
    pub published: Date,
    /// 文号.
    pub doc_number: Option<String>,
    /// 层级.
    pub level: Level,
    /// The village of a village-level entry.
    pub village: Option<String>,
    /// 有效性.
    pub validity: Validity,
}

/// One page of a view.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    /// Entries that pass the filters.
    pub total: usize,
    /// The page shown, from 1, clamped to the pages there are.
    pub page: usize,
    /// How many pages (at least 1).
    pub pages: usize,
    /// The page's entries.
    pub rows: Vec<Row>,
}

/// One entry in full.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Its number in the bundle.
    pub n: u32,
    /// The entry; its category is a position in [`Manifest::categories`].
    pub item: Item,
}

/// What the manifest says: enough for the first view.
#[derive(Clone, Debug)]
pub struct Manifest {
    /// Who publishes the catalogue.
    pub site: Site,
    /// How many entries.
    pub entries: usize,
    /// The category tree, parents first.
    pub categories: Vec<Category>,
    /// The filter menus' values and the category counts, as
    /// [`Facets::of`] gives them for the whole catalogue.
    pub facets: Facets,
    /// How many entries each filter value has, in the order of `facets`.
    pub year_counts: Vec<usize>,
    /// Entries per publisher.
    pub publisher_counts: Vec<usize>,
    /// The newest entries, newest first.
    pub first: Vec<Row>,
    /// The detail shards of the newest entries: their group, their tag
    /// and their listing shard's tag (which names them).
    first_details: Vec<(usize, String, String)>,
    /// What publishing left out: the message in Chinese and in English.
    pub skipped: Vec<(String, String)>,
    directory: String,
}

/// Where the shards are; fetched once, after the first view.
#[derive(Clone, Debug)]
pub(crate) struct Directory {
    lists: String,
    ids: String,
    /// Per filter, a tag per value (in the manifest's order).
    facets: [Vec<String>; 7],
    pub(crate) generation: String,
    pub(crate) terms: u32,
    pub(crate) places: u32,
}

/// The filters, as the directory lists their postings.
#[derive(Clone, Copy)]
enum Facet {
    Category,
    Year,
    Publisher,
    Village,
    Genre,
    Level,
    Validity,
}

const FACET_NAMES: [&str; 7] = [
    "category",
    "year",
    "publisher",
    "village",
    "genre",
    "level",
    "validity",
];

fn number(value: Option<&Json>) -> Option<usize> {
    match value? {
        Json::Number(text) => text.parse().ok(),
        _ => None,
    }
}

fn text<'j>(value: Option<&'j Json>) -> Option<&'j str> {
    value?.as_str()
}

fn array<'j, 'a>(value: Option<&'j Json<'a>>) -> Option<&'j [Json<'a>]> {
    match value? {
        Json::Array(items) => Some(items),
        _ => None,
    }
}

impl Row {
    /// The row of a catalogue entry, numbered `n`.
    pub fn of(n: u32, item: &Item) -> Row {
        Row {
            n,
            id: item.id.clone(),
            title: item.title.clone(),
            publisher: item.publisher.clone(),
            published: item.published,
            doc_number: item.doc_number.clone(),
            level: item.level,
            village: item.village.clone(),
            validity: item.validity,
        }
    }
}

/// Reads a listing row (see `write::row`).
pub(crate) fn read_row(n: u32, value: &Json) -> Option<Row> {
    let parts = array(Some(value))?;
    let part = |i: usize| text(parts.get(i));
    let scope = part(5)?;
    let (level, village) = match scope {
        "" => (Level::Township, None),
        "v" => (Level::Village, None),
        other => (Level::Village, Some(other.strip_prefix("v:")?.to_owned())),
    };
    Some(Row {
        n,
        id: part(0)?.to_owned(),
        title: part(1)?.to_owned(),
        publisher: part(2)?.to_owned(),
        published: Date::parse(part(3)?)?,
        doc_number: Some(part(4)?).filter(|d| !d.is_empty()).map(str::to_owned),
        level,
        village,
        validity: *Validity::ALL.get(number(parts.get(6))?)?,
    })
}

/// `(value, count)` pairs.
fn counted(value: Option<&Json>) -> Option<Vec<(String, usize)>> {
    array(value)?
        .iter()
        .map(|pair| {
            let pair = array(Some(pair))?;
            Some((text(pair.first())?.to_owned(), number(pair.get(1))?))
        })
        .collect()
}

impl Manifest {
    /// Reads `index.json`; `None` if it is not a bundle manifest this
    /// version reads.
    pub fn read(bytes: &[u8]) -> Option<Manifest> {
        let text_of = std::str::from_utf8(bytes).ok()?;
        let root = json::parse(text_of).ok()?;
        if text(root.get("schema")) != Some(SCHEMA) {
            return None;
        }
        let site = root.get("site")?;
        let site = Site {
            name: text(site.get("name"))?.to_owned(),
            region: text(site.get("region")).map(str::to_owned),
            updated: text(site.get("updated")).and_then(Date::parse),
        };
        // Entries are numbered in 32 bits.
        let entries = number(root.get("entries")).filter(|&n| u32::try_from(n).is_ok())?;
        let mut categories: Vec<Category> = Vec::new();
        let mut category_counts = Vec::new();
        let mut ids = std::collections::HashSet::new();
        for node in array(root.get("categories"))? {
            let parent = match node.get("parent")? {
                Json::Null => None,
                // Parents come first: a parent further on, or the node
                // itself, is no tree.
                _ => Some(number(node.get("parent")?.into()).filter(|&p| p < categories.len())?),
            };
            if !ids.insert(text(node.get("id"))?) {
                return None;
            }
            categories.push(Category {
                id: text(node.get("id"))?.to_owned(),
                name: text(node.get("name"))?.to_owned(),
                parent,
                depth: parent.map_or(0, |p| categories[p].depth + 1),
            });
            category_counts.push(number(node.get("count"))?);
        }
        let years = counted(root.get("years"))?;
        let publishers = counted(root.get("publishers"))?;
        let villages = counted(root.get("villages"))?;
        let genres = counted(root.get("genres"))?;
        let levels = counted(root.get("levels"))?;
        // Every entry has one year, one publisher and one level: counts
        // that do not add up are not this catalogue's.
        for counts in [&years, &publishers, &levels] {
            let sum = counts
                .iter()
                .try_fold(0usize, |sum, (_, n)| sum.checked_add(*n))?;
            if sum != entries {
                return None;
            }
        }
        let first: Vec<Row> = array(root.get("first"))
            .filter(|rows| rows.len() <= FIRST_ROWS)?
            .iter()
            .enumerate()
            .map(|(i, row)| read_row(entries.checked_sub(i + 1)? as u32, row))
            .collect::<Option<_>>()?;
        let tag_at =
            |of: &[Json], at: usize| Some(text(of.get(at)).filter(|t| is_tag(t))?.to_owned());
        let first_details: Vec<(usize, String, String)> = array(root.get("firstDetails"))?
            .iter()
            .map(|three| {
                let three = array(Some(three))?;
                Some((number(three.first())?, tag_at(three, 1)?, tag_at(three, 2)?))
            })
            .collect::<Option<_>>()?;
        // The last detail shards, in order.
        let groups = entries.div_ceil(DETAIL_GROUP);
        let from = groups.checked_sub(first_details.len())?;
        if first_details
            .iter()
            .zip(from..)
            .any(|((g, _, _), want)| *g != want)
        {
            return None;
        }
        // `x/` and a tag: a name in the bundle, whatever the manifest says.
        let directory = text(root.get("directory"))?;
        let tag = directory.strip_prefix("x/")?.strip_suffix(".json")?;
        if !is_tag(tag) {
            return None;
        }
        let skipped = array(root.get("skipped"))?
            .iter()
            .map(|s| Some((text(s.get("zh"))?.to_owned(), text(s.get("en"))?.to_owned())))
            .collect::<Option<_>>()?;
        let facets = Facets {
            years: years
                .iter()
                .map(|(y, _)| y.parse().ok())
                .collect::<Option<_>>()?,
            publishers: publishers.iter().map(|(p, _)| p.clone()).collect(),
            villages: villages.iter().map(|(v, _)| v.clone()).collect(),
            genres: genres.iter().map(|(g, _)| g.clone()).collect(),
            has_villages: levels
                .iter()
                .any(|(l, n)| l == Level::Village.code() && *n > 0),
            category_counts,
        };
        Some(Manifest {
            site,
            entries,
            categories,
            facets,
            year_counts: years.iter().map(|(_, n)| *n).collect(),
            publisher_counts: publishers.iter().map(|(_, n)| *n).collect(),
            first,
            first_details,
            skipped,
            directory: directory.to_owned(),
        })
    }

    /// The page a view asks for, if the manifest's newest entries are it:
    /// the default view (newest first, no filter nor category) on a page
    /// they cover. The view's query is not looked at.
    pub fn first_page(&self, view: &View, page_size: usize) -> Option<Page> {
        let page_size = page_size.max(1);
        let plain = view.active_filters() == 0
            && view.category.is_none()
            && view.order == Order::NewestFirst;
        let pages = self.entries.div_ceil(page_size).max(1);
        let page = view.page.clamp(1, pages);
        // Every entry is in the manifest of a small catalogue.
        let all = self.first.len() == self.entries;
        if !plain || (!all && page * page_size > self.first.len()) {
            return None;
        }
        let from = ((page - 1) * page_size).min(self.first.len());
        let rows = self.first[from..(from + page_size).min(self.first.len())].to_vec();
        Some(Page {
            total: self.entries,
            page,
            pages,
            rows,
        })
    }

    /// The category and its ancestors' names from the top.
    pub fn category_path(&self, position: usize) -> Vec<&str> {
        crate::catalogue::path_of(&self.categories, position)
    }
}

impl Directory {
    /// Reads the directory of the bundle `manifest` describes: a shard's
    /// tag for every 32 entries, an index-number bucket's for every 256,
    /// a facet list's for every filter value of the manifest, search
    /// buckets (at least one of each kind). A directory that does not fit
    /// the manifest is `None`, so that what is read with it (one bit or
    /// more per entry) is as big as the files that say so.
    fn read(bytes: &[u8], manifest: &Manifest) -> Option<Directory> {
        let root = json::parse(std::str::from_utf8(bytes).ok()?).ok()?;
        let facets = root.get("facets")?;
        let facet_values = [
            manifest.categories.len(),
            manifest.facets.years.len(),
            manifest.facets.publishers.len(),
            manifest.facets.villages.len(),
            manifest.facets.genres.len(),
            Level::ALL.len(),
            Validity::ALL.len(),
        ];
        let mut lists: [Vec<String>; 7] = Default::default();
        for (i, name) in FACET_NAMES.iter().enumerate() {
            lists[i] = array(facets.get(name))?
                .iter()
                .map(|t| text(Some(t)).filter(|t| is_tag(t)).map(str::to_owned))
                .collect::<Option<_>>()?;
            if lists[i].len() != facet_values[i] {
                return None;
            }
        }
        let search = root.get("search")?;
        let tags = |key: &str, count: usize| {
            let tags = text(root.get(key))?;
            let hex = tags.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
            (hex && Some(tags.len()) == count.checked_mul(12)).then(|| tags.to_owned())
        };
        let buckets = |key: &str| {
            number(search.get(key))
                .and_then(|n| u32::try_from(n).ok())
                .filter(|&n| n > 0)
        };
        let entries = manifest.entries;
        Some(Directory {
            lists: tags("lists", entries.div_ceil(LIST_SHARD))?,
            ids: tags("ids", id_buckets(entries) as usize)?,
            facets: lists,
            generation: text(search.get("generation"))
                .filter(|g| is_tag(g))?
                .to_owned(),
            terms: buckets("terms")?,
            places: buckets("places")?,
        })
    }

    /// The path of listing shard `shard`.
    fn list(&self, shard: usize) -> Option<String> {
        Some(format!("l/{shard}-{}.json", self.list_tag(shard)?))
    }

    /// The tag of listing shard `shard`, which also names its detail
    /// shards.
    fn list_tag(&self, shard: usize) -> Option<&str> {
        self.lists.get(shard * 12..shard * 12 + 12)
    }

    fn ids(&self, bucket: usize) -> Option<String> {
        let tag = self.ids.get(bucket * 12..bucket * 12 + 12)?;
        Some(format!("i/{bucket}-{tag}.json"))
    }

    fn facet(&self, facet: Facet, value: usize) -> Option<String> {
        Some(format!("f/{}.bin", self.facets[facet as usize].get(value)?))
    }
}

/// Page `page` of `matches`, kept within the pages there are: its number,
/// the number of pages, and the entries it shows.
pub(crate) fn shown(matches: &[u32], page: usize, page_size: usize) -> (usize, usize, Vec<u32>) {
    let pages = matches.len().div_ceil(page_size).max(1);
    let page = page.clamp(1, pages);
    let start = (page - 1) * page_size;
    let shown = matches[start.min(matches.len())..]
        .iter()
        .take(page_size)
        .copied()
        .collect();
    (page, pages, shown)
}

/// Answers views, entries and searches from a bundle's files.
pub struct Reader {
    /// The manifest.
    pub manifest: Manifest,
    directory: OnceCell<Directory>,
}

/// A listing shard, read.
struct Shard {
    rows: Vec<Row>,
    details: Vec<String>,
}

fn corrupt(path: &str) -> Wait {
    Wait::Corrupt(path.to_owned())
}

impl Reader {
    /// A reader of the bundle whose manifest this is.
    pub fn new(manifest: Manifest) -> Reader {
        Reader {
            manifest,
            directory: OnceCell::new(),
        }
    }

    /// The path of the directory, which every question but the first page
    /// needs: worth fetching as soon as the first page is shown.
    pub fn directory_path(&self) -> &str {
        &self.manifest.directory
    }

    pub(crate) fn directory(&self, files: &dyn Files) -> Result<&Directory, Wait> {
        if let Some(directory) = self.directory.get() {
            return Ok(directory);
        }
        let path = &self.manifest.directory;
        let bytes = files
            .get(path)
            .ok_or_else(|| Wait::Fetch(vec![path.clone()]))?;
        if !named(path, bytes) {
            return Err(corrupt(path));
        }
        let directory = Directory::read(bytes, &self.manifest).ok_or_else(|| corrupt(path))?;
        Ok(self.directory.get_or_init(|| directory))
    }

    /// The entries a view's filters and category let through (every entry
    /// when none is set), one bit each.
    pub(crate) fn filtered(&self, files: &dyn Files, view: &View) -> Result<Bits, Wait> {
        let count = self.manifest.entries;
        let facets = &self.manifest.facets;
        let position = |values: &[String], value: &str| values.iter().position(|v| v == value);
        // (facet, value): `None` for a value no entry has.
        let mut wanted: Vec<(Facet, Option<usize>)> = Vec::new();
        if let Some(id) = &view.category {
            // An unknown category reads as every category.
            if let Some(c) = self.manifest.categories.iter().position(|c| c.id == *id) {
                wanted.push((Facet::Category, Some(c)));
            }
        }
        if let Some(year) = view.year {
            wanted.push((Facet::Year, facets.years.iter().position(|&y| y == year)));
        }
        if let Some(publisher) = &view.publisher {
            wanted.push((Facet::Publisher, position(&facets.publishers, publisher)));
        }
        if let Some(level) = view.level {
            wanted.push((Facet::Level, Level::ALL.iter().position(|&l| l == level)));
        }
        if let Some(village) = &view.village {
            wanted.push((Facet::Village, position(&facets.villages, village)));
        }
        if let Some(validity) = view.validity {
            wanted.push((
                Facet::Validity,
                Validity::ALL.iter().position(|&v| v == validity),
            ));
        }
        if let Some(genre) = &view.genre {
            wanted.push((Facet::Genre, position(&facets.genres, genre)));
        }
        // The directory first, even when no list is needed: it vouches for
        // the manifest's count of entries, which the bits are made for.
        let directory = self.directory(files)?;
        let mut bits = Bits::all(count);
        if wanted.is_empty() {
            return Ok(bits);
        }
        let mut gather = Gather::new(files);
        let mut lists = Vec::new();
        for (facet, value) in wanted {
            let Some(value) = value else {
                bits.clear();
                continue;
            };
            let path = directory
                .facet(facet, value)
                .ok_or_else(|| corrupt(&self.manifest.directory))?;
            if let Some(bytes) = gather.get(path.clone()) {
                lists.push((path, bytes));
            }
        }
        gather.check()?;
        for (path, bytes) in lists {
            if !named(&path, bytes) {
                return Err(corrupt(&path));
            }
            let docs = list(&mut Bytes::new(bytes)).map_err(|_| corrupt(&path))?;
            let mut keep = Bits::none(count);
            for doc in docs {
                if doc as usize >= count {
                    return Err(corrupt(&path));
                }
                keep.insert(doc);
            }
            bits.keep(&keep);
        }
        Ok(bits)
    }

    /// The page of entries a view asks for (its query aside), as
    /// [`Catalogue::select`] gives it for the whole catalogue.
    pub fn page(&self, files: &dyn Files, view: &View, page_size: usize) -> Result<Page, Wait> {
        let page_size = page_size.max(1);
        if let Some(page) = self.manifest.first_page(view, page_size) {
            return Ok(page);
        }
        let bits = self.filtered(files, view)?;
        let mut matches: Vec<u32> = bits.iter().collect();
        if view.order == Order::NewestFirst {
            matches.reverse();
        }
        self.page_of(files, &matches, view.page, page_size)
    }

    /// Page `page` of `matches` (entry numbers in the order shown).
    pub(crate) fn page_of(
        &self,
        files: &dyn Files,
        matches: &[u32],
        page: usize,
        page_size: usize,
    ) -> Result<Page, Wait> {
        let (page, pages, shown) = shown(matches, page, page_size);
        let rows = self.rows(files, &shown)?;
        Ok(Page {
            total: matches.len(),
            page,
            pages,
            rows,
        })
    }

    /// The rows of entries `ns`, in that order.
    pub fn rows(&self, files: &dyn Files, ns: &[u32]) -> Result<Vec<Row>, Wait> {
        let shards = self.shards(files, ns)?;
        ns.iter()
            .map(|&n| {
                let (shard, _) = &shards[&(n as usize / LIST_SHARD)];
                shard
                    .rows
                    .get(n as usize % LIST_SHARD)
                    .cloned()
                    .ok_or_else(|| corrupt(&self.manifest.directory))
            })
            .collect()
    }

    /// The listing shards holding entries `ns`, read.
    fn shards(
        &self,
        files: &dyn Files,
        ns: &[u32],
    ) -> Result<std::collections::HashMap<usize, (Shard, String)>, Wait> {
        let mut wanted: Vec<usize> = ns.iter().map(|&n| n as usize / LIST_SHARD).collect();
        wanted.sort_unstable();
        wanted.dedup();
        if wanted.is_empty() {
            return Ok(Default::default());
        }
        let directory = self.directory(files)?;
        let mut gather = Gather::new(files);
        let mut found = Vec::new();
        for &shard in &wanted {
            let path = directory
                .list(shard)
                .ok_or_else(|| corrupt(&self.manifest.directory))?;
            if let Some(bytes) = gather.get(path.clone()) {
                found.push((shard, path, bytes));
            }
        }
        gather.check()?;
        let mut shards = std::collections::HashMap::new();
        for (shard, path, bytes) in found {
            // Every shard but the last holds 32 entries, and a detail
            // shard's tag for every 4.
            let holds = (self.manifest.entries.saturating_sub(shard * LIST_SHARD)).min(LIST_SHARD);
            let read = || -> Option<Shard> {
                if !named(&path, bytes) {
                    return None;
                }
                let root = json::parse(std::str::from_utf8(bytes).ok()?).ok()?;
                let rows: Vec<Row> = array(root.get("rows"))?
                    .iter()
                    .enumerate()
                    .map(|(i, row)| read_row((shard * LIST_SHARD + i) as u32, row))
                    .collect::<Option<_>>()?;
                let details: Vec<String> = array(root.get("details"))?
                    .iter()
                    .map(|t| text(Some(t)).filter(|t| is_tag(t)).map(str::to_owned))
                    .collect::<Option<_>>()?;
                (rows.len() == holds && details.len() == holds.div_ceil(DETAIL_GROUP))
                    .then_some(Shard { rows, details })
            };
            let read = read().ok_or_else(|| corrupt(&path))?;
            shards.insert(shard, (read, path));
        }
        Ok(shards)
    }

    /// The number of the entry with index number `id`; `None` if there is
    /// none.
    pub fn find(&self, files: &dyn Files, id: &str) -> Result<Option<u32>, Wait> {
        if let Some(row) = self.manifest.first.iter().find(|r| r.id == id) {
            return Ok(Some(row.n));
        }
        let directory = self.directory(files)?;
        let bucket = super::codec::bucket(id, id_buckets(self.manifest.entries)) as usize;
        let path = directory
            .ids(bucket)
            .ok_or_else(|| corrupt(&self.manifest.directory))?;
        let bytes = files
            .get(&path)
            .ok_or_else(|| Wait::Fetch(vec![path.clone()]))?;
        let root = std::str::from_utf8(bytes)
            .ok()
            .filter(|_| named(&path, bytes))
            .and_then(|t| json::parse(t).ok())
            .ok_or_else(|| corrupt(&path))?;
        for pair in array(Some(&root)).ok_or_else(|| corrupt(&path))? {
            let (found, n) = array(Some(pair))
                .and_then(|pair| Some((text(pair.first())?, number(pair.get(1))?)))
                .filter(|&(_, n)| n < self.manifest.entries)
                .ok_or_else(|| corrupt(&path))?;
            if found == id {
                return Ok(Some(n as u32));
            }
        }
        Ok(None)
    }

    /// The detail shards of entries `ns`: each entry's path, named by its
    /// listing shard's tag (from the manifest for the newest entries,
    /// else the directory), so that no listing shard is needed to fetch
    /// it.
    fn detail_paths(&self, files: &dyn Files, ns: &[u32]) -> Result<Vec<(u32, String)>, Wait> {
        let path = |n: u32, list: &str| format!("e/{}-{list}.json", n as usize / DETAIL_GROUP);
        if let Some(paths) = ns
            .iter()
            .map(|&n| self.first_detail(n).map(|(_, list)| (n, path(n, list))))
            .collect()
        {
            return Ok(paths);
        }
        let directory = self.directory(files)?;
        ns.iter()
            .map(|&n| {
                let list = directory
                    .list_tag(n as usize / LIST_SHARD)
                    .ok_or_else(|| corrupt(&self.manifest.directory))?;
                Ok((n, path(n, list)))
            })
            .collect()
    }

    /// The tags of entry `n`'s detail shard and of its listing shard, if
    /// the manifest has them.
    fn first_detail(&self, n: u32) -> Option<(&str, &str)> {
        let group = n as usize / DETAIL_GROUP;
        self.manifest
            .first_details
            .iter()
            .find(|(g, _, _)| *g == group)
            .map(|(_, own, list)| (own.as_str(), list.as_str()))
    }

    /// The tags of the detail shards of entries `ns`: what their bytes
    /// must hash to, from the manifest or their listing shards.
    fn detail_tags(&self, files: &dyn Files, ns: &[u32]) -> Result<Vec<String>, Wait> {
        if let Some(tags) = ns
            .iter()
            .map(|&n| self.first_detail(n).map(|(own, _)| own.to_owned()))
            .collect()
        {
            return Ok(tags);
        }
        let shards = self.shards(files, ns)?;
        ns.iter()
            .map(|&n| {
                let (shard, path) = &shards[&(n as usize / LIST_SHARD)];
                let at = n as usize / DETAIL_GROUP
                    - n as usize / LIST_SHARD * (LIST_SHARD / DETAIL_GROUP);
                shard.details.get(at).cloned().ok_or_else(|| corrupt(path))
            })
            .collect()
    }

    /// Entries `ns` in full, in that order. Their detail shards are
    /// fetched with the listing shards that vouch for them, at once.
    pub fn entries(&self, files: &dyn Files, ns: &[u32]) -> Result<Vec<Entry>, Wait> {
        let paths = self.detail_paths(files, ns)?;
        let mut gather = Gather::new(files);
        let found: Vec<_> = paths
            .iter()
            .filter_map(|(n, path)| gather.get(path.clone()).map(|b| (*n, path, b)))
            .collect();
        let (tags, ()) = both(self.detail_tags(files, ns), gather.check())?;
        found
            .into_iter()
            .zip(tags)
            .map(|((n, path, bytes), own)| {
                if tag(bytes) != own {
                    return Err(corrupt(path));
                }
                let shard = Catalogue::parse(path, bytes).map_err(|_| corrupt(path))?;
                // Four entries a shard (fewer in the last), none left out: an
                // entry missing would make the next one read as it.
                let group = n as usize / DETAIL_GROUP * DETAIL_GROUP;
                let holds = self
                    .manifest
                    .entries
                    .saturating_sub(group)
                    .min(DETAIL_GROUP);
                if shard.items.len() != holds || !shard.skipped.is_empty() {
                    return Err(corrupt(path));
                }
                let at = n as usize % DETAIL_GROUP;
                let mut item = shard.items.get(at).cloned().ok_or_else(|| corrupt(path))?;
                let id = &shard.categories[item.category].id;
                item.category = self
                    .manifest
                    .categories
                    .iter()
                    .position(|c| c.id == *id)
                    .ok_or_else(|| corrupt(path))?;
                Ok(Entry { n, item })
            })
            .collect()
    }

    /// The entry with index number `id`, in full; `None` if there is none.
    pub fn entry(&self, files: &dyn Files, id: &str) -> Result<Option<Entry>, Wait> {
        let Some(n) = self.find(files, id)? else {
            return Ok(None);
        };
        let entry = self.entries(files, &[n])?.pop();
        match entry {
            Some(entry) if entry.item.id == id => Ok(Some(entry)),
            // Another entry under this number: the list that gave it is
            // not this bundle's.
            _ => Err(corrupt(&self.id_path(id))),
        }
    }

    /// The file `find` looks `id` up in: the manifest for the newest
    /// entries, else its index-number bucket.
    fn id_path(&self, id: &str) -> String {
        if self.manifest.first.iter().any(|r| r.id == id) {
            return "index.json".into();
        }
        let bucket = super::codec::bucket(id, id_buckets(self.manifest.entries)) as usize;
        self.directory
            .get()
            .and_then(|d| d.ids(bucket))
            .unwrap_or_else(|| self.manifest.directory.clone())
    }

    /// Whether the manifest alone answers `view`'s first page.
    pub fn first_page_in_manifest(&self, page_size: usize) -> bool {
        page_size <= FIRST_ROWS.min(self.manifest.first.len().max(1))
    }
}
