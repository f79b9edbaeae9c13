//! The client: configuration, construction, and the three endpoints.

use std::ffi::{c_char, c_int, c_void, CString};
use std::sync::Arc;
use std::time::Duration;

use timadmin::{BlockingClient, ClientOptions, Config, RateLimit, RedisFallback, UserSigProvider};

use crate::arena::ViewWithArena;
use crate::error::{guard, guard_value, timadmin_error, timadmin_status};
use crate::ffi::{arg, arg_mut, opt_str, out, req_str};
use crate::lower;
use crate::model::{
    timadmin_get_group_member_info_request, timadmin_get_group_member_info_response,
    timadmin_get_group_muted_account_request, timadmin_get_group_muted_account_response,
    timadmin_modify_group_base_info_request,
};
use crate::ownership::{free_box, to_boxed_mut_ptr, try_ref, OutParam};

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
/// until the client is freed. It must not throw or longjmp.
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
        // the client (`timadmin_usersig_provider_callback`); `sink` outlives the call.
        let ok = unsafe { (self.callback)(self.userdata, &mut sink) };
        match (ok, sink.usersig) {
            (true, Some(sig)) => Ok(sig),
            (true, None) => Err("the UserSig provider callback returned true without calling timadmin_usersig_sink_set".into()),
            (false, _) => Err("the UserSig provider callback reported failure".into()),
        }
    }
}

/// What calls do while the Redis behind a shared rate limit (`timadmin_client_options.rate_limit_redis_url`)
/// cannot be reached. Used as an `int` in `timadmin_client_options` so that a zeroed struct means "the
/// default".
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum timadmin_redis_fallback {
    /// The default: `LOCAL_SHARE`.
    Unset = 0,
    /// Each process keeps each endpoint under `rate_limit / fleet_size` on its own.
    LocalShare = 1,
    /// Calls fail with `TIMADMIN_STATUS_RATE_LIMITER_UNAVAILABLE` (nothing is sent) until Redis
    /// answers again.
    Fail = 2,
}

/// How to build a client (core: `ClientOptions`). Zero it
/// (`timadmin_client_options options = {0};`), then set `sdkappid`, exactly one of
/// `secret_key`, `usersig` or `usersig_provider`, and any optional field. Unset optional
/// fields take the core's defaults: identifier `administrator`, region China, 10 s timeout,
/// 3 retries, 200 calls/s per endpoint, 24 h UserSig lifetime, 4 MiB response bodies, 64
/// calls in flight, clear-text HTTP only to loopback, no shared rate limit (fleet size 1 and the
/// `LOCAL_SHARE` fallback when one is set). Fields added in later versions are appended at the
/// end, so a zeroed struct keeps meaning "defaults".
///
/// Read only during `timadmin_client_new`; the caller keeps ownership of every string (the
/// client copies what it needs).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct timadmin_client_options {
    /// The app's SDKAppID (required, non-zero).
    pub sdkappid: u64,
    /// The console secret key: the client signs and renews its own admin UserSig. NULL = unset.
    pub secret_key: *const c_char,
    /// A pre-signed admin UserSig, used as is. NULL = unset.
    pub usersig: *const c_char,
    /// A callback that supplies UserSigs on demand. NULL = unset.
    pub usersig_provider: timadmin_usersig_provider_callback,
    /// Passed as is to `usersig_provider`.
    pub usersig_provider_userdata: *mut c_void,
    /// The app admin account calls are made as. NULL = `administrator`.
    pub identifier: *const c_char,
    /// A documented region (`china`, `singapore`, `seoul`, `frankfurt`, `mumbai`,
    /// `silicon-valley`, `jakarta`, `tokyo`, or aliases such as `sgp`). NULL = China.
    /// Not together with `base_url`.
    pub region: *const c_char,
    /// An explicit base URL (emulator, proxy), e.g. `http://127.0.0.1:8080`. NULL = use the
    /// region. Not together with `region`.
    pub base_url: *const c_char,
    /// Whether `timeout_ms` is set.
    pub has_timeout_ms: bool,
    /// Limit for one HTTP attempt, in milliseconds (must be > 0).
    pub timeout_ms: u64,
    /// Whether `max_retries` is set.
    pub has_max_retries: bool,
    /// Retries after a failed attempt (0 disables retrying).
    pub max_retries: u32,
    /// True disables the client-side rate limiter.
    pub disable_rate_limit: bool,
    /// Whether `rate_limit` is set.
    pub has_rate_limit: bool,
    /// Client-side calls per second per endpoint (must be > 0).
    pub rate_limit: f64,
    /// Whether `usersig_lifetime_secs` is set.
    pub has_usersig_lifetime_secs: bool,
    /// Lifetime of self-signed admin UserSigs in seconds (at least 60).
    pub usersig_lifetime_secs: u64,
    /// Whether `max_response_bytes` is set.
    pub has_max_response_bytes: bool,
    /// Largest response body read, in bytes (1024..=1073741824; default 4 MiB). A larger
    /// answer fails with `TIMADMIN_STATUS_BODY_TOO_LARGE`.
    pub max_response_bytes: u64,
    /// True allows a plain `http://` `base_url` to a host other than loopback (127.0.0.0/8,
    /// ::1, localhost). Off by default: every request carries the UserSig in its URL, readable
    /// by anyone on a clear-text path.
    pub allow_insecure_http: bool,
    /// Whether `max_in_flight` is set.
    pub has_max_in_flight: bool,
    /// HTTP attempts in flight at once for this client, across all threads (1..=10000;
    /// default 64); more calls wait for a slot.
    pub max_in_flight: u32,
    /// Share the rate limit (`rate_limit`, the whole fleet's budget) with every process of the
    /// app using this Redis: `redis://[:password@]host:port/db`. Never shown in errors or logs.
    /// NULL = this process only. (Added after `max_in_flight`, at the end of the struct.)
    pub rate_limit_redis_url: *const c_char,
    /// Whether `fleet_size` is set.
    pub has_fleet_size: bool,
    /// How many processes share the budget (at least 1): while Redis is unreachable each keeps
    /// to `rate_limit / fleet_size` per endpoint (with the `LOCAL_SHARE` fallback).
    pub fleet_size: u32,
    /// A `timadmin_redis_fallback` value: what calls do while Redis is unreachable. 0 = unset.
    pub redis_fallback: c_int,
}

impl timadmin_client_options {
    /// The C fields as the core's [`ClientOptions`], which checks them and fills in the
    /// defaults. Only what is specific to C is decided here: NULL or `has_*` false means unset,
    /// strings must be UTF-8, and `disable_rate_limit` is the C spelling of `RateLimit::Off`.
    ///
    /// # Safety
    ///
    /// Every string field is NULL or a live NUL-terminated string for the duration of the
    /// call; `usersig_provider` and its userdata meet `timadmin_usersig_provider_callback`'s
    /// contract.
    unsafe fn read(&self) -> Result<Config, timadmin_error> {
        // SAFETY: every string field is NULL or live (this function's contract).
        let owned = |ptr: *const c_char, name: &str| unsafe { opt_str(ptr, name) }.map(|s| s.map(str::to_owned));
        let usersig_provider = self.usersig_provider.map(|callback| {
            let provider = Provider {
                callback,
                userdata: self.usersig_provider_userdata,
            };
            Arc::new(move || provider.call()) as Arc<dyn UserSigProvider>
        });
        let rate_limit = match (self.disable_rate_limit, self.has_rate_limit) {
            (true, true) => {
                return Err(timadmin_error::invalid("rate_limit", "set rate_limit or disable_rate_limit, not both"))
            }
            (true, false) => Some(RateLimit::Off),
            (false, true) => Some(RateLimit::PerSecond(self.rate_limit)),
            (false, false) => None,
        };
        let options = ClientOptions {
            sdkappid: Some(self.sdkappid),
            secret_key: owned(self.secret_key, "secret_key")?,
            usersig: owned(self.usersig, "usersig")?,
            usersig_provider,
            identifier: owned(self.identifier, "identifier")?,
            region: owned(self.region, "region")?,
            base_url: owned(self.base_url, "base_url")?,
            timeout: self.has_timeout_ms.then(|| Duration::from_millis(self.timeout_ms)),
            max_retries: self.has_max_retries.then_some(self.max_retries),
            rate_limit,
            usersig_lifetime: self
                .has_usersig_lifetime_secs
                .then(|| Duration::from_secs(self.usersig_lifetime_secs)),
            max_response_bytes: self.has_max_response_bytes.then_some(self.max_response_bytes),
            allow_insecure_http: Some(self.allow_insecure_http),
            max_in_flight: self.has_max_in_flight.then_some(self.max_in_flight),
            rate_limit_redis_url: owned(self.rate_limit_redis_url, "rate_limit_redis_url")?,
            fleet_size: self.has_fleet_size.then_some(self.fleet_size),
            redis_fallback: match self.redis_fallback {
                0 => None,
                1 => Some(RedisFallback::LocalShare),
                2 => Some(RedisFallback::Fail),
                other => {
                    return Err(timadmin_error::invalid(
                        "redis_fallback",
                        &format!("{other} is not a timadmin_redis_fallback value"),
                    ))
                }
            },
            ..ClientOptions::default()
        };
        Ok(options.build()?)
    }
}

/// A configured connection to the service, wrapping the core's blocking client (which owns a
/// small runtime with two worker threads).
///
/// Thread safety: one client may be shared by any number of threads and used concurrently
/// (calls share its connection pool, UserSig cache and rate limiter); each call blocks only its
/// calling thread. It survives `fork()`: the child gets fresh worker threads on its first call.
/// Free it with `timadmin_client_free` once no other thread uses it; pagers made from it keep
/// what they need alive on their own.
#[derive(Debug)]
pub struct timadmin_client {
    pub(crate) inner: Arc<BlockingClient>,
    identifier: CString,
}

impl timadmin_client {
    fn wrap(inner: BlockingClient) -> Result<Self, timadmin_error> {
        let identifier = inner.client()?.identifier().to_owned();
        Ok(timadmin_client {
            identifier: crate::error::lossy_cstring(&identifier),
            inner: Arc::new(inner),
        })
    }
}

/// Builds a client from `options`. Makes no network call.
///
/// On success writes a new client to `*client_out`; the caller owns it and frees it with
/// `timadmin_client_free`. Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`options`, `client_out`),
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` (bad or conflicting settings, non-UTF-8 strings),
/// `TIMADMIN_STATUS_RUNTIME`. On failure a new error is written to `*error_out` when
/// `error_out` is not NULL (the caller frees it), and `*client_out` is left untouched.
///
/// # Safety
///
/// `options` is NULL or points to options whose strings are NULL or NUL-terminated;
/// `client_out` and `error_out` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_new(
    options: *const timadmin_client_options,
    client_out: *mut *mut timadmin_client,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { OutParam::new(error_out) };
    guard(error_out, || {
        // SAFETY: the pointers are NULL or valid (this function's contract).
        let (options, client_out) = unsafe { (arg(options, "options")?, out(client_out, "client_out")?) };
        // SAFETY: the strings of `options` are NULL or NUL-terminated (this function's contract).
        let config = unsafe { options.read() }?;
        let client = timadmin_client::wrap(BlockingClient::new(config)?)?;
        client_out.write(to_boxed_mut_ptr(client));
        Ok(())
    })
}

/// Builds a client from the environment: `TIM_SDKAPPID`, `TIM_SECRET_KEY` or `TIM_USERSIG`,
/// and optionally `TIM_IDENTIFIER`, `TIM_REGION`, `TIM_BASE_URL`. Makes no network call.
///
/// On success writes a new client to `*client_out` (free it with `timadmin_client_free`).
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`client_out`), `TIMADMIN_STATUS_INVALID_ARGUMENT`
/// (a variable missing or malformed; `timadmin_error_field` names it). On failure a new error
/// is written to `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `client_out` and `error_out` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_new_from_env(
    client_out: *mut *mut timadmin_client,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { OutParam::new(error_out) };
    guard(error_out, || {
        // SAFETY: `client_out` is NULL or writable (this function's contract).
        let client_out = unsafe { out(client_out, "client_out") }?;
        let client = timadmin_client::wrap(BlockingClient::from_env()?)?;
        client_out.write(to_boxed_mut_ptr(client));
        Ok(())
    })
}

/// Frees a client and stops its worker threads. NULL is a no-op; freeing twice, or while
/// another thread is still using the client, is undefined behaviour. Must not be called from
/// inside a callback the client is running (`timadmin_client_for_each_member` callbacks are
/// fine: they run on the caller's thread).
///
/// # Safety
///
/// `client` is NULL or a client from `timadmin_client_new*` not freed yet and no longer used
/// by any thread.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_free(client: *mut timadmin_client) {
    // SAFETY: per this function's contract `client` is NULL or owned by the caller, who gives
    // it up here.
    guard_value((), || unsafe { free_box(client) });
}

/// The SDKAppID `client` calls as; 0 when `client` is NULL.
///
/// # Safety
///
/// `client` is NULL or a live client.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_sdkappid(client: *const timadmin_client) -> u64 {
    // SAFETY: `client` is NULL or live (this function's contract).
    let client = unsafe { try_ref(client) };
    client.map_or(0, |c| guard_value(0, || c.inner.client().map_or(0, |inner| inner.sdkappid())))
}

/// The admin identifier `client` calls as. Owned by `client`: valid until
/// `timadmin_client_free(client)`. NULL when `client` is NULL.
///
/// # Safety
///
/// `client` is NULL or a live client.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_identifier(client: *const timadmin_client) -> *const c_char {
    // SAFETY: `client` is NULL or live (this function's contract).
    let client = unsafe { try_ref(client) };
    client.map_or(std::ptr::null(), |c| c.identifier.as_ptr())
}

/// Calls `get_group_member_info` once (one page; see `timadmin_client_for_each_member` and
/// `timadmin_client_members` for whole groups). Blocks until done; retries per the client's
/// options.
///
/// `request` is only read during the call. On success writes a new response to
/// `*response_out` (free it with `timadmin_get_group_member_info_response_free`). Errors:
/// `TIMADMIN_STATUS_NULL_PARAMETER`, `TIMADMIN_STATUS_INVALID_ARGUMENT` (checked before any
/// network call), `TIMADMIN_STATUS_SERVICE_ERROR` (e.g. ErrorCode 10010: no such group),
/// transport/timeout/HTTP/decode errors. On failure a new error is written to `*error_out`
/// when `error_out` is not NULL, and `*response_out` is left untouched.
///
/// # Safety
///
/// `client` is NULL or a live client; `request` is NULL or a request whose pointers are valid
/// as documented; `response_out` and `error_out` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_get_group_member_info(
    client: *const timadmin_client,
    request: *const timadmin_get_group_member_info_request,
    response_out: *mut *mut timadmin_get_group_member_info_response,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { OutParam::new(error_out) };
    guard(error_out, || {
        // SAFETY: the pointers are NULL or valid (this function's contract).
        let (client, request, response_out) =
            unsafe { (arg(client, "client")?, arg(request, "request")?.read()?, out(response_out, "response_out")?) };
        let response = client.inner.get_group_member_info(&request)?;
        response_out.write(lower::get_group_member_info_response(&response)?.into_view_ptr());
        Ok(())
    })
}

/// Frees a response returned by `timadmin_client_get_group_member_info`, and every string and
/// array it points to. NULL is a no-op.
///
/// # Safety
///
/// `response` is NULL or a pointer `timadmin_client_get_group_member_info` wrote (not a copy
/// of the struct) that has not been freed yet; nothing uses it afterwards.
#[no_mangle]
pub unsafe extern "C" fn timadmin_get_group_member_info_response_free(
    response: *mut timadmin_get_group_member_info_response,
) {
    // SAFETY: per this function's contract `response` is NULL or came from `into_view_ptr` of
    // a `ViewWithArena<timadmin_get_group_member_info_response>`, not yet freed.
    guard_value((), || unsafe { ViewWithArena::free(response) });
}

/// Calls `get_group_muted_account`. Blocks until done; retries per the client's options.
///
/// `request` is only read during the call. On success writes a new response to
/// `*response_out` (free it with `timadmin_get_group_muted_account_response_free`). Errors as
/// for `timadmin_client_get_group_member_info`. On failure a new error is written to
/// `*error_out` when `error_out` is not NULL, and `*response_out` is left untouched.
///
/// # Safety
///
/// As for `timadmin_client_get_group_member_info`.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_get_group_muted_account(
    client: *const timadmin_client,
    request: *const timadmin_get_group_muted_account_request,
    response_out: *mut *mut timadmin_get_group_muted_account_response,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { OutParam::new(error_out) };
    guard(error_out, || {
        // SAFETY: the pointers are NULL or valid (this function's contract).
        let (client, request, response_out) =
            unsafe { (arg(client, "client")?, arg(request, "request")?.read()?, out(response_out, "response_out")?) };
        let response = client.inner.get_group_muted_account(&request)?;
        response_out.write(lower::get_group_muted_account_response(&response)?.into_view_ptr());
        Ok(())
    })
}

/// Frees a response returned by `timadmin_client_get_group_muted_account`, and every string and
/// array it points to. NULL is a no-op.
///
/// # Safety
///
/// `response` is NULL or a pointer `timadmin_client_get_group_muted_account` wrote (not a copy
/// of the struct) that has not been freed yet; nothing uses it afterwards.
#[no_mangle]
pub unsafe extern "C" fn timadmin_get_group_muted_account_response_free(
    response: *mut timadmin_get_group_muted_account_response,
) {
    // SAFETY: per this function's contract `response` is NULL or came from `into_view_ptr` of
    // a `ViewWithArena<timadmin_get_group_muted_account_response>`, not yet freed.
    guard_value((), || unsafe { ViewWithArena::free(response) });
}

/// Calls `modify_group_base_info`: changes the fields of `request` that are set. Blocks until
/// done; retries per the client's options.
///
/// `request` is only read during the call. Returns `TIMADMIN_STATUS_OK` when the service
/// accepted the change. Errors as for `timadmin_client_get_group_member_info` (e.g.
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` for a `Name` over 30 bytes, before any network call). On
/// failure a new error is written to `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// As for `timadmin_client_get_group_member_info`.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_modify_group_base_info(
    client: *const timadmin_client,
    request: *const timadmin_modify_group_base_info_request,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { OutParam::new(error_out) };
    guard(error_out, || {
        // SAFETY: the pointers are NULL or valid (this function's contract).
        let (client, request) = unsafe { (arg(client, "client")?, arg(request, "request")?.read()?) };
        client.inner.modify_group_base_info(&request)?;
        Ok(())
    })
}
