//! The core's settings: the `[posts]`, `[index]` and `[answer]` sections of the committed
//! `config/citebot.toml` (every key documented there), parsed into typed structs with defaults, so
//! a missing key falls back and a misspelt key is an error that names it. Each section checks its
//! own values ([`AnswerConfig::check`], ...); the binary composes the sections of every crate into
//! the whole file. [`parse_toml`] is the one TOML reader all of them share.

use std::path::PathBuf;

use serde::Deserialize;

/// `[posts]`: where the posts to index live.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PostsConfig {
    /// Folder of `.txt`, `.md` and `.html` posts, relative to the working directory.
    pub dir: PathBuf,
}

impl Default for PostsConfig {
    fn default() -> Self {
        PostsConfig {
            dir: PathBuf::from("index"),
        }
    }
}

/// `[index]`: where the search index lives and how it follows changes to the posts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IndexConfig {
    /// Folder of the index on disk (with its manifest), relative to the working directory.
    pub dir: PathBuf,
    /// Corpora with at least this many passages are indexed on disk and reused across restarts;
    /// smaller ones are indexed in RAM at startup. 0: always on disk.
    pub on_disk_from: usize,
    /// Re-index when files in the posts folder change while `serve` runs.
    pub watch: bool,
    /// How long the posts folder must be quiet, in milliseconds, before a change is indexed.
    pub watch_debounce_ms: u64,
}

impl Default for IndexConfig {
    fn default() -> Self {
        IndexConfig {
            dir: PathBuf::from(".citebot"),
            on_disk_from: 10_000,
            watch: true,
            watch_debounce_ms: 1_000,
        }
    }
}

/// `[answer]`: how many citations to give and when to say the posts don't cover a question.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnswerConfig {
    /// How many citations an answer lists, best first.
    pub citations: usize,
    /// Longest question accepted, in characters.
    pub max_question_chars: usize,
    /// Share (0..1) of the question's key terms, weighted by rarity, that the best passage must
    /// contain for the question to count as covered by the posts.
    pub min_coverage: f32,
    /// Correct misspelt words by looking up close words in the index.
    pub fuzzy: bool,
    /// The probability (0..1) that the short answer is right below which it is not shown: the
    /// reply leads with the passage instead. 0 shows every best candidate.
    pub min_confidence: f32,
    /// The probability (0..1) that the posts answer the question below which citebot says they
    /// don't (and may list the nearest passages).
    pub min_answerable: f32,
}

impl Default for AnswerConfig {
    fn default() -> Self {
        AnswerConfig {
            citations: 3,
            max_question_chars: 1000,
            min_coverage: 0.4,
            fuzzy: true,
            min_confidence: 0.41,
            min_answerable: 0.3,
        }
    }
}

/// The shortest watch debounce, in milliseconds: the watcher polls at a quarter of it, and at 0 it
/// would spin.
const MIN_WATCH_DEBOUNCE_MS: u64 = 10;

impl PostsConfig {
    /// Checks the section; the message names the key that is wrong.
    pub fn check(&self) -> Result<(), String> {
        non_empty_folder("posts.dir", &self.dir)
    }
}

impl IndexConfig {
    /// Checks the section; the message names the key that is wrong.
    pub fn check(&self) -> Result<(), String> {
        non_empty_folder("index.dir", &self.dir)?;
        if self.watch_debounce_ms < MIN_WATCH_DEBOUNCE_MS {
            return Err(format!(
                "index.watch_debounce_ms must be at least {MIN_WATCH_DEBOUNCE_MS}, got {}",
                self.watch_debounce_ms
            ));
        }
        Ok(())
    }
}

impl AnswerConfig {
    /// Checks the section; the message names the key that is wrong.
    pub fn check(&self) -> Result<(), String> {
        for (key, value) in [
            ("min_coverage", self.min_coverage),
            ("min_confidence", self.min_confidence),
            ("min_answerable", self.min_answerable),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(format!("answer.{key} must be between 0 and 1, got {value}"));
            }
        }
        if self.citations == 0 {
            return Err("answer.citations must be at least 1".to_string());
        }
        if self.max_question_chars == 0 {
            return Err("answer.max_question_chars must be at least 1".to_string());
        }
        Ok(())
    }
}

/// A folder setting must name a folder.
fn non_empty_folder(key: &str, path: &std::path::Path) -> Result<(), String> {
    if path.as_os_str().is_empty() {
        return Err(format!("{key} is empty; name a folder"));
    }
    Ok(())
}

/// Parses TOML text into `T`. The error is one line naming the line and the key it is about
/// (`line 2 (answer.citations): invalid type: string "three", expected usize`), where toml's own
/// message gives neither.
pub fn parse_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_path_to_error::deserialize(toml::Deserializer::new(text)).map_err(|e| {
        let mut place = Vec::new();
        if let Some(span) = e.inner().span() {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            place.push(format!("line {line}"));
        }
        let key = e.path().to_string();
        if key != "." {
            place.push(format!("({key})"));
        }
        // toml's messages may run over several lines.
        let message = e.inner().message().lines().collect::<Vec<_>>().join("; ");
        if place.is_empty() {
            message
        } else {
            format!("{}: {message}", place.join(" "))
        }
    })
}
