//! The opaque builders (client options, requests, page options): the shared code of their
//! `_new`, `_set_*`/`_add_*` and `_free` functions. A builder's layout is never visible to C,
//! so later versions add setters without breaking compiled programs (the rustls-ffi
//! config-builder habit). Setters only convert C types to the core's; every rule is the core's.

use std::ffi::c_char;

use crate::error::{guard, guard_value, timadmin_error, timadmin_status};
use crate::ffi::{arg_mut, out, req_str};
use crate::ownership::{free_box, to_boxed_mut_ptr, OutParam};

/// A required string given to a builder: NULL and non-UTF-8 are refused naming the core's
/// field for `name` (e.g. `group_id` → `GroupId`); the message names the C argument.
///
/// # Safety
///
/// `ptr` is NULL or a NUL-terminated string alive and unchanged for `'a`.
pub(crate) unsafe fn field_str<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, timadmin_error> {
    if ptr.is_null() {
        return Err(timadmin_error::null_field(name));
    }
    // SAFETY: forwarded from this function's contract.
    unsafe { req_str(ptr, name) }
}

/// Runs a setter: checks `object` (C name `object_name`) for NULL, then lets `set` change it.
///
/// # Safety
///
/// `object` is NULL or a live builder nothing else uses during the call; `error_out` is NULL
/// or writable.
pub(crate) unsafe fn set<T>(
    object: *mut T,
    object_name: &str,
    error_out: *mut *mut timadmin_error,
    set: impl FnOnce(&mut T) -> Result<(), timadmin_error>,
) -> timadmin_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { OutParam::new(error_out) };
    guard(error_out, || {
        // SAFETY: `object` is NULL or live and unshared (this function's contract).
        let object = unsafe { arg_mut(object, object_name) }?;
        set(object)
    })
}

/// A string setter: `value` (C name `name`; a NULL or non-UTF-8 value is refused naming the
/// core's field for it, see [`field_str`]) is copied and given to `set`.
///
/// # Safety
///
/// As for [`set`], and `value` is NULL or a NUL-terminated string.
pub(crate) unsafe fn set_str<T>(
    object: *mut T,
    object_name: &str,
    value: *const c_char,
    name: &str,
    error_out: *mut *mut timadmin_error,
    set_value: impl FnOnce(&mut T, String),
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        set(object, object_name, error_out, |o| {
            set_value(o, field_str(value, name)?.to_owned());
            Ok(())
        })
    }
}

/// A constructor taking one required string (`value`, C name `name`): writes the builder
/// `make` returns to `*object_out` (the caller frees it with the builder's `_free`).
///
/// # Safety
///
/// `value` is NULL or a NUL-terminated string; `object_out` and `error_out` are NULL or
/// writable.
pub(crate) unsafe fn new_with_str<T>(
    value: *const c_char,
    name: &str,
    object_out: *mut *mut T,
    object_out_name: &str,
    error_out: *mut *mut timadmin_error,
    make: impl FnOnce(String) -> T,
) -> timadmin_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { OutParam::new(error_out) };
    guard(error_out, || {
        // SAFETY: `value` is NULL or NUL-terminated, `object_out` NULL or writable (this
        // function's contract).
        let (value, object_out) = unsafe { (field_str(value, name)?, out(object_out, object_out_name)?) };
        object_out.write(to_boxed_mut_ptr(make(value.to_owned())));
        Ok(())
    })
}

/// Frees a builder. NULL is a no-op.
///
/// # Safety
///
/// `object` is NULL or was handed out by this crate as a boxed `T` and not freed yet; nothing
/// uses it afterwards.
pub(crate) unsafe fn free<T>(object: *mut T) {
    // SAFETY: forwarded from this function's contract.
    guard_value((), || unsafe { free_box(object) });
}
