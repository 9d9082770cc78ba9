//! The widget's feedback panels as a WebAssembly module of their own: the
//! form for feedback and disclosure requests, the lookup of a submission
//! by its code, and the published replies. The loader (`src/loader.js`)
//! fetches it the first time a citizen opens a panel, so the catalogue's
//! own download stays within its budget, and hands each widget's panels
//! their place in the widget ([`feedback::Feedback`]). The rules a
//! submission must meet are `xxgk_core::submission`, the same code the
//! receiving server runs; what the server answers is `xxgk_core::api`.
//!
//! The modules form a tree: `feedback` (one root per widget) draws the
//! panels `write`, `check` and `replies`; they share `widget` (what they
//! know of the widget), the form `outbox` (the submission on its way),
//! `card` (a submission as the public sees it), `net`, `draft` and
//! `i18n` (their words in each language the widget speaks).

mod card;
mod check;
mod draft;
mod feedback;
mod i18n;
mod net;
mod outbox;
mod replies;
mod widget;
mod write;

fn main() {}
