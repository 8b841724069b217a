//! Serving posts that change: re-indexing with an atomic swap, a failing re-index, the watch on
//! the posts folder, and the index on disk (reused, updated, rebuilt when corrupt). Fixture posts
//! are written here; nothing is timed, waits poll with generous limits.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use citebot::config::{AnswerConfig, IndexConfig};
use citebot_core::library::Placement;
use citebot_core::{Error, Library};

const ORCHARD: &str = "# The Orchard\n\nThe orchard has 40 apple trees and 12 pear trees.\n\nThe cider press was bought in 2019 from a farm in Kent.\n";
const BEES: &str = "# Bees\n\nThe apiary keeps seven hives beside the orchard wall.\n";
const BEES_CHANGED: &str = "# Bees\n\nThe apiary keeps eleven hives beside the orchard wall.\n";
const POND: &str = "# The Pond\n\nThe pond holds carp and a family of moorhens.\n";

fn write(dir: &Path, name: &str, text: &[u8]) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn in_memory() -> IndexConfig {
    IndexConfig {
        on_disk_from: usize::MAX,
        ..IndexConfig::default()
    }
}

fn on_disk(dir: &Path) -> IndexConfig {
    IndexConfig {
        dir: dir.to_path_buf(),
        on_disk_from: 0,
        ..IndexConfig::default()
    }
}

fn open(posts: &Path, index: IndexConfig) -> (Library, Placement) {
    Library::open(posts, AnswerConfig::default(), index).unwrap()
}

fn short_answer(library: &Library, question: &str) -> String {
    library
        .engine()
        .ask(question)
        .unwrap()
        .answer
        .unwrap_or_default()
}

/// Polls `check` until it holds, failing after a generous limit.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let limit = Instant::now() + Duration::from_secs(60);
    while !check() {
        assert!(Instant::now() < limit, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn reindex_reports_added_changed_and_removed_posts() {
    let posts = tempfile::tempdir().unwrap();
    write(posts.path(), "orchard.md", ORCHARD.as_bytes());
    write(posts.path(), "bees.md", BEES.as_bytes());
    let (library, _) = open(posts.path(), in_memory());
    assert!(short_answer(&library, "How many hives are there?").contains("seven"));

    write(posts.path(), "bees.md", BEES_CHANGED.as_bytes());
    write(posts.path(), "pond.md", POND.as_bytes());
    std::fs::remove_file(posts.path().join("orchard.md")).unwrap();
    let changes = library.reindex().unwrap();
    assert_eq!(changes.added, ["pond.md"]);
    assert_eq!(changes.changed, ["bees.md"]);
    assert_eq!(changes.removed, ["orchard.md"]);
    assert!(short_answer(&library, "How many hives are there?").contains("eleven"));
    assert_eq!(library.engine().posts().len(), 2);

    let again = library.reindex().unwrap();
    assert!(again.is_empty(), "{again:?}");
    assert_eq!(again.unchanged, 2);
}

#[test]
fn searches_during_reindexes_always_see_a_whole_corpus() {
    let posts = tempfile::tempdir().unwrap();
    write(posts.path(), "orchard.md", ORCHARD.as_bytes());
    write(posts.path(), "bees.md", BEES.as_bytes());
    let library = Arc::new(open(posts.path(), in_memory()).0);
    let stop = Arc::new(AtomicBool::new(false));
    let searches = Arc::new(AtomicUsize::new(0));
    let searchers: Vec<_> = (0..3)
        .map(|_| {
            let (library, stop, searches) = (library.clone(), stop.clone(), searches.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let engine = library.engine();
                    // The orchard post is in every corpus the re-indexes produce.
                    let found = engine.search("cider press", 3).unwrap();
                    assert!(!found.is_empty(), "a search saw no passage");
                    assert!(engine.posts().len() >= 2, "a search saw a partial corpus");
                    searches.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for round in 0..20 {
        let (bees, pond) = if round % 2 == 0 {
            (BEES_CHANGED, Some(POND))
        } else {
            (BEES, None)
        };
        write(posts.path(), "bees.md", bees.as_bytes());
        match pond {
            Some(text) => write(posts.path(), "pond.md", text.as_bytes()),
            None => std::fs::remove_file(posts.path().join("pond.md")).unwrap(),
        }
        let changes = library.reindex().unwrap();
        assert_eq!(changes.changed, ["bees.md"]);
    }
    eventually("the searchers have searched", || {
        searches.load(Ordering::Relaxed) > 20
    });
    stop.store(true, Ordering::Relaxed);
    for searcher in searchers {
        searcher.join().expect("no search failed");
    }
}

#[test]
fn a_failing_reindex_keeps_the_old_corpus_and_names_the_post() {
    let posts = tempfile::tempdir().unwrap();
    write(posts.path(), "orchard.md", ORCHARD.as_bytes());
    write(posts.path(), "bees.md", BEES.as_bytes());
    let (library, _) = open(posts.path(), in_memory());
    let before = library.engine();

    // An edit left the served post unreadable (not UTF-8), and another post was added meanwhile.
    write(
        posts.path(),
        "bees.md",
        b"# Bees\n\nThe apiary \xff\xfe keeps",
    );
    write(posts.path(), "pond.md", POND.as_bytes());
    match library.reindex() {
        Err(Error::Reindex { post, .. }) => assert_eq!(post, "bees.md"),
        other => panic!("expected a failed re-index naming bees.md, got {other:?}"),
    }
    assert!(
        Arc::ptr_eq(&before, &library.engine()),
        "the old engine serves"
    );
    assert!(short_answer(&library, "How many hives are there?").contains("seven"));

    // A new file that cannot be read does not block a re-index; it is reported as skipped.
    write(posts.path(), "bees.md", BEES.as_bytes());
    write(posts.path(), "broken.md", b"\xff\xfe");
    let changes = library.reindex().unwrap();
    assert_eq!(changes.added, ["pond.md"]);
    assert_eq!(changes.skipped.len(), 1);
    assert_eq!(changes.skipped[0].0, "broken.md");
}

#[test]
fn the_watch_picks_up_a_new_and_a_changed_post() {
    let posts = tempfile::tempdir().unwrap();
    write(posts.path(), "orchard.md", ORCHARD.as_bytes());
    write(posts.path(), "bees.md", BEES.as_bytes());
    let library = Arc::new(open(posts.path(), in_memory()).0);
    let _watch = citebot_core::watch::start(library.clone(), Duration::from_millis(200)).unwrap();

    write(posts.path(), "pond.md", POND.as_bytes());
    eventually("the new post is served", || {
        library
            .engine()
            .posts()
            .iter()
            .any(|p| p.document == "pond.md")
    });
    let found = library.engine().search("moorhens", 1).unwrap();
    assert_eq!(found[0].document, "pond.md");

    write(posts.path(), "bees.md", BEES_CHANGED.as_bytes());
    eventually("the changed post is served", || {
        short_answer(&library, "How many hives are there?").contains("eleven")
    });
}

#[test]
fn the_index_on_disk_is_reused_updated_and_answers_like_the_one_in_memory() {
    let posts = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    write(posts.path(), "orchard.md", ORCHARD.as_bytes());
    write(posts.path(), "bees.md", BEES.as_bytes());

    let (first, placement) = open(posts.path(), on_disk(store.path()));
    let Placement::Disk(_, report) = placement else {
        panic!("expected the index on disk")
    };
    assert!(report.rebuilt.is_some(), "a new index is built whole");
    let (memory, _) = open(posts.path(), in_memory());
    for question in [
        "When was the cider press bought?",
        "How many pear trees are there?",
    ] {
        let (a, b) = (
            first.engine().ask(question).unwrap(),
            memory.engine().ask(question).unwrap(),
        );
        assert_eq!(a.answer, b.answer, "{question}");
        assert_eq!(a.citations[0].text, b.citations[0].text, "{question}");
    }
    drop(first);

    let (_, placement) = open(posts.path(), on_disk(store.path()));
    let Placement::Disk(_, report) = placement else {
        panic!("expected the index on disk")
    };
    assert!(report.rebuilt.is_none(), "{:?}", report.rebuilt);
    assert!(report.indexed.is_empty());
    assert_eq!(report.reused, 2);

    write(posts.path(), "bees.md", BEES_CHANGED.as_bytes());
    std::fs::remove_file(posts.path().join("orchard.md")).unwrap();
    write(posts.path(), "pond.md", POND.as_bytes());
    let (library, placement) = open(posts.path(), on_disk(store.path()));
    let Placement::Disk(_, report) = placement else {
        panic!("expected the index on disk")
    };
    assert!(report.rebuilt.is_none(), "{:?}", report.rebuilt);
    assert_eq!(report.indexed, ["bees.md", "pond.md"]);
    assert_eq!(report.removed, ["orchard.md"]);
    assert!(short_answer(&library, "How many hives are there?").contains("eleven"));
    let answer = library
        .engine()
        .ask("When was the cider press bought?")
        .unwrap();
    assert!(
        answer.citations.iter().all(|c| c.document != "orchard.md"),
        "a removed post is never cited"
    );
    assert_eq!(library.engine().passages(), 2);
    // A question limited to one post stays within it on an index on disk too.
    let within = library
        .engine()
        .search_in("orchard wall hives pond", 5, Some("pond.md"))
        .unwrap();
    assert!(!within.is_empty());
    assert!(within.iter().all(|c| c.document == "pond.md"), "{within:?}");
}

#[test]
fn a_corrupt_or_missing_index_on_disk_is_rebuilt() {
    let posts = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    write(posts.path(), "orchard.md", ORCHARD.as_bytes());
    write(posts.path(), "bees.md", BEES.as_bytes());
    drop(open(posts.path(), on_disk(store.path())));

    // Garbage over every index file (a disk or copy gone wrong).
    let index_dir = store.path().join("index");
    let mut damaged = 0;
    for entry in std::fs::read_dir(&index_dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with('.') && name != "meta.json" {
            let len = std::fs::metadata(&path).unwrap().len() as usize;
            std::fs::write(&path, vec![0x5a; len]).unwrap();
            damaged += 1;
        }
    }
    assert!(damaged > 0, "the index has segment files");
    let (library, placement) = open(posts.path(), on_disk(store.path()));
    let Placement::Disk(_, report) = placement else {
        panic!("expected the index on disk")
    };
    assert!(report.rebuilt.is_some(), "a corrupt index is rebuilt");
    assert!(short_answer(&library, "How many hives are there?").contains("seven"));
    drop(library);

    // The index files gone, the manifest left behind.
    std::fs::remove_dir_all(&index_dir).unwrap();
    let (library, placement) = open(posts.path(), on_disk(store.path()));
    let Placement::Disk(_, report) = placement else {
        panic!("expected the index on disk")
    };
    assert!(report.rebuilt.is_some(), "a missing index is rebuilt");
    assert!(short_answer(&library, "How many pear trees are there?").contains("12"));
    drop(library);

    // A manifest that is not one.
    std::fs::write(store.path().join("manifest.json"), "{ not json").unwrap();
    let (library, placement) = open(posts.path(), on_disk(store.path()));
    let Placement::Disk(_, report) = placement else {
        panic!("expected the index on disk")
    };
    assert!(
        report.rebuilt.is_some(),
        "an unreadable manifest means a rebuild"
    );
    assert_eq!(library.engine().passages(), 3);
}

/// Copies the index folder's manifest as the first passage of an update is indexed: what a
/// process killed at that point, or after the index was committed, leaves on disk.
struct ManifestMidUpdate {
    path: std::path::PathBuf,
    indexing: std::cell::Cell<bool>,
    seen: std::cell::RefCell<Option<String>>,
}

impl citebot_core::progress::Progress for ManifestMidUpdate {
    fn start(&self, stage: citebot_core::progress::Stage, _: usize) {
        self.indexing
            .set(stage == citebot_core::progress::Stage::Indexing);
    }

    fn advance(&self) {
        let mut seen = self.seen.borrow_mut();
        if self.indexing.get() && seen.is_none() {
            *seen = Some(std::fs::read_to_string(&self.path).unwrap());
        }
    }

    fn finish(&self) {}

    fn waiting(&self, _: &str) {}
}

#[test]
fn an_update_cut_short_is_done_again_even_for_a_post_edited_back() {
    let posts = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    write(posts.path(), "orchard.md", ORCHARD.as_bytes());
    write(posts.path(), "bees.md", BEES.as_bytes());
    drop(open(posts.path(), on_disk(store.path())));

    write(posts.path(), "bees.md", BEES_CHANGED.as_bytes());
    let manifest = store.path().join("manifest.json");
    let probe = ManifestMidUpdate {
        path: manifest.clone(),
        indexing: std::cell::Cell::new(false),
        seen: std::cell::RefCell::new(None),
    };
    drop(
        Library::open_with(
            posts.path(),
            AnswerConfig::default(),
            on_disk(store.path()),
            &probe,
        )
        .unwrap(),
    );
    // As if the process died after committing the edit to the index, before its manifest was
    // written; then the post is edited back (same number of passages) before the next start.
    std::fs::write(&manifest, probe.seen.into_inner().expect("an update")).unwrap();
    write(posts.path(), "bees.md", BEES.as_bytes());

    let (library, placement) = open(posts.path(), on_disk(store.path()));
    let Placement::Disk(_, report) = placement else {
        panic!("expected the index on disk: {placement:?}")
    };
    assert_eq!(report.indexed, ["bees.md"], "{report:?}");
    // The index holds the post's words as they are now, not those of the edit.
    let found = library.engine().search("seven", 5).unwrap();
    assert!(found.iter().any(|c| c.document == "bees.md"), "{found:?}");
    assert!(library.engine().search("eleven", 5).unwrap().is_empty());
}

#[test]
fn a_reindex_on_disk_swaps_in_the_new_corpus() {
    let posts = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    write(posts.path(), "orchard.md", ORCHARD.as_bytes());
    write(posts.path(), "bees.md", BEES.as_bytes());
    let (library, _) = open(posts.path(), on_disk(store.path()));
    let before = library.engine();
    write(posts.path(), "bees.md", BEES_CHANGED.as_bytes());
    let changes = library.reindex().unwrap();
    assert_eq!(changes.changed, ["bees.md"]);
    assert!(short_answer(&library, "How many hives are there?").contains("eleven"));
    // An engine taken before the swap still answers from the corpus it was built with.
    let old = before.ask("How many hives are there?").unwrap();
    assert!(old.answer.unwrap_or_default().contains("seven"));
}

#[test]
fn processes_sharing_an_index_folder_take_turns() {
    let posts = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    write(posts.path(), "orchard.md", ORCHARD.as_bytes());
    write(posts.path(), "bees.md", BEES.as_bytes());
    // As two shard processes starting at once: both must come up, on one consistent index.
    let opened: Vec<_> = (0..2)
        .map(|_| {
            let (posts, store) = (posts.path().to_path_buf(), store.path().to_path_buf());
            std::thread::spawn(move || open(&posts, on_disk(&store)))
        })
        .collect();
    let mut rebuilt = 0;
    for handle in opened {
        let (library, placement) = handle.join().expect("both open");
        let Placement::Disk(_, report) = placement else {
            panic!("expected the index on disk, not {placement:?}")
        };
        rebuilt += usize::from(report.rebuilt.is_some());
        assert!(short_answer(&library, "How many hives are there?").contains("seven"));
        assert_eq!(library.engine().passages(), 3);
    }
    assert_eq!(rebuilt, 1, "the second found the index the first built");
}

#[test]
fn a_word_only_in_a_title_still_counts_for_coverage() {
    let posts = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    // "lighthouse" is only in the title; the question needs it to be covered.
    write(
        posts.path(),
        "beacon.md",
        b"# The Riverton Lighthouse\n\nIt was built in 1871 by the harbour board and painted red.\n",
    );
    write(posts.path(), "bees.md", BEES.as_bytes());
    for index in [in_memory(), on_disk(store.path())] {
        let (library, _) = open(posts.path(), index);
        let answer = library
            .engine()
            .ask("When was the lighthouse built?")
            .unwrap();
        assert!(answer.answered(), "{answer:?}");
        assert_eq!(answer.citations[0].document, "beacon.md");
        assert!(answer.answer.unwrap_or_default().contains("1871"));
    }
}

#[test]
fn an_unusable_index_folder_falls_back_to_memory() {
    let posts = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    write(posts.path(), "bees.md", BEES.as_bytes());
    // The configured index folder is a file: nothing can be written there.
    let blocked = elsewhere.path().join("not-a-folder");
    std::fs::write(&blocked, "x").unwrap();
    let (library, placement) = open(posts.path(), on_disk(&blocked));
    assert!(
        matches!(&placement, Placement::MemoryInstead(reason) if reason.contains("not-a-folder")),
        "{placement:?}"
    );
    assert!(short_answer(&library, "How many hives are there?").contains("seven"));
}

#[test]
fn an_index_folder_overlapping_the_posts_folder_is_refused_and_no_post_is_touched() {
    let root = tempfile::tempdir().unwrap();
    let posts = root.path().join("posts");
    // A subfolder of posts named like the index's own subfolder: an index in `posts` would
    // rebuild over it.
    std::fs::create_dir_all(posts.join("index")).unwrap();
    write(&posts, "orchard.md", ORCHARD.as_bytes());
    write(&posts.join("index"), "bees.md", BEES.as_bytes());
    let mut cases = vec![
        (posts.clone(), "is"),
        (posts.join("index/.."), "is"),
        (posts.join("index"), "is inside"),
        (posts.join("new/store"), "is inside"),
        (root.path().to_path_buf(), "contains"),
        (posts.join("index/../.."), "contains"),
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&posts, root.path().join("link")).unwrap();
        cases.push((root.path().join("link"), "is"));
    }
    for (index_dir, expected) in cases {
        match Library::open(&posts, AnswerConfig::default(), on_disk(&index_dir)) {
            Err(err @ Error::IndexDirOverlapsPosts { relation, .. }) => {
                assert_eq!(relation, expected, "{}", index_dir.display());
                let message = err.to_string();
                assert!(
                    message.contains(&*index_dir.to_string_lossy())
                        && message.contains(&*posts.to_string_lossy()),
                    "{message}"
                );
            }
            Err(other) => panic!("{}: unexpected error {other}", index_dir.display()),
            Ok(_) => panic!(
                "{}: an overlapping index folder was used",
                index_dir.display()
            ),
        }
    }
    assert_eq!(
        std::fs::read_to_string(posts.join("orchard.md")).unwrap(),
        ORCHARD
    );
    assert_eq!(
        std::fs::read_to_string(posts.join("index/bees.md")).unwrap(),
        BEES
    );
    assert!(!posts.join("new").exists(), "nothing was created");
    assert!(!posts.join("manifest.json").exists(), "nothing was created");
}

#[test]
fn a_folder_citebot_did_not_make_is_never_written() {
    let posts = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    write(posts.path(), "bees.md", BEES.as_bytes());
    // Someone's folder, with a subfolder named like the index's.
    let theirs = elsewhere.path().join("theirs");
    std::fs::create_dir_all(theirs.join("index")).unwrap();
    write(&theirs, "notes.txt", b"my notes");
    write(&theirs.join("index"), "keep.txt", b"keep me");
    let (library, placement) = open(posts.path(), on_disk(&theirs));
    assert!(
        matches!(&placement, Placement::MemoryInstead(reason) if reason.contains("not citebot's index folder")),
        "{placement:?}"
    );
    assert!(short_answer(&library, "How many hives are there?").contains("seven"));
    let mut names: Vec<String> = std::fs::read_dir(&theirs)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["index", "notes.txt"], "nothing was added");
    assert_eq!(
        std::fs::read_to_string(theirs.join("index/keep.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn the_index_folder_is_marked_and_an_unmarked_one_from_an_older_citebot_is_adopted() {
    let posts = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    write(posts.path(), "bees.md", BEES.as_bytes());
    let store = elsewhere.path().join("new/store");
    drop(open(posts.path(), on_disk(&store)));
    let marker = store.join("CACHEDIR.TAG");
    let tag = std::fs::read_to_string(&marker).unwrap();
    assert!(
        tag.starts_with("Signature: 8a477f597d28d172789f06886806bc55") && tag.contains("citebot"),
        "{tag}"
    );

    // As an older citebot left it: the index and manifest, no marker. It is reused as it is.
    std::fs::remove_file(&marker).unwrap();
    let (_, placement) = open(posts.path(), on_disk(&store));
    let Placement::Disk(_, report) = placement else {
        panic!("expected the index on disk: {placement:?}")
    };
    assert!(report.rebuilt.is_none(), "{:?}", report.rebuilt);
    assert!(marker.exists(), "the adopted folder is marked");

    // Another program's cache tag does not make a folder citebot's.
    let cache = elsewhere.path().join("cache");
    std::fs::create_dir(&cache).unwrap();
    write(
        &cache,
        "CACHEDIR.TAG",
        b"Signature: 8a477f597d28d172789f06886806bc55\n# created by cargo\n",
    );
    write(&cache, "data.bin", b"x");
    let (_, placement) = open(posts.path(), on_disk(&cache));
    assert!(
        matches!(&placement, Placement::MemoryInstead(_)),
        "{placement:?}"
    );
    // Not even when the tag is all the folder holds; the tag stays as it was.
    std::fs::remove_file(cache.join("data.bin")).unwrap();
    let (_, placement) = open(posts.path(), on_disk(&cache));
    assert!(
        matches!(&placement, Placement::MemoryInstead(_)),
        "{placement:?}"
    );
    assert!(std::fs::read_to_string(cache.join("CACHEDIR.TAG"))
        .unwrap()
        .contains("cargo"));

    // A folder that another citebot process is claiming (its marker on the way) is citebot's.
    let claimed = elsewhere.path().join("claimed");
    std::fs::create_dir(&claimed).unwrap();
    write(&claimed, "CACHEDIR.TAG.partial-1-0", b"Signature");
    let (_, placement) = open(posts.path(), on_disk(&claimed));
    assert!(matches!(&placement, Placement::Disk(..)), "{placement:?}");

    // A file that only happens to share the name of citebot's lock says nothing about whose
    // folder it is: citebot takes its lock only after its marker is in place.
    let locked = elsewhere.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    write(&locked, "update.lock", b"another program's");
    let (_, placement) = open(posts.path(), on_disk(&locked));
    assert!(
        matches!(&placement, Placement::MemoryInstead(_)),
        "{placement:?}"
    );
    assert!(!locked.join("CACHEDIR.TAG").exists());
}

/// File names that differ only in bytes that are not UTF-8 (Linux allows any bytes but `/`).
#[cfg(target_os = "linux")]
#[test]
fn posts_whose_names_differ_only_in_invalid_utf8_are_both_served_and_not_reindexed() {
    use std::os::unix::ffi::OsStrExt;
    let posts = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    let name = |bytes: &[u8]| std::ffi::OsStr::from_bytes(bytes).to_os_string();
    write(posts.path(), "orchard.md", ORCHARD.as_bytes());
    std::fs::write(posts.path().join(name(b"x\xffy.md")), BEES).unwrap();
    std::fs::write(posts.path().join(name(b"x\xfey.md")), POND).unwrap();
    // Each post's sidecar is its own.
    std::fs::write(
        posts.path().join(name(b"x\xffy.meta.toml")),
        "title = \"Hives\"\n",
    )
    .unwrap();
    let (library, _) = open(posts.path(), on_disk(store.path()));
    let engine = library.engine();
    let mut posts_served: Vec<(String, String)> = engine
        .posts()
        .iter()
        .map(|p| (p.document.clone(), p.title.clone()))
        .collect();
    posts_served.sort();
    assert_eq!(
        posts_served,
        [
            ("orchard.md".to_string(), "The Orchard".to_string()),
            ("x\\xfey.md".to_string(), "The Pond".to_string()),
            ("x\\xffy.md".to_string(), "Hives".to_string()),
        ]
    );
    let hives = engine.ask("How many hives are there?").unwrap();
    assert_eq!(hives.citations[0].document, "x\\xffy.md");
    let pond = engine.ask("What does the pond hold?").unwrap();
    assert_eq!(pond.citations[0].document, "x\\xfey.md");
    drop((engine, library));

    let (_, placement) = open(posts.path(), on_disk(store.path()));
    let Placement::Disk(_, report) = placement else {
        panic!("expected the index on disk: {placement:?}")
    };
    assert!(report.rebuilt.is_none(), "{:?}", report.rebuilt);
    assert_eq!(report.reused, 3);
}

/// Records what is reported, advances counted.
#[derive(Default)]
struct Recorded(std::cell::RefCell<Vec<String>>);

impl citebot_core::progress::Progress for Recorded {
    fn start(&self, stage: citebot_core::progress::Stage, total: usize) {
        self.0
            .borrow_mut()
            .push(format!("{} {total} {}", stage.doing(), stage.items()));
    }

    fn advance(&self) {
        let mut events = self.0.borrow_mut();
        match events.last_mut() {
            Some(last) if last.starts_with("done ") => {
                let n: usize = last["done ".len()..].parse().unwrap();
                *last = format!("done {}", n + 1);
            }
            _ => events.push("done 1".into()),
        }
    }

    fn finish(&self) {
        self.0.borrow_mut().push("finish".into());
    }

    fn waiting(&self, what: &str) {
        self.0.borrow_mut().push(format!("waiting: {what}"));
    }
}

#[test]
fn loading_reports_the_posts_read_and_the_passages_indexed() {
    let posts = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    write(posts.path(), "orchard.md", ORCHARD.as_bytes());
    write(posts.path(), "bees.md", BEES.as_bytes());
    let open_with = |index: IndexConfig| {
        let progress = Recorded::default();
        Library::open_with(posts.path(), AnswerConfig::default(), index, &progress).unwrap();
        progress.0.into_inner()
    };
    let whole = [
        "reading 2 posts",
        "done 2",
        "finish",
        "indexing 3 passages",
        "done 3",
        "finish",
    ];
    assert_eq!(open_with(in_memory()), whole);
    assert_eq!(open_with(on_disk(store.path())), whole);
    // An index on disk that is up to date indexes nothing.
    assert_eq!(
        open_with(on_disk(store.path())),
        ["reading 2 posts", "done 2", "finish"]
    );
    // Only the changed post's passages are indexed.
    write(posts.path(), "bees.md", BEES_CHANGED.as_bytes());
    assert_eq!(
        open_with(on_disk(store.path()))[3..],
        ["indexing 1 passages", "done 1", "finish"]
    );
}

/// A posts folder holding the orchard and bees posts, both last modified an hour ago, an empty
/// index folder, and that time; returned once their stamps can be trusted (see [`settle`]).
fn two_posts_written_an_hour_ago() -> (tempfile::TempDir, tempfile::TempDir, std::time::SystemTime)
{
    let posts = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    let an_hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    write(posts.path(), "orchard.md", ORCHARD.as_bytes());
    write(posts.path(), "bees.md", BEES.as_bytes());
    set_modified(posts.path(), "orchard.md", an_hour_ago);
    set_modified(posts.path(), "bees.md", an_hour_ago);
    settle();
    (posts, store, an_hour_ago)
}

/// Waits until files changed a moment ago have stamps the scan trusts: their status-change time,
/// which cannot be set back, must be 2 s old (git's "racily clean" rule, see `ingest::stamp`).
fn settle() {
    std::thread::sleep(Duration::from_millis(2_100));
}

/// Sets the modification time of `dir/name`.
fn set_modified(dir: &Path, name: &str, when: std::time::SystemTime) {
    let file = std::fs::File::options()
        .write(true)
        .open(dir.join(name))
        .unwrap();
    file.set_modified(when).unwrap();
}

#[test]
fn an_up_to_date_index_is_served_without_reading_the_posts_whose_files_kept_their_stamp() {
    let (posts, store, an_hour_ago) = two_posts_written_an_hour_ago();
    drop(open(posts.path(), on_disk(store.path())));

    // Nothing changed: no post is read; the index's copy is served, and cited byte for byte.
    let (library, placement) = open(posts.path(), on_disk(store.path()));
    let Placement::Disk(_, report) = placement else {
        panic!("expected the index on disk")
    };
    assert_eq!(
        (report.reused, report.read, report.indexed.len()),
        (2, 0, 0)
    );
    let answer = library.engine().ask("How many hives are there?").unwrap();
    assert_eq!(answer.answer.as_deref(), Some("seven"), "{answer:?}");
    let cited = &answer.citations[0];
    assert_eq!(&BEES[cited.start..cited.end], cited.text);
    drop(library);

    // The same size with other text and the time set back, as `cp -p` or a restore from a
    // backup leaves it: its status-change time gives it away, and it is read again (it was
    // served from the index's old copy, quoting text the post no longer holds).
    let eight = BEES.replace("seven", "eight");
    assert_eq!(eight.len(), BEES.len());
    write(posts.path(), "bees.md", eight.as_bytes());
    set_modified(posts.path(), "bees.md", an_hour_ago);
    settle();
    let (library, placement) = open(posts.path(), on_disk(store.path()));
    let Placement::Disk(_, report) = placement else {
        panic!("expected the index on disk")
    };
    assert_eq!(
        (report.read, report.indexed.clone()),
        (1, vec!["bees.md".to_string()])
    );
    assert_eq!(short_answer(&library, "How many hives are there?"), "eight");
    drop(library);

    // A new time (even an older one) is a change: the post is read again (its text is the
    // same, so nothing is indexed).
    set_modified(
        posts.path(),
        "bees.md",
        an_hour_ago - Duration::from_secs(60),
    );
    settle();
    let (library, placement) = open(posts.path(), on_disk(store.path()));
    let Placement::Disk(_, report) = placement else {
        panic!("expected the index on disk")
    };
    assert_eq!((report.read, report.indexed.len()), (1, 0));
    assert_eq!(short_answer(&library, "How many hives are there?"), "eight");
    drop(library);

    // A post written a moment ago is always read: its stamp cannot be trusted yet.
    write(posts.path(), "bees.md", BEES.as_bytes());
    let (library, _) = open(posts.path(), on_disk(store.path()));
    assert_eq!(short_answer(&library, "How many hives are there?"), "seven");
}

#[test]
fn an_index_rebuilt_while_posts_were_left_unread_keeps_their_stamps() {
    let (posts, store, _) = two_posts_written_an_hour_ago();
    drop(open(posts.path(), on_disk(store.path())));

    // The index gone, the manifest left: the scan leaves both posts unread, then they must be
    // read for the rebuild after all.
    std::fs::remove_dir_all(store.path().join("index")).unwrap();
    let (_, placement) = open(posts.path(), on_disk(store.path()));
    let Placement::Disk(_, report) = placement else {
        panic!("expected the index on disk: {placement:?}")
    };
    assert!(report.rebuilt.is_some(), "{report:?}");

    // The next start reads no post; it would read every one if the rebuild forgot the stamps.
    let (library, placement) = open(posts.path(), on_disk(store.path()));
    let Placement::Disk(_, report) = placement else {
        panic!("expected the index on disk: {placement:?}")
    };
    assert_eq!((report.reused, report.read), (2, 0), "{report:?}");
    assert_eq!(short_answer(&library, "How many hives are there?"), "seven");
}

#[test]
fn a_reindex_records_the_stamps_of_posts_it_read_again_unchanged() {
    let (posts, store, an_hour_ago) = two_posts_written_an_hour_ago();
    let (library, _) = open(posts.path(), on_disk(store.path()));

    // Touched, not changed: the re-index reads it, finds nothing to do, and notes its stamp.
    set_modified(
        posts.path(),
        "bees.md",
        an_hour_ago + Duration::from_secs(60),
    );
    settle();
    let changes = library.reindex().unwrap();
    assert_eq!((changes.is_empty(), changes.read), (true, 1), "{changes:?}");

    // The next re-index reads nothing; it would read the post again had its stamp not been
    // noted (and so would every re-index after it).
    let changes = library.reindex().unwrap();
    assert_eq!((changes.is_empty(), changes.read), (true, 0), "{changes:?}");
    assert_eq!(short_answer(&library, "How many hives are there?"), "seven");
}

#[test]
fn posts_swapped_by_renaming_are_read_again_even_with_equal_sizes_and_times() {
    let posts = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    // Two posts of one size and one time, as an archive unpacked to the second leaves them.
    let unpacked = std::time::SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let eight = BEES.replace("seven", "eight");
    write(posts.path(), "bees.md", BEES.as_bytes());
    write(posts.path(), "hives.md", eight.as_bytes());
    set_modified(posts.path(), "bees.md", unpacked);
    set_modified(posts.path(), "hives.md", unpacked);
    drop(open(posts.path(), on_disk(store.path())));

    let path = |name: &str| posts.path().join(name);
    std::fs::rename(path("bees.md"), path("swap.tmp")).unwrap();
    std::fs::rename(path("hives.md"), path("bees.md")).unwrap();
    std::fs::rename(path("swap.tmp"), path("hives.md")).unwrap();
    let (library, _) = open(posts.path(), on_disk(store.path()));
    let answer = library.engine().ask("How many hives are there?").unwrap();
    assert!(!answer.citations.is_empty(), "{answer:?}");
    for cited in &answer.citations {
        // Each citation quotes the post it names as that post is now.
        let text = std::fs::read_to_string(path(&cited.document)).unwrap();
        assert_eq!(&text[cited.start..cited.end], cited.text, "{answer:?}");
    }
}
