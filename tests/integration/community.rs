//! Where communities ask, against the fake Discord: answer channels (and the Message Content
//! intent they need), with the rules that keep the bot quiet when a message is not for it.

use super::*;
use fake_discord::{
    guild_message, message_json, thread_message, user_json, ANSWER_CHANNEL_ID, BOT_USER_ID,
};

/// GUILDS | GUILD_MESSAGES | DIRECT_MESSAGES | MESSAGE_CONTENT.
const INTENTS_WITH_MESSAGE_CONTENT: u64 = 1 | 512 | 4096 | 32768;

fn answer_channel_settings() -> DiscordConfig {
    DiscordConfig {
        answer_channels: vec![ANSWER_CHANNEL_ID],
        cooldown_questions: 0,
        ..DiscordConfig::default()
    }
}

/// Counts the bot's replies to each of `ids`.
fn replies_to(fake: &FakeDiscord, ids: &[u64]) -> Vec<(u64, bool)> {
    ids.iter()
        .map(|&id| (id, message_reply(fake, id).is_some()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answer_channel_messages_are_answered_and_messages_not_for_the_bot_are_left_alone() {
    let bot = start_bot(answer_channel_settings()).await;
    assert_eq!(
        bot.fake.gateway_log().identifies[0]["intents"],
        json!(INTENTS_WITH_MESSAGE_CONTENT)
    );

    // Elsewhere in the server: none of the bot's business.
    let elsewhere = guild_message(3001, MEMBERS_QUESTION, 31, GUILD_CHANNEL_ID);
    // Another bot, and the bot itself.
    let mut other_bot = guild_message(3002, MEMBERS_QUESTION, 32, ANSWER_CHANNEL_ID);
    other_bot["author"]["bot"] = json!(true);
    let mut itself = guild_message(3003, MEMBERS_QUESTION, BOT_USER_ID, ANSWER_CHANNEL_ID);
    itself["author"] = user_json(BOT_USER_ID, "citebot");
    itself["author"]["bot"] = json!(true);
    // A message that mentions only another member, and a reply to another member.
    let mut for_someone = guild_message(
        3004,
        &format!("<@555> {MEMBERS_QUESTION}"),
        33,
        ANSWER_CHANNEL_ID,
    );
    for_someone["mentions"] = json!([user_json(555, "friend")]);
    let mut reply_to_member = guild_message(3005, MEMBERS_QUESTION, 34, ANSWER_CHANNEL_ID);
    let replied = message_json(
        2999,
        ANSWER_CHANNEL_ID,
        &user_json(35, "member35"),
        "hi all",
    );
    reply_to_member["type"] = json!(19);
    reply_to_member["message_reference"] =
        json!({ "message_id": "2999", "channel_id": ANSWER_CHANNEL_ID.to_string() });
    reply_to_member["referenced_message"] = replied;
    // A system notice (a pinned message).
    let mut notice = guild_message(3006, "", 36, ANSWER_CHANNEL_ID);
    notice["type"] = json!(6);
    let ignored = [
        elsewhere,
        other_bot,
        itself,
        for_someone,
        reply_to_member,
        notice,
    ];
    // Each must reach the handler (a fixture serenity cannot read would be ignored for the wrong
    // reason).
    for message in &ignored {
        serde_json::from_value::<serenity::model::channel::Message>(message.clone())
            .unwrap_or_else(|err| panic!("{err}: {message}"));
    }
    for message in &ignored {
        bot.fake.dispatch("MESSAGE_CREATE", message.clone());
    }
    // A member's question in the answer channel, without any mention.
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        guild_message(3007, MEMBERS_QUESTION, 37, ANSWER_CHANNEL_ID),
    );
    let answer = bot.reply_to_message(3007).await;
    assert_within_limits(&answer);
    assert_no_mentions(&answer);
    let answered_in = bot
        .fake
        .requests()
        .into_iter()
        .find(|r| r.body["message_reference"]["message_id"] == json!("3007"))
        .unwrap()
        .path;
    assert_eq!(
        answered_in,
        format!("/api/v10/channels/{ANSWER_CHANNEL_ID}/messages")
    );
    // A mention elsewhere is still answered, with the privileged intent on.
    let mention = format!("<@{BOT_USER_ID}> {MEMBERS_QUESTION}");
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        message_create(3008, &mention, 38, Place::Guild, true),
    );
    bot.reply_to_message(3008).await;

    let ids = [3001, 3002, 3003, 3004, 3005, 3006];
    assert_eq!(
        replies_to(&bot.fake, &ids),
        ids.map(|id| (id, false)).to_vec(),
        "only questions for the bot are answered"
    );
    bot.finish().await;
    assert_answers_members(&answer);
}

/// Every MESSAGE_CREATE handler has had time to finish: the fake saw no request for a moment.
fn callbacks_settled(fake: &FakeDiscord) -> bool {
    fake.requests()
        .last()
        .is_some_and(|r| r.at.elapsed() > Duration::from_millis(500))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_message_content_intent_stops_serve_with_a_clear_error() {
    init_logs();
    let fake = FakeDiscord::start_refusing_privileged_intents().await;
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("posts");
    std::fs::create_dir(&posts).unwrap();
    std::fs::write(posts.join("garden-club.md"), GARDEN_POST).unwrap();
    let (library, _) = Library::open(&posts, AnswerConfig::default(), in_memory()).unwrap();
    let token = Token::parse(fake_discord::TOKEN).unwrap();
    let settings = DiscordConfig {
        feedback_log: PathBuf::new(),
        ..answer_channel_settings()
    };
    let api_base = fake.api_base();
    let run = citebot_discord::run(
        &token,
        &api_base,
        settings,
        Arc::new(library),
        None,
        std::future::pending(),
    );
    let error = tokio::time::timeout(WAIT, run)
        .await
        .expect("serve must stop when Discord refuses the intent")
        .expect_err("a refused intent is an error")
        .to_string();
    for part in [
        "4014",
        "Message Content",
        "Developer Portal",
        "discord.answer_channels",
    ] {
        assert!(error.contains(part), "{part} missing from: {error}");
    }
    assert!(!error.contains('\n'), "one line: {error}");
    let log = fake.gateway_log();
    assert_eq!(log.identifies.len(), 1, "no retry after a refusal");
    assert_eq!(
        log.identifies[0]["intents"],
        json!(INTENTS_WITH_MESSAGE_CONTENT)
    );
    assert!(registrations(&fake).is_empty());
    assert_no_surprises(&fake);

    // The same Discord accepts the bot without answer channels: no privileged intent asked for.
    let (library, _) = Library::open(&posts, AnswerConfig::default(), in_memory()).unwrap();
    let bot = run_bot(
        fake,
        Arc::new(library),
        None,
        DiscordConfig::default(),
        posts,
        dir,
    )
    .await;
    assert_eq!(
        bot.fake.gateway_log().identifies[1]["intents"],
        json!(1 | 512 | 4096)
    );
    bot.finish().await;
}

/// A thread in the fixture guild's channel.
const THREAD_ID: u64 = 870_000_000_000_000_001;

/// The bot's reply to message `question`, as a member replying to it sees it.
fn reply_to_bot(id: u64, content: &str, user: u64, channel: u64, question: u64) -> Value {
    let mut message = guild_message(id, content, user, channel);
    let answer = fake_discord::reply_id(question);
    message["type"] = json!(19);
    message["message_reference"] =
        json!({ "message_id": answer.to_string(), "channel_id": channel.to_string() });
    message["referenced_message"] =
        message_json(answer, channel, &fake_discord::bot_user_json(), "");
    message
}

fn mention(question: &str) -> String {
    format!("<@{BOT_USER_ID}> {question}")
}

fn cites(reply: &Value, title: &str) -> bool {
    embed_description(reply).contains(&format!("[{title}]"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_to_an_answer_and_messages_in_its_thread_are_follow_ups_on_the_same_post() {
    use crate::followup::{AGREEMENTS_QUESTION, ALLIANCE_POST, COUNTRIES_FOLLOW_UP, TRAVEL_POST};
    let settings = DiscordConfig {
        cooldown_questions: 0,
        ..DiscordConfig::default()
    };
    let posts = [("alliance.md", ALLIANCE_POST), ("travel.md", TRAVEL_POST)];
    let bot = start_bot_with(settings, &posts).await;
    let (alliance, travel) = ("Northern Trade Alliance", "Travel Society");

    // A reply to the bot's answer, without a mention: a follow-up on the alliance's post.
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        message_create(3301, &mention(AGREEMENTS_QUESTION), 51, Place::Guild, true),
    );
    assert!(cites(&bot.reply_to_message(3301).await, alliance));
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        reply_to_bot(3302, COUNTRIES_FOLLOW_UP, 51, GUILD_CHANNEL_ID, 3301),
    );
    let follow_up = bot.reply_to_message(3302).await;
    assert!(cites(&follow_up, alliance), "{follow_up}");
    assert!(embed_description(&follow_up).contains("23"), "{follow_up}");
    assert_no_mentions(&follow_up);
    // A follow-up to the follow-up keeps the conversation going.
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        reply_to_bot(3303, "and how many cities?", 51, GUILD_CHANNEL_ID, 3302),
    );
    assert!(cites(&bot.reply_to_message(3303).await, alliance));
    // The same words asked afresh are about the travel society's countries.
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        message_create(3304, &mention(COUNTRIES_FOLLOW_UP), 52, Place::Guild, true),
    );
    assert!(cites(&bot.reply_to_message(3304).await, travel));

    // In a thread the bot answered in, members' messages are follow-ups, unless addressed to
    // someone else.
    bot.fake.dispatch(
        "THREAD_CREATE",
        fake_discord::thread_create(THREAD_ID, GUILD_CHANNEL_ID, 53, "alliance"),
    );
    let mut asked_in_thread = thread_message(3305, &mention(AGREEMENTS_QUESTION), 53, THREAD_ID, 1);
    asked_in_thread["mentions"] = json!([fake_discord::bot_user_json()]);
    bot.fake.dispatch("MESSAGE_CREATE", asked_in_thread);
    assert!(cites(&bot.reply_to_message(3305).await, alliance));
    let mut for_someone = thread_message(3306, "<@555> and how many countries?", 54, THREAD_ID, 2);
    for_someone["mentions"] = json!([user_json(555, "friend")]);
    bot.fake.dispatch("MESSAGE_CREATE", for_someone);
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        thread_message(3307, COUNTRIES_FOLLOW_UP, 54, THREAD_ID, 3),
    );
    let in_thread = bot.reply_to_message(3307).await;
    assert!(cites(&in_thread, alliance), "{in_thread}");
    assert!(embed_description(&in_thread).contains("23"), "{in_thread}");
    // Without the Message Content intent, Discord sends such a message without its text: it
    // is not an empty question.
    bot.fake
        .dispatch("MESSAGE_CREATE", thread_message(3310, "", 54, THREAD_ID, 4));
    // Elsewhere, a plain message is still none of the bot's business.
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        guild_message(3308, COUNTRIES_FOLLOW_UP, 54, GUILD_CHANNEL_ID),
    );
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        message_create(3309, &mention(COUNTRIES_FOLLOW_UP), 55, Place::Guild, true),
    );
    bot.reply_to_message(3309).await;
    assert_eq!(
        replies_to(&bot.fake, &[3306, 3308, 3310]),
        [(3306, false), (3308, false), (3310, false)]
    );
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn threads_active_before_the_bot_started_are_known_from_the_guild_it_joins() {
    use crate::followup::{AGREEMENTS_QUESTION, ALLIANCE_POST, COUNTRIES_FOLLOW_UP, TRAVEL_POST};
    let settings = DiscordConfig {
        cooldown_questions: 0,
        ..DiscordConfig::default()
    };
    let posts = [("alliance.md", ALLIANCE_POST), ("travel.md", TRAVEL_POST)];
    let bot = start_bot_with(settings, &posts).await;
    // Two threads created before the bot started: Discord lists the first as active in the
    // guild; the second is not listed (say the bot could not see it then).
    let (listed, unlisted) = (THREAD_ID + 10, THREAD_ID + 11);
    let mut thread = fake_discord::thread_create(listed, GUILD_CHANNEL_ID, 56, "alliance");
    thread.as_object_mut().unwrap().remove("newly_created");
    bot.fake
        .dispatch("GUILD_CREATE", fake_discord::guild_create(&[thread]));
    // In each, the bot is asked by mention, then a member follows up without one, in messages
    // that carry no thread `position` (the field is optional).
    for (thread, question, follow_up) in [(listed, 3401, 3402), (unlisted, 3403, 3404)] {
        let mut asked = guild_message(question, &mention(AGREEMENTS_QUESTION), 56, thread);
        asked["mentions"] = json!([fake_discord::bot_user_json()]);
        bot.fake.dispatch("MESSAGE_CREATE", asked);
        bot.reply_to_message(question).await;
        bot.fake.dispatch(
            "MESSAGE_CREATE",
            guild_message(follow_up, COUNTRIES_FOLLOW_UP, 57, thread),
        );
    }
    let in_listed = bot.reply_to_message(3402).await;
    assert!(cites(&in_listed, "Northern Trade Alliance"), "{in_listed}");
    // A later mention is answered after anything the unlisted thread's message would have got.
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        message_create(3405, &mention(COUNTRIES_FOLLOW_UP), 58, Place::Guild, true),
    );
    bot.reply_to_message(3405).await;
    assert_eq!(replies_to(&bot.fake, &[3404]), [(3404, false)]);
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_follow_ups_off_a_reply_to_an_answer_is_left_alone() {
    let bot = start_bot(DiscordConfig {
        follow_up_minutes: 0,
        cooldown_questions: 0,
        ..DiscordConfig::default()
    })
    .await;
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        message_create(3401, &mention(MEMBERS_QUESTION), 61, Place::Guild, true),
    );
    bot.reply_to_message(3401).await;
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        reply_to_bot(3402, "and how many allotments?", 61, GUILD_CHANNEL_ID, 3401),
    );
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        message_create(3403, &mention(MEMBERS_QUESTION), 62, Place::Guild, true),
    );
    bot.reply_to_message(3403).await;
    assert_eq!(replies_to(&bot.fake, &[3402]), [(3402, false)]);
    bot.finish().await;
}

/// A forum channel in the fixture guild.
const FORUM_ID: u64 = 860_000_000_000_000_001;

/// The first message of forum post `thread` (its id is the thread's).
fn first_message(thread: u64, content: &str, user: u64) -> Value {
    thread_message(thread, content, user, thread, 0)
}

/// How many replies the bot sent to message `id`.
fn reply_count(fake: &FakeDiscord, id: u64) -> usize {
    fake.requests()
        .iter()
        .filter(|r| {
            r.method == "POST" && r.body["message_reference"]["message_id"] == json!(id.to_string())
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_forum_post_is_answered_once_in_its_thread_and_the_next_message_is_a_follow_up() {
    use fake_discord::thread_create;
    let bot = start_bot(DiscordConfig {
        forum_channels: vec![FORUM_ID],
        cooldown_questions: 0,
        ..DiscordConfig::default()
    })
    .await;
    assert_eq!(
        bot.fake.gateway_log().identifies[0]["intents"],
        json!(INTENTS_WITH_MESSAGE_CONTENT)
    );
    let (post, reversed, uncovered, not_forum) = (
        880_000_000_000_000_001,
        880_000_000_000_000_002,
        880_000_000_000_000_003,
        880_000_000_000_000_004,
    );

    // Thread first, then its first message: title and message form the question.
    bot.fake.dispatch(
        "THREAD_CREATE",
        thread_create(post, FORUM_ID, 71, "Garden club membership"),
    );
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        first_message(post, "How many members does it have?", 71),
    );
    let answer = bot.reply_to_message(post).await;
    let sent_to = bot
        .fake
        .requests()
        .into_iter()
        .find(|r| r.body["message_reference"]["message_id"] == json!(post.to_string()))
        .unwrap()
        .path;
    assert_eq!(sent_to, format!("/api/v10/channels/{post}/messages"));
    assert_no_mentions(&answer);
    // The next message in the thread is a follow-up, no mention needed.
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        thread_message(3502, "and how many allotments?", 72, post, 1),
    );
    let follow_up = bot.reply_to_message(3502).await;
    assert!(embed_description(&follow_up).contains('7'), "{follow_up}");

    // The first message before the thread: answered all the same. A title alone that the
    // posts don't cover is said so plainly.
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        first_message(reversed, "How many members does the garden club have?", 73),
    );
    bot.fake.dispatch(
        "THREAD_CREATE",
        thread_create(reversed, FORUM_ID, 73, "Members"),
    );
    bot.fake.dispatch(
        "THREAD_CREATE",
        thread_create(
            uncovered,
            FORUM_ID,
            74,
            "Which submarine does the chess club sail?",
        ),
    );
    bot.fake
        .dispatch("MESSAGE_CREATE", first_message(uncovered, "", 74));
    // A thread outside the forums is not a forum post.
    bot.fake.dispatch(
        "THREAD_CREATE",
        thread_create(not_forum, GUILD_CHANNEL_ID, 75, "Members"),
    );
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        first_message(not_forum, MEMBERS_QUESTION, 75),
    );
    let reversed_answer = bot.reply_to_message(reversed).await;
    let uncovered_answer = bot.reply_to_message(uncovered).await;
    assert_eq!(
        embed_title(&uncovered_answer),
        "The posts don't cover this question"
    );
    // The same events again (as after a replay) get no second answer.
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        first_message(post, "How many members does it have?", 71),
    );
    bot.fake.dispatch(
        "THREAD_CREATE",
        thread_create(reversed, FORUM_ID, 73, "Members"),
    );
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        message_create(3509, MEMBERS_QUESTION, 76, Place::Dm, false),
    );
    bot.reply_to_message(3509).await;
    assert!(bot.fake.wait_for(WAIT, callbacks_settled).await);
    for (id, expected) in [(post, 1), (reversed, 1), (uncovered, 1), (not_forum, 0)] {
        assert_eq!(reply_count(&bot.fake, id), expected, "replies to {id}");
    }
    bot.finish().await;
    assert_answers_members(&answer);
    assert_answers_members(&reversed_answer);
}

/// Requests to `method` the bot's message replying to message `question`.
fn requests_to_reply(fake: &FakeDiscord, method: &str, question: u64) -> Vec<Value> {
    let path = format!(
        "/api/v10/channels/{GUILD_CHANNEL_ID}/messages/{}",
        fake_discord::reply_id(question)
    );
    fake.requests()
        .into_iter()
        .filter(|r| r.method == method && r.path == path)
        .map(|r| r.body)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_question_edits_the_reply_and_a_deleted_question_removes_it() {
    use fake_discord::{message_delete, message_update};
    let bot = start_bot(DiscordConfig {
        cooldown_questions: 0,
        ..DiscordConfig::default()
    })
    .await;
    let first = "How many allotments does the garden club have?";
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        message_create(3601, &mention(first), 81, Place::Guild, true),
    );
    let reply = bot.reply_to_message(3601).await;
    assert_eq!(embed_title(&reply), "7", "{reply}");

    // A new text is answered in place.
    bot.fake.dispatch(
        "MESSAGE_UPDATE",
        message_update(3601, &mention(MEMBERS_QUESTION), 81, GUILD_CHANNEL_ID),
    );
    assert!(
        bot.fake
            .wait_for(WAIT, |f| !requests_to_reply(f, "PATCH", 3601).is_empty())
            .await,
        "the reply was not edited: {:#?}",
        bot.fake.requests()
    );
    // An update that leaves the text alone (a link preview added) changes nothing.
    bot.fake.dispatch(
        "MESSAGE_UPDATE",
        message_update(3601, &mention(MEMBERS_QUESTION), 81, GUILD_CHANNEL_ID),
    );
    // An edit of a message the bot did not answer is none of its business.
    bot.fake.dispatch(
        "MESSAGE_UPDATE",
        message_update(3602, &mention(MEMBERS_QUESTION), 81, GUILD_CHANNEL_ID),
    );
    // The question deleted: its answer goes too.
    bot.fake
        .dispatch("MESSAGE_DELETE", message_delete(3601, GUILD_CHANNEL_ID));
    assert!(
        bot.fake
            .wait_for(WAIT, |f| !requests_to_reply(f, "DELETE", 3601).is_empty())
            .await
    );
    assert!(bot.fake.wait_for(WAIT, callbacks_settled).await);
    let edits = requests_to_reply(&bot.fake, "PATCH", 3601);
    assert_eq!(edits.len(), 1, "one edit for one changed text");
    assert_no_mentions(&edits[0]);
    assert_within_limits(&edits[0]);
    let edited = bot
        .fake
        .requests()
        .iter()
        .filter(|r| r.method == "PATCH" || r.method == "DELETE")
        .count();
    assert_eq!(edited, 2, "only the answered question's reply is touched");
    bot.finish().await;
    assert_answers_members(&edits[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_arriving_out_of_order_leave_the_reply_answering_the_latest() {
    use fake_discord::message_edited_at;
    let bot = start_bot(DiscordConfig {
        cooldown_questions: 0,
        ..DiscordConfig::default()
    })
    .await;
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        message_create(
            3651,
            &mention("When does the garden club meet?"),
            82,
            Place::Guild,
            true,
        ),
    );
    bot.reply_to_message(3651).await;
    // The member edits twice; Discord delivers the second edit first.
    let (first_edit, second_edit) = (
        "How many allotments does the garden club have?",
        MEMBERS_QUESTION,
    );
    bot.fake.dispatch(
        "MESSAGE_UPDATE",
        message_edited_at(
            3651,
            &mention(second_edit),
            82,
            GUILD_CHANNEL_ID,
            "2026-01-01T00:02:00.000000+00:00",
        ),
    );
    bot.fake.dispatch(
        "MESSAGE_UPDATE",
        message_edited_at(
            3651,
            &mention(first_edit),
            82,
            GUILD_CHANNEL_ID,
            "2026-01-01T00:01:00.000000+00:00",
        ),
    );
    assert!(
        bot.fake
            .wait_for(WAIT, |f| !requests_to_reply(f, "PATCH", 3651).is_empty())
            .await
    );
    assert!(bot.fake.wait_for(WAIT, callbacks_settled).await);
    // The edits are answered on their own tasks: give the late one time to arrive, if it were
    // going to.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let edits = requests_to_reply(&bot.fake, "PATCH", 3651);
    let last = edits.last().unwrap();
    let title = last["embeds"][0]["title"].as_str().unwrap_or_default();
    assert!(
        title.contains("42"),
        "the latest edit is answered: {edits:#?}"
    );
    // Each edit is answered on its own task: when the older edit's task happens to run before
    // the newer one has claimed the reply (a loaded machine), it answers first and the newer
    // edit's answer then replaces it. What must never happen is the older answer last.
    assert!(
        edits.len() <= 2,
        "one reply edit per member edit: {edits:#?}"
    );
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_remove_button_deletes_the_answer_for_the_asker_and_for_moderators() {
    let bot = start_bot(DiscordConfig {
        cooldown_questions: 0,
        ..DiscordConfig::default()
    })
    .await;
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        message_create(3701, &mention(MEMBERS_QUESTION), 91, Place::Guild, true),
    );
    let reply = bot.reply_to_message(3701).await;
    let buttons = reply["components"][0]["components"].as_array().unwrap();
    let remove = buttons.last().unwrap();
    assert_eq!(remove["label"], "🗑");
    let custom_id = remove["custom_id"].as_str().unwrap();
    assert_eq!(custom_id, "remove:91");

    // The asker may. (Who else may not is decided, and unit-tested, in `discord::decide`.)
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        button_click(4702, custom_id, 91, Place::Guild),
    );
    let removed = bot.reply_to_interaction(4702).await;
    assert_eq!(removed["content"], "Removed.");
    assert_eq!(removed["flags"], json!(64), "private: {removed}");
    assert_eq!(button_message_deletes(&bot.fake), 1);
    // A member with Manage Messages (1 << 13), as the interaction's permissions say, may.
    let mut moderator = button_click(4703, custom_id, 93, Place::Guild);
    moderator["member"]["permissions"] = json!((1u64 << 13).to_string());
    bot.fake.dispatch("INTERACTION_CREATE", moderator);
    bot.reply_to_interaction(4703).await;
    assert_eq!(button_message_deletes(&bot.fake), 2);
    bot.finish().await;
}

/// How many times the message the fake's buttons sit on (message 5 of the guild channel) was
/// deleted.
fn button_message_deletes(fake: &FakeDiscord) -> usize {
    fake.requests()
        .iter()
        .filter(|r| {
            r.method == "DELETE"
                && r.path == format!("/api/v10/channels/{GUILD_CHANNEL_ID}/messages/5")
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feedback_log_records_answers_and_votes_with_their_post_for_the_report() {
    let bot = start_bot(DiscordConfig {
        cooldown_questions: 0,
        ..DiscordConfig::default()
    })
    .await;
    bot.fake.dispatch(
        "MESSAGE_CREATE",
        message_create(3801, &mention(MEMBERS_QUESTION), 95, Place::Guild, true),
    );
    bot.reply_to_message(3801).await;
    bot.fake.dispatch(
        "INTERACTION_CREATE",
        button_click(4801, "up:3801", 96, Place::Guild),
    );
    bot.reply_to_interaction(4801).await;
    bot.ask(4802, "What is the capital of Mongolia?", 97, Place::Guild)
        .await;
    let report = citebot_core::report::Report::read(&bot.feedback_log, None).unwrap();
    assert_eq!((report.answered, report.not_covered), (1, 1), "{report:?}");
    assert_eq!(report.posts, [("Garden Club".to_string(), 1)]);
    assert_eq!(
        report.sections,
        [("Garden Club › Membership".to_string(), 1)]
    );
    assert_eq!(report.feedback, [("Garden Club".to_string(), 1, 0)]);
    assert_eq!(report.gaps[0].example, "What is the capital of Mongolia?");
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_command_gives_managers_the_summary_privately_and_refuses_others() {
    let bot = start_bot(DiscordConfig {
        cooldown_questions: 0,
        ..DiscordConfig::default()
    })
    .await;
    bot.ask(3901, MEMBERS_QUESTION, 98, Place::Guild).await;
    bot.ask(3902, "What is the capital of Mongolia?", 98, Place::Guild)
        .await;
    let report = |id: u64, place: Place, since: &str| {
        let options: Vec<(&str, &str)> = if since.is_empty() {
            Vec::new()
        } else {
            vec![("since", since)]
        };
        fake_discord::slash_command(id, "report", &options, 99, place)
    };
    bot.fake
        .dispatch("INTERACTION_CREATE", report(4901, Place::Guild, ""));
    let refused = bot.reply_to_interaction(4901).await;
    assert!(
        refused["content"]
            .as_str()
            .unwrap()
            .contains("only members who can manage"),
        "{refused}"
    );
    assert_eq!(refused["flags"], json!(64));

    bot.fake
        .dispatch("INTERACTION_CREATE", report(4902, Place::GuildManager, ""));
    let summary = bot.reply_to_interaction(4902).await;
    assert_eq!(summary["flags"], json!(64), "private: {summary}");
    let text = summary["content"].as_str().unwrap();
    assert!(text.starts_with("```\n2 questions, "), "{text}");
    assert!(text.contains("What is the capital of Mongolia?"), "{text}");
    assert!(text.contains("Garden Club › Membership"), "{text}");
    assert_within_limits(&summary);

    bot.fake.dispatch(
        "INTERACTION_CREATE",
        report(4903, Place::GuildManager, "someday"),
    );
    let bad_date = bot.reply_to_interaction(4903).await;
    assert!(
        bad_date["content"]
            .as_str()
            .unwrap()
            .contains("is not a date"),
        "{bad_date}"
    );
    bot.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forum_post_the_posts_dont_cover_gets_the_configured_tag_and_keeps_its_own() {
    use fake_discord::{forum_channel, thread_create};
    let bot = start_bot(DiscordConfig {
        forum_channels: vec![FORUM_ID],
        forum_uncovered_tag: "Not in the posts".to_string(),
        cooldown_questions: 0,
        ..DiscordConfig::default()
    })
    .await;
    bot.fake.add_channel(forum_channel(
        FORUM_ID,
        &[(1001, "Help"), (1002, "not in the posts")],
    ));
    let (uncovered, covered) = (880_000_000_000_000_011, 880_000_000_000_000_012);
    for (thread, title) in [
        (uncovered, "Which submarine does the chess club sail?"),
        (covered, "How many members does the garden club have?"),
    ] {
        let mut created = thread_create(thread, FORUM_ID, 77, title);
        created["applied_tags"] = json!(["1001"]);
        bot.fake.add_channel(created.clone());
        bot.fake.dispatch("THREAD_CREATE", created);
        bot.fake
            .dispatch("MESSAGE_CREATE", first_message(thread, "", 77));
    }
    bot.reply_to_message(covered).await;
    bot.reply_to_message(uncovered).await;
    let tagged = |f: &FakeDiscord| {
        f.requests()
            .into_iter()
            .filter(|r| r.method == "PATCH" && !r.path.contains("/messages"))
            .collect::<Vec<_>>()
    };
    assert!(bot.fake.wait_for(WAIT, |f| !tagged(f).is_empty()).await);
    assert!(bot.fake.wait_for(WAIT, callbacks_settled).await);
    let patches = tagged(&bot.fake);
    assert_eq!(patches.len(), 1, "only the uncovered post: {patches:#?}");
    assert_eq!(patches[0].path, format!("/api/v10/channels/{uncovered}"));
    assert_eq!(patches[0].body["applied_tags"], json!(["1001", "1002"]));
    bot.finish().await;
}
