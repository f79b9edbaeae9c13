//! Property tests of the C ABI's inputs: arbitrary strings (invalid UTF-8, control characters,
//! any length), arbitrary numbers and flags through the `timadmin_client_options_set_*` setters and the request builders, and
//! NULL where a pointer may or may not be NULL. Every call returns a typed status with an error
//! object, never `TIMADMIN_STATUS_PANIC` or `TIMADMIN_STATUS_UNKNOWN`, and never reaches the
//! network with a request the core refuses (the client points at a closed loopback port).
//! Case counts follow `PROPTEST_CASES` (default 256).

use std::ffi::{c_char, CStr, CString};
use std::ptr;

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use crate::*;

/// A C string: arbitrary non-NUL bytes (mostly not UTF-8), or arbitrary text (control
/// characters included), or a plausible value.
fn c_string() -> impl Strategy<Value = CString> {
    prop_oneof![
        vec(1u8..=255, 0..64).prop_map(|b| CString::new(b).unwrap_or_default()),
        "[^\u{0}]{0,64}".prop_map(|s| CString::new(s).unwrap_or_default()),
        "@TGS#_?[A-Za-z0-9]{1,20}".prop_map(|s| CString::new(s).unwrap_or_default()),
    ]
}

fn ptr_of(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(ptr::null(), |s| s.as_ptr())
}

/// Checks a failed call's status and error object; frees the error.
fn typed_failure(status: timadmin_status, err: *mut timadmin_error) -> Result<timadmin_status, TestCaseError> {
    prop_assert!(
        !matches!(status, timadmin_status::Panic | timadmin_status::Unknown | timadmin_status::Ok),
        "{:?}",
        status
    );
    prop_assert!(!err.is_null());
    // SAFETY: a failing call wrote a valid error object.
    unsafe {
        prop_assert_eq!(timadmin_error_status(err), status);
        let message = CStr::from_ptr(timadmin_error_message(err));
        prop_assert!(message.to_str().is_ok());
        timadmin_error_free(err);
    }
    Ok(status)
}

/// A client for a closed loopback port, no retries: a request the core accepts fails fast
/// with a transport error.
fn dead_end_client() -> *mut timadmin_client {
    let options = timadmin_client_options_new();
    let mut client = ptr::null_mut();
    // SAFETY: a live options object, static strings and a live out-pointer; the options are
    // freed once, below.
    unsafe {
        let e = ptr::null_mut();
        assert_eq!(timadmin_client_options_set_sdkappid(options, 1400000000, e), timadmin_status::Ok);
        assert_eq!(timadmin_client_options_set_secret_key(options, c"k".as_ptr(), e), timadmin_status::Ok);
        assert_eq!(
            timadmin_client_options_set_base_url(options, c"http://127.0.0.1:9".as_ptr(), e),
            timadmin_status::Ok
        );
        assert_eq!(timadmin_client_options_set_timeout(options, 2.0, e), timadmin_status::Ok);
        assert_eq!(timadmin_client_options_set_max_retries(options, 0, e), timadmin_status::Ok);
        assert_eq!(timadmin_client_options_set_rate_limit_off(options, e), timadmin_status::Ok);
        assert_eq!(timadmin_client_new(options, &mut client, e), timadmin_status::Ok);
        timadmin_client_options_free(options);
    }
    client
}

/// A setter's outcome: OK, or a typed failure naming a C argument or setting.
fn setter_outcome(status: timadmin_status, err: *mut timadmin_error) -> Result<(), TestCaseError> {
    if status != timadmin_status::Ok {
        let status = typed_failure(status, err)?;
        prop_assert!(
            matches!(status, timadmin_status::InvalidArgument | timadmin_status::NullParameter),
            "{:?}",
            status
        );
    } else {
        prop_assert!(err.is_null());
    }
    Ok(())
}

proptest! {
    /// Any sequence of setters builds a client or fails with a typed status; never a panic.
    #[test]
    fn config_from_arbitrary_fields(
        sdkappid in prop_oneof![any::<u64>(), 1u64..=u64::from(u32::MAX)],
        strings in vec(option::of(c_string()), 6),
        flags in vec(any::<bool>(), 9),
        timeout in any::<f64>(),
        max_retries in any::<u32>(),
        rate in any::<f64>(),
        lifetime in any::<f64>(),
        max_response_bytes in any::<u64>(),
        max_in_flight in any::<u32>(),
        (fleet_size, redis_fallback) in (any::<u32>(), prop_oneof![0..=3, any::<i32>()]),
    ) {
        let options = timadmin_client_options_new();
        let set = |i: usize| flags[i];
        // SAFETY: a live options object; every string is NULL (which a setter must refuse) or
        // a live C string.
        unsafe {
            let mut err = ptr::null_mut();
            setter_outcome(timadmin_client_options_set_sdkappid(options, sdkappid, &mut err), err)?;
            type StrSetter = unsafe extern "C" fn(*mut timadmin_client_options, *const c_char, *mut *mut timadmin_error) -> timadmin_status;
            let string_setters: [StrSetter; 6] = [
                timadmin_client_options_set_secret_key,
                timadmin_client_options_set_usersig,
                timadmin_client_options_set_identifier,
                timadmin_client_options_set_region,
                timadmin_client_options_set_base_url,
                timadmin_client_options_set_rate_limit_redis_url,
            ];
            for (setter, value) in string_setters.iter().zip(&strings) {
                let mut err = ptr::null_mut();
                if value.is_some() || set(8) {
                    setter_outcome(setter(options, ptr_of(value), &mut err), err)?;
                }
            }
            let mut err = ptr::null_mut();
            if set(0) { setter_outcome(timadmin_client_options_set_timeout(options, timeout, &mut err), err)?; err = ptr::null_mut(); }
            if set(1) { setter_outcome(timadmin_client_options_set_max_retries(options, max_retries, &mut err), err)?; err = ptr::null_mut(); }
            if set(2) { setter_outcome(timadmin_client_options_set_rate_limit_off(options, &mut err), err)?; err = ptr::null_mut(); }
            if set(3) { setter_outcome(timadmin_client_options_set_rate_limit(options, rate, &mut err), err)?; err = ptr::null_mut(); }
            if set(4) { setter_outcome(timadmin_client_options_set_usersig_lifetime(options, lifetime, &mut err), err)?; err = ptr::null_mut(); }
            if set(5) { setter_outcome(timadmin_client_options_set_max_response_bytes(options, max_response_bytes, &mut err), err)?; err = ptr::null_mut(); }
            setter_outcome(timadmin_client_options_set_allow_insecure_http(options, set(6), &mut err), err)?;
            err = ptr::null_mut();
            if set(7) { setter_outcome(timadmin_client_options_set_max_in_flight(options, max_in_flight, &mut err), err)?; err = ptr::null_mut(); }
            setter_outcome(timadmin_client_options_set_fleet_size(options, fleet_size, &mut err), err)?;
            err = ptr::null_mut();
            setter_outcome(timadmin_client_options_set_redis_fallback(options, redis_fallback, &mut err), err)?;
        }
        let mut client = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: a live options object, freed once here.
        let status = unsafe { timadmin_client_new(options, &mut client, &mut err) };
        // SAFETY: as above.
        unsafe { timadmin_client_options_free(options) };
        if status == timadmin_status::Ok {
            prop_assert!(!client.is_null() && err.is_null());
            // SAFETY: a client just built.
            unsafe { timadmin_client_free(client) };
        } else {
            prop_assert!(client.is_null());
            let status = typed_failure(status, err)?;
            prop_assert!(matches!(status, timadmin_status::InvalidArgument | timadmin_status::NullParameter), "{:?}", status);
        }
    }

    /// Requests built from arbitrary strings, lists, numbers and enum values: every builder
    /// function and every call either succeeds or is refused with a typed status; an accepted
    /// request is sent (a transport error here: nothing listens).
    #[test]
    fn requests_from_arbitrary_fields(
        group_id in option::of(c_string()),
        next in option::of(c_string()),
        filter in vec(option::of(c_string()), 0..4),
        limit in option::of(any::<u32>()),
        offset in option::of(any::<u64>()),
        texts in vec(option::of(c_string()), 5),
        apply_join_option in option::of(any::<i32>()),
        data in vec((option::of(c_string()), option::of(c_string())), 0..3),
    ) {
        let client = dead_end_client();
        // Ok, or a typed failure (freed).
        let step = |status: timadmin_status, err: *mut timadmin_error| -> Result<(), TestCaseError> {
            if status != timadmin_status::Ok {
                typed_failure(status, err)?;
            }
            Ok(())
        };
        let mut req = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: every pointer is NULL or points to live data; each request is freed once.
        unsafe {
            let status = timadmin_get_group_member_info_request_new(ptr_of(&group_id), &mut req, &mut err);
            prop_assert_eq!(req.is_null(), status != timadmin_status::Ok);
            step(status, err)?;
            if !req.is_null() {
                for f in &filter {
                    let mut err = ptr::null_mut();
                    step(timadmin_get_group_member_info_request_add_member_info_filter(req, ptr_of(f), &mut err), err)?;
                }
                if let Some(limit) = limit {
                    prop_assert_eq!(timadmin_get_group_member_info_request_set_limit(req, limit, ptr::null_mut()), timadmin_status::Ok);
                }
                if let Some(offset) = offset {
                    prop_assert_eq!(timadmin_get_group_member_info_request_set_offset(req, offset, ptr::null_mut()), timadmin_status::Ok);
                }
                let mut err = ptr::null_mut();
                step(timadmin_get_group_member_info_request_set_next(req, ptr_of(&next), &mut err), err)?;
                let mut result = ptr::null_mut();
                let mut err = ptr::null_mut();
                let status = timadmin_client_get_group_member_info(client, req, &mut result, &mut err);
                prop_assert!(result.is_null());
                let status = typed_failure(status, err)?;
                prop_assert!(matches!(status, timadmin_status::InvalidArgument | timadmin_status::Transport), "{:?}", status);
                timadmin_get_group_member_info_request_free(req);
            }

            let mut muted = ptr::null_mut();
            let mut err = ptr::null_mut();
            step(timadmin_get_group_muted_account_request_new(ptr_of(&group_id), &mut muted, &mut err), err)?;
            if !muted.is_null() {
                let mut err = ptr::null_mut();
                step(timadmin_get_group_muted_account_request_set_topic_id(muted, ptr_of(&texts[0]), &mut err), err)?;
                let mut muted_response = ptr::null_mut();
                let mut err = ptr::null_mut();
                let status = timadmin_client_get_group_muted_account(client, muted, &mut muted_response, &mut err);
                prop_assert!(muted_response.is_null());
                typed_failure(status, err)?;
                timadmin_get_group_muted_account_request_free(muted);
            }

            let mut modify = ptr::null_mut();
            let mut err = ptr::null_mut();
            step(timadmin_modify_group_base_info_request_new(ptr_of(&group_id), &mut modify, &mut err), err)?;
            if !modify.is_null() {
                let setters: [unsafe extern "C" fn(*mut timadmin_modify_group_base_info_request, *const c_char, *mut *mut timadmin_error) -> timadmin_status; 4] = [
                    timadmin_modify_group_base_info_request_set_name,
                    timadmin_modify_group_base_info_request_set_introduction,
                    timadmin_modify_group_base_info_request_set_notification,
                    timadmin_modify_group_base_info_request_set_face_url,
                ];
                for (set, text) in setters.iter().zip(&texts[1..]) {
                    let mut err = ptr::null_mut();
                    step(set(modify, ptr_of(text), &mut err), err)?;
                }
                if let Some(limit) = limit {
                    prop_assert_eq!(timadmin_modify_group_base_info_request_set_max_member_num(modify, limit, ptr::null_mut()), timadmin_status::Ok);
                }
                if let Some(offset) = offset {
                    prop_assert_eq!(timadmin_modify_group_base_info_request_set_shut_up_all_member(modify, offset % 2 == 0, ptr::null_mut()), timadmin_status::Ok);
                }
                if let Some(option) = apply_join_option {
                    let mut err = ptr::null_mut();
                    step(timadmin_modify_group_base_info_request_set_apply_join_option(modify, option, &mut err), err)?;
                }
                for (k, v) in &data {
                    let mut err = ptr::null_mut();
                    step(timadmin_modify_group_base_info_request_add_app_defined_data(modify, ptr_of(k), ptr_of(v), &mut err), err)?;
                }
                let mut err = ptr::null_mut();
                let status = timadmin_client_modify_group_base_info(client, modify, &mut err);
                typed_failure(status, err)?;
                timadmin_modify_group_base_info_request_free(modify);
            }
            timadmin_client_free(client);
        }
    }

    /// UserSig signing and verification from arbitrary C strings and buffers.
    #[test]
    fn usersig_from_arbitrary_strings(
        sdkappid in any::<u64>(),
        key in c_string(),
        identifier in c_string(),
        token in c_string(),
        userbuf in option::of(vec(any::<u8>(), 0..32)),
        expire in any::<u64>(),
    ) {
        let (buf, len) = userbuf.as_ref().map_or((ptr::null(), 0), |b| (b.as_ptr(), b.len()));
        let mut verified = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: live C strings and buffer.
        let status = unsafe { timadmin_verify_usersig(sdkappid, key.as_ptr(), identifier.as_ptr(), token.as_ptr(), buf, len, &mut verified, &mut err) };
        prop_assert!(verified.is_null());
        typed_failure(status, err)?;

        let mut sig = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: as above.
        let status = unsafe { timadmin_generate_usersig(sdkappid, key.as_ptr(), identifier.as_ptr(), expire.clamp(3600, 1 << 40), buf, len, &mut sig, &mut err) };
        if status == timadmin_status::Ok {
            let mut verified = ptr::null_mut();
            // SAFETY: the string just made; the claims object is freed below.
            unsafe {
                let status = timadmin_verify_usersig(sdkappid, key.as_ptr(), identifier.as_ptr(), timadmin_string_get(sig), buf, len, &mut verified, ptr::null_mut());
                prop_assert_eq!(status, timadmin_status::Ok);
                timadmin_claims_free(verified);
                timadmin_string_free(sig);
            }
        } else {
            typed_failure(status, err)?;
        }
    }
}
