//! The output is a valid, realistic catalogue per docs/catalogue.md.

mod common;

use common::{all_problems, catalogue, parsed};
use serde_json::Value;
use std::collections::HashSet;
use xxgk_catgen::traditional::CHARS;

#[test]
fn item_count_is_exact() {
    for n in [0, 1, 2, 7, 99, 1000, 1001] {
        let c = catalogue(n, 5, 0);
        assert_eq!(c["items"].as_array().unwrap().len() as u64, n);
    }
}

#[test]
fn output_has_the_required_members() {
    let c = catalogue(50, 1, 0);
    assert_eq!(c["schema"], "xxgk-catalogue/1");
    let name = c["site"]["name"].as_str().unwrap();
    assert!(name.ends_with("人民政府"), "{name}");
    assert!(c["site"]["region"].as_str().unwrap().contains("县"));
    assert!(xxgk_core::Date::parse(c["site"]["updated"].as_str().unwrap()).is_some());
    assert!(c["categories"].is_array());
    for item in c["items"].as_array().unwrap() {
        for member in ["id", "title", "published", "category"] {
            assert!(item.get(member).is_some(), "{member} missing in {item}");
        }
    }
}

#[test]
fn the_tree_is_the_fixed_one() {
    let c = catalogue(1, 1, 0);
    let top: Vec<&str> = c["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(top, ["zn", "zd", "fdzdgk", "ndbg", "ysqgk"]);
    let fdzdgk = &c["categories"][2];
    assert_eq!(fdzdgk["name"], "法定主动公开内容");
    assert_eq!(fdzdgk["children"].as_array().unwrap().len(), 17);
    assert_eq!(fdzdgk["children"][3]["children"][0]["id"], "sgjf");
    assert_eq!(
        fdzdgk["children"][16]["name"],
        "重大决策（决策、执行和结果）"
    );
}

#[test]
fn every_generated_item_is_valid() {
    for seed in [1, 2, 3] {
        let c = parsed(3000, seed, 0);
        assert_eq!(c.items.len(), 3000);
        let problems = all_problems(&c);
        assert!(
            problems.is_empty(),
            "seed {seed}: {:?}",
            &problems[..problems.len().min(5)]
        );
    }
}

#[test]
fn ids_are_unique_and_shaped_like_index_numbers() {
    let c = catalogue(5000, 4, 0);
    let items = c["items"].as_array().unwrap();
    let mut seen = HashSet::new();
    for item in items {
        let id = item["id"].as_str().unwrap();
        assert!(seen.insert(id), "{id} twice");
        let (code, rest) = id.split_once('/').unwrap();
        assert_eq!(code.len(), 18, "{id}");
        let (month, seq) = rest.split_once('-').unwrap();
        assert_eq!(month.len(), 6, "{id}");
        assert!(
            seq.len() >= 5 && seq.bytes().all(|b| b.is_ascii_digit()),
            "{id}"
        );
        let published = item["published"].as_str().unwrap().replace('-', "");
        assert_eq!(&published[..6], month, "{id}");
    }
}

fn share(items: &[Value], test: impl Fn(&Value) -> bool) -> f64 {
    items.iter().filter(|i| test(i)).count() as f64 / items.len() as f64
}

fn title_of(item: &Value) -> &str {
    item["title"].as_str().unwrap_or_default()
}

#[test]
fn fields_are_filled_in_realistic_proportions() {
    let c = catalogue(10_000, 8, 0);
    let items = c["items"].as_array().unwrap();
    let village = share(items, |i| {
        matches!(i["level"].as_str(), Some("village" | "村级"))
    });
    assert!((0.26..0.34).contains(&village), "village {village}");
    assert!(items
        .iter()
        .filter(|i| matches!(i["level"].as_str(), Some("village" | "村级")))
        .all(|i| i["village"].is_string()));
    let doc = share(items, |i| i["doc_number"].is_string());
    assert!((0.65..0.75).contains(&doc), "doc_number {doc}");
    let odd_brackets = items
        .iter()
        .filter_map(|i| i["doc_number"].as_str())
        .filter(|d| !d.contains('〔'))
        .count() as f64
        / (doc * items.len() as f64);
    assert!(
        (0.07..0.13).contains(&odd_brackets),
        "brackets {odd_brackets}"
    );
    let valid = share(items, |i| {
        matches!(i["validity"].as_str(), Some("valid" | "有效"))
    });
    assert!((0.82..0.88).contains(&valid), "valid {valid}");
    let repealed = share(items, |i| {
        matches!(i["validity"].as_str(), Some("repealed" | "废止"))
    });
    assert!((0.03..0.07).contains(&repealed), "repealed {repealed}");
    let proactive = share(items, |i| {
        matches!(i["disclosure"].as_str(), Some("proactive" | "主动公开"))
    });
    assert!((0.93..0.97).contains(&proactive), "proactive {proactive}");
    let attachments = share(items, |i| i["attachments"].is_array());
    assert!(
        (0.08..0.12).contains(&attachments),
        "attachments {attachments}"
    );
    let links = share(items, |i| i["link"].is_string());
    assert!((0.08..0.12).contains(&links), "links {links}");
    let traditional: HashSet<char> = CHARS.iter().map(|&(_, t)| t).collect();
    let in_traditional = share(items, |i| {
        title_of(i).chars().any(|c| traditional.contains(&c))
    });
    assert!(
        (0.035..0.065).contains(&in_traditional),
        "traditional {in_traditional}"
    );
    let markup = items
        .iter()
        .filter(|i| title_of(i).contains('<') || title_of(i).contains('&'))
        .count();
    assert!((5..=45).contains(&markup), "markup {markup}");
}

#[test]
fn texts_have_the_promised_lengths_and_dates_the_promised_range() {
    let c = catalogue(4000, 9, 0);
    for item in c["items"].as_array().unwrap() {
        let body = item["body"].as_str().unwrap().chars().count();
        assert!((150..=800).contains(&body), "body of {body} chars: {item}");
        let summary = item["summary"].as_str().unwrap().chars().count();
        assert!(summary <= 100, "summary of {summary} chars");
        let keywords = match &item["keywords"] {
            Value::Array(a) => a.len(),
            Value::String(s) => s.split(['、', ' ', '，', '；']).count(),
            other => panic!("keywords {other}"),
        };
        assert!((2..=4).contains(&keywords), "{keywords} keywords");
        let published = item["published"].as_str().unwrap();
        assert!(
            ("2010-01-01"..="2024-12-31").contains(&published),
            "{published}"
        );
        let written = item["written"].as_str().unwrap();
        if written.len() == 10 && written.as_bytes()[4] == b'-' {
            assert!(
                written <= published && written >= "2010-01-01",
                "{written} {published}"
            );
        }
    }
}

#[test]
fn publication_dates_rise_through_the_file() {
    let c = catalogue(2000, 10, 0);
    let dates: Vec<&str> = c["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["published"].as_str().unwrap())
        .collect();
    let falls = dates.windows(2).filter(|w| w[0] > w[1]).count();
    // Moving a weekend day to Friday may put one item a day before the one
    // above it; nothing else goes back in time.
    assert!(falls < 20, "{falls} dates fall");
    assert!(dates[0] < "2010-03-01" && dates[1999] > "2024-10-01");
}

#[test]
fn most_titles_are_distinct() {
    let c = catalogue(20_000, 11, 0);
    let items = c["items"].as_array().unwrap();
    let distinct: HashSet<&str> = items.iter().map(title_of).collect();
    let share = distinct.len() as f64 / items.len() as f64;
    assert!(share > 0.75, "only {share} of titles distinct");
}
