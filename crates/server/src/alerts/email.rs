//! Mail through an SMTP server with lettre: plain (`smtp://`), upgraded
//! with STARTTLS (`smtp+starttls://`) or TLS from the start (`smtps://`),
//! checked against the system's certificates. The user, if any, is in
//! the URL; its password is read from a file, never taken from the
//! command line.

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How long talking to the mail server may take, per step.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Sends alerts by mail.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    /// The server's host, for the log.
    host: String,
    from: Mailbox,
    to: Vec<Mailbox>,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("host", &self.host)
            .finish_non_exhaustive()
    }
}

/// How the connection to the mail server is secured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Security {
    /// None: for a relay on this machine or a trusted network.
    Plain,
    /// STARTTLS, required.
    StartTls,
    /// TLS from the first byte.
    Tls,
}

/// Where the mail server is and who logs in, read from `--alert-smtp`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Server {
    security: Security,
    host: String,
    port: u16,
    user: Option<String>,
}

const SMTP_FORM: &str = "smtp://HOST:PORT, smtp+starttls://HOST:PORT or smtps://HOST:PORT, with USER@ before the host to log in";

impl Server {
    fn parse(url: &str) -> Result<Server, String> {
        let bad = || format!("--alert-smtp {url} is not a mail server URL: give {SMTP_FORM}");
        let (scheme, rest) = url.split_once("://").ok_or_else(bad)?;
        let (security, default_port) = match scheme {
            "smtp" => (Security::Plain, 25),
            "smtp+starttls" => (Security::StartTls, 587),
            "smtps" => (Security::Tls, 465),
            _ => return Err(bad()),
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains(['/', '?', '#']) {
            return Err(bad());
        }
        let (user, place) = match authority.rsplit_once('@') {
            Some((user, place)) => (Some(user), place),
            None => (None, authority),
        };
        if user.is_some_and(|u| u.contains(':')) {
            return Err("--alert-smtp must not carry the password (every user of the machine sees the command line): put it in a file and give --alert-smtp-password-file".into());
        }
        let user = user
            .filter(|u| !u.is_empty())
            .map(|u| {
                percent_encoding::percent_decode_str(u)
                    .decode_utf8()
                    .map(|u| u.into_owned())
                    .map_err(|_| bad())
            })
            .transpose()?;
        let (host, port) = match place.rsplit_once(':') {
            Some((host, port)) if !place.ends_with(']') => {
                (host, port.parse::<u16>().map_err(|_| bad())?)
            }
            _ => (place, default_port),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() {
            return Err(bad());
        }
        Ok(Server {
            security,
            host: host.to_owned(),
            port,
            user,
        })
    }
}

impl Mailer {
    /// A mailer through the server at `url` (see [`Server`]), logging in
    /// with `password` if the URL names a user, sending from `from` to
    /// each of `to`.
    pub fn new(
        url: &str,
        password: Option<String>,
        from: &str,
        to: &[String],
    ) -> Result<Mailer, String> {
        let server = Server::parse(url)?;
        let from: Mailbox = from.parse().map_err(|_| {
            format!(
                "--alert-from {from} is not an email address: give one such as xxgk@example.gov.cn"
            )
        })?;
        if to.is_empty() {
            return Err("--alert-smtp needs at least one --alert-to ADDRESS to send to".into());
        }
        let to = to
            .iter()
            .map(|a| {
                a.parse::<Mailbox>().map_err(|_| {
                    format!("--alert-to {a} is not an email address: give one such as office@example.gov.cn")
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let builder = match server.security {
            Security::Plain => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&server.host)
            }
            Security::StartTls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&server.host)
                    .map_err(|e| format!("--alert-smtp: {e}"))?
            }
            Security::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&server.host)
                .map_err(|e| format!("--alert-smtp: {e}"))?,
        };
        let mut builder = builder.port(server.port).timeout(Some(TIMEOUT));
        match (&server.user, password) {
            (Some(user), Some(password)) => {
                builder = builder.credentials(Credentials::new(user.clone(), password));
            }
            (Some(user), None) => {
                return Err(format!(
                    "--alert-smtp logs in as {user}: give its password with --alert-smtp-password-file FILE"
                ))
            }
            (None, Some(_)) => {
                return Err("--alert-smtp-password-file needs the user to log in as in --alert-smtp: smtps://USER@HOST:465".into())
            }
            (None, None) => {}
        }
        Ok(Mailer {
            transport: builder.build(),
            host: server.host,
            from,
            to,
        })
    }

    /// The mail server's host, for the log.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Sends one mail with `subject` and the plain `text` to every
    /// recipient; an error in words if the server did not take it.
    pub async fn send(&self, subject: &str, text: &str) -> Result<(), String> {
        let mut message = Message::builder()
            .from(self.from.clone())
            .subject(subject)
            .header(ContentType::TEXT_PLAIN);
        for to in &self.to {
            message = message.to(to.clone());
        }
        let message = message
            .body(text.to_owned())
            .map_err(|e| format!("cannot make the mail: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(drop)
            .map_err(|e| format!("the mail server {}: {e}", self.host))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mail_server_url_gives_its_security_host_port_and_user() {
        let server = |url| Server::parse(url).unwrap();
        assert_eq!(
            server("smtp://127.0.0.1:2525"),
            Server {
                security: Security::Plain,
                host: "127.0.0.1".into(),
                port: 2525,
                user: None
            }
        );
        assert_eq!(
            server("smtps://xxgk%40example.gov.cn@smtp.example.gov.cn"),
            Server {
                security: Security::Tls,
                host: "smtp.example.gov.cn".into(),
                port: 465,
                user: Some("xxgk@example.gov.cn".into())
            }
        );
        let starttls = server("smtp+starttls://mail.example.gov.cn/");
        assert_eq!(
            (starttls.security, starttls.port),
            (Security::StartTls, 587)
        );
        assert_eq!(server("smtp://[::1]:25").host, "::1");
    }

    #[test]
    fn a_password_on_the_command_line_or_a_strange_url_is_refused_in_words() {
        let error = Server::parse("smtps://user:secret@smtp.example.gov.cn").unwrap_err();
        assert!(error.contains("--alert-smtp-password-file"), "{error}");
        for wrong in [
            "http://smtp.example.gov.cn",
            "smtp.example.gov.cn:25",
            "smtp://:25",
            "smtp://host:port",
            "smtp://host/path",
        ] {
            let error = Server::parse(wrong).unwrap_err();
            assert!(error.contains("smtp+starttls://"), "{wrong}: {error}");
        }
    }

    #[test]
    fn a_user_needs_a_password_file_and_addresses_must_read() {
        let to = ["office@example.gov.cn".to_owned()];
        let from = "xxgk@example.gov.cn";
        let error = Mailer::new("smtps://u@smtp.example.gov.cn", None, from, &to).unwrap_err();
        assert!(error.contains("--alert-smtp-password-file"), "{error}");
        let error = Mailer::new("smtp://localhost", Some("pw".into()), from, &to).unwrap_err();
        assert!(error.contains("USER@"), "{error}");
        let error = Mailer::new("smtp://localhost", None, "not an address", &to).unwrap_err();
        assert!(error.starts_with("--alert-from"), "{error}");
        let error = Mailer::new("smtp://localhost", None, from, &["x".into()]).unwrap_err();
        assert!(error.starts_with("--alert-to"), "{error}");
        let error = Mailer::new("smtp://localhost", None, from, &[]).unwrap_err();
        assert!(error.contains("--alert-to"), "{error}");
        assert!(Mailer::new("smtp://localhost:2525", None, from, &to).is_ok());
    }
}
