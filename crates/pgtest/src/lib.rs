//! A PostgreSQL server of the tests' own: Debian's binaries
//! (`make tools-postgres`), a cluster made in a temporary folder with
//! `initdb`, started with `pg_ctl` on a Unix socket in that folder and no
//! TCP port, and stopped and removed when the [`Cluster`] is dropped. No
//! system service is used or touched.
//!
//! `initdb` refuses to run as root: as root, the server's commands run as
//! the unprivileged `postgres` user the package creates, which then owns
//! the folder. A watchdog stops the server and removes the folder if the
//! test process dies without dropping the cluster (a killed test run
//! leaves nothing behind).
//!
//! Tests that need PostgreSQL fail, naming what is missing, when it cannot
//! start: they are never skipped in silence.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

/// A running PostgreSQL server, stopped and removed when dropped.
pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
}

impl Cluster {
    /// Makes and starts a cluster in a new temporary folder; panics, saying
    /// why, if PostgreSQL is not installed or does not start.
    pub fn start() -> Cluster {
        let bin = binaries().unwrap_or_else(|| {
            panic!(
                "PostgreSQL is not installed: run `make tools-postgres` \
                 (Debian's postgresql package, /usr/lib/postgresql/*/bin)"
            )
        });
        let as_postgres = is_root();
        let dir = temporary_folder();
        if as_postgres {
            give_to_postgres(&dir);
        }
        let cluster = Cluster {
            dir,
            bin,
            as_postgres,
        };
        // Watched from the start: a test killed during initdb or pg_ctl
        // start leaves no folder and no server either.
        cluster.watch();
        let data = cluster.data();
        cluster.must(
            "initdb",
            &[
                "-D",
                path(&data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
        );
        let options = format!(
            "-c listen_addresses='' -c unix_socket_directories='{}' -c fsync=off -c max_connections=300",
            cluster.dir.display()
        );
        let log = cluster.dir.join("server.log");
        cluster.must(
            "pg_ctl",
            &[
                "-D",
                path(&data),
                "-l",
                path(&log),
                "-w",
                "-o",
                &options,
                "start",
            ],
        );
        cluster
    }

    /// The folder holding the server's Unix socket (its "host").
    pub fn socket_dir(&self) -> &Path {
        &self.dir
    }

    /// A connection URL for the database `name` as the `postgres` user.
    pub fn url(&self, name: &str) -> String {
        format!(
            "postgresql:///{name}?host={}&user=postgres",
            self.dir.display()
        )
    }

    /// Creates the empty database `name` (letters, digits and `_`) and
    /// gives its URL.
    pub fn create_database(&self, name: &str) -> String {
        assert!(
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
            "a database name of letters, digits and _: {name:?}"
        );
        self.psql("postgres", &format!("CREATE DATABASE {name}"));
        self.url(name)
    }

    /// Runs `sql` in the database `db` with psql; what it printed, rows
    /// unaligned and without headers. Panics with psql's words if it fails.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let output = Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
            .args(["-h", path(&self.dir), "-U", "postgres", "-d", db, "-c", sql])
            .stdin(Stdio::null())
            .output()
            .expect("psql could not run");
        assert!(output.status.success(), "psql: {sql}: {}", said(&output));
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// Runs one of PostgreSQL's commands (as `postgres` when root).
    fn run(&self, program: &str, args: &[&str]) -> Output {
        let program = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        command
            .args(args)
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .output()
            .expect("a PostgreSQL command could not run")
    }

    fn must(&self, program: &str, args: &[&str]) {
        let output = self.run(program, args);
        if !output.status.success() {
            let log = std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default();
            panic!("PostgreSQL's {program} failed: {}\n{log}", said(&output));
        }
    }

    /// Stops the server and removes the folder once this process is gone,
    /// whether or not the cluster was dropped.
    fn watch(&self) {
        let stop = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; \
             {user}'{pg_ctl}' -D '{data}' -m immediate stop >/dev/null 2>&1; rm -rf '{dir}'",
            pid = std::process::id(),
            user = if self.as_postgres {
                "runuser -u postgres -- "
            } else {
                ""
            },
            pg_ctl = self.bin.join("pg_ctl").display(),
            data = self.data().display(),
            dir = self.dir.display(),
        );
        // Its own session, so that a test runner's signal to the process
        // group does not stop it first.
        let _ = Command::new("setsid")
            .args(["sh", "-c", &stop])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        let _ = self.run(
            "pg_ctl",
            &["-D", path(&data), "-m", "immediate", "-w", "stop"],
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The newest installed PostgreSQL's binaries.
fn binaries() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// A new folder under the system's temporary folder, readable by its
/// owner only (the server wants its data private).
fn temporary_folder() -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let started = Instant::now();
    for n in 0u32.. {
        let dir = std::env::temp_dir().join(format!(
            "xxgk-pg-{}-{n}-{}",
            std::process::id(),
            started.elapsed().as_nanos()
        ));
        match std::fs::create_dir(&dir) {
            Ok(()) => {
                std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
                    .expect("cannot make the temporary folder private");
                return dir;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => panic!("cannot make a temporary folder: {e}"),
        }
    }
    unreachable!()
}

/// Gives the folder to the `postgres` user, which runs the server when
/// the tests run as root.
fn give_to_postgres(dir: &Path) {
    let output = Command::new("id")
        .args(["-u", "postgres"])
        .output()
        .expect("id could not run");
    let uid: u32 = String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .unwrap_or_else(|_| {
            panic!("the tests run as root and there is no postgres user to run PostgreSQL as (Debian's postgresql package creates it)")
        });
    let gid = Command::new("id")
        .args(["-g", "postgres"])
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok());
    std::os::unix::fs::chown(dir, Some(uid), gid).expect("cannot give the folder to postgres");
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a temporary path in UTF-8")
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    )
}

/// The cluster this test process shares among its tests, started the
/// first time it is asked for; stopped and removed by its watchdog when
/// the process ends.
pub fn shared() -> &'static Cluster {
    static SHARED: std::sync::OnceLock<Cluster> = std::sync::OnceLock::new();
    SHARED.get_or_init(Cluster::start)
}

/// A new empty database in the [`shared`] cluster, by URL.
pub fn fresh_database() -> String {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    shared().create_database(&format!("test_{}_{n}", std::process::id()))
}

/// Whether the tests run on PostgreSQL: `XXGK_TEST_ENGINE=postgres`
/// (`make test` runs the server's tests once on each engine).
pub fn on_postgres() -> bool {
    match std::env::var("XXGK_TEST_ENGINE").as_deref() {
        Ok("postgres") => true,
        Ok("sqlite") | Err(_) => false,
        Ok(other) => panic!("XXGK_TEST_ENGINE is sqlite or postgres, not {other:?}"),
    }
}

/// Where a test keeps its store, as `--db` takes it: the file `name` in
/// `dir`, or a new PostgreSQL database when the tests run on PostgreSQL.
pub fn store_in(dir: &Path, name: &str) -> String {
    if on_postgres() {
        fresh_database()
    } else {
        dir.join(name).display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cluster_starts_answers_on_its_socket_and_is_gone_when_dropped() {
        let cluster = Cluster::start();
        let dir = cluster.socket_dir().to_owned();
        assert!(
            dir.join(".s.PGSQL.5432").exists(),
            "no socket in {}",
            dir.display()
        );
        assert_eq!(cluster.psql("postgres", "SELECT 1 + 1"), "2");
        let url = cluster.create_database("cases_1");
        assert!(url.starts_with("postgresql:///cases_1?host="), "{url}");
        cluster.psql(
            "cases_1",
            "CREATE TABLE t (n int); INSERT INTO t VALUES (7)",
        );
        assert_eq!(cluster.psql("cases_1", "SELECT n FROM t"), "7");
        // No TCP port: the server listens on its socket only.
        assert_eq!(cluster.psql("postgres", "SHOW listen_addresses"), "");
        drop(cluster);
        assert!(!dir.exists(), "{} is left behind", dir.display());
    }

    #[test]
    fn a_test_process_that_dies_leaves_no_server_and_no_folder() {
        let child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "tests::dies_holding_a_cluster",
                "--ignored",
                "--nocapture",
            ])
            .output()
            .unwrap();
        let printed = String::from_utf8_lossy(&child.stdout);
        let dir = printed
            .lines()
            .find_map(|l| l.strip_prefix("cluster in "))
            .unwrap_or_else(|| panic!("the child started no cluster: {printed}{}", said(&child)));
        let dir = PathBuf::from(dir);
        let gone = Instant::now();
        while dir.exists() && gone.elapsed().as_secs() < 15 {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        assert!(!dir.exists(), "{} is left behind", dir.display());
        let running = Command::new("pgrep")
            .args(["-f", path(&dir)])
            .output()
            .unwrap();
        assert!(
            running.stdout.is_empty(),
            "a server is left running: {}",
            said(&running)
        );
    }

    #[test]
    #[ignore = "run in a process of its own by the test above"]
    fn dies_holding_a_cluster() {
        let cluster = Cluster::start();
        println!("cluster in {}", cluster.socket_dir().display());
        // Gone without dropping the cluster, as a killed test run is.
        std::process::exit(0);
    }

    #[test]
    fn two_clusters_run_side_by_side() {
        let (a, b) = (Cluster::start(), Cluster::start());
        a.create_database("only_in_a");
        let listed = |c: &Cluster| c.psql("postgres", "SELECT datname FROM pg_database ORDER BY 1");
        assert!(listed(&a).contains("only_in_a"));
        assert!(!listed(&b).contains("only_in_a"));
    }
}
