//! The client's settings as an opaque object (core: `ClientOptions`): made by
//! `timadmin_client_options_new`, filled by one `timadmin_client_options_set_*` per setting,
//! read by `timadmin_client_new`, freed by `timadmin_client_options_free`. The caller never
//! sees its layout, so later versions add setters without breaking compiled programs (the
//! rustls-ffi config-builder habit). Setters only convert C types to the core's; every rule and
//! default is the core's `ClientOptions::build`.

use std::ffi::{c_char, c_int, c_void};
use std::sync::Arc;
use std::time::Duration;

use timadmin::{ClientOptions, RateLimit, RedisFallback, UserSigProvider};

use crate::builder;
use crate::error::{guard, timadmin_error, timadmin_status};
use crate::ffi::{arg_mut, req_str};
use crate::ownership::{to_boxed_mut_ptr, OutParam};

/// Where a UserSig provider callback puts the UserSig it supplies (see
/// `timadmin_usersig_provider_callback`). Owned by the library; valid only during the callback.
#[derive(Debug, Default)]
pub struct timadmin_usersig_sink {
    usersig: Option<String>,
}

/// Supplies a fresh UserSig when the client needs one (for apps that must not hold the secret
/// key): call `timadmin_usersig_sink_set(sink, usersig)` and return true, or return false on
/// failure. It is called again when the service says the UserSig in use expired or is invalid.
///
/// Called from the library's worker threads, possibly concurrently: the callback and its
/// `userdata` must be thread-safe, must not call back into the same client, and must stay valid
/// until every client built with it is freed. It must not throw or longjmp.
pub type timadmin_usersig_provider_callback =
    Option<unsafe extern "C" fn(userdata: *mut c_void, sink: *mut timadmin_usersig_sink) -> bool>;

/// Hands the UserSig to the library from inside a `timadmin_usersig_provider_callback`. The
/// string is copied; the caller keeps ownership of `usersig`.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`sink` or `usersig` NULL),
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` (not UTF-8). On failure a new error is written to
/// `*error_out` when `error_out` is not NULL (the caller frees it).
///
/// # Safety
///
/// `sink` is NULL or the sink passed to the running callback; `usersig` is NULL or a
/// NUL-terminated string; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_usersig_sink_set(
    sink: *mut timadmin_usersig_sink,
    usersig: *const c_char,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { OutParam::new(error_out) };
    guard(error_out, || {
        // SAFETY: `sink` and `usersig` are NULL or valid (this function's contract).
        let (sink, usersig) = unsafe { (arg_mut(sink, "sink")?, req_str(usersig, "usersig")?) };
        sink.usersig = Some(usersig.to_owned());
        Ok(())
    })
}

/// A provider callback and its userdata, callable from any thread (the caller promised so).
#[derive(Clone, Copy)]
struct Provider {
    callback: unsafe extern "C" fn(*mut c_void, *mut timadmin_usersig_sink) -> bool,
    userdata: *mut c_void,
}

// SAFETY: `timadmin_usersig_provider_callback` documents that the callback and its userdata
// must be thread-safe.
unsafe impl Send for Provider {}
// SAFETY: as above.
unsafe impl Sync for Provider {}

impl Provider {
    fn call(&self) -> Result<String, String> {
        let mut sink = timadmin_usersig_sink::default();
        // SAFETY: the caller supplied a valid, thread-safe callback and userdata that outlive
        // the clients built with it (`timadmin_usersig_provider_callback`); `sink` outlives
        // the call.
        let ok = unsafe { (self.callback)(self.userdata, &mut sink) };
        match (ok, sink.usersig) {
            (true, Some(sig)) => Ok(sig),
            (true, None) => {
                Err("the UserSig provider callback returned true without calling timadmin_usersig_sink_set".into())
            }
            (false, _) => Err("the UserSig provider callback reported failure".into()),
        }
    }
}

/// What calls do while the Redis behind a shared rate limit
/// (`timadmin_client_options_set_rate_limit_redis_url`) cannot be reached; the values
/// `timadmin_client_options_set_redis_fallback` takes. Unset: `LOCAL_SHARE`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum timadmin_redis_fallback {
    /// Each process keeps each endpoint under `rate_limit / fleet_size` on its own.
    LocalShare = 1,
    /// Calls fail with `TIMADMIN_STATUS_RATE_LIMITER_UNAVAILABLE` (nothing is sent) until Redis
    /// answers again.
    Fail = 2,
}

/// How to build a client (core: `ClientOptions`): an opaque object made by
/// `timadmin_client_options_new`, filled with one `timadmin_client_options_set_*` call per
/// setting, passed to `timadmin_client_new` (which may be called any number of times with it)
/// and freed with `timadmin_client_options_free`.
///
/// Set `sdkappid`, exactly one of `secret_key`, `usersig` or `usersig_provider`, and any
/// optional setting; setting one again replaces the earlier value. Unset settings take the
/// core's defaults: identifier `administrator`, region China, 10 s timeout, 3 retries, 200
/// calls/s per endpoint, 24 h UserSig lifetime, 4 MiB response bodies, 64 calls in flight,
/// clear-text HTTP only to loopback, no shared rate limit (fleet size 1 and the `LOCAL_SHARE`
/// fallback when one is set). Setters copy their strings; they check only the C types (NULL,
/// UTF-8, numbers a setting's type cannot hold): the values themselves are checked by
/// `timadmin_client_new`, whose error names the setting at fault.
///
/// Not thread-safe while being set; `timadmin_client_new` only reads it.
#[derive(Default)]
pub struct timadmin_client_options {
    pub(crate) inner: ClientOptions,
}

impl std::fmt::Debug for timadmin_client_options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The core's Debug redacts the credentials and the Redis password.
        self.inner.fmt(f)
    }
}

/// Makes an empty options object (every setting unset). Never NULL; free it with
/// `timadmin_client_options_free`.
#[no_mangle]
pub extern "C" fn timadmin_client_options_new() -> *mut timadmin_client_options {
    to_boxed_mut_ptr(timadmin_client_options::default())
}

/// Frees an options object. NULL is a no-op; clients built from it are not affected.
///
/// # Safety
///
/// `options` is NULL or an object from `timadmin_client_options_new` not freed yet; nothing
/// uses it afterwards.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_options_free(options: *mut timadmin_client_options) {
    // SAFETY: per this function's contract `options` is NULL or owned by the caller (made by
    // `to_boxed_mut_ptr`), who gives it up here.
    unsafe { builder::free(options) }
}

/// Runs a setter of the client options (see [`builder::set`]).
///
/// # Safety
///
/// `options` is NULL or a live options object nothing else uses during the call;
/// `error_out` is NULL or writable.
unsafe fn setter(
    options: *mut timadmin_client_options,
    error_out: *mut *mut timadmin_error,
    set: impl FnOnce(&mut ClientOptions) -> Result<(), timadmin_error>,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe { builder::set(options, "options", error_out, |o| set(&mut o.inner)) }
}

/// A string setter of the client options: required, UTF-8, copied (see [`builder::set_str`]).
///
/// # Safety
///
/// As for [`setter`], and `value` is NULL or a NUL-terminated string.
unsafe fn string_setter(
    options: *mut timadmin_client_options,
    value: *const c_char,
    name: &str,
    error_out: *mut *mut timadmin_error,
    set: impl FnOnce(&mut ClientOptions, String),
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe { builder::set_str(options, "options", value, name, error_out, |o, v| set(&mut o.inner, v)) }
}

/// Seconds as a duration; a value no duration can hold (negative, NaN, infinite, too large)
/// is refused naming `name`. Zero and other values a duration can hold go to the core's rules.
fn seconds(value: f64, name: &str) -> Result<Duration, timadmin_error> {
    Duration::try_from_secs_f64(value)
        .map_err(|_| timadmin_error::invalid(name, &format!("{value} is not a number of seconds a duration can hold")))
}

/// Sets `sdkappid` (required): the app's SDKAppID.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`options`). On failure a new error is written to
/// `*error_out` when `error_out` is not NULL (the caller frees it).
///
/// # Safety
///
/// `options` is NULL or a live options object not used by another thread during the call;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_options_set_sdkappid(
    options: *mut timadmin_client_options,
    sdkappid: u64,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        setter(options, error_out, |o| {
            o.sdkappid = Some(sdkappid);
            Ok(())
        })
    }
}

/// Sets `secret_key`: the console secret key; the client signs and renews its own admin
/// UserSig. One credential only (`secret_key`, `usersig` or `usersig_provider`). The key is
/// copied and never appears in an error.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`options`, `secret_key`),
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` (not UTF-8). On failure a new error is written to
/// `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `options` is NULL or a live options object not used by another thread during the call;
/// `secret_key` is NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_options_set_secret_key(
    options: *mut timadmin_client_options,
    secret_key: *const c_char,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe { string_setter(options, secret_key, "secret_key", error_out, |o, v| o.secret_key = Some(v)) }
}

/// Sets `usersig`: a pre-signed admin UserSig, used as is until the service rejects it. One
/// credential only. Copied; never appears in an error.
///
/// Errors as for `timadmin_client_options_set_secret_key`.
///
/// # Safety
///
/// `options` is NULL or a live options object not used by another thread during the call;
/// `usersig` is NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_options_set_usersig(
    options: *mut timadmin_client_options,
    usersig: *const c_char,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe { string_setter(options, usersig, "usersig", error_out, |o, v| o.usersig = Some(v)) }
}

/// Sets `usersig_provider`: a callback that supplies UserSigs on demand (see
/// `timadmin_usersig_provider_callback`), passed `userdata` as is. One credential only.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`options`, `usersig_provider`). On failure a new
/// error is written to `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `options` is NULL or a live options object not used by another thread during the call;
/// `usersig_provider` and `userdata` meet `timadmin_usersig_provider_callback`'s contract;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_options_set_usersig_provider(
    options: *mut timadmin_client_options,
    usersig_provider: timadmin_usersig_provider_callback,
    userdata: *mut c_void,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        setter(options, error_out, |o| {
            let callback = usersig_provider.ok_or_else(|| timadmin_error::null("usersig_provider"))?;
            let provider = Provider { callback, userdata };
            o.usersig_provider = Some(Arc::new(move || provider.call()) as Arc<dyn UserSigProvider>);
            Ok(())
        })
    }
}

/// Sets `identifier`: the app admin account calls are made as (unset: `administrator`).
///
/// Errors as for `timadmin_client_options_set_secret_key`.
///
/// # Safety
///
/// `options` is NULL or a live options object not used by another thread during the call;
/// `identifier` is NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_options_set_identifier(
    options: *mut timadmin_client_options,
    identifier: *const c_char,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe { string_setter(options, identifier, "identifier", error_out, |o, v| o.identifier = Some(v)) }
}

/// Sets `region`: a documented region (`china`, `singapore`, `seoul`, `frankfurt`, `mumbai`,
/// `silicon-valley`, `jakarta`, `tokyo`, or aliases such as `sgp`); unset: China. Not
/// together with `base_url`.
///
/// Errors as for `timadmin_client_options_set_secret_key`.
///
/// # Safety
///
/// `options` is NULL or a live options object not used by another thread during the call;
/// `region` is NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_options_set_region(
    options: *mut timadmin_client_options,
    region: *const c_char,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe { string_setter(options, region, "region", error_out, |o, v| o.region = Some(v)) }
}

/// Sets `base_url`: an explicit base URL (emulator, proxy), e.g. `http://127.0.0.1:8080`,
/// instead of a region. Not together with `region`.
///
/// Errors as for `timadmin_client_options_set_secret_key`.
///
/// # Safety
///
/// `options` is NULL or a live options object not used by another thread during the call;
/// `base_url` is NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_options_set_base_url(
    options: *mut timadmin_client_options,
    base_url: *const c_char,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe { string_setter(options, base_url, "base_url", error_out, |o, v| o.base_url = Some(v)) }
}

/// Sets `timeout`: the limit for one HTTP attempt, in seconds (fractions allowed; must be
/// above zero; unset: 10).
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`options`), `TIMADMIN_STATUS_INVALID_ARGUMENT`
/// (negative, NaN, infinite or too large for a duration). On failure a new error is written to
/// `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `options` is NULL or a live options object not used by another thread during the call;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_options_set_timeout(
    options: *mut timadmin_client_options,
    seconds: f64,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        setter(options, error_out, |o| {
            o.timeout = Some(self::seconds(seconds, "timeout")?);
            Ok(())
        })
    }
}

/// Sets `max_retries`: retries after a failed attempt (0 disables retrying; unset: 3).
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`options`). On failure a new error is written to
/// `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `options` is NULL or a live options object not used by another thread during the call;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_options_set_max_retries(
    options: *mut timadmin_client_options,
    max_retries: u32,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        setter(options, error_out, |o| {
            o.max_retries = Some(max_retries);
            Ok(())
        })
    }
}

/// Sets `rate_limit`: client-side calls per second per endpoint (the whole fleet's with a
/// Redis URL; unset: 200). Replaces an earlier `timadmin_client_options_set_rate_limit_off`.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`options`). On failure a new error is written to
/// `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `options` is NULL or a live options object not used by another thread during the call;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_options_set_rate_limit(
    options: *mut timadmin_client_options,
    rate_limit: f64,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        setter(options, error_out, |o| {
            o.rate_limit = Some(RateLimit::PerSecond(rate_limit));
            Ok(())
        })
    }
}

/// Sets `rate_limit` to off: no client-side rate limit (the service still enforces its own).
/// Replaces an earlier `timadmin_client_options_set_rate_limit`.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`options`). On failure a new error is written to
/// `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `options` is NULL or a live options object not used by another thread during the call;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_options_set_rate_limit_off(
    options: *mut timadmin_client_options,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        setter(options, error_out, |o| {
            o.rate_limit = Some(RateLimit::Off);
            Ok(())
        })
    }
}

/// Sets `usersig_lifetime`: the lifetime of self-signed admin UserSigs, in seconds (at least
/// 60; unset: 86400; secret-key credentials only).
///
/// Errors as for `timadmin_client_options_set_timeout`.
///
/// # Safety
///
/// `options` is NULL or a live options object not used by another thread during the call;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_options_set_usersig_lifetime(
    options: *mut timadmin_client_options,
    seconds: f64,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        setter(options, error_out, |o| {
            o.usersig_lifetime = Some(self::seconds(seconds, "usersig_lifetime")?);
            Ok(())
        })
    }
}

/// Sets `max_response_bytes`: the largest response body read, in bytes (1024..=1073741824;
/// unset: 4 MiB). A larger answer fails with `TIMADMIN_STATUS_BODY_TOO_LARGE`.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`options`). On failure a new error is written to
/// `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `options` is NULL or a live options object not used by another thread during the call;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_options_set_max_response_bytes(
    options: *mut timadmin_client_options,
    max_response_bytes: u64,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        setter(options, error_out, |o| {
            o.max_response_bytes = Some(max_response_bytes);
            Ok(())
        })
    }
}

/// Sets `allow_insecure_http`: true allows a plain `http://` `base_url` to a host other than
/// loopback (127.0.0.0/8, ::1, localhost). Off by default: every request carries the UserSig
/// in its URL, readable by anyone on a clear-text path.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`options`). On failure a new error is written to
/// `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `options` is NULL or a live options object not used by another thread during the call;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_options_set_allow_insecure_http(
    options: *mut timadmin_client_options,
    allow_insecure_http: bool,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        setter(options, error_out, |o| {
            o.allow_insecure_http = Some(allow_insecure_http);
            Ok(())
        })
    }
}

/// Sets `max_in_flight`: HTTP attempts in flight at once for a client, across all threads
/// (1..=10000; unset: 64); more calls wait for a slot.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`options`). On failure a new error is written to
/// `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `options` is NULL or a live options object not used by another thread during the call;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_options_set_max_in_flight(
    options: *mut timadmin_client_options,
    max_in_flight: u32,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        setter(options, error_out, |o| {
            o.max_in_flight = Some(max_in_flight);
            Ok(())
        })
    }
}

/// Sets `rate_limit_redis_url`: share the rate limit (`rate_limit`, the whole fleet's budget)
/// with every process of the app using this Redis: `redis://[:password@]host:port/db`. Copied;
/// never shown in errors or logs. Unset: this process only.
///
/// Errors as for `timadmin_client_options_set_secret_key`.
///
/// # Safety
///
/// `options` is NULL or a live options object not used by another thread during the call;
/// `rate_limit_redis_url` is NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_options_set_rate_limit_redis_url(
    options: *mut timadmin_client_options,
    rate_limit_redis_url: *const c_char,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        string_setter(options, rate_limit_redis_url, "rate_limit_redis_url", error_out, |o, v| {
            o.rate_limit_redis_url = Some(v)
        })
    }
}

/// Sets `fleet_size`: how many processes share the budget (at least 1; unset: 1). While Redis
/// is unreachable each keeps to `rate_limit / fleet_size` per endpoint (with the `LOCAL_SHARE`
/// fallback).
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`options`). On failure a new error is written to
/// `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `options` is NULL or a live options object not used by another thread during the call;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_options_set_fleet_size(
    options: *mut timadmin_client_options,
    fleet_size: u32,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        setter(options, error_out, |o| {
            o.fleet_size = Some(fleet_size);
            Ok(())
        })
    }
}

/// Sets `redis_fallback`: what calls do while Redis is unreachable, a `timadmin_redis_fallback`
/// value (unset: `TIMADMIN_REDIS_FALLBACK_LOCAL_SHARE`).
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`options`), `TIMADMIN_STATUS_INVALID_ARGUMENT`
/// (not a `timadmin_redis_fallback` value). On failure a new error is written to `*error_out`
/// when `error_out` is not NULL.
///
/// # Safety
///
/// `options` is NULL or a live options object not used by another thread during the call;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_options_set_redis_fallback(
    options: *mut timadmin_client_options,
    redis_fallback: c_int,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        setter(options, error_out, |o| {
            o.redis_fallback = Some(match redis_fallback {
                1 => RedisFallback::LocalShare,
                2 => RedisFallback::Fail,
                other => {
                    return Err(timadmin_error::invalid(
                        "redis_fallback",
                        &format!("{other} is not a timadmin_redis_fallback value"),
                    ))
                }
            });
            Ok(())
        })
    }
}
