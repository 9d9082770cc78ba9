//! Finding host elements, reading their settings, and giving each widget its
//! own Shadow DOM (or a light-DOM container) to render in.

use crate::ui::App;
use leptos::prelude::*;
use std::cell::Cell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlElement, ShadowRootInit, ShadowRootMode};
use xxgk_core::{Config, Isolation, Lang};

/// The widget's stylesheet, carried inside the module so that it arrives
/// with the code in one request and can be put inside each shadow root.
#[cfg(not(feature = "bundle"))]
fn style() -> &'static str {
    include_str!(concat!(env!("OUT_DIR"), "/xxgk.min.css"))
}

// `&*style()` at its calls serves both: a `&str` here, a `String` there.
#[cfg(feature = "bundle")]
#[wasm_bindgen]
extern "C" {
    /// The same stylesheet, which the bundle module's glue carries
    /// (`xxgk.style` in `src/bundle.js`): it draws the first page with it
    /// before the module arrives.
    #[wasm_bindgen(js_namespace = xxgk)]
    fn style() -> String;
}

/// The language of the widget in `host`, as the loader chose it
/// (`xxgk.lang` in src/loader.js: the visitor's choice on this device,
/// `data-lang`, the page's `lang`, the browser's languages).
pub fn language(host: &HtmlElement) -> Lang {
    let tag = host.get_attribute(LANG).unwrap_or_default();
    Lang::ALL
        .into_iter()
        .find(|l| l.tag() == tag)
        .unwrap_or_default()
}

/// The language the loader chose for a host, and changes when the visitor
/// switches (with an `xxgk:lang` event on the host).
pub const LANG: &str = "data-xxgk-lang";

/// Marks a host that already holds a widget.
const MOUNTED: &str = "data-xxgk-mounted";

/// Identifies the one copy of the stylesheet added to `<head>` for widgets
/// that render in the light DOM.
const LIGHT_STYLE_ID: &str = "xxgk-light-dom-style";

thread_local! {
    static WIDGETS_WITHOUT_ID: Cell<usize> = const { Cell::new(0) };
}

/// What a widget needs from its host.
pub struct Mount {
    /// The settings from the host's `data-` attributes.
    pub config: Config,
    /// The prefix of this widget's hash parameters.
    pub key: String,
    /// The catalogue's absolute URL.
    pub catalogue_url: String,
    /// The host element.
    pub host: HtmlElement,
}

/// Mounts the hosts there now and, while the page is still being parsed,
/// those that appear by the time it is done.
pub fn mount_when_ready() {
    mount_all();
    let document = document();
    if document.ready_state() == "loading" {
        let later = Closure::once_into_js(mount_all);
        let _ =
            document.add_event_listener_with_callback("DOMContentLoaded", later.unchecked_ref());
    }
}

/// The hosts this module mounts: the loader marks those whose catalogue is
/// a published bundle, which the bundle module reads, and the other
/// module the rest.
#[cfg(feature = "bundle")]
const HOSTS: &str = "[data-xxgk][data-xxgk-bundle]";
#[cfg(not(feature = "bundle"))]
const HOSTS: &str = "[data-xxgk]:not([data-xxgk-bundle])";

/// Mounts a widget into every host of this module's kind that has none yet.
pub fn mount_all() {
    let Ok(hosts) = document().query_selector_all(&format!("{HOSTS}:not([{MOUNTED}])")) else {
        return;
    };
    for i in 0..hosts.length() {
        if let Some(host) = hosts
            .item(i)
            .and_then(|node| node.dyn_into::<HtmlElement>().ok())
        {
            mount(host);
        }
    }
}

fn mount(host: HtmlElement) {
    let _ = host.set_attribute(MOUNTED, "");
    let (config, warnings) = Config::read(|name| host.get_attribute(&format!("data-{name}")));
    for warning in warnings {
        web_sys::console::warn_1(&warning.message().into());
    }
    let key = config.id.clone().unwrap_or_else(|| {
        let n = WIDGETS_WITHOUT_ID.with(|count| {
            count.set(count.get() + 1);
            count.get()
        });
        Config::default_id(n)
    });
    let document = document();
    let base = document.base_uri().ok().flatten().unwrap_or_default();
    let catalogue_url = web_sys::Url::new_with_base(&config.catalogue, &base)
        .map(|url| url.href())
        .unwrap_or_else(|_| config.catalogue.clone());
    let Some(target) = render_target(&document, &host, config.isolation) else {
        return;
    };
    let mount = Mount {
        config,
        key,
        catalogue_url,
        host,
    };
    leptos::mount::mount_to(target, move || view! { <App mount/> }).forget();
}

/// The element to render into: a container in the host's new shadow root
/// (or the one a bundle's first page was drawn in) with the stylesheet
/// beside it, or, with `data-isolation="none"` or where
/// the host cannot have a shadow root, a container in the host itself.
#[allow(clippy::borrow_deref_ref)]
fn render_target(
    document: &Document,
    host: &HtmlElement,
    isolation: Isolation,
) -> Option<HtmlElement> {
    let container: HtmlElement = document.create_element("div").ok()?.unchecked_into();
    let shadow = match isolation {
        // A bundle's first page may be drawn in it already (src/bundle.js).
        #[cfg(feature = "bundle")]
        Isolation::Shadow if host.shadow_root().is_some() => host.shadow_root(),
        Isolation::Shadow => host
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .ok(),
        Isolation::None => None,
    };
    match shadow {
        Some(root) => {
            let sheet = document.create_element("style").ok()?;
            sheet.set_text_content(Some(&*style()));
            root.append_child(&sheet).ok()?;
            root.append_child(&container).ok()?;
        }
        None => {
            add_light_dom_style(document);
            host.append_child(&container).ok()?;
        }
    }
    Some(container)
}

#[allow(clippy::borrow_deref_ref)]
fn add_light_dom_style(document: &Document) {
    if document.get_element_by_id(LIGHT_STYLE_ID).is_some() {
        return;
    }
    let Ok(sheet) = document.create_element("style") else {
        return;
    };
    sheet.set_id(LIGHT_STYLE_ID);
    sheet.set_text_content(Some(&*style()));
    if let Some(head) = document.head() {
        let _ = head.append_child(&sheet);
    }
}
