//! Words of a sentence that stand where the question has another word: the question asks about
//! "the *autumn* plant sale" and the sentence speaks of "the *spring* plant sale", or about "the
//! work of *Galileo*" where the sentence says "the work of *Isaac Newton*". Such a sentence is
//! about a neighbour of what was asked, and its answer is not the answer: questions the posts do
//! not answer are often an answerable one with one detail swapped (SQuAD's unanswerable
//! questions are written so on purpose). The confidence and answerability models read how many
//! contrasting words the best candidate's sentence holds and whether the candidate holds one.
//!
//! The other swap is a negation: "what part of the immune system directly attacks microbes?"
//! over "natural killer cells, which do not directly attack invading microbes", or "when was the
//! charter not adopted?" over "the charter was adopted in 1989" ([`negation_differs`]).

use crate::lexicon::english::NEGATIONS;
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
    /// The question words that the sentence's post title or section heading holds: a sentence
    /// is about what its heading names without naming it again (none for the question).
    pub heading: &'a [usize],
}

impl Side<'_> {
    /// Token `k` as written.
    fn written(&self, k: usize) -> &str {
        &self.text[self.syntax.tokens[k].clone()]
    }

    /// Whether it holds question word `word`, itself or under its heading.
    fn holds(&self, word: usize) -> bool {
        self.words.contains(&Some(word)) || self.heading.contains(&word)
    }

    /// Each token's dependents.
    fn dependents(&self) -> Vec<Vec<usize>> {
        let mut out = vec![Vec::new(); self.syntax.tokens.len()];
        for (d, head) in self.syntax.heads.iter().enumerate() {
            if let Some(h) = head {
                out[*h].push(d);
            }
        }
        out
    }

    /// Whether a negation ("not", "n't", "never", "no") hangs from token `k`.
    fn negates(&self, k: usize, dependents: &[Vec<usize>]) -> bool {
        dependents[k].iter().any(|&d| {
            let word = self.written(d).to_lowercase();
            NEGATIONS.contains(&word.as_str()) || word.ends_with("n't") || word.ends_with("n’t")
        })
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

/// The most letters by which a word may run on from another and still be the same word written
/// another way ("Victoria" and "Victorian", "cydippid" and "Cydippids", "church" and
/// "churches"; not "King" and "Kingston").
const SAME_WORD_ENDING: usize = 3;

/// Whether two words are one written two ways: the same up to case and a possessive, or one the
/// other with a short ending (at least four letters in common).
fn same_word(a: &str, b: &str) -> bool {
    let plain = |w: &str| {
        let w = w.to_lowercase();
        w.strip_suffix("'s")
            .or_else(|| w.strip_suffix("’s"))
            .unwrap_or(&w)
            .to_string()
    };
    let (a, b) = (plain(a), plain(b));
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let (short_letters, long_letters) = (short.chars().count(), long.chars().count());
    short == long
        || short_letters >= 4
            && long.starts_with(&short)
            && long_letters - short_letters <= SAME_WORD_ENDING
}

/// For each token of `sentence`, whether it contrasts with a word of `question`: the question
/// word, which the sentence does not hold (nor its heading), modifies a word the sentence has,
/// and there that word is modified by this word, of the same kind, which the question does not
/// have ("current" for "the old parliament").
pub fn contrasts(question: &Side, sentence: &Side) -> Vec<bool> {
    let (q, s) = (question.syntax, sentence.syntax);
    let n = s.tokens.len();
    let mut out = vec![false; n];
    let dependents = sentence.dependents();
    for (i, word) in question.words.iter().enumerate() {
        let (Some(word), Some(head)) = (*word, q.heads[i]) else {
            continue;
        };
        let Some(head_word) = question.words[head] else {
            continue;
        };
        if head_word == word || !modifies(q.relations[i]) || sentence.holds(word) {
            continue;
        }
        for at in (0..n).filter(|&k| sentence.words[k] == Some(head_word)) {
            for &d in &dependents[at] {
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

/// Whether a word of the question that the sentence has as a verb or an adjective is negated in
/// one of them and not in the other ("does not attack" for "attacks", "was adopted" for "was not
/// adopted"). The question's word may be tagged otherwise: questions are tagged less surely than
/// statements ("what cells directly *attack* microbes" reads as a noun phrase).
pub fn negation_differs(question: &Side, sentence: &Side) -> bool {
    let (q, s) = (question.syntax, sentence.syntax);
    let predicate = |tag: Tag| matches!(tag, Tag::Verb | Tag::Adj | Tag::Aux);
    let (q_dependents, s_dependents) = (question.dependents(), sentence.dependents());
    (0..q.tokens.len()).any(|i| {
        let Some(word) = question.words[i] else {
            return false;
        };
        (0..s.tokens.len()).any(|k| {
            sentence.words[k] == Some(word)
                && predicate(s.tags[k])
                && question.negates(i, &q_dependents) != sentence.negates(k, &s_dependents)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::Syntax;

    /// How `sentence` stands to `question`: its contrasting words and whether a negation
    /// differs. Words meet each other when they are written the same (lower case); `heading`
    /// lists the question's words that the sentence's heading holds.
    fn compared(question: &str, sentence: &str, heading: &[&str]) -> (Vec<String>, bool) {
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
        let heading: Vec<usize> = heading
            .iter()
            .filter_map(|h| q_words.iter().position(|q| q == h))
            .collect();
        let question_side = Side {
            text: question,
            syntax: &q,
            words: &asked,
            heading: &[],
        };
        let sentence_side = Side {
            text: sentence,
            syntax: &s,
            words: &met,
            heading: &heading,
        };
        let words = contrasts(&question_side, &sentence_side)
            .iter()
            .enumerate()
            .filter(|(_, c)| **c)
            .map(|(k, _)| sentence[s.tokens[k].clone()].to_string())
            .collect();
        (words, negation_differs(&question_side, &sentence_side))
    }

    /// The contrasting words of `sentence` for `question`.
    fn contrasting(question: &str, sentence: &str) -> Vec<String> {
        compared(question, sentence, &[]).0
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

    #[test]
    fn a_question_word_under_the_sentence_heading_is_not_swapped() {
        let question = "Who won the top prize of the fair?";
        let sentence = "The top prize of the raffle was won by Jean Pawley.";
        assert_eq!(contrasting(question, sentence), ["raffle"]);
        assert!(compared(question, sentence, &["fair"]).0.is_empty());
    }

    #[test]
    fn only_a_short_ending_makes_two_words_one() {
        assert!(same_word("Victoria", "Victorian"));
        assert!(same_word("cydippid", "Cydippids"));
        assert!(same_word("church", "churches"));
        assert!(same_word("Warden’s", "warden"));
        assert!(!same_word("King", "Kingston"));
        assert!(!same_word("top", "topmost"));
    }

    #[test]
    fn a_negation_in_one_and_not_the_other_differs() {
        let negated = |question: &str, sentence: &str| compared(question, sentence, &[]).1;
        assert!(negated(
            "What cells directly attack microbes?",
            "Killer cells do not directly attack microbes."
        ));
        assert!(negated(
            "When was the charter not adopted?",
            "The charter was adopted in 1989."
        ));
        assert!(!negated(
            "When was the charter adopted?",
            "The charter was adopted in 1989."
        ));
        assert!(!negated(
            "Why was the charter not adopted?",
            "The charter was not adopted because two states refused."
        ));
    }
}
