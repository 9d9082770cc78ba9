//! The case list, the case page, and the actions a case allows.

use super::mask;
use super::page::{self, csrf, page, time};
use super::roles::Duty;
use super::{failed, Acting, Console, Form, Signed, Staff};
use crate::cases::today;
use crate::store::{ActError, Sheet, Status};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use std::sync::Arc;
use xxgk_core::calendar::Calendar;
use xxgk_core::case::{Action, Clock, Event, Review, Verdict};
use xxgk_core::outcome::Outcome;
use xxgk_core::submission::Kind;
use xxgk_core::Date;

/// Where a case stands, as the list and the case page show it.
struct Standing {
    /// Its status in words.
    label: String,
    /// The last day to answer, while it waits for an answer.
    due: Option<Date>,
    overdue: bool,
    near: bool,
    /// Whether it still waits for an answer.
    open: bool,
    /// A request's clock, if it can be worked out.
    clock: Option<Clock>,
}

/// The reply period of messages to the site `site`: its own if it sets
/// one (as the citizen's lookup and the public figures go by), else the
/// receiver's `reply_days`.
fn reply_days_of(sites: &crate::store::Sites, site: &str, reply_days: u32) -> u32 {
    sites
        .get(site)
        .and_then(|site| site.reply_days)
        .unwrap_or(reply_days)
}

fn standing(sheet: &Sheet, calendar: &Calendar, reply_days: u32, today: Date) -> Standing {
    let public = &sheet.record.public;
    if public.kind != Kind::DisclosureRequest
        || (sheet.events.is_empty() && public.status != Status::Received)
    {
        let open = public.status == Status::Received;
        let due = Date::beijing(public.received_at)
            .and_then(|sent| calendar.add_working_days(sent, reply_days).ok())
            .filter(|_| open);
        return Standing {
            // Not 待审核, the citizen's word: in the console, 审核 is the
            // reviewer's.
            label: match public.status {
                Status::Received => "待答复".to_owned(),
                status => status.label().to_owned(),
            },
            due,
            overdue: due.is_some_and(|d| today > d),
            near: due.is_some_and(|d| xxgk_core::case::near(today, d, calendar)),
            open,
            clock: None,
        };
    }
    match crate::store::clock(&sheet.events, calendar) {
        Ok(clock) => Standing {
            label: clock.status.label().to_owned(),
            due: clock.open_due(),
            overdue: clock.overdue(today),
            near: clock.near_due(today, calendar),
            open: clock.decided.is_none(),
            clock: Some(clock),
        },
        Err(e) => Standing {
            label: format!("无法计算（{e}）"),
            due: None,
            overdue: false,
            near: false,
            open: true,
            clock: None,
        },
    }
}

/// The list's filters, from the query string.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct Filters {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    mine: String,
    #[serde(default)]
    q: String,
    /// The page, from 1.
    #[serde(default)]
    p: Option<usize>,
}

/// Cases per page of the list.
const PAGE: usize = 100;

impl Filters {
    /// The query string of these filters on page `page`.
    fn on_page(&self, page: usize) -> String {
        let pairs = [
            ("kind", self.kind.as_str()),
            ("state", &self.state),
            ("due", &self.due),
            ("unit", &self.unit),
            ("mine", &self.mine),
            ("q", &self.q),
        ];
        let mut query: Vec<(&str, String)> = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (*k, (*v).to_owned()))
            .collect();
        query.push(("p", page.to_string()));
        format!(
            "/?{}",
            serde_urlencoded::to_string(query).unwrap_or_default()
        )
    }
}

impl Filters {
    fn keeps(&self, sheet: &Sheet, standing: &Standing, staff: &Staff) -> bool {
        let public = &sheet.record.public;
        let kind = match self.kind.as_str() {
            "" => true,
            "request" => public.kind == Kind::DisclosureRequest,
            "message" => public.kind != Kind::DisclosureRequest,
            code => Kind::from_code(code) == Some(public.kind),
        };
        let draft_pending = sheet.draft.as_ref().is_some_and(|d| d.pending());
        let state = match self.state.as_str() {
            "" => !sheet.record.suspected,
            "suspected" => sheet.record.suspected,
            "all" => true,
            "open" => standing.open && !sheet.record.suspected,
            "draft" => draft_pending,
            "publish" => {
                sheet.consent
                    && public.status == Status::Replied
                    && sheet.published.is_none()
                    && !sheet.record.suspected
            }
            "answered" => !standing.open,
            _ => true,
        };
        let due = match self.due.as_str() {
            "soon" => standing.near || standing.overdue,
            "overdue" => standing.overdue,
            _ => true,
        };
        let unit = self.unit.is_empty() || sheet.unit == self.unit;
        let mine = self.mine.is_empty()
            || (!staff.account.unit.is_empty() && sheet.unit == staff.account.unit);
        kind && state && due && unit && mine && self.finds(sheet, staff)
    }

    /// Whether the search finds the case: by its code, or, for those who
    /// may see its personal data, by the whole phone or identity number.
    fn finds(&self, sheet: &Sheet, staff: &Staff) -> bool {
        let q = self.q.trim();
        if q.is_empty()
            || sheet
                .record
                .public
                .code
                .contains(&crate::store::normalise_code(q))
        {
            return true;
        }
        let digits = |t: &str| -> String {
            t.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_uppercase)
                .collect()
        };
        let wanted = digits(q);
        wanted.chars().count() >= 7
            && staff.may(Duty::SeePersonal, &sheet.unit)
            && sheet.record.submission.as_ref().is_ok_and(|s| {
                digits(&s.phone) == wanted
                    || s.request
                        .as_ref()
                        .is_some_and(|r| digits(&r.id_number) == wanted)
            })
    }
}

/// `GET /`: the cases the account may see, newest first, filtered.
pub(crate) async fn list(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Query(filters): Query<Filters>,
) -> Response {
    if !staff.account.roles.may(Duty::SeeCase, true) {
        // An administrator only: the pages of their duty.
        return Redirect::to("/stats").into_response();
    }
    let calendar = console.settings.calendar.current();
    let reply_days = console.settings.reply_days;
    let who = staff.clone();
    let loaded = console
        .with(move |store| {
            // A handler alone reads only their unit's cases.
            let only =
                (!who.account.roles.may(Duty::SeeCase, false)).then(|| who.account.unit.clone());
            let sheets = store.sheets(only.as_deref()).map_err(|e| failed(&e))?;
            let units = store.units().map_err(|e| failed(&e))?;
            let sites = store.sites().map_err(|e| failed(&e))?;
            Ok((sheets, units, sites))
        })
        .await;
    let (sheets, units, sites) = match loaded {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let today = today();
    let calendars = sites.calendars(calendar);
    let seen: Vec<Sheet> = sheets
        .into_iter()
        .filter(|s| staff.sees(&s.site) && staff.may(Duty::SeeCase, &s.unit))
        .collect();
    let suspected = seen.iter().filter(|s| s.record.suspected).count();
    let rows: Vec<(Sheet, Standing)> = seen
        .into_iter()
        .map(|s| {
            let days = reply_days_of(&sites, &s.site, reply_days);
            let standing = standing(&s, calendars.of(&s.site), days, today);
            (s, standing)
        })
        .filter(|(s, standing)| filters.keeps(s, standing, &staff))
        .collect();
    let pages = rows.len().div_ceil(PAGE).max(1);
    let shown = filters.p.unwrap_or(1).clamp(1, pages);
    let body = html! {
        (filter_form(&filters, &units, &staff))
        p {
            "共 " (rows.len()) " 件"
            @if pages > 1 { "，第 " (shown) " 页（共 " (pages) " 页）" }
            @if suspected > 0 && filters.state.is_empty() { "；另有 " a href="/?state=suspected" { (suspected) " 件疑似垃圾" } "未列出" }
            "。"
        }
        div.wide {
            table.cases {
                thead { tr { th { "查询码" } th { "类型" } th { "标题" } th { "收到" } th { "状态" } th { "答复期限" } th { "承办单位" } th { "联系电话" } th { "证件号码" } } }
                tbody {
                    @for (sheet, standing) in rows.iter().skip((shown - 1) * PAGE).take(PAGE) {
                        (row(sheet, standing))
                    }
                }
            }
        }
        @if pages > 1 {
            nav.pages aria-label="翻页" {
                @if shown > 1 { a href=(filters.on_page(shown - 1)) { "上一页" } " " }
                @if shown < pages { a href=(filters.on_page(shown + 1)) { "下一页" } }
            }
        }
        @if staff.account.roles.may(Duty::Export, false) {
            p { a href="/export.csv" { "导出全部记录（含个人信息，导出会被记录）" } }
        }
    };
    page("案件", Some(&staff), body).into_response()
}

fn filter_form(filters: &Filters, units: &[String], staff: &Staff) -> Markup {
    let option = |value: &str, label: &str, current: &str| {
        html! { option value=(value) selected[value == current] { (label) } }
    };
    html! {
        form.filters method="get" action="/" {
            label { "类型"
                select name="kind" {
                    (option("", "全部", &filters.kind))
                    (option("request", "依申请公开", &filters.kind))
                    (option("message", "全部留言", &filters.kind))
                    @for kind in [Kind::Consultation, Kind::Suggestion, Kind::Complaint, Kind::Help] {
                        (option(kind.code(), kind.label(), &filters.kind))
                    }
                }
            }
            label { "状态"
                select name="state" {
                    (option("", "全部（疑似垃圾除外）", &filters.state))
                    (option("open", "待答复", &filters.state))
                    (option("draft", "草稿待审核", &filters.state))
                    (option("publish", "待批准公开", &filters.state))
                    (option("answered", "已答复", &filters.state))
                    (option("suspected", "疑似垃圾", &filters.state))
                }
            }
            label { "期限"
                select name="due" {
                    (option("", "不限", &filters.due))
                    (option("soon", "临近或已逾期", &filters.due))
                    (option("overdue", "已逾期", &filters.due))
                }
            }
            label { "承办单位"
                select name="unit" {
                    (option("", "全部", &filters.unit))
                    @for unit in units { (option(unit, unit, &filters.unit)) }
                }
            }
            @if !staff.account.unit.is_empty() {
                label { "只看本单位"
                    select name="mine" {
                        (option("", "否", &filters.mine))
                        (option("1", "是", &filters.mine))
                    }
                }
            }
            label { "查询码（或完整的电话、证件号码）" input type="search" name="q" value=(filters.q) autocomplete="off"; }
            button type="submit" { "筛选" }
        }
    }
}

fn row(sheet: &Sheet, standing: &Standing) -> Markup {
    let public = &sheet.record.public;
    let (phone, id) = match &sheet.record.submission {
        Ok(s) => (
            mask::phone(&s.phone),
            s.request
                .as_ref()
                .map(|r| mask::id_number(&r.id_number))
                .unwrap_or_default(),
        ),
        Err(_) => (String::new(), String::new()),
    };
    html! {
        tr {
            td.code data-label="查询码" { a href={ "/cases/" (public.code) } { (public.code) } }
            td data-label="类型" { (public.kind.label()) }
            td data-label="标题" { (public.subject) }
            td data-label="收到" { (time(public.received_at)) }
            td data-label="状态" { (standing.label) (flags(sheet, standing)) }
            td data-label="答复期限" { @if let Some(due) = standing.due { (due.to_string()) } }
            td data-label="承办单位" { (sheet.unit) }
            td.code data-label="联系电话" { (phone) }
            td.code data-label="证件号码" { (id) }
        }
    }
}

fn flags(sheet: &Sheet, standing: &Standing) -> Markup {
    html! {
        @if standing.overdue { span.flag.overdue { "已逾期" } }
        @if standing.near { span.flag.near { "临近期限" } }
        @if sheet.draft.as_ref().is_some_and(|d| d.pending()) { span.flag.draft { "草稿待审核" } }
        @if sheet.draft.as_ref().is_some_and(|d| d.returned.is_some()) { span.flag.draft { "草稿已退回" } }
        @if sheet.draft.as_ref().is_some_and(|d| d.answered) { span.flag.draft { "拟公开待批准" } }
        @if sheet.published.is_some() { span.flag.draft { "已公开" } }
        @if sheet.record.suspected { span.flag.suspected { "疑似垃圾" } }
        @if sheet.record.submission.is_err() { span.flag.suspected { "无法解读" } }
    }
}

/// What the case page shows after a post: the step done, or the step
/// refused with why and what was typed.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct Shown {
    #[serde(default)]
    done: String,
}

/// `GET /cases/{code}`.
pub(crate) async fn show(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Path(code): Path<String>,
    Query(shown): Query<Shown>,
) -> Response {
    let done = match shown.done.as_str() {
        "registered" => Some("登记纸质申请并确认受理；请把查询码告诉申请人"),
        code => step(code).map(|s| s.label),
    };
    case_page(&console, &staff, &code, done, None).await
}

/// The case page, with a step just done or a step refused.
async fn case_page(
    console: &Console,
    staff: &Staff,
    code: &str,
    done: Option<&str>,
    refused: Option<(&Form, String)>,
) -> Response {
    let code = crate::store::normalise_code(code);
    let wanted = code.clone();
    let loaded = console
        .with(move |store| {
            let sheet = store.sheet(&wanted).map_err(|e| failed(&e))?;
            let units = handler_units(store).map_err(|e| failed(&e))?;
            let sites = store.sites().map_err(|e| failed(&e))?;
            Ok(sheet.map(|sheet| (sheet, units, sites)))
        })
        .await;
    let (sheet, units, sites) = match loaded {
        Ok(Some(loaded)) => loaded,
        Ok(None) => {
            return page::message(
                StatusCode::NOT_FOUND,
                Some(staff),
                "没有这个案件",
                "没有这个查询码的留言或申请。",
            )
        }
        Err(response) => return response,
    };
    if !staff.sees(&sheet.site) || !staff.may(Duty::SeeCase, &sheet.unit) {
        return console
            .refuse(staff, Duty::SeeCase, &code, "查看这个案件")
            .await;
    }
    let full = staff.may(Duty::SeePersonal, &sheet.unit);
    if full && has_personal(&sheet) {
        let written = console.log(staff, "view_personal", &code, "").await;
        if let Err(response) = written {
            // Not shown unless the showing is logged.
            return response;
        }
    }
    let standing = standing(
        &sheet,
        &sites.calendar_of(&console.settings.calendar.current(), &sheet.site),
        reply_days_of(&sites, &sheet.site, console.settings.reply_days),
        today(),
    );
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let body = html! {
        @if let Some(done) = done { p.done role="status" { "已办理：" (done) } }
        @if let Some((_, why)) = &refused { p.error role="alert" { (why) } }
        div.columns {
            div {
                (submission(&sheet, full))
                (history(&sheet))
            }
            div {
                (where_it_stands(&sheet, &standing))
                (actions(staff, &sheet, &standing, &units, refused.as_ref().map(|(f, _)| *f)))
            }
        }
    };
    (status, page(&format!("案件 {code}"), Some(staff), body)).into_response()
}

fn has_personal(sheet: &Sheet) -> bool {
    // A record that does not read is shown as stored: it may hold any of it.
    sheet.record.submission.as_ref().map_or(true, |s| {
        !s.name.is_empty()
            || !s.phone.is_empty()
            || !s.email.is_empty()
            || !s.address.is_empty()
            || s.request.as_ref().is_some_and(|r| !r.id_number.is_empty())
    })
}

fn submission(sheet: &Sheet, full: bool) -> Markup {
    let public = &sheet.record.public;
    let shown =
        |text: &str, masked: fn(&str) -> String| if full { text.to_owned() } else { masked(text) };
    let hidden = |_: &str| "（仅受理、审核和承办人员可见）".to_owned();
    html! {
        section {
            h2 { "提交内容" }
            @if sheet.record.suspected {
                p.error { "疑似垃圾：提交时填写了自动程序才会填的隐藏栏。确认是真实的后“恢复为正常留言”再办理。" }
            }
            dl.facts {
                dt { "查询码" } dd.code { (public.code) }
                dt { "类型" } dd { (public.kind.label()) }
                dt { "提交时间" } dd { (time(public.received_at)) }
                dt { "同意公开" } dd { @if sheet.consent { "是" } @else { "否" } }
                @match &sheet.record.submission {
                    Ok(s) => {
                        dt { "标题" } dd { (s.subject) }
                        dt { "内容" } dd { (s.body) }
                        @if !s.related_item.is_empty() { dt { "相关信息" } dd { (s.related_item) } }
                        dt { "姓名" } dd { (if full { s.name.clone() } else { hidden(&s.name) }) }
                        dt { "电话" } dd.code { (shown(&s.phone, mask::phone)) }
                        @if !s.email.is_empty() { dt { "邮箱" } dd { (shown(&s.email, mask::email)) } }
                        @if !s.address.is_empty() { dt { "地址" } dd { (if full { s.address.clone() } else { hidden(&s.address) }) } }
                        @if let Some(r) = &s.request {
                            dt { "申请人类别" } dd { (r.applicant.label()) }
                            @if !r.organisation.is_empty() { dt { "单位名称" } dd { (r.organisation) } }
                            @if !r.credit_code.is_empty() { dt { "统一社会信用代码" } dd.code { (r.credit_code) } }
                            @if !r.representative.is_empty() { dt { "法定代表人" } dd { (if full { r.representative.clone() } else { hidden(&r.representative) }) } }
                            @if let Some(t) = r.id_type { dt { "证件类型" } dd { (t.label()) } }
                            @if !r.id_number.is_empty() { dt { "证件号码" } dd.code { (shown(&r.id_number, mask::id_number)) } }
                            dt { "所需信息" } dd { (r.description) }
                            @if !r.document.is_empty() { dt { "文号或标题" } dd { (r.document) } }
                            @if let Some(f) = r.format { dt { "载体形式" } dd { (f.label()) } }
                            @if let Some(d) = r.delivery { dt { "获取方式" } dd { (d.label()) } }
                        }
                    }
                    Err(unreadable) => {
                        dt { "标题" } dd { (public.subject) }
                        dt { "原始记录" } dd { "本版本无法解读这条记录，原样如下：" br; (if full { unreadable.data.clone() } else { "（仅受理、审核和承办人员可见）".to_owned() }) }
                    }
                }
                @if let Some(at) = sheet.purged_at { dt { "个人信息" } dd { "已于 " (time(at)) " 按保存期限清除" } }
            }
        }
    }
}

fn where_it_stands(sheet: &Sheet, standing: &Standing) -> Markup {
    let public = &sheet.record.public;
    html! {
        section {
            h2 { "办理状态" }
            dl.facts {
                dt { "状态" } dd { (standing.label) (flags(sheet, standing)) }
                @if let Some(clock) = &standing.clock {
                    @if let Some(received) = clock.received { dt { "受理日期" } dd { (received.to_string()) } }
                    @if let Some(by) = clock.clarify_by { dt { "补正期限" } dd { (by.to_string()) } }
                    @if clock.extended { dt { "延期" } dd { "已延期" } }
                    @if let Some((on, outcome)) = clock.decided { dt { "答复" } dd { (on.to_string()) " " (outcome.label()) } }
                }
                @if let Some(due) = standing.due { dt { "答复期限" } dd { (due.to_string()) } }
                dt { "承办单位" } dd { @if sheet.unit.is_empty() { "（未转办）" } @else { (sheet.unit) } }
                @if let Some(answer) = &public.answer { dt { "给提交人的答复" } dd { (answer) } }
                @if let Some(p) = &sheet.published {
                    dt { "公开标题" } dd { (p.subject) }
                    dt { "公开内容" } dd { (p.answer) }
                    dt { "公开时间" } dd { (time(p.at)) }
                }
                @if let Some(d) = &sheet.draft {
                    dt { "答复草稿" } dd {
                        (d.author) " 拟于 " (time(d.at))
                        @if let Some(why) = &d.returned { "，已退回：" (why) } @else { "，待审核" }
                    }
                }
            }
        }
    }
}

fn history(sheet: &Sheet) -> Markup {
    let voided = crate::store::voided(&sheet.events);
    html! {
        section {
            h2 { "办理记录" }
            @if sheet.events.is_empty() { p { "还没有办理记录。" } }
            @else {
                div.wide { table {
                    thead { tr { th { "#" } th { "日期" } th { "事项" } th { "经办人" } th { "记录时间" } } }
                    tbody {
                        @for (n, e) in sheet.events.iter().enumerate() {
                            tr {
                                td { (n + 1) }
                                td { (e.on) }
                                td {
                                    (e.label())
                                    @if voided.contains(&e.id) { "（已撤销）" }
                                    @if let Some(detail) = detail(e) { "：" (detail) }
                                    @if !e.note.is_empty() { div.text { (e.note) } }
                                }
                                td { (e.actor) }
                                td { (time(e.recorded_at)) }
                            }
                        }
                    }
                } }
            }
        }
    }
}

/// The offices and villages that have a handler's account in use: where
/// a case can be assigned so that someone sees it.
fn handler_units(store: &crate::store::Store) -> crate::store::Result<Vec<String>> {
    let mut units: Vec<String> = store
        .accounts()?
        .into_iter()
        .filter(|a| !a.disabled && a.roles.has(super::roles::Role::Handler) && !a.unit.is_empty())
        .map(|a| a.unit)
        .collect();
    units.sort();
    units.dedup();
    Ok(units)
}

/// What an event keeps besides its action, in words: the outcome's name
/// rather than its code, the days given. A void's detail (a row number)
/// is not shown: the step it took back is marked instead.
fn detail(e: &crate::store::StoredEvent) -> Option<String> {
    if e.detail.is_empty() || e.action == crate::store::VOID {
        return None;
    }
    let words = match e.event().map(|e| e.action) {
        Some(Action::Decide(outcome)) => outcome.label(),
        Some(Action::Clarify { days }) => format!("{days} 个工作日内补正"),
        Some(Action::Extend { approved_by, days }) => {
            format!("延长 {days} 个工作日，{approved_by} 批准")
        }
        Some(Action::Review(review)) => review.label().to_owned(),
        Some(Action::Reviewed(review, verdict)) => {
            format!("{}，{}", review.label(), verdict.label())
        }
        _ => e.detail.clone(),
    };
    Some(words)
}

/// One step a case allows: its code, what it needs and its name.
#[derive(Clone, Copy)]
struct Step {
    code: &'static str,
    duty: Duty,
    label: &'static str,
}

/// Every step of the case page, in the order shown.
const STEPS: &[Step] = &[
    Step {
        code: "restore",
        duty: Duty::Register,
        label: "恢复为正常留言",
    },
    Step {
        code: "confirm",
        duty: Duty::Register,
        label: "确认受理",
    },
    Step {
        code: "clarify",
        duty: Duty::Register,
        label: "告知补正",
    },
    Step {
        code: "clarified",
        duty: Duty::Register,
        label: "补正到达",
    },
    Step {
        code: "assign",
        duty: Duty::Register,
        label: "转办",
    },
    Step {
        code: "extend",
        duty: Duty::Progress,
        label: "延期答复",
    },
    Step {
        code: "consult",
        duty: Duty::Progress,
        label: "征求第三方意见",
    },
    Step {
        code: "consulted",
        duty: Duty::Progress,
        label: "第三方意见到达",
    },
    Step {
        code: "draft",
        duty: Duty::Draft,
        label: "拟稿送审",
    },
    Step {
        code: "answer",
        duty: Duty::Decide,
        label: "批准答复",
    },
    Step {
        code: "return",
        duty: Duty::Decide,
        label: "退回草稿",
    },
    Step {
        code: "publish",
        duty: Duty::Publish,
        label: "批准公开",
    },
    Step {
        code: "unpublish",
        duty: Duty::Publish,
        label: "撤下公开",
    },
    Step {
        code: "review",
        duty: Duty::RecordReview,
        label: "登记复议或诉讼",
    },
    Step {
        code: "reviewed",
        duty: Duty::RecordReview,
        label: "登记复议或诉讼结果",
    },
    Step {
        code: "void",
        duty: Duty::Correct,
        label: "撤销一条记录",
    },
];

/// The step with code `code`.
fn step(code: &str) -> Option<Step> {
    STEPS.iter().copied().find(|s| s.code == code)
}

/// The codes of the steps that change a case, with the duty each needs.
pub(crate) fn steps() -> impl Iterator<Item = (&'static str, Duty)> {
    STEPS.iter().map(|s| (s.code, s.duty))
}

/// Which steps make sense for the case as it stands.
fn offered(sheet: &Sheet, standing: &Standing) -> Vec<Step> {
    use xxgk_core::case::Status as Clocked;
    let public = &sheet.record.public;
    let request = public.kind == Kind::DisclosureRequest;
    let draft_pending = sheet.draft.as_ref().is_some_and(|d| d.pending());
    let answered = public.status == Status::Replied;
    // Where a request's clock stands says which step can come next; the
    // clock itself still judges each one (a clarification after 7
    // working days, a second extension).
    let clock = standing.clock.as_ref();
    let status = clock.map(|c| c.status);
    let running = matches!(status, Some(Clocked::InProgress | Clocked::Consulting));
    STEPS
        .iter()
        .copied()
        .filter(|s| match s.code {
            "restore" => sheet.record.suspected,
            _ if sheet.record.suspected => false,
            _ if !request => {
                matches!(
                    s.code,
                    "assign" | "draft" | "answer" | "return" | "publish" | "unpublish"
                ) && match s.code {
                    "return" => draft_pending,
                    "publish" => sheet.consent && answered,
                    "unpublish" => sheet.published.is_some(),
                    _ => true,
                }
            }
            "confirm" => status == Some(Clocked::Unconfirmed),
            "clarify" => status == Some(Clocked::InProgress),
            "clarified" => status == Some(Clocked::AwaitingClarification),
            "extend" => running && clock.is_some_and(|c| !c.extended),
            "consult" => status == Some(Clocked::InProgress),
            "consulted" => status == Some(Clocked::Consulting),
            "assign" => standing.open,
            "draft" | "answer" => running,
            "return" => draft_pending,
            "publish" => sheet.consent && answered,
            "unpublish" => sheet.published.is_some(),
            // A decision, or a silence past the due date, may be challenged.
            "review" => status == Some(Clocked::Decided) || standing.overdue,
            "reviewed" => clock.is_some_and(|c| c.challenges.iter().any(|c| c.result.is_none())),
            "void" => !sheet.events.iter().all(|e| e.on_record()),
            _ => false,
        })
        .collect()
}

fn actions(
    staff: &Staff,
    sheet: &Sheet,
    standing: &Standing,
    units: &[String],
    refused: Option<&Form>,
) -> Markup {
    let steps: Vec<Step> = offered(sheet, standing)
        .into_iter()
        .filter(|s| staff.may(s.duty, &sheet.unit))
        .collect();
    let code = &sheet.record.public.code;
    html! {
        section.actions {
            h2 { "办理" }
            @if steps.is_empty() { p { "以您的角色，这个案件现在没有可办理的事项。" } }
            @for s in &steps {
                @let again = refused.filter(|f| f.get("do") == s.code);
                details open[again.is_some()] {
                    summary { (s.label) }
                    form.step method="post" action={ "/cases/" (code) } {
                        (csrf(staff))
                        input type="hidden" name="do" value=(s.code);
                        (fields(s.code, sheet, units, again))
                        div { button type="submit" { (s.label) } }
                    }
                }
            }
        }
    }
}

/// The fields of the step `code`, filled with what was typed if it was
/// refused, else with the draft where there is one.
fn fields(code: &str, sheet: &Sheet, units: &[String], again: Option<&Form>) -> Markup {
    let value = |name: &str, otherwise: &str| -> String {
        again.map_or_else(|| otherwise.to_owned(), |f| f.get(name).to_owned())
    };
    let request = sheet.record.public.kind == Kind::DisclosureRequest;
    let draft = sheet.draft.clone().unwrap_or_default();
    let today = today().to_string();
    let on = html! { label { "日期" input type="date" name="on" value=(value("on", &today)) required; } };
    let text = |label: &str, name: &str, otherwise: &str| {
        html! {
            label { (label) textarea name=(name) required { (value(name, otherwise)) } }
        }
    };
    // Not the citizen's own subject: the reviewer writes a title for the
    // public, which it may hold things it must not (a QQ group, a name).
    let subject = draft.public_subject.clone();
    let public_fields = html! {
        label { "公开标题（公众在网站上看到的标题，不要含个人信息）" input type="text" name="public_subject" maxlength="100" value=(value("public_subject", &subject)); }
        label { "公开内容（公众看到的答复，不要含姓名、电话等个人信息）" textarea name="public_answer" { (value("public_answer", &draft.public_answer)) } }
    };
    let outcomes = |current: &str| {
        html! {
            label { "答复结果"
                select name="outcome" required {
                    option value="" { "请选择" }
                    @for o in Outcome::all() { option value=(o.code()) selected[o.code() == current] { (o.label()) } }
                }
            }
        }
    };
    match code {
        "confirm" | "clarified" | "consult" | "consulted" => on,
        "clarify" => html! {
            div.row { (on) label { "补正期限（工作日）" input type="number" name="days" min="1" max="30" value=(value("days", "15")); } }
            (text("补正告知书（申请人将看到）", "text", ""))
        },
        "extend" => html! {
            div.row {
                (on)
                label { "延长（工作日，最多 20）" input type="number" name="days" min="1" max="20" value=(value("days", "20")); }
                label { "批准人" input type="text" name="approved_by" maxlength="50" value=(value("approved_by", "")) required; }
            }
            (text("延期告知（申请人将看到）", "text", ""))
        },
        "assign" => html! {
            label { "转办到（办公室或村）"
                select name="unit" required {
                    option value="" { "请选择" }
                    @for unit in units { option value=(unit) selected[*unit == value("unit", &sheet.unit)] { (unit) } }
                }
            }
            @if units.is_empty() { p { "还没有承办人员的账号：请管理员先建承办账号，填上其所在办公室或村。" } }
        },
        "draft" => html! {
            @if request { (outcomes(&value("outcome", &draft.outcome))) }
            (text("答复正文（只给提交人看）", "reply", &draft.reply))
            @if sheet.consent { (public_fields) }
        },
        "answer" => html! {
            @if request {
                div.row { (on) }
                (outcomes(&value("outcome", &draft.outcome)))
            } @else {
                label { "答复方式"
                    select name="outcome" {
                        option value="reply" selected[value("outcome", "reply") == "reply"] { "答复" }
                        option value="reject" selected[value("outcome", "") == "reject"] { "不予受理（写明理由）" }
                    }
                }
            }
            (text("答复正文（只给提交人看）", "reply", &draft.reply))
            @if sheet.consent {
                label.check { input type="checkbox" name="publish" value="1" checked[value("publish", "") == "1"]; "同时批准公开下面的文字" }
                (public_fields)
            }
        },
        "return" => text("退回意见（给拟稿人）", "text", ""),
        "publish" => {
            let published = sheet.published.as_ref();
            let subject = published.map_or(subject.as_str(), |p| p.subject.as_str());
            let answer = published.map_or(draft.public_answer.as_str(), |p| p.answer.as_str());
            html! {
                label { "公开标题（不要含个人信息）" input type="text" name="public_subject" maxlength="100" value=(value("public_subject", subject)) required; }
                label { "公开内容（不要含姓名、电话等个人信息）" textarea name="public_answer" required { (value("public_answer", answer)) } }
            }
        }
        "unpublish" => text("撤下的原因", "text", ""),
        "review" => html! {
            div.row { (on) (review_select(&value("type", ""))) }
        },
        "reviewed" => html! {
            div.row {
                (on)
                (review_select(&value("type", "")))
                label { "结果"
                    select name="result" required {
                        @for (c, l) in [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果")] {
                            option value=(c) selected[value("result", "") == c] { (l) }
                        }
                    }
                }
            }
        },
        "void" => html! {
            label { "撤销第几条（办理记录的编号）" input type="number" name="event" min="1" value=(value("event", "")) required; }
            (text("撤销原因", "text", ""))
        },
        _ => html! {},
    }
}

fn review_select(current: &str) -> Markup {
    html! {
        label { "类型"
            select name="type" required {
                @for r in [Review::Reconsideration, Review::Lawsuit, Review::LawsuitAfterReconsideration] {
                    option value=(r.code()) selected[r.code() == current] { (r.label()) }
                }
            }
        }
    }
}

/// `POST /cases/{code}`: one step, checked against the account's roles.
pub(crate) async fn act(
    State(console): State<Arc<Console>>,
    Path(code): Path<String>,
    Acting(staff, form): Acting,
) -> Response {
    let code = crate::store::normalise_code(&code);
    let Some(step) = step(form.get("do")) else {
        return page::message(
            StatusCode::BAD_REQUEST,
            Some(&staff),
            "没有这个办理事项",
            "请回到案件页面重新操作。",
        );
    };
    let wanted = code.clone();
    let (unit, site) = match console
        .with(move |store| {
            let unit = store.unit_of(&wanted).map_err(|e| failed(&e))?;
            let site = store.site_of(&wanted).map_err(|e| failed(&e))?;
            Ok(unit.zip(site))
        })
        .await
    {
        Ok(Some((unit, site))) if staff.sees(&site) => (unit, site),
        // Another site's case: as one their roles do not reach.
        Ok(Some(_)) => return console.refuse(&staff, step.duty, &code, step.label).await,
        Ok(None) => {
            return page::message(
                StatusCode::NOT_FOUND,
                Some(&staff),
                "没有这个案件",
                "没有这个查询码的留言或申请。",
            )
        }
        Err(response) => return response,
    };
    let publishing = step.code == "answer" && form.get("publish") == "1";
    if !staff.may(step.duty, &unit) || (publishing && !staff.may(Duty::Publish, &unit)) {
        return console.refuse(&staff, step.duty, &code, step.label).await;
    }
    let calendar = console.settings.calendar.current();
    let (who, posted, target) = (staff.clone(), form.clone(), code.clone());
    let result = console
        .with(move |store| {
            let now = crate::store::now();
            // The case's site's working days.
            let sites = store.sites().map_err(|e| failed(&e))?;
            let calendar = sites.calendar_of(&calendar, &site);
            let outcome = run(
                store,
                &calendar,
                &target,
                step,
                &posted,
                &who.account.name,
                now,
            );
            if outcome.is_ok() {
                who.audit(store, "act", &target, &audited(step, &posted))?;
            }
            Ok(outcome)
        })
        .await;
    match result {
        Ok(Ok(())) => Redirect::to(&format!("/cases/{code}?done={}", step.code)).into_response(),
        Ok(Err(why)) => case_page(&console, &staff, &code, None, Some((&form, why))).await,
        Err(response) => response,
    }
}

/// What the audit log says of `step` taken with `form`: the step, and
/// what it was about.
fn audited(step: Step, form: &Form) -> String {
    let outcome = form.get("outcome");
    match step.code {
        "answer" if form.get("publish") == "1" => "批准答复并批准公开".to_owned(),
        "assign" => format!("转办：{}", form.get("unit").trim()),
        "void" => format!("撤销第 {} 条", form.get("event").trim()),
        "answer" | "draft" if !outcome.is_empty() => {
            let words = match Outcome::from_code(outcome) {
                Ok(outcome) => outcome.label(),
                Err(_) if outcome == "reject" => "不予受理".to_owned(),
                Err(_) => "答复".to_owned(),
            };
            format!("{}：{words}", step.label)
        }
        _ => step.label.to_owned(),
    }
}

/// Takes `step` on the case `code`; why not, in words, if it cannot be.
fn run(
    store: &mut crate::store::Store,
    calendar: &Calendar,
    code: &str,
    step: Step,
    form: &Form,
    actor: &str,
    now: i64,
) -> Result<(), String> {
    let on = || -> Result<Date, String> {
        let text = form.get("on").trim();
        if text.is_empty() {
            return Ok(today());
        }
        Date::parse(text).ok_or_else(|| format!("日期“{text}”不对：请写成 2024-09-27"))
    };
    let days = |most: u32| -> Result<u32, String> {
        form.get("days")
            .trim()
            .parse()
            .ok()
            .filter(|d| (1..=most).contains(d))
            .ok_or_else(|| format!("工作日数应为 1 到 {most} 的整数"))
    };
    let text = |name: &str| crate::cases::checked(form.get(name));
    let clock =
        |store: &mut crate::store::Store, action: Action, note: &str| -> Result<(), String> {
            let event = Event { on: on()?, action };
            store
                .act(code, &event, note, actor, now, calendar)
                .map(|_| ())
                .map_err(|e| e.to_string())
        };
    let err = |e: ActError| e.to_string();
    match step.code {
        "restore" => match store.restore(code, actor, now) {
            Ok(true) => Ok(()),
            Ok(false) => Err("这个案件不是疑似垃圾".into()),
            Err(e) => Err(e.to_string()),
        },
        "confirm" => clock(store, Action::Confirm, ""),
        "clarify" => {
            let days = days(60)?;
            let note = text("text")?;
            clock(store, Action::Clarify { days }, &note)
        }
        "clarified" => clock(store, Action::Clarified, ""),
        "extend" => {
            let approved_by = form.get("approved_by").trim();
            if approved_by.is_empty() || approved_by.chars().count() > 50 {
                return Err("写上批准延期的负责人（一行，最多 50 个字）".into());
            }
            let days = days(xxgk_core::case::EXTENSION_DAYS)?;
            let note = text("text")?;
            clock(
                store,
                Action::Extend {
                    approved_by: approved_by.to_owned(),
                    days,
                },
                &note,
            )
        }
        "consult" => clock(store, Action::Consult, ""),
        "consulted" => clock(store, Action::Consulted, ""),
        "assign" => {
            let unit = form.get("unit").trim();
            if !handler_units(store)
                .map_err(|e| e.to_string())?
                .iter()
                .any(|u| u == unit)
            {
                return Err(format!(
                    "没有承办单位为“{unit}”的在用账号：转办过去没有人能看到。请从列表中选，或请管理员先建账号"
                ));
            }
            store.assign(code, unit, actor, now).map_err(err)
        }
        "draft" => {
            let draft = crate::store::Draft {
                outcome: form.get("outcome").trim().to_owned(),
                reply: text("reply")?,
                public_subject: form.get("public_subject").to_owned(),
                public_answer: form.get("public_answer").to_owned(),
                ..Default::default()
            };
            store.save_draft(code, &draft, actor, now).map_err(err)
        }
        "answer" => {
            let reply = text("reply")?;
            let sheet = store
                .sheet(code)
                .map_err(|e| e.to_string())?
                .ok_or("没有这个案件")?;
            if sheet.record.suspected {
                return Err("这个案件被标为疑似垃圾：先“恢复为正常留言”，再答复".into());
            }
            let request = sheet.record.public.kind == Kind::DisclosureRequest;
            let reject = !request && form.get("outcome") == "reject";
            // What is to be published is checked before anything is sent:
            // the answer never goes out with its publication refused.
            let public = if form.get("publish") == "1" {
                if !sheet.consent {
                    return Err("提交人没有同意公开：取消“同时批准公开”".into());
                }
                if reject {
                    return Err("不予受理的不公开：取消“同时批准公开”".into());
                }
                Some(
                    crate::store::public_text(
                        form.get("public_subject"),
                        form.get("public_answer"),
                    )
                    .map_err(err)?,
                )
            } else {
                None
            };
            if request {
                let outcome = Outcome::from_code(form.get("outcome").trim())
                    .map_err(|_| "请选择答复结果".to_owned())?;
                clock(store, Action::Decide(outcome), &reply)?;
            } else {
                let answered = if reject {
                    store.reject(code, &reply, actor, now)
                } else {
                    store.reply(code, &reply, actor, now)
                };
                answered.map_err(|e| e.to_string())?;
            }
            if let Some((subject, answer)) = public {
                store
                    .publish(code, &subject, &answer, actor, now)
                    .map_err(|e| format!("答复已发出，但没有公开：{e}"))?;
            }
            Ok(())
        }
        "return" => {
            let comment = text("text")?;
            store.return_draft(code, &comment, actor, now).map_err(err)
        }
        "publish" => store
            .publish(
                code,
                form.get("public_subject"),
                form.get("public_answer"),
                actor,
                now,
            )
            .map_err(err),
        "unpublish" => {
            let reason = text("text")?;
            store.unpublish(code, &reason, actor, now).map_err(err)
        }
        "review" | "reviewed" => {
            let review = Review::from_code(form.get("type")).ok_or("请选择复议或诉讼的类型")?;
            let action = if step.code == "review" {
                Action::Review(review)
            } else {
                let verdict = Verdict::from_code(form.get("result")).ok_or("请选择结果")?;
                Action::Reviewed(review, verdict)
            };
            clock(store, action, "")
        }
        "void" => {
            let event: usize = form
                .get("event")
                .trim()
                .parse()
                .map_err(|_| "写上要撤销的办理记录的编号".to_owned())?;
            let reason = text("text")?;
            store
                .void(code, event, &reason, actor, now, calendar)
                .map(|_| ())
                .map_err(err)
        }
        _ => Err("没有这个办理事项".into()),
    }
}
