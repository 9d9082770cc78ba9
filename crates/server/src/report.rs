//! `xxgk-server report`: the year's annual report on government
//! information disclosure from the data: table 三 and table 四 from the
//! cases, table 二 from the catalogue and the office's figures, the
//! sections the office writes; as a page (html), Markdown, JSON or a
//! workbook (xlsx).

use crate::cases::Where;
use crate::terminal::printable;
use clap::Args;
use std::path::PathBuf;
use xxgk_core::annual::{ActiveTable, AnnualReport, Grid, Inputs, ReviewsTable, Role};
use xxgk_core::report::{Case, RequestsTable};

/// The year's report.
#[derive(Args, Debug)]
pub struct Report {
    /// The year reported on.
    #[arg(long)]
    year: u16,
    /// html (a page to publish), md, json or xlsx (needs --out).
    #[arg(long, default_value = "md")]
    format: String,
    /// Where to write it; standard output if not given (not for xlsx).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// The catalogue (a catalogue file or a spreadsheet), for table 二's
    /// rules and normative documents issued and in force.
    #[arg(long, value_name = "FILE")]
    catalogue: Option<PathBuf>,
    /// What the office writes and enters: its name, the figures the
    /// catalogue cannot count and sections 一, 五 and 六
    /// (docs/annual-report.md).
    #[arg(long, value_name = "FILE")]
    figures: Option<PathBuf>,
    /// What last year's published report carried forward (四、结转下年度),
    /// for the first year counted here: seven numbers, 自然人, the five
    /// kinds of organisation and the total, separated by commas.
    #[arg(long, value_name = "N,N,N,N,N,N,N")]
    carried_over: Option<String>,
    /// Only the requests of this site and the sites under it (a county's
    /// report takes in its townships'); all the account's if not given.
    #[arg(long, value_name = "CODE")]
    site: Option<String>,
    #[command(flatten)]
    place: Where,
}

/// Writes the report; what is left blank or could not be counted goes to
/// standard error, named.
pub fn report(args: Report, as_name: Option<&str>) -> Result<(), String> {
    if !["md", "html", "json", "xlsx"].contains(&args.format.as_str()) {
        return Err(format!(
            "--format {}：应为 html、md、json 或 xlsx",
            printable(&args.format)
        ));
    }
    if args.format == "xlsx" && args.out.is_none() {
        return Err("--format xlsx 需要 --out 文件名（如 --out 年度报告.xlsx）".into());
    }
    // No calendar is read: the days counted are the days recorded.
    let mut store = crate::cli::open(&args.place.db)?;
    let who = crate::accounts::acting(&store, as_name)?;
    who.may(
        &mut store,
        crate::console::roles::Duty::Report,
        "",
        "",
        "统计年度报告",
    )?;
    let carried_over = match &args.carried_over {
        None => None,
        Some(text) => {
            let numbers: Vec<u64> = text
                .split(',')
                .map(|n| n.trim().parse())
                .collect::<Result<_, _>>()
                .map_err(|_| "--carried-over：应是七个用逗号分开的整数".to_owned())?;
            Some(<[u64; 7]>::try_from(numbers).map_err(|_| {
                "--carried-over：应是七个数（自然人、五类法人或其他组织、总计）".to_owned()
            })?)
        }
    };
    let inputs = match &args.figures {
        None => Inputs::default(),
        Some(path) => {
            let text = crate::cases::read_input(path)?;
            Inputs::read(&text).map_err(|e| format!("{}：{e}", path.display()))?
        }
    };
    let items = match &args.catalogue {
        None => None,
        Some(path) => {
            let input = crate::catalogue::input::read(path, &Default::default())
                .map_err(|e| printable(&e.message(xxgk_core::Lang::Zh)).into_owned())?;
            let catalogue = input
                .parse()
                .map_err(|e| printable(&e.to_string()).into_owned())?;
            Some(catalogue.items)
        }
    };
    let sites = store.sites().map_err(|e| e.to_string())?;
    let scope = match args.site.as_deref() {
        None => who.sites.clone(),
        Some(code) => {
            if sites.get(code).is_none() {
                return Err(format!(
                    "--site：没有站点 {}（site list 列出站点）",
                    printable(code)
                ));
            }
            if who
                .sites
                .as_ref()
                .is_some_and(|mine| !mine.iter().any(|s| s == code))
            {
                return Err(format!("{} 不负责站点 {}", who.label, printable(code)));
            }
            Some(sites.under([code]))
        }
    };
    let counted = annual(
        &store,
        args.year,
        carried_over,
        inputs,
        items.as_deref(),
        scope.as_deref(),
    )?;
    for problem in &counted.uncounted {
        eprintln!("未计入：{}", printable(problem));
    }
    if !counted.unconfirmed.is_empty() {
        eprintln!(
            "未计入（{} 件网上提交后没有确认受理，在法律上尚未收到；已用 reply 或 reject 答复的申请也在其中）：{}",
            counted.unconfirmed.len(),
            printable(&counted.unconfirmed.join("、"))
        );
    }
    let report = counted.report;
    let missing = report.missing();
    if !missing.is_empty() {
        eprintln!(
            "尚未填写（用 --figures 文件补上，见 docs/annual-report.md{}）：{}",
            if args.catalogue.is_none() {
                "；规章和规范性文件的制发、现行有效件数用 --catalogue 从目录统计"
            } else {
                ""
            },
            missing.join("、")
        );
    }
    let text = match args.format.as_str() {
        "md" => report.to_markdown(),
        "html" => report.to_html(),
        "json" => to_json(&report),
        _ => {
            let path = args.out.as_ref().expect("checked above");
            return xlsx(&report, path);
        }
    };
    match &args.out {
        None => {
            print!("{text}");
            Ok(())
        }
        Some(path) => {
            std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
    }
}

/// The year's report as counted from the store, with the requests left
/// out and why.
pub struct Counted {
    /// The report.
    pub report: AnnualReport,
    /// Requests not counted, each with why (a record this version cannot
    /// read).
    pub uncounted: Vec<String>,
    /// Requests sent online that were never confirmed: not received in
    /// law, not counted.
    pub unconfirmed: Vec<String>,
}

/// Counts the requests of `store` for `year`'s report, with the office's
/// `inputs` and, for table 二, the catalogue's `items`.
pub fn annual(
    store: &crate::store::Store,
    year: u16,
    carried_over: Option<[u64; 7]>,
    inputs: Inputs,
    items: Option<&[xxgk_core::Item]>,
    sites: Option<&[String]>,
) -> Result<Counted, String> {
    let mut cases = Vec::new();
    let mut challenges = Vec::new();
    // A request whose record this version cannot read is named, not
    // guessed at, and the rest are counted: the report is due by law.
    let mut uncounted = Vec::new();
    // Requests not counted are named, with why: an auditor must be able to
    // see every request that is not in the table.
    let year_end = xxgk_core::Date::new(year, 12, 31).ok_or("--year：年份不对")?;
    let mut unconfirmed = Vec::new();
    for case in store.requests().map_err(|e| e.to_string())? {
        if sites.is_some_and(|sites| !sites.contains(&case.site)) {
            continue;
        }
        let counted = match case.counted() {
            Ok(counted) => counted,
            Err(e) => {
                uncounted.push(format!("{}：{e}", case.code));
                continue;
            }
        };
        challenges.extend(counted.challenges.iter().copied());
        let Some(received) = counted.first_received else {
            // Not confirmed: not received in law, not counted.
            let sent = xxgk_core::Date::beijing(case.received_at);
            if sent.is_some_and(|sent| sent <= year_end) {
                unconfirmed.push(case.code.clone());
            }
            continue;
        };
        let Some(applicant) = case.applicant else {
            uncounted.push(format!(
                "{}：申请内容本版本无法读取，不知申请人类别",
                case.code
            ));
            continue;
        };
        cases.push(Case {
            code: case.code.clone(),
            applicant,
            received,
            closed: counted.decided,
        });
    }
    let mut requests = RequestsTable::of(year, &cases, carried_over).map_err(|e| e.to_string())?;
    requests.uncounted = uncounted.len() as u64;
    Ok(Counted {
        report: AnnualReport {
            year,
            active: ActiveTable::of(year, items, &inputs),
            requests,
            reviews: ReviewsTable::of(year, &challenges),
            inputs,
        },
        uncounted,
        unconfirmed,
    })
}

/// The report's figures as JSON: each table's rows of cells as laid out,
/// and table 三's counts by row heading.
fn to_json(report: &AnnualReport) -> String {
    use serde_json::json;
    let grid = |g: &Grid| {
        json!({
            "caption": g.caption,
            "cells": g.placed().iter().map(|(r, c, cell)| json!({
                "row": r, "column": c, "text": cell.text,
                "rows": cell.rows, "columns": cell.cols,
                "heading": cell.role != Role::Data,
            })).collect::<Vec<_>>(),
        })
    };
    let value = json!({
        "title": report.title(),
        "year": report.year,
        "tables": report.grids().iter().map(grid).collect::<Vec<_>>(),
        "requests": {
            "columns": RequestsTable::COLUMNS,
            "rows": report.requests.rows().into_iter()
                .map(|(heading, cells)| json!({ "row": heading, "cells": cells }))
                .collect::<Vec<_>>(),
            "uncounted": report.requests.uncounted,
        },
        "reviews": report.reviews.counts,
        "missing": report.missing(),
    });
    let mut text = serde_json::to_string_pretty(&value).expect("JSON of plain values");
    text.push('\n');
    text
}

/// The report as a workbook: one sheet per table, laid out as the format,
/// figures as numbers, and a sheet with the sections' text.
fn xlsx(report: &AnnualReport, path: &std::path::Path) -> Result<(), String> {
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
    let error = |e: rust_xlsxwriter::XlsxError| format!("cannot write {}: {e}", path.display());
    let mut workbook = Workbook::new();
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let heading = cell.clone().set_bold();
    let row_heading = cell.clone().set_align(FormatAlign::Left);
    for (n, grid) in report.grids().iter().enumerate() {
        let sheet = workbook.add_worksheet();
        sheet
            .set_name(["二、主动公开", "三、依申请公开", "四、复议诉讼"][n])
            .map_err(error)?;
        sheet
            .write_string_with_format(0, 0, grid.caption, &Format::new().set_bold())
            .map_err(error)?;
        let mut widest = 0;
        for (r, c, item) in grid.placed() {
            let (row, col) = (r as u32 + 2, c as u16);
            let format = match item.role {
                Role::Col => &heading,
                Role::Row => &row_heading,
                Role::Data => &cell,
            };
            widest = widest.max(c + usize::from(item.cols));
            if item.rows > 1 || item.cols > 1 {
                let last_row = row + u32::from(item.rows) - 1;
                let last_col = col + item.cols - 1;
                sheet
                    .merge_range(row, col, last_row, last_col, &item.text, format)
                    .map_err(error)?;
            }
            match item.text.parse::<f64>() {
                Ok(number) if item.role == Role::Data => {
                    sheet.write_number_with_format(row, col, number, format)
                }
                _ => sheet.write_string_with_format(row, col, &item.text, format),
            }
            .map_err(error)?;
        }
        for c in 0..widest {
            sheet.set_column_width(c as u16, 12).map_err(error)?;
        }
        let last = grid
            .placed()
            .iter()
            .map(|(r, _, cell)| r + usize::from(cell.rows))
            .max()
            .unwrap_or(0);
        if n == 1 {
            let notes = [
                Some(xxgk_core::annual::BALANCE_NOTE.to_owned()),
                report.requests.note(),
            ];
            for (row, note) in (last as u32 + 3..).zip(notes.into_iter().flatten()) {
                sheet.write_string(row, 0, note).map_err(error)?;
            }
        }
    }
    let text = workbook.add_worksheet();
    text.set_name("报告正文").map_err(error)?;
    text.set_column_width(0, 100).map_err(error)?;
    text.write_string_with_format(0, 0, report.title(), &Format::new().set_bold())
        .map_err(error)?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let mut row = 2;
    for section in xxgk_core::annual::Section::ALL {
        text.write_string_with_format(row, 0, section.heading(), &Format::new().set_bold())
            .map_err(error)?;
        let body = report
            .inputs
            .sections
            .iter()
            .find(|(s, _)| *s == section)
            .map_or("", |(_, t)| t.as_str());
        text.write_string_with_format(row + 1, 0, body, &wrap)
            .map_err(error)?;
        row += 3;
    }
    workbook.save(path).map_err(error)
}
