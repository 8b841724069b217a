//! The sources file, `web/sources.toml` in the posts folder: the `[[web]]` entries added with
//! `/add` while the bot serves. They live in a file of citebot's own, next to the pages they give,
//! so that the user's commented config is never rewritten; `citebot fetch` and `citebot serve`
//! read them together with the config's entries.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::saved::write_atomically;
use crate::config::{check_web_sources, WebSource};
use crate::error::Result;
use citebot_core::config::parse_toml;
use citebot_core::Error as CoreError;

/// The file's name, inside the `web` folder.
pub const FILE: &str = "sources.toml";

/// The text that opens the file.
const HEADER: &str =
    "# Web sources added with /add while citebot served. `citebot fetch` and `citebot serve`\n\
# fetch them with the [[web]] entries of the config; edit or delete entries as you like.\n\n";

/// The file's contents.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    #[serde(default)]
    web: Vec<WebSource>,
}

/// The sources file of the `web` folder `root`.
pub fn path(root: &Path) -> PathBuf {
    root.join(FILE)
}

/// The sources in the file; none when there is no file. A file that does not parse is an error
/// naming its line and key, as the config's are.
pub fn read(root: &Path) -> Result<Vec<WebSource>> {
    let path = path(root);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(CoreError::Io { path, source }.into()),
    };
    let file: SourcesFile = parse_toml(&text).map_err(|message| CoreError::Config {
        path: path.clone(),
        message,
    })?;
    check_web_sources(&file.web, "web").map_err(|message| CoreError::Config { path, message })?;
    Ok(file.web)
}

/// Adds `source` at the end of the file, creating it if need be.
pub fn append(root: &Path, source: WebSource) -> Result<()> {
    let mut sources = read(root)?;
    sources.push(source);
    let file = SourcesFile { web: sources };
    let body = toml::to_string(&file).map_err(|e| CoreError::Write {
        path: path(root),
        source: std::io::Error::other(e),
    })?;
    write_atomically(&path(root), format!("{HEADER}{body}").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_sources_are_kept_in_order_and_read_back() {
        let root = tempfile::tempdir().unwrap();
        assert!(read(root.path()).unwrap().is_empty());
        append(root.path(), WebSource::new("https://a.example/feed")).unwrap();
        let mut second = WebSource::new("https://b.example/");
        second.refresh = Some(std::time::Duration::from_secs(1800));
        append(root.path(), second.clone()).unwrap();
        let sources = read(root.path()).unwrap();
        assert_eq!(sources, [WebSource::new("https://a.example/feed"), second]);
        let text = std::fs::read_to_string(path(root.path())).unwrap();
        assert!(text.starts_with("# Web sources added with /add"), "{text}");
        assert!(text.contains("refresh = \"30m\""), "{text}");

        std::fs::write(path(root.path()), "[[web]]\nurl = \"ftp://x\"\n").unwrap();
        let err = read(root.path()).unwrap_err().to_string();
        assert!(
            err.contains("sources.toml") && err.contains("web[0].url"),
            "{err}"
        );
    }
}
