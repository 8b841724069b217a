//! The bot's recent replies to members' messages, by the id of the question message, so that
//! when the asker edits the question (within `discord.edit_minutes`) the reply is edited to
//! answer the new text, and when the question is deleted the reply goes too. Bounded: the oldest
//! replies are forgotten first.
//!
//! Edits are ordered by their `edited_timestamp`, not by when their events arrive or their
//! answers are ready: Discord may deliver two quick edits out of order, and each is answered on
//! its own task. An edit older than the one the reply answers is ignored, and an answer is only
//! put in the reply while its edit is still the latest (checked under the reply's own lock, held
//! while the reply is edited), so the reply ends up answering the latest text.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serenity::all::Timestamp;

use citebot_core::followup;

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
    /// When the question was last edited to `question` (its `edited_timestamp`); `None`: the
    /// reply answers the text as first sent.
    pub edited_at: Option<Timestamp>,
    /// Held while the reply is being edited: answers to two edits are checked and put in one
    /// after the other, never interleaved.
    pub editing: Arc<tokio::sync::Mutex<()>>,
}

impl Tracked {
    /// The reply `reply` in `channel` to `asker`'s message `question`, sent at `at`.
    pub fn new(
        channel: u64,
        reply: u64,
        asker: u64,
        question: String,
        earlier: Option<followup::Context>,
        at: Instant,
    ) -> Tracked {
        Tracked {
            channel,
            reply,
            asker,
            question,
            earlier,
            at,
            edited_at: None,
            editing: Arc::default(),
        }
    }
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

    /// The reply to re-answer when question `question` was edited to `text` (the edit stamped
    /// `edited_at`, its event seen at `now`): only within the edit window, only for an edit newer
    /// than the one the reply answers, and only if the text changed. A newer edit back to the
    /// text already answered is recorded as answered, so an older edit arriving late cannot
    /// take its place.
    pub fn edited(
        &self,
        question: u64,
        text: &str,
        edited_at: Timestamp,
        now: Instant,
    ) -> Option<Tracked> {
        let mut guard = self.lock();
        let tracked = guard
            .0
            .get_mut(&question)
            .filter(|t| now.saturating_duration_since(t.at) < self.edit_window)
            .filter(|t| t.edited_at < Some(edited_at))?;
        if tracked.question == text {
            tracked.edited_at = Some(edited_at);
            return None;
        }
        Some(tracked.clone())
    }

    /// Records that the reply to `question` is being answered again for its edit to `text`
    /// stamped `edited_at`; false if a newer edit was claimed meanwhile (or the question is
    /// gone), when this one must not be answered.
    pub fn claim(&self, question: u64, text: &str, edited_at: Timestamp) -> bool {
        let mut guard = self.lock();
        match guard.0.get_mut(&question) {
            Some(tracked) if tracked.edited_at < Some(edited_at) => {
                tracked.question = text.to_string();
                tracked.edited_at = Some(edited_at);
                true
            }
            _ => false,
        }
    }

    /// Whether the edit of `question` stamped `edited_at` is still the latest claimed, so its
    /// answer may go into the reply.
    pub fn is_latest(&self, question: u64, edited_at: Timestamp) -> bool {
        self.lock()
            .0
            .get(&question)
            .is_some_and(|t| t.edited_at == Some(edited_at))
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
        Tracked::new(1, 2, 3, question.to_string(), None, at)
    }

    /// The `edited_timestamp` `seconds` after some instant.
    fn stamp(seconds: i64) -> Timestamp {
        Timestamp::from_millis(1_767_225_600_000 + seconds * 1000).unwrap()
    }

    #[test]
    fn an_edit_is_followed_within_the_window_when_the_text_changed() {
        let replies = TrackedReplies::new(Duration::from_secs(300));
        let t0 = Instant::now();
        replies.insert(10, tracked("how many members?", t0));
        assert!(replies
            .edited(10, "how many members?", stamp(1), t0)
            .is_none());
        let later = t0 + Duration::from_secs(299);
        assert_eq!(
            replies
                .edited(10, "how many plots?", stamp(2), later)
                .unwrap()
                .reply,
            2
        );
        assert!(replies.claim(10, "how many plots?", stamp(2)));
        assert!(replies
            .edited(10, "how many plots?", stamp(3), later)
            .is_none());
        let too_late = t0 + Duration::from_secs(300);
        assert!(replies
            .edited(10, "how many members?", stamp(4), too_late)
            .is_none());
        assert!(replies
            .edited(11, "how many members?", stamp(4), t0)
            .is_none());
    }

    #[test]
    fn an_edit_older_than_the_one_answered_is_ignored() {
        let replies = TrackedReplies::new(Duration::from_secs(300));
        let now = Instant::now();
        replies.insert(10, tracked("how many members?", now));
        // The second edit's event arrives first and is answered...
        assert!(replies
            .edited(10, "how many plots?", stamp(2), now)
            .is_some());
        assert!(replies.claim(10, "how many plots?", stamp(2)));
        // ...and the first edit's, arriving late, changes nothing.
        assert!(replies
            .edited(10, "when do they meet?", stamp(1), now)
            .is_none());
        assert!(!replies.claim(10, "when do they meet?", stamp(1)));
        // The same edit delivered twice is answered once.
        assert!(replies
            .edited(10, "how many acres?", stamp(2), now)
            .is_none());
        assert!(replies.is_latest(10, stamp(2)));
    }

    #[test]
    fn an_edit_back_to_the_answered_text_still_outranks_older_edits() {
        let replies = TrackedReplies::new(Duration::from_secs(300));
        let now = Instant::now();
        replies.insert(10, tracked("how many members?", now));
        // Edited to "plots" and back; the event of the edit back comes first.
        assert!(replies
            .edited(10, "how many members?", stamp(2), now)
            .is_none());
        assert!(replies
            .edited(10, "how many plots?", stamp(1), now)
            .is_none());
        assert!(!replies.claim(10, "how many plots?", stamp(1)));
    }

    #[test]
    fn only_the_answer_to_the_latest_claimed_edit_goes_into_the_reply() {
        let replies = TrackedReplies::new(Duration::from_secs(300));
        let now = Instant::now();
        replies.insert(10, tracked("how many members?", now));
        // Two edits in order, both being answered; the second answer is ready first.
        assert!(replies
            .edited(10, "how many plots?", stamp(1), now)
            .is_some());
        assert!(replies.claim(10, "how many plots?", stamp(1)));
        assert!(replies
            .edited(10, "when do they meet?", stamp(2), now)
            .is_some());
        assert!(replies.claim(10, "when do they meet?", stamp(2)));
        assert!(replies.is_latest(10, stamp(2)));
        assert!(
            !replies.is_latest(10, stamp(1)),
            "the first answer is dropped"
        );
        // A question deleted meanwhile takes its reply with it: nothing to edit.
        replies.remove(10);
        assert!(!replies.is_latest(10, stamp(2)));
    }

    #[test]
    fn edits_claimed_concurrently_keep_the_newest() {
        let replies = TrackedReplies::new(Duration::from_secs(300));
        let now = Instant::now();
        replies.insert(10, tracked("how many members?", now));
        // Both events pass the first check before either is claimed.
        assert!(replies
            .edited(10, "how many plots?", stamp(1), now)
            .is_some());
        assert!(replies
            .edited(10, "when do they meet?", stamp(2), now)
            .is_some());
        assert!(replies.claim(10, "when do they meet?", stamp(2)));
        assert!(!replies.claim(10, "how many plots?", stamp(1)));
        assert!(replies.is_latest(10, stamp(2)));
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
