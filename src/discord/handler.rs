//! The serenity event handler: registers the slash commands on every READY and routes
//! interactions, direct messages and mentions to the engine. Each event runs in its own task so a
//! panic answers that one member with an apology instead of silence and never stops the bot; the
//! engine runs on the blocking pool, and an interaction whose answer takes longer than
//! `discord.defer_after_ms` is deferred and then edited, inside Discord's 3-second window.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serenity::all::{
    AutocompleteChoice, ButtonStyle, Channel, ChannelId, Command, CommandInteraction,
    ComponentInteraction, Context, CreateActionRow, CreateAutocompleteResponse,
    CreateButton, CreateEmbed, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateMessage, EditInteractionResponse, EditMessage,
    EditThread, EventHandler, Guild, GuildChannel, GuildId, Interaction, InteractionId, Message, MessageId, MessageType, MessageUpdateEvent, Ready,
    ThreadListSyncEvent,
};

use crate::config::DiscordConfig;
use crate::engine::{Answer, Outcome};
use crate::error::Error;
use crate::followup::{self, Memory};
use crate::library::Library;

use super::commands::Command as SlashCommand;
use super::cooldown::{Cooldown, Verdict};
use super::feedback::{now_unix, Entry, FeedbackLog};
use super::forum::{ForumPosts, Post};
use super::no_mentions;
use super::reply::{self, ButtonAction, Reply};
use super::route::{route, Route, Seen};
use super::tracked::{Tracked, TrackedReplies};

/// How many passages `/search` shows.
const SEARCH_RESULTS: usize = 5;
/// How many citations "More passages" asks for (the first ones were already shown).
const MORE_CITATIONS: usize = 7;
/// How many recent questions the buttons can refer to; older buttons say "ask again".
const REMEMBERED_QUESTIONS: usize = 10_000;
/// How many conversations (answers and threads) follow-ups can refer to.
const REMEMBERED_CONVERSATIONS: usize = 10_000;
/// How many tags Discord allows on one forum post.
const MAX_APPLIED_TAGS: usize = 5;
/// How many threads (created or found active, most recent kept) the bot keeps track of.
const REMEMBERED_THREADS: usize = 10_000;

/// The serenity event handler; cheap to clone into the per-event tasks.
pub(super) struct Handler(Arc<Bot>);

impl Handler {
    pub(super) fn new(library: Arc<Library>, settings: &DiscordConfig) -> Handler {
        Handler(Arc::new(Bot {
            library,
            guild_ids: settings.guild_ids.clone(),
            cooldown: Cooldown::new(
                settings.cooldown_questions,
                Duration::from_secs(settings.cooldown_seconds),
            ),
            feedback: FeedbackLog::new(settings.feedback_log.clone()),
            asked: AskedQuestions::default(),
            bot_user: OnceLock::new(),
            defer_after: Duration::from_millis(settings.defer_after_ms),
            answer_channels: settings.answer_channels.clone(),
            channel_limit: Cooldown::new(
                settings.channel_questions,
                Duration::from_secs(settings.channel_seconds),
            ),
            conversations: (settings.follow_up_minutes > 0).then(|| {
                Memory::new(
                    REMEMBERED_CONVERSATIONS,
                    Duration::from_secs(settings.follow_up_minutes * 60),
                )
            }),
            threads: KnownThreads::default(),
            forum: ForumPosts::new(settings.forum_channels.clone()),
            tracked: TrackedReplies::new(Duration::from_secs(settings.edit_minutes * 60)),
            uncovered_tag: settings.forum_uncovered_tag.trim().to_string(),
        }))
    }
}

struct Bot {
    /// The served posts; each question takes the engine serving when it starts.
    library: Arc<Library>,
    guild_ids: Vec<u64>,
    cooldown: Cooldown,
    feedback: FeedbackLog,
    asked: AskedQuestions,
    bot_user: OnceLock<u64>,
    /// Longest wait for the engine before an interaction is deferred; zero defers at once.
    defer_after: Duration,
    /// Channels where every member's message is a question.
    answer_channels: Vec<u64>,
    /// Answers per answer channel and window, whoever asks (keyed by channel id): a busy
    /// channel cannot make the bot answer without bound.
    channel_limit: Cooldown,
    /// The context each recent answer leaves, by the id of the bot's reply and of the thread it
    /// was in; `None` when follow-ups are off.
    conversations: Option<Memory>,
    /// Threads the bot saw created or listed as active, so an answer given in one is remembered
    /// for the thread.
    threads: KnownThreads,
    /// New posts in the forum channels, paired from their two events and answered once.
    forum: ForumPosts,
    /// Replies to members' messages, to edit or remove with their question.
    tracked: TrackedReplies,
    /// The forum tag added to posts the posts don't cover; empty: none.
    uncovered_tag: String,
}

/// Ids of threads the bot knows of (created while it runs, or active when it joined a guild),
/// oldest forgotten first. Discord marks a message in a thread with its `position`, but that
/// field is optional: knowing the thread itself is what makes its messages follow-ups.
#[derive(Default)]
struct KnownThreads(Mutex<(HashSet<u64>, VecDeque<u64>)>);

impl KnownThreads {
    fn insert(&self, thread: u64) {
        let mut guard = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (set, order) = &mut *guard;
        if set.insert(thread) {
            order.push_back(thread);
        }
        while order.len() > REMEMBERED_THREADS {
            if let Some(old) = order.pop_front() {
                set.remove(&old);
            }
        }
    }

    fn contains(&self, thread: u64) -> bool {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .0
            .contains(&thread)
    }
}

/// A question as the buttons under its answer need it.
#[derive(Clone)]
struct Asked {
    /// The member who asked: only they may page through "More passages".
    asker: u64,
    question: String,
    answer: Option<String>,
    /// The post the question was limited to, so "More passages" stays within it.
    post: Option<String>,
    /// The title of the post the answer cited first, for the feedback log.
    cited: Option<String>,
    /// Members who already gave feedback on this answer: one vote each reaches the log.
    voted: HashSet<u64>,
}

/// Recent questions by key (the id of the interaction or message that asked), oldest forgotten
/// first so memory stays bounded.
#[derive(Default)]
struct AskedQuestions(Mutex<(HashMap<u64, Asked>, VecDeque<u64>)>);

impl AskedQuestions {
    fn insert(&self, key: u64, asked: Asked) {
        let mut guard = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (map, order) = &mut *guard;
        if map.insert(key, asked).is_none() {
            order.push_back(key);
        }
        while order.len() > REMEMBERED_QUESTIONS {
            if let Some(old) = order.pop_front() {
                map.remove(&old);
            }
        }
    }

    /// Records that `member` voted on answer `key`; false if they already had (or the answer
    /// is forgotten).
    fn first_vote(&self, key: u64, member: u64) -> bool {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .0
            .get_mut(&key)
            .is_some_and(|asked| asked.voted.insert(member))
    }

    fn get(&self, key: u64) -> Option<Asked> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .0
            .get(&key)
            .cloned()
    }
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        let _ = self.0.bot_user.set(ready.user.id.get());
        let shard = ready.shard.map_or(0, |s| s.id.0);
        tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), shard, "connected to Discord");
        // The command set is the bot's, not a shard's: with several shards (and processes) only
        // shard 0 registers it.
        if shard == 0 {
            self.0.register_commands(&ctx).await;
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let target = match &interaction {
            Interaction::Command(c) => Some((c.id, c.token.clone())),
            Interaction::Component(c) => Some((c.id, c.token.clone())),
            _ => None,
        };
        let http = ctx.http.clone();
        let bot = self.0.clone();
        let handled = tokio::spawn(async move { bot.on_interaction(&ctx, interaction).await });
        if let Err(err) = handled.await {
            tracing::error!(%err, "interaction handler failed");
            if let Some((id, token)) = target {
                // Best effort: answer with an apology, or, if the handler had already answered
                // (deferred), edit the apology into that answer.
                let response =
                    CreateInteractionResponse::Message(interaction_message(&reply::failure()));
                if http
                    .create_interaction_response(id, &token, &response, vec![])
                    .await
                    .is_err()
                {
                    let edit = edit_response(&reply::failure());
                    if let Err(err) = http
                        .edit_original_interaction_response(&token, &edit, vec![])
                        .await
                    {
                        tracing::warn!(interaction = %id, %err, "could not apologise after a failed handler");
                    }
                }
            }
        }
    }

    /// A guild becomes available (on connecting, or when the bot joins it): its active threads,
    /// created before the bot started, are known from now on.
    async fn guild_create(&self, _ctx: Context, guild: Guild, _is_new: Option<bool>) {
        for thread in &guild.threads {
            self.0.threads.insert(thread.id.get());
        }
    }

    /// The bot gained access to channels (a role or permission change): their active threads.
    async fn thread_list_sync(&self, _ctx: Context, sync: ThreadListSyncEvent) {
        for thread in &sync.threads {
            self.0.threads.insert(thread.id.get());
        }
    }

    async fn thread_create(&self, ctx: Context, thread: GuildChannel) {
        self.0.threads.insert(thread.id.get());
        let parent = thread.parent_id.map_or(0, |parent| parent.get());
        if let Some(post) = self
            .0
            .forum
            .thread_created(thread.id.get(), parent, &thread.name)
        {
            let bot = self.0.clone();
            let id = thread.id;
            if let Err(err) =
                tokio::spawn(async move { bot.answer_forum_post(&ctx, post).await }).await
            {
                tracing::error!(thread = %id, %err, "forum post handler failed");
            }
        }
    }

    async fn message_update(
        &self,
        ctx: Context,
        _old: Option<Message>,
        _new: Option<Message>,
        event: MessageUpdateEvent,
    ) {
        let bot = self.0.clone();
        let id = event.id;
        if let Err(err) = tokio::spawn(async move { bot.on_edit(&ctx, event).await }).await {
            tracing::error!(message = %id, %err, "edit handler failed");
        }
    }

    async fn message_delete(
        &self,
        ctx: Context,
        channel: ChannelId,
        deleted: MessageId,
        _guild: Option<GuildId>,
    ) {
        // The asker deleted the question: the answer goes with it.
        if let Some(tracked) = self.0.tracked.remove(deleted.get()) {
            let reply = MessageId::new(tracked.reply);
            if let Err(err) = channel.delete_message(&ctx.http, reply).await {
                tracing::warn!(request = "DELETE channel message", %channel, message = %reply, %err, "could not remove the reply to a deleted question");
            }
        }
    }

    async fn message(&self, ctx: Context, message: Message) {
        let bot = self.0.clone();
        let id = message.id;
        if let Err(err) = tokio::spawn(async move { bot.on_message(&ctx, message).await }).await {
            tracing::error!(message = %id, %err, "message handler failed");
        }
    }
}

impl Bot {
    /// Bulk overwrite (PUT) of the command set: a restart or re-identify never duplicates them.
    async fn register_commands(&self, ctx: &Context) {
        if self.guild_ids.is_empty() {
            match Command::set_global_commands(&ctx.http, SlashCommand::definitions()).await {
                Ok(commands) => {
                    tracing::info!(count = commands.len(), "registered global commands")
                }
                Err(err) => {
                    tracing::error!(request = "PUT global commands", %err, "command registration failed")
                }
            }
        }
        for &guild in &self.guild_ids {
            match GuildId::new(guild)
                .set_commands(&ctx.http, SlashCommand::definitions())
                .await
            {
                Ok(commands) => {
                    tracing::info!(guild, count = commands.len(), "registered guild commands")
                }
                Err(err) => {
                    tracing::error!(request = "PUT guild commands", guild, %err, "command registration failed")
                }
            }
        }
    }

    async fn on_interaction(self: Arc<Self>, ctx: &Context, interaction: Interaction) {
        match interaction {
            Interaction::Command(command) => self.on_command(ctx, &command).await,
            Interaction::Component(component) => self.on_component(ctx, &component).await,
            Interaction::Autocomplete(autocomplete) => {
                self.on_autocomplete(ctx, &autocomplete).await
            }
            other => tracing::debug!(kind = ?other.kind(), "ignoring interaction"),
        }
    }

    async fn on_command(self: Arc<Self>, ctx: &Context, command: &CommandInteraction) {
        let (id, token) = (command.id, command.token.as_str());
        tracing::debug!(interaction = %id, command = %command.data.name, user = %command.user.id, "command");
        let parsed = match SlashCommand::parse(&command.data) {
            Ok(parsed) => parsed,
            Err(err) => {
                tracing::warn!(interaction = %id, %err, "cannot read the command");
                return respond(ctx, id, token, &reply::failure()).await;
            }
        };
        let bot = self.clone();
        let asker = command.user.id.get();
        if parsed.managers_only() {
            // The commands are registered for Manage Server only, but a client's word is not
            // enough: the interaction carries the member's computed permissions.
            let allowed = command
                .member
                .as_ref()
                .and_then(|member| member.permissions)
                .is_some_and(|p| p.manage_guild());
            if !allowed {
                tracing::warn!(user = %command.user.id, command = parsed.name(), "refused: not Manage Server");
                return respond(ctx, id, token, &reply::reindex_refused()).await;
            }
        }
        match parsed {
            SlashCommand::Ask { question, post } => {
                if let Some(refusal) = self.refuse_question(asker, &question) {
                    return respond(ctx, id, token, &refusal).await;
                }
                let key = id.get();
                respond_when_ready(ctx, id, token, self.defer_after, false, move || {
                    let reply = bot.answer(&question, key, post.as_deref(), asker);
                    // A public answer stays in the channel, so its asker (or a moderator) may
                    // take it away as from a reply to a message.
                    if reply.ephemeral {
                        reply
                    } else {
                        reply::removable(reply, asker)
                    }
                })
                .await
            }
            SlashCommand::Search { query, post } => {
                if let Some(refusal) = self.refuse_question(asker, &query) {
                    return respond(ctx, id, token, &refusal).await;
                }
                respond_when_ready(ctx, id, token, self.defer_after, false, move || {
                    bot.search(&query, post.as_deref())
                })
                .await
            }
            SlashCommand::Posts => {
                respond_when_ready(ctx, id, token, self.defer_after, false, move || {
                    let engine = bot.library.engine();
                    reply::posts(&engine.posts(), engine.indexed_at())
                })
                .await
            }
            SlashCommand::Help => respond(ctx, id, token, &reply::help()).await,
            SlashCommand::Report { since } => {
                respond_when_ready(ctx, id, token, self.defer_after, true, move || {
                    bot.report(since.as_deref().unwrap_or_default())
                })
                .await
            }
            SlashCommand::Add { url } => {
                tracing::info!(user = %command.user.id, %url, "web source added");
                respond_when_ready(ctx, id, token, self.defer_after, true, move || {
                    reply::added(&url, &crate::web::add(&bot.library, &url))
                })
                .await
            }
            SlashCommand::Reindex => {
                tracing::info!(user = %command.user.id, "re-index asked for");
                respond_when_ready(ctx, id, token, self.defer_after, true, move || {
                    // Web sources are fetched first, so the re-index sees their pages.
                    let fetched = crate::web::refetch(&bot.library);
                    match bot.library.reindex() {
                        Ok(changes) => reply::reindexed(&changes, fetched.as_ref()),
                        Err(Error::Reindex { post, .. }) => reply::reindex_failed(&post),
                        Err(err) => {
                            tracing::error!(%err, "re-index failed");
                            reply::failure()
                        }
                    }
                })
                .await
            }
        }
    }

    /// The refusal of `asker`'s question `text`, if any: over the cooldown, or bad input, which
    /// is refused at once and privately, before any deferral could make the notice public.
    fn refuse_question(&self, asker: u64, text: &str) -> Option<Reply> {
        if let Verdict::Refused { retry_after, .. } = self.cooldown.check(asker, Instant::now()) {
            return Some(reply::cooldown(retry_after));
        }
        match self.library.engine().check_question(text) {
            Err(err) if err.is_bad_question() => Some(reply::bad_question(&err.to_string())),
            _ => None,
        }
    }

    async fn on_component(self: Arc<Self>, ctx: &Context, component: &ComponentInteraction) {
        let (id, token) = (component.id, component.token.as_str());
        let action = ButtonAction::parse(&component.data.custom_id);
        tracing::debug!(interaction = %id, custom_id = %component.data.custom_id, "button");
        // Button presses share the member's cooldown: "More passages" runs the engine, and
        // feedback is written to the log, so neither may be pressed without bound.
        if let Verdict::Refused { retry_after, .. } =
            self.cooldown.check(component.user.id.get(), Instant::now())
        {
            return respond(ctx, id, token, &reply::cooldown(retry_after)).await;
        }
        match action {
            Some(ButtonAction::MorePassages(key)) => match self.asked.get(key) {
                Some(asked) if asked.asker != component.user.id.get() => {
                    respond(ctx, id, token, &reply::not_the_asker()).await
                }
                Some(asked) => {
                    let bot = self.clone();
                    respond_when_ready(ctx, id, token, self.defer_after, true, move || {
                        bot.more_passages(&asked.question, asked.post.as_deref())
                    })
                    .await
                }
                None => respond(ctx, id, token, &reply::expired()).await,
            },
            Some(ButtonAction::Feedback(key, helpful)) => match self.asked.get(key) {
                Some(_) if !self.asked.first_vote(key, component.user.id.get()) => {
                    respond(ctx, id, token, &reply::already_voted()).await
                }
                Some(asked) => {
                    self.feedback.record(&Entry::Feedback {
                        at: now_unix(),
                        question: asked.question,
                        answer: asked.answer,
                        helpful,
                        post: asked.cited,
                    });
                    respond(ctx, id, token, &reply::feedback_thanks(helpful)).await
                }
                None => respond(ctx, id, token, &reply::expired()).await,
            },
            Some(ButtonAction::Remove(asker)) => {
                let moderator = component
                    .member
                    .as_ref()
                    .and_then(|member| member.permissions)
                    .is_some_and(|p| p.manage_messages());
                if component.user.id.get() != asker && !moderator {
                    tracing::info!(user = %component.user.id, "refused: removing someone else's answer");
                    return respond(ctx, id, token, &reply::remove_refused()).await;
                }
                let (channel, message) = (component.channel_id, component.message.id);
                match channel.delete_message(&ctx.http, message).await {
                    Ok(()) => respond(ctx, id, token, &reply::removed()).await,
                    Err(err) => {
                        tracing::warn!(request = "DELETE channel message", %channel, %message, %err, "could not remove an answer");
                        respond(ctx, id, token, &reply::failure()).await
                    }
                }
            }
            None => {
                tracing::warn!(custom_id = %component.data.custom_id, "unknown button");
                respond(ctx, id, token, &reply::failure()).await
            }
        }
    }

    /// Suggests posts for the `post` option as the member types: titles shown, ids sent back.
    async fn on_autocomplete(&self, ctx: &Context, autocomplete: &CommandInteraction) {
        let Some(focused) = autocomplete.data.autocomplete() else {
            return;
        };
        let choices = if focused.name == "post" {
            reply::post_choices(&self.library.engine().posts(), focused.value)
        } else {
            Vec::new()
        };
        let response = CreateInteractionResponse::Autocomplete(
            CreateAutocompleteResponse::new().set_choices(
                choices
                    .into_iter()
                    .map(|(name, value)| AutocompleteChoice::new(name, value))
                    .collect(),
            ),
        );
        if let Err(err) = ctx
            .http
            .create_interaction_response(autocomplete.id, &autocomplete.token, &response, vec![])
            .await
        {
            tracing::warn!(request = "POST interaction callback", interaction = %autocomplete.id, %err, "autocomplete failed");
        }
    }

    /// A direct message is a question (or `help`); in a server, messages that @mention the bot
    /// and every member's message in an answer channel are, answered as a reply to them (see
    /// [`route`] for what is left alone).
    async fn on_message(self: Arc<Self>, ctx: &Context, message: Message) {
        let Some(&me) = self.bot_user.get() else {
            return;
        };
        let now = Instant::now();
        // Discord gives a message in a thread its position there.
        let in_thread =
            message.position.is_some() || self.threads.contains(message.channel_id.get());
        let earlier = self.earlier_context(&message, me, in_thread, now);
        let mut seen = seen(&message, me);
        seen.follows_up = earlier.is_some();
        let route = route(&seen, &self.answer_channels);
        // A forum post's first message has the id of its thread.
        let first_in_forum_post = message.id.get() == message.channel_id.get();
        if first_in_forum_post && !seen.from_bot && seen.by_member && self.forum.watching() {
            if self.forum.was_answered(message.id.get()) {
                return;
            }
            if route == Some(Route::Mention) {
                self.forum.answered_elsewhere(message.id.get());
            } else {
                let text = strip_mentions_of(&message.content, me);
                let (thread, author) = (message.channel_id.get(), message.author.id.get());
                if let Some(post) = self.forum.first_message(thread, author, &text) {
                    self.answer_forum_post(ctx, post).await;
                }
                return;
            }
        }
        let Some(route) = route else {
            return;
        };
        let in_dm = route == Route::Direct;
        if route == Route::AnswerChannel {
            if let Verdict::Refused { retry_after, .. } = self
                .channel_limit
                .check(message.channel_id.get(), Instant::now())
            {
                // Silence: a notice to a busy channel would only add to the flood.
                tracing::debug!(channel = %message.channel_id, ?retry_after, "answer channel over its limit");
                return;
            }
        }
        let question = strip_mentions_of(&message.content, me);
        if question.is_empty() && matches!(route, Route::FollowUp | Route::AnswerChannel) {
            // Without the Message Content intent Discord sends these messages without their
            // text (and a message may be an attachment alone): nothing to answer.
            tracing::debug!(message = %message.id, "a message without text in a conversation");
            return;
        }
        let mut left_context = None;
        let reply = if in_dm && question.trim().eq_ignore_ascii_case("help") {
            Reply {
                ephemeral: false,
                ..reply::help()
            }
        } else {
            match self.cooldown.check(message.author.id.get(), Instant::now()) {
                Verdict::Refused {
                    retry_after,
                    first_refusal: true,
                } => reply::cooldown(retry_after),
                // One notice per window is enough in a channel; further refusals stay silent.
                Verdict::Refused {
                    first_refusal: false,
                    ..
                } => return,
                Verdict::Allowed => {
                    let (key, asker) = (message.id.get(), message.author.id.get());
                    let (reply, context, _) = self
                        .answer_off_the_runtime(
                            question.clone(),
                            key,
                            asker,
                            earlier.clone(),
                            "a message",
                        )
                        .await;
                    left_context = context;
                    reply
                }
            }
        };
        let reference = (message.channel_id, message.id);
        // The thread's creation may have been handled while this message was answered.
        let in_thread = in_thread || self.threads.contains(message.channel_id.get());
        let asker = message.author.id.get();
        let reply = reply::removable(reply, asker);
        let sent = self
            .send_reply(ctx, reference, &reply, left_context, in_thread, now)
            .await;
        if let Some(sent) = sent {
            let tracked = Tracked::new(
                message.channel_id.get(),
                sent,
                asker,
                question,
                earlier,
                now,
            );
            self.tracked.insert(message.id.get(), tracked);
        }
    }

    /// A member edited a message: if it is a question the bot answered within the edit window,
    /// and its text changed, the reply is edited to answer the new text. Edits are taken in the
    /// order of their `edited_timestamp` (see [`TrackedReplies`]): the reply ends up answering
    /// the latest, whatever order the events and answers come in.
    async fn on_edit(self: Arc<Self>, ctx: &Context, event: MessageUpdateEvent) {
        let (Some(content), Some(&me)) = (event.content.as_deref(), self.bot_user.get()) else {
            return;
        };
        // Discord stamps every edit of the text; an update without a stamp is Discord's own
        // (a link preview added), not the member's.
        let Some(edited_at) = event.edited_timestamp else {
            return;
        };
        let question = strip_mentions_of(content, me);
        let now = Instant::now();
        let Some(tracked) = self
            .tracked
            .edited(event.id.get(), &question, edited_at, now)
        else {
            return;
        };
        if question.is_empty()
            || event
                .author
                .as_ref()
                .is_some_and(|author| author.id.get() != tracked.asker)
        {
            return;
        }
        // An edit runs the engine again, so it counts as a question.
        if let Verdict::Refused { .. } = self.cooldown.check(tracked.asker, now) {
            return;
        }
        if !self.tracked.claim(event.id.get(), &question, edited_at) {
            // A later edit got there first.
            return;
        }
        let (key, asker, earlier) = (event.id.get(), tracked.asker, tracked.earlier.clone());
        let (reply, context, _) = self
            .answer_off_the_runtime(question.clone(), key, asker, earlier, "an edited message")
            .await;
        let reply = reply::removable(reply, asker);
        let (channel, message) = (
            ChannelId::new(tracked.channel),
            MessageId::new(tracked.reply),
        );
        // Held until the edit is sent, so an answer to a later edit cannot be overtaken by
        // this one on its way to Discord.
        let _editing = tracked.editing.lock().await;
        if !self.tracked.is_latest(event.id.get(), edited_at) {
            tracing::debug!(message = %event.id, "a later edit is answered instead");
            return;
        }
        match channel
            .edit_message(&ctx.http, message, edit_message(&reply))
            .await
        {
            Ok(_) => {
                if let (Some(memory), Some(context)) = (&self.conversations, context) {
                    memory.remember(tracked.reply, context, now);
                }
            }
            Err(err) => {
                tracing::warn!(request = "PATCH channel message", %channel, %message, %err, "could not edit the reply to an edited question");
            }
        }
    }

    /// Sends `reply` as a reply to message `reference` (channel, message) and remembers the
    /// context it leaves under the sent message, and under the thread when it is in one.
    /// Returns the id of the message sent.
    async fn send_reply(
        &self,
        ctx: &Context,
        reference: (ChannelId, MessageId),
        reply: &Reply,
        context: Option<followup::Context>,
        in_thread: bool,
        now: Instant,
    ) -> Option<u64> {
        let (channel, replying_to) = reference;
        let builder = channel_message(reply).reference_message(reference);
        match channel.send_message(&ctx.http, builder).await {
            Ok(sent) => {
                if let (Some(memory), Some(context)) = (&self.conversations, context) {
                    if in_thread {
                        memory.remember(channel.get(), context.clone(), now);
                    }
                    memory.remember(sent.id.get(), context, now);
                }
                Some(sent.id.get())
            }
            Err(err) => {
                tracing::error!(request = "POST channel message", channel = %channel, replying_to = %replying_to, %err, "reply failed");
                None
            }
        }
    }

    /// Answers a new forum post in its thread, as a reply to its first message; the per-member
    /// cooldown and the forum's budget apply as in an answer channel.
    async fn answer_forum_post(self: Arc<Self>, ctx: &Context, post: Post) {
        let now = Instant::now();
        if let Verdict::Refused { retry_after, .. } = self.channel_limit.check(post.forum, now) {
            tracing::debug!(forum = post.forum, ?retry_after, "forum over its limit");
            return;
        }
        let (reply, context, not_covered) = match self.cooldown.check(post.author, now) {
            Verdict::Refused {
                retry_after,
                first_refusal: true,
            } => (reply::cooldown(retry_after), None, false),
            Verdict::Refused {
                first_refusal: false,
                ..
            } => return,
            Verdict::Allowed => {
                let (question, key, asker) = (post.question.clone(), post.thread, post.author);
                self.answer_off_the_runtime(question, key, asker, None, "a forum post")
                    .await
            }
        };
        let thread = ChannelId::new(post.thread);
        let first_message = MessageId::new(post.thread);
        let reply = reply::removable(reply, post.author);
        self.send_reply(ctx, (thread, first_message), &reply, context, true, now)
            .await;
        if not_covered && !self.uncovered_tag.is_empty() {
            self.tag_uncovered(ctx, &post).await;
        }
    }

    /// Adds the configured tag to a forum post the posts don't cover, keeping its other tags.
    /// Best effort: a forum without that tag, or a refusal, is logged, not retried.
    async fn tag_uncovered(&self, ctx: &Context, post: &Post) {
        let (forum, thread) = (ChannelId::new(post.forum), ChannelId::new(post.thread));
        let guild_channel = |channel: serenity::Result<Channel>| match channel {
            Ok(Channel::Guild(channel)) => Ok(channel),
            Ok(_) => Err("not a server channel".to_string()),
            Err(err) => Err(err.to_string()),
        };
        let forum_channel = match guild_channel(forum.to_channel(&ctx.http).await) {
            Ok(channel) => channel,
            Err(err) => {
                tracing::warn!(request = "GET channel", %forum, %err, "cannot read the forum's tags");
                return;
            }
        };
        let Some(tag) = forum_channel
            .available_tags
            .iter()
            .find(|tag| tag.name.eq_ignore_ascii_case(&self.uncovered_tag))
        else {
            tracing::warn!(%forum, tag = %self.uncovered_tag, "the forum has no such tag (discord.forum_uncovered_tag)");
            return;
        };
        let mut applied = match guild_channel(thread.to_channel(&ctx.http).await) {
            Ok(channel) => channel.applied_tags,
            Err(err) => {
                tracing::warn!(request = "GET channel", %thread, %err, "cannot read the post's tags");
                return;
            }
        };
        if applied.contains(&tag.id) {
            return;
        }
        if applied.len() >= MAX_APPLIED_TAGS {
            tracing::info!(%thread, "the post already has the most tags Discord allows");
            return;
        }
        applied.push(tag.id);
        if let Err(err) = thread
            .edit_thread(&ctx.http, EditThread::new().applied_tags(applied))
            .await
        {
            tracing::warn!(request = "PATCH channel", %thread, %err, "cannot tag the uncovered post");
        }
    }

    /// The context of the conversation `message` continues, if any: the answer it replies to,
    /// or else the thread it is in, while the bot remembers them.
    fn earlier_context(
        &self,
        message: &Message,
        me: u64,
        in_thread: bool,
        now: Instant,
    ) -> Option<followup::Context> {
        let memory = self.conversations.as_ref()?;
        let replied_to_bot = message
            .referenced_message
            .as_ref()
            .filter(|replied| replied.author.id.get() == me);
        match replied_to_bot {
            Some(replied) => memory.recall(replied.id.get(), now),
            None if in_thread => memory.recall(message.channel_id.get(), now),
            None => None,
        }
    }

    /// Asks the engine (within one post, if given); remembers the question for the buttons and
    /// logs what it cannot answer.
    fn answer(&self, question: &str, key: u64, post: Option<&str>, asker: u64) -> Reply {
        let engine = self.library.engine();
        let answered = engine.ask_in(question, engine.settings().citations, post);
        self.reply_to(question, key, post, asker, answered)
    }

    /// [`Self::answer_in_context`] on the blocking pool, so a slow answer never stalls the
    /// gateway; a panic in it becomes the apology reply and an error line naming `what`.
    async fn answer_off_the_runtime(
        self: &Arc<Self>,
        question: String,
        key: u64,
        asker: u64,
        earlier: Option<followup::Context>,
        what: &'static str,
    ) -> (Reply, Option<followup::Context>, bool) {
        let bot = self.clone();
        tokio::task::spawn_blocking(move || {
            bot.answer_in_context(&question, key, asker, earlier.as_ref())
        })
        .await
        .unwrap_or_else(|err| {
            tracing::error!(%err, "answering {what} failed");
            (reply::failure(), None, false)
        })
    }

    /// Answers a message: as a follow-up in `earlier`'s context, if given, else as a question
    /// of its own. Also returns the context the answer leaves for the next follow-up (none when
    /// follow-ups are off or the question was refused), and whether the posts don't cover it.
    fn answer_in_context(
        &self,
        question: &str,
        key: u64,
        asker: u64,
        earlier: Option<&followup::Context>,
    ) -> (Reply, Option<followup::Context>, bool) {
        let engine = self.library.engine();
        let citations = engine.settings().citations;
        let answered = match earlier {
            Some(earlier) => followup::ask_follow_up(&engine, question, earlier, citations),
            None => engine.ask_in(question, citations, None).map(|answer| {
                let context = followup::Context::of(question, &answer);
                (answer, context)
            }),
        };
        let (answered, context) = match answered {
            Ok((answer, context)) => (Ok(answer), Some(context)),
            Err(err) => (Err(err), None),
        };
        let context = context.filter(|_| self.conversations.is_some());
        let not_covered = matches!(&answered, Ok(answer) if answer.outcome == Outcome::NotCovered);
        (
            self.reply_to(question, key, None, asker, answered),
            context,
            not_covered,
        )
    }

    /// The reply to `question` from what the engine said; remembers the question for the
    /// buttons and logs what the posts cannot answer.
    fn reply_to(
        &self,
        question: &str,
        key: u64,
        post: Option<&str>,
        asker: u64,
        answered: crate::Result<Answer>,
    ) -> Reply {
        match answered {
            Ok(answer) => {
                let outcome = match answer.outcome {
                    Outcome::Answered | Outcome::SmallTalk => None,
                    Outcome::NoFigure => Some("no_figure"),
                    Outcome::NotCovered => Some("not_covered"),
                };
                let first = answer.citations.first();
                if let Some(outcome) = outcome {
                    self.feedback.record(&Entry::Unanswered {
                        at: now_unix(),
                        question: question.to_string(),
                        outcome,
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
                let cited = first.map(|citation| citation.title.clone());
                self.asked.insert(
                    key,
                    Asked {
                        asker,
                        question: question.to_string(),
                        answer: answer.answer.clone(),
                        post: post.map(str::to_string),
                        cited,
                        voted: HashSet::new(),
                    },
                );
                reply::answer(&answer, key)
            }
            Err(err) if err.is_bad_question() => reply::bad_question(&err.to_string()),
            Err(err) => {
                tracing::error!(%err, "the engine failed to answer");
                reply::failure()
            }
        }
    }

    /// The `/report` summary of the feedback log, from day `since` (YYYY-MM-DD) if given.
    fn report(&self, since: &str) -> Reply {
        let Some(path) = self.feedback.path() else {
            return reply::report_unavailable(
                "the bot keeps no feedback log (discord.feedback_log)",
            );
        };
        let since = match Some(since.trim()).filter(|s| !s.is_empty()) {
            Some(day) => match crate::report::day_start(day) {
                Ok(start) => Some(start),
                Err(err) => return reply::bad_question(&err.to_string()),
            },
            None => None,
        };
        match crate::report::Report::read(path, since) {
            Ok(report) => reply::report(&report.text()),
            Err(err) => {
                tracing::warn!(%err, "cannot read the feedback log for /report");
                reply::report_unavailable("nothing has been logged yet")
            }
        }
    }

    fn more_passages(&self, question: &str, post: Option<&str>) -> Reply {
        match self.library.engine().ask_in(question, MORE_CITATIONS, post) {
            Ok(answer) => reply::more_passages(&answer),
            Err(err) => {
                tracing::error!(%err, "the engine failed to find more passages");
                reply::failure()
            }
        }
    }

    fn search(&self, query: &str, post: Option<&str>) -> Reply {
        match self.library.engine().search_in(query, SEARCH_RESULTS, post) {
            Ok(citations) => reply::search(query, &citations),
            Err(err) if err.is_bad_question() => reply::bad_question(&err.to_string()),
            Err(err) => {
                tracing::error!(%err, "the engine failed to search");
                reply::failure()
            }
        }
    }
}

/// The facts about `message` that decide whether the bot (user id `me`) answers it.
fn seen(message: &Message, me: u64) -> Seen {
    let replies_to_someone_else = message
        .referenced_message
        .as_ref()
        .is_some_and(|replied| replied.author.id.get() != me);
    Seen {
        in_dm: message.guild_id.is_none(),
        from_bot: message.author.bot
            || message.author.id.get() == me
            || message.webhook_id.is_some(),
        by_member: matches!(
            message.kind,
            MessageType::Regular | MessageType::InlineReply
        ),
        mentions_bot: message.mentions.iter().any(|user| user.id.get() == me),
        addressed_to_others: message.mentions.iter().any(|user| user.id.get() != me)
            || !message.mention_roles.is_empty()
            || message.mention_everyone
            || replies_to_someone_else,
        channel: message.channel_id.get(),
        follows_up: false,
    }
}

/// The message text without mentions of the bot (`<@id>` and the nickname form `<@!id>`).
fn strip_mentions_of(content: &str, bot: u64) -> String {
    content
        .replace(&format!("<@{bot}>"), " ")
        .replace(&format!("<@!{bot}>"), " ")
        .trim()
        .to_string()
}

/// Answers an interaction at once.
async fn respond(ctx: &Context, id: InteractionId, token: &str, reply: &Reply) {
    let response = CreateInteractionResponse::Message(interaction_message(reply));
    if let Err(err) = ctx
        .http
        .create_interaction_response(id, token, &response, vec![])
        .await
    {
        tracing::error!(request = "POST interaction callback", interaction = %id, %err, "reply failed");
    }
}

/// Runs `work` on the blocking pool and answers with its reply; if that takes longer than
/// `defer_after` (or at once, if it is zero), defers the interaction first and edits the reply in
/// when it is ready. `private` replies (visible only to the member) are deferred privately too:
/// a deferral's visibility cannot be changed by the edit that follows.
async fn respond_when_ready(
    ctx: &Context,
    id: InteractionId,
    token: &str,
    defer_after: Duration,
    private: bool,
    work: impl FnOnce() -> Reply + Send + 'static,
) {
    let mut task = tokio::task::spawn_blocking(work);
    let failed = |err: tokio::task::JoinError| {
        tracing::error!(interaction = %id, %err, "building a reply failed");
        reply::failure()
    };
    // Zero means "always defer", decided here rather than by racing the work against a timer.
    let ready_in_time = if defer_after.is_zero() {
        None
    } else {
        tokio::time::timeout(defer_after, &mut task).await.ok()
    };
    match ready_in_time {
        Some(done) => respond(ctx, id, token, &done.unwrap_or_else(failed)).await,
        None => {
            let defer = CreateInteractionResponse::Defer(
                CreateInteractionResponseMessage::new().ephemeral(private),
            );
            if let Err(err) = ctx
                .http
                .create_interaction_response(id, token, &defer, vec![])
                .await
            {
                tracing::error!(request = "POST interaction callback (defer)", interaction = %id, %err, "defer failed");
                return;
            }
            let reply = task.await.unwrap_or_else(failed);
            let edit = edit_response(&reply);
            if let Err(err) = ctx
                .http
                .edit_original_interaction_response(token, &edit, vec![])
                .await
            {
                tracing::error!(request = "PATCH original interaction response", interaction = %id, %err, "edit failed");
            }
        }
    }
}

fn embed(reply: &Reply) -> Option<CreateEmbed> {
    reply.embed.as_ref().map(|embed| {
        CreateEmbed::new()
            .title(&embed.title)
            .description(&embed.description)
            .colour(embed.colour)
    })
}

fn components(reply: &Reply) -> Vec<CreateActionRow> {
    if reply.buttons.is_empty() {
        return Vec::new();
    }
    let buttons = reply
        .buttons
        .iter()
        .map(|button| {
            CreateButton::new(&button.custom_id)
                .label(button.label)
                .style(ButtonStyle::Secondary)
        })
        .collect();
    vec![CreateActionRow::Buttons(buttons)]
}

fn interaction_message(reply: &Reply) -> CreateInteractionResponseMessage {
    let mut message = CreateInteractionResponseMessage::new()
        .ephemeral(reply.ephemeral)
        .allowed_mentions(no_mentions())
        .components(components(reply));
    if !reply.content.is_empty() {
        message = message.content(&reply.content);
    }
    if let Some(embed) = embed(reply) {
        message = message.embed(embed);
    }
    message
}

fn edit_response(reply: &Reply) -> EditInteractionResponse {
    let mut edit = EditInteractionResponse::new()
        .allowed_mentions(no_mentions())
        .components(components(reply))
        .content(&reply.content);
    if let Some(embed) = embed(reply) {
        edit = edit.embed(embed);
    }
    edit
}

fn edit_message(reply: &Reply) -> EditMessage {
    EditMessage::new()
        .allowed_mentions(no_mentions())
        .components(components(reply))
        .content(&reply.content)
        .embeds(embed(reply).into_iter().collect())
}

fn channel_message(reply: &Reply) -> CreateMessage {
    let mut message = CreateMessage::new()
        .allowed_mentions(no_mentions())
        .components(components(reply));
    if !reply.content.is_empty() {
        message = message.content(&reply.content);
    }
    if let Some(embed) = embed(reply) {
        message = message.embed(embed);
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_of_the_bot_are_removed() {
        assert_eq!(
            strip_mentions_of("<@42> how many members?", 42),
            "how many members?"
        );
        assert_eq!(
            strip_mentions_of("hi <@!42> there <@7>", 42),
            "hi   there <@7>"
        );
    }
}
