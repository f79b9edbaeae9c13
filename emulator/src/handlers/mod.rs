//! One module per REST command; each takes the parsed body and the store and returns a reply.

pub(crate) mod group_info;
pub(crate) mod member_info;
pub(crate) mod modify_base_info;
pub(crate) mod muted_account;

use serde_json::{Map, Value};

use crate::protocol::{ApiError, Reply};
use crate::state::Store;

/// The commands the emulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Command {
    GetGroupMemberInfo,
    GetGroupMutedAccount,
    ModifyGroupBaseInfo,
    GetGroupInfo,
}

/// The URL prefix of the group commands.
pub(crate) const SERVICE_PREFIX: &str = "/v4/group_open_http_svc/";

impl Command {
    pub(crate) const ALL: [Command; 4] = [
        Command::GetGroupMemberInfo,
        Command::GetGroupMutedAccount,
        Command::ModifyGroupBaseInfo,
        Command::GetGroupInfo,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Command::GetGroupMemberInfo => "get_group_member_info",
            Command::GetGroupMutedAccount => "get_group_muted_account",
            Command::ModifyGroupBaseInfo => "modify_group_base_info",
            Command::GetGroupInfo => "get_group_info",
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Command> {
        Command::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// Whether `name` (a request path with [`SERVICE_PREFIX`] removed, when it had it) has the
/// shape of a REST command, `v4/{service}/{command}` or a bare `{command}` under the group
/// service: the service answers such a request for a command it does not know with 10003
/// (invalid command word), and anything else (`/`, `/v4`, other shapes) with 60009.
pub(crate) fn is_command_path(name: &str) -> bool {
    let word = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    match name.strip_prefix("/v4/") {
        Some(rest) => matches!(rest.split_once('/'), Some((service, command)) if word(service) && word(command)),
        None => word(name),
    }
}

/// The served command words, for error messages.
pub(crate) fn served_commands() -> String {
    Command::ALL.map(Command::name).join(", ")
}

/// Per-call settings the handlers need.
pub(crate) struct Ctx {
    pub max_response_bytes: usize,
    pub extra_fields: bool,
    pub now: u64,
}

/// Runs `command` on `body`.
pub(crate) fn dispatch(command: Command, store: &mut Store, body: &Map<String, Value>, ctx: &Ctx) -> Reply {
    let result: Result<Reply, ApiError> = match command {
        Command::GetGroupMemberInfo => member_info::handle(store, body, ctx),
        Command::GetGroupMutedAccount => muted_account::handle(store, body, ctx),
        Command::ModifyGroupBaseInfo => modify_base_info::handle(store, body, ctx),
        Command::GetGroupInfo => group_info::handle(store, body, ctx),
    };
    result.unwrap_or_else(Reply::from)
}
