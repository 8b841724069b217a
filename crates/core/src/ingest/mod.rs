//! Ingest: turns the files in the posts folder into [`Document`]s made of citable [`Passage`]s.
//! Each passage knows its post, section, paragraph number and sentences as byte ranges into the
//! file, so that anything later cited can be quoted verbatim and located exactly.

mod html;
mod markdown;
mod metadata;
mod plain;
pub mod sentences;

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::lexicon;
use crate::progress::{LogProgress, Progress, Stage};

/// One post.
#[derive(Debug, Clone)]
pub struct Document {
    /// File name relative to the posts folder, e.g. `china.txt`; the post's identifier.
    pub id: String,
    /// Title from front matter, a sidecar, the first heading, or else the file name.
    pub title: String,
    /// Link to the post, from front matter or a sidecar.
    pub url: Option<String>,
    /// Author, from front matter or a sidecar.
    pub author: Option<String>,
    /// Date, from front matter or a sidecar, as written there.
    pub date: Option<String>,
    /// The file's text, which every byte range below points into; for an HTML page, the text
    /// extracted from its article (headings on their own lines, paragraphs separated by blank
    /// lines), since the markup itself is never cited.
    pub source: String,
    /// The body paragraphs, in order.
    pub passages: Vec<Passage>,
}

/// One paragraph of a post.
#[derive(Debug, Clone)]
pub struct Passage {
    /// The heading this paragraph sits under, if any.
    pub section: Option<String>,
    /// 1-based paragraph number within the post (headings are not counted).
    pub paragraph: usize,
    /// Byte range of the paragraph in the source.
    pub range: Range<usize>,
    /// Byte ranges of its sentences in the source.
    pub sentences: Vec<Range<usize>>,
    /// For a row of a table with a head, the names of the columns its text spans, from the
    /// column of its first non-empty cell on: its cells are its text split at the `|` not
    /// escaped (`answer::table`). Empty for any other passage.
    pub columns: Vec<String>,
}

/// Metadata a post may carry in front matter or in a `NAME.meta.toml` sidecar.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// The post's title.
    pub title: Option<String>,
    /// Where the post is published.
    pub url: Option<String>,
    /// Who wrote it.
    pub author: Option<String>,
    /// When it was published.
    pub date: Option<String>,
}

/// A file that was passed over, and why.
#[derive(Debug)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why it was skipped.
    pub reason: Error,
}

/// Separates the cells of a table row as an HTML post's text writes it, and as replies show a
/// row's column names (Markdown writes its own pipes).
pub const CELL_SEPARATOR: &str = " | ";

/// Sidecar files hold metadata for the post of the same stem; they are not posts themselves.
const SIDECAR_SUFFIX: &str = ".meta.toml";

/// Reads every `.txt`, `.md` and `.html` post in `dir` (recursively, in name order). Files that cannot be
/// read or parsed are returned in the second list so the caller can warn; they do not stop the rest.
pub fn load_dir(dir: &Path) -> Result<(Vec<Document>, Vec<Skipped>)> {
    load_dir_with(dir, &LogProgress::default())
}

/// [`load_dir`], reporting each file read to `progress`.
pub fn load_dir_with(dir: &Path, progress: &dyn Progress) -> Result<(Vec<Document>, Vec<Skipped>)> {
    let (files, mut skipped) = list_posts(dir)?;
    let mut documents = Vec::new();
    progress.start(Stage::Reading, files.len());
    for path in files {
        progress.advance();
        match load_post(&path, post_id(dir, &path)) {
            Ok(doc) => documents.push(doc),
            Err(reason) => skipped.push(Skipped { path, reason }),
        }
    }
    progress.finish();
    if documents.is_empty() {
        return Err(Error::NoPosts(dir.to_path_buf()));
    }
    Ok((documents, skipped))
}

/// The post files in `dir` (recursively, in name order), and the folders that could not be
/// listed. Only `dir` itself missing or unreadable is an error.
pub fn list_posts(dir: &Path) -> Result<(Vec<PathBuf>, Vec<Skipped>)> {
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::PostsDirMissing(dir.to_path_buf()))
        }
        Err(source) => {
            return Err(Error::Io {
                path: dir.to_path_buf(),
                source,
            })
        }
        Ok(meta) if !meta.is_dir() => return Err(Error::PostsDirNotFolder(dir.to_path_buf())),
        Ok(_) => {}
    }
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    collect_files(dir, &mut files, &mut skipped)?;
    files.sort();
    Ok((files, skipped))
}

/// Reads one post as [`load_dir`] does: a file with no text to index is an error.
pub fn load_post(path: &Path, id: String) -> Result<Document> {
    let doc = load_file(path, id)?;
    if doc.passages.is_empty() {
        return Err(Error::Parse {
            path: path.to_path_buf(),
            message: "no text to index".into(),
        });
    }
    Ok(doc)
}

/// What a post's files looked like on disk: the size, modification time, status-change time and
/// file number (inode) of the post and of its sidecar. A post whose stamp is unchanged since it
/// was indexed is not read again. Size and time alone would miss a post rewritten with the same
/// size and its modification time set back (`cp -p`, `touch -r`, a restore from a backup): the
/// status-change time, which no one can set, catches that; and a post replaced by another file
/// of the same size and times (names swapped): the file number, which a rename keeps, catches
/// that.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stamp {
    /// The post file's.
    post: FileStamp,
    /// The sidecar's, if there is one.
    sidecar: Option<FileStamp>,
}

/// One file's part of a [`Stamp`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct FileStamp {
    /// Its size in bytes.
    size: u64,
    /// Its modification time, in nanoseconds since the Unix epoch.
    modified: u128,
    /// Its status-change time (any write, rename or permission change), in nanoseconds since
    /// the Unix epoch; 0 where the system gives none. A manifest written before it was stamped
    /// reads as 0, so its posts are read once more.
    #[serde(default)]
    changed: u128,
    /// Its file number on its device; 0 where the system gives none.
    inode: u64,
}

/// How recent a modification time may be for a stamp to be trusted. A file written again within
/// the file system's timestamp granularity of the moment it was stamped could keep its size and
/// time with new text; such a post is read again next time instead (git's "racily clean" rule).
const STAMP_SETTLE: std::time::Duration = std::time::Duration::from_secs(2);

/// The stamp of the post at `path`, taken before it is read (so a later change always shows);
/// `None` when its files cannot be examined or were modified too recently to be trusted.
pub fn stamp(path: &Path) -> Option<Stamp> {
    let now = std::time::SystemTime::now();
    let of = |path: &Path| -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta.modified().ok()?;
        let since_epoch = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
        let changed = status_changed(&meta);
        let now_since_epoch = now.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
        let settled = |time: u128| now_since_epoch.saturating_sub(time) >= STAMP_SETTLE.as_nanos();
        if !settled(since_epoch.as_nanos()) || !settled(changed) {
            return None;
        }
        Some(FileStamp {
            size: meta.len(),
            modified: since_epoch.as_nanos(),
            changed,
            inode: inode(&meta),
        })
    };
    let post = of(path)?;
    let sidecar_path = sidecar_path(path);
    let sidecar = if sidecar_path.exists() {
        Some(of(&sidecar_path)?)
    } else {
        None
    };
    Some(Stamp { post, sidecar })
}

/// A file's status-change time in nanoseconds since the Unix epoch (0 before it).
#[cfg(unix)]
fn status_changed(meta: &std::fs::Metadata) -> u128 {
    use std::os::unix::fs::MetadataExt;
    let (seconds, nanos) = (meta.ctime(), meta.ctime_nsec());
    u128::try_from(seconds).map_or(0, |s| s * 1_000_000_000 + nanos as u128)
}

/// A file's status-change time, which this system does not give.
#[cfg(not(unix))]
fn status_changed(_: &std::fs::Metadata) -> u128 {
    0
}

/// A file's number on its device.
#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

/// A file's number on its device, which this system does not give.
#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

/// A post's identifier: its path within the posts folder `dir`, folders joined by `/`. It names
/// the file exactly, so two files never share one: a byte of the file name that is not UTF-8 is
/// written `\xff` (two lowercase hex digits) and a backslash `\\`; everything else is as written.
pub fn post_id(dir: &Path, path: &Path) -> String {
    let mut id = String::new();
    for component in path.strip_prefix(dir).unwrap_or(path).components() {
        if !id.is_empty() {
            id.push('/');
        }
        for chunk in component.as_os_str().as_encoded_bytes().utf8_chunks() {
            for c in chunk.valid().chars() {
                match c {
                    '\\' => id.push_str("\\\\"),
                    c => id.push(c),
                }
            }
            for byte in chunk.invalid() {
                id.push_str(&format!("\\x{byte:02x}"));
            }
        }
    }
    id
}

/// Gathers the post files under `dir`, walking its folders with a list rather than recursion. A
/// folder inside it that cannot be listed is passed over (in `skipped`), like an unreadable post;
/// only `dir` itself failing is an error.
fn collect_files(dir: &Path, out: &mut Vec<PathBuf>, skipped: &mut Vec<Skipped>) -> Result<()> {
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(source) if folder == dir => {
                return Err(Error::Io {
                    path: folder,
                    source,
                })
            }
            Err(source) => {
                skipped.push(Skipped {
                    reason: Error::Io {
                        path: folder.clone(),
                        source,
                    },
                    path: folder,
                });
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(source) => {
                    skipped.push(Skipped {
                        reason: Error::Io {
                            path: folder.clone(),
                            source,
                        },
                        path: folder.clone(),
                    });
                    continue;
                }
            };
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            // The entry's own type, not its target's: a symlinked folder could lead back up the tree.
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_dir {
                folders.push(path);
            } else if format_of(&path).is_some() && !name.ends_with(SIDECAR_SUFFIX) {
                out.push(path);
            }
        }
    }
    Ok(())
}

/// The post formats citebot reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Plain,
    Markdown,
    Html,
}

fn format_of(path: &Path) -> Option<Format> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "txt" | "text" => Some(Format::Plain),
        "md" | "markdown" => Some(Format::Markdown),
        "html" | "htm" => Some(Format::Html),
        _ => None,
    }
}

/// Posts larger than this are not read: no article is this long, and a file that is (a disk
/// image renamed `.txt`, a log) would hold the whole corpus up while it is read and analysed.
/// Saved web pages with images inlined can reach tens of megabytes, hence the margin.
const MAX_POST_BYTES: u64 = 64 * 1024 * 1024;

/// Sidecars larger than this are not read: four keys fit in far less.
const MAX_SIDECAR_BYTES: u64 = 1024 * 1024;

/// Reads a whole file of at most `limit` bytes. A larger one is refused before it is read, with
/// an error (of kind `FileTooLarge`) that says how large it is.
fn read_at_most(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let too_large = |size: u64| {
        std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!(
                "it is {:.1} MiB, and files over {} MiB are not read",
                size as f64 / (1024.0 * 1024.0),
                limit / (1024 * 1024)
            ),
        )
    };
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    if size > limit {
        return Err(too_large(size));
    }
    let mut bytes = Vec::new();
    // The file may grow while it is read: never take more than the limit.
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The `NAME.meta.toml` beside a post. Built from the file name's bytes, so a name that is not
/// UTF-8 finds its own sidecar.
fn sidecar_path(path: &Path) -> PathBuf {
    let mut file_name = path.file_stem().unwrap_or_default().to_os_string();
    file_name.push(SIDECAR_SUFFIX);
    path.with_file_name(&file_name)
}

/// Reads and parses one post file.
pub fn load_file(path: &Path, id: String) -> Result<Document> {
    let bytes = read_at_most(path, MAX_POST_BYTES).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let source = String::from_utf8(bytes).map_err(|e| Error::Parse {
        path: path.to_path_buf(),
        message: format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ),
    })?;
    let sidecar = read_sidecar(path);
    let format = format_of(path).unwrap_or(Format::Plain);
    let (document, warnings) =
        parse(id, source, format, sidecar).map_err(|message| Error::Parse {
            path: path.to_path_buf(),
            message,
        })?;
    for warning in warnings {
        tracing::warn!(file = %path.display(), "{warning}");
    }
    Ok(document)
}

/// Reads the `NAME.meta.toml` beside a post, if there is one. A sidecar that cannot be read is
/// a warning: the post is read without it.
fn read_sidecar(path: &Path) -> Option<metadata::Read> {
    let sidecar = sidecar_path(path);
    let name = sidecar
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    if !sidecar.is_file() {
        return None;
    }
    let text = read_at_most(&sidecar, MAX_SIDECAR_BYTES).and_then(|bytes| {
        String::from_utf8(bytes)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()))
    });
    Some(match text {
        Ok(text) => metadata::sidecar(&text, &name),
        Err(e) => metadata::Read {
            meta: Meta::default(),
            warnings: vec![format!(
                "cannot read `{name}`: {e}; the post is read without it"
            )],
        },
    })
}

/// Parses a post's text, returning it with the warnings about its metadata. `sidecar`
/// metadata wins over what the text itself says. An HTML page's `source` becomes its extracted
/// article text (see [`html`]).
fn parse(
    id: String,
    mut source: String,
    format: Format,
    sidecar: Option<metadata::Read>,
) -> Result<(Document, Vec<String>), String> {
    let parsed = match format {
        Format::Plain => plain::parse(&source),
        Format::Markdown => markdown::parse(&source)?,
        Format::Html => {
            let (text, parsed) = html::parse(&source)?;
            source = text;
            parsed
        }
    };
    let mut warnings = parsed.warnings;
    let sidecar = sidecar
        .map(|read| {
            warnings.extend(read.warnings);
            read.meta
        })
        .unwrap_or_default();
    let meta = parsed.meta;
    let title = sidecar
        .title
        .or(meta.title)
        .unwrap_or_else(|| title_from_file_name(&id));
    let passages = parsed
        .paragraphs
        .into_iter()
        .enumerate()
        .map(|(i, p)| Passage {
            section: p.section,
            paragraph: i + 1,
            sentences: sentences::split_around(&source, p.range.clone(), &p.markup),
            range: p.range,
            columns: p.columns,
        })
        .collect();
    // Only web links are kept: a `javascript:` url must never become a link in a reply.
    let url = sidecar.url.or(meta.url).and_then(|url| {
        let web = crate::link::web_url(&url);
        if web.is_none() {
            warnings.push(format!(
                "url `{url}` ignored: only http and https urls become links"
            ));
        }
        web
    });
    let document = Document {
        id,
        title,
        url,
        author: sidecar.author.or(meta.author),
        date: sidecar.date.or(meta.date),
        source,
        passages,
    };
    Ok((document, warnings))
}

/// What a format parser hands back: metadata found in the text, the body paragraphs, and what
/// was wrong with the metadata.
#[derive(Debug)]
struct Parsed {
    meta: Meta,
    paragraphs: Vec<ParsedParagraph>,
    warnings: Vec<String>,
}

/// A body paragraph as a format parser finds it.
#[derive(Debug)]
struct ParsedParagraph {
    /// The heading it sits under.
    section: Option<String>,
    /// Its byte range in the source.
    range: Range<usize>,
    /// Byte ranges of markup inside it (a quote's `>` on its second line) that sentences are
    /// split around.
    markup: Vec<Range<usize>>,
    /// For a table row, the names of the columns its text spans ([`Passage::columns`]).
    columns: Vec<String>,
}

fn title_from_file_name(id: &str) -> String {
    let stem = Path::new(id)
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy();
    let words: Vec<String> = stem
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        })
        .collect();
    if words.is_empty() {
        id.to_string()
    } else {
        words.join(" ")
    }
}

/// The range of `text[range]` without white space or invisible characters (a byte-order mark,
/// zero-width space) at either end: what a passage or sentence may start and end with.
pub(crate) fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let blank = |c: char| c.is_whitespace() || crate::analysis::is_ignorable(c);
    let piece = &text[range.clone()];
    let start = range.start + (piece.len() - piece.trim_start_matches(blank).len());
    let end = range.end - (piece.len() - piece.trim_end_matches(blank).len());
    start..end.max(start)
}

/// The byte ranges of the lines of `text`, without their line breaks. Every line break Unicode
/// makes mandatory ends a line, so files from any system read alike: `\n`, `\r\n`, a lone `\r`
/// (classic Mac OS), NEL, vertical tab, form feed and the line separator U+2028. The paragraph
/// separator U+2029 ends the paragraph too: it is read as a line break and a blank line.
pub fn lines(text: &str) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let end = match c {
            '\r' => match chars.peek() {
                Some(&(_, '\n')) => {
                    chars.next();
                    at + 2
                }
                _ => at + 1,
            },
            '\n' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => at + c.len_utf8(),
            _ => continue,
        };
        lines.push(start..at);
        if c == '\u{2029}' {
            lines.push(end..end);
        }
        start = end;
    }
    if start < text.len() {
        lines.push(start..text.len());
    }
    lines
}

/// Lines that are page furniture rather than writing: comment forms and share widgets copied along
/// with a post ([`lexicon::english::BOILERPLATE_LINES`], [`lexicon::chinese::BOILERPLATE_LINES`]).
/// They are never indexed, so they can never be cited.
pub fn is_boilerplate(line: &str) -> bool {
    let line = crate::analysis::without_ignorables(line);
    let folded = line.trim().trim_end_matches([':', '：']).to_lowercase();
    !folded.is_empty()
        && lexicon::english::BOILERPLATE_LINES
            .iter()
            .chain(lexicon::chinese::BOILERPLATE_LINES)
            .any(|f| *f == folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_ids_name_the_file_exactly() {
        let dir = Path::new("posts");
        assert_eq!(post_id(dir, &dir.join("sub").join("a b.md")), "sub/a b.md");
        #[cfg(unix)]
        {
            assert_eq!(post_id(dir, &dir.join("a\\b.md")), "a\\\\b.md");
            use std::os::unix::ffi::OsStrExt;
            let name = |bytes: &[u8]| dir.join(std::ffi::OsStr::from_bytes(bytes));
            assert_eq!(post_id(dir, &name(b"x\xffy.txt")), "x\\xffy.txt");
            assert_eq!(post_id(dir, &name(b"x\xfey.txt")), "x\\xfey.txt");
            // A file literally named like an escape is told apart from the escaped byte.
            assert_eq!(post_id(dir, &name(b"x\\xffy.txt")), "x\\\\xffy.txt");
        }
    }

    #[test]
    fn only_web_urls_are_kept() {
        let post = |url: &str| {
            let meta = Meta {
                url: Some(url.into()),
                ..Meta::default()
            };
            let read = metadata::Read {
                meta,
                warnings: Vec::new(),
            };
            let (document, warnings) =
                parse("a.txt".into(), "Text.\n".into(), Format::Plain, Some(read)).unwrap();
            assert_eq!(warnings.len(), usize::from(document.url.is_none()));
            document.url
        };
        assert_eq!(post("javascript:alert(1)"), None);
        assert_eq!(post("file:///etc/passwd"), None);
        assert_eq!(
            post("https://example.org/a").as_deref(),
            Some("https://example.org/a")
        );
        let markdown = parse(
            "a.md".into(),
            "---\ntitle: A\nurl: javascript:alert(1)\n---\nText.\n".into(),
            Format::Markdown,
            None,
        )
        .unwrap();
        assert_eq!(markdown.0.url, None);
    }

    #[test]
    fn title_falls_back_to_file_name() {
        assert_eq!(
            title_from_file_name("sub/garden-club_news.md"),
            "Garden Club News"
        );
    }

    #[test]
    fn every_kind_of_line_break_ends_a_line() {
        let text = "unix\nwindows\r\nmac\rnel\u{85}ls\u{2028}ps\u{2029}last";
        let got: Vec<&str> = lines(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            got,
            ["unix", "windows", "mac", "nel", "ls", "ps", "", "last"]
        );
        assert_eq!(lines("a\r\n\r\nb\r").len(), 3);
    }

    #[test]
    fn oversized_files_are_refused_before_they_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.txt");
        // Sparse: no disk is written, and a read would have to go through 64 MiB.
        let file = std::fs::File::create(&big).unwrap();
        file.set_len(MAX_POST_BYTES + 1).unwrap();
        let err = load_file(&big, "big.txt".into()).unwrap_err().to_string();
        assert!(
            err.contains("big.txt") && err.contains("64.0 MiB, and files over 64 MiB are not read"),
            "{err}"
        );
        std::fs::write(dir.path().join("big.meta.toml"), "title = \"x\"\n").unwrap();
        let sidecar = dir.path().join("big.meta.toml");
        std::fs::File::options()
            .write(true)
            .open(&sidecar)
            .unwrap()
            .set_len(MAX_SIDECAR_BYTES + 1)
            .unwrap();
        let read = read_sidecar(&big).expect("a sidecar");
        assert!(
            read.warnings[0].contains("files over 1 MiB are not read"),
            "{:?}",
            read.warnings
        );
    }

    #[test]
    fn boilerplate_lines_are_recognised() {
        assert!(is_boilerplate("发表回复"));
        assert!(is_boilerplate("  Leave a Reply "));
        assert!(is_boilerplate("Share this:"));
        assert!(is_boilerplate("\u{feff}Leave a\u{200b} reply"));
        assert!(!is_boilerplate("Leave a reply if you liked the bridge."));
    }

    #[test]
    fn paragraphs_are_numbered_and_sentences_located() {
        let source = "First line here. Second one.\nAnother paragraph!\n".to_string();
        let (doc, _) = parse("a.txt".into(), source, Format::Plain, None).unwrap();
        assert_eq!(doc.passages.len(), 2);
        assert_eq!(doc.passages[1].paragraph, 2);
        let s = &doc.passages[0].sentences[1];
        assert_eq!(&doc.source[s.clone()], "Second one.");
    }

    #[test]
    fn sidecar_title_wins() {
        let sidecar = metadata::sidecar("title = \"Given\"\nauthr = \"x\"\n", "a.meta.toml");
        let (doc, warnings) = parse(
            "a.md".into(),
            "---\ntitel: x\n---\n# Heading\n\nText.\n".into(),
            Format::Markdown,
            Some(sidecar),
        )
        .unwrap();
        assert_eq!(doc.title, "Given");
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("`titel`") && warnings[1].contains("`authr`"));
    }
}
