//! Rate limits kept in the database, for receivers that share one
//! (PostgreSQL): a client's allowance holds whichever receiver its
//! requests reach. A bucket is named by a salted hash of the client's
//! address, never the address; buckets unused for an hour are removed.

use super::db::{params, Conn, Sql};
use super::{Result, Store};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// How long a bucket no one has used is kept.
const FORGOTTEN_AFTER_MS: i64 = 3_600_000;

impl Store {
    /// Whether rate limits are kept in the database, for every receiver
    /// sharing it (PostgreSQL).
    pub fn shares_limits(&self) -> bool {
        matches!(self.conn, Conn::Pg(_))
    }

    /// Takes a token from the shared bucket of `client` (an address, or
    /// a name such as `server`) for `scope`, which holds `burst` and
    /// gains one every `every`; how long to wait if there was none.
    pub fn take_shared(
        &mut self,
        scope: &str,
        client: &str,
        burst: u32,
        every: Duration,
    ) -> Result<Option<Duration>> {
        let key = self.bucket(scope, client)?;
        let every_ms = every.as_secs_f64() * 1000.0;
        let level: f64 = self.conn.query_row(
            "SELECT xxgk_take(?1, ?2, ?3, ?4)",
            params![key, f64::from(burst), every_ms.max(1.0), now_ms()],
            |r| r.get(0),
        )?;
        if level >= 1.0 {
            return Ok(None);
        }
        let wait = Duration::from_secs_f64((1.0 - level) * every.as_secs_f64());
        Ok(Some(wait.max(Duration::from_secs(1))))
    }

    /// Removes the buckets no one has used for an hour (full again long
    /// since); how many.
    pub fn sweep_shared(&mut self) -> Result<usize> {
        self.conn.execute(
            "DELETE FROM rate WHERE at < ?1",
            params![now_ms() - FORGOTTEN_AFTER_MS],
        )
    }

    /// The bucket's name: a hash of the scope and the client with a salt
    /// the receivers share (made by the first), so that the table does
    /// not list addresses.
    fn bucket(&mut self, scope: &str, client: &str) -> Result<String> {
        if self.rate_salt.is_none() {
            self.conn.execute(
                "INSERT OR IGNORE INTO setting (name, value) VALUES ('rate_salt', ?1)",
                params![super::random_text(b"0123456789abcdef", 32)],
            )?;
            self.rate_salt = self.setting("rate_salt")?;
        }
        let mut hash = Sha256::new();
        for part in [self.rate_salt.as_deref().unwrap_or(""), scope, client] {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
        Ok(hash
            .finalize()
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect())
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
