//! `TestBot`: a fluent builder for engine tests. It writes fixture posts into a temporary posts
//! folder, opens the engine on it through the public API, and asks questions:
//! `TestBot::new().post("a.md", "...").ask("...")`.

use std::path::Path;

use citebot::config::AnswerConfig;
use citebot_core::ingest::load_file;
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
    #[track_caller]
    pub fn engine(&mut self) -> &Engine {
        if self.engine.is_none() {
            match Engine::open(self.dir.path(), self.settings.clone()) {
                Ok(engine) => self.engine = Some(engine),
                Err(e) => panic!("engine failed to open: {e}"),
            }
        }
        self.engine.as_ref().expect("opened above")
    }

    /// Asks a question that must not be rejected as bad input; every citation and the short
    /// answer are checked to be exact spans of the posts (see [`TestBot::assert_grounded`]).
    #[track_caller]
    pub fn ask(&mut self, question: &str) -> Answer {
        let answer = match self.engine().ask(question) {
            Ok(answer) => answer,
            Err(e) => panic!("{question:?} was rejected: {e}"),
        };
        self.assert_grounded(&answer);
        answer
    }

    /// Asserts the grounding promise on one answer: each citation's text is the bytes
    /// `start..end` of its post's text (the file itself, or an HTML page's text as read), and
    /// the short answer is the span `answer_range` of the first citation.
    #[track_caller]
    pub fn assert_grounded(&self, answer: &Answer) {
        for citation in &answer.citations {
            let path = self.dir.path().join(&citation.document);
            let post = match load_file(&path, citation.document.clone()) {
                Ok(post) => post,
                Err(e) => panic!("cited post {:?}: {e}", citation.document),
            };
            assert_eq!(
                post.source.get(citation.start..citation.end),
                Some(citation.text.as_str()),
                "{:?}: the citation is not the bytes {}..{} of {:?}",
                answer.question,
                citation.start,
                citation.end,
                citation.document
            );
        }
        if let Some(short) = &answer.answer {
            let first = answer.citations.first().expect("a short answer is cited");
            let span = first.answer_range.clone().expect("the answer's span");
            assert_eq!(
                first.text.get(span.clone()),
                Some(short.as_str()),
                "{:?}: the short answer is not the span {span:?} of its citation",
                answer.question
            );
        }
    }

    /// Asks and asserts the short answer holds `expected` as whole words (a number never
    /// matches inside a longer one: "23" is not in "1923"); returns the answer.
    #[track_caller]
    pub fn answers(&mut self, question: &str, expected: &str) -> Answer {
        let answer = self.ask(question);
        let short = answer.answer.clone().unwrap_or_default();
        assert!(
            answer.answered() && contains_words(&short, expected),
            "{question:?}: expected an answer containing {expected:?}, got answered={} answer={:?} top={:?}",
            answer.answered(),
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
            answer.answered() && answer.answer.as_deref() == Some(expected),
            "{question:?}: expected the answer {expected:?}, got answered={} answer={:?} \
             (confidence {:?}) top={:?}",
            answer.answered(),
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
            !answer.answered() && answer.answer.is_none(),
            "{question:?}: expected no answer, got {:?} from {:?}",
            answer.answer,
            answer.citations.first().map(|c| &c.text)
        );
        answer
    }
}

/// Whether `needle` occurs in `text` with no letter or digit right before or after it.
fn contains_words(text: &str, needle: &str) -> bool {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.match_indices(needle).any(|(at, _)| {
        !word(text[..at].chars().next_back()) && !word(text[at + needle.len()..].chars().next())
    })
}

#[test]
fn contains_words_does_not_match_inside_a_word_or_number() {
    assert!(contains_words("in 1923, 23 boats", "23 boats"));
    assert!(contains_words("about 23.", "23"));
    assert!(!contains_words("in 1923", "23"));
    assert!(!contains_words("230 boats", "23"));
    assert!(!contains_words("seaboats", "boats"));
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
