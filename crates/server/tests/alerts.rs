//! Staff alerts from a running `xxgk-server serve`, received by real
//! servers the tests start: an HTTP receiver that records each webhook
//! POST, and Debian's aiosmtpd as the mail server (`make tools-smtp`).
//! The signature is checked with openssl, apart from the server's code.

mod common;

use common::{complaint, folder, request, Server};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CITIZEN: [u8; 4] = [127, 0, 0, 1];

const POST: &str = "POST /api/feedback HTTP/1.1\r\nContent-Type: application/json";

/// One POST the receiver got, and what it answered.
#[derive(Clone, Debug)]
struct Seen {
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
    answered: u16,
}

/// A webhook receiver on its own thread, answering the `n`th POST (from
/// 0) with the status and after the wait `answer(n)` gives.
struct Receiver {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    /// How many POSTs have arrived, answered or not.
    arrived: Arc<Mutex<usize>>,
}

impl Receiver {
    fn start(answer: fn(usize) -> (u16, Duration)) -> Receiver {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let arrived = Arc::new(Mutex::new(0));
        let (seen_by_server, arrived_by_server) = (seen.clone(), arrived.clone());
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let app = axum::Router::new().fallback(
                    move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                        let (seen, arrived) = (seen_by_server.clone(), arrived_by_server.clone());
                        async move {
                            let n = {
                                let mut arrived = arrived.lock().unwrap();
                                *arrived += 1;
                                *arrived - 1
                            };
                            let (status, wait) = answer(n);
                            tokio::time::sleep(wait).await;
                            seen.lock().unwrap().push(Seen {
                                headers,
                                body: body.to_vec(),
                                answered: status,
                            });
                            axum::http::StatusCode::from_u16(status).unwrap()
                        }
                    },
                );
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, app).await.unwrap();
            });
        });
        Receiver {
            addr,
            seen,
            arrived,
        }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn arrived(&self) -> usize {
        *self.arrived.lock().unwrap()
    }
}

/// Waits up to ten seconds for `done`.
async fn wait_for(what: &str, server: &Server, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "waited in vain for {what}; the server's log:\n{}",
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A folder holding the webhook's secret: the folder and the file.
fn with_secret(name: &str, secret: &str) -> (PathBuf, PathBuf) {
    let dir = folder(name);
    let file = dir.join("webhook-secret");
    std::fs::write(&file, format!("{secret}\n")).unwrap();
    (dir, file)
}

/// A receiver on the store `db` with a webhook to `receiver` signed with
/// the secret in `secret_file`, alerting quickly.
fn serve_with_webhook(db: &str, receiver: &Receiver, secret_file: &Path) -> Server {
    let hook = format!("http://{}/hooks/xxgk?token=abc", receiver.addr);
    Server::start(&[
        "--db",
        db,
        "--listen",
        "127.0.0.1:0",
        "--alert-webhook",
        &hook,
        "--alert-webhook-secret-file",
        &secret_file.display().to_string(),
        "--console-url",
        "https://xxgk.example.gov.cn/console/#/case/{code}",
        "--alert-quick",
    ])
}

/// Submits a complaint with client key `key`: the status and the code.
async fn submit(addr: SocketAddr, key: &str) -> (u16, String) {
    let (status, body) = request(CITIZEN, addr, POST, &complaint(key)).await;
    let code = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["code"].as_str().map(str::to_owned))
        .unwrap_or_default();
    (status, code)
}

/// HMAC-SHA256 of `message` keyed with `secret`, in hex, by openssl.
fn openssl_hmac(secret: &str, message: &[u8]) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("openssl")
        .args(["dgst", "-sha256", "-hmac", secret])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("openssl (make tools-nginx installs it)");
    child.stdin.take().unwrap().write_all(message).unwrap();
    let output = child.wait_with_output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    text.rsplit("= ").next().unwrap().trim().to_owned()
}

#[tokio::test]
async fn a_new_submission_is_posted_to_the_webhook_signed_and_without_personal_data() {
    let receiver = Receiver::start(|_| (200, Duration::ZERO));
    let secret = "a shared secret 共享";
    let (dir, secret_file) = with_secret("alerts-webhook", secret);
    let server = serve_with_webhook(&common::store(&dir), &receiver, &secret_file);
    let (status, code) = submit(server.addr, "key-alert-hook1").await;
    assert_eq!(status, 201);
    wait_for("the webhook", &server, || !receiver.seen().is_empty()).await;
    // Time for a second POST, which must not come.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let seen = receiver.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    let post = &seen[0];
    let header = |name: &str| post.headers[name].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "application/json");
    let timestamp = header("x-xxgk-timestamp");
    let now = xxgk_server::store::now();
    assert!((now - timestamp.parse::<i64>().unwrap()).abs() < 60);
    let mut signed = format!("{timestamp}.").into_bytes();
    signed.extend_from_slice(&post.body);
    assert_eq!(
        header("x-xxgk-signature"),
        format!("sha256={}", openssl_hmac(secret, &signed))
    );
    let body: serde_json::Value = serde_json::from_slice(&post.body).unwrap();
    assert_eq!(body["event"], "submitted");
    assert_eq!(body["code"], code.as_str());
    assert_eq!(body["kind"], "complaint");
    assert_eq!(header("x-xxgk-delivery"), body["id"].to_string());
    assert_eq!(
        body["link"],
        format!("https://xxgk.example.gov.cn/console/#/case/{code}")
    );
    let fields: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        fields,
        ["code", "event", "id", "kind", "link", "queued_at", "text"]
    );
    let text = String::from_utf8(post.body.clone()).unwrap();
    for personal in ["张三", "13912345678", "路灯", "孩子"] {
        assert!(!text.contains(personal), "{personal} sent: {text}");
    }
    let log = server.log();
    assert!(log.contains("alert delivered"), "{log}");
    assert!(!log.contains(&code) && !log.contains("token=abc"), "{log}");
}

#[tokio::test]
async fn a_failed_post_is_retried_until_delivered_and_never_holds_up_a_submission() {
    // The first POST hangs for two seconds and fails; the rest are taken.
    let receiver = Receiver::start(|n| match n {
        0 => (500, Duration::from_secs(2)),
        _ => (204, Duration::ZERO),
    });
    let (dir, secret_file) = with_secret("alerts-retry", "s3cret");
    let db = common::store(&dir);
    let server = serve_with_webhook(&db, &receiver, &secret_file);
    let started = Instant::now();
    let (status, first) = submit(server.addr, "key-alert-retry1").await;
    assert_eq!(status, 201);
    assert!(started.elapsed() < Duration::from_secs(1));
    // While the webhook hangs, a citizen submits at once.
    wait_for("the first POST", &server, || receiver.arrived() == 1).await;
    let started = Instant::now();
    let (status, second) = submit(server.addr, "key-alert-retry2").await;
    assert_eq!(status, 201);
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    assert!(receiver.seen().is_empty(), "the webhook was still hanging");
    wait_for("every alert delivered", &server, || {
        receiver.seen().iter().filter(|s| s.answered == 204).count() == 2
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let seen = receiver.seen();
    let mut codes: Vec<(String, u16)> = seen
        .iter()
        .map(|s| {
            let body: serde_json::Value = serde_json::from_slice(&s.body).unwrap();
            (body["code"].as_str().unwrap().to_owned(), s.answered)
        })
        .collect();
    codes.sort_by_key(|(code, answered)| (code != &first, *answered == 204));
    assert_eq!(
        codes,
        [(first.clone(), 500), (first.clone(), 204), (second, 204)],
        "the first again after its failure, each delivered once"
    );
    let delivery = |s: &Seen| s.headers["x-xxgk-delivery"].to_str().unwrap().to_owned();
    let retried: Vec<String> = seen
        .iter()
        .filter(|s| s.body == seen[0].body)
        .map(delivery)
        .collect();
    assert_eq!(retried, [delivery(&seen[0]), delivery(&seen[0])]);
    let store = xxgk_server::store::Store::open_reader(&db).unwrap();
    let id: i64 = delivery(&seen[0]).parse().unwrap();
    let kept = store.alert(id).unwrap().unwrap();
    assert_eq!(kept.state, xxgk_server::store::AlertState::Delivered);
    assert_eq!(kept.attempts, 1);
    assert!(kept.webhook_at.is_some() && kept.email_at.is_none());
    assert!(kept.last_error.contains("HTTP 500"), "{}", kept.last_error);
    assert!(store.alerts_not_delivered(10).unwrap().is_empty());
    assert!(server.log().contains("alert not delivered"));
}

/// Debian's aiosmtpd keeping each mail in the Maildir `mailbox`, on a
/// free port of this machine; stopped when dropped.
struct MailServer {
    _child: Running,
    port: u16,
}

/// A process the test started, stopped when dropped.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl MailServer {
    fn start(mailbox: &Path) -> MailServer {
        let python = "/usr/bin/python3";
        let ok = std::process::Command::new(python)
            .args(["-c", "import aiosmtpd"])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "Debian's python3-aiosmtpd is missing: make tools-smtp");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Running(
            std::process::Command::new(python)
                .args(["-m", "aiosmtpd", "-n", "-l"])
                .arg(format!("127.0.0.1:{port}"))
                .args(["-c", "aiosmtpd.handlers.Mailbox"])
                .arg(mailbox)
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap(),
        );
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "aiosmtpd did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        MailServer {
            _child: child,
            port,
        }
    }
}

/// The headers of the mail in the file `path`, decoded by Python's email
/// package: `Name: value` lines.
fn decoded_headers(path: &Path) -> String {
    let script = "import email, email.policy, sys\n\
                  m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)\n\
                  for k in ('Subject', 'From', 'To', 'X-RcptTo'): print(k + ': ' + str(m[k]))\n\
                  print('Body: ' + m.get_content().replace('\\n', ' '))";
    let output = std::process::Command::new("/usr/bin/python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{:?}", output);
    String::from_utf8(output.stdout).unwrap()
}

#[tokio::test]
async fn a_new_submission_is_mailed_to_every_recipient_through_smtp() {
    let dir = folder("alerts-smtp");
    let mailbox = dir.join("mailbox");
    let mail = MailServer::start(&mailbox);
    let db = common::store(&dir);
    let server = Server::start(&[
        "--db",
        &db,
        "--listen",
        "127.0.0.1:0",
        "--alert-smtp",
        &format!("smtp://127.0.0.1:{}", mail.port),
        "--alert-from",
        "xxgk@example.gov.cn",
        "--alert-to",
        "office@example.gov.cn",
        "--alert-to",
        "head@example.gov.cn",
        "--alert-quick",
    ]);
    let (status, code) = submit(server.addr, "key-alert-mail1").await;
    assert_eq!(status, 201);
    let arrived = || {
        std::fs::read_dir(mailbox.join("new"))
            .map(|d| d.flatten().map(|e| e.path()).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    wait_for("the mail", &server, || !arrived().is_empty()).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mails = arrived();
    assert_eq!(mails.len(), 1, "one mail to both recipients");
    let headers = decoded_headers(&mails[0]);
    assert!(
        headers.contains(&format!("Subject: 【信息公开】新留言（投诉） {code}\n")),
        "{headers}"
    );
    assert!(headers.contains("From: xxgk@example.gov.cn\n"), "{headers}");
    assert!(
        headers.contains("X-RcptTo: office@example.gov.cn, head@example.gov.cn\n"),
        "{headers}"
    );
    assert!(headers.contains(&format!("查询码：{code}")), "{headers}");
    for personal in ["张三", "13912345678", "路灯"] {
        assert!(!headers.contains(personal), "{personal} mailed: {headers}");
    }
    assert!(
        server.log().contains("channel=\"email\""),
        "{}",
        server.log()
    );
}

/// Python's HTTPS server answering each POST with 204 and appending its
/// body to a file, on a free port.
const HTTPS_RECEIVER: &str = r#"
import http.server, ssl, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers['Content-Length']))
        with open(sys.argv[3], 'ab') as f:
            f.write(body + b'\n')
        self.send_response(204)
        self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[1], sys.argv[2])
server.socket = context.wrap_socket(server.socket, server_side=True)
print(server.server_address[1], flush=True)
server.serve_forever()
"#;

/// Makes, in `dir`, a certificate authority (ca.pem) and a certificate
/// for localhost signed by it (leaf.pem, leaf.key), with openssl.
fn certificates(dir: &Path) {
    let openssl = |args: &str| {
        let output = std::process::Command::new("openssl")
            .args(args.split_whitespace())
            .current_dir(dir)
            .output()
            .expect("openssl (make tools-nginx installs it)");
        assert!(output.status.success(), "openssl {args}: {output:?}");
    };
    openssl(
        "req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2
         -subj /CN=xxgk-test-ca -addext basicConstraints=critical,CA:TRUE",
    );
    openssl("req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj /CN=localhost");
    std::fs::write(
        dir.join("leaf.ext"),
        "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        "x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem
         -days 2 -extfile leaf.ext",
    );
}

#[tokio::test]
async fn an_https_webhook_is_posted_over_tls_checked_against_the_trusted_certificates() {
    use std::io::BufRead;
    let (dir, secret_file) = with_secret("alerts-https", "s3cret");
    certificates(&dir);
    std::fs::write(dir.join("receiver.py"), HTTPS_RECEIVER).unwrap();
    let received = dir.join("received");
    let mut python = Running(
        std::process::Command::new("/usr/bin/python3")
            .arg(dir.join("receiver.py"))
            .args([dir.join("leaf.pem"), dir.join("leaf.key"), received.clone()])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut port = String::new();
    std::io::BufReader::new(python.0.stdout.take().unwrap())
        .read_line(&mut port)
        .unwrap();
    let hook = format!("https://localhost:{}/hook", port.trim());
    let serve = |prefix: &str, db: &str| {
        let db = xxgk_pgtest::store_in(&dir, db);
        let secret = secret_file.display().to_string();
        let args = [
            "--db",
            &db,
            "--listen",
            "127.0.0.1:0",
            "--alert-webhook",
            &hook,
            "--alert-webhook-secret-file",
            &secret,
            "--alert-quick",
        ];
        Server::start_with(prefix, &args)
    };
    // The system's certificates do not know the test's authority.
    let untrusting = serve("", "untrusting.db");
    assert_eq!(submit(untrusting.addr, "key-alert-tls01").await.0, 201);
    wait_for("the refusal", &untrusting, || {
        untrusting.log().contains("invalid peer certificate")
    })
    .await;
    assert!(!received.exists());
    drop(untrusting);
    let ca = dir.join("ca.pem").display().to_string();
    let trusting = serve(&format!("SSL_CERT_FILE='{ca}'"), "trusting.db");
    let (status, code) = submit(trusting.addr, "key-alert-tls02").await;
    assert_eq!(status, 201);
    wait_for("the POST over TLS", &trusting, || received.exists()).await;
    let body = std::fs::read_to_string(&received).unwrap();
    let body: serde_json::Value = serde_json::from_str(body.trim()).unwrap();
    assert_eq!(body["code"], code.as_str());
}
