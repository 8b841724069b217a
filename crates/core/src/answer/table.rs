//! Table rows: the cell that answers a question naming its column and its row. "How many points
//! do the Red Lions have?" over a league table's row `1 | Red Lions | 9 | 7 | 1 | 1 | +14 | 22`
//! under the head `Pos | Team | P | W | D | L | GD | Pts` is the cell of the column "Pts" (the
//! question's "points", abbreviated) in the row the question names ("Red Lions"). A row alone
//! says nothing of what its figures are, and the ranker, which reads sentences, cannot tell one
//! of its numbers from another; the head can. A column is named, most strongly first, by its
//! words ("Points"), by an abbreviation of the question's words ("Pts" of "points", "GD" of "goal
//! difference"), by some of its words ("Amt raised (£)" of "how much did it raise?"), for a
//! question after a figure by a word's initial ("W" of "won"), by what the question asks for
//! ("when" names a "Date" column, "how much" a "Price", "how many" a "Qty"), and in a table of
//! two columns, the second holds the values ("Max books on loan | 12"). The answer is the cell's
//! text without the emphasis around it, a byte range of the row, so it is verbatim like any
//! other.

use std::ops::Range;

use crate::analysis;
use crate::lexicon::english::{
    AMOUNT_COLUMNS, COUNT_COLUMNS, MEASURE_UNITS, PERSON_COLUMNS, PLACE_COLUMNS, TIME_COLUMNS,
};
use crate::question::Expect;

/// A content word of the question.
pub struct Word<'a> {
    /// As written, normalised (lower case).
    pub written: &'a str,
    /// The index terms that stand for it (its stem, synonyms, corrections).
    pub terms: Vec<&'a str>,
    /// Written as a name ("Red", "2023"): a name the row does not hold means another row.
    pub name: bool,
}

/// How a question names a column, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Naming {
    /// The second of a table of two columns, its values, when nothing else is named: "how many
    /// books can I borrow?" over `Max books on loan | 12`.
    Value,
    /// By what the question asks for: a "when" question names a "Date" column.
    Kind,
    /// A single letter, the initial of a question word ("W" of "won").
    Initial,
    /// Some of its words are question words ("Amt raised" of "how much did it raise?").
    SomeWords,
    /// An abbreviation of a question word ("Pts" of "points") or the initials of words in a row
    /// ("GD" of "goal difference").
    Abbreviation,
    /// All its words are question words ("Points", "Goal difference").
    Words,
}

/// How many of the question's words may be neither in the row, nor in its headings, nor name
/// a column: "how many games did Albion win?" names no column "games", but "how many points
/// did the Red Lions have last season?" asks about another table than this season's.
const MAX_STRAY_WORDS: usize = 1;

/// Where the question's words are found around a table row.
pub struct Found<'a> {
    /// The byte ranges in the row of the question's words, each with the index of its word.
    pub in_row: &'a [(Range<usize>, usize)],
    /// The indexes of the words that the row's post title or section heading holds.
    pub in_headings: &'a [usize],
    /// The indexes of the words that sentences ranked above the row hold: a word the row does
    /// not say, said there, means the question is about them ("how many points were Dynamo
    /// deducted?" over a sentence saying so and Dynamo's row in the table).
    pub above: &'a [usize],
}

/// The byte range in `row` of the cell answering the question whose content words are `words`
/// and which expects `expect`, when the question names one column whose cell fits what it asks
/// for, names the row by the words of another cell, and says little else
/// ([`MAX_STRAY_WORDS`]). A column the question names as a condition ("which team has 12
/// *points*?") must hold what the question says there, else the row is not the one asked
/// about. `columns` names the columns the row's text spans
/// ([`crate::ingest::Passage::columns`]).
pub fn answering_cell(
    row: &str,
    columns: &[String],
    words: &[Word],
    found: &Found,
    expect: &Expect,
) -> Option<Range<usize>> {
    let matched = found.in_row;
    let cells = cells(row);
    let n = cells.len().min(columns.len());
    if n < 2 {
        return None;
    }
    let cell_of = |at: &Range<usize>| {
        cells
            .iter()
            .position(|c| c.start <= at.start && at.end <= c.end)
    };
    // The cells each question word is in; a cell repeating its column's name ("Room 4" under
    // "Room") does not say it.
    let mut said_in: Vec<Vec<usize>> = vec![Vec::new(); words.len()];
    for (at, w) in matched {
        if let Some(c) = cell_of(at) {
            let repeats_name = c < n
                && analysis::terms(&columns[c])
                    .iter()
                    .any(|t| words[*w].terms.contains(&&*t.text));
            if !repeats_name && !said_in[*w].contains(&c) {
                said_in[*w].push(c);
            }
        }
    }
    // A cell holding a question word that no other cell holds is what the question says, not
    // what it asks ("which team has 22 points?": the points are given). A word in several
    // cells ("quarry" of "Old Quarry" and "Quarry Lane") leaves them all open.
    let given = |c: usize| said_in.iter().any(|cells| cells == &[c]);
    let figure = super::needs_number(expect);
    // The words the row says name it, not a column: "lions" of "Red Lions" is no "L".
    let free: Vec<(usize, &Word)> = words
        .iter()
        .enumerate()
        .filter(|&(w, _)| said_in[w].is_empty())
        .collect();
    // Every column's naming, also of those the row has no cell for: "how much is netting for
    // members?" names the members' price, which netting's short row lacks, so the price it
    // has is no answer.
    let mut named: Vec<Option<(Naming, Vec<usize>)>> = columns
        .iter()
        .map(|name| {
            naming(name, &free, expect).filter(|(how, _)| *how != Naming::Initial || figure)
        })
        .collect();
    // A value column named by a number ("2024") holds the values of that year or version only.
    if let [_, value @ None] = named.as_mut_slice() {
        if !has_digit(&columns[1]) {
            *value = Some((Naming::Value, Vec::new()));
        }
    }
    let open = |c: usize| named[c].is_some() && !(c < n && given(c));
    let strongest = (0..columns.len())
        .filter(|&c| open(c))
        .filter_map(|c| named[c].as_ref().map(|(how, _)| *how))
        .max()?;
    // Of the columns named most strongly, those whose cell fits what is asked.
    let mut asked = (0..n).filter(|&c| {
        open(c)
            && named[c].as_ref().is_some_and(|(how, _)| *how == strongest)
            && fits(&row[cells[c].clone()], words, expect)
    });
    let column = asked.next()?;
    if asked.next().is_some() {
        return None;
    }
    let naming_words = &named[column].as_ref()?.1;
    // Another column the question names by other words is a condition the row must meet.
    let condition_unmet = (0..columns.len()).any(|c| {
        c != column
            && named[c].as_ref().is_some_and(|(how, by)| {
                *how >= Naming::Abbreviation && by.iter().all(|w| !naming_words.contains(w))
            })
            && !said_in.iter().any(|cells| cells.contains(&c))
    });
    let row_named = (0..words.len())
        .any(|w| !naming_words.contains(&w) && said_in[w].iter().any(|&c| c != column));
    // A name the row does not hold ("in 2023", "Albion" for another team's row) points at
    // another row or another table, and so do several other words, or one that a sentence
    // ranked above the row holds.
    let stray: Vec<usize> = (0..words.len())
        .filter(|w| {
            !naming_words.contains(w) && said_in[*w].is_empty() && !found.in_headings.contains(w)
        })
        .collect();
    let strays = stray.len() > MAX_STRAY_WORDS
        || stray
            .iter()
            .any(|&w| words[w].name || found.above.contains(&w));
    (row_named && !condition_unmet && !strays).then(|| without_emphasis(row, cells[column].clone()))
}

/// Whether the text of a cell can answer a question of `words` expecting `expect`: a figure for
/// a count (not a measure, "3 weeks", unless the question names its unit), an amount or a
/// share; for "who", words and no e-mail address; anything for the rest.
fn fits(cell: &str, words: &[Word], expect: &Expect) -> bool {
    if super::needs_number(expect) {
        let plain: Vec<String> = analysis::plain_words(cell).map(str::to_lowercase).collect();
        let figure = plain.iter().position(|w| has_digit(w) || is_number_word(w));
        let unit = figure.and_then(|f| plain.get(f + 1));
        let measure = *expect == Expect::Count
            && unit.is_some_and(|u| {
                MEASURE_UNITS.contains(&u.as_str()) && !words.iter().any(|w| w.written == *u)
            });
        (has_digit(cell) || figure.is_some()) && !measure
    } else if *expect == Expect::Person {
        cell.chars().any(char::is_alphabetic) && !cell.contains('@')
    } else {
        cell.chars().any(char::is_alphanumeric)
    }
}

/// The bytes `cell` of `row` without the emphasis around them ("19,165" of "**19,165**").
fn without_emphasis(row: &str, cell: Range<usize>) -> Range<usize> {
    let text = &row[cell.clone()];
    let inner = text.trim_start_matches(['*', '_']);
    let lead = text.len() - inner.len();
    let inner = inner.trim_end_matches(['*', '_']);
    if inner.is_empty() {
        return cell;
    }
    cell.start + lead..cell.start + lead + inner.len()
}

/// Whether `word` holds a digit.
fn has_digit(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_digit())
}

/// Whether `word` is a number written in words ("seven").
fn is_number_word(word: &str) -> bool {
    crate::lexicon::english::is_number_word(&word.to_lowercase())
}

/// The cells of a Markdown table row's text: split at each `|` not escaped with a backslash,
/// each trimmed of white space.
fn cells(row: &str) -> Vec<Range<usize>> {
    let bytes = row.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'|' && (i == 0 || bytes[i - 1] != b'\\') {
            out.push(start..i);
            start = i + 1;
        }
    }
    out.push(start..row.len());
    out.into_iter()
        .map(|r| {
            let cell = &row[r.clone()];
            let lead = cell.len() - cell.trim_start().len();
            // An empty cell is empty where it starts.
            let end = r.start + cell.trim_end().len().max(lead);
            r.start + lead..end
        })
        .collect()
}

/// How the question's `words` (each with its index among the question's) name the column
/// `name`, and the indexes of the words that name it.
fn naming(name: &str, words: &[(usize, &Word)], expect: &Expect) -> Option<(Naming, Vec<usize>)> {
    let name = without_unit(name);
    let terms = analysis::terms(name);
    let by: Vec<Option<usize>> = terms
        .iter()
        .map(|t| {
            words
                .iter()
                .find(|(_, w)| w.terms.contains(&&*t.text))
                .map(|&(i, _)| i)
        })
        .collect();
    let said: Vec<usize> = by.iter().flatten().copied().collect();
    if !said.is_empty() {
        let how = if said.len() == by.len() {
            Naming::Words
        } else {
            Naming::SomeWords
        };
        return Some((how, said));
    }
    let letters = name.trim().trim_end_matches('.').to_lowercase();
    if !letters.is_empty() && letters.chars().all(|c| c.is_ascii_alphabetic()) {
        if let Some(by) = abbreviated(&letters, words) {
            return Some((Naming::Abbreviation, by));
        }
        let initial = words.iter().find(|(_, w)| w.written.starts_with(&letters));
        if let (1, Some(&(by, _))) = (letters.len(), initial) {
            return Some((Naming::Initial, vec![by]));
        }
    }
    names_kind(name, expect).then(|| (Naming::Kind, Vec::new()))
}

/// A column's name without the unit in brackets after it ("Time" of "Time (min)").
fn without_unit(name: &str) -> &str {
    let name = name.trim();
    match name.rfind('(') {
        Some(at) if at > 0 && name.ends_with(')') => name[..at].trim_end(),
        _ => name,
    }
}

/// The words that the letters of a column's name abbreviate: one word that they begin ("pos" of
/// "position"), or whose first letter and then consonants they are ("pts" of "points", "qty" of
/// "quantity"; not "pos" of "points"), or words in a row whose initials they are ("gd" of "goal
/// difference").
fn abbreviated(letters: &str, words: &[(usize, &Word)]) -> Option<Vec<usize>> {
    if letters.len() < 2 {
        return None;
    }
    let shortens = |word: &str| {
        let consonants = word.chars().skip(1).filter(|c| !"aeiou".contains(*c));
        let mut rest = consonants;
        word.len() > letters.len()
            && (word.starts_with(letters)
                || word.starts_with(&letters[..1])
                    && letters.chars().skip(1).all(|l| rest.any(|c| c == l)))
    };
    if let Some(&(w, _)) = words.iter().find(|(_, w)| shortens(w.written)) {
        return Some(vec![w]);
    }
    // Initials of words in a row, as the question writes them.
    let k = letters.len();
    (0..words.len().saturating_sub(k - 1)).find_map(|first| {
        let run = &words[first..first + k];
        let in_a_row = run.windows(2).all(|pair| pair[1].0 == pair[0].0 + 1);
        let initials: String = run
            .iter()
            .filter_map(|(_, w)| w.written.chars().next())
            .collect();
        (in_a_row && initials == letters).then(|| run.iter().map(|&(i, _)| i).collect())
    })
}

/// Whether the question asks for the kind of thing the column `name` holds.
fn names_kind(name: &str, expect: &Expect) -> bool {
    let names = match expect {
        Expect::Date => TIME_COLUMNS,
        Expect::Place => PLACE_COLUMNS,
        Expect::Person => PERSON_COLUMNS,
        Expect::Amount => AMOUNT_COLUMNS,
        Expect::Count => COUNT_COLUMNS,
        _ => return false,
    };
    let name = without_unit(name).trim_end_matches('.').to_lowercase();
    names.contains(&name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cell of `row` under `columns` that the question of content words `words` (those
    /// starting with an upper-case letter or a digit are names) names, when the row holds the
    /// words `in_row` and its headings `in_headings`.
    fn cell<'a>(
        row: &'a str,
        columns: &[&str],
        words: &[&str],
        in_headings: &[&str],
        expect: Expect,
    ) -> Option<&'a str> {
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let stems: Vec<String> = lower.iter().map(|w| analysis::stem(w)).collect();
        let words_asked: Vec<Word> = (0..words.len())
            .map(|i| Word {
                written: &lower[i],
                terms: vec![&stems[i]],
                name: words[i].starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()),
            })
            .collect();
        let in_row: Vec<(Range<usize>, usize)> = analysis::terms(row)
            .iter()
            .filter_map(|t| {
                let w = stems.iter().position(|s| *s == *t.text)?;
                Some((t.range.clone(), w))
            })
            .collect();
        let in_headings: Vec<usize> = in_headings
            .iter()
            .filter_map(|h| lower.iter().position(|w| w == h))
            .collect();
        let found = Found {
            in_row: &in_row,
            in_headings: &in_headings,
            above: &[],
        };
        let columns: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
        answering_cell(row, &columns, &words_asked, &found, &expect).map(|r| &row[r])
    }

    const LEAGUE: &[&str] = &["Team", "Pld", "W", "L", "GD", "Pts"];
    const ROW: &str = "Greenbank B | 12 | 4 | 8 | -6 | 14";

    #[test]
    fn cells_split_at_pipes_not_escaped() {
        let row = r"a \| b |  | c ";
        let cells: Vec<&str> = cells(row).into_iter().map(|r| &row[r]).collect();
        assert_eq!(cells, vec![r"a \| b", "", "c"]);
    }

    #[test]
    fn a_column_is_named_by_its_words_an_abbreviation_or_an_initial() {
        let count = || Expect::Count;
        assert_eq!(
            cell(ROW, LEAGUE, &["points", "greenbank", "b"], &[], count()),
            Some("14")
        );
        assert_eq!(
            cell(
                ROW,
                LEAGUE,
                &["goal", "difference", "greenbank", "b"],
                &[],
                count()
            ),
            Some("-6")
        );
        assert_eq!(
            cell(ROW, LEAGUE, &["gd", "greenbank", "b"], &[], count()),
            Some("-6")
        );
        // "lose" is "L"; "greenbank" names the row, so its "g" is no initial.
        assert_eq!(
            cell(
                ROW,
                LEAGUE,
                &["games", "greenbank", "b", "lose"],
                &[],
                count()
            ),
            Some("8")
        );
        // A question after no figure takes no initial.
        assert_eq!(
            cell(
                ROW,
                LEAGUE,
                &["greenbank", "b", "lose"],
                &[],
                Expect::Phrase
            ),
            None
        );
        // "Pos" begins "position"; "pos" is no consonant shortening of "points".
        let ranked = ["Pos", "Team", "Pts"];
        let row = "3 | Greenbank B | 14";
        assert_eq!(
            cell(row, &ranked, &["position", "greenbank"], &[], count()),
            Some("3")
        );
        assert_eq!(
            cell(row, &ranked, &["points", "greenbank"], &[], count()),
            Some("14")
        );
    }

    #[test]
    fn the_row_must_be_named_and_the_question_say_little_else() {
        let count = || Expect::Count;
        // No cell names the row.
        assert_eq!(
            cell(ROW, LEAGUE, &["points", "league", "leaders"], &[], count()),
            None
        );
        // A name the row does not hold, or several other words, point elsewhere.
        assert_eq!(
            cell(
                ROW,
                LEAGUE,
                &["points", "greenbank", "b", "2023"],
                &[],
                count()
            ),
            None
        );
        assert_eq!(
            cell(
                ROW,
                LEAGUE,
                &["points", "greenbank", "b", "last", "season"],
                &[],
                count()
            ),
            None
        );
        // A word a sentence ranked above the row holds points there.
        let lower = ["points", "greenbank", "b", "deducted"];
        let stems: Vec<String> = lower.iter().map(|w| analysis::stem(w)).collect();
        let words: Vec<Word> = (0..4)
            .map(|i| Word {
                written: lower[i],
                terms: vec![&stems[i]],
                name: false,
            })
            .collect();
        let in_row = [(0..9, 1), (10..11, 2)];
        let columns: Vec<String> = LEAGUE.iter().map(|c| c.to_string()).collect();
        for (above, expected) in [(vec![], Some(32..34)), (vec![3], None)] {
            let found = Found {
                in_row: &in_row,
                in_headings: &[],
                above: &above,
            };
            assert_eq!(
                answering_cell(ROW, &columns, &words, &found, &Expect::Count),
                expected
            );
        }
        // Words of the headings are not stray.
        assert_eq!(
            cell(
                ROW,
                LEAGUE,
                &["points", "greenbank", "b", "bowls", "league"],
                &["bowls", "league"],
                count()
            ),
            Some("14")
        );
        // Two columns named alike leave the choice open.
        assert_eq!(
            cell(
                ROW,
                &["Team", "Won", "Wins"],
                &["won", "greenbank"],
                &[],
                count()
            ),
            None
        );
    }

    #[test]
    fn a_reverse_look_up_gives_the_row_naming_cell_when_the_row_meets_the_condition() {
        assert_eq!(
            cell(ROW, LEAGUE, &["team", "14", "points"], &[], Expect::Name),
            Some("Greenbank B")
        );
        // "12" is this row's games played, not its points.
        assert_eq!(
            cell(ROW, LEAGUE, &["team", "12", "points"], &[], Expect::Name),
            None
        );
    }

    #[test]
    fn a_cell_that_does_not_fit_the_question_is_not_its_answer() {
        let columns = ["Day", "Volunteer", "Contact"];
        let row = "Saturday | Ana Lopes | 07700 900456";
        let who = |row| cell(row, &columns, &["saturday"], &[], Expect::Person);
        // The contact is a number, so only the volunteer's column is a person's.
        assert_eq!(who(row), Some("Ana Lopes"));
        assert_eq!(who("Saturday | | ana@example.org"), None);
    }

    #[test]
    fn a_cell_repeating_its_column_name_does_not_say_the_word() {
        let columns = ["Class", "Day", "Room"];
        let row = "Chair exercise | Thursday | Room 4";
        let room = cell(
            row,
            &columns,
            &["room", "chair", "exercise"],
            &[],
            Expect::Phrase,
        );
        assert_eq!(room, Some("Room 4"));
        // "When" names both the day and the time: no choice.
        let columns = ["Class", "Day", "Time"];
        let row = "Yoga | Monday | 18:30";
        assert_eq!(cell(row, &columns, &["yoga"], &[], Expect::Date), None);
    }

    #[test]
    fn a_table_of_two_columns_answers_with_its_values() {
        let columns = ["Item", "Charge"];
        let ask = |row, words: &[&str]| cell(row, &columns, words, &[], Expect::Count);
        assert_eq!(
            ask("Max books on loan | 12", &["books", "borrow"]),
            Some("12")
        );
        // A measure counts nothing unless the question names its unit.
        assert_eq!(
            ask("Book loan period | 3 weeks", &["books", "borrow"]),
            None
        );
        let weeks = [Word {
            written: "weeks",
            terms: vec!["week"],
            name: false,
        }];
        assert!(fits("3 weeks", &weeks, &Expect::Count));
        assert!(!fits("3 weeks", &weeks[..0], &Expect::Count));
        // Values under a year are of that year only.
        let last_year = ["", "2024"];
        let price = cell(
            "Compost | £6.00",
            &last_year,
            &["compost"],
            &[],
            Expect::Amount,
        );
        assert_eq!(price, None);
    }

    #[test]
    fn a_column_is_named_by_some_of_its_words_or_its_kind_and_emphasis_is_left_out() {
        let columns = ["Event", "Amt raised (£)", "Qty"];
        let row = "**Total** | **19,165** | 4";
        let how_much = cell(row, &columns, &["raised", "total"], &[], Expect::Amount);
        assert_eq!(how_much, Some("19,165"));
        let how_many = cell(row, &columns, &["total"], &[], Expect::Count);
        assert_eq!(how_many, Some("4"));
    }

    #[test]
    fn a_word_in_two_cells_leaves_both_open() {
        let columns = ["Opponent", "Venue"];
        let row = "Old Quarry | Quarry Lane";
        let place = cell(
            row,
            &columns,
            &["old", "quarry", "game"],
            &[],
            Expect::Place,
        );
        assert_eq!(place, Some("Quarry Lane"));
    }

    #[test]
    fn a_when_where_or_who_question_names_a_column_of_its_kind() {
        let columns = ["Date", "Event", "Venue", "Contact"];
        let row = "Sat 14 June | Seed swap | Main hall | Ann Lee";
        let ask = |expect| cell(row, &columns, &["seed", "swap"], &[], expect);
        assert_eq!(ask(Expect::Date), Some("Sat 14 June"));
        assert_eq!(ask(Expect::Place), Some("Main hall"));
        assert_eq!(ask(Expect::Person), Some("Ann Lee"));
        assert_eq!(ask(Expect::Reason), None);
        let columns = ["Item", "Size", "Price"];
        let row = "Multipurpose compost | 50L | £6.50";
        let how_much = cell(row, &columns, &["compost"], &[], Expect::Amount);
        assert_eq!(how_much, Some("£6.50"));
        // A column named more strongly that the row has no cell for leaves it unanswered.
        let columns = ["Item", "Size", "Price", "Members"];
        let how_much = cell(row, &columns, &["compost", "members"], &[], Expect::Amount);
        assert_eq!(how_much, None);
    }
}
