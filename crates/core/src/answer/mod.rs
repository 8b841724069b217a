//! The short answer: given the best sentences retrieval found for a question, which span of
//! them answers it, how sure that is, and whether the posts answer the question at all.
//!
//! Each English sentence is tagged and parsed ([`crate::syntax`]); its phrases become
//! [`candidate`]s; the learned [`model`]s score every candidate from its [`features`], turn the
//! best one's share into the probability that it is right, and estimate the probability that
//! the question is answerable from the posts. A few questions have one exact answer shape that
//! is found by [`rules`] instead (an acronym's expansion, the author's self-introduction), and
//! sentences that are mostly Chinese are answered by the shapes of [`chinese`]. Every answer is
//! a byte range of a sentence, so it is verbatim by construction.

pub mod candidate;
pub mod chinese;
pub mod contrast;
pub mod features;
pub mod items;
pub mod model;
pub mod rules;
pub mod table;

use std::ops::Range;

use crate::lexicon::english::{NOT_MONEY_QUESTIONS, PERCENT_WORDS, TIME_WORDS};
use crate::question::Expect;
use crate::syntax::perceptron::{Features, Key};
use crate::syntax::{Analysis, Relation, Tag};
use candidate::Candidate;
pub use features::{Asked, Offered};
pub use model::{Models, Standing, Summary};

/// A candidate of one offered sentence with its feature keys.
pub struct Keyed {
    /// Index of its sentence among the offered ones.
    pub sentence: usize,
    /// The candidate.
    pub candidate: Candidate,
    /// Its features.
    pub keys: Vec<Key>,
    /// It may be the answer: it does not merely repeat the question's words (unless the
    /// question offers a choice between them), nor abbreviate them unless a name is asked
    /// ([`features::abbreviates_question`]); it is no sum of money for a question that never
    /// asks one ("how old", "when", "who", ...: [`NOT_MONEY_QUESTIONS`]); for "how long" and
    /// "how far", it names no day or month but in a span of time
    /// ([`features::names_a_day_alone`]); for "when", it places something in time by more than
    /// a stretch of time ([`features::is_duration`]); in a table row, it spans no two cells;
    /// for a figure, no difference unless the question asks
    /// about a change ([`features::names_difference`]); for "who", it names
    /// someone or something, not
    /// only a time or a figure; for "how much" or a share, it holds a figure that is no time
    /// (a phrase without a figure, "free", is no quantity either); for a count, an amount or a
    /// share, it is no clause around the figure ([`holds_clause`]); for a count, it does not
    /// count another kind of the thing asked about
    /// ([`rule_out_other_counted_things`]); for any figure or time of day, it does not reach
    /// into the item of a list that gives the figure of another thing than the question names
    /// ([`items::rule_out_figures_of_other_items`]); it does not cut a name where a name is
    /// never cut ([`candidate::name_edges`]); for "what time", it gives a time of day when
    /// another candidate does ([`rule_out_all_but_clock_times`]); for a price, no figure that is
    /// no price, and prices alone when another candidate of its sentence gives one
    /// ([`rule_out_all_but_prices`]); for "what year",
    /// "which month" or "which day", a time in that unit when another candidate of its sentence
    /// does ([`rule_out_all_but_times_in`]); for a figure at a time named relative to now ("last
    /// year"), the figure nearest to that time ([`rule_out_figures_far_from_time`]); unless the
    /// question asks about what came before, no value or holder before a change when another
    /// candidate of its sentence is eligible ([`rule_out_former_values`]). The ranker scores
    /// every candidate; the best is chosen among the eligible ones.
    pub eligible: bool,
}

/// The candidates of the offered sentences with their features. For a question that asks for a
/// number ("how much", "what percentage"), only candidates holding one; for a count ("how
/// many"), only those holding a number that counts; for "when", only those that place
/// something in time; for "where", only those that name something other than a time. An
/// acronym's expansion is found by rule or not at all: any other phrase would be a guess at what
/// the letters stand for. A yes/no question has none either, unless it offers a choice ("is it
/// on Saturday or Sunday?"): its answer is yes or no, which no span says ("is there parking?"
/// over "there is no parking on site, but the car park is open" is not "open"), so the reply
/// leads with the passage. Each candidate is marked [`Keyed::eligible`] or not.
pub fn keyed_candidates(asked: &Asked, offered: &[Offered]) -> Vec<Keyed> {
    let yes_or_no = asked.expect == Expect::YesNo && !asked.choice;
    if matches!(asked.expect, Expect::Acronym(_)) || yes_or_no {
        return Vec::new();
    }
    let numeric = needs_number(&asked.expect);
    let count = asked.expect == Expect::Count;
    let date = asked.expect == Expect::Date;
    let place = asked.expect == Expect::Place;
    let mut out = Vec::new();
    let mut features = Features::default();
    let counted = asked.head.as_deref();
    for (s, sentence) in offered.iter().enumerate() {
        let prepared = features::Prepared::new(sentence);
        let names = candidate::name_edges(sentence.text, sentence.syntax);
        let from = out.len();
        for c in candidate::candidates(sentence.text, sentence.syntax) {
            if numeric && !features::has_number(&sentence.text[c.bytes(sentence.syntax)]) {
                continue;
            }
            if count
                && !features::holds_count(sentence.text, sentence.syntax, c.tokens.clone(), counted)
            {
                continue;
            }
            if date && !features::holds_time(sentence.text, sentence.syntax, c.tokens.clone()) {
                continue;
            }
            if place
                && !features::names_other_than_time(
                    sentence.text,
                    sentence.syntax,
                    c.tokens.clone(),
                )
            {
                continue;
            }
            features.clear();
            features::candidate(asked, &prepared, &c, &mut features);
            let eligible = eligible(asked, sentence, &c)
                && !names.no_end[c.tokens.end - 1]
                && !names.no_start[c.tokens.start];
            out.push(Keyed {
                sentence: s,
                candidate: c,
                keys: features.keys().to_vec(),
                eligible,
            });
        }
        if count {
            rule_out_other_counted_things(sentence, &mut out[from..]);
        }
        if numeric || asked.clock {
            items::rule_out_figures_of_other_items(sentence, &mut out[from..], asked);
        }
        if asked.price {
            rule_out_all_but_prices(sentence, &mut out[from..]);
        }
        if let Some(unit) = asked.unit {
            rule_out_all_but_times_in(unit, sentence, &mut out[from..]);
        }
        if numeric && !asked.when.is_empty() {
            rule_out_figures_far_from_time(&asked.when, sentence, &mut out[from..]);
        }
        if !asked.former {
            rule_out_former_values(sentence, &mut out[from..]);
        }
    }
    if asked.clock {
        rule_out_all_but_clock_times(offered, &mut out);
    }
    out
}

/// Rules out the candidates `keyed` that lack what the question asks for (`has`), when an
/// eligible one has it; otherwise leaves the choice to the ranker.
fn keep_only_if_any(keyed: &mut [Keyed], has: impl Fn(&Keyed) -> bool) {
    let has: Vec<bool> = keyed.iter().map(has).collect();
    if keyed.iter().zip(&has).any(|(k, &h)| k.eligible && h) {
        for (k, &h) in keyed.iter_mut().zip(&has) {
            k.eligible &= h;
        }
    }
}

/// For a question that asks for a price, the candidates of `sentence` that give anything but
/// prices are ruled out when an eligible one gives prices alone ([`features::gives_prices`]),
/// unless the sentence holds a figure the price test cannot tell ([`features::price_figures`]):
/// "how much is a family ticket?" over "a family ticket for two adults and up to three children
/// is £20" is answered "£20", not the count the ranker likes. A figure that is no price is ruled
/// out even when no candidate gives a price: "how much will the route cost?" over "the route
/// will be built in two phases" was answered "two phases"; a price written in a way the test
/// does not know is withheld then, not replaced by another figure (only figures are candidates
/// for "how much"). Sentence by sentence, as the best sentence may write its price in a way the
/// test does not know and another sentence's price is no answer.
fn rule_out_all_but_prices(sentence: &Offered, keyed: &mut [Keyed]) {
    let Some(figures) = features::price_figures(sentence.text, sentence.syntax) else {
        return;
    };
    for k in keyed.iter_mut() {
        let tokens = k.candidate.tokens.clone();
        k.eligible &=
            !features::holds_other_figures(sentence.text, sentence.syntax, &figures, tokens);
    }
    keep_only_if_any(keyed, |k| {
        let tokens = k.candidate.tokens.clone();
        features::gives_prices(sentence.text, sentence.syntax, &figures, tokens)
    });
}

/// For a question that names its unit of time ("what year", "which month", "which day"), the
/// candidates of `sentence` that give no time in it are ruled out when an eligible one does
/// ([`features::gives_time_in`]): "which day does the library stay open late?" over "until 9
/// pm, on the last Friday of each month" is answered "the last Friday", not the clock time.
/// Sentence by sentence, as [`rule_out_all_but_prices`].
fn rule_out_all_but_times_in(unit: features::TimeUnit, sentence: &Offered, keyed: &mut [Keyed]) {
    keep_only_if_any(keyed, |k| {
        let tokens = k.candidate.tokens.clone();
        features::gives_time_in(sentence.text, sentence.syntax, tokens, unit)
    });
}

/// For a question that asks for a figure at a time it names relative to now ("how many members
/// did the studio have *last year*?"), the candidates of `sentence` holding a figure that is not
/// the nearest to that time in the sentence's tree are ruled out: "our studio has 67 members, up
/// from 59 last year" answers "59", and "the fair raised £4,718, beating last year's total of
/// £3,905" answers "£3,905", where the ranker, which reads how close a candidate is to any of the
/// question's words, took the other figure. Only when the sentence names the time and holds
/// figures at different distances from it. Figures written in more than one token ("ten
/// million") are as near as their nearest token, and a number as near as the noun it counts;
/// years, differences and counts of things the question does not name are left out.
fn rule_out_figures_far_from_time(when: &[String], sentence: &Offered, keyed: &mut [Keyed]) {
    let Some(time) = features::time_named(sentence, when) else {
        return;
    };
    let syntax = sentence.syntax;
    let named = time + 1 - when.len()..time + 1;
    let n = syntax.tokens.len();
    let distance = features::tree_distances(syntax, time);
    let word = |t: usize| sentence.text[syntax.tokens[t].clone()].to_lowercase();
    let figures: Vec<usize> = (0..n)
        .filter(|t| !named.contains(t))
        .filter(|&t| features::has_number(&word(t)) && !candidate::is_year(&word(t)))
        // A difference ("2,000 more than the week before") and a count of a thing the question
        // does not name ("14 classes" for "how many pupils") are not the figures compared.
        .filter(|&t| !(t + 1 < n && features::is_difference_word(&word(t + 1))))
        .filter(|&t| features::counted_named(sentence, t).is_none_or(|(said, _)| said != 0))
        .collect();
    // A number is as near as the noun it counts: the parser hangs the number of "67 members"
    // below its noun, a step further from the time than a figure that stands alone.
    let near = |t: usize| match syntax.heads[t] {
        Some(noun) if syntax.relations[t] == Relation::Nummod => distance[noun].min(distance[t]),
        _ => distance[t],
    };
    // Figures in tokens side by side are one figure ("ten million"), as near as its nearest.
    let mut groups: Vec<(Range<usize>, usize)> = Vec::new();
    for &t in &figures {
        match groups.last_mut() {
            Some((tokens, nearest)) if tokens.end == t => {
                tokens.end = t + 1;
                *nearest = (*nearest).min(near(t));
            }
            _ => groups.push((t..t + 1, near(t))),
        }
    }
    let Some(nearest) = groups.iter().map(|&(_, near)| near).min() else {
        return;
    };
    if groups.iter().all(|&(_, near)| near == nearest) {
        return;
    }
    keep_only_if_any(keyed, |k| {
        let span = &k.candidate.tokens;
        let mut held = groups
            .iter()
            .filter(|(tokens, _)| tokens.start < span.end && span.start < tokens.end);
        held.clone().next().is_some() && held.all(|&(_, near)| near == nearest)
    });
}

/// For a question that does not ask about what came before a change ([`Asked::former`]), the
/// candidates of `sentence` that name the value or holder before one are ruled out when another
/// is eligible ([`features::names_former`]): "who is the raid leader?" over "Thornveil took over
/// as raid leader from Ashgrove" was answered "Ashgrove", and "how much is the rent going up
/// to?" over "will rise from £30 to £35" "£30".
fn rule_out_former_values(sentence: &Offered, keyed: &mut [Keyed]) {
    keep_only_if_any(keyed, |k| {
        let c = &k.candidate;
        !features::names_former(sentence.text, sentence.syntax, c.tokens.clone(), c.head)
    });
}

/// For a question that asks for a time of day, the candidates that are no time of day are ruled
/// out when an eligible one is ([`features::is_clock_time`]): "what time does the count start?"
/// over "the count is on 12 October, meeting at 9 am" is answered "9 am", though the ranker,
/// trained on questions whose "when" is mostly a year, likes the date.
fn rule_out_all_but_clock_times(offered: &[Offered], keyed: &mut [Keyed]) {
    keep_only_if_any(keyed, |k| {
        let sentence = &offered[k.sentence];
        features::is_clock_time(sentence.text, sentence.syntax, k.candidate.tokens.clone())
    });
}

/// Whether the candidate of `sentence` at `tokens` may be the answer, by what it says alone
/// (see [`Keyed::eligible`]; the rule for counts of two kinds looks at the whole sentence). A
/// "who" question takes the test a "where" question filters its candidates by, as a choice
/// among the ranked candidates rather than a filter, so the ranker was not retrained for it.
fn eligible(asked: &Asked, sentence: &Offered, candidate: &Candidate) -> bool {
    let tokens = candidate.tokens.clone();
    let repeats = !asked.choice && features::repeats_question(sentence, tokens.clone());
    // An acronym of the question's words answers only a question after a name.
    let alias = !matches!(asked.expect, Expect::Name | Expect::Phrase)
        && features::abbreviates_question(sentence, tokens.clone());
    let nobody = asked.expect == Expect::Person
        && !features::names_other_than_time(sentence.text, sentence.syntax, tokens.clone());
    let no_quantity = asks_quantity(asked)
        && !features::holds_quantity(sentence.text, sentence.syntax, tokens.clone());
    let clause = needs_number(&asked.expect) && holds_clause(sentence.syntax, tokens.clone());
    let money = NOT_MONEY_QUESTIONS.contains(&asked.wh.as_str())
        && features::gives_money(sentence.text, sentence.syntax, tokens.clone());
    // "How many points do the Red Lions have?" was "two" of "overtaken them by two points".
    let difference = needs_number(&asked.expect)
        && !asked.change
        && features::names_difference(sentence, candidate.head);
    let duration = asked.expect == Expect::Date
        && features::is_duration(sentence.text, sentence.syntax, tokens.clone());
    // "How long is the walk?" was answered "Sunday 6 October".
    let day = matches!(asked.wh.as_str(), "how long" | "how far")
        && features::names_a_day_alone(sentence.text, sentence.syntax, tokens);
    // "When is yoga?" was answered "Monday | 18:30", two cells of a table row.
    let across_cells =
        sentence.in_table && sentence.text[candidate.bytes(sentence.syntax)].contains('|');
    !repeats
        && !alias
        && !nobody
        && !no_quantity
        && !clause
        && !money
        && !day
        && !duration
        && !difference
        && !across_cells
}

/// The bytes of `candidate`, with the percent sign or words that follow its last
/// figure: "91.4" of "91.4 percent of trains" tells a reader less than the share it is, and the
/// ranker, trained on answers whose "%" the scoring drops, takes either.
fn with_percent_words(sentence: &Offered, candidate: &Candidate) -> Range<usize> {
    let syntax = sentence.syntax;
    let word = |t: usize| sentence.text[syntax.tokens[t].clone()].to_lowercase();
    let tokens = candidate.tokens.clone();
    let bytes = candidate.bytes(syntax);
    if !features::has_number(&word(tokens.end - 1)) {
        return bytes;
    }
    let following = |words: &[&str]| {
        words
            .iter()
            .enumerate()
            .all(|(k, w)| tokens.end + k < syntax.tokens.len() && word(tokens.end + k) == *w)
    };
    match PERCENT_WORDS.iter().find(|words| following(words)) {
        Some(words) => bytes.start..syntax.tokens[tokens.end + words.len() - 1].end,
        None => bytes,
    }
}

/// Whether the tokens hold a verb with something it governs: a clause ("caused headaches in 9
/// percent of patients") or a participle's phrase ("2,500 people living near the river"), where
/// a figure is asked for; a figure with a bare participle ("an estimated 2,000 people", "410
/// registered apprentices") is no clause, and a shorter candidate holds the figure alone.
fn holds_clause(syntax: &Analysis, tokens: Range<usize>) -> bool {
    tokens.clone().any(|v| {
        syntax.tags[v] == Tag::Verb
            && tokens
                .clone()
                .any(|d| syntax.heads[d] == Some(v) && syntax.tags[d] != Tag::Punct)
    })
}

/// Whether the question asks for a quantity, which only a figure that is no time answers: a
/// share or proportion, or "how much" of something other than time ("how much are the
/// tickets?", not "how much time was left?" nor "how much longer?"). "How long" is left out:
/// its answers are often times ("since 1951", "1870 to 1939").
fn asks_quantity(asked: &Asked) -> bool {
    let of_time = asked.head.as_deref().is_some_and(|h| {
        matches!(h, "time" | "longer" | "later" | "earlier" | "sooner") || TIME_WORDS.contains(&h)
    });
    asked.expect == Expect::Percent
        || asked.expect == Expect::Amount && asked.wh == "how much" && !of_time
}

/// Words a counted phrase needs to name a kind of a thing ("pear" and "trees").
const KIND_AND_THING: usize = 2;

/// Of a sentence that counts two kinds of one thing ("40 apple trees and 12 pear trees"), where
/// the question names one kind in full ("how many pear trees"), the candidates holding a count
/// of another kind are ruled out ("40", "40 apple trees and 12 pear trees"): they count a thing
/// the question names only in part. `keyed` are the sentence's candidates.
fn rule_out_other_counted_things(sentence: &Offered, keyed: &mut [Keyed]) {
    // Per candidate, what its numbers count and how much of it the question names; only a
    // kind the question names ("pear" of "pear trees") tells the counts apart.
    let counts: Vec<Vec<(usize, usize)>> = keyed
        .iter()
        .map(|k| {
            k.candidate
                .tokens
                .clone()
                .filter(|&t| sentence.syntax.tags[t] == Tag::Num)
                .filter_map(|t| features::counted_named(sentence, t))
                .filter(|&(_, words)| words >= KIND_AND_THING)
                .collect()
        })
        .collect();
    if !counts.iter().flatten().any(|(said, words)| said == words) {
        return;
    }
    for (k, counts) in keyed.iter_mut().zip(&counts) {
        if counts.iter().any(|(said, words)| said < words) {
            k.eligible = false;
        }
    }
}

/// Whether the question asks for a number.
pub fn needs_number(expect: &Expect) -> bool {
    matches!(expect, Expect::Count | Expect::Amount | Expect::Percent)
}

/// The softmax of scores (shares that sum to 1).
pub fn softmax(scores: &[f32]) -> Vec<f32> {
    let top = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exp: Vec<f32> = scores.iter().map(|s| (s - top).exp()).collect();
    let sum: f32 = exp.iter().sum::<f32>().max(f32::MIN_POSITIVE);
    exp.into_iter().map(|e| e / sum).collect()
}

/// The best candidate answer.
#[derive(Debug, Clone)]
pub struct Best {
    /// Index of its sentence among the offered ones.
    pub sentence: usize,
    /// Its byte range in that sentence.
    pub bytes: Range<usize>,
    /// The probability that it is right.
    pub confidence: f32,
}

/// What the answer step concluded about one question.
#[derive(Debug, Clone)]
pub struct Decision {
    /// The probability that the posts answer the question.
    pub answerable: f32,
    /// The best candidate, if there is any.
    pub best: Option<Best>,
}

/// Ranks the candidates of the offered sentences and judges the best one. `summary` carries
/// what retrieval found (coverage, unknown words, scores); the candidates' part is filled in
/// here.
pub fn decide(
    models: &Models,
    asked: &Asked,
    offered: &[Offered],
    mut summary: Summary,
) -> Decision {
    let keyed = keyed_candidates(asked, offered);
    summary.other_time = names_other_time(asked, offered);
    let scores: Vec<f32> = keyed.iter().map(|k| models.rank(&k.keys)).collect();
    let best = fill_summary(&mut summary, offered, &keyed, &scores);
    let mut features = Features::default();
    summary.answerable_features(&mut features);
    let answerable = models.answerable(features.keys());
    let best = best.map(|b| {
        summary.confidence_features(&mut features);
        let k = &keyed[b];
        let bytes = if asked.expect == Expect::Percent {
            with_percent_words(&offered[k.sentence], &k.candidate)
        } else {
            k.candidate.bytes(offered[k.sentence].syntax)
        };
        Best {
            sentence: k.sentence,
            bytes,
            confidence: models.confidence(features.keys()),
        }
    });
    Decision { answerable, best }
}

/// Whether the question names a year or a month ([`Asked::dated`]) that no offered sentence
/// names, while one of them names another year (for a year) or month (for a month): the
/// figures there are of another time ([`Summary::other_time`]).
pub fn names_other_time(asked: &Asked, offered: &[Offered]) -> bool {
    if asked.dated.is_empty() {
        return false;
    }
    let year = asked.dated.iter().any(|w| candidate::is_year(w));
    let words: Vec<String> = offered
        .iter()
        .flat_map(|o| crate::analysis::plain_words(o.text).map(str::to_lowercase))
        .collect();
    let same_kind = |w: &String| {
        if year {
            candidate::is_year(w)
        } else {
            features::is_month_in_lower_case(w)
        }
    };
    !words.iter().any(|w| asked.dated.contains(w)) && words.iter().any(same_kind)
}

/// The index of the highest score of those `eligible` (the first on ties).
pub fn best_index(scores: &[f32], eligible: &[bool]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, s) in scores.iter().enumerate() {
        if eligible[i] && best.is_none_or(|b| *s > scores[b]) {
            best = Some(i);
        }
    }
    best
}

/// Fills in the candidates' part of the summary: the best candidate's share and score, the
/// runner-up's share, the best's kind, length and sentence. Returns the best candidate's index.
fn fill_summary(
    summary: &mut Summary,
    offered: &[Offered],
    keyed: &[Keyed],
    scores: &[f32],
) -> Option<usize> {
    let places: Vec<(usize, Range<usize>)> = keyed
        .iter()
        .map(|k| (k.sentence, k.candidate.tokens.clone()))
        .collect();
    let eligible: Vec<bool> = keyed.iter().map(|k| k.eligible).collect();
    let b = summary.rank(scores, &places, &eligible)?;
    summary.best = standing(offered, &keyed[b]);
    Some(b)
}

/// What the summary reads of candidate `k` and its sentence.
pub fn standing(offered: &[Offered], k: &Keyed) -> Standing {
    let sentence = &offered[k.sentence];
    let contrasts = sentence.contrasts;
    Standing {
        kind: k.candidate.kind as u64 + 1,
        length: k.candidate.tokens.len(),
        rank: sentence.rank,
        relative: sentence.score,
        groups: sentence.groups,
        contrasts: contrasts.iter().filter(|c| **c).count(),
        contrasting: contrasts[k.candidate.tokens.clone()].contains(&true),
        negation_differs: sentence.negation_differs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Syntax;

    /// Whether `question` names a year or a month that `sentence` does not, while it names
    /// another.
    fn other_time(question: &str, sentence: &str) -> bool {
        let syntax = Syntax::shipped();
        let asked = Asked::new(question, &syntax.analyse(question), Expect::Count, None, 1);
        let analysed = syntax.analyse(sentence);
        let n = analysed.tokens.len();
        let (matched, head, contrasts) = (vec![0.0; n], vec![false; n], vec![false; n]);
        let offered = [Offered {
            text: sentence,
            syntax: &analysed,
            matched: &matched,
            head: &head,
            contrasts: &contrasts,
            negation_differs: false,
            rank: 0,
            score: 1.0,
            groups: 0,
            in_table: false,
        }];
        names_other_time(&asked, &offered)
    }

    #[test]
    fn a_year_or_month_the_sentences_do_not_name_is_another_time() {
        let question = "How many members joined in 1998?";
        assert!(other_time(question, "In 1997, 40 members joined."));
        assert!(!other_time(question, "In 1998, 40 members joined."));
        assert!(!other_time(question, "Forty members joined."));
        assert!(other_time(
            "how many parcels did we give out in april",
            "Between July and September we gave out 1,284 parcels."
        ));
        // "May" is more often the verb.
        assert!(!other_time(
            "how many parcels may we give out",
            "In June we gave out 1,284 parcels."
        ));
    }
}
