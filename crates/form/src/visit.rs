//! The end of a page visit. Leaving the page by a link or the address bar
//! does not always end it: the browser's back-forward cache may keep the
//! page as it was and show it again to whoever presses Back, at a shared
//! computer the next person. What must not outlive the visit is forgotten
//! on `pagehide`, which comes before the page is kept or unloaded; within
//! the visit nothing changes.

use leptos::prelude::*;
use std::cell::Cell;

thread_local! {
    /// How many times the page was left.
    static LEFT: Cell<u32> = const { Cell::new(0) };
}

/// The current visit. It changes when the page is left, so that what was
/// begun before (a request on its way) can tell that its outcome belongs
/// to no one now.
pub fn current() -> u32 {
    LEFT.with(Cell::get)
}

/// Counts the visits from now on and calls `forget` each time the page is
/// left; only the first call does anything.
pub fn watch(forget: fn()) {
    thread_local! {
        static WATCHING: Cell<bool> = const { Cell::new(false) };
    }
    if WATCHING.with(|w| w.replace(true)) {
        return;
    }
    // Kept for as long as the page: the handle is never used to remove it.
    let _ = window_event_listener_untyped("pagehide", move |_| {
        LEFT.with(|left| left.set(left.get().wrapping_add(1)));
        forget();
    });
}

/// Calls `forget` each time the page is left, for as long as the panel
/// calling it is on screen.
pub fn on_leave(forget: impl Fn() + 'static) {
    let listening = window_event_listener_untyped("pagehide", move |_| forget());
    on_cleanup(move || listening.remove());
}
