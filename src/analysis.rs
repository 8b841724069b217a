//! Text analysis shared by the index and the questions, so both sides meet on the same terms:
//! words (keeping `S&T`, `Chang’e`, `1,000`, `3.5` whole), hyphenated compounds indexed whole and in
//! parts (`inter-governmental` meets `intergovernmental` and `inter governmental`), numbers without
//! thousands separators, curly quotes and accents folded, case folded, English stemming. In text
//! that is mostly Chinese, runs of Chinese characters are segmented into words with jieba (its
//! dictionary is embedded and loaded once, the first time such text is met: about 0.2 s); in text
//! that is mostly in other scripts, a Chinese run is a quoted name or term ("the Great Yuan
//! (大元)") and is one word as written. Chinese words are not stemmed.

use std::ops::Range;
use std::sync::OnceLock;

use jieba_rs::Jieba;
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
            text: if is_cjk_word(&token.text) {
                token.text
            } else {
                stem_normalized(&token.text)
            },
            range: token.offset_from..token.offset_to,
            position: token.position,
            joined: token.position_length == 0,
            id: UNINTERNED,
        })
        .collect()
}

/// The analysed form of one word.
pub fn stem(word: &str) -> String {
    if is_cjk_word(word) {
        return word.to_string();
    }
    stem_normalized(&normalize(word))
}

/// Whether `c` is a Chinese character (CJK unified ideographs, their extensions and
/// compatibility forms); these are written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{4e00}'..='\u{9fff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{f900}'..='\u{faff}'
        | '\u{20000}'..='\u{2ebef}'
        | '\u{30000}'..='\u{3134f}'
        | '〇')
}

/// Whether a word is Chinese (its first character is); such words are never stemmed.
pub fn is_cjk_word(word: &str) -> bool {
    word.chars().next().is_some_and(is_cjk)
}

/// Whether `text` holds any Chinese character.
pub fn has_cjk(text: &str) -> bool {
    !text.is_ascii() && text.chars().any(is_cjk)
}

/// Whether `text` is mostly Chinese: at least as many Chinese characters as other letters and
/// digits. Only such text is segmented with jieba and answered with Chinese answer shapes.
pub fn is_mostly_chinese(text: &str) -> bool {
    has_cjk(text) && mostly_chinese(text.chars())
}

fn mostly_chinese(chars: impl Iterator<Item = char>) -> bool {
    let (mut chinese, mut other) = (0usize, 0usize);
    for c in chars.filter(|c| c.is_alphanumeric()) {
        if is_cjk(c) {
            chinese += 1;
        } else {
            other += 1;
        }
    }
    chinese >= other
}

/// The jieba segmenter, built on first use: loading its embedded dictionary takes a noticeable
/// moment, which English-only posts never pay.
fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(|| {
        let started = std::time::Instant::now();
        let jieba = Jieba::new();
        tracing::info!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "loaded the Chinese word dictionary"
        );
        jieba
    })
}

/// The words of a run of Chinese characters as byte ranges relative to the run.
fn segment_cjk(run: &str) -> Vec<Range<usize>> {
    jieba()
        .cut(run, true)
        .into_iter()
        .map(|t| t.byte_start..t.byte_end)
        .collect()
}

/// The part-of-speech tag jieba gives each Chinese word of `text` (`nr` person, `ns` place, `nt`
/// organisation, `nz` other proper noun, `m` numeral, `q` measure word, ...), with the word's
/// byte range in `text`. For mostly Chinese text (see [`is_mostly_chinese`]) the words are the
/// same as [`terms`] gives for the Chinese runs.
pub fn cjk_tags(text: &str) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    for run in cjk_runs(text) {
        let mut at = run.start;
        for tag in jieba().tag(&text[run.clone()], true) {
            out.push((at..at + tag.word.len(), tag.tag.to_string()));
            at += tag.word.len();
        }
    }
    out
}

/// Byte ranges of the maximal runs of Chinese characters in `text`.
fn cjk_runs(text: &str) -> Vec<Range<usize>> {
    let mut runs: Vec<Range<usize>> = Vec::new();
    for (at, c) in text.char_indices().filter(|&(_, c)| is_cjk(c)) {
        match runs.last_mut() {
            Some(last) if last.end == at => last.end = at + c.len_utf8(),
            _ => runs.push(at..at + c.len_utf8()),
        }
    }
    runs
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
    // Decided at the first Chinese character, so text without any never counts.
    let mut chinese: Option<bool> = None;
    while i < chars.len() {
        if !chars[i].1.is_alphanumeric() {
            i += 1;
            continue;
        }
        if is_cjk(chars[i].1) {
            // A run of Chinese characters: jieba's words, or the run whole in text that is mostly
            // in another script.
            let mut j = i;
            while j < chars.len() && is_cjk(chars[j].1) {
                j += 1;
            }
            let run = chars[i].0..end_of(j);
            let segment =
                *chinese.get_or_insert_with(|| mostly_chinese(chars.iter().map(|&(_, c)| c)));
            let words = if segment {
                segment_cjk(&text[run.clone()])
            } else {
                std::iter::once(0..run.len()).collect()
            };
            for word in words {
                tokens.push(Token {
                    offset_from: run.start + word.start,
                    offset_to: run.start + word.end,
                    position,
                    text: text[run.start + word.start..run.start + word.end].to_string(),
                    position_length: 1,
                });
                position += 1;
            }
            i = j;
            continue;
        }
        let start = i;
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            if c.is_alphanumeric() && !is_cjk(c) {
                j += 1;
                continue;
            }
            let prev = chars[j - 1].1;
            let next = chars.get(j + 1).map(|&(_, n)| n);
            let joins = match next {
                Some(n)
                    if (is_apostrophe(c) || c == '&')
                        && prev.is_alphabetic()
                        && n.is_alphabetic()
                        && !is_cjk(n) =>
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
            && chars
                .get(j + 1)
                .is_some_and(|&(_, c)| c.is_alphanumeric() && !is_cjk(c));
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
    ) || is_cjk_stopword(word)
}

/// Chinese function words and question words: particles, pronouns, copulas, prepositions and
/// the words a question asks with (多少, 什么, 哪里 ...), which the answer never contains.
fn is_cjk_stopword(word: &str) -> bool {
    const WORDS: &[&str] = &[
        "的",
        "地",
        "得",
        "了",
        "着",
        "过",
        "是",
        "在",
        "和",
        "与",
        "及",
        "或",
        "也",
        "都",
        "就",
        "而",
        "并",
        "又",
        "还",
        "这",
        "那",
        "这个",
        "那个",
        "这些",
        "那些",
        "哪",
        "哪个",
        "哪些",
        "哪里",
        "哪儿",
        "什么",
        "多少",
        "几",
        "谁",
        "为什么",
        "为何",
        "怎么",
        "怎样",
        "如何",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "请问",
        "我",
        "我们",
        "你",
        "你们",
        "他",
        "她",
        "他们",
        "它",
        "其",
        "之",
        "对",
        "把",
        "被",
        "从",
        "到",
        "让",
        "给",
        "以",
        "为",
        "于",
        "将",
        "已",
        "已经",
        "曾",
        "有",
        "没有",
        "一个",
        "等",
        "等等",
        "个",
        "中",
        "上",
        "由",
        "向",
        "跟",
        "同",
        "所",
        "该",
        "此",
        "其中",
        "哪一年",
        "什么时候",
        "何时",
        "多",
        "有没有",
        "是否",
        "是不是",
        "么",
    ];
    !word.is_ascii() && WORDS.contains(&word)
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
    fn chinese_is_segmented_into_words_with_exact_offsets() {
        let text = "中国已与超过160个国家和地区建立了科技合作关系。";
        let got = terms(text);
        let words: Vec<&str> = got.iter().map(|t| &text[t.range.clone()]).collect();
        assert!(words.contains(&"国家"), "{words:?}");
        assert!(words.contains(&"160"), "{words:?}");
        for t in &got {
            assert_eq!(t.text, text[t.range.clone()].to_string());
        }
        let positions: Vec<usize> = got.iter().map(|t| t.position).collect();
        assert!(
            positions.windows(2).all(|w| w[1] == w[0] + 1),
            "{positions:?}"
        );
    }

    #[test]
    fn mixed_chinese_and_english_keep_english_analysis() {
        assert_eq!(texts("AI合作agreements"), ["ai", "合作", "agreement"]);
        assert_eq!(
            texts("培训班用LED灯做灯笼"),
            ["培训班", "用", "led", "灯", "做", "灯笼"]
        );
        // A Chinese name quoted in English prose is one word, as written.
        assert_eq!(
            texts("The Great Yuan (大元朝廷) ruled"),
            ["the", "great", "yuan", "大元朝廷", "rule"]
        );
        assert!(is_stopword("的") && is_stopword("多少") && !is_stopword("国家"));
    }

    #[test]
    fn punctuation_only_gives_nothing() {
        assert!(texts("?!* -- :: \"'").is_empty());
    }
}
