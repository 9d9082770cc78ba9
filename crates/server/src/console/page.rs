//! The frame every console page shares, and its stylesheet.

use super::roles::Duty;
use super::Staff;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

/// The console's stylesheet (console/console.css).
pub async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("console.css"),
    )
        .into_response()
}

/// A whole page: the header with the account and its menu, then `body`.
pub fn page(title: &str, staff: Option<&Staff>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) " · 信息公开工作台" }
                link rel="stylesheet" href="/console.css";
            }
            body {
                header.top {
                    a.brand href="/" { "信息公开工作台" }
                    @if let Some(staff) = staff {
                        nav aria-label="主菜单" {
                            @if staff.account.roles.may(Duty::SeeCase, true) {
                                a href="/" { "案件" }
                            }
                            @if staff.account.roles.may(Duty::Register, false) {
                                a href="/register" { "登记纸质申请" }
                            }
                            a href="/stats" { "统计" }
                            a href="/report" { "年度报告" }
                            @if staff.holds(Duty::Administer) {
                                a href="/staff" { "账号" }
                                a href="/sites" { "站点" }
                                a href="/audit" { "审计记录" }
                                a href="/settings" { "设置" }
                            }
                            a href="/account" { "我的账号" }
                        }
                        form.who method="post" action="/logout" {
                            (csrf(staff))
                            span { (staff.account.name) "（" (staff.account.roles) "）" }
                            button type="submit" { "退出" }
                        }
                    }
                }
                main { h1 { (title) } (body) }
            }
        }
    }
}

/// The hidden field carrying the session's CSRF token.
pub fn csrf(staff: &Staff) -> Markup {
    html! { input type="hidden" name="csrf" value=(staff.csrf); }
}

/// A page saying one thing, with `status`.
pub fn message(status: StatusCode, staff: Option<&Staff>, title: &str, text: &str) -> Response {
    let body = html! {
        p.notice { (text) }
        p { a href="/" { "回到案件列表" } }
    };
    (status, page(title, staff, body)).into_response()
}

/// Seconds since 1970 as Beijing time, to the minute.
pub fn time(at: i64) -> String {
    xxgk_core::date::beijing_time(at)
}

/// The answer to a form sent after its session ended: nothing was done,
/// and what was typed into it is shown, to copy back after logging in
/// (a reply written over half an hour is not lost). Passwords and tokens
/// are not shown.
pub fn expired(form: &super::Form) -> Response {
    typed_back(
        StatusCode::UNAUTHORIZED,
        "请先登录",
        "登录已过期或尚未登录，这次操作没有执行。请登录后重新操作。",
        form,
    )
}

/// The answer to a form from a page opened before the session began (a
/// tab left open across a new login): nothing was done, and what was
/// typed is shown.
pub fn stale(form: &super::Form) -> Response {
    typed_back(
        StatusCode::FORBIDDEN,
        "页面已过期",
        "这个页面是在上次登录之前打开的，这次操作没有执行。请回到案件页面刷新后重新操作。",
        form,
    )
}

fn typed_back(status: StatusCode, title: &str, text: &str, form: &super::Form) -> Response {
    const TYPED: [(&str, &str); 21] = [
        ("reply", "答复正文"),
        ("public_subject", "公开标题"),
        ("public_answer", "公开内容"),
        ("text", "说明"),
        ("approved_by", "批准人"),
        ("calendar", "节假日安排"),
        ("subject", "标题"),
        ("name", "姓名"),
        ("phone", "联系电话"),
        ("email", "电子邮箱"),
        ("address", "通信地址"),
        ("organisation", "单位名称"),
        ("credit_code", "统一社会信用代码"),
        ("representative", "法定代表人或主要负责人"),
        ("id_number", "证件号码"),
        ("description", "所需信息的内容描述"),
        ("document", "文件名称、文号"),
        ("body", "申请内容"),
        ("on", "日期"),
        ("unit", "承办单位"),
        ("origins", "来源地址"),
    ];
    let typed: Vec<(&str, &str)> = TYPED
        .iter()
        .map(|(name, label)| (*label, form.get(name)))
        .filter(|(_, text)| !text.trim().is_empty())
        .collect();
    let body = html! {
        p.notice { (text) }
        @if !typed.is_empty() {
            p { "您刚才填写的内容在下面，请先复制保存，再重新填写：" }
            dl.facts {
                @for (label, text) in &typed { dt { (label) } dd { (text) } }
            }
        }
        p { a href="/" { "回到工作台" } }
    };
    (status, page(title, None, body)).into_response()
}
