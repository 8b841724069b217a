//! Greetings, thanks and other small talk: messages that are not questions about the posts
//! ("hi", "thanks!", "good morning", "ok cool"). They get a friendly pointer to `/help`, never
//! an answer: searching the posts for "thanks" would cite whatever passage happens to hold it.

use crate::analysis;
use crate::lexicon::english::SMALL_TALK;

/// Whether `message` is small talk rather than a question: every word is a word of small talk
/// or a stopword, and there is at least one word of small talk.
pub fn is_small_talk(message: &str) -> bool {
    let words: Vec<String> = analysis::plain_words(message)
        .map(analysis::normalize)
        .collect();
    !words.is_empty()
        && words.iter().any(|w| SMALL_TALK.contains(&w.as_str()))
        && words
            .iter()
            .all(|w| SMALL_TALK.contains(&w.as_str()) || analysis::is_stopword(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greetings_and_thanks_are_small_talk() {
        for m in [
            "hi",
            "Hello!",
            "thanks!",
            "Thank you so much",
            "good morning",
            "ok cool",
            "ty",
            "help",
            "help please!",
        ] {
            assert!(is_small_talk(m), "{m}");
        }
    }

    #[test]
    fn questions_are_not_small_talk() {
        for m in [
            "hi, how many bridges are there?",
            "thanks, and who wrote the post?",
            "What is good about the plan?",
            "?!",
            "help with the garden rota",
        ] {
            assert!(!is_small_talk(m), "{m}");
        }
    }
}
