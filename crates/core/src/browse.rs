//! Browsing a catalogue: the filters a citizen sets, and the page of entries
//! they see.

use crate::{Catalogue, Lang, Level, Validity};
use std::collections::HashMap;

/// Everything that decides what one widget shows: the category, filters,
/// order, page and the open entry. It lives in the URL hash (see
/// [`crate::hash`]) so that a link can be shared and Back works.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct View {
    /// A category id: entries in it or below it. `None` is every category.
    pub category: Option<String>,
    /// The year of publication.
    pub year: Option<u16>,
    /// The publisher (发布机构), exactly.
    pub publisher: Option<String>,
    /// Township or village level.
    pub level: Option<Level>,
    /// One village's entries.
    pub village: Option<String>,
    /// In force, expired or repealed.
    pub validity: Option<Validity>,
    /// The genre (体裁), exactly.
    pub genre: Option<String>,
    /// Newest or oldest first.
    pub order: Order,
    /// The page, from 1. 0 reads as 1.
    pub page: usize,
    /// The index number of the open entry; `None` shows the list.
    pub item: Option<String>,
    /// The search text as typed; `None` lists every entry.
    pub query: Option<String>,
    /// What the widget shows: the catalogue, or one of the feedback
    /// panels (with [`View::item`] as the entry a question is about).
    pub panel: Panel,
}

/// The widget's panels. Every panel but the catalogue belongs to the
/// feedback module, which is only offered with `data-feedback`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Panel {
    /// The catalogue, the default.
    #[default]
    Catalogue,
    /// The feedback and disclosure-request form.
    Write,
    /// Looking up a submission by its code.
    Check,
    /// The replies published with their authors' consent.
    Replies,
}

impl Panel {
    /// Its value in the URL hash; `""` for the catalogue.
    pub fn code(self) -> &'static str {
        match self {
            Panel::Catalogue => "",
            Panel::Write => "write",
            Panel::Check => "check",
            Panel::Replies => "replies",
        }
    }

    /// The panel a hash value names; the catalogue for anything else.
    pub fn from_code(code: &str) -> Panel {
        [Panel::Write, Panel::Check, Panel::Replies]
            .into_iter()
            .find(|p| p.code() == code)
            .unwrap_or_default()
    }
}

/// The order of the list, by publication date.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Order {
    /// Newest first, the default.
    #[default]
    NewestFirst,
    /// Oldest first.
    OldestFirst,
}

impl View {
    /// How many of the filters other than category are set, to show on the
    /// collapsed filter panel.
    pub fn active_filters(&self) -> usize {
        [
            self.year.is_some(),
            self.publisher.is_some(),
            self.level.is_some(),
            self.village.is_some(),
            self.validity.is_some(),
            self.genre.is_some(),
        ]
        .into_iter()
        .filter(|&set| set)
        .count()
    }

    /// The same view on its first page with no entry open: what a change of
    /// filter or category leads to.
    pub fn restarted(mut self) -> View {
        self.page = 1;
        self.item = None;
        self
    }

    /// The same filters with none of the six filters set (category and order
    /// kept), for "clear filters".
    pub fn without_filters(self) -> View {
        View {
            category: self.category,
            order: self.order,
            query: self.query,
            ..View::default()
        }
        .restarted()
    }

    /// Whether an entry passes every filter of this view except the category.
    fn admits(&self, item: &crate::Item) -> bool {
        self.year.is_none_or(|y| item.published.year() == y)
            && self
                .publisher
                .as_deref()
                .is_none_or(|p| item.publisher == p)
            && self.level.is_none_or(|l| item.level == l)
            && self
                .village
                .as_deref()
                .is_none_or(|v| item.village.as_deref() == Some(v))
            && self.validity.is_none_or(|v| item.validity == v)
            && self
                .genre
                .as_deref()
                .is_none_or(|g| item.genre.as_deref() == Some(g))
    }
}

/// One menu of the filter panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Filter {
    /// The category (a menu on narrow screens, where the tree is hidden).
    Category,
    /// The year of publication.
    Year,
    /// The publisher.
    Publisher,
    /// Township or village level, or one village: `township`, `village`,
    /// `village:和平村`.
    Scope,
    /// In force, expired or repealed.
    Validity,
    /// The genre.
    Genre,
    /// Newest (`""`) or oldest (`"old"`) first.
    Order,
}

impl Filter {
    /// A name for the menu, e.g. `year`, for markup and tests.
    pub fn code(self) -> &'static str {
        match self {
            Filter::Category => "category",
            Filter::Year => "year",
            Filter::Publisher => "publisher",
            Filter::Scope => "scope",
            Filter::Validity => "validity",
            Filter::Genre => "genre",
            Filter::Order => "order",
        }
    }
}

impl View {
    /// The value a filter menu shows for this view; `""` is "all" (or
    /// newest first).
    pub fn filter_value(&self, filter: Filter) -> String {
        match filter {
            Filter::Category => self.category.clone().unwrap_or_default(),
            Filter::Year => self.year.map(|y| y.to_string()).unwrap_or_default(),
            Filter::Publisher => self.publisher.clone().unwrap_or_default(),
            Filter::Scope => match (&self.village, self.level) {
                (Some(village), _) => format!("village:{village}"),
                (None, Some(level)) => level.code().to_owned(),
                (None, None) => String::new(),
            },
            Filter::Validity => self
                .validity
                .map(|v| v.code().to_owned())
                .unwrap_or_default(),
            Filter::Genre => self.genre.clone().unwrap_or_default(),
            Filter::Order => match self.order {
                Order::NewestFirst => String::new(),
                Order::OldestFirst => "old".into(),
            },
        }
    }

    /// The view after picking `value` in a filter menu: back on the first
    /// page, list shown. Values the menu cannot produce clear the filter.
    pub fn with_filter(&self, filter: Filter, value: &str) -> View {
        let mut view = self.clone().restarted();
        let text = (!value.is_empty()).then(|| value.to_owned());
        match filter {
            Filter::Category => view.category = text,
            Filter::Year => view.year = value.parse().ok(),
            Filter::Publisher => view.publisher = text,
            Filter::Scope => {
                view.village = value
                    .strip_prefix("village:")
                    .filter(|v| !v.is_empty())
                    .map(str::to_owned);
                view.level = if view.village.is_some() {
                    Some(Level::Village)
                } else {
                    Level::from_code(value)
                };
            }
            Filter::Validity => view.validity = Validity::from_code(value),
            Filter::Genre => view.genre = text,
            Filter::Order => {
                view.order = if value == "old" {
                    Order::OldestFirst
                } else {
                    Order::NewestFirst
                }
            }
        }
        view
    }
}

/// One page of a filtered, ordered catalogue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// How many entries pass the filters.
    pub total: usize,
    /// The page shown, from 1, clamped to the pages there are.
    pub page: usize,
    /// How many pages there are (at least 1).
    pub pages: usize,
    /// The entries on the page, as indexes into [`Catalogue::items`].
    pub items: Vec<usize>,
}

impl Catalogue {
    /// The page of entries a view asks for. An unknown category reads as
    /// every category; a page past the end shows the last page.
    pub fn select(&self, view: &View, page_size: usize) -> Selection {
        let order = self.newest_first();
        match view.order {
            Order::NewestFirst => self.page_of(order.iter().copied(), view, page_size),
            Order::OldestFirst => self.page_of(order.iter().rev().copied(), view, page_size),
        }
    }

    /// The page a view asks for among `ranked` entries (search results,
    /// best first), kept in their order: the view's filters and page apply,
    /// its order does not.
    pub fn select_among(&self, ranked: &[usize], view: &View, page_size: usize) -> Selection {
        self.page_of(ranked.iter().copied(), view, page_size)
    }

    fn page_of(
        &self,
        order: impl Iterator<Item = usize>,
        view: &View,
        page_size: usize,
    ) -> Selection {
        let page_size = page_size.max(1);
        let in_category = view
            .category
            .as_deref()
            .and_then(|id| self.category_position(id))
            .map(|c| self.subtree(c));
        let matches: Vec<usize> = order
            .filter(|&i| {
                let item = &self.items[i];
                in_category
                    .as_ref()
                    .is_none_or(|inside| inside[item.category])
                    && view.admits(item)
            })
            .collect();
        let total = matches.len();
        let pages = total.div_ceil(page_size).max(1);
        let page = view.page.clamp(1, pages);
        let items = matches
            .into_iter()
            .skip((page - 1) * page_size)
            .take(page_size)
            .collect();
        Selection {
            total,
            page,
            pages,
            items,
        }
    }
}

/// The values each filter can take in a catalogue, for the filter menus.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facets {
    /// Years of publication, newest first.
    pub years: Vec<u16>,
    /// Publishers, the busiest first.
    pub publishers: Vec<String>,
    /// Villages, the busiest first.
    pub villages: Vec<String>,
    /// Genres, the most used first.
    pub genres: Vec<String>,
    /// Whether any entry is village-level (else the level filter is moot).
    pub has_villages: bool,
    /// Entries per category, descendants included, in the order of
    /// [`Catalogue::categories`].
    pub category_counts: Vec<usize>,
}

impl Facets {
    /// The choices of a filter menu other than "all", as (value, label)
    /// pairs; the values are those [`View::with_filter`] reads.
    pub fn options(
        &self,
        catalogue: &Catalogue,
        filter: Filter,
        lang: Lang,
    ) -> Vec<(String, String)> {
        let same = |values: &[String]| values.iter().map(|v| (v.clone(), v.clone())).collect();
        match filter {
            Filter::Category => catalogue
                .categories
                .iter()
                .zip(&self.category_counts)
                .map(|(c, n)| {
                    (
                        c.id.clone(),
                        format!("{}{} ({n})", "\u{3000}".repeat(c.depth), c.name),
                    )
                })
                .collect(),
            Filter::Year => self
                .years
                .iter()
                .map(|y| (y.to_string(), y.to_string()))
                .collect(),
            Filter::Publisher => same(&self.publishers),
            Filter::Scope if !self.has_villages => Vec::new(),
            Filter::Scope => Level::ALL
                .iter()
                .map(|l| (l.code().to_owned(), l.label(lang).to_owned()))
                .chain(
                    self.villages
                        .iter()
                        .map(|v| (format!("village:{v}"), format!("\u{3000}{v}"))),
                )
                .collect(),
            Filter::Validity => Validity::ALL
                .iter()
                .map(|v| (v.code().to_owned(), v.label(lang).to_owned()))
                .collect(),
            Filter::Genre => same(&self.genres),
            Filter::Order => vec![(
                "old".into(),
                lang.say("最早发布在前", "最早發布在前", "Oldest first")
                    .into(),
            )],
        }
    }

    /// Collects the filter values of a whole catalogue.
    pub fn of(catalogue: &Catalogue) -> Facets {
        let mut years: Vec<u16> = Vec::new();
        let mut publishers = Tally::default();
        let mut villages = Tally::default();
        let mut genres = Tally::default();
        let mut has_villages = false;
        // Newest first, so the years come out in order.
        for &i in catalogue.newest_first() {
            let item = &catalogue.items[i];
            let year = item.published.year();
            if years.last() != Some(&year) {
                years.push(year);
            }
            publishers.add(&item.publisher);
            if let Some(village) = &item.village {
                villages.add(village);
            }
            if let Some(genre) = &item.genre {
                genres.add(genre);
            }
            has_villages |= item.level == Level::Village;
        }
        Facets {
            years,
            publishers: publishers.busiest_first(),
            villages: villages.busiest_first(),
            genres: genres.busiest_first(),
            has_villages,
            category_counts: catalogue.category_counts(),
        }
    }
}

/// Counts how often each value occurs.
#[derive(Default)]
struct Tally {
    slots: HashMap<String, usize>,
    values: Vec<(String, usize)>,
}

impl Tally {
    fn add(&mut self, value: &str) {
        match self.slots.get(value) {
            Some(&slot) => self.values[slot].1 += 1,
            None => {
                self.slots.insert(value.to_owned(), self.values.len());
                self.values.push((value.to_owned(), 1));
            }
        }
    }

    fn busiest_first(self) -> Vec<String> {
        let values = self.values;
        let mut order: Vec<usize> = (0..values.len()).collect();
        crate::sort::indices(&mut order, &|a, b| {
            values[b]
                .1
                .cmp(&values[a].1)
                .then(values[a].0.cmp(&values[b].0))
        });
        order.into_iter().map(|i| values[i].0.clone()).collect()
    }
}
