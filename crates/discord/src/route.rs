//! Which messages the bot answers, and why: a follow-up to one of its answers, a direct
//! message, a message that @mentions it, or any message in an answer channel. Decided on plain facts about the message (see [`Seen`]) so
//! the rules can be tested without a gateway: the bot never answers itself or another bot, and
//! in an answer channel never answers a message addressed to someone else.

/// What the handler knows about a message, as far as choosing to answer it goes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Seen {
    /// Sent in a direct message with the bot.
    pub in_dm: bool,
    /// Sent by a bot (the bot itself included) or a webhook.
    pub from_bot: bool,
    /// A member's own words (a plain message or a reply), not a system notice (a pin, a join,
    /// a thread created).
    pub by_member: bool,
    /// The bot is among the mentioned users.
    pub mentions_bot: bool,
    /// Someone else is mentioned (a user, a role, @everyone or @here), or the message replies to
    /// someone else's message.
    pub addressed_to_others: bool,
    /// The channel it was sent in.
    pub channel: u64,
    /// It replies to one of the bot's answers, or is sent in a thread the bot answered in, and
    /// the bot still remembers that conversation.
    pub follows_up: bool,
}

/// Why the bot answers a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// A direct message with the bot.
    Direct,
    /// A server message that @mentions the bot.
    Mention,
    /// A message in one of `discord.answer_channels`.
    AnswerChannel,
    /// A follow-up to an earlier answer, read with that question's context.
    FollowUp,
}

/// Whether and why to answer `seen`, given the configured answer channels; `None`: leave it.
pub fn route(seen: &Seen, answer_channels: &[u64]) -> Option<Route> {
    if seen.from_bot || !seen.by_member {
        return None;
    }
    // In a thread the bot answered in, members may also talk to each other.
    if seen.follows_up && !seen.addressed_to_others {
        return Some(Route::FollowUp);
    }
    if seen.in_dm {
        return Some(Route::Direct);
    }
    if seen.mentions_bot {
        return Some(Route::Mention);
    }
    // A message for someone else is conversation between members, not a question to the bot.
    if answer_channels.contains(&seen.channel) && !seen.addressed_to_others {
        return Some(Route::AnswerChannel);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANSWERS: u64 = 7;
    const OTHER: u64 = 8;

    fn member_in(channel: u64) -> Seen {
        Seen {
            by_member: true,
            channel,
            ..Seen::default()
        }
    }

    #[test]
    fn answer_channel_messages_are_questions_and_other_channels_are_not() {
        assert_eq!(
            route(&member_in(ANSWERS), &[ANSWERS]),
            Some(Route::AnswerChannel)
        );
        assert_eq!(route(&member_in(OTHER), &[ANSWERS]), None);
        assert_eq!(route(&member_in(ANSWERS), &[]), None);
    }

    #[test]
    fn bots_system_notices_and_messages_for_others_are_left_alone() {
        let bot = Seen {
            from_bot: true,
            ..member_in(ANSWERS)
        };
        let notice = Seen {
            by_member: false,
            ..member_in(ANSWERS)
        };
        let for_others = Seen {
            addressed_to_others: true,
            ..member_in(ANSWERS)
        };
        for seen in [bot, notice, for_others] {
            assert_eq!(route(&seen, &[ANSWERS]), None, "{seen:?}");
        }
        let bot_in_dm = Seen { in_dm: true, ..bot };
        assert_eq!(route(&bot_in_dm, &[]), None);
    }

    #[test]
    fn follow_ups_come_first_unless_addressed_to_someone_else() {
        let follow_up = Seen {
            follows_up: true,
            ..member_in(OTHER)
        };
        assert_eq!(route(&follow_up, &[]), Some(Route::FollowUp));
        let mentioning_bot = Seen {
            mentions_bot: true,
            ..follow_up
        };
        assert_eq!(route(&mentioning_bot, &[]), Some(Route::FollowUp));
        let for_others = Seen {
            addressed_to_others: true,
            ..follow_up
        };
        assert_eq!(route(&for_others, &[]), None);
        let from_bot = Seen {
            from_bot: true,
            ..follow_up
        };
        assert_eq!(route(&from_bot, &[]), None);
    }

    #[test]
    fn a_mention_of_the_bot_is_answered_even_alongside_others() {
        let seen = Seen {
            mentions_bot: true,
            addressed_to_others: true,
            ..member_in(OTHER)
        };
        assert_eq!(route(&seen, &[ANSWERS]), Some(Route::Mention));
        let dm = Seen {
            in_dm: true,
            ..member_in(OTHER)
        };
        assert_eq!(route(&dm, &[]), Some(Route::Direct));
    }
}
