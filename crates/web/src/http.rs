//! HTTP for web sources, with manners: one blocking client that names citebot and its version,
//! requests only to the sites of the configured sources (redirects included, followed by hand up
//! to a limit), robots.txt obeyed, one request at a time with a pause between two requests to one
//! host, a time limit on every wait, and a size cap on every body, enforced while it is read.

use std::collections::HashMap;
use std::io::Read;
use std::time::{Duration, Instant};

use citebot_core::link::on_this_machine;
use reqwest::blocking::{Client, Response};
use reqwest::header::{
    HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH,
    LAST_MODIFIED, LOCATION,
};
use reqwest::StatusCode;
use url::Url;

use super::robots::Robots;
use crate::config::FetchConfig;

/// The `User-Agent` of every request.
pub const USER_AGENT: &str = concat!(
    "citebot/",
    env!("CARGO_PKG_VERSION"),
    " (answers questions about a community's posts; obeys robots.txt)"
);

/// What citebot asks for: pages, feeds and sitemaps first, anything else last (its content type
/// then says what it is, and it is skipped without being read).
const ACCEPTED: &str = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1";

/// How many redirects a robots.txt request follows (RFC 9309 asks for at least five).
const ROBOTS_REDIRECTS: usize = 5;
/// The part of a robots.txt that is read (RFC 9309 asks parsers to read at least 500 KiB).
const ROBOTS_MAX_BYTES: u64 = 500 * 1024;
/// The longest pause a robots.txt `Crawl-delay` may impose between two requests.
const MAX_CRAWL_DELAY: Duration = Duration::from_secs(60);
/// Bytes read from a body at a time.
const READ_CHUNK: usize = 64 * 1024;

/// The `ETag` and `Last-Modified` of a saved copy: sent back so that a page that has not changed
/// is answered `304 Not Modified`, without its body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` the server gave.
    pub etag: Option<String>,
    /// The `Last-Modified` the server gave.
    pub last_modified: Option<String>,
}

impl Validators {
    fn of(headers: &HeaderMap) -> Validators {
        let text = |name| {
            headers
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        Validators {
            etag: text(ETAG),
            last_modified: text(LAST_MODIFIED),
        }
    }

    fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// Why a url was not fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Not asked for at all, by choice: robots.txt, or a url off the configured sites.
    Skipped(String),
    /// Asked for, and it went wrong: the reason (an HTTP status, a timeout, the size cap).
    Failed(String),
}

/// A server's answer to a request.
pub enum Answer {
    /// `304 Not Modified`: the saved copy is current; the validators the server sent with it.
    NotModified(Validators),
    /// A body is on its way.
    Body(Box<Incoming>),
}

/// A successful answer whose body has not been read yet.
pub struct Incoming {
    /// Where the body comes from, after redirects.
    pub url: Url,
    /// The `Content-Type`, as sent.
    pub content_type: Option<String>,
    /// The `ETag` and `Last-Modified`.
    pub validators: Validators,
    response: Response,
    cap: u64,
    timeout: Duration,
}

impl Incoming {
    /// Reads the body: at most the size cap, within the time limit.
    pub fn read(self) -> Result<Vec<u8>, String> {
        read_capped(self.response, self.cap, self.timeout)
    }
}

/// The HTTP side of one fetch run.
pub struct Http {
    client: Client,
    /// The client for this machine's own addresses (see [`on_this_machine`]): never through a
    /// proxy from the environment.
    direct: Client,
    timeout: Duration,
    cap: u64,
    delay: Duration,
    max_redirects: usize,
    /// The sources' urls: a request goes to their sites only.
    sites: Vec<Url>,
    /// robots.txt by origin (`https://host:port`), read once per run.
    robots: HashMap<String, Robots>,
    /// When the next request to each host may go.
    next_request: HashMap<String, Instant>,
    /// Requests sent, robots.txt included.
    pub requests: usize,
}

impl Http {
    /// A client for a run fetching from the sites of `sources`.
    pub fn new(settings: &FetchConfig, sources: Vec<Url>) -> Result<Http, String> {
        let builder = || {
            Client::builder()
                .user_agent(USER_AGENT)
                .redirect(reqwest::redirect::Policy::none())
                .timeout(settings.timeout())
                .connect_timeout(settings.timeout())
        };
        let client = builder().build().map_err(|e| error_text(&e))?;
        let direct = builder().no_proxy().build().map_err(|e| error_text(&e))?;
        Ok(Http {
            client,
            direct,
            timeout: settings.timeout(),
            cap: settings.max_page_bytes(),
            delay: Duration::from_millis(settings.delay_ms),
            max_redirects: settings.max_redirects,
            sites: sources,
            robots: HashMap::new(),
            next_request: HashMap::new(),
            requests: 0,
        })
    }

    /// True when `url` is on the site of a configured source: the same host, and the same port
    /// or the scheme's own port (so `http://host/` may redirect to `https://host/`).
    pub fn on_site(&self, url: &Url) -> bool {
        self.sites.iter().any(|site| same_site(site, url))
    }

    /// GETs `url`, sending `validators` of a saved copy, following redirects on the configured
    /// sites. A url robots.txt disallows, or off the configured sites, is skipped unasked.
    pub fn get(&mut self, url: &Url, validators: Option<&Validators>) -> Result<Answer, Refused> {
        let validators = validators.filter(|v| !v.is_empty());
        let mut at = url.clone();
        for hop in 0..=self.max_redirects {
            if !matches!(at.scheme(), "http" | "https") {
                return Err(Refused::Failed(format!(
                    "redirected to `{at}`, which is not an http or https address"
                )));
            }
            if !self.on_site(&at) {
                let reason = format!("`{at}` is not on the site of a configured source");
                return Err(if hop == 0 {
                    Refused::Skipped(reason)
                } else {
                    Refused::Failed(format!("redirected: {reason}"))
                });
            }
            self.robots_for(&at).check(&at).map_err(Refused::Skipped)?;
            let response = self.send(&at, validators)?;
            let status = response.status();
            if status == StatusCode::NOT_MODIFIED {
                if validators.is_none() {
                    return Err(Refused::Failed(
                        "HTTP 304 Not Modified to a request that had no validators".to_string(),
                    ));
                }
                return Ok(Answer::NotModified(Validators::of(response.headers())));
            }
            if status.is_redirection() {
                at = redirect_target(&at, &response).map_err(Refused::Failed)?;
                continue;
            }
            if !status.is_success() {
                return Err(Refused::Failed(format!("HTTP {status}")));
            }
            let headers = response.headers();
            return Ok(Answer::Body(Box::new(Incoming {
                url: at,
                content_type: headers
                    .get(CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string),
                validators: Validators::of(headers),
                response,
                cap: self.cap,
                timeout: self.timeout,
            })));
        }
        Err(Refused::Failed(format!(
            "more than {} redirects",
            self.max_redirects
        )))
    }

    /// Sends one GET to `url` once its host's pause is over, and sets the next pause: as long
    /// as the answer took, and at least the configured delay and robots.txt's `Crawl-delay`.
    fn send(&mut self, url: &Url, validators: Option<&Validators>) -> Result<Response, Refused> {
        let host = url.host_str().unwrap_or_default().to_string();
        if let Some(next) = self.next_request.get(&host) {
            let now = Instant::now();
            if *next > now {
                std::thread::sleep(*next - now);
            }
        }
        let client = if on_this_machine(url) {
            &self.direct
        } else {
            &self.client
        };
        let mut request = client.get(url.clone()).header(ACCEPT, ACCEPTED);
        if let Some(validators) = validators {
            let value =
                |text: &Option<String>| text.as_deref().and_then(|t| HeaderValue::from_str(t).ok());
            if let Some(etag) = value(&validators.etag) {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(date) = value(&validators.last_modified) {
                request = request.header(IF_MODIFIED_SINCE, date);
            }
        }
        let started = Instant::now();
        self.requests += 1;
        let sent = request.send();
        let took = started.elapsed();
        let crawl_delay = self
            .robots
            .get(&origin(url))
            .map_or(Duration::ZERO, |r| r.delay().min(MAX_CRAWL_DELAY));
        let pause = took.max(self.delay).max(crawl_delay);
        self.next_request.insert(host, Instant::now() + pause);
        sent.map_err(|e| Refused::Failed(describe(&e, self.timeout)))
    }

    /// The robots.txt rules of `url`'s origin, read on first use.
    fn robots_for(&mut self, url: &Url) -> &Robots {
        let key = origin(url);
        if !self.robots.contains_key(&key) {
            let robots = self.read_robots(url);
            self.robots.insert(key.clone(), robots);
        }
        &self.robots[&key]
    }

    /// Reads the robots.txt of `url`'s origin (RFC 9309): a missing one (4xx) allows
    /// everything, one the server fails to give (5xx, a timeout) allows nothing for this run.
    fn read_robots(&mut self, url: &Url) -> Robots {
        let Ok(mut at) = url.join("/robots.txt") else {
            return Robots::allow_all();
        };
        for _ in 0..=ROBOTS_REDIRECTS {
            if !self.on_site(&at) {
                // citebot asks nothing off the configured sites; a robots.txt it cannot ask for is
                // one that is not there.
                return Robots::allow_all();
            }
            let response = match self.send(&at, None) {
                Ok(response) => response,
                Err(Refused::Failed(reason) | Refused::Skipped(reason)) => {
                    return Robots::unavailable(format!(
                        "its robots.txt could not be read: {reason}"
                    ))
                }
            };
            let status = response.status();
            if status.is_redirection() {
                match redirect_target(&at, &response) {
                    Ok(next) => {
                        at = next;
                        continue;
                    }
                    Err(_) => return Robots::allow_all(),
                }
            }
            if status.is_success() {
                return match read_capped_prefix(response, ROBOTS_MAX_BYTES, self.timeout) {
                    Ok(text) => Robots::parse(&text),
                    Err(reason) => {
                        Robots::unavailable(format!("its robots.txt could not be read: {reason}"))
                    }
                };
            }
            if status.is_client_error() {
                return Robots::allow_all();
            }
            return Robots::unavailable(format!("its robots.txt answered HTTP {status}"));
        }
        Robots::allow_all()
    }
}

/// `site` and `url` have the same host, and the same port or each its scheme's own.
fn same_site(site: &Url, url: &Url) -> bool {
    site.host_str().map(str::to_ascii_lowercase) == url.host_str().map(str::to_ascii_lowercase)
        && (site.port_or_known_default() == url.port_or_known_default()
            || (site.port().is_none() && url.port().is_none()))
}

/// `https://host:port`: what robots.txt rules belong to.
fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// Where a redirect points, resolved against the url that answered it.
fn redirect_target(from: &Url, response: &Response) -> Result<Url, String> {
    let location = response
        .headers()
        .get(LOCATION)
        .ok_or_else(|| format!("HTTP {} without a Location", response.status()))?;
    let location = location
        .to_str()
        .map_err(|_| "a redirect to a Location that is not text".to_string())?;
    from.join(location)
        .map_err(|e| format!("a redirect to `{location}`, which is not an address: {e}"))
}

/// Reads a whole body of at most `cap` bytes; a larger one, by its `Content-Length` or as it
/// arrives, is refused without reading the rest. Each read waits at most `timeout`, and so does
/// the whole body.
fn read_capped(mut response: Response, cap: u64, timeout: Duration) -> Result<Vec<u8>, String> {
    let too_large = || format!("larger than the {} MiB cap", cap / (1024 * 1024));
    if response.content_length().is_some_and(|length| length > cap) {
        return Err(too_large());
    }
    let started = Instant::now();
    let mut body = Vec::new();
    let mut chunk = vec![0u8; READ_CHUNK];
    loop {
        let read = response
            .read(&mut chunk)
            .map_err(|e| read_error(&e, timeout))?;
        if read == 0 {
            return Ok(body);
        }
        if body.len() as u64 + read as u64 > cap {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk[..read]);
        if started.elapsed() > timeout {
            return Err(format!(
                "timed out: the body took longer than {}",
                humantime::format_duration(timeout)
            ));
        }
    }
}

/// Reads the first `cap` bytes of a body and drops the rest.
fn read_capped_prefix(response: Response, cap: u64, timeout: Duration) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    let started = Instant::now();
    let mut limited = response.take(cap);
    let mut chunk = vec![0u8; READ_CHUNK];
    loop {
        let read = limited
            .read(&mut chunk)
            .map_err(|e| read_error(&e, timeout))?;
        if read == 0 || started.elapsed() > timeout {
            return Ok(body);
        }
        body.extend_from_slice(&chunk[..read]);
    }
}

/// A failed read of a body, in words.
fn read_error(error: &std::io::Error, timeout: Duration) -> String {
    let inner = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<reqwest::Error>());
    let stalled = || {
        format!(
            "timed out: the page stopped arriving for {}",
            humantime::format_duration(timeout)
        )
    };
    match inner {
        Some(e) if e.is_timeout() => stalled(),
        Some(e) => format!(
            "the connection broke while the page was read: {}",
            error_text(e)
        ),
        None if error.kind() == std::io::ErrorKind::TimedOut => stalled(),
        None => format!("the connection broke while the page was read: {error}"),
    }
}

fn timed_out(timeout: Duration) -> String {
    format!(
        "timed out: no answer within {}",
        humantime::format_duration(timeout)
    )
}

/// A request that failed, in words.
fn describe(error: &reqwest::Error, timeout: Duration) -> String {
    if error.is_timeout() {
        timed_out(timeout)
    } else if error.is_connect() {
        format!("cannot connect: {}", error_text(error))
    } else {
        error_text(error)
    }
}

/// An error and its causes, in one line; reqwest's own message repeats the url, so it is left
/// to the cause when there is one.
fn error_text(error: &dyn std::error::Error) -> String {
    let mut parts = Vec::new();
    let mut cause = error.source();
    while let Some(e) = cause {
        let text = e.to_string();
        if !parts.iter().any(|p: &String| p.contains(&text)) {
            parts.push(text);
        }
        cause = e.source();
    }
    if parts.is_empty() {
        error.to_string()
    } else {
        parts.join(": ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_is_a_host_and_its_port_with_the_default_ports_as_one() {
        let site = Url::parse("http://blog.example/feed").unwrap();
        let url = |text: &str| Url::parse(text).unwrap();
        assert!(same_site(&site, &url("https://blog.example/a")));
        assert!(same_site(&site, &url("http://BLOG.example:80/a")));
        assert!(!same_site(&site, &url("http://blog.example:8080/a")));
        assert!(!same_site(&site, &url("http://www.blog.example/a")));
        let local = url("http://127.0.0.1:4000/feed");
        assert!(same_site(&local, &url("http://127.0.0.1:4000/a")));
        assert!(!same_site(&local, &url("http://127.0.0.1:4001/a")));
        assert!(!same_site(&local, &url("http://127.0.0.1/a")));
    }
}
