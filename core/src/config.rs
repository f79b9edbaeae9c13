//! Client configuration: app, credentials, endpoint, timeouts, retries, rate limit.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;

use crate::error::{Error, Result};
use crate::region::{Endpoint, Region};
use crate::usersig::{Clock, SystemClock};

/// The admin identifier used when none is configured.
pub const DEFAULT_IDENTIFIER: &str = "administrator";
/// The documented per-endpoint call rate.
pub const DEFAULT_RATE_LIMIT: f64 = 200.0;
/// Default request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default lifetime of the admin UserSigs the client signs for itself.
pub const DEFAULT_USERSIG_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// Supplies a fresh UserSig on demand (for apps that must not hold the secret key).
/// Called when the client needs a UserSig and again when the service says the one in use is
/// expired or invalid. Return an error message (never containing the UserSig) on failure.
pub trait UserSigProvider: Send + Sync {
    /// A fresh UserSig for the configured admin identifier.
    fn usersig(&self) -> std::result::Result<String, String>;
}

impl<F> UserSigProvider for F
where
    F: Fn() -> std::result::Result<String, String> + Send + Sync,
{
    fn usersig(&self) -> std::result::Result<String, String> {
        self()
    }
}

/// How the client proves it is the app admin.
#[derive(Clone)]
pub enum Credentials {
    /// The console secret key: the client signs, caches and renews its own admin UserSig.
    SecretKey(SecretString),
    /// A pre-signed UserSig, used as is until the service rejects it.
    UserSig(SecretString),
    /// A callback asked for a UserSig when one is needed.
    Provider(Arc<dyn UserSigProvider>),
}

impl Credentials {
    /// Credentials from the console secret key.
    pub fn secret_key(key: impl Into<String>) -> Self {
        Credentials::SecretKey(SecretString::from(key.into()))
    }

    /// Credentials from a pre-signed UserSig.
    pub fn usersig(usersig: impl Into<String>) -> Self {
        Credentials::UserSig(SecretString::from(usersig.into()))
    }

    /// Credentials from a provider callback.
    pub fn provider(provider: impl UserSigProvider + 'static) -> Self {
        Credentials::Provider(Arc::new(provider))
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::SecretKey(_) => f.write_str("SecretKey([redacted])"),
            Credentials::UserSig(_) => f.write_str("UserSig([redacted])"),
            Credentials::Provider(_) => f.write_str("Provider(..)"),
        }
    }
}

/// When and how long to wait before trying a failed call again.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// Wait before the first retry; doubles each time, with jitter.
    pub initial_backoff: Duration,
    /// Longest wait between two attempts.
    pub max_backoff: Duration,
    /// Shortest wait after the service said the call rate is over the limit (60007/60011).
    pub rate_limited_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            rate_limited_backoff: Duration::from_secs(1),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// The wait before retry number `retry` (0-based): exponential, capped, with "equal jitter"
    /// (between half and all of the step) so that many clients do not retry in lock-step.
    pub fn backoff(&self, retry: u32, rate_limited: bool) -> Duration {
        let base = self.initial_backoff.as_secs_f64() * 2f64.powi(retry.min(30) as i32);
        let mut step = base.min(self.max_backoff.as_secs_f64());
        if rate_limited {
            step = step.max(self.rate_limited_backoff.as_secs_f64());
        }
        let jitter: f64 = rand::random::<f64>();
        Duration::from_secs_f64(step / 2.0 + step / 2.0 * jitter)
    }
}

/// Everything a [`crate::Client`] needs. Build with [`Config::new`] and the `with_*` methods, or
/// [`Config::from_env`].
#[derive(Clone)]
#[non_exhaustive]
pub struct Config {
    /// The app's SDKAppID.
    pub sdkappid: u64,
    /// How the client authenticates.
    pub credentials: Credentials,
    /// The app admin account the calls are made as.
    pub identifier: String,
    /// Where requests go.
    pub endpoint: Endpoint,
    /// Limit for one HTTP attempt, from sending to the last byte of the answer.
    pub timeout: Duration,
    /// Retry behaviour.
    pub retry: RetryPolicy,
    /// Client-side calls per second per endpoint; `None` disables the limiter.
    pub rate_limit: Option<f64>,
    /// Lifetime of self-signed admin UserSigs (secret-key credentials only).
    pub usersig_lifetime: Duration,
    /// Where "now" comes from for signing and renewing UserSigs (the system clock; tests pin it).
    pub clock: Arc<dyn Clock>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("sdkappid", &self.sdkappid)
            .field("credentials", &self.credentials)
            .field("identifier", &self.identifier)
            .field("endpoint", &self.endpoint)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("rate_limit", &self.rate_limit)
            .field("usersig_lifetime", &self.usersig_lifetime)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// A configuration with defaults: identifier `administrator`, region China, 10 s timeout,
    /// 3 retries, 200 calls/s per endpoint, 24 h UserSig lifetime.
    pub fn new(sdkappid: u64, credentials: Credentials) -> Self {
        Config {
            sdkappid,
            credentials,
            identifier: DEFAULT_IDENTIFIER.to_owned(),
            endpoint: Endpoint::default(),
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            rate_limit: Some(DEFAULT_RATE_LIMIT),
            usersig_lifetime: DEFAULT_USERSIG_LIFETIME,
            clock: Arc::new(SystemClock),
        }
    }

    /// Sets the clock used to sign and renew UserSigs (tests of expiry and renewal).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Sets the admin identifier.
    pub fn with_identifier(mut self, identifier: impl Into<String>) -> Self {
        self.identifier = identifier.into();
        self
    }

    /// Sends to a documented region.
    pub fn with_region(mut self, region: Region) -> Self {
        self.endpoint = Endpoint::Region(region);
        self
    }

    /// Sends to an explicit base URL (emulator, proxy).
    pub fn with_base_url(mut self, url: &str) -> Result<Self> {
        self.endpoint = Endpoint::base_url(url)?;
        Ok(self)
    }

    /// Sets the endpoint.
    pub fn with_endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// Sets the per-attempt timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sets how many retries follow a failed attempt.
    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.retry.max_retries = max_retries;
        self
    }

    /// Sets the client-side rate limit (calls per second per endpoint); `None` disables it.
    pub fn with_rate_limit(mut self, per_second: Option<f64>) -> Self {
        self.rate_limit = per_second;
        self
    }

    /// Sets the lifetime of self-signed UserSigs.
    pub fn with_usersig_lifetime(mut self, lifetime: Duration) -> Self {
        self.usersig_lifetime = lifetime;
        self
    }

    /// Reads `TIM_SDKAPPID`, `TIM_SECRET_KEY` or `TIM_USERSIG`, `TIM_IDENTIFIER`, `TIM_REGION`,
    /// `TIM_BASE_URL` from the environment.
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Same as [`Config::from_env`] with any variable source (tests, config files).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let get = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let sdkappid_text = get("TIM_SDKAPPID").ok_or_else(|| Error::invalid("TIM_SDKAPPID", "is not set"))?;
        let sdkappid = sdkappid_text
            .parse::<u64>()
            .map_err(|_| Error::invalid("TIM_SDKAPPID", format!("{sdkappid_text:?} is not an unsigned integer")))?;
        let credentials = if let Some(key) = lookup("TIM_SECRET_KEY").filter(|v| !v.is_empty()) {
            Credentials::secret_key(key)
        } else if let Some(sig) = lookup("TIM_USERSIG").filter(|v| !v.is_empty()) {
            Credentials::usersig(sig)
        } else {
            return Err(Error::invalid("TIM_SECRET_KEY", "neither TIM_SECRET_KEY nor TIM_USERSIG is set"));
        };
        let mut config = Config::new(sdkappid, credentials);
        if let Some(identifier) = get("TIM_IDENTIFIER") {
            config.identifier = identifier;
        }
        if let Some(region) = get("TIM_REGION") {
            config.endpoint = Endpoint::Region(region.parse().map_err(|e| match e {
                Error::InvalidArgument { reason, .. } => Error::invalid("TIM_REGION", reason),
                other => other,
            })?);
        }
        if let Some(url) = get("TIM_BASE_URL") {
            config.endpoint = Endpoint::base_url(&url).map_err(|e| match e {
                Error::InvalidArgument { reason, .. } => Error::invalid("TIM_BASE_URL", reason),
                other => other,
            })?;
        }
        Ok(config)
    }

    /// Checks the settings a client cannot work without.
    pub fn validate(&self) -> Result<()> {
        if self.sdkappid == 0 {
            return Err(Error::invalid("sdkappid", "must not be 0"));
        }
        if self.identifier.trim().is_empty() {
            return Err(Error::invalid("identifier", "must not be empty"));
        }
        if self.timeout.is_zero() {
            return Err(Error::invalid("timeout", "must be greater than 0"));
        }
        if let Some(rate) = self.rate_limit {
            if !(rate.is_finite() && rate > 0.0) {
                return Err(Error::invalid("rate_limit", "must be a positive number of calls per second"));
            }
        }
        if self.usersig_lifetime < Duration::from_secs(60) {
            return Err(Error::invalid("usersig_lifetime", "must be at least 60 seconds"));
        }
        match &self.credentials {
            Credentials::SecretKey(k) if secrecy::ExposeSecret::expose_secret(k).is_empty() => {
                Err(Error::invalid("key", "must not be empty"))
            }
            Credentials::UserSig(s) if secrecy::ExposeSecret::expose_secret(s).is_empty() => {
                Err(Error::invalid("usersig", "must not be empty"))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn from_env_reads_everything() {
        let c = Config::from_lookup(env(&[
            ("TIM_SDKAPPID", "1400000000"),
            ("TIM_SECRET_KEY", "k"),
            ("TIM_IDENTIFIER", "admin2"),
            ("TIM_REGION", "tokyo"),
        ]))
        .unwrap();
        assert_eq!(c.sdkappid, 1400000000);
        assert_eq!(c.identifier, "admin2");
        assert_eq!(c.endpoint, Endpoint::Region(Region::Tokyo));
        assert!(matches!(c.credentials, Credentials::SecretKey(_)));
        let c = Config::from_lookup(env(&[
            ("TIM_SDKAPPID", "1"),
            ("TIM_USERSIG", "sig"),
            ("TIM_BASE_URL", "http://127.0.0.1:9"),
        ]))
        .unwrap();
        assert!(matches!(c.credentials, Credentials::UserSig(_)));
        assert!(matches!(c.endpoint, Endpoint::BaseUrl { .. }));
        assert_eq!(c.identifier, DEFAULT_IDENTIFIER);
    }

    #[test]
    fn from_env_errors_name_the_variable() {
        let e = Config::from_lookup(env(&[])).unwrap_err();
        assert!(e.to_string().contains("TIM_SDKAPPID"));
        let e = Config::from_lookup(env(&[("TIM_SDKAPPID", "x"), ("TIM_SECRET_KEY", "k")])).unwrap_err();
        assert!(e.to_string().contains("TIM_SDKAPPID"));
        let e = Config::from_lookup(env(&[("TIM_SDKAPPID", "1")])).unwrap_err();
        assert!(e.to_string().contains("TIM_SECRET_KEY"));
        let e = Config::from_lookup(env(&[("TIM_SDKAPPID", "1"), ("TIM_SECRET_KEY", "k"), ("TIM_REGION", "mars")])).unwrap_err();
        assert!(e.to_string().contains("TIM_REGION"));
    }

    #[test]
    fn debug_redacts_credentials() {
        let c = Config::new(1, Credentials::secret_key("topsecret"));
        assert!(!format!("{c:?}").contains("topsecret"));
        let c = Config::new(1, Credentials::usersig("signed-token"));
        assert!(!format!("{c:?}").contains("signed-token"));
    }

    #[test]
    fn validation() {
        assert!(Config::new(0, Credentials::secret_key("k")).validate().is_err());
        assert!(Config::new(1, Credentials::secret_key("")).validate().is_err());
        assert!(Config::new(1, Credentials::secret_key("k")).with_rate_limit(Some(0.0)).validate().is_err());
        assert!(Config::new(1, Credentials::secret_key("k")).with_identifier(" ").validate().is_err());
        assert!(Config::new(1, Credentials::secret_key("k")).validate().is_ok());
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy::default();
        for retry in 0..10 {
            let d = p.backoff(retry, false);
            assert!(d <= p.max_backoff);
        }
        assert!(p.backoff(0, false) <= Duration::from_millis(100));
        assert!(p.backoff(0, true) >= Duration::from_millis(500));
    }
}
