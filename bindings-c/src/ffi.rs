//! Reading C arguments: NULL checks, UTF-8 checks, arrays. The only place a C string or a C
//! array is read.

use std::ffi::{c_char, CStr};

use crate::error::timadmin_error;
use crate::ownership::{try_mut, try_ref, OutParam};

/// A reference from a pointer argument that must not be NULL (`name` is its C name).
///
/// # Safety
///
/// `ptr` is NULL or points to a live `T` that nothing mutates for `'a`.
pub(crate) unsafe fn arg<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, timadmin_error> {
    // SAFETY: forwarded from this function's contract.
    unsafe { try_ref(ptr) }.ok_or_else(|| timadmin_error::null(name))
}

/// A mutable reference from a pointer argument that must not be NULL.
///
/// # Safety
///
/// `ptr` is NULL or points to a live `T` that nothing else uses for `'a`.
pub(crate) unsafe fn arg_mut<'a, T>(ptr: *mut T, name: &str) -> Result<&'a mut T, timadmin_error> {
    // SAFETY: forwarded from this function's contract.
    unsafe { try_mut(ptr) }.ok_or_else(|| timadmin_error::null(name))
}

/// A required out-parameter: checked for NULL now, written (on success only) later.
///
/// # Safety
///
/// `ptr` is NULL or valid for one aligned write of a `T` for `'a`.
pub(crate) unsafe fn out<'a, T>(ptr: *mut T, name: &str) -> Result<OutParam<'a, T>, timadmin_error> {
    // SAFETY: forwarded from this function's contract.
    unsafe { OutParam::new(ptr) }.ok_or_else(|| timadmin_error::null(name))
}

/// A required NUL-terminated UTF-8 string.
///
/// # Safety
///
/// `ptr` is NULL or points to a NUL-terminated string that stays alive and unchanged for `'a`.
pub(crate) unsafe fn req_str<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, timadmin_error> {
    if ptr.is_null() {
        return Err(timadmin_error::null(name));
    }
    // SAFETY: `ptr` is not NULL (checked above) and, per this function's contract, points to a
    // NUL-terminated string alive for `'a`.
    let text = unsafe { CStr::from_ptr(ptr) };
    text.to_str().map_err(|_| timadmin_error::utf8(name))
}

/// An optional NUL-terminated UTF-8 string: NULL means unset.
///
/// # Safety
///
/// As for [`req_str`].
pub(crate) unsafe fn opt_str<'a>(ptr: *const c_char, name: &str) -> Result<Option<&'a str>, timadmin_error> {
    if ptr.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded from this function's contract.
        unsafe { req_str(ptr, name) }.map(Some)
    }
}

/// An optional array of `len` elements: NULL with `len == 0` means unset; NULL with a
/// non-zero `len` is a NULL-parameter error.
///
/// # Safety
///
/// `ptr` is NULL or points to `len` live, initialised elements that nothing mutates for `'a`.
pub(crate) unsafe fn opt_slice<'a, T>(
    ptr: *const T,
    len: usize,
    name: &str,
) -> Result<Option<&'a [T]>, timadmin_error> {
    if ptr.is_null() {
        if len == 0 {
            Ok(None)
        } else {
            Err(timadmin_error::null(name))
        }
    } else {
        // SAFETY: `ptr` is not NULL (checked above) and, per this function's contract, points
        // to `len` initialised elements alive for `'a`.
        Ok(Some(unsafe { std::slice::from_raw_parts(ptr, len) }))
    }
}
