//! The store's schema on its two engines: SQLite's migrations
//! (`store::MIGRATIONS`) and PostgreSQL's (`store::postgres::MIGRATIONS`)
//! go step for step and make the same tables, columns and indexes, and
//! on PostgreSQL too the case history and the audit log can only grow.
//! PostgreSQL is a real server of the test's own (crates/pgtest).

mod common;

use std::collections::BTreeMap;
use xxgk_pgtest::Cluster;
use xxgk_server::store::{self, Store};

/// Each table's columns: name, and whether it may be empty (NULL).
type Columns = BTreeMap<String, Vec<(String, bool)>>;

fn sqlite_schema() -> (Columns, Vec<String>) {
    let dir = std::env::temp_dir().join(format!("xxgk-engines-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("schema.db");
    let _ = std::fs::remove_file(&path);
    drop(Store::open(&path).unwrap());
    let db = rusqlite::Connection::open(&path).unwrap();
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut columns = Columns::new();
    for table in tables {
        let listed: Vec<(String, bool)> = db
            .prepare(&format!(
                "SELECT name, \"notnull\", pk FROM pragma_table_info('{table}') ORDER BY name"
            ))
            .unwrap()
            .query_map([], |r| {
                // A primary key is never empty on either engine.
                Ok((
                    r.get(0)?,
                    r.get::<_, i64>(1)? == 0 && r.get::<_, i64>(2)? == 0,
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        columns.insert(table, listed);
    }
    let indexes = db
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    (columns, indexes)
}

fn postgres_schema(cluster: &Cluster, db: &str) -> (Columns, Vec<String>) {
    let mut columns = Columns::new();
    let listed = cluster.psql(
        db,
        "SELECT table_name || '|' || column_name || '|' || is_nullable FROM information_schema.columns \
         WHERE table_schema = 'public' ORDER BY table_name, column_name",
    );
    for line in listed.lines() {
        let [table, column, nullable] = line.split('|').collect::<Vec<_>>()[..] else {
            panic!("{line}")
        };
        // SQLite's rowid, which every table has without naming it.
        if column == "seq" {
            continue;
        }
        columns
            .entry(table.to_owned())
            .or_default()
            .push((column.to_owned(), nullable == "YES"));
    }
    // The indexes named in the migrations; not those of primary keys and
    // UNIQUE columns, which each engine names its own way.
    let indexes = cluster
        .psql(
            db,
            "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' \
             AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key' ORDER BY indexname",
        )
        .lines()
        .map(str::to_owned)
        .collect();
    (columns, indexes)
}

#[test]
fn both_engines_have_the_same_schema_step_for_step() {
    assert_eq!(
        store::MIGRATIONS.len(),
        store::postgres::MIGRATIONS.len(),
        "a version of the schema is one step on each engine"
    );
    let cluster = Cluster::start();
    cluster.create_database("schema");
    for (version, step) in store::postgres::MIGRATIONS.iter().enumerate() {
        // Each step on its own, as a store would apply it.
        let applied = std::panic::catch_unwind(|| cluster.psql("schema", step));
        assert!(applied.is_ok(), "PostgreSQL's step {} fails", version + 1);
    }
    let (sqlite_columns, sqlite_indexes) = sqlite_schema();
    let (postgres_columns, postgres_indexes) = postgres_schema(&cluster, "schema");
    assert_eq!(
        sqlite_columns.keys().collect::<Vec<_>>(),
        postgres_columns.keys().collect::<Vec<_>>(),
        "the same tables"
    );
    for (table, columns) in &sqlite_columns {
        assert_eq!(columns, &postgres_columns[table], "the columns of {table}");
    }
    assert_eq!(sqlite_indexes, postgres_indexes, "the same indexes");
}

#[test]
fn on_postgresql_the_case_history_and_the_audit_log_only_grow() {
    let cluster = Cluster::start();
    cluster.create_database("grow");
    for step in store::postgres::MIGRATIONS {
        cluster.psql("grow", step);
    }
    cluster.psql(
        "grow",
        "INSERT INTO submission (code, client_key, kind, data, subject, consent, received_at) \
         VALUES ('ABCDEFGHJKMN', 'k1', 'request', '{}', 's', 1, 1); \
         INSERT INTO event (code, action, on_day, actor, recorded_at) VALUES ('ABCDEFGHJKMN', 'received', '2016-03-01', 'a', 1); \
         INSERT INTO audit (at, actor, address, action) VALUES (1, 'a', '127.0.0.1', 'login')",
    );
    for (table, refused) in [
        ("event", "a case event is never"),
        ("audit", "the audit log is never"),
    ] {
        for change in [
            format!("UPDATE {table} SET actor = 'b'"),
            format!("DELETE FROM {table}"),
            format!("TRUNCATE {table}"),
            // Not in a session that says it replays replication either.
            format!("SET session_replication_role = replica; DELETE FROM {table}"),
        ] {
            let failed = std::panic::catch_unwind(|| cluster.psql("grow", &change));
            let said = failed
                .expect_err(&change)
                .downcast::<String>()
                .map(|s| *s)
                .unwrap_or_default();
            assert!(said.contains(refused), "{change}: {said}");
        }
        assert_eq!(
            cluster.psql("grow", &format!("SELECT count(*) FROM {table}")),
            "1"
        );
    }
}

#[test]
fn receivers_starting_together_apply_each_postgresql_step_once() {
    let cluster = Cluster::start();
    let url = cluster.create_database("together");
    // A database an older version made, with the first steps only: the
    // receivers upgrading it at once must not apply the others twice.
    cluster.psql(
        "together",
        "CREATE TABLE schema_version (version BIGINT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    );
    for (version, step) in store::postgres::MIGRATIONS.iter().enumerate().take(2) {
        cluster.psql("together", step);
        cluster.psql(
            "together",
            &format!(
                "INSERT INTO schema_version (version) VALUES ({})",
                version + 1
            ),
        );
    }
    let started: Vec<_> = (0..6)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || store::postgres::connect(&url).map(drop))
        })
        .collect();
    for receiver in started {
        receiver.join().unwrap().unwrap();
    }
    let steps = store::postgres::MIGRATIONS.len();
    assert_eq!(
        cluster.psql(
            "together",
            "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_version"
        ),
        (1..=steps)
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(",")
    );
    // A later start finds nothing to do.
    drop(store::postgres::connect(&url).unwrap());
    assert_eq!(
        cluster.psql("together", "SELECT count(*) FROM schema_version"),
        steps.to_string()
    );
}

#[test]
fn a_store_newer_than_the_receiver_is_refused_on_either_engine() {
    let cluster = Cluster::start();
    let url = cluster.create_database("newer");
    drop(store::postgres::connect(&url).unwrap());
    let next = store::postgres::MIGRATIONS.len() + 1;
    cluster.psql(
        "newer",
        &format!("INSERT INTO schema_version (version) VALUES ({next})"),
    );
    let said = store::postgres::connect(&url).err().map(|e| e.to_string());
    assert!(
        said.as_deref()
            .is_some_and(|s| s.contains("newer than this receiver")),
        "{said:?}"
    );
    let dir = std::env::temp_dir().join(format!("xxgk-newer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("newer.db");
    drop(Store::open(&path).unwrap());
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let said = Store::open(&path).err().map(|e| e.to_string());
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        said.as_deref()
            .is_some_and(|s| s.contains("newer than this receiver")),
        "{said:?}"
    );
}

#[test]
fn a_receiver_may_connect_as_a_role_that_cannot_change_the_schema() {
    let cluster = Cluster::start();
    let url = cluster.create_database("least");
    drop(store::postgres::connect(&url).unwrap());
    cluster.psql(
        "least",
        "CREATE ROLE receiver LOGIN; GRANT USAGE ON SCHEMA public TO receiver; \
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO receiver",
    );
    let url = url.replace("user=postgres", "user=receiver");
    store::postgres::connect(&url).unwrap();
}

#[test]
fn names_and_units_sort_by_their_bytes_whatever_the_database_collation() {
    let cluster = Cluster::start();
    cluster.psql(
        "postgres",
        "CREATE DATABASE zh TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'zh' LOCALE 'C.UTF-8'",
    );
    let mut store = Store::open(store::Location::parse(&cluster.url("zh"))).unwrap();
    for (name, unit) in [
        ("钱", "钱粮湖镇"),
        ("b", "b村"),
        ("B", "B村"),
        ("安", "安乡"),
    ] {
        let roles = xxgk_server::console::roles::Roles::parse("受理").unwrap();
        store.add_account(name, roles, unit, "hash", 1).unwrap();
    }
    assert_eq!(store.units().unwrap(), ["B村", "b村", "安乡", "钱粮湖镇"]);
    let names: Vec<String> = store
        .accounts()
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, ["B", "b", "安", "钱"]);
}

/// A submission as the widget sends it.
fn complaint(key: &str, consent: bool) -> xxgk_core::submission::Submission {
    xxgk_core::submission::Submission {
        kind: xxgk_core::submission::Kind::Complaint,
        subject: "村道路灯损坏无人修".into(),
        body: "东亭村村口到小学的路灯坏了三个月，晚上孩子放学很危险。".into(),
        name: "张三".into(),
        phone: "13912345678".into(),
        email: String::new(),
        address: "东亭村1号".into(),
        request: None,
        consent_to_publish: consent,
        related_item: String::new(),
        client_key: key.into(),
    }
}

/// Everything a store shows staff and the public, to compare two stores.
fn everything(store: &Store) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        store.records().unwrap(),
        store.sheets(None).unwrap(),
        store.published_replies(100).unwrap(),
        store.accounts().unwrap(),
        store.audit_log(&Default::default()).unwrap(),
        store.setting("retention_days").unwrap(),
        store.alerts_not_delivered(100).unwrap(),
    )
}

#[test]
fn a_township_s_store_moves_to_postgresql_and_back_with_everything_in_it() {
    let dir = std::env::temp_dir().join(format!("xxgk-copy-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("township.db");
    let mut township = Store::open(&file).unwrap();
    let mut codes = Vec::new();
    for n in 0..5 {
        let sent = complaint(&format!("key-copy{n:04}"), n % 2 == 0);
        codes.push(
            township
                .submit(&sent, n == 4, 1_700_000_000 + n)
                .unwrap()
                .code()
                .to_owned(),
        );
    }
    let roles = xxgk_server::console::roles::Roles::parse("受理").unwrap();
    township
        .add_account("王芳", roles, "东亭村", "hash", 10)
        .unwrap();
    let id = township.account("王芳").unwrap().unwrap().id;
    township.open_session("token-hash", id, "csrf", 20).unwrap();
    township
        .assign(&codes[1], "东亭村", "王芳", 1_700_000_100)
        .unwrap();
    township
        .reply(&codes[0], "已修复。", "王芳", 1_700_086_400)
        .unwrap();
    township
        .publish(&codes[0], "路灯已修复", "已修复。", "审核", 1_700_090_000)
        .unwrap();
    township
        .audit(
            &store::Audit {
                actor: "王芳",
                address: "127.0.0.1",
                action: "login",
                code: "",
                detail: "",
            },
            30,
        )
        .unwrap();
    township.set_setting("retention_days", "1095").unwrap();
    let before = everything(&township);

    let cluster = Cluster::start();
    let url = cluster.create_database("platform");
    let mut platform = Store::open(store::Location::parse(&url)).unwrap();
    let counted = township.copy_to(&mut platform, |_, _| {}).unwrap();
    assert!(counted.iter().all(|c| c.source == c.target), "{counted:?}");
    let submissions = counted.iter().find(|c| c.table == "submission").unwrap();
    assert_eq!(submissions.target, 5);
    assert_eq!(everything(&platform), before);
    assert_eq!(
        platform
            .lookup(&codes[0])
            .unwrap()
            .unwrap()
            .answer
            .as_deref(),
        Some("已修复。")
    );
    assert!(platform.session("token-hash").unwrap().is_some());

    // A second copy into it is refused, and changes nothing.
    let said = township.copy_to(&mut platform, |_, _| {}).unwrap_err();
    assert!(said.to_string().contains("already holds data"), "{said}");
    assert_eq!(everything(&platform), before);

    // The platform goes on where the township stopped: new rows get new
    // numbers after the copied ones.
    platform
        .submit(&complaint("key-after001", false), false, 1_800_000_000)
        .unwrap();
    platform.add_account("李明", roles, "", "hash", 40).unwrap();
    platform
        .reply(&codes[2], "已转交。", "李明", 1_800_000_100)
        .unwrap();
    platform
        .audit(
            &store::Audit {
                actor: "李明",
                address: "127.0.0.1",
                action: "login",
                code: "",
                detail: "",
            },
            50,
        )
        .unwrap();
    assert_eq!(platform.records().unwrap().len(), 6);

    // And back to a file, as a platform's backup may be kept.
    let back = dir.join("back.db");
    let mut copy = Store::open(&back).unwrap();
    platform.copy_to(&mut copy, |_, _| {}).unwrap();
    assert_eq!(everything(&copy), everything(&platform));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn receivers_sharing_a_database_hold_each_client_to_one_allowance() {
    let cluster = Cluster::start();
    let url = cluster.create_database("limits");
    let limits = [
        "--rate-burst",
        "3",
        "--rate-seconds",
        "600",
        "--read-burst",
        "4",
        "--read-seconds",
        "600",
    ];
    let start = || {
        let mut args = vec!["--db", &url, "--listen", "127.0.0.1:0"];
        args.extend(limits);
        common::Server::start(&args)
    };
    let (a, b) = (start(), start());
    const POST: &str = "POST /api/feedback HTTP/1.1\r\nContent-Type: application/json";
    let mut statuses = Vec::new();
    for (n, server) in [&a, &b, &a, &b].into_iter().enumerate() {
        let body = common::complaint(&format!("key-shared{n:03}"));
        let (status, _) = common::request([127, 0, 0, 1], server.addr, POST, &body).await;
        statuses.push(status);
    }
    // Three in all, not three on each receiver.
    assert_eq!(statuses, [201, 201, 201, 429]);
    // Another client is not held by the first one's allowance.
    let body = common::complaint("key-other001");
    let (status, _) = common::request([127, 0, 0, 2], b.addr, POST, &body).await;
    assert_eq!(status, 201);
    let mut statuses = Vec::new();
    for server in [&a, &b, &a, &b, &a] {
        let (status, _) =
            common::request([127, 0, 0, 3], server.addr, "GET /api/replies HTTP/1.1", "").await;
        statuses.push(status);
    }
    assert_eq!(statuses, [200, 200, 200, 200, 429]);
    // The table names no address.
    let keys = cluster.psql("limits", "SELECT string_agg(key, ' ') FROM rate");
    assert!(!keys.contains("127.0.0"), "{keys}");
}
