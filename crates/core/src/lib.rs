//! citebot's core: posts in, cited answers out. It knows nothing of Discord or of the web (no
//! serenity, no HTTP client, no async runtime); the CLI, the bot and the tests all go through
//! [`Library`] and [`Engine`].
//!
//! The pipeline: [`ingest`] turns files into citable passages, `index` puts them in tantivy,
//! `retrieve` finds the passages and sentences that match a question, `answer` picks the short
//! verbatim span and the citations, and [`render`] turns an answer into text, linking each
//! citation to its sentence in the post ([`link`]). [`Library`] serves the posts of a folder and
//! re-indexes them ([`watch`] follows the folder); [`followup`] asks a follow-up question with
//! the context of the question before it; [`report`] reads the bot's feedback log. Every
//! hand-written word list (stopwords, synonyms, question words, ...) is a named set in
//! [`lexicon`].

pub mod analysis;
mod answer;
pub mod config;
mod engine;
mod error;
pub mod followup;
mod index;
pub mod ingest;
pub mod json;
pub mod lexicon;
pub mod library;
pub mod link;
pub mod paths;
mod posts;
pub mod progress;
pub mod question;
pub mod render;
pub mod report;
mod retrieve;
mod smalltalk;
mod store;
pub mod syntax;
pub mod training;
pub mod watch;

pub use config::{AnswerConfig, IndexConfig, PostsConfig};
pub use engine::{Answer, Citation, Engine, Outcome, PostSummary};
pub use error::{Error, Result};
pub use library::{Changes, Library, Placement};
