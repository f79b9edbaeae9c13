//! Requests (C structs the caller fills) and responses (read-only C structs the library hands
//! out, each freed with its own `_free`).

use std::ffi::{c_char, c_int};

use timadmin::{
    AppDefinedDataUpdate, ApplyJoinOption, GetGroupMemberInfoRequest, GetGroupMutedAccountRequest,
    ModifyGroupBaseInfoRequest,
};

use crate::error::timadmin_error;
use crate::ffi::{opt_slice, opt_str, opt_str_list, req_str};

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

/// How people may join a group (`ApplyJoinOption`). Used as an `int` in request structs so that
/// a zeroed struct means "unchanged".
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum timadmin_apply_join_option {
    /// Leave unchanged (not sent).
    Unset = 0,
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

/// The fields of a `get_group_member_info` call. All optional fields are unset when the struct
/// is zeroed (`timadmin_get_group_member_info_request req = {0};`). The library only reads it
/// during the call; the caller keeps ownership of everything it points to.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct timadmin_get_group_member_info_request {
    /// `GroupId` (required, non-NULL UTF-8).
    pub group_id: *const c_char,
    /// Optional `MemberInfoFilter`: array of `member_info_filter_len` field names (`"Role"`,
    /// `"JoinTime"`, ...). NULL = unset (all fields).
    pub member_info_filter: *const *const c_char,
    /// Number of entries in `member_info_filter`.
    pub member_info_filter_len: usize,
    /// Optional `MemberRoleFilter`: array of roles (`"Owner"`, `"Admin"`, `"Member"`).
    /// NULL = unset (all roles).
    pub member_role_filter: *const *const c_char,
    /// Number of entries in `member_role_filter`.
    pub member_role_filter_len: usize,
    /// Optional `AppDefinedDataFilter_GroupMember`: custom member-data keys to return.
    /// NULL = unset.
    pub app_defined_data_filter_group_member: *const *const c_char,
    /// Number of entries in `app_defined_data_filter_group_member`.
    pub app_defined_data_filter_group_member_len: usize,
    /// Whether `limit` is set.
    pub has_limit: bool,
    /// Optional `Limit`: members per call (at most 6000; 100 for community groups).
    pub limit: u32,
    /// Whether `offset` is set.
    pub has_offset: bool,
    /// Optional `Offset`: index of the first member (not for community groups).
    pub offset: u64,
    /// Optional `Next`: community groups' cursor, `""` for the first page. NULL = unset.
    pub next: *const c_char,
}

impl timadmin_get_group_member_info_request {
    /// The request as the core's [`GetGroupMemberInfoRequest`] (which checks the values).
    ///
    /// # Safety
    ///
    /// Every pointer field is NULL or valid as its documentation says (a live string, or an
    /// array of its `_len` live strings) for the duration of the call.
    pub(crate) unsafe fn read(&self) -> Result<GetGroupMemberInfoRequest, timadmin_error> {
        // SAFETY: every pointer read below is a field of `self`, NULL or valid per this
        // function's contract.
        unsafe {
            Ok(GetGroupMemberInfoRequest {
                group_id: req_str(self.group_id, "group_id")?.to_owned(),
                member_info_filter: opt_str_list(self.member_info_filter, self.member_info_filter_len, "member_info_filter")?,
                member_role_filter: opt_str_list(self.member_role_filter, self.member_role_filter_len, "member_role_filter")?,
                app_defined_data_filter_group_member: opt_str_list(
                    self.app_defined_data_filter_group_member,
                    self.app_defined_data_filter_group_member_len,
                    "app_defined_data_filter_group_member",
                )?,
                limit: self.has_limit.then_some(self.limit),
                offset: self.has_offset.then_some(self.offset),
                next: opt_str(self.next, "next")?.map(str::to_owned),
            })
        }
    }
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

/// The fields of a `get_group_muted_account` call; zeroed = all optional fields unset. Read
/// only during the call; the caller keeps ownership.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct timadmin_get_group_muted_account_request {
    /// `GroupId` (required).
    pub group_id: *const c_char,
    /// Optional `TopicId` of a topic-enabled community. NULL = unset (the whole group).
    pub topic_id: *const c_char,
}

impl timadmin_get_group_muted_account_request {
    /// The request as the core's [`GetGroupMutedAccountRequest`].
    ///
    /// # Safety
    ///
    /// `group_id` and `topic_id` are NULL or live NUL-terminated strings for the duration of
    /// the call.
    pub(crate) unsafe fn read(&self) -> Result<GetGroupMutedAccountRequest, timadmin_error> {
        // SAFETY: both strings are NULL or live, per this function's contract.
        let (group_id, topic_id) = unsafe { (req_str(self.group_id, "group_id"), opt_str(self.topic_id, "topic_id")) };
        Ok(GetGroupMutedAccountRequest {
            group_id: group_id?.to_owned(),
            topic_id: topic_id?.map(str::to_owned),
        })
    }
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

/// A change to one group custom-data key (`AppDefinedData` item; core: `AppDefinedDataUpdate`):
/// `value` NULL deletes the key.
/// The caller owns the strings.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct timadmin_app_defined_data_update {
    /// `Key` (required).
    pub key: *const c_char,
    /// The new `Value`; NULL deletes the key.
    pub value: *const c_char,
}

/// The fields of a `modify_group_base_info` call: only the fields that are set are changed;
/// zeroed = nothing changes. Read only during the call; the caller keeps ownership.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct timadmin_modify_group_base_info_request {
    /// `GroupId` (required).
    pub group_id: *const c_char,
    /// Optional `Name` (at most 30 UTF-8 bytes). NULL = unchanged.
    pub name: *const c_char,
    /// Optional `Introduction` (at most 240 bytes). NULL = unchanged.
    pub introduction: *const c_char,
    /// Optional `Notification` (at most 300 bytes). NULL = unchanged.
    pub notification: *const c_char,
    /// Optional `FaceUrl` (at most 100 bytes). NULL = unchanged.
    pub face_url: *const c_char,
    /// Whether `max_member_num` is set.
    pub has_max_member_num: bool,
    /// Optional `MaxMemberNum`.
    pub max_member_num: u32,
    /// Optional `ApplyJoinOption`: a `timadmin_apply_join_option` value;
    /// `TIMADMIN_APPLY_JOIN_OPTION_UNSET` (0) = unchanged.
    pub apply_join_option: c_int,
    /// Whether `shut_up_all_member` is set.
    pub has_shut_up_all_member: bool,
    /// Optional `ShutUpAllMember`: true mutes everyone but owner and admins (`"On"`).
    pub shut_up_all_member: bool,
    /// Optional `AppDefinedData`: array of `app_defined_data_len` updates. NULL = unchanged.
    pub app_defined_data: *const timadmin_app_defined_data_update,
    /// Number of entries in `app_defined_data`.
    pub app_defined_data_len: usize,
}

impl timadmin_modify_group_base_info_request {
    /// The request as the core's [`ModifyGroupBaseInfoRequest`] (which checks the values).
    ///
    /// # Safety
    ///
    /// Every pointer field is NULL or valid as its documentation says (a live string, or an
    /// array of `app_defined_data_len` live updates whose strings are NULL or live) for the
    /// duration of the call.
    pub(crate) unsafe fn read(&self) -> Result<ModifyGroupBaseInfoRequest, timadmin_error> {
        let apply_join_option = match self.apply_join_option {
            0 => None,
            1 => Some(ApplyJoinOption::FreeAccess),
            2 => Some(ApplyJoinOption::NeedPermission),
            3 => Some(ApplyJoinOption::DisableApply),
            other => {
                return Err(timadmin_error::invalid(
                    "ApplyJoinOption",
                    &format!("{other} is not a timadmin_apply_join_option value"),
                ))
            }
        };
        // SAFETY: the array is NULL or holds `app_defined_data_len` live updates, per this
        // function's contract.
        let app_defined_data = match unsafe { opt_slice(self.app_defined_data, self.app_defined_data_len, "app_defined_data") }? {
            None => None,
            Some(items) => Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        // SAFETY: an update's strings are NULL or live, per this function's
                        // contract.
                        let (key, value) = unsafe {
                            (
                                req_str(item.key, &format!("app_defined_data[{i}].key")),
                                opt_str(item.value, &format!("app_defined_data[{i}].value")),
                            )
                        };
                        Ok(AppDefinedDataUpdate {
                            key: key?.to_owned(),
                            value: value?.map(str::to_owned),
                        })
                    })
                    .collect::<Result<Vec<_>, timadmin_error>>()?,
            ),
        };
        // SAFETY: each string is NULL or live, per this function's contract.
        let text = |ptr, name| unsafe { opt_str(ptr, name) }.map(|s| s.map(str::to_owned));
        // SAFETY: as above.
        let group_id = unsafe { req_str(self.group_id, "group_id") }?.to_owned();
        Ok(ModifyGroupBaseInfoRequest {
            group_id,
            name: text(self.name, "name")?,
            introduction: text(self.introduction, "introduction")?,
            notification: text(self.notification, "notification")?,
            face_url: text(self.face_url, "face_url")?,
            max_member_num: self.has_max_member_num.then_some(self.max_member_num),
            apply_join_option,
            shut_up_all_member: self.has_shut_up_all_member.then_some(self.shut_up_all_member),
            app_defined_data,
        })
    }
}
