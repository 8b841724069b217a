//! Ingest: turns the files in the posts folder into [`Document`]s made of citable [`Passage`]s.
//! Each passage knows its post, section, paragraph number and sentences as byte ranges into the
//! file, so that anything later cited can be quoted verbatim and located exactly.

mod html;
mod markdown;
mod plain;
pub mod sentences;

use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
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
}

/// Metadata a post may carry in front matter or in a `NAME.meta.toml` sidecar.
#[derive(Debug, Clone, Default, serde::Deserialize)]
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

/// Sidecar files hold metadata for the post of the same stem; they are not posts themselves.
const SIDECAR_SUFFIX: &str = ".meta.toml";

/// Reads every `.txt`, `.md` and `.html` post in `dir` (recursively, in name order). Files that cannot be
/// read or parsed are returned in the second list so the caller can warn; they do not stop the rest.
pub fn load_dir(dir: &Path) -> Result<(Vec<Document>, Vec<Skipped>)> {
    load_dir_with(dir, &LogProgress::default())
}

/// [`load_dir`], reporting each file read to `progress`.
pub fn load_dir_with(dir: &Path, progress: &dyn Progress) -> Result<(Vec<Document>, Vec<Skipped>)> {
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
    collect_files(dir, &mut files)?;
    files.sort();
    let mut documents = Vec::new();
    let mut skipped = Vec::new();
    progress.start(Stage::Reading, files.len());
    for path in files {
        progress.advance();
        match load_file(&path, post_id(dir, &path)) {
            Ok(doc) if !doc.passages.is_empty() => documents.push(doc),
            Ok(_) => skipped.push(Skipped {
                reason: Error::Parse {
                    path: path.clone(),
                    message: "no text to index".into(),
                },
                path,
            }),
            Err(reason) => skipped.push(Skipped { path, reason }),
        }
    }
    progress.finish();
    if documents.is_empty() {
        return Err(Error::NoPosts(dir.to_path_buf()));
    }
    Ok((documents, skipped))
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

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        // The entry's own type, not its target's: a symlinked folder could lead back up the tree.
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_dir {
            collect_files(&path, out)?;
        } else if format_of(&path).is_some() && !name.ends_with(SIDECAR_SUFFIX) {
            out.push(path);
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

/// Reads and parses one post file.
pub fn load_file(path: &Path, id: String) -> Result<Document> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
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
    let sidecar = read_sidecar(path)?;
    let format = format_of(path).unwrap_or(Format::Plain);
    parse(id, source, format, sidecar).map_err(|message| Error::Parse {
        path: path.to_path_buf(),
        message,
    })
}

fn read_sidecar(path: &Path) -> Result<Option<Meta>> {
    // Built from the file name's bytes, so a name that is not UTF-8 finds its own sidecar.
    let mut name = path.file_stem().unwrap_or_default().to_os_string();
    name.push(SIDECAR_SUFFIX);
    let sidecar = path.with_file_name(name);
    if !sidecar.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&sidecar).map_err(|source| Error::Io {
        path: sidecar.clone(),
        source,
    })?;
    crate::config::parse_toml(&text)
        .map(Some)
        .map_err(|message| Error::Parse {
            path: sidecar,
            message,
        })
}

/// Parses a post's text. `sidecar` metadata wins over what the text itself says. An HTML page's
/// `source` becomes its extracted article text (see [`html`]).
fn parse(
    id: String,
    mut source: String,
    format: Format,
    sidecar: Option<Meta>,
) -> Result<Document, String> {
    let parsed = match format {
        Format::Plain => plain::parse(&source),
        Format::Markdown => markdown::parse(&source)?,
        Format::Html => {
            let (text, parsed) = html::parse(&source);
            source = text;
            parsed
        }
    };
    let sidecar = sidecar.unwrap_or_default();
    let meta = parsed.meta;
    let title = sidecar
        .title
        .or(meta.title)
        .unwrap_or_else(|| title_from_file_name(&id));
    let passages = parsed
        .paragraphs
        .into_iter()
        .enumerate()
        .map(|(i, (section, range))| Passage {
            section,
            paragraph: i + 1,
            sentences: sentences::split(&source, range.clone()),
            range,
        })
        .collect();
    // Only web links are kept: a `javascript:` url must never become a link in a reply.
    let url = sidecar.url.or(meta.url).and_then(|url| {
        let web = crate::link::web_url(&url);
        if web.is_none() {
            tracing::warn!(post = %id, %url, "url ignored: only http and https urls become links");
        }
        web
    });
    Ok(Document {
        id,
        title,
        url,
        author: sidecar.author.or(meta.author),
        date: sidecar.date.or(meta.date),
        source,
        passages,
    })
}

/// What a format parser hands back: metadata found in the text and the body paragraphs with the
/// heading each sits under.
#[derive(Debug)]
struct Parsed {
    meta: Meta,
    paragraphs: Vec<(Option<String>, Range<usize>)>,
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

/// Lines that are page furniture rather than writing: comment forms and share widgets copied along
/// with a post. They are never indexed, so they can never be cited.
pub fn is_boilerplate(line: &str) -> bool {
    const FURNITURE: &[&str] = &[
        "发表回复",
        "发表评论",
        "留下评论",
        "分享到",
        "leave a reply",
        "leave a comment",
        "cancel reply",
        "post a comment",
        "share this",
        "share this:",
        "like this:",
        "like this",
        "post navigation",
        "related posts",
        "related",
        "comments",
        "no comments",
        "reply",
        "subscribe",
        "share",
        "tweet",
        "print",
        "email",
        "facebook",
        "twitter",
        "previous post",
        "next post",
        "read more",
        "continue reading",
    ];
    let folded = line.trim().trim_end_matches([':', '：']).to_lowercase();
    !folded.is_empty() && FURNITURE.iter().any(|f| f.trim_end_matches(':') == folded)
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
    fn a_bad_sidecar_value_names_its_line_and_key() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), "Text.\n").unwrap();
        std::fs::write(dir.path().join("a.meta.toml"), "title = \"A\"\nurl = 3\n").unwrap();
        let err = load_file(&dir.path().join("a.md"), "a.md".into())
            .unwrap_err()
            .to_string();
        assert!(err.contains("a.meta.toml"), "{err}");
        assert!(
            err.contains("line 2 (url): invalid type: integer `3`"),
            "{err}"
        );
    }

    #[test]
    fn only_web_urls_are_kept() {
        let post = |url: &str| {
            let meta = Meta {
                url: Some(url.into()),
                ..Meta::default()
            };
            parse("a.txt".into(), "Text.\n".into(), Format::Plain, Some(meta))
                .unwrap()
                .url
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
        assert_eq!(markdown.url, None);
    }

    #[test]
    fn title_falls_back_to_file_name() {
        assert_eq!(
            title_from_file_name("sub/garden-club_news.md"),
            "Garden Club News"
        );
    }

    #[test]
    fn boilerplate_lines_are_recognised() {
        assert!(is_boilerplate("发表回复"));
        assert!(is_boilerplate("  Leave a Reply "));
        assert!(is_boilerplate("Share this:"));
        assert!(!is_boilerplate("Leave a reply if you liked the bridge."));
    }

    #[test]
    fn paragraphs_are_numbered_and_sentences_located() {
        let source = "First line here. Second one.\nAnother paragraph!\n".to_string();
        let doc = parse("a.txt".into(), source, Format::Plain, None).unwrap();
        assert_eq!(doc.passages.len(), 2);
        assert_eq!(doc.passages[1].paragraph, 2);
        let s = &doc.passages[0].sentences[1];
        assert_eq!(&doc.source[s.clone()], "Second one.");
    }

    #[test]
    fn sidecar_title_wins() {
        let meta = Meta {
            title: Some("Given".into()),
            ..Meta::default()
        };
        let doc = parse(
            "a.md".into(),
            "# Heading\n\nText.\n".into(),
            Format::Markdown,
            Some(meta),
        )
        .unwrap();
        assert_eq!(doc.title, "Given");
    }
}
