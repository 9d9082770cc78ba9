//! Filtering, ordering and paging a catalogue.

use serde_json::json;
use xxgk_core::{Catalogue, Facets, Level, Order, Validity, View};

/// Twelve entries: ids E01..E12 published on day N of 2015 (odd N) or 2016
/// (even N); every third is village-level in 和平村; E05 is expired; E01-E04
/// sit in 三公经费 (below 财政预决算), the rest in 美丽乡村.
fn catalogue() -> Catalogue {
    let items: Vec<_> = (1..=12)
        .map(|n| {
            let year = if n % 2 == 1 { 2015 } else { 2016 };
            let village = n % 3 == 0;
            json!({
                "id": format!("E{n:02}"),
                "title": format!("第{n}条"),
                "published": format!("{year}-01-{n:02}"),
                "category": if n <= 4 { "sgjf" } else { "mlxc" },
                "level": if village { "village" } else { "township" },
                "village": if village { Some("和平村") } else { None },
                "publisher": if village { "和平村村民委员会" } else { "东亭乡人民政府" },
                "validity": if n == 5 { "expired" } else { "valid" },
                "genre": if n % 4 == 0 { "通知" } else { "公告" },
            })
        })
        .collect();
    let file = json!({
        "schema": "xxgk-catalogue/1",
        "site": { "name": "东亭乡人民政府" },
        "categories": [
            { "id": "czyjs", "name": "财政预决算", "children": [ { "id": "sgjf", "name": "三公经费" } ] },
            { "id": "mlxc", "name": "美丽乡村" }
        ],
        "items": items
    });
    Catalogue::parse("c.json", &serde_json::to_vec(&file).unwrap()).unwrap()
}

fn ids(catalogue: &Catalogue, view: &View, page_size: usize) -> Vec<String> {
    catalogue
        .select(view, page_size)
        .items
        .iter()
        .map(|&i| catalogue.items[i].id.clone())
        .collect()
}

#[test]
fn the_default_view_lists_newest_first() {
    let c = catalogue();
    assert_eq!(ids(&c, &View::default(), 4), ["E12", "E10", "E08", "E06"]);
}

#[test]
fn oldest_first_reverses_the_order() {
    let c = catalogue();
    let view = View {
        order: Order::OldestFirst,
        ..View::default()
    };
    assert_eq!(ids(&c, &view, 3), ["E01", "E03", "E05"]);
}

#[test]
fn a_category_includes_its_descendants() {
    let c = catalogue();
    let view = View {
        category: Some("czyjs".into()),
        ..View::default()
    };
    assert_eq!(ids(&c, &view, 10), ["E04", "E02", "E03", "E01"]);
}

#[test]
fn filters_combine() {
    let c = catalogue();
    let view = View {
        year: Some(2016),
        level: Some(Level::Village),
        ..View::default()
    };
    assert_eq!(ids(&c, &view, 10), ["E12", "E06"]);
    let view = View {
        validity: Some(Validity::Expired),
        ..View::default()
    };
    assert_eq!(ids(&c, &view, 10), ["E05"]);
    let view = View {
        genre: Some("通知".into()),
        publisher: Some("东亭乡人民政府".into()),
        ..View::default()
    };
    assert_eq!(ids(&c, &view, 10), ["E08", "E04"]);
    let view = View {
        village: Some("和平村".into()),
        category: Some("czyjs".into()),
        ..View::default()
    };
    assert_eq!(ids(&c, &view, 10), ["E03"]);
}

#[test]
fn pages_split_the_matches_and_clamp_past_the_end() {
    let c = catalogue();
    let page = |n| {
        c.select(
            &View {
                page: n,
                ..View::default()
            },
            5,
        )
    };
    assert_eq!(
        (page(1).total, page(1).pages, page(1).items.len()),
        (12, 3, 5)
    );
    assert_eq!(page(3).items.len(), 2);
    assert_eq!(page(99).page, 3, "past the end shows the last page");
    assert_eq!(page(0).page, 1);
}

#[test]
fn no_match_is_one_empty_page() {
    let c = catalogue();
    let selection = c.select(
        &View {
            year: Some(1999),
            ..View::default()
        },
        10,
    );
    assert_eq!(
        (
            selection.total,
            selection.page,
            selection.pages,
            selection.items.len()
        ),
        (0, 1, 1, 0)
    );
}

#[test]
fn an_unknown_category_in_a_shared_link_shows_everything() {
    let c = catalogue();
    let view = View {
        category: Some("gone".into()),
        ..View::default()
    };
    assert_eq!(c.select(&view, 100).total, 12);
}

#[test]
fn facets_list_each_filters_values() {
    let facets = Facets::of(&catalogue());
    assert_eq!(facets.years, [2016, 2015]);
    assert_eq!(facets.publishers, ["东亭乡人民政府", "和平村村民委员会"]);
    assert_eq!(facets.villages, ["和平村"]);
    assert_eq!(facets.genres, ["公告", "通知"]);
    assert!(facets.has_villages);
}

#[test]
fn clearing_filters_keeps_the_category_and_restarts_paging() {
    let view = View {
        category: Some("mlxc".into()),
        year: Some(2015),
        genre: Some("通知".into()),
        page: 4,
        item: Some("E01".into()),
        ..View::default()
    };
    assert_eq!(view.active_filters(), 2);
    let cleared = view.without_filters();
    assert_eq!(
        cleared,
        View {
            category: Some("mlxc".into()),
            page: 1,
            ..View::default()
        }
    );
}

#[test]
fn every_menu_choice_round_trips_through_the_view() {
    use xxgk_core::{Filter, Lang};
    let c = catalogue();
    let facets = Facets::of(&c);
    let filters = [
        Filter::Category,
        Filter::Year,
        Filter::Publisher,
        Filter::Scope,
        Filter::Validity,
        Filter::Genre,
        Filter::Order,
    ];
    for filter in filters {
        let options = facets.options(&c, filter, Lang::Zh);
        assert!(!options.is_empty(), "{filter:?}");
        for (value, _) in options {
            let view = View {
                page: 5,
                item: Some("E01".into()),
                ..View::default()
            }
            .with_filter(filter, &value);
            assert_eq!(view.filter_value(filter), value, "{filter:?}");
            assert_eq!(
                (view.page, view.item.as_deref()),
                (1, None),
                "a new filter restarts the list"
            );
            assert_eq!(
                View::default().with_filter(filter, "").filter_value(filter),
                ""
            );
        }
    }
}

#[test]
fn picking_a_village_selects_village_level_and_that_village() {
    let view = View::default().with_filter(xxgk_core::Filter::Scope, "village:和平村");
    assert_eq!(
        (view.level, view.village.as_deref()),
        (Some(Level::Village), Some("和平村"))
    );
    let c = catalogue();
    assert_eq!(ids(&c, &view, 10), ["E12", "E06", "E09", "E03"]);
    let view = view.with_filter(xxgk_core::Filter::Scope, "township");
    assert_eq!((view.level, view.village), (Some(Level::Township), None));
}

#[test]
fn category_choices_are_indented_and_counted() {
    let c = catalogue();
    let options = Facets::of(&c).options(&c, xxgk_core::Filter::Category, xxgk_core::Lang::Zh);
    assert_eq!(
        options[0],
        ("czyjs".to_string(), "财政预决算 (4)".to_string())
    );
    assert_eq!(
        options[1],
        ("sgjf".to_string(), "\u{3000}三公经费 (4)".to_string())
    );
}
