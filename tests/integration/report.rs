//! `citebot report` on a fixture feedback log: the text on the terminal, `--since`, and the
//! `--html` page parsed back (charts present, counts right, nothing fetched, no script).

use std::process::{Command, Output};

use scraper::{Html, Selector};

/// 2026-03-01 00:00:00 UTC.
const MARCH_1: u64 = 1_772_323_200;
const DAY: u64 = 86_400;

/// A log over three days: six answered (four with a short answer), four not covered (three of
/// them one subject in other words), one without a figure, votes on two posts, a torn line.
fn fixture_log() -> String {
    let answered = |at: u64, short: bool, post: &str, section: &str| {
        format!(
            r#"{{"kind":"answered","at":{at},"question":"q","short_answer":{short},"post":"{post}","section":"{section}"}}"#
        )
    };
    let unanswered = |at: u64, question: &str, outcome: &str| {
        format!(
            r#"{{"kind":"unanswered","at":{at},"question":"{question}","outcome":"{outcome}"}}"#
        )
    };
    let feedback = |at: u64, helpful: bool, post: &str| {
        format!(
            r#"{{"kind":"feedback","at":{at},"question":"q","answer":null,"helpful":{helpful},"post":"{post}"}}"#
        )
    };
    let d1 = MARCH_1 + 3_600;
    let (d2, d3) = (d1 + DAY, d1 + 2 * DAY);
    [
        answered(d1, true, "Garden Club", "Membership"),
        answered(d1, true, "Garden Club", "Membership"),
        unanswered(d1, "What is the capital of Mongolia?", "not_covered"),
        feedback(d1, true, "Garden Club"),
        answered(d2, true, "Garden Club", "Meetings"),
        answered(d2, false, "Orchard <Notes>", "Harvest"),
        unanswered(d2, "Mongolia's capital?", "not_covered"),
        unanswered(d2, "capital of mongolia", "not_covered"),
        feedback(d2, false, "Orchard <Notes>"),
        feedback(d2, true, "Garden Club"),
        answered(d3, true, "Garden Club", "Membership"),
        answered(d3, false, "Orchard <Notes>", "Harvest"),
        unanswered(d3, "Who founded the chess club?", "not_covered"),
        unanswered(d3, "How tall is the oak?", "no_figure"),
        r#"{"kind":"answered","at":"#.to_string(),
    ]
    .join("\n")
        + "\n"
}

fn report(args: &[&str]) -> (Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("feedback.jsonl"), fixture_log()).unwrap();
    std::fs::write(
        dir.path().join("citebot.toml"),
        "[discord]\nfeedback_log = \"feedback.jsonl\"\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_citebot"))
        .args(["--config", "citebot.toml", "report"])
        .args(args)
        .current_dir(dir.path())
        .env_remove("RUST_LOG")
        .output()
        .expect("citebot runs");
    (out, dir)
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The line of `text` that contains `part`, trimmed.
fn line_with<'a>(text: &'a str, part: &str) -> &'a str {
    text.lines()
        .find(|line| line.contains(part))
        .unwrap_or_else(|| panic!("no line with {part:?} in:\n{text}"))
        .trim()
}

#[test]
fn report_shows_days_outcomes_gaps_feedback_and_citations_as_text() {
    let (out, _dir) = report(&[]);
    let text = stdout(&out);
    assert!(
        text.starts_with("11 questions, 2026-03-01 to 2026-03-03\n"),
        "{text}"
    );
    assert!(
        text.contains("(log lines that could not be read: 1)"),
        "{text}"
    );
    assert!(
        line_with(&text, "2026-03-01  ").starts_with("2026-03-01      3"),
        "{text}"
    );
    assert!(
        line_with(&text, "2026-03-02  ").starts_with("2026-03-02      4"),
        "{text}"
    );
    assert!(
        line_with(&text, "2026-03-03  ").starts_with("2026-03-03      4"),
        "{text}"
    );
    assert!(
        line_with(&text, "answered with a short answer").ends_with("4   36%"),
        "{text}"
    );
    assert!(
        line_with(&text, "answered, passage only").ends_with("2   18%"),
        "{text}"
    );
    assert!(
        line_with(&text, "not covered by the posts").ends_with("4   36%"),
        "{text}"
    );
    assert!(
        line_with(&text, "mentioned, no figure given").ends_with("1    9%"),
        "{text}"
    );
    // The three ways of asking about Mongolia's capital are one gap, listed first.
    let gaps = text.split("Coverage gaps").nth(1).unwrap();
    let first_gap = gaps.lines().nth(1).unwrap().trim();
    assert!(
        first_gap.starts_with("3  What is the capital of Mongolia?"),
        "{text}"
    );
    assert!(line_with(&text, "chess club").starts_with("1  "), "{text}");
    assert!(
        line_with(&text, "/ 0     Garden Club").starts_with("2 / 0"),
        "{text}"
    );
    assert!(
        line_with(&text, "/ 1     Orchard").starts_with("0 / 1"),
        "{text}"
    );
    let posts = text.split("Posts cited most").nth(1).unwrap();
    assert_eq!(posts.lines().nth(1).unwrap().trim(), "4  Garden Club");
    let sections = text.split("Sections cited most").nth(1).unwrap();
    assert_eq!(
        sections.lines().nth(1).unwrap().trim(),
        "3  Garden Club › Membership"
    );
}

#[test]
fn report_since_a_day_counts_from_that_day() {
    let (out, _dir) = report(&["--since", "2026-03-03"]);
    let text = stdout(&out);
    assert!(
        text.starts_with("4 questions, 2026-03-03 to 2026-03-03\n"),
        "{text}"
    );
    assert!(!text.contains("2026-03-01"), "{text}");
    let (bad, _dir) = report(&["--since", "yesterday"]);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("`yesterday` is not a date; give it as YYYY-MM-DD"),
        "{err}"
    );
}

#[test]
fn report_html_is_one_page_with_charts_whose_counts_are_right() {
    let (out, dir) = report(&["--html", "report.html"]);
    stdout(&out);
    let page = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    let html = Html::parse_document(&page);
    let select = |css: &str| Selector::parse(css).unwrap();
    let counts = |css: &str| -> Vec<String> {
        html.select(&select(css))
            .map(|e| e.value().attr("data-count").unwrap().to_string())
            .collect()
    };
    assert_eq!(counts("svg#per-day rect"), ["3", "4", "4"]);
    let days: Vec<&str> = html
        .select(&select("svg#per-day rect"))
        .map(|e| e.value().attr("data-day").unwrap())
        .collect();
    assert_eq!(days, ["2026-03-01", "2026-03-02", "2026-03-03"]);
    assert_eq!(counts("svg#outcomes rect"), ["4", "2", "4", "1"]);
    assert_eq!(counts("svg#posts rect"), ["4", "2"]);
    assert_eq!(counts("svg#sections rect").len(), 3);
    let gap_rows: Vec<String> = html
        .select(&select("table#gaps tr td"))
        .map(|td| td.text().collect())
        .collect();
    assert_eq!(gap_rows[0], "3");
    assert_eq!(gap_rows[1], "What is the capital of Mongolia?");
    // Titles are escaped, not markup.
    let feedback: Vec<String> = html
        .select(&select("table#feedback td"))
        .map(|td| td.text().collect())
        .collect();
    assert!(
        feedback.contains(&"Orchard <Notes>".to_string()),
        "{feedback:?}"
    );
    // Self-contained: no script, nothing loaded from elsewhere.
    assert_eq!(html.select(&select("script")).count(), 0);
    assert_eq!(html.select(&select("[src], link, [href]")).count(), 0);
    assert!(!page.contains("https://"), "nothing fetched");
}
