//! Client-side rate limiting: each endpoint at or under its configured calls per second.
//!
//! "Never over" means: at most `rate` requests of one command *sent* in any sliding one-second
//! window, from one client (every clone, task and thread sharing it) — and from a whole fleet
//! when the rate is shared through Redis — for every rate the API accepts
//! ([`MIN_RATE_LIMIT`](crate::config::MIN_RATE_LIMIT)`..=`[`MAX_RATE_LIMIT`](crate::config::MAX_RATE_LIMIT)).
//! Every request sent counts: first attempts, retries and the attempt on the backup domain.
//! A request takes its permit at the wire ([`RateLimits::permit`], called by the transport
//! after the attempt holds its in-flight slot and its UserSig, immediately before sending), so
//! time spent waiting for a stalled service, a slow UserSig provider or a free slot is never
//! spent holding permits that would then go out together.
//!
//! - [`local`]: in-process: absolute slots one period apart, plus a sliding window in which a
//!   request counts from when it leaves until a window after its attempt ended (so the
//!   promise holds at the service, however late a request reaches it).
//! - `shared` (cargo feature `redis`): across every process of a fleet, through Redis — the
//!   GCRA of `gcra` evaluated atomically by a Lua script on the Redis server's clock, with the
//!   state machine of `fallback` for when Redis cannot be reached.
//!
//! A client stacks the limiters its [`Config`] asks for in [`RateLimits`]; a request waits for
//! each in turn: its own process's limit first (never a burst above the rate from one
//! process), then the fleet's.

#[cfg(feature = "redis")]
mod fallback;
#[cfg(feature = "redis")]
mod gcra;
mod local;
/// A throwaway `redis-server` for the tests (shared with the integration tests).
#[cfg(all(test, feature = "redis"))]
#[path = "../../tests/support/redis_server.rs"]
mod redis_server;
#[cfg(feature = "redis")]
mod shared;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use futures::future::BoxFuture;

use crate::command::Command;
use crate::config::Config;
use crate::error::{Error, Result};

/// The most distinct commands one client sends (the typed endpoints' included), and so keeps
/// rate-limit state and stats for: raw calls of more commands than this are refused, so that a
/// caller cannot grow a client's memory without bound.
pub(crate) const MAX_COMMANDS: usize = 512;

/// Per-command state made on first use, for at most [`MAX_COMMANDS`] commands.
pub(crate) struct PerCommand<T> {
    map: Mutex<HashMap<Command, Arc<T>>>,
    make: Box<dyn Fn() -> T + Send + Sync>,
}

impl<T> PerCommand<T> {
    /// State made by `make` for each command, the typed endpoints' made now.
    pub(crate) fn new(make: impl Fn() -> T + Send + Sync + 'static) -> Self {
        let map = Command::TYPED.into_iter().map(|c| (c, Arc::new(make()))).collect();
        PerCommand { map: Mutex::new(map), make: Box::new(make) }
    }

    /// The state of `command`, made now if it has none; refused (field `command`) when this
    /// would track more than [`MAX_COMMANDS`].
    pub(crate) fn get(&self, command: &Command) -> Result<Arc<T>> {
        // Each update is one insert: a panic elsewhere cannot leave the map half done.
        let mut map = self.map.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(state) = map.get(command) {
            return Ok(Arc::clone(state));
        }
        if map.len() >= MAX_COMMANDS {
            return Err(Error::invalid(
                "command",
                format!("this client already rate-limits {MAX_COMMANDS} distinct commands, the most it tracks"),
            ));
        }
        let state = Arc::new((self.make)());
        map.insert(command.clone(), Arc::clone(&state));
        Ok(state)
    }
}

pub(crate) use local::{LocalLimiter, Permit};

/// A source of permits: waits until one call of a command may be sent.
pub(crate) trait Limiter: Send + Sync {
    /// Resolves once `command` may be sent, or with the error that forbids sending it. Waiting
    /// uses the tokio timer of the calling runtime; dropping the future gives up the wait.
    fn acquire<'a>(&'a self, command: &'a Command) -> BoxFuture<'a, Result<()>>;

    /// Makes room for `command`'s state, or refuses it (too many distinct commands).
    fn admit(&self, command: &Command) -> Result<()>;
}

/// The limiters of one client, in the order a request passes them: the local one (which
/// also sees when each request's attempt ends), then the fleet's.
pub(crate) struct RateLimits {
    local: Option<LocalLimiter>,
    layers: Vec<Box<dyn Limiter>>,
    /// The commands this client sends, at most [`MAX_COMMANDS`], limit or not (its stats keep
    /// a cell per command too).
    known: PerCommand<()>,
}

impl RateLimits {
    /// The limiters `config` describes: none when the rate limit is off; else the local one,
    /// followed by the fleet's when a shared rate limit is configured.
    pub(crate) fn new(config: &Config) -> Result<Self> {
        #[allow(unused_mut)]
        let mut layers: Vec<Box<dyn Limiter>> = Vec::new();
        let mut local = None;
        if let Some(rate) = config.rate_limit {
            local = Some(LocalLimiter::new(rate, "rate_limit")?);
            #[cfg(feature = "redis")]
            if let Some(shared) = &config.shared_rate_limit {
                layers.push(Box::new(shared::SharedLimiter::new(config.sdkappid, rate, shared)?));
            }
        }
        Ok(RateLimits { local, layers, known: PerCommand::new(|| ()) })
    }

    /// Waits until one request of `command` may be sent now: every limiter in turn. Call it
    /// immediately before sending, and hold the permit until the attempt ended (answer read,
    /// failed or given up). `None` when no limit is configured.
    pub(crate) async fn permit(&self, command: &Command) -> Result<Option<Permit>> {
        let permit = match &self.local {
            Some(local) => Some(local.permit(command).await?),
            None => None,
        };
        for layer in &self.layers {
            layer.acquire(command).await?;
        }
        Ok(permit)
    }

    /// Makes room for `command` in every limiter, or says why it cannot be sent (more distinct
    /// commands than [`MAX_COMMANDS`], with or without a rate limit). Call it before anything
    /// goes out.
    pub(crate) fn admit(&self, command: &Command) -> Result<()> {
        self.known.get(command)?;
        if let Some(local) = &self.local {
            local.admit(command)?;
        }
        self.layers.iter().try_for_each(|layer| layer.admit(command))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Credentials;

    #[test]
    fn off_means_no_layer_and_on_means_the_local_one() {
        let config = |rate| Config::new(1400000000, Credentials::secret_key("k")).with_rate_limit(rate);
        let off = RateLimits::new(&config(None)).unwrap();
        assert!(off.local.is_none() && off.layers.is_empty());
        let on = RateLimits::new(&config(Some(200.0))).unwrap();
        assert!(on.local.is_some() && on.layers.is_empty());
        assert!(RateLimits::new(&config(Some(f64::INFINITY))).is_err());
    }

    #[test]
    fn distinct_commands_are_bounded_without_a_rate_limit_too() {
        let config = Config::new(1400000000, Credentials::secret_key("k")).with_rate_limit(None);
        let limits = RateLimits::new(&config).unwrap();
        for i in 0..MAX_COMMANDS - Command::TYPED.len() {
            limits.admit(&Command::parse(&format!("svc/c{i}")).unwrap()).unwrap();
        }
        let e = limits.admit(&Command::parse("svc/one_more").unwrap()).unwrap_err();
        assert!(matches!(e, Error::InvalidArgument { ref field, .. } if field == "command"), "{e:?}");
        limits.admit(&Command::GET_GROUP_MEMBER_INFO).unwrap();
    }
}
