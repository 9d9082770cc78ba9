//! A checker of items that follows docs/catalogue.md, written separately from
//! the generator so the tests do not grade the generator by its own rules.

#![allow(dead_code)]

use serde_json::Value;
use std::collections::HashSet;
use xxgk_catgen::date::is_real_date;
use xxgk_catgen::{catalogue_bytes, Options};

/// The parsed catalogue for `items`, `seed` and `bad`.
pub fn catalogue(items: u64, seed: u64, bad: u64) -> Value {
    let bytes = catalogue_bytes(&Options {
        items,
        seed,
        bad,
        ..Options::default()
    })
    .expect("generation succeeds");
    serde_json::from_slice(&bytes).expect("output is JSON")
}

/// The ids of every node of a category tree.
pub fn tree_ids(nodes: &Value) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut stack: Vec<&Value> = nodes.as_array().into_iter().flatten().collect();
    while let Some(node) = stack.pop() {
        if let Some(id) = node["id"].as_str() {
            ids.insert(id.to_string());
        }
        if let Some(children) = node["children"].as_array() {
            stack.extend(children);
        }
    }
    ids
}

/// Whether `s` is a date in one of the accepted spellings, existing in the calendar.
pub fn is_date(s: &str) -> bool {
    let s = s.trim();
    let parts: Vec<&str> = if let Some(rest) = s.strip_suffix('日') {
        rest.split(['年', '月']).collect()
    } else {
        s.split(['-', '/', '.']).collect()
    };
    if parts.len() != 3 || parts[0].len() != 4 {
        return false;
    }
    let nums: Option<Vec<u32>> = parts.iter().map(|p| p.parse().ok()).collect();
    match nums {
        Some(n) => is_real_date(n[0] as i32, n[1], n[2]),
        None => false,
    }
}

/// Whether `url` is http(s) or a relative reference.
pub fn is_safe_url(url: &str) -> bool {
    let url = url.trim();
    match url.find([':', '/', '?', '#']) {
        Some(i) if url.as_bytes()[i] == b':' => {
            let scheme = url[..i].to_ascii_lowercase();
            scheme == "http" || scheme == "https"
        }
        _ => true,
    }
}

fn is_text(v: &Value) -> bool {
    v.as_str().is_some_and(|s| !s.trim().is_empty()) || v.is_number()
}

/// The problems of item `item` per docs/catalogue.md; `seen` holds the ids of
/// earlier items and gets this one's.
pub fn problems(
    item: &Value,
    categories: &HashSet<String>,
    seen: &mut HashSet<String>,
) -> Vec<String> {
    let mut out = Vec::new();
    let Some(obj) = item.as_object() else {
        return vec!["not an object".into()];
    };
    for required in ["id", "title", "published", "category"] {
        if !obj.contains_key(required) {
            out.push(format!("missing {required}"));
        }
    }
    for text in ["id", "title", "category"] {
        if let Some(v) = obj.get(text) {
            if !is_text(v) {
                out.push(format!("{text} is not text"));
            }
        }
    }
    if let Some(id) = obj.get("id").and_then(Value::as_str) {
        if !seen.insert(id.to_string()) {
            out.push("duplicate id".into());
        }
    }
    for date in ["published", "written"] {
        if let Some(v) = obj.get(date) {
            if !v.as_str().is_some_and(is_date) {
                out.push(format!("bad {date}"));
            }
        }
    }
    if let Some(cat) = obj.get("category").and_then(Value::as_str) {
        if !categories.contains(cat) {
            out.push("unknown category".into());
        }
    }
    let enums: [(&str, &[&str]); 3] = [
        ("level", &["township", "village", "乡镇级", "村级"]),
        (
            "validity",
            &["valid", "expired", "repealed", "有效", "失效", "废止"],
        ),
        (
            "disclosure",
            &["proactive", "on_request", "主动公开", "依申请公开"],
        ),
    ];
    for (name, allowed) in enums {
        if let Some(v) = obj.get(name) {
            if !v.as_str().is_some_and(|s| allowed.contains(&s)) {
                out.push(format!("bad {name}"));
            }
        }
    }
    for text in ["publisher", "village", "topic", "genre", "summary", "body"] {
        if let Some(v) = obj.get(text) {
            if !v.is_string() {
                out.push(format!("{text} is not text"));
            }
        }
    }
    if let Some(v) = obj.get("doc_number") {
        if !(v.is_string() || v.is_number()) {
            out.push("doc_number is not text".into());
        }
    }
    if let Some(v) = obj.get("keywords") {
        let ok = v.is_string() || v.as_array().is_some_and(|a| a.iter().all(Value::is_string));
        if !ok {
            out.push("bad keywords".into());
        }
    }
    if let Some(v) = obj.get("link") {
        if !v.as_str().is_some_and(is_safe_url) {
            out.push("bad link".into());
        }
    }
    if let Some(v) = obj.get("attachments") {
        match v.as_array() {
            Some(list) => {
                for a in list {
                    if !is_text(&a["name"]) || !a["url"].as_str().is_some_and(is_safe_url) {
                        out.push("bad attachment".into());
                    }
                }
            }
            None => out.push("attachments is not a list".into()),
        }
    }
    out
}

/// Problems of every item, by position.
pub fn all_problems(catalogue: &Value) -> Vec<(usize, Vec<String>)> {
    let categories = tree_ids(&catalogue["categories"]);
    let mut seen = HashSet::new();
    catalogue["items"]
        .as_array()
        .expect("items is an array")
        .iter()
        .enumerate()
        .map(|(i, item)| (i, problems(item, &categories, &mut seen)))
        .filter(|(_, p)| !p.is_empty())
        .collect()
}
