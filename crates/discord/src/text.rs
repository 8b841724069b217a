//! Discord's text rules for what the bot writes: the length limits, cutting long text at a word
//! boundary with "…", and escaping text quoted from a post so it cannot break the reply's Markdown.
//! Lengths are counted in characters (Unicode scalar values), never bytes, so no cut lands
//! mid-character.

use std::ops::Range;

/// Longest message content Discord accepts.
pub const CONTENT_LIMIT: usize = 2000;
/// Longest embed description Discord accepts.
pub const EMBED_DESCRIPTION_LIMIT: usize = 4096;
/// Longest embed title Discord accepts.
pub const EMBED_TITLE_LIMIT: usize = 256;

const ELLIPSIS: char = '…';

/// Number of characters as Discord counts them for its limits.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// `text` cut to at most `limit` characters: at the last word boundary that keeps at least half of
/// the budget (else at a character boundary), with "…" appended when anything was cut.
pub fn truncate(text: &str, limit: usize) -> String {
    match cut_point(text, limit) {
        None => text.to_string(),
        Some(end) => format!("{}{ELLIPSIS}", text[..end].trim_end()),
    }
}

/// Byte index at which `text` must be cut (leaving room for "…") to fit in `limit` characters, or
/// `None` when it fits as it is.
fn cut_point(text: &str, limit: usize) -> Option<usize> {
    if char_len(text) <= limit {
        return None;
    }
    let keep = limit.saturating_sub(1);
    let hard_end = text.char_indices().nth(keep).map_or(text.len(), |(i, _)| i);
    if text[hard_end..].starts_with(char::is_whitespace) {
        return Some(hard_end);
    }
    let head = &text[..hard_end];
    // A word boundary is only worth it when it does not throw away most of the budget.
    let word_end = head
        .char_indices()
        .filter(|(_, c)| c.is_whitespace())
        .map(|(i, _)| i)
        .next_back()
        .filter(|&i| char_len(&head[..i]) >= keep / 2);
    Some(word_end.unwrap_or(hard_end))
}

/// Backslash-escapes every character that Discord Markdown gives a meaning, so quoted text shows
/// literally: emphasis, code, spoilers, quotes, headings, lists, masked links and `<…>` mentions.
/// A web address is kept as written inside `<…>`, which Discord shows as a link without a
/// preview: escaped, "https\://" was no link, and a backslash inside one breaks it.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut at = 0;
    for url in web_addresses(text) {
        escape_plain(&text[at..url.start], &mut out);
        out.push('<');
        out.push_str(&text[url.clone()]);
        out.push('>');
        at = url.end;
    }
    escape_plain(&text[at..], &mut out);
    out
}

/// The byte ranges of the web addresses in `text`: from "http://" or "https://" after no letter
/// or digit, to white space or an angle bracket, without the punctuation that ends a sentence
/// or closes a bracket the address did not open ("(see https://e.org/a)." ends at "a").
pub fn web_addresses(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| text[from..].find(scheme))
        .min()
    {
        let start = from + found;
        let after_word = text[..start].ends_with(char::is_alphanumeric);
        let mut end = text[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>'))
            .map_or(text.len(), |e| start + e);
        loop {
            let url = &text[start..end];
            let Some(last) = url.chars().next_back() else {
                break;
            };
            let unopened = |open: char| url.matches(open).count() < url.matches(last).count();
            let trailing = matches!(
                last,
                '.' | ',' | ':' | ';' | '!' | '?' | '\'' | '"' | '*' | '_' | '~' | '|'
            ) || last == ')' && unopened('(')
                || last == ']' && unopened('[');
            if !trailing {
                break;
            }
            end -= last.len_utf8();
        }
        // A bare scheme is no address.
        let scheme_only = text[start..end].ends_with("//");
        if !after_word && !scheme_only {
            out.push(start..end);
        }
        from = end.max(start + 1);
    }
    out
}

/// [`escape_markdown`] of text that holds no web address.
fn escape_plain(text: &str, out: &mut String) {
    let mut at_line_start = out.is_empty() || out.ends_with('\n');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '#' | '-' | '[' | ']' | '(' | ')' | '<'
            | ':' | '+' => {
                out.push('\\');
                out.push(c);
            }
            // "1. item" at the start of a line would become an ordered list.
            '0'..='9' if at_line_start => {
                out.push(c);
                while let Some(&d) = chars.peek() {
                    if !d.is_ascii_digit() {
                        break;
                    }
                    out.push(d);
                    chars.next();
                }
                if chars.peek() == Some(&'.') {
                    chars.next();
                    out.push_str("\\.");
                }
            }
            _ => out.push(c),
        }
        at_line_start = c == '\n' || (at_line_start && c.is_whitespace());
    }
}

/// A passage as a Markdown block quote: escaped, with the `bold` byte ranges in bold, cut at a
/// word boundary so that the whole quote fits in `limit` characters.
pub fn quote(text: &str, bold: &[Range<usize>], limit: usize) -> String {
    // Trimming moves the text's start: the bold ranges move with it.
    let lead = text.len() - text.trim_start().len();
    let text = text.trim();
    let bold: Vec<Range<usize>> = bold
        .iter()
        .filter(|r| r.start >= lead)
        .map(|r| r.start - lead..r.end - lead)
        .collect();
    let bold = bold.as_slice();
    let mut budget = char_len(text).min(limit);
    loop {
        let end = cut_point(text, budget).unwrap_or(text.len());
        let mut body = render_bold(&text[..end], bold);
        if end < text.len() {
            body = format!("{}{ELLIPSIS}", body.trim_end());
        }
        let quoted = format!("> {}", body.replace('\n', "\n> "));
        let len = char_len(&quoted);
        if len <= limit || budget == 0 {
            return quoted;
        }
        // Escapes and quote markers made it longer than the raw text: shrink by the overflow.
        budget = budget.saturating_sub((len - limit).max(budget / 10).max(1));
    }
}

/// Escapes `text` and wraps each valid, non-overlapping `bold` range in `**`, but none that
/// touches a web address, which must stay whole to stay a link.
fn render_bold(text: &str, bold: &[Range<usize>]) -> String {
    let addresses = web_addresses(text);
    let mut ranges: Vec<Range<usize>> = bold
        .iter()
        .map(|r| r.start..r.end.min(text.len()))
        .filter(|r| {
            r.start < r.end && text.is_char_boundary(r.start) && text.is_char_boundary(r.end)
        })
        .filter(|r| !addresses.iter().any(|a| r.start < a.end && a.start < r.end))
        .collect();
    ranges.sort_by_key(|r| r.start);
    let mut out = String::new();
    let mut pos = 0;
    for range in ranges {
        if range.start < pos {
            continue;
        }
        let word = text[range.clone()].trim();
        if word.is_empty() {
            continue;
        }
        out.push_str(&escape_markdown(&text[pos..range.start]));
        out.push_str("**");
        out.push_str(&escape_markdown(&text[range.clone()]));
        out.push_str("**");
        pos = range.end;
    }
    out.push_str(&escape_markdown(&text[pos..]));
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn bold_ranges_follow_a_trimmed_quote() {
        assert_eq!(
            quote("  bees make honey", std::slice::from_ref(&(2..6)), 100),
            "> **bees** make honey"
        );
    }

    use super::*;

    #[test]
    fn short_text_is_kept() {
        assert_eq!(truncate("short", 10), "short");
    }

    #[test]
    fn long_text_is_cut_at_a_word_with_ellipsis() {
        let cut = truncate("the garden club has forty members", 20);
        assert_eq!(cut, "the garden club has…");
        assert!(char_len(&cut) <= 20);
    }

    #[test]
    fn cut_never_splits_a_character() {
        let text = "é".repeat(50);
        let cut = truncate(&text, 10);
        assert_eq!(char_len(&cut), 10);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(
            escape_markdown("**bold** `code`"),
            "\\*\\*bold\\*\\* \\`code\\`"
        );
        // A masked link is taken apart; the address in it stays a link.
        assert_eq!(
            escape_markdown("[x](http://e.org)"),
            "\\[x\\]\\(<http://e.org>\\)"
        );
        assert_eq!(
            escape_markdown("1. first\n2. second"),
            "1\\. first\n2\\. second"
        );
        assert_eq!(escape_markdown("version 2.5"), "version 2.5");
    }

    #[test]
    fn web_addresses_stay_links_without_their_closing_punctuation() {
        assert_eq!(
            escape_markdown("Tickets: https://e.org/a_b-(1)?x=*y*. Or mail_us"),
            "Tickets\\: <https://e.org/a_b-(1)?x=*y>\\*. Or mail\\_us"
        );
        assert_eq!(
            escape_markdown("(see https://e.org/page), then http:// and xhttps://e.org"),
            "\\(see <https://e.org/page>\\), then http\\:// and xhttps\\://e.org"
        );
        // No bold inside an address; an ordered-list number after one is still escaped.
        let text = "Read https://e.org/garden now\n1. first";
        assert_eq!(
            quote(text, &[13..19, 26..29], 100),
            "> Read <https://e.org/garden> **now**\n> 1\\. first"
        );
    }

    #[test]
    fn quote_bolds_ranges_and_escapes_the_rest() {
        let text = "The club has 42 members_now.";
        let q = quote(text, &[13..15, 16..23], 100);
        assert_eq!(q, "> The club has **42** **members**\\_now.");
    }

    #[test]
    fn quote_ignores_ranges_off_char_boundaries() {
        let q = quote("é and a", &[1..2, 3..6], 100);
        assert_eq!(q, "> é **and** a");
    }

    #[test]
    fn quote_fits_even_when_escaping_doubles_the_text() {
        let text = "*_".repeat(3000);
        let q = quote(&text, &[], 1000);
        assert!(char_len(&q) <= 1000, "{}", char_len(&q));
        assert!(q.ends_with('…'));
    }

    #[test]
    fn multi_line_quote_keeps_every_line_quoted() {
        assert_eq!(quote("one\ntwo", &[], 100), "> one\n> two");
    }
}
