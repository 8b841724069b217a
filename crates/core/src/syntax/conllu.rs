//! Reads treebanks in the CoNLL-U format of Universal Dependencies: one word a line, ten
//! tab-separated columns, a blank line after each sentence. Only what training needs is kept:
//! each word's form, universal part-of-speech tag, head and relation (without its subtype, so
//! `nmod:poss` counts as `nmod`). Multiword-token lines (`3-4`) and empty nodes (`8.1`) are not
//! words and are passed over.

use std::path::Path;

use crate::error::{Error, Result};

/// One word of a treebank sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// The word as written.
    pub form: String,
    /// Universal part-of-speech tag ("NOUN", "VERB", ...).
    pub upos: String,
    /// Index of the head word in the sentence (0-based), or `None` for the root.
    pub head: Option<usize>,
    /// Universal relation to the head, without subtype ("nsubj", "obl", "root", ...).
    pub relation: String,
}

/// Reads every sentence of a CoNLL-U file.
pub fn read(path: &Path) -> Result<Vec<Vec<Word>>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text).map_err(|message| Error::TrainingData {
        path: path.to_path_buf(),
        message,
    })
}

/// Parses CoNLL-U text; the error names the line.
pub fn parse(text: &str) -> std::result::Result<Vec<Vec<Word>>, String> {
    let mut sentences = Vec::new();
    let mut sentence: Vec<Word> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            if !sentence.is_empty() {
                sentences.push(std::mem::take(&mut sentence));
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let columns: Vec<&str> = line.split('\t').collect();
        if columns.len() != 10 {
            return Err(format!(
                "line {}: {} columns, expected 10 (tab-separated)",
                n + 1,
                columns.len()
            ));
        }
        if columns[0].contains(['-', '.']) {
            continue;
        }
        let id: usize = columns[0]
            .parse()
            .map_err(|_| format!("line {}: word id `{}` is not a number", n + 1, columns[0]))?;
        if id != sentence.len() + 1 {
            return Err(format!(
                "line {}: word id {id} follows {}",
                n + 1,
                sentence.len()
            ));
        }
        let head: usize = columns[6]
            .parse()
            .map_err(|_| format!("line {}: head `{}` is not a number", n + 1, columns[6]))?;
        sentence.push(Word {
            form: columns[1].to_string(),
            upos: columns[3].to_string(),
            head: head.checked_sub(1),
            relation: columns[7]
                .split(':')
                .next()
                .unwrap_or(columns[7])
                .to_string(),
        });
    }
    if !sentence.is_empty() {
        sentences.push(sentence);
    }
    for (s, sentence) in sentences.iter().enumerate() {
        if let Some(w) = sentence
            .iter()
            .find(|w| w.head.is_some_and(|h| h >= sentence.len()))
        {
            return Err(format!(
                "sentence {}: the head of `{}` lies outside the sentence",
                s + 1,
                w.form
            ));
        }
    }
    Ok(sentences)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_words_skipping_comments_ranges_and_subtypes() {
        let text = "# text = It's red.\n\
                    1-2\tIt's\t_\t_\t_\t_\t_\t_\t_\t_\n\
                    1\tIt\tit\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n\
                    2\t's\tbe\tAUX\tVBZ\t_\t3\tcop\t_\t_\n\
                    3\tred\tred\tADJ\tJJ\t_\t0\troot\t_\t_\n\
                    4\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\
                    \n\
                    1\tGo\tgo\tVERB\tVB\t_\t0\troot\t_\t_\n\
                    2\thome\thome\tNOUN\tNN\t_\t1\tobl:npmod\t_\t_\n";
        let sentences = parse(text).unwrap();
        assert_eq!(sentences.len(), 2);
        assert_eq!(sentences[0].len(), 4);
        assert_eq!(sentences[0][1].form, "'s");
        assert_eq!(sentences[0][2].head, None);
        assert_eq!(sentences[0][0].head, Some(2));
        assert_eq!(sentences[1][1].relation, "obl");
    }

    #[test]
    fn malformed_lines_are_named() {
        let err = parse("1\tGo\tgo\tVERB\n").unwrap_err();
        assert!(err.starts_with("line 1: 4 columns"), "{err}");
        let err = parse("1\tGo\tgo\tVERB\tVB\t_\t7\troot\t_\t_\n").unwrap_err();
        assert!(err.contains("outside the sentence"), "{err}");
    }
}
