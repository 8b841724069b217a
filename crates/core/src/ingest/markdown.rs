//! Markdown posts, parsed with pulldown-cmark (CommonMark, with GitHub's tables, task lists,
//! footnotes, strikethrough and alert quotes): optional front matter (see [`super::metadata`]),
//! ATX (`#`) and setext (underlined) headings as sections, the first level-one heading before
//! any paragraph as the title when front matter has none, and each paragraph, list item, table
//! row and footnote a passage. Code blocks, HTML blocks and table header rows are never passages;
//! a table's header cells are kept with each of its rows, as the names of the columns the row's
//! text spans, so that a cell can be found by the column a question names.
//!
//! A passage is a contiguous byte range of the file, from the first to the last byte of its
//! inline content: block markup at its edges (a list bullet, `>` quote markers, a task's `[x]`,
//! a table row's outer pipes) lies outside it. Inline markup (`**`, `[text](url)`, backticks)
//! and the block markup of lines after its first (the `>` of a quote's second line, the pipes
//! between cells) lie inside it, since a range cannot skip them; sentences are split as if those
//! markers were spaces, so they never hide a sentence's end.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{is_boilerplate, metadata, trim_range, Parsed, ParsedParagraph};

/// Splits Markdown into front matter, headings and passages.
pub(super) fn parse(source: &str) -> Result<Parsed, String> {
    let front = metadata::front_matter(source)?;
    let mut meta = front.read.meta;
    let base = front.body_start;
    let mut passages = Passages::new(source);
    // Depth inside code blocks, HTML blocks and table heads, whose text is never a passage.
    let mut skipped = 0usize;
    let mut heading: Option<(HeadingLevel, String)> = None;
    // The text of the cells of the table head being read.
    let mut head: Option<Vec<String>> = None;
    let body = with_lone_crs_as_lfs(&source[base..]);
    for (event, range) in Parser::new_ext(&body, options()).into_offset_iter() {
        let range = base + range.start..base + range.end;
        match event {
            Event::Start(tag) => match tag {
                Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_) => {
                    passages.end();
                    skipped += 1;
                }
                Tag::TableHead => {
                    passages.end();
                    skipped += 1;
                    head = Some(Vec::new());
                }
                Tag::Heading { level, .. } => {
                    passages.end();
                    heading = Some((level, String::new()));
                }
                Tag::Paragraph
                | Tag::BlockQuote(_)
                | Tag::List(_)
                | Tag::Item
                | Tag::FootnoteDefinition(_)
                | Tag::DefinitionList
                | Tag::DefinitionListTitle
                | Tag::DefinitionListDefinition
                | Tag::Table(_)
                | Tag::TableRow => passages.end(),
                // The cells of a row make one passage; those of the head name the columns.
                Tag::TableCell => match head.as_mut() {
                    Some(head) => head.push(String::new()),
                    None => passages.next_cell(),
                },
                // Inline markup: its range covers its delimiters and its text.
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. } => {
                    if skipped == 0 && heading.is_none() {
                        passages.add(range);
                    }
                }
            },
            Event::End(tag) => match tag {
                TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_) => {
                    skipped = skipped.saturating_sub(1);
                }
                TagEnd::TableHead => {
                    skipped = skipped.saturating_sub(1);
                    let names = head.take().unwrap_or_default();
                    passages.columns = Some(names.iter().map(|n| words_of(n)).collect());
                }
                TagEnd::Heading(_) => {
                    let Some((level, text)) = heading.take() else {
                        continue;
                    };
                    let text = words_of(&text);
                    if text.is_empty() {
                        continue;
                    }
                    if level == HeadingLevel::H1 && meta.title.is_none() && passages.is_empty() {
                        meta.title = Some(text);
                    } else {
                        passages.section = Some(text);
                    }
                }
                TagEnd::Paragraph
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Item
                | TagEnd::FootnoteDefinition
                | TagEnd::DefinitionList
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition
                | TagEnd::TableRow => passages.end(),
                TagEnd::Table => {
                    passages.end();
                    passages.columns = None;
                }
                _ => {}
            },
            Event::Rule => passages.end(),
            // Block HTML, and a task's `[x]`, which is markup at the start of its item.
            Event::Html(_) | Event::TaskListMarker(_) => {}
            Event::Text(text) | Event::Code(text) => match (heading.as_mut(), head.as_mut()) {
                (Some((_, heading)), _) => heading.push_str(&text),
                (None, _) if skipped == 0 => passages.add(range),
                (None, Some(head)) => {
                    if let Some(cell) = head.last_mut() {
                        cell.push_str(&text);
                    }
                }
                (None, None) => {}
            },
            Event::SoftBreak | Event::HardBreak => match heading.as_mut() {
                Some((_, heading)) => heading.push(' '),
                None if skipped == 0 => passages.line_break(range),
                None => {}
            },
            Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::FootnoteReference(_) => {
                if skipped == 0 && heading.is_none() {
                    passages.add(range);
                }
            }
        }
    }
    passages.end();
    Ok(Parsed {
        meta,
        paragraphs: passages.done,
        warnings: front.read.warnings,
    })
}

/// `text` with each lone CR (an old Mac line ending) replaced by LF. pulldown-cmark does not end
/// an ATX heading at a lone CR, though CommonMark counts it as a line ending; both are one byte,
/// so every offset into the result is the same offset into `text`.
fn with_lone_crs_as_lfs(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(lone) {
        return Cow::Borrowed(text);
    }
    let replaced: Vec<u8> = (0..bytes.len())
        .map(|i| if lone(i) { b'\n' } else { bytes[i] })
        .collect();
    Cow::Owned(
        String::from_utf8(replaced).expect("swapping one ASCII byte for another keeps UTF-8"),
    )
}

/// The Markdown extensions citebot reads: those of GitHub's Markdown. Math and superscripts are
/// off, so `$5 and $10` and `~5 km` stay text.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// `text` with its runs of white space made one space, and trimmed.
fn words_of(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The passages found so far and the one being gathered.
struct Passages<'a> {
    source: &'a str,
    /// The heading the next passage sits under.
    section: Option<String>,
    /// Inside a table: the names of its columns (its head's cells).
    columns: Option<Vec<String>>,
    /// Inside a table row: the index of the cell being read.
    cell: Option<usize>,
    done: Vec<ParsedParagraph>,
    open: Option<OpenPassage>,
}

/// A passage being gathered from its inline content.
struct OpenPassage {
    /// From the start of its first inline content to the end of the last so far.
    range: Range<usize>,
    /// The bytes inside `range` between pieces of inline content: markup of its lines after the
    /// first.
    markup: Vec<Range<usize>>,
    /// Its line breaks.
    breaks: Vec<Range<usize>>,
    /// For a table row, the index of the cell its text starts in: empty cells before it lie
    /// outside its text.
    first_cell: usize,
}

impl<'a> Passages<'a> {
    fn new(source: &'a str) -> Passages<'a> {
        Passages {
            source,
            section: None,
            columns: None,
            cell: None,
            done: Vec::new(),
            open: None,
        }
    }

    /// Starts the next cell of a table row.
    fn next_cell(&mut self) {
        self.cell = Some(self.cell.map_or(0, |c| c + 1));
    }

    fn is_empty(&self) -> bool {
        self.done.is_empty() && self.open.is_none()
    }

    /// Adds a piece of inline content to the open passage.
    fn add(&mut self, range: Range<usize>) {
        match self.open.as_mut() {
            None => {
                self.open = Some(OpenPassage {
                    range,
                    markup: Vec::new(),
                    breaks: Vec::new(),
                    first_cell: self.cell.unwrap_or(0),
                })
            }
            Some(open) => {
                if range.start > open.range.end {
                    open.markup.push(open.range.end..range.start);
                }
                open.range.end = open.range.end.max(range.end);
            }
        }
    }

    /// Adds a line break to the open passage.
    fn line_break(&mut self, range: Range<usize>) {
        self.add(range.clone());
        if let Some(open) = self.open.as_mut() {
            open.breaks.push(range);
        }
    }

    /// Closes the open passage. Lines of page furniture in it ("Share this:") are dropped, and
    /// split it where they stood.
    fn end(&mut self) {
        self.cell = None;
        let Some(open) = self.open.take() else {
            return;
        };
        // Each line's content: from after the line break and the markup opening the line (a
        // quote's `>`) to the next line break.
        let after_markup = |at: usize| {
            open.markup
                .iter()
                .find(|m| m.start == at)
                .map_or(at, |m| m.end)
        };
        let mut lines = Vec::with_capacity(open.breaks.len() + 1);
        let mut line_start = open.range.start;
        for line_break in &open.breaks {
            lines.push(line_start..line_break.start);
            line_start = after_markup(line_break.end);
        }
        lines.push(line_start..open.range.end);
        let mut piece: Option<Range<usize>> = None;
        for line in lines {
            if is_boilerplate(&self.source[line.clone()]) {
                if let Some(piece) = piece.take() {
                    self.push(piece, &open);
                }
            } else {
                match piece.as_mut() {
                    Some(piece) => piece.end = line.end,
                    None => piece = Some(line),
                }
            }
        }
        if let Some(piece) = piece {
            self.push(piece, &open);
        }
    }

    /// Adds the passage at `range`, a piece of `open`.
    fn push(&mut self, range: Range<usize>, open: &OpenPassage) {
        let range = trim_range(self.source, range);
        if range.is_empty() {
            return;
        }
        let markup = open
            .markup
            .iter()
            .filter(|m| m.start >= range.start && m.end <= range.end)
            .cloned()
            .collect();
        let columns = match &self.columns {
            Some(columns) => columns.iter().skip(open.first_cell).cloned().collect(),
            None => Vec::new(),
        };
        self.done.push(ParsedParagraph {
            section: self.section.clone(),
            range,
            markup,
            columns,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(source: &str) -> (super::super::Meta, Vec<(Option<String>, String)>) {
        let parsed = parse(source).unwrap();
        let paras = parsed
            .paragraphs
            .into_iter()
            .map(|p| (p.section, source[p.range].to_string()))
            .collect();
        (parsed.meta, paras)
    }

    fn passages(source: &str) -> Vec<String> {
        texts(source).1.into_iter().map(|(_, p)| p).collect()
    }

    #[test]
    fn yaml_front_matter_and_headings() {
        let src = "---\ntitle: \"Bridges\"\nurl: https://example.org/bridges\nauthor: Ann\ntags:\n  - x\n---\n# Ignored H1\n\nIntro text.\n\n## Steel\n\nSteel bridges rust.\nThey need paint.\n";
        let (meta, paras) = texts(src);
        assert_eq!(meta.title.as_deref(), Some("Bridges"));
        assert_eq!(meta.url.as_deref(), Some("https://example.org/bridges"));
        assert_eq!(meta.author.as_deref(), Some("Ann"));
        assert_eq!(paras.len(), 2);
        assert_eq!(
            paras[1],
            (
                Some("Steel".into()),
                "Steel bridges rust.\nThey need paint.".into()
            )
        );
    }

    #[test]
    fn a_table_row_keeps_the_names_of_the_columns_its_text_spans() {
        let src = "| Plot | Fee | Water |\n|---|---|---|\n| Half | **£45** | £8 |\n|  | £80 | £15 |\n\nAfter.\n";
        let parsed = parse(src).unwrap();
        let rows: Vec<(String, Vec<String>)> = parsed
            .paragraphs
            .into_iter()
            .map(|p| (src[p.range].to_string(), p.columns))
            .collect();
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            rows,
            vec![
                (
                    "Half | **£45** | £8".into(),
                    names(&["Plot", "Fee", "Water"])
                ),
                // The empty first cell lies outside the row's text, and so does its column.
                ("£80 | £15".into(), names(&["Fee", "Water"])),
                ("After.".into(), Vec::new()),
            ]
        );
    }

    #[test]
    fn toml_front_matter() {
        let (meta, paras) = texts("+++\ntitle = \"T\"\ndate = \"2024-01-02\"\n+++\nBody.\n");
        assert_eq!(meta.title.as_deref(), Some("T"));
        assert_eq!(meta.date.as_deref(), Some("2024-01-02"));
        assert_eq!(paras.len(), 1);
    }

    #[test]
    fn first_h1_is_the_title_without_front_matter() {
        let (meta, paras) = texts("# Rivers\n\nThe Rhine is long.\n");
        assert_eq!(meta.title.as_deref(), Some("Rivers"));
        assert_eq!(paras[0].0, None);
    }

    #[test]
    fn setext_headings_are_titles_and_sections() {
        let (meta, paras) =
            texts("Rivers\n======\n\nIntro.\n\nThe Rhine\n---------\n\nIt is long.\n");
        assert_eq!(meta.title.as_deref(), Some("Rivers"));
        assert_eq!(
            paras,
            [
                (None, "Intro.".into()),
                (Some("The Rhine".into()), "It is long.".into())
            ]
        );
    }

    #[test]
    fn list_items_are_paragraphs() {
        assert_eq!(
            passages("Intro:\n- one thing\n- another thing\n  1. nested\n- [x] done task\n"),
            [
                "Intro:",
                "one thing",
                "another thing",
                "nested",
                "done task"
            ]
        );
    }

    #[test]
    fn block_markup_stays_outside_passages() {
        let src = "> Quoted **bold** words.\n> Second line.\n\n```\nlet x = 1;\n```\n\n    indented code\n\n<div>raw html</div>\n\n| Bridge | Built |\n|--------|-------|\n| Old Stone | 1742 |\n\nA [link](https://example.org/x) and `code`.\n";
        assert_eq!(
            passages(src),
            [
                "Quoted **bold** words.\n> Second line.",
                "Old Stone | 1742",
                "A [link](https://example.org/x) and `code`."
            ]
        );
    }

    #[test]
    fn quote_markers_inside_a_passage_are_markup_for_sentences() {
        let src = "> First sentence here.\n> Second sentence here.\n";
        let parsed = parse(src).unwrap();
        let p = &parsed.paragraphs[0];
        assert_eq!(&src[p.markup[0].clone()], "> ");
        let sentences = super::super::sentences::split_around(src, p.range.clone(), &p.markup);
        let sentences: Vec<&str> = sentences.into_iter().map(|r| &src[r]).collect();
        assert_eq!(sentences, ["First sentence here.", "Second sentence here."]);
    }

    #[test]
    fn furniture_lines_are_dropped() {
        assert_eq!(
            passages("Body text here.\nShare this:\nTwitter\n\nLeave a Reply\n"),
            ["Body text here."]
        );
        assert_eq!(
            passages("> Body here.\n> Share this:\n> More text.\n"),
            ["Body here.", "More text."]
        );
    }

    #[test]
    fn every_line_ending_reads_alike() {
        let unix =
            "---\ntitle: T\n---\n# Heading\n\nFirst para\ncontinues.\n\n## Part\n\nSecond.\n";
        let expected = texts(unix);
        for ending in ["\r\n", "\r"] {
            let src = unix.replace('\n', ending);
            let (meta, paras) = texts(&src);
            assert_eq!(meta.title, expected.0.title, "{ending:?}");
            let want: Vec<(Option<String>, String)> = expected
                .1
                .iter()
                .map(|(s, p)| (s.clone(), p.replace('\n', ending)))
                .collect();
            assert_eq!(paras, want, "{ending:?}");
        }
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(parse("---\ntitle: x\nBody\n")
            .unwrap_err()
            .contains("never closed"));
    }

    #[test]
    fn deep_nesting_is_read_on_a_small_stack() {
        for unit in [">", "- ", "* ", "[", "*a "] {
            let src = format!("{}deep text\n", unit.repeat(20_000));
            let parsed = std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || parse(&src).map(|p| p.paragraphs.len()))
                .unwrap()
                .join()
                .unwrap_or_else(|_| panic!("{unit:?} x 20,000 overflowed"));
            assert!(parsed.is_ok(), "{unit:?}");
        }
    }
}
