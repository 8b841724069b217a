//! The part-of-speech tagger: a greedy, left-to-right averaged perceptron over the universal tags
//! (NOUN, VERB, PROPN, NUM, ...), with the features of Collins (2002) as Honnibal's tagger uses
//! them: the word, its affixes and shape, the words around it and the two tags before it.

use super::perceptron::{best, hash, Features, Pruning, Shuffler, Trainer, Weights};
use crate::lexicon::english::is_tens_and_unit;

/// The universal part-of-speech tags, in the order of the model's classes.
pub const TAGS: [&str; 17] = [
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
    "PUNCT", "SCONJ", "SYM", "VERB", "X",
];

/// A universal part-of-speech tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Tag {
    Adj,
    Adp,
    Adv,
    Aux,
    Cconj,
    Det,
    Intj,
    Noun,
    Num,
    Part,
    Pron,
    Propn,
    Punct,
    Sconj,
    Sym,
    Verb,
    X,
}

const ALL: [Tag; 17] = [
    Tag::Adj,
    Tag::Adp,
    Tag::Adv,
    Tag::Aux,
    Tag::Cconj,
    Tag::Det,
    Tag::Intj,
    Tag::Noun,
    Tag::Num,
    Tag::Part,
    Tag::Pron,
    Tag::Propn,
    Tag::Punct,
    Tag::Sconj,
    Tag::Sym,
    Tag::Verb,
    Tag::X,
];

impl Tag {
    /// The tag's universal name ("NOUN").
    pub fn name(self) -> &'static str {
        TAGS[self as usize]
    }

    /// The tag called `name`, if it is one.
    pub fn from_name(name: &str) -> Option<Tag> {
        TAGS.iter().position(|t| *t == name).map(|i| ALL[i])
    }

    /// Nouns, proper nouns and pronouns.
    pub fn is_nominal(self) -> bool {
        matches!(self, Tag::Noun | Tag::Propn | Tag::Pron)
    }
}

/// The trained tagger.
pub struct Tagger {
    weights: Weights,
    /// Model class number → tag.
    tags: Vec<Tag>,
}

/// What the shipped tagger leaves out: features seen once, and weights under 0.2 % of the
/// largest.
pub const PRUNING: Pruning = Pruning {
    min_seen: 2,
    min_weight: 0.002,
};

/// The ambiguity class of a word not in the lexicon.
const UNKNOWN: &str = "?";
/// A word enters the lexicon when it was seen this often in training...
const LEXICON_MIN_COUNT: usize = 2;
/// ...and a tag enters its class when it was this share of the word's tags.
const LEXICON_MIN_SHARE: f64 = 0.05;

impl Tagger {
    /// A tagger from trained weights whose classes are universal tag names.
    pub fn new(weights: Weights) -> crate::Result<Tagger> {
        let tags = weights
            .classes()
            .iter()
            .map(|c| {
                Tag::from_name(c).ok_or_else(|| crate::Error::Model {
                    name: "tagger".into(),
                    message: format!("`{c}` is not a universal part-of-speech tag"),
                })
            })
            .collect::<crate::Result<Vec<Tag>>>()?;
        Ok(Tagger { weights, tags })
    }

    /// The weights, for saving.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// Tags each word of a sentence.
    pub fn tag(&self, words: &[&str]) -> Vec<Tag> {
        let context = Context::new(words, |w| self.weights.lookup(w));
        let mut features = Features::default();
        let mut scores = vec![0.0f32; self.tags.len()];
        let mut out: Vec<Tag> = Vec::with_capacity(words.len());
        for i in 0..words.len() {
            let prev = out.last().map_or(START, |&t| tag_part(t));
            let prev2 = out.len().checked_sub(2).map_or(START, |p| tag_part(out[p]));
            features.clear();
            context.features(i, prev, prev2, &mut features);
            scores.iter_mut().for_each(|s| *s = 0.0);
            self.weights.score(features.keys(), &mut scores);
            out.push(self.tags[best(&scores)]);
        }
        out
    }
}

/// A tag as a feature part.
fn tag_part(tag: Tag) -> u64 {
    tag as u64 + 1
}

/// What stands before the first word and after the last, as feature parts (string hashes are
/// never this small).
const START: u64 = 100;
const END: u64 = 101;

/// One word's feature parts.
struct Word {
    normal: u64,
    raw: u64,
    shape: u64,
    /// Its ambiguity class: the tags it was seen with in training ("NOUN|VERB").
    class: u64,
    prefixes: [u64; 2],
    suffixes: [u64; 4],
}

/// The feature parts of a sentence's words, computed once.
struct Context {
    /// Whether the sentence is written in capitals or title case, in lower case or normally.
    casing: u64,
    words: Vec<Word>,
}

impl Context {
    fn new<'a>(words: &[&str], known: impl Fn(&str) -> Option<&'a str>) -> Context {
        let alphabetic: Vec<&&str> = words
            .iter()
            .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
            .collect();
        let capitalised = alphabetic
            .iter()
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .count();
        let casing = if alphabetic.len() >= 3 && capitalised * 10 >= alphabetic.len() * 7 {
            1
        } else if capitalised == 0 && alphabetic.len() >= 3 {
            2
        } else {
            3
        };
        let words = words
            .iter()
            .map(|w| {
                let raw = straight_quotes(w);
                let normal = normal(w);
                Word {
                    class: hash(known(&normal).unwrap_or(UNKNOWN)),
                    normal: hash(&normal),
                    shape: hash(&shape(&raw)),
                    prefixes: [hash(prefix(&raw, 1)), hash(prefix(&raw, 3))],
                    suffixes: [1, 2, 3, 4].map(|n| hash(suffix(&raw, n))),
                    raw: hash(&raw),
                }
            })
            .collect();
        Context { casing, words }
    }

    /// A part of the word at `i` (START or END outside the sentence).
    fn part(&self, i: isize, of: impl Fn(&Word) -> u64) -> u64 {
        if i < 0 {
            START
        } else {
            self.words.get(i as usize).map_or(END, of)
        }
    }

    fn features(&self, i: usize, prev: u64, prev2: u64, f: &mut Features) {
        let at = i as isize;
        let word = &self.words[i];
        let normal = |k: isize| self.part(at + k, |w| w.normal);
        let class = |k: isize| self.part(at + k, |w| w.class);
        let shape = |k: isize| self.part(at + k, |w| w.shape);
        let w = word.normal;
        f.add(0, &[]);
        f.add(1, &[w]);
        f.add(2, &[word.suffixes[2]]);
        f.add(3, &[word.prefixes[0]]);
        f.add(4, &[prev]);
        f.add(5, &[prev2]);
        f.add(6, &[prev, prev2]);
        f.add(7, &[prev, w]);
        f.add(8, &[normal(-1)]);
        f.add(9, &[self.part(at - 1, |w| w.suffixes[2])]);
        f.add(10, &[normal(-2)]);
        f.add(11, &[normal(1)]);
        f.add(12, &[self.part(at + 1, |w| w.suffixes[2])]);
        f.add(13, &[normal(2)]);
        f.add(14, &[word.shape]);
        f.add(15, &[word.suffixes[1]]);
        f.add(16, &[word.suffixes[3]]);
        f.add(17, &[word.prefixes[1]]);
        f.add(18, &[u64::from(i == 0), word.shape]);
        f.add(19, &[w, normal(1)]);
        f.add(20, &[normal(-1), w]);
        f.add(21, &[shape(1)]);
        f.add(22, &[word.suffixes[0]]);
        f.add(23, &[prev, word.suffixes[2]]);
        f.add(24, &[word.raw]);
        f.add(25, &[prev, word.shape]);
        f.add(26, &[word.shape, shape(1)]);
        f.add(27, &[shape(-1), word.shape]);
        f.add(28, &[self.casing, word.shape]);
        f.add(29, &[word.class]);
        f.add(30, &[class(1)]);
        f.add(31, &[class(2)]);
        f.add(32, &[word.class, class(1)]);
        f.add(33, &[prev, word.class, class(1)]);
        f.add(34, &[w, class(1)]);
        f.add(35, &[prev, word.class]);
        f.add(36, &[word.class, class(1), class(2)]);
        f.add(37, &[normal(1), word.class]);
    }
}

/// Curly quotes and apostrophes as straight ones, so posts typed either way look the same.
fn straight_quotes(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            '’' | '‘' | 'ʼ' => '\'',
            '“' | '”' | '„' => '"',
            _ => c,
        })
        .collect()
}

/// The word as a feature: lower-cased, with numbers reduced to their kind.
fn normal(word: &str) -> String {
    let word = straight_quotes(word);
    let digits = word.chars().filter(char::is_ascii_digit).count();
    let lower = word.to_lowercase();
    if digits == 4 && word.chars().count() == 4 {
        "!YEAR".into()
    } else if word.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        "!DIGITS".into()
    } else if is_tens_and_unit(&lower) {
        // The treebank splits "twenty-five" at its hyphen, and the tokenizer keeps it whole:
        // the tagger knows it by its unit, a number it has seen.
        lower
            .rsplit(['-', '‐', '‑'])
            .next()
            .unwrap_or_default()
            .into()
    } else {
        lower
    }
}

/// The word's shape: capitals as `X`, small letters as `x`, digits as `d`, other characters as
/// they are, with runs longer than two cut to two ("Chang'e" → "Xx'x", "1,000" → "d,dd").
fn shape(word: &str) -> String {
    let mut out = String::new();
    let mut last = '\0';
    let mut run = 0;
    for c in straight_quotes(word).chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else if c.is_alphabetic() {
            'a'
        } else {
            c
        };
        run = if s == last { run + 1 } else { 1 };
        last = s;
        if run <= 2 {
            out.push(s);
        }
    }
    out
}

fn suffix(word: &str, n: usize) -> &str {
    let start = word.char_indices().rev().nth(n - 1).map_or(0, |(at, _)| at);
    &word[start..]
}

fn prefix(word: &str, n: usize) -> &str {
    let end = word.char_indices().nth(n).map_or(word.len(), |(at, _)| at);
    &word[..end]
}

/// Trains a tagger on (word, tag) sentences: `iterations` passes in a shuffled, seeded order.
/// The model leaves out what `pruning` says.
pub fn train(
    sentences: &[Vec<(String, String)>],
    iterations: usize,
    seed: u64,
    pruning: Pruning,
) -> Tagger {
    let classes: Vec<String> = TAGS.iter().map(|t| t.to_string()).collect();
    let mut trainer = Trainer::new(classes);
    let lexicon = lexicon(sentences);
    let mut order: Vec<usize> = (0..sentences.len()).collect();
    let mut shuffler = Shuffler::new(seed);
    let mut features = Features::default();
    let mut scores = vec![0.0f32; TAGS.len()];
    for _ in 0..iterations {
        shuffler.shuffle(&mut order);
        for &s in &order {
            let words: Vec<&str> = sentences[s].iter().map(|(w, _)| w.as_str()).collect();
            let context = Context::new(&words, |w| {
                lexicon
                    .binary_search_by(|(k, _)| k.as_str().cmp(w))
                    .ok()
                    .map(|i| lexicon[i].1.as_str())
            });
            let (mut prev, mut prev2) = (START, START);
            for (i, (_, gold)) in sentences[s].iter().enumerate() {
                let Some(truth) = TAGS.iter().position(|t| t == gold) else {
                    continue;
                };
                features.clear();
                context.features(i, prev, prev2, &mut features);
                trainer.scores(features.keys(), &mut scores);
                let guess = best(&scores);
                trainer.update(features.keys(), truth, guess);
                trainer.tick();
                prev2 = prev;
                prev = tag_part(ALL[guess]);
            }
        }
    }
    let mut weights = trainer.finish(pruning);
    weights.set_lexicon(lexicon);
    Tagger::new(weights).expect("the classes are the universal tags")
}

/// Each frequent word's ambiguity class: the tags it was seen with, in tag order, sorted by word.
fn lexicon(sentences: &[Vec<(String, String)>]) -> Vec<(String, String)> {
    let mut counts: std::collections::BTreeMap<String, [usize; TAGS.len()]> = Default::default();
    for (word, tag) in sentences.iter().flatten() {
        if let Some(t) = TAGS.iter().position(|x| x == tag) {
            counts.entry(normal(word)).or_insert([0; TAGS.len()])[t] += 1;
        }
    }
    counts
        .into_iter()
        .filter(|(_, c)| c.iter().sum::<usize>() >= LEXICON_MIN_COUNT)
        .map(|(word, c)| {
            let total = c.iter().sum::<usize>() as f64;
            let class: Vec<&str> = (0..TAGS.len())
                .filter(|&t| c[t] as f64 >= LEXICON_MIN_SHARE * total)
                .map(|t| TAGS[t])
                .collect();
            (word, class.join("|"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_affixes() {
        // Runs of one kind are cut at two.
        assert_eq!(shape("Chang’e"), "Xxx'x");
        assert_eq!(shape("1,000"), "d,dd");
        assert_eq!(shape("S&T"), "X&X");
        assert_eq!(suffix("agreements", 3), "nts");
        assert_eq!(suffix("is", 3), "is");
        assert_eq!(prefix("über", 1), "ü");
        assert_eq!(normal("1999"), "!YEAR");
        assert_eq!(normal("3.5"), "!DIGITS");
        assert_eq!(normal("China’s"), "china's");
    }

    #[test]
    fn learns_tags_from_a_tiny_treebank() {
        let sentence = |s: &[(&str, &str)]| -> Vec<(String, String)> {
            s.iter()
                .map(|(w, t)| (w.to_string(), t.to_string()))
                .collect()
        };
        let data = vec![
            sentence(&[("the", "DET"), ("dog", "NOUN"), ("runs", "VERB")]),
            sentence(&[("a", "DET"), ("cat", "NOUN"), ("sleeps", "VERB")]),
            sentence(&[("the", "DET"), ("cat", "NOUN"), ("runs", "VERB")]),
        ];
        let tagger = train(&data, 10, 1, Pruning::NONE);
        let tags = tagger.tag(&["a", "dog", "sleeps"]);
        assert_eq!(tags, [Tag::Det, Tag::Noun, Tag::Verb]);
    }
}
