//! Passwords, sessions and the checks every console request passes.
//!
//! - Passwords are hashed with argon2id (19 MiB, two passes: the OWASP
//!   minimum), never kept or logged as typed.
//! - A session is a random token in a cookie that is `Secure`, `HttpOnly`
//!   and `SameSite=Strict` under the `__Host-` prefix; the database keeps
//!   only its SHA-256. It ends after [`Policy::idle`] without use, after
//!   [`Policy::lifetime`] in all, at logout, and when the account's
//!   password, roles or state change.
//! - Every request that changes something carries the session's CSRF
//!   token in its form, and is refused if the browser says it comes from
//!   another site (`Sec-Fetch-Site`, `Origin`). The login form has its
//!   own token in a cookie of its own.
//! - Logins are throttled per name typed and per address, counted from
//!   the audit log; the answer to a failed login never says whether the
//!   name exists.

use crate::store::{Account, Audit, Store};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::http::{header, HeaderMap, HeaderValue};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// The session cookie's name: `__Host-` makes the browser refuse it
/// unless it is `Secure`, for the whole host, from no other domain.
pub const SESSION_COOKIE: &str = "__Host-xxgk-staff";
/// The login form's cookie.
pub const LOGIN_COOKIE: &str = "__Host-xxgk-login";
/// The shortest password accepted.
pub const PASSWORD_LEAST: usize = 10;

/// How sessions and logins are bounded.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    /// A session unused this long ends.
    pub idle: Duration,
    /// A session ends this long after it began, however used.
    pub lifetime: Duration,
    /// Failed logins for one name within [`Policy::window`] after which
    /// that name is refused until the window has passed.
    pub per_name: i64,
    /// Failed logins from one address within the window after which it
    /// is refused.
    pub per_address: i64,
    /// The window failed logins are counted in.
    pub window: Duration,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            idle: Duration::from_secs(30 * 60),
            lifetime: Duration::from_secs(12 * 3600),
            per_name: 5,
            per_address: 20,
            window: Duration::from_secs(15 * 60),
        }
    }
}

/// The argon2id hash of `password`, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| format!("no random numbers: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches the PHC string `hash`; a hash that does
/// not read matches nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash to check a password against when the name typed has no
/// account, so that the answer takes as long as for one that has.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password never used").unwrap_or_default())
}

/// Why a password is not accepted, if it is not.
pub fn weak_password(name: &str, password: &str) -> Option<String> {
    let length = password.chars().count();
    if length < PASSWORD_LEAST {
        return Some(format!(
            "密码只有 {length} 个字符：至少要 {PASSWORD_LEAST} 个"
        ));
    }
    if password.trim() != password {
        return Some("密码的开头或结尾有空格：请去掉".into());
    }
    if password == name
        || password
            .chars()
            .all(|c| c == password.chars().next().unwrap_or(c))
    {
        return Some("密码太容易猜到：不要用账号名或同一个字符重复".into());
    }
    None
}

/// A new password of 16 letters and digits that are not easily mistaken
/// for each other.
pub fn generated_password() -> String {
    crate::store::random_text(
        b"23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ",
        16,
    )
}

/// A new random token: 32 bytes, in hexadecimal.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random number generator");
    hex(&bytes)
}

/// The SHA-256 of a session token, as the database keeps it.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether two tokens are equal, in time that does not depend on where
/// they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && !a.is_empty()
        && a.bytes().zip(b.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// The value of the cookie `name` the request carries.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` for `name` with `value`, living as long as the browser
/// session (or removed, for an empty value).
pub fn set_cookie(name: &str, value: &str) -> HeaderValue {
    let expiry = if value.is_empty() { "; Max-Age=0" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Secure; HttpOnly; SameSite=Strict{expiry}"
    ))
    .expect("a cookie of ASCII")
}

/// Whether the browser says the request comes from another site: a page
/// elsewhere posting to the console. Browsers send `Sec-Fetch-Site`,
/// which no page can set, and it decides; older ones send `Origin` on a
/// POST. A request with neither (a script, curl) is judged by its CSRF
/// token alone.
pub fn cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return !matches!(site.to_str(), Ok("same-origin" | "none"));
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match headers.get(header::ORIGIN).map(|v| v.to_str()) {
        None => false,
        Some(Ok(origin)) => {
            let origin_host = origin
                .split_once("://")
                .map_or("", |(_, rest)| rest.trim_end_matches('/'));
            host.is_none_or(|host| !origin_host.eq_ignore_ascii_case(host))
        }
        Some(Err(_)) => true,
    }
}

/// Why a login was refused, as the person at the keyboard is told: the
/// same for a wrong name and a wrong password.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    /// The name, the password or the second factor is wrong, or the
    /// account is disabled.
    #[error("账号或密码不对（或账号已停用）。请重新输入；忘记密码请找管理员重设。")]
    Wrong,
    /// Too many failures for this name or from this address.
    #[error("登录失败次数太多，请 {0} 分钟后再试；如非本人操作，请告诉管理员。")]
    Throttled(u64),
    /// The database failed.
    #[error("暂时无法登录，请稍后再试。")]
    Unavailable,
}

/// Checks a login attempt and records it in the audit log; the account
/// if it succeeds. Runs argon2: call it off the async threads.
pub fn log_in(
    store: &mut Store,
    policy: &Policy,
    name: &str,
    password: &str,
    code: &str,
    address: &str,
    now: i64,
) -> Result<Account, LoginError> {
    let name = name.trim();
    // What is typed as the name is kept short in the log.
    let typed: String = name.chars().take(50).collect();
    let lock = store
        .login_lock(
            &typed,
            address,
            (policy.per_name, policy.per_address),
            policy.window.as_secs() as i64,
        )
        .map_err(|_| LoginError::Unavailable)?;
    // Failed attempts are logged under the name typed, so that an
    // auditor filtering by a person sees the attempts on their account.
    let record = |store: &mut Store, action: &str| {
        store
            .audit(
                &Audit {
                    actor: &typed,
                    address,
                    action,
                    code: "",
                    detail: &typed,
                },
                now,
            )
            .map_err(|_| LoginError::Unavailable)
    };
    if let Some(until) = lock.filter(|&until| until > now) {
        // Not counted as a failure: the lock ends a window after the last
        // wrong password, however often it is knocked on.
        record(store, "login_throttled")?;
        return Err(LoginError::Throttled(
            ((until - now) as u64).div_ceil(60).max(1),
        ));
    }
    let account = store.account(&typed).map_err(|_| LoginError::Unavailable)?;
    let hash = account
        .as_ref()
        .map_or(decoy_hash(), |a| a.password.as_str());
    let matches = verify_password(password, hash);
    // The second factor: a code not used before (its step later than the
    // last one taken).
    let step = account
        .as_ref()
        .and_then(|a| a.totp.as_deref())
        .map(|secret| super::totp::step_of(secret, code.trim(), now));
    let second = match (step, &account) {
        (None, _) => true,
        (Some(Some(step)), Some(account)) => account.totp_step.is_none_or(|used| step > used),
        _ => false,
    };
    match account {
        Some(account) if matches && second && !account.disabled => {
            if let Some(Some(step)) = step {
                // Two logins with one code, on two receivers at once: the
                // second finds the step taken.
                let taken = store
                    .use_totp_step(&account.name, step)
                    .map_err(|_| LoginError::Unavailable)?;
                if !taken {
                    record(store, "login_failed")?;
                    return Err(LoginError::Wrong);
                }
            }
            record(store, "login")?;
            Ok(account)
        }
        _ => {
            record(store, "login_failed")?;
            Err(LoginError::Wrong)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_hash_is_argon2id_and_checks_only_its_password() {
        let hash = hash_password("长江黄河2024abc").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_password("长江黄河2024abc", &hash));
        assert!(!verify_password("长江黄河2024abd", &hash));
        assert!(!verify_password("长江黄河2024abc", "not a hash"));
        assert_ne!(hash, hash_password("长江黄河2024abc").unwrap(), "salted");
    }

    #[test]
    fn weak_passwords_are_refused_with_the_reason() {
        assert!(weak_password("wang", "short")
            .unwrap()
            .contains("至少要 10"));
        assert!(weak_password("wangfang12", "wangfang12").is_some());
        assert!(weak_password("wang", "aaaaaaaaaaaa").is_some());
        assert!(weak_password("wang", " padded password ").is_some());
        assert_eq!(weak_password("wang", "correct horse battery"), None);
        let generated = generated_password();
        assert_eq!(generated.len(), 16);
        assert_eq!(weak_password("wang", &generated), None);
    }

    #[test]
    fn tokens_are_compared_whole() {
        let token = new_token();
        assert_eq!(token.len(), 64);
        assert!(same_token(&token, &token.clone()));
        assert!(!same_token(&token, &token[..63]));
        assert!(!same_token("", ""));
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_request_from_another_site_is_told_apart() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut map = HeaderMap::new();
            for (k, v) in pairs {
                map.insert(*k, HeaderValue::from_static(v));
            }
            map
        };
        assert!(!cross_site(&headers(&[("host", "10.0.0.2:9000")])));
        assert!(!cross_site(&headers(&[
            ("host", "10.0.0.2:9000"),
            ("origin", "http://10.0.0.2:9000"),
            ("sec-fetch-site", "same-origin"),
        ])));
        assert!(cross_site(&headers(&[
            ("host", "10.0.0.2:9000"),
            ("origin", "http://evil.example"),
        ])));
        assert!(cross_site(&headers(&[
            ("host", "10.0.0.2:9000"),
            ("sec-fetch-site", "cross-site"),
        ])));
        assert!(cross_site(&headers(&[
            ("host", "10.0.0.2:9000"),
            ("origin", "null"),
        ])));
        // A browser's own word decides: a page cannot set it.
        assert!(!cross_site(&headers(&[
            ("host", "10.0.0.2:9000"),
            ("origin", "null"),
            ("sec-fetch-site", "same-origin"),
        ])));
        assert!(cross_site(&headers(&[
            ("host", "10.0.0.2:9000"),
            ("origin", "http://10.0.0.2:9000"),
            ("sec-fetch-site", "same-site"),
        ])));
    }

    #[test]
    fn cookies_are_read_by_name_and_set_strict() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; __Host-xxgk-staff=abc; b=2"),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, "c"), None);
        let set = set_cookie(SESSION_COOKIE, "abc");
        let set = set.to_str().unwrap();
        for part in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(set.contains(part), "{set}");
        }
    }
}
