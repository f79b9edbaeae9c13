//! Client-side rate limiting: each endpoint at or under its configured calls per second,
//! across every task and thread sharing the client.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use crate::error::{Error, Result};
use crate::transport::Command;

/// One limiter per endpoint, or none when disabled.
pub(crate) struct RateLimits {
    clock: DefaultClock,
    limiters: Option<[DefaultDirectRateLimiter; 3]>,
}

impl RateLimits {
    /// Evenly spaced calls at `per_second` (burst of one), so that no one-second window of the
    /// service ever sees more than the configured rate.
    pub(crate) fn new(per_second: Option<f64>) -> Result<Self> {
        let clock = DefaultClock::default();
        let Some(rate) = per_second else {
            return Ok(RateLimits { clock, limiters: None });
        };
        let period = Duration::try_from_secs_f64(1.0 / rate)
            .map_err(|_| Error::invalid("rate_limit", "too low"))?;
        let quota = Quota::with_period(period)
            .ok_or_else(|| Error::invalid("rate_limit", "too high"))?
            .allow_burst(NonZeroU32::MIN);
        let make = || RateLimiter::direct_with_clock(quota, clock.clone());
        Ok(RateLimits {
            limiters: Some([make(), make(), make()]),
            clock,
        })
    }

    /// Waits until `command` may be sent. Waiting uses the tokio timer of the calling runtime
    /// (governor's own `until_ready` would start a global timer thread that never ends).
    pub(crate) async fn acquire(&self, command: Command) {
        let Some(limiters) = &self.limiters else { return };
        let limiter = &limiters[command.index()];
        while let Err(not_until) = limiter.check() {
            tokio::time::sleep(not_until.wait_time_from(self.clock.now())).await;
        }
    }
}
