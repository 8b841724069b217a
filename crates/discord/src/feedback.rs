//! The feedback log: the questions members ask (what the posts answered, with the post and
//! section cited, and what they could not answer) and the 👍 / 👎 members give, appended as JSON
//! lines to the configured file so that the people who write the posts see what is missing
//! (`citebot report` sums it up). Writing never fails a reply: errors go to the operator's log.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

pub use citebot_core::report::Entry;

/// Seconds since the Unix epoch, for [`Entry`] timestamps.
pub fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Appends entries to the log file; disabled when no path is configured.
pub struct FeedbackLog {
    path: Option<PathBuf>,
    // One writer at a time so that concurrent lines never interleave.
    lock: Mutex<()>,
}

impl FeedbackLog {
    /// A log appending to `path`; an empty path disables logging.
    pub fn new(path: PathBuf) -> FeedbackLog {
        let path = (!path.as_os_str().is_empty()).then_some(path);
        FeedbackLog {
            path,
            lock: Mutex::new(()),
        }
    }

    /// The file the log is written to; `None` when logging is off.
    pub fn path(&self) -> Option<&std::path::Path> {
        self.path.as_deref()
    }

    /// Appends one entry as a JSON line.
    pub fn record(&self, entry: &Entry) {
        let Some(path) = &self.path else { return };
        let line = match serde_json::to_string(entry) {
            Ok(json) => json + "\n",
            Err(err) => {
                tracing::error!(%err, "cannot serialise a feedback entry");
                return;
            }
        };
        let _guard = self
            .lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut file| file.write_all(line.as_bytes()));
        if let Err(err) = written {
            tracing::error!(path = %path.display(), %err, "cannot write the feedback log");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_appended_as_json_lines() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feedback.jsonl");
        let log = FeedbackLog::new(path.clone());
        log.record(&Entry::Unanswered {
            at: 1,
            question: "why?\n".into(),
            outcome: "not_covered".into(),
        });
        log.record(&Entry::Feedback {
            at: 2,
            question: "q".into(),
            answer: None,
            helpful: true,
            post: Some("Garden Club".into()),
        });
        log.record(&Entry::Answered {
            at: 3,
            question: "q".into(),
            short_answer: false,
            post: "Garden Club".into(),
            section: None,
        });
        let text = std::fs::read_to_string(path).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1]["post"], "Garden Club");
        assert_eq!(lines[2]["kind"], "answered");
        assert_eq!(lines[2]["short_answer"], false);
        assert_eq!(lines[0]["kind"], "unanswered");
        assert_eq!(lines[0]["question"], "why?\n");
        assert_eq!(lines[1]["kind"], "feedback");
        assert_eq!(lines[1]["helpful"], true);
    }

    #[test]
    fn empty_path_disables_the_log() {
        let off = FeedbackLog::new(PathBuf::new());
        assert_eq!(
            off.path(),
            None,
            "an empty path is no log, not a file named \"\""
        );
        let dir = tempfile::tempdir().unwrap();
        let on = FeedbackLog::new(dir.path().join("feedback.jsonl"));
        assert_eq!(on.path(), Some(dir.path().join("feedback.jsonl").as_path()));
    }
}
