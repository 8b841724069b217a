//! The candidate answers of an English sentence, drawn from its dependency tree: the phrases a
//! short answer can be. Each noun, name or number heads a few nested phrases (the word alone;
//! with its determiners, modifiers and counted noun, "over 160 countries and regions"; with the
//! prepositional phrases after it, "the University of Chicago"; its whole subtree), a verb heads
//! its predicate ("to protect the river"), and a few shapes the tree may split are added whole:
//! runs of proper nouns ("Shanghai Cooperation Organisation"), ranges ("1562 to 1598"), quoted
//! and bracketed text. A candidate is a run of whole tokens that never opens or closes a bracket
//! or quotation it does not also close or open, so a short answer never ends inside a word, a
//! bracket or a quotation, nor cuts a hyphenated word but at a number.

use std::ops::Range;

use super::features::{self, is_month};
use crate::lexicon::english::{
    CLOCK_WORDS, FIGURE_QUALIFIERS, FRACTION_WORDS, NAME_JOINERS, ORDINAL_WORDS, RANGE_JOINERS,
    RANGE_OPENERS, RATE_PERIODS, RATE_WORDS, SCALE_WORDS,
};
use crate::syntax::{Analysis, Relation, Tag};

/// How a candidate was found; a feature of the ranker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// One word.
    Word,
    /// A word with its modifiers before and its name parts after ("the 14th Five-Year Plan").
    Core,
    /// The core with the prepositional phrases after it ("University of Chicago").
    Phrase,
    /// A word's whole subtree.
    Subtree,
    /// A verb with what follows it ("to protect the river").
    Predicate,
    /// A run of proper nouns, with "of", "and", "the", "&" inside.
    Name,
    /// Two numbers joined by "to", "-" or "and" ("1562 to 1598", "2021-2025").
    Range,
    /// Text inside quotation marks.
    Quoted,
    /// Text inside brackets.
    Bracketed,
    /// A list of coordinated phrases ("climate change and viral outbreaks").
    List,
}

/// A candidate answer: a run of tokens of one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The tokens it covers, `start..end` indices into the sentence's tokens.
    pub tokens: Range<usize>,
    /// Its head: the token whose head lies outside the candidate (the first such token).
    pub head: usize,
    /// How it was found.
    pub kind: Kind,
}

impl Candidate {
    /// Its byte range in the sentence.
    pub fn bytes(&self, syntax: &Analysis) -> Range<usize> {
        syntax.tokens[self.tokens.start].start..syntax.tokens[self.tokens.end - 1].end
    }
}

/// The longest candidate, in tokens: longer spans are passages, not short answers.
pub const MAX_TOKENS: usize = 24;

/// Relations of the words before a noun that belong to its core phrase.
fn core_before(relation: Relation) -> bool {
    use Relation::*;
    matches!(
        relation,
        Det | Amod | Compound | Nummod | Nmod | Flat | Advmod | Fixed | Case
    )
}

/// Relations of the words after a noun that belong to its core phrase.
fn core_after(relation: Relation) -> bool {
    use Relation::*;
    matches!(relation, Flat | Compound | Fixed | Nummod | Amod)
}

/// The tree of a sentence with each word's children and subtree extent.
struct Tree {
    children: Vec<Vec<usize>>,
    /// Leftmost and rightmost token of each subtree.
    extent: Vec<(usize, usize)>,
}

impl Tree {
    fn new(syntax: &Analysis) -> Tree {
        let n = syntax.tokens.len();
        let mut children = vec![Vec::new(); n];
        for (d, h) in syntax.heads.iter().enumerate() {
            if let Some(h) = *h {
                children[h].push(d);
            }
        }
        let mut extent: Vec<(usize, usize)> = (0..n).map(|i| (i, i)).collect();
        // Spread each word's position up to its ancestors (a bounded walk: trees are shallow,
        // and a cycle from a damaged parse stops at n steps).
        for d in 0..n {
            let mut at = d;
            for _ in 0..n {
                let Some(h) = syntax.heads[at] else { break };
                let e = &mut extent[h];
                e.0 = e.0.min(d);
                e.1 = e.1.max(d);
                at = h;
            }
        }
        Tree { children, extent }
    }

    /// The extent of `word` with only the children that `keep` accepts (each with its whole
    /// subtree), and only if they are contiguous with the word.
    fn span_with(&self, word: usize, keep: impl Fn(usize, bool) -> bool) -> (usize, usize) {
        let (mut lo, mut hi) = (word, word);
        let mut before: Vec<usize> = self.children[word]
            .iter()
            .copied()
            .filter(|&c| c < word)
            .collect();
        before.sort_unstable_by(|a, b| b.cmp(a));
        for c in before {
            if !keep(c, true) || self.extent[c].1 + 1 != lo {
                break;
            }
            lo = self.extent[c].0;
        }
        for &c in self.children[word].iter().filter(|&&c| c > word) {
            if !keep(c, false) || self.extent[c].0 != hi + 1 {
                break;
            }
            hi = self.extent[c].1;
        }
        (lo, hi)
    }
}

/// How many of the tokens are backticks.
fn backticks(sentence: &str, tokens: &[Range<usize>]) -> usize {
    tokens
        .iter()
        .filter(|r| &sentence[(*r).clone()] == "`")
        .count()
}

/// Whether the sentence's backticks pair up, so that they mark code; a stray one ("the old
/// `--legacy flag") marks none.
fn marks_code(sentence: &str, syntax: &Analysis) -> bool {
    backticks(sentence, &syntax.tokens).is_multiple_of(2)
}

/// Whether the backtick at token `t` opens code: the sentence's backticks mark code, and an
/// even number of them comes before it.
fn opens_code(sentence: &str, syntax: &Analysis, t: usize) -> bool {
    marks_code(sentence, syntax) && backticks(sentence, &syntax.tokens[..t]).is_multiple_of(2)
}

/// Whether the tokens `lo..=hi` open and close their brackets and quotation marks in pairs
/// (backticks only where they [mark code](marks_code)).
fn balanced(sentence: &str, syntax: &Analysis, lo: usize, hi: usize) -> bool {
    let mut depth = 0i32;
    let mut straight = 0;
    for r in &syntax.tokens[lo..=hi] {
        match &sentence[r.clone()] {
            "(" | "[" | "{" | "“" | "‘" | "«" => depth += 1,
            ")" | "]" | "}" | "”" | "»" => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            // A closing single quote is often an apostrophe ("members’"): only count it when
            // an opening one came first.
            "’" if depth > 0 => depth -= 1,
            // Straight quotes and Markdown's code marks open and close alike.
            "\"" => straight += 1,
            "`" if marks_code(sentence, syntax) => straight += 1,
            _ => {}
        }
    }
    depth == 0 && straight % 2 == 0
}

/// Whether tokens `a` and `b` touch: no space between them ("aren" "’t", "−" "5").
fn touching(syntax: &Analysis, a: usize, b: usize) -> bool {
    syntax.tokens[a].end == syntax.tokens[b].start
}

/// Whether token `t` is the end of a word split in two ("n’t" of "aren’t", "’s" of "China’s"):
/// it touches a word before it and starts with a letter, or with an apostrophe and a letter.
fn continues_word(sentence: &str, syntax: &Analysis, t: usize) -> bool {
    let Some(before) = t.checked_sub(1) else {
        return false;
    };
    let touches = touching(syntax, before, t);
    let word_before = sentence[syntax.tokens[before].clone()]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    let mut chars = sentence[syntax.tokens[t].clone()].chars();
    let first = chars.next();
    let continues = first.is_some_and(char::is_alphabetic)
        || matches!(first, Some('\'' | '’')) && chars.next().is_some_and(char::is_alphabetic);
    touches && word_before && continues
}

/// Whether tokens `t` and `t + 2` are the parts of a hyphenated word ("Sci" and "tech" of
/// "Sci-tech"), which a short answer never cuts, unless one part is a number: "11" of "an
/// 11-year veteran" says how many, and "2025" of "2021-2025" is a year. A fraction is one
/// figure: "one" of "one-fifth" says another.
fn hyphenated(sentence: &str, syntax: &Analysis, t: usize) -> bool {
    let text = |i: usize| &sentence[syntax.tokens[i].clone()];
    let number =
        |i: usize| syntax.tags[i] == Tag::Num || text(i).starts_with(|c: char| c.is_ascii_digit());
    // Lower-casing allocates: only for the few tokens that pass the cheap checks first.
    let fraction = || {
        let denominator = text(t + 2).to_lowercase();
        let denominator = denominator.strip_suffix('s').unwrap_or(&denominator);
        FRACTION_WORDS.contains(&denominator) || ORDINAL_WORDS.contains(&denominator)
    };
    matches!(text(t + 1), "-" | "‐" | "‑")
        && touching(syntax, t, t + 1)
        && touching(syntax, t + 1, t + 2)
        && text(t).ends_with(char::is_alphanumeric)
        && text(t + 2).starts_with(char::is_alphanumeric)
        && (!number(t) && !number(t + 2) || fraction())
}

/// Whether a token is punctuation that never starts or ends an answer.
fn is_edge_punctuation(text: &str, tag: Tag) -> bool {
    let symbol = tag == Tag::Punct || !text.chars().any(char::is_alphanumeric);
    symbol && text != "%" && !is_currency(text) || matches!(text, "," | ";" | ":")
}

/// Collects the candidates of a sentence.
pub fn candidates(sentence: &str, syntax: &Analysis) -> Vec<Candidate> {
    let n = syntax.tokens.len();
    let mut out: Vec<Candidate> = Vec::new();
    if n == 0 {
        return out;
    }
    let tree = Tree::new(syntax);
    let text = |i: usize| &sentence[syntax.tokens[i].clone()];
    let mut push = |lo: usize, hi: usize, head: usize, kind: Kind| {
        let (mut lo, mut hi) = (lo, hi);
        // The text of one pair of backticks is code, taken whole, dashes and all ("--dry-run").
        let code = lo > 0
            && hi + 1 < n
            && text(lo - 1) == "`"
            && text(hi + 1) == "`"
            && opens_code(sentence, syntax, lo - 1)
            && (lo..=hi).all(|t| text(t) != "`");
        // Never start inside a word ("n’t shy" of "aren’t shy") or with punctuation, a
        // preposition or a conjunction, nor end with punctuation or a conjunction.
        while !code
            && lo < hi
            && (continues_word(sentence, syntax, lo)
                || is_edge_punctuation(text(lo), syntax.tags[lo])
                || matches!(syntax.tags[lo], Tag::Cconj | Tag::Adp)
                    && !matches!(kind, Kind::Quoted | Kind::Bracketed))
        {
            lo += 1;
        }
        while !code
            && hi > lo
            && (is_edge_punctuation(text(hi), syntax.tags[hi]) || syntax.tags[hi] == Tag::Cconj)
        {
            hi -= 1;
        }
        // A figure's sign may be punctuation; anything else at the edge was trimmed above.
        let (figure_lo, hi) = figure_extent(sentence, syntax, &tree, lo, hi);
        if hi + 1 - figure_lo > MAX_TOKENS
            || !code && figure_lo == lo && is_edge_punctuation(text(lo), syntax.tags[lo])
            || !balanced(sentence, syntax, figure_lo, hi)
        {
            return;
        }
        let lo = figure_lo;
        // A figure is never cut from its scale: "2.6" or "million" of "2.6 million" says
        // another figure than the post.
        let digits = |t: usize| text(t).chars().any(|c| c.is_ascii_digit());
        // Lower case only, and not after a year: "the 1995 Million Man March".
        let scale = |t: usize| t > 0 && !is_year(text(t - 1)) && SCALE_WORDS.contains(&text(t));
        if hi + 1 < n && digits(hi) && scale(hi + 1) || lo > 0 && scale(lo) && digits(lo - 1) {
            return;
        }
        // Never cut a hyphenated word ("Embassy Sci" of "Embassy Sci-tech Expo", "colonial" of
        // "non-colonial").
        if hi + 2 < n && hyphenated(sentence, syntax, hi)
            || lo >= 2 && hyphenated(sentence, syntax, lo - 2)
        {
            return;
        }
        // A sign or a dash alone says nothing.
        if !sentence[syntax.tokens[lo].start..syntax.tokens[hi].end]
            .chars()
            .any(char::is_alphanumeric)
        {
            return;
        }
        let tokens = lo..hi + 1;
        if out.iter().any(|c| c.tokens == tokens) {
            return;
        }
        // The head is the token whose own head is outside the span.
        let head = if (lo..=hi).contains(&head) {
            head
        } else {
            (lo..=hi)
                .find(|&t| syntax.heads[t].is_none_or(|h| h < lo || h > hi))
                .unwrap_or(lo)
        };
        out.push(Candidate { tokens, head, kind });
    };

    for w in 0..n {
        let tag = syntax.tags[w];
        let nominal = matches!(
            tag,
            Tag::Noun | Tag::Propn | Tag::Num | Tag::Adj | Tag::Sym | Tag::X | Tag::Pron
        );
        if nominal {
            if tag != Tag::Pron {
                push(w, w, w, Kind::Word);
            }
            let core = tree.span_with(w, |c, before| {
                let r = syntax.relations[c];
                if before {
                    core_before(r) && !(r == Relation::Case && syntax.tags[c] == Tag::Adp)
                } else {
                    core_after(r)
                }
            });
            push(core.0, core.1, w, Kind::Core);
            // The core with the phrases after it ("of Chicago", "in the U.S.").
            let phrase = tree.span_with(w, |c, before| {
                let r = syntax.relations[c];
                if before {
                    core_before(r) && !(r == Relation::Case && syntax.tags[c] == Tag::Adp)
                } else {
                    core_after(r) || matches!(r, Relation::Nmod | Relation::Appos)
                }
            });
            if phrase != core {
                push(phrase.0, phrase.1, w, Kind::Phrase);
            }
            // Coordinated phrases ("Denmark, Iceland and Norway").
            let list = tree.span_with(w, |c, before| {
                let r = syntax.relations[c];
                if before {
                    core_before(r) && !(r == Relation::Case && syntax.tags[c] == Tag::Adp)
                } else {
                    core_after(r) || matches!(r, Relation::Conj | Relation::Cc | Relation::Punct)
                }
            });
            if tree.children[w]
                .iter()
                .any(|&c| syntax.relations[c] == Relation::Conj)
            {
                push(list.0, list.1, w, Kind::List);
            }
        }
        if tag == Tag::Verb || tag == Tag::Aux && syntax.heads[w].is_none() {
            // The predicate: the verb and what follows it, with a "to" or "by" before it.
            let predicate = tree.span_with(w, |c, before| {
                let r = syntax.relations[c];
                if before {
                    matches!(r, Relation::Mark | Relation::Aux | Relation::Advmod)
                        && matches!(syntax.tags[c], Tag::Part | Tag::Sconj | Tag::Adv | Tag::Aux)
                } else {
                    !matches!(
                        r,
                        Relation::Punct | Relation::Parataxis | Relation::Conj | Relation::Cc
                    )
                }
            });
            if predicate.1 > predicate.0 {
                push(predicate.0, predicate.1, w, Kind::Predicate);
            }
        }
        // The whole subtree of a phrase that is not the sentence itself.
        let (lo, hi) = tree.extent[w];
        if syntax.heads[w].is_some() && hi > lo && hi - lo + 1 < n {
            push(lo, hi, w, Kind::Subtree);
        }
    }
    names(sentence, syntax, &mut push);
    ranges(sentence, syntax, &mut push);
    rates(sentence, syntax, &mut push);
    enclosed(sentence, syntax, &mut push);
    out
}

/// A span that starts or ends with a number, widened to keep what makes the figure what it
/// is: the currency or minus sign before it ("£2.5 million", "−300"), the words that qualify
/// it ("over 70", "more than 1,500": the number's modifiers just before it), and a "%" after
/// it. Without them a short answer would state a different figure than the post.
fn figure_extent(
    sentence: &str,
    syntax: &Analysis,
    tree: &Tree,
    lo: usize,
    hi: usize,
) -> (usize, usize) {
    let text = |i: usize| &sentence[syntax.tokens[i].clone()];
    let (mut lo, mut hi) = (lo, hi);
    if syntax.tags[lo] == Tag::Num {
        if let Some(qualifier) = tree.children[lo].iter().copied().find(|&c| {
            c < lo && syntax.relations[c] == Relation::Advmod && tree.extent[c].1 + 1 == lo
        }) {
            lo = tree.extent[qualifier].0;
        }
        let touching = |a: usize, b: usize| touching(syntax, a, b);
        // A sign starts a word: the hyphen of "2022-2027" is a dash between two numbers.
        let starts_word = |t: usize| t == 0 || !touching(t - 1, t) || text(t - 1) == "(";
        if lo > 0
            && (is_currency(text(lo - 1))
                || matches!(text(lo - 1), "-" | "−" | "+" | "±")
                    && touching(lo - 1, lo)
                    && starts_word(lo - 1))
        {
            lo -= 1;
        }
    }
    // A span that starts inside a qualifier of several words before its first figure starts
    // with the qualifier ("least 4 GB" of "at least 4 GB"). One that starts at the figure stays
    // so: gold answers leave qualifiers out about as often as they keep them (SQuAD train).
    if let Some(number) = (lo..=hi).find(|&t| syntax.tags[t] == Tag::Num) {
        if let Some(qualifier) = qualifier_before(sentence, syntax, number) {
            if qualifier.start < lo && lo < qualifier.end {
                lo = qualifier.start;
            }
        }
    }
    if syntax.tags[hi] == Tag::Num && hi + 1 < syntax.tokens.len() && text(hi + 1) == "%" {
        hi += 1;
    }

    // A date is taken whole: a day's number with its month on either side ("14 December",
    // "December 14"), and the year after them ("14 December 2024").
    let n = syntax.tokens.len();
    let day_and_month = |a: usize, b: usize| {
        is_day_number(text(a)) && is_month(text(b)) || is_month(text(a)) && is_day_number(text(b))
    };
    if lo > 0 && day_and_month(lo - 1, lo) {
        lo -= 1;
    }
    if hi + 1 < n && day_and_month(hi, hi + 1) {
        hi += 1;
    }
    if hi + 1 < n && lo < hi && day_and_month(hi - 1, hi) && is_year(text(hi + 1)) {
        hi += 1;
    }
    (lo, hi)
}

/// The tokens of a qualifier of [`FIGURE_QUALIFIERS`] that ends just before token `number`
/// (or before its currency sign).
fn qualifier_before(sentence: &str, syntax: &Analysis, number: usize) -> Option<Range<usize>> {
    // A currency sign may come between: "at most *£*20".
    let text = |t: usize| &sentence[syntax.tokens[t].clone()];
    let end = if number > 0 && is_currency(text(number - 1)) {
        number - 1
    } else {
        number
    };
    FIGURE_QUALIFIERS
        .iter()
        .filter_map(|words| {
            let start = end.checked_sub(words.len())?;
            words
                .iter()
                .enumerate()
                .all(|(k, w)| text(start + k).eq_ignore_ascii_case(w))
                .then_some(start)
        })
        .min()
        .map(|start| start..end)
}

/// Whether a token is a day of the month: "14", "3rd".
fn is_day_number(token: &str) -> bool {
    let number = token.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &token[number.len()..];
    matches!(suffix, "" | "st" | "nd" | "rd" | "th")
        && number.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
}

/// Whether a token is a year written in full: "2024".
pub fn is_year(token: &str) -> bool {
    token.len() == 4
        && token
            .parse::<u32>()
            .is_ok_and(|y| (1000..=2100).contains(&y))
}

/// A currency sign: "$", "£", "¥", "€" and the rest of Unicode's currency block.
pub(super) fn is_currency(token: &str) -> bool {
    let mut chars = token.chars();
    matches!(
        (chars.next(), chars.next()),
        (Some('$' | '£' | '¥' | '¢' | '₠'..='⃏'), None)
    )
}

/// Names: runs of proper nouns with "of", "and", "the", "for", "&" between them ("Shanghai
/// Cooperation Organisation"); and, where it is longer, the name as a title writes it: with
/// capitalised words the tagger may call common nouns ("Five-Year Plan"), the parts of a
/// hyphenated word ("Five-Year"), a number right after it ("Chang’e 6", "Apollo 11") and an
/// ordinal right before it ("the 14th Five-Year Plan").
fn names(sentence: &str, syntax: &Analysis, push: &mut impl FnMut(usize, usize, usize, Kind)) {
    let proper = |i: usize| syntax.tags[i] == Tag::Propn;
    name_runs(sentence, syntax, proper, false, push);
    name_runs(
        sentence,
        syntax,
        |i| is_titled(sentence, syntax, i),
        true,
        push,
    );
}

/// Whether token `i` is a name word as a title writes it: a proper noun, or a capitalised word
/// that is not capitalised only for starting the sentence.
fn is_titled(sentence: &str, syntax: &Analysis, i: usize) -> bool {
    syntax.tags[i] == Tag::Propn
        || i > 0
            && sentence[syntax.tokens[i].clone()]
                .chars()
                .next()
                .is_some_and(char::is_uppercase)
            && matches!(syntax.tags[i], Tag::Noun | Tag::Adj | Tag::Num | Tag::X)
}

/// Where a candidate may not begin or end in a sentence because a name as a title writes it goes
/// on there (see [`name_edges`]).
pub struct NameEdges {
    /// Per token: a candidate that ends there leaves out the name's end.
    pub no_end: Vec<bool>,
    /// Per token: a candidate that starts there leaves out the ordinal the name starts with, or
    /// the part of a hyphenated word before it.
    pub no_start: Vec<bool>,
}

/// Where the names of a sentence, as a title writes them, may not be cut: before a number that
/// ends one ("Chang’e" of "Chang’e 6"), inside a hyphenated word ("Miller" and "Boyett" of
/// "Miller-Boyett Productions"), and after the ordinal that starts one ("the 14th" and
/// "Five-Year Plan" of "the 14th Five-Year Plan"). A name may be cut before a joiner ("Britain"
/// of "Britain and France") and between its words: a title before a name ("Economist Simon
/// Kuznets") is often the answer on its own, and a name before a common noun about as often
/// ("Genesis" of "Genesis Rock").
pub fn name_edges(sentence: &str, syntax: &Analysis) -> NameEdges {
    let n = syntax.tokens.len();
    let text = |i: usize| &sentence[syntax.tokens[i].clone()];
    let mut edges = NameEdges {
        no_end: vec![false; n],
        no_start: vec![false; n],
    };
    let names_number = |t: usize| {
        text(t + 1).starts_with(|c: char| c.is_ascii_digit()) && numbers_name(sentence, syntax, t)
    };
    let mut mark = |from: usize, to: usize, _head: usize, _kind: Kind| {
        for t in from..to {
            let hyphen = text(t + 1) == "-";
            let ordinal = t == from && is_ordinal(text(t));
            edges.no_end[t] |= names_number(t) || hyphen || ordinal;
            edges.no_start[t + 1] |= ordinal;
            if hyphen && t + 2 <= to {
                edges.no_start[t + 2] = true;
            }
        }
    };
    name_runs(
        sentence,
        syntax,
        |i| is_titled(sentence, syntax, i),
        true,
        &mut mark,
    );
    edges
}

/// Whether the number after name word `t` is the name's ("Surveyor 3 probe"), not one that
/// counts or times what follows ("paid Mike 200 euros", "on Friday 30 volunteers came",
/// "Saturday 7 pm"). A date is a name with a number in this sense ("January 2010").
fn numbers_name(sentence: &str, syntax: &Analysis, t: usize) -> bool {
    let n = syntax.tokens.len();
    let lower = |i: usize| sentence[syntax.tokens[i].clone()].to_lowercase();
    let counted = features::counted_phrase(sentence, syntax, t + 1);
    let counts = counted.end > counted.start && lower(counted.end - 1).ends_with('s');
    let timed = t + 2 < n && CLOCK_WORDS.contains(&lower(t + 2).as_str());
    !counts && !timed
}

/// The runs of words that `is_name` accepts, joined by [`NAME_JOINERS`]; `as_titled` also
/// joins hyphenated parts and takes a number after the run and an ordinal before it.
fn name_runs(
    sentence: &str,
    syntax: &Analysis,
    is_name: impl Fn(usize) -> bool,
    as_titled: bool,
    push: &mut impl FnMut(usize, usize, usize, Kind),
) {
    let n = syntax.tokens.len();
    let text = |i: usize| &sentence[syntax.tokens[i].clone()];
    let touching = |a: usize, b: usize| touching(syntax, a, b);
    let number = |i: usize| text(i).len() <= 4 && text(i).chars().all(|c| c.is_ascii_digit());
    // A number that is a word of its own: "Apollo 11." but not the "2" of "Phase 2-3".
    let whole = |i: usize| {
        i + 1 >= n
            || !touching(i, i + 1)
            || matches!(
                text(i + 1),
                "." | "," | ";" | ":" | ")" | "]" | "”" | "’" | "\"" | "'" | "!" | "?"
            )
    };
    // A joiner between two name words, or (as a title writes it) the hyphen inside a word.
    let joined = |j: usize| {
        NAME_JOINERS.contains(&text(j + 1)) && is_name(j + 2)
            || as_titled
                && text(j + 1) == "-"
                && touching(j, j + 1)
                && touching(j + 1, j + 2)
                && (is_name(j + 2) || number(j + 2))
    };
    let mut i = 0;
    while i < n {
        if !is_name(i) {
            i += 1;
            continue;
        }
        let mut j = i;
        loop {
            if j + 1 < n && is_name(j + 1) {
                j += 1;
            } else if j + 2 < n && joined(j) {
                j += 2;
            } else {
                break;
            }
        }
        let mut from = i;
        if as_titled {
            if j + 1 < n
                && number(j + 1)
                && !touching(j, j + 1)
                && whole(j + 1)
                && numbers_name(sentence, syntax, j)
            {
                j += 1;
            }
            if i > 0 && is_ordinal(text(i - 1)) {
                from = i - 1;
            }
        }
        if j > from {
            push(from, j, j, Kind::Name);
        }
        i = j + 1;
    }
}

/// Whether a token is an ordinal written in figures ("14th", "2nd").
fn is_ordinal(token: &str) -> bool {
    let digits = token.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && matches!(&token[digits.len()..], "st" | "nd" | "rd" | "th")
}

/// Two numbers joined by "to", "-", "–", "and" or "through": "1562 to 1598", "2021-2025".
fn ranges(sentence: &str, syntax: &Analysis, push: &mut impl FnMut(usize, usize, usize, Kind)) {
    let n = syntax.tokens.len();
    let text = |i: usize| &sentence[syntax.tokens[i].clone()];
    for i in 0..n.saturating_sub(2) {
        if syntax.tags[i] == Tag::Num
            && (RANGE_JOINERS.contains(&text(i + 1)) || matches!(text(i + 1), "-" | "–" | "—"))
            && syntax.tags[i + 2] == Tag::Num
        {
            let from = if i > 0 && RANGE_OPENERS.contains(&text(i - 1)) {
                i - 1
            } else {
                i
            };
            push(from, i + 2, i, Kind::Range);
            if from != i {
                push(i, i + 2, i, Kind::Range);
            }
        }
    }
}

/// A figure with the period or thing it is counted per, and the unit between them: "£12 a
/// year", "1.6 feet per year", "40 km an hour" (on SQuAD train, 10 answers holding such a
/// figure keep the rate, 2 leave it out).
fn rates(sentence: &str, syntax: &Analysis, push: &mut impl FnMut(usize, usize, usize, Kind)) {
    let n = syntax.tokens.len();
    let text = |i: usize| sentence[syntax.tokens[i].clone()].to_lowercase();
    for i in (0..n).filter(|&i| syntax.tags[i] == Tag::Num) {
        let unit = usize::from(i + 1 < n && syntax.tags[i + 1] == Tag::Noun);
        let per = i + 1 + unit;
        if per + 1 < n
            && RATE_WORDS.contains(&text(per).as_str())
            && RATE_PERIODS.contains(&text(per + 1).as_str())
        {
            push(i, per + 1, i, Kind::Core);
        }
    }
}

/// Text between matching quotation marks or brackets.
fn enclosed(sentence: &str, syntax: &Analysis, push: &mut impl FnMut(usize, usize, usize, Kind)) {
    let n = syntax.tokens.len();
    let text = |i: usize| &sentence[syntax.tokens[i].clone()];
    for i in 0..n {
        let (close, kind): (&[&str], Kind) = match text(i) {
            "“" => (&["”"], Kind::Quoted),
            "\"" => (&["\""], Kind::Quoted),
            "`" if opens_code(sentence, syntax, i) => (&["`"], Kind::Quoted),
            "‘" => (&["’"], Kind::Quoted),
            "(" => (&[")"], Kind::Bracketed),
            "[" => (&["]"], Kind::Bracketed),
            _ => continue,
        };
        if let Some(j) = (i + 1..n.min(i + 2 + MAX_TOKENS)).find(|&j| close.contains(&text(j))) {
            if j > i + 1 {
                push(i + 1, j - 1, i + 1, kind);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Syntax;

    fn spans(sentence: &str) -> Vec<&str> {
        let syntax = Syntax::shipped().analyse(sentence);
        candidates(sentence, &syntax)
            .iter()
            .map(|c| &sentence[c.bytes(&syntax)])
            .collect()
    }

    /// Every candidate that holds `number` also holds `with`: a figure never loses its sign.
    #[track_caller]
    fn always_with(sentence: &str, number: &str, with: &str) {
        let all = spans(sentence);
        assert!(all.iter().any(|s| s.contains(number)), "{all:?}");
        for span in all.iter().filter(|s| s.contains(number)) {
            assert!(span.contains(with), "{span:?} of {all:?}");
        }
    }

    /// The words of `sentence` a candidate may not end with, and those it may not start with.
    fn uncut(sentence: &str) -> (Vec<&str>, Vec<&str>) {
        let syntax = Syntax::shipped().analyse(sentence);
        let edges = name_edges(sentence, &syntax);
        let words = |flags: &[bool]| {
            (0..flags.len())
                .filter(|&t| flags[t])
                .map(|t| &sentence[syntax.tokens[t].clone()])
                .collect()
        };
        (words(&edges.no_end), words(&edges.no_start))
    }

    #[test]
    fn names_are_not_cut_before_their_number_inside_a_hyphenated_word_or_after_their_ordinal() {
        assert_eq!(
            uncut("The club watched the launch of Tianwen 2 last night."),
            (vec!["Tianwen"], vec![])
        );
        assert_eq!(
            uncut("The hall was built by Carter-Boyd Builders in spring."),
            (vec!["Carter"], vec!["Boyd"])
        );
        assert_eq!(
            uncut("The council adopted the 3rd Harbour Plan in March."),
            (vec!["3rd"], vec!["Harbour"])
        );
        // A name may end before a joiner or a proper noun: "Britain" names a country, and a
        // title before a name is often the answer on its own. A number that counts or times
        // what follows is no part of the name before it.
        assert_eq!(
            uncut("Ships from Britain and France docked, as Mayor Ada Brown said."),
            (vec![], vec![])
        );
        assert_eq!(
            uncut("The club paid Mike 200 euros, and on Friday 30 volunteers came at 7 pm."),
            (vec![], vec![])
        );
    }

    #[test]
    fn figures_keep_their_signs_and_qualifiers() {
        always_with("Repairs cost £2.5 million a year.", "2.5", "£2.5");
        always_with("The lake froze at −5 degrees in January.", "5", "−5");
        always_with("Turnout rose to 64% this spring.", "64", "64%");
        always_with("The port hosts over 70 ships.", "70", "over 70");
        always_with(
            "The port hosts more than 1,500 fishing boats.",
            "1,500",
            "more than 1,500",
        );
    }

    #[test]
    fn names_are_candidates_as_titles_write_them() {
        let all = spans(
            "Engineers of the Apollo 11 landing wrote the 3rd Harbour Water-Quality Plan with the \
             Coastal Science and Technology Exchange Office.",
        );
        for expected in [
            "Apollo 11",
            "3rd Harbour Water-Quality Plan",
            "Coastal Science and Technology Exchange Office",
        ] {
            assert!(all.contains(&expected), "{expected:?} missing from {all:?}");
        }
        // A number is taken whole or not at all.
        let all = spans("The Phase 2-3 trials of Apollo 11.");
        assert!(all.contains(&"Apollo 11"), "{all:?}");
        assert!(!all.contains(&"Phase 2"), "{all:?}");
        // A word capitalised only for starting the sentence does not start a name.
        let all = spans("Engineers met Mary Lee in Harbour City.");
        assert!(
            all.contains(&"Mary Lee") && all.contains(&"Harbour City"),
            "{all:?}"
        );
        assert!(!all.iter().any(|s| s.starts_with("Engineers ")), "{all:?}");
    }

    #[test]
    fn dates_are_candidates_whole() {
        for (sentence, day) in [
            (
                "The tournament is on Saturday 14 December at the guild hall.",
                "14",
            ),
            ("The meetup was held on October 17 at the library.", "17"),
            ("The hall opened on 3rd May 1998 with a concert.", "3rd"),
        ] {
            let all = spans(sentence);
            assert!(all.iter().any(|s| s.contains(day)), "{all:?}");
            for span in all
                .iter()
                .filter(|s| s.split_whitespace().any(|w| w == day))
            {
                let words: Vec<&str> = span.split_whitespace().collect();
                let at = words.iter().position(|w| *w == day).unwrap();
                let month = |i: Option<&&str>| i.is_some_and(|w| is_month(w));
                assert!(
                    month(words.get(at + 1)) || at > 0 && month(words.get(at - 1)),
                    "{span:?} cuts the date of {sentence:?}"
                );
            }
        }
    }

    #[test]
    fn hyphenated_words_are_never_cut_but_at_a_number() {
        let cut = |sentence: &str, span: &str, at: usize| {
            let (lo, hi) = (at, at + span.len());
            let inside = |a: Option<char>, b: Option<char>| {
                a.is_some_and(char::is_alphanumeric) && b == Some('-')
                    || a == Some('-') && b.is_some_and(char::is_alphanumeric)
            };
            inside(sentence[..lo].chars().next_back(), span.chars().next())
                || inside(span.chars().next_back(), sentence[hi..].chars().next())
        };
        for sentence in [
            "Events like the Embassy Sci-tech Expo in the U.S. are reminders.",
            "Ctenophores are the largest non-colonial animals on the reef.",
            "By 1700, one-fifth of the harbour town spoke Breton.",
        ] {
            let all = spans(sentence);
            assert!(all.len() > 3, "{all:?}");
            for span in &all {
                let at = sentence.find(span).unwrap();
                assert!(
                    !cut(sentence, span, at),
                    "{span:?} cuts a word of {sentence:?}"
                );
            }
        }
        // A number may be taken from its word: how many years, which year of a range.
        let all = spans("Davis, an 11-year veteran, served from 2021-2025.");
        assert!(all.contains(&"11"), "{all:?}");
        assert!(all.contains(&"2025"), "{all:?}");
    }

    #[test]
    fn no_candidate_starts_inside_a_word() {
        for sentence in [
            "The rowers aren’t shy about early starts.",
            "The rowers don't mind the cold river.",
            "The club’s oldest boat is a wooden skiff.",
        ] {
            let all = spans(sentence);
            assert!(
                all.iter()
                    .any(|s| s.contains("shy") || s.contains("mind") || s.contains("skiff")),
                "{all:?}"
            );
            for span in &all {
                let at = sentence.find(span).unwrap();
                let before = sentence[..at].chars().next_back();
                assert!(
                    !before.is_some_and(char::is_alphanumeric),
                    "{span:?} starts inside a word of {sentence:?}"
                );
            }
        }
    }

    #[test]
    fn a_figure_is_never_cut_from_its_scale() {
        let all = spans("The 1995 Million Man March was held in Washington.");
        assert!(all.contains(&"1995"), "{all:?}");
        let all = spans("Membership rose to 2.6 million last year.");
        assert!(all.contains(&"2.6 million"), "{all:?}");
        assert!(
            !all.iter().any(|s| *s == "2.6" || s.starts_with("million")),
            "{all:?}"
        );
    }

    #[test]
    fn no_candidate_starts_inside_a_qualifier_of_its_figure() {
        let sentence = "You need at least 4 GB of RAM.";
        let all = spans(sentence);
        assert!(all.iter().any(|s| s.starts_with("at least 4")), "{all:?}");
        assert!(
            !all.iter().any(|s| s.starts_with("least 4")),
            "a span starts inside \"at least\": {all:?}"
        );
        let all = spans("Tickets cost at most £20, and children go free.");
        assert!(
            !all.iter().any(|s| s.starts_with("most £")),
            "a span starts inside \"at most\": {all:?}"
        );
    }

    #[test]
    fn code_in_backticks_is_a_candidate_and_never_cut() {
        let sentence = "The `--fast-compare` option is deprecated and goes in v3.0.";
        let all = spans(sentence);
        assert!(all.contains(&"--fast-compare"), "{all:?}");
        for span in all {
            assert_eq!(span.matches('`').count() % 2, 0, "{span:?}");
        }
        // What lies between two pieces of code is no code.
        let all = spans("Run `sync`, then wait for the mirror before running `publish`.");
        assert!(all.contains(&"sync") && all.contains(&"publish"), "{all:?}");
        assert!(!all.iter().any(|s| s.starts_with(',')), "{all:?}");
        // A stray backtick marks no code: a span may cross it.
        let sentence = "The old `--legacy-mode flag was removed in version 2.";
        let syntax = Syntax::shipped().analyse(sentence);
        assert!(balanced(sentence, &syntax, 0, syntax.tokens.len() - 1));
        let sentence = "The `old` flag was removed.";
        let syntax = Syntax::shipped().analyse(sentence);
        assert!(
            !balanced(sentence, &syntax, 0, 2),
            "\"The `old\" cuts the code"
        );
    }

    #[test]
    fn a_figure_is_a_candidate_with_its_rate() {
        let all = spans("Membership costs £12 a year, and the water falls 1.6 feet per year.");
        for expected in ["£12 a year", "£12", "1.6 feet per year", "1.6 feet"] {
            assert!(all.contains(&expected), "{expected:?} missing from {all:?}");
        }
    }

    #[test]
    fn phrases_names_ranges_and_quotations_are_candidates() {
        let all = spans("The Harbour Development Plan (2022-2027) sets out “clean water” goals.");
        for expected in [
            "The Harbour Development Plan",
            "2022-2027",
            "2022",
            "clean water",
        ] {
            assert!(all.contains(&expected), "{expected:?} missing from {all:?}");
        }
        // Never an edge inside a bracket or quotation, never a trailing punctuation mark, never
        // the dash of a range as a minus sign.
        assert!(!all.contains(&"-2027") && !all.contains(&"-"), "{all:?}");
        for span in &all {
            assert_eq!(
                span.matches('(').count(),
                span.matches(')').count(),
                "{span:?}"
            );
            assert_eq!(
                span.matches('“').count(),
                span.matches('”').count(),
                "{span:?}"
            );
            assert!(!span.ends_with('.') && !span.ends_with(','), "{span:?}");
        }
    }
}
