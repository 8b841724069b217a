//! The `ask --json` contract: what programs read of an answer, one JSON object per question.
//! It is its own type, apart from [`Answer`] (which also carries what only presentation needs:
//! highlight and answer ranges), so the contract changes only when this file does.

use serde::Serialize;

use crate::engine::{Answer, Citation, Outcome};

/// One answer as `ask --json` writes it. The field order is the contract's.
#[derive(Debug, Serialize)]
pub struct AnswerJson<'a> {
    /// The question as asked.
    question: &'a str,
    /// False when the posts don't cover the question (or it was small talk).
    answered: bool,
    /// The short answer shown, a verbatim span of the first citation's text.
    answer: Option<&'a str>,
    /// The probability that the best short answer is right; null when there is no candidate.
    confidence: Option<f32>,
    /// Best first.
    citations: Vec<CitationJson<'a>>,
    /// Finer than `answered`: `answered`, `no_figure` (cited, but the posts give no figure),
    /// `not_covered` or `small_talk`.
    outcome: &'static str,
}

/// One cited passage as `ask --json` writes it.
#[derive(Debug, Serialize)]
struct CitationJson<'a> {
    /// The post's file name within the posts folder.
    document: &'a str,
    /// The post's title.
    title: &'a str,
    /// The section heading the passage sits under, if any.
    section: Option<&'a str>,
    /// 1-based paragraph number within the post.
    paragraph: usize,
    /// The cited text, verbatim from the post.
    text: &'a str,
    /// Byte offset of `text` in the post's file.
    start: usize,
    /// Byte offset of the end of `text` in the post's file.
    end: usize,
    /// The words of `text` that matched the question, as written there.
    highlights: &'a [String],
    /// Relevance score; higher is better.
    score: f32,
    /// Link to the post; null when it has none.
    url: Option<&'a str>,
}

impl<'a> From<&'a Answer> for AnswerJson<'a> {
    fn from(answer: &'a Answer) -> Self {
        AnswerJson {
            question: &answer.question,
            answered: answer.answered(),
            answer: answer.answer.as_deref(),
            confidence: answer.confidence,
            citations: answer.citations.iter().map(CitationJson::from).collect(),
            outcome: outcome_name(answer.outcome),
        }
    }
}

impl<'a> From<&'a Citation> for CitationJson<'a> {
    fn from(c: &'a Citation) -> Self {
        CitationJson {
            document: &c.document,
            title: &c.title,
            section: c.section.as_deref(),
            paragraph: c.paragraph,
            text: &c.text,
            start: c.start,
            end: c.end,
            highlights: &c.highlights,
            score: c.score,
            url: c.url.as_deref(),
        }
    }
}

/// The contract's name of an outcome.
fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Answered => "answered",
        Outcome::NoFigure => "no_figure",
        Outcome::NotCovered => "not_covered",
        Outcome::SmallTalk => "small_talk",
    }
}

/// One answer as a line of `ask --json`.
pub fn answer_line(answer: &Answer) -> String {
    serde_json::to_string(&AnswerJson::from(answer)).expect("answers serialise")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(outcome: Outcome) -> Answer {
        Answer {
            question: "How many hives?".into(),
            answer: Some("12".into()),
            confidence: Some(0.5),
            citations: vec![Citation {
                document: "bees.md".into(),
                title: "Bees".into(),
                section: None,
                paragraph: 2,
                text: "We keep 12 hives.".into(),
                start: 40,
                end: 57,
                highlights: vec!["hives".into()],
                score: 1.5,
                url: None,
                highlight_ranges: std::iter::once(11..16).collect(),
                answer_range: Some(8..10),
                columns: Vec::new(),
            }],
            outcome,
        }
    }

    #[test]
    fn the_contract_keeps_its_fields_and_their_order() {
        assert_eq!(
            answer_line(&answer(Outcome::Answered)),
            r#"{"question":"How many hives?","answered":true,"answer":"12","confidence":0.5,"citations":[{"document":"bees.md","title":"Bees","section":null,"paragraph":2,"text":"We keep 12 hives.","start":40,"end":57,"highlights":["hives"],"score":1.5,"url":null}],"outcome":"answered"}"#
        );
    }

    #[test]
    fn answered_follows_the_outcome() {
        for (outcome, answered, name) in [
            (Outcome::Answered, true, "answered"),
            (Outcome::NoFigure, true, "no_figure"),
            (Outcome::NotCovered, false, "not_covered"),
            (Outcome::SmallTalk, false, "small_talk"),
        ] {
            let value: serde_json::Value =
                serde_json::from_str(&answer_line(&answer(outcome))).unwrap();
            assert_eq!(value["answered"], answered, "{outcome:?}");
            assert_eq!(value["outcome"], name, "{outcome:?}");
        }
    }
}
