//! What every subcommand starts from: the global options, turned into core options,
//! configuration and clients (the core reads the `TIM_*` variables and applies every rule).

use timadmin::options::DEFAULT_IDENTIFIER;
use timadmin::{BlockingClient, ClientOptions, Config};

use crate::args::GlobalArgs;
use crate::error::CliError;

/// How the process was started: the parsed global options plus where each value came from.
pub struct Context<'a> {
    /// The global options.
    pub global: &'a GlobalArgs,
}

impl Context<'_> {
    /// The settings given as flags, as core options (unset where no flag was given).
    fn flags(&self) -> ClientOptions {
        let g = self.global;
        ClientOptions {
            sdkappid: g.sdkappid,
            secret_key: g.secret_key.clone(),
            usersig: g.usersig.clone(),
            identifier: g.identifier.clone(),
            region: g.region.clone(),
            base_url: g.base_url.clone(),
            timeout: g.timeout,
            max_retries: g.max_retries,
            rate_limit: g.rate_limit,
            usersig_lifetime: g.usersig_lifetime,
            max_response_bytes: g.max_response_bytes,
            allow_insecure_http: g.allow_insecure_http,
            max_in_flight: g.max_in_flight,
            rate_limit_redis_url: g.rate_limit_redis_url.clone(),
            fleet_size: g.fleet_size,
            redis_fallback: g.redis_fallback,
            ..ClientOptions::default()
        }
    }

    /// The core configuration the flags and the `TIM_*` variables describe. Makes no network
    /// call. The core reads the variables (`ClientOptions::from_lookup`), puts the flags over
    /// them (a credential or endpoint flag replaces the variables' as a group; two flags for one
    /// choice are refused by the core), checks every setting and fills in the defaults.
    pub fn config(&self) -> Result<Config, CliError> {
        Ok(self.flags().build_over_lookup(|name| std::env::var(name).ok())?)
    }

    /// The settings given as flags over the `TIM_*` variables (read by the core), without
    /// defaults: what the user said, for commands that check rather than build a client.
    pub fn given(&self) -> Result<ClientOptions, CliError> {
        Ok(self.flags().or(ClientOptions::from_lookup(|name| std::env::var(name).ok())?))
    }

    /// The settings for the `usersig` commands, which sign and verify without a client: the
    /// SDKAppID, the secret key and the identifier, from the flags over the environment.
    pub fn signing(&self) -> Result<(u64, String, String), CliError> {
        let merged = self.given()?;
        let sdkappid =
            merged.sdkappid.ok_or_else(|| CliError::Usage("--sdkappid (or TIM_SDKAPPID) is required".into()))?;
        let key = merged.secret_key.filter(|k| !k.is_empty()).ok_or_else(|| {
            CliError::Usage("--secret-key (or TIM_SECRET_KEY) is required to sign or verify UserSigs".into())
        })?;
        Ok((sdkappid, key, merged.identifier.unwrap_or_else(|| DEFAULT_IDENTIFIER.to_owned())))
    }

    /// A blocking client for the configuration (validated; no network call yet).
    pub fn client(&self) -> Result<BlockingClient, CliError> {
        Ok(BlockingClient::new(self.config()?)?)
    }

    /// Whether notes and progress may go to stderr.
    pub fn chatty(&self) -> bool {
        !self.global.quiet
    }
}
