//! The watch on the posts folder while `serve` runs: file events are debounced (the folder must
//! be quiet for a while), then the changed files must keep the same size and modification time
//! for a short settle period, so that a post an editor is still writing is not indexed halfway;
//! then the [`Library`] re-indexes and swaps the new corpus in.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use crate::error::{Error, Result};
use crate::library::Library;

/// How long a changed file's size and modification time must stay the same before indexing.
const SETTLE: Duration = Duration::from_millis(300);
/// How many settle periods to wait for a file that keeps changing before indexing anyway (the
/// re-index then reports it if it cannot be read).
const MAX_SETTLES: usize = 20;

/// A running watch; dropping it stops watching.
pub struct Watch {
    _debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
}

/// Starts watching the library's posts folder; changes are re-indexed on a background thread.
pub fn start(library: Arc<Library>, debounce: Duration) -> Result<Watch> {
    let dir = library.posts_dir().to_path_buf();
    let (sender, events) = mpsc::channel::<DebounceEventResult>();
    let watch_error = |e: notify_debouncer_full::notify::Error| Error::Watch {
        path: dir.clone(),
        message: e.to_string(),
    };
    let mut debouncer = new_debouncer(debounce, None, sender).map_err(watch_error)?;
    debouncer
        .watch(&dir, RecursiveMode::Recursive)
        .map_err(watch_error)?;
    std::thread::Builder::new()
        .name("citebot-watch".into())
        .spawn(move || follow(&library, &events))
        .map_err(|source| Error::Io {
            path: dir.clone(),
            source,
        })?;
    tracing::info!(dir = %dir.display(), ?debounce, "watching the posts folder");
    Ok(Watch {
        _debouncer: debouncer,
    })
}

/// Re-indexes after each quiet batch of changes, until the watch is dropped.
fn follow(library: &Library, events: &Receiver<DebounceEventResult>) {
    while let Ok(batch) = events.recv() {
        let mut changed = changed_paths(batch);
        // Batches that arrived while waiting are part of the same change.
        loop {
            match events.recv_timeout(Duration::ZERO) {
                Ok(more) => changed.extend(changed_paths(more)),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if changed.is_empty() {
            continue;
        }
        settle(&changed);
        match library.reindex() {
            Ok(changes) if changes.is_empty() => {
                tracing::debug!("posts folder changed, posts did not")
            }
            Ok(changes) => tracing::info!(
                added = ?changes.added,
                changed = ?changes.changed,
                removed = ?changes.removed,
                "posts re-indexed after a change in the folder"
            ),
            Err(err) => tracing::error!(%err, "re-index after a change in the folder failed"),
        }
    }
}

/// The files a batch of events touched (not mere reads); errors are logged.
fn changed_paths(batch: DebounceEventResult) -> Vec<PathBuf> {
    match batch {
        Ok(events) => events
            .into_iter()
            .filter(|e| !matches!(e.kind, EventKind::Access(_)))
            .flat_map(|e| e.event.paths)
            .collect(),
        Err(errors) => {
            for err in errors {
                tracing::warn!(%err, "watch error");
            }
            Vec::new()
        }
    }
}

/// Waits until none of `paths` changes size or modification time for [`SETTLE`].
fn settle(paths: &[PathBuf]) {
    let snapshot = || -> Vec<Option<(u64, SystemTime)>> {
        paths
            .iter()
            .map(|p| {
                let meta = std::fs::metadata(p).ok()?;
                Some((meta.len(), meta.modified().ok()?))
            })
            .collect()
    };
    let mut before = snapshot();
    for _ in 0..MAX_SETTLES {
        std::thread::sleep(SETTLE);
        let now = snapshot();
        if now == before {
            return;
        }
        before = now;
    }
    tracing::warn!(?paths, "files still changing; indexing them as they are");
}
