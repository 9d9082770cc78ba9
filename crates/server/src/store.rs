//! Where submissions are kept: one SQLite file, in WAL mode with every
//! commit synced to disk, its schema brought up to date on opening. The
//! file and the WAL and shared-memory files beside it are readable and
//! writable by their owner only: they hold identity numbers.
//!
//! A submission gets a random lookup code (查询码), not guessable and not
//! sequential. The client key the form sends makes a retry return the
//! original record instead of a second one. What the public may see of a
//! record ([`Public`]) never carries the name, phone, email, address or
//! identity document. A submission that came with the form's trap field
//! filled is kept too, marked as suspected, out of the public list and
//! the statistics until staff restore it. What the public is shown (the
//! lookup, the published replies, the statistics) is in `store/public.rs`.
//! A new submission that is not suspected queues a staff alert in the
//! same transaction (`store/alerts.rs`); `crate::alerts` sends it.

mod alerts;
mod answers;
mod copy;
pub(crate) mod db;
mod events;
pub mod postgres;
mod public;
mod rate;
mod sites;
mod staff;

pub use alerts::{due_within, Alert, AlertState, Backoff, Channel, Queued, Retry};
pub use answers::{public_text, Draft, Published, Sheet};
pub use copy::Copied;
use db::{params, Conn, Optional, Row, Sql, Tx};
pub use events::{clock, voided, ActError, Case, Recorded, StoredEvent, VOID};
pub use public::Terms;
use sha2::Digest;
pub use sites::{
    check_calendar as check_site_calendar, check_code as check_site_code, Site, SiteCalendars,
    SiteError, Sites, CODE_MAX as SITE_CODE_MAX, REPLY_DAYS_MAX,
};
pub use staff::{Account, Audit, AuditFilter, AuditRow, Session, AUDIT_ACTIONS};
use std::path::{Path, PathBuf};
use std::time::Duration;
use xxgk_core::submission::{Kind, Submission};

/// How long a write waits for another (a staff command's, or another
/// process's) before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Where a submission is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// 待审核: received, not yet taken up.
    Received,
    /// 已答复: answered.
    Replied,
    /// 不予受理: not accepted, with a reason.
    Rejected,
}

impl Status {
    /// The status's code in the database and on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Replied => "replied",
            Status::Rejected => "rejected",
        }
    }

    /// Its name in Chinese.
    pub fn label(self) -> &'static str {
        match self {
            Status::Received => "待审核",
            Status::Replied => "已答复",
            Status::Rejected => "不予受理",
        }
    }

    fn from_code(code: &str) -> Status {
        match code {
            "replied" => Status::Replied,
            "rejected" => Status::Rejected,
            _ => Status::Received,
        }
    }
}

/// What anyone holding the lookup code (or, with consent, anyone) may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Public {
    /// The lookup code.
    pub code: String,
    /// The kind.
    pub kind: Kind,
    /// The subject; only in the public list when the author consented.
    pub subject: String,
    /// Where it is.
    pub status: Status,
    /// The reply, or the reason it was not accepted.
    pub answer: Option<String>,
    /// When it was received, in seconds since 1970.
    pub received_at: i64,
    /// When it was answered.
    pub answered_at: Option<i64>,
}

/// What became of a submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Submitted {
    /// Stored, with this new code.
    New(String),
    /// Its client key and content were received before, with this code: a
    /// retry of something that did arrive.
    Again(String),
    /// Its client key was received before, with this code, but other
    /// content: not stored (a retry must not change what was received).
    Conflict(String),
}

impl Submitted {
    /// The code it has, or the earlier one.
    pub fn code(&self) -> &str {
        match self {
            Submitted::New(code) | Submitted::Again(code) | Submitted::Conflict(code) => code,
        }
    }
}

/// A whole record, for staff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// What the public may see.
    pub public: Public,
    /// Whether it came with the trap field filled (疑似垃圾).
    pub suspected: bool,
    /// The site it was sent to (`''`: the default site).
    pub site: String,
    /// The submission as received, or, if it no longer reads under
    /// today's model, what is stored.
    pub submission: Result<Submission, Unreadable>,
}

/// A stored submission that today's code cannot read: staff still see it,
/// as it is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    /// The stored text.
    pub data: String,
}

/// An opened store.
pub struct Store {
    conn: Conn,
    /// Where it is, to open readers beside it.
    at: Location,
    /// The salt of the shared rate limits' bucket names, once read.
    rate_salt: Option<String>,
    /// The file the connection that writes opened, to find out if it has
    /// been deleted or replaced since (SQLite would go on writing to the
    /// file it has open, which no one will ever read again).
    file: Option<FileId>,
}

/// Where a store is: a SQLite file, or a PostgreSQL database that any
/// number of receivers share.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file.
    File(PathBuf),
    /// A `postgres://` or `postgresql://` URL.
    Postgres(String),
}

impl Location {
    /// A `postgres://` or `postgresql://` URL names a PostgreSQL database;
    /// anything else is a SQLite file's path.
    pub fn parse(text: &str) -> Location {
        let scheme = text.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
        if matches!(scheme.as_deref(), Some("postgres" | "postgresql")) {
            Location::Postgres(text.to_owned())
        } else {
            Location::File(PathBuf::from(text))
        }
    }

    /// The SQLite file's path; `None` for PostgreSQL.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Location::File(path) => Some(path),
            Location::Postgres(_) => None,
        }
    }
}

/// As [`Display`](std::fmt::Display): without a URL's password.
impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "Location({self})")
    }
}

impl std::str::FromStr for Location {
    type Err = std::convert::Infallible;
    fn from_str(text: &str) -> std::result::Result<Location, Self::Err> {
        Ok(Location::parse(text))
    }
}

/// As it may be shown in a log or a message: a URL's password is left out.
impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => f.write_str(&without_password(url)),
        }
    }
}

/// `url` with any password replaced by `***`: in its user part
/// (`user:secret@`, up to the first `@`, as the client reads it, whatever
/// `/` or `?` the password holds) and in a `password` parameter.
fn without_password(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let (user, rest) = match rest.split_once('@') {
        Some((user, rest)) => match user.split_once(':') {
            Some((name, _)) => (format!("{name}:***@"), rest),
            None => (format!("{user}@"), rest),
        },
        None => (String::new(), rest),
    };
    let rest = match rest.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, _))
                        if percent_encoding::percent_decode_str(key)
                            .decode_utf8_lossy()
                            .eq_ignore_ascii_case("password") =>
                    {
                        format!("{key}=***")
                    }
                    _ => pair.to_owned(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => rest.to_owned(),
    };
    format!("{scheme}://{user}{rest}")
}

impl From<&Path> for Location {
    fn from(path: &Path) -> Location {
        Location::File(path.to_owned())
    }
}

impl From<&PathBuf> for Location {
    fn from(path: &PathBuf) -> Location {
        Location::File(path.clone())
    }
}

impl From<PathBuf> for Location {
    fn from(path: PathBuf) -> Location {
        Location::File(path)
    }
}

/// A path, or a `postgres://` URL ([`Location::parse`]).
impl From<&str> for Location {
    fn from(text: &str) -> Location {
        Location::parse(text)
    }
}

/// A path, or a `postgres://` URL ([`Location::parse`]).
impl From<&String> for Location {
    fn from(text: &String) -> Location {
        Location::parse(text)
    }
}

impl From<&Location> for Location {
    fn from(at: &Location) -> Location {
        at.clone()
    }
}

/// Which file a path names: its device and inode.
type FileId = (u64, u64);

#[cfg(unix)]
fn file_id(path: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &Path) -> Option<FileId> {
    None
}

/// The schema on SQLite, one step per version; `PRAGMA user_version` says
/// how many have been applied. [`postgres::MIGRATIONS`] is the same on
/// PostgreSQL, step for step.
pub const MIGRATIONS: &[&str] = &[
    "CREATE TABLE submission (
        code TEXT PRIMARY KEY,
        client_key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        data TEXT NOT NULL,
        subject TEXT NOT NULL,
        consent INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'received',
        answer TEXT,
        received_at INTEGER NOT NULL,
        answered_at INTEGER
    );
    CREATE INDEX submission_answered ON submission (status, answered_at);",
    "ALTER TABLE submission ADD COLUMN suspected INTEGER NOT NULL DEFAULT 0;",
    // A disclosure request's history (store/events.rs): appended only.
    "CREATE TABLE event (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        code TEXT NOT NULL REFERENCES submission (code),
        action TEXT NOT NULL,
        on_day TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        note TEXT NOT NULL DEFAULT '',
        actor TEXT NOT NULL,
        recorded_at INTEGER NOT NULL
    );
    CREATE INDEX event_of_case ON event (code, id);
    CREATE TRIGGER event_never_changed BEFORE UPDATE ON event
        BEGIN SELECT RAISE(ABORT, 'a case event is never changed: record a new one'); END;
    CREATE TRIGGER event_never_removed BEFORE DELETE ON event
        BEGIN SELECT RAISE(ABORT, 'a case event is never removed'); END;",
    // INSERT OR REPLACE would remove a row without the delete trigger.
    "CREATE TRIGGER event_never_replaced BEFORE INSERT ON event
        WHEN NEW.id IN (SELECT id FROM event)
        BEGIN SELECT RAISE(ABORT, 'a case event is never replaced'); END;",
    // The staff console (store/staff.rs): accounts, sessions (their
    // tokens' SHA-256 only), the audit log (appended only), settings;
    // drafts for review, the office or village a case is assigned to,
    // and the public text a reviewer approved. Replies published before
    // review existed are taken down: they wait under 待批准公开 for a
    // reviewer to approve a public text, as every reply now does.
    "CREATE TABLE staff (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        roles TEXT NOT NULL,
        unit TEXT NOT NULL DEFAULT '',
        password TEXT NOT NULL,
        totp TEXT,
        totp_step INTEGER,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        changed_at INTEGER NOT NULL
    );
    CREATE TABLE session (
        token TEXT PRIMARY KEY,
        staff INTEGER NOT NULL REFERENCES staff (id),
        csrf TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        seen_at INTEGER NOT NULL
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        address TEXT NOT NULL,
        action TEXT NOT NULL,
        code TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX audit_by_action ON audit (action, at);
    CREATE TRIGGER audit_never_changed BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is never changed'); END;
    CREATE TRIGGER audit_never_removed BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is never removed from'); END;
    CREATE TRIGGER audit_never_replaced BEFORE INSERT ON audit
        WHEN NEW.id IN (SELECT id FROM audit)
        BEGIN SELECT RAISE(ABORT, 'the audit log is never replaced'); END;
    CREATE TABLE setting (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE draft (
        code TEXT PRIMARY KEY REFERENCES submission (code),
        outcome TEXT NOT NULL DEFAULT '',
        reply TEXT NOT NULL,
        public_subject TEXT NOT NULL DEFAULT '',
        public_answer TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL,
        at INTEGER NOT NULL,
        returned TEXT,
        answered INTEGER NOT NULL DEFAULT 0
    );
    ALTER TABLE submission ADD COLUMN unit TEXT NOT NULL DEFAULT '';
    ALTER TABLE submission ADD COLUMN public_subject TEXT;
    ALTER TABLE submission ADD COLUMN public_answer TEXT;
    ALTER TABLE submission ADD COLUMN published_at INTEGER;
    ALTER TABLE submission ADD COLUMN purged_at INTEGER;
    CREATE INDEX submission_published ON submission (answered_at)
        WHERE published_at IS NOT NULL;",
    // Staff alerts to send (store/alerts.rs): one row per event, never
    // two for the same dedupe key.
    "CREATE TABLE alert (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        dedupe TEXT NOT NULL UNIQUE,
        event TEXT NOT NULL,
        code TEXT NOT NULL REFERENCES submission (code),
        detail TEXT NOT NULL DEFAULT '',
        queued_at INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        webhook_at INTEGER,
        email_at INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at INTEGER NOT NULL,
        last_error TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX alert_to_send ON alert (state, next_at);",
    // Rate limits that receivers sharing one database count together
    // (used on PostgreSQL; a SQLite file has one receiver, which counts
    // in memory): a token bucket per client, by a salted hash of its
    // address, and one for everyone.
    "CREATE TABLE rate (
        key TEXT PRIMARY KEY,
        tokens REAL NOT NULL,
        at INTEGER NOT NULL
    );",
    // Sites (store/sites.rs): the portals one receiver serves, each with
    // the origins its pages come from and its own reply period, within a
    // county (`parent`); the site of each submission ('' for the
    // receiver's default site) and the sites each account may see ('':
    // all of them).
    "CREATE TABLE site (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        parent TEXT NOT NULL DEFAULT '',
        origins TEXT NOT NULL DEFAULT '',
        reply_days INTEGER,
        created_at INTEGER NOT NULL,
        changed_at INTEGER NOT NULL
    );
    ALTER TABLE submission ADD COLUMN site TEXT NOT NULL DEFAULT '';
    CREATE INDEX submission_site ON submission (site, received_at);
    ALTER TABLE staff ADD COLUMN sites TEXT NOT NULL DEFAULT '';",
    // A site's own holiday arrangements (docs/calendar.md), added to the
    // receiver's for its cases and those of the sites under it.
    "ALTER TABLE site ADD COLUMN calendar TEXT NOT NULL DEFAULT '';",
];

/// The letters of lookup codes: digits and capitals without 0, 1, I, L, O,
/// which are easily mistaken for each other when read aloud or copied.
const CODE_ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Characters in a lookup code: 31^12, about 2^59 codes.
pub const CODE_LENGTH: usize = 12;

impl Store {
    /// Opens (creating if need be) the store at `at` and brings its
    /// schema up to date.
    pub fn open(at: impl Into<Location>) -> Result<Store, OpenError> {
        let at = at.into();
        let path = match &at {
            Location::File(path) => path.clone(),
            Location::Postgres(url) => {
                let url = url.clone();
                let pg = db::Pg::start(move || postgres::connect(&url))?;
                let store = Store {
                    conn: Conn::Pg(std::cell::RefCell::new(pg)),
                    at,
                    rate_salt: None,
                    file: None,
                };
                store.set_busy_timeout(BUSY_TIMEOUT)?;
                return Ok(store);
            }
        };
        private_files(&path)?;
        let conn = rusqlite::Connection::open(&path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // Every commit reaches the disk before it is acknowledged.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let mut store = Store {
            conn: Conn::Sqlite(conn),
            file: file_id(&path),
            rate_salt: None,
            at,
        };
        store.migrate()?;
        Ok(store)
    }

    /// Opens another connection to the store at `at` (opened once with
    /// [`Store::open`]) that only reads: it reads while the writer
    /// writes, so lookups never queue behind submissions.
    pub fn open_reader(at: impl Into<Location>) -> Result<Store, OpenError> {
        let at = at.into();
        let conn = match &at {
            Location::File(path) => {
                let conn = rusqlite::Connection::open_with_flags(
                    path,
                    rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE
                        | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                conn.pragma_update(None, "query_only", true)?;
                conn.busy_timeout(BUSY_TIMEOUT)?;
                Conn::Sqlite(conn)
            }
            Location::Postgres(url) => {
                let url = url.clone();
                Conn::Pg(std::cell::RefCell::new(db::Pg::start(move || {
                    let mut client = postgres::client(&url)?;
                    client.batch_execute("SET default_transaction_read_only = on")?;
                    Ok(client)
                })?))
            }
        };
        let store = Store {
            conn,
            at,
            rate_salt: None,
            file: None,
        };
        store.set_busy_timeout(BUSY_TIMEOUT)?;
        Ok(store)
    }

    /// Where the store is.
    pub fn location(&self) -> &Location {
        &self.at
    }

    /// Caps the file at its present size, so that the next writes find
    /// the disk "full".
    #[cfg(test)]
    pub(crate) fn fill_up(&self) {
        let Conn::Sqlite(conn) = &self.conn else {
            panic!("only a SQLite file can be filled up")
        };
        let pages: i64 = conn
            .pragma_query_value(None, "page_count", |r| r.get(0))
            .unwrap();
        conn.pragma_update(None, "max_page_count", pages).unwrap();
    }

    /// Whether the file this store opened is still the one at its path; an
    /// error (SQLite's "cannot open") if it was deleted or replaced.
    fn still_there(&self) -> Result<()> {
        let (Some(opened), Location::File(path)) = (self.file, &self.at) else {
            return Ok(());
        };
        if file_id(path) == Some(opened) {
            return Ok(());
        }
        Err(Error::Sqlite(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
            Some("the database file was deleted or replaced while open: restart the server".into()),
        )))
    }

    /// How long the next statement may wait for another connection's write.
    pub fn set_busy_timeout(&self, wait: Duration) -> Result<()> {
        match &self.conn {
            Conn::Sqlite(conn) => Ok(conn.busy_timeout(wait)?),
            Conn::Pg(_) => self.conn.batch(&format!(
                "SET lock_timeout = {}",
                wait.as_millis().clamp(1, i32::MAX as u128)
            )),
        }
    }

    /// Another connection to this store that only reads (see
    /// [`Store::open_reader`]).
    pub fn reader(&self) -> Result<Store, OpenError> {
        Store::open_reader(&self.at)
    }

    /// A number that changes whenever another connection (this process's
    /// writer, a staff command, another receiver) has committed since
    /// this one last looked: for caching what is read. On PostgreSQL it
    /// stands for the snapshot a new statement would see (which
    /// transactions are done): equal snapshots see the same rows; it
    /// also changes with writes to the server's other databases.
    pub fn data_version(&self) -> Result<i64> {
        match &self.conn {
            Conn::Sqlite(conn) => Ok(conn.pragma_query_value(None, "data_version", |r| r.get(0))?),
            Conn::Pg(_) => {
                let snapshot: String =
                    self.conn
                        .query_row("SELECT pg_current_snapshot()::text", params![], |r| {
                            r.get(0)
                        })?;
                let hash = sha2::Sha256::digest(snapshot.as_bytes());
                Ok(i64::from_le_bytes(hash[..8].try_into().unwrap_or_default()))
            }
        }
    }

    /// Brings a SQLite file's schema up to this version's; refuses one
    /// newer than it.
    fn migrate(&mut self) -> Result<()> {
        let Conn::Sqlite(conn) = &mut self.conn else {
            return Ok(());
        };
        let done: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if done > MIGRATIONS.len() {
            return Err(Error::Schema(format!(
                "the database's schema is at step {done}, newer than this receiver's {}: \
                 run the newer xxgk-server against it",
                MIGRATIONS.len()
            )));
        }
        for (version, step) in MIGRATIONS.iter().enumerate().skip(done) {
            let tx = conn.transaction()?;
            tx.execute_batch(step)?;
            tx.pragma_update(None, "user_version", version + 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Keeps `submission` (already checked), received at `now`. Returns
    /// what became of it ([`Submitted`]): a client key seen before with the
    /// same content gives back the code of the record it made; with other
    /// content, nothing is stored and the earlier code is named.
    /// A `suspected` one (the trap field was filled) is kept apart from
    /// the public list and the statistics until staff restore it.
    ///
    /// The transaction takes the write lock at once, so a submission made
    /// while a staff command writes waits for it (up to
    /// [`BUSY_TIMEOUT`]) instead of failing.
    pub fn submit(
        &mut self,
        submission: &Submission,
        suspected: bool,
        now: i64,
    ) -> Result<Submitted> {
        self.submit_for("", submission, suspected, now)
    }

    /// [`Store::submit`] for the site `site` (`''`: the default site).
    pub fn submit_for(
        &mut self,
        site: &str,
        submission: &Submission,
        suspected: bool,
        now: i64,
    ) -> Result<Submitted> {
        self.still_there()?;
        let tx = self.conn.write()?;
        let submitted = keep(&tx, site, submission, suspected, now)?;
        if let Submitted::New(_) = submitted {
            tx.commit()?;
        }
        Ok(submitted)
    }

    /// Every record, oldest first, for staff: suspected ones and ones that
    /// no longer read included, so that staff see everything kept.
    pub fn records(&self) -> Result<Vec<Record>> {
        self.records_of(None)
    }

    /// [`Store::records`] of the sites `sites` only (all with `None`).
    pub fn records_of(&self, sites: Option<&[String]>) -> Result<Vec<Record>> {
        self.conn.query_map(
            &format!(
                "SELECT {PUBLIC}, data, suspected, site FROM submission WHERE {}
                 ORDER BY received_at, rowid",
                in_sites(1)
            ),
            params![sites.is_some(), site_list(sites)],
            record_row,
        )
    }

    /// Whether the submission `code` is marked as suspected; `None` if
    /// there is no such submission.
    pub fn suspected(&self, code: &str) -> Result<Option<bool>> {
        self.conn
            .query_row(
                "SELECT suspected FROM submission WHERE code = ?1",
                params![normalise_code(code)],
                |r| r.get(0),
            )
            .optional()
    }

    /// Takes the submission `code` out of the suspected ones: it counts
    /// and may be published like any other. Recorded as an event by
    /// `actor` at `now`. False if there is no such suspected submission.
    pub fn restore(&mut self, code: &str, actor: &str, now: i64) -> Result<bool> {
        let code = normalise_code(code);
        let tx = self.conn.write()?;
        let changed = tx.execute(
            "UPDATE submission SET suspected = 0 WHERE code = ?1 AND suspected = 1",
            params![code],
        )?;
        if changed == 1 {
            events::Kept::record("restore", "", "", actor, now).append(&tx, &code, now)?;
        }
        tx.commit()?;
        Ok(changed == 1)
    }

    /// Answers the submission `code` with `reply`, by `actor` at `now`;
    /// false if there is no such submission.
    pub fn reply(&mut self, code: &str, reply: &str, actor: &str, now: i64) -> Result<bool> {
        self.answer(code, Status::Replied, reply, actor, now)
    }

    /// Declines the submission `code` for `reason`, by `actor` at `now`;
    /// false if there is no such submission.
    pub fn reject(&mut self, code: &str, reason: &str, actor: &str, now: i64) -> Result<bool> {
        self.answer(code, Status::Rejected, reason, actor, now)
    }

    /// The answer is an event with its text, never an overwrite: a second
    /// answer is shown from then on, and the first, with its date, stays
    /// in the history; the submission counts as answered from the first.
    fn answer(
        &mut self,
        code: &str,
        status: Status,
        text: &str,
        actor: &str,
        now: i64,
    ) -> Result<bool> {
        let code = normalise_code(code);
        let tx = self.conn.write()?;
        let changed = tx.execute(
            "UPDATE submission SET status = ?2, answer = ?3, answered_at = COALESCE(answered_at, ?4)
             WHERE code = ?1",
            params![code, status.code(), text, now],
        )?;
        if changed == 1 {
            answers::settle_draft(&tx, &code)?;
            let action = match status {
                Status::Rejected => "reject",
                _ => "reply",
            };
            events::Kept::record(action, "", text, actor, now).append(&tx, &code, now)?;
        }
        tx.commit()?;
        Ok(changed == 1)
    }
}

/// Keeps `submission` in the transaction `tx` (see [`Store::submit`]),
/// for the caller to commit.
pub(crate) fn keep(
    tx: &Tx,
    site: &str,
    submission: &Submission,
    suspected: bool,
    now: i64,
) -> Result<Submitted> {
    let data = submission.to_json();
    let existing: Option<(String, String)> = tx
        .query_row(
            "SELECT code, data FROM submission WHERE client_key = ?1",
            params![submission.client_key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((code, kept)) = existing {
        return Ok(if kept == data {
            Submitted::Again(code)
        } else {
            Submitted::Conflict(code)
        });
    }
    let code = loop {
        let code = new_code();
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM submission WHERE code = ?1)",
            params![code],
            |r| r.get(0),
        )?;
        if !taken {
            break code;
        }
    };
    tx.execute(
        "INSERT INTO submission
             (code, client_key, kind, data, subject, consent, received_at, suspected, site)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            code,
            submission.client_key,
            submission.kind.code(),
            data,
            submission.subject.trim(),
            submission.consent_to_publish,
            now,
            suspected,
            site
        ],
    )?;
    if !suspected {
        let alert = Alert::Submitted {
            code: code.clone(),
            kind: submission.kind,
        };
        alerts::enqueue(tx, &alert, now)?;
    }
    Ok(Submitted::New(code))
}

/// The condition that a submission's site is one of a list, its
/// parameters numbered from `n`: with `?n` false, any site; else one of
/// the comma-separated codes in the next (site codes hold no comma, `%`
/// or `_`).
fn in_sites(n: usize) -> String {
    format!(
        "(NOT ?{n} OR (',' || CAST(?{} AS TEXT) || ',') LIKE ('%,' || submission.site || ',%'))",
        n + 1
    )
}

/// `sites` as [`in_sites`] takes them.
fn site_list(sites: Option<&[String]>) -> String {
    sites.map(|s| s.join(",")).unwrap_or_default()
}

/// The columns of [`Public`], in [`public_row`]'s order.
const PUBLIC: &str = "code, kind, subject, status, answer, received_at, answered_at";

/// A failure of the database, whichever engine holds it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// SQLite's.
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL's, or the connection's to it.
    #[error("{}", postgres::said(.0))]
    Postgres(#[from] ::postgres::Error),
    /// The store could not be opened (its file's permissions).
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// A statement that must give a row gave none.
    #[error("no row was found")]
    NoRow,
    /// A column held what the code cannot read as the type it asked for.
    #[error("{0}")]
    Column(String),
    /// The database's schema is not one this version can use.
    #[error("{0}")]
    Schema(String),
}

/// What a store's failure means for the one who asked, as the API names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The disk is full.
    DiskFull,
    /// Another connection held the database longer than the busy timeout.
    Busy,
    /// The database cannot be written (read-only, gone, not permitted).
    Unwritable,
    /// The disk failed.
    Disk,
    /// Anything else.
    Other,
}

impl Error {
    /// What the failure means, whatever the engine said.
    pub fn failure(&self) -> Failure {
        use rusqlite::ErrorCode;
        match self {
            Error::Sqlite(e) => match e.sqlite_error_code() {
                Some(ErrorCode::DiskFull) => Failure::DiskFull,
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Failure::Busy,
                Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
                    Failure::Unwritable
                }
                Some(ErrorCode::SystemIoFailure) => Failure::Disk,
                _ => Failure::Other,
            },
            Error::Postgres(e) => postgres::failure(e),
            Error::Io(_) => Failure::Unwritable,
            Error::NoRow | Error::Column(_) | Error::Schema(_) => Failure::Other,
        }
    }
}

impl From<OpenError> for Error {
    fn from(error: OpenError) -> Error {
        match error {
            OpenError::Permissions(e) => Error::Io(e),
            OpenError::Store(e) => e,
        }
    }
}

/// A store operation's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a store cannot be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The file's permissions could not be made private, or it is a link.
    #[error("cannot make it readable by its owner only: {0}")]
    Permissions(#[from] std::io::Error),
    /// The engine refused it.
    #[error("{0}")]
    Store(#[from] Error),
}

impl From<rusqlite::Error> for OpenError {
    fn from(error: rusqlite::Error) -> OpenError {
        OpenError::Store(error.into())
    }
}

impl From<::postgres::Error> for OpenError {
    fn from(error: ::postgres::Error) -> OpenError {
        OpenError::Store(error.into())
    }
}

/// Creates the database file at `path` readable and writable by its owner
/// only, or makes an existing one (and its WAL and shared-memory files)
/// so. SQLite gives the WAL and shared-memory files it creates the
/// database file's permissions.
#[cfg(unix)]
fn private_files(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    // A link could lead anywhere (a served folder), and would be created
    // with the default permissions where it leads.
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(std::io::Error::other(
            "it is a symbolic link: give the database's real path",
        ));
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => return Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{}{suffix}", path.display());
        match std::fs::metadata(&file) {
            Ok(meta) if meta.permissions().mode() & 0o077 != 0 => {
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn private_files(_: &Path) -> std::io::Result<()> {
    Ok(())
}

/// A [`Record`] from the columns `{PUBLIC}, data, suspected, site`.
fn record_row(r: &Row) -> Result<Record> {
    let public = public_row(r)?;
    // Whatever is stored is shown, even text that is not UTF-8.
    let data = match r.get::<db::Value>(7)? {
        db::Value::Text(text) => text,
        db::Value::Blob(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        other => format!("{other:?}"),
    };
    // Written by `submit`; read back as kept, not against today's rules.
    let submission = match xxgk_core::submission::read_kept(&data) {
        Ok(incoming) => Ok(incoming.submission().clone()),
        Err(_) => Err(Unreadable { data }),
    };
    Ok(Record {
        public,
        suspected: r.get(8)?,
        site: r.get(9)?,
        submission,
    })
}

fn public_row(row: &Row) -> Result<Public> {
    let kind: String = row.get(1)?;
    let status: String = row.get(3)?;
    Ok(Public {
        code: row.get(0)?,
        kind: Kind::from_code(&kind).unwrap_or(Kind::Consultation),
        subject: row.get(2)?,
        status: Status::from_code(&status),
        answer: row.get(4)?,
        received_at: row.get(5)?,
        answered_at: row.get(6)?,
    })
}

/// Now, in seconds since 1970, as the store keeps times.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// A new random lookup code, from the operating system's generator.
pub fn new_code() -> String {
    random_text(CODE_ALPHABET, CODE_LENGTH)
}

/// `length` characters drawn from `letters` (ASCII, fewer than 256), each
/// equally likely, from the operating system's generator.
pub fn random_text(letters: &[u8], length: usize) -> String {
    // Bytes at or above the last multiple of the alphabet's size (248 for
    // 31 letters) are skipped, so that every letter is equally likely.
    let fair = 256 - 256 % letters.len();
    let mut text = String::with_capacity(length);
    let mut bytes = [0u8; 32];
    while text.len() < length {
        getrandom::fill(&mut bytes).expect("the operating system's random number generator");
        for &b in bytes.iter().filter(|&&b| usize::from(b) < fair) {
            if text.len() < length {
                text.push(letters[usize::from(b) % letters.len()] as char);
            }
        }
    }
    text
}

pub use xxgk_core::api::normalise_code;

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_core::submission::{Delivery, Format, IdType, Request};

    pub(super) fn complaint(key: &str, consent: bool) -> Submission {
        Submission {
            kind: Kind::Complaint,
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

    /// A person's disclosure request, with an identity number.
    pub(super) fn request(key: &str, consent: bool) -> Submission {
        Submission {
            kind: Kind::DisclosureRequest,
            request: Some(Request {
                id_type: Some(IdType::ResidentCard),
                id_number: "11010519491231002X".into(),
                description: "东亭乡2024年三公经费决算明细表".into(),
                format: Some(Format::Paper),
                delivery: Some(Delivery::Collect),
                ..Default::default()
            }),
            ..complaint(key, consent)
        }
    }

    /// A new store on the engine the tests run on, in a new folder.
    pub(super) fn temp_store() -> (tempdir::Dir, Store) {
        let dir = tempdir::Dir::new();
        let store = Store::open(Location::parse(&xxgk_pgtest::store_in(
            &dir.path,
            "feedback.db",
        )))
        .unwrap();
        (dir, store)
    }

    pub(super) mod tempdir {
        /// A directory removed when dropped.
        pub struct Dir {
            pub path: std::path::PathBuf,
        }
        impl Dir {
            pub fn new() -> Dir {
                let path = std::env::temp_dir().join(format!("xxgk-store-{}", super::new_code()));
                std::fs::create_dir_all(&path).unwrap();
                Dir { path }
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.path);
            }
        }
    }

    #[test]
    fn a_submission_gets_a_code_and_a_retry_gets_the_same_one() {
        let (_dir, mut store) = temp_store();
        let Submitted::New(code) = store
            .submit(&complaint("key-00000001", false), false, 1_000)
            .unwrap()
        else {
            panic!("not new")
        };
        assert_eq!(code.len(), CODE_LENGTH);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_eq!(
            store
                .submit(&complaint("key-00000001", false), false, 2_000)
                .unwrap(),
            Submitted::Again(code.clone())
        );
        // The same key with other content (an ID number retyped
        // differently after a reload) is not taken for a retry: nothing is
        // stored, and the sender is told which code it has.
        let mut changed = complaint("key-00000001", true);
        changed.subject = "重发时改了标题".into();
        assert_eq!(
            store.submit(&changed, false, 2_000).unwrap(),
            Submitted::Conflict(code.clone())
        );
        let records = store.records().unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].submission, Ok(complaint("key-00000001", false)));
    }

    #[test]
    fn a_code_is_read_however_it_is_typed() {
        for typed in [
            "ab12-cd34 ef56",
            "ＡＢ１２－ＣＤ３４　ＥＦ５６",
            " AB12CD34EF56 ",
        ] {
            assert_eq!(normalise_code(typed), "AB12CD34EF56", "{typed}");
        }
    }

    #[test]
    fn codes_are_random_distinct_and_use_every_letter() {
        let codes: std::collections::HashSet<String> = (0..2000).map(|_| new_code()).collect();
        assert_eq!(codes.len(), 2000);
        let letters: std::collections::HashSet<char> =
            codes.iter().flat_map(|c| c.chars()).collect();
        assert_eq!(letters.len(), 31);
        // Not sequential: consecutive submissions share no prefix pattern.
        let (_dir, mut store) = temp_store();
        let a = store
            .submit(&complaint("key-aaaaaaaa", false), false, 1)
            .unwrap()
            .code()
            .to_owned();
        let b = store
            .submit(&complaint("key-bbbbbbbb", false), false, 1)
            .unwrap()
            .code()
            .to_owned();
        assert_ne!(a[..6], b[..6]);
    }

    #[test]
    fn lookup_shows_status_and_answer_only() {
        let (_dir, mut store) = temp_store();
        let code = store
            .submit(&complaint("key-00000002", false), false, 86_400)
            .unwrap()
            .code()
            .to_owned();
        let typed = format!("{}-{} {}", &code[..4], &code[4..8], &code[8..]).to_lowercase();
        let seen = store.lookup(&typed).unwrap().unwrap();
        assert_eq!(seen.status, Status::Received);
        assert_eq!(seen.answer, None);
        assert!(store
            .reply(&code, "已联系供电所，本周内修复。", "测试", 3 * 86_400)
            .unwrap());
        let seen = store.lookup(&code).unwrap().unwrap();
        assert_eq!(seen.status, Status::Replied);
        assert_eq!(seen.answer.as_deref(), Some("已联系供电所，本周内修复。"));
        assert_eq!(seen.answered_at, Some(3 * 86_400));
        assert_eq!(store.lookup("ZZZZZZZZZZZZ").unwrap(), None);
        assert!(!store.reply("ZZZZZZZZZZZZ", "x", "测试", 0).unwrap());
    }

    #[test]
    fn only_approved_public_texts_of_consented_replies_are_published_newest_first() {
        let (_dir, mut store) = temp_store();
        let open1 = store
            .submit(&complaint("key-open0001", true), false, 0)
            .unwrap()
            .code()
            .to_owned();
        let private = store
            .submit(&complaint("key-private1", false), false, 0)
            .unwrap()
            .code()
            .to_owned();
        let open2 = store
            .submit(&complaint("key-open0002", true), false, 0)
            .unwrap()
            .code()
            .to_owned();
        let waiting = store
            .submit(&complaint("key-waiting1", true), false, 0)
            .unwrap()
            .code()
            .to_owned();
        let declined = store
            .submit(&complaint("key-declined", true), false, 0)
            .unwrap()
            .code()
            .to_owned();
        store.reply(&open1, "答复一", "测试", 86_400).unwrap();
        store.reply(&private, "答复二", "测试", 2 * 86_400).unwrap();
        store.reply(&open2, "答复三", "测试", 3 * 86_400).unwrap();
        store
            .reject(&declined, "不属于本机关职责", "测试", 4 * 86_400)
            .unwrap();
        // A reply is not published until a reviewer approves a public text.
        assert_eq!(store.published_replies(10).unwrap(), []);
        for (code, text) in [(&open2, "公开三"), (&open1, "公开一")] {
            store
                .publish(code, "路灯", text, "审核", 5 * 86_400)
                .unwrap();
        }
        // Not where the author did not consent, nor for a declined one or
        // one waiting.
        for code in [&private, &declined, &waiting] {
            assert!(store
                .publish(code, "路灯", "x", "审核", 5 * 86_400)
                .is_err());
        }
        let published: Vec<String> = store
            .published_replies(10)
            .unwrap()
            .into_iter()
            .map(|p| p.answer)
            .collect();
        assert_eq!(published, ["公开三", "公开一"]);
        store.unpublish(&open2, "有误", "审核", 6 * 86_400).unwrap();
        assert_eq!(store.published_replies(10).unwrap().len(), 1);
        let year = &received(&store).years[0];
        assert_eq!((year.messages.received, year.messages.answered), (5, 4));
        assert_eq!(year.messages.answered_per_mille(), Some(800));
        assert_eq!(
            store.lookup(&waiting).unwrap().unwrap().status,
            Status::Received
        );
        assert_eq!(
            store.lookup(&declined).unwrap().unwrap().status,
            Status::Rejected
        );
    }

    #[test]
    fn records_survive_reopening_and_the_schema_is_set_up_once() {
        let dir = tempdir::Dir::new();
        let path = Location::parse(&xxgk_pgtest::store_in(&dir.path, "feedback.db"));
        let request = Submission {
            kind: Kind::DisclosureRequest,
            request: Some(Request {
                id_type: Some(IdType::ResidentCard),
                id_number: "11010519491231002X".into(),
                description: "东亭乡2016年三公经费决算明细表".into(),
                document: String::new(),
                format: Some(Format::Paper),
                delivery: Some(Delivery::Post),
                ..Default::default()
            }),
            ..complaint("key-request1", false)
        };
        let code = {
            let mut store = Store::open(&path).unwrap();
            store.submit(&request, false, 5).unwrap().code().to_owned()
        };
        let store = Store::open(&path).unwrap();
        if let Conn::Sqlite(conn) = &store.conn {
            let version: i64 = conn
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .unwrap();
            assert_eq!(version, MIGRATIONS.len() as i64);
            let mode: String = conn
                .pragma_query_value(None, "journal_mode", |r| r.get(0))
                .unwrap();
            assert_eq!(mode, "wal");
        } else {
            let steps: i64 = store
                .conn
                .query_row("SELECT count(*) FROM schema_version", params![], |r| {
                    r.get(0)
                })
                .unwrap();
            assert_eq!(steps, postgres::MIGRATIONS.len() as i64);
        }
        let records = store.records().unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].public.code, code);
        assert_eq!(records[0].submission, Ok(request));
    }

    /// The statistics of the submissions made at times near 0 (1970).
    fn received(store: &Store) -> xxgk_core::api::Statistics {
        let calendar = xxgk_core::calendar::Calendar::builtin();
        let terms = public::Terms {
            calendars: &crate::store::SiteCalendars::only(std::sync::Arc::new(calendar.clone())),
            reply_days: 15,
        };
        store.statistics(terms, 0).unwrap().0
    }

    #[test]
    fn a_suspected_submission_is_kept_listed_and_left_out_of_public_figures_until_restored() {
        let (_dir, mut store) = temp_store();
        let real = store
            .submit(&complaint("key-real0001", true), false, 0)
            .unwrap()
            .code()
            .to_owned();
        let odd = store
            .submit(&complaint("key-trap0001", true), true, 0)
            .unwrap()
            .code()
            .to_owned();
        store.reply(&real, "答复一", "测试", 86_400).unwrap();
        store.reply(&odd, "答复二", "测试", 86_400).unwrap();
        store
            .publish(&real, "路灯", "公开一", "审核", 86_400)
            .unwrap();
        assert!(matches!(
            store.publish(&odd, "路灯", "公开二", "审核", 86_400),
            Err(ActError::Suspected(_))
        ));
        let records = store.records().unwrap();
        assert_eq!(
            records
                .iter()
                .map(|r| (r.public.code.clone(), r.suspected))
                .collect::<Vec<_>>(),
            [(real.clone(), false), (odd.clone(), true)]
        );
        assert_eq!(received(&store).years[0].messages.received, 1);
        assert_eq!(store.published_replies(10).unwrap().len(), 1);
        // Its author can look it up like any other.
        assert!(store.lookup(&odd).unwrap().is_some());
        assert!(store.restore(&odd.to_lowercase(), "测试", 86_400).unwrap());
        // Restored once: a second time is refused and records nothing.
        assert!(!store.restore(&odd, "测试", 86_400).unwrap());
        let actions: Vec<String> = store
            .case(&odd)
            .unwrap()
            .unwrap()
            .events
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(actions, ["reply", "restore"]);
        assert_eq!(received(&store).years[0].messages.received, 2);
        store
            .publish(&odd, "路灯", "公开二", "审核", 86_400)
            .unwrap();
        assert_eq!(store.published_replies(10).unwrap().len(), 2);
        assert!(!store.restore("ZZZZZZZZZZZZ", "测试", 86_400).unwrap());
    }

    #[test]
    fn a_row_that_no_longer_reads_is_still_listed_as_stored() {
        let (_dir, mut store) = temp_store();
        let good = store
            .submit(&complaint("key-good0001", false), false, 0)
            .unwrap()
            .code()
            .to_owned();
        let bad = store
            .submit(&complaint("key-bad00001", false), false, 1)
            .unwrap()
            .code()
            .to_owned();
        // A record written by another version, which today's model cannot
        // read, and one that is not even text.
        store
            .conn
            .execute(
                "UPDATE submission SET data = '{\"kind\":\"petition\",\"x\":1}' WHERE code = ?1",
                params![bad],
            )
            .unwrap();
        // PostgreSQL's text is always UTF-8.
        let blob = match store.conn {
            Conn::Sqlite(_) => "x'ff00fe'",
            Conn::Pg(_) => "'\u{fffd}x\u{fffd}'",
        };
        store
            .conn
            .execute(
                &format!(
                    "INSERT INTO submission (code, client_key, kind, data, subject, consent, received_at)
                     VALUES ('BLOB00000000', 'k-blob', 'help', {blob}, '旧记录', 0, 2)"
                ),
                params![],
            )
            .unwrap();
        let records = store.records().unwrap();
        assert_eq!(records.len(), 3);
        assert!(records[0].submission.is_ok());
        assert_eq!(records[0].public.code, good);
        assert_eq!(
            records[1].submission,
            Err(Unreadable {
                data: r#"{"kind":"petition","x":1}"#.into()
            })
        );
        assert_eq!(records[1].public.code, bad);
        assert!(records[2].submission.is_err());
        assert_eq!(records[2].public.subject, "旧记录");
    }

    #[cfg(unix)]
    #[test]
    fn the_database_and_its_journal_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempdir::Dir::new();
        let path = dir.path.join("feedback.db");
        let mode = |suffix: &str| {
            std::fs::metadata(format!("{}{suffix}", path.display()))
                .unwrap()
                .permissions()
                .mode()
                & 0o777
        };
        {
            let mut store = Store::open(&path).unwrap();
            store
                .submit(&complaint("key-mode0001", false), false, 0)
                .unwrap();
            let _reader = store.reader().unwrap();
            for suffix in ["", "-wal", "-shm"] {
                assert_eq!(mode(suffix), 0o600, "{suffix}");
            }
        }
        // A file made before, open to everyone, is closed on opening.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(Store::open(&path).unwrap());
        assert_eq!(mode(""), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_database_deleted_or_replaced_under_the_store_takes_no_more_submissions() {
        for replace in [false, true] {
            let dir = tempdir::Dir::new();
            let path = dir.path.join("feedback.db");
            let mut store = Store::open(&path).unwrap();
            store
                .submit(&complaint("key-before01", false), false, 0)
                .unwrap();
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            if replace {
                // A backup put in its place.
                drop(Store::open(&path).unwrap());
            }
            let Err(error) = store.submit(&complaint("key-after001", false), false, 1) else {
                panic!("stored into a file no one reads (replaced: {replace})")
            };
            assert_eq!(error.failure(), Failure::Unwritable, "{error}");
            let Error::Sqlite(error) = error else {
                panic!("{error}")
            };
            assert_eq!(
                error.sqlite_error_code(),
                Some(rusqlite::ErrorCode::CannotOpen),
                "{error}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_database_given_as_a_link_is_refused() {
        let dir = tempdir::Dir::new();
        let real = dir.path.join("site/feedback.db");
        std::fs::create_dir_all(real.parent().unwrap()).unwrap();
        let link = dir.path.join("link.db");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let Err(error) = Store::open(&link) else {
            panic!("opened")
        };
        assert!(error.to_string().contains("symbolic link"), "{error}");
        assert!(!real.exists(), "nothing is created where it leads");
    }

    #[test]
    fn a_submission_waits_for_a_staff_write_instead_of_failing() {
        let dir = tempdir::Dir::new();
        let at = Location::parse(&xxgk_pgtest::store_in(&dir.path, "feedback.db"));
        let mut store = Store::open(&at).unwrap();
        store
            .submit(&complaint("key-first001", false), false, 0)
            .unwrap();
        // Another process (a staff command, another receiver) holds the
        // write lock for a moment; a reader has a snapshot open meanwhile.
        let reader = store.reader().unwrap();
        let (held, wait) = std::sync::mpsc::channel();
        let release = std::thread::spawn(move || {
            let mut staff = Store::open(&at).unwrap();
            let tx = staff.conn.write().unwrap();
            tx.execute("UPDATE submission SET answer = 'x'", params![])
                .unwrap();
            held.send(()).unwrap();
            std::thread::sleep(Duration::from_millis(300));
            tx.commit().unwrap();
        });
        wait.recv().unwrap();
        assert!(
            reader.lookup("ZZZZZZZZZZZZ").unwrap().is_none(),
            "reads go on"
        );
        let started = std::time::Instant::now();
        store
            .submit(&complaint("key-second01", false), false, 0)
            .unwrap();
        assert!(started.elapsed() >= Duration::from_millis(200));
        release.join().unwrap();
        assert_eq!(store.records().unwrap().len(), 2);
    }

    #[test]
    fn a_reader_sees_commits_and_its_data_version_changes_with_them() {
        let (_dir, mut store) = temp_store();
        let reader = store.reader().unwrap();
        let before = reader.data_version().unwrap();
        assert_eq!(reader.data_version().unwrap(), before);
        let code = store
            .submit(&complaint("key-version1", false), false, 0)
            .unwrap()
            .code()
            .to_owned();
        assert_ne!(reader.data_version().unwrap(), before);
        assert!(reader.lookup(&code).unwrap().is_some());
        assert!(
            reader
                .conn
                .execute("DELETE FROM submission", params![])
                .is_err(),
            "a reader cannot write"
        );
    }

    #[test]
    fn a_url_is_shown_without_its_password() {
        for (url, shown) in [
            (
                "postgres://xxgk:s3cret@db/xxgk",
                "postgres://xxgk:***@db/xxgk",
            ),
            (
                "postgres://xxgk:pa/ss?x@db/xxgk?sslmode=disable",
                "postgres://xxgk:***@db/xxgk?sslmode=disable",
            ),
            (
                "postgresql:///xxgk?host=/run/postgresql&pass%77ord=s3cret",
                "postgresql:///xxgk?host=/run/postgresql&pass%77ord=***",
            ),
            ("postgres://db/xxgk", "postgres://db/xxgk"),
        ] {
            let at = Location::parse(url);
            assert_eq!(at.to_string(), shown);
            assert!(!format!("{at:?}").contains("s3cret"));
        }
        assert!(matches!(
            Location::parse("POSTGRES://db/x"),
            Location::Postgres(_)
        ));
        assert!(matches!(Location::parse("feedback.db"), Location::File(_)));
    }

    #[test]
    fn a_store_goes_on_after_its_connection_to_postgresql_is_lost() {
        if !xxgk_pgtest::on_postgres() {
            return; // A SQLite file has no connection to lose.
        }
        let (_dir, mut store) = temp_store();
        store
            .submit(&complaint("key-before01", false), false, 1)
            .unwrap();
        // An administrator (or a restart of the database) ends every
        // connection of the receiver's.
        let admin = Store::open(store.location()).unwrap();
        admin
            .conn
            .query_map(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
                params![],
                |_| Ok(()),
            )
            .unwrap();
        let mut failed = 0;
        let stored = loop {
            match store.submit(&complaint("key-after001", false), false, 2) {
                Ok(submitted) => break submitted,
                Err(_) if failed < 2 => failed += 1,
                Err(e) => panic!("still failing after {failed} tries: {e}"),
            }
        };
        assert!(matches!(stored, Submitted::New(_)));
        assert_eq!(store.records().unwrap().len(), 2);
        assert!(store.lookup(stored.code()).unwrap().is_some());
    }
}
