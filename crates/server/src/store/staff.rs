//! Staff accounts, their console sessions, the audit log and the
//! console's settings.
//!
//! A session is kept by the SHA-256 of its token, so that a copy of the
//! database does not log anyone in. The audit log is appended to only:
//! the database refuses to change or remove a row of it.

use super::db::{params, Arg, Optional, Row, Sql};
use super::Result;
use super::Store;
use crate::console::roles::Roles;

/// A staff account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// Its row.
    pub id: i64,
    /// The name staff log in with, which the history and the audit log
    /// show.
    pub name: String,
    /// What it may do.
    pub roles: Roles,
    /// The office or village it handles cases for (承办).
    pub unit: String,
    /// The sites it works for, with the sites under them; empty: every
    /// site (the platform's own staff).
    pub sites: Vec<String>,
    /// The argon2id hash of its password, as a PHC string.
    pub password: String,
    /// The TOTP secret of its second factor, base32, if it has one.
    pub totp: Option<String>,
    /// The time step of the last one-time code it logged in with.
    pub totp_step: Option<i64>,
    /// Whether it may no longer log in.
    pub disabled: bool,
    /// When it was made, in seconds since 1970.
    pub created_at: i64,
    /// When its password or roles last changed.
    pub changed_at: i64,
}

/// A console session, as kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The account.
    pub account: Account,
    /// The token every form that changes something must carry.
    pub csrf: String,
    /// When it began.
    pub created_at: i64,
    /// When it was last used.
    pub seen_at: i64,
}

/// One row of the audit log as it is appended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Audit<'a> {
    /// Who: an account's name, with how they acted.
    pub actor: &'a str,
    /// From where: the client's address, or `命令行`.
    pub address: &'a str,
    /// What, as one of [`AUDIT_ACTIONS`]' codes.
    pub action: &'a str,
    /// The case, if it concerns one.
    pub code: &'a str,
    /// What else: the step, the account changed, the setting.
    pub detail: &'a str,
}

/// One row of the audit log as it is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRow {
    /// Its number.
    pub id: i64,
    /// When, in seconds since 1970.
    pub at: i64,
    /// Who.
    pub actor: String,
    /// From where.
    pub address: String,
    /// What (a code of [`AUDIT_ACTIONS`], or one a later version wrote).
    pub action: String,
    /// The case.
    pub code: String,
    /// What else.
    pub detail: String,
}

impl AuditRow {
    /// The action's name in Chinese (its code if this version does not
    /// know it).
    pub fn label(&self) -> &str {
        AUDIT_ACTIONS
            .iter()
            .find(|(code, _)| *code == self.action)
            .map_or(self.action.as_str(), |(_, label)| label)
    }
}

/// What the audit log records, with its names.
pub const AUDIT_ACTIONS: &[(&str, &str)] = &[
    ("login", "登录"),
    ("login_failed", "登录失败"),
    ("login_throttled", "登录被限制"),
    ("passwd_failed", "改密码时原密码不对"),
    ("logout", "退出"),
    ("view_personal", "查看个人信息"),
    ("act", "办理"),
    ("refused", "越权被拒"),
    ("export", "导出全部记录"),
    ("audit_export", "导出审计记录"),
    ("report", "下载年度报告"),
    ("staff_add", "新建账号"),
    ("staff_disable", "停用账号"),
    ("staff_enable", "启用账号"),
    ("staff_passwd", "修改密码"),
    ("staff_roles", "修改角色"),
    ("staff_totp", "设置双重验证"),
    ("setting", "修改设置"),
    ("purge", "清除个人信息"),
    ("staff_sites", "修改负责的站点"),
    ("site_add", "新建站点"),
    ("site_set", "修改站点"),
];

/// Which rows of the audit log to read.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// Only this actor's (an account's name; the rows where it acted
    /// through the command line included).
    pub actor: Option<String>,
    /// Only about this case.
    pub code: Option<String>,
    /// Only this action.
    pub action: Option<String>,
    /// Only rows before this number (the next page).
    pub before: Option<i64>,
    /// At most this many, newest first; all if `None`.
    pub limit: Option<usize>,
}

const ACCOUNT: &str =
    "id, name, roles, unit, password, totp, disabled, created_at, changed_at, totp_step, sites";
/// How many columns [`ACCOUNT`] names.
const ACCOUNT_COLUMNS: usize = 11;

fn account_row(r: &Row) -> Result<Account> {
    debug_assert_eq!(ACCOUNT.split(", ").count(), ACCOUNT_COLUMNS);
    let roles: String = r.get(2)?;
    Ok(Account {
        id: r.get(0)?,
        name: r.get(1)?,
        // Roles a later version added are not held here.
        roles: roles
            .split(',')
            .filter_map(crate::console::roles::Role::from_name)
            .collect(),
        unit: r.get(3)?,
        password: r.get(4)?,
        totp: r.get(5)?,
        disabled: r.get(6)?,
        created_at: r.get(7)?,
        changed_at: r.get(8)?,
        totp_step: r.get(9)?,
        sites: r
            .get::<String>(10)?
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}

impl Store {
    /// How many accounts there are (disabled ones included).
    pub fn staff_count(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT COUNT(*) FROM staff", params![], |r| r.get(0))
    }

    /// The account named `name`, if there is one.
    pub fn account(&self, name: &str) -> Result<Option<Account>> {
        self.conn
            .query_row(
                &format!("SELECT {ACCOUNT} FROM staff WHERE name = ?1"),
                params![name],
                account_row,
            )
            .optional()
    }

    /// Every account, by name.
    pub fn accounts(&self) -> Result<Vec<Account>> {
        self.conn.query_map(
            &format!("SELECT {ACCOUNT} FROM staff ORDER BY name"),
            params![],
            account_row,
        )
    }

    /// Adds an account; false if the name is taken.
    pub fn add_account(
        &mut self,
        name: &str,
        roles: Roles,
        unit: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<bool> {
        self.add_account_of(name, roles, unit, &[], password_hash, now)
    }

    /// [`Store::add_account`], of the sites `sites` (none: every site),
    /// in one statement: an account is never there working for more.
    pub fn add_account_of(
        &mut self,
        name: &str,
        roles: Roles,
        unit: &str,
        sites: &[String],
        password_hash: &str,
        now: i64,
    ) -> Result<bool> {
        self.still_there()?;
        let added = self.conn.execute(
            "INSERT OR IGNORE INTO staff (name, roles, unit, sites, password, created_at, changed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
            params![name, roles.codes(), unit, sites.join(","), password_hash, now],
        )?;
        Ok(added == 1)
    }

    /// Sets the password of `name` and ends its sessions; false if there
    /// is no such account.
    pub fn set_password(&mut self, name: &str, hash: &str, now: i64) -> Result<bool> {
        self.change_account(
            name,
            "UPDATE staff SET password = ?2, changed_at = ?3 WHERE name = ?1",
            params![name, hash, now],
        )
    }

    /// Disables (or enables again) the account `name`, ending its
    /// sessions; false if there is no such account.
    pub fn set_disabled(&mut self, name: &str, disabled: bool, now: i64) -> Result<bool> {
        self.change_account(
            name,
            "UPDATE staff SET disabled = ?2, changed_at = ?3 WHERE name = ?1",
            params![name, disabled, now],
        )
    }

    /// Gives `name` these roles and this unit, ending its sessions; false
    /// if there is no such account.
    pub fn set_roles(&mut self, name: &str, roles: Roles, unit: &str, now: i64) -> Result<bool> {
        self.change_account(
            name,
            "UPDATE staff SET roles = ?2, unit = ?3, changed_at = ?4 WHERE name = ?1",
            params![name, roles.codes(), unit, now],
        )
    }

    /// Gives `name` these sites (none: every site), ending its sessions;
    /// false if there is no such account.
    pub fn set_sites(&mut self, name: &str, sites: &[String], now: i64) -> Result<bool> {
        self.change_account(
            name,
            "UPDATE staff SET sites = ?2, changed_at = ?3 WHERE name = ?1",
            params![name, sites.join(","), now],
        )
    }

    /// Sets (or, with `None`, removes) the TOTP secret of `name`, ending
    /// its sessions.
    pub fn set_totp(&mut self, name: &str, secret: Option<&str>, now: i64) -> Result<bool> {
        self.change_account(
            name,
            "UPDATE staff SET totp = ?2, changed_at = ?3 WHERE name = ?1",
            params![name, secret, now],
        )
    }

    /// Runs `update` on the account `name` and ends its sessions, in one
    /// transaction: a changed password or role takes effect at once.
    fn change_account(&mut self, name: &str, update: &str, values: &[&dyn Arg]) -> Result<bool> {
        self.still_there()?;
        let tx = self.conn.write()?;
        let changed = tx.execute(update, values)?;
        tx.execute(
            "DELETE FROM session WHERE staff = (SELECT id FROM staff WHERE name = ?1)",
            params![name],
        )?;
        tx.commit()?;
        Ok(changed == 1)
    }

    /// Keeps a new session of the account `staff`, by the SHA-256 of its
    /// token.
    pub fn open_session(
        &mut self,
        token_hash: &str,
        staff: i64,
        csrf: &str,
        now: i64,
    ) -> Result<()> {
        self.still_there()?;
        self.conn.execute(
            "INSERT INTO session (token, staff, csrf, created_at, seen_at) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![token_hash, staff, csrf, now],
        )?;
        Ok(())
    }

    /// The session whose token has this SHA-256, with its account.
    pub fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        let columns = ACCOUNT
            .split(", ")
            .map(|c| format!("staff.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        self.conn
            .query_row(
                &format!(
                    "SELECT {columns}, session.csrf, session.created_at, session.seen_at
                     FROM session JOIN staff ON staff.id = session.staff WHERE session.token = ?1"
                ),
                params![token_hash],
                |r| {
                    Ok(Session {
                        account: account_row(r)?,
                        csrf: r.get(ACCOUNT_COLUMNS)?,
                        created_at: r.get(ACCOUNT_COLUMNS + 1)?,
                        seen_at: r.get(ACCOUNT_COLUMNS + 2)?,
                    })
                },
            )
            .optional()
    }

    /// Notes that the session was used at `now`.
    pub fn touch_session(&mut self, token_hash: &str, now: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE session SET seen_at = ?2 WHERE token = ?1",
            params![token_hash, now],
        )?;
        Ok(())
    }

    /// Ends a session.
    pub fn close_session(&mut self, token_hash: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM session WHERE token = ?1", params![token_hash])?;
        Ok(())
    }

    /// Notes the time step of the one-time code `name` logged in with;
    /// false if that step, or a later one, was taken already.
    pub fn use_totp_step(&mut self, name: &str, step: i64) -> Result<bool> {
        // Taken only if no login (on this receiver or another) has taken
        // it or a later one meanwhile.
        let taken = self.conn.execute(
            "UPDATE staff SET totp_step = ?2 WHERE name = ?1 AND (totp_step < ?2 OR totp_step IS NULL)",
            params![name, step],
        )?;
        Ok(taken == 1)
    }

    /// Ends every session of the account `name`.
    pub fn close_sessions_of(&mut self, name: &str) -> Result<()> {
        self.conn.execute(
            "DELETE FROM session WHERE staff = (SELECT id FROM staff WHERE name = ?1)",
            params![name],
        )?;
        Ok(())
    }

    /// Ends the sessions idle since before `idle_since` or begun before
    /// `begun_since`; how many.
    pub fn sweep_sessions(&mut self, idle_since: i64, begun_since: i64) -> Result<usize> {
        self.conn.execute(
            "DELETE FROM session WHERE seen_at < ?1 OR created_at < ?2",
            params![idle_since, begun_since],
        )
    }

    /// Appends a row to the audit log, at `at`.
    pub fn audit(&mut self, row: &Audit, at: i64) -> Result<()> {
        self.still_there()?;
        self.conn.execute(
            "INSERT INTO audit (at, actor, address, action, code, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![at, row.actor, row.address, row.action, row.code, row.detail],
        )?;
        Ok(())
    }

    /// Rows of the audit log, newest first.
    pub fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>> {
        // No limit is the largest (SQLite's -1 is not PostgreSQL's).
        let limit = filter.limit.map_or(i64::MAX, |l| l as i64);
        self.conn.query_map(
            "SELECT id, at, actor, address, action, code, detail FROM audit
             WHERE (actor = ?1 OR actor LIKE ?1 || '（%' OR ?1 IS NULL)
               AND (code = ?2 OR ?2 IS NULL)
               AND (action = ?3 OR ?3 IS NULL)
               AND (id < ?4 OR ?4 IS NULL)
             ORDER BY id DESC LIMIT ?5",
            params![
                filter.actor,
                filter.code,
                filter.action,
                filter.before,
                limit
            ],
            |r| {
                Ok(AuditRow {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    address: r.get(3)?,
                    action: r.get(4)?,
                    code: r.get(5)?,
                    detail: r.get(6)?,
                })
            },
        )
    }

    /// When logins for the name typed, or from the address, may be tried
    /// again, if they are locked at all: a name is locked once `per_name`
    /// wrong passwords for it (since its last login or password reset)
    /// fall within `window` seconds of each other, until `window` after
    /// the last of them; an address likewise after `per_address`.
    pub fn login_lock(
        &self,
        name: &str,
        address: &str,
        (per_name, per_address): (i64, i64),
        window: i64,
    ) -> Result<Option<i64>> {
        let name_times: Vec<i64> = self.conn.query_map(
            "SELECT at FROM audit WHERE action = 'login_failed' AND detail = ?1
                AND id > COALESCE((SELECT MAX(id) FROM audit
                    WHERE (action = 'login' AND actor = ?1) OR (action = 'staff_passwd' AND detail = ?1)), 0)
             ORDER BY id DESC LIMIT ?2",
            params![name, per_name],
            |r| r.get(0),
        )?;
        let address_times: Vec<i64> = self.conn.query_map(
            "SELECT at FROM audit WHERE action = 'login_failed' AND address = ?1
             ORDER BY id DESC LIMIT ?2",
            params![address, per_address],
            |r| r.get(0),
        )?;
        // Newest first: locked if the `most` latest came within the window.
        let until = |times: &[i64], most: i64| match (times.first(), times.last()) {
            (Some(&newest), Some(&oldest))
                if times.len() as i64 >= most && newest - oldest < window =>
            {
                Some(newest + window)
            }
            _ => None,
        };
        Ok(until(&name_times, per_name).max(until(&address_times, per_address)))
    }

    /// A setting, if it has been set.
    pub fn setting(&self, name: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT value FROM setting WHERE name = ?1",
                params![name],
                |r| r.get(0),
            )
            .optional()
    }

    /// Sets a setting.
    pub fn set_setting(&mut self, name: &str, value: &str) -> Result<()> {
        self.still_there()?;
        self.conn.execute(
            "INSERT INTO setting (name, value) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            params![name, value],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::temp_store;

    #[test]
    fn the_audit_log_cannot_be_changed_or_removed_from() {
        let (_dir, mut store) = temp_store();
        let row = Audit {
            actor: "王芳",
            address: "10.0.0.5",
            action: "view_personal",
            code: "ABCDEFGHJKMN",
            detail: "",
        };
        store.audit(&row, 100).unwrap();
        for sql in [
            "UPDATE audit SET actor = '别人'",
            "DELETE FROM audit",
            "INSERT OR REPLACE INTO audit (id, at, actor, address, action) VALUES (1, 0, 'x', 'y', 'z')",
        ] {
            assert!(store.conn.execute(sql, params![]).is_err(), "{sql}");
        }
        let log = store.audit_log(&AuditFilter::default()).unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(
            (log[0].actor.as_str(), log[0].label()),
            ("王芳", "查看个人信息")
        );
    }

    #[test]
    fn a_changed_password_ends_the_accounts_sessions() {
        let (_dir, mut store) = temp_store();
        let roles = Roles::parse("受理").unwrap();
        assert!(store.add_account("王芳", roles, "", "hash-1", 10).unwrap());
        assert!(!store.add_account("王芳", roles, "", "hash-2", 11).unwrap());
        let id = store.account("王芳").unwrap().unwrap().id;
        store.open_session("t1", id, "c1", 20).unwrap();
        assert_eq!(store.session("t1").unwrap().unwrap().account.name, "王芳");
        assert!(store.set_password("王芳", "hash-3", 30).unwrap());
        assert_eq!(store.session("t1").unwrap(), None);
        assert_eq!(store.account("王芳").unwrap().unwrap().password, "hash-3");
        assert!(!store.set_password("没有这人", "hash", 30).unwrap());
    }

    #[test]
    fn a_lock_comes_from_failures_close_together_and_ends_a_window_after_the_last() {
        let (_dir, mut store) = temp_store();
        let failed = |store: &mut Store, address, at| {
            let row = Audit {
                actor: "王芳",
                address,
                action: "login_failed",
                code: "",
                detail: "王芳",
            };
            store.audit(&row, at).unwrap();
        };
        let lock = |store: &Store, address| store.login_lock("王芳", address, (3, 4), 900).unwrap();
        failed(&mut store, "10.0.0.1", 0);
        failed(&mut store, "10.0.0.2", 1000);
        failed(&mut store, "10.0.0.2", 1500);
        // Three, but not within 900 s of each other.
        assert_eq!(lock(&store, "10.0.0.9"), None);
        failed(&mut store, "10.0.0.2", 1600);
        assert_eq!(lock(&store, "10.0.0.9"), Some(2500));
        // The address has four within the window too.
        failed(&mut store, "10.0.0.2", 1700);
        assert_eq!(lock(&store, "10.0.0.2"), Some(2600));
        // A login ends the name's count; the address's stays.
        let login = Audit {
            actor: "王芳",
            address: "10.0.0.3",
            action: "login",
            ..Audit::default()
        };
        store.audit(&login, 1800).unwrap();
        assert_eq!(lock(&store, "10.0.0.9"), None);
        assert_eq!(lock(&store, "10.0.0.2"), Some(2600));
    }

    #[test]
    fn a_one_time_code_s_step_is_taken_once() {
        let (_dir, mut store) = temp_store();
        let roles = Roles::parse("受理").unwrap();
        store.add_account("王芳", roles, "", "hash", 10).unwrap();
        assert!(store.use_totp_step("王芳", 5).unwrap());
        assert!(
            !store.use_totp_step("王芳", 5).unwrap(),
            "the same step again"
        );
        assert!(!store.use_totp_step("王芳", 4).unwrap(), "an earlier step");
        assert!(store.use_totp_step("王芳", 6).unwrap());
    }
}
