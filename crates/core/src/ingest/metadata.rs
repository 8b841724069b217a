//! Post metadata: the title, url, author and date that a Markdown post gives in front matter
//! (YAML between `---` lines, read with the saphyr YAML parser, or TOML between `+++` lines) and
//! that any post may give in a `NAME.meta.toml` sidecar (TOML).
//!
//! Metadata never costs a post its text: a value of the wrong shape, a key that looks like a
//! misspelling of one citebot reads, or front matter or a sidecar that does not parse is a
//! warning naming the key and line, and the post is indexed with the metadata that could be read.
//! A sidecar is citebot's own file, so every key in it that citebot does not read is reported;
//! front matter is shared with site generators, so only keys that look misspelt are. The sidecar
//! of a page `citebot fetch` saved also records the fetch (`source`, `fetched`, `etag`,
//! `last_modified`): known keys, not part of the post's metadata.

use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser, ScalarStyle};

use super::Meta;

/// The keys citebot reads (lower case; keys match whatever their case), and the field each fills.
const KEYS: &[(&str, Field)] = &[
    ("title", Field::Title),
    ("url", Field::Url),
    ("link", Field::Url),
    ("canonical", Field::Url),
    ("author", Field::Author),
    ("authors", Field::Author),
    ("date", Field::Date),
    // What `citebot fetch` records in the sidecars of the pages it saves.
    ("source", Field::Fetch),
    ("fetched", Field::Fetch),
    ("etag", Field::Fetch),
    ("last_modified", Field::Fetch),
];

/// The keys named in messages.
const KEY_NAMES: &str = "title, url, author, date";

/// Unknown keys at most this many edits (letters added, dropped, changed or swapped) from a key
/// citebot reads are taken for misspellings of it; keys of four letters or fewer allow one edit.
const MAX_MISSPELLING_EDITS: usize = 2;

/// A metadata field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title,
    Url,
    Author,
    Date,
    /// A record of the fetch that saved a web page (where from, when, its validators): known, so
    /// not warned about, and not part of the post.
    Fetch,
}

/// Where metadata was written, which decides what an unknown key means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// Front matter, shared with site generators: only keys that look misspelt are reported.
    FrontMatter,
    /// A `NAME.meta.toml` sidecar, citebot's own: every unknown key is reported.
    Sidecar,
}

/// A value as written, reduced to what matters here.
enum Value {
    /// A string, number, date or other single value, as text.
    Text(String),
    /// A list of single values.
    List(Vec<String>),
    /// A table or mapping, or a list holding one.
    Nested,
}

/// Metadata read from one place, with what was wrong in it.
#[derive(Debug, Default)]
pub(super) struct Read {
    /// The fields that were read.
    pub meta: Meta,
    /// One message per problem, naming the key and line; the caller logs them.
    pub warnings: Vec<String>,
}

/// A post's front matter and where its body starts.
#[derive(Debug, Default)]
pub(super) struct FrontMatter {
    /// What the front matter says.
    pub read: Read,
    /// Byte offset of the body: after the closing fence, or after a byte-order mark.
    pub body_start: usize,
}

/// Reads front matter at the start of `source`: `---` YAML or `+++` TOML, each fence a line of
/// its own (a YAML block may also close with `...`). Front matter that is opened and never closed
/// is an error, since where the body starts cannot be told.
pub(super) fn front_matter(source: &str) -> Result<FrontMatter, String> {
    let bom = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let source_lines = markdown_lines(source);
    let Some(first) = source_lines.first() else {
        return Ok(FrontMatter::default());
    };
    let opening = source[bom.max(first.start)..first.end].trim_end();
    let (toml, closings): (bool, &[&str]) = match opening {
        "---" => (false, &["---", "..."]),
        "+++" => (true, &["+++"]),
        _ => {
            return Ok(FrontMatter {
                read: Read::default(),
                body_start: bom,
            })
        }
    };
    let Some((closing, _)) = source_lines
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, line)| closings.contains(&source[(*line).clone()].trim_end()))
    else {
        return Err(format!(
            "front matter opened with `{opening}` is never closed"
        ));
    };
    let header_start = source_lines[1].start;
    let header = &source[header_start..source_lines[closing].start];
    let body_start = source_lines
        .get(closing + 1)
        .map_or(source.len(), |next| next.start);
    // Line numbers in messages are the file's: the header starts on line 2.
    let read = if toml {
        toml_meta(header, 2, Origin::FrontMatter, "front matter")
    } else {
        match yaml_meta(header) {
            Some(read) => read,
            // Text or a list between two `---` lines is Markdown (a thematic break, a setext
            // heading), not metadata: it stays in the body.
            None => {
                return Ok(FrontMatter {
                    read: Read::default(),
                    body_start: bom,
                })
            }
        }
    };
    Ok(FrontMatter { read, body_start })
}

/// The byte ranges of the lines of a Markdown file, without their line breaks: only `\n`,
/// `\r\n` and `\r` end a line in Markdown, as pulldown-cmark reads the body. (A vertical tab
/// inside a code block once made "..." a line of its own, which closed the front matter there
/// and turned the rest of the code block into text.)
fn markdown_lines(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let end = match bytes[at] {
            b'\r' if bytes.get(at + 1) == Some(&b'\n') => at + 2,
            b'\r' | b'\n' => at + 1,
            _ => {
                at += 1;
                continue;
            }
        };
        lines.push(start..at);
        start = end;
        at = end;
    }
    if start < text.len() {
        lines.push(start..text.len());
    }
    lines
}

/// Reads a `NAME.meta.toml` sidecar; `name` is its file name, for messages.
pub(super) fn sidecar(text: &str, name: &str) -> Read {
    toml_meta(text, 1, Origin::Sidecar, &format!("`{name}`"))
}

/// Reads TOML metadata; `first_line` is the file line `text` starts on, `place` names it in
/// messages.
fn toml_meta(text: &str, first_line: usize, origin: Origin, place: &str) -> Read {
    let mut read = Read::default();
    let line_of = |offset: usize| first_line + line_breaks_before(text, offset);
    match toml::from_str::<BTreeMap<toml::Spanned<String>, toml::Value>>(text) {
        Ok(table) => {
            for (key, value) in table {
                let line = line_of(key.span().start);
                let value = match value {
                    toml::Value::Array(items) => items
                        .into_iter()
                        .map(toml_text)
                        .collect::<Option<Vec<String>>>()
                        .map_or(Value::Nested, Value::List),
                    single => toml_text(single).map_or(Value::Nested, Value::Text),
                };
                read.take(key.get_ref(), line, value, origin, place);
            }
        }
        Err(e) => {
            let at = e
                .span()
                .map(|span| format!(" (line {})", line_of(span.start)))
                .unwrap_or_default();
            read.warnings.push(format!(
                "{place} is not valid TOML{at}: {}; its {KEY_NAMES} are not read",
                e.message()
            ));
        }
    }
    read
}

/// A single TOML value as text: numbers, booleans and dates (`date = 2024-05-01`) as written.
fn toml_text(value: toml::Value) -> Option<String> {
    match value {
        toml::Value::String(s) => Some(s),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        toml::Value::Array(_) | toml::Value::Table(_) => None,
    }
}

/// Reads YAML front matter, event by event: only the top-level `key: value` pairs matter, and
/// nothing nested is built, so even a hostile header costs time in proportion to its length and
/// no stack. None when the header is YAML but not a mapping (a line of text, a list): then it is
/// not front matter at all.
fn yaml_meta(header: &str) -> Option<Read> {
    // The header starts on the file's second line; saphyr counts lines from 1.
    const FIRST_LINE: usize = 2;
    let place = "front matter";
    let mut read = Read::default();
    // Nesting of mappings and sequences; the top-level mapping is depth 1.
    let mut depth = 0usize;
    // At depth 1: the key waiting for its value (None while a key is expected).
    let mut key: Option<(String, usize)> = None;
    // The value being gathered for `key` while depth > 1: list items, or None once nested.
    let mut items: Option<Vec<String>> = None;
    for event in Parser::new_from_str(header) {
        let (event, span) = match event {
            Ok(event) => event,
            Err(e) => {
                read.warnings.push(format!(
                    "{place} is not valid YAML (line {}, column {}): {}; its {KEY_NAMES} are not read",
                    e.marker().line() + FIRST_LINE - 1,
                    e.marker().col() + 1,
                    e.info()
                ));
                return Some(Read {
                    meta: Meta::default(),
                    warnings: read.warnings,
                });
            }
        };
        let line = span.start.line() + FIRST_LINE - 1;
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                depth += 1;
                if depth == 1 && matches!(event, Event::SequenceStart(..)) {
                    return None;
                }
                if depth == 2 {
                    items = matches!(event, Event::SequenceStart(..)).then(Vec::new);
                } else if depth > 2 {
                    items = None;
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    let value = items.take().map_or(Value::Nested, Value::List);
                    match key.take() {
                        Some((name, line)) => {
                            read.take(&name, line, value, Origin::FrontMatter, place)
                        }
                        // A nested key (`? [a, b]: x`): its value comes next, under no name.
                        None => key = Some((String::new(), line)),
                    }
                }
                if depth == 0 {
                    break;
                }
            }
            Event::Scalar(text, style, ..) => match depth {
                // An empty header is an empty mapping; any other lone value is not metadata.
                0 if !text.trim().is_empty() || style != ScalarStyle::Plain => return None,
                1 => match key.take() {
                    None => key = Some((text.into_owned(), line)),
                    Some((name, line)) => {
                        let blank = style == ScalarStyle::Plain
                            && matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL");
                        let value = Value::Text(if blank {
                            String::new()
                        } else {
                            text.into_owned()
                        });
                        read.take(&name, line, value, Origin::FrontMatter, place);
                    }
                },
                2 => {
                    if let Some(items) = items.as_mut() {
                        items.push(text.into_owned());
                    }
                }
                _ => {}
            },
            // An alias (`*name`) repeats a value defined above; citebot does not follow it.
            Event::Alias(_) if depth == 1 => match key.take() {
                Some((name, line)) => {
                    read.take(&name, line, Value::Nested, Origin::FrontMatter, place)
                }
                None => key = Some((String::new(), line)),
            },
            Event::DocumentEnd if depth == 0 => break,
            _ => {}
        }
    }
    Some(read)
}

impl Read {
    /// Files `value` under `key` if citebot reads that key, or says what is wrong with it.
    fn take(&mut self, key: &str, line: usize, value: Value, origin: Origin, place: &str) {
        let lower = key.to_lowercase();
        let Some(&(_, field)) = KEYS.iter().find(|(name, _)| *name == lower) else {
            let suggestion = misspelt(&lower);
            if suggestion.is_some() || origin == Origin::Sidecar {
                let hint = suggestion
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("citebot reads {KEY_NAMES}"));
                self.warnings.push(format!(
                    "{place}: unknown key `{key}` (line {line}) is ignored; {hint}"
                ));
            }
            return;
        };
        if field == Field::Fetch {
            return;
        }
        let text = match value {
            Value::Text(text) => text,
            // Several authors are one byline.
            Value::List(items) if field == Field::Author => items.join(", "),
            Value::List(_) | Value::Nested => {
                self.warnings.push(format!(
                    "{place}: `{key}` (line {line}) should be a single value; it is ignored"
                ));
                return;
            }
        };
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let slot = match field {
            Field::Title => &mut self.meta.title,
            Field::Url => &mut self.meta.url,
            Field::Author => &mut self.meta.author,
            Field::Date => &mut self.meta.date,
            Field::Fetch => return,
        };
        // The first key wins (`url` before `link`, say).
        slot.get_or_insert_with(|| text.to_string());
    }
}

/// The key citebot reads that `key` (lower case) looks like a misspelling of, if any.
fn misspelt(key: &str) -> Option<&'static str> {
    ["title", "url", "author", "date"]
        .into_iter()
        .find(|known| {
            let allowed = if known.len() <= 4 {
                1
            } else {
                MAX_MISSPELLING_EDITS
            };
            edit_distance(key, known) <= allowed
        })
}

/// Optimal string alignment distance: letters inserted, deleted, substituted or swapped.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > MAX_MISSPELLING_EDITS {
        return MAX_MISSPELLING_EDITS + 1;
    }
    // Rows i-2, i-1 and i of the table.
    let mut before: Vec<usize> = Vec::new();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut current = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            current[j] = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                current[j] = current[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut previous, current);
    }
    previous[b.len()]
}

/// How many line breaks (`\n`, `\r\n` or a lone `\r`, the ones TOML and YAML know) come before
/// byte `offset` of `text`.
fn line_breaks_before(text: &str, offset: usize) -> usize {
    let before = &text.as_bytes()[..offset.min(text.len())];
    (0..before.len())
        .filter(|&i| before[i] == b'\n' || before[i] == b'\r' && before.get(i + 1) != Some(&b'\n'))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_front_matter_is_read_with_a_yaml_parser() {
        let src = "---\ntitle: >\n  Bridges of\n  Riverton\nurl: 'https://example.org/b'\nauthors: [Ann, Bo]\ntags:\n  - x\n  - {deep: [1, 2]}\ndate: 2024-05-01\n---\nBody\n";
        let front = front_matter(src).unwrap();
        let meta = &front.read.meta;
        // A folded scalar is its text, not ">".
        assert_eq!(meta.title.as_deref(), Some("Bridges of Riverton"));
        assert_eq!(meta.url.as_deref(), Some("https://example.org/b"));
        assert_eq!(meta.author.as_deref(), Some("Ann, Bo"));
        assert_eq!(meta.date.as_deref(), Some("2024-05-01"));
        assert!(front.read.warnings.is_empty(), "{:?}", front.read.warnings);
        assert_eq!(&src[front.body_start..], "Body\n");
    }

    #[test]
    fn misspelt_keys_are_named_with_their_line() {
        let front = front_matter("---\nlayout: post\ntitel: Bridges\nAuthor: Ann\n---\n").unwrap();
        assert_eq!(front.read.meta.title, None);
        assert_eq!(front.read.meta.author.as_deref(), Some("Ann"));
        assert_eq!(
            front.read.warnings,
            ["front matter: unknown key `titel` (line 3) is ignored; did you mean `title`?"]
        );
        let read = sidecar("titel = \"A\"\nurl = \"u\"\nweight = 3\n", "a.meta.toml");
        assert_eq!(read.meta.url.as_deref(), Some("u"));
        assert_eq!(
            read.warnings,
            [
                "`a.meta.toml`: unknown key `titel` (line 1) is ignored; did you mean `title`?",
                "`a.meta.toml`: unknown key `weight` (line 3) is ignored; citebot reads title, url, author, date"
            ]
        );
    }

    #[test]
    fn the_fetch_record_of_a_saved_page_is_known_and_not_metadata() {
        let read = sidecar(
            "# Saved by `citebot fetch`\nurl = \"https://b.example/a\"\nsource = \"https://b.example/feed\"\nfetched = \"2024-05-01T10:00:00Z\"\netag = \"\\\"v1\\\"\"\nlast_modified = \"Wed, 01 May 2024 10:00:00 GMT\"\n",
            "a.meta.toml",
        );
        assert_eq!(read.meta.url.as_deref(), Some("https://b.example/a"));
        assert_eq!(read.meta.date, None);
        assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    }

    #[test]
    fn toml_values_of_other_types_are_read_as_written() {
        let read = sidecar(
            "title = 1984\ndate = 2024-05-01\nauthor = [\"Ann\", \"Bo\"]\nurl = { a = 1 }\n",
            "x.meta.toml",
        );
        assert_eq!(read.meta.title.as_deref(), Some("1984"));
        assert_eq!(read.meta.date.as_deref(), Some("2024-05-01"));
        assert_eq!(read.meta.author.as_deref(), Some("Ann, Bo"));
        assert_eq!(read.meta.url, None);
        assert_eq!(
            read.warnings,
            ["`x.meta.toml`: `url` (line 4) should be a single value; it is ignored"]
        );
    }

    #[test]
    fn broken_metadata_is_a_warning_not_a_lost_post() {
        let front = front_matter("---\ntitle: [unclosed\n---\nBody\n").unwrap();
        assert_eq!(front.read.meta.title, None);
        assert!(
            front.read.warnings[0].starts_with("front matter is not valid YAML (line"),
            "{:?}",
            front.read.warnings
        );
        let front = front_matter("+++\ntitle = \n+++\nBody\n").unwrap();
        assert!(
            front.read.warnings[0].starts_with("front matter is not valid TOML (line 2)"),
            "{:?}",
            front.read.warnings
        );
        let read = sidecar("title = \"x\"\n= oops\n", "s.meta.toml");
        assert!(
            read.warnings[0].contains("`s.meta.toml` is not valid TOML (line 2)"),
            "{:?}",
            read.warnings
        );
        assert!(front_matter("---\ntitle: x\nBody\n")
            .unwrap_err()
            .contains("never closed"));
    }

    #[test]
    fn text_between_two_rules_is_not_front_matter() {
        for header in ["Just a line of text.", "- a list\n- of things"] {
            let src = format!("---\n{header}\n---\n\nBody.\n");
            let front = front_matter(&src).unwrap();
            assert_eq!(front.body_start, 0, "{header}");
            assert!(front.read.warnings.is_empty());
        }
        let empty = front_matter("---\n---\nBody.\n").unwrap();
        assert_eq!(empty.body_start, 8);
    }

    #[test]
    fn front_matter_fences_end_lines_of_any_kind() {
        for ending in ["\n", "\r\n", "\r"] {
            let src = "\u{feff}---\ntitle: T\n---\nBody\n".replace('\n', ending);
            let front = front_matter(&src).unwrap();
            assert_eq!(front.read.meta.title.as_deref(), Some("T"), "{ending:?}");
            assert!(src[front.body_start..].starts_with("Body"), "{ending:?}");
        }
        let plain = front_matter("\u{feff}Body").unwrap();
        assert_eq!(plain.body_start, 3);
    }

    #[test]
    fn only_markdown_line_breaks_end_a_front_matter_line() {
        // A vertical tab is no line break in Markdown: "..." after it closes nothing.
        assert!(front_matter("---\ntitle: T\n```\ncode \u{b}...\nmore\n```\n").is_err());
        let front = front_matter("---\ntitle: T\u{2028}x\n---\nBody\n").unwrap();
        assert!(front.body_start > 0);
    }

    #[test]
    fn deeply_nested_yaml_is_read_without_building_it() {
        let deep = format!(
            "---\ntitle: T\nx: {}1{}\ny:\n{}1\n---\n",
            "[".repeat(200),
            "]".repeat(200),
            "- ".repeat(50_000)
        );
        let front = std::thread::Builder::new()
            .stack_size(128 * 1024)
            .spawn(move || front_matter(&deep).unwrap())
            .unwrap()
            .join()
            .expect("no overflow");
        assert_eq!(front.read.meta.title.as_deref(), Some("T"));
        assert!(front.read.warnings.is_empty(), "{:?}", front.read.warnings);
    }

    #[test]
    fn deeply_nested_toml_is_refused_by_the_parser_s_depth_limit() {
        let deep = format!(
            "title = \"T\"\nx = {}1{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let read = sidecar(&deep, "deep.meta.toml");
        assert_eq!(read.meta.title, None);
        assert!(
            read.warnings[0].contains("is not valid TOML (line 2)"),
            "{:?}",
            read.warnings
        );
    }

    #[test]
    fn misspellings_are_near_misses_only() {
        assert_eq!(misspelt("titel"), Some("title"));
        assert_eq!(misspelt("auther"), Some("author"));
        assert_eq!(misspelt("ulr"), Some("url"));
        assert_eq!(misspelt("dat"), Some("date"));
        for other in [
            "tags",
            "layout",
            "slug",
            "draft",
            "description",
            "categories",
            "weight",
        ] {
            assert_eq!(misspelt(other), None, "{other}");
        }
        assert_eq!(line_breaks_before("a\r\nb\rc", 5), 2);
    }
}
