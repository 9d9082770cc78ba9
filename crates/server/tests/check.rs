//! `xxgk-server check`: what township staff run before uploading a file.

mod common;

fn check(file: &str, lang: &str) -> (bool, String, String) {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    common::run(&["check", &format!("{root}/{file}"), "--lang", lang])
}

#[test]
fn a_good_file_passes_with_its_count() {
    let (ok, out, _) = check("examples/dongting/catalogue.json", "zh");
    assert!(ok);
    assert!(out.contains("可显示 119 条，跳过 0 处"), "{out}");
}

#[test]
fn a_file_with_bad_entries_lists_each_and_fails() {
    let (ok, out, err) = check("tests/e2e/site/fixtures/bad.json", "en");
    assert!(!ok);
    assert!(
        out.contains("Entry 2 (id T-002): title (title) is missing"),
        "{out}"
    );
    assert!(out.contains("5 entries shown, 6 skipped"), "{out}");
    assert!(err.contains("fix the problems above"), "{err}");
}

#[test]
fn a_missing_file_says_so() {
    let (ok, _, err) = check("no/such/file.json", "zh");
    assert!(!ok);
    assert!(err.contains("cannot read"), "{err}");
}
