//! Settings: the committed `config/citebot.toml` (every key documented there) parsed into typed
//! structs with defaults, so a missing key falls back and a misspelt key is an error that names it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The whole configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where the posts are.
    pub posts: PostsConfig,
    /// How questions are answered.
    pub answer: AnswerConfig,
    /// Where the index lives and how it follows the posts.
    pub index: IndexConfig,
    /// The Discord front end.
    pub discord: DiscordConfig,
    /// `[[web]]`: pages, feeds and sitemaps whose pages `citebot fetch` saves into the posts.
    pub web: Vec<WebSource>,
    /// `[fetch]`: how pages are fetched from the web.
    pub fetch: FetchConfig,
}

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
        if crate::link::web_url(&self.url).is_none() {
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

/// `[posts]`: where the posts to index live.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PostsConfig {
    /// Folder of `.txt`, `.md` and `.html` posts, relative to the working directory.
    pub dir: PathBuf,
}

impl Default for PostsConfig {
    fn default() -> Self {
        PostsConfig {
            dir: PathBuf::from("index"),
        }
    }
}

/// `[index]`: where the search index lives and how it follows changes to the posts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IndexConfig {
    /// Folder of the index on disk (with its manifest), relative to the working directory.
    pub dir: PathBuf,
    /// Corpora with at least this many passages are indexed on disk and reused across restarts;
    /// smaller ones are indexed in RAM at startup. 0: always on disk.
    pub on_disk_from: usize,
    /// Re-index when files in the posts folder change while `serve` runs.
    pub watch: bool,
    /// How long the posts folder must be quiet, in milliseconds, before a change is indexed.
    pub watch_debounce_ms: u64,
}

impl Default for IndexConfig {
    fn default() -> Self {
        IndexConfig {
            dir: PathBuf::from(".citebot"),
            on_disk_from: 10_000,
            watch: true,
            watch_debounce_ms: 1_000,
        }
    }
}

/// `[answer]`: how many citations to give and when to say the posts don't cover a question.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnswerConfig {
    /// How many citations an answer lists, best first.
    pub citations: usize,
    /// Longest question accepted, in characters.
    pub max_question_chars: usize,
    /// Share (0..1) of the question's key terms, weighted by rarity, that the best passage must
    /// contain for the question to count as covered by the posts.
    pub min_coverage: f32,
    /// Correct misspelt words by looking up close words in the index.
    pub fuzzy: bool,
    /// The probability (0..1) that the short answer is right below which it is not shown: the
    /// reply leads with the passage instead. 0 shows every best candidate.
    pub min_confidence: f32,
    /// The probability (0..1) that the posts answer the question below which citebot says they
    /// don't (and may list the nearest passages).
    pub min_answerable: f32,
}

impl Default for AnswerConfig {
    fn default() -> Self {
        AnswerConfig {
            citations: 3,
            max_question_chars: 1000,
            min_coverage: 0.4,
            fuzzy: true,
            min_confidence: 0.4,
            min_answerable: 0.3,
        }
    }
}

/// The longest cooldown window, in seconds (a day); windows past the end of time cannot be measured.
const MAX_COOLDOWN_SECONDS: u64 = 86_400;
/// The longest a follow-up's context is kept, and an edit followed, in minutes (a day).
const MAX_FOLLOW_UP_MINUTES: u64 = 1_440;
/// The shortest watch debounce, in milliseconds: the watcher polls at a quarter of it, and at 0 it
/// would spin.
const MIN_WATCH_DEBOUNCE_MS: u64 = 10;

/// Discord drops an interaction not acknowledged within this many milliseconds.
const DISCORD_RESPONSE_WINDOW_MS: u64 = 3_000;

/// `[discord]`: settings of `citebot serve`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DiscordConfig {
    /// Base URL of the Discord HTTP API (a proxy in front of Discord); empty means the real
    /// Discord. The `DISCORD_API_BASE` environment variable wins over this.
    pub api_base: String,
    /// Register the slash commands in these guilds only (instant) instead of globally.
    pub guild_ids: Vec<u64>,
    /// How many questions one member may ask within `cooldown_seconds`; 0 disables the cooldown.
    pub cooldown_questions: u32,
    /// Length of the cooldown window in seconds.
    pub cooldown_seconds: u64,
    /// JSON-lines file that records unanswered questions and feedback; empty disables it.
    pub feedback_log: PathBuf,
    /// The gateway shards this process runs; `None`: one process, one shard.
    pub shards: Option<ShardsConfig>,
    /// How long an interaction waits for its answer, in milliseconds, before it is deferred and
    /// the answer edited in later; below 3000 (Discord's window). 0: always defer.
    pub defer_after_ms: u64,
    /// Channels where every message (not from a bot) is a question, answered as a reply; they
    /// need the privileged Message Content intent.
    pub answer_channels: Vec<u64>,
    /// Forum channels where every new post (title and first message) is a question, answered
    /// once in its thread; they need the privileged Message Content intent.
    pub forum_channels: Vec<u64>,
    /// The name of a forum tag (as the forum's settings spell it, any case) added to a forum
    /// post the posts don't cover; empty: posts are not tagged.
    pub forum_uncovered_tag: String,
    /// How many messages one answer channel (or posts one forum) gets answered within
    /// `channel_seconds`, whoever asks; 0 disables the limit.
    pub channel_questions: u32,
    /// Length of the per-channel window in seconds.
    pub channel_seconds: u64,
    /// How long, in minutes, a reply to one of the bot's answers (or a message in a thread it
    /// answered in) is a follow-up read with the earlier question's context; 0 disables them.
    pub follow_up_minutes: u64,
    /// How long, in minutes, an edit of a question message makes the bot edit its reply to
    /// answer the new text; 0: edits are not followed.
    pub edit_minutes: u64,
}

impl DiscordConfig {
    /// Whether a configured mode reads messages that neither mention the bot nor are sent to it
    /// directly, which Discord only delivers with the privileged Message Content intent.
    pub fn needs_message_content(&self) -> bool {
        !self.answer_channels.is_empty() || !self.forum_channels.is_empty()
    }
}

/// `discord.shards`: this process's share of the bot's gateway shards, when the bot runs as
/// several processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardsConfig {
    /// How many shards the bot runs in all, across every process.
    pub total: u32,
    /// The first and last (inclusive) shard ids this process runs.
    pub range: [u32; 2],
}

impl Default for DiscordConfig {
    fn default() -> Self {
        DiscordConfig {
            api_base: String::new(),
            guild_ids: Vec::new(),
            cooldown_questions: 5,
            cooldown_seconds: 30,
            feedback_log: PathBuf::from("citebot-feedback.log.jsonl"),
            shards: None,
            defer_after_ms: 1_500,
            answer_channels: Vec::new(),
            forum_channels: Vec::new(),
            forum_uncovered_tag: String::new(),
            channel_questions: 20,
            channel_seconds: 60,
            follow_up_minutes: 30,
            edit_minutes: 5,
        }
    }
}

impl Config {
    /// Reads and parses a TOML configuration file.
    pub fn from_file(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Config::from_toml(&text).map_err(|message| Error::Config {
            path: path.to_path_buf(),
            message,
        })
    }

    /// Parses configuration text. An error names the line and the key it is about (`line 2
    /// (answer.citations): invalid type: ...`), in one line.
    pub fn from_toml(text: &str) -> Result<Config, String> {
        let config: Config = parse_toml(text)?;
        for (key, value) in [
            ("min_coverage", config.answer.min_coverage),
            ("min_confidence", config.answer.min_confidence),
            ("min_answerable", config.answer.min_answerable),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(format!("answer.{key} must be between 0 and 1, got {value}"));
            }
        }
        if let Some(ShardsConfig {
            total,
            range: [first, last],
        }) = config.discord.shards
        {
            if total == 0 || first > last || last >= total {
                return Err(format!(
                    "discord.shards: range [{first}, {last}] must be within 0..{total} (total = {total}) with first <= last"
                ));
            }
        }
        if config.discord.defer_after_ms >= DISCORD_RESPONSE_WINDOW_MS {
            return Err(format!(
                "discord.defer_after_ms must be below {DISCORD_RESPONSE_WINDOW_MS} (Discord's window to acknowledge an interaction), got {}",
                config.discord.defer_after_ms
            ));
        }
        for (key, path) in [
            ("posts.dir", &config.posts.dir),
            ("index.dir", &config.index.dir),
        ] {
            if path.as_os_str().is_empty() {
                return Err(format!("{key} is empty; name a folder"));
            }
        }
        if config.answer.citations == 0 {
            return Err("answer.citations must be at least 1".to_string());
        }
        if config.answer.max_question_chars == 0 {
            return Err("answer.max_question_chars must be at least 1".to_string());
        }
        if config.discord.cooldown_seconds > MAX_COOLDOWN_SECONDS {
            return Err(format!(
                "discord.cooldown_seconds must be at most {MAX_COOLDOWN_SECONDS} (a day), got {}",
                config.discord.cooldown_seconds
            ));
        }
        if config.discord.channel_seconds > MAX_COOLDOWN_SECONDS {
            return Err(format!(
                "discord.channel_seconds must be at most {MAX_COOLDOWN_SECONDS} (a day), got {}",
                config.discord.channel_seconds
            ));
        }
        if config.discord.follow_up_minutes > MAX_FOLLOW_UP_MINUTES {
            return Err(format!(
                "discord.follow_up_minutes must be at most {MAX_FOLLOW_UP_MINUTES} (a day), got {}",
                config.discord.follow_up_minutes
            ));
        }
        if config.discord.edit_minutes > MAX_FOLLOW_UP_MINUTES {
            return Err(format!(
                "discord.edit_minutes must be at most {MAX_FOLLOW_UP_MINUTES} (a day), got {}",
                config.discord.edit_minutes
            ));
        }
        if config.index.watch_debounce_ms < MIN_WATCH_DEBOUNCE_MS {
            return Err(format!(
                "index.watch_debounce_ms must be at least {MIN_WATCH_DEBOUNCE_MS}, got {}",
                config.index.watch_debounce_ms
            ));
        }
        check_web_sources(&config.web, "web")?;
        let fetch = &config.fetch;
        if fetch.timeout_ms == 0 {
            return Err("fetch.timeout_ms must be at least 1".to_string());
        }
        if !(1..=MAX_PAGE_MIB).contains(&fetch.max_page_mib) {
            return Err(format!(
                "fetch.max_page_mib must be between 1 and {MAX_PAGE_MIB} (posts over 64 MiB are not read), got {}",
                fetch.max_page_mib
            ));
        }
        if fetch.max_redirects > MAX_REDIRECTS {
            return Err(format!(
                "fetch.max_redirects must be at most {MAX_REDIRECTS}, got {}",
                fetch.max_redirects
            ));
        }
        Ok(config)
    }
}

/// Checks a list of web sources (`[[web]]` in the config, or a sources file): each well formed,
/// none listed twice. `key` names the list in messages.
pub fn check_web_sources(sources: &[WebSource], key: &str) -> Result<(), String> {
    for (i, source) in sources.iter().enumerate() {
        source.check(&format!("{key}[{i}]"))?;
        let url = crate::link::web_url(&source.url);
        if let Some(first) = sources[..i]
            .iter()
            .position(|s| crate::link::web_url(&s.url) == url)
        {
            return Err(format!(
                "{key}[{i}].url `{}` is already {key}[{first}]",
                source.url
            ));
        }
    }
    Ok(())
}

/// Parses TOML text into `T`. The error is one line naming the line and the key it is about
/// (`line 2 (answer.citations): invalid type: string "three", expected usize`), where toml's own
/// message gives neither.
pub fn parse_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_path_to_error::deserialize(toml::Deserializer::new(text)).map_err(|e| {
        let mut place = Vec::new();
        if let Some(span) = e.inner().span() {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            place.push(format!("line {line}"));
        }
        let key = e.path().to_string();
        if key != "." {
            place.push(format!("({key})"));
        }
        // toml's messages may run over several lines.
        let message = e.inner().message().lines().collect::<Vec<_>>().join("; ");
        if place.is_empty() {
            message
        } else {
            format!("{}: {message}", place.join(" "))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_defaults() {
        let config = Config::from_toml("").unwrap();
        assert_eq!(config.posts.dir, PathBuf::from("index"));
        assert_eq!(config.answer.citations, 3);
    }

    #[test]
    fn a_wrong_value_names_its_key_and_line_in_one_line() {
        for (text, expected) in [
            (
                "# comment\n[answer]\ncitations = \"three\"\n",
                "line 3 (answer.citations): invalid type: string \"three\", expected usize",
            ),
            (
                "[discord]\nshards = { total = \"a\", range = [0, 0] }\n",
                "line 2 (discord.shards.total): invalid type: string \"a\", expected u32",
            ),
            (
                "[answer\n",
                "line 1: invalid table header; expected `.`, `]`",
            ),
        ] {
            assert_eq!(Config::from_toml(text).unwrap_err(), expected);
        }
    }

    #[test]
    fn misspelt_key_is_named() {
        let err = Config::from_toml("[answer]\ncitatons = 2\n").unwrap_err();
        assert!(err.contains("citatons"), "{err}");
    }

    #[test]
    fn shipped_config_parses() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/citebot.toml");
        let config = Config::from_file(&path).unwrap();
        assert_eq!(config.discord.cooldown_seconds, 30);
    }

    #[test]
    fn defer_threshold_is_read_and_kept_inside_discords_window() {
        assert_eq!(Config::from_toml("").unwrap().discord.defer_after_ms, 1_500);
        let config = Config::from_toml("[discord]\ndefer_after_ms = 0\n").unwrap();
        assert_eq!(config.discord.defer_after_ms, 0);
        let err = Config::from_toml("[discord]\ndefer_after_ms = 3000\n").unwrap_err();
        assert!(
            err.contains("defer_after_ms") && err.contains("3000"),
            "{err}"
        );
    }

    #[test]
    fn shard_range_is_read_and_checked() {
        let config =
            Config::from_toml("[discord]\nshards = { total = 4, range = [2, 3] }\n").unwrap();
        assert_eq!(
            config.discord.shards,
            Some(ShardsConfig {
                total: 4,
                range: [2, 3]
            })
        );
        let err =
            Config::from_toml("[discord]\nshards = { total = 2, range = [1, 2] }\n").unwrap_err();
        assert!(err.contains("discord.shards"), "{err}");
        let err = Config::from_toml("[index]\non_disk_fron = 3\n").unwrap_err();
        assert!(err.contains("on_disk_fron"), "{err}");
    }

    #[test]
    fn numbers_that_would_break_the_bot_are_rejected_naming_the_key() {
        for (text, key) in [
            (
                "[answer]\nmax_question_chars = 0\n",
                "answer.max_question_chars",
            ),
            (
                "[discord]\ncooldown_seconds = 9223372036854775807\n",
                "discord.cooldown_seconds",
            ),
            (
                "[discord]\nchannel_seconds = 86401\n",
                "discord.channel_seconds",
            ),
            (
                "[discord]\nfollow_up_minutes = 1441\n",
                "discord.follow_up_minutes",
            ),
            ("[discord]\nedit_minutes = 1441\n", "discord.edit_minutes"),
            (
                "[index]\nwatch_debounce_ms = 0\n",
                "index.watch_debounce_ms",
            ),
            ("[index]\ndir = \"\"\n", "index.dir"),
            ("[posts]\ndir = \"\"\n", "posts.dir"),
        ] {
            let err = Config::from_toml(text).unwrap_err();
            assert!(err.contains(key), "{text}: {err}");
        }
        let config = Config::from_toml(
            "[discord]\ncooldown_seconds = 86400\n[index]\nwatch_debounce_ms = 10\n",
        )
        .unwrap();
        assert_eq!(config.discord.cooldown_seconds, 86_400);
    }

    #[test]
    fn web_sources_are_read_with_their_defaults_and_checked() {
        let config = Config::from_toml(
            "[[web]]\nurl = \"https://blog.example/feed.xml\"\nrefresh = \"30m\"\nmax_pages = 20\n\n[[web]]\nurl = \"https://docs.example/sitemap.xml\"\n\n[fetch]\ntimeout_ms = 500\ngone = \"remove\"\n",
        )
        .unwrap();
        assert_eq!(config.web.len(), 2);
        assert_eq!(config.web[0].refresh(), Duration::from_secs(1800));
        assert_eq!(config.web[0].max_pages(), 20);
        assert_eq!(config.web[1].refresh(), DEFAULT_REFRESH);
        assert_eq!(config.web[1].max_pages(), DEFAULT_MAX_PAGES);
        assert_eq!(config.fetch.timeout(), Duration::from_millis(500));
        assert_eq!(config.fetch.gone, Gone::Remove);
        assert_eq!(config.fetch.max_page_bytes(), 10 * 1024 * 1024);
        assert!(Config::from_toml("").unwrap().web.is_empty());

        for (text, expected) in [
            (
                "[[web]]\nurl = \"file:///etc\"\n",
                "web[0].url `file:///etc` is not an http or https address",
            ),
            (
                "[[web]]\nurl = \"https://a.example/\"\nrefresh = \"0s\"\n",
                "web[0].refresh must be at least 1s, got 0s",
            ),
            (
                "[[web]]\nurl = \"https://a.example/\"\nrefresh = \"often\"\n",
                "line 3 (web[0].refresh): `often` is not a duration",
            ),
            (
                "[[web]]\nurl = \"https://a.example/\"\nmax_pages = 0\n",
                "web[0].max_pages must be at least 1",
            ),
            (
                "[[web]]\nurl = \"https://a.example/\"\n[[web]]\nurl = \"https://A.example\"\n",
                "web[1].url `https://A.example` is already web[0]",
            ),
            (
                "[[web]]\nurl = \"https://a.example/\"\nrefesh = \"1h\"\n",
                "refesh",
            ),
            (
                "[fetch]\nmax_page_mib = 65\n",
                "fetch.max_page_mib must be between 1 and 64",
            ),
            (
                "[fetch]\ntimeout_ms = 0\n",
                "fetch.timeout_ms must be at least 1",
            ),
            (
                "[fetch]\ngone = \"archive\"\n",
                "line 2 (fetch.gone): unknown variant `archive`",
            ),
        ] {
            let err = Config::from_toml(text).unwrap_err();
            assert!(err.contains(expected), "{text}: {err}");
        }
    }

    #[test]
    fn coverage_out_of_range_is_rejected() {
        let err = Config::from_toml("[answer]\nmin_coverage = 1.5\n").unwrap_err();
        assert!(err.contains("min_coverage"), "{err}");
    }
}
