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
        if !settle(&changed, MAX_SETTLES, || std::thread::sleep(SETTLE)) {
            tracing::warn!(paths = ?changed, "files still changing; indexing them as they are");
        }
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

/// Waits until none of `paths` changes size or modification time across one `wait` (a settle
/// period), calling `wait` at most `max_waits` times; returns whether they settled. A missing file
/// counts as settled once it stays missing.
fn settle(paths: &[PathBuf], max_waits: usize, mut wait: impl FnMut()) -> bool {
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
    for _ in 0..max_waits {
        wait();
        let now = snapshot();
        if now == before {
            return true;
        }
        before = now;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::mpsc::sync_channel;

    /// An editor on another thread appends to `path` once each time it is told to, and
    /// acknowledges each append, so every settle period sees exactly the writes made in it.
    fn editor(path: PathBuf) -> (mpsc::SyncSender<bool>, Receiver<()>) {
        let (write, writes) = sync_channel::<bool>(0);
        let (done, dones) = sync_channel::<()>(0);
        std::thread::spawn(move || {
            let mut file = std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .unwrap();
            while let Ok(append) = writes.recv() {
                if append {
                    file.write_all(b"more of the post\n").unwrap();
                    file.flush().unwrap();
                }
                if done.send(()).is_err() {
                    return;
                }
            }
        });
        (write, dones)
    }

    #[test]
    fn a_file_being_written_is_not_settled_until_the_writes_stop() {
        let dir = tempfile::tempdir().unwrap();
        let post = dir.path().join("post.md");
        std::fs::write(&post, "# A post\n").unwrap();
        let (write, written) = editor(post.clone());
        const WRITES: usize = 4;
        let mut periods = 0;
        let settled = settle(std::slice::from_ref(&post), 10, || {
            // The editor writes during the first WRITES settle periods, then stops.
            write.send(periods < WRITES).unwrap();
            written.recv().unwrap();
            periods += 1;
        });
        assert!(settled);
        assert_eq!(
            periods,
            WRITES + 1,
            "settled only after a whole period without writes"
        );
        let text = std::fs::read_to_string(&post).unwrap();
        assert_eq!(text.matches("more of the post").count(), WRITES);
    }

    #[test]
    fn a_file_that_never_stops_changing_gives_up_after_the_last_period() {
        let dir = tempfile::tempdir().unwrap();
        let post = dir.path().join("post.md");
        std::fs::write(&post, "# A post\n").unwrap();
        let (write, written) = editor(post.clone());
        let mut periods = 0;
        let settled = settle(&[post], 5, || {
            write.send(true).unwrap();
            written.recv().unwrap();
            periods += 1;
        });
        assert!(!settled);
        assert_eq!(periods, 5);
    }

    #[test]
    fn a_quiet_or_deleted_file_settles_after_one_period() {
        let dir = tempfile::tempdir().unwrap();
        let quiet = dir.path().join("quiet.md");
        std::fs::write(&quiet, "# Quiet\n").unwrap();
        let deleted = dir.path().join("deleted.md");
        let mut periods = 0;
        assert!(settle(&[quiet, deleted], 5, || periods += 1));
        assert_eq!(periods, 1);
    }
}
