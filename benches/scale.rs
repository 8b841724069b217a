//! Scale benchmark: synthesises corpora of 1,000, 10,000 and 100,000 passages (deterministic,
//! seeded), and for each measures, in fresh processes: building the index on disk, its size,
//! startup from the persisted index, resident memory, and question latency p50/p99. Optionally
//! the same on a folder of real posts with a questions file (the SQuAD sample). Prints a
//! Markdown table.
//!
//! `cargo bench --bench scale` (all sizes), `cargo bench --bench scale -- 1000 10000` (some),
//! `cargo bench --bench scale -- --posts DIR --questions FILE.jsonl` (a real corpus; one JSON
//! object per line with a `question` field).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use citebot::config::{AnswerConfig, IndexConfig};
use citebot::Library;

/// Passages per synthesised post.
const PASSAGES_PER_POST: usize = 100;
/// Distinct content words of the synthesised language.
const VOCABULARY: usize = 30_000;
/// Questions asked per corpus.
const QUESTIONS: usize = 2_000;
/// Questions asked before timing, so the first ones' one-off costs don't count as latency.
const WARM_UP: usize = 200;

const FUNCTION_WORDS: &[&str] = &[
    "the", "of", "and", "a", "in", "to", "is", "was", "for", "on", "with", "by", "as", "at",
    "from", "that", "which", "it", "its", "were",
];
const SYLLABLES: &[&str] = &[
    "ka", "lo", "min", "tes", "ra", "vo", "den", "sul", "pi", "mar", "qua", "bel", "tor", "ni",
    "gas", "fen", "dru", "sho", "lem", "wix", "ap", "ter", "ul", "zon", "cri", "bo", "han", "eps",
];

/// SplitMix64: a small deterministic generator, so every run synthesises the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A synthetic language: pseudo-words drawn with Zipf frequencies, like words in real text.
struct Language {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Language {
    fn new(rng: &mut Rng) -> Language {
        let mut words = Vec::with_capacity(VOCABULARY);
        let mut seen = std::collections::HashSet::new();
        while words.len() < VOCABULARY {
            let syllables = 2 + rng.below(3);
            let word: String = (0..syllables)
                .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
                .collect();
            if seen.insert(word.clone()) {
                words.push(word);
            }
        }
        let mut total = 0.0;
        let cumulative = (1..=VOCABULARY)
            .map(|rank| {
                total += 1.0 / rank as f64;
                total
            })
            .collect();
        Language { words, cumulative }
    }

    fn word(&self, rng: &mut Rng) -> &str {
        let target = rng.unit() * self.cumulative.last().unwrap();
        let i = self.cumulative.partition_point(|&c| c < target);
        &self.words[i.min(VOCABULARY - 1)]
    }

    fn sentence(&self, rng: &mut Rng) -> String {
        let len = 8 + rng.below(14);
        let mut words: Vec<String> = Vec::with_capacity(len);
        for i in 0..len {
            let word = match rng.below(10) {
                0..=3 if i > 0 => FUNCTION_WORDS[rng.below(FUNCTION_WORDS.len())].to_string(),
                4 if i > 1 => format!("{}", 1 + rng.below(2_000)),
                _ => self.word(rng).to_string(),
            };
            words.push(word);
        }
        let mut sentence = words.join(" ");
        sentence[..1].make_ascii_uppercase();
        sentence.push('.');
        sentence
    }
}

/// Writes `passages` passages as Markdown posts into `dir`; returns questions built from
/// sentences of the posts (content words of one sentence).
fn synthesise(dir: &Path, passages: usize) -> Vec<String> {
    let mut rng = Rng(0x5EED_0000 + passages as u64);
    let language = Language::new(&mut rng);
    let mut questions = Vec::new();
    let posts = passages.div_ceil(PASSAGES_PER_POST);
    for post in 0..posts {
        let mut text = format!("# Post {post}: {}\n\n", language.sentence(&mut rng));
        for p in 0..PASSAGES_PER_POST.min(passages - post * PASSAGES_PER_POST) {
            if p % 10 == 0 {
                text.push_str(&format!("## {}\n\n", language.word(&mut rng)));
            }
            let sentences: Vec<String> = (0..2 + rng.below(4))
                .map(|_| language.sentence(&mut rng))
                .collect();
            if questions.len() < QUESTIONS + WARM_UP && rng.below(passages / 2_000 + 1) == 0 {
                let chosen = &sentences[rng.below(sentences.len())];
                let content: Vec<&str> = chosen
                    .trim_end_matches('.')
                    .split(' ')
                    .filter(|w| !FUNCTION_WORDS.contains(&w.to_lowercase().as_str()))
                    .take(4)
                    .collect();
                questions.push(format!("What about {}?", content.join(" ")));
            }
            text.push_str(&sentences.join(" "));
            text.push_str("\n\n");
        }
        std::fs::write(dir.join(format!("post-{post:05}.md")), text).unwrap();
    }
    questions
}

/// This process's memory use in kB: (resident now, peak resident).
fn memory_kb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    let meta = e.metadata().unwrap();
                    if meta.is_dir() {
                        dir_size(&e.path())
                    } else {
                        meta.len()
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn on_disk(store: &Path) -> IndexConfig {
    IndexConfig {
        dir: store.to_path_buf(),
        on_disk_from: 0,
        ..IndexConfig::default()
    }
}

/// Child process: build the index on disk; prints seconds and peak RSS.
fn child_build(posts: &Path, store: &Path) {
    let start = Instant::now();
    let (library, _) = Library::open(posts, AnswerConfig::default(), on_disk(store)).unwrap();
    let seconds = start.elapsed().as_secs_f64();
    let (_, peak) = memory_kb();
    println!("{seconds} {peak} {}", library.engine().passages());
}

/// Child process: start from the persisted index, then answer the questions; prints startup
/// seconds, RSS after startup, p50 and p99 latency in ms, and peak RSS.
fn child_serve(posts: &Path, store: &Path, questions: &Path) {
    let questions: Vec<String> = std::fs::read_to_string(questions)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let start = Instant::now();
    let (library, _) = Library::open(posts, AnswerConfig::default(), on_disk(store)).unwrap();
    let startup = start.elapsed().as_secs_f64();
    let (after_startup, _) = memory_kb();
    let engine = library.engine();
    let mut latencies: Vec<Duration> = Vec::with_capacity(questions.len());
    for (i, q) in questions.iter().enumerate() {
        let t = Instant::now();
        let _ = std::hint::black_box(engine.ask(q));
        if i >= WARM_UP.min(questions.len() / 10) {
            latencies.push(t.elapsed());
        }
    }
    latencies.sort();
    let at = |q: f64| {
        latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)].as_secs_f64()
            * 1e3
    };
    let (_, peak) = memory_kb();
    println!(
        "{startup} {after_startup} {} {} {peak} {}",
        at(0.50),
        at(0.99),
        latencies.len()
    );
}

fn run_child(args: &[&str]) -> Vec<f64> {
    let output = Command::new(std::env::current_exe().unwrap())
        .arg("__child")
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .split_whitespace()
        .map(|v| v.parse().unwrap())
        .collect()
}

/// Measures one corpus and prints its table row.
fn measure(label: &str, posts: &Path, questions: &[String]) {
    let work = tempfile::tempdir().unwrap();
    let store = work.path().join("store");
    let questions_file = work.path().join("questions.txt");
    std::fs::write(&questions_file, questions.join("\n")).unwrap();
    let paths = [posts, &store, &questions_file].map(|p| p.to_str().unwrap().to_string());
    let build = run_child(&["build", &paths[0], &paths[1]]);
    let size = dir_size(&store);
    let serve = run_child(&["serve", &paths[0], &paths[1], &paths[2]]);
    println!(
        "| {label} | {} | {:.1} s | {:.1} MB | {:.0} MB | {:.0} ms | {:.0} MB | {:.2} ms | {:.2} ms | {:.0} MB |",
        build[2],
        build[0],
        size as f64 / 1e6,
        build[1] / 1024.0,
        serve[0] * 1e3,
        serve[1] / 1024.0,
        serve[2],
        serve[3],
        serve[4] / 1024.0,
    );
    std::io::stdout().flush().unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("__child") {
        let path = |i: usize| PathBuf::from(&args[i]);
        match args[1].as_str() {
            "build" => child_build(&path(2), &path(3)),
            _ => child_serve(&path(2), &path(3), &path(4)),
        }
        return;
    }
    let mut sizes: Vec<usize> = Vec::new();
    let (mut posts_dir, mut questions_file) = (None, None);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--posts" => posts_dir = rest.next().map(PathBuf::from),
            "--questions" => questions_file = rest.next().map(PathBuf::from),
            // `cargo bench` passes `--bench`; sizes may be written 10_000.
            other => sizes.extend(other.replace('_', "").parse::<usize>()),
        }
    }
    let real = posts_dir.zip(questions_file);
    if sizes.is_empty() && real.is_none() {
        sizes = vec![1_000, 10_000, 100_000];
    }
    println!("| corpus | passages | build (on disk) | index size | build peak RSS | startup from disk | RSS after startup | p50 | p99 | peak RSS after questions |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for n in sizes {
        let posts = tempfile::tempdir().unwrap();
        let questions = synthesise(posts.path(), n);
        measure(&format!("synthetic {n}"), posts.path(), &questions);
    }
    if let Some((posts, questions)) = real {
        let questions: Vec<String> = std::fs::read_to_string(&questions)
            .unwrap()
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v["question"].as_str().map(str::to_string))
            .collect();
        let label = posts
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        measure(&label, &posts, &questions);
    }
}
