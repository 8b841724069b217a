//! `citebot train syntax` on a tiny treebank written here: it trains, reports its accuracy on the
//! test file, writes the three model files, gives the same bytes twice, and names a malformed
//! line.

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

fn train(treebank: &Path, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_citebot"))
        .args(["train", "syntax", "--treebank"])
        .arg(treebank)
        .arg("--out")
        .arg(out)
        .env_remove("RUST_LOG")
        .output()
        .unwrap()
}

#[test]
fn train_syntax_reports_accuracy_and_writes_the_same_models_twice() {
    let dir = tempfile::tempdir().unwrap();
    treebank(dir.path());
    let first = train(dir.path(), &dir.path().join("a"));
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(
        stdout.starts_with("trained on 4 sentences in ")
            && stdout.contains("on the test file (3 words): UPOS accuracy 1.0000"),
        "{stdout}"
    );
    let second = train(dir.path(), &dir.path().join("b"));
    assert!(second.status.success());
    for name in ["en-tagger.cbpm", "en-parser.cbpm", "en-relations.cbpm"] {
        let a = std::fs::read(dir.path().join("a").join(name)).unwrap();
        let b = std::fs::read(dir.path().join("b").join(name)).unwrap();
        assert!(a.starts_with(b"CBPM"), "{name}");
        assert!(a == b, "{name} differs between two runs");
        assert!(
            stdout.contains(&format!("{name} ({} bytes)", a.len())),
            "{stdout}"
        );
    }
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
    let out = train(dir.path(), &dir.path().join("a"));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("tiny-ud-test.conllu"), "{stderr}");
    assert!(stderr.contains("line 1"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(!dir.path().join("a").exists(), "no models from bad data");
}
