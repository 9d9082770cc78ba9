//! The xxgk disclosure-catalogue widget.
//!
//! A portal embeds it with one script tag (see `README.md`); the loader
//! starts this WebAssembly module, which mounts a widget into every
//! `[data-xxgk]` host on the page. The logic lives in `xxgk_core`; this crate
//! is the browser side: embedding, loading, state and components.

mod embed;
mod i18n;
mod load;
mod search;
mod state;
mod ui;

use wasm_bindgen::prelude::wasm_bindgen;

/// Mounts the widgets present now and, if the page is still loading, those
/// parsed later.
pub fn start() {
    embed::mount_when_ready();
}

/// Mounts widgets into hosts added to the page after it loaded (exposed to
/// the portal as `xxgk.mount()`).
#[wasm_bindgen(js_name = mountAll)]
pub fn mount_all() {
    embed::mount_all();
}
