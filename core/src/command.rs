//! The REST command words: what a request is sent as, and what the rate limit counts per.

use std::fmt;

/// The REST command words timadmin speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// `get_group_member_info`
    GetGroupMemberInfo,
    /// `get_group_muted_account`
    GetGroupMutedAccount,
    /// `modify_group_base_info`
    ModifyGroupBaseInfo,
}

impl Command {
    /// The command word in the URL.
    pub fn as_str(self) -> &'static str {
        match self {
            Command::GetGroupMemberInfo => "get_group_member_info",
            Command::GetGroupMutedAccount => "get_group_muted_account",
            Command::ModifyGroupBaseInfo => "modify_group_base_info",
        }
    }

    /// How many command words there are.
    pub(crate) const COUNT: usize = 3;

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
