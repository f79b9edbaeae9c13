//! The in-process limiter: each endpoint at or under a rate, across every task and thread
//! sharing the client (a governor GCRA limiter per endpoint).

use std::num::NonZeroU32;
use std::time::Duration;

use futures::future::BoxFuture;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use super::Limiter;
use crate::error::{Error, Result};
use crate::transport::Command;

/// One governor limiter per endpoint.
pub(crate) struct LocalLimiter {
    clock: DefaultClock,
    limiters: [DefaultDirectRateLimiter; Command::COUNT],
    per_second: f64,
}

impl LocalLimiter {
    /// Evenly spaced calls at `per_second` (burst of one), so that no one-second window of the
    /// service ever sees more than that rate from this process. `field` names the setting in
    /// the error for a rate too high to express.
    pub(crate) fn new(per_second: f64, field: &str) -> Result<Self> {
        let clock = DefaultClock::default();
        let period = Duration::try_from_secs_f64(1.0 / per_second)
            .map_err(|_| Error::invalid(field, "must be a positive number of calls per second"))?;
        let quota = Quota::with_period(period)
            .ok_or_else(|| Error::invalid(field, "too high"))?
            .allow_burst(NonZeroU32::MIN);
        let make = || RateLimiter::direct_with_clock(quota, clock.clone());
        Ok(LocalLimiter {
            limiters: [make(), make(), make()],
            clock,
            per_second,
        })
    }

    /// The calls per second per endpoint it allows.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn per_second(&self) -> f64 {
        self.per_second
    }

    /// Waits until `command` may be sent. Waiting uses the tokio timer of the calling runtime
    /// (governor's own `until_ready` would start a global timer thread that never ends).
    pub(crate) async fn wait(&self, command: Command) {
        let limiter = &self.limiters[command.index()];
        while let Err(not_until) = limiter.check() {
            tokio::time::sleep(not_until.wait_time_from(self.clock.now())).await;
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
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let e = LocalLimiter::new(bad, "rate_limit").err().unwrap();
            assert!(matches!(e, Error::InvalidArgument { ref field, .. } if field == "rate_limit"), "{bad}: {e:?}");
        }
    }

    #[tokio::test]
    async fn endpoints_have_their_own_budget() {
        let limiter = LocalLimiter::new(10.0, "rate_limit").unwrap();
        // The first call of each endpoint goes at once; the endpoints do not share a budget.
        limiter.acquire(Command::GetGroupMemberInfo).await.unwrap();
        limiter.acquire(Command::GetGroupMutedAccount).await.unwrap();
    }
}
