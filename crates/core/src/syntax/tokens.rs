//! Splits an English sentence into the tokens the tagger and parser were trained on, in the manner
//! of the Universal Dependencies English treebank: punctuation apart from words ("(", ",", "”"),
//! contractions split ("do" "n't", "China" "'s"), hyphens and slashes between words as tokens of
//! their own, but abbreviations ("U.S.", "Dr."), numbers ("1,000", "3.5", "-5", "twenty-five"),
//! "S&T", "Chang’e", web addresses and numbers grouped in thousands by spaces ("5 000") whole.
//! Every token is a byte range of the sentence, so whatever is built on tokens stays verbatim.

use std::ops::Range;

use crate::lexicon::english::{
    is_tens_and_unit, CLITICS, NUMBER_LABELS, RANGE_JOINERS, TOKEN_ABBREVIATIONS,
};

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Characters split off the start of a chunk, each as a token.
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '(' | '['
            | '{'
            | '"'
            | '\''
            | '“'
            | '‘'
            | '«'
            | '¿'
            | '¡'
            | '$'
            | '£'
            | '€'
            | '¥'
            | '₹'
            | '*'
            | '_'
            | '<'
            | '`'
            | '„'
    )
}

/// Characters split off the end of a chunk, each as a token (a full stop is decided apart).
fn is_closing(c: char) -> bool {
    matches!(
        c,
        ')' | ']'
            | '}'
            | '"'
            | '\''
            | '”'
            | '’'
            | '»'
            | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '…'
            | '%'
            | '*'
            | '_'
            | '>'
            | '`'
    )
}

/// Characters that separate tokens inside a chunk (each becomes a token), unless they sit
/// inside a number ("1,000", "10:30", "3/4") or a web address.
fn is_inner_separator(c: char) -> bool {
    matches!(
        c,
        '-' | '‐'
            | '‑'
            | '–'
            | '—'
            | '/'
            | '('
            | ')'
            | '['
            | ']'
            | '"'
            | '“'
            | '”'
            | '…'
            | ';'
            | '!'
            | '?'
            | ','
    )
}

/// The tokens of `text`, as byte ranges, in order.
pub fn tokenize(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices() {
        if c.is_whitespace() || is_invisible(c) {
            if let Some(s) = start.take() {
                chunk(text, s, at, &mut out);
            }
        } else if start.is_none() {
            start = Some(at);
        }
    }
    if let Some(s) = start {
        chunk(text, s, text.len(), &mut out);
    }
    // A soft hyphen or a variation selector stays inside a word, but never starts or ends a
    // token: a short answer made of tokens must not begin or end with an invisible character.
    out.retain_mut(|r| {
        let token = &text[r.clone()];
        let trimmed = token.trim_start_matches(crate::analysis::is_ignorable);
        r.start += token.len() - trimmed.len();
        let trimmed = trimmed.trim_end_matches(crate::analysis::is_ignorable);
        r.end = r.start + trimmed.len();
        r.start < r.end
    });
    join_digit_groups(text, &mut out);
    out
}

/// Joins a number grouped in thousands by spaces ("5 000", "1 250 000", "£2 500.50"), as the
/// SI and many European styles write it, into one token: apart, "how many metres?" would be
/// answered "5". A group joins only when it is exactly three digits (with an optional decimal
/// part) after one space of any width and a group of one to three digits (with an optional
/// sign), so a year and a count ("2019 200") or "3 1/2" stay apart. A count before a figure
/// that starts a word stays apart too ("3 100-litre butts"), as do the end of a range and a
/// figure after it ("aged 5 to 11 150 took part"), a label's number and a count ("On June 5 300
/// runners", "in week 3 240 people") and the groups of a telephone number ("01632 960 123").
fn join_digit_groups(text: &str, tokens: &mut Vec<Range<usize>>) {
    let leading = |t: &str| {
        let digits = t.trim_start_matches(['-', '−', '+']);
        (1..=3).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    };
    // Token `k`, a short group, may start a number: what comes before it is no figure or range.
    let starts = |tokens: &[Range<usize>], k: usize| {
        let Some(before) = k.checked_sub(1).map(|b| &text[tokens[b].clone()]) else {
            return leading(&text[tokens[k].clone()]);
        };
        let figure = before.bytes().all(|b| b.is_ascii_digit());
        // A label's number before a count ("June 5 300 runners", "week 3 240 people").
        let label = before.starts_with(char::is_uppercase) && k > 1
            || NUMBER_LABELS.contains(&before.to_lowercase().as_str());
        let range = matches!(before, "-" | "–" | "—")
            || RANGE_JOINERS.contains(&before.to_lowercase().as_str());
        leading(&text[tokens[k].clone()]) && !figure && !range && !label
    };
    // A group that a hyphen or letter follows starts a word ("100-litre").
    let ends_word =
        |r: &Range<usize>| text[r.end..].starts_with(|c: char| c == '-' || c.is_alphabetic());
    // A group of three digits, and whether it ends the number with a decimal part.
    let group = |t: &str| -> Option<bool> {
        let (whole, decimals) = match t.find(['.', ',']) {
            Some(at) => (&t[..at], Some(&t[at + 1..])),
            None => (t, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        (whole.len() == 3 && digits(whole) && decimals.is_none_or(digits))
            .then_some(decimals.is_some())
    };
    let one_space = |gap: &str| {
        let mut chars = gap.chars();
        matches!(
            (chars.next(), chars.next()),
            (Some(' ' | '\u{a0}' | '\u{2009}' | '\u{202f}'), None)
        )
    };
    let mut k = 0;
    // Whether token `k` may take another group: it is a short group, or ends in a whole one.
    let mut open = !tokens.is_empty() && starts(tokens, 0);
    while k + 1 < tokens.len() {
        let (first, next) = (tokens[k].clone(), tokens[k + 1].clone());
        let joins = open && one_space(&text[first.end..next.start]) && !ends_word(&next);
        match group(&text[next.clone()]).filter(|_| joins) {
            Some(ends) => {
                tokens[k] = first.start..next.end;
                tokens.remove(k + 1);
                open = !ends;
            }
            None => {
                k += 1;
                open = starts(tokens, k);
            }
        }
    }
}

/// Characters that are never part of a token: byte-order marks, zero-width spaces and joiners.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}'
    )
}

/// Splits one white-space-free chunk `text[a..b]` into tokens.
fn chunk(text: &str, mut a: usize, mut b: usize, out: &mut Vec<Range<usize>>) {
    // Web addresses and e-mail addresses stay whole (but not their closing punctuation). What
    // comes before an address's scheme is text of its own: a Markdown link's "Dana Ito](" must
    // not join "https://…", or a span could end inside the link's brackets.
    let whole = &text[a..b];
    if let Some(scheme) = whole.find("://") {
        let start = whole[..scheme]
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-')))
            .map_or(0, |(at, c)| at + c.len_utf8());
        if start > 0 {
            chunk(text, a, a + start, out);
            a += start;
        }
    }
    let whole = &text[a..b];
    if whole.contains("://") || whole.starts_with("www.") || looks_like_email(whole) {
        let end = a + whole
            .trim_end_matches([',', '.', ';', ')', '!', '?', ':'])
            .len();
        out.push(a..end);
        for (at, c) in text[end..b].char_indices() {
            out.push(end + at..end + at + c.len_utf8());
        }
        return;
    }
    // Opening punctuation; a sign before a digit stays with its number ("-5", "−300").
    while a < b {
        let c = text[a..].chars().next().expect("a < b");
        let next_is_digit = text[a + c.len_utf8()..b]
            .chars()
            .next()
            .is_some_and(|n| n.is_ascii_digit());
        if matches!(c, '-' | '−' | '+') && next_is_digit {
            break;
        }
        if !is_opening(c) && !matches!(c, '-' | '—' | '–') {
            break;
        }
        out.push(a..a + c.len_utf8());
        a += c.len_utf8();
    }
    // Closing punctuation, kept aside to push after the middle.
    let mut closing: Vec<Range<usize>> = Vec::new();
    while a < b {
        let c = text[..b].chars().next_back().expect("a < b");
        let at = b - c.len_utf8();
        if c == '.' {
            let core = &text[a..at];
            if keeps_full_stop(core) {
                break;
            }
            // "..." and "?." stay one token.
            let mut from = at;
            while from > a && text[..from].ends_with('.') {
                from -= 1;
            }
            closing.push(from..b);
            b = from;
            continue;
        }
        if !is_closing(c) {
            break;
        }
        // An apostrophe that ends a plural possessive ("members’") is a token of its own; one
        // closing a quotation too.
        closing.push(at..b);
        b = at;
    }
    if a < b {
        middle(text, a, b, out);
    }
    out.extend(closing.into_iter().rev());
}

fn looks_like_email(chunk: &str) -> bool {
    let Some(at) = chunk.find('@') else {
        return false;
    };
    at > 0 && chunk[at + 1..].contains('.') && !chunk[at + 1..].starts_with('.')
}

/// Whether the full stop after `core` belongs to it: an abbreviation ("Dr", "etc"), an initialism
/// ("U.S", "e.g") or a single capital initial ("J").
fn keeps_full_stop(core: &str) -> bool {
    if core.is_empty() {
        return false;
    }
    let lower = core.to_lowercase();
    if TOKEN_ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    let initialism = core.contains('.')
        && core
            .split('.')
            .all(|p| p.chars().count() <= 2 && p.chars().all(char::is_alphabetic));
    let initial = core.chars().count() == 1 && core.chars().all(char::is_uppercase);
    initialism || initial
}

/// Splits the middle of a chunk at separators and contractions.
fn middle(text: &str, a: usize, b: usize, out: &mut Vec<Range<usize>>) {
    let piece = &text[a..b];
    let chars: Vec<(usize, char)> = piece.char_indices().collect();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let prev = i.checked_sub(1).map(|p| chars[p].1);
        let next = chars.get(i + 1).map(|&(_, n)| n);
        let digits_around =
            prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit());
        let separates = is_inner_separator(c)
            // "1,000" and "3/4" are one number; a range "2016-2020" is split.
            && !(matches!(c, ',' | '/') && digits_around)
            // A sign after a separator belongs to the number ("from -5 to -10" is handled by
            // white space; "(-5" by the opening run): a hyphen right before a digit at the start.
            && !(matches!(c, '-') && i == 0 && next.is_some_and(|n| n.is_ascii_digit()))
            // "twenty-five" is one number: apart, "how many?" was answered "five".
            && !tens_and_unit_at(piece, start, at);
        if separates {
            if at > start {
                words(text, a + start, a + at, out);
            }
            out.push(a + at..a + at + c.len_utf8());
            start = at + c.len_utf8();
        }
        i += 1;
    }
    if start < piece.len() {
        words(text, a + start, b, out);
    }
}

/// Whether the hyphen at byte `at` of `piece` joins tens and a unit ("twenty-five"): the word
/// from `start` up to it and the word after it, up to the next separator, make one number.
fn tens_and_unit_at(piece: &str, start: usize, at: usize) -> bool {
    let rest = &piece[at..];
    let end = rest
        .char_indices()
        .skip(1)
        .find(|&(_, c)| is_inner_separator(c) || is_apostrophe(c))
        .map_or(rest.len(), |(k, _)| k);
    is_tens_and_unit(&piece[start..at + end].to_lowercase())
}

/// Splits contractions off a word: "don't" → "do" "n't", "China's" → "China" "'s", "can't" →
/// "ca" "n't".
fn words(text: &str, a: usize, b: usize, out: &mut Vec<Range<usize>>) {
    let word = &text[a..b];
    // Compared piece by piece in the word's own bytes: lower-casing can change a letter's
    // length ("Ⱥ" is two bytes, "ⱥ" three), so offsets into a lower-cased copy would not fit.
    for not in ["n't", "n’t"] {
        let cut = word.len().wrapping_sub(not.len());
        if word.len() > not.len() && word.is_char_boundary(cut) && word[cut..].to_lowercase() == not
        {
            out.push(a..a + cut);
            out.push(a + cut..b);
            return;
        }
    }
    if let Some((at, c)) = word.char_indices().rev().find(|&(_, c)| is_apostrophe(c)) {
        let after = word[at + c.len_utf8()..].to_lowercase();
        if at > 0 && CLITICS.contains(&after.as_str()) {
            out.push(a..a + at);
            out.push(a + at..b);
            return;
        }
    }
    out.push(a..b);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<&str> {
        tokenize(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn letters_that_grow_when_lower_cased_split_cleanly() {
        // "Ⱥ" lower-cases to a longer "ⱥ"; a clitic after it once sliced inside a letter.
        assert_eq!(tokens("ȺȺ's"), ["ȺȺ", "'s"]);
        assert_eq!(tokens("ȺN'T"), ["Ⱥ", "N'T"]);
    }

    #[test]
    fn invisible_characters_never_start_or_end_a_token() {
        assert_eq!(
            tokens("cooperative harbour\u{ad}, \u{ad}pier\u{fe0f}"),
            ["cooperative", "harbour", ",", "pier"]
        );
        assert_eq!(tokens("har\u{ad}bour"), ["har\u{ad}bour"]);
        assert!(tokens("\u{ad}\u{ad}").is_empty());
    }

    #[test]
    fn punctuation_is_split_from_words() {
        assert_eq!(
            tokens("Hello, world (again)!"),
            ["Hello", ",", "world", "(", "again", ")", "!"]
        );
        assert_eq!(tokens("He said “go.”"), ["He", "said", "“", "go", ".", "”"]);
    }

    #[test]
    fn abbreviations_numbers_and_names_stay_whole() {
        assert_eq!(
            tokens("The U.S. spent $1,000.50 on S&T, Dr. Li said."),
            ["The", "U.S.", "spent", "$", "1,000.50", "on", "S&T", ",", "Dr.", "Li", "said", "."]
        );
        assert_eq!(
            tokens("The Chang’e 6 mission, at -5 degrees, used 3.5% of fuel."),
            [
                "The",
                "Chang’e",
                "6",
                "mission",
                ",",
                "at",
                "-5",
                "degrees",
                ",",
                "used",
                "3.5",
                "%",
                "of",
                "fuel",
                "."
            ]
        );
        assert_eq!(
            tokens("It ends in the U.S."),
            ["It", "ends", "in", "the", "U.S."]
        );
    }

    #[test]
    fn numbers_grouped_by_spaces_are_one_token() {
        assert_eq!(
            tokens("It adds 5 000 metres, 1\u{202f}250\u{202f}000 trees and £2 500.50."),
            [
                "It",
                "adds",
                "5 000",
                "metres",
                ",",
                "1\u{202f}250\u{202f}000",
                "trees",
                "and",
                "£",
                "2 500.50",
                "."
            ]
        );
        // Not a year and a count, two spaces, a short or decimal group, or a group after decimals.
        assert_eq!(tokens("In 2019 200 came"), ["In", "2019", "200", "came"]);
        assert_eq!(
            tokens("5  000 or 3 14 or 3 1/2"),
            ["5", "000", "or", "3", "14", "or", "3", "1/2"]
        );
        assert_eq!(tokens("2 500.5 000"), ["2 500.5", "000"]);
        // A count before a figure that starts a word, a range's end, a telephone number.
        assert_eq!(tokens("3 100-litre butts")[..2], ["3", "100"]);
        assert_eq!(tokens("aged 5 to 11 150 came")[3..5], ["11", "150"]);
        assert_eq!(
            tokens("call 01632 960 123"),
            ["call", "01632", "960", "123"]
        );
        assert_eq!(tokens("On June 5 300 ran")[2..4], ["5", "300"]);
        assert_eq!(tokens("in week 3 240 joined")[2..4], ["3", "240"]);
        assert_eq!(tokens("Prize money: £2 500")[4], "2 500");
    }

    #[test]
    fn contractions_hyphens_and_slashes_split() {
        assert_eq!(
            tokens("China's partners don't agree; can't they?"),
            ["China", "'s", "partners", "do", "n't", "agree", ";", "ca", "n't", "they", "?"]
        );
        assert_eq!(
            tokens("inter-governmental and/or 2016-2020"),
            [
                "inter",
                "-",
                "governmental",
                "and",
                "/",
                "or",
                "2016",
                "-",
                "2020"
            ]
        );
        assert_eq!(tokens("the members’ club"), ["the", "members", "’", "club"]);
        // Tens and a unit are one number; other hyphenated number words are not.
        assert_eq!(
            tokens("Twenty-five twenty-five-year-olds, fifty-fifty, sixty-"),
            [
                "Twenty-five",
                "twenty-five",
                "-",
                "year",
                "-",
                "olds",
                ",",
                "fifty",
                "-",
                "fifty",
                ",",
                "sixty",
                "-"
            ]
        );
    }

    #[test]
    fn web_addresses_stay_whole_and_invisible_characters_separate_nothing() {
        assert_eq!(
            tokens("See https://example.org/a-b, then mail a@b.org."),
            [
                "See",
                "https://example.org/a-b",
                ",",
                "then",
                "mail",
                "a@b.org",
                "."
            ]
        );
        assert_eq!(tokens("\u{feff}How many?"), ["How", "many", "?"]);
        // A character of several bytes before the scheme.
        assert_eq!(tokens("«https://example.org")[0], "«");
        assert_eq!(
            tokens("The host is [Dana Ito](https://example.org/dana)."),
            [
                "The",
                "host",
                "is",
                "[",
                "Dana",
                "Ito",
                "]",
                "(",
                "https://example.org/dana",
                ")",
                "."
            ]
        );
    }

    #[test]
    fn ranges_point_into_the_text() {
        let text = "  “Soft power,” they said…";
        for r in tokenize(text) {
            assert!(!text[r].trim().is_empty());
        }
    }
}
