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
            ("english::RATE_WORDS", english::RATE_WORDS),
            ("english::RATE_PERIODS", english::RATE_PERIODS),
            ("english::ASKED_MONEY", english::ASKED_MONEY),
            ("english::PRICING_VERBS", english::PRICING_VERBS),
            ("english::AUTHOR_VERBS", english::AUTHOR_VERBS),
            ("english::WORK_NOUNS", english::WORK_NOUNS),
            ("english::AUTHOR_NOUNS", english::AUTHOR_NOUNS),
            ("english::NAME_NOUNS", english::NAME_NOUNS),
            ("english::AUTHOR_OF", english::AUTHOR_OF),
            ("english::NEGATIONS", english::NEGATIONS),
            ("english::MONTHS", english::MONTHS),
            ("english::WEEKDAYS", english::WEEKDAYS),
            ("english::NAME_JOINERS", english::NAME_JOINERS),
            ("english::RANGE_JOINERS", english::RANGE_JOINERS),
            ("english::RANGE_OPENERS", english::RANGE_OPENERS),
            ("english::SCALE_WORDS", english::SCALE_WORDS),
            ("english::SMALL_TALK", english::SMALL_TALK),
            (
                "english::SENTENCE_ABBREVIATIONS",
                english::SENTENCE_ABBREVIATIONS,
            ),
            ("english::TOKEN_ABBREVIATIONS", english::TOKEN_ABBREVIATIONS),
            ("english::SENTENCE_STARTERS", english::SENTENCE_STARTERS),
            ("english::CLITICS", english::CLITICS),
            ("english::BOILERPLATE_LINES", english::BOILERPLATE_LINES),
            ("english::NUMBER_WORDS", english::NUMBER_WORDS),
            ("english::TENS_WORDS", english::TENS_WORDS),
            ("english::UNIT_WORDS", english::UNIT_WORDS),
            ("english::CLOCK_WORDS", english::CLOCK_WORDS),
            ("english::TIME_DEIXIS", english::TIME_DEIXIS),
            ("english::CHANGE_WORDS", english::CHANGE_WORDS),
            ("english::DIFFERENCE_WORDS", english::DIFFERENCE_WORDS),
            ("english::FORMER_WORDS", english::FORMER_WORDS),
            ("english::MEASURE_UNITS", english::MEASURE_UNITS),
            ("english::PRICE_WORDS", english::PRICE_WORDS),
            ("english::PRICE_PERIODS", english::PRICE_PERIODS),
            ("english::PRICE_NOUNS", english::PRICE_NOUNS),
            ("english::MONEY_NOUNS", english::MONEY_NOUNS),
            ("english::CURRENCY_WORDS", english::CURRENCY_WORDS),
            ("english::CLOCK_NAMES", english::CLOCK_NAMES),
            ("english::NOT_TIME_OF_DAY", english::NOT_TIME_OF_DAY),
            ("english::DAY_WORDS", english::DAY_WORDS),
            ("english::JOINING_WORDS", english::JOINING_WORDS),
            ("english::OF_ITS_OWN", english::OF_ITS_OWN),
            ("english::INTRODUCE_ACRONYM", english::INTRODUCE_ACRONYM),
            ("english::EXPLAIN_ACRONYM", english::EXPLAIN_ACRONYM),
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

    /// Whether every word of `part` is in `whole`.
    fn missing<'a>(part: &[&'a str], whole: &[&str]) -> Vec<&'a str> {
        part.iter()
            .copied()
            .filter(|w| !whole.contains(w))
            .collect()
    }

    #[test]
    fn the_words_questions_are_asked_with_are_never_searched() {
        // A question word, auxiliary or article searched for would meet every passage.
        for (name, set) in [
            ("QUESTION_WORDS", english::QUESTION_WORDS),
            ("AUXILIARIES", english::AUXILIARIES),
            ("ARTICLES", english::ARTICLES),
            ("PHRASE_GLUE", english::PHRASE_GLUE),
        ] {
            assert_eq!(missing(set, english::STOPWORDS), [""; 0], "{name}");
        }
        assert_eq!(missing(english::COPULAS, english::AUXILIARIES), [""; 0]);
        assert_eq!(missing(english::ARTICLES, english::OBJECT_OPENERS), [""; 0]);
    }

    #[test]
    fn frame_words_are_searched_analysed_words() {
        // A frame word is searched with a low weight: one that is a stopword is never searched,
        // and one that is not in its analysed form never meets a question's word.
        for set in [english::FRAME_STEMS, chinese::FRAME_WORDS] {
            for word in set {
                assert!(!crate::analysis::is_stopword(word), "{word:?}");
                assert_eq!(crate::analysis::stem(word), *word, "{word:?}");
            }
        }
    }

    #[test]
    fn referring_pronouns_are_analysed_words() {
        // Retrieval compares them with analysed words: "its" analyses to "it" and never met one.
        for word in english::REFERRING_PRONOUNS {
            assert_eq!(crate::analysis::stem(word), *word, "{word:?}");
        }
    }

    #[test]
    fn synonyms_are_written_in_their_normal_form() {
        // Retrieval meets a synonym by its normalised words: "U.S." or "Britain" would never match.
        for row in english::SYNONYMS {
            assert!(row.len() >= 2, "{row:?} has nothing to stand for");
            for synonym in *row {
                for word in synonym.split(' ') {
                    assert_eq!(crate::analysis::normalize(word), word, "{synonym:?}");
                    assert!(!word.is_empty(), "{synonym:?} has a double space");
                }
            }
        }
    }

    #[test]
    fn chinese_measure_words_are_skipped_and_longer_question_words_come_first() {
        assert_eq!(
            missing(chinese::MEASURE_WORDS, chinese::QUESTION_NOUN_SKIPS),
            [""; 0]
        );
        // The earliest listed question word wins at a position: a longer word ("几月", a date)
        // listed after a shorter one it starts with ("几", a count) would never win.
        for (i, (word, _)) in chinese::QUESTION_WORDS.iter().enumerate() {
            for (longer, _) in &chinese::QUESTION_WORDS[i + 1..] {
                assert!(
                    !longer.starts_with(word),
                    "{longer:?} is listed after {word:?}, which starts it, so it never wins"
                );
            }
        }
    }

    #[test]
    fn the_two_abbreviation_lists_differ_only_where_documented() {
        // The sentence splitter and the parser's tokenizer read a full stop after the same
        // abbreviations, except "etc" (a token of its own, but often the end of a sentence) and
        // the ranks and marks the treebank does not keep whole.
        assert_eq!(
            missing(
                english::TOKEN_ABBREVIATIONS,
                english::SENTENCE_ABBREVIATIONS
            ),
            ["etc"]
        );
        assert_eq!(
            missing(
                english::SENTENCE_ABBREVIATIONS,
                english::TOKEN_ABBREVIATIONS
            ),
            ["cmdr", "adm", "messrs", "c"]
        );
    }

    #[test]
    fn every_word_asked_as_an_amount_is_known_to_the_ranker_but_one() {
        // "how expensive" asks an amount, but the ranker's trained features do not know it:
        // adding it to HOW_WORDS changes a trained model's input, so it waits for a retraining.
        assert_eq!(
            missing(english::AMOUNT_WORDS, english::HOW_WORDS),
            ["expensive"]
        );
        assert_eq!(english::MONTHS.len(), 12);
    }

    #[test]
    fn a_synonym_that_is_a_stopword_is_an_acronym() {
        // Stopwords are not searched. Retrieval searches one only where the question writes it as
        // an acronym ("US" is not "us"), and never as another word's synonym: a synonym that is a
        // stopword and could not be written as an acronym would never be searched at all.
        for row in english::SYNONYMS {
            for synonym in row.iter().filter(|s| crate::analysis::is_stopword(s)) {
                assert!(
                    synonym.len() <= 4 && synonym.chars().all(|c| c.is_ascii_lowercase()),
                    "{synonym:?} is a stopword, so it is never searched"
                );
            }
        }
    }
}
