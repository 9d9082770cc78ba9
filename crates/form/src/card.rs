//! A submission as the public sees it: where it stands, the dates that
//! matter to its author, and the answer, as a definition list. Text from
//! a submission or an answer is always text, never markup. The card is
//! drawn again in the new language when the widget's changes: nothing in
//! it is typed.

use crate::i18n::{fill, Strings};
use crate::widget::Widget;
use leptos::prelude::*;
use xxgk_core::api::{Lookup, MessageStatus, Progress, PublicReply, RequestStatus};
use xxgk_core::case::REPLY_DAYS;
use xxgk_core::submission::Kind;

/// One term and its value, if there is a value.
fn row(term: &'static str, value: Option<String>) -> Option<impl IntoView> {
    value.map(|v| view! { <dt>{term}</dt><dd>{v}</dd> })
}

/// The dates a status gives, in plain words: a message's last day to be
/// answered; a request's received and due dates, or its decision.
fn dates(words: &'static Strings, progress: Progress) -> impl IntoView {
    let day = |d| Some(words.date(d));
    let with_date = |template, d| Some(fill(template, &[("date", &words.date(d))]));
    let (received, due, clarify_by, decided, outcome) = match progress {
        Progress::Message(MessageStatus::Received { reply_by }) => {
            (None, reply_by.and_then(day), None, None, None)
        }
        Progress::Request(RequestStatus::Unconfirmed) => (
            None,
            Some(fill(
                words.due_after_confirming,
                &[("days", &words.number(REPLY_DAYS))],
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
            if extended {
                with_date(words.extended, due)
            } else {
                day(due)
            },
            None,
            None,
            None,
        ),
        Progress::Request(RequestStatus::Consulting { received, due, .. }) => (
            day(received),
            with_date(words.consulting_due, due),
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
            with_date(words.clarify, clarify_by),
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
            Some(words.outcome(outcome)),
        ),
        _ => (None, None, None, None, None),
    };
    (
        row(words.term_received, received),
        row(words.term_due, due),
        row(words.term_clarify_by, clarify_by),
        row(words.term_decided, decided),
        row(words.term_outcome, outcome),
    )
}

/// The status of the submission a lookup code names, and its answer.
pub fn status_card(widget: Widget, lookup: Lookup) -> impl IntoView {
    move || {
        let words = widget.words();
        let progress = lookup.progress;
        // A decision is dated in law; other answers by when they were
        // recorded.
        let answered = match progress {
            Progress::Request(RequestStatus::Decided { .. }) => None,
            _ => lookup.answered_at.map(|at| words.time(at)),
        };
        card(
            words,
            Card {
                kind: lookup.kind,
                code: progress.code(),
                status: words.status(progress),
                received_at: lookup.received_at,
                answer: lookup
                    .answer
                    .clone()
                    .map(|a| (answer_heading(words, progress), a)),
            },
            (dates(words, progress), row(words.term_answered, answered)),
        )
    }
}

/// A published reply.
pub fn reply_card(widget: Widget, reply: PublicReply) -> impl IntoView {
    move || {
        let words = widget.words();
        card(
            words,
            Card {
                kind: reply.kind,
                code: "replied",
                status: words.status_replied,
                received_at: reply.received_at,
                answer: Some((words.term_answer, reply.answer.clone())),
            },
            row(words.term_answered, Some(words.time(reply.answered_at))),
        )
    }
}

fn answer_heading(words: &'static Strings, progress: Progress) -> &'static str {
    match progress {
        Progress::Message(MessageStatus::Rejected)
        | Progress::Request(RequestStatus::AnsweredBefore { rejected: true }) => {
            words.term_rejection
        }
        _ => words.term_answer,
    }
}

/// What every card shows.
struct Card {
    kind: Kind,
    /// The status's code (`data-status`).
    code: &'static str,
    /// The status's name.
    status: &'static str,
    received_at: i64,
    /// The answer's heading and its text.
    answer: Option<(&'static str, String)>,
}

fn card(words: &'static Strings, card: Card, dates: impl IntoView) -> impl IntoView {
    let answer = card.answer.map(|(heading, text)| {
        view! {
            <dt>{heading}</dt>
            <dd class="xxgk-form__answer">{text}</dd>
        }
    });
    view! {
        <dl class="xxgk-form__status" data-status=card.code>
            <dt>{words.term_kind}</dt><dd>{words.kind(card.kind)}</dd>
            <dt>{words.term_status}</dt><dd class="xxgk-form__status-label">{card.status}</dd>
            <dt>{words.term_sent}</dt><dd>{words.time(card.received_at)}</dd>
            {dates}
            {answer}
        </dl>
    }
}
