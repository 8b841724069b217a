//! A fixture blog on 127.0.0.1 (ephemeral port) for the web tests: the Harbour Rowing Club's
//! pages with their navigation, comment forms and share widgets, an RSS feed, an Atom feed and a
//! sitemap listing them (and RSS feeds of a few of its pages, so that a test fetches only the pages
//! of its scenario), a robots.txt that disallows `/private/`, a redirect chain and a redirect
//! loop, a 404, a 500, a page that never finishes, a 50 MB page (streamed, never held in memory),
//! a PDF, a page that changes when told to, and `ETag` / `Last-Modified` answers that turn into
//! `304 Not Modified`. It records every request and counts, per path, the bodies it sent and the
//! 304s, so a test can prove what was (not) transferred. It runs on a thread of its own, so the
//! blocking fetch code under test can be called from plain tests.
#![allow(dead_code)] // Each test module uses part of the blog.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, LOCATION,
};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use futures::StreamExt;

/// Size of the page over the cap: 50 MB.
pub const HUGE_BYTES: u64 = 50 * 1000 * 1000;
/// The chunk the huge page is streamed in.
const HUGE_CHUNK: usize = 64 * 1024;
/// Pages of the large site (`/big/sitemap.xml`).
pub const BIG_SITE_PAGES: usize = 100;
/// The `Last-Modified` of the page that only has one.
const WINTER_LAST_MODIFIED: &str = "Tue, 05 Nov 2024 18:00:00 GMT";

/// A running fixture blog; dropping it stops the server.
pub struct Blog {
    addr: SocketAddr,
    state: Arc<BlogState>,
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// What the blog knows and counts.
#[derive(Default)]
pub struct BlogState {
    /// Every request, as `GET /path`.
    requests: Mutex<Vec<String>>,
    /// The `User-Agent` of every request.
    user_agents: Mutex<Vec<String>>,
    /// Full bodies sent (200), by path.
    bodies: Mutex<HashMap<String, usize>>,
    /// `304 Not Modified` sent, by path.
    not_modified: Mutex<HashMap<String, usize>>,
    /// The version of `/posts/notices` (starts at 1).
    notices_version: AtomicUsize,
    /// Drops `/posts/boathouse` from `/small-feed.xml`.
    boathouse_dropped: AtomicBool,
    /// Bytes of the huge page the server produced.
    huge_sent: AtomicU64,
    /// The base url of another site, which the RSS feed links to.
    elsewhere: Mutex<Option<String>>,
}

impl Blog {
    /// Starts a blog on an ephemeral port of 127.0.0.1.
    pub fn start() -> Blog {
        let state = Arc::new(BlogState {
            notices_version: AtomicUsize::new(1),
            ..BlogState::default()
        });
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (bound, addr) = std::sync::mpsc::channel();
        let served = state.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for the blog");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                bound.send(listener.local_addr().unwrap()).unwrap();
                let app = Router::new().fallback(serve).with_state(served);
                tokio::select! {
                    _ = axum::serve(listener, app) => {}
                    _ = stopped => {}
                }
            });
        });
        Blog {
            addr: addr.recv().expect("the blog started"),
            state,
            _stop: stop,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The url of `path` on the blog.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base())
    }

    /// The url of an RSS feed listing just the items of `/feed.xml` at `paths`, in its order.
    pub fn feed_of(&self, paths: &[&str]) -> String {
        self.url(&format!("/list.xml?paths={}", paths.join(",")))
    }

    /// The name of the blog's folder in `web/`: `127.0.0.1_PORT`.
    pub fn site_folder(&self) -> String {
        format!("127.0.0.1_{}", self.addr.port())
    }

    /// Makes the RSS feed link to a page on `other`, a site that is not configured.
    pub fn link_elsewhere(&self, other: &Blog) {
        *self.state.elsewhere.lock().unwrap() = Some(other.base());
    }

    /// Every request so far (`GET /path`).
    pub fn requests(&self) -> Vec<String> {
        self.state.requests.lock().unwrap().clone()
    }

    /// The `User-Agent`s the requests came with, each once.
    pub fn user_agents(&self) -> Vec<String> {
        let mut agents = self.state.user_agents.lock().unwrap().clone();
        agents.sort();
        agents.dedup();
        agents
    }

    /// Requests for `path`.
    pub fn requests_for(&self, path: &str) -> usize {
        let wanted = format!("GET {path}");
        self.requests().iter().filter(|r| **r == wanted).count()
    }

    /// Full bodies sent for `path`.
    pub fn bodies(&self, path: &str) -> usize {
        self.state
            .bodies
            .lock()
            .unwrap()
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    /// Full bodies sent for paths starting with `prefix`.
    pub fn bodies_under(&self, prefix: &str) -> usize {
        let bodies = self.state.bodies.lock().unwrap();
        bodies
            .iter()
            .filter(|(path, _)| path.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    }

    /// `304`s sent for paths starting with `prefix`.
    pub fn not_modified_under(&self, prefix: &str) -> usize {
        let sent = self.state.not_modified.lock().unwrap();
        sent.iter()
            .filter(|(path, _)| path.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    }

    /// `304`s sent for `path`.
    pub fn not_modified(&self, path: &str) -> usize {
        self.not_modified_under(path)
    }

    /// Bytes of the 50 MB page the server produced before the client hung up.
    pub fn huge_bytes_sent(&self) -> u64 {
        self.state.huge_sent.load(Ordering::SeqCst)
    }

    /// Moves `/posts/notices` to its next version.
    pub fn change_notices(&self) {
        self.state.notices_version.fetch_add(1, Ordering::SeqCst);
    }

    /// Drops `/posts/boathouse` from `/small-feed.xml`.
    pub fn drop_boathouse_from_small_feed(&self) {
        self.state.boathouse_dropped.store(true, Ordering::SeqCst);
    }
}

/// A page of the blog: its title, paragraphs, and validators.
struct Page {
    title: &'static str,
    paragraphs: &'static [&'static str],
}

const FIRST_REGATTA: Page = Page {
    title: "Our First Regatta",
    paragraphs: &[
        "The club's first regatta was held on the estuary in June 1987.",
        "Fourteen crews raced over a course of 1,500 metres, and the junior four won the silver cup.",
    ],
};
const BOATHOUSE: Page = Page {
    title: "The Boathouse",
    paragraphs: &[
        "The boathouse holds 23 boats, from single sculls to two coxed eights.",
        "It was rebuilt in 2009 after the winter floods reached the slipway.",
    ],
};
const WINTER_TRAINING: Page = Page {
    title: "Winter Training",
    paragraphs: &[
        "In winter the squad trains on rowing machines in the church hall on Tuesday and Thursday evenings.",
    ],
};
const NEW_BOATS: Page = Page {
    title: "New Boats",
    paragraphs: &[
        "The club bought two new quads from a boatyard upriver with the money raised by the summer raffle.",
    ],
};
const COACHING: Page = Page {
    title: "Coaching",
    paragraphs: &[
        "Learn-to-row courses run for six weeks each spring, and the club lends every beginner a lifejacket.",
    ],
};
const ABOUT: Page = Page {
    title: "About the Club",
    paragraphs: &["The Harbour Rowing Club was founded by four dockworkers in 1921."],
};
const MINUTES: Page = Page {
    title: "Committee Minutes",
    paragraphs: &["The treasurer reported a confidential balance of 4,812 pounds."],
};

/// The items of the RSS feed `/feed.xml` (path, title), one for each kind of page.
const FEED_ITEMS: &[(&str, &str)] = &[
    ("/posts/first-regatta", FIRST_REGATTA.title),
    ("/posts/boathouse", BOATHOUSE.title),
    ("/posts/winter-training", WINTER_TRAINING.title),
    ("/private/minutes", MINUTES.title),
    ("/old/new-boats", NEW_BOATS.title),
    ("/posts/missing", "A Page That Was Deleted"),
    ("/posts/broken", "A Page That Breaks"),
    ("/posts/slow", "A Page That Never Finishes"),
    ("/posts/huge", "A Page Too Large"),
    ("/files/rules.pdf", "The Rules"),
    ("/posts/notices", "Notices"),
    ("/loop/0", "A Redirect Loop"),
];

/// A page with the furniture of a real blog around its article.
fn html(title: &str, paragraphs: &[String]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} – Harbour Rowing Club</title></head>
<body>
<header><nav><a href="/">Home</a> <a href="/about">About</a> Menu: Regattas, Training, Boathouse</nav></header>
<main><article><h1>{title}</h1>
{body}</article>
<div class="sharedaddy">Share this: Facebook Twitter</div>
<section id="comments"><h3>Leave a Reply</h3><form><textarea></textarea></form>
<p>Comments are moderated by the rowing secretary.</p></section></main>
<footer>© Harbour Rowing Club. All rights reserved.</footer>
</body></html>
"#
    )
}

fn page_html(page: &Page) -> String {
    let paragraphs: Vec<String> = page.paragraphs.iter().map(|p| p.to_string()).collect();
    html(page.title, &paragraphs)
}

/// The validators a page answers with.
struct Validators {
    etag: Option<String>,
    last_modified: Option<&'static str>,
}

impl BlogState {
    fn count(&self, map: &Mutex<HashMap<String, usize>>, path: &str) {
        *map.lock().unwrap().entry(path.to_string()).or_default() += 1;
    }

    /// A page, or `304` when the request's validators match.
    fn page(
        &self,
        path: &str,
        headers: &HeaderMap,
        html: String,
        validators: Validators,
    ) -> Response {
        let header = |name| {
            headers
                .get(name)
                .and_then(|v: &axum::http::HeaderValue| v.to_str().ok())
        };
        let etag_matches = validators
            .etag
            .as_deref()
            .is_some_and(|etag| header(IF_NONE_MATCH) == Some(etag));
        let date_matches = validators.etag.is_none()
            && validators
                .last_modified
                .is_some_and(|date| header(IF_MODIFIED_SINCE) == Some(date));
        let mut response = if etag_matches || date_matches {
            self.count(&self.not_modified, path);
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            self.count(&self.bodies, path);
            ([(CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
        };
        if let Some(etag) = validators.etag {
            response.headers_mut().insert(ETAG, etag.parse().unwrap());
        }
        if let Some(date) = validators.last_modified {
            response
                .headers_mut()
                .insert(LAST_MODIFIED, date.parse().unwrap());
        }
        response
    }

    /// A document sent whole, counted.
    fn document(&self, path: &str, content_type: &'static str, body: String) -> Response {
        self.count(&self.bodies, path);
        ([(CONTENT_TYPE, content_type)], body).into_response()
    }
}

fn etag(tag: &str) -> Validators {
    Validators {
        etag: Some(format!("\"{tag}\"")),
        last_modified: None,
    }
}

fn redirect(status: StatusCode, to: &str) -> Response {
    (status, [(LOCATION, to.to_string())]).into_response()
}

/// An RSS 2.0 feed of `items` (path or absolute url, title).
fn rss(base: &str, items: &[(String, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(link, title)| {
            let link = if link.starts_with("http") {
                link.clone()
            } else {
                format!("{base}{link}")
            };
            format!(
                "<item><title>{title}</title><link>{link}</link><dc:creator>Rowing Secretary</dc:creator><pubDate>Sat, 02 Nov 2024 10:00:00 GMT</pubDate></item>\n"
            )
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Harbour Rowing Club</title><link>{base}/</link><description>News of the club</description>
{items}</channel></rss>
"#
    )
}

async fn serve(State(blog): State<Arc<BlogState>>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    let query = request.uri().query().unwrap_or_default().to_string();
    let headers = request.headers().clone();
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let base = format!("http://{host}");
    blog.requests
        .lock()
        .unwrap()
        .push(format!("{} {path}", request.method()));
    blog.user_agents.lock().unwrap().push(
        headers
            .get("user-agent")
            .and_then(|h| h.to_str().ok())
            .unwrap_or_default()
            .to_string(),
    );
    match path.as_str() {
        "/robots.txt" => {
            ([(CONTENT_TYPE, "text/plain")], "User-agent: *\nDisallow: /private/\n").into_response()
        }
        "/feed.xml" => {
            let mut items: Vec<(String, &str)> = FEED_ITEMS
                .iter()
                .map(|&(path, title)| (path.to_string(), title))
                .collect();
            if let Some(other) = blog.elsewhere.lock().unwrap().clone() {
                items.push((format!("{other}/elsewhere"), "Another Site"));
            }
            blog.document(&path, "application/rss+xml", rss(&base, &items))
        }
        "/list.xml" => {
            // The items of the full feed whose paths the query names, so that a test fetches
            // only the pages of its scenario.
            let wanted: Vec<&str> = query
                .strip_prefix("paths=")
                .map(|paths| paths.split(',').collect())
                .unwrap_or_default();
            let items: Vec<(String, &str)> = FEED_ITEMS
                .iter()
                .filter(|(path, _)| wanted.contains(path))
                .map(|&(path, title)| (path.to_string(), title))
                .collect();
            blog.document(&path, "application/rss+xml", rss(&base, &items))
        }
        "/small-feed.xml" => {
            let mut items = vec![("/posts/first-regatta".to_string(), FIRST_REGATTA.title)];
            if !blog.boathouse_dropped.load(Ordering::SeqCst) {
                items.push(("/posts/boathouse".to_string(), BOATHOUSE.title));
            }
            // Served as HTML, as some blogs do: the body says it is a feed.
            blog.document(&path, "text/html; charset=utf-8", rss(&base, &items))
        }
        "/atom.xml" => blog.document(
            &path,
            "application/atom+xml",
            format!(
                r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Rowing Club</title><id>urn:harbour</id>
<updated>2024-11-03T09:00:00Z</updated>
<entry><title>Coaching for Beginners</title><id>urn:harbour:coaching</id><updated>2024-11-03T09:00:00Z</updated>
<link rel="alternate" href="{base}/posts/coaching"/><author><name>Head Coach</name></author></entry>
<entry><title>{}</title><id>urn:harbour:first</id><updated>2024-11-01T09:00:00Z</updated>
<link href="/posts/first-regatta"/></entry>
</feed>
"#,
                FIRST_REGATTA.title
            ),
        ),
        "/sitemap.xml" => blog.document(
            &path,
            "application/xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{base}/about</loc></url>
<url><loc>{base}/posts/first-regatta</loc><lastmod>2024-11-01</lastmod></url>
<url><loc>{base}/posts/boathouse</loc></url>
</urlset>
"#
            ),
        ),
        "/big/sitemap.xml" => {
            let urls: String = (0..BIG_SITE_PAGES)
                .map(|n| format!("<url><loc>{base}/big/page-{n}</loc></url>\n"))
                .collect();
            blog.document(
                &path,
                "application/xml",
                format!(
                    "<?xml version=\"1.0\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n{urls}</urlset>\n"
                ),
            )
        }
        big if big.starts_with("/big/page-") => {
            let n = &big["/big/page-".len()..];
            let text = format!("Page {n} of the archive lists the results of regatta number {n}.");
            blog.page(&path, &headers, html(&format!("Archive {n}"), &[text]), etag(&format!("big-{n}")))
        }
        "/posts/first-regatta" => {
            blog.page(&path, &headers, page_html(&FIRST_REGATTA), etag("regatta-1"))
        }
        "/posts/boathouse" => blog.page(&path, &headers, page_html(&BOATHOUSE), etag("boathouse-1")),
        "/posts/winter-training" => blog.page(
            &path,
            &headers,
            page_html(&WINTER_TRAINING),
            Validators {
                etag: None,
                last_modified: Some(WINTER_LAST_MODIFIED),
            },
        ),
        "/posts/new-boats" => blog.page(&path, &headers, page_html(&NEW_BOATS), etag("boats-1")),
        "/posts/coaching" => blog.page(&path, &headers, page_html(&COACHING), etag("coaching-1")),
        "/about" => blog.page(&path, &headers, page_html(&ABOUT), etag("about-1")),
        "/private/minutes" => blog.page(&path, &headers, page_html(&MINUTES), etag("minutes-1")),
        "/posts/notices" => {
            let version = blog.notices_version.load(Ordering::SeqCst);
            let text = if version == 1 {
                "The annual general meeting will be held on 12 March in the boathouse."
            } else {
                "The annual general meeting has moved to 19 March, in the church hall."
            };
            blog.page(
                &path,
                &headers,
                html("Notices", &[text.to_string()]),
                etag(&format!("notices-{version}")),
            )
        }
        "/old/new-boats" => redirect(StatusCode::MOVED_PERMANENTLY, "/older/new-boats"),
        "/older/new-boats" => redirect(StatusCode::FOUND, &format!("{base}/posts/new-boats")),
        looping if looping.starts_with("/loop/") => {
            let n: usize = looping["/loop/".len()..].parse().unwrap_or(0);
            redirect(StatusCode::FOUND, &format!("/loop/{}", n + 1))
        }
        "/posts/missing" => (StatusCode::NOT_FOUND, "Not Found").into_response(),
        "/posts/broken" => (StatusCode::INTERNAL_SERVER_ERROR, "Oops").into_response(),
        "/posts/slow" => {
            // The head of a page, then nothing, ever.
            let head = futures::stream::once(async {
                Ok::<_, Infallible>(Bytes::from_static(b"<html><body><h1>Slow</h1><p>Loading"))
            });
            let body = Body::from_stream(head.chain(futures::stream::pending()));
            ([(CONTENT_TYPE, "text/html")], body).into_response()
        }
        "/posts/huge" => {
            // 50 MB made chunk by chunk as the client reads: never held in memory.
            let chunk = Bytes::from(vec![b'a'; HUGE_CHUNK]);
            let chunks = HUGE_BYTES.div_ceil(HUGE_CHUNK as u64);
            let sent = blog.clone();
            let stream = futures::stream::iter(0..chunks).map(move |_| {
                sent.huge_sent
                    .fetch_add(HUGE_CHUNK as u64, Ordering::SeqCst);
                Ok::<_, Infallible>(chunk.clone())
            });
            ([(CONTENT_TYPE, "text/html")], Body::from_stream(stream)).into_response()
        }
        "/files/rules.pdf" => {
            blog.count(&blog.bodies, &path);
            ([(CONTENT_TYPE, "application/pdf")], "%PDF-1.7\n% not really\n").into_response()
        }
        "/elsewhere" => blog.page(&path, &headers, page_html(&ABOUT), etag("elsewhere")),
        _ => (StatusCode::NOT_FOUND, "Not Found").into_response(),
    }
}
