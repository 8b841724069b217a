//! Retrieval: turns a question into weighted term groups (with compound joins, synonyms and
//! spelling corrections), asks the index for the best paragraphs, and ranks their sentences by
//! how much of the question they contain. It also measures coverage, the share of the question's
//! key terms a passage holds, which decides whether the posts cover the question at all.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use tantivy::Searcher;
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

use crate::analysis::{self, Term};
use crate::index::{self, PassageRef, SearchIndex};
use crate::lexicon::{chinese, english};

/// One content word of the question and the index terms that count as meeting it.
#[derive(Debug, Clone)]
pub struct Group {
    /// The word as normalised from the question.
    pub word: String,
    /// Index terms (or [phrases](index::phrase)) that stand for it, each with a weight (1 for
    /// the word itself and for a spelling correction, less for a synonym).
    pub alternatives: Vec<(String, f32)>,
    /// How rare the word is in the posts; unknown words get the highest value.
    pub idf: f32,
    /// Words that frame a question ("mentioned", "called", "post") rather than say what it is
    /// about: searched with a low weight, and not required for coverage.
    pub frame: bool,
    /// Byte range of the word in the question.
    pub range: Range<usize>,
    /// Written as a name in the question: capitalised after the first word, an acronym, or a
    /// number. A name the posts never use is strong evidence that they don't cover the question.
    pub name: bool,
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

/// Weight of a synonym relative to the word itself.
const SYNONYM_WEIGHT: f32 = 0.8;
/// Weight of a spelling correction (see [`corrections`]: words run together, words one edit
/// away, indexed terms one or two edits away) relative to the word itself: as much, since a long
/// word the posts never use that is that close to words they do use is nearly always one of
/// them misspelt. On SQuAD train with one pair of letters swapped in a word of each question,
/// the first citation was right for 0.807 of the questions at 0.6, 0.817 at 0.8 and 0.819 at
/// 1.0 (0.821, 0.822 and 0.822 as written), every kind of correction counted.
const FUZZY_WEIGHT: f32 = 1.0;
/// The shortest word that is corrected when the posts never use it.
const MIN_CORRECTED_LETTERS: usize = 5;
/// How many corrections stand in for a misspelt word.
const MAX_CORRECTIONS: usize = 3;
/// How much more an unknown name counts in coverage than an unknown ordinary word.
const NAME_WEIGHT: f32 = 2.0;
/// Weight of a frame word.
const FRAME_WEIGHT: f32 = 0.2;
/// Share of passages a "moderately common" word occurs in; see [`coverage_weights`].
const COMMON_SHARE: f32 = 0.25;
/// Weight of the paragraph's BM25 score (relative to the best paragraph) in a sentence's score:
/// a sentence is judged with its context.
const BM25_SHARE: f32 = 0.5;
/// Share of the previous sentence's matches that a sentence opening with a pronoun inherits.
const CARRIED_SHARE: f32 = 0.75;
/// Share of a question word's weight that a sentence gets when its post's title or its section's
/// heading holds the word and the sentence does not.
const HEADING_SHARE: f32 = 0.5;
/// Bonus for each pair of consecutive question words found close together in a sentence.
const PROXIMITY_BONUS: f32 = 0.1;
/// How many paragraphs the index is asked for before sentences are ranked.
const CANDIDATE_PASSAGES: usize = 10;
/// A question word whose rarity (idf) is below this share of the question's rarest word's is
/// left out of the index query (see [`weighted_terms`]).
const MIN_QUERY_IDF_SHARE: f32 = 0.1;

/// Builds the term groups of a question.
pub fn groups(index: &SearchIndex, searcher: &Searcher, question: &str, fuzzy: bool) -> Vec<Group> {
    let terms = analysis::terms(question);
    let mut groups: Vec<Group> = Vec::new();
    let mut i = 0;
    while i < terms.len() {
        let term = &terms[i];
        let surface = analysis::normalize(&question[term.range.clone()]);
        // A compound in the question: its joined form, or its parts, meet it.
        let parts_end = terms[i + 1..]
            .iter()
            .position(|t| t.joined)
            .map(|p| i + 1 + p);
        if let Some(joined_at) = parts_end.filter(|&j| {
            terms[i..j].iter().all(|t| !t.joined) && terms[j].position == term.position
        }) {
            let joined = &terms[joined_at];
            let mut alternatives = vec![(joined.text.to_string(), 1.0)];
            alternatives.extend(
                terms[i..joined_at]
                    .iter()
                    .filter(|t| !analysis::is_stopword(&t.text))
                    .map(|t| (t.text.to_string(), 0.5)),
            );
            groups.push(group(
                index,
                searcher,
                analysis::normalize(&question[joined.range.clone()]),
                alternatives,
                joined.range.clone(),
            ));
            i = joined_at + 1;
            continue;
        }
        // A synonym of several words ("united states") is one group, searched as a phrase.
        if let Some((row, length)) = synonym_phrase_at(&terms, i) {
            let last = &terms[i + length - 1];
            let range = term.range.start..last.range.end;
            let stems: Vec<String> = terms[i..i + length]
                .iter()
                .map(|t| t.text.to_string())
                .collect();
            let mut alternatives = vec![(index::phrase(&stems), 1.0)];
            add_synonyms(&mut alternatives, row);
            let word = analysis::normalize(&question[range.clone()]);
            groups.push(group(index, searcher, word, alternatives, range));
            i += length;
            continue;
        }
        i += 1;
        if analysis::is_function_word(question, term) {
            continue;
        }
        let mut alternatives = vec![(term.text.to_string(), 1.0)];
        // Only a synonym of one word stands for one word: "united" alone is not "united states".
        for row in synonym_table().iter().filter(|row| {
            row.iter()
                .any(|s| s.words.len() == 1 && (s.words[0] == surface || *s.stems[0] == *term.text))
        }) {
            add_synonyms(&mut alternatives, row);
        }
        groups.push(group(
            index,
            searcher,
            surface,
            alternatives,
            term.range.clone(),
        ));
    }
    join_split_compounds(index, searcher, &mut groups);
    // "Say" of "did the club say when the final is?" only wraps the question (a plain wrapper,
    // "can you tell me", the engine takes off before searching).
    let asked_from = crate::question::wrapper(question).map_or(0, |w| {
        w.asked.as_ptr() as usize - question.as_ptr() as usize
    });
    for g in &mut groups {
        g.name = is_name(question, g.range.clone());
        let wrapping = g.range.end <= asked_from
            && [english::WRAPPING_VERBS, english::ASKING_VERBS, &["happen"]]
                .iter()
                .any(|words| words.contains(&g.word.as_str()));
        g.frame |= asks_how(question, g) || wrapping;
    }
    if fuzzy {
        correct_spelling(index, searcher, &mut groups);
    }
    groups
}

/// Whether the question writes `range` as a name: capitalised but not the question's first word,
/// with two capitals ("WTO", "McDonald"), or a number.
fn is_name(question: &str, range: Range<usize>) -> bool {
    let word = &question[range.clone()];
    let capitals = word.chars().filter(|c| c.is_uppercase()).count();
    let first_word = question[..range.start].trim().is_empty();
    capitals >= 2
        || capitals == 1 && word.chars().next().is_some_and(char::is_uppercase) && !first_word
        || word.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// One synonym of a row of [`english::SYNONYMS`], analysed.
struct Synonym {
    /// Its words, normalised ("united", "states").
    words: Vec<String>,
    /// Its words' analysed forms.
    stems: Vec<String>,
    /// What is searched for it: its analysed word, or the [phrase](index::phrase) of its words.
    searched: String,
}

/// [`english::SYNONYMS`] analysed, computed once.
fn synonym_table() -> &'static [Vec<Synonym>] {
    static TABLE: OnceLock<Vec<Vec<Synonym>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        english::SYNONYMS
            .iter()
            .map(|row| {
                row.iter()
                    .map(|synonym| {
                        let words: Vec<String> =
                            synonym.split(' ').map(analysis::normalize).collect();
                        let stems: Vec<String> = words.iter().map(|w| analysis::stem(w)).collect();
                        let searched = index::phrase(&stems);
                        Synonym {
                            words,
                            stems,
                            searched,
                        }
                    })
                    .collect()
            })
            .collect()
    })
}

/// The synonym row, and the length in terms, of the longest synonym of several words that the
/// question's terms spell from `at` on ("United States"). The words must be in a row and none a
/// part of a hyphenated compound.
fn synonym_phrase_at(terms: &[Term], at: usize) -> Option<(&'static [Synonym], usize)> {
    let mut best: Option<(&'static [Synonym], usize)> = None;
    for row in synonym_table() {
        for synonym in row.iter().filter(|s| s.stems.len() > 1) {
            let length = synonym.stems.len();
            let Some(words) = terms.get(at..at + length) else {
                continue;
            };
            let spelt = words
                .iter()
                .zip(&synonym.stems)
                .enumerate()
                .all(|(k, (t, stem))| {
                    !t.joined && t.position == words[0].position + k && *t.text == **stem
                });
            let compound_follows = terms.get(at + length).is_some_and(|t| t.joined);
            if spelt && !compound_follows && best.is_none_or(|(_, l)| length > l) {
                best = Some((row, length));
            }
        }
    }
    best
}

/// Adds the synonyms of `row` that `alternatives` lacks, with the synonym weight. A stopword is
/// never searched as a synonym: it would meet every passage that uses the function word ("us"
/// for "America"); the question must write it as an acronym
/// ("US", see [`analysis::is_function_word`]).
fn add_synonyms(alternatives: &mut Vec<(String, f32)>, row: &[Synonym]) {
    for synonym in row {
        let stopword = synonym.words.iter().all(|w| analysis::is_stopword(w));
        if !stopword && !alternatives.iter().any(|(t, _)| *t == synonym.searched) {
            alternatives.push((synonym.searched.clone(), SYNONYM_WEIGHT));
        }
    }
}

/// Whether the group is the word after "how" that makes the question word ("how *far*", "how
/// *old*", "how *often*"): it says what kind of answer is wanted, not what the question is
/// about, and as a topic it would meet "so far" or "the old school" in any passage. As a frame
/// word it still counts a little, for the answers that repeat it ("72 years old"). So is the
/// money "how much" asks for ("how much *money* did the raffle make"): posts say "the raffle
/// raised £640", rarely "£640 of money" (9 of the 11 SQuAD train paragraphs answering "how
/// much money" never say "money" or "cash").
fn asks_how(question: &str, g: &Group) -> bool {
    let mut before = question[..g.range.start]
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .rev();
    let mut next_is = |word: &str| before.next().is_some_and(|w| w.eq_ignore_ascii_case(word));
    if english::HOW_WORDS.contains(&g.word.as_str()) {
        next_is("how")
    } else {
        english::ASKED_MONEY.contains(&g.word.as_str()) && next_is("much") && next_is("how")
    }
}

/// Whether an analysed word frames a question rather than says what it is about.
fn is_frame(term: &str) -> bool {
    english::FRAME_STEMS.contains(&term) || chinese::FRAME_WORDS.contains(&term)
}

fn group(
    index: &SearchIndex,
    searcher: &Searcher,
    word: String,
    alternatives: Vec<(String, f32)>,
    range: Range<usize>,
) -> Group {
    let frame = is_frame(&alternatives[0].0);
    let mut g = Group {
        word,
        alternatives,
        idf: 0.0,
        frame,
        range,
        name: false,
    };
    g.idf = group_idf(index, searcher, &g);
    g
}

/// The rarity of the rarest alternative present in the index; a word the index lacks entirely
/// is as rare as a word can be.
fn group_idf(index: &SearchIndex, searcher: &Searcher, g: &Group) -> f32 {
    let present: Vec<f32> = g
        .alternatives
        .iter()
        .map(|(t, _)| index.doc_freq(searcher, t))
        .filter(|&passages| passages > 0)
        .map(|passages| index.idf_of(passages))
        .collect();
    if present.is_empty() {
        index.idf(searcher, "\u{0}absent")
    } else {
        present.into_iter().fold(0.0, f32::max)
    }
}

/// "inter governmental" written apart meets "inter-governmental" and "intergovernmental": two
/// adjacent words whose concatenation is an indexed term become one group.
fn join_split_compounds(index: &SearchIndex, searcher: &Searcher, groups: &mut Vec<Group>) {
    let mut i = 0;
    while i + 1 < groups.len() {
        // A phrase ("united states") is no part of a compound.
        if groups[i].word.contains(' ') || groups[i + 1].word.contains(' ') {
            i += 1;
            continue;
        }
        let joined_word = format!("{}{}", groups[i].word, groups[i + 1].word);
        let joined = analysis::stem(&joined_word);
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
            first.frame = is_frame(&first.alternatives[0].0);
            first.idf = group_idf(index, searcher, first);
        }
        i += 1;
    }
}

/// A word the posts never use is probably misspelt: the indexed terms it may stand for replace
/// it, searched as ordinary terms so they score and highlight like any other. They are two words
/// the word runs together, when the posts write them as a phrase ("gamejam" for "game jam"); the
/// analysed forms of the words one edit from the word as written ("wating" is one from
/// "waiting", analysed "wait", though its own analysed form "wate" is two from that), the most
/// used first; then the indexed terms one edit from its analysed form (two for long words).
fn correct_spelling(index: &SearchIndex, searcher: &Searcher, groups: &mut [Group]) {
    for g in groups.iter_mut() {
        if g.alternatives
            .iter()
            .any(|(t, _)| index.doc_freq(searcher, t) > 0)
        {
            continue;
        }
        let term = g.alternatives[0].0.clone();
        // The analysed form is part of the key: the word is kept normalised, so "LED" and "led"
        // differ only in it.
        let key = format!("{}\u{0}{term}", g.word);
        let close = index.corrections(&key, || corrections(index, searcher, &g.word, &term));
        g.alternatives
            .extend(close.into_iter().map(|t| (t, FUZZY_WEIGHT)));
        g.idf = group_idf(index, searcher, g);
    }
}

/// The indexed terms (at most [`MAX_CORRECTIONS`]) that `word`, analysed as `term` and never
/// used by the posts, may stand for.
fn corrections(index: &SearchIndex, searcher: &Searcher, word: &str, term: &str) -> Vec<String> {
    // Short words are too often one edit from an unrelated word ("join" and "joint").
    let long = |w: &str| w.chars().count() >= MIN_CORRECTED_LETTERS;
    let mut close: Vec<String> = Vec::new();
    if long(word) && word.bytes().all(|b| b.is_ascii_lowercase()) {
        close.extend(split_phrase(index, searcher, word));
    }
    let mut found: Vec<(String, u64)> = Vec::new();
    if long(word) && word.bytes().all(|b| b.is_ascii_lowercase()) {
        // Many edits share an analysed form ("wating" and "watings"): each is looked up once.
        let mut seen: HashSet<String> = HashSet::new();
        for edited in one_edit_away(word) {
            let stem = analysis::stem_lowercase(&edited);
            if stem != term && seen.insert(stem.clone()) {
                let n = index.doc_freq(searcher, &stem);
                if n > 0 {
                    found.push((stem, n));
                }
            }
        }
    }
    found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    close.extend(found.into_iter().map(|(t, _)| t));
    if long(term) && term.chars().all(char::is_alphabetic) {
        let distance = if term.chars().count() >= 9 { 2 } else { 1 };
        for t in index
            .close_terms(searcher, term, distance)
            .unwrap_or_default()
        {
            if !close.contains(&t) {
                close.push(t);
            }
        }
    }
    close.truncate(MAX_CORRECTIONS);
    close
}

/// The least letters of each word that a run-together word is split into: shorter parts ("a",
/// "up") would split almost any word into something the posts use.
const MIN_SPLIT_LETTERS: usize = 3;

/// The phrase of two words that `word` (lower-case ASCII) runs together and the posts use, the
/// most used if several splits are ("waitlist": "wait list").
fn split_phrase(index: &SearchIndex, searcher: &Searcher, word: &str) -> Option<String> {
    (MIN_SPLIT_LETTERS..=word.len().saturating_sub(MIN_SPLIT_LETTERS))
        .filter_map(|k| {
            let (left, right) = word.split_at(k);
            let words = [left, right].map(analysis::stem_lowercase);
            // Each word on its own first: a phrase query costs more than a look-up.
            if words
                .iter()
                .any(|w| analysis::is_stopword(w) || index.doc_freq(searcher, w) == 0)
            {
                return None;
            }
            let phrase = index::phrase(&words);
            let n = index.doc_freq(searcher, &phrase);
            (n > 0).then_some((phrase, n))
        })
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
        .map(|(phrase, _)| phrase)
}

/// The words one edit from `word` (a letter left out, put in, changed, or two swapped), in a
/// fixed order; `word` is lower-case ASCII.
fn one_edit_away(word: &str) -> Vec<String> {
    let b = word.as_bytes();
    let mut out = Vec::new();
    let at = |i: usize, middle: &[u8], from: usize| {
        let mut w = Vec::with_capacity(b.len() + 1);
        w.extend_from_slice(&b[..i]);
        w.extend_from_slice(middle);
        w.extend_from_slice(&b[from..]);
        String::from_utf8(w).expect("ASCII")
    };
    for i in 0..=b.len() {
        if i < b.len() {
            out.push(at(i, &[], i + 1));
        }
        if i + 1 < b.len() {
            out.push(at(i, &[b[i + 1], b[i]], i + 2));
        }
        for c in b'a'..=b'z' {
            if i < b.len() && c != b[i] {
                out.push(at(i, &[c], i + 1));
            }
            out.push(at(i, &[c], i));
        }
    }
    out
}

/// The search terms for the index query, each with its weight (frame words count less).
pub fn weighted_terms(groups: &[Group]) -> Vec<(String, f32)> {
    // Words that only frame the question, and words far more common than its rarest one, are
    // left out of the index query when it has other words: they hardly change which passages
    // rank first, and their long posting lists are what a query spends its time on. The
    // sentences of the passages found still count them.
    let rarest = groups
        .iter()
        .filter(|g| !g.frame)
        .map(|g| g.idf)
        .fold(0.0f32, f32::max);
    let telling = |g: &Group| !g.frame && g.idf >= rarest * MIN_QUERY_IDF_SHARE;
    let pruned = groups.iter().any(telling);
    let mut out: Vec<(String, f32)> = Vec::new();
    for g in groups.iter().filter(|g| !pruned || telling(g)) {
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

/// A passage analysed for ranking: its sentences, and its post title and section heading.
pub struct PassageAnalysis {
    /// The terms of each sentence, with byte ranges in the source.
    pub sentences: PassageTerms,
    /// The terms of the title and section heading.
    pub heading: Vec<Term>,
}

/// Interned analysed terms of a question, so that the sentences of its candidate passages are
/// matched against it by comparing integers rather than strings.
#[derive(Debug, Default)]
pub struct Vocabulary {
    /// Hashed with xxh3, not the default SipHash: every word of every passage a question reads
    /// is looked up here. The keys are the posts' words and the question words the index knows,
    /// so a question cannot fill it with colliding keys.
    ids: HashMap<String, u32, Xxh3DefaultBuilder>,
}

impl Vocabulary {
    /// The id of `term`, assigning the next one if it is new.
    pub fn intern(&mut self, term: &str) -> u32 {
        // Looked up before inserting: nearly every term is known already, and the entry API
        // would allocate its key each time.
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let next = self.ids.len() as u32;
        self.ids.insert(term.to_string(), next);
        next
    }

    /// The id of `term`, if it was interned.
    pub fn get(&self, term: &str) -> Option<u32> {
        self.ids.get(term).copied()
    }
}

/// Matches terms against a question's groups by vocabulary id; the default matches nothing.
#[derive(Default)]
pub struct Matcher {
    /// (term id, group, weight), sorted by id.
    table: Vec<(u32, usize, f32)>,
    /// One bit per `id % 64` of the ids in `table`: most terms of a sentence are ruled out by one
    /// bit test instead of a search.
    filter: u64,
    /// (ids of a phrase's words, group, weight): a [phrase](index::phrase) is met only by its
    /// words in a row.
    phrases: Vec<(Vec<u32>, usize, f32)>,
}

impl Matcher {
    /// Prepares the lookup for `groups`.
    pub fn new(groups: &[Group], vocabulary: &Vocabulary) -> Matcher {
        let mut table: Vec<(u32, usize, f32)> = groups
            .iter()
            .enumerate()
            .flat_map(|(g, group)| {
                group
                    .alternatives
                    .iter()
                    .filter(|(t, _)| !t.contains(index::PHRASE_SEPARATOR))
                    .filter_map(move |(t, w)| vocabulary.get(t).map(|id| (id, g, *w)))
            })
            .collect();
        table.sort_by_key(|&(id, g, _)| (id, g));
        let filter = table.iter().fold(0u64, |f, &(id, _, _)| f | 1 << (id % 64));
        // A phrase with a word the posts never use is in no passage.
        let phrases = groups
            .iter()
            .enumerate()
            .flat_map(|(g, group)| {
                group
                    .alternatives
                    .iter()
                    .filter(|(t, _)| t.contains(index::PHRASE_SEPARATOR))
                    .filter_map(move |(t, w)| {
                        let ids: Option<Vec<u32>> = index::words_of(t)
                            .map(|word| vocabulary.get(word))
                            .collect();
                        ids.map(|ids| (ids, g, *w))
                    })
            })
            .collect();
        Matcher {
            table,
            filter,
            phrases,
        }
    }

    /// (group, weight, index of the first word in `terms`, number of words) for every phrase
    /// that `terms` spell.
    fn phrase_entries<'a>(
        &'a self,
        terms: &'a [Term],
    ) -> impl Iterator<Item = (usize, f32, usize, usize)> + 'a {
        self.phrases.iter().flat_map(move |(ids, g, w)| {
            (0..terms.len())
                .filter(move |&at| spells(terms, at, ids))
                .map(move |at| (*g, *w, at, ids.len()))
        })
    }

    /// (index in `terms`, group, weight) for each word of every phrase that `terms` spell: what
    /// [`Matcher::group`] and [`Matcher::weight`] say of single words, for the words of phrases.
    pub fn phrase_words(&self, terms: &[Term]) -> Vec<(usize, usize, f32)> {
        let mut out = Vec::new();
        for (g, w, at, words) in self.phrase_entries(terms) {
            let spelt = (at..terms.len()).filter(|&k| !terms[k].joined).take(words);
            out.extend(spelt.map(|k| (k, g, w)));
        }
        out
    }

    /// The (group, weight) entries that `term` meets, if any.
    fn entries(&self, term: &Term) -> impl Iterator<Item = (usize, f32)> + '_ {
        // One bit test rules out most terms before the search.
        let candidate = self.filter & (1 << (term.id % 64)) != 0;
        let from = if candidate {
            self.table.partition_point(|&(id, _, _)| id < term.id)
        } else {
            self.table.len()
        };
        let id = term.id;
        self.table[from..]
            .iter()
            .take_while(move |&&(entry, _, _)| entry == id)
            .map(|&(_, g, w)| (g, w))
    }

    /// For each group, the best weight with which `terms` meet it (0 when they do not), merged
    /// into `best`.
    pub fn accumulate(&self, terms: &[Term], best: &mut [f32]) {
        for term in terms {
            for (g, w) in self.entries(term) {
                if w > best[g] {
                    best[g] = w;
                }
            }
        }
        for (g, w, _, _) in self.phrase_entries(terms) {
            best[g] = best[g].max(w);
        }
    }

    /// Appends (group, word position) for every term that meets a group.
    pub fn find(&self, terms: &[Term], found: &mut Vec<(usize, usize)>) {
        for term in terms {
            found.extend(self.entries(term).map(|(g, _)| (g, term.position)));
        }
        found.extend(
            self.phrase_entries(terms)
                .map(|(g, _, at, _)| (g, terms[at].position)),
        );
    }

    /// Whether `term` meets any group.
    pub fn hits(&self, term: &Term) -> bool {
        self.entries(term).next().is_some()
    }

    /// The first group `term` meets, if any.
    pub fn group(&self, term: &Term) -> Option<usize> {
        self.entries(term).next().map(|(g, _)| g)
    }

    /// The first group `term` meets, one of the question's content words before one that only
    /// frames it.
    pub fn content_group(&self, term: &Term, groups: &[Group]) -> Option<usize> {
        self.entries(term)
            .map(|(g, _)| g)
            .min_by_key(|&g| groups[g].frame)
    }

    /// How much `term` counts as a question word: the rarity of the best group it meets times
    /// the weight it meets it with (0 for none, and for words that only frame the question).
    pub fn weight(&self, term: &Term, groups: &[Group]) -> f32 {
        self.entries(term)
            .filter(|&(g, _)| !groups[g].frame)
            .map(|(g, w)| groups[g].idf * w)
            .fold(0.0, f32::max)
    }
}

/// Whether `terms` spell the words `ids` from `at` on, one after another (the joined form of a
/// hyphenated compound, an extra term, is passed over).
fn spells(terms: &[Term], at: usize, ids: &[u32]) -> bool {
    let Some(first) = terms.get(at).filter(|t| !t.joined && t.id == ids[0]) else {
        return false;
    };
    let mut words = terms[at..].iter().filter(|t| !t.joined);
    ids.iter().enumerate().all(|(k, id)| {
        words
            .next()
            .is_some_and(|t| t.id == *id && t.position == first.position + k)
    })
}

/// Weight of each group in coverage. A word the posts never use counts as much as an average
/// word of the question that they do use (but at least as much as a moderately common word):
/// the posts may simply phrase it differently ("put forward"), yet several such words together
/// still leave a question uncovered.
pub fn coverage_weights(index: &SearchIndex, searcher: &Searcher, groups: &[Group]) -> Vec<f32> {
    let known: Vec<bool> = groups
        .iter()
        .map(|g| {
            g.alternatives
                .iter()
                .any(|(t, _)| index.doc_freq(searcher, t) > 0)
        })
        .collect();
    let present: Vec<f32> = groups
        .iter()
        .zip(&known)
        .filter(|(g, k)| **k && !g.frame)
        .map(|(g, _)| g.idf)
        .collect();
    // Never less than a moderately common word's weight, so that one common word the posts do
    // use ("China") cannot cover a question whose other words they never use ("population").
    let n = index.len() as f32;
    let floor = (1.0 + (n - COMMON_SHARE * n + 0.5) / (COMMON_SHARE * n + 0.5)).ln();
    let mean = if present.is_empty() {
        floor
    } else {
        present.iter().sum::<f32>() / present.len() as f32
    };
    let mean = mean.max(floor);
    groups
        .iter()
        .zip(known)
        .map(|(g, k)| match (g.frame, k) {
            (true, _) => 0.0,
            (false, true) => g.idf,
            (false, false) if g.name => NAME_WEIGHT * mean,
            (false, false) => mean,
        })
        .collect()
}

/// Ranks the sentences of the best passages for `groups` (of document `only`, if given).
/// `analysed` gives the analysed sentences of a passage and those of its title and section.
pub fn rank_sentences(
    index: &SearchIndex,
    searcher: &Searcher,
    groups: &[Group],
    matcher: &Matcher,
    only: Option<usize>,
    mut analysed: impl FnMut(PassageRef) -> crate::Result<std::sync::Arc<PassageAnalysis>>,
) -> crate::Result<Vec<SentenceHit>> {
    let weighted = weighted_terms(groups);
    let passages = index.top_passages(searcher, &weighted, CANDIDATE_PASSAGES, only)?;
    let best_bm25 = passages.first().map_or(1.0, |(_, s)| s.max(1e-6));
    let cover = coverage_weights(index, searcher, groups);
    let key = cover.iter().sum::<f32>().max(1e-6);
    let total: f32 = groups
        .iter()
        .map(|g| g.idf * if g.frame { FRAME_WEIGHT } else { 1.0 })
        .sum::<f32>()
        .max(1e-6);
    let mut hits = Vec::new();
    let mut in_passage = vec![0.0f32; groups.len()];
    let mut in_sentence = vec![0.0f32; groups.len()];
    let mut found: Vec<(usize, usize)> = Vec::new();
    let mut in_heading = vec![0.0f32; groups.len()];
    for (at, bm25) in passages {
        let passage = analysed(at)?;
        in_passage.iter_mut().for_each(|w| *w = 0.0);
        matcher.accumulate(&passage.heading, &mut in_passage);
        in_heading.copy_from_slice(&in_passage);
        let first_hit = hits.len();
        let mut previous_weights = vec![0.0f32; groups.len()];
        for (s, terms) in passage.sentences.iter().enumerate() {
            found.clear();
            matcher.find(terms, &mut found);
            // A sentence that opens with a pronoun ("It calls for ...") is about what the one
            // before it named: that sentence's matches count for it at a discount.
            let carried = s > 0 && opens_with_pronoun(terms);
            if found.is_empty() && !carried {
                previous_weights.iter_mut().for_each(|w| *w = 0.0);
                continue;
            }
            let mut matched: Vec<usize> = Vec::new();
            for &(g, _) in &found {
                if !matched.contains(&g) {
                    matched.push(g);
                }
            }
            in_sentence.iter_mut().for_each(|w| *w = 0.0);
            matcher.accumulate(terms, &mut in_sentence);
            let mut weight = 0.0;
            for &g in &matched {
                let w = in_sentence[g];
                weight += groups[g].idf * w * if groups[g].frame { FRAME_WEIGHT } else { 1.0 };
                in_passage[g] = in_passage[g].max(w);
            }
            if carried {
                for (g, &w) in previous_weights.iter().enumerate() {
                    if in_sentence[g] == 0.0 && w > 0.0 && !groups[g].frame {
                        weight += CARRIED_SHARE * groups[g].idf * w;
                    }
                }
            }
            // What the post's title or the section's heading names, a sentence under it is
            // about without naming it again ("Lumora" of "Lumora reports third-quarter results"
            // for "Revenue for the quarter was ...").
            for (g, &w) in in_heading.iter().enumerate() {
                if in_sentence[g] == 0.0 && w > 0.0 && !groups[g].frame {
                    weight += HEADING_SHARE * groups[g].idf * w;
                }
            }
            previous_weights.copy_from_slice(&in_sentence);
            if matched.is_empty() {
                continue;
            }
            let score = weight / total
                + BM25_SHARE * bm25 / best_bm25
                + PROXIMITY_BONUS * proximity(&found, groups.len());
            hits.push(SentenceHit {
                at,
                sentence: s,
                score,
                coverage: 0.0,
                matched,
            });
        }
        let coverage = in_passage
            .iter()
            .zip(&cover)
            .map(|(w, c)| w * c)
            .sum::<f32>()
            / key;
        hits[first_hit..]
            .iter_mut()
            .for_each(|h| h.coverage = coverage);
    }
    hits.sort_by(|a, b| b.score.total_cmp(&a.score));
    Ok(hits)
}

/// Whether a sentence's first word is a pronoun that refers back.
fn opens_with_pronoun(terms: &[Term]) -> bool {
    terms
        .first()
        .is_some_and(|t| english::REFERRING_PRONOUNS.contains(&&*t.text))
}

/// How many pairs of consecutive question words appear near each other, in order, in the
/// sentence (capped): phrases matter more than scattered words. `found` holds (group, position).
fn proximity(found: &[(usize, usize)], groups: usize) -> f32 {
    let pairs = (0..groups.saturating_sub(1))
        .filter(|&g| {
            found.iter().any(|&(a, x)| {
                a == g
                    && found
                        .iter()
                        .any(|&(b, y)| b == g + 1 && y > x && y <= x + 3)
            })
        })
        .count();
    pairs.min(3) as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::tests::index;

    const PARAGRAPHS: &[&str] = &[
        "The inter-governmental agreements were signed by the river towns.",
        "Ferries cross the river every hour in summer.",
        "The towns share one fire brigade and two libraries.",
        "Organisations of volunteers keep the river banks clean.",
    ];

    fn words(groups: &[Group]) -> Vec<&str> {
        groups.iter().map(|g| g.word.as_str()).collect()
    }

    #[test]
    fn stopwords_are_not_searched_and_split_compounds_are_joined() {
        let index = index(PARAGRAPHS);
        let searcher = index.searcher();
        let groups = groups(
            &index,
            &searcher,
            "How many inter governmental agreements are there?",
            true,
        );
        assert_eq!(words(&groups), ["intergovernmental", "agreements"]);
        assert_eq!(groups[0].alternatives[0].0, "intergovernment");
    }

    #[test]
    fn unknown_words_get_close_indexed_words() {
        let index = index(PARAGRAPHS);
        let searcher = index.searcher();
        let groups = groups(&index, &searcher, "ferrys in sumer", true);
        let alternatives: Vec<&str> = groups
            .iter()
            .flat_map(|g| g.alternatives.iter().map(|(t, _)| t.as_str()))
            .collect();
        assert!(alternatives.contains(&"ferri"), "{alternatives:?}");
        assert!(alternatives.contains(&"summer"), "{alternatives:?}");
        let without = super::groups(&index, &searcher, "ferrys in sumer", false);
        assert!(
            without.iter().all(|g| g.alternatives.len() == 1),
            "{without:?}"
        );
    }

    #[test]
    fn a_misspelling_meets_the_word_it_is_one_edit_from_when_their_analysed_forms_are_not() {
        // "sined" is analysed "sine", two edits from "sign", the analysed "signed".
        let index = index(PARAGRAPHS);
        let searcher = index.searcher();
        let groups = groups(&index, &searcher, "Who sined the agreements?", true);
        assert!(searched(&groups).contains(&"sign"), "{groups:?}");
    }

    #[test]
    fn synonyms_count_for_less_than_the_word() {
        let index = index(PARAGRAPHS);
        let searcher = index.searcher();
        let groups = groups(
            &index,
            &searcher,
            "Which organizations clean the banks?",
            true,
        );
        let org = &groups[0];
        assert!(
            org.alternatives
                .iter()
                .any(|(t, w)| t == "organis" && *w < 1.0),
            "{org:?}"
        );
    }

    /// Every alternative searched for the question's words.
    fn searched(groups: &[Group]) -> Vec<&str> {
        groups
            .iter()
            .flat_map(|g| g.alternatives.iter().map(|(t, _)| t.as_str()))
            .collect()
    }

    #[test]
    fn an_acronym_that_spells_a_stopword_is_searched_with_its_synonyms() {
        let index = index(PARAGRAPHS);
        let searcher = index.searcher();
        let asked = groups(&index, &searcher, "Did the US fund the ferries?", true);
        let us = asked
            .iter()
            .find(|g| g.word == "us")
            .expect("US is searched");
        assert!(
            us.alternatives
                .iter()
                .any(|(t, w)| t == "america" && *w < 1.0),
            "{us:?}"
        );
        // The pronoun is not searched, nor is a stopword ever searched as another word's synonym.
        let pronoun = groups(&index, &searcher, "Tell us about ferries in America", true);
        assert!(!searched(&pronoun).contains(&"us"), "{pronoun:?}");
        assert!(searched(&pronoun).contains(&"usa"), "{pronoun:?}");
        // A question in capitals throughout has no acronyms to tell apart.
        let shouted = groups(&index, &searcher, "TELL US ABOUT THE FERRIES", true);
        assert!(!searched(&shouted).contains(&"us"), "{shouted:?}");
    }

    #[test]
    fn a_synonym_of_several_words_is_met_only_as_a_phrase() {
        let index = index(PARAGRAPHS);
        let searcher = index.searcher();
        let america = groups(&index, &searcher, "Do ferries run in America?", true);
        let alternatives = searched(&america);
        assert!(alternatives.contains(&"unit state"), "{america:?}");
        assert!(
            !alternatives.contains(&"unit") && !alternatives.contains(&"state"),
            "{america:?}"
        );
        // "United" alone is not "United States".
        let nations = groups(
            &index,
            &searcher,
            "Did the United Nations fund ferries?",
            true,
        );
        for other in ["us", "usa", "america", "unit state"] {
            assert!(!searched(&nations).contains(&other), "{other}: {nations:?}");
        }
        // The phrase in a question is one group, with its row's other words.
        let states = groups(
            &index,
            &searcher,
            "Did the United States fund ferries?",
            true,
        );
        let phrase = states
            .iter()
            .find(|g| g.word == "united states")
            .expect("one group");
        assert_eq!(phrase.alternatives[0], ("unit state".to_string(), 1.0));
        assert!(searched(&states).contains(&"america"), "{states:?}");
        assert!(!searched(&states).contains(&"nation"), "{states:?}");
    }

    #[test]
    fn every_synonym_of_several_words_is_one_group_and_its_first_word_alone_none() {
        let index = index(PARAGRAPHS);
        let searcher = index.searcher();
        for row in english::SYNONYMS {
            for synonym in row.iter().filter(|s| s.contains(' ')) {
                let asked = groups(&index, &searcher, &format!("ferries and {synonym}"), false);
                assert_eq!(words(&asked), ["ferries", *synonym], "{asked:?}");
                let first = synonym.split(' ').next().unwrap_or_default();
                let alone = groups(
                    &index,
                    &searcher,
                    &format!("ferries and {first} towns"),
                    false,
                );
                for other in row.iter().filter(|s| !s.starts_with(first)) {
                    let other =
                        index::phrase(&other.split(' ').map(analysis::stem).collect::<Vec<_>>());
                    assert!(
                        !searched(&alone).contains(&other.as_str()),
                        "{synonym}: {alone:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_phrase_is_met_by_its_words_in_a_row_only() {
        let paragraphs = [
            "The United States sent engineers.",
            "The states united their engineers.",
            "A united team and the states.",
        ];
        let index = index(&paragraphs);
        let searcher = index.searcher();
        assert_eq!(index.doc_freq(&searcher, "unit state"), 1);
        let groups = groups(&index, &searcher, "Which engineers did America send?", true);
        let mut vocabulary = Vocabulary::default();
        let sentences: Vec<Vec<Term>> = paragraphs
            .iter()
            .map(|p| {
                let mut terms = analysis::terms(p);
                terms
                    .iter_mut()
                    .for_each(|t| t.id = vocabulary.intern(&t.text));
                terms
            })
            .collect();
        let matcher = Matcher::new(&groups, &vocabulary);
        let america = groups
            .iter()
            .position(|g| g.word == "america")
            .expect("asked");
        let met: Vec<bool> = sentences
            .iter()
            .map(|terms| {
                let mut best = vec![0.0; groups.len()];
                matcher.accumulate(terms, &mut best);
                best[america] > 0.0
            })
            .collect();
        assert_eq!(met, [true, false, false]);
        let hits = index
            .top_passages(
                &searcher,
                &weighted_terms(&groups[america..=america]),
                3,
                None,
            )
            .unwrap();
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].0.passage, 0);
    }

    #[test]
    fn unknown_names_weigh_more_in_coverage_than_unknown_words() {
        let index = index(PARAGRAPHS);
        let searcher = index.searcher();
        let groups = groups(
            &index,
            &searcher,
            "Do the towns share a brigade with Oslo or with lakes?",
            true,
        );
        let weights = coverage_weights(&index, &searcher, &groups);
        let weight = |word: &str| weights[groups.iter().position(|g| g.word == word).unwrap()];
        assert!(groups.iter().any(|g| g.word == "oslo" && g.name));
        assert!(weight("oslo") > weight("lakes"), "{weights:?}");
    }

    fn word(word: &str, idf: f32, frame: bool) -> Group {
        Group {
            word: word.into(),
            alternatives: vec![(word.into(), 1.0)],
            idf,
            frame,
            range: 0..0,
            name: false,
        }
    }

    #[test]
    fn the_index_query_leaves_out_frame_and_far_commoner_words_only_beside_telling_ones() {
        let terms = |groups: &[Group]| -> Vec<String> {
            weighted_terms(groups).into_iter().map(|(t, _)| t).collect()
        };
        let (ferry, river, said, thing) = (
            word("ferry", 6.0, false),
            word("river", 2.0, false),
            word("said", 3.0, true),
            word("thing", 0.5, false),
        );
        assert_eq!(
            terms(&[ferry.clone(), river.clone(), said.clone(), thing.clone()]),
            ["ferry", "river"]
        );
        // Only frame words: they are searched.
        assert_eq!(terms(std::slice::from_ref(&said)), ["said"]);
        assert_eq!(terms(&[said, thing]), ["thing"]);
    }

    #[test]
    fn the_word_after_how_frames_the_question() {
        let index = index(PARAGRAPHS);
        let searcher = index.searcher();
        let framed = |question: &str| -> Vec<(String, bool)> {
            groups(&index, &searcher, question, false)
                .into_iter()
                .map(|g| (g.word, g.frame))
                .collect()
        };
        assert_eq!(
            framed("How far is the ferry from the station?"),
            [
                ("far".into(), true),
                ("ferry".into(), false),
                ("station".into(), false)
            ]
        );
        // The words that wrap a question frame it too.
        assert_eq!(
            framed("Do you know how far the ferry goes?"),
            [
                ("know".into(), true),
                ("far".into(), true),
                ("ferry".into(), false),
                ("goes".into(), false)
            ]
        );
        // Elsewhere the same word is a topic.
        assert_eq!(
            framed("Which ferry goes far, and somehow often?"),
            [
                ("ferry".into(), false),
                ("goes".into(), false),
                ("far".into(), false),
                ("somehow".into(), false),
                ("often".into(), false)
            ]
        );
        // The money "how much" asks for frames it; what the money is for does not.
        assert_eq!(
            framed("How much money did the ferry make, and how much rent?"),
            [
                ("money".into(), true),
                ("ferry".into(), false),
                ("make".into(), false),
                ("rent".into(), false)
            ]
        );
        assert_eq!(
            framed("We spent so much money on the roof"),
            [
                ("spent".into(), false),
                ("money".into(), false),
                ("roof".into(), false)
            ]
        );
    }

    #[test]
    fn the_sentence_holding_the_rare_words_ranks_first_with_full_coverage() {
        let index = index(PARAGRAPHS);
        let searcher = index.searcher();
        let groups = groups(
            &index,
            &searcher,
            "Do ferries cross the river in summer?",
            true,
        );
        let mut vocabulary = Vocabulary::default();
        let analysed: Vec<std::sync::Arc<PassageAnalysis>> = PARAGRAPHS
            .iter()
            .map(|p| {
                let mut terms = analysis::terms(p);
                terms
                    .iter_mut()
                    .for_each(|t| t.id = vocabulary.intern(&t.text));
                std::sync::Arc::new(PassageAnalysis {
                    sentences: vec![terms],
                    heading: Vec::new(),
                })
            })
            .collect();
        let matcher = Matcher::new(&groups, &vocabulary);
        let hits = rank_sentences(&index, &searcher, &groups, &matcher, None, |at| {
            Ok(analysed[at.passage].clone())
        })
        .unwrap();
        assert_eq!(hits[0].at.passage, 1);
        assert!(
            (hits[0].coverage - 1.0).abs() < 1e-4,
            "{}",
            hits[0].coverage
        );
        assert!(hits.iter().skip(1).all(|h| h.coverage < 1.0));
    }
}
