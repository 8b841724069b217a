//! The tantivy index over all passages: one tantivy document per paragraph, with the post's title
//! and the section heading in a second field, analysed by [`crate::analysis`]. It answers three
//! things: which passages match weighted terms best (BM25), how rare a term is, and which indexed
//! terms are spelled close to an unknown word.

use tantivy::collector::{FilterCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{PreTokenizedString, Token};
use tantivy::{Index, IndexReader, Searcher, TantivyDocument, Term};

use crate::analysis;
use crate::error::Result;

/// Where a passage lives: its post and its position in that post's passages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassageRef {
    /// Index into the engine's documents.
    pub doc: usize,
    /// Index into that document's passages.
    pub passage: usize,
}

/// One passage ready for indexing: its analysed body and headings (title and section).
pub struct AnalysedPassage {
    /// Where the passage lives.
    pub at: PassageRef,
    /// The passage text and its terms.
    pub body: PreTokenizedString,
    /// The post title and section heading and their terms.
    pub heading: PreTokenizedString,
}

impl AnalysedPassage {
    /// Builds the tantivy form of analysed text.
    pub fn tokens(text: String, terms: &[analysis::Term]) -> PreTokenizedString {
        let tokens = terms
            .iter()
            .map(|t| Token {
                offset_from: t.range.start,
                offset_to: t.range.end,
                position: t.position,
                text: t.text.clone(),
                position_length: 1,
            })
            .collect();
        PreTokenizedString { text, tokens }
    }
}

/// The in-memory tantivy index and the fields citebot uses.
pub struct SearchIndex {
    reader: IndexReader,
    body: Field,
    heading: Field,
    passages: Vec<PassageRef>,
    /// The passage-number column of each segment, opened once: the index never changes.
    ords: Vec<Column<u64>>,
}

/// Weight of a match in the title or section heading relative to one in the body.
const HEADING_BOOST: f32 = 0.3;
/// The fast field holding each tantivy document's passage number.
const ORD_FIELD: &str = "ord";
/// Memory budget of the single indexing thread.
const WRITER_MEMORY: usize = 15_000_000;

impl SearchIndex {
    /// Indexes passages whose text the caller has already analysed (so that the engine analyses
    /// each sentence once, for tantivy and for its own sentence ranking alike).
    pub fn build(passages: Vec<AnalysedPassage>) -> Result<SearchIndex> {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(analysis::ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let text = TextOptions::default().set_indexing_options(indexing);
        let mut builder = Schema::builder();
        let body = builder.add_text_field("body", text.clone());
        let heading = builder.add_text_field("heading", text);
        let ord = builder.add_u64_field(ORD_FIELD, NumericOptions::default().set_fast());
        let index = Index::create_in_ram(builder.build());
        index
            .tokenizers()
            .register(analysis::ANALYZER, analysis::analyzer());

        let mut writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        let mut refs = Vec::with_capacity(passages.len());
        for passage in passages {
            let mut tdoc = TantivyDocument::default();
            tdoc.add_pre_tokenized_text(body, passage.body);
            tdoc.add_pre_tokenized_text(heading, passage.heading);
            tdoc.add_u64(ord, refs.len() as u64);
            writer.add_document(tdoc)?;
            refs.push(passage.at);
        }
        writer.commit()?;
        let reader = index.reader()?;
        let ords = reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64(ORD_FIELD))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(SearchIndex {
            reader,
            ords,
            body,
            heading,
            passages: refs,
        })
    }

    /// How many passages are indexed.
    pub fn len(&self) -> usize {
        self.passages.len()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.passages.is_empty()
    }

    /// A consistent view of the index for one question.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// In how many passages the analysed term occurs.
    pub fn doc_freq(&self, searcher: &Searcher, term: &str) -> u64 {
        searcher
            .doc_freq(&Term::from_field_text(self.body, term))
            .unwrap_or(0)
    }

    /// Inverse document frequency of a term, as BM25 computes it.
    pub fn idf(&self, searcher: &Searcher, term: &str) -> f32 {
        let n = self.len() as f32;
        let df = self.doc_freq(searcher, term) as f32;
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
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (term, weight) in terms {
            for (field, boost) in [(self.body, 1.0), (self.heading, HEADING_BOOST)] {
                let query = TermQuery::new(
                    Term::from_field_text(field, term),
                    IndexRecordOption::WithFreqs,
                );
                clauses.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(query), weight * boost)),
                ));
            }
        }
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        let query = BooleanQuery::new(clauses);
        let top = TopDocs::with_limit(limit).order_by_score();
        let hits = match only {
            None => searcher.search(&query, &top)?,
            Some(doc) => {
                // A document's passages are indexed one after another, so their numbers form
                // one range.
                let first = self.passages.iter().position(|p| p.doc == doc).unwrap_or(0);
                let count = self.passages[first..]
                    .iter()
                    .take_while(|p| p.doc == doc)
                    .count();
                let range = first as u64..(first + count) as u64;
                let filtered = FilterCollector::new(
                    ORD_FIELD.to_string(),
                    move |ord: u64| range.contains(&ord),
                    top,
                );
                searcher.search(&query, &filtered)?
            }
        };
        let mut out = Vec::with_capacity(hits.len());
        for (score, address) in hits {
            let ord = self.ords[address.segment_ord as usize]
                .first(address.doc_id)
                .unwrap_or_default() as usize;
            out.push((self.passages[ord], score));
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
        let query = FuzzyTermQuery::new(Term::from_field_text(self.body, term), distance, true);
        let mut found: Vec<(String, u64)> = Vec::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(self.body)?;
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
mod tests {
    use super::*;

    fn index(paragraphs: &[&str]) -> SearchIndex {
        let passages = paragraphs
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let terms = analysis::terms(p);
                AnalysedPassage {
                    at: PassageRef { doc: 0, passage: i },
                    body: AnalysedPassage::tokens(p.to_string(), &terms),
                    heading: AnalysedPassage::tokens(String::new(), &[]),
                }
            })
            .collect();
        SearchIndex::build(passages).unwrap()
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
    fn close_terms_find_misspellings() {
        let index = index(&["the agreement was signed"]);
        let searcher = index.searcher();
        assert_eq!(
            index.close_terms(&searcher, "agreemnt", 1).unwrap(),
            ["agreement"]
        );
    }
}
