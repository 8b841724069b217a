//! The web crate's settings: `[[web]]` sources and the `[fetch]` section of
//! `config/citebot.toml` (every key documented there), each checked by itself; the binary
//! composes them into the whole file.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How often a web source is refreshed while `serve` runs when its entry does not say.
pub const DEFAULT_REFRESH: Duration = Duration::from_secs(60 * 60);
/// The shortest refresh interval accepted.
const MIN_REFRESH: Duration = Duration::from_secs(1);
/// How many pages one web source contributes when its entry does not say.
pub const DEFAULT_MAX_PAGES: usize = 500;

/// One `[[web]]` entry: a page, an RSS or Atom feed, or an XML sitemap (told apart by what the
/// server sends, not by the url).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WebSource {
    /// The address: `http` or `https`.
    pub url: String,
    /// How often `serve` fetches it again ("30m", "1h", "1day"); [`DEFAULT_REFRESH`] when unset.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "duration_text"
    )]
    pub refresh: Option<Duration>,
    /// The most pages of a feed or sitemap that are saved, first listed first;
    /// [`DEFAULT_MAX_PAGES`] when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pages: Option<usize>,
}

impl WebSource {
    /// A source with the default refresh and page limit.
    pub fn new(url: &str) -> WebSource {
        WebSource {
            url: url.to_string(),
            refresh: None,
            max_pages: None,
        }
    }

    /// How often it is refreshed while serving.
    pub fn refresh(&self) -> Duration {
        self.refresh.unwrap_or(DEFAULT_REFRESH)
    }

    /// The most pages it contributes.
    pub fn max_pages(&self) -> usize {
        self.max_pages.unwrap_or(DEFAULT_MAX_PAGES)
    }

    /// Checks the entry; the message names what is wrong, for `web[i]` (`place`).
    pub fn check(&self, place: &str) -> Result<(), String> {
        if citebot_core::link::web_url(&self.url).is_none() {
            return Err(format!(
                "{place}.url `{}` is not an http or https address",
                self.url
            ));
        }
        if let Some(refresh) = self.refresh {
            if refresh < MIN_REFRESH {
                return Err(format!(
                    "{place}.refresh must be at least {}, got {}",
                    humantime::format_duration(MIN_REFRESH),
                    humantime::format_duration(refresh)
                ));
            }
        }
        if self.max_pages == Some(0) {
            return Err(format!("{place}.max_pages must be at least 1"));
        }
        Ok(())
    }
}

/// `refresh = "1h"`: a duration written for people, read and written with humantime.
mod duration_text {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
        let text = String::deserialize(d)?;
        humantime::parse_duration(&text).map(Some).map_err(|e| {
            serde::de::Error::custom(format!(
                "`{text}` is not a duration like \"30m\" or \"6h\": {e}"
            ))
        })
    }

    pub fn serialize<S: Serializer>(value: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(duration) => s.serialize_str(&humantime::format_duration(*duration).to_string()),
            None => s.serialize_none(),
        }
    }
}

/// What happens to a saved page that its feed or sitemap no longer lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Gone {
    /// Keep it, and keep answering from it (the default).
    #[default]
    Keep,
    /// Delete the saved copy, so it is no longer cited.
    Remove,
}

/// `[fetch]`: how citebot fetches web sources.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FetchConfig {
    /// Milliseconds to wait for a connection, for an answer, and for each piece of a page.
    pub timeout_ms: u64,
    /// Pages (and feeds, sitemaps) larger than this many MiB are not saved.
    pub max_page_mib: u64,
    /// The least time, in milliseconds, between two requests to one host (citebot also waits as
    /// long as the host took to answer, and as long as its robots.txt asks).
    pub delay_ms: u64,
    /// How many redirects one request follows.
    pub max_redirects: usize,
    /// What happens to a saved page that its feed or sitemap no longer lists.
    pub gone: Gone,
    /// Whether `/add` accepts addresses of this machine or its local network.
    pub add_local_addresses: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            timeout_ms: 30_000,
            max_page_mib: 10,
            delay_ms: 0,
            max_redirects: 5,
            gone: Gone::Keep,
            add_local_addresses: false,
        }
    }
}

/// The largest `fetch.max_page_mib`: citebot reads no post larger than 64 MiB.
const MAX_PAGE_MIB: u64 = 64;
/// The most redirects `fetch.max_redirects` may allow.
const MAX_REDIRECTS: usize = 20;

impl FetchConfig {
    /// The time limit for connecting, for the answer, and for each piece of a body.
    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms)
    }

    /// The size cap of one page, in bytes.
    pub fn max_page_bytes(&self) -> u64 {
        self.max_page_mib * 1024 * 1024
    }
}

/// Checks a list of web sources (`[[web]]` in the config, or a sources file): each well formed,
/// none listed twice. `key` names the list in messages.
pub fn check_web_sources(sources: &[WebSource], key: &str) -> Result<(), String> {
    for (i, source) in sources.iter().enumerate() {
        source.check(&format!("{key}[{i}]"))?;
        let url = citebot_core::link::web_url(&source.url);
        if let Some(first) = sources[..i]
            .iter()
            .position(|s| citebot_core::link::web_url(&s.url) == url)
        {
            return Err(format!(
                "{key}[{i}].url `{}` is already {key}[{first}]",
                source.url
            ));
        }
    }
    Ok(())
}

impl FetchConfig {
    /// Checks the section; the message names the key that is wrong.
    pub fn check(&self) -> Result<(), String> {
        if self.timeout_ms == 0 {
            return Err("fetch.timeout_ms must be at least 1".to_string());
        }
        if !(1..=MAX_PAGE_MIB).contains(&self.max_page_mib) {
            return Err(format!(
                "fetch.max_page_mib must be between 1 and {MAX_PAGE_MIB} (posts over 64 MiB are not read), got {}",
                self.max_page_mib
            ));
        }
        if self.max_redirects > MAX_REDIRECTS {
            return Err(format!(
                "fetch.max_redirects must be at most {MAX_REDIRECTS}, got {}",
                self.max_redirects
            ));
        }
        Ok(())
    }
}
