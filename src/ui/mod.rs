//! The widget's components, one per file, each a noun.
//!
//! Only [`App`] is a `#[component]`; the parts below it are plain functions
//! that take the widget's state and catalogue as arguments. In this widget
//! each `#[component]` wrapper cost about 350 bytes of the 100 KB
//! compressed budget, and passing two `Copy`/`Arc` values needs no context.

mod app;
mod browser;
mod category_tree;
mod feedback_panel;
mod filter_bar;
mod item_detail;
mod item_list;
mod load_failure;
mod metadata_card;
mod pagination;
mod search_box;
mod skeleton;
mod skipped_notice;
mod validity_badge;

pub use app::App;
