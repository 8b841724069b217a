//! The questions the buttons under an answer refer to: who asked, what, within which post, and
//! who already voted on the answer. Kept by the key the buttons carry (the id of the interaction
//! or message that asked), bounded in memory, oldest forgotten first; a button whose question is
//! forgotten says "ask again".

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Mutex;

/// A question as the buttons under its answer need it.
#[derive(Debug, Clone, PartialEq)]
pub struct Asked {
    /// The member who asked: only they may page through "More passages".
    pub asker: u64,
    /// The question as asked.
    pub question: String,
    /// The short answer given, if any, for the feedback log.
    pub answer: Option<String>,
    /// The post the question was limited to, so "More passages" stays within it.
    pub post: Option<String>,
    /// The title of the post the answer cited first, for the feedback log.
    pub cited: Option<String>,
    /// Members who already gave feedback on this answer: one vote each reaches the log.
    pub voted: HashSet<u64>,
}

/// Recent questions by key, at most `capacity` of them.
pub struct AskedQuestions {
    capacity: usize,
    questions: Mutex<(HashMap<u64, Asked>, VecDeque<u64>)>,
}

impl AskedQuestions {
    /// A store remembering the `capacity` most recent questions.
    pub fn new(capacity: usize) -> AskedQuestions {
        AskedQuestions {
            capacity,
            questions: Mutex::default(),
        }
    }

    /// Remembers `asked` under `key`, forgetting the oldest question if the store is full.
    pub fn insert(&self, key: u64, asked: Asked) {
        let mut guard = self
            .questions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (map, order) = &mut *guard;
        if map.insert(key, asked).is_none() {
            order.push_back(key);
        }
        while order.len() > self.capacity {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
    }

    /// Records that `member` voted on answer `key`; false if they already had (or the answer
    /// is forgotten).
    pub fn first_vote(&self, key: u64, member: u64) -> bool {
        self.questions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .0
            .get_mut(&key)
            .is_some_and(|asked| asked.voted.insert(member))
    }

    /// The question asked under `key`, while it is remembered.
    pub fn get(&self, key: u64) -> Option<Asked> {
        self.questions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .0
            .get(&key)
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked_by(asker: u64) -> Asked {
        Asked {
            asker,
            question: format!("question of {asker}"),
            answer: None,
            post: None,
            cited: None,
            voted: HashSet::new(),
        }
    }

    #[test]
    fn each_member_votes_once_per_answer() {
        let store = AskedQuestions::new(10);
        store.insert(1, asked_by(7));
        assert!(store.first_vote(1, 8));
        assert!(
            !store.first_vote(1, 8),
            "a second vote from the same member"
        );
        assert!(store.first_vote(1, 9), "another member's vote");
        assert!(!store.first_vote(2, 8), "no such answer");
    }

    #[test]
    fn the_oldest_question_is_forgotten_first() {
        let store = AskedQuestions::new(2);
        for key in 1..=3 {
            store.insert(key, asked_by(key));
        }
        assert_eq!(store.get(1), None);
        assert_eq!(store.get(2).map(|asked| asked.asker), Some(2));
        assert_eq!(store.get(3).map(|asked| asked.asker), Some(3));
    }
}
