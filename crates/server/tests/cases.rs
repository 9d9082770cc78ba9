//! A disclosure request handled by its statutory clock from the command
//! line (`case …`), and the annual report's table counted from the
//! requests (`report`).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
mod common;

use common::run;
use xxgk_core::submission::{Applicant, Delivery, Format, IdType, Kind, Request, Submission};
use xxgk_server::store::{Status, Store};

fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xxgk-cases-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn request(key: &str) -> Submission {
    Submission {
        kind: Kind::DisclosureRequest,
        subject: "申请公开2024年村道硬化工程预算".into(),
        body: String::new(),
        name: "张三".into(),
        phone: "13800138000".into(),
        email: String::new(),
        address: String::new(),
        request: Some(Request {
            id_type: Some(IdType::ResidentCard),
            id_number: "11010519491231002X".into(),
            description: "2024年村道硬化工程的预算和验收报告".into(),
            document: String::new(),
            format: Some(Format::Electronic),
            delivery: Some(Delivery::Email),
            ..Default::default()
        }),
        consent_to_publish: false,
        related_item: String::new(),
        client_key: key.into(),
    }
}

/// A new store (a database in its own folder, or on PostgreSQL) holding
/// one request sent at `sent`: the folder, the store's place (as `--db`
/// takes it) and the request's code.
fn one_request(name: &str, key: &str, sent: i64) -> (PathBuf, String, String) {
    let dir = folder(name);
    let path = common::store(&dir);
    let code = Store::open(&path)
        .unwrap()
        .submit(&request(key), false, sent)
        .unwrap()
        .code()
        .to_owned();
    (dir, path, code)
}

/// Runs `xxgk-server` with `input` on its standard input.
fn run_with_input(args: &[&str], input: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xxgk-server"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.success(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn show(db: &str, code: &str) -> serde_json::Value {
    let (ok, out, err) = run(&["case", "show", code, "--json", "--db", db]);
    assert!(ok, "{err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn a_request_is_confirmed_extended_decided_and_counted() {
    let dir = folder("lifecycle");
    let path = common::store(&dir);
    let db = path.as_str();
    let (code, message) = {
        let mut store = Store::open(&path).unwrap();
        let code = store
            .submit(&request("key-case-0001"), false, 1_727_300_000)
            .unwrap()
            .code()
            .to_owned();
        let mut feedback = request("key-case-0002");
        feedback.kind = Kind::Suggestion;
        feedback.request = None;
        let message = store
            .submit(&feedback, false, 1_727_300_000)
            .unwrap()
            .code()
            .to_owned();
        (code, message)
    };
    let case = show(db, &code);
    assert_eq!(case["status"], "unconfirmed");
    assert_eq!(case["status_label"], "待确认");
    assert_eq!(case["due"], serde_json::Value::Null);

    let (ok, out, err) = run(&["case", "confirm", &code, "--on", "2024-09-27", "--db", db]);
    assert!(ok, "{err}");
    assert!(out.contains("答复期限 2024-10-30"), "{out}");
    let case = show(db, &code);
    assert_eq!(case["received"], "2024-09-27");
    assert_eq!(case["due"], "2024-10-30");
    assert_eq!(case["status"], "in-progress");

    // An extension needs its approver and a notice from a file.
    let notice = dir.join("notice.txt");
    std::fs::write(&notice, "因需调取档案，答复期限延长20个工作日。").unwrap();
    let (ok, _, err) = run(&[
        "case",
        "extend",
        &code,
        "--on",
        "2024-10-25",
        "--text-file",
        notice.to_str().unwrap(),
        "--db",
        db,
    ]);
    assert!(!ok && err.contains("--approved-by"), "{err}");
    let (ok, out, err) = run(&[
        "case",
        "extend",
        &code,
        "--on",
        "2024-10-25",
        "--approved-by",
        "王主任",
        "--text-file",
        notice.to_str().unwrap(),
        "--db",
        db,
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("答复期限 2024-11-27（已延期）"), "{out}");
    let (ok, _, err) = run(&[
        "case",
        "extend",
        &code,
        "--on",
        "2024-10-28",
        "--approved-by",
        "王主任",
        "--text-file",
        notice.to_str().unwrap(),
        "--db",
        db,
    ]);
    assert!(!ok && err.contains("只能延长一次"), "{err}");

    // The decision: its text from standard input; the lookup shows it.
    let (ok, _, err) = run_with_input(
        &[
            "case",
            "decide",
            &code,
            "--on",
            "2024-11-20",
            "--outcome",
            "refused",
            "--reason",
            "9",
            "--text-file",
            "-",
            "--db",
            db,
        ],
        "x",
    );
    assert!(
        !ok && err.contains("refused-4（不予公开（保护第三方合法权益））"),
        "{err}"
    );
    let (ok, _, err) = run_with_input(
        &[
            "case",
            "decide",
            &code,
            "--on",
            "2024-11-20",
            "--outcome",
            // As a clerk may type it.
            "Partly",
            "--text-file",
            "-",
            "--db",
            db,
        ],
        "预算表见附件；验收报告涉及第三方商业秘密，不予公开。\n",
    );
    assert!(ok, "{err}");
    let seen = Store::open(&path).unwrap().lookup(&code).unwrap().unwrap();
    assert_eq!(seen.status, Status::Replied);
    assert!(
        seen.answer
            .as_deref()
            .unwrap()
            .starts_with("部分公开\n\n预算表见附件"),
        "{:?}",
        seen.answer
    );
    let case = show(db, &code);
    assert_eq!(case["decided"]["outcome"], "partly");
    assert_eq!(case["events"].as_array().unwrap().len(), 3);
    assert!(case["events"][1]["actor"]
        .as_str()
        .unwrap()
        .starts_with("命令行:"));
    assert_eq!(case["events"][1]["detail"], "王主任");

    // A message has no statutory clock.
    let (ok, _, err) = run(&["case", "confirm", &message, "--db", db]);
    assert!(!ok && err.contains("不是政府信息公开申请"), "{err}");

    // The history cannot be rewritten, even with the database at hand.
    let changed = common::try_sql(
        db,
        "UPDATE event SET detail = '李科长' WHERE action = 'extend'",
    );
    assert!(changed.unwrap_err().contains("never changed"));
    assert!(common::try_sql(db, "DELETE FROM event").is_err());

    // 2024's table: one request from a natural person, partly disclosed.
    let (ok, out, err) = run(&["report", "--year", "2024", "--db", db]);
    assert!(ok, "{err}");
    assert!(
        out.contains("| 一、本年新收政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |"),
        "{out}"
    );
    assert!(
        out.contains("| （二）部分公开（区分处理的，只计这一情形，不计其他情形） | 1 |"),
        "{out}"
    );
    assert!(
        out.contains("| 四、结转下年度继续办理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"),
        "{out}"
    );
    let (ok, out, err) = run(&["report", "--year", "2024", "--format", "html", "--db", db]);
    assert!(ok, "{err}");
    assert!(
        out.starts_with("<!DOCTYPE html>")
            && out.contains("<h2 id=\"table-3\">三、收到和处理政府信息公开申请情况</h2>"),
        "{out}"
    );
    // Carried over from a year this database does not hold: loud.
    let (ok, _, err) = run(&[
        "report",
        "--year",
        "2024",
        "--carried-over",
        "1,0,0,0,0,0,1",
        "--db",
        db,
    ]);
    assert!(!ok && err.contains("不平衡"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_day_beyond_the_calendar_needs_next_year_s_arrangement() {
    // Sent 2026-11-18; confirmed the next day, due 2026-12-17; extended,
    // the due date is in 2027, which the shipped calendar does not hold.
    let (dir, path, code) = one_request("calendar", "key-case-0003", 1_795_000_000);
    let db = path.as_str();
    let (ok, out, err) = run(&["case", "confirm", &code, "--on", "2026-11-19", "--db", db]);
    assert!(ok && out.contains("答复期限 2026-12-17"), "{out}{err}");
    let notice = dir.join("notice.txt");
    std::fs::write(&notice, "答复期限延长20个工作日。").unwrap();
    let notice = notice.to_str().unwrap();
    let extend = |calendar: Option<&str>| {
        let mut args = vec![
            "case",
            "extend",
            &code,
            "--on",
            "2026-11-20",
            "--approved-by",
            "王主任",
            "--text-file",
            notice,
            "--db",
            db,
        ];
        if let Some(file) = calendar {
            args.extend(["--calendar", file]);
        }
        run(&args)
    };
    let (ok, _, err) = extend(None);
    assert!(!ok && err.contains("没有 2027 年"), "{err}");
    let next = dir.join("2027.txt");
    std::fs::write(&next, "year 2027\n2027-01-01 off 元旦\n").unwrap();
    let (ok, out, err) = extend(next.to_str());
    assert!(ok, "{err}");
    // 18-31 December: 10 working days; 1 January off; 4-15 January: 10.
    assert!(out.contains("答复期限 2027-01-15（已延期）"), "{out}");
    let bad = dir.join("bad.txt");
    std::fs::write(&bad, "year 2027\n2027-02-30 off\n").unwrap();
    let (ok, _, err) = run(&[
        "case",
        "list",
        "--calendar",
        bad.to_str().unwrap(),
        "--db",
        db,
    ]);
    assert!(!ok && err.contains("第 2 行"), "{err}");
    // January's report on the year before needs no arrangement for the new
    // year: the request, extended into 2027, is carried forward.
    let (ok, out, err) = run(&["report", "--year", "2026", "--db", db]);
    assert!(ok, "{err}");
    assert!(!err.contains("未计入"), "{err}");
    assert!(
        out.contains("| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_event_this_version_cannot_read_is_shown_and_stops_the_case() {
    let (dir, path, code) = one_request("unreadable", "key-case-0004", 1_727_300_000);
    let db = path.as_str();
    let (ok, _, err) = run(&["case", "confirm", &code, "--on", "2024-09-27", "--db", db]);
    assert!(ok, "{err}");
    // Written by a later version, with an action this one does not know.
    common::sql(
        db,
        &format!("INSERT INTO event (code, action, on_day, detail, actor, recorded_at) VALUES ('{code}', 'escalate', '2024-10-08', '县政府办', '控制台:李四', 1728000000)"),
    );
    let (ok, out, err) = run(&["case", "show", &code, "--db", db]);
    assert!(ok, "{err}");
    assert!(
        out.contains("escalate  县政府办") && out.contains("无法计算"),
        "{out}"
    );
    let case = show(db, &code);
    assert_eq!(case["events"][1]["action"], "escalate");
    assert!(case["error"].as_str().unwrap().contains("无法解读"));
    let (ok, _, err) = run_with_input(
        &[
            "case",
            "decide",
            &code,
            "--outcome",
            "disclosed",
            "--text-file",
            "-",
            "--db",
            db,
        ],
        "见附件。",
    );
    assert!(!ok && err.contains("无法解读"), "{err}");
    let (ok, out, _) = run(&["case", "list", "--db", db]);
    assert!(
        ok && out.contains(&code) && out.contains("无法计算"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_day_before_the_request_was_sent_or_after_today_is_refused() {
    let (dir, path, code) = one_request("dates", "key-case-0005", 1_727_300_000);
    let db = path.as_str();
    let (ok, _, err) = run(&["case", "confirm", &code, "--on", "2024-09-25", "--db", db]);
    assert!(
        !ok && err.contains("早于申请提交的日期 2024-09-26"),
        "{err}"
    );
    let (ok, _, err) = run(&["case", "confirm", &code, "--on", "2100-01-04", "--db", db]);
    assert!(!ok && err.contains("在今天"), "{err}");
    let (ok, _, err) = run(&["case", "confirm", &code, "--on", "2024-9-26x", "--db", db]);
    assert!(!ok && err.contains("不是日期"), "{err}");
    assert!(show(db, &code)["events"].as_array().unwrap().is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_request_is_answered_by_its_clock_or_by_reply_never_both() {
    let (dir, path, code) = one_request("either", "key-case-0006", 1_727_300_000);
    let db = path.as_str();
    let (ok, _, err) = run(&["case", "confirm", &code, "--on", "2024-09-27", "--db", db]);
    assert!(ok, "{err}");
    let (ok, _, err) = run(&["reply", &code, "--text", "改写的答复", "--db", db]);
    assert!(!ok && err.contains("case decide"), "{err}");
    let (ok, _, err) = run(&["reject", &code, "--reason", "不予受理", "--db", db]);
    assert!(!ok && err.contains("case decide"), "{err}");

    // Not even before confirmation: a request is answered with its legal
    // outcome, and 不予受理 belongs to petitions.
    let other = Store::open(&path)
        .unwrap()
        .submit(&request("key-case-0007"), false, 1_727_300_000)
        .unwrap()
        .code()
        .to_owned();
    let (ok, _, err) = run(&["reject", &other, "--reason", "不予受理", "--db", db]);
    assert!(!ok && err.contains("case decide"), "{err}");
    // One answered with `reply` by an earlier version stays so.
    Store::open(&path)
        .unwrap()
        .reply(&other, "已答复。", "命令行:旧版本", 1_727_400_000)
        .unwrap();
    let (ok, _, err) = run(&["case", "confirm", &other, "--on", "2024-09-27", "--db", db]);
    assert!(!ok && err.contains("已用 reply 或 reject 答复过"), "{err}");

    // A suspected one is restored first.
    let suspected = Store::open(&path)
        .unwrap()
        .submit(&request("key-case-0008"), true, 1_727_300_000)
        .unwrap()
        .code()
        .to_owned();
    let (ok, _, err) = run(&[
        "case",
        "confirm",
        &suspected,
        "--on",
        "2024-09-27",
        "--db",
        db,
    ]);
    assert!(!ok && err.contains("restore"), "{err}");

    // Texts: not huge, no invisible control characters.
    let long = dir.join("long.txt");
    std::fs::write(&long, "答".repeat(20_001)).unwrap();
    let hidden = dir.join("hidden.txt");
    std::fs::write(&hidden, "见附件\u{202E}。").unwrap();
    for (file, says) in [(&long, "超过了 20000"), (&hidden, "U+202E")] {
        let (ok, _, err) = run(&[
            "case",
            "decide",
            &code,
            "--on",
            "2024-10-08",
            "--outcome",
            "disclosed",
            "--text-file",
            file.to_str().unwrap(),
            "--db",
            db,
        ]);
        assert!(!ok && err.contains(says), "{err}");
    }

    // A row replaced by hand is refused like a row changed: SQLite's
    // INSERT OR REPLACE, PostgreSQL's INSERT … ON CONFLICT DO UPDATE
    // (an update, refused as one).
    let id = common::value(db, "SELECT id FROM event LIMIT 1").unwrap();
    let row = format!(
        "INSERT INTO event (id, code, action, on_day, actor, recorded_at) VALUES ({id}, 'X', 'confirm', '2024-01-01', 'x', 0)"
    );
    if xxgk_pgtest::on_postgres() {
        let replaced = common::try_sql(
            db,
            &format!("{row} ON CONFLICT (id) DO UPDATE SET code = excluded.code, action = excluded.action, on_day = excluded.on_day, actor = excluded.actor, recorded_at = excluded.recorded_at"),
        );
        assert!(replaced.unwrap_err().contains("never changed"));
    } else {
        let replaced = common::try_sql(db, &row.replacen("INSERT", "INSERT OR REPLACE", 1));
        assert!(replaced.unwrap_err().contains("never replaced"));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn organisations_are_counted_in_their_column_and_an_unreadable_request_is_named() {
    let dir = folder("organisations");
    let path = common::store(&dir);
    let db = path.as_str();
    let mut firm = request("key-org-0001");
    let r = firm.request.as_mut().unwrap();
    r.applicant = Applicant::Business;
    r.organisation = "广德县某某建材有限公司".into();
    r.credit_code = "91341822MA2N12345W".into();
    r.representative = "李四".into();
    r.id_type = None;
    r.id_number.clear();
    firm.body = "用于核对本公司承建工程的结算依据。".into();
    firm.email = "office@example.com".into();
    assert_eq!(firm.check(), []);
    let codes: Vec<String> = {
        let mut store = Store::open(&path).unwrap();
        [firm, request("key-org-0002"), request("key-org-0003")]
            .iter()
            .map(|s| {
                store
                    .submit(s, false, 1_727_300_000)
                    .unwrap()
                    .code()
                    .to_owned()
            })
            .collect()
    };
    for code in &codes {
        let (ok, _, err) = run(&["case", "confirm", code, "--on", "2024-09-27", "--db", db]);
        assert!(ok, "{err}");
    }
    assert_eq!(show(db, &codes[0])["applicant"], "business");
    // A record written by a later version that this one does not read.
    common::sql(
        db,
        &format!(
            "UPDATE submission SET data = '{{\"kind\":' WHERE code = '{}'",
            codes[2]
        ),
    );
    let (ok, out, err) = run(&["report", "--year", "2024", "--db", db]);
    assert!(ok, "{err}");
    assert!(
        out.contains("| 一、本年新收政府信息公开申请数量 | 1 | 1 | 0 | 0 | 0 | 0 | 2 |"),
        "{out}"
    );
    assert!(err.contains(&format!("未计入：{}", codes[2])), "{err}");
    assert!(out.contains("另有 1 件申请"), "{out}");
    // One sent and never confirmed: not received in law, and named.
    let waiting = Store::open(&path)
        .unwrap()
        .submit(&request("key-org-0004"), false, 1_727_300_000)
        .unwrap()
        .code()
        .to_owned();
    let xlsx = dir.join("report.xlsx");
    let (ok, _, err) = run(&[
        "report",
        "--year",
        "2024",
        "--format",
        "xlsx",
        "--out",
        xlsx.to_str().unwrap(),
        "--db",
        db,
    ]);
    assert!(ok, "{err}");
    assert!(
        err.contains("1 件网上提交后没有确认受理") && err.contains(&waiting),
        "{err}"
    );
    // The workbook says so too.
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let sheet = book.worksheet_range("三、依申请公开").unwrap();
    let said = sheet.cells().any(
        |(_, _, cell)| matches!(cell, Data::String(text) if text.starts_with("另有 1 件申请")),
    );
    assert!(said, "the note is missing from the workbook");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The demo's requests of 2016 (examples/requests-2016/build.sh), as
/// `make demo` builds them: the whole report in the official layout, as a
/// page, Markdown, JSON and a workbook with the same figures.
#[test]
fn the_2016_demo_database_gives_the_annual_report_in_the_official_layout() {
    let dir = folder("demo-2016");
    let path = xxgk_pgtest::store_in(&dir, "requests-2016.db");
    let db = path.as_str();
    let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
    let built = Command::new("sh")
        .arg(format!("{examples}/requests-2016/build.sh"))
        .arg(env!("CARGO_BIN_EXE_xxgk-server"))
        .arg(db)
        .output()
        .unwrap();
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let catalogue = format!("{examples}/dongting/catalogue.json");
    let figures = format!("{examples}/requests-2016/figures.txt");
    let report = |format: &str, out: Option<&str>| {
        let mut args = vec![
            "report",
            "--year",
            "2016",
            "--format",
            format,
            "--db",
            db,
            "--catalogue",
            &catalogue,
            "--figures",
            &figures,
        ];
        if let Some(out) = out {
            args.extend(["--out", out]);
        }
        let (ok, out, err) = run(&args);
        assert!(ok, "{err}");
        // Everything the format asks for is there.
        assert!(!err.contains("尚未填写"), "{err}");
        out
    };
    let md = report("md", None);
    for row in [
        "# 东亭乡人民政府2016年政府信息公开工作年度报告",
        "| 一、本年新收政府信息公开申请数量 | 6 | 1 | 0 | 0 | 1 | 0 | 8 |",
        "| （一）予以公开 | 1 | 0 | 0 | 0 | 1 | 0 | 2 |",
        "| 4.保护第三方合法权益 | 0 | 1 | 0 | 0 | 0 | 0 | 1 |",
        "| 2.重复申请 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "| 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "| （七）总计 | 5 | 1 | 0 | 0 | 1 | 0 | 7 |",
        "| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "| 1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "| 行政处罚 | 3 |  |  |",
        "## 五、存在的主要问题及改进情况",
    ] {
        assert!(md.contains(row), "{row}\n{md}");
    }
    let html = report("html", None);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<title>东亭乡人民政府2016年政府信息公开工作年度报告</title>"));
    assert!(html.contains("<tr><th scope=\"row\" colspan=\"2\">（七）总计</th><td>5</td><td>1</td><td>0</td><td>0</td><td>1</td><td>0</td><td>7</td></tr>"), "{html}");
    let json: serde_json::Value = serde_json::from_str(&report("json", None)).unwrap();
    assert_eq!(json["reviews"][0], serde_json::json!([1, 0, 0, 0, 1]));
    assert_eq!(json["missing"], serde_json::json!([]));
    // The workbook: the same figures, as numbers, under the same headings.
    let xlsx = dir.join("report.xlsx");
    report("xlsx", Some(xlsx.to_str().unwrap()));
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["二、主动公开", "三、依申请公开", "四、复议诉讼", "报告正文"]
    );
    let sheet = book.worksheet_range("三、依申请公开").unwrap();
    let total = sheet
        .rows()
        .find(|row| row.contains(&Data::String("（七）总计".into())))
        .expect("the 总计 row");
    let figures: Vec<f64> = total
        .iter()
        .filter_map(|cell| match cell {
            Data::Float(n) => Some(*n),
            _ => None,
        })
        .collect();
    assert_eq!(figures, [5.0, 1.0, 0.0, 0.0, 1.0, 0.0, 7.0]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_message_s_answers_are_appended_with_who_and_when_and_the_first_date_stays() {
    let dir = folder("answers");
    let path = common::store(&dir);
    let db = path.as_str();
    let mut message = request("key-answer-001");
    message.kind = Kind::Complaint;
    message.request = None;
    message.body = "东亭村村口到小学的路灯坏了三个月。".into();
    let (code, suspected) = {
        let mut store = Store::open(&path).unwrap();
        let code = store
            .submit(&message, false, 1_727_300_000)
            .unwrap()
            .code()
            .to_owned();
        let mut odd = message.clone();
        odd.client_key = "key-answer-002".into();
        let suspected = store
            .submit(&odd, true, 1_727_300_000)
            .unwrap()
            .code()
            .to_owned();
        (code, suspected)
    };
    let (ok, _, err) = run_with_input(
        &["reply", &code, "--text-file", "-", "--db", db],
        "已联系供电所，本周内修复。\n",
    );
    assert!(ok, "{err}");
    let first = Store::open(&path).unwrap().lookup(&code).unwrap().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let (ok, _, err) = run(&["reply", &code, "--text", "已修复，感谢反映。", "--db", db]);
    assert!(ok, "{err}");
    let (ok, _, err) = run(&["restore", &suspected, "--db", db]);
    assert!(ok, "{err}");
    let second = Store::open(&path).unwrap().lookup(&code).unwrap().unwrap();
    // The latest answer shows; it was answered when it was first answered.
    assert_eq!(second.answer.as_deref(), Some("已修复，感谢反映。"));
    assert_eq!(second.answered_at, first.answered_at);
    let shown = show(db, &code);
    assert_eq!(shown["status"], "replied");
    let events = shown["events"].as_array().unwrap();
    assert_eq!(events.len(), 2, "{shown}");
    assert_eq!(events[0]["action"], "reply");
    assert_eq!(events[0]["note"], "已联系供电所，本周内修复。");
    assert!(events[0]["actor"].as_str().unwrap().starts_with("命令行:"));
    assert_eq!(events[1]["note"], "已修复，感谢反映。");
    let (ok, out, err) = run(&["case", "show", &code, "--db", db]);
    assert!(ok, "{err}");
    assert!(
        out.contains("状态：已答复") && out.contains("答复  （命令行:"),
        "{out}"
    );
    assert!(!out.contains("申请人类别"), "{out}");
    assert_eq!(show(db, &suspected)["events"][0]["action"], "restore");
    // Neither text on the command line nor in a file: refused, nothing kept.
    let (ok, _, err) = run(&["reject", &code, "--db", db]);
    assert!(!ok && err.contains("--reason"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_listing_cut_short_by_its_reader_stops_quietly() {
    use std::io::Read;
    let dir = folder("pipe");
    let path = common::store(&dir);
    {
        let mut store = Store::open(&path).unwrap();
        for n in 0..1500 {
            store
                .submit(&request(&format!("key-pipe-{n:05}")), false, 1_727_300_000)
                .unwrap();
        }
    }
    // More than a pipe holds; the reader takes one line and goes (`| head -1`).
    let mut child = Command::new(env!("CARGO_BIN_EXE_xxgk-server"))
        .args(["case", "list", "--db", path.as_str()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.is_empty(), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_request_waiting_on_staff_after_a_lapsed_clarification_is_flagged_in_the_list() {
    let (dir, path, code) = one_request("stalled", "key-stall-001", 1_727_300_000);
    let db = path.as_str();
    let (ok, _, err) = run(&["case", "confirm", &code, "--on", "2024-09-27", "--db", db]);
    assert!(ok, "{err}");
    let (ok, _, err) = run_with_input(
        &[
            "case",
            "clarify",
            &code,
            "--on",
            "2024-10-08",
            "--days",
            "5",
            "--text-file",
            "-",
            "--db",
            db,
        ],
        "请写明所需信息的名称或文号。",
    );
    assert!(ok, "{err}");
    let (ok, out, err) = run(&["case", "list", "--db", db]);
    assert!(ok, "{err}");
    assert!(out.contains("[补正期限已过，未见补正"), "{out}");
    assert!(show(db, &code)["stalled"]
        .as_str()
        .unwrap()
        .contains("逾期不补正"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_step_recorded_by_mistake_is_taken_back_in_the_history_not_erased() {
    let (dir, path, code) = one_request("void", "key-void-0001", 1_727_300_000);
    let db = path.as_str();
    // Confirmed on the wrong day, then decided.
    let (ok, _, err) = run(&["case", "confirm", &code, "--on", "2024-09-30", "--db", db]);
    assert!(ok, "{err}");
    let (ok, _, err) = run_with_input(
        &[
            "case",
            "decide",
            &code,
            "--on",
            "2024-10-15",
            "--outcome",
            "disclosed",
            "--text-file",
            "-",
            "--db",
            db,
        ],
        "见附件。",
    );
    assert!(ok, "{err}");
    let void = |n: &str| {
        run_with_input(
            &[
                "case",
                "void",
                &code,
                "--event",
                n,
                "--text-file",
                "-",
                "--db",
                db,
            ],
            "日期录入错误，实际于 9 月 27 日确认受理。",
        )
    };
    // The confirmation cannot go while a decision rests on it.
    let (ok, _, err) = void("1");
    assert!(!ok && err.contains("逐条撤销"), "{err}");
    let (ok, _, err) = void("3");
    assert!(!ok && err.contains("没有第 3 条"), "{err}");
    let (ok, out, err) = void("2");
    assert!(ok, "{err}");
    assert!(out.contains("办理中"), "{out}");
    // The lookup no longer shows the decision taken back.
    let seen = Store::open(&path).unwrap().lookup(&code).unwrap().unwrap();
    assert_eq!(seen.status, Status::Received);
    assert_eq!(seen.answer, None);
    let (ok, _, err) = void("1");
    assert!(ok, "{err}");
    let (ok, _, err) = void("1");
    assert!(!ok && err.contains("已经撤销过"), "{err}");
    let (ok, _, err) = run(&["case", "confirm", &code, "--on", "2024-09-27", "--db", db]);
    assert!(ok, "{err}");
    let case = show(db, &code);
    assert_eq!(case["received"], "2024-09-27");
    assert_eq!(case["due"], "2024-10-30");
    let events = case["events"].as_array().unwrap();
    // All five rows are there: two taken back, two voids, the new confirmation.
    assert_eq!(events.len(), 5, "{case}");
    assert_eq!(events[0]["voided"], true);
    assert_eq!(events[1]["voided"], true);
    assert_eq!(events[2]["action"], "void");
    assert_eq!(events[4]["voided"], false);
    let (ok, out, _) = run(&["case", "show", &code, "--db", db]);
    assert!(ok && out.contains("#1 确认受理（已撤销）"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_extension_may_be_shorter_than_20_working_days_never_longer() {
    let (dir, path, code) = one_request("shorter", "key-short-001", 1_727_300_000);
    let db = path.as_str();
    let (ok, _, err) = run(&["case", "confirm", &code, "--on", "2024-09-27", "--db", db]);
    assert!(ok, "{err}");
    let extend = |days: &str| {
        run_with_input(
            &[
                "case",
                "extend",
                &code,
                "--on",
                "2024-10-25",
                "--approved-by",
                "王主任",
                "--days",
                days,
                "--text-file",
                "-",
                "--db",
                db,
            ],
            "答复期限延长10个工作日。",
        )
    };
    let (ok, _, err) = extend("21");
    assert!(!ok && err.contains("最多 20 个工作日"), "{err}");
    let (ok, out, err) = extend("10");
    assert!(ok, "{err}");
    assert!(out.contains("答复期限 2024-11-13（已延期）"), "{out}");
    assert_eq!(show(db, &code)["due"], "2024-11-13");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_paper_request_s_wrong_date_is_corrected_and_a_failed_recording_keeps_nothing() {
    let dir = folder("paper");
    let path = common::store(&dir);
    let db = path.as_str();
    let file = dir.join("request.json");
    let mut paper = request("key-paper-001");
    paper.body = "本人到乡政府当面提交申请。".into();
    paper.email = "zhangsan@example.com".into();
    assert_eq!(paper.check(), []);
    // Saved by Notepad, with a byte-order mark.
    std::fs::write(&file, format!("\u{FEFF}{}", paper.to_json())).unwrap();
    let file = file.to_str().unwrap();
    let record = |on: &str| {
        run(&[
            "case",
            "record",
            file,
            "--on",
            on,
            "--new-database",
            "--db",
            db,
        ])
    };
    // A year the calendar does not have: refused, and nothing is kept.
    let (ok, _, err) = record("2015-06-01");
    assert!(!ok && err.contains("2015"), "{err}");
    assert!(Store::open(&path).unwrap().requests().unwrap().is_empty());
    // Typed a few days late.
    let (ok, out, err) = record("2024-03-04");
    assert!(ok, "{err}");
    let code = out.split('：').next().unwrap().to_owned();
    // Again with another day: refused, and how to correct it said.
    let (ok, _, err) = record("2024-03-01");
    assert!(!ok && err.contains("case void"), "{err}");
    // The same again: nothing new.
    let (ok, out, _) = record("2024-03-04");
    assert!(ok && out.contains("此前已登记"), "{out}");
    // Corrected: the confirmation taken back, then recorded on the right day.
    let (ok, _, err) = run_with_input(
        &[
            "case",
            "void",
            &code,
            "--event",
            "1",
            "--text-file",
            "-",
            "--db",
            db,
        ],
        "收到日期录错，实为 3 月 1 日。",
    );
    assert!(ok, "{err}");
    let (ok, out, err) = record("2024-03-01");
    assert!(
        ok && out.contains("已按更正的日期 2024-03-01"),
        "{out}{err}"
    );
    let case = show(db, &code);
    assert_eq!(case["received"], "2024-03-01");
    assert_eq!(case["events"][1]["detail"], "第 1 条");
    // Decided and reviewed: the decision stays while the review rests on
    // it; the review goes first.
    let (ok, _, err) = run_with_input(
        &[
            "case",
            "decide",
            &code,
            "--on",
            "2024-03-20",
            "--outcome",
            "refused-4",
            "--text-file",
            "-",
            "--db",
            db,
        ],
        "涉及第三方商业秘密，不予公开。",
    );
    assert!(ok, "{err}");
    let (ok, _, err) = run(&[
        "case",
        "review",
        &code,
        "--on",
        "2024-05-06",
        "--type",
        "reconsideration",
        "--db",
        db,
    ]);
    assert!(ok, "{err}");
    let void = |n: &str| {
        run_with_input(
            &[
                "case",
                "void",
                &code,
                "--event",
                n,
                "--text-file",
                "-",
                "--db",
                db,
            ],
            "录错。",
        )
    };
    let (ok, _, err) = void("4");
    assert!(!ok && err.contains("第 5 条"), "{err}");
    let (ok, _, err) = void("5");
    assert!(ok, "{err}");
    let (ok, _, err) = void("4");
    assert!(ok, "{err}");
    // Answered on the decision's day, not the day it was typed.
    let (ok, _, err) = run_with_input(
        &[
            "case",
            "decide",
            &code,
            "--on",
            "2024-03-21",
            "--outcome",
            "disclosed",
            "--text-file",
            "-",
            "--db",
            db,
        ],
        "见附件。",
    );
    assert!(ok, "{err}");
    let seen = Store::open(&path).unwrap().lookup(&code).unwrap().unwrap();
    assert_eq!(
        xxgk_core::Date::beijing(seen.answered_at.unwrap())
            .unwrap()
            .to_string(),
        "2024-03-21"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn messages_are_listed_by_kind_with_the_last_day_of_the_county_s_reply_period() {
    let dir = folder("message-list");
    let path = common::store(&dir);
    let db = path.as_str();
    // Friday 2024-09-27 in Beijing, before the National Day holiday.
    let sent = 1_727_402_400;
    let message = |key: &str, kind: Kind| Submission {
        kind,
        request: None,
        body: "东亭村村口到小学的路灯坏了三个月。".into(),
        ..request(key)
    };
    let (waiting, answered, question, suspected) = {
        let mut store = Store::open(&path).unwrap();
        let mut code = |s: &Submission, suspected: bool| {
            store.submit(s, suspected, sent).unwrap().code().to_owned()
        };
        let waiting = code(&message("key-list-0001", Kind::Complaint), false);
        let answered = code(&message("key-list-0002", Kind::Complaint), false);
        let question = code(&message("key-list-0003", Kind::Consultation), false);
        let suspected = code(&message("key-list-0004", Kind::Complaint), true);
        code(&request("key-list-0005"), false);
        store
            .reply(&answered, "已修复。", "测试", sent + 86_400)
            .unwrap();
        (waiting, answered, question, suspected)
    };
    let list = |args: &[&str]| {
        let mut all = vec!["case", "list", "--db", db];
        all.extend_from_slice(args);
        let (ok, out, err) = run(&all);
        assert!(ok, "{err}");
        out
    };
    let line = |out: &str, code: &str| {
        out.lines()
            .find(|l| l.starts_with(code))
            .unwrap_or_else(|| panic!("{code} is not listed:\n{out}"))
            .to_owned()
    };
    let complaints = list(&["--kind", "complaint"]);
    assert_eq!(complaints.lines().count(), 3, "{complaints}");
    // 15 working days after the Friday, the week of 1-7 October off and
    // Sunday 29 September and Saturday 12 October worked.
    let late = line(&complaints, &waiting);
    assert!(
        late.contains("投诉  待审核  答复期限 2024-10-23  [已逾期]"),
        "{late}"
    );
    let done = line(&complaints, &answered);
    assert!(done.contains("已答复  答复期限 2024-10-23"), "{done}");
    assert!(!done.contains("[已逾期]"), "{done}");
    assert!(line(&complaints, &suspected).ends_with("【疑似垃圾】"));
    assert!(!complaints.contains(&question));
    // Every message, and only the waiting ones past their day; never the
    // request, which has its statutory clock instead.
    let overdue = list(&["--kind", "message", "--overdue"]);
    let mut codes: Vec<&str> = overdue.lines().map(|l| &l[..12]).collect();
    codes.sort();
    let mut expected = vec![waiting.as_str(), question.as_str(), suspected.as_str()];
    expected.sort();
    assert_eq!(codes, expected, "{overdue}");
    // The county's own period.
    let longer = list(&["--kind", "consultation", "--reply-days", "20"]);
    assert!(
        line(&longer, &question).contains("答复期限 2024-10-30"),
        "{longer}"
    );
    // A kind the list does not know is refused with the ones it does.
    let (ok, _, err) = run(&["case", "list", "--kind", "petition", "--db", db]);
    assert!(!ok);
    assert!(err.contains("consultation"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}
