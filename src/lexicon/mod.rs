//! Every hand-written word list of citebot, in one place, as named sets: the stopwords, synonyms,
//! question words, abbreviations and the rest, in English ([`english`]) and Chinese ([`chinese`]).
//! The modules that use a list read it from here, so that two lists that must agree (no synonym is
//! a stopword; the words a classifier skips are words retrieval ignores) are checked against each
//! other by this module's tests rather than drifting apart in separate files.
//!
//! Lists that name markup (HTML elements and class names, front-matter keys, index file names)
//! are not words of a language and stay with the reader of that markup.

pub mod chinese;
pub mod english;

/// Whether the sorted `set` holds `word`: a binary search, for the sets read for every word.
pub fn sorted_contains(set: &[&str], word: &str) -> bool {
    set.binary_search(&word).is_ok()
}

#[cfg(test)]
mod tests {
    use super::{chinese, english};

    /// Every plain word set, by name.
    fn sets() -> Vec<(&'static str, &'static [&'static str])> {
        vec![
            ("english::STOPWORDS", english::STOPWORDS),
            ("english::FRAME_STEMS", english::FRAME_STEMS),
            ("english::REFERRING_PRONOUNS", english::REFERRING_PRONOUNS),
            ("english::QUESTION_WORDS", english::QUESTION_WORDS),
            ("english::HOW_WORDS", english::HOW_WORDS),
            ("english::AMOUNT_WORDS", english::AMOUNT_WORDS),
            ("english::QUESTION_OPENERS", english::QUESTION_OPENERS),
            ("english::AUXILIARIES", english::AUXILIARIES),
            ("english::PHRASE_ENDERS", english::PHRASE_ENDERS),
            ("english::OBJECT_OPENERS", english::OBJECT_OPENERS),
            ("english::PHRASE_GLUE", english::PHRASE_GLUE),
            ("english::DATE_NOUNS", english::DATE_NOUNS),
            ("english::PERCENT_NOUNS", english::PERCENT_NOUNS),
            ("english::AMOUNT_NOUNS", english::AMOUNT_NOUNS),
            ("english::COPULAS", english::COPULAS),
            ("english::ARTICLES", english::ARTICLES),
            ("english::KIND_NOUNS", english::KIND_NOUNS),
            ("english::NAMING_VERBS", english::NAMING_VERBS),
            ("english::AUTHOR_VERBS", english::AUTHOR_VERBS),
            ("english::WORK_NOUNS", english::WORK_NOUNS),
            ("english::AUTHOR_NOUNS", english::AUTHOR_NOUNS),
            ("english::NEGATIONS", english::NEGATIONS),
            ("english::MONTHS", english::MONTHS),
            ("english::NAME_JOINERS", english::NAME_JOINERS),
            ("english::RANGE_JOINERS", english::RANGE_JOINERS),
            ("english::RANGE_OPENERS", english::RANGE_OPENERS),
            ("english::SMALL_TALK", english::SMALL_TALK),
            (
                "english::SENTENCE_ABBREVIATIONS",
                english::SENTENCE_ABBREVIATIONS,
            ),
            ("english::TOKEN_ABBREVIATIONS", english::TOKEN_ABBREVIATIONS),
            ("english::SENTENCE_STARTERS", english::SENTENCE_STARTERS),
            ("english::CLITICS", english::CLITICS),
            ("english::BOILERPLATE_LINES", english::BOILERPLATE_LINES),
            ("chinese::STOPWORDS", chinese::STOPWORDS),
            ("chinese::MEASURE_WORDS", chinese::MEASURE_WORDS),
            ("chinese::QUESTION_NOUN_SKIPS", chinese::QUESTION_NOUN_SKIPS),
            ("chinese::NUMBER_QUALIFIERS", chinese::NUMBER_QUALIFIERS),
            ("chinese::NUMBER_SCALES", chinese::NUMBER_SCALES),
            ("chinese::DATE_UNITS", chinese::DATE_UNITS),
            ("chinese::LOCATIVES", chinese::LOCATIVES),
            ("chinese::CONJUNCTIONS", chinese::CONJUNCTIONS),
            ("chinese::FRAME_WORDS", chinese::FRAME_WORDS),
            ("chinese::BOILERPLATE_LINES", chinese::BOILERPLATE_LINES),
        ]
    }

    #[test]
    fn no_set_holds_a_word_twice_or_an_empty_or_upper_case_word() {
        for (name, set) in sets() {
            for (i, word) in set.iter().enumerate() {
                assert!(!word.trim().is_empty(), "{name} holds an empty word");
                assert_eq!(
                    *word,
                    word.to_lowercase(),
                    "{name}: {word:?} is not lower-case"
                );
                assert!(!set[..i].contains(word), "{name} holds {word:?} twice");
            }
        }
        let question_words: Vec<&str> = chinese::QUESTION_WORDS.iter().map(|(w, _)| *w).collect();
        for (i, word) in question_words.iter().enumerate() {
            assert!(!question_words[..i].contains(word), "{word:?} twice");
        }
        let synonyms: Vec<&str> = english::SYNONYMS
            .iter()
            .flat_map(|row| row.iter().copied())
            .collect();
        for (i, word) in synonyms.iter().enumerate() {
            assert!(
                !synonyms[..i].contains(word),
                "{word:?} is in two synonym rows: which one it means is undecided"
            );
        }
    }

    #[test]
    fn the_sets_searched_by_bisection_are_sorted() {
        for (name, set) in [
            ("english::STOPWORDS", english::STOPWORDS),
            ("chinese::STOPWORDS", chinese::STOPWORDS),
        ] {
            if let Some(pair) = set.windows(2).find(|pair| pair[0] >= pair[1]) {
                panic!(
                    "{name} is not sorted: {:?} comes before {:?}",
                    pair[0], pair[1]
                );
            }
        }
        assert!(super::sorted_contains(english::STOPWORDS, "us"));
        assert!(!super::sorted_contains(english::STOPWORDS, "bridge"));
    }

    #[test]
    fn each_language_keeps_to_its_own_script() {
        for (name, set) in sets() {
            let chinese = name.starts_with("chinese::");
            for word in set {
                assert_eq!(
                    crate::analysis::has_cjk(word),
                    chinese && !word.chars().all(|c| !c.is_alphanumeric()),
                    "{name}: {word:?}"
                );
            }
        }
    }
}
