//! The feedback receiver's API (`docs/feedback-api.openapi.json`) as
//! types: what `xxgk-server` answers, and what the widget's feedback
//! panels read. Each type writes itself with the small writer of
//! [`crate::json`] (`to_json`) and is read back with the same module's
//! reader (`read`), so the server and the widget share one definition;
//! `crates/server/tests/openapi.rs` holds the contract to both.
//!
//! Messages (留言: 咨询, 建议, 投诉, 求助) and disclosure requests
//! (政府信息公开申请) are told apart. A message is received, then replied
//! to or not accepted (不予受理) within the county's reply period; a
//! request runs by its statutory clock ([`crate::case`]) from 待确认 to a
//! decision with one of the legal outcomes ([`crate::outcome`]).
//! Statistics are integers: counts, working days, per mille.

use crate::calendar::{Calendar, Uncovered};
use crate::case::{self, Clock, REPLY_DAYS};
use crate::json::{self, Json, Object};
use crate::outcome::Outcome;
use crate::submission::{FieldError, Kind};
use crate::Date;
use std::fmt;

/// The kinds of message, in the form's order: every kind but the
/// disclosure request.
pub const MESSAGE_KINDS: [Kind; 4] = [
    Kind::Consultation,
    Kind::Suggestion,
    Kind::Complaint,
    Kind::Help,
];

/// A body that is not what the contract says: the member missing or
/// wrong (`JSON` for a body that is not JSON at all).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malformed(pub &'static str);

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "“{}” is missing or not as the contract says", self.0)
    }
}

impl std::error::Error for Malformed {}

/// Reads `text` as JSON.
fn parse(text: &str) -> Result<Json<'_>, Malformed> {
    json::parse(text).map_err(|_| Malformed("JSON"))
}

/// The member `key`, present and not `null`.
fn member<'j, 'a>(json: &'j Json<'a>, key: &'static str) -> Result<&'j Json<'a>, Malformed> {
    json.get(key)
        .filter(|v| !matches!(v, Json::Null))
        .ok_or(Malformed(key))
}

/// The member `key` if it is present and not `null`; an error if it is
/// absent (the contract lists every member, `null` or not).
fn optional<'j, 'a>(
    json: &'j Json<'a>,
    key: &'static str,
) -> Result<Option<&'j Json<'a>>, Malformed> {
    match json.get(key) {
        None => Err(Malformed(key)),
        Some(Json::Null) => Ok(None),
        Some(value) => Ok(Some(value)),
    }
}

fn text(json: &Json, key: &'static str) -> Result<String, Malformed> {
    member(json, key)?
        .as_str()
        .map(str::to_owned)
        .ok_or(Malformed(key))
}

fn optional_text(json: &Json, key: &'static str) -> Result<Option<String>, Malformed> {
    optional(json, key)?
        .map(|v| v.as_str().map(str::to_owned).ok_or(Malformed(key)))
        .transpose()
}

fn integer(json: &Json, key: &'static str) -> Result<i64, Malformed> {
    member(json, key)?.as_integer().ok_or(Malformed(key))
}

fn optional_integer(json: &Json, key: &'static str) -> Result<Option<i64>, Malformed> {
    optional(json, key)?
        .map(|v| v.as_integer().ok_or(Malformed(key)))
        .transpose()
}

fn count(json: &Json, key: &'static str) -> Result<u32, Malformed> {
    u32::try_from(integer(json, key)?).map_err(|_| Malformed(key))
}

fn boolean(json: &Json, key: &'static str) -> Result<bool, Malformed> {
    member(json, key)?.as_bool().ok_or(Malformed(key))
}

fn date(json: &Json, key: &'static str) -> Result<Date, Malformed> {
    Date::parse(&text(json, key)?).ok_or(Malformed(key))
}

fn optional_date(json: &Json, key: &'static str) -> Result<Option<Date>, Malformed> {
    optional_text(json, key)?
        .map(|d| Date::parse(&d).ok_or(Malformed(key)))
        .transpose()
}

fn kind(json: &Json) -> Result<Kind, Malformed> {
    Kind::from_code(&text(json, "kind")?).ok_or(Malformed("kind"))
}

/// The answer to a submission received (201, or 200 for a retry of one
/// received before): its lookup code (查询码).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// The lookup code.
    pub code: String,
}

impl Receipt {
    /// `{"code", "status": "received"}`.
    pub fn to_json(&self) -> String {
        Object::new()
            .string("code", &self.code)
            .string("status", "received")
            .finish()
    }

    /// Reads what [`Receipt::to_json`] writes.
    pub fn read(text: &str) -> Result<Receipt, Malformed> {
        let json = parse(text)?;
        if self::text(&json, "status")? != "received" {
            return Err(Malformed("status"));
        }
        Ok(Receipt {
            code: self::text(&json, "code")?,
        })
    }
}

/// A refusal or failure in plain Chinese, saying what to do
/// (`{"error": message}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorBody {
    /// The message.
    pub error: String,
}

impl ErrorBody {
    /// `{"error"}`.
    pub fn to_json(&self) -> String {
        Object::new().string("error", &self.error).finish()
    }

    /// Reads what [`ErrorBody::to_json`] writes.
    pub fn read(text: &str) -> Result<ErrorBody, Malformed> {
        Ok(ErrorBody {
            error: self::text(&parse(text)?, "error")?,
        })
    }
}

/// The rules a submission breaks (422): per field key, its message. A key
/// may name a field the form does not show (`related_item`,
/// `client_key`), or, from a newer server, one it does not know.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors {
    /// Field key and message, in the form's order.
    pub errors: Vec<(String, String)>,
}

impl FieldErrors {
    /// The errors [`crate::submission::Submission::check`] found: the
    /// first for each field, so that each key is named once (a JSON
    /// object's reader keeps one value per key).
    pub fn of(errors: &[FieldError]) -> FieldErrors {
        let mut kept: Vec<(String, String)> = Vec::new();
        for e in errors {
            let key = e.field.key();
            if !kept.iter().any(|(k, _)| k == key) {
                kept.push((key.to_owned(), e.message()));
            }
        }
        FieldErrors { errors: kept }
    }

    /// `{"errors": {key: message}}`.
    pub fn to_json(&self) -> String {
        let errors = self
            .errors
            .iter()
            .fold(Object::new(), |o, (key, message)| o.string(key, message));
        Object::new().raw("errors", &errors.finish()).finish()
    }

    /// Reads what [`FieldErrors::to_json`] writes.
    pub fn read(text: &str) -> Result<FieldErrors, Malformed> {
        let json = parse(text)?;
        let Json::Object(members) = member(&json, "errors")? else {
            return Err(Malformed("errors"));
        };
        let errors = members
            .iter()
            .map(|(key, message)| {
                let message = message.as_str().ok_or(Malformed("errors"))?;
                Ok((key.to_string(), message.to_owned()))
            })
            .collect::<Result<_, _>>()?;
        Ok(FieldErrors { errors })
    }
}

/// Where a message (咨询, 建议, 投诉, 求助) stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageStatus {
    /// 待审核: received, to be answered by `reply_by`, the last day of the
    /// county's reply period (`None` where the holiday calendar does not
    /// cover it).
    Received {
        /// The last day to reply.
        reply_by: Option<Date>,
    },
    /// 已答复.
    Replied,
    /// 不予受理, the reason given as the answer.
    Rejected,
}

/// Where a disclosure request stands by its statutory clock, with the
/// dates that matter to the applicant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestStatus {
    /// 待确认: sent online, not yet confirmed; the clock has not started.
    Unconfirmed,
    /// 办理中: the clock runs.
    InProgress {
        /// The day it counts as received in law.
        received: Date,
        /// The reply's due date.
        due: Date,
        /// Whether the due date was extended.
        extended: bool,
    },
    /// 待补正: the clock stops until the clarification arrives.
    AwaitingClarification {
        /// The day it counts as received in law.
        received: Date,
        /// The last day to send the clarification.
        clarify_by: Date,
    },
    /// 征求意见中: a third party is consulted; those days do not count, so
    /// the due date moves on when its opinion arrives.
    Consulting {
        /// The day it counts as received in law.
        received: Date,
        /// The due date without the consultation's days.
        due: Date,
        /// Whether the due date was extended.
        extended: bool,
    },
    /// 已答复: decided, with its legal outcome.
    Decided {
        /// The day it counts as received in law.
        received: Date,
        /// The decision's day.
        decided: Date,
        /// The outcome.
        outcome: Outcome,
    },
    /// 办理中, but its dates cannot be worked out now: the holiday calendar
    /// lacks a year they fall in, or its history was recorded by another
    /// version (the receiver logs which).
    Undated,
    /// Answered before it had a history, by an earlier version's `reply` or
    /// `reject`: the answer stands, without dates.
    AnsweredBefore {
        /// Whether it was declined (不予受理) rather than replied to.
        rejected: bool,
    },
}

impl RequestStatus {
    /// Where the clock says the request stands; [`RequestStatus::Undated`]
    /// if the clock lacks a date its status has.
    pub fn of(clock: &Clock) -> RequestStatus {
        let status = match clock.status {
            case::Status::Unconfirmed => Some(RequestStatus::Unconfirmed),
            case::Status::InProgress => {
                clock
                    .received
                    .zip(clock.due)
                    .map(|(received, due)| RequestStatus::InProgress {
                        received,
                        due,
                        extended: clock.extended,
                    })
            }
            case::Status::AwaitingClarification => {
                clock
                    .received
                    .zip(clock.clarify_by)
                    .map(
                        |(received, clarify_by)| RequestStatus::AwaitingClarification {
                            received,
                            clarify_by,
                        },
                    )
            }
            case::Status::Consulting => {
                clock
                    .received
                    .zip(clock.due)
                    .map(|(received, due)| RequestStatus::Consulting {
                        received,
                        due,
                        extended: clock.extended,
                    })
            }
            case::Status::Decided => {
                clock
                    .received
                    .zip(clock.decided)
                    .map(|(received, (decided, outcome))| RequestStatus::Decided {
                        received,
                        decided,
                        outcome,
                    })
            }
        };
        status.unwrap_or(RequestStatus::Undated)
    }
}

/// Where a submission stands: a message's status or a request's, each
/// with the dates of its own lifecycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// A message.
    Message(MessageStatus),
    /// A disclosure request.
    Request(RequestStatus),
}

impl Progress {
    /// The status's code on the wire.
    pub fn code(&self) -> &'static str {
        match self {
            Progress::Message(MessageStatus::Received { .. }) => "received",
            Progress::Message(MessageStatus::Replied)
            | Progress::Request(RequestStatus::AnsweredBefore { rejected: false }) => "replied",
            Progress::Message(MessageStatus::Rejected)
            | Progress::Request(RequestStatus::AnsweredBefore { rejected: true }) => "rejected",
            Progress::Request(RequestStatus::Undated) => "undated",
            Progress::Request(status) => status.clock_status().code(),
        }
    }

    /// Its name, as the citizen reads it.
    pub fn label(&self) -> &'static str {
        match self {
            Progress::Message(MessageStatus::Received { .. }) => "待审核",
            Progress::Message(MessageStatus::Replied)
            | Progress::Request(RequestStatus::AnsweredBefore { rejected: false }) => "已答复",
            Progress::Message(MessageStatus::Rejected)
            | Progress::Request(RequestStatus::AnsweredBefore { rejected: true }) => "不予受理",
            Progress::Request(status) => status.clock_status().label(),
        }
    }

    /// Whether it is answered (replied to, declined or decided).
    pub fn answered(&self) -> bool {
        matches!(
            self,
            Progress::Message(MessageStatus::Replied | MessageStatus::Rejected)
                | Progress::Request(
                    RequestStatus::Decided { .. } | RequestStatus::AnsweredBefore { .. }
                )
        )
    }

    fn to_json(self) -> String {
        let o = Object::new()
            .string("status", self.code())
            .string("label", self.label());
        let day = |d: Date| d.to_string();
        let o = match self {
            Progress::Message(MessageStatus::Received { reply_by }) => {
                o.optional_string("reply_by", reply_by.map(day).as_deref())
            }
            Progress::Request(
                RequestStatus::InProgress {
                    received,
                    due,
                    extended,
                }
                | RequestStatus::Consulting {
                    received,
                    due,
                    extended,
                },
            ) => o
                .string("received", &day(received))
                .string("due", &day(due))
                .boolean("extended", extended),
            Progress::Request(RequestStatus::AwaitingClarification {
                received,
                clarify_by,
            }) => o
                .string("received", &day(received))
                .string("clarify_by", &day(clarify_by)),
            Progress::Request(RequestStatus::Decided {
                received,
                decided,
                outcome,
            }) => o
                .string("received", &day(received))
                .string("decided", &day(decided))
                .string("outcome", &outcome.code())
                .string("outcome_label", &outcome.label()),
            _ => o,
        };
        o.finish()
    }

    /// Reads a submission of `kind`'s progress: a message's statuses for a
    /// message, a request's for a request.
    fn read(json: &Json, kind: Kind) -> Result<Progress, Malformed> {
        let status = text(json, "status")?;
        let wrong = Err(Malformed("status"));
        if kind != Kind::DisclosureRequest {
            return Ok(Progress::Message(match status.as_str() {
                "received" => MessageStatus::Received {
                    reply_by: optional_date(json, "reply_by")?,
                },
                "replied" => MessageStatus::Replied,
                "rejected" => MessageStatus::Rejected,
                _ => return wrong,
            }));
        }
        let received = || date(json, "received");
        Ok(Progress::Request(match status.as_str() {
            "unconfirmed" => RequestStatus::Unconfirmed,
            "in-progress" => RequestStatus::InProgress {
                received: received()?,
                due: date(json, "due")?,
                extended: boolean(json, "extended")?,
            },
            "awaiting-clarification" => RequestStatus::AwaitingClarification {
                received: received()?,
                clarify_by: date(json, "clarify_by")?,
            },
            "consulting" => RequestStatus::Consulting {
                received: received()?,
                due: date(json, "due")?,
                extended: boolean(json, "extended")?,
            },
            "decided" => RequestStatus::Decided {
                received: received()?,
                decided: date(json, "decided")?,
                outcome: Outcome::from_code(&text(json, "outcome")?)
                    .map_err(|_| Malformed("outcome"))?,
            },
            "undated" => RequestStatus::Undated,
            "replied" => RequestStatus::AnsweredBefore { rejected: false },
            "rejected" => RequestStatus::AnsweredBefore { rejected: true },
            _ => return wrong,
        }))
    }
}

impl RequestStatus {
    /// The clock's status this one shows (办理中 for the ones without a
    /// clock that are not answered).
    fn clock_status(self) -> case::Status {
        match self {
            RequestStatus::Unconfirmed => case::Status::Unconfirmed,
            RequestStatus::InProgress { .. } | RequestStatus::Undated => case::Status::InProgress,
            RequestStatus::AwaitingClarification { .. } => case::Status::AwaitingClarification,
            RequestStatus::Consulting { .. } => case::Status::Consulting,
            RequestStatus::Decided { .. } | RequestStatus::AnsweredBefore { .. } => {
                case::Status::Decided
            }
        }
    }
}

/// A lookup code as typed (`abcd-efgh jkmn`, or in full-width letters
/// and digits from a Chinese input method, ＡＢＣＤ) in the form it is
/// stored in: upper case, without spaces and dashes. The form and the
/// receiver read a typed code with this one rule.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// What the holder of a lookup code sees of a submission: never the name,
/// phone, email, address, identity document or text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lookup {
    /// The lookup code.
    pub code: String,
    /// The kind.
    pub kind: Kind,
    /// Where it stands.
    pub progress: Progress,
    /// The reply, the reason it was declined, or the decision's text.
    pub answer: Option<String>,
    /// When it was sent, in seconds since 1970.
    pub received_at: i64,
    /// When the answer was recorded, in seconds since 1970.
    pub answered_at: Option<i64>,
}

impl Lookup {
    /// `{"code", "kind", "progress": {...}, "answer", "received_at",
    /// "answered_at"}`.
    pub fn to_json(&self) -> String {
        Object::new()
            .string("code", &self.code)
            .string("kind", self.kind.code())
            .raw("progress", &self.progress.to_json())
            .optional_string("answer", self.answer.as_deref())
            .integer("received_at", self.received_at)
            .optional_integer("answered_at", self.answered_at)
            .finish()
    }

    /// Reads what [`Lookup::to_json`] writes.
    pub fn read(text: &str) -> Result<Lookup, Malformed> {
        let json = parse(text)?;
        let kind = kind(&json)?;
        Ok(Lookup {
            code: self::text(&json, "code")?,
            kind,
            progress: Progress::read(member(&json, "progress")?, kind)?,
            answer: optional_text(&json, "answer")?,
            received_at: integer(&json, "received_at")?,
            answered_at: optional_integer(&json, "answered_at")?,
        })
    }
}

/// An answered submission whose author agreed to publication: its subject
/// and the answer, never its code or anything personal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicReply {
    /// The kind.
    pub kind: Kind,
    /// The subject.
    pub subject: String,
    /// The answer.
    pub answer: String,
    /// When it was sent, in seconds since 1970.
    pub received_at: i64,
    /// When it was answered, in seconds since 1970.
    pub answered_at: i64,
}

impl PublicReply {
    /// `{"kind", "subject", "answer", "received_at", "answered_at"}`.
    pub fn to_json(&self) -> String {
        Object::new()
            .string("kind", self.kind.code())
            .string("subject", &self.subject)
            .string("answer", &self.answer)
            .integer("received_at", self.received_at)
            .integer("answered_at", self.answered_at)
            .finish()
    }

    fn read(json: &Json) -> Result<PublicReply, Malformed> {
        Ok(PublicReply {
            kind: kind(json)?,
            subject: text(json, "subject")?,
            answer: text(json, "answer")?,
            received_at: integer(json, "received_at")?,
            answered_at: integer(json, "answered_at")?,
        })
    }
}

/// How a year's submissions of one kind fared. Counted by the day each
/// was sent: of the ones sent that year, how many are answered, how many
/// were answered on time, and in how many working days.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    /// Sent that year (suspected ones left out).
    pub received: u32,
    /// Of those, answered.
    pub answered: u32,
    /// Of those, answered on time: a message within the reply period; a
    /// request decided by its due date.
    pub on_time: u32,
    /// Working days from sending to the answer that at least half of the
    /// answered ones took at most (the lower median); `None` before the
    /// first answer.
    pub median_working_days: Option<u32>,
}

impl Figures {
    /// Answered, per mille of received (rounded down); `None` when nothing
    /// was received: a rate of nothing is not 100%.
    pub fn answered_per_mille(&self) -> Option<u32> {
        per_mille(self.answered, self.received)
    }

    /// Answered on time, per mille of received (rounded down); `None` when
    /// nothing was received.
    pub fn on_time_per_mille(&self) -> Option<u32> {
        per_mille(self.on_time, self.received)
    }

    fn to_json(self) -> String {
        Object::new()
            .integer("received", self.received.into())
            .integer("answered", self.answered.into())
            .integer("on_time", self.on_time.into())
            .optional_integer(
                "median_working_days",
                self.median_working_days.map(i64::from),
            )
            .finish()
    }

    fn read(json: &Json) -> Result<Figures, Malformed> {
        Ok(Figures {
            received: count(json, "received")?,
            answered: count(json, "answered")?,
            on_time: count(json, "on_time")?,
            median_working_days: optional_integer(json, "median_working_days")?
                .map(|d| u32::try_from(d).map_err(|_| Malformed("median_working_days")))
                .transpose()?,
        })
    }
}

fn per_mille(part: u32, whole: u32) -> Option<u32> {
    (whole > 0).then(|| (u64::from(part) * 1000 / u64::from(whole)) as u32)
}

/// One year's figures: messages and disclosure requests apart, and each
/// kind of message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearFigures {
    /// The year (Beijing time).
    pub year: u16,
    /// Every message.
    pub messages: Figures,
    /// Disclosure requests.
    pub requests: Figures,
    /// Each kind of message, in [`MESSAGE_KINDS`]'s order.
    pub by_kind: [Figures; 4],
}

impl YearFigures {
    /// A year with nothing sent.
    pub fn empty(year: u16) -> YearFigures {
        YearFigures {
            year,
            messages: Figures::default(),
            requests: Figures::default(),
            by_kind: [Figures::default(); 4],
        }
    }

    fn to_json(&self) -> String {
        let by_kind = MESSAGE_KINDS
            .iter()
            .zip(self.by_kind)
            .fold(Object::new(), |o, (kind, figures)| {
                o.raw(kind.code(), &figures.to_json())
            });
        Object::new()
            .integer("year", self.year.into())
            .raw("messages", &self.messages.to_json())
            .raw("requests", &self.requests.to_json())
            .raw("by_kind", &by_kind.finish())
            .finish()
    }

    fn read(json: &Json) -> Result<YearFigures, Malformed> {
        let by_kind = member(json, "by_kind")?;
        let mut kinds = [Figures::default(); 4];
        for (kind, figures) in MESSAGE_KINDS.iter().zip(&mut kinds) {
            *figures = Figures::read(by_kind.get(kind.code()).ok_or(Malformed("by_kind"))?)?;
        }
        Ok(YearFigures {
            year: u16::try_from(integer(json, "year")?).map_err(|_| Malformed("year"))?,
            messages: Figures::read(member(json, "messages")?)?,
            requests: Figures::read(member(json, "requests")?)?,
            by_kind: kinds,
        })
    }
}

/// The public statistics: the reply period of messages, and each year's
/// figures, newest first, the current year (Beijing time) always first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statistics {
    /// The county's reply period for messages, in working days
    /// (`xxgk-server serve --reply-days`).
    pub reply_days: u32,
    /// Each year from the current one back to the first with a submission,
    /// newest first; years with nothing sent are left out, but for the
    /// current one.
    pub years: Vec<YearFigures>,
}

/// One submission as the statistics count it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counted<'a> {
    /// Its kind.
    pub kind: Kind,
    /// The day it was sent (Beijing time).
    pub sent: Date,
    /// Whether and when it was answered.
    pub answer: Answer,
    /// The working days of its site, which its wait is counted in.
    pub calendar: &'a Calendar,
}

/// Whether and when a submission was answered, as the statistics judge it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Not yet.
    Open,
    /// Answered on this day: a message replied to or declined, or a
    /// request answered before it had a history (judged by the statutory
    /// 20 working days from sending).
    On(Date),
    /// A request decided by its clock on the decision's day in law, with
    /// its due date then (`None` when the clock had stopped for a
    /// clarification that never came: no period was running).
    Decided {
        /// The decision's day.
        on: Date,
        /// The due date then.
        due: Option<Date>,
    },
}

impl Statistics {
    /// Counts `submissions` by the year each was sent, for a county whose
    /// reply period for messages is `reply_days` working days, in
    /// `this_year`, each in its own site's working days. A submission
    /// whose days its calendar does not cover is counted as received and
    /// answered, but neither on time nor in the median; the first such
    /// year is given back for the operator.
    pub fn count(
        submissions: &[Counted],
        reply_days: u32,
        this_year: u16,
    ) -> (Statistics, Option<Uncovered>) {
        let mut uncovered = None;
        // Each year's figures, and the working days each answer took: of
        // messages, requests, then each kind of message.
        let mut years: Vec<(YearFigures, [Vec<u32>; 6])> = Vec::new();
        fn at(years: &mut Vec<(YearFigures, [Vec<u32>; 6])>, year: u16) -> usize {
            years
                .iter()
                .position(|(y, _)| y.year == year)
                .unwrap_or_else(|| {
                    years.push((YearFigures::empty(year), Default::default()));
                    years.len() - 1
                })
        }
        at(&mut years, this_year);
        for s in submissions {
            let i = at(&mut years, s.sent.year());
            let (figures, waits) = &mut years[i];
            // The figures it counts in, and where their waits are kept.
            let slots: Vec<(&mut Figures, usize)> = if s.kind == Kind::DisclosureRequest {
                vec![(&mut figures.requests, 1)]
            } else {
                let n = MESSAGE_KINDS.iter().position(|k| *k == s.kind).unwrap_or(0);
                vec![(&mut figures.messages, 0), (&mut figures.by_kind[n], 2 + n)]
            };
            let judged = match s.answer {
                Answer::Open => None,
                Answer::On(on) => {
                    let period = if s.kind == Kind::DisclosureRequest {
                        REPLY_DAYS
                    } else {
                        reply_days
                    };
                    Some((on, s.calendar.add_working_days(s.sent, period).map(Some)))
                }
                Answer::Decided { on, due } => Some((on, Ok(due))),
            };
            let judged = judged.map(|(on, due)| {
                let wait = s.calendar.working_days_between(s.sent, on);
                let on_time = due.map(|due| due.is_none_or(|due| on <= due));
                if let Err(e) = wait.and(on_time) {
                    uncovered.get_or_insert(e);
                }
                (wait.ok(), on_time.unwrap_or(false))
            });
            for (figures, slot) in slots {
                figures.received += 1;
                if let Some((wait, on_time)) = judged {
                    figures.answered += 1;
                    figures.on_time += u32::from(on_time);
                    waits[slot].extend(wait);
                }
            }
        }
        let mut years: Vec<YearFigures> = years
            .into_iter()
            .map(|(mut figures, mut waits)| {
                for w in &mut waits {
                    w.sort_unstable();
                }
                let median = |w: &Vec<u32>| w.get(w.len().saturating_sub(1) / 2).copied();
                figures.messages.median_working_days = median(&waits[0]);
                figures.requests.median_working_days = median(&waits[1]);
                for (n, f) in figures.by_kind.iter_mut().enumerate() {
                    f.median_working_days = median(&waits[2 + n]);
                }
                figures
            })
            .collect();
        years.sort_by_key(|y| std::cmp::Reverse(y.year));
        // A submission dated after this year (a clock set wrong) is not
        // put before it.
        years.retain(|y| y.year <= this_year);
        (Statistics { reply_days, years }, uncovered)
    }

    /// `{"reply_days", "years": [...]}`.
    pub fn to_json(&self) -> String {
        Object::new()
            .integer("reply_days", self.reply_days.into())
            .raw(
                "years",
                &json::array(self.years.iter().map(YearFigures::to_json)),
            )
            .finish()
    }

    fn read(json: &Json) -> Result<Statistics, Malformed> {
        let Json::Array(years) = member(json, "years")? else {
            return Err(Malformed("years"));
        };
        Ok(Statistics {
            reply_days: count(json, "reply_days")?,
            years: years
                .iter()
                .map(YearFigures::read)
                .collect::<Result<_, _>>()?,
        })
    }
}

/// The public list: answered submissions whose authors agreed to
/// publication, newest answer first, and the statistics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replies {
    /// The replies (at most 100).
    pub items: Vec<PublicReply>,
    /// The statistics.
    pub stats: Statistics,
}

impl Replies {
    /// `{"items": [...], "stats": {...}}`.
    pub fn to_json(&self) -> String {
        Object::new()
            .raw(
                "items",
                &json::array(self.items.iter().map(PublicReply::to_json)),
            )
            .raw("stats", &self.stats.to_json())
            .finish()
    }

    /// Reads what [`Replies::to_json`] writes.
    pub fn read(text: &str) -> Result<Replies, Malformed> {
        let json = parse(text)?;
        let Json::Array(items) = member(&json, "items")? else {
            return Err(Malformed("items"));
        };
        Ok(Replies {
            items: items
                .iter()
                .map(PublicReply::read)
                .collect::<Result<_, _>>()?,
            stats: Statistics::read(member(&json, "stats")?)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    static BUILTIN: std::sync::LazyLock<Calendar> = std::sync::LazyLock::new(Calendar::builtin);

    fn sent(kind: Kind, on: &str, answer: Answer) -> Counted<'static> {
        Counted {
            kind,
            sent: date(on),
            answer,
            calendar: &BUILTIN,
        }
    }

    #[test]
    fn a_field_with_several_errors_is_named_once_with_its_first() {
        use crate::submission::{Field, FieldError, Problem};
        let errors = [
            FieldError {
                field: Field::Kind,
                problem: Problem::NotText,
            },
            FieldError {
                field: Field::Kind,
                problem: Problem::Unchosen,
            },
            FieldError {
                field: Field::Subject,
                problem: Problem::Missing,
            },
        ];
        let json = FieldErrors::of(&errors).to_json();
        assert_eq!(json.matches("\"kind\"").count(), 1, "{json}");
        assert!(json.contains("类型应为文字。") && !json.contains("请选择类型。"));
        assert_eq!(FieldErrors::read(&json).unwrap().errors.len(), 2);
    }

    #[test]
    fn nothing_received_gives_no_rate_and_says_so() {
        let (stats, uncovered) = Statistics::count(&[], 15, 2024);
        assert_eq!(uncovered, None);
        assert_eq!(stats.years, [YearFigures::empty(2024)]);
        assert_eq!(stats.years[0].messages.answered_per_mille(), None);
        assert_eq!(stats.years[0].requests.on_time_per_mille(), None);
    }

    #[test]
    fn messages_and_requests_are_counted_apart_per_year_in_working_days() {
        let calendar = Calendar::builtin();
        // Sent Friday 27 September 2024: the 15th working day after is
        // 23 October (29, 30 September; 8-12 October, Saturday 12th
        // worked; 14-18; 21-23).
        assert_eq!(
            calendar.add_working_days(date("2024-09-27"), 15),
            Ok(date("2024-10-23"))
        );
        let submissions = [
            sent(
                Kind::Complaint,
                "2024-09-27",
                Answer::On(date("2024-10-23")),
            ),
            sent(
                Kind::Complaint,
                "2024-09-27",
                Answer::On(date("2024-10-24")),
            ),
            sent(Kind::Help, "2024-09-27", Answer::On(date("2024-09-30"))),
            sent(Kind::Suggestion, "2024-11-01", Answer::Open),
            sent(
                Kind::DisclosureRequest,
                "2024-09-26",
                Answer::Decided {
                    on: date("2024-10-30"),
                    due: Some(date("2024-10-30")),
                },
            ),
            sent(
                Kind::DisclosureRequest,
                "2024-09-26",
                Answer::Decided {
                    on: date("2024-10-31"),
                    due: Some(date("2024-10-30")),
                },
            ),
            sent(Kind::DisclosureRequest, "2024-12-02", Answer::Open),
            sent(Kind::Consultation, "2023-05-05", Answer::Open),
        ];
        let (stats, uncovered) = Statistics::count(&submissions, 15, 2025);
        assert_eq!(uncovered, None);
        let years: Vec<u16> = stats.years.iter().map(|y| y.year).collect();
        assert_eq!(years, [2025, 2024, 2023], "newest first, this year always");
        let y = &stats.years[1];
        assert_eq!(
            y.messages,
            Figures {
                received: 4,
                answered: 3,
                on_time: 2,
                // 2, 15 and 16 working days: at least half within 15.
                median_working_days: Some(15),
            }
        );
        assert_eq!(y.messages.answered_per_mille(), Some(750));
        assert_eq!(
            y.requests,
            Figures {
                received: 3,
                answered: 2,
                on_time: 1,
                // 21 and 22 working days from sending (the 27th counted).
                median_working_days: Some(21),
            }
        );
        let complaints = y.by_kind[MESSAGE_KINDS
            .iter()
            .position(|k| *k == Kind::Complaint)
            .unwrap()];
        assert_eq!((complaints.received, complaints.on_time), (2, 1));
        assert_eq!(
            (
                y.messages.answered_per_mille(),
                y.requests.answered_per_mille()
            ),
            (Some(750), Some(666))
        );
        assert_eq!(stats.years[0], YearFigures::empty(2025), "this year first");
    }

    #[test]
    fn a_request_dropped_after_a_lapsed_clarification_was_not_late_and_an_old_reply_has_twenty_days(
    ) {
        let submissions = [
            sent(
                Kind::DisclosureRequest,
                "2024-09-27",
                Answer::Decided {
                    on: date("2024-12-20"),
                    due: None,
                },
            ),
            // Answered by `reply` before it had a history: 20 working
            // days from sending, 30 October.
            sent(
                Kind::DisclosureRequest,
                "2024-09-27",
                Answer::On(date("2024-10-30")),
            ),
            sent(
                Kind::DisclosureRequest,
                "2024-09-27",
                Answer::On(date("2024-10-31")),
            ),
        ];
        let (stats, _) = Statistics::count(&submissions, 15, 2024);
        assert_eq!(stats.years[0].requests.on_time, 2);
        assert_eq!(stats.years[0].requests.answered, 3);
        assert_eq!(stats.years[0].requests.median_working_days, Some(21));
    }

    #[test]
    fn days_the_calendar_does_not_cover_are_left_out_of_the_judgement_and_named() {
        let submissions = [sent(
            Kind::Complaint,
            "2026-12-28",
            Answer::On(date("2026-12-30")),
        )];
        let (stats, uncovered) = Statistics::count(&submissions, 15, 2026);
        assert_eq!(uncovered, Some(Uncovered { year: 2027 }));
        let m = stats.years[0].messages;
        assert_eq!((m.received, m.answered, m.on_time), (1, 1, 0));
        assert_eq!(m.median_working_days, Some(2));
    }

    #[test]
    fn each_submission_is_counted_in_its_own_site_s_working_days() {
        // A site that gives 2024-11-05 and 06 off locally: its message
        // answered on the 8th waited 2 working days, not 4, and was on
        // time with a 2-day period where the receiver's would not be.
        let mut local = Calendar::builtin();
        local.add("2024-11-05..2024-11-06 off 本地节日").unwrap();
        let of_site = Counted {
            calendar: &local,
            ..sent(Kind::Help, "2024-11-04", Answer::On(date("2024-11-08")))
        };
        let (stats, _) = Statistics::count(&[of_site], 2, 2024);
        let m = stats.years[0].messages;
        assert_eq!((m.median_working_days, m.on_time), (Some(2), 1));
        let plain = sent(Kind::Help, "2024-11-04", Answer::On(date("2024-11-08")));
        let (stats, _) = Statistics::count(&[plain], 2, 2024);
        let m = stats.years[0].messages;
        assert_eq!((m.median_working_days, m.on_time), (Some(4), 0));
    }

    #[test]
    fn the_lower_median_is_a_number_of_days_at_least_half_were_answered_within() {
        let on = |d: &str| sent(Kind::Help, "2024-11-04", Answer::On(date(d)));
        // 1, 2, 3 and 4 working days.
        let four = [
            on("2024-11-05"),
            on("2024-11-06"),
            on("2024-11-07"),
            on("2024-11-08"),
        ];
        let (stats, _) = Statistics::count(&four, 15, 2024);
        assert_eq!(stats.years[0].messages.median_working_days, Some(2));
        let (stats, _) = Statistics::count(&four[..3], 15, 2024);
        assert_eq!(stats.years[0].messages.median_working_days, Some(2));
        // Answered the day it was sent.
        let (stats, _) = Statistics::count(&[on("2024-11-04")], 15, 2024);
        assert_eq!(stats.years[0].messages.median_working_days, Some(0));
    }

    #[test]
    fn a_request_s_status_comes_from_its_clock() {
        let calendar = Calendar::builtin();
        let event = |on: &str, action| case::Event {
            on: date(on),
            action,
        };
        let confirmed = vec![event("2024-09-27", case::Action::Confirm)];
        let clock = Clock::of(&confirmed, &calendar).unwrap();
        assert_eq!(
            RequestStatus::of(&clock),
            RequestStatus::InProgress {
                received: date("2024-09-27"),
                due: date("2024-10-30"),
                extended: false
            }
        );
        assert_eq!(RequestStatus::of(&Clock::new()), RequestStatus::Unconfirmed);
        let mut decided = confirmed.clone();
        let outcome = Outcome::from_code("refused-4").unwrap();
        decided.push(event("2024-10-20", case::Action::Decide(outcome)));
        let clock = Clock::of(&decided, &calendar).unwrap();
        let status = RequestStatus::of(&clock);
        assert_eq!(
            status,
            RequestStatus::Decided {
                received: date("2024-09-27"),
                decided: date("2024-10-20"),
                outcome
            }
        );
        assert_eq!(Progress::Request(status).label(), "已答复");
        assert_eq!(Progress::Request(status).code(), "decided");
        // A clock missing a date its status needs shows no dates.
        let broken = Clock {
            due: None,
            ..Clock::of(&confirmed, &calendar).unwrap()
        };
        assert_eq!(RequestStatus::of(&broken), RequestStatus::Undated);
    }

    #[test]
    fn a_message_status_is_not_read_for_a_request_nor_the_other_way() {
        let message = Lookup {
            code: "ABCDEFGHJKMN".into(),
            kind: Kind::Complaint,
            progress: Progress::Message(MessageStatus::Received {
                reply_by: Some(date("2024-10-23")),
            }),
            answer: None,
            received_at: 1_727_400_000,
            answered_at: None,
        };
        assert_eq!(Lookup::read(&message.to_json()), Ok(message.clone()));
        let as_request = message
            .to_json()
            .replace("\"complaint\"", "\"disclosure_request\"");
        assert_eq!(Lookup::read(&as_request), Err(Malformed("status")));
        let request = Lookup {
            kind: Kind::DisclosureRequest,
            progress: Progress::Request(RequestStatus::Unconfirmed),
            ..message
        };
        let as_message = request
            .to_json()
            .replace("\"disclosure_request\"", "\"help\"");
        assert_eq!(Lookup::read(&as_message), Err(Malformed("status")));
        assert_eq!(Lookup::read("not json"), Err(Malformed("JSON")));
        assert_eq!(Lookup::read("{}"), Err(Malformed("kind")));
    }
}
