//! Replies on their way to Discord. The bot learns the id of a reply it sent only when Discord
//! answers the request, and only then records what later messages refer to: the follow-up
//! context under the reply (and its thread), and the question an edit should re-answer. A member
//! can be quicker than that (a reply in a thread, an edit made while the answer is posted), so a
//! message that may refer to a reply first waits, briefly, for the replies sent before it arrived
//! to be recorded. Replies started later never hold it up, so a busy bot does not stall.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

/// The longest a message waits for earlier replies to be recorded: past it, it is read with
/// what is known (a reply whose request hangs must not hold every message up).
pub const SETTLE_LIMIT: Duration = Duration::from_secs(2);

/// The replies being sent, each with its ticket; tickets grow in the order sends start.
#[derive(Debug)]
pub struct InFlight {
    state: Arc<watch::Sender<Tickets>>,
}

/// The tickets of the sends not yet recorded, and the next ticket to hand out.
#[derive(Debug, Default)]
struct Tickets {
    open: BTreeSet<u64>,
    next: u64,
}

/// A send under way; dropping it (after the reply is recorded, or the send failed) closes it.
#[derive(Debug)]
#[must_use = "the send counts as under way until the guard is dropped"]
pub struct Sending {
    state: Arc<watch::Sender<Tickets>>,
    ticket: u64,
}

impl Default for InFlight {
    fn default() -> Self {
        InFlight {
            state: Arc::new(watch::Sender::new(Tickets::default())),
        }
    }
}

impl InFlight {
    /// Marks a send as under way until the returned guard is dropped.
    pub fn start(&self) -> Sending {
        let mut ticket = 0;
        self.state.send_modify(|tickets| {
            ticket = tickets.next;
            tickets.next += 1;
            tickets.open.insert(ticket);
        });
        Sending {
            state: self.state.clone(),
            ticket,
        }
    }

    /// Waits until every send started before this call is recorded, at most `limit`. Returns
    /// whether they all were.
    pub async fn settled(&self, limit: Duration) -> bool {
        let before = self.state.borrow().next;
        let mut changes = self.state.subscribe();
        let done = changes.wait_for(|tickets| tickets.open.first().is_none_or(|&t| t >= before));
        let settled = tokio::time::timeout(limit, done)
            .await
            .is_ok_and(|ok| ok.is_ok());
        settled
    }
}

impl Drop for Sending {
    fn drop(&mut self) {
        self.state.send_modify(|tickets| {
            tickets.open.remove(&self.ticket);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHORT: Duration = Duration::from_millis(50);

    #[tokio::test]
    async fn nothing_in_flight_is_settled_at_once() {
        assert!(InFlight::default().settled(SHORT).await);
    }

    #[tokio::test]
    async fn an_earlier_send_holds_the_wait_until_it_is_recorded() {
        let in_flight = InFlight::default();
        let sending = in_flight.start();
        assert!(!in_flight.settled(SHORT).await, "the send is still open");
        let (settled, ()) = tokio::join!(in_flight.settled(Duration::from_secs(5)), async {
            tokio::time::sleep(SHORT).await;
            drop(sending);
        });
        assert!(settled, "recorded, so the wait ends");
    }

    #[tokio::test]
    async fn sends_started_after_the_wait_began_do_not_hold_it() {
        let in_flight = InFlight::default();
        let earlier = in_flight.start();
        let (settled, _later) = tokio::join!(in_flight.settled(Duration::from_secs(5)), async {
            let later = in_flight.start();
            tokio::time::sleep(SHORT).await;
            drop(earlier);
            later
        });
        assert!(settled, "only the earlier send counted");
    }
}
