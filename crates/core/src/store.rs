//! The persisted index: for large corpora the tantivy index lives in a directory (`index.dir`,
//! default `.citebot/`) beside a manifest of each post's content hash, title, link and file
//! stamp. At startup and on every re-index the posts folder is scanned: a post whose files keep
//! the stamp the manifest lists is not read at all (the index stores its passages), the others
//! are read, and the index is brought in line with them: reused as it is when no post changed,
//! updated for the posts that were added, changed or removed, and rebuilt whole (beside the old
//! one, then renamed into place) when its files are missing or corrupt or were written by another
//! version of citebot. A bad index is a warning and a rebuild, never a crash.
//!
//! citebot never deletes or overwrites a file it did not write: the index folder carries a marker
//! written when citebot created it, nothing is removed from a folder without it, and an index
//! folder that is, holds or sits inside the posts folder is refused outright.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::analysis;
use crate::error::{Error, Result};
use crate::index::{self, post_key, SearchIndex};
use crate::ingest::{self, Document, Skipped, Stamp};
use crate::paths;
use crate::posts::Post;
use crate::progress::{Progress, Stage};

/// Bumped whenever the index schema or the way passages are analysed for it changes.
const INDEX_FORMAT: u32 = 4;
/// The tantivy files, inside the store directory.
const INDEX_SUBDIR: &str = "index";
/// Where a whole rebuild is written before it replaces [`INDEX_SUBDIR`].
const REBUILD_SUBDIR: &str = "index.new";
/// Held (an advisory lock) while a process checks or updates the index.
const LOCK_FILE: &str = "update.lock";
/// The manifest of indexed posts, inside the store directory.
const MANIFEST_FILE: &str = "manifest.json";
/// Where a new manifest is written before it replaces [`MANIFEST_FILE`].
const MANIFEST_PARTIAL: &str = "manifest.json.partial";
/// The hash a manifest lists for a post while an update of its passages is under way; no
/// post's [`content_hash`] is ever written this way.
const PENDING_HASH: &str = "pending";
/// The marker of a folder citebot made for its index. It is a Cache Directory Tag
/// (<https://bford.info/cachedir/>), so backup tools skip the index, which the posts rebuild.
const MARKER_FILE: &str = "CACHEDIR.TAG";
/// The marker's text: the tag's signature line, then the line that tells citebot's own marker
/// from another program's cache tag.
const MARKER_TEXT: &str = "Signature: 8a477f597d28d172789f06886806bc55\n\
# This folder holds citebot's search index; citebot rebuilds it from the posts and may delete\n\
# anything in it. See https://bford.info/cachedir/\n";
/// How the file a marker is written to before it is renamed into place starts.
const MARKER_PARTIAL_PREFIX: &str = "CACHEDIR.TAG.partial-";
/// The line of [`MARKER_TEXT`] that says the folder is citebot's.
const MARKER_OWNER: &str = "# This folder holds citebot's search index;";
/// Everything an index folder written by a citebot without the marker may hold; such a folder
/// (with its manifest) is adopted and marked rather than refused.
const UNMARKED_ENTRIES: &[&str] = &[
    MANIFEST_FILE,
    MANIFEST_PARTIAL,
    LOCK_FILE,
    INDEX_SUBDIR,
    REBUILD_SUBDIR,
];
/// Text whose analysis is part of the index format: if a new version of citebot analyses it
/// differently, every stored term may be stale and the index is rebuilt.
const ANALYSIS_PROBE: &str =
    "Running quickly, the co-operative's e-mail, written by children, said 3.5% (US$1,200) on 12 May 2024 in the U.S. and E\u{301}.U.; naïve Zoë. 中文分词测试。 \u{d4a} one\u{fe0f} \u{3164}two\u{3164}";

/// What is in the index on disk: one entry per post, by identifier.
#[derive(Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Manifest {
    /// The index format, citebot version and analysis fingerprint the index was written with.
    format: String,
    /// Indexed posts by identifier.
    posts: BTreeMap<String, ManifestEntry>,
}

/// One indexed post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ManifestEntry {
    /// [`content_hash`] of the post, in hex.
    hash: String,
    /// How many passages of it are indexed.
    passages: usize,
    /// Its title.
    title: String,
    /// Its link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    /// Its files' stamp when they were read, if it could be trusted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stamp: Option<Stamp>,
}

impl ManifestEntry {
    /// The entry of a post read now, whose files had `stamp` before it was read.
    fn of(doc: &Document, stamp: Option<Stamp>) -> ManifestEntry {
        ManifestEntry {
            hash: format!("{:032x}", content_hash(doc)),
            passages: doc.passages.len(),
            title: doc.title.clone(),
            url: doc.url.clone(),
            stamp,
        }
    }

    /// The post it lists as `id`; `None` when its hash is not one (a pending update).
    fn post(&self, id: &str) -> Option<Post> {
        Some(Post {
            id: id.to_string(),
            title: self.title.clone(),
            url: self.url.clone(),
            passages: self.passages,
            hash: u128::from_str_radix(&self.hash, 16).ok()?,
        })
    }

    /// True when the index holds the post of `other` as it holds this one's.
    fn indexed_alike(&self, other: &ManifestEntry) -> bool {
        self.hash == other.hash && self.passages == other.passages
    }
}

/// A post found in the posts folder by [`scan`], read or not.
#[derive(Debug)]
pub enum Scanned {
    /// Read now (new, or its files changed since it was indexed), with the stamp its files had
    /// before it was read.
    Read(Document, Option<Stamp>),
    /// Not read: its files keep the stamp the manifest lists, so the index holds it as it is.
    Unread(PathBuf, Post),
}

impl Scanned {
    /// The post's identifier.
    pub fn id(&self) -> &str {
        match self {
            Scanned::Read(doc, _) => &doc.id,
            Scanned::Unread(_, post) => &post.id,
        }
    }

    /// How many passages the post has.
    pub fn passages(&self) -> usize {
        match self {
            Scanned::Read(doc, _) => doc.passages.len(),
            Scanned::Unread(_, post) => post.passages,
        }
    }

    /// What the engine keeps of the post.
    pub fn post(&self) -> Post {
        match self {
            Scanned::Read(doc, _) => Post::of(doc),
            Scanned::Unread(_, post) => post.clone(),
        }
    }
}

/// Lists the posts in `posts_dir` and reads those that the index in `dir` does not hold as they
/// are now: every post, when there is no usable manifest; else the posts whose files' stamps
/// differ from the ones listed. Files that cannot be read are returned apart, as
/// [`ingest::load_dir`] does.
pub fn scan(
    dir: &Path,
    posts_dir: &Path,
    progress: &dyn Progress,
) -> Result<(Vec<Scanned>, Vec<Skipped>)> {
    let (files, mut skipped) = ingest::list_posts(posts_dir)?;
    // Read without the lock: a manifest changed meanwhile is caught when the index is opened
    // under the lock (see [`open`]), and the unread posts are then read after all.
    let listed = read_manifest(dir)
        .ok()
        .filter(|m| m.format == format_line());
    let mut scanned = Vec::with_capacity(files.len());
    progress.start(Stage::Reading, files.len());
    for path in files {
        progress.advance();
        let id = ingest::post_id(posts_dir, &path);
        let stamp = ingest::stamp(&path);
        let entry = listed.as_ref().and_then(|m| m.posts.get(&id));
        if let Some(post) = entry
            .filter(|e| stamp.is_some() && e.stamp == stamp)
            .and_then(|e| e.post(&id))
        {
            scanned.push(Scanned::Unread(path, post));
            continue;
        }
        match ingest::load_post(&path, id) {
            Ok(doc) => scanned.push(Scanned::Read(doc, stamp)),
            Err(reason) => skipped.push(Skipped { path, reason }),
        }
    }
    progress.finish();
    if scanned.is_empty() {
        return Err(Error::NoPosts(posts_dir.to_path_buf()));
    }
    Ok((scanned, skipped))
}

/// How many of the scanned posts were read from their files.
pub fn read_count(scanned: &[Scanned]) -> usize {
    scanned
        .iter()
        .filter(|s| matches!(s, Scanned::Read(..)))
        .count()
}

/// Reads the posts [`scan`] left unread; one that can no longer be read is left out, with a
/// warning.
pub fn read_all(scanned: Vec<Scanned>) -> Vec<Document> {
    read_unread(scanned)
        .into_iter()
        .filter_map(|s| match s {
            Scanned::Read(doc, _) => Some(doc),
            Scanned::Unread(..) => None,
        })
        .collect()
}

/// Reads the posts [`scan`] left unread, each stamped before it is read as the scan does, and
/// keeps the stamps of those it read: an index rebuilt from them must not forget the stamps, or
/// the next start would read every post again. One that can no longer be read is left out, with
/// a warning.
pub fn read_unread(scanned: Vec<Scanned>) -> Vec<Scanned> {
    scanned
        .into_iter()
        .filter_map(|s| match s {
            Scanned::Unread(path, post) => {
                let stamp = ingest::stamp(&path);
                match ingest::load_post(&path, post.id) {
                    Ok(doc) => Some(Scanned::Read(doc, stamp)),
                    Err(reason) => {
                        tracing::warn!(file = %path.display(), "skipped post: {reason}");
                        None
                    }
                }
            }
            read => Some(read),
        })
        .collect()
}

/// What bringing the index on disk in line with the posts did.
#[derive(Debug, Default)]
pub struct StoreReport {
    /// Why the index was rebuilt whole, if it was.
    pub rebuilt: Option<String>,
    /// Posts whose passages were written (new or changed), by identifier.
    pub indexed: Vec<String>,
    /// Posts whose passages were removed because the post is gone.
    pub removed: Vec<String>,
    /// How many posts were reused as they were.
    pub reused: usize,
    /// How many posts were read from their files (new, or their stamp changed); the others
    /// were taken from the index as they were listed.
    pub read: usize,
    /// True when the folder cannot be written and the index, up to date, was opened read-only.
    pub read_only: bool,
}

/// A hash of everything about a post that its indexed passages depend on: its text, title,
/// sections, table columns and how it was split into passages and sentences.
pub fn content_hash(doc: &Document) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in [
        doc.id.as_bytes(),
        doc.title.as_bytes(),
        doc.source.as_bytes(),
    ] {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    for passage in &doc.passages {
        let section = passage.section.as_deref().unwrap_or("\u{0}");
        hasher.update(&(section.len() as u64).to_le_bytes());
        hasher.update(section.as_bytes());
        hasher.update(&(passage.columns.len() as u64).to_le_bytes());
        for column in &passage.columns {
            hasher.update(&(column.len() as u64).to_le_bytes());
            hasher.update(column.as_bytes());
        }
        for range in std::iter::once(&passage.range).chain(&passage.sentences) {
            hasher.update(&(range.start as u64).to_le_bytes());
            hasher.update(&(range.end as u64).to_le_bytes());
        }
    }
    hasher.digest128()
}

/// The format line of the manifest for this build of citebot.
fn format_line() -> String {
    let probe: Vec<String> = analysis::terms(ANALYSIS_PROBE)
        .into_iter()
        .map(|t| format!("{}@{}:{:?}", t.text, t.position, t.range))
        .collect();
    let fingerprint = xxhash_rust::xxh3::xxh3_64(probe.join(" ").as_bytes());
    format!(
        "citebot {} index format {INDEX_FORMAT} analysis {fingerprint:016x}",
        env!("CARGO_PKG_VERSION")
    )
}

/// Opens the index in `dir` for the posts `scanned`, updating or rebuilding it as needed.
/// Processes sharing the folder (several shard processes) take turns: the first brings the index
/// up to date, the others then find it so. Reading needs no more than the shared side of the
/// lock, so readers never wait for each other, and an up-to-date index in a folder this process
/// cannot write (a read-only file system) is used as it is. Returns `None` when posts left
/// unread must be read after all: the index must be rebuilt, or another process changed the
/// manifest since the scan.
pub fn open(
    dir: &Path,
    scanned: &[Scanned],
    progress: &dyn Progress,
) -> Result<Option<(SearchIndex, StoreReport)>> {
    claim(dir)?;
    let posts: Vec<Post> = scanned.iter().map(Scanned::post).collect();
    let lock_path = dir.join(LOCK_FILE);
    let lock = match std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
    {
        Ok(lock) => lock,
        Err(e) if cannot_write(&e) => return open_read_only(dir, scanned, &posts, progress),
        Err(source) => return Err(io(&lock_path, source)),
    };
    // The lock is released when `lock` is dropped, on return.
    take_lock(&lock, Access::Read, dir, progress)?;
    if let Ok((index, manifest)) = open_existing(dir, Access::Read) {
        if wanted(scanned, &manifest).is_some_and(|w| w == manifest) {
            return Ok(Some((SearchIndex::new(&index, &posts)?, reused(scanned))));
        }
    }
    lock.unlock().map_err(|source| io(&lock_path, source))?;
    take_lock(&lock, Access::Write, dir, progress)?;
    // Another process may have brought the index up to date while this one waited.
    let (index, manifest) = match open_existing(dir, Access::Write) {
        Ok(opened) => opened,
        Err(_) if has_unread(scanned) => return Ok(None),
        Err(reason) => {
            let reason = if dir.join(MANIFEST_FILE).exists() || dir.join(INDEX_SUBDIR).exists() {
                tracing::warn!(dir = %dir.display(), %reason, "rebuilding the index on disk");
                reason
            } else {
                tracing::info!(dir = %dir.display(), "creating the index on disk");
                "there was no index yet".to_string()
            };
            let docs: Vec<&Document> = read_docs(scanned).collect();
            let index = rebuild(dir, &docs, progress)?;
            let wanted = wanted(scanned, &Manifest::default()).expect("every post was read");
            write_manifest(dir, &wanted)?;
            let report = StoreReport {
                rebuilt: Some(reason),
                indexed: docs.iter().map(|d| d.id.clone()).collect(),
                ..StoreReport::default()
            };
            return Ok(Some((SearchIndex::new(&index, &posts)?, report)));
        }
    };
    let Some(wanted) = wanted(scanned, &manifest) else {
        return Ok(None);
    };
    let mut report = StoreReport::default();
    let mut remove = Vec::new();
    let mut add = Vec::new();
    for doc in scanned {
        let id = doc.id();
        let listed = manifest.posts.get(id);
        if listed.is_some_and(|m| m.indexed_alike(&wanted.posts[id])) {
            report.reused += 1;
        } else if let Scanned::Read(doc, _) = doc {
            // Removing first makes the update idempotent: a post indexed by an update that was
            // interrupted before the manifest was written is never indexed twice.
            remove.push(post_key(id));
            add.push(doc);
            report.indexed.push(id.to_string());
        }
    }
    for id in manifest.posts.keys() {
        if !wanted.posts.contains_key(id) {
            remove.push(post_key(id));
            report.removed.push(id.clone());
        }
    }
    if !remove.is_empty() || !add.is_empty() {
        // Until the update is committed and the new manifest written, the posts it touches are
        // listed as pending, a hash no post has: an update cut short (kill -9, or `serve`
        // stopped while loading) is done again at the next start, whatever the posts hold then.
        // Listing them as before would let a post edited back to its old text be served from
        // passages indexed for the edit.
        let mut pending = manifest;
        for id in report.indexed.iter().chain(&report.removed) {
            if let Some(entry) = pending.posts.get_mut(id) {
                entry.hash = PENDING_HASH.to_string();
            }
        }
        write_manifest(dir, &pending)?;
        progress.start(Stage::Indexing, add.iter().map(|d| d.passages.len()).sum());
        index::write(&index, &remove, index::analysed(add, progress))?;
        progress.finish();
        write_manifest(dir, &wanted)?;
    } else if manifest != wanted {
        // Only stamps or links changed (a post touched, or a link edited in its sidecar).
        write_manifest(dir, &wanted)?;
    }
    Ok(Some((SearchIndex::new(&index, &posts)?, report)))
}

/// Notes in the manifest in `dir` the stamps of the posts `scanned` when the index holds them
/// all as they are (a re-index that found nothing to change): a post touched, or read before its
/// stamp could be trusted, is then left unread by the next scan instead of read at every
/// re-index. Nothing is written when the manifest lists other posts or other text (the index
/// must be updated, not only its stamps) or when the folder cannot be written.
pub fn note_stamps(dir: &Path, scanned: &[Scanned]) -> Result<()> {
    let lock_path = dir.join(LOCK_FILE);
    let lock = match std::fs::OpenOptions::new().write(true).open(&lock_path) {
        Ok(lock) => lock,
        // No index here yet, or one this process may not write: nothing to note.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound || cannot_write(&e) => return Ok(()),
        Err(source) => return Err(io(&lock_path, source)),
    };
    take_lock(
        &lock,
        Access::Write,
        dir,
        &crate::progress::LogProgress::default(),
    )?;
    let Ok(manifest) = read_manifest(dir) else {
        return Ok(());
    };
    let Some(wanted) = wanted(scanned, &manifest).filter(|w| w.format == manifest.format) else {
        return Ok(());
    };
    let unstamped = |entry: &ManifestEntry| ManifestEntry {
        stamp: None,
        ..entry.clone()
    };
    let same_posts = wanted.posts.len() == manifest.posts.len()
        && wanted.posts.iter().all(|(id, entry)| {
            manifest
                .posts
                .get(id)
                .is_some_and(|m| unstamped(m) == unstamped(entry))
        });
    if same_posts && wanted != manifest {
        write_manifest(dir, &wanted)?;
    }
    Ok(())
}

/// The manifest that lists the posts `scanned`: a post read now as it is, one left unread as
/// `manifest` lists it. `None` when `manifest` no longer lists an unread post as it did at the
/// scan (another process updated the index meanwhile), which must then be read after all.
fn wanted(scanned: &[Scanned], manifest: &Manifest) -> Option<Manifest> {
    let mut posts = BTreeMap::new();
    for s in scanned {
        let entry = match s {
            Scanned::Read(doc, stamp) => ManifestEntry::of(doc, *stamp),
            Scanned::Unread(_, post) => manifest
                .posts
                .get(&post.id)
                .filter(|e| e.post(&post.id).as_ref() == Some(post))?
                .clone(),
        };
        posts.insert(s.id().to_string(), entry);
    }
    Some(Manifest {
        format: format_line(),
        posts,
    })
}

/// True when some posts were left unread by the scan.
fn has_unread(scanned: &[Scanned]) -> bool {
    scanned.iter().any(|s| matches!(s, Scanned::Unread(..)))
}

/// The posts the scan read.
fn read_docs(scanned: &[Scanned]) -> impl Iterator<Item = &Document> {
    scanned.iter().filter_map(|s| match s {
        Scanned::Read(doc, _) => Some(doc),
        Scanned::Unread(..) => None,
    })
}

/// Reading or writing the index, which decides the side of the lock taken and how the index is
/// opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Read,
    Write,
}

/// The report of an index used as it was.
fn reused(scanned: &[Scanned]) -> StoreReport {
    StoreReport {
        reused: scanned.len(),
        ..StoreReport::default()
    }
}

/// True when `error` says this process may not write here (a read-only file system, or a
/// folder it has no write permission for), as opposed to a failure of the disk.
fn cannot_write(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied
    )
}

/// Takes the `access` side of the update lock `lock` of the index in `dir`, saying so to
/// `progress` when another process holds it.
fn take_lock(
    lock: &std::fs::File,
    access: Access,
    dir: &Path,
    progress: &dyn Progress,
) -> Result<()> {
    let lock_error = |source| io(&dir.join(LOCK_FILE), source);
    let attempt = match access {
        Access::Read => lock.try_lock_shared(),
        Access::Write => lock.try_lock(),
    };
    match attempt {
        Ok(()) => return Ok(()),
        Err(std::fs::TryLockError::Error(source)) => return Err(lock_error(source)),
        Err(std::fs::TryLockError::WouldBlock) => progress.waiting(&format!(
            "another citebot process is using the index in `{}`",
            dir.display()
        )),
    }
    match access {
        Access::Read => lock.lock_shared(),
        Access::Write => lock.lock(),
    }
    .map_err(lock_error)
}

/// Opens the index in `dir`, which this process cannot write, when it is up to date for the
/// posts `scanned`.
fn open_read_only(
    dir: &Path,
    scanned: &[Scanned],
    posts: &[Post],
    progress: &dyn Progress,
) -> Result<Option<(SearchIndex, StoreReport)>> {
    let not_writable = |reason: String| Error::IndexNotWritable {
        path: dir.to_path_buf(),
        reason,
    };
    // A process that may write the folder could be updating it: wait for it to finish.
    let lock = std::fs::File::open(dir.join(LOCK_FILE)).ok();
    if let Some(lock) = &lock {
        take_lock(lock, Access::Read, dir, progress)?;
    }
    let (index, manifest) = match open_existing(dir, Access::Read) {
        Ok(opened) => opened,
        Err(_) if has_unread(scanned) => return Ok(None),
        Err(reason) => return Err(not_writable(reason)),
    };
    let Some(wanted) = wanted(scanned, &manifest) else {
        return Ok(None);
    };
    let differ = wanted
        .posts
        .iter()
        .filter(|(id, entry)| {
            !manifest
                .posts
                .get(*id)
                .is_some_and(|m| m.indexed_alike(entry))
        })
        .count()
        + manifest
            .posts
            .keys()
            .filter(|id| !wanted.posts.contains_key(*id))
            .count();
    if differ > 0 {
        return Err(not_writable(format!(
            "it is out of date ({differ} post{} added, changed or removed)",
            if differ == 1 { "" } else { "s" }
        )));
    }
    tracing::info!(dir = %dir.display(), "using the index on disk read-only");
    let report = StoreReport {
        read_only: true,
        ..reused(scanned)
    };
    Ok(Some((SearchIndex::new(&index, posts)?, report)))
}

/// Opens the index and manifest in `dir` and checks that they agree; the error says why they
/// cannot be reused.
fn open_existing(dir: &Path, access: Access) -> Result<(tantivy::Index, Manifest), String> {
    let manifest = read_manifest(dir)?;
    let format = format_line();
    if manifest.format != format {
        return Err(format!(
            "the index was written by `{}`, this is `{format}`",
            manifest.format
        ));
    }
    let index_dir = dir.join(INDEX_SUBDIR);
    let index = match access {
        Access::Write => index::open_in_dir(&index_dir),
        Access::Read => index::open_in_dir_read_only(&index_dir),
    }
    .map_err(|e| format!("cannot open the index in `{}`: {e}", index_dir.display()))?;
    let reader = index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()
        .map_err(|e: tantivy::TantivyError| format!("cannot read the index: {e}"))?;
    let indexed = reader.searcher().num_docs() as usize;
    let listed: usize = manifest.posts.values().map(|e| e.passages).sum();
    if indexed != listed {
        return Err(format!(
            "the index holds {indexed} passages but its manifest lists {listed}"
        ));
    }
    Ok((index, manifest))
}

/// The manifest in `dir`; the error says why it cannot be read.
fn read_manifest(dir: &Path) -> Result<Manifest, String> {
    let path = dir.join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("`{}` is not a manifest: {e}", path.display()))
}

/// Builds a new index of `docs` beside the old one and renames it into place.
fn rebuild(dir: &Path, docs: &[&Document], progress: &dyn Progress) -> Result<tantivy::Index> {
    let fresh = dir.join(REBUILD_SUBDIR);
    remove_dir(dir, REBUILD_SUBDIR)?;
    std::fs::create_dir_all(&fresh).map_err(|source| io(&fresh, source))?;
    let index = index::create_in_dir(&fresh)?;
    progress.start(Stage::Indexing, docs.iter().map(|d| d.passages.len()).sum());
    index::write(&index, &[], index::analysed(docs.iter().copied(), progress))?;
    progress.finish();
    drop(index);
    // The manifest goes first, so that a crash between the two steps leaves a manifest that
    // does not match the index (rebuilt again next time) rather than one that seems to.
    let _ = std::fs::remove_file(dir.join(MANIFEST_FILE));
    let target = dir.join(INDEX_SUBDIR);
    remove_dir(dir, INDEX_SUBDIR)?;
    std::fs::rename(&fresh, &target).map_err(|source| io(&target, source))?;
    index::open_in_dir(&target)
}

/// Writes the manifest atomically (a new file renamed over the old one).
fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<()> {
    let path = dir.join(MANIFEST_FILE);
    let partial = dir.join(MANIFEST_PARTIAL);
    let text = serde_json::to_string_pretty(manifest).expect("a manifest serialises");
    // Flushed to the disk before and after the rename: the manifest marks posts pending before
    // tantivy commits (which flushes its own files), and a power cut must not leave a committed
    // index beside a manifest that never reached the disk.
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&partial)?;
        std::io::Write::write_all(&mut file, text.as_bytes())?;
        file.sync_all()
    };
    write().map_err(|source| io(&partial, source))?;
    std::fs::rename(&partial, &path).map_err(|source| io(&path, source))?;
    sync_folder(dir).map_err(|source| io(dir, source))
}

/// Flushes a folder's entries (a rename in it) to the disk.
#[cfg(unix)]
fn sync_folder(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

/// Folders cannot be opened to be flushed on this system; the rename is as durable as it gets.
#[cfg(not(unix))]
fn sync_folder(_: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Removes the folder `name` of the index folder `dir`, which must carry citebot's marker.
fn remove_dir(dir: &Path, name: &str) -> Result<()> {
    if !is_marked(dir) {
        return Err(Error::ForeignIndexDir {
            path: dir.to_path_buf(),
            reason: "its marker is gone",
        });
    }
    let path = dir.join(name);
    match std::fs::remove_dir_all(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(&path, e)),
        _ => Ok(()),
    }
}

/// Refuses an index folder that is the posts folder, holds it or sits inside it (compared after
/// resolving `.`, `..` and symbolic links), since writing the index there could delete posts.
pub fn check_apart(index_dir: &Path, posts_dir: &Path) -> Result<()> {
    match paths::overlap(index_dir, posts_dir) {
        None => Ok(()),
        Some(relation) => Err(Error::IndexDirOverlapsPosts {
            index: index_dir.to_path_buf(),
            posts: posts_dir.to_path_buf(),
            relation,
        }),
    }
}

/// Makes sure `dir` is citebot's index folder: a missing folder is created and marked; an empty
/// one, or one holding only what an index folder of a citebot without the marker held, is
/// marked; any other folder is refused, so that citebot never deletes or overwrites files it did
/// not write.
fn claim(dir: &Path) -> Result<()> {
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(|source| io(dir, source))?;
            return mark(dir);
        }
        Err(source) => return Err(io(dir, source)),
        Ok(meta) if !meta.is_dir() => {
            return Err(Error::ForeignIndexDir {
                path: dir.to_path_buf(),
                reason: "it is a file, not a folder",
            })
        }
        Ok(_) if is_marked(dir) => {
            remove_partial_markers(dir);
            return Ok(());
        }
        Ok(_) => {}
    }
    let names: Vec<std::ffi::OsString> = std::fs::read_dir(dir)
        .map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?
        .map(|entry| entry.map(|e| e.file_name()))
        .collect::<std::io::Result<_>>()
        .map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    let unmarked_index = names.iter().any(|n| n == MANIFEST_FILE)
        && names
            .iter()
            .all(|n| UNMARKED_ENTRIES.iter().any(|e| n == e));
    // Another citebot process claiming the folder at the same moment leaves its marker on the
    // way, then the marker: the folder is citebot's all the same. (Its lock comes only after
    // the marker, so a lone file of the lock's name is another program's; and another
    // program's cache tag is no marker of citebot's, and is never written over.)
    if is_marked(dir) {
        return Ok(());
    }
    let being_claimed = names.iter().all(|n| {
        n.to_str()
            .is_some_and(|n| n.starts_with(MARKER_PARTIAL_PREFIX))
    });
    if names.is_empty() || unmarked_index || being_claimed {
        return mark(dir);
    }
    Err(Error::ForeignIndexDir {
        path: dir.to_path_buf(),
        reason: "it holds files citebot did not write and no citebot marker",
    })
}

/// Writes citebot's marker into `dir`: whole, through a file of its own renamed into place, so a
/// process claiming the folder at the same moment never reads a marker half written.
fn mark(dir: &Path) -> Result<()> {
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let partial = dir.join(format!("{MARKER_PARTIAL_PREFIX}{}-{n}", std::process::id()));
    std::fs::write(&partial, MARKER_TEXT).map_err(|source| io(&partial, source))?;
    place_marker(dir, &partial)
}

/// Removes the partial markers (`CACHEDIR.TAG.partial-*`) that a citebot stopped between
/// writing its marker and renaming it into place left in a folder that is marked now. One that
/// another process is writing at this moment may go too: its rename then finds the folder
/// marked, which [`place_marker`] takes as done. Best effort: a folder this process cannot
/// write keeps them, which does no harm.
fn remove_partial_markers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name
            .to_str()
            .is_some_and(|n| n.starts_with(MARKER_PARTIAL_PREFIX))
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Renames the marker written at `partial` into place. A citebot in another container that
/// shares the folder may have the same process number, and so the same partial name: when the
/// rename finds the file gone because that process placed it first, the folder is marked.
fn place_marker(dir: &Path, partial: &Path) -> Result<()> {
    let path = dir.join(MARKER_FILE);
    match std::fs::rename(partial, &path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && is_marked(dir) => Ok(()),
        placed => placed.map_err(|source| io(&path, source)),
    }
}

/// True when `dir` carries citebot's marker (not just any program's cache tag).
fn is_marked(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join(MARKER_FILE))
        .is_ok_and(|text| text.lines().any(|line| line.starts_with(MARKER_OWNER)))
}

fn io(path: &Path, source: std::io::Error) -> Error {
    Error::Write {
        path: PathBuf::from(path),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_marker_left_by_a_stopped_process_is_removed_once_the_folder_is_marked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(MARKER_FILE), MARKER_TEXT).unwrap();
        let stale = dir.path().join(format!("{MARKER_PARTIAL_PREFIX}4242-0"));
        std::fs::write(&stale, MARKER_TEXT).unwrap();
        let other = dir.path().join("manifest.json");
        std::fs::write(&other, "{}").unwrap();
        claim(dir.path()).unwrap();
        assert!(!stale.exists());
        assert!(is_marked(dir.path()) && other.exists());
    }

    #[test]
    fn a_marker_another_process_placed_from_the_same_partial_name_counts() {
        let dir = tempfile::tempdir().unwrap();
        let partial = dir.path().join(format!("{MARKER_PARTIAL_PREFIX}1-0"));
        // Nothing placed it: the missing file is an error that names the marker.
        let err = place_marker(dir.path(), &partial).unwrap_err();
        assert!(err.to_string().contains(MARKER_FILE), "{err}");
        // The other process renamed the same name into place first.
        std::fs::write(dir.path().join(MARKER_FILE), MARKER_TEXT).unwrap();
        place_marker(dir.path(), &partial).unwrap();
        assert!(is_marked(dir.path()));
    }
}
