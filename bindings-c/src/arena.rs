//! Storage that keeps the strings and arrays a C view points to alive, and the conversions from
//! the core's results to those views. Heap buffers of `CString`s and `Vec`s never move when
//! their owners move, so the raw pointers stay valid as long as the arena lives.

use std::ffi::{c_char, CString};
use std::ptr;

use timadmin::{GetGroupMemberInfoResponse, GetGroupMutedAccountResponse, GroupMember, Role};

use crate::error::timadmin_error;
use crate::model::{
    timadmin_get_group_member_info_response, timadmin_get_group_member_info_result,
    timadmin_get_group_muted_account_response, timadmin_get_group_muted_account_result, timadmin_group_member,
    timadmin_key_value, timadmin_muted_account, timadmin_role,
};

/// Owner of the strings and custom-data arrays of one result.
#[derive(Debug, Default)]
pub(crate) struct Arena {
    strings: Vec<CString>,
    key_values: Vec<Vec<timadmin_key_value>>,
}

/// The pointer to the first element of `items`, or NULL when it is empty.
pub(crate) fn array_ptr<T>(items: &[T]) -> *const T {
    if items.is_empty() {
        ptr::null()
    } else {
        items.as_ptr()
    }
}

impl Arena {
    /// Stores `text` as a C string; a NUL byte inside is a decode error naming `field`.
    pub(crate) fn string(&mut self, text: &str, field: &str) -> Result<*const c_char, timadmin_error> {
        let c = CString::new(text).map_err(|_| timadmin_error::nul_in_output(field))?;
        let p = c.as_ptr();
        self.strings.push(c);
        Ok(p)
    }

    fn opt_string(&mut self, text: Option<&str>, field: &str) -> Result<*const c_char, timadmin_error> {
        text.map_or(Ok(ptr::null()), |t| self.string(t, field))
    }

    /// The C view of one member; its strings and arrays are stored in this arena.
    pub(crate) fn member(&mut self, m: &GroupMember) -> Result<timadmin_group_member, timadmin_error> {
        let (role_kind, role) = match &m.role {
            None => (timadmin_role::Unset, ptr::null()),
            Some(r) => {
                let kind = match r {
                    Role::Owner => timadmin_role::Owner,
                    Role::Admin => timadmin_role::Admin,
                    Role::Member => timadmin_role::Member,
                    Role::Other(_) => timadmin_role::Other,
                };
                (kind, self.string(r.as_str(), "Role")?)
            }
        };
        let (has_data, data, data_len) = match &m.app_member_defined_data {
            None => (false, ptr::null(), 0),
            Some(items) => {
                let list = items
                    .iter()
                    .map(|kv| {
                        Ok(timadmin_key_value {
                            key: self.string(&kv.key, "AppMemberDefinedData.Key")?,
                            value: self.string(&kv.value, "AppMemberDefinedData.Value")?,
                        })
                    })
                    .collect::<Result<Vec<_>, timadmin_error>>()?;
                let p = array_ptr(&list);
                let len = list.len();
                self.key_values.push(list);
                (true, p, len)
            }
        };
        Ok(timadmin_group_member {
            member_account: self.string(&m.member_account, "Member_Account")?,
            role,
            role_kind,
            has_join_time: m.join_time.is_some(),
            join_time: m.join_time.unwrap_or(0),
            has_msg_seq: m.msg_seq.is_some(),
            msg_seq: m.msg_seq.unwrap_or(0),
            msg_flag: self.opt_string(m.msg_flag.as_deref(), "MsgFlag")?,
            has_last_send_msg_time: m.last_send_msg_time.is_some(),
            last_send_msg_time: m.last_send_msg_time.unwrap_or(0),
            has_mute_until: m.mute_until.is_some(),
            mute_until: m.mute_until.unwrap_or(0),
            name_card: self.opt_string(m.name_card.as_deref(), "NameCard")?,
            has_app_member_defined_data: has_data,
            app_member_defined_data: data,
            app_member_defined_data_len: data_len,
        })
    }

    /// The C views of `members`, stored in this arena.
    pub(crate) fn members(&mut self, members: &[GroupMember]) -> Result<Vec<timadmin_group_member>, timadmin_error> {
        members.iter().map(|m| self.member(m)).collect()
    }
}

impl timadmin_get_group_member_info_result {
    pub(crate) fn from_core(r: &GetGroupMemberInfoResponse) -> Result<Self, timadmin_error> {
        let mut arena = Arena::default();
        let members = arena.members(&r.member_list)?;
        let next = match &r.next {
            None => ptr::null(),
            Some(n) => arena.string(n, "Next")?,
        };
        Ok(timadmin_get_group_member_info_result {
            view: timadmin_get_group_member_info_response {
                member_num: r.member_num,
                member_list: array_ptr(&members),
                member_list_len: members.len(),
                next,
            },
            _members: members,
            _arena: arena,
        })
    }
}

impl timadmin_get_group_muted_account_result {
    pub(crate) fn from_core(r: &GetGroupMutedAccountResponse) -> Result<Self, timadmin_error> {
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
        Ok(timadmin_get_group_muted_account_result {
            view: timadmin_get_group_muted_account_response {
                group_id: arena.string(&r.group_id, "GroupId")?,
                muted_account_list: array_ptr(&accounts),
                muted_account_list_len: accounts.len(),
            },
            _accounts: accounts,
            _arena: arena,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::timadmin_status;

    #[test]
    fn a_nul_byte_from_the_service_is_a_decode_error() {
        let mut arena = Arena::default();
        let member = GroupMember {
            member_account: "ok".into(),
            name_card: Some("bad\0card".into()),
            ..GroupMember::default()
        };
        let err = arena.member(&member).unwrap_err();
        assert_eq!(err.status, timadmin_status::Decode);
    }

    #[test]
    fn views_point_into_the_arena() {
        let mut arena = Arena::default();
        let member = GroupMember {
            member_account: "bob".into(),
            role: Some(Role::Other("Custom".into())),
            app_member_defined_data: Some(vec![]),
            ..GroupMember::default()
        };
        let view = arena.member(&member).unwrap();
        // SAFETY: the pointers are owned by `arena`, which is alive.
        let account = unsafe { std::ffi::CStr::from_ptr(view.member_account) };
        assert_eq!(account.to_str().unwrap(), "bob");
        assert_eq!(view.role_kind, timadmin_role::Other);
        assert!(view.has_app_member_defined_data);
        assert!(view.app_member_defined_data.is_null());
        assert!(!view.has_join_time && view.name_card.is_null());
    }
}
