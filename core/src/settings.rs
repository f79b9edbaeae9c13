//! The settings table: every client setting declared once — its name, type, default, bounds
//! and `TIM_*` environment variable — with the constants and the rules that check it.
//!
//! Every host reaches the same settings: Rust [`crate::ClientOptions`] fields, Python keywords,
//! C setters, Kotlin/Swift record fields and CLI flags (`--` and the name with `-` for `_`) carry
//! the names of [`SETTINGS`]; [`crate::ClientOptions::from_lookup`] reads every variable of the
//! table; [`crate::Config::settings_json`] shows the settings a client runs with, keyed by the
//! same names. `tests/vectors/settings.json` holds the cases every host's suite runs.
//!
//! # Text form (environment variables, CLI flags)
//! - integers: decimal digits (`1400000000`); booleans: `1`/`true`/`yes`/`on` or
//!   `0`/`false`/`no`/`off`, in any case;
//! - durations (`timeout`, `usersig_lifetime`): seconds (`10`, `2.5`) or a number with a unit
//!   `ms`, `s`, `m`, `h` or `d` (`500ms`, `24h`);
//! - `rate_limit`: calls per second (`200`, `0.5`), or `off` for no client-side limit (`0` is
//!   refused like any rate outside the bounds, in every host: the CLI's old "0 means off" is
//!   dropped);
//! - `redis_fallback`: `local-share` or `fail`.
//!
//! Empty variables count as unset; values are trimmed except the secret key and the UserSig.
//!
//! # The effective-settings JSON ([`crate::Config::settings_json`])
//! One object with every setting of [`SETTINGS`] as a key, default-filled: durations in seconds
//! (a number, an integer when whole), `rate_limit` a number or `null` when off, `region` the
//! canonical name or `null` when a base URL is used, `base_url` the parsed URL or `null`.
//! Secrets are never shown: `secret_key`, `usersig` and the two providers are `"***"` when they
//! are the credential in use and `null` otherwise; the Redis URL is shown without user name or
//! query and with its password, if any, as `***` (`redis://:***@10.0.0.7:6379/0`). `fleet_size`
//! and `redis_fallback` only act with a Redis URL: without one they are `null`.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::region::Region;

/// The admin identifier used when none is configured.
pub const DEFAULT_IDENTIFIER: &str = "administrator";
/// The region calls go to when neither a region nor a base URL is configured.
pub const DEFAULT_REGION: Region = Region::China;
/// Default request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest request timeout accepted: one day (longer is a mistake, not a wait).
pub const MAX_TIMEOUT: Duration = Duration::from_secs(86_400);
/// Retries after a failed attempt when none is configured.
pub const DEFAULT_MAX_RETRIES: u32 = 3;
/// The documented per-endpoint call rate.
pub const DEFAULT_RATE_LIMIT: f64 = 200.0;
/// Slowest client-side rate limit accepted: one call per day per endpoint.
pub const MIN_RATE_LIMIT: f64 = 1.0 / 86_400.0;
/// Fastest client-side rate limit accepted (calls per second per endpoint).
pub const MAX_RATE_LIMIT: f64 = 1e9;
/// Default lifetime of the admin UserSigs the client signs for itself.
pub const DEFAULT_USERSIG_LIFETIME: Duration = Duration::from_secs(24 * 3600);
/// Shortest lifetime of self-signed admin UserSigs accepted.
pub const MIN_USERSIG_LIFETIME: Duration = Duration::from_secs(60);
/// Largest response body read by default: 4 MiB, four times the service's 1 MB answers
/// (bigger ones fail with 10018), so only a broken or hostile server reaches it.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 4 * 1024 * 1024;
/// Smallest `max_response_bytes` accepted (an error answer must still fit).
pub const MIN_MAX_RESPONSE_BYTES: u64 = 1024;
/// Largest `max_response_bytes` accepted: a body is held in memory while it is decoded.
pub const MAX_MAX_RESPONSE_BYTES: u64 = 1024 * 1024 * 1024;
/// HTTP attempts one client has in flight at most by default; more calls wait for a slot, so
/// a burst of calls never opens more than this many connections.
pub const DEFAULT_MAX_IN_FLIGHT: u32 = 64;
/// Largest `max_in_flight` accepted.
pub const MAX_MAX_IN_FLIGHT: u32 = 10_000;
/// Processes sharing one rate limit when none is configured.
pub const DEFAULT_FLEET_SIZE: u32 = 1;
/// What a client does while Redis cannot be reached, when nothing is configured.
pub const DEFAULT_REDIS_FALLBACK: RedisFallback = RedisFallback::LocalShare;
pub use crate::validate::{MAX_IDENTIFIER_BYTES, MAX_SDKAPPID};

/// What a secret setting is shown as in the effective-settings JSON.
pub const REDACTED: &str = "***";

/// The type of a setting's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A whole number.
    Integer,
    /// Text.
    Text,
    /// Secret text: never shown.
    Secret,
    /// A duration: seconds in JSON, seconds or a number with a unit in text.
    Seconds,
    /// true or false.
    Bool,
    /// Calls per second, or off.
    RateLimit,
    /// A region name or alias.
    Region,
    /// An `http(s)://` base URL.
    Url,
    /// A `redis://` URL that may hold a password.
    RedisUrl,
    /// `local-share` or `fail`.
    RedisFallback,
    /// A callback supplying UserSigs (no text form, no environment variable).
    Provider,
}

impl Kind {
    /// The kind's name in [`table_json`].
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Integer => "integer",
            Kind::Text => "string",
            Kind::Secret => "secret",
            Kind::Seconds => "seconds",
            Kind::Bool => "bool",
            Kind::RateLimit => "rate_limit",
            Kind::Region => "region",
            Kind::Url => "url",
            Kind::RedisUrl => "redis_url",
            Kind::RedisFallback => "redis_fallback",
            Kind::Provider => "provider",
        }
    }
}

/// A setting's value when it is not given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DefaultValue {
    /// The setting must be given.
    Required,
    /// Unset unless given (one of a group: credentials, region or base URL, the Redis URL).
    None,
    /// A whole number.
    Integer(u64),
    /// A number.
    Number(f64),
    /// A duration.
    Seconds(Duration),
    /// A boolean.
    Bool(bool),
    /// Text.
    Text(&'static str),
}

impl DefaultValue {
    /// The default as it appears in the effective-settings JSON (`null` for none).
    pub fn to_json(self) -> Value {
        match self {
            DefaultValue::Required | DefaultValue::None => Value::Null,
            DefaultValue::Integer(n) => json!(n),
            DefaultValue::Number(n) => number(n),
            DefaultValue::Seconds(d) => seconds(d),
            DefaultValue::Bool(b) => json!(b),
            DefaultValue::Text(t) => json!(t),
        }
    }
}

/// One setting of the table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Setting {
    /// The core's name (snake_case): the Rust field, the JSON key, the `field` of errors.
    pub name: &'static str,
    /// The value's type.
    pub kind: Kind,
    /// The value when not given.
    pub default: DefaultValue,
    /// Smallest value accepted (numbers, and durations in seconds).
    pub min: Option<f64>,
    /// Largest value accepted.
    pub max: Option<f64>,
    /// The environment variable read by [`crate::ClientOptions::from_lookup`], if any.
    pub env: Option<&'static str>,
    /// One line on what it does.
    pub doc: &'static str,
}

impl Setting {
    /// The CLI flag: `--` and the name with `-` for `_`.
    pub fn flag(&self) -> String {
        format!("--{}", self.name.replace('_', "-"))
    }
}

const fn setting(
    name: &'static str,
    kind: Kind,
    default: DefaultValue,
    env: Option<&'static str>,
    doc: &'static str,
) -> Setting {
    Setting { name, kind, default, min: None, max: None, env, doc }
}

const fn bounded(setting: Setting, min: f64, max: f64) -> Setting {
    Setting { min: Some(min), max: Some(max), ..setting }
}

/// Every client setting, in the order hosts list them.
pub const SETTINGS: &[Setting] = &[
    bounded(
        setting("sdkappid", Kind::Integer, DefaultValue::Required, Some("TIM_SDKAPPID"), "The app's SDKAppID."),
        1.0,
        MAX_SDKAPPID as f64,
    ),
    setting(
        "secret_key",
        Kind::Secret,
        DefaultValue::None,
        Some("TIM_SECRET_KEY"),
        "The console secret key: the client signs, caches and renews its own admin UserSig (one credential of four).",
    ),
    setting(
        "usersig",
        Kind::Secret,
        DefaultValue::None,
        Some("TIM_USERSIG"),
        "A pre-signed admin UserSig, used as is until the service rejects it (TIM_SECRET_KEY wins when both are set).",
    ),
    setting(
        "usersig_provider",
        Kind::Provider,
        DefaultValue::None,
        None,
        "A callback asked for a UserSig when one is needed.",
    ),
    setting(
        "async_usersig_provider",
        Kind::Provider,
        DefaultValue::None,
        None,
        "An async callback asked for a UserSig when one is needed (hosts with async callbacks).",
    ),
    setting(
        "identifier",
        Kind::Text,
        DefaultValue::Text(DEFAULT_IDENTIFIER),
        Some("TIM_IDENTIFIER"),
        "The app admin account calls are made as: not blank, at most 32 bytes, no control characters.",
    ),
    setting(
        "region",
        Kind::Region,
        DefaultValue::Text(DEFAULT_REGION.name()),
        Some("TIM_REGION"),
        "A documented region by name or alias; not with base_url.",
    ),
    setting(
        "base_url",
        Kind::Url,
        DefaultValue::None,
        Some("TIM_BASE_URL"),
        "An explicit http(s) base URL (emulator, proxy) instead of a region (TIM_BASE_URL wins over TIM_REGION).",
    ),
    bounded(
        setting(
            "timeout",
            Kind::Seconds,
            DefaultValue::Seconds(DEFAULT_TIMEOUT),
            Some("TIM_TIMEOUT"),
            "Limit for one HTTP attempt, from sending to the last byte of the answer; above 0, at most a day.",
        ),
        0.0,
        MAX_TIMEOUT.as_secs() as f64,
    ),
    setting(
        "max_retries",
        Kind::Integer,
        DefaultValue::Integer(DEFAULT_MAX_RETRIES as u64),
        Some("TIM_MAX_RETRIES"),
        "Retries after a failed attempt (0 disables retrying).",
    ),
    bounded(
        setting(
            "rate_limit",
            Kind::RateLimit,
            DefaultValue::Number(DEFAULT_RATE_LIMIT),
            Some("TIM_RATE_LIMIT"),
            "Client-side calls per second per endpoint (the fleet's, with a Redis URL), or off.",
        ),
        MIN_RATE_LIMIT,
        MAX_RATE_LIMIT,
    ),
    bounded(
        setting(
            "usersig_lifetime",
            Kind::Seconds,
            DefaultValue::Seconds(DEFAULT_USERSIG_LIFETIME),
            Some("TIM_USERSIG_LIFETIME"),
            "Lifetime of self-signed admin UserSigs (secret-key credentials only); at least 60 s.",
        ),
        MIN_USERSIG_LIFETIME.as_secs() as f64,
        u64::MAX as f64,
    ),
    bounded(
        setting(
            "max_response_bytes",
            Kind::Integer,
            DefaultValue::Integer(DEFAULT_MAX_RESPONSE_BYTES),
            Some("TIM_MAX_RESPONSE_BYTES"),
            "Largest response body read, in bytes; a larger answer fails.",
        ),
        MIN_MAX_RESPONSE_BYTES as f64,
        MAX_MAX_RESPONSE_BYTES as f64,
    ),
    setting(
        "allow_insecure_http",
        Kind::Bool,
        DefaultValue::Bool(false),
        Some("TIM_ALLOW_INSECURE_HTTP"),
        "Allow a plain http:// base URL to a host other than loopback (the UserSig then travels in clear text).",
    ),
    bounded(
        setting(
            "max_in_flight",
            Kind::Integer,
            DefaultValue::Integer(DEFAULT_MAX_IN_FLIGHT as u64),
            Some("TIM_MAX_IN_FLIGHT"),
            "HTTP attempts in flight at once per client; more calls queue for a slot.",
        ),
        1.0,
        MAX_MAX_IN_FLIGHT as f64,
    ),
    setting(
        "rate_limit_redis_url",
        Kind::RedisUrl,
        DefaultValue::None,
        Some("TIM_RATE_LIMIT_REDIS_URL"),
        "A redis:// URL through which every process of a fleet shares rate_limit (needs a rate limit that is not off).",
    ),
    bounded(
        setting(
            "fleet_size",
            Kind::Integer,
            DefaultValue::Integer(DEFAULT_FLEET_SIZE as u64),
            Some("TIM_FLEET_SIZE"),
            "Processes sharing the budget: while Redis is unreachable each keeps to rate_limit / fleet_size.",
        ),
        1.0,
        u32::MAX as f64,
    ),
    setting(
        "redis_fallback",
        Kind::RedisFallback,
        DefaultValue::Text(DEFAULT_REDIS_FALLBACK.as_str()),
        Some("TIM_REDIS_FALLBACK"),
        "While Redis is unreachable: local-share (each process keeps to its share) or fail.",
    ),
];

/// The setting called `name`.
pub fn find(name: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.name == name)
}

/// The environment variable of setting `name`, if it has one.
pub fn env_var(name: &str) -> Option<&'static str> {
    find(name).and_then(|s| s.env)
}

/// The table as JSON (an array of `{name, type, default, min, max, env, flag, doc}`), for
/// documentation and the hosts' checks that they reach every setting.
pub fn table_json() -> Value {
    Value::Array(
        SETTINGS
            .iter()
            .map(|s| {
                json!({
                    "name": s.name,
                    "type": s.kind.as_str(),
                    "required": s.default == DefaultValue::Required,
                    "default": s.default.to_json(),
                    "min": s.min.map(number),
                    "max": s.max.map(number),
                    "env": s.env,
                    "flag": s.flag(),
                    "doc": s.doc,
                })
            })
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// Value types

/// The client-side rate limit setting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RateLimit {
    /// At most this many calls per second per endpoint (must be positive and finite).
    PerSecond(f64),
    /// No client-side limit (the service still enforces its own).
    Off,
}

/// What a client does while the Redis server behind a shared rate limit cannot be reached (or
/// answers slower than [`crate::config::REDIS_TIMEOUT`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RedisFallback {
    /// Each process keeps each endpoint under `rate_limit / fleet_size` on its own, so that the
    /// fleet as a whole stays within the budget (the default).
    #[default]
    LocalShare,
    /// Calls fail with [`Error::RateLimiterUnavailable`] until Redis answers again.
    Fail,
}

impl RedisFallback {
    /// The setting's name in configuration text: `local-share` or `fail`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RedisFallback::LocalShare => "local-share",
            RedisFallback::Fail => "fail",
        }
    }
}

impl fmt::Display for RedisFallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RedisFallback {
    type Err = Error;

    /// `local-share` (or `local_share`) and `fail`, in any case.
    fn from_str(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "local-share" => Ok(RedisFallback::LocalShare),
            "fail" => Ok(RedisFallback::Fail),
            _ => Err(Error::invalid("redis_fallback", format!("{text:?} is not local-share or fail"))),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Text form

/// An integer from text; the error names `field`.
pub(crate) fn parse_integer<T: std::str::FromStr>(field: &str, text: &str) -> Result<T> {
    text.trim().parse::<T>().map_err(|_| Error::invalid(field, format!("{text:?} is not a whole number in range")))
}

/// A boolean from text: `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off`, in any case.
pub fn parse_bool(field: &str, text: &str) -> Result<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(Error::invalid(field, format!("{text:?} is not one of 1, true, yes, on, 0, false, no, off"))),
    }
}

/// A duration from text: seconds (`10`, `2.5`) or a number with a unit (`500ms`, `10s`, `5m`,
/// `2h`, `1d`). Range rules are the setting's, checked by [`crate::ClientOptions::build`].
pub fn parse_duration(field: &str, text: &str) -> Result<Duration> {
    let t = text.trim();
    let bad = || Error::invalid(field, format!("{text:?} is not a duration (e.g. 10, 2.5, 500ms, 10s, 5m, 24h)"));
    let split = t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let scale = match unit.trim() {
        "" | "s" => 1.0,
        "ms" => 0.001,
        "m" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        _ => return Err(bad()),
    };
    let value: f64 = number.trim().parse().map_err(|_| bad())?;
    if !value.is_finite() || value < 0.0 {
        return Err(bad());
    }
    Duration::try_from_secs_f64(value * scale)
        .map_err(|_| Error::invalid(field, format!("{text:?} is too long a duration")))
}

/// A rate limit from text: calls per second, or `off` for none.
pub fn parse_rate_limit(field: &str, text: &str) -> Result<RateLimit> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("off") {
        return Ok(RateLimit::Off);
    }
    let rate: f64 =
        t.parse().map_err(|_| Error::invalid(field, format!("{text:?} is not a number of calls per second or off")))?;
    Ok(RateLimit::PerSecond(rate))
}

// ---------------------------------------------------------------------------------------------
// JSON values

/// A number in JSON: an integer when it is whole (so `10`, not `10.0`).
pub(crate) fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        if n >= 0.0 {
            json!(n as u64)
        } else {
            json!(n as i64)
        }
    } else {
        json!(n)
    }
}

/// A duration in seconds, an integer when whole.
pub(crate) fn seconds(d: Duration) -> Value {
    if d.subsec_nanos() == 0 {
        json!(d.as_secs())
    } else {
        json!(d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case_and_env_vars_match() {
        let mut names = std::collections::HashSet::new();
        for s in SETTINGS {
            assert!(names.insert(s.name), "{} twice", s.name);
            assert!(s.name.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", s.name);
            if let Some(env) = s.env {
                assert_eq!(env, format!("TIM_{}", s.name.to_ascii_uppercase()), "{}", s.name);
            } else {
                assert_eq!(s.kind, Kind::Provider, "only providers have no variable: {}", s.name);
            }
        }
    }

    #[test]
    fn every_setting_is_shown() {
        let config =
            crate::ClientOptions { secret_key: Some("k".into()), ..crate::ClientOptions::new(7) }.build().unwrap();
        let shown = config.settings();
        let shown = shown.as_object().unwrap();
        assert_eq!(shown.len(), SETTINGS.len());
        for s in SETTINGS {
            let value = &shown[s.name];
            if !matches!(s.default, DefaultValue::None) && s.name != "fleet_size" && s.name != "redis_fallback" {
                assert!(!value.is_null(), "{} is not shown", s.name);
            }
        }
        assert_eq!(shown["secret_key"], json!(REDACTED));
    }

    #[test]
    fn text_forms() {
        assert_eq!(parse_duration("t", "2.5").unwrap(), Duration::from_millis(2500));
        assert_eq!(parse_duration("t", "500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("t", " 10s ").unwrap(), Duration::from_secs(10));
        assert_eq!(parse_duration("t", "24h").unwrap(), Duration::from_secs(86_400));
        assert_eq!(parse_duration("t", "1d").unwrap(), Duration::from_secs(86_400));
        for bad in ["soon", "-1", "1y", "", "inf", "NaN", "1e30d"] {
            assert!(parse_duration("t", bad).is_err(), "{bad}");
        }
        assert_eq!(parse_rate_limit("r", "off").unwrap(), RateLimit::Off);
        assert_eq!(parse_rate_limit("r", "0").unwrap(), RateLimit::PerSecond(0.0));
        assert_eq!(parse_rate_limit("r", "0.5").unwrap(), RateLimit::PerSecond(0.5));
        assert!(parse_rate_limit("r", "fast").is_err());
        assert!(parse_bool("b", "YES").unwrap());
        assert!(!parse_bool("b", "off").unwrap());
        assert!(parse_bool("b", "maybe").is_err());
    }
}
