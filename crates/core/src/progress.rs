//! Progress of long work: reading the posts, indexing their passages, fetching pages from the
//! web, and waiting for another process that holds the index. The library reports it through [`Progress`]; the `citebot`
//! binary draws a bar on a terminal, and [`LogProgress`] writes a log line every few seconds
//! anywhere else (a service's journal, a file), so that a long start is never silent.

use std::cell::Cell;
use std::time::{Duration, Instant};

/// A stage of loading a corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading and splitting the post files; counted in posts.
    Reading,
    /// Analysing and indexing passages; counted in passages.
    Indexing,
    /// Fetching the pages web sources list; counted in pages.
    Fetching,
}

impl Stage {
    /// What the stage does, as a present participle ("reading").
    pub fn doing(self) -> &'static str {
        match self {
            Stage::Reading => "reading",
            Stage::Indexing => "indexing",
            Stage::Fetching => "fetching",
        }
    }

    /// What the stage counts ("posts").
    pub fn items(self) -> &'static str {
        match self {
            Stage::Reading => "posts",
            Stage::Indexing => "passages",
            Stage::Fetching => "pages",
        }
    }
}

/// Receives the progress of loading and indexing posts.
pub trait Progress {
    /// A stage begins, with `total` items to do.
    fn start(&self, stage: Stage, total: usize);
    /// One more item of the current stage is done.
    fn advance(&self);
    /// The current stage is over.
    fn finish(&self);
    /// The work must wait for something outside this process, described by `what`.
    fn waiting(&self, what: &str);
    /// Runs `print`, which writes a line for the person watching, without the progress display
    /// getting in its way.
    fn suspend(&self, print: &mut dyn FnMut()) {
        print();
    }
}

/// How often [`LogProgress`] writes a line while a stage runs.
pub const LOG_INTERVAL: Duration = Duration::from_secs(5);

/// Progress as log lines (at `info`, target `citebot::progress`): one when a stage has run for
/// [`LOG_INTERVAL`] and every interval after, one when such a stage ends, and one for each wait.
/// Work that ends sooner logs nothing.
pub struct LogProgress {
    interval: Duration,
    stage: Cell<Stage>,
    total: Cell<usize>,
    done: Cell<usize>,
    started: Cell<Instant>,
    /// When the last line was written, if one was written in this stage.
    logged: Cell<Option<Instant>>,
}

impl Default for LogProgress {
    fn default() -> Self {
        LogProgress::every(LOG_INTERVAL)
    }
}

impl LogProgress {
    /// Logs every `interval`.
    pub fn every(interval: Duration) -> LogProgress {
        LogProgress {
            interval,
            stage: Cell::new(Stage::Reading),
            total: Cell::new(0),
            done: Cell::new(0),
            started: Cell::new(Instant::now()),
            logged: Cell::new(None),
        }
    }

    fn start_at(&self, stage: Stage, total: usize, now: Instant) {
        self.stage.set(stage);
        self.total.set(total);
        self.done.set(0);
        self.started.set(now);
        self.logged.set(None);
    }

    /// Counts one item done at `now`; the line to log, when one is due.
    fn advance_at(&self, now: Instant) -> Option<String> {
        let done = self.done.get() + 1;
        self.done.set(done);
        let since = self.logged.get().unwrap_or(self.started.get());
        if now.duration_since(since) < self.interval {
            return None;
        }
        self.logged.set(Some(now));
        let total = self.total.get();
        let stage = self.stage.get();
        Some(format!(
            "{}: {done} of {total} {} ({}%)",
            stage.doing(),
            stage.items(),
            done * 100 / total.max(1)
        ))
    }

    /// The line to log when the stage ends at `now`, if the stage logged at all.
    fn finish_at(&self, now: Instant) -> Option<String> {
        self.logged.get()?;
        self.logged.set(None);
        let stage = self.stage.get();
        Some(format!(
            "{} done: {} {} in {:.1} s",
            stage.doing(),
            self.done.get(),
            stage.items(),
            now.duration_since(self.started.get()).as_secs_f64()
        ))
    }
}

impl Progress for LogProgress {
    fn start(&self, stage: Stage, total: usize) {
        self.start_at(stage, total, Instant::now());
    }

    fn advance(&self) {
        if let Some(line) = self.advance_at(Instant::now()) {
            tracing::info!("{line}");
        }
    }

    fn finish(&self) {
        if let Some(line) = self.finish_at(Instant::now()) {
            tracing::info!("{line}");
        }
    }

    fn waiting(&self, what: &str) {
        tracing::info!("waiting: {what}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_lines_come_at_intervals_and_only_for_long_stages() {
        let progress = LogProgress::every(Duration::from_secs(5));
        let t0 = Instant::now();
        let at = |secs: u64| t0 + Duration::from_secs(secs);

        progress.start_at(Stage::Reading, 3, t0);
        assert_eq!(progress.advance_at(at(1)), None);
        assert_eq!(progress.finish_at(at(2)), None, "a short stage is silent");

        progress.start_at(Stage::Indexing, 200, at(2));
        assert_eq!(progress.advance_at(at(3)), None);
        assert_eq!(
            progress.advance_at(at(7)).as_deref(),
            Some("indexing: 2 of 200 passages (1%)")
        );
        assert_eq!(
            progress.advance_at(at(8)),
            None,
            "not before the next interval"
        );
        assert_eq!(
            progress.advance_at(at(12)).as_deref(),
            Some("indexing: 4 of 200 passages (2%)")
        );
        assert_eq!(
            progress.finish_at(at(13)).as_deref(),
            Some("indexing done: 4 passages in 11.0 s")
        );
    }
}
