//! What the ranker sees of a candidate answer: features that pair the kind of answer the
//! question asks for (its question word, "how many", "when", and its head noun, "what *year*")
//! with the candidate's shape (its kind, parts of speech, relation in the tree, capitals, digits,
//! length), and how the candidate sits among the question's words in the sentence: how close it
//! is to them in words and in the tree (the path of relations from the candidate to the nearest
//! of them, "↑obl"), whether it repeats them, whether the question's head noun is in or beside
//! it. Features are hashed ([`Features`]); the ranker's weights give each its say.

use std::ops::Range;
use std::sync::OnceLock;

use super::candidate::Candidate;
use crate::lexicon::english::{
    is_number_word, AUXILIARIES, CHANGE_WORDS, CLOCK_NAMES, CLOCK_WORDS, COPULAS, CURRENCY_WORDS,
    DAY_WORDS, DIFFERENCE_WORDS, DURATION_LEADS, DURATION_UNITS, FORMER_WORDS, HOW_WORDS,
    MEASURE_UNITS, MONEY_NOUNS, MONTHS, NAMING_VERBS, NOT_TIME_OF_DAY, PLACING_PREPOSITIONS,
    PLACING_WORDS, PRICE_NOUNS, PRICE_PERIODS, PRICE_WORDS, RANGE_JOINERS, RANGE_OPENERS,
    TIME_DEIXIS, TIME_WORDS, WEEKDAYS,
};
use crate::question::{question_word, Expect};
use crate::syntax::perceptron::{hash, Features};
use crate::syntax::{Analysis, Relation, Tag};

/// What the ranker knows of the question.
#[derive(Debug, Clone)]
pub struct Asked {
    /// The question word, lower-case: "what", "which", "who", "when", "where", "why", "how many",
    /// "how much", ... or "" when there is none ("Name the ...").
    pub wh: String,
    /// The answer shape the question expects.
    pub expect: Expect,
    /// The question's head noun, lower-case ("year" in "what year", "labs" in "how many labs").
    pub head: Option<String>,
    /// How many content words the question has.
    pub words: usize,
    /// The relation of the question word's phrase to its head in the question's tree ("who
    /// founded ..." asks for a subject, "what did they found" for an object), as a feature part.
    pub role: u64,
    /// The question offers a choice ("tea or coffee?"): its answer is one of its own words.
    pub choice: bool,
    /// The preposition the question ends with ("on" of "What does the festival focus on?"),
    /// hashed, or 0: the answer is the phrase it introduces in the sentence.
    pub stranded: u64,
    /// The question asks for a time of day ("what time", "at which time"): a clock time
    /// answers it better than the date beside it ("9 am", not "12 October").
    pub clock: bool,
    /// The question asks what something costs ("how much is a family ticket?", "how much do
    /// lessons cost?"): a price answers it better than a count beside it ("two adults").
    pub price: bool,
    /// The unit of time the question names ("what *year*", "which *day*"), which its answer
    /// should be given in.
    pub unit: Option<TimeUnit>,
    /// The words that name the time the question asks about relative to now, lower-case ("last
    /// year", "this quarter"; [`time_asked`]), or none.
    pub when: Vec<String>,
    /// The question asks about what came before a change ([`FORMER_WORDS`]: "who led the raids
    /// *before* Thornveil?").
    pub former: bool,
    /// The question asks about a change: it says "by" or a word of change ("by how much did
    /// fees rise?", "how many more", "what was the margin").
    pub change: bool,
    /// The years and months the question names, lower-case ("1998", "april"; not "may", which
    /// is more often the verb).
    pub dated: Vec<String>,
}

/// A unit of time a question asks in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// "What year": a year or a decade ("1871", "the 1990s").
    Year,
    /// "Which month": a month's name.
    Month,
    /// "Which day": a day of the week, a date, or a word for a day ("tomorrow").
    Day,
}

/// One sentence offered to the ranker, with what retrieval knows about it.
pub struct Offered<'a> {
    /// The sentence.
    pub text: &'a str,
    /// Its tokens, tags and tree.
    pub syntax: &'a Analysis,
    /// For each token, the weight (rarity) of the question word it matches; 0 for none.
    pub matched: &'a [f32],
    /// For each token, whether it is the question's head noun.
    pub head: &'a [bool],
    /// For each token, whether it stands where the question has another word
    /// ([`super::contrast`]).
    pub contrasts: &'a [bool],
    /// It negates a verb or adjective of the question that the question does not, or the
    /// other way round ([`super::contrast::negation_differs`]).
    pub negation_differs: bool,
    /// Its place among the offered sentences, best first.
    pub rank: usize,
    /// Its retrieval score relative to the best sentence's (1 for the best).
    pub score: f32,
    /// How many of the question's words it holds.
    pub groups: usize,
    /// It is (part of) a table row, whose cells its `|`s part.
    pub in_table: bool,
}

impl Asked {
    /// What the ranker needs of a classified question, with its tokens, tags and tree.
    pub fn new(
        question: &str,
        syntax: &Analysis,
        expect: Expect,
        head: Option<String>,
        content: usize,
    ) -> Asked {
        let words: Vec<String> = crate::analysis::plain_words(question)
            .map(str::to_lowercase)
            .collect();
        let first = words
            .iter()
            .enumerate()
            .find_map(|(i, w)| Some((i, question_word(w)?)));
        // "What would a new roof cost?" asks as "how much would it cost?" does.
        let what_costs = expect == Expect::Amount
            && first.is_some_and(|(i, _)| crate::question::asks_what_it_costs(&words[i..]));
        let wh = first
            .map(|(i, wh)| {
                let next = words.get(i + 1).map(String::as_str).unwrap_or("");
                if wh == "how" && HOW_WORDS.contains(&next) {
                    format!("how {next}")
                } else if what_costs {
                    "how much".to_string()
                } else {
                    wh.to_string()
                }
            })
            .unwrap_or_default();
        let clock = expect == Expect::Date
            && !words.iter().any(|w| w == "during")
            && words.windows(3).any(|w| {
                matches!(w[0].as_str(), "what" | "which")
                    && w[1] == "time"
                    && !NOT_TIME_OF_DAY.contains(&w[2].as_str())
            });
        // "How much money ...", "how much for ..." (chat's "how much for bike parking"), or
        // "how much" and a verb with a word of paying ("how much *is* a family *ticket*", "how
        // much *do* lessons *cost*"); not "how much *time* do they
        // spend", "how much *paid leave*", "how much is the weight limit". Or "what" with a
        // price as its head noun ("what is the student *price*", "what's the entry *fee*").
        let how_much = wh == "how much"
            && words.windows(3).any(|w| {
                w[0] == "how"
                    && w[1] == "much"
                    && (MONEY_NOUNS.contains(&w[2].as_str())
                        || w[2] == "for"
                        || AUXILIARIES.contains(&w[2].as_str())
                            && words.iter().any(|w| PRICE_WORDS.contains(&w.as_str())))
            });
        let what_price = asks_what_price(question, syntax, &words, head.as_deref());
        let price = how_much || what_price || what_costs;
        let unit = words
            .windows(2)
            .filter(|_| expect == Expect::Date)
            .find(|w| matches!(w[0].as_str(), "what" | "which"))
            .and_then(|w| match singular(&w[1]) {
                "year" => Some(TimeUnit::Year),
                "month" => Some(TimeUnit::Month),
                "day" | "weekday" => Some(TimeUnit::Day),
                _ => None,
            });
        Asked {
            clock,
            price,
            unit,
            when: time_asked(&words),
            former: words.iter().any(|w| FORMER_WORDS.contains(&w.as_str())),
            change: words.iter().any(|w| w == "by" || is_difference_word(w)),
            dated: words
                .iter()
                .filter(|w| super::candidate::is_year(w) || is_month_in_lower_case(w))
                .cloned()
                .collect(),
            // "Or not" offers no choice ("is there parking or not?").
            choice: words
                .iter()
                .enumerate()
                .any(|(i, w)| w == "or" && words.get(i + 1).is_some_and(|next| next != "not")),
            wh,
            expect,
            head,
            words: content,
            role: role(question, syntax),
            stranded: stranded(question, syntax),
        }
    }
}

/// Whether every content word of the candidate at `tokens` is one of the question's words
/// ("the book sale" for "Where is the book sale?"): such a phrase names what is asked about,
/// not the answer.
pub fn repeats_question(o: &Offered, tokens: Range<usize>) -> bool {
    let mut content = tokens.filter(|&t| is_content(o.syntax.tags[t])).peekable();
    content.peek().is_some() && content.all(|t| o.matched[t] > 0.0)
}

/// Whether the candidate at `tokens` is an acronym in brackets that stands for words of the
/// question ("MCFB" of "the Millbrook Community Food Bank (MCFB)" for "where is the food
/// bank?"): it names what is asked about, as a repeated phrase does, not the answer.
pub fn abbreviates_question(o: &Offered, tokens: Range<usize>) -> bool {
    let written = |t: usize| &o.text[o.syntax.tokens[t].clone()];
    let (first, last) = (tokens.start, tokens.end - 1);
    let acronym = written(first);
    let bracketed = first > 0
        && written(first - 1) == "("
        && o.syntax
            .tokens
            .get(last + 1)
            .is_some_and(|r| &o.text[r.clone()] == ")");
    let capitals = acronym.chars().filter(|c| c.is_uppercase()).count() >= 2
        && !acronym.chars().any(char::is_lowercase);
    if first != last || !bracketed || !capitals {
        return false;
    }
    let Some(expansion) = super::rules::acronym_expansion(o.text, acronym) else {
        return false;
    };
    o.syntax.tokens.iter().zip(o.matched).any(|(r, &weight)| {
        weight > 0.0 && expansion.range.start <= r.start && r.end <= expansion.range.end
    })
}

/// What the number at token `number` counts, and how much of it the question names: of the
/// words of its [`counted_phrase`], how many are question words, and how many there are.
/// `None` when no noun follows the number.
pub fn counted_named(o: &Offered, number: usize) -> Option<(usize, usize)> {
    let counted = counted_phrase(o.text, o.syntax, number);
    if counted.is_empty() {
        return None;
    }
    let said = counted.clone().filter(|&t| o.matched[t] > 0.0).count();
    Some((said, counted.len()))
}

/// The phrase a number counts: the adjectives and nouns right after it, up to a word of time,
/// if a noun is among them ("pear trees" of "12 pear trees", "adult cats" of "14 adult cats";
/// nothing of "Room 12 next Thursday"); empty otherwise. The words are read in order, not from
/// the tree: a parse that hangs "12" from "pear" must not hide that it counts pear trees.
pub(super) fn counted_phrase(text: &str, syntax: &Analysis, number: usize) -> Range<usize> {
    let tags = &syntax.tags;
    let end = (number + 1..tags.len())
        .find(|&t| {
            !matches!(tags[t], Tag::Adj | Tag::Noun | Tag::Propn) || is_time_word(text, syntax, t)
        })
        .unwrap_or(tags.len());
    let run = number + 1..end;
    if run
        .clone()
        .any(|t| matches!(tags[t], Tag::Noun | Tag::Propn))
    {
        run
    } else {
        number + 1..number + 1
    }
}

/// Whether a word of this tag carries content (not a determiner, preposition, punctuation,
/// conjunction or particle).
fn is_content(tag: Tag) -> bool {
    !matches!(
        tag,
        Tag::Det | Tag::Adp | Tag::Punct | Tag::Cconj | Tag::Part
    )
}

/// The relation of the question word's phrase in the question's tree, with its head's tag: the
/// phrase is the question word itself or, for "which river", the noun it determines.
fn role(question: &str, syntax: &Analysis) -> u64 {
    let Some(wh) = syntax
        .tokens
        .iter()
        .position(|r| question_word(&question[r.clone()]).is_some())
    else {
        return 0;
    };
    let mut phrase = wh;
    if matches!(
        syntax.relations[wh],
        Relation::Det | Relation::Advmod | Relation::Amod
    ) {
        if let Some(h) = syntax.heads[wh] {
            if matches!(syntax.tags[h], Tag::Noun | Tag::Propn | Tag::Adj | Tag::Adv) {
                phrase = h;
            }
        }
    }
    let head_tag = syntax.heads[phrase].map_or(0, |h| syntax.tags[h] as u64 + 1);
    (syntax.relations[phrase] as u64 + 1) << 8 | head_tag
}

/// The preposition a question ends with, hashed, or 0.
fn stranded(question: &str, syntax: &Analysis) -> u64 {
    let last = (0..syntax.tokens.len())
        .rev()
        .find(|&t| syntax.tags[t] != Tag::Punct);
    match last {
        Some(t) if syntax.tags[t] == Tag::Adp => {
            hash(&question[syntax.tokens[t].clone()].to_lowercase())
        }
        _ => 0,
    }
}

/// What is worked out once per sentence for the features of all its candidates.
pub struct Prepared<'a> {
    offered: &'a Offered<'a>,
    /// Lower-cased words, hashed.
    words: Vec<u64>,
    /// Each token's preposition or subordinator child ("in", "of", "by", "that"), hashed, or 0.
    marker: Vec<u64>,
    /// Each token's distance in the tree to the nearest matched token, and the hashed path of
    /// relations to it (up to [`MAX_PATH`] steps), or `None` when there is none that close.
    path: Vec<Option<(usize, u64)>>,
    /// For each token, the matched token its path ends at.
    target: Vec<usize>,
    /// Children of each token.
    children: Vec<Vec<usize>>,
    /// Whether each token names a month.
    month: Vec<bool>,
    /// Sum of all match weights (for relative windows).
    total: f32,
}

/// The longest tree path to a question word that is a feature of its own.
const MAX_PATH: usize = 3;

impl<'a> Prepared<'a> {
    /// Prepares a sentence.
    pub fn new(offered: &'a Offered<'a>) -> Prepared<'a> {
        let syntax = offered.syntax;
        let n = syntax.tokens.len();
        let lower = lower_words(offered.text, syntax);
        let month = lower.iter().map(|w| MONTHS.contains(&w.as_str())).collect();
        let words = lower.iter().map(|w| hash(w)).collect();
        let mut children = vec![Vec::new(); n];
        for (d, h) in syntax.heads.iter().enumerate() {
            if let Some(h) = *h {
                children[h].push(d);
            }
        }
        let marker = (0..n)
            .map(|t| {
                children[t]
                    .iter()
                    .find(|&&c| {
                        matches!(syntax.relations[c], Relation::Case | Relation::Mark)
                            && matches!(syntax.tags[c], Tag::Adp | Tag::Sconj | Tag::Part)
                    })
                    .map_or(0, |&c| {
                        hash(&offered.text[syntax.tokens[c].clone()].to_lowercase())
                    })
            })
            .collect();
        // Breadth-first from every matched token at once: each token learns its nearest one
        // and the relations on the way there.
        let mut path: Vec<Option<(usize, u64)>> = vec![None; n];
        let mut target: Vec<usize> = (0..n).collect();
        let mut frontier: Vec<usize> = (0..n).filter(|&t| offered.matched[t] > 0.0).collect();
        for &t in &frontier {
            path[t] = Some((0, 0));
        }
        for depth in 1..=MAX_PATH {
            let mut next = Vec::new();
            for &t in &frontier {
                let (_, toward) = path[t].expect("visited");
                // From a neighbour one step away, the path to `t`'s match starts with this step.
                if let Some(h) = syntax.heads[t] {
                    // The neighbour is `t`'s head: it goes down to `t` by `t`'s relation.
                    if path[h].is_none() {
                        path[h] = Some((depth, step(toward, 2, syntax.relations[t])));
                        target[h] = target[t];
                        next.push(h);
                    }
                }
                for &c in &children[t] {
                    // The neighbour is a child: it goes up by its own relation.
                    if path[c].is_none() {
                        path[c] = Some((depth, step(toward, 1, syntax.relations[c])));
                        target[c] = target[t];
                        next.push(c);
                    }
                }
            }
            frontier = next;
        }
        Prepared {
            offered,
            words,
            marker,
            path,
            target,
            children,
            month,
            total: offered.matched.iter().sum::<f32>().max(1e-6),
        }
    }
}

/// The words of a sentence, lower-case, token by token.
pub fn lower_words(text: &str, syntax: &Analysis) -> Vec<String> {
    syntax
        .tokens
        .iter()
        .map(|r| text[r.clone()].to_lowercase())
        .collect()
}

/// A path with one more step in front: `direction` 1 is up to the head, 2 down to a child.
fn step(rest: u64, direction: u64, relation: Relation) -> u64 {
    (rest.wrapping_mul(0x100_0000_01b3) ^ (direction << 8 | relation as u64)).wrapping_add(1)
}

/// A number into a few buckets: its value up to `top`, then `top`.
fn bucket(value: usize, top: usize) -> u64 {
    value.min(top) as u64
}

/// Sizes of tokens counts to buckets: 1, 2, 3, 4-5, 6-8, 9-12, 13 and more.
fn length_bucket(len: usize) -> u64 {
    match len {
        0..=3 => len as u64,
        4..=5 => 4,
        6..=8 => 5,
        9..=12 => 6,
        _ => 7,
    }
}

/// The look of a candidate's text: a year, a number, a percentage, an amount of money, capitals,
/// lower case.
fn shape(text: &str) -> u64 {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let year = text
        .split(|c: char| !c.is_ascii_digit())
        .any(|w| w.len() == 4 && w.parse::<u32>().is_ok_and(|y| (1000..=2100).contains(&y)));
    if text.contains('%') || text.contains("percent") {
        1
    } else if text.starts_with(['$', '£', '€', '¥']) {
        2
    } else if year && letters <= 12 {
        3
    } else if digits > 0 && letters == 0 {
        4
    } else if digits > 0 {
        5
    } else {
        let (mut words, mut capitalised) = (0, 0);
        for w in text.split_whitespace() {
            words += 1;
            capitalised += usize::from(w.chars().next().is_some_and(char::is_uppercase));
        }
        if capitalised == words {
            6
        } else if capitalised > 0 {
            7
        } else {
            8
        }
    }
}

/// Collects the features of `candidate` into `f`.
pub fn candidate(asked: &Asked, p: &Prepared, candidate: &Candidate, f: &mut Features) {
    let o = p.offered;
    let syntax = o.syntax;
    let tokens = candidate.tokens.clone();
    let (first, last, head) = (tokens.start, tokens.end - 1, candidate.head);
    let n = syntax.tokens.len();
    let span = &o.text[candidate.bytes(syntax)];
    let w = hash(&asked.wh);
    let e = expect_part(&asked.expect);
    let q = asked.head.as_deref().map_or(0, hash);
    let kind = candidate.kind as u64 + 1;
    let tag = |t: usize| syntax.tags[t] as u64 + 1;
    let rel = |t: usize| syntax.relations[t] as u64 + 1;
    let len = length_bucket(tokens.len());
    let look = shape(span);

    // The candidate's shape, against what the question asks for.
    f.add(0, &[]);
    f.add(1, &[w, kind]);
    f.add(2, &[w, tag(head)]);
    f.add(3, &[w, tag(first), tag(last)]);
    f.add(4, &[e, tag(head)]);
    f.add(5, &[w, rel(head)]);
    f.add(6, &[w, rel(head), p.marker[head]]);
    f.add(7, &[w, look]);
    f.add(8, &[w, len]);
    f.add(9, &[kind, len]);
    f.add(10, &[e, kind]);
    f.add(11, &[q, look]);
    f.add(12, &[q, p.words[head]]);
    f.add(13, &[w, p.words[head]]);
    let month = tokens.clone().any(|t| p.month[t]);
    f.add(14, &[w, u64::from(month)]);

    // Question words inside the candidate: an answer rarely repeats the question.
    let inside: f32 = tokens.clone().map(|t| o.matched[t]).sum();
    let content = tokens
        .clone()
        .filter(|&t| is_content(syntax.tags[t]))
        .count()
        .max(1);
    let repeated = tokens.clone().filter(|&t| o.matched[t] > 0.0).count();
    let overlap = match (repeated, repeated * 2 >= content, repeated == content) {
        (0, _, _) => 0,
        (_, _, true) => 3,
        (_, true, _) => 2,
        _ => 1,
    };
    f.add(15, &[w, overlap]);
    f.add(16, &[overlap, bucket((inside / p.total * 4.0) as usize, 4)]);

    // The question words around it.
    let window = |from: usize, to: usize| -> f32 { (from..to.min(n)).map(|t| o.matched[t]).sum() };
    let left = window(first.saturating_sub(3), first);
    let right = window(last + 1, last + 4);
    let share = |x: f32| bucket((x / p.total * 4.0).round() as usize, 4);
    f.add(17, &[w, share(left), share(right)]);
    let left_next = first > 0 && o.matched[first - 1] > 0.0;
    let right_next = last + 1 < n && o.matched[last + 1] > 0.0;
    f.add(18, &[u64::from(left_next), u64::from(right_next)]);
    let wide = window(first.saturating_sub(8), first) + window(last + 1, last + 9);
    f.add(19, &[share(wide)]);
    // The nearest question word outside the candidate, in words.
    let before = (0..first).rev().find(|&t| o.matched[t] > 0.0);
    let after = (last + 1..n).find(|&t| o.matched[t] > 0.0);
    let nearest = match (before, after) {
        (Some(b), Some(a)) if first - b <= a - last => Some((first - b, 1)),
        (_, Some(a)) => Some((a - last, 2)),
        (Some(b), None) => Some((first - b, 1)),
        (None, None) => None,
    };
    match nearest {
        Some((d, side)) => f.add(20, &[bucket(d, 10), side]),
        None => f.add(20, &[11]),
    }

    // How it hangs in the tree from the question words.
    match p.path[head] {
        Some((0, _)) => f.add(21, &[w, 0]),
        Some((d, path)) => {
            f.add(21, &[w, d as u64, path]);
            f.add(22, &[path]);
            f.add(23, &[e, d as u64]);
        }
        None => f.add(21, &[w, 9]),
    }
    // The word it hangs from, and whether the question names that word.
    let governor = syntax.heads[head];
    let governor_matched = governor.is_some_and(|g| o.matched[g] > 0.0);
    f.add(24, &[w, rel(head), u64::from(governor_matched)]);
    // How much of the phrase it belongs to the question names: of "340 apple trees" and
    // "12 pear trees", only the second counts the "pear trees" asked about.
    let named = governor.map_or(0, |g| {
        let core: Vec<usize> = std::iter::once(g)
            .chain(p.children[g].iter().copied().filter(|&c| {
                matches!(
                    syntax.relations[c],
                    Relation::Compound | Relation::Amod | Relation::Flat
                )
            }))
            .filter(|t| !tokens.contains(t))
            .collect();
        let said = core.iter().filter(|&&t| o.matched[t] > 0.0).count();
        match (said, said == core.len()) {
            (0, _) => 1,
            (_, true) => 3,
            _ => 2,
        }
    });
    f.add(44, &[e, named]);
    f.add(45, &[w, named]);
    // A question that ends with a preposition asks for what that preposition introduces.
    if asked.stranded != 0 {
        f.add(50, &[w, u64::from(asked.stranded == p.marker[head])]);
    }

    // The question's head noun in, next to, or in apposition with the candidate.
    let agree = if tokens.clone().any(|t| o.head[t]) {
        1
    } else if first > 0 && o.head[first - 1] || last + 1 < n && o.head[last + 1] {
        2
    } else if governor.is_some_and(|g| o.head[g]) || p.children[head].iter().any(|&c| o.head[c]) {
        3
    } else {
        0
    };
    f.add(25, &[w, agree, u64::from(asked.head.is_some())]);

    // Where it sits: the sentence's retrieval rank and score, punctuation around it.
    f.add(26, &[bucket(o.rank, 3)]);
    f.add(27, &[bucket((o.score * 5.0) as usize, 5)]);
    let token_text = |t: usize| &o.text[syntax.tokens[t].clone()];
    let bracketed =
        first > 0 && token_text(first - 1) == "(" && last + 1 < n && token_text(last + 1) == ")";
    let after_comma = first > 0 && token_text(first - 1) == ",";
    f.add(
        28,
        &[
            w,
            u64::from(first == 0),
            u64::from(bracketed),
            u64::from(after_comma),
        ],
    );

    // The words at and around its edges ("born in X", "X, the capital").
    let word_at = |t: Option<usize>| t.filter(|&t| t < n).map_or(0, |t| p.words[t]);
    f.add(29, &[w, word_at(first.checked_sub(1))]);
    f.add(30, &[w, word_at(Some(last + 1))]);
    f.add(31, &[w, p.words[first]]);
    f.add(32, &[w, p.words[last]]);
    // The parts of speech across its edges: a span that stops inside a name ("the International
    // Science and Technology" of "... Technology Cooperation Initiative") has a name word on
    // both sides of its end.
    let tag_at = |t: Option<usize>| t.filter(|&t| t < n).map_or(0, tag);
    f.add(46, &[tag_at(first.checked_sub(1)), tag(first)]);
    f.add(47, &[tag(last), tag_at(Some(last + 1))]);
    f.add(
        48,
        &[w, tag_at(first.checked_sub(1)), tag_at(Some(last + 1))],
    );
    // A word just outside that hangs from a word inside: the span leaves out part of its phrase.
    let left_out = |t: Option<usize>| {
        t.filter(|&t| t < n && syntax.heads[t].is_some_and(|h| tokens.contains(&h)))
            .map_or(0, rel)
    };
    f.add(
        49,
        &[left_out(first.checked_sub(1)), left_out(Some(last + 1))],
    );
    let tags = tokens
        .clone()
        .take(4)
        .fold(0u64, |acc, t| acc << 5 | tag(t));
    f.add(33, &[w, tags, u64::from(tokens.len() > 4)]);
    // The path lexicalised with the question word it reaches, and against the role the question
    // word plays in the question.
    if let Some((d, path)) = p.path[head] {
        if d > 0 {
            f.add(34, &[w, path, p.words[p.target[head]]]);
            f.add(35, &[asked.role, path]);
        }
    }
    f.add(36, &[asked.role, rel(head)]);
    f.add(37, &[asked.role, w, kind]);
    // Two question words in a row near it: the sentence says what the question says, next to
    // the candidate.
    let pair = |from: usize, to: usize| {
        (from..to.min(n).saturating_sub(1)).any(|t| o.matched[t] > 0.0 && o.matched[t + 1] > 0.0)
    };
    f.add(
        38,
        &[
            u64::from(pair(first.saturating_sub(5), first)),
            u64::from(pair(last + 1, last + 6)),
        ],
    );
    // How much of the question the sentence says, against what the question asks.
    let said = o.groups as f32 / asked.words.max(1) as f32;
    f.add(39, &[w, bucket((said * 5.0) as usize, 5)]);
    f.add(40, &[bucket((said * 5.0) as usize, 5), bucket(o.rank, 3)]);
    f.add(41, &[overlap]);
    f.add(42, &[kind, overlap]);
    f.add(43, &[e, overlap, look]);
}

/// The expected shape as a feature part.
fn expect_part(expect: &Expect) -> u64 {
    match expect {
        Expect::Count => 1,
        Expect::Amount => 2,
        Expect::Percent => 3,
        Expect::Date => 4,
        Expect::Person => 5,
        Expect::Place => 6,
        Expect::Name => 7,
        Expect::Acronym(_) => 8,
        Expect::Author => 9,
        Expect::YesNo => 10,
        Expect::Reason => 11,
        Expect::Phrase => 12,
    }
}

/// The words of a question (lower-case) that name the time it asks about relative to now ("last
/// year", "this quarter", "next friday", "last may"), which a post contrasts with another time
/// ("up from 59 last year"). Empty when there are none. A year or a month alone is left out
/// ("in 1901", "in april"): a sentence that names one is mostly long and about that time alone,
/// and on SQuAD train picking the figure nearest to it in the tree lost more answers than it
/// found.
fn time_asked(words: &[String]) -> Vec<String> {
    let span = |w: &str| TIME_WORDS.contains(&w) || MONTHS.contains(&w) || WEEKDAYS.contains(&w);
    words
        .windows(2)
        .find(|w| TIME_DEIXIS.contains(&w[0].as_str()) && span(&w[1]))
        .map(<[String]>::to_vec)
        .unwrap_or_default()
}

/// Whether the candidate whose head is token `head` names the value or holder before a change:
/// "from" marks it, and "up" or "down" is its child ("*up* from 62"), or a verb of change
/// ([`CHANGE_WORDS`]) governs it, or "over" is a child of one of the two verbs above it ("took
/// *over* as raid leader from Ashgrove"). "Pick up your tickets from the box office" and "go
/// from platform 2" change nothing. A time is no value that changes: "from 1870 to 1939" is a
/// span.
pub fn names_former(text: &str, syntax: &Analysis, tokens: Range<usize>, head: usize) -> bool {
    let n = syntax.tokens.len();
    let word = |t: usize| text[syntax.tokens[t].clone()].to_lowercase();
    let children = |t: usize| (0..n).filter(move |&c| syntax.heads[c] == Some(t));
    let marked = children(head).any(|c| syntax.relations[c] == Relation::Case && word(c) == "from");
    if !marked || holds_time(text, syntax, tokens) {
        return false;
    }
    if children(head).any(|c| matches!(word(c).as_str(), "up" | "down")) {
        return true;
    }
    let mut verbs = 0;
    let mut at = head;
    while let Some(up) = syntax.heads[at] {
        let verb = syntax.tags[up] == Tag::Verb;
        if verb && (is_change_word(&word(up)) || children(up).any(|c| word(c) == "over")) {
            return true;
        }
        if verb {
            verbs += 1;
            if verbs == 2 {
                break;
            }
        }
        at = up;
    }
    false
}

/// The stems of [`CHANGE_WORDS`] and of [`DIFFERENCE_WORDS`], worked out once.
fn change_stems() -> &'static (Vec<String>, Vec<String>) {
    static STEMS: OnceLock<(Vec<String>, Vec<String>)> = OnceLock::new();
    STEMS.get_or_init(|| {
        let stems = |words: &[&str]| words.iter().map(|w| crate::analysis::stem(w)).collect();
        (stems(CHANGE_WORDS), stems(DIFFERENCE_WORDS))
    })
}

/// Whether a lower-case word is one of [`CHANGE_WORDS`], in any form ("rising", "increased").
fn is_change_word(word: &str) -> bool {
    CHANGE_WORDS.contains(&word) || change_stems().0.contains(&crate::analysis::stem(word))
}

/// Whether a lower-case word is one of [`CHANGE_WORDS`] or [`DIFFERENCE_WORDS`], in any form.
pub fn is_difference_word(word: &str) -> bool {
    let stem = crate::analysis::stem(word);
    CHANGE_WORDS.contains(&word)
        || DIFFERENCE_WORDS.contains(&word)
        || change_stems().0.contains(&stem)
        || change_stems().1.contains(&stem)
}

/// Whether the candidate of `o` whose head is token `head` is a difference, not an amount: "by"
/// marks it after a verb of change or difference ([`is_difference_word`]: "have overtaken them
/// *by two points*", "increased by £400 to £2,100", "has gone up by 3%"), so it says how far
/// something moved, not how much there is. Any other verb's "by" names who did it or where ("run
/// by four volunteers", "goes by three lakes").
pub fn names_difference(o: &Offered, head: usize) -> bool {
    let syntax = o.syntax;
    let n = syntax.tokens.len();
    let word = |t: usize| o.text[syntax.tokens[t].clone()].to_lowercase();
    let children = |t: usize| (0..n).filter(move |&c| syntax.heads[c] == Some(t));
    // A number counts its noun, which "by" marks ("by two points").
    let phrase = match syntax.heads[head] {
        Some(noun) if syntax.relations[head] == Relation::Nummod => noun,
        _ => head,
    };
    let by = children(phrase).any(|c| syntax.relations[c] == Relation::Case && word(c) == "by");
    let Some(verb) = syntax.heads[phrase].filter(|&v| syntax.tags[v] == Tag::Verb && by) else {
        return false;
    };
    is_difference_word(&word(verb))
        || children(verb).any(|c| matches!(word(c).as_str(), "up" | "down"))
}

/// Where the sentence of `o` names the time `when` (a question's [`Asked::when`]): the token that
/// ends it ("year" of "last year's total"), if it does.
pub fn time_named(o: &Offered, when: &[String]) -> Option<usize> {
    let n = o.syntax.tokens.len();
    let word = |t: usize| o.text[o.syntax.tokens[t].clone()].to_lowercase();
    if when.is_empty() {
        return None;
    }
    (0..n)
        .find(|&t| t + when.len() <= n && when.iter().enumerate().all(|(k, w)| word(t + k) == *w))
        .map(|t| t + when.len() - 1)
}

/// Each token's distance from token `from` in the sentence's tree (steps along heads either
/// way), `usize::MAX` for a token the tree does not connect to it.
pub fn tree_distances(syntax: &Analysis, from: usize) -> Vec<usize> {
    let n = syntax.tokens.len();
    let mut distance = vec![usize::MAX; n];
    distance[from] = 0;
    let mut frontier = vec![from];
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for &t in &frontier {
            let neighbours = syntax.heads[t]
                .into_iter()
                .chain((0..n).filter(|&d| syntax.heads[d] == Some(t)));
            for u in neighbours {
                if distance[u] == usize::MAX {
                    distance[u] = distance[t] + 1;
                    next.push(u);
                }
            }
        }
        frontier = next;
    }
    distance
}

/// Whether candidates of this kind suit a question that wants `expect` at all (a count wants a
/// number in it): used to say "the posts give no figure" rather than show a phrase.
pub fn has_number(span: &str) -> bool {
    span.chars().any(|c| c.is_ascii_digit())
        || span
            .split_whitespace()
            .any(|w| is_number_word(&w.to_lowercase()))
}

/// Whether a "what is" question asks for the price its head noun names ("what is the entry
/// *fee*?", "whats the monthly *price*"): not when it asks what the thing is called ("what is the
/// premium subscription called?"), nor of a figurative cost, which an adjective other than one of
/// [`PRICE_PERIODS`] gives ("what is the *hidden* cost of the cheap plan?": slow support).
fn asks_what_price(
    question: &str,
    syntax: &Analysis,
    words: &[String],
    head: Option<&str>,
) -> bool {
    let Some(head) = head.filter(|h| PRICE_NOUNS.contains(h)) else {
        return false;
    };
    let what_is = words
        .iter()
        .position(|w| question_word(w) == Some("what"))
        .is_some_and(|i| {
            words[i] != "what"
                || words
                    .get(i + 1)
                    .is_some_and(|w| COPULAS.contains(&w.as_str()) || w == "s")
        });
    let word = |t: usize| question[syntax.tokens[t].clone()].to_lowercase();
    let figurative = (0..syntax.tokens.len())
        .filter(|&t| word(t) == head)
        .any(|t| {
            (0..syntax.tokens.len()).any(|c| {
                syntax.heads[c] == Some(t)
                    && syntax.relations[c] == Relation::Amod
                    && !PRICE_PERIODS.contains(&word(c).as_str())
            })
        });
    what_is && !figurative && !words.iter().any(|w| NAMING_VERBS.contains(&w.as_str()))
}

/// Joiners of a range of prices ("£10-20", "10 to 20 euros").
fn joins_range(word: &str) -> bool {
    RANGE_JOINERS.contains(&word) || matches!(word, "-" | "–" | "—")
}

/// For each token of a sentence, whether it is a figure of a price: after a currency sign or
/// code ("£20", "$ 5", "USD 3"), before a currency's name or code ("20 dollars", "5 USD"), going
/// on such a figure ("£2.5 *million*") or opening a range of prices ("*10* and 20 euros",
/// "*10*-20 euros"). `None` when the sentence holds a figure that is neither a price, nor a
/// count of something ("two adults"), nor a time ("in 2019", "at 7 pm"): a price written in a
/// way this does not know ("80p", "3€"), among which the price rule cannot choose.
pub fn price_figures(text: &str, syntax: &Analysis) -> Option<Vec<bool>> {
    let n = syntax.tokens.len();
    let word = |t: usize| text[syntax.tokens[t].clone()].to_lowercase();
    let figure = |t: usize| has_number(&word(t));
    let currency = |t: usize| {
        super::candidate::is_currency(&word(t)) || CURRENCY_WORDS.contains(&word(t).as_str())
    };
    // Right to left, so a range's first figure sees whether its second is a price.
    let mut price = vec![false; n];
    for t in (0..n).rev().filter(|&t| figure(t)) {
        price[t] = t > 0 && currency(t - 1)
            || t + 1 < n && currency(t + 1)
            || t + 2 < n && joins_range(&word(t + 1)) && price[t + 2];
    }
    for t in 1..n {
        price[t] |= figure(t) && price[t - 1];
    }
    let known = (0..n).filter(|&t| figure(t) && !price[t]).all(|t| {
        let counts = t + 1 < n && syntax.tags[t + 1] == Tag::Noun && !currency(t + 1);
        counts || is_time(text, syntax, t)
    });
    known.then_some(price)
}

/// Whether the candidate `tokens` give a sum of money: a figure with a currency sign or word
/// beside it ("£11,000", "300 euros"). Not a weight in pounds ("212 pounds") nor a name
/// ("12 Pound Lane", "Euro 2024").
pub fn gives_money(text: &str, syntax: &Analysis, tokens: Range<usize>) -> bool {
    let n = syntax.tokens.len();
    let word = |t: usize| &text[syntax.tokens[t].clone()];
    let currency = |t: usize| {
        let word = word(t);
        // A code in capitals ("300 EUR") is money; a capitalised word is a name's.
        let code = word.len() == 3 && word.bytes().all(|b| b.is_ascii_uppercase());
        let lower = if code {
            word.to_lowercase()
        } else {
            word.to_string()
        };
        let currency_word =
            CURRENCY_WORDS.contains(&lower.as_str()) && !matches!(word, "pound" | "pounds");
        super::candidate::is_currency(word) || currency_word
    };
    tokens
        .into_iter()
        .any(|t| has_number(word(t)) && (t > 0 && currency(t - 1) || t + 1 < n && currency(t + 1)))
}

/// Whether the candidate `tokens` give prices and no other figure, by the sentence's
/// [`price_figures`]: "£20", not "two adults and up to three children is £20".
pub fn gives_prices(text: &str, syntax: &Analysis, price: &[bool], tokens: Range<usize>) -> bool {
    let figures: Vec<usize> = tokens
        .filter(|&t| has_number(&text[syntax.tokens[t].clone()]))
        .collect();
    !figures.is_empty() && figures.iter().all(|&t| price[t])
}

/// Whether the candidate `tokens` hold a figure that is no price, by the sentence's
/// [`price_figures`]: "two phases", "in 2019".
pub fn holds_other_figures(
    text: &str,
    syntax: &Analysis,
    price: &[bool],
    tokens: Range<usize>,
) -> bool {
    tokens
        .into_iter()
        .any(|t| has_number(&text[syntax.tokens[t].clone()]) && !price[t])
}

/// Whether the candidate `tokens` of a sentence hold a number that counts something, as a "how
/// many" question wants: not a year, a day, a clock time, a price, an ordinal or a label ("in
/// 1998", "2 May", "9:30", "£3", "14th", "Room 12", "version 3"), nor a measure ("623 m", "3
/// hours"; not "300 day tickets") unless the question counts units of measure itself
/// (`counted`, its head noun: "how many km"). Without this, a count the posts do not give was
/// answered with whatever number its sentence held ("how many people went on the walk?" with
/// the height of its summit). A share counts ("how many voters stayed home?" "40%").
pub fn holds_count(
    text: &str,
    syntax: &Analysis,
    tokens: Range<usize>,
    counted: Option<&str>,
) -> bool {
    let counts_units = counted.is_some_and(|head| MEASURE_UNITS.contains(&head));
    let n = syntax.tokens.len();
    let word = |t: usize| text[syntax.tokens[t].clone()].to_lowercase();
    let tag = |t: Option<usize>| t.filter(|&t| t < n).map(|t| syntax.tags[t]);
    let is_noun = |t: Option<usize>| matches!(tag(t), Some(Tag::Noun));
    tokens.into_iter().any(|t| {
        let w = word(t);
        let digits = w.chars().next().is_some_and(|c| c.is_ascii_digit());
        if !digits && !is_number_word(&w) {
            return false;
        }
        let (before, after) = (t.checked_sub(1), Some(t + 1).filter(|&a| a < n));
        let word_at = |t: Option<usize>| t.map(word).unwrap_or_default();
        let (prev, next) = (word_at(before), word_at(after));
        let time = w.contains(':') || CLOCK_WORDS.contains(&next.as_str());
        // The tokenizer splits a currency sign off its figure ("£", "3").
        let price = super::candidate::is_currency(&prev);
        let day = MONTHS.contains(&prev.as_str()) || MONTHS.contains(&next.as_str());
        let ordinal = digits && w.trim_end_matches(|c: char| c.is_ascii_alphabetic()) != w;
        let year = super::candidate::is_year(&w) && !is_noun(after);
        // A number that ends a noun's phrase names it: "Room 12 every Thursday", "Step one:".
        let label = matches!(tag(before), Some(Tag::Noun | Tag::Propn))
            && !matches!(tag(after), Some(Tag::Noun | Tag::Propn | Tag::Num));
        // A unit before a noun, a number or a hyphen names a kind of the thing counted: "300
        // day tickets", "180 Year 7 pupils", "14 week-long courses", "1.2 m views".
        let beyond = Some(t + 2).filter(|&b| b < n);
        let kind = matches!(tag(beyond), Some(Tag::Noun | Tag::Propn | Tag::Num))
            || beyond.is_some_and(|b| word(b) == "-");
        let measure = !counts_units && MEASURE_UNITS.contains(&next.as_str()) && !kind;
        !(time || price || day || ordinal || year || label || measure)
    })
}

/// Whether the candidate `tokens` of a sentence hold a figure that is no time, as "how much"
/// and "what percentage" questions want: a price ("£2400") or any other figure that is not a
/// year, a date or a clock time ("1998", "13 December", "6:30", "8 am"). "How much are the
/// tickets?" was answered "the Old Mill pub on 13 December" from a sentence that gave the
/// price too.
pub fn holds_quantity(text: &str, syntax: &Analysis, tokens: Range<usize>) -> bool {
    let n = syntax.tokens.len();
    let written = |t: usize| &text[syntax.tokens[t].clone()];
    tokens.into_iter().any(|t| {
        let w = written(t).to_lowercase();
        // A sign may be glued to the figure ("−300", "+5").
        let unsigned = w.trim_start_matches(['-', '−', '+', '±', '~']);
        let figure = unsigned.starts_with(|c: char| c.is_ascii_digit()) || is_number_word(&w);
        let beside = |t: Option<usize>| t.filter(|&t| t < n).map(written).unwrap_or_default();
        let (prev, next) = (beside(t.checked_sub(1)), beside(Some(t + 1)));
        // The tokenizer splits a currency sign off its figure ("£", "2400").
        let price = super::candidate::is_currency(prev);
        let day = is_month(prev) || is_month(next);
        let clock = CLOCK_WORDS.contains(&next.to_lowercase().as_str());
        figure && (price || !is_time(text, syntax, t) && !day && !clock)
    })
}

/// Whether the candidate `tokens` of a sentence place something in time, as a "when" question
/// wants: a year or decade ("1871", "1990s"), a date or clock time ("2021-05-01", "9:30",
/// "5 pm"), an ordinal day ("the 3rd"), the name of a day or month, or a word of time ("every
/// Thursday", "the 14th century", "two years ago", "after 1990"). Without this, "when does
/// the club meet?" was answered "Room 12" from "The club meets in Room 12 every Thursday."
/// Nearly every answer to a date question in the SQuAD training articles passes (those that
/// do not are conditions: "under intense light").
pub fn holds_time(text: &str, syntax: &Analysis, tokens: Range<usize>) -> bool {
    tokens.into_iter().any(|t| is_time(text, syntax, t))
}

/// Whether the candidate `tokens` of a sentence place nothing in time but by stretches of time:
/// counts of units of time ([`DURATION_UNITS`]: "five years", "the following five years", "for
/// 48 hours", "chaired the trust for five years"), which say how long, not when ("when did she
/// become premier?" was answered "the following five years"). A count with a word that places
/// it ([`PLACING_WORDS`]: "five years *later*", "two weeks *ago*") is a time, as is one after a
/// preposition that places it ("*in* five years", "*within* two weeks"); "the following year"
/// and "the 9th century" count nothing.
pub fn is_duration(text: &str, syntax: &Analysis, tokens: Range<usize>) -> bool {
    let n = syntax.tokens.len();
    let word = |t: usize| text[syntax.tokens[t].clone()].to_lowercase();
    let cardinal = |t: usize| {
        let w = word(t);
        w.chars().any(|c| c.is_ascii_digit())
            && w.chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
            || is_number_word(&w)
    };
    // The words before a count: its qualifiers and a range's first figure ("two *to* three").
    let lead = |t: usize| {
        let w = word(t);
        cardinal(t)
            || matches!(syntax.tags[t], Tag::Det | Tag::Adj)
                && !PLACING_PREPOSITIONS.contains(&w.as_str())
            || DURATION_LEADS.contains(&w.as_str())
            || matches!(w.as_str(), "to" | "or" | "-" | "–") && t > 0 && cardinal(t - 1)
    };
    // The first word of the stretch whose unit is token `u`, if `u` is the unit of a count
    // that nothing places in time.
    let stretch = |u: usize| {
        let w = word(u);
        let unit = DURATION_UNITS.contains(&w.as_str()) || DURATION_UNITS.contains(&singular(&w));
        if !unit || u == 0 || !cardinal(u - 1) {
            return None;
        }
        if u + 1 < n && PLACING_WORDS.contains(&word(u + 1).as_str()) {
            return None;
        }
        let first = (0..u).rev().take_while(|&t| lead(t)).last().unwrap_or(u);
        let placed = first > 0 && PLACING_PREPOSITIONS.contains(&word(first - 1).as_str());
        (!placed).then_some(first)
    };
    // Token `t` lies in a stretch: it is the unit, or a word before the unit's count, whose
    // words up to the unit all lead it.
    let in_stretch = |t: usize| {
        stretch(t).is_some()
            || lead(t)
                && (t + 1..n)
                    .find(|&u| !lead(u) || stretch(u).is_some())
                    .is_some_and(|u| stretch(u).is_some())
    };
    let mut times = tokens.filter(|&t| is_time(text, syntax, t)).peekable();
    times.peek().is_some() && times.all(in_stretch)
}

/// Whether the candidate `tokens` of a sentence are a time of day ("9 am", "7:30 pm", "9am",
/// "19:00", "noon") with nothing but words such as "at" or "about" beside it ("about 9 am", not
/// "9 am on 12 October" nor "meeting at 9 am").
pub fn is_clock_time(text: &str, syntax: &Analysis, tokens: Range<usize>) -> bool {
    let word = |t: usize| text[syntax.tokens[t].clone()].to_lowercase();
    let figure = |w: &str| w.starts_with(|c: char| c.is_ascii_digit());
    let end = tokens.end;
    let is_clock = |t: usize| {
        let w = word(t);
        // Two figures of minutes: "2:1" is a score.
        let hours_and_minutes = figure(&w)
            && w.split_once(':').is_some_and(|(_, m)| {
                m.len() >= 2 && m.as_bytes()[..2].iter().all(u8::is_ascii_digit)
            });
        let written_with = figure(&w)
            && CLOCK_WORDS.iter().any(|c| {
                w.ends_with(c) && w[..w.len() - c.len()].ends_with(|c: char| c.is_ascii_digit())
            });
        // "9" of "9 am" only with its "am".
        let followed = figure(&w) && t + 1 < end && CLOCK_WORDS.contains(&word(t + 1).as_str());
        hours_and_minutes || written_with || followed || CLOCK_NAMES.contains(&w.as_str())
    };
    tokens.clone().any(is_clock)
        && tokens.into_iter().all(|t| {
            let am = t > 0 && CLOCK_WORDS.contains(&word(t).as_str()) && is_clock(t - 1);
            is_clock(t) || am || matches!(syntax.tags[t], Tag::Adp | Tag::Adv | Tag::Det)
        })
}

/// Whether the candidate `tokens` of a sentence name something other than a time: a noun, a
/// name or a pronoun that is no word of time. A "where" question is answered by neither a time
/// ("every Thursday", "the first Saturday") nor a figure cut out of one ("7" of "at 7 pm").
pub fn names_other_than_time(text: &str, syntax: &Analysis, tokens: Range<usize>) -> bool {
    tokens.into_iter().any(|t| {
        matches!(syntax.tags[t], Tag::Noun | Tag::Propn | Tag::Pron | Tag::X)
            && !is_time(text, syntax, t)
    })
}

/// Whether token `t` of a sentence names or places a time (see [`holds_time`]). A word of time
/// that is part of a name is not one: "Spring Street", "the March Hall", "1990 Oak Avenue".
fn is_time(text: &str, syntax: &Analysis, t: usize) -> bool {
    // The name goes on after it with a word of its own ("Spring" is tagged a noun there).
    let capital = text[syntax.tokens[t].clone()].starts_with(char::is_uppercase);
    let in_name = (matches!(syntax.tags[t], Tag::Propn | Tag::Num)
        || syntax.tags[t] == Tag::Noun && capital)
        && (t + 1 < syntax.tags.len())
        && syntax.tags[t + 1] == Tag::Propn
        && !is_time_word(text, syntax, t + 1);
    !in_name && is_time_word(text, syntax, t)
}

/// Whether the candidate `tokens` of a sentence name a day or a month that no span of time
/// holds, as "how long" and "how far" are never answered: "Sunday 6 October", "in May"; not
/// "from March until August", "6-8 October", "since 6 October", nor the end of a span the
/// candidate leaves out ("30 June" of "until 30 June"). Of SQuAD train's 66 answerable "how
/// long" and "how far" questions, the only two answers that name a month are such spans.
pub fn names_a_day_alone(text: &str, syntax: &Analysis, tokens: Range<usize>) -> bool {
    let day = gives_time_in(text, syntax, tokens.clone(), TimeUnit::Day)
        || gives_time_in(text, syntax, tokens.clone(), TimeUnit::Month);
    let spans = |t: usize| {
        let word = text[syntax.tokens[t].clone()].to_lowercase();
        RANGE_JOINERS.contains(&word.as_str())
            || RANGE_OPENERS.contains(&word.as_str())
            || matches!(word.as_str(), "since" | "till" | "-" | "–" | "—")
    };
    let before = tokens.start.checked_sub(1);
    day && !tokens.into_iter().chain(before).any(spans)
}

/// Whether the candidate `tokens` of a sentence give a time in `unit`: a year or decade for
/// [`TimeUnit::Year`], a month's name for [`TimeUnit::Month`], and for [`TimeUnit::Day`] a day
/// of the week, a day of a month ("12 October", "the 3rd") or a word for a day ("tomorrow").
pub fn gives_time_in(text: &str, syntax: &Analysis, tokens: Range<usize>, unit: TimeUnit) -> bool {
    let n = syntax.tokens.len();
    let written = |t: usize| &text[syntax.tokens[t].clone()];
    tokens.into_iter().any(|t| {
        let word = written(t).to_lowercase();
        let digits = word.trim_end_matches(|c: char| !c.is_ascii_digit());
        let suffix = &word[digits.len()..];
        let number = !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit());
        // A date written in figures ("31/03/2025", "2025-03-31"), a year with what follows it
        // ("2019/20") and a year cut short ("'98").
        let parts: Vec<&str> = word.split(['/', '-', '.']).collect();
        let date = (2..=3).contains(&parts.len())
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
        let full_date = date && parts.len() == 3;
        let year_of_date = date && parts.iter().any(|p| super::candidate::is_year(p));
        let short_year = word.chars().count() == 3
            && word.starts_with(['\'', '’'])
            && word.chars().skip(1).all(|c| c.is_ascii_digit())
            || number
                && digits.len() == 2
                && suffix.is_empty()
                && t > 0
                && matches!(written(t - 1), "'" | "’");
        match unit {
            TimeUnit::Year => {
                number
                    && digits.len() == 4
                    && matches!(suffix, "" | "s" | "'s")
                    && super::candidate::is_year(digits)
                    || year_of_date
                    || short_year
            }
            TimeUnit::Month => is_month(written(t)) || full_date,
            TimeUnit::Day => {
                let beside_month =
                    t > 0 && is_month(written(t - 1)) || t + 1 < n && is_month(written(t + 1));
                let day_of_month = number && digits.len() <= 2 && beside_month;
                // "the 3rd", "3rd May"; not "the 3rd floor", "the 21st century".
                let ordinal = number
                    && matches!(suffix, "st" | "nd" | "rd" | "th")
                    && (beside_month
                        || t + 1 >= n
                        || !matches!(syntax.tags[t + 1], Tag::Noun | Tag::Propn | Tag::Adj));
                WEEKDAYS.contains(&singular(&word))
                    || DAY_WORDS.contains(&singular(&word))
                    || day_of_month
                    || ordinal
                    || full_date
            }
        }
    })
}

/// Whether token `t` is a word or figure of time, whatever it is part of.
fn is_time_word(text: &str, syntax: &Analysis, t: usize) -> bool {
    let written = &text[syntax.tokens[t].clone()];
    let word = written.to_lowercase();
    let singular = singular(&word);
    let month = is_month(written);
    let time_word = [word.as_str(), singular]
        .iter()
        .any(|w| WEEKDAYS.contains(w) || TIME_WORDS.contains(w));
    if month || time_word {
        return true;
    }
    if matches!(word.as_str(), "am" | "pm" | "a.m." | "p.m." | "a.m" | "p.m")
        || matches!(written, "BC" | "AD" | "BCE" | "CE" | "B.C." | "A.D.")
    {
        return true;
    }
    let digits = word.strip_prefix('\'').unwrap_or(&word);
    if !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let number = digits.trim_end_matches(|c: char| !c.is_ascii_digit());
    let suffix = &digits[number.len()..];
    let all_digits = number.chars().all(|c| c.is_ascii_digit());
    // A year or a decade ("1871", "1990s", "'90s").
    let year = all_digits && number.len() == 4 && matches!(suffix, "" | "s" | "'s");
    let decade = all_digits && number.len() == 2 && word.starts_with('\'') && suffix == "s";
    let ordinal = all_digits && matches!(suffix, "st" | "nd" | "rd" | "th");
    let clock = all_digits && matches!(suffix, "am" | "pm");
    // A date or a clock time: figures joined by ":", "/", "-" or "." ("9:30", "2021-05-01").
    let joined = !all_digits
        && number
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '/' | '-' | '.'))
        && number.contains([':', '/', '-']);
    year || decade || ordinal || clock || joined
}

/// Whether a word as written is the name of a month (or months): "may" and "march" are months
/// only when written as names ("in May", not "fees may be paid").
pub(super) fn is_month(written: &str) -> bool {
    let word = written.to_lowercase();
    let singular = singular(&word);
    let capital = written.starts_with(char::is_uppercase);
    MONTHS.contains(&singular) && (capital || !matches!(singular, "may" | "march"))
}

/// Whether a lower-case word is a month's name other than "may", which is more often the verb:
/// how the question's and the offered sentences' months are compared for
/// [`Asked::dated`] (`answer::names_other_time`).
pub(super) fn is_month_in_lower_case(word: &str) -> bool {
    MONTHS.contains(&word) && word != "may"
}

/// A plural's singular, roughly ("years" "year", "Wednesdays" "wednesday"): enough for the
/// words of time, which are regular but for "centuries" (listed as it is).
fn singular(word: &str) -> &str {
    word.strip_suffix('s')
        .filter(|stem| stem.len() > 2)
        .unwrap_or(word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Syntax;

    /// Whether the token `number` of `sentence` counts something.
    #[track_caller]
    fn counts(sentence: &str, number: &str) -> bool {
        let (syntax, tokens) = span(sentence, number);
        holds_count(sentence, &syntax, tokens, None)
    }

    #[test]
    fn a_count_is_a_number_of_things_not_a_date_time_price_or_label() {
        assert!(counts("China has partnerships with 160 countries.", "160"));
        assert!(counts("Forty volunteers joined the club in 2019.", "Forty"));
        assert!(counts("The harbour has 1,500 fishing boats.", "1,500"));
        assert!(counts("The club has 300 members.", "300"));
        assert!(!counts("Forty volunteers joined the club in 2019.", "2019"));
        assert!(!counts("The community garden opened in 1998.", "1998"));
        assert!(!counts("The shed door code changed on 2 May.", "2"));
        assert!(!counts("The ferry leaves at 9:30 every day.", "9:30"));
        assert!(!counts("Entry to the fair costs $ 15 a head.", "15"));
        assert!(counts("Turnout rose by 20 % this spring.", "20"));
        assert!(!counts(
            "The chess club meets in Room 12 every Thursday.",
            "12"
        ));
        assert!(!counts("The 14th plan was adopted.", "14th"));
        assert!(!counts("The club meets in Room 12 next Thursday.", "12"));
        assert!(!counts("We reached the summit (623 m) by noon.", "623"));
        assert!(!counts("The walk took 6 hours with breaks.", "6"));
        assert!(counts("We sold 300 day tickets.", "300"));
        assert!(counts("It runs 14 week-long courses.", "14"));
        assert!(counts("About fifteen helpers came.", "fifteen"));
        // A question that counts units of measure takes a measure.
        let sentence = "We reached the summit (623 m) by noon.";
        let (syntax, tokens) = span(sentence, "623");
        assert!(holds_count(sentence, &syntax, tokens, Some("m")));
    }

    /// The span `phrase` of `sentence` as candidate tokens, with the sentence's analysis.
    #[track_caller]
    fn span(sentence: &str, phrase: &str) -> (Analysis, Range<usize>) {
        let syntax = Syntax::shipped().analyse(sentence);
        let tokens = sentence
            .match_indices(phrase)
            .find_map(|(start, _)| {
                let first = syntax.tokens.iter().position(|r| r.start == start)?;
                let end = start + phrase.len();
                let last = syntax.tokens.iter().position(|r| r.end == end)?;
                Some(first..last + 1)
            })
            .unwrap_or_else(|| panic!("{phrase:?} is no run of whole tokens of {sentence:?}"));
        (syntax, tokens)
    }

    #[test]
    fn a_clock_time_is_a_time_of_day_alone() {
        let clock = |sentence: &str, phrase: &str| {
            let (syntax, tokens) = span(sentence, phrase);
            is_clock_time(sentence, &syntax, tokens)
        };
        let s = "The quiz won 2:1 on 14 March, and the bell rang at 6 pm, at 19:30 and at 10am.";
        for time in ["6 pm", "at 6 pm", "19:30", "10am"] {
            assert!(clock(s, time), "{time}");
        }
        for other in [
            "2:1",
            "14 March",
            "2:1 on 14 March",
            "the bell rang at 6 pm",
            "6",
        ] {
            assert!(!clock(s, other), "{other}");
        }
        // A time of day written solid is a time for "when" questions too.
        assert!(timed(s, "10am"));
    }

    #[test]
    fn only_what_time_of_day_asks_for_a_clock_time() {
        let asked = |question: &str| {
            let syntax = Syntax::shipped().analyse(question);
            Asked::new(question, &syntax, Expect::Date, None, 3).clock
        };
        for question in [
            "What time does the wader count start?",
            "At what time do the talks begin?",
            "which time is the bus",
        ] {
            assert!(asked(question), "{question}");
        }
        for question in [
            "What time period was the hall rebuilt in?",
            "During what time was the hall rebuilt?",
            "At what time in history was the abbey built?",
            "Which time zone is the clock set to?",
            "What time of year is the fair?",
            "When does the count start?",
        ] {
            assert!(!asked(question), "{question}");
        }
    }

    #[track_caller]
    fn timed(sentence: &str, phrase: &str) -> bool {
        let (syntax, tokens) = span(sentence, phrase);
        holds_time(sentence, &syntax, tokens)
    }

    #[track_caller]
    fn names_a_thing(sentence: &str, phrase: &str) -> bool {
        let (syntax, tokens) = span(sentence, phrase);
        names_other_than_time(sentence, &syntax, tokens)
    }

    #[test]
    fn a_time_in_a_unit_is_a_year_a_month_or_a_day() {
        let gives = |sentence: &str, phrase: &str, unit: TimeUnit| {
            let (syntax, tokens) = span(sentence, phrase);
            gives_time_in(sentence, &syntax, tokens, unit)
        };
        let opened = "The hall opened on Friday 12 October 1984 at 9 am, in the 1980s boom.";
        assert!(gives(opened, "1984", TimeUnit::Year));
        assert!(gives(opened, "the 1980s boom", TimeUnit::Year));
        assert!(!gives(opened, "9 am", TimeUnit::Year));
        assert!(gives(opened, "12 October 1984", TimeUnit::Month));
        assert!(!gives(opened, "1984", TimeUnit::Month));
        assert!(gives(opened, "Friday", TimeUnit::Day));
        assert!(gives(opened, "12 October", TimeUnit::Day));
        assert!(!gives(opened, "9 am", TimeUnit::Day));
        assert!(!gives(opened, "1984", TimeUnit::Day));
        assert!(gives("The sale ends tomorrow.", "tomorrow", TimeUnit::Day));
        assert!(gives("Rent is due on the 3rd.", "the 3rd", TimeUnit::Day));
        assert!(!gives(
            "The van comes to the 3rd floor.",
            "the 3rd floor",
            TimeUnit::Day
        ));
        let closes = "Applications close on 31/03/2025, and the hall reopened in '98.";
        assert!(gives(closes, "31/03/2025", TimeUnit::Day));
        assert!(gives(closes, "31/03/2025", TimeUnit::Year));
        assert!(gives(closes, "'98", TimeUnit::Year));
        assert!(gives(
            "They won the 2019/20 title.",
            "2019/20",
            TimeUnit::Year
        ));
    }

    #[test]
    fn only_what_year_month_or_day_names_a_unit_of_time() {
        let unit = |question: &str| {
            let syntax = Syntax::shipped().analyse(question);
            Asked::new(question, &syntax, Expect::Date, None, 3).unit
        };
        assert_eq!(unit("What year did the hall open?"), Some(TimeUnit::Year));
        assert_eq!(unit("In which month is the fair?"), Some(TimeUnit::Month));
        assert_eq!(
            unit("Which days is the museum open late?"),
            Some(TimeUnit::Day)
        );
        assert_eq!(unit("When did the hall open?"), None);
        assert_eq!(unit("What time does it open?"), None);
    }

    #[test]
    fn a_time_is_a_year_date_clock_time_day_or_word_of_time() {
        let meets = "The chess club meets in Room 12 every Thursday.";
        assert!(!timed(meets, "Room 12"));
        assert!(timed(meets, "every Thursday"));
        assert!(timed("The community garden opened in 1998.", "1998"));
        assert!(timed("Pop music changed in the 1990s.", "the 1990s"));
        assert!(timed("The ferry leaves at 9:30 every day.", "9:30"));
        assert!(timed("Doors open at 5 pm sharp.", "5 pm"));
        assert!(timed("The fair was held on 2021-05-01.", "2021-05-01"));
        assert!(timed(
            "The town grew in the 14th century.",
            "the 14th century"
        ));
        assert!(timed("The mill closed two years ago.", "two years ago"));
        assert!(timed(
            "The bridge was rebuilt after the war.",
            "after the war"
        ));
        assert!(timed("Rent is due on the 3rd.", "the 3rd"));
        assert!(timed("The market moved to Sundays.", "Sundays"));
        assert!(timed("Planting starts in May.", "May"));
        // The verb "may" and a count are no times.
        assert!(!timed("Members may bring guests.", "may"));
        assert!(!timed("The club has 300 members.", "300 members"));
        assert!(!timed("The garden grows 1,500 tulips.", "1,500 tulips"));
    }

    #[test]
    fn a_place_names_something_other_than_a_time() {
        let meets = "The chess club meets in Room 12 every Thursday.";
        assert!(!names_a_thing(meets, "every Thursday"));
        assert!(names_a_thing(meets, "Room 12"));
        assert!(names_a_thing(meets, "Room 12 every Thursday"));
        assert!(!names_a_thing("The fair is on 2 May.", "2 May"));
        assert!(!names_a_thing("The concert is at 7 pm.", "7"));
        assert!(!names_a_thing(
            "The sale is on the first Saturday.",
            "the first Saturday"
        ));
        assert!(names_a_thing("The fair is in Leeds.", "Leeds"));
    }

    /// Whether `phrase` of `sentence` holds a figure that is no time.
    #[track_caller]
    fn quantity(sentence: &str, phrase: &str) -> bool {
        let (syntax, tokens) = span(sentence, phrase);
        holds_quantity(sentence, &syntax, tokens)
    }

    #[test]
    fn a_stretch_of_time_says_how_long_not_when() {
        let duration = |sentence: &str, phrase: &str| {
            let (syntax, tokens) = span(sentence, phrase);
            is_duration(sentence, &syntax, tokens)
        };
        let term = "She led the council for the following five years and stepped down in 2019.";
        assert!(duration(term, "the following five years"));
        assert!(duration(term, "five years"));
        assert!(duration(term, "years"));
        assert!(duration(
            term,
            "led the council for the following five years"
        ));
        assert!(!duration(term, "stepped down in 2019"));
        // Punctuation is no count, and a range or "every" placed in time is a time.
        assert!(!duration(
            "Founded 1990, 25 years of service followed.",
            "1990"
        ));
        assert!(!duration(
            "It reopens in two to three years.",
            "in two to three years"
        ));
        assert!(!duration(
            "It reopens in two or three years.",
            "in two or three years"
        ));
        assert!(duration(
            "It closed for two to three years.",
            "for two to three years"
        ));
        assert!(!duration(
            "The club meets every two weeks.",
            "every two weeks"
        ));
        assert!(!duration("It reopens two weeks from now.", "two weeks"));
        assert!(!duration(
            "He retired three years prior to the crash.",
            "three years"
        ));
        assert!(duration(
            "The servers will be down for 48 hours.",
            "for 48 hours"
        ));
        assert!(!duration(term, "2019"));
        assert!(!duration("She returned five years later.", "five years"));
        assert!(!duration(
            "The bridge reopens in two weeks.",
            "in two weeks"
        ));
        assert!(!duration(
            "The abbey was built in the 9th century.",
            "the 9th century"
        ));
        assert!(!duration(
            "It happened the following year.",
            "the following year"
        ));
    }

    #[test]
    fn a_quantity_is_a_figure_that_is_no_time() {
        let dinner = "Tickets cost £35 for the dinner at the Mill on 13 December at 7 pm.";
        assert!(quantity(dinner, "£35"));
        assert!(quantity(dinner, "Tickets cost £35"));
        assert!(!quantity(dinner, "the Mill on 13 December"));
        assert!(!quantity(dinner, "7 pm"));
        assert!(!quantity("The hall opened in 1998.", "1998"));
        assert!(!quantity("The bus leaves at 6:30.", "6:30"));
        assert!(quantity("Repairs took three weeks.", "three weeks"));
        assert!(quantity("Turnout rose to 64% this spring.", "64%"));
        assert!(quantity(
            "The village spent −300 dollars more.",
            "−300 dollars"
        ));
        assert!(quantity("The new boat cost £2400 last year.", "£2400"));
        assert!(quantity("Fees of £40 may be paid in two parts.", "£40"));
    }

    #[test]
    fn a_word_of_time_in_a_name_is_no_time() {
        assert!(!timed(
            "The talent show is in the Spring Street theatre.",
            "the Spring Street theatre"
        ));
        assert!(!timed(
            "The seed swap is at 1990 Oak Avenue.",
            "1990 Oak Avenue"
        ));
        assert!(timed(
            "The vote is at the March meeting.",
            "the March meeting"
        ));
    }
}
