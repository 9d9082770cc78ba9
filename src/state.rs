//! One widget's state: its settings and the view read from the URL hash.

use crate::embed::{language, Mount};
use crate::i18n::{strings, Strings};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use xxgk_core::{hash, Lang, Panel, View};

/// The state shared by a widget's components, handed to each as an
/// argument (it is `Copy`).
#[derive(Clone, Copy)]
pub struct WidgetState {
    /// The language of the interface (the switch changes it).
    lang: RwSignal<Lang>,
    /// Entries per page.
    pub page_size: usize,
    /// This widget's view, from the hash (or the configured start).
    pub view: Memo<View>,
    /// `data-feedback`, the feedback server; without it no feedback panel
    /// is offered.
    pub feedback: StoredValue<Option<String>>,
    key: StoredValue<String>,
    location_hash: RwSignal<String>,
    host: StoredValue<HtmlElement, LocalStorage>,
}

impl WidgetState {
    /// Creates the state of a widget and starts following the URL hash.
    pub fn new(mount: &Mount) -> WidgetState {
        let location_hash = RwSignal::new(current_hash());
        let key = StoredValue::new(mount.key.clone());
        let start = View {
            category: mount.config.category.clone(),
            page: 1,
            ..View::default()
        };
        let offers_feedback = mount.config.feedback.is_some();
        let view = Memo::new(move |_| {
            let mut view = key
                .with_value(|key| location_hash.with(|h| hash::read(h, key)))
                .unwrap_or_else(|| start.clone());
            // A shared link to a feedback panel, on a widget without one.
            if !offers_feedback {
                view.panel = Panel::Catalogue;
            }
            view
        });
        let follow = move || {
            let now = current_hash();
            if location_hash.with_untracked(|h| *h != now) {
                location_hash.set(now);
            }
        };
        // Links, `location.hash = …`, Back and Forward between entries that
        // differ in the hash all fire hashchange: the hash is the one source
        // of truth. The listener lives as long as the page; widgets are
        // never unmounted (dropping the handle keeps the listener).
        let _listening = window_event_listener(leptos::ev::hashchange, move |_| follow());
        // The visitor switched language (the switch is the loader's).
        let lang = RwSignal::new(language(&mount.host));
        let host = mount.host.clone();
        let switched = Closure::<dyn Fn()>::new(move || {
            lang.set(language(&host));
        });
        let _ = mount
            .host
            .add_event_listener_with_callback("xxgk:lang", switched.as_ref().unchecked_ref());
        switched.forget();
        WidgetState {
            lang,
            page_size: mount.config.page_size,
            view,
            feedback: StoredValue::new(mount.config.feedback.as_ref().map(|l| l.to_string())),
            key,
            location_hash,
            host: StoredValue::new_local(mount.host.clone()),
        }
    }

    /// The interface's language. Read where a view is made, so that the
    /// view is made again when the visitor switches language.
    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    /// The interface texts in this widget's language (followed, as
    /// [`WidgetState::lang`]).
    pub fn t(&self) -> &'static Strings {
        strings(self.lang())
    }

    /// A link to `view`: the page's own URL with this widget's part of the
    /// hash replaced. Absolute, so a portal's `<base href>` cannot send it
    /// elsewhere. Follows the hash, so other widgets' state is kept.
    pub fn href(&self, view: &View) -> String {
        let hash = self
            .key
            .with_value(|key| self.location_hash.with(|h| hash::write(h, key, view)));
        page_with(&hash)
    }

    /// Shows `view`, as a new history entry (so Back returns).
    pub fn go(&self, view: &View) {
        let hash = self.written(view);
        let _ = window().location().set_hash(&hash);
        self.location_hash.set(hash);
    }

    /// Shows `view` in place of the current history entry (a search being
    /// typed: one entry for the whole word, not one per keystroke).
    pub fn replace(&self, view: &View) {
        let hash = self.written(view);
        let _ = window().location().replace(&page_with(&hash));
        self.location_hash.set(hash);
    }

    /// The hash with `view` written in. The view follows at once, not when
    /// the browser's `hashchange` comes: what is typed in the search box
    /// is never answered by an older keystroke's view.
    fn written(&self, view: &View) -> String {
        self.key.with_value(|key| {
            self.location_hash
                .with_untracked(|h| hash::write(h, key, view))
        })
    }

    /// The page's URL hash (without `#`), followed.
    #[cfg(not(feature = "bundle"))]
    pub fn hash(&self) -> String {
        self.location_hash.get()
    }

    /// The view a question to the search engine is about, as a hash: the
    /// page's hash for a catalogue file's engine; for a bundle's, the
    /// whole view written out, settings from `data-` attributes (a
    /// starting category, say) included, since its engine answers every
    /// view from the hash alone.
    pub fn asked(&self) -> String {
        #[cfg(feature = "bundle")]
        return self.view.with(|view| hash::write("", &self.key(), view));
        #[cfg(not(feature = "bundle"))]
        self.hash()
    }

    /// This widget's key in the hash.
    pub fn key(&self) -> String {
        self.key.get_value()
    }

    /// The element the widget is mounted in, for events the portal can hear.
    pub fn host(&self) -> HtmlElement {
        self.host.get_value()
    }

    /// Moves keyboard focus (and so the screen reader, and the scroll
    /// position) to the first element matching `selector` in this widget,
    /// once the current render is on screen.
    pub fn focus(&self, selector: &'static str) {
        let host = self.host();
        request_animation_frame(move || {
            let found = match host.shadow_root() {
                Some(root) => root.query_selector(selector),
                None => host.query_selector(selector),
            };
            if let Ok(Some(element)) = found {
                let _ = element.unchecked_into::<HtmlElement>().focus();
            }
        });
    }

    /// Whether keyboard focus is on the element matching `selector` in
    /// this widget (before a render replaces it, to move focus to what
    /// takes its place).
    #[cfg(feature = "bundle")]
    pub fn has_focus(&self, selector: &str) -> bool {
        let host = self.host();
        let active = match host.shadow_root() {
            Some(root) => root.active_element(),
            None => document()
                .active_element()
                .filter(|a| host.contains(Some(a))),
        };
        active.is_some_and(|a| a.matches(selector).unwrap_or(false))
    }
}

/// The page's own URL with `hash`.
fn page_with(hash: &str) -> String {
    let page = window().location().href().unwrap_or_default();
    let page = page.split('#').next().unwrap_or_default();
    format!("{page}#{hash}")
}

fn current_hash() -> String {
    let hash = window().location().hash().unwrap_or_default();
    hash.strip_prefix('#').unwrap_or(&hash).to_owned()
}
