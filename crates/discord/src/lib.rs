//! The Discord front end (`citebot serve`): the only crate that talks to serenity. It connects
//! to the gateway and answers members through the [`Engine`](citebot_core::Engine) that the
//! [`Library`] serves, as the `[discord]` settings ([`config`]) say. `commands` declares the
//! slash commands and reads them back, typed; `decide` is the bot's every decision as plain
//! data in and out (what to say to a command, a button click, a message or a forum post, and when
//! to run the engine), keeping the bookkeeping it needs: `cooldown`, the questions the buttons
//! refer to (`asked`), `feedback`, the conversations follow-ups continue (read by
//! [`citebot_core::followup`]), `route` (which messages are for the bot) and `forum` (pairing
//! a new forum post into a question). What the bot says is built in `reply` (limits and
//! escaping in `text`). `handler` is the thin serenity glue: it turns events into the
//! decisions' inputs and their replies into serenity builders (both in `wire`), sends them,
//! defers slow interactions, tracks replies for edits (`tracked`), holds a message that may
//! refer to a reply until the replies sent before it are recorded (`in_flight`) and turns a
//! panic into an apology. serenity reaches the gateway through `relay`, which keeps trying while
//! Discord is out of reach, as `outage` paces and reports it; [`run`] heeds the shutdown signal
//! at every step. Only [`run`], [`serve`], [`Token`], [`ShutdownSignal`] and the [`config`]
//! section are public.

mod asked;
mod commands;
pub mod config;
mod cooldown;
mod decide;
mod error;
mod feedback;
mod forum;
mod handler;
mod in_flight;
mod outage;
mod relay;
mod reply;
mod route;
mod text;
mod tracked;
mod wire;

use std::future::Future;
use std::sync::Arc;

use serenity::all::{ClientBuilder, CreateAllowedMentions, GatewayIntents, Http, HttpBuilder};
use serenity::gateway::GatewayError;
use serenity::http::HttpError;

use crate::config::DiscordConfig;
pub use crate::error::{Error, Result};
use citebot_core::library::Library;
use citebot_core::link::on_this_machine;
use citebot_web::Web;

/// The environment variable holding the bot token.
pub const TOKEN_VARIABLE: &str = "DISCORD_TOKEN";
/// The environment variable that overrides `discord.api_base`.
pub const API_BASE_VARIABLE: &str = "DISCORD_API_BASE";

/// How long shutdown waits after serenity reports the gateway closed (see [`run`]).
const CLOSE_GRACE: std::time::Duration = std::time::Duration::from_millis(500);

/// The gateway intents the bot needs: guilds (slash commands in servers), direct messages, and
/// guild messages for @mentions. The privileged Message Content intent only when a configured
/// mode reads messages not addressed to the bot (answer channels, forum posts): Discord sends
/// the content of DMs and of messages that mention the bot without it.
pub fn intents(settings: &DiscordConfig) -> GatewayIntents {
    let intents =
        GatewayIntents::GUILDS | GatewayIntents::DIRECT_MESSAGES | GatewayIntents::GUILD_MESSAGES;
    if settings.needs_message_content() {
        intents | GatewayIntents::MESSAGE_CONTENT
    } else {
        intents
    }
}

/// What `serve` says when Discord refuses the intents it asked for (gateway close code 4014).
const MESSAGE_CONTENT_REFUSED: &str = "Discord refused the privileged Message Content intent (gateway close code 4014), which discord.answer_channels and discord.forum_channels need: turn on \"Message Content Intent\" under Bot > Privileged Gateway Intents in the Discord Developer Portal (a bot in 100 servers or more must be approved for it), or remove those settings from the configuration";

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
            Err(_) => Err(Error::Token("not set")),
        }
    }

    /// Checks the shape of a bot token: three dot-separated base64url parts (an optional `Bot `
    /// prefix is accepted). The error never contains the token.
    pub fn parse(raw: &str) -> Result<Token> {
        let token = raw.trim();
        let token = token.strip_prefix("Bot ").unwrap_or(token).trim();
        if token.is_empty() {
            return Err(Error::Token("empty"));
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
            return Err(Error::Token("malformed"));
        }
        Ok(Token(token.to_string()))
    }
}

/// Runs the bot until `shutdown` completes (see [`ShutdownSignal`]): token from the environment
/// or `.env`, API base from `DISCORD_API_BASE` or `discord.api_base`, the other settings from
/// `[discord]`.
pub async fn serve(
    settings: &DiscordConfig,
    library: Arc<Library>,
    web: Option<Arc<Web>>,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<()> {
    let token = Token::from_env()?;
    let api_base = std::env::var(API_BASE_VARIABLE)
        .ok()
        .filter(|base| !base.trim().is_empty())
        .unwrap_or_else(|| settings.api_base.clone());
    run(&token, &api_base, settings.clone(), library, web, shutdown).await
}

/// Runs the bot until `shutdown` completes, then closes the gateway cleanly; `shutdown` is
/// heeded at every step, however far the bot got. An empty `api_base` means the real Discord
/// with serenity's ratelimiter; otherwise every HTTP request goes to that base (a proxy in front
/// of Discord, which does the rate limiting), and so does the gateway lookup. While Discord
/// cannot be reached the bot keeps trying, less and less often, and says so in the log (see
/// `outage`); serenity reaches the gateway through a `relay` that makes this so.
pub async fn run(
    token: &Token,
    api_base: &str,
    settings: DiscordConfig,
    library: Arc<Library>,
    web: Option<Arc<Web>>,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<()> {
    let api_base = api_base.trim().trim_end_matches('/');
    let mut http = HttpBuilder::new(&token.0).default_allowed_mentions(no_mentions());
    if !api_base.is_empty() {
        // serenity ignores the proxy while its own ratelimiter is on.
        http = http.proxy(api_base).ratelimiter_disabled(true);
        if url::Url::parse(api_base).is_ok_and(|base| on_this_machine(&base)) {
            // A base on this machine is reached directly, never through a proxy named in the
            // environment, which would carry the requests off the machine (see on_this_machine).
            let direct = reqwest::Client::builder()
                .use_rustls_tls()
                .no_proxy()
                .build()
                .map_err(|e| Error::Discord(format!("cannot start the HTTP client: {e}")))?;
            http = http.client(direct);
        }
    }
    let http = http.build();
    let outage = Arc::new(outage::Outage::default());
    tokio::pin!(shutdown);

    // serenity would fall back to the real Discord gateway if this lookup failed; the bot asks
    // itself, and waits for an answer instead, so a proxy is never bypassed.
    let lookup = format!(
        "GET {}/api/v10/gateway",
        if api_base.is_empty() {
            DISCORD_API
        } else {
            api_base
        }
    );
    let gateway = tokio::select! {
        gateway = lookup_gateway(&http, &lookup, &outage) => gateway?,
        () = &mut shutdown => {
            tracing::info!("shutting down before reaching Discord");
            return Ok(());
        }
    };
    let relay = relay::Relay::start(&gateway, outage.clone()).await?;
    tracing::info!(gateway, relay = relay.url(), "found the Discord gateway");

    let handler = handler::Handler::new(library, web, &settings);
    let intents = intents(&settings);
    tracing::info!(
        message_content = intents.contains(GatewayIntents::MESSAGE_CONTENT),
        "gateway intents"
    );
    let building = ClientBuilder::new_with_http(http, intents).event_handler(handler);
    let mut client = tokio::select! {
        client = building => client
            .map_err(|err| Error::Discord(format!("cannot build the Discord client: {err}")))?,
        () = &mut shutdown => {
            tracing::info!("shutting down before reaching Discord");
            return Ok(());
        }
    };
    *client.ws_url.lock().await = relay.url().to_string();

    let shard_manager = client.shard_manager.clone();
    let started = async {
        match settings.shards {
            // serenity's range end is inclusive, like `range` in the config.
            Some(shards) => {
                let [first, last] = shards.range;
                tracing::info!(first, last, total = shards.total, "running gateway shards");
                client.start_shard_range(first..last, shards.total).await
            }
            None => client.start().await,
        }
    };
    tokio::select! {
        // Only a fatal gateway error (a refused token, say) ends serenity's client by itself.
        started = started => {
            started.map_err(|err| match err {
                serenity::Error::Gateway(GatewayError::DisallowedGatewayIntents) => {
                    Error::Discord(MESSAGE_CONTENT_REFUSED.to_string())
                }
                err => Error::Discord(format!("gateway: {err}")),
            })?;
        }
        () = &mut shutdown => {
            // serenity's shutdown only reaches shards that are connected (a shard waiting for the
            // gateway is left alone) and waits up to 5 s for each one: bound it.
            tracing::info!("shutting down: closing the gateway");
            let connected = !shard_manager.runners.lock().await.is_empty();
            if tokio::time::timeout(SHUTDOWN_TIMEOUT, shard_manager.shutdown_all()).await.is_err() {
                tracing::warn!(
                    "the gateway did not close within {}; exiting anyway",
                    outage::human(SHUTDOWN_TIMEOUT)
                );
            } else if connected {
                // After a re-identify, serenity's shard manager holds a stale "shard finished"
                // notice, so `shutdown_all` can return while the runner is still sending its
                // close frame; give it a moment so the gateway sees a clean close.
                tokio::time::sleep(CLOSE_GRACE).await;
            }
        }
    }
    drop(relay);
    tracing::info!("gateway closed");
    Ok(())
}

/// Where serenity sends its requests without a proxy.
const DISCORD_API: &str = "https://discord.com";
/// How long the gateway lookup may take before it counts as a failed attempt.
const LOOKUP_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// How long shutdown waits for the shards to close the gateway before the bot exits anyway.
const SHUTDOWN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// Asks Discord (or the proxy) for the gateway URL, trying again while it cannot be reached or
/// answers with a server error; any other refusal is an error (`tried` names the request).
async fn lookup_gateway(http: &Http, tried: &str, outage: &outage::Outage) -> Result<String> {
    loop {
        let error = match tokio::time::timeout(LOOKUP_TIMEOUT, http.get_gateway()).await {
            Ok(Ok(gateway)) => {
                outage.reached();
                return Ok(gateway.url);
            }
            Ok(Err(err)) if out_of_reach(&err) => reason(&err),
            Ok(Err(err)) => {
                return Err(Error::Discord(format!("{tried} failed: {}", reason(&err))))
            }
            Err(_) => format!("no answer within {}", outage::human(LOOKUP_TIMEOUT)),
        };
        tokio::time::sleep(outage.failed(tried, &error)).await;
    }
}

/// Whether a failed request says Discord is out of reach (no connection, no answer, a server
/// error or too many requests) rather than that the request itself is wrong.
fn out_of_reach(err: &serenity::Error) -> bool {
    match err {
        serenity::Error::Http(HttpError::Request(err)) => !err.is_builder(),
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => {
            response.status_code.is_server_error() || response.status_code.as_u16() == 429
        }
        _ => false,
    }
}

/// Why a request failed, in a few words: the HTTP status (and Discord's message, if it sent
/// one), or the cause at the root of the error ("Connection refused (os error 111)"), which
/// reqwest wraps in three layers of its own.
fn reason(err: &serenity::Error) -> String {
    match err {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(response)) => {
            // serenity's code for an error body that is not Discord's JSON.
            if response.error.code == -1 {
                format!("HTTP {}", response.status_code)
            } else {
                format!("HTTP {}: {err}", response.status_code)
            }
        }
        _ => outage::root_cause(err),
    }
}

/// SIGINT (Ctrl-C) and SIGTERM, listened for from the moment it is made: from then on neither
/// signal stops the process by itself, so every step of `serve` awaits [`ShutdownSignal::received`].
#[derive(Clone)]
pub struct ShutdownSignal(tokio::sync::watch::Receiver<bool>);

impl ShutdownSignal {
    /// Starts listening for SIGINT and SIGTERM (within a tokio runtime).
    pub fn listen() -> Result<ShutdownSignal> {
        let (sender, receiver) = tokio::sync::watch::channel(false);
        let signals = signals()?;
        tokio::spawn(async move {
            signals.await;
            let _ = sender.send(true);
        });
        Ok(ShutdownSignal(receiver))
    }

    /// Completes once a signal has arrived (at once if one already has).
    pub async fn received(mut self) {
        if self.0.wait_for(|received| *received).await.is_err() {
            // The listener is gone: no signal will ever be reported.
            std::future::pending::<()>().await;
        }
    }
}

/// Registers the signal handlers now; the future completes on the first signal.
#[cfg(unix)]
fn signals() -> Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let listen = |kind: SignalKind, name: &str| {
        signal(kind).map_err(|err| Error::Discord(format!("cannot listen for {name}: {err}")))
    };
    let mut interrupt = listen(SignalKind::interrupt(), "SIGINT")?;
    let mut terminate = listen(SignalKind::terminate(), "SIGTERM")?;
    Ok(async move {
        let name = tokio::select! {
            _ = interrupt.recv() => "SIGINT",
            _ = terminate.recv() => "SIGTERM",
        };
        tracing::info!("{name} received");
    })
}

/// Registers the Ctrl-C handler; the future completes on the first Ctrl-C.
#[cfg(not(unix))]
fn signals() -> Result<impl Future<Output = ()>> {
    Ok(async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    })
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
    fn intents_are_privileged_only_for_answer_channels_and_forums() {
        let plain = intents(&DiscordConfig::default());
        assert!(!plain.contains(GatewayIntents::MESSAGE_CONTENT));
        assert!(!plain.contains(GatewayIntents::GUILD_MEMBERS));
        let channels = intents(&DiscordConfig {
            answer_channels: vec![1],
            ..DiscordConfig::default()
        });
        assert_eq!(channels, plain | GatewayIntents::MESSAGE_CONTENT);
        let forums = intents(&DiscordConfig {
            forum_channels: vec![1],
            ..DiscordConfig::default()
        });
        assert_eq!(forums, channels);
    }
}
