//! Pure logic of the xxgk disclosure-catalogue widget.
//!
//! Everything here compiles and is tested natively, with no browser crate:
//! the widget (WebAssembly), the feedback server and the command-line tools
//! share it, so a rule is written once.
//!
//! - [`catalogue`]: the catalogue model and the tolerant parser of
//!   `xxgk-catalogue/1` files.
//! - [`browse`]: what a citizen sees: the filters, sorting and paging of a
//!   catalogue.
//! - [`hash`]: the browsing state kept in the page's URL hash.
//! - [`config`]: the widget's `data-` attributes.
//! - [`search`]: Chinese-aware search: folding, the index, ranking.
//! - [`submission`]: the feedback and disclosure-request form's model and
//!   its rules, shared by the widget and the receiving server.
//! - [`api`]: the feedback receiver's API as types, written by the
//!   server and read by the widget.
//! - [`json`]: the small JSON reader catalogues are read with, and the
//!   writer the API's types write themselves with.
//! - [`date`], [`link`]: the two value types the parser checks most.
//! - [`text`]: the characters no text may hide.
//! - [`calendar`], [`case`]: working days, and the statutory clock of a
//!   disclosure request worked out from its events.
//! - [`credit_code`]: organisations' unified social credit codes.
//! - [`outcome`], [`report`]: how a disclosure request ends, and the
//!   annual report's table of requests counted from the cases;
//!   [`annual`]: the whole annual report, its other tables and its page.

#![warn(missing_docs)]

pub mod annual;
pub mod api;
pub mod browse;
pub mod bundle;
pub mod calendar;
pub mod case;
pub mod catalogue;
pub mod config;
pub mod credit_code;
pub mod date;
pub mod hash;
pub mod json;
pub mod lang;
pub mod link;
pub mod outcome;
pub mod report;
pub mod search;
mod sort;
pub mod submission;
pub mod text;

pub use browse::{Facets, Filter, Order, Panel, Selection, View};
pub use catalogue::{
    Attachment, Catalogue, CatalogueError, Category, Disclosure, Item, ItemProblem, Level, Site,
    Skipped, SkippedPlace, Validity,
};
pub use config::{Config, Isolation};
pub use date::Date;
pub use lang::Lang;
pub use link::Link;
