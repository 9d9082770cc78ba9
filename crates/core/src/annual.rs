//! The whole annual report on government information disclosure (政府信息
//! 公开工作年度报告, the 2021 format): the sections the office writes
//! (一、总体情况; 五、存在的主要问题及改进情况; 六、其他需要报告的事项),
//! table 二 (主动公开) counted from the catalogue where it can be and
//! otherwise from figures the office enters, table 三 (requests, in
//! [`crate::report`]) and table 四 (行政复议、行政诉讼) counted from the
//! cases. Each table is laid out once, as a [`Grid`], which the HTML page,
//! the Markdown text and the spreadsheet are all drawn from.

use crate::case::{Challenge, Review, Verdict};
use crate::catalogue::{Item, Validity};
use crate::outcome::{Group, Outcome};
use crate::report::{Cells, RequestsTable};
use std::fmt::Write;

/// A figure the office enters: the catalogue cannot count it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Figure {
    /// 规章 repealed this year (the catalogue keeps no repeal date).
    RulesRepealed,
    /// 行政规范性文件 repealed this year.
    NormativeRepealed,
    /// 行政许可 decisions made this year.
    Licences,
    /// 行政处罚 decisions.
    Penalties,
    /// 行政强制 decisions.
    Enforcement,
    /// 行政事业性收费 collected this year, in 万元.
    Fees,
}

impl Figure {
    /// Every figure, in the order of table 二.
    pub const ALL: [Figure; 6] = [
        Figure::RulesRepealed,
        Figure::NormativeRepealed,
        Figure::Licences,
        Figure::Penalties,
        Figure::Enforcement,
        Figure::Fees,
    ];

    /// Its name in the figures file.
    pub fn key(self) -> &'static str {
        match self {
            Figure::RulesRepealed => "规章本年废止",
            Figure::NormativeRepealed => "行政规范性文件本年废止",
            Figure::Licences => "行政许可",
            Figure::Penalties => "行政处罚",
            Figure::Enforcement => "行政强制",
            Figure::Fees => "行政事业性收费",
        }
    }
}

/// A section of the report the office writes in its own words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    /// 一、总体情况.
    Overview,
    /// 五、存在的主要问题及改进情况.
    Problems,
    /// 六、其他需要报告的事项.
    Other,
}

impl Section {
    /// The three, in the report's order.
    pub const ALL: [Section; 3] = [Section::Overview, Section::Problems, Section::Other];

    /// Its heading, as the format numbers it.
    pub fn heading(self) -> &'static str {
        match self {
            Section::Overview => "一、总体情况",
            Section::Problems => "五、存在的主要问题及改进情况",
            Section::Other => "六、其他需要报告的事项",
        }
    }
}

/// What the office gives for the report: its name, the figures the
/// catalogue cannot count, and its sections' text. Read from a small
/// text file (docs/annual-report.md):
///
/// ```text
/// # comments start with one #
/// 机关：东亭乡人民政府
/// 行政处罚：3
/// 行政事业性收费：0.35
/// ## 一、总体情况
/// 2016年，我乡……
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inputs {
    /// The office's name (机关), for the title.
    pub organ: String,
    /// The figures given, as written (a count, or 万元 with decimals).
    pub figures: Vec<(Figure, String)>,
    /// The sections given, each its text.
    pub sections: Vec<(Section, String)>,
}

impl Inputs {
    /// Reads the figures file, every problem named by its line.
    pub fn read(text: &str) -> Result<Inputs, String> {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let mut inputs = Inputs::default();
        let mut section: Option<(Section, String)> = None;
        for (n, line) in text.lines().enumerate() {
            let at = n + 1;
            let bare = line.trim_matches(|c: char| c.is_whitespace());
            // Any line starting with ## is a heading, however it is
            // spaced: a mistyped one is named, not taken as text.
            if let Some(heading) = bare.strip_prefix("##") {
                let heading = heading
                    .trim_start_matches('#')
                    .trim_matches(|c: char| c.is_whitespace());
                let Some(found) = Section::ALL.into_iter().find(|s| s.heading() == heading) else {
                    let known: Vec<&str> = Section::ALL.iter().map(|s| s.heading()).collect();
                    return Err(format!(
                        "第 {at} 行：“{heading}”不是本机关填写的部分，应为 {}",
                        known.join("、")
                    ));
                };
                if inputs.sections.iter().any(|(s, _)| *s == found)
                    || section.as_ref().is_some_and(|(s, _)| *s == found)
                {
                    return Err(format!("第 {at} 行：“{heading}”写了两次"));
                }
                if let Some(done) = section.take() {
                    inputs.sections.push(done);
                }
                section = Some((found, String::new()));
                continue;
            }
            // A comment, in a section too.
            if bare.starts_with('#') {
                continue;
            }
            if let Some((_, body)) = section.as_mut() {
                body.push_str(line.trim_end());
                body.push('\n');
                continue;
            }
            let line = bare;
            if line.is_empty() {
                continue;
            }
            let Some((key, value)) = line.split_once(['：', ':']) else {
                return Err(format!(
                    "第 {at} 行：应写成“名称：数字”，如“行政处罚：3”，或以“## ”开始一个部分"
                ));
            };
            let (key, value) = (key.trim(), value.trim());
            if key == "机关" {
                if value.is_empty() || value.chars().count() > 50 {
                    return Err(format!("第 {at} 行：机关名称应有 1—50 个字"));
                }
                if !inputs.organ.is_empty() {
                    return Err(format!("第 {at} 行：机关写了两次"));
                }
                inputs.organ = value.to_owned();
                continue;
            }
            let Some(figure) = Figure::ALL.into_iter().find(|f| f.key() == key) else {
                let known: Vec<&str> = Figure::ALL.iter().map(|f| f.key()).collect();
                return Err(format!(
                    "第 {at} 行：不认识“{key}”，可以填写的有：机关、{}",
                    known.join("、")
                ));
            };
            let Some(value) = number(value, figure == Figure::Fees) else {
                return Err(format!(
                    "第 {at} 行：{key}应为{}，这里是“{value}”",
                    if figure == Figure::Fees {
                        "以万元计的数，最多四位小数，如 0.35"
                    } else {
                        "不带小数的件数"
                    }
                ));
            };
            if inputs.figures.iter().any(|(f, _)| *f == figure) {
                return Err(format!("第 {at} 行：{key}写了两次"));
            }
            inputs.figures.push((figure, value));
        }
        if let Some(done) = section.take() {
            inputs.sections.push(done);
        }
        for (_, body) in &mut inputs.sections {
            *body = body.trim().to_owned();
        }
        inputs.sections.retain(|(_, body)| !body.is_empty());
        Ok(inputs)
    }

    fn figure(&self, figure: Figure) -> Option<String> {
        self.figures
            .iter()
            .find(|(f, _)| *f == figure)
            .map(|(_, v)| v.clone())
    }
}

/// `text` as a count (digits), or with `decimals` an amount with at most
/// four decimals, written plainly (`007` as 7, `00.3500` as 0.35); `None`
/// if it is neither.
fn number(text: &str, decimals: bool) -> Option<String> {
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) if decimals => (w, f),
        Some(_) => return None,
        None => (text, ""),
    };
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || !digits(whole)
        || whole.len() > 12
        || !digits(fraction)
        || fraction.len() > 4
    {
        return None;
    }
    if text.ends_with('.') {
        return None;
    }
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let fraction = fraction.trim_end_matches('0');
    Some(if fraction.is_empty() {
        whole.to_owned()
    } else {
        format!("{whole}.{fraction}")
    })
}

/// Which genre (体裁) counts an entry as a 规章 or a 行政规范性文件 in
/// table 二: the catalogue's `genre` written as one of these.
pub const RULE_GENRES: [&str; 1] = ["规章"];
/// See [`RULE_GENRES`].
pub const NORMATIVE_GENRES: [&str; 2] = ["行政规范性文件", "规范性文件"];

/// Table 二, 主动公开政府信息情况: each cell a figure, or `None` where
/// neither the catalogue nor the office gave one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveTable {
    /// 规章: issued this year, repealed this year, in force.
    pub rules: [Option<String>; 3],
    /// 行政规范性文件: the same three.
    pub normative: [Option<String>; 3],
    /// 行政许可, 行政处罚, 行政强制: decisions this year.
    pub decisions: [Option<String>; 3],
    /// 行政事业性收费, in 万元.
    pub fees: Option<String>,
}

impl ActiveTable {
    /// Counts `items` (the catalogue, if given) for `year`: entries of a
    /// rule's or normative document's genre written (or, without a
    /// written date, published) in the year are issued; those valid and
    /// written by the year's end are in force, as the catalogue stands
    /// now. The rest comes from `inputs`.
    pub fn of(year: u16, items: Option<&[Item]>, inputs: &Inputs) -> ActiveTable {
        let count = |genres: &[&str], repealed: Figure| -> [Option<String>; 3] {
            let counted = items.map(|items| {
                let of_genre = items.iter().filter(|item| {
                    item.genre
                        .as_deref()
                        .is_some_and(|g| genres.contains(&g.trim()))
                });
                let year_of = |item: &Item| item.written.unwrap_or(item.published).year();
                let issued = of_genre.clone().filter(|i| year_of(i) == year).count();
                let in_force = of_genre
                    .filter(|i| i.validity == Validity::Valid && year_of(i) <= year)
                    .count();
                (issued, in_force)
            });
            [
                counted.map(|(issued, _)| issued.to_string()),
                inputs.figure(repealed),
                counted.map(|(_, in_force)| in_force.to_string()),
            ]
        };
        ActiveTable {
            rules: count(&RULE_GENRES, Figure::RulesRepealed),
            normative: count(&NORMATIVE_GENRES, Figure::NormativeRepealed),
            decisions: [
                inputs.figure(Figure::Licences),
                inputs.figure(Figure::Penalties),
                inputs.figure(Figure::Enforcement),
            ],
            fees: inputs.figure(Figure::Fees),
        }
    }

    /// The table as the format lays it out: four small tables stacked,
    /// each under the article it reports on.
    pub fn grid(&self) -> Grid {
        let value = |v: &Option<String>| Cell::data(v.clone().unwrap_or_default());
        let article = |text: &str| vec![Cell::col(text).wide(4)];
        let mut rows = vec![
            article("第二十条第（一）项"),
            vec![
                Cell::col("信息内容"),
                Cell::col("本年制发件数"),
                Cell::col("本年废止件数"),
                Cell::col("现行有效件数"),
            ],
        ];
        for (name, cells) in [("规章", &self.rules), ("行政规范性文件", &self.normative)] {
            let mut row = vec![Cell::row(name)];
            row.extend(cells.iter().map(value));
            rows.push(row);
        }
        let decisions =
            |rows: &mut Vec<Vec<Cell>>, item: &str, names: &[(&str, &Option<String>)]| {
                rows.push(article(item));
                rows.push(vec![
                    Cell::col("信息内容"),
                    Cell::col("本年处理决定数量").wide(3),
                ]);
                for (name, v) in names {
                    rows.push(vec![Cell::row(name), value(v).wide(3)]);
                }
            };
        decisions(
            &mut rows,
            "第二十条第（五）项",
            &[("行政许可", &self.decisions[0])],
        );
        decisions(
            &mut rows,
            "第二十条第（六）项",
            &[
                ("行政处罚", &self.decisions[1]),
                ("行政强制", &self.decisions[2]),
            ],
        );
        rows.push(article("第二十条第（八）项"));
        rows.push(vec![
            Cell::col("信息内容"),
            Cell::col("本年收费金额（单位：万元）").wide(3),
        ]);
        rows.push(vec![Cell::row("行政事业性收费"), value(&self.fees).wide(3)]);
        Grid {
            caption: "二、主动公开政府信息情况",
            head_rows: 0,
            rows,
        }
    }

    /// The cells no one filled in, by name.
    pub fn missing(&self) -> Vec<String> {
        let mut missing = Vec::new();
        let columns = ["本年制发件数", "本年废止件数", "现行有效件数"];
        for (name, cells) in [("规章", &self.rules), ("行政规范性文件", &self.normative)] {
            for (column, cell) in columns.iter().zip(cells) {
                if cell.is_none() {
                    missing.push(format!("{name}{column}"));
                }
            }
        }
        for (name, cell) in ["行政许可", "行政处罚", "行政强制"]
            .iter()
            .zip(&self.decisions)
        {
            if cell.is_none() {
                missing.push(format!("{name}本年处理决定数量"));
            }
        }
        if self.fees.is_none() {
            missing.push("行政事业性收费本年收费金额".into());
        }
        missing
    }
}

/// Table 四, 政府信息公开行政复议、行政诉讼情况: for each of 行政复议,
/// 未经复议直接起诉 and 复议后起诉, the counts 结果维持, 结果纠正,
/// 其他结果, 尚未审结 and 总计.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReviewsTable {
    /// By [`Review::ALL`], then the five counts.
    pub counts: [[u64; 5]; 3],
}

impl ReviewsTable {
    /// Counts the challenges brought in `year`: by their result if it came
    /// by the year's end, else as 尚未审结.
    pub fn of(year: u16, challenges: &[Challenge]) -> ReviewsTable {
        let mut table = ReviewsTable::default();
        for challenge in challenges.iter().filter(|c| c.brought.year() == year) {
            let row = Review::ALL
                .iter()
                .position(|r| *r == challenge.review)
                .unwrap_or(0);
            let column = match challenge.result {
                Some((on, verdict)) if on.year() == year => {
                    Verdict::ALL.iter().position(|v| *v == verdict).unwrap_or(2)
                }
                _ => 3,
            };
            table.counts[row][column] += 1;
            table.counts[row][4] += 1;
        }
        table
    }

    /// The table as the format lays it out.
    pub fn grid(&self) -> Grid {
        let columns = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];
        let mut heads = Vec::new();
        for _ in 0..3 {
            heads.extend(columns.iter().map(|c| Cell::col(c)));
        }
        let data = self
            .counts
            .iter()
            .flatten()
            .map(|n| Cell::data(n.to_string()))
            .collect();
        Grid {
            caption: "四、政府信息公开行政复议、行政诉讼情况",
            head_rows: 3,
            rows: vec![
                vec![
                    Cell::col("行政复议").wide(5).tall(2),
                    Cell::col("行政诉讼").wide(10),
                ],
                vec![
                    Cell::col("未经复议直接起诉").wide(5),
                    Cell::col("复议后起诉").wide(5),
                ],
                heads,
                data,
            ],
        }
    }
}

/// The note in table 三's corner, as the format words it.
pub const BALANCE_NOTE: &str =
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

impl RequestsTable {
    /// Table 三 as the format lays it out: the balance note in the
    /// corner, 申请人情况 over the seven columns, 三、本年度办理结果 beside
    /// its 22 rows and each outcome with reasons beside its reasons.
    pub fn grid(&self) -> Grid {
        let data = |cells: &Cells| -> Vec<Cell> {
            cells.iter().map(|n| Cell::data(n.to_string())).collect()
        };
        let row = |heading: Cell, cells: &Cells| -> Vec<Cell> {
            let mut row = vec![heading];
            row.extend(data(cells));
            row
        };
        let mut rows = vec![
            vec![
                Cell::col(BALANCE_NOTE).wide(3).tall(3),
                Cell::col("申请人情况").wide(7),
            ],
            vec![
                Cell::col("自然人").tall(2),
                Cell::col("法人或其他组织").wide(5),
                Cell::col("总计").tall(2),
            ],
            RequestsTable::COLUMNS[1..6]
                .iter()
                .map(|c| Cell::col(c))
                .collect(),
            row(
                Cell::row("一、本年新收政府信息公开申请数量").wide(3),
                &self.received,
            ),
            row(
                Cell::row("二、上年结转政府信息公开申请数量").wide(3),
                &self.carried_over,
            ),
        ];
        let mut block: Vec<Vec<Cell>> = Vec::new();
        for group in Group::ALL {
            let of_group: Vec<&(Outcome, Cells)> = self
                .outcomes
                .iter()
                .filter(|(o, _)| o.group() == group)
                .collect();
            if group.reasons().is_empty() {
                for (_, cells) in of_group {
                    block.push(row(Cell::row(group.row()).wide(2), cells));
                }
                continue;
            }
            let reasons = of_group.len() as u16;
            for (i, (outcome, cells)) in of_group.into_iter().enumerate() {
                let mut line = row(Cell::row(&outcome.row()), cells);
                if i == 0 {
                    line.insert(0, Cell::row(group.row()).tall(reasons));
                }
                block.push(line);
            }
        }
        block.push(row(Cell::row("（七）总计").wide(2), &self.handled));
        let tall = block.len() as u16;
        block[0].insert(0, Cell::row("三、本年度办理结果").tall(tall));
        rows.extend(block);
        rows.push(row(
            Cell::row("四、结转下年度继续办理").wide(3),
            &self.carried_forward,
        ));
        Grid {
            caption: "三、收到和处理政府信息公开申请情况",
            head_rows: 3,
            rows,
        }
    }

    /// Table 三 in Markdown, which has no spans: one heading column, each
    /// row as [`RequestsTable::rows`] gives it.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("{}\n\n| 申请人情况 | 自然人 |", self.grid().caption);
        for heading in &RequestsTable::COLUMNS[1..6] {
            let _ = write!(out, " 法人或其他组织：{heading} |");
        }
        out.push_str(" 总计 |\n|---|");
        out.push_str(&"---:|".repeat(7));
        out.push('\n');
        for (heading, cells) in self.rows() {
            let _ = write!(out, "| {heading} |");
            match cells {
                Some(cells) => cells.iter().for_each(|n| {
                    let _ = write!(out, " {n} |");
                }),
                None => out.push_str(&" |".repeat(7)),
            }
            out.push('\n');
        }
        let _ = writeln!(out, "\n{BALANCE_NOTE}");
        out
    }
}

/// What a cell of a table is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A heading over columns.
    Col,
    /// A heading of its row.
    Row,
    /// A figure.
    Data,
}

/// One cell, spanning `cols` columns and `rows` rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// Its text.
    pub text: String,
    /// Heading or figure.
    pub role: Role,
    /// Columns it spans.
    pub cols: u16,
    /// Rows it spans.
    pub rows: u16,
}

impl Cell {
    fn of(text: impl Into<String>, role: Role) -> Cell {
        Cell {
            text: text.into(),
            role,
            cols: 1,
            rows: 1,
        }
    }

    fn col(text: &str) -> Cell {
        Cell::of(text, Role::Col)
    }

    fn row(text: &str) -> Cell {
        Cell::of(text, Role::Row)
    }

    fn data(text: String) -> Cell {
        Cell::of(text, Role::Data)
    }

    fn wide(self, cols: u16) -> Cell {
        Cell { cols, ..self }
    }

    fn tall(self, rows: u16) -> Cell {
        Cell { rows, ..self }
    }
}

/// A table laid out as the format has it: rows of cells, some spanning
/// several, the first `head_rows` the column headings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grid {
    /// Its caption, numbered as in the report.
    pub caption: &'static str,
    /// How many of the rows are column headings.
    pub head_rows: usize,
    /// The rows, each cell placed after the ones spanning into its row
    /// from above (as in HTML).
    pub rows: Vec<Vec<Cell>>,
}

impl Grid {
    /// Each cell with the row and column of its top left corner, counted
    /// as a spreadsheet places them.
    pub fn placed(&self) -> Vec<(usize, usize, &Cell)> {
        let mut taken: Vec<Vec<bool>> = Vec::new();
        let mut placed = Vec::new();
        for (r, row) in self.rows.iter().enumerate() {
            let mut c = 0;
            for cell in row {
                while taken
                    .get(r)
                    .and_then(|t| t.get(c))
                    .copied()
                    .unwrap_or(false)
                {
                    c += 1;
                }
                for rr in r..r + usize::from(cell.rows) {
                    if taken.len() <= rr {
                        taken.resize(rr + 1, Vec::new());
                    }
                    let width = c + usize::from(cell.cols);
                    if taken[rr].len() < width {
                        taken[rr].resize(width, false);
                    }
                    for slot in &mut taken[rr][c..width] {
                        *slot = true;
                    }
                }
                placed.push((r, c, cell));
                c += usize::from(cell.cols);
            }
        }
        placed
    }

    /// The table in HTML, every text escaped: named by its caption, or,
    /// on a page where a heading says it, by the heading with id
    /// `heading`.
    pub fn to_html(&self, heading: Option<&str>) -> String {
        let mut out = match heading {
            Some(id) => format!(
                "<table class=\"xxgk-report\" aria-labelledby=\"{}\">\n",
                escape(id)
            ),
            None => format!(
                "<table class=\"xxgk-report\">\n<caption>{}</caption>\n",
                escape(self.caption)
            ),
        };
        for (r, row) in self.rows.iter().enumerate() {
            if r == 0 && self.head_rows > 0 {
                out.push_str("<thead>\n");
            }
            if r == self.head_rows {
                out.push_str("<tbody>\n");
            }
            out.push_str("<tr>");
            for cell in row {
                let span = |name: &str, n: u16| {
                    if n > 1 {
                        format!(" {name}=\"{n}\"")
                    } else {
                        String::new()
                    }
                };
                let spans = format!(
                    "{}{}",
                    span("rowspan", cell.rows),
                    span("colspan", cell.cols)
                );
                let text = escape(&cell.text);
                let _ = match cell.role {
                    Role::Col => {
                        let scope = if cell.cols > 1 { "colgroup" } else { "col" };
                        write!(out, "<th scope=\"{scope}\"{spans}>{text}</th>")
                    }
                    Role::Row => {
                        let scope = if cell.rows > 1 { "rowgroup" } else { "row" };
                        write!(out, "<th scope=\"{scope}\"{spans}>{text}</th>")
                    }
                    Role::Data => write!(out, "<td{spans}>{text}</td>"),
                };
            }
            out.push_str("</tr>\n");
            if r + 1 == self.head_rows {
                out.push_str("</thead>\n");
            }
        }
        out.push_str("</tbody>\n</table>\n");
        out
    }

    /// The table in Markdown: every row a line of cells, a spanning cell
    /// once with empty cells after it (Markdown has no spans), and the
    /// columns no cell starts in left out.
    pub fn to_markdown(&self) -> String {
        let placed = self.placed();
        let width = placed
            .iter()
            .map(|(_, c, cell)| c + usize::from(cell.cols))
            .max()
            .unwrap_or(0);
        let starts: Vec<bool> = (0..width)
            .map(|c| placed.iter().any(|(_, start, _)| *start == c))
            .collect();
        let shown = starts.iter().filter(|s| **s).count();
        let mut lines: Vec<Vec<String>> = vec![vec![String::new(); width]; self.rows.len()];
        for (r, c, cell) in placed {
            lines[r][c] = cell.text.replace('|', "\\|");
        }
        let mut out = format!("{}\n\n", self.caption);
        let separator = format!("|{}\n", "---|".repeat(shown));
        if self.head_rows == 0 {
            let _ = write!(out, "|{}\n{separator}", " |".repeat(shown));
        }
        for (r, line) in lines.iter().enumerate() {
            let cells: Vec<&str> = line
                .iter()
                .zip(&starts)
                .filter(|(_, start)| **start)
                .map(|(text, _)| text.as_str())
                .collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
            if r == 0 && self.head_rows > 0 {
                out.push_str(&separator);
            }
        }
        out
    }
}

/// `text` safe as HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The whole report for a year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnnualReport {
    /// The year.
    pub year: u16,
    /// What the office gave.
    pub inputs: Inputs,
    /// Table 二.
    pub active: ActiveTable,
    /// Table 三.
    pub requests: RequestsTable,
    /// Table 四.
    pub reviews: ReviewsTable,
}

impl AnnualReport {
    /// Its title: `东亭乡人民政府2016年政府信息公开工作年度报告`.
    pub fn title(&self) -> String {
        format!(
            "{}{}年政府信息公开工作年度报告",
            self.inputs.organ, self.year
        )
    }

    /// The three tables, in order.
    pub fn grids(&self) -> [Grid; 3] {
        [
            self.active.grid(),
            self.requests.grid(),
            self.reviews.grid(),
        ]
    }

    /// What is left blank or unwritten, for whoever prepares it.
    pub fn missing(&self) -> Vec<String> {
        let mut missing = Vec::new();
        if self.inputs.organ.is_empty() {
            missing.push("机关名称".to_owned());
        }
        for section in Section::ALL {
            if !self.inputs.sections.iter().any(|(s, _)| *s == section) {
                missing.push(section.heading().to_owned());
            }
        }
        missing.extend(self.active.missing());
        missing
    }

    fn section(&self, section: Section) -> Option<&str> {
        self.inputs
            .sections
            .iter()
            .find(|(s, _)| *s == section)
            .map(|(_, text)| text.as_str())
    }

    /// The report as a page to publish (a catalogue entry under 年度报告,
    /// or printed): the sections in order, the tables in the format's
    /// layout, every text escaped.
    pub fn to_html(&self) -> String {
        let title = escape(&self.title());
        let mut out = format!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<article>\n<h1>{title}</h1>\n"
        );
        let [active, requests, reviews] = self.grids();
        let paragraphs = |out: &mut String, section: Section| {
            let _ = writeln!(out, "<h2>{}</h2>", section.heading());
            for paragraph in self
                .section(section)
                .unwrap_or_default()
                .split("\n\n")
                .filter(|p| !p.trim().is_empty())
            {
                let lines: Vec<String> = paragraph.trim().lines().map(escape).collect();
                let _ = writeln!(out, "<p>{}</p>", lines.join("<br>"));
            }
        };
        paragraphs(&mut out, Section::Overview);
        for (n, grid) in [&active, &requests, &reviews].into_iter().enumerate() {
            let id = format!("table-{}", n + 2);
            let _ = writeln!(out, "<h2 id=\"{id}\">{}</h2>", grid.caption);
            out.push_str(&grid.to_html(Some(&id)));
            if grid.caption == requests.caption {
                if let Some(note) = self.requests.note() {
                    let _ = writeln!(out, "<p class=\"xxgk-report__note\">{}</p>", escape(&note));
                }
            }
        }
        paragraphs(&mut out, Section::Problems);
        paragraphs(&mut out, Section::Other);
        out.push_str("</article>\n</body>\n</html>\n");
        out
    }

    /// The report in Markdown, what the office wrote shown as written
    /// (markup escaped, a line's leading # not a heading).
    pub fn to_markdown(&self) -> String {
        let plain = |text: &str| -> String {
            text.lines()
                .map(|line| {
                    let line = escape(line);
                    match line.strip_prefix(['#', '>', '-', '+', '*']) {
                        Some(_) => format!("\\{line}"),
                        None => line,
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let mut out = format!("# {}\n\n", plain(&self.title()));
        let section = |out: &mut String, section: Section| {
            let _ = write!(
                out,
                "## {}\n\n{}\n\n",
                section.heading(),
                plain(self.section(section).unwrap_or_default())
            );
        };
        section(&mut out, Section::Overview);
        let [active, _, reviews] = self.grids();
        let _ = writeln!(out, "## {}", active.to_markdown());
        let _ = writeln!(out, "## {}", self.requests.to_markdown());
        if let Some(note) = self.requests.note() {
            let _ = write!(out, "{note}\n\n");
        }
        let _ = writeln!(out, "## {}", reviews.to_markdown());
        section(&mut out, Section::Problems);
        section(&mut out, Section::Other);
        out
    }
}

/// The page's stylesheet: the format's ruled tables, readable on a phone
/// and printed on A4.
const STYLE: &str = "body{font:16px/1.75 \"Microsoft YaHei\",\"PingFang SC\",sans-serif;margin:0;padding:1em;color:#111}\n\
article{max-width:60em;margin:auto}\n\
h1{font-size:1.5em;text-align:center}\n\
h2{font-size:1.15em;margin-top:1.5em}\n\
p{text-indent:2em}\n\
table{border-collapse:collapse;width:100%;margin:.5em 0;display:block;overflow-x:auto}\n\
caption{text-align:left;font-weight:bold;padding:.25em 0}\n\
th,td{border:1px solid #333;padding:.25em .5em;text-align:center}\n\
th[scope=row]{text-align:left;font-weight:normal}\n\
@media print{body{padding:0}table{display:table;page-break-inside:auto}tr{page-break-inside:avoid}}\n";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Date;

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn the_office_s_figures_and_sections_are_read_and_mistakes_named_by_line() {
        let inputs = Inputs::read(
            "\u{FEFF}# 本机关填写\n机关：东亭乡人民政府\n行政处罚: 3\n行政事业性收费：0.35\n\n## 一、总体情况\n第一段。\n\n第二段。\n## 六、其他需要报告的事项\n无。\n",
        )
        .unwrap();
        assert_eq!(inputs.organ, "东亭乡人民政府");
        assert_eq!(
            inputs.figures,
            [
                (Figure::Penalties, "3".into()),
                (Figure::Fees, "0.35".into())
            ]
        );
        assert_eq!(
            inputs.sections,
            [
                (Section::Overview, "第一段。\n\n第二段。".into()),
                (Section::Other, "无。".into())
            ]
        );
        // Headings however spaced, comments inside sections, CRLF, and
        // figures written plainly.
        let spaced = Inputs::read(
            "行政处罚：007\r\n行政事业性收费：00.3500\r\n##　五、存在的主要问题及改进情况\r\n# 草稿，勿发布\r\n问题一。\r\n",
        )
        .unwrap();
        assert_eq!(
            spaced.figures,
            [
                (Figure::Penalties, "7".into()),
                (Figure::Fees, "0.35".into())
            ]
        );
        assert_eq!(spaced.sections, [(Section::Problems, "问题一。".into())]);
        for (text, problem) in [
            ("行政处罚：3.5\n", "第 1 行：行政处罚应为不带小数的件数"),
            ("机关：甲\n行政收费：1\n", "第 2 行：不认识“行政收费”"),
            ("行政许可：1\n行政许可：2\n", "第 2 行：行政许可写了两次"),
            (
                "## 二、主动公开政府信息情况\n",
                "第 1 行：“二、主动公开政府信息情况”不是",
            ),
            ("行政许可 1\n", "第 1 行：应写成"),
            (
                "行政事业性收费：1.23456\n",
                "第 1 行：行政事业性收费应为以万元计的数",
            ),
        ] {
            let e = Inputs::read(text).unwrap_err();
            assert!(e.starts_with(problem), "{text:?}: {e}");
        }
    }

    #[test]
    fn reviews_are_counted_in_the_year_they_were_brought_by_their_result_at_its_end() {
        let challenge = |review, brought: &str, result: Option<(&str, Verdict)>| Challenge {
            review,
            brought: date(brought),
            result: result.map(|(d, v)| (date(d), v)),
        };
        let table = ReviewsTable::of(
            2024,
            &[
                challenge(
                    Review::Reconsideration,
                    "2024-03-01",
                    Some(("2024-05-01", Verdict::Upheld)),
                ),
                challenge(
                    Review::Reconsideration,
                    "2024-11-01",
                    Some(("2025-01-10", Verdict::Corrected)),
                ),
                challenge(
                    Review::Lawsuit,
                    "2024-06-01",
                    Some(("2024-09-01", Verdict::Other)),
                ),
                challenge(Review::LawsuitAfterReconsideration, "2023-06-01", None),
            ],
        );
        assert_eq!(
            table.counts,
            [[1, 0, 0, 1, 2], [0, 0, 1, 0, 1], [0, 0, 0, 0, 0]]
        );
        let grid = table.grid();
        let placed = grid.placed();
        // The 15 figures sit under their 15 headings.
        let figures: Vec<usize> = placed
            .iter()
            .filter(|(r, _, _)| *r == 3)
            .map(|(_, c, _)| *c)
            .collect();
        assert_eq!(figures, (0..15).collect::<Vec<_>>());
        let heads: Vec<(usize, &str)> = placed
            .iter()
            .filter(|(r, _, _)| *r == 1)
            .map(|(_, c, cell)| (*c, cell.text.as_str()))
            .collect();
        assert_eq!(heads, [(5, "未经复议直接起诉"), (10, "复议后起诉")]);
        let html = grid.to_html(None);
        assert!(
            html.contains("<th scope=\"colgroup\" rowspan=\"2\" colspan=\"5\">行政复议</th>"),
            "{html}"
        );
        assert!(
            html.contains("<tr><td>1</td><td>0</td><td>0</td><td>1</td><td>2</td><td>0</td>"),
            "{html}"
        );
    }

    #[test]
    fn table_two_counts_rules_and_normative_documents_from_the_catalogue() {
        let catalogue = crate::Catalogue::parse(
            "catalogue.json",
            r#"{"schema":"xxgk-catalogue/1","site":{"name":"东亭乡"},
            "categories":[{"id":"c","name":"政策文件"}],
            "items":[
              {"id":"1","title":"东亭乡村规民约管理办法","publisher":"东亭乡人民政府","published":"2016-03-02","written":"2016-03-01","category":"c","genre":"规范性文件","validity":"valid"},
              {"id":"2","title":"东亭乡河道管理规定","publisher":"东亭乡人民政府","published":"2016-01-05","written":"2015-12-28","category":"c","genre":"行政规范性文件","validity":"valid"},
              {"id":"3","title":"东亭乡旧办法","publisher":"东亭乡人民政府","published":"2014-01-05","category":"c","genre":"规范性文件","validity":"repealed"},
              {"id":"4","title":"东亭乡2016年工作要点","publisher":"东亭乡人民政府","published":"2016-02-05","category":"c","genre":"通知","validity":"valid"}
            ]}"#
            .as_bytes(),
        )
        .unwrap();
        assert_eq!(catalogue.items.len(), 4, "{:?}", catalogue.skipped);
        let inputs = Inputs::read("行政规范性文件本年废止：1\n行政处罚：3\n").unwrap();
        let table = ActiveTable::of(2016, Some(&catalogue.items), &inputs);
        let some = |t: &str| Some(t.to_owned());
        assert_eq!(table.normative, [some("1"), some("1"), some("2")]);
        assert_eq!(table.rules, [some("0"), None, some("0")]);
        assert_eq!(table.decisions, [None, some("3"), None]);
        assert_eq!(
            table.missing(),
            [
                "规章本年废止件数",
                "行政许可本年处理决定数量",
                "行政强制本年处理决定数量",
                "行政事业性收费本年收费金额"
            ]
        );
        // Without the catalogue nothing is counted, and nothing made up.
        let blind = ActiveTable::of(2016, None, &inputs);
        assert_eq!(blind.normative, [None, some("1"), None]);
        let html = table.grid().to_html(None);
        assert!(
            html.contains(
                "<tr><th scope=\"row\">行政规范性文件</th><td>1</td><td>1</td><td>2</td></tr>"
            ),
            "{html}"
        );
        assert!(
            html.contains("<tr><th scope=\"row\">行政处罚</th><td colspan=\"3\">3</td></tr>"),
            "{html}"
        );
    }

    #[test]
    fn the_page_escapes_what_the_office_wrote() {
        let inputs =
            Inputs::read("机关：东亭乡<script>\n## 一、总体情况\n<img src=x onerror=alert(1)>\n")
                .unwrap();
        let report = AnnualReport {
            year: 2016,
            active: ActiveTable::of(2016, None, &inputs),
            requests: RequestsTable::of(2016, &[], None).unwrap(),
            reviews: ReviewsTable::default(),
            inputs,
        };
        let html = report.to_html();
        assert!(
            !html.contains("<script>") && !html.contains("<img"),
            "{html}"
        );
        assert!(html.contains("<title>东亭乡&lt;script&gt;2016年政府信息公开工作年度报告</title>"));
        assert!(html.contains("<p>&lt;img src=x onerror=alert(1)&gt;</p>"));
        let headings: Vec<&str> = html.lines().filter(|l| l.starts_with("<h2")).collect();
        assert_eq!(
            headings,
            [
                "<h2>一、总体情况</h2>",
                "<h2 id=\"table-2\">二、主动公开政府信息情况</h2>",
                "<h2 id=\"table-3\">三、收到和处理政府信息公开申请情况</h2>",
                "<h2 id=\"table-4\">四、政府信息公开行政复议、行政诉讼情况</h2>",
                "<h2>五、存在的主要问题及改进情况</h2>",
                "<h2>六、其他需要报告的事项</h2>",
            ]
        );
        assert!(report
            .missing()
            .contains(&"五、存在的主要问题及改进情况".to_owned()));
    }
}
