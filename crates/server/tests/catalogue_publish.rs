//! `xxgk-server catalogue publish`: a catalogue file or spreadsheet
//! written as a bundle the widget reads, checked like `check`, and written
//! again with only what changed.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use xxgk_core::bundle::{Files, Manifest, Reader, Wait};
use xxgk_core::{Catalogue, View};

fn root(path: &str) -> String {
    format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn folder(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xxgk-publish-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn publish(input: &str, out: &Path) -> (bool, String, String) {
    common::run(&[
        "catalogue",
        "publish",
        input,
        "--out",
        out.to_str().unwrap(),
    ])
}

/// Every file in a folder, by its path inside it, with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn answer<T>(
    folder: &HashMap<String, Vec<u8>>,
    question: impl Fn(&dyn Files) -> Result<T, Wait>,
) -> T {
    match question(folder) {
        Ok(answer) => answer,
        Err(wait) => panic!("the bundle on disk does not answer: {wait:?}"),
    }
}

#[test]
fn a_catalogue_file_is_published_and_reads_as_the_catalogue() {
    let out = folder("file");
    let input = root("examples/dongting/catalogue.json");
    let (ok, stdout, stderr) = publish(&input, &out);
    assert!(ok, "{stdout}{stderr}");
    assert!(stdout.contains("119 条"), "{stdout}");
    assert!(stdout.contains("index.json"), "{stdout}");
    let catalogue = Catalogue::parse(&input, &std::fs::read(&input).unwrap()).unwrap();
    let manifest = Manifest::read(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    assert_eq!(manifest.entries, 119);
    let reader = Reader::new(manifest);
    let folder: HashMap<String, Vec<u8>> = contents(&out).into_iter().collect();
    for page in [1, 2, 12] {
        let view = View {
            page,
            ..View::default()
        };
        let got = answer(&folder, |files| reader.page(files, &view, 10));
        let want = catalogue.select(&view, 10);
        let ids: Vec<&str> = got.rows.iter().map(|r| r.id.as_str()).collect();
        let want: Vec<&str> = want
            .items
            .iter()
            .map(|&i| catalogue.items[i].id.as_str())
            .collect();
        assert_eq!(ids, want);
    }
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn publishing_the_same_catalogue_again_changes_nothing() {
    let out = folder("again");
    let input = root("examples/dongting/catalogue.json");
    assert!(publish(&input, &out).0);
    let first = contents(&out);
    let (ok, stdout, _) = publish(&input, &out);
    assert!(ok);
    assert!(stdout.contains("新写入 1 个"), "only index.json: {stdout}");
    assert_eq!(contents(&out), first);
    let _ = std::fs::remove_dir_all(&out);
}

/// A shard cut short by a crash, or with a byte changed on the disk,
/// is written again by the next publishing of the same catalogue.
#[test]
fn publishing_again_repairs_a_damaged_shard() {
    let out = folder("repair");
    let input = root("examples/dongting/catalogue.json");
    assert!(publish(&input, &out).0);
    let first = contents(&out);
    let shards: Vec<&String> = first
        .keys()
        .filter(|k| k.starts_with("e/"))
        .take(2)
        .collect();
    let (cut, flipped) = (out.join(shards[0]), out.join(shards[1]));
    let bytes = std::fs::read(&cut).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let mut bytes = std::fs::read(&flipped).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x20;
    std::fs::write(&flipped, &bytes).unwrap();
    let (ok, stdout, _) = publish(&input, &out);
    assert!(ok);
    assert!(
        stdout.contains("新写入 3 个"),
        "the two shards and index.json: {stdout}"
    );
    assert_eq!(contents(&out), first);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn a_new_entry_writes_few_files_and_old_bundles_are_cleared_one_step_late() {
    let out = folder("incremental");
    let dir = folder("incremental-input");
    std::fs::create_dir_all(&dir).unwrap();
    let original = std::fs::read_to_string(root("examples/dongting/catalogue.json")).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&original).unwrap();
    let write = |json: &serde_json::Value, name: &str| {
        let path = dir.join(name);
        std::fs::write(&path, serde_json::to_vec(json).unwrap()).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let first = write(&json, "1.json");
    assert!(publish(&first, &out).0);
    let files_first = contents(&out);
    let mut entry = json["items"][0].clone();
    entry["id"] = "11341822003207567E/201712-00999".into();
    entry["title"] = "东亭乡2017年12月新公开事项".into();
    entry["published"] = "2017-12-30".into();
    json["items"].as_array_mut().unwrap().push(entry);
    let second = write(&json, "2.json");
    let (ok, stdout, _) = publish(&second, &out);
    assert!(ok, "{stdout}");
    let files_second = contents(&out);
    let shards = |files: &BTreeMap<String, Vec<u8>>| {
        files
            .keys()
            .filter(|k| k.starts_with("e/") || k.starts_with("l/"))
            .cloned()
            .collect::<Vec<_>>()
    };
    let (before, after) = (shards(&files_first), shards(&files_second));
    let new: Vec<&String> = after
        .iter()
        .filter(|k| !files_first.contains_key(*k))
        .collect();
    // The newest listing shard, and the detail shards it names (eight at
    // most): the rest keep their names.
    assert!(
        !new.is_empty() && new.len() <= 1 + 8 && new.len() * 2 < after.len(),
        "only the newest shards change: {new:?}"
    );
    // The previous bundle's shards are all still there.
    assert!(before.iter().all(|k| files_second.contains_key(k)));
    // A third bundle: the first one's own shards go.
    json["items"][0]["title"] = "东亭乡政府信息公开指南（修订）".into();
    let third = write(&json, "3.json");
    assert!(publish(&third, &out).0);
    let files_third = contents(&out);
    // The second bundle's own files, as publishing listed them.
    let second_bundle = String::from_utf8(files_second[".xxgk-files"].clone()).unwrap();
    let second_bundle: Vec<&str> = second_bundle.lines().collect();
    assert!(after.iter().all(|k| files_second.contains_key(k)));
    let gone: Vec<&String> = before
        .iter()
        .filter(|k| !second_bundle.contains(&k.as_str()))
        .collect();
    assert!(!gone.is_empty());
    for name in gone {
        assert!(
            !files_third.contains_key(name),
            "{name} of the first bundle is kept"
        );
    }
    let manifest = Manifest::read(&files_third["index.json"]).unwrap();
    assert_eq!(manifest.entries, 120);
    let _ = std::fs::remove_dir_all(&out);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_spreadsheet_is_published_without_its_bad_row_which_is_named() {
    let out = folder("sheet");
    let (ok, stdout, stderr) = publish(&root("examples/spreadsheet/dongting-sample.xlsx"), &out);
    assert!(!ok, "a row was left out: the exit says so");
    assert!(stdout.contains("第 9 行"), "{stdout}");
    assert!(stderr.contains("1 行未发布"), "{stderr}");
    let manifest = Manifest::read(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    assert_eq!(manifest.entries, 9);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn a_file_with_bad_entries_is_reported_as_check_reports_it() {
    let out = folder("bad");
    let input = root("tests/e2e/site/fixtures/bad.json");
    let (_, check_out, _) = common::run(&["check", &input, "--lang", "en"]);
    let (ok, stdout, _) = common::run(&[
        "catalogue",
        "publish",
        &input,
        "--out",
        out.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    assert!(!ok);
    for line in check_out.lines().filter(|l| l.starts_with("Entry")) {
        assert!(stdout.contains(line), "{line} missing from {stdout}");
    }
    let manifest = Manifest::read(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    assert_eq!(manifest.entries, 5);
    assert_eq!(
        manifest.skipped.len(),
        6,
        "the widget can show what was skipped"
    );
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn nothing_to_publish_writes_nothing() {
    let out = folder("empty");
    let dir = folder("empty-input");
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("empty.json");
    std::fs::write(
        &input,
        r#"{"schema":"xxgk-catalogue/1","site":{"name":"甲乡"},"categories":[{"id":"a","name":"甲"}],"items":[]}"#,
    )
    .unwrap();
    let (ok, _, stderr) = publish(input.to_str().unwrap(), &out);
    assert!(!ok);
    assert!(stderr.contains("没有可以发布的条目"), "{stderr}");
    assert!(!out.join("index.json").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Files of the same content have the same name (two filter values with
/// the same entries, say): each is written once, so the two writers never
/// race for one name, and the count printed is of distinct files.
#[test]
fn files_of_the_same_content_are_written_once() {
    for round in 0..12 {
        let out = folder(&format!("same-content-{round}"));
        let (ok, stdout, stderr) = publish(&root("examples/dongting/catalogue.json"), &out);
        assert!(ok, "round {round}: {stdout}{stderr}");
        let on_disk = contents(&out).len() - 1; // and the list of files
        let counted = format!("共 {on_disk} 个文件，新写入 {on_disk} 个");
        assert!(
            stdout.contains(&counted),
            "round {round}: {stdout} (expected {counted})"
        );
        let _ = std::fs::remove_dir_all(&out);
    }
}
