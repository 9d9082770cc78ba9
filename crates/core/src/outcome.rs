//! How a disclosure request ends (Art. 36 of the 2019 Regulations), as
//! the 2021 annual-report format counts it in table 三: the outcome, and
//! for four of them the reason, each with its label and its row.
//! 补正 (clarification) is a step of a request, not an outcome; 不予受理
//! belongs to petitions (信访), not to disclosure requests.

use std::fmt;

/// The kinds of outcome, in the order of the annual report's rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// 予以公开.
    Disclosed,
    /// 部分公开 (counted here only, when a request is answered in parts).
    Partly,
    /// 不予公开, with one of eight reasons.
    Refused,
    /// 无法提供, with one of three reasons.
    Unavailable,
    /// 不予处理, with one of five reasons.
    NotProcessed,
    /// 其他处理, with one of three reasons.
    Other,
}

impl Group {
    /// Every group, in the report's order.
    pub const ALL: [Group; 6] = [
        Group::Disclosed,
        Group::Partly,
        Group::Refused,
        Group::Unavailable,
        Group::NotProcessed,
        Group::Other,
    ];

    /// The code kept in the database and given on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Group::Disclosed => "disclosed",
            Group::Partly => "partly",
            Group::Refused => "refused",
            Group::Unavailable => "unavailable",
            Group::NotProcessed => "not-processed",
            Group::Other => "other",
        }
    }

    /// The outcome's name.
    pub fn label(self) -> &'static str {
        match self {
            Group::Disclosed => "予以公开",
            Group::Partly => "部分公开",
            Group::Refused => "不予公开",
            Group::Unavailable => "无法提供",
            Group::NotProcessed => "不予处理",
            Group::Other => "其他处理",
        }
    }

    /// Its row heading in table 三, numbered as there.
    pub fn row(self) -> &'static str {
        match self {
            Group::Disclosed => "（一）予以公开",
            Group::Partly => "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            Group::Refused => "（三）不予公开",
            Group::Unavailable => "（四）无法提供",
            Group::NotProcessed => "（五）不予处理",
            Group::Other => "（六）其他处理",
        }
    }

    /// The reasons it is given with, numbered from 1 as in the report (none
    /// for the two that disclose).
    pub fn reasons(self) -> &'static [&'static str] {
        match self {
            Group::Disclosed | Group::Partly => &[],
            Group::Refused => &REFUSED,
            Group::Unavailable => &UNAVAILABLE,
            Group::NotProcessed => &NOT_PROCESSED,
            Group::Other => &OTHER,
        }
    }
}

/// The reasons for 不予公开, numbered from 1 as in the report.
pub const REFUSED: [&str; 8] = [
    "属于国家秘密",
    "其他法律行政法规禁止公开",
    "危及“三安全一稳定”",
    "保护第三方合法权益",
    "属于三类内部事务信息",
    "属于四类过程性信息",
    "属于行政执法案卷",
    "属于行政查询事项",
];

/// The reasons for 无法提供.
pub const UNAVAILABLE: [&str; 3] = [
    "本机关不掌握相关政府信息",
    "没有现成信息需要另行制作",
    "补正后申请内容仍不明确",
];

/// The reasons for 不予处理.
pub const NOT_PROCESSED: [&str; 5] = [
    "信访举报投诉类申请",
    "重复申请",
    "要求提供公开出版物",
    "无正当理由大量反复申请",
    "要求行政机关确认或重新出具已获取信息",
];

/// The reasons for 其他处理.
pub const OTHER: [&str; 3] = [
    "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "其他",
];

/// A decided outcome: its group and, where the group has reasons, which
/// (from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Outcome {
    group: Group,
    reason: u8,
}

/// An outcome that is not one of the report's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownOutcome(pub String);

impl fmt::Display for UnknownOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "“{}”不是答复结果。可用的有：", self.0)?;
        let all: Vec<String> = Outcome::all()
            .map(|o| format!("{}（{}）", o.code(), o.label()))
            .collect();
        write!(f, "{}", all.join("、"))
    }
}

impl std::error::Error for UnknownOutcome {}

impl Outcome {
    /// The outcome of `group` for `reason` (0 for the groups without
    /// reasons); `None` if the group has no such reason.
    pub fn new(group: Group, reason: u8) -> Option<Outcome> {
        let count = group.reasons().len();
        let fits = match count {
            0 => reason == 0,
            _ => (1..=count).contains(&usize::from(reason)),
        };
        fits.then_some(Outcome { group, reason })
    }

    /// Every outcome, in the report's order of rows.
    pub fn all() -> impl Iterator<Item = Outcome> {
        Group::ALL.into_iter().flat_map(|group| {
            let reasons = group.reasons().len() as u8;
            let range = if reasons == 0 { 0..=0 } else { 1..=reasons };
            range.filter_map(move |r| Outcome::new(group, r))
        })
    }

    /// Its group.
    pub fn group(self) -> Group {
        self.group
    }

    /// Its reason's number, from 1 (0 for 予以公开 and 部分公开).
    pub fn reason(self) -> u8 {
        self.reason
    }

    /// The code kept and typed: `disclosed`, `refused-4`.
    pub fn code(self) -> String {
        match self.reason {
            0 => self.group.code().to_owned(),
            r => format!("{}-{r}", self.group.code()),
        }
    }

    /// Reads a code as [`Outcome::code`] writes it.
    pub fn from_code(code: &str) -> Result<Outcome, UnknownOutcome> {
        let unknown = || UnknownOutcome(code.to_owned());
        let (group, reason) = match code.rsplit_once('-') {
            Some((group, reason)) if reason.bytes().all(|b| b.is_ascii_digit()) => {
                (group, reason.parse().map_err(|_| unknown())?)
            }
            _ => (code, 0),
        };
        let group = Group::ALL
            .into_iter()
            .find(|g| g.code() == group)
            .ok_or_else(unknown)?;
        Outcome::new(group, reason).ok_or_else(unknown)
    }

    /// In plain words for the applicant: `不予公开（保护第三方合法权益）`.
    pub fn label(self) -> String {
        match self.reason {
            0 => self.group.label().to_owned(),
            r => format!(
                "{}（{}）",
                self.group.label(),
                self.group.reasons()[usize::from(r) - 1]
            ),
        }
    }

    /// Its row in table 三: the group's heading for the two without
    /// reasons, else the reason numbered as there (`4.保护第三方合法权益`).
    pub fn row(self) -> String {
        match self.reason {
            0 => self.group.row().to_owned(),
            r => format!("{r}.{}", self.group.reasons()[usize::from(r) - 1]),
        }
    }

    /// Whether the information was given, in whole or in part.
    pub fn discloses(self) -> bool {
        matches!(self.group, Group::Disclosed | Group::Partly)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_has_twenty_one_outcomes_each_read_back_from_its_code() {
        let all: Vec<Outcome> = Outcome::all().collect();
        assert_eq!(all.len(), 2 + 8 + 3 + 5 + 3);
        for outcome in &all {
            assert_eq!(Outcome::from_code(&outcome.code()), Ok(*outcome));
        }
        let mut sorted = all.clone();
        sorted.sort();
        assert_eq!(sorted, all, "in the report's order");
        assert_eq!(
            Outcome::from_code("refused-4").unwrap().label(),
            "不予公开（保护第三方合法权益）"
        );
        assert_eq!(
            Outcome::from_code("refused-4").unwrap().row(),
            "4.保护第三方合法权益"
        );
        assert_eq!(Outcome::from_code("disclosed").unwrap().label(), "予以公开");
        assert!(Outcome::from_code("partly").unwrap().discloses());
        assert!(!Outcome::from_code("other-1").unwrap().discloses());
    }

    #[test]
    fn codes_that_are_not_outcomes_are_refused_with_the_list() {
        for code in [
            "",
            "refused",
            "refused-0",
            "refused-9",
            "disclosed-1",
            "不予受理",
            "other-",
            "other-x",
            "refused-99999999999",
        ] {
            let err = Outcome::from_code(code).unwrap_err();
            assert!(
                err.to_string()
                    .contains("refused-4（不予公开（保护第三方合法权益））"),
                "{code}: {err}"
            );
        }
    }
}
