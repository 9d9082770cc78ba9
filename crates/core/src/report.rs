//! Table 三 of the annual report on government information disclosure
//! (the 2021 format): requests received and handled in a year, by kind of
//! applicant, computed from the cases, with the identity the format
//! states checked: 新收 + 上年结转 = 办理结果总计 + 结转下年度.

use crate::outcome::{Group, Outcome};
use crate::Date;
use std::fmt;

pub use crate::submission::Applicant;

/// The column of `applicant`'s counts.
fn column(applicant: Applicant) -> usize {
    applicant as usize
}

/// A disclosure request as the report counts it: who applied, the day it
/// was received in law (confirmed), and, once decided, the day and the
/// outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// Its lookup code, to name it when the table does not add up.
    pub code: String,
    /// Who applied.
    pub applicant: Applicant,
    /// The legal receipt date.
    pub received: Date,
    /// The decision's date and outcome.
    pub closed: Option<(Date, Outcome)>,
}

/// One row of counts: the six kinds of applicant, then their total.
pub type Cells = [u64; 7];

fn add(cells: &mut Cells, applicant: Applicant) {
    cells[column(applicant)] += 1;
    cells[6] += 1;
}

/// Table 三 for one year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestsTable {
    /// The year.
    pub year: u16,
    /// 一、本年新收.
    pub received: Cells,
    /// 二、上年结转.
    pub carried_over: Cells,
    /// 三、本年度办理结果: every outcome, in the report's order.
    pub outcomes: Vec<(Outcome, Cells)>,
    /// （七）总计.
    pub handled: Cells,
    /// 四、结转下年度继续办理.
    pub carried_forward: Cells,
    /// Requests whose records could not be read, so are not in the
    /// counts: said under the table, never silently left out.
    pub uncounted: u64,
}

/// Why a year's table cannot be given: its cases contradict each other
/// or the figure carried over, and a report that does not add up must not
/// be published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportError {
    /// A case decided before it was received.
    DecidedBeforeReceived(String),
    /// 新收 + 上年结转 ≠ 总计 + 结转下年度, in these columns (by their
    /// heading): the four figures of each.
    Unbalanced(Vec<(&'static str, [u64; 4])>),
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::DecidedBeforeReceived(code) => write!(
                f,
                "申请 {code} 的答复日期早于受理日期：请先核对并更正该申请的日期，再生成年度报告。"
            ),
            ReportError::Unbalanced(columns) => {
                write!(
                    f,
                    "第三部分的数字不平衡（应有 新收 + 上年结转 = 办理结果总计 + 结转下年度）："
                )?;
                for (label, [new, over, handled, forward]) in columns {
                    write!(f, "{label} {new} + {over} ≠ {handled} + {forward}；")?;
                }
                write!(f, "请核对上年结转的数字与各申请的受理、答复日期；上年结转的申请要按原收到日期登记（case record），才计入本年的办理结果和结转。")
            }
        }
    }
}

impl std::error::Error for ReportError {}

impl RequestsTable {
    /// The columns' headings: the six kinds of applicant, then the total.
    pub const COLUMNS: [&'static str; 7] = [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ];

    /// Counts `cases` for `year`: received in the year; carried over
    /// (received before it, not decided before it); decided in the year,
    /// by outcome; carried forward (received by its end, not decided by
    /// it). `carried_over`, if given, is the figure last year's published
    /// report carried forward (for the first year counted here), used
    /// instead of the cases' own.
    pub fn of(
        year: u16,
        cases: &[Case],
        carried_over: Option<Cells>,
    ) -> Result<RequestsTable, ReportError> {
        let mut table = RequestsTable {
            year,
            received: [0; 7],
            carried_over: [0; 7],
            outcomes: Outcome::all().map(|o| (o, [0; 7])).collect(),
            handled: [0; 7],
            carried_forward: [0; 7],
            uncounted: 0,
        };
        for case in cases {
            if let Some((closed, _)) = case.closed {
                if closed < case.received {
                    return Err(ReportError::DecidedBeforeReceived(case.code.clone()));
                }
            }
            let received = case.received.year();
            let closed = case.closed.map(|(date, outcome)| (date.year(), outcome));
            if received == year {
                add(&mut table.received, case.applicant);
            }
            let open_at_start = received < year && closed.is_none_or(|(y, _)| y >= year);
            if open_at_start {
                add(&mut table.carried_over, case.applicant);
            }
            if let Some((y, outcome)) = closed {
                if y == year {
                    if let Some((_, cells)) = table.outcomes.iter_mut().find(|(o, _)| *o == outcome)
                    {
                        add(cells, case.applicant);
                    }
                    add(&mut table.handled, case.applicant);
                }
            }
            let open_at_end = received <= year && closed.is_none_or(|(y, _)| y > year);
            if open_at_end {
                add(&mut table.carried_forward, case.applicant);
            }
        }
        if let Some(published) = carried_over {
            table.carried_over = published;
        }
        let mut unbalanced = Vec::new();
        for (c, label) in Self::COLUMNS.into_iter().enumerate() {
            let four = [
                table.received[c],
                table.carried_over[c],
                table.handled[c],
                table.carried_forward[c],
            ];
            if four[0] + four[1] != four[2] + four[3] {
                unbalanced.push((label, four));
            }
        }
        if unbalanced.is_empty() {
            Ok(table)
        } else {
            Err(ReportError::Unbalanced(unbalanced))
        }
    }

    /// What the reader must know that the counts do not say.
    pub fn note(&self) -> Option<String> {
        (self.uncounted > 0).then(|| {
            format!(
                "另有 {} 件申请的记录本系统当前版本无法读取，未计入本表，正在核对。",
                self.uncounted
            )
        })
    }

    /// The count of `outcome` for `applicant` (or all, with `None`).
    pub fn cell(&self, outcome: Outcome, applicant: Option<Applicant>) -> u64 {
        let column = applicant.map_or(6, column);
        self.outcomes
            .iter()
            .find(|(o, _)| *o == outcome)
            .map_or(0, |(_, cells)| cells[column])
    }

    /// The rows as the format lays them out: each heading, and its counts
    /// (`None` for a heading without counts of its own).
    pub fn rows(&self) -> Vec<(String, Option<Cells>)> {
        let mut rows = vec![
            (
                "一、本年新收政府信息公开申请数量".to_owned(),
                Some(self.received),
            ),
            (
                "二、上年结转政府信息公开申请数量".to_owned(),
                Some(self.carried_over),
            ),
            ("三、本年度办理结果".to_owned(), None),
        ];
        for group in Group::ALL {
            let of_group = self.outcomes.iter().filter(|(o, _)| o.group() == group);
            if group.reasons().is_empty() {
                rows.extend(of_group.map(|(_, cells)| (group.row().to_owned(), Some(*cells))));
            } else {
                rows.push((group.row().to_owned(), None));
                rows.extend(of_group.map(|(o, cells)| (o.row(), Some(*cells))));
            }
        }
        rows.push(("（七）总计".to_owned(), Some(self.handled)));
        rows.push((
            "四、结转下年度继续办理".to_owned(),
            Some(self.carried_forward),
        ));
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(
        code: &str,
        applicant: Applicant,
        received: &str,
        closed: Option<(&str, &str)>,
    ) -> Case {
        Case {
            code: code.into(),
            applicant,
            received: Date::parse(received).unwrap(),
            closed: closed.map(|(d, o)| (Date::parse(d).unwrap(), Outcome::from_code(o).unwrap())),
        }
    }

    fn fixture() -> Vec<Case> {
        use Applicant::*;
        vec![
            // Carried over from 2015, decided in 2016.
            case(
                "A1",
                Person,
                "2015-12-20",
                Some(("2016-01-12", "disclosed")),
            ),
            // Decided in 2015: not in 2016's table.
            case(
                "A2",
                Person,
                "2015-11-02",
                Some(("2015-11-20", "disclosed")),
            ),
            // Received and decided in 2016.
            case("B1", Person, "2016-03-01", Some(("2016-03-20", "partly"))),
            case(
                "B2",
                Business,
                "2016-04-11",
                Some(("2016-05-06", "refused-4")),
            ),
            case(
                "B3",
                Person,
                "2016-05-05",
                Some(("2016-05-30", "unavailable-1")),
            ),
            case(
                "B4",
                LegalService,
                "2016-06-01",
                Some(("2016-06-02", "not-processed-1")),
            ),
            case("B5", Person, "2016-07-01", Some(("2016-07-20", "other-1"))),
            // Received in 2016, carried forward: decided in 2017, or not yet.
            case(
                "C1",
                Research,
                "2016-12-26",
                Some(("2017-01-10", "disclosed")),
            ),
            case("C2", Person, "2016-12-30", None),
            // Received in 2017: not in 2016's table.
            case("D1", Person, "2017-01-03", None),
        ]
    }

    #[test]
    fn a_year_s_cells_come_from_its_cases() {
        let table = RequestsTable::of(2016, &fixture(), None).unwrap();
        assert_eq!(table.received, [4, 1, 1, 0, 1, 0, 7]);
        assert_eq!(table.carried_over, [1, 0, 0, 0, 0, 0, 1]);
        assert_eq!(table.handled, [4, 1, 0, 0, 1, 0, 6]);
        assert_eq!(table.carried_forward, [1, 0, 1, 0, 0, 0, 2]);
        let outcome = |code| Outcome::from_code(code).unwrap();
        assert_eq!(table.cell(outcome("disclosed"), None), 1);
        assert_eq!(
            table.cell(outcome("refused-4"), Some(Applicant::Business)),
            1
        );
        assert_eq!(table.cell(outcome("refused-4"), Some(Applicant::Person)), 0);
        assert_eq!(
            table.cell(outcome("not-processed-1"), Some(Applicant::LegalService)),
            1
        );
        // The next year starts from what this one carried forward.
        let next = RequestsTable::of(2017, &fixture(), None).unwrap();
        assert_eq!(next.carried_over, table.carried_forward);
        assert_eq!(next.received, [1, 0, 0, 0, 0, 0, 1]);
    }

    #[test]
    fn the_layout_is_the_format_s() {
        let table = RequestsTable::of(2016, &fixture(), None).unwrap();
        let rows = table.rows();
        // 2 + heading + (一)(二) + 4 group headings + 19 reasons + 总计 + 四.
        assert_eq!(rows.len(), 2 + 1 + 2 + 4 + 19 + 1 + 1);
        assert_eq!(rows[3].0, "（一）予以公开");
        assert_eq!(rows[5], ("（三）不予公开".to_owned(), None));
        assert_eq!(rows[9].0, "4.保护第三方合法权益");
        assert_eq!(rows[9].1.unwrap()[1], 1);
        assert_eq!(rows.last().unwrap().0, "四、结转下年度继续办理");
        let md = table.to_markdown();
        assert!(
            md.contains("| （七）总计 | 4 | 1 | 0 | 0 | 1 | 0 | 6 |"),
            "{md}"
        );
        assert!(md.contains("| 三、本年度办理结果 | | | | | | | |"), "{md}");
        let grid = table.grid();
        let html = grid.to_html(None);
        // As the 2021 format lays it out: the balance note in the corner,
        // 申请人情况 over the seven columns, 三 beside its 22 rows, each
        // outcome with reasons beside its reasons.
        assert!(html.contains("<tr><th scope=\"colgroup\" rowspan=\"3\" colspan=\"3\">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th><th scope=\"colgroup\" colspan=\"7\">申请人情况</th></tr>"), "{html}");
        assert!(html.contains("<th scope=\"colgroup\" colspan=\"5\">法人或其他组织</th>"));
        assert!(html.contains("<tr><th scope=\"rowgroup\" rowspan=\"22\">三、本年度办理结果</th><th scope=\"row\" colspan=\"2\">（一）予以公开</th><td>1</td>"), "{html}");
        assert!(html.contains("<tr><th scope=\"rowgroup\" rowspan=\"8\">（三）不予公开</th><th scope=\"row\">1.属于国家秘密</th>"), "{html}");
        assert!(html.contains("<tr><th scope=\"row\" colspan=\"2\">（七）总计</th><td>4</td><td>1</td><td>0</td><td>0</td><td>1</td><td>0</td><td>6</td></tr>"), "{html}");
        // 3 heading rows, 一 and 二, 22 rows of outcomes, 四.
        assert_eq!(html.matches("<tr>").count(), 3 + 2 + 22 + 1);
        // Every figure sits in one of the seven columns after the three
        // of headings, and each row has seven.
        let placed = grid.placed();
        for r in 3..grid.rows.len() {
            let columns: Vec<usize> = placed
                .iter()
                .filter(|(row, _, cell)| *row == r && cell.role == crate::annual::Role::Data)
                .map(|(_, c, _)| *c)
                .collect();
            assert_eq!(columns, (3..10).collect::<Vec<_>>(), "row {r}");
        }
        let under: Vec<usize> = placed
            .iter()
            .filter(|(r, _, _)| *r == 2)
            .map(|(_, c, _)| *c)
            .collect();
        assert_eq!(under, [4, 5, 6, 7, 8]);
    }

    #[test]
    fn a_table_that_does_not_add_up_is_refused_loudly() {
        // Last year's report carried forward a natural person's request
        // these cases do not hold.
        let err = RequestsTable::of(2016, &fixture(), Some([2, 0, 0, 0, 0, 0, 2])).unwrap_err();
        assert_eq!(
            err,
            ReportError::Unbalanced(vec![("自然人", [4, 2, 4, 1]), ("总计", [7, 2, 6, 2])])
        );
        assert!(err.to_string().contains("自然人 4 + 2 ≠ 4 + 1"), "{err}");
        let mut cases = fixture();
        cases.push(case(
            "E1",
            Applicant::Person,
            "2016-05-01",
            Some(("2016-04-01", "disclosed")),
        ));
        assert_eq!(
            RequestsTable::of(2016, &cases, None),
            Err(ReportError::DecidedBeforeReceived("E1".into()))
        );
    }

    #[test]
    fn applicants_read_back_from_their_codes() {
        for applicant in Applicant::ALL {
            assert_eq!(Applicant::from_code(applicant.code()), Some(applicant));
        }
        assert_eq!(Applicant::from_code("company"), None);
    }
}
