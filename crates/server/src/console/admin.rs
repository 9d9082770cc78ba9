//! Logging in and out, one's own password, and what administrators do:
//! accounts, settings and the audit log.

use super::auth::{self, LoginError};
use super::page::{csrf, page, time};
use super::roles::{Duty, Role, Roles};
use super::{failed, Acting, Console, Form, Refused, Signed, Staff};
use crate::store::{Audit, AuditFilter, AuditRow, Sites, Store};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use std::net::SocketAddr;
use std::sync::Arc;

/// The setting: years personal data is kept in closed cases (0: kept).
pub const RETENTION: &str = "retention_years";

/// Why a name cannot be an account's, if it cannot.
pub fn check_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    let length = name.chars().count();
    if length == 0 || length > 30 {
        return Err("账号名应为 1 到 30 个字（如 王芳 或 wangfang）".into());
    }
    // Brackets and colons are how the history marks the command line
    // (王芳（命令行）, 命令行:root): a name may not look like one.
    if name.chars().any(|c| {
        c.is_whitespace()
            || xxgk_core::text::is_hidden(c, false)
            || "（）()[]【】，,:：".contains(c)
    }) {
        return Err("账号名里不能有空格、括号、逗号、冒号或控制字符".into());
    }
    // Names the history gives to the server and the command line.
    if ["系统", "命令行", "服务器"]
        .iter()
        .any(|r| name.starts_with(r))
    {
        return Err("账号名不能以“系统”“命令行”或“服务器”开头".into());
    }
    Ok(name.to_owned())
}

/// `GET /login`.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct LoginQuery {
    #[serde(default)]
    expired: Option<String>,
    #[serde(default)]
    changed: Option<String>,
    #[serde(default)]
    guessed: Option<String>,
}

pub(crate) async fn login_page(
    State(console): State<Arc<Console>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<LoginQuery>,
) -> Response {
    if console.signed(&headers, peer).await.is_ok() {
        return Redirect::to("/").into_response();
    }
    let note = if query.guessed.is_some() {
        Some("修改密码时原密码连续输错，已退出登录。请重新登录；如果不是您本人在操作，请告诉管理员。")
    } else if query.changed.is_some() {
        Some("密码已修改，请用新密码登录。")
    } else if query.expired.is_some() {
        Some("长时间没有操作，已自动退出，请重新登录。")
    } else {
        None
    };
    login_form(StatusCode::OK, "", note, None)
}

fn login_form(status: StatusCode, name: &str, note: Option<&str>, error: Option<&str>) -> Response {
    let token = auth::new_token();
    let body = html! {
        div.login.card {
            @if let Some(note) = note { p.notice { (note) } }
            @if let Some(error) = error { p.error role="alert" { (error) } }
            form method="post" action="/login" {
                input type="hidden" name="login" value=(token);
                label { "账号" input type="text" name="name" value=(name) autocomplete="username" required autofocus; }
                label { "密码" input type="password" name="password" autocomplete="current-password" required; }
                label { "动态码（开启双重验证后填写）" input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6"; }
                button type="submit" { "登录" }
            }
            p { "在公用电脑上用完请点“退出”。忘记密码请找管理员重设。" }
        }
    };
    let mut response = (status, page("登录", None, body)).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        auth::set_cookie(auth::LOGIN_COOKIE, &token),
    );
    response
}

/// `POST /login`.
pub(crate) async fn login(
    State(console): State<Arc<Console>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<Form>,
) -> Response {
    let fresh = auth::cookie(&headers, auth::LOGIN_COOKIE)
        .is_some_and(|t| auth::same_token(t, form.get("login")));
    if auth::cross_site(&headers) || !fresh {
        return login_form(
            StatusCode::FORBIDDEN,
            form.get("name"),
            None,
            Some("登录页面已过期（或不是从本工作台打开的），请重新输入后登录。如果一直这样，请用 https:// 开头的地址打开工作台：浏览器只在 HTTPS 下保存登录信息。"),
        );
    }
    let address = console.address(peer, &headers);
    let policy = console.settings.policy;
    let (name, password, code) = (
        form.get("name").to_owned(),
        form.get("password").to_owned(),
        form.get("code").to_owned(),
    );
    let typed = name.clone();
    let result = console
        .with(move |store| {
            let now = crate::store::now();
            let account = auth::log_in(store, &policy, &name, &password, &code, &address, now);
            let Ok(account) = account else {
                return Ok(account.map(|_| (String::new(), String::new())));
            };
            let (token, csrf) = (auth::new_token(), auth::new_token());
            store
                .open_session(&auth::token_hash(&token), account.id, &csrf, now)
                .map_err(|e| failed(&e))?;
            Ok(Ok((token, csrf)))
        })
        .await;
    match result {
        Ok(Ok((token, _))) => {
            let mut response = Redirect::to("/").into_response();
            let h = response.headers_mut();
            h.append(
                header::SET_COOKIE,
                auth::set_cookie(auth::SESSION_COOKIE, &token),
            );
            h.append(header::SET_COOKIE, auth::set_cookie(auth::LOGIN_COOKIE, ""));
            response
        }
        Ok(Err(e)) => {
            let status = match e {
                LoginError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
                LoginError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
                LoginError::Wrong => StatusCode::UNAUTHORIZED,
            };
            login_form(status, &typed, None, Some(&e.to_string()))
        }
        Err(response) => response,
    }
}

/// `POST /logout`.
pub(crate) async fn logout(
    State(console): State<Arc<Console>>,
    headers: HeaderMap,
    Acting(staff, _): Acting,
) -> Response {
    let hash = auth::cookie(&headers, auth::SESSION_COOKIE)
        .map(auth::token_hash)
        .unwrap_or_default();
    let ended = console
        .with(move |store| {
            store.close_session(&hash).map_err(|e| failed(&e))?;
            staff.audit(store, "logout", "", "")
        })
        .await;
    if let Err(response) = ended {
        return response;
    }
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        auth::set_cookie(auth::SESSION_COOKIE, ""),
    );
    response
}

/// The audit log's filters.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    before: Option<i64>,
}

impl AuditQuery {
    /// The address of `path` with these filters, and `before` if given.
    fn href(&self, path: &str, before: Option<i64>) -> String {
        let before = before.map(|b| b.to_string()).unwrap_or_default();
        let pairs = [
            ("actor", self.actor.as_str()),
            ("code", &self.code),
            ("action", &self.action),
            ("before", &before),
        ];
        let given: Vec<_> = pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect();
        format!(
            "{path}?{}",
            serde_urlencoded::to_string(given).unwrap_or_default()
        )
    }

    fn filter(&self, limit: Option<usize>) -> AuditFilter {
        let given = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        AuditFilter {
            actor: given(&self.actor),
            code: given(&self.code).map(|c| crate::store::normalise_code(&c)),
            action: given(&self.action),
            before: self.before,
            limit,
        }
    }
}

/// Rows of the audit log per page.
const AUDIT_PAGE: usize = 200;

/// `GET /audit`.
pub(crate) async fn audit_page(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Query(query): Query<AuditQuery>,
) -> Response {
    if let Err(response) = console
        .require(&staff, Duty::Administer, "查看审计记录")
        .await
    {
        return response;
    }
    let filter = query.filter(Some(AUDIT_PAGE));
    let rows = match console
        .with(move |store| store.audit_log(&filter).map_err(|e| failed(&e)))
        .await
    {
        Ok(rows) => rows,
        Err(response) => return response,
    };
    let next = (rows.len() == AUDIT_PAGE)
        .then(|| rows.last().map(|r| r.id))
        .flatten();
    let body = html! {
        p { "每一次登录、查看个人信息、办理、导出和设置修改都记在这里，任何人都不能修改或删除。" }
        form.filters method="get" action="/audit" {
            label { "人员" input type="text" name="actor" value=(query.actor); }
            label { "查询码" input type="text" name="code" value=(query.code); }
            label { "事项"
                select name="action" {
                    option value="" { "全部" }
                    @for (code, label) in crate::store::AUDIT_ACTIONS {
                        option value=(code) selected[*code == query.action] { (label) }
                    }
                }
            }
            button type="submit" { "筛选" }
        }
        p { a href=(query.href("/audit.csv", None)) { "导出为 CSV（导出也会被记录）" } }
        (audit_table(&rows, staff.account.roles.may(Duty::SeeCase, true)))
        @if let Some(before) = next {
            p { a href=(query.href("/audit", Some(before))) { "更早的记录" } }
        }
    };
    page("审计记录", Some(&staff), body).into_response()
}

/// The rows; a case's code links to its page for those who may see it.
fn audit_table(rows: &[AuditRow], linked: bool) -> Markup {
    html! {
        div.wide { table {
            thead { tr { th { "#" } th { "时间" } th { "人员" } th { "来自" } th { "事项" } th { "查询码" } th { "说明" } } }
            tbody {
                @for r in rows {
                    tr {
                        td { (r.id) }
                        td { (time(r.at)) }
                        td { (r.actor) }
                        td.code { (r.address) }
                        td { (r.label()) }
                        td.code {
                            @if linked && !r.code.is_empty() { a href={ "/cases/" (r.code) } { (r.code) } }
                            @else { (r.code) }
                        }
                        td { (r.detail) }
                    }
                }
            }
        } }
    }
}

/// `GET /audit.csv`: the rows the filters select, all of them.
pub(crate) async fn audit_csv(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
    Query(query): Query<AuditQuery>,
) -> Response {
    if let Err(response) = console
        .require(&staff, Duty::Administer, "导出审计记录")
        .await
    {
        return response;
    }
    let filter = query.filter(None);
    let rows = console
        .with(move |store| {
            let rows = store.audit_log(&filter).map_err(|e| failed(&e))?;
            staff.audit(store, "audit_export", "", &format!("{} 条", rows.len()))?;
            Ok(rows)
        })
        .await;
    let rows = match rows {
        Ok(rows) => rows,
        Err(response) => return response,
    };
    use crate::staff::{cell, line};
    let mut out = String::from("\u{FEFF}");
    line(
        &mut out,
        ["编号", "时间", "人员", "来自", "事项", "查询码", "说明"].map(cell),
    );
    for r in &rows {
        line(
            &mut out,
            [
                r.id.to_string(),
                time(r.at),
                r.actor.clone(),
                r.address.clone(),
                r.label().to_owned(),
                r.code.clone(),
                r.detail.clone(),
            ]
            .iter()
            .map(|c| cell(c)),
        );
    }
    super::reports::attachment("text/csv; charset=utf-8", "audit.csv", out)
}

/// `GET /staff`: the accounts.
pub(crate) async fn accounts(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
) -> Response {
    if let Err(response) = console.require(&staff, Duty::Administer, "管理账号").await {
        return response;
    }
    accounts_page(&console, &staff, StatusCode::OK, None, None).await
}

async fn accounts_page(
    console: &Console,
    staff: &Staff,
    status: StatusCode,
    done: Option<String>,
    refused: Option<Refused>,
) -> Response {
    let loaded = console
        .with(|store| {
            let accounts = store.accounts().map_err(|e| failed(&e))?;
            let sites = store.sites().map_err(|e| failed(&e))?;
            Ok((accounts, sites))
        })
        .await;
    let (accounts, sites) = match loaded {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let error = refused.as_ref().map(|r| r.why.as_str());
    let again =
        |what: &str, name: &str| refused.as_ref().and_then(|r| r.form_of(what, "name", name));
    let typed = |form: Option<&Form>, field: &str, otherwise: String| {
        form.map_or(otherwise, |f| f.get(field).to_owned())
    };
    let typed_roles = |form: Option<&Form>, otherwise: Roles| {
        form.map_or(otherwise, |f| {
            f.all("role").filter_map(Role::from_name).collect()
        })
    };
    let roles_boxes = |held: Roles| {
        html! {
            @for role in Role::ALL {
                label.check { input type="checkbox" name="role" value=(role.code()) checked[held.has(role)]; (role.label()) }
            }
        }
    };
    let adding = again("add", "");
    let body = html! {
        @if let Some(done) = &done { p.done role="status" { (done) } }
        @if let Some(error) = error { p.error role="alert" { (error) } }
        div.wide { table {
            thead { tr { th { "账号" } th { "角色" } th { "承办单位" } th { "负责站点" } th { "状态" } th { "双重验证" } th { "建立" } th { "修改" } } }
            tbody {
                @for a in &accounts {
                    @let roles_again = again("roles", &a.name);
                    @let sites_again = again("sites", &a.name);
                    tr {
                        td { (a.name) }
                        td {
                            form.step method="post" action="/staff" {
                                (csrf(staff))
                                input type="hidden" name="do" value="roles";
                                input type="hidden" name="name" value=(a.name);
                                div.row { (roles_boxes(typed_roles(roles_again, a.roles))) }
                                div.row {
                                    label { "承办单位" input type="text" name="unit" value=(typed(roles_again, "unit", a.unit.clone())) maxlength="100"; }
                                    button.secondary type="submit" { "保存角色" }
                                }
                            }
                        }
                        td { (a.unit) }
                        td {
                            div { (scope_names(&a.sites, &sites)) }
                            @if !sites.0.is_empty() || !a.sites.is_empty() {
                                form.step method="post" action="/staff" {
                                    (csrf(staff))
                                    input type="hidden" name="do" value="sites";
                                    input type="hidden" name="name" value=(a.name);
                                    div.row {
                                        label { "站点代码（逗号分开，留空为全部站点）"
                                            input type="text" name="sites" value=(typed(sites_again, "sites", a.sites.join(","))) placeholder="全部站点";
                                        }
                                        button.secondary type="submit" { "保存站点" }
                                    }
                                }
                            }
                        }
                        td { @if a.disabled { "已停用" } @else { "在用" } }
                        td { @if a.totp.is_some() { "已开启" } @else { "未开启" } }
                        td { (time(a.created_at)) }
                        td {
                            form method="post" action="/staff" {
                                (csrf(staff))
                                input type="hidden" name="name" value=(a.name);
                                @if a.disabled {
                                    button.secondary type="submit" name="do" value="enable" { "启用" }
                                } @else {
                                    button.secondary type="submit" name="do" value="disable" { "停用" }
                                }
                                " "
                                button.secondary type="submit" name="do" value="reset" { "重设密码" }
                            }
                        }
                    }
                }
            }
        } }
        @if !sites.0.is_empty() {
            p { "负责部分站点的账号只看到、只办理这些站点（县的站点包括它的乡镇）的案件，统计和年度报告也只是这些站点的；它不能管理账号、站点和设置。修改后该账号需要重新登录。站点在“站点”页管理。" }
        }
        section {
            h2 { "新建账号" }
            form.step method="post" action="/staff" {
                (csrf(staff))
                input type="hidden" name="do" value="add";
                div.row {
                    label { "账号名" input type="text" name="name" value=(typed(adding, "name", String::new())) maxlength="30" required; }
                    label { "承办单位（承办人员填写所在办公室或村）" input type="text" name="unit" value=(typed(adding, "unit", String::new())) maxlength="100"; }
                    @if !sites.0.is_empty() {
                        label { "负责的站点（站点代码，逗号分开；留空为全部站点）" input type="text" name="sites" value=(typed(adding, "sites", String::new())) placeholder="全部站点"; }
                    }
                }
                div.row { (roles_boxes(typed_roles(adding, Roles::default()))) }
                p { "密码由系统生成，只显示一次，请当面或电话告知本人，并请本人登录后修改。" }
                div { button type="submit" { "新建账号" } }
            }
        }
    };
    (status, page("账号", Some(staff), body)).into_response()
}

/// The sites of an account in words: `全部站点`, or each site's name and
/// code.
fn scope_names(codes: &[String], sites: &Sites) -> String {
    if codes.is_empty() {
        return "全部站点".to_owned();
    }
    codes
        .iter()
        .map(|code| match sites.get(code) {
            Some(site) => format!("{}（{code}）", site.name),
            None => code.clone(),
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// `POST /staff`: add, disable, enable, change roles or sites, reset a
/// password.
pub(crate) async fn change_account(
    State(console): State<Arc<Console>>,
    Acting(staff, form): Acting,
) -> Response {
    if let Err(response) = console.require(&staff, Duty::Administer, "管理账号").await {
        return response;
    }
    let roles: Roles = form.all("role").filter_map(Role::from_name).collect();
    let (who, sent) = (staff.clone(), form.clone());
    let result = console
        .with(move |store| account_step(store, &who, &sent, roles))
        .await;
    match result {
        Ok(Ok(done)) => accounts_page(&console, &staff, StatusCode::OK, Some(done), None).await,
        Ok(Err(why)) => {
            accounts_page(
                &console,
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(Refused { why, form }),
            )
            .await
        }
        Err(response) => response,
    }
}

/// One change to an account by the administrator `staff`, logged; what
/// was done, in words (a password made up here, shown this once), or why
/// it was refused.
fn account_step(
    store: &mut Store,
    staff: &Staff,
    form: &Form,
    roles: Roles,
) -> Result<Result<String, String>, Response> {
    let name = form.get("name").trim();
    let unit = form.get("unit").trim().to_owned();
    let password = auth::generated_password();
    let sites = match form.get("do") {
        "add" | "sites" => {
            let known = store.sites().map_err(|e| failed(&e))?;
            match crate::accounts::site_codes(&known, form.get("sites")) {
                Ok(sites) => sites,
                Err(code) => {
                    return Ok(Err(format!(
                        "没有代码为 {code} 的站点：请填“站点”页列出的站点代码，用逗号分开"
                    )))
                }
            }
        }
        _ => Vec::new(),
    };
    let (change, done) = match form.get("do") {
        "add" => (
            Change::Add {
                roles,
                unit,
                sites: sites.clone(),
                password: password.clone(),
            },
            format!(
                "已新建账号 {name}（{roles}{}），初始密码：{password} 。这个密码只显示这一次。",
                if sites.is_empty() {
                    String::new()
                } else {
                    format!("；负责 {}", sites.join(","))
                }
            ),
        ),
        "disable" => (Change::Disable, format!("已停用账号 {name}")),
        "enable" => (Change::Enable, format!("已启用账号 {name}")),
        "roles" => (
            Change::Roles { roles, unit },
            format!("已把 {name} 的角色改为 {roles}"),
        ),
        "sites" => (
            Change::Sites(sites.clone()),
            format!(
                "已把 {name} 负责的站点改为 {}；它需要重新登录",
                scope_codes(&sites)
            ),
        ),
        "reset" => (
            Change::Password(password.clone()),
            format!("已重设 {name} 的密码：{password} 。这个密码只显示这一次，请本人登录后修改。"),
        ),
        _ => return Ok(Err("没有这个操作".into())),
    };
    let by = (staff.account.name.as_str(), staff.address.as_str());
    if let Err(why) = apply_change(store, name, &change, by) {
        return Ok(Err(why));
    }
    Ok(Ok(done))
}

/// A change to a staff account, from the console's 账号 page or
/// `xxgk-server staff`.
pub enum Change {
    /// A new account with these roles, of this office or village, for
    /// these sites.
    Add {
        /// Its roles.
        roles: Roles,
        /// Its office or village.
        unit: String,
        /// The codes of the sites it works for (none: every site).
        sites: Vec<String>,
        /// Its first password.
        password: String,
    },
    /// No more logins; its sessions end.
    Disable,
    /// Logins again.
    Enable,
    /// Other roles, or another office or village; its sessions end.
    Roles {
        /// Its roles.
        roles: Roles,
        /// Its office or village.
        unit: String,
    },
    /// A new password; its sessions end.
    Password(String),
    /// Other sites to work for, codes of sites (none: every site); its
    /// sessions end.
    Sites(Vec<String>),
}

/// Makes `change` to the account `name`, checked by the same rules from the
/// console and the command line (a role at least, a handler's unit, an
/// administrator of every site left), and appends it to the audit log by
/// `actor` from `address`.
pub fn apply_change(
    store: &mut Store,
    name: &str,
    change: &Change,
    (actor, address): (&str, &str),
) -> Result<(), String> {
    // A new account's name is checked; one made before is named as it is.
    let name = match change {
        Change::Add { .. } => check_name(name)?,
        _ => name.to_owned(),
    };
    let now = crate::store::now();
    let sql = |e: crate::store::Error| e.to_string();
    let exists = |changed: bool| {
        changed
            .then_some(())
            .ok_or_else(|| format!("没有名为 {name} 的账号"))
    };
    let some_role = |roles: Roles| {
        (!roles.is_empty())
            .then_some(())
            .ok_or("至少要有一个角色（不再使用的账号请停用）")
    };
    let (action, detail) = match change {
        Change::Add {
            roles,
            unit,
            sites,
            password,
        } => {
            some_role(*roles)?;
            handler_unit(*roles, unit)?;
            let hash = auth::hash_password(password)?;
            if !store
                .add_account_of(&name, *roles, unit.trim(), sites, &hash, now)
                .map_err(sql)?
            {
                return Err(format!("已有名为 {name} 的账号"));
            }
            let detail = if sites.is_empty() {
                format!("{name}：{roles}")
            } else {
                format!("{name}：{roles}；站点 {}", sites.join(","))
            };
            ("staff_add", detail)
        }
        Change::Disable => {
            last_administrator(store, &name, Roles::default())?;
            exists(store.set_disabled(&name, true, now).map_err(sql)?)?;
            ("staff_disable", name.clone())
        }
        Change::Enable => {
            exists(store.set_disabled(&name, false, now).map_err(sql)?)?;
            ("staff_enable", name.clone())
        }
        Change::Roles { roles, unit } => {
            some_role(*roles)?;
            handler_unit(*roles, unit)?;
            last_administrator(store, &name, *roles)?;
            exists(
                store
                    .set_roles(&name, *roles, unit.trim(), now)
                    .map_err(sql)?,
            )?;
            ("staff_roles", format!("{name}：{roles}；{}", unit.trim()))
        }
        Change::Password(password) => {
            let hash = auth::hash_password(password)?;
            exists(store.set_password(&name, &hash, now).map_err(sql)?)?;
            ("staff_passwd", name.clone())
        }
        Change::Sites(sites) => {
            // An account of some sites administers nothing.
            let administers = store
                .account(&name)
                .map_err(sql)?
                .is_some_and(|a| a.roles.has(Role::Admin) && a.sites.is_empty());
            if administers && !sites.is_empty() {
                last_administrator(store, &name, Roles::default())?;
            }
            exists(store.set_sites(&name, sites, now).map_err(sql)?)?;
            ("staff_sites", format!("{name}：{}", scope_codes(sites)))
        }
    };
    store
        .audit(
            &Audit {
                actor,
                address,
                action,
                code: "",
                detail: &detail,
            },
            now,
        )
        .map_err(sql)
}

/// Refuses a handler without the office or village they answer for: they
/// would see no case.
pub fn handler_unit(roles: Roles, unit: &str) -> Result<(), String> {
    if roles.has(Role::Handler) && unit.trim().is_empty() {
        return Err("承办人员要填承办单位（所在办公室或村），否则看不到任何案件".into());
    }
    Ok(())
}

/// Refuses to leave no enabled administrator of every site (one of some
/// sites administers nothing): `name` is to keep `roles` (none:
/// disabled, or of some sites only).
pub fn last_administrator(store: &Store, name: &str, roles: Roles) -> Result<(), String> {
    if roles.has(Role::Admin) {
        return Ok(());
    }
    let others = store
        .accounts()
        .map_err(|e| e.to_string())?
        .iter()
        .any(|a| a.name != name && !a.disabled && a.roles.has(Role::Admin) && a.sites.is_empty());
    if others {
        Ok(())
    } else {
        Err(
            "这是最后一个在用的、负责全部站点的管理员账号：先给另一个负责全部站点的账号管理员角色"
                .into(),
        )
    }
}

/// The sites of an account, as codes: `全部站点` for none.
pub fn scope_codes(sites: &[String]) -> String {
    if sites.is_empty() {
        "全部站点".to_owned()
    } else {
        sites.join(",")
    }
}

/// `GET /settings`.
pub(crate) async fn settings(
    State(console): State<Arc<Console>>,
    Signed(staff): Signed,
) -> Response {
    if let Err(response) = console.require(&staff, Duty::Administer, "修改设置").await {
        return response;
    }
    settings_page(&console, &staff, StatusCode::OK, None, None, None).await
}

/// A refusal on the settings page: which section, and why.
type SettingError = (&'static str, String);

async fn settings_page(
    console: &Console,
    staff: &Staff,
    status: StatusCode,
    done: Option<String>,
    error: Option<SettingError>,
    typed_calendar: Option<String>,
) -> Response {
    let loaded = console
        .with(|store| {
            let years = store.setting(RETENTION).map_err(|e| failed(&e))?;
            let added = store
                .setting(crate::cases::CALENDAR_SETTING)
                .map_err(|e| failed(&e))?;
            let alerts = store.alerts_not_delivered(50).map_err(|e| failed(&e))?;
            Ok((
                years.unwrap_or_else(|| "0".into()),
                added.unwrap_or_default(),
                alerts,
            ))
        })
        .await;
    let (years, added, alerts) = match loaded {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let calendar = console.settings.calendar.current();
    let covered: Vec<u16> = calendar.years().collect();
    let this_year = crate::cases::today().year();
    let (calendar_error, other_error) = match &error {
        Some(("calendar", why)) => (Some(why.as_str()), None),
        Some((_, why)) => (None, Some(why.as_str())),
        None => (None, None),
    };
    let body = html! {
        @if let Some(done) = &done { p.done role="status" { (done) } }
        @if let Some(error) = other_error { p.error role="alert" { (error) } }
        section {
            h2 { "个人信息保存期限" }
            p { "已答复的案件，答复满这么多年后清除提交人的姓名、电话、邮箱、地址、法定代表人和证件号码；案件本身、办理记录和统计数字保留。0 表示不清除。服务器每天检查一次。" }
            form.step method="post" action="/settings" {
                (csrf(staff))
                input type="hidden" name="do" value="retention";
                div.row {
                    label { "保存年数" input type="number" name="years" min="0" max="100" value=(years) required; }
                    button type="submit" { "保存" }
                }
            }
            form.step method="post" action="/settings" {
                (csrf(staff))
                input type="hidden" name="do" value="purge";
                div { button.secondary type="submit" { "现在按保存期限清除" } }
            }
        }
        section {
            h2 { "节假日安排" }
            p {
                "答复期限按工作日计算。现有 "
                @if let (Some(first), Some(last)) = (covered.first(), covered.last()) { (first) "—" (last) }
                " 年的安排。"
                @if !covered.contains(&(this_year + 1)) {
                    strong { "还没有 " (this_year + 1) " 年的安排：" }
                    "国务院办公厅的通知发布后（一般在 11 月），请在下面照格式录入，保存后立即生效。"
                }
            }
            p {
                "每行一项：" code { "year 2027" } " 表示这一年的安排已完整；"
                code { "2027-02-05..2027-02-11 off 春节" } " 是放假；"
                code { "2027-02-14 work 春节" } " 是调休上班。格式见 docs/calendar.md。"
                "这里的安排对所有站点有效；某个站点自己的节日（如民族自治地方的节日）在“站点”页给该站点录入。"
            }
            @if let Some(why) = calendar_error { p.error role="alert" { (why) } }
            form.step method="post" action="/settings" {
                (csrf(staff))
                input type="hidden" name="do" value="calendar";
                label { "补充的节假日安排" textarea name="calendar" rows="10" { (typed_calendar.as_deref().unwrap_or(&added)) } }
                div { button type="submit" { "保存节假日安排" } }
            }
        }
        section {
            h2 { "未送达的提醒" }
            @if !console.settings.alerts {
                p { "没有设置提醒的去处（服务器启动时的 --alert-webhook 或 --alert-smtp，见 docs/alerts.md）：新留言、转办和临近期限的提醒只记在数据库里，不会送出。" }
            } @else if alerts.is_empty() { p { "所有提醒都已送达。" } }
            @else {
                div.wide { table {
                    thead { tr { th { "#" } th { "生成时间" } th { "状态" } th { "尝试次数" } th { "最后的错误" } } }
                    tbody {
                        @for a in &alerts {
                            tr {
                                td { (a.id) }
                                td { (time(a.queued_at)) }
                                td { @match a.state { crate::store::AlertState::Failed => "已放弃", _ => "待重试" } }
                                td { (a.attempts) }
                                td { (a.last_error) }
                            }
                        }
                    }
                } }
            }
        }
    };
    (status, page("设置", Some(staff), body)).into_response()
}

/// `POST /settings`.
pub(crate) async fn change_settings(
    State(console): State<Arc<Console>>,
    Acting(staff, form): Acting,
) -> Response {
    if let Err(response) = console.require(&staff, Duty::Administer, "修改设置").await {
        return response;
    }
    let who = staff.clone();
    let files = console.settings.calendar_files.clone();
    let calendars = console.settings.calendar.clone();
    let typed = form.get("calendar").replace("\r\n", "\n");
    let text = typed.clone();
    let result = console
        .with(move |store| {
            Ok(match form.get("do") {
                "retention" => match form.get("years").trim().parse::<u32>() {
                    Ok(years) if years <= 100 => {
                        store
                            .set_setting(RETENTION, &years.to_string())
                            .map_err(|e| failed(&e))?;
                        who.audit(
                            store,
                            "setting",
                            "",
                            &format!("个人信息保存期限：{years} 年"),
                        )?;
                        Ok(format!("保存期限已设为 {years} 年"))
                    }
                    _ => Err(("retention", "保存年数应为 0 到 100 的整数".to_owned())),
                },
                "purge" => purge(store, &who.account.name, &who.address)
                    .map_err(|e| ("retention", e.to_string())),
                "calendar" => match next_years(&text).and_then(|years| {
                    let calendar = crate::cases::calendar_with_added(&files, &text)?;
                    plausible(&calendar, &years)?;
                    Ok(calendar)
                }) {
                    Ok(calendar) => {
                        store
                            .set_setting(crate::cases::CALENDAR_SETTING, &text)
                            .map_err(|e| failed(&e))?;
                        // The whole text, so that every change can be traced.
                        let kept = text
                            .lines()
                            .map(str::trim)
                            .filter(|l| !l.is_empty())
                            .collect::<Vec<_>>()
                            .join("；");
                        who.audit(store, "setting", "", &format!("节假日安排：{kept}"))?;
                        calendars.set(calendar, &text);
                        Ok("节假日安排已保存，立即生效".to_owned())
                    }
                    Err(e) => Err(("calendar", format!("{e}。没有保存，原来的安排照旧。"))),
                },
                _ => Err(("", "没有这个操作".to_owned())),
            })
        })
        .await;
    match result {
        Ok(Ok(done)) => {
            settings_page(&console, &staff, StatusCode::OK, Some(done), None, None).await
        }
        Ok(Err(why)) => {
            let typed = (why.0 == "calendar").then_some(typed);
            settings_page(
                &console,
                &staff,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(why),
                typed,
            )
            .await
        }
        Err(response) => response,
    }
}

/// The years a calendar text sets, if every one is after this year: the
/// console adds next year's arrangement; a correction of a year already
/// counted with goes in a `--calendar` file, where it is reviewed.
fn next_years(text: &str) -> Result<Vec<u16>, String> {
    let this_year = crate::cases::today().year();
    let mut years: Vec<u16> = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .filter_map(|l| {
            let l = l.strip_prefix("year").map_or(l, str::trim);
            l.get(..4).and_then(|y| y.parse::<u16>().ok())
        })
        .collect();
    years.sort_unstable();
    years.dedup();
    match years.iter().find(|&&y| y <= this_year) {
        Some(year) => Err(format!(
            "这里只能补充 {} 年及以后的安排；{year} 年的安排已在使用，更正请由服务器管理人员用 --calendar 文件（docs/calendar.md）",
            this_year + 1
        )),
        None => Ok(years),
    }
}

/// Refuses a year whose arrangement looks incomplete: weekdays off, less
/// weekend days worked, have been 11 to 13 every year since 2016.
fn plausible(calendar: &xxgk_core::calendar::Calendar, years: &[u16]) -> Result<(), String> {
    for &year in years {
        let (off, worked) = calendar
            .days_moved(year)
            .map_err(|_| format!("{year} 年的安排不完整：请加上一行 year {year}"))?;
        let net = i64::from(off) - i64::from(worked);
        if !(9..=16).contains(&net) {
            return Err(format!(
                "{year} 年的安排看起来不完整：工作日放假 {off} 天、周末调休上班 {worked} 天，相抵 {net} 天（历年为 11 到 13 天）。请对照国务院办公厅的通知检查"
            ));
        }
    }
    Ok(())
}

/// Purges personal data as the retention setting says, by `actor`, and
/// logs it; what was done, in words.
pub fn purge(store: &mut Store, actor: &str, address: &str) -> crate::store::Result<String> {
    purge_logged(store, actor, address, true)
}

/// [`purge`]; a run that purged nothing is logged only if `always`.
pub fn purge_logged(
    store: &mut Store,
    actor: &str,
    address: &str,
    always: bool,
) -> crate::store::Result<String> {
    let years: i64 = store
        .setting(RETENTION)?
        .and_then(|y| y.parse().ok())
        .unwrap_or(0);
    if years == 0 {
        return Ok("保存期限为 0（不清除），没有清除任何信息".into());
    }
    let now = crate::store::now();
    let before = now - years * 365 * 86_400 - years / 4 * 86_400;
    let purged = store.purge_personal(before, actor, now)?;
    if purged.is_empty() && !always {
        return Ok("没有到期的个人信息".into());
    }
    let detail = format!("答复满 {years} 年");
    // A row per case, so that an auditor finds it by the code; a run that
    // purged nothing leaves one row saying so.
    for code in purged
        .iter()
        .map(String::as_str)
        .chain(purged.is_empty().then_some(""))
    {
        store.audit(
            &Audit {
                actor,
                address,
                action: "purge",
                code,
                detail: &detail,
            },
            now,
        )?;
    }
    Ok(format!(
        "已清除 {} 件答复满 {years} 年的案件中的个人信息",
        purged.len()
    ))
}

/// `GET /account`: one's own account.
pub(crate) async fn own_account(
    State(_console): State<Arc<Console>>,
    Signed(staff): Signed,
) -> Response {
    own_page(&staff, StatusCode::OK, None)
}

fn own_page(staff: &Staff, status: StatusCode, error: Option<&str>) -> Response {
    let body = html! {
        @if let Some(error) = error { p.error role="alert" { (error) } }
        dl.facts {
            dt { "账号" } dd { (staff.account.name) }
            dt { "角色" } dd { (staff.account.roles) }
            @if !staff.account.unit.is_empty() { dt { "承办单位" } dd { (staff.account.unit) } }
            dt { "双重验证" } dd { @if staff.account.totp.is_some() { "已开启" } @else { "未开启（可请管理员用 xxgk-server staff totp 开启）" } }
        }
        section {
            h2 { "修改密码" }
            form.step method="post" action="/account" {
                (csrf(staff))
                label { "现在的密码" input type="password" name="current" autocomplete="current-password" required; }
                label { "新密码（至少 " (auth::PASSWORD_LEAST) " 个字符）" input type="password" name="new" autocomplete="new-password" required; }
                label { "再输一次新密码" input type="password" name="again" autocomplete="new-password" required; }
                div { button type="submit" { "修改密码" } }
            }
            p { "修改后所有已登录的地方都会退出，需要用新密码重新登录。" }
        }
    };
    (status, page("我的账号", Some(staff), body)).into_response()
}

/// `POST /account`: a new password for oneself.
pub(crate) async fn change_own_password(
    State(console): State<Arc<Console>>,
    Acting(staff, form): Acting,
) -> Response {
    let (current, new) = (form.get("current").to_owned(), form.get("new").to_owned());
    if new != form.get("again") {
        return own_page(
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("两次输入的新密码不一样"),
        );
    }
    if let Some(why) = auth::weak_password(&staff.account.name, &new) {
        return own_page(&staff, StatusCode::UNPROCESSABLE_ENTITY, Some(&why));
    }
    let who = staff.clone();
    let window = console.settings.policy.window;
    let most = console.settings.policy.per_name;
    let result = console
        .with(move |store| {
            if !auth::verify_password(&current, &who.account.password) {
                // Guessing from a session left open is cut short: after a
                // few wrong guesses the account's sessions end.
                who.audit(store, "passwd_failed", "", "")?;
                let since = crate::store::now() - window.as_secs() as i64;
                let failures = store
                    .audit_log(&AuditFilter {
                        actor: Some(who.account.name.clone()),
                        action: Some("passwd_failed".into()),
                        limit: Some(most as usize),
                        ..AuditFilter::default()
                    })
                    .map_err(|e| failed(&e))?
                    .iter()
                    // Since this session began: a new login starts over.
                    .filter(|r| r.at >= since.max(who.since) && r.actor == who.account.name)
                    .count();
                if failures as i64 >= most {
                    store
                        .close_sessions_of(&who.account.name)
                        .map_err(|e| failed(&e))?;
                    return Ok(None);
                }
                return Ok(Some(false));
            }
            let hash = auth::hash_password(&new).map_err(|_| super::unavailable())?;
            store
                .set_password(&who.account.name, &hash, crate::store::now())
                .map_err(|e| failed(&e))?;
            who.audit(store, "staff_passwd", "", &who.account.name)?;
            Ok(Some(true))
        })
        .await;
    match result {
        Ok(None) => {
            let mut response = Redirect::to("/login?guessed=1").into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                auth::set_cookie(auth::SESSION_COOKIE, ""),
            );
            response
        }
        Ok(Some(true)) => {
            let mut response = Redirect::to("/login?changed=1").into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                auth::set_cookie(auth::SESSION_COOKIE, ""),
            );
            response
        }
        Ok(Some(false)) => own_page(
            &staff,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("现在的密码不对（连续输错几次会自动退出登录）"),
        ),
        Err(response) => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_name_cannot_pass_for_the_command_line() {
        assert_eq!(check_name(" 王芳 "), Ok("王芳".to_owned()));
        for name in [
            "命令行:root",
            "王芳（命令行）",
            "系统[保存]",
            "命令行",
            "服务器",
            "a b",
            "",
            &"长".repeat(31),
        ] {
            assert!(check_name(name).is_err(), "{name}");
        }
    }
}
