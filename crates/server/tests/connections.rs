//! The receiver on real sockets, as slow and hostile clients and an
//! operator's service manager meet it: timeouts, connection caps, a low
//! limit on open files, graceful shutdown, and what the log says.

mod common;

use common::{closed, complaint, connect_from, folder, request, Server};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Where the tests' well-behaved citizen connects from.
const CITIZEN: [u8; 4] = [127, 0, 0, 1];
/// Where the tests' attacker connects from.
const ATTACKER: [u8; 4] = [127, 0, 0, 2];

/// A receiver on a fresh store (a database in its own folder, or on
/// PostgreSQL), with `extra` settings, started after the shell commands
/// `prefix`.
fn receiver_with(prefix: &str, name: &str, extra: &[&str]) -> Server {
    let db = common::store(&folder(name));
    let mut args = vec!["--db", &db, "--listen", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    Server::start_with(prefix, &args)
}

fn receiver(name: &str, extra: &[&str]) -> Server {
    receiver_with("", name, extra)
}

/// How `server` exited, which it must within `within`.
async fn exit(server: &mut Server, within: Duration) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            return status;
        }
        assert!(
            started.elapsed() < within,
            "still running: {}",
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Opens a kept-alive connection from `from` that asks once, reads the
/// answer, and then says nothing.
async fn idle(from: [u8; 4], addr: std::net::SocketAddr) -> tokio::net::TcpStream {
    let mut stream = connect_from(from, addr).await;
    stream
        .write_all(b"GET /api/replies HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut answer = [0u8; 4096];
    let n = stream.read(&mut answer).await.unwrap();
    assert!(String::from_utf8_lossy(&answer[..n]).starts_with("HTTP/1.1 200"));
    stream
}

/// Opens a connection from `from` that sends half a request header.
async fn half_open(from: [u8; 4], addr: std::net::SocketAddr) -> tokio::net::TcpStream {
    let mut stream = connect_from(from, addr).await;
    stream
        .write_all(b"GET /api/replies HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    stream
}

/// The head of a submission's request.
const POST: &str = "POST /api/feedback HTTP/1.1
Content-Type: application/json";

#[tokio::test]
async fn half_sent_headers_and_idle_connections_are_closed() {
    let server = receiver("slow", &["--header-timeout", "1"]);
    let mut slow = Vec::new();
    for _ in 0..5 {
        slow.push(half_open(ATTACKER, server.addr).await);
    }
    let mut idle = idle(ATTACKER, server.addr).await;
    for stream in slow.iter_mut().chain([&mut idle]) {
        assert!(closed(stream, Duration::from_secs(5)).await);
    }
}

#[tokio::test]
async fn one_address_cannot_take_every_connection() {
    let server = receiver(
        "per-address",
        &[
            "--header-timeout",
            "30",
            "--max-connections-per-address",
            "4",
        ],
    );
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(half_open(ATTACKER, server.addr).await);
    }
    let mut fifth = half_open(ATTACKER, server.addr).await;
    assert!(closed(&mut fifth, Duration::from_secs(5)).await);
    let (status, _) = request(CITIZEN, server.addr, "GET /api/replies HTTP/1.1", "").await;
    assert_eq!(status, 200);
    // The four are still open: they wait for their header.
    assert!(!closed(&mut held[0], Duration::from_millis(200)).await);
}

#[tokio::test]
async fn with_few_open_files_allowed_half_open_connections_do_not_shut_others_out() {
    let server = receiver_with(
        "ulimit -n 256;",
        "ulimit",
        &[
            "--header-timeout",
            "2",
            "--max-connections-per-address",
            "1000",
        ],
    );
    let mut held = Vec::new();
    for _ in 0..300 {
        held.push(half_open(ATTACKER, server.addr).await);
    }
    let started = Instant::now();
    let answer = tokio::time::timeout(
        Duration::from_secs(15),
        request(CITIZEN, server.addr, "GET /api/replies HTTP/1.1", ""),
    )
    .await;
    assert_eq!(
        answer.map(|(status, _)| status),
        Ok(200),
        "after {:?}",
        started.elapsed()
    );
    assert!(
        server.log().contains("fewer are accepted"),
        "{}",
        server.log()
    );
    drop(held);
}

#[tokio::test]
async fn sigterm_lets_requests_in_flight_finish_and_stops_despite_idle_and_half_open_connections() {
    let mut server = receiver(
        "shutdown",
        &["--header-timeout", "60", "--shutdown-timeout", "3"],
    );
    let mut held = Vec::new();
    for _ in 0..20 {
        held.push(half_open(ATTACKER, server.addr).await);
    }
    for _ in 0..20 {
        held.push(idle(ATTACKER, server.addr).await);
    }
    // A submission whose body is on its way when the signal comes.
    let body = complaint("key-inflight1");
    let (first, rest) = body.split_at(8);
    let mut sending = connect_from(CITIZEN, server.addr).await;
    let head = format!(
        "{}\r\nHost: x\r\nContent-Length: {}\r\n\r\n{first}",
        POST,
        body.len()
    );
    sending.write_all(head.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let signalled = Instant::now();
    server.signal("TERM");
    tokio::time::sleep(Duration::from_millis(300)).await;
    sending.write_all(rest.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = sending.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    // No new connections once stopping.
    let refused = tokio::net::TcpStream::connect(server.addr).await;
    assert!(refused.is_err(), "still accepting");
    // Within the 3 s grace period, and a margin.
    let status = exit(&mut server, Duration::from_secs(8) - signalled.elapsed()).await;
    assert!(status.success(), "{status:?}");
    let log = server.log();
    assert!(log.contains("SIGTERM") && log.contains("stopped"), "{log}");
    drop(held);
}

#[tokio::test]
async fn sigint_stops_it_too() {
    let mut server = receiver("sigint", &[]);
    let _idle = half_open(ATTACKER, server.addr).await;
    server.signal("INT");
    assert!(exit(&mut server, Duration::from_secs(15)).await.success());
    assert!(server.log().contains("SIGINT"));
}

#[tokio::test]
async fn the_log_names_causes_in_few_lines_and_nothing_personal() {
    let mut server = receiver(
        "log",
        &[
            "--allow-origin",
            "https://www.gdx.gov.cn",
            "--rate-burst",
            "2",
            "--report-seconds",
            "1",
        ],
    );
    let addr = server.addr;
    let id_number = "11010519491231002X";
    let request_body = serde_json::json!({
        "kind": "disclosure_request",
        "subject": "申请公开三公经费明细",
        "body": "请公开东亭乡2016年三公经费决算明细，谢谢。",
        "name": "王五",
        "phone": "13812345678",
        "address": "东亭村5号",
        "client_key": "key-logged01",
        "request": {
            "id_type": "resident_card",
            "id_number": id_number,
            "description": "东亭乡2016年三公经费决算明细表",
            "format": "paper",
            "delivery": "post",
        },
    })
    .to_string();
    let (status, receipt) = request(ATTACKER, addr, POST, &request_body).await;
    assert_eq!(status, 201, "{receipt}");
    let code: serde_json::Value = serde_json::from_str(&receipt).unwrap();
    let code = code["code"].as_str().unwrap().to_owned();
    let (status, _) = request(
        ATTACKER,
        addr,
        &format!("GET /api/feedback/{code} HTTP/1.1"),
        "",
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = request(
        ATTACKER,
        addr,
        POST,
        r#"{"kind":"complaint","name":"王五"}"#,
    )
    .await;
    assert_eq!(status, 422);
    let head = "POST /api/feedback HTTP/1.1\r\nContent-Type: text/plain";
    assert_eq!(request(ATTACKER, addr, head, &request_body).await.0, 415);
    let head = "POST /api/feedback HTTP/1.1\r\nContent-Type: application/json\r\nOrigin: https://evil.example";
    assert_eq!(request(ATTACKER, addr, head, &request_body).await.0, 403);
    let mut limited = 0;
    for n in 0..30 {
        let (status, _) = request(
            ATTACKER,
            addr,
            POST,
            &complaint(&format!("key-flood{n:04}")),
        )
        .await;
        limited += usize::from(status == 429);
    }
    assert!(limited >= 28, "{limited}");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.signal("TERM");
    exit(&mut server, Duration::from_secs(15)).await;
    let log = server.log();
    for said in [
        "started",
        "invalid_fields",
        "not_json_type",
        "origin_not_allowed",
        "rate_limited_client",
        &format!("count={limited}"),
        "127.0.0.0/24",
        "stopped",
    ] {
        assert!(log.contains(said), "{said} not in\n{log}");
    }
    // A flood is a few lines, not one per request.
    let lines = log
        .lines()
        .filter(|l| l.contains("rate_limited_client"))
        .count();
    assert!(lines <= 2, "{lines} lines:\n{log}");
    for personal in [
        "王五",
        "13812345678",
        id_number,
        "东亭村5号",
        "三公经费决算明细",
        "申请公开三公经费明细",
        code.as_str(),
        "127.0.0.2",
    ] {
        assert!(!log.contains(personal), "{personal} in\n{log}");
    }
}

#[tokio::test]
async fn while_another_program_holds_the_database_submissions_wait_a_bounded_time_reads_go_on_and_it_still_stops(
) {
    let db = common::store(&folder("locked"));
    let mut server = Server::start(&[
        "--db",
        &db,
        "--listen",
        "127.0.0.1:0",
        "--shutdown-timeout",
        "2",
        "--rate-burst",
        "100",
    ]);
    let addr = server.addr;
    let (status, receipt) = request(CITIZEN, addr, POST, &complaint("key-lock00000")).await;
    assert_eq!(status, 201);
    let code: serde_json::Value = serde_json::from_str(&receipt).unwrap();
    let code = code["code"].as_str().unwrap().to_owned();
    // A staff script (or the sqlite3 shell, or psql) keeps a write open.
    let holder = common::WriteLock::take(&db);
    let send = |n: usize| {
        let body = complaint(&format!("key-lock{n:05}"));
        tokio::spawn(async move {
            let started = Instant::now();
            let (status, _) = request(CITIZEN, addr, POST, &body).await;
            (status, started.elapsed())
        })
    };
    let waiting: Vec<_> = (1..=12).map(send).collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Reads do not wait for the write.
    let started = Instant::now();
    let (status, _) = request(
        CITIZEN,
        addr,
        &format!("GET /api/feedback/{code} HTTP/1.1"),
        "",
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = request(CITIZEN, addr, "GET /api/replies HTTP/1.1", "").await;
    assert_eq!(status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // Each submission is told it could not be saved within about the 5 s
    // a submission waits, not one after another.
    for task in waiting {
        let (status, took) = task.await.unwrap();
        assert_eq!(status, 503);
        assert!(took < Duration::from_secs(8), "{took:?}");
    }
    // Stopping while submissions wait for the database takes the grace
    // period and a moment, not their waits one after another.
    let _more: Vec<_> = (13..=24).map(send).collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let signalled = Instant::now();
    server.signal("TERM");
    exit(&mut server, Duration::from_secs(6)).await;
    assert!(signalled.elapsed() < Duration::from_secs(6));
    drop(holder);
}
