//! Latency measurement behind `citebot bench`: time to open the posts as the configuration says
//! (the index on disk when it is placed there, brought up to date as `serve` would) or a folder
//! in memory, then every question asked in turn for several rounds, reported as percentiles with
//! the process's memory. Benchmarks, not tests, carry the speed figures, so this lives in the
//! product where anyone can rerun it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use citebot_core::config::{AnswerConfig, IndexConfig};
use citebot_core::library::{self, Library, Placement};
use citebot_core::Error as CoreError;

/// Why a benchmark cannot run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The questions file of a benchmark holds no question.
    #[error("questions file `{}`: {message}", path.display())]
    Questions {
        /// The questions file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The benchmark was asked to run with settings it cannot run with.
    #[error("bench: {0}")]
    Settings(String),
    /// Reading or indexing the posts failed.
    #[error(transparent)]
    Core(#[from] CoreError),
}

/// The benchmark's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The most rounds a benchmark runs: every timing is kept until the percentiles are taken.
pub const MAX_ROUNDS: usize = 1_000;
/// The most questions a benchmark asks in all (questions times rounds), which bounds the memory
/// its timings take (16 bytes each).
pub const MAX_ASKED: usize = 10_000_000;

/// What a benchmark opens.
#[derive(Debug, Clone)]
pub enum Setup {
    /// The posts in this folder, indexed in memory (`--docs`).
    InMemory(PathBuf),
    /// The configured posts folder and index, as `serve` opens them.
    Configured(PathBuf, IndexConfig),
}

/// What one benchmark run measured.
#[derive(Debug, Clone)]
pub struct Report {
    /// Posts indexed.
    pub posts: usize,
    /// Passages indexed.
    pub passages: usize,
    /// Where the index was: `memory` or `disk`.
    pub placement: &'static str,
    /// Time to open the posts (read, analyse and index them, or open the index on disk and bring
    /// it up to date) and answer the first question.
    pub startup: Duration,
    /// Resident memory after startup, in bytes (0 where the system does not say).
    pub rss_after_startup: u64,
    /// Peak resident memory after the questions, in bytes (0 where the system does not say).
    pub peak_rss: u64,
    /// Questions asked (distinct questions times rounds).
    pub asked: usize,
    /// The slowest question the first time it was asked, when the caches of what it reads
    /// (passages, their parses, spelling corrections) held only what the questions before it
    /// left there: new questions cost about this much, repeated ones the percentiles below. The
    /// first question is left out (its first asking, which loads the answer models, is part of
    /// startup), so there is none with one question.
    pub first_max: Option<Duration>,
    /// Median latency of one question.
    pub p50: Duration,
    /// 99th percentile latency.
    pub p99: Duration,
    /// Slowest question.
    pub max: Duration,
    /// Mean latency.
    pub mean: Duration,
}

/// Reads questions from a file: one per line, or JSON lines with a `"question"` field.
pub fn read_questions(path: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(|source| CoreError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let questions: Vec<String> = citebot_core::ingest::lines(&text)
        .into_iter()
        .map(|line| text[line].trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l)
                .ok()
                .and_then(|v| {
                    v.get("question")
                        .and_then(|q| q.as_str())
                        .map(str::to_string)
                })
                .unwrap_or_else(|| l.to_string())
        })
        .collect();
    if questions.is_empty() {
        return Err(Error::Questions {
            path: path.to_path_buf(),
            message:
                "no questions in the file (one per line, or JSON lines with a \"question\" field)"
                    .into(),
        });
    }
    Ok(questions)
}

/// Opens the posts in `dir` and asks every question `rounds` times (after one warm-up round).
/// Questions the engine rejects as bad input are timed like any other.
pub fn run(
    setup: &Setup,
    settings: AnswerConfig,
    questions: &[String],
    rounds: usize,
) -> Result<Report> {
    if questions.is_empty() {
        return Err(Error::Settings("there are no questions to ask".into()));
    }
    if !(1..=MAX_ROUNDS).contains(&rounds) {
        return Err(Error::Settings(format!(
            "rounds must be between 1 and {MAX_ROUNDS}, got {rounds}"
        )));
    }
    if questions.len() * rounds > MAX_ASKED {
        return Err(Error::Settings(format!(
            "{} questions asked {rounds} times is more than {MAX_ASKED} questions; ask fewer rounds",
            questions.len()
        )));
    }
    let started = Instant::now();
    let (engine, placement) = match setup {
        Setup::InMemory(dir) => (
            std::sync::Arc::new(library::in_memory(
                dir,
                settings,
                &citebot_core::progress::LogProgress::default(),
            )?),
            "memory",
        ),
        Setup::Configured(dir, index) => {
            let (library, placement) = Library::open(dir, settings, index.clone())?;
            let placement = match placement {
                Placement::Disk(..) => "disk",
                Placement::Memory | Placement::MemoryInstead(_) => "memory",
            };
            (library.engine(), placement)
        }
    };
    let _ = engine.ask(&questions[0]);
    let startup = started.elapsed();
    let (rss_after_startup, _) = memory();
    let mut first_max = None;
    for q in &questions[1..] {
        let t = Instant::now();
        let _ = engine.ask(q);
        first_max = first_max.max(Some(t.elapsed()));
    }
    let mut times = Vec::with_capacity(questions.len() * rounds);
    for _ in 0..rounds {
        for q in questions {
            let t = Instant::now();
            let _ = std::hint::black_box(engine.ask(q));
            times.push(t.elapsed());
        }
    }
    times.sort();
    let at = |share: f64| {
        times[((times.len() as f64 * share).ceil() as usize).clamp(1, times.len()) - 1]
    };
    let posts = engine.posts();
    // The kernel's high-water mark misses memory given back without unmapping it (madvise), so
    // it can read below a resident size measured earlier: the peak is at least that.
    let peak_rss = memory().1.max(rss_after_startup);
    Ok(Report {
        posts: posts.len(),
        passages: posts.iter().map(|p| p.passages).sum(),
        placement,
        startup,
        rss_after_startup,
        peak_rss,
        asked: times.len(),
        first_max,
        p50: at(0.50),
        p99: at(0.99),
        max: *times.last().expect("at least one question"),
        mean: times.iter().sum::<Duration>() / times.len() as u32,
    })
}

/// This process's resident memory now and at its peak, in bytes, from `/proc/self/status`
/// (zeros where there is none).
pub fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .unwrap_or(0)
            * 1024
    };
    (kb("VmRSS:"), kb("VmHWM:"))
}

impl Report {
    /// The header of the Markdown table [`Report::row`] fills.
    pub const HEADER: &'static str = "| posts | passages | index | startup | RSS after startup | first asking, max | questions | p50 | p99 | max | mean | peak RSS |\n|---|---|---|---|---|---|---|---|---|---|---|---|";

    /// One Markdown table row.
    pub fn row(&self) -> String {
        let ms = |d: Duration| format!("{:.3} ms", d.as_secs_f64() * 1000.0);
        let mb = |bytes: u64| format!("{:.1} MB", bytes as f64 / 1e6);
        format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            self.posts,
            self.passages,
            self.placement,
            ms(self.startup),
            mb(self.rss_after_startup),
            self.first_max.map_or_else(|| "-".to_string(), ms),
            self.asked,
            ms(self.p50),
            ms(self.p99),
            ms(self.max),
            ms(self.mean),
            mb(self.peak_rss)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_come_from_real_runs() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.txt"),
            "The mill has 3 wheels.\nIt was built in 1820.\n",
        )
        .unwrap();
        let questions = vec![
            "How many wheels does the mill have?".to_string(),
            "When was it built?".to_string(),
        ];
        let report = run(
            &Setup::InMemory(dir.path().to_path_buf()),
            AnswerConfig::default(),
            &questions,
            3,
        )
        .unwrap();
        assert_eq!(report.asked, 6);
        assert_eq!(report.passages, 2);
        assert!(report.p50 <= report.p99 && report.p99 <= report.max);
        // The row fills every column of the header.
        let columns = |line: &str| line.matches('|').count();
        assert_eq!(
            columns(&report.row()),
            columns(Report::HEADER.lines().next().unwrap())
        );
    }

    #[test]
    fn the_configured_setup_is_benchmarked_where_it_is_placed() {
        let posts = tempfile::tempdir().unwrap();
        let store = tempfile::tempdir().unwrap();
        std::fs::write(posts.path().join("a.txt"), "The mill has 3 wheels.\n").unwrap();
        let questions = vec!["How many wheels does the mill have?".to_string()];
        let config = |on_disk_from| IndexConfig {
            dir: store.path().join("index"),
            on_disk_from,
            ..IndexConfig::default()
        };
        let setup =
            |on_disk_from| Setup::Configured(posts.path().to_path_buf(), config(on_disk_from));
        let on_disk = run(&setup(0), AnswerConfig::default(), &questions, 1).unwrap();
        assert_eq!((on_disk.placement, on_disk.passages), ("disk", 1));
        assert!(store.path().join("index/manifest.json").exists());
        let in_memory = run(&setup(usize::MAX), AnswerConfig::default(), &questions, 1).unwrap();
        assert_eq!(in_memory.placement, "memory");
        assert!(on_disk.peak_rss >= on_disk.rss_after_startup);
    }

    #[test]
    fn rounds_and_questions_asked_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "The mill has 3 wheels.\n").unwrap();
        let one = vec!["How many wheels?".to_string()];
        for rounds in [0, MAX_ROUNDS + 1, usize::MAX] {
            let err = run(
                &Setup::InMemory(dir.path().to_path_buf()),
                AnswerConfig::default(),
                &one,
                rounds,
            )
            .unwrap_err();
            assert!(matches!(err, Error::Settings(_)), "{rounds}: {err}");
            assert!(err.to_string().contains("rounds"), "{err}");
        }
        let many = vec!["How many wheels?".to_string(); MAX_ASKED / MAX_ROUNDS + 1];
        let err = run(
            &Setup::InMemory(dir.path().to_path_buf()),
            AnswerConfig::default(),
            &many,
            MAX_ROUNDS,
        )
        .unwrap_err();
        assert!(matches!(err, Error::Settings(_)), "{err}");
        let err = run(
            &Setup::InMemory(dir.path().to_path_buf()),
            AnswerConfig::default(),
            &[],
            1,
        )
        .unwrap_err();
        assert!(matches!(err, Error::Settings(_)), "{err}");
    }

    #[test]
    fn an_empty_questions_file_is_named_as_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.txt");
        std::fs::write(&path, "# only a comment\n").unwrap();
        let err = read_questions(&path).unwrap_err().to_string();
        assert!(err.starts_with("questions file `"), "{err}");
        assert!(!err.contains("post"), "{err}");
    }

    #[test]
    fn questions_are_read_from_lines_or_json_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q.txt");
        std::fs::write(
            &path,
            "# comment\nplain question?\n{\"question\": \"json one?\", \"id\": 1}\n\n",
        )
        .unwrap();
        assert_eq!(
            read_questions(&path).unwrap(),
            ["plain question?", "json one?"]
        );
        // Old Mac line endings separate questions too.
        std::fs::write(&path, "first question?\rsecond question?\r").unwrap();
        assert_eq!(
            read_questions(&path).unwrap(),
            ["first question?", "second question?"]
        );
    }
}
