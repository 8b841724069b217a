//! Short answers in Chinese sentences. Chinese has no capitals and no spaces, so the English
//! shapes of the English ranker do not apply: numbers are found with their qualifier (超过, 约),
//! scale (万, 多), measure word (个, 名) and counted noun ("超过160个国家和地区"); dates as
//! numbers with 年/月/日; people, places and organisations by jieba's part-of-speech tags, and
//! places also as the phrase after a locative verb (在, 设在, 位于); other names as runs of content
//! words next to the question's head noun. Every answer is a byte range of the sentence.

use std::ops::Range;

use crate::analysis::{self, Term};
use crate::lexicon::chinese::{
    CONJUNCTIONS, DATE_UNITS, LOCATIVES, MEASURE_WORDS, NUMBER_QUALIFIERS, NUMBER_SCALES,
};
use crate::question::Expect;

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

/// A word of the sentence, with what the answer step needs to know about it.
struct Word {
    range: Range<usize>,
    text: String,
    tag: String,
    in_question: bool,
    is_head: bool,
    stop: bool,
    /// Punctuation separates it from the previous word.
    boundary_before: bool,
}

/// Finds the best answer span in a sentence that is mostly Chinese. `terms` have byte ranges
/// relative to the sentence.
pub fn extract(sentence: &str, terms: &[Term], focus: &Focus) -> Option<Span> {
    let words = words(sentence, terms, focus);
    if words.is_empty() {
        return None;
    }
    let candidates: Vec<(usize, usize, f32)> = match focus.expect {
        Expect::Count | Expect::Amount | Expect::Percent => numbers(&words, focus),
        Expect::Date => dates(&words),
        Expect::Person => tagged(&words, &["nr", "nrfg", "nrt"], &["nt"]),
        Expect::Place => {
            let mut all = tagged(&words, &["ns"], &["nt"]);
            all.extend(after_locative(&words));
            all
        }
        Expect::Name | Expect::Phrase => {
            let mut all = tagged(&words, &["nz", "nt", "nr", "ns"], &[]);
            all.extend(runs(&words));
            all
        }
        _ => Vec::new(),
    };
    candidates
        .into_iter()
        .filter(|&(first, last, _)| {
            words[first..=last]
                .iter()
                .any(|w| !w.in_question && !w.is_head && !w.stop)
        })
        .map(|(first, last, affinity)| {
            let distance = distance_to_question(&words, first, last);
            let clause = clause_agreement(&words, first, last);
            let mut range = words[first].range.start..words[last].range.end;
            if sentence[range.end..].starts_with(['%', '％']) {
                range.end += sentence[range.end..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8);
            }
            Span {
                range,
                score: affinity * clause / (1.0 + distance as f32 * 0.3),
            }
        })
        // The first of equals: the earlier span.
        .fold(None, |best: Option<Span>, span| match best {
            Some(b) if b.score >= span.score => Some(b),
            _ => Some(span),
        })
}

/// How much each of the question's words in the candidate's clause raises its score.
const CLAUSE_QUESTION_WORD: f32 = 0.5;
/// How much each other content word in the candidate's clause lowers its score.
const CLAUSE_OTHER_WORD: f32 = 0.25;

/// How well the clause (the words between punctuation) around words `first..=last` agrees with
/// the question: up for each of the question's words in it, down for each other content word.
/// In "组织者是王芳，副组织者是李明" the organiser is the one whose clause says nothing more
/// ("副", deputy), and the deputy the one whose clause has the question's "副" too: nearness
/// alone could not tell them apart.
fn clause_agreement(words: &[Word], first: usize, last: usize) -> f32 {
    let start = (0..=first)
        .rev()
        .find(|&i| words[i].boundary_before)
        .unwrap_or(0);
    let end = (last + 1..words.len())
        .find(|&i| words[i].boundary_before)
        .unwrap_or(words.len());
    let around = (start..end).filter(|&i| i < first || i > last);
    let (mut asked, mut other) = (0, 0);
    for i in around {
        let w = &words[i];
        if w.in_question || w.is_head {
            asked += 1;
        } else if !w.stop && w.text.chars().any(char::is_alphanumeric) {
            other += 1;
        }
    }
    (1.0 + CLAUSE_QUESTION_WORD * asked as f32) / (1.0 + CLAUSE_OTHER_WORD * other as f32)
}

fn words(sentence: &str, terms: &[Term], focus: &Focus) -> Vec<Word> {
    let tags = analysis::cjk_tags(sentence);
    let mut out: Vec<Word> = Vec::new();
    for term in terms.iter().filter(|t| !t.joined) {
        let text = sentence[term.range.clone()].to_string();
        let tag = tags
            .iter()
            .find(|(r, _)| *r == term.range)
            .map(|(_, t)| t.clone())
            .unwrap_or_default();
        let boundary_before = out.last().is_some_and(|prev| {
            sentence[prev.range.end..term.range.start]
                .chars()
                .any(|c| !c.is_whitespace())
        });
        let is_head = focus.head.iter().any(|h| **h == *term.text);
        out.push(Word {
            range: term.range.clone(),
            in_question: !is_head && focus.question.iter().any(|q| **q == *term.text),
            is_head,
            stop: analysis::is_stopword(&term.text),
            boundary_before,
            tag,
            text,
        });
    }
    out
}

/// Digits; Chinese numerals with an optional "more than" suffix ("三十多", "百余"); or a word jieba
/// tags as a numeral that starts with one ("三十多户").
fn is_number(w: &Word) -> bool {
    const NUMERALS: &str = "零〇一二三四五六七八九十百千万亿两";
    let numerals = w.text.trim_end_matches(['多', '余', '来']);
    w.text.chars().next().is_some_and(|c| c.is_ascii_digit())
        || !numerals.is_empty() && numerals.chars().all(|c| NUMERALS.contains(c))
        || w.tag == "m"
            && w.text.chars().next().is_some_and(|c| NUMERALS.contains(c))
            // "一些" (some) gives no figure.
            && !w.text.contains('些')
}

/// Numbers with their qualifier, scale, measure word and counted noun. A number whose noun is the
/// question's head noun scores highest.
fn numbers(words: &[Word], focus: &Focus) -> Vec<(usize, usize, f32)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if !is_number(&words[i]) || words[i].in_question {
            i += 1;
            continue;
        }
        let first = if i > 0
            && !words[i].boundary_before
            && NUMBER_QUALIFIERS.contains(&words[i - 1].text.as_str())
        {
            i - 1
        } else {
            i
        };
        let mut last = i;
        while last + 1 < words.len()
            && !words[last + 1].boundary_before
            && (is_number(&words[last + 1])
                || NUMBER_SCALES.contains(&words[last + 1].text.as_str()))
        {
            last += 1;
        }
        let unit = words
            .get(last + 1)
            .filter(|w| !w.boundary_before)
            .map(|w| w.text.as_str());
        // "1998年", "5月", "7日" name a point in time, never a count or an amount ("3年" is).
        let calendar_year = unit == Some("年")
            && words[i].text.len() == 4
            && words[i].text.chars().all(|c| c.is_ascii_digit());
        if calendar_year || unit.is_some_and(|u| u != "年" && DATE_UNITS.contains(&u)) {
            i = last + 1;
            continue;
        }
        let mut affinity: f32 = 1.0;
        if matches!(focus.expect, Expect::Percent) {
            let percent = words[i..=last]
                .iter()
                .any(|w| matches!(w.text.as_str(), "%" | "％"));
            affinity = if percent { 1.5 } else { 0.3 };
        }
        // The measure word and the counted noun: up to four words on, before punctuation or a
        // function word.
        let mut end = last;
        let mut attached = false;
        let mut j = last + 1;
        while j < words.len() && j <= last + 4 && !words[j].boundary_before && !is_number(&words[j])
        {
            if words[j].is_head {
                attached = true;
                end = j;
                break;
            }
            if words[j].stop && words[j].tag != "q" && !is_measure(&words[j]) {
                break;
            }
            end = j;
            j += 1;
        }
        if attached {
            affinity += 2.0;
            end = through_compound(words, end);
            // "国家和地区": a coordinated noun right after the counted one.
            if end + 2 < words.len()
                && CONJUNCTIONS.contains(&words[end + 1].text.as_str())
                && !words[end + 1].boundary_before
                && !words[end + 2].boundary_before
                && !words[end + 2].stop
            {
                end += 2;
            }
        } else {
            // Without the head noun, keep only the measure word and the noun right after it.
            end = through_compound(words, (last + 2).min(end));
            if !focus.head.is_empty() {
                affinity *= 0.5;
            }
        }
        out.push((first, end, affinity));
        i = last + 1;
    }
    out
}

/// Extends a span that ends on a noun over a noun or noun suffix written straight after it: jieba
/// splits some compounds ("系缆" + "桩"), and a count must name its whole noun ("15个系缆桩", not
/// "15个系缆").
fn through_compound(words: &[Word], end: usize) -> usize {
    let mut end = end;
    while let Some(next) = words.get(end + 1) {
        let is_noun = |w: &Word| w.tag.starts_with('n');
        // A one-character measure word or suffix right after a noun is part of it ("桩", "们").
        let suffix = matches!(next.tag.as_str(), "q" | "k") && next.text.chars().count() == 1;
        let glued = !next.boundary_before && !next.stop && !is_number(next);
        if !(glued && is_noun(&words[end]) && (is_noun(next) || suffix)) {
            break;
        }
        end += 1;
    }
    end
}

/// Measure words that jieba may not tag as such.
fn is_measure(w: &Word) -> bool {
    MEASURE_WORDS.contains(&w.text.as_str())
}

/// Numbers followed by date units ("1998年", "2024年5月1日", "90年代").
fn dates(words: &[Word]) -> Vec<(usize, usize, f32)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if !is_number(&words[i]) || words[i].in_question {
            i += 1;
            continue;
        }
        let mut last = i;
        let mut units = 0;
        while last + 1 < words.len() && !words[last + 1].boundary_before {
            let next = &words[last + 1];
            if DATE_UNITS.contains(&next.text.as_str()) {
                units += 1;
            } else if !is_number(next) {
                break;
            }
            last += 1;
        }
        let year = words[i].text.len() == 4 && words[i].text.chars().all(|c| c.is_ascii_digit());
        if units > 0 || year {
            out.push((i, last, if units > 0 { 1.5 } else { 1.0 }));
        }
        i = last + 1;
    }
    out
}

/// Runs of words carrying one of the `strong` tags (affinity 1.5) or `weak` tags (1.0).
fn tagged(words: &[Word], strong: &[&str], weak: &[&str]) -> Vec<(usize, usize, f32)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let kind = |w: &Word| {
            if strong.contains(&w.tag.as_str()) {
                Some(1.5)
            } else if weak.contains(&w.tag.as_str()) {
                Some(1.0)
            } else {
                None
            }
        };
        let Some(affinity) = kind(&words[i]).filter(|_| !words[i].in_question) else {
            i += 1;
            continue;
        };
        let mut last = i;
        while last + 1 < words.len()
            && !words[last + 1].boundary_before
            && kind(&words[last + 1]).is_some()
        {
            last += 1;
        }
        // A place or an organisation is named whole ("北京市" + "图书馆"); a person by name alone.
        let last = if words[last].tag.starts_with("nr") {
            last
        } else {
            through_compound(words, last)
        };
        out.push((i, last, affinity));
        i = last + 1;
    }
    out
}

/// The content words after a locative ("设在*老码头广场*"), up to punctuation, a function word,
/// a verb or a time.
fn after_locative(words: &[Word]) -> Vec<(usize, usize, f32)> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if !LOCATIVES.contains(&w.text.as_str()) {
            continue;
        }
        let first = i + 1;
        let mut last = first;
        while last < words.len()
            && (last == first || !words[last].boundary_before)
            && !words[last].stop
            && !is_verb(&words[last])
            && !is_time(&words[last])
        {
            last += 1;
        }
        if last > first && !words[first].boundary_before {
            out.push((first, last - 1, 1.2));
        }
    }
    out
}

fn is_verb(w: &Word) -> bool {
    w.tag.starts_with('v')
}

/// Times, numbers and pronouns ("每年", "正月") name no place: "在每年正月" says when.
fn is_time(w: &Word) -> bool {
    is_number(w) || matches!(w.tag.as_str(), "t" | "tg" | "r" | "m" | "q")
}

/// Runs of content words between punctuation and function words; those next to the head noun
/// score higher.
fn runs(words: &[Word]) -> Vec<(usize, usize, f32)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if words[i].stop || words[i].in_question {
            i += 1;
            continue;
        }
        let mut last = i;
        while last + 1 < words.len()
            && !words[last + 1].boundary_before
            && !words[last + 1].stop
            && !words[last + 1].in_question
        {
            last += 1;
        }
        let holds_head = words[i..=last].iter().any(|w| w.is_head);
        let next_to_head =
            words.get(last + 1).is_some_and(|w| w.is_head) || i > 0 && words[i - 1].is_head;
        let affinity = if holds_head {
            1.6
        } else if next_to_head {
            1.3
        } else {
            0.7
        };
        out.push((i, last, affinity));
        i = last + 1;
    }
    out
}

/// Distance from the span to the nearest word of the question, in words.
fn distance_to_question(words: &[Word], first: usize, last: usize) -> usize {
    words
        .iter()
        .enumerate()
        .filter(|(i, w)| (w.in_question || w.is_head) && (*i < first || *i > last))
        .map(|(i, _)| {
            let (gap, between) = if i < first {
                (first - i - 1, i + 1..=first)
            } else {
                (i - last - 1, last + 1..=i)
            };
            // A word of the question in another clause is farther than its count of words.
            let crossed = words[between].iter().any(|w| w.boundary_before);
            gap + if crossed { CROSSED_CLAUSE } else { 0 }
        })
        .min()
        .unwrap_or(8)
}

/// How many words a clause boundary between a span and a question word counts as.
const CROSSED_CLAUSE: usize = 2;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clause_that_says_what_the_question_says_holds_the_answer() {
        let s = "主持人是张伟，副主持人是赵丽。";
        assert_eq!(
            answer(s, Expect::Person, &["主持人"], &[]).as_deref(),
            Some("张伟")
        );
        assert_eq!(
            answer(s, Expect::Person, &["主持人"], &["副"]).as_deref(),
            Some("赵丽")
        );
    }

    fn answer(sentence: &str, expect: Expect, head: &[&str], question: &[&str]) -> Option<String> {
        let terms = analysis::terms(sentence);
        let head: Vec<String> = head.iter().map(|w| analysis::stem(w)).collect();
        let question: Vec<String> = question.iter().map(|w| analysis::stem(w)).collect();
        let focus = Focus {
            expect: &expect,
            head: &head,
            question: &question,
        };
        extract(sentence, &terms, &focus).map(|s| sentence[s.range].to_string())
    }

    #[test]
    fn counts_keep_qualifier_measure_word_and_noun() {
        let s = "中国已与超过160个国家和地区建立了科技合作关系。";
        assert_eq!(
            answer(s, Expect::Count, &["国家"], &["科技", "合作"]).as_deref(),
            Some("超过160个国家和地区")
        );
        let s = "当时只有三十多户人家参加。";
        assert_eq!(
            answer(s, Expect::Count, &["人家"], &["参加"]).as_deref(),
            Some("只有三十多户人家")
        );
        // A calendar year is not a count of years.
        let s = "灯笼节始于1998年。";
        assert_eq!(answer(s, Expect::Count, &["历史"], &["灯笼节"]), None);
        let s = "志愿者团队共有85名成员，去年新增了12名。";
        assert_eq!(
            answer(s, Expect::Count, &["成员"], &["志愿者", "团队"]).as_deref(),
            Some("85名成员")
        );
    }

    #[test]
    fn counts_name_the_whole_noun_when_jieba_splits_it() {
        // jieba cuts "系缆桩" (mooring bollard) into "系缆" and "桩"; the answer was "15个系缆".
        let s = "新码头于2021年建成，共有15个系缆桩，可同时停靠8艘渔船。";
        assert_eq!(
            answer(s, Expect::Count, &["系缆"], &["码头", "桩"]).as_deref(),
            Some("15个系缆桩")
        );
        assert_eq!(
            answer(s, Expect::Count, &[], &["码头"]).as_deref(),
            Some("15个系缆桩")
        );
    }

    #[test]
    fn dates_with_their_units() {
        let s = "河畔镇的灯笼节始于1998年，由退休教师发起。";
        assert_eq!(
            answer(s, Expect::Date, &[], &["灯笼节", "始于"]).as_deref(),
            Some("1998年")
        );
    }

    #[test]
    fn places_after_a_locative() {
        let s = "节日在每年正月十五举行，地点设在老码头广场。";
        assert_eq!(
            answer(s, Expect::Place, &[], &["节日", "举行"]).as_deref(),
            Some("老码头广场")
        );
    }

    #[test]
    fn people_by_their_tag() {
        let s = "灯笼节由退休教师王秀兰发起。";
        assert_eq!(
            answer(s, Expect::Person, &[], &["灯笼节", "发起"]).as_deref(),
            Some("王秀兰")
        );
    }
}
