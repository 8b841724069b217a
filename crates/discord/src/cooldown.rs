//! Per-member cooldown: at most `limit` questions in a sliding window. A member who asks faster
//! gets one short notice per window instead of the bot queueing work without bound.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Above this many tracked members, members with no recent question are forgotten.
const PRUNE_ABOVE: usize = 10_000;

/// The cooldown's decision about one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Answer it.
    Allowed,
    /// Too many questions in the window; `first_refusal` is true for the first refused question
    /// of the window (message replies send a notice only then, to avoid flooding a channel).
    Refused {
        /// Time until the member may ask again.
        retry_after: Duration,
        /// Whether this is the first question refused since the member was last allowed.
        first_refusal: bool,
    },
}

#[derive(Default)]
struct Member {
    asked: VecDeque<Instant>,
    refused_since_allowed: bool,
}

/// Sliding-window question counter per member id.
pub struct Cooldown {
    limit: u32,
    window: Duration,
    members: Mutex<HashMap<u64, Member>>,
}

impl Cooldown {
    /// A cooldown of `limit` questions per `window`; a limit of 0 disables it.
    pub fn new(limit: u32, window: Duration) -> Cooldown {
        Cooldown {
            limit,
            window,
            members: Mutex::new(HashMap::new()),
        }
    }

    /// Records a question by `member` at `now` and says whether to answer it.
    pub fn check(&self, member: u64, now: Instant) -> Verdict {
        if self.limit == 0 {
            return Verdict::Allowed;
        }
        let mut members = self
            .members
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if members.len() > PRUNE_ABOVE {
            let window = self.window;
            members.retain(|_, m| {
                m.asked
                    .back()
                    .is_some_and(|&t| now.duration_since(t) < window)
            });
        }
        let entry = members.entry(member).or_default();
        while entry
            .asked
            .front()
            .is_some_and(|&t| now.duration_since(t) >= self.window)
        {
            entry.asked.pop_front();
        }
        if entry.asked.len() < self.limit as usize {
            entry.asked.push_back(now);
            entry.refused_since_allowed = false;
            return Verdict::Allowed;
        }
        let oldest = entry.asked.front().copied().unwrap_or(now);
        let retry_after = (oldest + self.window).saturating_duration_since(now);
        let first_refusal = !entry.refused_since_allowed;
        entry.refused_since_allowed = true;
        Verdict::Refused {
            retry_after,
            first_refusal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_limit_then_refuses_until_the_window_passes() {
        let cooldown = Cooldown::new(2, Duration::from_secs(30));
        let t0 = Instant::now();
        assert_eq!(cooldown.check(1, t0), Verdict::Allowed);
        assert_eq!(
            cooldown.check(1, t0 + Duration::from_secs(1)),
            Verdict::Allowed
        );
        assert_eq!(
            cooldown.check(1, t0 + Duration::from_secs(2)),
            Verdict::Refused {
                retry_after: Duration::from_secs(28),
                first_refusal: true
            }
        );
        assert!(matches!(
            cooldown.check(1, t0 + Duration::from_secs(3)),
            Verdict::Refused {
                first_refusal: false,
                ..
            }
        ));
        assert_eq!(
            cooldown.check(1, t0 + Duration::from_secs(30)),
            Verdict::Allowed
        );
    }

    #[test]
    fn members_are_counted_separately() {
        let cooldown = Cooldown::new(1, Duration::from_secs(30));
        let now = Instant::now();
        assert_eq!(cooldown.check(1, now), Verdict::Allowed);
        assert_eq!(cooldown.check(2, now), Verdict::Allowed);
        assert!(matches!(cooldown.check(1, now), Verdict::Refused { .. }));
    }

    #[test]
    fn zero_limit_disables_the_cooldown() {
        let cooldown = Cooldown::new(0, Duration::from_secs(30));
        let now = Instant::now();
        for _ in 0..100 {
            assert_eq!(cooldown.check(1, now), Verdict::Allowed);
        }
    }
}
