//! What the bot does while Discord is out of reach: how long it waits before trying again
//! (doubling from [`FIRST_RETRY`] up to [`MAX_RETRY`]) and when it says so in the log (at the
//! first failure, then at intervals doubling from [`FIRST_REPEAT`] up to [`MAX_REPEAT`], and once
//! when Discord answers again). One [`Outage`] is shared by every attempt the bot makes to reach
//! Discord (the gateway lookup and each gateway connection), so an outage is one story in the
//! log however many shards are waiting.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The wait after the first failed attempt; each further failure doubles it.
const FIRST_RETRY: Duration = Duration::from_secs(1);
/// The longest wait between two attempts.
const MAX_RETRY: Duration = Duration::from_secs(60);
/// How long after the first log line of an outage the second one is due; each further line
/// doubles the interval.
const FIRST_REPEAT: Duration = Duration::from_secs(30);
/// The longest interval between two log lines about the same outage.
const MAX_REPEAT: Duration = Duration::from_secs(3600);

/// The failures since Discord last answered, shared by all attempts to reach it.
#[derive(Default)]
pub(super) struct Outage(Mutex<State>);

#[derive(Default)]
struct State {
    /// Failed attempts since Discord last answered.
    failures: u32,
    /// When the first of them failed.
    since: Option<Instant>,
    /// When the outage was last logged, and the interval until the next line is due.
    logged: Option<(Instant, Duration)>,
}

/// What a failed attempt should say in the log.
#[derive(Debug, PartialEq, Eq)]
enum Report {
    /// The first failure of an outage.
    First,
    /// A reminder: still failing after this many attempts over this long.
    Still { failures: u32, over: Duration },
}

impl State {
    /// Counts a failure at `now`: the wait before the next attempt, and the log line due, if any.
    fn fail(&mut self, now: Instant) -> (Duration, Option<Report>) {
        self.failures = self.failures.saturating_add(1);
        let since = *self.since.get_or_insert(now);
        let retry = FIRST_RETRY
            .saturating_mul(1 << (self.failures - 1).min(16))
            .min(MAX_RETRY);
        let report = match self.logged {
            None => {
                self.logged = Some((now, FIRST_REPEAT));
                Some(Report::First)
            }
            Some((at, interval)) if now.duration_since(at) >= interval => {
                self.logged = Some((now, interval.saturating_mul(2).min(MAX_REPEAT)));
                Some(Report::Still {
                    failures: self.failures,
                    over: now.duration_since(since),
                })
            }
            Some(_) => None,
        };
        (retry, report)
    }

    /// Ends the outage, if there was one: how many attempts failed over how long.
    fn reach(&mut self, now: Instant) -> Option<(u32, Duration)> {
        let ended = self
            .since
            .map(|since| (self.failures, now.duration_since(since)));
        *self = State::default();
        ended
    }
}

impl Outage {
    /// Records that `tried` (what was attempted, naming the URL) failed with `error`, logs it if
    /// a line is due, and returns how long to wait before the next attempt.
    pub(super) fn failed(&self, tried: &str, error: &str) -> Duration {
        let (retry, report) = self.state().fail(Instant::now());
        match report {
            Some(Report::First) => tracing::warn!(
                "Discord is unreachable: {tried}: {error}; trying again in {}, then less and less often, down to once every {}",
                human(retry),
                human(MAX_RETRY)
            ),
            Some(Report::Still { failures, over }) => tracing::warn!(
                "Discord is still unreachable after {failures} attempts over {}: {tried}: {error}; trying again in {}",
                human(over),
                human(retry)
            ),
            None => tracing::debug!(
                "Discord is unreachable: {tried}: {error}; trying again in {}",
                human(retry)
            ),
        }
        retry
    }

    /// Records that Discord answered; ends an outage in the log.
    pub(super) fn reached(&self) {
        if let Some((failures, over)) = self.state().reach(Instant::now()) {
            tracing::warn!(
                "Discord is reachable again, after {failures} failed attempt{} over {}",
                if failures == 1 { "" } else { "s" },
                human(over)
            );
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The cause at the root of an error: what the system said ("Connection refused (os error
/// 111)"), without the layers each library wraps around it.
pub(super) fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = err;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

/// A duration as a person reads it in a log line: "45 s", "2 min 5 s", "3 h 20 min".
pub(super) fn human(duration: Duration) -> String {
    let seconds = duration.as_secs();
    match seconds {
        0 => format!("{} ms", duration.as_millis()),
        1..60 => format!("{seconds} s"),
        60..3600 => match seconds % 60 {
            0 => format!("{} min", seconds / 60),
            s => format!("{} min {s} s", seconds / 60),
        },
        _ => match seconds % 3600 / 60 {
            0 => format!("{} h", seconds / 3600),
            m => format!("{} h {m} min", seconds / 3600),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fails attempts the way a retry loop does: each one after the wait the previous returned.
    fn fail_repeatedly(
        state: &mut State,
        start: Instant,
        attempts: usize,
    ) -> Vec<(Duration, Duration, Option<Report>)> {
        let mut now = start;
        (0..attempts)
            .map(|_| {
                let (retry, report) = state.fail(now);
                let at = now.duration_since(start);
                now += retry;
                (at, retry, report)
            })
            .collect()
    }

    #[test]
    fn retries_back_off_doubling_up_to_a_minute() {
        let mut state = State::default();
        let retries: Vec<u64> = fail_repeatedly(&mut state, Instant::now(), 10)
            .into_iter()
            .map(|(_, retry, _)| retry.as_secs())
            .collect();
        assert_eq!(retries, [1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
    }

    #[test]
    fn an_outage_is_logged_once_then_at_growing_intervals_up_to_an_hour() {
        let mut state = State::default();
        let start = Instant::now();
        // A day of failures, one a minute once the backoff is at its cap.
        let attempts = fail_repeatedly(&mut state, start, 1500);
        let logged: Vec<(Duration, &Report)> = attempts
            .iter()
            .filter_map(|(at, _, report)| report.as_ref().map(|r| (*at, r)))
            .collect();
        assert_eq!(logged[0], (Duration::ZERO, &Report::First));
        assert!(logged[1..]
            .iter()
            .all(|(_, r)| matches!(r, Report::Still { .. })));
        let gaps: Vec<u64> = logged
            .windows(2)
            .map(|w| (w[1].0 - w[0].0).as_secs())
            .collect();
        // Every gap is at least the one before (give or take the minute between attempts), and
        // they level off at an hour.
        assert!(gaps.windows(2).all(|g| g[1] + 60 >= g[0]), "{gaps:?}");
        assert!(gaps[0] >= 30 && gaps[0] < 90, "{gaps:?}");
        assert!(gaps.iter().all(|&g| g <= 3600 + 60), "{gaps:?}");
        assert!(gaps.iter().rev().take(3).all(|&g| g >= 3600), "{gaps:?}");
        // Far fewer lines than attempts: about 1 + log2(3600 / 30) + hours after that.
        assert!(logged.len() < 35, "{} lines", logged.len());
        let Report::Still { failures, over } = logged[3].1 else {
            unreachable!()
        };
        let (at, _, _) = attempts[*failures as usize - 1];
        assert_eq!(*over, at, "the reminder counts from the first failure");
    }

    #[test]
    fn reaching_discord_ends_the_outage_and_starts_the_backoff_over() {
        let mut state = State::default();
        let start = Instant::now();
        assert_eq!(state.reach(start), None, "no outage, nothing to report");
        fail_repeatedly(&mut state, start, 5);
        assert_eq!(
            state.reach(start + Duration::from_secs(40)),
            Some((5, Duration::from_secs(40)))
        );
        let (retry, report) = state.fail(start + Duration::from_secs(50));
        assert_eq!((retry, report), (FIRST_RETRY, Some(Report::First)));
    }

    #[test]
    fn the_root_cause_is_what_the_system_said() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let expected = refused.to_string();
        let wrapped = citebot_core::Error::Io {
            path: "x".into(),
            source: refused,
        };
        assert_eq!(root_cause(&wrapped), expected);
    }

    #[test]
    fn durations_read_like_a_person_writes_them() {
        let cases = [
            (Duration::from_millis(250), "250 ms"),
            (Duration::from_secs(1), "1 s"),
            (Duration::from_secs(60), "1 min"),
            (Duration::from_secs(125), "2 min 5 s"),
            (Duration::from_secs(3600), "1 h"),
            (Duration::from_secs(12_000), "3 h 20 min"),
        ];
        for (duration, text) in cases {
            assert_eq!(human(duration), text);
        }
    }
}
