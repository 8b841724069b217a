//! The public face of the core: load posts, ask a question, get an [`Answer`] whose short answer is
//! a verbatim span of the passage it cites. It glues the pipeline together (ingest, index,
//! retrieve, answer) and decides between answering, "the posts give no figure" and "the posts
//! don't cover this".

use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock, PoisonError, RwLock};
use std::time::SystemTime;

use serde::Serialize;

use crate::analysis::{self, Term};
use crate::answer::{self, Focus};
use crate::config::AnswerConfig;
use crate::error::{Error, Result};
use crate::index::{self, PassageRef, SearchIndex};
use crate::ingest::{self, Document};
use crate::question::{self, Expect};
use crate::retrieve::{self, Group, Matcher, PassageAnalysis, SentenceHit, Vocabulary};

/// What the engine concluded about a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The posts answer it; `answer` may still be `None` when no short span fits (yes/no questions).
    Answered,
    /// The posts mention the subject but give no figure for it: cite, but never put a number.
    NoFigure,
    /// The posts don't cover the question; citations, if any, are only the nearest passages.
    NotCovered,
}

/// One cited passage.
#[derive(Debug, Clone, Serialize)]
pub struct Citation {
    /// The post's file name within the posts folder.
    pub document: String,
    /// The post's title.
    pub title: String,
    /// The section heading the passage sits under, if any.
    pub section: Option<String>,
    /// 1-based paragraph number within the post.
    pub paragraph: usize,
    /// The cited text, verbatim from the post.
    pub text: String,
    /// Byte offset of `text` in the post's file.
    pub start: usize,
    /// Byte offset of the end of `text` in the post's file.
    pub end: usize,
    /// The words of `text` that matched the question, as they are written there.
    pub highlights: Vec<String>,
    /// Relevance score; higher is better.
    pub score: f32,
    /// Link to the post (its front matter, sidecar or page metadata, or the page a web source
    /// was fetched from); `null` in JSON when the post has none.
    pub url: Option<String>,
    /// Byte ranges within `text` of the matched words (for bold rendering), in order.
    #[serde(skip)]
    pub highlight_ranges: Vec<Range<usize>>,
    /// Byte range within `text` of the short answer, when it comes from this citation.
    #[serde(skip)]
    pub answer_range: Option<Range<usize>>,
}

/// The engine's reply to one question; serialises to the `ask --json` contract.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// The question as asked.
    pub question: String,
    /// False when the posts don't cover the question.
    pub answered: bool,
    /// The short answer, a verbatim span of the first citation's text.
    pub answer: Option<String>,
    /// Best first.
    pub citations: Vec<Citation>,
    /// Finer than `answered`: distinguishes "no figure given" from a plain answer.
    #[serde(skip)]
    pub outcome: Outcome,
}

/// One indexed post, for listings.
#[derive(Debug, Clone, Serialize)]
pub struct PostSummary {
    /// The post's file name within the posts folder.
    pub document: String,
    /// The post's title.
    pub title: String,
    /// How many passages it was split into.
    pub passages: usize,
    /// Link to the post, from its front matter.
    pub url: Option<String>,
}

/// Loaded posts and their search index; cheap to share behind an `Arc`. A passage's sentences
/// are analysed when a question first looks at it and kept: analysing every sentence of a large
/// corpus at startup would cost seconds.
pub struct Engine {
    docs: Vec<Document>,
    index: SearchIndex,
    /// First global passage number of each document.
    doc_offsets: Vec<usize>,
    /// Each passage's analysis by global passage number, made on first use.
    analysed: Vec<OnceLock<Arc<PassageAnalysis>>>,
    /// Ids of the analysed terms of the passages analysed so far and of the question words the
    /// index knows (so a question can be matched against any passage analysed later).
    vocabulary: RwLock<Vocabulary>,
    settings: AnswerConfig,
    indexed_at: SystemTime,
}

/// How many ranked sentences are considered when choosing the one that answers.
const ANSWER_CANDIDATES: usize = 6;
/// How far, relative to the best sentence's score, a sentence holding an answer of the right
/// shape may rank and still be preferred.
const SHAPE_BONUS: f32 = 0.35;
/// The longest sentence that is given whole as the answer when the cited one points back to it.
const MAX_POINTED_WORDS: usize = 15;

impl Engine {
    /// Loads and indexes every post in `dir`; files that cannot be read are skipped with a warning.
    pub fn open(dir: &Path, settings: AnswerConfig) -> Result<Engine> {
        let (docs, skipped) = ingest::load_dir(dir)?;
        for s in &skipped {
            tracing::warn!(file = %s.path.display(), "skipped post: {}", s.reason);
        }
        Engine::from_documents(docs, settings)
    }

    /// Indexes already loaded posts in RAM.
    pub fn from_documents(docs: Vec<Document>, settings: AnswerConfig) -> Result<Engine> {
        let index = SearchIndex::build(&docs)?;
        tracing::info!(posts = docs.len(), passages = index.len(), "indexed posts");
        Ok(Engine::with_index(docs, index, settings))
    }

    /// Serves `docs` with an index already built from them (in RAM or on disk).
    pub fn with_index(docs: Vec<Document>, index: SearchIndex, settings: AnswerConfig) -> Engine {
        let mut doc_offsets = Vec::with_capacity(docs.len());
        let mut passages = 0;
        for doc in &docs {
            doc_offsets.push(passages);
            passages += doc.passages.len();
        }
        Engine {
            docs,
            index,
            doc_offsets,
            analysed: (0..passages).map(|_| OnceLock::new()).collect(),
            vocabulary: RwLock::default(),
            settings,
            indexed_at: SystemTime::now(),
        }
    }

    /// The loaded posts, in name order.
    pub fn documents(&self) -> &[Document] {
        &self.docs
    }

    /// How many passages are indexed.
    pub fn passages(&self) -> usize {
        self.index.len()
    }

    /// Answers a question with `settings.citations` citations.
    pub fn ask(&self, question: &str) -> Result<Answer> {
        self.ask_in(question, self.settings.citations, None)
    }

    /// Checks a question the way [`Engine::ask`] does before searching (empty, too long, nothing
    /// to search for), so a front end can refuse it at once.
    pub fn check_question(&self, question: &str) -> Result<()> {
        self.groups(question).map(drop)
    }

    /// Answers a question from one post only, when `post` names one (see [`Engine::find_post`]).
    pub fn ask_in(&self, question: &str, citations: usize, post: Option<&str>) -> Result<Answer> {
        let only = post.map(|p| self.post_number(p)).transpose()?;
        let groups = self.groups(question)?;
        let classified = question::classify(question);
        let reply = |outcome: Outcome, answer: Option<String>, citations: Vec<Citation>| Answer {
            question: question.to_string(),
            answered: outcome != Outcome::NotCovered,
            answer,
            citations,
            outcome,
        };
        let (hits, matcher) = self.rank(&groups, only)?;
        let matcher = &matcher;
        if classified.expect == Expect::Author {
            // The posts the question points at first ("who wrote the bridges post?"), then the
            // rest in order.
            let mut order: Vec<usize> = Vec::new();
            for d in hits.iter().map(|h| h.at.doc).chain(0..self.docs.len()) {
                if !order.contains(&d) && only.is_none_or(|o| o == d) {
                    order.push(d);
                }
            }
            if let Some((citation, answer)) = self.author_introduction(&order) {
                return Ok(reply(Outcome::Answered, Some(answer), vec![citation]));
            }
        }
        let covered: Vec<&SentenceHit> = hits
            .iter()
            .take(ANSWER_CANDIDATES * 2)
            .filter(|h| h.coverage >= self.settings.min_coverage)
            .collect();
        if covered.is_empty() {
            let nearest = self.citations(&hits, None, matcher, citations);
            return Ok(reply(Outcome::NotCovered, None, nearest));
        }

        // The head noun, and for "which X" questions the phrase's other words, each with the
        // alternatives (synonyms, corrections) of its question group.
        let mut head: Vec<String> = Vec::new();
        for h in classified.head.iter().chain(&classified.modifiers) {
            let stem = analysis::stem(h);
            if let Some(g) = groups
                .iter()
                .find(|g| g.alternatives[0].0 == stem || g.word == *h)
            {
                head.extend(g.alternatives.iter().map(|(t, _)| t.clone()));
            }
            head.push(stem);
        }
        let question_stems: Vec<String> = groups
            .iter()
            .filter(|g| !g.alternatives.iter().any(|(t, _)| head.contains(t)))
            .flat_map(|g| g.alternatives.iter().map(|(t, _)| t.clone()))
            .collect();
        let focus = Focus {
            expect: &classified.expect,
            head: &head,
            question: &question_stems,
        };

        if let Expect::Acronym(acronym) = &classified.expect {
            for hit in &covered {
                let range = self.sentence_range(hit);
                let doc = &self.docs[hit.at.doc];
                if let Some(found) = answer::acronym_expansion(&doc.source[range.clone()], acronym)
                {
                    let span = range.start + found.start..range.start + found.end;
                    let first = self.citation(hit, range, Some(span.clone()), matcher);
                    let answer = doc.source[span].to_string();
                    let mut list = vec![first];
                    list.extend(self.citations(
                        &hits,
                        Some(hit.at),
                        matcher,
                        citations.saturating_sub(1),
                    ));
                    return Ok(reply(Outcome::Answered, Some(answer), list));
                }
            }
        }

        // Choose the sentence: retrieval score, plus a bonus when it holds an answer of the
        // expected shape.
        let typed = matches!(
            classified.expect,
            Expect::Count
                | Expect::Amount
                | Expect::Percent
                | Expect::Date
                | Expect::Person
                | Expect::Place
        );
        let max_bonus = if typed {
            2.0 * SHAPE_BONUS
        } else {
            SHAPE_BONUS
        };
        let mut best: Option<(&SentenceHit, Option<Range<usize>>, f32)> = None;
        for hit in covered.iter().take(ANSWER_CANDIDATES) {
            // A sentence this far behind cannot catch up, even with the largest bonus.
            if best
                .as_ref()
                .is_some_and(|(_, _, b)| hit.score + max_bonus <= *b)
            {
                break;
            }
            let range = self.sentence_range(hit);
            let sentence = &self.docs[hit.at.doc].source[range.clone()];
            let terms = self.relative_terms(hit, range.start);
            let span = answer::extract(sentence, &terms, &focus);
            let bonus = span
                .as_ref()
                .map_or(0.0, |s| max_bonus * s.score.min(3.0) / 3.0);
            let total = hit.score + bonus;
            if best.as_ref().is_none_or(|(_, _, b)| total > *b) {
                let absolute = span.map(|s| range.start + s.range.start..range.start + s.range.end);
                best = Some((hit, absolute, total));
            }
        }
        let (hit, mut span, _) = best.expect("covered is not empty");
        let mut cite_range = self.sentence_range(hit);

        // "Will it work? That’s the million-dollar question.": the answer is the sentence the
        // cited one points back to.
        let sentence_text = &self.docs[hit.at.doc].source[cite_range.clone()];
        if matches!(classified.expect, Expect::Phrase | Expect::Name)
            && hit.sentence > 0
            && answer::points_back(sentence_text)
        {
            let passage = &self.docs[hit.at.doc].passages[hit.at.passage];
            let previous = passage.sentences[hit.sentence - 1].clone();
            let words = self.docs[hit.at.doc].source[previous.clone()]
                .split_whitespace()
                .count();
            // Only when the sentence itself offers no answer: "This isn't about X; it's about
            // problems like Y" points back too, yet holds its own answer.
            if words <= MAX_POINTED_WORDS && span.is_none() {
                span = Some(previous.clone());
                cite_range = previous.start..cite_range.end;
            }
        }

        let no_figure = matches!(
            classified.expect,
            Expect::Count | Expect::Amount | Expect::Percent
        ) && span.is_none();
        let outcome = if no_figure {
            Outcome::NoFigure
        } else {
            Outcome::Answered
        };
        let answer_text = span
            .clone()
            .map(|s| self.docs[hit.at.doc].source[s].to_string());
        let mut list = vec![self.citation(hit, cite_range, span, matcher)];
        list.extend(self.citations(&hits, Some(hit.at), matcher, citations.saturating_sub(1)));
        Ok(reply(outcome, answer_text, list))
    }

    /// The passages that best match `query`, best first, each cited whole.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<Citation>> {
        self.search_in(query, limit, None)
    }

    /// The passages of one post (when `post` names one) that best match `query`.
    pub fn search_in(
        &self,
        query: &str,
        limit: usize,
        post: Option<&str>,
    ) -> Result<Vec<Citation>> {
        let only = post.map(|p| self.post_number(p)).transpose()?;
        let groups = self.groups(query)?;
        let (hits, matcher) = self.rank(&groups, only)?;
        let mut seen: Vec<PassageRef> = Vec::new();
        let mut out = Vec::new();
        for hit in &hits {
            if out.len() >= limit {
                break;
            }
            if seen.contains(&hit.at) {
                continue;
            }
            seen.push(hit.at);
            let range = self.docs[hit.at.doc].passages[hit.at.passage].range.clone();
            out.push(self.citation(hit, range, None, &matcher));
        }
        Ok(out)
    }

    /// What is indexed.
    pub fn posts(&self) -> Vec<PostSummary> {
        self.docs
            .iter()
            .map(|d| PostSummary {
                document: d.id.clone(),
                title: d.title.clone(),
                passages: d.passages.len(),
                url: d.url.clone(),
            })
            .collect()
    }

    /// The id of the post that `key` names: its document id (file name in the posts folder), or
    /// a case-insensitive prefix of exactly one post's title.
    pub fn find_post(&self, key: &str) -> Result<&str> {
        self.post_number(key).map(|d| self.docs[d].id.as_str())
    }

    fn post_number(&self, key: &str) -> Result<usize> {
        let key = key.trim();
        if let Some(d) = self.docs.iter().position(|d| d.id == key) {
            return Ok(d);
        }
        let lower = key.to_lowercase();
        let matching: Vec<usize> = (0..self.docs.len())
            .filter(|&d| !lower.is_empty() && self.docs[d].title.to_lowercase().starts_with(&lower))
            .collect();
        match matching.as_slice() {
            [d] => Ok(*d),
            [] => Err(Error::UnknownPost {
                post: key.to_string(),
                known: self.post_list(0..self.docs.len()),
            }),
            many => Err(Error::AmbiguousPost {
                post: key.to_string(),
                matching: self.post_list(many.iter().copied()),
            }),
        }
    }

    /// "id (Title), ..." for error messages, cut short after a few.
    fn post_list(&self, docs: impl Iterator<Item = usize>) -> String {
        const SHOWN: usize = 10;
        let docs: Vec<usize> = docs.collect();
        let mut list: Vec<String> = docs
            .iter()
            .take(SHOWN)
            .map(|&d| format!("{} ({})", self.docs[d].id, self.docs[d].title))
            .collect();
        if docs.len() > SHOWN {
            list.push(format!("and {} more", docs.len() - SHOWN));
        }
        list.join(", ")
    }

    /// The answer settings the engine was opened with.
    pub fn settings(&self) -> &AnswerConfig {
        &self.settings
    }

    /// When the index was built.
    pub fn indexed_at(&self) -> SystemTime {
        self.indexed_at
    }

    /// Validates the question and builds its term groups.
    fn groups(&self, question: &str) -> Result<Vec<Group>> {
        let chars = question.chars().count();
        if question.trim().is_empty() {
            return Err(Error::EmptyQuestion);
        }
        if chars > self.settings.max_question_chars {
            return Err(Error::QuestionTooLong {
                chars,
                limit: self.settings.max_question_chars,
            });
        }
        if analysis::terms(question).is_empty() {
            return Err(Error::NoSearchableWords(
                question.trim().chars().take(80).collect(),
            ));
        }
        let searcher = self.index.searcher();
        Ok(retrieve::groups(
            &self.index,
            &searcher,
            question,
            self.settings.fuzzy,
        ))
    }

    /// Ranks the sentences of the best passages (of post `only`, if given); also returns the matcher of the question.
    fn rank(&self, groups: &[Group], only: Option<usize>) -> Result<(Vec<SentenceHit>, Matcher)> {
        let searcher = self.index.searcher();
        let matcher = {
            let mut vocabulary = self
                .vocabulary
                .write()
                .unwrap_or_else(PoisonError::into_inner);
            // Only words of the posts: a word the index lacks is in no passage, and question
            // words must not grow the vocabulary without bound.
            for g in groups {
                for (t, _) in &g.alternatives {
                    if self.index.knows(&searcher, t) {
                        vocabulary.intern(t);
                    }
                }
            }
            Matcher::new(groups, &vocabulary)
        };
        let hits =
            retrieve::rank_sentences(&self.index, &searcher, groups, &matcher, only, |at| {
                self.analysed(at)
            })?;
        Ok((hits, matcher))
    }

    /// A passage's analysed sentences and headings, analysed on first use.
    fn analysed(&self, at: PassageRef) -> Arc<PassageAnalysis> {
        self.analysed[self.doc_offsets[at.doc] + at.passage]
            .get_or_init(|| {
                let doc = &self.docs[at.doc];
                // Analyse first, then number the terms under the lock, so questions running at
                // the same time wait only for the numbering.
                let mut analysis = PassageAnalysis {
                    sentences: doc.passages[at.passage]
                        .sentences
                        .iter()
                        .map(|r| {
                            let mut terms = analysis::terms(&doc.source[r.clone()]);
                            for t in &mut terms {
                                t.range = t.range.start + r.start..t.range.end + r.start;
                            }
                            terms
                        })
                        .collect(),
                    heading: analysis::terms(&index::heading_text(doc, at.passage)),
                };
                let mut vocabulary = self
                    .vocabulary
                    .write()
                    .unwrap_or_else(PoisonError::into_inner);
                for t in analysis
                    .sentences
                    .iter_mut()
                    .flatten()
                    .chain(analysis.heading.iter_mut())
                {
                    t.id = vocabulary.intern(&t.text);
                }
                Arc::new(analysis)
            })
            .clone()
    }

    fn sentence_range(&self, hit: &SentenceHit) -> Range<usize> {
        self.docs[hit.at.doc].passages[hit.at.passage].sentences[hit.sentence].clone()
    }

    /// A sentence's terms with ranges relative to the sentence start.
    fn relative_terms(&self, hit: &SentenceHit, base: usize) -> Vec<Term> {
        self.analysed(hit.at).sentences[hit.sentence]
            .iter()
            .map(|t| Term {
                range: t.range.start - base..t.range.end - base,
                ..t.clone()
            })
            .collect()
    }

    /// The first self-introduction ("Jimmy here", "I'm Ann") in the opening paragraphs of the
    /// posts, taken in the given order.
    fn author_introduction(&self, order: &[usize]) -> Option<(Citation, String)> {
        for &d in order {
            let doc = &self.docs[d];
            for (p, passage) in doc.passages.iter().enumerate().take(2) {
                for (s, range) in passage.sentences.iter().enumerate().take(3) {
                    let Some(found) = answer::self_introduction(&doc.source[range.clone()]) else {
                        continue;
                    };
                    let span = range.start + found.start..range.start + found.end;
                    let hit = SentenceHit {
                        at: PassageRef { doc: d, passage: p },
                        sentence: s,
                        score: 1.0,
                        coverage: 1.0,
                        matched: Vec::new(),
                    };
                    let name = doc.source[span.clone()].to_string();
                    return Some((
                        self.citation(&hit, range.clone(), Some(span), &Matcher::default()),
                        name,
                    ));
                }
            }
        }
        None
    }

    /// Further citations: the best sentence of each other passage, best first.
    fn citations(
        &self,
        hits: &[SentenceHit],
        skip: Option<PassageRef>,
        matcher: &Matcher,
        limit: usize,
    ) -> Vec<Citation> {
        let mut seen: Vec<PassageRef> = skip.into_iter().collect();
        let mut out = Vec::new();
        for hit in hits {
            if out.len() >= limit {
                break;
            }
            if seen.contains(&hit.at) {
                continue;
            }
            seen.push(hit.at);
            out.push(self.citation(hit, self.sentence_range(hit), None, matcher));
        }
        out
    }

    /// Cites `range` of the hit's post, highlighting the words that matched the question.
    fn citation(
        &self,
        hit: &SentenceHit,
        range: Range<usize>,
        answer: Option<Range<usize>>,
        matcher: &Matcher,
    ) -> Citation {
        let doc = &self.docs[hit.at.doc];
        let passage = &doc.passages[hit.at.passage];
        let analysed = self.analysed(hit.at);
        let mut highlight_ranges: Vec<Range<usize>> = Vec::new();
        for t in analysed.sentences.iter().flatten() {
            if t.range.start < range.start || t.range.end > range.end {
                continue;
            }
            let matched = matcher.hits(t);
            let relative = t.range.start - range.start..t.range.end - range.start;
            if matched
                && !highlight_ranges
                    .iter()
                    .any(|r| r.start < relative.end && relative.start < r.end)
            {
                highlight_ranges.push(relative);
            }
        }
        highlight_ranges.sort_by_key(|r| r.start);
        let text = doc.source[range.clone()].to_string();
        let mut highlights: Vec<String> = Vec::new();
        for r in &highlight_ranges {
            let word = text[r.clone()].to_string();
            if !highlights.contains(&word) {
                highlights.push(word);
            }
        }
        Citation {
            document: doc.id.clone(),
            title: doc.title.clone(),
            section: passage.section.clone(),
            paragraph: passage.paragraph,
            text,
            start: range.start,
            end: range.end,
            highlights,
            score: hit.score,
            url: doc.url.clone(),
            highlight_ranges,
            answer_range: answer.map(|a| a.start - range.start..a.end - range.start),
        }
    }
}
