//! The report for a community's admins (`citebot report`): what members ask and what the posts
//! don't answer, read from the bot's feedback log (JSON lines, `discord.feedback_log`). It
//! counts questions per day and how they went (answered with a short answer, answered with the
//! passage alone, not covered, no figure given), groups the unanswered questions by their
//! content words (the coverage gaps), and sums the 👍 / 👎 per post and the posts and sections
//! cited most. It renders as text, or as one self-contained HTML page with SVG charts (no
//! JavaScript, nothing fetched).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::analysis::{is_function_word, terms};
use crate::error::{Error, Result};

/// How many coverage gaps, posts and sections each list shows.
const SHOWN: usize = 10;
/// Width in characters of the longest bar in the text report.
const TEXT_BAR_WIDTH: usize = 30;
/// Width and height in pixels of an SVG chart's plotting area.
const CHART_WIDTH: u32 = 640;
const CHART_HEIGHT: u32 = 160;
/// Height in pixels of one bar of a horizontal bar chart.
const ROW_HEIGHT: u32 = 22;

/// One line of the feedback log: the bot writes it, the report reads it. Reading ignores fields
/// it does not know and fills in those a line lacks, so older and newer logs read alike.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Entry {
    /// A question the posts answered.
    Answered {
        /// Seconds since the Unix epoch.
        at: u64,
        /// The question as asked.
        #[serde(default)]
        question: String,
        /// Whether a short answer was shown (else the passage alone).
        short_answer: bool,
        /// The title of the post cited first.
        post: String,
        /// The section of that post, if any.
        #[serde(default)]
        section: Option<String>,
    },
    /// A question the posts don't cover, or cover without the figure asked for.
    Unanswered {
        /// Seconds since the Unix epoch.
        at: u64,
        /// The question as asked.
        question: String,
        /// `not_covered` or `no_figure`.
        outcome: String,
    },
    /// A member's 👍 or 👎 on an answer.
    Feedback {
        /// Seconds since the Unix epoch.
        at: u64,
        /// The question the answer was for.
        #[serde(default)]
        question: String,
        /// The short answer that was given, if any.
        #[serde(default)]
        answer: Option<String>,
        /// True for 👍.
        helpful: bool,
        /// The title of the post the answer cited first, if any.
        #[serde(default)]
        post: Option<String>,
    },
}

/// Unanswered questions that share their content words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The content words, as the first question wrote them (lower-case), in the order of their
    /// analysed forms: what the questions have in common.
    pub words: Vec<String>,
    /// How many times it was asked.
    pub count: usize,
    /// The question as first asked.
    pub example: String,
}

/// The report on a feedback log.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Questions per day (`YYYY-MM-DD`, UTC).
    pub per_day: BTreeMap<String, usize>,
    /// Answered with a short answer.
    pub answered: usize,
    /// Answered with the cited passage alone, no short answer.
    pub no_short_answer: usize,
    /// Not covered by the posts.
    pub not_covered: usize,
    /// The posts mention the subject but give no figure.
    pub no_figure: usize,
    /// The most asked unanswered subjects, most asked first.
    pub gaps: Vec<Gap>,
    /// 👍 and 👎 per post title, most voted first.
    pub feedback: Vec<(String, usize, usize)>,
    /// The posts cited first in answers, most cited first.
    pub posts: Vec<(String, usize)>,
    /// The sections ("Post › Section") cited first in answers, most cited first.
    pub sections: Vec<(String, usize)>,
    /// Lines that are not log entries (a torn last line, another file).
    pub unreadable: usize,
}

/// Seconds since the Unix epoch at the start (UTC) of `date`, given as `YYYY-MM-DD`.
pub fn day_start(date: &str) -> Result<u64> {
    let parsed = humantime::parse_rfc3339_weak(&format!("{} 00:00:00", date.trim()))
        .map_err(|_| Error::ReportDate(date.to_string()))?;
    Ok(parsed
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs()))
}

/// The UTC day of a timestamp, `YYYY-MM-DD`.
fn day_of(at: u64) -> String {
    let time = UNIX_EPOCH + Duration::from_secs(at);
    humantime::format_rfc3339_seconds(time).to_string()[..10].to_string()
}

impl Report {
    /// Reads the log at `path`, keeping entries from `since` (seconds since the epoch) on.
    pub fn read(path: &Path, since: Option<u64>) -> Result<Report> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Report::from_log(&text, since))
    }

    /// The report on log text, keeping entries from `since` on.
    pub fn from_log(text: &str, since: Option<u64>) -> Report {
        let mut report = Report::default();
        let mut gaps: HashMap<Vec<String>, Gap> = HashMap::new();
        let mut feedback: HashMap<String, (usize, usize)> = HashMap::new();
        let mut posts: HashMap<String, usize> = HashMap::new();
        let mut sections: HashMap<String, usize> = HashMap::new();
        let since = since.unwrap_or(0);
        for line in text.lines().filter(|line| !line.trim().is_empty()) {
            let Ok(entry) = serde_json::from_str::<Entry>(line) else {
                report.unreadable += 1;
                continue;
            };
            let at = match &entry {
                Entry::Answered { at, .. } | Entry::Unanswered { at, .. } => *at,
                Entry::Feedback { at, .. } => *at,
            };
            if at < since {
                continue;
            }
            match entry {
                Entry::Answered {
                    short_answer,
                    post,
                    section,
                    ..
                } => {
                    *report.per_day.entry(day_of(at)).or_default() += 1;
                    if short_answer {
                        report.answered += 1;
                    } else {
                        report.no_short_answer += 1;
                    }
                    if let Some(section) = section {
                        *sections.entry(format!("{post} › {section}")).or_default() += 1;
                    }
                    *posts.entry(post).or_default() += 1;
                }
                Entry::Unanswered {
                    question, outcome, ..
                } => {
                    *report.per_day.entry(day_of(at)).or_default() += 1;
                    if outcome == "no_figure" {
                        report.no_figure += 1;
                    } else {
                        report.not_covered += 1;
                    }
                    let (analysed, written): (Vec<String>, Vec<String>) =
                        content_words(&question).into_iter().unzip();
                    gaps.entry(analysed)
                        .or_insert_with(|| Gap {
                            words: written,
                            count: 0,
                            example: question.trim().to_string(),
                        })
                        .count += 1;
                }
                Entry::Feedback { helpful, post, .. } => {
                    let post = post.unwrap_or_else(|| "(no post cited)".to_string());
                    let votes = feedback.entry(post).or_default();
                    if helpful {
                        votes.0 += 1;
                    } else {
                        votes.1 += 1;
                    }
                }
            }
        }
        let mut gaps: Vec<Gap> = gaps.into_values().collect();
        // Most asked first, then in the order of the words (an order that does not depend on
        // the map's).
        gaps.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.words.cmp(&b.words)));
        gaps.truncate(SHOWN);
        report.gaps = gaps;
        let mut feedback: Vec<(String, usize, usize)> = feedback
            .into_iter()
            .map(|(post, (up, down))| (post, up, down))
            .collect();
        feedback.sort_by(|a, b| (b.1 + b.2).cmp(&(a.1 + a.2)).then_with(|| a.0.cmp(&b.0)));
        feedback.truncate(SHOWN);
        report.feedback = feedback;
        report.posts = most(posts);
        report.sections = most(sections);
        report
    }

    /// How many questions the report counts.
    pub fn questions(&self) -> usize {
        self.answered + self.no_short_answer + self.not_covered + self.no_figure
    }

    /// The outcomes with their labels, in the order shown.
    fn outcomes(&self) -> [(&'static str, usize); 4] {
        [
            ("answered with a short answer", self.answered),
            ("answered, passage only", self.no_short_answer),
            ("not covered by the posts", self.not_covered),
            ("mentioned, no figure given", self.no_figure),
        ]
    }

    /// The report as text for a terminal (or a Discord message): one section per measure.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let total = self.questions();
        let span = match (self.per_day.keys().next(), self.per_day.keys().last()) {
            (Some(first), Some(last)) => format!(", {first} to {last}"),
            _ => String::new(),
        };
        let _ = writeln!(out, "{total} questions{span}");
        if self.unreadable > 0 {
            let _ = writeln!(
                out,
                "(log lines that could not be read: {})",
                self.unreadable
            );
        }
        let _ = writeln!(out, "\nQuestions per day");
        let busiest = self.per_day.values().copied().max().unwrap_or(0);
        for (day, count) in &self.per_day {
            let _ = writeln!(out, "  {day}  {count:>5}  {}", text_bar(*count, busiest));
        }
        let _ = writeln!(out, "\nOutcomes");
        for (label, count) in self.outcomes() {
            let _ = writeln!(
                out,
                "  {label:<30} {count:>5}  {:>3}%",
                percent(count, total)
            );
        }
        let _ = writeln!(
            out,
            "\nCoverage gaps (unanswered questions, grouped by their words)"
        );
        if self.gaps.is_empty() {
            let _ = writeln!(out, "  none");
        }
        for gap in &self.gaps {
            let _ = writeln!(
                out,
                "  {:>5}  {}  [{}]",
                gap.count,
                gap.example,
                gap.words.join(" ")
            );
        }
        let _ = writeln!(out, "\nFeedback per post (👍 / 👎)");
        if self.feedback.is_empty() {
            let _ = writeln!(out, "  none");
        }
        for (post, up, down) in &self.feedback {
            let _ = writeln!(out, "  {up:>5} / {down:<5} {post}");
        }
        for (title, list) in [
            ("Posts cited most", &self.posts),
            ("Sections cited most", &self.sections),
        ] {
            let _ = writeln!(out, "\n{title}");
            if list.is_empty() {
                let _ = writeln!(out, "  none");
            }
            for (name, count) in list {
                let _ = writeln!(out, "  {count:>5}  {name}");
            }
        }
        out
    }

    /// The report as one self-contained HTML page: inline CSS and SVG charts, no script, no
    /// link to anything outside the page. `title` heads the page.
    pub fn html(&self, title: &str) -> String {
        let mut page = String::new();
        let total = self.questions();
        let _ = write!(
            page,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"total\">{total} questions</p>\n",
            escape(title),
            escape(title),
        );
        page += "<h2>Questions per day</h2>\n";
        page += &day_chart(&self.per_day);
        page += "<h2>Outcomes</h2>\n";
        let outcomes: Vec<(String, usize)> = self
            .outcomes()
            .iter()
            .map(|(label, count)| (format!("{label} ({}%)", percent(*count, total)), *count))
            .collect();
        page += &bar_chart("outcomes", &outcomes);
        page += "<h2>Coverage gaps</h2>\n<p>Unanswered questions, grouped by their content words.</p>\n";
        page += &table(
            "gaps",
            &["asked", "question", "words"],
            self.gaps.iter().map(|gap| {
                vec![
                    gap.count.to_string(),
                    gap.example.clone(),
                    gap.words.join(" "),
                ]
            }),
        );
        page += "<h2>Feedback per post</h2>\n";
        page += &table(
            "feedback",
            &["post", "👍", "👎"],
            self.feedback
                .iter()
                .map(|(post, up, down)| vec![post.clone(), up.to_string(), down.to_string()]),
        );
        page += "<h2>Posts cited most</h2>\n";
        page += &bar_chart("posts", &self.posts);
        page += "<h2>Sections cited most</h2>\n";
        page += &bar_chart("sections", &self.sections);
        page += "</body>\n</html>\n";
        page
    }
}

/// The page's style sheet.
const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:720px;margin:2em auto;color:#222}\
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}.total{font-size:1.2em}\
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}\
svg text{font-size:12px;fill:#222}";

/// The entries of `counts`, most first (ties by name), at most [`SHOWN`].
fn most(counts: HashMap<String, usize>) -> Vec<(String, usize)> {
    let mut list: Vec<(String, usize)> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list.truncate(SHOWN);
    list
}

/// The content words of a question, each as analysed (what groups questions: those asked in
/// other words or another order, "capital of Mongolia?" and "Mongolia's capital", share them)
/// and as written, lower-case (what a person reads: "apples", not the stem "appl"); sorted by
/// the analysed form, once each.
fn content_words(question: &str) -> Vec<(String, String)> {
    let mut words: Vec<(String, String)> = terms(question)
        .into_iter()
        .filter(|term| !term.joined && !is_function_word(question, term))
        .map(|term| (term.text.to_string(), question[term.range].to_lowercase()))
        .collect();
    words.sort();
    words.dedup_by(|a, b| a.0 == b.0);
    words
}

/// `count` as a rounded percentage of `total` (0 of nothing).
fn percent(count: usize, total: usize) -> usize {
    (count * 100 + total / 2).checked_div(total).unwrap_or(0)
}

/// A bar of block characters, [`TEXT_BAR_WIDTH`] long for the `most` of all.
fn text_bar(count: usize, most: usize) -> String {
    let width = if most == 0 {
        0
    } else {
        (count * TEXT_BAR_WIDTH).div_ceil(most)
    };
    "█".repeat(width)
}

/// Escapes text for HTML (element content and attribute values).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A column chart of questions per day, each column titled with its day and count.
fn day_chart(per_day: &BTreeMap<String, usize>) -> String {
    if per_day.is_empty() {
        return "<p>No questions.</p>\n".to_string();
    }
    let most = per_day.values().copied().max().unwrap_or(1).max(1);
    let slot = CHART_WIDTH / per_day.len() as u32;
    let width = (slot * 4 / 5).max(1);
    let mut svg = format!(
        "<svg class=\"chart\" id=\"per-day\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{CHART_WIDTH}\" height=\"{}\" role=\"img\" aria-label=\"Questions per day\">\n",
        CHART_HEIGHT + 20
    );
    for (i, (day, count)) in per_day.iter().enumerate() {
        let height = (*count as u32 * CHART_HEIGHT) / most as u32;
        let x = i as u32 * slot;
        let _ = writeln!(
            svg,
            "<rect x=\"{x}\" y=\"{}\" width=\"{width}\" height=\"{height}\" fill=\"#5865f2\" data-day=\"{day}\" data-count=\"{count}\"><title>{day}: {count}</title></rect>",
            CHART_HEIGHT - height
        );
    }
    let (first, last) = (
        per_day.keys().next().cloned().unwrap_or_default(),
        per_day.keys().last().cloned().unwrap_or_default(),
    );
    let _ = writeln!(
        svg,
        "<text x=\"0\" y=\"{}\">{first}</text><text x=\"{CHART_WIDTH}\" y=\"{}\" text-anchor=\"end\">{last}</text>\n</svg>",
        CHART_HEIGHT + 16,
        CHART_HEIGHT + 16
    );
    svg
}

/// A horizontal bar chart, one labelled bar per entry.
fn bar_chart(id: &str, rows: &[(String, usize)]) -> String {
    if rows.is_empty() {
        return "<p>None.</p>\n".to_string();
    }
    let most = rows
        .iter()
        .map(|(_, count)| *count)
        .max()
        .unwrap_or(1)
        .max(1);
    let label_width = CHART_WIDTH / 2;
    let bar_room = CHART_WIDTH - label_width - 40;
    let mut svg = format!(
        "<svg class=\"chart\" id=\"{id}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{CHART_WIDTH}\" height=\"{}\" role=\"img\">\n",
        rows.len() as u32 * ROW_HEIGHT
    );
    for (i, (label, count)) in rows.iter().enumerate() {
        let y = i as u32 * ROW_HEIGHT;
        let width = (*count as u32 * bar_room) / most as u32;
        let label = escape(label);
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{label}</text><rect x=\"{label_width}\" y=\"{}\" width=\"{width}\" height=\"{}\" fill=\"#5865f2\" data-count=\"{count}\"><title>{label}: {count}</title></rect><text x=\"{}\" y=\"{}\">{count}</text>",
            label_width - 6,
            y + 15,
            y + 3,
            ROW_HEIGHT - 6,
            label_width + width + 4,
            y + 15,
        );
    }
    svg += "</svg>\n";
    svg
}

/// An HTML table with a header row.
fn table(id: &str, header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut html = format!("<table id=\"{id}\">\n<tr>");
    for cell in header {
        let _ = write!(html, "<th>{}</th>", escape(cell));
    }
    html += "</tr>\n";
    let mut any = false;
    for row in rows {
        any = true;
        html += "<tr>";
        for cell in row {
            let _ = write!(html, "<td>{}</td>", escape(&cell));
        }
        html += "</tr>\n";
    }
    if !any {
        let _ = writeln!(html, "<tr><td colspan=\"{}\">None.</td></tr>", header.len());
    }
    html += "</table>\n";
    html
}

/// Today's date (UTC), for report titles.
pub fn today() -> String {
    day_of(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_read_and_written_in_utc() {
        let start = day_start("2026-03-01").unwrap();
        assert_eq!(day_of(start), "2026-03-01");
        assert_eq!(day_of(start + 86_399), "2026-03-01");
        assert_eq!(day_of(start + 86_400), "2026-03-02");
        let err = day_start("March 1st").unwrap_err().to_string();
        assert!(
            err.contains("March 1st") && err.contains("YYYY-MM-DD"),
            "{err}"
        );
    }

    /// The analysed forms that group a question into a gap.
    fn gap_of(question: &str) -> Vec<String> {
        content_words(question)
            .into_iter()
            .map(|(a, _)| a)
            .collect()
    }

    #[test]
    fn questions_in_other_words_share_a_gap() {
        assert_eq!(
            gap_of("What is the capital of Mongolia?"),
            gap_of("Mongolia's capital?")
        );
        assert_ne!(gap_of("capital of Mongolia"), gap_of("capital of Chad"));
    }

    #[test]
    fn log_entries_read_back_as_written_and_older_lines_still_read() {
        let written = Entry::Feedback {
            at: 5,
            question: "How many hives?".into(),
            answer: Some("12".into()),
            helpful: true,
            post: Some("Bees".into()),
        };
        let line = serde_json::to_string(&written).unwrap();
        assert_eq!(serde_json::from_str::<Entry>(&line).unwrap(), written);
        // A line of an older bot: no question, no post, and a field since dropped.
        let older = r#"{"kind":"feedback","at":7,"helpful":false,"gone":1}"#;
        assert_eq!(
            serde_json::from_str::<Entry>(older).unwrap(),
            Entry::Feedback {
                at: 7,
                question: String::new(),
                answer: None,
                helpful: false,
                post: None
            }
        );
    }

    #[test]
    fn a_gap_shows_the_words_as_written_not_their_stems() {
        let written: Vec<String> = content_words("Where do the Apples grow tallest?")
            .into_iter()
            .map(|(_, w)| w)
            .collect();
        assert_eq!(written, ["apples", "grow", "tallest"]);
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(escape("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
    }
}
