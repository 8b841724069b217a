//! Plain-text rendering of answers for the terminal: the short answer on top, the quoted passage
//! with the matched words in bold (Markdown `**`), and where it comes from. The Discord front end
//! has its own rendering with Discord's limits and escaping; both read the same [`Answer`].

use std::fmt::Write;

use crate::engine::{Answer, Citation, Outcome};

/// Renders an answer for a terminal.
pub fn answer_text(answer: &Answer) -> String {
    let mut out = String::new();
    let mut rest = answer.citations.iter();
    match answer.outcome {
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

/// A citation as a quoted passage with bold matches and a source line.
pub fn quote(citation: &Citation) -> String {
    format!("> {}\n  — {}", bolded(citation), source_line(citation))
}

/// "Title › Section › ¶N <link to the cited sentence>".
pub fn source_line(citation: &Citation) -> String {
    let mut line = citation.title.clone();
    if let Some(section) = &citation.section {
        line.push_str(" › ");
        line.push_str(section);
    }
    let _ = write!(line, " › ¶{}", citation.paragraph);
    if let Some(link) = citation.link() {
        let _ = write!(line, " <{link}>");
    }
    line
}

/// The citation's text with each matched word wrapped in `**`. Newlines inside the passage (hard
/// wraps) become spaces so the quote stays one block.
pub fn bolded(citation: &Citation) -> String {
    let text = &citation.text;
    let mut out = String::with_capacity(text.len() + 4 * citation.highlight_ranges.len());
    let mut at = 0;
    for r in &citation.highlight_ranges {
        if r.start < at || r.end > text.len() {
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
        }
    }

    #[test]
    fn matched_words_are_bold_and_source_is_named() {
        let q = quote(&citation());
        assert!(q.contains("> Bees make **honey** in summer."), "{q}");
        assert!(q.contains("Bees › Honey › ¶2"), "{q}");
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
    fn not_covered_says_so_before_anything_else() {
        let answer = Answer {
            question: "q".into(),
            answered: false,
            answer: None,
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
            answered: true,
            answer: None,
            citations: vec![citation()],
            outcome: Outcome::NoFigure,
        };
        assert!(answer_text(&answer).starts_with("The posts mention this but give no figure"));
    }
}
