//! The served corpus: the current [`Engine`] behind an atomic pointer, and re-indexing. A
//! re-index scans the posts (reading those the index on disk does not hold as they are, see
//! `store::scan`) and builds a whole new engine beside the one serving, then swaps it
//! in with one atomic store, so a question sees the old corpus or the new one, never an empty or
//! half-built index. A re-index that fails leaves the old engine serving.
//!
//! What counts as failing: the posts folder is gone or holds no post, the index cannot be
//! written, or a post that is being served can no longer be read or parsed (it was probably
//! caught half-written or broken by an edit; dropping it silently would lose answers). A new
//! file that cannot be read is skipped with a warning, as at startup, and reported.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;

use crate::config::{AnswerConfig, IndexConfig};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::index::SearchIndex;
use crate::ingest::{self, Document, Skipped};
use crate::posts::Post;
use crate::progress::{LogProgress, Progress};
use crate::store::{self, Scanned, StoreReport};

/// The posts being served and how to reload them; share it behind an `Arc`.
pub struct Library {
    current: ArcSwap<Engine>,
    posts_dir: PathBuf,
    settings: AnswerConfig,
    index: IndexConfig,
    /// Serialises re-indexes: two at once would race to write the index on disk.
    reindexing: Mutex<()>,
}

/// What a re-index changed, by post identifier.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// Posts that were not served before.
    pub added: Vec<String>,
    /// Posts whose text, title or layout changed.
    pub changed: Vec<String>,
    /// Posts no longer in the folder.
    pub removed: Vec<String>,
    /// Files that could not be read, with the reason; they are not served.
    pub skipped: Vec<(String, String)>,
    /// How many posts are served unchanged.
    pub unchanged: usize,
    /// How many posts were read from their files (new, or their stamp changed).
    pub read: usize,
}

impl Changes {
    /// True when the served posts are the same as before.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Where a loaded corpus is indexed.
#[derive(Debug)]
pub enum Placement {
    /// In RAM: the corpus is smaller than `index.on_disk_from` passages.
    Memory,
    /// On disk in this folder, with what bringing it up to date did.
    Disk(PathBuf, StoreReport),
    /// In RAM because the index on disk could not be used (the reason); serving goes on.
    MemoryInstead(String),
}

impl Library {
    /// Loads the posts in `posts_dir` and indexes them (on disk when there are at least
    /// `index.on_disk_from` passages). Unreadable files are skipped with a warning. An index
    /// folder that is, holds or sits inside the posts folder is refused, however small the
    /// corpus: the configuration would delete posts once the index moves to disk.
    pub fn open(
        posts_dir: &Path,
        settings: AnswerConfig,
        index: IndexConfig,
    ) -> Result<(Library, Placement)> {
        Library::open_with(posts_dir, settings, index, &LogProgress::default())
    }

    /// [`Library::open`], reporting the posts read and the passages indexed to `progress`.
    pub fn open_with(
        posts_dir: &Path,
        settings: AnswerConfig,
        index: IndexConfig,
        progress: &dyn Progress,
    ) -> Result<(Library, Placement)> {
        store::check_apart(&index.dir, posts_dir)?;
        let (scanned, skipped) = store::scan(&index.dir, posts_dir, progress)?;
        warn_skipped(&skipped);
        let (engine, placement) = build(scanned, &settings, &index, progress)?;
        let library = Library {
            current: ArcSwap::from_pointee(engine),
            posts_dir: posts_dir.to_path_buf(),
            settings,
            index,
            reindexing: Mutex::new(()),
        };
        Ok((library, placement))
    }

    /// The engine serving now; a question should use one engine from start to end.
    pub fn engine(&self) -> Arc<Engine> {
        self.current.load_full()
    }

    /// The posts folder.
    pub fn posts_dir(&self) -> &Path {
        &self.posts_dir
    }

    /// Reloads the posts and swaps in a new engine when they changed. On error the engine that
    /// was serving keeps serving.
    pub fn reindex(&self) -> Result<Changes> {
        let _one_at_a_time = self
            .reindexing
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let old = self.engine();
        let (scanned, skipped) =
            store::scan(&self.index.dir, &self.posts_dir, &LogProgress::default())?;
        let mut changes = Changes {
            read: store::read_count(&scanned),
            ..Changes::default()
        };
        for s in skipped {
            let id = ingest::post_id(&self.posts_dir, &s.path);
            if old.post_list().iter().any(|d| d.id == id) {
                tracing::error!(post = %id, "re-index abandoned: {}", s.reason);
                return Err(Error::Reindex {
                    post: id,
                    reason: Box::new(s.reason),
                });
            }
            tracing::warn!(file = %s.path.display(), "skipped post: {}", s.reason);
            changes.skipped.push((id, s.reason.to_string()));
        }
        let posts: Vec<Post> = scanned.iter().map(Scanned::post).collect();
        diff(old.post_list(), &posts, &mut changes);
        if changes.is_empty() {
            let passages: usize = scanned.iter().map(Scanned::passages).sum();
            if passages >= self.index.on_disk_from {
                // Only saves reading posts next time: a failure is no reason to fail the re-index.
                if let Err(e) = store::note_stamps(&self.index.dir, &scanned) {
                    tracing::warn!(dir = %self.index.dir.display(), "cannot note the posts' stamps: {e}");
                }
            }
            return Ok(changes);
        }
        let (engine, _) = build(
            scanned,
            &self.settings,
            &self.index,
            &LogProgress::default(),
        )?;
        self.current.store(Arc::new(engine));
        tracing::info!(
            added = changes.added.len(),
            changed = changes.changed.len(),
            removed = changes.removed.len(),
            "re-indexed the posts"
        );
        Ok(changes)
    }
}

/// Loads and indexes the posts in `posts_dir` in RAM, whatever their number, for one run that
/// leaves no files behind (`citebot ask --docs`), reporting progress to `progress`.
pub fn in_memory(
    posts_dir: &Path,
    settings: AnswerConfig,
    progress: &dyn Progress,
) -> Result<Engine> {
    index_in_memory(load(posts_dir, progress)?, settings, progress)
}

/// Indexes `docs` in RAM.
fn index_in_memory(
    docs: Vec<Document>,
    settings: AnswerConfig,
    progress: &dyn Progress,
) -> Result<Engine> {
    let index = SearchIndex::build_with(&docs, progress)?;
    tracing::info!(posts = docs.len(), passages = index.len(), "indexed posts");
    Ok(Engine::with_index(
        docs.iter().map(Post::of).collect(),
        index,
        settings,
    ))
}

/// Reads the posts in `posts_dir`, warning about the files skipped.
fn load(posts_dir: &Path, progress: &dyn Progress) -> Result<Vec<Document>> {
    let (docs, skipped) = ingest::load_dir_with(posts_dir, progress)?;
    warn_skipped(&skipped);
    Ok(docs)
}

fn warn_skipped(skipped: &[Skipped]) {
    for s in skipped {
        tracing::warn!(file = %s.path.display(), "skipped post: {}", s.reason);
    }
}

/// Indexes the posts `scanned` in RAM or on disk, as configured.
fn build(
    scanned: Vec<Scanned>,
    settings: &AnswerConfig,
    config: &IndexConfig,
    progress: &dyn Progress,
) -> Result<(Engine, Placement)> {
    let passages: usize = scanned.iter().map(Scanned::passages).sum();
    if passages < config.on_disk_from {
        let engine = index_in_memory(store::read_all(scanned), settings.clone(), progress)?;
        return Ok((engine, Placement::Memory));
    }
    let mut opened = store::open(&config.dir, &scanned, progress);
    let mut scanned = scanned;
    if matches!(opened, Ok(None)) {
        // The index must be rebuilt or changed under the scan: read what the scan skipped.
        scanned = store::read_unread(scanned);
        opened = store::open(&config.dir, &scanned, progress);
    }
    let (index, mut report): (SearchIndex, StoreReport) = match opened {
        Ok(Some(opened)) => opened,
        failed => {
            // A folder that cannot be written (permissions, full disk) must not stop the
            // posts from being served. (With every post read, the store always decides.)
            let err = failed.err().map_or_else(
                || "the index kept changing while it was opened".to_string(),
                |e| e.to_string(),
            );
            tracing::error!(dir = %config.dir.display(), %err, "index on disk unusable; indexing in memory");
            let engine = index_in_memory(store::read_all(scanned), settings.clone(), progress)?;
            return Ok((engine, Placement::MemoryInstead(err)));
        }
    };
    report.read = store::read_count(&scanned);
    tracing::info!(
        dir = %config.dir.display(),
        posts = scanned.len(),
        passages,
        indexed = report.indexed.len(),
        removed = report.removed.len(),
        reused = report.reused,
        read = report.read,
        "index on disk is up to date"
    );
    let posts = scanned.iter().map(Scanned::post).collect();
    let engine = Engine::with_index(posts, index, settings.clone());
    Ok((engine, Placement::Disk(config.dir.clone(), report)))
}

/// Fills in added, changed, removed and unchanged posts between two loads.
fn diff(old: &[Post], new: &[Post], changes: &mut Changes) {
    let before: HashMap<&str, &Post> = old.iter().map(|d| (d.id.as_str(), d)).collect();
    let after: HashSet<&str> = new.iter().map(|d| d.id.as_str()).collect();
    for post in new {
        match before.get(post.id.as_str()) {
            None => changes.added.push(post.id.clone()),
            Some(o) if *o != post => changes.changed.push(post.id.clone()),
            Some(_) => changes.unchanged += 1,
        }
    }
    changes.removed = old
        .iter()
        .filter(|o| !after.contains(o.id.as_str()))
        .map(|o| o.id.clone())
        .collect();
}
