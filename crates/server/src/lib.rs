//! The reference server and command line of the xxgk widget.
//!
//! `xxgk-server serve` serves the built widget, the demo portal page and
//! catalogue files from one or more folders, with the headers a widget
//! embedded from another origin needs; `xxgk-server check FILE` tells
//! township staff what the widget will show and skip of a catalogue file,
//! and [`catalogue`] (`xxgk-server catalogue check | import | stats`) does
//! the same for spreadsheets, imports them and counts their entries.
//! [`store`] keeps feedback and disclosure requests in SQLite or
//! PostgreSQL, for one site or many ([`sites`]); [`api`] is
//! the HTTP interface the widget's form uses; [`alerts`] tells staff of
//! new submissions and near due dates by webhook and mail.

pub mod accounts;
pub mod alerts;
pub mod api;
pub mod cases;
pub mod catalogue;
pub mod cli;
pub mod client;
pub mod console;
pub mod files;
pub mod limit;
pub mod log;
pub mod origin;
pub mod report;
pub mod serve;
pub mod sites;
pub mod staff;
pub mod store;
pub mod terminal;
