//! Short answers found by rule rather than by the ranker, for questions whose answer has one
//! exact shape in the text: the expansion of an acronym ("science and technology (S&T)",
//! "orexin-degrading peptidase, or ODP"), the author's self-introduction ("Jimmy here").

use std::ops::Range;

use crate::analysis;
use crate::lexicon::english::{
    EXPLAIN_ACRONYM, INTRODUCE_ACRONYM, MONTHS, NAME_JOINERS, SMALL_TALK, TIME_WORDS, WEEKDAYS,
};

/// The most words a byline ("By Ann Lee") has; a longer sentence starting with "by" is not one.
const BYLINE_WORDS: usize = 5;

/// An acronym's expansion found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    /// Its byte range in the sentence.
    pub range: Range<usize>,
    /// Whether brackets tie it to the acronym ("science and technology (S&T)"), which no
    /// sentence does by accident; an expansion in words ("science and technology, or S&T") is
    /// taken only when no sentence brackets one.
    pub bracketed: bool,
}

/// Finds the expansion of `acronym` in `sentence`: in brackets, "science and technology (S&T)"
/// or "S&T (science and technology)", else in words, "science and technology, or S&T", "...,
/// known as S&T", "S&T, short for science and technology" or "S&T stands for ...". An acronym
/// written with dots is found with or without its last one: a question's "U.S." reaches the end
/// of its sentence, which takes the dot.
pub fn acronym_expansion(sentence: &str, acronym: &str) -> Option<Expansion> {
    let dotted = acronym.contains('.') && !acronym.ends_with('.');
    let spellings = [
        Some(acronym.to_string()),
        dotted.then(|| format!("{acronym}.")),
    ];
    let letters: Vec<char> = acronym
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    let spellings: Vec<String> = spellings.into_iter().flatten().collect();
    let bracketed = spellings
        .iter()
        .find_map(|spelling| bracketed_expansion(sentence, spelling, &letters))
        .map(|range| Expansion {
            range,
            bracketed: true,
        });
    bracketed.or_else(|| {
        spellings
            .iter()
            .find_map(|spelling| expansion_in_words(sentence, spelling, &letters))
            .map(|range| Expansion {
                range,
                bracketed: false,
            })
    })
}

/// "science and technology (S&T)" or "S&T (science and technology)".
fn bracketed_expansion(sentence: &str, acronym: &str, letters: &[char]) -> Option<Range<usize>> {
    for pattern in [format!("({acronym})"), format!("(“{acronym}”)")] {
        if let Some(at) = sentence.find(&pattern) {
            if let Some(range) = expansion_before(&sentence[..at], letters, PassOver::Modifiers) {
                return Some(range);
            }
        }
    }
    let after = sentence.find(&format!("{acronym} ("))?;
    let open = after + acronym.len() + 2;
    let close = open + sentence[open..].find(')')?;
    let inner = &sentence[open..close];
    let initials: String = inner
        .split_whitespace()
        .filter(|w| !NAME_JOINERS.contains(&w.to_lowercase().as_str()))
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_lowercase)
        .collect();
    (initials == letters.iter().collect::<String>()).then_some(open..close)
}

/// "orexin-degrading peptidase, or ODP" or "ODP, short for orexin-degrading peptidase", the
/// acronym written as it is or in quotes. Without brackets any words may spell the letters by
/// chance ("card or cash, or CC"), so every word between must give its initial.
fn expansion_in_words(sentence: &str, acronym: &str, letters: &[char]) -> Option<Range<usize>> {
    let written = [
        acronym.to_string(),
        format!("“{acronym}”"),
        format!("\"{acronym}\""),
    ];
    for acronym in &written {
        for joiner in INTRODUCE_ACRONYM {
            let pattern = format!("{joiner}{acronym}");
            for (at, _) in sentence.match_indices(&pattern) {
                if !sentence[at + pattern.len()..].starts_with(char::is_alphanumeric) {
                    if let Some(range) = expansion_before(&sentence[..at], letters, PassOver::None)
                    {
                        return Some(range);
                    }
                }
            }
        }
        for joiner in EXPLAIN_ACRONYM {
            let pattern = format!("{acronym}{joiner}");
            for (at, _) in sentence.match_indices(&pattern) {
                if !sentence[..at].ends_with(char::is_alphanumeric) {
                    let from = at + pattern.len();
                    if let Some(range) = expansion_after(&sentence[from..], letters) {
                        return Some(from + range.start..from + range.end);
                    }
                }
            }
        }
    }
    None
}

/// Marks that end a phrase: an expansion never reaches across them.
fn ends_phrase(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '(' | ')' | '[' | ']' | '“' | '”' | '"')
}

/// Which words that give no letter an expansion may hold.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PassOver {
    /// Lowercase modifiers ("Very high-speed Backbone Network Service" for vBNS).
    Modifiers,
    /// None: every word but the joining words of names gives its initial.
    None,
}

/// The words of `text`, each with its byte offset, split at white space; with `parts`, a
/// hyphenated word gives each of its parts ("orexin-degrading" is "orexin" and "degrading").
fn words(text: &str, parts: bool) -> Vec<(usize, &str)> {
    let offset = |w: &str| w.as_ptr() as usize - text.as_ptr() as usize;
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        if parts {
            out.extend(
                word.split('-')
                    .filter(|p| !p.is_empty())
                    .map(|p| (offset(p), p)),
            );
        } else {
            out.push((offset(word), word));
        }
    }
    out
}

/// Walks back over the words before an acronym, to the last mark that ends a phrase, matching
/// their initials to its letters: whole words first, then the parts of hyphenated words
/// ("orexin-degrading peptidase" for ODP).
fn expansion_before(text: &str, letters: &[char], pass_over: PassOver) -> Option<Range<usize>> {
    let trimmed = text.trim_end_matches(|c: char| c.is_whitespace() || ends_phrase(c));
    let from = trimmed.rfind(ends_phrase).map_or(0, |p| {
        p + trimmed[p..].chars().next().map_or(1, char::len_utf8)
    });
    let phrase = &trimmed[from..];
    [false, true].into_iter().find_map(|parts| {
        let words = words(phrase, parts);
        let (start, _) = spelled(
            words.into_iter().rev(),
            letters.iter().rev().copied(),
            pass_over,
        )?;
        Some(from + start..trimmed.len())
    })
}

/// Walks forward over the words after an acronym, to the first mark that ends a phrase, as
/// [`expansion_before`] walks back; every word gives its initial.
fn expansion_after(text: &str, letters: &[char]) -> Option<Range<usize>> {
    let from = text.len()
        - text
            .trim_start_matches(|c: char| c.is_whitespace() || ends_phrase(c))
            .len();
    let phrase = &text[from..];
    let phrase = &phrase[..phrase.find(ends_phrase).unwrap_or(phrase.len())];
    [false, true].into_iter().find_map(|parts| {
        let words = words(phrase, parts);
        let first = words.first()?.0;
        let (at, last) = spelled(words.into_iter(), letters.iter().copied(), PassOver::None)?;
        let end = at + last.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
        Some(from + first..from + end)
    })
}

/// The word at which `words` have spelt `letters` by their initials, taken in turn. The joining
/// words of names ("and", "of") spell nothing; with [`PassOver::Modifiers`] a lowercase word may
/// be passed over, but not the first nor a capitalised one.
fn spelled<'t>(
    words: impl Iterator<Item = (usize, &'t str)>,
    letters: impl Iterator<Item = char>,
    pass_over: PassOver,
) -> Option<(usize, &'t str)> {
    let mut letters = letters.peekable();
    for (k, (at, word)) in words.enumerate() {
        let lower = word.to_lowercase();
        if NAME_JOINERS.contains(&lower.trim_matches(|c: char| !c.is_alphanumeric() && c != '&')) {
            continue;
        }
        let initial = lower.chars().find(|c| c.is_alphabetic())?;
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        if Some(&initial) == letters.peek() {
            letters.next();
            if letters.peek().is_none() {
                return Some((at, word));
            }
        } else if capitalised || k == 0 || pass_over == PassOver::None {
            return None;
        }
    }
    None
}

/// How a post introduces its author: "Jimmy here", "I'm Ann", "My name is Ann", "by Ann".
pub fn self_introduction(sentence: &str) -> Option<Range<usize>> {
    let is_calendar_word = |w: &str| {
        let w = w.to_lowercase();
        MONTHS.contains(&w.as_str()) || WEEKDAYS.contains(&w.as_str())
    };
    let is_name = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().filter(|c| c.is_alphabetic()).count() >= 2
    };
    let tokens: Vec<(usize, &str)> = sentence
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - sentence.as_ptr() as usize, w))
        .collect();
    let clean = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
    for (k, &(at, w)) in tokens.iter().enumerate() {
        let lw = clean(w).to_lowercase();
        // "I'm NAME" / "I am NAME" / "My name is NAME" / "by NAME"
        let intro_end = match lw.as_str() {
            "i'm" | "i’m" | "im" => Some(k + 1),
            "i" if tokens
                .get(k + 1)
                .is_some_and(|(_, n)| clean(n).eq_ignore_ascii_case("am")) =>
            {
                Some(k + 2)
            }
            "name"
                if k > 0
                    && clean(tokens[k - 1].1).eq_ignore_ascii_case("my")
                    && tokens.get(k + 1).is_some_and(|(_, n)| clean(n) == "is") =>
            {
                Some(k + 2)
            }
            // A byline is a line of its own ("By Ann Lee"), not a sentence that starts with
            // "by" ("By Friday, all teams must register").
            "by" if k == 0 && tokens.len() <= BYLINE_WORDS && !sentence.contains(',') => {
                Some(k + 1)
            }
            _ => None,
        };
        if let Some(n) = intro_end {
            if let Some(&(nat, name)) = tokens.get(n) {
                let word = clean(name);
                if is_name(&word) && !is_calendar_word(&word) {
                    let offset = nat + name.find(&word).unwrap_or(0);
                    let mut end = offset + word.len();
                    // The whole name: the capitalised words that follow ("Rosa Delgado"), up to
                    // punctuation.
                    let mut open = name.ends_with(word.as_str());
                    for &(at, next) in &tokens[n + 1..] {
                        let next_word = clean(next);
                        if !open || !is_name(&next_word) || !next.starts_with(&next_word) {
                            break;
                        }
                        end = at + next_word.len();
                        open = next.len() == next_word.len();
                    }
                    return Some(offset..end);
                }
            }
        }
        // "NAME here", possibly with a quoted nickname between ("Jo “The Fixer” here").
        let quoted = |t: &str| t.starts_with(['“', '"', '‘', '\'']);
        if is_name(&clean(w)) && !quoted(w) && !analysis::is_stopword(&lw) {
            let mut m = k + 1;
            if tokens.get(m).is_some_and(|(_, n)| quoted(n)) {
                while tokens.get(m).is_some_and(|(_, n)| {
                    !n.trim_end_matches([',', '.'])
                        .ends_with(['”', '"', '’', '\''])
                }) {
                    m += 1;
                }
                m += 1;
            }
            if tokens
                .get(m)
                .is_some_and(|(_, n)| clean(n).eq_ignore_ascii_case("here"))
            {
                let word = clean(w);
                let end = at + w.find(&word).unwrap_or(0) + word.len();
                // The whole name: the capitalised words and initials right before it ("Priya
                // K. Natarajan here", "June Lee here"), but not a greeting, a weekday or a word
                // of time ("Hello Priya here", "Monday Priya here").
                let initial = |w: &str| {
                    let mut chars = w.chars();
                    chars.next().is_some_and(char::is_uppercase)
                        && chars.next() == Some('.')
                        && chars.next().is_none()
                };
                let mut first = k;
                while let Some(&(_, before)) = first.checked_sub(1).and_then(|b| tokens.get(b)) {
                    let lower = before.to_lowercase();
                    let part_of_name = initial(before)
                        || before == clean(before)
                            && is_name(before)
                            && !WEEKDAYS.contains(&lower.as_str())
                            && !analysis::is_stopword(&lower)
                            && !SMALL_TALK.contains(&lower.as_str())
                            && !TIME_WORDS.contains(&lower.as_str());
                    if !part_of_name {
                        break;
                    }
                    first -= 1;
                }
                let (start_at, start_word) = tokens[first];
                let start = start_at + start_word.find(&clean(start_word)).unwrap_or(0);
                return Some(start..end);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms_expand_from_initials() {
        let s = "Research and development (R&D) grew, as did the World Health Organization (WHO).";
        assert_eq!(
            acronym_expansion(s, "R&D").map(|e| &s[e.range]),
            Some("Research and development")
        );
        assert_eq!(
            acronym_expansion(s, "WHO").map(|e| &s[e.range]),
            Some("World Health Organization")
        );
        assert_eq!(acronym_expansion(s, "NATO"), None);
        let s = "Named after the Plant\u{a0}Health\u{a0}Service (PHS) in 1990.";
        assert_eq!(
            acronym_expansion(s, "PHS").map(|e| &s[e.range]),
            Some("Plant\u{a0}Health\u{a0}Service")
        );
        let s = "The Very high-speed Backbone Network Service (vBNS) grew.";
        assert_eq!(
            acronym_expansion(s, "vBNS").map(|e| &s[e.range]),
            Some("Very high-speed Backbone Network Service")
        );
        // With dots, as the question writes it ("What does U.S. stand for?" asks for "U.S").
        let s = "Trade with the United States (U.S.) grew, and the E.U. (European Union) too.";
        assert_eq!(
            acronym_expansion(s, "U.S").map(|e| &s[e.range]),
            Some("United States")
        );
        assert_eq!(
            acronym_expansion(s, "E.U").map(|e| &s[e.range]),
            Some("European Union")
        );
    }

    #[test]
    fn acronyms_expand_in_words_around_them() {
        let expand =
            |s: &'static str, acronym: &str| acronym_expansion(s, acronym).map(|e| &s[e.range]);
        let s = "The lab studies an enzyme called orexin-degrading peptidase, or ODP, at night.";
        assert_eq!(expand(s, "ODP"), Some("orexin-degrading peptidase"));
        let s = "Members joined the Harbour Rowing Association, known as HRA.";
        assert_eq!(expand(s, "HRA"), Some("Harbour Rowing Association"));
        let s = "The tests use HPLC, short for high-performance liquid chromatography.";
        assert_eq!(
            expand(s, "HPLC"),
            Some("high-performance liquid chromatography")
        );
        let s =
            "Its grant comes from the RIF, which stands for Regional Innovation Fund, since 2019.";
        assert_eq!(expand(s, "RIF"), Some("Regional Innovation Fund"));
        let s = "Non-governmental organisations, or NGOs in short, took part.";
        assert_eq!(expand(s, "NGO"), None, "NGOs is another word");
        // The initials must spell the acronym, and a capitalised word cannot be passed over.
        let s = "Fees are paid by card or cash, or ODP, as members prefer.";
        assert_eq!(expand(s, "ODP"), None);
        let s = "We met the Oslo Delegation of Parliament, or ODP.";
        assert_eq!(expand(s, "ODP"), Some("Oslo Delegation of Parliament"));
        let s = "ODP stands for Oslo Dental Practice, not Open Data Portal.";
        assert_eq!(expand(s, "ODP"), Some("Oslo Dental Practice"));
        // Every word between gives its initial, and none reaches across a comma, a bracket or
        // a quotation mark.
        for s in [
            "Our lab develops orexin-degrading peptidase, or ODP, for sleep trials.",
            "ODP stands for orexin-degrading peptidase, which doctors prescribe.",
            "We visited the clinic (orexin-degrading peptidase, or ODP) on Mondays.",
            "We study “orexin-degrading peptidase”, or ODP, at night.",
            "“ODP” stands for “orexin-degrading peptidase”, as we said.",
        ] {
            assert_eq!(expand(s, "ODP"), Some("orexin-degrading peptidase"), "{s}");
        }
        assert_eq!(
            expand("You can pay by card or cash, or CC if you like.", "CC"),
            None
        );
        assert_eq!(
            expand("We missed the AGM, meaning all games must wait.", "AGM"),
            None
        );
        // An unclosed bracket after the acronym does not hide what it stands for.
        let s = "ODP stands for Oslo Dental Practice, and ODP (with 3 clinics is new.";
        assert_eq!(expand(s, "ODP"), Some("Oslo Dental Practice"));
        let bracketed = |s: &str| acronym_expansion(s, "ODP").map(|e| e.bracketed);
        assert_eq!(
            bracketed("The Oslo Dental Practice (ODP) opened."),
            Some(true)
        );
        assert_eq!(
            bracketed("The Oslo Dental Practice, or ODP, opened."),
            Some(false)
        );
    }

    #[test]
    fn authors_introduce_themselves() {
        let s = "Hi folks, Maria “The Gardener” here, back with tips.";
        assert_eq!(self_introduction(s).map(|r| &s[r]), Some("Maria"));
        let s = "Hello rowers! Priya Natarajan here, your club secretary.";
        assert_eq!(self_introduction(s).map(|r| &s[r]), Some("Priya Natarajan"));
        let s = "Hello Priya here, with the news.";
        assert_eq!(self_introduction(s).map(|r| &s[r]), Some("Priya"));
        let s = "Hi all, Priya K. Natarajan here.";
        assert_eq!(
            self_introduction(s).map(|r| &s[r]),
            Some("Priya K. Natarajan")
        );
        let s = "Hi all, June Lee here.";
        assert_eq!(self_introduction(s).map(|r| &s[r]), Some("June Lee"));
        let s = "Happy Monday Priya here.";
        assert_eq!(self_introduction(s).map(|r| &s[r]), Some("Priya"));
        let s = "Ahoy, Jo “Tidewatch” here.";
        assert_eq!(self_introduction(s).map(|r| &s[r]), Some("Jo"));
        let s = "Hello, I'm Tom and I fix bikes.";
        assert_eq!(self_introduction(s).map(|r| &s[r]), Some("Tom"));
        assert_eq!(self_introduction("The river is here."), None);
        let s = "Hi, I am Rosa Delgado, and I look after this server.";
        assert_eq!(self_introduction(s).map(|r| &s[r]), Some("Rosa Delgado"));
        let s = "By Ann Lee";
        assert_eq!(self_introduction(s).map(|r| &s[r]), Some("Ann Lee"));
        // Not bylines: a sentence that starts with "by", a day.
        assert_eq!(
            self_introduction("By Friday, all teams must register for the spring league."),
            None
        );
        assert_eq!(self_introduction("By Monday"), None);
    }
}
