//! The whole configuration file, `config/citebot.toml` (every key documented there): each crate's
//! sections side by side, so a missing key falls back to its default and a misspelt key, in any
//! section, is an error that names it.

use std::path::Path;

use serde::Deserialize;

use citebot_core::config::parse_toml;
pub use citebot_core::config::{AnswerConfig, IndexConfig, PostsConfig};
use citebot_core::{Error, Result};
pub use citebot_discord::config::{DiscordConfig, ShardsConfig};
use citebot_web::config::check_web_sources;
pub use citebot_web::config::{FetchConfig, Gone, WebSource, DEFAULT_MAX_PAGES, DEFAULT_REFRESH};
use citebot_web::Web;

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
        config.answer.check()?;
        config.discord.check()?;
        config.posts.check()?;
        config.index.check()?;
        check_web_sources(&config.web, "web")?;
        config.fetch.check()?;
        Ok(config)
    }

    /// The configured web sources, saved into the posts folder.
    pub fn web(&self) -> Web {
        Web::new(&self.posts.dir, &self.web, &self.fetch)
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::time::Duration;

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
