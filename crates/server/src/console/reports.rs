//! The statistics page, the annual report and the export: figures any
//! role may read; the export, with every personal field, for reviewers
//! only, and logged.

use super::page::{self, page};
use super::roles::Duty;
use super::{failed, Console, Signed};
use crate::store::Terms;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use std::sync::Arc;
use xxgk_core::api::{Figures, MESSAGE_KINDS};

/// `GET /export.csv`: every record with its personal data.
pub(crate) async fn export(State(console): State<Arc<Console>>, Signed(staff): Signed) -> Response {
    if let Err(response) = console.require(&staff, Duty::Export, "导出全部记录").await {
        return response;
    }
    let sites = staff.sites.clone();
    let records = match console
        .with(move |store| store.records_of(sites.as_deref()).map_err(|e| failed(&e)))
        .await
    {
        Ok(records) => records,
        Err(response) => return response,
    };
    if let Err(response) = console
        .log(&staff, "export", "", &format!("{} 条", records.len()))
        .await
    {
        return response;
    }
    let day = crate::cases::today();
    attachment(
        "text/csv; charset=utf-8",
        &format!("feedback-{day}.csv"),
        crate::staff::csv(&records),
    )
}

/// A download named `name`.
pub(super) fn attachment(content_type: &'static str, name: &str, body: String) -> Response {
    let mut response = ([(header::CONTENT_TYPE, content_type)], body).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// `GET /stats`: the figures the public list shows, per year and kind.
pub(crate) async fn statistics(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Query(which): Query<OfSite>,
) -> Response {
    if let Err(response) = console.require(&staff, Duty::Report, "查看统计").await {
        return response;
    }
    let calendar = console.settings.calendar.current();
    let reply_days = console.settings.reply_days;
    let (who, of_site) = (staff.clone(), which.clone());
    let figures = console
        .with(move |store| {
            let (sites, scope) = of_site.scope(store, &who)?;
            // A chosen site's own reply period, if it sets one.
            let reply_days = of_site
                .site
                .as_deref()
                .and_then(|code| sites.get(code))
                .and_then(|site| site.reply_days)
                .unwrap_or(reply_days);
            let calendars = sites.calendars(calendar);
            let figures = store
                .statistics_of(
                    Terms {
                        calendars: &calendars,
                        reply_days,
                    },
                    crate::store::now(),
                    scope.as_deref(),
                )
                .map_err(|e| failed(&e))?;
            Ok((figures, sites))
        })
        .await;
    let ((statistics, uncovered), sites) = match figures {
        Ok(figures) => figures,
        Err(response) => return response,
    };
    let body = html! {
        (site_choice("/stats", &sites, &staff, which.site.as_deref(), None))
        p { "留言的答复期限为 " (statistics.reply_days) " 个工作日；依申请公开按法定期限计算。疑似垃圾不计入。" }
        @if let Some(year) = uncovered {
            p.error { "节假日安排缺少 " (year.year) " 年：涉及该年的按时答复数没有计入。请用 --calendar 补上（docs/calendar.md）。" }
        }
        @for year in &statistics.years {
            h2 { (year.year) " 年" }
            div.wide { table {
                thead { tr { th { "类别" } th { "收到" } th { "已答复" } th { "按时答复" } th { "答复率" } th { "按时率" } th { "用时中位数（工作日）" } } }
                tbody {
                    (figure_row("依申请公开", &year.requests))
                    (figure_row("全部留言", &year.messages))
                    @for (kind, figures) in MESSAGE_KINDS.iter().zip(&year.by_kind) {
                        (figure_row(kind.label(), figures))
                    }
                }
            } }
        }
    };
    page("统计", Some(&staff), body).into_response()
}

fn figure_row(label: &str, f: &Figures) -> Markup {
    let rate = |per_mille: Option<u32>| {
        per_mille.map_or("—".to_owned(), |p| format!("{}.{}%", p / 10, p % 10))
    };
    html! {
        tr {
            td { (label) }
            td { (f.received) }
            td { (f.answered) }
            td { (f.on_time) }
            td { (rate(f.answered_per_mille())) }
            td { (rate(f.on_time_per_mille())) }
            td { (f.median_working_days.map_or("—".to_owned(), |d| d.to_string())) }
        }
    }
}

/// Which site's figures to show: one of the account's, with the sites
/// under it (a county's with its townships); all of the account's if
/// none is chosen.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub(crate) struct OfSite {
    #[serde(default)]
    site: Option<String>,
}

impl OfSite {
    /// The sites there are, and those the figures take in (`None`: all).
    fn scope(
        &self,
        store: &crate::store::Store,
        staff: &super::Staff,
    ) -> Result<(crate::store::Sites, Option<Vec<String>>), Response> {
        let sites = store.sites().map_err(|e| failed(&e))?;
        let chosen = self
            .site
            .as_deref()
            .filter(|code| !code.is_empty() && sites.get(code).is_some() && staff.sees(code));
        let scope = match chosen {
            Some(code) => Some(sites.under([code])),
            None => staff.sites.clone(),
        };
        Ok((sites, scope))
    }
}

/// A choice of the site whose figures a page shows, for a receiver with
/// sites: those the account sees.
fn site_choice(
    action: &str,
    sites: &crate::store::Sites,
    staff: &super::Staff,
    chosen: Option<&str>,
    year: Option<u16>,
) -> Markup {
    let seen: Vec<&crate::store::Site> = sites.0.iter().filter(|s| staff.sees(&s.code)).collect();
    html! {
        @if !seen.is_empty() {
            form.filters method="get" action=(action) {
                @if let Some(year) = year { input type="hidden" name="year" value=(year); }
                label { "站点"
                    select name="site" {
                        option value="" { @if staff.sites.is_none() { "全部站点" } @else { "我负责的全部站点" } }
                        @for site in &seen {
                            option value=(site.code) selected[chosen == Some(site.code.as_str())] {
                                (site.name) "（" (site.code) "）"
                                @if sites.0.iter().any(|s| s.parent == site.code) { "，含下属站点" }
                            }
                        }
                    }
                }
                button type="submit" { "查看" }
            }
        }
    }
}

/// Which report to show.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct Which {
    #[serde(default)]
    site: Option<String>,
    #[serde(default)]
    year: Option<u16>,
    #[serde(default)]
    download: Option<String>,
    #[serde(default)]
    view: Option<String>,
}

/// `GET /report`: the annual report of a year, as a page or a download.
pub(crate) async fn report(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Query(which): Query<Which>,
) -> Response {
    if let Err(response) = console.require(&staff, Duty::Report, "查看年度报告").await {
        return response;
    }
    let this_year = crate::cases::today().year();
    let Some(year) = which.year else {
        let body = html! {
            p { "年度报告的表三（依申请公开）和表四（复议、诉讼）按已登记的申请统计。表二和正文各节用命令 "
                code { "xxgk-server report --figures" } " 补上（docs/annual-report.md）。" }
            form.filters method="get" action="/report" {
                label { "年度" input type="number" name="year" min="2008" max=(this_year) value=(this_year - 1) required; }
                button type="submit" { "查看" }
                button.secondary type="submit" name="download" value="1" { "下载" }
            }
        };
        return page("年度报告", Some(&staff), body).into_response();
    };
    if !(2008..=this_year).contains(&year) {
        return page::message(
            StatusCode::BAD_REQUEST,
            Some(&staff),
            "年度不对",
            "请选 2008 年到今年之间的年度。",
        );
    }
    let of_site = OfSite {
        site: which.site.clone(),
    };
    let who = staff.clone();
    let counted = console
        .with(move |store| {
            let (sites, scope) = of_site.scope(store, &who)?;
            crate::report::annual(
                store,
                year,
                None,
                Default::default(),
                None,
                scope.as_deref(),
            )
            .map(|counted| (counted, sites))
            .map_err(|e| page::message(StatusCode::UNPROCESSABLE_ENTITY, None, "无法统计", &e))
        })
        .await;
    let (counted, sites) = match counted {
        Ok(counted) => counted,
        Err(response) => return response,
    };
    // The site in the links, as chosen.
    let site = percent_encoding::utf8_percent_encode(
        which.site.as_deref().unwrap_or_default(),
        percent_encoding::NON_ALPHANUMERIC,
    )
    .to_string();
    let html = counted.report.to_html();
    if which.download.is_some() {
        if let Err(response) = console
            .log(&staff, "report", "", &format!("{year} 年"))
            .await
        {
            return response;
        }
        return attachment(
            "text/html; charset=utf-8",
            &format!("annual-report-{year}.html"),
            html,
        );
    }
    if which.view.is_none() {
        // Only those who may open every case get links to them.
        let linked = staff.account.roles.may(Duty::SeeCase, false);
        // What the figures leave out, named, before anyone publishes them.
        let body = html! {
            (site_choice("/report", &sites, &staff, which.site.as_deref(), Some(year)))
            @if counted.uncounted.is_empty() && counted.unconfirmed.is_empty() {
                p.done { "本年度登记的申请都已计入。" }
            }
            @if !counted.unconfirmed.is_empty() {
                p.error {
                    "未计入：" (counted.unconfirmed.len()) " 件网上提交后没有确认受理，在法律上尚未收到（已用答复或不予受理办结的申请也在其中）："
                }
                ul {
                    @for code in &counted.unconfirmed {
                        li {
                            @if linked { a href={ "/cases/" (code) } { (code) } } @else { (code) }
                        }
                    }
                }
            }
            @if !counted.uncounted.is_empty() {
                p.error { "未计入：" (counted.uncounted.len()) " 件无法统计：" }
                ul { @for why in &counted.uncounted { li { (why) } } }
            }
            @let missing = counted.report.missing();
            @if !missing.is_empty() {
                p.notice { "尚未填写（用命令 xxgk-server report --figures 补上，见 docs/annual-report.md）：" (missing.join("、")) }
            }
            p {
                a.button href={ "/report?year=" (year) "&site=" (site) "&view=1" } { "查看 " (year) " 年报告" }
                " "
                a.button href={ "/report?year=" (year) "&site=" (site) "&download=1" } { "下载" }
            }
        };
        return page(&format!("{year} 年年度报告"), Some(&staff), body).into_response();
    }
    let mut response = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    // The report is a page of its own, with its style inside it.
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
    );
    response
}
