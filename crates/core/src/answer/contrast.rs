//! Words of a sentence that stand where the question has another word: the question asks about
//! "the *autumn* plant sale" and the sentence speaks of "the *spring* plant sale", or about "the
//! work of *Galileo*" where the sentence says "the work of *Isaac Newton*". Such a sentence is
//! about a neighbour of what was asked, and its answer is not the answer: questions the posts do
//! not answer are often an answerable one with one detail swapped (SQuAD's unanswerable
//! questions are written so on purpose). The confidence and answerability models read how many
//! contrasting words the best candidate's sentence holds and whether the candidate is one.

use crate::syntax::{Analysis, Relation, Tag};

/// A question or a sentence: its text, its tokens and tree, and for each token the question
/// word it is or meets, if any (any stable number, as the index of a group of the question's
/// words).
pub struct Side<'a> {
    /// The text.
    pub text: &'a str,
    /// Its tokens, tags and tree.
    pub syntax: &'a Analysis,
    /// Per token, the question word it is or meets.
    pub words: &'a [Option<usize>],
}

impl Side<'_> {
    /// Token `k` as written.
    fn written(&self, k: usize) -> &str {
        &self.text[self.syntax.tokens[k].clone()]
    }
}

/// Whether a relation attaches a word that says which one of a thing is meant: "old" in "the
/// old parliament", "Warsaw" in "the division in Warsaw", "Joe" in "the Joe and Rika Library".
fn modifies(relation: Relation) -> bool {
    matches!(
        relation,
        Relation::Amod | Relation::Compound | Relation::Nmod | Relation::Nummod
    )
}

/// Whether two parts of speech can stand for each other as such a word: nouns and names for
/// each other, adjectives and numbers each for their own kind.
fn same_kind(a: Tag, b: Tag) -> bool {
    let nominal = |t: Tag| matches!(t, Tag::Noun | Tag::Propn);
    nominal(a) && nominal(b) || a == b && matches!(a, Tag::Adj | Tag::Num)
}

/// Whether two words are one written two ways: the same up to case, a possessive or a plural
/// ending ("Victoria" and "Victorian", "cydippid" and "Cydippids").
fn same_word(a: &str, b: &str) -> bool {
    let plain = |w: &str| {
        let w = w.to_lowercase();
        let w = w
            .strip_suffix("'s")
            .or_else(|| w.strip_suffix("’s"))
            .unwrap_or(&w)
            .to_string();
        w
    };
    let (a, b) = (plain(a), plain(b));
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.chars().count() >= 4 && long.starts_with(&short) || short == long
}

/// For each token of `sentence`, whether it contrasts with a word of `question`: the question
/// word, which the sentence does not have, modifies a word the sentence has, and there that
/// word is modified by this word, of the same kind, which the question does not have
/// ("current" for "the old parliament").
pub fn contrasts(question: &Side, sentence: &Side) -> Vec<bool> {
    let (q, s) = (question.syntax, sentence.syntax);
    let n = s.tokens.len();
    let mut out = vec![false; n];
    for (i, word) in question.words.iter().enumerate() {
        let (Some(word), Some(head)) = (*word, q.heads[i]) else {
            continue;
        };
        let Some(head_word) = question.words[head] else {
            continue;
        };
        if head_word == word || !modifies(q.relations[i]) || sentence.words.contains(&Some(word)) {
            continue;
        }
        for at in (0..n).filter(|&k| sentence.words[k] == Some(head_word)) {
            for d in (0..n).filter(|&d| s.heads[d] == Some(at)) {
                if sentence.words[d].is_none()
                    && modifies(s.relations[d])
                    && same_kind(q.tags[i], s.tags[d])
                    && !same_word(question.written(i), sentence.written(d))
                {
                    out[d] = true;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Syntax;

    /// The contrasting words of `sentence` for `question`, words meeting each other when they
    /// are written the same (lower case).
    fn contrasting(question: &str, sentence: &str) -> Vec<String> {
        let syntax = Syntax::shipped();
        let (q, s) = (syntax.analyse(question), syntax.analyse(sentence));
        let q_words: Vec<String> = q
            .tokens
            .iter()
            .map(|r| question[r.clone()].to_lowercase())
            .collect();
        let asked: Vec<Option<usize>> = (0..q_words.len()).map(Some).collect();
        let met: Vec<Option<usize>> = s
            .tokens
            .iter()
            .map(|r| {
                let w = sentence[r.clone()].to_lowercase();
                q_words.iter().position(|q| *q == w)
            })
            .collect();
        let question_side = Side {
            text: question,
            syntax: &q,
            words: &asked,
        };
        let sentence_side = Side {
            text: sentence,
            syntax: &s,
            words: &met,
        };
        contrasts(&question_side, &sentence_side)
            .iter()
            .enumerate()
            .filter(|(_, c)| **c)
            .map(|(k, _)| sentence[s.tokens[k].clone()].to_string())
            .collect()
    }

    #[test]
    fn another_word_of_the_same_kind_where_the_question_has_one_contrasts() {
        assert_eq!(
            contrasting(
                "When was the old parliament convened?",
                "The current parliament was convened in 1999."
            ),
            ["current"]
        );
        assert_eq!(
            contrasting(
                "Who opened the Harbour Street library?",
                "The Mill Lane library was opened by the mayor."
            ),
            ["Mill", "Lane"]
        );
    }

    #[test]
    fn the_question_word_in_the_sentence_or_no_rival_is_no_contrast() {
        // The sentence has the question's modifier, beside another one.
        assert!(contrasting(
            "When was the old parliament convened?",
            "The old Scottish parliament was convened in 1999."
        )
        .is_empty());
        // Nothing stands in the modifier's place.
        assert!(contrasting(
            "When was the old parliament convened?",
            "The parliament was convened in 1999."
        )
        .is_empty());
        // The head is not in the sentence.
        assert!(contrasting(
            "When was the old parliament convened?",
            "The current assembly was convened in 1999."
        )
        .is_empty());
        // A word of another kind ("The Mill Lane library" for "the old library") or the same
        // word written another way ("Victorian" for "Victoria") is no rival.
        assert!(contrasting(
            "Who opened the old library?",
            "The Mill Lane library was opened by the mayor."
        )
        .is_empty());
        assert!(contrasting(
            "When did the Victoria plants close?",
            "The Victorian plants closed in 2016."
        )
        .is_empty());
    }
}
