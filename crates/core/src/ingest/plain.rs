//! Plain-text posts: a paragraph per line or hard-wrapped paragraphs separated by blank lines, with
//! section headings recognised by their shape (short, title-cased, no closing full stop; in
//! Chinese, short and without sentence punctuation) because plain text has no markup for them.

use std::ops::Range;

use super::{is_boilerplate, trim_range, Meta, Parsed, ParsedParagraph};

/// Splits plain text into paragraphs and the headings they sit under.
pub(super) fn parse(source: &str) -> Parsed {
    let units = units(source);
    let mut paragraphs = Vec::new();
    let mut section: Option<String> = None;
    for (i, unit) in units.iter().enumerate() {
        let text = &source[unit.clone()];
        let next_is_body = units
            .get(i + 1)
            .is_some_and(|next| !looks_like_heading(&source[next.clone()]));
        if next_is_body && looks_like_heading(text) {
            section = Some(text.trim().to_string());
        } else {
            paragraphs.push(ParsedParagraph {
                section: section.clone(),
                range: unit.clone(),
                markup: Vec::new(),
                columns: Vec::new(),
            });
        }
    }
    Parsed {
        meta: Meta::default(),
        paragraphs,
        warnings: Vec::new(),
    }
}

/// Paragraph candidates: runs of non-blank lines, where a line that ends a sentence and is
/// followed by one that starts like a new sentence closes the paragraph (one paragraph per line),
/// and anything else is a hard wrap inside the paragraph. Boilerplate lines are dropped here.
fn units(source: &str) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    for line in super::lines(source) {
        let trimmed = trim_range(source, line);
        let content = &source[trimmed.clone()];
        if !content.is_empty() && !is_boilerplate(content) {
            lines.push(Some(trimmed));
        } else {
            lines.push(None);
        }
    }
    let mut units: Vec<Range<usize>> = Vec::new();
    let mut open = false;
    for line in lines {
        match line {
            None => open = false,
            Some(range) => {
                let joins = open
                    && units.last().is_some_and(|prev| {
                        is_hard_wrap(&source[prev.clone()], &source[range.clone()])
                    });
                if joins {
                    units.last_mut().expect("an open unit").end = range.end;
                } else {
                    units.push(range);
                }
                open = true;
            }
        }
    }
    units
}

/// A line continues the previous one when the previous does not end a sentence, or the line
/// starts in lower case; headings never join.
fn is_hard_wrap(previous: &str, line: &str) -> bool {
    let ends_sentence = previous
        .trim_end_matches(['"', '\'', '”', '’', ')', '*', '_'])
        .ends_with(['.', '!', '?', ':', '。', '！', '？']);
    let starts_lower = line.chars().next().is_some_and(char::is_lowercase);
    if looks_like_heading(previous) && !starts_lower {
        return false;
    }
    !ends_sentence || starts_lower
}

/// Short lines in title case without a closing full stop head the paragraphs after them.
pub(super) fn looks_like_heading(line: &str) -> bool {
    let line = line.trim();
    let words: Vec<&str> = line.split_whitespace().collect();
    if line.is_empty() || line.chars().count() > 100 || words.len() > 14 {
        return false;
    }
    if line.ends_with(['.', ',', ';', '。', '，', '；']) {
        return false;
    }
    if crate::analysis::is_mostly_chinese(line) {
        // Chinese has no capitals: a short line without sentence punctuation is a heading.
        return line.chars().count() <= 20
            && !line.contains(['，', '。', '！', '？', '；', '：', ',', '!', '?', ';']);
    }
    let significant: Vec<&str> = words
        .iter()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    if significant.is_empty() {
        return false;
    }
    let capitalised = significant
        .iter()
        .filter(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_numeric())
        })
        .count();
    capitalised * 4 >= significant.len() * 3
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(source: &str) -> Vec<(Option<String>, String)> {
        parse(source)
            .paragraphs
            .into_iter()
            .map(|p| (p.section, source[p.range].to_string()))
            .collect()
    }

    #[test]
    fn title_case_lines_head_the_paragraphs_after_them() {
        let text = "Intro paragraph that runs on.\nWhy Bees Matter: A Primer?\nBees pollinate crops.\nThey also make honey.\n";
        let got = paragraphs(text);
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].0, None);
        assert_eq!(
            got[1],
            (
                Some("Why Bees Matter: A Primer?".into()),
                "Bees pollinate crops.".into()
            )
        );
        assert_eq!(got[2].0.as_deref(), Some("Why Bees Matter: A Primer?"));
    }

    #[test]
    fn sentence_like_lines_are_not_headings() {
        assert!(!looks_like_heading("Will it work?"));
        assert!(!looks_like_heading("The council met on Monday."));
        assert!(looks_like_heading(
            "Navigating the Competition-Collaboration Conundrum"
        ));
        assert!(looks_like_heading(
            "The Road Ahead: Vision or Wishful Thinking?"
        ));
    }

    #[test]
    fn short_chinese_lines_are_headings() {
        let text = "节日的由来\n灯笼节始于1998年。当时只有三十多户人家参加。\n规模\n如今每年吸引超过12000名游客。\n";
        let got = paragraphs(text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0.as_deref(), Some("节日的由来"));
        assert_eq!(got[1].0.as_deref(), Some("规模"));
        assert!(!looks_like_heading("为什么要保护手艺？"));
    }

    #[test]
    fn hard_wrapped_paragraphs_are_joined() {
        let text = "The river floods in\nspring and autumn.\n\nA second paragraph.\n";
        let got = paragraphs(text);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].1, "The river floods in\nspring and autumn.");
    }

    #[test]
    fn old_mac_and_windows_line_endings_read_like_unix_ones() {
        let unix = "Intro paragraph that runs on.\nWhy Bees Matter\nBees pollinate crops.\n\nThe river floods in\nspring.\n";
        let expected = paragraphs(unix);
        assert_eq!(expected[1].0.as_deref(), Some("Why Bees Matter"));
        for ending in ["\r", "\r\n", "\u{2028}"] {
            let text = unix.replace('\n', ending);
            let got = paragraphs(&text);
            assert_eq!(got.len(), expected.len(), "{ending:?}: {got:?}");
            for ((section, para), (want_section, want_para)) in got.iter().zip(&expected) {
                assert_eq!(section, want_section, "{ending:?}");
                assert_eq!(para, &want_para.replace('\n', ending), "{ending:?}");
            }
        }
    }

    #[test]
    fn trailing_boilerplate_is_dropped() {
        let got = paragraphs("Body text here.\n发表回复\n");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, "Body text here.");
    }

    #[test]
    fn a_heading_at_the_end_is_kept_as_text() {
        let got = paragraphs("Body text here.\nFinal Words Of Wisdom\n");
        assert_eq!(got.len(), 2);
    }
}
