//! The `citebot` binary: the `ask` command's text and JSON output, the batch mode on standard
//! input, clear errors with a non-zero exit status for bad input, and `citebot index`.

use std::ffi::OsStr;
use std::io::Write;
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;

use crate::testbot::assert_citation_contract;

const POST: &str = "---
title: Orchard Notes
---
# Harvest

The orchard grew 340 apple trees and 12 pear trees this year. The cider press, with its focus on “small batches,” opened in October.
";

struct Cli {
    dir: tempfile::TempDir,
}

impl Cli {
    fn new() -> Cli {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("posts")).unwrap();
        std::fs::write(dir.path().join("posts/orchard.md"), POST).unwrap();
        Cli { dir }
    }

    /// Runs `citebot ARGS` in the temporary folder (so the default config and posts paths are
    /// its own), feeding `stdin`.
    fn run(&self, args: &[impl AsRef<OsStr>], stdin: &[u8]) -> Output {
        self.run_to(args, stdin, Stdio::piped())
    }

    /// Runs `citebot ARGS` as [`Cli::run`] does, with its standard output going to `stdout`.
    fn run_to(&self, args: &[impl AsRef<OsStr>], stdin: &[u8], stdout: Stdio) -> Output {
        let mut child = self.start(args, stdout, Stdio::piped());
        child.stdin.take().unwrap().write_all(stdin).unwrap();
        child.wait_with_output().unwrap()
    }

    /// Starts `citebot ARGS` in the temporary folder, its standard input piped.
    fn start(&self, args: &[impl AsRef<OsStr>], stdout: Stdio, stderr: Stdio) -> Child {
        Command::new(env!("CARGO_BIN_EXE_citebot"))
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("RUST_LOG")
            .stdin(Stdio::piped())
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .expect("citebot runs")
    }

    fn ask_json(&self, question: &str) -> (Value, Output) {
        let out = self.run(&["ask", "--json", "--docs", "posts", question], b"");
        let value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        (value, out)
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn json_reply_has_exactly_the_contract_fields() {
    let (reply, out) = Cli::new().ask_json("When did the cider press open?");
    assert!(out.status.success(), "{}", stderr(&out));
    let object = reply.as_object().expect("one JSON object");
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "answer",
            "answered",
            "citations",
            "confidence",
            "outcome",
            "question"
        ]
    );
    let confidence = reply["confidence"].as_f64().expect("a number");
    assert!((0.0..=1.0).contains(&confidence), "{reply}");
    assert_eq!(reply["answered"], true);
    assert!(
        reply["answer"].as_str().unwrap().contains("October"),
        "{reply}"
    );
    assert_citation_contract(&reply["citations"][0]);
    let citation = reply["citations"][0].as_object().unwrap();
    assert_eq!(citation["document"], "orchard.md");
    assert_eq!(citation["title"], "Orchard Notes");
    assert_eq!(citation["section"], "Harvest");
    assert_eq!(citation["paragraph"], 1);
    assert!(citation["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h == "cider"));
    assert!(citation["score"].as_f64().unwrap() > 0.0);
    // The post has no url: the field is there, null, and last, after the score.
    assert_eq!(citation["url"], Value::Null);
    let raw = String::from_utf8_lossy(&out.stdout);
    let after_score = &raw[raw.find("\"score\":").unwrap()..];
    let next = after_score.find(',').unwrap();
    assert!(after_score[next..].starts_with(",\"url\":null}"), "{raw}");
    let (start, end) = (
        citation["start"].as_u64().unwrap() as usize,
        citation["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&POST[start..end], citation["text"].as_str().unwrap());
}

#[test]
fn uncovered_questions_are_unanswered_with_null_answer() {
    let (reply, out) = Cli::new().ask_json("What is the capital of Peru?");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(reply["answered"], false);
    assert_eq!(reply["answer"], Value::Null);
}

#[test]
fn text_reply_bolds_matches_and_cites() {
    let out = Cli::new().run(
        &[
            "ask",
            "--docs",
            "posts",
            "What does the cider press focus on?",
        ],
        b"",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("small batches\n"), "{text}");
    assert!(text.contains("**cider** **press**"), "{text}");
    assert!(text.contains("Orchard Notes › Harvest › ¶1"), "{text}");
}

#[test]
fn batch_mode_answers_every_line_in_order_and_reports_bad_ones() {
    let mut input = b"What does the cider press focus on?\n".to_vec();
    input.extend_from_slice(b"bad \xff\xfe line\n");
    input.extend_from_slice(b"\n");
    input.extend_from_slice(b"When did the cider press open?\n");
    let out = Cli::new().run(&["ask", "--json", "--docs", "posts", "-"], &input);
    let lines: Vec<Value> = String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(lines[0]["answer"]
        .as_str()
        .unwrap()
        .contains("small batches"));
    assert!(lines[1]["error"].as_str().unwrap().contains("UTF-8"));
    assert!(lines[2]["error"].as_str().unwrap().contains("empty"));
    assert!(
        lines[3]["answer"].as_str().unwrap().contains("October"),
        "{}",
        lines[3]
    );
    let err = stderr(&out);
    assert!(err.contains("line 2") && err.contains("line 3"), "{err}");
    assert!(
        !out.status.success(),
        "bad lines make the exit status non-zero"
    );
}

#[test]
fn a_long_batch_keeps_its_replies_in_the_order_of_its_lines() {
    // The lines are answered on several threads; quick ones (bad lines) must still wait their turn.
    let questions = [
        "What does the cider press focus on?",
        "",
        "When did the cider press open?",
        "How many pear trees?",
    ];
    let input: String = (0..40)
        .map(|i| format!("{}\n", questions[i % questions.len()]))
        .collect();
    let out = Cli::new().run(&["ask", "--json", "--docs", "posts", "-"], input.as_bytes());
    let lines: Vec<Value> = String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 40, "{}", stderr(&out));
    for (i, line) in lines.iter().enumerate() {
        let asked = questions[i % questions.len()];
        match asked {
            "" => assert!(
                line["error"].as_str().unwrap().contains("empty"),
                "line {i}: {line}"
            ),
            _ => assert_eq!(line["question"], asked, "line {i}: {line}"),
        }
    }
    assert_eq!(lines[2]["answer"], "October", "{}", lines[2]);
    assert_eq!(lines[3]["answer"], "12", "{}", lines[3]);
}

#[test]
fn a_batch_line_is_answered_before_the_next_line_is_read() {
    // Someone typing questions at `citebot ask -` sees each reply before typing the next.
    let cli = Cli::new();
    let mut child = cli.start(
        &["ask", "--json", "--docs", "posts", "-"],
        Stdio::piped(),
        Stdio::piped(),
    );
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    for question in ["When did the cider press open?", "How many pear trees?"] {
        writeln!(stdin, "{question}").unwrap();
        stdin.flush().unwrap();
        let mut reply = String::new();
        std::io::BufRead::read_line(&mut stdout, &mut reply).unwrap();
        let reply: Value = serde_json::from_str(&reply).unwrap();
        assert_eq!(reply["question"], question, "{reply}");
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn a_batch_reads_no_further_ahead_than_its_replies_are_taken() {
    // Nobody reads the replies: citebot must stop reading the lines (rather than answer them
    // all and hold every reply in memory), so the writer of the lines is held up. Empty lines
    // are answered at once, so without the bound all of them would be read in moments.
    const LINES: usize = 300_000;
    let cli = Cli::new();
    let mut child = cli.start(
        &["ask", "--json", "--docs", "posts", "-"],
        Stdio::piped(),
        Stdio::null(),
    );
    let mut stdin = child.stdin.take().unwrap();
    let (done, written) = std::sync::mpsc::channel();
    let writer = std::thread::spawn(move || {
        let all_written = stdin.write_all(&[b'\n'; LINES]).is_ok();
        done.send(all_written).unwrap();
    });
    let early = written.recv_timeout(std::time::Duration::from_secs(3));
    // Now take the replies: every line gets its one.
    let mut replies = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut replies).unwrap();
    writer.join().unwrap();
    assert!(
        early.is_err(),
        "every line was read while no reply was taken"
    );
    assert_eq!(replies.lines().count(), LINES);
    assert!(
        !child.wait().unwrap().success(),
        "empty lines are bad lines"
    );
}

#[test]
fn bad_questions_get_one_clear_line_and_a_failure_status() {
    let cli = Cli::new();
    let long = "a".repeat(10_000);
    for (question, expected) in [
        ("", "empty"),
        ("   ", "empty"),
        (long.as_str(), "10000 characters"),
        ("?!*:()\"", "no words"),
    ] {
        let out = cli.run(&["ask", "--docs", "posts", question], b"");
        assert!(!out.status.success(), "{question:?} succeeded");
        let err = stderr(&out);
        assert!(err.contains(expected), "{question:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn missing_posts_folder_and_bad_config_are_named() {
    let cli = Cli::new();
    let out = cli.run(&["ask", "--docs", "nowhere", "anything?"], b"");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("nowhere"), "{}", stderr(&out));

    std::fs::write(cli.dir.path().join("bad.toml"), "[answer]\ncitatons = 2\n").unwrap();
    let out = cli.run(
        &[
            "--config",
            "bad.toml",
            "ask",
            "--docs",
            "posts",
            "anything?",
        ],
        b"",
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("bad.toml") && err.contains("citatons"),
        "{err}"
    );
}

#[test]
fn index_command_builds_reuses_updates_and_rebuilds_the_index_on_disk() {
    let cli = Cli::new();
    std::fs::write(
        cli.dir.path().join("citebot.toml"),
        "[posts]\ndir = \"posts\"\n[index]\ndir = \"store\"\non_disk_from = 0\n",
    )
    .unwrap();
    let index = || {
        let out = cli.run(&["--config", "citebot.toml", "index"], b"");
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    let first = index();
    assert!(first.contains("indexed"), "{first}");
    assert!(first.contains("orchard.md"), "{first}");
    assert!(first.contains("1 indexed, 0 unchanged"), "{first}");

    let second = index();
    assert!(second.contains("0 indexed, 1 unchanged"), "{second}");

    std::fs::write(
        cli.dir.path().join("posts/bees.md"),
        "# Bees\n\nThe apiary keeps seven hives.\n",
    )
    .unwrap();
    let third = index();
    assert!(third.contains("1 indexed, 1 unchanged"), "{third}");

    std::fs::write(cli.dir.path().join("store/manifest.json"), "garbage").unwrap();
    let fourth = index();
    assert!(fourth.contains("built the whole index"), "{fourth}");
    assert!(fourth.contains("2 indexed"), "{fourth}");

    // `ask` on the configured folder uses the same index.
    let out = cli.run(
        &[
            "--config",
            "citebot.toml",
            "ask",
            "How many hives are there?",
        ],
        b"",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("seven"));
}

#[test]
fn an_index_folder_that_would_hold_the_posts_is_refused_before_anything_is_deleted() {
    let cli = Cli::new();
    // The default posts folder is `index`, which is also the name of the index's own subfolder.
    std::fs::rename(cli.dir.path().join("posts"), cli.dir.path().join("index")).unwrap();
    for (setting, expected) in [
        (
            "dir = \".\"",
            "`.` (index.dir) contains the posts folder `index`",
        ),
        (
            "dir = \"index\"",
            "`index` (index.dir) is the posts folder `index`",
        ),
        (
            "dir = \"./index/store\"",
            "is inside the posts folder `index`",
        ),
        ("dir = \"\"", "index.dir is empty"),
    ] {
        std::fs::write(
            cli.dir.path().join("citebot.toml"),
            format!("[index]\n{setting}\non_disk_from = 0\n"),
        )
        .unwrap();
        for command in [&["index"][..], &["ask", "How many pear trees?"]] {
            let mut args = vec!["--config", "citebot.toml"];
            args.extend_from_slice(command);
            let out = cli.run(&args, b"");
            assert!(!out.status.success(), "{setting}: {command:?} succeeded");
            let err = stderr(&out);
            assert!(err.contains(expected), "{setting}: {err}");
            assert_eq!(err.lines().count(), 1, "{err}");
        }
        assert_eq!(
            std::fs::read_to_string(cli.dir.path().join("index/orchard.md")).unwrap(),
            POST,
            "{setting}"
        );
        assert!(!cli.dir.path().join("index/store").exists(), "{setting}");
    }
}

#[test]
fn a_closed_pipe_ends_quietly_and_a_full_disk_is_one_error_line() {
    let cli = Cli::new();
    std::fs::write(
        cli.dir.path().join("citebot.toml"),
        "[posts]\ndir = \"posts\"\n[index]\ndir = \"store\"\n",
    )
    .unwrap();
    std::fs::write(cli.dir.path().join("q.txt"), "How many pear trees?\n").unwrap();
    let question = "How many pear trees did the orchard grow?";
    let commands: [&[&str]; 6] = [
        &["ask", "--docs", "posts", question],
        &["ask", "--json", "--docs", "posts", question],
        &["ask", "--docs", "posts", "-"],
        &["--config", "citebot.toml", "index"],
        &["--config", "citebot.toml", "ask", "--json", ""],
        &[
            "bench",
            "--docs",
            "posts",
            "--questions",
            "q.txt",
            "--rounds",
            "1",
        ],
    ];
    let stdin = format!("{question}\n{question}\n");
    for args in commands {
        // A pipe whose reader is gone before citebot writes (as `| true` leaves it).
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = cli.run_to(args, stdin.as_bytes(), writer.into());
        let err = stderr(&out);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        if args.last() != Some(&"") {
            assert!(out.status.success(), "{args:?}: {err}");
            assert!(err.is_empty(), "{args:?}: {err}");
        }

        if cfg!(target_os = "linux") {
            let full = std::fs::File::create("/dev/full").unwrap();
            let out = cli.run_to(args, stdin.as_bytes(), full.into());
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
            assert!(!err.contains("panicked"), "{args:?}: {err}");
            assert!(
                err.lines()
                    .any(|l| l == "error: cannot write to standard output: No space left on device (os error 28)"),
                "{args:?}: {err}"
            );
        }
    }
}

#[test]
fn bench_rounds_out_of_range_are_refused_in_one_clear_error() {
    let cli = Cli::new();
    std::fs::write(cli.dir.path().join("q.txt"), "How many pear trees?\n").unwrap();
    let bench = |rounds: &str| {
        let rounds = format!("--rounds={rounds}");
        cli.run(
            &["bench", "--docs", "posts", "--questions", "q.txt", &rounds],
            b"",
        )
    };
    for rounds in ["0", "1001", "4000000000", "18446744073709551615", "-1", "x"] {
        let out = bench(rounds);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{rounds}: {err}");
        assert!(err.contains("--rounds"), "{rounds}: {err}");
        assert!(!err.contains("panicked"), "{rounds}: {err}");
    }
    let out = bench("2");
    assert!(out.status.success(), "{}", stderr(&out));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.lines().nth(2).unwrap().contains("| 2 |"), "{table}");

    // An empty questions file is called what it is.
    std::fs::write(cli.dir.path().join("q.txt"), "\n").unwrap();
    let err = stderr(&bench("2"));
    assert!(err.contains("questions file `q.txt`"), "{err}");
    assert!(!err.contains("post"), "{err}");
}

#[test]
fn a_huge_question_line_is_refused_with_its_length_and_not_echoed_whole() {
    const LIMIT: usize = 1000;
    let cli = Cli::new();
    let mut input = vec![b'a'; 5_000_000];
    input.extend_from_slice(b"\r\n");
    input.extend_from_slice("é".repeat(LIMIT + 1).as_bytes());
    input.extend_from_slice(b"\nWhen did the cider press open?\n");
    let out = cli.run(&["ask", "--json", "--docs", "posts", "-"], &input);
    assert!(out.stdout.len() < 10_000, "{} bytes out", out.stdout.len());
    let lines: Vec<Value> = String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(
        lines[0]["error"],
        "the question is 5000000 characters long; the limit is 1000"
    );
    assert_eq!(lines[0]["question"], format!("{}…", "a".repeat(LIMIT)));
    assert_eq!(
        lines[1]["error"],
        "the question is 1001 characters long; the limit is 1000"
    );
    assert_eq!(lines[1]["question"], format!("{}…", "é".repeat(LIMIT)));
    assert!(lines[2]["answer"].as_str().unwrap().contains("October"));
    let err = stderr(&out);
    assert!(
        err.contains("line 1: the question is 5000000 characters"),
        "{err}"
    );

    // A question given as an argument is echoed cut to the limit too.
    let long = "b".repeat(10_000);
    let (reply, out) = cli.ask_json(&long);
    assert!(!out.status.success());
    assert_eq!(reply["question"], format!("{}…", "b".repeat(LIMIT)));
}

#[test]
fn errors_are_one_line_that_names_what_is_wrong() {
    let cli = Cli::new();
    let one_line = |out: &Output| {
        let err = stderr(out);
        assert!(!out.status.success(), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        err
    };
    // The operating system's reason is given once.
    let err = one_line(&cli.run(&["--config", "nope.toml", "ask", "q?"], b""));
    assert!(err.starts_with("error: cannot read `nope.toml`: "), "{err}");
    let reason = err.rsplit_once(": ").unwrap().1.trim();
    assert_eq!(err.matches(reason).count(), 1, "{err}");

    // A value of the wrong type names its key and line.
    std::fs::write(
        cli.dir.path().join("bad.toml"),
        "[posts]\ndir = \"posts\"\n\n[answer]\ncitations = \"three\"\n",
    )
    .unwrap();
    let err = one_line(&cli.run(&["--config", "bad.toml", "ask", "q?"], b""));
    assert!(
        err.contains(
            "config `bad.toml`: line 5 (answer.citations): invalid type: string \"three\""
        ),
        "{err}"
    );

    // A file given as the posts folder.
    let err = one_line(&cli.run(&["ask", "--docs", "posts/orchard.md", "q?"], b""));
    assert!(
        err.contains("`posts/orchard.md` is a file, not a folder"),
        "{err}"
    );
    assert!(!err.contains("does not exist"), "{err}");
}

#[cfg(unix)]
#[test]
fn arguments_that_are_not_utf8_get_one_line() {
    use std::os::unix::ffi::OsStrExt;
    let cli = Cli::new();
    let raw = |bytes: &'static [u8]| OsStr::from_bytes(bytes);
    let out = cli.run(
        &[
            raw(b"ask"),
            raw(b"--docs"),
            raw(b"posts"),
            raw(b"pear \xff?"),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: the question is not valid UTF-8 (invalid byte at offset 5)\n"
    );
    let out = cli.run(
        &[
            raw(b"ask"),
            raw(b"--json"),
            raw(b"--docs"),
            raw(b"posts"),
            raw(b"pear \xff?"),
        ],
        b"",
    );
    let reply: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        reply["error"].as_str().unwrap().contains("UTF-8"),
        "{reply}"
    );

    let out = cli.run(
        &[
            raw(b"bench"),
            raw(b"--docs"),
            raw(b"posts"),
            raw(b"--rounds=\xff"),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));

    // A post named by its raw file name is found by the id that escapes it.
    if cfg!(target_os = "linux") {
        std::fs::write(
            cli.dir.path().join("posts").join(raw(b"x\xffy.md")),
            "# Bees\n\nThe apiary keeps seven hives.\n",
        )
        .unwrap();
        let out = cli.run(
            &[
                raw(b"ask"),
                raw(b"--json"),
                raw(b"--docs"),
                raw(b"posts"),
                raw(b"--post"),
                raw(b"x\xffy.md"),
                raw(b"How many hives?"),
            ],
            b"",
        );
        let reply: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            reply["citations"][0]["document"],
            "x\\xffy.md",
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn logs_carry_no_colour_codes_when_stderr_is_not_a_terminal() {
    let cli = Cli::new();
    std::fs::write(cli.dir.path().join("posts/broken.md"), b"\xff\xfe").unwrap();
    let out = cli.run(&["ask", "--docs", "posts", "How many pear trees?"], b"");
    let err = stderr(&out);
    assert!(err.contains("skipped post"), "{err}");
    assert!(!err.contains('\x1b'), "{err:?}");
}

#[test]
fn text_output_never_carries_a_posts_control_characters_or_a_script_link() {
    let cli = Cli::new();
    std::fs::write(
        cli.dir.path().join("posts/hostile.md"),
        "---\ntitle: Hives \u{1b}]0;owned\u{7}\nurl: javascript:alert(1)\n---\n# Apiary \u{1b}[2J\n\nThe apiary keeps seven \u{1b}[31mhives\u{9b}0m beside the wall.\n",
    )
    .unwrap();
    std::fs::write(
        cli.dir.path().join("citebot.toml"),
        "[posts]\ndir = \"posts\"\n",
    )
    .unwrap();
    let terminal_safe = |bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes);
        !text.chars().any(|c| c.is_control() && c != '\n')
    };
    for args in [
        &[
            "ask",
            "--docs",
            "posts",
            "How many hives does the apiary keep?",
        ][..],
        &["--config", "citebot.toml", "index"],
        &["ask", "--docs", "posts", "--post", "Hives", "???"],
    ] {
        let out = cli.run(args, b"");
        assert!(terminal_safe(&out.stdout), "{args:?}: {:?}", out.stdout);
        assert!(terminal_safe(&out.stderr), "{args:?}: {:?}", out.stderr);
        assert!(!String::from_utf8_lossy(&out.stdout).contains("javascript"));
    }
    let out = cli.run(
        &[
            "ask",
            "--docs",
            "posts",
            "How many hives does the apiary keep?",
        ],
        b"",
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("seven"), "{text}");
    assert!(text.contains("Hives �]0;owned�"), "{text}");
    // The JSON carries the cited bytes verbatim (escaped by JSON).
    let (reply, _) = cli.ask_json("How many hives does the apiary keep?");
    assert!(reply["citations"][0]["text"]
        .as_str()
        .unwrap()
        .contains("\u{1b}[31mhives"));
}

/// A config with the posts in `posts/` and the index on disk in `store/`, whatever its size.
fn index_on_disk(cli: &Cli) {
    std::fs::write(
        cli.dir.path().join("citebot.toml"),
        "[posts]\ndir = \"posts\"\n[index]\ndir = \"store\"\non_disk_from = 0\n",
    )
    .unwrap();
    let out = cli.run(&["--config", "citebot.toml", "index"], b"");
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn ask_says_when_it_waits_for_another_process_holding_the_index() {
    use std::io::BufRead;
    let cli = Cli::new();
    index_on_disk(&cli);
    // As a process updating the index holds it.
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(cli.dir.path().join("store/update.lock"))
        .unwrap();
    lock.lock().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_citebot"))
        .args([
            "--config",
            "citebot.toml",
            "ask",
            "When did the cider press open?",
        ])
        .current_dir(cli.dir.path())
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (lines, said) = std::sync::mpsc::channel();
    let err = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(err).lines() {
            let _ = lines.send(line.unwrap());
        }
    });
    let line = said
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("citebot says that it waits");
    assert!(
        line.contains("waiting: another citebot process is using the index in `store`"),
        "{line}"
    );
    lock.unlock().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("October"));
}

/// Every folder and file under `path` read-only (`true`) or writable again.
#[cfg(unix)]
fn set_read_only(path: &std::path::Path, read_only: bool) {
    use std::os::unix::fs::PermissionsExt;
    let dir = path.is_dir();
    if dir {
        for entry in std::fs::read_dir(path).unwrap() {
            set_read_only(&entry.unwrap().path(), read_only);
        }
    }
    let mode = match (dir, read_only) {
        (true, true) => 0o555,
        (true, false) => 0o755,
        (false, true) => 0o444,
        (false, false) => 0o644,
    };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(target_os = "linux")]
#[test]
fn an_up_to_date_index_in_a_folder_that_cannot_be_written_is_used() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::os::unix::process::CommandExt;
    let cli = Cli::new();
    index_on_disk(&cli);
    let store = cli.dir.path().join("store");
    set_read_only(&store, true);
    std::fs::set_permissions(cli.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    // Root may write anywhere: run citebot as `nobody` then.
    let root = std::fs::metadata("/proc/self").unwrap().uid() == 0;
    let run = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_citebot"));
        command
            .args(["--config", "citebot.toml"])
            .args(args)
            .current_dir(cli.dir.path())
            .env_remove("RUST_LOG");
        if root {
            command.uid(65534).gid(65534);
        }
        command.output().unwrap()
    };
    let out = run(&["index"]);
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains("index in `store` (read-only): 0 indexed, 1 unchanged, 0 removed"),
        "{summary}{}",
        stderr(&out)
    );
    let out = run(&["ask", "When did the cider press open?"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("October"));

    // Out of date and not writable: the posts are indexed in memory instead, and that is said.
    std::fs::write(
        cli.dir.path().join("posts/bees.md"),
        "# Bees\n\nThe apiary keeps seven hives.\n",
    )
    .unwrap();
    let out = run(&["index"]);
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(
        summary.contains("indexed in memory because the index on disk cannot be used: the index in `store` cannot be updated (the folder is read-only) and it is out of date (1 post added, changed or removed)"),
        "{summary}"
    );
    set_read_only(&store, false);
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stderr_loses_the_log_but_not_the_answer() {
    let cli = Cli::new();
    // A post that is skipped with a warning, which cannot be written.
    std::fs::write(cli.dir.path().join("posts/broken.md"), b"\xff").unwrap();
    for args in [
        &["ask", "--docs", "posts", "When did the cider press open?"][..],
        &["ask", "--docs", "posts", ""],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_citebot"))
            .args(args)
            .current_dir(cli.dir.path())
            .env_remove("RUST_LOG")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        let answered = !args[3].is_empty();
        assert_eq!(out.status.success(), answered, "{args:?}: {:?}", out.status);
        assert_eq!(out.status.code(), Some(if answered { 0 } else { 1 }));
    }
}

#[test]
fn a_feedback_log_in_the_posts_folder_is_refused() {
    let cli = Cli::new();
    std::fs::write(
        cli.dir.path().join("citebot.toml"),
        "[posts]\ndir = \"posts\"\n[discord]\nfeedback_log = \"./posts/orchard.md\"\n",
    )
    .unwrap();
    let out = cli.run(&["--config", "citebot.toml", "serve"], b"");
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(
        err,
        "error: the feedback log `./posts/orchard.md` (discord.feedback_log) is inside the posts folder `posts`; put it outside the posts\n"
    );
    assert_eq!(
        std::fs::read_to_string(cli.dir.path().join("posts/orchard.md")).unwrap(),
        POST
    );
}
