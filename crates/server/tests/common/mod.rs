//! What the integration tests share: running the command line and the
//! server, and a store on either engine (`XXGK_TEST_ENGINE`).

use std::process::Command;

/// Runs `xxgk-server` with `args`: whether it succeeded, its standard
/// output and its standard error.
#[allow(dead_code)]
pub fn run(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xxgk-server"))
        .args(args)
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (
        output.status.success(),
        text(output.stdout),
        text(output.stderr),
    )
}

/// A running `xxgk-server serve`, stopped when dropped.
#[allow(dead_code)]
pub struct Server {
    pub child: std::process::Child,
    /// Where it listens.
    pub addr: std::net::SocketAddr,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

#[allow(dead_code)]
impl Server {
    /// Starts `xxgk-server serve` with `args` (give `--listen 127.0.0.1:0`),
    /// through `sh -c` with `prefix` before it (such as `ulimit -n 256;`).
    pub fn start_with(prefix: &str, args: &[&str]) -> Server {
        use std::io::BufRead;
        let quoted: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_xxgk-server"))
            .chain(std::iter::once("serve"))
            .chain(args.iter().copied())
            .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
            .collect();
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!("{prefix} exec {}", quoted.join(" ")))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut line = String::new();
            while err.read_line(&mut line).unwrap_or(0) > 0 {
                sink.lock().unwrap().push_str(&line);
                line.clear();
            }
        });
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        let addr = loop {
            line.clear();
            if out.read_line(&mut line).unwrap() == 0 {
                panic!("the server stopped: {}", stderr.lock().unwrap());
            }
            if let Some(rest) = line.split("http://").nth(1) {
                let addr = rest.split('/').next().unwrap();
                break addr.parse().unwrap();
            }
        };
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        Server {
            child,
            addr,
            stderr,
        }
    }

    /// Starts `xxgk-server serve` with `args`.
    pub fn start(args: &[&str]) -> Server {
        Server::start_with("", args)
    }

    /// What it has logged so far.
    pub fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Sends it a signal.
    pub fn signal(&self, name: &str) {
        let ok = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh folder for one test.
#[allow(dead_code)]
pub fn folder(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("xxgk-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Connects to `addr` from the local address `from` (any 127.x.y.z works
/// on Linux), so that tests can be several clients.
#[allow(dead_code)]
pub async fn connect_from(from: [u8; 4], addr: std::net::SocketAddr) -> tokio::net::TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(std::net::SocketAddr::from((from, 0))).unwrap();
    socket.connect(addr).await.unwrap()
}

/// Sends one raw HTTP/1.1 request on a new connection from `from`; the
/// status and the body.
#[allow(dead_code)]
pub async fn request(
    from: [u8; 4],
    addr: std::net::SocketAddr,
    head: &str,
    body: &str,
) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = connect_from(from, addr).await;
    let text = format!(
        "{head}\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(text.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer).into_owned();
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("").to_owned();
    (status, body)
}

/// Whether the server has closed `stream` (reading gives the end, or an
/// error), waiting at most `within`.
#[allow(dead_code)]
pub async fn closed(stream: &mut tokio::net::TcpStream, within: std::time::Duration) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 1024];
    loop {
        match tokio::time::timeout(within, stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            // A 408 or the like before closing.
            Ok(Ok(_)) => continue,
        }
    }
}

/// A valid complaint with client key `key`, as JSON.
#[allow(dead_code)]
pub fn complaint(key: &str) -> String {
    serde_json::json!({
        "kind": "complaint",
        "subject": "村道路灯损坏无人修",
        "body": "东亭村村口到小学的路灯坏了三个月，晚上孩子放学很危险。",
        "name": "张三",
        "phone": "13912345678",
        "client_key": key,
    })
    .to_string()
}

/// Where a test keeps its store, as `--db` and `Store::open` take it:
/// `feedback.db` in `dir`, or a new PostgreSQL database when the tests
/// run on PostgreSQL (`XXGK_TEST_ENGINE=postgres`). Each call is a new
/// store: a test asks once and uses the answer throughout.
#[allow(dead_code)]
pub fn store(dir: &std::path::Path) -> String {
    xxgk_pgtest::store_in(dir, "feedback.db")
}

/// Runs `f` with a client of the PostgreSQL database at `url`, on a
/// thread of its own: the synchronous client must not run on a thread
/// of the tests' tokio runtime.
#[allow(dead_code)]
fn with_postgres<T: Send + 'static>(
    url: &str,
    f: impl FnOnce(&mut postgres::Client) -> T + Send + 'static,
) -> T {
    let url = url.to_owned();
    std::thread::spawn(move || {
        let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        f(&mut client)
    })
    .join()
    .unwrap()
}

/// Runs the SQL `statements` against the store at `db` (a path or a
/// `postgres://` URL) as another program would, with the engine's own
/// client: what the engine said if it refused them.
#[allow(dead_code)]
pub fn try_sql(db: &str, statements: &str) -> Result<(), String> {
    use xxgk_server::store::Location;
    match Location::parse(db) {
        Location::File(path) => rusqlite::Connection::open(path)
            .unwrap()
            .execute_batch(statements)
            .map_err(|e| e.to_string()),
        Location::Postgres(url) => {
            let statements = statements.to_owned();
            with_postgres(&url, move |client| {
                client
                    .batch_execute(&statements)
                    .map_err(|e| match e.as_db_error() {
                        Some(db) => db.message().to_owned(),
                        None => e.to_string(),
                    })
            })
        }
    }
}

/// Runs the SQL `statements` against the store at `db`, which must take
/// them.
#[allow(dead_code)]
pub fn sql(db: &str, statements: &str) {
    if let Err(e) = try_sql(db, statements) {
        panic!("{statements}: {e}");
    }
}

/// The first column of the first row `query` gives in the store at `db`,
/// as text (`None` for NULL or no row).
#[allow(dead_code)]
pub fn value(db: &str, query: &str) -> Option<String> {
    use rusqlite::types::ValueRef;
    use xxgk_server::store::Location;
    match Location::parse(db) {
        Location::File(path) => {
            let conn = rusqlite::Connection::open(path).unwrap();
            let mut statement = conn.prepare(query).unwrap();
            let mut rows = statement.query([]).unwrap();
            let row = rows.next().unwrap()?;
            match row.get_ref(0).unwrap() {
                ValueRef::Null => None,
                ValueRef::Integer(n) => Some(n.to_string()),
                ValueRef::Real(x) => Some(x.to_string()),
                ValueRef::Text(t) | ValueRef::Blob(t) => {
                    Some(String::from_utf8_lossy(t).into_owned())
                }
            }
        }
        Location::Postgres(url) => {
            let query = format!("SELECT CAST(q.v AS TEXT) FROM ({query}) AS q(v)");
            with_postgres(&url, move |client| {
                client
                    .query_opt(&query, &[])
                    .unwrap()
                    .and_then(|row| row.get(0))
            })
        }
    }
}

/// Another program holding the store's write lock, as a staff script or
/// the `sqlite3` shell in the middle of a write does: writers wait until
/// it is dropped. On PostgreSQL, a transaction holding the advisory lock
/// every writer of the store takes first.
#[allow(dead_code)]
pub struct WriteLock {
    release: Option<std::sync::mpsc::Sender<()>>,
    holder: Option<std::thread::JoinHandle<()>>,
}

#[allow(dead_code)]
impl WriteLock {
    /// Takes the write lock of the store at `db`, waiting for it.
    pub fn take(db: &str) -> WriteLock {
        use xxgk_server::store::Location;
        let (release, released) = std::sync::mpsc::channel::<()>();
        let (taken, is_taken) = std::sync::mpsc::channel::<()>();
        let at = Location::parse(db);
        let holder = std::thread::spawn(move || match at {
            Location::File(path) => {
                let conn = rusqlite::Connection::open(path).unwrap();
                conn.execute_batch("BEGIN IMMEDIATE; UPDATE submission SET answer = answer;")
                    .unwrap();
                taken.send(()).unwrap();
                let _ = released.recv();
                conn.execute_batch("ROLLBACK").unwrap();
            }
            Location::Postgres(url) => {
                let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
                let mut tx = client.transaction().unwrap();
                tx.execute(
                    "SELECT pg_advisory_xact_lock($1)",
                    &[&xxgk_server::store::postgres::WRITE_LOCK],
                )
                .unwrap();
                taken.send(()).unwrap();
                let _ = released.recv();
                tx.rollback().unwrap();
            }
        });
        is_taken.recv().expect("the write lock could not be taken");
        WriteLock {
            release: Some(release),
            holder: Some(holder),
        }
    }
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        drop(self.release.take());
        if let Some(holder) = self.holder.take() {
            // Not a second panic while a failing test unwinds.
            if holder.join().is_err() && !std::thread::panicking() {
                panic!("the holder of the write lock failed");
            }
        }
    }
}
