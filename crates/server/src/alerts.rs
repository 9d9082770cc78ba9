//! Staff alerts: a new submission, a case assigned to an office or a
//! village, a disclosure request's reply due within a few working days.
//! The store queues them in the outbox (`store/alerts.rs`) in the same
//! transaction as what caused them; this module sends them, by a signed
//! webhook ([`webhook`]) and by mail ([`email`]), each channel on its
//! own, retrying failures without ever holding up a submission or a
//! staff action. What is sent is in [`message`]; docs/alerts.md tells
//! staff how to set it up and how to check the signature.
//!
//! Nothing personal is sent or logged: an alert is named in the log by
//! its number and channel only.

mod delivery;
pub mod email;
pub mod message;
pub mod webhook;

use email::Mailer;
use std::path::{Path, PathBuf};
use webhook::Webhook;

/// Working days before a due date at which staff are warned, unless
/// `--alert-days` says otherwise.
pub const ALERT_DAYS: u32 = 3;

/// How staff are alerted: the flags of `serve`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct AlertArgs {
    /// POST each alert as signed JSON to this http:// or https:// URL
    /// (docs/alerts.md); needs --alert-webhook-secret-file.
    #[arg(long = "alert-webhook", value_name = "URL")]
    pub webhook: Option<String>,
    /// A file holding the secret the webhook's signatures are made with
    /// (never given on the command line, which every user of the machine
    /// sees).
    #[arg(long = "alert-webhook-secret-file", value_name = "FILE")]
    pub webhook_secret_file: Option<PathBuf>,
    /// Mail each alert through this SMTP server: smtp://HOST:PORT (no
    /// encryption), smtp+starttls://HOST:PORT or smtps://HOST:PORT; put
    /// USER@ before the host to log in.
    #[arg(long = "alert-smtp", value_name = "URL")]
    pub smtp: Option<String>,
    /// A file holding the password of the user named in --alert-smtp.
    #[arg(long = "alert-smtp-password-file", value_name = "FILE")]
    pub smtp_password_file: Option<PathBuf>,
    /// The address alerts are mailed from.
    #[arg(long = "alert-from", value_name = "ADDRESS")]
    pub from: Option<String>,
    /// An address alerts are mailed to; give it once per address.
    #[arg(long = "alert-to", value_name = "ADDRESS")]
    pub to: Vec<String>,
    /// Warn this many working days before a disclosure request's reply
    /// is due (and once more for each new due date after an extension).
    #[arg(long = "alert-days", value_name = "N", default_value_t = ALERT_DAYS,
          value_parser = clap::value_parser!(u32).range(0..=20))]
    pub days: u32,
    /// The staff console's page for a case, with {code} where the lookup
    /// code goes (https://xxgk.example.gov.cn/console/#/case/{code}): a
    /// link to it is put in each alert.
    #[arg(long = "console-url", value_name = "URL")]
    pub console_url: Option<String>,
    /// For tests: look for alerts every 100 ms and retry after a second.
    #[arg(long = "alert-quick", hide = true)]
    pub quick: bool,
}

impl AlertArgs {
    /// Whether a webhook or a mail server is given.
    pub fn names_a_channel(&self) -> bool {
        self.webhook.is_some() || self.smtp.is_some()
    }
}

/// The alert flags, checked.
#[derive(Debug)]
struct Settings {
    webhook: Option<Webhook>,
    mailer: Option<Mailer>,
    days: u32,
    console: Option<String>,
    quick: bool,
}

impl Settings {
    /// The settings `args` give; `None` if they name no channel.
    fn from_args(args: &AlertArgs) -> Result<Option<Settings>, String> {
        let webhook = match (&args.webhook, &args.webhook_secret_file) {
            (Some(url), Some(file)) => Some(Webhook::new(url, secret(file)?.into_bytes())?),
            (Some(_), None) => return Err("--alert-webhook needs --alert-webhook-secret-file FILE: a file holding the secret the receiver checks signatures with (openssl rand -hex 32 > FILE makes one)".into()),
            (None, Some(_)) => return Err("--alert-webhook-secret-file is only used with --alert-webhook URL".into()),
            (None, None) => None,
        };
        let mailer = match &args.smtp {
            Some(url) => {
                let from = args.from.as_deref().ok_or(
                    "--alert-smtp needs --alert-from ADDRESS: the address alerts are mailed from",
                )?;
                let password = args.smtp_password_file.as_deref().map(secret).transpose()?;
                Some(Mailer::new(url, password, from, &args.to)?)
            }
            None => {
                let mail_only = [
                    (
                        "--alert-smtp-password-file",
                        args.smtp_password_file.is_some(),
                    ),
                    ("--alert-from", args.from.is_some()),
                    ("--alert-to", !args.to.is_empty()),
                ];
                if let Some((flag, _)) = mail_only.iter().find(|(_, given)| *given) {
                    return Err(format!(
                        "{flag} is only used with --alert-smtp URL, the mail server to send through"
                    ));
                }
                None
            }
        };
        let console = args.console_url.clone();
        if let Some(url) = &console {
            let host = match url.split_once("://") {
                Some(("http" | "https", rest)) => rest.split(['/', '?', '#']).next(),
                _ => None,
            };
            if host.is_none_or(str::is_empty) || url.contains(char::is_whitespace) {
                return Err(format!("--console-url {url} is not an http:// or https:// URL: give the console's page for a case, with {{code}} where the lookup code goes"));
            }
        }
        if webhook.is_none() && mailer.is_none() {
            return Ok(None);
        }
        Ok(Some(Settings {
            webhook,
            mailer,
            days: args.days,
            console,
            quick: args.quick,
        }))
    }
}

/// The secret or password kept in `file`, without the line end.
fn secret(file: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let text = text.trim_end_matches(['\r', '\n']);
    if text.trim().is_empty() {
        return Err(format!(
            "{} is empty: put the secret in it (openssl rand -hex 32 > {} makes one for a webhook)",
            file.display(),
            file.display()
        ));
    }
    Ok(text.to_owned())
}

/// Starts sending the alerts of the store at `db` as `args` say, with
/// `calendar` for due dates: the outbox is read every few seconds on a
/// connection of its own, and the requests are scanned for due dates at
/// once and then every hour. `None` if `args` name no channel; an error
/// in words if they are wrong.
pub fn start(
    args: &AlertArgs,
    db: &crate::store::Location,
    calendar: crate::cases::Calendars,
) -> Result<Option<tokio::task::JoinHandle<()>>, String> {
    let Some(settings) = Settings::from_args(args)? else {
        return Ok(None);
    };
    let store = crate::store::Store::open(db)
        .map_err(|e| format!("cannot open {db} to send alerts: {e}"))?;
    tracing::info!(
        webhook = settings.webhook.as_ref().map_or("", |w| w.host()),
        mail_server = settings.mailer.as_ref().map_or("", |m| m.host()),
        alert_days = settings.days,
        "sending staff alerts"
    );
    Ok(Some(tokio::spawn(delivery::run(settings, store, calendar))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> AlertArgs {
        AlertArgs {
            days: ALERT_DAYS,
            ..AlertArgs::default()
        }
    }

    fn error(args: &AlertArgs) -> String {
        Settings::from_args(args).unwrap_err()
    }

    #[test]
    fn no_channel_sends_nothing() {
        assert!(Settings::from_args(&args()).unwrap().is_none());
    }

    #[test]
    fn a_webhook_needs_a_secret_from_a_file_that_is_not_empty() {
        let webhook = AlertArgs {
            webhook: Some("http://127.0.0.1:9/hook".into()),
            ..args()
        };
        assert!(error(&webhook).contains("--alert-webhook-secret-file FILE"));
        let dir = std::env::temp_dir().join(format!("xxgk-alert-args-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("secret");
        std::fs::write(&file, "\n").unwrap();
        let with_file = AlertArgs {
            webhook_secret_file: Some(file.clone()),
            ..webhook.clone()
        };
        assert!(error(&with_file).contains("is empty"));
        std::fs::write(&file, "s3cret\n").unwrap();
        let settings = Settings::from_args(&with_file).unwrap().unwrap();
        assert!(settings.webhook.is_some() && settings.mailer.is_none());
        let missing = AlertArgs {
            webhook_secret_file: Some(dir.join("missing")),
            ..webhook
        };
        assert!(error(&missing).starts_with("cannot read"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn mail_flags_without_a_mail_server_are_refused_in_words() {
        let stray = AlertArgs {
            to: vec!["office@example.gov.cn".into()],
            ..args()
        };
        assert!(error(&stray).starts_with("--alert-to is only used with --alert-smtp"));
        let no_from = AlertArgs {
            smtp: Some("smtp://127.0.0.1:25".into()),
            to: vec!["office@example.gov.cn".into()],
            ..args()
        };
        assert!(error(&no_from).contains("--alert-from ADDRESS"));
    }

    #[test]
    fn a_console_url_must_be_a_web_address() {
        let dir = std::env::temp_dir().join(format!("xxgk-alert-console-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("secret"), "s").unwrap();
        let console = |url: &str| AlertArgs {
            webhook: Some("http://127.0.0.1:9/hook".into()),
            webhook_secret_file: Some(dir.join("secret")),
            console_url: Some(url.into()),
            ..args()
        };
        assert!(error(&console("xxgk.example.gov.cn/case/{code}")).starts_with("--console-url"));
        let settings = Settings::from_args(&console(
            "https://xxgk.example.gov.cn/console/#/case/{code}",
        ))
        .unwrap()
        .unwrap();
        assert_eq!(
            settings.console.as_deref(),
            Some("https://xxgk.example.gov.cn/console/#/case/{code}")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
