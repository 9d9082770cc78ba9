//! The form for feedback and disclosure requests.
//!
//! Every field shows its label, whether it is required, a hint and its
//! length before anything is typed; its error appears beside it once the
//! citizen leaves it, and on every field at the first attempt to send,
//! with focus moved to the first. The rules are
//! `xxgk_core::submission`, which the server runs too.

use crate::draft;
use crate::i18n::{fill, strings, Strings};
use crate::net::{Failure, Received};
use crate::outbox::{Outbox, Phase};
use crate::widget::{focus, leads, Widget};
use leptos::either::{Either, EitherOf3};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use xxgk_core::submission::{
    limits, Applicant, Delivery, Field, FieldError, Format, IdType, Kind, Request, Submission,
};
use xxgk_core::{Lang, Panel};

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
    /// The widget's language.
    lang: RwSignal<Lang>,
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
    /// The form's words in the widget's language.
    fn words(self) -> &'static Strings {
        strings(self.lang.get())
    }

    /// What the server said of a field. Its words are simplified Chinese:
    /// in another language the form says in its own that the field was
    /// not accepted (the answer names the field, not the rule).
    fn server_says(self, message: &str) -> String {
        match self.lang.get() {
            Lang::Zh => message.to_owned(),
            _ => self.words().not_accepted.to_owned(),
        }
    }

    fn error(self, field: Field) -> Option<String> {
        let server = move || {
            self.server.with(|s| {
                s.iter()
                    .find(|(k, _)| k == field.key())
                    .map(|(_, m)| self.server_says(m))
            })
        };
        if !self.seen.with(|s| s.contains(&field)) {
            return server();
        }
        self.errors
            .with(|e| {
                e.iter()
                    .find(|e| e.field == field)
                    .map(|e| self.words().problem(e))
            })
            .or_else(server)
    }

    /// Marks a field as left (its error shows from then on). A field that
    /// had focus when the form was taken off the page (another panel
    /// opened from the keyboard, the browser's Back) is left after the
    /// form's signals are gone: nothing is marked then.
    fn see(self, field: Field) {
        if self.seen.try_with_untracked(|s| !s.contains(&field)) == Some(true) {
            self.seen.try_update(|s| s.push(field));
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
        let words = self.words();
        let named = |label: &str, problem: &str| {
            fill(
                words.field_problem,
                &[("label", label), ("problem", problem)],
            )
        };
        let mut found: Vec<String> = self.errors.with(|errors| {
            errors
                .iter()
                .filter(|e| !e.field.on_form(kind) && self.seen.with(|s| s.contains(&e.field)))
                .map(|e| named(words.field(e.field), &words.problem(e)))
                .collect()
        });
        self.server.with(|server| {
            for (key, message) in server {
                let said = self.server_says(message);
                match Field::from_key(key) {
                    Some(field) if field.on_form(kind) => {}
                    Some(field) => found.push(named(words.field(field), &said)),
                    None => found.push(named(&fill(words.unknown_field, &[("key", key)]), &said)),
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

/// Where focus goes as the form changes: what is wrong, the line that
/// says it is being sent, the fields.
#[derive(Clone, Copy)]
struct Spots {
    /// Why the last send failed.
    alert: NodeRef<html::P>,
    /// 正在提交…… (focus waits there, outside the disabled fieldset, which
    /// would drop it to the page).
    progress: NodeRef<html::P>,
    /// What is wrong with fields the form does not show, at its top.
    unplaced: NodeRef<html::Div>,
    /// The form, whose fields say which of them are invalid.
    form: NodeRef<html::Form>,
}

/// The element of `spot`, if it is on screen.
fn on_screen<E>(spot: NodeRef<E>) -> Option<HtmlElement>
where
    E: html::ElementType,
    E::Output: JsCast + Clone + 'static,
{
    spot.try_get_untracked()
        .flatten()
        .map(|e| e.unchecked_into::<HtmlElement>())
        .filter(|e| e.is_connected())
}

impl Spots {
    /// Moves focus to what is wrong once it is on screen: the problems of
    /// fields the form does not show (at its top), else, after a failed
    /// send, why it failed, else the first field whose error shows (in a
    /// group of options, its first option).
    fn focus_problem(self, failed: bool) {
        request_animation_frame(move || {
            let first_invalid = || {
                let form = on_screen(self.form)?;
                let invalid = form.query_selector("[aria-invalid=true]").ok()??;
                match invalid.local_name().as_str() {
                    "fieldset" => invalid.query_selector("input").ok()?,
                    _ => Some(invalid),
                }
                .map(|e| e.unchecked_into::<HtmlElement>())
            };
            let target = on_screen(self.unplaced).or_else(|| {
                if failed {
                    on_screen(self.alert)
                } else {
                    first_invalid()
                }
            });
            if let Some(target) = target {
                let _ = target.focus();
            }
        });
    }
}

/// The form, or the receipt once it is received. What is typed and the
/// send on its way are the widget's (`outbox`); what the form says of
/// them is its own.
pub fn write(widget: Widget, outbox: Outbox) -> impl IntoView {
    let draft = outbox.draft;
    // Opened for an entry, the form is about it.
    if let Some(item) = widget.view.with_untracked(|v| v.item.clone()) {
        if draft.with_untracked(|d| d.related_item != item) {
            draft.update(|d| d.related_item = item);
        }
    }
    let sent = Memo::new(move |_| draft.with(Submission::as_sent));
    let form = Form {
        draft,
        sent,
        errors: Memo::new(move |_| sent.with(Submission::check)),
        seen: RwSignal::new(Vec::new()),
        server: RwSignal::new(Vec::new()),
        lang: widget.lang,
        cleared: RwSignal::new(false),
        retype: outbox.retype,
        prefix: StoredValue::new(widget.ids()),
        shared_device: widget.shared_device,
    };
    let phase = outbox.phase;
    let spots = Spots {
        alert: NodeRef::new(),
        progress: NodeRef::new(),
        unplaced: NodeRef::new(),
        form: NodeRef::new(),
    };
    // What an outcome changes on the form, whenever it comes: received, it
    // says nothing more of the last one; field errors from the server go
    // beside their fields (or at the top, for fields the form does not
    // show). Focus goes to what happened.
    Effect::new(move |before: Option<Phase>| {
        let now = phase.get();
        match &now {
            Phase::Done(..) => {
                form.seen.set(Vec::new());
                form.server.set(Vec::new());
            }
            Phase::Failed(Failure::Fields(errors)) => form.server.set(errors.clone()),
            _ => {}
        }
        if before.is_some_and(|b| b != now) {
            match now {
                Phase::Done(..) => focus(widget.heading),
                Phase::Failed(_) => spots.focus_problem(true),
                Phase::Sending => focus(spots.progress),
                Phase::Editing => {}
            }
        }
        now
    });
    on_cleanup(move || outbox.form_left());
    let send = move || {
        let errors = form.errors.get_untracked();
        form.seen.set(errors.iter().map(|e| e.field).collect());
        if errors.is_empty() {
            outbox.send(form.sent.get_untracked());
        } else {
            spots.focus_problem(false);
        }
    };
    // For the next person at a shared computer: a fresh start, with
    // nothing kept and nothing asked.
    let clear = move || {
        outbox.afresh();
        form.seen.set(Vec::new());
        form.server.set(Vec::new());
        if phase.with_untracked(|p| matches!(p, Phase::Failed(_))) {
            outbox.edit();
        }
        form.cleared.set(true);
        focus(widget.heading);
    };
    let done = Memo::new(move |_| match phase.get() {
        Phase::Done(received, kind) => Some((received, kind)),
        _ => None,
    });
    let body = move || match done.get() {
        Some((received, kind)) => Either::Left(self::done(widget, received, kind, move || {
            outbox.edit();
            focus(widget.heading);
        })),
        None => Either::Right(fields(
            widget,
            Parts {
                form,
                phase,
                trap: outbox.trap,
                spots,
            },
            send,
            clear,
        )),
    };
    view! { <div class="xxgk-form__write">{body}</div> }
}

/// What the form's fields share, besides the widget.
#[derive(Clone, Copy)]
struct Parts {
    form: Form,
    phase: RwSignal<Phase>,
    trap: RwSignal<String>,
    spots: Spots,
}

fn fields(
    widget: Widget,
    parts: Parts,
    send: impl Fn() + 'static,
    clear: impl Fn() + 'static,
) -> impl IntoView {
    let Parts {
        form,
        phase,
        trap,
        spots,
    } = parts;
    let draft = form.draft;
    let is_request = move || draft.with(|d| d.kind == Kind::DisclosureRequest);
    let title = widget.title;
    let related = move || {
        let item = draft.with(|d| d.related_item.clone());
        (!item.is_empty()).then(|| {
            let about = move || {
                let words = form.words();
                let title = title.get();
                if title.is_empty() {
                    fill(words.about_untitled, &[("item", &item)])
                } else {
                    fill(words.about_titled, &[("title", &title), ("item", &item)])
                }
            };
            view! {
                <div class="xxgk-form__related">
                    <p>{move || form.words().about}{about}</p>
                    <button
                        type="button"
                        class="xxgk-button"
                        on:click=move |_| form.edit(Field::RelatedItem, |d| d.related_item.clear())
                    >
                        {move || form.words().not_about}
                    </button>
                </div>
            }
        })
    };
    let words = move || form.words();
    view! {
        <form
            class="xxgk-form"
            novalidate
            node_ref=spots.form
            on:submit=move |ev| {
                ev.prevent_default();
                send();
            }
        >
            <h3 class="xxgk-form__heading" tabindex="-1" node_ref=widget.heading>{move || words().write}</h3>
            <p class="xxgk-form__intro">{move || words().intro.concat()}</p>
            // Nothing can be changed while it is being sent: what is sent
            // is what the citizen sees.
            <fieldset class="xxgk-form__all" disabled=move || phase.with(|p| *p == Phase::Sending)>
            {move || unplaced(form, spots.unplaced)}
            {related}
            {choice(form, Field::Kind, Kind::ALL.to_vec(), Strings::kind, |d| Some(d.kind), |d, k| d.kind = k)}
            <p class="xxgk-form__hint" id=form.id(Field::Kind, "-hint")>{move || words().kind_hint(draft.with(|d| d.kind))}</p>
            {text(form, Field::Subject, Input::Line("text", "off"), |w| w.hint_subject, |d| &d.subject, |d, v| d.subject = v)}
            {text(form, Field::Body, Input::Area(6), |w| w.hint_body, |d| &d.body, |d, v| d.body = v)}
            {move || is_request().then(|| request_fields(form))}
            <fieldset class="xxgk-form__group">
                <legend class="xxgk-form__legend">{move || words().contact}</legend>
                <p class="xxgk-form__hint">{move || words().contact_hint}</p>
                {text(form, Field::Name, Input::Line("text", "name"), |_| "", |d| &d.name, |d, v| d.name = v)}
                {text(form, Field::Phone, Input::Line("tel", "tel"), |w| w.hint_phone, |d| &d.phone, |d, v| d.phone = v)}
                {text(form, Field::Email, Input::Line("email", "email"), |w| w.hint_email, |d| &d.email, |d, v| d.email = v)}
                {text(form, Field::Address, Input::Area(2), |w| w.hint_address, |d| &d.address, |d, v| d.address = v)}
            </fieldset>
            {consent(form)}
            {trap_field(form, trap)}
            {actions(form, phase, spots.alert, clear)}
            </fieldset>
            {progress(form, phase, spots.progress)}
        </form>
    }
}

/// What is wrong with fields the form does not show, at its top.
fn unplaced(form: Form, spot: NodeRef<html::Div>) -> Option<impl IntoView> {
    let problems = form.unplaced();
    // size: one paragraph, not a list: a list of views of its own kind
    // would add its rendering code to the module.
    (!problems.is_empty()).then(|| {
        view! {
            <div class="xxgk-form__alert xxgk-form__unplaced" role="alert" tabindex="-1" node_ref=spot>
                <p>{form.words().unplaced}</p>
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
                {move || form.words().consent}
            </label>
            <p class="xxgk-form__hint" id=hint>{move || form.words().consent_hint.concat()}</p>
        </div>
    }
}

/// People never see this field, so never fill it in; programs that fill
/// in every field do, and their submissions are set aside for staff. Its
/// name and label mean nothing to a browser's autofill, and password
/// managers are told to leave it alone.
fn trap_field(form: Form, trap: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="xxgk-form__trap" aria-hidden="true">
            <label>
                {move || form.words().trap}
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
fn actions(
    form: Form,
    phase: RwSignal<Phase>,
    spot: NodeRef<html::P>,
    clear: impl Fn() + 'static,
) -> impl IntoView {
    let button = move || {
        let words = form.words();
        match phase.get() {
            Phase::Sending => words.sending,
            Phase::Failed(_) => words.send_again,
            _ => words.send,
        }
    };
    // The alert is drawn once per failure (focus goes to it); only its
    // words follow the language.
    let failure = Memo::new(move |_| match phase.get() {
        Phase::Failed(failure) => Some(failure),
        _ => None,
    });
    let alert = move || {
        failure.get().map(|failure| {
            let said = move || failure.message(form.words());
            view! {
                <p class="xxgk-form__alert" role="alert" tabindex="-1" node_ref=spot>{said}</p>
            }
        })
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
                {move || form.words().clear}
            </button>
        </div>
    }
}

/// What the form is doing that a screen reader should hear: being sent
/// (focus waits here meanwhile, outside the disabled fieldset, which
/// would drop it to the page), or just cleared.
fn progress(form: Form, phase: RwSignal<Phase>, spot: NodeRef<html::P>) -> impl IntoView {
    let said = move || {
        let words = form.words();
        if phase.with(|p| *p == Phase::Sending) {
            Some(words.sending)
        } else {
            form.cleared.get().then_some(words.cleared)
        }
    };
    view! { <p class="xxgk-form__hint xxgk-form__progress" role="status" tabindex="-1" node_ref=spot>{said}</p> }
}

fn request_fields(form: Form) -> impl IntoView {
    let organisation = move || form.draft.with(|d| request(d).applicant.is_organisation());
    // A person shows an identity document; an organisation gives its
    // name, its code and who answers for it, and its contact person
    // writes below.
    let who = move || {
        if organisation() {
            Either::Left(view! {
                {text(form, Field::Organisation, Input::Line("text", "organization"), |w| w.hint_organisation, |d| &request(d).organisation, |d, v| request_mut(d).organisation = v)}
                {text(form, Field::CreditCode, Input::Line("text", "off"), |w| w.hint_credit_code, |d| &request(d).credit_code, |d, v| request_mut(d).credit_code = v)}
                {text(form, Field::Representative, Input::Line("text", "off"), |_| "", |d| &request(d).representative, |d, v| request_mut(d).representative = v)}
                <p class="xxgk-form__hint">{move || form.words().contact_person}</p>
            })
        } else {
            Either::Right(view! {
                {choice(form, Field::IdType, IdType::ALL.to_vec(), Strings::id_type, |d| request(d).id_type, |d, t| request_mut(d).id_type = Some(t))}
                {text(form, Field::IdNumber, Input::Line("text", "off"), |w| w.hint_id_number, |d| &request(d).id_number, |d, v| request_mut(d).id_number = v)}
            })
        }
    };
    let formats = vec![Format::Paper, Format::Electronic];
    let deliveries = vec![Delivery::Post, Delivery::Email, Delivery::Collect];
    view! {
        <fieldset class="xxgk-form__group">
            <legend class="xxgk-form__legend">{move || form.words().applicant}</legend>
            {choice(form, Field::Applicant, Applicant::ALL.to_vec(), Strings::applicant, |d| Some(request(d).applicant), |d, a| request_mut(d).applicant = a)}
            {who}
        </fieldset>
        <fieldset class="xxgk-form__group">
            <legend class="xxgk-form__legend">{move || form.words().information}</legend>
            {text(form, Field::Description, Input::Area(4), |w| w.hint_description, |d| &request(d).description, |d, v| request_mut(d).description = v)}
            {text(form, Field::Document, Input::Line("text", "off"), |w| w.hint_document, |d| &request(d).document, |d, v| request_mut(d).document = v)}
            {choice(form, Field::Format, formats, Strings::format, |d| request(d).format, |d, f| request_mut(d).format = Some(f))}
            {choice(form, Field::Delivery, deliveries, Strings::delivery, |d| request(d).delivery, |d, v| request_mut(d).delivery = Some(v))}
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

/// One of the form's texts, picked from the language's table.
type Words = fn(&'static Strings) -> &'static str;

/// The label, with whether it must be filled in.
fn label(form: Form, field: Field) -> impl IntoView {
    let words = move || form.words();
    view! {
        {move || words().field(field)}
        <span class="xxgk-form__required">
            {move || if form.required(field) { words().required } else { words().optional }}
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
    hint: Words,
    get: fn(&Submission) -> &String,
    set: fn(&mut Submission, String),
) -> impl IntoView {
    let draft = form.draft;
    let id = form.id(field, "");
    let described = format!("{} {}", form.id(field, "-hint"), form.id(field, "-error"));
    let (least, most) = limits(field);
    let words = move || form.words();
    let length = move || {
        let words = words();
        let most = words.number(most as u64);
        if least > 1 {
            let least = words.number(least as u64);
            fill(words.length_range, &[("least", &least), ("most", &most)])
        } else {
            fill(words.length_most, &[("most", &most)])
        }
    };
    let count = move || {
        let n = draft.with(|d| get(d).trim().chars().count());
        (n > 0).then(|| fill(words().length_typed, &[("n", &words().number(n as u64))]))
    };
    // A draft from storage comes back without the ID number.
    let again = move || {
        (field == Field::IdNumber && form.retype.get() && draft.with(|d| get(d).is_empty()))
            .then(|| words().retype)
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
            <p class="xxgk-form__hint" id={form.id(field, "-hint")}>
                {move || hint(words())}{again}{length}{count}{move || words().length_end}
            </p>
            {control}
            {error(form, field)}
        </div>
    }
}

fn choice<T: Copy + PartialEq + Send + Sync + 'static>(
    form: Form,
    field: Field,
    options: Vec<T>,
    name_of: fn(&'static Strings, T) -> &'static str,
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
        .map(|value| {
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
                    {move || name_of(form.words(), value)}
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

/// The receipt: the lookup code, large, with a copy button.
fn done(
    widget: Widget,
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
            let _ = copied.try_set(Some(ok));
        });
    };
    let words = move || widget.words();
    let heading = move || {
        let words = words();
        let template = if received.again {
            words.received_before
        } else {
            words.received
        };
        fill(template, &[("noun", words.kind_noun(kind))])
    };
    let copied = move || match copied.get() {
        None => EitherOf3::A(()),
        Some(true) => EitherOf3::B(words().copied),
        Some(false) => EitherOf3::C(words().copy_failed),
    };
    view! {
        <div class="xxgk-form__done">
            <h3 class="xxgk-form__done-heading" tabindex="-1" node_ref=widget.heading>{heading}</h3>
            <p>{move || words().your_code}</p>
            <p class="xxgk-form__code">{received.code.clone()}</p>
            <p>
                <button type="button" class="xxgk-button" on:click=copy>{move || words().copy}</button>
                " "
                <span role="status">{copied}</span>
            </p>
            <p class="xxgk-form__hint">{move || words().keep_code.concat()}</p>
            <p class="xxgk-form__actions">
                <a class="xxgk-button" use:leads=(widget, Panel::Check)>{move || words().check}</a>
                <button type="button" class="xxgk-button" on:click=move |_| again()>{move || words().write_again}</button>
            </p>
        </div>
    }
}
