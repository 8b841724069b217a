//! Sentences that list a figure for each of several things ("12 euros for members and 20 euros
//! for visitors", "second place receives 15,000 gold, and third place gets 5,000 gold", "the
//! heats start at 09:00, the relays at 11:30"): which item a question about a figure or a time
//! of day asks for. The ranker, trained on encyclopaedia sentences that seldom list so, tends to
//! take the first figure whatever the question names; the words that tell the items apart say
//! which it is.

use super::{features, Asked, Keyed, Offered};
use crate::lexicon::english::{JOINING_WORDS, OF_ITS_OWN, SCALE_WORDS, TIME_DEIXIS};
use crate::syntax::Tag;

/// Whether the token at `t` opens an item compared with the one before: ", compared with 3
/// percent of morning trains" (not "members who compared 3 quotes").
fn opens_comparison(words: &[String], t: usize) -> bool {
    t > 0
        && words[t - 1] == ","
        && words[t] == "compared"
        && words.get(t + 1).is_some_and(|w| w == "with" || w == "to")
}

/// Whether the token at `t` ends a change's first item and opens its second: the "to" of "rose
/// from 420 in 2019 to 780 in 2023", a "from" before it and a figure between (not "from 10 to 20",
/// a range, which [`in_range`] tells apart).
fn opens_change(words: &[String], t: usize) -> bool {
    words[t] == "to"
        && (0..t)
            .rev()
            .find(|&f| words[f] == "from")
            .is_some_and(|f| (f + 1..t).any(|u| features::has_number(&words[u])))
}

/// Whether the word at `t`, between two figures, joins a range ("between 10 and 20", "from 10 to
/// 20", "10 to 20") rather than two items: not when the figure before it is said of something by
/// a preposition of its own ("5,000 in 2020 and 8,000 in 2022", "420 in 2019 to 780").
fn in_range(words: &[String], t: usize) -> bool {
    let is_figure = |u: usize| features::has_number(&words[u]);
    t > 0
        && t + 1 < words.len()
        && is_figure(t - 1)
        && is_figure(t + 1)
        && (t < 2 || !OF_ITS_OWN.contains(&words[t - 2].as_str()))
}

/// Whether a figure's word carries its unit after its digits: pence ("80p"), a currency sign
/// ("5€").
fn gives_own_unit(word: &str) -> bool {
    let unit = word.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | ','));
    unit.len() < word.len() && (unit == "p" || super::candidate::is_currency(unit))
}

/// Rules out the candidates of `sentence` that reach into an item with a figure the question
/// does not name, when the question names the words of exactly one such item. A sentence is cut
/// into items at its conjunctions, at ", compared with", at the "to" of a change ("from 420 in
/// 2019 to 780 in 2023"; and at the commas of a list a conjunction closes: "A, B and C"), but not
/// at one inside a range ("between 10 and 20 euros"); an item holding a figure with a unit (see
/// below) of an eligible candidate that lies within it is a figured item, and it takes two of
/// them. A question word counts for an item only when it tells the items apart: it is in no
/// other item, in any form ("place" of "second place ... third place" does not, nor "final" of
/// "finals ... final"); it is not the verb of the first item that later items leave out ("the
/// heats *start* at 09:00, the relays at 11:30"); and it is not the unit of a figure that
/// another item leaves out ("passengers" of "3,100 passengers in June, compared with 2,450 in
/// May"). What comes before the first figure is said of every later item that starts with its
/// figure, when a verb comes before that figure or every item describes its figure after it, as
/// "entry costs" is said of both figures in "entry costs 12 euros for members and 20 euros for
/// visitors": a question word there names those items together. When the question's words that
/// count belong to one item only (among those its opening names, if it names one), the
/// candidates reaching into any other figured item are ruled out; when they belong to none but
/// the question names an opening that some items do not share, those items are ruled out; else
/// the ranker decides alone. A question that names a time relative to now ([`Asked::when`]:
/// "this year") does not name an item with the word of its unit when the item places it
/// otherwise ("year" of "this year" does not name "31% last year"; "Friday" of "this Friday"
/// names "250 on Friday"). For "what time" ([`Asked::clock`]) only times of day are figures.
/// `keyed` are the sentence's candidates.
pub(super) fn rule_out_figures_of_other_items(
    sentence: &Offered,
    keyed: &mut [Keyed],
    asked: &Asked,
) {
    let clock = asked.clock;
    let syntax = sentence.syntax;
    let n = syntax.tokens.len();
    let words = features::lower_words(sentence.text, syntax);
    let is_figure = |t: usize| features::has_number(&words[t]);
    let joining: Vec<bool> = (0..n)
        .map(|t| {
            (syntax.tags[t] == Tag::Cconj
                || JOINING_WORDS.contains(&words[t].as_str())
                || opens_comparison(&words, t)
                || opens_change(&words, t))
                && !in_range(&words, t)
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
        // For "what time", only times of day are the list's figures: a date beside one ("opens
        // on 10 May, and the gates open at 09:00") is no item of it.
        .filter(|k| {
            !clock || features::is_clock_time(sentence.text, syntax, k.candidate.tokens.clone())
        })
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
    // Whether item `i` starts with its figure (a currency sign, an article or a preposition may
    // come first: "and *£*18 for seniors", "compared *with* 2,450").
    let starts_with_figure = |i: usize| {
        (0..n)
            .filter(|&t| item[t] == i && !joining[t])
            .find(|&t| !matches!(syntax.tags[t], Tag::Sym | Tag::Det | Tag::Adp))
            .is_some_and(is_figure)
    };
    // A list's figures say what they count or cost: not the age of "children under 12" beside
    // "10 dollars" and "5 dollars". A figure's unit is the currency sign before it or the noun
    // after it, its adjectives and the rest of the figure ("50 academic *majors*", "2 million
    // *people*"), or what the figure's word ends with ("80*p*"); when some figures have one,
    // those without are left out, but not a figure with a scale ("14.2 *million*"), nor one that
    // leaves its unit out in an item of its own, which it opens or a change starts from, with a
    // preposition after it ("2,450" of "3,100 passengers in June, compared with 2,450 in May";
    // "41,000" of "visits rose from 41,000 in 2018 to 57,500 in 2024"; not "129 are occupied").
    let unit_at = |t: usize| {
        if t > 0 && super::candidate::is_currency(&words[t - 1]) {
            Some(t - 1)
        } else if gives_own_unit(&words[t]) {
            Some(t)
        } else {
            (t + 1..n)
                .find(|&u| syntax.tags[u] != Tag::Adj && !is_figure(u))
                .filter(|&u| syntax.tags[u] == Tag::Noun)
        }
    };
    let elided_unit = |t: usize| {
        (starts_with_figure(item[t]) || t > 0 && words[t - 1] == "from")
            && (0..t).all(|u| item[u] != item[t] || !is_figure(u))
            && (t + 1..n)
                .find(|&u| !is_figure(u))
                .is_some_and(|u| item[u] == item[t] && syntax.tags[u] == Tag::Adp)
    };
    if figures.iter().any(|&t| unit_at(t).is_some()) {
        // A scaled figure ("14.2 *million*") is a quantity, not an age or a label.
        let scaled = |t: usize| t + 1 < n && SCALE_WORDS.contains(&words[t + 1].as_str());
        figures.retain(|&t| unit_at(t).is_some() || elided_unit(t) || scaled(t));
    }
    let mut figured: Vec<usize> = figures.iter().map(|&t| item[t]).collect();
    figured.dedup();
    if figured.len() < 2 {
        return;
    }
    // The first figure of the list, and whether what comes before it is said of every item:
    // every later item starts with its figure and restates none of the opening's words (as
    // "the *British* North American colonies" restates "the French North American colonies
    // had a population of 60,000"), and a verb comes before the first figure, in its item
    // ("entry *costs* 12 euros", "entry *is* 12 euros"), or every item says after its figure
    // what the figure is for ("12 euros *for members*").
    let first_figure = figures[0];
    let is_content = |t: usize| {
        matches!(
            syntax.tags[t],
            Tag::Noun | Tag::Propn | Tag::Adj | Tag::Verb
        )
    };
    let restates_opening = |i: usize| {
        (first_figure..n).any(|u| {
            item[u] == i
                && is_content(u)
                && (0..first_figure).any(|t| item[t] == figured[0] && words[t] == words[u])
        })
    };
    let verb_first = (0..first_figure)
        .any(|t| item[t] == figured[0] && matches!(syntax.tags[t], Tag::Verb | Tag::Aux));
    let described_after = figured.iter().all(|&i| {
        let first = figures.iter().copied().find(|&t| item[t] == i);
        first.is_some_and(|f| {
            (f + 1..n)
                .take_while(|&t| item[t] == i)
                .any(|t| matches!(syntax.tags[t], Tag::Noun | Tag::Propn))
        })
    });
    // The items the opening is said of: the first, and each later one that starts with its
    // figure without restating the opening (a change's "to 16.8 million in 2023", not ", an
    // increase of 18 percent").
    let sharing: Vec<usize> = figured
        .iter()
        .copied()
        .enumerate()
        .filter(|&(k, i)| {
            k == 0
                || (verb_first || described_after) && starts_with_figure(i) && !restates_opening(i)
        })
        .map(|(_, i)| i)
        .collect();
    // The unit of a figure is said of every item when another item leaves its figure's unit out
    // and the figures that give one all give the same ("300 tickets and 120 programmes on Friday,
    // compared with 250 on Saturday" names two units: each still tells its item apart).
    let mut units: Vec<&str> = figures
        .iter()
        .filter_map(|&t| unit_at(t))
        .map(|u| words[u].as_str())
        .collect();
    units.sort_unstable();
    units.dedup();
    let unit_left_out = units.len() == 1
        && figured.iter().any(|&i| {
            figures
                .iter()
                .all(|&t| item[t] != i || unit_at(t).is_none())
        });
    let shared_unit = |t: usize| unit_left_out && figures.iter().any(|&f| unit_at(f) == Some(t));
    // A verb of the first item before its figure is said of the later items that have none of
    // their own ("the heats *start* at 09:00, the relays at 11:30").
    let has_verb =
        |i: usize| (0..n).any(|t| item[t] == i && matches!(syntax.tags[t], Tag::Verb | Tag::Aux));
    let gapped_verb = |t: usize| {
        item[t] == figured[0]
            && t < first_figure
            && syntax.tags[t] == Tag::Verb
            && figured[1..].iter().any(|&i| !has_verb(i))
    };
    // Words are compared by their stems: "final" of one item is "finals" of another.
    let stems: Vec<String> = words.iter().map(|w| crate::analysis::stem(w)).collect();
    let mut named = vec![false; figured.len()];
    // Whether the question names the opening that several items share ("journeys" of "journeys
    // rose from 14.2 million in 2019 to 16.8 million in 2023, an increase of 18 percent"): the
    // answer is one of them, and the opening tells them not apart.
    let mut names_opening = false;
    let other_time = |t: usize| match asked.when.as_slice() {
        [deixis, unit] => {
            words[t] == *unit
                && t > 0
                && words[t - 1] != *deixis
                && TIME_DEIXIS.contains(&words[t - 1].as_str())
        }
        _ => false,
    };
    for t in (0..n).filter(|&t| sentence.matched[t] > 0.0) {
        if shared_unit(t) || gapped_verb(t) || other_time(t) {
            continue;
        }
        if sharing.len() > 1 && item[t] == figured[0] && t < first_figure {
            names_opening = true;
            continue;
        }
        let Some(own) = figured.iter().position(|&i| i == item[t]) else {
            continue;
        };
        let elsewhere = (0..n).any(|u| item[u] != item[t] && stems[u] == stems[t]);
        named[own] |= !elsewhere;
    }
    let mut naming = named.iter().enumerate().filter(|(_, &said)| said);
    let chosen: Vec<usize> = match (naming.next(), naming.next()) {
        (Some((k, _)), None) if !names_opening || sharing.contains(&figured[k]) => {
            vec![figured[k]]
        }
        (None, _) if names_opening && sharing.len() < figured.len() => sharing,
        _ => return,
    };
    for k in keyed.iter_mut() {
        if k.candidate
            .tokens
            .clone()
            .any(|t| !chosen.contains(&item[t]) && figured.contains(&item[t]))
        {
            k.eligible = false;
        }
    }
}
