//! What the engine in the Web Worker answers the widget about a bundle:
//! a page of entries (as rows, marked for a search) or one entry in full.
//! Written in the worker, read in the widget, as text.
//!
//! - `L` and a JSON object: `{"total","page","pages","hits"}`, each hit
//!   `[number, row, title marks, excerpt, excerpt marks]`, marks as a flat list of
//!   byte offsets `[start, end, start, end…]`;
//! - `E` and an `xxgk-catalogue/1` file holding the entry and its
//!   category, or `E` alone if there is no entry of that index number;
//! - `!` and what failed: a file could not be fetched or read.

use super::codec::json_string;
use super::read::{read_row, Page};
use super::write::{row, write_item};
use crate::json::{self, Json};
use crate::search::page::{on_one_line, Found, Hit};
use crate::{Catalogue, Category, Item};
use std::fmt::Write;

/// A page of entries.
pub fn list(page: &Page, hits: &[Hit]) -> String {
    let mut out = format!(
        "L{{\"total\":{},\"page\":{},\"pages\":{},\"hits\":[",
        page.total, page.page, page.pages
    );
    for (i, found) in page.rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let hit = hits.get(i).cloned().unwrap_or_default();
        let flat = |marks: &[(usize, usize)]| {
            marks
                .iter()
                .map(|(s, e)| format!("{s},{e}"))
                .collect::<Vec<_>>()
                .join(",")
        };
        let _ = write!(out, "[{},{},[{}],", found.n, row(found), flat(&hit.title));
        json_string(&mut out, &on_one_line(&hit.snippet));
        let _ = write!(out, ",[{}]]", flat(&hit.marks));
    }
    out.push_str("]}");
    out
}

/// One entry, whose category is `category` (from the manifest's tree).
pub fn entry(item: Option<(&Item, &Category)>) -> String {
    let Some((item, category)) = item else {
        return "E".into();
    };
    let mut out = String::from(
        "E{\"schema\":\"xxgk-catalogue/1\",\"site\":{\"name\":\"-\"},\"categories\":[{\"id\":",
    );
    json_string(&mut out, &category.id);
    out.push_str(",\"name\":");
    json_string(&mut out, &category.name);
    out.push_str("}],\"items\":[");
    let tree = Catalogue::tree_only(
        crate::Site {
            name: String::new(),
            region: None,
            updated: None,
        },
        vec![category.clone()],
    );
    let mut alone = item.clone();
    alone.category = 0;
    write_item(&mut out, &tree, &alone);
    out.push_str("]}");
    out
}

/// What the widget reads from an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A page of entries: each hit, and its row (the widget has no
    /// catalogue to look entries up in).
    List(Found, Vec<super::Row>),
    /// The entry (its category a position in `categories`), or none.
    Entry(Option<Box<Item>>),
    /// A file could not be fetched or read.
    Failed,
}

impl Answer {
    /// Reads an answer; the entry's category is found by id in
    /// `categories`.
    pub fn read(text: &str, categories: &[Category]) -> Option<Answer> {
        let (kind, rest) = text.split_at_checked(1)?;
        match kind {
            "!" => Some(Answer::Failed),
            "E" if rest.is_empty() => Some(Answer::Entry(None)),
            "E" => {
                let shard = Catalogue::parse("entry", rest.as_bytes()).ok()?;
                let mut item = shard.items.into_iter().next()?;
                let id = &shard.categories.get(item.category)?.id;
                item.category = categories.iter().position(|c| c.id == *id)?;
                Some(Answer::Entry(Some(Box::new(item))))
            }
            "L" => read_list(rest).map(|(found, rows)| Answer::List(found, rows)),
            _ => None,
        }
    }
}

fn read_list(text: &str) -> Option<(Found, Vec<super::Row>)> {
    let root = json::parse(text).ok()?;
    let number = |key: &str| match root.get(key)? {
        Json::Number(n) => n.parse().ok(),
        _ => None,
    };
    let marks = |value: &Json| -> Option<Vec<(usize, usize)>> {
        let Json::Array(flat) = value else {
            return None;
        };
        let numbers: Vec<usize> = flat
            .iter()
            .map(|n| match n {
                Json::Number(n) => n.parse().ok(),
                _ => None,
            })
            .collect::<Option<_>>()?;
        Some(
            numbers
                .chunks(2)
                .filter_map(|p| Some((p[0], *p.get(1)?)))
                .collect(),
        )
    };
    let Some(Json::Array(hits)) = root.get("hits") else {
        return None;
    };
    let (hits, rows): (Vec<Hit>, Vec<super::Row>) = hits
        .iter()
        .map(|hit| {
            let Json::Array(parts) = hit else { return None };
            let n = match parts.first()? {
                Json::Number(n) => n.parse().ok()?,
                _ => return None,
            };
            let row = read_row(n, parts.get(1)?)?;
            let hit = Hit {
                index: n as usize,
                title: marks(parts.get(2)?)?,
                snippet: parts.get(3)?.as_str()?.to_owned(),
                marks: marks(parts.get(4)?)?,
            };
            Some((hit, row))
        })
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .unzip();
    let found = Found {
        total: number("total")?,
        page: number("page")?,
        pages: number("pages")?,
        hits,
    };
    Some((found, rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::Row;

    fn catalogue() -> Catalogue {
        let json = r#"{"schema":"xxgk-catalogue/1","site":{"name":"甲乡"},
          "categories":[{"id":"a","name":"甲","children":[{"id":"b","name":"乙"}]}],
          "items":[{"id":"X/1","title":"关于\"财政\"的通知\n第二行","published":"2020-01-02","category":"b",
            "level":"village","village":"和平村","validity":"repealed","doc_number":"甲政〔2020〕1号",
            "body":"正文","attachments":[{"name":"表.xls","url":"files/1.xls"}],"keywords":["财政","预算"]}]}"#;
        Catalogue::parse("test", json.as_bytes()).unwrap()
    }

    #[test]
    fn a_page_reads_back_with_its_rows_and_marks() {
        let catalogue = catalogue();
        let row = Row::of(41, &catalogue.items[0]);
        let page = Page {
            total: 95,
            page: 3,
            pages: 10,
            rows: vec![row.clone()],
        };
        let hit = Hit {
            index: 41,
            title: vec![(3, 9)],
            snippet: "…正\"文\n…".into(),
            marks: vec![(3, 6), (7, 10)],
        };
        let text = list(&page, std::slice::from_ref(&hit));
        let Some(Answer::List(found, rows)) = Answer::read(&text, &catalogue.categories) else {
            panic!("{text}")
        };
        assert_eq!((found.total, found.page, found.pages), (95, 3, 10));
        // The excerpt on one line, as a catalogue file's search gives it.
        let hit = Hit {
            snippet: "…正\"文 …".into(),
            ..hit
        };
        assert_eq!(found.hits, [hit]);
        assert_eq!(rows, [row]);
    }

    #[test]
    fn an_entry_reads_back_whole_in_the_manifest_s_tree() {
        let catalogue = catalogue();
        let item = &catalogue.items[0];
        let text = entry(Some((item, &catalogue.categories[1])));
        let Some(Answer::Entry(Some(read))) = Answer::read(&text, &catalogue.categories) else {
            panic!("{text}")
        };
        assert_eq!(&*read, item);
        assert_eq!(
            Answer::read("E", &catalogue.categories),
            Some(Answer::Entry(None))
        );
        assert_eq!(
            Answer::read("!l/3", &catalogue.categories),
            Some(Answer::Failed)
        );
        assert_eq!(Answer::read("Lnot json", &catalogue.categories), None);
        assert_eq!(Answer::read("", &catalogue.categories), None);
    }
}
