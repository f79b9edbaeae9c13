//! Kotlin (package `io.timadmin`) and Swift (module `TimAdmin`) bindings of timadmin, made with
//! UniFFI proc-macros. A thin translator: records in, records out, errors mapped; every rule,
//! default, retry and paging step lives in the core crate `timadmin`.
//!
//! The API: `TimAdminClient(options)` with `getGroupMemberInfo`, `getGroupMutedAccount`,
//! `modifyGroupBaseInfo` (Kotlin `suspend`, Swift `async throws`) and `members(groupId, options)`
//! returning a `MemberPager` (`nextPage()`); `generateUsersig` / `verifyUsersig` /
//! `decodeUsersig` (claims without the key, `UnverifiedClaims`); the
//! `UserSigProvider` interface apps implement; one error type `TimAdminError`
//! (Kotlin `TimAdminException`). Generated sources come from `bindings-uniffi/generate.sh`.
//!
//! The requests, responses, `Role`, paging records, `Claims` and `UnverifiedClaims` are the core's own types: the
//! core derives UniFFI's traits on them (its `uniffi` feature), so they are exported as they are
//! (Kotlin package `io.timadmin.core`, Swift module `TimAdmin`). Only what really differs is
//! declared here: the client and pager objects, the options (a provider, host-friendly
//! optionals), the provider interface and the error enum.

#![warn(missing_docs)]

mod client;
mod config;
mod error;
mod runtime;
mod usersig;
mod version;

pub use client::{MemberPager, TimAdminClient};
pub use config::{ClientOptions, RateLimit, RedisFallback, UserSigProvider};
pub use error::TimAdminError;
pub use usersig::{decode_usersig, generate_usersig, verify_usersig};
pub use version::timadmin_version;

uniffi::setup_scaffolding!();
