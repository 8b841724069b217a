//! Question classification: what kind of answer a question expects (a count, an amount, a date, a
//! name, the expansion of an acronym, ...) and which noun it asks about ("how many *labs*",
//! "which *forum*"). The answer step uses both to pick a span of the right shape. Questions in
//! Chinese are classified by their question word (多少, 什么时候, 谁, 哪里, 什么, 为什么, 吗 ...).

use crate::analysis;
use crate::lexicon::chinese::{QUESTION_NOUN_SKIPS, QUESTION_WORDS as CHINESE_QUESTION_WORDS};
use crate::lexicon::english::{
    AMOUNT_NOUNS, AMOUNT_WORDS, ARTICLES, ASKING_VERBS, AUTHOR_NOUNS, AUTHOR_OF, AUTHOR_VERBS,
    AUXILIARIES, CHAT_SPELLINGS, COPULAS, DATE_NOUNS, KIND_NOUNS, NAME_NOUNS, NAMING_VERBS,
    OBJECT_OPENERS, PERCENT_NOUNS, PHRASE_ENDERS, PHRASE_GLUE, PRICING_VERBS, QUESTION_OPENERS,
    QUESTION_WORDS, SMALL_TALK, STOPWORDS, WORK_NOUNS, WRAPPER_WORDS, WRAPPING_VERBS,
};

/// Whether a question that names the author asks who the author is ("who is the author of
/// the welcome post?", "who is this post's author?", "what is the writer's full name?", "what
/// is the name of the author?") rather than something about the author ("what is the author
/// off to do?", "who does the author blame?"): after the question word `words[at]` come only a
/// copula, articles, the post ("this post's", "the blog") and the author (or "the name of" the
/// author), then nothing, the author's name, a verb of writing, or the words that say which
/// post ("of the welcome post", "behind the recipes post").
fn asks_who_the_author_is(words: &[String], at: usize) -> bool {
    // Curly apostrophes as straight ones: "author’s" is "author's".
    let words: Vec<String> = words.iter().map(|x| x.replace('’', "'")).collect();
    let w = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    let mut i = at + 1;
    if COPULAS.contains(&w(i)) {
        i += 1;
    }
    let skip_articles_and_post = |mut i: usize| loop {
        let word = w(i);
        let post = WORK_NOUNS.contains(&word.strip_suffix("'s").unwrap_or(word));
        if !(ARTICLES.contains(&word) || post) {
            return i;
        }
        i += 1;
    };
    i = skip_articles_and_post(i);
    if NAME_NOUNS.contains(&w(i)) && w(i + 1) == "of" {
        i = skip_articles_and_post(i + 2);
    }
    if !AUTHOR_NOUNS.contains(&w(i)) {
        return false;
    }
    let possessive = w(i).ends_with("'s");
    let next = w(i + 1);
    let names_the_post = words[i + 1..]
        .iter()
        .any(|x| WORK_NOUNS.contains(&x.as_str()));
    next.is_empty()
        || possessive && (NAME_NOUNS.contains(&next) || NAME_NOUNS.contains(&w(i + 2)))
        || !possessive
            && (AUTHOR_OF.contains(&next) && names_the_post || AUTHOR_VERBS.contains(&next))
}

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
    /// A word in lower case whose expansion the question may ask, as the posts would write it:
    /// "PTA" of chat's "what does pta stand for". It may as well be a word ("what does the club
    /// stand for"), so its expansion is looked for by rule first, and the question otherwise
    /// answered as written.
    pub spelled_acronym: Option<String>,
}

/// The question itself, without what a chat message wraps around it: Discord's markup for
/// mentions, channels and custom emoji (`<@123>`, `<@&123>`, `<#123>`, `<:name:123>`),
/// `@everyone` and `@here`, a greeting before it ("hi, who is the treasurer?") and thanks after
/// its question mark ("who is the treasurer? thanks"). Those words are not about the posts:
/// searched, they diluted the question's coverage, and "hi" was read as its question word. The
/// message is returned unchanged when nothing would be left of it.
pub fn essence(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        match tail
            .find('>')
            .filter(|&close| is_chat_markup(&tail[1..close]))
        {
            Some(close) => {
                out.push(' ');
                rest = &tail[close + 1..];
            }
            None => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    let words: Vec<&str> = out
        .split_whitespace()
        .filter(|w| !matches!(*w, "@everyone" | "@here"))
        .collect();
    let bare = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let chat = |w: &str| SMALL_TALK.contains(&bare(w).as_str());
    let filler = |w: &str| chat(w) || analysis::is_stopword(&bare(w));
    // A greeting: small talk up to a comma or exclamation mark, or right before a question word.
    let mut start = 0;
    for (k, w) in words.iter().enumerate() {
        if !filler(w) {
            break;
        }
        let ends_greeting = w.ends_with([',', '!', '.'])
            || words
                .get(k + 1)
                .is_some_and(|next| QUESTION_WORDS.contains(&bare(next).as_str()));
        if ends_greeting && words[..=k].iter().any(|w| chat(w)) {
            start = k + 1;
            break;
        }
    }
    // Thanks after the question mark.
    let mut end = words.len();
    if let Some(asked) = words[start..].iter().rposition(|w| w.ends_with('?')) {
        let after = &words[start + asked + 1..];
        if after.iter().all(|w| filler(w)) && after.iter().any(|w| chat(w)) {
            end = start + asked + 1;
        }
    }
    if start >= end {
        return message.to_string();
    }
    without_chinese_chat(&words[start..end].join(" ")).to_string()
}

/// Chinese small talk around a Chinese question: a greeting before its first pause or question
/// mark ("你好，茶艺社在哪里？", "在吗？茶艺社在哪里？") and thanks after its last question mark
/// ("茶艺社在哪里？谢谢，再见"). Chinese is written without spaces between words, so the
/// greeting ends at punctuation or a space, never at a word. The text is returned unchanged
/// when nothing would be left of it.
fn without_chinese_chat(text: &str) -> &str {
    const PAUSES: &[char] = &['，', ',', '！', '!', '。', '、', ' ', '～', '~'];
    const MARKS: &[char] = &['？', '?'];
    let chat = crate::smalltalk::is_small_talk;
    if chat(text) {
        return text;
    }
    let mut rest = text;
    if let Some(pause) = rest.find(|c| PAUSES.contains(&c) || MARKS.contains(&c)) {
        if crate::analysis::has_cjk(&rest[..pause]) && chat(&rest[..pause]) {
            rest = rest[pause..].trim_start_matches(|c| PAUSES.contains(&c) || MARKS.contains(&c));
        }
    }
    if let Some(mark) = rest.rfind(MARKS) {
        let asked = mark + rest[mark..].chars().next().map_or(1, char::len_utf8);
        if chat(&rest[asked..]) {
            rest = &rest[..asked];
        }
    }
    if rest.is_empty() {
        text
    } else {
        rest
    }
}

/// Whether the text between `<` and `>` is Discord markup: a user, role or channel mention, or
/// a custom emoji.
fn is_chat_markup(inner: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(id) = inner
        .strip_prefix("@&")
        .or_else(|| inner.strip_prefix("@!"))
    {
        return digits(id);
    }
    if let Some(id) = inner.strip_prefix('@').or_else(|| inner.strip_prefix('#')) {
        return digits(id);
    }
    let emoji = inner.strip_prefix("a:").or_else(|| inner.strip_prefix(':'));
    emoji.is_some_and(|e| {
        e.rsplit_once(':')
            .is_some_and(|(name, id)| !name.is_empty() && digits(id))
    })
}

/// The question after a clause that sets its scene ("When the law is the target, *what is
/// this called?*"): the text after a comma whose first or second word is a question word.
fn after_scene(question: &str) -> Option<&str> {
    question.match_indices(',').find_map(|(comma, _)| {
        let rest = question[comma + 1..].trim_start();
        let asks = rest
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(2)
            .any(|w| QUESTION_WORDS.contains(&w.to_lowercase().as_str()));
        asks.then_some(rest)
    })
}

/// What a polite yes/no question asks ([`wrapper`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wrapper<'a> {
    /// The question it wraps, from its question word ("when the AGM is"), or the thing asked
    /// for, from its determiner ("the cost of registration").
    pub asked: &'a str,
    /// Whether `asked` is a thing ("do you know *the cost*") rather than a question.
    pub thing: bool,
    /// Whether only the one asking or asked comes before the verb ("could you tell me"), not
    /// who said it ("did the chess club say"): the wrapper then says nothing of the topic.
    pub plain: bool,
}

impl Wrapper<'_> {
    /// What is asked, as a question: the wrapped question as it stands, or "what is" the thing.
    pub fn question(&self) -> String {
        if self.thing {
            format!("what is {}", self.asked)
        } else {
            self.asked.to_string()
        }
    }
}

/// The question that a polite yes/no question wraps: "do you know *when the AGM is*", "can you
/// tell me *how many plots there are*", "i was wondering *who won*", "did the club say *when
/// the final is*"; or the thing it asks for: "do you know *the cost of registration*", "can i
/// have *the price*". Only after a verb of knowing or telling among the first words, after an
/// auxiliary, an opener or a person: "is the fair open when it rains?" and "do you have a car
/// park?" ask yes or no, "which teams know who won?" is no wrapper, and a thing is asked for
/// only by the one asking or asked ("does the club have the keys?" asks yes or no).
pub fn wrapper(question: &str) -> Option<Wrapper<'_>> {
    let words: Vec<(usize, String)> = question
        .split_whitespace()
        .map(|w| {
            let at = w.as_ptr() as usize - question.as_ptr() as usize;
            let word = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            (at, word)
        })
        .collect();
    let word = |i: usize| words.get(i).map_or("", |(_, w)| w.as_str());
    let telling = (0..words.len().min(MAX_WRAPPER_WORDS + 1))
        .find(|&i| WRAPPING_VERBS.contains(&word(i)) || ASKING_VERBS.contains(&word(i)) && i > 0)?;
    let personal = |w: &str| {
        AUXILIARIES.contains(&w) || QUESTION_OPENERS.contains(&w) || WRAPPER_WORDS.contains(&w)
    };
    if telling > 0 && !personal(word(0)) {
        return None;
    }
    let next = telling + 1 + usize::from(matches!(word(telling + 1), "me" | "us"));
    let at = words.get(next)?.0;
    let plain = (0..telling).all(|i| personal(word(i)));
    if QUESTION_WORDS.contains(&word(next)) && WRAPPING_VERBS.contains(&word(telling)) {
        return Some(Wrapper {
            asked: &question[at..],
            thing: false,
            plain,
        });
    }
    (plain && matches!(word(next), "the" | "your")).then(|| Wrapper {
        asked: &question[at..],
        thing: true,
        plain,
    })
}

/// The question a message asks, as the engine answers it: a plain polite wrapper is taken off,
/// so "could you tell me who the treasurer is?" is asked as "who is the treasurer?" and "can i
/// have the price of a swim?" as "what is the price of a swim?" (the ranker learned from
/// questions asked straight). A wrapper that names who said it ("did the club say when the
/// final is?") stays: the club is part of what is asked.
pub fn unwrapped(question: &str) -> String {
    match wrapper(question) {
        Some(w) if w.thing => w.question(),
        Some(w) if w.plain => copula_second(w.asked),
        _ => question.to_string(),
    }
}

/// The question with chat's spellings of a few words written out ([`CHAT_SPELLINGS`]): "wen did
/// 2.4.1 drop" is asked as "when did 2.4.1 drop", "how many ppl came" as "how many people came".
/// Only words written in lower case, as chat writes them: "Wat" may be a name ("Wat Tyler").
/// Other words, and the spaces and marks between them, stay as written.
pub fn respelled(question: &str) -> String {
    let mut out = String::with_capacity(question.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        match CHAT_SPELLINGS
            .iter()
            .find(|(chat, _)| *chat == word.as_str())
        {
            Some((_, written)) => out.push_str(written),
            None => out.push_str(word),
        }
        word.clear();
    };
    for c in question.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// An embedded question with its copula last ("who the treasurer is?") in the order of a direct
/// one ("who is the treasurer?"); any other as it is ("when judging starts").
fn copula_second(asked: &str) -> String {
    let body = asked.trim_end_matches(|c: char| c == '?' || c.is_whitespace());
    let mut words: Vec<&str> = body.split_whitespace().collect();
    let last = words.last().map(|w| w.to_lowercase()).unwrap_or_default();
    if words.len() < 3 || !COPULAS.contains(&last.as_str()) {
        return asked.to_string();
    }
    let copula = words.pop().unwrap_or_default();
    words.insert(1, copula);
    format!("{}?", words.join(" "))
}

/// The question word that `word` is, or that it contracts with "is": "what", and "what's" or
/// chat's "whats" ("what is").
pub fn question_word(word: &str) -> Option<&'static str> {
    let word = word.to_lowercase();
    let contracted = word
        .strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .or_else(|| word.strip_suffix('s'));
    QUESTION_WORDS
        .iter()
        .copied()
        .find(|q| *q == word || contracted == Some(*q))
}

/// Whether `words`, lower-case from the question word on, ask what something costs: "what",
/// an auxiliary other than a copula, and a verb of paying last or before what is paid for
/// ("what *would* a new roof *cost*", "what *do* members *pay*", "what *does* it *cost to*
/// join"); not "what is the electric *charge*", nor a question whose paying is in a clause of
/// its own ("what should I do if I can't pay").
pub(crate) fn asks_what_it_costs(words: &[String]) -> bool {
    let clause = |w: &String| matches!(w.as_str(), "do" | "if" | "when" | "unless" | "because");
    let Some(paying) = words
        .iter()
        .position(|w| PRICING_VERBS.contains(&w.as_str()))
    else {
        return false;
    };
    words.first().is_some_and(|w| w == "what")
        && words
            .get(1)
            .is_some_and(|w| AUXILIARIES.contains(&w.as_str()) && !COPULAS.contains(&w.as_str()))
        && !words[..paying].iter().skip(2).any(clause)
        && (paying + 1 == words.len() || words[paying + 1] == "to")
}

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
        // "Where's the quiz?" (and chat's "wheres the quiz?") asks as "where is" does.
        .flat_map(|w| match question_word(&w).filter(|q| *q != w) {
            Some(q) => vec![q.to_string(), "is".to_string()],
            None => vec![w],
        })
        .collect();
    let w = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    // Skip leading fillers such as "so", "and", "in" ("In what year ...").
    let mut at = 0;
    while QUESTION_OPENERS.contains(&w(at)) {
        at += 1;
    }
    let first = w(at);
    let second = w(at + 1);
    // "When rock folds, what does it form?": a clause that sets the scene, then the question.
    if first == "when" && !AUXILIARIES.contains(&second) {
        if let Some(asked) = after_scene(question) {
            return classify(asked);
        }
    }
    // "Do you know when the AGM is?": the question it wraps; "do you know the cost?": "what is
    // the cost?".
    if AUXILIARIES.contains(&first) {
        if let Some(w) = wrapper(question) {
            return classify(&w.question());
        }
    }
    // The noun phrase after "how many" / "which" ends at an auxiliary, a preposition or a word
    // that looks like a verb; its last word is the head noun.
    let phrase = |from: usize| -> Vec<String> {
        let mut phrase: Vec<String> = Vec::new();
        for (i, word) in words.iter().enumerate().skip(from) {
            let word = word.as_str();
            let previous = phrase.last().map(String::as_str);
            let before_determiner = OBJECT_OPENERS.contains(&w(i + 1));
            let next_is_function_word = w(i + 1).is_empty()
                || AUXILIARIES.contains(&w(i + 1))
                || PHRASE_ENDERS.contains(&w(i + 1))
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
                            || PHRASE_ENDERS.contains(&w(i + 1))));
            if AUXILIARIES.contains(&word)
                || PHRASE_ENDERS.contains(&word) && previous.is_some()
                || verb_like
            {
                break;
            }
            if !PHRASE_GLUE.contains(&word) {
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
    let spelled = spelled_acronym(&words);
    let expect_with_head = |expect: Expect, head: Option<String>| Question {
        expect,
        head,
        modifiers: Vec::new(),
        spelled_acronym: spelled.clone(),
    };
    let name_with_phrase = |from: usize| {
        let mut modifiers = phrase(from);
        modifiers.truncate(3);
        let head = modifiers.pop();
        Question {
            expect: Expect::Name,
            head,
            modifiers,
            spelled_acronym: spelled.clone(),
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
        "how" if AMOUNT_WORDS.contains(&second) => {
            expect_with_head(Expect::Amount, phrase_head(at + 2))
        }
        "how" => expect_with_head(Expect::Phrase, None),
        "when" => expect_with_head(Expect::Date, None),
        "where" => expect_with_head(Expect::Place, None),
        "why" => expect_with_head(Expect::Reason, None),
        "who" | "whom" | "whose" => {
            let authored = words.iter().any(|x| AUTHOR_VERBS.contains(&x.as_str()))
                && words.iter().any(|x| WORK_NOUNS.contains(&x.as_str()))
                || asks_who_the_author_is(&words, at);
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
            if PERCENT_NOUNS.contains(&second) {
                return expect_with_head(Expect::Percent, None);
            }
            if DATE_NOUNS.contains(&second) {
                return expect_with_head(Expect::Date, None);
            }
            if second == "number" && w(at + 2) == "of" {
                return expect_with_head(Expect::Count, counted(at + 3));
            }
            if AMOUNT_NOUNS.contains(&second) && w(at + 2) == "of" {
                return expect_with_head(Expect::Amount, phrase_head(at + 3));
            }
            if asks_who_the_author_is(&words, at) {
                return expect_with_head(Expect::Author, None);
            }
            // "What is the 2025 forum called?": a name, whose head is the noun before "called".
            let last = words.last().map(String::as_str).unwrap_or("");
            if asks_what_it_costs(&words[at..]) {
                return expect_with_head(Expect::Amount, None);
            }
            if AUXILIARIES.contains(&second) && NAMING_VERBS.contains(&last) {
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
            if COPULAS.contains(&second) && ARTICLES.contains(&w(at + 2)) {
                let named = phrase(at + 3);
                let after = named
                    .last()
                    .and_then(|last| words[at + 3..].iter().position(|x| x == last))
                    .map(|p| w(at + 3 + p + 1));
                if after.is_some_and(|next| next.is_empty() || PHRASE_ENDERS.contains(&next)) {
                    return name_with_phrase(at + 3);
                }
            }
            if AUXILIARIES.contains(&second) || second.is_empty() || KIND_NOUNS.contains(&second) {
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
            spelled_acronym: None,
        };
    };
    let after = at + word.len();
    let head = analysis::terms(question)
        .into_iter()
        .filter(|t| t.range.start >= after)
        .map(|t| question[t.range].to_string())
        .find(|w| !QUESTION_NOUN_SKIPS.contains(&w.as_str()))
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
        spelled_acronym: None,
    }
}

/// The word just before "stand for", "stands for" or "short for", if the question says so.
fn before_stand_for(words: &[String]) -> Option<usize> {
    words
        .windows(2)
        .position(|w| matches!(w[0].as_str(), "stand" | "stands" | "short") && w[1] == "for")
        .and_then(|at| at.checked_sub(1))
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

/// Chat's "what does pta stand for", "what does pta mean", "what's the pta": the short word
/// asked about, upper case (see [`Question::spelled_acronym`]). A plain word asked so ("what
/// does fair mean") is harmless: the rule answers only when the posts expand the capitals.
fn spelled_acronym(words: &[String]) -> Option<String> {
    let word = &words[before_stand_for(words).or_else(|| meaning_asked(words))?];
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let acronym_like = word
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, '&' | '.'));
    (acronym_like
        && (2..=MAX_LOWER_CASE_ACRONYM).contains(&letters)
        && !STOPWORDS.contains(&word.as_str()))
    .then(|| word.to_uppercase())
}

/// The one word that "what does (the) X mean" or "what is (the) X" asks about.
fn meaning_asked(words: &[String]) -> Option<usize> {
    let word = |i: usize| words.get(i).map_or("", String::as_str);
    let skip_article = |i: usize| i + usize::from(ARTICLES.contains(&word(i)));
    let what_is = question_word(word(0)) == Some("what") && word(0) != "what";
    let at = match (word(0), word(1)) {
        ("what", "does") => {
            let at = skip_article(2);
            return (word(at + 1) == "mean" && words.len() == at + 2).then_some(at);
        }
        ("what", "is") => skip_article(2),
        _ if what_is => skip_article(1),
        _ => return None,
    };
    (words.len() == at + 1).then_some(at)
}

/// The most words before a wrapped question's verb of knowing ("would anyone happen to *know*").
const MAX_WRAPPER_WORDS: usize = 5;

/// The most letters of an acronym written in lower case ("pta"): longer words are words.
const MAX_LOWER_CASE_ACRONYM: usize = 6;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_essence_of_a_chat_message_is_its_question() {
        for (message, question) in [
            ("hi, who is the treasurer?", "who is the treasurer?"),
            ("Hi who is the treasurer?", "who is the treasurer?"),
            (
                "Good morning! How many plots are there?",
                "How many plots are there?",
            ),
            ("ok so how many plots are there", "how many plots are there"),
            ("Who is the treasurer? thanks", "Who is the treasurer?"),
            (
                "who is the treasurer? thank you so much!",
                "who is the treasurer?",
            ),
            ("<@&123456> who is the treasurer?", "who is the treasurer?"),
            ("who is the treasurer <#555666777>", "who is the treasurer"),
            ("@everyone who is the treasurer?", "who is the treasurer?"),
            (
                "<@!42> <:pepe:987654> who is the treasurer?",
                "who is the treasurer?",
            ),
            (
                "<a:wave:1> hey, who is the treasurer? ty",
                "who is the treasurer?",
            ),
            ("你好，茶艺社在哪里？", "茶艺社在哪里？"),
            ("大家好！茶艺社在哪里？谢谢！", "茶艺社在哪里？"),
            ("您好 茶艺社有多少会员?", "茶艺社有多少会员?"),
            ("在吗？茶艺社在哪里？", "茶艺社在哪里？"),
            ("茶艺社在哪里？谢谢，再见", "茶艺社在哪里？"),
        ] {
            assert_eq!(essence(message), question, "{message:?}");
        }
        // Nothing to take away: questions whose own words are small talk, angle brackets that
        // are not markup, and messages that are nothing but small talk.
        for message in [
            "Is the soup good?",
            "What is good about the plan?",
            "thanks the bridge is nice",
            "Is <b> allowed in posts?",
            "<@abc> who?",
            "hi",
            "thanks!",
            "你好，谢谢",
            "好书，在哪里买？",
            "茶艺社在哪里？茶叶呢？",
        ] {
            assert_eq!(essence(message), message, "{message:?}");
        }
    }

    #[test]
    fn a_question_word_with_is_joined_on_asks_as_it_does_apart() {
        assert_eq!(classify("Where's the quiz?").expect, Expect::Place);
        assert_eq!(classify("When’s the pottery class?").expect, Expect::Date);
        assert_eq!(classify("What's the fee called?").expect, Expect::Name);
    }

    #[test]
    fn a_when_clause_before_the_question_sets_its_scene() {
        let q = classify("When the river floods, which road closes first?");
        assert_eq!((q.expect, q.head.as_deref()), (Expect::Name, Some("road")));
        assert_eq!(
            classify("When members join, how many badges do they get?").expect,
            Expect::Count
        );
        // "When" asking for a time stays a date question, comma or not.
        assert_eq!(
            classify("When did the river flood, and who was mayor?").expect,
            Expect::Date
        );
        assert_eq!(classify("When the river floods?").expect, Expect::Date);
    }

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
            classify("What would a new roof cost?").expect,
            Expect::Amount
        );
        assert_eq!(classify("what do members pay").expect, Expect::Amount);
        assert_eq!(
            classify("what does it cost to join the club?").expect,
            Expect::Amount
        );
        assert_ne!(
            classify("What should I do if I can't pay?").expect,
            Expect::Amount
        );
        // A copula makes the last word a noun.
        assert_ne!(
            classify("What is the time rate of change of electric charge?").expect,
            Expect::Amount
        );
        assert_eq!(
            classify("What percentage of people voted?").expect,
            Expect::Percent
        );
        assert_eq!(classify("Who founded the club?").expect, Expect::Person);
        // Chat drops the apostrophe of "when's" and "where's".
        assert_eq!(classify("whens the tourney").expect, Expect::Date);
        assert_eq!(classify("wheres the meetup held").expect, Expect::Place);
        assert_eq!(classify("Who wrote this article?").expect, Expect::Author);
    }

    #[test]
    fn a_question_word_may_be_contracted_with_is() {
        assert_eq!(question_word("What"), Some("what"));
        assert_eq!(question_word("whats"), Some("what"));
        assert_eq!(question_word("who’s"), Some("who"));
        assert_eq!(question_word("Where's"), Some("where"));
        assert_eq!(question_word("whose"), Some("whose"));
        assert_eq!(question_word("was"), None);
        assert_eq!(question_word("thats"), None);
    }

    #[test]
    fn only_questions_about_who_the_author_is_ask_for_the_author() {
        for asked in [
            "Who is the author of this blog post?",
            "What is the author's name?",
            "What is the author’s name?",
            "Who is the writer?",
            "Who was the author behind the recipes post?",
            "What is the name of the author?",
            "Which author wrote the hockey post?",
            "Who is this post's author?",
            "Who is the blog author?",
            "What is the author's full name?",
        ] {
            assert_eq!(classify(asked).expect, Expect::Author, "{asked}");
        }
        for about in [
            "What is the author off to fix?",
            "Who does the author blame for the delay?",
            "Which dish does the writer cook first?",
            "What is the author about to debug?",
            "Who is the author of the new safety rules?",
        ] {
            assert_ne!(classify(about).expect, Expect::Author, "{about}");
        }
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
        // Chat's lower case: the word before "stand for", tried by rule.
        let chat = classify("what does pta stand for");
        assert_eq!(chat.spelled_acronym.as_deref(), Some("PTA"));
        assert!(!matches!(chat.expect, Expect::Acronym(_)), "{chat:?}");
        assert_eq!(
            classify("what does international stand for").spelled_acronym,
            None
        );
        for (question, spelled) in [
            ("what does lcwip mean", Some("LCWIP")),
            ("what does the pta mean?", Some("PTA")),
            ("whats the lcwip", Some("LCWIP")),
            ("what's an sso", Some("SSO")),
            ("what is nato", Some("NATO")),
            // A pronoun is no acronym ("IT"), nor a longer question or word.
            ("what does it mean", None),
            ("what is it", None),
            ("what does the lcwip add", None),
            ("what is the pta fund", None),
            ("what is resilience", None),
        ] {
            assert_eq!(
                classify(question).spelled_acronym.as_deref(),
                spelled,
                "{question}"
            );
        }
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
        // A polite yes/no question that wraps another is that question.
        assert_eq!(
            classify("do you know when the agm is?").expect,
            Expect::Date
        );
        let plots = classify("Can you tell me how many plots there are");
        assert_eq!(
            (plots.expect, plots.head.as_deref()),
            (Expect::Count, Some("plots"))
        );
        assert_eq!(
            classify("does anyone remember who won").expect,
            Expect::Person
        );
        assert_eq!(
            classify("is the fair open when it rains?").expect,
            Expect::YesNo
        );
        assert_eq!(classify("do you have a car park?").expect, Expect::YesNo);
        assert_eq!(
            classify("does the club have the keys?").expect,
            Expect::YesNo
        );
        assert_eq!(
            classify("do we know the cost of registration")
                .head
                .as_deref(),
            Some("cost")
        );
        let asked = |q| wrapper(q).map(|w| (w.asked, w.thing));
        assert_eq!(
            unwrapped("could you tell me who the treasurer is?"),
            "who is the treasurer?"
        );
        assert_eq!(
            unwrapped("do u know when judging starts"),
            "when judging starts"
        );
        assert_eq!(
            unwrapped("can i have the price of a swim"),
            "what is the price of a swim"
        );
        assert_eq!(
            unwrapped("did the club say when the final is"),
            "did the club say when the final is"
        );
        assert_eq!(unwrapped("who is the chair"), "who is the chair");
        assert_eq!(respelled("wen did 2.4.1 drop??"), "when did 2.4.1 drop??");
        assert_eq!(
            respelled("How many ppl came, wat?"),
            "How many people came, what?"
        );
        assert_eq!(respelled("the went wheel"), "the went wheel");
        // A capital may start a name.
        assert_eq!(respelled("Wat's engine"), "Wat's engine");
        assert_eq!(asked("please tell me who won"), Some(("who won", false)));
        assert_eq!(
            asked("i was wondering when the agm is"),
            Some(("when the agm is", false))
        );
        assert_eq!(
            asked("would anyone happen to know when it starts"),
            Some(("when it starts", false))
        );
        assert_eq!(
            asked("did the chess club say when the final is?"),
            Some(("when the final is?", false))
        );
        assert_eq!(asked("can i have the price"), Some(("the price", true)));
        assert_eq!(asked("which teams know who won?"), None);
        assert_eq!(
            classify("What is the club promoting?").expect,
            Expect::Phrase
        );
        assert_eq!(classify("Why did it fail?").expect, Expect::Reason);
    }
}
