//! Posts from the web, against the fixture blog on 127.0.0.1 (`tests/support/fixture_blog.rs`):
//! one test per scenario of the blog (an RSS feed, an Atom feed, a sitemap, pages with
//! boilerplate, robots.txt, a redirect chain and loop, a 404, a 500, a page that never finishes,
//! a 50 MB page, a PDF, a page that changes, 304s to ETag and Last-Modified), what a second fetch
//! transfers, pages no longer listed, files citebot did not write, `citebot fetch` then
//! `citebot ask`, and the refresh schedule while serving. Nothing here touches the internet, and
//! nothing is timed: waits poll with generous limits.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::{Duration, Instant};

use citebot::config::{AnswerConfig, Config, FetchConfig, Gone, IndexConfig, WebSource};
use citebot_core::progress::LogProgress;
use citebot_core::Library;
use citebot_web::{Entry, FetchReport, Status, Web, Which};
use serde_json::Value;

use crate::fixture_blog::{Blog, BIG_SITE_PAGES, HUGE_BYTES};

/// A short time limit, so the page that never finishes costs the suite half a second.
const TEST_TIMEOUT_MS: u64 = 500;

/// A config fetching `urls` into `posts`, with the short time limit.
fn config(posts: &Path, urls: &[String]) -> Config {
    let mut config = Config::default();
    config.posts.dir = posts.to_path_buf();
    config.web = urls.iter().map(|url| WebSource::new(url)).collect();
    config.fetch = FetchConfig {
        timeout_ms: TEST_TIMEOUT_MS,
        ..FetchConfig::default()
    };
    config
}

fn fetch(web: &Web) -> FetchReport {
    web.fetch(Which::All, &mut |_| {}, &LogProgress::default())
        .expect("the fetch runs")
}

/// The entries of a report by url.
fn by_url(report: &FetchReport) -> HashMap<String, Entry> {
    report
        .entries
        .iter()
        .map(|e| (e.url.clone(), e.clone()))
        .collect()
}

fn status<'a>(entries: &'a HashMap<String, Entry>, url: &str) -> &'a Status {
    &entries
        .get(url)
        .unwrap_or_else(|| panic!("no entry for {url}: {:#?}", entries.keys()))
        .status
}

fn reason(entries: &HashMap<String, Entry>, url: &str) -> String {
    match status(entries, url) {
        Status::Failed(reason) | Status::Skipped(reason) => reason.clone(),
        other => panic!("{url} was {other:?}, not failed or skipped"),
    }
}

fn in_memory() -> IndexConfig {
    IndexConfig {
        on_disk_from: usize::MAX,
        ..IndexConfig::default()
    }
}

/// Fetches `sources` of the blog into a new posts folder: the folder, the run's report, and its
/// entries by url.
fn fetch_into_new_folder(
    sources: &[String],
) -> (tempfile::TempDir, FetchReport, HashMap<String, Entry>) {
    let posts = tempfile::tempdir().unwrap();
    let report = fetch(&config(posts.path(), sources).web());
    let entries = by_url(&report);
    (posts, report, entries)
}

/// The files of the blog's folder of saved pages.
fn saved_files(posts: &Path, blog: &Blog) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(posts.join("web").join(blog.site_folder()))
        .map(|dir| {
            dir.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn one_fetch_of_a_feed_listing_every_kind_of_page_has_a_line_for_each_and_asks_only_its_site() {
    let blog = Blog::start();
    let elsewhere = Blog::start();
    blog.link_elsewhere(&elsewhere);
    let (_posts, report, entries) = fetch_into_new_folder(&[blog.url("/feed.xml")]);
    let url = |path: &str| blog.url(path);
    assert_eq!(
        status(&entries, &url("/feed.xml")),
        &Status::Listed {
            what: "RSS feed".into(),
            pages: 13
        }
    );
    let labels: Vec<(&str, &str)> = [
        ("/posts/first-regatta", "new"),
        ("/posts/boathouse", "new"),
        ("/posts/winter-training", "new"),
        ("/private/minutes", "skipped"),
        ("/old/new-boats", "new"),
        ("/posts/missing", "failed"),
        ("/posts/broken", "failed"),
        ("/posts/slow", "failed"),
        ("/posts/huge", "failed"),
        ("/files/rules.pdf", "skipped"),
        ("/posts/notices", "new"),
        ("/loop/0", "failed"),
    ]
    .into_iter()
    .filter(|(path, label)| status(&entries, &url(path)).label() != *label)
    .collect();
    assert!(labels.is_empty(), "not as expected: {labels:?}");
    // A page on another site is never asked for.
    let other = elsewhere.url("/elsewhere");
    assert!(reason(&entries, &other).contains("not on the site of a configured source"));
    assert!(
        elsewhere.requests().is_empty(),
        "{:?}",
        elsewhere.requests()
    );
    // Every request, robots.txt included, names citebot and its version.
    assert_eq!(
        blog.user_agents(),
        [format!(
            "citebot/{} (answers questions about a community's posts; obeys robots.txt)",
            env!("CARGO_PKG_VERSION")
        )]
    );
    assert_eq!(citebot_web::USER_AGENT, blog.user_agents()[0]);
    assert_eq!(report.count("failed"), 5, "{:#?}", report.entries);
    assert_eq!(report.count("skipped"), 3, "{:#?}", report.entries);
    assert_eq!(report.downloads, 5);
}

#[test]
fn an_rss_feed_gives_its_pages_each_saved_with_a_sidecar() {
    let blog = Blog::start();
    let feed = blog.feed_of(&["/posts/first-regatta", "/posts/winter-training"]);
    let (posts, _, entries) = fetch_into_new_folder(std::slice::from_ref(&feed));
    assert_eq!(
        status(&entries, &feed),
        &Status::Listed {
            what: "RSS feed".into(),
            pages: 2
        }
    );
    let url = |path: &str| blog.url(path);
    assert_eq!(status(&entries, &url("/posts/first-regatta")), &Status::New);
    assert_eq!(
        status(&entries, &url("/posts/winter-training")),
        &Status::New
    );

    // The page as served, and a sidecar with what ingest and the next fetch need.
    let folder = posts.path().join("web").join(blog.site_folder());
    let page = std::fs::read_to_string(folder.join("posts-first-regatta.html")).unwrap();
    assert!(page.contains("<h1>Our First Regatta</h1>"));
    let sidecar = std::fs::read_to_string(folder.join("posts-first-regatta.meta.toml")).unwrap();
    assert!(
        sidecar.starts_with("# Saved by `citebot fetch`"),
        "{sidecar}"
    );
    for line in [
        format!("url = \"{}\"", url("/posts/first-regatta")),
        "title = \"Our First Regatta\"".to_string(),
        "author = \"Rowing Secretary\"".to_string(),
        "date = \"2024-11-02\"".to_string(),
        format!("source = \"{feed}\""),
        "etag = '\"regatta-1\"'".to_string(),
    ] {
        assert!(sidecar.contains(&line), "{line} in\n{sidecar}");
    }
    assert!(sidecar.contains("fetched = \"20"), "{sidecar}");
    let winter = std::fs::read_to_string(folder.join("posts-winter-training.meta.toml")).unwrap();
    assert!(
        winter.contains("last_modified = \"Tue, 05 Nov 2024 18:00:00 GMT\""),
        "{winter}"
    );
    assert!(
        posts.path().join("web/.citebot-web").exists(),
        "the folder is marked as citebot's"
    );
}

#[test]
fn pages_with_boilerplate_are_indexed_without_it_and_cited_with_their_url() {
    let blog = Blog::start();
    let feed = blog.feed_of(&["/posts/first-regatta", "/posts/boathouse"]);
    let (posts, _, _) = fetch_into_new_folder(&[feed]);
    let (library, _) = Library::open(posts.path(), AnswerConfig::default(), in_memory()).unwrap();
    let engine = library.engine();
    let answer = engine
        .ask("How many boats does the boathouse hold?")
        .unwrap();
    assert!(
        answer.answer.as_deref().unwrap_or_default() == "23",
        "{answer:?}"
    );
    assert_eq!(
        answer.citations[0].url.as_deref(),
        Some(blog.url("/posts/boathouse").as_str())
    );
    let (docs, _) = citebot_core::ingest::load_dir(posts.path()).unwrap();
    let regatta = docs
        .iter()
        .find(|d| d.id.ends_with("posts-first-regatta.html"))
        .unwrap();
    assert_eq!(regatta.title, "Our First Regatta");
    assert!(regatta.source.contains("Fourteen crews raced"));
    for furniture in [
        "Leave a Reply",
        "moderated",
        "All rights reserved",
        "Menu",
        "Share this",
    ] {
        assert!(
            !regatta.source.contains(furniture),
            "{furniture} in {:?}",
            regatta.source
        );
    }
}

#[test]
fn a_page_robots_txt_disallows_is_never_asked_for() {
    let blog = Blog::start();
    let feed = blog.feed_of(&["/private/minutes", "/posts/boathouse"]);
    let (posts, _, entries) = fetch_into_new_folder(&[feed]);
    assert_eq!(
        status(&entries, &blog.url("/private/minutes")),
        &Status::Skipped("disallowed by robots.txt".into())
    );
    assert_eq!(blog.requests_for("/private/minutes"), 0);
    assert_eq!(blog.requests_for("/robots.txt"), 1, "read once per run");
    // The rest of the site is fetched.
    assert_eq!(
        status(&entries, &blog.url("/posts/boathouse")),
        &Status::New
    );
    assert_eq!(
        saved_files(posts.path(), &blog),
        ["posts-boathouse.html", "posts-boathouse.meta.toml"]
    );
}

#[test]
fn a_redirect_chain_is_followed_and_the_page_saved_under_the_url_its_feed_gives() {
    let blog = Blog::start();
    let (posts, _, entries) = fetch_into_new_folder(&[blog.feed_of(&["/old/new-boats"])]);
    assert_eq!(status(&entries, &blog.url("/old/new-boats")), &Status::New);
    for hop in ["/old/new-boats", "/older/new-boats", "/posts/new-boats"] {
        assert_eq!(blog.requests_for(hop), 1, "{hop}");
    }
    let folder = posts.path().join("web").join(blog.site_folder());
    let sidecar = std::fs::read_to_string(folder.join("old-new-boats.meta.toml")).unwrap();
    assert!(
        sidecar.contains(&format!("url = \"{}\"", blog.url("/old/new-boats"))),
        "{sidecar}"
    );
    let page = std::fs::read_to_string(folder.join("old-new-boats.html")).unwrap();
    assert!(page.contains("two new quads"), "{page}");
}

#[test]
fn a_redirect_loop_fails_at_the_redirect_limit() {
    let blog = Blog::start();
    let (posts, _, entries) = fetch_into_new_folder(&[blog.feed_of(&["/loop/0"])]);
    let reason = reason(&entries, &blog.url("/loop/0"));
    assert_eq!(reason, "more than 5 redirects");
    assert!(matches!(
        status(&entries, &blog.url("/loop/0")),
        Status::Failed(_)
    ));
    assert_eq!(blog.requests_for("/loop/5"), 1);
    assert_eq!(blog.requests_for("/loop/6"), 0, "the limit holds");
    assert!(saved_files(posts.path(), &blog).is_empty());
}

#[test]
fn a_404_fails_with_its_status() {
    let blog = Blog::start();
    let (posts, _, entries) = fetch_into_new_folder(&[blog.feed_of(&["/posts/missing"])]);
    assert_eq!(
        status(&entries, &blog.url("/posts/missing")),
        &Status::Failed("HTTP 404 Not Found".into())
    );
    assert!(saved_files(posts.path(), &blog).is_empty());
}

#[test]
fn a_500_fails_with_its_status() {
    let blog = Blog::start();
    let (posts, _, entries) = fetch_into_new_folder(&[blog.feed_of(&["/posts/broken"])]);
    assert_eq!(
        status(&entries, &blog.url("/posts/broken")),
        &Status::Failed("HTTP 500 Internal Server Error".into())
    );
    assert!(saved_files(posts.path(), &blog).is_empty());
}

#[test]
fn a_page_that_never_finishes_fails_at_the_time_limit() {
    let blog = Blog::start();
    let (posts, _, entries) = fetch_into_new_folder(&[blog.feed_of(&["/posts/slow"])]);
    assert_eq!(
        status(&entries, &blog.url("/posts/slow")),
        &Status::Failed("timed out: the page stopped arriving for 500ms".into())
    );
    assert!(saved_files(posts.path(), &blog).is_empty());
}

#[test]
fn a_50_mb_page_fails_at_the_size_cap_without_being_read_to_its_end() {
    let blog = Blog::start();
    let (posts, _, entries) = fetch_into_new_folder(&[blog.feed_of(&["/posts/huge"])]);
    assert_eq!(
        status(&entries, &blog.url("/posts/huge")),
        &Status::Failed("larger than the 10 MiB cap".into())
    );
    assert!(
        blog.huge_bytes_sent() < HUGE_BYTES / 2,
        "reading stopped at the cap: {} bytes were produced",
        blog.huge_bytes_sent()
    );
    assert!(saved_files(posts.path(), &blog).is_empty());
}

#[test]
fn a_pdf_is_skipped_with_its_content_type() {
    let blog = Blog::start();
    let (posts, report, entries) = fetch_into_new_folder(&[blog.feed_of(&["/files/rules.pdf"])]);
    assert_eq!(
        status(&entries, &blog.url("/files/rules.pdf")),
        &Status::Skipped("not HTML (application/pdf)".into())
    );
    assert_eq!(report.downloads, 0);
    assert!(saved_files(posts.path(), &blog).is_empty());
}

#[test]
fn a_page_that_changed_between_two_fetches_is_downloaded_again_and_its_new_text_served() {
    let blog = Blog::start();
    let posts = tempfile::tempdir().unwrap();
    let sources = [blog.feed_of(&["/posts/notices"])];
    let web = config(posts.path(), &sources).web();
    fetch(&web);
    blog.change_notices();
    let report = fetch(&web);
    let entries = by_url(&report);
    assert_eq!(
        status(&entries, &blog.url("/posts/notices")),
        &Status::Changed
    );
    assert_eq!(blog.bodies("/posts/notices"), 2);
    assert_eq!(report.downloads, 1, "{:#?}", report.entries);

    let (library, _) = Library::open(posts.path(), AnswerConfig::default(), in_memory()).unwrap();
    let answer = library
        .engine()
        .ask("When is the annual general meeting?")
        .unwrap();
    assert!(
        answer.citations[0].text.contains("moved to 19 March"),
        "{:?}",
        answer.citations[0]
    );
}

#[test]
fn pages_with_an_etag_or_a_last_modified_are_unchanged_by_304_and_their_bodies_not_sent_again() {
    let blog = Blog::start();
    let posts = tempfile::tempdir().unwrap();
    let (regatta, winter, boats) = (
        "/posts/first-regatta",
        "/posts/winter-training",
        "/old/new-boats",
    );
    let sources = [blog.feed_of(&[regatta, winter, boats])];
    let web = config(posts.path(), &sources).web();
    fetch(&web);
    let report = fetch(&web);
    let entries = by_url(&report);
    // ETag: If-None-Match, 304, and the server sent no second body.
    assert_eq!(status(&entries, &blog.url(regatta)), &Status::Unchanged);
    assert_eq!((blog.bodies(regatta), blog.not_modified(regatta)), (1, 1));
    // Last-Modified only: If-Modified-Since, 304.
    assert_eq!(status(&entries, &blog.url(winter)), &Status::Unchanged);
    assert_eq!((blog.bodies(winter), blog.not_modified(winter)), (1, 1));
    // Through the redirect chain too.
    assert_eq!(status(&entries, &blog.url(boats)), &Status::Unchanged);
    assert_eq!(
        (
            blog.bodies("/posts/new-boats"),
            blog.not_modified("/posts/new-boats")
        ),
        (1, 1)
    );
    assert_eq!(report.downloads, 0, "{:#?}", report.entries);
    assert_eq!(report.count("unchanged"), 3);
}

#[test]
fn a_saved_page_deleted_by_hand_is_downloaded_again_into_its_place() {
    let blog = Blog::start();
    let posts = tempfile::tempdir().unwrap();
    let web = config(posts.path(), &[blog.url("/about")]).web();
    fetch(&web);
    let site = posts.path().join("web").join(blog.site_folder());
    std::fs::remove_file(site.join("about.html")).unwrap();
    let entries = by_url(&fetch(&web));
    // No validators were sent for a copy that is not there: the body came again.
    assert_eq!(status(&entries, &blog.url("/about")), &Status::New);
    assert_eq!(blog.bodies("/about"), 2);
    assert!(site.join("about.html").exists());
    let files: Vec<String> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 2, "one page and its sidecar: {files:?}");
}

#[test]
fn an_atom_feed_gives_its_pages_with_their_title_author_and_date() {
    let blog = Blog::start();
    let (posts, _, entries) = fetch_into_new_folder(&[blog.url("/atom.xml")]);
    assert_eq!(
        status(&entries, &blog.url("/atom.xml")),
        &Status::Listed {
            what: "Atom feed".into(),
            pages: 2
        }
    );
    for path in ["/posts/coaching", "/posts/first-regatta"] {
        assert_eq!(status(&entries, &blog.url(path)), &Status::New, "{path}");
    }
    let coaching = std::fs::read_to_string(
        posts
            .path()
            .join("web")
            .join(blog.site_folder())
            .join("posts-coaching.meta.toml"),
    )
    .unwrap();
    assert!(
        coaching.contains("title = \"Coaching for Beginners\""),
        "{coaching}"
    );
    assert!(coaching.contains("author = \"Head Coach\""), "{coaching}");
    assert!(coaching.contains("date = \"2024-11-03\""), "{coaching}");
}

#[test]
fn a_sitemap_lists_its_pages_and_a_page_two_sources_list_is_fetched_once() {
    let blog = Blog::start();
    let (_posts, _, entries) =
        fetch_into_new_folder(&[blog.url("/sitemap.xml"), blog.url("/atom.xml")]);
    assert_eq!(
        status(&entries, &blog.url("/sitemap.xml")),
        &Status::Listed {
            what: "sitemap".into(),
            pages: 3
        }
    );
    for path in ["/about", "/posts/first-regatta", "/posts/boathouse"] {
        assert_eq!(status(&entries, &blog.url(path)), &Status::New, "{path}");
    }
    assert_eq!(
        blog.requests_for("/posts/first-regatta"),
        1,
        "listed twice, fetched once"
    );
}

#[test]
fn a_single_page_source_and_a_feed_served_as_html_are_recognised_by_their_bodies() {
    let blog = Blog::start();
    let posts = tempfile::tempdir().unwrap();
    let sources = [blog.url("/about"), blog.url("/small-feed.xml")];
    let web = config(posts.path(), &sources).web();
    let entries = by_url(&fetch(&web));
    assert_eq!(status(&entries, &blog.url("/about")), &Status::New);
    assert_eq!(
        status(&entries, &blog.url("/small-feed.xml")),
        &Status::Listed {
            what: "RSS feed".into(),
            pages: 2
        }
    );
    // The page source is asked for again with its validators.
    let entries = by_url(&fetch(&web));
    assert_eq!(status(&entries, &blog.url("/about")), &Status::Unchanged);
    assert_eq!(blog.not_modified("/about"), 1);
}

#[test]
fn a_page_dropped_from_its_feed_is_kept_or_removed_as_configured() {
    for gone in [Gone::Keep, Gone::Remove] {
        let blog = Blog::start();
        let posts = tempfile::tempdir().unwrap();
        let mut config = config(posts.path(), &[blog.url("/small-feed.xml")]);
        config.fetch.gone = gone;
        let web = config.web();
        fetch(&web);
        let (library, _) =
            Library::open(posts.path(), AnswerConfig::default(), in_memory()).unwrap();
        let boathouse_post = format!("web/{}/posts-boathouse.html", blog.site_folder());
        assert!(library.engine().find_post(&boathouse_post).is_ok());

        blog.drop_boathouse_from_small_feed();
        let report = fetch(&web);
        let removed = gone == Gone::Remove;
        let entry = &by_url(&report)[&blog.url("/posts/boathouse")];
        assert_eq!(entry.status, Status::Gone { removed }, "{gone:?}");
        assert_eq!(entry.post.as_deref(), Some(boathouse_post.as_str()));
        assert_eq!(report.changed_posts(), removed);
        let saved = posts.path().join(&boathouse_post);
        assert_eq!(saved.exists(), !removed, "{gone:?}");
        assert_eq!(saved.with_extension("meta.toml").exists(), !removed);
        let changes = library.reindex().unwrap();
        if removed {
            assert_eq!(changes.removed, std::slice::from_ref(&boathouse_post));
        } else {
            assert!(changes.is_empty(), "{changes:?}");
        }
    }
}

#[test]
fn files_citebot_did_not_write_are_never_touched() {
    let blog = Blog::start();
    // A posts folder whose `web` folder is the user's own.
    let posts = tempfile::tempdir().unwrap();
    std::fs::create_dir(posts.path().join("web")).unwrap();
    std::fs::write(
        posts.path().join("web/spider.md"),
        "# Webs\n\nSpiders spin webs.\n",
    )
    .unwrap();
    let web = config(posts.path(), &[blog.url("/feed.xml")]).web();
    let err = web
        .fetch(Which::All, &mut |_| {}, &LogProgress::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("is not citebot's folder of saved web pages"),
        "{err}"
    );
    assert!(
        blog.requests().is_empty(),
        "nothing is fetched: {:?}",
        blog.requests()
    );

    // In citebot's folder, a page with a sidecar citebot did not write survives `gone = remove`.
    let posts = tempfile::tempdir().unwrap();
    let mut config = config(posts.path(), &[blog.url("/small-feed.xml")]);
    config.fetch.gone = Gone::Remove;
    let web = config.web();
    fetch(&web);
    let site = posts.path().join("web").join(blog.site_folder());
    std::fs::write(site.join("notes.html"), "<p>My own notes about rowing.</p>").unwrap();
    std::fs::write(site.join("notes.meta.toml"), "title = \"Notes\"\n").unwrap();
    blog.drop_boathouse_from_small_feed();
    fetch(&web);
    assert!(!site.join("posts-boathouse.html").exists());
    assert!(site.join("notes.html").exists() && site.join("notes.meta.toml").exists());
}

#[test]
fn a_second_fetch_of_an_unchanged_site_of_100_pages_downloads_no_page_body() {
    let blog = Blog::start();
    let posts = tempfile::tempdir().unwrap();
    let web = config(posts.path(), &[blog.url("/big/sitemap.xml")]).web();
    let first = fetch(&web);
    assert_eq!(first.count("new"), BIG_SITE_PAGES);
    assert_eq!(blog.bodies_under("/big/page-"), BIG_SITE_PAGES);

    let started = Instant::now();
    let second = fetch(&web);
    let took = started.elapsed();
    assert_eq!(
        second.count("unchanged"),
        BIG_SITE_PAGES,
        "{}",
        second.summary()
    );
    assert_eq!(second.downloads, 0);
    assert_eq!(
        blog.bodies_under("/big/page-"),
        BIG_SITE_PAGES,
        "no page body was sent a second time"
    );
    assert_eq!(blog.not_modified_under("/big/page-"), BIG_SITE_PAGES);
    // A figure for docs/web.md, not a check: timing depends on the machine.
    eprintln!(
        "second fetch of {BIG_SITE_PAGES} unchanged pages: {:.0} ms ({})",
        took.as_secs_f64() * 1000.0,
        second.summary()
    );
}

#[test]
fn serving_refreshes_due_sources_and_swaps_the_new_text_in() {
    let blog = Blog::start();
    let posts = tempfile::tempdir().unwrap();
    let mut config = config(posts.path(), &[blog.url("/posts/notices")]);
    config.web[0].refresh = Some(Duration::from_secs(1));
    let web = config.web();
    fetch(&web);
    let (library, _) = Library::open(posts.path(), AnswerConfig::default(), in_memory()).unwrap();
    let library = Arc::new(library);
    let _schedule = citebot_web::schedule::start(library.clone(), Some(Arc::new(web))).unwrap();
    let question = "When is the annual general meeting?";
    let cited = |library: &Library| {
        library.engine().ask(question).unwrap().citations[0]
            .text
            .clone()
    };
    assert!(cited(&library).contains("12 March"));

    blog.change_notices();
    let limit = Instant::now() + Duration::from_secs(60);
    while !cited(&library).contains("19 March") {
        assert!(Instant::now() < limit, "the new text was never served");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Refreshes of the unchanged page are 304s.
    let before = blog.not_modified("/posts/notices");
    let limit = Instant::now() + Duration::from_secs(60);
    while blog.not_modified("/posts/notices") == before {
        assert!(Instant::now() < limit, "the page was not refreshed again");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(blog.bodies("/posts/notices"), 2);
}

/// Runs the `citebot` binary in `dir`.
fn citebot(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_citebot"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG")
        .output()
        .expect("citebot runs")
}

#[test]
fn citebot_fetch_then_ask_answers_from_a_fetched_page_cited_with_its_url() {
    let blog = Blog::start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("config")).unwrap();
    std::fs::write(
        dir.path().join("config/citebot.toml"),
        format!(
            "[posts]\ndir = \"posts\"\n\n[fetch]\ntimeout_ms = {TEST_TIMEOUT_MS}\n\n[[web]]\nurl = \"{}\"\nrefresh = \"30m\"\nmax_pages = 20\n",
            blog.url("/feed.xml")
        ),
    )
    .unwrap();

    let out = citebot(dir.path(), &["fetch"]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let site = blog.site_folder();
    for line in [
        format!("source    {}  RSS feed, 12 pages", blog.url("/feed.xml")),
        format!(
            "new       {}  web/{site}/posts-first-regatta.html",
            blog.url("/posts/first-regatta")
        ),
        format!(
            "failed    {}  HTTP 404 Not Found",
            blog.url("/posts/missing")
        ),
        format!(
            "skipped   {}  disallowed by robots.txt",
            blog.url("/private/minutes")
        ),
        format!(
            "skipped   {}  not HTML (application/pdf)",
            blog.url("/files/rules.pdf")
        ),
    ] {
        assert!(stdout.contains(&line), "{line:?} in\n{stdout}");
    }
    let summary = stdout.lines().last().unwrap();
    assert!(
        summary.starts_with(
            "5 new, 0 changed, 0 unchanged, 0 gone, 2 skipped, 5 failed; 5 pages downloaded"
        ),
        "{summary}"
    );
    assert_eq!(out.status.code(), Some(1), "a failed page fails the run");

    let out = citebot(dir.path(), &["fetch"]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        stdout.contains(&format!(
            "unchanged {}  web/{site}/posts-first-regatta.html",
            blog.url("/posts/first-regatta")
        )),
        "{stdout}"
    );
    assert_eq!(blog.bodies("/posts/first-regatta"), 1);

    let out = citebot(
        dir.path(),
        &["ask", "--json", "When was the club's first regatta held?"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reply: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        reply["answer"].as_str().unwrap().contains("June 1987"),
        "{reply}"
    );
    let top = &reply["citations"][0];
    assert_eq!(
        top["document"],
        format!("web/{site}/posts-first-regatta.html")
    );
    assert_eq!(top["title"], "Our First Regatta");
    assert_eq!(top["url"], blog.url("/posts/first-regatta"));

    let out = citebot(
        dir.path(),
        &["ask", "When was the club's first regatta held?"],
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.contains(&format!(
            "Our First Regatta › ¶1 <{}#:~:text=The%20club",
            blog.url("/posts/first-regatta")
        )),
        "{text}"
    );
}

#[test]
fn citebot_fetch_without_sources_or_with_a_bad_one_says_so_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("config")).unwrap();
    let config = dir.path().join("config/citebot.toml");
    std::fs::write(&config, "[posts]\ndir = \"posts\"\n").unwrap();
    let out = citebot(dir.path(), &["fetch"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(stderr.contains("no web sources"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    std::fs::write(&config, "[[web]]\nurl = \"ftp://files.example/feed\"\n").unwrap();
    let out = citebot(dir.path(), &["fetch"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        stderr.contains("web[0].url `ftp://files.example/feed` is not an http or https address"),
        "{stderr}"
    );
    std::fs::write(
        &config,
        "[[web]]\nurl = \"https://blog.example/feed\"\nrefresh = \"soon\"\n",
    )
    .unwrap();
    let out = citebot(dir.path(), &["fetch"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(stderr.contains("line 3 (web[0].refresh)"), "{stderr}");
    assert!(
        dir.path().join("posts").read_dir().is_err(),
        "nothing was created"
    );
}

#[test]
fn citebot_fetch_reaches_a_site_on_this_machine_directly_whatever_proxy_the_environment_names() {
    let blog = Blog::start();
    // A proxy that would answer (and record) anything sent through it.
    let proxy = Blog::start();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("config")).unwrap();
    std::fs::write(
        dir.path().join("config/citebot.toml"),
        format!(
            "[posts]\ndir = \"posts\"\n\n[[web]]\nurl = \"{}\"\n",
            blog.url("/about")
        ),
    )
    .unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_citebot"));
    command.arg("fetch").current_dir(dir.path());
    for variable in ["http_proxy", "HTTPS_PROXY", "ALL_PROXY"] {
        command.env(variable, proxy.base());
    }
    let out = command.output().expect("citebot runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains(&format!("new       {}", blog.url("/about"))),
        "{stdout}"
    );
    assert!(proxy.requests().is_empty(), "{:?}", proxy.requests());
    assert_eq!(blog.requests_for("/about"), 1);
}
