//! Checks applied to every request before it is sent, so bad input fails fast with a typed
//! [`Error::InvalidArgument`] instead of a round trip and a service error code.

use std::collections::HashSet;

use crate::error::{Error, Result};
use crate::model::{
    is_community_group, GetGroupMemberInfoRequest, GetGroupMutedAccountRequest, ModifyGroupBaseInfoRequest,
};

/// Largest `Limit` the field table allows for ordinary groups.
pub const MAX_LIMIT: u32 = 6000;
/// Largest `Limit` for community groups.
pub const MAX_COMMUNITY_LIMIT: u32 = 100;
/// Byte limit of `Name`.
pub const MAX_NAME_BYTES: usize = 30;
/// Byte limit of `Introduction`.
pub const MAX_INTRODUCTION_BYTES: usize = 240;
/// Byte limit of `Notification`.
pub const MAX_NOTIFICATION_BYTES: usize = 300;
/// Byte limit of `FaceUrl`.
pub const MAX_FACE_URL_BYTES: usize = 100;

/// Byte limit of a group ID: the service's documented maximum for custom group IDs (48 bytes
/// of UTF-8), which the IDs it assigns (`@TGS#...`) stay well under.
pub const MAX_GROUP_ID_BYTES: usize = 48;
/// Byte limit of a topic ID: the group ID, `@TOPIC#_`, and a custom part of up to 48 bytes.
pub const MAX_TOPIC_ID_BYTES: usize = MAX_GROUP_ID_BYTES + "@TOPIC#_".len() + 48;
pub use crate::usersig::MAX_IDENTIFIER_BYTES;
/// Byte limit of a `Next` cursor sent back to the service (the service's are ~18 digits).
pub const MAX_CURSOR_BYTES: usize = 256;

/// The largest SDKAppID (they are 32-bit unsigned integers).
pub const MAX_SDKAPPID: u64 = u32::MAX as u64;

const ROLES: [&str; 3] = ["Owner", "Admin", "Member"];

/// Checks an SDKAppID: 1..=[`MAX_SDKAPPID`].
pub fn sdkappid(value: u64) -> Result<()> {
    if value == 0 || value > MAX_SDKAPPID {
        return Err(Error::invalid("sdkappid", format!("{value} is not an SDKAppID (1..={MAX_SDKAPPID})")));
    }
    Ok(())
}

/// Rejects control characters (NUL, newline, DEL, C1 controls...): no ID, identifier or key
/// the service issues contains them, and in a URL or a log line they only do harm.
fn no_control(field: &str, value: &str) -> Result<()> {
    match value.char_indices().find(|(_, c)| c.is_control()) {
        Some((at, c)) => {
            Err(Error::invalid(field, format!("contains the control character U+{:04X} at byte {at}", c as u32)))
        }
        None => Ok(()),
    }
}

fn at_most(field: &str, value: &str, max: usize) -> Result<()> {
    if value.len() > max {
        return Err(Error::invalid(field, format!("is {} bytes of UTF-8; the maximum is {max} bytes", value.len())));
    }
    Ok(())
}

/// An ID sent to the service: not blank, at most `max` bytes, no control characters.
fn id(field: &str, value: &str, max: usize) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(field, "must not be empty"));
    }
    at_most(field, value, max)?;
    no_control(field, value)
}

fn group_id(value: &str) -> Result<()> {
    id("GroupId", value, MAX_GROUP_ID_BYTES)
}

/// Checks an account identifier (the admin identifier of a client, the identifier of a
/// UserSig): not blank, at most [`MAX_IDENTIFIER_BYTES`], no control characters. `field` names
/// the setting in the error.
pub fn identifier(field: &str, value: &str) -> Result<()> {
    id(field, value, MAX_IDENTIFIER_BYTES)
}

fn non_empty_items(field: &str, items: &Option<Vec<String>>) -> Result<()> {
    if let Some(items) = items {
        if items.iter().any(|s| s.trim().is_empty()) {
            return Err(Error::invalid(field, "items must not be empty strings"));
        }
        for item in items {
            no_control(field, item)?;
        }
    }
    Ok(())
}

/// Validates a `get_group_member_info` request: its fields and how it pages. Community groups
/// (`@TGS#_...`) page with `Next` and refuse `Offset`; every other group pages with `Offset`
/// and refuses `Next`. (A community request with neither is sent with `Next: ""`, see
/// [`member_info_to_send`].)
pub fn member_info(req: &GetGroupMemberInfoRequest) -> Result<()> {
    member_info_fields(req)?;
    let community = is_community_group(&req.group_id);
    if community && req.offset.is_some() {
        return Err(Error::invalid("Offset", "community groups (@TGS#_...) page with Next, not Offset"));
    }
    if !community && req.next.is_some() {
        return Err(Error::invalid(
            "Next",
            "only community groups (@TGS#_...) page with Next; use Offset for this group",
        ));
    }
    Ok(())
}

/// The request as it goes on the wire: a community group's first page needs `Next: ""`, which
/// the service requires (10004 without it), so it is filled in when the caller gave neither
/// `Next` nor `Offset`.
pub fn member_info_to_send(req: &GetGroupMemberInfoRequest) -> std::borrow::Cow<'_, GetGroupMemberInfoRequest> {
    if is_community_group(&req.group_id) && req.next.is_none() && req.offset.is_none() {
        let mut first_page = req.clone();
        first_page.next = Some(String::new());
        std::borrow::Cow::Owned(first_page)
    } else {
        std::borrow::Cow::Borrowed(req)
    }
}

/// The field checks of [`member_info`] without its paging-mode rule: the pager follows the
/// server when a group's answers carry a `Next` cursor, whatever its ID looks like.
pub(crate) fn member_info_fields(req: &GetGroupMemberInfoRequest) -> Result<()> {
    group_id(&req.group_id)?;
    non_empty_items("MemberInfoFilter", &req.member_info_filter)?;
    non_empty_items("AppDefinedDataFilter_GroupMember", &req.app_defined_data_filter_group_member)?;
    if let Some(roles) = &req.member_role_filter {
        if let Some(bad) = roles.iter().find(|r| !ROLES.contains(&r.as_str())) {
            return Err(Error::invalid("MemberRoleFilter", format!("{bad:?} is not one of Owner, Admin, Member")));
        }
    }
    let community = is_community_group(&req.group_id);
    if let Some(limit) = req.limit {
        let max = if community { MAX_COMMUNITY_LIMIT } else { MAX_LIMIT };
        if limit == 0 {
            return Err(Error::invalid("Limit", "must be at least 1"));
        }
        if limit > max {
            let what = if community { "community groups" } else { "ordinary groups" };
            return Err(Error::invalid("Limit", format!("{limit} is over the maximum of {max} for {what}")));
        }
    }
    if let Some(next) = &req.next {
        at_most("Next", next, MAX_CURSOR_BYTES)?;
        no_control("Next", next)?;
    }
    if req.offset.is_some() && req.next.is_some() {
        return Err(Error::invalid("Offset", "cannot be combined with Next"));
    }
    Ok(())
}

/// Validates a `get_group_muted_account` request.
pub fn muted_account(req: &GetGroupMutedAccountRequest) -> Result<()> {
    group_id(&req.group_id)?;
    if let Some(topic) = &req.topic_id {
        if topic.trim().is_empty() {
            return Err(Error::invalid("TopicId", "must not be empty when given"));
        }
        id("TopicId", topic, MAX_TOPIC_ID_BYTES)?;
    }
    Ok(())
}

fn max_bytes(field: &str, value: &Option<String>, max: usize) -> Result<()> {
    if let Some(v) = value {
        if v.len() > max {
            return Err(Error::invalid(field, format!("is {} bytes of UTF-8; the maximum is {max} bytes", v.len())));
        }
    }
    Ok(())
}

/// Validates a `modify_group_base_info` request.
pub fn modify_base_info(req: &ModifyGroupBaseInfoRequest) -> Result<()> {
    group_id(&req.group_id)?;
    max_bytes("Name", &req.name, MAX_NAME_BYTES)?;
    max_bytes("Introduction", &req.introduction, MAX_INTRODUCTION_BYTES)?;
    max_bytes("Notification", &req.notification, MAX_NOTIFICATION_BYTES)?;
    max_bytes("FaceUrl", &req.face_url, MAX_FACE_URL_BYTES)?;
    if req.max_member_num == Some(0) {
        return Err(Error::invalid("MaxMemberNum", "must be at least 1"));
    }
    if let Some(items) = &req.app_defined_data {
        let mut seen = HashSet::with_capacity(items.len());
        for item in items {
            if item.key.is_empty() {
                return Err(Error::invalid("AppDefinedData", "a Key must not be empty"));
            }
            no_control("AppDefinedData", &item.key)?;
            if !seen.insert(item.key.as_str()) {
                return Err(Error::invalid("AppDefinedData", format!("Key {:?} appears more than once", item.key)));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AppDefinedDataUpdate;

    fn field(e: Error) -> String {
        match e {
            Error::InvalidArgument { field, .. } => field,
            other => panic!("expected InvalidArgument, got {other:?}"),
        }
    }

    #[test]
    fn paging_mode_follows_the_group_type() {
        let community = GetGroupMemberInfoRequest::new("@TGS#_c");
        assert_eq!(member_info_to_send(&community).next.as_deref(), Some(""), "first page of a community");
        let mut offset = community.clone();
        offset.offset = Some(0);
        assert_eq!(field(member_info(&offset).unwrap_err()), "Offset");
        let mut cursor = community.clone();
        cursor.next = Some("144115188075855972".into());
        assert!(member_info(&cursor).is_ok());
        assert_eq!(member_info_to_send(&cursor).next.as_deref(), Some("144115188075855972"));
        let mut ordinary = GetGroupMemberInfoRequest::new("@TGS#2ABC");
        assert!(member_info_to_send(&ordinary).next.is_none(), "ordinary groups get no Next");
        ordinary.next = Some(String::new());
        assert_eq!(field(member_info(&ordinary).unwrap_err()), "Next");
        assert!(member_info_fields(&ordinary).is_ok(), "the pager may follow a server's cursor");
    }

    #[test]
    fn member_info_rules() {
        let ok = GetGroupMemberInfoRequest::new("@TGS#1");
        assert!(member_info(&ok).is_ok());
        assert_eq!(field(member_info(&GetGroupMemberInfoRequest::new(" ")).unwrap_err()), "GroupId");
        let mut r = ok.clone();
        r.limit = Some(0);
        assert_eq!(field(member_info(&r).unwrap_err()), "Limit");
        r.limit = Some(6000);
        assert!(member_info(&r).is_ok());
        r.limit = Some(6001);
        assert_eq!(field(member_info(&r).unwrap_err()), "Limit");
        let mut c = GetGroupMemberInfoRequest::new("@TGS#_c");
        c.limit = Some(101);
        assert_eq!(field(member_info(&c).unwrap_err()), "Limit");
        c.limit = Some(100);
        c.offset = Some(0);
        assert_eq!(field(member_info(&c).unwrap_err()), "Offset");
        let mut both = ok.clone();
        both.offset = Some(1);
        both.next = Some(String::new());
        assert_eq!(field(member_info(&both).unwrap_err()), "Offset");
        let mut roles = ok;
        roles.member_role_filter = Some(vec!["Owner".into(), "King".into()]);
        assert_eq!(field(member_info(&roles).unwrap_err()), "MemberRoleFilter");
    }

    #[test]
    fn modify_rules_count_bytes_not_chars() {
        let mut r = ModifyGroupBaseInfoRequest::new("g");
        r.name = Some("群".repeat(10)); // 30 bytes
        assert!(modify_base_info(&r).is_ok());
        r.name = Some("群".repeat(11)); // 33 bytes, 11 chars
        assert_eq!(field(modify_base_info(&r).unwrap_err()), "Name");
        let mut r = ModifyGroupBaseInfoRequest::new("g");
        r.introduction = Some("a".repeat(241));
        assert_eq!(field(modify_base_info(&r).unwrap_err()), "Introduction");
        r.introduction = None;
        r.notification = Some("a".repeat(301));
        assert_eq!(field(modify_base_info(&r).unwrap_err()), "Notification");
        r.notification = None;
        r.face_url = Some("a".repeat(101));
        assert_eq!(field(modify_base_info(&r).unwrap_err()), "FaceUrl");
        r.face_url = None;
        r.app_defined_data = Some(vec![AppDefinedDataUpdate::set("k", "1"), AppDefinedDataUpdate::delete("k")]);
        assert_eq!(field(modify_base_info(&r).unwrap_err()), "AppDefinedData");
        r.app_defined_data = None;
        r.max_member_num = Some(0);
        assert_eq!(field(modify_base_info(&r).unwrap_err()), "MaxMemberNum");
    }

    #[test]
    fn ids_are_bounded_and_free_of_control_characters() {
        let with_id = |id: &str| GetGroupMemberInfoRequest::new(id);
        for bad in ["@TGS#1\0", "@TGS#\n1", "\u{85}g", "g\u{7f}", "\t"] {
            assert_eq!(field(member_info(&with_id(bad)).unwrap_err()), "GroupId", "{bad:?}");
            assert_eq!(field(muted_account(&GetGroupMutedAccountRequest::new(bad)).unwrap_err()), "GroupId");
            assert_eq!(field(modify_base_info(&ModifyGroupBaseInfoRequest::new(bad)).unwrap_err()), "GroupId");
        }
        let longest = format!("@TGS#_{}", "x".repeat(MAX_GROUP_ID_BYTES - 6));
        assert!(member_info(&with_id(&longest)).is_ok());
        let e = member_info(&with_id(&format!("{longest}x"))).unwrap_err();
        assert!(e.to_string().contains("maximum is 48 bytes"), "{e}");
        let megabyte = "g".repeat(1 << 20);
        assert_eq!(field(member_info(&with_id(&megabyte)).unwrap_err()), "GroupId");
        // Topic IDs, cursors, filter items and custom-data keys.
        let topic = |t: &str| GetGroupMutedAccountRequest { group_id: "@TGS#_g".into(), topic_id: Some(t.into()) };
        assert!(muted_account(&topic("@TGS#_g@TOPIC#_news")).is_ok());
        assert_eq!(field(muted_account(&topic("@TGS#_g@TOPIC#_\0")).unwrap_err()), "TopicId");
        assert_eq!(field(muted_account(&topic(&"t".repeat(MAX_TOPIC_ID_BYTES + 1))).unwrap_err()), "TopicId");
        let mut r = with_id("@TGS#_c");
        r.next = Some("1\n2".into());
        assert_eq!(field(member_info(&r).unwrap_err()), "Next");
        r.next = Some("9".repeat(MAX_CURSOR_BYTES + 1));
        assert_eq!(field(member_info(&r).unwrap_err()), "Next");
        let mut r = with_id("g");
        r.member_info_filter = Some(vec!["Role\r".into()]);
        assert_eq!(field(member_info(&r).unwrap_err()), "MemberInfoFilter");
        let mut m = ModifyGroupBaseInfoRequest::new("g");
        m.app_defined_data = Some(vec![AppDefinedDataUpdate::set("k\0", "v")]);
        assert_eq!(field(modify_base_info(&m).unwrap_err()), "AppDefinedData");
        // Identifiers.
        assert!(identifier("identifier", "administrator").is_ok());
        for bad in ["", " ", "admin\n", "a\0", &"a".repeat(MAX_IDENTIFIER_BYTES + 1)] {
            assert_eq!(field(identifier("identifier", bad).unwrap_err()), "identifier", "{bad:?}");
        }
    }

    #[test]
    fn muted_rules() {
        assert!(muted_account(&GetGroupMutedAccountRequest::new("g")).is_ok());
        assert!(muted_account(&GetGroupMutedAccountRequest::new("")).is_err());
        let r = GetGroupMutedAccountRequest { group_id: "g".into(), topic_id: Some(String::new()) };
        assert_eq!(field(muted_account(&r).unwrap_err()), "TopicId");
    }
}
