//! The statutory clock of a disclosure request (Art. 30-33 of the 2019
//! Regulations), worked out from what staff have done with it: every
//! action is an event appended to the case, never an overwrite, and where
//! the case stands (its status, received and due dates, decision) is
//! computed from the events with the working-day calendar.
//!
//! - **confirm** (确认受理) on a day: the request counts as received that
//!   day (Art. 31: an online request, when both sides have confirmed it);
//!   the reply is due 20 working days later (Art. 33).
//! - **clarify** (告知补正): the clock stops until the applicant answers,
//!   within the period the notice gives; **clarified** (补正到达): the
//!   request counts as received again that day, and the 20 days start
//!   over. No answer in the period: the case is decided 其他处理 (逾期不补正).
//! - **extend** (延期): once, by at most 20 working days, with the
//!   approver named.
//! - **consult** / **consulted** (征求第三方意见): the days between do not
//!   count (Art. 32).
//! - **decide** (作出答复): the outcome, on a day.
//! - **review** / **reviewed** (行政复议、行政诉讼): the applicant
//!   challenges the decision (or a request left unanswered past its due
//!   date), and later the result; counted in table 四 of the annual
//!   report. They change neither the status nor the dates.

use crate::calendar::{Calendar, Uncovered};
use crate::outcome::Outcome;
use crate::Date;
use std::fmt;

/// Working days to reply (Art. 33).
pub const REPLY_DAYS: u32 = 20;
/// Working days an extension adds, at most.
pub const EXTENSION_DAYS: u32 = 20;
/// Working days after receipt within which clarification is asked for
/// (Art. 30).
pub const CLARIFY_WITHIN: u32 = 7;
/// The longest clarification period given, in working days: the clock
/// stops meanwhile, and a typo (150 for 15) must not stop it for months.
pub const CLARIFY_DAYS_MOST: u32 = 30;
/// Working days before the due date from which a case is flagged as
/// near its due date.
pub const NEAR_DUE: u32 = 5;

/// What staff did, on which day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// 确认受理: received in law on this day.
    Confirm,
    /// 告知补正, the applicant given this many working days to answer.
    Clarify {
        /// The period given.
        days: u32,
    },
    /// 补正到达: the clarified request arrived.
    Clarified,
    /// 延期, approved by this person.
    Extend {
        /// Who approved it (the head of the disclosure office).
        approved_by: String,
        /// By how many working days: at most [`EXTENSION_DAYS`].
        days: u32,
    },
    /// 征求第三方意见 sent.
    Consult,
    /// 第三方意见 received (or its period ended).
    Consulted,
    /// 作出答复.
    Decide(Outcome),
    /// 行政复议 or 行政诉讼 brought against the decision (or the silence).
    Review(Review),
    /// Its result.
    Reviewed(Review, Verdict),
}

/// How a decision is challenged: the three groups of table 四.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Review {
    /// 行政复议.
    Reconsideration,
    /// 行政诉讼, 未经复议直接起诉.
    Lawsuit,
    /// 行政诉讼, 复议后起诉.
    LawsuitAfterReconsideration,
}

impl Review {
    /// The three, in table 四's order.
    pub const ALL: [Review; 3] = [
        Review::Reconsideration,
        Review::Lawsuit,
        Review::LawsuitAfterReconsideration,
    ];

    /// The code kept and typed.
    pub fn code(self) -> &'static str {
        match self {
            Review::Reconsideration => "reconsideration",
            Review::Lawsuit => "lawsuit",
            Review::LawsuitAfterReconsideration => "lawsuit-after-reconsideration",
        }
    }

    /// Reads [`Review::code`].
    pub fn from_code(code: &str) -> Option<Review> {
        Review::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Its name.
    pub fn label(self) -> &'static str {
        match self {
            Review::Reconsideration => "行政复议",
            Review::Lawsuit => "行政诉讼（未经复议直接起诉）",
            Review::LawsuitAfterReconsideration => "行政诉讼（复议后起诉）",
        }
    }
}

/// How a review or lawsuit ended: table 四's columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// 结果维持.
    Upheld,
    /// 结果纠正.
    Corrected,
    /// 其他结果 (withdrawn, dismissed on procedure, settled).
    Other,
}

impl Verdict {
    /// The three, in table 四's order.
    pub const ALL: [Verdict; 3] = [Verdict::Upheld, Verdict::Corrected, Verdict::Other];

    /// The code kept and typed.
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Upheld => "upheld",
            Verdict::Corrected => "corrected",
            Verdict::Other => "other",
        }
    }

    /// Reads [`Verdict::code`].
    pub fn from_code(code: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.code() == code)
    }

    /// Its name.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Upheld => "结果维持",
            Verdict::Corrected => "结果纠正",
            Verdict::Other => "其他结果",
        }
    }
}

/// A review or lawsuit on a case: when it was brought, and its result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Challenge {
    /// Which.
    pub review: Review,
    /// The day it was brought.
    pub brought: Date,
    /// The day of its result, and the result.
    pub result: Option<(Date, Verdict)>,
}

impl Action {
    /// The action's code, as kept with the event.
    pub fn code(&self) -> &'static str {
        match self {
            Action::Confirm => "confirm",
            Action::Clarify { .. } => "clarify",
            Action::Clarified => "clarified",
            Action::Extend { .. } => "extend",
            Action::Consult => "consult",
            Action::Consulted => "consulted",
            Action::Decide(_) => "decide",
            Action::Review(_) => "review",
            Action::Reviewed(..) => "reviewed",
        }
    }

    /// What is kept with the code: the days given to clarify, the
    /// approver, or the outcome's code; empty for the others.
    pub fn detail(&self) -> String {
        match self {
            Action::Clarify { days } => days.to_string(),
            // The approver alone when by the full 20 days (as kept before
            // shorter extensions were possible), else the days first.
            Action::Extend { approved_by, days } if *days == EXTENSION_DAYS => {
                approved_by.trim().to_owned()
            }
            Action::Extend { approved_by, days } => format!("{days} {}", approved_by.trim()),
            Action::Decide(outcome) => outcome.code(),
            Action::Review(review) => review.code().to_owned(),
            Action::Reviewed(review, verdict) => format!("{} {}", review.code(), verdict.code()),
            _ => String::new(),
        }
    }

    /// The action kept as [`Action::code`] and [`Action::detail`]; `None`
    /// if they do not read as one (written by another version).
    pub fn from_kept(code: &str, detail: &str) -> Option<Action> {
        Some(match code {
            "confirm" => Action::Confirm,
            "clarify" => Action::Clarify {
                days: detail.parse().ok()?,
            },
            "clarified" => Action::Clarified,
            "extend" => {
                let shorter = detail
                    .split_once(' ')
                    .and_then(|(days, name)| Some((days.parse().ok()?, name)))
                    .filter(|(days, _)| (1..EXTENSION_DAYS).contains(days));
                let (days, approved_by) = shorter.unwrap_or((EXTENSION_DAYS, detail));
                Action::Extend {
                    approved_by: approved_by.to_owned(),
                    days,
                }
            }
            "consult" => Action::Consult,
            "consulted" => Action::Consulted,
            "decide" => Action::Decide(Outcome::from_code(detail).ok()?),
            "review" => Action::Review(Review::from_code(detail)?),
            "reviewed" => {
                let (review, verdict) = detail.split_once(' ')?;
                Action::Reviewed(Review::from_code(review)?, Verdict::from_code(verdict)?)
            }
            _ => return None,
        })
    }

    /// Its name for staff and in the history.
    pub fn label(&self) -> &'static str {
        match self {
            Action::Confirm => "确认受理",
            Action::Clarify { .. } => "告知补正",
            Action::Clarified => "补正到达",
            Action::Extend { .. } => "延期答复",
            Action::Consult => "征求第三方意见",
            Action::Consulted => "第三方意见到达",
            Action::Decide(_) => "作出答复",
            Action::Review(_) => "复议或诉讼",
            Action::Reviewed(..) => "复议或诉讼结果",
        }
    }
}

/// One action on a case, on the day it takes effect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The day.
    pub on: Date,
    /// What was done.
    pub action: Action,
}

/// Where a request stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// 待确认: sent online, not yet confirmed; the clock has not started.
    Unconfirmed,
    /// 办理中: the clock runs.
    InProgress,
    /// 待补正: waiting for the applicant's clarification; the clock stops.
    AwaitingClarification,
    /// 征求意见中: waiting for a third party; the days do not count.
    Consulting,
    /// 已答复: decided.
    Decided,
}

impl Status {
    /// The code on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Status::Unconfirmed => "unconfirmed",
            Status::InProgress => "in-progress",
            Status::AwaitingClarification => "awaiting-clarification",
            Status::Consulting => "consulting",
            Status::Decided => "decided",
        }
    }

    /// Its name, as the applicant and staff read it.
    pub fn label(self) -> &'static str {
        match self {
            Status::Unconfirmed => "待确认",
            Status::InProgress => "办理中",
            Status::AwaitingClarification => "待补正",
            Status::Consulting => "征求意见中",
            Status::Decided => "已答复",
        }
    }
}

/// Where a request stands, with the dates that matter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clock {
    /// Its status.
    pub status: Status,
    /// The day it counts as received (the latest clarified request's,
    /// after a clarification).
    pub received: Option<Date>,
    /// The day it was first confirmed: the annual report counts it as
    /// received that year, whatever clarification restarts the clock.
    pub first_received: Option<Date>,
    /// The reply's due date, extension and consultations included (`None`
    /// before confirmation, and while the clock stops for a
    /// clarification).
    pub due: Option<Date>,
    /// Whether it was extended.
    pub extended: bool,
    /// The last day to answer a clarification notice, while one is open.
    pub clarify_by: Option<Date>,
    /// The decision's day and outcome.
    pub decided: Option<(Date, Outcome)>,
    /// Reviews and lawsuits brought, in order.
    pub challenges: Vec<Challenge>,
    /// Since when a third party has been consulted, while one is.
    pub consulting_since: Option<Date>,
}

/// Working days a third party has to give its opinion (Art. 32); after
/// them the office decides without it.
pub const CONSULT_DAYS: u32 = 15;

/// What the annual report reads of a history, without the calendar: the
/// day it was first received, its decision, its reviews. The history was
/// checked against the clock when each event was appended, so this holds
/// for a year whose holiday arrangement the calendar does not have yet
/// (January's report on a request due in the new year).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counted {
    /// The day it was first confirmed.
    pub first_received: Option<Date>,
    /// The decision's day and outcome.
    pub decided: Option<(Date, Outcome)>,
    /// Reviews and lawsuits, in order.
    pub challenges: Vec<Challenge>,
}

impl Counted {
    /// Reads `events`, in the order they were recorded.
    pub fn of(events: &[Event]) -> Counted {
        let mut counted = Counted::default();
        for event in events {
            match event.action {
                Action::Confirm => {
                    counted.first_received.get_or_insert(event.on);
                }
                Action::Decide(outcome) => counted.decided = Some((event.on, outcome)),
                Action::Review(review) => counted.challenges.push(Challenge {
                    review,
                    brought: event.on,
                    result: None,
                }),
                Action::Reviewed(review, verdict) => {
                    if let Some(open) = counted
                        .challenges
                        .iter_mut()
                        .find(|c| c.review == review && c.result.is_none())
                    {
                        open.result = Some((event.on, verdict));
                    }
                }
                _ => {}
            }
        }
        counted
    }
}

/// What working the events out remembers besides the clock.
#[derive(Default)]
struct Seen {
    /// The previous event's day.
    last: Option<Date>,
    /// Since when a third party is being consulted.
    consulting_since: Option<Date>,
    /// Whether a clarification has arrived (it is asked for once).
    clarified: bool,
}

/// An action the case's state does not allow, said in plain words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotAllowed(pub String);

impl fmt::Display for NotAllowed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotAllowed {}

/// What working the clock out can meet: an action out of order, or a day
/// the calendar does not cover.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClockError {
    /// The action cannot follow the ones before it.
    NotAllowed(NotAllowed),
    /// A year without a holiday arrangement.
    Uncovered(Uncovered),
}

impl fmt::Display for ClockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClockError::NotAllowed(e) => e.fmt(f),
            ClockError::Uncovered(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ClockError {}

impl From<Uncovered> for ClockError {
    fn from(e: Uncovered) -> ClockError {
        ClockError::Uncovered(e)
    }
}

fn refuse<T>(text: String) -> Result<T, ClockError> {
    Err(ClockError::NotAllowed(NotAllowed(text)))
}

impl Clock {
    /// A request just sent: nothing done yet.
    pub fn new() -> Clock {
        Clock {
            status: Status::Unconfirmed,
            received: None,
            first_received: None,
            due: None,
            extended: false,
            clarify_by: None,
            decided: None,
            challenges: Vec::new(),
            consulting_since: None,
        }
    }

    /// The clock after `events`, in the order they were recorded.
    pub fn of(events: &[Event], calendar: &Calendar) -> Result<Clock, ClockError> {
        let mut clock = Clock::new();
        let mut seen = Seen::default();
        for event in events {
            clock.apply(event, calendar, &mut seen)?;
            seen.last = Some(event.on);
        }
        Ok(clock)
    }

    /// Whether `event` may follow (without changing anything): the
    /// check a command makes before it appends the event.
    pub fn allows(
        events: &[Event],
        event: &Event,
        calendar: &Calendar,
    ) -> Result<Clock, ClockError> {
        let mut all = events.to_vec();
        all.push(event.clone());
        Clock::of(&all, calendar)
    }

    fn apply(
        &mut self,
        event: &Event,
        calendar: &Calendar,
        seen: &mut Seen,
    ) -> Result<(), ClockError> {
        let on = event.on;
        // A challenge comes after the decision, which the checks below
        // refuse anything to follow.
        match event.action {
            Action::Review(review) => return self.challenge(on, review, None, seen),
            Action::Reviewed(review, verdict) => {
                return self.challenge(on, review, Some(verdict), seen)
            }
            _ => {}
        }
        if self.status == Status::Decided {
            return refuse(format!(
                "该申请已于 {} 答复，不能再{}。",
                self.decided.map(|d| d.0.to_string()).unwrap_or_default(),
                event.action.label()
            ));
        }
        if let Some(received) = self.received {
            if on < received {
                return refuse(format!(
                    "{} 的日期 {on} 早于受理日期 {received}。",
                    event.action.label()
                ));
            }
        }
        // The history runs forward: no action before the one recorded
        // before it (a late case must not be made to look on time).
        if let Some(last) = seen.last.filter(|&last| on < last) {
            return refuse(format!(
                "{} 的日期 {on} 早于上一步办理的日期 {last}。",
                event.action.label()
            ));
        }
        match &event.action {
            Action::Confirm => {
                if self.status != Status::Unconfirmed {
                    return refuse("该申请已确认受理。".into());
                }
                self.received = Some(on);
                self.first_received = Some(on);
                self.due = Some(calendar.add_working_days(on, REPLY_DAYS)?);
                self.status = Status::InProgress;
            }
            Action::Clarify { days } => {
                self.only_in_progress("告知补正")?;
                if seen.clarified {
                    return refuse("补正只能一次性告知（第三十条）：补正后仍不明确的，答复为无法提供（补正后申请内容仍不明确）。".into());
                }
                let received = self.received.unwrap_or(on);
                let limit = calendar.add_working_days(received, CLARIFY_WITHIN)?;
                if on > limit {
                    return refuse(format!("补正应在受理后 {CLARIFY_WITHIN} 个工作日内一次性告知（{received} 受理，最晚 {limit}）。"));
                }
                if !(1..=CLARIFY_DAYS_MOST).contains(days) {
                    return refuse(format!(
                        "补正期限应为 1 至 {CLARIFY_DAYS_MOST} 个工作日（补正期间时限停止计算，过长的期限会让申请久拖不决）。"
                    ));
                }
                self.clarify_by = Some(calendar.add_working_days(on, *days)?);
                self.due = None;
                self.status = Status::AwaitingClarification;
            }
            Action::Clarified => {
                if self.status != Status::AwaitingClarification {
                    return refuse("该申请没有待补正的告知。".into());
                }
                if let Some(by) = self.clarify_by.filter(|&by| on > by) {
                    return refuse(format!(
                        "补正期限已于 {by} 届满：应答复为其他处理（逾期不补正）。"
                    ));
                }
                self.received = Some(on);
                self.due = Some(calendar.add_working_days(on, REPLY_DAYS)?);
                self.clarify_by = None;
                // The clarified request is received anew: its period may
                // be extended once in its turn.
                self.extended = false;
                seen.clarified = true;
                self.status = Status::InProgress;
            }
            Action::Extend { approved_by, days } => {
                if approved_by.trim().is_empty() {
                    return refuse("延期须写明批准人（政府信息公开工作机构负责人）。".into());
                }
                if !(1..=EXTENSION_DAYS).contains(days) {
                    return refuse(format!(
                        "延长的期限最多 {EXTENSION_DAYS} 个工作日（第三十三条），至少 1 个。"
                    ));
                }
                if self.extended {
                    return refuse("答复期限只能延长一次。".into());
                }
                if self.status != Status::Consulting {
                    self.only_in_progress("延期")?;
                }
                let due = self.due.unwrap_or(on);
                // While consulting, the days since it began do not count.
                let reached = match seen.consulting_since {
                    Some(since) => {
                        calendar.add_working_days(due, calendar.working_days_between(since, on)?)?
                    }
                    None => due,
                };
                if on > reached {
                    return refuse(format!("答复期限已于 {reached} 届满，不能再延期。"));
                }
                self.due = Some(calendar.add_working_days(due, *days)?);
                self.extended = true;
            }
            Action::Consult => {
                self.only_in_progress("征求意见")?;
                if let Some(due) = self.due.filter(|&due| on > due) {
                    return refuse(format!(
                        "答复期限已于 {due} 届满：期满后征求意见不能延长期限。"
                    ));
                }
                seen.consulting_since = Some(on);
                self.consulting_since = Some(on);
                self.status = Status::Consulting;
            }
            Action::Consulted => {
                let Some(since) = seen
                    .consulting_since
                    .take()
                    .filter(|_| self.status == Status::Consulting)
                else {
                    return refuse("该申请没有正在征求的意见。".into());
                };
                self.consulting_since = None;
                let paused = calendar.working_days_between(since, on)?;
                if let Some(due) = self.due {
                    self.due = Some(calendar.add_working_days(due, paused)?);
                }
                self.status = Status::InProgress;
            }
            Action::Decide(outcome) => {
                if self.status == Status::Unconfirmed {
                    return refuse("请先确认受理，再作出答复。".into());
                }
                if let Some(by) = self.clarify_by.filter(|&by| on <= by) {
                    return refuse(format!(
                        "补正期限到 {by} 才届满：等补正到达，或期满后答复为其他处理（逾期不补正）。"
                    ));
                }
                if outcome.code() == "other-1" && self.status != Status::AwaitingClarification {
                    return refuse("“逾期不补正”只用于告知补正后期满未补正的申请。".into());
                }
                if outcome.code() == "unavailable-3" && !seen.clarified {
                    return refuse("“补正后申请内容仍不明确”只用于补正过的申请。".into());
                }
                self.decided = Some((on, *outcome));
                self.status = Status::Decided;
            }
            // Taken before the checks above.
            Action::Review(_) | Action::Reviewed(..) => {}
        }
        Ok(())
    }

    /// A review or lawsuit brought, or its result: after the decision, or
    /// after the due date passed without one (a challenge to silence).
    fn challenge(
        &mut self,
        on: Date,
        review: Review,
        verdict: Option<Verdict>,
        seen: &Seen,
    ) -> Result<(), ClockError> {
        if let Some(last) = seen.last.filter(|&last| on < last) {
            return refuse(format!(
                "{}的日期 {on} 早于上一步办理的日期 {last}。",
                review.label()
            ));
        }
        match verdict {
            None => {
                let silent = self.status != Status::Decided && self.overdue(on);
                if self.status != Status::Decided && !silent {
                    return refuse(format!(
                        "{}针对的是答复，或逾期未答复：该申请尚未答复，也未逾期。",
                        review.label()
                    ));
                }
                // One path per decision (行政复议法): a reconsideration,
                // then perhaps a lawsuit on its result; or a lawsuit
                // directly. Nothing runs beside a pending one.
                let reconsidered = self
                    .challenges
                    .iter()
                    .find(|c| c.review == Review::Reconsideration);
                match review {
                    Review::Reconsideration | Review::Lawsuit if !self.challenges.is_empty() => {
                        let before = self.challenges[0].review.label();
                        return refuse(format!(
                            "该答复已有{before}：同一答复只能申请一次行政复议或直接起诉一次{}。",
                            if review == Review::Lawsuit {
                                "（复议后起诉用 lawsuit-after-reconsideration）"
                            } else {
                                ""
                            }
                        ));
                    }
                    Review::LawsuitAfterReconsideration => {
                        if reconsidered.is_none_or(|c| c.result.is_none()) {
                            return refuse(
                                "复议后起诉须先有行政复议的结果：请先记录复议和复议结果。".into(),
                            );
                        }
                        if self.challenges.iter().any(|c| c.review == review) {
                            return refuse("该答复已记录过复议后起诉。".into());
                        }
                    }
                    _ => {}
                }
                self.challenges.push(Challenge {
                    review,
                    brought: on,
                    result: None,
                });
            }
            Some(verdict) => {
                let Some(open) = self
                    .challenges
                    .iter_mut()
                    .find(|c| c.review == review && c.result.is_none())
                else {
                    return refuse(format!("该申请没有尚未审结的{}。", review.label()));
                };
                open.result = Some((on, verdict));
            }
        }
        Ok(())
    }

    /// Refuses `what` unless the clock runs.
    fn only_in_progress(&self, what: &str) -> Result<(), ClockError> {
        if self.status == Status::InProgress {
            return Ok(());
        }
        refuse(format!(
            "只有办理中的申请才能{what}（现在：{}）。",
            self.status.label()
        ))
    }

    /// The due date while the request waits for its answer (`None` once
    /// decided: what the applicant and the case list are shown).
    pub fn open_due(&self) -> Option<Date> {
        self.due.filter(|_| self.status != Status::Decided)
    }

    /// Whether, on `today`, the reply is late: due before today and not
    /// decided.
    pub fn overdue(&self, today: Date) -> bool {
        self.status != Status::Consulting && self.open_due().is_some_and(|due| today > due)
    }

    /// What, on `today`, waits on staff though the clock does not say so:
    /// a clarification period over without an answer (the case is to be
    /// decided 其他处理·逾期不补正), or a third party silent past its 15
    /// working days (the office decides without its opinion, Art. 32).
    pub fn stalled(&self, today: Date, calendar: &Calendar) -> Option<&'static str> {
        match self.status {
            Status::AwaitingClarification if self.clarify_by.is_some_and(|by| today > by) => {
                Some("补正期限已过，未见补正：应答复为其他处理（逾期不补正）")
            }
            Status::Consulting => {
                let since = self.consulting_since?;
                let limit = calendar.add_working_days(since, CONSULT_DAYS).ok()?;
                (today > limit)
                    .then_some("第三方逾期未提出意见：应记录意见期满（consulted），依法作出决定")
            }
            _ => None,
        }
    }

    /// Whether, on `today`, the due date is at most [`NEAR_DUE`] working
    /// days away (and not past).
    pub fn near_due(&self, today: Date, calendar: &Calendar) -> bool {
        match self.due {
            Some(due) if self.status == Status::InProgress => near(today, due, calendar),
            _ => false,
        }
    }
}

/// Whether, on `today`, the last day `due` is at most [`NEAR_DUE`] working
/// days away and not past: a request's due date, or a message's reply-by
/// day.
pub fn near(today: Date, due: Date, calendar: &Calendar) -> bool {
    today <= due
        && calendar
            .working_days_between(today, due)
            .is_ok_and(|left| left <= NEAR_DUE)
}

impl Default for Clock {
    fn default() -> Clock {
        Clock::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    fn event(on: &str, action: Action) -> Event {
        Event {
            on: date(on),
            action,
        }
    }

    fn outcome(code: &str) -> Outcome {
        Outcome::from_code(code).unwrap()
    }

    #[test]
    fn confirmed_on_friday_before_national_day_2024_due_30_october_then_27_november() {
        let calendar = Calendar::builtin();
        let mut events = vec![event("2024-09-27", Action::Confirm)];
        let clock = Clock::of(&events, &calendar).unwrap();
        assert_eq!(clock.status, Status::InProgress);
        assert_eq!(clock.received, Some(date("2024-09-27")));
        assert_eq!(clock.due, Some(date("2024-10-30")));
        events.push(event(
            "2024-10-25",
            Action::Extend {
                approved_by: "王主任".into(),
                days: EXTENSION_DAYS,
            },
        ));
        let clock = Clock::of(&events, &calendar).unwrap();
        assert_eq!(clock.due, Some(date("2024-11-27")));
        assert!(clock.extended);
        // Once only.
        let again = event(
            "2024-10-28",
            Action::Extend {
                approved_by: "王主任".into(),
                days: EXTENSION_DAYS,
            },
        );
        assert!(Clock::allows(&events, &again, &calendar).is_err());
    }

    #[test]
    fn a_clarification_stops_the_clock_and_its_answer_starts_it_over() {
        let calendar = Calendar::builtin();
        let mut events = vec![
            event("2024-09-27", Action::Confirm),
            // The 6th working day after receipt (29, 30 Sep; 8, 9, 10, 11 Oct).
            event("2024-10-11", Action::Clarify { days: 15 }),
        ];
        let clock = Clock::of(&events, &calendar).unwrap();
        assert_eq!(clock.status, Status::AwaitingClarification);
        assert_eq!(clock.due, None);
        // 15 working days, Saturday 12 October one of them.
        assert_eq!(clock.clarify_by, Some(date("2024-10-31")));
        assert!(!clock.overdue(date("2024-12-31")));
        events.push(event("2024-10-21", Action::Clarified));
        let clock = Clock::of(&events, &calendar).unwrap();
        assert_eq!(clock.received, Some(date("2024-10-21")));
        assert_eq!(clock.due, Some(date("2024-11-18")));
        assert_eq!(clock.status, Status::InProgress);
    }

    #[test]
    fn clarification_is_asked_within_seven_working_days_once() {
        let calendar = Calendar::builtin();
        let confirmed = vec![event("2024-09-27", Action::Confirm)];
        // The 8th working day after receipt is too late.
        let late = event("2024-10-14", Action::Clarify { days: 15 });
        let err = Clock::allows(&confirmed, &late, &calendar).unwrap_err();
        assert!(err.to_string().contains("7 个工作日"), "{err}");
        assert!(Clock::allows(
            &confirmed,
            &event("2024-10-12", Action::Clarify { days: 15 }),
            &calendar
        )
        .is_ok());
    }

    #[test]
    fn no_clarification_in_the_period_ends_as_other_processing() {
        let calendar = Calendar::builtin();
        let events = vec![
            event("2024-09-27", Action::Confirm),
            event("2024-09-30", Action::Clarify { days: 10 }),
        ];
        let clock = Clock::of(&events, &calendar).unwrap();
        let by = clock.clarify_by.unwrap();
        assert_eq!(by, date("2024-10-18"));
        // Too early, and the wrong outcome while waiting.
        let early = Event {
            on: by,
            action: Action::Decide(outcome("other-1")),
        };
        assert!(Clock::allows(&events, &early, &calendar).is_err());
        let wrong = event("2024-10-10", Action::Decide(outcome("disclosed")));
        assert!(Clock::allows(&events, &wrong, &calendar).is_err());
        // An answer after the period is too late to restart the clock.
        assert!(
            Clock::allows(&events, &event("2024-10-22", Action::Clarified), &calendar).is_err()
        );
        let ended = event("2024-10-22", Action::Decide(outcome("other-1")));
        let clock = Clock::allows(&events, &ended, &calendar).unwrap();
        assert_eq!(clock.status, Status::Decided);
        assert_eq!(
            clock.decided,
            Some((date("2024-10-22"), outcome("other-1")))
        );
        // Not for a request that was never asked to clarify.
        let plain = vec![event("2024-09-27", Action::Confirm)];
        assert!(Clock::allows(
            &plain,
            &event("2024-10-10", Action::Decide(outcome("other-1"))),
            &calendar
        )
        .is_err());
    }

    #[test]
    fn a_consultation_s_days_do_not_count() {
        let calendar = Calendar::builtin();
        let events = vec![
            event("2024-11-01", Action::Confirm),
            event("2024-11-05", Action::Consult),
            event("2024-11-12", Action::Consulted),
        ];
        let clock = Clock::of(&events, &calendar).unwrap();
        // Due 29 November without it; 5 working days (6-12 November) later.
        assert_eq!(
            calendar.add_working_days(date("2024-11-01"), 20),
            Ok(date("2024-11-29"))
        );
        assert_eq!(clock.due, Some(date("2024-12-06")));
    }

    #[test]
    fn a_case_past_due_is_flagged_and_near_due_before_that() {
        let calendar = Calendar::builtin();
        let events = vec![event("2024-09-27", Action::Confirm)];
        let clock = Clock::of(&events, &calendar).unwrap();
        assert!(!clock.overdue(date("2024-10-30")));
        assert!(clock.overdue(date("2024-10-31")));
        assert!(clock.near_due(date("2024-10-24"), &calendar));
        assert!(!clock.near_due(date("2024-10-15"), &calendar));
        let mut decided = events.clone();
        decided.push(event("2024-10-29", Action::Decide(outcome("disclosed"))));
        let clock = Clock::of(&decided, &calendar).unwrap();
        assert!(!clock.overdue(date("2025-01-01")));
        assert!(!clock.near_due(date("2024-10-29"), &calendar));
    }

    #[test]
    fn actions_out_of_order_are_refused_in_plain_words() {
        let calendar = Calendar::builtin();
        let none: Vec<Event> = Vec::new();
        for action in [
            Action::Decide(outcome("disclosed")),
            Action::Clarified,
            Action::Consulted,
            Action::Extend {
                approved_by: "王主任".into(),
                days: EXTENSION_DAYS,
            },
        ] {
            assert!(Clock::allows(&none, &event("2024-10-10", action), &calendar).is_err());
        }
        let confirmed = vec![event("2024-09-27", Action::Confirm)];
        let before = event("2024-09-20", Action::Decide(outcome("disclosed")));
        assert!(Clock::allows(&confirmed, &before, &calendar)
            .unwrap_err()
            .to_string()
            .contains("早于受理日期"));
        let nobody = event(
            "2024-10-10",
            Action::Extend {
                approved_by: " ".into(),
                days: EXTENSION_DAYS,
            },
        );
        assert!(Clock::allows(&confirmed, &nobody, &calendar).is_err());
        let mut decided = confirmed.clone();
        decided.push(event("2024-10-10", Action::Decide(outcome("disclosed"))));
        let after = event("2024-10-11", Action::Decide(outcome("refused-1")));
        assert!(Clock::allows(&decided, &after, &calendar)
            .unwrap_err()
            .to_string()
            .contains("已于 2024-10-10 答复"));
        assert!(
            Clock::allows(&confirmed, &event("2024-09-28", Action::Confirm), &calendar).is_err()
        );
    }

    #[test]
    fn the_history_runs_forward_and_clarification_is_asked_once() {
        let calendar = Calendar::builtin();
        let confirmed = vec![event("2024-11-01", Action::Confirm)];
        let mut extended = confirmed.clone();
        extended.push(event(
            "2024-11-25",
            Action::Extend {
                approved_by: "王主任".into(),
                days: EXTENSION_DAYS,
            },
        ));
        // A decision dated before the extension recorded before it.
        let back = event("2024-11-04", Action::Decide(outcome("disclosed")));
        assert!(Clock::allows(&extended, &back, &calendar)
            .unwrap_err()
            .to_string()
            .contains("早于上一步"));
        let mut asked = confirmed.clone();
        asked.push(event("2024-11-08", Action::Clarify { days: 10 }));
        assert!(Clock::allows(&asked, &event("2024-11-04", Action::Clarified), &calendar).is_err());
        asked.push(event("2024-11-12", Action::Clarified));
        let again = event("2024-11-13", Action::Clarify { days: 10 });
        assert!(Clock::allows(&asked, &again, &calendar)
            .unwrap_err()
            .to_string()
            .contains("一次性告知"));
        // Still unclear after the clarification: 无法提供 (3), only then.
        let unclear = event("2024-11-20", Action::Decide(outcome("unavailable-3")));
        assert!(Clock::allows(&asked, &unclear, &calendar).is_ok());
        assert!(Clock::allows(&confirmed, &unclear, &calendar).is_err());
    }

    #[test]
    fn a_consultation_counts_for_an_extension_and_none_starts_after_the_due_date() {
        let calendar = Calendar::builtin();
        // Due 29 November; consulting from 5 November.
        let consulting = vec![
            event("2024-11-01", Action::Confirm),
            event("2024-11-05", Action::Consult),
        ];
        // On 5 December the period has not run out: the days since
        // 5 November do not count.
        let extend = event(
            "2024-12-05",
            Action::Extend {
                approved_by: "王主任".into(),
                days: EXTENSION_DAYS,
            },
        );
        let clock = Clock::allows(&consulting, &extend, &calendar).unwrap();
        assert!(clock.extended);
        // A consultation begun after the due date moves nothing.
        let late = vec![event("2024-11-01", Action::Confirm)];
        let consult = event("2024-12-20", Action::Consult);
        assert!(Clock::allows(&late, &consult, &calendar)
            .unwrap_err()
            .to_string()
            .contains("届满"));
    }

    #[test]
    fn every_action_reads_back_as_kept() {
        for action in [
            Action::Confirm,
            Action::Clarify { days: 15 },
            Action::Clarified,
            Action::Extend {
                approved_by: "王主任".into(),
                days: EXTENSION_DAYS,
            },
            Action::Consult,
            Action::Consulted,
            Action::Decide(outcome("refused-4")),
        ] {
            assert_eq!(
                Action::from_kept(action.code(), &action.detail()),
                Some(action)
            );
        }
        assert_eq!(Action::from_kept("escalate", ""), None);
        assert_eq!(Action::from_kept("decide", "不予受理"), None);
    }

    #[test]
    fn a_year_without_a_calendar_says_so() {
        let calendar = Calendar::builtin();
        let events = vec![event("2026-12-20", Action::Confirm)];
        assert_eq!(
            Clock::of(&events, &calendar),
            Err(ClockError::Uncovered(Uncovered { year: 2027 }))
        );
    }

    #[test]
    fn an_extension_is_by_at_most_20_working_days_and_kept_with_them() {
        let calendar = Calendar::builtin();
        let confirm = event("2024-09-27", Action::Confirm);
        let by = |days| Action::Extend {
            approved_by: "王主任".into(),
            days,
        };
        // Due 2024-10-30; ten more working days: 31 October, 1 and 4-8,
        // 11-13 November.
        let clock = Clock::of(&[confirm.clone(), event("2024-10-25", by(10))], &calendar).unwrap();
        assert_eq!(clock.due, Some(date("2024-11-13")));
        for days in [0, 21] {
            let too = event("2024-10-25", by(days));
            assert!(
                Clock::allows(std::slice::from_ref(&confirm), &too, &calendar).is_err(),
                "{days}"
            );
        }
        for days in [1, 10, 20] {
            let action = by(days);
            assert_eq!(
                Action::from_kept(action.code(), &action.detail()),
                Some(action)
            );
        }
        // As kept before shorter extensions: the approver alone, 20 days.
        assert_eq!(Action::from_kept("extend", "王主任"), Some(by(20)));
        // A name that only looks like days is a name.
        assert_eq!(
            Action::from_kept("extend", "2号楼 李科长"),
            Some(Action::Extend {
                approved_by: "2号楼 李科长".into(),
                days: 20
            })
        );
    }

    #[test]
    fn a_lawsuit_brought_directly_leaves_no_room_for_a_reconsideration() {
        let calendar = Calendar::builtin();
        let events = [
            event("2024-09-27", Action::Confirm),
            event("2024-10-20", Action::Decide(outcome("refused-4"))),
            event("2024-11-05", Action::Review(Review::Lawsuit)),
        ];
        for review in [Review::Reconsideration, Review::Lawsuit] {
            let another = event("2024-11-06", Action::Review(review));
            assert!(
                Clock::allows(&events, &another, &calendar).is_err(),
                "{review:?}"
            );
        }
        // A clarification period is 1 to 30 working days.
        let confirmed = [event("2024-09-27", Action::Confirm)];
        for days in [0, 31, 150] {
            let clarify = event("2024-10-08", Action::Clarify { days });
            assert!(
                Clock::allows(&confirmed, &clarify, &calendar).is_err(),
                "{days}"
            );
        }
    }

    #[test]
    fn a_lapsed_clarification_and_a_silent_third_party_are_flagged() {
        let calendar = Calendar::builtin();
        let clarify = [
            event("2024-09-27", Action::Confirm),
            event("2024-10-08", Action::Clarify { days: 5 }),
        ];
        let clock = Clock::of(&clarify, &calendar).unwrap();
        // Five working days: 9-11, Saturday 12 (worked for National Day)
        // and 14 October.
        assert_eq!(clock.clarify_by, Some(date("2024-10-14")));
        assert_eq!(clock.stalled(date("2024-10-14"), &calendar), None);
        assert!(clock
            .stalled(date("2024-10-15"), &calendar)
            .unwrap()
            .contains("逾期不补正"));
        let consult = [
            event("2024-09-02", Action::Confirm),
            event("2024-09-03", Action::Consult),
        ];
        let clock = Clock::of(&consult, &calendar).unwrap();
        let limit = calendar
            .add_working_days(date("2024-09-03"), CONSULT_DAYS)
            .unwrap();
        assert_eq!(clock.stalled(limit, &calendar), None);
        assert!(clock
            .stalled(limit.next().unwrap(), &calendar)
            .unwrap()
            .contains("第三方逾期"));
        let mut answered = consult.to_vec();
        answered.push(event("2024-09-10", Action::Consulted));
        let clock = Clock::of(&answered, &calendar).unwrap();
        assert_eq!(clock.stalled(date("2024-12-31"), &calendar), None);
        assert_eq!(clock.consulting_since, None);
    }

    #[test]
    fn a_decision_or_a_silence_may_be_challenged_and_the_result_recorded() {
        let calendar = Calendar::builtin();
        let mut events = vec![event("2024-09-27", Action::Confirm)];
        let review = event("2024-10-15", Action::Review(Review::Reconsideration));
        // Neither decided nor late: nothing to challenge yet.
        assert!(Clock::allows(&events, &review, &calendar).is_err());
        // Due 2024-10-30 and not answered: silence may be challenged.
        let late = event("2024-11-01", Action::Review(Review::Reconsideration));
        let clock = Clock::allows(&events, &late, &calendar).unwrap();
        assert_eq!(clock.status, Status::InProgress);
        events.push(event("2024-10-20", Action::Decide(outcome("refused-4"))));
        events.push(event("2024-11-05", Action::Review(Review::Reconsideration)));
        // Suing after reconsideration needs its result first.
        let sue = event(
            "2024-11-06",
            Action::Review(Review::LawsuitAfterReconsideration),
        );
        assert!(Clock::allows(&events, &sue, &calendar).is_err());
        events.push(event(
            "2025-01-10",
            Action::Reviewed(Review::Reconsideration, Verdict::Upheld),
        ));
        events.push(event(
            "2025-01-20",
            Action::Review(Review::LawsuitAfterReconsideration),
        ));
        let clock = Clock::of(&events, &calendar).unwrap();
        assert_eq!(clock.status, Status::Decided);
        assert_eq!(
            clock.decided,
            Some((date("2024-10-20"), outcome("refused-4")))
        );
        assert_eq!(
            clock.challenges,
            [
                Challenge {
                    review: Review::Reconsideration,
                    brought: date("2024-11-05"),
                    result: Some((date("2025-01-10"), Verdict::Upheld)),
                },
                Challenge {
                    review: Review::LawsuitAfterReconsideration,
                    brought: date("2025-01-20"),
                    result: None,
                },
            ]
        );
        // One path per decision: nothing beside the lawsuit after the
        // reconsideration, no second reconsideration, no direct lawsuit.
        for review in [
            Review::Reconsideration,
            Review::Lawsuit,
            Review::LawsuitAfterReconsideration,
        ] {
            let another = event("2025-02-01", Action::Review(review));
            assert!(
                Clock::allows(&events, &another, &calendar).is_err(),
                "{review:?}"
            );
        }
        // The report's reading, without the calendar, agrees.
        let counted = Counted::of(&events);
        assert_eq!(counted.first_received, clock.first_received);
        assert_eq!(counted.decided, clock.decided);
        assert_eq!(counted.challenges, clock.challenges);
        // A result needs its challenge; a decided case takes no other action.
        let none = event(
            "2025-02-01",
            Action::Reviewed(Review::Lawsuit, Verdict::Other),
        );
        assert!(Clock::allows(&events, &none, &calendar).is_err());
        let extend = event(
            "2025-02-01",
            Action::Extend {
                approved_by: "王主任".into(),
                days: EXTENSION_DAYS,
            },
        );
        assert!(Clock::allows(&events, &extend, &calendar).is_err());
        // Kept and read back.
        for e in &events {
            let a = &e.action;
            assert_eq!(Action::from_kept(a.code(), &a.detail()).as_ref(), Some(a));
        }
    }
}
