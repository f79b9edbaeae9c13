//! # timadmin
//!
//! A client for the Tencent Cloud Chat (IM) server-side REST API: it signs its own admin
//! UserSig (TLSSigAPIv2), calls `get_group_member_info`, `get_group_muted_account` and
//! `modify_group_base_info`, pages through whole groups (Limit/Offset, and the `Next` cursor of
//! community groups), retries with backoff, fails over to the region's backup domain, and keeps
//! each endpoint under its rate limit. Everything the Python, C and mobile bindings do lives here.
//!
//! ```
//! use futures::TryStreamExt;
//! use timadmin::{Client, ClientOptions, GetGroupMemberInfoRequest, PageOptions};
//!
//! # #[tokio::main] async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // A local emulator stands in for the service here; against the real one give `region`
//! // instead of `base_url` (or use `ClientOptions::from_env()`, the `TIM_*` variables).
//! let emulator = timadmin_emulator::Emulator::start(Default::default()).await?;
//! emulator.control().generate_community_group("@TGS#_demo", 250)?;
//!
//! let config = ClientOptions {
//!     secret_key: Some(emulator.key().to_owned()),
//!     base_url: Some(emulator.base_url()),
//!     ..ClientOptions::new(emulator.sdkappid())
//! }
//! .build()?;
//! let client = Client::new(config)?;
//! assert_eq!(client.settings()["secret_key"], "***");
//!
//! // One call...
//! let page = client.get_group_member_info(&GetGroupMemberInfoRequest {
//!     limit: Some(10),
//!     next: Some(String::new()),
//!     ..GetGroupMemberInfoRequest::new("@TGS#_demo")
//! }).await?;
//! assert_eq!(page.member_list.len(), 10);
//!
//! // ...or the whole group, one page in memory at a time.
//! let members: Vec<_> = client.members("@TGS#_demo", PageOptions::default())?.into_stream().try_collect().await?;
//! assert_eq!(members.len(), 250);
//! # Ok(()) }
//! ```

mod auth;
pub mod blocking;
mod client;
mod command;
pub mod config;
pub mod error;
pub mod model;
pub mod options;
pub mod paging;
pub mod process;
mod ratelimit;
pub mod region;
pub mod rest_body;
pub mod settings;
pub mod stats;
pub mod transport;
pub mod usersig;
pub mod validate;

pub use blocking::{BlockingClient, BlockingMemberPager};
pub use client::Client;
pub use command::Command;
pub use config::{
    AsyncUserSigProvider, Config, Credentials, RedisFallback, RedisUrl, RetryPolicy, SharedRateLimit, UserSigProvider,
};
pub use error::{ApiErrorKind, Error, Result};
pub use model::{
    is_community_group, AppDefinedDataUpdate, ApplyJoinOption, GetGroupMemberInfoRequest, GetGroupMemberInfoResponse,
    GetGroupMutedAccountRequest, GetGroupMutedAccountResponse, GroupMember, KeyValue, ModifyGroupBaseInfoRequest,
    MutedAccount, Role,
};
pub use options::{ClientOptions, RateLimit, TestHooks};
pub use paging::{MemberCursor, MemberPage, MemberPager, PageOptions, PagingMode};
pub use process::PerProcess;
pub use region::{Endpoint, Region};
pub use stats::{CommandStats, Stats};

// The UniFFI component of the core's plain types (feature `uniffi`, used by bindings-uniffi only).
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();
