//! 登记纸质申请: intake records a disclosure request that came on paper
//! (in person, by post or fax), checked by the same rules as the online
//! form, and confirms it on the day it was received.

use super::page::{csrf, page};
use super::roles::Duty;
use super::{Acting, Console, Form, Signed, Staff};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use std::sync::Arc;
use xxgk_core::submission::{Applicant, Delivery, Field, FieldError, Format, IdType};

/// The texts of the form, with their fields and labels, in order.
const TEXTS: [(Field, &str, bool); 12] = [
    (Field::Name, "申请人姓名（或经办人）", false),
    (Field::Phone, "联系电话", false),
    (Field::Email, "电子邮箱", false),
    (Field::Address, "通信地址", false),
    (Field::Organisation, "单位名称（法人或其他组织）", false),
    (Field::CreditCode, "统一社会信用代码", false),
    (Field::Representative, "法定代表人或主要负责人", false),
    (Field::IdNumber, "证件号码", false),
    (Field::Subject, "标题（如：申请公开2024年三公经费）", false),
    (Field::Description, "所需信息的内容描述", true),
    (Field::Document, "文件名称、文号或其他特征描述", false),
    (Field::Body, "申请内容（照申请书写明的请求录入）", true),
];

/// The sites a paper request may be registered for, each with its
/// name: those the account works for; for an account of every site, the
/// receiver's default site (`''`) first, then every site.
async fn site_options(console: &Console, staff: &Staff) -> Result<Vec<(String, String)>, Response> {
    let sites = console
        .with(|store| store.sites().map_err(|e| super::failed(&e)))
        .await?;
    let mut options = Vec::new();
    if staff.sites.is_none() {
        options.push((String::new(), "默认站点".to_owned()));
    }
    for site in sites.0.iter().filter(|s| staff.sees(&s.code)) {
        options.push((site.code.clone(), format!("{}（{}）", site.name, site.code)));
    }
    Ok(options)
}

/// The form again, with what was typed and what is wrong with it.
fn again(
    staff: &Staff,
    sites: &[(String, String)],
    typed: &Form,
    errors: &[FieldError],
    problem: Option<&str>,
) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        page(
            "登记纸质申请",
            Some(staff),
            fields(staff, sites, typed, errors, problem),
        ),
    )
        .into_response()
}

/// `GET /register`.
pub(crate) async fn form(State(console): State<Arc<Console>>, Signed(staff): Signed) -> Response {
    if !staff.account.roles.may(Duty::Register, false) {
        return console
            .refuse(&staff, Duty::Register, "", "登记纸质申请")
            .await;
    }
    let sites = match site_options(&console, &staff).await {
        Ok(sites) => sites,
        Err(response) => return response,
    };
    (
        StatusCode::OK,
        page(
            "登记纸质申请",
            Some(&staff),
            fields(&staff, &sites, &Form::default(), &[], None),
        ),
    )
        .into_response()
}

fn fields(
    staff: &Staff,
    sites: &[(String, String)],
    typed: &Form,
    errors: &[FieldError],
    problem: Option<&str>,
) -> Markup {
    let today = crate::cases::today().to_string();
    let value = |name: &str, otherwise: &str| -> String {
        let v = typed.get(name);
        if v.is_empty() {
            otherwise.to_owned()
        } else {
            v.to_owned()
        }
    };
    let error = |field: Field| {
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message())
    };
    // A form sent twice (a double click, a reload) records the request once.
    let key = value(
        "client_key",
        &format!("paper-{}", &super::auth::new_token()[..24]),
    );
    let choice = |name: &str, current: &str, options: Vec<(&'static str, &'static str)>| {
        html! {
            select name=(name) {
                @for (code, label) in options { option value=(code) selected[code == current] { (label) } }
            }
        }
    };
    html! {
        p { "纸质申请（当面提交、邮寄、传真）在这里登记，按收到的日期确认受理，20 个工作日的期限从次日起算。登记后把查询码告诉申请人。" }
        @if let Some(problem) = problem { p.error role="alert" { (problem) } }
        @if !errors.is_empty() { p.error role="alert" { "有 " (errors.len()) " 处要改，见下面标红的说明。" } }
        form.step method="post" action="/register" {
            (csrf(staff))
            input type="hidden" name="client_key" value=(key);
            @if sites.len() > 1 || sites.iter().any(|(code, _)| !code.is_empty()) {
                label { "站点（申请递交给哪个机关）"
                    select name="site" {
                        @for (code, name) in sites { option value=(code) selected[typed.get("site") == code.as_str()] { (name) } }
                    }
                }
            }
            div.row {
                label { "收到日期" input type="date" name="on" value=(value("on", &today)) required; }
                label { "申请人类别"
                    (choice("applicant", &value("applicant", "person"), Applicant::ALL.iter().map(|a| (a.code(), a.label())).collect()))
                }
                label { "证件类型"
                    (choice("id_type", &value("id_type", "resident_card"), IdType::ALL.iter().map(|t| (t.code(), t.label())).collect()))
                }
            }
            @for (field, label, long) in TEXTS {
                @let message = error(field);
                label {
                    (label)
                    @if long {
                        textarea name=(field.key()) aria-invalid=[message.as_ref().map(|_| "true")] { (typed.get(field.key())) }
                    } @else {
                        input type="text" name=(field.key()) value=(typed.get(field.key())) aria-invalid=[message.as_ref().map(|_| "true")];
                    }
                    @if let Some(message) = message { span.error { (message) } }
                }
            }
            div.row {
                label { "载体形式" (choice("format", &value("format", "paper"), vec![(Format::Paper.code(), Format::Paper.label()), (Format::Electronic.code(), Format::Electronic.label())])) }
                label { "获取方式" (choice("delivery", &value("delivery", "collect"), vec![(Delivery::Collect.code(), Delivery::Collect.label()), (Delivery::Post.code(), Delivery::Post.label()), (Delivery::Email.code(), Delivery::Email.label())])) }
            }
            @for e in errors.iter().filter(|e| !TEXTS.iter().any(|(f, _, _)| *f == e.field)) {
                p.error { (e.field.label()) "：" (e.message()) }
            }
            label.check { input type="checkbox" name="consent_to_publish" value="1" checked[typed.get("consent_to_publish") == "1"]; "申请人同意公开答复（不含个人信息）" }
            div { button type="submit" { "登记并确认受理" } }
        }
    }
}

/// `POST /register`.
pub(crate) async fn record(
    State(console): State<Arc<Console>>,
    Acting(staff, form): Acting,
) -> Response {
    if !staff.account.roles.may(Duty::Register, false) {
        return console
            .refuse(&staff, Duty::Register, "", "登记纸质申请")
            .await;
    }
    let sites = match site_options(&console, &staff).await {
        Ok(sites) => sites,
        Err(response) => return response,
    };
    // One of the account's sites; the only one there is if not chosen.
    let site = match sites.iter().find(|(code, _)| code == form.get("site")) {
        Some((code, _)) => code.clone(),
        None if sites.len() == 1 => sites[0].0.clone(),
        None => {
            let why = "请选择申请递交给哪个站点（机关）";
            return again(&staff, &sites, &form, &[], Some(why));
        }
    };
    let mut request = serde_json::Map::new();
    for key in [
        "applicant",
        "organisation",
        "credit_code",
        "representative",
        "id_type",
        "id_number",
        "description",
        "document",
        "format",
        "delivery",
    ] {
        request.insert(key.into(), form.get(key).trim().into());
    }
    let mut json = serde_json::Map::new();
    json.insert("kind".into(), "disclosure_request".into());
    for key in [
        "subject",
        "body",
        "name",
        "phone",
        "email",
        "address",
        "client_key",
    ] {
        json.insert(key.into(), form.get(key).trim().into());
    }
    json.insert(
        "consent_to_publish".into(),
        (form.get("consent_to_publish") == "1").into(),
    );
    json.insert("request".into(), request.into());
    let submission = match xxgk_core::submission::read(&serde_json::Value::Object(json).to_string())
    {
        Ok(incoming) => incoming.submission().clone(),
        Err(xxgk_core::submission::ReadError::Fields(errors)) => {
            return again(&staff, &sites, &form, &errors, None);
        }
        Err(_) => {
            return again(
                &staff,
                &sites,
                &form,
                &[],
                Some("表单没有完整收到，请重新填写后登记。"),
            );
        }
    };
    let on = match xxgk_core::Date::parse(form.get("on").trim()) {
        Some(on) if on <= crate::cases::today() => on,
        _ => {
            let why = "收到日期不对：写成 2024-09-27，且不能晚于今天";
            return again(&staff, &sites, &form, &[], Some(why));
        }
    };
    let calendar = console.settings.calendar.current();
    let who = staff.clone();
    let result = console
        .with(move |store| {
            let now = crate::store::now();
            // The site's working days count its clock.
            let sites = store.sites().map_err(|e| super::failed(&e))?;
            let calendar = sites.calendar_of(&calendar, &site);
            match store.record_paper(&site, &submission, on, &who.account.name, now, &calendar) {
                Ok((code, _, _)) => {
                    who.audit(store, "act", &code, "登记纸质申请")?;
                    Ok(Ok(code))
                }
                Err(e) => Ok(Err(e.to_string())),
            }
        })
        .await;
    match result {
        Ok(Ok(code)) => Redirect::to(&format!("/cases/{code}?done=registered")).into_response(),
        Ok(Err(why)) => again(&staff, &sites, &form, &[], Some(&why)),
        Err(response) => response,
    }
}
