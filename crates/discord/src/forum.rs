//! New posts in the forum channels the bot answers (`discord.forum_channels`). A forum post is
//! a thread whose first message has the thread's own id; Discord sends the thread's creation
//! (with its title and forum) and that first message as two events, in either order. This
//! module pairs them into one question, title and first message, and makes sure each post is
//! answered once; memory is bounded, oldest forgotten first.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Mutex;

/// How many forum posts waiting for their other half, and answered posts, are remembered.
const REMEMBERED_POSTS: usize = 10_000;

/// A forum post ready to be answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    /// The thread, which is also the id of its first message.
    pub thread: u64,
    /// The forum channel it was posted in.
    pub forum: u64,
    /// Who posted it.
    pub author: u64,
    /// Title and first message, as one question.
    pub question: String,
}

/// What is known of a post so far.
#[derive(Debug, Clone)]
enum Half {
    /// The thread was created in a forum (title, forum); its first message has not arrived.
    Thread { title: String, forum: u64 },
    /// The first message arrived (text, author); the thread's creation has not.
    Starter { text: String, author: u64 },
}

#[derive(Default)]
struct State {
    waiting: HashMap<u64, Half>,
    waiting_order: VecDeque<u64>,
    answered: HashSet<u64>,
    answered_order: VecDeque<u64>,
}

impl State {
    fn wait(&mut self, thread: u64, half: Half) {
        if self.waiting.insert(thread, half).is_none() {
            self.waiting_order.push_back(thread);
        }
        while self.waiting_order.len() > REMEMBERED_POSTS {
            if let Some(old) = self.waiting_order.pop_front() {
                self.waiting.remove(&old);
            }
        }
    }

    /// Marks `thread` answered; false if it already was.
    fn answer(&mut self, thread: u64) -> bool {
        if let Some(position) = self.waiting_order.iter().position(|&t| t == thread) {
            self.waiting_order.remove(position);
        }
        self.waiting.remove(&thread);
        if !self.answered.insert(thread) {
            return false;
        }
        self.answered_order.push_back(thread);
        while self.answered_order.len() > REMEMBERED_POSTS {
            if let Some(old) = self.answered_order.pop_front() {
                self.answered.remove(&old);
            }
        }
        true
    }
}

/// The forum posts seen but not yet answered, and those answered.
pub struct ForumPosts {
    forums: Vec<u64>,
    state: Mutex<State>,
}

impl ForumPosts {
    /// Watches the forum channels `forums` (none: nothing is ever a forum post).
    pub fn new(forums: Vec<u64>) -> ForumPosts {
        ForumPosts {
            forums,
            state: Mutex::new(State::default()),
        }
    }

    /// A thread `thread` titled `title` was created in channel `parent`: the post to answer, if
    /// it is in a watched forum and its first message already arrived.
    pub fn thread_created(&self, thread: u64, parent: u64, title: &str) -> Option<Post> {
        if !self.forums.contains(&parent) {
            return None;
        }
        let mut state = self.lock();
        if state.answered.contains(&thread) {
            return None;
        }
        match state.waiting.get(&thread).cloned() {
            Some(Half::Starter { text, author }) => {
                state.answer(thread);
                Some(post(thread, parent, author, title, &text))
            }
            _ => {
                let title = title.to_string();
                state.wait(
                    thread,
                    Half::Thread {
                        title,
                        forum: parent,
                    },
                );
                None
            }
        }
    }

    /// The first message of thread `thread` (a message whose id is its channel's), by member
    /// `author`: the post to answer, if the thread was created in a watched forum.
    pub fn first_message(&self, thread: u64, author: u64, text: &str) -> Option<Post> {
        if self.forums.is_empty() {
            return None;
        }
        let mut state = self.lock();
        if state.answered.contains(&thread) {
            return None;
        }
        match state.waiting.get(&thread).cloned() {
            Some(Half::Thread { title, forum }) => {
                state.answer(thread);
                Some(post(thread, forum, author, &title, text))
            }
            _ => {
                let text = text.to_string();
                state.wait(thread, Half::Starter { text, author });
                None
            }
        }
    }

    /// Whether any forum is watched.
    pub fn watching(&self) -> bool {
        !self.forums.is_empty()
    }

    /// Whether the post of `thread` was answered (or its first message answered another way).
    pub fn was_answered(&self, thread: u64) -> bool {
        self.lock().answered.contains(&thread)
    }

    /// Records that `thread`'s first message was answered another way (it mentioned the bot),
    /// so the post is not answered again.
    pub fn answered_elsewhere(&self, thread: u64) {
        if !self.forums.is_empty() {
            self.lock().answer(thread);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The post's question: its title, then its first message (unless that only repeats it).
fn post(thread: u64, forum: u64, author: u64, title: &str, text: &str) -> Post {
    let (title, text) = (title.trim(), text.trim());
    let question = if text.is_empty() || text.eq_ignore_ascii_case(title) {
        title.to_string()
    } else if title.is_empty() {
        text.to_string()
    } else {
        let stop = if title.ends_with(['?', '.', '!', ':']) {
            ""
        } else {
            "."
        };
        format!("{title}{stop} {text}")
    };
    Post {
        thread,
        forum,
        author,
        question,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORUM: u64 = 5;

    #[test]
    fn title_and_first_message_make_one_question_in_either_order() {
        let posts = ForumPosts::new(vec![FORUM]);
        assert_eq!(posts.thread_created(10, FORUM, "Garden club"), None);
        let post = posts.first_message(10, 7, "How many members?").unwrap();
        assert_eq!(post.question, "Garden club. How many members?");
        assert_eq!((post.thread, post.forum, post.author), (10, FORUM, 7));

        assert_eq!(posts.first_message(11, 7, "How many members?"), None);
        let post = posts.thread_created(11, FORUM, "Members?").unwrap();
        assert_eq!(post.question, "Members? How many members?");
    }

    #[test]
    fn each_post_is_answered_once() {
        let posts = ForumPosts::new(vec![FORUM]);
        posts.thread_created(10, FORUM, "Members");
        assert!(posts.first_message(10, 7, "how many?").is_some());
        assert_eq!(posts.first_message(10, 7, "how many?"), None);
        assert_eq!(posts.thread_created(10, FORUM, "Members"), None);
        assert!(posts.was_answered(10) && !posts.was_answered(12));
        posts.answered_elsewhere(12);
        assert!(posts.was_answered(12));
        assert_eq!(posts.thread_created(12, FORUM, "Members"), None);
        assert_eq!(posts.first_message(12, 7, "how many?"), None);
    }

    #[test]
    fn threads_elsewhere_are_not_forum_posts() {
        let posts = ForumPosts::new(vec![FORUM]);
        assert_eq!(posts.thread_created(10, 6, "Members"), None);
        assert_eq!(posts.first_message(10, 7, "how many?"), None);
        let none = ForumPosts::new(Vec::new());
        assert_eq!(none.first_message(10, 7, "how many?"), None);
        assert_eq!(none.thread_created(10, FORUM, "Members"), None);
    }

    #[test]
    fn a_title_alone_or_repeated_is_the_question() {
        assert_eq!(
            post(1, 2, 3, "How many members?", "").question,
            "How many members?"
        );
        assert_eq!(
            post(1, 2, 3, "How many members?", "how many members?").question,
            "How many members?"
        );
    }

    #[test]
    fn waiting_halves_are_bounded() {
        let posts = ForumPosts::new(vec![FORUM]);
        for thread in 0..(REMEMBERED_POSTS as u64 + 10) {
            posts.first_message(thread, 7, "q");
        }
        assert_eq!(posts.lock().waiting.len(), REMEMBERED_POSTS);
        // The oldest was forgotten: its thread alone is not a post.
        assert_eq!(posts.thread_created(0, FORUM, "t"), None);
        assert!(posts.thread_created(20, FORUM, "t").is_some());
    }
}
