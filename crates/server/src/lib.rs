//! The reference server of the xxgk widget.
//!
//! `xxgk-server serve` serves the built widget, the demo portal page and
//! catalogue files from one or more folders, with the headers a widget
//! embedded from another origin needs.

pub mod cli;
pub mod files;
