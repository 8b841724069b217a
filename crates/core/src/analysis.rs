//! Text analysis shared by the index and the questions, so both sides meet on the same terms:
//! words (keeping `S&T`, `Chang’e`, `1,000`, `3.5` whole), hyphenated compounds indexed whole and in
//! parts (`inter-governmental` meets `intergovernmental` and `inter governmental`), numbers without
//! thousands separators, curly quotes and accents folded, case folded, English stemming. Text is
//! folded to one normal form (NFKD without marks), so a decomposed accent ("cre\u{300}me") or a
//! full-width letter meets its composed or plain form, and a combining mark belongs to the word it
//! follows; invisible characters (a byte-order mark, zero-width space or joiner, soft hyphen) are
//! ignored and never split a word. Byte ranges always cover the text as written. In text
//! that is mostly Chinese, runs of Chinese characters are segmented into words with jieba (its
//! dictionary is embedded and loaded once, the first time such text is met: about 0.2 s); in text
//! that is mostly in other scripts, a Chinese run is a quoted name or term ("the Great Yuan
//! (大元)") and is one word as written. Chinese words are not stemmed.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use compact_str::CompactString;
use jieba_rs::Jieba;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;
use xxhash_rust::xxh3::Xxh3DefaultBuilder;

use crate::lexicon;

/// Name under which the analyzer is registered with tantivy.
pub const ANALYZER: &str = "citebot";

/// One analysed word of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The normalised, stemmed form that is indexed and searched; held inline when short (most
    /// are), so analysing a passage's thousand words costs no allocation each.
    pub text: CompactString,
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
        .map(|word| Term {
            text: if is_cjk_word(&word.text) {
                word.text.into()
            } else {
                stem_normalized(&word.text, &text[word.range.clone()])
            },
            range: word.range,
            position: word.position,
            joined: word.joined,
            id: UNINTERNED,
        })
        .collect()
}

/// A normalised, unstemmed word of a text, as [`tokenize`] finds it.
struct Word<'a> {
    /// The normalised form: borrowed from the text when normalising leaves it as written (most
    /// words of running text), so analysing a passage allocates only for the others.
    text: Cow<'a, str>,
    /// Byte range of the word in the text.
    range: Range<usize>,
    /// Word position; the joined form of a compound shares its first part's position.
    position: usize,
    /// True for the joined form of a hyphenated compound.
    joined: bool,
}

/// The analysed form of one word.
pub fn stem(word: &str) -> String {
    if is_cjk_word(word) {
        return without_ignorables(word).into_owned();
    }
    stem_normalized(&normalize(word), word).to_string()
}

/// Whether `c` is invisible and means nothing for matching: Unicode's default-ignorable code
/// points, among them the byte-order mark, zero-width space, joiners and word joiner, soft hyphen,
/// direction marks and variation selectors. They are skipped between words and do not split the
/// word they sit in.
pub fn is_ignorable(c: char) -> bool {
    matches!(c,
        '\u{ad}'
        | '\u{34f}'
        | '\u{61c}'
        | '\u{115f}'..='\u{1160}'
        | '\u{17b4}'..='\u{17b5}'
        | '\u{180b}'..='\u{180f}'
        | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}'
        | '\u{3164}'
        | '\u{fe00}'..='\u{fe0f}'
        | '\u{feff}'
        | '\u{ffa0}'
        | '\u{fff0}'..='\u{fff8}'
        | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}'
        | '\u{e0000}'..='\u{e0fff}')
}

/// `text` without its [ignorable](is_ignorable) characters (the same text when it has none).
pub fn without_ignorables(text: &str) -> Cow<'_, str> {
    if text.chars().any(is_ignorable) {
        text.chars()
            .filter(|&c| !is_ignorable(c))
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// Whether a word that reached `c` goes on with it: a letter or digit (not Chinese) or a combining
/// mark, which belongs to the letter before it ("e\u{301}" is "é" decomposed). Not an
/// [ignorable](is_ignorable) one, even where Unicode calls it a letter (a Hangul filler) or a mark
/// (a variation selector): those join a word only between two of its characters.
fn continues_word(c: char) -> bool {
    !is_ignorable(c)
        && (c.is_alphanumeric() && !is_cjk(c) || unicode_normalization::char::is_combining_mark(c))
}

/// Whether a word can start at `c`: a letter or digit that is not invisible.
fn starts_word(c: char) -> bool {
    c.is_alphanumeric() && !is_ignorable(c)
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

/// A run of Chinese characters as jieba reads it: without the ignorable characters that may sit
/// between them, with the way back to byte offsets in the text.
struct CjkRun {
    /// The run's characters, without ignorable ones.
    compact: String,
    /// For each character of `compact`: its byte offset there, and its byte range in the text.
    chars: Vec<(usize, Range<usize>)>,
}

impl CjkRun {
    fn new(text: &str, run: Range<usize>) -> CjkRun {
        let mut compact = String::with_capacity(run.len());
        let mut chars = Vec::new();
        for (at, c) in text[run.clone()].char_indices() {
            if !is_ignorable(c) {
                let start = run.start + at;
                chars.push((compact.len(), start..start + c.len_utf8()));
                compact.push(c);
            }
        }
        CjkRun { compact, chars }
    }

    /// The byte range in the text of the characters at `range` of `compact`: from the first one's
    /// start to the last one's end, so ignorable characters inside a word are part of its range
    /// and those around it are not.
    fn original(&self, range: Range<usize>) -> Range<usize> {
        let first = self.chars.partition_point(|(at, _)| *at < range.start);
        let last = self.chars.partition_point(|(at, _)| *at < range.end) - 1;
        self.chars[first].1.start..self.chars[last].1.end
    }
}

/// The words of a run of Chinese characters: their text (without ignorable characters) and byte
/// ranges in `text`.
fn segment_cjk(text: &str, run: Range<usize>) -> Vec<(String, Range<usize>)> {
    let run = CjkRun::new(text, run);
    jieba()
        .cut(&run.compact, true)
        .into_iter()
        .map(|t| (t.word.to_string(), run.original(t.byte_start..t.byte_end)))
        .collect()
}

/// The part-of-speech tag jieba gives each Chinese word of `text` (`nr` person, `ns` place, `nt`
/// organisation, `nz` other proper noun, `m` numeral, `q` measure word, ...), with the word's
/// byte range in `text`. For mostly Chinese text (see [`is_mostly_chinese`]) the words are the
/// same as [`terms`] gives for the Chinese runs.
pub fn cjk_tags(text: &str) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    for run in cjk_runs(text) {
        let run = CjkRun::new(text, run);
        let mut at = 0;
        for tag in jieba().tag(&run.compact, true) {
            out.push((run.original(at..at + tag.word.len()), tag.tag.to_string()));
            at += tag.word.len();
        }
    }
    out
}

/// Byte ranges of the maximal runs of Chinese characters in `text`; ignorable characters between
/// two Chinese characters do not end a run.
fn cjk_runs(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if is_cjk(chars[i].1) {
            let j = cjk_run_end(&chars, i);
            runs.push(chars[i].0..chars.get(j).map_or(text.len(), |&(at, _)| at));
            i = j;
        } else {
            i += 1;
        }
    }
    runs
}

/// Where the run of Chinese characters starting at `chars[start]` ends (an index into `chars`):
/// at the first character that is neither Chinese nor ignorable between Chinese characters.
fn cjk_run_end(chars: &[(usize, char)], start: usize) -> usize {
    let mut end = start;
    let mut i = start;
    while i < chars.len() {
        if is_cjk(chars[i].1) {
            i += 1;
            end = i;
        } else if is_ignorable(chars[i].1) {
            i += 1;
        } else {
            break;
        }
    }
    end
}

/// How many words each thread keeps the stems of, once for words written in lower or mixed case
/// and once for words in capitals. A question reads about ten passages of a thousand words,
/// most of them the same few thousand common words, and stemming is most of analysing them; a
/// cache is emptied when full, which bounds its memory (about 1.5 MB, the capitals' far less)
/// without the bookkeeping of a least-recently-used order.
const CACHED_STEMS: usize = 16_384;

thread_local! {
    /// The stems of words as written in lower case or mixed case, then in capitals.
    static STEMS: RefCell<[HashMap<String, CompactString, Xxh3DefaultBuilder>; 2]> =
        RefCell::default();
}

/// The analysed form of a word written in lower-case ASCII letters, without the cache: spelling
/// correction stems hundreds of made-up words ("wating" -> "wsting", "wxting", ...) for one
/// unknown word, which would empty the cache that the posts' words rely on, and cost more to
/// cache than to stem.
pub fn stem_lowercase(word: &str) -> String {
    debug_assert!(word.bytes().all(|b| b.is_ascii_lowercase()), "{word:?}");
    stem_uncached(word, false)
}

/// The analysed form of `word`, normalised from `written`.
fn stem_normalized(word: &str, written: &str) -> CompactString {
    // An initialism ("u.s") is no English word to stem: "u." would be another one.
    if word.contains('.') && word.starts_with(char::is_alphabetic) {
        return word.into();
    }
    // An irregular form stems as the word it is a form of ("bought" as "buy"), unless it is
    // written in capitals: an acronym ("LED" lights are no "lead").
    let capitals = written.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && !written.chars().any(char::is_lowercase);
    STEMS.with_borrow_mut(|stems| {
        let stems = &mut stems[usize::from(capitals)];
        if let Some(stem) = stems.get(word) {
            return stem.clone();
        }
        if stems.len() >= CACHED_STEMS {
            stems.clear();
        }
        let stem = CompactString::from(stem_uncached(word, capitals));
        stems.insert(word.to_string(), stem.clone());
        stem
    })
}

/// The stem of normalised `word`, its irregular forms read as their words unless `capitals`.
fn stem_uncached(word: &str, capitals: bool) -> String {
    let forms = lexicon::english::IRREGULAR_FORMS;
    let word = forms
        .binary_search_by(|(form, _)| (*form).cmp(word))
        .ok()
        .filter(|_| !capitals)
        .map_or(word, |i| forms[i].1);
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
                text: t.text.to_string(),
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

/// Scans normalised (unstemmed) words: runs of letters and digits, joined across an apostrophe or `&` between letters,
/// across `.` or `,` between digits, and across the dots of an initialism ("U.S": a word of
/// its own, not the pronoun "us"; the synonyms say what it stands for). Hyphens between word
/// characters join compounds.
fn tokenize(text: &str) -> Vec<Word<'_>> {
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
        if !starts_word(chars[i].1) {
            i += 1;
            continue;
        }
        if is_cjk(chars[i].1) {
            // A run of Chinese characters: jieba's words, or the run whole in text that is mostly
            // in another script.
            let j = cjk_run_end(&chars, i);
            let run = chars[i].0..end_of(j);
            let segment =
                *chinese.get_or_insert_with(|| mostly_chinese(chars.iter().map(|&(_, c)| c)));
            let words = if segment {
                segment_cjk(text, run)
            } else {
                vec![(without_ignorables(&text[run.clone()]).into_owned(), run)]
            };
            for (word, range) in words {
                tokens.push(Word {
                    text: word.into(),
                    range,
                    position,
                    joined: false,
                });
                position += 1;
            }
            i = j;
            continue;
        }
        let start = i;
        let mut j = i + 1;
        // Where the word would end if it is an initialism so far: after its first letter (with
        // its marks), then after each lone letter joined across a dot. Kept as the scan goes, so
        // a long run of them ("a.b.c.d...") is read once, not once per dot.
        let mut initialism_end = letter_end(&chars, start);
        while j < chars.len() {
            let c = chars[j].1;
            if continues_word(c) {
                j += 1;
                continue;
            }
            if is_ignorable(c) {
                // A soft hyphen or zero-width space inside a word does not split it.
                let mut k = j + 1;
                while k < chars.len() && is_ignorable(chars[k].1) {
                    k += 1;
                }
                if chars.get(k).is_some_and(|&(_, n)| continues_word(n)) {
                    j = k;
                    continue;
                }
                break;
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
            // Single letters with dots between them: the word so far is "U" or "U.S", and the
            // letter after the dot stands alone too.
            let initialism_next = (c == '.' && initialism_end == Some(j))
                .then(|| letter_end(&chars, j + 1))
                .flatten()
                .filter(|&e| !chars.get(e).is_some_and(|&(_, a)| continues_word(a)));
            if let Some(end) = initialism_next {
                j = end;
                initialism_end = Some(end);
            } else if joins {
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

/// Where the letter at `chars[k]` ends, with the combining marks that belong to it (so "É"
/// composed or decomposed is one letter); None when no letter (or a Chinese one) is there.
fn letter_end(chars: &[(usize, char)], k: usize) -> Option<usize> {
    let &(_, c) = chars.get(k)?;
    if !c.is_alphabetic() || is_cjk(c) || is_ignorable(c) {
        return None;
    }
    let mut end = k + 1;
    while chars
        .get(end)
        .is_some_and(|&(_, m)| unicode_normalization::char::is_combining_mark(m))
    {
        end += 1;
    }
    Some(end)
}

fn emit_compound<'a>(
    text: &'a str,
    parts: &[Range<usize>],
    position: &mut usize,
    tokens: &mut Vec<Word<'a>>,
) {
    let first = *position;
    // A word of marks alone ("\u{d4a}", a vowel sign that counts as a letter) folds to nothing:
    // it is not a word to index or search.
    if let [part] = parts {
        // Most words are no compound: no list of parts, no joined form.
        let word = normalized(&text[part.clone()]);
        if !word.is_empty() {
            tokens.push(Word {
                text: word,
                range: part.clone(),
                position: *position,
                joined: false,
            });
            *position += 1;
        }
        return;
    }
    let parts: Vec<(Range<usize>, String)> = parts
        .iter()
        .map(|part| (part.clone(), normalize(&text[part.clone()])))
        .filter(|(_, word)| !word.is_empty())
        .collect();
    for (part, word) in &parts {
        tokens.push(Word {
            text: word.clone().into(),
            range: part.clone(),
            position: *position,
            joined: false,
        });
        *position += 1;
    }
    if parts.len() > 1 {
        let joined: String = parts.iter().map(|(_, word)| word.as_str()).collect();
        tokens.push(Word {
            text: joined.into(),
            range: parts[0].0.start..parts[parts.len() - 1].0.end,
            position: first,
            joined: true,
        });
    }
}

/// The words of a message as typed, for telling what kind of message it is: runs of letters,
/// digits and apostrophes ("don't", "China’s"), everything else separating them.
pub fn plain_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
}

/// Lower-cases, folds to one normal form (compatibility decomposition without accents and other
/// marks: "Crème", "cre\u{300}me" and "ｃｒｅｍｅ" are all "creme"), drops ignorable characters,
/// folds curly apostrophes, drops a possessive `'s` and the thousands separators of numbers.
pub fn normalize(word: &str) -> String {
    normalized(word).into_owned()
}

/// [`normalize`], borrowing `word` when it is its own normal form: lower-case ASCII without a
/// possessive `'s`, and no number with a thousands separator.
fn normalized(word: &str) -> Cow<'_, str> {
    let bytes = word.as_bytes();
    let folds = !word.is_ascii()
        || bytes.iter().any(u8::is_ascii_uppercase)
        || word.ends_with("'s")
        || (bytes.first().is_some_and(u8::is_ascii_digit) && bytes.contains(&b','));
    if !folds {
        return Cow::Borrowed(word);
    }
    let mut out: String = if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        word.nfkd()
            .filter(|&c| !unicode_normalization::char::is_combining_mark(c) && !is_ignorable(c))
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
    Cow::Owned(out)
}

/// Words that carry no meaning of their own in a question ([`lexicon::english::STOPWORDS`] and
/// [`lexicon::chinese::STOPWORDS`]); they are not searched for.
pub fn is_stopword(word: &str) -> bool {
    if word.is_ascii() {
        lexicon::sorted_contains(lexicon::english::STOPWORDS, word)
    } else {
        lexicon::sorted_contains(lexicon::chinese::STOPWORDS, word)
    }
}

/// Whether `term`, a word of `question`, is a function word, which is not searched: a
/// [stopword](is_stopword) as written or as analysed. A word the question writes as an acronym
/// ("US", "IT", "WHO") names something even when its lower-case form is a function word ("us",
/// "it", "who"), so it is searched and reaches its synonyms ("US" meets "America"). The word as
/// written decides, before the stopwords are consulted: taking such words out of the stopwords
/// would search the "us" of "tell us" too. So does a month's name capitalised inside a sentence
/// of the question: the "May" of "how many came in May" is searched, the "may" of "may I" not.
/// (Other capitalised function words are left out: "The" of a title and "Who" of "Doctor Who"
/// are as common in the posts as in the question, and searching them misled SQuAD questions.)
pub fn is_function_word(question: &str, term: &Term) -> bool {
    let written = &question[term.range.clone()];
    (is_stopword(&normalize(written)) || is_stopword(&term.text))
        && !is_written_as_acronym(question, written)
        && !(lexicon::english::MONTHS.contains(&&*term.text)
            && is_written_as_name(question, term.range.start, written))
}

/// Whether `word`, written in `question` at byte `at`, is capitalised as a name is: two or more
/// letters, a capital then lower case, not the first word of a sentence, in a question whose
/// other words are not all capitalised too ("How Many Came In May" capitalises every word).
fn is_written_as_name(question: &str, at: usize, word: &str) -> bool {
    let mut letters = word.chars().filter(|c| c.is_alphabetic());
    let title = letters.next().is_some_and(char::is_uppercase)
        && letters.clone().next().is_some()
        && letters.all(char::is_lowercase);
    let before = question[..at].trim_end();
    let opens_sentence = before.chars().last().is_none_or(|c| {
        matches!(
            c,
            '.' | '?' | '!' | ':' | ';' | '-' | '–' | '—' | '"' | '“' | '(' | '['
        )
    });
    let lower_word = question
        .split_whitespace()
        .skip(1)
        .any(|w| w.chars().next().is_some_and(char::is_lowercase));
    title && !opens_sentence && lower_word
}

/// Whether `word`, written in `question`, is an acronym: two or more letters, all capitals, in a
/// question that has lower-case letters (a question in capitals throughout has no acronyms to
/// tell apart).
fn is_written_as_acronym(question: &str, word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && word.chars().all(|c| !c.is_alphabetic() || c.is_uppercase())
        && question.chars().any(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        terms(text)
            .into_iter()
            .map(|t| t.text.to_string())
            .collect()
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
    fn irregular_forms_meet_the_words_they_are_forms_of() {
        assert_eq!(
            texts("The club bought a kiln"),
            texts("the club buys a kiln")
        );
        assert_eq!(
            texts("Maya taught the class"),
            texts("Maya teaches the class")
        );
        assert_eq!(texts("the fee fell"), texts("the fee falls"));
        assert_eq!(texts("children"), texts("child"));
        // Capitalised too; and regular words are left alone.
        assert_eq!(texts("Grew"), texts("grow"));
        assert_eq!(texts("ground"), ["ground"]);
        assert_eq!(texts("LED lights"), ["led", "light"]);
        // In one thread, so one stem cache: a form met first in lower case is not taken for
        // the same word in capitals, nor the other way round.
        assert_eq!(texts("led"), ["lead"]);
        assert_eq!(texts("LED"), ["led"]);
        assert_eq!(texts("led"), ["lead"]);
        let forms = crate::lexicon::english::IRREGULAR_FORMS;
        assert!(
            forms.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted, no repeats"
        );
        assert!(forms.iter().all(|(form, word)| form != word));
    }

    #[test]
    fn initialisms_are_words_of_their_own() {
        assert_eq!(
            texts("The U.S. and the U.K., e.g. A. Smith's J.R.R. Tolkien"),
            ["the", "u.s", "and", "the", "u.k", "e.g", "a", "smith", "j.r.r", "tolkien"]
        );
        // The dots of a sentence's end, a file name or a number stay separators or decimals.
        assert_eq!(
            texts("It is 3.5 km. See notes.txt or Section A.B2"),
            ["it", "is", "3.5", "km", "see", "note", "txt", "or", "section", "a", "b2"]
        );
        let terms = terms("in the U.S. today");
        assert_eq!(terms[2].text, "u.s");
        assert_eq!(terms[2].range, 7..10, "the final dot may end the sentence");
    }

    #[test]
    fn an_initialism_with_accents_is_one_word_composed_or_decomposed() {
        // "É.U." is the same word whether its accents are one character each or a letter and a
        // combining mark, as every other word is.
        assert_eq!(texts("É.U. and E\u{301}.U\u{301}."), ["e.u", "and", "e.u"]);
        let text = "in U\u{301}.S. now";
        let terms = terms(text);
        assert_eq!(&text[terms[1].range.clone()], "U\u{301}.S");
        // A letter with a mark after the dot still stands alone only when no letter follows it.
        assert_eq!(texts("U.E\u{301}x"), ["u", "ex"]);
        // A long run of them is one word, read in one pass.
        let run = "a.".repeat(5000);
        let words = super::terms(&run);
        assert_eq!(words.len(), 1);
        assert_eq!(words[0].range, 0..run.len() - 1);
    }

    #[test]
    fn numbers_lose_thousands_separators_but_keep_decimals() {
        assert_eq!(
            texts("over 1,000 orgs and 3.5 km"),
            ["over", "1000", "org", "and", "3.5", "km"]
        );
    }

    #[test]
    fn a_word_already_in_normal_form_is_borrowed_and_others_are_folded() {
        // Borrowing must never skip a fold: each of these changes when normalised.
        for (word, folded) in [
            ("Apple", "apple"),
            ("river's", "river"),
            ("1,000", "1000"),
            ("crème", "creme"),
            ("it’s", "it"),
        ] {
            assert!(matches!(normalized(word), Cow::Owned(_)), "{word:?}");
            assert_eq!(normalize(word), folded, "{word:?}");
        }
        for word in ["apple", "a,b", "12.5", "o'clock"] {
            assert!(matches!(normalized(word), Cow::Borrowed(_)), "{word:?}");
            assert_eq!(normalize(word), word);
        }
    }

    #[test]
    fn a_word_that_folds_to_nothing_is_no_term() {
        // A Malayalam vowel sign counts as a letter but decomposes into combining marks alone.
        assert!(terms("\u{d4a}").is_empty());
        assert_eq!(
            texts("inter-\u{d4a}-governmental"),
            ["inter", "government", "intergovernment"]
        );
        let positions: Vec<usize> = terms("a \u{d4a} b").iter().map(|t| t.position).collect();
        assert_eq!(positions, [0, 1]);
    }

    #[test]
    fn invisible_letters_and_marks_neither_start_nor_end_a_word() {
        // A Hangul filler is a letter to Unicode, a variation selector a mark; both are invisible.
        for text in ["\u{3164}one\u{3164}", "\u{fe0f}one\u{fe0f}", "one\u{34f}"] {
            let ranges: Vec<(usize, usize)> = terms(text)
                .into_iter()
                .map(|t| (t.range.start, t.range.end))
                .collect();
            let start = text.find("one").unwrap();
            assert_eq!(ranges, [(start, start + 3)], "{text:?}");
        }
        assert_eq!(texts("on\u{3164}e"), ["one"]);
        assert_eq!(texts("on\u{fe0f}e"), ["one"]);
    }

    #[test]
    fn quotes_case_and_accents_are_folded() {
        assert_eq!(texts("Chang’e"), texts("chang'e"));
        assert_eq!(texts("Graubünden"), texts("graubunden"));
        assert_eq!(texts("S&T"), ["s&t"]);
    }

    #[test]
    fn decomposed_accents_fold_like_composed_ones() {
        let decomposed = "cre\u{300}me bru\u{302}le\u{301}e";
        assert_eq!(texts(decomposed), texts("crème brûlée"));
        assert_eq!(texts(decomposed), ["creme", "brule"]);
        // The marks belong to the word they follow: the ranges cover the words as written.
        let got = terms(decomposed);
        assert_eq!(&decomposed[got[0].range.clone()], "cre\u{300}me");
        assert_eq!(&decomposed[got[1].range.clone()], "bru\u{302}le\u{301}e");
        // Full-width letters and ligatures fold to their plain forms.
        assert_eq!(texts("ＬＥＤ ﬁelds"), texts("LED fields"));
    }

    #[test]
    fn invisible_characters_neither_count_nor_split_words() {
        let plain = texts("how many agreements?");
        for marked in [
            "\u{feff}how many agreements?",
            "how many agree\u{ad}ments?",
            "how many agree\u{200b}ments?",
            "\u{200e}how\u{2060} many agree\u{200c}\u{200d}ments\u{200b}?",
        ] {
            assert_eq!(texts(marked), plain, "{marked:?}");
        }
        let text = "\u{feff}agree\u{ad}ments\u{200b} signed";
        let got = terms(text);
        assert_eq!(&text[got[0].range.clone()], "agree\u{ad}ments");
        assert_eq!(&text[got[1].range.clone()], "signed");
        assert!(texts("\u{200b}\u{feff}\u{ad}").is_empty());
    }

    #[test]
    fn invisible_characters_inside_chinese_words_are_skipped() {
        let plain = "码头共有15个系缆桩。";
        let marked = "\u{feff}码头共有15个系\u{200b}缆\u{ad}桩。";
        assert_eq!(texts(marked), texts(plain));
        let got = terms(marked);
        let words: Vec<&str> = got.iter().map(|t| &marked[t.range.clone()]).collect();
        assert!(words.contains(&"系\u{200b}缆"), "{words:?}");
        assert_eq!(&marked[got[0].range.clone()], "码头");
        let tags = cjk_tags(marked);
        assert!(
            got.iter()
                .all(|t| is_cjk_word(&t.text) == tags.iter().any(|(r, _)| *r == t.range)),
            "{tags:?}"
        );
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
    fn a_stopword_capitalised_as_a_name_is_no_function_word() {
        let function = |question: &str, word: &str| {
            terms(question)
                .iter()
                .filter(|t| is_function_word(question, t))
                .any(|t| &question[t.range.clone()] == word)
        };
        assert!(!function("How many passengers came in May?", "May"));
        assert!(function("May I bring a friend?", "May"));
        assert!(function("Is it open? May I come?", "May"));
        assert!(function("Quick question - May I bring a guest?", "May"));
        assert!(function("How Many Passengers Came In May?", "May"));
        assert!(function("what did I say in may", "may"));
    }

    #[test]
    fn a_stopword_written_as_an_acronym_is_no_function_word() {
        let function_words = |question: &str| -> Vec<String> {
            terms(question)
                .iter()
                .filter(|t| is_function_word(question, t))
                .map(|t| question[t.range.clone()].to_string())
                .collect()
        };
        assert_eq!(function_words("Did the US help us?"), ["Did", "the", "us"]);
        assert_eq!(function_words("Is IT run by WHO?"), ["Is", "by"]);
        // In a question in capitals throughout, capitals tell nothing.
        assert_eq!(function_words("DID THE US HELP?"), ["DID", "THE", "US"]);
    }

    #[test]
    fn punctuation_only_gives_nothing() {
        assert!(texts("?!* -- :: \"'").is_empty());
    }
}
