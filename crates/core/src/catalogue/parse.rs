//! The tolerant reader of `xxgk-catalogue/1` files.
//!
//! The whole text is read as JSON first (see [`crate::json`]): a syntax
//! error anywhere is a whole-file error with its line and column. Then each
//! entry is checked on its own, in batches ([`Reader`]), every member accepting any JSON type, so
//! that a wrong type becomes a problem of that entry and never a failure of
//! the file.

use super::error::{CatalogueError, Expected, Field, ItemProblem, Skipped, SkippedPlace};
use super::{
    check_entry_id, Attachment, Catalogue, Category, Disclosure, Item, Level, Site, Validity,
    SCHEMA,
};
use crate::json::{self, Json};
use crate::link::LinkProblem;
use crate::{Date, Link};
use std::borrow::Cow;
use std::collections::HashMap;

type Members<'a> = Vec<(Cow<'a, str>, Json<'a>)>;

/// Checks the encoding: strips a byte-order mark, refuses an empty file and
/// one that is not UTF-8.
pub(super) fn text<'a>(file: &str, bytes: &'a [u8]) -> Result<&'a str, CatalogueError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(CatalogueError::Empty {
            file: file.to_owned(),
        });
    }
    std::str::from_utf8(bytes).map_err(|e| CatalogueError::NotUtf8 {
        file: file.to_owned(),
        offset: e.valid_up_to(),
    })
}

/// A catalogue being read: the whole file is JSON and its header (schema,
/// site, category tree) is read; the entries are read in batches by
/// [`Reader::read`], so that a browser can let other work run between
/// batches.
pub struct Reader<'a> {
    site: Site,
    categories: Vec<Category>,
    category_index: HashMap<String, usize>,
    entries: std::iter::Enumerate<std::vec::IntoIter<Json<'a>>>,
    items: Vec<Item>,
    item_index: HashMap<String, usize>,
    // Where each kept entry sat in the file, for naming the first of two
    // entries that share an index number.
    positions: Vec<usize>,
    skipped: Vec<Skipped>,
}

impl<'a> Reader<'a> {
    /// Reads `text` as JSON and checks and reads everything but the entries.
    /// `file` names the file in messages.
    pub fn new(file: &str, text: &'a str) -> Result<Reader<'a>, CatalogueError> {
        let file = file.to_owned();
        let top = json::parse_to_depth(text, 2).map_err(|e| CatalogueError::NotJson {
            file: file.clone(),
            line: e.line,
            column: e.column,
            detail: e.reason.to_owned(),
        })?;
        let Json::Object(mut top) = top else {
            return Err(CatalogueError::NotAnObject { file });
        };

        let schema = match take(&mut top, "schema") {
            None => return Err(CatalogueError::MissingSchema { file }),
            Some(Json::String(schema)) => schema.into_owned(),
            Some(Json::Number(number)) => number.to_owned(),
            Some(_) => String::from("?"),
        };
        if schema.trim() != SCHEMA {
            return Err(CatalogueError::UnknownSchema {
                file,
                found: schema,
            });
        }
        let bad = |member, expected| CatalogueError::BadMember {
            file: file.clone(),
            member,
            expected,
        };

        let Some(Json::Object(mut site)) = take(&mut top, "site") else {
            return Err(bad("site", Expected::Object));
        };
        let text_of = |value: Option<Json>| match value.map(built) {
            Some(Json::String(text)) => non_blank(&text),
            _ => None,
        };
        let site = Site {
            name: text_of(take(&mut site, "name"))
                .ok_or_else(|| bad("site.name", Expected::Text))?,
            region: text_of(take(&mut site, "region")),
            updated: text_of(take(&mut site, "updated")).and_then(|d| Date::parse(&d)),
        };

        let Some(Json::Array(tree)) = take(&mut top, "categories") else {
            return Err(bad("categories", Expected::List));
        };
        let mut skipped = Vec::new();
        let mut flat = Tree::default();
        flat.flatten(tree, None, "categories", &mut skipped);

        let Some(Json::Array(entries)) = take(&mut top, "items") else {
            return Err(bad("items", Expected::List));
        };
        Ok(Reader {
            site,
            categories: flat.categories,
            category_index: flat.index,
            items: Vec::with_capacity(entries.len()),
            item_index: HashMap::with_capacity(entries.len()),
            positions: Vec::with_capacity(entries.len()),
            entries: entries.into_iter().enumerate(),
            skipped,
        })
    }

    /// Reads up to `count` more entries; `false` once all are read.
    pub fn read(&mut self, count: usize) -> bool {
        for (i, entry) in self.entries.by_ref().take(count) {
            let position = i + 1;
            match item(built(entry), &self.site, &self.category_index) {
                Ok(item) => {
                    if let Some(&first) = self.item_index.get(&item.id) {
                        self.skipped.push(Skipped {
                            place: SkippedPlace::Item(position),
                            id: Some(item.id),
                            problems: vec![ItemProblem::DuplicateId {
                                first: SkippedPlace::Item(self.positions[first]),
                            }],
                        });
                    } else {
                        self.item_index.insert(item.id.clone(), self.items.len());
                        self.positions.push(position);
                        self.items.push(item);
                    }
                }
                Err((id, problems)) => self.skipped.push(Skipped {
                    place: SkippedPlace::Item(position),
                    id,
                    problems,
                }),
            }
        }
        self.entries.len() > 0
    }

    /// The catalogue, once every entry is read (any left unread are read
    /// now).
    pub fn finish(mut self) -> Catalogue {
        while self.read(usize::MAX) {}
        Catalogue::assemble(
            self.site,
            self.categories,
            self.category_index,
            self.items,
            self.item_index,
            self.skipped,
        )
    }
}

/// A value kept as checked text by the first reading, built now.
fn built(value: Json) -> Json {
    match value {
        // The text was checked when the file was read, so it cannot fail.
        Json::Raw(text) => json::parse(text).unwrap_or(Json::Null),
        value => value,
    }
}

/// Removes the member `key` from an object (the last, if repeated).
fn take<'a>(members: &mut Members<'a>, key: &str) -> Option<Json<'a>> {
    let at = members.iter().rposition(|(k, _)| k == key)?;
    Some(members.swap_remove(at).1)
}

/// The category tree being flattened: nodes in depth-first order, their
/// ids, and their paths in the file for naming duplicates.
#[derive(Default)]
struct Tree {
    categories: Vec<Category>,
    index: HashMap<String, usize>,
    paths: Vec<String>,
}

impl Tree {
    fn flatten(
        &mut self,
        nodes: Vec<Json>,
        parent: Option<usize>,
        path: &str,
        skipped: &mut Vec<Skipped>,
    ) {
        let depth = parent.map_or(0, |p| self.categories[p].depth + 1);
        for (i, node) in nodes.into_iter().enumerate() {
            let node = built(node);
            let here = if parent.is_some() {
                format!("{path}.children[{i}]")
            } else {
                format!("{path}[{i}]")
            };
            let Json::Object(mut node) = node else {
                skipped.push(Skipped {
                    place: SkippedPlace::Category(here),
                    id: None,
                    problems: vec![ItemProblem::NotAnObject],
                });
                continue;
            };
            let mut check = Check::default();
            let id = check.required(Field::Id, take(&mut node, "id"));
            let name = check.required(Field::Name, take(&mut node, "name"));
            let children = match take(&mut node, "children") {
                None | Some(Json::Null) => Vec::new(),
                Some(Json::Array(children)) => children,
                Some(_) => {
                    check
                        .problems
                        .push(ItemProblem::WrongType(Field::Children, Expected::List));
                    Vec::new()
                }
            };
            if let Some(&first) = id.as_ref().and_then(|id| self.index.get(id)) {
                check.problems.push(ItemProblem::DuplicateId {
                    first: SkippedPlace::Category(self.paths[first].clone()),
                });
            }
            match (id, name) {
                (Some(id), Some(name)) if check.problems.is_empty() => {
                    let position = self.categories.len();
                    self.index.insert(id.clone(), position);
                    self.categories.push(Category {
                        id,
                        name,
                        parent,
                        depth,
                    });
                    self.paths.push(here.clone());
                    self.flatten(children, Some(position), &here, skipped);
                }
                (id, _) => skipped.push(Skipped {
                    place: SkippedPlace::Category(here),
                    id,
                    problems: check.problems,
                }),
            }
        }
    }
}

/// An entry's members as written, each of any JSON type.
#[derive(Default)]
struct RawItem<'a> {
    id: Option<Json<'a>>,
    title: Option<Json<'a>>,
    publisher: Option<Json<'a>>,
    level: Option<Json<'a>>,
    village: Option<Json<'a>>,
    doc_number: Option<Json<'a>>,
    written: Option<Json<'a>>,
    published: Option<Json<'a>>,
    category: Option<Json<'a>>,
    topic: Option<Json<'a>>,
    genre: Option<Json<'a>>,
    keywords: Option<Json<'a>>,
    validity: Option<Json<'a>>,
    disclosure: Option<Json<'a>>,
    summary: Option<Json<'a>>,
    body: Option<Json<'a>>,
    link: Option<Json<'a>>,
    attachments: Option<Json<'a>>,
}

impl<'a> RawItem<'a> {
    /// Sorts an object's members into fields; a member given twice is a
    /// problem, unknown members are ignored.
    fn from_members(members: Members<'a>, problems: &mut Vec<ItemProblem>) -> RawItem<'a> {
        let mut raw = RawItem::default();
        for (key, value) in members {
            let slot = match &*key {
                "id" => &mut raw.id,
                "title" => &mut raw.title,
                "publisher" => &mut raw.publisher,
                "level" => &mut raw.level,
                "village" => &mut raw.village,
                "doc_number" => &mut raw.doc_number,
                "written" => &mut raw.written,
                "published" => &mut raw.published,
                "category" => &mut raw.category,
                "topic" => &mut raw.topic,
                "genre" => &mut raw.genre,
                "keywords" => &mut raw.keywords,
                "validity" => &mut raw.validity,
                "disclosure" => &mut raw.disclosure,
                "summary" => &mut raw.summary,
                "body" => &mut raw.body,
                "link" => &mut raw.link,
                "attachments" => &mut raw.attachments,
                _ => continue,
            };
            if slot.is_some() {
                problems.push(ItemProblem::Repeated(key.into_owned()));
            }
            *slot = Some(value);
        }
        raw
    }
}

type ItemFailure = (Option<String>, Vec<ItemProblem>);

fn item(
    entry: Json,
    site: &Site,
    categories: &HashMap<String, usize>,
) -> Result<Item, ItemFailure> {
    let Json::Object(members) = entry else {
        return Err((None, vec![ItemProblem::NotAnObject]));
    };
    let mut check = Check::default();
    let raw = RawItem::from_members(members, &mut check.problems);
    let id = check
        .required(Field::Id, raw.id)
        .and_then(|id| match check_entry_id(&id) {
            Ok(()) => Some(id),
            Err(_) => {
                check
                    .problems
                    .push(ItemProblem::WrongType(Field::Id, Expected::EntryId));
                None
            }
        });
    let title = check.required(Field::Title, raw.title);
    let publisher = check
        .text(Field::Publisher, raw.publisher)
        .unwrap_or_else(|| site.name.clone());
    let level = check
        .choice(Field::Level, raw.level, Level::from_code)
        .unwrap_or_default();
    let village = check.text(Field::Village, raw.village);
    let doc_number = check.text(Field::DocNumber, raw.doc_number);
    let written = check
        .text(Field::Written, raw.written)
        .and_then(|t| check.date(Field::Written, t));
    let published = check
        .required(Field::Published, raw.published)
        .and_then(|t| check.date(Field::Published, t));
    let category = check.required(Field::Category, raw.category).and_then(|c| {
        match categories.get(c.as_str()) {
            Some(&position) => Some(position),
            None => {
                check.problems.push(ItemProblem::UnknownCategory(c));
                None
            }
        }
    });
    let topic = check.text(Field::Topic, raw.topic);
    let genre = check.text(Field::Genre, raw.genre);
    let keywords = check.keywords(raw.keywords);
    let validity = check
        .choice(Field::Validity, raw.validity, Validity::from_code)
        .unwrap_or_default();
    let disclosure = check
        .choice(Field::Disclosure, raw.disclosure, Disclosure::from_code)
        .unwrap_or_default();
    let summary = check.text(Field::Summary, raw.summary);
    let body = check.text(Field::Body, raw.body);
    let link = check
        .text(Field::Link, raw.link)
        .and_then(|l| check.link(Field::Link, l));
    let attachments = check.attachments(raw.attachments);

    match (id, title, published, category) {
        (Some(id), Some(title), Some(published), Some(category)) if check.problems.is_empty() => {
            Ok(Item {
                id,
                title,
                publisher,
                level,
                village,
                doc_number,
                written,
                published,
                category,
                topic,
                genre,
                keywords,
                validity,
                disclosure,
                summary,
                body,
                link,
                attachments,
            })
        }
        (id, ..) => Err((id, check.problems)),
    }
}

/// Collects an entry's problems while its fields are read.
#[derive(Default)]
struct Check {
    problems: Vec<ItemProblem>,
}

impl Check {
    /// An optional text field, trimmed; blank or `null` counts as absent.
    /// A number is taken as its text as written (spreadsheets export index
    /// numbers as numbers).
    fn text(&mut self, field: Field, value: Option<Json>) -> Option<String> {
        match value? {
            Json::String(text) => non_blank_cow(text),
            Json::Number(number) => Some(number.to_owned()),
            Json::Null => None,
            Json::Bool(_) | Json::Array(_) | Json::Object(_) | Json::Raw(_) => {
                self.problems
                    .push(ItemProblem::WrongType(field, Expected::Text));
                None
            }
        }
    }

    /// A required text field.
    fn required(&mut self, field: Field, value: Option<Json>) -> Option<String> {
        let problems = self.problems.len();
        let text = self.text(field, value);
        if text.is_none() && self.problems.len() == problems {
            self.problems.push(ItemProblem::Missing(field));
        }
        text
    }

    fn date(&mut self, field: Field, text: String) -> Option<Date> {
        let date = Date::parse(&text);
        if date.is_none() {
            self.problems.push(ItemProblem::BadDate(field, text));
        }
        date
    }

    fn choice<T>(
        &mut self,
        field: Field,
        value: Option<Json>,
        read: fn(&str) -> Option<T>,
    ) -> Option<T> {
        let text = self.text(field, value)?;
        let choice = read(&text);
        if choice.is_none() {
            self.problems.push(ItemProblem::BadValue(field, text));
        }
        choice
    }

    fn link(&mut self, field: Field, text: String) -> Option<Link> {
        match Link::parse(&text) {
            Ok(link) => Some(link),
            Err(LinkProblem::Empty) => None,
            Err(LinkProblem::Scheme(_)) => {
                self.problems.push(ItemProblem::UnsafeLink(field, text));
                None
            }
        }
    }

    fn keywords(&mut self, value: Option<Json>) -> Vec<String> {
        match value {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::String(text)) => text
                .split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
                .filter_map(non_blank)
                .collect(),
            Some(Json::Array(words)) if words.iter().all(|w| matches!(w, Json::String(_))) => words
                .iter()
                .filter_map(Json::as_str)
                .filter_map(non_blank)
                .collect(),
            Some(_) => {
                self.problems.push(ItemProblem::WrongType(
                    Field::Keywords,
                    Expected::TextOrList,
                ));
                Vec::new()
            }
        }
    }

    fn attachments(&mut self, value: Option<Json>) -> Vec<Attachment> {
        let files = match value {
            None | Some(Json::Null) => return Vec::new(),
            Some(Json::Array(files)) => files,
            Some(_) => {
                self.problems
                    .push(ItemProblem::WrongType(Field::Attachments, Expected::List));
                return Vec::new();
            }
        };
        let mut attachments = Vec::with_capacity(files.len());
        for (i, file) in files.into_iter().enumerate() {
            let n = i + 1;
            let Json::Object(mut file) = file else {
                self.problems.push(ItemProblem::WrongType(
                    Field::AttachmentName(n),
                    Expected::Object,
                ));
                continue;
            };
            let name = self.required(Field::AttachmentName(n), take(&mut file, "name"));
            let url = self
                .required(Field::AttachmentUrl(n), take(&mut file, "url"))
                .and_then(|url| self.link(Field::AttachmentUrl(n), url));
            let size = match take(&mut file, "size") {
                None | Some(Json::Null) => None,
                Some(Json::Number(n)) if n.parse::<u64>().is_ok() => n.parse().ok(),
                Some(_) => {
                    self.problems.push(ItemProblem::WrongType(
                        Field::AttachmentSize(n),
                        Expected::Bytes,
                    ));
                    None
                }
            };
            if let (Some(name), Some(url)) = (name, url) {
                attachments.push(Attachment { name, url, size });
            }
        }
        attachments
    }
}

/// Like [`non_blank`], keeping the allocation of an already unescaped
/// string (most full texts have escaped line breaks) when it needs no trim.
fn non_blank_cow(text: Cow<str>) -> Option<String> {
    match text {
        Cow::Owned(text) if text.trim().len() == text.len() => (!text.is_empty()).then_some(text),
        text => non_blank(&text),
    }
}

fn non_blank(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}
