//! Sentences that list a figure for each of several things ("12 euros for members and 20 euros
//! for visitors", "second place receives 15,000 gold, and third place gets 5,000 gold"): which
//! item a question about a figure asks for. The ranker, trained on encyclopaedia sentences that
//! seldom list so, tends to take the first figure whatever the question names; the words that
//! tell the items apart say which it is.

use super::{features, Keyed, Offered};
use crate::syntax::Tag;

/// Words that join two items of a list besides the coordinating conjunctions the tagger marks
/// ("rent is £45, while a half plot costs £25").
const JOINING_WORDS: &[&str] = &["while", "whereas", ";"];

/// Whether the token at `t` opens an item compared with the one before: ", compared with 3
/// percent of morning trains" (not "members who compared 3 quotes").
fn opens_comparison(words: &[String], t: usize) -> bool {
    t > 0
        && words[t - 1] == ","
        && words[t] == "compared"
        && words.get(t + 1).is_some_and(|w| w == "with" || w == "to")
}

/// Rules out the candidates of `sentence` that reach into an item with a figure the question
/// does not name, when the question names the words of exactly one such item. A sentence is cut
/// into items at its conjunctions, at ", compared with" (and at the commas of a list a conjunction
/// closes: "A, B and C"), but not at one inside a range ("between 10 and 20 euros"); an item
/// holding a figure with a unit (see below) of an eligible candidate that lies within it is a
/// figured item, and it takes two of them. A question word counts for an item only when it tells
/// the items apart: it is in no other item ("place" of "second place ... third place" does not),
/// and it is not said before the first figure of a list whose later items start with their figure,
/// as "entry costs" is said of both figures in "entry costs 12 euros for members and 20 euros for
/// visitors". When the question's words that count belong to one item only, the candidates reaching
/// into any other figured item are ruled out; when they belong to none or to several, the ranker
/// decides alone. `keyed` are the sentence's candidates.
pub(super) fn rule_out_figures_of_other_items(sentence: &Offered, keyed: &mut [Keyed]) {
    let syntax = sentence.syntax;
    let n = syntax.tokens.len();
    let words = features::lower_words(sentence.text, syntax);
    let is_figure = |t: usize| features::has_number(&words[t]);
    // A conjunction between two figures joins a range ("between 10 and 20 euros"), not items.
    let in_range = |t: usize| t > 0 && t + 1 < n && is_figure(t - 1) && is_figure(t + 1);
    let joining: Vec<bool> = (0..n)
        .map(|t| {
            (syntax.tags[t] == Tag::Cconj
                || JOINING_WORDS.contains(&words[t].as_str())
                || opens_comparison(&words, t))
                && !in_range(t)
        })
        .collect();
    // Each token's item: the number of joining tokens up to it. A comma joins items only in a
    // list that a conjunction closes ("A, B and C"); elsewhere it sets off a phrase of the
    // item ("at the age of 86, Tesla died in room 3327").
    let last_join = (0..n).rev().find(|&t| joining[t]);
    let mut item = Vec::with_capacity(n);
    let mut at = 0;
    for t in 0..n {
        if joining[t] || last_join.is_some_and(|j| t < j) && words[t] == "," {
            at += 1;
        }
        item.push(at);
    }
    // The figures that eligible candidates give, each candidate's within one item, and their
    // items.
    let mut figures: Vec<usize> = keyed
        .iter()
        .filter(|k| k.eligible)
        .filter_map(|k| {
            let held: Vec<usize> = k
                .candidate
                .tokens
                .clone()
                .filter(|&t| is_figure(t))
                .collect();
            let first = *held.first()?;
            held.iter().all(|&t| item[t] == item[first]).then_some(held)
        })
        .flatten()
        .collect();
    figures.sort_unstable();
    figures.dedup();
    // A list's figures say what they count or cost: not the age of "children under 12" beside
    // "10 dollars" and "5 dollars". A figure's unit is the currency sign before it or the noun
    // after it; when some figures have one, those without are left out.
    let unit = |t: usize| {
        if t > 0 && super::candidate::is_currency(&words[t - 1]) {
            words[t - 1].as_str()
        } else if t + 1 < n && syntax.tags[t + 1] == Tag::Noun {
            words[t + 1].as_str()
        } else {
            ""
        }
    };
    if figures.iter().any(|&t| !unit(t).is_empty()) {
        figures.retain(|&t| !unit(t).is_empty());
    }
    let mut figured: Vec<usize> = figures.iter().map(|&t| item[t]).collect();
    figured.dedup();
    if figured.len() < 2 {
        return;
    }
    // The first figure of the list, and whether what comes before it is said of every item: a
    // verb comes before it, in its item ("entry *costs* 12 euros", "entry *is* 12 euros"), and
    // every later item starts with its figure (a currency sign or an article may come first).
    let first_figure = figures[0];
    let starts_with_figure = |i: usize| {
        (0..n)
            .filter(|&t| item[t] == i && !joining[t])
            .find(|&t| !matches!(syntax.tags[t], Tag::Sym | Tag::Det))
            .is_some_and(is_figure)
    };
    let verb_first = (0..first_figure)
        .any(|t| item[t] == figured[0] && matches!(syntax.tags[t], Tag::Verb | Tag::Aux));
    let shared_opening = verb_first && figured[1..].iter().all(|&i| starts_with_figure(i));
    let mut named = vec![false; figured.len()];
    for t in (0..n).filter(|&t| sentence.matched[t] > 0.0) {
        if shared_opening && item[t] == figured[0] && t < first_figure {
            continue;
        }
        let Some(own) = figured.iter().position(|&i| i == item[t]) else {
            continue;
        };
        let elsewhere = (0..n).any(|u| item[u] != item[t] && words[u] == words[t]);
        named[own] |= !elsewhere;
    }
    let mut naming = named.iter().enumerate().filter(|(_, &said)| said);
    let (Some((chosen, _)), None) = (naming.next(), naming.next()) else {
        return;
    };
    let chosen = figured[chosen];
    for k in keyed.iter_mut() {
        if k.candidate
            .tokens
            .clone()
            .any(|t| item[t] != chosen && figured.contains(&item[t]))
        {
            k.eligible = false;
        }
    }
}
