//! Retrieval: turns a question into weighted term groups (with compound joins, synonyms and
//! spelling corrections), asks the index for the best paragraphs, and ranks their sentences by
//! how much of the question they contain. It also measures coverage, the share of the question's
//! key terms a passage holds, which decides whether the posts cover the question at all.

use std::collections::HashSet;
use std::ops::Range;

use tantivy::tokenizer::TextAnalyzer;
use tantivy::Searcher;

use crate::analysis::{self, Term};
use crate::index::{PassageRef, SearchIndex};

/// One content word of the question and the index terms that count as meeting it.
#[derive(Debug, Clone)]
pub struct Group {
    /// The word as normalised from the question.
    pub word: String,
    /// Index terms that stand for it, each with a weight (1 for the word itself, less for a
    /// synonym or a spelling correction).
    pub alternatives: Vec<(String, f32)>,
    /// How rare the word is in the posts; unknown words get the highest value.
    pub idf: f32,
    /// Words that frame a question ("mentioned", "called", "post") rather than say what it is
    /// about: searched with a low weight, and not required for coverage.
    pub frame: bool,
    /// Byte range of the word in the question.
    pub range: Range<usize>,
}

/// A ranked sentence.
#[derive(Debug, Clone)]
pub struct SentenceHit {
    /// The passage the sentence is in.
    pub at: PassageRef,
    /// Index of the sentence in the passage.
    pub sentence: usize,
    /// Combined score; higher is better.
    pub score: f32,
    /// Share of the question's key terms that the whole passage (with its headings) holds.
    pub coverage: f32,
    /// Indexes into the groups that the sentence matches.
    pub matched: Vec<usize>,
}

/// Synonyms: each line is words that count as the same when asked about. Kept small and
/// conservative: a synonym is searched with a lower weight than the word itself.
const SYNONYMS: &[&[&str]] = &[
    &["organization", "organisation", "org", "orgs", "organizations", "organisations"],
    &["country", "nation", "state"],
    &["us", "usa", "america", "united states"],
    &["uk", "britain", "united kingdom"],
    &["begin", "start", "commence"],
    &["end", "finish"],
    &["buy", "purchase"],
    &["car", "automobile", "vehicle"],
    &["child", "kid"],
    &["big", "large"],
    &["small", "little"],
    &["fast", "quick", "rapid"],
    &["student", "pupil"],
    &["job", "occupation", "profession"],
    &["film", "movie"],
    &["shop", "store"],
    &["collaboration", "cooperation", "partnership"],
    &["ai", "artificial intelligence"],
    &["tech", "technology"],
    &["medical", "medicine", "health"],
    &["kill", "death", "die"],
    &["build", "construct"],
    &["show", "demonstrate"],
];

/// Stems of words that frame a question rather than say what it is about.
const FRAME_WORDS: &[&str] = &[
    "mention", "call", "name", "known", "refer", "describ", "say", "said", "accord", "post",
    "articl", "text", "blog", "list", "exampl", "given", "give", "term", "type", "kind", "stand",
    "short", "mean", "acronym", "abbrevi",
];

/// Weight of a synonym relative to the word itself.
const SYNONYM_WEIGHT: f32 = 0.8;
/// Weight of a spelling correction relative to the word itself.
const FUZZY_WEIGHT: f32 = 0.8;
/// Weight of a frame word.
const FRAME_WEIGHT: f32 = 0.2;
/// How many paragraphs the index is asked for before sentences are ranked.
const CANDIDATE_PASSAGES: usize = 24;

/// Builds the term groups of a question.
pub fn groups(index: &SearchIndex, searcher: &Searcher, analyzer: &mut TextAnalyzer, question: &str, fuzzy: bool) -> Vec<Group> {
    let terms = analysis::terms(analyzer, question);
    let mut groups: Vec<Group> = Vec::new();
    let mut i = 0;
    while i < terms.len() {
        let term = &terms[i];
        let surface = analysis::normalize(&question[term.range.clone()]);
        // A compound in the question: its joined form, or its parts, meet it.
        let parts_end = terms[i + 1..].iter().position(|t| t.joined).map(|p| i + 1 + p);
        if let Some(joined_at) = parts_end.filter(|&j| terms[i..j].iter().all(|t| !t.joined) && terms[j].position == term.position) {
            let joined = &terms[joined_at];
            let mut alternatives = vec![(joined.text.clone(), 1.0)];
            alternatives.extend(terms[i..joined_at].iter().filter(|t| !analysis::is_stopword(&t.text)).map(|t| (t.text.clone(), 0.5)));
            groups.push(group(index, searcher, analysis::normalize(&question[joined.range.clone()]), alternatives, joined.range.clone()));
            i = joined_at + 1;
            continue;
        }
        i += 1;
        if analysis::is_stopword(&surface) || analysis::is_stopword(&term.text) {
            continue;
        }
        let mut alternatives = vec![(term.text.clone(), 1.0)];
        let lines: Vec<&[&str]> = SYNONYMS
            .iter()
            .copied()
            .filter(|line| line.contains(&surface.as_str()) || line.iter().any(|w| analysis::stem(analyzer, w) == term.text))
            .collect();
        for line in lines {
            for word in line.iter() {
                for part in word.split(' ') {
                    let stem = analysis::stem(analyzer, part);
                    if !alternatives.iter().any(|(t, _)| *t == stem) {
                        alternatives.push((stem, SYNONYM_WEIGHT));
                    }
                }
            }
        }
        groups.push(group(index, searcher, surface, alternatives, term.range.clone()));
    }
    join_split_compounds(index, searcher, &mut groups, analyzer);
    if fuzzy {
        correct_spelling(index, searcher, &mut groups);
    }
    groups
}

fn group(index: &SearchIndex, searcher: &Searcher, word: String, alternatives: Vec<(String, f32)>, range: Range<usize>) -> Group {
    let frame = FRAME_WORDS.iter().any(|f| alternatives[0].0 == *f);
    let mut g = Group { word, alternatives, idf: 0.0, frame, range };
    g.idf = group_idf(index, searcher, &g);
    g
}

/// The rarity of the rarest alternative present in the index; a word the index lacks entirely
/// is as rare as a word can be.
fn group_idf(index: &SearchIndex, searcher: &Searcher, g: &Group) -> f32 {
    let present: Vec<f32> = g
        .alternatives
        .iter()
        .filter(|(t, _)| index.doc_freq(searcher, t) > 0)
        .map(|(t, _)| index.idf(searcher, t))
        .collect();
    if present.is_empty() {
        index.idf(searcher, "\u{0}absent")
    } else {
        present.into_iter().fold(0.0, f32::max)
    }
}

/// "inter governmental" written apart meets "inter-governmental" and "intergovernmental": two
/// adjacent words whose concatenation is an indexed term become one group.
fn join_split_compounds(index: &SearchIndex, searcher: &Searcher, groups: &mut Vec<Group>, analyzer: &mut TextAnalyzer) {
    let mut i = 0;
    while i + 1 < groups.len() {
        let joined_word = format!("{}{}", groups[i].word, groups[i + 1].word);
        let joined = analysis::stem(analyzer, &joined_word);
        let adjacent = groups[i + 1].range.start <= groups[i].range.end + 1;
        if adjacent && index.doc_freq(searcher, &joined) > 0 {
            let second = groups.remove(i + 1);
            let first = &mut groups[i];
            let mut alternatives = vec![(joined, 1.0)];
            alternatives.push((first.alternatives[0].0.clone(), 0.5));
            alternatives.push((second.alternatives[0].0.clone(), 0.5));
            first.word = joined_word;
            first.alternatives = alternatives;
            first.range = first.range.start..second.range.end;
            first.idf = group_idf(index, searcher, first);
        }
        i += 1;
    }
}

/// A word the posts never use is probably misspelt: indexed terms one edit away (two for long
/// words) stand in for it, searched as ordinary terms so they score and highlight like any other.
fn correct_spelling(index: &SearchIndex, searcher: &Searcher, groups: &mut [Group]) {
    for g in groups.iter_mut() {
        if g.alternatives.iter().any(|(t, _)| index.doc_freq(searcher, t) > 0) {
            continue;
        }
        let term = g.alternatives[0].0.clone();
        if term.chars().count() < 4 || !term.chars().all(char::is_alphabetic) {
            continue;
        }
        let distance = if term.chars().count() >= 8 { 2 } else { 1 };
        let close = index.close_terms(searcher, &term, distance).unwrap_or_default();
        for t in close.into_iter().take(3) {
            g.alternatives.push((t, FUZZY_WEIGHT));
        }
        g.idf = group_idf(index, searcher, g);
    }
}

/// The search terms for the index, each with its weight (frame words count less).
pub fn weighted_terms(groups: &[Group]) -> Vec<(String, f32)> {
    let mut out: Vec<(String, f32)> = Vec::new();
    for g in groups {
        let scale = if g.frame { FRAME_WEIGHT } else { 1.0 };
        for (t, w) in &g.alternatives {
            if !out.iter().any(|(o, _)| o == t) {
                out.push((t.clone(), w * scale));
            }
        }
    }
    out
}

/// Analysed sentences of one passage: the terms of each sentence, with byte ranges in the source.
pub type PassageTerms = Vec<Vec<Term>>;

/// Which groups a run of terms matches, and the best weight for each.
pub fn matches(groups: &[Group], terms: &[Term]) -> Vec<(usize, f32)> {
    let present: HashSet<&str> = terms.iter().map(|t| t.text.as_str()).collect();
    groups
        .iter()
        .enumerate()
        .filter_map(|(i, g)| {
            g.alternatives
                .iter()
                .filter(|(t, _)| present.contains(t.as_str()))
                .map(|(_, w)| *w)
                .fold(None, |best: Option<f32>, w| Some(best.map_or(w, |b| b.max(w))))
                .map(|w| (i, w))
        })
        .collect()
}

/// Weight of each group in coverage. A word the posts never use counts as much as an average
/// word of the question that they do use: the posts may simply phrase it differently ("put
/// forward"), yet several such words together still leave a question uncovered.
pub fn coverage_weights(index: &SearchIndex, searcher: &Searcher, groups: &[Group]) -> Vec<f32> {
    let known: Vec<bool> = groups
        .iter()
        .map(|g| g.alternatives.iter().any(|(t, _)| index.doc_freq(searcher, t) > 0))
        .collect();
    let present: Vec<f32> = groups.iter().zip(&known).filter(|(g, k)| **k && !g.frame).map(|(g, _)| g.idf).collect();
    let mean = if present.is_empty() { 1.0 } else { present.iter().sum::<f32>() / present.len() as f32 };
    groups
        .iter()
        .zip(known)
        .map(|(g, k)| if g.frame { 0.0 } else if k { g.idf } else { mean })
        .collect()
}

/// Ranks the sentences of the best passages for `groups`. `terms_of` gives the analysed
/// sentences of a passage and `heading_terms` those of its title and section.
pub fn rank_sentences<'a>(
    index: &SearchIndex,
    searcher: &Searcher,
    groups: &[Group],
    terms_of: impl Fn(PassageRef) -> (&'a PassageTerms, &'a [Term]),
) -> crate::Result<Vec<SentenceHit>> {
    let weighted = weighted_terms(groups);
    let passages = index.top_passages(searcher, &weighted, CANDIDATE_PASSAGES)?;
    let best_bm25 = passages.first().map_or(1.0, |(_, s)| s.max(1e-6));
    let cover = coverage_weights(index, searcher, groups);
    let key = cover.iter().sum::<f32>().max(1e-6);
    let total: f32 = groups.iter().map(|g| g.idf * if g.frame { FRAME_WEIGHT } else { 1.0 }).sum::<f32>().max(1e-6);
    let mut hits = Vec::new();
    for (at, bm25) in passages {
        let (sentences, heading) = terms_of(at);
        let all: Vec<Term> = sentences.iter().flatten().chain(heading.iter()).cloned().collect();
        let covered: f32 = matches(groups, &all).into_iter().map(|(g, w)| cover[g] * w).sum();
        let coverage = covered / key;
        for (s, terms) in sentences.iter().enumerate() {
            let matched = matches(groups, terms);
            if matched.is_empty() {
                continue;
            }
            let weight: f32 = matched
                .iter()
                .map(|&(g, w)| groups[g].idf * w * if groups[g].frame { FRAME_WEIGHT } else { 1.0 })
                .sum();
            let score = weight / total + 0.5 * bm25 / best_bm25 + 0.1 * proximity(groups, terms);
            hits.push(SentenceHit { at, sentence: s, score, coverage, matched: matched.into_iter().map(|(g, _)| g).collect() });
        }
    }
    hits.sort_by(|a, b| b.score.total_cmp(&a.score));
    Ok(hits)
}

/// How many pairs of consecutive question words appear next to each other in the sentence
/// (capped): phrases matter more than scattered words.
fn proximity(groups: &[Group], terms: &[Term]) -> f32 {
    let mut pairs = 0;
    for pair in groups.windows(2) {
        let positions = |g: &Group| -> Vec<usize> {
            terms.iter().filter(|t| g.alternatives.iter().any(|(a, _)| *a == t.text)).map(|t| t.position).collect()
        };
        let (a, b) = (positions(&pair[0]), positions(&pair[1]));
        if a.iter().any(|&x| b.iter().any(|&y| y > x && y <= x + 3)) {
            pairs += 1;
        }
    }
    pairs.min(3) as f32
}
