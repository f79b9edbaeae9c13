//! The in-process limiter: each endpoint at or under a rate, across every task and thread
//! sharing the client.
//!
//! The promise ("never over"): at most `rate` requests of one command *leave* in any sliding
//! one-second window, from one client, for every rate the API accepts
//! (`MIN_RATE_LIMIT..=MAX_RATE_LIMIT`). A call asks for its permit here as the last step
//! before its bytes go out (after it holds its in-flight slot and its UserSig; see
//! `Transport::post`), and every retry and failover attempt asks again, so a stall upstream of
//! the wire cannot bank permits that are then spent at once.
//!
//! Two rules per endpoint, both under one lock:
//! - Pacing: calls get send times ("slots") one period apart and sleep until theirs. Slots are
//!   absolute, so a sleep that ends late (tokio's timer turns once a millisecond) does not push
//!   later calls back and the long-run rate is the configured one. (A check-and-retry limiter
//!   with a burst of one, such as `governor`'s, loses every such delay: it runs at about 163/s
//!   when set to 200/s, and 316/s when set to 500/s.)
//! - A sliding window: a call never leaves while `rate` calls already count in the window
//!   before it. A request counts from when it leaves until one [`WINDOW`] after its attempt
//!   ended (answered, failed or given up): the service received it somewhere in between, so
//!   however late a request reaches the service (a busy machine, a slow connect, a stalled
//!   network), no one-second window *at the service* can hold more than `rate` of them. It
//!   costs one round trip per window: at 200/s with a 5 ms round trip, 199/s at most. This is
//!   also what keeps a one-second window at or under the rate when late wake-ups would
//!   otherwise catch up in a burst.
//!   Up to [`EXACT_WINDOW`] calls per window every end time is kept; above that (up to a
//!   billion a second) ends are counted in [`BUCKET`]-wide buckets, at most about a
//!   thousand of them, and a bucket counts while any part of it is inside the window: the
//!   count can only be too high (costing at most one bucket's share of the rate), never too low.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use futures::future::BoxFuture;
use tokio::time::Instant;

use super::{Limiter, PerCommand};
use crate::command::Command;
use crate::error::{Error, Result};

/// The window no more than `rate` calls may count in: one second, plus a margin for the
/// service's millisecond clock.
const WINDOW: Duration = Duration::from_millis(1005);
/// How often a caller looks again when the window is full of requests still in flight.
const FULL_WINDOW_POLL: Duration = Duration::from_millis(1);
/// Up to this many calls per window each end time is kept; above it they are counted in buckets.
const EXACT_WINDOW: usize = 10_000;
/// The width of a bucket of end times at rates above [`EXACT_WINDOW`] per window.
const BUCKET: Duration = Duration::from_millis(1);

/// One endpoint's slots and the requests counted in its window.
struct Pacer {
    period: Duration,
    /// Calls allowed in any [`WINDOW`].
    per_window: u64,
    state: Mutex<PacerState>,
}

struct PacerState {
    next_slot: Option<Instant>,
    /// Requests that left and whose attempt has not ended.
    open: u64,
    /// When the attempts of the last window ended.
    departures: Departures,
}

/// The departures of the last [`WINDOW`] (or a little more, for buckets).
enum Departures {
    /// Each departure's time.
    Exact(VecDeque<Instant>),
    /// `(start, count)` of [`BUCKET`]-wide buckets, oldest first, and the sum of their counts.
    Buckets(VecDeque<(Instant, u64)>, u64),
}

impl Departures {
    fn for_window(per_window: u64) -> Self {
        if per_window as usize <= EXACT_WINDOW {
            Departures::Exact(VecDeque::new())
        } else {
            Departures::Buckets(VecDeque::new(), 0)
        }
    }

    /// Forgets what left the window before `now`; returns how many are still counted in it and
    /// when the oldest of them stops counting.
    fn count(&mut self, now: Instant) -> (u64, Option<Instant>) {
        match self {
            Departures::Exact(times) => {
                while times.front().is_some_and(|&t| t + WINDOW <= now) {
                    times.pop_front();
                }
                (times.len() as u64, times.front().map(|&t| t + WINDOW))
            }
            Departures::Buckets(buckets, total) => {
                // Every departure of a bucket is earlier than its end.
                while let Some(&(start, n)) = buckets.front() {
                    if start + BUCKET + WINDOW > now {
                        break;
                    }
                    *total -= n;
                    buckets.pop_front();
                }
                (*total, buckets.front().map(|&(start, _)| start + BUCKET + WINDOW))
            }
        }
    }

    fn record(&mut self, now: Instant) {
        match self {
            Departures::Exact(times) => times.push_back(now),
            Departures::Buckets(buckets, total) => {
                *total += 1;
                match buckets.back_mut() {
                    Some((start, n)) if now < *start + BUCKET => *n += 1,
                    _ => buckets.push_back((now, 1)),
                }
            }
        }
    }
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

    /// Lets a request leave now (counted open until [`Pacer::ended`]) if the window allows it,
    /// else says when to look again.
    fn depart(&self) -> Option<Instant> {
        let now = Instant::now();
        let mut state = self.state();
        let (ended, frees_at) = state.departures.count(now);
        if ended + state.open >= self.per_window {
            return Some(frees_at.unwrap_or(now + FULL_WINDOW_POLL));
        }
        state.open += 1;
        None
    }

    /// The attempt of a request that left has ended: it counts for one more window.
    fn ended(&self) {
        let now = Instant::now();
        let mut state = self.state();
        state.open = state.open.saturating_sub(1);
        state.departures.record(now);
    }
}

/// One pacer per command, made on its first call.
pub(crate) struct LocalLimiter {
    pacers: PerCommand<Pacer>,
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
        // At most `per_window` calls per WINDOW (the whole calls in one second), spread evenly
        // over it by the period.
        let per_window = (per_second.floor() as u64).max(1);
        let period = Duration::try_from_secs_f64(WINDOW.as_secs_f64() / per_second)
            .ok()
            .filter(|p| !p.is_zero())
            .ok_or_else(invalid)?;
        let make = move || Pacer {
            period,
            per_window,
            state: Mutex::new(PacerState { next_slot: None, open: 0, departures: Departures::for_window(per_window) }),
        };
        Ok(LocalLimiter { pacers: PerCommand::new(make), per_second })
    }

    /// The calls per second per endpoint it allows.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn per_second(&self) -> f64 {
        self.per_second
    }

    /// Waits until `command` may be sent, on the tokio timer of the calling runtime, and
    /// counts the request from then until the returned permit is dropped (when its attempt
    /// ended) plus one window.
    pub(crate) async fn permit(&self, command: &Command) -> Result<Permit> {
        let pacer = self.pacers.get(command)?;
        let slot = pacer.reserve();
        if slot > Instant::now() {
            tokio::time::sleep_until(slot).await;
        }
        while let Some(free_at) = pacer.depart() {
            tokio::time::sleep_until(free_at).await;
        }
        Ok(Permit(pacer))
    }

    /// Waits until `command` may be sent, counting it as sent and ended now (for a limiter
    /// that does not see the request's end, as a fleet's fallback share).
    pub(crate) async fn wait(&self, command: &Command) -> Result<()> {
        drop(self.permit(command).await?);
        Ok(())
    }

    /// Makes `command`'s pacer, or refuses it (too many distinct commands).
    pub(crate) fn admit(&self, command: &Command) -> Result<()> {
        self.pacers.get(command).map(drop)
    }

    #[cfg(test)]
    fn pacer(&self, command: &Command) -> Arc<Pacer> {
        self.pacers.get(command).unwrap()
    }
}

/// A request of one command that left: counted in its command's window while held, and for
/// one window after it is dropped. Hold it until the attempt ended.
#[must_use = "a permit counts the request until it is dropped"]
pub(crate) struct Permit(Arc<Pacer>);

impl Drop for Permit {
    fn drop(&mut self) {
        self.0.ended();
    }
}

impl Limiter for LocalLimiter {
    fn acquire<'a>(&'a self, command: &'a Command) -> BoxFuture<'a, Result<()>> {
        Box::pin(self.wait(command))
    }

    fn admit(&self, command: &Command) -> Result<()> {
        LocalLimiter::admit(self, command)
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
        let pacer = &limiter.pacer(&Command::GET_GROUP_MEMBER_INFO);
        let first = pacer.reserve();
        let mut last = first;
        for _ in 0..100_000 {
            last = pacer.reserve();
        }
        assert!(last > first);
        // The fastest accepted rate has a period, and a window of a billion calls.
        let fastest = LocalLimiter::new(crate::config::MAX_RATE_LIMIT, "rate_limit").unwrap();
        assert_eq!(fastest.pacer(&Command::GET_GROUP_MEMBER_INFO).per_window, 1_000_000_000);
        assert!(!fastest.pacer(&Command::GET_GROUP_MEMBER_INFO).period.is_zero());
    }

    #[tokio::test]
    async fn endpoints_have_their_own_budget() {
        let limiter = LocalLimiter::new(10.0, "rate_limit").unwrap();
        // The first call of each endpoint goes at once; the endpoints do not share a budget.
        limiter.acquire(&Command::GET_GROUP_MEMBER_INFO).await.unwrap();
        limiter.acquire(&Command::GET_GROUP_MUTED_ACCOUNT).await.unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn a_raw_command_has_its_own_budget_and_the_same_path_shares_it() {
        let limiter = LocalLimiter::new(10.0, "rate_limit").unwrap();
        let sendmsg = Command::parse("openim/sendmsg").unwrap();
        limiter.acquire(&Command::GET_GROUP_MEMBER_INFO).await.unwrap();
        let start = Instant::now();
        limiter.acquire(&sendmsg).await.unwrap();
        assert_eq!(start.elapsed(), Duration::ZERO, "another command's budget");
        // The same path parsed again is the same budget: the next call waits a period.
        limiter.acquire(&Command::parse("openim/sendmsg").unwrap()).await.unwrap();
        assert!(start.elapsed() >= Duration::from_millis(100), "{:?}", start.elapsed());
        limiter.acquire(&Command::parse("group_open_http_svc/get_group_member_info").unwrap()).await.unwrap();
        assert!(start.elapsed() >= Duration::from_millis(100), "the typed call's budget");
    }

    #[tokio::test]
    async fn distinct_commands_are_bounded() {
        let limiter = LocalLimiter::new(10.0, "rate_limit").unwrap();
        // The typed endpoints' three are always there.
        for i in 0..super::super::MAX_COMMANDS - 3 {
            limiter.admit(&Command::parse(&format!("svc/c{i}")).unwrap()).unwrap();
        }
        let e = limiter.acquire(&Command::parse("svc/one_more").unwrap()).await.unwrap_err();
        assert!(matches!(e, Error::InvalidArgument { ref field, .. } if field == "command"), "{e:?}");
        // Known ones still work.
        limiter.admit(&Command::parse("svc/c0").unwrap()).unwrap();
        limiter.acquire(&Command::MODIFY_GROUP_BASE_INFO).await.unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn slots_are_evenly_spaced_and_late_wakeups_are_not_lost() {
        let limiter = LocalLimiter::new(200.0, "rate_limit").unwrap();
        let start = Instant::now();
        for _ in 0..201 {
            limiter.acquire(&Command::GET_GROUP_MUTED_ACCOUNT).await.unwrap();
        }
        let elapsed = start.elapsed();
        // 200 periods of (1 s + 5 ms) / 200.
        assert_eq!(elapsed, WINDOW);
        // Another endpoint has its own slots.
        let other = Instant::now();
        limiter.acquire(&Command::MODIFY_GROUP_BASE_INFO).await.unwrap();
        assert_eq!(other.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_endpoint_does_not_bank_a_burst() {
        let limiter = LocalLimiter::new(10.0, "rate_limit").unwrap();
        limiter.acquire(&Command::GET_GROUP_MEMBER_INFO).await.unwrap();
        tokio::time::sleep(Duration::from_secs(5)).await;
        let start = Instant::now();
        limiter.acquire(&Command::GET_GROUP_MEMBER_INFO).await.unwrap();
        limiter.acquire(&Command::GET_GROUP_MEMBER_INFO).await.unwrap();
        let waited = start.elapsed();
        let period = Duration::from_secs_f64(1.005 / 10.0);
        assert!(
            waited >= period && waited < period + Duration::from_millis(2),
            "the second call waits a period: {waited:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn late_callers_never_put_more_than_the_rate_in_a_window() {
        let limiter = LocalLimiter::new(20.0, "rate_limit").unwrap();
        let pacer = &limiter.pacer(&Command::GET_GROUP_MEMBER_INFO);
        let start = Instant::now();
        // 60 callers reserve slots, then all wake late at once (a stalled runtime).
        let slots: Vec<Instant> = (0..60).map(|_| pacer.reserve()).collect();
        tokio::time::sleep(Duration::from_secs(2)).await;
        let mut departures = Vec::new();
        for _ in &slots {
            while let Some(at) = pacer.depart() {
                tokio::time::sleep_until(at).await;
            }
            pacer.ended();
            departures.push(Instant::now());
        }
        for (i, t) in departures.iter().enumerate() {
            let in_window = departures[i..].iter().take_while(|&&u| u < *t + Duration::from_secs(1)).count();
            assert!(in_window <= 20, "{in_window} departures within a second of {:?}", *t - start);
        }
    }

    /// Departure times of `callers` callers that reserved their slots, then all woke 2 s late.
    async fn late_departures(pacer: &Pacer, callers: usize) -> Vec<Instant> {
        for _ in 0..callers {
            pacer.reserve();
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
        let mut departures = Vec::with_capacity(callers);
        for _ in 0..callers {
            while let Some(at) = pacer.depart() {
                tokio::time::sleep_until(at).await;
            }
            pacer.ended();
            departures.push(Instant::now());
        }
        departures
    }

    /// The most departures in any half-open second `[t, t + 1 s)`.
    fn busiest_second(departures: &[Instant]) -> usize {
        let mut lo = 0;
        let mut best = 0;
        for (hi, &t) in departures.iter().enumerate() {
            while departures[lo] + Duration::from_secs(1) <= t {
                lo += 1;
            }
            best = best.max(hi - lo + 1);
        }
        best
    }

    #[tokio::test(start_paused = true)]
    async fn rates_above_the_exact_window_are_still_never_over() {
        for rate in [10_001.0, 25_000.5] {
            let limiter = LocalLimiter::new(rate, "rate_limit").unwrap();
            let pacer = &limiter.pacer(&Command::GET_GROUP_MEMBER_INFO);
            assert!(matches!(pacer.state().departures, Departures::Buckets(..)));
            let departures = late_departures(pacer, 3 * rate as usize).await;
            let busiest = busiest_second(&departures);
            assert!(busiest <= rate as usize, "{busiest} departures within one second at {rate}/s");
            // Counting by buckets costs at most about one bucket's share of the rate.
            assert!(busiest as f64 >= rate * 0.99 - 1.0, "{busiest} at {rate}/s");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_fastest_rate_holds_bounded_state() {
        let limiter = LocalLimiter::new(crate::config::MAX_RATE_LIMIT, "rate_limit").unwrap();
        let pacer = &limiter.pacer(&Command::GET_GROUP_MEMBER_INFO);
        // Three seconds of departures, 100 every 0.3 ms: thousands of buckets' worth of time.
        for _ in 0..10_000 {
            for _ in 0..100 {
                assert!(pacer.depart().is_none());
                pacer.ended();
            }
            tokio::time::advance(Duration::from_micros(300)).await;
        }
        let Departures::Buckets(buckets, total) = &pacer.state().departures else {
            panic!("a billion a second is counted in buckets");
        };
        let most = (WINDOW.as_micros() / BUCKET.as_micros()) as usize + 2;
        assert!(buckets.len() <= most, "{} buckets", buckets.len());
        assert_eq!(*total, buckets.iter().map(|b| b.1).sum::<u64>());
    }

    #[tokio::test(start_paused = true)]
    async fn a_full_bucketed_window_waits_for_its_oldest_bucket() {
        let limiter = LocalLimiter::new(20_000.0, "rate_limit").unwrap();
        let pacer = &limiter.pacer(&Command::GET_GROUP_MEMBER_INFO);
        let start = Instant::now();
        for _ in 0..20_000 {
            assert!(pacer.depart().is_none());
            pacer.ended();
        }
        // The window is full: the next call may leave once the first bucket is out of it.
        assert_eq!(pacer.depart(), Some(start + BUCKET + WINDOW));
    }

    #[tokio::test(start_paused = true)]
    async fn a_request_counts_until_its_attempt_ends_and_a_window_more() {
        let limiter = LocalLimiter::new(3.0, "rate_limit").unwrap();
        let start = Instant::now();
        let held: Vec<Permit> = vec![
            limiter.permit(&Command::GET_GROUP_MEMBER_INFO).await.unwrap(),
            limiter.permit(&Command::GET_GROUP_MEMBER_INFO).await.unwrap(),
            limiter.permit(&Command::GET_GROUP_MEMBER_INFO).await.unwrap(),
        ];
        // Three in flight (a stalled service): however long they take, a fourth waits.
        tokio::time::sleep(Duration::from_secs(5)).await;
        let pacer = &limiter.pacer(&Command::GET_GROUP_MEMBER_INFO);
        assert!(pacer.depart().is_some(), "a full window of requests in flight");
        // They end at 5 s: the service may have received them as late as that, so the
        // fourth leaves a window later.
        drop(held);
        let ended = Instant::now();
        let _fourth = limiter.permit(&Command::GET_GROUP_MEMBER_INFO).await.unwrap();
        assert!(Instant::now() >= ended + WINDOW, "left {:?} after the ends", Instant::now() - ended);
        assert!(Instant::now() < ended + WINDOW + Duration::from_millis(5));
        assert!(start.elapsed() >= Duration::from_secs(6));
    }
}
