//! Short answers found by rule rather than by the ranker, for questions whose answer has one
//! exact shape in the text: the expansion of an acronym ("science and technology (S&T)"), the
//! author's self-introduction ("Jimmy here").

use std::ops::Range;

use crate::analysis;
use crate::lexicon::english::{MONTHS, NAME_JOINERS, SMALL_TALK, TIME_WORDS, WEEKDAYS};

/// The most words a byline ("By Ann Lee") has; a longer sentence starting with "by" is not one.
const BYLINE_WORDS: usize = 5;

/// Finds the expansion of `acronym` in `sentence`: "science and technology (S&T)", "S&T
/// (science and technology)", "science and technology, or S&T", "science and technology,
/// known as S&T", "S&T, short for science and technology" or "S&T stands for science and
/// technology". Returns its byte range. An acronym written with dots is
/// found with or without its last one: a question's "U.S." reaches the end of its sentence, which
/// takes the dot.
pub fn acronym_expansion(sentence: &str, acronym: &str) -> Option<Range<usize>> {
    let dotted = acronym.contains('.') && !acronym.ends_with('.');
    let spellings = [
        Some(acronym.to_string()),
        dotted.then(|| format!("{acronym}.")),
    ];
    spellings
        .into_iter()
        .flatten()
        .find_map(|spelling| expansion_of(sentence, &spelling))
}

/// [`acronym_expansion`] for one spelling of the acronym.
fn expansion_of(sentence: &str, acronym: &str) -> Option<Range<usize>> {
    let letters: Vec<char> = acronym
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    for pattern in [format!("({acronym})"), format!("(“{acronym}”)")] {
        if let Some(at) = sentence.find(&pattern) {
            if let Some(range) = expansion_before(&sentence[..at], &letters) {
                return Some(range);
            }
        }
    }
    // The acronym named after its expansion: "orexin-degrading peptidase, or ODP".
    for joiner in INTRODUCE_ACRONYM {
        let pattern = format!("{joiner}{acronym}");
        for (at, _) in sentence.match_indices(&pattern) {
            if ends_word(sentence, at + pattern.len()) {
                if let Some(range) = expansion_before(&sentence[..at], &letters) {
                    return Some(range);
                }
            }
        }
    }
    if let Some(after) = sentence.find(&format!("{acronym} (")) {
        let open = after + acronym.len() + 2;
        let close = open + sentence[open..].find(')')?;
        let inner = &sentence[open..close];
        let initials: String = inner
            .split_whitespace()
            .filter(|w| !NAME_JOINERS.contains(&w.to_lowercase().as_str()))
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_lowercase)
            .collect();
        if initials == letters.iter().collect::<String>() {
            return Some(open..close);
        }
    }
    // The acronym, then what it stands for: "ODP, short for orexin-degrading peptidase".
    for joiner in EXPLAIN_ACRONYM {
        let pattern = format!("{acronym}{joiner}");
        for (at, _) in sentence.match_indices(&pattern) {
            let starts_word = !sentence[..at].ends_with(char::is_alphanumeric);
            if starts_word {
                let from = at + pattern.len();
                if let Some(range) = expansion_after(&sentence[from..], &letters) {
                    return Some(from + range.start..from + range.end);
                }
            }
        }
    }
    None
}

/// What comes between an expansion and the acronym that names it after it.
const INTRODUCE_ACRONYM: &[&str] = &[", or ", ", known as ", ", also known as ", " or "];

/// What comes between an acronym and the expansion that explains it after it.
const EXPLAIN_ACRONYM: &[&str] = &[
    ", short for ",
    " is short for ",
    ", which stands for ",
    " stands for ",
    ", meaning ",
];

/// Whether `text` has no letter or digit at `at`, so a word ending there ends.
fn ends_word(text: &str, at: usize) -> bool {
    !text[at..].starts_with(char::is_alphanumeric)
}

/// The words of `text`, each with its byte offset, split at white space; with `parts`, a
/// hyphenated word gives each of its parts ("orexin-degrading" is "orexin" and "degrading").
fn words(text: &str, parts: bool) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        let at = word.as_ptr() as usize - text.as_ptr() as usize;
        if parts {
            for part in word.split('-').filter(|p| !p.is_empty()) {
                out.push((part.as_ptr() as usize - text.as_ptr() as usize, part));
            }
        } else {
            out.push((at, word));
        }
    }
    out
}

/// Walks back over the words before an acronym, matching their initials to its letters: whole
/// words first, then the parts of hyphenated words ("orexin-degrading peptidase" for ODP).
fn expansion_before(text: &str, letters: &[char]) -> Option<Range<usize>> {
    let trimmed = text.trim_end();
    [false, true].into_iter().find_map(|parts| {
        let words = words(trimmed, parts);
        let (start, _) = spelled(words.into_iter().rev(), letters.iter().rev().copied())?;
        Some(start..trimmed.len())
    })
}

/// Walks forward over the words after an acronym, as [`expansion_before`] walks back.
fn expansion_after(text: &str, letters: &[char]) -> Option<Range<usize>> {
    [false, true].into_iter().find_map(|parts| {
        let words = words(text, parts);
        let first = words.first()?.0;
        let (at, last) = spelled(words.into_iter(), letters.iter().copied())?;
        let end = at + last.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
        Some(first..end)
    })
}

/// The word at which `words` have spelt `letters` by their initials, taken in turn: the joining
/// words of names ("and", "of") spell nothing, and a lowercase modifier may be passed over
/// ("Very high-speed Backbone Network Service" for vBNS), but not the first word nor a
/// capitalised one.
fn spelled<'t>(
    words: impl Iterator<Item = (usize, &'t str)>,
    letters: impl Iterator<Item = char>,
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
        } else if capitalised || k == 0 {
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
            acronym_expansion(s, "R&D").map(|r| &s[r]),
            Some("Research and development")
        );
        assert_eq!(
            acronym_expansion(s, "WHO").map(|r| &s[r]),
            Some("World Health Organization")
        );
        assert_eq!(acronym_expansion(s, "NATO"), None);
        let s = "Named after the Plant\u{a0}Health\u{a0}Service (PHS) in 1990.";
        assert_eq!(
            acronym_expansion(s, "PHS").map(|r| &s[r]),
            Some("Plant\u{a0}Health\u{a0}Service")
        );
        let s = "The Very high-speed Backbone Network Service (vBNS) grew.";
        assert_eq!(
            acronym_expansion(s, "vBNS").map(|r| &s[r]),
            Some("Very high-speed Backbone Network Service")
        );
        // With dots, as the question writes it ("What does U.S. stand for?" asks for "U.S").
        let s = "Trade with the United States (U.S.) grew, and the E.U. (European Union) too.";
        assert_eq!(
            acronym_expansion(s, "U.S").map(|r| &s[r]),
            Some("United States")
        );
        assert_eq!(
            acronym_expansion(s, "E.U").map(|r| &s[r]),
            Some("European Union")
        );
    }

    #[test]
    fn acronyms_expand_in_words_around_them() {
        let expand = |s: &'static str, acronym: &str| acronym_expansion(s, acronym).map(|r| &s[r]);
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
