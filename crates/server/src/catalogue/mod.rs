//! Staff tools for the catalogue, for townships that keep it in Excel:
//! `xxgk-server catalogue check`, `import` and `stats` (see
//! `docs/catalogue-import.md`), and `publish`, which writes a catalogue as
//! a static bundle for large catalogues (see `docs/bundle.md`).
//!
//! Every command reads its input through [`input::read`]: a catalogue file
//! as it is, or a spreadsheet whose rows are turned into entries
//! ([`sheet`] reads the cells, [`columns`] the header, [`row`] each row,
//! with [`dates`], [`categories`] and [`attachments`]). The result is
//! `xxgk-catalogue/1` JSON that the widget's own parser,
//! [`xxgk_core::Catalogue::parse`], then reads, so a rule is never written
//! twice; [`problem`] reports what it skipped by spreadsheet row.

pub mod attachments;
pub mod categories;
pub mod columns;
mod command;
pub mod dates;
pub mod document;
pub mod entry;
pub mod error;
pub mod input;
pub mod problem;
pub mod progress;
pub mod publish;
pub mod row;
pub mod sheet;
pub mod site;
pub mod sizes;
pub mod stats;
pub mod text;

pub use command::{check_file, run, Command, Format, InputArgs};
pub use error::InputError;
