//! The tantivy index over all passages: one tantivy document per paragraph, with the post's title
//! and the section heading in a second field, analysed by [`crate::analysis`]. It lives in RAM or
//! in a directory (see [`crate::store`]); each tantivy document carries its post's key and its
//! passage number, so an index on disk can be bound to the posts listed in its manifest, and
//! stores the passage itself (its text, section, paragraph, sentence ranges and a table row's
//! column names), so that serving
//! an up-to-date index never reads the posts. It answers four things: which passages match
//! weighted terms best (BM25), how rare a term is, which indexed terms are spelled close to an
//! unknown word, and what a passage says.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use lru::LruCache;

use tantivy::collector::{Count, FilterCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{
    BytesOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
    Value, STORED,
};
use tantivy::tokenizer::{PreTokenizedString, Token};
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::analysis;
use crate::error::Result;
use crate::ingest::Document;
use crate::posts::Post;
use crate::progress::{LogProgress, Progress, Stage};

/// Where a passage lives: its post and its position in that post's passages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PassageRef {
    /// Index into the engine's documents.
    pub doc: usize,
    /// Index into that document's passages.
    pub passage: usize,
}

/// One passage ready for indexing: its analysed body and headings (title and section).
pub struct AnalysedPassage {
    /// The key of the passage's post ([`post_key`]).
    pub post: u64,
    /// Index into that post's passages.
    pub passage: usize,
    /// The passage text and its terms.
    pub body: PreTokenizedString,
    /// The post title and section heading and their terms.
    pub heading: PreTokenizedString,
    /// The passage as it is stored for citing.
    pub stored: StoredPassage,
}

/// A passage as the index stores it: everything citing it and answering from it needs, so an
/// engine serving an index on disk never reads the posts. Offsets are byte offsets in the post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPassage {
    /// The heading this paragraph sits under, if any.
    pub section: Option<String>,
    /// 1-based paragraph number within the post.
    pub paragraph: usize,
    /// Byte range of the paragraph in the post.
    pub range: Range<usize>,
    /// Byte ranges of its sentences in the post.
    pub sentences: Vec<Range<usize>>,
    /// The paragraph's text: bytes `range` of the post.
    pub text: String,
    /// For a table row, the names of the columns its text spans ([`crate::ingest::Passage::columns`]).
    pub columns: Vec<String>,
}

impl StoredPassage {
    /// Passage `p` of `doc`.
    pub fn of(doc: &Document, p: usize) -> StoredPassage {
        let passage = &doc.passages[p];
        StoredPassage {
            section: passage.section.clone(),
            paragraph: passage.paragraph,
            range: passage.range.clone(),
            sentences: passage.sentences.clone(),
            text: doc.source[passage.range.clone()].to_string(),
            columns: passage.columns.clone(),
        }
    }

    /// The text of `range` of the post, which lies within this passage.
    pub fn slice(&self, range: Range<usize>) -> &str {
        &self.text[range.start - self.range.start..range.end - self.range.start]
    }

    /// The paragraph number, the range and the sentence ranges, as stored: little-endian u64s.
    fn layout(&self) -> Vec<u8> {
        let mut numbers = vec![self.paragraph, self.range.start, self.range.end];
        for r in &self.sentences {
            numbers.extend([r.start, r.end]);
        }
        numbers
            .iter()
            .flat_map(|n| (*n as u64).to_le_bytes())
            .collect()
    }

    /// A table row's column names as stored: one per line (a name holds no line break).
    fn columns_field(&self) -> Option<String> {
        (!self.columns.is_empty()).then(|| self.columns.join(COLUMN_SEPARATOR))
    }

    /// Reads a stored passage back; `None` when its fields do not fit together (a corrupt index).
    fn read(
        section: Option<String>,
        columns: Option<String>,
        layout: &[u8],
        text: String,
    ) -> Option<StoredPassage> {
        if !layout.len().is_multiple_of(8)
            || layout.len() < 24
            || (layout.len() / 8).is_multiple_of(2)
        {
            return None;
        }
        let numbers: Vec<usize> = layout
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("eight bytes")) as usize)
            .collect();
        let range = numbers[1]..numbers[2];
        let sentences: Vec<Range<usize>> = numbers[3..].chunks(2).map(|c| c[0]..c[1]).collect();
        let inside = |r: &Range<usize>| {
            r.start <= r.end
                && r.start >= range.start
                && r.end <= range.end
                && text.is_char_boundary(r.start - range.start)
                && text.is_char_boundary(r.end - range.start)
        };
        let fits =
            range.end.checked_sub(range.start) == Some(text.len()) && sentences.iter().all(inside);
        fits.then_some(StoredPassage {
            section,
            paragraph: numbers[0],
            range,
            sentences,
            text,
            columns: columns.map_or_else(Vec::new, |c| {
                c.split(COLUMN_SEPARATOR).map(str::to_string).collect()
            }),
        })
    }
}

/// Separates a table row's column names in the stored field.
const COLUMN_SEPARATOR: &str = "\n";

/// Positions left empty between sentences in the index, so that phrases never span two sentences.
const SENTENCE_GAP: usize = 10;

impl AnalysedPassage {
    /// Analyses passage `p` of `doc`: the body with positions running on across sentences, and the
    /// title and section heading.
    pub fn of(doc: &Document, p: usize) -> AnalysedPassage {
        let passage = &doc.passages[p];
        let mut body = Vec::new();
        let mut next_position = 0;
        for r in &passage.sentences {
            let base = next_position;
            for t in analysis::terms(&doc.source[r.clone()]) {
                let shift = r.start - passage.range.start;
                next_position = next_position.max(base + t.position + 1);
                body.push(analysis::Term {
                    range: t.range.start + shift..t.range.end + shift,
                    position: base + t.position,
                    ..t
                });
            }
            next_position += SENTENCE_GAP;
        }
        let heading = heading_text(&doc.title, passage.section.as_deref(), &passage.columns);
        let heading_terms = analysis::terms(&heading);
        AnalysedPassage {
            post: post_key(&doc.id),
            passage: p,
            body: AnalysedPassage::tokens(doc.source[passage.range.clone()].to_string(), &body),
            heading: AnalysedPassage::tokens(heading, &heading_terms),
            stored: StoredPassage::of(doc, p),
        }
    }

    /// Builds the tantivy form of analysed text.
    pub fn tokens(text: String, terms: &[analysis::Term]) -> PreTokenizedString {
        let tokens = terms
            .iter()
            .map(|t| Token {
                offset_from: t.range.start,
                offset_to: t.range.end,
                position: t.position,
                text: t.text.to_string(),
                position_length: 1,
            })
            .collect();
        PreTokenizedString { text, tokens }
    }
}

/// The heading text of a passage: the post title, the section and, for a table row, the names
/// of its columns, one per line. A column's name is searched like a heading: the row says what
/// it names ("Points") only through it.
pub fn heading_text(title: &str, section: Option<&str>, columns: &[String]) -> String {
    let mut text = format!("{title}\n{}", section.unwrap_or(""));
    for column in columns {
        text.push('\n');
        text.push_str(column);
    }
    text
}

/// The passages of `docs`, analysed for indexing one after the other, each counted done in
/// `progress` as it is analysed.
pub fn analysed<'a>(
    docs: impl IntoIterator<Item = &'a Document> + 'a,
    progress: &'a dyn Progress,
) -> impl Iterator<Item = AnalysedPassage> + 'a {
    docs.into_iter()
        .flat_map(|d| (0..d.passages.len()).map(move |p| AnalysedPassage::of(d, p)))
        .inspect(|_| progress.advance())
}

/// A post's key in the index: a hash of its identifier (its file name in the posts folder).
pub fn post_key(id: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(id.as_bytes())
}

/// The fields of the index schema.
#[derive(Clone, Copy)]
struct Fields {
    body: Field,
    heading: Field,
    post: Field,
    passage: Field,
    text: Field,
    section: Field,
    columns: Field,
    table_row: Field,
    layout: Field,
}

/// Name of the field holding the post key (indexed, to delete a post's passages; fast, to map a
/// hit back to its post).
const POST_FIELD: &str = "post";
/// Name of the indexed field that marks a table row (1), so that its rows can be searched alone.
const TABLE_ROW_FIELD: &str = "table_row";
/// Name of the fast field holding the passage number within its post.
const PASSAGE_FIELD: &str = "passage";
/// Memory budget of the single indexing thread.
const WRITER_MEMORY: usize = 50_000_000;

/// Separates the words of a phrase in a search term: analysed words never hold a space, so a
/// search term with one is a phrase, met only by its words in a row.
pub const PHRASE_SEPARATOR: char = ' ';

/// The search term for the analysed words `words` in a row.
pub fn phrase(words: &[String]) -> String {
    words.join(&PHRASE_SEPARATOR.to_string())
}

/// The analysed words of a search term: the term itself, or a [phrase](phrase)'s words.
pub fn words_of(term: &str) -> impl Iterator<Item = &str> {
    term.split(PHRASE_SEPARATOR)
}

/// The query for a search term in `field`: the term, or a [phrase](phrase)'s words in a row.
fn search_query(field: Field, term: &str) -> Box<dyn Query> {
    if term.contains(PHRASE_SEPARATOR) {
        let words = words_of(term)
            .map(|w| Term::from_field_text(field, w))
            .collect();
        Box::new(PhraseQuery::new(words))
    } else {
        Box::new(TermQuery::new(
            Term::from_field_text(field, term),
            IndexRecordOption::WithFreqs,
        ))
    }
}

fn schema() -> Schema {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analysis::ANALYZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let text = TextOptions::default().set_indexing_options(indexing);
    let mut builder = Schema::builder();
    builder.add_text_field("body", text.clone());
    builder.add_text_field("heading", text);
    builder.add_u64_field(
        POST_FIELD,
        NumericOptions::default().set_fast().set_indexed(),
    );
    builder.add_u64_field(PASSAGE_FIELD, NumericOptions::default().set_fast());
    builder.add_text_field("text", STORED);
    builder.add_text_field("section", STORED);
    builder.add_text_field("columns", STORED);
    builder.add_u64_field(TABLE_ROW_FIELD, NumericOptions::default().set_indexed());
    builder.add_bytes_field("layout", BytesOptions::default().set_stored());
    builder.build()
}

/// The fields of an index's schema; an index of another shape is an error (treated as corrupt).
fn fields(index: &Index) -> Result<Fields> {
    let schema = index.schema();
    if schema != self::schema() {
        return Err(tantivy::TantivyError::SchemaError(
            "the index has another schema than this version of citebot writes".into(),
        )
        .into());
    }
    let field = |name: &str| schema.get_field(name).map_err(crate::Error::from);
    Ok(Fields {
        body: field("body")?,
        heading: field("heading")?,
        post: field(POST_FIELD)?,
        passage: field(PASSAGE_FIELD)?,
        text: field("text")?,
        section: field("section")?,
        columns: field("columns")?,
        table_row: field(TABLE_ROW_FIELD)?,
        layout: field("layout")?,
    })
}

fn with_analyzer(index: Index) -> Index {
    index
        .tokenizers()
        .register(analysis::ANALYZER, analysis::analyzer());
    index
}

/// A new, empty index in RAM.
pub fn create_in_ram() -> Index {
    with_analyzer(Index::create_in_ram(schema()))
}

/// A new, empty index in `dir`, which must exist and be empty.
pub fn create_in_dir(dir: &Path) -> Result<Index> {
    Ok(with_analyzer(Index::create_in_dir(dir, schema())?))
}

/// Opens the index in `dir`, checking its schema and the checksums of all its files.
pub fn open_in_dir(dir: &Path) -> Result<Index> {
    checked(with_analyzer(Index::open_in_dir(dir)?))
}

/// Opens the index in `dir`, which this process cannot write, as [`open_in_dir`] does. The caller
/// makes sure nobody changes the files while they are opened (see [`ReadOnlyDirectory`]).
pub fn open_in_dir_read_only(dir: &Path) -> Result<Index> {
    let directory =
        ReadOnlyDirectory(MmapDirectory::open(dir).map_err(tantivy::TantivyError::from)?);
    checked(with_analyzer(Index::open(directory)?))
}

/// `index`, once its schema and the checksums of all its files are found right.
fn checked(index: Index) -> Result<Index> {
    fields(&index)?;
    let corrupt = index.validate_checksum()?;
    if let Some(file) = corrupt.iter().next() {
        return Err(tantivy::TantivyError::InternalError(format!(
            "{} index file(s) fail their checksum, e.g. `{}`",
            corrupt.len(),
            file.display()
        ))
        .into());
    }
    Ok(index)
}

/// Removes every passage of the posts keyed `remove`, adds `add`, and commits; readers opened
/// before see the index as it was.
pub fn write(
    index: &Index,
    remove: &[u64],
    add: impl IntoIterator<Item = AnalysedPassage>,
) -> Result<()> {
    let fields = fields(index)?;
    let mut writer: tantivy::IndexWriter = index.writer_with_num_threads(1, WRITER_MEMORY)?;
    for &key in remove {
        writer.delete_term(Term::from_field_u64(fields.post, key));
    }
    for passage in add {
        let mut tdoc = TantivyDocument::default();
        tdoc.add_pre_tokenized_text(fields.body, passage.body);
        tdoc.add_pre_tokenized_text(fields.heading, passage.heading);
        tdoc.add_u64(fields.post, passage.post);
        tdoc.add_u64(fields.passage, passage.passage as u64);
        tdoc.add_bytes(fields.layout, &passage.stored.layout());
        if let Some(section) = &passage.stored.section {
            tdoc.add_text(fields.section, section);
        }
        if let Some(columns) = passage.stored.columns_field() {
            tdoc.add_text(fields.columns, columns);
            tdoc.add_u64(fields.table_row, 1);
        }
        tdoc.add_text(fields.text, passage.stored.text);
        writer.add_document(tdoc)?;
    }
    writer.commit()?;
    // Fewer segments make searches faster; let the merges started by the commit finish.
    writer.wait_merging_threads()?;
    Ok(())
}

/// A tantivy index bound to the engine's posts, and the fields citebot uses.
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    /// Post key to index into the engine's posts.
    posts: HashMap<u64, usize>,
    /// Each post's key, by its index into the engine's posts.
    keys: Vec<u64>,
    /// The post-key and passage-number columns of each segment, opened once: the reader never
    /// reloads, so the segments never change.
    columns: Vec<(Column<u64>, Column<u64>)>,
    /// Where each passage is stored, by global passage number (posts in order, then passages).
    addresses: Vec<DocAddress>,
    /// The global number of each post's first passage.
    first_passage: Vec<usize>,
    /// How many passages the reader sees.
    len: usize,
    /// How many passages hold each phrase looked up lately (see [`CACHED_PHRASES`]).
    phrase_passages: Mutex<LruCache<String, u64>>,
    /// The indexed terms found lately for words the posts never use (see [`CACHED_CORRECTIONS`]).
    corrections: Mutex<LruCache<String, Vec<String>>>,
}

/// How many phrases' passage counts an index keeps. A phrase has no posting list of its own, so
/// its count walks the positions of every passage holding its words: milliseconds for "united
/// states" in 100,000 passages, about half the time of the slowest questions there. The same
/// few phrases come back in a community's questions, and the reader never reloads, so a count
/// never goes stale.
const CACHED_PHRASES: usize = 1024;

/// How many misspelt or unknown words' corrections an index keeps. Finding them analyses the
/// hundreds of words one edit from the word, a tenth of a millisecond or more; the same few words
/// the posts never use ("between", "author" in a short post) come back in a community's
/// questions, and the reader never reloads, so a correction never goes stale.
const CACHED_CORRECTIONS: usize = 1024;

/// The value `cache` holds for `key`, or the one `find` gives, held from now on. The lock is not
/// held while `find` runs, so questions running at the same time wait only for the look-up.
fn remembered<V: Clone>(
    cache: &Mutex<LruCache<String, V>>,
    key: &str,
    find: impl FnOnce() -> V,
) -> V {
    let cache = || cache.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(value) = cache().get(key) {
        return value.clone();
    }
    let value = find();
    cache().put(key.to_string(), value.clone());
    value
}

/// Weight of a match in the title or section heading relative to one in the body.
const HEADING_BOOST: f32 = 0.3;

impl SearchIndex {
    /// Binds `index` to `posts`, the posts it holds, checking that it holds every passage of
    /// each exactly once. The reader never reloads by itself: an engine keeps the view of the
    /// index it was built with, even when the index is rewritten for the next engine.
    pub fn new(index: &Index, posts: &[Post]) -> Result<SearchIndex> {
        let fields = fields(index)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        let columns = searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                let fast = segment.fast_fields();
                Ok((fast.u64(POST_FIELD)?, fast.u64(PASSAGE_FIELD)?))
            })
            .collect::<tantivy::Result<Vec<_>>>()?;
        let keys: Vec<u64> = posts.iter().map(|post| post_key(&post.id)).collect();
        let by_key: HashMap<u64, usize> =
            keys.iter().enumerate().map(|(d, &key)| (key, d)).collect();
        let mut first_passage = Vec::with_capacity(posts.len());
        let mut total = 0;
        for post in posts {
            first_passage.push(total);
            total += post.passages;
        }
        let unset = DocAddress::new(u32::MAX, u32::MAX);
        let mut addresses = vec![unset; total];
        let mismatch = |what: String| {
            tantivy::TantivyError::InternalError(format!(
                "the index does not hold the posts its manifest lists: {what}"
            ))
        };
        let mut len = 0;
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let (post_column, passage_column) = &columns[ord];
            for doc_id in segment.doc_ids_alive() {
                let key = post_column.first(doc_id);
                let passage = passage_column.first(doc_id);
                // A passage of a post the engine does not hold (left by an interrupted update of
                // an index on disk) is never cited.
                let (Some(&d), Some(passage)) = (key.and_then(|k| by_key.get(&k)), passage) else {
                    continue;
                };
                let passage = passage as usize;
                if passage >= posts[d].passages {
                    return Err(
                        mismatch(format!("`{}` has no passage {passage}", posts[d].id)).into(),
                    );
                }
                let slot = &mut addresses[first_passage[d] + passage];
                if *slot != unset {
                    return Err(mismatch(format!(
                        "passage {passage} of `{}` is indexed twice",
                        posts[d].id
                    ))
                    .into());
                }
                *slot = DocAddress::new(ord as u32, doc_id);
                len += 1;
            }
        }
        if len != total {
            return Err(mismatch(format!("{len} of {total} passages are indexed")).into());
        }
        Ok(SearchIndex {
            reader,
            fields,
            posts: by_key,
            keys,
            columns,
            addresses,
            first_passage,
            len,
            phrase_passages: Mutex::new(LruCache::new(
                NonZeroUsize::new(CACHED_PHRASES).expect("a cache holds phrases"),
            )),
            corrections: Mutex::new(LruCache::new(
                NonZeroUsize::new(CACHED_CORRECTIONS).expect("a cache holds corrections"),
            )),
        })
    }

    /// Indexes `docs` in RAM.
    pub fn build(docs: &[Document]) -> Result<SearchIndex> {
        SearchIndex::build_with(docs, &LogProgress::default())
    }

    /// Indexes `docs` in RAM, reporting each passage to `progress`.
    pub fn build_with(docs: &[Document], progress: &dyn Progress) -> Result<SearchIndex> {
        let index = create_in_ram();
        progress.start(Stage::Indexing, docs.iter().map(|d| d.passages.len()).sum());
        write(&index, &[], analysed(docs, progress))?;
        progress.finish();
        let posts: Vec<Post> = docs.iter().map(Post::of).collect();
        SearchIndex::new(&index, &posts)
    }

    /// The global number of a passage: its place among all passages, posts in order.
    pub fn number(&self, at: PassageRef) -> usize {
        self.first_passage[at.doc] + at.passage
    }

    /// Passage `at` as stored: its text, section, paragraph and sentences.
    pub fn passage(&self, searcher: &Searcher, at: PassageRef) -> Result<StoredPassage> {
        let address = self.addresses[self.number(at)];
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let layout = doc.get_first(self.fields.layout).and_then(|v| v.as_bytes());
        let stored = match (text(self.fields.text), layout) {
            (Some(body), Some(layout)) => {
                let columns = text(self.fields.columns);
                StoredPassage::read(text(self.fields.section), columns, layout, body)
            }
            _ => None,
        };
        stored.ok_or_else(|| {
            tantivy::TantivyError::InternalError(format!(
                "passage {} of post {} is stored incomplete",
                at.passage, at.doc
            ))
            .into()
        })
    }

    /// How many passages are indexed.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// A consistent view of the index for one question.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// In how many passages the analysed term (or [phrase](phrase)) occurs.
    pub fn doc_freq(&self, searcher: &Searcher, term: &str) -> u64 {
        if term.contains(PHRASE_SEPARATOR) {
            // A phrase has no entry of its own: its passages are counted.
            return remembered(&self.phrase_passages, term, || {
                let query = search_query(self.fields.body, term);
                searcher.search(&*query, &Count).map_or(0, |n| n as u64)
            });
        }
        searcher
            .doc_freq(&Term::from_field_text(self.fields.body, term))
            .unwrap_or(0)
    }

    /// The corrections remembered for the unknown word `key` (as retrieval spells it), or those
    /// `find` gives, remembered from now on.
    pub fn corrections(&self, key: &str, find: impl FnOnce() -> Vec<String>) -> Vec<String> {
        remembered(&self.corrections, key, find)
    }

    /// Whether any passage has the analysed term in its body or its headings.
    pub fn knows(&self, searcher: &Searcher, term: &str) -> bool {
        [self.fields.body, self.fields.heading]
            .into_iter()
            .any(|field| {
                searcher
                    .doc_freq(&Term::from_field_text(field, term))
                    .is_ok_and(|n| n > 0)
            })
    }

    /// Inverse document frequency of a term, as BM25 computes it.
    pub fn idf(&self, searcher: &Searcher, term: &str) -> f32 {
        self.idf_of(self.doc_freq(searcher, term))
    }

    /// Inverse document frequency, as BM25 computes it, of a term in `passages` passages.
    pub fn idf_of(&self, passages: u64) -> f32 {
        let n = self.len() as f32;
        let df = passages as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The passages that best match the weighted terms, best first, with their BM25 scores;
    /// with `only`, just the passages of that document (by its number).
    pub fn top_passages(
        &self,
        searcher: &Searcher,
        terms: &[(String, f32)],
        limit: usize,
        only: Option<usize>,
    ) -> Result<Vec<(PassageRef, f32)>> {
        self.top(searcher, terms, limit, only, false)
    }

    /// The table rows that match `terms` best, as [`SearchIndex::top_passages`]: a question about
    /// a whole table looks for its rows alone, and a corpus without tables answers at once.
    pub fn top_table_rows(
        &self,
        searcher: &Searcher,
        terms: &[(String, f32)],
        limit: usize,
        only: Option<usize>,
    ) -> Result<Vec<(PassageRef, f32)>> {
        self.top(searcher, terms, limit, only, true)
    }

    /// The passages (or, with `rows`, the table rows) that match `terms` best.
    fn top(
        &self,
        searcher: &Searcher,
        terms: &[(String, f32)],
        limit: usize,
        only: Option<usize>,
        rows: bool,
    ) -> Result<Vec<(PassageRef, f32)>> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (term, weight) in terms {
            for (field, boost) in [
                (self.fields.body, 1.0),
                (self.fields.heading, HEADING_BOOST),
            ] {
                let query = search_query(field, term);
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(query, weight * boost)),
                ));
            }
        }
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        let mut query = BooleanQuery::new(clauses);
        if rows {
            let row = TermQuery::new(
                Term::from_field_u64(self.fields.table_row, 1),
                IndexRecordOption::Basic,
            );
            query = BooleanQuery::new(vec![
                (Occur::Must, Box::new(query) as Box<dyn Query>),
                (Occur::Must, Box::new(row)),
            ]);
        }
        let top = TopDocs::with_limit(limit).order_by_score();
        let hits = match only {
            None => searcher.search(&query, &top)?,
            Some(doc) => {
                let key = self.keys[doc];
                let filtered =
                    FilterCollector::new(POST_FIELD.to_string(), move |k: u64| k == key, top);
                searcher.search(&query, &filtered)?
            }
        };
        let mut out = Vec::with_capacity(hits.len());
        for (score, address) in hits {
            let (posts, passages) = &self.columns[address.segment_ord as usize];
            let post = posts.first(address.doc_id);
            let passage = passages.first(address.doc_id);
            // A passage of a post the engine does not hold (left by an interrupted update of an
            // index on disk) is never cited.
            if let (Some(&doc), Some(passage)) = (post.and_then(|k| self.posts.get(&k)), passage) {
                out.push((
                    PassageRef {
                        doc,
                        passage: passage as usize,
                    },
                    score,
                ));
            }
        }
        Ok(out)
    }

    /// Indexed terms within `distance` edits of `term` (transpositions count as one edit),
    /// most frequent first.
    pub fn close_terms(
        &self,
        searcher: &Searcher,
        term: &str,
        distance: u8,
    ) -> Result<Vec<String>> {
        let query = FuzzyTermQuery::new(
            Term::from_field_text(self.fields.body, term),
            distance,
            true,
        );
        let mut found: Vec<(String, u64)> = Vec::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.body)?;
            let mut stream = inverted
                .terms()
                .search(query.automaton()?)
                .into_stream()
                .map_err(tantivy::TantivyError::from)?;
            while stream.advance() {
                if let Ok(text) = std::str::from_utf8(stream.key()) {
                    if text != term && !found.iter().any(|(t, _)| t == text) {
                        found.push((text.to_string(), stream.value().doc_freq as u64));
                    }
                }
            }
        }
        found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(found.into_iter().map(|(t, _)| t).collect())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ingest::Passage;

    /// A one-post index of `paragraphs`, one sentence each; shared with the retrieval tests.
    pub(crate) fn index(paragraphs: &[&str]) -> SearchIndex {
        let source = paragraphs.join("\n");
        let mut passages = Vec::new();
        let mut start = 0;
        for (i, p) in paragraphs.iter().enumerate() {
            passages.push(Passage {
                section: None,
                paragraph: i + 1,
                range: start..start + p.len(),
                sentences: std::iter::once(start..start + p.len()).collect(),
                columns: Vec::new(),
            });
            start += p.len() + 1;
        }
        let doc = Document {
            id: "a.txt".into(),
            title: String::new(),
            url: None,
            author: None,
            date: None,
            source,
            passages,
        };
        SearchIndex::build(&[doc]).unwrap()
    }

    #[test]
    fn finds_the_passage_with_the_rare_term() {
        let index = index(&["bees make honey", "wasps make nothing", "ants make hills"]);
        let searcher = index.searcher();
        let hits = index
            .top_passages(
                &searcher,
                &[("wasp".into(), 1.0), ("make".into(), 1.0)],
                3,
                None,
            )
            .unwrap();
        assert_eq!(hits[0].0, PassageRef { doc: 0, passage: 1 });
        assert!(index.idf(&searcher, "wasp") > index.idf(&searcher, "make"));
    }

    #[test]
    fn a_stored_passage_reads_back_as_written_and_a_layout_that_does_not_fit_is_refused() {
        let stored = StoredPassage {
            section: Some("Trees".into()),
            paragraph: 3,
            range: 10..33,
            sentences: vec![10..21, 22..33],
            text: "Pears ñam. Apples too.".into(),
            columns: vec!["Fruit".into(), "Price per kg".into()],
        };
        let layout = stored.layout();
        let read = StoredPassage::read(
            stored.section.clone(),
            stored.columns_field(),
            &layout,
            stored.text.clone(),
        );
        assert_eq!(read.as_ref(), Some(&stored));
        assert_eq!(read.unwrap().slice(22..33), "Apples too.");
        // A text of another length, a sentence outside the passage or inside a character, a
        // truncated layout: a corrupt index, never a slice that panics later.
        let other = StoredPassage::read(None, None, &layout, "Pears.".into());
        assert_eq!(other, None);
        for sentences in [vec![10..21, 22..34], vec![10..17, 18..33]] {
            let bad = StoredPassage {
                sentences,
                ..stored.clone()
            };
            assert_eq!(
                StoredPassage::read(None, None, &bad.layout(), stored.text.clone()),
                None
            );
        }
        assert_eq!(
            StoredPassage::read(None, None, &layout[..20], stored.text.clone()),
            None
        );
    }

    #[test]
    fn an_index_bound_to_posts_it_does_not_hold_is_refused() {
        let index = index(&["bees make honey", "wasps make nothing"]);
        let searcher = index.searcher();
        let at = PassageRef { doc: 0, passage: 1 };
        assert_eq!(
            index.passage(&searcher, at).unwrap().text,
            "wasps make nothing"
        );
        let held = [Post {
            id: "a.txt".into(),
            title: String::new(),
            url: None,
            passages: 3,
            hash: 0,
        }];
        let err = SearchIndex::new(&index.reader.searcher().index().clone(), &held)
            .err()
            .expect("a post with a passage the index lacks");
        assert!(err.to_string().contains("2 of 3 passages"), "{err}");
    }

    #[test]
    fn corrections_are_found_once() {
        let index = index(&["the agreement was signed"]);
        let found = index.corrections("agreemnt", || vec!["agreement".to_string()]);
        assert_eq!(found, ["agreement"]);
        let again = index.corrections("agreemnt", || panic!("found again"));
        assert_eq!(again, ["agreement"]);
        assert!(index.corrections("signd", Vec::new).is_empty());
    }

    #[test]
    fn close_terms_find_misspellings() {
        let index = index(&["the agreement was signed"]);
        let searcher = index.searcher();
        assert_eq!(
            index.close_terms(&searcher, "agreemnt", 1).unwrap(),
            ["agreement"]
        );
    }
}

/// The folder of an index this process cannot write (a read-only file system or folder). tantivy
/// takes a lock file even to open a reader, which cannot be created there; here taking a lock
/// succeeds without one, and every write fails. That is safe because nothing changes the files
/// meanwhile: [`crate::store`] holds the shared side of its update lock while it opens the index,
/// or, where even that lock file is missing, nobody can write the folder.
#[derive(Debug, Clone)]
struct ReadOnlyDirectory(MmapDirectory);

/// The error of every write to a [`ReadOnlyDirectory`].
fn read_only() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::ReadOnlyFilesystem,
        "the index is opened read-only",
    )
}

impl Directory for ReadOnlyDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(read_only()),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(read_only()),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, _path: &Path, _data: &[u8]) -> std::io::Result<()> {
        Err(read_only())
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, _callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        Ok(WatchHandle::empty())
    }
}
