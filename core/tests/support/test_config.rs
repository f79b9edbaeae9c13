//! The integration tests' configuration builder: the settings through [`ClientOptions`] (the
//! one door), plus what only tests set through the hidden [`TestHooks`] (a retry policy with
//! short waits, a backup base URL). Every rule is applied by `ClientOptions::build`.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use timadmin::{
    BlockingClient, Client, ClientOptions, Config, Endpoint, Error, RateLimit, RetryPolicy, TestHooks, UserSigProvider,
};

/// Settings and test hooks, built into a [`Config`] by [`TestConfig::build`].
#[derive(Clone)]
pub struct TestConfig {
    options: ClientOptions,
    hooks: TestHooks,
}

impl TestConfig {
    fn new(options: ClientOptions) -> Self {
        TestConfig { options, hooks: TestHooks::default() }
    }

    /// App `sdkappid` signing with the secret key `key`.
    pub fn secret_key(sdkappid: u64, key: impl Into<String>) -> Self {
        Self::new(ClientOptions { secret_key: Some(key.into()), ..ClientOptions::new(sdkappid) })
    }

    /// App `sdkappid` with a pre-signed UserSig.
    pub fn usersig(sdkappid: u64, usersig: impl Into<String>) -> Self {
        Self::new(ClientOptions { usersig: Some(usersig.into()), ..ClientOptions::new(sdkappid) })
    }

    /// App `sdkappid` asking `provider` for UserSigs.
    pub fn provider(sdkappid: u64, provider: impl UserSigProvider + 'static) -> Self {
        Self::new(ClientOptions { usersig_provider: Some(Arc::new(provider)), ..ClientOptions::new(sdkappid) })
    }

    pub fn with_identifier(mut self, identifier: impl Into<String>) -> Self {
        self.options.identifier = Some(identifier.into());
        self
    }

    /// Sends to `url` (checked by `build`).
    pub fn with_base_url(mut self, url: &str) -> Result<Self, Error> {
        self.options.region = None;
        self.options.base_url = Some(url.to_owned());
        self.hooks.backup_base_url = None;
        Ok(self)
    }

    /// Sends to `endpoint`: a region, or a base URL with its backup.
    pub fn with_endpoint(mut self, endpoint: Endpoint) -> Self {
        match endpoint {
            Endpoint::Region(region) => {
                self.options.region = Some(region.name().to_owned());
                self.options.base_url = None;
                self.hooks.backup_base_url = None;
            }
            Endpoint::BaseUrl { primary, backup } => {
                self.options.region = None;
                self.options.base_url = Some(primary.to_string());
                self.hooks.backup_base_url = backup.map(|u| u.to_string());
            }
        }
        self
    }

    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// The whole retry policy (its `max_retries` included).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.options.max_retries = Some(retry.max_retries);
        self.hooks.retry = Some(retry);
        self
    }

    pub fn with_max_retries(mut self, max_retries: u32) -> Self {
        self.options.max_retries = Some(max_retries);
        self
    }

    /// Calls per second per endpoint; `None` turns the limiter off.
    pub fn with_rate_limit(mut self, per_second: Option<f64>) -> Self {
        self.options.rate_limit = Some(per_second.map_or(RateLimit::Off, RateLimit::PerSecond));
        self
    }

    pub fn with_max_response_bytes(mut self, bytes: u64) -> Self {
        self.options.max_response_bytes = Some(bytes);
        self
    }

    pub fn with_allow_insecure_http(mut self, allow: bool) -> Self {
        self.options.allow_insecure_http = Some(allow);
        self
    }

    pub fn with_max_in_flight(mut self, calls: u32) -> Self {
        self.options.max_in_flight = Some(calls);
        self
    }

    /// The checked [`Config`] (`ClientOptions::build`).
    pub fn build(self) -> Result<Config, Error> {
        self.options.build_with_hooks(self.hooks)
    }
}

/// A client for `config`; a refused setting is the error.
pub fn new_client(config: TestConfig) -> Result<Client, Error> {
    Client::new(config.build()?)
}

/// A blocking client for `config`; a refused setting is the error.
pub fn new_blocking(config: TestConfig) -> Result<BlockingClient, Error> {
    BlockingClient::new(config.build()?)
}
