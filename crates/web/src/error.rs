//! The web crate's error type: why a web source cannot be fetched or added, beside the core's
//! errors (reading and writing posts) that fetching runs into.

use std::path::PathBuf;

/// Everything that can go wrong fetching web sources into the posts folder.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The posts folder holds a `web` folder that citebot did not make, so it saves no page there.
    #[error("`{}` is not citebot's folder of saved web pages ({reason}); citebot saves fetched pages only in a folder it created: move what is there elsewhere in the posts folder", path.display())]
    ForeignWebDir {
        /// The folder.
        path: PathBuf,
        /// What gives it away.
        reason: &'static str,
    },
    /// A web source given to `/add` cannot be added.
    #[error("cannot add `{url}`: {reason}")]
    WebSource {
        /// The address as given.
        url: String,
        /// Why not.
        reason: String,
    },
    /// The HTTP client that fetches web sources cannot start.
    #[error("cannot start the HTTP client for web sources: {0}")]
    HttpClient(String),
    /// Reading, writing or indexing the posts failed.
    #[error(transparent)]
    Core(#[from] citebot_core::Error),
}

/// The web crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
