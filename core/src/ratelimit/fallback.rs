//! The shared limiter's state machine: whether Redis is in use or the fallback is, when to try
//! Redis again, and which transitions deserve a log line. Pure (time is passed in), so that every
//! transition is tested without a Redis or a clock.
//!
//! ```text
//!            Redis fails or is slow (log: "falling back")
//!   Up  ───────────────────────────────────────────────▶  Down { next_try }
//!   ▲                                                        │ before next_try: Fallback
//!   │        a call to Redis succeeds (log: "restored")      │ at next_try: one caller Probes,
//!   └────────────────────────────────────────────────────────┘ the next try moves a period on
//! ```

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Where one permit comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// Redis is up: ask it.
    Redis,
    /// Redis is down and this caller tries it again (one caller per retry period).
    Probe,
    /// Redis is down: use the fallback.
    Fallback,
}

/// A change worth one log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Change {
    /// Redis stopped answering.
    WentDown,
    /// Redis answers again after this long.
    CameBack {
        /// How long the fallback was in use.
        after: Duration,
    },
}

#[derive(Debug)]
enum State {
    Up,
    Down {
        since: Instant,
        next_try: Instant,
        /// Why Redis counts as down (secret-free), for the errors of the `Fail` fallback.
        reason: String,
    },
}

/// The state machine, shared by every task of a client.
#[derive(Debug)]
pub(crate) struct Health {
    state: Mutex<State>,
    retry_every: Duration,
}

impl Health {
    /// Starts up (Redis is assumed reachable until a call says otherwise); while down, Redis is
    /// tried again at most once per `retry_every`.
    pub(crate) fn new(retry_every: Duration) -> Self {
        Health {
            state: Mutex::new(State::Up),
            retry_every,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every update below is a single assignment: a panic elsewhere cannot leave it half done.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Where the permit of a call made at `now` comes from. While down, the first caller at or
    /// after the retry time gets [`Route::Probe`] and moves the retry time a period on, so that
    /// Redis is tried at most once per period however many calls there are.
    pub(crate) fn route(&self, now: Instant) -> Route {
        let mut state = self.lock();
        match &mut *state {
            State::Up => Route::Redis,
            State::Down { next_try, .. } if now >= *next_try => {
                *next_try = now + self.retry_every;
                Route::Probe
            }
            State::Down { .. } => Route::Fallback,
        }
    }

    /// Redis answered a call at `now`.
    pub(crate) fn succeeded(&self, now: Instant) -> Option<Change> {
        let mut state = self.lock();
        match &*state {
            State::Up => None,
            State::Down { since, .. } => {
                let after = now.saturating_duration_since(*since);
                *state = State::Up;
                Some(Change::CameBack { after })
            }
        }
    }

    /// Redis failed (or was too slow for) a call at `now`, for `reason` (secret-free).
    pub(crate) fn failed(&self, now: Instant, reason: String) -> Option<Change> {
        let mut state = self.lock();
        match &mut *state {
            State::Up => {
                *state = State::Down {
                    since: now,
                    next_try: now + self.retry_every,
                    reason,
                };
                Some(Change::WentDown)
            }
            State::Down { reason: last, .. } => {
                *last = reason;
                None
            }
        }
    }

    /// Why Redis counts as down; `None` while it is up.
    pub(crate) fn down_reason(&self) -> Option<String> {
        match &*self.lock() {
            State::Up => None,
            State::Down { reason, .. } => Some(reason.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC: Duration = Duration::from_secs(1);

    #[test]
    fn up_until_a_failure() {
        let h = Health::new(SEC);
        let t0 = Instant::now();
        assert_eq!(h.route(t0), Route::Redis);
        assert_eq!(h.succeeded(t0), None, "no change, no log");
        assert_eq!(h.down_reason(), None);
        assert_eq!(h.route(t0 + 10 * SEC), Route::Redis);
    }

    #[test]
    fn a_failure_switches_once_and_falls_back_until_the_retry_time() {
        let h = Health::new(SEC);
        let t0 = Instant::now();
        assert_eq!(h.failed(t0, "refused".into()), Some(Change::WentDown));
        // Other calls that were in flight fail too: no second switch, no second log line.
        assert_eq!(h.failed(t0 + Duration::from_millis(5), "timed out".into()), None);
        assert_eq!(h.down_reason().as_deref(), Some("timed out"));
        for ms in [0, 10, 500, 999] {
            assert_eq!(h.route(t0 + Duration::from_millis(ms)), Route::Fallback, "{ms} ms");
        }
    }

    #[test]
    fn one_probe_per_period_while_down() {
        let h = Health::new(SEC);
        let t0 = Instant::now();
        h.failed(t0, "refused".into());
        assert_eq!(h.route(t0 + SEC), Route::Probe);
        // Everyone else keeps to the fallback while the probe is out.
        assert_eq!(h.route(t0 + SEC), Route::Fallback);
        assert_eq!(h.route(t0 + Duration::from_millis(1999)), Route::Fallback);
        // The probe failed: still one switch only, and the next try is a period after the probe.
        assert_eq!(h.failed(t0 + SEC + Duration::from_millis(100), "refused".into()), None);
        assert_eq!(h.route(t0 + 2 * SEC), Route::Probe);
        // A caller arriving late (no call for a while) probes at once.
        assert_eq!(h.route(t0 + 60 * SEC), Route::Probe);
    }

    #[test]
    fn a_success_recovers_and_says_how_long_it_was_down() {
        let h = Health::new(SEC);
        let t0 = Instant::now();
        h.failed(t0, "refused".into());
        assert_eq!(h.route(t0 + 3 * SEC), Route::Probe);
        assert_eq!(h.succeeded(t0 + 3 * SEC), Some(Change::CameBack { after: 3 * SEC }));
        assert_eq!(h.route(t0 + 3 * SEC), Route::Redis);
        assert_eq!(h.down_reason(), None);
        // And it can go down again, with a fresh log line.
        assert_eq!(h.failed(t0 + 4 * SEC, "timed out".into()), Some(Change::WentDown));
    }
}
