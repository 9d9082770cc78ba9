//! Staff tools for the catalogue, for townships that keep it in Excel.
//!
//! Reading a spreadsheet: [`sheet`] reads the cells and numbers the rows
//! as Excel shows them, [`columns`] reads the header, and [`dates`],
//! [`categories`] and [`attachments`] read the values staff type.

pub mod attachments;
pub mod categories;
pub mod columns;
pub mod dates;
pub mod error;
pub mod sheet;
pub mod text;

pub use error::InputError;
