//! A fake Discord for tests and the burst benchmark: HTTP API and gateway WebSocket on 127.0.0.1
//! (ephemeral port). It speaks the gateway (Hello, Identify → READY, heartbeats and acks,
//! dispatches, Resume → RESUMED with replay, Reconnect, Invalid Session, close codes), answers the
//! REST routes the bot uses with strict JSON, records every request, and flags any request it
//! does not expect (the catch-all) so a test can fail on it. For Discord out of reach it can
//! hand out another gateway URL (one that refuses connections, or a [`SilentServer`]'s) and take
//! its own gateway down and up again.
#![allow(dead_code)] // Tests and the benchmark each use part of the fake.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use tokio::sync::mpsc;

/// The application (and bot user) id the fake reports in READY.
pub const APPLICATION_ID: u64 = 900_000_000_000_000_001;
/// The bot's user id.
pub const BOT_USER_ID: u64 = 900_000_000_000_000_001;
/// A well-formed, fake bot token.
pub const TOKEN: &str = "OTAwMDAwMDAwMDAwMDAwMDAx.GfAkEd.fake_token_for_tests_0123456789abcdef";
/// The guild the fixtures live in.
pub const GUILD_ID: u64 = 800_000_000_000_000_001;
/// A guild text channel.
pub const GUILD_CHANNEL_ID: u64 = 810_000_000_000_000_001;
/// A guild text channel configured as an answer channel in the tests that need one.
pub const ANSWER_CHANNEL_ID: u64 = 810_000_000_000_000_002;
/// A DM channel with a member.
pub const DM_CHANNEL_ID: u64 = 820_000_000_000_000_001;

/// Guild Members (1 << 1), Guild Presences (1 << 8) and Message Content (1 << 15).
const PRIVILEGED_INTENTS: u64 = 1 << 1 | 1 << 8 | 1 << 15;

/// One HTTP request the bot made.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub body: Value,
    pub status: u16,
    pub expected: bool,
    pub at: Instant,
}

/// What the fake saw on the gateway.
#[derive(Debug, Clone, Default)]
pub struct GatewayLog {
    pub connections: usize,
    pub identifies: Vec<Value>,
    pub resumes: Vec<Value>,
    pub heartbeats: usize,
    pub client_close_codes: Vec<u16>,
    pub unexpected_ops: Vec<Value>,
    /// Connection attempts answered with 503 while the gateway was down.
    pub refused_while_down: usize,
}

#[derive(Clone)]
enum Control {
    Flush,
    Close(u16),
    DropTcp,
    Reconnect,
    InvalidSession(bool),
}

/// Dispatches by shard: each shard has its own sequence numbers, as on Discord.
#[derive(Default)]
struct Events {
    /// The last sequence number of each shard.
    seq: Vec<u64>,
    /// (shard, seq, payload).
    log: Vec<(u32, u64, Value)>,
    sessions: u32,
    /// The shard each session id was identified for, so a RESUME finds its shard.
    session_shards: HashMap<String, u32>,
}

struct Shared {
    addr: SocketAddr,
    /// The gateway URL GET /gateway answers, if not the fake's own.
    handed_out: Option<String>,
    /// While set, gateway connections are refused with 503 Service Unavailable.
    gateway_down: AtomicBool,
    heartbeat_ms: u64,
    requests: Mutex<Vec<Recorded>>,
    gateway: Mutex<GatewayLog>,
    /// How many shards the bot is expected to run; guild events go to shard
    /// `(guild_id >> 22) % shards`, everything else to shard 0.
    shards: u32,
    events: Mutex<Events>,
    /// Open gateway connections: (connection number, control channel).
    connections: Mutex<Vec<(usize, mpsc::UnboundedSender<Control>)>>,
    callback_failures: Mutex<VecDeque<u16>>,
    /// Refuse an Identify asking for a privileged intent with close code 4014, as Discord does
    /// when the intent is not enabled in the Developer Portal.
    refuse_privileged: bool,
    /// Channels GET /channels/{id} answers with (and PATCH updates), by id.
    channels: Mutex<HashMap<u64, Value>>,
}

/// A running fake Discord.
pub struct FakeDiscord {
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeDiscord {
    /// Binds 127.0.0.1 on an ephemeral port and serves one shard until dropped.
    pub async fn start() -> FakeDiscord {
        FakeDiscord::start_with_shards(1).await
    }

    /// Like [`FakeDiscord::start`], for a bot running `shards` gateway shards: each dispatch goes
    /// only to the connection identified for its shard.
    pub async fn start_with_shards(shards: u32) -> FakeDiscord {
        FakeDiscord::serve(shards, None).await
    }

    /// Like [`FakeDiscord::start`], but GET /gateway answers `gateway` (a URL on 127.0.0.1 that
    /// refuses connections or never answers) instead of the fake's own gateway.
    pub async fn start_handing_out(gateway: &str) -> FakeDiscord {
        assert!(
            gateway.starts_with("ws://127.0.0.1:"),
            "the gateway handed out must be local: {gateway}"
        );
        FakeDiscord::serve(1, Some(gateway.to_string())).await
    }

    /// Like [`FakeDiscord::start`], but an Identify asking for a privileged intent (Message
    /// Content, Guild Members, Presences) is refused with close code 4014.
    pub async fn start_refusing_privileged_intents() -> FakeDiscord {
        FakeDiscord::serve_with(1, None, true).await
    }

    async fn serve(shards: u32, handed_out: Option<String>) -> FakeDiscord {
        FakeDiscord::serve_with(shards, handed_out, false).await
    }

    async fn serve_with(
        shards: u32,
        handed_out: Option<String>,
        refuse_privileged: bool,
    ) -> FakeDiscord {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            addr,
            handed_out,
            gateway_down: AtomicBool::new(false),
            heartbeat_ms: 1_000,
            requests: Mutex::new(Vec::new()),
            gateway: Mutex::new(GatewayLog::default()),
            shards,
            events: Mutex::new(Events {
                seq: vec![0; shards as usize],
                ..Events::default()
            }),
            connections: Mutex::new(Vec::new()),
            callback_failures: Mutex::new(VecDeque::new()),
            refuse_privileged,
            channels: Mutex::new(HashMap::new()),
        });
        let app = Router::new()
            .route("/gateway", get(gateway))
            .fallback(rest)
            .with_state(shared.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("fake discord server");
        });
        FakeDiscord { shared, server }
    }

    /// The base URL to give the bot as `api_base`.
    pub fn api_base(&self) -> String {
        format!("http://{}", self.shared.addr)
    }

    /// The gateway URL the fake hands out.
    pub fn gateway_url(&self) -> String {
        gateway_url(&self.shared)
    }

    /// Takes the gateway down (open connections are dropped without a close frame, new ones
    /// refused with 503) or brings it back up; the REST API stays up.
    pub fn set_gateway_down(&self, down: bool) {
        self.shared.gateway_down.store(down, Ordering::SeqCst);
        if down {
            self.control(Control::DropTcp);
        }
    }

    /// Makes `channel` (a channel object with an `id`) known to GET and PATCH /channels/{id}.
    pub fn add_channel(&self, channel: Value) {
        let id = channel["id"].as_str().unwrap().parse().unwrap();
        self.shared.channels.lock().unwrap().insert(id, channel);
    }

    /// Every HTTP request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// The requests from the `start`th on (0-based), so a long run can read them as they come
    /// without copying them all each time.
    pub fn requests_from(&self, start: usize) -> Vec<Recorded> {
        let requests = self.shared.requests.lock().unwrap();
        requests.get(start..).unwrap_or_default().to_vec()
    }

    /// Requests that hit the catch-all.
    pub fn unexpected(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| !r.expected)
            .collect()
    }

    /// What the fake saw on the gateway so far.
    pub fn gateway_log(&self) -> GatewayLog {
        self.shared.gateway.lock().unwrap().clone()
    }

    /// The next interaction callbacks answer with these statuses (500, 429) instead of 204.
    pub fn fail_next_callbacks(&self, statuses: &[u16]) {
        self.shared
            .callback_failures
            .lock()
            .unwrap()
            .extend(statuses);
    }

    /// Sends a dispatch to its shard (now, or on the next RESUME if no session of that shard is
    /// connected); returns its seq within the shard.
    pub fn dispatch(&self, event: &str, data: Value) -> u64 {
        let shard = shard_of(&data, self.shared.shards);
        let seq = push_event(&self.shared, shard, event, data);
        self.control(Control::Flush);
        seq
    }

    /// Closes the gateway connection with a close code (e.g. 4000).
    pub fn close_gateway(&self, code: u16) {
        self.control(Control::Close(code));
    }

    /// Drops the TCP connection without a close frame.
    pub fn drop_gateway_tcp(&self) {
        self.control(Control::DropTcp);
    }

    /// Sends op 7 Reconnect.
    pub fn request_reconnect(&self) {
        self.control(Control::Reconnect);
    }

    /// Sends op 9 Invalid Session.
    pub fn invalidate_session(&self, resumable: bool) {
        self.control(Control::InvalidSession(resumable));
    }

    /// Sends a READY again on shard 0's connection, as after a re-identify.
    pub fn send_ready_again(&self) {
        let ready = ready_payload(&self.shared, "fake-session-again", 0);
        push_event(&self.shared, 0, "READY", ready);
        self.control(Control::Flush);
    }

    /// Sends `control` to every open connection.
    fn control(&self, control: Control) {
        for (_, tx) in self.shared.connections.lock().unwrap().iter() {
            let _ = tx.send(control.clone());
        }
    }

    /// Polls `condition` until it holds or `timeout` passes; returns whether it held.
    pub async fn wait_for(
        &self,
        timeout: Duration,
        mut condition: impl FnMut(&FakeDiscord) -> bool,
    ) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if condition(self) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn gateway_url(shared: &Shared) -> String {
    shared
        .handed_out
        .clone()
        .unwrap_or_else(|| format!("ws://{}/gateway", shared.addr))
}

/// The shard Discord sends a dispatch on: a guild's events go to `(guild_id >> 22) % shards`,
/// direct messages to shard 0.
pub fn shard_of(data: &Value, shards: u32) -> u32 {
    data["guild_id"]
        .as_str()
        .and_then(|id| id.parse::<u64>().ok())
        .map_or(0, |id| ((id >> 22) % u64::from(shards)) as u32)
}

fn push_event(shared: &Shared, shard: u32, event: &str, data: Value) -> u64 {
    let mut events = shared.events.lock().unwrap();
    events.seq[shard as usize] += 1;
    let seq = events.seq[shard as usize];
    events.log.push((
        shard,
        seq,
        json!({ "op": 0, "s": seq, "t": event, "d": data }),
    ));
    seq
}

/// A TCP server on 127.0.0.1 that accepts connections and never says a word, like a gateway (or
/// an API) that hangs; it counts the connections and keeps them open until dropped.
pub struct SilentServer {
    addr: SocketAddr,
    accepted: Arc<Mutex<usize>>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for SilentServer {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl SilentServer {
    pub async fn start() -> SilentServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().unwrap();
        let accepted = Arc::new(Mutex::new(0));
        let counter = accepted.clone();
        let server = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                *counter.lock().unwrap() += 1;
                held.push(stream);
            }
        });
        SilentServer {
            addr,
            accepted,
            server,
        }
    }

    /// `ws://127.0.0.1:<port>/gateway`, to hand out as the gateway.
    pub fn gateway_url(&self) -> String {
        format!("ws://{}/gateway", self.addr)
    }

    /// `http://127.0.0.1:<port>`, to give the bot as its API base.
    pub fn api_base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many connections it accepted so far.
    pub fn accepted(&self) -> usize {
        *self.accepted.lock().unwrap()
    }
}

/// A URL on 127.0.0.1 where nothing listens, so connections are refused: a port just bound and
/// let go (the system hands out ephemeral ports in turn, so it stays free for a while).
pub fn refusing_url(scheme: &str, path: &str) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("{scheme}://{addr}{path}")
}

/// The READY payload for a new session of a one-shard bot.
pub fn ready_payload_for(addr: &str, session: &str) -> Value {
    ready_payload_of_shard(addr, session, [0, 1])
}

fn ready_payload_of_shard(addr: &str, session: &str, shard: [u32; 2]) -> Value {
    json!({
        "v": 10,
        "user": { "id": BOT_USER_ID.to_string(), "username": "citebot", "discriminator": "0",
                  "global_name": null, "avatar": null, "bot": true },
        "guilds": [ { "id": GUILD_ID.to_string(), "unavailable": true } ],
        "session_id": session,
        "resume_gateway_url": format!("ws://{addr}/gateway"),
        "shard": shard,
        "application": { "id": APPLICATION_ID.to_string(), "flags": 0 }
    })
}

fn ready_payload(shared: &Shared, session: &str, shard: u32) -> Value {
    ready_payload_of_shard(&shared.addr.to_string(), session, [shard, shared.shards])
}

async fn gateway(ws: WebSocketUpgrade, State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    if shared.gateway_down.load(Ordering::SeqCst) {
        shared.gateway.lock().unwrap().refused_while_down += 1;
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    if uri.query() != Some("v=10") {
        record(&shared, "GET", &uri.to_string(), Value::Null, 400, false);
        return StatusCode::BAD_REQUEST.into_response();
    }
    ws.on_upgrade(move |socket| connection(socket, shared))
}

async fn send(socket: &mut WebSocket, value: &Value) -> bool {
    socket
        .send(WsMessage::Text(value.to_string().into()))
        .await
        .is_ok()
}

/// Sends the connection's shard every dispatch after `sent_upto`.
async fn flush(
    socket: &mut WebSocket,
    shared: &Shared,
    shard: u32,
    sent_upto: &mut Option<u64>,
) -> bool {
    let Some(upto) = *sent_upto else { return true };
    let pending: Vec<(u64, Value)> = shared
        .events
        .lock()
        .unwrap()
        .log
        .iter()
        .filter(|(to, s, _)| *to == shard && *s > upto)
        .map(|(_, s, event)| (*s, event.clone()))
        .collect();
    for (seq, event) in pending {
        if !send(socket, &event).await {
            return false;
        }
        *sent_upto = Some(seq);
    }
    true
}

async fn connection(mut socket: WebSocket, shared: Arc<Shared>) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let number = {
        let mut log = shared.gateway.lock().unwrap();
        log.connections += 1;
        log.connections
    };
    shared.connections.lock().unwrap().push((number, tx));
    // No dispatch goes out before the session is identified or resumed, which also says which
    // shard the connection is.
    let mut sent_upto: Option<u64> = None;
    let mut shard = 0;
    if !send(
        &mut socket,
        &json!({ "op": 10, "d": { "heartbeat_interval": shared.heartbeat_ms } }),
    )
    .await
    {
        return;
    }
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                let text = match incoming {
                    Some(Ok(WsMessage::Text(text))) => text.to_string(),
                    Some(Ok(WsMessage::Close(frame))) => {
                        let code = frame.map_or(1005, |f| f.code);
                        shared.gateway.lock().unwrap().client_close_codes.push(code);
                        // Reading on lets the WebSocket send the closing handshake's reply.
                        let _ = tokio::time::timeout(Duration::from_secs(2), socket.recv()).await;
                        break;
                    }
                    Some(Ok(_)) => continue,
                    Some(Err(_)) | None => break,
                };
                let Ok(payload) = serde_json::from_str::<Value>(&text) else {
                    shared.gateway.lock().unwrap().unexpected_ops.push(Value::String(text));
                    continue;
                };
                match payload["op"].as_u64() {
                    Some(1) => {
                        shared.gateway.lock().unwrap().heartbeats += 1;
                        if !send(&mut socket, &json!({ "op": 11 })).await { break; }
                    }
                    Some(2) => {
                        shared.gateway.lock().unwrap().identifies.push(payload["d"].clone());
                        let intents = payload["d"]["intents"].as_u64().unwrap_or(0);
                        if shared.refuse_privileged && intents & PRIVILEGED_INTENTS != 0 {
                            let frame = CloseFrame { code: 4014, reason: "Disallowed intent(s).".into() };
                            let _ = socket.send(WsMessage::Close(Some(frame))).await;
                            break;
                        }
                        shard = payload["d"]["shard"][0].as_u64().unwrap_or(0) as u32;
                        let session = {
                            let mut events = shared.events.lock().unwrap();
                            events.sessions += 1;
                            sent_upto = Some(events.seq[shard as usize]);
                            let session = format!("fake-session-{}", events.sessions);
                            events.session_shards.insert(session.clone(), shard);
                            session
                        };
                        push_event(&shared, shard, "READY", ready_payload(&shared, &session, shard));
                        if !flush(&mut socket, &shared, shard, &mut sent_upto).await { break; }
                    }
                    Some(6) => {
                        shared.gateway.lock().unwrap().resumes.push(payload["d"].clone());
                        let session = payload["d"]["session_id"].as_str().unwrap_or_default();
                        shard = shared.events.lock().unwrap().session_shards.get(session).copied().unwrap_or(0);
                        sent_upto = Some(payload["d"]["seq"].as_u64().unwrap_or(0));
                        if !flush(&mut socket, &shared, shard, &mut sent_upto).await { break; }
                        let seq = shared.events.lock().unwrap().seq[shard as usize];
                        let resumed = json!({ "op": 0, "s": seq, "t": "RESUMED", "d": {} });
                        if !send(&mut socket, &resumed).await { break; }
                    }
                    Some(3) => {} // presence update
                    _ => shared.gateway.lock().unwrap().unexpected_ops.push(payload),
                }
            }
            control = rx.recv() => match control {
                Some(Control::Flush) => {
                    if !flush(&mut socket, &shared, shard, &mut sent_upto).await { break; }
                }
                Some(Control::Close(code)) => {
                    let frame = CloseFrame { code, reason: "fake discord closing".into() };
                    let _ = socket.send(WsMessage::Close(Some(frame))).await;
                    break;
                }
                Some(Control::DropTcp) | None => break,
                Some(Control::Reconnect) => {
                    if !send(&mut socket, &json!({ "op": 7, "d": null })).await { break; }
                }
                Some(Control::InvalidSession(resumable)) => {
                    if !send(&mut socket, &json!({ "op": 9, "d": resumable })).await { break; }
                }
            }
        }
    }
    shared
        .connections
        .lock()
        .unwrap()
        .retain(|(n, _)| *n != number);
}

fn record(shared: &Shared, method: &str, path: &str, body: Value, status: u16, expected: bool) {
    shared.requests.lock().unwrap().push(Recorded {
        method: method.to_string(),
        path: path.to_string(),
        body,
        status,
        expected,
        at: Instant::now(),
    });
}

async fn rest(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    let path = uri.path().to_string();
    let body: Value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into()))
    };
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let app = APPLICATION_ID.to_string();
    let (status, response): (u16, Value) = match (method.as_str(), segments.as_slice()) {
        ("GET", ["api", "v10", "gateway"]) => (200, json!({ "url": gateway_url(&shared) })),
        ("PUT", ["api", "v10", "applications", a, "commands"]) if *a == app => {
            (200, registered_commands(&body, None))
        }
        ("PUT", ["api", "v10", "applications", a, "guilds", guild, "commands"]) if *a == app => {
            (200, registered_commands(&body, Some(guild)))
        }
        ("POST", ["api", "v10", "interactions", _id, _token, "callback"]) => {
            let failure = shared.callback_failures.lock().unwrap().pop_front();
            match failure {
                Some(429) => {
                    record(&shared, method.as_str(), &path, body, 429, true);
                    return (
                        StatusCode::TOO_MANY_REQUESTS,
                        [("retry-after", "0.05"), ("x-ratelimit-scope", "user")],
                        axum::Json(json!({ "message": "You are being rate limited.", "retry_after": 0.05, "global": false })),
                    )
                        .into_response();
                }
                Some(code) => (
                    code,
                    json!({ "message": "500: Internal Server Error", "code": 0 }),
                ),
                None => {
                    record(&shared, method.as_str(), &path, body, 204, true);
                    return StatusCode::NO_CONTENT.into_response();
                }
            }
        }
        ("PATCH", ["api", "v10", "webhooks", a, _token, "messages", "@original"]) if *a == app => (
            200,
            message_json(
                1,
                DM_CHANNEL_ID,
                &bot_user_json(),
                body["content"].as_str().unwrap_or(""),
            ),
        ),
        ("POST", ["api", "v10", "webhooks", a, _token]) if *a == app => (
            200,
            message_json(
                2,
                DM_CHANNEL_ID,
                &bot_user_json(),
                body["content"].as_str().unwrap_or(""),
            ),
        ),
        ("POST", ["api", "v10", "channels", channel, "messages"]) => {
            let channel = channel.parse().unwrap_or(0);
            // A reply gets an id derived from the message it replies to, so a test can reply
            // to the bot's reply in turn.
            let id = body["message_reference"]["message_id"]
                .as_str()
                .and_then(|id| id.parse().ok())
                .map_or(3, reply_id);
            (
                200,
                message_json(
                    id,
                    channel,
                    &bot_user_json(),
                    body["content"].as_str().unwrap_or(""),
                ),
            )
        }
        ("GET", ["api", "v10", "channels", channel])
            if known_channel(&shared, channel).is_some() =>
        {
            (200, known_channel(&shared, channel).unwrap())
        }
        ("PATCH", ["api", "v10", "channels", channel])
            if known_channel(&shared, channel).is_some() =>
        {
            let id: u64 = channel.parse().unwrap();
            let mut channels = shared.channels.lock().unwrap();
            let stored = channels.get_mut(&id).unwrap();
            for (key, value) in body.as_object().cloned().unwrap_or_default() {
                stored[key] = value;
            }
            (200, stored.clone())
        }
        ("PATCH", ["api", "v10", "channels", channel, "messages", message]) => {
            let (channel, message) = (channel.parse().unwrap_or(0), message.parse().unwrap_or(0));
            (
                200,
                message_json(
                    message,
                    channel,
                    &bot_user_json(),
                    body["content"].as_str().unwrap_or(""),
                ),
            )
        }
        ("DELETE", ["api", "v10", "channels", _channel, "messages", _message]) => {
            record(&shared, method.as_str(), &path, body, 204, true);
            return StatusCode::NO_CONTENT.into_response();
        }
        _ => {
            record(&shared, method.as_str(), &path, body, 404, false);
            return (
                StatusCode::NOT_FOUND,
                axum::Json(json!({ "message": "404: Not Found", "code": 0 })),
            )
                .into_response();
        }
    };
    record(&shared, method.as_str(), &path, body, status, true);
    (StatusCode::from_u16(status).unwrap(), axum::Json(response)).into_response()
}

fn known_channel(shared: &Shared, id: &str) -> Option<Value> {
    let id: u64 = id.parse().ok()?;
    shared.channels.lock().unwrap().get(&id).cloned()
}

/// A forum channel in the fixture guild with tags `(id, name)` members can put on posts.
pub fn forum_channel(id: u64, tags: &[(u64, &str)]) -> Value {
    let tags: Vec<Value> = tags
        .iter()
        .map(|(id, name)| {
            json!({ "id": id.to_string(), "name": name, "moderated": false,
                    "emoji_id": null, "emoji_name": null })
        })
        .collect();
    json!({
        "id": id.to_string(), "type": 15, "guild_id": GUILD_ID.to_string(), "name": "questions",
        "position": 0, "permission_overwrites": [], "flags": 0, "available_tags": tags
    })
}

/// The commands as Discord returns them after a bulk overwrite.
pub fn registered_commands(body: &Value, guild: Option<&str>) -> Value {
    let commands = body.as_array().cloned().unwrap_or_default();
    Value::Array(
        commands
            .into_iter()
            .enumerate()
            .map(|(i, mut command)| {
                let object = command.as_object_mut().unwrap();
                object.insert(
                    "id".into(),
                    json!((700_000_000_000_000_000u64 + i as u64).to_string()),
                );
                object.insert("application_id".into(), json!(APPLICATION_ID.to_string()));
                object.insert("version".into(), json!("1"));
                object.entry("type").or_insert(json!(1));
                if let Some(guild) = guild {
                    object.insert("guild_id".into(), json!(guild));
                }
                command
            })
            .collect(),
    )
}

/// The id of the bot's message replying to message `question`.
pub fn reply_id(question: u64) -> u64 {
    question + 500_000_000_000_000_000
}

/// A user object.
pub fn user_json(id: u64, name: &str) -> Value {
    json!({ "id": id.to_string(), "username": name, "discriminator": "0", "global_name": name, "avatar": null })
}

pub fn bot_user_json() -> Value {
    json!({ "id": BOT_USER_ID.to_string(), "username": "citebot", "discriminator": "0",
            "global_name": null, "avatar": null, "bot": true })
}

/// A message object as the REST API returns it.
pub fn message_json(id: u64, channel: u64, author: &Value, content: &str) -> Value {
    json!({
        "id": id.to_string(), "channel_id": channel.to_string(), "author": author,
        "content": content, "timestamp": "2026-01-01T00:00:00.000000+00:00",
        "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": [],
        "mention_roles": [], "attachments": [], "embeds": [], "pinned": false, "type": 0
    })
}

/// Who sends an interaction, and where.
#[derive(Clone, Copy)]
pub enum Place {
    /// In the fixture guild's channel, by a member without special permissions.
    Guild,
    /// In the fixture guild's channel, by a member with Manage Server.
    GuildManager,
    /// In a DM with the bot.
    Dm,
}

fn interaction_common(id: u64, kind: u8, user: u64, place: Place) -> Value {
    let user_object = user_json(user, &format!("member{user}"));
    let mut value = json!({
        "id": id.to_string(), "application_id": APPLICATION_ID.to_string(), "type": kind,
        "token": interaction_token(id), "version": 1, "app_permissions": "0", "locale": "en-US",
        "entitlements": [], "attachment_size_limit": 8_388_608
    });
    let object = value.as_object_mut().unwrap();
    match place {
        Place::Guild | Place::GuildManager => {
            // Discord computes the member's permissions in the channel: Manage Server is 1 << 5.
            let permissions = if matches!(place, Place::GuildManager) {
                "32"
            } else {
                "0"
            };
            object.insert("guild_id".into(), json!(GUILD_ID.to_string()));
            object.insert("channel_id".into(), json!(GUILD_CHANNEL_ID.to_string()));
            object.insert("guild_locale".into(), json!("en-US"));
            object.insert("context".into(), json!(0));
            object.insert("member".into(), json!({
                "user": user_object, "roles": [], "joined_at": "2025-01-01T00:00:00.000000+00:00",
                "deaf": false, "mute": false, "flags": 0, "permissions": permissions
            }));
        }
        Place::Dm => {
            object.insert("channel_id".into(), json!(DM_CHANNEL_ID.to_string()));
            object.insert("context".into(), json!(1));
            object.insert("user".into(), user_object);
        }
    }
    value
}

/// The token of interaction `id` (unique per interaction, so callbacks can be matched).
pub fn interaction_token(id: u64) -> String {
    format!("itoken{id}")
}

/// An INTERACTION_CREATE payload for a slash command with string options.
pub fn slash_command(
    id: u64,
    name: &str,
    options: &[(&str, &str)],
    user: u64,
    place: Place,
) -> Value {
    let mut value = interaction_common(id, 2, user, place);
    let options: Vec<Value> = options
        .iter()
        .map(|(n, v)| json!({ "name": n, "type": 3, "value": v }))
        .collect();
    value["data"] =
        json!({ "id": "700000000000000000", "name": name, "type": 1, "options": options });
    value
}

/// An INTERACTION_CREATE payload for autocomplete while a member types a slash command:
/// `options` as typed so far, `focused` the one being typed.
pub fn autocomplete(
    id: u64,
    name: &str,
    options: &[(&str, &str)],
    focused: &str,
    user: u64,
    place: Place,
) -> Value {
    let mut value = interaction_common(id, 4, user, place);
    let options: Vec<Value> = options
        .iter()
        .map(|(n, v)| json!({ "name": n, "type": 3, "value": v, "focused": *n == focused }))
        .collect();
    value["data"] =
        json!({ "id": "700000000000000000", "name": name, "type": 1, "options": options });
    value
}

/// An INTERACTION_CREATE payload for a button click on a message of the bot.
pub fn button_click(id: u64, custom_id: &str, user: u64, place: Place) -> Value {
    let mut value = interaction_common(id, 3, user, place);
    let channel = match place {
        Place::Guild | Place::GuildManager => GUILD_CHANNEL_ID,
        Place::Dm => DM_CHANNEL_ID,
    };
    value["data"] = json!({ "custom_id": custom_id, "component_type": 2 });
    value["message"] = message_json(5, channel, &bot_user_json(), "");
    value
}

/// A MESSAGE_CREATE payload: a member writing `content`, in a DM or in the guild channel;
/// `mentions_bot` lists the bot among the mentioned users, as Discord does for `<@bot>`.
pub fn message_create(
    id: u64,
    content: &str,
    user: u64,
    place: Place,
    mentions_bot: bool,
) -> Value {
    let author = user_json(user, &format!("member{user}"));
    let channel = match place {
        Place::Guild | Place::GuildManager => GUILD_CHANNEL_ID,
        Place::Dm => DM_CHANNEL_ID,
    };
    let mut value = message_json(id, channel, &author, content);
    if mentions_bot {
        value["mentions"] = json!([bot_user_json()]);
    }
    if let Place::Guild = place {
        value["guild_id"] = json!(GUILD_ID.to_string());
        value["member"] = json!({ "roles": [], "joined_at": "2025-01-01T00:00:00.000000+00:00",
                                   "deaf": false, "mute": false, "flags": 0 });
    }
    value
}

/// A MESSAGE_CREATE payload: a member writing `content` in guild channel `channel`, mentioning
/// nobody.
pub fn guild_message(id: u64, content: &str, user: u64, channel: u64) -> Value {
    let mut value = message_create(id, content, user, Place::Guild, false);
    value["channel_id"] = json!(channel.to_string());
    value
}

/// A MESSAGE_CREATE payload: a member writing `content` in thread `thread`, the `position`th
/// message there (Discord numbers messages in threads; a forum post's first message, whose id
/// is the thread's, is 0).
pub fn thread_message(id: u64, content: &str, user: u64, thread: u64, position: u64) -> Value {
    let mut value = guild_message(id, content, user, thread);
    value["position"] = json!(position);
    value
}

/// A MESSAGE_UPDATE payload: member `user` edited message `id` in `channel` to `content`.
pub fn message_update(id: u64, content: &str, user: u64, channel: u64) -> Value {
    message_edited_at(
        id,
        content,
        user,
        channel,
        "2026-01-01T00:01:00.000000+00:00",
    )
}

/// A MESSAGE_UPDATE payload: member `user` edited message `id` in `channel` to `content`, the
/// edit stamped `edited` (RFC 3339).
pub fn message_edited_at(id: u64, content: &str, user: u64, channel: u64, edited: &str) -> Value {
    json!({
        "id": id.to_string(), "channel_id": channel.to_string(), "guild_id": GUILD_ID.to_string(),
        "author": user_json(user, &format!("member{user}")), "content": content,
        "edited_timestamp": edited, "mentions": [],
        "mention_roles": [], "mention_everyone": false, "type": 0
    })
}

/// A MESSAGE_DELETE payload: message `id` in `channel` was deleted.
pub fn message_delete(id: u64, channel: u64) -> Value {
    json!({ "id": id.to_string(), "channel_id": channel.to_string(), "guild_id": GUILD_ID.to_string() })
}

/// A GUILD_CREATE payload for the fixture guild, as Discord sends it when the bot connects:
/// the guild channel, no members, and `threads` (thread objects) as its active threads.
pub fn guild_create(threads: &[Value]) -> Value {
    // Two objects joined: one json! of all the fields would pass its macro's recursion limit.
    let mut guild = json!({
        "id": GUILD_ID.to_string(), "name": "Garden Club", "icon": null, "icon_hash": null,
        "splash": null, "discovery_splash": null, "owner_id": "800000000000000099",
        "afk_channel_id": null, "afk_timeout": 300, "verification_level": 0,
        "default_message_notifications": 0, "explicit_content_filter": 0, "roles": [],
        "emojis": [], "features": [], "mfa_level": 0, "application_id": null,
        "system_channel_id": null, "system_channel_flags": 0, "rules_channel_id": null,
        "vanity_url_code": null, "description": null, "banner": null, "premium_tier": 0,
    });
    let rest = json!({
        "preferred_locale": "en-US", "public_updates_channel_id": null, "nsfw_level": 0,
        "stickers": [], "premium_progress_bar_enabled": false,
        "joined_at": "2025-01-01T00:00:00.000000+00:00", "large": false, "unavailable": false,
        "member_count": 2, "voice_states": [], "members": [], "presences": [],
        "channels": [{ "id": GUILD_CHANNEL_ID.to_string(), "type": 0, "name": "general",
                       "position": 0, "permission_overwrites": [], "nsfw": false }],
        "threads": threads, "stage_instances": [], "guild_scheduled_events": []
    });
    if let (Some(guild), Value::Object(rest)) = (guild.as_object_mut(), rest) {
        guild.extend(rest);
    }
    guild
}

/// A THREAD_CREATE payload: a public thread `id` created by member `owner` in guild channel
/// `parent` (a text or forum channel).
pub fn thread_create(id: u64, parent: u64, owner: u64, name: &str) -> Value {
    json!({
        "id": id.to_string(), "type": 11, "guild_id": GUILD_ID.to_string(),
        "parent_id": parent.to_string(), "owner_id": owner.to_string(), "name": name,
        "last_message_id": null, "message_count": 0, "member_count": 1,
        "rate_limit_per_user": 0, "flags": 0, "total_message_sent": 0, "applied_tags": [],
        "thread_metadata": { "archived": false, "auto_archive_duration": 1440,
                             "archive_timestamp": "2026-01-01T00:00:00.000000+00:00",
                             "locked": false },
        "newly_created": true
    })
}

/// The fixture post the Discord tests and the burst benchmark ask about: "How many members does
/// the garden club have?" is answered by "42 members".
pub const GARDEN_POST: &str = "---
title: Garden Club
url: https://example.org/garden-club
---
# Membership

The garden club has 42 members and 7 allotments.

# Meetings

The club meets every Tuesday evening in the community hall.
";
