//! The saved copies of fetched pages: `web/<site>/<path-slug>.html` in the posts folder, each
//! with a `.meta.toml` sidecar that ingest reads for the post's url, title, author and date and
//! that also records where and when the page was fetched and its validators (`etag`,
//! `last_modified`). The saved copy is what is indexed and cited, so byte offsets stay put and
//! answers go on while the site is down.
//!
//! The `web` folder is citebot's: a marker file says so, citebot writes into no `web` folder
//! without it (unless it finds it empty), and it deletes only pages whose sidecar it wrote (they
//! open with its header line). Files are written beside their place under a hidden name, then
//! renamed, so a reader never sees half a page.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::{Error, Result};
use citebot_core::Error as CoreError;

/// The folder of saved pages, inside the posts folder.
pub const FOLDER: &str = "web";
/// The marker of a `web` folder that citebot made; hidden, so ingest passes over it.
const MARKER_FILE: &str = ".citebot-web";
/// The marker's text.
const MARKER_TEXT: &str = "This folder holds the pages `citebot fetch` saved from the web sources of the config\n\
(and sources.toml). citebot rewrites and deletes the pages it saved here; it never deletes other files.\n";
/// The first line of every sidecar citebot writes; a sidecar without it is not citebot's.
const SIDECAR_HEADER: &str = "# Saved by `citebot fetch`";
/// The extension of a saved page.
const PAGE_SUFFIX: &str = ".html";
/// The extension of a sidecar (as ingest knows it).
const SIDECAR_SUFFIX: &str = ".meta.toml";
/// The longest path slug, in characters; a longer path is cut and given a hash.
const MAX_SLUG_CHARS: usize = 80;

/// What a sidecar of a saved page says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageMeta {
    /// The page's address: what citations link to.
    pub url: String,
    /// Its title, from the feed that listed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Its author, from the feed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Its date, from the feed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The configured source that listed it (or is it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// When this copy was downloaded (RFC 3339, UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched: Option<String>,
    /// The server's `ETag` for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The server's `Last-Modified` for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

impl PageMeta {
    /// The fields that change what is indexed (the rest only records the fetch).
    pub fn indexed_fields(&self) -> (&str, &Option<String>, &Option<String>, &Option<String>) {
        (&self.url, &self.title, &self.author, &self.date)
    }
}

/// A page citebot saved.
#[derive(Debug, Clone)]
pub struct Saved {
    /// The saved page.
    pub page: PathBuf,
    /// Its sidecar.
    pub sidecar: PathBuf,
    /// What the sidecar says.
    pub meta: PageMeta,
}

impl Saved {
    /// Whether the page itself is still there (its sidecar is).
    pub fn has_page(&self) -> bool {
        self.page.is_file()
    }
}

/// citebot's `web` folder in a posts folder.
pub struct Folder {
    posts: PathBuf,
    root: PathBuf,
}

impl Folder {
    /// The `web` folder of `posts`, whether or not it exists yet.
    pub fn of(posts: &Path) -> Folder {
        Folder {
            posts: posts.to_path_buf(),
            root: posts.join(FOLDER),
        }
    }

    /// The folder's path.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Makes sure the folder is citebot's, creating it (and the posts folder) if need be: a
    /// folder with the marker is, an empty one becomes citebot's, any other is refused.
    pub fn claim(&self) -> Result<()> {
        let marker = self.root.join(MARKER_FILE);
        if marker.is_file() {
            return Ok(());
        }
        match std::fs::read_dir(&self.root) {
            Ok(mut entries) => {
                if entries.next().is_some() {
                    return Err(Error::ForeignWebDir {
                        path: self.root.clone(),
                        reason: "it holds files and no .citebot-web marker",
                    });
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(&self.root).map_err(|source| CoreError::Write {
                    path: self.root.clone(),
                    source,
                })?;
            }
            Err(_) if self.root.exists() => {
                return Err(Error::ForeignWebDir {
                    path: self.root.clone(),
                    reason: "it is not a folder citebot can list",
                })
            }
            Err(source) => {
                return Err(CoreError::Io {
                    path: self.root.clone(),
                    source,
                }
                .into())
            }
        }
        write_atomically(&marker, MARKER_TEXT.as_bytes())
    }

    /// Every page saved in the folder, by url. Sidecars citebot did not write, and ones it
    /// cannot read, are passed over (with a warning for the latter).
    pub fn scan(&self) -> HashMap<String, Saved> {
        let mut saved = HashMap::new();
        let mut folders = vec![self.root.clone()];
        while let Some(folder) = folders.pop() {
            let Ok(entries) = std::fs::read_dir(&folder) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    folders.push(path);
                    continue;
                }
                let name = entry.file_name().to_string_lossy().into_owned();
                let Some(stem) = name.strip_suffix(SIDECAR_SUFFIX) else {
                    continue;
                };
                if name.starts_with('.') {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                if !text.starts_with(SIDECAR_HEADER) {
                    continue;
                }
                match toml::from_str::<PageMeta>(&text) {
                    Ok(meta) => {
                        let page = path.with_file_name(format!("{stem}{PAGE_SUFFIX}"));
                        saved.insert(
                            meta.url.clone(),
                            Saved {
                                page,
                                sidecar: path,
                                meta,
                            },
                        );
                    }
                    Err(e) => {
                        tracing::warn!(file = %path.display(), "cannot read a saved page's sidecar: {}", e.message())
                    }
                }
            }
        }
        saved
    }

    /// Where a page not saved before goes: `<site>/<slug>.html`, with a hash of the url added
    /// when the slug is cut short, comes from a query, or is taken by another page or file.
    pub fn place_for(&self, url: &Url, saved: &HashMap<String, Saved>) -> Saved {
        let folder = self.root.join(site_folder(url));
        let (slug, exact) = slug(url);
        let taken = |stem: &str| {
            let page = folder.join(format!("{stem}{PAGE_SUFFIX}"));
            let sidecar = folder.join(format!("{stem}{SIDECAR_SUFFIX}"));
            page.exists() || sidecar.exists() || saved.values().any(|s| s.page == page)
        };
        let stem = if exact && !taken(&slug) {
            slug
        } else {
            let hash = xxhash_rust::xxh3::xxh3_64(url.as_str().as_bytes());
            format!("{slug}-{:08x}", hash as u32)
        };
        Saved {
            page: folder.join(format!("{stem}{PAGE_SUFFIX}")),
            sidecar: folder.join(format!("{stem}{SIDECAR_SUFFIX}")),
            meta: PageMeta {
                url: url.to_string(),
                ..PageMeta::default()
            },
        }
    }

    /// Writes the page (when `page` is given) and then its sidecar.
    pub fn save(&self, saved: &Saved, page: Option<&[u8]>) -> Result<()> {
        if let Some(folder) = saved.page.parent() {
            std::fs::create_dir_all(folder).map_err(|source| CoreError::Write {
                path: folder.to_path_buf(),
                source,
            })?;
        }
        if let Some(page) = page {
            write_atomically(&saved.page, page)?;
        }
        let body = toml::to_string(&saved.meta).map_err(|e| CoreError::Write {
            path: saved.sidecar.clone(),
            source: std::io::Error::other(e),
        })?;
        let text = format!(
            "{SIDECAR_HEADER} from {}; citebot rewrites this file at each fetch and deletes it with the page.\n{body}",
            saved.meta.url
        );
        write_atomically(&saved.sidecar, text.as_bytes())
    }

    /// Deletes a saved page and its sidecar, and its site's folder once empty. Only a page whose
    /// sidecar citebot wrote is deleted.
    pub fn remove(&self, saved: &Saved) -> Result<()> {
        let is_ours = std::fs::read_to_string(&saved.sidecar)
            .is_ok_and(|text| text.starts_with(SIDECAR_HEADER));
        if !is_ours || !saved.sidecar.starts_with(&self.root) {
            return Ok(());
        }
        for path in [&saved.page, &saved.sidecar] {
            match std::fs::remove_file(path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => {
                    return Err(CoreError::Write {
                        path: path.clone(),
                        source,
                    }
                    .into())
                }
            }
        }
        if let Some(folder) = saved.page.parent().filter(|f| *f != self.root) {
            // Fails, as it should, while the folder holds anything.
            let _ = std::fs::remove_dir(folder);
        }
        Ok(())
    }

    /// A saved page's identifier as a post (its path in the posts folder).
    pub fn post_id(&self, saved: &Saved) -> String {
        citebot_core::ingest::post_id(&self.posts, &saved.page)
    }
}

/// A site's folder name: the host, and `_port` when the url names a port.
fn site_folder(url: &Url) -> String {
    let host = url
        .host_str()
        .unwrap_or("site")
        .trim_matches(['[', ']'])
        .replace(':', "-")
        .to_ascii_lowercase();
    match url.port() {
        Some(port) => format!("{host}_{port}"),
        None => host,
    }
}

/// The path of `url` as a file name stem: its segments, decoded, joined by `-`, with only
/// letters, digits, `.`, `_` and `-` kept; `index` for the root. Also whether the stem stands for
/// the url alone (false when a query was dropped or the path was cut short).
fn slug(url: &Url) -> (String, bool) {
    let path = percent_encoding::percent_decode_str(url.path()).decode_utf8_lossy();
    let path = path
        .trim_end_matches('/')
        .trim_end_matches(".html")
        .trim_end_matches(".htm");
    let mut slug = String::new();
    for c in path.chars() {
        let keep = c.is_alphanumeric() || matches!(c, '.' | '_' | '-');
        let c = if keep { c } else { '-' };
        if c == '-' && (slug.is_empty() || slug.ends_with('-')) {
            continue;
        }
        slug.push(c);
    }
    let mut slug = slug.trim_matches(['-', '.']).to_string();
    let mut exact = url.query().is_none();
    if slug.chars().count() > MAX_SLUG_CHARS {
        slug = slug.chars().take(MAX_SLUG_CHARS).collect();
        slug = slug.trim_end_matches(['-', '.']).to_string();
        exact = false;
    }
    if slug.is_empty() {
        slug = "index".to_string();
    }
    (slug, exact)
}

/// Writes `bytes` to `path` through a hidden file beside it and a rename, so a reader (ingest,
/// the watch) sees the old file or the new one, never half of one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let partial = path.with_file_name(format!(".{name}.partial"));
    let failed = |source| CoreError::Write {
        path: path.to_path_buf(),
        source,
    };
    std::fs::write(&partial, bytes).map_err(failed)?;
    std::fs::rename(&partial, path).map_err(|source| {
        let _ = std::fs::remove_file(&partial);
        failed(source).into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn slugs_are_readable_and_say_when_they_are_not_the_whole_url() {
        assert_eq!(slug(&url("https://b.example/")), ("index".into(), true));
        assert_eq!(
            slug(&url("https://b.example/2024/05/bridges/")),
            ("2024-05-bridges".into(), true)
        );
        assert_eq!(
            slug(&url("https://b.example/posts/a%20b.html")),
            ("posts-a-b".into(), true)
        );
        assert_eq!(
            slug(&url("https://b.example/zh/%E7%81%AF%E7%AC%BC")),
            ("zh-灯笼".into(), true)
        );
        assert_eq!(
            slug(&url("https://b.example/view?id=3")),
            ("view".into(), false)
        );
        let long = format!("https://b.example/{}", "a".repeat(200));
        assert_eq!(slug(&url(&long)).0.len(), MAX_SLUG_CHARS);
        assert!(!slug(&url(&long)).1);
        assert_eq!(
            site_folder(&url("http://127.0.0.1:4000/x")),
            "127.0.0.1_4000"
        );
        assert_eq!(site_folder(&url("https://Blog.Example/x")), "blog.example");
        assert_eq!(site_folder(&url("http://[::1]:80/x")), "--1");
    }

    #[test]
    fn a_foreign_web_folder_is_refused_and_only_citebots_pages_are_deleted() {
        let posts = tempfile::tempdir().unwrap();
        std::fs::create_dir(posts.path().join("web")).unwrap();
        std::fs::write(posts.path().join("web/mine.md"), "# Mine\n\nMine.\n").unwrap();
        let folder = Folder::of(posts.path());
        assert!(matches!(folder.claim(), Err(Error::ForeignWebDir { .. })));

        let posts = tempfile::tempdir().unwrap();
        let folder = Folder::of(posts.path());
        folder.claim().unwrap();
        folder.claim().unwrap();
        let page = url("https://b.example/a");
        let mut saved = folder.place_for(&page, &HashMap::new());
        saved.meta.etag = Some("\"v1\"".into());
        folder.save(&saved, Some(b"<p>A</p>")).unwrap();
        let found = folder.scan();
        assert_eq!(found.len(), 1);
        let again = &found["https://b.example/a"];
        assert_eq!(again.meta.etag.as_deref(), Some("\"v1\""));
        assert_eq!(folder.post_id(again), "web/b.example/a.html");

        // Another url with the same slug gets its own file.
        let other = folder.place_for(&url("https://b.example/a/"), &found);
        assert_ne!(other.page, again.page);

        // A page with a sidecar citebot did not write is not deleted.
        let theirs = posts.path().join("web/b.example/theirs.html");
        std::fs::write(&theirs, "<p>T</p>").unwrap();
        std::fs::write(
            theirs.with_extension("meta.toml"),
            "url = \"https://b.example/t\"\n",
        )
        .unwrap();
        assert_eq!(folder.scan().len(), 1);
        folder
            .remove(&Saved {
                page: theirs.clone(),
                sidecar: theirs.with_extension("meta.toml"),
                meta: PageMeta::default(),
            })
            .unwrap();
        assert!(theirs.exists());
        folder.remove(again).unwrap();
        assert!(!again.page.exists() && !again.sidecar.exists());
        assert!(folder.scan().is_empty());
    }
}
