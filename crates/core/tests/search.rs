//! Searching catalogues: each kind of query, ranking, and the index agreeing
//! with the brute-force scan.

use proptest::prelude::*;
use serde_json::{json, Value};
use xxgk_core::search::fold::fold;
use xxgk_core::search::{scan, Query, SearchIndex};
use xxgk_core::Catalogue;

fn catalogue(items: Vec<Value>) -> Catalogue {
    let file = json!({
        "schema": "xxgk-catalogue/1",
        "site": { "name": "东亭乡人民政府" },
        "categories": [{ "id": "c", "name": "分类" }],
        "items": items,
    });
    let catalogue = Catalogue::parse("c.json", &serde_json::to_vec(&file).unwrap()).unwrap();
    assert!(catalogue.skipped.is_empty(), "{:?}", catalogue.skipped);
    catalogue
}

fn item(id: &str, title: &str, published: &str, body: &str) -> Value {
    json!({ "id": id, "title": title, "published": published, "category": "c", "body": body })
}

fn sample() -> Catalogue {
    catalogue(vec![
        item(
            "A",
            "东亭乡2016年财政预算公开",
            "2016-03-05",
            "财政预算安排如下。",
        ),
        item(
            "B",
            "廣德縣東亭鄉(xiāng)2016年政府信息公開工作年度報告",
            "2017-03-20",
            "政務公開工作總結。",
        ),
        item(
            "C",
            "关于开展安全生产大检查的通知",
            "2016-05-01",
            "各村要采取有力手段简单高效地整改隐患，落实财政补助。",
        ),
        json!({ "id": "D", "title": "美丽乡村建设项目公示", "published": "2015-01-01", "category": "c",
                "doc_number": "东政〔2015〕7号", "keywords": ["美丽乡村", "PM2.5"], "summary": "公示中心村建设项目" }),
        item(
            "E",
            "东亭乡2017年财政预算公开",
            "2017-03-05",
            "今年财政预算安排。",
        ),
    ])
}

fn ids(catalogue: &Catalogue, index: &SearchIndex, query: &str) -> Vec<String> {
    index
        .search(catalogue, &Query::parse(query))
        .unwrap_or_default()
        .into_iter()
        .map(|i| catalogue.items[i].id.clone())
        .collect()
}

#[test]
fn a_simplified_query_finds_a_traditional_title_and_the_reverse() {
    let c = sample();
    let index = SearchIndex::build(&c);
    assert_eq!(ids(&c, &index, "政务公开"), ["B"]);
    assert_eq!(ids(&c, &index, "財政預算"), ["E", "A"]);
    assert_eq!(
        ids(&c, &index, "东亭乡2016"),
        ["B", "A"],
        "the pinyin artefact does not split 東亭鄉"
    );
}

#[test]
fn a_full_width_query_finds_half_width_text() {
    let c = sample();
    let index = SearchIndex::build(&c);
    assert_eq!(ids(&c, &index, "２０１６"), ["B", "A"]);
    assert_eq!(ids(&c, &index, "ＰＭ2"), ["D"]);
}

#[test]
fn a_document_number_is_found_whatever_brackets_are_typed() {
    let c = sample();
    let index = SearchIndex::build(&c);
    for typed in [
        "东政〔2015〕7号",
        "东政[2015]7号",
        "东政【2015】7号",
        "东政（2015）7号",
        "东政(2015)7",
    ] {
        assert_eq!(ids(&c, &index, typed), ["D"], "{typed}");
    }
}

#[test]
fn a_substring_in_the_middle_of_a_word_is_found() {
    let c = sample();
    let index = SearchIndex::build(&c);
    assert_eq!(ids(&c, &index, "段简"), ["C"]);
    assert_eq!(ids(&c, &index, "村建"), ["D"]);
}

#[test]
fn latin_words_and_numbers_match_by_prefix() {
    let c = sample();
    let index = SearchIndex::build(&c);
    assert_eq!(ids(&c, &index, "pm"), ["D"]);
    // 2015 in D's 文号 too; all in high-weight fields, so newest first.
    assert_eq!(ids(&c, &index, "201"), ["B", "E", "A", "D"]);
    assert!(
        ids(&c, &index, "016").is_empty(),
        "not the middle of a number"
    );
}

#[test]
fn every_term_must_match() {
    let c = sample();
    let index = SearchIndex::build(&c);
    assert_eq!(ids(&c, &index, "财政 2016"), ["A"]);
    assert!(ids(&c, &index, "财政 检查 美丽").is_empty());
}

#[test]
fn titles_match_by_pinyin_initials_and_spelling_ranked_below_text() {
    let c = sample();
    let index = SearchIndex::build(&c);
    assert_eq!(ids(&c, &index, "czys"), ["E", "A"]);
    assert_eq!(ids(&c, &index, "mlxc"), ["D"]);
    assert_eq!(ids(&c, &index, "caizhengyus"), ["E", "A"]);
}

#[test]
fn title_matches_rank_above_body_matches_and_newer_above_older() {
    let c = sample();
    let index = SearchIndex::build(&c);
    // C has 财政 in its body only.
    assert_eq!(ids(&c, &index, "财政"), ["E", "A", "C"]);
}

#[test]
fn an_empty_or_punctuation_query_is_no_search() {
    let c = sample();
    let index = SearchIndex::build(&c);
    for query in ["", "   ", "。，", "-- !"] {
        assert_eq!(index.search(&c, &Query::parse(query)), None, "{query:?}");
    }
}

#[test]
fn a_query_that_occurs_nowhere_finds_nothing() {
    let c = sample();
    let index = SearchIndex::build(&c);
    assert!(ids(&c, &index, "开公").is_empty());
    assert!(ids(&c, &index, "xyzzy").is_empty());
    assert!(ids(&c, &index, "预算财政").is_empty());
}

#[test]
fn a_ten_thousand_character_query_answers_without_panicking() {
    let c = sample();
    let index = SearchIndex::build(&c);
    // One long term is cut to its first MAX_TERM_CHARS characters.
    let long = "财政预算".repeat(2500);
    assert!(ids(&c, &index, &long).is_empty());
    // Thousands of terms: the first MAX_TERMS are looked for.
    let spaced = "财政 ".repeat(3300);
    assert_eq!(spaced.chars().count(), 9900);
    assert_eq!(ids(&c, &index, &spaced), ids(&c, &index, "财政"));
}

fn dongting() -> Catalogue {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/dongting/catalogue.json"
    );
    Catalogue::parse("catalogue.json", &std::fs::read(path).unwrap()).unwrap()
}

/// The sample catalogue and its index, built once for all the cases.
fn indexed() -> &'static (Catalogue, SearchIndex) {
    static INDEXED: std::sync::OnceLock<(Catalogue, SearchIndex)> = std::sync::OnceLock::new();
    INDEXED.get_or_init(|| {
        let c = dongting();
        let index = SearchIndex::build(&c);
        (c, index)
    })
}

#[test]
fn the_index_finds_exactly_what_the_scan_finds_on_the_sample_catalogue() {
    let c = dongting();
    let index = SearchIndex::build(&c);
    for query in [
        "政务公开",
        "政務公開",
        "财政",
        "预决算",
        "三公",
        "村",
        "东政〔2016〕",
        "2016",
        "12号",
        "czyjs",
        "mlxc",
        "dbh",
        "低保 2015",
        "公示 村",
        "开公",
        "乡",
        "xiāng",
        "〔",
        "报告 年度",
        "caizheng",
    ] {
        let query = Query::parse(query);
        let mut found = index.search(&c, &query).unwrap_or_default();
        found.sort_unstable();
        assert_eq!(found, scan(&c, &query), "{query:?}");
    }
}

/// A catalogue large enough that the index is built in many chunks (its
/// lists are noted, sorted and coded a chunk at a time, then joined): the
/// sample catalogue six times over, each copy with its own index numbers.
#[test]
fn an_index_built_in_many_chunks_finds_exactly_what_the_scan_finds() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/dongting/catalogue.json"
    );
    let mut file: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let items = file["items"].as_array().unwrap().clone();
    let copies: Vec<Value> = (0..6)
        .flat_map(|copy| {
            items.iter().map(move |item| {
                let mut item = item.clone();
                item["id"] = json!(format!("{}-{copy}", item["id"].as_str().unwrap()));
                item
            })
        })
        .collect();
    file["items"] = json!(copies);
    let c = Catalogue::parse("big.json", &serde_json::to_vec(&file).unwrap()).unwrap();
    assert_eq!(c.items.len(), 6 * 119);
    let index = SearchIndex::build(&c);
    for query in [
        "财政",
        "政务公开",
        "预决算 2016",
        "村",
        "東亭",
        "czyjs",
        "〔2016〕",
        "低保",
        "开公",
    ] {
        let query = Query::parse(query);
        let mut found = index.search(&c, &query).unwrap_or_default();
        found.sort_unstable();
        assert_eq!(found, scan(&c, &query), "{query:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_substring_of_a_title_finds_its_entry(item in 0usize..119, from in 0usize..40, len in 1usize..8) {
        let (c, index) = indexed();
        // The title as searched: folded, so a piece cannot cut a pinyin
        // artefact such as 鄉(xiāng) in half.
        let title: Vec<char> = fold(&c.items[item % c.items.len()].title).chars().collect();
        let from = from % title.len();
        let piece: String = title[from..(from + len).min(title.len())].iter().collect();
        // Pieces of Latin letters and digits alone match words by prefix,
        // so "6" need not find "2016"; any piece with an ideograph matches
        // anywhere.
        prop_assume!(piece.chars().any(xxgk_core::search::fold::is_han));
        let query = Query::parse(&piece);
        let found = index.search(c, &query).unwrap_or_default();
        prop_assert!(found.contains(&(item % c.items.len())), "{piece:?} did not find its title");
    }

    #[test]
    fn the_index_agrees_with_the_scan_on_random_pieces_of_text(item in 0usize..119, from in 0usize..400, len in 1usize..6) {
        let (c, index) = indexed();
        let body: Vec<char> = c.items[item % c.items.len()].body.as_deref().unwrap_or("政府").chars().collect();
        let from = from % body.len();
        let piece: String = body[from..(from + len).min(body.len())].iter().collect();
        let query = Query::parse(&piece);
        let mut found = index.search(c, &query).unwrap_or_default();
        found.sort_unstable();
        prop_assert_eq!(found, scan(c, &query), "{:?}", piece);
    }
}
