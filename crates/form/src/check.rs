//! Looking up a submission by its lookup code: where it is, and the reply.

use crate::net::{self, Failure};
use crate::panel::Widget;
use crate::visit;
use leptos::either::Either;
use leptos::prelude::*;
use xxgk_core::date::beijing_time;
use xxgk_core::json::{self, Json};
use xxgk_core::submission::Kind;

/// What the server says about one submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub kind: String,
    pub status: String,
    pub label: String,
    pub answer: Option<String>,
    pub received_at: Option<i64>,
    pub answered_at: Option<i64>,
    /// Only in the public list.
    pub subject: Option<String>,
    /// A disclosure request's dates and decision, once its history has
    /// begun.
    pub clock: Option<Clock>,
}

/// A disclosure request's dates (`YYYY-MM-DD`) and decision.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    pub received: Option<String>,
    pub due: Option<String>,
    pub extended: bool,
    pub clarify_by: Option<String>,
    pub outcome: Option<String>,
}

impl Status {
    /// Reads one submission as the API gives it.
    pub fn read(json: &Json) -> Status {
        let text = |key: &str| json.get(key).and_then(Json::as_str).map(str::to_owned);
        let time = |key: &str| match json.get(key) {
            Some(Json::Number(n)) => n.parse().ok(),
            _ => None,
        };
        Status {
            kind: text("kind").unwrap_or_default(),
            status: text("status").unwrap_or_default(),
            label: text("status_label").unwrap_or_default(),
            answer: text("answer"),
            received_at: time("received_at"),
            answered_at: time("answered_at"),
            subject: text("subject"),
            clock: json
                .get("clock")
                .filter(|c| !matches!(c, Json::Null))
                .map(|c| {
                    let text = |key: &str| c.get(key).and_then(Json::as_str).map(str::to_owned);
                    Clock {
                        received: text("received"),
                        due: text("due"),
                        extended: matches!(c.get("extended"), Some(Json::Bool(true))),
                        clarify_by: text("clarify_by"),
                        outcome: text("outcome_label"),
                    }
                }),
        }
    }

    /// The kind's name.
    pub fn kind_label(&self) -> &'static str {
        Kind::from_code(&self.kind).map_or("留言", Kind::label)
    }
}

/// A submission's status and reply, as a definition list.
pub fn status_card(status: &Status) -> impl IntoView {
    let answered = status.answered_at.map(|t| {
        view! { <dt>"答复时间"</dt><dd>{beijing_time(t)}</dd> }
    });
    let answer = status.answer.clone().map(|a| {
        let heading = if status.status == "rejected" {
            "不予受理的理由"
        } else {
            "答复"
        };
        view! {
            <dt>{heading}</dt>
            <dd class="xxgk-form__answer">{a}</dd>
        }
    });
    // A disclosure request: the dates the law counts, in plain words.
    let clock = status.clock.clone().unwrap_or_default();
    let row = |term: &'static str, value: Option<String>| {
        value.map(|v| view! { <dt>{term}</dt><dd>{v}</dd> })
    };
    let dates = (
        row("受理日期", clock.received),
        row(
            "答复期限",
            clock.due.map(|d| {
                if clock.extended {
                    format!("{d}（已延期）")
                } else {
                    d
                }
            }),
        ),
        row("补正期限", clock.clarify_by),
        row("答复结果", clock.outcome),
        row(
            "答复期限",
            (status.status == "unconfirmed")
                .then(|| "工作人员确认受理后，从次日起计算，20 个工作日内答复。".to_owned()),
        ),
    );
    view! {
        <dl class="xxgk-form__status" data-status=status.status.clone()>
            <dt>"类型"</dt><dd>{status.kind_label()}</dd>
            <dt>"状态"</dt><dd class="xxgk-form__status-label">{status.label.clone()}</dd>
            <dt>"收到时间"</dt><dd>{status.received_at.map(beijing_time)}</dd>
            {dates}
            {answered}
            {answer}
        </dl>
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Found {
    Nothing,
    Looking,
    Status(Status),
    Unknown,
    Failed(Failure),
}

/// The lookup: a box for the code, then what is found.
pub fn check(widget: Widget) -> impl IntoView {
    // Never filled in from before: the next person at a shared computer
    // must not find the last one's code.
    let code = RwSignal::new(String::new());
    let id = format!("{}-check-code", widget.ids);
    let hint = format!("{id}-hint");
    let found = RwSignal::new(Found::Nothing);
    // Nor is the code or what it found shown to whoever presses Back
    // after the page was left.
    visit::on_leave(move || {
        code.set(String::new());
        found.set(Found::Nothing);
    });
    let look = move || {
        let typed: String = code
            .get_untracked()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_uppercase();
        if typed.is_empty() {
            found.set(Found::Failed(Failure::Refused(0, String::new())));
            return;
        }
        found.set(Found::Looking);
        let url = widget.api(&format!("/api/feedback/{typed}"));
        let visit = visit::current();
        leptos::task::spawn_local(async move {
            let answer = net::get(url).await;
            if visit != visit::current() {
                return;
            }
            found.set(match answer {
                Ok(Some(text)) => match json::parse(&text) {
                    Ok(json) => Found::Status(Status::read(&json)),
                    Err(_) => Found::Failed(Failure::Unreadable),
                },
                Ok(None) => Found::Unknown,
                Err(failure) => Found::Failed(failure),
            });
        });
    };
    let result = move || match found.get() {
        Found::Status(status) => Either::Right(status_card(&status)),
        other => Either::Left(alert_for(&other).map(|words| {
            view! { <p class="xxgk-form__alert" role="alert">{words}</p> }
        })),
    };
    view! {
        <form
            class="xxgk-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                look();
            }
        >
            <h3 class="xxgk-form__heading" tabindex="-1">"查询办理结果"</h3>
            <div class="xxgk-form__field">
                <label class="xxgk-form__label" for=id.clone()>"查询码"</label>
                <p class="xxgk-form__hint" id=hint.clone()>"提交留言或申请后得到的 12 位查询码，不区分大小写。"</p>
                <input
                    id=id
                    class="xxgk-form__input xxgk-form__code-input"
                    type="text"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    aria-describedby=hint
                    prop:value=move || code.get()
                    on:input=move |ev| code.set(event_target_value(&ev))
                />
            </div>
            <button
                type="submit"
                class="xxgk-button xxgk-form__submit"
                disabled=move || found.with(|f| *f == Found::Looking)
            >
                {move || if found.with(|f| *f == Found::Looking) { "正在查询……" } else { "查询" }}
            </button>
            <div aria-live="polite">{result}</div>
        </form>
    }
}

fn alert_for(found: &Found) -> Option<String> {
    Some(match found {
        Found::Nothing | Found::Looking | Found::Status(_) => return None,
        Found::Unknown => {
            "没有这个查询码。请核对后再试：查询码是 12 位字母和数字，不含 0、1、I、L、O。".into()
        }
        Found::Failed(Failure::Refused(0, _)) => "请先填写查询码。".into(),
        Found::Failed(failure) => lookup_failure(failure),
    })
}

/// A failed lookup or list in plain words (nothing was being sent).
pub fn lookup_failure(failure: &Failure) -> String {
    match failure {
        Failure::Offline => "您的设备现在没有连上网络，请连上后再查询。".into(),
        Failure::Unreachable => "暂时连不上受理系统，请稍后再试。".into(),
        Failure::Timeout => format!(
            "受理系统 {} 秒内没有回应，请稍后再试。",
            net::TIMEOUT.as_secs()
        ),
        Failure::Busy(seconds) => format!("查询太频繁了，请等{}后再试。", net::wait(*seconds)),
        Failure::Server(status) => format!("受理系统出了故障（错误代码 {status}），请稍后再试。"),
        Failure::Refused(_, words) => words.clone(),
        Failure::Fields(_) => "请核对查询码后再试。".into(),
        Failure::Unreadable => "受理系统的回应无法识别，请稍后再试。".into(),
    }
}
