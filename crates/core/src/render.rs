//! Plain-text rendering of answers for the terminal: the short answer on top, the quoted passage
//! with the matched words in bold (Markdown `**`), and where it comes from. The Discord front end
//! has its own rendering with Discord's limits and escaping; both read the same [`Answer`].
//! Whatever reaches a terminal goes through [`terminal_safe`]: a post's control characters
//! (an escape sequence that retitles the terminal or clears the screen) are never printed raw.

use std::borrow::Cow;
use std::fmt::Write;

use crate::engine::{Answer, Citation, Outcome};

/// `text` with the control characters a terminal would act on made harmless: tabs and carriage
/// returns become spaces, the other C0 and C1 controls and DEL become `�`. Line breaks stay.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n';
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            '\t' | '\r' => ' ',
            c if unsafe_char(c) => char::REPLACEMENT_CHARACTER,
            c => c,
        })
        .collect()
}

/// The reply to small talk ("hi", "thanks!", "bye"): no greeting, which would answer a thanks or
/// a farewell with "Hi!".
pub const SMALL_TALK_REPLY: &str =
    "I answer questions about the posts, with the passage each answer comes from. Ask me something.";

/// Renders an answer for a terminal.
pub fn answer_text(answer: &Answer) -> String {
    let text = answer_markup(answer);
    match terminal_safe(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(safe) => safe,
    }
}

/// The answer's text as it should read, before [`terminal_safe`].
fn answer_markup(answer: &Answer) -> String {
    let mut out = String::new();
    let mut rest = answer.citations.iter();
    match answer.outcome {
        Outcome::SmallTalk => {
            out.push_str(SMALL_TALK_REPLY);
            out.push('\n');
            return out;
        }
        Outcome::NotCovered => {
            out.push_str("The posts don't answer that.\n");
            if !answer.citations.is_empty() {
                out.push_str("\nNearest passages (not an answer):\n");
                for (i, c) in answer.citations.iter().enumerate() {
                    let _ = writeln!(out, "\n{}. {}", i + 1, quote(c));
                }
            }
            return out;
        }
        Outcome::NoFigure => out.push_str("The posts mention this but give no figure for it.\n"),
        Outcome::Answered => match &answer.answer {
            Some(short) => {
                let _ = writeln!(out, "{short}");
            }
            None => out.push_str("The posts say:\n"),
        },
    }
    if let Some(first) = rest.next() {
        let _ = writeln!(out, "\n{}", quote(first));
    }
    let more: Vec<&Citation> = rest.collect();
    if !more.is_empty() {
        out.push_str("\nSee also:\n");
        for (i, c) in more.iter().enumerate() {
            let _ = writeln!(out, "\n{}. {}", i + 2, quote(c));
        }
    }
    out
}

/// A citation as a quoted passage with bold matches and a source line; a table row under the
/// names of its columns.
pub fn quote(citation: &Citation) -> String {
    let columns = citation
        .column_line()
        .map_or_else(String::new, |line| format!("> {line}\n"));
    format!(
        "{columns}> {}\n  — {}",
        bolded(citation),
        source_line(citation)
    )
}

/// "Title › Section › ¶N <link to the cited sentence>".
pub fn source_line(citation: &Citation) -> String {
    let mut line = citation.title.clone();
    if let Some(section) = citation.section_beyond_title() {
        line.push_str(" › ");
        line.push_str(section);
    }
    let _ = write!(line, " › ¶{}", citation.paragraph);
    if let Some(link) = citation.link() {
        let _ = write!(line, " <{link}>");
    }
    line
}

/// The citation's text with each matched word wrapped in `**`, except inside code and links,
/// which are copied as they are written (a `**` inside a URL or a command breaks it when pasted).
/// Newlines inside the passage (hard wraps) become spaces so the quote stays one block.
pub fn bolded(citation: &Citation) -> String {
    let text = &citation.text;
    let verbatim = verbatim_spans(text);
    let mut out = String::with_capacity(text.len() + 4 * citation.highlight_ranges.len());
    let mut at = 0;
    for r in &citation.highlight_ranges {
        if r.start < at
            || r.end > text.len()
            || verbatim.iter().any(|v| v.start < r.end && r.start < v.end)
        {
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.push_str("**");
        out.push_str(&text[r.clone()]);
        out.push_str("**");
        at = r.end;
    }
    out.push_str(&text[at..]);
    out.replace('\n', " ")
}

/// The byte ranges of `text` that must be copied exactly: code between backticks and links
/// (a word holding "://", "www." at its start, up to the next white space). (Discord's quotes
/// escape both, so there they are no code or link to keep.)
fn verbatim_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    let mut start = 0;
    for word in text.split_whitespace() {
        let at = start + text[start..].find(word).expect("a word of the text");
        start = at + word.len();
        if word.contains("://") || word.starts_with("www.") {
            spans.push(at..start);
        }
    }
    let ticks: Vec<usize> = text.match_indices('`').map(|(i, _)| i).collect();
    for pair in ticks.chunks_exact(2) {
        spans.push(pair[0]..pair[1] + 1);
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn citation() -> Citation {
        Citation {
            document: "a.md".into(),
            title: "Bees".into(),
            section: Some("Honey".into()),
            paragraph: 2,
            text: "Bees make honey\nin summer.".into(),
            start: 0,
            end: 26,
            highlights: vec!["honey".into()],
            score: 1.0,
            url: None,
            highlight_ranges: std::iter::once(10..15).collect(),
            answer_range: None,
            columns: Vec::new(),
        }
    }

    #[test]
    fn a_table_row_is_quoted_under_its_column_names() {
        let row = Citation {
            text: "Greenbank B | 12 | 14".into(),
            highlight_ranges: Vec::new(),
            columns: vec!["Team".into(), "Pld".into(), "Pts".into()],
            ..citation()
        };
        assert!(
            quote(&row).starts_with("> Team | Pld | Pts\n> Greenbank B | 12 | 14\n"),
            "{}",
            quote(&row)
        );
    }

    #[test]
    fn matched_words_are_bold_and_source_is_named() {
        let q = quote(&citation());
        assert!(q.contains("> Bees make **honey** in summer."), "{q}");
        assert!(q.contains("Bees › Honey › ¶2"), "{q}");
    }

    #[test]
    fn matched_words_inside_code_and_links_are_not_bolded() {
        let mut c = citation();
        c.text = "Run `tide sync --bees` or see https://example.org/bees for bees.".into();
        c.highlight_ranges = c
            .text
            .match_indices("bees")
            .map(|(i, w)| i..i + w.len())
            .collect();
        assert_eq!(
            bolded(&c),
            "Run `tide sync --bees` or see https://example.org/bees for **bees**."
        );
    }

    #[test]
    fn a_section_that_repeats_the_title_is_named_once() {
        let mut c = citation();
        c.section = Some("bees ".into());
        assert_eq!(source_line(&c), "Bees › ¶2");
    }

    #[test]
    fn the_source_links_to_the_cited_sentence() {
        let mut c = citation();
        c.url = Some("https://example.org/bees".into());
        assert!(
            source_line(&c)
                .ends_with("<https://example.org/bees#:~:text=Bees%20make%20honey%20in%20summer.>"),
            "{}",
            source_line(&c)
        );
    }

    #[test]
    fn control_characters_of_posts_never_reach_the_terminal() {
        let mut c = citation();
        c.title = "Bees\u{1b}]0;pwned\u{7}".into();
        c.section = Some("Honey\u{9b}2J".into());
        c.text = "Bees make \u{1b}[2Jhoney\rin\tsummer.\u{7f}".into();
        c.highlight_ranges = std::iter::once(14..19).collect();
        c.url = Some("https://example.org/bees".into());
        let answer = Answer {
            question: "q".into(),
            answer: Some("honey\u{1b}[0m".into()),
            confidence: Some(0.9),
            citations: vec![c],
            outcome: Outcome::Answered,
        };
        let text = answer_text(&answer);
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(
            text.contains("Bees make �[2J**honey** in summer.�"),
            "{text}"
        );
        assert!(text.contains("Bees�]0;pwned� › Honey�2J › ¶2"), "{text}");
        assert_eq!(terminal_safe("plain\ntext"), Cow::Borrowed("plain\ntext"));
    }

    #[test]
    fn not_covered_says_so_before_anything_else() {
        let answer = Answer {
            question: "q".into(),
            answer: None,
            confidence: None,
            citations: vec![citation()],
            outcome: Outcome::NotCovered,
        };
        let text = answer_text(&answer);
        assert!(text.starts_with("The posts don't answer that."), "{text}");
        assert!(text.contains("not an answer"), "{text}");
    }

    #[test]
    fn no_figure_never_shows_a_short_answer() {
        let answer = Answer {
            question: "q".into(),
            answer: None,
            confidence: None,
            citations: vec![citation()],
            outcome: Outcome::NoFigure,
        };
        assert!(answer_text(&answer).starts_with("The posts mention this but give no figure"));
    }
}
