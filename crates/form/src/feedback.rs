//! One widget's feedback panels: a root that lives as long as the page,
//! drawn in the place the loader (`src/loader.js`) makes for it in the
//! widget, and told by the loader whenever the widget's view changes.
//! The panel on screen, the language and the title of the entry a
//! question is about are signals; the submission on its way ([`Outbox`]) belongs to the
//! root and is handed to the form, so nothing is lost between panels.

use crate::i18n::Strings;
use crate::outbox::Outbox;
use crate::widget::{focus, leads, Widget};
use leptos::either::EitherOf4;
use leptos::prelude::*;
use std::any::Any;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, MutationObserver, MutationObserverInit};
use xxgk_core::Panel;

/// The panels' own stylesheet, put beside them in the widget (its shadow
/// root or the page); the widget's stylesheet is already there.
const STYLE: &str = include_str!("../style.css");

/// The feedback panels of one widget, kept by the loader for as long as
/// the page.
#[wasm_bindgen]
pub struct Feedback {
    widget: Widget,
    /// The widget's root element, whose `lang` is the widget's language.
    root: HtmlElement,
    /// The drawn panels; dropping it would take them down.
    _mounted: Box<dyn Any>,
    /// What tells the panels of a new `lang` on the root.
    _lang: Option<LangObserver>,
}

/// Watches the widget's root for a new `lang`, whoever sets it, and
/// tells the panels, which follow at once: they do not depend on being
/// told in time by the widget ([`Feedback::show`]).
struct LangObserver {
    observer: MutationObserver,
    _changed: Closure<dyn FnMut()>,
}

impl LangObserver {
    fn new(widget: Widget, root: &HtmlElement) -> Option<LangObserver> {
        let changed = Closure::<dyn FnMut()>::new({
            let root = root.clone();
            move || widget.follow_lang(&root)
        });
        let observer = MutationObserver::new(changed.as_ref().unchecked_ref()).ok()?;
        let options = MutationObserverInit::new();
        options.set_attributes(true);
        options.set_attribute_filter(&js_sys::Array::of1(&"lang".into()));
        observer.observe_with_options(root, &options).ok()?;
        Some(LangObserver {
            observer,
            _changed: changed,
        })
    }
}

impl Drop for LangObserver {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

#[wasm_bindgen]
impl Feedback {
    /// The panels of the widget with `key` whose root element is `root`,
    /// drawn in `host` (emptied first; it may be off the page for now),
    /// sending to the feedback server `endpoint` (`data-feedback`).
    #[wasm_bindgen(constructor)]
    pub fn new(host: HtmlElement, root: HtmlElement, endpoint: String, key: String) -> Feedback {
        host.set_text_content(None);
        if let Ok(style) = document().create_element("style") {
            style.set_text_content(Some(STYLE));
            let _ = host.append_child(&style);
        }
        let made = std::rc::Rc::new(std::cell::Cell::new(None));
        let mounted = leptos::mount::mount_to(host.clone(), {
            let made = made.clone();
            let root = root.clone();
            move || {
                let widget = Widget::new(&root, endpoint, key);
                made.set(Some(widget));
                panels(widget, Outbox::new(widget))
            }
        });
        let widget = made.take().expect("the panels are drawn at once");
        Feedback {
            _lang: LangObserver::new(widget, &root),
            widget,
            root,
            _mounted: Box::new(mounted),
        }
    }

    /// The widget's view changed (the URL hash, which names the panel and
    /// the entry a question is about), its language changed, or the
    /// entry's title came with the catalogue. The catalogue's view shows
    /// no panel. A panel on screen stays, with what was typed in it, and
    /// only its words change with the language.
    pub fn show(&self, title: String) {
        self.widget.follow_hash();
        self.widget.follow_lang(&self.root);
        if self.widget.title.with_untracked(|t| *t != title) {
            self.widget.title.set(title);
        }
    }
}

/// The links between the panels and back to the catalogue, and the panel
/// the view names.
fn panels(widget: Widget, outbox: Outbox) -> impl IntoView {
    let panel = Memo::new(move |_| widget.view.with(|v| v.panel));
    // What must not outlive the visit goes when the page is left.
    let _ = window_event_listener_untyped("pagehide", move |_| {
        widget.left();
        outbox.page_left();
    });
    // Keyboard and screen reader go to each panel's heading as it opens.
    Effect::new(move |_| {
        if panel.get() != Panel::Catalogue {
            focus(widget.heading);
        }
    });
    let tabs: Vec<_> = [Panel::Catalogue, Panel::Write, Panel::Check, Panel::Replies]
        .into_iter()
        .map(|to| {
            let here = move || (panel.get() == to).then_some("page");
            let label = move || tab(widget.words(), to);
            view! { <a class="xxgk-form__tab" aria-current=here use:leads=(widget, to)>{label}</a> }
        })
        .collect();
    let body = move || match panel.get() {
        Panel::Catalogue => EitherOf4::A(()),
        Panel::Check => EitherOf4::B(crate::check::check(widget)),
        Panel::Replies => EitherOf4::C(crate::replies::replies(widget)),
        Panel::Write => EitherOf4::D(crate::write::write(widget, outbox)),
    };
    view! {
        <nav class="xxgk-form__tabs" aria-label=move || widget.words().tabs>{tabs}</nav>
        {body}
    }
}

/// The name of a panel's tab, and of its heading.
pub fn tab(words: &'static Strings, panel: Panel) -> &'static str {
    match panel {
        Panel::Catalogue => words.back,
        Panel::Write => words.write,
        Panel::Check => words.check,
        Panel::Replies => words.replies,
    }
}
