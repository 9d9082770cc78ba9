//! Reading catalogue files: valid ones, each kind of bad entry, each
//! whole-file error.

use serde_json::{json, Value};
use xxgk_core::catalogue::{Expected, Field};
use xxgk_core::{Catalogue, CatalogueError, ItemProblem, Lang, Level, SkippedPlace, Validity};

fn tree() -> Value {
    json!([
        { "id": "zn", "name": "政府信息公开指南" },
        { "id": "fdzdgk", "name": "法定主动公开内容", "children": [
            { "id": "czyjs", "name": "财政预决算", "children": [ { "id": "sgjf", "name": "三公经费" } ] },
            { "id": "mlxc", "name": "美丽乡村" }
        ] },
        { "id": "ndbg", "name": "年度报告" }
    ])
}

fn good_item(id: &str) -> Value {
    json!({
        "id": id,
        "title": "东亭乡2016年财政预算公开",
        "publisher": "东亭乡财政所",
        "doc_number": "东政〔2016〕12号",
        "written": "2016-03-01",
        "published": "2016-03-05",
        "category": "czyjs",
        "keywords": ["财政", "预算"],
        "body": "第一段\n第二段",
        "link": "http://www.guangde.gov.cn/a.html",
        "attachments": [{ "name": "预算表.xls", "url": "files/budget.xls" }]
    })
}

fn file_with(items: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "schema": "xxgk-catalogue/1",
        "site": { "name": "东亭乡人民政府", "region": "安徽省广德县东亭乡", "updated": "2017-03-31" },
        "categories": tree(),
        "items": items
    }))
    .unwrap()
}

fn parse(items: Vec<Value>) -> Catalogue {
    Catalogue::parse("catalogue.json", &file_with(items)).expect("whole file is valid")
}

/// Parses a file whose only entry is `item` and returns that entry's problems.
fn problems_of(item: Value) -> Vec<ItemProblem> {
    let catalogue = parse(vec![item]);
    assert!(catalogue.items.is_empty(), "entry should be skipped");
    assert_eq!(catalogue.skipped.len(), 1);
    catalogue.skipped[0].problems.clone()
}

fn with(mut item: Value, key: &str, value: Value) -> Value {
    item[key] = value;
    item
}

fn without(mut item: Value, key: &str) -> Value {
    item.as_object_mut().unwrap().remove(key);
    item
}

#[test]
fn a_valid_file_gives_every_field() {
    let catalogue = parse(vec![good_item("A-1")]);
    assert!(catalogue.skipped.is_empty());
    assert_eq!(catalogue.site.name, "东亭乡人民政府");
    assert_eq!(catalogue.site.updated.unwrap().to_string(), "2017-03-31");
    let item = &catalogue.items[0];
    assert_eq!(item.id, "A-1");
    assert_eq!(item.publisher, "东亭乡财政所");
    assert_eq!(item.doc_number.as_deref(), Some("东政〔2016〕12号"));
    assert_eq!(item.written.unwrap().to_string(), "2016-03-01");
    assert_eq!(item.published.to_string(), "2016-03-05");
    assert_eq!(catalogue.category_of(item).id, "czyjs");
    assert_eq!(
        catalogue.category_path(item.category),
        ["法定主动公开内容", "财政预决算"]
    );
    assert_eq!(item.keywords, ["财政", "预算"]);
    assert_eq!(item.level, Level::Township);
    assert_eq!(item.validity, Validity::Valid);
    assert_eq!(item.attachments[0].url.as_str(), "files/budget.xls");
    assert_eq!(catalogue.item("A-1"), Some(item));
}

#[test]
fn optional_fields_take_their_defaults() {
    let item = json!({ "id": "A-1", "title": "标题", "published": "2016-03-05", "category": "zn" });
    let catalogue = parse(vec![item]);
    let item = &catalogue.items[0];
    assert_eq!(
        item.publisher, "东亭乡人民政府",
        "publisher defaults to the site name"
    );
    assert_eq!(item.level, Level::Township);
    assert_eq!(
        (item.doc_number.as_ref(), item.written, item.link.as_ref()),
        (None, None, None)
    );
    assert!(item.keywords.is_empty() && item.attachments.is_empty());
}

#[test]
fn chinese_names_of_codes_and_spreadsheet_shapes_are_accepted() {
    let item = json!({
        "id": 1234567, "title": " 标题 ", "published": "2016年3月5日", "category": "mlxc",
        "level": "村级", "village": "和平村", "validity": "废止", "disclosure": "依申请公开",
        "keywords": "美丽乡村、中心村；建设 道路", "doc_number": 12
    });
    let catalogue = parse(vec![item]);
    let item = &catalogue.items[0];
    assert_eq!(item.id, "1234567");
    assert_eq!(item.title, "标题");
    assert_eq!(item.level, Level::Village);
    assert_eq!(item.validity, Validity::Repealed);
    assert_eq!(item.keywords, ["美丽乡村", "中心村", "建设", "道路"]);
    assert_eq!(item.doc_number.as_deref(), Some("12"));
}

#[test]
fn text_that_looks_like_html_stays_text() {
    let title = "<script>alert(1)</script><img src=x onerror=alert(2)>&amp;";
    let item = with(good_item("A-1"), "title", json!(title));
    let catalogue = parse(vec![item]);
    assert_eq!(
        catalogue.items[0].title, title,
        "kept verbatim, to be shown as text"
    );
}

#[test]
fn a_missing_title_skips_the_entry_with_its_position_and_id() {
    let items = vec![
        good_item("A-1"),
        without(good_item("A-2"), "title"),
        good_item("A-3"),
    ];
    let catalogue = parse(items);
    assert_eq!(
        catalogue
            .items
            .iter()
            .map(|i| i.id.as_str())
            .collect::<Vec<_>>(),
        ["A-1", "A-3"]
    );
    let skipped = &catalogue.skipped[0];
    assert_eq!(skipped.place, SkippedPlace::Item(2));
    assert_eq!(skipped.id.as_deref(), Some("A-2"));
    assert_eq!(skipped.problems, [ItemProblem::Missing(Field::Title)]);
    assert_eq!(
        skipped.message(Lang::Zh),
        "第 2 条（索引号 A-2）：缺少名称（title）"
    );
    assert_eq!(
        skipped.message(Lang::En),
        "Entry 2 (id A-2): title (title) is missing"
    );
}

#[test]
fn a_blank_title_counts_as_missing() {
    assert_eq!(
        problems_of(with(good_item("A"), "title", json!("   "))),
        [ItemProblem::Missing(Field::Title)]
    );
}

#[test]
fn each_required_field_is_required() {
    for (key, field) in [
        ("id", Field::Id),
        ("published", Field::Published),
        ("category", Field::Category),
    ] {
        assert_eq!(
            problems_of(without(good_item("A"), key)),
            [ItemProblem::Missing(field)],
            "{key}"
        );
    }
}

#[test]
fn bad_dates_are_reported_with_the_value() {
    assert_eq!(
        problems_of(with(good_item("A"), "published", json!("2016-02-30"))),
        [ItemProblem::BadDate(Field::Published, "2016-02-30".into())]
    );
    assert_eq!(
        problems_of(with(good_item("A"), "written", json!("去年"))),
        [ItemProblem::BadDate(Field::Written, "去年".into())]
    );
}

#[test]
fn an_unknown_category_is_reported() {
    assert_eq!(
        problems_of(with(good_item("A"), "category", json!("nope"))),
        [ItemProblem::UnknownCategory("nope".into())]
    );
}

#[test]
fn a_duplicate_index_number_skips_the_later_entry() {
    let catalogue = parse(vec![good_item("A-1"), good_item("A-2"), good_item("A-1")]);
    assert_eq!(catalogue.items.len(), 2);
    let skipped = &catalogue.skipped[0];
    assert_eq!(skipped.place, SkippedPlace::Item(3));
    assert_eq!(
        skipped.problems,
        [ItemProblem::DuplicateId {
            first: SkippedPlace::Item(1)
        }]
    );
    assert_eq!(
        skipped.message(Lang::Zh),
        "第 3 条（索引号 A-1）：编号与第 1 条重复"
    );
}

#[test]
fn links_that_are_not_http_or_relative_skip_the_entry() {
    for link in [
        "javascript:alert(1)",
        " JAVASCRIPT:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,x",
    ] {
        assert_eq!(
            problems_of(with(good_item("A"), "link", json!(link))),
            [ItemProblem::UnsafeLink(Field::Link, link.trim().into())],
            "{link:?}"
        );
    }
    let attachments =
        json!([{ "name": "a", "url": "ok.pdf" }, { "name": "b", "url": "vbscript:x" }]);
    assert_eq!(
        problems_of(with(good_item("A"), "attachments", attachments)),
        [ItemProblem::UnsafeLink(
            Field::AttachmentUrl(2),
            "vbscript:x".into()
        )]
    );
}

#[test]
fn values_outside_their_lists_are_reported() {
    assert_eq!(
        problems_of(with(good_item("A"), "validity", json!("maybe"))),
        [ItemProblem::BadValue(Field::Validity, "maybe".into())]
    );
    assert_eq!(
        problems_of(with(good_item("A"), "level", json!("county"))),
        [ItemProblem::BadValue(Field::Level, "county".into())]
    );
    assert_eq!(
        problems_of(with(good_item("A"), "disclosure", json!("secret"))),
        [ItemProblem::BadValue(Field::Disclosure, "secret".into())]
    );
}

#[test]
fn members_of_the_wrong_type_are_reported_not_fatal() {
    assert_eq!(
        problems_of(with(good_item("A"), "title", json!(["a", "b"]))),
        [ItemProblem::WrongType(Field::Title, Expected::Text)]
    );
    assert_eq!(
        problems_of(with(good_item("A"), "body", json!({ "text": "x" }))),
        [ItemProblem::WrongType(Field::Body, Expected::Text)]
    );
    assert_eq!(
        problems_of(with(good_item("A"), "keywords", json!(7))),
        [ItemProblem::WrongType(
            Field::Keywords,
            Expected::TextOrList
        )]
    );
    assert_eq!(
        problems_of(with(good_item("A"), "attachments", json!("a.pdf"))),
        [ItemProblem::WrongType(Field::Attachments, Expected::List)]
    );
    assert_eq!(
        problems_of(with(good_item("A"), "title", json!(true))),
        [ItemProblem::WrongType(Field::Title, Expected::Text)]
    );
}

#[test]
fn every_problem_of_an_entry_is_listed() {
    let item =
        json!({ "id": "A", "published": "2016-13-01", "category": "x", "link": "javascript:x" });
    let problems = problems_of(item);
    assert_eq!(problems.len(), 4, "{problems:?}");
}

#[test]
fn entries_that_are_not_objects_are_skipped() {
    let catalogue = parse(vec![
        json!("just text"),
        json!(null),
        json!([1]),
        good_item("A"),
    ]);
    assert_eq!(catalogue.items.len(), 1);
    assert_eq!(catalogue.skipped.len(), 3);
    assert!(catalogue
        .skipped
        .iter()
        .all(|s| s.problems == [ItemProblem::NotAnObject]));
    assert_eq!(catalogue.skipped[2].place, SkippedPlace::Item(3));
}

#[test]
fn a_member_given_twice_skips_the_entry() {
    let text = r#"{"schema":"xxgk-catalogue/1","site":{"name":"乡"},"categories":[{"id":"zn","name":"指南"}],
        "items":[{"id":"A","id":"B","title":"t","published":"2016-01-01","category":"zn"},
                 {"id":"C","title":"t","published":"2016-01-01","category":"zn"}]}"#;
    let catalogue = Catalogue::parse("c.json", text.as_bytes()).unwrap();
    assert_eq!(catalogue.items.len(), 1);
    assert_eq!(
        catalogue.skipped[0].problems,
        [ItemProblem::Repeated("id".into())]
    );
}

#[test]
fn a_file_where_every_entry_is_bad_still_opens() {
    let catalogue = parse(vec![json!({}), json!({ "title": "x" })]);
    assert!(catalogue.items.is_empty());
    assert_eq!(catalogue.skipped.len(), 2);
}

#[test]
fn bad_category_nodes_are_skipped_with_their_children() {
    let file = json!({
        "schema": "xxgk-catalogue/1",
        "site": { "name": "乡" },
        "categories": [
            { "id": "a", "name": "甲", "children": [ { "name": "无编号" }, { "id": "a1", "name": "甲一" } ] },
            { "id": "a", "name": "重复", "children": [ { "id": "lost", "name": "随父节点跳过" } ] },
            "not a node"
        ],
        "items": [
            { "id": "1", "title": "t", "published": "2016-01-01", "category": "a1" },
            { "id": "2", "title": "t", "published": "2016-01-01", "category": "lost" }
        ]
    });
    let catalogue = Catalogue::parse("c.json", &serde_json::to_vec(&file).unwrap()).unwrap();
    let ids: Vec<&str> = catalogue.categories.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["a", "a1"]);
    let places: Vec<String> = catalogue
        .skipped
        .iter()
        .map(|s| s.place.describe(Lang::En))
        .collect();
    assert_eq!(
        places,
        [
            "category categories[0].children[0]",
            "category categories[1]",
            "category categories[2]",
            "entry 2"
        ]
    );
    assert_eq!(
        catalogue.skipped[1].problems,
        [ItemProblem::DuplicateId {
            first: SkippedPlace::Category("categories[0]".into())
        }]
    );
}

#[test]
fn category_counts_include_descendants() {
    let mut a = good_item("A");
    a["category"] = json!("sgjf");
    let mut b = good_item("B");
    b["category"] = json!("mlxc");
    let catalogue = parse(vec![a, b, good_item("C")]);
    let count = |id: &str| catalogue.category_counts()[catalogue.category_position(id).unwrap()];
    assert_eq!(
        (
            count("fdzdgk"),
            count("czyjs"),
            count("sgjf"),
            count("mlxc"),
            count("zn")
        ),
        (3, 2, 1, 1, 0)
    );
}

fn whole_file_error(bytes: &[u8]) -> CatalogueError {
    Catalogue::parse("https://example.cn/xxgk/catalogue.json", bytes)
        .expect_err("should be refused")
}

#[test]
fn an_empty_file_is_one_clear_error() {
    for bytes in [&b""[..], b"  \n", b"\xEF\xBB\xBF"] {
        let error = whole_file_error(bytes);
        assert!(matches!(error, CatalogueError::Empty { .. }));
        assert_eq!(
            error.to_string(),
            "目录文件 https://example.cn/xxgk/catalogue.json 是空的。请检查文件是否上传完整。"
        );
    }
}

#[test]
fn a_gbk_file_is_told_to_be_saved_as_utf8() {
    // "东亭" in GBK.
    let error = whole_file_error(b"{\"site\": \"\xB6\xAB\xCD\xA4\"}");
    assert_eq!(
        error,
        CatalogueError::NotUtf8 {
            file: "https://example.cn/xxgk/catalogue.json".into(),
            offset: 10
        }
    );
    assert!(error.message(Lang::Zh).contains("另存为 UTF-8"));
    assert!(error.message(Lang::En).contains("Save it as UTF-8"));
}

#[test]
fn broken_json_names_the_line_and_column() {
    let error = whole_file_error(
        b"{\n  \"schema\": \"xxgk-catalogue/1\",\n  \"site\": {\"name\": \"x\"\n}",
    );
    let CatalogueError::NotJson { line, column, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!((*line, *column), (4, 2));
    assert!(error.to_string().contains("第 4 行第 2 列"), "{error}");
    let error = whole_file_error(b"<html>404 Not Found</html>");
    assert!(
        matches!(
            error,
            CatalogueError::NotJson {
                line: 1,
                column: 1,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn json_that_is_not_an_object_is_refused() {
    assert!(matches!(
        whole_file_error(b"[1, 2]"),
        CatalogueError::NotAnObject { .. }
    ));
    assert!(matches!(
        whole_file_error(b"\"text\""),
        CatalogueError::NotAnObject { .. }
    ));
}

#[test]
fn a_missing_or_unknown_schema_is_refused() {
    let error = whole_file_error(br#"{"site":{"name":"x"},"categories":[],"items":[]}"#);
    assert!(matches!(error, CatalogueError::MissingSchema { .. }));
    let error = whole_file_error(
        br#"{"schema":"xxgk-catalogue/2","site":{"name":"x"},"categories":[],"items":[]}"#,
    );
    assert_eq!(
        error,
        CatalogueError::UnknownSchema {
            file: "https://example.cn/xxgk/catalogue.json".into(),
            found: "xxgk-catalogue/2".into()
        }
    );
    assert!(error.message(Lang::En).contains("\"xxgk-catalogue/2\""));
}

#[test]
fn missing_or_mistyped_top_level_members_are_named() {
    let cases: [(&[u8], &str); 5] = [
        (
            br#"{"schema":"xxgk-catalogue/1","categories":[],"items":[]}"#,
            "site",
        ),
        (
            br#"{"schema":"xxgk-catalogue/1","site":{},"categories":[],"items":[]}"#,
            "site.name",
        ),
        (
            br#"{"schema":"xxgk-catalogue/1","site":{"name":"x"},"items":[]}"#,
            "categories",
        ),
        (
            br#"{"schema":"xxgk-catalogue/1","site":{"name":"x"},"categories":[]}"#,
            "items",
        ),
        (
            br#"{"schema":"xxgk-catalogue/1","site":{"name":"x"},"categories":[],"items":{"a":1}}"#,
            "items",
        ),
    ];
    for (bytes, member) in cases {
        match whole_file_error(bytes) {
            CatalogueError::BadMember { member: m, .. } => assert_eq!(m, member),
            other => panic!("{member}: {other:?}"),
        }
    }
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(file_with(vec![good_item("A")]));
    assert_eq!(Catalogue::parse("c.json", &bytes).unwrap().items.len(), 1);
}

#[test]
fn unknown_members_are_ignored_for_forward_compatibility() {
    let item = with(good_item("A"), "future_field", json!({ "nested": [1, 2] }));
    assert_eq!(parse(vec![item]).items.len(), 1);
}

#[test]
fn the_dongting_example_parses_without_skipping_anything() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/dongting/catalogue.json"
    );
    let bytes = std::fs::read(path).expect("examples/dongting/catalogue.json exists");
    let catalogue = Catalogue::parse("catalogue.json", &bytes).unwrap();
    assert!(
        catalogue.skipped.is_empty(),
        "{:?}",
        catalogue
            .skipped
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    );
    assert!(catalogue.items.len() >= 80, "{}", catalogue.items.len());
    let years: std::collections::BTreeSet<u16> =
        catalogue.items.iter().map(|i| i.published.year()).collect();
    assert!(
        [2014, 2015, 2016, 2017].iter().all(|y| years.contains(y)),
        "{years:?}"
    );
    assert!(catalogue.items.iter().any(|i| i.level == Level::Village));
    let counts = catalogue.category_counts();
    for (category, count) in catalogue.categories.iter().zip(counts) {
        assert!(count > 0, "category {} has no entries", category.id);
    }
    let report = catalogue
        .items
        .iter()
        .find(|i| i.title.contains("2016年政府信息公開工作年度報告"))
        .unwrap();
    assert!(report.body.as_deref().unwrap().contains("處理回復率達100%"));
}

#[test]
fn reading_in_batches_gives_the_same_catalogue_as_reading_at_once() {
    let items: Vec<Value> = (1..=25)
        .map(|n| {
            if n % 7 == 0 {
                without(good_item(&format!("A-{n}")), "title")
            } else {
                good_item(&format!("A-{n}"))
            }
        })
        .chain([good_item("A-1")])
        .collect();
    let bytes = file_with(items);
    let whole = Catalogue::parse("c.json", &bytes).unwrap();
    let text = Catalogue::text("c.json", &bytes).unwrap();
    let mut reader = xxgk_core::catalogue::Reader::new("c.json", text).unwrap();
    let mut batches = 1;
    while reader.read(4) {
        batches += 1;
    }
    let stepped = reader.finish();
    assert_eq!(batches, 7);
    assert_eq!(stepped.items, whole.items);
    assert_eq!(stepped.skipped, whole.skipped);
    assert_eq!(
        stepped.skipped.len(),
        4,
        "three without a title, one repeated id"
    );
}

#[test]
fn any_entry_kept_can_be_asked_about_and_an_id_beyond_the_rule_is_skipped() {
    use xxgk_core::catalogue::ENTRY_ID_MAX;
    use xxgk_core::submission::{Kind, Submission};
    let longest = "1".repeat(ENTRY_ID_MAX);
    let odd = "东政〔2016〕12号 #1&2/附件　甲%20+?=";
    let catalogue = parse(vec![
        good_item(&longest),
        good_item(odd),
        good_item(&"1".repeat(ENTRY_ID_MAX + 1)),
        good_item("A-1\u{200B}"),
        good_item("A\u{202E}-2"),
    ]);
    let kept: Vec<&str> = catalogue.items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(kept, [longest.as_str(), odd]);
    for item in &catalogue.items {
        let question = Submission {
            kind: Kind::Consultation,
            subject: "这条信息的附件打不开".into(),
            body: "点击附件链接后显示找不到页面，请帮忙看看。".into(),
            name: "张三".into(),
            phone: "13912345678".into(),
            email: String::new(),
            address: String::new(),
            request: None,
            consent_to_publish: false,
            related_item: item.id.clone(),
            client_key: "k-1a2b3c4d5e".into(),
        };
        assert_eq!(question.as_sent().check(), [], "{}", item.id);
    }
    // Skipped with their positions, without the id itself, which could be
    // overlong or hide characters that garble the notice.
    let skipped: Vec<_> = catalogue
        .skipped
        .iter()
        .map(|s| (s.place.clone(), s.id.clone(), s.problems.clone()))
        .collect();
    assert_eq!(
        skipped,
        [
            (
                SkippedPlace::Item(3),
                None,
                vec![ItemProblem::WrongType(Field::Id, Expected::EntryId)]
            ),
            (
                SkippedPlace::Item(4),
                None,
                vec![ItemProblem::WrongType(Field::Id, Expected::EntryId)]
            ),
            (
                SkippedPlace::Item(5),
                None,
                vec![ItemProblem::WrongType(Field::Id, Expected::EntryId)]
            ),
        ]
    );
    assert_eq!(
        catalogue.skipped[0].message(Lang::Zh),
        "第 3 条：索引号（id）应为不超过 100 个字符、不含看不见的控制字符的文字"
    );
    assert_eq!(
        catalogue.skipped[0].message(Lang::En),
        "Entry 3: index number (id) must be text of at most 100 characters without invisible control characters"
    );
    assert_eq!(
        catalogue.skipped[1].message(Lang::Zh),
        "第 4 条：索引号（id）应为不超过 100 个字符、不含看不见的控制字符的文字"
    );
    // The words name the limit the rule checks.
    assert!(catalogue.skipped[2]
        .message(Lang::En)
        .contains(&format!("at most {ENTRY_ID_MAX} characters")));
}

#[test]
fn attachments_carry_their_size_type_and_whether_phones_open_them() {
    let attachments = json!([
        { "name": "预算表", "url": "files/2017-budget.xls", "size": 44544 },
        { "name": "方案.PDF", "url": "https://x.gov.cn/get?id=7" },
        { "name": "说明", "url": "files/readme" }
    ]);
    let catalogue = parse(vec![with(good_item("A"), "attachments", attachments)]);
    let files = &catalogue.items[0].attachments;
    let described: Vec<_> = files
        .iter()
        .map(|a| (a.kind(), a.size, a.opens_on_phones()))
        .collect();
    assert_eq!(
        described,
        [
            (Some("XLS".to_owned()), Some(44544), false),
            (Some("PDF".to_owned()), None, true),
            (None, None, true),
        ]
    );
    let sizes = [
        0,
        1023,
        1024,
        52_736,
        1023 * 1024,
        1023 * 1024 + 1,
        1_048_575,
        1_048_576,
        5_412_864,
        999 * 1024 * 1024,
        1000 * 1024 * 1024 - 1,
        3 * 1024 * 1024 * 1024 / 2,
    ];
    let read: Vec<_> = sizes.map(xxgk_core::catalogue::human_size).to_vec();
    assert_eq!(
        read,
        [
            "0 B",
            "1023 B",
            "1 KB",
            "52 KB",
            "1023 KB",
            "1.0 MB",
            "1.0 MB",
            "1.0 MB",
            "5.2 MB",
            "999.0 MB",
            "1000.0 MB",
            "1536.0 MB",
        ]
    );
    // No overflow, whatever the catalogue says.
    assert!(xxgk_core::catalogue::human_size(u64::MAX).ends_with(" MB"));
}

#[test]
fn an_attachment_s_type_comes_from_its_name_before_its_address() {
    // A download page's address (get.aspx) says nothing of the file's type.
    let attachments = json!([
        { "name": "2016年预算表.xls", "url": "https://x.gov.cn/download.aspx?id=7" },
        { "name": "方案", "url": "files/b.pdf" }
    ]);
    let catalogue = parse(vec![with(good_item("A"), "attachments", attachments)]);
    let described: Vec<_> = catalogue.items[0]
        .attachments
        .iter()
        .map(|a| (a.kind(), a.opens_on_phones()))
        .collect();
    assert_eq!(
        described,
        [
            (Some("XLS".to_owned()), false),
            (Some("PDF".to_owned()), true)
        ]
    );
}

#[test]
fn a_size_that_is_not_whole_bytes_skips_the_entry_and_says_so() {
    for size in [
        json!("52 KB"),
        json!("52736"),
        json!(-1),
        json!(1.5),
        json!(true),
    ] {
        let attachments = json!([{ "name": "a", "url": "a.pdf", "size": size }]);
        let problems = problems_of(with(good_item("A"), "attachments", attachments));
        assert_eq!(
            problems,
            [ItemProblem::WrongType(
                Field::AttachmentSize(1),
                Expected::Bytes
            )],
            "{size}"
        );
        assert!(problems[0]
            .message(Lang::Zh)
            .contains("attachments[0].size"));
    }
}

#[test]
fn an_attachment_says_what_a_tap_costs() {
    let attachments = json!([
        { "name": "表", "url": "files/a.xls", "size": 44544 },
        { "name": "方案", "url": "files/b.pdf", "size": 1258291 },
        { "name": "说明", "url": "files/readme" }
    ]);
    let catalogue = parse(vec![with(good_item("A"), "attachments", attachments)]);
    let about: Vec<_> = catalogue.items[0]
        .attachments
        .iter()
        .map(|a| a.about(("（", "，", "）"), "手机可能打不开"))
        .collect();
    assert_eq!(
        about,
        [
            Some("（XLS，44 KB，手机可能打不开）".to_owned()),
            Some("（PDF，1.2 MB）".to_owned()),
            None
        ]
    );
}
