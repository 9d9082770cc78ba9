//! One widget's feedback panels: a root that lives as long as the page,
//! drawn in the place the loader (`src/loader.js`) makes for it in the
//! widget, and told by the loader whenever the widget's view changes.
//! The panel on screen and the title of the entry a question is about
//! are signals; the submission on its way ([`Outbox`]) belongs to the
//! root and is handed to the form, so nothing is lost between panels.

use crate::outbox::Outbox;
use crate::widget::{focus, leads, Widget};
use leptos::either::EitherOf4;
use leptos::prelude::*;
use std::any::Any;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;
use xxgk_core::Panel;

/// The panels' own stylesheet, put beside them in the widget (its shadow
/// root or the page); the widget's stylesheet is already there.
const STYLE: &str = include_str!("../style.css");

/// The feedback panels of one widget, kept by the loader for as long as
/// the page.
#[wasm_bindgen]
pub struct Feedback {
    widget: Widget,
    /// The drawn panels; dropping it would take them down.
    _mounted: Box<dyn Any>,
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
            move || {
                let widget = Widget::new(&root, endpoint, key);
                made.set(Some(widget));
                panels(widget, Outbox::new(widget))
            }
        });
        Feedback {
            widget: made.take().expect("the panels are drawn at once"),
            _mounted: Box::new(mounted),
        }
    }

    /// The widget's view changed (the URL hash, which names the panel and
    /// the entry a question is about), or the entry's title came with the
    /// catalogue. The catalogue's view shows no panel.
    pub fn show(&self, title: String) {
        self.widget.follow_hash();
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
    let tabs: Vec<_> = [
        (Panel::Catalogue, "返回公开目录"),
        (Panel::Write, "我要留言"),
        (Panel::Check, "查询办理结果"),
        (Panel::Replies, "答复公开"),
    ]
    .into_iter()
    .map(|(to, label)| {
        let here = move || (panel.get() == to).then_some("page");
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
        <nav class="xxgk-form__tabs" aria-label="留言与查询">{tabs}</nav>
        {body}
    }
}
