//! The panels' own words in each language the widget speaks: one table
//! per language ([`zh`], [`hant`], [`en`]), each a [`Strings`], so a text
//! missing from one of them does not compile; lists that follow one of
//! the core's enums are as long as its `ALL`. A text with a number or a
//! name in it is a template whose `{name}` parts [`fill`] replaces, so
//! each language puts them where its grammar wants them.
//!
//! The rules and their Chinese messages for the server stay in
//! `xxgk_core::submission`; the form words the same [`Problem`]s here.

mod en;
mod hant;
mod zh;

use xxgk_core::api::{MessageStatus, Progress, RequestStatus, Statistics, YearFigures};
use xxgk_core::catalogue::EntryIdProblem;
use xxgk_core::credit_code::CodeProblem;
use xxgk_core::date::beijing_clock;
use xxgk_core::outcome::{self, Group, Outcome};
use xxgk_core::submission::{
    Applicant, Delivery, Field, FieldError, Format, IdProblem, IdType, Kind, Problem,
};
use xxgk_core::{Date, Lang};

/// A text with `{name}` parts, filled in by [`fill`].
pub type Template = &'static str;

/// A template for one, and for any other number.
pub type Plural = (Template, Template);

/// Every text the panels show, in one language.
pub struct Strings {
    // The tabs.
    /// The name of the row of tabs.
    pub tabs: &'static str,
    pub back: &'static str,
    pub write: &'static str,
    pub check: &'static str,
    pub replies: &'static str,

    // Dates and numbers.
    /// `{year}`, `{month}` (from [`Strings::months`]) and `{day}`.
    pub date: Template,
    pub months: [&'static str; 12],
    /// `{date}`, `{hour}` and `{minute}` (two digits each).
    pub time: Template,
    /// Put between each three digits of a number, from the right.
    pub thousands: &'static str,

    // The form.
    pub intro: [&'static str; 2],
    /// `{title}` and `{item}` (its index number).
    pub about_titled: Template,
    /// `{item}`.
    pub about_untitled: Template,
    pub about: &'static str,
    pub not_about: &'static str,
    pub kinds: [&'static str; Kind::ALL.len()],
    /// For "we have received your …".
    pub kind_nouns: [&'static str; Kind::ALL.len()],
    /// `{days}` (the reply period of a disclosure request).
    pub kind_hints: [Template; Kind::ALL.len()],
    pub fields: [&'static str; Field::ALL.len()],
    pub required: &'static str,
    pub optional: &'static str,
    /// `{least}` and `{most}`.
    pub length_range: Template,
    /// `{most}`.
    pub length_most: Template,
    /// `{n}`: how many characters are typed.
    pub length_typed: Template,
    pub length_end: &'static str,
    pub retype: &'static str,
    pub hint_subject: &'static str,
    pub hint_body: &'static str,
    pub contact: &'static str,
    pub contact_hint: &'static str,
    pub hint_phone: &'static str,
    pub hint_email: &'static str,
    pub hint_address: &'static str,
    pub applicant: &'static str,
    pub applicants: [&'static str; Applicant::ALL.len()],
    pub hint_organisation: &'static str,
    pub hint_credit_code: &'static str,
    pub contact_person: &'static str,
    pub id_types: [&'static str; IdType::ALL.len()],
    pub hint_id_number: &'static str,
    pub information: &'static str,
    pub hint_description: &'static str,
    pub hint_document: &'static str,
    pub formats: [&'static str; 2],
    pub deliveries: [&'static str; 3],
    pub consent: &'static str,
    pub consent_hint: [&'static str; 2],
    pub trap: &'static str,
    pub send: &'static str,
    pub send_again: &'static str,
    pub sending: &'static str,
    pub clear: &'static str,
    pub cleared: &'static str,
    pub unplaced: &'static str,
    /// `{label}` and `{problem}`: a problem named with its field.
    pub field_problem: Template,
    /// `{key}`: a field the server names that the form does not know.
    pub unknown_field: Template,

    // What is wrong with a field.
    /// `{code}`: the character's code point, `U+` and four hex digits.
    pub hidden: Template,
    /// `{n}` and `{most}`.
    pub entry_too_long: Template,
    /// `{code}`.
    pub entry_hidden: Template,
    /// `{label}`.
    pub missing: Template,
    pub no_contact: &'static str,
    /// `{label}`, `{least}` and `{length}`.
    pub too_short: Template,
    /// `{label}`, `{most}` and `{length}`.
    pub too_long: Template,
    /// `{label}`, `{most}` and `{raw}`.
    pub padded: Template,
    pub bad_phone: &'static str,
    pub bad_email: &'static str,
    pub bad_client_key: &'static str,
    pub not_request: &'static str,
    /// `{n}`.
    pub credit_length: Template,
    /// `{at}` and `{c}`.
    pub credit_character: Template,
    pub credit_check: &'static str,
    /// `{label}`.
    pub unchosen: Template,
    pub unchosen_format: &'static str,
    /// `{id_type}`.
    pub id_shape: Template,
    pub card_shape: &'static str,
    pub card_birth: &'static str,
    pub card_check: &'static str,
    pub needs_address: &'static str,
    pub needs_email: &'static str,
    pub paper_by_email: &'static str,
    /// `{label}`.
    pub no_request: Template,
    /// What the server found wrong with a field, where its own words are
    /// in another language.
    pub not_accepted: &'static str,

    // The receipt.
    /// `{noun}`.
    pub received: Template,
    /// `{noun}`.
    pub received_before: Template,
    pub your_code: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    pub copy_failed: &'static str,
    pub keep_code: [&'static str; 2],
    pub write_again: &'static str,

    // Why a send failed.
    pub offline: &'static str,
    pub unreachable: &'static str,
    /// `{seconds}`.
    pub timeout: Template,
    /// `{wait}`.
    pub busy: Template,
    /// `{status}`.
    pub server_failed: Template,
    pub conflict: &'static str,
    pub too_large: &'static str,
    pub origin_refused: &'static str,
    /// `{status}`.
    pub refused: Template,
    pub fields_refused: &'static str,
    pub unreadable: &'static str,
    /// `{n}`.
    pub seconds: Plural,
    /// `{n}`.
    pub minutes: Plural,

    // Why a lookup or the list failed.
    pub lookup_offline: &'static str,
    pub lookup_unreachable: &'static str,
    /// `{seconds}`.
    pub lookup_timeout: Template,
    /// `{wait}`.
    pub lookup_busy: Template,
    /// `{status}`.
    pub lookup_server_failed: Template,
    /// `{status}`.
    pub lookup_refused: Template,
    pub lookup_unreadable: &'static str,

    // The lookup.
    pub code: &'static str,
    pub code_hint: &'static str,
    pub look: &'static str,
    pub looking: &'static str,
    pub unknown_code: &'static str,
    pub no_code: &'static str,

    // A submission's card.
    pub term_kind: &'static str,
    pub term_status: &'static str,
    pub term_sent: &'static str,
    pub term_received: &'static str,
    pub term_due: &'static str,
    pub term_clarify_by: &'static str,
    pub term_decided: &'static str,
    pub term_outcome: &'static str,
    pub term_answered: &'static str,
    pub term_answer: &'static str,
    pub term_rejection: &'static str,
    /// `{days}`.
    pub due_after_confirming: Template,
    /// `{date}`.
    pub extended: Template,
    /// `{date}`.
    pub consulting_due: Template,
    /// `{date}`.
    pub clarify: Template,
    pub status_received: &'static str,
    pub status_replied: &'static str,
    pub status_rejected: &'static str,
    pub status_unconfirmed: &'static str,
    pub status_in_progress: &'static str,
    pub status_clarifying: &'static str,
    pub status_consulting: &'static str,
    pub status_decided: &'static str,
    pub outcome_groups: [&'static str; Group::ALL.len()],
    pub refused_reasons: [&'static str; outcome::REFUSED.len()],
    pub unavailable_reasons: [&'static str; outcome::UNAVAILABLE.len()],
    pub not_processed_reasons: [&'static str; outcome::NOT_PROCESSED.len()],
    pub other_reasons: [&'static str; outcome::OTHER.len()],
    /// `{group}` and `{reason}`.
    pub outcome: Template,

    // The published replies.
    pub replies_hint: &'static str,
    pub loading: &'static str,
    pub no_replies: &'static str,
    pub stats_nothing: &'static str,
    /// `{parts}`: this year's figures, of messages then of requests.
    pub stats: Template,
    pub stats_joiner: &'static str,
    pub stats_messages: &'static str,
    pub stats_requests: &'static str,
    /// `{what}`.
    pub stats_none: Template,
    /// `{what}`, `{received}`, `{answered}` and `{percent}`.
    pub stats_part: Template,
    /// `{on_time}` and `{within}`.
    pub stats_on_time: Template,
    /// `{days}`: the reply period of messages.
    pub stats_within_days: Template,
    pub stats_within_law: &'static str,
    pub stats_median_under_one: &'static str,
    /// `{days}`.
    pub stats_median: Plural,
}

/// The table of `lang`.
pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::Zh => &zh::ZH,
        Lang::Hant => &hant::HANT,
        Lang::En => &en::EN,
    }
}

/// `template` with each `{name}` replaced by its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// The position of `value` in `all`, to find its text in a list that
/// follows it.
fn at<T: PartialEq>(all: &[T], value: &T) -> usize {
    all.iter().position(|v| v == value).unwrap_or_default()
}

impl Strings {
    /// A number as this language writes it: `12,345` in English.
    pub fn number(&self, n: impl Into<u64>) -> String {
        let digits = n.into().to_string();
        if self.thousands.is_empty() {
            return digits;
        }
        let mut out = String::new();
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(self.thousands);
            }
            out.push(d);
        }
        out
    }

    /// A date: 2026年3月1日, 1 March 2026.
    pub fn date(&self, date: Date) -> String {
        fill(
            self.date,
            &[
                ("year", &date.year().to_string()),
                ("month", self.months[usize::from(date.month()).max(1) - 1]),
                ("day", &date.day().to_string()),
            ],
        )
    }

    /// A moment (seconds since 1970) in Beijing time, with its date.
    pub fn time(&self, seconds: i64) -> String {
        let (hour, minute) = beijing_clock(seconds);
        let date = Date::beijing(seconds)
            .map_or_else(|| xxgk_core::date::beijing_time(seconds), |d| self.date(d));
        fill(
            self.time,
            &[
                ("date", &date),
                ("hour", &format!("{hour:02}")),
                ("minute", &format!("{minute:02}")),
            ],
        )
    }

    /// `one` or `other` of a plural, filled in with `n`.
    pub fn plural(&self, (one, other): Plural, n: u32) -> String {
        fill(
            if n == 1 { one } else { other },
            &[("n", &self.number(n)), ("days", &self.number(n))],
        )
    }

    pub fn kind(&self, kind: Kind) -> &'static str {
        self.kinds[at(&Kind::ALL, &kind)]
    }

    pub fn kind_noun(&self, kind: Kind) -> &'static str {
        self.kind_nouns[at(&Kind::ALL, &kind)]
    }

    pub fn kind_hint(&self, kind: Kind) -> String {
        fill(
            self.kind_hints[at(&Kind::ALL, &kind)],
            &[("days", &self.number(xxgk_core::case::REPLY_DAYS))],
        )
    }

    pub fn field(&self, field: Field) -> &'static str {
        self.fields[at(&Field::ALL, &field)]
    }

    pub fn applicant(&self, applicant: Applicant) -> &'static str {
        self.applicants[at(&Applicant::ALL, &applicant)]
    }

    pub fn id_type(&self, id_type: IdType) -> &'static str {
        self.id_types[at(&IdType::ALL, &id_type)]
    }

    pub fn format(&self, format: Format) -> &'static str {
        self.formats[at(&[Format::Paper, Format::Electronic], &format)]
    }

    pub fn delivery(&self, delivery: Delivery) -> &'static str {
        self.deliveries[at(
            &[Delivery::Post, Delivery::Email, Delivery::Collect],
            &delivery,
        )]
    }

    /// What is wrong with a field, and what to do.
    pub fn problem(&self, error: &FieldError) -> String {
        let label = self.field(error.field);
        let n = |n: usize| self.number(n as u64);
        let code = |c: char| format!("U+{:04X}", c as u32);
        match &error.problem {
            Problem::Hidden(c) => fill(self.hidden, &[("code", &code(*c))]),
            Problem::Entry(EntryIdProblem::TooLong(length)) => fill(
                self.entry_too_long,
                &[
                    ("n", &n(*length)),
                    ("most", &n(xxgk_core::catalogue::ENTRY_ID_MAX)),
                ],
            ),
            Problem::Entry(EntryIdProblem::Hidden(c)) => {
                fill(self.entry_hidden, &[("code", &code(*c))])
            }
            Problem::Missing => fill(self.missing, &[("label", label)]),
            Problem::NoContact => self.no_contact.into(),
            Problem::TooShort { least, length } => fill(
                self.too_short,
                &[
                    ("label", label),
                    ("least", &n(*least)),
                    ("length", &n(*length)),
                ],
            ),
            Problem::TooLong { most, length } => fill(
                self.too_long,
                &[
                    ("label", label),
                    ("most", &n(*most)),
                    ("length", &n(*length)),
                ],
            ),
            Problem::Padded { most, raw } => fill(
                self.padded,
                &[("label", label), ("most", &n(*most)), ("raw", &n(*raw))],
            ),
            Problem::Phone => self.bad_phone.into(),
            Problem::Email => self.bad_email.into(),
            Problem::ClientKey => self.bad_client_key.into(),
            Problem::NotRequest => self.not_request.into(),
            Problem::CreditCode(CodeProblem::Length(length)) => {
                fill(self.credit_length, &[("n", &n(*length))])
            }
            Problem::CreditCode(CodeProblem::Character(position, c)) => fill(
                self.credit_character,
                &[("at", &n(*position)), ("c", &c.to_string())],
            ),
            Problem::CreditCode(CodeProblem::Check(_)) => self.credit_check.into(),
            Problem::Unchosen if error.field == Field::Format => self.unchosen_format.into(),
            Problem::Unchosen => fill(self.unchosen, &[("label", label)]),
            Problem::IdNumber(IdProblem::Shape(id_type)) => {
                fill(self.id_shape, &[("id_type", self.id_type(*id_type))])
            }
            Problem::IdNumber(IdProblem::CardShape) => self.card_shape.into(),
            Problem::IdNumber(IdProblem::CardBirth) => self.card_birth.into(),
            Problem::IdNumber(IdProblem::CardCheck) => self.card_check.into(),
            Problem::NeededFor(Delivery::Email) => self.needs_email.into(),
            Problem::NeededFor(_) => self.needs_address.into(),
            Problem::PaperByEmail => self.paper_by_email.into(),
            Problem::NoRequest => fill(self.no_request, &[("label", label)]),
            // Only in what reaches the server by other means than the form.
            Problem::NotText
            | Problem::NotAnOption
            | Problem::RequestNotObject
            | Problem::ConsentNotBool => self.not_accepted.into(),
        }
    }

    /// A submission's status, as the public reads it.
    pub fn status(&self, progress: Progress) -> &'static str {
        match progress {
            Progress::Message(MessageStatus::Received { .. }) => self.status_received,
            Progress::Message(MessageStatus::Replied)
            | Progress::Request(RequestStatus::AnsweredBefore { rejected: false }) => {
                self.status_replied
            }
            Progress::Message(MessageStatus::Rejected)
            | Progress::Request(RequestStatus::AnsweredBefore { rejected: true }) => {
                self.status_rejected
            }
            Progress::Request(RequestStatus::Unconfirmed) => self.status_unconfirmed,
            Progress::Request(RequestStatus::InProgress { .. } | RequestStatus::Undated) => {
                self.status_in_progress
            }
            Progress::Request(RequestStatus::AwaitingClarification { .. }) => {
                self.status_clarifying
            }
            Progress::Request(RequestStatus::Consulting { .. }) => self.status_consulting,
            Progress::Request(RequestStatus::Decided { .. }) => self.status_decided,
        }
    }

    /// How a disclosure request ended, with the reason where there is one.
    pub fn outcome(&self, outcome: Outcome) -> String {
        let group = self.outcome_groups[at(&Group::ALL, &outcome.group())];
        let reasons: &[&str] = match outcome.group() {
            Group::Disclosed | Group::Partly => &[],
            Group::Refused => &self.refused_reasons,
            Group::Unavailable => &self.unavailable_reasons,
            Group::NotProcessed => &self.not_processed_reasons,
            Group::Other => &self.other_reasons,
        };
        match reasons.get(usize::from(outcome.reason()).wrapping_sub(1)) {
            Some(reason) => fill(self.outcome, &[("group", group), ("reason", reason)]),
            None => group.to_owned(),
        }
    }

    /// This year's figures in sentences, nothing said of a rate where
    /// nothing was received.
    pub fn summary(&self, stats: &Statistics) -> String {
        let Some(year) = stats.years.first() else {
            return self.stats_nothing.to_owned();
        };
        let YearFigures {
            messages, requests, ..
        } = year;
        if messages.received == 0 && requests.received == 0 {
            return self.stats_nothing.to_owned();
        }
        let within_days = fill(
            self.stats_within_days,
            &[("days", &self.number(stats.reply_days))],
        );
        let parts = [
            (messages, self.stats_messages, within_days.as_str()),
            (requests, self.stats_requests, self.stats_within_law),
        ]
        .map(|(figures, what, within)| {
            if figures.received == 0 {
                return fill(self.stats_none, &[("what", what)]);
            }
            let mut said = fill(
                self.stats_part,
                &[
                    ("what", what),
                    ("received", &self.number(figures.received)),
                    ("answered", &self.number(figures.answered)),
                    (
                        "percent",
                        &(figures.answered_per_mille().unwrap_or(0) / 10).to_string(),
                    ),
                ],
            );
            if figures.answered > 0 {
                said += &fill(
                    self.stats_on_time,
                    &[
                        ("on_time", &self.number(figures.on_time)),
                        ("within", within),
                    ],
                );
            }
            match figures.median_working_days {
                Some(0) => said += self.stats_median_under_one,
                Some(days) => said += &self.plural(self.stats_median, days),
                None => {}
            }
            said
        });
        fill(self.stats, &[("parts", &parts.join(self.stats_joiner))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_core::api::Figures;

    fn year(messages: Figures, requests: Figures) -> Statistics {
        Statistics {
            reply_days: 15,
            years: vec![
                YearFigures {
                    messages,
                    requests,
                    ..YearFigures::empty(2024)
                },
                // Last year's figures are never this year's.
                YearFigures {
                    messages: Figures {
                        received: 9,
                        ..Figures::default()
                    },
                    ..YearFigures::empty(2023)
                },
            ],
        }
    }

    fn figures(received: u32, answered: u32, on_time: u32, median: Option<u32>) -> Figures {
        Figures {
            received,
            answered,
            on_time,
            median_working_days: median,
        }
    }

    #[test]
    fn this_year_s_figures_read_as_before_in_simplified_chinese() {
        let zh = strings(Lang::Zh);
        assert_eq!(
            zh.summary(&year(
                figures(4, 3, 2, Some(15)),
                figures(3, 2, 1, Some(21))
            )),
            "今年收到留言 4 件，已答复 3 件（75%），其中 2 件在 15 个工作日内答复，答复用时的中位数为 15 个工作日；\
             收到政府信息公开申请 3 件，已答复 2 件（66%），其中 1 件在法定期限内答复，答复用时的中位数为 21 个工作日。"
        );
        assert_eq!(
            zh.summary(&year(Figures::default(), figures(3, 3, 2, Some(21)))),
            "今年还没有收到留言；收到政府信息公开申请 3 件，已答复 3 件（100%），其中 2 件在法定期限内答复，答复用时的中位数为 21 个工作日。"
        );
        assert!(zh
            .summary(&year(figures(1, 1, 1, Some(0)), Figures::default()))
            .ends_with("答复用时的中位数不足 1 个工作日；还没有收到政府信息公开申请。"));
    }

    #[test]
    fn nothing_received_names_no_rate_in_any_language() {
        let nothing = year(Figures::default(), Figures::default());
        let empty = Statistics {
            reply_days: 15,
            years: Vec::new(),
        };
        for lang in Lang::ALL {
            let words = strings(lang);
            assert_eq!(words.summary(&nothing), words.stats_nothing);
            assert_eq!(words.summary(&empty), words.stats_nothing);
            assert!(!words.stats_nothing.contains('%'));
        }
        assert_eq!(
            strings(Lang::Zh).stats_nothing,
            "今年还没有收到留言和政府信息公开申请。"
        );
    }

    #[test]
    fn english_figures_have_thousands_separators_and_singular_days() {
        let en = strings(Lang::En);
        assert_eq!(
            en.summary(&year(
                figures(12_345, 1_000, 999, Some(1)),
                Figures::default()
            )),
            "This year: messages received 12,345, answered 1,000 (8%), 999 of them within 15 working days, \
             median time to reply 1 working day; no requests for disclosure received yet."
        );
        assert_eq!(en.number(1_234_567u32), "1,234,567");
        assert_eq!(en.number(999u32), "999");
        assert_eq!(strings(Lang::Zh).number(12_345u32), "12345");
    }

    #[test]
    fn dates_and_times_are_written_each_language_s_way() {
        let day = Date::new(2026, 3, 1).unwrap();
        assert_eq!(strings(Lang::Zh).date(day), "2026年3月1日");
        assert_eq!(strings(Lang::Hant).date(day), "2026年3月1日");
        assert_eq!(strings(Lang::En).date(day), "1 March 2026");
        // 2017-03-01 08:05 in Beijing.
        let at = 1_488_326_700;
        assert_eq!(strings(Lang::Zh).time(at), "2017年3月1日 08:05");
        assert_eq!(strings(Lang::En).time(at), "1 March 2017, 08:05");
    }

    #[test]
    fn every_problem_the_form_can_meet_is_worded_in_every_language() {
        use xxgk_core::submission::Submission;
        // The problems of an empty disclosure request, and of one with a
        // bad telephone and identity number.
        let mut draft = Submission {
            kind: Kind::DisclosureRequest,
            subject: "路".into(),
            body: String::new(),
            name: String::new(),
            phone: "12".into(),
            email: "a@".into(),
            address: String::new(),
            request: Some(xxgk_core::submission::Request {
                id_type: Some(IdType::ResidentCard),
                id_number: "110105194912310021".into(),
                delivery: Some(Delivery::Email),
                format: Some(Format::Paper),
                ..Default::default()
            }),
            consent_to_publish: false,
            related_item: "\u{7}".into(),
            client_key: "é".repeat(9),
        };
        let mut errors = draft.check();
        draft.phone.clear();
        draft.email.clear();
        errors.extend(draft.check());
        assert!(errors.len() > 8, "{errors:?}");
        for lang in Lang::ALL {
            let words = strings(lang);
            for error in &errors {
                let said = words.problem(error);
                assert!(!said.is_empty() && !said.contains('{'), "{lang:?}: {said}");
            }
        }
        // The form says what the server says, in simplified Chinese.
        for error in &errors {
            assert_eq!(strings(Lang::Zh).problem(error), error.message());
        }
    }

    #[test]
    fn outcomes_and_their_reasons_are_named_in_every_language() {
        for lang in Lang::ALL {
            let words = strings(lang);
            for outcome in Outcome::all() {
                let said = words.outcome(outcome);
                let group = words.outcome_groups[at(&Group::ALL, &outcome.group())];
                assert_eq!(said != group, outcome.reason() > 0, "{lang:?}: {said}");
            }
        }
        let zh = strings(Lang::Zh);
        for outcome in Outcome::all() {
            assert_eq!(zh.outcome(outcome), outcome.label());
        }
    }
}
