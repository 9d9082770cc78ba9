//! The receiver behind a real nginx with TLS, configured by the file the
//! README shows (docs/deploy/nginx.conf): each citizen is counted by the
//! address nginx saw, whatever they write in X-Forwarded-For, and a
//! client that reaches the receiver directly cannot pass for another.
//! nginx, curl and openssl come from Debian (`make tools-nginx`).

mod common;

use common::{complaint, folder, Server};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SITE: &str = "xxgk.example.gov.cn";

fn nginx() -> String {
    [
        "/usr/sbin/nginx",
        "/usr/local/sbin/nginx",
        "/usr/local/nginx/sbin/nginx",
    ]
    .iter()
    .find(|p| Path::new(p).exists())
    .map(|p| p.to_string())
    .expect("nginx is not installed: run `make tools-nginx` (Debian's nginx package)")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// nginx, stopped when dropped.
struct Nginx(std::process::Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs curl from the local address `from` against `url`: the status.
fn curl(from: &str, tls: u16, method: &str, path: &str, headers: &[&str], body: &str) -> u16 {
    let mut command = Command::new("curl");
    command.args([
        "-sk",
        "--interface",
        from,
        "--resolve",
        &format!("{SITE}:{tls}:127.0.0.1"),
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        "-X",
        method,
    ]);
    for header in headers {
        command.args(["-H", header]);
    }
    if !body.is_empty() {
        command.args(["--data-binary", body]);
    }
    let output = command
        .arg(format!("https://{SITE}:{tls}{path}"))
        .output()
        .expect("curl is not installed: run `make tools-nginx`");
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .unwrap_or(0)
}

const JSON: &str = "Content-Type: application/json";

#[test]
fn behind_nginx_each_citizen_has_a_bucket_and_spoofed_headers_change_nothing() {
    let nginx = nginx();
    let dir = folder("nginx");
    let (plain, tls) = (free_port(), free_port());
    // The site's own pages are on its host name: an allowed origin like
    // the portal's.
    let own = format!("https://{SITE}:{tls}");
    let db = common::store(&dir);
    let mut receiver = Server::start(&[
        "--db",
        &db,
        "--listen",
        "127.0.0.1:0",
        "--trusted-proxy",
        "127.0.0.1",
        "--allow-origin",
        &own,
        "--rate-burst",
        "2",
        "--rate-seconds",
        "600",
    ]);
    // A certificate for the site, as the operator would have.
    let (cert, key) = (dir.join("fullchain.pem"), dir.join("privkey.pem"));
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
        ])
        .arg(format!("/CN={SITE}"))
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(Stdio::null())
        .status()
        .expect("openssl is not installed: run `make tools-nginx`");
    assert!(made.success());
    let documented = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/deploy/nginx.conf"
    ))
    .unwrap();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    assert!(
        readme.contains(&format!("```nginx\n{documented}```")),
        "the README shows docs/deploy/nginx.conf as it is"
    );
    let mut site = documented.clone();
    for (from, to) in [
        ("listen 443 ssl;", format!("listen 127.0.0.1:{tls} ssl;")),
        ("listen 80;", format!("listen 127.0.0.1:{plain};")),
        ("/etc/ssl/xxgk/fullchain.pem", cert.display().to_string()),
        ("/etc/ssl/xxgk/privkey.pem", key.display().to_string()),
        ("http://127.0.0.1:8081", format!("http://{}", receiver.addr)),
        (
            "/var/log/nginx/xxgk.log",
            dir.join("access.log").display().to_string(),
        ),
    ] {
        assert!(
            site.contains(from),
            "docs/deploy/nginx.conf no longer has {from}"
        );
        site = site.replace(from, &to);
    }
    std::fs::write(dir.join("xxgk.conf"), site).unwrap();
    // SAFETY: geteuid only reads the process's user id.
    let root = unsafe { libc::geteuid() } == 0;
    let d = dir.display();
    let main = format!(
        "daemon off; master_process off; pid {d}/nginx.pid; {user}
         events {{ worker_connections 256; }}
         http {{
             client_body_temp_path {d}/body; proxy_temp_path {d}/proxy;
             fastcgi_temp_path {d}/fastcgi; uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
             include {d}/xxgk.conf;
         }}",
        user = if root { "user root;" } else { "" },
    );
    std::fs::write(dir.join("nginx.conf"), main).unwrap();
    let error_log = dir.join("error.log");
    let _nginx = Nginx(
        Command::new(&nginx)
            .arg("-e")
            .arg(&error_log)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .spawn()
            .unwrap(),
    );
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", tls)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "nginx did not start: {}",
            std::fs::read_to_string(&error_log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let post = |from: &str, key: &str, extra: &[&str]| {
        let headers: Vec<&str> = std::iter::once(JSON).chain(extra.iter().copied()).collect();
        curl(
            from,
            tls,
            "POST",
            "/api/feedback",
            &headers,
            &complaint(key),
        )
    };
    // One citizen spends their allowance through nginx...
    assert_eq!(post("127.0.0.2", "key-nginx-a1", &[]), 201);
    assert_eq!(post("127.0.0.2", "key-nginx-a2", &[]), 201);
    assert_eq!(post("127.0.0.2", "key-nginx-a3", &[]), 429);
    // ...and cannot get out of it by writing another address first.
    let spoof = "X-Forwarded-For: 198.51.100.77";
    assert_eq!(post("127.0.0.2", "key-nginx-a4", &[spoof]), 429);
    let spoof = "Forwarded: for=198.51.100.78";
    assert_eq!(post("127.0.0.2", "key-nginx-a5", &[spoof]), 429);
    // Nor spend someone else's allowance by naming them.
    let framed = "Forwarded: for=127.0.0.8";
    assert_eq!(post("127.0.0.7", "key-nginx-f1", &[framed]), 201);
    assert_eq!(post("127.0.0.7", "key-nginx-f2", &[framed]), 201);
    let framed = "X-Forwarded-For: 127.0.0.8";
    assert_eq!(post("127.0.0.7", "key-nginx-f3", &[framed]), 429);
    assert_eq!(post("127.0.0.8", "key-nginx-g1", &[]), 201);
    // Another citizen behind the same nginx is not affected.
    assert_eq!(post("127.0.0.3", "key-nginx-b1", &[]), 201);
    // Straight to the receiver, a peer that is not the proxy is itself,
    // whoever it says it is forwarding for.
    let direct = Command::new("curl")
        .args([
            "-s",
            "--interface",
            "127.0.0.4",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
        ])
        .args([
            "-H",
            JSON,
            "-H",
            "X-Forwarded-For: 127.0.0.3",
            "--data-binary",
        ])
        .arg(complaint("key-direct01"))
        .arg(format!("http://{}/api/feedback", receiver.addr))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&direct.stdout), "201");
    assert_eq!(post("127.0.0.3", "key-nginx-b2", &[]), 201);
    assert_eq!(post("127.0.0.3", "key-nginx-b3", &[]), 429);

    // The site's own pages may post through nginx; another site's may not.
    let own = format!("Origin: {own}");
    assert_eq!(post("127.0.0.5", "key-nginx-c1", &[&own]), 201);
    let evil = "Origin: https://evil.example";
    assert_eq!(post("127.0.0.5", "key-nginx-c2", &[evil]), 403);
    // Plain HTTP is sent to HTTPS.
    let redirect = Command::new("curl")
        .args([
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code} %{redirect_url}",
        ])
        .args(["--resolve", &format!("{SITE}:{plain}:127.0.0.1")])
        .arg(format!("http://{SITE}:{plain}/api/replies"))
        .output()
        .unwrap();
    let redirect = String::from_utf8_lossy(&redirect.stdout).into_owned();
    assert!(redirect.starts_with("301 https://"), "{redirect}");

    // A lookup by code, then the access log: networks and paths, no code
    // and no whole address.
    assert_eq!(
        curl(
            "127.0.0.2",
            tls,
            "GET",
            "/api/feedback/ABCDEFGHJKMN",
            &[],
            ""
        ),
        404
    );
    // nginx writes a request's line after it has sent the answer: the
    // lookup's may come a moment after curl has it.
    let logged = Instant::now();
    let access = loop {
        let access = std::fs::read_to_string(dir.join("access.log")).unwrap();
        if access.contains("/api/feedback/{code}") || logged.elapsed() > Duration::from_secs(5) {
            break access;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        access.contains("127.0.0.0/24") && access.contains("/api/feedback/{code}"),
        "{access}"
    );
    for secret in ["ABCDEFGHJKMN", "127.0.0.2", "127.0.0.3"] {
        assert!(!access.contains(secret), "{secret} in {access}");
    }
    assert!(!receiver.log().contains("127.0.0.2"), "{}", receiver.log());

    // One address cannot take nginx's connections with bodies that never
    // end: past 32 at once it is refused, and others are served.
    let mut slow = Vec::new();
    for _ in 0..40 {
        slow.push(
            Command::new("curl")
                .args([
                    "-sk",
                    "--interface",
                    "127.0.0.9",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{http_code}",
                ])
                .args(["--resolve", &format!("{SITE}:{tls}:127.0.0.1")])
                .args(["-X", "POST", "-H", JSON, "-T", "-"])
                .arg(format!("https://{SITE}:{tls}/api/feedback"))
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap(),
        );
    }
    let started = Instant::now();
    let mut refused = 0;
    while started.elapsed() < Duration::from_secs(8) && refused < 8 {
        refused = 0;
        for curl in &mut slow {
            if curl.try_wait().unwrap().is_some() {
                refused += 1;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(refused >= 8, "{refused} of 40 refused");
    assert_eq!(curl("127.0.0.10", tls, "GET", "/api/replies", &[], ""), 200);
    for mut curl in slow {
        let _ = curl.kill();
        let _ = curl.wait();
    }

    // While the receiver is down (a restart), nginx's error log keeps
    // neither the lookup code nor the address.
    let _ = receiver.child.kill();
    let _ = receiver.child.wait();
    assert_eq!(
        curl(
            "127.0.0.2",
            tls,
            "GET",
            "/api/feedback/ABCDEFGHJKMN",
            &[],
            ""
        ),
        502
    );
    let errors = std::fs::read_to_string(dir.join("site-error.log")).unwrap_or_default();
    for secret in ["ABCDEFGHJKMN", "127.0.0.2"] {
        assert!(!errors.contains(secret), "{secret} in {errors}");
    }
}
