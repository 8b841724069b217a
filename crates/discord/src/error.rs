//! The bot's error type: why `citebot serve` cannot start or keep running, beside the core's
//! errors (opening the posts and the index).

/// Everything that can stop the bot.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `DISCORD_TOKEN` is missing or malformed; the message says where to put it, never the token.
    #[error("DISCORD_TOKEN is {0}: put DISCORD_TOKEN=<bot token from the Developer Portal> in `.env` or the environment (see config/.env.example)")]
    Token(&'static str),
    /// Discord (or the configured API base) failed a request the bot needs to start or run.
    #[error("discord: {0}")]
    Discord(String),
    /// Opening or indexing the posts failed.
    #[error(transparent)]
    Core(#[from] citebot_core::Error),
}

/// The bot's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
