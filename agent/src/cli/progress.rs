//! A one-line progress bar on stderr, redrawn in place.

use std::io::Write;
use std::sync::Mutex;

/// Draws `label [#####.....] done/total` on one line, at most every 1 % step.
#[derive(Debug, Default)]
pub(crate) struct ProgressBar {
    last: Mutex<(String, usize)>,
}

impl ProgressBar {
    /// Redraws the bar for `label` at `done` of `total`.
    pub fn update(&self, label: &str, done: usize, total: usize) {
        let percent = (done * 100).checked_div(total).unwrap_or(100);
        let Ok(mut last) = self.last.lock() else { return };
        if last.0 == label && last.1 == percent && done != total {
            return;
        }
        let filled = percent / 5;
        let bar = format!("{}{}", "#".repeat(filled), ".".repeat(20 - filled.min(20)));
        let mut stderr = std::io::stderr().lock();
        let _ignored = write!(stderr, "\r{label:<12} [{bar}] {done}/{total} ({percent} %)   ");
        if done == total {
            let _ignored = writeln!(stderr);
        }
        let _ignored = stderr.flush();
        *last = (label.to_owned(), percent);
    }

    /// Prints a step without a count.
    pub fn step(&self, label: &str) {
        eprintln!("{label}");
    }
}
