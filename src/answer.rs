//! The short answer: given a cited sentence and the classified question, find the span of that
//! sentence that answers it. Candidates are shaped by the question's expectation (numbers with
//! their qualifier and noun, dates, capitalised names, noun phrases, quoted phrases, acronym
//! expansions) and ranked by how close they sit to the question's words. Every answer is a byte
//! range of the sentence, so it is verbatim by construction.

use std::ops::Range;

use crate::analysis::{self, Term};
use crate::question::Expect;

/// A word of the sentence being searched for an answer.
#[derive(Debug, Clone)]
struct Word {
    /// Byte range within the sentence.
    range: Range<usize>,
    /// Lower-cased surface form.
    lower: String,
    /// Analysed forms (a compound has its parts and its joined form).
    stems: Vec<String>,
    /// Matches one of the question's words (other than the head noun).
    in_question: bool,
    /// Matches the question's head noun.
    is_head: bool,
    /// A stopword ("the", "of", "is"...).
    stop: bool,
    /// A punctuation boundary (comma, bracket, quote, colon...) separates it from the previous word.
    boundary_before: bool,
}

/// What the caller knows about the question, for span extraction.
pub struct Focus<'a> {
    /// The expected answer shape.
    pub expect: &'a Expect,
    /// Analysed forms that count as the head noun.
    pub head: &'a [String],
    /// Analysed forms of the question's other content words.
    pub question: &'a [String],
}

/// A candidate answer span with its score.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Byte range within the sentence.
    pub range: Range<usize>,
    /// Higher is better; comparable within one question.
    pub score: f32,
}

const QUALIFIERS: &[&str] = &[
    "over",
    "about",
    "nearly",
    "almost",
    "around",
    "approximately",
    "some",
    "roughly",
    "under",
    "just",
    "only",
    "exactly",
    "circa",
    "up",
    "more",
    "less",
    "fewer",
    "at",
    "least",
    "than",
    "to",
    "most",
    "estimated",
    "an",
];
const SCALES: &[&str] = &[
    "hundred", "thousand", "million", "billion", "trillion", "percent", "per", "cent", "%",
    "dozen", "m", "bn", "k",
];
const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "billion",
    "dozen",
    "dozens",
    "hundreds",
    "thousands",
    "millions",
];
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];
const CONNECTORS: &[&str] = &[
    "of", "and", "for", "the", "de", "du", "la", "von", "van", "&", "on", "in",
];
const DEMONSTRATIVES: &[&str] = &[
    "that", "that's", "this", "this's", "it", "it's", "such", "which",
];

/// Finds the best answer span in `sentence` (whose analysed terms, with byte ranges relative to
/// the sentence, are `terms`).
pub fn extract(sentence: &str, terms: &[Term], focus: &Focus) -> Option<Span> {
    if analysis::is_mostly_chinese(sentence) {
        return crate::chinese::extract(sentence, terms, focus);
    }
    let words = words(sentence, terms, focus);
    if words.is_empty() {
        return None;
    }
    let candidates: Vec<(Range<usize>, f32)> = match focus.expect {
        Expect::Count | Expect::Amount | Expect::Percent => numbers(&words, focus)
            .into_iter()
            .map(|(range, affinity)| (with_symbols(sentence, range), affinity))
            .collect(),
        Expect::Date => dates(&words),
        Expect::Person | Expect::Place => names(&words, focus, sentence),
        Expect::Name => {
            let mut all = names(&words, focus, sentence);
            all.extend(
                phrases(&words, sentence)
                    .into_iter()
                    .map(|(r, s)| (r, s * 0.8)),
            );
            all
        }
        Expect::Phrase => phrases(&words, sentence),
        Expect::Acronym(_) | Expect::Author | Expect::YesNo | Expect::Reason => Vec::new(),
    };
    let spans = candidates.into_iter().filter_map(|(range, affinity)| {
        // The words the candidate spans; a candidate covering no whole word is no answer.
        let first = words.iter().position(|w| w.range.start >= range.start)?;
        let last = words.iter().rposition(|w| w.range.end <= range.end)?;
        if last < first {
            return None;
        }
        let inside = &words[first..=last];
        let repeated = inside.iter().filter(|w| w.in_question).count();
        let new = inside
            .iter()
            .filter(|w| !w.in_question && !w.is_head && !w.stop)
            .count();
        if new == 0 {
            return None;
        }
        let count = matches!(
            focus.expect,
            Expect::Count | Expect::Amount | Expect::Percent
        );
        // A count already scores its attachment to the head noun; its distance is to the
        // question's other words ("the orchard grew ... 340 apple trees").
        let distance = distance_to_question(&words, first, last, !count);
        let per_word = if count { 0.1 } else { 0.3 };
        let mut score = affinity / (1.0 + distance as f32 * per_word);
        // Repeating the question's words is a sign of quoting the question back, except in a
        // count ("1,000 international cooperation orgs") or a name that holds the head noun
        // ("Special Cooperation Programs for AI"), where they qualify the answer.
        let qualifies = count || inside.iter().any(|w| w.is_head);
        if !qualifies {
            // A span mostly made of the question's words quotes it back; one that merely shares
            // a word with it ("Boat Show" for "what event shows ...") is only a little suspect.
            let factor = if new >= repeated { 0.8f32 } else { 0.5 };
            score *= factor.powi(repeated as i32);
        }
        Some(Span { range, score })
    });
    spans.max_by(|a, b| a.score.total_cmp(&b.score))
}

/// Distance from the span to the nearest word of the question, counted in content words
/// (stopwords in between do not separate).
fn distance_to_question(words: &[Word], first: usize, last: usize, with_head: bool) -> usize {
    let between = |a: usize, b: usize| words[a..b].iter().filter(|w| !w.stop).count();
    words
        .iter()
        .enumerate()
        .filter(|(i, w)| (w.in_question || with_head && w.is_head) && (*i < first || *i > last))
        .map(|(i, _)| {
            if i < first {
                between(i + 1, first)
            } else {
                between(last + 1, i)
            }
        })
        .min()
        .unwrap_or(
            if words[first..=last]
                .iter()
                .any(|w| w.in_question || w.is_head)
            {
                0
            } else {
                8
            },
        )
}

fn words(sentence: &str, terms: &[Term], focus: &Focus) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    for term in terms {
        if term.joined {
            // The joined form of a compound replaces its parts with one word.
            let parts: Vec<Word> = {
                let keep = words
                    .iter()
                    .rposition(|w| w.range.start < term.range.start)
                    .map_or(0, |p| p + 1);
                let start = words
                    .iter()
                    .position(|w| w.range.start >= term.range.start)
                    .unwrap_or(keep);
                words.drain(start..).collect()
            };
            let mut stems: Vec<String> = parts.iter().flat_map(|p| p.stems.clone()).collect();
            stems.push(term.text.clone());
            let boundary_before = parts.first().is_some_and(|p| p.boundary_before);
            words.push(word(
                sentence,
                term.range.clone(),
                stems,
                focus,
                boundary_before,
            ));
            continue;
        }
        let boundary_before = match words.last() {
            Some(prev) => is_boundary(&sentence[prev.range.end..term.range.start]),
            None => false,
        };
        words.push(word(
            sentence,
            term.range.clone(),
            vec![term.text.clone()],
            focus,
            boundary_before,
        ));
    }
    words
}

fn word(
    sentence: &str,
    range: Range<usize>,
    stems: Vec<String>,
    focus: &Focus,
    boundary_before: bool,
) -> Word {
    let lower = analysis::normalize(&sentence[range.clone()]);
    let is_head = stems.iter().any(|s| focus.head.contains(s));
    let in_question = !is_head && stems.iter().any(|s| focus.question.contains(s));
    let stop = analysis::is_stopword(&lower);
    let in_question = in_question && !stop;
    Word {
        range,
        lower,
        stems,
        in_question,
        is_head,
        stop,
        boundary_before,
    }
}

/// Text between two words that breaks a phrase: any punctuation but hyphens and apostrophes.
fn is_boundary(gap: &str) -> bool {
    gap.chars()
        .any(|c| !c.is_whitespace() && !matches!(c, '-' | '‐' | '\'' | '’' | '*' | '_'))
}

fn is_capitalised(w: &Word, sentence: &str) -> bool {
    sentence[w.range.clone()]
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
}

fn is_number(w: &Word) -> bool {
    w.lower.chars().next().is_some_and(|c| c.is_ascii_digit())
        || NUMBER_WORDS.contains(&w.lower.as_str())
}

fn is_year(w: &Word) -> bool {
    let digits: String = w.lower.chars().take_while(char::is_ascii_digit).collect();
    digits.len() == 4 && (1000..=2100).contains(&digits.parse::<u32>().unwrap_or(0))
}

fn span(words: &[Word], first: usize, last: usize) -> Range<usize> {
    words[first].range.start..words[last].range.end
}

/// Numbers with their qualifier ("over", "more than"), scale ("million", "%") and, for counts,
/// the noun they count. A number attached to the head noun scores highest.
fn numbers(words: &[Word], focus: &Focus) -> Vec<(Range<usize>, f32)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if !is_number(&words[i]) || words[i].in_question {
            i += 1;
            continue;
        }
        let mut first = i;
        while first > 0
            && !words[first].boundary_before
            && QUALIFIERS.contains(&words[first - 1].lower.as_str())
        {
            first -= 1;
        }
        // Drop a qualifier run that is really a preposition ("to", "at") with nothing after it.
        while first < i
            && matches!(
                words[first].lower.as_str(),
                "to" | "at" | "than" | "least" | "up" | "an"
            )
            && !qualifier_run_ok(words, first, i)
        {
            first += 1;
        }
        let mut last = i;
        while last + 1 < words.len()
            && !words[last + 1].boundary_before
            && (is_number(&words[last + 1]) || SCALES.contains(&words[last + 1].lower.as_str()))
        {
            last += 1;
        }
        let mut affinity = if is_year(&words[i]) && !matches!(focus.expect, Expect::Amount) {
            0.3
        } else {
            1.0
        };
        if matches!(focus.expect, Expect::Percent) {
            let percent = words[i..=last]
                .iter()
                .any(|w| matches!(w.lower.as_str(), "percent" | "%" | "cent"))
                || words[i].lower.ends_with('%');
            affinity = if percent { 1.5 } else { 0.3 };
        }
        // The counted noun: up to six words on, with no punctuation or verb-like stop between.
        let mut end = last;
        let mut attached = false;
        let mut j = last + 1;
        while j < words.len() && j <= last + 6 && !words[j].boundary_before {
            // "of" and coordination stay inside the counted phrase ("160 countries and regions").
            let inside = matches!(words[j].lower.as_str(), "of" | "and" | "or");
            if words[j].stop && !inside || is_number(&words[j]) {
                break;
            }
            if words[j].is_head {
                attached = true;
                end = j;
                break;
            }
            j += 1;
        }
        if attached {
            // Modifiers shared with the question ("340 *apple* trees" for "how many apple
            // trees") single out the right count among several of the same noun.
            let shared = words[last + 1..end]
                .iter()
                .filter(|w| w.in_question)
                .count();
            let other = words[last + 1..end]
                .iter()
                .filter(|w| !w.in_question && !w.stop)
                .count();
            affinity += 2.0 + shared as f32 - 0.5 * other.min(2) as f32;
            end = extend_coordination(words, end);
        } else if !focus.head.is_empty() {
            // A number not attached to the head noun: keep the noun right after it, if any, so
            // the answer says what it counts.
            if end + 1 < words.len()
                && !words[end + 1].boundary_before
                && !words[end + 1].stop
                && !is_number(&words[end + 1])
            {
                end += 1;
            }
            affinity *= 0.5;
        }
        out.push((span(words, first, end), affinity));
        i = last + 1;
    }
    out
}

fn qualifier_run_ok(words: &[Word], first: usize, number: usize) -> bool {
    let run: Vec<&str> = words[first..number]
        .iter()
        .map(|w| w.lower.as_str())
        .collect();
    matches!(
        run.as_slice(),
        ["up", "to"]
            | ["at", "least"]
            | ["at", "most"]
            | ["more", "than"]
            | ["less", "than"]
            | ["fewer", "than"]
    ) || run.len() == 1 && !matches!(run[0], "to" | "at" | "than" | "least" | "up" | "an")
}

/// Currency signs before a number and a percent sign after it belong to the answer ("£2.5
/// million", "12%"); the tokenizer leaves them out of words.
fn with_symbols(sentence: &str, range: Range<usize>) -> Range<usize> {
    let mut start = range.start;
    if let Some(c) = sentence[..start]
        .chars()
        .next_back()
        .filter(|c| matches!(c, '$' | '€' | '£' | '¥' | '₹' | '₩'))
    {
        start -= c.len_utf8();
    }
    let mut end = range.end;
    if sentence[end..].starts_with('%') {
        end += 1;
    }
    start..end
}

/// "countries and regions": a coordinated noun right after the counted noun belongs with it.
fn extend_coordination(words: &[Word], end: usize) -> usize {
    let closes = |k: usize| k + 1 >= words.len() || words[k + 1].boundary_before;
    if end + 2 < words.len()
        && matches!(words[end + 1].lower.as_str(), "and" | "or")
        && !words[end + 1].boundary_before
        && !words[end + 2].boundary_before
        && !words[end + 2].stop
        && closes(end + 2)
    {
        end + 2
    } else {
        end
    }
}

/// Years, year ranges ("2021-2025"), decades, and dates with month names.
fn dates(words: &[Word]) -> Vec<(Range<usize>, f32)> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if w.in_question {
            continue;
        }
        if MONTHS.contains(&w.lower.as_str()) && w.lower.len() > 2 {
            let mut first = i;
            if i > 0 && is_number(&words[i - 1]) && !w.boundary_before {
                first = i - 1;
            }
            let mut last = i;
            while last + 1 < words.len() && is_number(&words[last + 1]) && last < i + 2 {
                last += 1;
            }
            // A bare month counts after a preposition ("opened in October"); otherwise the
            // word may be a verb or a name ("march", "May").
            let after_preposition = i > 0
                && matches!(
                    words[i - 1].lower.as_str(),
                    "in" | "on" | "by" | "since" | "until" | "from" | "during" | "of"
                );
            if first != i || last != i {
                out.push((span(words, first, last), 1.5));
            } else if after_preposition && w.lower.len() > 3 {
                out.push((span(words, first, last), 0.8));
            }
        } else if is_year(w)
            || w.lower.ends_with("0s") && w.lower.chars().next().is_some_and(|c| c.is_ascii_digit())
        {
            let mut first = i;
            let mut last = i;
            if words
                .get(i + 1)
                .is_some_and(|n| matches!(n.lower.as_str(), "bc" | "bce" | "ad" | "ce"))
            {
                last = i + 1;
            }
            // "from 1562 to 1598", "between 1268 and 1273": the whole range.
            let opens = i > 0 && matches!(words[i - 1].lower.as_str(), "from" | "between");
            let closes = words
                .get(last + 1)
                .is_some_and(|n| matches!(n.lower.as_str(), "to" | "and" | "until" | "till"))
                && words.get(last + 2).is_some_and(is_year);
            if opens && closes {
                first = i - 1;
                last += 2;
            }
            out.push((span(words, first, last), 1.0));
        } else if is_number(w)
            && words.get(i + 1).is_some_and(|n| {
                matches!(
                    n.lower.as_str(),
                    "years" | "yr" | "yrs" | "decades" | "centuries" | "months"
                )
            })
            && words.get(i + 2).is_some_and(|n| n.lower == "ago")
        {
            // "8,000 years ago".
            out.push((span(words, i, i + 2), 1.0));
        } else if is_number(w)
            && words
                .get(i + 1)
                .is_some_and(|n| matches!(n.lower.as_str(), "century" | "centuries"))
        {
            out.push((span(words, i, i + 1), 1.0));
        }
    }
    out
}

/// Capitalised names ("14th Five-Year Plan", "Embassy Sci-tech Expo", "Chang’e 6"), possibly
/// with connectors inside ("Science and Technology"). A name holding or next to the head noun
/// scores highest.
fn names(words: &[Word], focus: &Focus, sentence: &str) -> Vec<(Range<usize>, f32)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let starts = (is_capitalised(&words[i], sentence) && !(i == 0 && words[i].stop))
            || is_number(&words[i])
                && words
                    .get(i + 1)
                    .is_some_and(|n| is_capitalised(n, sentence) && !n.boundary_before);
        if !starts || words[i].stop {
            i += 1;
            continue;
        }
        let mut last = i;
        let mut j = i + 1;
        while j < words.len() && !words[j].boundary_before {
            if is_capitalised(&words[j], sentence) || is_number(&words[j]) && j == last + 1 {
                last = j;
                j += 1;
            } else if CONNECTORS.contains(&words[j].lower.as_str())
                && words
                    .get(j + 1)
                    .is_some_and(|n| is_capitalised(n, sentence) && !n.boundary_before)
            {
                j += 1;
            } else {
                break;
            }
        }
        // A lone capitalised first word is usually just the start of the sentence.
        if i == 0 && last == 0 {
            i = 1;
            continue;
        }
        let holds_head = words[i..=last].iter().any(|w| w.is_head);
        let next_to_head = words
            .get(last + 1)
            .is_some_and(|w| w.is_head && !w.boundary_before)
            || i > 0 && words[i - 1].is_head;
        let mut affinity = 1.0;
        if holds_head {
            affinity += 1.5;
        } else if next_to_head {
            affinity += 1.2;
        } else if focus
            .head
            .iter()
            .any(|_| words[i.saturating_sub(3)..i].iter().any(|w| w.is_head))
        {
            affinity += 0.3;
        }
        out.push((span(words, i, last), affinity));
        i = last + 1;
    }
    out
}

/// Noun phrases (runs of content words, "X of Y" kept together), quoted phrases, and the phrase a
/// head noun introduces ("problems like X", "X, a core value"). Phrases after the question's
/// words score a little higher: questions usually ask for the object of what they mention.
fn phrases(words: &[Word], sentence: &str) -> Vec<(Range<usize>, f32)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if words[i].stop {
            i += 1;
            continue;
        }
        let mut last = i;
        let mut j = i + 1;
        while j < words.len() && !words[j].boundary_before {
            if !words[j].stop {
                last = j;
                j += 1;
            } else if words[j].lower == "of"
                && words
                    .get(j + 1)
                    .is_some_and(|n| !n.boundary_before && !n.stop)
            {
                j += 1;
            } else {
                break;
            }
        }
        // Questions usually ask for the object of a word they mention ("promoting open access
        // to X"): a phrase right after a question word ranks higher.
        let after = words[i.saturating_sub(3)..i].iter().any(|w| w.in_question);
        let mut affinity = if after { 1.0 } else { 0.7 } + head_bonus(words, i, last);
        // Without a part-of-speech tagger, a lone "-ed"/"-ing" word is most likely a verb
        // ("invented", "exhausting"), which rarely answers "what".
        let lone_verb =
            last == i && (words[i].lower.ends_with("ed") || words[i].lower.ends_with("ing"));
        if lone_verb {
            affinity *= 0.5;
        }
        out.push((span(words, i, last), affinity));
        i = last + 1;
    }
    // Quoted phrases are answers people quote on purpose.
    for (open, close) in [('“', '”'), ('"', '"'), ('‘', '’')] {
        let mut from = 0;
        while let Some(a) = sentence[from..]
            .find(open)
            .map(|p| from + p + open.len_utf8())
        {
            let Some(b) = sentence[a..].find(close).map(|p| a + p) else {
                break;
            };
            let inner = sentence[a..b].trim_end_matches([',', '.', ';', ':']).trim();
            if !inner.is_empty() && inner.split_whitespace().count() <= 10 {
                let start = a + (sentence[a..b].len() - sentence[a..b].trim_start().len());
                let first = words.iter().position(|w| w.range.start >= start);
                let last = words
                    .iter()
                    .rposition(|w| w.range.end <= start + inner.len());
                let bonus = match (first, last) {
                    (Some(f), Some(l)) if f <= l => head_bonus(words, f, l),
                    _ => 0.0,
                };
                out.push((start..start + inner.len(), 1.3 + bonus));
            }
            from = b + close.len_utf8();
        }
    }
    out
}

/// The phrase a head noun introduces ("buzzwords like X", "problems such as X") or that stands
/// in apposition to it ("X, a core value") is very likely the answer to "what/which HEAD".
fn head_bonus(words: &[Word], first: usize, last: usize) -> f32 {
    // "HEAD like X", "HEAD such as X", "HEAD, including X": an introducing word right before X.
    let introduced = first >= 2
        && matches!(
            words[first - 1].lower.as_str(),
            "like" | "as" | "including" | "namely" | "especially"
        )
        && words[first.saturating_sub(4)..first - 1]
            .iter()
            .any(|w| w.is_head);
    // "X, a core value": a comma, a determiner, then the head within a few words.
    let apposed = words.get(last + 1).is_some_and(|n| {
        n.boundary_before
            && matches!(
                n.lower.as_str(),
                "a" | "an" | "the" | "one" | "our" | "their" | "its"
            )
    }) && words[last + 1..].iter().take(4).any(|w| w.is_head);
    if introduced || apposed {
        1.6
    } else {
        0.0
    }
}

/// Whether a sentence opens with a demonstrative that points back ("That’s the question."): its
/// answer is then the sentence before it.
pub fn points_back(sentence: &str) -> bool {
    let first = sentence.split_whitespace().next().unwrap_or("");
    let first = analysis::normalize(
        first.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’'),
    );
    DEMONSTRATIVES.contains(&first.as_str())
}

/// Finds the expansion of `acronym` in `sentence`: "science and technology (S&T)" or
/// "S&T (science and technology)". Returns its byte range.
pub fn acronym_expansion(sentence: &str, acronym: &str) -> Option<Range<usize>> {
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
    let after = sentence.find(&format!("{acronym} ("))?;
    let open = after + acronym.len() + 2;
    let close = open + sentence[open..].find(')')?;
    let inner = &sentence[open..close];
    let initials: String = inner
        .split_whitespace()
        .filter(|w| {
            !matches!(
                w.to_lowercase().as_str(),
                "and" | "of" | "for" | "the" | "&" | "de"
            )
        })
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_lowercase)
        .collect();
    (initials == letters.iter().collect::<String>()).then_some(open..close)
}

/// Walks back over the words before a bracketed acronym, matching their initials to its letters.
fn expansion_before(text: &str, letters: &[char]) -> Option<Range<usize>> {
    let trimmed = text.trim_end();
    let mut need = letters.len();
    let mut start = trimmed.len();
    let mut rest = trimmed;
    while need > 0 {
        // Any white space, also the no-break and ideographic spaces of HTML and CJK text.
        let word_start = rest
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(p, c)| p + c.len_utf8());
        let word = &rest[word_start..];
        if word.is_empty() {
            return None;
        }
        let lower = word.to_lowercase();
        if !matches!(lower.as_str(), "and" | "of" | "for" | "the" | "&" | "de") {
            let initial = lower.chars().find(|c| c.is_alphabetic())?;
            let capitalised = word.chars().next().is_some_and(char::is_uppercase);
            if initial == letters[need - 1] {
                need -= 1;
            } else if capitalised || need == letters.len() {
                // Capitalised words, and the word right before the brackets, must spell the
                // acronym; a lowercase modifier inside ("Very high-speed Backbone") may not.
                return None;
            }
        }
        start = word_start;
        rest = rest[..word_start].trim_end();
    }
    Some(start..trimmed.len())
}

/// How a post introduces its author: "Jimmy here", "I'm Ann", "My name is Ann", "by Ann".
pub fn self_introduction(sentence: &str) -> Option<Range<usize>> {
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
            "by" if k == 0 => Some(k + 1),
            _ => None,
        };
        if let Some(n) = intro_end {
            if let Some(&(nat, name)) = tokens.get(n) {
                if is_name(&clean(name)) {
                    let word = clean(name);
                    let offset = nat + name.find(&word).unwrap_or(0);
                    return Some(offset..offset + word.len());
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
                let offset = at + w.find(&word).unwrap_or(0);
                return Some(offset..offset + word.len());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(sentence: &str, expect: Expect, head: &[&str], question: &[&str]) -> Option<String> {
        let terms = analysis::terms(sentence);
        let stem = |w: &&str| analysis::stem(w);
        let head: Vec<String> = head.iter().map(stem).collect();
        let question: Vec<String> = question.iter().map(stem).collect();
        let focus = Focus {
            expect: &expect,
            head: &head,
            question: &question,
        };
        extract(sentence, &terms, &focus).map(|s| sentence[s.range].to_string())
    }

    #[test]
    fn counts_keep_qualifier_and_noun() {
        let s = "Members come from over 40 towns and villages, and 12 clubs joined.";
        assert_eq!(
            answer(s, Expect::Count, &["towns"], &[]).as_deref(),
            Some("over 40 towns and villages")
        );
        assert_eq!(
            answer(s, Expect::Count, &["clubs"], &[]).as_deref(),
            Some("12 clubs")
        );
    }

    #[test]
    fn counts_prefer_the_modifiers_of_the_question() {
        let s = "The orchard grew 340 apple trees and 12 pear trees.";
        assert_eq!(
            answer(s, Expect::Count, &["trees"], &["apple", "orchard"]).as_deref(),
            Some("340 apple trees")
        );
        assert_eq!(
            answer(s, Expect::Count, &["trees"], &["pear", "orchard"]).as_deref(),
            Some("12 pear trees")
        );
    }

    #[test]
    fn counts_skip_numbers_from_the_question() {
        let s = "In 2019 the 3 bridges carried 5,000 cars a day.";
        assert_eq!(
            answer(s, Expect::Count, &["cars"], &["2019"]).as_deref(),
            Some("5,000 cars")
        );
    }

    #[test]
    fn dates_and_ranges() {
        let s = "The wars were fought from 1562 to 1598 in France.";
        assert_eq!(
            answer(s, Expect::Date, &[], &["wars", "fought"]).as_deref(),
            Some("from 1562 to 1598")
        );
        let s = "The delta began to form 8,000 years ago.";
        assert_eq!(
            answer(s, Expect::Date, &[], &["delta", "form"]).as_deref(),
            Some("8,000 years ago")
        );
        let s = "The club opened in October.";
        assert_eq!(
            answer(s, Expect::Date, &[], &["club", "opened"]).as_deref(),
            Some("October")
        );
        assert_eq!(answer("They march on.", Expect::Date, &[], &["they"]), None);
        let s = "The Third Plan (2016-2020) was adopted on 4 March 2016.";
        assert_eq!(
            answer(s, Expect::Date, &[], &["third", "plan"]).as_deref(),
            Some("2016-2020")
        );
    }

    #[test]
    fn names_holding_the_head_noun() {
        let s = "The 2023 Riverside Festival, with its focus on folk music, drew crowds.";
        assert_eq!(
            answer(s, Expect::Name, &["festival"], &["folk", "music"]).as_deref(),
            Some("2023 Riverside Festival")
        );
    }

    #[test]
    fn phrases_after_the_question_words() {
        let s = "The town is promoting free access to public libraries and parks.";
        assert_eq!(
            answer(
                s,
                Expect::Phrase,
                &[],
                &["town", "promoting", "free", "access"]
            )
            .as_deref(),
            Some("public libraries")
        );
    }

    #[test]
    fn phrases_a_head_noun_introduces_or_stands_beside() {
        let s = "Big troubles, like floods and fires, need a common plan.";
        assert_eq!(
            answer(s, Expect::Name, &["troubles"], &["need", "common", "plan"]).as_deref(),
            Some("floods")
        );
        let s = "The plan relies on steady funding, a key resource the City Council controls.";
        assert_eq!(
            answer(s, Expect::Name, &["resource"], &["key", "controls"]).as_deref(),
            Some("steady funding")
        );
    }

    #[test]
    fn quoted_phrases_are_candidates() {
        let s = "The fair, with its theme of “green cities for all,” opened today.";
        assert_eq!(
            answer(s, Expect::Phrase, &[], &["fair", "theme"]).as_deref(),
            Some("green cities for all")
        );
    }

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
    }

    #[test]
    fn authors_introduce_themselves() {
        let s = "Hi folks, Maria “The Gardener” here, back with tips.";
        assert_eq!(self_introduction(s).map(|r| &s[r]), Some("Maria"));
        let s = "Ahoy, Jo “Tidewatch” here.";
        assert_eq!(self_introduction(s).map(|r| &s[r]), Some("Jo"));
        let s = "Hello, I'm Tom and I fix bikes.";
        assert_eq!(self_introduction(s).map(|r| &s[r]), Some("Tom"));
        assert_eq!(self_introduction("The river is here."), None);
    }

    #[test]
    fn demonstratives_point_back() {
        assert!(points_back("That’s the real question."));
        assert!(!points_back("The real question remains."));
    }
}
