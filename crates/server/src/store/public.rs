//! What the public is shown of the store, as the API's types
//! (`xxgk_core::api`): the lookup of one submission by its code, the
//! replies published with their authors' consent, and the statistics.
//! Suspected submissions are left out of the list and the figures; their
//! authors can still look them up.

use super::db::{params, Optional, Sql};
use super::events::read_events;
use super::Result;
use super::{
    in_sites, normalise_code, public_row, site_list, Public, SiteCalendars, Status, Store,
    StoredEvent, PUBLIC,
};
use xxgk_core::api::{
    Answer, Counted, Lookup, MessageStatus, Progress, PublicReply, RequestStatus, Statistics,
};
use xxgk_core::calendar::{Calendar, Uncovered};
use xxgk_core::case::{self, Clock};
use xxgk_core::submission::Kind;
use xxgk_core::Date;

/// How the receiver is set to answer the public: its working days, and the
/// reply period of messages.
#[derive(Clone, Copy)]
pub struct Terms<'a> {
    /// Each site's working days (the shipped arrangements, the operator's,
    /// and the site's own).
    pub calendars: &'a SiteCalendars,
    /// Working days to reply to a message.
    pub reply_days: u32,
}

impl Store {
    /// The public view of the submission with lookup code `code` (case,
    /// spaces and dashes ignored).
    pub fn lookup(&self, code: &str) -> Result<Option<Public>> {
        let code = normalise_code(code);
        self.conn
            .query_row(
                &format!("SELECT {PUBLIC} FROM submission WHERE code = ?1"),
                params![code],
                public_row,
            )
            .optional()
    }

    /// What the holder of the code `code` is shown: a message's status
    /// with its reply-by date, or where a request's statutory clock stands.
    pub fn public_lookup(&self, code: &str, terms: Terms) -> Result<Option<Lookup>> {
        let Some(public) = self.lookup(code)? else {
            return Ok(None);
        };
        // Its site, and the site's reply period if it sets its own.
        let (site, site_days): (String, Option<i64>) = self
            .conn
            .query_row(
                "SELECT submission.site, site.reply_days
                 FROM submission LEFT JOIN site ON site.code = submission.site
                 WHERE submission.code = ?1",
                params![public.code],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .unwrap_or_default();
        let reply_days = site_days
            .and_then(|d| u32::try_from(d).ok())
            .unwrap_or(terms.reply_days);
        let calendar = terms.calendars.of(&site);
        let progress = match public.kind {
            Kind::DisclosureRequest => {
                let events = self.history(&public.code)?;
                Progress::Request(request_status(&public, &events, calendar).0)
            }
            _ => Progress::Message(match public.status {
                Status::Received => MessageStatus::Received {
                    reply_by: Date::beijing(public.received_at)
                        .and_then(|sent| calendar.add_working_days(sent, reply_days).ok()),
                },
                Status::Replied => MessageStatus::Replied,
                Status::Rejected => MessageStatus::Rejected,
            }),
        };
        Ok(Some(Lookup {
            code: public.code,
            kind: public.kind,
            progress,
            answer: public.answer,
            received_at: public.received_at,
            answered_at: public.answered_at,
        }))
    }

    /// The history of the submission `code` (none for a message): its
    /// events alone, the submission itself is read already.
    fn history(&self, code: &str) -> Result<Vec<StoredEvent>> {
        super::events::events_of(&self.conn, code)
    }

    /// What reviewers approved for publication (store/answers.rs), of
    /// replied submissions whose authors consented: the public title and
    /// text, never the private answer. Newest reply first, at most
    /// `limit`.
    pub fn published_replies(&self, limit: usize) -> Result<Vec<PublicReply>> {
        self.published_replies_of(limit, None)
    }

    /// [`Store::published_replies`] of the sites `sites` only (all with
    /// `None`).
    pub fn published_replies_of(
        &self,
        limit: usize,
        sites: Option<&[String]>,
    ) -> Result<Vec<PublicReply>> {
        self.conn.query_map(
            // Only the published rows are read, in the order shown, however
            // many answered ones there are (the planner would otherwise
            // walk every answered row by the status index).
            &format!(
                "SELECT kind, public_subject, public_answer, received_at, answered_at
                 FROM submission INDEXED BY submission_published
                 WHERE published_at IS NOT NULL AND status = 'replied' AND consent = 1 AND suspected = 0
                   AND {}
                 ORDER BY answered_at DESC, received_at DESC LIMIT ?1",
                in_sites(2)
            ),
            params![limit as i64, sites.is_some(), site_list(sites)],
            |r| {
                let kind: String = r.get(0)?;
                let received_at: i64 = r.get(3)?;
                Ok(PublicReply {
                    kind: Kind::from_code(&kind).unwrap_or(Kind::Consultation),
                    subject: r.get::<Option<String>>(1)?.unwrap_or_default(),
                    answer: r.get::<Option<String>>(2)?.unwrap_or_default(),
                    received_at,
                    answered_at: r.get::<Option<i64>>(4)?.unwrap_or(received_at),
                })
            },
        )
    }

    /// The statistics per year and kind at `now` (seconds since 1970),
    /// suspected submissions left out; with the first year the calendar
    /// lacks, if a figure needed it.
    pub fn statistics(&self, terms: Terms, now: i64) -> Result<(Statistics, Option<Uncovered>)> {
        self.statistics_of(terms, now, None)
    }

    /// [`Store::statistics`] of the sites `sites` only (all with `None`),
    /// each submission judged in its site's working days, and each
    /// message by its site's reply period.
    pub fn statistics_of(
        &self,
        terms: Terms,
        now: i64,
        sites: Option<&[String]>,
    ) -> Result<(Statistics, Option<Uncovered>)> {
        let rows: Vec<(Public, Option<i64>, String)> = self.conn.query_map(
            &format!(
                "SELECT {PUBLIC}, (SELECT reply_days FROM site WHERE site.code = submission.site),
                     site
                 FROM submission WHERE suspected = 0 AND {}",
                in_sites(1)
            ),
            params![sites.is_some(), site_list(sites)],
            |r| Ok((public_row(r)?, r.get(7)?, r.get(8)?)),
        )?;
        let mut counted = Vec::new();
        for (public, site_days, site) in rows {
            let calendar = terms.calendars.of(&site);
            let Some(sent) = Date::beijing(public.received_at) else {
                continue;
            };
            let answered = public.answered_at.and_then(Date::beijing);
            let answer = match public.kind {
                Kind::DisclosureRequest => {
                    let events = self.history(&public.code)?;
                    match request_status(&public, &events, calendar) {
                        // Against the due date the decision met or missed;
                        // without its clock (a year the calendar lacks), as
                        // any answer, so the missing year is reported.
                        (RequestStatus::Decided { decided, .. }, Some(clock)) => Answer::Decided {
                            on: decided,
                            due: clock.due,
                        },
                        (RequestStatus::Decided { decided, .. }, None) => Answer::On(decided),
                        _ => answered.map_or(Answer::Open, Answer::On),
                    }
                }
                _ => match (answered, site_days.and_then(|d| u32::try_from(d).ok())) {
                    (None, _) => Answer::Open,
                    // A site's own reply period: judged against its due
                    // day here, the receiver's in the count.
                    (Some(on), Some(days)) => match calendar.add_working_days(sent, days) {
                        Ok(due) => Answer::Decided { on, due: Some(due) },
                        Err(_) => Answer::On(on),
                    },
                    (Some(on), None) => Answer::On(on),
                },
            };
            counted.push(Counted {
                kind: public.kind,
                sent,
                answer,
                calendar,
            });
        }
        let this_year = Date::beijing(now).map_or(1970, Date::year);
        Ok(Statistics::count(&counted, terms.reply_days, this_year))
    }
}

/// Where a request stands, with its clock when it can be worked out: by
/// the clock once its history has begun (steps taken back and the events
/// on record only, a reply, a restore, a void, are not the clock's);
/// before that, 待确认, or the answer an earlier version's `reply` or
/// `reject` gave. Without the clock (a year the calendar lacks, a step
/// this version cannot read), the days recorded still say when it was
/// received and decided; otherwise it shows no dates.
fn request_status(
    public: &Public,
    events: &[StoredEvent],
    calendar: &Calendar,
) -> (RequestStatus, Option<Clock>) {
    let live = match read_events(events) {
        Ok(live) if live.is_empty() => {
            let status = match public.status {
                Status::Received => RequestStatus::Unconfirmed,
                Status::Replied => RequestStatus::AnsweredBefore { rejected: false },
                Status::Rejected => RequestStatus::AnsweredBefore { rejected: true },
            };
            return (status, None);
        }
        Ok(live) => live,
        Err(_) => {
            tracing::warn!(
                "a request's history holds a step this version cannot read: its lookup shows no dates"
            );
            return (without_clock(public, case::Counted::default()), None);
        }
    };
    match Clock::of(&live, calendar) {
        Ok(clock) => (RequestStatus::of(&clock), Some(clock)),
        Err(why) => {
            tracing::warn!(
                %why,
                "a request's clock cannot be worked out: its lookup shows no due date until the calendar has the year (--calendar, docs/calendar.md)"
            );
            (without_clock(public, case::Counted::of(&live)), None)
        }
    }
}

/// Where a request whose clock cannot be worked out stands, from the days
/// `counted` in its history.
fn without_clock(public: &Public, counted: case::Counted) -> RequestStatus {
    match (counted.first_received, counted.decided, public.status) {
        (Some(received), Some((decided, outcome)), _) => RequestStatus::Decided {
            received,
            decided,
            outcome,
        },
        (_, _, Status::Received) => RequestStatus::Undated,
        (_, _, status) => RequestStatus::AnsweredBefore {
            rejected: status == Status::Rejected,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::{complaint, request, temp_store};
    use xxgk_core::case::{Action, Event};
    use xxgk_core::outcome::Outcome;
    use xxgk_core::submission::Submission;

    /// Seconds since 1970 at 10:00 in Beijing on `day`.
    fn at(day: &str) -> i64 {
        i64::from(Date::parse(day).unwrap().days()) * 86_400 + 2 * 3600
    }

    /// Confirms the request `code` on `received` and decides it (予以公开)
    /// on `decided`, both recorded at `now`.
    fn confirm_and_decide(
        store: &mut Store,
        code: &str,
        (received, decided): (&str, &str),
        now: i64,
        calendar: &Calendar,
    ) {
        for (on, action) in [
            (received, Action::Confirm),
            (
                decided,
                Action::Decide(Outcome::from_code("disclosed").unwrap()),
            ),
        ] {
            let event = Event {
                on: Date::parse(on).unwrap(),
                action,
            };
            store.act(code, &event, "", "test", now, calendar).unwrap();
        }
    }

    #[test]
    fn an_empty_store_has_this_year_with_nothing_received() {
        let (_dir, store) = temp_store();
        let calendar = Calendar::builtin();
        let terms = Terms {
            calendars: &crate::store::SiteCalendars::only(std::sync::Arc::new(calendar.clone())),
            reply_days: 15,
        };
        let (stats, uncovered) = store.statistics(terms, at("2024-06-03")).unwrap();
        assert_eq!(uncovered, None);
        assert_eq!(stats.years.len(), 1);
        assert_eq!(stats.years[0].year, 2024);
        assert_eq!(stats.years[0].messages.answered_per_mille(), None);
        assert_eq!(stats.reply_days, 15);
    }

    #[test]
    fn a_year_s_figures_count_messages_and_requests_apart_by_the_decision_s_day_in_law() {
        let (_dir, mut store) = temp_store();
        let calendar = Calendar::builtin();
        let terms = Terms {
            calendars: &crate::store::SiteCalendars::only(std::sync::Arc::new(calendar.clone())),
            reply_days: 15,
        };
        let sent = at("2024-09-27");
        let code = |s: &mut Store, submission: &Submission, suspected| {
            s.submit(submission, suspected, sent)
                .unwrap()
                .code()
                .to_owned()
        };
        let quick = code(&mut store, &complaint("key-quick001", true), false);
        let late = code(&mut store, &complaint("key-late0001", false), false);
        let open = code(&mut store, &complaint("key-open0001", false), false);
        let spam = code(&mut store, &complaint("key-spam0001", false), true);
        let decided = code(&mut store, &request("key-request1", true), false);
        store
            .reply(&quick, "已修复。", "测试", at("2024-09-30"))
            .unwrap();
        store
            .reject(&late, "不属于本机关职责。", "测试", at("2024-10-24"))
            .unwrap();
        store.reply(&spam, "x", "测试", at("2024-09-30")).unwrap();
        // Decided on its due date in law, recorded weeks later.
        confirm_and_decide(
            &mut store,
            &decided,
            ("2024-09-27", "2024-10-30"),
            at("2024-11-20"),
            &calendar,
        );
        let (stats, _) = store.statistics(terms, at("2024-12-01")).unwrap();
        let year = &stats.years[0];
        assert_eq!(year.year, 2024);
        let m = year.messages;
        assert_eq!((m.received, m.answered, m.on_time), (3, 2, 1));
        let r = year.requests;
        assert_eq!((r.received, r.answered, r.on_time), (1, 1, 1));
        assert_eq!(r.median_working_days, Some(20));
        // The lookup of a message waiting for its reply names its last day.
        let open = store.public_lookup(&open, terms).unwrap().unwrap().progress;
        assert_eq!(
            open,
            Progress::Message(MessageStatus::Received {
                reply_by: Date::parse("2024-10-23"),
            })
        );
        let shown = store.public_lookup(&decided, terms).unwrap().unwrap();
        assert!(matches!(
            shown.progress,
            Progress::Request(RequestStatus::Decided { .. })
        ));
        // Only what a reviewer approved is published, never the suspected
        // one's, and never the private answer.
        assert_eq!(store.published_replies(10).unwrap(), []);
        let now = at("2024-12-01");
        store
            .publish(&quick, "路灯", "公开：已修复。", "审核", now)
            .unwrap();
        store
            .publish(&decided, "申请", "公开：予以公开。", "审核", now)
            .unwrap();
        assert!(store.publish(&spam, "x", "x", "审核", now).is_err());
        let published: Vec<(String, String)> = store
            .published_replies(10)
            .unwrap()
            .into_iter()
            .map(|p| (p.subject, p.answer))
            .collect();
        assert_eq!(
            published,
            [
                ("申请".to_owned(), "公开：予以公开。".to_owned()),
                ("路灯".to_owned(), "公开：已修复。".to_owned())
            ]
        );
    }

    #[test]
    fn a_decision_taken_back_leaves_the_lookup_which_keeps_its_dates() {
        let (_dir, mut store) = temp_store();
        let calendar = Calendar::builtin();
        let terms = Terms {
            calendars: &crate::store::SiteCalendars::only(std::sync::Arc::new(calendar.clone())),
            reply_days: 15,
        };
        let code = store
            .submit(&request("key-voided01", true), false, at("2024-09-27"))
            .unwrap()
            .code()
            .to_owned();
        confirm_and_decide(
            &mut store,
            &code,
            ("2024-09-27", "2024-10-08"),
            at("2024-10-08"),
            &calendar,
        );
        let decided = store.public_lookup(&code, terms).unwrap().unwrap();
        assert!(matches!(
            decided.progress,
            Progress::Request(RequestStatus::Decided { .. })
        ));
        store
            .void(&code, 2, "记错了", "test", at("2024-10-09"), &calendar)
            .unwrap();
        let open = store.public_lookup(&code, terms).unwrap().unwrap();
        assert_eq!(
            open.progress,
            Progress::Request(RequestStatus::InProgress {
                received: Date::parse("2024-09-27").unwrap(),
                due: Date::parse("2024-10-30").unwrap(),
                extended: false,
            })
        );
    }

    #[test]
    fn a_request_decided_the_afternoon_it_came_is_not_answered_before_it_came() {
        let (_dir, mut store) = temp_store();
        let calendar = Calendar::builtin();
        let sent = at("2024-09-27") + 4 * 3600;
        let code = store
            .submit(&request("key-sameday1", true), false, sent)
            .unwrap()
            .code()
            .to_owned();
        confirm_and_decide(
            &mut store,
            &code,
            ("2024-09-27", "2024-09-27"),
            at("2024-09-30"),
            &calendar,
        );
        let seen = store.lookup(&code).unwrap().unwrap();
        assert_eq!(seen.answered_at, Some(sent));
    }

    #[test]
    fn a_decision_in_a_year_the_receiver_s_calendar_lacks_is_still_shown_as_decided() {
        let (_dir, mut store) = temp_store();
        // Staff had next year's arrangement; the receiver not yet.
        let mut staff = Calendar::builtin();
        staff.add("year 2099\n").unwrap();
        let receiver = Calendar::builtin();
        let terms = Terms {
            calendars: &crate::store::SiteCalendars::only(std::sync::Arc::new(receiver.clone())),
            reply_days: 15,
        };
        let code = store
            .submit(&request("key-nextyear", true), false, at("2099-03-02"))
            .unwrap()
            .code()
            .to_owned();
        confirm_and_decide(
            &mut store,
            &code,
            ("2099-03-02", "2099-03-10"),
            at("2099-03-10"),
            &staff,
        );
        let shown = store.public_lookup(&code, terms).unwrap().unwrap();
        assert_eq!(
            shown.progress,
            Progress::Request(RequestStatus::Decided {
                received: Date::parse("2099-03-02").unwrap(),
                decided: Date::parse("2099-03-10").unwrap(),
                outcome: Outcome::from_code("disclosed").unwrap(),
            })
        );
        // The statistics cannot judge it in time, and say which year.
        let (stats, uncovered) = store.statistics(terms, at("2099-03-11")).unwrap();
        assert_eq!(uncovered.map(|u| u.year), Some(2099));
        assert_eq!(stats.years[0].requests.on_time, 0);
    }

    #[test]
    fn a_request_answered_before_it_had_a_history_keeps_its_answer() {
        let (_dir, mut store) = temp_store();
        let calendar = Calendar::builtin();
        let terms = Terms {
            calendars: &crate::store::SiteCalendars::only(std::sync::Arc::new(calendar.clone())),
            reply_days: 15,
        };
        let code = store
            .submit(&request("key-oldreply", true), false, at("2024-09-27"))
            .unwrap()
            .code()
            .to_owned();
        let waiting = store.public_lookup(&code, terms).unwrap().unwrap();
        assert_eq!(
            waiting.progress,
            Progress::Request(RequestStatus::Unconfirmed)
        );
        store
            .reply(&code, "已答复。", "测试", at("2024-10-30"))
            .unwrap();
        let answered = store.public_lookup(&code, terms).unwrap().unwrap();
        assert_eq!(
            answered.progress,
            Progress::Request(RequestStatus::AnsweredBefore { rejected: false })
        );
        let (stats, _) = store.statistics(terms, at("2024-12-01")).unwrap();
        assert_eq!(stats.years[0].requests.on_time, 1);
    }
}
