//! The client's configuration as a UniFFI record (`ClientOptions`): the core's `ClientOptions`
//! field for field, every setting optional, so that Kotlin and Swift get exactly the rules and
//! defaults of every other host. And the `UserSigProvider` an app implements to hand the client
//! UserSigs from its own back end: a mobile app must never hold the secret key.

use std::sync::Arc;
use std::time::Duration;

use crate::error::TimAdminError;

/// Supplies admin UserSigs on demand, implemented in Kotlin (a `suspend fun`) or Swift (an
/// `async throws` method). This is *the* way for apps: fetch the UserSig from your own back end,
/// which holds the secret key; never ship the key in an app.
///
/// timadmin asks when it first needs a UserSig, again at three quarters of the token's life
/// (when the token can be read), and again when the service says the one in use is expired or
/// invalid. Calls are made one at a time per client. Throw `TimAdminException.Credentials`
/// (Kotlin) / `TimAdminError.Credentials` (Swift) to report a failure; the message must not
/// contain a UserSig. An answer slower than the client's timeout fails the call.
#[uniffi::export(with_foreign)]
#[async_trait::async_trait]
pub trait UserSigProvider: Send + Sync {
    /// A fresh UserSig for the client's admin identifier.
    async fn usersig(&self) -> Result<String, TimAdminError>;
}

/// Adapts an app's provider to the core's async provider interface.
struct ProviderAdapter(Arc<dyn UserSigProvider>);

impl timadmin::AsyncUserSigProvider for ProviderAdapter {
    fn usersig(&self) -> futures::future::BoxFuture<'static, Result<String, String>> {
        let provider = Arc::clone(&self.0);
        Box::pin(async move { provider.usersig().await.map_err(|e| e.to_string()) })
    }
}

/// The client-side rate limit.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Enum)]
pub enum RateLimit {
    /// At most this many calls per second per endpoint.
    PerSecond {
        /// Calls per second (positive).
        calls: f64,
    },
    /// No client-side limit (the service still enforces its own).
    Off,
}

/// What calls do while the Redis behind a shared rate limit (`rateLimitRedisUrl`) cannot be
/// reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum RedisFallback {
    /// Each process keeps each endpoint under `rateLimit / fleetSize` on its own (the default).
    LocalShare,
    /// Calls fail with `RateLimiterUnavailable` (nothing is sent) until Redis answers again.
    Fail,
}

/// How to build a `TimAdminClient`: one field per setting of the core's settings table (its
/// names in camelCase; `usersigProvider` is the core's `async_usersig_provider`). Set `sdkappid`
/// and exactly one of `secretKey`, `usersig` or `usersigProvider` (apps: the provider);
/// everything else is optional and takes the core's default when unset: identifier
/// `administrator`, region China, 10 s timeout per attempt, 3 retries, 200 calls/s per endpoint,
/// 24 h lifetime for self-signed UserSigs, 4 MiB response bodies, 64 calls in flight, clear-text
/// HTTP only to loopback, no shared rate limit (fleet size 1 and the `LocalShare` fallback when
/// one is set). `settingsJson()` shows what a client made of them.
#[derive(uniffi::Record)]
pub struct ClientOptions {
    /// The app's SDKAppID (1..=4294967295); required (`null` is refused as `sdkappid`).
    pub sdkappid: Option<u64>,
    /// The console secret key (servers and tools only, never in an app).
    #[uniffi(default)]
    pub secret_key: Option<String>,
    /// A pre-signed admin UserSig, used until the service rejects it.
    #[uniffi(default)]
    pub usersig: Option<String>,
    /// Asked for UserSigs on demand (see `UserSigProvider`).
    #[uniffi(default)]
    pub usersig_provider: Option<Arc<dyn UserSigProvider>>,
    /// The app admin account calls are made as.
    #[uniffi(default)]
    pub identifier: Option<String>,
    /// A documented region: `china`, `singapore`, `seoul`, `frankfurt`, `mumbai`,
    /// `silicon-valley`, `jakarta`, `tokyo` (or an alias such as `sgp`). Not with `baseUrl`.
    #[uniffi(default)]
    pub region: Option<String>,
    /// An explicit base URL (emulator, proxy) instead of a region. Not with `region`.
    #[uniffi(default)]
    pub base_url: Option<String>,
    /// Limit for one HTTP attempt (above zero).
    #[uniffi(default)]
    pub timeout: Option<Duration>,
    /// Retries after a failed attempt (0 disables retrying).
    #[uniffi(default)]
    pub max_retries: Option<u32>,
    /// Client-side rate limit per endpoint.
    #[uniffi(default)]
    pub rate_limit: Option<RateLimit>,
    /// Lifetime of self-signed admin UserSigs (at least 60 s; secret-key credentials only).
    #[uniffi(default)]
    pub usersig_lifetime: Option<Duration>,
    /// Largest response body read, in bytes (default 4 MiB); a larger answer fails with
    /// `BodyTooLarge`.
    #[uniffi(default)]
    pub max_response_bytes: Option<u64>,
    /// `true` allows a plain `http://` `baseUrl` to a host other than loopback (127.0.0.0/8,
    /// ::1, localhost), sending the UserSig in clear text. Off by default.
    #[uniffi(default)]
    pub allow_insecure_http: Option<bool>,
    /// HTTP attempts in flight at once for this client (default 64); more calls wait.
    #[uniffi(default)]
    pub max_in_flight: Option<u32>,
    /// Share `rateLimit` (the whole fleet's budget) with every process of the app using this
    /// Redis: `redis://[:password@]host:port/db`. Never shown in errors or logs. Back-end tools
    /// and servers; an app on a phone has no business reaching a Redis.
    #[uniffi(default)]
    pub rate_limit_redis_url: Option<String>,
    /// How many processes share the budget (at least 1): while Redis is unreachable each keeps
    /// to `rateLimit / fleetSize` per endpoint (with `RedisFallback.LocalShare`).
    #[uniffi(default)]
    pub fleet_size: Option<u32>,
    /// What calls do while Redis is unreachable.
    #[uniffi(default)]
    pub redis_fallback: Option<RedisFallback>,
}

impl ClientOptions {
    /// The core's options, field for field; the core checks them.
    pub(crate) fn into_options(self) -> timadmin::ClientOptions {
        timadmin::ClientOptions {
            sdkappid: self.sdkappid,
            secret_key: self.secret_key,
            usersig: self.usersig,
            async_usersig_provider: self
                .usersig_provider
                .map(|p| Arc::new(ProviderAdapter(p)) as Arc<dyn timadmin::AsyncUserSigProvider>),
            identifier: self.identifier,
            region: self.region,
            base_url: self.base_url,
            timeout: self.timeout,
            max_retries: self.max_retries,
            rate_limit: self.rate_limit.map(|r| match r {
                RateLimit::PerSecond { calls } => timadmin::RateLimit::PerSecond(calls),
                RateLimit::Off => timadmin::RateLimit::Off,
            }),
            usersig_lifetime: self.usersig_lifetime,
            max_response_bytes: self.max_response_bytes,
            allow_insecure_http: self.allow_insecure_http,
            max_in_flight: self.max_in_flight,
            rate_limit_redis_url: self.rate_limit_redis_url,
            fleet_size: self.fleet_size,
            redis_fallback: self.redis_fallback.map(|f| match f {
                RedisFallback::LocalShare => timadmin::RedisFallback::LocalShare,
                RedisFallback::Fail => timadmin::RedisFallback::Fail,
            }),
            ..timadmin::ClientOptions::default()
        }
    }
}

impl std::fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientOptions")
            .field("sdkappid", &self.sdkappid)
            .field("identifier", &self.identifier)
            .field("region", &self.region)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}
