//! Client-side rate limiting, behind one interface ([`Limiter`]): each endpoint at or under its
//! configured calls per second.
//!
//! - [`local`]: in-process, across every task and thread sharing the client: absolute slots one
//!   period apart plus a sliding one-second window of actual departures.
//! - `shared` (cargo feature `redis`): across every process of a fleet, through Redis — the
//!   GCRA of `gcra` evaluated atomically by a Lua script on the Redis server's clock, with the
//!   state machine of `fallback` for when Redis cannot be reached.
//!
//! A client stacks the limiters its [`Config`] asks for in [`RateLimits`]; a call waits for
//! each in turn: its own process's limit first (never a burst above the rate from one process),
//! then the fleet's.

#[cfg(feature = "redis")]
mod fallback;
#[cfg(feature = "redis")]
mod gcra;
mod local;
#[cfg(feature = "redis")]
mod shared;
/// A throwaway `redis-server` for the tests (shared with the integration tests).
#[cfg(all(test, feature = "redis"))]
#[path = "../../tests/support/redis_server.rs"]
mod redis_server;

use futures::future::BoxFuture;

use crate::config::Config;
use crate::error::Result;
use crate::transport::Command;

pub(crate) use local::LocalLimiter;

/// A source of permits: waits until one call of a command may be sent.
pub(crate) trait Limiter: Send + Sync {
    /// Resolves once `command` may be sent, or with the error that forbids sending it. Waiting
    /// uses the tokio timer of the calling runtime; dropping the future gives up the wait.
    fn acquire(&self, command: Command) -> BoxFuture<'_, Result<()>>;
}

/// The limiters of one client, in the order a call passes them.
pub(crate) struct RateLimits {
    layers: Vec<Box<dyn Limiter>>,
}

impl RateLimits {
    /// The limiters `config` describes: none when the rate limit is off; else the local one,
    /// followed by the fleet's when a shared rate limit is configured.
    pub(crate) fn new(config: &Config) -> Result<Self> {
        let mut layers: Vec<Box<dyn Limiter>> = Vec::new();
        if let Some(rate) = config.rate_limit {
            layers.push(Box::new(LocalLimiter::new(rate, "rate_limit")?));
            #[cfg(feature = "redis")]
            if let Some(shared) = &config.shared_rate_limit {
                layers.push(Box::new(shared::SharedLimiter::new(config.sdkappid, rate, shared)?));
            }
        }
        Ok(RateLimits { layers })
    }

    /// Waits until `command` may be sent: every limiter in turn.
    pub(crate) async fn acquire(&self, command: Command) -> Result<()> {
        for layer in &self.layers {
            layer.acquire(command).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Credentials;

    #[test]
    fn off_means_no_layer_and_on_means_the_local_one() {
        let config = |rate| Config::new(1400000000, Credentials::secret_key("k")).with_rate_limit(rate);
        assert!(RateLimits::new(&config(None)).unwrap().layers.is_empty());
        assert_eq!(RateLimits::new(&config(Some(200.0))).unwrap().layers.len(), 1);
        assert!(RateLimits::new(&config(Some(f64::INFINITY))).is_err());
    }
}
