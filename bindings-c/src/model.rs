//! Responses (read-only C structs the library hands out, each freed with its own `_free`) and
//! the roles and options they use. The requests are opaque builders (`requests.rs`).

use std::ffi::{c_char, c_int};

/// A member's role in its group (core: `Option<Role>`: `Owner`, `Admin`, `Member`, or
/// `Other` with the service's spelling in `timadmin_group_member.role_other`).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum timadmin_role {
    /// The service did not return the role (not asked for in `member_info_filter`).
    Unset = 0,
    /// `Owner`.
    Owner = 1,
    /// `Admin`.
    Admin = 2,
    /// `Member`.
    Member = 3,
    /// A role this version does not know (core: `Role::Other`); its REST spelling is in
    /// `role_other`.
    Other = 4,
}

/// The REST spelling of a known role (core: `Role::as_str`): `"Owner"`, `"Admin"` or
/// `"Member"` for a `timadmin_role` value; NULL for `TIMADMIN_ROLE_UNSET`,
/// `TIMADMIN_ROLE_OTHER` (read `role_other`) and values that are not a `timadmin_role`.
///
/// The returned string is static: never free it.
#[no_mangle]
pub extern "C" fn timadmin_role_as_str(role: c_int) -> *const c_char {
    let text: &'static std::ffi::CStr = match role {
        1 => c"Owner",
        2 => c"Admin",
        3 => c"Member",
        _ => return std::ptr::null(),
    };
    text.as_ptr()
}

/// How people may join a group (`ApplyJoinOption`): the values
/// `timadmin_modify_group_base_info_request_set_apply_join_option` takes.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum timadmin_apply_join_option {
    /// `FreeAccess`: anyone may join.
    FreeAccess = 1,
    /// `NeedPermission`: joining needs approval.
    NeedPermission = 2,
    /// `DisableApply`: nobody may apply.
    DisableApply = 3,
}

/// One custom-data entry (`{"Key": ..., "Value": ...}`) of a response.
///
/// Both strings are owned by the response that holds this entry and live as long as it.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct timadmin_key_value {
    /// `Key` (never NULL).
    pub key: *const c_char,
    /// `Value` (never NULL; may be empty).
    pub value: *const c_char,
}

/// One group member (`MemberList` item). Fields the service did not return (because the
/// request's `member_info_filter` did not ask for them) are NULL or have `has_*` false.
///
/// Every pointer is owned by the response or page that holds this member (or, in a callback, by
/// the library for the duration of the callback) and lives as long as it.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct timadmin_group_member {
    /// `Member_Account` (never NULL).
    pub member_account: *const c_char,
    /// `Role` (core: `Role`); `TIMADMIN_ROLE_UNSET` when not returned.
    /// `timadmin_role_as_str` gives the REST spelling of the known roles.
    pub role: timadmin_role,
    /// For `TIMADMIN_ROLE_OTHER`: the role as the service spelled it (trimmed); NULL otherwise.
    pub role_other: *const c_char,
    /// Whether `join_time` was returned.
    pub has_join_time: bool,
    /// `JoinTime`: when the member joined (Unix seconds).
    pub join_time: u64,
    /// Whether `msg_seq` was returned.
    pub has_msg_seq: bool,
    /// `MsgSeq`: sequence number of the member's last read message.
    pub msg_seq: u64,
    /// `MsgFlag` (`"AcceptAndNotify"`, ...); NULL when not returned.
    pub msg_flag: *const c_char,
    /// Whether `last_send_msg_time` was returned.
    pub has_last_send_msg_time: bool,
    /// `LastSendMsgTime`: when the member last sent a message (Unix seconds).
    pub last_send_msg_time: u64,
    /// Whether `mute_until` was returned.
    pub has_mute_until: bool,
    /// `MuteUntil`: muted until this Unix second; 0 = not muted; 4294967295 = for good.
    pub mute_until: u64,
    /// `NameCard`; NULL when not returned.
    pub name_card: *const c_char,
    /// Whether `AppMemberDefinedData` was returned (it may be returned and empty).
    pub has_app_member_defined_data: bool,
    /// `AppMemberDefinedData`: array of `app_member_defined_data_len` entries (NULL when empty).
    pub app_member_defined_data: *const timadmin_key_value,
    /// Number of entries in `app_member_defined_data`.
    pub app_member_defined_data_len: usize,
}

/// The answer of a `get_group_member_info` call (core: `GetGroupMemberInfoResponse`), handed
/// out by `timadmin_client_get_group_member_info`.
///
/// Read-only: it owns every string and array it points to, in one allocation with it; free it
/// (and them) with `timadmin_get_group_member_info_response_free`, never with `free()`, and
/// never free a copy of the struct. May be read from any thread.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct timadmin_get_group_member_info_response {
    /// `MemberNum`: total members in the group.
    pub member_num: u64,
    /// `MemberList`: array of `member_list_len` members (NULL when empty).
    pub member_list: *const timadmin_group_member,
    /// Number of members in `member_list`.
    pub member_list_len: usize,
    /// `Next`: community groups' cursor for the next call (`""` when done); NULL when the
    /// service sent none (ordinary groups).
    pub next: *const c_char,
}

/// A muted member (`MutedAccountList` item). Owned by its response.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct timadmin_muted_account {
    /// `Member_Account` (never NULL).
    pub member_account: *const c_char,
    /// `MutedUntil`: muted until this Unix second (4294967295 = for good).
    pub muted_until: u64,
}

/// The answer of a `get_group_muted_account` call (core: `GetGroupMutedAccountResponse`),
/// handed out by `timadmin_client_get_group_muted_account`.
///
/// Read-only: it owns every string and array it points to, in one allocation with it; free it
/// (and them) with `timadmin_get_group_muted_account_response_free`, never with `free()`, and
/// never free a copy of the struct. May be read from any thread.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct timadmin_get_group_muted_account_response {
    /// `GroupId` (never NULL).
    pub group_id: *const c_char,
    /// `MutedAccountList`: array of `muted_account_list_len` entries (NULL when empty).
    pub muted_account_list: *const timadmin_muted_account,
    /// Number of entries in `muted_account_list`.
    pub muted_account_list_len: usize,
}
