//! The widget's feedback panels as a WebAssembly module of their own: the
//! form for feedback and disclosure requests, the lookup of a submission
//! by its code, and the published replies. The loader (`src/loader.js`)
//! fetches it the first time a citizen opens a panel, so the catalogue's
//! own download stays within its budget. The rules a submission must meet
//! are `xxgk_core::submission`, the same code the receiving server runs.

mod card;
mod check;
mod draft;
mod net;
mod panel;
mod replies;
mod visit;
mod write;

fn main() {}
