//! The public face of the core: load posts, ask a question, get an [`Answer`] whose short answer is
//! a verbatim span of the passage it cites. (Placeholder implementation while the engine is built.)

use std::ops::Range;
use std::path::Path;
use std::time::SystemTime;

use serde::Serialize;

use crate::config::AnswerConfig;
use crate::error::{Error, Result};

/// What the engine concluded about a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The posts answer it; `answer` may still be `None` when no short span fits (yes/no questions).
    Answered,
    /// The posts mention the subject but give no figure for it: cite, but never put a number.
    NoFigure,
    /// The posts don't cover the question; citations, if any, are only the nearest passages.
    NotCovered,
}

/// One cited passage.
#[derive(Debug, Clone, Serialize)]
pub struct Citation {
    /// The post's file name within the posts folder.
    pub document: String,
    /// The post's title.
    pub title: String,
    /// The section heading the passage sits under, if any.
    pub section: Option<String>,
    /// 1-based paragraph number within the post.
    pub paragraph: usize,
    /// The cited text, verbatim from the post.
    pub text: String,
    /// Byte offset of `text` in the post's file.
    pub start: usize,
    /// Byte offset of the end of `text` in the post's file.
    pub end: usize,
    /// The words of `text` that matched the question, as they are written there.
    pub highlights: Vec<String>,
    /// Relevance score; higher is better.
    pub score: f32,
    /// Link to the post, from its front matter.
    #[serde(skip)]
    pub url: Option<String>,
    /// Byte ranges within `text` of the matched words (for bold rendering).
    #[serde(skip)]
    pub highlight_ranges: Vec<Range<usize>>,
    /// Byte range within `text` of the short answer, when it comes from this citation.
    #[serde(skip)]
    pub answer_range: Option<Range<usize>>,
}

/// The engine's reply to one question; serialises to the `ask --json` contract.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// The question as asked.
    pub question: String,
    /// False when the posts don't cover the question.
    pub answered: bool,
    /// The short answer, a verbatim span of the first citation's text.
    pub answer: Option<String>,
    /// Best first.
    pub citations: Vec<Citation>,
    /// Finer than `answered`: distinguishes "no figure given" from a plain answer.
    #[serde(skip)]
    pub outcome: Outcome,
}

/// One indexed post, for listings.
#[derive(Debug, Clone, Serialize)]
pub struct PostSummary {
    /// The post's file name within the posts folder.
    pub document: String,
    /// The post's title.
    pub title: String,
    /// How many passages it was split into.
    pub passages: usize,
    /// Link to the post, from its front matter.
    pub url: Option<String>,
}

/// Loaded posts and their search index; cheap to share behind an `Arc`.
pub struct Engine {
    settings: AnswerConfig,
    indexed_at: SystemTime,
}

impl Engine {
    /// Loads and indexes every post in `dir`.
    pub fn open(dir: &Path, settings: AnswerConfig) -> Result<Engine> {
        if !dir.is_dir() {
            return Err(Error::PostsDirMissing(dir.to_path_buf()));
        }
        Ok(Engine { settings, indexed_at: SystemTime::now() })
    }

    /// Answers a question with `settings.citations` citations.
    pub fn ask(&self, question: &str) -> Result<Answer> {
        self.ask_n(question, self.settings.citations)
    }

    /// Answers a question with up to `citations` citations.
    pub fn ask_n(&self, question: &str, _citations: usize) -> Result<Answer> {
        if question.trim().is_empty() {
            return Err(Error::EmptyQuestion);
        }
        Ok(Answer {
            question: question.to_string(),
            answered: false,
            answer: None,
            citations: Vec::new(),
            outcome: Outcome::NotCovered,
        })
    }

    /// The passages that best match `query`, best first.
    pub fn search(&self, _query: &str, _limit: usize) -> Result<Vec<Citation>> {
        Ok(Vec::new())
    }

    /// What is indexed.
    pub fn posts(&self) -> Vec<PostSummary> {
        Vec::new()
    }

    /// When the index was built.
    pub fn indexed_at(&self) -> SystemTime {
        self.indexed_at
    }
}
