//! A local, stateful, strict stand-in for the Tencent Cloud Chat (IM) group REST endpoints
//! `get_group_member_info`, `get_group_muted_account` and `modify_group_base_info`.
//!
//! It checks the request envelope and UserSig like the service, rejects unknown or mistyped
//! body fields (so misspelt names are caught), pages like the service (Limit/Offset, community
//! `Next` cursors, the 1 MB cap), rate-limits per command, and can inject faults. Its state can
//! be seeded from a JSON fixture, generated (100,000 members in well under a second), and
//! inspected through [`Control`] or HTTP routes under `/__emulator/`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), timadmin_emulator::EmulatorError> {
//! use timadmin_emulator::{Emulator, EmulatorConfig};
//! let emu = Emulator::start(EmulatorConfig::default()).await?;
//! emu.control().generate_community_group("@TGS#_big", 100_000)?;
//! println!("{}", emu.base_url());
//! # Ok(()) }
//! ```

#![warn(missing_docs)]

pub mod cli;
mod config;
mod control;
mod error;
mod faults;
pub mod fixture;
mod handlers;
mod inspect;
mod protocol;
mod ratelimit;
mod server;
mod shared;
mod state;
mod tls;

pub use config::{
    EmulatorConfig, DEFAULT_ADMIN, DEFAULT_CALL_LOG_CAPACITY, DEFAULT_KEY, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_RATE_LIMIT_PER_SEC, DEFAULT_SDKAPPID,
};
pub use control::{Control, GroupSummary};
pub use error::EmulatorError;
pub use faults::{Fault, FaultKind, FaultSpec};
pub use protocol::codes;
pub use server::Emulator;
pub use shared::{CallRecord, DEMO_COMMUNITY_ID};
pub use state::{
    Group, GroupType, KeyValue, Member, MutedAccount, Topic, APPLY_JOIN_OPTIONS, COMMUNITY_PREFIX, MAX_GROUP_ID_BYTES,
    MSG_FLAGS, MUTED_FOREVER, ROLES,
};
