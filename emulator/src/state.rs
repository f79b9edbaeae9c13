//! The emulated data: groups, their profiles, members and topics, plus generators for large groups.
//!
//! The types serialize with the REST field names (`GroupId`, `Member_Account`, `MuteUntil`, ...),
//! so a fixture reads like the service's own replies.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::EmulatorError;

/// `MuteUntil` value meaning "muted for good".
pub const MUTED_FOREVER: u64 = 4_294_967_295;
/// Longest group ID accepted, in bytes (the service's limit).
pub const MAX_GROUP_ID_BYTES: usize = 48;
/// Prefix every community group ID carries.
pub const COMMUNITY_PREFIX: &str = "@TGS#_";

/// The documented group types. `Work`/`Meeting` are the new names of `Private`/`ChatRoom` and
/// behave the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GroupType {
    /// Private group (old name of Work).
    Private,
    /// Work group.
    Work,
    /// Public group.
    Public,
    /// Chat room (old name of Meeting).
    ChatRoom,
    /// Meeting group.
    Meeting,
    /// Audio-video chat room: `get_group_member_info` is not supported for it.
    AVChatRoom,
    /// Community group (IDs start with `@TGS#_`): members are paged with `Next`, may have topics.
    Community,
}

impl GroupType {
    /// All variants, in documentation order.
    pub const ALL: [GroupType; 7] = [
        GroupType::Private,
        GroupType::Work,
        GroupType::Public,
        GroupType::ChatRoom,
        GroupType::Meeting,
        GroupType::AVChatRoom,
        GroupType::Community,
    ];

    /// The REST spelling (`"Public"`, `"AVChatRoom"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            GroupType::Private => "Private",
            GroupType::Work => "Work",
            GroupType::Public => "Public",
            GroupType::ChatRoom => "ChatRoom",
            GroupType::Meeting => "Meeting",
            GroupType::AVChatRoom => "AVChatRoom",
            GroupType::Community => "Community",
        }
    }

    /// Whether this is a community group (cursor paging, topics).
    pub fn is_community(self) -> bool {
        self == GroupType::Community
    }

    /// The `MaxMemberNum` a group of this type gets when the fixture does not say.
    pub fn default_max_member_num(self) -> u64 {
        match self {
            GroupType::Private | GroupType::Work => 200,
            GroupType::Public => 2_000,
            GroupType::ChatRoom | GroupType::Meeting => 10_000,
            GroupType::AVChatRoom => 0,
            GroupType::Community => 100_000,
        }
    }
}

impl fmt::Display for GroupType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for GroupType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        GroupType::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| format!("unknown group type {s:?} (expected one of Private, Work, Public, ChatRoom, Meeting, AVChatRoom, Community)"))
    }
}

/// One custom-data entry (`{"Key": ..., "Value": ...}`), for groups and members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyValue {
    /// The custom field's key.
    #[serde(rename = "Key")]
    pub key: String,
    /// Its value.
    #[serde(rename = "Value")]
    pub value: String,
}

impl KeyValue {
    /// A key/value pair.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        KeyValue { key: key.into(), value: value.into() }
    }
}

fn default_role() -> String {
    "Member".to_owned()
}

fn default_msg_flag() -> String {
    "AcceptAndNotify".to_owned()
}

/// A group member's profile, as `get_group_member_info` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Member {
    /// The member's account (user ID).
    #[serde(rename = "Member_Account")]
    pub account: String,
    /// `Owner`, `Admin` or `Member`, kept exactly as given (a trailing space, as in the
    /// vendor's samples, is preserved). Default `Member`.
    #[serde(default = "default_role")]
    pub role: String,
    /// Unix second the member joined. Default 0.
    #[serde(default)]
    pub join_time: u64,
    /// Sequence number of the member's last read message. Default 0.
    #[serde(default)]
    pub msg_seq: u64,
    /// `AcceptAndNotify`, `AcceptNotNotify` or `Discard`. Default `AcceptAndNotify`.
    #[serde(default = "default_msg_flag")]
    pub msg_flag: String,
    /// Unix second of the member's last message. Default 0.
    #[serde(default)]
    pub last_send_msg_time: u64,
    /// Unix second the mute ends; 0 = not muted, 4294967295 = muted for good.
    #[serde(default)]
    pub mute_until: u64,
    /// The member's group nickname. Default empty.
    #[serde(default)]
    pub name_card: String,
    /// Custom member fields.
    #[serde(default)]
    pub app_member_defined_data: Vec<KeyValue>,
}

impl Member {
    /// A plain member with default fields.
    pub fn new(account: impl Into<String>, role: impl Into<String>) -> Self {
        Member {
            account: account.into(),
            role: role.into(),
            join_time: 0,
            msg_seq: 0,
            msg_flag: default_msg_flag(),
            last_send_msg_time: 0,
            mute_until: 0,
            name_card: String::new(),
            app_member_defined_data: Vec::new(),
        }
    }

    /// The role without surrounding whitespace (`"Member "` → `"Member"`).
    pub fn role_trimmed(&self) -> &str {
        self.role.trim()
    }
}

/// One muted account (`get_group_muted_account` reply item; also a topic's mute entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MutedAccount {
    /// The muted member.
    #[serde(rename = "Member_Account")]
    pub account: String,
    /// Unix second the mute ends (4294967295 = for good).
    #[serde(rename = "MutedUntil")]
    pub muted_until: u64,
}

/// A topic of a community group, with its own mutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    /// The topic ID (conventionally `{GroupId}@TOPIC#_{name}`).
    #[serde(rename = "TopicId")]
    pub topic_id: String,
    /// Display name. Default empty.
    #[serde(rename = "TopicName", default)]
    pub topic_name: String,
    /// Members muted in this topic (they must be group members).
    #[serde(rename = "MutedAccountList", default)]
    pub muted_account_list: Vec<MutedAccount>,
}

/// A group: profile, custom data, members and (community only) topics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Group {
    /// The group ID (1..=48 bytes; community IDs start with `@TGS#_`, others must not).
    pub group_id: String,
    /// The group type.
    #[serde(rename = "Type")]
    pub group_type: GroupType,
    /// Group name (≤ 30 bytes). Default empty.
    #[serde(default)]
    pub name: String,
    /// Introduction (≤ 240 bytes).
    #[serde(default)]
    pub introduction: String,
    /// Notification (≤ 300 bytes).
    #[serde(default)]
    pub notification: String,
    /// Profile photo URL (≤ 100 bytes).
    #[serde(default)]
    pub face_url: String,
    /// Maximum members; 0 in a fixture means "the type's default".
    #[serde(default)]
    pub max_member_num: u64,
    /// `FreeAccess`, `NeedPermission` or `DisableApply`. Default `NeedPermission`.
    #[serde(default = "default_apply_join_option")]
    pub apply_join_option: String,
    /// `On` or `Off`. Default `Off`.
    #[serde(default = "default_shut_up")]
    pub shut_up_all_member: String,
    /// Custom group fields.
    #[serde(default)]
    pub app_defined_data: Vec<KeyValue>,
    /// Members in join order (this order is the paging order).
    #[serde(default)]
    pub member_list: Vec<Member>,
    /// Topics (community groups only).
    #[serde(default)]
    pub topics: Vec<Topic>,
}

fn default_apply_join_option() -> String {
    "NeedPermission".to_owned()
}

fn default_shut_up() -> String {
    "Off".to_owned()
}

/// Valid `ApplyJoinOption` values.
pub const APPLY_JOIN_OPTIONS: [&str; 3] = ["FreeAccess", "NeedPermission", "DisableApply"];
/// Valid `MsgFlag` values.
pub const MSG_FLAGS: [&str; 3] = ["AcceptAndNotify", "AcceptNotNotify", "Discard"];
/// Valid roles (after trimming).
pub const ROLES: [&str; 3] = ["Owner", "Admin", "Member"];

/// Checks a group ID's shape. `Err` carries the reason.
pub(crate) fn check_group_id(group_id: &str) -> Result<(), String> {
    if group_id.is_empty() {
        return Err("GroupId must not be empty".into());
    }
    if group_id.len() > MAX_GROUP_ID_BYTES {
        return Err(format!("GroupId is longer than {MAX_GROUP_ID_BYTES} bytes"));
    }
    if group_id.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("GroupId contains whitespace or control characters".into());
    }
    Ok(())
}

impl Group {
    /// An empty group of `group_type` with default profile values.
    pub fn new(group_type: GroupType, group_id: impl Into<String>) -> Self {
        Group {
            group_id: group_id.into(),
            group_type,
            name: String::new(),
            introduction: String::new(),
            notification: String::new(),
            face_url: String::new(),
            max_member_num: group_type.default_max_member_num(),
            apply_join_option: default_apply_join_option(),
            shut_up_all_member: default_shut_up(),
            app_defined_data: Vec::new(),
            member_list: Vec::new(),
            topics: Vec::new(),
        }
    }

    /// A member by account.
    pub fn member(&self, account: &str) -> Option<&Member> {
        self.member_list.iter().find(|m| m.account == account)
    }

    /// A topic by ID.
    pub fn topic(&self, topic_id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.topic_id == topic_id)
    }

    /// The value of a custom group field.
    pub fn app_defined(&self, key: &str) -> Option<&str> {
        self.app_defined_data.iter().find(|kv| kv.key == key).map(|kv| kv.value.as_str())
    }

    /// Fills defaults (`MaxMemberNum` 0 → type default) and checks every invariant.
    pub(crate) fn normalize(mut self) -> Result<Group, EmulatorError> {
        if self.max_member_num == 0 {
            self.max_member_num = self.group_type.default_max_member_num();
        }
        self.validate().map_err(|reason| EmulatorError::InvalidGroup { group_id: self.group_id.clone(), reason })?;
        Ok(self)
    }

    fn validate(&self) -> Result<(), String> {
        check_group_id(&self.group_id)?;
        let community_id = self.group_id.starts_with(COMMUNITY_PREFIX);
        if self.group_type.is_community() && !community_id {
            return Err(format!("community group IDs must start with {COMMUNITY_PREFIX:?}"));
        }
        if !self.group_type.is_community() && community_id {
            return Err(format!("only community groups may have IDs starting with {COMMUNITY_PREFIX:?}"));
        }
        check_len("Name", &self.name, 30)?;
        check_len("Introduction", &self.introduction, 240)?;
        check_len("Notification", &self.notification, 300)?;
        check_len("FaceUrl", &self.face_url, 100)?;
        if !APPLY_JOIN_OPTIONS.contains(&self.apply_join_option.as_str()) {
            return Err(format!("ApplyJoinOption {:?} is not one of {APPLY_JOIN_OPTIONS:?}", self.apply_join_option));
        }
        if self.shut_up_all_member != "On" && self.shut_up_all_member != "Off" {
            return Err(format!("ShutUpAllMember {:?} must be \"On\" or \"Off\"", self.shut_up_all_member));
        }
        check_unique_keys("AppDefinedData", &self.app_defined_data)?;
        let mut accounts = HashSet::with_capacity(self.member_list.len());
        let mut owners = 0usize;
        for m in &self.member_list {
            if m.account.is_empty() {
                return Err("a member has an empty Member_Account".into());
            }
            if !accounts.insert(m.account.as_str()) {
                return Err(format!("member {:?} appears twice", m.account));
            }
            if !ROLES.contains(&m.role_trimmed()) {
                return Err(format!("member {:?} has role {:?} (expected Owner, Admin or Member)", m.account, m.role));
            }
            if m.role_trimmed() == "Owner" {
                owners += 1;
            }
            if !MSG_FLAGS.contains(&m.msg_flag.as_str()) {
                return Err(format!(
                    "member {:?} has MsgFlag {:?} (expected one of {MSG_FLAGS:?})",
                    m.account, m.msg_flag
                ));
            }
            check_unique_keys("AppMemberDefinedData", &m.app_member_defined_data)?;
        }
        if owners > 1 {
            return Err(format!("{owners} members are Owner; a group has at most one"));
        }
        if !self.topics.is_empty() && !self.group_type.is_community() {
            return Err("only community groups have topics".into());
        }
        let mut topic_ids = HashSet::new();
        for t in &self.topics {
            if t.topic_id.is_empty() {
                return Err("a topic has an empty TopicId".into());
            }
            if !topic_ids.insert(t.topic_id.as_str()) {
                return Err(format!("topic {:?} appears twice", t.topic_id));
            }
            let mut muted = HashSet::new();
            for ma in &t.muted_account_list {
                if !accounts.contains(ma.account.as_str()) {
                    return Err(format!("topic {:?} mutes {:?}, who is not a group member", t.topic_id, ma.account));
                }
                if !muted.insert(ma.account.as_str()) {
                    return Err(format!("topic {:?} mutes {:?} twice", t.topic_id, ma.account));
                }
            }
        }
        Ok(())
    }

    /// A group of `n` generated members: `user000000` is the Owner, every 100th is an Admin,
    /// every 500th (from `user000250`) is muted for good; join times and sequence numbers grow
    /// with the index. Community groups also get a topic `{GroupId}@TOPIC#_general` in which
    /// every 1000th member (from `user000500`) is muted for good.
    pub fn generated(group_type: GroupType, group_id: &str, n: usize) -> Group {
        let mut g = Group::new(group_type, group_id);
        g.name = truncate_bytes(&format!("generated {n}"), 30);
        g.max_member_num = g.max_member_num.max(n as u64);
        g.member_list.reserve_exact(n);
        for i in 0..n {
            let role = if i == 0 {
                "Owner"
            } else if i % 100 == 0 {
                "Admin"
            } else {
                "Member"
            };
            let mut m = Member::new(format!("user{i:06}"), role);
            m.join_time = 1_700_000_000 + i as u64;
            m.msg_seq = i as u64;
            if i % 500 == 250 {
                m.mute_until = MUTED_FOREVER;
            }
            g.member_list.push(m);
        }
        if group_type.is_community() {
            g.topics.push(Topic {
                topic_id: format!("{group_id}@TOPIC#_general"),
                topic_name: "general".into(),
                muted_account_list: (500..n)
                    .step_by(1000)
                    .map(|i| MutedAccount { account: format!("user{i:06}"), muted_until: MUTED_FOREVER })
                    .collect(),
            });
        }
        g
    }
}

fn truncate_bytes(s: &str, max: usize) -> String {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_owned()
}

fn check_len(field: &str, value: &str, max: usize) -> Result<(), String> {
    if value.len() > max {
        return Err(format!("{field} is {} bytes, more than {max}", value.len()));
    }
    Ok(())
}

fn check_unique_keys(field: &str, kvs: &[KeyValue]) -> Result<(), String> {
    let mut seen = HashSet::new();
    for kv in kvs {
        if kv.key.is_empty() {
            return Err(format!("{field} has an empty Key"));
        }
        if !seen.insert(kv.key.as_str()) {
            return Err(format!("{field} has Key {:?} twice", kv.key));
        }
    }
    Ok(())
}

/// All groups of one emulator, by ID.
#[derive(Debug, Default, Clone)]
pub(crate) struct Store {
    pub(crate) groups: HashMap<String, Group>,
}

impl Store {
    /// Inserts (or replaces) an already validated group.
    pub(crate) fn insert(&mut self, group: Group) {
        self.groups.insert(group.group_id.clone(), group);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_groups_are_valid() {
        for t in GroupType::ALL {
            let id = if t.is_community() { "@TGS#_x" } else { "@TGS#x" };
            let g = Group::generated(t, id, 2_001).normalize().unwrap();
            assert_eq!(g.member_list.len(), 2_001);
            assert_eq!(g.member_list[0].role, "Owner");
            assert_eq!(g.member_list[100].role, "Admin");
            assert_eq!(g.member_list[250].mute_until, MUTED_FOREVER);
            assert_eq!(g.topics.len(), usize::from(t.is_community()));
        }
    }

    #[test]
    fn invariants_are_checked() {
        let mut g = Group::new(GroupType::Public, "@TGS#_x");
        assert!(g.clone().normalize().is_err());
        g.group_id = "ok".into();
        g.member_list.push(Member::new("a", "Owner"));
        g.member_list.push(Member::new("a", "Member"));
        assert!(g.clone().normalize().is_err());
        g.member_list[1].account = "b".into();
        g.member_list[1].role = "Member ".into();
        assert!(g.clone().normalize().is_ok());
        g.member_list[1].role = "Boss".into();
        assert!(g.clone().normalize().is_err());
    }
}
