//! `get_group_member_info`: member profiles with field/role/custom-data filters and paging
//! (`Limit`/`Offset` for ordinary groups, `Limit`/`Next` cursors for community groups).

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use super::Ctx;
use crate::protocol::{self, codes, ApiError, Reply};
use crate::state::{GroupType, Member, Store, ROLES};

const FIELDS: &[&str] =
    &["GroupId", "MemberInfoFilter", "MemberRoleFilter", "AppDefinedDataFilter_GroupMember", "Limit", "Offset", "Next"];

/// Names accepted in `MemberInfoFilter`.
const INFO_FIELDS: &[&str] = &[
    "Member_Account",
    "Role",
    "JoinTime",
    "MsgSeq",
    "MsgFlag",
    "LastSendMsgTime",
    "MuteUntil",
    "NameCard",
    "AppMemberDefinedData",
];

/// Largest `Limit` for ordinary groups (the field table's figure).
pub(crate) const MAX_LIMIT: u64 = 6000;
/// Largest (and default) `Limit` for community groups.
pub(crate) const MAX_COMMUNITY_LIMIT: u64 = 100;
/// Community cursors are `CURSOR_BASE + position` as decimal strings, shaped like the service's.
pub(crate) const CURSOR_BASE: u64 = 144_115_188_075_855_872;

#[derive(Clone, Copy)]
struct Fields {
    role: bool,
    join_time: bool,
    msg_seq: bool,
    msg_flag: bool,
    last_send: bool,
    mute_until: bool,
    name_card: bool,
}

enum Custom<'a> {
    None,
    All,
    Keys(Vec<&'a str>),
}

struct MemberView<'a> {
    m: &'a Member,
    f: Fields,
    custom: &'a Custom<'a>,
    extra: bool,
}

impl Serialize for MemberView<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (m, f) = (self.m, self.f);
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("Member_Account", &m.account)?;
        if f.role {
            map.serialize_entry("Role", &m.role)?;
        }
        if f.join_time {
            map.serialize_entry("JoinTime", &m.join_time)?;
        }
        if f.msg_seq {
            map.serialize_entry("MsgSeq", &m.msg_seq)?;
        }
        if f.msg_flag {
            map.serialize_entry("MsgFlag", &m.msg_flag)?;
        }
        if f.last_send {
            map.serialize_entry("LastSendMsgTime", &m.last_send_msg_time)?;
        }
        if f.mute_until {
            map.serialize_entry("MuteUntil", &m.mute_until)?;
            if self.extra {
                // The live service sends this undocumented twin of MuteUntil.
                map.serialize_entry("ShutUpUntil", &m.mute_until)?;
            }
        }
        if f.name_card {
            map.serialize_entry("NameCard", &m.name_card)?;
        }
        match self.custom {
            Custom::None => {}
            Custom::All => {
                if !m.app_member_defined_data.is_empty() {
                    map.serialize_entry("AppMemberDefinedData", &m.app_member_defined_data)?;
                }
            }
            Custom::Keys(keys) => {
                let selected: Vec<_> =
                    m.app_member_defined_data.iter().filter(|kv| keys.contains(&kv.key.as_str())).collect();
                if !selected.is_empty() {
                    map.serialize_entry("AppMemberDefinedData", &selected)?;
                }
            }
        }
        map.end()
    }
}

struct MemberList<'a> {
    members: Vec<&'a Member>,
    f: Fields,
    custom: &'a Custom<'a>,
    extra: bool,
}

impl Serialize for MemberList<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.members.len()))?;
        for m in &self.members {
            seq.serialize_element(&MemberView { m, f: self.f, custom: self.custom, extra: self.extra })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "Next", skip_serializing_if = "Option::is_none")]
    next: Option<String>,
    #[serde(rename = "MemberNum")]
    member_num: usize,
    #[serde(rename = "MemberList")]
    member_list: MemberList<'a>,
}

pub(crate) fn handle(store: &mut Store, body: &Map<String, Value>, ctx: &Ctx) -> Result<Reply, ApiError> {
    protocol::check_fields(body, FIELDS)?;
    let group_id = protocol::group_id(body)?;
    // An empty MemberInfoFilter / MemberRoleFilter means "no filter", like an absent one.
    let info_filter = protocol::opt_str_array(body, "MemberInfoFilter")?.filter(|v| !v.is_empty());
    let role_filter = protocol::opt_str_array(body, "MemberRoleFilter")?.filter(|v| !v.is_empty());
    let custom_filter = protocol::opt_str_array(body, "AppDefinedDataFilter_GroupMember")?;
    let limit = protocol::opt_u64(body, "Limit")?;
    let offset = protocol::opt_u64(body, "Offset")?;
    let next = protocol::opt_str(body, "Next")?;

    let fields = match &info_filter {
        None => Fields {
            role: true,
            join_time: true,
            msg_seq: true,
            msg_flag: true,
            last_send: true,
            mute_until: true,
            name_card: true,
        },
        Some(names) => {
            for n in names {
                if !INFO_FIELDS.contains(n) {
                    return Err(ApiError::param(format!(
                        "MemberInfoFilter: unknown member field {n:?} (accepted: {})",
                        INFO_FIELDS.join(", ")
                    )));
                }
            }
            let has = |n: &str| names.contains(&n);
            Fields {
                role: has("Role"),
                join_time: has("JoinTime"),
                msg_seq: has("MsgSeq"),
                msg_flag: has("MsgFlag"),
                last_send: has("LastSendMsgTime"),
                mute_until: has("MuteUntil"),
                name_card: has("NameCard"),
            }
        }
    };
    if let Some(roles) = &role_filter {
        for r in roles {
            if !ROLES.contains(r) {
                return Err(ApiError::param(format!(
                    "MemberRoleFilter: unknown role {r:?} (accepted: Owner, Admin, Member)"
                )));
            }
        }
    }
    let custom = match (&custom_filter, &info_filter) {
        (Some(keys), _) => Custom::Keys(keys.clone()),
        (None, None) => Custom::All,
        (None, Some(names)) if names.contains(&"AppMemberDefinedData") => Custom::All,
        (None, Some(_)) => Custom::None,
    };

    let group = store
        .groups
        .get(group_id)
        .ok_or_else(|| ApiError::new(codes::GROUP_NOT_FOUND, format!("group {group_id:?} does not exist")))?;
    if group.group_type == GroupType::AVChatRoom {
        return Err(ApiError::new(codes::NO_PERMISSION, "get_group_member_info does not support AVChatRoom groups"));
    }
    let role_ok = |m: &Member| match &role_filter {
        None => true,
        Some(roles) => roles.contains(&m.role_trimmed()),
    };
    let all = &group.member_list;

    let (page, next_out) = if group.group_type.is_community() {
        if offset.is_some() {
            return Err(ApiError::param("community groups do not accept Offset; page with Next"));
        }
        let Some(cursor) = next else {
            return Err(ApiError::param("Next is required for community groups (pass \"\" on the first call)"));
        };
        let limit = limit.unwrap_or(MAX_COMMUNITY_LIMIT);
        if limit == 0 || limit > MAX_COMMUNITY_LIMIT {
            return Err(ApiError::param(format!(
                "Limit must be between 1 and {MAX_COMMUNITY_LIMIT} for community groups, got {limit}"
            )));
        }
        let start = parse_cursor(cursor, all.len())?;
        let mut page = Vec::new();
        let mut pos = start;
        while pos < all.len() && page.len() < limit as usize {
            if role_ok(&all[pos]) {
                page.push(&all[pos]);
            }
            pos += 1;
        }
        let more = all[pos..].iter().any(role_ok);
        let next = if more { format!("{}", CURSOR_BASE + pos as u64) } else { String::new() };
        (page, Some(next))
    } else {
        if next.is_some() {
            return Err(ApiError::param("Next is only accepted for community groups; page with Limit and Offset"));
        }
        if let Some(l) = limit {
            if l == 0 || l > MAX_LIMIT {
                return Err(ApiError::param(format!("Limit must be between 1 and {MAX_LIMIT}, got {l}")));
            }
        }
        let skip = usize::try_from(offset.unwrap_or(0)).unwrap_or(usize::MAX);
        let take = limit.map_or(usize::MAX, |l| l as usize);
        let page: Vec<&Member> = all.iter().filter(|m| role_ok(m)).skip(skip).take(take).collect();
        (page, None)
    };

    protocol::ok(
        Body {
            next: next_out,
            member_num: all.len(),
            member_list: MemberList { members: page, f: fields, custom: &custom, extra: ctx.extra_fields },
        },
        ctx.max_response_bytes,
    )
}

/// `""` → 0; otherwise a decimal `CURSOR_BASE + position` with position in `1..=len`.
fn parse_cursor(cursor: &str, len: usize) -> Result<usize, ApiError> {
    if cursor.is_empty() {
        return Ok(0);
    }
    let bad = || ApiError::param(format!("Next {cursor:?} is not a cursor this server returned"));
    if !cursor.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let value: u64 = cursor.parse().map_err(|_| bad())?;
    let pos = value.checked_sub(CURSOR_BASE).ok_or_else(bad)?;
    if pos == 0 || pos > len as u64 {
        return Err(bad());
    }
    Ok(pos as usize)
}
