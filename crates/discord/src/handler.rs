//! The serenity glue: registers the slash commands on every READY, turns each event into the
//! plain data [`Decider`] decides on (see [`wire`]), and sends what it decides: at once, or,
//! for engine work, from the blocking pool, deferring an interaction whose reply takes longer
//! than `discord.defer_after_ms` and editing the reply in, inside Discord's 3-second window.
//! Each event runs in its own task so a panic answers that one member with an apology instead
//! of silence and never stops the bot. What only the wire knows stays here: the threads the bot
//! has seen, the replies it may edit or remove with their question, the forum tags.

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serenity::all::{
    AutocompleteChoice, Channel, ChannelId, Command, CommandInteraction, ComponentInteraction,
    Context, CreateAutocompleteResponse, CreateInteractionResponse,
    CreateInteractionResponseMessage, EditThread, EventHandler, Guild, GuildChannel, GuildId,
    Interaction, InteractionId, Message, MessageId, MessageUpdateEvent, Ready, ThreadListSyncEvent,
};

use crate::config::DiscordConfig;
use citebot_core::followup;
use citebot_core::library::Library;
use citebot_web::Web;

use super::commands::Command as SlashCommand;
use super::decide::{Answered, Click, Decider, Decision, Invocation, Question, Response};
use super::forum::Post;
use super::in_flight::{InFlight, SETTLE_LIMIT};
use super::reply::{self, Reply};
use super::tracked::{Tracked, TrackedReplies};
use super::wire;

/// How many tags Discord allows on one forum post.
const MAX_APPLIED_TAGS: usize = 5;
/// How many threads (created or found active, most recent kept) the bot keeps track of.
const REMEMBERED_THREADS: usize = 10_000;

/// The serenity event handler; cheap to clone into the per-event tasks.
pub(super) struct Handler(Arc<Bot>);

impl Handler {
    pub(super) fn new(
        library: Arc<Library>,
        web: Option<Arc<Web>>,
        settings: &DiscordConfig,
    ) -> Handler {
        Handler(Arc::new(Bot {
            decider: Decider::new(library, web, settings),
            guild_ids: settings.guild_ids.clone(),
            bot_user: OnceLock::new(),
            defer_after: Duration::from_millis(settings.defer_after_ms),
            threads: KnownThreads::default(),
            tracked: TrackedReplies::new(Duration::from_secs(settings.edit_minutes * 60)),
            uncovered_tag: settings.forum_uncovered_tag.trim().to_string(),
            in_flight: InFlight::default(),
        }))
    }
}

struct Bot {
    /// What to do about each event.
    decider: Decider,
    guild_ids: Vec<u64>,
    bot_user: OnceLock<u64>,
    /// Longest wait for the engine before an interaction is deferred; zero defers at once.
    defer_after: Duration,
    /// Threads the bot saw created or listed as active, so an answer given in one is remembered
    /// for the thread.
    threads: KnownThreads,
    /// Replies to members' messages, to edit or remove with their question.
    tracked: TrackedReplies,
    /// The forum tag added to posts the posts don't cover; empty: none.
    uncovered_tag: String,
    /// Answers being worked out and sent, until what later messages refer to is recorded.
    in_flight: InFlight,
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
        let apology =
            apology_if_it_panics(async move { bot.on_interaction(&ctx, interaction).await }).await;
        let (Some(apology), Some((id, token))) = (apology, target) else {
            return;
        };
        // Best effort: answer with the apology, or, if the handler had already answered
        // (deferred), edit the apology into that answer.
        let response = CreateInteractionResponse::Message(wire::interaction_message(&apology));
        if http
            .create_interaction_response(id, &token, &response, vec![])
            .await
            .is_err()
        {
            let edit = wire::edit_response(&apology);
            if let Err(err) = http
                .edit_original_interaction_response(&token, &edit, vec![])
                .await
            {
                tracing::warn!(interaction = %id, %err, "could not apologise after a failed handler");
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
            .decider
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
        tracing::debug!(interaction = %command.id, command = %command.data.name, user = %command.user.id, "command");
        let permissions = command
            .member
            .as_ref()
            .and_then(|member| member.permissions);
        let invocation = Invocation {
            id: command.id.get(),
            command: SlashCommand::parse(&command.data),
            member: wire::member(command.user.id.get(), permissions),
        };
        let response = self.decider.command(invocation, Instant::now());
        self.deliver(ctx, command.id, &command.token, response, None)
            .await;
    }

    async fn on_component(self: Arc<Self>, ctx: &Context, component: &ComponentInteraction) {
        tracing::debug!(interaction = %component.id, custom_id = %component.data.custom_id, "button");
        let permissions = component
            .member
            .as_ref()
            .and_then(|member| member.permissions);
        let click = Click {
            custom_id: component.data.custom_id.clone(),
            member: wire::member(component.user.id.get(), permissions),
        };
        let response = self.decider.click(&click, Instant::now());
        let on = (component.channel_id, component.message.id);
        self.deliver(ctx, component.id, &component.token, response, Some(on))
            .await;
    }

    /// Sends `response` to interaction `id`; [`Response::Remove`] deletes message `on`
    /// (channel, message), the one the clicked button is on.
    async fn deliver(
        self: &Arc<Self>,
        ctx: &Context,
        id: InteractionId,
        token: &str,
        response: Response,
        on: Option<(ChannelId, MessageId)>,
    ) {
        match response {
            Response::Now(reply) => respond(ctx, id, token, &reply).await,
            Response::Later { job, private } => {
                let bot = self.clone();
                respond_when_ready(ctx, id, token, self.defer_after, private, move || {
                    bot.decider.run(&job)
                })
                .await
            }
            Response::Remove => {
                let Some((channel, message)) = on else {
                    tracing::error!(interaction = %id, "a removal without a message to remove");
                    return respond(ctx, id, token, &reply::failure()).await;
                };
                match channel.delete_message(&ctx.http, message).await {
                    Ok(()) => respond(ctx, id, token, &reply::removed()).await,
                    Err(err) => {
                        tracing::warn!(request = "DELETE channel message", %channel, %message, %err, "could not remove an answer");
                        respond(ctx, id, token, &reply::failure()).await
                    }
                }
            }
        }
    }

    /// Suggests posts for the `post` option as the member types: titles shown, ids sent back.
    async fn on_autocomplete(&self, ctx: &Context, autocomplete: &CommandInteraction) {
        let Some(focused) = autocomplete.data.autocomplete() else {
            return;
        };
        let choices = self.decider.choices(focused.name, focused.value);
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

    /// A member's message: answered as a reply to it, when the decisions say so, and tracked so
    /// an edit or deletion of the question reaches the answer.
    async fn on_message(self: Arc<Self>, ctx: &Context, message: Message) {
        let Some(&me) = self.bot_user.get() else {
            return;
        };
        // Discord gives a message in a thread its position there.
        let in_thread =
            message.position.is_some() || self.threads.contains(message.channel_id.get());
        // It may continue an answer whose sending is not recorded yet: it waits for the sends
        // before it, counted under way itself from now, so an edit of it made meanwhile waits
        // for its answer in turn instead of finding nothing to edit.
        let early = if in_thread || message.message_reference.is_some() {
            let own = self.in_flight.start();
            self.in_flight.settled_before(&own, SETTLE_LIMIT).await;
            Some(own)
        } else {
            None
        };
        let now = Instant::now();
        let incoming = wire::incoming(&message, me, in_thread);
        let decision = self.decider.message(&incoming, now);
        let _sending = match decision {
            Decision::Ignore | Decision::ForumPost(_) => {
                drop(early);
                None
            }
            Decision::Reply { .. } | Decision::Answer(_) => {
                Some(early.unwrap_or_else(|| self.in_flight.start()))
            }
        };
        let (reply, question, context) = match decision {
            Decision::Ignore => return,
            Decision::ForumPost(post) => return self.answer_forum_post(ctx, post).await,
            Decision::Reply { reply, to } => (reply, to, None),
            Decision::Answer(question) => {
                let answered = self
                    .answer_off_the_runtime(question.clone(), "a message")
                    .await;
                (answered.reply, question, answered.context)
            }
        };
        let reference = (message.channel_id, message.id);
        // The thread's creation may have been handled while this message was answered.
        let in_thread = in_thread || self.threads.contains(message.channel_id.get());
        let reply = reply::removable(reply, question.asker);
        let sent = self
            .send_reply(ctx, reference, &reply, context, in_thread, now)
            .await;
        if let Some(sent) = sent {
            let tracked = Tracked::new(
                message.channel_id.get(),
                sent,
                question.asker,
                question.text,
                question.earlier,
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
        let question = wire::strip_mentions_of(content, me);
        // The answer to the question may still be on its way, not yet tracked.
        self.in_flight.settled(SETTLE_LIMIT).await;
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
        if !self.decider.admits_edit(tracked.asker, now) {
            return;
        }
        if !self.tracked.claim(event.id.get(), &question, edited_at) {
            // A later edit got there first.
            return;
        }
        let question = Question {
            text: question,
            key: event.id.get(),
            asker: tracked.asker,
            earlier: tracked.earlier.clone(),
        };
        let answered = self
            .answer_off_the_runtime(question, "an edited message")
            .await;
        let reply = reply::removable(answered.reply, tracked.asker);
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
            .edit_message(&ctx.http, message, wire::edit_message(&reply))
            .await
        {
            Ok(_) => {
                if let Some(context) = answered.context {
                    self.decider.remember(tracked.reply, context, now);
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
        let builder = wire::channel_message(reply).reference_message(reference);
        match channel.send_message(&ctx.http, builder).await {
            Ok(sent) => {
                if let Some(context) = context {
                    if in_thread {
                        self.decider.remember(channel.get(), context.clone(), now);
                    }
                    self.decider.remember(sent.id.get(), context, now);
                }
                Some(sent.id.get())
            }
            Err(err) => {
                tracing::error!(request = "POST channel message", channel = %channel, replying_to = %replying_to, %err, "reply failed");
                None
            }
        }
    }

    /// Answers a new forum post in its thread, as a reply to its first message, if the
    /// decisions say so; tags it when the posts don't cover it.
    async fn answer_forum_post(self: Arc<Self>, ctx: &Context, post: Post) {
        let now = Instant::now();
        let sending = self.in_flight.start();
        let (reply, context, not_covered) = match self.decider.forum_post(&post, now) {
            Decision::Answer(question) => {
                let answered = self.answer_off_the_runtime(question, "a forum post").await;
                (answered.reply, answered.context, answered.not_covered)
            }
            Decision::Reply { reply, .. } => (reply, None, false),
            Decision::Ignore | Decision::ForumPost(_) => return,
        };
        let thread = ChannelId::new(post.thread);
        let first_message = MessageId::new(post.thread);
        let reply = reply::removable(reply, post.author);
        self.send_reply(ctx, (thread, first_message), &reply, context, true, now)
            .await;
        // Recorded: the thread's next messages need not wait for the tagging.
        drop(sending);
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

    /// [`Decider::answer`] on the blocking pool, so a slow answer never stalls the gateway; a
    /// panic in it becomes the apology reply and an error line naming `what`.
    async fn answer_off_the_runtime(
        self: &Arc<Self>,
        question: Question,
        what: &'static str,
    ) -> Answered {
        let bot = self.clone();
        tokio::task::spawn_blocking(move || bot.decider.answer(&question))
            .await
            .unwrap_or_else(|err| {
                tracing::error!(%err, "answering {what} failed");
                Answered {
                    reply: reply::failure(),
                    context: None,
                    not_covered: false,
                }
            })
    }
}

/// Runs `handling` in a task of its own; if it panics, returns the short apology the member
/// gets instead of silence (the panic's detail goes to the log, never to the member).
async fn apology_if_it_panics(
    handling: impl Future<Output = ()> + Send + 'static,
) -> Option<Reply> {
    match tokio::spawn(handling).await {
        Ok(()) => None,
        Err(err) => {
            tracing::error!(%err, "interaction handler failed");
            Some(reply::failure())
        }
    }
}

/// Answers an interaction at once.
async fn respond(ctx: &Context, id: InteractionId, token: &str, reply: &Reply) {
    let response = CreateInteractionResponse::Message(wire::interaction_message(reply));
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
            let edit = wire::edit_response(&reply);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_handler_becomes_a_short_apology() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let apology = runtime
            // `resume_unwind` panics without the panic hook: no message or backtrace printed
            // (resolving one reads the whole debug info, a memory spike the bench test sees).
            .block_on(apology_if_it_panics(async {
                std::panic::resume_unwind(Box::new("the engine's secret detail"))
            }))
            .expect("a panic is answered");
        assert_eq!(apology, reply::failure());
        assert!(apology.ephemeral, "the apology is the member's alone");
        assert!(!apology.content.contains("secret detail"), "{apology:?}");
        assert_eq!(runtime.block_on(apology_if_it_panics(async {})), None);
    }
}
