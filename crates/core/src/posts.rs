//! What the engine keeps of each indexed post besides its passages (which live in the index):
//! its identifier, title, link, passage count and content hash. It is made from a post just read,
//! or comes from the manifest of an index on disk, so that an up-to-date index is served without
//! reading the posts again.

use crate::ingest::Document;
use crate::store::content_hash;

/// An indexed post, without its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    /// File name relative to the posts folder; the post's identifier.
    pub id: String,
    /// The post's title.
    pub title: String,
    /// Link to the post, from its front matter or sidecar.
    pub url: Option<String>,
    /// How many passages it was split into.
    pub passages: usize,
    /// Its [`content_hash`]: posts with equal hashes are indexed alike.
    pub hash: u128,
}

impl Post {
    /// What is kept of a post just read.
    pub fn of(doc: &Document) -> Post {
        Post {
            id: doc.id.clone(),
            title: doc.title.clone(),
            url: doc.url.clone(),
            passages: doc.passages.len(),
            hash: content_hash(doc),
        }
    }
}
