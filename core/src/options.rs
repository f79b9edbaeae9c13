//! The one front door for configuration: every host (Python, C, the CLI, Kotlin/Swift, the
//! `TIM_*` environment) fills a [`ClientOptions`] from its own arguments and calls
//! [`ClientOptions::build`] (or [`ClientOptions::from_env`]), which holds every rule and every
//! default, so that a setting means the same thing and is refused for the same reason
//! everywhere. They are the only ways to get a [`Config`] (opaque, so always valid); the
//! settings themselves are declared in [`crate::settings`].
//!
//! The rules, once:
//! - `sdkappid` is required and must be a 32-bit SDKAppID (1..=4294967295).
//! - Exactly one credential: `secret_key`, `usersig`, `usersig_provider` or
//!   `async_usersig_provider`. An empty key or UserSig is refused.
//! - At most one of `region` and `base_url` (neither: [`DEFAULT_REGION`]). Giving both is an
//!   error, never a silent choice.
//! - `identifier` defaults to [`DEFAULT_IDENTIFIER`] and must not be blank; `timeout` must be
//!   above zero; `rate_limit` is a number of calls per second in
//!   [`MIN_RATE_LIMIT`]`..=`[`MAX_RATE_LIMIT`] or [`RateLimit::Off`];
//!   `usersig_lifetime` is at least 60 s.
//! - `max_response_bytes` (default [`DEFAULT_MAX_RESPONSE_BYTES`]) is in
//!   [`MIN_MAX_RESPONSE_BYTES`]`..=`[`MAX_MAX_RESPONSE_BYTES`]; `max_in_flight` (default
//!   [`DEFAULT_MAX_IN_FLIGHT`]) in `1..=`[`MAX_MAX_IN_FLIGHT`].
//! - A plain `http://` base URL must name a loopback host (127.0.0.0/8, `::1`, `localhost`)
//!   unless `allow_insecure_http` is set: requests carry the UserSig in their URL.
//! - Identifiers have no control characters and at most 32 bytes
//!   ([`crate::validate::MAX_IDENTIFIER_BYTES`]).
//! - `rate_limit_redis_url` shares `rate_limit` with every process using the same Redis and
//!   SDKAppID (a `redis://` or `redis+unix://` URL; needs the `redis` cargo feature and a rate
//!   limit that is not off). With it, `fleet_size` (at least 1, default [`DEFAULT_FLEET_SIZE`])
//!   and `redis_fallback` (default [`DEFAULT_REDIS_FALLBACK`]) say what happens while Redis is
//!   unreachable; without it they are ignored, so a fleet can turn sharing off by leaving the
//!   URL out. Errors never repeat the URL, which may hold a password.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::config::{
    AsyncUserSigProvider, Config, Credentials, RedisUrl, RetryPolicy, SharedRateLimit, UserSigProvider,
};
use crate::error::{Error, Result};
use crate::region::Endpoint;

pub use crate::config::{REDIS_RETRY_INTERVAL, REDIS_TIMEOUT};
pub use crate::paging::DEFAULT_PAGE_SIZE;
pub use crate::settings::{RateLimit, RedisFallback};
pub use crate::settings::{
    DEFAULT_FLEET_SIZE, DEFAULT_IDENTIFIER, DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_RETRIES,
    DEFAULT_RATE_LIMIT, DEFAULT_REDIS_FALLBACK, DEFAULT_REGION, DEFAULT_TIMEOUT, DEFAULT_USERSIG_LIFETIME,
    MAX_MAX_IN_FLIGHT, MAX_MAX_RESPONSE_BYTES, MAX_RATE_LIMIT, MAX_SDKAPPID, MAX_TIMEOUT, MIN_MAX_RESPONSE_BYTES,
    MIN_RATE_LIMIT, MIN_USERSIG_LIFETIME,
};

/// Every client setting, each optional. Unset settings take the defaults named in the
/// [module documentation](self); [`ClientOptions::build`] checks them all and returns the
/// [`Config`] a client is made from. Makes no network call.
#[derive(Clone, Default)]
pub struct ClientOptions {
    /// The app's SDKAppID (required).
    pub sdkappid: Option<u64>,
    /// The console secret key: the client signs, caches and renews its own admin UserSig.
    pub secret_key: Option<String>,
    /// A pre-signed admin UserSig, used as is until the service rejects it.
    pub usersig: Option<String>,
    /// A blocking callback asked for a UserSig when one is needed (run off the async workers).
    pub usersig_provider: Option<Arc<dyn UserSigProvider>>,
    /// An async callback asked for a UserSig when one is needed.
    pub async_usersig_provider: Option<Arc<dyn AsyncUserSigProvider>>,
    /// The app admin account calls are made as.
    pub identifier: Option<String>,
    /// A documented region by name or alias (`singapore`, `sgp`, ...).
    pub region: Option<String>,
    /// An explicit base URL (emulator, proxy) instead of a region.
    pub base_url: Option<String>,
    /// Limit for one HTTP attempt.
    pub timeout: Option<Duration>,
    /// Retries after a failed attempt (0 disables retrying).
    pub max_retries: Option<u32>,
    /// Client-side calls per second per endpoint (the whole fleet's, with a Redis URL).
    pub rate_limit: Option<RateLimit>,
    /// Lifetime of self-signed admin UserSigs (secret-key credentials only).
    pub usersig_lifetime: Option<Duration>,
    /// Largest response body read, in bytes; a larger answer fails with
    /// [`Error::BodyTooLarge`] (default [`DEFAULT_MAX_RESPONSE_BYTES`]).
    pub max_response_bytes: Option<u64>,
    /// `Some(true)` allows a plain `http://` base URL to a non-loopback host, sending the
    /// UserSig in clear text. Default off.
    pub allow_insecure_http: Option<bool>,
    /// HTTP attempts in flight at once per client; more calls queue (default
    /// [`DEFAULT_MAX_IN_FLIGHT`]).
    pub max_in_flight: Option<u32>,
    /// A Redis server through which every process of a fleet shares `rate_limit`
    /// (`redis://[:password@]host:port/db`). Secret: never shown.
    pub rate_limit_redis_url: Option<String>,
    /// How many processes share the budget: while Redis is unreachable each falls back to
    /// `rate_limit / fleet_size` per endpoint.
    pub fleet_size: Option<u32>,
    /// What calls do while Redis is unreachable: fall back to the local share, or fail.
    pub redis_fallback: Option<RedisFallback>,
}

impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set = |o: bool| if o { "[redacted]" } else { "None" };
        f.debug_struct("ClientOptions")
            .field("sdkappid", &self.sdkappid)
            .field("secret_key", &set(self.secret_key.is_some()))
            .field("usersig", &set(self.usersig.is_some()))
            .field("usersig_provider", &self.usersig_provider.is_some())
            .field("async_usersig_provider", &self.async_usersig_provider.is_some())
            .field("identifier", &self.identifier)
            .field("region", &self.region)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("rate_limit", &self.rate_limit)
            .field("usersig_lifetime", &self.usersig_lifetime)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("max_in_flight", &self.max_in_flight)
            .field("rate_limit_redis_url", &self.rate_limit_redis_url.as_deref().map(redacted_url))
            .field("fleet_size", &self.fleet_size)
            .field("redis_fallback", &self.redis_fallback)
            .finish()
    }
}

/// What the crate's own integration tests set beyond the settings: a pinned clock, a retry
/// policy with short waits, a backup base URL (failover tests). No host exposes them; they are
/// not part of the API and may change at any time.
#[doc(hidden)]
#[derive(Clone, Default)]
pub struct TestHooks {
    /// Where "now" comes from for signing and renewing UserSigs.
    pub clock: Option<Arc<dyn crate::usersig::Clock>>,
    /// The retry policy (`max_retries` still wins when set).
    pub retry: Option<RetryPolicy>,
    /// A backup base URL beside `base_url`, tried when the primary cannot be reached.
    pub backup_base_url: Option<String>,
}

/// The names of the credential settings, for the "exactly one" error.
const CREDENTIAL_FIELDS: &str = "secret_key, usersig or usersig_provider";

impl ClientOptions {
    /// Options for app `sdkappid`, everything else unset.
    pub fn new(sdkappid: u64) -> Self {
        ClientOptions { sdkappid: Some(sdkappid), ..Self::default() }
    }

    /// Options from the `TIM_*` environment variables: the variable of every setting of the
    /// [settings table](crate::settings::SETTINGS) — `TIM_SDKAPPID`, `TIM_SECRET_KEY` or
    /// `TIM_USERSIG` (the key wins when both are set), `TIM_IDENTIFIER`, `TIM_REGION` or
    /// `TIM_BASE_URL` (the URL wins when both are set), `TIM_TIMEOUT`, `TIM_MAX_RETRIES`,
    /// `TIM_RATE_LIMIT`, `TIM_USERSIG_LIFETIME`, `TIM_MAX_RESPONSE_BYTES`,
    /// `TIM_ALLOW_INSECURE_HTTP`, `TIM_MAX_IN_FLIGHT`, and for a fleet
    /// `TIM_RATE_LIMIT_REDIS_URL`, `TIM_FLEET_SIZE`, `TIM_REDIS_FALLBACK` — in the text form of
    /// [`crate::settings`] (durations `10`, `2.5`, `500ms`; `TIM_RATE_LIMIT=off`; booleans
    /// `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off`). Empty variables count as unset. Errors
    /// name the variable; [`ClientOptions::config_from_lookup`] also names it for the rules of
    /// [`ClientOptions::build`].
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        use crate::settings as s;
        let get = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        // Secrets are taken as written (a key may end in a space); empty still means unset.
        let secret = |name: &str| lookup(name).filter(|v| !v.is_empty());
        let secret_key = secret("TIM_SECRET_KEY");
        // The key wins over a UserSig when both are set.
        let usersig = if secret_key.is_some() { None } else { secret("TIM_USERSIG") };
        let base_url = get("TIM_BASE_URL");
        // TIM_BASE_URL overrides TIM_REGION (a proxy or emulator in front of a region).
        let region = if base_url.is_some() { None } else { get("TIM_REGION") };
        let integer = |name: &'static str| get(name).map(|t| s::parse_integer::<u64>(name, &t)).transpose();
        let small = |name: &'static str| get(name).map(|t| s::parse_integer::<u32>(name, &t)).transpose();
        let duration = |name: &'static str| get(name).map(|t| s::parse_duration(name, &t)).transpose();
        Ok(ClientOptions {
            sdkappid: integer("TIM_SDKAPPID")?,
            secret_key,
            usersig,
            usersig_provider: None,
            async_usersig_provider: None,
            identifier: get("TIM_IDENTIFIER"),
            region,
            base_url,
            timeout: duration("TIM_TIMEOUT")?,
            max_retries: small("TIM_MAX_RETRIES")?,
            rate_limit: get("TIM_RATE_LIMIT").map(|t| s::parse_rate_limit("TIM_RATE_LIMIT", &t)).transpose()?,
            usersig_lifetime: duration("TIM_USERSIG_LIFETIME")?,
            max_response_bytes: integer("TIM_MAX_RESPONSE_BYTES")?,
            allow_insecure_http: get("TIM_ALLOW_INSECURE_HTTP")
                .map(|t| s::parse_bool("TIM_ALLOW_INSECURE_HTTP", &t))
                .transpose()?,
            max_in_flight: small("TIM_MAX_IN_FLIGHT")?,
            rate_limit_redis_url: get("TIM_RATE_LIMIT_REDIS_URL"),
            fleet_size: small("TIM_FLEET_SIZE")?,
            redis_fallback: get("TIM_REDIS_FALLBACK")
                .map(|t| {
                    t.parse::<RedisFallback>().map_err(|e| match e {
                        Error::InvalidArgument { reason, .. } => Error::invalid("TIM_REDIS_FALLBACK", reason),
                        other => other,
                    })
                })
                .transpose()?,
        })
    }

    /// The [`Config`] the `TIM_*` environment variables describe (see
    /// [`ClientOptions::from_lookup`]); errors name the variable at fault.
    pub fn from_env() -> Result<Config> {
        Self::config_from_lookup(|name| std::env::var(name).ok())
    }

    /// [`ClientOptions::from_env`] with any variable source (tests, config files).
    pub fn config_from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config> {
        ClientOptions::default().build_over_lookup(lookup)
    }

    /// `self` over `base`: each setting given in `self` wins. The credential (`secret_key`,
    /// `usersig`, the providers) and the endpoint (`region`, `base_url`) are taken as a group:
    /// a credential given in `self` replaces every credential of `base`, and so does a region or
    /// base URL. This is how a host puts its explicit arguments over the environment.
    pub fn or(self, base: ClientOptions) -> ClientOptions {
        let own_credential = self.secret_key.is_some()
            || self.usersig.is_some()
            || self.usersig_provider.is_some()
            || self.async_usersig_provider.is_some();
        let own_endpoint = self.region.is_some() || self.base_url.is_some();
        let (secret_key, usersig, usersig_provider, async_usersig_provider) = if own_credential {
            (self.secret_key, self.usersig, self.usersig_provider, self.async_usersig_provider)
        } else {
            (base.secret_key, base.usersig, base.usersig_provider, base.async_usersig_provider)
        };
        let (region, base_url) = if own_endpoint { (self.region, self.base_url) } else { (base.region, base.base_url) };
        ClientOptions {
            sdkappid: self.sdkappid.or(base.sdkappid),
            secret_key,
            usersig,
            usersig_provider,
            async_usersig_provider,
            identifier: self.identifier.or(base.identifier),
            region,
            base_url,
            timeout: self.timeout.or(base.timeout),
            max_retries: self.max_retries.or(base.max_retries),
            rate_limit: self.rate_limit.or(base.rate_limit),
            usersig_lifetime: self.usersig_lifetime.or(base.usersig_lifetime),
            max_response_bytes: self.max_response_bytes.or(base.max_response_bytes),
            allow_insecure_http: self.allow_insecure_http.or(base.allow_insecure_http),
            max_in_flight: self.max_in_flight.or(base.max_in_flight),
            rate_limit_redis_url: self.rate_limit_redis_url.or(base.rate_limit_redis_url),
            fleet_size: self.fleet_size.or(base.fleet_size),
            redis_fallback: self.redis_fallback.or(base.redis_fallback),
        }
    }

    /// Builds `self` over the `TIM_*` variables of `lookup` ([`ClientOptions::or`]): the
    /// explicit settings win. An error names the `TIM_*` variable when the value at fault came
    /// from the environment, else the setting; a required setting given nowhere is named by its
    /// variable when no setting was given explicitly (a pure environment configuration).
    pub fn build_over_lookup(self, lookup: impl Fn(&str) -> Option<String>) -> Result<Config> {
        let env = Self::from_lookup(lookup)?;
        let explicit: Vec<&'static str> =
            crate::settings::SETTINGS.iter().map(|s| s.name).filter(|name| self.is_given(name)).collect();
        let from_env: Vec<&'static str> =
            crate::settings::SETTINGS.iter().map(|s| s.name).filter(|name| env.is_given(name)).collect();
        let credential_given = ["secret_key", "usersig", "usersig_provider", "async_usersig_provider"]
            .iter()
            .any(|n| explicit.contains(n));
        let endpoint_given = ["region", "base_url"].iter().any(|n| explicit.contains(n));
        self.or(env).build().map_err(|e| match e {
            Error::InvalidArgument { field, reason } => {
                let in_group = |group: &[&str], given: bool| group.contains(&field.as_str()) && given;
                let explicit_fault = explicit.contains(&field.as_str())
                    || in_group(
                        &["secret_key", "usersig", "usersig_provider", "async_usersig_provider"],
                        credential_given,
                    )
                    || in_group(&["region", "base_url"], endpoint_given);
                let env_fault = from_env.contains(&field.as_str()) || explicit.is_empty();
                let field = if !explicit_fault && env_fault { env_name(&field).to_owned() } else { field };
                Error::InvalidArgument { field, reason }
            }
            other => other,
        })
    }

    /// Whether setting `name` is given (a name of [`crate::settings::SETTINGS`]).
    fn is_given(&self, name: &str) -> bool {
        match name {
            "sdkappid" => self.sdkappid.is_some(),
            "secret_key" => self.secret_key.is_some(),
            "usersig" => self.usersig.is_some(),
            "usersig_provider" => self.usersig_provider.is_some(),
            "async_usersig_provider" => self.async_usersig_provider.is_some(),
            "identifier" => self.identifier.is_some(),
            "region" => self.region.is_some(),
            "base_url" => self.base_url.is_some(),
            "timeout" => self.timeout.is_some(),
            "max_retries" => self.max_retries.is_some(),
            "rate_limit" => self.rate_limit.is_some(),
            "usersig_lifetime" => self.usersig_lifetime.is_some(),
            "max_response_bytes" => self.max_response_bytes.is_some(),
            "allow_insecure_http" => self.allow_insecure_http.is_some(),
            "max_in_flight" => self.max_in_flight.is_some(),
            "rate_limit_redis_url" => self.rate_limit_redis_url.is_some(),
            "fleet_size" => self.fleet_size.is_some(),
            "redis_fallback" => self.redis_fallback.is_some(),
            _ => false,
        }
    }

    /// Checks every setting and returns the [`Config`] they describe, with the defaults filled
    /// in. Errors are [`Error::InvalidArgument`] naming the setting.
    pub fn build(self) -> Result<Config> {
        self.build_with_hooks(TestHooks::default())
    }

    /// [`ClientOptions::build`] with the settings no host exposes (see [`TestHooks`]): for the
    /// crate's own tests only, not part of the API.
    #[doc(hidden)]
    pub fn build_with_hooks(self, hooks: TestHooks) -> Result<Config> {
        let sdkappid = self.sdkappid.ok_or_else(|| Error::invalid("sdkappid", "is required"))?;
        crate::validate::sdkappid(sdkappid)?;
        let credentials = self.credentials()?;
        let mut config = Config::new(sdkappid, credentials);
        if let Some(identifier) = self.identifier {
            config.identifier = identifier;
        }
        config.endpoint = match (self.region, self.base_url) {
            (Some(_), Some(_)) => return Err(Error::invalid("base_url", "give region or base_url, not both")),
            (Some(region), None) => Endpoint::Region(region.parse()?),
            (None, Some(url)) => match &hooks.backup_base_url {
                None => Endpoint::base_url(&url)?,
                Some(backup) => Endpoint::base_urls(&url, backup)?,
            },
            (None, None) => Endpoint::Region(DEFAULT_REGION),
        };
        if let Some(timeout) = self.timeout {
            config.timeout = timeout;
        }
        config.retry = hooks.retry.unwrap_or_default();
        if let Some(max_retries) = self.max_retries {
            config.retry.max_retries = max_retries;
        }
        if let Some(clock) = hooks.clock {
            config.clock = clock;
        }
        config.rate_limit = match self.rate_limit {
            None => Some(DEFAULT_RATE_LIMIT),
            Some(RateLimit::Off) => None,
            Some(RateLimit::PerSecond(rate)) => Some(rate),
        };
        if let Some(lifetime) = self.usersig_lifetime {
            config.usersig_lifetime = lifetime;
        }
        config.max_response_bytes = self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES);
        config.allow_insecure_http = self.allow_insecure_http.unwrap_or(false);
        config.max_in_flight = self.max_in_flight.unwrap_or(DEFAULT_MAX_IN_FLIGHT);
        config.shared_rate_limit = match self.rate_limit_redis_url {
            None => None,
            Some(url) => Some(SharedRateLimit {
                redis_url: RedisUrl::parse(&url)?,
                fleet_size: self.fleet_size.unwrap_or(DEFAULT_FLEET_SIZE),
                fallback: self.redis_fallback.unwrap_or(DEFAULT_REDIS_FALLBACK),
            }),
        };
        config.validate()?;
        Ok(config)
    }

    /// Exactly one credential, as the core's [`Credentials`].
    fn credentials(&self) -> Result<Credentials> {
        let given = [
            self.secret_key.is_some(),
            self.usersig.is_some(),
            self.usersig_provider.is_some(),
            self.async_usersig_provider.is_some(),
        ]
        .iter()
        .filter(|set| **set)
        .count();
        if given != 1 {
            let reason = if given == 0 {
                format!("is required: give one of {CREDENTIAL_FIELDS}")
            } else {
                format!("give only one of {CREDENTIAL_FIELDS}")
            };
            return Err(Error::invalid("secret_key", reason));
        }
        Ok(if let Some(key) = &self.secret_key {
            if key.is_empty() {
                return Err(Error::invalid("secret_key", "must not be empty"));
            }
            Credentials::secret_key(key.clone())
        } else if let Some(sig) = &self.usersig {
            if sig.is_empty() {
                return Err(Error::invalid("usersig", "must not be empty"));
            }
            Credentials::usersig(sig.clone())
        } else if let Some(provider) = &self.usersig_provider {
            Credentials::Provider(Arc::clone(provider))
        } else if let Some(provider) = &self.async_usersig_provider {
            Credentials::AsyncProvider(Arc::clone(provider))
        } else {
            return Err(Error::invalid("secret_key", format!("is required: give one of {CREDENTIAL_FIELDS}")));
        })
    }
}

/// A Redis URL as [`ClientOptions`]' `Debug` shows it: without user name and password.
fn redacted_url(text: &str) -> String {
    RedisUrl::parse(text).map_or_else(|_| "[unparsable, redacted]".to_owned(), |u| u.redacted().to_owned())
}

/// The environment variable behind a setting, for errors of [`ClientOptions::config_from_lookup`].
fn env_name(field: &str) -> &str {
    crate::settings::env_var(field).unwrap_or(field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::Region;
    use std::collections::HashMap;

    fn key(sdkappid: u64) -> ClientOptions {
        ClientOptions { secret_key: Some("k".into()), ..ClientOptions::new(sdkappid) }
    }

    fn field_of(e: Error) -> String {
        match e {
            Error::InvalidArgument { field, .. } => field,
            other => panic!("not an InvalidArgument: {other:?}"),
        }
    }

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn defaults_come_from_the_constants() {
        let c = key(1400000000).build().unwrap();
        assert_eq!(c.sdkappid, 1400000000);
        assert_eq!(c.identifier, DEFAULT_IDENTIFIER);
        assert_eq!(c.endpoint, Endpoint::Region(DEFAULT_REGION));
        assert_eq!(c.timeout, DEFAULT_TIMEOUT);
        assert_eq!(c.retry.max_retries, DEFAULT_MAX_RETRIES);
        assert_eq!(c.rate_limit, Some(DEFAULT_RATE_LIMIT));
        assert_eq!(c.usersig_lifetime, DEFAULT_USERSIG_LIFETIME);
        assert!(matches!(c.credentials, Credentials::SecretKey(_)));
        assert_eq!(c.max_response_bytes, DEFAULT_MAX_RESPONSE_BYTES);
        assert!(!c.allow_insecure_http);
        assert_eq!(c.max_in_flight, DEFAULT_MAX_IN_FLIGHT);
    }

    #[test]
    fn hostile_server_settings() {
        let c = ClientOptions {
            max_response_bytes: Some(2048),
            allow_insecure_http: Some(true),
            max_in_flight: Some(3),
            base_url: Some("http://10.0.0.1:8080".into()),
            ..key(7)
        }
        .build()
        .unwrap();
        assert_eq!((c.max_response_bytes, c.allow_insecure_http, c.max_in_flight), (2048, true, 3));
        // Clear text to a non-loopback host is refused at construction unless allowed.
        for url in ["http://203.0.113.7", "http://10.0.0.1:8080"] {
            let e = ClientOptions { base_url: Some(url.into()), ..key(7) }.build().unwrap_err();
            assert_eq!(field_of(e), "base_url");
            let e = ClientOptions { base_url: Some(url.into()), allow_insecure_http: Some(false), ..key(7) }
                .build()
                .unwrap_err();
            assert_eq!(field_of(e), "base_url");
        }
        assert!(ClientOptions { base_url: Some("http://localhost:8080".into()), ..key(7) }.build().is_ok());
        for (opts, field) in [
            (ClientOptions { max_response_bytes: Some(0), ..key(7) }, "max_response_bytes"),
            (ClientOptions { max_response_bytes: Some(u64::MAX), ..key(7) }, "max_response_bytes"),
            (ClientOptions { max_in_flight: Some(0), ..key(7) }, "max_in_flight"),
            (ClientOptions { identifier: Some("admin\nX".into()), ..key(7) }, "identifier"),
            (ClientOptions { identifier: Some("a".repeat(33)), ..key(7) }, "identifier"),
        ] {
            assert_eq!(field_of(opts.build().unwrap_err()), field);
        }
        // From the environment, named by its variable.
        let vars = [("TIM_SDKAPPID", "1"), ("TIM_SECRET_KEY", "k"), ("TIM_BASE_URL", "http://10.0.0.1")];
        let e = ClientOptions::config_from_lookup(env(&vars)).unwrap_err();
        assert_eq!(field_of(e), "TIM_BASE_URL");
        let c =
            ClientOptions::config_from_lookup(env(&[vars[0], vars[1], vars[2], ("TIM_ALLOW_INSECURE_HTTP", "yes")]))
                .unwrap();
        assert!(c.allow_insecure_http);
        let e = ClientOptions::config_from_lookup(env(&[vars[0], vars[1], ("TIM_ALLOW_INSECURE_HTTP", "maybe")]))
            .unwrap_err();
        assert_eq!(field_of(e), "TIM_ALLOW_INSECURE_HTTP");
    }

    #[test]
    fn every_setting_is_applied() {
        let c = ClientOptions {
            identifier: Some("ops".into()),
            region: Some("sgp".into()),
            timeout: Some(Duration::from_millis(1500)),
            max_retries: Some(0),
            rate_limit: Some(RateLimit::PerSecond(50.0)),
            usersig_lifetime: Some(Duration::from_secs(600)),
            ..key(7)
        }
        .build()
        .unwrap();
        assert_eq!(c.identifier, "ops");
        assert_eq!(c.endpoint, Endpoint::Region(Region::Singapore));
        assert_eq!(c.timeout, Duration::from_millis(1500));
        assert_eq!(c.retry.max_retries, 0);
        assert_eq!(c.rate_limit, Some(50.0));
        assert_eq!(c.usersig_lifetime, Duration::from_secs(600));
        let off =
            ClientOptions { rate_limit: Some(RateLimit::Off), base_url: Some("http://127.0.0.1:9".into()), ..key(7) }
                .build()
                .unwrap();
        assert_eq!(off.rate_limit, None);
        assert!(matches!(off.endpoint, Endpoint::BaseUrl { .. }));
    }

    #[test]
    fn exactly_one_credential() {
        let none = ClientOptions::new(7).build().unwrap_err();
        assert!(none.to_string().contains("secret_key, usersig or usersig_provider"), "{none}");
        assert_eq!(field_of(none), "secret_key");
        let two = ClientOptions { usersig: Some("sig".into()), ..key(7) }.build().unwrap_err();
        assert!(two.to_string().contains("only one"), "{two}");
        let provider: Arc<dyn UserSigProvider> = Arc::new(|| Ok::<_, String>("sig".to_owned()));
        let three = ClientOptions { usersig_provider: Some(provider.clone()), ..key(7) }.build().unwrap_err();
        assert_eq!(field_of(three), "secret_key");
        let ok = ClientOptions { usersig_provider: Some(provider), ..ClientOptions::new(7) }.build().unwrap();
        assert!(matches!(ok.credentials, Credentials::Provider(_)));
        assert_eq!(
            field_of(ClientOptions { secret_key: Some(String::new()), ..ClientOptions::new(7) }.build().unwrap_err()),
            "secret_key"
        );
        assert_eq!(
            field_of(ClientOptions { usersig: Some(String::new()), ..ClientOptions::new(7) }.build().unwrap_err()),
            "usersig"
        );
    }

    #[test]
    fn region_or_base_url_not_both() {
        let e = ClientOptions { region: Some("tokyo".into()), base_url: Some("http://127.0.0.1:9".into()), ..key(7) }
            .build()
            .unwrap_err();
        assert_eq!(field_of(e), "base_url");
        assert_eq!(field_of(ClientOptions { region: Some("mars".into()), ..key(7) }.build().unwrap_err()), "region");
        assert_eq!(
            field_of(ClientOptions { base_url: Some("ftp://x".into()), ..key(7) }.build().unwrap_err()),
            "base_url"
        );
    }

    #[test]
    fn ranges_are_checked() {
        assert_eq!(
            field_of(ClientOptions { secret_key: Some("k".into()), ..Default::default() }.build().unwrap_err()),
            "sdkappid"
        );
        assert_eq!(field_of(key(0).build().unwrap_err()), "sdkappid");
        assert_eq!(field_of(key(MAX_SDKAPPID + 1).build().unwrap_err()), "sdkappid");
        assert!(key(MAX_SDKAPPID).build().is_ok());
        assert_eq!(
            field_of(ClientOptions { identifier: Some(" ".into()), ..key(7) }.build().unwrap_err()),
            "identifier"
        );
        assert_eq!(field_of(ClientOptions { timeout: Some(Duration::ZERO), ..key(7) }.build().unwrap_err()), "timeout");
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let e = ClientOptions { rate_limit: Some(RateLimit::PerSecond(bad)), ..key(7) }.build().unwrap_err();
            assert_eq!(field_of(e), "rate_limit");
        }
        let e = ClientOptions { usersig_lifetime: Some(Duration::from_secs(59)), ..key(7) }.build().unwrap_err();
        assert_eq!(field_of(e), "usersig_lifetime");
    }

    #[test]
    fn debug_redacts_credentials() {
        let o = ClientOptions { usersig: Some("signed-token".into()), ..key(7) };
        let text = format!("{o:?}");
        assert!(!text.contains("signed-token") && !text.contains("\"k\""), "{text}");
    }

    #[test]
    fn environment_reads_everything() {
        let c = ClientOptions::config_from_lookup(env(&[
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
        let c = ClientOptions::config_from_lookup(env(&[
            ("TIM_SDKAPPID", "1"),
            ("TIM_USERSIG", "sig"),
            ("TIM_REGION", "tokyo"),
            ("TIM_BASE_URL", "http://127.0.0.1:9"),
        ]))
        .unwrap();
        assert!(matches!(c.credentials, Credentials::UserSig(_)));
        assert!(matches!(c.endpoint, Endpoint::BaseUrl { .. }), "TIM_BASE_URL overrides TIM_REGION");
        assert_eq!(c.identifier, DEFAULT_IDENTIFIER);
    }

    #[test]
    fn shared_rate_limit_settings() {
        let url = "redis://:pw-secret@127.0.0.1:6379/0";
        let options = ClientOptions { rate_limit_redis_url: Some(url.into()), ..key(7) };
        assert!(!format!("{options:?}").contains("pw-secret"), "{options:?}");
        assert!(format!("{options:?}").contains("redis://127.0.0.1:6379/0"), "{options:?}");
        if !cfg!(feature = "redis") {
            let e = options.build().unwrap_err();
            assert_eq!(field_of(e), "rate_limit_redis_url");
            return;
        }
        let c = options.build().unwrap();
        let shared = c.shared_rate_limit.clone().unwrap();
        assert_eq!(shared.redis_url.redacted(), "redis://127.0.0.1:6379/0");
        assert_eq!(shared.fleet_size, DEFAULT_FLEET_SIZE);
        assert_eq!(shared.fallback, DEFAULT_REDIS_FALLBACK);
        assert_eq!(c.rate_limit, Some(DEFAULT_RATE_LIMIT), "the fleet's budget is rate_limit");
        assert!(!format!("{c:?}").contains("pw-secret"));
        let c = ClientOptions {
            rate_limit_redis_url: Some(url.into()),
            rate_limit: Some(RateLimit::PerSecond(50.0)),
            fleet_size: Some(4),
            redis_fallback: Some(RedisFallback::Fail),
            ..key(7)
        }
        .build()
        .unwrap();
        let shared = c.shared_rate_limit.unwrap();
        assert_eq!((shared.fleet_size, shared.fallback, c.rate_limit), (4, RedisFallback::Fail, Some(50.0)));
        // Without a URL the fleet settings have nothing to apply to.
        let c =
            ClientOptions { fleet_size: Some(0), redis_fallback: Some(RedisFallback::Fail), ..key(7) }.build().unwrap();
        assert!(c.shared_rate_limit.is_none());
        let off = ClientOptions { rate_limit_redis_url: Some(url.into()), rate_limit: Some(RateLimit::Off), ..key(7) };
        assert_eq!(field_of(off.build().unwrap_err()), "rate_limit_redis_url");
        let zero = ClientOptions { rate_limit_redis_url: Some(url.into()), fleet_size: Some(0), ..key(7) };
        assert_eq!(field_of(zero.build().unwrap_err()), "fleet_size");
        for bad in ["rediss://:pw-secret@h:6380", "http://:pw-secret@h", "pw-secret"] {
            let e = ClientOptions { rate_limit_redis_url: Some(bad.into()), ..key(7) }.build().unwrap_err();
            assert!(!e.to_string().contains("pw-secret"), "{e}");
            assert_eq!(field_of(e), "rate_limit_redis_url");
        }
    }

    #[test]
    fn environment_reads_the_fleet_settings() {
        let o = ClientOptions::from_lookup(env(&[
            ("TIM_RATE_LIMIT_REDIS_URL", " redis://127.0.0.1:6379/0 "),
            ("TIM_FLEET_SIZE", "3"),
            ("TIM_REDIS_FALLBACK", "fail"),
        ]))
        .unwrap();
        assert_eq!(o.rate_limit_redis_url.as_deref(), Some("redis://127.0.0.1:6379/0"));
        assert_eq!(o.fleet_size, Some(3));
        assert_eq!(o.redis_fallback, Some(RedisFallback::Fail));
        let base = [("TIM_SDKAPPID", "1"), ("TIM_SECRET_KEY", "k")];
        let cases: [(&str, &str, &str); 4] = [
            ("TIM_FLEET_SIZE", "three", "TIM_FLEET_SIZE"),
            ("TIM_REDIS_FALLBACK", "retry", "TIM_REDIS_FALLBACK"),
            ("TIM_RATE_LIMIT_REDIS_URL", "rediss://:pw@h", "TIM_RATE_LIMIT_REDIS_URL"),
            ("TIM_RATE_LIMIT_REDIS_URL", "not a url", "TIM_RATE_LIMIT_REDIS_URL"),
        ];
        for (name, value, want) in cases {
            let mut pairs = base.to_vec();
            pairs.push((name, value));
            let e = ClientOptions::config_from_lookup(env(&pairs)).unwrap_err();
            assert_eq!(field_of(e), want, "{name}={value}");
        }
        if cfg!(feature = "redis") {
            let mut pairs = base.to_vec();
            pairs.extend([("TIM_RATE_LIMIT_REDIS_URL", "redis://127.0.0.1:6379/0"), ("TIM_FLEET_SIZE", "0")]);
            let e = ClientOptions::config_from_lookup(env(&pairs)).unwrap_err();
            assert_eq!(field_of(e), "TIM_FLEET_SIZE");
        }
    }

    #[test]
    fn environment_errors_name_the_variable() {
        let cases: [&[(&str, &str)]; 5] = [
            &[],
            &[("TIM_SDKAPPID", "x"), ("TIM_SECRET_KEY", "k")],
            &[("TIM_SDKAPPID", "1")],
            &[("TIM_SDKAPPID", "1"), ("TIM_SECRET_KEY", "k"), ("TIM_REGION", "mars")],
            &[("TIM_SDKAPPID", "99999999999"), ("TIM_SECRET_KEY", "k")],
        ];
        let wanted = ["TIM_SDKAPPID", "TIM_SDKAPPID", "TIM_SECRET_KEY", "TIM_REGION", "TIM_SDKAPPID"];
        for (pairs, want) in cases.iter().zip(wanted) {
            let e = ClientOptions::config_from_lookup(env(pairs)).unwrap_err();
            assert_eq!(field_of(e), want);
        }
    }

    #[test]
    fn explicit_settings_over_the_environment() {
        let vars =
            env(&[("TIM_SDKAPPID", "1"), ("TIM_SECRET_KEY", "k"), ("TIM_REGION", "tokyo"), ("TIM_TIMEOUT", "0")]);
        // The value at fault came from the environment: named by its variable.
        let e = ClientOptions::default().build_over_lookup(&vars).unwrap_err();
        assert_eq!(field_of(e), "TIM_TIMEOUT");
        // An explicit value wins and is named by its setting.
        let c = ClientOptions { timeout: Some(Duration::from_secs(2)), ..ClientOptions::default() }
            .build_over_lookup(&vars)
            .unwrap();
        assert_eq!(c.timeout, Duration::from_secs(2));
        let e =
            ClientOptions { max_in_flight: Some(0), timeout: Some(Duration::from_secs(2)), ..ClientOptions::default() }
                .build_over_lookup(&vars)
                .unwrap_err();
        assert_eq!(field_of(e), "max_in_flight");
        // A credential or an endpoint replaces the environment's as a group.
        let c = ClientOptions {
            usersig: Some("sig".into()),
            base_url: Some("http://127.0.0.1:9".into()),
            timeout: Some(Duration::from_secs(2)),
            ..ClientOptions::default()
        }
        .build_over_lookup(&vars)
        .unwrap();
        assert!(matches!(c.credentials, Credentials::UserSig(_)));
        assert!(matches!(c.endpoint, Endpoint::BaseUrl { .. }));
        // Required and given nowhere: the setting, unless everything came from the environment.
        let e = ClientOptions { secret_key: Some("k".into()), ..ClientOptions::default() }
            .build_over_lookup(env(&[]))
            .unwrap_err();
        assert_eq!(field_of(e), "sdkappid");
        assert_eq!(field_of(ClientOptions::default().build_over_lookup(env(&[])).unwrap_err()), "TIM_SDKAPPID");
    }
}
