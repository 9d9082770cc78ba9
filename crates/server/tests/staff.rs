//! What staff run against the feedback database: list, reply, reject,
//! export.

use std::path::{Path, PathBuf};
mod common;

use common::run;
use xxgk_core::submission::{Kind, Submission};
use xxgk_server::store::{Status, Store};

fn db() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xxgk-staff-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("feedback.db")
}

fn submission(key: &str, subject: &str) -> Submission {
    Submission {
        kind: Kind::Suggestion,
        subject: subject.into(),
        body: "建议在村口增设公交站牌，方便老人出行。".into(),
        name: "李四".into(),
        phone: "0563-6012345".into(),
        email: String::new(),
        address: String::new(),
        request: None,
        consent_to_publish: true,
        related_item: String::new(),
        client_key: key.into(),
    }
}

fn status(path: &Path, code: &str) -> (Status, Option<String>) {
    let seen = Store::open(path).unwrap().lookup(code).unwrap().unwrap();
    (seen.status, seen.answer)
}

#[test]
fn staff_list_reply_reject_and_export() {
    let path = db();
    let db = path.to_str().unwrap();
    let (a, b) = {
        let mut store = Store::open(&path).unwrap();
        let a = store
            .submit(
                &submission("key-staff001", "增设公交站牌"),
                false,
                1_488_326_400,
            )
            .unwrap()
            .0;
        let b = store
            .submit(
                &submission("key-staff002", "=HYPERLINK(\"x\")路灯"),
                false,
                1_488_412_800,
            )
            .unwrap()
            .0;
        (a, b)
    };
    let (ok, out, _) = run(&["list", "--db", db]);
    assert!(ok);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].starts_with(&a)
            && lines[0].contains("2017-03-01 08:00")
            && lines[0].contains("待审核"),
        "{out}"
    );

    let (ok, out, _) = run(&[
        "reply",
        &a.to_lowercase(),
        "--text",
        "已协调公交公司，下月设站。",
        "--db",
        db,
    ]);
    assert!(ok, "{out}");
    assert_eq!(
        status(&path, &a),
        (Status::Replied, Some("已协调公交公司，下月设站。".into()))
    );
    let (ok, _, _) = run(&["reject", &b, "--reason", "内容与标题不符。", "--db", db]);
    assert!(ok);
    assert_eq!(status(&path, &b).0, Status::Rejected);

    let (ok, _, err) = run(&["reply", "ZZZZZZZZZZZZ", "--text", "x", "--db", db]);
    assert!(!ok);
    assert!(
        err.contains("no submission has the code ZZZZZZZZZZZZ"),
        "{err}"
    );
    let (ok, _, err) = run(&["reply", &a, "--text", "  ", "--db", db]);
    assert!(!ok && err.contains("empty"), "{err}");

    let (ok, csv, _) = run(&["export", "--format", "csv", "--db", db]);
    assert!(ok);
    assert!(csv.starts_with("\u{FEFF}查询码,类型,状态"));
    assert!(csv.contains("李四") && csv.contains("0563-6012345"));
    assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")路灯\""), "{csv}");
    assert_eq!(csv.matches("\r\n").count(), 3);

    let missing = path.with_file_name("missing.db");
    let (ok, _, err) = run(&["list", "--db", missing.to_str().unwrap()]);
    assert!(!ok && err.contains("does not exist"), "{err}");
    assert!(!missing.exists(), "listing never creates a database");
}
