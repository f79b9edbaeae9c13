//! Property tests of the C ABI's inputs: arbitrary strings (invalid UTF-8, control characters,
//! any length), arbitrary numbers and flags in `timadmin_client_options` and the request structs, and
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
    prop_assert!(!matches!(status, timadmin_status::Panic | timadmin_status::Unknown | timadmin_status::Ok), "{:?}", status);
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
    let base_url = c"http://127.0.0.1:9";
    let key = c"k";
    let cfg = timadmin_client_options {
        sdkappid: 1400000000,
        secret_key: key.as_ptr(),
        usersig: ptr::null(),
        usersig_provider: None,
        usersig_provider_userdata: ptr::null_mut(),
        identifier: ptr::null(),
        region: ptr::null(),
        base_url: base_url.as_ptr(),
        has_timeout_ms: true,
        timeout_ms: 2000,
        has_max_retries: true,
        max_retries: 0,
        disable_rate_limit: true,
        has_rate_limit: false,
        rate_limit: 0.0,
        has_usersig_lifetime_secs: false,
        usersig_lifetime_secs: 0,
        has_max_response_bytes: false,
        max_response_bytes: 0,
        allow_insecure_http: false,
        has_max_in_flight: false,
        max_in_flight: 0,
        rate_limit_redis_url: ptr::null(),
        has_fleet_size: false,
        fleet_size: 0,
        redis_fallback: 0,
    };
    let mut client = ptr::null_mut();
    // SAFETY: valid config and out-pointer.
    let status = unsafe { timadmin_client_new(&cfg, &mut client, ptr::null_mut()) };
    assert_eq!(status, timadmin_status::Ok);
    client
}

proptest! {
    /// Any `timadmin_client_options` builds a client or fails with a typed status; never a panic.
    #[test]
    fn config_from_arbitrary_fields(
        sdkappid in prop_oneof![any::<u64>(), 1u64..=u64::from(u32::MAX)],
        strings in vec(option::of(c_string()), 6),
        flags in vec(any::<bool>(), 9),
        timeout_ms in any::<u64>(),
        max_retries in any::<u32>(),
        rate in any::<f64>(),
        lifetime in any::<u64>(),
        max_response_bytes in any::<u64>(),
        max_in_flight in any::<u32>(),
        (fleet_size, redis_fallback) in (any::<u32>(), prop_oneof![0..=3, any::<i32>()]),
    ) {
        let cfg = timadmin_client_options {
            sdkappid,
            secret_key: ptr_of(&strings[0]),
            usersig: ptr_of(&strings[1]),
            usersig_provider: None,
            usersig_provider_userdata: ptr::null_mut(),
            identifier: ptr_of(&strings[2]),
            region: ptr_of(&strings[3]),
            base_url: ptr_of(&strings[4]),
            has_timeout_ms: flags[0],
            timeout_ms,
            has_max_retries: flags[1],
            max_retries,
            disable_rate_limit: flags[2],
            has_rate_limit: flags[3],
            rate_limit: rate,
            has_usersig_lifetime_secs: flags[4],
            usersig_lifetime_secs: lifetime,
            has_max_response_bytes: flags[5],
            max_response_bytes,
            allow_insecure_http: flags[6],
            has_max_in_flight: flags[7],
            max_in_flight,
            rate_limit_redis_url: ptr_of(&strings[5]),
            has_fleet_size: flags[8],
            fleet_size,
            redis_fallback,
        };
        let mut client = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: every pointer is NULL or a live C string.
        let status = unsafe { timadmin_client_new(&cfg, &mut client, &mut err) };
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

    /// Requests with arbitrary strings, lists, numbers and enum values: refused with a typed
    /// status, or accepted and sent (a transport error here: nothing listens).
    #[test]
    fn requests_from_arbitrary_fields(
        group_id in option::of(c_string()),
        next in option::of(c_string()),
        filter in option::of(vec(c_string(), 0..4)),
        null_filter_with_len in any::<bool>(),
        limit in option::of(any::<u32>()),
        offset in option::of(any::<u64>()),
        texts in vec(option::of(c_string()), 5),
        apply_join_option in any::<i32>(),
        data in vec((c_string(), option::of(c_string())), 0..3),
    ) {
        let client = dead_end_client();
        let filter_ptrs: Option<Vec<*const c_char>> = filter.as_ref().map(|f| f.iter().map(|s| s.as_ptr()).collect());
        let req = timadmin_get_group_member_info_request {
            group_id: ptr_of(&group_id),
            member_info_filter: filter_ptrs.as_ref().map_or(ptr::null(), |v| v.as_ptr()),
            member_info_filter_len: match (&filter_ptrs, null_filter_with_len) {
                (Some(v), _) => v.len(),
                (None, true) => 3,
                (None, false) => 0,
            },
            member_role_filter: ptr::null(),
            member_role_filter_len: 0,
            app_defined_data_filter_group_member: ptr::null(),
            app_defined_data_filter_group_member_len: 0,
            has_limit: limit.is_some(),
            limit: limit.unwrap_or(0),
            has_offset: offset.is_some(),
            offset: offset.unwrap_or(0),
            next: ptr_of(&next),
        };
        let mut result = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: every pointer is NULL (with a zero length, or a non-zero one the library must
        // refuse) or points to live data.
        let status = unsafe { timadmin_client_get_group_member_info(client, &req, &mut result, &mut err) };
        prop_assert!(result.is_null());
        let status = typed_failure(status, err)?;
        prop_assert!(matches!(status, timadmin_status::InvalidArgument | timadmin_status::NullParameter | timadmin_status::Transport), "{:?}", status);

        let muted = timadmin_get_group_muted_account_request { group_id: ptr_of(&group_id), topic_id: ptr_of(&texts[0]) };
        let mut muted_response = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: as above.
        let status = unsafe { timadmin_client_get_group_muted_account(client, &muted, &mut muted_response, &mut err) };
        prop_assert!(muted_response.is_null());
        typed_failure(status, err)?;

        let updates: Vec<timadmin_app_data_update> = data.iter().map(|(k, v)| timadmin_app_data_update { key: k.as_ptr(), value: ptr_of(v) }).collect();
        let modify = timadmin_modify_group_base_info_request {
            group_id: ptr_of(&group_id),
            name: ptr_of(&texts[1]),
            introduction: ptr_of(&texts[2]),
            notification: ptr_of(&texts[3]),
            face_url: ptr_of(&texts[4]),
            has_max_member_num: limit.is_some(),
            max_member_num: limit.unwrap_or(0),
            apply_join_option,
            has_shut_up_all_member: offset.is_some(),
            shut_up_all_member: offset.is_some_and(|o| o % 2 == 0),
            app_defined_data: if updates.is_empty() { ptr::null() } else { updates.as_ptr() },
            app_defined_data_len: updates.len(),
        };
        let mut err = ptr::null_mut();
        // SAFETY: as above.
        let status = unsafe { timadmin_client_modify_group_base_info(client, &modify, &mut err) };
        typed_failure(status, err)?;
        // SAFETY: the client built above.
        unsafe { timadmin_client_free(client) };
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
