//! Typed requests and responses of the three group endpoints, mirroring the REST pages.
//!
//! Field names are the REST names in snake case; on the wire they are exactly the REST names.
//! Unset optional request fields are omitted (never `null`). Responses ignore unknown fields
//! and tolerate missing optional ones, but not an answer without its envelope (`ActionStatus`
//! and `ErrorCode`) nor a success answer carrying none of the endpoint's result fields: those
//! are [`Error::Decode`], never an empty result (see [`Answer`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Error;

/// The prefix of community group IDs, which page with the `Next` cursor.
pub const COMMUNITY_GROUP_PREFIX: &str = "@TGS#_";

/// Whether a group ID names a community group (paged by cursor, at most 100 per call).
pub fn is_community_group(group_id: &str) -> bool {
    group_id.starts_with(COMMUNITY_GROUP_PREFIX)
}

/// A member's role. Parsed tolerantly (case, surrounding spaces: the pages show `"Member "`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Role {
    /// The group owner.
    Owner,
    /// A group admin.
    Admin,
    /// An ordinary member.
    Member,
    /// A role this version does not know, kept verbatim.
    Other(String),
}

impl Role {
    /// The REST spelling.
    pub fn as_str(&self) -> &str {
        match self {
            Role::Owner => "Owner",
            Role::Admin => "Admin",
            Role::Member => "Member",
            Role::Other(s) => s,
        }
    }

    /// Tolerant parse: never fails, unknown values become [`Role::Other`].
    pub fn parse_lenient(s: &str) -> Role {
        let t = s.trim();
        if t.eq_ignore_ascii_case("owner") {
            Role::Owner
        } else if t.eq_ignore_ascii_case("admin") {
            Role::Admin
        } else if t.eq_ignore_ascii_case("member") {
            Role::Member
        } else {
            Role::Other(t.to_owned())
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(Role::parse_lenient(&s))
    }
}

/// One custom-data entry (`{"Key": ..., "Value": ...}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct KeyValue {
    /// The custom field key.
    #[serde(rename = "Key")]
    pub key: String,
    /// Its value.
    #[serde(rename = "Value", default)]
    pub value: String,
}

/// `get_group_member_info` request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GetGroupMemberInfoRequest {
    /// The group (required).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// Member fields to return (`Role`, `JoinTime`, ...); all when unset.
    #[serde(rename = "MemberInfoFilter", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub member_info_filter: Option<Vec<String>>,
    /// Roles to return (`Owner`, `Admin`, `Member`); all when unset.
    #[serde(rename = "MemberRoleFilter", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub member_role_filter: Option<Vec<String>>,
    /// Custom member-data keys to return.
    #[serde(rename = "AppDefinedDataFilter_GroupMember", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub app_defined_data_filter_group_member: Option<Vec<String>>,
    /// Members per call (at most 6000; 100 for community groups).
    #[serde(rename = "Limit", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub limit: Option<u32>,
    /// Index of the first member (not for community groups).
    #[serde(rename = "Offset", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub offset: Option<u64>,
    /// Community groups' cursor: `""` first, then the last `Next` returned.
    #[serde(rename = "Next", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub next: Option<String>,
}

impl GetGroupMemberInfoRequest {
    /// A request for `group_id` with every optional field unset.
    pub fn new(group_id: impl Into<String>) -> Self {
        GetGroupMemberInfoRequest { group_id: group_id.into(), ..Default::default() }
    }
}

/// One group member as returned by `get_group_member_info`. Fields not asked for are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GroupMember {
    /// The member's account. Always in an answer (even with a `MemberInfoFilter`), so required:
    /// a member without one is a decode error, not an empty account (and an answer of `{}`
    /// items cannot inflate into a huge list of empty members).
    #[serde(rename = "Member_Account")]
    pub member_account: String,
    /// Owner, Admin or Member.
    #[serde(rename = "Role", default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// When the member joined (Unix seconds).
    #[serde(rename = "JoinTime", default, skip_serializing_if = "Option::is_none")]
    pub join_time: Option<u64>,
    /// Sequence number of the member's last read message.
    #[serde(rename = "MsgSeq", default, skip_serializing_if = "Option::is_none")]
    pub msg_seq: Option<u64>,
    /// Message receiving option (`AcceptAndNotify`, ...).
    #[serde(rename = "MsgFlag", default, skip_serializing_if = "Option::is_none")]
    pub msg_flag: Option<String>,
    /// When the member last sent a message (Unix seconds).
    #[serde(rename = "LastSendMsgTime", default, skip_serializing_if = "Option::is_none")]
    pub last_send_msg_time: Option<u64>,
    /// Muted until this Unix second; 0 = not muted; 4294967295 = for good.
    #[serde(rename = "MuteUntil", default, skip_serializing_if = "Option::is_none")]
    pub mute_until: Option<u64>,
    /// The member's name card.
    #[serde(rename = "NameCard", default, skip_serializing_if = "Option::is_none")]
    pub name_card: Option<String>,
    /// Custom member data.
    #[serde(rename = "AppMemberDefinedData", default, skip_serializing_if = "Option::is_none")]
    pub app_member_defined_data: Option<Vec<KeyValue>>,
}

/// `get_group_member_info` response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GetGroupMemberInfoResponse {
    /// Total members in the group.
    #[serde(rename = "MemberNum", default)]
    pub member_num: u64,
    /// This call's members.
    #[serde(rename = "MemberList", default)]
    pub member_list: Vec<GroupMember>,
    /// Community groups' cursor for the next call; `""` when done; absent for other groups.
    #[serde(rename = "Next", default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// `get_group_muted_account` request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GetGroupMutedAccountRequest {
    /// The group (required).
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// A topic of a topic-enabled community.
    #[serde(rename = "TopicId", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub topic_id: Option<String>,
}

impl GetGroupMutedAccountRequest {
    /// A request for the whole group.
    pub fn new(group_id: impl Into<String>) -> Self {
        GetGroupMutedAccountRequest { group_id: group_id.into(), topic_id: None }
    }
}

/// A muted member.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MutedAccount {
    /// The member's account (required, as in [`GroupMember`]).
    #[serde(rename = "Member_Account")]
    pub member_account: String,
    /// Muted until this Unix second (4294967295 = for good).
    #[serde(rename = "MutedUntil", default)]
    pub muted_until: u64,
}

/// `get_group_muted_account` response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GetGroupMutedAccountResponse {
    /// The group asked about.
    #[serde(rename = "GroupId", default)]
    pub group_id: String,
    /// Its muted members.
    #[serde(rename = "MutedAccountList", default)]
    pub muted_account_list: Vec<MutedAccount>,
}

/// How people may join a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ApplyJoinOption {
    /// Anyone may join.
    FreeAccess,
    /// Joining needs approval.
    NeedPermission,
    /// Nobody may apply.
    DisableApply,
}

impl ApplyJoinOption {
    /// The REST spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ApplyJoinOption::FreeAccess => "FreeAccess",
            ApplyJoinOption::NeedPermission => "NeedPermission",
            ApplyJoinOption::DisableApply => "DisableApply",
        }
    }
}

impl fmt::Display for ApplyJoinOption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ApplyJoinOption {
    type Err = Error;

    /// Exactly `FreeAccess`, `NeedPermission` or `DisableApply`.
    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "FreeAccess" => Ok(ApplyJoinOption::FreeAccess),
            "NeedPermission" => Ok(ApplyJoinOption::NeedPermission),
            "DisableApply" => Ok(ApplyJoinOption::DisableApply),
            other => Err(Error::invalid(
                "ApplyJoinOption",
                format!("{other:?} is not one of FreeAccess, NeedPermission, DisableApply"),
            )),
        }
    }
}

/// A change to one group custom-data key: set it, or delete it (sent as an empty Value).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AppDefinedDataUpdate {
    /// The custom field key.
    pub key: String,
    /// The new value; `None` deletes the key.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub value: Option<String>,
}

impl AppDefinedDataUpdate {
    /// Sets `key` to `value`.
    pub fn set(key: impl Into<String>, value: impl Into<String>) -> Self {
        AppDefinedDataUpdate { key: key.into(), value: Some(value.into()) }
    }

    /// Deletes `key`.
    pub fn delete(key: impl Into<String>) -> Self {
        AppDefinedDataUpdate { key: key.into(), value: None }
    }
}

/// `modify_group_base_info` request. Only the fields that are set are changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ModifyGroupBaseInfoRequest {
    /// The group (required).
    pub group_id: String,
    /// Group name, at most 30 UTF-8 bytes.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub name: Option<String>,
    /// Introduction, at most 240 UTF-8 bytes.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub introduction: Option<String>,
    /// Announcement, at most 300 UTF-8 bytes.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub notification: Option<String>,
    /// Profile photo URL, at most 100 UTF-8 bytes.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub face_url: Option<String>,
    /// Maximum number of members.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub max_member_num: Option<u32>,
    /// How people may join.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub apply_join_option: Option<ApplyJoinOption>,
    /// Mute everyone but owner and admins (sent as `"On"`/`"Off"`).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub shut_up_all_member: Option<bool>,
    /// Custom group data to set or delete.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub app_defined_data: Option<Vec<AppDefinedDataUpdate>>,
}

impl ModifyGroupBaseInfoRequest {
    /// A request for `group_id` that changes nothing yet.
    pub fn new(group_id: impl Into<String>) -> Self {
        ModifyGroupBaseInfoRequest { group_id: group_id.into(), ..Default::default() }
    }
}

/// The wire form of [`ModifyGroupBaseInfoRequest`].
#[derive(Serialize)]
struct ModifyWire<'a> {
    #[serde(rename = "GroupId")]
    group_id: &'a str,
    #[serde(rename = "Name", skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(rename = "Introduction", skip_serializing_if = "Option::is_none")]
    introduction: Option<&'a str>,
    #[serde(rename = "Notification", skip_serializing_if = "Option::is_none")]
    notification: Option<&'a str>,
    #[serde(rename = "FaceUrl", skip_serializing_if = "Option::is_none")]
    face_url: Option<&'a str>,
    #[serde(rename = "MaxMemberNum", skip_serializing_if = "Option::is_none")]
    max_member_num: Option<u32>,
    #[serde(rename = "ApplyJoinOption", skip_serializing_if = "Option::is_none")]
    apply_join_option: Option<&'static str>,
    #[serde(rename = "ShutUpAllMember", skip_serializing_if = "Option::is_none")]
    shut_up_all_member: Option<&'static str>,
    #[serde(rename = "AppDefinedData", skip_serializing_if = "Option::is_none")]
    app_defined_data: Option<Vec<KeyValueRef<'a>>>,
}

#[derive(Serialize)]
struct KeyValueRef<'a> {
    #[serde(rename = "Key")]
    key: &'a str,
    #[serde(rename = "Value")]
    value: &'a str,
}

impl Serialize for ModifyGroupBaseInfoRequest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ModifyWire {
            group_id: &self.group_id,
            name: self.name.as_deref(),
            introduction: self.introduction.as_deref(),
            notification: self.notification.as_deref(),
            face_url: self.face_url.as_deref(),
            max_member_num: self.max_member_num,
            apply_join_option: self.apply_join_option.map(ApplyJoinOption::as_str),
            shut_up_all_member: self.shut_up_all_member.map(|on| if on { "On" } else { "Off" }),
            app_defined_data: self.app_defined_data.as_ref().map(|items| {
                items.iter().map(|u| KeyValueRef { key: &u.key, value: u.value.as_deref().unwrap_or("") }).collect()
            }),
        }
        .serialize(s)
    }
}

/// The fields every response carries: `ActionStatus` and `ErrorCode` are required, so a body
/// without them (`{}`, an HTML page that happens to be JSON) is never taken for a success.
#[derive(Debug, Deserialize)]
pub(crate) struct Envelope {
    #[serde(rename = "ActionStatus")]
    pub action_status: String,
    #[serde(rename = "ErrorCode")]
    pub error_code: i64,
    #[serde(rename = "ErrorInfo", default)]
    pub error_info: Option<String>,
}

/// A response type decoded from a success answer (one whose envelope said `OK`, code 0).
///
/// A success answer must carry at least one of the endpoint's documented result fields
/// ([`Answer::RESULT_FIELDS`]); each of them alone may be absent (an empty list can be left
/// out), unknown fields are ignored.
pub trait Answer: Sized {
    /// The endpoint's documented result fields; empty when the envelope is the whole answer.
    const RESULT_FIELDS: &'static [&'static str];

    /// Decodes the body of a success answer. `Err` says what is wrong or missing.
    fn from_body(body: &[u8]) -> Result<Self, String>;
}

/// The error text of a success answer that carries none of `fields`.
fn none_of(fields: &[&str]) -> String {
    format!("a success answer must carry {}; it carries none of them", fields.join(" or "))
}

/// The wire form of [`GetGroupMemberInfoResponse`]: every result field optional, so that their
/// presence can be checked.
#[derive(Deserialize)]
struct MemberInfoWire {
    #[serde(rename = "MemberNum")]
    member_num: Option<u64>,
    #[serde(rename = "MemberList")]
    member_list: Option<Vec<GroupMember>>,
    #[serde(rename = "Next")]
    next: Option<String>,
}

impl Answer for GetGroupMemberInfoResponse {
    const RESULT_FIELDS: &'static [&'static str] = &["MemberNum", "MemberList", "Next"];

    fn from_body(body: &[u8]) -> Result<Self, String> {
        let wire: MemberInfoWire = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        if wire.member_num.is_none() && wire.member_list.is_none() && wire.next.is_none() {
            return Err(none_of(Self::RESULT_FIELDS));
        }
        Ok(GetGroupMemberInfoResponse {
            member_num: wire.member_num.unwrap_or(0),
            member_list: wire.member_list.unwrap_or_default(),
            next: wire.next,
        })
    }
}

/// The wire form of [`GetGroupMutedAccountResponse`].
#[derive(Deserialize)]
struct MutedWire {
    #[serde(rename = "GroupId")]
    group_id: Option<String>,
    #[serde(rename = "MutedAccountList")]
    muted_account_list: Option<Vec<MutedAccount>>,
}

impl Answer for GetGroupMutedAccountResponse {
    const RESULT_FIELDS: &'static [&'static str] = &["GroupId", "MutedAccountList"];

    fn from_body(body: &[u8]) -> Result<Self, String> {
        let wire: MutedWire = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        if wire.group_id.is_none() && wire.muted_account_list.is_none() {
            return Err(none_of(Self::RESULT_FIELDS));
        }
        Ok(GetGroupMutedAccountResponse {
            group_id: wire.group_id.unwrap_or_default(),
            muted_account_list: wire.muted_account_list.unwrap_or_default(),
        })
    }
}

/// `modify_group_base_info` answers with only the envelope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Empty {}

impl Answer for Empty {
    const RESULT_FIELDS: &'static [&'static str] = &[];

    fn from_body(_body: &[u8]) -> Result<Self, String> {
        Ok(Empty {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unset_fields_are_omitted() {
        let r = GetGroupMemberInfoRequest::new("g");
        assert_eq!(serde_json::to_value(&r).unwrap(), json!({"GroupId": "g"}));
        let r = ModifyGroupBaseInfoRequest::new("g");
        assert_eq!(serde_json::to_value(&r).unwrap(), json!({"GroupId": "g"}));
    }

    #[test]
    fn modify_wire_form() {
        let r = ModifyGroupBaseInfoRequest {
            group_id: "g".into(),
            shut_up_all_member: Some(true),
            apply_join_option: Some(ApplyJoinOption::NeedPermission),
            app_defined_data: Some(vec![AppDefinedDataUpdate::set("a", "1"), AppDefinedDataUpdate::delete("b")]),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({"GroupId": "g", "ApplyJoinOption": "NeedPermission", "ShutUpAllMember": "On",
                   "AppDefinedData": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": ""}]})
        );
    }

    #[test]
    fn responses_are_tolerant() {
        let r: GetGroupMemberInfoResponse = serde_json::from_value(json!({
            "ActionStatus": "OK", "ErrorCode": 0, "MemberNum": 2, "Surprise": true,
            "MemberList": [
                {"Member_Account": "peter", "Role": "Member ", "MuteUntil": 4294967295u64, "ShutUpUntil": 0, "OnlineStatus": "x"},
                {"Member_Account": "bob"}
            ]
        }))
        .unwrap();
        assert_eq!(r.member_list[0].role, Some(Role::Member));
        assert_eq!(r.member_list[0].mute_until, Some(4294967295));
        assert_eq!(r.member_list[1].role, None);
        assert_eq!(r.next, None);
        assert_eq!(Role::parse_lenient(" OWNER"), Role::Owner);
        assert_eq!(Role::parse_lenient("Custom"), Role::Other("Custom".into()));
    }
}
