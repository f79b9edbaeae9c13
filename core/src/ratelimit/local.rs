//! The in-process limiter: each endpoint at or under a rate, across every task and thread
//! sharing the client.
//!
//! Two rules per endpoint, both under one lock:
//! - Pacing: calls get send times ("slots") one period apart and sleep until theirs. Slots are
//!   absolute, so a sleep that ends late (tokio's timer turns once a millisecond) does not push
//!   later calls back and the long-run rate is the configured one. (A check-and-retry limiter
//!   with a burst of one, such as `governor`'s, loses every such delay: it runs at about 163/s
//!   when set to 200/s, and 316/s when set to 500/s.)
//! - A sliding window: the times calls actually left are kept, and a call never leaves while
//!   the window before it already holds `rate` calls. This is what keeps a one-second window at
//!   or under the rate when late wake-ups (a busy machine) would otherwise catch up in a burst.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::time::Instant;

use super::Limiter;
use crate::error::{Error, Result};
use crate::transport::Command;

/// The window no more than `rate` calls may leave in: one second, plus a margin for the time
/// between leaving here and arriving at the service (and its millisecond clock).
const WINDOW: Duration = Duration::from_millis(1005);
/// Above this many calls per second the window is not tracked (pacing alone applies); the
/// service allows 200.
const MAX_TRACKED_RATE: f64 = 10_000.0;

/// One endpoint's slots and recent departures.
struct Pacer {
    period: Duration,
    /// Calls allowed in any [`WINDOW`]; 0 = not tracked.
    per_window: usize,
    state: Mutex<PacerState>,
}

#[derive(Default)]
struct PacerState {
    next_slot: Option<Instant>,
    departures: VecDeque<Instant>,
}

impl Pacer {
    fn state(&self) -> MutexGuard<'_, PacerState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next free slot, reserved for the caller.
    fn reserve(&self) -> Instant {
        let now = Instant::now();
        let mut state = self.state();
        let slot = state.next_slot.map_or(now, |n| n.max(now));
        // A fleet's share of a slow rate (one call a day over thousands of processes) has a
        // period of millennia; queued callers would push the slots past what `Instant` holds.
        // Such slots are never reached, so the last one is reused instead of overflowing.
        state.next_slot = Some(slot.checked_add(self.period).unwrap_or(slot));
        slot
    }

    /// Records a departure now if the window allows it, else says when it will.
    fn depart(&self) -> Option<Instant> {
        if self.per_window == 0 {
            return None;
        }
        let now = Instant::now();
        let mut state = self.state();
        while state.departures.front().is_some_and(|&t| t + WINDOW <= now) {
            state.departures.pop_front();
        }
        if state.departures.len() >= self.per_window {
            return state.departures.front().map(|&t| t + WINDOW);
        }
        state.departures.push_back(now);
        None
    }
}

/// One pacer per endpoint.
pub(crate) struct LocalLimiter {
    pacers: [Pacer; Command::COUNT],
    per_second: f64,
}

impl LocalLimiter {
    /// Calls evenly spaced at `per_second` (no burst), and never more than `per_second` in any
    /// one-second window of the service, from this process. `field` names the setting in the
    /// error for a rate that is not a positive number or too small or large to express.
    pub(crate) fn new(per_second: f64, field: &str) -> Result<Self> {
        let invalid = || Error::invalid(field, "must be a positive number of calls per second");
        if !(per_second.is_finite() && per_second > 0.0) {
            return Err(invalid());
        }
        // `per_window` calls per WINDOW: the period that spreads them evenly over it.
        let per_window = if per_second > MAX_TRACKED_RATE {
            0
        } else {
            (per_second.floor() as usize).max(1)
        };
        let period = Duration::try_from_secs_f64(WINDOW.as_secs_f64() / per_second)
            .ok()
            .filter(|p| !p.is_zero())
            .ok_or_else(invalid)?;
        let make = || Pacer {
            period,
            per_window,
            state: Mutex::new(PacerState::default()),
        };
        Ok(LocalLimiter {
            pacers: [make(), make(), make()],
            per_second,
        })
    }

    /// The calls per second per endpoint it allows.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn per_second(&self) -> f64 {
        self.per_second
    }

    /// Waits until `command` may be sent, on the tokio timer of the calling runtime.
    pub(crate) async fn wait(&self, command: Command) {
        let pacer = &self.pacers[command.index()];
        let slot = pacer.reserve();
        if slot > Instant::now() {
            tokio::time::sleep_until(slot).await;
        }
        while let Some(free_at) = pacer.depart() {
            tokio::time::sleep_until(free_at).await;
        }
    }
}

impl Limiter for LocalLimiter {
    fn acquire(&self, command: Command) -> BoxFuture<'_, Result<()>> {
        Box::pin(async move {
            self.wait(command).await;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_out_of_range_are_refused() {
        assert!(LocalLimiter::new(200.0, "rate_limit").is_ok());
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e-300] {
            let e = LocalLimiter::new(bad, "rate_limit").err().unwrap();
            assert!(matches!(e, Error::InvalidArgument { ref field, .. } if field == "rate_limit"), "{bad}: {e:?}");
        }
        // A fleet's share names the setting that made it.
        let e = LocalLimiter::new(0.0, "fleet_size").err().unwrap();
        assert!(matches!(e, Error::InvalidArgument { ref field, .. } if field == "fleet_size"), "{e:?}");
    }

    #[test]
    fn the_slowest_share_never_overflows_the_clock() {
        // One call a day shared by u32::MAX processes: a period of about 3.7e14 s.
        let share = crate::config::MIN_RATE_LIMIT / f64::from(u32::MAX);
        let limiter = LocalLimiter::new(share, "fleet_size").unwrap();
        let pacer = &limiter.pacers[0];
        let first = pacer.reserve();
        let mut last = first;
        for _ in 0..100_000 {
            last = pacer.reserve();
        }
        assert!(last > first);
        // The fastest accepted rate is not tracked by the window and still has a period.
        let fastest = LocalLimiter::new(crate::config::MAX_RATE_LIMIT, "rate_limit").unwrap();
        assert_eq!(fastest.pacers[0].per_window, 0);
        assert!(!fastest.pacers[0].period.is_zero());
    }

    #[tokio::test]
    async fn endpoints_have_their_own_budget() {
        let limiter = LocalLimiter::new(10.0, "rate_limit").unwrap();
        // The first call of each endpoint goes at once; the endpoints do not share a budget.
        limiter.acquire(Command::GetGroupMemberInfo).await.unwrap();
        limiter.acquire(Command::GetGroupMutedAccount).await.unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn slots_are_evenly_spaced_and_late_wakeups_are_not_lost() {
        let limiter = LocalLimiter::new(200.0, "rate_limit").unwrap();
        let start = Instant::now();
        for _ in 0..201 {
            limiter.acquire(Command::GetGroupMutedAccount).await.unwrap();
        }
        let elapsed = start.elapsed();
        // 200 periods of (1 s + 5 ms) / 200.
        assert_eq!(elapsed, WINDOW);
        // Another endpoint has its own slots.
        let other = Instant::now();
        limiter.acquire(Command::ModifyGroupBaseInfo).await.unwrap();
        assert_eq!(other.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_endpoint_does_not_bank_a_burst() {
        let limiter = LocalLimiter::new(10.0, "rate_limit").unwrap();
        limiter.acquire(Command::GetGroupMemberInfo).await.unwrap();
        tokio::time::sleep(Duration::from_secs(5)).await;
        let start = Instant::now();
        limiter.acquire(Command::GetGroupMemberInfo).await.unwrap();
        limiter.acquire(Command::GetGroupMemberInfo).await.unwrap();
        let waited = start.elapsed();
        let period = Duration::from_secs_f64(1.005 / 10.0);
        assert!(waited >= period && waited < period + Duration::from_millis(2), "the second call waits a period: {waited:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn late_callers_never_put_more_than_the_rate_in_a_window() {
        let limiter = LocalLimiter::new(20.0, "rate_limit").unwrap();
        let pacer = &limiter.pacers[0];
        let start = Instant::now();
        // 60 callers reserve slots, then all wake late at once (a stalled runtime).
        let slots: Vec<Instant> = (0..60).map(|_| pacer.reserve()).collect();
        tokio::time::sleep(Duration::from_secs(2)).await;
        let mut departures = Vec::new();
        for _ in &slots {
            while let Some(at) = pacer.depart() {
                tokio::time::sleep_until(at).await;
            }
            departures.push(Instant::now());
        }
        for (i, t) in departures.iter().enumerate() {
            let in_window = departures[i..].iter().take_while(|&&u| u < *t + Duration::from_secs(1)).count();
            assert!(in_window <= 20, "{in_window} departures within a second of {:?}", *t - start);
        }
    }
}
