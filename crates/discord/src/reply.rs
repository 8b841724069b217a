//! What the bot says, as plain data: an [`Answer`], search results, the post list, help, what
//! `/reindex`, `/add` and `/report` did, and the short notices (cooldown, refusals, feedback
//! thanks), each rendered into a [`Reply`] (content, embed, buttons) that already respects
//! Discord's limits. Also the buttons' custom ids ([`ButtonAction`]), made and parsed back here,
//! and the `post` option's autocomplete choices. `wire` turns a `Reply` into serenity's
//! builders.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use citebot_core::library::Changes;
use citebot_core::Error;
use citebot_core::{Answer, Citation, Outcome, PostSummary};
use citebot_web::{Error as WebError, FetchReport, Status};

use super::text::{
    char_len, escape_markdown, quote, truncate, EMBED_DESCRIPTION_LIMIT, EMBED_TITLE_LIMIT,
};

/// Embed colour of answers (a calm blue).
const ANSWER_COLOUR: u32 = 0x3b82f6;
/// Embed colour of "the posts don't cover this" (grey: nothing is asserted).
const NOT_COVERED_COLOUR: u32 = 0x9ca3af;
/// The most characters a single quoted passage takes, so several fit in one embed.
const PASSAGE_LIMIT: usize = 1500;
/// How many nearest passages a "not covered" reply offers.
const NEAREST_SHOWN: usize = 2;

/// Label of the button that shows the next citations.
pub const MORE_PASSAGES_LABEL: &str = "More passages";
/// Label of the "this helped" feedback button.
pub const HELPFUL_LABEL: &str = "👍";
/// Label of the "this did not help" feedback button.
pub const UNHELPFUL_LABEL: &str = "👎";
/// Label of the button that removes the bot's reply to a message.
pub const REMOVE_LABEL: &str = "🗑";

/// One message the bot sends, within Discord's limits.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// Plain message content; empty when everything is in the embed.
    pub content: String,
    /// The embed, if any.
    pub embed: Option<EmbedText>,
    /// Buttons under the message (one row).
    pub buttons: Vec<Button>,
    /// Visible only to the person who asked (interactions only).
    pub ephemeral: bool,
}

/// The text parts of an embed.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbedText {
    /// Shown on top, in bold.
    pub title: String,
    /// The body: quoted passages and their citations.
    pub description: String,
    /// Side colour.
    pub colour: u32,
}

/// A button and the id its click comes back with.
#[derive(Debug, Clone, PartialEq)]
pub struct Button {
    /// What the button says.
    pub label: &'static str,
    /// Identifies the action and the question it belongs to.
    pub custom_id: String,
}

/// What a button click asks for; parsed back from the button's custom id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ButtonAction {
    /// Show the citations after the first one.
    MorePassages(u64),
    /// The answer helped (`true`) or not (`false`).
    Feedback(u64, bool),
    /// Remove the reply the button is on; the member who asked (carried in the id, so the
    /// button works after a restart) or a member with Manage Messages may.
    Remove(u64),
}

impl ButtonAction {
    /// The custom id carrying this action; `key` identifies the question asked.
    pub fn custom_id(self) -> String {
        match self {
            ButtonAction::MorePassages(key) => format!("more:{key}"),
            ButtonAction::Feedback(key, true) => format!("up:{key}"),
            ButtonAction::Feedback(key, false) => format!("down:{key}"),
            ButtonAction::Remove(asker) => format!("remove:{asker}"),
        }
    }

    /// Parses a custom id made by [`ButtonAction::custom_id`].
    pub fn parse(custom_id: &str) -> Option<ButtonAction> {
        let (action, key) = custom_id.split_once(':')?;
        let key = key.parse().ok()?;
        match action {
            "more" => Some(ButtonAction::MorePassages(key)),
            "up" => Some(ButtonAction::Feedback(key, true)),
            "down" => Some(ButtonAction::Feedback(key, false)),
            "remove" => Some(ButtonAction::Remove(key)),
            _ => None,
        }
    }
}

impl Reply {
    /// A short plain-text reply.
    pub fn notice(text: &str, ephemeral: bool) -> Reply {
        Reply {
            content: truncate(text, super::text::CONTENT_LIMIT),
            embed: None,
            buttons: Vec::new(),
            ephemeral,
        }
    }
}

/// The reply to small talk ("hi", "thanks!", "bye"): a pointer to what citebot does, with no
/// greeting, which would answer a thanks or a farewell with "Hi!".
pub const SMALL_TALK_REPLY: &str =
    "I answer questions about the community's posts, with the passage each answer comes from. Ask me something, or try /help.";

/// The reply to a question: the short answer on top, the first cited passage with the matched
/// words in bold, and buttons for more passages and feedback. `key` identifies the question for
/// the buttons.
pub fn answer(answer: &Answer, key: u64) -> Reply {
    if answer.outcome == Outcome::SmallTalk {
        return Reply::notice(SMALL_TALK_REPLY, false);
    }
    let buttons = vec![
        Button {
            label: MORE_PASSAGES_LABEL,
            custom_id: ButtonAction::MorePassages(key).custom_id(),
        },
        Button {
            label: HELPFUL_LABEL,
            custom_id: ButtonAction::Feedback(key, true).custom_id(),
        },
        Button {
            label: UNHELPFUL_LABEL,
            custom_id: ButtonAction::Feedback(key, false).custom_id(),
        },
    ];
    let embed = match answer.outcome {
        Outcome::Answered => {
            let title = match &answer.answer {
                Some(short) => short.clone(),
                None => "What the posts say".to_string(),
            };
            EmbedText {
                title: escaped_title(&title),
                description: passages(&answer.citations[..answer.citations.len().min(1)], ""),
                colour: ANSWER_COLOUR,
            }
        }
        Outcome::NoFigure => EmbedText {
            title: "The posts mention this but give no figure for it".to_string(),
            description: passages(&answer.citations[..answer.citations.len().min(1)], ""),
            colour: NOT_COVERED_COLOUR,
        },
        Outcome::NotCovered | Outcome::SmallTalk => {
            let nearest = &answer.citations[..answer.citations.len().min(NEAREST_SHOWN)];
            let lead = if nearest.is_empty() {
                "Nothing in the posts is close to this question."
            } else {
                "The nearest passages, which do not answer it:"
            };
            EmbedText {
                title: "The posts don't cover this question".to_string(),
                description: passages(nearest, lead),
                colour: NOT_COVERED_COLOUR,
            }
        }
    };
    Reply {
        content: String::new(),
        embed: Some(embed),
        buttons,
        ephemeral: false,
    }
}

/// The citations after the first one of an answer, for the "More passages" button.
pub fn more_passages(answer: &Answer) -> Reply {
    let skip = match answer.outcome {
        Outcome::NotCovered | Outcome::SmallTalk => NEAREST_SHOWN,
        Outcome::Answered | Outcome::NoFigure => 1,
    };
    let rest = answer.citations.get(skip..).unwrap_or(&[]);
    if rest.is_empty() {
        return Reply::notice("There are no more passages for this question.", true);
    }
    let lead = match answer.outcome {
        Outcome::NotCovered | Outcome::SmallTalk => {
            "More nearby passages (they do not answer the question):"
        }
        Outcome::Answered | Outcome::NoFigure => "",
    };
    Reply {
        content: String::new(),
        embed: Some(EmbedText {
            title: "More passages".to_string(),
            description: passages(rest, lead),
            colour: ANSWER_COLOUR,
        }),
        buttons: Vec::new(),
        ephemeral: true,
    }
}

/// The top passages for a search, each cited, in one message.
pub fn search(query: &str, citations: &[Citation]) -> Reply {
    let title = format!("Passages matching “{}”", query.trim());
    if citations.is_empty() {
        return Reply::notice("No passage in the posts matches that search.", false);
    }
    Reply {
        content: String::new(),
        embed: Some(EmbedText {
            title: escaped_title(&title),
            description: passages(citations, ""),
            colour: ANSWER_COLOUR,
        }),
        buttons: Vec::new(),
        ephemeral: false,
    }
}

/// What is indexed: each post with its passage count, and when the index was built.
pub fn posts(posts: &[PostSummary], indexed_at: SystemTime) -> Reply {
    let age = SystemTime::now()
        .duration_since(indexed_at)
        .unwrap_or(Duration::ZERO);
    let unix = indexed_at
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs();
    let mut lines = Vec::new();
    for post in posts {
        let name = escape_markdown(&truncate(&post.title, 200));
        let title = match post.url.as_deref().filter(|url| is_linkable(url)) {
            Some(url) => format!("[{name}]({url})"),
            None => name,
        };
        let s = if post.passages == 1 { "" } else { "s" };
        lines.push(format!("• {title} — {} passage{s}", post.passages));
    }
    let footer = format!("Indexed <t:{unix}:R> ({} ago).", human_duration(age));
    let description = fit_lines(&lines, &footer);
    Reply {
        content: String::new(),
        embed: Some(EmbedText {
            title: format!(
                "{} post{} indexed",
                posts.len(),
                if posts.len() == 1 { "" } else { "s" }
            ),
            description,
            colour: ANSWER_COLOUR,
        }),
        buttons: Vec::new(),
        ephemeral: false,
    }
}

/// Most choices Discord shows for an autocompleted option.
pub const CHOICES_LIMIT: usize = 25;
/// Longest name or value of an autocomplete choice, in characters.
const CHOICE_LIMIT: usize = 100;

/// Autocomplete for the `post` option: (title shown, document id sent back) of the posts whose
/// title or id contains what the member has typed, those starting with it first.
pub fn post_choices(posts: &[PostSummary], typed: &str) -> Vec<(String, String)> {
    let typed = typed.trim().to_lowercase();
    let mut found: Vec<(bool, &PostSummary)> = posts
        .iter()
        // A value Discord would refuse cannot be offered.
        .filter(|p| char_len(&p.document) <= CHOICE_LIMIT)
        .filter_map(|p| {
            let title = p.title.to_lowercase();
            let starts = title.starts_with(&typed) || p.document.to_lowercase().starts_with(&typed);
            (starts || title.contains(&typed) || p.document.to_lowercase().contains(&typed))
                .then_some((starts, p))
        })
        .collect();
    // Stable: posts keep their listing order within each group.
    found.sort_by_key(|(starts, _)| !starts);
    found
        .into_iter()
        .take(CHOICES_LIMIT)
        .map(|(_, p)| (truncate(&p.title, CHOICE_LIMIT), p.document.clone()))
        .collect()
}

/// How to use the bot.
pub fn help() -> Reply {
    let description = "\
**/ask** `question` — a short answer quoted from the posts, with the passage and where it is.\n\
**/search** `query` — the passages that best match some words.\n\
Both take an optional `post` to look in one post only.\n\
**/posts** — which posts I know and when I read them.\n\
**/help** — this message.\n\n\
You can also write to me in a direct message (any message is a question; `help` shows this), \
or mention me in a channel with your question. To follow up, reply to my answer: \
\"and how many countries?\" stays on the same subject.\n\n\
Under each answer, **More passages** shows further citations (only to you) and 👍 / 👎 tell \
the people who write the posts whether it helped. Under an answer to your message, 🗑 removes \
it; editing your question within a few minutes updates it.";
    Reply {
        content: String::new(),
        embed: Some(EmbedText {
            title: "How to ask me".to_string(),
            description: description.to_string(),
            colour: ANSWER_COLOUR,
        }),
        buttons: Vec::new(),
        ephemeral: true,
    }
}

/// The reply when a member asks faster than the cooldown allows.
pub fn cooldown(retry_after: Duration) -> Reply {
    let seconds = retry_after.as_secs().max(1);
    Reply::notice(
        &format!("You are asking quickly — please wait {seconds} s before the next question."),
        true,
    )
}

/// The reply to a question the engine refused (empty, too long, nothing searchable): the
/// engine's own explanation.
pub fn bad_question(explanation: &str) -> Reply {
    // The explanation may quote the question, so escape it like any other echoed text.
    Reply::notice(&format!("Sorry — {}.", escape_markdown(explanation)), true)
}

/// `/reindex` or `/add` by a member without Manage Server.
pub fn reindex_refused() -> Reply {
    Reply::notice(
        "Sorry — only members who can manage this server can re-index, add posts or see the report.",
        true,
    )
}

/// The private `/report` reply: the report's text in a code block, cut at a line to fit one
/// message (the full report is `citebot report` on the bot's machine).
pub fn report(text: &str) -> Reply {
    const FENCES: usize = "```\n\n```".len();
    const CUT_NOTE: &str = "…";
    // A backtick in a quoted question must not close the code block.
    let text = text.replace('`', "ˋ");
    let budget = super::text::CONTENT_LIMIT - FENCES - CUT_NOTE.len();
    let mut shown = String::new();
    let mut cut = false;
    for line in text.lines() {
        if shown.chars().count() + line.chars().count() + 1 > budget {
            cut = true;
            break;
        }
        shown.push_str(line);
        shown.push('\n');
    }
    if cut {
        shown.push_str(CUT_NOTE);
    }
    Reply::notice(&format!("```\n{}\n```", shown.trim_end()), true)
}

/// The private `/report` reply when the bot keeps no feedback log, or it cannot be read.
pub fn report_unavailable(why: &str) -> Reply {
    Reply::notice(&format!("There is no report: {why}."), true)
}

/// Characters each list of post names in a `/reindex` reply may take.
const REINDEX_LIST_BUDGET: usize = 350;

/// What `/reindex` changed, after fetching the web sources when the bot has any (`fetched`).
pub fn reindexed(changes: &Changes, fetched: Option<&Result<FetchReport, WebError>>) -> Reply {
    let mut lines = Vec::new();
    match fetched {
        None => {}
        Some(Ok(report)) if report.entries.is_empty() => {}
        Some(Ok(report)) => lines.push(format!("Fetched the web sources: {}.", fetch_counts(report))),
        Some(Err(_)) => lines.push(
            "Fetching the web sources failed (the log says why); the saved pages are indexed as they are."
                .to_string(),
        ),
    }
    lines.extend(change_lines(changes));
    Reply::notice(&lines.join("\n"), true)
}

/// What `/add` did: the source added and fetched, and what the re-index changed; or why it was
/// not added.
pub fn added(url: &str, result: &Result<(FetchReport, Changes), WebError>) -> Reply {
    match result {
        Ok((report, changes)) => {
            let what = report
                .entries
                .iter()
                .find_map(|e| match &e.status {
                    Status::Listed { what, pages } => Some(format!("{what}, {pages} pages")),
                    _ => None,
                })
                .unwrap_or_else(|| "a page".to_string());
            let mut lines = vec![format!(
                "Added {} ({what}): {}.",
                code(url),
                fetch_counts(report)
            )];
            lines.extend(change_lines(changes));
            Reply::notice(&lines.join("\n"), true)
        }
        Err(WebError::WebSource { reason, .. }) => Reply::notice(
            &format!(
                "Sorry — {} cannot be added: {}.",
                code(url),
                escape_markdown(reason)
            ),
            true,
        ),
        Err(WebError::Core(Error::Reindex { post, .. })) => reindex_failed(post),
        Err(_) => failure(),
    }
}

/// A fetch run's counts that matter to a server's managers: "2 new, 1 failed".
fn fetch_counts(report: &FetchReport) -> String {
    let counts: Vec<String> = ["new", "changed", "unchanged", "gone", "skipped", "failed"]
        .iter()
        .map(|label| (label, report.count(label)))
        .filter(|(_, count)| *count > 0)
        .map(|(label, count)| format!("{count} {label}"))
        .collect();
    if counts.is_empty() {
        "no pages".to_string()
    } else {
        counts.join(", ")
    }
}

/// The lines of a re-index notice: what was added, changed, removed and skipped.
fn change_lines(changes: &Changes) -> Vec<String> {
    // Each list has a budget, so that the whole notice fits in a message without being cut
    // inside a code span.
    let list = |ids: &[String]| {
        let mut out = String::new();
        for (i, id) in ids.iter().enumerate() {
            let name = code(id);
            if i > 0 && char_len(&out) + char_len(&name) > REINDEX_LIST_BUDGET {
                out.push_str(&format!(" … and {} more", ids.len() - i));
                break;
            }
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&name);
        }
        out
    };
    let mut lines = Vec::new();
    if changes.is_empty() {
        lines.push(format!(
            "The posts have not changed ({} posts).",
            changes.unchanged
        ));
    } else {
        lines.push("Re-indexed the posts.".to_string());
        for (label, ids) in [
            ("Added", &changes.added),
            ("Changed", &changes.changed),
            ("Removed", &changes.removed),
        ] {
            if !ids.is_empty() {
                lines.push(format!("{label} ({}): {}", ids.len(), list(ids)));
            }
        }
        lines.push(format!("Unchanged: {}.", changes.unchanged));
    }
    if !changes.skipped.is_empty() {
        let skipped: Vec<String> = changes.skipped.iter().map(|(id, _)| id.clone()).collect();
        lines.push(format!("Skipped, cannot be read: {}", list(&skipped)));
    }
    lines
}

/// `/reindex` stopped because a served post can no longer be read.
pub fn reindex_failed(post: &str) -> Reply {
    Reply::notice(
        &format!(
            "Re-index failed: {} can no longer be read, so nothing changed and the previous posts are still served. Fix the file and run /reindex again.",
            code(post)
        ),
        true,
    )
}

/// A post identifier as inline code (a backtick in it cannot end the span early).
fn code(id: &str) -> String {
    format!("`{}`", id.replace('`', "'"))
}

/// The reply when something on the bot's side failed; the detail goes to the log.
pub fn failure() -> Reply {
    Reply::notice(
        "Sorry — something went wrong on my side. Please try again in a moment.",
        true,
    )
}

/// The reply to a member pressing "More passages" under someone else's answer.
pub fn not_the_asker() -> Reply {
    Reply::notice(
        "Only the member who asked can see more passages for this answer; ask it yourself with /ask.",
        true,
    )
}

/// `reply`, with a 🗑 button that `asker` (or a member with Manage Messages) can press to
/// remove it: for replies that stay in the channel (to members' messages, and public `/ask`
/// answers).
pub fn removable(mut reply: Reply, asker: u64) -> Reply {
    reply.buttons.push(Button {
        label: REMOVE_LABEL,
        custom_id: ButtonAction::Remove(asker).custom_id(),
    });
    reply
}

/// The private reply to the 🗑 button once the answer is removed.
pub fn removed() -> Reply {
    Reply::notice("Removed.", true)
}

/// The private reply to the 🗑 button pressed by someone else than the asker or a moderator.
pub fn remove_refused() -> Reply {
    Reply::notice(
        "Only the member who asked, or a member with Manage Messages, can remove this answer.",
        true,
    )
}

/// The reply to a button whose question the bot no longer remembers (e.g. after a restart).
pub fn expired() -> Reply {
    Reply::notice(
        "This answer is too old for its buttons; please ask again.",
        true,
    )
}

/// The reply to a second 👍 / 👎 from the same member on the same answer.
pub fn already_voted() -> Reply {
    Reply::notice(
        "Thanks — your feedback on this answer is already noted.",
        true,
    )
}

/// The acknowledgement of a 👍 / 👎.
pub fn feedback_thanks(helpful: bool) -> Reply {
    let text = if helpful {
        "Thanks — glad it helped."
    } else {
        "Thanks — the people who write the posts will see that this did not help."
    };
    Reply::notice(text, true)
}

/// Quoted passages, each followed by its citation line, filling at most the embed description.
fn passages(citations: &[Citation], lead: &str) -> String {
    let mut out = String::new();
    if !lead.is_empty() {
        out.push_str(lead);
        out.push_str("\n\n");
    }
    let count = citations.len().max(1);
    for (i, citation) in citations.iter().enumerate() {
        let line = citation_line(citation);
        let used = char_len(&out);
        let share = EMBED_DESCRIPTION_LIMIT.saturating_sub(used) / (count - i);
        let budget = share.saturating_sub(char_len(&line) + 3).min(PASSAGE_LIMIT);
        if budget < 20 {
            break;
        }
        let ranges = if citation.highlight_ranges.is_empty() {
            citation.answer_range.iter().cloned().collect()
        } else {
            citation.highlight_ranges.clone()
        };
        // A table row under the names of its columns, which take at most a third of its room.
        let mut budget = budget;
        if let Some(columns) = citation.column_line() {
            let line = quote(&columns, &[], budget / 3);
            budget = budget.saturating_sub(char_len(&line) + 1);
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str(&quote(&citation.text, &ranges, budget));
        out.push('\n');
        out.push_str(&line);
        out.push_str("\n\n");
    }
    let out = out.trim_end().to_string();
    debug_assert!(char_len(&out) <= EMBED_DESCRIPTION_LIMIT);
    out
}

/// "— [Post title](link to the cited sentence) · Section · ¶N", escaped and bounded.
fn citation_line(citation: &Citation) -> String {
    let title = escape_markdown(&truncate(&citation.title, 150));
    // The link opens the post at the cited sentence; when that link is too long for a message,
    // the post's own url.
    let link = citation
        .link()
        .filter(|link| is_linkable(link))
        .or_else(|| citation.url.clone());
    let title = match link.as_deref().filter(|url| is_linkable(url)) {
        Some(url) => format!("[{title}]({url})"),
        None => title,
    };
    let mut line = format!("— {title}");
    if let Some(section) = citation.section_beyond_title() {
        line.push_str(" · ");
        line.push_str(&escape_markdown(&truncate(section, 100)));
    }
    line.push_str(&format!(" · ¶{}", citation.paragraph));
    line
}

/// Whether a front-matter URL can go into a Markdown link without breaking it.
fn is_linkable(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() <= 500
        && !url
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>'))
}

fn escaped_title(title: &str) -> String {
    // Escaping can only lengthen the text, so cut the escaped form until it fits.
    let mut limit = EMBED_TITLE_LIMIT;
    loop {
        let escaped = escape_markdown(&truncate(title.trim(), limit));
        if char_len(&escaped) <= EMBED_TITLE_LIMIT {
            return escaped;
        }
        limit -= (char_len(&escaped) - EMBED_TITLE_LIMIT)
            .max(1)
            .min(limit - 1);
    }
}

/// Lines joined until the embed description is full, then "…and N more", then the footer.
fn fit_lines(lines: &[String], footer: &str) -> String {
    let mut out = String::new();
    let reserve = char_len(footer) + 40;
    for (i, line) in lines.iter().enumerate() {
        if char_len(&out) + char_len(line) + 1 + reserve > EMBED_DESCRIPTION_LIMIT {
            out.push_str(&format!("…and {} more\n", lines.len() - i));
            break;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(footer);
    out
}

fn human_duration(age: Duration) -> String {
    let secs = age.as_secs();
    match secs {
        0..=59 => format!("{secs} s"),
        60..=3599 => format!("{} min", secs / 60),
        3600..=86399 => format!("{} h", secs / 3600),
        _ => format!("{} days", secs / 86400),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn long_reindex_lists_are_cut_between_names() {
        let changes = Changes {
            added: (0..400).map(|i| format!("post-number-{i}.md")).collect(),
            changed: (0..400).map(|i| format!("changed-{i}.md")).collect(),
            ..Changes::default()
        };
        let reply = reindexed(&changes, None);
        assert!(char_len(&reply.content) <= 2000, "{}", reply.content.len());
        assert!(reply.content.contains("more"), "{}", reply.content);
        assert_eq!(
            reply.content.matches('`').count() % 2,
            0,
            "{}",
            reply.content
        );
    }

    use super::*;
    /// Most characters of text (content plus embeds) Discord accepts in one message.
    const MESSAGE_TOTAL_LIMIT: usize = 6000;
    /// Longest button label Discord accepts.
    const BUTTON_LABEL_LIMIT: usize = 100;

    fn citation(text: &str) -> Citation {
        Citation {
            document: "garden.md".into(),
            title: "Garden *club*".into(),
            section: Some("Members".into()),
            paragraph: 2,
            text: text.into(),
            start: 0,
            end: text.len(),
            highlights: vec!["members".into()],
            score: 1.0,
            url: Some("https://example.org/garden".into()),
            highlight_ranges: vec![],
            answer_range: None,
            columns: Vec::new(),
        }
    }

    fn answered(short: &str, citations: Vec<Citation>) -> Answer {
        Answer {
            question: "How many members?".into(),
            answer: Some(short.into()),
            confidence: Some(0.9),
            citations,
            outcome: Outcome::Answered,
        }
    }

    fn total_len(reply: &Reply) -> usize {
        char_len(&reply.content)
            + reply
                .embed
                .as_ref()
                .map_or(0, |e| char_len(&e.title) + char_len(&e.description))
    }

    #[test]
    fn answer_has_short_answer_quote_and_citation() {
        let mut c = citation("The garden club has 42 members and 7 allotments.");
        c.highlight_ranges = std::iter::once(23..30).collect();
        let reply = answer(&answered("42 members", vec![c]), 7);
        let embed = reply.embed.unwrap();
        assert_eq!(embed.title, "42 members");
        assert!(embed
            .description
            .contains("> The garden club has 42 **members** and 7 allotments."));
        assert!(embed
            .description
            .contains("[Garden \\*club\\*](https://example.org/garden#:~:text=The%20garden%20club%20has%2042%20members%20and%207%20allotments.) · Members · ¶2"));
        assert_eq!(reply.buttons.len(), 3);
        assert_eq!(
            ButtonAction::parse(&reply.buttons[0].custom_id),
            Some(ButtonAction::MorePassages(7))
        );
    }

    #[test]
    fn a_table_row_is_quoted_under_its_column_names_within_limits() {
        let mut row = citation("Greenbank B | 12 | 14");
        row.columns = vec!["Team".into(), "Pld".into(), "Pts".into()];
        let embed = answer(&answered("14", vec![row.clone()]), 1).embed.unwrap();
        assert!(
            embed
                .description
                .contains("> Team \\| Pld \\| Pts\n> Greenbank B \\| 12 \\| 14"),
            "{}",
            embed.description
        );
        row.columns = vec!["name ".repeat(2000)];
        let long = answered("14", vec![row.clone(), row.clone(), row]);
        let embed = answer(&long, 1).embed.unwrap();
        assert!(char_len(&embed.description) <= EMBED_DESCRIPTION_LIMIT);
        assert!(
            embed.description.contains("Greenbank B"),
            "{}",
            embed.description
        );
    }

    #[test]
    fn not_covered_never_presents_a_passage_as_the_answer() {
        let mut a = answered("42", vec![citation("Unrelated text about 42 apples.")]);
        a.outcome = Outcome::NotCovered;
        let embed = answer(&a, 1).embed.unwrap();
        assert_eq!(embed.title, "The posts don't cover this question");
        assert!(embed
            .description
            .starts_with("The nearest passages, which do not answer it:"));
    }

    #[test]
    fn no_figure_shows_no_number_as_answer() {
        let mut a = answered("12", vec![citation("The club has members.")]);
        a.outcome = Outcome::NoFigure;
        let embed = answer(&a, 1).embed.unwrap();
        assert!(!embed.title.contains("12"));
    }

    #[test]
    fn huge_passages_and_answers_stay_within_limits() {
        let long = "word ".repeat(5000);
        let a = answered(
            &long,
            vec![citation(&long), citation(&long), citation(&long)],
        );
        for reply in [
            answer(&a, 1),
            more_passages(&a),
            search(&long, &a.citations),
        ] {
            let embed = reply.embed.as_ref().unwrap();
            assert!(char_len(&embed.title) <= EMBED_TITLE_LIMIT);
            assert!(char_len(&embed.description) <= EMBED_DESCRIPTION_LIMIT);
            assert!(total_len(&reply) <= MESSAGE_TOTAL_LIMIT);
        }
    }

    #[test]
    fn more_passages_skips_the_first_and_is_private() {
        let a = answered("x", vec![citation("first one"), citation("second one")]);
        let reply = more_passages(&a);
        assert!(reply.ephemeral);
        let description = reply.embed.unwrap().description;
        assert!(description.contains("second one") && !description.contains("first one"));
    }

    #[test]
    fn button_labels_fit() {
        for label in [MORE_PASSAGES_LABEL, HELPFUL_LABEL, UNHELPFUL_LABEL] {
            assert!(char_len(label) <= BUTTON_LABEL_LIMIT);
        }
    }

    #[test]
    fn removable_adds_a_remove_button_for_the_asker() {
        let reply = removable(Reply::notice("hi", false), 42);
        assert_eq!(reply.buttons.len(), 1);
        assert_eq!(reply.buttons[0].label, REMOVE_LABEL);
        assert_eq!(
            ButtonAction::parse(&reply.buttons[0].custom_id),
            Some(ButtonAction::Remove(42))
        );
    }

    #[test]
    fn report_fits_one_message_in_a_code_block() {
        let long: String = (0..500)
            .map(|i| format!("line {i} with `ticks`\n"))
            .collect();
        let reply = report(&long);
        assert!(reply.ephemeral);
        assert!(reply.content.chars().count() <= super::super::text::CONTENT_LIMIT);
        assert!(reply.content.starts_with("```\nline 0 with ˋticksˋ\n"));
        assert!(reply.content.ends_with("…\n```"), "{}", reply.content);
        assert_eq!(reply.content.matches("```").count(), 2);
    }

    #[test]
    fn custom_ids_round_trip() {
        for action in [
            ButtonAction::MorePassages(3),
            ButtonAction::Feedback(u64::MAX, true),
            ButtonAction::Feedback(0, false),
            ButtonAction::Remove(7),
        ] {
            assert_eq!(ButtonAction::parse(&action.custom_id()), Some(action));
        }
        assert_eq!(ButtonAction::parse("more:x"), None);
    }

    #[test]
    fn bad_question_is_a_sentence() {
        assert_eq!(
            bad_question("the question is empty").content,
            "Sorry — the question is empty."
        );
    }

    #[test]
    fn post_choices_match_titles_and_ids_prefix_first() {
        let post = |document: &str, title: &str| PostSummary {
            document: document.into(),
            title: title.into(),
            passages: 1,
            url: None,
        };
        let posts = vec![
            post("bees.md", "Urban Bees"),
            post("garden.md", "The Garden Club"),
            post("gardens/tips.html", "Garden Tips"),
            post("zh.md", "河畔镇的灯笼节"),
        ];
        let values = |typed: &str| -> Vec<String> {
            post_choices(&posts, typed)
                .into_iter()
                .map(|(_, v)| v)
                .collect()
        };
        assert_eq!(values("garden"), ["garden.md", "gardens/tips.html"]);
        assert_eq!(values("GARDEN T"), ["gardens/tips.html"]);
        assert_eq!(values("club"), ["garden.md"]);
        assert_eq!(values("灯笼"), ["zh.md"]);
        assert_eq!(values("").len(), 4);
        let many: Vec<PostSummary> = (0..40).map(|i| post(&format!("{i}.md"), "Same")).collect();
        let choices = post_choices(&many, "same");
        assert_eq!(choices.len(), CHOICES_LIMIT);
        assert_eq!(choices[0], ("Same".to_string(), "0.md".to_string()));
    }

    #[test]
    fn a_section_that_repeats_the_title_is_named_once() {
        let mut c = citation("text");
        assert!(
            citation_line(&c).ends_with(" · Members · ¶2"),
            "{}",
            citation_line(&c)
        );
        c.section = Some("Garden *club*".into());
        assert!(
            citation_line(&c).ends_with(") · ¶2"),
            "{}",
            citation_line(&c)
        );
    }

    #[test]
    fn unsafe_urls_are_not_linked() {
        let mut c = citation("text");
        c.url = Some("javascript:alert(1)".into());
        assert!(!citation_line(&c).contains("]("));
    }

    #[test]
    fn many_posts_are_summarised_within_the_limit() {
        let list: Vec<PostSummary> = (0..500)
            .map(|i| PostSummary {
                document: format!("{i}.md"),
                title: format!("Post number {i} with a long title"),
                passages: i,
                url: None,
            })
            .collect();
        let reply = posts(&list, SystemTime::now());
        let description = reply.embed.unwrap().description;
        assert!(char_len(&description) <= EMBED_DESCRIPTION_LIMIT);
        assert!(description.contains("more"));
    }
}
