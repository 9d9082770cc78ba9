//! Talking to the feedback server (`docs/feedback-api.openapi.json`), and
//! what to tell the citizen when it does not answer as hoped.

use crate::i18n::{fill, Strings};
use gloo_net::http::{Request, RequestBuilder};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use web_sys::{AbortController, RequestRedirect};
use xxgk_core::api::{FieldErrors, Receipt};

/// How long a request may take before the form gives up on it and says so.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// Why a request did not get the answer wanted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The device is not online.
    Offline,
    /// No answer at all: the server is down, unreachable, or refuses
    /// pages of this site (CORS); the browser does not tell which. Or an
    /// answer that sends the request elsewhere, which is never followed.
    Unreachable,
    /// No answer within [`TIMEOUT`].
    Timeout,
    /// Too many submissions from here: try again after this many seconds.
    Busy(u32),
    /// The server failed (5xx), with its status.
    Server(u16),
    /// The server refused the request (another 4xx), with its status.
    Refused(u16),
    /// The rules the server found broken: field key and message.
    Fields(Vec<(String, String)>),
    /// An answer that could not be read.
    Unreadable,
}

impl Failure {
    /// What happened, in plain words, and what to do. Whatever was typed
    /// is still on the form when this is shown. A refusal is told by its
    /// status in the form's own words: the server's are Chinese.
    pub fn message(&self, words: &Strings) -> String {
        match self {
            Failure::Offline => words.offline.into(),
            Failure::Unreachable => words.unreachable.into(),
            Failure::Timeout => fill(words.timeout, &[("seconds", &timeout(words))]),
            Failure::Busy(seconds) => fill(words.busy, &[("wait", &wait(words, *seconds))]),
            Failure::Server(status) => {
                fill(words.server_failed, &[("status", &status.to_string())])
            }
            Failure::Refused(409) => words.conflict.into(),
            Failure::Refused(413) => words.too_large.into(),
            Failure::Refused(403) => words.origin_refused.into(),
            Failure::Refused(status) => fill(words.refused, &[("status", &status.to_string())]),
            Failure::Fields(_) => words.fields_refused.into(),
            Failure::Unreadable => words.unreadable.into(),
        }
    }

    /// What happened to a lookup or a list, in plain words (nothing was
    /// being sent).
    pub fn lookup_message(&self, words: &Strings) -> String {
        match self {
            Failure::Offline => words.lookup_offline.into(),
            Failure::Unreachable => words.lookup_unreachable.into(),
            Failure::Timeout => fill(words.lookup_timeout, &[("seconds", &timeout(words))]),
            Failure::Busy(seconds) => fill(words.lookup_busy, &[("wait", &wait(words, *seconds))]),
            Failure::Server(status) => fill(
                words.lookup_server_failed,
                &[("status", &status.to_string())],
            ),
            Failure::Refused(status) => {
                fill(words.lookup_refused, &[("status", &status.to_string())])
            }
            Failure::Fields(_) => words.unknown_code.into(),
            Failure::Unreadable => words.lookup_unreadable.into(),
        }
    }
}

/// [`TIMEOUT`] in seconds, as the language writes numbers.
fn timeout(words: &Strings) -> String {
    words.number(TIMEOUT.as_secs())
}

/// A wait in seconds as a citizen reads it: seconds under a minute, else
/// minutes (rounded up).
pub fn wait(words: &Strings, seconds: u32) -> String {
    if seconds < 60 {
        words.plural(words.seconds, seconds)
    } else {
        words.plural(words.minutes, seconds.div_ceil(60))
    }
}

/// A response read to its end.
struct Answer {
    status: u16,
    /// `Retry-After`, in seconds.
    retry_after: Option<u32>,
    text: String,
}

/// Sends a request built by `build` and reads the whole answer, giving up
/// after [`TIMEOUT`] from the start, however far it got. A redirect fails
/// the request: an open redirect on the portal's origin (`/go?to=…`) named
/// in `data-feedback` would otherwise carry a submission, ID number and
/// all, wherever it pointed.
async fn call(
    build: impl FnOnce() -> RequestBuilder,
    body: Option<String>,
) -> Result<Answer, Failure> {
    let abort = AbortController::new().ok();
    let timed_out = Rc::new(Cell::new(false));
    let builder = build()
        .redirect(RequestRedirect::Error)
        .abort_signal(abort.as_ref().map(|a| a.signal()).as_ref());
    let request = match body {
        Some(body) => builder
            .header("Content-Type", "application/json")
            .body(body)
            .map_err(|_| Failure::Unreachable)?,
        None => builder.build().map_err(|_| Failure::Unreachable)?,
    };
    let timer = {
        let timed_out = timed_out.clone();
        leptos::prelude::set_timeout_with_handle(
            move || {
                timed_out.set(true);
                if let Some(abort) = abort {
                    abort.abort();
                }
            },
            TIMEOUT,
        )
        .ok()
    };
    let answer = async {
        let response = request.send().await?;
        let retry_after = response
            .headers()
            .get("Retry-After")
            .and_then(|s| s.trim().parse().ok());
        let text = response.text().await?;
        Ok::<_, gloo_net::Error>(Answer {
            status: response.status(),
            retry_after,
            text,
        })
    }
    .await;
    if let Some(timer) = timer {
        timer.clear();
    }
    answer.map_err(|_| {
        if timed_out.get() {
            Failure::Timeout
        } else if !leptos::prelude::window().navigator().on_line() {
            Failure::Offline
        } else {
            Failure::Unreachable
        }
    })
}

/// What the server says about a failed request.
fn failure(answer: Answer) -> Failure {
    let status = answer.status;
    match status {
        429 => Failure::Busy(answer.retry_after.unwrap_or(60)),
        422 => match FieldErrors::read(&answer.text) {
            Ok(body) => Failure::Fields(body.errors),
            Err(_) => Failure::Refused(status),
        },
        500.. => Failure::Server(status),
        _ => Failure::Refused(status),
    }
}

/// A submission received: its lookup code, and whether it had been
/// received before (a retry of one that got through).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// 查询码.
    pub code: String,
    /// Received by an earlier attempt.
    pub again: bool,
}

/// Sends a submission (its JSON) to the server.
pub async fn submit(url: String, body: String) -> Result<Received, Failure> {
    let answer = call(|| Request::post(&url), Some(body)).await?;
    if !(200..300).contains(&answer.status) {
        return Err(failure(answer));
    }
    let code = Receipt::read(&answer.text)
        .map_err(|_| Failure::Unreadable)?
        .code;
    Ok(Received {
        code,
        again: answer.status == 200,
    })
}

/// Gets a JSON document from the server; `None` for 404.
pub async fn get(url: String) -> Result<Option<String>, Failure> {
    let answer = call(|| Request::get(&url), None).await?;
    match answer.status {
        404 => Ok(None),
        200 => Ok(Some(answer.text)),
        _ => Err(failure(answer)),
    }
}
