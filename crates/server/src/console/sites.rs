//! The 站点 page: the sites the receiver serves (store/sites.rs), added
//! and changed by an administrator of every site, as `xxgk-server site`
//! does at the command line, and audited alike.

use super::page::{csrf, page};
use super::roles::Duty;
use super::{failed, Acting, Console, Form, Refused, Signed, Staff};
use crate::origin::{Origin, OriginError};
use crate::store::{Site, SiteError, Sites, REPLY_DAYS_MAX, SITE_CODE_MAX};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use std::sync::Arc;

/// `GET /sites`.
pub(crate) async fn sites(State(console): State<Arc<Console>>, Signed(staff): Signed) -> Response {
    if let Err(response) = console.require(&staff, Duty::Administer, "管理站点").await {
        return response;
    }
    sites_page(&console, &staff, StatusCode::OK, None, None).await
}

async fn sites_page(
    console: &Console,
    staff: &Staff,
    status: StatusCode,
    done: Option<String>,
    refused: Option<Refused>,
) -> Response {
    let sites = match console
        .with(|store| store.sites().map_err(|e| failed(&e)))
        .await
    {
        Ok(sites) => sites,
        Err(response) => return response,
    };
    let receiver = console.settings.reply_days;
    let again =
        |what: &str, code: &str| refused.as_ref().and_then(|r| r.form_of(what, "code", code));
    let body = html! {
        @if let Some(done) = &done { p.done role="status" { (done) } }
        @if let Some(refused) = &refused { p.error role="alert" { (refused.why) } }
        p {
            "每个站点是一个门户网站（乡镇、县直部门或县）。网页用 data-site 写明站点代码，不写时接收服务按网页的来源地址找到站点；不在站点来源地址里的网页不能提交。"
            "乡镇的上级站点是所在的县：县的统计和负责县的账号都包括它的乡镇。"
            "一个站点也没有时，接收服务只有一个默认站点，来源地址是启动时的 --allow-origin。修改在 10 秒内对运行中的接收服务生效。"
        }
        @if sites.0.is_empty() {
            p { "还没有站点。" }
        } @else {
            div.wide { table {
                thead { tr { th { "代码" } th { "名称" } th { "上级站点" } th { "来源地址" } th { "答复期限" } th { "本站点节假日安排" } } }
                tbody {
                    @for site in &sites.0 {
                        tr {
                            td.code { (site.code) }
                            td { (site.name) }
                            td {
                                @if site.parent.is_empty() { "—" }
                                @else if let Some(parent) = sites.get(&site.parent) { (parent.name) "（" (parent.code) "）" }
                                @else { (site.parent) }
                            }
                            td.code {
                                @if site.origins.is_empty() { "没有（网页还不能提交）" }
                                @for origin in &site.origins { div { (origin) } }
                            }
                            td { (reply_period(site.reply_days, receiver)) }
                            td { (own_holidays(site)) }
                        }
                    }
                }
            } }
            section.actions {
                h2 { "修改站点" }
                @for site in &sites.0 {
                    @let typed = again("set", &site.code);
                    details open[typed.is_some()] {
                        summary { (site.name) "（" (site.code) "）" }
                        form.step method="post" action="/sites" {
                            (csrf(staff))
                            input type="hidden" name="do" value="set";
                            input type="hidden" name="code" value=(site.code);
                            (fields(&sites, Some(site), typed, receiver))
                            div { button type="submit" { "保存" } }
                        }
                    }
                }
            }
        }
        section {
            h2 { "新建站点" }
            form.step method="post" action="/sites" {
                (csrf(staff))
                input type="hidden" name="do" value="add";
                (fields(&sites, None, again("add", ""), receiver))
                div { button type="submit" { "新建站点" } }
            }
        }
    };
    (status, page("站点", Some(staff), body)).into_response()
}

/// How many days a site's own holiday arrangements set, in words.
fn own_holidays(site: &Site) -> String {
    let lines = site.holiday_lines();
    if lines == 0 {
        "无（按接收服务和上级站点的安排）".into()
    } else {
        format!("{lines} 行")
    }
}

/// A site's reply period in words.
fn reply_period(days: Option<u32>, receiver: u32) -> String {
    match days {
        Some(days) => format!("{days} 个工作日"),
        None => format!("按接收服务设置（{receiver} 个工作日）"),
    }
}

/// The fields of a site's form (a new one's without `site`), filled with
/// what was typed if it was refused.
fn fields(sites: &Sites, site: Option<&Site>, again: Option<&Form>, receiver: u32) -> Markup {
    let value = |name: &str, otherwise: String| -> String {
        again.map_or(otherwise, |f| f.get(name).to_owned())
    };
    let code = site.map_or("", |s| s.code.as_str());
    let parent = value("parent", site.map(|s| s.parent.clone()).unwrap_or_default());
    let parent = parent.trim();
    let origins = value(
        "origins",
        site.map(|s| {
            s.origins
                .iter()
                .map(Origin::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default(),
    );
    let reply_days = value(
        "reply_days",
        site.and_then(|s| s.reply_days)
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    let calendar = value(
        "calendar",
        site.map(|s| s.calendar.clone()).unwrap_or_default(),
    );
    let others: Vec<&Site> = sites.0.iter().filter(|s| s.code != code).collect();
    html! {
        div.row {
            @if site.is_none() {
                label { "代码（小写字母、数字和 -，如 dongting）" input type="text" name="code" value=(value("code", String::new())) maxlength=(SITE_CODE_MAX) required; }
            }
            label { "名称" input type="text" name="name" value=(value("name", site.map(|s| s.name.clone()).unwrap_or_default())) maxlength="100" required; }
            label { "上级站点"
                select name="parent" {
                    option value="" { "无" }
                    @for other in &others {
                        option value=(other.code) selected[other.code == parent] { (other.name) "（" (other.code) "）" }
                    }
                    @if !parent.is_empty() && !others.iter().any(|s| s.code == parent) {
                        option value=(parent) selected { (parent) "（没有这个站点）" }
                    }
                }
            }
            label { "答复期限（工作日，留空按接收服务设置：" (receiver) " 个）"
                input type="number" name="reply_days" min="1" max=(REPLY_DAYS_MAX) value=(reply_days);
            }
        }
        label { "来源地址（网页所在网站，每行一个，如 https://dongting.gdx.gov.cn）"
            textarea name="origins" rows="3" { (origins) }
        }
        label { "本站点的节假日安排（在接收服务和上级站点的安排之上增加，如民族自治地方的节日；每行一个，格式同“设置”页的节假日安排，如 2027-04-09 off 三月三；办理期限按它计算）"
            textarea name="calendar" rows="3" { (calendar) }
        }
    }
}

/// `POST /sites`: add or change a site.
pub(crate) async fn change_site(
    State(console): State<Arc<Console>>,
    Acting(staff, form): Acting,
) -> Response {
    if let Err(response) = console.require(&staff, Duty::Administer, "管理站点").await {
        return response;
    }
    let refuse = |why: String, form: Form| {
        sites_page(
            &console,
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(Refused { why, form }),
        )
    };
    let replace = match form.get("do") {
        "add" => false,
        "set" => true,
        _ => return refuse("没有这个操作".into(), form).await,
    };
    let site = match typed_site(&form) {
        Ok(site) => site,
        Err(why) => return refuse(why, form).await,
    };
    let who = staff.clone();
    let result = console
        .with(move |store| {
            match store.put_site(&site, replace, crate::store::now()) {
                Ok(()) => {}
                Err(SiteError::Store(e)) => return Err(failed(&e)),
                Err(e) => return Ok(Err(refusal(&e, &site.code))),
            }
            let action = if replace { "site_set" } else { "site_add" };
            who.audit(store, action, "", &crate::sites::audited(&site))?;
            let mut done = format!(
                "已{}站点 {}（{}）",
                if replace { "保存" } else { "新建" },
                site.code,
                site.name
            );
            if site.origins.is_empty() {
                done.push_str("。它还没有来源地址，网页还不能向它提交");
            }
            Ok(Ok(done))
        })
        .await;
    match result {
        Ok(Ok(done)) => sites_page(&console, &staff, StatusCode::OK, Some(done), None).await,
        Ok(Err(why)) => refuse(why, form).await,
        Err(response) => response,
    }
}

/// The site a form describes; what is wrong with an origin or the reply
/// period if one cannot be read (the rest is checked as it is kept).
fn typed_site(form: &Form) -> Result<Site, String> {
    let mut origins = Vec::new();
    for line in form.get("origins").lines().map(str::trim) {
        if line.is_empty() {
            continue;
        }
        let origin = Origin::parse(line).map_err(|e| origin_refusal(&e))?;
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    let reply_days = match form.get("reply_days").trim() {
        "" => None,
        days => Some(days.parse::<u32>().map_err(|_| {
            format!("答复期限应为 1 到 {REPLY_DAYS_MAX} 个工作日；留空则按接收服务的设置")
        })?),
    };
    Ok(Site {
        code: form.get("code").trim().to_owned(),
        name: form.get("name").trim().to_owned(),
        parent: form.get("parent").trim().to_owned(),
        origins,
        reply_days,
        // As typed, so that a refusal names the line as the box shows it.
        calendar: form.get("calendar").to_owned(),
    })
}

/// Why the site `code` was not kept, in words for staff (the command
/// line's are English).
fn refusal(error: &SiteError, code: &str) -> String {
    match error {
        SiteError::Code(_) => format!(
            "站点代码“{code}”不能用：请用 1 到 {} 个小写字母、数字和 -，不以 - 开头，如 dongting 或 guangde-xian",
            SITE_CODE_MAX
        ),
        SiteError::Taken(code) => {
            format!("已有代码为 {code} 的站点：要修改它，请用上面“修改站点”里它的表格")
        }
        SiteError::Unknown(code) => format!("没有代码为 {code} 的站点"),
        SiteError::Parent(parent) => {
            format!("上级站点 {parent} 不存在：请先新建上级站点（县），或选一个已有的站点")
        }
        SiteError::Cycle(code, parent) => {
            format!("{code} 不能属于 {parent}：{parent} 就是它自己，或是它的下级站点")
        }
        SiteError::Name => "请填写站点名称（一行），如 东亭乡人民政府".into(),
        SiteError::ReplyDays => {
            format!("答复期限应为 1 到 {REPLY_DAYS_MAX} 个工作日；留空则按接收服务的设置")
        }
        SiteError::Calendar(why) => format!(
            "本站点的节假日安排有误（{why}）：每行写一天或一段日期和 off（放假）或 work（调休上班），如 2027-04-09 off 三月三"
        ),
        SiteError::Days(why) => format!("本站点的节假日安排不能这样改：{why}"),
        SiteError::Store(_) => "数据库暂时不能使用，请稍后再试".into(),
    }
}

/// Why a text is not an origin, in words for staff.
fn origin_refusal(error: &OriginError) -> String {
    match error {
        OriginError::Scheme(text) => format!(
            "“{text}”不是来源地址：应以 https:// 或 http:// 开头，如 https://www.example.gov.cn"
        ),
        OriginError::Host(text) => format!(
            "“{text}”不是来源地址：缺少主机名，或主机名里有不能用的字符（中文域名请写成以 xn-- 开头的形式）"
        ),
        OriginError::Port(text) => {
            format!("“{text}”不是来源地址：端口应为 1 到 65535 的数字")
        }
        OriginError::Extra(text) => format!(
            "“{text}”不是来源地址：只写协议、主机名和端口（如 https://www.example.gov.cn），不要路径、查询或用户名"
        ),
    }
}
