//! One page of search results as the search engine (in its Web Worker)
//! sends it to the widget: lines of plain text, small to write and to
//! read on both sides, with no JSON reader needed in the widget.
//!
//! The first line is `total page pages`; then one line per entry:
//! `index;title marks;snippet marks;snippet`, marks being byte ranges
//! `start,end,start,end…`. A snippet is one line: line breaks in it are
//! sent as spaces (one byte for one, so its marks stay right).

use std::fmt::Write;

/// One page of results.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Found {
    /// Matching entries after the view's filters.
    pub total: usize,
    /// The page shown, from 1.
    pub page: usize,
    /// How many pages.
    pub pages: usize,
    /// The entries on the page, best first.
    pub hits: Vec<Hit>,
}

/// One entry found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hit {
    /// Its index in the catalogue.
    pub index: usize,
    /// Byte ranges of its title to mark.
    pub title: Vec<(usize, usize)>,
    /// An excerpt of its text around the first match, on one line.
    pub snippet: String,
    /// Byte ranges of the excerpt to mark.
    pub marks: Vec<(usize, usize)>,
}

/// An excerpt as a list shows it: line breaks as spaces, each one byte
/// for one, so the marks' offsets still hold.
pub fn on_one_line(snippet: &str) -> String {
    snippet
        .chars()
        .map(|c| match c {
            '\n' | '\r' => ' ',
            c => c,
        })
        .collect()
}

impl Found {
    /// The page as the engine sends it.
    pub fn write(&self) -> String {
        let mut out = format!("{} {} {}", self.total, self.page, self.pages);
        for hit in &self.hits {
            let _ = write!(out, "\n{};", hit.index);
            for marks in [&hit.title, &hit.marks] {
                for (n, (start, end)) in marks.iter().enumerate() {
                    let comma = if n == 0 { "" } else { "," };
                    let _ = write!(out, "{comma}{start},{end}");
                }
                out.push(';');
            }
            out.push_str(&on_one_line(&hit.snippet));
        }
        out
    }

    /// Reads what [`Found::write`] wrote; `None` if it is not that.
    pub fn read(text: &str) -> Option<Found> {
        let mut lines = text.split('\n');
        let mut head = lines.next()?.split(' ').map(|n| n.parse().ok());
        let (total, page, pages) = (head.next()??, head.next()??, head.next()??);
        let hits = lines
            .map(|line| {
                let mut parts = line.splitn(4, ';');
                Some(Hit {
                    index: parts.next()?.parse().ok()?,
                    title: ranges(parts.next()?)?,
                    marks: ranges(parts.next()?)?,
                    snippet: parts.next()?.to_owned(),
                })
            })
            .collect::<Option<_>>()?;
        Some(Found {
            total,
            page,
            pages,
            hits,
        })
    }
}

/// `start,end,start,end…` as pairs.
fn ranges(text: &str) -> Option<Vec<(usize, usize)>> {
    let numbers = text
        .split(',')
        .filter(|n| !n.is_empty())
        .map(|n| n.parse().ok())
        .collect::<Option<Vec<usize>>>()?;
    if numbers.len() % 2 == 1 {
        return None;
    }
    Some(numbers.chunks(2).map(|p| (p[0], p[1])).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Found {
        Found {
            total: 53,
            page: 2,
            pages: 6,
            hits: vec![
                Hit {
                    index: 7,
                    title: vec![(0, 6), (12, 18)],
                    snippet: "……关于财政预算;公开的通知".into(),
                    marks: vec![(12, 18)],
                },
                Hit {
                    index: 140,
                    title: vec![],
                    snippet: String::new(),
                    marks: vec![],
                },
            ],
        }
    }

    #[test]
    fn a_page_reads_back_as_written() {
        let page = sample();
        assert_eq!(Found::read(&page.write()), Some(page));
        assert_eq!(
            Found::read(&Found::default().write()),
            Some(Found::default())
        );
    }

    #[test]
    fn a_snippet_is_sent_on_one_line_with_its_marks_in_place() {
        let mut page = sample();
        page.hits[0].snippet = "一\n二\r\n三".into();
        page.hits[0].marks = vec![(4, 7), (9, 12)];
        let read = Found::read(&page.write()).unwrap();
        assert_eq!(read.hits.len(), 2);
        assert_eq!(read.hits[0].snippet, "一 二  三");
        assert_eq!(&read.hits[0].snippet[4..7], "二");
        assert_eq!(&read.hits[0].snippet[9..12], "三");
    }

    #[test]
    fn anything_else_is_not_a_page() {
        for text in [
            "",
            "{\"total\":1}",
            "1 1",
            "1 1 x",
            "1 1 1\n2;0,1,2;;x",
            "1 1 1\nx;;;",
            "1 1 1\n2;;",
        ] {
            assert_eq!(Found::read(text), None, "{text:?}");
        }
    }
}
