//! A submission as the public sees it: where it stands, the dates that
//! matter to its author, and the answer, as a definition list. Text from
//! a submission or an answer is always text, never markup.

use leptos::prelude::*;
use xxgk_core::api::{Lookup, MessageStatus, Progress, PublicReply, RequestStatus};
use xxgk_core::case::REPLY_DAYS;
use xxgk_core::date::beijing_time;
use xxgk_core::submission::Kind;
use xxgk_core::Date;

/// One term and its value, if there is a value.
fn row(term: &'static str, value: Option<String>) -> Option<impl IntoView> {
    value.map(|v| view! { <dt>{term}</dt><dd>{v}</dd> })
}

/// The dates a status gives, in plain words: a message's last day to be
/// answered; a request's received and due dates, or its decision.
fn dates(progress: Progress) -> impl IntoView {
    let day = |d: Date| Some(d.to_string());
    let (received, due, clarify_by, decided, outcome) = match progress {
        Progress::Message(MessageStatus::Received { reply_by }) => {
            (None, reply_by.and_then(day), None, None, None)
        }
        Progress::Request(RequestStatus::Unconfirmed) => (
            None,
            Some(format!(
                "工作人员确认受理后，从次日起计算，{REPLY_DAYS} 个工作日内答复。"
            )),
            None,
            None,
            None,
        ),
        Progress::Request(RequestStatus::InProgress {
            received,
            due,
            extended,
        }) => (
            day(received),
            Some(if extended {
                format!("{due}（已延期）")
            } else {
                due.to_string()
            }),
            None,
            None,
            None,
        ),
        Progress::Request(RequestStatus::Consulting { received, due, .. }) => (
            day(received),
            Some(format!("{due}（征求第三方意见的时间不计入，期限相应顺延）")),
            None,
            None,
            None,
        ),
        Progress::Request(RequestStatus::AwaitingClarification {
            received,
            clarify_by,
        }) => (
            day(received),
            None,
            Some(format!(
                "{clarify_by}。请按本机关的补正告知补正申请内容（未收到告知的，请与本机关联系）；补正期间答复期限暂停，收到补正后重新计算。逾期未补正的，视为放弃申请。"
            )),
            None,
            None,
        ),
        Progress::Request(RequestStatus::Decided {
            received,
            decided,
            outcome,
        }) => (
            day(received),
            None,
            None,
            day(decided),
            Some(outcome.label()),
        ),
        _ => (None, None, None, None, None),
    };
    (
        row("受理日期", received),
        row("答复期限", due),
        row("补正期限", clarify_by),
        row("答复日期", decided),
        row("答复结果", outcome),
    )
}

/// The status of the submission a lookup code names, and its answer.
pub fn status_card(lookup: &Lookup) -> impl IntoView {
    let progress = lookup.progress;
    // A decision is dated in law; other answers by when they were recorded.
    let answered = match progress {
        Progress::Request(RequestStatus::Decided { .. }) => None,
        _ => lookup.answered_at.map(beijing_time),
    };
    card(
        lookup.kind,
        progress.code(),
        progress.label(),
        lookup.received_at,
        (dates(progress), row("答复时间", answered)),
        lookup.answer.clone().map(|a| (answer_heading(progress), a)),
    )
}

/// A published reply.
pub fn reply_card(reply: &PublicReply) -> impl IntoView {
    card(
        reply.kind,
        "replied",
        "已答复",
        reply.received_at,
        row("答复时间", Some(beijing_time(reply.answered_at))),
        Some(("答复", reply.answer.clone())),
    )
}

fn answer_heading(progress: Progress) -> &'static str {
    match progress {
        Progress::Message(MessageStatus::Rejected)
        | Progress::Request(RequestStatus::AnsweredBefore { rejected: true }) => "不予受理的理由",
        _ => "答复",
    }
}

fn card(
    kind: Kind,
    code: &'static str,
    label: &'static str,
    received_at: i64,
    dates: impl IntoView,
    answer: Option<(&'static str, String)>,
) -> impl IntoView {
    let answer = answer.map(|(heading, text)| {
        view! {
            <dt>{heading}</dt>
            <dd class="xxgk-form__answer">{text}</dd>
        }
    });
    view! {
        <dl class="xxgk-form__status" data-status=code>
            <dt>"类型"</dt><dd>{kind.label()}</dd>
            <dt>"状态"</dt><dd class="xxgk-form__status-label">{label}</dd>
            <dt>"收到时间"</dt><dd>{beijing_time(received_at)}</dd>
            {dates}
            {answer}
        </dl>
    }
}
