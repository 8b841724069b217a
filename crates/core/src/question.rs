//! Question classification: what kind of answer a question expects (a count, an amount, a date, a
//! name, the expansion of an acronym, ...) and which noun it asks about ("how many *labs*",
//! "which *forum*"). The answer step uses both to pick a span of the right shape. Questions in
//! Chinese are classified by their question word (多少, 什么时候, 谁, 哪里, 什么, 为什么, 吗 ...).

use crate::analysis;

/// The shape of answer a question expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// "How many ...": a number, with its qualifier and noun.
    Count,
    /// "How much / how far / how long ...": a quantity, sum of money or measure.
    Amount,
    /// "What percentage ...".
    Percent,
    /// "When / what year ...": a date, year or range of years.
    Date,
    /// "Who ...": a person or organisation.
    Person,
    /// "Where ...": a place.
    Place,
    /// "Which X / what X ...": a name or phrase, ideally one involving the head noun.
    Name,
    /// "What does X stand for": the expansion of the acronym X (as written in the question).
    Acronym(String),
    /// "Who wrote the post": the author, as the post introduces itself.
    Author,
    /// "Is / does / can ...": answered by the cited passage, without a short span.
    YesNo,
    /// "Why ...": a reason clause.
    Reason,
    /// Anything else: a noun phrase near the question's words.
    Phrase,
}

/// A classified question.
#[derive(Debug, Clone)]
pub struct Question {
    /// What kind of answer it expects.
    pub expect: Expect,
    /// The noun the question asks about, lower-cased ("labs" in "how many Belt and Road joint labs").
    pub head: Option<String>,
    /// For "which/what X" questions, the other words of the phrase X: without a part-of-speech
    /// tagger "which forum focuses on" cannot tell noun from verb, so each may be the head.
    pub modifiers: Vec<String>,
}

/// Words that end the noun phrase after "how many" or "which".
const AUXILIARIES: &[&str] = &[
    "is", "are", "was", "were", "do", "does", "did", "have", "has", "had", "can", "could", "will",
    "would", "should", "shall", "may", "might", "must", "be", "been",
];

const PREPOSITIONS: &[&str] = &[
    "in", "on", "at", "of", "for", "to", "from", "by", "with", "about", "that", "which", "who",
    "during", "since", "after", "before", "under", "over", "between", "among", "through", "into",
];

const MEASURES: &[&str] = &[
    "much",
    "far",
    "long",
    "big",
    "large",
    "tall",
    "high",
    "deep",
    "wide",
    "heavy",
    "old",
    "fast",
    "often",
    "large",
    "small",
    "expensive",
];

const DATE_NOUNS: &[&str] = &[
    "year", "years", "date", "dates", "century", "decade", "month", "day", "period", "era", "time",
];

const AUTHOR_VERBS: &[&str] = &[
    "wrote", "written", "writes", "authored", "penned", "posted", "write",
];
const WORK_NOUNS: &[&str] = &[
    "post", "article", "blog", "piece", "text", "this", "story", "essay",
];

/// Classifies a question.
pub fn classify(question: &str) -> Question {
    // A byte-order mark or zero-width space must not make "how" another word.
    let question = &*analysis::without_ignorables(question);
    if analysis::is_mostly_chinese(question) {
        return classify_chinese(question);
    }
    let words: Vec<String> = question
        .split(|c: char| c.is_whitespace() || matches!(c, '?' | '!' | ',' | ';' | '"' | '“' | '”'))
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.trim_matches(|c: char| matches!(c, '.' | ':' | '(' | ')'))
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let w = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    // Skip leading fillers such as "so", "and", "in" ("In what year ...").
    let mut at = 0;
    while matches!(
        w(at),
        "so" | "and"
            | "but"
            | "ok"
            | "okay"
            | "please"
            | "tell"
            | "me"
            | "in"
            | "during"
            | "by"
            | "on"
            | "at"
            | "to"
            | "for"
            | "from"
            | "after"
            | "before"
            | "since"
            | "until"
            | "around"
            | "about"
            | "with"
            | "of"
    ) {
        at += 1;
    }
    let first = w(at);
    let second = w(at + 1);
    // The noun phrase after "how many" / "which" ends at an auxiliary, a preposition or a word
    // that looks like a verb; its last word is the head noun.
    let phrase = |from: usize| -> Vec<String> {
        let mut phrase: Vec<String> = Vec::new();
        for (i, word) in words.iter().enumerate().skip(from) {
            let word = word.as_str();
            let previous = phrase.last().map(String::as_str);
            let before_determiner = matches!(
                w(i + 1),
                "the"
                    | "a"
                    | "an"
                    | "this"
                    | "that"
                    | "these"
                    | "its"
                    | "their"
                    | "his"
                    | "her"
                    | "it"
                    | "them"
            );
            let next_is_function_word = w(i + 1).is_empty()
                || AUXILIARIES.contains(&w(i + 1))
                || PREPOSITIONS.contains(&w(i + 1))
                || before_determiner;
            // "-ed"/"-ing" words modify a noun ("shipping agreements") unless a function word
            // follows ("forum focused on").
            let verb_like = previous.is_some()
                && ((word.ends_with("ed") || word.ends_with("ing")) && next_is_function_word
                    || before_determiner
                    || word.ends_with('s')
                        && !word.ends_with("ss")
                        && previous.is_some_and(|p| !p.ends_with('s'))
                        && !(w(i + 1).is_empty()
                            || AUXILIARIES.contains(&w(i + 1))
                            || PREPOSITIONS.contains(&w(i + 1))));
            if AUXILIARIES.contains(&word)
                || PREPOSITIONS.contains(&word) && previous.is_some()
                || verb_like
            {
                break;
            }
            if !matches!(word, "and" | "the" | "a" | "an" | "of") {
                phrase.push(word.to_string());
            }
        }
        phrase
    };
    let phrase_head = |from: usize| phrase(from).pop();
    // What "how many" counts: the last plural in the phrase ("agreements" in "how many
    // agreements lock in ..."), else its last word.
    let counted = |from: usize| {
        let words = phrase(from);
        let plural = |w: &&String| w.len() > 3 && w.ends_with('s') && !w.ends_with("ss");
        words.iter().rev().find(plural).or(words.last()).cloned()
    };
    let expect_with_head = |expect: Expect, head: Option<String>| Question {
        expect,
        head,
        modifiers: Vec::new(),
    };
    let name_with_phrase = |from: usize| {
        let mut modifiers = phrase(from);
        modifiers.truncate(3);
        let head = modifiers.pop();
        Question {
            expect: Expect::Name,
            head,
            modifiers,
        }
    };

    if let Some(acronym) = acronym_question(question, &words) {
        return expect_with_head(Expect::Acronym(acronym), None);
    }
    match first {
        "how" if second == "many" => expect_with_head(Expect::Count, counted(at + 2)),
        "number" | "total" if words[at..].iter().any(|x| x == "of") => {
            let of = at + words[at..].iter().position(|x| x == "of").unwrap_or(0);
            expect_with_head(Expect::Count, counted(of + 1))
        }
        "how" if MEASURES.contains(&second) => {
            expect_with_head(Expect::Amount, phrase_head(at + 2))
        }
        "how" => expect_with_head(Expect::Phrase, None),
        "when" => expect_with_head(Expect::Date, None),
        "where" => expect_with_head(Expect::Place, None),
        "why" => expect_with_head(Expect::Reason, None),
        "who" | "whom" | "whose" => {
            let authored = words.iter().any(|x| AUTHOR_VERBS.contains(&x.as_str()))
                && words.iter().any(|x| WORK_NOUNS.contains(&x.as_str()))
                || words
                    .iter()
                    .any(|x| matches!(x.as_str(), "author" | "writer"));
            expect_with_head(
                if authored {
                    Expect::Author
                } else {
                    Expect::Person
                },
                None,
            )
        }
        "what" | "which" => {
            if matches!(
                second,
                "percentage" | "percent" | "proportion" | "share" | "fraction"
            ) {
                return expect_with_head(Expect::Percent, None);
            }
            if DATE_NOUNS.contains(&second) {
                return expect_with_head(Expect::Date, None);
            }
            if second == "number" && w(at + 2) == "of" {
                return expect_with_head(Expect::Count, counted(at + 3));
            }
            if matches!(second, "amount" | "quantity") && w(at + 2) == "of" {
                return expect_with_head(Expect::Amount, phrase_head(at + 3));
            }
            if words
                .iter()
                .any(|x| matches!(x.as_str(), "author" | "author's" | "writer"))
            {
                return expect_with_head(Expect::Author, None);
            }
            // "What is the 2025 forum called?": a name, whose head is the noun before "called".
            let last = words.last().map(String::as_str).unwrap_or("");
            if AUXILIARIES.contains(&second) && matches!(last, "called" | "named" | "titled") {
                let head = words[..words.len() - 1]
                    .iter()
                    .rev()
                    .find(|x| !AUXILIARIES.contains(&x.as_str()))
                    .cloned();
                return expect_with_head(Expect::Name, head);
            }
            // "What is the core value of ...": a copula and a determiner introduce the thing
            // named, as "which" does.
            // Only when the phrase ends the question or a preposition follows it: in "what is the
            // club promoting" the club is the subject, not the thing asked.
            if matches!(second, "is" | "are" | "was" | "were")
                && matches!(w(at + 2), "the" | "a" | "an")
            {
                let named = phrase(at + 3);
                let after = named
                    .last()
                    .and_then(|last| words[at + 3..].iter().position(|x| x == last))
                    .map(|p| w(at + 3 + p + 1));
                if after.is_some_and(|next| next.is_empty() || PREPOSITIONS.contains(&next)) {
                    return name_with_phrase(at + 3);
                }
            }
            if AUXILIARIES.contains(&second)
                || second.is_empty()
                || matches!(second, "kind" | "type" | "sort")
            {
                return expect_with_head(Expect::Phrase, None);
            }
            name_with_phrase(at + 1)
        }
        _ if AUXILIARIES.contains(&first) => expect_with_head(Expect::YesNo, None),
        _ => {
            // "Name the ...", "List ...", or a bare phrase: a name if a head noun is obvious.
            expect_with_head(Expect::Phrase, None)
        }
    }
}

/// Chinese question words, longest first within each kind, and the answer each asks for. The
/// order matters: "几月" and "哪一年" are dates before "几" is a count, "哪里" is a place before
/// "哪" is a name.
const CHINESE_QUESTION_WORDS: &[(&str, Expect)] = &[
    ("为什么", Expect::Reason),
    ("为何", Expect::Reason),
    ("什么时候", Expect::Date),
    ("什么时间", Expect::Date),
    ("何时", Expect::Date),
    ("哪一年", Expect::Date),
    ("哪年", Expect::Date),
    ("哪一天", Expect::Date),
    ("哪天", Expect::Date),
    ("几月", Expect::Date),
    ("几号", Expect::Date),
    ("几年", Expect::Date),
    ("什么地方", Expect::Place),
    ("哪里", Expect::Place),
    ("哪儿", Expect::Place),
    ("在哪", Expect::Place),
    ("何处", Expect::Place),
    ("百分之几", Expect::Percent),
    ("百分比", Expect::Percent),
    ("比例", Expect::Percent),
    ("多少钱", Expect::Amount),
    ("多长", Expect::Amount),
    ("多远", Expect::Amount),
    ("多高", Expect::Amount),
    ("多大", Expect::Amount),
    ("多久", Expect::Amount),
    ("多重", Expect::Amount),
    ("多少", Expect::Count),
    ("几", Expect::Count),
    ("哪位", Expect::Person),
    ("谁", Expect::Person),
    ("什么", Expect::Name),
    ("哪个", Expect::Name),
    ("哪些", Expect::Name),
    ("哪", Expect::Name),
    ("何", Expect::Name),
    ("吗", Expect::YesNo),
    ("是否", Expect::YesNo),
    ("是不是", Expect::YesNo),
    ("有没有", Expect::YesNo),
];

/// Measure words between a question word and its noun ("多少*名*成员", "哪*个*论坛").
const CHINESE_MEASURE_WORDS: &[&str] = &[
    "个", "名", "位", "家", "座", "所", "项", "种", "条", "次", "件", "只", "台", "辆", "本", "份",
    "篇", "场", "批", "届", "户", "类", "一", "些", "一些", "年",
];

/// Classifies a question written in Chinese by its question word; the head noun is the word after
/// it, past any measure word ("多少名成员" asks about 成员).
fn classify_chinese(question: &str) -> Question {
    let found = CHINESE_QUESTION_WORDS
        .iter()
        .filter_map(|(word, kind)| question.find(word).map(|at| (at, *word, kind)))
        // The earliest listed word wins at each position; "吗" only counts at the end.
        .filter(|(at, word, _)| {
            *word != "吗"
                || question[at + word.len()..]
                    .trim_matches(['？', '?', ' '])
                    .is_empty()
        })
        .min_by_key(|(at, _, _)| *at);
    let Some((at, word, kind)) = found else {
        return Question {
            expect: Expect::Phrase,
            head: None,
            modifiers: Vec::new(),
        };
    };
    let after = at + word.len();
    let head = analysis::terms(question)
        .into_iter()
        .filter(|t| t.range.start >= after)
        .map(|t| question[t.range].to_string())
        .find(|w| !CHINESE_MEASURE_WORDS.contains(&w.as_str()))
        .filter(|w| analysis::is_cjk_word(w) && !analysis::is_stopword(w));
    let expect = kind.clone();
    let head = match expect {
        Expect::Count | Expect::Amount | Expect::Name => head,
        _ => None,
    };
    Question {
        expect,
        head,
        modifiers: Vec::new(),
    }
}

/// "What does SCO stand for", "what is S&T short for", "what does the acronym X mean": returns X
/// as written in the question.
fn acronym_question(question: &str, words: &[String]) -> Option<String> {
    let joined = words.join(" ");
    let asks = joined.contains("stand for")
        || joined.contains("stands for")
        || joined.contains("short for")
        || joined.contains("abbreviation")
        || joined.contains("acronym")
        || joined.starts_with("what does") && joined.ends_with(" mean");
    if !asks {
        return None;
    }
    question
        .split(|c: char| c.is_whitespace() || matches!(c, '?' | '"' | '“' | '”' | ',' | '(' | ')'))
        .map(|t| t.trim_end_matches('.'))
        .find(|t| {
            let letters = t.chars().filter(|c| c.is_alphabetic()).count();
            letters >= 2 && t.chars().filter(|c| c.is_uppercase()).count() >= 2
        })
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_with_their_head_noun() {
        let q = classify("How many Belt and Road joint labs are there?");
        assert_eq!(q.expect, Expect::Count);
        assert_eq!(q.head.as_deref(), Some("labs"));
        assert_eq!(
            classify("how many bridges cross the river").head.as_deref(),
            Some("bridges")
        );
    }

    #[test]
    fn which_questions_have_a_head() {
        let q = classify("Which forum focused on new quality productive forces?");
        assert_eq!(q.expect, Expect::Name);
        assert_eq!(q.head.as_deref(), Some("forum"));
        let q = classify("How many bilateral shipping agreements are there?");
        assert_eq!(q.head.as_deref(), Some("agreements"));
        let q = classify("Which forum focuses on rivers?");
        assert_eq!(
            (q.head.as_deref(), q.modifiers.as_slice()),
            (Some("focuses"), &["forum".to_string()][..])
        );
        let q = classify("How many agreements lock in the deal?");
        assert_eq!(q.head.as_deref(), Some("agreements"));
        let q = classify("Number of bridges in town?");
        assert_eq!(
            (q.expect.clone(), q.head.as_deref()),
            (Expect::Count, Some("bridges"))
        );
        assert_eq!(
            classify("What is a core value of the club?")
                .head
                .as_deref(),
            Some("value")
        );
        assert_eq!(
            classify("Who is the author of the post?").expect,
            Expect::Author
        );
        let q = classify("What event in the U.S. shows that collaboration works?");
        assert_eq!(q.head.as_deref(), Some("event"));
    }

    #[test]
    fn dates_amounts_and_people() {
        assert_eq!(classify("When did the bridge open?").expect, Expect::Date);
        assert_eq!(classify("In what year was it built?").expect, Expect::Date);
        assert_eq!(
            classify("After what year did it grow?").expect,
            Expect::Date
        );
        assert_eq!(classify("How much did it cost?").expect, Expect::Amount);
        assert_eq!(
            classify("What percentage of people voted?").expect,
            Expect::Percent
        );
        assert_eq!(classify("Who founded the club?").expect, Expect::Person);
        assert_eq!(classify("Who wrote this article?").expect, Expect::Author);
    }

    #[test]
    fn acronyms_keep_their_spelling() {
        assert_eq!(
            classify("What does R&D stand for?").expect,
            Expect::Acronym("R&D".into())
        );
        assert_eq!(
            classify("what is NATO short for").expect,
            Expect::Acronym("NATO".into())
        );
    }

    #[test]
    fn chinese_question_words() {
        let q = classify("志愿者团队有多少名成员？");
        assert_eq!(q.expect, Expect::Count);
        assert_eq!(q.head.as_deref(), Some("成员"));
        assert_eq!(classify("灯笼节始于哪一年？").expect, Expect::Date);
        assert_eq!(classify("灯笼节是谁发起的？").expect, Expect::Person);
        assert_eq!(classify("灯笼节在哪里举行？").expect, Expect::Place);
        assert_eq!(classify("为什么要开办培训班？").expect, Expect::Reason);
        assert_eq!(classify("培训班是免费的吗？").expect, Expect::YesNo);
        let q = classify("哪个论坛讨论了人工智能？");
        assert_eq!(q.expect, Expect::Name);
        assert_eq!(q.head.as_deref(), Some("论坛"));
    }

    #[test]
    fn what_is_x_called_asks_for_a_name() {
        let q = classify("What is the new bridge called?");
        assert_eq!(q.expect, Expect::Name);
        assert_eq!(q.head.as_deref(), Some("bridge"));
    }

    #[test]
    fn yes_no_and_open_questions() {
        assert_eq!(classify("Is the bridge safe?").expect, Expect::YesNo);
        assert_eq!(
            classify("What is the club promoting?").expect,
            Expect::Phrase
        );
        assert_eq!(classify("Why did it fail?").expect, Expect::Reason);
    }
}
