//! The shared limiter's state machine: whether Redis is in use or the fallback is, when to try
//! Redis again, and which transitions deserve a log line; and the window that keeps a process to
//! its share of the budget across a switch. Pure (time is passed in), so that every transition is
//! tested without a Redis or a clock.
//!
//! ```text
//!            Redis fails or is slow (log: "falling back")
//!   Up  ───────────────────────────────────────────────▶  Down { next_try }
//!   ▲                                                        │ before next_try: Fallback
//!   │        a call to Redis succeeds (log: "restored")      │ at next_try: one caller Probes,
//!   └────────────────────────────────────────────────────────┘ the next try moves a period on
//!   (Settling for `settle` after coming back, then Redis)
//! ```
//!
//! **Switches.** Neither side of a switch knows what the other sent: the fallback does not know
//! which calls Redis allowed the fleet just before it failed, and Redis, when it comes back
//! empty, does not know what the fallbacks sent, nor that other processes are still on theirs
//! (each tries Redis again on its own schedule). So across a switch each process keeps to its
//! share (`rate / fleet_size`) in every window, counting every call it sent, whoever allowed it
//! ([`Departures`]): from the moment Redis fails (the calls Redis allowed it in the last window
//! count against its fallback share), while it probes, and for `settle` after Redis answers
//! again — long enough for every other process to have tried Redis again and for the last window
//! of their fallback calls to have passed. Any one-second window then either lies where some
//! process is back on Redis alone, and so every process has been on Redis since before the
//! window began (every call in it has a Redis permit: the GCRA bounds it), or every process in
//! it keeps to its share (together at most the budget).

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::gcra::JITTER_MARGIN;

/// The window a process's share is counted in: one second, plus the margin the GCRA keeps for
/// the way to the service ([`JITTER_MARGIN`]): calls counted at the limiter reach the service
/// with a few milliseconds of jitter on a busy machine (with 5 ms, some one-second windows of the
/// emulator saw 67 calls of a share of 66).
pub(crate) const SHARE_WINDOW: Duration = Duration::from_millis(1000 + JITTER_MARGIN.as_millis() as u64);
/// Above this many calls per second a share is not counted (pacing alone applies), as in the
/// local limiter; the service allows 200.
const MAX_COUNTED_SHARE: f64 = 10_000.0;

/// Where one permit comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// Redis is up: ask it.
    Redis,
    /// Redis came back a moment ago: ask it, and keep to this process's share, because other
    /// processes may still be on their fallback.
    Settling,
    /// Redis is down and this caller tries it again (one caller per retry period); it keeps to
    /// this process's share.
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
    Up {
        /// When Redis came back, while that is less than `settle` ago.
        back_at: Option<Instant>,
    },
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
    settle: Duration,
}

impl Health {
    /// Starts up (Redis is assumed reachable until a call says otherwise); while down, Redis is
    /// tried again at most once per `retry_every`; after coming back, calls keep to the share for
    /// `settle` ([`Route::Settling`]).
    pub(crate) fn new(retry_every: Duration, settle: Duration) -> Self {
        Health { state: Mutex::new(State::Up { back_at: None }), retry_every, settle }
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
            State::Up { back_at: Some(back) } if now < *back + self.settle => Route::Settling,
            State::Up { back_at } => {
                *back_at = None;
                Route::Redis
            }
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
            State::Up { .. } => None,
            State::Down { since, .. } => {
                let after = now.saturating_duration_since(*since);
                *state = State::Up { back_at: Some(now) };
                Some(Change::CameBack { after })
            }
        }
    }

    /// Redis failed (or was too slow for) a call at `now`, for `reason` (secret-free).
    pub(crate) fn failed(&self, now: Instant, reason: String) -> Option<Change> {
        let mut state = self.lock();
        match &mut *state {
            State::Up { .. } => {
                *state = State::Down { since: now, next_try: now + self.retry_every, reason };
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
            State::Up { .. } => None,
            State::Down { reason, .. } => Some(reason.clone()),
        }
    }
}

/// The latest departures of one command from this process — every call it sent, on a Redis
/// permit or the fallback's — to keep it to its share in any [`SHARE_WINDOW`] across a switch.
/// Holds at most the share's count of times.
#[derive(Debug)]
pub(crate) struct Departures {
    /// Calls allowed in any [`SHARE_WINDOW`]; 0 = not counted.
    per_window: usize,
    times: VecDeque<Instant>,
}

impl Departures {
    /// A window for a share of `per_second` calls per second.
    pub(crate) fn new(per_second: f64) -> Self {
        let per_window = if per_second > MAX_COUNTED_SHARE { 0 } else { (per_second.floor() as usize).max(1) };
        Departures { per_window, times: VecDeque::with_capacity(per_window) }
    }

    /// When a call may leave: `None` at `now`, else the instant the oldest departure that
    /// fills the share leaves the window.
    pub(crate) fn free_at(&self, now: Instant) -> Option<Instant> {
        if self.per_window == 0 || self.times.len() < self.per_window {
            return None;
        }
        self.times.front().map(|&t| t + SHARE_WINDOW).filter(|&free| free > now)
    }

    /// A call left at `now`.
    pub(crate) fn record(&mut self, now: Instant) {
        if self.per_window == 0 {
            return;
        }
        self.times.push_back(now);
        while self.times.len() > self.per_window {
            self.times.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC: Duration = Duration::from_secs(1);
    const SETTLE: Duration = Duration::from_millis(2215);

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn up_until_a_failure() {
        let h = Health::new(SEC, SETTLE);
        let t0 = Instant::now();
        assert_eq!(h.route(t0), Route::Redis);
        assert_eq!(h.succeeded(t0), None, "no change, no log");
        assert_eq!(h.down_reason(), None);
        assert_eq!(h.route(t0 + 10 * SEC), Route::Redis);
    }

    #[test]
    fn a_failure_switches_once_and_falls_back_until_the_retry_time() {
        let h = Health::new(SEC, SETTLE);
        let t0 = Instant::now();
        assert_eq!(h.failed(t0, "refused".into()), Some(Change::WentDown));
        // Other calls that were in flight fail too: no second switch, no second log line.
        assert_eq!(h.failed(t0 + ms(5), "timed out".into()), None);
        assert_eq!(h.down_reason().as_deref(), Some("timed out"));
        for n in [0, 10, 500, 999] {
            assert_eq!(h.route(t0 + ms(n)), Route::Fallback, "{n} ms");
        }
    }

    #[test]
    fn one_probe_per_period_while_down() {
        let h = Health::new(SEC, SETTLE);
        let t0 = Instant::now();
        h.failed(t0, "refused".into());
        assert_eq!(h.route(t0 + SEC), Route::Probe);
        // Everyone else keeps to the fallback while the probe is out.
        assert_eq!(h.route(t0 + SEC), Route::Fallback);
        assert_eq!(h.route(t0 + ms(1999)), Route::Fallback);
        // The probe failed: still one switch only, and the next try is a period after the probe.
        assert_eq!(h.failed(t0 + SEC + ms(100), "refused".into()), None);
        assert_eq!(h.route(t0 + 2 * SEC), Route::Probe);
        // A caller arriving late (no call for a while) probes at once.
        assert_eq!(h.route(t0 + 60 * SEC), Route::Probe);
    }

    #[test]
    fn a_success_recovers_settles_and_says_how_long_it_was_down() {
        let h = Health::new(SEC, SETTLE);
        let t0 = Instant::now();
        h.failed(t0, "refused".into());
        assert_eq!(h.route(t0 + 3 * SEC), Route::Probe);
        assert_eq!(h.succeeded(t0 + 3 * SEC), Some(Change::CameBack { after: 3 * SEC }));
        assert_eq!(h.down_reason(), None);
        // Redis again, keeping to the share until the other processes are surely back too.
        assert_eq!(h.route(t0 + 3 * SEC), Route::Settling);
        assert_eq!(h.route(t0 + 3 * SEC + SETTLE - ms(1)), Route::Settling);
        assert_eq!(h.succeeded(t0 + 4 * SEC), None, "no second log line while settling");
        assert_eq!(h.route(t0 + 3 * SEC + SETTLE), Route::Redis);
        assert_eq!(h.route(t0 + 3 * SEC + ms(10)), Route::Redis, "settled for good");
        // And it can go down again, with a fresh log line.
        assert_eq!(h.failed(t0 + 6 * SEC, "timed out".into()), Some(Change::WentDown));
    }

    #[test]
    fn departures_keep_a_share_in_every_window() {
        let t0 = Instant::now();
        let mut d = Departures::new(3.7);
        assert_eq!(d.per_window, 3);
        for n in [0, 10, 20] {
            assert_eq!(d.free_at(t0 + ms(n)), None);
            d.record(t0 + ms(n));
        }
        // Full: the next call waits for the first to leave the window.
        assert_eq!(d.free_at(t0 + ms(20)), Some(t0 + SHARE_WINDOW));
        assert_eq!(d.free_at(t0 + SHARE_WINDOW), None);
        d.record(t0 + SHARE_WINDOW);
        assert_eq!(d.free_at(t0 + SHARE_WINDOW), Some(t0 + ms(10) + SHARE_WINDOW));
        assert_eq!(d.times.len(), 3, "never more than the share is kept");
        // A share under one call per second still lets one call through per window.
        let mut slow = Departures::new(0.01);
        slow.record(t0);
        assert_eq!(slow.free_at(t0 + ms(1)), Some(t0 + SHARE_WINDOW));
        // Shares above what is counted are left to pacing.
        let mut fast = Departures::new(1e6);
        fast.record(t0);
        assert_eq!((fast.free_at(t0), fast.times.len()), (None, 0));
    }
}
