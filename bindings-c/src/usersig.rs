//! UserSig (TLSSigAPIv2) signing and verification.

use std::ffi::{c_char, CString};

use timadmin::usersig::{self, Claims};

use crate::arena::array_ptr;
use crate::error::{guard, guard_value, timadmin_error, timadmin_status};
use crate::ffi::{opt_slice, out, req_str};

/// A string produced by the library (e.g. a generated UserSig). Owns its bytes; free it with
/// `timadmin_string_free`, which also wipes them. Immutable: may be read from any thread.
pub struct timadmin_string {
    text: CString,
}

impl std::fmt::Debug for timadmin_string {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // It may hold a UserSig: never print it.
        f.write_str("timadmin_string([redacted])")
    }
}

impl Drop for timadmin_string {
    fn drop(&mut self) {
        let mut bytes = std::mem::take(&mut self.text).into_bytes();
        for b in bytes.iter_mut() {
            // SAFETY: `b` is a valid, exclusive reference; volatile so the wipe is not elided.
            unsafe { std::ptr::write_volatile(b, 0) };
        }
    }
}

/// The NUL-terminated UTF-8 text of `string`; NULL when `string` is NULL. Owned by `string`:
/// valid until `timadmin_string_free(string)`.
#[no_mangle]
pub unsafe extern "C" fn timadmin_string_get(string: *const timadmin_string) -> *const c_char {
    string.as_ref().map_or(std::ptr::null(), |s| s.text.as_ptr())
}

/// The length in bytes of the text of `string`, without the terminating NUL; 0 when `string`
/// is NULL.
#[no_mangle]
pub unsafe extern "C" fn timadmin_string_len(string: *const timadmin_string) -> usize {
    string.as_ref().map_or(0, |s| s.text.as_bytes().len())
}

/// Wipes and frees a string. NULL is a no-op; freeing twice is undefined behaviour.
#[no_mangle]
pub unsafe extern "C" fn timadmin_string_free(string: *mut timadmin_string) {
    if !string.is_null() {
        guard_value((), || drop(Box::from_raw(string)));
    }
}

/// Signs a UserSig (TLSSigAPIv2) for `identifier` of app `sdkappid` with the console secret
/// `key`, valid for `expire_secs` seconds from now. `userbuf` (may be NULL when `userbuf_len`
/// is 0) binds `userbuf_len` arbitrary bytes into the token.
///
/// On success writes a new string to `*usersig_out` (free it with `timadmin_string_free`).
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`key`, `identifier`, `usersig_out`, or `userbuf`
/// with a non-zero length), `TIMADMIN_STATUS_INVALID_ARGUMENT` (non-UTF-8 strings),
/// `TIMADMIN_STATUS_USERSIG` (e.g. empty key or identifier, zero sdkappid). On failure a new
/// error is written to `*error_out` when `error_out` is not NULL. The key never appears in an
/// error.
#[no_mangle]
pub unsafe extern "C" fn timadmin_usersig_generate(
    sdkappid: u64,
    key: *const c_char,
    identifier: *const c_char,
    expire_secs: u64,
    userbuf: *const u8,
    userbuf_len: usize,
    usersig_out: *mut *mut timadmin_string,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    guard(error_out, || {
        let key = req_str(key, "key")?;
        let identifier = req_str(identifier, "identifier")?;
        let userbuf = opt_slice(userbuf, userbuf_len, "userbuf")?;
        let usersig_out = out(usersig_out, "usersig_out")?;
        let sig = match userbuf {
            None => usersig::generate(sdkappid, key, identifier, expire_secs)?,
            Some(buf) => usersig::generate_with_userbuf(sdkappid, key, identifier, expire_secs, buf)?,
        };
        let text = CString::new(sig).map_err(|_| timadmin_error::nul_in_output("UserSig"))?;
        usersig_out.write(Box::into_raw(Box::new(timadmin_string { text })));
        Ok(())
    })
}

/// The claims of a verified UserSig, viewed through `timadmin_verified_usersig_get`. Owned by
/// its `timadmin_verified_usersig`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct timadmin_usersig_claims {
    /// `TLS.identifier`: the user the token was issued for (never NULL).
    pub identifier: *const c_char,
    /// `TLS.sdkappid`: the app that issued it.
    pub sdkappid: u64,
    /// `TLS.time`: issue time, Unix seconds.
    pub time: u64,
    /// `TLS.expire`: lifetime in seconds from `time`.
    pub expire: u64,
    /// `time + expire`: the Unix second after which the token is no longer valid.
    pub expires_at: u64,
    /// Whether the token carries a user buffer.
    pub has_userbuf: bool,
    /// The user buffer: `userbuf_len` bytes (NULL when absent or empty).
    pub userbuf: *const u8,
    /// Number of bytes in `userbuf`.
    pub userbuf_len: usize,
}

/// A successfully verified UserSig: owns its claims. Free with `timadmin_verified_usersig_free`.
/// Immutable: may be read from any thread.
#[derive(Debug)]
pub struct timadmin_verified_usersig {
    view: timadmin_usersig_claims,
    _identifier: CString,
    _userbuf: Vec<u8>,
}

impl timadmin_verified_usersig {
    fn from_core(claims: Claims) -> Result<Self, timadmin_error> {
        let identifier =
            CString::new(claims.identifier.as_str()).map_err(|_| timadmin_error::nul_in_output("TLS.identifier"))?;
        let has_userbuf = claims.userbuf.is_some();
        let userbuf = claims.userbuf.clone().unwrap_or_default();
        Ok(timadmin_verified_usersig {
            view: timadmin_usersig_claims {
                identifier: identifier.as_ptr(),
                sdkappid: claims.sdkappid,
                time: claims.time,
                expire: claims.expire,
                expires_at: claims.expires_at(),
                has_userbuf,
                userbuf: array_ptr(&userbuf),
                userbuf_len: userbuf.len(),
            },
            _identifier: identifier,
            _userbuf: userbuf,
        })
    }
}

/// Verifies `usersig` for `identifier` of app `sdkappid` against the secret `key`: signature,
/// app, identifier and expiry. When `userbuf` is non-NULL the token must carry exactly those
/// `userbuf_len` bytes; when it is NULL (and `userbuf_len` is 0) its user buffer is not checked
/// (the claims report it).
///
/// On success writes a new verified UserSig to `*claims_out` (free it with
/// `timadmin_verified_usersig_free`). Errors: `TIMADMIN_STATUS_NULL_PARAMETER`,
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` (non-UTF-8 strings), `TIMADMIN_STATUS_USERSIG` (the
/// message says exactly what failed: malformed, signature mismatch, expired, identifier or
/// sdkappid mismatch, userbuf mismatch). On failure a new error is written to `*error_out` when
/// `error_out` is not NULL. Neither the key nor the token appears in an error.
#[no_mangle]
pub unsafe extern "C" fn timadmin_usersig_verify(
    sdkappid: u64,
    key: *const c_char,
    identifier: *const c_char,
    usersig: *const c_char,
    userbuf: *const u8,
    userbuf_len: usize,
    claims_out: *mut *mut timadmin_verified_usersig,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    guard(error_out, || {
        let key = req_str(key, "key")?;
        let identifier = req_str(identifier, "identifier")?;
        let usersig = req_str(usersig, "usersig")?;
        let userbuf = opt_slice(userbuf, userbuf_len, "userbuf")?;
        let claims_out = out(claims_out, "claims_out")?;
        let claims = match userbuf {
            None => usersig::verify(sdkappid, key, identifier, usersig)?,
            Some(buf) => usersig::verify_with_userbuf(sdkappid, key, identifier, usersig, buf)?,
        };
        claims_out.write(Box::into_raw(Box::new(timadmin_verified_usersig::from_core(claims)?)));
        Ok(())
    })
}

/// The claims of `verified`; NULL when `verified` is NULL. Owned by `verified`: valid until
/// `timadmin_verified_usersig_free(verified)`.
#[no_mangle]
pub unsafe extern "C" fn timadmin_verified_usersig_get(
    verified: *const timadmin_verified_usersig,
) -> *const timadmin_usersig_claims {
    verified.as_ref().map_or(std::ptr::null(), |v| &v.view)
}

/// Frees a verified UserSig and its claims. NULL is a no-op; freeing twice is undefined
/// behaviour.
#[no_mangle]
pub unsafe extern "C" fn timadmin_verified_usersig_free(verified: *mut timadmin_verified_usersig) {
    if !verified.is_null() {
        guard_value((), || drop(Box::from_raw(verified)));
    }
}
