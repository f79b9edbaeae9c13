//! Client configuration: app, credentials, endpoint, timeouts, retries, rate limit (local, or
//! shared by a fleet through Redis).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, Result};
use crate::region::Endpoint;
use crate::usersig::{Clock, SystemClock};

use serde_json::{json, Map, Value};

use crate::settings::{number, seconds, MAX_TIMEOUT, MIN_USERSIG_LIFETIME, REDACTED, SETTINGS};
pub use crate::settings::{
    RedisFallback, DEFAULT_FLEET_SIZE, DEFAULT_IDENTIFIER, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_MAX_RETRIES, DEFAULT_RATE_LIMIT, DEFAULT_REDIS_FALLBACK, DEFAULT_TIMEOUT, DEFAULT_USERSIG_LIFETIME,
    MAX_MAX_IN_FLIGHT, MAX_MAX_RESPONSE_BYTES, MAX_RATE_LIMIT, MIN_MAX_RESPONSE_BYTES, MIN_RATE_LIMIT,
};
/// The longest a call waits on one Redis operation (a script round trip, or connecting and
/// the round trip) before the shared limiter counts Redis as unreachable.
pub const REDIS_TIMEOUT: Duration = Duration::from_millis(100);
/// While Redis is unreachable, how often one call tries it again.
pub const REDIS_RETRY_INTERVAL: Duration = Duration::from_secs(1);

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

/// The async form of [`UserSigProvider`], for hosts whose callbacks are themselves async
/// (Kotlin coroutines, Swift `async`): the future is awaited on the client's runtime.
pub trait AsyncUserSigProvider: Send + Sync {
    /// A fresh UserSig for the configured admin identifier, or an error message (never
    /// containing the UserSig).
    fn usersig(&self) -> futures::future::BoxFuture<'static, std::result::Result<String, String>>;
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
    /// An async callback asked for a UserSig when one is needed.
    AsyncProvider(Arc<dyn AsyncUserSigProvider>),
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
            Credentials::AsyncProvider(_) => f.write_str("AsyncProvider(..)"),
        }
    }
}

/// The URL of a Redis server (`redis://[user:password@]host[:port][/db]`, or
/// `redis+unix:///path/to/socket[?db=N]`). It may hold a password, so it is kept secret:
/// [`RedisUrl::redacted`] is what logs, errors and `Debug` show.
#[derive(Clone)]
pub struct RedisUrl {
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    url: SecretString,
    redacted: String,
}

impl RedisUrl {
    /// Checks `text` is a Redis URL this build can use. Errors (field `rate_limit_redis_url`)
    /// never repeat the text, which may hold a password.
    pub fn parse(text: &str) -> Result<Self> {
        const FIELD: &str = "rate_limit_redis_url";
        let url = url::Url::parse(text.trim()).map_err(|e| Error::invalid(FIELD, format!("is not a URL ({e})")))?;
        match url.scheme() {
            "redis" | "valkey" => {
                if url.host_str().is_none_or(str::is_empty) {
                    return Err(Error::invalid(FIELD, "has no host (redis://host:port/db)"));
                }
                if url.path().trim_start_matches('/').parse::<i64>().is_err() && url.path().len() > 1 {
                    return Err(Error::invalid(FIELD, "the path must be a database number (redis://host:port/0)"));
                }
            }
            "redis+unix" | "unix" => {
                if url.path().is_empty() {
                    return Err(Error::invalid(FIELD, "has no socket path (redis+unix:///path/to/socket)"));
                }
            }
            "rediss" | "valkeys" => {
                return Err(Error::invalid(
                    FIELD,
                    "TLS (rediss://) is not supported: use redis:// on a trusted network",
                ))
            }
            _ => return Err(Error::invalid(FIELD, "must be a redis:// or redis+unix:// URL")),
        }
        let mut shown = url.clone();
        // Userinfo never leaves this type; `set_*` only fail for URLs without a host (unix).
        let _ = shown.set_password(None);
        let _ = shown.set_username("");
        shown.set_query(None);
        shown.set_fragment(None);
        Ok(RedisUrl { url: SecretString::from(text.trim().to_owned()), redacted: shown.to_string() })
    }

    /// The URL without user name, password or query: safe to log and show.
    pub fn redacted(&self) -> &str {
        &self.redacted
    }

    /// The URL as the effective settings show it: [`RedisUrl::redacted`], with `:***@` before
    /// the host when the URL holds a password.
    pub fn shown(&self) -> String {
        match (url::Url::parse(self.expose()).ok(), url::Url::parse(&self.redacted).ok()) {
            (Some(full), Some(mut shown)) if full.password().is_some_and(|p| !p.is_empty()) => {
                let _ = shown.set_password(Some(crate::settings::REDACTED));
                shown.to_string()
            }
            _ => self.redacted.clone(),
        }
    }

    /// The full URL, password included, for the Redis client only.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn expose(&self) -> &str {
        self.url.expose_secret()
    }

    /// The password in the URL, if any, as written and percent-decoded: the texts to scrub from
    /// anything a driver says.
    #[cfg_attr(not(feature = "redis"), allow(dead_code))]
    pub(crate) fn password(&self) -> Option<(String, String)> {
        let url = url::Url::parse(self.expose()).ok()?;
        let raw = url.password().filter(|p| !p.is_empty())?;
        Some((raw.to_owned(), percent_decode(raw)))
    }
}

/// `%XX` escapes decoded (the URL's userinfo encoding); anything malformed is kept as is.
#[cfg_attr(not(feature = "redis"), allow(dead_code))]
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl fmt::Debug for RedisUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RedisUrl({:?})", self.redacted)
    }
}

/// A rate limit shared by every process of a fleet through one Redis server: each endpoint of
/// the app at or under `rate_limit` calls per second in total, however many processes
/// send them. See the crate's "Running a fleet" documentation in the README.
#[derive(Debug, Clone)]
pub struct SharedRateLimit {
    /// Where the fleet's shared state lives.
    pub redis_url: RedisUrl,
    /// How many processes share the budget; while Redis is unreachable each one falls back to
    /// `rate_limit / fleet_size` (with [`RedisFallback::LocalShare`]). At least 1.
    pub fleet_size: u32,
    /// What to do while Redis is unreachable.
    pub fallback: RedisFallback,
}

impl SharedRateLimit {
    /// A shared limit through the Redis at `redis_url`, with the default fleet size and fallback.
    pub fn new(redis_url: &str) -> Result<Self> {
        Ok(SharedRateLimit {
            redis_url: RedisUrl::parse(redis_url)?,
            fleet_size: DEFAULT_FLEET_SIZE,
            fallback: DEFAULT_REDIS_FALLBACK,
        })
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
            max_retries: DEFAULT_MAX_RETRIES,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(5),
            rate_limited_backoff: Duration::from_secs(1),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..Self::default() }
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

/// Everything a [`crate::Client`] needs: the checked, default-filled settings. Opaque: the only
/// ways to get one are [`crate::ClientOptions::build`] and [`crate::ClientOptions::from_env`],
/// which apply every rule once, so a `Config` is always valid. [`Config::settings`] shows it.
#[derive(Clone)]
pub struct Config {
    /// The app's SDKAppID.
    pub(crate) sdkappid: u64,
    /// How the client authenticates.
    pub(crate) credentials: Credentials,
    /// The app admin account the calls are made as.
    pub(crate) identifier: String,
    /// Where requests go.
    pub(crate) endpoint: Endpoint,
    /// Limit for one HTTP attempt, from sending to the last byte of the answer.
    pub(crate) timeout: Duration,
    /// Retry behaviour.
    pub(crate) retry: RetryPolicy,
    /// Client-side calls per second per endpoint; `None` disables the limiter. With
    /// `shared_rate_limit` this is the budget of the whole fleet.
    pub(crate) rate_limit: Option<f64>,
    /// The rate limit shared by a fleet through Redis; `None` keeps it to this process.
    pub(crate) shared_rate_limit: Option<SharedRateLimit>,
    /// Lifetime of self-signed admin UserSigs (secret-key credentials only).
    pub(crate) usersig_lifetime: Duration,
    /// Where "now" comes from for signing and renewing UserSigs (the system clock; tests pin it).
    pub(crate) clock: Arc<dyn Clock>,
    /// Largest response body read; a larger one fails with [`Error::BodyTooLarge`].
    pub(crate) max_response_bytes: u64,
    /// Allow plain `http://` base URLs to hosts other than loopback.
    pub(crate) allow_insecure_http: bool,
    /// HTTP attempts in flight at once across every task and thread sharing the client.
    pub(crate) max_in_flight: u32,
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
            .field("shared_rate_limit", &self.shared_rate_limit)
            .field("usersig_lifetime", &self.usersig_lifetime)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("max_in_flight", &self.max_in_flight)
            .finish_non_exhaustive()
    }
}

impl Config {
    /// A configuration with defaults: identifier `administrator`, region China, 10 s timeout,
    /// 3 retries, 200 calls/s per endpoint, 24 h UserSig lifetime.
    pub(crate) fn new(sdkappid: u64, credentials: Credentials) -> Self {
        Config {
            sdkappid,
            credentials,
            identifier: DEFAULT_IDENTIFIER.to_owned(),
            endpoint: Endpoint::default(),
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            rate_limit: Some(DEFAULT_RATE_LIMIT),
            shared_rate_limit: None,
            usersig_lifetime: DEFAULT_USERSIG_LIFETIME,
            clock: Arc::new(SystemClock),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            allow_insecure_http: false,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
        }
    }

    /// Sets the clock used to sign and renew UserSigs (tests of expiry and renewal).
    #[cfg(test)]
    pub(crate) fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Sets the admin identifier.
    #[cfg(test)]
    pub(crate) fn with_identifier(mut self, identifier: impl Into<String>) -> Self {
        self.identifier = identifier.into();
        self
    }

    /// Sends to an explicit base URL (emulator, proxy).
    #[cfg(test)]
    pub(crate) fn with_base_url(mut self, url: &str) -> Result<Self> {
        self.endpoint = Endpoint::base_url(url)?;
        Ok(self)
    }

    /// Sets the endpoint.
    #[cfg(test)]
    pub(crate) fn with_endpoint(mut self, endpoint: Endpoint) -> Self {
        self.endpoint = endpoint;
        self
    }

    /// Sets the per-attempt timeout.
    #[cfg(test)]
    pub(crate) fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the client-side rate limit (calls per second per endpoint); `None` disables it.
    #[cfg(test)]
    pub(crate) fn with_rate_limit(mut self, per_second: Option<f64>) -> Self {
        self.rate_limit = per_second;
        self
    }

    /// Shares the rate limit with every process configured with the same Redis and SDKAppID
    /// (`None`: this process only). Needs the crate's `redis` feature.
    #[cfg(test)]
    pub(crate) fn with_shared_rate_limit(mut self, shared: Option<SharedRateLimit>) -> Self {
        self.shared_rate_limit = shared;
        self
    }

    /// Sets the lifetime of self-signed UserSigs.
    #[cfg(test)]
    pub(crate) fn with_usersig_lifetime(mut self, lifetime: Duration) -> Self {
        self.usersig_lifetime = lifetime;
        self
    }

    /// Sets the largest response body read (see [`Config::max_response_bytes`]).
    #[cfg(test)]
    pub(crate) fn with_max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Allows plain `http://` base URLs to non-loopback hosts (see
    /// [`Config::allow_insecure_http`]). Only for a trusted network path.
    #[cfg(test)]
    pub(crate) fn with_allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Sets how many HTTP attempts may be in flight at once (see [`Config::max_in_flight`]).
    #[cfg(test)]
    pub(crate) fn with_max_in_flight(mut self, calls: u32) -> Self {
        self.max_in_flight = calls;
        self
    }

    /// Checks every setting: the rules of [`crate::settings`], applied once, by
    /// [`crate::ClientOptions::build`].
    pub(crate) fn validate(&self) -> Result<()> {
        check(self)
    }

    /// The app's SDKAppID.
    pub fn sdkappid(&self) -> u64 {
        self.sdkappid
    }

    /// The admin identifier calls are made as.
    pub fn identifier(&self) -> &str {
        &self.identifier
    }

    /// The settings this configuration runs with, as one JSON object keyed by the core's
    /// setting names; secrets shown as `"***"` (see [`crate::settings`] for the format).
    pub fn settings(&self) -> serde_json::Value {
        effective(self)
    }

    /// [`Config::settings`] as JSON text.
    pub fn settings_json(&self) -> String {
        self.settings().to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Rules (from the settings table)

/// Checks every setting of `config` (the one place the rules are applied; see the
/// [`crate::options`] documentation for the list). Errors name the setting.
pub(crate) fn check(config: &Config) -> Result<()> {
    crate::validate::sdkappid(config.sdkappid)?;
    crate::validate::identifier("identifier", &config.identifier)?;
    config.endpoint.check_transport_security(config.allow_insecure_http)?;
    if config.timeout.is_zero() || config.timeout > MAX_TIMEOUT {
        return Err(Error::invalid(
            "timeout",
            format!(
                "{} s is not above 0 and at most {} s (a day)",
                config.timeout.as_secs_f64(),
                MAX_TIMEOUT.as_secs()
            ),
        ));
    }
    if let Some(rate) = config.rate_limit {
        if !(rate.is_finite() && rate > 0.0) {
            return Err(Error::invalid("rate_limit", "must be a positive number of calls per second"));
        }
        if !(MIN_RATE_LIMIT..=MAX_RATE_LIMIT).contains(&rate) {
            return Err(Error::invalid(
                "rate_limit",
                format!("{rate} calls per second is outside {MIN_RATE_LIMIT}..={MAX_RATE_LIMIT} (one a day to a billion a second)"),
            ));
        }
    }
    if config.usersig_lifetime < MIN_USERSIG_LIFETIME {
        return Err(Error::invalid(
            "usersig_lifetime",
            format!("must be at least {} seconds", MIN_USERSIG_LIFETIME.as_secs()),
        ));
    }
    if !(MIN_MAX_RESPONSE_BYTES..=MAX_MAX_RESPONSE_BYTES).contains(&config.max_response_bytes) {
        return Err(Error::invalid(
            "max_response_bytes",
            format!("{} is not in {MIN_MAX_RESPONSE_BYTES}..={MAX_MAX_RESPONSE_BYTES}", config.max_response_bytes),
        ));
    }
    if !(1..=MAX_MAX_IN_FLIGHT).contains(&config.max_in_flight) {
        return Err(Error::invalid(
            "max_in_flight",
            format!("{} is not in 1..={MAX_MAX_IN_FLIGHT}", config.max_in_flight),
        ));
    }
    if let Some(shared) = &config.shared_rate_limit {
        if !cfg!(feature = "redis") {
            return Err(Error::invalid(
                "rate_limit_redis_url",
                "this build of timadmin has no Redis support (the `redis` cargo feature)",
            ));
        }
        if config.rate_limit.is_none() {
            return Err(Error::invalid(
                "rate_limit_redis_url",
                "a shared rate limit needs a rate: rate_limit must not be off",
            ));
        }
        if shared.fleet_size == 0 {
            return Err(Error::invalid("fleet_size", "must be at least 1"));
        }
    }
    use secrecy::ExposeSecret;
    match &config.credentials {
        Credentials::SecretKey(k) if k.expose_secret().is_empty() => {
            Err(Error::invalid("secret_key", "must not be empty"))
        }
        Credentials::UserSig(s) if s.expose_secret().is_empty() => Err(Error::invalid("usersig", "must not be empty")),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// Effective settings

/// A URL with any password replaced by [`REDACTED`].
fn without_password(url: &url::Url) -> String {
    let mut shown = url.clone();
    if shown.password().is_some() {
        let _ = shown.set_password(Some(REDACTED));
    }
    shown.to_string()
}

/// The effective settings of `config` as JSON (see the module documentation).
pub(crate) fn effective(config: &Config) -> Value {
    let mut out = Map::new();
    let credential = |present: bool| if present { json!(REDACTED) } else { Value::Null };
    let (region, base_url) = match &config.endpoint {
        Endpoint::Region(r) => (json!(r.name()), Value::Null),
        Endpoint::BaseUrl { primary, .. } => (Value::Null, json!(without_password(primary))),
    };
    let shared = config.shared_rate_limit.as_ref();
    for s in SETTINGS {
        let value = match s.name {
            "sdkappid" => json!(config.sdkappid),
            "secret_key" => credential(matches!(config.credentials, Credentials::SecretKey(_))),
            "usersig" => credential(matches!(config.credentials, Credentials::UserSig(_))),
            "usersig_provider" => credential(matches!(config.credentials, Credentials::Provider(_))),
            "async_usersig_provider" => credential(matches!(config.credentials, Credentials::AsyncProvider(_))),
            "identifier" => json!(config.identifier),
            "region" => region.clone(),
            "base_url" => base_url.clone(),
            "timeout" => seconds(config.timeout),
            "max_retries" => json!(config.retry.max_retries),
            "rate_limit" => config.rate_limit.map_or(Value::Null, number),
            "usersig_lifetime" => seconds(config.usersig_lifetime),
            "max_response_bytes" => json!(config.max_response_bytes),
            "allow_insecure_http" => json!(config.allow_insecure_http),
            "max_in_flight" => json!(config.max_in_flight),
            "rate_limit_redis_url" => shared.map_or(Value::Null, |s| json!(s.redis_url.shown())),
            "fleet_size" => shared.map_or(Value::Null, |s| json!(s.fleet_size)),
            "redis_fallback" => shared.map_or(Value::Null, |s| json!(s.fallback.as_str())),
            // A setting added to the table without a line here shows up as null and fails the
            // test below and the vectors.
            _ => Value::Null,
        };
        out.insert(s.name.to_owned(), value);
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        // Found by the C ABI's property test: a tiny positive rate made the limiter's period
        // overflow Duration (a panic); it is refused now.
        for rate in [1e-300, f64::MIN_POSITIVE, 1e-6, 1e10] {
            assert!(
                Config::new(1, Credentials::secret_key("k")).with_rate_limit(Some(rate)).validate().is_err(),
                "{rate}"
            );
        }
        assert!(Config::new(1, Credentials::secret_key("k")).with_rate_limit(Some(MIN_RATE_LIMIT)).validate().is_ok());
        assert!(Config::new(1, Credentials::secret_key("k")).with_identifier(" ").validate().is_err());
        assert!(Config::new(1, Credentials::secret_key("k")).validate().is_ok());
    }

    fn field_of(config: Config) -> String {
        match config.validate() {
            Err(Error::InvalidArgument { field, .. }) => field,
            other => panic!("expected InvalidArgument, got {other:?}"),
        }
    }

    #[test]
    fn the_direct_path_has_the_same_rules() {
        let c = || Config::new(1400000000, Credentials::secret_key("k"));
        // 32-bit SDKAppIDs, as ClientOptions::build says.
        assert_eq!(field_of(Config::new(4294967296, Credentials::secret_key("k"))), "sdkappid");
        assert!(Config::new(4294967295, Credentials::secret_key("k")).validate().is_ok());
        // Identifiers: no control characters, at most 32 bytes.
        for bad in ["admin\n", "ad\0min", "\u{7f}x", &"a".repeat(33)] {
            assert_eq!(field_of(c().with_identifier(bad)), "identifier", "{bad:?}");
        }
        assert!(c().with_identifier("a".repeat(32)).validate().is_ok());
        // Body cap and in-flight cap ranges.
        assert_eq!(field_of(c().with_max_response_bytes(1023)), "max_response_bytes");
        assert_eq!(field_of(c().with_max_response_bytes(MAX_MAX_RESPONSE_BYTES + 1)), "max_response_bytes");
        assert!(c().with_max_response_bytes(1024).validate().is_ok());
        assert_eq!(field_of(c().with_max_in_flight(0)), "max_in_flight");
        assert_eq!(field_of(c().with_max_in_flight(MAX_MAX_IN_FLIGHT + 1)), "max_in_flight");
        assert!(c().with_max_in_flight(1).validate().is_ok());
    }

    #[test]
    fn clear_text_http_only_to_loopback_unless_allowed() {
        let c = |url: &str| Config::new(1400000000, Credentials::secret_key("k")).with_base_url(url).unwrap();
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.8.9.10",
            "http://localhost:1",
            "http://LOCALHOST",
            "http://[::1]:80/prefix/",
            "http://[::ffff:127.0.0.1]:9",
            "https://203.0.113.7",
            "https://example.com",
        ] {
            assert!(c(ok).validate().is_ok(), "{ok}");
        }
        for bad in [
            "http://203.0.113.7",
            "http://10.0.0.1:8080",
            "http://example.com",
            "http://[2001:db8::1]",
            "http://0.0.0.0:1",
        ] {
            let e = c(bad).validate().unwrap_err();
            assert!(
                matches!(&e, Error::InvalidArgument { field, reason } if field == "base_url" && reason.contains("allow_insecure_http")),
                "{bad}: {e}"
            );
            assert!(c(bad).with_allow_insecure_http(true).validate().is_ok(), "{bad}");
        }
        // A backup URL is held to the same rule.
        let e = Config::new(1, Credentials::secret_key("k"))
            .with_endpoint(Endpoint::base_urls("http://127.0.0.1:1", "http://10.0.0.1:1").unwrap())
            .validate()
            .unwrap_err();
        assert!(matches!(e, Error::InvalidArgument { ref field, .. } if field == "base_url"), "{e}");
    }

    #[test]
    fn redis_urls_are_checked_and_never_shown() {
        let url = RedisUrl::parse("redis://ops:s3cr%40t@10.0.0.7:6380/2?protocol=resp3").unwrap();
        assert_eq!(url.redacted(), "redis://10.0.0.7:6380/2");
        assert_eq!(url.password(), Some(("s3cr%40t".to_owned(), "s3cr@t".to_owned())));
        assert!(!format!("{url:?}").contains("s3cr"));
        let shared = SharedRateLimit::new("redis://:pw-123@127.0.0.1/0").unwrap();
        let c = Config::new(1, Credentials::secret_key("k")).with_shared_rate_limit(Some(shared));
        assert!(!format!("{c:?}").contains("pw-123"), "{c:?}");
        assert_eq!(RedisUrl::parse("redis+unix:///run/redis.sock").unwrap().redacted(), "redis+unix:///run/redis.sock");
        assert_eq!(RedisUrl::parse("redis://127.0.0.1:6379").unwrap().password(), None);
        for bad in ["", "127.0.0.1:6379", "http://h", "rediss://:pw-123@h", "redis://:pw-123@h/x", "redis:///0"] {
            let e = RedisUrl::parse(bad).unwrap_err();
            assert!(matches!(e, Error::InvalidArgument { ref field, .. } if field == "rate_limit_redis_url"), "{bad}");
            assert!(!e.to_string().contains("pw-123"), "{e}");
        }
    }

    #[test]
    fn redis_fallback_names() {
        for f in [RedisFallback::LocalShare, RedisFallback::Fail] {
            assert_eq!(f.as_str().parse::<RedisFallback>().unwrap(), f);
        }
        assert_eq!("LOCAL_SHARE".parse::<RedisFallback>().unwrap(), RedisFallback::LocalShare);
        assert!("off".parse::<RedisFallback>().is_err());
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
