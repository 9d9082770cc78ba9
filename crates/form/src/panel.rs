//! Opening and closing a widget's panel, and what every panel shares: the
//! links between the panels and back to the catalogue.

use crate::draft::Store;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use std::any::Any;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use xxgk_core::{hash, Config, Panel, View};

/// The panels' own stylesheet, put beside them in the widget (its shadow
/// root or the page); the widget's stylesheet is already there.
const STYLE: &str = include_str!("../style.css");

/// One value per widget, by the widget's key (a page has a few widgets).
pub struct ByKey<T>(RefCell<Vec<(String, T)>>);

impl<T> ByKey<T> {
    /// None yet.
    pub const fn new() -> ByKey<T> {
        ByKey(RefCell::new(Vec::new()))
    }

    /// Keeps `value` for `key`, in place of the one before.
    pub fn put(&self, key: &str, value: T) {
        drop(self.take(key));
        self.0.borrow_mut().push((key.to_owned(), value));
    }

    /// Forgets every value.
    pub fn clear(&self) {
        // Dropped once the list is no longer borrowed.
        let all = std::mem::take(&mut *self.0.borrow_mut());
        drop(all);
    }

    /// Takes the value kept for `key`.
    pub fn take(&self, key: &str) -> Option<T> {
        let mut values = self.0.borrow_mut();
        let at = values.iter().position(|(k, _)| k == key)?;
        Some(values.swap_remove(at).1)
    }
}

impl<T: Clone> ByKey<T> {
    /// The value kept for `key`.
    pub fn get(&self, key: &str) -> Option<T> {
        self.0
            .borrow()
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }
}

thread_local! {
    /// The open panel of each widget; dropping it takes it down.
    static OPEN: ByKey<Box<dyn Any>> = const { ByKey::new() };
    /// The title of the entry each widget's open panel is about.
    static TITLES: ByKey<RwSignal<String>> = const { ByKey::new() };
}

/// What a panel knows of its widget.
#[derive(Clone, Debug)]
pub struct Widget {
    /// `data-feedback`: the feedback server (origin or path).
    pub endpoint: String,
    /// The widget's key in the URL hash.
    pub key: String,
    /// The widget's view when the panel opened.
    pub view: View,
    /// The title of the entry a question is about, once known.
    pub title: RwSignal<String>,
    /// `data-shared-device`: strangers use this computer one after
    /// another, so the form keeps nothing past its panel and asks the
    /// browser to remember nothing typed.
    pub shared_device: bool,
    /// What the ids of the panel's elements start with: unique on the
    /// page, and not to be guessed by the page's content (see [`show`]).
    pub ids: String,
}

impl Widget {
    /// Where the panels keep what they keep: nowhere on a widget with
    /// `data-shared-device`.
    pub fn store(&self) -> Store {
        Store::new(self.shared_device)
    }

    /// The URL of one of the server's API paths (`/api/...`), resolved
    /// against the page.
    pub fn api(&self, path: &str) -> String {
        let base = self.endpoint.trim_end_matches('/');
        let url = format!("{base}{path}");
        let page = document().base_uri().ok().flatten().unwrap_or_default();
        web_sys::Url::new_with_base(&url, &page)
            .map(|u| u.href())
            .unwrap_or(url)
    }

    /// A link to `panel` of this widget, with every other hash parameter
    /// (as the hash is now) kept. Going to the catalogue keeps the entry a
    /// question was about open.
    pub fn link(&self, panel: Panel) -> String {
        let view = View {
            panel,
            item: match panel {
                Panel::Catalogue | Panel::Write => self.view.item.clone(),
                _ => None,
            },
            ..self.view.clone()
        };
        let hash = window().location().hash().unwrap_or_default();
        format!("#{}", hash::write(&hash, &self.key, &view))
    }
}

/// The key under which the widget with `key` keeps `what` in
/// sessionStorage.
pub fn stored(key: &str, what: &str) -> String {
    format!("xxgk-{what}.{key}")
}

/// Shows the panel the URL hash names in `container`, replacing the one
/// this widget had open; called by the loader as the widget's view
/// changes.
#[wasm_bindgen]
pub fn show(container: HtmlElement, endpoint: String, key: String, title: String) {
    close(&key);
    crate::visit::watch(crate::write::page_left);
    let hash = window().location().hash().unwrap_or_default();
    let view = hash::read(&hash, &key).unwrap_or_default();
    let shadow = container
        .get_root_node()
        .dyn_into::<web_sys::ShadowRoot>()
        .ok();
    // In the page's own DOM the ids share the document with the page's
    // content, comments included, which could claim predictable ones: a
    // label naming a field, a hint describing it. Each opening draws its
    // own there.
    let ids = match shadow {
        Some(_) => key.clone(),
        None => format!(
            "{key}-{:x}",
            (js_sys::Math::random() * 4_294_967_296.0) as u32
        ),
    };
    // The widget's host: the shadow root's, or in the light DOM the
    // nearest [data-xxgk] around the panel.
    let host = match shadow {
        Some(root) => Some(root.host()),
        None => container.closest("[data-xxgk]").ok().flatten(),
    };
    let shared_device =
        Config::shared_device(|name| host.as_ref()?.get_attribute(&format!("data-{name}")));
    // Lookup codes are no longer kept: one an earlier version kept goes.
    Store::new(false).remove(&stored(&key, "code"));
    container.set_text_content(None);
    if let Ok(style) = document().create_element("style") {
        style.set_text_content(Some(STYLE));
        let _ = container.append_child(&style);
    }
    let handle = leptos::mount::mount_to(container.clone(), {
        let key = key.clone();
        move || {
            let title = RwSignal::new(title);
            TITLES.with(|titles| titles.put(&key, title));
            panel(Widget {
                endpoint,
                key,
                view,
                title,
                shared_device,
                ids,
            })
        }
    });
    OPEN.with(|open| open.put(&key, Box::new(handle)));
    // Keyboard and screen reader go to the panel's heading.
    request_animation_frame(move || {
        let heading = container.query_selector(".xxgk-form__heading, .xxgk-form__done-heading");
        if let Ok(Some(heading)) = heading {
            let _ = heading.unchecked_into::<HtmlElement>().focus();
        }
    });
}

/// Gives the panel the widget with `key` has open the title of the entry
/// it is about, which arrived after it opened (with the catalogue).
#[wasm_bindgen]
pub fn retitle(key: &str, title: String) {
    if let Some(signal) = TITLES.with(|titles| titles.get(key)) {
        // Nothing to do if that panel is gone.
        let _ = signal.try_set(title);
    }
}

/// Takes down the panel the widget with `key` has open, if any.
#[wasm_bindgen]
pub fn close(key: &str) {
    // Taken out first: taking the panel down must not find the list
    // borrowed.
    let taken = OPEN.with(|open| open.take(key));
    drop(taken);
}

/// Makes a link lead to `panel` of the widget, written as the hash is
/// when it is followed (any button, or Enter): another widget on the page
/// may have changed its part since the panel opened.
pub fn leads(element: web_sys::Element, (widget, panel): (Widget, Panel)) {
    let Ok(a) = element.dyn_into::<web_sys::HtmlAnchorElement>() else {
        return;
    };
    a.set_href(&widget.link(panel));
    let link = a.clone();
    let follow = Closure::<dyn FnMut()>::new(move || link.set_href(&widget.link(panel)));
    for kind in ["mousedown", "click"] {
        let _ = a.add_event_listener_with_callback(kind, follow.as_ref().unchecked_ref());
    }
    // Kept until the panel is taken down, link and all.
    StoredValue::new_local(follow);
}

fn panel(widget: Widget) -> impl IntoView {
    let current = widget.view.panel;
    let tabs: Vec<_> = [
        (Panel::Catalogue, "返回公开目录"),
        (Panel::Write, "我要留言"),
        (Panel::Check, "查询办理结果"),
        (Panel::Replies, "答复公开"),
    ]
    .into_iter()
    .map(|(panel, label)| {
        let here = (panel == current).then_some("page");
        view! { <a class="xxgk-form__tab" aria-current=here use:leads=(widget.clone(), panel)>{label}</a> }
    })
    .collect();
    let body = match current {
        Panel::Check => EitherOf3::A(crate::check::check(widget.clone())),
        Panel::Replies => EitherOf3::B(crate::replies::replies(widget.clone())),
        _ => EitherOf3::C(crate::write::write(widget.clone())),
    };
    view! {
        <nav class="xxgk-form__tabs" aria-label="留言与查询">{tabs}</nav>
        {body}
    }
}
