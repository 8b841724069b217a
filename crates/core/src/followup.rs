//! Follow-up questions: a question asked right after another one, in the same conversation, is
//! read with that question's context. "And how many countries?" after a question about trade
//! agreements should stay on the post that answered it, and the earlier question's subject
//! words should weigh in. This module keeps that context ([`Context`]), remembers it for a while
//! in bounded memory ([`Memory`]), and asks the engine with it ([`ask_follow_up`]); it knows
//! nothing of Discord, which only decides what counts as a follow-up.
//!
//! The context never invents an answer: a follow-up stays on the earlier post only when all its
//! content words are found there, and each attempt is an ordinary engine question (its own
//! coverage and confidence gates apply), kept only when the engine answers it. Otherwise the
//! question is answered as it was asked, so "the posts don't cover this" stays honest.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::analysis::{is_function_word, normalize, stem, terms};
use crate::engine::{Answer, Engine, Outcome};
use crate::error::Result;

/// The most subject words a context carries, earliest question's first dropped: enough to name
/// a subject ("trade agreements alliance"), few enough not to drown the follow-up's own words.
const MAX_SUBJECT_WORDS: usize = 6;

/// What a follow-up inherits from the question before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The post that answered it (its id), if the posts did.
    pub post: Option<String>,
    /// Its content words as written ("agreements", "alliance"), without stop words.
    pub subject: Vec<String>,
}

impl Context {
    /// The context that `question`, answered by `answer`, leaves for the next question. A
    /// question the posts don't cover leaves its words but no post.
    pub fn of(question: &str, answer: &Answer) -> Context {
        let post = match answer.outcome {
            Outcome::Answered | Outcome::NoFigure => {
                answer.citations.first().map(|c| c.document.clone())
            }
            Outcome::NotCovered | Outcome::SmallTalk => None,
        };
        Context {
            post,
            subject: subject_words(question),
        }
    }

    /// The context after a follow-up: the follow-up's own post and words win, the earlier
    /// subject words fill up what is left of the budget.
    fn after(&self, question: &str, answer: &Answer) -> Context {
        let mut next = Context::of(question, answer);
        if next.post.is_none() {
            next.post = self.post.clone();
        }
        for word in &self.subject {
            if next.subject.len() >= MAX_SUBJECT_WORDS {
                break;
            }
            if !next.subject.contains(word) {
                next.subject.push(word.clone());
            }
        }
        next
    }
}

/// The content words of `text` as written, in order, once each, at most [`MAX_SUBJECT_WORDS`].
fn subject_words(text: &str) -> Vec<String> {
    let mut words = subject_words_all(text);
    // A long question's last words are usually its subject ("... of the trade agreements").
    let drop = words.len().saturating_sub(MAX_SUBJECT_WORDS);
    words.drain(..drop);
    words
}

/// The content words of `text` as written, in order, once each: no stop words, no numbers.
fn subject_words_all(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for term in terms(text).into_iter().filter(|t| !t.joined) {
        let word = &text[term.range.clone()];
        let normalized = normalize(word);
        // Numbers are answers, not subjects.
        if is_function_word(text, &term) || normalized.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if !words.iter().any(|w| *stem(w) == *term.text) {
            words.push(word.to_string());
        }
    }
    words
}

/// Answers `question` as a follow-up in `context`. When every content word of the question is
/// found in the earlier post, the question is about that post: it is asked within it alone,
/// then widened by the earlier subject words; the first attempt the engine answers with a
/// passage matching all the question's own content words wins. A
/// question with words the earlier post lacks is on another subject, and is answered as asked,
/// as is one that no attempt answers (so "the posts don't cover this" stays honest). Small talk
/// is answered as such. Returns the answer (whose `question` is the member's question) and the
/// context it leaves.
pub fn ask_follow_up(
    engine: &Engine,
    question: &str,
    context: &Context,
    citations: usize,
) -> Result<(Answer, Context)> {
    let plain = engine.ask_in(question, citations, None)?;
    if plain.outcome == Outcome::SmallTalk {
        return Ok((plain, context.clone()));
    }
    if let Some(post) = context.post.as_deref() {
        if about_post(engine, question, post) {
            let asked: Vec<String> = subject_words_all(question)
                .iter()
                .map(|word| stem(word))
                .collect();
            let missing: Vec<&str> = context
                .subject
                .iter()
                .filter(|word| !asked.contains(&stem(word)))
                .map(String::as_str)
                .collect();
            let widened =
                (!missing.is_empty()).then(|| format!("{question} {}", missing.join(" ")));
            for text in [question].into_iter().chain(widened.as_deref()) {
                // The earlier post may be gone since (a re-index): then the attempt is skipped.
                let Ok(mut answer) = engine.ask_in(text, citations, Some(post)) else {
                    continue;
                };
                // The subject words must not pull the answer away from what was asked.
                if answer.outcome == Outcome::Answered && cites_every_word(&answer, &asked) {
                    answer.question = question.to_string();
                    let next = context.after(question, &answer);
                    return Ok((answer, next));
                }
            }
        }
    }
    let next = context.after(question, &plain);
    Ok((plain, next))
}

/// Whether the passage `answer` leads with matched every content word the member asked about
/// (`asked`: the stems of the question's content words).
fn cites_every_word(answer: &Answer, asked: &[String]) -> bool {
    let Some(first) = answer.citations.first() else {
        return false;
    };
    let matched: Vec<String> = first.highlights.iter().map(|w| stem(w)).collect();
    asked.iter().all(|stem| matched.contains(stem))
}

/// Whether every content word of `question` is found in `post` (as the engine searches: stems,
/// misspellings), so that the question can be about that post.
fn about_post(engine: &Engine, question: &str, post: &str) -> bool {
    let words = subject_words_all(question);
    !words.is_empty()
        && words.iter().all(|word| {
            engine
                .search_in(word, 1, Some(post))
                .is_ok_and(|found| !found.is_empty())
        })
}

/// Contexts by key (the id of a message the bot answered with, or of a thread it answered in),
/// forgotten after `ttl` or, beyond `capacity`, oldest first: memory stays bounded however many
/// conversations there are.
pub struct Memory {
    capacity: usize,
    ttl: Duration,
    entries: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    by_key: HashMap<u64, (Instant, Context)>,
    /// Keys in the order they were stored, with the time stored; a key stored again appears
    /// twice, and only the entry matching its current time counts.
    order: VecDeque<(u64, Instant)>,
}

impl Entries {
    /// Forgets the oldest stored entry.
    fn pop_oldest(&mut self) {
        if let Some((key, at)) = self.order.pop_front() {
            if self
                .by_key
                .get(&key)
                .is_some_and(|(stored, _)| *stored == at)
            {
                self.by_key.remove(&key);
            }
        }
    }
}

impl Memory {
    /// Remembers at most `capacity` contexts, each for `ttl`.
    pub fn new(capacity: usize, ttl: Duration) -> Memory {
        Memory {
            capacity,
            ttl,
            entries: Mutex::new(Entries::default()),
        }
    }

    /// Stores `context` under `key` at `now`, replacing what the key held.
    pub fn remember(&self, key: u64, context: Context, now: Instant) {
        let mut entries = self.lock();
        self.forget_expired(&mut entries, now);
        entries.by_key.insert(key, (now, context));
        entries.order.push_back((key, now));
        while entries.by_key.len() > self.capacity || entries.order.len() > 2 * self.capacity {
            entries.pop_oldest();
        }
    }

    /// The context under `key`, if stored less than `ttl` before `now`.
    pub fn recall(&self, key: u64, now: Instant) -> Option<Context> {
        let entries = self.lock();
        entries
            .by_key
            .get(&key)
            .filter(|(at, _)| now.saturating_duration_since(*at) < self.ttl)
            .map(|(_, context)| context.clone())
    }

    /// How many contexts are stored (expired ones may linger until the next `remember`).
    pub fn len(&self) -> usize {
        self.lock().by_key.len()
    }

    /// Whether no context is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn forget_expired(&self, entries: &mut Entries, now: Instant) {
        while entries
            .order
            .front()
            .is_some_and(|(_, at)| now.saturating_duration_since(*at) >= self.ttl)
        {
            entries.pop_oldest();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(post: &str) -> Context {
        Context {
            post: Some(post.to_string()),
            subject: vec!["agreements".to_string()],
        }
    }

    #[test]
    fn subject_words_skip_stop_words_numbers_and_repeats() {
        assert_eq!(
            subject_words("How many trade agreements did the alliance sign in 2024, agreements?"),
            ["trade", "agreements", "alliance", "sign"]
        );
        // "US" is the country, "us" the pronoun.
        assert_eq!(
            subject_words("Did the US send engineers to us?"),
            ["US", "send", "engineers"]
        );
        let long = subject_words("alpha bravo charlie delta echo foxtrot golf hotel?");
        assert_eq!(
            long,
            ["charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
        );
    }

    #[test]
    fn memory_forgets_after_its_time() {
        let memory = Memory::new(10, Duration::from_secs(60));
        let t0 = Instant::now();
        memory.remember(1, context("a"), t0);
        assert_eq!(
            memory.recall(1, t0 + Duration::from_secs(59)),
            Some(context("a"))
        );
        assert_eq!(memory.recall(1, t0 + Duration::from_secs(60)), None);
        assert_eq!(memory.recall(2, t0), None);
        // Expired entries are dropped when something new is stored.
        memory.remember(2, context("b"), t0 + Duration::from_secs(61));
        assert_eq!(memory.len(), 1);
    }

    #[test]
    fn memory_is_bounded_oldest_forgotten_first() {
        let memory = Memory::new(3, Duration::from_secs(3600));
        let t0 = Instant::now();
        for key in 0..10u64 {
            memory.remember(
                key,
                context(&key.to_string()),
                t0 + Duration::from_secs(key),
            );
        }
        assert_eq!(memory.len(), 3);
        let now = t0 + Duration::from_secs(10);
        assert_eq!(memory.recall(6, now), None);
        assert_eq!(memory.recall(9, now), Some(context("9")));
        // A key stored again is fresh: it outlives keys stored between its two stores.
        memory.remember(7, context("7 again"), now);
        memory.remember(10, context("10"), now);
        assert_eq!(memory.recall(7, now), Some(context("7 again")));
        assert_eq!(memory.recall(8, now), None);
        assert_eq!(memory.len(), 3);
    }
}
