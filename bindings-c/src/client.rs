//! The client: configuration, construction, and the three endpoints.

use std::ffi::{c_char, CString};
use std::sync::Arc;

use timadmin::BlockingClient;

use crate::arena::ViewWithArena;
use crate::error::{guard, guard_value, timadmin_error, timadmin_status};
use crate::ffi::{arg, out, req_str};
use crate::lower;
use crate::model::{timadmin_get_group_member_info_response, timadmin_get_group_muted_account_response};
use crate::options::timadmin_client_options;
use crate::ownership::{free_box, to_boxed_mut_ptr, try_ref, OutParam};
use crate::requests::{
    timadmin_get_group_member_info_request, timadmin_get_group_muted_account_request,
    timadmin_modify_group_base_info_request,
};
use crate::usersig::timadmin_string;

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
        Ok(timadmin_client { identifier: crate::error::lossy_cstring(&identifier), inner: Arc::new(inner) })
    }
}

/// Builds a client from `options` (made with `timadmin_client_options_new` and its setters),
/// checking every setting: the one place settings are refused. Makes no network call.
/// `options` is only read: it may build more clients and is freed by the caller.
///
/// On success writes a new client to `*client_out`; the caller owns it and frees it with
/// `timadmin_client_free`. Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`options`, `client_out`),
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` (bad or conflicting settings, non-UTF-8 strings),
/// `TIMADMIN_STATUS_RUNTIME`. On failure a new error is written to `*error_out` when
/// `error_out` is not NULL (the caller frees it), and `*client_out` is left untouched.
///
/// # Safety
///
/// `options` is NULL or a live options object that no thread changes during the call;
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
        let config = options.inner.clone().build()?;
        let client = timadmin_client::wrap(BlockingClient::new(config)?)?;
        client_out.write(to_boxed_mut_ptr(client));
        Ok(())
    })
}

/// Builds a client from the environment, read by the core (the same code in every host):
/// `TIM_SDKAPPID`, `TIM_SECRET_KEY` or `TIM_USERSIG`, and optionally `TIM_IDENTIFIER`,
/// `TIM_REGION` or `TIM_BASE_URL`, `TIM_TIMEOUT`, `TIM_MAX_RETRIES`, `TIM_RATE_LIMIT`,
/// `TIM_USERSIG_LIFETIME`, `TIM_MAX_RESPONSE_BYTES`, `TIM_ALLOW_INSECURE_HTTP`,
/// `TIM_MAX_IN_FLIGHT`, `TIM_RATE_LIMIT_REDIS_URL`, `TIM_FLEET_SIZE`, `TIM_REDIS_FALLBACK` (one
/// per setting of the core's table; the text forms are the core's, e.g. `TIM_TIMEOUT=500ms`,
/// `TIM_RATE_LIMIT=off`). Makes no network call.
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

/// The settings `client` runs with, as the core's effective-settings JSON (the same document
/// in every timadmin host): one object keyed by the core's setting names, every setting
/// default-filled, durations in seconds, `rate_limit` `null` when off, secrets (`secret_key`,
/// `usersig`, the provider) shown as `"***"` and the Redis URL without its password. For bug
/// reports and checks; it never contains a secret.
///
/// On success writes a new string to `*json_out` (free it with `timadmin_string_free`).
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`client`, `json_out`). On failure a new error is
/// written to `*error_out` when `error_out` is not NULL, and `*json_out` is left untouched.
///
/// # Safety
///
/// `client` is NULL or a live client; `json_out` and `error_out` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_settings_json(
    client: *const timadmin_client,
    json_out: *mut *mut timadmin_string,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded under this function's own contract.
    unsafe { write_client_json(client, json_out, error_out, "settings JSON", BlockingClient::settings_json) }
}

/// What `client` has done so far, as the core's stats JSON (the same document in every
/// timadmin host; format in the core's `timadmin::stats`): `commands` maps each REST command used
/// (`"get_group_member_info"`, ...) to `calls`, `ok`, `errors` (a count per error kind:
/// `"group_not_found"`, `"timeout"`, ...), `retries`, `rate_limit_wait_ms` (`total`, `max`) and
/// `latency_ms` (`p50`, `p99`, `max`); `in_flight` and `peak_in_flight` count HTTP attempts
/// holding one of the client's slots. No network call; never contains a secret. Any thread.
///
/// On success writes a new string to `*json_out` (free it with `timadmin_string_free`).
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`client`, `json_out`). On failure a new error is
/// written to `*error_out` when `error_out` is not NULL, and `*json_out` is left untouched.
///
/// # Safety
///
/// `client` is NULL or a live client; `json_out` and `error_out` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_stats_json(
    client: *const timadmin_client,
    json_out: *mut *mut timadmin_string,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded under this function's own contract.
    unsafe { write_client_json(client, json_out, error_out, "stats JSON", BlockingClient::stats_json) }
}

/// The body of the `timadmin_client_*_json` getters: `document` of the client, as a new string
/// in `*json_out`; `what` names it in an error.
///
/// # Safety
///
/// `client` is NULL or a live client; `json_out` and `error_out` are NULL or writable.
unsafe fn write_client_json(
    client: *const timadmin_client,
    json_out: *mut *mut timadmin_string,
    error_out: *mut *mut timadmin_error,
    what: &str,
    document: fn(&BlockingClient) -> String,
) -> timadmin_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { OutParam::new(error_out) };
    guard(error_out, || {
        // SAFETY: the pointers are NULL or valid (this function's contract).
        let (client, json_out) = unsafe { (arg(client, "client")?, out(json_out, "json_out")?) };
        let json = timadmin_string::new(document(&client.inner), what)?;
        json_out.write(to_boxed_mut_ptr(json));
        Ok(())
    })
}

/// Calls `get_group_member_info` once (one page; see `timadmin_client_for_each_member` and
/// `timadmin_client_members` for whole groups). Blocks until done; retries per the client's
/// options.
///
/// `request` is only read (it may be used again). On success writes a new response to
/// `*response_out` (free it with `timadmin_get_group_member_info_response_free`). Errors:
/// `TIMADMIN_STATUS_NULL_PARAMETER`, `TIMADMIN_STATUS_INVALID_ARGUMENT` (checked before any
/// network call), `TIMADMIN_STATUS_API` (e.g. ErrorCode 10010: no such group),
/// transport/timeout/HTTP/decode errors. On failure a new error is written to `*error_out`
/// when `error_out` is not NULL, and `*response_out` is left untouched.
///
/// # Safety
///
/// `client` is NULL or a live client; `request` is NULL or a live request from
/// `timadmin_get_group_member_info_request_new` that no thread changes during the call; `response_out` and `error_out` are NULL or writable.
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
            unsafe { (arg(client, "client")?, &arg(request, "request")?.inner, out(response_out, "response_out")?) };
        let response = client.inner.get_group_member_info(request)?;
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
/// `request` is only read (it may be used again). On success writes a new response to
/// `*response_out` (free it with `timadmin_get_group_muted_account_response_free`). Errors as
/// for `timadmin_client_get_group_member_info`. On failure a new error is written to
/// `*error_out` when `error_out` is not NULL, and `*response_out` is left untouched.
///
/// # Safety
///
/// `client` is NULL or a live client; `request` is NULL or a live request from
/// `timadmin_get_group_muted_account_request_new` that no thread changes during the call;
/// `response_out` and `error_out` are NULL or writable.
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
            unsafe { (arg(client, "client")?, &arg(request, "request")?.inner, out(response_out, "response_out")?) };
        let response = client.inner.get_group_muted_account(request)?;
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
/// `request` is only read (it may be used again). Returns `TIMADMIN_STATUS_OK` when the service
/// accepted the change. Errors as for `timadmin_client_get_group_member_info` (e.g.
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` for a `Name` over 30 bytes, before any network call). On
/// failure a new error is written to `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `client` is NULL or a live client; `request` is NULL or a live request from
/// `timadmin_modify_group_base_info_request_new` that no thread changes during the call;
/// `error_out` is NULL or writable.
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
        let (client, request) = unsafe { (arg(client, "client")?, &arg(request, "request")?.inner) };
        client.inner.modify_group_base_info(request)?;
        Ok(())
    })
}

/// Sends any REST command with a JSON body and returns the service's answer as JSON text: the
/// same signing, retries, rate limit (per command; a raw call of a typed endpoint's command
/// shares its budget), failover and redaction as the typed calls (`timadmin::Client::call`).
/// `command` is the path below `v4/`, `"service/command"` (e.g. `"openim/sendmsg"`);
/// `json_body` is a JSON object. Blocks until done.
///
/// Retries re-send the request after a timeout, a broken connection, an HTTP 5xx or a
/// retryable service error, so a non-idempotent command (`openim/sendmsg`) may act twice: use
/// its own de-duplication field, or a client with `max_retries` 0 for such calls.
///
/// On success writes the answer object (`ActionStatus`, `ErrorCode` and the command's fields)
/// to `*json_out` as a new string; the caller owns it and frees it with `timadmin_string_free`
/// (read it with `timadmin_string_get`). Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`client`,
/// `command`, `json_body`, `json_out`), `TIMADMIN_STATUS_INVALID_ARGUMENT` before any network
/// call (`timadmin_error_field`: `"command"` for a path that is not `service/command` of
/// `[A-Za-z0-9_]`, `"body"` for a body that is not a JSON object, either for non-UTF-8 text),
/// `TIMADMIN_STATUS_API` for a failure answer (ErrorCode 10003 for an unknown command), and
/// transport/timeout/HTTP/decode errors. On failure a new error is written to `*error_out` when
/// `error_out` is not NULL, and `*json_out` is left untouched.
///
/// # Safety
///
/// `client` is NULL or a live client; `command` and `json_body` are NULL or NUL-terminated
/// strings that stay unchanged during the call; `json_out` and `error_out` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_client_call(
    client: *const timadmin_client,
    command: *const c_char,
    json_body: *const c_char,
    json_out: *mut *mut timadmin_string,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { OutParam::new(error_out) };
    guard(error_out, || {
        // SAFETY: the pointers are NULL or valid (this function's contract).
        let (client, command, json_body, json_out) = unsafe {
            (
                arg(client, "client")?,
                req_str(command, "command")?,
                req_str(json_body, "json_body")?,
                out(json_out, "json_out")?,
            )
        };
        let body: serde_json::Value =
            serde_json::from_str(json_body).map_err(|e| timadmin::Error::invalid("body", format!("not JSON: {e}")))?;
        let answer = client.inner.call(command, &body)?;
        let json = timadmin_string::new(answer.to_string(), "the answer JSON")?;
        json_out.write(to_boxed_mut_ptr(json));
        Ok(())
    })
}
