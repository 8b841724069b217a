//! The bot's recent replies to members' messages, by the id of the question message, so that
//! when the asker edits the question (within `discord.edit_minutes`) the reply is edited to
//! answer the new text, and when the question is deleted the reply goes too. Bounded: the oldest
//! replies are forgotten first.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::followup;

/// How many replies are followed.
const TRACKED_REPLIES: usize = 10_000;

/// A reply the bot sent to a member's message.
#[derive(Debug, Clone)]
pub struct Tracked {
    /// The channel both messages are in.
    pub channel: u64,
    /// The bot's reply.
    pub reply: u64,
    /// Who asked.
    pub asker: u64,
    /// The question as it was answered, so an edit that leaves the text alone (a link preview
    /// added) changes nothing.
    pub question: String,
    /// The context the question was asked in, when it was a follow-up.
    pub earlier: Option<followup::Context>,
    /// When the reply was sent.
    pub at: Instant,
}

/// Replies by question message id.
pub struct TrackedReplies {
    edit_window: Duration,
    entries: Mutex<(HashMap<u64, Tracked>, VecDeque<u64>)>,
}

impl TrackedReplies {
    /// Follows replies so that questions edited within `edit_window` are answered again.
    pub fn new(edit_window: Duration) -> TrackedReplies {
        TrackedReplies {
            edit_window,
            entries: Mutex::new((HashMap::new(), VecDeque::new())),
        }
    }

    /// Records the reply to question message `question`.
    pub fn insert(&self, question: u64, tracked: Tracked) {
        let mut guard = self.lock();
        let (map, order) = &mut *guard;
        if map.insert(question, tracked).is_none() {
            order.push_back(question);
        }
        while order.len() > TRACKED_REPLIES {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
    }

    /// The reply to re-answer when question `question` was edited at `now` to `text`: only
    /// within the edit window, and only if the text changed.
    pub fn edited(&self, question: u64, text: &str, now: Instant) -> Option<Tracked> {
        self.lock()
            .0
            .get(&question)
            .filter(|t| now.saturating_duration_since(t.at) < self.edit_window)
            .filter(|t| t.question != text)
            .cloned()
    }

    /// Records that the reply to `question` now answers `text`.
    pub fn answered_again(&self, question: u64, text: &str) {
        if let Some(tracked) = self.lock().0.get_mut(&question) {
            tracked.question = text.to_string();
        }
    }

    /// Forgets question `question` and hands back its reply (the question was deleted).
    pub fn remove(&self, question: u64) -> Option<Tracked> {
        // The id stays in the order queue until it reaches the front; the map is the truth.
        self.lock().0.remove(&question)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (HashMap<u64, Tracked>, VecDeque<u64>)> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracked(question: &str, at: Instant) -> Tracked {
        Tracked {
            channel: 1,
            reply: 2,
            asker: 3,
            question: question.to_string(),
            earlier: None,
            at,
        }
    }

    #[test]
    fn an_edit_is_followed_within_the_window_when_the_text_changed() {
        let replies = TrackedReplies::new(Duration::from_secs(300));
        let t0 = Instant::now();
        replies.insert(10, tracked("how many members?", t0));
        assert!(replies.edited(10, "how many members?", t0).is_none());
        let later = t0 + Duration::from_secs(299);
        assert_eq!(
            replies.edited(10, "how many plots?", later).unwrap().reply,
            2
        );
        replies.answered_again(10, "how many plots?");
        assert!(replies.edited(10, "how many plots?", later).is_none());
        let too_late = t0 + Duration::from_secs(300);
        assert!(replies.edited(10, "how many members?", too_late).is_none());
        assert!(replies.edited(11, "how many members?", t0).is_none());
    }

    #[test]
    fn a_deleted_question_hands_back_its_reply_once() {
        let replies = TrackedReplies::new(Duration::from_secs(300));
        replies.insert(10, tracked("q", Instant::now()));
        assert_eq!(replies.remove(10).unwrap().reply, 2);
        assert!(replies.remove(10).is_none());
    }

    #[test]
    fn only_the_latest_replies_are_followed() {
        let replies = TrackedReplies::new(Duration::from_secs(300));
        let now = Instant::now();
        for question in 0..(TRACKED_REPLIES as u64 + 5) {
            replies.insert(question, tracked("q", now));
        }
        assert_eq!(replies.lock().0.len(), TRACKED_REPLIES);
        assert!(replies.remove(4).is_none());
        assert!(replies.remove(5).is_some());
    }
}
