//! Scale benchmark: synthesises corpora of 1,000, 10,000 and 100,000 passages (deterministic,
//! seeded), and for each measures, in fresh processes: building the index on disk, its size,
//! startup from the persisted index, resident memory, question latency p50/p99, and an
//! incremental update after one post changed. Each figure is set beside bare tantivy's on the
//! same passages, measured in the same run: a plain tantivy index (its default tokenizer, text
//! stored) built, opened and queried top-3 with its stored documents read, and a bare top-3
//! query on citebot's own index. Prints Markdown tables.
//!
//! `cargo bench --bench scale` (all sizes), `cargo bench --bench scale -- 1000 10000` (some),
//! `--keep DIR` keeps each corpus in `DIR/KIND-SIZE/` and its questions in
//! `DIR/KIND-SIZE.questions.txt`,
//! `cargo bench --bench scale -- --seeds DIR 100000` (a realistic corpus made from the posts in
//! DIR: their paragraphs with the sentences shuffled and one word in ten swapped, 100 passages
//! to a post), `cargo bench --bench scale -- --posts DIR --questions FILE.jsonl` (a real corpus;
//! one JSON object per line with a `question` field).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use citebot::config::{AnswerConfig, IndexConfig};
use citebot_core::Library;
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{Schema, Value, STORED, TEXT};
use tantivy::{Index, TantivyDocument};

/// Passages per synthesised post.
const PASSAGES_PER_POST: usize = 100;
/// Distinct content words of the synthesised language.
const VOCABULARY: usize = 30_000;
/// Questions asked per corpus.
const QUESTIONS: usize = 2_000;
/// Questions asked before timing, so the first ones' one-off costs don't count as latency.
const WARM_UP: usize = 200;
/// Share of the words of a realistic passage swapped for a word of another seed paragraph, so
/// the many passages made from one seed paragraph differ.
const SWAPPED_WORDS: f64 = 0.1;
/// Passages per section heading in the realistic corpus.
const PASSAGES_PER_SECTION: usize = 10;
/// Passages a bare tantivy query returns (citebot offers three sentences from its best passages).
const BARE_TOP: usize = 3;

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
                let chosen = chosen.trim_end_matches('.');
                questions.push(question_of(chosen, 4, |w| FUNCTION_WORDS.contains(&w)));
            }
            text.push_str(&sentences.join(" "));
            text.push_str("\n\n");
        }
        std::fs::write(dir.join(format!("post-{post:05}.md")), text).unwrap();
    }
    questions
}

/// Writes `passages` realistic passages as Markdown posts into `dir`, made from the paragraphs of
/// the posts in `seeds`: each passage is a seed paragraph with its sentences shuffled and a tenth
/// of its words swapped for words of other paragraphs; returns questions built from content
/// words of sentences of the posts.
fn realistic(dir: &Path, seeds: &Path, passages: usize) -> Vec<String> {
    let (docs, _) = citebot_core::ingest::load_dir(seeds).expect("seed posts");
    let paragraphs: Vec<Vec<&str>> = docs
        .iter()
        .flat_map(|d| {
            d.passages
                .iter()
                .map(|p| p.sentences.iter().map(|r| &d.source[r.clone()]).collect())
        })
        .collect();
    let pool: Vec<&str> = paragraphs
        .iter()
        .flatten()
        .flat_map(|s| s.split_whitespace())
        .collect();
    let mut rng = Rng(0x5EED_0000 + passages as u64);
    let mut questions = Vec::new();
    for post in 0..passages.div_ceil(PASSAGES_PER_POST) {
        let mut text = String::new();
        for p in 0..PASSAGES_PER_POST.min(passages - post * PASSAGES_PER_POST) {
            let mut sentences = paragraphs[rng.below(paragraphs.len())].clone();
            for i in (1..sentences.len()).rev() {
                sentences.swap(i, rng.below(i + 1));
            }
            let sentences: Vec<String> = sentences
                .iter()
                .map(|s| {
                    let words: Vec<&str> = s
                        .split_whitespace()
                        .map(|w| {
                            if rng.unit() < SWAPPED_WORDS {
                                pool[rng.below(pool.len())]
                            } else {
                                w
                            }
                        })
                        .collect();
                    words.join(" ")
                })
                .collect();
            if p == 0 {
                let title: Vec<&str> = sentences[0].split_whitespace().take(6).collect();
                text.push_str(&format!("# {}\n\n", title.join(" ")));
            }
            if p % PASSAGES_PER_SECTION == 0 {
                let heading: Vec<&str> = sentences[0].split_whitespace().take(3).collect();
                text.push_str(&format!("## {}\n\n", heading.join(" ")));
            }
            if questions.len() < QUESTIONS + WARM_UP && rng.below(passages / 2_000 + 1) == 0 {
                let chosen = &sentences[rng.below(sentences.len())];
                questions.push(question_of(chosen, 5, citebot_core::analysis::is_stopword));
            }
            text.push_str(&sentences.join(" "));
            text.push_str("\n\n");
        }
        std::fs::write(dir.join(format!("post-{post:05}.md")), text).unwrap();
    }
    questions
}

/// A question made of the first `words` words of `sentence` that `skip` does not pass over
/// (given in lower case).
fn question_of(sentence: &str, words: usize, skip: impl Fn(&str) -> bool) -> String {
    let content: Vec<&str> = sentence
        .split_whitespace()
        .filter(|w| !skip(&w.to_lowercase()))
        .take(words)
        .collect();
    format!("What about {}?", content.join(" "))
}

/// Dates the posts in `dir` an hour back, as posts written before the index are: a post modified
/// within the last moments is always read again (its file stamp cannot be trusted yet).
fn age(dir: &Path) {
    let an_hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let file = std::fs::File::options()
            .write(true)
            .open(entry.path())
            .unwrap();
        file.set_modified(an_hour_ago).unwrap();
    }
}

/// This process's memory use in kB: (resident now, peak resident).
fn memory_kb() -> (u64, u64) {
    let (now, peak) = citebot::bench::memory();
    (now / 1024, peak / 1024)
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

/// Child process: build a plain tantivy index of the posts' passages on disk (its default
/// tokenizer, the text stored); prints seconds and peak RSS. The posts are read with citebot's
/// reader, which is not timed: only indexing is.
fn child_bare_build(posts: &Path, store: &Path) {
    let (docs, _) = citebot_core::ingest::load_dir(posts).unwrap();
    let start = Instant::now();
    let mut schema = Schema::builder();
    let body = schema.add_text_field("body", TEXT | STORED);
    std::fs::create_dir_all(store).unwrap();
    let index = Index::create_in_dir(store, schema.build()).unwrap();
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, 50_000_000).unwrap();
    for doc in &docs {
        for p in &doc.passages {
            let mut tdoc = TantivyDocument::default();
            tdoc.add_text(body, &doc.source[p.range.clone()]);
            writer.add_document(tdoc).unwrap();
        }
    }
    writer.commit().unwrap();
    writer.wait_merging_threads().unwrap();
    let seconds = start.elapsed().as_secs_f64();
    let (_, peak) = memory_kb();
    println!("{seconds} {peak}");
}

/// Child process: open the plain tantivy index and answer the questions with top-3 queries,
/// reading the stored passages; prints startup (to the first answer) seconds, RSS after
/// startup, p50 and p99 latency in ms, and peak RSS.
fn child_bare_serve(store: &Path, questions: &Path) {
    let questions = read_lines(questions);
    let start = Instant::now();
    let index = Index::open_in_dir(store).unwrap();
    let body = index.schema().get_field("body").unwrap();
    let reader = index.reader().unwrap();
    let parser = QueryParser::for_index(&index, vec![body]);
    let ask = |q: &str| {
        let searcher = reader.searcher();
        let (query, _) = parser.parse_query_lenient(q);
        let top = searcher
            .search(&query, &TopDocs::with_limit(BARE_TOP).order_by_score())
            .unwrap();
        top.into_iter()
            .map(|(_, address)| {
                let doc: TantivyDocument = searcher.doc(address).unwrap();
                doc.get_first(body)
                    .and_then(|v| v.as_str())
                    .map_or(0, str::len)
            })
            .sum::<usize>()
    };
    ask(&questions[0]);
    let startup = start.elapsed().as_secs_f64();
    let (after_startup, _) = memory_kb();
    let (p50, p99) = latencies(&questions, |q| {
        std::hint::black_box(ask(q));
    });
    let (_, peak) = memory_kb();
    println!("{startup} {after_startup} {p50} {p99} {peak}");
}

fn read_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// Asks every question, timing those after the warm-up; returns p50 and p99 in ms.
fn latencies(questions: &[String], mut ask: impl FnMut(&str)) -> (f64, f64) {
    let mut times: Vec<Duration> = Vec::with_capacity(questions.len());
    for (i, q) in questions.iter().enumerate() {
        let t = Instant::now();
        ask(q);
        if i >= WARM_UP.min(questions.len() / 10) {
            times.push(t.elapsed());
        }
    }
    times.sort();
    let at = |q: f64| {
        times[((times.len() as f64 * q) as usize).min(times.len() - 1)].as_secs_f64() * 1e3
    };
    (at(0.50), at(0.99))
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
/// Child process: start from the persisted index, answer the first question, then the others;
/// prints startup (to the first answer) seconds, RSS after startup, p50 and p99 latency in ms,
/// peak RSS, then p50 and p99 of a bare tantivy top-3 query on the same index (the question's
/// words analysed by citebot's analyzer, so stopwords are dropped) in ms.
fn child_serve(posts: &Path, store: &Path, questions: &Path) {
    let questions = read_lines(questions);
    let start = Instant::now();
    let (library, _) = Library::open(posts, AnswerConfig::default(), on_disk(store)).unwrap();
    let engine = library.engine();
    let _ = engine.ask(&questions[0]);
    let startup = start.elapsed().as_secs_f64();
    let (after_startup, _) = memory_kb();
    let (p50, p99) = latencies(&questions, |q| {
        let _ = std::hint::black_box(engine.ask(q));
    });
    let (_, peak) = memory_kb();
    let index = Index::open_in_dir(store.join("index")).unwrap();
    index.tokenizers().register(
        citebot_core::analysis::ANALYZER,
        citebot_core::analysis::analyzer(),
    );
    let body = index.schema().get_field("body").unwrap();
    let reader = index.reader().unwrap();
    let parser = QueryParser::for_index(&index, vec![body]);
    let (bare50, bare99) = latencies(&questions, |q| {
        let (query, _) = parser.parse_query_lenient(q);
        let top = reader
            .searcher()
            .search(&query, &TopDocs::with_limit(BARE_TOP).order_by_score())
            .unwrap();
        std::hint::black_box(top);
    });
    println!("{startup} {after_startup} {p50} {p99} {peak} {bare50} {bare99}");
}

/// Child process: bring the index on disk up to date after one post changed; prints seconds.
fn child_update(posts: &Path, store: &Path) {
    let start = Instant::now();
    let (_library, placement) =
        Library::open(posts, AnswerConfig::default(), on_disk(store)).unwrap();
    let seconds = start.elapsed().as_secs_f64();
    match placement {
        citebot_core::library::Placement::Disk(_, report) if report.indexed.len() == 1 => {}
        other => panic!("expected one post re-indexed on disk, got {other:?}"),
    }
    println!("{seconds}");
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

/// Measures one corpus and prints its table rows: citebot, bare tantivy, and their ratio.
fn measure(label: &str, posts: &Path, questions: &[String]) {
    let work = tempfile::tempdir().unwrap();
    let store = work.path().join("store");
    let bare = work.path().join("bare");
    let questions_file = work.path().join("questions.txt");
    std::fs::write(&questions_file, questions.join("\n")).unwrap();
    let paths = [posts, &store, &questions_file, &bare].map(|p| p.to_str().unwrap().to_string());
    let build = run_child(&["build", &paths[0], &paths[1]]);
    let size = dir_size(&store);
    let serve = run_child(&["serve", &paths[0], &paths[1], &paths[2]]);
    // One post changes: a sentence added to its first paragraph.
    let first = std::fs::read_dir(posts)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .min()
        .unwrap();
    let text = std::fs::read_to_string(&first).unwrap();
    let changed = text.replacen("\n\n", " One sentence more.\n\n", 2);
    std::fs::write(&first, changed).unwrap();
    let update = run_child(&["update", &paths[0], &paths[1]]);
    std::fs::write(&first, text).unwrap();
    let bare_build = run_child(&["bare-build", &paths[0], &paths[3]]);
    let bare_size = dir_size(&bare);
    let bare_serve = run_child(&["bare-serve", &paths[3], &paths[2]]);
    let mb = |kb: f64| format!("{:.0} MB", kb / 1024.0);
    let ms = |v: f64| format!("{v:.2} ms");
    let ratio = |a: f64, b: f64| format!("{:.1}x", a / b);
    println!(
        "| {label}: citebot | {} | {:.1} s | {:.1} MB | {} | {:.0} ms | {} | {} | {} | {} | {:.2} s |",
        build[2],
        build[0],
        size as f64 / 1e6,
        mb(build[1]),
        serve[0] * 1e3,
        mb(serve[1]),
        ms(serve[2]),
        ms(serve[3]),
        mb(serve[4]),
        update[0],
    );
    println!(
        "| {label}: bare tantivy | {} | {:.1} s | {:.1} MB | {} | {:.0} ms | {} | {} (own index: {}) | {} (own index: {}) | {} | |",
        build[2],
        bare_build[0],
        bare_size as f64 / 1e6,
        mb(bare_build[1]),
        bare_serve[0] * 1e3,
        mb(bare_serve[1]),
        ms(bare_serve[2]),
        ms(serve[5]),
        ms(bare_serve[3]),
        ms(serve[6]),
        mb(bare_serve[4]),
    );
    println!(
        "| {label}: ratio | | {} | {} | {} | {} | {} | {} (own index: {}) | {} (own index: {}) | {} | |",
        ratio(build[0], bare_build[0]),
        ratio(size as f64, bare_size as f64),
        ratio(build[1], bare_build[1]),
        ratio(serve[0], bare_serve[0]),
        ratio(serve[1], bare_serve[1]),
        ratio(serve[2], bare_serve[2]),
        ratio(serve[2], serve[5]),
        ratio(serve[3], bare_serve[3]),
        ratio(serve[3], serve[6]),
        ratio(serve[4], bare_serve[4]),
    );
    std::io::stdout().flush().unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("__child") {
        let path = |i: usize| PathBuf::from(&args[i]);
        match args[1].as_str() {
            "build" => child_build(&path(2), &path(3)),
            "update" => child_update(&path(2), &path(3)),
            "bare-build" => child_bare_build(&path(2), &path(3)),
            "bare-serve" => child_bare_serve(&path(2), &path(3)),
            _ => child_serve(&path(2), &path(3), &path(4)),
        }
        return;
    }
    let mut sizes: Vec<usize> = Vec::new();
    let (mut posts_dir, mut questions_file, mut seeds, mut keep) = (None, None, None, None);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--posts" => posts_dir = rest.next().map(PathBuf::from),
            "--seeds" => seeds = rest.next().map(PathBuf::from),
            "--keep" => keep = rest.next().map(PathBuf::from),
            "--questions" => questions_file = rest.next().map(PathBuf::from),
            // `cargo bench` passes `--bench`; sizes may be written 10_000.
            other => sizes.extend(other.replace('_', "").parse::<usize>()),
        }
    }
    let real = posts_dir.zip(questions_file);
    if sizes.is_empty() && real.is_none() {
        sizes = vec![1_000, 10_000, 100_000];
    }
    println!("| corpus | passages | build (on disk) | index size | build peak RSS | startup to the first answer | RSS after startup | p50 | p99 | peak RSS after the questions | update after one post changed |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for n in sizes {
        let temporary = tempfile::tempdir().unwrap();
        let kind = if seeds.is_some() {
            "realistic"
        } else {
            "synthetic"
        };
        // With --keep, the corpus and its questions stay for other runs (`citebot bench`).
        let posts = match &keep {
            Some(keep) => keep.join(format!("{kind}-{n}")),
            None => temporary.path().to_path_buf(),
        };
        std::fs::create_dir_all(&posts).unwrap();
        let questions = match &seeds {
            Some(seeds) => realistic(&posts, seeds, n),
            None => synthesise(&posts, n),
        };
        if let Some(keep) = &keep {
            let file = keep.join(format!("{kind}-{n}.questions.txt"));
            std::fs::write(file, questions.join("\n")).unwrap();
        }
        age(&posts);
        // Setting a file's modification time changes its status-change time to now, and citebot
        // trusts a post's stamp only once both are 2 s old (a post stamped sooner is read again
        // at the next start). Posts that users start citebot on are older than that: wait, so
        // the start-up measured is the usual one, not the one-off re-read of fresh files.
        std::thread::sleep(Duration::from_millis(2500));
        measure(&format!("{kind} {n}"), &posts, &questions);
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
