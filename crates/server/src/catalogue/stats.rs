//! How many entries a catalogue holds, per category (each counting its
//! sub-categories' entries, in tree order), per level (乡镇级/村级), per
//! month of publication and per validity (有效/失效/废止), for one year or
//! all: what a township's annual report and its supervisors ask for.
//! Written as Markdown tables, CSV or JSON.

use serde::Serialize;
use xxgk_core::{Catalogue, Item, Lang, Level, Validity};

/// The counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// The site's name.
    pub site: String,
    /// The year counted, or all.
    pub year: Option<u16>,
    /// Entries counted.
    pub total: usize,
    /// Every category, parents before children.
    pub categories: Vec<CategoryCount>,
    /// Each level.
    pub levels: Vec<ValueCount>,
    /// Each month: the twelve of the year counted, or every month that
    /// has an entry.
    pub months: Vec<ValueCount>,
    /// Each validity.
    pub validity: Vec<ValueCount>,
}

/// A category's count, its descendants' entries included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CategoryCount {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its names from the top, joined by `/`.
    pub path: String,
    /// 0 at the top.
    pub depth: usize,
    /// Entries in it or below it.
    pub count: usize,
}

/// The count of one value of a dimension.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ValueCount {
    /// The value's code: `township`, `2016-03`, `valid`.
    pub value: String,
    /// Its name: `乡镇级`, `2016-03`, `有效`.
    pub label: String,
    /// Entries with it.
    pub count: usize,
}

impl Stats {
    /// Counts the entries of `catalogue` published in `year`, or all.
    pub fn count(catalogue: &Catalogue, year: Option<u16>, lang: Lang) -> Stats {
        let items: Vec<&Item> = catalogue
            .items
            .iter()
            .filter(|item| year.is_none_or(|y| item.published.year() == y))
            .collect();

        let mut per_category = vec![0; catalogue.categories.len()];
        for item in &items {
            per_category[item.category] += 1;
        }
        // Children come after their parents: adding from the end rolls
        // each count up to every ancestor.
        for i in (0..catalogue.categories.len()).rev() {
            if let Some(parent) = catalogue.categories[i].parent {
                per_category[parent] += per_category[i];
            }
        }
        let categories = catalogue
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| CategoryCount {
                id: c.id.clone(),
                name: c.name.clone(),
                path: catalogue.category_path(i).join("/"),
                depth: c.depth,
                count: per_category[i],
            })
            .collect();

        let levels = Level::ALL
            .iter()
            .map(|&level| ValueCount {
                value: level.code().to_owned(),
                label: level.label(lang).to_owned(),
                count: items.iter().filter(|i| i.level == level).count(),
            })
            .collect();
        let validity = Validity::ALL
            .iter()
            .map(|&validity| ValueCount {
                value: validity.code().to_owned(),
                label: validity.label(lang).to_owned(),
                count: items.iter().filter(|i| i.validity == validity).count(),
            })
            .collect();

        let month = |item: &Item| (item.published.year(), item.published.month());
        let mut months: Vec<(u16, u8)> = match year {
            Some(year) => (1..=12).map(|m| (year, m)).collect(),
            None => items.iter().map(|&i| month(i)).collect(),
        };
        months.sort_unstable();
        months.dedup();
        let months = months
            .into_iter()
            .map(|(y, m)| {
                let value = format!("{y:04}-{m:02}");
                ValueCount {
                    label: value.clone(),
                    value,
                    count: items.iter().filter(|&&i| month(i) == (y, m)).count(),
                }
            })
            .collect();

        Stats {
            site: catalogue.site.name.clone(),
            year,
            total: items.len(),
            categories,
            levels,
            months,
            validity,
        }
    }

    /// A heading, the total, and a Markdown table per dimension (category
    /// names indented by depth with ideographic spaces, which Markdown
    /// keeps).
    pub fn markdown(&self, lang: Lang) -> String {
        let mut out = match (self.year, lang) {
            (Some(y), Lang::Zh | Lang::Hant) => {
                format!("# {}：{y} 年目录统计\n\n", cell(&self.site))
            }
            (None, Lang::Zh | Lang::Hant) => format!("# {}：目录统计\n\n", cell(&self.site)),
            (Some(y), Lang::En) => format!("# {}: catalogue statistics, {y}\n\n", cell(&self.site)),
            (None, Lang::En) => format!("# {}: catalogue statistics\n\n", cell(&self.site)),
        };
        out.push_str(&match lang {
            Lang::Zh | Lang::Hant => format!("共 {} 条。\n", self.total),
            Lang::En => format!("{} entries in all.\n", self.total),
        });
        let categories: Vec<(String, usize)> = self
            .categories
            .iter()
            .map(|c| {
                (
                    format!("{}{}", "\u{3000}".repeat(c.depth), cell(&c.name)),
                    c.count,
                )
            })
            .collect();
        let values = |counts: &[ValueCount]| -> Vec<(String, usize)> {
            counts.iter().map(|c| (c.label.clone(), c.count)).collect()
        };
        for (title, rows) in [
            (
                lang.pick("目录分类（含下级）", "Category (with sub-categories)"),
                categories,
            ),
            (lang.pick("层级", "Level"), values(&self.levels)),
            (
                lang.pick("发布月份", "Month published"),
                values(&self.months),
            ),
            (lang.pick("有效性", "Validity"), values(&self.validity)),
        ] {
            out.push_str(&format!(
                "\n## {title}\n\n| {title} | {} |\n| --- | ---: |\n",
                lang.pick("条数", "Entries")
            ));
            for (name, count) in rows {
                out.push_str(&format!("| {name} | {count} |\n"));
            }
            let total = lang.pick("合计", "Total");
            out.push_str(&format!("| **{total}** | **{}** |\n", self.total));
        }
        out
    }

    /// Long CSV, one count per line: `dimension,value,count`, where the
    /// dimension is `total`, `category` (the value its path), `level`,
    /// `month` or `validity`. UTF-8 with a byte-order mark and CRLF, as
    /// spreadsheet programs read it; cells a spreadsheet would take for a
    /// formula are defused as in the feedback export.
    pub fn csv(&self) -> String {
        use crate::staff::{cell, line};
        let mut out = String::from("\u{FEFF}dimension,value,count\r\n");
        let mut row = |dimension: &str, value: &str, count: usize| {
            line(&mut out, [cell(dimension), cell(value), count.to_string()]);
        };
        row("total", "", self.total);
        for c in &self.categories {
            row("category", &c.path, c.count);
        }
        for (dimension, counts) in [
            ("level", &self.levels),
            ("month", &self.months),
            ("validity", &self.validity),
        ] {
            for c in counts {
                row(dimension, &c.label, c.count);
            }
        }
        out
    }

    /// The counts as one JSON object (see [`Stats`]), indented.
    pub fn json(&self) -> String {
        let mut json = serde_json::to_string_pretty(self).unwrap_or_default();
        json.push('\n');
        json
    }
}

/// Text made safe for a Markdown table cell: a `|` would end the cell and
/// a line break the row.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        let json = r#"{"schema":"xxgk-catalogue/1","site":{"name":"东亭乡"},"categories":[
            {"id":"a","name":"甲|A","children":[{"id":"b","name":"乙","children":[{"id":"c","name":"丙"}]}]},
            {"id":"d","name":"丁"}],
          "items":[
            {"id":"1","title":"t","published":"2016-01-05","category":"c"},
            {"id":"2","title":"t","published":"2016-01-20","category":"b","level":"village","validity":"expired"},
            {"id":"3","title":"t","published":"2016-03-01","category":"a"},
            {"id":"4","title":"t","published":"2017-02-01","category":"d","validity":"repealed"}]}"#;
        Catalogue::parse("t", json.as_bytes()).unwrap()
    }

    #[test]
    fn categories_count_their_descendants() {
        let stats = Stats::count(&catalogue(), None, Lang::Zh);
        let counts: Vec<(&str, usize, usize)> = stats
            .categories
            .iter()
            .map(|c| (c.path.as_str(), c.depth, c.count))
            .collect();
        assert_eq!(
            counts,
            [
                ("甲|A", 0, 3),
                ("甲|A/乙", 1, 2),
                ("甲|A/乙/丙", 2, 1),
                ("丁", 0, 1)
            ]
        );
        assert_eq!(stats.total, 4);
        let months: Vec<(&str, usize)> = stats
            .months
            .iter()
            .map(|m| (m.value.as_str(), m.count))
            .collect();
        assert_eq!(months, [("2016-01", 2), ("2016-03", 1), ("2017-02", 1)]);
    }

    #[test]
    fn a_year_counts_its_entries_and_lists_its_twelve_months() {
        let stats = Stats::count(&catalogue(), Some(2016), Lang::Zh);
        assert_eq!(stats.total, 3);
        assert_eq!(stats.categories[3].count, 0);
        assert_eq!(stats.months.len(), 12);
        assert_eq!(stats.months[1].count, 0);
        let validity: Vec<usize> = stats.validity.iter().map(|v| v.count).collect();
        assert_eq!(validity, [2, 1, 0]);
        let levels: Vec<(&str, usize)> = stats
            .levels
            .iter()
            .map(|l| (l.label.as_str(), l.count))
            .collect();
        assert_eq!(levels, [("乡镇级", 2), ("村级", 1)]);
    }

    #[test]
    fn markdown_indents_by_depth_and_escapes_cells() {
        let md = Stats::count(&catalogue(), None, Lang::Zh).markdown(Lang::Zh);
        assert!(
            md.contains("| 甲\\|A | 3 |\n| \u{3000}乙 | 2 |\n| \u{3000}\u{3000}丙 | 1 |\n"),
            "{md}"
        );
        assert!(md.contains("| **合计** | **4** |"), "{md}");
        assert!(md.starts_with("# 东亭乡：目录统计\n\n共 4 条。\n"), "{md}");
    }

    #[test]
    fn csv_is_long_with_one_count_a_line() {
        let csv = Stats::count(&catalogue(), Some(2017), Lang::En).csv();
        assert!(
            csv.starts_with("\u{FEFF}dimension,value,count\r\ntotal,,1\r\ncategory,甲|A,0\r\n"),
            "{csv}"
        );
        assert!(csv.contains("\r\nlevel,Township,1\r\n"), "{csv}");
        assert!(csv.contains("\r\nvalidity,Repealed,1\r\n"), "{csv}");
        assert!(csv.contains("\r\nmonth,2017-02,1\r\n"), "{csv}");
    }
}
