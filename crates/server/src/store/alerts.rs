//! The outbox of staff alerts: a row per event (a submission received, a
//! case assigned, a reply due soon), written in the transaction of what
//! caused it and sent later by `crate::alerts`, so a webhook or mail
//! server that is down never holds up a citizen's submission or a staff
//! action. A row's dedupe key keeps the same event from being queued
//! twice; each channel (webhook, email) is marked delivered on its own,
//! and failures are retried with a growing wait until the alert is given
//! up, kept for staff to see.
//!
//! A row holds the lookup code, the kind, the office or village and the
//! due date: never a name, a subject or a text.

use super::db::{params, Optional, Row, Sql};
use super::Result;
use super::Store;
use xxgk_core::calendar::Calendar;
use xxgk_core::case::Status;
use xxgk_core::submission::Kind;
use xxgk_core::Date;

/// Something staff are to be told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Alert {
    /// A new submission was received.
    Submitted {
        /// Its lookup code.
        code: String,
        /// Its kind.
        kind: Kind,
    },
    /// A case was assigned to an office or a village.
    Assigned {
        /// Its lookup code.
        code: String,
        /// The office or village it now lies with.
        unit: String,
    },
    /// A disclosure request's reply is due on `due`, within the working
    /// days staff asked to be warned (or already past).
    DueSoon {
        /// Its lookup code.
        code: String,
        /// The due date.
        due: Date,
    },
}

impl Alert {
    /// The event's code on the wire: `submitted`, `assigned`, `due_soon`.
    pub fn event(&self) -> &'static str {
        match self {
            Alert::Submitted { .. } => "submitted",
            Alert::Assigned { .. } => "assigned",
            Alert::DueSoon { .. } => "due_soon",
        }
    }

    /// The lookup code of the case it is about.
    pub fn code(&self) -> &str {
        match self {
            Alert::Submitted { code, .. }
            | Alert::Assigned { code, .. }
            | Alert::DueSoon { code, .. } => code,
        }
    }

    /// What tells this event from every other: the same key is never
    /// queued twice. A due date moved by an extension is another key.
    pub fn key(&self) -> String {
        match self {
            Alert::Submitted { code, .. } => format!("submitted:{code}"),
            Alert::Assigned { code, unit } => format!("assigned:{code}:{unit}"),
            Alert::DueSoon { code, due } => format!("due:{code}:{due}"),
        }
    }

    /// What is kept beside the code: the kind's code, the unit or the due
    /// date.
    fn detail(&self) -> String {
        match self {
            Alert::Submitted { kind, .. } => kind.code().to_owned(),
            Alert::Assigned { unit, .. } => unit.clone(),
            Alert::DueSoon { due, .. } => due.to_string(),
        }
    }

    /// The alert kept as `event`, `code` and `detail`; `None` if a later
    /// version wrote it.
    fn read(event: &str, code: String, detail: String) -> Option<Alert> {
        Some(match event {
            "submitted" => Alert::Submitted {
                kind: Kind::from_code(&detail)?,
                code,
            },
            "assigned" => Alert::Assigned { code, unit: detail },
            "due_soon" => Alert::DueSoon {
                due: Date::parse(&detail)?,
                code,
            },
            _ => return None,
        })
    }
}

/// A way staff are alerted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// A signed JSON POST.
    Webhook,
    /// A mail through SMTP.
    Email,
}

impl Channel {
    /// Its name in the log and in error texts.
    pub fn name(self) -> &'static str {
        match self {
            Channel::Webhook => "webhook",
            Channel::Email => "email",
        }
    }

    /// The column that holds when it was delivered.
    fn column(self) -> &'static str {
        match self {
            Channel::Webhook => "webhook_at",
            Channel::Email => "email_at",
        }
    }
}

/// Where an alert is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlertState {
    /// To be sent, or sent again after a failure.
    Pending,
    /// Every channel took it.
    Delivered,
    /// Given up on: not delivered within [`Backoff::give_up_after`].
    Failed,
}

impl AlertState {
    /// Its code in the database.
    pub fn code(self) -> &'static str {
        match self {
            AlertState::Pending => "pending",
            AlertState::Delivered => "delivered",
            AlertState::Failed => "failed",
        }
    }

    fn from_code(code: &str) -> AlertState {
        match code {
            "delivered" => AlertState::Delivered,
            "failed" => AlertState::Failed,
            _ => AlertState::Pending,
        }
    }
}

/// An alert as kept in the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Queued {
    /// Its row's number: the delivery id a receiver drops duplicates by.
    pub id: i64,
    /// What it says; `None` if a later version wrote it.
    pub alert: Option<Alert>,
    /// The case's kind.
    pub kind: Option<Kind>,
    /// When it was queued, in seconds since 1970.
    pub queued_at: i64,
    /// Where it is.
    pub state: AlertState,
    /// When the webhook took it.
    pub webhook_at: Option<i64>,
    /// When the mail server took it.
    pub email_at: Option<i64>,
    /// Failed attempts so far.
    pub attempts: u32,
    /// When it is to be sent next (while pending).
    pub next_at: i64,
    /// Why the last attempt failed; empty if none did.
    pub last_error: String,
}

impl Queued {
    /// Whether `channel` has taken it.
    pub fn delivered(&self, channel: Channel) -> bool {
        match channel {
            Channel::Webhook => self.webhook_at.is_some(),
            Channel::Email => self.email_at.is_some(),
        }
    }
}

/// How failed alerts are retried: the first retry after [`first`]
/// seconds, each later one after twice the wait before, never more than
/// [`most`], until the alert is [`give_up_after`] seconds old.
///
/// [`first`]: Backoff::first
/// [`most`]: Backoff::most
/// [`give_up_after`]: Backoff::give_up_after
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// Seconds before the first retry.
    pub first: i64,
    /// The longest wait between two attempts, in seconds.
    pub most: i64,
    /// Seconds after queuing past which an undelivered alert is given up.
    pub give_up_after: i64,
}

impl Backoff {
    /// One minute, doubling up to six hours, given up after three days.
    pub const STANDARD: Backoff = Backoff {
        first: 60,
        most: 6 * 3600,
        give_up_after: 3 * 86_400,
    };

    /// Seconds to wait after the `failures`th failed attempt (from 1).
    pub fn delay(&self, failures: u32) -> i64 {
        let doublings = failures.saturating_sub(1).min(32);
        self.first.saturating_mul(1 << doublings).min(self.most)
    }
}

/// What became of a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// It is tried again at this time.
    At(i64),
    /// It is too old: given up, kept as failed.
    GaveUp,
}

/// Seconds an alert taken for sending is held from other senders (another
/// server process on the same file): if the sender dies, it is sent again
/// after this.
const LEASE: i64 = 15 * 60;

/// The longest error text kept.
const ERROR_CHARS: usize = 500;

/// Queues `alert` at `now` in the caller's transaction, unless an alert
/// with its key was queued before.
pub(crate) fn enqueue(conn: &impl Sql, alert: &Alert, now: i64) -> Result<()> {
    queue(conn, alert, now).map(drop)
}

/// Queues `alert`; whether it is new.
fn queue(conn: &impl Sql, alert: &Alert, now: i64) -> Result<bool> {
    let added = conn.execute(
        "INSERT OR IGNORE INTO alert (dedupe, event, code, detail, queued_at, next_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![
            alert.key(),
            alert.event(),
            alert.code(),
            alert.detail(),
            now
        ],
    )?;
    Ok(added == 1)
}

/// The columns of [`Queued`], in [`queued_row`]'s order, with the
/// submission as `s`.
const QUEUED: &str = "alert.id, alert.event, alert.code, alert.detail, s.kind, alert.queued_at,
     alert.state, alert.webhook_at, alert.email_at, alert.attempts, alert.next_at,
     alert.last_error";

fn queued_row(r: &Row) -> Result<Queued> {
    let event: String = r.get(1)?;
    let kind: Option<String> = r.get(4)?;
    let state: String = r.get(6)?;
    Ok(Queued {
        id: r.get(0)?,
        alert: Alert::read(&event, r.get(2)?, r.get(3)?),
        kind: kind.as_deref().and_then(Kind::from_code),
        queued_at: r.get(5)?,
        state: AlertState::from_code(&state),
        webhook_at: r.get(7)?,
        email_at: r.get(8)?,
        attempts: r.get(9)?,
        next_at: r.get(10)?,
        last_error: r.get(11)?,
    })
}

impl Store {
    /// Takes at most `most` pending alerts due at `now`, oldest first, and
    /// holds them from other senders for a while. Alerts that have waited
    /// past `backoff.give_up_after` without being sent (no sender ran)
    /// are given up first.
    pub fn take_alerts(&mut self, now: i64, most: usize, backoff: &Backoff) -> Result<Vec<Queued>> {
        let tx = self.conn.write()?;
        tx.execute(
            "UPDATE alert SET state = 'failed',
                 last_error = CASE last_error WHEN '' THEN ?2 ELSE last_error END
             WHERE state = 'pending' AND queued_at <= ?1",
            params![
                now - backoff.give_up_after,
                "not sent in time: no server with alerts configured was running"
            ],
        )?;
        let taken = tx.query_map(
            &format!(
                "SELECT {QUEUED} FROM alert LEFT JOIN submission s ON s.code = alert.code
                 WHERE alert.state = 'pending' AND alert.next_at <= ?1
                 ORDER BY alert.next_at, alert.id LIMIT ?2"
            ),
            params![now, most as i64],
            queued_row,
        )?;
        for queued in &taken {
            tx.execute(
                "UPDATE alert SET next_at = ?2 WHERE id = ?1",
                params![queued.id, now + LEASE],
            )?;
        }
        tx.commit()?;
        Ok(taken)
    }

    /// Marks the alert `id` as taken by `channel` at `now`.
    pub fn alert_delivered(&mut self, id: i64, channel: Channel, now: i64) -> Result<()> {
        let column = channel.column();
        self.conn.execute(
            &format!("UPDATE alert SET {column} = COALESCE({column}, ?2) WHERE id = ?1"),
            params![id, now],
        )?;
        Ok(())
    }

    /// Marks the alert `id` as delivered on every channel there is: it is
    /// not sent again.
    pub fn alert_done(&mut self, id: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE alert SET state = 'delivered' WHERE id = ?1 AND state = 'pending'",
            params![id],
        )?;
        Ok(())
    }

    /// Records that sending the alert `id` failed at `now` with `error`:
    /// it is tried again after the wait `backoff` gives, or, once too
    /// old, given up and kept as failed.
    pub fn alert_failed(
        &mut self,
        id: i64,
        error: &str,
        now: i64,
        backoff: &Backoff,
    ) -> Result<Retry> {
        let error: String = error.chars().take(ERROR_CHARS).collect();
        let tx = self.conn.write()?;
        let (attempts, queued_at): (u32, i64) = tx.query_row(
            "SELECT attempts, queued_at FROM alert WHERE id = ?1",
            params![id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let failures = attempts.saturating_add(1);
        let retry = if now - queued_at >= backoff.give_up_after {
            Retry::GaveUp
        } else {
            Retry::At(now + backoff.delay(failures))
        };
        let (state, next_at) = match retry {
            Retry::At(at) => (AlertState::Pending, at),
            Retry::GaveUp => (AlertState::Failed, now),
        };
        tx.execute(
            "UPDATE alert SET attempts = ?2, last_error = ?3, state = ?4, next_at = ?5
             WHERE id = ?1",
            params![id, failures, error, state.code(), next_at],
        )?;
        tx.commit()?;
        Ok(retry)
    }

    /// The alert `id`, if there is one.
    pub fn alert(&self, id: i64) -> Result<Option<Queued>> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {QUEUED} FROM alert LEFT JOIN submission s ON s.code = alert.code
                     WHERE alert.id = ?1"
                ),
                params![id],
                queued_row,
            )
            .optional()
    }

    /// At most `most` alerts not delivered, still being tried or given
    /// up, newest first: what staff should know did not reach them.
    pub fn alerts_not_delivered(&self, most: usize) -> Result<Vec<Queued>> {
        self.conn.query_map(
            &format!(
                "SELECT {QUEUED} FROM alert LEFT JOIN submission s ON s.code = alert.code
                 WHERE alert.state != 'delivered' ORDER BY alert.id DESC LIMIT ?1"
            ),
            params![most as i64],
            queued_row,
        )
    }

    /// Queues, at `now`, a [`Alert::DueSoon`] for every disclosure request
    /// whose clock runs and whose reply is due within `days` working days
    /// of `today`, or already past: once per due date, so an extension
    /// that moves it alerts again. Requests whose clock cannot be worked
    /// out (a year the calendar lacks) are passed over. Returns how many
    /// were queued.
    pub fn queue_due_soon(
        &mut self,
        calendars: &super::SiteCalendars,
        days: u32,
        today: Date,
        now: i64,
    ) -> Result<usize> {
        let due: Vec<Alert> = self
            .requests()?
            .into_iter()
            .filter_map(|case| {
                // In the working days of the request's site.
                let calendar = calendars.of(&case.site);
                let clock = case.clock(calendar).ok()?;
                let due = clock.due.filter(|_| clock.status == Status::InProgress)?;
                due_within(today, due, days, calendar).then_some(Alert::DueSoon {
                    code: case.code,
                    due,
                })
            })
            .collect();
        if due.is_empty() {
            return Ok(0);
        }
        let tx = self.conn.write()?;
        let mut queued = 0;
        for alert in &due {
            queued += usize::from(queue(&tx, alert, now)?);
        }
        tx.commit()?;
        Ok(queued)
    }
}

/// Whether, on `today`, `due` is past or at most `days` working days away.
pub fn due_within(today: Date, due: Date, days: u32, calendar: &Calendar) -> bool {
    today > due
        || calendar
            .working_days_between(today, due)
            .is_ok_and(|left| left <= days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::{complaint, request, temp_store};
    use xxgk_core::case::{Action, Event};

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    /// `calendar` as every site's.
    fn only(calendar: &Calendar) -> crate::store::SiteCalendars {
        crate::store::SiteCalendars::only(std::sync::Arc::new(calendar.clone()))
    }

    /// Seconds since 1970 at 10:00 in Beijing on `day`.
    fn at(day: &str) -> i64 {
        i64::from(date(day).days()) * 86_400 + 2 * 3600
    }

    /// A request sent on `sent` and confirmed that day: its code.
    fn confirmed(store: &mut Store, key: &str, sent: &str, calendar: &Calendar) -> String {
        let code = store
            .submit(&request(key, false), false, at(sent))
            .unwrap()
            .code()
            .to_owned();
        act(store, &code, sent, Action::Confirm, calendar);
        code
    }

    fn act(store: &mut Store, code: &str, on: &str, action: Action, calendar: &Calendar) {
        let event = Event {
            on: date(on),
            action,
        };
        store
            .act(code, &event, "", "test", at(on), calendar)
            .unwrap();
    }

    fn pending(store: &Store) -> Vec<Alert> {
        let mut alerts: Vec<Alert> = store
            .alerts_not_delivered(100)
            .unwrap()
            .into_iter()
            .filter_map(|q| q.alert)
            .collect();
        alerts.reverse();
        alerts
    }

    fn due_soon(store: &Store) -> Vec<Alert> {
        pending(store)
            .into_iter()
            .filter(|a| matches!(a, Alert::DueSoon { .. }))
            .collect()
    }

    #[test]
    fn a_request_is_due_soon_in_its_site_s_working_days() {
        let (_dir, mut store) = temp_store();
        let calendar = Calendar::builtin();
        // A site whose week of 2024-09-09 is off locally.
        let site = crate::store::Site {
            code: "local".into(),
            name: "本地".into(),
            parent: String::new(),
            origins: Vec::new(),
            reply_days: None,
            calendar: "2024-09-09..2024-09-13 off 本地节日".into(),
        };
        store.put_site(&site, false, 1).unwrap();
        let calendars = store
            .sites()
            .unwrap()
            .calendars(std::sync::Arc::new(calendar.clone()));
        // Both confirmed on 2024-09-02: the default site's is due
        // 2024-09-30, within three working days of 2024-09-26; the
        // site's a week later.
        let plain = confirmed(&mut store, "key-plain001", "2024-09-02", &calendar);
        let local = store
            .submit_for(
                "local",
                &request("key-local001", false),
                false,
                at("2024-09-02"),
            )
            .unwrap()
            .code()
            .to_owned();
        act(
            &mut store,
            &local,
            "2024-09-02",
            Action::Confirm,
            calendars.of("local"),
        );
        store
            .queue_due_soon(&calendars, 3, date("2024-09-26"), at("2024-09-26"))
            .unwrap();
        assert_eq!(
            due_soon(&store),
            [Alert::DueSoon {
                code: plain,
                due: date("2024-09-30"),
            }]
        );
        let local_due = store
            .case(&local)
            .unwrap()
            .unwrap()
            .clock(calendars.of("local"))
            .unwrap()
            .due
            .unwrap();
        assert_eq!(local_due, date("2024-10-12"));
    }

    #[test]
    fn the_dedupe_key_names_the_event_the_case_and_what_tells_it_apart() {
        let code = "ABCDEFGHJKMN".to_owned();
        let keys = [
            Alert::Submitted {
                code: code.clone(),
                kind: Kind::Complaint,
            },
            Alert::Assigned {
                code: code.clone(),
                unit: "东亭村".into(),
            },
            Alert::DueSoon {
                code: code.clone(),
                due: date("2026-12-15"),
            },
        ]
        .map(|a| a.key());
        assert_eq!(
            keys,
            [
                "submitted:ABCDEFGHJKMN",
                "assigned:ABCDEFGHJKMN:东亭村",
                "due:ABCDEFGHJKMN:2026-12-15"
            ]
        );
    }

    #[test]
    fn the_same_event_queued_twice_is_kept_once() {
        let (_dir, mut store) = temp_store();
        let code = store
            .submit(&complaint("key-assign01", false), false, 0)
            .unwrap()
            .code()
            .to_owned();
        let alert = Alert::Assigned {
            code: code.clone(),
            unit: "东亭村".into(),
        };
        enqueue(&store.conn, &alert, 1).unwrap();
        enqueue(&store.conn, &alert, 2).unwrap();
        let other = Alert::Assigned {
            code: code.clone(),
            unit: "西亭村".into(),
        };
        enqueue(&store.conn, &other, 3).unwrap();
        let submitted = Alert::Submitted {
            code,
            kind: Kind::Complaint,
        };
        assert_eq!(pending(&store), [submitted, alert, other]);
    }

    #[test]
    fn a_new_submission_is_queued_once_and_a_suspected_one_not_at_all() {
        let (_dir, mut store) = temp_store();
        let code = store
            .submit(&complaint("key-alert001", false), false, 10)
            .unwrap()
            .code()
            .to_owned();
        // A retry of the same submission is not a new one.
        store
            .submit(&complaint("key-alert001", false), false, 20)
            .unwrap();
        store
            .submit(&complaint("key-trap0001", false), true, 30)
            .unwrap();
        assert_eq!(
            pending(&store),
            [Alert::Submitted {
                code,
                kind: Kind::Complaint
            }]
        );
    }

    #[test]
    fn the_wait_doubles_from_a_minute_up_to_six_hours() {
        let waits: Vec<i64> = (1..=11).map(|n| Backoff::STANDARD.delay(n)).collect();
        assert_eq!(
            waits,
            [60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600, 21600]
        );
        assert_eq!(Backoff::STANDARD.delay(u32::MAX), 21600);
    }

    #[test]
    fn a_failed_alert_is_retried_later_and_given_up_after_three_days() {
        let (_dir, mut store) = temp_store();
        let backoff = Backoff::STANDARD;
        store
            .submit(&complaint("key-retry001", false), false, 1_000)
            .unwrap();
        let taken = store.take_alerts(1_000, 10, &backoff).unwrap();
        assert_eq!(taken.len(), 1);
        let id = taken[0].id;
        // Held while it is being sent.
        assert!(store.take_alerts(1_001, 10, &backoff).unwrap().is_empty());
        assert_eq!(
            store.alert_failed(id, "HTTP 500", 1_010, &backoff).unwrap(),
            Retry::At(1_070)
        );
        assert!(store.take_alerts(1_069, 10, &backoff).unwrap().is_empty());
        assert_eq!(store.take_alerts(1_070, 10, &backoff).unwrap().len(), 1);
        assert_eq!(
            store.alert_failed(id, "timeout", 1_080, &backoff).unwrap(),
            Retry::At(1_200)
        );
        let late = 1_000 + 3 * 86_400;
        assert_eq!(
            store.alert_failed(id, "refused", late, &backoff).unwrap(),
            Retry::GaveUp
        );
        let failed = store.alert(id).unwrap().unwrap();
        assert_eq!(failed.state, AlertState::Failed);
        assert_eq!(
            (failed.attempts, failed.last_error.as_str()),
            (3, "refused")
        );
        assert!(store
            .take_alerts(late * 2, 10, &backoff)
            .unwrap()
            .is_empty());
        assert_eq!(store.alerts_not_delivered(10).unwrap(), [failed]);
    }

    #[test]
    fn each_channel_is_marked_once_and_a_done_alert_is_not_sent_again() {
        let (_dir, mut store) = temp_store();
        let backoff = Backoff::STANDARD;
        let code = store
            .submit(&complaint("key-alert002", false), false, 100)
            .unwrap()
            .code()
            .to_owned();
        let taken = store.take_alerts(100, 10, &backoff).unwrap();
        assert_eq!(taken[0].kind, Some(Kind::Complaint));
        assert_eq!(taken[0].alert.as_ref().map(Alert::code), Some(&*code));
        let id = taken[0].id;
        store.alert_delivered(id, Channel::Webhook, 101).unwrap();
        store
            .alert_failed(id, "email: refused", 102, &backoff)
            .unwrap();
        store.alert_delivered(id, Channel::Webhook, 200).unwrap();
        let retried = store.take_alerts(500, 10, &backoff).unwrap();
        assert!(retried[0].delivered(Channel::Webhook));
        assert!(!retried[0].delivered(Channel::Email));
        assert_eq!(retried[0].webhook_at, Some(101));
        store.alert_delivered(id, Channel::Email, 501).unwrap();
        store.alert_done(id).unwrap();
        assert!(store.take_alerts(10_000, 10, &backoff).unwrap().is_empty());
        assert!(store.alerts_not_delivered(10).unwrap().is_empty());
        assert_eq!(
            store.alert(id).unwrap().unwrap().state,
            AlertState::Delivered
        );
    }

    #[test]
    fn an_alert_no_sender_took_in_three_days_is_given_up() {
        let (_dir, mut store) = temp_store();
        store
            .submit(&complaint("key-alert003", false), false, 0)
            .unwrap();
        let backoff = Backoff::STANDARD;
        assert!(store
            .take_alerts(3 * 86_400, 10, &backoff)
            .unwrap()
            .is_empty());
        let [failed] = &store.alerts_not_delivered(10).unwrap()[..] else {
            panic!("not kept")
        };
        assert_eq!(failed.state, AlertState::Failed);
        assert!(failed.last_error.contains("not sent in time"));
    }

    #[test]
    fn a_request_due_within_the_days_or_past_is_queued_once_per_due_date() {
        let (_dir, mut store) = temp_store();
        let calendar = Calendar::builtin();
        // Confirmed on Monday 2024-09-02: 20 working days, due 2024-09-30.
        let near = confirmed(&mut store, "key-near0001", "2024-09-02", &calendar);
        // Confirmed a week later: due 2024-10-12 (after the National Day
        // week), far off.
        let far = confirmed(&mut store, "key-far00001", "2024-09-09", &calendar);
        // Due earlier, but decided: nothing to warn of.
        let decided = confirmed(&mut store, "key-done0001", "2024-08-26", &calendar);
        act(
            &mut store,
            &decided,
            "2024-09-20",
            Action::Decide(xxgk_core::outcome::Outcome::from_code("disclosed").unwrap()),
            &calendar,
        );
        // Overdue: confirmed long before, still waiting.
        let late = confirmed(&mut store, "key-late0001", "2024-08-01", &calendar);
        // Waiting for a clarification: the clock stops.
        let stopped = confirmed(&mut store, "key-stop0001", "2024-08-01", &calendar);
        act(
            &mut store,
            &stopped,
            "2024-08-05",
            Action::Clarify { days: 15 },
            &calendar,
        );
        // Sent, not confirmed: no due date yet.
        store
            .submit(&request("key-unconf01", false), false, at("2024-09-20"))
            .unwrap();
        // From 2024-09-26 to 2024-09-30: three working days (27, the
        // Sunday 29 worked for the National Day, and 30).
        let today = date("2024-09-26");
        assert_eq!(
            store
                .queue_due_soon(&only(&calendar), 3, today, at("2024-09-26"))
                .unwrap(),
            2
        );
        let due = |store: &Store, code: &str| {
            let case = store.case(code).unwrap().unwrap();
            case.clock(&calendar).unwrap().due.unwrap()
        };
        let (near_due, late_due) = (due(&store, &near), due(&store, &late));
        assert_eq!(near_due, date("2024-09-30"));
        assert_eq!(due(&store, &far), date("2024-10-12"));
        let expected = [
            Alert::DueSoon {
                code: near.clone(),
                due: near_due,
            },
            Alert::DueSoon {
                code: late.clone(),
                due: late_due,
            },
        ];
        let mut queued = due_soon(&store);
        queued.sort_by_key(Alert::key);
        let mut wanted = expected.to_vec();
        wanted.sort_by_key(Alert::key);
        assert_eq!(queued, wanted);
        // Warned two working days before, not three: not yet.
        let (_dir2, mut other) = temp_store();
        confirmed(&mut other, "key-near0001", "2024-09-02", &calendar);
        assert_eq!(
            other
                .queue_due_soon(&only(&calendar), 2, today, at("2024-09-26"))
                .unwrap(),
            0
        );
        // The next scan queues nothing new.
        assert_eq!(
            store
                .queue_due_soon(&only(&calendar), 3, date("2024-09-27"), at("2024-09-27"))
                .unwrap(),
            0
        );
        // Extended: a new due date, a new alert.
        act(
            &mut store,
            &near,
            "2024-09-26",
            Action::Extend {
                approved_by: "乡长".into(),
                days: xxgk_core::case::EXTENSION_DAYS,
            },
            &calendar,
        );
        let extended = due(&store, &near);
        assert!(extended > near_due);
        assert_eq!(extended, date("2024-11-01"));
        store
            .queue_due_soon(&only(&calendar), 3, date("2024-10-29"), at("2024-10-29"))
            .unwrap();
        assert!(due_soon(&store).contains(&Alert::DueSoon {
            code: near,
            due: extended
        }));
    }
}
