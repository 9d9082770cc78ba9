//! How an answer is prepared and what of it is published: a case is
//! assigned to the office or village in charge (转办), an answer is
//! drafted there for review, and the text the public reads is a separate
//! text a reviewer approves, only where the citizen consented. Every
//! step is an event in the case's history; personal data is purged from
//! closed cases after the retention period.

use super::db::{params, Optional, Row, Sql, Tx};
use super::events::{events_of, histories, Kept};
use super::Result;
use super::{normalise_code, record_row, ActError, Record, Store, StoredEvent, PUBLIC};
use std::collections::HashMap;
use xxgk_core::submission::Kind;
use xxgk_core::Date;

/// An answer drafted for review.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    /// For a request, the outcome's code (`refused-4`); empty for a
    /// message.
    pub outcome: String,
    /// The private answer: what the citizen reads by the lookup code.
    pub reply: String,
    /// The public title proposed (where the citizen consented).
    pub public_subject: String,
    /// The public text proposed (where the citizen consented).
    pub public_answer: String,
    /// Who drafted it.
    pub author: String,
    /// When.
    pub at: i64,
    /// Why the reviewer sent it back, if they did.
    pub returned: Option<String>,
    /// Whether the answer went out: what is left is its public text,
    /// proposed for the reviewer to approve.
    pub answered: bool,
}

impl Draft {
    /// Whether it waits for a reviewer: neither returned nor answered.
    pub fn pending(&self) -> bool {
        self.returned.is_none() && !self.answered
    }
}

/// Settles the draft of `code` when its answer goes out: its public text,
/// if it proposed one, stays for the reviewer to approve; otherwise it is
/// done with.
pub(super) fn settle_draft(tx: &impl Sql, code: &str) -> Result<()> {
    tx.execute(
        "UPDATE draft SET answered = 1 WHERE code = ?1 AND (public_subject != '' OR public_answer != '')",
        params![code],
    )?;
    tx.execute(
        "DELETE FROM draft WHERE code = ?1 AND answered = 0",
        params![code],
    )?;
    Ok(())
}

/// What the public reads of a case, approved by a reviewer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// The public title.
    pub subject: String,
    /// The public text.
    pub answer: String,
    /// When it was approved, in seconds since 1970.
    pub at: i64,
}

/// A case as the console shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    /// The submission, as kept.
    pub record: Record,
    /// Whether the citizen agreed to publication.
    pub consent: bool,
    /// The office or village it is assigned to; empty if none.
    pub unit: String,
    /// The site it was sent to (`''`: the default site).
    pub site: String,
    /// What is published of it.
    pub published: Option<Published>,
    /// The answer drafted for review.
    pub draft: Option<Draft>,
    /// Its history.
    pub events: Vec<StoredEvent>,
    /// When its personal data was purged.
    pub purged_at: Option<i64>,
}

const SHEET: &str = "site, unit, consent, public_subject, public_answer, published_at, purged_at";

/// The columns of a [`Draft`], in [`draft_row`]'s order.
const DRAFT: &str = "outcome, reply, public_subject, public_answer, author, at, returned, answered";

/// The [`Draft`] in the columns [`DRAFT`] from column `at` on.
fn draft_row(r: &Row, at: usize) -> Result<Draft> {
    Ok(Draft {
        outcome: r.get(at)?,
        reply: r.get(at + 1)?,
        public_subject: r.get(at + 2)?,
        public_answer: r.get(at + 3)?,
        author: r.get(at + 4)?,
        at: r.get(at + 5)?,
        returned: r.get(at + 6)?,
        answered: r.get(at + 7)?,
    })
}

/// The most characters of a public title, and of an office's name.
const LINE_MOST: usize = 100;

impl Store {
    /// The case `code` as the console shows it.
    pub fn sheet(&self, code: &str) -> Result<Option<Sheet>> {
        let code = normalise_code(code);
        let sheet = self
            .conn
            .query_row(
                &format!(
                    "SELECT {PUBLIC}, data, suspected, {SHEET} FROM submission WHERE code = ?1"
                ),
                params![code],
                sheet_row,
            )
            .optional()?;
        let Some(mut sheet) = sheet else {
            return Ok(None);
        };
        sheet.draft = self.draft(&code)?;
        sheet.events = events_of(&self.conn, &code)?;
        Ok(Some(sheet))
    }

    /// Every case, newest first, with its history and draft; only those
    /// assigned to `unit` if given.
    pub fn sheets(&self, unit: Option<&str>) -> Result<Vec<Sheet>> {
        let mut sheets = self.conn.query_map(
            &format!(
                "SELECT {PUBLIC}, data, suspected, {SHEET} FROM submission
                 WHERE (unit = ?1 OR ?1 IS NULL) ORDER BY received_at DESC, rowid DESC"
            ),
            params![unit],
            sheet_row,
        )?;
        // Drafts and histories in one reading each, not one per case.
        let mut drafts: HashMap<String, Draft> = self
            .conn
            .query_map(
                &format!(
                    "SELECT code, {DRAFT} FROM draft
                     WHERE (code IN (SELECT code FROM submission WHERE unit = ?1) OR ?1 IS NULL)"
                ),
                params![unit],
                |r| Ok((r.get::<String>(0)?, draft_row(r, 1)?)),
            )?
            .into_iter()
            .collect();
        let mut histories = histories(&self.conn, unit)?;
        for sheet in &mut sheets {
            let code = &sheet.record.public.code;
            sheet.draft = drafts.remove(code);
            sheet.events = histories.remove(code).unwrap_or_default();
        }
        Ok(sheets)
    }

    /// The office or village the case `code` is assigned to (empty if
    /// none); `None` if there is no such case.
    pub fn unit_of(&self, code: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT unit FROM submission WHERE code = ?1",
                params![normalise_code(code)],
                |r| r.get(0),
            )
            .optional()
    }

    /// The site of the case `code`, if there is one.
    pub fn site_of(&self, code: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT site FROM submission WHERE code = ?1",
                params![normalise_code(code)],
                |r| r.get(0),
            )
            .optional()
    }

    /// The codes of the cases assigned to the office or village `unit`.
    pub fn assigned_to(&self, unit: &str) -> Result<Vec<String>> {
        if unit.is_empty() {
            return Ok(Vec::new());
        }
        self.conn.query_map(
            "SELECT code FROM submission WHERE unit = ?1",
            params![unit],
            |r| r.get(0),
        )
    }

    /// The offices and villages cases have been assigned to, and those
    /// of the handlers' accounts, by name.
    pub fn units(&self) -> Result<Vec<String>> {
        self.conn.query_map(
            "SELECT unit FROM submission WHERE unit != ''
             UNION SELECT unit FROM staff WHERE unit != '' ORDER BY 1",
            params![],
            |r| r.get(0),
        )
    }

    fn draft(&self, code: &str) -> Result<Option<Draft>> {
        self.conn
            .query_row(
                &format!("SELECT {DRAFT} FROM draft WHERE code = ?1"),
                params![code],
                |r| draft_row(r, 0),
            )
            .optional()
    }

    /// Assigns the case `code` to the office or village `unit` (转办), by
    /// `actor` at `now`.
    pub fn assign(
        &mut self,
        code: &str,
        unit: &str,
        actor: &str,
        now: i64,
    ) -> Result<(), ActError> {
        let unit = one_line(unit, "承办单位")?;
        self.change(code, now, |tx, code, state| {
            state.open_case()?;
            tx.execute(
                "UPDATE submission SET unit = ?2 WHERE code = ?1",
                params![code, unit],
            )?;
            // The office or village is told by the staff alerts.
            super::alerts::enqueue(
                tx,
                &super::Alert::Assigned {
                    code: code.to_owned(),
                    unit: unit.clone(),
                },
                now,
            )?;
            Ok(Kept::record("assign", &unit, "", actor, now))
        })
    }

    /// Keeps `draft` as the answer proposed for the case `code`, by
    /// `actor` at `now`, for a reviewer to approve or return. A public
    /// text only where the citizen consented.
    pub fn save_draft(
        &mut self,
        code: &str,
        draft: &Draft,
        actor: &str,
        now: i64,
    ) -> Result<(), ActError> {
        self.change(code, now, |tx, code, state| {
            state.open_case()?;
            if draft.reply.trim().is_empty() {
                return Err(ActError::Invalid("答复正文是空的：写上申请人将看到的答复".into()));
            }
            let request = state.kind == Kind::DisclosureRequest;
            if request {
                xxgk_core::outcome::Outcome::from_code(&draft.outcome)
                    .map_err(|e| ActError::Invalid(e.to_string()))?;
            }
            let public = !draft.public_subject.trim().is_empty() || !draft.public_answer.trim().is_empty();
            if public && !state.consent {
                return Err(ActError::Invalid(
                    "提交人没有同意公开：不能拟公开文本".into(),
                ));
            }
            tx.execute(
                "INSERT INTO draft (code, outcome, reply, public_subject, public_answer, author, at, returned)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL)
                 ON CONFLICT (code) DO UPDATE SET outcome = excluded.outcome, reply = excluded.reply,
                     public_subject = excluded.public_subject, public_answer = excluded.public_answer,
                     author = excluded.author, at = excluded.at, returned = NULL, answered = 0",
                params![
                    code,
                    if request { draft.outcome.as_str() } else { "" },
                    draft.reply.trim(),
                    draft.public_subject.trim(),
                    draft.public_answer.trim(),
                    actor,
                    now
                ],
            )?;
            Ok(Kept::record("draft", "", draft.reply.trim(), actor, now))
        })
    }

    /// Sends the draft of the case `code` back to its author, with the
    /// reviewer's `comment`.
    pub fn return_draft(
        &mut self,
        code: &str,
        comment: &str,
        actor: &str,
        now: i64,
    ) -> Result<(), ActError> {
        self.change(code, now, |tx, code, _| {
            let changed = tx.execute(
                "UPDATE draft SET returned = ?2 WHERE code = ?1 AND returned IS NULL AND answered = 0",
                params![code, comment.trim()],
            )?;
            if changed == 0 {
                return Err(ActError::Invalid("这个案件没有待审核的答复草稿".into()));
            }
            Ok(Kept::record("return", "", comment.trim(), actor, now))
        })
    }

    /// Publishes the title `subject` and the text `answer` of the answered
    /// case `code`, approved by `actor` at `now`: from then on they are
    /// what `GET /api/replies` shows of it.
    pub fn publish(
        &mut self,
        code: &str,
        subject: &str,
        answer: &str,
        actor: &str,
        now: i64,
    ) -> Result<(), ActError> {
        let (subject, answer) = public_text(subject, answer)?;
        let answer = answer.as_str();
        self.change(code, now, |tx, code, state| {
            if !state.consent {
                return Err(ActError::Invalid("提交人没有同意公开，不能公开".into()));
            }
            if state.status != "replied" {
                return Err(ActError::Invalid(
                    "还没有答复（或不予受理）：答复后才能公开".into(),
                ));
            }
            tx.execute(
                "UPDATE submission SET public_subject = ?2, public_answer = ?3, published_at = ?4
                 WHERE code = ?1",
                params![code, subject, answer, now],
            )?;
            tx.execute("DELETE FROM draft WHERE code = ?1", params![code])?;
            Ok(Kept::record("publish", &subject, answer, actor, now))
        })
    }

    /// Withdraws what is published of the case `code`, for `reason`.
    pub fn unpublish(
        &mut self,
        code: &str,
        reason: &str,
        actor: &str,
        now: i64,
    ) -> Result<(), ActError> {
        self.change(code, now, |tx, code, _| {
            let changed = tx.execute(
                "UPDATE submission SET published_at = NULL WHERE code = ?1 AND published_at IS NOT NULL",
                params![code],
            )?;
            if changed == 0 {
                return Err(ActError::Invalid("这个案件没有公开的内容".into()));
            }
            Ok(Kept::record("unpublish", "", reason.trim(), actor, now))
        })
    }

    /// Runs `step` on the case `code` in one transaction and appends the
    /// event it returns; refused for a suspected case.
    fn change<'a>(
        &mut self,
        code: &str,
        now: i64,
        step: impl FnOnce(&Tx, &str, &State) -> Result<Kept<'a>, ActError>,
    ) -> Result<(), ActError> {
        self.still_there()?;
        let code = normalise_code(code);
        let tx = self.conn.write()?;
        let state = tx
            .query_row(
                "SELECT kind, status, suspected, consent FROM submission WHERE code = ?1",
                params![code],
                |r| {
                    let kind: String = r.get(0)?;
                    Ok(State {
                        kind: Kind::from_code(&kind).unwrap_or(Kind::Consultation),
                        status: r.get(1)?,
                        suspected: r.get(2)?,
                        consent: r.get(3)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| ActError::NoSuch(code.clone()))?;
        if state.suspected {
            return Err(ActError::Suspected(code));
        }
        let kept = step(&tx, &code, &state)?;
        kept.append(&tx, &code, now)?;
        tx.commit()?;
        Ok(())
    }

    /// Empties the name, phone, email, address, representative and
    /// identity document of every answered case answered before `before`
    /// (seconds since 1970), keeping the case, its history and what the
    /// statistics count; by `actor` at `now`. Not a case whose review or
    /// lawsuit is still open. The codes of the cases purged.
    pub fn purge_personal(&mut self, before: i64, actor: &str, now: i64) -> Result<Vec<String>> {
        self.still_there()?;
        let tx = self.conn.write()?;
        let due: Vec<(String, String)> = tx.query_map(
            "SELECT code, data FROM submission WHERE purged_at IS NULL
             AND status IN ('replied', 'rejected') AND answered_at < ?1",
            params![before],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut purged = Vec::new();
        for (code, data) in due {
            // A case under reconsideration or in court is not closed: its
            // applicant is still a party. One whose history no longer
            // reads is kept too.
            let events = super::events::read_events(&events_of(&tx, &code)?);
            let pending = events.map_or(true, |events| {
                xxgk_core::case::Counted::of(&events)
                    .challenges
                    .iter()
                    .any(|c| c.result.is_none())
            });
            if pending {
                continue;
            }
            // One that no longer reads is left as it is, for staff to see.
            let Ok(kept) = xxgk_core::submission::read_kept(&data) else {
                continue;
            };
            let mut s = kept.submission().clone();
            for field in [&mut s.name, &mut s.phone, &mut s.email, &mut s.address] {
                field.clear();
            }
            if let Some(r) = &mut s.request {
                r.representative.clear();
                r.id_number.clear();
                r.id_type = None;
            }
            tx.execute(
                "UPDATE submission SET data = ?2, purged_at = ?3 WHERE code = ?1",
                params![code, s.to_json(), now],
            )?;
            Kept::record("purge", "", "", actor, now).append(&tx, &code, now)?;
            purged.push(code);
        }
        tx.commit()?;
        Ok(purged)
    }
}

/// What a step needs to know of the case it changes.
struct State {
    kind: Kind,
    status: String,
    suspected: bool,
    consent: bool,
}

impl State {
    /// Refuses a step that prepares an answer on a case already closed:
    /// a decided request (a message may be answered again).
    fn open_case(&self) -> Result<(), ActError> {
        if self.kind == Kind::DisclosureRequest && self.status != "received" {
            return Err(ActError::Invalid(
                "这份申请已经答复：答复后不能再转办或拟稿".into(),
            ));
        }
        Ok(())
    }
}

fn sheet_row(r: &Row) -> Result<Sheet> {
    // `site` is the record's too.
    let record = record_row(r)?;
    let published_at: Option<i64> = r.get(14)?;
    Ok(Sheet {
        site: record.site.clone(),
        record,
        unit: r.get(10)?,
        consent: r.get(11)?,
        published: match published_at {
            Some(at) => Some(Published {
                subject: r.get::<Option<String>>(12)?.unwrap_or_default(),
                answer: r.get::<Option<String>>(13)?.unwrap_or_default(),
                at,
            }),
            None => None,
        },
        purged_at: r.get(15)?,
        draft: None,
        events: Vec::new(),
    })
}

/// A public title and text as they may be published, trimmed: the title
/// one line, the text as any text to the public (not empty, not too long,
/// no invisible control characters).
pub fn public_text(subject: &str, answer: &str) -> Result<(String, String), ActError> {
    let subject = one_line(subject, "公开标题")?;
    if answer.trim().is_empty() {
        return Err(ActError::Invalid(
            "公开内容是空的：写上公众将在网站上看到的答复".into(),
        ));
    }
    let answer =
        crate::cases::checked(answer).map_err(|e| ActError::Invalid(format!("公开内容：{e}")))?;
    Ok((subject, answer))
}

/// A one-line text of at most [`LINE_MOST`] characters, trimmed.
fn one_line(text: &str, what: &str) -> Result<String, ActError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ActError::Invalid(format!("{what}是空的")));
    }
    if text.chars().count() > LINE_MOST
        || text.chars().any(|c| xxgk_core::text::is_hidden(c, false))
    {
        return Err(ActError::Invalid(format!(
            "{what}应为一行，最多 {LINE_MOST} 个字"
        )));
    }
    Ok(text.to_owned())
}

impl<'a> Kept<'a> {
    /// A record action done at `now`, on that day in Beijing.
    pub(super) fn record(
        action: &'a str,
        detail: &'a str,
        note: &'a str,
        actor: &'a str,
        now: i64,
    ) -> Kept<'a> {
        Kept {
            action,
            detail,
            on: Date::beijing(now).unwrap_or_else(|| Date::new(1970, 1, 1).expect("a date")),
            note,
            actor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::{complaint, request, temp_store};
    use crate::store::Alert;
    use xxgk_core::calendar::Calendar;
    use xxgk_core::case::{Action, Event};
    use xxgk_core::submission::Request;

    const NOW: i64 = 1_727_400_000; // 2024-09-27, Beijing

    fn drafted(reply: &str, public: &str) -> Draft {
        Draft {
            reply: reply.into(),
            public_subject: if public.is_empty() {
                String::new()
            } else {
                "路灯".into()
            },
            public_answer: public.into(),
            ..Draft::default()
        }
    }

    #[test]
    fn an_assigned_case_is_listed_for_its_unit_and_alerts_it() {
        let (_dir, mut store) = temp_store();
        let code = store
            .submit(&complaint("key-assign01", true), false, NOW)
            .unwrap()
            .code()
            .to_owned();
        store
            .submit(&complaint("key-assign02", true), false, NOW)
            .unwrap();
        store.assign(&code, " 东亭村 ", "受理", NOW).unwrap();
        let sheets = store.sheets(Some("东亭村")).unwrap();
        assert_eq!(sheets.len(), 1);
        assert_eq!(
            (sheets[0].unit.as_str(), sheets[0].events[0].detail.as_str()),
            ("东亭村", "东亭村")
        );
        assert_eq!(store.units().unwrap(), ["东亭村"]);
        let alerts: Vec<_> = store
            .alerts_not_delivered(10)
            .unwrap()
            .into_iter()
            .filter_map(|q| q.alert)
            .collect();
        assert!(
            alerts.contains(&Alert::Assigned {
                code: code.clone(),
                unit: "东亭村".into()
            }),
            "{alerts:?}"
        );
        assert!(matches!(
            store.assign(&code, "  ", "受理", NOW),
            Err(ActError::Invalid(_))
        ));
    }

    #[test]
    fn a_draft_waits_for_review_and_only_proposes_a_public_text_with_consent() {
        let (_dir, mut store) = temp_store();
        let open = store
            .submit(&complaint("key-draft001", true), false, NOW)
            .unwrap()
            .code()
            .to_owned();
        let private = store
            .submit(&complaint("key-draft002", false), false, NOW)
            .unwrap()
            .code()
            .to_owned();
        assert!(matches!(
            store.save_draft(
                &private,
                &drafted("已修复。", "公开：已修复。"),
                "承办",
                NOW
            ),
            Err(ActError::Invalid(_))
        ));
        store
            .save_draft(&private, &drafted("已修复。", ""), "承办", NOW)
            .unwrap();
        store
            .save_draft(&open, &drafted("已修复。", "公开：已修复。"), "承办", NOW)
            .unwrap();
        store
            .return_draft(&open, "请写明修复日期。", "审核", NOW)
            .unwrap();
        let sheet = store.sheet(&open).unwrap().unwrap();
        assert_eq!(
            sheet.draft.as_ref().and_then(|d| d.returned.as_deref()),
            Some("请写明修复日期。")
        );
        // Returned once: there is nothing to return until it is drafted again.
        assert!(store.return_draft(&open, "再退", "审核", NOW).is_err());
        // Nothing is published or answered by a draft.
        assert_eq!(store.published_replies(10).unwrap(), []);
        assert_eq!(sheet.record.public.answer, None);
        // Answering leaves only the proposed public text, for the reviewer
        // to approve; publishing takes it away.
        store
            .save_draft(&open, &drafted("已修复。", "公开：已修复。"), "承办", NOW)
            .unwrap();
        store
            .reply(&open, "已于9月30日修复。", "审核", NOW)
            .unwrap();
        let left = store.sheet(&open).unwrap().unwrap().draft.unwrap();
        assert!(left.answered && !left.pending());
        assert_eq!(left.public_answer, "公开：已修复。");
        store
            .publish(
                &open,
                &left.public_subject,
                &left.public_answer,
                "审核",
                NOW,
            )
            .unwrap();
        assert_eq!(store.sheet(&open).unwrap().unwrap().draft, None);
        // A draft without a public text is done with when answered.
        store.reply(&private, "已修复。", "审核", NOW).unwrap();
        assert_eq!(store.sheet(&private).unwrap().unwrap().draft, None);
        let actions: Vec<String> = store
            .sheet(&open)
            .unwrap()
            .unwrap()
            .events
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(actions, ["draft", "return", "draft", "reply", "publish"]);
    }

    #[test]
    fn a_decision_taken_back_is_no_longer_published() {
        let (_dir, mut store) = temp_store();
        let calendar = Calendar::builtin();
        let request = Submission {
            kind: Kind::DisclosureRequest,
            request: Some(Request {
                description: "三公经费".into(),
                ..Default::default()
            }),
            ..complaint("key-publish1", true)
        };
        let code = store
            .submit(&request, false, NOW)
            .unwrap()
            .code()
            .to_owned();
        for action in [
            Action::Confirm,
            Action::Decide(xxgk_core::outcome::Outcome::from_code("disclosed").unwrap()),
        ] {
            let event = Event {
                on: xxgk_core::Date::parse("2024-09-27").unwrap(),
                action,
            };
            store
                .act(&code, &event, "见附件。", "审核", NOW, &calendar)
                .unwrap();
        }
        store
            .publish(&code, "三公经费", "予以公开。", "审核", NOW)
            .unwrap();
        assert_eq!(store.published_replies(10).unwrap().len(), 1);
        store
            .void(&code, 2, "录错了。", "审核", NOW, &calendar)
            .unwrap();
        assert_eq!(store.published_replies(10).unwrap(), []);
        assert!(store.sheet(&code).unwrap().unwrap().published.is_none());
    }

    use xxgk_core::submission::Submission;

    #[test]
    fn a_case_under_review_keeps_its_applicant_until_the_review_ends() {
        let (_dir, mut store) = temp_store();
        let calendar = Calendar::builtin();
        let request = request("key-review01", false);
        let code = store
            .submit(&request, false, NOW)
            .unwrap()
            .code()
            .to_owned();
        let review = xxgk_core::case::Review::Reconsideration;
        let steps = [
            ("2024-09-27", Action::Confirm),
            (
                "2024-10-08",
                Action::Decide(xxgk_core::outcome::Outcome::from_code("refused-4").unwrap()),
            ),
            ("2024-11-01", Action::Review(review)),
        ];
        let later = NOW + 200 * 86_400;
        for (on, action) in steps {
            let event = Event {
                on: xxgk_core::Date::parse(on).unwrap(),
                action,
            };
            store
                .act(&code, &event, "", "审核", later, &calendar)
                .unwrap();
        }
        assert_eq!(
            store.purge_personal(later, "系统", later).unwrap(),
            Vec::<String>::new()
        );
        let event = Event {
            on: xxgk_core::Date::parse("2025-01-10").unwrap(),
            action: Action::Reviewed(review, xxgk_core::case::Verdict::Upheld),
        };
        store
            .act(&code, &event, "", "审核", later, &calendar)
            .unwrap();
        assert_eq!(store.purge_personal(later, "系统", later).unwrap(), [code]);
    }

    #[test]
    fn purging_keeps_the_case_and_its_figures_but_not_who_sent_it() {
        let (_dir, mut store) = temp_store();
        let request = request("key-purge001", true);
        let old = store
            .submit(&request, false, NOW)
            .unwrap()
            .code()
            .to_owned();
        let recent = store
            .submit(&complaint("key-purge002", true), false, NOW)
            .unwrap()
            .code()
            .to_owned();
        let waiting = store
            .submit(&complaint("key-purge003", true), false, NOW)
            .unwrap()
            .code()
            .to_owned();
        store.reply(&old, "已答复。", "审核", NOW).unwrap();
        store.reply(&recent, "已答复。", "审核", NOW + 10).unwrap();
        assert_eq!(
            store.purge_personal(NOW + 5, "系统", NOW + 20).unwrap(),
            vec![old.clone()]
        );
        let sheet = store.sheet(&old).unwrap().unwrap();
        let kept = sheet.record.submission.unwrap();
        assert_eq!(
            (
                kept.name.as_str(),
                kept.phone.as_str(),
                kept.address.as_str()
            ),
            ("", "", "")
        );
        let r = kept.request.unwrap();
        assert_eq!((r.id_number.as_str(), r.id_type), ("", None));
        assert_eq!(
            (kept.subject.as_str(), r.description.as_str()),
            ("村道路灯损坏无人修", "东亭乡2024年三公经费决算明细表")
        );
        assert_eq!(sheet.purged_at, Some(NOW + 20));
        for code in [&recent, &waiting] {
            assert_eq!(
                store
                    .sheet(code)
                    .unwrap()
                    .unwrap()
                    .record
                    .submission
                    .unwrap()
                    .name,
                "张三"
            );
        }
        // The first is not purged again; the second now is.
        assert_eq!(
            store.purge_personal(NOW + 50, "系统", NOW + 60).unwrap(),
            vec![recent.clone()]
        );
    }
}
