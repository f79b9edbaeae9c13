//! # libtimadmin: the C ABI of timadmin
//!
//! A thin translation layer over [`timadmin::BlockingClient`]: C types in, C types out, errors
//! mapped to a status code. Every behaviour (validation, signing, paging, retries, rate limiting)
//! lives in the `timadmin` core crate. The header `include/timadmin.h` is generated from this
//! crate by cbindgen (see `gen-header.sh`).
//!
//! Conventions (after rustls-ffi):
//! - every fallible function returns a `timadmin_status`; `TIMADMIN_STATUS_OK` is 0;
//! - outputs are written through out-parameters, and only on success;
//! - error detail comes from a `timadmin_error` object written through the last parameter,
//!   `error_out`, on failure only (pass NULL if you do not want it; free it with
//!   `timadmin_error_free`);
//! - constructors end in `_new` (or return an object through an out-parameter), destructors in
//!   `_free`; freeing NULL is a no-op, freeing twice is undefined behaviour;
//! - responses are handed out as pointers to their read-only, core-named struct (e.g.
//!   `timadmin_get_group_member_info_response`), which owns what it points to and is freed by
//!   its own `_free` (e.g. `timadmin_get_group_member_info_response_free`);
//! - every value handed to C and every C pointer read goes through `ownership` (boxes, references,
//!   out-parameters) and `ffi` (strings, arrays);
//! - every pointer argument is checked for NULL (`TIMADMIN_STATUS_NULL_PARAMETER`) unless its
//!   documentation says NULL means "unset";
//! - strings in are NUL-terminated UTF-8 (invalid UTF-8 is `TIMADMIN_STATUS_INVALID_ARGUMENT`);
//!   strings out are owned by the object that holds them and live as long as it;
//! - no panic crosses the boundary: it is caught and reported as `TIMADMIN_STATUS_PANIC`.

#![allow(non_camel_case_types)]
// The pointer contract of every function (what may be NULL, who owns what, for how long) is in
// its doc comment's `# Safety` section, which is also its documentation in the generated C
// header. Every unsafe operation sits in an `unsafe {}` block whose `// SAFETY:` comment says
// which part of that contract (or which invariant) makes it sound.
#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::missing_safety_doc)]
#![deny(clippy::undocumented_unsafe_blocks)]

mod arena;
mod builder;
mod client;
mod error;
mod ffi;
mod lower;
mod model;
mod options;
mod ownership;
mod paging;
#[cfg(test)]
mod properties;
mod requests;
mod usersig;

pub use client::*;
pub use error::*;
pub use model::*;
pub use options::*;
pub use paging::*;
pub use requests::*;
pub use usersig::*;

/// The version of libtimadmin, e.g. `"0.2.0"`: the library actually loaded, which a program can
/// compare with the header's `TIMADMIN_VERSION_STRING` (the version it was compiled against).
///
/// The returned string is static: never free it.
#[no_mangle]
pub extern "C" fn timadmin_version() -> *const std::ffi::c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
