//! `TestBot`: a fluent builder for engine tests. It writes fixture posts into a temporary posts
//! folder, opens the engine on it through the public API, and asks questions:
//! `TestBot::new().post("a.md", "...").ask("...")`.

use std::path::Path;

use citebot::config::AnswerConfig;
use citebot_core::{Answer, Engine};

/// Fixture posts in a temporary folder, and the engine once it is opened.
pub struct TestBot {
    dir: tempfile::TempDir,
    engine: Option<Engine>,
    settings: AnswerConfig,
}

impl TestBot {
    /// An empty posts folder.
    pub fn new() -> TestBot {
        TestBot {
            dir: tempfile::tempdir().expect("a temporary folder"),
            engine: None,
            settings: AnswerConfig::default(),
        }
    }

    /// Adds a post (the name's extension picks the format).
    pub fn post(self, name: &str, text: &str) -> TestBot {
        self.raw(name, text.as_bytes())
    }

    /// Adds a file with arbitrary bytes (for unreadable posts).
    pub fn raw(self, name: &str, bytes: &[u8]) -> TestBot {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("fixture folder");
        }
        std::fs::write(path, bytes).expect("fixture written");
        self
    }

    /// Changes answer settings before the engine is opened.
    pub fn settings(mut self, change: impl FnOnce(&mut AnswerConfig)) -> TestBot {
        change(&mut self.settings);
        self
    }

    /// The posts folder.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The engine, opened on first use.
    pub fn engine(&mut self) -> &Engine {
        if self.engine.is_none() {
            let engine = Engine::open(self.dir.path(), self.settings.clone())
                .unwrap_or_else(|e| panic!("engine failed to open: {e}"));
            self.engine = Some(engine);
        }
        self.engine.as_ref().expect("opened above")
    }

    /// Asks a question that must not be rejected as bad input.
    pub fn ask(&mut self, question: &str) -> Answer {
        self.engine()
            .ask(question)
            .unwrap_or_else(|e| panic!("{question:?} was rejected: {e}"))
    }

    /// Asks and asserts the short answer contains `expected`; returns the answer.
    #[track_caller]
    pub fn answers(&mut self, question: &str, expected: &str) -> Answer {
        let answer = self.ask(question);
        let short = answer.answer.clone().unwrap_or_default();
        assert!(
            answer.answered && short.contains(expected),
            "{question:?}: expected an answer containing {expected:?}, got answered={} answer={:?} top={:?}",
            answer.answered,
            answer.answer,
            answer.citations.first().map(|c| &c.text)
        );
        answer
    }

    /// Asks and asserts the short answer is exactly `expected`; returns the answer.
    #[track_caller]
    pub fn answers_exactly(&mut self, question: &str, expected: &str) -> Answer {
        let answer = self.ask(question);
        assert!(
            answer.answered && answer.answer.as_deref() == Some(expected),
            "{question:?}: expected the answer {expected:?}, got answered={} answer={:?} \
             (confidence {:?}) top={:?}",
            answer.answered,
            answer.answer,
            answer.confidence,
            answer.citations.first().map(|c| &c.text)
        );
        answer
    }

    /// Asks and asserts the engine says the posts don't cover it.
    #[track_caller]
    pub fn abstains(&mut self, question: &str) -> Answer {
        let answer = self.ask(question);
        assert!(
            !answer.answered && answer.answer.is_none(),
            "{question:?}: expected no answer, got {:?} from {:?}",
            answer.answer,
            answer.citations.first().map(|c| &c.text)
        );
        answer
    }
}

/// Asserts a citation in JSON has exactly the fields of the `ask --json` contract (a link or any
/// other Rust-side field must never leak into it).
pub fn assert_citation_contract(citation: &serde_json::Value) {
    let object = citation.as_object().expect("a citation is a JSON object");
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "document",
            "end",
            "highlights",
            "paragraph",
            "score",
            "section",
            "start",
            "text",
            "title",
            "url"
        ]
    );
}
