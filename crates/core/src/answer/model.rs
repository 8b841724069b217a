//! The three learned models of the answer step, trained on SQuAD-style question sets by
//! `citebot train answers` and embedded in the binary: the ranker, which scores each candidate
//! answer (a softmax over a question's candidates turns the scores into shares); the confidence
//! model, a logistic regression that turns the best candidate's share and what retrieval found
//! into the probability that the short answer is right; and the answerability model, the
//! probability that the posts answer the question at all. The two probabilities read their
//! inputs in buckets, so a plain logistic regression can bend where it must. All three are
//! stored as [`Weights`] with one class.

use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use crate::error::{Error, Result};
use crate::syntax::perceptron::{Features, Key, Weights};

/// File name of the candidate ranker.
pub const RANKER_FILE: &str = "en-answer-ranker.cbpm";
/// File name of the confidence model.
pub const CONFIDENCE_FILE: &str = "en-answer-confidence.cbpm";
/// File name of the answerability model.
pub const ANSWERABLE_FILE: &str = "en-answerable.cbpm";

/// The answer step's models.
pub struct Models {
    ranker: Weights,
    confidence: Weights,
    answerable: Weights,
}

impl Models {
    /// The models shipped in the binary, read on first use.
    pub fn shipped() -> &'static Models {
        static SHIPPED: OnceLock<Models> = OnceLock::new();
        SHIPPED.get_or_init(|| {
            Models::from_bytes(
                include_bytes!("../../models/en-answer-ranker.cbpm"),
                include_bytes!("../../models/en-answer-confidence.cbpm"),
                include_bytes!("../../models/en-answerable.cbpm"),
            )
            .expect("the shipped answer models are valid (they are tested)")
        })
    }

    /// The models in `dir` (as `citebot train answers` writes them).
    pub fn from_dir(dir: &Path) -> Result<Models> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read(&path).map_err(|source| Error::Io { path, source })
        };
        Models::from_bytes(
            &read(RANKER_FILE)?,
            &read(CONFIDENCE_FILE)?,
            &read(ANSWERABLE_FILE)?,
        )
    }

    fn from_bytes(ranker: &[u8], confidence: &[u8], answerable: &[u8]) -> Result<Models> {
        let one = |bytes: &[u8], name: &str| -> Result<Weights> {
            let weights = Weights::from_bytes(bytes, name)?;
            if weights.classes().len() != 1 {
                return Err(Error::Model {
                    name: name.to_string(),
                    message: format!("{} classes, expected 1", weights.classes().len()),
                });
            }
            Ok(weights)
        };
        Ok(Models {
            ranker: one(ranker, RANKER_FILE)?,
            confidence: one(confidence, CONFIDENCE_FILE)?,
            answerable: one(answerable, ANSWERABLE_FILE)?,
        })
    }

    /// Models made of trained weights.
    pub fn new(ranker: Weights, confidence: Weights, answerable: Weights) -> Models {
        Models {
            ranker,
            confidence,
            answerable,
        }
    }

    /// The weights, for saving: ranker, confidence, answerability.
    pub fn weights(&self) -> [(&'static str, &Weights); 3] {
        [
            (RANKER_FILE, &self.ranker),
            (CONFIDENCE_FILE, &self.confidence),
            (ANSWERABLE_FILE, &self.answerable),
        ]
    }

    /// A candidate's score.
    pub fn rank(&self, keys: &[Key]) -> f32 {
        linear(&self.ranker, keys)
    }

    /// The probability that the best candidate is right.
    pub fn confidence(&self, keys: &[Key]) -> f32 {
        sigmoid(linear(&self.confidence, keys))
    }

    /// The probability that the posts answer the question.
    pub fn answerable(&self, keys: &[Key]) -> f32 {
        sigmoid(linear(&self.answerable, keys))
    }
}

fn linear(weights: &Weights, keys: &[Key]) -> f32 {
    let mut score = [0.0f32];
    weights.score(keys, &mut score);
    score[0]
}

/// The logistic function.
pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// What the confidence and answerability models read: numbers about the question, retrieval and
/// the candidates, each turned into bucketed features.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// The best candidate's softmax share (0 when there is none).
    pub share: f32,
    /// The second best's share.
    pub second: f32,
    /// The shares of the candidates that overlap the best one in its sentence, the best
    /// included: a right answer's neighbours ("the Nile", "the Nile river") agree with it, so
    /// the share they hold together says more than the best one's alone.
    pub agreeing: f32,
    /// The best share of a candidate that does not overlap the best one: the real rival.
    pub rival: f32,
    /// How many candidates there were.
    pub candidates: usize,
    /// The best candidate's raw ranker score.
    pub score: f32,
    /// The best candidate and its sentence (all zero when there is none).
    pub best: Standing,
    /// The best sentence's retrieval score, absolute.
    pub retrieval: f32,
    /// The share of the question's key words the best passage holds.
    pub coverage: f32,
    /// Question words the posts never use, and of them, names.
    pub unknown_words: usize,
    /// Names ("Brazil", "GDP") the posts never use.
    pub unknown_names: usize,
    /// The question's content words.
    pub question_words: usize,
    /// Question words, and of them names, that the best passage does not hold.
    pub missing_words: usize,
    /// Names of the question the best passage does not hold.
    pub missing_names: usize,
    /// The question says "not", "never", "no": SQuAD's unanswerable questions often negate an
    /// answerable one.
    pub negated: bool,
    /// The question names a year or a month that no offered sentence names, while one names
    /// another ("how many in 1998?" over "in 1997, 40"): on SQuAD train, where the best
    /// passage named other years only, 84 of 115 such questions had no answer and 10 were
    /// answered right.
    pub other_time: bool,
}

/// What the summary reads of the best candidate and its sentence, besides the ranker's scores.
#[derive(Debug, Clone, Copy, Default)]
pub struct Standing {
    /// The candidate's kind, plus one (0: no candidate).
    pub kind: u64,
    /// Its length in tokens.
    pub length: usize,
    /// The retrieval rank of its sentence.
    pub rank: usize,
    /// Its sentence's retrieval score relative to the best sentence.
    pub relative: f32,
    /// How many of the question's content words its sentence holds.
    pub groups: usize,
    /// How many words of its sentence stand where the question has another word
    /// ([`super::contrast`]).
    pub contrasts: usize,
    /// It holds such a word ("Isaac Newton" for "the work of Galileo").
    pub contrasting: bool,
    /// Its sentence negates a verb or adjective of the question that the question does not, or
    /// the other way round.
    pub negation_differs: bool,
}

/// A share in `n` equal buckets of [0, 1].
fn share_bucket(x: f32, n: usize) -> u64 {
    ((x.clamp(0.0, 1.0) * n as f32) as usize).min(n - 1) as u64
}

impl Summary {
    /// Fills in what the ranker's `scores` of the candidates at `places` (each one's sentence
    /// and tokens) say: how many candidates, the best one's share and score, the runner-up's
    /// share, and how the shares split between the best one's neighbours and its rivals. The
    /// best is the highest scored of those `eligible`; returns its index, or `None` when no
    /// candidate is. The runner-up and the rivals are any other candidates, eligible or not, so
    /// the runner-up's share may exceed the best one's. The same code in use and in training,
    /// so the confidence model reads in use what it learned from.
    pub fn rank(
        &mut self,
        scores: &[f32],
        places: &[(usize, Range<usize>)],
        eligible: &[bool],
    ) -> Option<usize> {
        self.candidates = scores.len();
        let best = super::best_index(scores, eligible)?;
        let shares = super::softmax(scores);
        self.share = shares[best];
        self.second = shares
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != best)
            .map(|(_, s)| *s)
            .fold(0.0, f32::max);
        let (sentence, tokens) = &places[best];
        let overlaps = |(s, t): &(usize, Range<usize>)| {
            s == sentence && t.start < tokens.end && tokens.start < t.end
        };
        self.agreeing = 0.0;
        self.rival = 0.0;
        for (share, place) in shares.iter().zip(places) {
            if overlaps(place) {
                self.agreeing += share;
            } else {
                self.rival = self.rival.max(*share);
            }
        }
        self.score = scores[best];
        Some(best)
    }

    /// The features of the confidence model.
    pub fn confidence_features(&self, f: &mut Features) {
        f.clear();
        f.add(0, &[]);
        f.add(1, &[share_bucket(self.share, 20)]);
        f.add(2, &[share_bucket(self.share - self.second, 10)]);
        f.add(4, &[self.best.kind, share_bucket(self.share, 5)]);
        f.add(5, &[self.best.length.min(8) as u64]);
        f.add(6, &[self.best.rank.min(3) as u64]);
        f.add(7, &[share_bucket(self.best.relative, 5)]);
        self.retrieval_features(f);
        f.add(8, &[((self.score.clamp(-10.0, 20.0) + 10.0) / 2.0) as u64]);
        f.add(9, &[(self.candidates as f32).ln_1p() as u64]);
        f.add(10, &[share_bucket(self.agreeing, 20)]);
        f.add(11, &[share_bucket(self.agreeing - self.rival, 10)]);
        self.contrast_features(f);
    }

    /// The features of the answerability model.
    pub fn answerable_features(&self, f: &mut Features) {
        f.clear();
        f.add(0, &[]);
        self.retrieval_features(f);
        f.add(30, &[share_bucket(self.share, 10)]);
        f.add(31, &[((self.score.clamp(-10.0, 20.0) + 10.0) / 2.0) as u64]);
        self.contrast_features(f);
    }

    /// How the best sentence's words stand to the question's: read by both models, as a swapped
    /// detail or a differing negation speaks against the answer and against the question being
    /// answered at all.
    fn contrast_features(&self, f: &mut Features) {
        f.add(
            40,
            &[
                self.best.contrasts.min(2) as u64,
                u64::from(self.best.contrasting),
            ],
        );
        f.add(41, &[u64::from(self.best.negation_differs)]);
    }

    fn retrieval_features(&self, f: &mut Features) {
        f.add(20, &[share_bucket(self.coverage, 10)]);
        f.add(
            21,
            &[
                self.unknown_words.min(3) as u64,
                self.unknown_names.min(2) as u64,
            ],
        );
        f.add(23, &[(self.retrieval * 2.0).clamp(0.0, 8.0) as u64]);
        let missing = self.question_words.saturating_sub(self.best.groups);
        f.add(
            24,
            &[missing.min(4) as u64, self.question_words.min(8) as u64],
        );
        f.add(
            26,
            &[
                self.missing_words.min(4) as u64,
                self.missing_names.min(3) as u64,
            ],
        );
        f.add(27, &[u64::from(self.negated)]);
        f.add(29, &[u64::from(self.other_time)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_of_the_best_candidate_agree_with_it_and_others_are_rivals() {
        // The best (0) and a longer phrase around it (1) in sentence 0; the same tokens in
        // sentence 1 (2) and a phrase beside the best in sentence 0 (3) are rivals.
        let places = [(0, 2..4), (0, 1..5), (1, 2..4), (0, 5..7)];
        let scores = [2.0, 1.0, 1.5, 0.5];
        let mut summary = Summary::default();
        assert_eq!(summary.rank(&scores, &places, &[true; 4]), Some(0));
        let shares = crate::answer::softmax(&scores);
        assert!((summary.agreeing - (shares[0] + shares[1])).abs() < 1e-6);
        assert!((summary.rival - shares[2]).abs() < 1e-6);
        assert!((summary.second - shares[2]).abs() < 1e-6);
        assert_eq!(summary.candidates, 4);
        assert_eq!(Summary::default().rank(&[], &[], &[]), None);
    }
}
