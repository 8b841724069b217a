//! Where the folders and files the configuration names really are, so that those that must stay
//! apart (the posts, the index folder, the feedback log) are compared however they are spelt:
//! `.`, `./index/..`, an absolute path or a symbolic link to the same folder.

use std::path::{Component, Path, PathBuf};

/// How `path` lies relative to `folder`: `"is"` (the same), `"contains"` (`folder` is inside
/// `path`) or `"is inside"`; `None` when they are apart.
pub fn overlap(path: &Path, folder: &Path) -> Option<&'static str> {
    let (path, folder) = (resolved(path), resolved(folder));
    if path == folder {
        Some("is")
    } else if folder.starts_with(&path) {
        Some("contains")
    } else if path.starts_with(&folder) {
        Some("is inside")
    } else {
        None
    }
}

/// `path` made absolute, with symbolic links resolved as far as it exists and `.` and `..`
/// resolved in the rest. An empty path is the working directory.
fn resolved(path: &Path) -> PathBuf {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let components: Vec<Component> = absolute.components().collect();
    for existing in (1..=components.len()).rev() {
        let head: PathBuf = components[..existing].iter().collect();
        if let Ok(mut out) = head.canonicalize() {
            for component in &components[existing..] {
                match component {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::Normal(name) => out.push(name),
                    _ => {}
                }
            }
            return out;
        }
    }
    absolute
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_folder_compare_equal_and_nesting_is_found() {
        let root = tempfile::tempdir().unwrap();
        let posts = root.path().join("posts");
        std::fs::create_dir(&posts).unwrap();
        assert_eq!(overlap(&posts.join("sub/.."), &posts), Some("is"));
        assert_eq!(overlap(&posts.join("new/../x"), &posts), Some("is inside"));
        assert_eq!(overlap(root.path(), &posts), Some("contains"));
        assert_eq!(overlap(&root.path().join("postscript"), &posts), None);
        assert_eq!(overlap(&root.path().join("store"), &posts), None);
    }
}
