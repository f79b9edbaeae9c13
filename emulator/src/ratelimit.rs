//! Per-command rate limiting (GCRA via `governor`, burst equal to the rate), replying 60007.

use std::collections::HashMap;
use std::num::NonZeroU32;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// One limiter per command, rebuilt when the rate changes.
#[derive(Debug)]
pub(crate) struct RateLimits {
    per_sec: Option<NonZeroU32>,
    limiters: HashMap<String, DefaultDirectRateLimiter>,
}

impl RateLimits {
    pub(crate) fn new(per_sec: Option<u32>) -> Self {
        RateLimits { per_sec: per_sec.and_then(NonZeroU32::new), limiters: HashMap::new() }
    }

    /// Sets the rate (`None`/`Some(0)` disables limiting) and forgets past calls.
    pub(crate) fn set(&mut self, per_sec: Option<u32>) {
        *self = RateLimits::new(per_sec);
    }

    /// The current rate, if limiting.
    pub(crate) fn per_sec(&self) -> Option<u32> {
        self.per_sec.map(NonZeroU32::get)
    }

    /// Whether one more call of `command` is allowed now (and counts it).
    pub(crate) fn allow(&mut self, command: &str) -> bool {
        let Some(rate) = self.per_sec else {
            return true;
        };
        self.limiters
            .entry(command.to_owned())
            .or_insert_with(|| RateLimiter::direct(Quota::per_second(rate)))
            .check()
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_equals_rate_and_commands_are_separate() {
        let mut r = RateLimits::new(Some(5));
        assert!((0..5).all(|_| r.allow("a")));
        assert!(!r.allow("a"));
        assert!(r.allow("b"));
        r.set(None);
        assert!((0..100).all(|_| r.allow("a")));
        r.set(Some(0));
        assert_eq!(r.per_sec(), None);
    }
}
