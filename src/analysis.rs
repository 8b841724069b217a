//! Text analysis shared by the index and the questions, so both sides meet on the same terms:
//! words (keeping `S&T`, `Chang’e`, `1,000`, `3.5` whole), hyphenated compounds indexed whole and in
//! parts (`inter-governmental` meets `intergovernmental` and `inter governmental`), numbers without
//! thousands separators, curly quotes and accents folded, case folded, English stemming.

use std::ops::Range;

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;

/// Name under which the analyzer is registered with tantivy.
pub const ANALYZER: &str = "citebot";

/// One analysed word of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The normalised, stemmed form that is indexed and searched.
    pub text: String,
    /// Byte range of the word as written in the text.
    pub range: Range<usize>,
    /// Word position; the joined form of a compound shares its first part's position.
    pub position: usize,
    /// True for the joined form of a hyphenated compound (an extra term, not a word of its own).
    pub joined: bool,
    /// The term's number in the engine's vocabulary ([`UNINTERNED`] until the engine assigns it).
    pub id: u32,
}

/// The id of a term that has not been given a vocabulary number.
pub const UNINTERNED: u32 = u32::MAX;

/// The tantivy analyzer, registered for the index's text fields; it produces exactly [`terms`].
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::from(WordTokenizer)
}

/// Analyses `text` into stemmed terms with their byte ranges, exactly as the index does.
pub fn terms(text: &str) -> Vec<Term> {
    tokenize(text)
        .into_iter()
        .map(|token| Term {
            text: stem_normalized(&token.text),
            range: token.offset_from..token.offset_to,
            position: token.position,
            joined: token.position_length == 0,
            id: UNINTERNED,
        })
        .collect()
}

/// The analysed form of one word.
pub fn stem(word: &str) -> String {
    stem_normalized(&normalize(word))
}

fn stem_normalized(word: &str) -> String {
    frostem::Stemmer::new(frostem::Algorithm::English)
        .stem(word)
        .into_owned()
}

/// Splits text into stemmed words (see [`terms`]); the tokenizer tantivy knows as [`ANALYZER`].
#[derive(Clone, Default)]
pub struct WordTokenizer;

/// The token stream of [`WordTokenizer`]: all tokens are computed up front (texts are short).
pub struct WordStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream {
        let tokens = terms(text)
            .into_iter()
            .map(|t| Token {
                offset_from: t.range.start,
                offset_to: t.range.end,
                position: t.position,
                text: t.text,
                position_length: 1,
            })
            .collect();
        WordStream { tokens, next: 0 }
    }
}

impl TokenStream for WordStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '‒' | '–')
}

/// Scans normalised (unstemmed) words: runs of letters and digits, joined across an apostrophe or `&` between letters
/// and across `.` or `,` between digits. Hyphens between word characters join compounds.
fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |&(p, _)| p);
    let mut tokens = Vec::new();
    let mut position = 0;
    let mut i = 0;
    // Each compound is a list of word ranges separated by hyphens.
    let mut compound: Vec<Range<usize>> = Vec::new();
    while i < chars.len() {
        if !chars[i].1.is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            if c.is_alphanumeric() {
                j += 1;
                continue;
            }
            let prev = chars[j - 1].1;
            let next = chars.get(j + 1).map(|&(_, n)| n);
            let joins = match next {
                Some(n)
                    if (is_apostrophe(c) || c == '&')
                        && prev.is_alphabetic()
                        && n.is_alphabetic() =>
                {
                    true
                }
                Some(n)
                    if matches!(c, '.' | ',') && prev.is_ascii_digit() && n.is_ascii_digit() =>
                {
                    true
                }
                _ => false,
            };
            if joins {
                j += 2
            } else {
                break;
            }
        }
        let word = chars[start].0..end_of(j);
        // A hyphen directly between two word characters continues the compound.
        let hyphen_follows = chars.get(j).is_some_and(|&(_, c)| is_hyphen(c))
            && chars.get(j + 1).is_some_and(|&(_, c)| c.is_alphanumeric());
        compound.push(word);
        if !hyphen_follows {
            emit_compound(text, &compound, &mut position, &mut tokens);
            compound.clear();
            i = j;
        } else {
            i = j + 1;
        }
    }
    tokens
}

fn emit_compound(
    text: &str,
    parts: &[Range<usize>],
    position: &mut usize,
    tokens: &mut Vec<Token>,
) {
    let first = *position;
    for part in parts {
        tokens.push(Token {
            offset_from: part.start,
            offset_to: part.end,
            position: *position,
            text: normalize(&text[part.clone()]),
            position_length: 1,
        });
        *position += 1;
    }
    if parts.len() > 1 {
        let joined: String = parts.iter().map(|p| normalize(&text[p.clone()])).collect();
        tokens.push(Token {
            offset_from: parts[0].start,
            offset_to: parts[parts.len() - 1].end,
            position: first,
            text: joined,
            position_length: 0,
        });
    }
}

/// Lower-cases, folds accents and curly apostrophes, drops a possessive `'s` and the thousands
/// separators of numbers.
pub fn normalize(word: &str) -> String {
    let mut out: String = if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        word.nfd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .flat_map(char::to_lowercase)
            .map(|c| if is_apostrophe(c) { '\'' } else { c })
            .collect()
    };
    if out.ends_with("'s") {
        out.truncate(out.len() - 2);
    }
    if out.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        out.retain(|c| c != ',');
    }
    out
}

/// Words that carry no meaning of their own in a question; they are not searched for.
pub fn is_stopword(word: &str) -> bool {
    // A `match` on string literals compiles to a length switch: this runs for every word.
    matches!(
        word,
        "a" | "an"
            | "the"
            | "and"
            | "or"
            | "but"
            | "of"
            | "to"
            | "in"
            | "on"
            | "at"
            | "by"
            | "for"
            | "with"
            | "from"
            | "into"
            | "onto"
            | "about"
            | "as"
            | "is"
            | "are"
            | "was"
            | "were"
            | "be"
            | "been"
            | "being"
            | "am"
            | "do"
            | "does"
            | "did"
            | "done"
            | "doing"
            | "have"
            | "has"
            | "had"
            | "having"
            | "it"
            | "its"
            | "this"
            | "that"
            | "these"
            | "those"
            | "there"
            | "their"
            | "they"
            | "them"
            | "he"
            | "she"
            | "his"
            | "her"
            | "him"
            | "we"
            | "our"
            | "us"
            | "you"
            | "your"
            | "i"
            | "me"
            | "my"
            | "what"
            | "which"
            | "who"
            | "whom"
            | "whose"
            | "when"
            | "where"
            | "why"
            | "how"
            | "can"
            | "could"
            | "would"
            | "should"
            | "will"
            | "shall"
            | "may"
            | "might"
            | "must"
            | "if"
            | "then"
            | "than"
            | "so"
            | "such"
            | "not"
            | "no"
            | "any"
            | "all"
            | "some"
            | "much"
            | "many"
            | "more"
            | "most"
            | "very"
            | "just"
            | "also"
            | "too"
            | "s"
            | "t"
            | "per"
            | "via"
            | "up"
            | "out"
            | "over"
            | "off"
            | "again"
            | "here"
            | "else"
            | "ever"
            | "yet"
            | "one's"
            | "whats"
            | "what's"
            | "who's"
            | "where's"
            | "when's"
            | "how's"
            | "isn't"
            | "aren't"
            | "don't"
            | "doesn't"
            | "didn't"
            | "like"
            | "including"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        terms(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn compounds_are_indexed_whole_and_in_parts() {
        assert_eq!(
            texts("inter-governmental"),
            ["inter", "government", "intergovernment"]
        );
        assert_eq!(texts("intergovernmental"), ["intergovernment"]);
    }

    #[test]
    fn numbers_lose_thousands_separators_but_keep_decimals() {
        assert_eq!(
            texts("over 1,000 orgs and 3.5 km"),
            ["over", "1000", "org", "and", "3.5", "km"]
        );
    }

    #[test]
    fn quotes_case_and_accents_are_folded() {
        assert_eq!(texts("Chang’e"), texts("chang'e"));
        assert_eq!(texts("Graubünden"), texts("graubunden"));
        assert_eq!(texts("S&T"), ["s&t"]);
    }

    #[test]
    fn stemming_meets_inflections() {
        assert_eq!(texts("agreements"), texts("agreement"));
        assert_eq!(texts("China's"), texts("china"));
    }

    #[test]
    fn offsets_cover_the_written_word() {
        let text = "the inter-governmental deal";
        let got = terms(text);
        let joined = got.iter().find(|t| t.joined).unwrap();
        assert_eq!(&text[joined.range.clone()], "inter-governmental");
        assert_eq!(joined.position, got[1].position);
    }

    #[test]
    fn punctuation_only_gives_nothing() {
        assert!(texts("?!* -- :: \"'").is_empty());
    }
}
