//! What staff run against the feedback database: list, reply, reject,
//! export.

use std::path::{Path, PathBuf};
mod common;

use common::run;
use xxgk_core::submission::{Kind, Submission};
use xxgk_server::store::{Status, Store};

fn db() -> (PathBuf, String) {
    db_named("list")
}

/// A fresh folder for the test and a new store (a database file in it, or
/// on PostgreSQL): the folder and the store's place, as `--db` takes it.
fn db_named(name: &str) -> (PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("xxgk-staff-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = common::store(&dir);
    (dir, store)
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

fn status(path: &str, code: &str) -> (Status, Option<String>) {
    let seen = Store::open(path).unwrap().lookup(code).unwrap().unwrap();
    (seen.status, seen.answer)
}

#[test]
fn staff_list_reply_reject_and_export() {
    let (dir, path) = db();
    let db = path.as_str();
    let (a, b) = {
        let mut store = Store::open(&path).unwrap();
        let a = store
            .submit(
                &submission("key-staff001", "增设公交站牌"),
                false,
                1_488_326_400,
            )
            .unwrap()
            .code()
            .to_owned();
        let b = store
            .submit(
                &submission("key-staff002", "=HYPERLINK(\"x\")路灯"),
                false,
                1_488_412_800,
            )
            .unwrap()
            .code()
            .to_owned();
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
    assert!(csv.lines().nth(1).unwrap().ends_with(",否,"), "{csv}");

    let missing = dir.join("missing.db");
    let (ok, _, err) = run(&["list", "--db", missing.to_str().unwrap()]);
    assert!(!ok && err.contains("does not exist"), "{err}");
    assert!(!missing.exists(), "listing never creates a database");
}

#[test]
fn suspected_and_unreadable_records_are_listed_and_exported_and_can_be_restored() {
    let (_, path) = db_named("suspected");
    let db = path.as_str();
    let (kept, suspected, unreadable) = {
        let mut store = Store::open(&path).unwrap();
        let kept = store
            .submit(
                &submission("key-kept0001", "增设公交站牌"),
                false,
                1_488_326_400,
            )
            .unwrap()
            .code()
            .to_owned();
        let suspected = store
            .submit(
                &submission("key-trap0001", "领取补贴请加群"),
                true,
                1_488_326_401,
            )
            .unwrap()
            .code()
            .to_owned();
        let unreadable = store
            .submit(
                &submission("key-old00001", "旧版本的留言"),
                false,
                1_488_326_402,
            )
            .unwrap()
            .code()
            .to_owned();
        (kept, suspected, unreadable)
    };
    // A record today's code cannot read (written by another version).
    common::sql(
        db,
        &format!(
            "UPDATE submission SET data = '{{\"kind\":\"petition\"}}' WHERE code = '{unreadable}'"
        ),
    );
    let (ok, out, err) = run(&["list", "--db", db]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with(&kept) && !lines[0].contains('['),
        "{out}"
    );
    assert!(
        lines[1].starts_with(&suspected) && lines[1].contains("[疑似垃圾]"),
        "{out}"
    );
    assert!(
        lines[2].starts_with(&unreadable)
            && lines[2].contains("旧版本的留言")
            && lines[2].contains("无法解读"),
        "{out}"
    );
    let (_, only, _) = run(&["list", "--suspected", "--db", db]);
    assert_eq!(only.lines().count(), 1);
    assert!(only.starts_with(&suspected));

    let (ok, csv, _) = run(&["export", "--db", db]);
    assert!(ok);
    let rows: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 4, "{csv}");
    assert!(
        rows[2].contains("领取补贴请加群") && rows[2].ends_with(",是,"),
        "{csv}"
    );
    assert!(
        rows[3].contains("旧版本的留言")
            && rows[3].ends_with("\"{\"\"kind\"\":\"\"petition\"\"}\""),
        "{csv}"
    );

    let (ok, out, _) = run(&["restore", &suspected.to_lowercase(), "--db", db]);
    assert!(ok && out.contains("已恢复"), "{out}");
    let (_, only, _) = run(&["list", "--suspected", "--db", db]);
    assert_eq!(only, "");
    let (ok, _, err) = run(&["restore", "ZZZZZZZZZZZZ", "--db", db]);
    assert!(!ok && err.contains("no submission has the code"), "{err}");
}

#[cfg(unix)]
#[test]
fn exports_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, path) = db_named("export");
    let db = path.as_str();
    Store::open(&path)
        .unwrap()
        .submit(&submission("key-export01", "增设公交站牌"), false, 0)
        .unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let out = dir.join("export.csv");
    let (ok, _, err) = run(&["export", "--out", out.to_str().unwrap(), "--db", db]);
    assert!(ok, "{err}");
    assert_eq!(mode(&out), 0o600);
    assert!(std::fs::read_to_string(&out).unwrap().contains("李四"));
    // Redirected by the shell, which creates the file with its umask.
    let redirected = dir.join("redirected.csv");
    let file = std::fs::File::create(&redirected).unwrap();
    std::fs::set_permissions(&redirected, std::fs::Permissions::from_mode(0o644)).unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_xxgk-server"))
        .args(["export", "--db", db])
        .stdout(file)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(mode(&redirected), 0o600);
    assert!(std::fs::read_to_string(&redirected)
        .unwrap()
        .contains("李四"));
}

#[test]
fn control_characters_reach_the_terminal_as_codes() {
    let (dir, path) = db_named("terminal");
    let db = path.as_str();
    // Kept as stored by an earlier version, which let them through.
    let mut store = Store::open(&path).unwrap();
    let code = store
        .submit(&submission("key-term0001", "路灯坏了"), false, 0)
        .unwrap()
        .code()
        .to_owned();
    let text = "路灯\u{1b}]0;pwned\u{7}\u{1b}[2J坏了";
    common::sql(
        db,
        &format!("UPDATE submission SET data = replace(data, '路灯坏了', '{text}'), subject = '{text}' WHERE code = '{code}'"),
    );
    let (ok, out, _) = run(&["list", "--db", db]);
    assert!(ok);
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    assert!(
        out.contains("路灯\\u{1b}]0;pwned\\u{7}\\u{1b}[2J坏了"),
        "{out}"
    );

    // A catalogue entry whose date carries an escape sequence, which the
    // problem report quotes.
    let file = dir.join("catalogue.json");
    std::fs::write(
        &file,
        r#"{"schema":"xxgk-catalogue/1","site":{"name":"乡"},"categories":[{"id":"c","name":"类"}],
           "items":[{"id":"A-1","title":"标题","published":"2016\u001b[2J","category":"c"}]}"#,
    )
    .unwrap();
    let (ok, out, _) = run(&["check", file.to_str().unwrap(), "--lang", "en"]);
    assert!(!ok);
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(out.contains("2016\\u{1b}[2J"), "{out}");
}

#[test]
fn serve_refuses_a_database_inside_a_served_folder() {
    // About the SQLite file: where it lies.
    if xxgk_pgtest::on_postgres() {
        return;
    }
    let (site, path) = db_named("inside");
    let (ok, _, err) = run(&[
        "serve",
        "--static",
        site.to_str().unwrap(),
        "--db",
        &path,
        "--listen",
        "127.0.0.1:0",
    ]);
    assert!(!ok);
    assert!(
        err.contains("keep the database outside the --static folders"),
        "{err}"
    );
    assert!(!Path::new(&path).exists(), "nothing is created");
    for (flag, value, expected) in [
        ("--allow-origin", "https://www.gdx.gov.cn/xxgk/", "no path"),
        ("--trusted-proxy", "nginx", "not an address or network"),
    ] {
        let (ok, _, err) = run(&[
            "serve",
            "--db",
            &path,
            flag,
            value,
            "--listen",
            "127.0.0.1:0",
        ]);
        assert!(!ok && err.contains(expected) && err.contains(flag), "{err}");
    }
}

#[test]
fn once_there_are_accounts_staff_commands_act_as_one_and_its_roles_are_checked() {
    let (_, path) = db_named("as");
    let db = path.as_str();
    let code = Store::open(&path)
        .unwrap()
        .submit(
            &submission("key-as000001", "村口路灯"),
            false,
            1_700_000_000,
        )
        .unwrap()
        .code()
        .to_owned();
    // Without accounts: the server's operator, as before.
    let (ok, _, err) = run(&["list", "--db", db]);
    assert!(ok, "{err}");
    // The first account must be an administrator.
    let (ok, _, err) = run(&["staff", "add", "王芳", "--role", "reviewer", "--db", db]);
    assert!(!ok && err.contains("第一个账号应是管理员"), "{err}");
    let (ok, out, err) = run(&["staff", "add", "王芳", "--role", "admin", "--db", db]);
    assert!(ok && out.contains("初始密码"), "{err}");
    for (name, role) in [("李明", "handler"), ("赵审", "reviewer")] {
        let (ok, _, err) = run(&[
            "staff",
            "add",
            name,
            "--role",
            role,
            "--unit",
            "东亭村",
            "--as",
            "王芳",
            "--db",
            db,
        ]);
        assert!(ok, "{err}");
    }
    // Now every command names its account.
    let (ok, _, err) = run(&["list", "--db", db]);
    assert!(!ok && err.contains("--as"), "{err}");
    let (ok, _, err) = run(&[
        "reply",
        &code,
        "--text",
        "已修复。",
        "--as",
        "李明",
        "--db",
        db,
    ]);
    assert!(!ok && err.contains("没有权限"), "{err}");
    let (ok, _, err) = run(&[
        "reply",
        &code,
        "--text",
        "已修复。",
        "--as",
        "赵审",
        "--db",
        db,
    ]);
    assert!(ok, "{err}");
    let (ok, _, err) = run(&["staff", "disable", "王芳", "--as", "王芳", "--db", db]);
    assert!(!ok && err.contains("最后一个"), "{err}");
    let store = Store::open(&path).unwrap();
    let case = store.case(&code).unwrap().unwrap();
    assert_eq!(case.events.last().unwrap().actor, "赵审（命令行）");
    let log = store.audit_log(&Default::default()).unwrap();
    let seen: Vec<(&str, &str)> = log
        .iter()
        .map(|r| (r.actor.as_str(), r.action.as_str()))
        .collect();
    assert!(seen.contains(&("李明（命令行）", "refused")), "{seen:?}");
    assert!(seen.contains(&("赵审（命令行）", "act")), "{seen:?}");
    // An administrator, even one naming a unit, lists no case.
    let (ok, _, err) = run(&[
        "staff",
        "add",
        "管理员二",
        "--role",
        "admin",
        "--unit",
        "东亭村",
        "--as",
        "王芳",
        "--db",
        db,
    ]);
    assert!(ok, "{err}");
    Store::open(&path)
        .unwrap()
        .assign(&code, "东亭村", "王芳", 1_700_000_000)
        .unwrap();
    for (who, sees) in [("管理员二", false), ("李明", true)] {
        for args in [&["list"][..], &["case", "list", "--kind", "message"][..]] {
            let mut args = args.to_vec();
            args.extend(["--as", who, "--db", db]);
            let (ok, out, err) = run(&args);
            assert!(ok, "{err}");
            assert_eq!(out.contains(&code), sees, "{who} {args:?}");
        }
    }
}

#[test]
fn case_commands_count_with_the_arrangements_added_in_the_console() {
    let (dir, path) = db_named("calendar");
    let db = path.as_str();
    let request = dir.join("request.json");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/requests-2016/a-person-disclosed.json"
        ),
        &request,
    )
    .unwrap();
    let (ok, out, err) = run(&[
        "case",
        "record",
        request.to_str().unwrap(),
        "--new-database",
        "--db",
        db,
    ]);
    assert!(ok, "{err}");
    let code: String = out
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let due = || {
        let (ok, out, err) = run(&["case", "show", &code, "--json", "--db", db]);
        assert!(ok, "{err}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["due"]
            .as_str()
            .map(str::to_owned)
    };
    // Ten more days off from tomorrow, as kept by the console's 设置; next
    // year declared (without holidays) so that due dates reaching into it
    // can be counted.
    let today = xxgk_core::Date::beijing(xxgk_server::store::now()).unwrap();
    let (from, to) = (
        xxgk_core::Date::from_days(today.days() + 1).unwrap(),
        xxgk_core::Date::from_days(today.days() + 10).unwrap(),
    );
    if to.year() != today.year() {
        return; // Too near the year's end for this test's arrangement.
    }
    let next = format!("year {}", today.year() + 1);
    let set = |text: &str| {
        Store::open(&path)
            .unwrap()
            .set_setting("calendar", text)
            .unwrap()
    };
    set(&next);
    let before = due().expect("a due date");
    set(&format!(
        "{next}\nyear {}\n{from}..{to} off 测试",
        today.year()
    ));
    let after = due().expect("a due date");
    assert!(after > before, "{before} then {after}");
}
