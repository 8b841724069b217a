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
//! two columns, the second holds the values ("Max books on loan | 12"). A question that ranks
//! a table ("which event raised the *most*?", "who came *3rd*?") is answered from its rows read
//! whole ([`ranked_row`]): the row at that end of the column it names, or at that place in a
//! column of places. The answer is the cell's text without the emphasis around it, a byte range
//! of the row, so it is verbatim like any other.

use std::ops::Range;

use crate::analysis;
use crate::lexicon;
use crate::lexicon::english::{
    AMOUNT_COLUMNS, COUNT_COLUMNS, DURATION_COLUMNS, DURATION_SUPERLATIVES, LEAST_WORDS,
    MEASURE_UNITS, MONTHS, MOST_WORDS, ORDINAL_WORDS, PERSON_COLUMNS, PLACE_COLUMNS,
    POSITION_COLUMNS, TIME_COLUMNS, TOP_WORDS, WEEKDAYS,
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
    /// The post title, the section heading or the column names of the row or table asked about
    /// hold it.
    pub in_headings: bool,
    /// The question writes it as a verb ("who *came* 3rd?").
    pub verb: bool,
}

/// `words` with [`Word::in_headings`] set for those whose indexes `held` lists: the question's
/// words as seen from one row or table.
pub fn under_headings<'a>(words: &[Word<'a>], held: &[usize]) -> Vec<Word<'a>> {
    words
        .iter()
        .enumerate()
        .map(|(w, word)| Word {
            in_headings: held.contains(&w),
            terms: word.terms.clone(),
            ..*word
        })
        .collect()
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
pub struct WordsFound<'a> {
    /// The byte ranges in the row of the question's words, each with the index of its word.
    pub in_row: &'a [(Range<usize>, usize)],
    /// The indexes of the words that sentences ranked above the row, or other rows of its
    /// table, hold: a word the row does not say, said there, means the question is about them
    /// ("how many points were Dynamo deducted?" over a sentence saying so and Dynamo's row in
    /// the table; "what is the Siren's new health?" over the Siren's row, whose change is to
    /// its range, and the Warden's, whose change is to its health).
    pub elsewhere: &'a [usize],
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
    found: &WordsFound,
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
    // another row or another table, and so do several other words, or one said elsewhere.
    let stray: Vec<usize> = (0..words.len())
        .filter(|w| !naming_words.contains(w) && said_in[*w].is_empty() && !words[*w].in_headings)
        .collect();
    let strays = stray.len() > MAX_STRAY_WORDS
        || stray
            .iter()
            .any(|&w| words[w].name || found.elsewhere.contains(&w));
    (row_named && !condition_unmet && !strays).then(|| without_emphasis(row, cells[column].clone()))
}

/// Whether the text of a cell can answer a question of `words` expecting `expect`: a figure for
/// a count (not a measure, "3 weeks", unless the question names its unit), an amount or a
/// share; for "who", words and no e-mail address; for "when", a figure or a month's or a day's
/// name; anything for the rest.
fn fits(cell: &str, words: &[Word], expect: &Expect) -> bool {
    if super::needs_number(expect) {
        let plain: Vec<String> = analysis::plain_words(cell).map(str::to_lowercase).collect();
        let figure = plain
            .iter()
            .position(|w| has_digit(w) || lexicon::english::is_number_word(w));
        let unit = figure.and_then(|f| plain.get(f + 1));
        let measure = *expect == Expect::Count
            && unit.is_some_and(|u| {
                MEASURE_UNITS.contains(&u.as_str()) && !words.iter().any(|w| w.written == *u)
            });
        figure.is_some() && !measure
    } else if *expect == Expect::Person {
        cell.chars().any(char::is_alphabetic) && !cell.contains('@')
    } else if *expect == Expect::Date {
        has_digit(cell)
            || analysis::plain_words(cell).any(|w| {
                let w = w.to_lowercase();
                MONTHS.contains(&w.as_str()) || WEEKDAYS.contains(&w.as_str())
            })
    } else {
        cell.chars().any(char::is_alphanumeric)
    }
}

/// What a question asks of a whole table rather than of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ranking {
    /// The row with the most of a figure ("which event raised the *most*?").
    Most,
    /// The row with the least ("who ran the *fastest*?": the least time).
    Least,
    /// The row at a place in a column of places ("who came *3rd*?", "who is *top*?").
    Place(u64),
}

/// What `question` asks of a whole table, if anything: a superlative ([`MOST_WORDS`],
/// [`LEAST_WORDS`]), a place ("3rd", "third") or the first place ([`TOP_WORDS`]).
pub fn ranking(question: &str) -> Option<Ranking> {
    analysis::plain_words(question).find_map(|word| {
        let word = word.to_lowercase();
        if MOST_WORDS.contains(&word.as_str()) {
            Some(Ranking::Most)
        } else if LEAST_WORDS.contains(&word.as_str()) {
            Some(Ranking::Least)
        } else if TOP_WORDS.contains(&word.as_str()) {
            Some(Ranking::Place(1))
        } else {
            ordinal(&word).map(Ranking::Place)
        }
    })
}

/// The number an ordinal stands for: "3rd", "21st", "third".
fn ordinal(word: &str) -> Option<u64> {
    if let Some(k) = ORDINAL_WORDS.iter().position(|w| *w == word) {
        return Some(k as u64 + 1);
    }
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    let n: u64 = digits.parse().ok()?;
    let expected = match (n % 100, n % 10) {
        (11..=13, _) => "th",
        (_, 1) => "st",
        (_, 2) => "nd",
        (_, 3) => "rd",
        _ => "th",
    };
    (suffix == expected).then_some(n)
}

/// The share of a table's rows whose cells in a column must be figures for the column to be
/// ranked by them (a few cells may be empty or say "n/a").
const FIGURE_COLUMN_SHARE: f32 = 0.5;

/// The most rows of one table that a question about the whole table reads.
pub const MAX_TABLE_ROWS: usize = 200;

/// The row of a table (`rows`, all under `columns`) that a question ranking the table asks for,
/// and the byte range in it of the cell that answers: the cell of the column the question names
/// by other words or by the kind asked ("which *event*", a person's column for "who"), when it
/// fits what is asked; when no column is named, the first holding no figures (but never for
/// "when" or "where"). The figure ranked is the one of
/// the column the question names ("raised" for "Amt raised (£)"); a place is the figure of a
/// column of places ([`POSITION_COLUMNS`]). A tie, a figure that no column holds, or a
/// question that names no figure to rank leaves the table to the ranker. Rows that add the
/// others up ("Total") are no rows to rank.
pub fn ranked_row(
    columns: &[String],
    rows: &[TableRow],
    words: &[Word],
    ranking: Ranking,
    expect: &Expect,
) -> Option<Ranked> {
    let all: Vec<(usize, &Word)> = words.iter().enumerate().collect();
    // Every word of the question but its verbs and those that rank is in the table or its
    // headings, or names a column ("points" of "Pts"): "who is top of the league?" is not about
    // a race's results.
    let ranks = |w: &Word| {
        let word = w.written;
        [MOST_WORDS, LEAST_WORDS, TOP_WORDS, DURATION_SUPERLATIVES]
            .iter()
            .any(|list| list.contains(&word))
            || ordinal(word).is_some()
    };
    let names_column = |i: usize| {
        columns.iter().any(|name| {
            naming(name, &all[i..=i], &Expect::Phrase)
                .is_some_and(|(how, _)| how >= Naming::Abbreviation)
        })
    };
    let in_rows = |i: usize| rows.iter().any(|row| row.holds.contains(&i));
    let stray = (0..words.len()).any(|i| {
        let w = &words[i];
        !w.in_headings && !in_rows(i) && !w.verb && !ranks(w) && !names_column(i)
    });
    if stray {
        return None;
    }
    // A word that some rows hold and the headings do not picks the rows ranked: "who was the
    // fastest u20?" ranks the rows of the under-20s.
    let picks: Vec<usize> = (0..words.len())
        .filter(|&i| in_rows(i) && !words[i].in_headings && !names_column(i))
        .collect();
    let picked = |row: &TableRow| picks.iter().all(|i| row.holds.contains(i));
    let figures = |c: usize| {
        let with_figures = rows
            .iter()
            .filter(|row| figure_of(row.cell_text(c)).is_some())
            .count();
        with_figures as f32 >= FIGURE_COLUMN_SHARE * rows.len() as f32
    };
    // The column ranked, and the question words that name it.
    let (value, by) = match ranking {
        Ranking::Place(_) => {
            let c = columns.iter().position(|name| {
                POSITION_COLUMNS.contains(
                    &without_unit(name)
                        .trim_end_matches('.')
                        .to_lowercase()
                        .as_str(),
                )
            })?;
            (c, Vec::new())
        }
        Ranking::Most | Ranking::Least => {
            // "Longest", "fastest" rank the one column of durations, whatever else the question
            // names ("which item took the longest to fix?" is no count of items fixed).
            let of_time = words
                .iter()
                .any(|w| DURATION_SUPERLATIVES.contains(&w.written));
            let durations: Vec<usize> = (0..columns.len())
                .filter(|&c| of_time && figures(c) && names_duration(&columns[c]))
                .collect();
            let named: Vec<(usize, Naming, Vec<usize>)> = match durations[..] {
                [c] => vec![(c, Naming::Words, Vec::new())],
                _ => (0..columns.len())
                    .filter_map(|c| {
                        let (how, by) = naming(&columns[c], &all, &Expect::Phrase)?;
                        (how >= Naming::SomeWords && figures(c)).then_some((c, how, by))
                    })
                    .collect(),
            };
            let strongest = named.iter().map(|(_, how, _)| *how).max()?;
            let mut at = named.into_iter().filter(|(_, how, _)| *how == strongest);
            let (c, _, by) = at.next()?;
            if at.next().is_some() {
                return None;
            }
            (c, by)
        }
    };
    let others: Vec<(usize, &Word)> = all
        .iter()
        .copied()
        .filter(|(w, _)| !by.contains(w))
        .collect();
    let ranked: Vec<(usize, f64)> = rows
        .iter()
        .enumerate()
        .filter(|(_, row)| picked(row) && !adds_up(row))
        .filter_map(|(i, row)| Some((i, figure_of(row.cell_text(value))?)))
        .collect();
    let chosen: Vec<usize> = match ranking {
        Ranking::Place(k) => ranked
            .iter()
            .filter(|(_, x)| *x == k as f64)
            .map(|(i, _)| *i)
            .collect(),
        Ranking::Most | Ranking::Least => {
            let best = ranked
                .iter()
                .map(|(_, x)| *x)
                .fold(None, |b: Option<f64>, x| {
                    Some(match (b, ranking) {
                        (None, _) => x,
                        (Some(b), Ranking::Most) => b.max(x),
                        (Some(b), _) => b.min(x),
                    })
                })?;
            ranked
                .iter()
                .filter(|(_, x)| *x == best)
                .map(|(i, _)| *i)
                .collect()
        }
    };
    let [at] = chosen[..] else {
        return None;
    };
    let row = &rows[at];
    // The column answering, of those whose cell in the row fits what is asked: the one named
    // most strongly by other words or by the kind asked, else (but for "when" and "where",
    // which never take a cell as it comes: "when was the first branch opened?" is no branch's
    // name) the first holding no figures.
    let fitting = |c: usize| {
        c != value
            && row
                .cell(c)
                .is_some_and(|cell| fits(&row.text[cell], words, expect))
    };
    let any_cell = !matches!(expect, Expect::Date | Expect::Place);
    // (An initial names a column of figures only, which no answer here is.)
    let named: Vec<(Naming, std::cmp::Reverse<usize>)> = (0..columns.len())
        .filter(|&c| c != value)
        .filter_map(|c| {
            let (how, _) = naming(&columns[c], &others, expect)?;
            (how != Naming::Initial).then_some((how, std::cmp::Reverse(c)))
        })
        .collect();
    // A column named whose cell does not fit (a short row without the instructor's cell) is no
    // reason to take another.
    let answer = if named.is_empty() {
        (0..columns.len())
            .find(|&c| !figures(c) && fitting(c))
            .filter(|_| any_cell)?
    } else {
        let (_, std::cmp::Reverse(c)) = named
            .into_iter()
            .filter(|&(_, std::cmp::Reverse(c))| fitting(c))
            .max()?;
        c
    };
    let cell = row.cell(answer)?;
    let figure = ranked.iter().find(|(i, _)| *i == at)?.1;
    Some(Ranked {
        row: at,
        cell: without_emphasis(row.text, cell),
        figure,
        column: columns[value].clone(),
    })
}

/// The row a question ranking a table asks for ([`ranked_row`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// Its index among the table's rows.
    pub row: usize,
    /// The byte range in its text of the cell answering.
    pub cell: Range<usize>,
    /// The figure it was ranked by.
    pub figure: f64,
    /// The name of the column of that figure.
    pub column: String,
}

/// Of the rows that several tables rank first (`ranked`, one per table), the one answering: the
/// only one, or for "most" and "least" the one at that end of them all when the tables rank
/// columns of one name ("who ran the fastest?" over the results and the age-category winners,
/// both by "Time", is the fastest of both); columns of other names (in other units, perhaps), a
/// tie, or places in several tables leave the choice open.
pub fn across_tables(ranked: &[Ranked], ranking: Ranking) -> Option<usize> {
    if let [_] = ranked {
        return Some(0);
    }
    if ranked.iter().any(|r| r.column != ranked[0].column) {
        return None;
    }
    let sign = match ranking {
        Ranking::Most => 1.0,
        Ranking::Least => -1.0,
        Ranking::Place(_) => return None,
    };
    let best = ranked
        .iter()
        .map(|r| sign * r.figure)
        .fold(f64::MIN, f64::max);
    let mut at = (0..ranked.len()).filter(|&i| sign * ranked[i].figure == best);
    let first = at.next()?;
    at.next().is_none().then_some(first)
}

/// Whether a row adds the others up: its first cell says "Total" ("**Total** | 19,165").
fn adds_up(row: &TableRow) -> bool {
    let first = cells(row.text).into_iter().next().unwrap_or(0..0);
    analysis::plain_words(&row.text[first]).any(|w| w.eq_ignore_ascii_case("total"))
}

/// A row of a table read whole ([`ranked_row`]).
pub struct TableRow<'a> {
    /// Its text.
    pub text: &'a str,
    /// How many of the table's columns lie before its text (empty cells it starts with).
    pub skipped: usize,
    /// The indexes of the question's words that its text holds.
    pub holds: Vec<usize>,
}

impl TableRow<'_> {
    /// The byte range in the text of the cell in the table's column `c`, if the row has one.
    fn cell(&self, c: usize) -> Option<Range<usize>> {
        cells(self.text).get(c.checked_sub(self.skipped)?).cloned()
    }

    /// The text of the cell in column `c`, or "" when the row has none.
    fn cell_text(&self, c: usize) -> &str {
        self.cell(c).map_or("", |r| &self.text[r])
    }
}

/// Whether a column's name says its cells are durations ("Time", "Avg time (min)").
fn names_duration(name: &str) -> bool {
    analysis::plain_words(name).any(|w| DURATION_COLUMNS.contains(&w.to_lowercase().as_str()))
}

/// The figure a cell gives, for ranking: its number without currency, thousands separators or
/// emphasis ("£3,480" 3480, "-9"), or a time of the clock or a stopwatch in seconds ("32:48").
fn figure_of(cell: &str) -> Option<f64> {
    let cell = cell.trim().trim_matches(['*', '_']);
    if cell.contains(':') {
        let parts: Option<Vec<f64>> = cell
            .split(':')
            .map(|p| p.trim().parse::<f64>().ok())
            .collect();
        return parts.map(|p| p.iter().fold(0.0, |acc, x| acc * 60.0 + x));
    }
    let start = cell.find(|c: char| c.is_ascii_digit())?;
    let negative = cell[..start].ends_with('-') || cell[..start].ends_with('−');
    let digits: String = cell[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
        .filter(|c| *c != ',')
        .collect();
    let x: f64 = digits.trim_end_matches('.').parse().ok()?;
    Some(if negative { -x } else { x })
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
            // An empty cell is an empty range after its white space.
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
    /// starting with an upper-case letter or a digit are names) names, when the row's post
    /// title or heading holds the words `in_headings`.
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
                in_headings: in_headings.contains(&lower[i].as_str()),
                verb: false,
            })
            .collect();
        let in_row: Vec<(Range<usize>, usize)> = analysis::terms(row)
            .iter()
            .filter_map(|t| {
                let w = stems.iter().position(|s| *s == *t.text)?;
                Some((t.range.clone(), w))
            })
            .collect();
        let found = WordsFound {
            in_row: &in_row,
            elsewhere: &[],
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
        // A word a sentence ranked above the row, or another row, holds points there.
        let lower = ["points", "greenbank", "b", "deducted"];
        let stems: Vec<String> = lower.iter().map(|w| analysis::stem(w)).collect();
        let words: Vec<Word> = (0..4)
            .map(|i| Word {
                written: lower[i],
                terms: vec![&stems[i]],
                name: false,
                in_headings: false,
                verb: false,
            })
            .collect();
        let in_row = [(0..9, 1), (10..11, 2)];
        let columns: Vec<String> = LEAGUE.iter().map(|c| c.to_string()).collect();
        for (elsewhere, expected) in [(vec![], Some(32..34)), (vec![3], None)] {
            let found = WordsFound {
                in_row: &in_row,
                elsewhere: &elsewhere,
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
            in_headings: false,
            verb: false,
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

    /// The row text and answer of `columns` and `rows` ranked for a question of content words
    /// `words` ("came", "took" and "ran" written as verbs) whose headings hold `headings`.
    fn ranked<'a>(
        columns: &[&str],
        rows: &[&'a str],
        words: &[&str],
        headings: &[&str],
        expect: Expect,
    ) -> Option<(&'a str, &'a str)> {
        let question = words.join(" ");
        let ranking = ranking(&question)?;
        let stems: Vec<String> = words.iter().map(|w| analysis::stem(w)).collect();
        // The headings hold the columns' names too.
        let named = analysis::terms(&columns.join(" "));
        let asked: Vec<Word> = (0..words.len())
            .map(|i| Word {
                written: words[i],
                terms: vec![&stems[i]],
                name: false,
                in_headings: headings.contains(&words[i])
                    || named.iter().any(|t| *t.text == stems[i]),
                verb: matches!(words[i], "came" | "took" | "ran"),
            })
            .collect();
        let table: Vec<TableRow> = rows
            .iter()
            .map(|row| {
                let terms = analysis::terms(row);
                TableRow {
                    text: row,
                    skipped: 0,
                    holds: (0..words.len())
                        .filter(|&w| terms.iter().any(|t| *t.text == stems[w]))
                        .collect(),
                }
            })
            .collect();
        let columns: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
        let found = ranked_row(&columns, &table, &asked, ranking, &expect)?;
        Some((rows[found.row], &rows[found.row][found.cell]))
    }

    #[test]
    fn a_question_ranking_a_table_gets_the_row_at_its_end_or_place() {
        let columns = ["Pos", "Runner", "Time", "Cat"];
        let rows = [
            "1 | Tom Ash | 32:48 | SM",
            "2 | Kim Doyle | 33:15 | V40",
            "3 | Sam Reyes | 37:59 | U20",
            "4 | Lee Cho | 38:30 | U20",
        ];
        let who = |words: &[&str]| ranked(&columns, &rows, words, &["10k"], Expect::Person);
        assert_eq!(who(&["came", "3rd", "10k"]).map(|r| r.1), Some("Sam Reyes"));
        assert_eq!(who(&["won", "10k"]).map(|r| r.1), Some("Tom Ash"));
        assert_eq!(who(&["second"]).map(|r| r.1), Some("Kim Doyle"));
        // "Fastest" ranks the times; a word some rows hold picks the rows ranked.
        assert_eq!(who(&["ran", "fastest"]).map(|r| r.1), Some("Tom Ash"));
        assert_eq!(who(&["fastest", "u20"]).map(|r| r.1), Some("Sam Reyes"));
        // A word neither the table nor its headings hold: another table.
        assert_eq!(who(&["top", "league"]), None);
        assert_eq!(who(&["9th"]), None);
    }

    #[test]
    fn most_and_least_rank_the_column_named_and_leave_totals_and_ties_out() {
        let columns = ["Event", "Amt raised (£)", "Volunteers"];
        let rows = [
            "Dog Show | 3,480 | 22",
            "Charity Ball | **6,700** | 12",
            "Bake Sale | 640 | 12",
            "**Total** | 10,820 | 46",
        ];
        let which = |words: &[&str]| ranked(&columns, &rows, words, &[], Expect::Phrase);
        assert_eq!(
            which(&["event", "raised", "most"]).map(|r| r.1),
            Some("Charity Ball")
        );
        assert_eq!(
            which(&["event", "raised", "least"]).map(|r| r.1),
            Some("Bake Sale")
        );
        assert_eq!(
            which(&["event", "volunteers", "most"]).map(|r| r.1),
            Some("Dog Show")
        );
        // Two rows with the fewest volunteers.
        assert_eq!(which(&["event", "volunteers", "fewest"]), None);
        // No figure named to rank.
        assert_eq!(which(&["event", "most"]), None);
        // "When" takes a cell that says when: the year the first branch opened, not its name.
        let columns = ["#", "Branch", "Opened"];
        let rows = ["1 | Central Library | 1902", "2 | Northside | 1931"];
        let when = ranked(
            &columns,
            &rows,
            &["branch", "opened", "first"],
            &[],
            Expect::Date,
        );
        assert_eq!(when.map(|r| r.1), Some("1902"));
        let columns = ["#", "Branch"];
        let rows = ["1 | Central Library", "2 | Northside"];
        let when = ranked(&columns, &rows, &["branch", "first"], &[], Expect::Date);
        assert_eq!(when, None);
    }

    #[test]
    fn tables_ranking_columns_of_one_name_are_ranked_together() {
        let row = |figure: f64, column: &str| Ranked {
            row: 0,
            cell: 0..1,
            figure,
            column: column.into(),
        };
        let times = [row(1968.0, "Time"), row(1995.0, "Time")];
        assert_eq!(across_tables(&times, Ranking::Least), Some(0));
        assert_eq!(across_tables(&times, Ranking::Most), Some(1));
        // Minutes and a stopwatch's seconds do not compare; nor do places in two tables.
        let mixed = [row(1968.0, "Time"), row(20.0, "Avg time (min)")];
        assert_eq!(across_tables(&mixed, Ranking::Least), None);
        assert_eq!(across_tables(&times, Ranking::Place(1)), None);
        assert_eq!(across_tables(&times[..1], Ranking::Place(1)), Some(0));
    }

    #[test]
    fn ordinals_are_places() {
        assert_eq!(ordinal("3rd"), Some(3));
        assert_eq!(ordinal("21st"), Some(21));
        assert_eq!(ordinal("12th"), Some(12));
        assert_eq!(ordinal("third"), Some(3));
        assert_eq!(ordinal("3st"), None);
        assert_eq!(ordinal("10k"), None);
        assert_eq!(figure_of("£3,480"), Some(3480.0));
        assert_eq!(figure_of("-9"), Some(-9.0));
        assert_eq!(figure_of("32:48"), Some(1968.0));
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
