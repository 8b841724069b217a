//! Sentence syntax for the answer step: an English sentence split into tokens ([`tokens`]),
//! tagged with universal parts of speech ([`tagger`]) and parsed into a dependency tree
//! ([`parser`]). The models are small averaged perceptrons trained on the Universal Dependencies
//! English Web Treebank (Silveira et al., 2014; UD_English-EWT v2.16, CC BY-SA 4.0) by
//! `citebot train syntax` ([`train`]); their files in `models/` are embedded in the binary and
//! read the first time a sentence is analysed.

pub mod conllu;
pub mod parser;
pub mod perceptron;
pub mod tagger;
pub mod tokens;
pub mod train;

use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use crate::error::{Error, Result};
use parser::Parser;
use perceptron::Weights;
pub use tagger::Tag;
use tagger::Tagger;

/// File name of the tagger's model.
pub const TAGGER_FILE: &str = "en-tagger.cbpm";
/// File name of the parser's move model.
pub const PARSER_FILE: &str = "en-parser.cbpm";
/// File name of the parser's relation model.
pub const RELATIONS_FILE: &str = "en-relations.cbpm";

/// The universal dependency relations the parser names (without subtypes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Relation {
    Acl,
    Advcl,
    Advmod,
    Amod,
    Appos,
    Aux,
    Case,
    Cc,
    Ccomp,
    Compound,
    Conj,
    Cop,
    Csubj,
    Det,
    Discourse,
    Expl,
    Fixed,
    Flat,
    Iobj,
    List,
    Mark,
    Nmod,
    Nsubj,
    Nummod,
    Obj,
    Obl,
    Parataxis,
    Punct,
    Root,
    Vocative,
    Xcomp,
    /// Any other relation (dep, goeswith, orphan, reparandum, dislocated, clf).
    Other,
}

impl Relation {
    /// The relation of a universal name ("nsubj").
    pub fn from_name(name: &str) -> Relation {
        use Relation::*;
        match name {
            "acl" => Acl,
            "advcl" => Advcl,
            "advmod" => Advmod,
            "amod" => Amod,
            "appos" => Appos,
            "aux" => Aux,
            "case" => Case,
            "cc" => Cc,
            "ccomp" => Ccomp,
            "compound" => Compound,
            "conj" => Conj,
            "cop" => Cop,
            "csubj" => Csubj,
            "det" => Det,
            "discourse" => Discourse,
            "expl" => Expl,
            "fixed" => Fixed,
            "flat" => Flat,
            "iobj" => Iobj,
            "list" => List,
            "mark" => Mark,
            "nmod" => Nmod,
            "nsubj" => Nsubj,
            "nummod" => Nummod,
            "obj" => Obj,
            "obl" => Obl,
            "parataxis" => Parataxis,
            "punct" => Punct,
            "root" => Root,
            "vocative" => Vocative,
            "xcomp" => Xcomp,
            _ => Other,
        }
    }
}

/// A sentence's tokens, tags and tree.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Byte ranges of the tokens in the sentence.
    pub tokens: Vec<Range<usize>>,
    /// Each token's part of speech.
    pub tags: Vec<Tag>,
    /// Each token's head, `None` for the root.
    pub heads: Vec<Option<usize>>,
    /// Each token's relation to its head.
    pub relations: Vec<Relation>,
}

/// The tagger and the parser.
pub struct Syntax {
    tagger: Tagger,
    parser: Parser,
    /// The parser's relation classes as [`Relation`]s.
    relations: Vec<Relation>,
}

/// The longest sentence parsed, in tokens: longer ones (tables, lists pasted as one line) are
/// tagged but left flat, each token its own root, which keeps analysis linear and cheap.
const MAX_PARSED_TOKENS: usize = 150;

impl Syntax {
    /// The models shipped in the binary, read on first use.
    pub fn shipped() -> &'static Syntax {
        static SHIPPED: OnceLock<Syntax> = OnceLock::new();
        SHIPPED.get_or_init(|| {
            Syntax::from_bytes(
                include_bytes!("../../models/en-tagger.cbpm"),
                include_bytes!("../../models/en-parser.cbpm"),
                include_bytes!("../../models/en-relations.cbpm"),
            )
            .expect("the shipped syntax models are valid (they are tested)")
        })
    }

    /// The models in `dir` (as `citebot train syntax` writes them).
    pub fn from_dir(dir: &Path) -> Result<Syntax> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read(&path).map_err(|source| Error::Io { path, source })
        };
        Syntax::from_bytes(
            &read(TAGGER_FILE)?,
            &read(PARSER_FILE)?,
            &read(RELATIONS_FILE)?,
        )
    }

    fn from_bytes(tagger: &[u8], parser: &[u8], relations: &[u8]) -> Result<Syntax> {
        let tagger = Tagger::new(Weights::from_bytes(tagger, TAGGER_FILE)?)?;
        let parser = Parser::new(
            Weights::from_bytes(parser, PARSER_FILE)?,
            Weights::from_bytes(relations, RELATIONS_FILE)?,
        )?;
        Ok(Syntax::new(tagger, parser))
    }

    fn new(tagger: Tagger, parser: Parser) -> Syntax {
        let relations = parser
            .relations()
            .iter()
            .map(|r| Relation::from_name(r))
            .collect();
        Syntax {
            tagger,
            parser,
            relations,
        }
    }

    /// Tokenises, tags and parses one sentence.
    pub fn analyse(&self, sentence: &str) -> Analysis {
        let tokens = tokens::tokenize(sentence);
        let words: Vec<&str> = tokens.iter().map(|r| &sentence[r.clone()]).collect();
        let tags = self.tagger.tag(&words);
        let (heads, relations) = if words.len() <= MAX_PARSED_TOKENS {
            let tree = self.parser.parse(&words, &tags);
            let relations = tree
                .relations
                .iter()
                .map(|&r| self.relations[r as usize])
                .collect();
            (tree.heads, relations)
        } else {
            (vec![None; words.len()], vec![Relation::Other; words.len()])
        };
        Analysis {
            tokens,
            tags,
            heads,
            relations,
        }
    }

    /// Tags a sentence given as words.
    pub fn tag(&self, words: &[&str]) -> Vec<Tag> {
        self.tagger.tag(words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words, tags and heads of a sentence by the shipped models.
    fn analysed(sentence: &str) -> (Vec<&str>, Analysis) {
        let analysis = Syntax::shipped().analyse(sentence);
        let words = analysis
            .tokens
            .iter()
            .map(|r| &sentence[r.clone()])
            .collect();
        (words, analysis)
    }

    /// The shipped models on sentences in the shipped post's style.
    #[test]
    fn the_shipped_models_tag_and_parse_a_post_sentence() {
        let (words, analysis) =
            analysed("China’s S&T cooperation grew quickly after the Chang’e 6 mission.");
        assert_eq!(
            words,
            [
                "China",
                "’s",
                "S&T",
                "cooperation",
                "grew",
                "quickly",
                "after",
                "the",
                "Chang’e",
                "6",
                "mission",
                "."
            ]
        );
        let at = |word: &str| words.iter().position(|w| *w == word).unwrap();
        let tag = |word: &str| analysis.tags[at(word)];
        assert_eq!(tag("China"), Tag::Propn);
        assert_eq!(tag("grew"), Tag::Verb);
        assert_eq!(tag("quickly"), Tag::Adv);
        assert_eq!(tag("6"), Tag::Num);
        assert_eq!(tag("mission"), Tag::Noun);
        assert_eq!(analysis.heads[at("grew")], None, "the verb is the root");
        assert_eq!(analysis.heads[at("cooperation")], Some(at("grew")));
        assert_eq!(analysis.relations[at("cooperation")], Relation::Nsubj);
        assert_eq!(analysis.heads[at("mission")], Some(at("grew")));
        assert_eq!(analysis.heads[at("6")], Some(at("Chang’e")));

        let (words, analysis) = analysed("The expo was held in the U.S. last year.");
        assert_eq!(words[6], "U.S.");
        assert_eq!(analysis.tags[6], Tag::Propn);

        // The treebank never writes "sixty-seven" as one token; the tagger knows it by "seven".
        let (words, analysis) = analysed("Our studio has sixty-seven members.");
        assert_eq!(words[3], "sixty-seven");
        assert_eq!(analysis.tags[3], Tag::Num);
        assert_eq!(analysis.heads[3], Some(4), "it counts the members");
    }

    #[test]
    fn a_sentence_too_long_to_parse_is_still_tagged() {
        let sentence = "word ".repeat(MAX_PARSED_TOKENS + 1);
        let analysis = Syntax::shipped().analyse(&sentence);
        assert_eq!(analysis.tags.len(), MAX_PARSED_TOKENS + 1);
        assert!(analysis.heads.iter().all(Option::is_none));
    }
}
