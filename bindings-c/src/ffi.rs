//! Reading C arguments: NULL checks, UTF-8 checks, arrays.

use std::ffi::{c_char, CStr};

use crate::error::timadmin_error;

/// A reference from a pointer that must not be NULL.
pub(crate) unsafe fn arg<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, timadmin_error> {
    ptr.as_ref().ok_or_else(|| timadmin_error::null(name))
}

/// A mutable reference from a pointer that must not be NULL.
pub(crate) unsafe fn arg_mut<'a, T>(ptr: *mut T, name: &str) -> Result<&'a mut T, timadmin_error> {
    ptr.as_mut().ok_or_else(|| timadmin_error::null(name))
}

/// Checks an out-parameter is not NULL; returns it for writing on success.
pub(crate) fn out<T>(ptr: *mut T, name: &str) -> Result<*mut T, timadmin_error> {
    if ptr.is_null() {
        Err(timadmin_error::null(name))
    } else {
        Ok(ptr)
    }
}

/// A required NUL-terminated UTF-8 string.
pub(crate) unsafe fn req_str<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, timadmin_error> {
    if ptr.is_null() {
        return Err(timadmin_error::null(name));
    }
    CStr::from_ptr(ptr).to_str().map_err(|_| timadmin_error::utf8(name))
}

/// An optional NUL-terminated UTF-8 string: NULL means unset.
pub(crate) unsafe fn opt_str<'a>(ptr: *const c_char, name: &str) -> Result<Option<&'a str>, timadmin_error> {
    if ptr.is_null() {
        Ok(None)
    } else {
        req_str(ptr, name).map(Some)
    }
}

/// An optional array of `len` elements: NULL with `len == 0` means unset; NULL with a
/// non-zero `len` is a NULL-parameter error.
pub(crate) unsafe fn opt_slice<'a, T>(ptr: *const T, len: usize, name: &str) -> Result<Option<&'a [T]>, timadmin_error> {
    if ptr.is_null() {
        if len == 0 {
            Ok(None)
        } else {
            Err(timadmin_error::null(name))
        }
    } else {
        Ok(Some(std::slice::from_raw_parts(ptr, len)))
    }
}

/// An optional array of strings (see [`opt_slice`]); every element must be a non-NULL UTF-8
/// string.
pub(crate) unsafe fn opt_str_list(
    ptr: *const *const c_char,
    len: usize,
    name: &str,
) -> Result<Option<Vec<String>>, timadmin_error> {
    let Some(items) = opt_slice(ptr, len, name)? else {
        return Ok(None);
    };
    items
        .iter()
        .enumerate()
        .map(|(i, &item)| req_str(item, &format!("{name}[{i}]")).map(str::to_owned))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}
