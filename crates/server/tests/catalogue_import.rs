//! `xxgk-server catalogue check | import | stats`: catalogues kept in
//! Excel, checked, turned into catalogue files and counted. Every file
//! written is graded by the widget's own parser.

mod common;

use std::path::{Path, PathBuf};
use xxgk_core::Catalogue;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn root(path: &str) -> String {
    format!("{ROOT}/{path}")
}

/// A fresh folder for one test's files.
fn folder(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xxgk-import-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// `catalogue import FILE --out OUT` with `args`: success, stdout,
/// stderr, and the file written, if any.
fn import(file: &str, out: &Path, args: &[&str]) -> (bool, String, String, Option<Vec<u8>>) {
    let _ = std::fs::remove_file(out);
    let mut all = vec!["catalogue", "import", file, "--out", path(out)];
    all.extend_from_slice(args);
    let (ok, stdout, stderr) = common::run(&all);
    (ok, stdout, stderr, std::fs::read(out).ok())
}

fn parse(json: &[u8]) -> Catalogue {
    let catalogue = Catalogue::parse("imported", json).unwrap();
    assert!(
        catalogue.skipped.is_empty(),
        "the file written has entries the widget skips: {:?}",
        catalogue.skipped
    );
    catalogue
}

const BAD_ROW: &str = "第 9 行（索引号 11341822003207567E/201602-00008）：发布日期（published）“2016年2月30日”不是有效日期，应写成 2016-03-05";

#[test]
fn the_sample_workbook_imports_all_but_its_bad_row() {
    let dir = folder("workbook");
    let out = dir.join("catalogue.json");
    let (ok, stdout, stderr, json) = import(
        &root("examples/spreadsheet/dongting-sample.xlsx"),
        &out,
        &[],
    );
    assert!(!ok, "a row was left out, so the exit is not zero");
    assert!(stdout.contains(BAD_ROW), "{stdout}");
    assert!(stdout.contains("空行 1 行，已略过。"), "{stdout}");
    assert!(stdout.contains("已忽略：备注。"), "{stdout}");
    assert!(stdout.contains("：9 条。"), "{stdout}");
    assert!(
        stderr.contains("1 行未导入（见上），其余 9 条已写入"),
        "{stderr}"
    );

    let catalogue = parse(&json.expect("the good rows are written"));
    assert_eq!(catalogue.items.len(), 9);
    assert!(catalogue.item("11341822003207567E/201602-00008").is_none());
    assert_eq!(catalogue.site.name, "东亭乡人民政府");
    assert_eq!(catalogue.site.updated.unwrap().to_string(), "2017-03-20");
    let published = |id: &str| catalogue.item(id).unwrap().published.to_string();
    // A date cell, a serial number in General format, typed text.
    assert_eq!(published("11341822003207567E/201612-00031"), "2016-12-05");
    assert_eq!(published("11341822003207567E/201702-00009"), "2017-02-28");
    assert_eq!(published("11341822003207567E/201610-00019"), "2016-10-10");
    let category = |id: &str| {
        let item = catalogue.item(id).unwrap();
        catalogue.category_of(item).id.clone()
    };
    assert_eq!(category("11341822003207567E/201612-00031"), "czyjs");
    assert_eq!(category("11341822003207567E/201612-00033"), "sgjf");
    assert_eq!(category("11341822003207567E/201611-00027"), "aqsc");
    let village = catalogue.item("11341822003207567E/201609-00014").unwrap();
    assert_eq!(village.level, xxgk_core::Level::Village);
    assert_eq!(village.village.as_deref(), Some("白杨村"));
    let attachments: Vec<(&str, &str)> = village
        .attachments
        .iter()
        .map(|a| (a.name.as_str(), a.url.as_str()))
        .collect();
    assert_eq!(
        attachments,
        [
            ("资金使用明细表.xls", "files/baiyang-2016-funds.xls"),
            (
                "baiyang-plan.pdf",
                "https://www.guangde.gov.cn/files/baiyang-plan.pdf"
            ),
        ]
    );
}

#[test]
fn the_sample_csv_gives_the_same_catalogue_as_the_workbook() {
    let dir = folder("csv");
    let (from_xlsx, from_csv) = (dir.join("x.json"), dir.join("c.json"));
    let (_, _, _, xlsx) = import(
        &root("examples/spreadsheet/dongting-sample.xlsx"),
        &from_xlsx,
        &[],
    );
    let (ok, stdout, _, csv) = import(
        &root("examples/spreadsheet/dongting-sample.csv"),
        &from_csv,
        &[],
    );
    assert!(!ok);
    assert!(stdout.contains(BAD_ROW), "{stdout}");
    assert!(stdout.contains("空行 1 行，已略过。"), "{stdout}");
    let csv = csv.unwrap();
    assert_eq!(parse(&csv).items.len(), 9);
    assert!(
        csv == xlsx.unwrap(),
        "the CSV and the workbook give other files"
    );
}

#[test]
fn the_same_sheet_gives_the_same_bytes() {
    let dir = folder("again");
    let out = dir.join("catalogue.json");
    let sample = root("examples/spreadsheet/dongting-sample.xlsx");
    let (_, _, _, first) = import(&sample, &out, &[]);
    let (_, _, _, second) = import(&sample, &out, &[]);
    assert!(first.unwrap() == second.unwrap());
}

#[test]
fn each_date_form_becomes_the_canonical_date() {
    let dir = folder("dates");
    let forms = [
        "2016-12-01",
        "2016/12/1",
        "2016.12.01",
        "2016年12月1日",
        "２０１６年１２月１日",
        "2016/12/1 0:00",
        "20161201",
        "42705",
    ];
    let mut csv = String::from("索引号,名称,发布机构,成文日期,发布日期,目录分类\n");
    for (i, form) in forms.iter().enumerate() {
        csv.push_str(&format!("D-{i},日期{i},东亭乡人民政府,{form},{form},zn\n"));
    }
    let sheet = dir.join("dates.csv");
    std::fs::write(&sheet, csv).unwrap();
    let (ok, stdout, stderr, json) = import(path(&sheet), &dir.join("out.json"), &[]);
    assert!(ok, "{stdout}{stderr}");
    let catalogue = parse(&json.unwrap());
    assert_eq!(catalogue.items.len(), forms.len());
    for item in &catalogue.items {
        assert_eq!(item.published.to_string(), "2016-12-01", "{}", item.id);
        assert_eq!(
            item.written.unwrap().to_string(),
            "2016-12-01",
            "{}",
            item.id
        );
    }
    let written = String::from_utf8(std::fs::read(dir.join("out.json")).unwrap()).unwrap();
    assert_eq!(
        written.matches("\"published\": \"2016-12-01\"").count(),
        forms.len()
    );
}

#[test]
fn a_gbk_csv_is_read_and_said_to_be() {
    let dir = folder("gbk");
    let (gbk, _, bad) = encoding_rs::GBK
        .encode("索引号,名称,发布机构,发布日期,目录分类\nG-1,东亭乡2016年财政预算公开,东亭乡人民政府,2016-03-05,财政预决算\n");
    assert!(!bad);
    let sheet = dir.join("gbk.csv");
    std::fs::write(&sheet, gbk).unwrap();
    let (ok, stdout, _, json) = import(path(&sheet), &dir.join("out.json"), &[]);
    assert!(ok, "{stdout}");
    assert!(stdout.contains("已按 GBK 读取"), "{stdout}");
    let catalogue = parse(&json.unwrap());
    assert_eq!(catalogue.items[0].title, "东亭乡2016年财政预算公开");
}

#[test]
fn headers_are_read_in_their_variants_and_unknown_ones_named_once() {
    let dir = folder("headers");
    let csv = "ＩＤ, 标 题 ,发布机构,Published,*目录分类,体裁分类,公开属性,层级,所属村,摘要,原文链接,经办人,备注\n\
               H-1,甲,东亭乡人民政府,2016-12-01,czyjs,通知,依申请公开,村级,东亭村,概述,https://www.example.gov.cn/a.html,张三,无\n\
               H-2,乙,东亭乡人民政府,2016-12-02,czyjs,公告,主动公开,乡镇级,,,,李四,\n";
    let sheet = dir.join("headers.csv");
    std::fs::write(&sheet, csv).unwrap();
    let (ok, stdout, stderr, json) = import(path(&sheet), &dir.join("out.json"), &[]);
    assert!(ok, "{stdout}{stderr}");
    assert_eq!(stdout.matches("已忽略").count(), 1, "{stdout}");
    assert!(stdout.contains("已忽略：经办人、备注。"), "{stdout}");
    let catalogue = parse(&json.unwrap());
    let item = catalogue.item("H-1").unwrap();
    assert_eq!(item.title, "甲");
    assert_eq!(item.genre.as_deref(), Some("通知"));
    assert_eq!(item.disclosure, xxgk_core::Disclosure::OnRequest);
    assert_eq!(item.level, xxgk_core::Level::Village);
    assert_eq!(item.village.as_deref(), Some("东亭村"));
    assert_eq!(item.summary.as_deref(), Some("概述"));
    assert_eq!(
        item.link.as_ref().map(|l| l.as_str()),
        Some("https://www.example.gov.cn/a.html")
    );
    assert_eq!(
        catalogue.item("H-2").unwrap().genre.as_deref(),
        Some("公告")
    );
}

#[test]
fn a_sheet_without_a_required_column_is_refused_naming_it() {
    let dir = folder("missing");
    let sheet = dir.join("missing.csv");
    std::fs::write(&sheet, "索引号,名称,发布日期,备注\nM-1,甲,2016-12-01,\n").unwrap();
    let out = dir.join("out.json");
    let (ok, _, stderr, json) = import(path(&sheet), &out, &[]);
    assert!(!ok);
    assert!(json.is_none(), "nothing is written");
    assert!(
        stderr.contains("第 1 行被当作表头，但其中没有这些列：目录分类（或 category）"),
        "{stderr}"
    );
    let (_, _, stderr, _) = import(path(&sheet), &out, &["--lang", "en"]);
    assert!(
        stderr.contains("lacks these columns: 目录分类 (or category)"),
        "{stderr}"
    );
}

#[test]
fn categories_are_found_by_name_path_or_id_and_an_ambiguous_name_is_refused() {
    let dir = folder("categories");
    let tree = dir.join("tree.json");
    std::fs::write(
        &tree,
        r#"{"schema":"xxgk-catalogue/1","site":{"name":"某镇人民政府"},"items":[],"categories":[
            {"id":"fd","name":"法定主动公开内容","children":[
                {"id":"cz","name":"财政预决算"},
                {"id":"fd-qt","name":"其他"}]},
            {"id":"nb","name":"年度报告","children":[{"id":"nb-qt","name":"其他"}]}]}"#,
    )
    .unwrap();
    let csv = "索引号,名称,发布机构,发布日期,目录分类\n\
               C-1,按名称,某镇人民政府,2016-12-01,财政预决算\n\
               C-2,按路径,某镇人民政府,2016-12-01,年度报告 > 其他\n\
               C-3,按编号,某镇人民政府,2016-12-01,fd-qt\n\
               C-4,同名,某镇人民政府,2016-12-01,其他\n\
               C-5,没有,某镇人民政府,2016-12-01,财政\n\
               C-6,全角,某镇人民政府,2016-12-01,法定主动公开内容／财政预决算\n";
    let sheet = dir.join("categories.csv");
    std::fs::write(&sheet, csv).unwrap();
    let (ok, stdout, _, json) = import(
        path(&sheet),
        &dir.join("out.json"),
        &["--categories", path(&tree)],
    );
    assert!(!ok);
    assert!(
        stdout.contains("第 5 行（索引号 C-4）：目录分类“其他”对应多个分类：法定主动公开内容/其他、年度报告/其他"),
        "{stdout}"
    );
    assert!(
        stdout.contains("第 6 行（索引号 C-5）：目录分类“财政”不存在"),
        "{stdout}"
    );
    let catalogue = parse(&json.unwrap());
    let category = |id: &str| {
        let item = catalogue.item(id).unwrap();
        catalogue.category_of(item).id.clone()
    };
    assert_eq!(category("C-1"), "cz");
    assert_eq!(category("C-2"), "nb-qt");
    assert_eq!(category("C-3"), "fd-qt");
    assert_eq!(category("C-6"), "cz");
    assert_eq!(catalogue.items.len(), 4);
    // The tree written is the one given.
    assert_eq!(catalogue.categories.len(), 5);
    assert_eq!(catalogue.category_path(4), ["年度报告", "其他"]);
}

#[test]
fn the_site_name_and_region_can_be_given() {
    let dir = folder("site");
    let sheet = dir.join("site.csv");
    std::fs::write(
        &sheet,
        "索引号,名称,发布日期,目录分类\nS-1,甲,2016-12-01,zn\nS-2,乙,2015-01-01,zn\n",
    )
    .unwrap();
    let out = dir.join("out.json");
    let (ok, _, stderr, _) = import(path(&sheet), &out, &[]);
    assert!(!ok);
    assert!(stderr.contains("--site-name"), "{stderr}");
    let (ok, stdout, stderr, json) = import(
        path(&sheet),
        &out,
        &[
            "--site-name",
            "东亭乡人民政府",
            "--region",
            "安徽省广德县东亭乡",
        ],
    );
    assert!(ok, "{stdout}{stderr}");
    let catalogue = parse(&json.unwrap());
    assert_eq!(catalogue.site.name, "东亭乡人民政府");
    assert_eq!(catalogue.site.region.as_deref(), Some("安徽省广德县东亭乡"));
    assert_eq!(catalogue.site.updated.unwrap().to_string(), "2016-12-01");
    assert_eq!(catalogue.items[1].publisher, "东亭乡人民政府");
}

#[test]
fn a_workbook_is_read_from_its_first_sheet_or_the_one_named() {
    use rust_xlsxwriter::Workbook;
    let dir = folder("sheets");
    let mut book = Workbook::new();
    let notes = book.add_worksheet();
    notes.set_name("填表说明").unwrap();
    notes.write_string(0, 0, "请在“目录”工作表中填写").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("目录").unwrap();
    // The header starts in B3: rows and columns are numbered as Excel
    // shows them.
    for (c, name) in ["索引号", "名称", "发布机构", "发布日期", "目录分类"]
        .iter()
        .enumerate()
    {
        sheet.write_string(2, c as u16 + 1, *name).unwrap();
    }
    for (c, value) in ["W-1", "", "东亭乡人民政府", "2016-12-01", "zn"]
        .iter()
        .enumerate()
    {
        sheet.write_string(3, c as u16 + 1, *value).unwrap();
    }
    let file = dir.join("book.xlsx");
    std::fs::write(&file, book.save_to_buffer().unwrap()).unwrap();

    let (ok, _, stderr) = common::run(&["catalogue", "check", path(&file)]);
    assert!(!ok);
    assert!(stderr.contains("第 1 行被当作表头"), "{stderr}");
    let (ok, stdout, _) = common::run(&["catalogue", "check", path(&file), "--sheet", "目录"]);
    assert!(!ok);
    assert!(
        stdout.contains("第 4 行（索引号 W-1）：缺少名称（title）"),
        "{stdout}"
    );
    assert!(
        stdout.contains("只读取了工作表“目录”，未读取：填表说明"),
        "{stdout}"
    );
    let (ok, _, stderr) = common::run(&["catalogue", "check", path(&file), "--sheet", "无此表"]);
    assert!(!ok);
    assert!(stderr.contains("现有的工作表：填表说明、目录"), "{stderr}");
}

#[test]
fn catalogue_check_reads_a_spreadsheet() {
    let (ok, stdout, stderr) = common::run(&[
        "catalogue",
        "check",
        &root("examples/spreadsheet/dongting-sample.xlsx"),
    ]);
    assert!(!ok);
    assert!(stdout.contains(BAD_ROW), "{stdout}");
    assert!(stdout.contains("可显示 9 条，跳过 1 处。"), "{stdout}");
    assert!(stderr.contains("请按上面的提示修正"), "{stderr}");
    let (_, stdout, _) = common::run(&[
        "catalogue",
        "check",
        &root("examples/spreadsheet/dongting-sample.csv"),
        "--lang",
        "en",
    ]);
    assert!(
        stdout.contains("Row 9 (id 11341822003207567E/201602-00008): date published (published) \"2016年2月30日\" is not a valid date"),
        "{stdout}"
    );
    assert!(stdout.contains("9 entries shown, 1 skipped."), "{stdout}");
}

#[test]
fn catalogue_check_says_of_a_catalogue_file_what_check_says() {
    for file in [
        "examples/dongting/catalogue.json",
        "tests/e2e/site/fixtures/bad.json",
    ] {
        for lang in ["zh", "en"] {
            let old = common::run(&["check", &root(file), "--lang", lang]);
            let new = common::run(&["catalogue", "check", &root(file), "--lang", lang]);
            assert_eq!(old, new, "{file} {lang}");
        }
    }
    let (ok, stdout, _) = common::run(&[
        "catalogue",
        "check",
        &root("tests/e2e/site/fixtures/bad.json"),
        "--lang",
        "en",
    ]);
    assert!(!ok);
    assert!(
        stdout.contains("Entry 2 (id T-002): title (title) is missing"),
        "{stdout}"
    );
}

#[test]
fn a_catalogue_file_imports_as_its_valid_entries() {
    let dir = folder("json");
    let (ok, _, stderr, json) = import(
        &root("tests/e2e/site/fixtures/bad.json"),
        &dir.join("out.json"),
        &["--lang", "en"],
    );
    assert!(!ok);
    assert!(stderr.contains("6 entries left out"), "{stderr}");
    assert_eq!(parse(&json.unwrap()).items.len(), 5);
}

/// The sample catalogue's counts, worked out here from its JSON alone.
struct Expected {
    total: usize,
    categories: Vec<(String, String, usize)>,
    levels: [usize; 2],
    validity: [usize; 3],
    months: std::collections::BTreeMap<String, usize>,
}

fn expected(year: Option<&str>) -> Expected {
    let sample: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root("examples/dongting/catalogue.json")).unwrap())
            .unwrap();
    let items: Vec<&serde_json::Value> = sample["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| year.is_none_or(|y| i["published"].as_str().unwrap().starts_with(y)))
        .collect();
    fn walk(
        nodes: &serde_json::Value,
        path: &str,
        items: &[&serde_json::Value],
        out: &mut Vec<(String, String, usize)>,
    ) -> usize {
        let mut sum = 0;
        for node in nodes.as_array().into_iter().flatten() {
            let id = node["id"].as_str().unwrap();
            let name = node["name"].as_str().unwrap();
            let here = if path.is_empty() {
                name.to_owned()
            } else {
                format!("{path}/{name}")
            };
            let at = out.len();
            out.push((id.to_owned(), here.clone(), 0));
            let own = items.iter().filter(|i| i["category"] == id).count();
            let count = own + walk(&node["children"], &here, items, out);
            out[at].2 = count;
            sum += count;
        }
        sum
    }
    let mut categories = Vec::new();
    walk(&sample["categories"], "", &items, &mut categories);
    let count = |member: &str, value: &str| items.iter().filter(|i| i[member] == value).count();
    let mut months = std::collections::BTreeMap::new();
    for item in &items {
        *months
            .entry(item["published"].as_str().unwrap()[..7].to_owned())
            .or_insert(0) += 1;
    }
    Expected {
        total: items.len(),
        categories,
        levels: [count("level", "township"), count("level", "village")],
        validity: [
            count("validity", "valid"),
            count("validity", "expired"),
            count("validity", "repealed"),
        ],
        months,
    }
}

/// `catalogue stats` of the sample catalogue with `args`: its output.
fn stats(args: &[&str]) -> String {
    let sample = root("examples/dongting/catalogue.json");
    let mut all = vec!["catalogue", "stats", sample.as_str()];
    all.extend_from_slice(args);
    let (ok, stdout, stderr) = common::run(&all);
    assert!(ok, "{stderr}");
    stdout
}

#[test]
fn stats_agree_with_counts_worked_out_from_the_json() {
    for year in [None, Some("2016")] {
        let want = expected(year);
        let mut args = vec!["--format", "json"];
        if let Some(year) = year {
            args.extend(["--year", year]);
        }
        let got: serde_json::Value = serde_json::from_str(&stats(&args)).unwrap();
        assert_eq!(got["total"], want.total, "{year:?}");
        let categories: Vec<(String, String, usize)> = got["categories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["id"].as_str().unwrap().to_owned(),
                    c["path"].as_str().unwrap().to_owned(),
                    c["count"].as_u64().unwrap() as usize,
                )
            })
            .collect();
        assert_eq!(categories, want.categories, "{year:?}");
        let counts = |dimension: &str| -> Vec<usize> {
            got[dimension]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v["count"].as_u64().unwrap() as usize)
                .collect()
        };
        assert_eq!(counts("levels"), want.levels, "{year:?}");
        assert_eq!(counts("validity"), want.validity, "{year:?}");
        let months: std::collections::BTreeMap<String, usize> = got["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                (
                    m["value"].as_str().unwrap().to_owned(),
                    m["count"].as_u64().unwrap() as usize,
                )
            })
            .filter(|(_, count)| *count > 0)
            .collect();
        assert_eq!(months, want.months, "{year:?}");
    }
    // The sample has entries in every kind the dimensions tell apart.
    let all = expected(None);
    assert_eq!(all.total, 119);
    assert!(all.levels.iter().chain(&all.validity).all(|&n| n > 0));
}

#[test]
fn stats_as_markdown_and_csv_give_the_same_counts() {
    let want = expected(Some("2016"));
    let md = stats(&["--year", "2016"]);
    let csv = stats(&["--year", "2016", "--format", "csv"]);
    assert!(md.contains(&format!("共 {} 条。", want.total)), "{md}");
    assert!(
        csv.starts_with(&format!(
            "\u{FEFF}dimension,value,count\r\ntotal,,{}\r\n",
            want.total
        )),
        "{csv}"
    );
    for (_, path, count) in &want.categories {
        let depth = path.matches('/').count();
        let name = path.rsplit('/').next().unwrap();
        let indent = "\u{3000}".repeat(depth);
        assert!(
            md.contains(&format!("\n| {indent}{name} | {count} |\n")),
            "{path} in {md}"
        );
        assert!(
            csv.contains(&format!("\r\ncategory,{path},{count}\r\n")),
            "{path} in {csv}"
        );
    }
    for (label, count) in ["乡镇级", "村级"].iter().zip(want.levels) {
        assert!(md.contains(&format!("\n| {label} | {count} |\n")), "{md}");
        assert!(
            csv.contains(&format!("\r\nlevel,{label},{count}\r\n")),
            "{csv}"
        );
    }
    for (label, count) in ["有效", "失效", "废止"].iter().zip(want.validity) {
        assert!(md.contains(&format!("\n| {label} | {count} |\n")), "{md}");
        assert!(
            csv.contains(&format!("\r\nvalidity,{label},{count}\r\n")),
            "{csv}"
        );
    }
    for month in 1..=12 {
        let month = format!("2016-{month:02}");
        let count = want.months.get(&month).copied().unwrap_or(0);
        assert!(md.contains(&format!("\n| {month} | {count} |\n")), "{md}");
        assert!(
            csv.contains(&format!("\r\nmonth,{month},{count}\r\n")),
            "{csv}"
        );
    }
}

#[test]
fn stats_read_spreadsheets_and_leave_bad_rows_out() {
    let (ok, stdout, stderr) = common::run(&[
        "catalogue",
        "stats",
        &root("examples/spreadsheet/dongting-sample.xlsx"),
        "--format",
        "json",
    ]);
    assert!(ok, "{stderr}");
    assert!(stderr.contains("1 处有问题，未计入统计"), "{stderr}");
    let got: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(got["total"], 9);
    assert_eq!(got["levels"][1]["count"], 2);
    assert_eq!(got["validity"][2]["count"], 1);
}
