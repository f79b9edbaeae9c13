//! Per-command rate limiting as the service counts: at most `rate` calls of a command accepted
//! in any sliding one-second window; a call beyond that is answered 60007 and not counted.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// The window the service counts calls in.
const WINDOW: Duration = Duration::from_secs(1);

/// The accepted calls of the last second, per command.
#[derive(Debug)]
pub(crate) struct RateLimits {
    per_sec: Option<u32>,
    accepted: HashMap<String, VecDeque<Instant>>,
}

impl RateLimits {
    pub(crate) fn new(per_sec: Option<u32>) -> Self {
        RateLimits { per_sec: per_sec.filter(|&n| n > 0), accepted: HashMap::new() }
    }

    /// Sets the rate (`None`/`Some(0)` disables limiting) and forgets past calls.
    pub(crate) fn set(&mut self, per_sec: Option<u32>) {
        *self = RateLimits::new(per_sec);
    }

    /// The current rate, if limiting.
    pub(crate) fn per_sec(&self) -> Option<u32> {
        self.per_sec
    }

    /// Whether one more call of `command` is allowed now (and counts it when it is).
    pub(crate) fn allow(&mut self, command: &str) -> bool {
        self.allow_at(command, Instant::now())
    }

    fn allow_at(&mut self, command: &str, now: Instant) -> bool {
        let Some(rate) = self.per_sec else {
            return true;
        };
        let accepted = self.accepted.entry(command.to_owned()).or_default();
        while accepted.front().is_some_and(|&t| t + WINDOW <= now) {
            accepted.pop_front();
        }
        if accepted.len() >= rate as usize {
            return false;
        }
        accepted.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_the_rate_in_any_sliding_second_and_commands_are_separate() {
        let mut r = RateLimits::new(Some(5));
        let t0 = Instant::now();
        let ms = |n: u64| t0 + Duration::from_millis(n);
        // Five spread over the first 800 ms, then nothing more until the first leaves the window.
        for i in 0..5 {
            assert!(r.allow_at("a", ms(i * 200)));
        }
        assert!(!r.allow_at("a", ms(900)));
        assert!(!r.allow_at("a", ms(999)));
        assert!(r.allow_at("b", ms(999)));
        // At 1000 ms the call of 0 ms has left; only one slot opened.
        assert!(r.allow_at("a", ms(1000)));
        assert!(!r.allow_at("a", ms(1100)));
        assert!(r.allow_at("a", ms(1200)));
        // An idle second banks nothing beyond the rate (no 2x burst).
        let later = ms(10_000);
        assert_eq!((0..20).filter(|_| r.allow_at("a", later)).count(), 5);
        r.set(None);
        assert!((0..100).all(|_| r.allow("a")));
        r.set(Some(0));
        assert_eq!(r.per_sec(), None);
    }
}
