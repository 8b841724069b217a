//! The public face of the core: load posts, ask a question, get an [`Answer`] whose short answer is
//! a verbatim span of the passage it cites. It glues the pipeline together: the question is
//! checked and searched ([`crate::retrieve`]), the best sentences are offered to the answer step
//! ([`crate::answer`]) with their syntax, and its decision (answerable or not, the best span and
//! how sure it is) becomes the reply with its citations.

use std::num::NonZeroUsize;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};
use std::time::SystemTime;

use serde::Serialize;

use crate::analysis::{self, Term};
use crate::answer::{self, chinese, rules, table, Asked, Models, Offered, Summary};
use crate::config::AnswerConfig;
use crate::error::{Error, Result};
use crate::index::{self, PassageRef, SearchIndex, StoredPassage};
use crate::ingest::{self, Document};
use crate::lexicon;
use crate::posts::Post;
use crate::question::{self, Expect};
use crate::retrieve::{self, Group, Matcher, PassageAnalysis, SentenceHit, Vocabulary};
use crate::syntax::{Analysis, Syntax, Tag};

/// What the engine concluded about a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The posts answer it; `answer` may still be `None` when no short span fits (yes/no questions)
    /// or none is sure enough to show.
    Answered,
    /// The posts mention the subject but give no figure for it: cite, but never put a number.
    NoFigure,
    /// The posts don't cover the question; citations, if any, are only the nearest passages.
    NotCovered,
    /// The message is a greeting or thanks, not a question: no citations, a pointer to help.
    SmallTalk,
}

/// One cited passage (its JSON form is [`crate::json`]'s).
#[derive(Debug, Clone)]
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
    /// The words of `text` that matched the question, as they are written there (words that
    /// touch, as Chinese ones do, as one).
    pub highlights: Vec<String>,
    /// Relevance score; higher is better.
    pub score: f32,
    /// Link to the post (its front matter, sidecar or page metadata, or the page a web source
    /// was fetched from); `null` in JSON when the post has none.
    pub url: Option<String>,
    /// Byte ranges within `text` of the matched words (for bold rendering), in order; words
    /// that touch (Chinese has no spaces) share one range.
    pub highlight_ranges: Vec<Range<usize>>,
    /// Byte range within `text` of the short answer, when it comes from this citation.
    pub answer_range: Option<Range<usize>>,
    /// For a table row, the names of the columns its text spans, which the replies show above
    /// it (a row's figures say nothing without them); not part of the JSON contract.
    pub columns: Vec<String>,
}

impl Citation {
    /// The section heading to show beside the title: none when it only repeats the title (a
    /// post whose first heading is its title would read "Garden rota › Garden rota › ¶1").
    pub fn section_beyond_title(&self) -> Option<&str> {
        self.section
            .as_deref()
            .filter(|section| !section.trim().eq_ignore_ascii_case(self.title.trim()))
    }

    /// For a table row, the names of its columns as one line ("Team | Pld | Pts").
    pub fn column_line(&self) -> Option<String> {
        (!self.columns.is_empty()).then(|| self.columns.join(ingest::CELL_SEPARATOR))
    }
}

/// A post's id without the extension of its file name ("gardens/tips" for "gardens/tips.html").
fn without_extension(id: &str) -> &str {
    match id.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() && !extension.contains('/') => stem,
        _ => id,
    }
}

/// Sorted ranges with those that touch joined into one: Chinese words matched side by side
/// ("茶艺" and "社在") are one bold run, not "**茶艺****社在**", which Markdown shows with
/// the asterisks.
fn joined_where_touching(ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if last.end == r.start => last.end = r.end,
            _ => out.push(r),
        }
    }
    out
}

/// The engine's reply to one question ([`crate::json`] writes it for `ask --json`).
#[derive(Debug, Clone)]
pub struct Answer {
    /// The question as asked.
    pub question: String,
    /// The short answer, a verbatim span of the first citation's text.
    pub answer: Option<String>,
    /// The probability that the short answer is right; `None` when there is no candidate. A
    /// candidate below `answer.min_confidence` is not shown as the answer.
    pub confidence: Option<f32>,
    /// Best first.
    pub citations: Vec<Citation>,
    /// What the engine concluded.
    pub outcome: Outcome,
}

impl Answer {
    /// Whether the posts cover the question (with or without a figure for it).
    pub fn answered(&self) -> bool {
        matches!(self.outcome, Outcome::Answered | Outcome::NoFigure)
    }
}

/// An answer found by rule: its sentence hit, the cited range and the answer's span.
struct Found {
    hit: SentenceHit,
    range: Range<usize>,
    span: Range<usize>,
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

/// A passage as questions use it: what the index stores of it, its analysis, and its sentences'
/// syntax, each sentence tagged and parsed on first use.
struct ServedPassage {
    stored: StoredPassage,
    analysis: Arc<PassageAnalysis>,
    parsed: Box<[OnceLock<Arc<Analysis>>]>,
}

/// How many passages an engine keeps read and analysed (with the syntax of the sentences parsed
/// so far), the least recently used dropped first. A question looks at about ten; keeping the
/// last few questions' passages spares repeated and follow-up questions the work, and bounds
/// the memory of an engine serving a large corpus however many questions it answers (2,048
/// cost 30 MB more at 100,000 passages, for no gain on questions that do not repeat).
const CACHED_PASSAGES: usize = 256;

/// The posts and their search index; cheap to share behind an `Arc`. The passages live in the
/// index (see `StoredPassage`); a passage is read and analysed when a question first looks at
/// it and kept in a bounded cache: analysing every sentence of a large corpus at startup would
/// cost seconds, and keeping them all would cost memory.
pub struct Engine {
    posts: Vec<Post>,
    index: SearchIndex,
    /// Passages read and analysed, by global passage number.
    served: Mutex<lru::LruCache<usize, Arc<ServedPassage>>>,
    /// Ids of the analysed terms of the passages analysed so far and of the question words the
    /// index knows (so a question can be matched against any passage analysed later).
    vocabulary: RwLock<Vocabulary>,
    settings: AnswerConfig,
    indexed_at: SystemTime,
    /// The answer models, when not the shipped ones (training measures models it just made).
    models: Option<Arc<Models>>,
}

/// How many of the best sentences are offered to the answer step.
const OFFERED_SENTENCES: usize = 3;
/// Whether `text` holds `word` as written, with no letter or digit on either side.
fn holds_word(text: &str, word: &str) -> bool {
    let alphanumeric = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.match_indices(word).any(|(at, _)| {
        !alphanumeric(text[..at].chars().next_back())
            && !alphanumeric(text[at + word.len()..].chars().next())
    })
}

/// How many ranked sentences are searched for an acronym's expansion.
const ACRONYM_SENTENCES: usize = 12;
/// How many ranked sentences are looked at for a table row whose cell the question names by its
/// column and row: a row's text rarely holds the word naming the column ("points" for "Pts"),
/// so prose that holds it may rank above the row.
const TABLE_ROWS_EXAMINED: usize = 10;
/// How many table rows are searched for the tables a question ranking a table may be about.
const TABLE_PASSAGES_SEARCHED: usize = 30;
/// The confidence of an answer found by rule (an acronym's expansion, an author's
/// self-introduction, a table cell named by its column and row or picked by ranking the table):
/// these shapes are unambiguous
/// when they match, so their answers are shown at the default threshold.
const RULE_CONFIDENCE: f32 = 0.9;

/// A question checked, classified and searched: what every way of answering it starts from.
pub struct Examined {
    /// The question's term groups.
    pub groups: Vec<Group>,
    /// Its classification.
    pub classified: question::Question,
    /// Ranked sentences, best first.
    pub hits: Vec<SentenceHit>,
    /// Matches terms against the question's groups.
    pub matcher: Matcher,
    /// Analysed forms that count as the question's head noun.
    pub head: Vec<String>,
    /// The question holds a negation ("not", "never", "no").
    pub negated: bool,
    /// The question as asked.
    question: String,
    /// The question's tokens, tags and tree, analysed when the answer step first needs them
    /// (a question answered by rule, or with nothing to offer, is never parsed).
    syntax: OnceLock<Analysis>,
}

/// How a sentence's words stand to the question's ([`answer::contrast`]): its contrasting words
/// and whether a negation differs. `asked` and `met` are the question words of the question's
/// and the sentence's tokens; `heading` is the sentence's post title and section heading.
fn compare(
    examined: &Examined,
    asked: &[Option<usize>],
    heading: &[Term],
    text: &str,
    syntax: &Analysis,
    met: &[Option<usize>],
) -> (Vec<bool>, bool) {
    let mut found: Vec<(usize, usize)> = Vec::new();
    examined.matcher.find(heading, &mut found);
    let heading: Vec<usize> = found.into_iter().map(|(g, _)| g).collect();
    let question = answer::contrast::Side {
        text: &examined.question,
        syntax: examined.syntax(),
        words: asked,
        heading: &[],
    };
    let sentence = answer::contrast::Side {
        text,
        syntax,
        words: met,
        heading: &heading,
    };
    (
        answer::contrast::contrasts(&question, &sentence),
        answer::contrast::negation_differs(&question, &sentence),
    )
}

/// Whether token `k` of a sentence is a word of a name as the sentence writes it: a noun or
/// proper noun capitalised after a word of the sentence (not the first word after a bullet or
/// an opening quote), and not written in capitals throughout ("you MUST REGISTER").
fn is_name_word(text: &str, syntax: &Analysis, k: usize) -> bool {
    let word = &text[syntax.tokens[k].clone()];
    matches!(syntax.tags[k], Tag::Noun | Tag::Propn)
        && word.starts_with(char::is_uppercase)
        && word.chars().any(char::is_lowercase)
        && syntax.tokens[..k]
            .iter()
            .any(|r| text[r.clone()].chars().any(char::is_alphabetic))
}

impl Examined {
    /// The question's tokens, tags and tree.
    pub fn syntax(&self) -> &Analysis {
        self.syntax
            .get_or_init(|| Syntax::shipped().analyse(&self.question))
    }

    /// Whether the question writes the word of group `g` as a verb in lower case ("shows" of
    /// "What event shows that ..."): it does not mean the word of a name that a sentence spells
    /// the same ("the Boat Show", see `is_name_word`). A word the tagger takes for a verb
    /// between a determiner and a noun is a modifier in a noun phrase: chat's lower-case names
    /// are tagged so ("what is the minimum *rust* version"), and mean the name.
    pub fn writes_as_verb(&self, g: usize) -> bool {
        let range = &self.groups[g].range;
        let syntax = self.syntax();
        let Some(k) = syntax.tokens.iter().position(|r| r == range) else {
            return false;
        };
        let written = |t: usize| self.question[syntax.tokens[t].clone()].to_lowercase();
        let noun_like = |t: usize| matches!(syntax.tags[t], Tag::Noun | Tag::Propn);
        let determiner = |t: usize| {
            syntax.tags[t] == Tag::Det || matches!(written(t).as_str(), "which" | "what" | "whose")
        };
        let opener = (0..k)
            .rev()
            .find(|&t| !(noun_like(t) || matches!(syntax.tags[t], Tag::Adj | Tag::Num)));
        let in_noun_phrase =
            opener.is_some_and(determiner) && k + 1 < syntax.tokens.len() && noun_like(k + 1);
        self.question[range.clone()].starts_with(|c: char| c.is_lowercase())
            && matches!(syntax.tags[k], Tag::Verb | Tag::Aux)
            && !in_noun_phrase
    }

    /// For each of the question's tokens, the group of its words that it is (none for the
    /// words that only frame the question).
    fn group_per_token(&self) -> Vec<Option<usize>> {
        self.syntax()
            .tokens
            .iter()
            .map(|token| {
                self.groups.iter().position(|g| {
                    !g.frame && g.range.start < token.end && token.start < g.range.end
                })
            })
            .collect()
    }

    /// What the ranker knows of the question.
    pub fn asked(&self, question: &str) -> Asked {
        Asked::new(
            question,
            self.syntax(),
            self.classified.expect.clone(),
            self.classified.head.clone(),
            self.groups.iter().filter(|g| !g.frame).count(),
        )
    }

    /// The hits whose passages cover enough of the question to answer it.
    pub fn covered(&self, min_coverage: f32) -> Vec<&SentenceHit> {
        self.hits
            .iter()
            .filter(|h| h.coverage >= min_coverage)
            .collect()
    }
}

/// A sentence offered to the answer step, with its syntax and matches (owned, so the
/// borrowed [`Offered`] view can be made from it).
pub struct OfferedSentence {
    /// The hit it comes from.
    pub hit: SentenceHit,
    /// Its byte range in the post.
    pub range: Range<usize>,
    /// Its text.
    pub text: String,
    /// Its tokens, tags and tree.
    pub syntax: Arc<Analysis>,
    /// Per token, the weight of the question word it matches.
    pub matched: Vec<f32>,
    /// Per token, whether it is the question's head noun.
    pub head: Vec<bool>,
    /// Per token, whether it stands where the question has another word
    /// ([`answer::contrast`]).
    pub contrasts: Vec<bool>,
    /// It negates a verb or adjective of the question that the question does not, or the
    /// other way round ([`answer::contrast::negation_differs`]).
    pub negation_differs: bool,
    /// How many question groups it matches.
    pub groups: usize,
    /// It is (part of) a table row.
    pub in_table: bool,
}

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
        Ok(Engine::with_index(
            docs.iter().map(Post::of).collect(),
            index,
            settings,
        ))
    }

    /// Serves `posts` from an index that holds them (in RAM or on disk).
    pub fn with_index(posts: Vec<Post>, index: SearchIndex, settings: AnswerConfig) -> Engine {
        let capacity = NonZeroUsize::new(CACHED_PASSAGES).expect("a cache holds passages");
        Engine {
            posts,
            index,
            served: Mutex::new(lru::LruCache::new(capacity)),
            vocabulary: RwLock::default(),
            settings,
            indexed_at: SystemTime::now(),
            models: None,
        }
    }

    /// The engine answering with `models` instead of the shipped ones.
    pub fn with_models(mut self, models: Arc<Models>) -> Engine {
        self.models = Some(models);
        self
    }

    /// The posts served, in name order.
    pub fn post_list(&self) -> &[Post] {
        &self.posts
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
        let reply = |outcome: Outcome,
                     answer: Option<String>,
                     confidence: Option<f32>,
                     citations: Vec<Citation>| Answer {
            question: question.to_string(),
            answer,
            confidence,
            citations,
            outcome,
        };
        // The message as sent is what must be neither empty nor too long.
        self.check_question(question)?;
        if crate::smalltalk::is_small_talk(question) {
            return Ok(reply(Outcome::SmallTalk, None, None, Vec::new()));
        }
        // Greetings, thanks and chat markup around the question are not searched, nor a
        // polite wrapper ("could you tell me ..."); chat's "wen" and "ppl" are written out.
        let essence = crate::question::essence(question);
        let asked = crate::question::unwrapped(&crate::question::respelled(&essence));
        let examined = self.examine(&asked, only)?;
        let hits = &examined.hits;
        let matcher = &examined.matcher;
        if let Some((found, name)) = self.by_rule(&examined, only)? {
            let at = found.hit.at;
            // The configured gate holds for answers found by rule too.
            let shown = RULE_CONFIDENCE >= self.settings.min_confidence;
            let span = shown.then_some(found.span);
            let mut list = vec![self.citation(&found.hit, found.range, span, matcher)?];
            list.extend(self.citations(hits, Some(at), matcher, citations.saturating_sub(1))?);
            return Ok(reply(
                Outcome::Answered,
                shown.then_some(name),
                Some(RULE_CONFIDENCE),
                list,
            ));
        }
        let covered = self
            .of_posts_naming_the_years(&examined, examined.covered(self.settings.min_coverage))?;
        if covered.is_empty() {
            let nearest = self.citations(hits, None, matcher, citations)?;
            return Ok(reply(Outcome::NotCovered, None, None, nearest));
        }
        let offered = self.offer(&examined, &covered)?;
        let decision = self.decide(&asked, &examined, &offered);
        if decision.answerable < self.settings.min_answerable {
            let nearest = self.citations(hits, None, matcher, citations)?;
            return Ok(reply(Outcome::NotCovered, None, None, nearest));
        }
        // "whats the pta" when the posts write "PTA" but never spell it out (else the rule above
        // answered): the best sentence uses the letters, but no span of it says what they mean.
        // Letters in brackets are explained, though not always by their initials ("the Computer
        // Science Network (CSNET)"): the ranker may still find the words.
        let unexplained = examined
            .classified
            .spelled_acronym
            .as_deref()
            .is_some_and(|acronym| {
                let text = &offered[0].text;
                let bracketed = text.contains(&format!("({acronym})"))
                    || text.contains(&format!("{acronym} ("));
                holds_word(text, acronym) && !bracketed
            });
        let Some(best) = decision.best.filter(|_| !unexplained) else {
            // No candidate at all: a count the posts give no figure for, or a sentence with
            // nothing that could answer, or an acronym they never explain; cite the best
            // sentence.
            let first = &offered[0];
            let outcome = if answer::needs_number(&examined.classified.expect) {
                Outcome::NoFigure
            } else {
                Outcome::Answered
            };
            let mut list = vec![self.citation(&first.hit, first.range.clone(), None, matcher)?];
            list.extend(self.citations(hits, Some(first.hit.at), matcher, citations - 1)?);
            return Ok(reply(outcome, None, None, list));
        };
        let chosen = &offered[best.sentence];
        let span = chosen.range.start + best.bytes.start..chosen.range.start + best.bytes.end;
        let shown = (best.confidence >= self.settings.min_confidence).then_some(span);
        let answer = shown.clone().map(|s| {
            chosen.text[s.start - chosen.range.start..s.end - chosen.range.start].to_string()
        });
        let mut list = vec![self.citation(&chosen.hit, chosen.range.clone(), shown, matcher)?];
        list.extend(self.citations(hits, Some(chosen.hit.at), matcher, citations - 1)?);
        Ok(reply(
            Outcome::Answered,
            answer,
            Some(best.confidence),
            list,
        ))
    }

    /// Checks, classifies and searches a question (in post `only`, if given).
    pub fn examine(&self, question: &str, only: Option<usize>) -> Result<Examined> {
        let groups = self.groups(question)?;
        let classified = question::classify(question);
        let (hits, matcher) = self.rank(&groups, only)?;
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
        let negated = analysis::plain_words(question).any(|w| {
            let w = w.to_lowercase();
            lexicon::english::NEGATIONS.contains(&w.as_str())
                || w.ends_with("n't")
                || w.ends_with("n’t")
        });
        Ok(Examined {
            groups,
            classified,
            hits,
            matcher,
            head,
            negated,
            question: question.to_string(),
            syntax: OnceLock::new(),
        })
    }

    /// Answers found by rule: the author's self-introduction for "who wrote this", an acronym's
    /// expansion for "what does X stand for" (and for chat's lower-case "what does pta stand
    /// for", when the posts expand "PTA"), a table's cell named by its column and row or the row
    /// a question ranking the table asks for ([`table`]). Returns the citation and the answer.
    fn by_rule(&self, examined: &Examined, only: Option<usize>) -> Result<Option<(Found, String)>> {
        match &examined.classified.expect {
            Expect::Author => {
                // The posts the question points at ("who wrote the bridges post?"), best first;
                // only when it points at none ("who wrote this?"), every post in order. Another
                // post's author is not the author of the post asked about.
                let mut named: Vec<usize> = examined
                    .covered(self.settings.min_coverage)
                    .iter()
                    .map(|h| h.at.doc)
                    .collect();
                // A post is also named by a word of its title ("who wrote the recipes post?").
                let asked: Vec<&str> = examined
                    .groups
                    .iter()
                    .filter(|g| !g.frame)
                    .flat_map(|g| g.alternatives.iter().map(|(t, _)| t.as_str()))
                    .collect();
                named.extend((0..self.posts.len()).filter(|&d| {
                    analysis::terms(&self.posts[d].title)
                        .iter()
                        .any(|t| asked.contains(&&*t.text))
                }));
                let all = 0..if named.is_empty() {
                    self.posts.len()
                } else {
                    0
                };
                let mut order: Vec<usize> = Vec::new();
                for d in named.into_iter().chain(all) {
                    if !order.contains(&d) && only.is_none_or(|o| o == d) {
                        order.push(d);
                    }
                }
                self.author_introduction(&order)
            }
            Expect::Acronym(acronym) => self.acronym_expansion(examined, acronym),
            Expect::YesNo => Ok(None),
            _ => match &examined.classified.spelled_acronym {
                Some(acronym) => self.acronym_expansion(examined, acronym),
                None => self.table_cell(examined, only),
            },
        }
    }

    /// The cell of a table row among the best sentences that the question names by its column
    /// and its row ([`table::answering_cell`]); the row is cited whole.
    fn table_cell(
        &self,
        examined: &Examined,
        only: Option<usize>,
    ) -> Result<Option<(Found, String)>> {
        let content: Vec<usize> = (0..examined.groups.len())
            .filter(|&g| !examined.groups[g].frame)
            .collect();
        let words: Vec<table::Word> = content
            .iter()
            .map(|&g| {
                let group = &examined.groups[g];
                table::Word {
                    written: &group.word,
                    terms: group.alternatives.iter().map(|(t, _)| t.as_str()).collect(),
                    name: group.name,
                    in_headings: false,
                    verb: examined.writes_as_verb(g),
                }
            })
            .collect();
        let expect = &examined.classified.expect;
        let ranking = table::ranking(&examined.question).filter(|_| !answer::needs_number(expect));
        if let Some(ranking) = ranking {
            if let Some(found) = self.ranked_table_row(examined, &words, ranking, only)? {
                return Ok(Some(found));
            }
        }
        // Not only the covered hits: a row rarely holds the word that names its column.
        let hits = examined.hits.iter().take(TABLE_ROWS_EXAMINED);
        for (rank, hit) in hits.enumerate() {
            // A row whose cells split into sentences ranks once per sentence: judged once.
            let seen = examined.hits[..rank].iter().any(|h| h.at == hit.at);
            let passage = self.served(hit.at)?;
            let stored = &passage.stored;
            if seen || stored.columns.is_empty() {
                continue;
            }
            let base = stored.range.start;
            let matched: Vec<(Range<usize>, usize)> = passage
                .analysis
                .sentences
                .iter()
                .flat_map(|terms| terms.iter())
                .filter_map(|t| {
                    let g = examined.matcher.group(t)?;
                    let w = content.iter().position(|&c| c == g)?;
                    Some((t.range.start - base..t.range.end - base, w))
                })
                .collect();
            let in_headings: Vec<usize> = passage
                .analysis
                .heading
                .iter()
                .filter_map(|t| {
                    content
                        .iter()
                        .position(|&c| Some(c) == examined.matcher.group(t))
                })
                .collect();
            let words = table::under_headings(&words, &in_headings);
            // The words of the sentences ranked above the row and of the other rows of its
            // table found with it (same post, section and columns: a table per division or
            // season under headings of its own is another table).
            let mut elsewhere_hits: Vec<&SentenceHit> = examined.hits[..rank].iter().collect();
            for other in examined
                .hits
                .iter()
                .take(TABLE_ROWS_EXAMINED)
                .skip(rank + 1)
            {
                if other.at != hit.at && other.at.doc == hit.at.doc {
                    let other_row = &self.served(other.at)?.stored;
                    if other_row.columns == stored.columns && other_row.section == stored.section {
                        elsewhere_hits.push(other);
                    }
                }
            }
            let elsewhere: Vec<usize> = elsewhere_hits
                .iter()
                .flat_map(|h| &h.matched)
                .filter_map(|g| content.iter().position(|c| c == g))
                .collect();
            let found = table::WordsFound {
                in_row: &matched,
                elsewhere: &elsewhere,
            };
            let Some(cell) =
                table::answering_cell(&stored.text, &stored.columns, &words, &found, expect)
            else {
                continue;
            };
            let span = base + cell.start..base + cell.end;
            let found = Found {
                hit: hit.clone(),
                range: stored.range.clone(),
                span,
            };
            return Ok(Some((found, stored.text[cell].to_string())));
        }
        Ok(None)
    }

    /// The expansion of `acronym` in the best sentence that brackets it, else in the best that
    /// gives it in words ("..., or ODP"), which a sentence may match by chance.
    fn acronym_expansion(
        &self,
        examined: &Examined,
        acronym: &str,
    ) -> Result<Option<(Found, String)>> {
        let covered = examined.covered(self.settings.min_coverage);
        let mut in_words = None;
        for hit in covered.into_iter().take(ACRONYM_SENTENCES) {
            let passage = self.served(hit.at)?;
            let range = passage.stored.sentences[hit.sentence].clone();
            let text = passage.stored.slice(range.clone());
            let Some(expansion) = rules::acronym_expansion(text, acronym) else {
                continue;
            };
            let found = expansion.range;
            let name = text[found.clone()].to_string();
            let span = range.start + found.start..range.start + found.end;
            let found = Found {
                hit: hit.clone(),
                range,
                span,
            };
            if expansion.bracketed {
                return Ok(Some((found, name)));
            }
            in_words.get_or_insert((found, name));
        }
        Ok(in_words)
    }

    /// The row that a question ranking a table asks for ("which event raised the most?", "who
    /// came 3rd?": [`table::ranked_row`]), in the tables whose rows match the question best, each
    /// read whole ([`table::across_tables`] chooses among them); the row is cited, with the
    /// search score of its table's best row.
    fn ranked_table_row(
        &self,
        examined: &Examined,
        words: &[table::Word],
        ranking: table::Ranking,
        only: Option<usize>,
    ) -> Result<Option<(Found, String)>> {
        let searcher = self.index.searcher();
        // Its rows hold few of the question's words ("which event raised the most?" names the
        // columns "Event" and "Amt raised"), so the tables are searched for among the table rows
        // alone.
        let terms: Vec<(String, f32)> = examined
            .groups
            .iter()
            .filter(|g| !g.frame)
            .flat_map(|g| g.alternatives.iter().map(|(t, w)| (t.clone(), g.idf * w)))
            .collect();
        let passages =
            self.index
                .top_table_rows(&searcher, &terms, TABLE_PASSAGES_SEARCHED, only)?;
        let mut read: Vec<PassageRef> = Vec::new();
        // Each table's answer: the row's place and passage, and what the table ranked.
        let mut found: Vec<(PassageRef, StoredPassage, table::Ranked, f32)> = Vec::new();
        for (at, score) in passages {
            if read.contains(&at) {
                continue;
            }
            let Some(mut rows) = self.table_around(&searcher, at)? else {
                continue;
            };
            read.extend(rows.iter().map(|(at, _)| *at));
            let columns = rows
                .iter()
                .map(|(_, row)| &row.columns)
                .max_by_key(|c| c.len())
                .expect("a table has a row");
            // Which question words each row, and the post's title, the table's heading and its
            // columns' names hold.
            let holds = |text: &str| -> Vec<usize> {
                let terms = analysis::terms(text);
                (0..words.len())
                    .filter(|&w| terms.iter().any(|t| words[w].terms.contains(&&*t.text)))
                    .collect()
            };
            let table_rows: Vec<table::TableRow> = rows
                .iter()
                .map(|(_, row)| table::TableRow {
                    text: &row.text,
                    skipped: columns.len() - row.columns.len(),
                    holds: holds(&row.text),
                })
                .collect();
            let heading = index::heading_text(
                &self.posts[at.doc].title,
                rows[0].1.section.as_deref(),
                columns,
            );
            let in_headings = holds(&heading);
            let words = table::under_headings(words, &in_headings);
            let expect = &examined.classified.expect;
            if let Some(ranked) = table::ranked_row(columns, &table_rows, &words, ranking, expect) {
                let (at, row) = rows.swap_remove(ranked.row);
                found.push((at, row, ranked, score));
            }
        }
        let ranked: Vec<table::Ranked> = found.iter().map(|(_, _, r, _)| r.clone()).collect();
        let Some(chosen) = table::across_tables(&ranked, ranking) else {
            return Ok(None);
        };
        let (at, row, ranked, score) = found.swap_remove(chosen);
        let base = row.range.start;
        let cell = ranked.cell;
        let found = Found {
            hit: SentenceHit {
                at,
                sentence: 0,
                score,
                coverage: 0.0,
                matched: Vec::new(),
            },
            range: row.range.clone(),
            span: base + cell.start..base + cell.end,
        };
        Ok(Some((found, row.text[cell].to_string())))
    }

    /// The rows of the table that the passage `at` is a row of, in order, each with where it is
    /// (at most [`table::MAX_TABLE_ROWS`]): the passages around it under the same heading whose
    /// columns are the table's (a row that starts with empty cells spans fewer). `None` when
    /// the passage is no table row.
    fn table_around(
        &self,
        searcher: &tantivy::Searcher,
        at: PassageRef,
    ) -> Result<Option<Vec<(PassageRef, StoredPassage)>>> {
        let first = self.index.passage(searcher, at)?;
        if first.columns.is_empty() {
            return Ok(None);
        }
        let same_table = |a: &StoredPassage, b: &StoredPassage| {
            a.section == b.section
                && !b.columns.is_empty()
                && (a.columns.ends_with(&b.columns) || b.columns.ends_with(&a.columns))
        };
        let mut rows = vec![(at, first)];
        for step in [-1isize, 1] {
            let mut at = at;
            while rows.len() < table::MAX_TABLE_ROWS {
                let Some(next) = at.passage.checked_add_signed(step) else {
                    break;
                };
                if next >= self.posts[at.doc].passages {
                    break;
                }
                at.passage = next;
                let row = self.index.passage(searcher, at)?;
                if !same_table(&rows[0].1, &row) {
                    break;
                }
                rows.push((at, row));
            }
        }
        rows.sort_by_key(|(at, _)| at.passage);
        Ok(Some(rows))
    }

    /// The `covered` sentences of posts that use every year the question names, even if only
    /// in their title or headings: a post that never names the year asked about is about
    /// another time ("how much did the dog show raise in 2023?" over a round-up of 2024). On
    /// SQuAD train, 65 of the 67 questions naming a year their article never uses have no
    /// answer, and every short answer citebot showed to one was wrong. A decade ("the 1950's")
    /// is no year: the post may write it "1950s".
    fn of_posts_naming_the_years<'e>(
        &self,
        examined: &Examined,
        covered: Vec<&'e SentenceHit>,
    ) -> Result<Vec<&'e SentenceHit>> {
        let decade = |g: &Group| {
            let after = &examined.question[g.range.end.min(examined.question.len())..];
            ["s", "'s", "’s"].iter().any(|s| after.starts_with(s))
        };
        let years: Vec<Vec<(String, f32)>> = examined
            .groups
            .iter()
            .filter(|g| answer::candidate::is_year(&g.word) && !decade(g))
            .map(|g| {
                g.alternatives
                    .iter()
                    .map(|(t, _)| (t.clone(), 1.0))
                    .collect()
            })
            .collect();
        if years.is_empty() {
            return Ok(covered);
        }
        let searcher = self.index.searcher();
        let mut naming: Vec<(usize, bool)> = Vec::new();
        let mut out = Vec::with_capacity(covered.len());
        for hit in covered {
            let doc = hit.at.doc;
            let names = match naming.iter().find(|(d, _)| *d == doc) {
                Some(&(_, names)) => names,
                None => {
                    let mut names = true;
                    for terms in &years {
                        names &= !self
                            .index
                            .top_passages(&searcher, terms, 1, Some(doc))?
                            .is_empty();
                    }
                    naming.push((doc, names));
                    names
                }
            };
            if names {
                out.push(hit);
            }
        }
        Ok(out)
    }

    /// The best covered sentences with their syntax and matches, best first (one per sentence).
    pub fn offer(
        &self,
        examined: &Examined,
        covered: &[&SentenceHit],
    ) -> Result<Vec<OfferedSentence>> {
        let mut out: Vec<OfferedSentence> = Vec::new();
        // The question's words per token, found when a sentence is first compared with it.
        let asked = std::cell::OnceCell::new();
        for hit in covered.iter().take(OFFERED_SENTENCES) {
            let passage = self.served(hit.at)?;
            let range = passage.stored.sentences[hit.sentence].clone();
            let text = passage.stored.slice(range.clone());
            let syntax = passage.parsed[hit.sentence]
                .get_or_init(|| Arc::new(Syntax::shipped().analyse(text)))
                .clone();
            let terms = &passage.analysis.sentences[hit.sentence];
            let n = syntax.tokens.len();
            let (mut matched, mut head) = (vec![0.0f32; n], vec![false; n]);
            // Per token, the question word it meets ([`answer::contrast::Side::words`]).
            let mut met: Vec<Option<usize>> = vec![None; n];
            let mut groups: Vec<usize> = Vec::new();
            // The words of a phrase the question asks ("United States" for "US") count like
            // single matched words.
            let phrase_words = examined.matcher.phrase_words(terms);
            for (k, t) in terms.iter().enumerate() {
                let start = t.range.start - range.start;
                let end = t.range.end - range.start;
                let mut weight = examined.matcher.weight(t, &examined.groups);
                let verb = examined
                    .matcher
                    .group(t)
                    .is_some_and(|g| examined.writes_as_verb(g));
                let is_head = examined.head.iter().any(|h| **h == *t.text);
                let phrases = phrase_words.iter().filter(|(word, _, _)| *word == k);
                let mut in_phrase = None;
                for &(_, g, w) in phrases {
                    if !examined.groups[g].frame {
                        weight = weight.max(examined.groups[g].idf * w);
                    }
                    if !groups.contains(&g) {
                        groups.push(g);
                    }
                    in_phrase = in_phrase.or(Some(g));
                }
                let group = examined.matcher.group(t);
                if let Some(g) = group {
                    if !groups.contains(&g) {
                        groups.push(g);
                    }
                }
                let meets = examined
                    .matcher
                    .content_group(t, &examined.groups)
                    .or(in_phrase);
                for (k, token) in syntax.tokens.iter().enumerate() {
                    if token.start < end && start < token.end {
                        met[k] = met[k].or(meets);
                        let weight = if verb && is_name_word(text, &syntax, k) {
                            0.0
                        } else {
                            weight
                        };
                        matched[k] = matched[k].max(weight);
                        head[k] |= is_head;
                    }
                }
            }
            let (contrasts, negation_differs) = if analysis::is_mostly_chinese(text) {
                // Answered by their own shapes, which read no contrasts.
                (vec![false; n], false)
            } else {
                let asked = asked.get_or_init(|| examined.group_per_token());
                compare(
                    examined,
                    asked,
                    &passage.analysis.heading,
                    text,
                    &syntax,
                    &met,
                )
            };
            out.push(OfferedSentence {
                hit: (*hit).clone(),
                text: text.to_string(),
                range,
                syntax,
                matched,
                head,
                contrasts,
                negation_differs,
                groups: groups.len(),
                in_table: !passage.stored.columns.is_empty(),
            });
        }
        Ok(out)
    }

    /// The answer step's decision on the offered sentences; Chinese sentences are answered by
    /// their own shapes.
    fn decide(
        &self,
        question: &str,
        examined: &Examined,
        offered: &[OfferedSentence],
    ) -> answer::Decision {
        let first = &offered[0];
        if analysis::is_mostly_chinese(&first.text) {
            return self.decide_chinese(examined, offered);
        }
        let asked = examined.asked(question);
        let views = self.views(offered);
        let models = self.models.as_deref().unwrap_or_else(|| Models::shipped());
        answer::decide(models, &asked, &views, self.summary(examined))
    }

    /// The answer step's view of offered sentences.
    pub fn views<'a>(&'a self, offered: &'a [OfferedSentence]) -> Vec<Offered<'a>> {
        let best = offered.first().map_or(1.0, |o| o.hit.score.max(1e-6));
        offered
            .iter()
            .enumerate()
            .map(|(rank, o)| Offered {
                text: &o.text,
                syntax: &o.syntax,
                matched: &o.matched,
                head: &o.head,
                contrasts: &o.contrasts,
                negation_differs: o.negation_differs,
                rank,
                score: o.hit.score / best,
                groups: o.groups,
                in_table: o.in_table,
            })
            .collect()
    }

    /// What retrieval found, for the confidence and answerability models.
    pub fn summary(&self, examined: &Examined) -> Summary {
        let searcher = self.index.searcher();
        let known = |g: &Group| {
            g.alternatives
                .iter()
                .any(|(t, _)| self.index.doc_freq(&searcher, t) > 0)
        };
        let content: Vec<usize> = (0..examined.groups.len())
            .filter(|&g| !examined.groups[g].frame)
            .collect();
        // The question's words in the best passage (any of its sentences).
        let mut in_passage: Vec<usize> = Vec::new();
        if let Some(top) = examined.hits.first() {
            for h in examined.hits.iter().filter(|h| h.at == top.at) {
                in_passage.extend(&h.matched);
            }
        }
        let missing = |names: bool| {
            content
                .iter()
                .filter(|&&g| !in_passage.contains(&g) && (!names || examined.groups[g].name))
                .count()
        };
        let content: Vec<&Group> = content.iter().map(|&g| &examined.groups[g]).collect();
        Summary {
            missing_words: missing(false),
            missing_names: missing(true),
            negated: examined.negated,
            coverage: examined.hits.first().map_or(0.0, |h| {
                examined
                    .hits
                    .iter()
                    .take(OFFERED_SENTENCES)
                    .map(|h| h.coverage)
                    .fold(h.coverage, f32::max)
            }),
            retrieval: examined.hits.first().map_or(0.0, |h| h.score),
            unknown_words: content.iter().filter(|g| !known(g)).count(),
            unknown_names: content.iter().filter(|g| g.name && !known(g)).count(),
            question_words: content.len(),
            ..Summary::default()
        }
    }

    /// The Chinese answer shapes on the offered sentences: the best span of the first sentence
    /// that has one.
    fn decide_chinese(&self, examined: &Examined, offered: &[OfferedSentence]) -> answer::Decision {
        let question_stems: Vec<String> = examined
            .groups
            .iter()
            .filter(|g| {
                !g.alternatives
                    .iter()
                    .any(|(t, _)| examined.head.contains(t))
            })
            .flat_map(|g| g.alternatives.iter().map(|(t, _)| t.clone()))
            .collect();
        let focus = chinese::Focus {
            expect: &examined.classified.expect,
            head: &examined.head,
            question: &question_stems,
        };
        let best = offered.iter().enumerate().find_map(|(i, o)| {
            let terms = self.relative_terms(&o.hit, o.range.start).ok()?;
            chinese::extract(&o.text, &terms, &focus).map(|span| answer::Best {
                sentence: i,
                bytes: span.range,
                confidence: RULE_CONFIDENCE,
            })
        });
        answer::Decision {
            answerable: 1.0,
            best,
        }
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
            let range = self.served(hit.at)?.stored.range.clone();
            out.push(self.citation(hit, range, None, &matcher)?);
        }
        Ok(out)
    }

    /// What is indexed.
    pub fn posts(&self) -> Vec<PostSummary> {
        self.posts
            .iter()
            .map(|d| PostSummary {
                document: d.id.clone(),
                title: d.title.clone(),
                passages: d.passages,
                url: d.url.clone(),
            })
            .collect()
    }

    /// The id of the post that `key` names: its document id (file name in the posts folder),
    /// that id without its extension ("garden" for "garden.md"), either in any case, or a
    /// case-insensitive prefix of exactly one post's title.
    pub fn find_post(&self, key: &str) -> Result<&str> {
        self.post_number(key).map(|d| self.posts[d].id.as_str())
    }

    fn post_number(&self, key: &str) -> Result<usize> {
        let key = key.trim();
        if let Some(d) = self.posts.iter().position(|d| d.id == key) {
            return Ok(d);
        }
        // A member types the name as it comes to mind: "Bees" for bees.md.
        let lower = key.to_lowercase();
        let named: Vec<usize> = (0..self.posts.len())
            .filter(|&d| {
                let id = &self.posts[d].id;
                id.to_lowercase() == lower || without_extension(id).to_lowercase() == lower
            })
            .collect();
        let matching: Vec<usize> = if named.is_empty() {
            (0..self.posts.len())
                .filter(|&d| {
                    !lower.is_empty() && self.posts[d].title.to_lowercase().starts_with(&lower)
                })
                .collect()
        } else {
            named
        };
        match matching.as_slice() {
            [d] => Ok(*d),
            [] => Err(Error::UnknownPost {
                post: key.to_string(),
                known: self.name_list(0..self.posts.len()),
            }),
            many => Err(Error::AmbiguousPost {
                post: key.to_string(),
                matching: self.name_list(many.iter().copied()),
            }),
        }
    }

    /// "id (Title), ..." for error messages, cut short after a few.
    fn name_list(&self, docs: impl Iterator<Item = usize>) -> String {
        const SHOWN: usize = 10;
        let docs: Vec<usize> = docs.collect();
        let mut list: Vec<String> = docs
            .iter()
            .take(SHOWN)
            .map(|&d| format!("{} ({})", self.posts[d].id, self.posts[d].title))
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
                // A phrase's words one by one: the matcher meets them in a row.
                for word in g.alternatives.iter().flat_map(|(t, _)| index::words_of(t)) {
                    if self.index.knows(&searcher, word) {
                        vocabulary.intern(word);
                    }
                }
            }
            Matcher::new(groups, &vocabulary)
        };
        let hits =
            retrieve::rank_sentences(&self.index, &searcher, groups, &matcher, only, |at| {
                Ok(self.served(at)?.analysis.clone())
            })?;
        Ok((hits, matcher))
    }

    /// Passage `at`, read from the index and analysed on first use.
    fn served(&self, at: PassageRef) -> Result<Arc<ServedPassage>> {
        let number = self.index.number(at);
        let cache = || self.served.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(passage) = cache().get(&number) {
            return Ok(passage.clone());
        }
        // Read and analyse without the cache's lock, so questions running at the same time
        // wait only for the look-up; two may analyse the same passage, alike.
        let stored = self.index.passage(&self.index.searcher(), at)?;
        let heading = index::heading_text(
            &self.posts[at.doc].title,
            stored.section.as_deref(),
            &stored.columns,
        );
        let mut analysis = PassageAnalysis {
            sentences: stored
                .sentences
                .iter()
                .map(|r| {
                    let mut terms = analysis::terms(stored.slice(r.clone()));
                    for t in &mut terms {
                        t.range = t.range.start + r.start..t.range.end + r.start;
                    }
                    terms
                })
                .collect(),
            heading: analysis::terms(&heading),
        };
        {
            // Number the terms under the vocabulary's lock, after analysing.
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
        }
        let passage = Arc::new(ServedPassage {
            parsed: stored.sentences.iter().map(|_| OnceLock::new()).collect(),
            stored,
            analysis: Arc::new(analysis),
        });
        cache().put(number, passage.clone());
        Ok(passage)
    }

    fn sentence_range(&self, hit: &SentenceHit) -> Result<Range<usize>> {
        Ok(self.served(hit.at)?.stored.sentences[hit.sentence].clone())
    }

    /// A sentence's terms with ranges relative to the sentence start.
    fn relative_terms(&self, hit: &SentenceHit, base: usize) -> Result<Vec<Term>> {
        Ok(self.served(hit.at)?.analysis.sentences[hit.sentence]
            .iter()
            .map(|t| Term {
                range: t.range.start - base..t.range.end - base,
                ..t.clone()
            })
            .collect())
    }

    /// The first self-introduction ("Jimmy here", "I'm Ann") in the opening paragraphs of the
    /// posts, taken in the given order.
    fn author_introduction(&self, order: &[usize]) -> Result<Option<(Found, String)>> {
        // Read straight from the index: this looks at many posts' opening passages, which
        // would crowd the cache of passages questions are answered from.
        let searcher = self.index.searcher();
        for &d in order {
            for p in 0..self.posts[d].passages.min(2) {
                let at = PassageRef { doc: d, passage: p };
                let passage = self.index.passage(&searcher, at)?;
                for (s, range) in passage.sentences.iter().enumerate().take(3) {
                    let text = passage.slice(range.clone());
                    let Some(found) = rules::self_introduction(text) else {
                        continue;
                    };
                    let name = text[found.clone()].to_string();
                    let span = range.start + found.start..range.start + found.end;
                    let hit = SentenceHit {
                        at,
                        sentence: s,
                        score: 1.0,
                        coverage: 1.0,
                        matched: Vec::new(),
                    };
                    let found = Found {
                        hit,
                        range: range.clone(),
                        span,
                    };
                    return Ok(Some((found, name)));
                }
            }
        }
        Ok(None)
    }

    /// Further citations: the best sentence of each other passage, best first.
    fn citations(
        &self,
        hits: &[SentenceHit],
        skip: Option<PassageRef>,
        matcher: &Matcher,
        limit: usize,
    ) -> Result<Vec<Citation>> {
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
            out.push(self.citation(hit, self.sentence_range(hit)?, None, matcher)?);
        }
        Ok(out)
    }

    /// Cites `range` of the hit's post, highlighting the words that matched the question.
    fn citation(
        &self,
        hit: &SentenceHit,
        range: Range<usize>,
        answer: Option<Range<usize>>,
        matcher: &Matcher,
    ) -> Result<Citation> {
        let post = &self.posts[hit.at.doc];
        let passage = self.served(hit.at)?;
        let mut highlight_ranges: Vec<Range<usize>> = Vec::new();
        for terms in &passage.analysis.sentences {
            let phrase_words = matcher.phrase_words(terms);
            for (k, t) in terms.iter().enumerate() {
                if t.range.start < range.start || t.range.end > range.end {
                    continue;
                }
                let matched = matcher.hits(t) || phrase_words.iter().any(|(word, _, _)| *word == k);
                let relative = t.range.start - range.start..t.range.end - range.start;
                if matched
                    && !highlight_ranges
                        .iter()
                        .any(|r| r.start < relative.end && relative.start < r.end)
                {
                    highlight_ranges.push(relative);
                }
            }
        }
        highlight_ranges.sort_by_key(|r| r.start);
        let highlight_ranges = joined_where_touching(highlight_ranges);
        let text = passage.stored.slice(range.clone()).to_string();
        let mut highlights: Vec<String> = Vec::new();
        for r in &highlight_ranges {
            let word = text[r.clone()].to_string();
            if !highlights.contains(&word) {
                highlights.push(word);
            }
        }
        Ok(Citation {
            document: post.id.clone(),
            title: post.title.clone(),
            section: passage.stored.section.clone(),
            paragraph: passage.stored.paragraph,
            text,
            start: range.start,
            end: range.end,
            highlights,
            score: hit.score,
            url: post.url.clone(),
            highlight_ranges,
            answer_range: answer.map(|a| a.start - range.start..a.end - range.start),
            columns: passage.stored.columns.clone(),
        })
    }
}
