//! The requests of the three endpoints as opaque builders (core: `GetGroupMemberInfoRequest`,
//! `GetGroupMutedAccountRequest`, `ModifyGroupBaseInfoRequest`): made by `_new` with the
//! required `GroupId`, filled by one `_set_*` per field (`_add_*` appends to a list field),
//! read by the client call that takes it (any number of times), freed by `_free`. The caller
//! never sees their layout, so later versions add fields without breaking compiled programs.
//! Setters copy their strings and check only the C types (NULL, UTF-8, enum values), naming
//! the REST field at fault; every rule about values is the core's, checked by the call.

use std::ffi::{c_char, c_int};

use timadmin::{
    AppDefinedDataUpdate, ApplyJoinOption, GetGroupMemberInfoRequest, GetGroupMutedAccountRequest,
    ModifyGroupBaseInfoRequest,
};

use crate::builder;
use crate::error::{timadmin_error, timadmin_status};
use crate::ffi::opt_str;

/// A `get_group_member_info` call (core: `GetGroupMemberInfoRequest`): an opaque object made
/// by `timadmin_get_group_member_info_request_new`, filled by its `_set_*`/`_add_*` functions,
/// passed to `timadmin_client_get_group_member_info` and freed with
/// `timadmin_get_group_member_info_request_free`.
///
/// Not thread-safe while being set; the client calls only read it.
#[derive(Debug)]
pub struct timadmin_get_group_member_info_request {
    pub(crate) inner: GetGroupMemberInfoRequest,
}

/// Makes a `get_group_member_info` request for `group_id` (`GroupId`, required) with every optional
/// field unset. On success writes it to `*request_out`; the caller frees it with
/// `timadmin_get_group_member_info_request_free`.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`group_id`, `request_out`),
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` (not UTF-8; field `GroupId`). The value itself is checked
/// by the call. On failure a new error is written to `*error_out` when `error_out` is not NULL
/// (the caller frees it), and `*request_out` is left untouched.
///
/// # Safety
///
/// `group_id` is NULL or NUL-terminated; `request_out` and `error_out` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_get_group_member_info_request_new(
    group_id: *const c_char,
    request_out: *mut *mut timadmin_get_group_member_info_request,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        builder::new_with_str(group_id, "group_id", request_out, "request_out", error_out, |g| {
            timadmin_get_group_member_info_request { inner: GetGroupMemberInfoRequest::new(g) }
        })
    }
}

/// Frees a request. NULL is a no-op.
///
/// # Safety
///
/// `request` is NULL or a request from `timadmin_get_group_member_info_request_new` not freed yet; nothing uses it afterwards.
#[no_mangle]
pub unsafe extern "C" fn timadmin_get_group_member_info_request_free(
    request: *mut timadmin_get_group_member_info_request,
) {
    // SAFETY: forwarded from this function's contract.
    unsafe { builder::free(request) }
}

/// Adds to `MemberInfoFilter`: appends a member field to return (`"Role"`, `"JoinTime"`, ...). Never called: every field.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`request`; `member_info_filter`, field `MemberInfoFilter`),
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` (not UTF-8; field `MemberInfoFilter`). On failure a new error is
/// written to `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `request` is NULL or a live request not used by another thread during the call; `member_info_filter` is
/// NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_get_group_member_info_request_add_member_info_filter(
    request: *mut timadmin_get_group_member_info_request,
    member_info_filter: *const c_char,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        builder::set_str(request, "request", member_info_filter, "member_info_filter", error_out, |r, v| {
            r.inner.member_info_filter.get_or_insert_with(Vec::new).push(v)
        })
    }
}

/// Adds to `MemberRoleFilter`: appends a role to return (`"Owner"`, `"Admin"`, `"Member"`). Never called: every role.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`request`; `member_role_filter`, field `MemberRoleFilter`),
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` (not UTF-8; field `MemberRoleFilter`). On failure a new error is
/// written to `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `request` is NULL or a live request not used by another thread during the call; `member_role_filter` is
/// NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_get_group_member_info_request_add_member_role_filter(
    request: *mut timadmin_get_group_member_info_request,
    member_role_filter: *const c_char,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        builder::set_str(request, "request", member_role_filter, "member_role_filter", error_out, |r, v| {
            r.inner.member_role_filter.get_or_insert_with(Vec::new).push(v)
        })
    }
}

/// Adds to `AppDefinedDataFilter_GroupMember`: appends a custom member-data key to return.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`request`; `app_defined_data_filter_group_member`, field `AppDefinedDataFilter_GroupMember`),
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` (not UTF-8; field `AppDefinedDataFilter_GroupMember`). On failure a new error is
/// written to `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `request` is NULL or a live request not used by another thread during the call; `app_defined_data_filter_group_member` is
/// NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_get_group_member_info_request_add_app_defined_data_filter_group_member(
    request: *mut timadmin_get_group_member_info_request,
    app_defined_data_filter_group_member: *const c_char,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        builder::set_str(
            request,
            "request",
            app_defined_data_filter_group_member,
            "app_defined_data_filter_group_member",
            error_out,
            |r, v| r.inner.app_defined_data_filter_group_member.get_or_insert_with(Vec::new).push(v),
        )
    }
}

/// Sets `Limit`: members per call (at most 6000; 100 for community groups).
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`request`). On failure a new error is written
/// to `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `request` is NULL or a live request not used by another thread during the call;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_get_group_member_info_request_set_limit(
    request: *mut timadmin_get_group_member_info_request,
    limit: u32,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        builder::set(request, "request", error_out, |r| {
            r.inner.limit = Some(limit);
            Ok(())
        })
    }
}

/// Sets `Offset`: index of the first member (not for community groups).
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`request`). On failure a new error is written
/// to `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `request` is NULL or a live request not used by another thread during the call;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_get_group_member_info_request_set_offset(
    request: *mut timadmin_get_group_member_info_request,
    offset: u64,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        builder::set(request, "request", error_out, |r| {
            r.inner.offset = Some(offset);
            Ok(())
        })
    }
}

/// Sets `Next`: community groups' cursor, `""` for the first page.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`request`; `next`, field `Next`),
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` (not UTF-8; field `Next`). On failure a new error is
/// written to `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `request` is NULL or a live request not used by another thread during the call; `next` is
/// NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_get_group_member_info_request_set_next(
    request: *mut timadmin_get_group_member_info_request,
    next: *const c_char,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe { builder::set_str(request, "request", next, "next", error_out, |r, v| r.inner.next = Some(v)) }
}

/// A `get_group_muted_account` call (core: `GetGroupMutedAccountRequest`): an opaque object
/// made by `timadmin_get_group_muted_account_request_new`, filled by its `_set_*` functions,
/// passed to `timadmin_client_get_group_muted_account` and freed with
/// `timadmin_get_group_muted_account_request_free`.
///
/// Not thread-safe while being set; the client calls only read it.
#[derive(Debug)]
pub struct timadmin_get_group_muted_account_request {
    pub(crate) inner: GetGroupMutedAccountRequest,
}

/// Makes a `get_group_muted_account` request for `group_id` (`GroupId`, required) with every optional
/// field unset. On success writes it to `*request_out`; the caller frees it with
/// `timadmin_get_group_muted_account_request_free`.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`group_id`, `request_out`),
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` (not UTF-8; field `GroupId`). The value itself is checked
/// by the call. On failure a new error is written to `*error_out` when `error_out` is not NULL
/// (the caller frees it), and `*request_out` is left untouched.
///
/// # Safety
///
/// `group_id` is NULL or NUL-terminated; `request_out` and `error_out` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_get_group_muted_account_request_new(
    group_id: *const c_char,
    request_out: *mut *mut timadmin_get_group_muted_account_request,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        builder::new_with_str(group_id, "group_id", request_out, "request_out", error_out, |g| {
            timadmin_get_group_muted_account_request { inner: GetGroupMutedAccountRequest::new(g) }
        })
    }
}

/// Frees a request. NULL is a no-op.
///
/// # Safety
///
/// `request` is NULL or a request from `timadmin_get_group_muted_account_request_new` not freed yet; nothing uses it afterwards.
#[no_mangle]
pub unsafe extern "C" fn timadmin_get_group_muted_account_request_free(
    request: *mut timadmin_get_group_muted_account_request,
) {
    // SAFETY: forwarded from this function's contract.
    unsafe { builder::free(request) }
}

/// Sets `TopicId`: the topic of a topic-enabled community (unset: the whole group).
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`request`; `topic_id`, field `TopicId`),
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` (not UTF-8; field `TopicId`). On failure a new error is
/// written to `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `request` is NULL or a live request not used by another thread during the call; `topic_id` is
/// NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_get_group_muted_account_request_set_topic_id(
    request: *mut timadmin_get_group_muted_account_request,
    topic_id: *const c_char,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe { builder::set_str(request, "request", topic_id, "topic_id", error_out, |r, v| r.inner.topic_id = Some(v)) }
}

/// A `modify_group_base_info` call (core: `ModifyGroupBaseInfoRequest`): an opaque object
/// made by `timadmin_modify_group_base_info_request_new`, filled by its `_set_*`/`_add_*`
/// functions (only the fields set are changed), passed to
/// `timadmin_client_modify_group_base_info` and freed with
/// `timadmin_modify_group_base_info_request_free`.
///
/// Not thread-safe while being set; the client calls only read it.
#[derive(Debug)]
pub struct timadmin_modify_group_base_info_request {
    pub(crate) inner: ModifyGroupBaseInfoRequest,
}

/// Makes a `modify_group_base_info` request for `group_id` (`GroupId`, required) with every optional
/// field unset. On success writes it to `*request_out`; the caller frees it with
/// `timadmin_modify_group_base_info_request_free`.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`group_id`, `request_out`),
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` (not UTF-8; field `GroupId`). The value itself is checked
/// by the call. On failure a new error is written to `*error_out` when `error_out` is not NULL
/// (the caller frees it), and `*request_out` is left untouched.
///
/// # Safety
///
/// `group_id` is NULL or NUL-terminated; `request_out` and `error_out` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_modify_group_base_info_request_new(
    group_id: *const c_char,
    request_out: *mut *mut timadmin_modify_group_base_info_request,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        builder::new_with_str(group_id, "group_id", request_out, "request_out", error_out, |g| {
            timadmin_modify_group_base_info_request { inner: ModifyGroupBaseInfoRequest::new(g) }
        })
    }
}

/// Frees a request. NULL is a no-op.
///
/// # Safety
///
/// `request` is NULL or a request from `timadmin_modify_group_base_info_request_new` not freed yet; nothing uses it afterwards.
#[no_mangle]
pub unsafe extern "C" fn timadmin_modify_group_base_info_request_free(
    request: *mut timadmin_modify_group_base_info_request,
) {
    // SAFETY: forwarded from this function's contract.
    unsafe { builder::free(request) }
}

/// Sets `Name`: the group's new name (at most 30 UTF-8 bytes).
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`request`; `name`, field `Name`),
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` (not UTF-8; field `Name`). On failure a new error is
/// written to `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `request` is NULL or a live request not used by another thread during the call; `name` is
/// NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_modify_group_base_info_request_set_name(
    request: *mut timadmin_modify_group_base_info_request,
    name: *const c_char,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe { builder::set_str(request, "request", name, "name", error_out, |r, v| r.inner.name = Some(v)) }
}

/// Sets `Introduction`: the new introduction (at most 240 bytes).
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`request`; `introduction`, field `Introduction`),
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` (not UTF-8; field `Introduction`). On failure a new error is
/// written to `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `request` is NULL or a live request not used by another thread during the call; `introduction` is
/// NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_modify_group_base_info_request_set_introduction(
    request: *mut timadmin_modify_group_base_info_request,
    introduction: *const c_char,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        builder::set_str(request, "request", introduction, "introduction", error_out, |r, v| {
            r.inner.introduction = Some(v)
        })
    }
}

/// Sets `Notification`: the new notification (at most 300 bytes).
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`request`; `notification`, field `Notification`),
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` (not UTF-8; field `Notification`). On failure a new error is
/// written to `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `request` is NULL or a live request not used by another thread during the call; `notification` is
/// NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_modify_group_base_info_request_set_notification(
    request: *mut timadmin_modify_group_base_info_request,
    notification: *const c_char,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        builder::set_str(request, "request", notification, "notification", error_out, |r, v| {
            r.inner.notification = Some(v)
        })
    }
}

/// Sets `FaceUrl`: the new avatar URL (at most 100 bytes).
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`request`; `face_url`, field `FaceUrl`),
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` (not UTF-8; field `FaceUrl`). On failure a new error is
/// written to `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `request` is NULL or a live request not used by another thread during the call; `face_url` is
/// NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_modify_group_base_info_request_set_face_url(
    request: *mut timadmin_modify_group_base_info_request,
    face_url: *const c_char,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe { builder::set_str(request, "request", face_url, "face_url", error_out, |r, v| r.inner.face_url = Some(v)) }
}

/// Sets `MaxMemberNum`: the new member limit.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`request`). On failure a new error is written
/// to `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `request` is NULL or a live request not used by another thread during the call;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_modify_group_base_info_request_set_max_member_num(
    request: *mut timadmin_modify_group_base_info_request,
    max_member_num: u32,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        builder::set(request, "request", error_out, |r| {
            r.inner.max_member_num = Some(max_member_num);
            Ok(())
        })
    }
}

/// Sets `ShutUpAllMember`: true mutes everyone but owner and admins (`"On"`), false lifts it (`"Off"`).
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`request`). On failure a new error is written
/// to `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `request` is NULL or a live request not used by another thread during the call;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_modify_group_base_info_request_set_shut_up_all_member(
    request: *mut timadmin_modify_group_base_info_request,
    shut_up_all_member: bool,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        builder::set(request, "request", error_out, |r| {
            r.inner.shut_up_all_member = Some(shut_up_all_member);
            Ok(())
        })
    }
}

/// Sets `ApplyJoinOption`: how people may join, a `timadmin_apply_join_option` value.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`request`), `TIMADMIN_STATUS_INVALID_ARGUMENT` (not a
/// `timadmin_apply_join_option` value; field `ApplyJoinOption`). On failure a new error is written
/// to `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `request` is NULL or a live request not used by another thread during the call;
/// `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_modify_group_base_info_request_set_apply_join_option(
    request: *mut timadmin_modify_group_base_info_request,
    apply_join_option: c_int,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        builder::set(request, "request", error_out, |r| {
            r.inner.apply_join_option = Some(match apply_join_option {
                1 => ApplyJoinOption::FreeAccess,
                2 => ApplyJoinOption::NeedPermission,
                3 => ApplyJoinOption::DisableApply,
                other => {
                    return Err(timadmin_error::invalid(
                        "ApplyJoinOption",
                        &format!("{other} is not a timadmin_apply_join_option value"),
                    ))
                }
            });
            Ok(())
        })
    }
}

/// Adds to `AppDefinedData` (core: `AppDefinedDataUpdate`): sets the group custom-data `key` to
/// `value`, or deletes `key` when `value` is NULL. Updates are sent in the order added.
///
/// Errors: `TIMADMIN_STATUS_NULL_PARAMETER` (`request`; `key`, field `AppDefinedData`),
/// `TIMADMIN_STATUS_INVALID_ARGUMENT` (not UTF-8; field `AppDefinedData`). On failure a new
/// error is written to `*error_out` when `error_out` is not NULL.
///
/// # Safety
///
/// `request` is NULL or a live request not used by another thread during the call; `key` and
/// `value` are NULL or NUL-terminated; `error_out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn timadmin_modify_group_base_info_request_add_app_defined_data(
    request: *mut timadmin_modify_group_base_info_request,
    key: *const c_char,
    value: *const c_char,
    error_out: *mut *mut timadmin_error,
) -> timadmin_status {
    let add = |r: &mut timadmin_modify_group_base_info_request| {
        // SAFETY: `key` and `value` are NULL or NUL-terminated (this function's contract).
        let (key, value) =
            unsafe { (builder::field_str(key, "app_defined_data.key")?, opt_str(value, "app_defined_data.value")?) };
        r.inner
            .app_defined_data
            .get_or_insert_with(Vec::new)
            .push(AppDefinedDataUpdate { key: key.to_owned(), value: value.map(str::to_owned) });
        Ok(())
    };
    // SAFETY: forwarded from this function's contract.
    unsafe { builder::set(request, "request", error_out, add) }
}
