//! `citebot train syntax` on a tiny treebank written here: it trains, reports its accuracy on the
//! test file, writes the three model files, gives the same bytes twice, and names a malformed
//! line. `citebot train answers` on a tiny SQuAD-style set written here: it reports its
//! cross-fitted trade-offs and writes the same three answer models twice.

use std::path::Path;
use std::process::{Command, Output};

/// A CoNLL-U sentence from (form, universal tag, head, relation) rows.
fn sentence(rows: &[(&str, &str, usize, &str)]) -> String {
    let mut out = String::new();
    for (i, (form, tag, head, relation)) in rows.iter().enumerate() {
        out.push_str(&format!(
            "{}\t{form}\t_\t{tag}\t_\t_\t{head}\t{relation}\t_\t_\n",
            i + 1
        ));
    }
    out.push('\n');
    out
}

fn treebank(dir: &Path) {
    let train: String = [
        sentence(&[
            ("the", "DET", 2, "det"),
            ("dog", "NOUN", 3, "nsubj"),
            ("runs", "VERB", 0, "root"),
        ]),
        sentence(&[
            ("a", "DET", 2, "det"),
            ("cat", "NOUN", 3, "nsubj"),
            ("sleeps", "VERB", 0, "root"),
        ]),
        sentence(&[
            ("the", "DET", 2, "det"),
            ("cat", "NOUN", 3, "nsubj"),
            ("runs", "VERB", 0, "root"),
            ("here", "ADV", 3, "advmod"),
        ]),
        sentence(&[
            ("a", "DET", 2, "det"),
            ("dog", "NOUN", 3, "nsubj"),
            ("sleeps", "VERB", 0, "root"),
            ("here", "ADV", 3, "advmod"),
        ]),
    ]
    .concat();
    std::fs::write(dir.join("tiny-ud-train.conllu"), train).unwrap();
    std::fs::write(
        dir.join("tiny-ud-test.conllu"),
        sentence(&[
            ("the", "DET", 2, "det"),
            ("dog", "NOUN", 3, "nsubj"),
            ("sleeps", "VERB", 0, "root"),
        ]),
    )
    .unwrap();
}

/// `citebot train <model> <input flag> <input> --out <out>`, to run.
fn train_command(model: &str, input: (&str, &Path), out: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_citebot"));
    command
        .args(["train", model, input.0])
        .arg(input.1)
        .arg("--out")
        .arg(out)
        .env_remove("RUST_LOG");
    command
}

/// Runs `citebot train <model> <input flag> <input> --out <out>`.
fn train(model: &str, input: (&str, &Path), out: &Path) -> Output {
    train_command(model, input, out).output().unwrap()
}

/// The standard output of a run that must have succeeded.
#[track_caller]
fn stdout_of(run: &Output) -> String {
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    String::from_utf8_lossy(&run.stdout).into_owned()
}

/// The model files `names` in `dir/a` and `dir/b` are models, the same bytes, and the sizes the
/// first run's `stdout` reported.
#[track_caller]
fn same_models(dir: &Path, names: &[&str], stdout: &str) {
    for name in names {
        let a = std::fs::read(dir.join("a").join(name)).unwrap();
        let b = std::fs::read(dir.join("b").join(name)).unwrap();
        assert!(a.starts_with(b"CBPM"), "{name}");
        assert!(a == b, "{name} differs between two runs");
        assert!(
            stdout.contains(&format!("{name} ({} bytes)", a.len())),
            "{stdout}"
        );
    }
}

#[test]
fn train_syntax_reports_accuracy_and_writes_the_same_models_twice() {
    let dir = tempfile::tempdir().unwrap();
    treebank(dir.path());
    let treebank = ("--treebank", dir.path());
    let stdout = stdout_of(&train("syntax", treebank, &dir.path().join("a")));
    assert!(
        stdout.starts_with("trained on 4 sentences in ")
            && stdout.contains("on the test file (3 words): UPOS accuracy 1.0000"),
        "{stdout}"
    );
    stdout_of(&train("syntax", treebank, &dir.path().join("b")));
    same_models(
        dir.path(),
        &["en-tagger.cbpm", "en-parser.cbpm", "en-relations.cbpm"],
        &stdout,
    );
}

#[test]
fn a_malformed_treebank_line_is_named() {
    let dir = tempfile::tempdir().unwrap();
    treebank(dir.path());
    std::fs::write(
        dir.path().join("tiny-ud-test.conllu"),
        "1\tthe\t_\tDET\t_\t_\tnot-a-number\tdet\t_\t_\n\n",
    )
    .unwrap();
    let out = train("syntax", ("--treebank", dir.path()), &dir.path().join("a"));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("tiny-ud-test.conllu"), "{stderr}");
    assert!(stderr.contains("line 1"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(!dir.path().join("a").exists(), "no models from bad data");
}

/// A SQuAD-style folder: five one-paragraph articles about made-up harbours, each with questions
/// it answers and one it does not.
fn question_set(dir: &Path) {
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    let (mut questions, mut contexts) = (String::new(), String::new());
    for (i, (town, river, year, count)) in [
        ("Alderport", "Wend", "1821", "twelve"),
        ("Brindle", "Osk", "1790", "forty"),
        ("Carrow", "Lyme", "1902", "seven"),
        ("Dunmere", "Tarn", "1855", "thirty"),
        ("Elsby", "Fray", "1934", "nine"),
    ]
    .into_iter()
    .enumerate()
    {
        let paragraph = format!(
            "{town} is a harbour town on the river {river}. Its first pier was built in {year} \
             by the merchant guild. Today {count} ferries leave the harbour every day, and the \
             old lighthouse is a museum."
        );
        std::fs::write(
            docs.join(format!("{town}.md")),
            format!("# {town}\n\n{paragraph}\n"),
        )
        .unwrap();
        contexts.push_str(&format!(
            "{{\"context_id\": {i}, \"text\": \"{paragraph}\"}}\n"
        ));
        for (question, answer) in [
            (format!("On which river is {town}?"), river.to_string()),
            (
                format!("When was the first pier of {town} built?"),
                year.to_string(),
            ),
            (
                format!("How many ferries leave {town} every day?"),
                count.to_string(),
            ),
            (
                format!("Who built the first pier in {town}?"),
                "the merchant guild".to_string(),
            ),
        ] {
            questions.push_str(&format!(
                "{{\"article\": \"a{i}\", \"question\": \"{question}\", \"answers\": [\"{answer}\"], \"is_impossible\": false, \"context_id\": {i}}}\n"
            ));
        }
        questions.push_str(&format!(
            "{{\"article\": \"a{i}\", \"question\": \"When was the second pier of {town} built?\", \"answers\": [], \"is_impossible\": true, \"context_id\": {i}}}\n"
        ));
    }
    std::fs::write(dir.join("questions.jsonl"), questions).unwrap();
    std::fs::write(dir.join("contexts.jsonl"), contexts).unwrap();
}

#[test]
fn train_answers_reports_its_trade_offs_and_is_deterministic_per_seed() {
    let dir = tempfile::tempdir().unwrap();
    question_set(dir.path());
    let data = ("--data", dir.path());
    let stdout = stdout_of(&train("answers", data, &dir.path().join("a")));
    assert!(
        stdout.starts_with("trained on 25 questions in "),
        "{stdout}"
    );
    for table in [
        "min_confidence  shown (of answerable)  precision",
        "min_answerable  declined: unanswerable  answerable",
    ] {
        let at = stdout
            .find(table)
            .unwrap_or_else(|| panic!("{table:?} missing from {stdout}"));
        // Each table has a line per threshold, three figures each, shares in [0, 1].
        let rows: Vec<Vec<f64>> = stdout[at..]
            .lines()
            .skip(1)
            .take_while(|l| l.starts_with(' '))
            .map(|l| l.split_whitespace().map(|x| x.parse().unwrap()).collect())
            .collect();
        assert!(rows.len() >= 5, "{table:?}: {rows:?}");
        for row in &rows {
            assert_eq!(row.len(), 3, "{row:?}");
            assert!(row.iter().all(|x| (0.0..=1.0).contains(x)), "{row:?}");
        }
    }
    // The suggested default is a threshold of the table at which precision is at least 0.60.
    let suggested = stdout
        .lines()
        .find_map(|l| l.strip_prefix("default min_confidence: "))
        .unwrap_or_else(|| panic!("no suggested default in {stdout}"));
    if !suggested.starts_with("none") {
        let t: f64 = suggested
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let row = stdout
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>())
            .find(|w| w.len() == 3 && w[0].parse::<f64>().is_ok_and(|x| (x - t).abs() < 1e-9))
            .unwrap_or_else(|| panic!("{t} is not in the table: {stdout}"));
        assert!(row[2].parse::<f64>().unwrap() >= 0.60, "{row:?}");
    }
    // The second run also checks the models on a set (the same one: it is all there is here),
    // at the configured threshold first, then at every threshold of the table.
    let checked = stdout_of(
        &train_command("answers", data, &dir.path().join("b"))
            .arg("--check")
            .arg(dir.path())
            .output()
            .unwrap(),
    );
    let checks: Vec<(String, f64)> = checked
        .lines()
        .filter_map(|l| l.strip_prefix("check, min_confidence "))
        .map(|l| {
            let threshold = l.split_whitespace().next().unwrap().to_string();
            let shown = l.split("shown ").nth(1).unwrap().split_whitespace().next();
            (threshold, shown.unwrap().parse().unwrap())
        })
        .collect();
    let thresholds: Vec<&str> = checks.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        thresholds,
        ["0.41", "0", "0.3", "0.5", "0.6", "0.7"],
        "{checked}"
    );
    // A higher threshold never shows more.
    let mut by_threshold = checks.clone();
    by_threshold.sort_by(|a, b| a.0.parse::<f64>().unwrap().total_cmp(&b.0.parse().unwrap()));
    assert!(
        by_threshold.windows(2).all(|w| w[0].1 >= w[1].1),
        "{checked}"
    );
    assert!(
        by_threshold[0].1 > 0.5,
        "with no gate most are shown: {checked}"
    );
    same_models(
        dir.path(),
        &[
            "en-answer-ranker.cbpm",
            "en-answer-confidence.cbpm",
            "en-answerable.cbpm",
        ],
        &stdout,
    );
    // Another seed shuffles the questions otherwise, and the models learn other weights.
    stdout_of(
        &train_command("answers", data, &dir.path().join("c"))
            .args(["--seed", "7"])
            .output()
            .unwrap(),
    );
    let model_bytes =
        |run: &str, name: &str| std::fs::read(dir.path().join(run).join(name)).unwrap();
    for name in ["en-answer-ranker.cbpm", "en-answer-confidence.cbpm"] {
        assert!(
            model_bytes("c", name) != model_bytes("a", name),
            "--seed 7 trained the same {name}"
        );
    }
}
