//! The bot's settings: the `[discord]` section of `config/citebot.toml` (every key documented
//! there), checked by itself; the binary composes it into the whole file.

use std::path::PathBuf;

use serde::Deserialize;

/// The longest cooldown window, in seconds (a day); windows past the end of time cannot be measured.
const MAX_COOLDOWN_SECONDS: u64 = 86_400;
/// The longest a follow-up's context is kept, and an edit followed, in minutes (a day).
const MAX_FOLLOW_UP_MINUTES: u64 = 1_440;

/// Discord drops an interaction not acknowledged within this many milliseconds.
const DISCORD_RESPONSE_WINDOW_MS: u64 = 3_000;

/// `[discord]`: settings of `citebot serve`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DiscordConfig {
    /// Base URL of the Discord HTTP API (a proxy in front of Discord); empty means the real
    /// Discord. The `DISCORD_API_BASE` environment variable wins over this.
    pub api_base: String,
    /// Register the slash commands in these guilds only (instant) instead of globally.
    pub guild_ids: Vec<u64>,
    /// How many questions one member may ask within `cooldown_seconds`; 0 disables the cooldown.
    pub cooldown_questions: u32,
    /// Length of the cooldown window in seconds.
    pub cooldown_seconds: u64,
    /// JSON-lines file that records unanswered questions and feedback; empty disables it.
    pub feedback_log: PathBuf,
    /// The gateway shards this process runs; `None`: one process, one shard.
    pub shards: Option<ShardsConfig>,
    /// How long an interaction waits for its answer, in milliseconds, before it is deferred and
    /// the answer edited in later; below 3000 (Discord's window). 0: always defer.
    pub defer_after_ms: u64,
    /// Channels where every message (not from a bot) is a question, answered as a reply; they
    /// need the privileged Message Content intent.
    pub answer_channels: Vec<u64>,
    /// Forum channels where every new post (title and first message) is a question, answered
    /// once in its thread; they need the privileged Message Content intent.
    pub forum_channels: Vec<u64>,
    /// The name of a forum tag (as the forum's settings spell it, any case) added to a forum
    /// post the posts don't cover; empty: posts are not tagged.
    pub forum_uncovered_tag: String,
    /// How many messages one answer channel (or posts one forum) gets answered within
    /// `channel_seconds`, whoever asks; 0 disables the limit.
    pub channel_questions: u32,
    /// Length of the per-channel window in seconds.
    pub channel_seconds: u64,
    /// How long, in minutes, a reply to one of the bot's answers (or a message in a thread it
    /// answered in) is a follow-up read with the earlier question's context; 0 disables them.
    pub follow_up_minutes: u64,
    /// How long, in minutes, an edit of a question message makes the bot edit its reply to
    /// answer the new text; 0: edits are not followed.
    pub edit_minutes: u64,
}

impl DiscordConfig {
    /// Whether a configured mode reads messages that neither mention the bot nor are sent to it
    /// directly, which Discord only delivers with the privileged Message Content intent.
    pub fn needs_message_content(&self) -> bool {
        !self.answer_channels.is_empty() || !self.forum_channels.is_empty()
    }
}

/// `discord.shards`: this process's share of the bot's gateway shards, when the bot runs as
/// several processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardsConfig {
    /// How many shards the bot runs in all, across every process.
    pub total: u32,
    /// The first and last (inclusive) shard ids this process runs.
    pub range: [u32; 2],
}

impl Default for DiscordConfig {
    fn default() -> Self {
        DiscordConfig {
            api_base: String::new(),
            guild_ids: Vec::new(),
            cooldown_questions: 5,
            cooldown_seconds: 30,
            feedback_log: PathBuf::from("citebot-feedback.log.jsonl"),
            shards: None,
            defer_after_ms: 1_500,
            answer_channels: Vec::new(),
            forum_channels: Vec::new(),
            forum_uncovered_tag: String::new(),
            channel_questions: 20,
            channel_seconds: 60,
            follow_up_minutes: 30,
            edit_minutes: 5,
        }
    }
}

impl DiscordConfig {
    /// Checks the section; the message names the key that is wrong.
    pub fn check(&self) -> Result<(), String> {
        if let Some(ShardsConfig {
            total,
            range: [first, last],
        }) = self.shards
        {
            if total == 0 || first > last || last >= total {
                return Err(format!(
                    "discord.shards: range [{first}, {last}] must be within 0..{total} (total = {total}) with first <= last"
                ));
            }
        }
        if self.defer_after_ms >= DISCORD_RESPONSE_WINDOW_MS {
            return Err(format!(
                "discord.defer_after_ms must be below {DISCORD_RESPONSE_WINDOW_MS} (Discord's window to acknowledge an interaction), got {}",
                self.defer_after_ms
            ));
        }
        for (key, seconds) in [
            ("cooldown_seconds", self.cooldown_seconds),
            ("channel_seconds", self.channel_seconds),
        ] {
            if seconds > MAX_COOLDOWN_SECONDS {
                return Err(format!(
                    "discord.{key} must be at most {MAX_COOLDOWN_SECONDS} (a day), got {seconds}"
                ));
            }
        }
        for (key, minutes) in [
            ("follow_up_minutes", self.follow_up_minutes),
            ("edit_minutes", self.edit_minutes),
        ] {
            if minutes > MAX_FOLLOW_UP_MINUTES {
                return Err(format!(
                    "discord.{key} must be at most {MAX_FOLLOW_UP_MINUTES} (a day), got {minutes}"
                ));
            }
        }
        Ok(())
    }
}
