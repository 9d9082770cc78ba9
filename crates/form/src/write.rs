//! The form for feedback and disclosure requests.
//!
//! Every field shows its label, whether it is required, a hint and its
//! length before anything is typed; its error appears beside it once the
//! citizen leaves it, and on every field at the first attempt to send,
//! with focus moved to the first. The rules are
//! `xxgk_core::submission`, which the server runs too.

use crate::draft;
use crate::draft::Store;
use crate::net::{self, Failure, Received};
use crate::panel::{leads, stored, ByKey, Widget};
use crate::visit;
use leptos::either::{Either, EitherOf3};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use xxgk_core::submission::{
    limits, Applicant, Delivery, Field, FieldError, Format, IdType, Kind, Request, Submission,
};
use xxgk_core::Panel;

/// Where a submission is.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Phase {
    /// Being filled in.
    Editing,
    /// Sent, no answer yet: the form is disabled.
    Sending,
    /// Not received; what was typed is all still there.
    Failed(Failure),
    /// Received, with the kind it was.
    Done(Received, Kind),
}

// What these hold of a citizen's (a draft, an attempt, an outcome) does
// not outlive the page visit (`page_left`), nor, on a widget with
// data-shared-device, the form (the citizen was told nothing is kept).
thread_local! {
    /// The form of each widget that is on screen: where the outcome of a
    /// send goes.
    static LIVE: ByKey<RwSignal<Phase>> = const { ByKey::new() };
    /// Each widget's send still in flight ([`Phase::Sending`]), or the
    /// outcome of one that came back after its form was taken down (the
    /// citizen went to another panel): the next form shows it. Never on a
    /// shared device.
    static LATER: ByKey<Phase> = const { ByKey::new() };
    /// Each widget's last attempt (its JSON), until it is known to be
    /// received: the whole of it, ID number included, which storage never
    /// holds.
    static ATTEMPT: ByKey<String> = const { ByKey::new() };
    /// Each widget's draft as typed, ID number included, for the next form
    /// (the citizen went to another panel and back). Never on a shared
    /// device.
    static DRAFTS: ByKey<Submission> = const { ByKey::new() };
}

/// Forgets what the forms kept in the page for the next one, ID numbers
/// and outcomes of sends included: the page is left, and may be shown
/// again from the back-forward cache to whoever presses Back. A draft
/// kept in storage comes back as after a reload, without its ID number.
pub fn page_left() {
    LATER.with(|later| later.clear());
    ATTEMPT.with(|attempt| attempt.clear());
    DRAFTS.with(|drafts| drafts.clear());
}

/// Where a new form of widget `key` starts: a send in flight, an outcome
/// it missed (taken), or a fresh start.
fn start_phase(key: &str, phase: RwSignal<Phase>) -> Phase {
    LIVE.with(|live| live.put(key, phase));
    LATER.with(|later| match later.take(key) {
        Some(Phase::Sending) => {
            later.put(key, Phase::Sending);
            Phase::Sending
        }
        missed => missed.unwrap_or(Phase::Editing),
    })
}

/// Hands the outcome of a send to the form of widget `key` on screen, or
/// keeps it for the next.
fn deliver(key: &str, outcome: Phase) {
    LATER.with(|later| later.take(key));
    let phase = LIVE.with(|live| live.get(key));
    // `try_set` gives the value back when the form is gone.
    if let Some(outcome) = phase.map_or(Some(outcome.clone()), |p| p.try_set(outcome)) {
        LATER.with(|later| later.put(key, outcome));
    }
}

/// The form's state, handed to each part (it is `Copy`).
#[derive(Clone, Copy)]
struct Form {
    draft: RwSignal<Submission>,
    /// The draft as it would be sent.
    sent: Memo<Submission>,
    errors: Memo<Vec<FieldError>>,
    /// The fields whose errors show: those left once, or all after the
    /// first attempt to send.
    seen: RwSignal<Vec<Field>>,
    /// What the server found wrong (field key, message), each shown until
    /// its field is changed.
    server: RwSignal<Vec<(String, String)>>,
    /// Whether the form was just cleared, to say so until the next change.
    cleared: RwSignal<bool>,
    /// Whether a draft came back from storage without its ID number, to
    /// ask for it again.
    retype: RwSignal<bool>,
    prefix: StoredValue<String>,
    /// On a shared device: the browser is asked to remember nothing typed.
    shared_device: bool,
}

impl Form {
    fn error(self, field: Field) -> Option<String> {
        let server = move || {
            self.server.with(|s| {
                s.iter()
                    .find(|(k, _)| k == field.key())
                    .map(|(_, m)| m.clone())
            })
        };
        if !self.seen.with(|s| s.contains(&field)) {
            return server();
        }
        self.errors
            .with(|e| {
                e.iter()
                    .find(|e| e.field == field)
                    .map(|e| e.message.clone())
            })
            .or_else(server)
    }

    fn see(self, field: Field) {
        if !self.seen.with_untracked(|s| s.contains(&field)) {
            self.seen.update(|s| s.push(field));
        }
    }

    /// Changes the draft through one of its fields.
    fn edit(self, field: Field, change: impl FnOnce(&mut Submission)) {
        self.draft.update(change);
        self.cleared.set(false);
        if self
            .server
            .with_untracked(|s| s.iter().any(|(k, _)| k == field.key()))
        {
            self.server.update(|s| s.retain(|(k, _)| k != field.key()));
        }
    }

    fn required(self, field: Field) -> bool {
        self.sent.with(|d| d.required(field))
    }

    /// What is wrong with fields the form does not show (the entry asked
    /// about, the client key, a key the server names that the form has no
    /// field for): each named, for the top of the form.
    fn unplaced(self) -> Vec<String> {
        let kind = self.draft.with(|d| d.kind);
        let mut found: Vec<String> = self.errors.with(|errors| {
            errors
                .iter()
                .filter(|e| !e.field.on_form(kind) && self.seen.with(|s| s.contains(&e.field)))
                .map(|e| format!("{}：{}", e.field.label(), e.message))
                .collect()
        });
        self.server.with(|server| {
            for (key, message) in server {
                match Field::from_key(key) {
                    Some(field) if field.on_form(kind) => {}
                    Some(field) => found.push(format!("{}：{message}", field.label())),
                    None => found.push(format!("“{key}”：{message}")),
                }
            }
        });
        found
    }

    /// The id of a field's element, unique on the page (two widgets in
    /// the light DOM share one document).
    fn id(self, field: Field, part: &str) -> String {
        self.prefix
            .with_value(|p| format!("{p}-{}{part}", field.key()))
    }

    /// What autofill may offer in a field, `token` where allowed.
    fn autocomplete(self, token: &'static str) -> &'static str {
        // Chrome remembers what is typed into fields with these tokens
        // and offers it to whoever uses the computer next.
        if self.shared_device {
            "off"
        } else {
            token
        }
    }
}

fn request(d: &Submission) -> &Request {
    const NONE: &Request = &Request {
        applicant: Applicant::Person,
        organisation: String::new(),
        credit_code: String::new(),
        representative: String::new(),
        id_type: None,
        id_number: String::new(),
        description: String::new(),
        document: String::new(),
        format: None,
        delivery: None,
    };
    d.request.as_ref().unwrap_or(NONE)
}

fn request_mut(d: &mut Submission) -> &mut Request {
    d.request.get_or_insert_with(draft::blank_request)
}

/// Whether anything was typed that would be missed if lost.
fn typed(d: &Submission) -> bool {
    let r = request(d);
    [
        &d.subject,
        &d.body,
        &d.name,
        &d.phone,
        &d.email,
        &d.address,
        &r.organisation,
        &r.credit_code,
        &r.representative,
        &r.id_number,
        &r.description,
        &r.document,
    ]
    .iter()
    .any(|t| !t.trim().is_empty())
}

/// The form, or the receipt once it is received.
pub fn write(widget: Widget) -> impl IntoView {
    let store = widget.store();
    let shared_device = widget.shared_device;
    let key = StoredValue::new(widget.key.clone());
    // Under these names in storage: what is typed, and the last attempt
    // until it is known to be received.
    let kept = StoredValue::new(stored(&widget.key, "draft"));
    let unheard = StoredValue::new(stored(&widget.key, "sent"));
    // A new submission, about the entry the form was opened for, if any.
    let about = StoredValue::new(widget.view.item.clone());
    let fresh = move || Submission {
        related_item: about.get_value().unwrap_or_default(),
        ..draft::blank()
    };
    let in_page = DRAFTS.with(|d| d.get(&widget.key));
    let restored = in_page
        .is_none()
        .then(|| kept.with_value(|name| store.restore(name)))
        .flatten();
    // A draft from storage comes back without its ID number, which is
    // never kept there.
    let retype = restored.is_some();
    let mut start = in_page.or(restored).unwrap_or_else(fresh);
    if let Some(item) = &widget.view.item {
        start.related_item = item.clone();
    }
    let draft = RwSignal::new(start);
    let sent = Memo::new(move |_| draft.with(Submission::as_sent));
    let form = Form {
        draft,
        sent,
        errors: Memo::new(move |_| sent.with(Submission::check)),
        seen: RwSignal::new(Vec::new()),
        server: RwSignal::new(Vec::new()),
        cleared: RwSignal::new(false),
        retype: RwSignal::new(retype),
        prefix: StoredValue::new(widget.ids.clone()),
        shared_device,
    };
    // Every change is kept in the page, and for a reload but the ID
    // number; nothing once the form is empty.
    Effect::new(move |_| {
        let (whole, keep) = draft.with(|d| (d.clone(), d.without_id_number()));
        key.with_value(|key| {
            DRAFTS.with(|d| {
                if typed(&whole) && !shared_device {
                    d.put(key, whole)
                } else {
                    drop(d.take(key))
                }
            })
        });
        kept.with_value(|name| {
            if typed(&keep) {
                store.set(name, &keep.to_json())
            } else {
                store.remove(name)
            }
        })
    });
    let phase = RwSignal::new(Phase::Editing);
    phase.set(start_phase(&widget.key, phase));
    let trap = RwSignal::new(String::new());
    let panel = NodeRef::<html::Div>::new();
    // A fresh start: nothing typed, nothing kept, nothing said about it.
    let afresh = move || {
        forget(store, &key.get_value());
        form.seen.set(Vec::new());
        form.server.set(Vec::new());
        draft.set(fresh());
        form.retype.set(false);
        trap.set(String::new());
    };
    // What an outcome changes, whenever it comes: the form starts afresh
    // once received; field errors from the server go beside their fields
    // (or at the top, for fields the form does not show); focus goes to
    // what happened, and while it is sent to the line saying so (the
    // disabled fieldset would drop it to the page).
    Effect::new(move |before: Option<Phase>| {
        let now = phase.get();
        match &now {
            Phase::Done(..) => afresh(),
            Phase::Failed(Failure::Fields(errors)) => form.server.set(errors.clone()),
            // Its key was received before with other content: sent again,
            // it is a submission of its own.
            Phase::Failed(Failure::Refused(409, _)) => {
                let key = draft::blank().client_key;
                draft.update(|d| d.client_key = key);
            }
            _ => {}
        }
        if before.is_some_and(|b| b != now) {
            match now {
                Phase::Done(..) => focus(panel, ".xxgk-form__done-heading"),
                Phase::Failed(_) => focus(panel, ".xxgk-form__alert"),
                Phase::Sending => focus(panel, ".xxgk-form__progress"),
                Phase::Editing => {}
            }
        }
        now
    });
    // The page is left: the ID number and a receipt go, and on a shared
    // device all that was typed; a send on its way is heard of no more.
    visit::on_leave(move || {
        if shared_device {
            afresh();
        } else if draft.with_untracked(|d| !request(d).id_number.is_empty()) {
            draft.update(|d| request_mut(d).id_number.clear());
            form.retype.set(true);
        }
        if phase.with_untracked(|p| *p != Phase::Editing) {
            phase.set(Phase::Editing);
        }
    });
    // On a shared device nothing outlives the form, not even the last
    // attempt, which holds the ID number.
    if shared_device {
        let key = widget.key.clone();
        on_cleanup(move || forget(store, &key));
    }
    let url = StoredValue::new(widget.api("/api/feedback"));
    // The last attempt, kept from before it is sent until it is known to
    // be received: it may have arrived unheard (a lost answer, a timeout,
    // a reload meanwhile). Sent again unchanged, it keeps its client key,
    // so the server gives its code back rather than making a second
    // record; changed, it is a new submission with a key of its own.
    // Storage holds it without the ID number: after a reload the number
    // is typed again, and the rest decides.
    let send = move || {
        if phase.with_untracked(|p| *p == Phase::Sending) {
            return;
        }
        let errors = form.errors.get_untracked();
        form.seen.set(errors.iter().map(|e| e.field).collect());
        if !errors.is_empty() {
            focus_first_error(panel);
            return;
        }
        let (key, unheard) = (key.get_value(), unheard.get_value());
        let mut sent = form.sent.get_untracked();
        let changed = match ATTEMPT.with(|a| a.get(&key)) {
            Some(before) => before != sent.to_json(),
            None => store
                .get(&unheard)
                .is_some_and(|before| before != sent.without_id_number().to_json()),
        };
        if changed {
            let fresh = draft::blank().client_key;
            draft.update(|d| d.client_key = fresh.clone());
            sent.client_key = fresh;
        }
        ATTEMPT.with(|a| a.put(&key, sent.to_json()));
        store.set(&unheard, &sent.without_id_number().to_json());
        if !shared_device {
            LATER.with(|later| later.put(&key, Phase::Sending));
        }
        phase.set(Phase::Sending);
        let body = sent.to_json_with_trap(&trap.get_untracked());
        let url = url.get_value();
        let visit = visit::current();
        leptos::task::spawn_local(async move {
            let outcome = match net::submit(url, body).await {
                Ok(received) => {
                    forget(store, &key);
                    Phase::Done(received, sent.kind)
                }
                Err(failure) => Phase::Failed(failure),
            };
            if visit != visit::current() {
                return;
            }
            // On a shared device only the form it was sent from hears of
            // it: once that is gone, its citizen may be too.
            if shared_device {
                let _ = phase.try_set(outcome);
            } else {
                deliver(&key, outcome);
            }
        });
    };
    // For the next person at a shared computer: a fresh start, with
    // nothing kept and nothing asked.
    let clear = move || {
        afresh();
        if phase.with_untracked(|p| matches!(p, Phase::Failed(_))) {
            phase.set(Phase::Editing);
        }
        form.cleared.set(true);
        focus(panel, ".xxgk-form__heading");
    };
    let widget_for_done = widget.clone();
    let body = move || match phase.get() {
        Phase::Done(received, kind) => {
            Either::Left(done(&widget_for_done, received, kind, move || {
                phase.set(Phase::Editing);
                focus(panel, ".xxgk-form__heading");
            }))
        }
        _ => Either::Right(fields(&widget, Parts { form, phase, trap }, send, clear)),
    };
    view! { <div class="xxgk-form__write" node_ref=panel>{body}</div> }
}

/// Forgets what widget `key`'s form kept: its draft and its last attempt,
/// in storage and in the page.
fn forget(store: Store, key: &str) {
    store.remove(&stored(key, "draft"));
    store.remove(&stored(key, "sent"));
    ATTEMPT.with(|a| a.take(key));
    DRAFTS.with(|d| d.take(key));
}

/// What the form's fields share, besides the widget.
#[derive(Clone, Copy)]
struct Parts {
    form: Form,
    phase: RwSignal<Phase>,
    trap: RwSignal<String>,
}

fn fields(
    widget: &Widget,
    parts: Parts,
    send: impl Fn() + 'static,
    clear: impl Fn() + 'static,
) -> impl IntoView {
    let Parts { form, phase, trap } = parts;
    let draft = form.draft;
    let is_request = move || draft.with(|d| d.kind == Kind::DisclosureRequest);
    let title = widget.title;
    let related = move || {
        let item = draft.with(|d| d.related_item.clone());
        let title = title.get();
        (!item.is_empty()).then(|| {
            let about = if title.is_empty() {
                format!("索引号 {item}")
            } else {
                format!("《{title}》（索引号 {item}）")
            };
            view! {
                <div class="xxgk-form__related">
                    <p>"关于："{about}</p>
                    <button
                        type="button"
                        class="xxgk-button"
                        on:click=move |_| form.edit(Field::RelatedItem, |d| d.related_item.clear())
                    >
                        "不针对这条信息"
                    </button>
                </div>
            }
        })
    };
    let kinds = Kind::ALL.iter().map(|k| (*k, k.label())).collect();
    view! {
        <form
            class="xxgk-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                send();
            }
        >
            <h3 class="xxgk-form__heading" tabindex="-1">"我要留言"</h3>
            <p class="xxgk-form__intro">
                "咨询、建议、投诉、求助，或依《中华人民共和国政府信息公开条例》申请公开政府信息。"
                "提交后会得到一个查询码，凭它查看办理进度和答复。标有“必填”的都要填写。"
            </p>
            // Nothing can be changed while it is being sent: what is sent
            // is what the citizen sees.
            <fieldset class="xxgk-form__all" disabled=move || phase.with(|p| *p == Phase::Sending)>
            {move || unplaced(form)}
            {related}
            {choice(form, Field::Kind, kinds, |d| Some(d.kind), |d, k| d.kind = k)}
            <p class="xxgk-form__hint" id=form.id(Field::Kind, "-hint")>{move || kind_hint(draft.with(|d| d.kind))}</p>
            {text(form, Field::Subject, Input::Line("text", "off"), "用一句话说明事由，如：东亭村路灯损坏", |d| &d.subject, |d, v| d.subject = v)}
            {text(form, Field::Body, Input::Area(6), "写清楚时间、地点、经过和您的诉求", |d| &d.body, |d, v| d.body = v)}
            {move || is_request().then(|| request_fields(form))}
            <fieldset class="xxgk-form__group">
                <legend class="xxgk-form__legend">"联系方式"</legend>
                <p class="xxgk-form__hint">"只用于答复和联系您，任何情况下都不会公开。电话、电子邮箱、通讯地址至少填一项。"</p>
                {text(form, Field::Name, Input::Line("text", "name"), "", |d| &d.name, |d, v| d.name = v)}
                {text(form, Field::Phone, Input::Line("tel", "tel"), "手机号，或带区号的固定电话，如 0563-6012345；境外号码以 + 开头，如 +852 9123 4567", |d| &d.phone, |d, v| d.phone = v)}
                {text(form, Field::Email, Input::Line("email", "email"), "选择通过电子邮件获取信息时必填", |d| &d.email, |d, v| d.email = v)}
                {text(form, Field::Address, Input::Area(2), "选择邮寄时必填", |d| &d.address, |d, v| d.address = v)}
            </fieldset>
            {consent(form)}
            {trap_field(trap)}
            {actions(phase, clear)}
            </fieldset>
            {progress(form, phase)}
        </form>
    }
}

/// What is wrong with fields the form does not show, at its top.
fn unplaced(form: Form) -> Option<impl IntoView> {
    let problems = form.unplaced();
    // size: one paragraph, not a list: a list of views of its own kind
    // would add its rendering code to the module.
    (!problems.is_empty()).then(|| {
        view! {
            <div class="xxgk-form__alert xxgk-form__unplaced" role="alert" tabindex="-1">
                <p>"以下问题不在下面的填写项中，请先处理："</p>
                <p>{problems.join(" ")}</p>
            </div>
        }
    })
}

fn consent(form: Form) -> impl IntoView {
    let draft = form.draft;
    let hint = form.prefix.with_value(|p| format!("{p}-consent-hint"));
    view! {
        <div class="xxgk-form__consent">
            <label class="xxgk-form__option">
                <input
                    type="checkbox"
                    aria-describedby=hint.clone()
                    prop:checked=move || draft.with(|d| d.consent_to_publish)
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        draft.update(|d| d.consent_to_publish = on)
                    }
                />
                "同意公开我的留言标题和答复"
            </label>
            <p class="xxgk-form__hint" id=hint>
                "勾选后，留言的标题和我们的答复会在“答复公开”中展示，方便有同样问题的人查看；"
                "您的姓名、电话、邮箱、地址、证件号码和留言正文都不会公开。不勾选，则什么都不会公开。"
            </p>
        </div>
    }
}

/// People never see this field, so never fill it in; programs that fill
/// in every field do, and their submissions are set aside for staff. Its
/// name and label mean nothing to a browser's autofill, and password
/// managers are told to leave it alone.
fn trap_field(trap: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="xxgk-form__trap" aria-hidden="true">
            <label>
                "请勿填写此项"
                <input
                    type="text"
                    name=xxgk_core::submission::TRAP_FIELD
                    tabindex="-1"
                    autocomplete="off"
                    data-lpignore="true"
                    data-1p-ignore=""
                    data-bwignore=""
                    data-form-type="other"
                    prop:value=move || trap.get()
                    on:input=move |ev| trap.set(event_target_value(&ev))
                />
            </label>
        </div>
    }
}

/// Why the last send failed, the send button and 清除已填写内容.
fn actions(phase: RwSignal<Phase>, clear: impl Fn() + 'static) -> impl IntoView {
    let button = move || match phase.get() {
        Phase::Sending => "正在提交……",
        Phase::Failed(_) => "重新提交",
        _ => "提交",
    };
    let alert = move || match phase.get() {
        Phase::Failed(failure) => Some(view! {
            <p class="xxgk-form__alert" role="alert" tabindex="-1">{failure.message()}</p>
        }),
        _ => None,
    };
    view! {
        {alert}
        <div class="xxgk-form__actions">
            <button
                type="submit"
                class="xxgk-button xxgk-form__submit"
                disabled=move || phase.with(|p| *p == Phase::Sending)
            >
                {button}
            </button>
            <button type="button" class="xxgk-button" on:click=move |_| clear()>
                "清除已填写内容"
            </button>
        </div>
    }
}

/// What the form is doing that a screen reader should hear: being sent
/// (focus waits here meanwhile, outside the disabled fieldset, which
/// would drop it to the page), or just cleared.
fn progress(form: Form, phase: RwSignal<Phase>) -> impl IntoView {
    let said = move || {
        if phase.with(|p| *p == Phase::Sending) {
            Some("正在提交……")
        } else {
            form.cleared
                .get()
                .then_some("已清除填写的内容，可以重新填写。")
        }
    };
    view! { <p class="xxgk-form__hint xxgk-form__progress" role="status" tabindex="-1">{said}</p> }
}

fn kind_hint(kind: Kind) -> &'static str {
    match kind {
        Kind::Consultation => "咨询：询问政策规定、办事流程等。",
        Kind::Suggestion => "建议：对政府工作提出意见和建议。",
        Kind::Complaint => "投诉：反映工作人员或部门的问题，或身边需要解决的问题。",
        Kind::Help => "求助：遇到困难，请求帮助。",
        Kind::DisclosureRequest => {
            "申请公开：申请获取尚未主动公开的政府信息。依条例需提供身份证件、所需信息的描述和获取方式，一般在 20 个工作日内答复。"
        }
    }
}

fn request_fields(form: Form) -> impl IntoView {
    let applicants = Applicant::ALL.iter().map(|a| (*a, a.label())).collect();
    let organisation = move || form.draft.with(|d| request(d).applicant.is_organisation());
    // A person shows an identity document; an organisation gives its
    // name, its code and who answers for it, and its contact person
    // writes below.
    let who = move || {
        if organisation() {
            Either::Left(view! {
                {text(form, Field::Organisation, Input::Line("text", "organization"), "与营业执照或登记证书上的名称一致", |d| &request(d).organisation, |d, v| request_mut(d).organisation = v)}
                {text(form, Field::CreditCode, Input::Line("text", "off"), "18 位，见营业执照或登记证书，如 91341822MA2N12345W", |d| &request(d).credit_code, |d, v| request_mut(d).credit_code = v)}
                {text(form, Field::Representative, Input::Line("text", "off"), "", |d| &request(d).representative, |d, v| request_mut(d).representative = v)}
                <p class="xxgk-form__hint">"经办联系人的姓名和联系方式请填在下面的“联系方式”中。"</p>
            })
        } else {
            Either::Right(view! {
                {choice(form, Field::IdType, IdType::ALL.iter().map(|t| (*t, t.label())).collect(), |d| request(d).id_type, |d, t| request_mut(d).id_type = Some(t))}
                {text(form, Field::IdNumber, Input::Line("text", "off"), "居民身份证为 18 位，最后一位可能是 X", |d| &request(d).id_number, |d, v| request_mut(d).id_number = v)}
            })
        }
    };
    let formats = [Format::Paper, Format::Electronic]
        .map(|f| (f, f.label()))
        .to_vec();
    let deliveries = [Delivery::Post, Delivery::Email, Delivery::Collect]
        .map(|d| (d, d.label()))
        .to_vec();
    view! {
        <fieldset class="xxgk-form__group">
            <legend class="xxgk-form__legend">"申请人"</legend>
            {choice(form, Field::Applicant, applicants, |d| Some(request(d).applicant), |d, a| request_mut(d).applicant = a)}
            {who}
        </fieldset>
        <fieldset class="xxgk-form__group">
            <legend class="xxgk-form__legend">"申请公开的信息"</legend>
            {text(form, Field::Description, Input::Area(4), "写明所需信息的内容，越具体越便于查找", |d| &request(d).description, |d, v| request_mut(d).description = v)}
            {text(form, Field::Document, Input::Line("text", "off"), "知道的话请填写，如：东政〔2017〕6号", |d| &request(d).document, |d, v| request_mut(d).document = v)}
            {choice(form, Field::Format, formats, |d| request(d).format, |d, f| request_mut(d).format = Some(f))}
            {choice(form, Field::Delivery, deliveries, |d| request(d).delivery, |d, v| request_mut(d).delivery = Some(v))}
        </fieldset>
    }
}

/// How a text field is typed in.
#[derive(Clone, Copy)]
enum Input {
    /// One line, with its type and autocomplete token.
    Line(&'static str, &'static str),
    /// Several lines, this many rows high.
    Area(u32),
}

/// The label, with whether it must be filled in.
fn label(form: Form, field: Field) -> impl IntoView {
    view! {
        {field.label()}
        <span class="xxgk-form__required">
            {move || if form.required(field) { "（必填）" } else { "（选填）" }}
        </span>
    }
}

/// The error beside a field, if it shows.
fn error(form: Form, field: Field) -> impl IntoView {
    view! { <p class="xxgk-form__error" id={form.id(field, "-error")}>{move || form.error(field)}</p> }
}

fn text(
    form: Form,
    field: Field,
    input: Input,
    hint: &'static str,
    get: fn(&Submission) -> &String,
    set: fn(&mut Submission, String),
) -> impl IntoView {
    let draft = form.draft;
    let id = form.id(field, "");
    let described = format!("{} {}", form.id(field, "-hint"), form.id(field, "-error"));
    let (least, most) = limits(field);
    let length = if least > 1 {
        format!("（{least}–{most} 字")
    } else {
        format!("（最多 {most} 字")
    };
    let count = move || {
        let n = draft.with(|d| get(d).trim().chars().count());
        (n > 0).then(|| format!("，已输入 {n} 字"))
    };
    // A draft from storage comes back without the ID number.
    let again = move || {
        (field == Field::IdNumber && form.retype.get() && draft.with(|d| get(d).is_empty()))
            .then_some("。为保护您的个人信息，证件号码不保存在浏览器中，刷新或离开页面后请重新填写")
    };
    let value = move || draft.with(|d| get(d).clone());
    let typed = move |ev: web_sys::Event| form.edit(field, |d| set(d, event_target_value(&ev)));
    let invalid = move || form.error(field).is_some().to_string();
    let required = move || form.required(field).to_string();
    let control = match input {
        Input::Line(kind, autocomplete) => Either::Left(view! {
            <input
                id=id.clone()
                class="xxgk-form__input"
                type=kind
                autocomplete=form.autocomplete(autocomplete)
                aria-describedby=described.clone()
                aria-invalid=invalid
                aria-required=required
                prop:value=value
                on:input=typed
                on:blur=move |_| form.see(field)
            />
        }),
        Input::Area(rows) => Either::Right(view! {
            <textarea
                id=id.clone()
                class="xxgk-form__input"
                rows=rows
                autocomplete=form.shared_device.then_some("off")
                aria-describedby=described.clone()
                aria-invalid=invalid
                aria-required=required
                prop:value=value
                on:input=typed
                on:blur=move |_| form.see(field)
            ></textarea>
        }),
    };
    view! {
        <div
            class="xxgk-form__field"
            class:xxgk-form__field--error=move || form.error(field).is_some()
            data-field=field.key()
        >
            <label class="xxgk-form__label" for=id>{label(form, field)}</label>
            <p class="xxgk-form__hint" id={form.id(field, "-hint")}>{hint}{again}{length}{count}"）"</p>
            {control}
            {error(form, field)}
        </div>
    }
}

fn choice<T: Copy + PartialEq + Send + Sync + 'static>(
    form: Form,
    field: Field,
    options: Vec<(T, &'static str)>,
    get: fn(&Submission) -> Option<T>,
    set: fn(&mut Submission, T),
) -> impl IntoView {
    let draft = form.draft;
    let name = form.id(field, "");
    // The kind has its hint below the options.
    let described = match field {
        Field::Kind => format!("{} {}", form.id(field, "-hint"), form.id(field, "-error")),
        _ => form.id(field, "-error"),
    };
    let options: Vec<_> = options
        .into_iter()
        .map(|(value, text)| {
            view! {
                <label class="xxgk-form__option">
                    <input
                        type="radio"
                        name=name.clone()
                        prop:checked=move || draft.with(|d| get(d) == Some(value))
                        on:change=move |_| {
                            form.edit(field, |d| set(d, value));
                            form.see(field);
                        }
                    />
                    {text}
                </label>
            }
        })
        .collect();
    view! {
        <fieldset
            class="xxgk-form__field xxgk-form__choices"
            class:xxgk-form__field--error=move || form.error(field).is_some()
            data-field=field.key()
            role="radiogroup"
            aria-required=move || form.required(field).to_string()
            aria-invalid=move || form.error(field).is_some().to_string()
            aria-describedby=described
        >
            <legend class="xxgk-form__label">{label(form, field)}</legend>
            <div class="xxgk-form__options">{options}</div>
            {error(form, field)}
        </fieldset>
    }
}

/// Moves focus to the element matching `selector` in the panel once it is
/// on screen.
fn focus(panel: NodeRef<html::Div>, selector: &'static str) {
    request_animation_frame(move || {
        if let Some(Ok(Some(found))) = panel
            .try_get_untracked()
            .flatten()
            .map(|p| p.query_selector(selector))
        {
            let _ = found.unchecked_into::<HtmlElement>().focus();
        }
    });
}

/// Moves focus to the first error on screen: the problems of fields the
/// form does not show (at its top), or the control of the first field
/// whose error shows.
fn focus_first_error(panel: NodeRef<html::Div>) {
    focus(
        panel,
        ".xxgk-form__unplaced, .xxgk-form__field--error input, .xxgk-form__field--error select, .xxgk-form__field--error textarea",
    );
}

/// The receipt: the lookup code, large, with a copy button.
fn done(
    widget: &Widget,
    received: Received,
    kind: Kind,
    again: impl Fn() + 'static,
) -> impl IntoView {
    let copied = RwSignal::new(None::<bool>);
    let code = received.code.clone();
    let copy = move |_| {
        let code = code.clone();
        leptos::task::spawn_local(async move {
            let clipboard = window().navigator().clipboard();
            let ok = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&code))
                .await
                .is_ok();
            copied.set(Some(ok));
        });
    };
    let heading = if received.again {
        format!("这份{}此前已经收到", kind.noun())
    } else {
        format!("已收到您的{}", kind.noun())
    };
    let copied = move || match copied.get() {
        None => EitherOf3::A(()),
        Some(true) => EitherOf3::B("已复制。"),
        Some(false) => EitherOf3::C("没能自动复制，请手动抄下查询码。"),
    };
    view! {
        <div class="xxgk-form__done">
            <h3 class="xxgk-form__done-heading" tabindex="-1">{heading}</h3>
            <p>"您的查询码是："</p>
            <p class="xxgk-form__code">{received.code.clone()}</p>
            <p>
                <button type="button" class="xxgk-button" on:click=copy>"复制查询码"</button>
                " "
                <span role="status">{copied}</span>
            </p>
            <p class="xxgk-form__hint">
                "请抄下或保存查询码，凭它在“查询办理结果”中查看办理进度和答复。"
                "工作人员不会向您索要查询码。"
            </p>
            <p class="xxgk-form__actions">
                <a class="xxgk-button" use:leads=(widget.clone(), Panel::Check)>"查询办理结果"</a>
                <button type="button" class="xxgk-button" on:click=move |_| again()>"再写一条"</button>
            </p>
        </div>
    }
}
