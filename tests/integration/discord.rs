//! The real bot (`citebot_discord::run`, real serenity client) against the fake Discord in
//! `tests/support/fake_discord.rs`: startup and registration, answers in every place, Discord's
//! rules (allowed mentions, limits), gateway trouble, REST failures, a burst, the buttons and a
//! clean shutdown; answer channels, forum posts, follow-ups, edits, removal and `/report` are
//! in `community.rs`. Every test ends by checking that no unexpected request reached the fake.

#[path = "../support/fake_discord.rs"]
mod fake_discord;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use citebot::config::{AnswerConfig, DiscordConfig, IndexConfig};
use citebot_core::Library;
use citebot_discord::Token;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::oneshot;

use fake_discord::{
    autocomplete, button_click, message_create, refusing_url, slash_command, FakeDiscord, Place,
    SilentServer, APPLICATION_ID, DM_CHANNEL_ID, GARDEN_POST, GUILD_CHANNEL_ID, GUILD_ID,
};

/// Generous: the CI machine has two cores and builds in debug.
const WAIT: Duration = Duration::from_secs(30);

const MEMBERS_QUESTION: &str = "How many members does the garden club have?";

struct Bot {
    fake: FakeDiscord,
    stop_signal: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<citebot_discord::Result<()>>,
    feedback_log: PathBuf,
    posts: PathBuf,
    _dir: tempfile::TempDir,
}

fn init_logs() {
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .try_init();
}

/// Asks the fake for its gateway over plain HTTP, the way serenity will.
async fn fetch_gateway_url(api_base: &str) -> String {
    let host = api_base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let request =
        format!("GET /api/v10/gateway HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let body = response.split("\r\n\r\n").nth(1).unwrap();
    let json: Value = serde_json::from_str(body).unwrap();
    json["url"].as_str().unwrap().to_string()
}

/// Posts indexed in RAM, as for any small corpus.
fn in_memory() -> IndexConfig {
    IndexConfig {
        on_disk_from: usize::MAX,
        ..IndexConfig::default()
    }
}

async fn start_bot(settings: DiscordConfig) -> Bot {
    start_bot_with(settings, &[]).await
}

/// Starts the bot on the garden post and `more` posts (file name, text).
async fn start_bot_with(settings: DiscordConfig, more: &[(&str, &str)]) -> Bot {
    init_logs();
    let fake = FakeDiscord::start().await;
    // If serenity's gateway lookup failed it would fall back to the real Discord.
    let gateway = fetch_gateway_url(&fake.api_base()).await;
    assert!(
        gateway.starts_with("ws://127.0.0.1:"),
        "gateway must be local: {gateway}"
    );

    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("posts");
    std::fs::create_dir(&posts).unwrap();
    std::fs::write(posts.join("garden-club.md"), GARDEN_POST).unwrap();
    for (name, text) in more {
        std::fs::write(posts.join(name), text).unwrap();
    }
    let (library, _) = Library::open(&posts, AnswerConfig::default(), in_memory()).unwrap();
    run_bot(fake, Arc::new(library), None, settings, posts, dir).await
}

/// Runs the bot on `library` (whose posts are in `posts`, inside `dir`) and its `web` sources
/// against `fake`.
async fn run_bot(
    fake: FakeDiscord,
    library: Arc<Library>,
    web: Option<Arc<citebot_web::Web>>,
    settings: DiscordConfig,
    posts: PathBuf,
    dir: tempfile::TempDir,
) -> Bot {
    let feedback_log = dir.path().join("feedback.jsonl");
    let settings = DiscordConfig {
        feedback_log: feedback_log.clone(),
        ..settings
    };

    let token = Token::parse(fake_discord::TOKEN).unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let api_base = fake.api_base();
    let task = tokio::spawn(async move {
        citebot_discord::run(&token, &api_base, settings, library, web, async {
            let _ = stopped.await;
        })
        .await
    });
    let bot = Bot {
        fake,
        stop_signal: Some(stop),
        task,
        feedback_log,
        posts,
        _dir: dir,
    };
    assert!(
        bot.fake
            .wait_for(WAIT, |f| !registrations(f).is_empty())
            .await,
        "the bot never registered its commands; requests: {:?}",
        bot.fake.requests()
    );
    bot
}

impl Bot {
    /// Stops the bot and checks it closed the gateway cleanly and nothing unexpected happened.
    async fn finish(self) {
        let fake = self.stop().await;
        let closed = fake
            .wait_for(WAIT, |f| f.gateway_log().client_close_codes.contains(&1000))
            .await;
        assert!(closed, "no clean close: {:?}", fake.gateway_log());
        assert_no_surprises(&fake);
    }

    /// Stops the bot, checks `run` returned Ok, and hands back the fake for further checks.
    async fn stop(mut self) -> FakeDiscord {
        let _ = self.stop_signal.take().unwrap().send(());
        let result = tokio::time::timeout(WAIT, &mut self.task)
            .await
            .expect("bot did not stop");
        result
            .expect("bot task panicked")
            .expect("bot returned an error");
        self.fake
    }

    async fn ask(&self, id: u64, question: &str, user: u64, place: Place) -> Value {
        self.fake.dispatch(
            "INTERACTION_CREATE",
            slash_command(id, "ask", &[("question", question)], user, place),
        );
        self.reply_to_interaction(id).await
    }

    async fn reply_to_interaction(&self, id: u64) -> Value {
        let mut found = None;
        let ok = self
            .fake
            .wait_for(WAIT, |f| {
                found = interaction_reply(f, id);
                found.is_some()
            })
            .await;
        assert!(
            ok,
            "no reply to interaction {id}; requests: {:#?}",
            self.fake.requests()
        );
        found.unwrap()
    }

    async fn reply_to_message(&self, id: u64) -> Value {
        let mut found = None;
        let ok = self
            .fake
            .wait_for(WAIT, |f| {
                found = message_reply(f, id);
                found.is_some()
            })
            .await;
        assert!(
            ok,
            "no reply to message {id}; requests: {:#?}",
            self.fake.requests()
        );
        found.unwrap()
    }
}

fn assert_no_surprises(fake: &FakeDiscord) {
    assert!(
        fake.unexpected().is_empty(),
        "unexpected requests: {:#?}",
        fake.unexpected()
    );
    let log = fake.gateway_log();
    assert!(
        log.unexpected_ops.is_empty(),
        "unexpected gateway payloads: {:?}",
        log.unexpected_ops
    );
}

fn registrations(fake: &FakeDiscord) -> Vec<fake_discord::Recorded> {
    fake.requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/commands"))
        .collect()
}

fn callbacks(fake: &FakeDiscord, id: u64) -> Vec<fake_discord::Recorded> {
    let path = format!(
        "/api/v10/interactions/{id}/{}/callback",
        fake_discord::interaction_token(id)
    );
    fake.requests()
        .into_iter()
        .filter(|r| r.path == path)
        .collect()
}

/// The message an interaction got: the callback's data, or the edit after a deferral.
fn interaction_reply(fake: &FakeDiscord, id: u64) -> Option<Value> {
    let callback = callbacks(fake, id).into_iter().find(|r| r.status == 204)?;
    match callback.body["type"].as_u64() {
        Some(4) => Some(callback.body["data"].clone()),
        Some(5) => {
            let path = format!(
                "/api/v10/webhooks/{APPLICATION_ID}/{}/messages/@original",
                fake_discord::interaction_token(id)
            );
            fake.requests()
                .into_iter()
                .find(|r| r.path == path)
                .map(|r| r.body)
        }
        other => panic!("unexpected callback type {other:?}"),
    }
}

/// The bot's message replying to message `id`.
fn message_reply(fake: &FakeDiscord, id: u64) -> Option<Value> {
    fake.requests().into_iter().find_map(|r| {
        let is_reply = r.method == "POST"
            && r.path.ends_with("/messages")
            && r.body["message_reference"]["message_id"] == json!(id.to_string());
        is_reply.then_some(r.body)
    })
}

fn embed_title(reply: &Value) -> String {
    reply["embeds"][0]["title"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn embed_description(reply: &Value) -> String {
    reply["embeds"][0]["description"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn chars(value: &Value) -> usize {
    value.as_str().map_or(0, |s| s.chars().count())
}

/// Discord's limits on one message.
fn assert_within_limits(reply: &Value) {
    assert!(chars(&reply["content"]) <= 2000, "content too long");
    let mut total = chars(&reply["content"]);
    for embed in reply["embeds"].as_array().into_iter().flatten() {
        assert!(chars(&embed["description"]) <= 4096, "description too long");
        assert!(chars(&embed["title"]) <= 256, "title too long");
        total += chars(&embed["description"]) + chars(&embed["title"]);
    }
    assert!(total <= 6000, "message too long: {total}");
    for row in reply["components"].as_array().into_iter().flatten() {
        for button in row["components"].as_array().into_iter().flatten() {
            assert!(chars(&button["label"]) <= 100);
        }
    }
}

fn assert_no_mentions(reply: &Value) {
    let mentions = &reply["allowed_mentions"];
    assert_eq!(mentions["parse"], json!([]), "allowed mentions in {reply}");
    assert!(mentions["users"].as_array().is_none_or(|a| a.is_empty()));
    assert!(mentions["roles"].as_array().is_none_or(|a| a.is_empty()));
    assert_eq!(mentions["replied_user"], json!(false));
}

fn assert_answers_members(reply: &Value) {
    assert!(embed_title(reply) == "42", "short answer missing: {reply}");
    let description = embed_description(reply);
    assert!(description.contains("42"), "passage missing: {description}");
    assert!(
        description.contains("[Garden Club](https://example.org/garden-club#:~:text=The%20garden%20club%20has%2042%20members%20and%207%20allotments.)"),
        "citation linking to the cited sentence: {description}"
    );
    assert!(description.contains('¶'), "paragraph: {description}");
}

#[test]
fn fixtures_parse_as_the_events_serenity_dispatches() {
    use serenity::model::event::{Event, GatewayEvent};
    let dispatch = |t: &str, d: Value| json!({ "op": 0, "s": 1, "t": t, "d": d });
    let fixtures = [
        ("READY", fake_discord::ready_payload_for("127.0.0.1:1", "s")),
        (
            "INTERACTION_CREATE",
            slash_command(1, "ask", &[("question", "q")], 5, Place::Guild),
        ),
        (
            "INTERACTION_CREATE",
            slash_command(2, "ask", &[("question", "q")], 5, Place::Dm),
        ),
        (
            "INTERACTION_CREATE",
            button_click(3, "more:1", 5, Place::Guild),
        ),
        ("INTERACTION_CREATE", button_click(4, "up:1", 5, Place::Dm)),
        (
            "MESSAGE_CREATE",
            message_create(5, "hello", 5, Place::Dm, false),
        ),
        (
            "MESSAGE_CREATE",
            message_create(6, "<@1> hello", 5, Place::Guild, true),
        ),
        ("RESUMED", json!({})),
    ];
    for (t, d) in fixtures {
        let event: GatewayEvent = serde_json::from_value(dispatch(t, d.clone())).unwrap();
        let GatewayEvent::Dispatch(_, event) = event else {
            panic!("{t} is not a dispatch")
        };
        assert!(
            !matches!(event, Event::Unknown(_)),
            "{t} fixture does not parse: {d}"
        );
    }
    // REST responses the bot deserialises.
    let message = fake_discord::message_json(1, 2, &fake_discord::user_json(3, "x"), "hi");
    serde_json::from_value::<serenity::model::channel::Message>(message).unwrap();
    let body = serde_json::to_value(vec![json!({
        "name": "ask", "description": "d", "type": 1, "contexts": [0, 1],
        "options": [{ "type": 3, "name": "question", "description": "q", "required": true }]
    })])
    .unwrap();
    let commands = fake_discord::registered_commands(&body, Some("1"));
    serde_json::from_value::<Vec<serenity::model::application::Command>>(commands).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn startup_identifies_with_intents_and_registers_commands_without_duplicates() {
    let bot = start_bot(DiscordConfig::default()).await;
    let log = bot.fake.gateway_log();
    assert_eq!(log.identifies.len(), 1);
    // GUILDS (1) | GUILD_MESSAGES (512) | DIRECT_MESSAGES (4096); no MESSAGE_CONTENT (32768).
    assert_eq!(log.identifies[0]["intents"], json!(1 | 512 | 4096));
    assert_eq!(
        log.identifies[0]["token"],
        json!(format!("Bot {}", fake_discord::TOKEN))
    );

    let first = registrations(&bot.fake);
    assert_eq!(first.len(), 1);
    assert_eq!(
        first[0].method, "PUT",
        "registration must be a bulk overwrite"
    );
    assert_eq!(
        first[0].path,
        format!("/api/v10/applications/{APPLICATION_ID}/commands")
    );
    let commands = first[0].body.as_array().unwrap();
    let names: Vec<&str> = commands
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["ask", "search", "posts", "help", "reindex", "add", "report"]
    );
    // /reindex, /add and /report: Manage Server (1 << 5) only, and only in servers.
    for manage in &commands[4..7] {
        assert_eq!(manage["default_member_permissions"], "32", "{manage}");
        assert_eq!(manage["contexts"], json!([0]), "{manage}");
    }
    assert_eq!(commands[5]["options"][0]["name"], "url");
    assert_eq!(commands[5]["options"][0]["required"], true);
    assert_eq!(commands[0]["options"][0]["name"], "question");
    assert_eq!(commands[0]["options"][0]["type"], 3);
    assert_eq!(commands[0]["options"][0]["required"], true);
    assert_eq!(commands[1]["options"][0]["name"], "query");
    for command in &commands[..2] {
        let post = &command["options"][1];
        assert_eq!(post["name"], "post");
        assert_eq!(post["type"], 3);
        assert_eq!(post["autocomplete"], true);
        assert_ne!(post["required"], true, "the post option is optional");
    }
    for command in &commands[..4] {
        assert_eq!(
            command["contexts"],
            json!([0, 1]),
            "usable in servers and DMs"
        );
    }

    // The connection stays alive: serenity heartbeats and the fake acknowledges.
    assert!(
        bot.fake
            .wait_for(WAIT, |f| f.gateway_log().heartbeats >= 2)
            .await,
        "no heartbeats"
    );

    // A second READY (as after a re-identify) overwrites the same set again.
    bot.fake.send_ready_again();
    assert!(
        bot.fake
            .wait_for(WAIT, |f| registrations(f).len() == 2)
            .await
    );
    let all = registrations(&bot.fake);
    assert!(all
        .iter()
        .all(|r| r.method == "PUT" && r.body == first[0].body));
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guild_ids_register_per_guild() {
    let bot = start_bot(DiscordConfig {
        guild_ids: vec![GUILD_ID],
        ..DiscordConfig::default()
    })
    .await;
    let all = registrations(&bot.fake);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].method, "PUT");
    assert_eq!(
        all[0].path,
        format!("/api/v10/applications/{APPLICATION_ID}/guilds/{GUILD_ID}/commands")
    );
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_are_answered_in_servers_dms_and_mentions() {
    let bot = start_bot(DiscordConfig::default()).await;
    let in_guild = bot.ask(1001, MEMBERS_QUESTION, 11, Place::Guild).await;
    let in_dm = bot.ask(1002, MEMBERS_QUESTION, 12, Place::Dm).await;

    bot.fake.dispatch(
        "MESSAGE_CREATE",
        message_create(2001, MEMBERS_QUESTION, 13, Place::Dm, false),
    );
    let plain_dm = bot.reply_to_message(2001).await;
    let mention = format!("<@{}> {MEMBERS_QUESTION}", fake_discord::BOT_USER_ID);
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        message_create(2002, &mention, 14, Place::Guild, true),
    );
    let mentioned = bot.reply_to_message(2002).await;
    // A guild message that does not mention the bot is none of its business.
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        message_create(2003, MEMBERS_QUESTION, 15, Place::Guild, false),
    );

    for reply in [&in_guild, &in_dm, &plain_dm, &mentioned] {
        assert_within_limits(reply);
        assert_no_mentions(reply);
    }
    let posts = bot.fake.requests();
    assert!(posts
        .iter()
        .any(|r| r.path == format!("/api/v10/channels/{DM_CHANNEL_ID}/messages")));
    assert!(posts
        .iter()
        .any(|r| r.path == format!("/api/v10/channels/{GUILD_CHANNEL_ID}/messages")));

    // `help` in a DM gives help.
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        message_create(2004, "help", 16, Place::Dm, false),
    );
    let help = bot.reply_to_message(2004).await;
    assert!(embed_description(&help).contains("/ask"));
    assert!(message_reply(&bot.fake, 2003).is_none());
    let answers = [in_guild, in_dm, plain_dm, mentioned];
    bot.finish().await;
    // Checked last: it needs the real engine (the placeholder answers nothing).
    for reply in &answers {
        assert_answers_members(reply);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thanks_in_a_dm_gets_a_pointer_not_a_passage() {
    let bot = start_bot(DiscordConfig::default()).await;
    // The real engine first: the placeholder that serves while the posts load answers nothing.
    let question = bot.ask(1151, MEMBERS_QUESTION, 31, Place::Dm).await;
    assert_answers_members(&question);
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        message_create(2151, "thanks!", 31, Place::Dm, false),
    );
    let thanks = bot.reply_to_message(2151).await;
    bot.finish().await;
    assert!(
        thanks["content"]
            .as_str()
            .is_some_and(|c| c.contains("I answer questions about")),
        "{thanks}"
    );
    assert!(
        thanks["embeds"].as_array().is_none_or(|e| e.is_empty()),
        "small talk cites no passage: {thanks}"
    );
    assert_no_mentions(&thanks);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echoed_mentions_ping_nobody() {
    let bot = start_bot(DiscordConfig::default()).await;
    let question = "@everyone <@&555555555555555555> @here how many members?";
    let slash = bot.ask(1101, question, 21, Place::Guild).await;
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        message_create(2101, question, 22, Place::Dm, false),
    );
    let dm = bot.reply_to_message(2101).await;
    let mention = format!("<@{}> {question}", fake_discord::BOT_USER_ID);
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        message_create(2102, &mention, 23, Place::Guild, true),
    );
    let mentioned = bot.reply_to_message(2102).await;
    for reply in [&slash, &dm, &mentioned] {
        assert_no_mentions(reply);
    }
    // Every message the bot sent, whatever route, carries the same empty allowed mentions.
    for request in bot.fake.requests() {
        let message = if request.path.ends_with("/callback") {
            &request.body["data"]
        } else {
            &request.body
        };
        if message.get("content").is_some() || message.get("embeds").is_some() {
            assert_no_mentions(message);
        }
    }
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn awkward_questions_get_clear_replies_within_limits() {
    let bot = start_bot(DiscordConfig::default()).await;
    let long = "how many members ".repeat(400);
    let long: String = long.chars().take(6000).collect();
    let markdown = "```rust\n**__~~||`` ``` > # [x](y) ```";
    let cases = [
        (1201, long.as_str()),
        (1202, markdown),
        (1203, ""),
        (1204, "   "),
    ];
    for (id, question) in cases {
        let reply = bot.ask(id, question, 31 + id, Place::Guild).await;
        assert_within_limits(&reply);
        assert_no_mentions(&reply);
        let text = format!(
            "{}{}{}",
            reply["content"].as_str().unwrap_or(""),
            embed_title(&reply),
            embed_description(&reply)
        );
        assert!(!text.trim().is_empty(), "empty reply to {question:?}");
    }
    let too_long = bot.reply_to_interaction(1201).await;
    assert!(
        too_long["content"].as_str().unwrap_or("").contains("6000"),
        "{too_long}"
    );
    let empty = bot.reply_to_interaction(1203).await;
    assert!(
        empty["content"].as_str().unwrap_or("").contains("empty"),
        "{empty}"
    );
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uncovered_question_says_so_and_is_logged() {
    let bot = start_bot(DiscordConfig::default()).await;
    let reply = bot
        .ask(1301, "What is the capital of Mongolia?", 41, Place::Guild)
        .await;
    assert_eq!(embed_title(&reply), "The posts don't cover this question");
    let log = std::fs::read_to_string(&bot.feedback_log).unwrap();
    let entry: Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    assert_eq!(entry["kind"], "unanswered");
    assert_eq!(entry["question"], "What is the capital of Mongolia?");
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bot_resumes_after_close_4000_and_a_dropped_connection() {
    let bot = start_bot(DiscordConfig::default()).await;
    bot.ask(1401, MEMBERS_QUESTION, 51, Place::Guild).await;

    bot.fake.close_gateway(4000);
    assert!(
        bot.fake
            .wait_for(WAIT, |f| f.gateway_log().resumes.len() == 1)
            .await,
        "no resume after 4000"
    );
    let reply = bot.ask(1402, MEMBERS_QUESTION, 52, Place::Guild).await;
    assert_within_limits(&reply);

    bot.fake.drop_gateway_tcp();
    assert!(
        bot.fake
            .wait_for(WAIT, |f| f.gateway_log().resumes.len() == 2)
            .await,
        "no resume after TCP drop"
    );
    let reply = bot.ask(1403, MEMBERS_QUESTION, 53, Place::Dm).await;
    assert_within_limits(&reply);

    // An event dispatched while the bot is away is replayed on resume.
    bot.fake.close_gateway(4000);
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        slash_command(1404, "help", &[], 54, Place::Guild),
    );
    let help = bot.reply_to_interaction(1404).await;
    assert!(embed_description(&help).contains("/ask"));

    let resume = &bot.fake.gateway_log().resumes[0];
    assert!(resume["session_id"]
        .as_str()
        .unwrap()
        .starts_with("fake-session-"));
    assert_eq!(
        bot.fake.gateway_log().identifies.len(),
        1,
        "resumed, not re-identified"
    );
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bot_reidentifies_after_invalid_session_and_keeps_serving() {
    let bot = start_bot(DiscordConfig::default()).await;
    bot.fake.request_reconnect();
    assert!(
        bot.fake
            .wait_for(WAIT, |f| f.gateway_log().resumes.len() == 1)
            .await,
        "no resume after op 7"
    );
    bot.fake.invalidate_session(false);
    // serenity waits 5 s between identifies; the generous wait covers it.
    assert!(
        bot.fake
            .wait_for(WAIT, |f| f.gateway_log().identifies.len() == 2)
            .await,
        "no re-identify"
    );
    assert!(
        bot.fake
            .wait_for(WAIT, |f| registrations(f).len() == 2)
            .await
    );
    let reply = bot.ask(1501, MEMBERS_QUESTION, 61, Place::Guild).await;
    assert_within_limits(&reply);
    assert!(registrations(&bot.fake).iter().all(|r| r.method == "PUT"));
    // Known serenity 0.12.5 quirk: after a re-identify the shard manager keeps a stale "shard
    // finished" notice, and the new runner's close frame is not observed here; `run` still
    // returns Ok. Only the clean stop is asserted.
    let fake = bot.stop().await;
    assert_no_surprises(&fake);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callback_errors_500_and_429_do_not_stop_the_bot() {
    let bot = start_bot(DiscordConfig::default()).await;
    for (status, first, next) in [(500, 1601, 1602), (429, 1603, 1604)] {
        bot.fake.fail_next_callbacks(&[status]);
        bot.fake.dispatch(
            "INTERACTION_CREATE",
            slash_command(first, "help", &[], 71, Place::Guild),
        );
        assert!(
            bot.fake
                .wait_for(WAIT, |f| callbacks(f, first)
                    .iter()
                    .any(|r| r.status == status))
                .await,
            "the failing callback never arrived"
        );
        let reply = bot.ask(next, MEMBERS_QUESTION, 72, Place::Guild).await;
        assert_within_limits(&reply);
    }
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn burst_of_200_from_50_members_gets_exactly_one_reply_each() {
    // Three questions per member per window: each member's fourth gets the cooldown notice.
    let settings = DiscordConfig {
        cooldown_questions: 3,
        ..DiscordConfig::default()
    };
    let bot = start_bot(settings).await;
    let ids: Vec<u64> = (0..200).map(|i| 10_000 + i).collect();
    for &id in &ids {
        let user = 100 + (id % 50);
        let place = if id % 2 == 0 { Place::Guild } else { Place::Dm };
        bot.fake.dispatch(
            "INTERACTION_CREATE",
            slash_command(id, "ask", &[("question", MEMBERS_QUESTION)], user, place),
        );
    }
    let all_answered = bot
        .fake
        .wait_for(Duration::from_secs(120), |f| {
            ids.iter().all(|&id| interaction_reply(f, id).is_some())
        })
        .await;
    assert!(all_answered, "some interactions were never answered");
    // Let any duplicate arrive before counting.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut notices = 0;
    for &id in &ids {
        let sent = callbacks(&bot.fake, id);
        assert_eq!(
            sent.len(),
            1,
            "interaction {id} got {} callbacks",
            sent.len()
        );
        let reply = interaction_reply(&bot.fake, id).unwrap();
        assert_no_mentions(&reply);
        if reply["content"]
            .as_str()
            .unwrap_or("")
            .contains("please wait")
        {
            assert_eq!(reply["flags"], json!(64), "cooldown notices are ephemeral");
            notices += 1;
        }
    }
    assert_eq!(notices, 50, "one notice per member");
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buttons_show_more_passages_and_log_feedback() {
    let bot = start_bot(DiscordConfig::default()).await;
    let reply = bot.ask(1701, MEMBERS_QUESTION, 81, Place::Guild).await;
    let buttons = reply["components"][0]["components"]
        .as_array()
        .unwrap()
        .clone();
    let ids: Vec<&str> = buttons
        .iter()
        .map(|b| b["custom_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["more:1701", "up:1701", "down:1701", "remove:81"]);
    let labels: Vec<&str> = buttons
        .iter()
        .map(|b| b["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["More passages", "👍", "👎", "🗑"]);
    assert_ne!(reply["flags"], json!(64), "the answer is public: {reply}");

    bot.fake.dispatch(
        "INTERACTION_CREATE",
        button_click(1702, "more:1701", 81, Place::Guild),
    );
    let more = bot.reply_to_interaction(1702).await;
    assert_eq!(
        more["flags"],
        json!(64),
        "more passages are visible only to the asker"
    );
    assert_no_mentions(&more);
    assert_within_limits(&more);

    bot.fake.dispatch(
        "INTERACTION_CREATE",
        button_click(1703, "up:1701", 81, Place::Guild),
    );
    let thanks = bot.reply_to_interaction(1703).await;
    assert_eq!(thanks["flags"], json!(64));
    // Who may page and vote, and how often, is decided (and unit-tested) in `discord::decide`.
    let log = std::fs::read_to_string(&bot.feedback_log).unwrap();
    let feedback: Vec<Value> = log
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|entry| entry["kind"] == "feedback")
        .collect();
    assert_eq!(feedback.len(), 1, "{log}");
    assert_eq!(feedback[0]["helpful"], true);
    assert_eq!(feedback[0]["question"], MEMBERS_QUESTION);
    bot.finish().await;
}

/// Every request the bot made about interaction `id` (its callback, edits, follow-ups).
fn requests_for_interaction(fake: &FakeDiscord, id: u64) -> Vec<fake_discord::Recorded> {
    let token = fake_discord::interaction_token(id);
    fake.requests()
        .into_iter()
        .filter(|r| r.path.split('/').any(|segment| segment == token))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_answers_are_deferred_then_edited_in() {
    // A threshold of 0 defers every answer that needs the engine, as a slow one would be.
    let bot = start_bot(DiscordConfig {
        defer_after_ms: 0,
        ..DiscordConfig::default()
    })
    .await;
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        slash_command(
            1701,
            "ask",
            &[("question", MEMBERS_QUESTION)],
            31,
            Place::Guild,
        ),
    );
    let edit_path = format!(
        "/api/v10/webhooks/{APPLICATION_ID}/{}/messages/@original",
        fake_discord::interaction_token(1701)
    );
    assert!(
        bot.fake
            .wait_for(WAIT, |f| f.requests().iter().any(|r| r.path == edit_path))
            .await,
        "no edit of the deferred response; requests: {:#?}",
        bot.fake.requests()
    );
    // "More passages" is private, and so is its deferral (an edit cannot make it private later).
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        button_click(1703, "more:1701", 31, Place::Guild),
    );
    let more_edit = format!(
        "/api/v10/webhooks/{APPLICATION_ID}/{}/messages/@original",
        fake_discord::interaction_token(1703)
    );
    assert!(
        bot.fake
            .wait_for(WAIT, |f| f.requests().iter().any(|r| r.path == more_edit))
            .await,
        "no edit of the deferred More passages"
    );
    let deferral = &callbacks(&bot.fake, 1703)[0];
    assert_eq!(deferral.body["type"], 5);
    assert_eq!(deferral.body["data"]["flags"], 64, "{:?}", deferral.body);
    // Bad input is refused at once and privately, never deferred into a public message.
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        slash_command(1704, "ask", &[("question", "?!*")], 32, Place::Guild),
    );
    let refused = bot.reply_to_interaction(1704).await;
    assert_eq!(refused["flags"], json!(64), "{refused}");
    assert_eq!(
        callbacks(&bot.fake, 1704)[0].body["type"],
        4,
        "not deferred"
    );
    // /help needs no engine and is answered at once, whatever the threshold.
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        slash_command(1702, "help", &[], 31, Place::Guild),
    );
    let help = bot.reply_to_interaction(1702).await;
    assert!(embed_description(&help).contains("/ask"), "{help}");
    assert_eq!(
        callbacks(&bot.fake, 1702)[0].body["type"],
        4,
        "not deferred"
    );

    let fake = bot.stop().await;
    // The deferral first, then one edit, and nothing else: no second callback, no follow-up.
    let requests = requests_for_interaction(&fake, 1701);
    let sent: Vec<(&str, &str)> = requests
        .iter()
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    let callback_path = format!(
        "/api/v10/interactions/1701/{}/callback",
        fake_discord::interaction_token(1701)
    );
    assert_eq!(
        sent,
        [
            ("POST", callback_path.as_str()),
            ("PATCH", edit_path.as_str())
        ],
        "{requests:#?}"
    );
    assert_eq!(requests[0].body["type"], 5, "a deferred channel message");
    assert_eq!(requests[0].status, 204);
    let edit = &requests[1];
    assert_eq!(edit.status, 200);
    assert_eq!(embed_title(&edit.body), "42");
    assert_answers_members(&edit.body);
    assert_no_mentions(&edit.body);
    assert_within_limits(&edit.body);
    assert!(
        !fake
            .requests()
            .iter()
            .any(|r| r.path.ends_with("/messages") && r.method == "POST"),
        "no channel message besides the edit"
    );
    assert_no_surprises(&fake);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_commands_answer() {
    let bot = start_bot(DiscordConfig::default()).await;
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        slash_command(1801, "posts", &[], 91, Place::Guild),
    );
    let posts = bot.reply_to_interaction(1801).await;
    assert!(embed_description(&posts).contains("Indexed"));
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        slash_command(
            1802,
            "search",
            &[("query", "garden members")],
            91,
            Place::Dm,
        ),
    );
    let search = bot.reply_to_interaction(1802).await;
    assert_within_limits(&search);
    assert_no_mentions(&search);
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        slash_command(1803, "help", &[], 91, Place::Dm),
    );
    let help = bot.reply_to_interaction(1803).await;
    assert!(embed_description(&help).contains("/search"));
    bot.finish().await;
}

/// The choices an autocomplete interaction got.
fn autocomplete_choices(fake: &FakeDiscord, id: u64) -> Option<Value> {
    let callback = callbacks(fake, id).into_iter().find(|r| r.status == 204)?;
    assert_eq!(callback.body["type"], 8, "an autocomplete result");
    Some(callback.body["data"]["choices"].clone())
}

const BEES_POST: &str = "---
title: Urban Bees
url: https://example.org/bees
---
The bee club has 9 members and keeps 14 hives on the library roof.
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn post_option_autocompletes_titles_and_limits_the_answer() {
    let bot = start_bot_with(DiscordConfig::default(), &[("bees.md", BEES_POST)]).await;

    // Typing in the post option suggests matching titles; the value sent back is the post's id.
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        autocomplete(
            1901,
            "ask",
            &[("question", "How many members"), ("post", "urb")],
            "post",
            91,
            Place::Guild,
        ),
    );
    let mut choices = None;
    assert!(
        bot.fake
            .wait_for(WAIT, |f| {
                choices = autocomplete_choices(f, 1901);
                choices.is_some()
            })
            .await,
        "no autocomplete result; requests: {:#?}",
        bot.fake.requests()
    );
    assert_eq!(
        choices.unwrap(),
        json!([{ "name": "Urban Bees", "value": "bees.md" }])
    );

    // The same question gets each post's own figure when limited to it.
    let question = "How many members does the club have?";
    for (id, post, figure, title) in [
        (1902, "bees.md", "9", "Urban Bees"),
        (1903, "garden-club.md", "42", "Garden Club"),
    ] {
        bot.fake.dispatch(
            "INTERACTION_CREATE",
            slash_command(
                id,
                "ask",
                &[("question", question), ("post", post)],
                91,
                Place::Guild,
            ),
        );
        let reply = bot.reply_to_interaction(id).await;
        assert_eq!(embed_title(&reply), figure);
        assert!(embed_description(&reply).contains(title), "{reply}");
    }

    // /search stays within the post too.
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        slash_command(
            1904,
            "search",
            &[("query", "club members"), ("post", "bees.md")],
            91,
            Place::Dm,
        ),
    );
    let search = bot.reply_to_interaction(1904).await;
    assert!(
        embed_description(&search).contains("Urban Bees"),
        "{search}"
    );
    assert!(
        !embed_description(&search).contains("Garden Club"),
        "{search}"
    );

    // An unknown post is the member's mistake, explained, not a failure.
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        slash_command(
            1905,
            "ask",
            &[("question", question), ("post", "nope.md")],
            91,
            Place::Dm,
        ),
    );
    let unknown = bot.reply_to_interaction(1905).await;
    let text = format!("{unknown}");
    assert!(text.contains("no post is called"), "{text}");
    assert!(text.contains("bees.md"), "{text}");
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reindex_is_for_server_managers_and_says_what_changed() {
    let bot = start_bot(DiscordConfig::default()).await;
    std::fs::write(
        bot.posts.join("pond.md"),
        "# The Pond\n\nThe pond holds carp and a family of moorhens.\n",
    )
    .unwrap();
    // A member without Manage Server, whatever their client shows, and anyone in a DM.
    for (id, place) in [(1951, Place::Guild), (1952, Place::Dm)] {
        bot.fake.dispatch(
            "INTERACTION_CREATE",
            slash_command(id, "reindex", &[], 61, place),
        );
        let refused = bot.reply_to_interaction(id).await;
        assert!(
            refused["content"]
                .as_str()
                .unwrap()
                .contains("only members who can manage"),
            "{refused}"
        );
        assert_eq!(refused["flags"], 64, "refusals are ephemeral");
    }
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        slash_command(1953, "search", &[("query", "moorhens")], 61, Place::Guild),
    );
    let before = bot.reply_to_interaction(1953).await;
    assert!(!before.to_string().contains("pond.md"), "not indexed yet");

    bot.fake.dispatch(
        "INTERACTION_CREATE",
        slash_command(1954, "reindex", &[], 62, Place::GuildManager),
    );
    let done = bot.reply_to_interaction(1954).await;
    let content = done["content"].as_str().unwrap();
    assert!(content.contains("Added (1): `pond.md`"), "{content}");
    assert!(content.contains("Unchanged: 1."), "{content}");
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        slash_command(1955, "search", &[("query", "moorhens")], 61, Place::Guild),
    );
    let after = bot.reply_to_interaction(1955).await;
    assert!(after.to_string().contains("moorhens"), "{after}");
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_fetches_a_web_source_for_managers_and_reindex_fetches_again() {
    init_logs();
    let blog = crate::fixture_blog::Blog::start();
    let fake = FakeDiscord::start().await;
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("posts");
    std::fs::create_dir(&posts).unwrap();
    std::fs::write(posts.join("garden-club.md"), GARDEN_POST).unwrap();
    let mut config = citebot::Config::default();
    config.posts.dir = posts.clone();
    config.fetch.timeout_ms = 500;
    // The fixture blog is on this machine, which /add refuses by default.
    config.fetch.add_local_addresses = true;
    let web = config.web();
    let (library, _) = Library::open(&posts, AnswerConfig::default(), in_memory()).unwrap();
    let bot = run_bot(
        fake,
        Arc::new(library),
        Some(Arc::new(web)),
        DiscordConfig::default(),
        posts.clone(),
        dir,
    )
    .await;
    let feed = blog.url("/small-feed.xml");

    bot.fake.dispatch(
        "INTERACTION_CREATE",
        slash_command(1961, "add", &[("url", &feed)], 61, Place::Guild),
    );
    let refused = bot.reply_to_interaction(1961).await;
    assert!(
        refused.to_string().contains("only members who can manage"),
        "{refused}"
    );
    assert!(blog.requests().is_empty(), "nothing fetched for a member");

    bot.fake.dispatch(
        "INTERACTION_CREATE",
        slash_command(1962, "add", &[("url", &feed)], 62, Place::GuildManager),
    );
    let added = bot.reply_to_interaction(1962).await;
    let content = added["content"].as_str().unwrap();
    assert!(content.contains("(RSS feed, 2 pages): 2 new."), "{content}");
    assert!(content.contains("Added (2):"), "{content}");
    assert_eq!(added["flags"], 64, "ephemeral");
    let sources = std::fs::read_to_string(posts.join("web/sources.toml")).unwrap();
    assert!(sources.contains(&format!("url = \"{feed}\"")), "{sources}");
    let answer = bot
        .ask(
            1963,
            "How many boats does the boathouse hold?",
            61,
            Place::Guild,
        )
        .await;
    assert!(answer.to_string().contains("23"), "{answer}");
    assert!(
        answer.to_string().contains(&blog.url("/posts/boathouse")),
        "cited with its url: {answer}"
    );

    for (id, url, expected) in [
        (1964, feed.clone(), "is a source already"),
        (
            1965,
            "ftp://files.example/x".to_string(),
            "not an http or https address",
        ),
    ] {
        bot.fake.dispatch(
            "INTERACTION_CREATE",
            slash_command(id, "add", &[("url", &url)], 62, Place::GuildManager),
        );
        let reply = bot.reply_to_interaction(id).await;
        assert!(reply.to_string().contains(expected), "{reply}");
    }

    // /reindex fetches the sources again: an unchanged site costs no page body.
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        slash_command(1966, "reindex", &[], 62, Place::GuildManager),
    );
    let done = bot.reply_to_interaction(1966).await;
    let content = done["content"].as_str().unwrap();
    assert!(
        content.contains("Fetched the web sources: 2 unchanged."),
        "{content}"
    );
    assert_eq!(blog.bodies("/posts/boathouse"), 1);
    assert_eq!(blog.not_modified("/posts/boathouse"), 1);
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_closes_the_gateway_cleanly() {
    let bot = start_bot(DiscordConfig::default()).await;
    // `finish` sends the shutdown signal and asserts: run() returns Ok, close code 1000 seen.
    bot.finish().await;
}

/// A working directory for the `citebot` binary: config and posts, and no `.env`; `discord`
/// holds the `[discord]` settings besides `api_base`.
fn binary_workdir(api_base: &str, discord: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("posts")).unwrap();
    std::fs::write(dir.path().join("posts/garden-club.md"), GARDEN_POST).unwrap();
    let config =
        format!("[posts]\ndir = \"posts\"\n\n[discord]\napi_base = \"{api_base}\"\n{discord}");
    std::fs::write(dir.path().join("citebot.toml"), config).unwrap();
    dir
}

const NO_FEEDBACK_LOG: &str = "feedback_log = \"\"\n";

fn citebot_serve(dir: &std::path::Path) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_citebot"));
    command
        .current_dir(dir)
        .args(["--config", "citebot.toml", "serve"])
        .env_remove("DISCORD_TOKEN")
        .env_remove("DISCORD_API_BASE")
        .env("RUST_LOG", "info");
    command
}

#[test]
fn missing_or_malformed_token_is_a_one_line_error_without_the_token() {
    let dir = binary_workdir("http://127.0.0.1:9", NO_FEEDBACK_LOG);
    let missing = citebot_serve(dir.path()).output().unwrap();
    assert!(!missing.status.success());
    let stderr = String::from_utf8_lossy(&missing.stderr);
    let error_lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(error_lines.len(), 1, "{stderr}");
    assert!(
        error_lines[0].contains("DISCORD_TOKEN") && error_lines[0].contains(".env"),
        "{stderr}"
    );

    let secret = "not-a-token-but-secret";
    let malformed = citebot_serve(dir.path())
        .env("DISCORD_TOKEN", secret)
        .output()
        .unwrap();
    assert!(!malformed.status.success());
    let stderr = String::from_utf8_lossy(&malformed.stderr);
    assert!(stderr.contains("malformed"), "{stderr}");
    assert!(!stderr.contains(secret), "the token leaked: {stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_exits_0_on_sigterm_after_closing_the_gateway() {
    let fake = FakeDiscord::start().await;
    assert!(fetch_gateway_url(&fake.api_base())
        .await
        .starts_with("ws://127.0.0.1:"));
    let dir = binary_workdir("http://127.0.0.1:9", NO_FEEDBACK_LOG); // the environment variable must win
    let mut child = citebot_serve(dir.path())
        .env("DISCORD_TOKEN", fake_discord::TOKEN)
        .env("DISCORD_API_BASE", fake.api_base())
        // A proxy named in the environment (here one that refuses every connection) is not
        // used for an API base on this machine: the bot reaches the fake directly.
        .env("HTTP_PROXY", "http://127.0.0.1:9")
        .env("HTTPS_PROXY", "http://127.0.0.1:9")
        .env("ALL_PROXY", "http://127.0.0.1:9")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let registered = fake.wait_for(WAIT, |f| registrations(f).len() == 1).await;
    if !registered {
        let _ = child.kill();
        let output = child.wait_with_output().unwrap();
        panic!(
            "serve never registered: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // A failing callback is logged with the request that failed; the next one is answered.
    fake.fail_next_callbacks(&[500]);
    fake.dispatch(
        "INTERACTION_CREATE",
        slash_command(1900, "help", &[], 5, Place::Guild),
    );
    assert!(
        fake.wait_for(WAIT, |f| callbacks(f, 1900).iter().any(|r| r.status == 500))
            .await
    );
    fake.dispatch(
        "INTERACTION_CREATE",
        slash_command(1901, "ask", &[("question", MEMBERS_QUESTION)], 5, Place::Dm),
    );
    assert!(
        fake.wait_for(WAIT, |f| interaction_reply(f, 1901).is_some())
            .await
    );

    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr
            .lines()
            .any(|l| l.contains("POST interaction callback") && l.contains("1900")),
        "the failed request is not in the log: {stderr}"
    );
    assert!(
        output.status.success(),
        "exit status {:?}: {stderr}",
        output.status
    );
    assert!(
        fake.gateway_log().client_close_codes.contains(&1000),
        "{:?}",
        fake.gateway_log()
    );
    assert!(
        !stderr.contains(fake_discord::TOKEN),
        "the token leaked into the log"
    );
    assert!(
        !stderr.contains("GfAkEd"),
        "part of the token leaked into the log"
    );
    assert_no_surprises(&fake);
}

/// How long a `citebot serve` process may take to exit after SIGTERM before a test fails: it
/// must exit "within a few seconds" (bounded by its own shutdown timeouts, about 4.5 s at
/// worst), with room for a loaded two-core machine; before the fix it never did.
const STOP_WAIT: Duration = Duration::from_secs(10);

/// A `citebot serve` process in its own working directory, with its own log file.
struct ServeProcess {
    child: std::process::Child,
    dir: tempfile::TempDir,
}

impl ServeProcess {
    /// Starts `citebot serve` in `dir` (see [`binary_workdir`]) with the fake's token.
    fn spawn_in(dir: tempfile::TempDir) -> ServeProcess {
        ServeProcess::spawn_logging(dir, "info")
    }

    /// Like [`ServeProcess::spawn_in`], with `RUST_LOG` set to `filter`.
    fn spawn_logging(dir: tempfile::TempDir, filter: &str) -> ServeProcess {
        // A file, not a pipe: nobody reads the log while the process runs, and a full pipe
        // would block it.
        let stderr = std::fs::File::create(dir.path().join("stderr.log")).unwrap();
        let child = citebot_serve(dir.path())
            .env("DISCORD_TOKEN", fake_discord::TOKEN)
            .env("RUST_LOG", filter)
            .stderr(stderr)
            .spawn()
            .unwrap();
        ServeProcess { child, dir }
    }

    /// Starts a process running one shard of a two-shard bot, with its own feedback log.
    fn shard(fake: &FakeDiscord, shard: u32) -> ServeProcess {
        let settings = format!(
            "feedback_log = \"feedback.jsonl\"\nshards = {{ total = 2, range = [{shard}, {shard}] }}\n"
        );
        ServeProcess::spawn_in(binary_workdir(&fake.api_base(), &settings))
    }

    fn feedback_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("feedback.jsonl")).unwrap_or_default()
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("stderr.log")).unwrap_or_default()
    }

    /// Waits until a line of the log contains all of `parts`; false if none did within `WAIT`
    /// or the process exited.
    async fn wait_for_log(&mut self, parts: &[&str]) -> bool {
        let deadline = std::time::Instant::now() + WAIT;
        while std::time::Instant::now() < deadline {
            if self.log_lines(parts).next().is_some() {
                return true;
            }
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        false
    }

    /// The lines of the log so far that contain all of `parts`.
    fn log_lines(&self, parts: &[&str]) -> impl Iterator<Item = String> {
        let parts: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
        self.stderr()
            .lines()
            .filter(|line| parts.iter().all(|p| line.contains(p.as_str())))
            .map(str::to_string)
            .collect::<Vec<_>>()
            .into_iter()
    }

    /// Sends SIGTERM and waits for the exit status, at most [`STOP_WAIT`] (then the test fails).
    async fn terminate(self) -> (std::process::ExitStatus, String) {
        self.stop("TERM").await
    }

    /// Sends SIG`signal` ("TERM", "INT") and waits for the exit status, at most [`STOP_WAIT`]
    /// (then the test fails).
    async fn stop(mut self, signal: &str) -> (std::process::ExitStatus, String) {
        let status = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = std::time::Instant::now() + STOP_WAIT;
        loop {
            if let Some(exited) = self.child.try_wait().unwrap() {
                return (exited, self.stderr());
            }
            assert!(
                std::time::Instant::now() < deadline,
                "still running {STOP_WAIT:?} after SIG{signal}; log: {}",
                self.stderr()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        // A failed assertion must not leave the process running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Waits for the `count`th identify on the fake, or panics with the processes' logs.
async fn wait_for_identifies(fake: &FakeDiscord, count: usize, processes: &[&ServeProcess]) {
    let identified = fake
        .wait_for(WAIT, |f| f.gateway_log().identifies.len() >= count)
        .await;
    let logs: Vec<String> = processes.iter().map(|p| p.stderr()).collect();
    assert!(
        identified,
        "{count} identifies expected: {:?}; logs: {logs:#?}",
        fake.gateway_log()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_shard_processes_each_identify_and_answer_only_their_own_events() {
    let fake = FakeDiscord::start_with_shards(2).await;
    assert!(fetch_gateway_url(&fake.api_base())
        .await
        .starts_with("ws://127.0.0.1:"));

    // Started one after the other, so the n-th identify is the n-th process's.
    let first = ServeProcess::shard(&fake, 0);
    wait_for_identifies(&fake, 1, &[&first]).await;
    let second = ServeProcess::shard(&fake, 1);
    wait_for_identifies(&fake, 2, &[&first, &second]).await;
    let identifies = fake.gateway_log().identifies;
    assert_eq!(identifies.len(), 2, "one identify per process");
    assert_eq!(identifies[0]["shard"], json!([0, 2]), "first process");
    assert_eq!(identifies[1]["shard"], json!([1, 2]), "second process");

    // A guild on each shard (Discord routes a guild to shard (id >> 22) % total).
    let guild_a = GUILD_ID;
    let guild_b = GUILD_ID + (1 << 22);
    let shard_of = |guild: u64| ((guild >> 22) % 2) as usize;
    assert_ne!(shard_of(guild_a), shard_of(guild_b));
    // Questions the posts do not cover, so each lands in the feedback log of the process that
    // answered it.
    let question = |guild: u64| format!("Which composer wrote the opera of guild {guild}?");
    let asks = [(2001, guild_a), (2002, guild_b)];
    for (id, guild) in asks {
        let mut ask = slash_command(
            id,
            "ask",
            &[("question", &question(guild))],
            71,
            Place::Guild,
        );
        ask["guild_id"] = json!(guild.to_string());
        fake.dispatch("INTERACTION_CREATE", ask);
    }
    for (id, _) in asks {
        assert!(
            fake.wait_for(WAIT, |f| interaction_reply(f, id).is_some())
                .await,
            "interaction {id} answered; requests: {:#?}; logs: {}\n{}",
            fake.requests(),
            first.stderr(),
            second.stderr()
        );
    }
    // The command set is the bot's: registered once, by shard 0.
    assert_eq!(registrations(&fake).len(), 1);

    let (first_log, second_log) = (first.feedback_log(), second.feedback_log());
    for (status, stderr) in [first.terminate().await, second.terminate().await] {
        assert!(status.success(), "exit status {status:?}: {stderr}");
        assert!(!stderr.contains("GfAkEd"), "the token leaked: {stderr}");
    }
    let closes = fake.gateway_log().client_close_codes;
    assert_eq!(closes, [1000, 1000], "both close the gateway cleanly");

    // With both processes gone, nothing more can arrive: each question was answered once, by
    // the process serving its guild's shard.
    for (id, _) in asks {
        assert_eq!(
            callbacks(&fake, id).len(),
            1,
            "interaction {id} answered once"
        );
    }
    for (log, shard) in [(&first_log, 0), (&second_log, 1)] {
        for (_, guild) in asks {
            assert_eq!(
                log.contains(&question(guild)),
                shard_of(guild) == shard,
                "shard {shard}'s feedback log: {log}"
            );
        }
    }
    assert_no_surprises(&fake);
}

/// Polls `condition` until it holds or `WAIT` passes; returns whether it held.
async fn wait_until(mut condition: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + WAIT;
    while !condition() {
        if std::time::Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    true
}

/// Asserts a `serve` process exited with status 0 and wrote no error.
fn assert_clean_exit(status: std::process::ExitStatus, log: &str) {
    assert!(status.success(), "exit status {status:?}: {log}");
    assert!(
        !log.lines()
            .any(|l| l.contains("ERROR") || l.starts_with("error")),
        "{log}"
    );
    assert!(!log.contains("GfAkEd"), "the token leaked: {log}");
}

/// The warnings in a log that say Discord is out of reach (the debug lines for each attempt
/// are not counted).
fn outage_warnings(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains(" WARN ") && l.contains("unreachable"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_that_refuses_connections_is_retried_less_and_less_often_and_sigterm_stops_it() {
    let gateway = refusing_url("ws", "/gateway");
    let fake = FakeDiscord::start_handing_out(&gateway).await;
    // Every attempt is logged at debug level, so the waits between them can be read.
    let mut bot = ServeProcess::spawn_logging(
        binary_workdir(&fake.api_base(), NO_FEEDBACK_LOG),
        "info,citebot_discord::outage=debug",
    );
    let tried = format!("cannot open the gateway {gateway}?v=10");
    assert!(
        bot.wait_for_log(&["Discord is unreachable", &tried, "Connection refused"])
            .await,
        "{}",
        bot.stderr()
    );
    // Retrying: 1 s, then 2 s, then 4 s between attempts.
    assert!(
        bot.wait_for_log(&["unreachable", "trying again in 4 s"])
            .await,
        "{}",
        bot.stderr()
    );
    let (status, log) = bot.terminate().await;
    assert_clean_exit(status, &log);
    let waits: Vec<&str> = log
        .lines()
        .filter(|l| l.contains(&tried))
        .filter_map(|l| l.split("trying again in ").nth(1))
        .map(|rest| rest.split([',', ';']).next().unwrap())
        .collect();
    assert_eq!(waits[..3], ["1 s", "2 s", "4 s"], "{log}");
    // Said plainly once (reminders come at growing intervals, the first after 30 s).
    let warnings = outage_warnings(&log);
    assert_eq!(warnings.len(), 1, "{log}");
    assert!(
        warnings[0].contains(&tried) && warnings[0].contains("Connection refused"),
        "{log}"
    );
    assert!(log.contains("shutting down"), "{log}");
    assert_no_surprises(&fake);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_that_never_answers_times_out_and_is_retried_and_sigterm_stops_it() {
    let silent = SilentServer::start().await;
    let fake = FakeDiscord::start_handing_out(&silent.gateway_url()).await;
    let mut bot = ServeProcess::spawn_in(binary_workdir(&fake.api_base(), NO_FEEDBACK_LOG));
    let tried = format!("cannot open the gateway {}?v=10", silent.gateway_url());
    assert!(
        bot.wait_for_log(&["Discord is unreachable", &tried, "no answer within 10 s"])
            .await,
        "{}",
        bot.stderr()
    );
    // Connecting again: the next attempt is waiting for an answer when the signal comes.
    let retried = wait_until(|| silent.accepted() >= 2).await;
    assert!(retried, "no second attempt: {}", bot.stderr());
    let (status, log) = bot.terminate().await;
    assert_clean_exit(status, &log);
    assert_eq!(outage_warnings(&log).len(), 1, "{log}");
    assert_no_surprises(&fake);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_lookup_refused_or_unanswered_is_retried_and_ctrl_c_or_sigterm_stops_it() {
    let api = refusing_url("http", "");
    let mut bot = ServeProcess::spawn_in(binary_workdir(&api, NO_FEEDBACK_LOG));
    let tried = format!("GET {api}/api/v10/gateway");
    assert!(
        bot.wait_for_log(&["Discord is unreachable", &tried, "Connection refused"])
            .await,
        "{}",
        bot.stderr()
    );
    // Ctrl-C in a terminal.
    let (status, log) = bot.stop("INT").await;
    assert_clean_exit(status, &log);
    assert!(log.contains("SIGINT received"), "{log}");
    assert!(
        log.contains("shutting down before reaching Discord"),
        "{log}"
    );

    let silent = SilentServer::start().await;
    let mut bot = ServeProcess::spawn_in(binary_workdir(&silent.api_base(), NO_FEEDBACK_LOG));
    // The lookup waits for an answer that never comes, gives up on it, and tries again.
    let tried = format!("GET {}/api/v10/gateway", silent.api_base());
    assert!(
        bot.wait_for_log(&["Discord is unreachable", &tried, "no answer within 10 s"])
            .await,
        "{}",
        bot.stderr()
    );
    let retried = wait_until(|| silent.accepted() >= 2).await;
    assert!(retried, "no second attempt: {}", bot.stderr());
    let (status, log) = bot.terminate().await;
    assert_clean_exit(status, &log);
    assert!(
        log.contains("shutting down before reaching Discord"),
        "{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_serve_while_it_resumes_a_gateway_that_went_away() {
    let fake = FakeDiscord::start().await;
    let mut bot = ServeProcess::spawn_in(binary_workdir(&fake.api_base(), NO_FEEDBACK_LOG));
    assert!(
        fake.wait_for(WAIT, |f| registrations(f).len() == 1).await,
        "serve never registered: {}",
        bot.stderr()
    );
    fake.set_gateway_down(true);
    assert!(
        bot.wait_for_log(&[
            "Discord is unreachable",
            &format!("cannot open the gateway {}?v=10", fake.gateway_url()),
            "503 Service Unavailable"
        ])
        .await,
        "{}",
        bot.stderr()
    );
    let (status, log) = bot.terminate().await;
    assert_clean_exit(status, &log);
    assert_eq!(outage_warnings(&log).len(), 1, "{log}");
    assert_no_surprises(&fake);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_serve_while_it_loads_the_posts() {
    let api = refusing_url("http", "");
    let index = format!("{NO_FEEDBACK_LOG}\n[index]\ndir = \"index\"\non_disk_from = 0\n");
    let dir = binary_workdir(&api, &index);
    let built = std::process::Command::new(env!("CARGO_BIN_EXE_citebot"))
        .current_dir(dir.path())
        .args(["--config", "citebot.toml", "index"])
        .output()
        .unwrap();
    assert!(built.status.success(), "{built:?}");
    // Another citebot process holds the index: loading waits for it.
    let lock = std::fs::File::options()
        .write(true)
        .open(dir.path().join("index/update.lock"))
        .unwrap();
    lock.lock().unwrap();
    let mut bot = ServeProcess::spawn_in(dir);
    assert!(
        bot.wait_for_log(&["waiting: another citebot process is using the index"])
            .await,
        "{}",
        bot.stderr()
    );
    let (status, log) = bot.terminate().await;
    assert_clean_exit(status, &log);
    assert!(
        log.contains("shutting down while loading the posts"),
        "{log}"
    );
    drop(lock);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_serve_while_it_fetches_the_web_sources_first() {
    let blog = crate::fixture_blog::Blog::start();
    let api = refusing_url("http", "");
    // A page that never finishes, with a timeout far beyond the test's patience: the first
    // fetch is still waiting for it when the signal comes.
    let settings = format!(
        "{NO_FEEDBACK_LOG}\n[fetch]\ntimeout_ms = 600000\n\n[[web]]\nurl = \"{}\"\n",
        blog.url("/posts/slow")
    );
    let bot = ServeProcess::spawn_in(binary_workdir(&api, &settings));
    assert!(
        wait_until(|| blog.requests_for("/posts/slow") == 1).await,
        "the page was never asked for: {}",
        bot.stderr()
    );
    let (status, log) = bot.terminate().await;
    assert_clean_exit(status, &log);
    assert!(
        log.contains("shutting down while fetching the web sources"),
        "{log}"
    );
    assert!(!log.contains("Discord is unreachable"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_resumes_when_the_gateway_comes_back_and_answers_what_was_asked_meanwhile() {
    let bot = start_bot(DiscordConfig::default()).await;
    bot.ask(2101, MEMBERS_QUESTION, 81, Place::Guild).await;

    bot.fake.set_gateway_down(true);
    // Tried, refused, tried again after a wait.
    assert!(
        bot.fake
            .wait_for(WAIT, |f| f.gateway_log().refused_while_down >= 2)
            .await,
        "{:?}",
        bot.fake.gateway_log()
    );
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        slash_command(
            2102,
            "ask",
            &[("question", MEMBERS_QUESTION)],
            82,
            Place::Dm,
        ),
    );
    bot.fake.set_gateway_down(false);
    assert!(
        bot.fake
            .wait_for(WAIT, |f| f.gateway_log().resumes.len() == 1)
            .await,
        "no resume once the gateway was back: {:?}",
        bot.fake.gateway_log()
    );
    assert_answers_members(&bot.reply_to_interaction(2102).await);
    assert_eq!(
        bot.fake.gateway_log().identifies.len(),
        1,
        "resumed, not re-identified"
    );
    assert_answers_members(&bot.ask(2103, MEMBERS_QUESTION, 83, Place::Guild).await);
    bot.finish().await;
}

/// Members the soak's questions come from: enough that nobody reaches the cooldown (each asks
/// twice per pass over the pool), few enough that the cooldown remembers them all.
const SOAK_MEMBERS: u64 = 5_000;
/// Interactions dispatched at once before the soak waits for their replies.
const SOAK_BATCH: usize = 100;
/// The soak samples the bot's resident memory after every this many interactions.
const SOAK_SAMPLE_EVERY: usize = 1_000;
/// The long soak's warm-up: enough interactions to fill what the bot keeps in bounded memory,
/// the 10,000 questions its buttons can refer to (half the soak's interactions are questions)
/// and the cooldown's [`SOAK_MEMBERS`]; its memory grows until then, by design.
const SOAK_WARM_UP: usize = 20_000;
/// First id of the soak's interactions and messages.
const SOAK_FIRST_ID: u64 = 5_000_000;

/// What a soak measured.
struct SoakReport {
    /// Interactions of the warm-up, then measured.
    warm_up: usize,
    measured: usize,
    seconds: f64,
    /// (interactions answered, the bot's resident memory in KiB).
    rss_kib: Vec<(usize, u64)>,
}

/// The resident memory of process `pid`, in KiB, from /proc.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .expect("VmRSS in /proc/<pid>/status");
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// The soak's `index`th interaction, in cycles of ten that mix what members do: /ask in a server
/// and in a DM (covered, uncovered, limited to a post), /search, "More passages" and 👍 on the
/// cycle's first answer (by its asker), a DM, a mention, /help and an autocomplete. Returns the
/// event, its payload, and whether its reply is a message (else an interaction callback).
fn soak_event(index: usize) -> (&'static str, Value, bool) {
    let id = SOAK_FIRST_ID + index as u64;
    let cycle_start = index - index % 10;
    // Stepping through the pool by a number prime to its size spreads each member's turns.
    let member = |i: usize| 10 + (i as u64 * 7919) % SOAK_MEMBERS;
    let asker = member(cycle_start);
    let first_answer = SOAK_FIRST_ID + cycle_start as u64;
    let user = member(index);
    let ask = |question: &str, place, user| {
        slash_command(id, "ask", &[("question", question)], user, place)
    };
    let mention = format!("<@{}> {MEMBERS_QUESTION}", fake_discord::BOT_USER_ID);
    match index % 10 {
        0 => (
            "INTERACTION_CREATE",
            ask(MEMBERS_QUESTION, Place::Guild, asker),
            false,
        ),
        1 => (
            "INTERACTION_CREATE",
            ask("Which composer wrote the opera?", Place::Dm, user),
            false,
        ),
        2 => (
            "INTERACTION_CREATE",
            slash_command(id, "search", &[("query", "club meets")], user, Place::Guild),
            false,
        ),
        3 => (
            "INTERACTION_CREATE",
            button_click(id, &format!("more:{first_answer}"), asker, Place::Guild),
            false,
        ),
        4 => (
            "INTERACTION_CREATE",
            button_click(id, &format!("up:{first_answer}"), user, Place::Guild),
            false,
        ),
        5 => (
            "MESSAGE_CREATE",
            message_create(id, "When does the club meet?", user, Place::Dm, false),
            true,
        ),
        6 => (
            "MESSAGE_CREATE",
            message_create(id, &mention, user, Place::Guild, true),
            true,
        ),
        7 => (
            "INTERACTION_CREATE",
            slash_command(
                id,
                "ask",
                &[("question", MEMBERS_QUESTION), ("post", "garden-club.md")],
                user,
                Place::Dm,
            ),
            false,
        ),
        8 => (
            "INTERACTION_CREATE",
            slash_command(id, "help", &[], user, Place::Guild),
            false,
        ),
        _ => (
            "INTERACTION_CREATE",
            autocomplete(
                id,
                "ask",
                &[("question", "How many"), ("post", "gar")],
                "post",
                user,
                Place::Guild,
            ),
            false,
        ),
    }
}

/// Replies the fake has seen, per interaction or message id.
#[derive(Default)]
struct Replies {
    /// Requests read so far.
    read: usize,
    /// Interaction callbacks (and whether the callback deferred the answer).
    callbacks: std::collections::HashMap<u64, Vec<bool>>,
    /// Edits of an interaction's original response (after a deferral).
    edits: std::collections::HashMap<u64, usize>,
    /// Messages replying to a message.
    messages: std::collections::HashMap<u64, usize>,
}

impl Replies {
    /// Reads the requests that reached the fake since the last call.
    fn update(&mut self, fake: &FakeDiscord) {
        let new = fake.requests_from(self.read);
        self.read += new.len();
        let token_id = |token: &str| token.strip_prefix("itoken").and_then(|t| t.parse().ok());
        for request in new {
            let segments: Vec<&str> = request.path.trim_start_matches('/').split('/').collect();
            match (request.method.as_str(), segments.as_slice()) {
                ("POST", ["api", "v10", "interactions", id, _, "callback"])
                    if (200..300).contains(&request.status) =>
                {
                    let deferred = matches!(request.body["type"].as_u64(), Some(5 | 6));
                    let id = id.parse().unwrap();
                    self.callbacks.entry(id).or_default().push(deferred);
                }
                ("PATCH", ["api", "v10", "webhooks", _, token, "messages", "@original"]) => {
                    if let Some(id) = token_id(token) {
                        *self.edits.entry(id).or_default() += 1;
                    }
                }
                ("POST", ["api", "v10", "channels", _, "messages"]) => {
                    if let Some(id) = request.body["message_reference"]["message_id"]
                        .as_str()
                        .and_then(|id| id.parse().ok())
                    {
                        *self.messages.entry(id).or_default() += 1;
                    }
                }
                _ => {}
            }
        }
    }

    /// How many replies interaction or message `id` got; a deferred interaction counts once
    /// its answer is edited in.
    fn count(&self, id: u64, is_message: bool) -> usize {
        if is_message {
            return self.messages.get(&id).copied().unwrap_or(0);
        }
        match self.callbacks.get(&id).map(Vec::as_slice) {
            None | Some([]) => 0,
            Some([true]) => self.edits.get(&id).copied().unwrap_or(0),
            Some(callbacks) => callbacks.len() + self.edits.get(&id).copied().unwrap_or(0),
        }
    }
}

/// Runs `citebot serve` (the binary, default settings) against the fake for `warm_up` and then
/// `measured` interactions in batches of [`SOAK_BATCH`], asserting each got exactly one reply,
/// and samples its memory along the way.
async fn soak(warm_up: usize, measured: usize) -> SoakReport {
    let total = warm_up + measured;
    let fake = FakeDiscord::start().await;
    assert!(fake.gateway_url().starts_with("ws://127.0.0.1:"));
    let settings = "feedback_log = \"feedback.jsonl\"\n";
    let bot = ServeProcess::spawn_logging(binary_workdir(&fake.api_base(), settings), "warn");
    assert!(
        fake.wait_for(WAIT, |f| registrations(f).len() == 1).await,
        "serve never registered: {}",
        bot.stderr()
    );
    let pid = bot.child.id();
    let mut replies = Replies::default();
    let mut rss = vec![(0, rss_kib(pid))];
    let started = std::time::Instant::now();
    for batch in (0..total).step_by(SOAK_BATCH) {
        let batch = batch..(batch + SOAK_BATCH).min(total);
        let mut waiting: Vec<(u64, bool)> = Vec::new();
        for index in batch.clone() {
            let (event, payload, is_message) = soak_event(index);
            fake.dispatch(event, payload);
            waiting.push((SOAK_FIRST_ID + index as u64, is_message));
        }
        let answered = wait_until(|| {
            replies.update(&fake);
            waiting.retain(|&(id, is_message)| replies.count(id, is_message) == 0);
            waiting.is_empty()
        })
        .await;
        assert!(
            answered,
            "no reply to {} of interactions {batch:?}, e.g. {:?}; log: {}",
            waiting.len(),
            &waiting[..waiting.len().min(5)],
            bot.stderr()
        );
        if batch.end % SOAK_SAMPLE_EVERY == 0 || batch.end == total || batch.end == warm_up {
            rss.push((batch.end, rss_kib(pid)));
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    // A doubled reply would come late: give it time to arrive before counting.
    tokio::time::sleep(Duration::from_secs(1)).await;
    replies.update(&fake);
    let doubled: Vec<u64> = (0..total)
        .map(|index| (SOAK_FIRST_ID + index as u64, soak_event(index).2))
        .filter(|&(id, is_message)| replies.count(id, is_message) != 1)
        .map(|(id, _)| id)
        .collect();
    assert!(doubled.is_empty(), "not exactly one reply: {doubled:?}");
    let (status, log) = bot.terminate().await;
    assert_clean_exit(status, &log);
    assert_no_surprises(&fake);
    SoakReport {
        warm_up,
        measured,
        seconds,
        rss_kib: rss,
    }
}

impl SoakReport {
    /// Growth of resident memory from the end of the warm-up to the highest later sample.
    fn growth_after_warm_up(&self) -> f64 {
        let after: Vec<u64> = self
            .rss_kib
            .iter()
            .filter(|(at, _)| *at >= self.warm_up)
            .map(|(_, kib)| *kib)
            .collect();
        let (warm, highest) = (after[0], *after.iter().max().unwrap());
        (highest as f64 - warm as f64) / warm as f64
    }

    fn print(&self) {
        let total = self.warm_up + self.measured;
        println!(
            "soak: {} + {} interactions in {:.1} s ({:.0}/s), each answered once; resident memory (KiB) after n:",
            self.warm_up,
            self.measured,
            self.seconds,
            total as f64 / self.seconds
        );
        for (at, kib) in &self.rss_kib {
            println!("  {at:>6}  {kib}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_soak_gets_exactly_one_reply_per_interaction() {
    soak(0, 300).await.print();
}

/// The soak of docs/discord.md: `cargo test --release --test integration soak -- --ignored
/// --nocapture` (a minute or two; the memory figures are the bot's, a separate process).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a long run; see docs/discord.md"]
async fn soak_of_10_000_interactions_after_a_warm_up_keeps_memory_flat() {
    let report = soak(SOAK_WARM_UP, 10_000).await;
    report.print();
    let growth = report.growth_after_warm_up();
    println!(
        "growth over the 10,000 after the warm-up: {:.1} %",
        growth * 100.0
    );
    assert!(growth < 0.10, "memory grew {:.1} %", growth * 100.0);
}

#[path = "community.rs"]
mod community;
