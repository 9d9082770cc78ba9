//! What every panel knows of its widget: the feedback server, the
//! widget's key and view (from the URL hash), its language, the entry a
//! question is about, whether strangers share the device, and the links
//! between the panels and back to the catalogue.

use crate::draft::Store;
use crate::i18n::{strings, Strings};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use xxgk_core::{hash, Lang, Panel, View};

/// One widget's handle, handed to each part (it is `Copy`). Its root
/// ([`crate::feedback::Feedback`]) keeps the view and the title up to
/// date as the widget tells of changes.
#[derive(Clone, Copy)]
pub struct Widget {
    /// `data-feedback`: the feedback server (origin or path).
    endpoint: StoredValue<String>,
    /// The widget's key in the URL hash.
    key: StoredValue<String>,
    /// The widget's view, as the URL hash has it.
    pub view: RwSignal<View>,
    /// The widget's language, as its root's `lang` has it: the visitor
    /// may change it at any time, and the panels follow.
    pub lang: RwSignal<Lang>,
    /// The title of the entry a question is about, once the catalogue
    /// has come.
    pub title: RwSignal<String>,
    /// `data-shared-device`: strangers use this computer one after
    /// another, so the form keeps nothing past its panel and asks the
    /// browser to remember nothing typed.
    pub shared_device: bool,
    /// `data-site`: the site's code on a receiver that serves several,
    /// sent with each submission and asked of the public list; empty if
    /// the page names none (the receiver then goes by the page's origin).
    site: StoredValue<String>,
    /// Whether the panels are in the widget's shadow root, where their
    /// element ids are the widget's own.
    shadow: bool,
    /// The heading of the panel on screen: keyboard and screen reader go
    /// there when a panel opens.
    pub heading: NodeRef<html::H3>,
    /// How many times the page was left: what began before (a lookup on
    /// its way) belongs to no one now.
    visits: StoredValue<u32>,
}

impl Widget {
    /// The handle of the widget with `key` whose root element is `root`
    /// (on the page, unlike the panels' place, which is put on it only
    /// while a panel is open), talking to `endpoint`.
    pub fn new(root: &HtmlElement, endpoint: String, key: String) -> Widget {
        let shadow = root.get_root_node().dyn_into::<web_sys::ShadowRoot>().ok();
        // The widget's host element: the shadow root's, or in the light
        // DOM the nearest [data-xxgk] around the widget.
        let widget_host = match &shadow {
            Some(shadow) => Some(shadow.host()),
            None => root.closest("[data-xxgk]").ok().flatten(),
        };
        let shared_device = xxgk_core::Config::shared_device(|name| {
            widget_host.as_ref()?.get_attribute(&format!("data-{name}"))
        });
        let site = widget_host
            .as_ref()
            .and_then(|host| host.get_attribute("data-site"))
            .map(|code| code.trim().to_owned())
            .unwrap_or_default();
        let widget = Widget {
            endpoint: StoredValue::new(endpoint),
            key: StoredValue::new(key),
            view: RwSignal::new(View::default()),
            lang: RwSignal::new(Lang::default()),
            title: RwSignal::new(String::new()),
            shared_device,
            site: StoredValue::new(site),
            shadow: shadow.is_some(),
            heading: NodeRef::new(),
            visits: StoredValue::new(0),
        };
        widget.follow_hash();
        widget.follow_lang(root);
        widget
    }

    /// Reads the language from the widget's root element again.
    pub fn follow_lang(self, root: &HtmlElement) {
        let lang = root
            .get_attribute("lang")
            .and_then(|tag| Lang::parse(&tag))
            .unwrap_or_default();
        if self.lang.get_untracked() != lang {
            self.lang.set(lang);
        }
    }

    /// The panels' words in the widget's language (tracked: what reads
    /// them is drawn again when the language changes).
    pub fn words(self) -> &'static Strings {
        strings(self.lang.get())
    }

    /// Reads the view from the URL hash again.
    pub fn follow_hash(self) {
        let hash = window().location().hash().unwrap_or_default();
        let view = self
            .key
            .with_value(|key| hash::read(&hash, key))
            .unwrap_or_default();
        if self.view.with_untracked(|v| *v != view) {
            self.view.set(view);
        }
    }

    /// Where the panels keep what they keep: nowhere on a widget with
    /// `data-shared-device`.
    pub fn store(self) -> Store {
        Store::new(self.shared_device)
    }

    /// The key under which this widget keeps `what` in sessionStorage.
    pub fn stored(self, what: &str) -> String {
        self.key.with_value(|key| format!("xxgk-{what}.{key}"))
    }

    /// The URL of one of the server's API paths (`/api/...`), resolved
    /// against the page.
    pub fn api(self, path: &str) -> String {
        let url = self
            .endpoint
            .with_value(|e| format!("{}{path}", e.trim_end_matches('/')));
        let page = document().base_uri().ok().flatten().unwrap_or_default();
        web_sys::Url::new_with_base(&url, &page)
            .map(|u| u.href())
            .unwrap_or(url)
    }

    /// [`Widget::api`] for the widget's site: with `?site=` when the page
    /// names one.
    pub fn site_api(self, path: &str) -> String {
        let url = self.api(path);
        match self.site.get_value() {
            site if site.is_empty() => url,
            site => {
                let site: String = js_sys::encode_uri_component(&site).into();
                format!("{url}?site={site}")
            }
        }
    }

    /// What the ids of a panel's elements start with, drawn afresh each
    /// time a panel opens: in the page's own DOM the ids share the
    /// document with the page's content, comments included, which could
    /// claim predictable ones (a label naming a field, a hint describing
    /// it); in the shadow root they are the widget's own.
    pub fn ids(self) -> String {
        let key = self.key.get_value();
        if self.shadow {
            return key;
        }
        format!(
            "{key}-{:x}",
            (js_sys::Math::random() * 4_294_967_296.0) as u32
        )
    }

    /// A link to `panel` of this widget, with every other hash parameter
    /// (as the hash is now) kept. Going to the catalogue or the form keeps
    /// the entry a question is about.
    pub fn link(self, panel: Panel) -> String {
        let view = self.view.with_untracked(|now| View {
            panel,
            item: match panel {
                Panel::Catalogue | Panel::Write => now.item.clone(),
                _ => None,
            },
            ..now.clone()
        });
        let hash = window().location().hash().unwrap_or_default();
        self.key
            .with_value(|key| format!("#{}", hash::write(&hash, key, &view)))
    }

    /// The current visit: it changes when the page is left.
    pub fn visit(self) -> u32 {
        self.visits.get_value()
    }

    /// The page is left.
    pub fn left(self) {
        self.visits.update_value(|n| *n = n.wrapping_add(1));
    }
}

/// Calls `forget` each time the page is left, for as long as the part
/// calling it is on screen. Leaving the page by a link or the address bar
/// does not always end the visit: the browser's back-forward cache may
/// keep the page as it was and show it again to whoever presses Back, at
/// a shared computer the next person. `pagehide` comes before the page is
/// kept or unloaded.
pub fn on_page_left(forget: impl Fn() + 'static) {
    let listening = window_event_listener_untyped("pagehide", move |_| forget());
    on_cleanup(move || listening.remove());
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
    // Kept until the link is taken down.
    StoredValue::new_local(follow);
}

/// Moves focus to `target` once it is on screen.
pub fn focus<E>(target: NodeRef<E>)
where
    E: leptos::html::ElementType,
    E::Output: JsCast + Clone + 'static,
{
    request_animation_frame(move || {
        if let Some(element) = target.try_get_untracked().flatten() {
            let _ = element.unchecked_into::<HtmlElement>().focus();
        }
    });
}
