//! Conversions between serenity's types and the plain data the decisions work on: a member's
//! permissions and a message's facts in (see [`super::decide`]), a [`Reply`] out as whichever
//! serenity builder sends it (a new message, an interaction response, or an edit of either).
//! Every message built here pings nobody (see [`super::no_mentions`]).

use serenity::all::{
    ButtonStyle, CreateActionRow, CreateAllowedMentions, CreateButton, CreateEmbed,
    CreateInteractionResponseMessage, CreateMessage, EditInteractionResponse, EditMessage, Message,
    MessageType, Permissions,
};

use super::decide::{Incoming, Member};
use super::no_mentions;
use super::reply::Reply;
use super::route::Seen;

/// The member `user` as the decisions see them, from the permissions Discord computed for them
/// in the channel, which come with an interaction (none in a DM, where they manage nothing).
pub(super) fn member(user: u64, permissions: Option<Permissions>) -> Member {
    Member {
        id: user,
        manages_server: permissions.is_some_and(|p| p.manage_guild()),
        manages_messages: permissions.is_some_and(|p| p.manage_messages()),
    }
}

/// `message` as the decisions see it, the bot being user `me`; `in_thread` when it was sent in
/// a thread.
pub(super) fn incoming(message: &Message, me: u64, in_thread: bool) -> Incoming {
    let replies_to_bot = message
        .referenced_message
        .as_ref()
        .filter(|replied| replied.author.id.get() == me)
        .map(|replied| replied.id.get());
    Incoming {
        id: message.id.get(),
        author: message.author.id.get(),
        text: strip_mentions_of(&message.content, me),
        seen: seen(message, me),
        replies_to_bot,
        in_thread,
    }
}

/// The facts about `message` that decide whether the bot (user id `me`) answers it; whether it
/// follows up a conversation is for the decisions to tell.
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
pub(super) fn strip_mentions_of(content: &str, bot: u64) -> String {
    content
        .replace(&format!("<@{bot}>"), " ")
        .replace(&format!("<@!{bot}>"), " ")
        .trim()
        .to_string()
}

/// The setters the four serenity builders a [`Reply`] becomes have in common, each on its own
/// type; [`fill`] sets them once for all four.
trait MessageBuilder: Sized {
    fn content(self, content: &str) -> Self;
    fn embeds(self, embeds: Vec<CreateEmbed>) -> Self;
    fn components(self, rows: Vec<CreateActionRow>) -> Self;
    fn allowed_mentions(self, mentions: CreateAllowedMentions) -> Self;
}

macro_rules! message_builder {
    ($($builder:ty),*) => {$(
        impl MessageBuilder for $builder {
            fn content(self, content: &str) -> Self {
                <$builder>::content(self, content)
            }
            fn embeds(self, embeds: Vec<CreateEmbed>) -> Self {
                <$builder>::embeds(self, embeds)
            }
            fn components(self, rows: Vec<CreateActionRow>) -> Self {
                <$builder>::components(self, rows)
            }
            fn allowed_mentions(self, mentions: CreateAllowedMentions) -> Self {
                <$builder>::allowed_mentions(self, mentions)
            }
        }
    )*};
}

message_builder!(
    CreateMessage,
    CreateInteractionResponseMessage,
    EditMessage,
    EditInteractionResponse
);

/// `builder` carrying `reply`. An edit (`replacing`) sets the content and embeds even when the
/// reply has none, so nothing of the message it replaces is left; a new message has nothing to
/// replace, and leaves an empty content or embed list out.
fn fill<B: MessageBuilder>(builder: B, reply: &Reply, replacing: bool) -> B {
    let embeds: Vec<CreateEmbed> = reply
        .embed
        .iter()
        .map(|embed| {
            CreateEmbed::new()
                .title(&embed.title)
                .description(&embed.description)
                .colour(embed.colour)
        })
        .collect();
    let mut builder = builder
        .allowed_mentions(no_mentions())
        .components(components(reply));
    if replacing || !reply.content.is_empty() {
        builder = builder.content(&reply.content);
    }
    if replacing || !embeds.is_empty() {
        builder = builder.embeds(embeds);
    }
    builder
}

/// The reply's buttons, in one row.
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

/// `reply` as the answer to an interaction (private when the reply is ephemeral).
pub(super) fn interaction_message(reply: &Reply) -> CreateInteractionResponseMessage {
    fill(
        CreateInteractionResponseMessage::new().ephemeral(reply.ephemeral),
        reply,
        false,
    )
}

/// `reply` as a message in a channel.
pub(super) fn channel_message(reply: &Reply) -> CreateMessage {
    fill(CreateMessage::new(), reply, false)
}

/// `reply` replacing a deferred (or earlier) interaction response.
pub(super) fn edit_response(reply: &Reply) -> EditInteractionResponse {
    fill(EditInteractionResponse::new(), reply, true)
}

/// `reply` replacing an earlier channel message of the bot.
pub(super) fn edit_message(reply: &Reply) -> EditMessage {
    fill(EditMessage::new(), reply, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply;
    use serde_json::json;

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

    const BOT: u64 = 42;

    /// A member's message in a server channel, as the gateway sends it.
    fn guild_message(content: &str, mentions: serde_json::Value) -> serde_json::Value {
        let author =
            json!({ "id": "7", "username": "member7", "discriminator": "0", "avatar": null });
        json!({
            "id": "100", "channel_id": "200", "guild_id": "300", "author": author,
            "content": content, "timestamp": "2026-01-01T00:00:00.000000+00:00",
            "edited_timestamp": null, "tts": false, "mention_everyone": false,
            "mentions": mentions, "mention_roles": [], "attachments": [], "embeds": [],
            "pinned": false, "type": 0
        })
    }

    fn bot_user() -> serde_json::Value {
        json!({ "id": BOT.to_string(), "username": "citebot", "discriminator": "0", "avatar": null, "bot": true })
    }

    #[test]
    fn a_message_becomes_the_facts_the_decisions_need() {
        let mention = serde_json::from_value::<Message>(guild_message(
            "<@42> how many boats?",
            json!([bot_user()]),
        ))
        .unwrap();
        let read = incoming(&mention, BOT, false);
        assert_eq!((read.id, read.author), (100, 7));
        assert_eq!(read.text, "how many boats?");
        assert_eq!(read.replies_to_bot, None);
        let seen = read.seen;
        assert!(seen.mentions_bot && seen.by_member && !seen.in_dm && !seen.from_bot);
        assert!(!seen.addressed_to_others);
        assert_eq!(seen.channel, 200);

        // A reply to the bot's answer names that answer; one to a member is for them.
        let mut reply = guild_message("and the oars?", json!([]));
        reply["type"] = json!(19);
        let mut answer = guild_message("", json!([]));
        answer["id"] = json!("99");
        answer["author"] = bot_user();
        reply["referenced_message"] = answer;
        let to_bot = serde_json::from_value::<Message>(reply.clone()).unwrap();
        let to_bot = incoming(&to_bot, BOT, true);
        assert_eq!(to_bot.replies_to_bot, Some(99));
        assert!(to_bot.in_thread && to_bot.seen.by_member && !to_bot.seen.addressed_to_others);
        reply["referenced_message"]["author"] =
            json!({ "id": "8", "username": "member8", "discriminator": "0", "avatar": null });
        let to_member = serde_json::from_value::<Message>(reply).unwrap();
        let to_member = incoming(&to_member, BOT, false);
        assert_eq!(to_member.replies_to_bot, None);
        assert!(to_member.seen.addressed_to_others);
    }

    #[test]
    fn permissions_become_what_the_member_may_do() {
        let manager = member(7, Some(Permissions::MANAGE_GUILD));
        assert!(manager.manages_server && !manager.manages_messages);
        let moderator = member(
            8,
            Some(Permissions::MANAGE_MESSAGES | Permissions::SEND_MESSAGES),
        );
        assert!(moderator.manages_messages && !moderator.manages_server);
        let in_dm = member(9, None);
        assert!(!in_dm.manages_server && !in_dm.manages_messages);
        assert_eq!(in_dm.id, 9);
    }

    #[test]
    fn every_builder_carries_the_reply_and_pings_nobody() {
        let answer = reply::removable(reply::help(), 7);
        let notice = reply::cooldown(std::time::Duration::from_secs(5));
        let built = [
            serde_json::to_value(interaction_message(&answer)).unwrap(),
            serde_json::to_value(channel_message(&answer)).unwrap(),
            serde_json::to_value(edit_response(&answer)).unwrap(),
            serde_json::to_value(edit_message(&answer)).unwrap(),
        ];
        for message in &built {
            assert_eq!(message["embeds"][0]["title"], "How to ask me", "{message}");
            assert_eq!(
                message["components"][0]["components"][0]["custom_id"], "remove:7",
                "{message}"
            );
            assert_eq!(message["allowed_mentions"]["parse"], json!([]), "{message}");
            assert_eq!(message["allowed_mentions"]["replied_user"], false);
        }
        // New messages leave an empty content out; edits clear what was there.
        assert!(built[0].get("content").is_none(), "{}", built[0]);
        assert_eq!(built[2]["content"], "");
        let edit = serde_json::to_value(edit_message(&notice)).unwrap();
        assert_eq!(
            edit["embeds"],
            json!([]),
            "the old embed is removed: {edit}"
        );
        assert!(edit["content"].as_str().unwrap().contains("please wait"));
        let private = serde_json::to_value(interaction_message(&notice)).unwrap();
        assert_eq!(private["flags"], 64, "ephemeral: {private}");
    }
}
