//! Training the tagger and the parser from a Universal Dependencies treebank, and measuring them
//! on its test file: what `citebot train syntax` runs. Everything is deterministic (seeded
//! shuffles, sorted model files), so the same treebank gives the same model bytes.
//!
//! The parser is trained on tags the tagger predicts, not on the treebank's gold tags, because
//! predicted tags are what it meets in use. Tagging the training sentences with a tagger trained
//! on them would be too good to be realistic, so each tenth of the training set is tagged by a
//! tagger trained on the other nine tenths ("jackknifing").

use std::path::{Path, PathBuf};

use super::conllu::{self, Word};
use super::parser::{self, Example};
use super::perceptron;
use super::tagger::{self, Tag};
use super::{Syntax, PARSER_FILE, RELATIONS_FILE, TAGGER_FILE};
use crate::error::{Error, Result};

/// Passes over the training set.
const TAGGER_ITERATIONS: usize = 8;
const PARSER_ITERATIONS: usize = 12;
/// Folds for tagging the parser's training sentences.
const JACKKNIFE_FOLDS: usize = 10;
/// Seeds of the shuffles.
const TAGGER_SEED: u64 = 0x7a66_e401;
const PARSER_SEED: u64 = 0x5ea5_0e44;

/// What training produced and how well it does on the test file.
#[derive(Debug)]
pub struct Report {
    /// Training sentences and words.
    pub train_sentences: usize,
    /// Test sentences and words.
    pub test_words: usize,
    /// Share of test words tagged with their gold universal tag.
    pub tag_accuracy: f64,
    /// Share of test words given their gold head (unlabelled attachment), with predicted tags.
    pub uas: f64,
    /// Share of test words given their gold head and relation (labelled attachment).
    pub las: f64,
    /// The model files written, with their sizes in bytes.
    pub files: Vec<(PathBuf, usize)>,
}

/// The treebank's training, development and test files in `dir`: `*-ud-train.conllu`,
/// `*-ud-dev.conllu` (optional) and `*-ud-test.conllu`.
fn treebank_files(dir: &Path) -> Result<(PathBuf, Option<PathBuf>, PathBuf)> {
    let find = |suffix: &str| -> Result<PathBuf> {
        let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with(suffix))
            })
            .collect();
        found.sort();
        found.into_iter().next().ok_or_else(|| Error::TrainingData {
            path: dir.to_path_buf(),
            message: format!("no `*{suffix}` file in the folder"),
        })
    };
    Ok((
        find("-ud-train.conllu")?,
        find("-ud-dev.conllu").ok(),
        find("-ud-test.conllu")?,
    ))
}

fn tagged(sentence: &[Word]) -> Vec<(String, String)> {
    sentence
        .iter()
        .map(|w| (w.form.clone(), w.upos.clone()))
        .collect()
}

fn example(sentence: &[Word], tags: Vec<Tag>) -> Example {
    Example {
        words: sentence.iter().map(|w| w.form.clone()).collect(),
        tags,
        heads: sentence.iter().map(|w| w.head).collect(),
        relations: sentence.iter().map(|w| w.relation.clone()).collect(),
    }
}

/// Trains the tagger and parser on the treebank in `treebank`, writes their models into `out`,
/// and measures them on the test file. `progress` hears what is happening.
pub fn train(treebank: &Path, out: &Path, mut progress: impl FnMut(&str)) -> Result<Report> {
    let (train_file, dev_file, test_file) = treebank_files(treebank)?;
    // The development file is training material too: nothing is tuned on it here, and the
    // test file alone measures the models.
    let mut train_set = conllu::read(&train_file)?;
    if let Some(dev) = &dev_file {
        train_set.extend(conllu::read(dev)?);
    }
    let test_set = conllu::read(&test_file)?;
    if train_set.is_empty() {
        return Err(Error::TrainingData {
            path: train_file,
            message: "no sentences".into(),
        });
    }
    let tag_data: Vec<Vec<(String, String)>> = train_set.iter().map(|s| tagged(s)).collect();

    progress(&format!(
        "tagger: {} sentences, {TAGGER_ITERATIONS} passes",
        train_set.len()
    ));
    let tagger = tagger::train(&tag_data, TAGGER_ITERATIONS, TAGGER_SEED, tagger::PRUNING);
    let folds = JACKKNIFE_FOLDS.min(train_set.len());
    let mut examples: Vec<Option<Example>> = (0..train_set.len()).map(|_| None).collect();
    for fold in 0..folds {
        progress(&format!(
            "tagging the parser's sentences: fold {} of {folds}",
            fold + 1
        ));
        let rest: Vec<Vec<(String, String)>> = tag_data
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds != fold)
            .map(|(_, s)| s.clone())
            .collect();
        let fold_tagger = if rest.is_empty() {
            None
        } else {
            Some(tagger::train(
                &rest,
                TAGGER_ITERATIONS,
                TAGGER_SEED,
                tagger::PRUNING,
            ))
        };
        for (i, sentence) in train_set
            .iter()
            .enumerate()
            .filter(|(i, _)| i % folds == fold)
        {
            let words: Vec<&str> = sentence.iter().map(|w| w.form.as_str()).collect();
            let tags = fold_tagger.as_ref().unwrap_or(&tagger).tag(&words);
            examples[i] = Some(example(sentence, tags));
        }
    }
    let examples: Vec<Example> = examples.into_iter().flatten().collect();
    progress(&format!(
        "parser: {} sentences, {PARSER_ITERATIONS} passes",
        examples.len()
    ));
    let parser = parser::train(&examples, PARSER_ITERATIONS, PARSER_SEED, parser::PRUNING);

    let syntax = Syntax::new(tagger, parser);
    let (mut words, mut tags_right, mut heads_right, mut both_right) = (0usize, 0, 0, 0);
    for sentence in &test_set {
        let forms: Vec<&str> = sentence.iter().map(|w| w.form.as_str()).collect();
        let tags = syntax.tagger.tag(&forms);
        let tree = syntax.parser.parse(&forms, &tags);
        for (i, w) in sentence.iter().enumerate() {
            words += 1;
            tags_right += usize::from(tags[i].name() == w.upos);
            if tree.heads[i] == w.head {
                heads_right += 1;
                let relation = &syntax.parser.relations()[tree.relations[i] as usize];
                both_right += usize::from(*relation == w.relation);
            }
        }
    }
    let (arcs, relations) = syntax.parser.weights();
    let files = perceptron::write_models(
        out,
        [
            (TAGGER_FILE, syntax.tagger.weights()),
            (PARSER_FILE, arcs),
            (RELATIONS_FILE, relations),
        ],
    )?;
    let share = |right: usize| right as f64 / words.max(1) as f64;
    Ok(Report {
        train_sentences: train_set.len(),
        test_words: words,
        tag_accuracy: share(tags_right),
        uas: share(heads_right),
        las: share(both_right),
        files,
    })
}
