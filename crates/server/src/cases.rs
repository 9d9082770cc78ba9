//! `xxgk-server case …` and `xxgk-server report`: staff handle a
//! disclosure request by its statutory clock (`xxgk_core::case`), one
//! action at a time, and count the year's requests for the annual report
//! (`xxgk_core::report`). Texts sent to the applicant come from a file or
//! standard input, never the command line (shell history and `ps` show
//! arguments to anyone on the machine).

use crate::console::roles::Duty;
use crate::store::{Case, Store};
use crate::terminal::printable;
use clap::{Args, Subcommand};
use std::io::Read;
use std::path::{Path, PathBuf};
use xxgk_core::calendar::Calendar;
use xxgk_core::case::{Action, Clock, Event, Review, Verdict};
use xxgk_core::outcome::Outcome;
use xxgk_core::submission::Kind;
use xxgk_core::Date;

/// The database and the holiday calendars every case command reads.
#[derive(Args, Debug)]
pub struct Where {
    /// The feedback database.
    #[arg(
        long,
        value_name = "PATH|URL",
        default_value = "feedback.db",
        global = true
    )]
    pub(crate) db: crate::store::Location,
    /// A holiday calendar file adding to (or correcting) the shipped one,
    /// e.g. next year's arrangement (docs/calendar.md); give it once per
    /// file.
    #[arg(long = "calendar", value_name = "FILE", global = true)]
    pub(crate) calendars: Vec<PathBuf>,
}

/// What to do with a case.
#[derive(Subcommand, Debug)]
pub enum CaseCommand {
    /// List the disclosure requests, oldest first, with their status and
    /// due dates; or, with --kind, the messages of a kind with their
    /// reply-by dates.
    List {
        /// Only those past their due date.
        #[arg(long)]
        overdue: bool,
        /// What to list: request (依申请公开, the default), message (every
        /// message), or one kind of message: consultation 咨询, suggestion
        /// 建议, complaint 投诉, help 求助.
        #[arg(long, value_name = "KIND", default_value = "request",
              value_parser = ["request", "message", "consultation", "suggestion", "complaint", "help"])]
        kind: String,
        /// Working days within which a message is to be answered, as the
        /// receiver is set (serve --reply-days), for the sites that do not
        /// set their own.
        #[arg(long, value_name = "N", default_value_t = crate::api::REPLY_DAYS,
              value_parser = clap::value_parser!(u32).range(1..=60))]
        reply_days: u32,
    },
    /// Show a request: its status, dates and history.
    Show {
        /// The lookup code.
        code: String,
        /// As JSON (received, due, status, decision, events).
        #[arg(long)]
        json: bool,
    },
    /// Confirm a request (确认受理): it counts as received that day, and
    /// the 20 working days start.
    Confirm(Step),
    /// Ask the applicant to clarify (告知补正), within 7 working days of
    /// receipt: the clock stops. The notice's text from --text-file.
    Clarify {
        #[command(flatten)]
        step: Step,
        /// Working days the applicant has to answer.
        #[arg(long, default_value_t = 15)]
        days: u32,
        /// The notice (what to clarify), from this file, or - for
        /// standard input.
        #[arg(long, value_name = "FILE")]
        text_file: PathBuf,
    },
    /// The clarified request arrived (补正到达): the 20 working days start
    /// over from that day.
    Clarified(Step),
    /// Extend the time to reply by up to 20 working days (延期), once,
    /// with the approval of the head of the disclosure office; the notice
    /// to the applicant from --text-file.
    Extend {
        #[command(flatten)]
        step: Step,
        /// Who approved it.
        #[arg(long, value_name = "NAME")]
        approved_by: String,
        /// By how many working days (at most 20).
        #[arg(long, default_value_t = xxgk_core::case::EXTENSION_DAYS)]
        days: u32,
        /// The notice, from this file, or - for standard input.
        #[arg(long, value_name = "FILE")]
        text_file: PathBuf,
    },
    /// A third party's opinion is asked for (征求意见): the days until it
    /// comes do not count.
    Consult(Step),
    /// The third party's opinion came (or its time ran out).
    Consulted(Step),
    /// Decide (作出答复): the outcome, its reason, and the reply the
    /// applicant reads by the code.
    Decide {
        #[command(flatten)]
        step: Step,
        /// The outcome: disclosed, partly, refused, unavailable,
        /// not-processed or other (or with its reason: refused-4).
        #[arg(long, value_name = "CODE")]
        outcome: String,
        /// The reason's number, as in the annual report.
        #[arg(long, value_name = "N")]
        reason: Option<u8>,
        /// The reply, from this file, or - for standard input.
        #[arg(long, value_name = "FILE")]
        text_file: PathBuf,
    },
    /// The applicant challenges the decision, or a request left
    /// unanswered past its due date: 行政复议 or 行政诉讼 (table 四 of the
    /// annual report).
    Review {
        #[command(flatten)]
        step: Step,
        /// reconsideration (行政复议), lawsuit (未经复议直接起诉) or
        /// lawsuit-after-reconsideration (复议后起诉).
        #[arg(long = "type", value_name = "TYPE")]
        review: String,
    },
    /// The result of a review or lawsuit.
    Reviewed {
        #[command(flatten)]
        step: Step,
        /// reconsideration, lawsuit or lawsuit-after-reconsideration.
        #[arg(long = "type", value_name = "TYPE")]
        review: String,
        /// upheld (结果维持), corrected (结果纠正) or other (其他结果).
        #[arg(long, value_name = "RESULT")]
        result: String,
    },
    /// Take back a step recorded by mistake (a wrong date, the wrong
    /// case): the step stays in the history, marked as taken back, with
    /// the reason; the clock no longer counts it. Only while what follows
    /// still holds: take back the last steps first.
    Void {
        /// The lookup code.
        code: String,
        /// The step's number in `case show`.
        #[arg(long, value_name = "N")]
        event: usize,
        /// Why, from this file, or - for standard input.
        #[arg(long, value_name = "FILE")]
        text_file: PathBuf,
    },
    /// Record a request that came on paper (in person, by post or fax)
    /// from a file in the API's JSON form, and confirm it on the day it
    /// was received (Art. 31: in person, that day; by post, the day it
    /// was signed for). Prints its lookup code for the applicant.
    Record {
        /// The request, as JSON (docs/feedback-api.openapi.json,
        /// Submission), from this file, or - for standard input.
        file: PathBuf,
        /// The day it was received (YYYY-MM-DD); today in Beijing if
        /// not given.
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// Make the database if it does not exist yet (requests recorded
        /// before the receiver first ran); without it a mistyped --db is
        /// refused, not made.
        #[arg(long)]
        new_database: bool,
        /// The site it was sent to (site list); the account's own if it
        /// works for one site, else the receiver's default site.
        #[arg(long, value_name = "CODE")]
        site: Option<String>,
    },
}

fn review(code: &str) -> Result<Review, String> {
    Review::from_code(&code.trim().to_ascii_lowercase()).ok_or_else(|| {
        format!(
            "--type {}：应为 reconsideration（行政复议）、lawsuit（未经复议直接起诉）或 lawsuit-after-reconsideration（复议后起诉）",
            printable(code)
        )
    })
}

/// The request and the day.
#[derive(Args, Debug)]
pub struct Step {
    /// The lookup code.
    code: String,
    /// The day it takes effect (YYYY-MM-DD); today in Beijing if not given.
    #[arg(long, value_name = "DATE")]
    on: Option<String>,
}

/// The holiday calendar a running server works with: the shipped
/// arrangements, the operator's files, and what the administrator added
/// in the console (next year's arrangement, once published), which takes
/// effect at once for every reader of this receiver, and within
/// [`crate::api::SITES_FRESH`] on the others sharing its database.
#[derive(Clone, Debug)]
pub struct Calendars(std::sync::Arc<Followed>);

#[derive(Debug)]
struct Followed {
    /// The calendar now, and the administrator's text it holds (`None`:
    /// it does not follow the database).
    now: std::sync::RwLock<(std::sync::Arc<Calendar>, Option<String>)>,
    /// The shipped arrangements with the operator's files, as read at the
    /// start: the text is added to these.
    files: Calendar,
}

impl Calendars {
    /// `calendar`, as it is: it follows no database.
    pub fn new(calendar: Calendar) -> Calendars {
        Calendars(std::sync::Arc::new(Followed {
            now: std::sync::RwLock::new((std::sync::Arc::new(calendar), None)),
            files: Calendar::default(),
        }))
    }

    /// The shipped arrangements, the files at `files` and the text `added`
    /// kept in the database, followed as the database changes
    /// ([`Calendars::added_now`]). A text that does not read is left out,
    /// and said in the log; files that do not read are refused.
    pub fn following(files: Vec<PathBuf>, added: &str) -> Result<Calendars, String> {
        let from_files = calendar_with(&files)?;
        let mut calendar = from_files.clone();
        if let Err(e) = calendar.add(added) {
            tracing::warn!(error = %e, "the holiday arrangements added in the console no longer read: left out (see the console's 设置 page)");
            calendar = from_files.clone();
        }
        Ok(Calendars(std::sync::Arc::new(Followed {
            now: std::sync::RwLock::new((std::sync::Arc::new(calendar), Some(added.to_owned()))),
            files: from_files,
        })))
    }

    /// The calendar as it is now.
    pub fn current(&self) -> std::sync::Arc<Calendar> {
        self.0
            .now
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .0
            .clone()
    }

    /// Replaces it with `calendar`, made with the administrator's text
    /// `added`.
    pub fn set(&self, calendar: Calendar, added: &str) {
        *self.0.now.write().unwrap_or_else(|e| e.into_inner()) =
            (std::sync::Arc::new(calendar), Some(added.to_owned()));
    }

    /// Takes the administrator's text as the database now holds it (saved
    /// on another receiver, perhaps): the calendar is made again if it
    /// changed. One that does not read is said in the log, once, and the
    /// calendar in force stays.
    pub fn added_now(&self, added: &str) {
        {
            let now = self.0.now.read().unwrap_or_else(|e| e.into_inner());
            if now.1.as_deref().is_none_or(|held| held == added) {
                return;
            }
        }
        let mut calendar = self.0.files.clone();
        let read = calendar.add(added);
        let mut now = self.0.now.write().unwrap_or_else(|e| e.into_inner());
        match read {
            Ok(()) => {
                tracing::info!("the holiday arrangements added in the console changed: in force");
                *now = (std::sync::Arc::new(calendar), Some(added.to_owned()));
            }
            Err(e) => {
                // Told once: the text stays as it is until changed again.
                tracing::warn!(error = %e, "the holiday arrangements added in the console (设置 page) do not read here: those in force stay");
                now.1 = Some(added.to_owned());
            }
        }
    }
}

impl Default for Calendars {
    fn default() -> Calendars {
        Calendars::new(Calendar::builtin())
    }
}

/// The setting that keeps the arrangements the administrator added in
/// the console, in the format of `docs/calendar.md`.
pub const CALENDAR_SETTING: &str = "calendar";

/// The shipped arrangements, the files at `paths` and the administrator's
/// `added` text.
pub fn calendar_with_added(paths: &[PathBuf], added: &str) -> Result<Calendar, String> {
    let mut calendar = calendar_with(paths)?;
    if !added.trim().is_empty() {
        calendar
            .add(added)
            .map_err(|e| format!("节假日安排：{e}"))?;
    }
    Ok(calendar)
}

/// The calendar of the store's staff: the shipped arrangements, the files
/// at `paths` and what the administrator added in the console.
pub fn calendar_of(store: &Store, paths: &[PathBuf]) -> Result<Calendar, String> {
    let added = store
        .setting(CALENDAR_SETTING)
        .map_err(|e| e.to_string())?
        .unwrap_or_default();
    calendar_with_added(paths, &added)
}

/// The shipped holiday arrangements with the files at `paths` added.
pub fn calendar_with(paths: &[PathBuf]) -> Result<Calendar, String> {
    let mut calendar = Calendar::builtin();
    for path in paths {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        calendar
            .add(&text)
            .map_err(|e| format!("{}：{e}", path.display()))?;
    }
    Ok(calendar)
}

/// Today in Beijing.
pub(crate) fn today() -> Date {
    Date::beijing(crate::store::now()).unwrap_or_else(|| Date::new(2100, 12, 31).expect("a date"))
}

fn day(on: &Option<String>) -> Result<Date, String> {
    match on {
        None => Ok(today()),
        Some(text) => Date::parse(text)
            .ok_or_else(|| format!("--on {}：不是日期，请写成 2024-09-27", printable(text))),
    }
}

/// The text of a file, or of standard input for `-`: UTF-8, its byte-order
/// mark (Notepad's "UTF-8 with BOM") left out.
pub(crate) fn read_input(path: &Path) -> Result<String, String> {
    let mut bytes = Vec::new();
    let name = if path == Path::new("-") {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        "标准输入".to_owned()
    } else {
        bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        path.display().to_string()
    };
    let text = String::from_utf8(bytes).map_err(|_| {
        format!(
            "{}：不是 UTF-8 编码的文字（可能是 GBK 或 UTF-16）。请用记事本打开，“另存为”时编码选 UTF-8",
            printable(&name)
        )
    })?;
    Ok(match text.strip_prefix('\u{FEFF}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

/// The text of `--text-file`: a file, or standard input for `-`.
pub(crate) fn text(path: &Path) -> Result<String, String> {
    checked(&read_input(path)?)
}

/// A text sent to the citizen, trimmed, if it can be sent: not empty, not
/// too long, without invisible control characters.
pub(crate) fn checked(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("正文是空的：写上申请人将看到的文字".into());
    }
    if text.chars().count() > TEXT_MOST {
        return Err(format!(
            "正文有 {} 个字，超过了 {TEXT_MOST} 字的上限：长的文件请作为附件另行送达",
            text.chars().count()
        ));
    }
    if let Some(c) = text.chars().find(|&c| xxgk_core::text::is_hidden(c, true)) {
        return Err(format!(
            "正文里有一个看不见的控制字符（U+{:04X}）：删掉后再试",
            c as u32
        ));
    }
    Ok(text.to_owned())
}

/// The most characters a text sent to the applicant may have.
const TEXT_MOST: usize = 20_000;

/// Who records an action from the command line: the system account.
pub(crate) fn actor() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "?".into());
    format!("命令行:{user}")
}

/// What a case command asks of the account that runs it, its case, and
/// its name for a refusal.
fn duty(command: &CaseCommand) -> (Duty, Option<&str>, &'static str) {
    match command {
        CaseCommand::List { .. } => (Duty::SeeCase, None, "列出案件"),
        CaseCommand::Show { code, .. } => (Duty::SeeCase, Some(code), "查看案件"),
        CaseCommand::Confirm(s) => (Duty::Register, Some(&s.code), "确认受理"),
        CaseCommand::Clarify { step, .. } => (Duty::Register, Some(&step.code), "告知补正"),
        CaseCommand::Clarified(s) => (Duty::Register, Some(&s.code), "补正到达"),
        CaseCommand::Extend { step, .. } => (Duty::Progress, Some(&step.code), "延期"),
        CaseCommand::Consult(s) => (Duty::Progress, Some(&s.code), "征求意见"),
        CaseCommand::Consulted(s) => (Duty::Progress, Some(&s.code), "意见到达"),
        CaseCommand::Decide { step, .. } => (Duty::Decide, Some(&step.code), "作出答复"),
        CaseCommand::Review { step, .. } => {
            (Duty::RecordReview, Some(&step.code), "登记复议或诉讼")
        }
        CaseCommand::Reviewed { step, .. } => {
            (Duty::RecordReview, Some(&step.code), "登记复议或诉讼结果")
        }
        CaseCommand::Void { code, .. } => (Duty::Correct, Some(code), "撤销一条记录"),
        CaseCommand::Record { .. } => (Duty::Register, None, "登记纸质申请"),
    }
}

/// Runs a case command against the database at `place`, as the account
/// `as_name`.
pub fn run(command: CaseCommand, place: Where, as_name: Option<&str>) -> Result<(), String> {
    if let CaseCommand::Record {
        new_database: true, ..
    } = &command
    {
        if place.db.file().is_some_and(|f| !f.exists()) {
            crate::store::Store::open(&place.db).map_err(|e| e.to_string())?;
        }
    }
    let mut store = crate::cli::open(&place.db)?;
    // The arrangements the administrator added in the console count here
    // as they do for the server.
    // And each site's own, for its cases.
    let calendar = std::sync::Arc::new(calendar_of(&store, &place.calendars)?);
    let sites = store.sites().map_err(|e| e.to_string())?;
    let calendars = sites.calendars(calendar);
    let who = crate::accounts::acting(&store, as_name)?;
    let (needs, code, what) = duty(&command);
    let code = code.map(crate::store::normalise_code).unwrap_or_default();
    // A handler alone lists the cases of their own unit.
    let listing = matches!(command, CaseCommand::List { .. });
    let listed = if listing { who.listed(&store)? } else { None };
    if listed.is_none() {
        who.may_on(&mut store, needs, &code, what)?;
    }
    let actor = who.label.clone();
    let visible = |code: &str| listed.as_ref().is_none_or(|l| l.contains(code));
    let (step, action, note) = match command {
        CaseCommand::List {
            overdue,
            kind,
            reply_days,
        } => {
            return match kind.as_str() {
                "request" => list(&store, &calendars, overdue, &visible),
                kind => messages(
                    &store,
                    &calendars,
                    Kind::from_code(kind),
                    |site| {
                        sites
                            .get(site)
                            .and_then(|s| s.reply_days)
                            .unwrap_or(reply_days)
                    },
                    overdue,
                    &visible,
                ),
            }
        }
        CaseCommand::Show { code, json } => return show(&store, &calendars, &code, json),
        CaseCommand::Confirm(step) => (step, Action::Confirm, String::new()),
        CaseCommand::Clarify {
            step,
            days,
            text_file,
        } => (step, Action::Clarify { days }, text(&text_file)?),
        CaseCommand::Clarified(step) => (step, Action::Clarified, String::new()),
        CaseCommand::Extend {
            step,
            approved_by,
            days,
            text_file,
        } => {
            let line = approved_by.trim();
            if line.chars().count() > 50
                || line.chars().any(|c| xxgk_core::text::is_hidden(c, false))
            {
                return Err("--approved-by：写批准人的姓名或职务，一行，最多 50 个字".into());
            }
            (
                step,
                Action::Extend {
                    approved_by: line.to_owned(),
                    days,
                },
                text(&text_file)?,
            )
        }
        CaseCommand::Consult(step) => (step, Action::Consult, String::new()),
        CaseCommand::Consulted(step) => (step, Action::Consulted, String::new()),
        CaseCommand::Decide {
            step,
            outcome,
            reason,
            text_file,
        } => {
            // As typed: `Refused`, ` refused `.
            let outcome = outcome.trim().to_ascii_lowercase();
            let code = match reason {
                Some(r) => format!("{outcome}-{r}"),
                None => outcome,
            };
            let outcome = Outcome::from_code(&code).map_err(|e| e.to_string())?;
            (step, Action::Decide(outcome), text(&text_file)?)
        }
        CaseCommand::Review { step, review: kind } => {
            (step, Action::Review(review(&kind)?), String::new())
        }
        CaseCommand::Reviewed {
            step,
            review: kind,
            result,
        } => {
            let verdict = Verdict::from_code(&result.trim().to_ascii_lowercase()).ok_or_else(|| {
                format!(
                    "--result {}：应为 upheld（结果维持）、corrected（结果纠正）或 other（其他结果）",
                    printable(&result)
                )
            })?;
            (
                step,
                Action::Reviewed(review(&kind)?, verdict),
                String::new(),
            )
        }
        CaseCommand::Record { file, on, site, .. } => {
            let site = paper_site(&store, &who, site)?;
            return record(&mut store, calendars.of(&site), &file, &on, &who, &site);
        }
        CaseCommand::Void {
            code,
            event,
            text_file,
        } => {
            let reason = text(&text_file)?;
            let clock = store
                .void(
                    &code,
                    event,
                    &reason,
                    &actor,
                    crate::store::now(),
                    case_calendar(&store, &calendars, &code)?,
                )
                .map_err(|e| e.to_string())?;
            who.log(&mut store, "act", &code, what)?;
            println!(
                "{}：第 {event} 条办理记录已撤销。{}",
                printable(&crate::store::normalise_code(&code)),
                describe(&clock)
            );
            return Ok(());
        }
    };
    let event = Event {
        on: day(&step.on)?,
        action,
    };
    let label = event.action.label();
    let clock = store
        .act(
            &step.code,
            &event,
            &note,
            &actor,
            crate::store::now(),
            case_calendar(&store, &calendars, &step.code)?,
        )
        .map_err(|e| e.to_string())?;
    who.log(&mut store, "act", &code, what)?;
    println!(
        "{}：{label}（{}）。{}",
        printable(&crate::store::normalise_code(&step.code)),
        event.on,
        describe(&clock)
    );
    Ok(())
}

/// The working days of the case `code`'s site (the receiver's if there is
/// no such case: acting on it is refused then).
fn case_calendar<'a>(
    store: &Store,
    calendars: &'a crate::store::SiteCalendars,
    code: &str,
) -> Result<&'a Calendar, String> {
    let site = store
        .site_of(&crate::store::normalise_code(code))
        .map_err(|e| e.to_string())?
        .unwrap_or_default();
    Ok(calendars.of(&site))
}

/// `case record`: a paper request kept and confirmed on the day it came.
/// The site a paper request is recorded for: `given`, which must be a
/// site the account works for; else the account's one site, or the
/// default site for an account of every site.
fn paper_site(
    store: &Store,
    who: &crate::accounts::Acting,
    given: Option<String>,
) -> Result<String, String> {
    let sites = store.sites().map_err(|e| e.to_string())?;
    match (given, &who.sites) {
        (Some(code), _) if sites.get(&code).is_none() => Err(format!(
            "--site：没有站点 {}（site list 列出站点）",
            printable(&code)
        )),
        (Some(code), Some(mine)) if !mine.contains(&code) => {
            Err(format!("{} 不负责站点 {}", who.label, printable(&code)))
        }
        (Some(code), _) => Ok(code),
        (None, None) => Ok(String::new()),
        (None, Some(mine)) if mine.len() == 1 => Ok(mine[0].clone()),
        (None, Some(_)) => Err(format!(
            "{} 负责多个站点：用 --site 说明申请递交给哪个站点",
            who.label
        )),
    }
}

fn record(
    store: &mut Store,
    calendar: &Calendar,
    file: &Path,
    on: &Option<String>,
    who: &crate::accounts::Acting,
    site: &str,
) -> Result<(), String> {
    let on = day(on)?;
    let json = read_input(file)?;
    let json = json.as_str();
    let submission = match xxgk_core::submission::read(json) {
        Ok(incoming) => incoming.submission().clone(),
        Err(xxgk_core::submission::ReadError::Fields(errors)) => {
            let problems: Vec<String> = errors
                .iter()
                .map(|e| format!("{}（{}）：{}", e.field.label(), e.field.key(), e.message()))
                .collect();
            return Err(format!("{}：{}", file.display(), problems.join("；")));
        }
        Err(xxgk_core::submission::ReadError::NotJson(why)) => {
            return Err(format!(
                "{}：不是 JSON（{why}）。格式见 docs/feedback-api.openapi.json 和 examples/requests-2016/",
                file.display()
            ))
        }
        Err(xxgk_core::submission::ReadError::NotObject) => {
            return Err(format!("{}：应为一个 JSON 对象 {{…}}", file.display()))
        }
    };
    if submission.kind != Kind::DisclosureRequest {
        return Err(
            "case record 只记录政府信息公开申请（kind 应为 disclosure_request）；留言请从网页提交"
                .into(),
        );
    }
    if on > today() {
        return Err(format!("--on {on}：收到申请的日期不能晚于今天"));
    }
    let (code, recorded, clock) = store
        .record_paper(
            site,
            &submission,
            on,
            &who.label,
            crate::store::now(),
            calendar,
        )
        .map_err(|e| e.to_string())?;
    who.log(store, "act", &code, "登记纸质申请")?;
    let code = printable(&code);
    match recorded {
        crate::store::Recorded::New => {
            println!(
                "{code}：纸质申请已登记并确认受理（{on}）。{}",
                describe(&clock)
            )
        }
        crate::store::Recorded::Again => println!(
            "{code}：这份申请此前已登记，没有再登记。{}",
            describe(&clock)
        ),
        crate::store::Recorded::Redated => {
            println!("{code}：已按更正的日期 {on} 确认受理。{}", describe(&clock))
        }
    }
    Ok(())
}

/// The status and the dates that matter, in a line.
fn describe(clock: &Clock) -> String {
    let mut out = clock.status.label().to_owned();
    if let Some(received) = clock.received {
        out.push_str(&format!("，受理 {received}"));
    }
    if let Some(by) = clock.clarify_by {
        out.push_str(&format!("，补正期限 {by}"));
    }
    if let Some(due) = clock.open_due() {
        out.push_str(&format!("，答复期限 {due}"));
        if clock.extended {
            out.push_str("（已延期）");
        }
    }
    if let Some((on, outcome)) = clock.decided {
        out.push_str(&format!("，{on} 答复：{}", outcome.label()));
    }
    out
}

fn list(
    store: &Store,
    calendars: &crate::store::SiteCalendars,
    overdue_only: bool,
    visible: &dyn Fn(&str) -> bool,
) -> Result<(), String> {
    let today = today();
    for case in store.requests().map_err(|e| e.to_string())? {
        if !visible(&case.code) {
            continue;
        }
        let calendar = calendars.of(&case.site);
        let (line, overdue) = match case.clock(calendar) {
            Ok(clock) => {
                let mut flags = String::new();
                let overdue = clock.overdue(today);
                if overdue {
                    flags.push_str("  [已逾期]");
                } else if clock.near_due(today, calendar) {
                    flags.push_str("  [临近期限]");
                }
                if let Some(stalled) = clock.stalled(today, calendar) {
                    flags.push_str(&format!("  [{stalled}]"));
                }
                (format!("{}{flags}", describe(&clock)), overdue)
            }
            Err(e) => (format!("[无法计算：{e}]"), false),
        };
        if overdue_only && !overdue {
            continue;
        }
        println!(
            "{}  {}  {line}",
            printable(&case.code),
            xxgk_core::date::beijing_time(case.received_at)
        );
    }
    Ok(())
}

/// The messages of `kind` (every message for `None`), oldest first: each
/// with its status and the last day of its reply period (`reply_days` of
/// its site, in its site's working days), flagged when that day is near
/// or past while it waits; suspected ones marked.
fn messages(
    store: &Store,
    calendars: &crate::store::SiteCalendars,
    kind: Option<Kind>,
    reply_days: impl Fn(&str) -> u32,
    overdue_only: bool,
    visible: &dyn Fn(&str) -> bool,
) -> Result<(), String> {
    let today = today();
    for record in store.records().map_err(|e| e.to_string())? {
        if !visible(&record.public.code) {
            continue;
        }
        let (calendar, reply_days) = (calendars.of(&record.site), reply_days(&record.site));
        let public = &record.public;
        let wanted = match kind {
            Some(kind) => public.kind == kind,
            None => public.kind != Kind::DisclosureRequest,
        };
        if !wanted {
            continue;
        }
        let waiting = public.status == crate::store::Status::Received;
        let reply_by = Date::beijing(public.received_at)
            .ok_or("收到时间无法读取".to_owned())
            .and_then(|sent| {
                calendar
                    .add_working_days(sent, reply_days)
                    .map_err(|e| e.to_string())
            });
        let (line, overdue) = match reply_by {
            Ok(by) => {
                let overdue = waiting && today > by;
                let flag = if overdue {
                    "  [已逾期]"
                } else if waiting && xxgk_core::case::near(today, by, calendar) {
                    "  [临近期限]"
                } else {
                    ""
                };
                (format!("答复期限 {by}{flag}"), overdue)
            }
            Err(e) => (format!("[无法计算答复期限：{e}]"), false),
        };
        if overdue_only && !overdue {
            continue;
        }
        println!(
            "{}  {}  {}  {}  {line}{}",
            printable(&public.code),
            xxgk_core::date::beijing_time(public.received_at),
            public.kind.label(),
            public.status.label(),
            if record.suspected {
                "  【疑似垃圾】"
            } else {
                ""
            }
        );
    }
    Ok(())
}

fn show(
    store: &Store,
    calendars: &crate::store::SiteCalendars,
    code: &str,
    json: bool,
) -> Result<(), String> {
    let case = store
        .case(code)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("没有查询码为 {} 的申请", printable(code)))?;
    let calendar = calendars.of(&case.site);
    let clock = case.clock(calendar);
    let today = today();
    // A message has no statutory clock: its status is its record's.
    let message = match case.kind {
        Kind::DisclosureRequest => None,
        _ => store.lookup(&case.code).map_err(|e| e.to_string())?,
    };
    if json {
        let mut value = case_json(
            &case,
            clock.as_ref().ok().filter(|_| message.is_none()),
            today,
            calendar,
            clock.as_ref().err(),
        );
        if let Some(message) = &message {
            value["status"] = message.status.code().into();
            value["status_label"] = message.status.label().into();
        }
        println!(
            "{}",
            serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?
        );
        return Ok(());
    }
    println!("查询码：{}", printable(&case.code));
    if store.suspected(&case.code).map_err(|e| e.to_string())? == Some(true) {
        println!("【疑似垃圾】提交时填写了自动程序才会填的隐藏栏；确认是真实的后用 restore 恢复");
    }
    println!("类型：{}", case.kind.label());
    if message.is_none() {
        println!(
            "申请人类别：{}",
            case.applicant
                .map_or("（申请内容本版本无法读取）", |a| a.label())
        );
    }
    println!(
        "提交时间：{}",
        xxgk_core::date::beijing_time(case.received_at)
    );
    match (&message, &clock) {
        (Some(message), _) => println!("状态：{}", message.status.label()),
        (None, Ok(clock)) => println!("状态：{}", describe(clock)),
        (None, Err(e)) => println!("状态：无法计算（{e}）"),
    }
    println!("办理记录：");
    let voided = crate::store::voided(&case.events);
    for (n, e) in case.events.iter().enumerate() {
        let action = if voided.contains(&e.id) {
            format!("#{} {}（已撤销）", n + 1, e.label())
        } else {
            format!("#{} {}", n + 1, e.label())
        };
        let detail = match shown_detail(&case.events, e) {
            None => String::new(),
            Some(detail) => format!("  {}", printable(&detail)),
        };
        println!(
            "  {}  {action}{detail}  （{} 记录于 {}）",
            printable(&e.on),
            printable(&e.actor),
            xxgk_core::date::beijing_time(e.recorded_at)
        );
        if !e.note.is_empty() {
            for line in e.note.lines() {
                println!("      {}", printable(line));
            }
        }
    }
    Ok(())
}

/// What an event keeps besides its action, as staff read it: a void names
/// the step it took back by its number in the history, not its row.
fn shown_detail(
    events: &[crate::store::StoredEvent],
    e: &crate::store::StoredEvent,
) -> Option<String> {
    if e.action == crate::store::VOID {
        let id: i64 = e.detail.parse().ok()?;
        let n = events.iter().position(|t| t.id == id)?;
        return Some(format!("第 {} 条", n + 1));
    }
    (!e.detail.is_empty()).then(|| e.detail.clone())
}

fn case_json(
    case: &Case,
    clock: Option<&Clock>,
    today: Date,
    calendar: &Calendar,
    error: Option<&crate::store::ActError>,
) -> serde_json::Value {
    use serde_json::json;
    let date = |d: Option<Date>| d.map(|d| d.to_string());
    json!({
        "code": case.code,
        "kind": case.kind.code(),
        "applicant": case.applicant.map(|a| a.code()),
        "sent_at": case.received_at,
        "status": clock.map(|c| c.status.code()),
        "status_label": clock.map(|c| c.status.label()),
        "received": date(clock.and_then(|c| c.received)),
        "due": date(clock.and_then(|c| c.due)),
        "extended": clock.is_some_and(|c| c.extended),
        "clarify_by": date(clock.and_then(|c| c.clarify_by)),
        "decided": clock.and_then(|c| c.decided).map(|(on, outcome)| json!({
            "on": on.to_string(),
            "outcome": outcome.code(),
            "label": outcome.label(),
        })),
        "overdue": clock.is_some_and(|c| c.overdue(today)),
        "near_due": clock.is_some_and(|c| c.near_due(today, calendar)),
        "stalled": clock.and_then(|c| c.stalled(today, calendar)),
        "error": error.map(ToString::to_string),
        "events": case.events.iter().enumerate().map(|(n, e)| json!({
            "number": n + 1,
            "voided": crate::store::voided(&case.events).contains(&e.id),
            "on": e.on,
            "action": e.action,
            "detail": shown_detail(&case.events, e).unwrap_or_default(),
            "note": e.note,
            "actor": e.actor,
            "recorded_at": e.recorded_at,
        })).collect::<Vec<_>>(),
    })
}
