//! The `citebot` command: a thin layer over the library. `ask` answers questions offline from the
//! posts folder; errors are printed in one line each and turn into a non-zero exit status.
//! Standard output is written through [`Output`]: a reader that goes away (`| head -1`) ends the
//! command quietly, as in ripgrep, and a write that fails otherwise (a full disk) is an error.

use std::ffi::OsString;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use citebot::Config;
use citebot_core::library::Placement;
use citebot_core::progress::{LogProgress, Progress, Stage};
use citebot_core::render::terminal_safe;
use citebot_core::training::DEFAULT_PRECISION;
use citebot_core::{Engine, Library};
use citebot_web::{Web, Which};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

#[derive(Parser)]
#[command(
    name = "citebot",
    version,
    about = "Answers questions about a community's posts with cited, verbatim passages."
)]
struct Cli {
    /// Configuration file [default: config/citebot.toml, if it exists].
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Answer a question from the posts (or one question per line from stdin with `-`).
    Ask {
        /// The question, or `-` to read one question per line from standard input.
        question: OsString,
        /// Print JSON (one object per question) instead of text.
        #[arg(long)]
        json: bool,
        /// Index the posts in this folder instead of the configured one.
        #[arg(long)]
        docs: Option<PathBuf>,
        /// Answer from this post only: its file name in the posts folder (the extension may be
        /// left out), or the start of its title (case-insensitive, naming one post).
        #[arg(long, value_name = "ID")]
        post: Option<OsString>,
    },
    /// Build or check the index of the configured posts folder and print a summary per post.
    Index,
    /// Measure start-up time and per-question latency (p50/p99) and print a Markdown table.
    Bench {
        /// Questions to ask: one per line, or JSON lines with a "question" field.
        #[arg(long, default_value = "benches/questions.txt")]
        questions: PathBuf,
        /// Index the posts in this folder in memory instead of opening the configured posts and
        /// index (on disk when the config places it there).
        #[arg(long)]
        docs: Option<PathBuf>,
        /// How many times each question is asked, from 1 to 1000.
        #[arg(long, default_value_t = 20, value_parser = rounds_parser())]
        rounds: usize,
    },
    /// Fetch the web sources ([[web]] in the config) into the posts folder, one line per page.
    Fetch,
    /// Run the Discord bot until SIGINT or SIGTERM (token: DISCORD_TOKEN in the environment or .env).
    Serve,
    /// Sum up the bot's feedback log for admins: questions per day, outcomes, coverage gaps,
    /// feedback per post, the posts and sections cited most.
    Report {
        /// Only entries from this day (YYYY-MM-DD, UTC) on.
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Also write the report as one self-contained HTML page with SVG charts to FILE.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
    },
    /// Retrain a shipped model from its training data (see models/README.md).
    Train {
        #[command(subcommand)]
        model: TrainCommand,
    },
}

#[derive(Subcommand)]
enum TrainCommand {
    /// Train the part-of-speech tagger and the dependency parser on a Universal Dependencies
    /// treebank (a folder with `*-ud-train.conllu` and `*-ud-test.conllu`) and print their
    /// accuracy on its test file.
    Syntax {
        /// The treebank folder.
        #[arg(long)]
        treebank: PathBuf,
        /// Where to write the model files.
        #[arg(long, default_value = "crates/core/models")]
        out: PathBuf,
    },
    /// Train the answer models (candidate ranker, confidence, answerability) on a SQuAD-style
    /// question set (a folder with docs/, questions.jsonl and contexts.jsonl) and print how they
    /// do on held-out articles.
    Answers {
        /// The question set to train on.
        #[arg(long)]
        data: PathBuf,
        /// Where to write the model files.
        #[arg(long, default_value = "crates/core/models")]
        out: PathBuf,
        /// Another question set to measure the new models on (never trained on).
        #[arg(long)]
        check: Option<PathBuf>,
        /// Seed of the training shuffles; a seed other than the shipped models' shows how far
        /// the shuffles alone move the figures.
        #[arg(long, default_value_t = citebot_core::training::DEFAULT_SEED)]
        seed: u64,
    },
}

/// What is logged without `RUST_LOG`: warnings, and progress lines so that long work off a
/// terminal is never silent.
const DEFAULT_LOG: &str = "warn,citebot_core::progress=info";

/// Exit status of a command line that cannot be parsed, as clap's own.
const USAGE_ERROR: u8 = 2;

fn main() -> ExitCode {
    // Colours only for a person at a terminal (and not for one who asked for none), never in a
    // log file or a journal.
    let colour = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(DEFAULT_LOG)),
        )
        .with_writer(std::io::stderr)
        .with_ansi(colour)
        // A log line that cannot be written (stderr on a full disk) is lost quietly; reporting
        // it on stderr would panic.
        .log_internal_errors(false)
        .init();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // clap explains this one with a usage block; it needs one line.
        Err(err) if err.kind() == clap::error::ErrorKind::InvalidUtf8 => {
            report("error: an argument is not valid UTF-8");
            return ExitCode::from(USAGE_ERROR);
        }
        Err(err) => err.exit(),
    };
    match run(cli) {
        Ok(code) => code,
        Err(err) => match err.downcast_ref::<StdoutError>() {
            Some(StdoutError(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
            _ => {
                report(&format!("error: {}", error_line(&err)));
                ExitCode::FAILURE
            }
        },
    }
}

/// The error and its causes in one line. A cause the message already quotes is not repeated:
/// the library's errors name their source (`cannot read `x`: No such file or directory`).
fn error_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// Why bytes that should be UTF-8 text are not: where the first bad byte is.
fn not_utf8(what: &str, bytes: &[u8]) -> String {
    let at = std::str::from_utf8(bytes)
        .err()
        .map_or(0, |e| e.valid_up_to());
    format!("{what} is not valid UTF-8 (invalid byte at offset {at})")
}

/// Writes a line to standard error, safe for a terminal (messages quote titles, file names and
/// questions); if even that fails there is nobody left to tell.
fn report(line: &str) {
    let _ = writeln!(std::io::stderr(), "{}", terminal_safe(line));
}

/// A write to standard output failed.
#[derive(Debug)]
struct StdoutError(std::io::Error);

impl std::fmt::Display for StdoutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write to standard output: {}", self.0)
    }
}

impl std::error::Error for StdoutError {}

/// Standard output, where every write is checked (the `print!` macros panic when one fails).
struct Output(std::io::StdoutLock<'static>);

impl Output {
    fn new() -> Output {
        Output(std::io::stdout().lock())
    }

    /// Writes `text` as it is.
    fn write(&mut self, text: &str) -> Result<(), StdoutError> {
        self.0.write_all(text.as_bytes()).map_err(StdoutError)
    }

    /// Writes `text` and a newline.
    fn line(&mut self, text: &str) -> Result<(), StdoutError> {
        self.write(text)?;
        self.write("\n")
    }

    /// Writes out whatever is buffered; a failure must not go unnoticed at exit.
    fn flush(&mut self) -> Result<(), StdoutError> {
        self.0.flush().map_err(StdoutError)
    }
}

/// `bench --rounds`: 1 to [`citebot::bench::MAX_ROUNDS`].
fn rounds_parser() -> clap::builder::RangedU64ValueParser<usize> {
    clap::builder::RangedU64ValueParser::new().range(1..=citebot::bench::MAX_ROUNDS as u64)
}

/// The config file citebot reads when `--config` is not given; without it, defaults apply.
const DEFAULT_CONFIG: &str = "config/citebot.toml";

/// Loads the config: a file named with `--config` must exist; the default one may be absent.
fn load_config(path: Option<&PathBuf>) -> anyhow::Result<Config> {
    match path {
        Some(path) => Ok(Config::from_file(path)?),
        None if PathBuf::from(DEFAULT_CONFIG).exists() => {
            Ok(Config::from_file(&PathBuf::from(DEFAULT_CONFIG))?)
        }
        None => Ok(Config::default()),
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = load_config(cli.config.as_ref())?;
    match cli.command {
        Command::Ask {
            question,
            json,
            docs,
            post,
        } => {
            // A folder given on the command line is indexed in RAM for this run only; the
            // configured one uses the configured index (on disk for large corpora).
            let engine = match docs {
                Some(dir) => std::sync::Arc::new(
                    citebot_core::library::in_memory(&dir, config.answer.clone(), &*progress())
                        .with_context(|| format!("cannot load the posts in `{}`", dir.display()))?,
                ),
                None => open_library(&config)?.0.engine(),
            };
            // A post named by its raw file name finds the post whose id escapes that name.
            let post = post
                .map(|p| {
                    p.into_string().unwrap_or_else(|raw| {
                        citebot_core::ingest::post_id(Path::new(""), Path::new(&raw))
                    })
                })
                .map(|p| engine.find_post(&p).map(str::to_string))
                .transpose()?;
            let scope = Scope {
                citations: engine.settings().citations,
                engine,
                post,
            };
            let mut out = Output::new();
            let code = match question.to_str() {
                Some("-") => ask_stdin(&scope, json, &mut out)?,
                Some(question) => ask_one(&scope, question, json, &mut out)?,
                None => refuse(
                    &scope,
                    &question.to_string_lossy(),
                    &not_utf8("the question", question.as_encoded_bytes()),
                    json,
                    &mut out,
                )?,
            };
            out.flush()?;
            Ok(code)
        }
        Command::Index => {
            let (library, placement) = open_library(&config)?;
            let mut out = Output::new();
            print_index_summary(&library, &placement, &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            questions,
            docs,
            rounds,
        } => {
            let (dir, setup) = match docs {
                Some(dir) => (dir.clone(), citebot::bench::Setup::InMemory(dir)),
                None => (
                    config.posts.dir.clone(),
                    citebot::bench::Setup::Configured(
                        config.posts.dir.clone(),
                        config.index.clone(),
                    ),
                ),
            };
            let questions = citebot::bench::read_questions(&questions)?;
            let report = citebot::bench::run(&setup, config.answer.clone(), &questions, rounds)
                .with_context(|| format!("cannot benchmark the posts in `{}`", dir.display()))?;
            let mut out = Output::new();
            out.line(citebot::bench::Report::HEADER)?;
            out.line(&report.row())?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Report { since, html } => {
            let log = &config.discord.feedback_log;
            if log.as_os_str().is_empty() {
                anyhow::bail!(
                    "there is no feedback log to report on: discord.feedback_log is empty"
                );
            }
            let since = since
                .as_deref()
                .map(citebot_core::report::day_start)
                .transpose()?;
            let report = citebot_core::report::Report::read(log, since)?;
            if let Some(path) = html {
                let title = format!("citebot report, {}", citebot_core::report::today());
                std::fs::write(&path, report.html(&title))
                    .with_context(|| format!("cannot write the report to `{}`", path.display()))?;
            }
            let mut out = Output::new();
            out.write(&terminal_safe(&report.text()))?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Fetch => {
            let web = config.web();
            if web.sources()?.is_empty() {
                anyhow::bail!(
                    "no web sources: add [[web]] entries with a url to the config (see docs/web.md)"
                );
            }
            let mut out = Output::new();
            let mut written = Ok(());
            let report = web.fetch(
                Which::All,
                &mut |entry| {
                    if written.is_ok() {
                        written = out.line(&terminal_safe(&entry.line()));
                    }
                },
                &*progress(),
            )?;
            written?;
            out.line(&report.summary())?;
            out.flush()?;
            Ok(if report.count("failed") == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Train {
            model:
                TrainCommand::Syntax {
                    treebank,
                    out: folder,
                },
        } => {
            let started = std::time::Instant::now();
            let trained = citebot_core::syntax::train::train(&treebank, &folder, report)?;
            let mut out = Output::new();
            out.line(&format!(
                "trained on {} sentences in {:.0} s; on the test file ({} words): \
                 UPOS accuracy {:.4}, UAS {:.4}, LAS {:.4}",
                trained.train_sentences,
                started.elapsed().as_secs_f64(),
                trained.test_words,
                trained.tag_accuracy,
                trained.uas,
                trained.las
            ))?;
            for (path, size) in &trained.files {
                out.line(&format!("wrote {} ({size} bytes)", path.display()))?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Train {
            model:
                TrainCommand::Answers {
                    data,
                    out: folder,
                    check,
                    seed,
                },
        } => {
            let started = std::time::Instant::now();
            let trained = citebot_core::training::train(&data, &folder, seed, report)?;
            let mut out = Output::new();
            out.line(&format!(
                "trained on {} questions in {:.0} s; the gold answer is among the eligible candidates of {}; \
                 held-out articles: best candidate right for {:.3} of answerable questions \
                 (EM {:.3}, F1 {:.3})",
                trained.questions,
                started.elapsed().as_secs_f64(),
                trained.reachable,
                trained.top1,
                trained.exact,
                trained.f1
            ))?;
            out.line("min_confidence  shown (of answerable)  precision")?;
            for (t, shown, precision) in &trained.thresholds {
                out.line(&format!("{t:>14.2}  {shown:>20.3}  {precision:>9.3}"))?;
            }
            out.line(&match trained.suggested {
                Some(t) => format!(
                    "default min_confidence: {t:.2} (the lowest threshold above whose precision, \
                     less one standard error, is at least {DEFAULT_PRECISION:.2})"
                ),
                None => format!(
                    "default min_confidence: none above reaches a precision of \
                     {DEFAULT_PRECISION:.2}, less one standard error"
                ),
            })?;
            out.line("min_answerable  declined: unanswerable  answerable")?;
            for (t, unanswerable, answerable) in &trained.declined {
                out.line(&format!(
                    "{t:>14.2}  {unanswerable:>22.3}  {answerable:>10.3}"
                ))?;
            }
            for (path, size) in &trained.files {
                out.line(&format!("wrote {} ({size} bytes)", path.display()))?;
            }
            if let Some(check) = check {
                let models = std::sync::Arc::new(trained.models);
                // The configured gate, everything shown, and the thresholds of the table above:
                // the trade-off on questions the models never saw.
                let configured = &config.answer;
                let mut grid = vec![configured.min_confidence];
                for t in [0.0, 0.3, 0.5, 0.6, 0.7] {
                    if t != configured.min_confidence {
                        grid.push(t);
                    }
                }
                let min_answerable = configured.min_answerable;
                for min_confidence in grid {
                    let settings = citebot::config::AnswerConfig {
                        min_confidence,
                        min_answerable,
                        ..configured.clone()
                    };
                    let c = citebot_core::training::check(&check, models.clone(), settings)?;
                    out.line(&format!(
                        "check, min_confidence {min_confidence} min_answerable {min_answerable}: passage@1 {:.3}  EM {:.3}  F1 {:.3}  abstain {:.3}  shown {:.3}  precision {:.3}",
                        c.passage, c.exact, c.f1, c.abstain, c.shown, c.precision
                    ))?;
                }
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve => {
            check_feedback_log(&config)?;
            let runtime =
                tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
            let served = runtime.block_on(serve(config));
            // Work still running (a re-index on the blocking pool, a shard serenity keeps
            // retrying) must not hold the exit up.
            runtime.shutdown_timeout(EXIT_GRACE);
            served?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// How long `serve` waits at exit for work still running on the runtime.
const EXIT_GRACE: std::time::Duration = std::time::Duration::from_secs(1);

/// `citebot serve`: fetches the web sources if they never were, loads the posts, watches them,
/// refreshes the web sources on their schedule, and runs the bot until SIGINT or SIGTERM, which
/// end it cleanly (exit status 0) at any point, even while the pages are fetched or the posts
/// are loading.
async fn serve(config: Config) -> anyhow::Result<()> {
    let shutdown = citebot_discord::ShutdownSignal::listen()?;
    let config = std::sync::Arc::new(config);
    let web = config.web();
    // A site never fetched is fetched before the posts are loaded, so a bot that serves only
    // web pages can start.
    let fetched = until_shutdown(&shutdown, "fetching the web sources", move || {
        fetch_first(&web)?;
        Ok(web)
    });
    let Some(web) = fetched.await? else {
        // The pages saved so far are whole (each is written through a rename); the next start
        // fetches every source again (first, or at once on its schedule).
        return Ok(());
    };
    let loading = until_shutdown(&shutdown, "loading the posts", {
        let config = config.clone();
        move || Ok(open_library(&config)?.0)
    });
    let Some(library) = loading.await? else {
        // Stopping halfway through indexing leaves the index on disk as kill -9 would, which
        // the next start detects and repairs.
        return Ok(());
    };
    let library = std::sync::Arc::new(library);
    let web = std::sync::Arc::new(web);
    let _schedule = citebot_web::schedule::start(library.clone(), Some(web.clone()))?;
    let _watch = if config.index.watch {
        let debounce = std::time::Duration::from_millis(config.index.watch_debounce_ms);
        Some(citebot_core::watch::start(library.clone(), debounce)?)
    } else {
        None
    };
    citebot_discord::serve(&config.discord, library, Some(web), shutdown.received()).await?;
    Ok(())
}

/// Runs `work`, which blocks, on the blocking pool until it is done or SIGINT/SIGTERM arrives,
/// whichever comes first: `None` (and a log line naming what was `doing`) for the signal. Work
/// left running ends with the process.
async fn until_shutdown<T: Send + 'static>(
    shutdown: &citebot_discord::ShutdownSignal,
    doing: &str,
    work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<Option<T>> {
    tokio::select! {
        done = tokio::task::spawn_blocking(work) => {
            Ok(Some(done.with_context(|| format!("{doing} failed"))??))
        }
        () = shutdown.clone().received() => {
            tracing::info!("shutting down while {doing}");
            Ok(None)
        }
    }
}

/// The first fetch of `serve`: every web source, when there are some and none was ever fetched
/// (citebot's web folder does not exist yet).
fn fetch_first(web: &Web) -> anyhow::Result<()> {
    if web.sources()?.is_empty() || web.folder().exists() {
        return Ok(());
    }
    let report = web.fetch(
        Which::All,
        &mut |entry| tracing::info!("fetch: {}", entry.line()),
        &*progress(),
    )?;
    tracing::info!(summary = %report.summary(), "fetched the web sources");
    Ok(())
}

/// Refuses a feedback log in the posts folder: citebot would append to a post, or add a file the
/// watch takes for a change of the posts.
fn check_feedback_log(config: &Config) -> anyhow::Result<()> {
    let (log, posts) = (&config.discord.feedback_log, &config.posts.dir);
    if log.as_os_str().is_empty() {
        return Ok(());
    }
    match citebot_core::paths::overlap(log, posts) {
        None => Ok(()),
        Some(relation) => anyhow::bail!(
            "the feedback log `{}` (discord.feedback_log) {relation} the posts folder `{}`; put it outside the posts",
            log.display(),
            posts.display()
        ),
    }
}

/// Loads the configured posts folder with the configured index.
fn open_library(config: &Config) -> anyhow::Result<(Library, Placement)> {
    let dir = &config.posts.dir;
    Library::open_with(
        dir,
        config.answer.clone(),
        config.index.clone(),
        &*progress(),
    )
    .with_context(|| format!("cannot load the posts in `{}`", dir.display()))
}

/// Where loading reports its progress: a bar for a person at a terminal, log lines elsewhere.
fn progress() -> Box<dyn Progress> {
    if std::io::stderr().is_terminal() {
        Box::new(BarProgress::default())
    } else {
        Box::new(LogProgress::default())
    }
}

/// A stage must run this long before its bar is drawn, so quick work shows nothing.
const BAR_AFTER: std::time::Duration = std::time::Duration::from_millis(500);

/// Progress as a bar on standard error, drawn once a stage has run for [`BAR_AFTER`] and
/// cleared when it ends.
#[derive(Default)]
struct BarProgress {
    bar: std::cell::RefCell<Option<ProgressBar>>,
    started: std::cell::Cell<Option<std::time::Instant>>,
}

impl Progress for BarProgress {
    fn start(&self, stage: Stage, total: usize) {
        let style =
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {prefix}, {eta} left")
                .expect("the template is valid")
                .progress_chars("=> ");
        let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden())
            .with_style(style)
            .with_message(stage.doing())
            .with_prefix(stage.items());
        self.finish();
        *self.bar.borrow_mut() = Some(bar);
        self.started.set(Some(std::time::Instant::now()));
    }

    fn advance(&self) {
        if let Some(bar) = &*self.bar.borrow() {
            bar.inc(1);
            if self.started.get().is_some_and(|t| t.elapsed() >= BAR_AFTER) {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                self.started.set(None);
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.borrow_mut().take() {
            bar.finish_and_clear();
        }
    }

    fn waiting(&self, what: &str) {
        report(&format!("waiting: {what}"));
    }

    fn suspend(&self, print: &mut dyn FnMut()) {
        match &*self.bar.borrow() {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }
}

/// `citebot index`: where the index lives, what bringing it up to date did, and one line per post.
fn print_index_summary(
    library: &Library,
    placement: &Placement,
    out: &mut Output,
) -> Result<(), StdoutError> {
    // Titles, file names and reasons come from the posts and the file system.
    let mut line = |text: String| out.line(&terminal_safe(&text));
    let engine = library.engine();
    let status = |id: &str| -> &str {
        match placement {
            Placement::Memory | Placement::MemoryInstead(_) => "in memory",
            Placement::Disk(_, report) if report.indexed.iter().any(|i| i == id) => "indexed",
            Placement::Disk(..) => "unchanged",
        }
    };
    for post in engine.posts() {
        line(format!(
            "{:<10} {:>6} passages  {}  ({})",
            status(&post.document),
            post.passages,
            post.document,
            post.title
        ))?;
    }
    let posts = engine.posts().len();
    let corpus = format!(
        "{posts} post{}, {} passages",
        if posts == 1 { "" } else { "s" },
        engine.passages()
    );
    match placement {
        Placement::Memory => line(format!(
            "{corpus}, indexed in memory (fewer than index.on_disk_from passages)"
        )),
        Placement::MemoryInstead(reason) => line(format!(
            "{corpus}, indexed in memory because the index on disk cannot be used: {reason}"
        )),
        Placement::Disk(dir, report) => {
            for removed in &report.removed {
                line(format!("{:<10} {:>6}           {removed}", "removed", "-"))?;
            }
            if let Some(reason) = &report.rebuilt {
                line(format!("built the whole index: {reason}"))?;
            }
            line(format!(
                "{corpus}, index in `{}`{}: {} indexed, {} unchanged, {} removed",
                dir.display(),
                if report.read_only { " (read-only)" } else { "" },
                report.indexed.len(),
                report.reused,
                report.removed.len()
            ))
        }
    }
}

/// What `ask` asks: the engine, how many citations, and the post it is limited to. Cloned
/// cheaply into each of [`ask_stdin`]'s answering threads.
#[derive(Clone)]
struct Scope {
    engine: std::sync::Arc<Engine>,
    citations: usize,
    post: Option<String>,
}

impl Scope {
    /// The answer to `question`, or what to tell the asker instead.
    fn ask(&self, question: &str) -> Result<citebot_core::Answer, String> {
        answer_or_message(|| {
            self.engine
                .ask_in(question, self.citations, self.post.as_deref())
        })
    }
}

/// What the asker is told when the engine panics: a bug, whose detail the panic hook has
/// already written to standard error.
const ENGINE_PANICKED: &str =
    "citebot failed on this question (an internal error; the detail is above)";

/// The answer `ask` gives, or its error as a message. A panic fails only this question, so a
/// batch (`ask -`) still answers the lines after it: the engine's locks and caches are left
/// usable by a panic (a poisoned lock is taken back, an unfinished cache entry is redone).
fn answer_or_message(
    ask: impl FnOnce() -> citebot_core::Result<citebot_core::Answer>,
) -> Result<citebot_core::Answer, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(ask)) {
        Ok(reply) => reply.map_err(|e| e.to_string()),
        Err(_) => Err(ENGINE_PANICKED.to_string()),
    }
}

fn ask_one(
    engine: &Scope,
    question: &str,
    json: bool,
    out: &mut Output,
) -> Result<ExitCode, StdoutError> {
    match engine.ask(question) {
        Ok(answer) => {
            if json {
                out.line(&citebot_core::json::answer_line(&answer))?;
            } else {
                out.write(&citebot_core::render::answer_text(&answer))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(message) => refuse(engine, question, &message, json, out),
    }
}

/// Reports a question that cannot be asked: one line on stderr, and the error reply in JSON.
fn refuse(
    engine: &Scope,
    question: &str,
    message: &str,
    json: bool,
    out: &mut Output,
) -> Result<ExitCode, StdoutError> {
    if json {
        out.line(&error_json(
            question,
            message,
            engine.engine.settings().max_question_chars,
        ))?;
    }
    report(&format!("error: {message}"));
    Ok(ExitCode::FAILURE)
}

/// A line of standard input for [`ask_stdin`]'s answering threads: the question, or the line as
/// text and why it cannot be asked.
type Job = Result<String, (String, String)>;

/// One question per line; every line gets exactly one reply line, in order, so a bad line
/// (invalid UTF-8, empty, too long) is reported without shifting the others. A line is never
/// held in memory past what the longest question allowed can take.
///
/// The questions are answered on every core (a batch of thousands is the scorers' and a
/// community's bulk check), and the replies written in the order of the lines as each becomes
/// due, so a line typed at a terminal is answered as soon as it is typed. A thread reads the
/// lines, at most [`LINES_IN_FLIGHT_PER_THREAD`] per answering thread ahead of the replies
/// written, so a slow reader of the replies or one slow question holds memory bounded; this
/// one writes, and when standard output fails it returns at once, leaving the others to end
/// with the process.
fn ask_stdin(scope: &Scope, json: bool, out: &mut Output) -> anyhow::Result<ExitCode> {
    use std::sync::mpsc::sync_channel;
    let limit = scope.engine.settings().max_question_chars;
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let in_flight = LINES_IN_FLIGHT_PER_THREAD * threads;
    // A line is read only when a slot is free, and writing its reply frees the slot.
    let (free_slot, slots) = sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        free_slot.send(()).expect("the channel holds every slot");
    }
    // The slots already bound the queue: it never holds more lines than are in flight.
    let (to_answer, jobs) = std::sync::mpsc::channel::<(usize, Job)>();
    let jobs = std::sync::Arc::new(std::sync::Mutex::new(jobs));
    let (answered, replies) = std::sync::mpsc::channel();
    for n in 1..=threads {
        let (scope, jobs, answered) = (scope.clone(), jobs.clone(), answered.clone());
        // Named, so that a panic's message on standard error says where it came from.
        let thread = std::thread::Builder::new().name(format!("answer-{n}"));
        thread
            .spawn(move || loop {
                // The lock is held only to take a job; `Scope::ask` catches the engine's panics.
                let job = jobs
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .recv();
                let Ok((number, job)) = job else { return };
                let reply = job.and_then(|q| scope.ask(&q).map_err(|message| (q, message)));
                if answered.send((number, reply)).is_err() {
                    return;
                }
            })
            .context("cannot start a thread to answer on")?;
    }
    drop(answered);
    let reader = std::thread::Builder::new()
        .name("read-questions".into())
        .spawn(move || read_questions(limit, &slots, &to_answer))
        .context("cannot start a thread to read the questions")?;
    let mut failed = 0usize;
    let mut due = 1usize;
    let mut early = std::collections::BTreeMap::new();
    // The replies end when every answering thread has, after the reader closed the queue.
    for (number, reply) in replies {
        early.insert(number, reply);
        while let Some(reply) = early.remove(&due) {
            match reply {
                Ok(answer) if json => out.line(&citebot_core::json::answer_line(&answer))?,
                Ok(answer) => out.line(&citebot_core::render::answer_text(&answer))?,
                Err((question, message)) => {
                    failed += 1;
                    report(&format!("error: line {due}: {message}"));
                    if json {
                        out.line(&error_json(&question, &message, limit))?;
                    }
                }
            }
            due += 1;
            // The reader holds the other end until it ends; then no slot is wanted.
            let _ = free_slot.send(());
        }
    }
    // A reader still waiting for a slot (were an answering thread lost) is let go.
    drop(free_slot);
    let lines = reader
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    // Every line has been answered, unless an answering thread died (a bug): say so rather
    // than end short with success.
    anyhow::ensure!(
        due - 1 == lines,
        "{} of {lines} lines got no reply (an internal error)",
        lines - (due - 1)
    );
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// How many lines [`ask_stdin`] may have read and not yet replied to, per answering thread:
/// enough to keep every thread busy while a slow question holds up the replies after it.
const LINES_IN_FLIGHT_PER_THREAD: usize = 16;

/// [`ask_stdin`]'s reader: takes a free slot for each line, numbers the lines of standard input
/// from 1 and queues each, until the input ends or the writer or the answering threads are
/// gone. Returns how many lines it queued.
fn read_questions(
    limit: usize,
    slots: &std::sync::mpsc::Receiver<()>,
    to_answer: &std::sync::mpsc::Sender<(usize, Job)>,
) -> anyhow::Result<usize> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let max_bytes = line_bytes(limit);
    let mut line = Vec::with_capacity(max_bytes);
    let mut number = 0usize;
    while slots.recv().is_ok() {
        let Some(read) =
            read_line(&mut input, &mut line, max_bytes).context("cannot read standard input")?
        else {
            break;
        };
        number += 1;
        // A line cut short may end inside a character: only a wrong byte before the cut makes
        // it invalid UTF-8 rather than too long.
        let invalid_byte = std::str::from_utf8(&line)
            .err()
            .is_some_and(|e| e.error_len().is_some());
        let job = match read {
            Line::TooLong { chars } if !invalid_byte => Err((
                String::from_utf8_lossy(&line).into_owned(),
                citebot_core::Error::QuestionTooLong { chars, limit }.to_string(),
            )),
            _ => match std::str::from_utf8(&line) {
                Ok(question) => Ok(question.to_string()),
                Err(_) => Err((
                    String::from_utf8_lossy(&line).into_owned(),
                    not_utf8("the line", &line),
                )),
            },
        };
        if to_answer.send((number, job)).is_err() {
            return Ok(number - 1);
        }
    }
    Ok(number)
}

/// The most bytes of a line [`ask_stdin`] keeps: the longest question allowed in the longest
/// UTF-8 characters (4 bytes), and a carriage return.
fn line_bytes(max_question_chars: usize) -> usize {
    max_question_chars.saturating_mul(4).saturating_add(1)
}

/// How a line was read by [`read_line`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// The whole line is in the buffer.
    Whole,
    /// The line was longer than the buffer may grow: it holds the start only. `chars` counts the
    /// whole line's characters.
    TooLong { chars: usize },
}

/// Reads the next line into `line`, without its line ending, keeping at most `max_bytes` bytes:
/// the rest of a longer line is read past and only counted, never stored. `None` at the end of
/// the input.
fn read_line(
    input: &mut impl BufRead,
    line: &mut Vec<u8>,
    max_bytes: usize,
) -> std::io::Result<Option<Line>> {
    line.clear();
    let mut any = false;
    let mut too_long = false;
    // Characters of the whole line: the bytes that do not continue a UTF-8 sequence.
    let mut chars = 0usize;
    let mut last = None;
    loop {
        let buffer = match input.fill_buf() {
            Ok(buffer) => buffer,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buffer.is_empty() {
            break;
        }
        any = true;
        let end = buffer.iter().position(|&b| b == b'\n');
        let part = &buffer[..end.unwrap_or(buffer.len())];
        chars += part.iter().filter(|&&b| !(0x80..0xc0).contains(&b)).count();
        last = part.last().copied().or(last);
        let room = max_bytes - line.len();
        if part.len() > room {
            too_long = true;
        }
        line.extend_from_slice(&part[..part.len().min(room)]);
        let used = end.map_or(part.len(), |e| e + 1);
        input.consume(used);
        if end.is_some() {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if too_long {
        return Ok(Some(Line::TooLong {
            chars: chars - usize::from(last == Some(b'\r')),
        }));
    }
    while line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Some(Line::Whole))
}

/// The JSON reply for a question that could not be asked: the usual fields, unanswered, plus
/// `error`. A question longer than `limit` characters is echoed cut to `limit`, ending in `…`.
fn error_json(question: &str, message: &str, limit: usize) -> String {
    let question = match question.char_indices().nth(limit) {
        Some((cut, _)) => format!("{}…", &question[..cut]),
        None => question.to_string(),
    };
    serde_json::json!({
        "question": question,
        "answered": false,
        "answer": null,
        "citations": [],
        "error": message,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn a_long_line_is_counted_and_skipped_without_being_stored() {
        const LONG: u64 = 64 << 20;
        let mut input = std::io::BufReader::new(
            std::io::repeat(b'a')
                .take(LONG)
                .chain(&b"\r\nnext\r\n\xc3\xa9t\xc3\xa9"[..]),
        );
        let max_bytes = line_bytes(4);
        let mut line = Vec::with_capacity(max_bytes);
        let read = read_line(&mut input, &mut line, max_bytes).unwrap();
        assert_eq!(
            read,
            Some(Line::TooLong {
                chars: LONG as usize
            })
        );
        assert_eq!(line, b"aaaaaaaaaaaaaaaaa");
        assert_eq!(line.capacity(), max_bytes, "the buffer never grew");
        assert_eq!(
            read_line(&mut input, &mut line, max_bytes).unwrap(),
            Some(Line::Whole)
        );
        assert_eq!(line, b"next");
        // The last line has no line ending; characters, not bytes, are counted.
        assert_eq!(
            read_line(&mut input, &mut line, 3).unwrap(),
            Some(Line::TooLong { chars: 3 })
        );
        assert_eq!(read_line(&mut input, &mut line, max_bytes).unwrap(), None);
    }

    #[test]
    fn a_panicking_question_fails_alone_with_a_short_message() {
        // `resume_unwind` skips the panic hook: the test prints nothing.
        let reply = answer_or_message(|| std::panic::resume_unwind(Box::new("detail")));
        assert_eq!(reply.unwrap_err(), ENGINE_PANICKED);
        let reply = answer_or_message(|| Err(citebot_core::Error::EmptyQuestion));
        assert_eq!(
            reply.unwrap_err(),
            citebot_core::Error::EmptyQuestion.to_string()
        );
    }

    #[test]
    fn an_echoed_question_is_cut_to_the_limit() {
        let reply: serde_json::Value =
            serde_json::from_str(&error_json("abcdef", "too long", 3)).unwrap();
        assert_eq!(reply["question"], "abc…");
        let reply: serde_json::Value =
            serde_json::from_str(&error_json("abc", "empty", 3)).unwrap();
        assert_eq!(reply["question"], "abc");
    }
}
