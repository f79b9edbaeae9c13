//! Lowering: the core's results as C views (`timadmin_*` structs) whose strings and arrays
//! live in an [`Arena`] handed out together with the view ([`ViewWithArena`]).

use std::ptr;

use timadmin::{GetGroupMemberInfoResponse, GetGroupMutedAccountResponse, GroupMember, Role};

use crate::arena::{Arena, ViewWithArena};
use crate::error::timadmin_error;
use crate::model::{
    timadmin_get_group_member_info_response, timadmin_get_group_muted_account_response, timadmin_group_member,
    timadmin_key_value, timadmin_muted_account, timadmin_role,
};

/// The C view of one member; its strings and arrays are stored in `arena`.
pub(crate) fn member(arena: &mut Arena, m: &GroupMember) -> Result<timadmin_group_member, timadmin_error> {
    let (role, role_other) = match &m.role {
        None => (timadmin_role::Unset, ptr::null()),
        Some(Role::Owner) => (timadmin_role::Owner, ptr::null()),
        Some(Role::Admin) => (timadmin_role::Admin, ptr::null()),
        Some(Role::Member) => (timadmin_role::Member, ptr::null()),
        Some(Role::Other(other)) => (timadmin_role::Other, arena.string(other, "Role")?),
    };
    let (has_data, data, data_len) = match &m.app_member_defined_data {
        None => (false, ptr::null(), 0),
        Some(items) => {
            let list = items
                .iter()
                .map(|kv| {
                    Ok(timadmin_key_value {
                        key: arena.string(&kv.key, "AppMemberDefinedData.Key")?,
                        value: arena.string(&kv.value, "AppMemberDefinedData.Value")?,
                    })
                })
                .collect::<Result<Vec<_>, timadmin_error>>()?;
            let (p, len) = arena.array(list);
            (true, p, len)
        }
    };
    Ok(timadmin_group_member {
        member_account: arena.string(&m.member_account, "Member_Account")?,
        role,
        role_other,
        has_join_time: m.join_time.is_some(),
        join_time: m.join_time.unwrap_or(0),
        has_msg_seq: m.msg_seq.is_some(),
        msg_seq: m.msg_seq.unwrap_or(0),
        msg_flag: arena.opt_string(m.msg_flag.as_deref(), "MsgFlag")?,
        has_last_send_msg_time: m.last_send_msg_time.is_some(),
        last_send_msg_time: m.last_send_msg_time.unwrap_or(0),
        has_mute_until: m.mute_until.is_some(),
        mute_until: m.mute_until.unwrap_or(0),
        name_card: arena.opt_string(m.name_card.as_deref(), "NameCard")?,
        has_app_member_defined_data: has_data,
        app_member_defined_data: data,
        app_member_defined_data_len: data_len,
    })
}

/// The C views of `members`, stored in `arena`.
pub(crate) fn members(
    arena: &mut Arena,
    members: &[GroupMember],
) -> Result<Vec<timadmin_group_member>, timadmin_error> {
    members.iter().map(|m| member(arena, m)).collect()
}

/// The C view of a `get_group_member_info` answer, with the arena that owns what it points to.
pub(crate) fn get_group_member_info_response(
    r: &GetGroupMemberInfoResponse,
) -> Result<ViewWithArena<timadmin_get_group_member_info_response>, timadmin_error> {
    let mut arena = Arena::default();
    let list = members(&mut arena, &r.member_list)?;
    let (member_list, member_list_len) = arena.array(list);
    let next = arena.opt_string(r.next.as_deref(), "Next")?;
    let view = timadmin_get_group_member_info_response { member_num: r.member_num, member_list, member_list_len, next };
    Ok(ViewWithArena::new(view, arena))
}

/// The C view of a `get_group_muted_account` answer, with the arena that owns what it points
/// to.
pub(crate) fn get_group_muted_account_response(
    r: &GetGroupMutedAccountResponse,
) -> Result<ViewWithArena<timadmin_get_group_muted_account_response>, timadmin_error> {
    let mut arena = Arena::default();
    let accounts = r
        .muted_account_list
        .iter()
        .map(|a| {
            Ok(timadmin_muted_account {
                member_account: arena.string(&a.member_account, "Member_Account")?,
                muted_until: a.muted_until,
            })
        })
        .collect::<Result<Vec<_>, timadmin_error>>()?;
    let (muted_account_list, muted_account_list_len) = arena.array(accounts);
    let view = timadmin_get_group_muted_account_response {
        group_id: arena.string(&r.group_id, "GroupId")?,
        muted_account_list,
        muted_account_list_len,
    };
    Ok(ViewWithArena::new(view, arena))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::timadmin_status;

    #[test]
    fn a_nul_byte_from_the_service_is_a_decode_error() {
        let mut arena = Arena::default();
        let m =
            GroupMember { member_account: "ok".into(), name_card: Some("bad\0card".into()), ..GroupMember::default() };
        let err = member(&mut arena, &m).unwrap_err();
        assert_eq!(err.status, timadmin_status::Decode);
    }

    #[test]
    fn views_point_into_the_arena() {
        let mut arena = Arena::default();
        let m = GroupMember {
            member_account: "bob".into(),
            role: Some(Role::Other("Custom".into())),
            app_member_defined_data: Some(vec![]),
            ..GroupMember::default()
        };
        let view = member(&mut arena, &m).unwrap();
        // SAFETY: the pointers are owned by `arena`, which is alive.
        let account = unsafe { std::ffi::CStr::from_ptr(view.member_account) };
        assert_eq!(account.to_str().unwrap(), "bob");
        assert_eq!(view.role, timadmin_role::Other);
        // SAFETY: as above.
        let other = unsafe { std::ffi::CStr::from_ptr(view.role_other) };
        assert_eq!(other.to_str().unwrap(), "Custom");
        assert!(view.has_app_member_defined_data);
        assert!(view.app_member_defined_data.is_null());
        assert!(!view.has_join_time && view.name_card.is_null());
    }
}
