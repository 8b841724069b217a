//! Replies on their way to Discord. The bot learns the id of a reply it sent only when Discord
//! answers the request, and only then records what later messages refer to: the follow-up
//! context under the reply (and its thread), and the question an edit should re-answer. A member
//! can be quicker than that (a reply in a thread, an edit made while the answer is posted), so a
//! message that may refer to a reply first waits, briefly, for the replies sent before it arrived
//! to be recorded. Replies started later never hold it up, so a busy bot does not stall, and a
//! reply under way far longer than any Discord answers is taken for hung and not waited for: a
//! request that hangs holds the messages after it up for a while, not for as long as it hangs.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::watch;

/// The longest a message waits for earlier replies to be recorded: past it, it is read with
/// what is known (a reply whose request hangs must not hold every message up).
pub const SETTLE_LIMIT: Duration = Duration::from_secs(2);

/// How long a reply may be under way before messages stop waiting for it: far longer than
/// Discord takes to answer a send, even one held by its rate limits, so only a request that
/// hangs is given up on (serenity's HTTP client has no request timeout).
pub const GIVE_UP_AFTER: Duration = Duration::from_secs(10);

/// The replies being sent, each with its ticket; tickets grow in the order sends start.
#[derive(Debug)]
pub struct InFlight {
    state: Arc<watch::Sender<Tickets>>,
    /// Sends under way longer than this are not waited for.
    give_up_after: Duration,
}

/// The tickets of the sends not yet recorded, with when each started, and the next ticket to
/// hand out.
#[derive(Debug, Default)]
struct Tickets {
    open: BTreeMap<u64, Instant>,
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
        InFlight::new(GIVE_UP_AFTER)
    }
}

impl InFlight {
    /// No send under way yet; sends under way longer than `give_up_after` will not be waited
    /// for.
    pub fn new(give_up_after: Duration) -> InFlight {
        InFlight {
            state: Arc::new(watch::Sender::new(Tickets::default())),
            give_up_after,
        }
    }

    /// Marks a send as under way until the returned guard is dropped.
    pub fn start(&self) -> Sending {
        let mut ticket = 0;
        self.state.send_modify(|tickets| {
            ticket = tickets.next;
            tickets.next += 1;
            tickets.open.insert(ticket, Instant::now());
        });
        Sending {
            state: self.state.clone(),
            ticket,
        }
    }

    /// Waits until every send started before this call is recorded, at most `limit`; a send
    /// under way longer than the give-up age is not waited for. Returns whether the sends
    /// waited for were all recorded.
    pub async fn settled(&self, limit: Duration) -> bool {
        let before = self.state.borrow().next;
        self.recorded_before(before, limit).await
    }

    /// [`InFlight::settled`] for a message counted under way itself (`own`, taken when it
    /// arrived): waits for the sends started before it, never for its own.
    pub async fn settled_before(&self, own: &Sending, limit: Duration) -> bool {
        self.recorded_before(own.ticket, limit).await
    }

    /// Waits until the sends with tickets below `before` are recorded, as [`InFlight::settled`]
    /// says.
    async fn recorded_before(&self, before: u64, limit: Duration) -> bool {
        let now = Instant::now();
        // A send that started by `given_up` is taken for hung.
        let given_up = now.checked_sub(self.give_up_after);
        let awaited = |started: Instant| given_up.is_none_or(|given_up| started > given_up);
        let latest_start = {
            let tickets = self.state.borrow();
            tickets
                .open
                .range(..before)
                .map(|(_, &started)| started)
                .filter(|&s| awaited(s))
                .max()
        };
        let Some(latest_start) = latest_start else {
            return true;
        };
        let mut changes = self.state.subscribe();
        let done = changes.wait_for(|tickets| {
            !tickets
                .open
                .range(..before)
                .any(|(_, &started)| awaited(started))
        });
        // Never past the moment the last send waited for would be taken for hung.
        let until_given_up = (latest_start + self.give_up_after).saturating_duration_since(now);
        tokio::time::timeout(limit.min(until_given_up), done)
            .await
            .is_ok_and(|ok| ok.is_ok())
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

    #[tokio::test]
    async fn a_message_counted_under_way_waits_for_earlier_sends_not_for_itself() {
        let in_flight = InFlight::default();
        let earlier = in_flight.start();
        let own = in_flight.start();
        assert!(
            !in_flight.settled_before(&own, SHORT).await,
            "the earlier send is still open"
        );
        drop(earlier);
        let _later = in_flight.start();
        let waited = tokio::time::timeout(
            Duration::ZERO,
            in_flight.settled_before(&own, Duration::from_secs(5)),
        )
        .await;
        assert_eq!(
            waited.ok(),
            Some(true),
            "neither itself nor a later send holds it"
        );
        // Meanwhile anything arriving after it (an edit of it) waits for it.
        assert!(!in_flight.settled(SHORT).await);
    }

    #[tokio::test]
    async fn a_send_under_way_past_the_give_up_age_holds_no_later_wait() {
        const GIVE_UP: Duration = Duration::from_millis(500);
        let in_flight = InFlight::new(GIVE_UP);
        // A request that never returns keeps its guard for good.
        let _hung = in_flight.start();
        // A sleep never ends early: the send is past the give-up age after it.
        tokio::time::sleep(GIVE_UP + SHORT).await;
        // `timeout` polls the wait once before its zero delay: only a wait that does not wait
        // at all passes.
        let waited =
            tokio::time::timeout(Duration::ZERO, in_flight.settled(Duration::from_secs(5))).await;
        assert!(
            waited.is_ok(),
            "a hung send must not hold every later message up"
        );
        // A send started since is still waited for, and its recording ends the wait.
        let fresh = in_flight.start();
        let (settled, ()) = tokio::join!(in_flight.settled(Duration::from_secs(5)), async {
            tokio::time::sleep(SHORT).await;
            drop(fresh);
        });
        assert!(
            settled,
            "the fresh send was recorded; the hung one is not waited for"
        );
    }
}
