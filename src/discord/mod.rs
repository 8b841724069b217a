//! The Discord front end (`citebot serve`): the only module that talks to serenity. It connects
//! to the gateway, registers the slash commands, and turns interactions, direct messages and
//! mentions into calls to the [`Engine`](crate::Engine) that the [`Library`] serves. What the bot says is built as plain data in
//! [`reply`] (limits and escaping in [`text`]); [`cooldown`] and [`feedback`] keep their own
//! bookkeeping; [`handler`] is the thin serenity glue between them.

pub mod cooldown;
pub mod feedback;
mod handler;
pub mod reply;
pub mod text;

use std::future::Future;
use std::sync::Arc;

use serenity::all::{ClientBuilder, CreateAllowedMentions, GatewayIntents, HttpBuilder};

use crate::config::{Config, DiscordConfig};
use crate::error::{Error, Result};
use crate::library::Library;

/// The environment variable holding the bot token.
pub const TOKEN_VARIABLE: &str = "DISCORD_TOKEN";
/// The environment variable that overrides `discord.api_base`.
pub const API_BASE_VARIABLE: &str = "DISCORD_API_BASE";

/// How long shutdown waits for the shard runner's closing handshake (see [`run`]).
const CLOSE_GRACE: std::time::Duration = std::time::Duration::from_millis(500);

/// The gateway intents the bot needs: guilds (slash commands in servers), direct messages, and
/// guild messages for @mentions. Never the privileged message-content intent: Discord sends the
/// content of DMs and of messages that mention the bot without it.
pub fn intents() -> GatewayIntents {
    GatewayIntents::GUILDS | GatewayIntents::DIRECT_MESSAGES | GatewayIntents::GUILD_MESSAGES
}

/// A bot token. Its `Debug` never shows the secret, so it cannot leak into a log line.
#[derive(Clone)]
pub struct Token(String);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl Token {
    /// Reads `DISCORD_TOKEN` from the environment, after loading `.env` (an existing environment
    /// variable wins over the file).
    pub fn from_env() -> Result<Token> {
        // A missing .env is normal (the variable may be set directly); a broken one is reported
        // by the token check below.
        let _ = dotenvy::dotenv();
        match std::env::var(TOKEN_VARIABLE) {
            Ok(raw) => Token::parse(&raw),
            Err(_) => Err(Error::DiscordToken("not set")),
        }
    }

    /// Checks the shape of a bot token: three dot-separated base64url parts (an optional `Bot `
    /// prefix is accepted). The error never contains the token.
    pub fn parse(raw: &str) -> Result<Token> {
        let token = raw.trim();
        let token = token.strip_prefix("Bot ").unwrap_or(token).trim();
        if token.is_empty() {
            return Err(Error::DiscordToken("empty"));
        }
        let parts: Vec<&str> = token.split('.').collect();
        let well_formed = parts.len() == 3
            && parts.iter().all(|part| {
                !part.is_empty()
                    && part
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            });
        if !well_formed {
            return Err(Error::DiscordToken("malformed"));
        }
        Ok(Token(token.to_string()))
    }
}

/// Runs the bot until SIGINT or SIGTERM: token from the environment or `.env`, API base from
/// `DISCORD_API_BASE` or `discord.api_base`, the other settings from `[discord]`.
pub async fn serve(config: &Config, library: Arc<Library>) -> Result<()> {
    let token = Token::from_env()?;
    let api_base = std::env::var(API_BASE_VARIABLE)
        .ok()
        .filter(|base| !base.trim().is_empty())
        .unwrap_or_else(|| config.discord.api_base.clone());
    run(
        &token,
        &api_base,
        config.discord.clone(),
        library,
        shutdown_signal(),
    )
    .await
}

/// Runs the bot until `shutdown` completes, then closes the gateway cleanly. An empty `api_base`
/// means the real Discord with serenity's ratelimiter; otherwise every HTTP request goes to that
/// base (a proxy in front of Discord, which does the rate limiting), and so does the gateway
/// lookup.
pub async fn run(
    token: &Token,
    api_base: &str,
    settings: DiscordConfig,
    library: Arc<Library>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let api_base = api_base.trim().trim_end_matches('/');
    let mut http = HttpBuilder::new(&token.0).default_allowed_mentions(no_mentions());
    if !api_base.is_empty() {
        // serenity ignores the proxy while its own ratelimiter is on.
        http = http.proxy(api_base).ratelimiter_disabled(true);
    }
    let http = http.build();
    if !api_base.is_empty() {
        // If this lookup fails serenity silently falls back to the real Discord gateway; with a
        // proxy configured that would bypass it, so fail loudly instead.
        let gateway = http.get_gateway().await.map_err(|err| {
            Error::Discord(format!("GET {api_base}/api/v10/gateway failed: {err}"))
        })?;
        tracing::info!(api_base, gateway = %gateway.url, "using a Discord API proxy");
    }

    let handler = handler::Handler::new(library, &settings);
    let mut client = ClientBuilder::new_with_http(http, intents())
        .event_handler(handler)
        .await
        .map_err(|err| Error::Discord(format!("cannot build the Discord client: {err}")))?;

    let shard_manager = client.shard_manager.clone();
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down: closing the gateway");
        shard_manager.shutdown_all().await;
    });

    let started = match settings.shards {
        // serenity's range end is inclusive, like `range` in the config.
        Some(shards) => {
            let [first, last] = shards.range;
            tracing::info!(first, last, total = shards.total, "running gateway shards");
            client.start_shard_range(first..last, shards.total).await
        }
        None => client.start().await,
    };
    started.map_err(|err| Error::Discord(format!("gateway: {err}")))?;
    // After a re-identify, serenity's shard manager holds a stale "shard finished" notice, so
    // `start` can return while the runner is still sending its close frame; give it a moment so
    // the gateway sees a clean close before the process exits.
    tokio::time::sleep(CLOSE_GRACE).await;
    tracing::info!("gateway closed");
    Ok(())
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(%err, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(%err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// Allowed mentions for every message the bot sends: nobody, not even the member replied to, so
/// echoing "@everyone" or a role mention pings no one.
fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new().replied_user(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB";

    #[test]
    fn well_formed_token_is_accepted_with_or_without_prefix() {
        assert!(Token::parse(SAMPLE).is_ok());
        assert!(Token::parse(&format!("Bot {SAMPLE}\n")).is_ok());
    }

    #[test]
    fn malformed_token_error_names_the_variable_but_not_the_token() {
        for raw in ["", "  ", "abc", "a.b", "a.b.c d", "a..c"] {
            let message = Token::parse(raw).unwrap_err().to_string();
            assert!(message.contains("DISCORD_TOKEN"), "{message}");
            assert!(message.contains(".env"), "{message}");
            if !raw.trim().is_empty() {
                assert!(!message.contains(raw.trim()), "{message}");
            }
            assert!(!message.contains('\n'), "one line: {message}");
        }
    }

    #[test]
    fn token_debug_is_redacted() {
        let token = Token::parse(SAMPLE).unwrap();
        assert!(!format!("{token:?}").contains("GaBcDe"));
    }

    #[test]
    fn intents_are_not_privileged() {
        assert!(!intents().contains(GatewayIntents::MESSAGE_CONTENT));
        assert!(!intents().contains(GatewayIntents::GUILD_MEMBERS));
    }
}
