//! Status codes and the error object.

use std::any::Any;
use std::ffi::{c_char, c_int, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::ownership::{free_box, to_boxed_mut_ptr, try_ref, OutParam};

/// The outcome of every fallible libtimadmin function. `TIMADMIN_STATUS_OK` (0) is success;
/// every other value is a failure whose detail is in the `timadmin_error` written through the
/// function's `error_out` parameter.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum timadmin_status {
    /// Success.
    Ok = 0,
    /// A caller-supplied value was rejected before any network call (including strings that
    /// are not valid UTF-8). `timadmin_error_field` names the field at fault.
    InvalidArgument = 1,
    /// A pointer argument that must not be NULL was NULL. `timadmin_error_field` names it.
    NullParameter = 2,
    /// The service answered with a non-zero ErrorCode (core: `Error::Api`): see
    /// `timadmin_error_api_code`, `timadmin_error_api_info` and `timadmin_error_api_kind`.
    Api = 3,
    /// The request never got a complete HTTP answer (connection refused, reset, DNS, TLS...).
    Transport = 4,
    /// No answer within the configured timeout.
    Timeout = 5,
    /// The HTTP status was not 200: see `timadmin_error_http_status`.
    HttpStatus = 6,
    /// The answer was not the JSON the endpoint documents (or held a string with a NUL byte,
    /// which a C string cannot carry).
    Decode = 7,
    /// Signing or verifying a UserSig failed.
    Usersig = 8,
    /// The UserSig provider callback failed or supplied nothing.
    Credentials = 9,
    /// The server broke the paging protocol (repeated cursor, no progress).
    Paging = 10,
    /// The library's runtime could not run the call (e.g. called from inside the library's own
    /// worker threads).
    Runtime = 11,
    /// A bug: the library panicked; the panic was caught at the boundary.
    Panic = 12,
    /// An error this version of the C ABI does not classify.
    Unknown = 13,
    /// The answer's body was larger than the client's `max_response_bytes` (the message names
    /// the limit); reading stopped there. Not retried.
    BodyTooLarge = 14,
    /// The shared rate limiter's Redis cannot be reached and the client was configured with
    /// `TIMADMIN_REDIS_FALLBACK_FAIL`: nothing was sent. Retryable (Redis is tried again at
    /// most every second).
    RateLimiterUnavailable = 15,
}

/// A short, static, English description of `status` (a `timadmin_status` value; unknown values
/// get "unknown status").
///
/// The returned string is static: never free it.
#[no_mangle]
pub extern "C" fn timadmin_status_description(status: c_int) -> *const c_char {
    let text: &'static std::ffi::CStr = match status {
        0 => c"ok",
        1 => c"invalid argument",
        2 => c"NULL parameter",
        3 => c"service error",
        4 => c"transport error",
        5 => c"timeout",
        6 => c"unexpected HTTP status",
        7 => c"undecodable response",
        8 => c"UserSig error",
        9 => c"credential provider error",
        10 => c"paging protocol violation",
        11 => c"runtime error",
        12 => c"internal panic",
        13 => c"unclassified error",
        14 => c"response body over the size limit",
        15 => c"shared rate limiter unavailable",
        _ => c"unknown status",
    };
    text.as_ptr()
}

/// Detail of one failure: its status, a human-readable message, and for service (API) errors
/// the service's ErrorCode and ErrorInfo. Never contains the secret key or a UserSig.
///
/// Returned through the `error_out` parameter of a failing function; the caller owns it and
/// frees it with `timadmin_error_free`. The strings it hands out live as long as it does.
/// Immutable: may be read from any thread.
#[derive(Debug)]
pub struct timadmin_error {
    pub(crate) status: timadmin_status,
    message: CString,
    api_code: i64,
    api_info: CString,
    api_kind: CString,
    api_description: CString,
    usersig_reason: CString,
    field: CString,
    http_status: u16,
    retryable: bool,
}

/// The core's name of what a C argument or request field carries: the REST name of a request
/// field (`group_id` → `GroupId`, `member_info_filter[1]` → `MemberInfoFilter`,
/// `app_defined_data[0].key` → `AppDefinedData`), so that an invalid argument names the same
/// field in every host. Settings and function parameters already carry the core's names.
pub(crate) fn core_field(c_name: &str) -> &str {
    let base = c_name.split(['[', '.']).next().unwrap_or(c_name);
    match base {
        "group_id" => "GroupId",
        "member_info_filter" => "MemberInfoFilter",
        "member_role_filter" => "MemberRoleFilter",
        "app_defined_data_filter_group_member" => "AppDefinedDataFilter_GroupMember",
        "next" => "Next",
        "topic_id" => "TopicId",
        "name" => "Name",
        "introduction" => "Introduction",
        "notification" => "Notification",
        "face_url" => "FaceUrl",
        "app_defined_data" => "AppDefinedData",
        "json_body" => "body",
        _ => c_name,
    }
}

/// A C string from text we produce; NUL bytes (never expected) are shown as `\0`.
pub(crate) fn lossy_cstring(text: &str) -> CString {
    CString::new(text.replace('\0', "\\0")).unwrap_or_default()
}

impl timadmin_error {
    pub(crate) fn new(status: timadmin_status, message: &str) -> Self {
        timadmin_error {
            status,
            message: lossy_cstring(message),
            api_code: 0,
            api_info: CString::default(),
            api_kind: CString::default(),
            api_description: CString::default(),
            usersig_reason: CString::default(),
            field: CString::default(),
            http_status: 0,
            retryable: false,
        }
    }

    fn with_field(mut self, field: &str) -> Self {
        self.field = lossy_cstring(field);
        self
    }

    /// A required pointer argument was NULL.
    pub(crate) fn null(name: &str) -> Self {
        Self::new(timadmin_status::NullParameter, &format!("argument `{name}` must not be NULL")).with_field(name)
    }

    /// A required field of a request was given as NULL to one of its builder's functions: the
    /// message names the C argument, the field is the core's name for it ([`core_field`]).
    pub(crate) fn null_field(name: &str) -> Self {
        Self::null(name).with_field(core_field(name))
    }

    /// A string argument was not UTF-8. The message names the C argument (`name`, e.g.
    /// `member_info_filter[1]`); the field is the core's name for it ([`core_field`]), as for
    /// every invalid argument.
    pub(crate) fn utf8(name: &str) -> Self {
        Self::new(timadmin_status::InvalidArgument, &format!("argument `{name}` is not valid UTF-8"))
            .with_field(core_field(name))
    }

    /// A value the C structs can express but the core's types cannot (shape errors only; every
    /// rule about values lives in the core).
    pub(crate) fn invalid(field: &str, reason: &str) -> Self {
        Self::new(timadmin_status::InvalidArgument, &format!("invalid argument {field}: {reason}")).with_field(field)
    }

    /// A string from the service holds a NUL byte.
    pub(crate) fn nul_in_output(field: &str) -> Self {
        Self::new(
            timadmin_status::Decode,
            &format!("the service returned a {field} containing a NUL byte, which a C string cannot hold"),
        )
        .with_field(field)
    }

    fn panic(payload: &(dyn Any + Send)) -> Self {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic payload".to_owned());
        Self::new(timadmin_status::Panic, &format!("internal panic caught at the C boundary: {what}"))
    }
}

impl From<timadmin::Error> for timadmin_error {
    fn from(e: timadmin::Error) -> Self {
        use timadmin::Error as E;
        let status = match &e {
            E::Api { .. } => timadmin_status::Api,
            E::Transport(_) => timadmin_status::Transport,
            E::Timeout(_) => timadmin_status::Timeout,
            E::HttpStatus { .. } => timadmin_status::HttpStatus,
            E::Decode { .. } => timadmin_status::Decode,
            E::InvalidArgument { .. } => timadmin_status::InvalidArgument,
            E::UserSig(_) => timadmin_status::Usersig,
            E::Credentials(_) => timadmin_status::Credentials,
            E::Paging(_) => timadmin_status::Paging,
            E::Runtime(_) => timadmin_status::Runtime,
            E::BodyTooLarge { .. } => timadmin_status::BodyTooLarge,
            E::RateLimiterUnavailable(_) => timadmin_status::RateLimiterUnavailable,
            _ => timadmin_status::Unknown,
        };
        let mut out = timadmin_error::new(status, &e.to_string());
        out.retryable = e.is_retryable();
        match &e {
            E::Api { code, info, kind } => {
                out.api_code = *code;
                out.api_info = lossy_cstring(info);
                out.api_kind = lossy_cstring(kind.id());
                out.api_description = lossy_cstring(kind.description());
            }
            E::UserSig(reason) => out.usersig_reason = lossy_cstring(reason.reason()),
            E::HttpStatus { status, .. } => out.http_status = *status,
            E::InvalidArgument { field, .. } => out.field = lossy_cstring(field),
            _ => {}
        }
        out
    }
}

impl From<timadmin::usersig::UserSigError> for timadmin_error {
    fn from(e: timadmin::usersig::UserSigError) -> Self {
        timadmin::Error::from(e).into()
    }
}

/// Runs the body of a fallible function: catches panics, returns the status, and on failure
/// hands the error object to the caller through `error_out` (when the caller passed one).
pub(crate) fn guard(
    error_out: Option<OutParam<'_, *mut timadmin_error>>,
    body: impl FnOnce() -> Result<(), timadmin_error>,
) -> timadmin_status {
    let outcome = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(outcome) => outcome,
        Err(payload) => Err(timadmin_error::panic(payload.as_ref())),
    };
    match outcome {
        Ok(()) => timadmin_status::Ok,
        Err(error) => {
            let status = error.status;
            if let Some(error_out) = error_out {
                error_out.write(to_boxed_mut_ptr(error));
            }
            status
        }
    }
}

/// Runs the body of an infallible accessor: a panic (never expected) yields `fallback`.
pub(crate) fn guard_value<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

/// The status of `error` (`TIMADMIN_STATUS_OK` when `error` is NULL).
///
/// # Safety
///
/// `error` is NULL or an error not freed yet.
#[no_mangle]
pub unsafe extern "C" fn timadmin_error_status(error: *const timadmin_error) -> timadmin_status {
    // SAFETY: `error` is NULL or live (this function's contract).
    unsafe { try_ref(error) }.map_or(timadmin_status::Ok, |e| e.status)
}

/// A human-readable message describing the failure; never contains the secret key or a
/// UserSig.
///
/// Owned by `error`: valid until `timadmin_error_free(error)`. NULL when `error` is NULL.
///
/// # Safety
///
/// `error` is NULL or an error not freed yet.
#[no_mangle]
pub unsafe extern "C" fn timadmin_error_message(error: *const timadmin_error) -> *const c_char {
    // SAFETY: `error` is NULL or live (this function's contract).
    unsafe { try_ref(error) }.map_or(std::ptr::null(), |e| e.message.as_ptr())
}

/// The service's ErrorCode for `TIMADMIN_STATUS_API` (e.g. 10010: group not found);
/// 0 for any other failure or when `error` is NULL.
///
/// # Safety
///
/// `error` is NULL or an error not freed yet.
#[no_mangle]
pub unsafe extern "C" fn timadmin_error_api_code(error: *const timadmin_error) -> i64 {
    // SAFETY: `error` is NULL or live (this function's contract).
    unsafe { try_ref(error) }.map_or(0, |e| e.api_code)
}

/// The service's ErrorInfo for `TIMADMIN_STATUS_API`; `""` for any other failure.
///
/// Owned by `error`: valid until `timadmin_error_free(error)`. NULL when `error` is NULL.
///
/// # Safety
///
/// `error` is NULL or an error not freed yet.
#[no_mangle]
pub unsafe extern "C" fn timadmin_error_api_info(error: *const timadmin_error) -> *const c_char {
    // SAFETY: `error` is NULL or live (this function's contract).
    unsafe { try_ref(error) }.map_or(std::ptr::null(), |e| e.api_info.as_ptr())
}

/// The stable snake_case name of the service's ErrorCode for `TIMADMIN_STATUS_API`
/// (e.g. "group_not_found", "rate_limited", "other"; the same names in every timadmin host);
/// `""` for any other failure.
///
/// Owned by `error`: valid until `timadmin_error_free(error)`. NULL when `error` is NULL.
///
/// # Safety
///
/// `error` is NULL or an error not freed yet.
#[no_mangle]
pub unsafe extern "C" fn timadmin_error_api_kind(error: *const timadmin_error) -> *const c_char {
    // SAFETY: `error` is NULL or live (this function's contract).
    unsafe { try_ref(error) }.map_or(std::ptr::null(), |e| e.api_kind.as_ptr())
}

/// What the service's ErrorCode means in English (e.g. "the group does not exist or was
/// deleted") for `TIMADMIN_STATUS_API`; `""` for any other failure.
///
/// Owned by `error`: valid until `timadmin_error_free(error)`. NULL when `error` is NULL.
///
/// # Safety
///
/// `error` is NULL or an error not freed yet.
#[no_mangle]
pub unsafe extern "C" fn timadmin_error_api_description(error: *const timadmin_error) -> *const c_char {
    // SAFETY: `error` is NULL or live (this function's contract).
    unsafe { try_ref(error) }.map_or(std::ptr::null(), |e| e.api_description.as_ptr())
}

/// The stable snake_case reason of a UserSig failure for `TIMADMIN_STATUS_USERSIG` ("expired",
/// "signature_mismatch", "identifier_mismatch", "sdkappid_mismatch", "userbuf_mismatch",
/// "malformed", "invalid_input"); `""` for any other failure.
///
/// Owned by `error`: valid until `timadmin_error_free(error)`. NULL when `error` is NULL.
///
/// # Safety
///
/// `error` is NULL or an error not freed yet.
#[no_mangle]
pub unsafe extern "C" fn timadmin_error_usersig_reason(error: *const timadmin_error) -> *const c_char {
    // SAFETY: `error` is NULL or live (this function's contract).
    unsafe { try_ref(error) }.map_or(std::ptr::null(), |e| e.usersig_reason.as_ptr())
}

/// The field or argument at fault: for `TIMADMIN_STATUS_INVALID_ARGUMENT` exactly the core's
/// name, the same in every host (a request field's REST name, e.g. "GroupId" or "Limit", also
/// for a string that is not UTF-8; a setting's name, e.g. "rate_limit"; a `TIM_*` variable
/// for `timadmin_client_new_from_env`); for `TIMADMIN_STATUS_NULL_PARAMETER` the C parameter or
/// field that was NULL (e.g. "group_id", "client_out"); `""` otherwise.
///
/// Owned by `error`: valid until `timadmin_error_free(error)`. NULL when `error` is NULL.
///
/// # Safety
///
/// `error` is NULL or an error not freed yet.
#[no_mangle]
pub unsafe extern "C" fn timadmin_error_field(error: *const timadmin_error) -> *const c_char {
    // SAFETY: `error` is NULL or live (this function's contract).
    unsafe { try_ref(error) }.map_or(std::ptr::null(), |e| e.field.as_ptr())
}

/// The HTTP status for `TIMADMIN_STATUS_HTTP_STATUS`; 0 otherwise or when `error` is NULL.
///
/// # Safety
///
/// `error` is NULL or an error not freed yet.
#[no_mangle]
pub unsafe extern "C" fn timadmin_error_http_status(error: *const timadmin_error) -> u16 {
    // SAFETY: `error` is NULL or live (this function's contract).
    unsafe { try_ref(error) }.map_or(0, |e| e.http_status)
}

/// Whether trying the same call again later may succeed (transport errors, timeouts, 5xx,
/// the service's "try again" codes). The client already retried per its configuration.
/// False when `error` is NULL.
///
/// # Safety
///
/// `error` is NULL or an error not freed yet.
#[no_mangle]
pub unsafe extern "C" fn timadmin_error_is_retryable(error: *const timadmin_error) -> bool {
    // SAFETY: `error` is NULL or live (this function's contract).
    unsafe { try_ref(error) }.is_some_and(|e| e.retryable)
}

/// Frees an error returned through an `error_out` parameter, and every string it handed out.
/// NULL is a no-op.
///
/// # Safety
///
/// `error` is NULL or an error written through an `error_out` parameter and not freed yet;
/// nothing uses it (or a string it handed out) afterwards.
#[no_mangle]
pub unsafe extern "C" fn timadmin_error_free(error: *mut timadmin_error) {
    // SAFETY: per this function's contract `error` is NULL or owned by the caller (made by
    // `to_boxed_mut_ptr` in `guard`), who gives it up here.
    guard_value((), || unsafe { free_box(error) });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn a_panic_becomes_the_panic_status_with_an_error_object() {
        let mut err: *mut timadmin_error = std::ptr::null_mut();
        // SAFETY: `err` is a live local.
        let status = guard(unsafe { OutParam::new(&mut err) }, || panic!("boom"));
        assert_eq!(status, timadmin_status::Panic);
        assert!(!err.is_null());
        // SAFETY: `err` was just written by `guard`; it is freed once, below.
        let message = unsafe { CStr::from_ptr(timadmin_error_message(err)) }.to_string_lossy().into_owned();
        assert!(message.contains("boom"), "{message}");
        // SAFETY: as above.
        unsafe { timadmin_error_free(err) };
        // error_out may be NULL
        assert_eq!(guard(None, || panic!("again")), timadmin_status::Panic);
    }

    #[test]
    fn core_errors_map_to_statuses() {
        let e = timadmin_error::from(timadmin::Error::api(10010, "gone"));
        assert_eq!(e.status, timadmin_status::Api);
        assert_eq!(e.api_code, 10010);
        assert_eq!(e.api_info.to_str().unwrap(), "gone");
        let e = timadmin_error::from(timadmin::Error::invalid("Limit", "too big"));
        assert_eq!(e.status, timadmin_status::InvalidArgument);
        assert_eq!(e.field.to_str().unwrap(), "Limit");
        let e = timadmin_error::from(timadmin::Error::Timeout(std::time::Duration::from_secs(1)));
        assert_eq!(e.status, timadmin_status::Timeout);
        assert!(e.retryable);
        let e = timadmin_error::from(timadmin::Error::Paging("loop".into()));
        assert_eq!(e.status, timadmin_status::Paging);
        let e = timadmin_error::from(timadmin::Error::Credentials("no".into()));
        assert_eq!(e.status, timadmin_status::Credentials);
        let e = timadmin_error::from(timadmin::Error::RateLimiterUnavailable("redis down".into()));
        assert_eq!(e.status, timadmin_status::RateLimiterUnavailable);
        assert!(e.retryable);
        // SAFETY: a static string.
        let text = unsafe { CStr::from_ptr(timadmin_status_description(15)) };
        assert_eq!(text.to_str().unwrap(), "shared rate limiter unavailable");
        let e = timadmin_error::from(timadmin::Error::BodyTooLarge { limit: 1024 });
        assert_eq!(e.status, timadmin_status::BodyTooLarge);
        // SAFETY: a static string.
        let text = unsafe { CStr::from_ptr(timadmin_status_description(14)) };
        assert_eq!(text.to_str().unwrap(), "response body over the size limit");
    }

    #[test]
    fn invalid_utf8_names_the_core_field() {
        for (c_name, core) in [
            ("group_id", "GroupId"),
            ("member_info_filter[1]", "MemberInfoFilter"),
            ("app_defined_data[0].key", "AppDefinedData"),
            ("app_defined_data_filter_group_member[0]", "AppDefinedDataFilter_GroupMember"),
            ("rate_limit_redis_url", "rate_limit_redis_url"),
            ("secret_key", "secret_key"),
        ] {
            let e = timadmin_error::utf8(c_name);
            assert_eq!((e.status, e.field.to_str().unwrap()), (timadmin_status::InvalidArgument, core));
            assert!(e.message.to_str().unwrap().contains(c_name));
        }
    }

    #[test]
    fn messages_never_hold_nul_bytes() {
        let e = timadmin_error::new(timadmin_status::Runtime, "a\0b");
        assert_eq!(e.message.to_str().unwrap(), "a\\0b");
    }
}
