//! Talking to the feedback server (`docs/feedback-api.openapi.json`), and
//! what to tell the citizen when it does not answer as hoped.

use gloo_net::http::{Request, RequestBuilder};
use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use web_sys::{AbortController, RequestRedirect};
use xxgk_core::api::{ErrorBody, FieldErrors, Receipt};

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
    /// The server refused the request (another 4xx), with its status and
    /// its words.
    Refused(u16, String),
    /// The rules the server found broken: field key and message.
    Fields(Vec<(String, String)>),
    /// An answer that could not be read.
    Unreadable,
}

impl Failure {
    /// What happened, in plain words, and what to do. Whatever was typed
    /// is still on the form when this is shown.
    pub fn message(&self) -> String {
        match self {
            Failure::Offline => "您的设备现在没有连上网络，所以没有发出。填写的内容都还在，连上网络后请点“重新提交”。".into(),
            Failure::Unreachable => "暂时连不上受理系统（可能正在维护，或不接受从本网站提交）。填写的内容都还在，请稍后点“重新提交”：同一份内容不会重复登记。".into(),
            Failure::Timeout => format!("受理系统 {} 秒内没有回应，不能确定是否送达。填写的内容都还在，请点“重新提交”：同一份内容不会重复登记。", TIMEOUT.as_secs()),
            Failure::Busy(seconds) => format!("提交太频繁了，请等{}后再点“重新提交”。填写的内容都还在。", wait(*seconds)),
            Failure::Server(status) => format!("受理系统出了故障（错误代码 {status}），这次没有登记。填写的内容都还在，请稍后点“重新提交”。"),
            Failure::Refused(status, words) => format!("受理系统没有接收（错误代码 {status}）：{words} 填写的内容都还在。"),
            Failure::Fields(_) => "受理系统认为还有内容需要修改，请按表单中的提示修改后再点“重新提交”。".into(),
            Failure::Unreadable => "受理系统的回应无法识别，不能确定是否送达。填写的内容都还在，请稍后点“重新提交”：同一份内容不会重复登记。".into(),
        }
    }
}

impl Failure {
    /// What happened to a lookup or a list, in plain words (nothing was
    /// being sent).
    pub fn lookup_message(&self) -> String {
        match self {
            Failure::Offline => "您的设备现在没有连上网络，请连上后再查询。".into(),
            Failure::Unreachable => "暂时连不上受理系统，请稍后再试。".into(),
            Failure::Timeout => {
                format!("受理系统 {} 秒内没有回应，请稍后再试。", TIMEOUT.as_secs())
            }
            Failure::Busy(seconds) => format!("查询太频繁了，请等{}后再试。", wait(*seconds)),
            Failure::Server(status) => {
                format!("受理系统出了故障（错误代码 {status}），请稍后再试。")
            }
            Failure::Refused(_, words) => words.clone(),
            Failure::Fields(_) => "请核对查询码后再试。".into(),
            Failure::Unreadable => "受理系统的回应无法识别，请稍后再试。".into(),
        }
    }
}

/// A wait in seconds as a citizen reads it: seconds under a minute, else
/// minutes (rounded up).
pub fn wait(seconds: u32) -> String {
    if seconds < 60 {
        format!(" {seconds} 秒")
    } else {
        format!(" {} 分钟", seconds.div_ceil(60))
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
    let words = || {
        ErrorBody::read(&answer.text)
            .map(|body| body.error)
            .unwrap_or_else(|_| "请检查填写的内容后重试。".into())
    };
    match status {
        429 => Failure::Busy(answer.retry_after.unwrap_or(60)),
        422 => match FieldErrors::read(&answer.text) {
            Ok(body) => Failure::Fields(body.errors),
            Err(_) => Failure::Refused(status, words()),
        },
        500.. => Failure::Server(status),
        _ => Failure::Refused(status, words()),
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
