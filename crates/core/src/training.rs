//! Training the answer models (`answer::model`) on a SQuAD-style question set: a folder
//! with `docs/` (one post per article), `questions.jsonl` (`question`, `answers`,
//! `is_impossible`, `article`) and `contexts.jsonl`. What `citebot train answers` runs.
//!
//! Every question goes through the engine as in use (search, the offered sentences, their
//! candidates and features); each candidate is labelled with its F1 against the gold answers.
//! The ranker is a softmax over a question's candidates, trained towards the best ones. The
//! confidence and answerability models must learn from the ranker's shares as they will be on
//! unseen posts, not as they are on the questions the ranker was trained on, so they are trained
//! on cross-fitted shares: each fifth of the articles is ranked by a ranker trained on the other
//! four fifths. Everything is deterministic: seeded shuffles, sorted model files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::answer::{self, Models, Standing, Summary};
use crate::config::AnswerConfig;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::syntax::perceptron::{Features, Key, KeyMap, Shuffler, Weights};

/// Passes over the questions when training the ranker.
const RANKER_EPOCHS: usize = 4;
/// Passes when training the confidence and answerability models.
const LOGISTIC_EPOCHS: usize = 12;
/// AdaGrad's learning rate (0.1 and 0.05 overfit the ranker on held-out articles).
const LEARNING_RATE: f32 = 0.02;
/// L2 regularisation, applied to the weights a question touches.
const L2: f32 = 1e-5;
/// Candidates at least this close to a gold answer (F1) count as right, as the scorer counts.
const RIGHT_F1: f32 = 0.5;
/// Folds of articles for cross-fitting.
const FOLDS: usize = 5;
/// The precision on held-out articles that the suggested default `min_confidence` reaches, less
/// one standard error: the table's figures move by about that much between retrainings, and a
/// default chosen on the bare figure flipped with them (the margin makes that rarer, as a
/// retraining must then move precision by more than chance does).
pub const DEFAULT_PRECISION: f64 = 0.60;
/// Weights smaller than this are left out of the model files.
const MIN_WEIGHT: f32 = 1e-4;
/// Seed of the shuffles of the shipped models (`train answers --seed` picks another, to see how
/// far the shuffles alone move the figures).
pub const DEFAULT_SEED: u64 = 0x5eed_a115;
/// Rankers trained on different shuffles that are averaged into the one shipped: which
/// questions come last moves a single ranker's weights, so any change of candidates moved
/// answers it did not touch; the average moves less. Ten, not five: with five, ruling out
/// candidates that cut a hyphenated word (a few dozen of SQuAD train's) turned two fixture
/// answers elsewhere wrong under the shipped seed and not under another.
const RANKER_SEEDS: u64 = 10;

/// One question of a SQuAD-style set.
#[derive(Debug, serde::Deserialize)]
struct Question {
    article: String,
    question: String,
    answers: Vec<String>,
    is_impossible: bool,
}

/// A question prepared for training: its candidates' features and F1s, and what retrieval found.
struct Example {
    article: usize,
    answerable: bool,
    /// Per candidate: feature keys and F1 against the gold answers.
    candidates: Vec<(Vec<Key>, f32)>,
    /// What retrieval found, before the candidates' part is filled in.
    summary: Summary,
    /// What the summary reads of each candidate and its sentence.
    standings: Vec<Standing>,
    /// The candidates' places: sentence and tokens.
    places: Vec<(usize, std::ops::Range<usize>)>,
    /// Whether each candidate may be the answer ([`answer::Keyed::eligible`]).
    eligible: Vec<bool>,
}

/// What training produced, with figures measured on cross-fitted predictions.
pub struct Report {
    /// Questions read and questions with at least one candidate.
    pub questions: usize,
    /// Questions the gold answer was among the eligible candidates of (F1 >= 0.5).
    pub reachable: usize,
    /// Cross-fitted: share of answerable questions whose best candidate is right.
    pub top1: f64,
    /// Cross-fitted: the best candidate's mean F1 over answerable questions (0 for none).
    pub f1: f64,
    /// Cross-fitted: share of answerable questions whose best candidate has an F1 of 1 against
    /// a gold answer (the same words, as SQuAD's exact match counts them up to their order).
    pub exact: f64,
    /// Lines of a table: threshold, shown share of answerable, precision of shown.
    pub thresholds: Vec<(f32, f64, f64)>,
    /// The lowest threshold of the table whose precision, less one standard error, is at least
    /// [`DEFAULT_PRECISION`]: the default `min_confidence` (none when no threshold reaches it).
    pub suggested: Option<f32>,
    /// Lines of a table: `min_answerable`, the share of unanswerable questions it declines and
    /// the share of answerable ones it declines too.
    pub declined: Vec<(f32, f64, f64)>,
    /// The model files written, with their sizes.
    pub files: Vec<(PathBuf, usize)>,
    /// The models.
    pub models: Models,
}

/// A question ranked by a ranker that did not see its article.
struct HeldOut {
    /// The confidence model's features, when there was a candidate.
    confidence: Option<Vec<Key>>,
    /// The answerability model's features.
    answerable_keys: Vec<Key>,
    answerable: bool,
    /// The best candidate is right.
    right: bool,
    /// The best candidate's F1 against the gold answers (0 for none or unanswerable).
    f1: f32,
}

/// SQuAD's answer normalisation: lower case, no punctuation, no articles, single spaces.
pub fn normalize_answer(text: &str) -> Vec<String> {
    let lower: String = text
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_ascii_punctuation())
        .collect();
    lower
        .split_whitespace()
        .filter(|w| !matches!(*w, "a" | "an" | "the"))
        .map(str::to_string)
        .collect()
}

/// SQuAD's F1 of a predicted answer against a gold one.
pub fn f1(predicted: &str, gold: &str) -> f32 {
    let p = normalize_answer(predicted);
    let g = normalize_answer(gold);
    if p.is_empty() || g.is_empty() {
        return f32::from(u8::from(p == g));
    }
    let mut counts: BTreeMap<&str, i32> = BTreeMap::new();
    for w in &g {
        *counts.entry(w).or_default() += 1;
    }
    let mut same = 0;
    for w in &p {
        if let Some(c) = counts.get_mut(w.as_str()) {
            if *c > 0 {
                *c -= 1;
                same += 1;
            }
        }
    }
    if same == 0 {
        return 0.0;
    }
    let precision = same as f32 / p.len() as f32;
    let recall = same as f32 / g.len() as f32;
    2.0 * precision * recall / (precision + recall)
}

fn read_questions(path: &Path) -> Result<Vec<Question>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l).map_err(|e| Error::TrainingData {
                path: path.to_path_buf(),
                message: format!("line {}: {e}", n + 1),
            })
        })
        .collect()
}

/// Runs every question of the set in `data` through `engine` and prepares its candidates.
fn examples(data: &Path, engine: &Engine, progress: &mut impl FnMut(&str)) -> Result<Vec<Example>> {
    let questions = read_questions(&data.join("questions.jsonl"))?;
    let mut articles: Vec<String> = questions.iter().map(|q| q.article.clone()).collect();
    articles.sort();
    articles.dedup();
    let min_coverage = engine.settings().min_coverage;
    let mut out = Vec::with_capacity(questions.len());
    for (i, q) in questions.iter().enumerate() {
        if i % 2000 == 0 {
            progress(&format!("examining questions: {i} of {}", questions.len()));
        }
        let Ok(examined) = engine.examine(&q.question, None) else {
            continue;
        };
        let covered = examined.covered(min_coverage);
        let summary = engine.summary(&examined);
        let article = articles.binary_search(&q.article).expect("collected above");
        let mut example = Example {
            article,
            answerable: !q.is_impossible,
            candidates: Vec::new(),
            summary,
            standings: Vec::new(),
            places: Vec::new(),
            eligible: Vec::new(),
        };
        if !covered.is_empty() {
            let offered = engine.offer(&examined, &covered)?;
            let views = engine.views(&offered);
            let asked = examined.asked(&q.question);
            example.summary.other_time = answer::names_other_time(&asked, &views);
            for k in answer::keyed_candidates(&asked, &views) {
                let view = &views[k.sentence];
                let text = &view.text[k.candidate.bytes(view.syntax)];
                let best = q.answers.iter().map(|g| f1(text, g)).fold(0.0f32, f32::max);
                example.standings.push(answer::standing(&views, &k));
                example
                    .places
                    .push((k.sentence, k.candidate.tokens.clone()));
                example.eligible.push(k.eligible);
                example.candidates.push((k.keys, best));
            }
        }
        out.push(example);
    }
    Ok(out)
}

/// Features of fewer questions than this are dropped before training: a word seen with one
/// question says more about that question than about questions in general, and the model stays
/// small.
const MIN_QUESTIONS: u32 = 3;

/// Drops the features that fewer than [`MIN_QUESTIONS`] questions have.
fn drop_rare_features(examples: &mut [Example]) {
    let mut counts: KeyMap<u32> = KeyMap::default();
    let mut seen: Vec<Key> = Vec::new();
    for e in examples.iter() {
        seen.clear();
        seen.extend(
            e.candidates
                .iter()
                .flat_map(|(keys, _)| keys.iter().copied()),
        );
        seen.sort_unstable();
        seen.dedup();
        for k in &seen {
            *counts.entry(*k).or_default() += 1;
        }
    }
    for e in examples.iter_mut() {
        for (keys, _) in &mut e.candidates {
            keys.retain(|k| counts.get(k).is_some_and(|&c| c >= MIN_QUESTIONS));
        }
    }
}

/// A linear model being learned with AdaGrad.
#[derive(Default)]
struct Learner {
    /// Weight and sum of squared gradients per feature.
    weights: KeyMap<(f32, f32)>,
}

impl Learner {
    fn score(&self, keys: &[Key]) -> f32 {
        keys.iter()
            .filter_map(|k| self.weights.get(k))
            .map(|(w, _)| w)
            .sum()
    }

    /// Moves the weights of `keys` by gradient `g` (of the loss, per unit of score).
    fn step(&mut self, keys: &[Key], g: f32) {
        for k in keys {
            let (w, sum) = self.weights.entry(*k).or_insert((0.0, 0.0));
            let grad = g + L2 * *w;
            *sum += grad * grad;
            *w -= LEARNING_RATE * grad / (sum.sqrt() + 1e-6);
        }
    }

    fn finish(self, name: &str) -> Weights {
        Weights::linear(
            name,
            self.weights.into_iter().map(|(k, (w, _))| (k, w)),
            MIN_WEIGHT,
        )
    }
}

/// Trains a ranker on the examples `use_it` accepts: the average of [`RANKER_SEEDS`] rankers,
/// each trained on its own shuffles of the questions.
fn train_ranker(examples: &[Example], seed: u64, use_it: impl Fn(&Example) -> bool) -> Learner {
    let order: Vec<usize> = (0..examples.len())
        .filter(|&i| use_it(&examples[i]))
        .filter(|&i| examples[i].candidates.iter().any(|(_, f)| *f >= RIGHT_F1))
        .collect();
    let mut average = Learner::default();
    for ranker in 0..RANKER_SEEDS {
        let learner = train_ranker_with(examples, order.clone(), seed.wrapping_add(ranker));
        for (k, (w, _)) in learner.weights {
            average.weights.entry(k).or_default().0 += w / RANKER_SEEDS as f32;
        }
    }
    average
}

/// Trains one ranker on the examples in `order`, shuffled with `seed`: a softmax over each
/// question's candidates, towards the right ones (those within a hair of the best F1, when that
/// is at least [`RIGHT_F1`]).
fn train_ranker_with(examples: &[Example], mut order: Vec<usize>, seed: u64) -> Learner {
    let mut learner = Learner::default();
    let mut shuffler = Shuffler::new(seed);
    for _ in 0..RANKER_EPOCHS {
        shuffler.shuffle(&mut order);
        for &i in &order {
            let candidates = &examples[i].candidates;
            let top = candidates.iter().map(|(_, f)| *f).fold(0.0f32, f32::max);
            let right: Vec<bool> = candidates.iter().map(|(_, f)| *f >= top - 1e-4).collect();
            let n_right = right.iter().filter(|&&r| r).count() as f32;
            let scores: Vec<f32> = candidates.iter().map(|(k, _)| learner.score(k)).collect();
            let shares = answer::softmax(&scores);
            for (c, (keys, _)) in candidates.iter().enumerate() {
                let target = if right[c] { 1.0 / n_right } else { 0.0 };
                let g = shares[c] - target;
                if g.abs() > 1e-4 {
                    learner.step(keys, g);
                }
            }
        }
    }
    learner
}

/// Trains a logistic regression on (features, label) pairs.
fn train_logistic(data: &[(Vec<Key>, bool)], seed: u64) -> Learner {
    let mut learner = Learner::default();
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut shuffler = Shuffler::new(seed ^ 1);
    for _ in 0..LOGISTIC_EPOCHS {
        shuffler.shuffle(&mut order);
        for &i in &order {
            let (keys, label) = &data[i];
            let p = answer::model::sigmoid(learner.score(keys));
            learner.step(keys, p - f32::from(u8::from(*label)));
        }
    }
    learner
}

/// The summary of an example with the candidates ranked by `ranker`, and the best candidate's
/// F1, if there is a best one.
fn ranked_summary(example: &Example, ranker: &Learner) -> (Summary, Option<f32>) {
    let mut summary = example.summary.clone();
    let scores: Vec<f32> = example
        .candidates
        .iter()
        .map(|(k, _)| ranker.score(k))
        .collect();
    let Some(b) = summary.rank(&scores, &example.places, &example.eligible) else {
        return (summary, None);
    };
    summary.best = example.standings[b];
    (summary, Some(example.candidates[b].1))
}

/// Trains the answer models on the question set in `data` and writes them into `out`, shuffling
/// with `seed` ([`DEFAULT_SEED`] for the shipped models).
pub fn train(data: &Path, out: &Path, seed: u64, mut progress: impl FnMut(&str)) -> Result<Report> {
    let settings = AnswerConfig::default();
    progress("indexing the posts");
    let engine = Engine::open(&data.join("docs"), settings)?;
    let mut examples = examples(data, &engine, &mut progress)?;
    drop_rare_features(&mut examples);

    progress("cross-fitting the ranker");
    let mut held_out: Vec<HeldOut> = Vec::new();
    let mut features = Features::default();
    for fold in 0..FOLDS {
        let ranker = train_ranker(&examples, seed, |e| e.article % FOLDS != fold);
        for e in examples.iter().filter(|e| e.article % FOLDS == fold) {
            let (summary, best_f1) = ranked_summary(e, &ranker);
            summary.answerable_features(&mut features);
            let answerable_keys = features.keys().to_vec();
            let confidence_keys = best_f1.map(|_| {
                summary.confidence_features(&mut features);
                features.keys().to_vec()
            });
            let best_f1 = if e.answerable {
                best_f1.unwrap_or(0.0)
            } else {
                0.0
            };
            held_out.push(HeldOut {
                confidence: confidence_keys,
                answerable_keys,
                answerable: e.answerable,
                right: best_f1 >= RIGHT_F1,
                f1: best_f1,
            });
        }
    }
    progress("training the confidence and answerability models");
    let confidence = train_logistic(
        &held_out
            .iter()
            .filter_map(|h| Some((h.confidence.clone()?, h.right)))
            .collect::<Vec<_>>(),
        seed,
    );
    let answerable_model = train_logistic(
        &held_out
            .iter()
            .map(|h| (h.answerable_keys.clone(), h.answerable))
            .collect::<Vec<_>>(),
        seed,
    );

    // Figures on the cross-fitted predictions: how often the best candidate is right, and what
    // showing only confident answers would show.
    let answerable_total = held_out.iter().filter(|h| h.answerable).count().max(1);
    let top1 = held_out.iter().filter(|h| h.right).count() as f64 / answerable_total as f64;
    let f1 = held_out.iter().map(|h| f64::from(h.f1)).sum::<f64>() / answerable_total as f64;
    let exact = held_out.iter().filter(|h| h.f1 >= 1.0).count() as f64 / answerable_total as f64;
    let probabilities: Vec<(f32, bool, bool)> = held_out
        .iter()
        .filter_map(|h| {
            let keys = h.confidence.as_ref()?;
            Some((
                answer::model::sigmoid(confidence.score(keys)),
                h.answerable,
                h.right,
            ))
        })
        .collect();
    // Per threshold: the shown share of answerable questions, precision, and its standard error.
    let table: Vec<(f32, f64, f64, f64)> = [
        0.0f32, 0.3, 0.4, 0.41, 0.42, 0.43, 0.44, 0.45, 0.5, 0.6, 0.7, 0.8,
    ]
    .iter()
    .map(|&t| {
        let shown: Vec<&(f32, bool, bool)> =
            probabilities.iter().filter(|(p, _, _)| *p >= t).collect();
        let shown_answerable = shown.iter().filter(|(_, a, _)| *a).count();
        let right = shown.iter().filter(|(_, _, r)| *r).count();
        let n = shown.len().max(1) as f64;
        let precision = right as f64 / n;
        (
            t,
            shown_answerable as f64 / answerable_total as f64,
            precision,
            (precision * (1.0 - precision) / n).sqrt(),
        )
    })
    .collect();
    let suggested = table
        .iter()
        .find(|(_, _, precision, error)| precision - error >= DEFAULT_PRECISION)
        .map(|row| row.0);
    let thresholds = table.iter().map(|&(t, s, p, _)| (t, s, p)).collect();

    let unanswerable_total = held_out.iter().filter(|h| !h.answerable).count().max(1);
    let declined = [0.2f32, 0.3, 0.4, 0.5, 0.6]
        .iter()
        .map(|&t| {
            let below = |answerable: bool| {
                held_out
                    .iter()
                    .filter(|h| h.answerable == answerable)
                    .filter(|h| {
                        answer::model::sigmoid(answerable_model.score(&h.answerable_keys)) < t
                    })
                    .count() as f64
            };
            (
                t,
                below(false) / unanswerable_total as f64,
                below(true) / answerable_total as f64,
            )
        })
        .collect();

    progress("training the final ranker on every article");
    let ranker = train_ranker(&examples, seed, |_| true);
    let models = Models::new(
        ranker.finish("score"),
        confidence.finish("score"),
        answerable_model.finish("score"),
    );
    let files = crate::syntax::perceptron::write_models(out, models.weights())?;
    Ok(Report {
        models,
        questions: examples.len(),
        reachable: examples
            .iter()
            .filter(|e| {
                e.candidates
                    .iter()
                    .zip(&e.eligible)
                    .any(|((_, f), &eligible)| eligible && *f >= RIGHT_F1)
            })
            .count(),
        top1,
        f1,
        exact,
        thresholds,
        suggested,
        declined,
        files,
    })
}

/// How the engine does on a SQuAD-style set, measured as `squad_score.py` measures it.
#[derive(Debug, Default)]
pub struct Check {
    /// Answerable and unanswerable questions.
    pub answerable: usize,
    /// Unanswerable questions.
    pub unanswerable: usize,
    /// The first citation lies in the gold paragraph (answerable questions, answered).
    pub passage: f64,
    /// Exact match and F1 of the short answer (answerable questions).
    pub exact: f64,
    /// F1 of the short answer.
    pub f1: f64,
    /// Unanswerable questions answered with `answered: false`.
    pub abstain: f64,
    /// Answerable questions given a short answer.
    pub shown: f64,
    /// Short answers shown that are right (F1 >= 0.5), over all questions.
    pub precision: f64,
}

#[derive(serde::Deserialize)]
struct Context {
    context_id: u64,
    text: String,
}

#[derive(serde::Deserialize)]
struct Scored {
    question: String,
    answers: Vec<String>,
    is_impossible: bool,
    context_id: u64,
}

/// White space squashed, emphasis marks dropped, lower case: how the scorer compares passages.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '*' | '_' | '`'))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Asks every question of the set in `data` of an engine over its posts with `models` and the
/// given settings.
pub fn check(data: &Path, models: Arc<Models>, settings: AnswerConfig) -> Result<Check> {
    let engine = Engine::open(&data.join("docs"), settings)?.with_models(models);
    let path = data.join("contexts.jsonl");
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    let mut paragraphs: BTreeMap<u64, String> = BTreeMap::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let c: Context = serde_json::from_str(line).map_err(|e| Error::TrainingData {
            path: path.clone(),
            message: format!("line {}: {e}", n + 1),
        })?;
        paragraphs.insert(c.context_id, squash(&c.text));
    }
    let path = data.join("questions.jsonl");
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    let mut check = Check::default();
    let (mut shown_all, mut right) = (0usize, 0usize);
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let q: Scored = serde_json::from_str(line).map_err(|e| Error::TrainingData {
            path: path.clone(),
            message: format!("line {}: {e}", n + 1),
        })?;
        let reply = engine.ask(&q.question).ok();
        let answered = reply.as_ref().is_some_and(|r| r.answered());
        let predicted = reply
            .as_ref()
            .filter(|_| answered)
            .and_then(|r| r.answer.clone())
            .unwrap_or_default();
        let shows = answered && !predicted.is_empty();
        shown_all += usize::from(shows);
        if q.is_impossible {
            check.unanswerable += 1;
            check.abstain += f64::from(u8::from(!answered));
            continue;
        }
        check.answerable += 1;
        let top = reply
            .as_ref()
            .filter(|_| answered)
            .and_then(|r| r.citations.first())
            .map(|c| squash(&c.text))
            .unwrap_or_default();
        let gold = paragraphs.get(&q.context_id).map_or("", String::as_str);
        if !top.is_empty() && (gold.contains(&top) || top.contains(gold)) {
            check.passage += 1.0;
        }
        let norm = normalize_answer(&predicted);
        check.exact += f64::from(u8::from(
            q.answers.iter().any(|g| normalize_answer(g) == norm),
        ));
        let best = q
            .answers
            .iter()
            .map(|g| f1(&predicted, g))
            .fold(0.0f32, f32::max);
        check.f1 += f64::from(best);
        check.shown += f64::from(u8::from(shows));
        right += usize::from(shows && best >= RIGHT_F1);
    }
    let a = check.answerable.max(1) as f64;
    check.passage /= a;
    check.exact /= a;
    check.f1 /= a;
    check.shown /= a;
    check.abstain /= check.unanswerable.max(1) as f64;
    check.precision = right as f64 / shown_all.max(1) as f64;
    Ok(check)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squad_normalisation_and_f1() {
        assert_eq!(normalize_answer("The  Rhine, river!"), ["rhine", "river"]);
        assert!((f1("the Rhine river", "Rhine") - 2.0 / 3.0).abs() < 1e-6);
        assert_eq!(f1("Denmark", "Norway"), 0.0);
        assert_eq!(f1("", ""), 1.0);
    }
}
