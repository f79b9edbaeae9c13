//! Requests and responses of the three endpoints as UniFFI records, field for field with the
//! core's (REST names in the host's case: `MemberInfoFilter` → `memberInfoFilter`), and the
//! conversions to and from the core's types. No rule lives here: the core validates.

/// A member's role.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum Role {
    /// The group owner.
    Owner,
    /// A group admin.
    Admin,
    /// An ordinary member.
    Member,
    /// A role this version does not know, kept verbatim.
    Other {
        /// The role as the service spelled it.
        value: String,
    },
}

impl From<timadmin::Role> for Role {
    fn from(role: timadmin::Role) -> Self {
        match role {
            timadmin::Role::Owner => Role::Owner,
            timadmin::Role::Admin => Role::Admin,
            timadmin::Role::Member => Role::Member,
            timadmin::Role::Other(value) => Role::Other { value },
        }
    }
}

/// One custom-data entry (`{"Key": ..., "Value": ...}`).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct KeyValue {
    /// The custom field key.
    pub key: String,
    /// Its value.
    pub value: String,
}

impl From<timadmin::KeyValue> for KeyValue {
    fn from(kv: timadmin::KeyValue) -> Self {
        KeyValue {
            key: kv.key,
            value: kv.value,
        }
    }
}

/// `get_group_member_info` request. For one page of a community group (`@TGS#_...`) pass
/// `next` (`""` first); for other groups `limit`/`offset`. `members()` pages for you.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GetGroupMemberInfoRequest {
    /// The group (required).
    pub group_id: String,
    /// `MemberInfoFilter`: member fields to return (`Role`, `JoinTime`, ...); all when unset.
    #[uniffi(default)]
    pub member_info_filter: Option<Vec<String>>,
    /// `MemberRoleFilter`: roles to return (`Owner`, `Admin`, `Member`); all when unset.
    #[uniffi(default)]
    pub member_role_filter: Option<Vec<String>>,
    /// `AppDefinedDataFilter_GroupMember`: custom member-data keys to return.
    #[uniffi(default)]
    pub app_defined_data_filter_group_member: Option<Vec<String>>,
    /// `Limit`: members per call (at most 6000; 100 for community groups).
    #[uniffi(default)]
    pub limit: Option<u32>,
    /// `Offset`: index of the first member (not for community groups).
    #[uniffi(default)]
    pub offset: Option<u64>,
    /// `Next`: community groups' cursor, `""` first, then the last `next` returned.
    #[uniffi(default)]
    pub next: Option<String>,
}

impl From<GetGroupMemberInfoRequest> for timadmin::GetGroupMemberInfoRequest {
    fn from(r: GetGroupMemberInfoRequest) -> Self {
        timadmin::GetGroupMemberInfoRequest {
            group_id: r.group_id,
            member_info_filter: r.member_info_filter,
            member_role_filter: r.member_role_filter,
            app_defined_data_filter_group_member: r.app_defined_data_filter_group_member,
            limit: r.limit,
            offset: r.offset,
            next: r.next,
        }
    }
}

/// One group member. Fields not asked for (see `memberInfoFilter`) are null.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GroupMember {
    /// `Member_Account`: the member's account.
    pub member_account: String,
    /// `Role`.
    pub role: Option<Role>,
    /// `JoinTime`: when the member joined (Unix seconds).
    pub join_time: Option<u64>,
    /// `MsgSeq`: sequence number of the member's last read message.
    pub msg_seq: Option<u64>,
    /// `MsgFlag`: message receiving option (`AcceptAndNotify`, ...).
    pub msg_flag: Option<String>,
    /// `LastSendMsgTime`: when the member last sent a message (Unix seconds).
    pub last_send_msg_time: Option<u64>,
    /// `MuteUntil`: muted until this Unix second; 0 = not muted; 4294967295 = for good.
    pub mute_until: Option<u64>,
    /// `NameCard`: the member's name card.
    pub name_card: Option<String>,
    /// `AppMemberDefinedData`: custom member data.
    pub app_member_defined_data: Option<Vec<KeyValue>>,
}

impl From<timadmin::GroupMember> for GroupMember {
    fn from(m: timadmin::GroupMember) -> Self {
        GroupMember {
            member_account: m.member_account,
            role: m.role.map(Role::from),
            join_time: m.join_time,
            msg_seq: m.msg_seq,
            msg_flag: m.msg_flag,
            last_send_msg_time: m.last_send_msg_time,
            mute_until: m.mute_until,
            name_card: m.name_card,
            app_member_defined_data: m
                .app_member_defined_data
                .map(|data| data.into_iter().map(KeyValue::from).collect()),
        }
    }
}

/// Converts a list of core members.
pub(crate) fn members(list: Vec<timadmin::GroupMember>) -> Vec<GroupMember> {
    list.into_iter().map(GroupMember::from).collect()
}

/// `get_group_member_info` response.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GetGroupMemberInfoResponse {
    /// `MemberNum`: total members in the group.
    pub member_num: u64,
    /// `MemberList`: this call's members.
    pub member_list: Vec<GroupMember>,
    /// `Next`: community groups' cursor for the next call, `""` when done; null for others.
    pub next: Option<String>,
}

impl From<timadmin::GetGroupMemberInfoResponse> for GetGroupMemberInfoResponse {
    fn from(r: timadmin::GetGroupMemberInfoResponse) -> Self {
        GetGroupMemberInfoResponse {
            member_num: r.member_num,
            member_list: members(r.member_list),
            next: r.next,
        }
    }
}

/// `get_group_muted_account` request.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GetGroupMutedAccountRequest {
    /// The group (required).
    pub group_id: String,
    /// `TopicId`: a topic of a topic-enabled community.
    #[uniffi(default)]
    pub topic_id: Option<String>,
}

impl From<GetGroupMutedAccountRequest> for timadmin::GetGroupMutedAccountRequest {
    fn from(r: GetGroupMutedAccountRequest) -> Self {
        timadmin::GetGroupMutedAccountRequest {
            group_id: r.group_id,
            topic_id: r.topic_id,
        }
    }
}

/// A muted member.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MutedAccount {
    /// `Member_Account`: the member's account.
    pub member_account: String,
    /// `MutedUntil`: muted until this Unix second (4294967295 = for good).
    pub muted_until: u64,
}

/// `get_group_muted_account` response.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct GetGroupMutedAccountResponse {
    /// `GroupId`: the group.
    pub group_id: String,
    /// `MutedAccountList`: its muted members.
    pub muted_account_list: Vec<MutedAccount>,
}

impl From<timadmin::GetGroupMutedAccountResponse> for GetGroupMutedAccountResponse {
    fn from(r: timadmin::GetGroupMutedAccountResponse) -> Self {
        GetGroupMutedAccountResponse {
            group_id: r.group_id,
            muted_account_list: r
                .muted_account_list
                .into_iter()
                .map(|m| MutedAccount {
                    member_account: m.member_account,
                    muted_until: m.muted_until,
                })
                .collect(),
        }
    }
}

/// `ApplyJoinOption`: how people may join a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ApplyJoinOption {
    /// Anyone may join.
    FreeAccess,
    /// Joining needs approval.
    NeedPermission,
    /// Nobody may apply.
    DisableApply,
}

impl From<ApplyJoinOption> for timadmin::ApplyJoinOption {
    fn from(o: ApplyJoinOption) -> Self {
        match o {
            ApplyJoinOption::FreeAccess => timadmin::ApplyJoinOption::FreeAccess,
            ApplyJoinOption::NeedPermission => timadmin::ApplyJoinOption::NeedPermission,
            ApplyJoinOption::DisableApply => timadmin::ApplyJoinOption::DisableApply,
        }
    }
}

/// A change to one group custom-data key (`AppDefinedData` item).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AppDefinedDataUpdate {
    /// The custom field key.
    pub key: String,
    /// The new value; null deletes the key.
    #[uniffi(default)]
    pub value: Option<String>,
}

/// `modify_group_base_info` request: only the fields that are set change.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ModifyGroupBaseInfoRequest {
    /// The group (required).
    pub group_id: String,
    /// `Name`: at most 30 UTF-8 bytes.
    #[uniffi(default)]
    pub name: Option<String>,
    /// `Introduction`: at most 240 UTF-8 bytes.
    #[uniffi(default)]
    pub introduction: Option<String>,
    /// `Notification`: the announcement, at most 300 UTF-8 bytes.
    #[uniffi(default)]
    pub notification: Option<String>,
    /// `FaceUrl`: profile photo URL, at most 100 UTF-8 bytes.
    #[uniffi(default)]
    pub face_url: Option<String>,
    /// `MaxMemberNum`: maximum number of members.
    #[uniffi(default)]
    pub max_member_num: Option<u32>,
    /// `ApplyJoinOption`: how people may join.
    #[uniffi(default)]
    pub apply_join_option: Option<ApplyJoinOption>,
    /// `ShutUpAllMember`: mute everyone but owner and admins (`On`/`Off` on the wire).
    #[uniffi(default)]
    pub shut_up_all_member: Option<bool>,
    /// `AppDefinedData`: custom group data to set or delete.
    #[uniffi(default)]
    pub app_defined_data: Option<Vec<AppDefinedDataUpdate>>,
}

impl From<ModifyGroupBaseInfoRequest> for timadmin::ModifyGroupBaseInfoRequest {
    fn from(r: ModifyGroupBaseInfoRequest) -> Self {
        timadmin::ModifyGroupBaseInfoRequest {
            group_id: r.group_id,
            name: r.name,
            introduction: r.introduction,
            notification: r.notification,
            face_url: r.face_url,
            max_member_num: r.max_member_num,
            apply_join_option: r.apply_join_option.map(Into::into),
            shut_up_all_member: r.shut_up_all_member,
            app_defined_data: r.app_defined_data.map(|items| {
                items
                    .into_iter()
                    .map(|i| timadmin::AppDefinedDataUpdate {
                        key: i.key,
                        value: i.value,
                    })
                    .collect()
            }),
        }
    }
}

/// What `members()` fetches; every field optional (page size: the core's default, 100).
#[derive(Debug, Clone, PartialEq, Eq, Default, uniffi::Record)]
pub struct PageOptions {
    /// Members per call; at most 100 for community groups.
    #[uniffi(default)]
    pub page_size: Option<u32>,
    /// `MemberInfoFilter`: member fields to return.
    #[uniffi(default)]
    pub member_info_filter: Option<Vec<String>>,
    /// `MemberRoleFilter`: roles to return.
    #[uniffi(default)]
    pub member_role_filter: Option<Vec<String>>,
    /// `AppDefinedDataFilter_GroupMember`: custom member-data keys to return.
    #[uniffi(default)]
    pub app_defined_data_filter_group_member: Option<Vec<String>>,
}

impl From<PageOptions> for timadmin::PageOptions {
    fn from(o: PageOptions) -> Self {
        let defaults = timadmin::PageOptions::default();
        timadmin::PageOptions {
            page_size: o.page_size.unwrap_or(defaults.page_size),
            member_info_filter: o.member_info_filter,
            member_role_filter: o.member_role_filter,
            app_defined_data_filter_group_member: o.app_defined_data_filter_group_member,
        }
    }
}

/// How a pager moves through a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PagingMode {
    /// `Limit`/`Offset` (ordinary groups).
    Offset,
    /// The `Next` cursor (community groups).
    Cursor,
}

impl From<timadmin::PagingMode> for PagingMode {
    fn from(m: timadmin::PagingMode) -> Self {
        match m {
            timadmin::PagingMode::Offset => PagingMode::Offset,
            timadmin::PagingMode::Cursor => PagingMode::Cursor,
        }
    }
}

/// One page of members.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MemberPage {
    /// This page's members.
    pub members: Vec<GroupMember>,
    /// The group's total member count as the server reported it with this page.
    pub member_num: u64,
}

/// The claims of a verified UserSig.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Claims {
    /// The user the token was issued for.
    pub identifier: String,
    /// The app that issued it.
    pub sdkappid: u64,
    /// Issue time, Unix seconds.
    pub time: u64,
    /// Lifetime in seconds from `time`.
    pub expire: u64,
    /// When it stops being valid, Unix seconds.
    pub expires_at: u64,
}

impl From<timadmin::usersig::Claims> for Claims {
    fn from(c: timadmin::usersig::Claims) -> Self {
        Claims {
            expires_at: c.expires_at(),
            identifier: c.identifier,
            sdkappid: c.sdkappid,
            time: c.time,
            expire: c.expire,
        }
    }
}
