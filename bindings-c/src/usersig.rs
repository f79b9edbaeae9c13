//! UserSig (TLSSigAPIv2) signing, verification and decoding (claims without the key).

use std::ffi::{c_char, CString};

use timadmin::usersig::{self, Claims, UnverifiedClaims};

use crate::arena::{Arena, ViewWithArena};
use crate::error::{guard, guard_value, timadmin_error, timadmin_status};
use crate::ffi::{opt_slice, out, req_str};
use crate::ownership::{free_box, to_boxed_mut_ptr, try_ref, OutParam};

/// A string produced by the library (e.g. a generated UserSig). Owns its bytes; free it with
/// `timadmin_string_free`, which also wipes them. Immutable: may be read from any thread.
pub struct timadmin_string {
    text: CString,
}

impl timadmin_string {
    /// A string handed to C; a NUL byte in `text` (`what` names it) is a decode error.
    pub(crate) fn new(text: String, what: &str) -> Result<Self, timadmin_error> {
        let text = CString::new(text).map_err(|_| timadmin_error::nul_in_output(what))?;
        Ok(timadmin_string { text })
    }
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
///
/// # Safety
///
/// `string` is NULL or a string not freed yet.
#[no_mangle]
pub unsafe extern "C" fn timadmin_string_get(string: *const timadmin_string) -> *const c_char {
    // SAFETY: `string` is NULL or live (this function's contract).
    unsafe { try_ref(string) }.map_or(std::ptr::null(), |s| s.text.as_ptr())
}

/// The length in bytes of the text of `string`, without the terminating NUL; 0 when `string`
/// is NULL.
///
/// # Safety
///
/// `string` is NULL or a string not freed yet.
#[no_mangle]
pub unsafe extern "C" fn timadmin_string_len(string: *const timadmin_string) -> usize {
    // SAFETY: `string` is NULL or live (this function's contract).
    unsafe { try_ref(string) }.map_or(0, |s| s.text.as_bytes().len())
}

/// Wipes and frees a string. NULL is a no-op.
///
/// # Safety
///
/// `string` is NULL or a string the library wrote through an out-parameter and not freed yet;
/// nothing uses it (or its text) afterwards.
#[no_mangle]
pub unsafe extern "C" fn timadmin_string_free(string: *mut timadmin_string) {
    // SAFETY: per this function's contract `string` is NULL or owned by the caller (made by
    // `to_boxed_mut_ptr`), who gives it up here.
    guard_value((), || unsafe { free_box(string) });
}

/// Signs a UserSig (TLSSigAPIv2) for `identifier` of app `sdkappid` with the console
/// `secret_key`, valid for `expire` seconds from now (its `TLS.expire`). `userbuf` (may be NULL when `userbuf_len`
/// is 0) binds `userbuf_len` arbitrary bytes into the token.
///
/// On success writes a new string to `*usersig_out` (free it with `timadmin_string_free`).
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`secret_key`, `identifier`, `usersig_out`, or `userbuf`
/// with a non-zero length), `TIMADMIN_STATUS_INVALID_ARGUMENT` (non-UTF-8 strings),
/// `TIMADMIN_STATUS_USERSIG` (e.g. empty secret key or identifier, zero sdkappid). On failure a new
/// error is written to `*error_out` when `error_out` is not NULL. The secret key never appears
/// in an error.
///
/// # Safety
///
/// `secret_key` and `identifier` are NULL or NUL-terminated; `userbuf` is NULL or points to
/// `userbuf_len` readable bytes; `usersig_out` and `error_out` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_generate_usersig(
    sdkappid: u64,
    secret_key: *const c_char,
    identifier: *const c_char,
    expire: u64,
    userbuf: *const u8,
    userbuf_len: usize,
    usersig_out: *mut *mut timadmin_string,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { OutParam::new(error_out) };
    guard(error_out, || {
        // SAFETY: the pointers are NULL or valid (this function's contract).
        let (secret_key, identifier, userbuf, usersig_out) = unsafe {
            (
                req_str(secret_key, "secret_key")?,
                req_str(identifier, "identifier")?,
                opt_slice(userbuf, userbuf_len, "userbuf")?,
                out(usersig_out, "usersig_out")?,
            )
        };
        let sig = match userbuf {
            None => usersig::generate(sdkappid, secret_key, identifier, expire)?,
            Some(buf) => usersig::generate_with_userbuf(sdkappid, secret_key, identifier, expire, buf)?,
        };
        usersig_out.write(to_boxed_mut_ptr(timadmin_string::new(sig, "UserSig")?));
        Ok(())
    })
}

/// The claims of a verified UserSig (core: `usersig::Claims`), handed out by
/// `timadmin_verify_usersig`.
///
/// Read-only: it owns the strings and bytes it points to, in one allocation with it; free it
/// (and them) with `timadmin_claims_free`, never with `free()`, and never free a copy of the
/// struct. May be read from any thread.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct timadmin_claims {
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

/// The C view of `claims`, with the arena that owns what it points to.
fn claims_view(claims: &Claims) -> Result<ViewWithArena<timadmin_claims>, timadmin_error> {
    let mut arena = Arena::default();
    let identifier = arena.string(&claims.identifier, "TLS.identifier")?;
    let (userbuf, userbuf_len) = arena.array(claims.userbuf.clone().unwrap_or_default());
    let view = timadmin_claims {
        identifier,
        sdkappid: claims.sdkappid,
        time: claims.time,
        expire: claims.expire,
        expires_at: claims.expires_at(),
        has_userbuf: claims.userbuf.is_some(),
        userbuf,
        userbuf_len,
    };
    Ok(ViewWithArena::new(view, arena))
}

/// Verifies `usersig` for `identifier` of app `sdkappid` against the `secret_key`: signature,
/// app, identifier and expiry. When `userbuf` is non-NULL the token must carry exactly those
/// `userbuf_len` bytes; when it is NULL (and `userbuf_len` is 0) its user buffer is not checked
/// (the claims report it).
///
/// On success writes the token's claims to `*claims_out` (free them with
/// `timadmin_claims_free`). Errors: `TIMADMIN_STATUS_NULL_PARAMETER`,
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` (non-UTF-8 strings), `TIMADMIN_STATUS_USERSIG` (the
/// message says exactly what failed: malformed, signature mismatch, expired, identifier or
/// sdkappid mismatch, userbuf mismatch). On failure a new error is written to `*error_out` when
/// `error_out` is not NULL. Neither the secret key nor the token appears in an error.
///
/// # Safety
///
/// `secret_key`, `identifier` and `usersig` are NULL or NUL-terminated; `userbuf` is NULL or points
/// to `userbuf_len` readable bytes; `claims_out` and `error_out` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_verify_usersig(
    sdkappid: u64,
    secret_key: *const c_char,
    identifier: *const c_char,
    usersig: *const c_char,
    userbuf: *const u8,
    userbuf_len: usize,
    claims_out: *mut *mut timadmin_claims,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { OutParam::new(error_out) };
    guard(error_out, || {
        // SAFETY: the pointers are NULL or valid (this function's contract).
        let (secret_key, identifier, usersig, userbuf, claims_out) = unsafe {
            (
                req_str(secret_key, "secret_key")?,
                req_str(identifier, "identifier")?,
                req_str(usersig, "usersig")?,
                opt_slice(userbuf, userbuf_len, "userbuf")?,
                out(claims_out, "claims_out")?,
            )
        };
        let claims = match userbuf {
            None => usersig::verify(sdkappid, secret_key, identifier, usersig)?,
            Some(buf) => usersig::verify_with_userbuf(sdkappid, secret_key, identifier, usersig, buf)?,
        };
        claims_out.write(claims_view(&claims)?.into_view_ptr());
        Ok(())
    })
}

/// Frees claims returned by `timadmin_verify_usersig`, and everything they point to. NULL is a
/// no-op.
///
/// # Safety
///
/// `claims` is NULL or a pointer `timadmin_verify_usersig` wrote (not a copy of the struct)
/// that has not been freed yet; nothing uses it afterwards.
#[no_mangle]
pub unsafe extern "C" fn timadmin_claims_free(claims: *mut timadmin_claims) {
    // SAFETY: per this function's contract `claims` is NULL or came from `into_view_ptr` of a
    // `ViewWithArena<timadmin_claims>`, not yet freed.
    guard_value((), || unsafe { ViewWithArena::free(claims) });
}

/// The claims of a UserSig read by `timadmin_decode_usersig` (core: `usersig::UnverifiedClaims`),
/// whose signature was **not** checked: anyone can write a token carrying these values. Use them
/// to diagnose a token (whom and which app it names, when it expires), never to authorize
/// anything; `timadmin_verify_usersig` gives trusted `timadmin_claims`.
///
/// Read-only: it owns the strings and bytes it points to, in one allocation with it; free it
/// (and them) with `timadmin_unverified_claims_free`, never with `free()`, and never free a copy
/// of the struct. May be read from any thread.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct timadmin_unverified_claims {
    /// `TLS.identifier`: the user the token says it was issued for (never NULL).
    pub identifier: *const c_char,
    /// `TLS.sdkappid`: the app the token says issued it.
    pub sdkappid: u64,
    /// `TLS.time`: claimed issue time, Unix seconds.
    pub time: u64,
    /// `TLS.expire`: claimed lifetime in seconds from `time`.
    pub expire: u64,
    /// `time + expire` (saturating): the Unix second after which the token is no longer valid.
    pub expires_at: u64,
    /// Whether the token carries a user buffer.
    pub has_userbuf: bool,
    /// The user buffer: `userbuf_len` bytes (NULL when absent or empty).
    pub userbuf: *const u8,
    /// Number of bytes in `userbuf`.
    pub userbuf_len: usize,
}

/// The C view of `claims`, with the arena that owns what it points to.
fn unverified_claims_view(
    claims: &UnverifiedClaims,
) -> Result<ViewWithArena<timadmin_unverified_claims>, timadmin_error> {
    let mut arena = Arena::default();
    let identifier = arena.string(&claims.identifier, "TLS.identifier")?;
    let (userbuf, userbuf_len) = arena.array(claims.userbuf.clone().unwrap_or_default());
    let view = timadmin_unverified_claims {
        identifier,
        sdkappid: claims.sdkappid,
        time: claims.time,
        expire: claims.expire,
        expires_at: claims.expires_at(),
        has_userbuf: claims.userbuf.is_some(),
        userbuf,
        userbuf_len,
    };
    Ok(ViewWithArena::new(view, arena))
}

/// Reads the claims of `usersig` **without verifying its signature**: no key needed, nothing
/// trusted (core: `usersig::decode`). For diagnosing a token, never for authorizing anything.
///
/// On success writes the token's claims to `*claims_out` (free them with
/// `timadmin_unverified_claims_free`). Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`usersig`,
/// `claims_out`), `TIMADMIN_STATUS_INVALID_ARGUMENT` (non-UTF-8 `usersig`),
/// `TIMADMIN_STATUS_USERSIG` with reason `malformed` (not base64, not zlib, not JSON, a field
/// missing, over 64 KiB). On failure a new error is written to `*error_out` when `error_out` is
/// not NULL. The token never appears in an error.
///
/// # Safety
///
/// `usersig` is NULL or NUL-terminated; `claims_out` and `error_out` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_decode_usersig(
    usersig: *const c_char,
    claims_out: *mut *mut timadmin_unverified_claims,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: `error_out` is NULL or writable (this function's contract).
    let error_out = unsafe { OutParam::new(error_out) };
    guard(error_out, || {
        // SAFETY: the pointers are NULL or valid (this function's contract).
        let (usersig, claims_out) = unsafe { (req_str(usersig, "usersig")?, out(claims_out, "claims_out")?) };
        let claims = usersig::decode(usersig)?;
        claims_out.write(unverified_claims_view(&claims)?.into_view_ptr());
        Ok(())
    })
}

/// Frees claims returned by `timadmin_decode_usersig`, and everything they point to. NULL is a
/// no-op.
///
/// # Safety
///
/// `claims` is NULL or a pointer `timadmin_decode_usersig` wrote (not a copy of the struct) that
/// has not been freed yet; nothing uses it afterwards.
#[no_mangle]
pub unsafe extern "C" fn timadmin_unverified_claims_free(claims: *mut timadmin_unverified_claims) {
    // SAFETY: per this function's contract `claims` is NULL or came from `into_view_ptr` of a
    // `ViewWithArena<timadmin_unverified_claims>`, not yet freed.
    guard_value((), || unsafe { ViewWithArena::free(claims) });
}
