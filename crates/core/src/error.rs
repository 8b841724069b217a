//! The library's error type: every way loading posts or answering a question can fail, each
//! variant carrying the specifics a person needs to fix it (the path, the setting, the limit).

use std::path::PathBuf;

/// Everything that can go wrong in the citebot core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The posts folder does not exist.
    #[error("posts folder `{}` does not exist (set `posts.dir` in the config or pass --docs)", .0.display())]
    PostsDirMissing(PathBuf),
    /// The posts folder named is a file.
    #[error("posts folder `{}` is a file, not a folder (set `posts.dir` in the config or pass --docs)", .0.display())]
    PostsDirNotFolder(PathBuf),
    /// The posts folder exists but holds no readable post with any text.
    #[error("posts folder `{}` holds no posts (.txt, .md or .html files with text)", .0.display())]
    NoPosts(PathBuf),
    /// A filesystem operation failed on a specific path.
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        /// The file or folder being read.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A file or folder of the index on disk could not be written.
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        /// The file or folder being written.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The index folder is the posts folder, or holds it, or sits inside it: writing or rebuilding
    /// the index there could delete posts.
    #[error("the index folder `{}` (index.dir) {relation} the posts folder `{}`; give the index a folder of its own, outside the posts (the default is `.citebot`)", index.display(), posts.display())]
    IndexDirOverlapsPosts {
        /// The index folder as configured.
        index: PathBuf,
        /// The posts folder as configured.
        posts: PathBuf,
        /// "is", "contains" or "is inside".
        relation: &'static str,
    },
    /// The index folder exists but citebot did not make it, so citebot writes nothing there.
    #[error("`{}` is not citebot's index folder ({reason}); citebot only writes its index into a folder it created: point index.dir at a new or empty folder", path.display())]
    ForeignIndexDir {
        /// The index folder.
        path: PathBuf,
        /// What gives it away.
        reason: &'static str,
    },
    /// The index folder cannot be written by this process and its index cannot be used as it is.
    #[error("the index in `{}` cannot be updated (the folder is read-only) and {reason}", path.display())]
    IndexNotWritable {
        /// The index folder.
        path: PathBuf,
        /// Why the index there cannot be used as it is.
        reason: String,
    },
    /// A re-index was abandoned because a post that is being served can no longer be read; the
    /// previous index keeps serving.
    #[error("re-index abandoned, the previous index keeps serving: post `{post}` cannot be read: {reason}")]
    Reindex {
        /// The post's identifier (its file name in the posts folder).
        post: String,
        /// Why it cannot be read.
        reason: Box<Error>,
    },
    /// The posts folder cannot be watched for changes.
    #[error("cannot watch `{}` for changes: {message}", path.display())]
    Watch {
        /// The posts folder.
        path: PathBuf,
        /// What the file watcher said.
        message: String,
    },
    /// The configuration file could not be read or parsed.
    #[error("config `{}`: {message}", path.display())]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A post could not be parsed (for example malformed front matter).
    #[error("post `{}`: {message}", path.display())]
    Parse {
        /// The post's file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The question is empty or only white space.
    #[error("the question is empty")]
    EmptyQuestion,
    /// The question is longer than the configured limit.
    #[error("the question is {chars} characters long; the limit is {limit}")]
    QuestionTooLong {
        /// Length of the question in characters.
        chars: usize,
        /// The configured maximum.
        limit: usize,
    },
    /// The question holds no word that can be searched (only punctuation or query syntax).
    #[error("the question has no words to search for: {0:?}")]
    NoSearchableWords(String),
    /// The post a question was limited to is not indexed.
    #[error("no post is called `{post}`; the posts are: {known}")]
    UnknownPost {
        /// The post id or title prefix as given.
        post: String,
        /// The indexed posts, "id (Title)", comma-separated.
        known: String,
    },
    /// The name (a title prefix, or a file name without its extension) a question was limited
    /// to fits more than one post.
    #[error(
        "`{post}` could be several posts: {matching}; give more of the title or the file name"
    )]
    AmbiguousPost {
        /// The title prefix as given.
        post: String,
        /// The posts it fits, "id (Title)", comma-separated.
        matching: String,
    },
    /// A trained model (tagger, parser, answer ranker) could not be read.
    #[error("model `{name}`: {message}")]
    Model {
        /// The model's name or file.
        name: String,
        /// What is wrong with it.
        message: String,
    },
    /// Training material (a CoNLL-U treebank, a question set) could not be used.
    #[error("training data `{}`: {message}", path.display())]
    TrainingData {
        /// The file.
        path: PathBuf,
        /// What is wrong with it, with the line number where there is one.
        message: String,
    },
    /// `citebot report --since` was given something other than a date.
    #[error("`{0}` is not a date; give it as YYYY-MM-DD (e.g. 2026-01-31)")]
    ReportDate(String),
    /// The search index failed; this is a bug or a resource problem, not bad input.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// True when the error is about the question a person typed rather than about the bot:
    /// such errors are shown to the asker as they are.
    pub fn is_bad_question(&self) -> bool {
        matches!(
            self,
            Error::EmptyQuestion
                | Error::QuestionTooLong { .. }
                | Error::NoSearchableWords(_)
                | Error::UnknownPost { .. }
                | Error::AmbiguousPost { .. }
        )
    }
}
