//! citebot's core: posts in, cited answers out. It knows nothing of Discord; the CLI, the bot and
//! the tests all go through [`Engine`].
//!
//! The pipeline: [`ingest`] turns files into citable passages, [`index`] puts them in tantivy,
//! [`retrieve`] finds the passages and sentences that match a question, [`answer`] picks the short
//! verbatim span and the citations (in Chinese sentences with [`chinese`]), and [`render`] turns an answer into text, linking each citation to its
//! sentence in the post ([`link`]). [`web`] fetches pages, feeds and sitemaps into the posts
//! folder, where they are read like any other post. [`followup`] asks a follow-up question with
//! the context of the question before it. Every hand-written word list (stopwords, synonyms,
//! question words, ...) is a named set in [`lexicon`].

pub mod analysis;
pub mod answer;
pub mod bench;
pub mod config;
pub mod discord;
pub mod engine;
pub mod error;
pub mod followup;
pub mod index;
pub mod ingest;
pub mod lexicon;
pub mod library;
pub mod link;
pub mod paths;
pub mod posts;
pub mod progress;
pub mod question;
pub mod render;
pub mod report;
pub mod retrieve;
pub mod smalltalk;
pub mod store;
pub mod syntax;
pub mod training;
pub mod watch;
pub mod web;

pub use config::Config;
pub use engine::{Answer, Citation, Engine, Outcome, PostSummary};
pub use error::{Error, Result};
pub use library::{Changes, Library};
