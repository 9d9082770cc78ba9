//! The history of a disclosure request: each action staff take is a row
//! appended to `event` (the database refuses to change or remove one),
//! and where the request stands is worked out from the rows with the
//! working-day calendar (`xxgk_core::case`). Deciding also writes the
//! answer where the lookup reads it, so the applicant sees it by the
//! code.

use super::db::{params, Optional, Row, Sql};
use super::Result;
use super::Submitted;
use super::{normalise_code, Store};
use xxgk_core::calendar::Calendar;
use xxgk_core::case::{Action, Clock, ClockError, Event};
use xxgk_core::submission::{Applicant, Kind, Submission};
use xxgk_core::Date;

/// One appended row, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEvent {
    /// Its row's number, which a void names.
    pub id: i64,
    /// The action's code (`confirm`, `decide`…).
    pub action: String,
    /// The day it takes effect, `YYYY-MM-DD`.
    pub on: String,
    /// The outcome's code, the approver, or the days given.
    pub detail: String,
    /// The text sent to the applicant with it, if any.
    pub note: String,
    /// Who recorded it.
    pub actor: String,
    /// When it was recorded, in seconds since 1970.
    pub recorded_at: i64,
}

/// What staff do to a submission as a whole, outside a request's clock:
/// kept as events too, with their names.
pub const RECORD_ACTIONS: &[(&str, &str)] = &[
    ("reply", "答复"),
    ("reject", "不予受理"),
    ("restore", "恢复为正常留言"),
    (VOID, "撤销一条记录"),
    ("assign", "转办"),
    ("draft", "拟稿送审"),
    ("return", "退回草稿"),
    ("publish", "批准公开"),
    ("unpublish", "撤下公开"),
    ("purge", "清除个人信息"),
];

/// The action that takes back an event recorded by mistake: its detail
/// is the event's row number, its note why. The event stays in the
/// history, marked; the clock no longer reads it.
pub const VOID: &str = "void";

impl StoredEvent {
    /// Its name for staff: the clock's action's, a record action's, or,
    /// written by a later version, its code as kept.
    pub fn label(&self) -> String {
        if let Some(event) = self.event() {
            return event.action.label().to_owned();
        }
        RECORD_ACTIONS
            .iter()
            .find(|(code, _)| *code == self.action)
            .map_or_else(|| self.action.clone(), |(_, label)| (*label).to_owned())
    }

    /// Whether it is a record action, which the clock does not read.
    pub fn on_record(&self) -> bool {
        RECORD_ACTIONS.iter().any(|(code, _)| *code == self.action)
    }

    /// The event as the clock reads it; `None` if it no longer reads (a
    /// row written by a later version): shown, but the case cannot go on.
    pub fn event(&self) -> Option<Event> {
        let on = Date::parse(&self.on)?;
        let action = Action::from_kept(&self.action, &self.detail)?;
        Some(Event { on, action })
    }
}

/// A case: the submission's kind and its history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// The lookup code.
    pub code: String,
    /// The site it was sent to (`''`: the default site).
    pub site: String,
    /// The kind.
    pub kind: Kind,
    /// When it was sent, in seconds since 1970.
    pub received_at: i64,
    /// Who applied; `None` when the kept submission no longer reads.
    pub applicant: Option<Applicant>,
    /// Every event, in the order recorded.
    pub events: Vec<StoredEvent>,
}

impl Case {
    /// What the annual report counts, if every event reads (no calendar
    /// needed).
    pub fn counted(&self) -> Result<xxgk_core::case::Counted, ActError> {
        Ok(xxgk_core::case::Counted::of(&read_events(&self.events)?))
    }

    /// The clock, if every event reads.
    pub fn clock(&self, calendar: &Calendar) -> Result<Clock, ActError> {
        clock(&self.events, calendar)
    }
}

/// The clock of a history, if every event reads.
pub fn clock(events: &[StoredEvent], calendar: &Calendar) -> Result<Clock, ActError> {
    Clock::of(&read_events(events)?, calendar).map_err(ActError::Clock)
}

/// Who applied, from the kept submission, if it still reads.
fn applicant(data: &str) -> Option<Applicant> {
    let kept = xxgk_core::submission::read_kept(data).ok()?;
    let submission = kept.submission();
    match &submission.request {
        Some(request) => Some(request.applicant),
        // A request without its part is not guessed to be a person's.
        None if submission.kind == Kind::DisclosureRequest => None,
        None => Some(Applicant::Person),
    }
}

/// The stored events as the clock reads them; the first that no longer
/// reads stops it.
pub(super) fn read_events(events: &[StoredEvent]) -> Result<Vec<Event>, ActError> {
    let voided = voided(events);
    events
        .iter()
        .filter(|e| !e.on_record() && !voided.contains(&e.id))
        .map(|e| {
            e.event()
                .ok_or_else(|| ActError::Unreadable(Box::new(e.clone())))
        })
        .collect()
}

/// The row numbers of the events taken back.
pub fn voided(events: &[StoredEvent]) -> Vec<i64> {
    events
        .iter()
        .filter(|e| e.action == VOID)
        .filter_map(|e| e.detail.parse().ok())
        .collect()
}

/// Why an action was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum ActError {
    /// No submission has the code.
    #[error("没有查询码为 {0} 的申请")]
    NoSuch(String),
    /// A message (留言), which has no statutory clock.
    #[error("{0} 是{1}，不是政府信息公开申请：留言用 reply 或 reject 答复")]
    NotARequest(String, &'static str),
    /// The action cannot follow the ones before it.
    #[error("{0}")]
    Clock(ClockError),
    /// Answered with `reply` or `reject`, outside the clock.
    #[error("申请 {0} 已用 reply 或 reject 答复过，不能再按时限办理")]
    AnsweredBefore(String),
    /// Marked as suspected: to be restored first.
    #[error("{0} 被标为疑似垃圾：确认是真实的后先恢复为正常留言（工作台的“恢复为正常留言”，或命令 restore），再办理")]
    Suspected(String),
    /// The day given is before the request was sent, or after today.
    #[error("日期不对：{0}")]
    Date(String),
    /// An event recorded by another version that this one does not read.
    #[error("该申请有一条本版本无法解读的记录（{} {}），不能继续办理：请用记录它的版本办理", .0.action, .0.on)]
    Unreadable(Box<StoredEvent>),
    /// An event that cannot be taken back (or a paper request recorded
    /// again on another day), and why.
    #[error("{0}")]
    Void(String),
    /// A paper request's client key, used by another request.
    #[error("client_key 已用于申请 {0}，内容不同：每份申请用自己的 client_key")]
    KeyReused(String),
    /// The step cannot be taken now, and why.
    #[error("{0}")]
    Invalid(String),
    /// The database refused.
    #[error("{0}")]
    Store(#[from] super::Error),
}

impl From<rusqlite::Error> for ActError {
    fn from(error: rusqlite::Error) -> ActError {
        ActError::Store(error.into())
    }
}

impl Store {
    /// The case with lookup code `code`, if there is one.
    pub fn case(&self, code: &str) -> Result<Option<Case>> {
        let code = normalise_code(code);
        let found: Option<(String, i64, String, String)> = self
            .conn
            .query_row(
                "SELECT kind, received_at, data, site FROM submission WHERE code = ?1",
                params![code],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((kind, received_at, data, site)) = found else {
            return Ok(None);
        };
        let events = events_of(&self.conn, &code)?;
        Ok(Some(Case {
            kind: Kind::from_code(&kind).unwrap_or(Kind::Consultation),
            code,
            site,
            received_at,
            applicant: applicant(&data),
            events,
        }))
    }

    /// Every disclosure request (suspected ones left out), oldest first.
    pub fn requests(&self) -> Result<Vec<Case>> {
        let rows: Vec<(String, i64, String, String)> = self.conn.query_map(
            "SELECT code, received_at, data, site FROM submission
             WHERE kind = ?1 AND suspected = 0 ORDER BY received_at, rowid",
            params![Kind::DisclosureRequest.code()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        rows.into_iter()
            .map(|(code, received_at, data, site)| {
                Ok(Case {
                    events: events_of(&self.conn, &code)?,
                    kind: Kind::DisclosureRequest,
                    code,
                    site,
                    received_at,
                    applicant: applicant(&data),
                })
            })
            .collect()
    }

    /// Records `event` on the request `code`, with the text `note` sent
    /// with it, by `actor` at `now`, if the request's history allows it;
    /// the clock after it. A decision is also the answer the lookup
    /// shows.
    pub fn act(
        &mut self,
        code: &str,
        event: &Event,
        note: &str,
        actor: &str,
        now: i64,
        calendar: &Calendar,
    ) -> Result<Clock, ActError> {
        self.still_there()?;
        let code = normalise_code(code);
        let tx = self.conn.write()?;
        let found: Option<(String, i64, String, bool)> = tx
            .query_row(
                "SELECT kind, received_at, status, suspected FROM submission WHERE code = ?1",
                params![code],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let (kind, sent_at, status, suspected) =
            found.ok_or_else(|| ActError::NoSuch(code.clone()))?;
        if suspected {
            return Err(ActError::Suspected(code));
        }
        if let Some(sent) = Date::beijing(sent_at).filter(|&sent| event.on < sent) {
            return Err(ActError::Date(format!(
                "{} 早于申请提交的日期 {sent}（纸质申请的收到日期录错的，撤销确认后用 case record 按正确日期重新登记）",
                event.on
            )));
        }
        if let Some(today) = Date::beijing(now).filter(|&today| event.on > today) {
            return Err(ActError::Date(format!(
                "{} 在今天（{today}）之后：只记录已经发生的办理",
                event.on
            )));
        }
        if kind != Kind::DisclosureRequest.code() {
            let label = Kind::from_code(&kind).map_or("留言", Kind::label);
            return Err(ActError::NotARequest(code, label));
        }
        let before = read_events(&events_of(&tx, &code)?)?;
        // Answered with `reply` or `reject` before it had a history.
        if before.is_empty() && status != "received" {
            return Err(ActError::AnsweredBefore(code));
        }
        let clock = Clock::allows(&before, event, calendar).map_err(ActError::Clock)?;
        let kept = Kept {
            action: event.action.code(),
            detail: &event.action.detail(),
            on: event.on,
            note,
            actor,
        };
        kept.append(&tx, &code, now)?;
        if let Action::Decide(outcome) = &event.action {
            let answer = format!("{}\n\n{}", outcome.label(), note.trim());
            // Answered on the decision's day (noon in Beijing), not when it
            // was typed: a decision recorded later is not a late one; and
            // never before the request came, on the day it came.
            let on_day = i64::from(event.on.days()) * 86_400 + 4 * 3600;
            tx.execute(
                "UPDATE submission SET status = 'replied', answer = ?2,
                     answered_at = CASE WHEN received_at > ?3 THEN received_at ELSE ?3 END WHERE code = ?1",
                params![code, answer.trim(), on_day.min(now)],
            )?;
            super::answers::settle_draft(&tx, &code)?;
        }
        tx.commit()?;
        Ok(clock)
    }

    /// Keeps the paper request `submission` to the site `site` as received
    /// on `on` and confirms it that day, by `actor` at `now`, in one transaction:
    /// nothing is kept if it cannot be confirmed. The same request again
    /// (its client key and content): as it was, or, if its confirmation
    /// was taken back, kept as received on `on` and confirmed anew (a
    /// wrong date corrected).
    pub fn record_paper(
        &mut self,
        site: &str,
        submission: &Submission,
        on: Date,
        actor: &str,
        now: i64,
        calendar: &Calendar,
    ) -> Result<(String, Recorded, Clock), ActError> {
        self.still_there()?;
        if submission.kind != Kind::DisclosureRequest {
            let label = submission.kind.label();
            return Err(ActError::NotARequest(String::new(), label));
        }
        let tx = self.conn.write()?;
        // Sent, in law, at noon Beijing time on the day it came.
        let sent = i64::from(on.days()) * 86_400 + 4 * 3600;
        let (code, recorded) = match super::keep(&tx, site, submission, false, sent)? {
            Submitted::New(code) => (code, Recorded::New),
            Submitted::Conflict(code) => return Err(ActError::KeyReused(code)),
            Submitted::Again(code) => (code, Recorded::Again),
        };
        let live = read_events(&events_of(&tx, &code)?)?;
        let confirmed = live
            .iter()
            .find(|e| e.action == Action::Confirm)
            .map(|e| e.on);
        let recorded = match (recorded, confirmed) {
            (Recorded::Again, Some(day)) if day == on => {
                let clock = Clock::of(&live, calendar).map_err(ActError::Clock)?;
                return Ok((code, Recorded::Again, clock));
            }
            (Recorded::Again, Some(day)) => {
                return Err(ActError::Void(format!(
                    "申请 {code} 已登记并于 {day} 确认受理。日期录错的，先用 case void 撤销那次确认（编号见 case show），再按正确的日期重新登记"
                )))
            }
            (Recorded::Again, None) => {
                tx.execute(
                    "UPDATE submission SET received_at = ?2 WHERE code = ?1",
                    params![code, sent],
                )?;
                Recorded::Redated
            }
            (recorded, _) => recorded,
        };
        let confirm = Event {
            on,
            action: Action::Confirm,
        };
        let clock = Clock::allows(&live, &confirm, calendar).map_err(ActError::Clock)?;
        Kept {
            action: confirm.action.code(),
            detail: "",
            on,
            note: "",
            actor,
        }
        .append(&tx, &code, now)?;
        tx.commit()?;
        Ok((code, recorded, clock))
    }

    /// Takes back the `position`th event (from 1, as `case show` numbers
    /// them) of the request `code`, recorded by mistake, for `reason`, by
    /// `actor` at `now`: if the history without it still holds. A decision
    /// taken back is no longer the answer the lookup shows. The clock after.
    pub fn void(
        &mut self,
        code: &str,
        position: usize,
        reason: &str,
        actor: &str,
        now: i64,
        calendar: &Calendar,
    ) -> Result<Clock, ActError> {
        self.still_there()?;
        let code = normalise_code(code);
        let tx = self.conn.write()?;
        let kind: String = tx
            .query_row(
                "SELECT kind FROM submission WHERE code = ?1",
                params![code],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| ActError::NoSuch(code.clone()))?;
        if kind != Kind::DisclosureRequest.code() {
            let label = Kind::from_code(&kind).map_or("留言", Kind::label);
            return Err(ActError::NotARequest(code, label));
        }
        let events = events_of(&tx, &code)?;
        let target = position
            .checked_sub(1)
            .and_then(|i| events.get(i))
            .ok_or(ActError::Void(format!(
                "该申请没有第 {position} 条办理记录（共 {} 条，见 case show）",
                events.len()
            )))?;
        if target.on_record() {
            return Err(ActError::Void(format!(
                "第 {position} 条是“{}”，不是按时限办理的一步，不能撤销",
                target.label()
            )));
        }
        if voided(&events).contains(&target.id) {
            return Err(ActError::Void(format!("第 {position} 条已经撤销过")));
        }
        // The last step first: a step others rest on (a review of the
        // decision, the decision on the confirmation) is not taken from
        // under them.
        let gone = voided(&events);
        if let Some((later, _)) = events
            .iter()
            .enumerate()
            .skip(position)
            .find(|(_, e)| !e.on_record() && !gone.contains(&e.id))
        {
            return Err(ActError::Void(format!(
                "第 {position} 条之后还有第 {} 条：请从最后一步起逐条撤销",
                later + 1
            )));
        }
        let mut without = events.clone();
        without.retain(|e| e.id != target.id);
        let clock = Clock::of(&read_events(&without)?, calendar).map_err(|e| {
            ActError::Void(format!(
                "撤销第 {position} 条后，后面的办理记录不再成立（{e}）：请从最后一条起逐条撤销"
            ))
        })?;
        let today = Date::beijing(now).unwrap_or_else(|| Date::new(1970, 1, 1).expect("a date"));
        let detail = target.id.to_string();
        Kept {
            action: VOID,
            detail: &detail,
            on: today,
            note: reason,
            actor,
        }
        .append(&tx, &code, now)?;
        let decision = target
            .event()
            .is_some_and(|e| matches!(e.action, Action::Decide(_)));
        if decision {
            tx.execute(
                "UPDATE submission SET status = 'received', answer = NULL, answered_at = NULL,
                     published_at = NULL WHERE code = ?1",
                params![code],
            )?;
        }
        tx.commit()?;
        Ok(clock)
    }
}

/// What became of a paper request recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// Kept and confirmed.
    New,
    /// Recorded before, on the same day: nothing changed.
    Again,
    /// Recorded before, its confirmation taken back: kept as received on
    /// the day now given, and confirmed.
    Redated,
}

/// An event as it is appended.
pub(super) struct Kept<'a> {
    /// The action's code.
    pub action: &'a str,
    /// What is kept with it.
    pub detail: &'a str,
    /// The day it takes effect.
    pub on: Date,
    /// The text that goes with it.
    pub note: &'a str,
    /// Who did it.
    pub actor: &'a str,
}

impl Kept<'_> {
    /// Appends it to the history of `code`, recorded at `now`.
    pub(super) fn append(&self, conn: &impl Sql, code: &str, now: i64) -> Result<()> {
        conn.execute(
            "INSERT INTO event (code, action, on_day, detail, note, actor, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                code,
                self.action,
                self.on.to_string(),
                self.detail,
                self.note,
                self.actor,
                now
            ],
        )?;
        Ok(())
    }
}

pub(super) fn events_of(conn: &impl Sql, code: &str) -> Result<Vec<StoredEvent>> {
    conn.query_map(
        &format!("SELECT code, {EVENT} FROM event WHERE code = ?1 ORDER BY id"),
        params![code],
        |r| Ok(event_row(r)?.1),
    )
}

/// The histories of every case, or of those assigned to `unit`, by code,
/// in one reading.
pub(super) fn histories(
    conn: &impl Sql,
    unit: Option<&str>,
) -> Result<std::collections::HashMap<String, Vec<StoredEvent>>> {
    let rows = conn.query_map(
        &format!(
            "SELECT code, {EVENT} FROM event
             WHERE (code IN (SELECT code FROM submission WHERE unit = ?1) OR ?1 IS NULL)
             ORDER BY id"
        ),
        params![unit],
        event_row,
    )?;
    let mut histories = std::collections::HashMap::<String, Vec<StoredEvent>>::new();
    for (code, event) in rows {
        histories.entry(code).or_default().push(event);
    }
    Ok(histories)
}

/// The columns of a [`StoredEvent`], in [`event_row`]'s order after the
/// case's code.
const EVENT: &str = "action, on_day, detail, note, actor, recorded_at, id";

fn event_row(r: &Row) -> Result<(String, StoredEvent)> {
    Ok((
        r.get(0)?,
        StoredEvent {
            action: r.get(1)?,
            on: r.get(2)?,
            detail: r.get(3)?,
            note: r.get(4)?,
            actor: r.get(5)?,
            recorded_at: r.get(6)?,
            id: r.get(7)?,
        },
    ))
}
