//! Web sources kept fresh while `serve` runs: a thread that sleeps until the next source's
//! `refresh` comes round, fetches the sources that are due, and re-indexes through the library's
//! atomic swap when a saved page was added, changed or removed. Every source is due when the
//! thread starts, so a restart catches up at once (with conditional requests, an unchanged site
//! costs no page bodies).

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::Duration;

use crate::error::Result;
use citebot_core::library::Library;
use citebot_core::Error as CoreError;

use crate::Web;

/// The longest sleep between two looks at the sources, so that sources added with `/add` are
/// picked up even when every other source refreshes rarely.
const LONGEST_SLEEP: Duration = Duration::from_secs(60);

/// A running schedule; dropping it stops the thread (after the run in progress, if any).
pub struct Schedule {
    _stop: Sender<()>,
}

/// Starts refreshing the library's web sources on their schedule. A library without web
/// sources gets a schedule that does nothing.
pub fn start(library: Arc<Library>, web: Option<Arc<Web>>) -> Result<Schedule> {
    let (stop, stopped) = mpsc::channel::<()>();
    let folder = library.posts_dir().join(super::FOLDER);
    std::thread::Builder::new()
        .name("citebot-web".into())
        .spawn(move || follow(&library, web.as_deref(), &stopped))
        .map_err(|source| CoreError::Io {
            path: folder,
            source,
        })?;
    Ok(Schedule { _stop: stop })
}

/// Fetches what is due, then sleeps until something is due again, until told to stop.
fn follow(library: &Library, web: Option<&Web>, stopped: &Receiver<()>) {
    let Some(web) = web else {
        return;
    };
    loop {
        super::refresh_due(library, web);
        let sleep = web.next_due().unwrap_or(LONGEST_SLEEP).min(LONGEST_SLEEP);
        match stopped.recv_timeout(sleep) {
            Err(RecvTimeoutError::Timeout) => {}
            Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}
