//! Kotlin (package `io.timadmin`) and Swift (module `TimAdmin`) bindings of timadmin, made with
//! UniFFI proc-macros. A thin translator: records in, records out, errors mapped; every rule,
//! default, retry and paging step lives in the core crate `timadmin`.
//!
//! The API: `TimAdminClient(ClientOptions)` with `getGroupMemberInfo`, `getGroupMutedAccount`,
//! `modifyGroupBaseInfo` (Kotlin `suspend`, Swift `async throws`) and `members(groupId, options)`
//! returning a `MemberPager` (`nextPage()`); `generateUserSig` / `verifyUserSig`; the
//! `UserSigProvider` interface apps implement; one error type `TimAdminError`
//! (Kotlin `TimAdminException`). Generated sources come from `bindings-uniffi/generate.sh`.

#![warn(missing_docs)]

mod client;
mod config;
mod error;
mod model;
mod runtime;
mod usersig;
mod version;

pub use client::{MemberPager, TimAdminClient};
pub use config::{ClientOptions, RateLimit, RedisFallback, UserSigProvider};
pub use error::TimAdminError;
pub use model::{
    AppDefinedDataUpdate, ApplyJoinOption, Claims, GetGroupMemberInfoRequest, GetGroupMemberInfoResponse,
    GetGroupMutedAccountRequest, GetGroupMutedAccountResponse, GroupMember, KeyValue, MemberPage,
    ModifyGroupBaseInfoRequest, MutedAccount, PageOptions, PagingMode, Role,
};
pub use usersig::{generate_user_sig, verify_user_sig};
pub use version::timadmin_version;

uniffi::setup_scaffolding!();
