//! The local relay serenity opens its gateway connections through. serenity dials with no
//! timeout (a gateway that accepts the connection and never answers holds a shard forever) and
//! retries a failed shard every 5 s for ever, a warning per attempt. Through the relay, each
//! connection serenity opens is held until the relay has reached the real gateway: every attempt
//! has a timeout, failures back off and are reported by the shared [`Outage`], and serenity only
//! ever sees connections that work. Once both sides are open the relay passes every message
//! through unchanged, close frames included (pings are answered on each side), and ends each side
//! when the other ends. It listens on 127.0.0.1 only, and dials only the gateway it was given.

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::outage::{human, root_cause, Outage};
use crate::error::{Error, Result};

/// The path serenity is told to dial on the relay.
const PATH: &str = "/gateway";
/// How long one attempt to open the real gateway may take, from the TCP connection to the
/// WebSocket handshake's answer.
const DIAL_TIMEOUT: Duration = Duration::from_secs(10);
/// How long serenity may take to send its handshake request once connected to the relay.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest handshake request the relay reads (serenity's is a few hundred bytes).
const MAX_REQUEST: usize = 16 * 1024;
/// How long to wait before accepting again after the relay could not accept a connection
/// (out of file descriptors), so the loop does not spin.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

/// A running relay; dropping it closes the listener and every connection through it.
pub(super) struct Relay {
    url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Relay {
    /// Starts a relay to `gateway` (the URL Discord's gateway lookup answered, without query) on
    /// an ephemeral port of 127.0.0.1.
    pub(super) async fn start(gateway: &str, outage: Arc<Outage>) -> Result<Relay> {
        let valid = url::Url::parse(gateway)
            .is_ok_and(|url| matches!(url.scheme(), "ws" | "wss") && url.query().is_none());
        if !valid {
            return Err(Error::Discord(format!(
                "the gateway URL `{gateway}` that Discord gave is not a ws:// or wss:// URL without a query"
            )));
        }
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .await
            .map_err(|err| {
                Error::Discord(format!(
                    "cannot start the gateway relay on 127.0.0.1: {err}"
                ))
            })?;
        let address = listener.local_addr().map_err(|err| {
            Error::Discord(format!(
                "cannot start the gateway relay on 127.0.0.1: {err}"
            ))
        })?;
        let task = tokio::spawn(accept(listener, gateway.into(), outage));
        Ok(Relay {
            url: format!("ws://{address}{PATH}"),
            task,
        })
    }

    /// The URL serenity dials instead of the gateway's.
    pub(super) fn url(&self) -> &str {
        &self.url
    }
}

/// Accepts serenity's connections until the relay is dropped, which drops (and so ends) every
/// connection still open.
async fn accept(listener: TcpListener, gateway: Arc<str>, outage: Arc<Outage>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((bot, _)) => {
                    connections.spawn(relay(bot, gateway.clone(), outage.clone()));
                }
                Err(err) => {
                    tracing::warn!(%err, "the gateway relay cannot accept a connection");
                    tokio::time::sleep(ACCEPT_PAUSE).await;
                }
            },
            Some(_) = connections.join_next() => {}
        }
    }
}

/// Settings of both sides: no size limits, as serenity sets them (READY can be large).
fn config() -> WebSocketConfig {
    WebSocketConfig {
        max_message_size: None,
        max_frame_size: None,
        ..WebSocketConfig::default()
    }
}

/// Relays one connection of serenity's: reads its handshake request, opens the gateway with
/// the same query (trying until it answers, unless serenity hangs up first), completes
/// serenity's handshake, then passes messages both ways.
async fn relay(mut bot: TcpStream, gateway: Arc<str>, outage: Arc<Outage>) {
    let _ = bot.set_nodelay(true);
    let request = match tokio::time::timeout(REQUEST_TIMEOUT, read_request(&mut bot)).await {
        Ok(Ok(request)) => request,
        Ok(Err(err)) => {
            tracing::debug!(%err, "gateway relay: not a WebSocket handshake");
            let _ = bot
                .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                .await;
            return;
        }
        Err(_) => return,
    };
    let url = match &request.query {
        Some(query) => format!("{gateway}?{query}"),
        None => gateway.to_string(),
    };
    let mut peeked = [0u8; 1];
    let discord = tokio::select! {
        discord = open_gateway(&url, &outage) => discord,
        // serenity sends nothing before the handshake's answer: anything readable means it
        // hung up (shutdown, or it gave up on this shard), so stop dialling for it.
        _ = bot.peek(&mut peeked) => return,
    };
    let accept = derive_accept_key(request.key.as_bytes());
    let answer = format!(
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
    );
    if bot.write_all(answer.as_bytes()).await.is_err() {
        return;
    }
    let bot =
        WebSocketStream::from_partially_read(bot, request.rest, Role::Server, Some(config())).await;
    pass_through(bot, discord).await;
}

/// Opens the gateway at `url`, trying again after each failure as long as [`Outage`] says.
async fn open_gateway(url: &str, outage: &Outage) -> WebSocketStream<MaybeTlsStream<TcpStream>> {
    loop {
        let dial = tokio_tungstenite::connect_async_with_config(url, Some(config()), false);
        let error = match tokio::time::timeout(DIAL_TIMEOUT, dial).await {
            Ok(Ok((discord, _))) => {
                outage.reached();
                return discord;
            }
            Ok(Err(err)) => root_cause(&err),
            Err(_) => format!("no answer within {}", human(DIAL_TIMEOUT)),
        };
        let retry = outage.failed(&format!("cannot open the gateway {url}"), &error);
        tokio::time::sleep(retry).await;
    }
}

/// Passes text, binary and close messages both ways until either side ends; then both are
/// dropped, so a side that went away without a close frame goes away the same way for the other.
async fn pass_through(
    mut bot: WebSocketStream<TcpStream>,
    mut discord: WebSocketStream<MaybeTlsStream<TcpStream>>,
) {
    loop {
        let sent = tokio::select! {
            from_bot = bot.next() => match from_bot {
                Some(Ok(message)) if relayed(&message) => discord.send(message).await,
                Some(Ok(_)) => Ok(()),
                Some(Err(_)) | None => break,
            },
            from_discord = discord.next() => match from_discord {
                Some(Ok(message)) if relayed(&message) => bot.send(message).await,
                Some(Ok(_)) => Ok(()),
                Some(Err(_)) | None => break,
            },
        };
        if sent.is_err() {
            break;
        }
    }
}

/// Whether a message is passed on; pings and pongs are each side's own business.
fn relayed(message: &Message) -> bool {
    matches!(
        message,
        Message::Text(_) | Message::Binary(_) | Message::Close(_)
    )
}

/// serenity's WebSocket handshake request, as much as the relay needs of it.
#[derive(Debug, PartialEq, Eq)]
struct Request {
    /// The query of the request target (`v=10`), passed on to the gateway.
    query: Option<String>,
    /// The `Sec-WebSocket-Key` header, for the handshake's answer.
    key: String,
    /// Bytes read past the request's head.
    rest: Vec<u8>,
}

/// Reads the handshake request's head from serenity.
async fn read_request(bot: &mut TcpStream) -> std::io::Result<Request> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        let read = bot.read(&mut chunk).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        head.extend_from_slice(&chunk[..read]);
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = head.split_off(end + 4);
            return parse_request(&head, rest).ok_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, "bad request")
            });
        }
        if head.len() > MAX_REQUEST {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "request head too long",
            ));
        }
    }
}

/// Parses a `GET /gateway?… HTTP/1.1` WebSocket upgrade request's head.
fn parse_request(head: &[u8], rest: Vec<u8>) -> Option<Request> {
    let head = std::str::from_utf8(head).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let (method, target) = (request_line.next()?, request_line.next()?);
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query.to_string())),
        None => (target, None),
    };
    if method != "GET" || path != PATH {
        return None;
    }
    let key = lines.find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("sec-websocket-key")
            .then(|| value.trim().to_string())
    })?;
    Some(Request { query, key, rest })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_handshake_request_gives_the_query_and_the_key() {
        let head =
            b"GET /gateway?v=10 HTTP/1.1\r\nHost: 127.0.0.1:5\r\nsec-websocket-key: abc==\r\n\r\n";
        assert_eq!(
            parse_request(head, vec![1]),
            Some(Request {
                query: Some("v=10".into()),
                key: "abc==".into(),
                rest: vec![1]
            })
        );
        let other_path = b"GET /elsewhere?v=10 HTTP/1.1\r\nSec-WebSocket-Key: abc==\r\n\r\n";
        assert_eq!(parse_request(other_path, Vec::new()), None);
        let no_key = b"GET /gateway HTTP/1.1\r\nHost: x\r\n\r\n";
        assert_eq!(parse_request(no_key, Vec::new()), None);
    }

    #[tokio::test]
    async fn a_gateway_url_that_is_not_a_websocket_url_is_refused() {
        for url in [
            "https://gateway.example",
            "wss://gateway.example/?v=10",
            "not a url",
        ] {
            let Err(err) = Relay::start(url, Arc::default()).await else {
                panic!("{url} accepted")
            };
            assert!(err.to_string().contains(url), "{err}");
        }
        let relay = Relay::start("wss://gateway.example", Arc::default())
            .await
            .unwrap();
        assert!(
            relay.url().starts_with("ws://127.0.0.1:"),
            "{}",
            relay.url()
        );
    }
}
