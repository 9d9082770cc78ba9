//! Where submissions are kept: one SQLite file, in WAL mode with every
//! commit synced to disk, its schema brought up to date on opening.
//!
//! A submission gets a random lookup code (查询码), not guessable and not
//! sequential. The client key the form sends makes a retry return the
//! original record instead of a second one. What the public may see of a
//! record ([`Public`]) never carries the name, phone, email, address or
//! identity document.

use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;
use xxgk_core::submission::{Kind, Submission};

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

/// A whole record, for staff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// What the public may see.
    pub public: Public,
    /// The submission as received.
    pub submission: Submission,
}

/// The published statistics.
#[derive(Clone, Debug, PartialEq)]
pub struct Stats {
    /// Submissions received.
    pub received: u64,
    /// Submissions answered (replied or not accepted).
    pub answered: u64,
    /// answered / received (1 when nothing was received).
    pub reply_rate: f64,
    /// The median time to answer, in days; `None` before the first answer.
    pub median_days: Option<f64>,
}

/// An opened store.
pub struct Store {
    conn: Connection,
}

/// The schema, one step per version; `PRAGMA user_version` says how many
/// have been applied.
const MIGRATIONS: &[&str] = &["CREATE TABLE submission (
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
    CREATE INDEX submission_answered ON submission (status, answered_at);"];

/// The letters of lookup codes: digits and capitals without 0, 1, I, L, O,
/// which are easily mistaken for each other when read aloud or copied.
const CODE_ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// Characters in a lookup code: 31^12, about 2^59 codes.
pub const CODE_LENGTH: usize = 12;

impl Store {
    /// Opens (creating if need be) the store at `path` and brings its
    /// schema up to date.
    pub fn open(path: &Path) -> rusqlite::Result<Store> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // Every commit reaches the disk before it is acknowledged.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mut store = Store { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> rusqlite::Result<()> {
        let done: usize = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (version, step) in MIGRATIONS.iter().enumerate().skip(done) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(step)?;
            tx.pragma_update(None, "user_version", version + 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Keeps `submission` (already checked), received at `now`. Returns
    /// its lookup code and whether it is new: a client key seen before
    /// gives back the code of the record it made.
    pub fn submit(
        &mut self,
        submission: &Submission,
        now: i64,
    ) -> rusqlite::Result<(String, bool)> {
        let tx = self.conn.transaction()?;
        let existing: Option<String> = tx
            .query_row(
                "SELECT code FROM submission WHERE client_key = ?1",
                [&submission.client_key],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(code) = existing {
            return Ok((code, false));
        }
        let code = loop {
            let code = new_code();
            let taken: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM submission WHERE code = ?1)",
                [&code],
                |r| r.get(0),
            )?;
            if !taken {
                break code;
            }
        };
        tx.execute(
            "INSERT INTO submission (code, client_key, kind, data, subject, consent, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                code,
                submission.client_key,
                submission.kind.code(),
                submission.to_json(),
                submission.subject.trim(),
                submission.consent_to_publish,
                now
            ],
        )?;
        tx.commit()?;
        Ok((code, true))
    }

    /// The public view of the submission with lookup code `code` (case,
    /// spaces and dashes ignored).
    pub fn lookup(&self, code: &str) -> rusqlite::Result<Option<Public>> {
        let code = normalise_code(code);
        self.conn
            .query_row(
                &format!("SELECT {PUBLIC} FROM submission WHERE code = ?1"),
                [code],
                public_row,
            )
            .optional()
    }

    /// Replied submissions whose authors consented to publication, newest
    /// reply first.
    pub fn published_replies(&self, limit: usize) -> rusqlite::Result<Vec<Public>> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {PUBLIC} FROM submission WHERE status = 'replied' AND consent = 1
             ORDER BY answered_at DESC, received_at DESC LIMIT ?1"
        ))?;
        let rows = statement.query_map([limit as i64], public_row)?;
        rows.collect()
    }

    /// Received, answered, the reply rate and the median days to answer.
    pub fn stats(&self) -> rusqlite::Result<Stats> {
        let received: u64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM submission", [], |r| r.get(0))?;
        let mut statement = self.conn.prepare(
            "SELECT answered_at - received_at FROM submission
             WHERE answered_at IS NOT NULL ORDER BY 1",
        )?;
        let waits: Vec<i64> = statement
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let days = |seconds: i64| seconds as f64 / 86_400.0;
        let median_days = match waits.len() {
            0 => None,
            n if n % 2 == 1 => Some(days(waits[n / 2])),
            n => Some((days(waits[n / 2 - 1]) + days(waits[n / 2])) / 2.0),
        };
        let answered = waits.len() as u64;
        Ok(Stats {
            received,
            answered,
            reply_rate: if received == 0 {
                1.0
            } else {
                answered as f64 / received as f64
            },
            median_days,
        })
    }

    /// Every record, oldest first, for staff.
    pub fn records(&self) -> rusqlite::Result<Vec<Record>> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {PUBLIC}, data FROM submission ORDER BY received_at, rowid"
        ))?;
        let rows = statement.query_map([], |r| {
            let public = public_row(r)?;
            let data: String = r.get(7)?;
            Ok((public, data))
        })?;
        let mut records = Vec::new();
        for row in rows {
            let (public, data) = row?;
            // Written by `submit`; read back as kept, not against today's
            // rules.
            if let Ok(xxgk_core::submission::Incoming::Submission(submission)) =
                xxgk_core::submission::read_kept(&data)
            {
                records.push(Record {
                    public,
                    submission: *submission,
                });
            }
        }
        Ok(records)
    }

    /// Answers the submission `code` with `reply` at `now`; false if there
    /// is no such submission.
    pub fn reply(&mut self, code: &str, reply: &str, now: i64) -> rusqlite::Result<bool> {
        self.answer(code, Status::Replied, reply, now)
    }

    /// Declines the submission `code` for `reason` at `now`; false if there
    /// is no such submission.
    pub fn reject(&mut self, code: &str, reason: &str, now: i64) -> rusqlite::Result<bool> {
        self.answer(code, Status::Rejected, reason, now)
    }

    fn answer(
        &mut self,
        code: &str,
        status: Status,
        text: &str,
        now: i64,
    ) -> rusqlite::Result<bool> {
        let changed = self.conn.execute(
            "UPDATE submission SET status = ?2, answer = ?3, answered_at = ?4 WHERE code = ?1",
            params![normalise_code(code), status.code(), text, now],
        )?;
        Ok(changed == 1)
    }
}

/// The columns of [`Public`], in [`public_row`]'s order.
const PUBLIC: &str = "code, kind, subject, status, answer, received_at, answered_at";

fn public_row(row: &rusqlite::Row) -> rusqlite::Result<Public> {
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
    let mut code = String::with_capacity(CODE_LENGTH);
    let mut bytes = [0u8; 32];
    while code.len() < CODE_LENGTH {
        getrandom::fill(&mut bytes).expect("the operating system's random number generator");
        // Bytes at or above 248 (8 × 31) are skipped so every letter is
        // equally likely.
        for &b in bytes.iter().filter(|&&b| b < 248) {
            if code.len() < CODE_LENGTH {
                code.push(CODE_ALPHABET[usize::from(b % 31)] as char);
            }
        }
    }
    code
}

/// A code as typed (`abcd-efgh jkmn`) in the stored form.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_core::submission::{Delivery, Format, IdType, Request};

    fn complaint(key: &str, consent: bool) -> Submission {
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

    fn temp_store() -> (tempdir::Dir, Store) {
        let dir = tempdir::Dir::new();
        let store = Store::open(&dir.path.join("feedback.db")).unwrap();
        (dir, store)
    }

    mod tempdir {
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
        let (code, created) = store
            .submit(&complaint("key-00000001", false), 1_000)
            .unwrap();
        assert!(created);
        assert_eq!(code.len(), CODE_LENGTH);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        let mut changed = complaint("key-00000001", true);
        changed.subject = "重发时改了标题".into();
        assert_eq!(
            store.submit(&changed, 2_000).unwrap(),
            (code.clone(), false)
        );
        assert_eq!(store.stats().unwrap().received, 1);
        let records = store.records().unwrap();
        assert_eq!(records[0].submission, complaint("key-00000001", false));
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
            .submit(&complaint("key-aaaaaaaa", false), 1)
            .unwrap()
            .0;
        let b = store
            .submit(&complaint("key-bbbbbbbb", false), 1)
            .unwrap()
            .0;
        assert_ne!(a[..6], b[..6]);
    }

    #[test]
    fn lookup_shows_status_and_answer_only() {
        let (_dir, mut store) = temp_store();
        let (code, _) = store
            .submit(&complaint("key-00000002", false), 86_400)
            .unwrap();
        let typed = format!("{}-{} {}", &code[..4], &code[4..8], &code[8..]).to_lowercase();
        let seen = store.lookup(&typed).unwrap().unwrap();
        assert_eq!(seen.status, Status::Received);
        assert_eq!(seen.answer, None);
        assert!(store
            .reply(&code, "已联系供电所，本周内修复。", 3 * 86_400)
            .unwrap());
        let seen = store.lookup(&code).unwrap().unwrap();
        assert_eq!(seen.status, Status::Replied);
        assert_eq!(seen.answer.as_deref(), Some("已联系供电所，本周内修复。"));
        assert_eq!(seen.answered_at, Some(3 * 86_400));
        assert_eq!(store.lookup("ZZZZZZZZZZZZ").unwrap(), None);
        assert!(!store.reply("ZZZZZZZZZZZZ", "x", 0).unwrap());
    }

    #[test]
    fn only_consented_replies_are_published_newest_first() {
        let (_dir, mut store) = temp_store();
        let (open1, _) = store.submit(&complaint("key-open0001", true), 0).unwrap();
        let (private, _) = store.submit(&complaint("key-private1", false), 0).unwrap();
        let (open2, _) = store.submit(&complaint("key-open0002", true), 0).unwrap();
        let (waiting, _) = store.submit(&complaint("key-waiting1", true), 0).unwrap();
        let (declined, _) = store.submit(&complaint("key-declined", true), 0).unwrap();
        store.reply(&open1, "答复一", 86_400).unwrap();
        store.reply(&private, "答复二", 2 * 86_400).unwrap();
        store.reply(&open2, "答复三", 3 * 86_400).unwrap();
        store
            .reject(&declined, "不属于本机关职责", 4 * 86_400)
            .unwrap();
        let published: Vec<String> = store
            .published_replies(10)
            .unwrap()
            .into_iter()
            .map(|p| p.code)
            .collect();
        assert_eq!(published, [open2, open1]);
        let stats = store.stats().unwrap();
        assert_eq!((stats.received, stats.answered), (5, 4));
        assert_eq!(stats.reply_rate, 0.8);
        assert_eq!(stats.median_days, Some(2.5));
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
        let path = dir.path.join("feedback.db");
        let request = Submission {
            kind: Kind::DisclosureRequest,
            request: Some(Request {
                id_type: Some(IdType::ResidentCard),
                id_number: "11010519491231002X".into(),
                description: "东亭乡2016年三公经费决算明细表".into(),
                document: String::new(),
                format: Some(Format::Paper),
                delivery: Some(Delivery::Post),
            }),
            ..complaint("key-request1", false)
        };
        let code = {
            let mut store = Store::open(&path).unwrap();
            store.submit(&request, 5).unwrap().0
        };
        let store = Store::open(&path).unwrap();
        let version: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, MIGRATIONS.len() as i64);
        let mode: String = store
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let records = store.records().unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].public.code, code);
        assert_eq!(records[0].submission, request);
    }

    #[test]
    fn stats_of_an_empty_store() {
        let (_dir, store) = temp_store();
        assert_eq!(
            store.stats().unwrap(),
            Stats {
                received: 0,
                answered: 0,
                reply_rate: 1.0,
                median_days: None
            }
        );
    }
}
