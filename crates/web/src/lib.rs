//! Posts from the web: the `[[web]]` sources of the config (and those added with `/add`, kept in
//! the sources file) are fetched into citebot's own `web` folder inside the posts folder, where
//! ingest reads them like any HTML post with a sidecar. A source is a page, an RSS/Atom feed or a
//! sitemap, told apart by what the server sends ([`content`]); a feed or sitemap gives the pages
//! to save ([`listing`]). Requests are made with manners ([`http`], [`robots`]), pages are saved
//! with their validators so that the next fetch of an unchanged page is a `304` without a body
//! ([`saved`]), and a page no longer listed is kept or removed as configured.
//!
//! A fetch run reports one [`Entry`] per source read and per page: new, changed, unchanged,
//! gone, skipped (robots.txt, not HTML, off the configured sites) or failed, with the reason.
//! `citebot fetch` prints them; while serving, [`schedule`] runs the due sources on their
//! `refresh` and re-indexes through the library's atomic swap. Fetching blocks: call it from a
//! thread of its own or the blocking pool, never from an async task.

pub mod config;
mod content;
pub mod error;
mod http;
mod listing;
mod robots;
mod saved;
pub mod schedule;
mod sources;

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use url::Url;

use crate::config::{FetchConfig, Gone, WebSource};
pub use crate::error::{Error, Result};
use citebot_core::library::{Changes, Library};
use citebot_core::progress::{LogProgress, Progress, Stage};

pub use http::USER_AGENT;
pub use saved::FOLDER;

use content::Kind;
use http::{Answer, Http, Refused, Validators};
use listing::{Listed, Sitemap};
use saved::{Folder, PageMeta, Saved};

/// What happened to one source or page in a fetch run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// A feed or sitemap was read: what it is ("RSS feed") and how many pages it lists (at most
    /// the source's `max_pages`).
    Listed {
        /// What the source is.
        what: String,
        /// How many of its pages are fetched.
        pages: usize,
    },
    /// A page saved for the first time.
    New,
    /// A saved page whose text or metadata changed.
    Changed,
    /// A saved page that is the same (`304 Not Modified`, or the same bytes again).
    Unchanged,
    /// A saved page that no source lists any more: kept, or removed (`fetch.gone`).
    Gone {
        /// True when the saved copy was deleted.
        removed: bool,
    },
    /// Not asked for, or not read, by choice: the reason (robots.txt, not HTML, off-site).
    Skipped(String),
    /// Asked for and it went wrong: the reason (an HTTP status, a timeout, the size cap).
    Failed(String),
}

impl Status {
    /// The word that opens the status's line.
    pub fn label(&self) -> &'static str {
        match self {
            Status::Listed { .. } => "source",
            Status::New => "new",
            Status::Changed => "changed",
            Status::Unchanged => "unchanged",
            Status::Gone { .. } => "gone",
            Status::Skipped(_) => "skipped",
            Status::Failed(_) => "failed",
        }
    }
}

/// One line of a fetch run: a source or a page, its saved copy, and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The source's or page's address.
    pub url: String,
    /// The saved copy's post identifier (`web/<site>/<slug>.html`), when there is one.
    pub post: Option<String>,
    /// What happened.
    pub status: Status,
}

impl Entry {
    /// The entry as one line: `new       URL  web/site/page.html`, `failed    URL  HTTP 404 ...`.
    pub fn line(&self) -> String {
        let detail = match (&self.status, &self.post) {
            (Status::Listed { what, pages }, _) => {
                format!("{what}, {pages} page{}", if *pages == 1 { "" } else { "s" })
            }
            (Status::Gone { removed }, post) => format!(
                "{}{}",
                post.as_deref().map(|p| format!("{p} ")).unwrap_or_default(),
                if *removed {
                    "(removed: no source lists it)"
                } else {
                    "(kept: no source lists it)"
                }
            ),
            (Status::Skipped(reason) | Status::Failed(reason), _) => reason.clone(),
            (_, Some(post)) => post.clone(),
            (_, None) => String::new(),
        };
        format!("{:<9} {}  {detail}", self.status.label(), self.url)
            .trim_end()
            .to_string()
    }
}

/// What a fetch run did.
#[derive(Debug, Clone, Default)]
pub struct FetchReport {
    /// One entry per source read and per page, in order.
    pub entries: Vec<Entry>,
    /// Page bodies downloaded (a `304` downloads none).
    pub downloads: usize,
    /// Requests sent, robots.txt included.
    pub requests: usize,
    /// How long the run took.
    pub elapsed: Duration,
}

impl FetchReport {
    /// How many entries have the status labelled `label` ("new", "failed", ...).
    pub fn count(&self, label: &str) -> usize {
        self.entries
            .iter()
            .filter(|e| e.status.label() == label)
            .count()
    }

    /// Whether a saved page was added, changed or removed, so the posts need re-indexing.
    pub fn changed_posts(&self) -> bool {
        self.entries.iter().any(|e| {
            matches!(
                e.status,
                Status::New | Status::Changed | Status::Gone { removed: true }
            )
        })
    }

    /// The run in one line: counts by status, downloads, requests and time.
    pub fn summary(&self) -> String {
        let counts: Vec<String> = ["new", "changed", "unchanged", "gone", "skipped", "failed"]
            .iter()
            .map(|label| format!("{} {label}", self.count(label)))
            .collect();
        format!(
            "{}; {} page{} downloaded, {} request{}, {:.2} s",
            counts.join(", "),
            self.downloads,
            if self.downloads == 1 { "" } else { "s" },
            self.requests,
            if self.requests == 1 { "" } else { "s" },
            self.elapsed.as_secs_f64()
        )
    }
}

/// Which sources a run fetches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which<'a> {
    /// Every source.
    All,
    /// The sources whose `refresh` has come round since this process last fetched them.
    Due,
    /// The source with this url.
    One(&'a str),
}

/// The web sources of a posts folder, and what this process knows of their last fetches.
pub struct Web {
    posts_dir: PathBuf,
    settings: FetchConfig,
    configured: Vec<WebSource>,
    /// Held for a whole run, and by `/add` while it adds a source to the sources file, so runs
    /// (scheduled, `/reindex`, `/add`) and additions take turns.
    state: Mutex<State>,
}

/// What earlier runs of this process learnt.
#[derive(Default)]
struct State {
    /// The pages each source listed when it was last read whole, by source url: a saved page
    /// none of them lists is gone.
    listings: HashMap<String, Vec<String>>,
    /// When each source was last fetched, by url.
    last_fetched: HashMap<String, Instant>,
}

impl Web {
    /// The web sources of the posts folder `posts_dir`: `configured` (the config's `[[web]]`
    /// entries) and those of its sources file, fetched as `settings` says.
    pub fn new(posts_dir: &Path, configured: &[WebSource], settings: &FetchConfig) -> Web {
        Web {
            posts_dir: posts_dir.to_path_buf(),
            settings: settings.clone(),
            configured: configured.to_vec(),
            state: Mutex::new(State::default()),
        }
    }

    /// citebot's folder of saved pages.
    pub fn folder(&self) -> PathBuf {
        Folder::of(&self.posts_dir).root().to_path_buf()
    }

    /// The config's sources, then those of the sources file that the config does not name.
    pub fn sources(&self) -> Result<Vec<WebSource>> {
        let mut all = self.configured.clone();
        for source in sources::read(Folder::of(&self.posts_dir).root())? {
            if !all.iter().any(|s| same_source(s, &source.url)) {
                all.push(source);
            }
        }
        Ok(all)
    }

    /// How long until the next source is due; zero when one is, `None` when there are none.
    pub fn next_due(&self) -> Option<Duration> {
        let sources = self.sources().unwrap_or_else(|err| {
            tracing::warn!(%err, "the sources file cannot be read; refreshing the config's sources only");
            self.configured.clone()
        });
        let state = self.lock();
        let now = Instant::now();
        sources
            .iter()
            .map(|s| match state.last_fetched.get(&s.url) {
                Some(last) => (*last + s.refresh()).saturating_duration_since(now),
                None => Duration::ZERO,
            })
            .min()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Fetches the sources `which` names into the posts folder, telling `observer` about each
    /// source and page as it is done and `progress` about the pages.
    pub fn fetch(
        &self,
        which: Which,
        observer: &mut dyn FnMut(&Entry),
        progress: &dyn Progress,
    ) -> Result<FetchReport> {
        let started = Instant::now();
        let mut state = self.lock();
        let all = self.sources()?;
        let now = Instant::now();
        let selected: Vec<&WebSource> = all
            .iter()
            .filter(|s| match which {
                Which::All => true,
                Which::Due => state
                    .last_fetched
                    .get(&s.url)
                    .is_none_or(|last| now >= *last + s.refresh()),
                Which::One(url) => same_source(s, url),
            })
            .collect();
        if selected.is_empty() {
            return Ok(FetchReport::default());
        }
        let folder = Folder::of(&self.posts_dir);
        folder.claim()?;
        let sites = all.iter().filter_map(|s| Url::parse(&s.url).ok()).collect();
        let http = Http::new(&self.settings, sites).map_err(Error::HttpClient)?;
        let mut run = Run {
            saved: folder.scan(),
            folder,
            http,
            report: FetchReport::default(),
            seen: HashSet::new(),
            observer,
            progress,
        };
        let mut queue: Vec<(Listed, String)> = Vec::new();
        for source in selected {
            let listing = run.read_source(source);
            state
                .last_fetched
                .insert(source.url.clone(), Instant::now());
            if listing.complete {
                state.listings.insert(source.url.clone(), listing.urls);
            }
            for page in listing.to_fetch {
                if run.seen.insert(page.url.to_string()) {
                    queue.push((page, source.url.clone()));
                }
            }
        }
        progress.start(Stage::Fetching, queue.len());
        for (page, source) in &queue {
            run.fetch_page(page, source);
            progress.advance();
        }
        progress.finish();
        // A page is gone when no source lists it; that is known only once every source has
        // been read whole (by this run or an earlier one of this process).
        if all.iter().all(|s| state.listings.contains_key(&s.url)) {
            let listed: HashSet<&str> = state
                .listings
                .values()
                .flatten()
                .map(String::as_str)
                .collect();
            let mut gone: Vec<Saved> = run
                .saved
                .values()
                .filter(|s| !listed.contains(s.meta.url.as_str()))
                .cloned()
                .collect();
            gone.sort_by(|a, b| a.meta.url.cmp(&b.meta.url));
            for page in gone {
                let post = Some(run.folder.post_id(&page));
                let status = match self.settings.gone {
                    Gone::Keep => Status::Gone { removed: false },
                    Gone::Remove => match run.folder.remove(&page) {
                        Ok(()) => Status::Gone { removed: true },
                        Err(err) => Status::Failed(format!("no source lists it, and {err}")),
                    },
                };
                run.record(Entry {
                    url: page.meta.url.clone(),
                    post,
                    status,
                });
            }
        }
        let mut report = run.report;
        report.requests = run.http.requests;
        report.elapsed = started.elapsed();
        Ok(report)
    }

    /// Adds the source `url` to the sources file and fetches it. A url that is not http or
    /// https, is a source already, or (unless `fetch.add_local_addresses`) points at this machine
    /// or its local network is refused.
    pub fn add(&self, url: &str, observer: &mut dyn FnMut(&Entry)) -> Result<FetchReport> {
        let refuse = |reason: String| Error::WebSource {
            url: url.to_string(),
            reason,
        };
        let Some(web_url) = citebot_core::link::web_url(url) else {
            return Err(refuse("it is not an http or https address".to_string()));
        };
        let parsed = Url::parse(&web_url).map_err(|e| refuse(e.to_string()))?;
        if !self.settings.add_local_addresses {
            check_not_local(&parsed).map_err(refuse)?;
        }
        {
            // Held from the check to the append, so that two `/add`s at once do not both
            // rewrite the sources file from what was there before either (losing one source).
            let _one_at_a_time = self.lock();
            if self.sources()?.iter().any(|s| same_source(s, &web_url)) {
                return Err(refuse("it is a source already".to_string()));
            }
            let folder = Folder::of(&self.posts_dir);
            folder.claim()?;
            sources::append(folder.root(), WebSource::new(&web_url))?;
        }
        tracing::info!(url = %web_url, "added a web source");
        self.fetch(Which::One(&web_url), observer, &LogProgress::default())
    }
}

/// Whether `source` is the source `url` (compared in normal form).
fn same_source(source: &WebSource, url: &str) -> bool {
    source.url == url
        || citebot_core::link::web_url(&source.url)
            .is_some_and(|a| Some(a) == citebot_core::link::web_url(url))
}

/// Refuses a url whose host is, or resolves to, an address of this machine or its local
/// network: `/add` must not let a server's managers read what only the bot's host can reach.
fn check_not_local(url: &Url) -> std::result::Result<(), String> {
    let host = url.host_str().unwrap_or_default().trim_matches(['[', ']']);
    let port = url.port_or_known_default().unwrap_or(80);
    let addresses: Vec<IpAddr> = match host.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => (host, port)
            .to_socket_addrs()
            .map_err(|e| format!("its host `{host}` cannot be resolved: {e}"))?
            .map(|a| a.ip())
            .collect(),
    };
    match addresses.iter().find(|ip| is_local(**ip)) {
        Some(ip) => Err(format!(
            "its host `{host}` is {ip}, an address of this machine or its local network (set fetch.add_local_addresses to allow it)"
        )),
        None => Ok(()),
    }
}

/// Loopback, private, link-local, shared (carrier-grade NAT), unspecified and unique-local
/// addresses.
fn is_local(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_local(IpAddr::V4(v4)),
            None => {
                let first = v6.segments()[0];
                v6.is_loopback()
                    || v6.is_unspecified()
                    || (first & 0xfe00) == 0xfc00
                    || (first & 0xffc0) == 0xfe80
            }
        },
    }
}

/// What reading one source gave.
struct Listing {
    /// Every page it lists (at most `max_pages`), by url.
    urls: Vec<String>,
    /// The pages still to fetch (a page source is fetched as it is read).
    to_fetch: Vec<Listed>,
    /// Whether the listing is whole: the source, and every sitemap it points to, was read.
    complete: bool,
}

impl Listing {
    fn unknown() -> Listing {
        Listing {
            urls: Vec::new(),
            to_fetch: Vec::new(),
            complete: false,
        }
    }
}

/// One fetch run.
struct Run<'a> {
    folder: Folder,
    saved: HashMap<String, Saved>,
    http: Http,
    report: FetchReport,
    /// Pages fetched or queued in this run, by url: a page two sources list is fetched once.
    seen: HashSet<String>,
    observer: &'a mut dyn FnMut(&Entry),
    progress: &'a dyn Progress,
}

impl Run<'_> {
    fn record(&mut self, entry: Entry) {
        let observer = &mut self.observer;
        self.progress.suspend(&mut || observer(&entry));
        self.report.entries.push(entry);
    }

    fn refused(&mut self, url: &Url, post: Option<String>, refused: Refused) {
        let status = match refused {
            Refused::Skipped(reason) => Status::Skipped(reason),
            Refused::Failed(reason) => Status::Failed(reason),
        };
        self.record(Entry {
            url: url.to_string(),
            post,
            status,
        });
    }

    /// Reads a source: a page is saved there and then; a feed or sitemap gives its pages.
    fn read_source(&mut self, source: &WebSource) -> Listing {
        let Ok(url) = Url::parse(&source.url) else {
            self.record(Entry {
                url: source.url.clone(),
                post: None,
                status: Status::Failed("not an address".to_string()),
            });
            return Listing::unknown();
        };
        let as_page = Listed::page(url.clone());
        let answer = match self.http.get(&url, self.validators(&url).as_ref()) {
            Ok(answer) => answer,
            Err(refused) => {
                let post = self.post_of(&url);
                self.refused(&url, post, refused);
                return Listing::unknown();
            }
        };
        let incoming = match answer {
            Answer::NotModified(validators) => {
                self.seen.insert(url.to_string());
                let status = self.not_modified(&as_page, &source.url, validators);
                self.record_page(&url, status);
                return page_listing(&url);
            }
            Answer::Body(incoming) => incoming,
        };
        if let Err(reason) = content::worth_reading(incoming.content_type.as_deref()) {
            self.record(Entry {
                url: url.to_string(),
                post: None,
                status: Status::Skipped(reason),
            });
            return Listing::unknown();
        }
        let (base, content_type, validators) = (
            incoming.url.clone(),
            incoming.content_type.clone(),
            incoming.validators.clone(),
        );
        let body = match incoming.read() {
            Ok(body) => body,
            Err(reason) => {
                let post = self.post_of(&url);
                self.refused(&url, post, Refused::Failed(reason));
                return Listing::unknown();
            }
        };
        match content::classify(content_type.as_deref(), &body) {
            Kind::Page => {
                self.seen.insert(url.to_string());
                self.report.downloads += 1;
                let status = self.save_page(
                    &as_page,
                    &source.url,
                    content_type.as_deref(),
                    &body,
                    validators,
                );
                self.record_page(&url, status);
                page_listing(&url)
            }
            Kind::Feed => match listing::feed(&body, &base) {
                Ok((what, mut pages)) => {
                    pages.truncate(source.max_pages());
                    self.listed(&url, what, pages, true)
                }
                Err(reason) => {
                    self.refused(&url, None, Refused::Failed(reason));
                    Listing::unknown()
                }
            },
            Kind::Sitemap => self.read_sitemap(&url, &base, &body, source.max_pages()),
            Kind::Other(reason) => {
                self.record(Entry {
                    url: url.to_string(),
                    post: None,
                    status: Status::Skipped(reason),
                });
                Listing::unknown()
            }
        }
    }

    /// Reads a sitemap, and the sitemaps a sitemap index points to, up to `max_pages` pages.
    fn read_sitemap(&mut self, url: &Url, base: &Url, body: &[u8], max_pages: usize) -> Listing {
        let (what, mut pages, complete) = match listing::sitemap(body, base) {
            Err(reason) => {
                self.refused(url, None, Refused::Failed(reason));
                return Listing::unknown();
            }
            Ok(Sitemap::Pages(pages)) => ("sitemap", pages, true),
            Ok(Sitemap::Index(sitemaps)) => {
                let mut pages = Vec::new();
                let mut complete = true;
                for sitemap in sitemaps {
                    if pages.len() >= max_pages {
                        break;
                    }
                    match self.read_child_sitemap(&sitemap) {
                        Ok(more) => pages.extend(more),
                        Err(refused) => {
                            complete = false;
                            self.refused(&sitemap, None, refused);
                        }
                    }
                }
                ("sitemap index", pages, complete)
            }
        };
        pages.truncate(max_pages);
        self.listed(
            url,
            what,
            pages.into_iter().map(Listed::page).collect(),
            complete,
        )
    }

    /// The pages of a sitemap a sitemap index points to (an index within an index is not
    /// followed, as the sitemap protocol allows none).
    fn read_child_sitemap(&mut self, url: &Url) -> std::result::Result<Vec<Url>, Refused> {
        let Answer::Body(incoming) = self.http.get(url, None)? else {
            return Err(Refused::Failed(
                "HTTP 304 to an unconditional request".into(),
            ));
        };
        content::worth_reading(incoming.content_type.as_deref()).map_err(Refused::Skipped)?;
        let base = incoming.url.clone();
        let body = incoming.read().map_err(Refused::Failed)?;
        match listing::sitemap(&body, &base).map_err(Refused::Failed)? {
            Sitemap::Pages(pages) => Ok(pages),
            Sitemap::Index(_) => Err(Refused::Skipped(
                "a sitemap index inside a sitemap index".to_string(),
            )),
        }
    }

    /// Records a feed or sitemap read and returns its listing.
    fn listed(&mut self, url: &Url, what: &str, pages: Vec<Listed>, complete: bool) -> Listing {
        self.record(Entry {
            url: url.to_string(),
            post: None,
            status: Status::Listed {
                what: what.to_string(),
                pages: pages.len(),
            },
        });
        Listing {
            urls: pages.iter().map(|p| p.url.to_string()).collect(),
            to_fetch: pages,
            complete,
        }
    }

    /// The validators of the saved copy of `url`, when there is one.
    fn validators(&self, url: &Url) -> Option<Validators> {
        self.saved
            .get(url.as_str())
            .filter(|s| s.has_page())
            .map(|s| Validators {
                etag: s.meta.etag.clone(),
                last_modified: s.meta.last_modified.clone(),
            })
    }

    fn post_of(&self, url: &Url) -> Option<String> {
        self.saved
            .get(url.as_str())
            .map(|saved| self.folder.post_id(saved))
    }

    fn record_page(&mut self, url: &Url, status: Status) {
        let post = self.post_of(url);
        self.record(Entry {
            url: url.to_string(),
            post,
            status,
        });
    }

    /// Fetches one listed page and saves it if it is new or changed.
    fn fetch_page(&mut self, page: &Listed, source: &str) {
        let status = match self
            .http
            .get(&page.url, self.validators(&page.url).as_ref())
        {
            Err(Refused::Skipped(reason)) => Status::Skipped(reason),
            Err(Refused::Failed(reason)) => Status::Failed(reason),
            Ok(Answer::NotModified(validators)) => self.not_modified(page, source, validators),
            Ok(Answer::Body(incoming)) => {
                let content_type = incoming.content_type.clone();
                let validators = incoming.validators.clone();
                match content::worth_reading(content_type.as_deref()) {
                    Err(_) => Status::Skipped(format!(
                        "not HTML ({})",
                        content::essence(content_type.as_deref()).unwrap_or_default()
                    )),
                    Ok(()) => match incoming.read() {
                        Err(reason) => Status::Failed(reason),
                        Ok(body) => match content::classify(content_type.as_deref(), &body) {
                            Kind::Page => {
                                self.report.downloads += 1;
                                self.save_page(
                                    page,
                                    source,
                                    content_type.as_deref(),
                                    &body,
                                    validators,
                                )
                            }
                            Kind::Feed | Kind::Sitemap => Status::Skipped(
                                "a feed or sitemap, not a page (list it as a source of its own)"
                                    .to_string(),
                            ),
                            Kind::Other(reason) => Status::Skipped(reason),
                        },
                    },
                }
            }
        };
        self.record_page(&page.url, status);
    }

    /// The metadata a saved copy of `page`, listed by `source`, should have.
    fn meta_for(page: &Listed, source: &str, validators: Validators) -> PageMeta {
        PageMeta {
            url: page.url.to_string(),
            title: page.title.clone(),
            author: page.author.clone(),
            date: page.date.clone(),
            source: Some(source.to_string()),
            fetched: None,
            etag: validators.etag,
            last_modified: validators.last_modified,
        }
    }

    /// Saves a page whose body was downloaded: new, changed, or unchanged when the bytes and
    /// the metadata are the same as the saved copy's.
    fn save_page(
        &mut self,
        page: &Listed,
        source: &str,
        content_type: Option<&str>,
        body: &[u8],
        validators: Validators,
    ) -> Status {
        let html = content::page_to_utf8(content_type, body);
        // A sidecar whose page was deleted keeps its place: the page is saved there again.
        let record = self.saved.get(page.url.as_str()).cloned();
        let existed = record.as_ref().is_some_and(Saved::has_page);
        let mut target = record.unwrap_or_else(|| self.folder.place_for(&page.url, &self.saved));
        let same_page = existed && std::fs::read(&target.page).is_ok_and(|saved| saved == *html);
        let before = target.meta.clone();
        target.meta = Run::meta_for(page, source, validators);
        target.meta.fetched = if same_page {
            before.fetched.clone()
        } else {
            Some(humantime::format_rfc3339_seconds(SystemTime::now()).to_string())
        };
        let status = if !existed {
            Status::New
        } else if !same_page || before.indexed_fields() != target.meta.indexed_fields() {
            Status::Changed
        } else {
            Status::Unchanged
        };
        if status != Status::Unchanged || target.meta != before {
            let page_bytes = (!same_page).then_some(&*html);
            if let Err(err) = self.folder.save(&target, page_bytes) {
                return Status::Failed(err.to_string());
            }
        }
        self.saved.insert(page.url.to_string(), target);
        status
    }

    /// A page the server says has not changed: unchanged, unless its listing now gives it
    /// another title, author or date. New validators the server sent are kept.
    fn not_modified(&mut self, page: &Listed, source: &str, validators: Validators) -> Status {
        let Some(mut target) = self.saved.get(page.url.as_str()).cloned() else {
            return Status::Failed("HTTP 304 for a page that is not saved".to_string());
        };
        let before = target.meta.clone();
        let fresh = Run::meta_for(page, source, validators);
        target.meta = PageMeta {
            fetched: before.fetched.clone(),
            etag: fresh.etag.or(before.etag.clone()),
            last_modified: fresh.last_modified.or(before.last_modified.clone()),
            ..fresh
        };
        if target.meta == before {
            return Status::Unchanged;
        }
        if let Err(err) = self.folder.save(&target, None) {
            return Status::Failed(err.to_string());
        }
        let status = if before.indexed_fields() == target.meta.indexed_fields() {
            Status::Unchanged
        } else {
            Status::Changed
        };
        self.saved.insert(page.url.to_string(), target);
        status
    }
}

/// The listing of a source that is a page: the page itself.
fn page_listing(url: &Url) -> Listing {
    Listing {
        urls: vec![url.to_string()],
        to_fetch: Vec::new(),
        complete: true,
    }
}

/// Logs a fetch entry: saved pages that changed at `info`, failures at `warn`, the rest at
/// `debug`.
fn log_entry(entry: &Entry) {
    match entry.status {
        Status::Failed(_) => tracing::warn!("fetch: {}", entry.line()),
        Status::New | Status::Changed | Status::Gone { .. } => {
            tracing::info!("fetch: {}", entry.line())
        }
        _ => tracing::debug!("fetch: {}", entry.line()),
    }
}

/// Fetches every web source (for `/reindex`, which re-indexes next), logging each entry. `None`
/// when there are no web sources.
pub fn refetch(web: Option<&Web>) -> Option<Result<FetchReport>> {
    let web = web?;
    let fetched = web.fetch(Which::All, &mut log_entry, &LogProgress::default());
    match &fetched {
        Ok(report) => tracing::info!(summary = %report.summary(), "fetched the web sources"),
        Err(err) => tracing::error!(%err, "fetching the web sources failed"),
    }
    Some(fetched)
}

/// `/add`: adds a source to the web sources of the library's posts folder, fetches it and
/// re-indexes.
pub fn add(library: &Library, web: Option<&Web>, url: &str) -> Result<(FetchReport, Changes)> {
    let Some(web) = web else {
        return Err(Error::WebSource {
            url: url.to_string(),
            reason: "this bot does not fetch from the web".to_string(),
        });
    };
    let report = web.add(url, &mut log_entry)?;
    tracing::info!(summary = %report.summary(), "fetched the added source");
    let changes = library.reindex()?;
    Ok((report, changes))
}

/// Fetches the sources that are due and re-indexes when a saved page changed.
fn refresh_due(library: &Library, web: &Web) {
    let report = match web.fetch(Which::Due, &mut log_entry, &LogProgress::default()) {
        Ok(report) => report,
        Err(err) => {
            tracing::error!(%err, "refreshing the web sources failed");
            return;
        }
    };
    if report.entries.is_empty() {
        return;
    }
    tracing::info!(summary = %report.summary(), "refreshed the web sources");
    if report.changed_posts() {
        match library.reindex() {
            Ok(changes) => tracing::info!(
                added = ?changes.added,
                changed = ?changes.changed,
                removed = ?changes.removed,
                "posts re-indexed after a web refresh"
            ),
            Err(err) => tracing::error!(%err, "re-index after a web refresh failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_addresses_are_told_from_public_ones() {
        for local in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_local(local.parse().unwrap()), "{local}");
        }
        for public in ["93.184.216.34", "2606:2800:220:1::1", "100.128.0.1"] {
            assert!(!is_local(public.parse().unwrap()), "{public}");
        }
        let err = check_not_local(&Url::parse("http://127.0.0.1:4000/feed").unwrap()).unwrap_err();
        assert!(err.contains("add_local_addresses"), "{err}");
    }

    #[test]
    fn entries_read_as_one_line_each() {
        let entry = |status| Entry {
            url: "https://b.example/a".into(),
            post: Some("web/b.example/a.html".into()),
            status,
        };
        assert_eq!(
            entry(Status::New).line(),
            "new       https://b.example/a  web/b.example/a.html"
        );
        assert_eq!(
            entry(Status::Failed("HTTP 404 Not Found".into())).line(),
            "failed    https://b.example/a  HTTP 404 Not Found"
        );
        assert_eq!(
            entry(Status::Gone { removed: false }).line(),
            "gone      https://b.example/a  web/b.example/a.html (kept: no source lists it)"
        );
        assert_eq!(
            entry(Status::Listed {
                what: "RSS feed".into(),
                pages: 1
            })
            .line(),
            "source    https://b.example/a  RSS feed, 1 page"
        );
    }
}
