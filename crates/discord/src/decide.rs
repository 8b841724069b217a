//! The bot's decisions, as plain data in and plain data out, in the manner of axum's `app()`:
//! given what happened (a slash command, a button click, a member's message, a new forum post)
//! and the time, a [`Decider`] says what goes out: a reply at once, engine work whose reply
//! follows (deferred when slow, privately or not), the removal of an answer, or nothing. It
//! keeps the bot's bookkeeping (per-member and per-channel cooldowns, the questions the buttons
//! refer to, the feedback log, the conversations follow-ups continue) and runs the engine, but
//! knows neither serenity nor tokio, so every rule is unit-tested in milliseconds; the handler
//! converts serenity's events in (`wire`) and sends what comes out.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::DiscordConfig;
use citebot_core::followup::{self, Memory};
use citebot_core::library::Library;
use citebot_core::Error;
use citebot_core::{Answer, Outcome};
use citebot_web::Web;

use super::asked::{Asked, AskedQuestions};
use super::commands::{Command, CommandError};
use super::cooldown::{Cooldown, Verdict};
use super::feedback::{now_unix, Entry, FeedbackLog};
use super::forum::{ForumPosts, Post};
use super::reply::{self, ButtonAction, Reply};
use super::route::{route, Route, Seen};

/// How many passages `/search` shows.
const SEARCH_RESULTS: usize = 5;
/// How many citations "More passages" asks for (the first ones were already shown).
const MORE_CITATIONS: usize = 7;
/// How many recent questions the buttons can refer to; older buttons say "ask again".
const REMEMBERED_QUESTIONS: usize = 10_000;
/// How many conversations (answers and threads) follow-ups can refer to.
const REMEMBERED_CONVERSATIONS: usize = 10_000;

/// Who acts, as far as the decisions go: the member and what Discord computed they may do in
/// the channel (nothing, in a DM).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    /// The member's user id.
    pub id: u64,
    /// Manage Server: `/reindex`, `/add` and `/report`.
    pub manages_server: bool,
    /// Manage Messages: removing anyone's answer with 🗑.
    pub manages_messages: bool,
}

/// A slash command, as read from its interaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// The interaction's id: the key the buttons under an answer carry.
    pub id: u64,
    /// The command and its options, or why they could not be read.
    pub command: Result<Command, CommandError>,
    /// Who sent it.
    pub member: Member,
}

/// A click on one of the bot's buttons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Click {
    /// The button's custom id (see [`ButtonAction`]).
    pub custom_id: String,
    /// Who clicked.
    pub member: Member,
}

/// What the bot does about an interaction.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// Answer at once with this reply.
    Now(Reply),
    /// Answer with what [`Decider::run`] makes of `job`, off the runtime; if that takes longer
    /// than `discord.defer_after_ms`, defer first, privately when `private` (a deferral's
    /// visibility cannot be changed by the edit that follows).
    Later {
        /// The engine work the reply waits for.
        job: Job,
        /// Whether the reply will be visible only to the member.
        private: bool,
    },
    /// Delete the message the clicked button is on, then say [`reply::removed`] (or apologise
    /// if Discord refuses).
    Remove,
}

/// Engine work a reply waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// Answer `/ask`; the answer's buttons carry `key`, its 🗑 is `asker`'s.
    Ask {
        /// The question.
        question: String,
        /// The one post to look in.
        post: Option<String>,
        /// The interaction's id.
        key: u64,
        /// Who asked.
        asker: u64,
    },
    /// The passages `/search` shows.
    Search {
        /// The words to look for.
        query: String,
        /// The one post to look in.
        post: Option<String>,
    },
    /// The list of posts.
    Posts,
    /// The citations after the first ones, for "More passages".
    MorePassages {
        /// The question asked.
        question: String,
        /// The post it was limited to.
        post: Option<String>,
    },
    /// The `/report` summary, from day `since` (YYYY-MM-DD) if given.
    Report {
        /// The first day, as typed.
        since: Option<String>,
    },
    /// Add the web source `url`, fetch it and re-index.
    Add {
        /// The page, feed or sitemap.
        url: String,
    },
    /// Fetch the web sources again and re-index.
    Reindex,
}

/// A member's message, as the decisions need it.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// The message's id.
    pub id: u64,
    /// Who wrote it.
    pub author: u64,
    /// Its text without the bot's mentions.
    pub text: String,
    /// The facts that decide whether it is for the bot; `follows_up` is filled in here.
    pub seen: Seen,
    /// The id of the bot's message it replies to, if it replies to one.
    pub replies_to_bot: Option<u64>,
    /// Sent in a thread.
    pub in_thread: bool,
}

/// A question from a message or a forum post, answered in its conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The question's text.
    pub text: String,
    /// The message's id (a forum post's thread): the key the answer's buttons carry.
    pub key: u64,
    /// Who asked.
    pub asker: u64,
    /// The conversation it continues, if it follows up an answer.
    pub earlier: Option<followup::Context>,
}

/// What the bot does about a message or a new forum post.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Nothing: not for the bot, or over a limit past its one notice.
    Ignore,
    /// Reply to question `to` at once with `reply` (help, the cooldown notice).
    Reply {
        /// What to say.
        reply: Reply,
        /// The question replied to.
        to: Question,
    },
    /// Answer the question with [`Decider::answer`], off the runtime.
    Answer(Question),
    /// The message completed a new forum post: decide on it with [`Decider::forum_post`].
    ForumPost(Post),
}

/// The answer to a [`Question`].
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    /// What to say.
    pub reply: Reply,
    /// The context the answer leaves for a follow-up; `None` when follow-ups are off or the
    /// question was refused.
    pub context: Option<followup::Context>,
    /// The posts don't cover the question (a forum post gets the configured tag).
    pub not_covered: bool,
}

/// The bot's decisions and the bookkeeping they need; shared by every event's task.
pub struct Decider {
    /// The served posts; each question takes the engine serving when it starts.
    library: Arc<Library>,
    /// The web sources `/add` and `/reindex` fetch into the posts folder, if any.
    web: Option<Arc<Web>>,
    /// Questions per member and window, across commands, buttons and messages.
    cooldown: Cooldown,
    /// Answers per answer channel (or forum) and window, whoever asks: a busy channel cannot
    /// make the bot answer without bound.
    channel_limit: Cooldown,
    feedback: FeedbackLog,
    asked: AskedQuestions,
    /// Channels where every member's message is a question.
    answer_channels: Vec<u64>,
    /// The context each recent answer leaves, by the id of the bot's reply and of the thread it
    /// was in; `None` when follow-ups are off.
    conversations: Option<Memory>,
    /// New posts in the forum channels, paired from their two events and answered once.
    forum: ForumPosts,
}

impl Decider {
    /// The decisions for `library` (and its web sources, `web`), with the limits and places of
    /// `settings`.
    pub fn new(library: Arc<Library>, web: Option<Arc<Web>>, settings: &DiscordConfig) -> Decider {
        Decider {
            library,
            web,
            cooldown: Cooldown::new(
                settings.cooldown_questions,
                Duration::from_secs(settings.cooldown_seconds),
            ),
            channel_limit: Cooldown::new(
                settings.channel_questions,
                Duration::from_secs(settings.channel_seconds),
            ),
            feedback: FeedbackLog::new(settings.feedback_log.clone()),
            asked: AskedQuestions::new(REMEMBERED_QUESTIONS),
            answer_channels: settings.answer_channels.clone(),
            conversations: (settings.follow_up_minutes > 0).then(|| {
                Memory::new(
                    REMEMBERED_CONVERSATIONS,
                    Duration::from_secs(settings.follow_up_minutes * 60),
                )
            }),
            forum: ForumPosts::new(settings.forum_channels.clone()),
        }
    }

    /// What to do about a slash command at `now`. Refusals (an unreadable command, a member
    /// without Manage Server, the cooldown, bad input) are answered at once and privately,
    /// before any deferral could make them public.
    pub fn command(&self, invocation: Invocation, now: Instant) -> Response {
        let Invocation {
            id,
            command,
            member,
        } = invocation;
        let command = match command {
            Ok(command) => command,
            Err(err) => {
                tracing::warn!(interaction = id, %err, "cannot read the command");
                return Response::Now(reply::failure());
            }
        };
        // The commands are registered for Manage Server only, but a client's word is not
        // enough: the interaction carries the member's computed permissions.
        if command.managers_only() && !member.manages_server {
            tracing::warn!(
                user = member.id,
                command = command.name(),
                "refused: not Manage Server"
            );
            return Response::Now(reply::reindex_refused());
        }
        let later = |job, private| Response::Later { job, private };
        match command {
            Command::Ask { question, post } => match self.refusal(member.id, &question, now) {
                Some(refusal) => Response::Now(refusal),
                None => later(
                    Job::Ask {
                        question,
                        post,
                        key: id,
                        asker: member.id,
                    },
                    false,
                ),
            },
            Command::Search { query, post } => match self.refusal(member.id, &query, now) {
                Some(refusal) => Response::Now(refusal),
                None => later(Job::Search { query, post }, false),
            },
            Command::Posts => later(Job::Posts, false),
            Command::Help => Response::Now(reply::help()),
            Command::Report { since } => later(Job::Report { since }, true),
            Command::Add { url } => {
                tracing::info!(user = member.id, %url, "web source added");
                later(Job::Add { url }, true)
            }
            Command::Reindex => {
                tracing::info!(user = member.id, "re-index asked for");
                later(Job::Reindex, true)
            }
        }
    }

    /// Why `asker`'s question `text` is refused at `now`, if it is: over the cooldown, or bad
    /// input (empty, too long, nothing to search for).
    fn refusal(&self, asker: u64, text: &str, now: Instant) -> Option<Reply> {
        if let Verdict::Refused { retry_after, .. } = self.cooldown.check(asker, now) {
            return Some(reply::cooldown(retry_after));
        }
        match self.library.engine().check_question(text) {
            Err(err) if err.is_bad_question() => Some(reply::bad_question(&err.to_string())),
            _ => None,
        }
    }

    /// What to do about a button click at `now`. Clicks share the member's cooldown: "More
    /// passages" runs the engine and feedback is written to the log, so neither may be pressed
    /// without bound.
    pub fn click(&self, click: &Click, now: Instant) -> Response {
        let member = click.member;
        if let Verdict::Refused { retry_after, .. } = self.cooldown.check(member.id, now) {
            return Response::Now(reply::cooldown(retry_after));
        }
        match ButtonAction::parse(&click.custom_id) {
            Some(ButtonAction::MorePassages(key)) => match self.asked.get(key) {
                Some(asked) if asked.asker != member.id => Response::Now(reply::not_the_asker()),
                Some(asked) => Response::Later {
                    job: Job::MorePassages {
                        question: asked.question,
                        post: asked.post,
                    },
                    private: true,
                },
                None => Response::Now(reply::expired()),
            },
            Some(ButtonAction::Feedback(key, helpful)) => match self.asked.get(key) {
                Some(_) if !self.asked.first_vote(key, member.id) => {
                    Response::Now(reply::already_voted())
                }
                Some(asked) => {
                    self.feedback.record(&Entry::Feedback {
                        at: now_unix(),
                        question: asked.question,
                        answer: asked.answer,
                        helpful,
                        post: asked.cited,
                    });
                    Response::Now(reply::feedback_thanks(helpful))
                }
                None => Response::Now(reply::expired()),
            },
            Some(ButtonAction::Remove(asker)) => {
                if member.id != asker && !member.manages_messages {
                    tracing::info!(user = member.id, "refused: removing someone else's answer");
                    Response::Now(reply::remove_refused())
                } else {
                    Response::Remove
                }
            }
            None => {
                tracing::warn!(custom_id = %click.custom_id, "unknown button");
                Response::Now(reply::failure())
            }
        }
    }

    /// Does `job` (on the blocking pool: it may take a while) and says how it went.
    pub fn run(&self, job: &Job) -> Reply {
        match job {
            Job::Ask {
                question,
                post,
                key,
                asker,
            } => {
                let engine = self.library.engine();
                let answered =
                    engine.ask_in(question, engine.settings().citations, post.as_deref());
                let reply = self.reply_to(question, *key, post.as_deref(), *asker, answered);
                // A public answer stays in the channel, so its asker (or a moderator) may take
                // it away as from a reply to a message.
                if reply.ephemeral {
                    reply
                } else {
                    reply::removable(reply, *asker)
                }
            }
            Job::Search { query, post } => {
                let engine = self.library.engine();
                match engine.search_in(query, SEARCH_RESULTS, post.as_deref()) {
                    Ok(citations) => reply::search(query, &citations),
                    Err(err) if err.is_bad_question() => reply::bad_question(&err.to_string()),
                    Err(err) => {
                        tracing::error!(%err, "the engine failed to search");
                        reply::failure()
                    }
                }
            }
            Job::Posts => {
                let engine = self.library.engine();
                reply::posts(&engine.posts(), engine.indexed_at())
            }
            Job::MorePassages { question, post } => {
                let engine = self.library.engine();
                match engine.ask_in(question, MORE_CITATIONS, post.as_deref()) {
                    Ok(answer) => reply::more_passages(&answer),
                    Err(err) => {
                        tracing::error!(%err, "the engine failed to find more passages");
                        reply::failure()
                    }
                }
            }
            Job::Report { since } => self.report(since.as_deref()),
            Job::Add { url } => reply::added(
                url,
                &citebot_web::add(&self.library, self.web.as_deref(), url),
            ),
            Job::Reindex => {
                // Web sources are fetched first, so the re-index sees their pages.
                let fetched = citebot_web::refetch(self.web.as_deref());
                match self.library.reindex() {
                    Ok(changes) => reply::reindexed(&changes, fetched.as_ref()),
                    Err(Error::Reindex { post, .. }) => reply::reindex_failed(&post),
                    Err(err) => {
                        tracing::error!(%err, "re-index failed");
                        reply::failure()
                    }
                }
            }
        }
    }

    /// The `/report` summary of the feedback log, from day `since` (YYYY-MM-DD) if given.
    fn report(&self, since: Option<&str>) -> Reply {
        let Some(path) = self.feedback.path() else {
            return reply::report_unavailable(
                "the bot keeps no feedback log (discord.feedback_log)",
            );
        };
        let since = match since.map(str::trim).filter(|day| !day.is_empty()) {
            Some(day) => match citebot_core::report::day_start(day) {
                Ok(start) => Some(start),
                Err(err) => return reply::bad_question(&err.to_string()),
            },
            None => None,
        };
        match citebot_core::report::Report::read(path, since) {
            Ok(report) => reply::report(&report.text()),
            Err(err) => {
                tracing::warn!(%err, "cannot read the feedback log for /report");
                reply::report_unavailable("nothing has been logged yet")
            }
        }
    }

    /// The autocomplete choices for option `option` as the member types `typed`: posts for
    /// `post`, nothing for any other.
    pub fn choices(&self, option: &str, typed: &str) -> Vec<(String, String)> {
        if option == "post" {
            reply::post_choices(&self.library.engine().posts(), typed)
        } else {
            Vec::new()
        }
    }

    /// What to do about a member's message at `now`. A direct message is a question (or
    /// `help`); in a server, messages that @mention the bot, follow up one of its answers, or
    /// are sent in an answer channel are (see [`route`] for what is left alone). A forum post's
    /// first message is paired with its thread instead. Past the cooldown a member gets one
    /// notice per window, and an answer channel over its budget gets silence: a notice to a
    /// busy channel would only add to the flood.
    pub fn message(&self, message: &Incoming, now: Instant) -> Decision {
        let earlier = self.earlier(message, now);
        let seen = Seen {
            follows_up: earlier.is_some(),
            ..message.seen
        };
        let route = route(&seen, &self.answer_channels);
        // A forum post's first message has the id of its thread.
        let first_in_forum_post = message.id == seen.channel;
        if first_in_forum_post && !seen.from_bot && seen.by_member && self.forum.watching() {
            if self.forum.was_answered(message.id) {
                return Decision::Ignore;
            }
            if route == Some(Route::Mention) {
                self.forum.answered_elsewhere(message.id);
            } else {
                return match self
                    .forum
                    .first_message(seen.channel, message.author, &message.text)
                {
                    Some(post) => Decision::ForumPost(post),
                    None => Decision::Ignore,
                };
            }
        }
        let Some(route) = route else {
            return Decision::Ignore;
        };
        if route == Route::AnswerChannel {
            if let Verdict::Refused { retry_after, .. } =
                self.channel_limit.check(seen.channel, now)
            {
                tracing::debug!(
                    channel = seen.channel,
                    ?retry_after,
                    "answer channel over its limit"
                );
                return Decision::Ignore;
            }
        }
        if message.text.is_empty() && matches!(route, Route::FollowUp | Route::AnswerChannel) {
            // Without the Message Content intent Discord sends these messages without their
            // text (and a message may be an attachment alone): nothing to answer.
            tracing::debug!(
                message = message.id,
                "a message without text in a conversation"
            );
            return Decision::Ignore;
        }
        let question = Question {
            text: message.text.clone(),
            key: message.id,
            asker: message.author,
            earlier,
        };
        if route == Route::Direct && message.text.trim().eq_ignore_ascii_case("help") {
            return Decision::Reply {
                reply: Reply {
                    ephemeral: false,
                    ..reply::help()
                },
                to: question,
            };
        }
        self.admit(question, now)
    }

    /// What to do about a new forum post at `now`: answered in its thread, within the forum's
    /// budget and the member's cooldown as in an answer channel.
    pub fn forum_post(&self, post: &Post, now: Instant) -> Decision {
        if let Verdict::Refused { retry_after, .. } = self.channel_limit.check(post.forum, now) {
            tracing::debug!(forum = post.forum, ?retry_after, "forum over its limit");
            return Decision::Ignore;
        }
        let question = Question {
            text: post.question.clone(),
            key: post.thread,
            asker: post.author,
            earlier: None,
        };
        self.admit(question, now)
    }

    /// `question` answered, or the cooldown's one notice per window, or silence after it.
    fn admit(&self, question: Question, now: Instant) -> Decision {
        match self.cooldown.check(question.asker, now) {
            Verdict::Allowed => Decision::Answer(question),
            Verdict::Refused {
                retry_after,
                first_refusal: true,
            } => Decision::Reply {
                reply: reply::cooldown(retry_after),
                to: question,
            },
            Verdict::Refused {
                first_refusal: false,
                ..
            } => Decision::Ignore,
        }
    }

    /// Whether `asker`'s edit of an answered question at `now` is answered again: it runs the
    /// engine, so it counts against the cooldown (silently).
    pub fn admits_edit(&self, asker: u64, now: Instant) -> bool {
        self.cooldown.check(asker, now) == Verdict::Allowed
    }

    /// A thread was created: the forum post it starts, once its first message is known too.
    pub fn thread_created(&self, thread: u64, parent: u64, title: &str) -> Option<Post> {
        self.forum.thread_created(thread, parent, title)
    }

    /// The context of the conversation `message` continues, if any: the answer it replies to,
    /// or else the thread it is in, while the bot remembers them.
    fn earlier(&self, message: &Incoming, now: Instant) -> Option<followup::Context> {
        let memory = self.conversations.as_ref()?;
        match message.replies_to_bot {
            Some(answer) => memory.recall(answer, now),
            None if message.in_thread => memory.recall(message.seen.channel, now),
            None => None,
        }
    }

    /// Remembers the context an answer left under `key` (the bot's reply, or the thread it is
    /// in), for follow-ups; nothing when follow-ups are off.
    pub fn remember(&self, key: u64, context: followup::Context, now: Instant) {
        if let Some(memory) = &self.conversations {
            memory.remember(key, context, now);
        }
    }

    /// Answers `question`: as a follow-up in its earlier context, if any, else on its own.
    pub fn answer(&self, question: &Question) -> Answered {
        let engine = self.library.engine();
        let citations = engine.settings().citations;
        let text = question.text.as_str();
        let answered = match &question.earlier {
            Some(earlier) => followup::ask_follow_up(&engine, text, earlier, citations),
            None => engine.ask_in(text, citations, None).map(|answer| {
                let context = followup::Context::of(text, &answer);
                (answer, context)
            }),
        };
        let (answered, context) = match answered {
            Ok((answer, context)) => (Ok(answer), Some(context)),
            Err(err) => (Err(err), None),
        };
        let not_covered = matches!(&answered, Ok(answer) if answer.outcome == Outcome::NotCovered);
        Answered {
            reply: self.reply_to(text, question.key, None, question.asker, answered),
            context: context.filter(|_| self.conversations.is_some()),
            not_covered,
        }
    }

    /// The reply to `question` from what the engine said; remembers the question for the
    /// buttons and logs what the posts cannot answer.
    fn reply_to(
        &self,
        question: &str,
        key: u64,
        post: Option<&str>,
        asker: u64,
        answered: citebot_core::Result<Answer>,
    ) -> Reply {
        let answer = match answered {
            Ok(answer) => answer,
            Err(err) if err.is_bad_question() => return reply::bad_question(&err.to_string()),
            Err(err) => {
                tracing::error!(%err, "the engine failed to answer");
                return reply::failure();
            }
        };
        let first = answer.citations.first();
        let unanswered = match answer.outcome {
            Outcome::Answered | Outcome::SmallTalk => None,
            Outcome::NoFigure => Some("no_figure"),
            Outcome::NotCovered => Some("not_covered"),
        };
        if let Some(outcome) = unanswered {
            self.feedback.record(&Entry::Unanswered {
                at: now_unix(),
                question: question.to_string(),
                outcome: outcome.to_string(),
            });
        } else if let (Outcome::Answered, Some(first)) = (answer.outcome, first) {
            self.feedback.record(&Entry::Answered {
                at: now_unix(),
                question: question.to_string(),
                short_answer: answer.answer.is_some(),
                post: first.title.clone(),
                section: first.section.clone(),
            });
        }
        self.asked.insert(
            key,
            Asked {
                asker,
                question: question.to_string(),
                answer: answer.answer.clone(),
                post: post.map(str::to_string),
                cited: first.map(|citation| citation.title.clone()),
                voted: Default::default(),
            },
        );
        reply::answer(&answer, key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};
    use std::sync::OnceLock;

    use citebot_core::{AnswerConfig, IndexConfig};

    const ROWING_POST: &str = "---
title: Harbour Rowing Club
url: https://example.org/rowing
---
# Boats

The rowing club keeps 12 boats in the harbour shed.

# Training

Crews train every Saturday morning on the river.
";
    const BOATS: &str = "How many boats does the rowing club keep?";
    const DM_CHANNEL: u64 = 500;
    const ANSWERS: u64 = 600;
    const OTHER_ANSWERS: u64 = 601;

    /// One library for every test: indexing is the slow part, and no decision changes the
    /// posts. It is indexed in RAM, so the posts' folder can go at once.
    fn library() -> Arc<Library> {
        static LIBRARY: OnceLock<Arc<Library>> = OnceLock::new();
        LIBRARY
            .get_or_init(|| {
                let dir = tempfile::tempdir().unwrap();
                std::fs::write(dir.path().join("rowing.md"), ROWING_POST).unwrap();
                let index = IndexConfig {
                    on_disk_from: usize::MAX,
                    ..IndexConfig::default()
                };
                let (library, _) =
                    Library::open(dir.path(), AnswerConfig::default(), index).unwrap();
                Arc::new(library)
            })
            .clone()
    }

    /// The default settings without a cooldown or a feedback log, changed by `change`.
    fn decider(change: impl FnOnce(&mut DiscordConfig)) -> Decider {
        let mut settings = DiscordConfig {
            cooldown_questions: 0,
            feedback_log: PathBuf::new(),
            answer_channels: vec![ANSWERS, OTHER_ANSWERS],
            ..DiscordConfig::default()
        };
        change(&mut settings);
        Decider::new(library(), None, &settings)
    }

    fn member(id: u64) -> Member {
        Member {
            id,
            manages_server: false,
            manages_messages: false,
        }
    }

    fn manager(id: u64) -> Member {
        Member {
            manages_server: true,
            ..member(id)
        }
    }

    fn invoke(id: u64, command: Command, by: Member) -> Invocation {
        Invocation {
            id,
            command: Ok(command),
            member: by,
        }
    }

    fn ask(id: u64, question: &str, asker: u64) -> Invocation {
        let command = Command::Ask {
            question: question.to_string(),
            post: None,
        };
        invoke(id, command, member(asker))
    }

    fn click(custom_id: &str, by: Member) -> Click {
        Click {
            custom_id: custom_id.to_string(),
            member: by,
        }
    }

    fn message(id: u64, text: &str, author: u64, seen: Seen) -> Incoming {
        Incoming {
            id,
            author,
            text: text.to_string(),
            seen,
            replies_to_bot: None,
            in_thread: false,
        }
    }

    fn in_dm(id: u64, text: &str, author: u64) -> Incoming {
        let seen = Seen {
            in_dm: true,
            by_member: true,
            channel: DM_CHANNEL,
            ..Seen::default()
        };
        message(id, text, author, seen)
    }

    fn in_channel(id: u64, text: &str, author: u64, channel: u64) -> Incoming {
        let seen = Seen {
            by_member: true,
            channel,
            ..Seen::default()
        };
        message(id, text, author, seen)
    }

    /// The reply engine work gives, checking it was asked for as engine work.
    fn run_later(decider: &Decider, response: Response) -> Reply {
        match response {
            Response::Later { job, .. } => decider.run(&job),
            other => panic!("expected engine work, got {other:?}"),
        }
    }

    fn now_reply(response: Response) -> Reply {
        match response {
            Response::Now(reply) => reply,
            other => panic!("expected a reply at once, got {other:?}"),
        }
    }

    fn is_cooldown_notice(reply: &Reply) -> bool {
        reply.ephemeral && reply.content.contains("please wait")
    }

    #[test]
    fn an_asked_question_is_answered_publicly_with_its_buttons_and_a_remove_for_the_asker() {
        let decider = decider(|_| {});
        let response = decider.command(ask(1, BOATS, 7), Instant::now());
        assert_eq!(
            response,
            Response::Later {
                job: Job::Ask {
                    question: BOATS.to_string(),
                    post: None,
                    key: 1,
                    asker: 7
                },
                private: false
            }
        );
        let reply = run_later(&decider, response);
        assert!(!reply.ephemeral);
        let embed = reply.embed.as_ref().unwrap();
        assert_eq!(embed.title, "12", "{reply:?}");
        assert!(
            embed.description.contains("Harbour Rowing Club"),
            "{reply:?}"
        );
        let ids: Vec<&str> = reply.buttons.iter().map(|b| b.custom_id.as_str()).collect();
        assert_eq!(ids, ["more:1", "up:1", "down:1", "remove:7"]);
    }

    #[test]
    fn commands_past_the_member_cooldown_are_refused_privately_until_the_window_passes() {
        let decider = decider(|settings| {
            settings.cooldown_questions = 2;
            settings.cooldown_seconds = 60;
        });
        let t0 = Instant::now();
        for id in [1, 2] {
            assert!(matches!(
                decider.command(ask(id, BOATS, 7), t0),
                Response::Later { .. }
            ));
        }
        let refused = now_reply(decider.command(ask(3, BOATS, 7), t0));
        assert!(is_cooldown_notice(&refused), "{refused:?}");
        assert!(refused.content.contains("60 s"), "{refused:?}");
        // Buttons count too, and every refusal gets its notice (an interaction needs an answer).
        let more = now_reply(decider.click(&click("more:1", member(7)), t0));
        assert!(is_cooldown_notice(&more), "{more:?}");
        // Another member is counted apart; the first may ask again once the window has passed.
        assert!(matches!(
            decider.command(ask(4, BOATS, 8), t0),
            Response::Later { .. }
        ));
        assert!(matches!(
            decider.command(ask(5, BOATS, 7), t0 + Duration::from_secs(60)),
            Response::Later { .. }
        ));
    }

    #[test]
    fn messages_past_the_member_cooldown_get_one_notice_then_silence() {
        let decider = decider(|settings| {
            settings.cooldown_questions = 2;
            settings.cooldown_seconds = 60;
        });
        let t0 = Instant::now();
        for id in [1, 2] {
            assert!(matches!(
                decider.message(&in_dm(id, BOATS, 7), t0),
                Decision::Answer(_)
            ));
        }
        match decider.message(&in_dm(3, BOATS, 7), t0) {
            Decision::Reply { reply, to } => {
                assert!(is_cooldown_notice(&reply), "{reply:?}");
                assert_eq!((to.key, to.asker), (3, 7));
            }
            other => panic!("expected the cooldown notice, got {other:?}"),
        }
        assert_eq!(decider.message(&in_dm(4, BOATS, 7), t0), Decision::Ignore);
        assert!(matches!(
            decider.message(&in_dm(5, BOATS, 8), t0),
            Decision::Answer(_)
        ));
    }

    #[test]
    fn an_answer_channel_over_its_budget_is_silent_whoever_asks() {
        let decider = decider(|settings| {
            settings.channel_questions = 2;
            settings.channel_seconds = 600;
        });
        let t0 = Instant::now();
        // Four members, so the per-member cooldown is not what stops them.
        let decisions: Vec<bool> = (0..4)
            .map(|n| {
                let asked = in_channel(10 + n, BOATS, 70 + n, ANSWERS);
                matches!(decider.message(&asked, t0), Decision::Answer(_))
            })
            .collect();
        assert_eq!(decisions, [true, true, false, false]);
        // Another answer channel and a direct message have budgets of their own.
        let elsewhere = in_channel(20, BOATS, 80, OTHER_ANSWERS);
        assert!(matches!(
            decider.message(&elsewhere, t0),
            Decision::Answer(_)
        ));
        assert!(matches!(
            decider.message(&in_dm(21, BOATS, 81), t0),
            Decision::Answer(_)
        ));
        let later = in_channel(22, BOATS, 82, ANSWERS);
        assert!(matches!(
            decider.message(&later, t0 + Duration::from_secs(600)),
            Decision::Answer(_)
        ));
    }

    #[test]
    fn managers_commands_are_refused_to_members_without_manage_server() {
        let decider = decider(|_| {});
        let now = Instant::now();
        let managers_commands = [
            Command::Reindex,
            Command::Add {
                url: "https://example.org/feed.xml".into(),
            },
            Command::Report { since: None },
        ];
        for command in &managers_commands {
            // A member whatever their client shows, and anyone in a DM (no permissions there).
            let refused = now_reply(decider.command(invoke(1, command.clone(), member(7)), now));
            assert_eq!(refused, reply::reindex_refused(), "{command:?}");
            assert!(refused.ephemeral);
        }
        let moderator = Member {
            manages_messages: true,
            ..member(8)
        };
        let refused = decider.command(invoke(2, Command::Reindex, moderator), now);
        assert_eq!(refused, Response::Now(reply::reindex_refused()));
        // A manager's work is done privately, deferred privately if slow.
        let jobs: Vec<Response> = managers_commands
            .into_iter()
            .map(|command| decider.command(invoke(3, command, manager(9)), now))
            .collect();
        let expected = [
            Job::Reindex,
            Job::Add {
                url: "https://example.org/feed.xml".into(),
            },
            Job::Report { since: None },
        ];
        for (response, job) in jobs.into_iter().zip(expected) {
            assert_eq!(response, Response::Later { job, private: true });
        }
    }

    #[test]
    fn bad_questions_are_refused_at_once_privately_with_the_reason() {
        let decider = decider(|_| {});
        let now = Instant::now();
        let too_long = "how many boats ".repeat(400);
        for (question, reason) in [
            ("", "empty"),
            ("   ", "empty"),
            (too_long.as_str(), "6000 characters long"),
            ("?!*", "no words to search for"),
        ] {
            let refused = now_reply(decider.command(ask(1, question, 7), now));
            assert!(refused.ephemeral, "{refused:?}");
            assert!(refused.buttons.is_empty(), "nothing to remove: {refused:?}");
            assert!(
                refused.content.contains(reason),
                "{question:?}: {refused:?}"
            );
            let search = Command::Search {
                query: question.to_string(),
                post: None,
            };
            let refused = now_reply(decider.command(invoke(2, search, member(7)), now));
            assert!(
                refused.content.contains(reason),
                "{question:?}: {refused:?}"
            );
        }
    }

    #[test]
    fn only_the_asker_gets_more_passages_and_others_are_told_so() {
        let decider = decider(|_| {});
        let now = Instant::now();
        run_later(&decider, decider.command(ask(1, BOATS, 7), now));
        let not_theirs = now_reply(decider.click(&click("more:1", manager(8)), now));
        assert_eq!(not_theirs, reply::not_the_asker());
        assert!(not_theirs.ephemeral);
        let more = decider.click(&click("more:1", member(7)), now);
        assert_eq!(
            more,
            Response::Later {
                job: Job::MorePassages {
                    question: BOATS.to_string(),
                    post: None
                },
                private: true
            }
        );
        let passages = run_later(&decider, more);
        assert!(passages.ephemeral, "{passages:?}");
        assert_ne!(passages, reply::failure());
        // A button whose question is forgotten (a restart, say) asks to ask again.
        let gone = now_reply(decider.click(&click("more:99", member(7)), now));
        assert_eq!(gone, reply::expired());
    }

    #[test]
    fn the_remove_button_is_for_the_asker_and_members_who_manage_messages() {
        let decider = decider(|_| {});
        let now = Instant::now();
        let refused = decider.click(&click("remove:7", manager(8)), now);
        assert_eq!(refused, Response::Now(reply::remove_refused()));
        assert_eq!(
            decider.click(&click("remove:7", member(7)), now),
            Response::Remove
        );
        let moderator = Member {
            manages_messages: true,
            ..member(9)
        };
        assert_eq!(
            decider.click(&click("remove:7", moderator), now),
            Response::Remove
        );
    }

    /// The feedback lines of the log at `path`.
    fn feedback_lines(path: &Path) -> Vec<serde_json::Value> {
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
            .filter(|entry| entry["kind"] == "feedback")
            .collect()
    }

    #[test]
    fn a_members_first_vote_is_logged_and_a_repeat_vote_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("feedback.jsonl");
        let decider = decider(|settings| settings.feedback_log = log.clone());
        let now = Instant::now();
        run_later(&decider, decider.command(ask(1, BOATS, 7), now));
        let thanks = now_reply(decider.click(&click("up:1", member(7)), now));
        assert_eq!(thanks, reply::feedback_thanks(true));
        let again = now_reply(decider.click(&click("down:1", member(7)), now));
        assert_eq!(again, reply::already_voted());
        // Anyone may vote, once.
        let other = now_reply(decider.click(&click("down:1", member(8)), now));
        assert_eq!(other, reply::feedback_thanks(false));
        let gone = now_reply(decider.click(&click("up:99", member(8)), now));
        assert_eq!(gone, reply::expired());
        let votes = feedback_lines(&log);
        assert_eq!(votes.len(), 2, "{votes:?}");
        assert_eq!(votes[0]["helpful"], true);
        assert_eq!(votes[0]["question"], BOATS);
        assert_eq!(votes[0]["post"], "Harbour Rowing Club");
        assert_eq!(votes[1]["helpful"], false);
    }

    #[test]
    fn an_unreadable_command_or_an_unknown_button_gets_the_apology() {
        let decider = decider(|_| {});
        let now = Instant::now();
        let unknown = Invocation {
            id: 1,
            command: Err(CommandError::Unknown("weather".into())),
            member: member(7),
        };
        assert_eq!(
            decider.command(unknown, now),
            Response::Now(reply::failure())
        );
        assert_eq!(
            decider.click(&click("sideways:1", member(7)), now),
            Response::Now(reply::failure())
        );
    }

    #[test]
    fn help_is_private_as_a_command_and_public_in_a_dm() {
        let decider = decider(|_| {});
        let now = Instant::now();
        let help = now_reply(decider.command(invoke(1, Command::Help, member(7)), now));
        assert!(help.ephemeral);
        match decider.message(&in_dm(2, " Help ", 7), now) {
            Decision::Reply { reply, .. } => {
                assert!(!reply.ephemeral);
                assert_eq!(reply.embed, help.embed);
            }
            other => panic!("expected help, got {other:?}"),
        }
        assert_eq!(
            decider.command(invoke(3, Command::Posts, member(7)), now),
            Response::Later {
                job: Job::Posts,
                private: false
            }
        );
    }

    #[test]
    fn a_server_message_is_answered_only_when_it_is_for_the_bot() {
        let decider = decider(|_| {});
        let now = Instant::now();
        let elsewhere = in_channel(1, BOATS, 7, 999);
        assert_eq!(decider.message(&elsewhere, now), Decision::Ignore);
        let mention = Incoming {
            seen: Seen {
                mentions_bot: true,
                ..elsewhere.seen
            },
            ..elsewhere.clone()
        };
        assert!(matches!(
            decider.message(&mention, now),
            Decision::Answer(_)
        ));
        // A message without text in an answer channel (no Message Content intent): nothing.
        assert_eq!(
            decider.message(&in_channel(2, "", 7, ANSWERS), now),
            Decision::Ignore
        );
    }

    #[test]
    fn a_reply_to_a_remembered_answer_is_a_follow_up_in_its_context() {
        let decider = decider(|_| {});
        let now = Instant::now();
        let Decision::Answer(question) = decider.message(&in_dm(1, BOATS, 7), now) else {
            panic!("the question is answered");
        };
        let answered = decider.answer(&question);
        assert_eq!(answered.reply.embed.as_ref().unwrap().title, "12");
        assert!(!answered.not_covered);
        let context = answered.context.expect("follow-ups are on");
        assert_eq!(context.post.as_deref(), Some("rowing.md"));
        const SENT_ANSWER: u64 = 50;
        decider.remember(SENT_ANSWER, context.clone(), now);
        let follow_up = Incoming {
            replies_to_bot: Some(SENT_ANSWER),
            ..in_channel(2, "and when do the crews train?", 7, 999)
        };
        match decider.message(&follow_up, now) {
            Decision::Answer(question) => assert_eq!(question.earlier, Some(context)),
            other => panic!("expected a follow-up, got {other:?}"),
        }
    }
}
