//! Sentence splitting that survives abbreviations ("the U.S. and", "Dr. Li", "e.g. this") and
//! splits Chinese text at 。！？ without needing spaces. Sentences are byte ranges into the source,
//! so a cited sentence is always verbatim.

use std::ops::Range;

use crate::analysis::is_ignorable;

/// Words that end in a full stop without ending a sentence, lower-cased, without the stop.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "cf", "inc", "ltd", "co", "corp",
    "no", "nos", "fig", "figs", "gen", "gov", "sen", "rep", "rev", "hon", "mt", "ft", "approx",
    "est", "dept", "univ", "vol", "pp", "op", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "col", "lt", "capt", "sgt", "maj", "cmdr", "adm", "messrs",
    "ca", "c", "al",
];

/// Capitalised words that start sentences: after an initialism such as "U.S." they show that the
/// full stop also ends the sentence.
const SENTENCE_STARTERS: &[&str] = &[
    "the", "it", "it's", "it’s", "this", "that", "these", "those", "they", "he", "she", "we", "i",
    "in", "but", "and", "a", "an", "however", "there", "its", "their", "his", "her", "our", "as",
    "so", "yet", "if", "when", "while", "after", "before", "then", "thus", "also", "for", "on",
    "at", "by", "what", "why", "how", "even", "since", "although", "here", "here's", "here’s",
    "some",
];

/// Splits `source[range]` into sentences as [`split`] does, reading the bytes at `markup` (ranges
/// inside `range`: the `>` starting a quote's second line, say) as spaces, so that they never
/// hide where a sentence ends or starts. A sentence never starts or ends inside markup.
pub fn split_around(
    source: &str,
    range: Range<usize>,
    markup: &[Range<usize>],
) -> Vec<Range<usize>> {
    if markup.is_empty() {
        return split(source, range);
    }
    // The same bytes with markup blanked, one space per byte, so every offset stays put.
    let mut blanked = String::with_capacity(range.len());
    let mut at = range.start;
    for m in markup {
        blanked.push_str(&source[at..m.start]);
        blanked.extend(std::iter::repeat_n(' ', m.len()));
        at = m.end;
    }
    blanked.push_str(&source[at..range.end]);
    split(&blanked, 0..blanked.len())
        .into_iter()
        .map(|r| range.start + r.start..range.start + r.end)
        .collect()
}

/// Splits `source[range]` into sentences, returned as trimmed byte ranges into `source`.
pub fn split(source: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let text = &source[range.clone()];
    let mut sentences = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let cjk = matches!(c, '。' | '！' | '？');
        if !(cjk || matches!(c, '.' | '!' | '?' | '…')) {
            i += 1;
            continue;
        }
        // Take the whole run of terminal marks and any closing quotes or brackets after it.
        let mut j = i + 1;
        while j < chars.len() && matches!(chars[j].1, '.' | '!' | '?' | '。' | '！' | '？' | '…')
        {
            j += 1;
        }
        while j < chars.len()
            && matches!(
                chars[j].1,
                '"' | '\'' | '”' | '’' | ')' | ']' | '」' | '』' | '）' | '*' | '_' | '»'
            )
        {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |&(p, _)| p);
        // Invisible characters (a zero-width space) between the mark and the space do not count.
        let followed_by_space = chars[j..]
            .iter()
            .find(|&&(_, n)| !is_ignorable(n))
            .is_none_or(|&(_, n)| n.is_whitespace());
        let splits = if cjk {
            true
        } else if !followed_by_space {
            false
        } else {
            let next_word = next_word(&text[end..]);
            starts_like_sentence(next_word)
                && (c != '.' || j > i + 1 || !is_abbreviation(&text[..at], next_word))
        };
        if splits {
            push_trimmed(&mut sentences, text, start..end, range.start);
            start = end;
        }
        i = j;
    }
    push_trimmed(&mut sentences, text, start..text.len(), range.start);
    sentences
}

fn push_trimmed(out: &mut Vec<Range<usize>>, text: &str, r: Range<usize>, base: usize) {
    let trimmed = super::trim_range(text, r);
    if !trimmed.is_empty() {
        out.push(base + trimmed.start..base + trimmed.end);
    }
}

fn next_word(rest: &str) -> &str {
    rest.split_whitespace()
        .next()
        .unwrap_or("")
        .trim_start_matches(is_ignorable)
}

/// A sentence starts with a capital, a digit, an opening quote or bracket, or a CJK character;
/// the end of the text counts too.
fn starts_like_sentence(word: &str) -> bool {
    let Some(first) = word.chars().next() else {
        return true;
    };
    first.is_uppercase()
        || first.is_numeric()
        || matches!(
            first,
            '"' | '\'' | '“' | '‘' | '(' | '[' | '*' | '_' | '¿' | '¡' | '-' | '—'
        )
        || ('\u{4e00}'..='\u{9fff}').contains(&first)
}

/// Whether the full stop ending `before` belongs to an abbreviation rather than ending a sentence.
fn is_abbreviation(before: &str, next_word: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("");
    let lower = word.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    // Initialisms and single initials: "U.S", "e.g", "J". They end the sentence only when a typical
    // sentence opener follows.
    let is_initialism = !word.is_empty()
        && word
            .split('.')
            .all(|part| part.chars().count() <= 2 && part.chars().all(char::is_alphabetic))
        && (word.contains('.')
            || word.chars().count() == 1 && word.chars().all(char::is_uppercase));
    if is_initialism {
        let opener =
            next_word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’');
        return !SENTENCE_STARTERS.contains(&opener.to_lowercase().as_str());
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        split(text, 0..text.len())
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn splits_plain_sentences() {
        assert_eq!(
            sentences("One two. Three four! Five?"),
            ["One two.", "Three four!", "Five?"]
        );
    }

    #[test]
    fn initialisms_do_not_split_before_ordinary_words() {
        assert_eq!(
            sentences("Events like the Expo in the U.S. are reminders. Next one."),
            [
                "Events like the Expo in the U.S. are reminders.",
                "Next one."
            ]
        );
        assert_eq!(
            sentences("Tension with the U.S. It is like a court case."),
            ["Tension with the U.S.", "It is like a court case."]
        );
        assert_eq!(
            sentences("Ask Dr. Li about it. Then go."),
            ["Ask Dr. Li about it.", "Then go."]
        );
        assert_eq!(
            sentences("Some fruit, e.g. Apples, are red."),
            ["Some fruit, e.g. Apples, are red."]
        );
    }

    #[test]
    fn ampersands_apostrophes_and_numbers_are_not_boundaries() {
        assert_eq!(
            sentences("Science and technology (S&T) grew 3.5 times. The Chang’e 6 mission flew."),
            [
                "Science and technology (S&T) grew 3.5 times.",
                "The Chang’e 6 mission flew."
            ]
        );
    }

    #[test]
    fn closing_quotes_stay_with_their_sentence() {
        assert_eq!(
            sentences("He said “go.” Then left."),
            ["He said “go.”", "Then left."]
        );
    }

    #[test]
    fn chinese_sentence_marks_split_without_spaces() {
        assert_eq!(
            sentences("中国很大。人口很多！真的吗？"),
            ["中国很大。", "人口很多！", "真的吗？"]
        );
    }

    #[test]
    fn invisible_characters_neither_start_nor_hide_a_sentence() {
        assert_eq!(
            sentences("\u{feff}One two.\u{200b} \u{200b}Three four.\u{200b}"),
            ["One two.", "Three four."]
        );
    }

    #[test]
    fn offsets_point_into_the_source() {
        let source = "xx Para one. Para two.";
        let got = split(source, 3..source.len());
        assert_eq!(&source[got[1].clone()], "Para two.");
    }
}
