//! A progress bar on standard error for long spreadsheets, drawn only on a
//! terminal (a log or a pipe gets nothing) and only past
//! [`Progress::THRESHOLD`] rows, where reading takes long enough to wonder.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A bar, or nothing.
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// Rows above which a bar is worth showing.
    pub const THRESHOLD: usize = 2_000;

    /// A bar for `len` steps named `message`, if `wanted`, `len` is past
    /// the threshold and standard error is a terminal.
    pub fn new(len: usize, message: &'static str, wanted: bool) -> Progress {
        if !wanted || len <= Progress::THRESHOLD || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len}") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(message);
        Progress(Some(bar))
    }

    /// `n` more steps done.
    pub fn advance(&self, n: usize) {
        if let Some(bar) = &self.0 {
            bar.inc(n as u64);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
