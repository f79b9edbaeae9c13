//! `get_group_info`: the base info and custom data of up to 50 groups, filtered as asked. An
//! unknown group is an entry with its own `ErrorCode` 10010 inside an OK answer, as the service
//! answers.

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::Ctx;
use crate::protocol::{self, codes, ApiError, Reply};
use crate::state::{Group, Store};

const FIELDS: &[&str] = &["GroupIdList", "ResponseFilter"];

/// The filters of `ResponseFilter`. The member filters are accepted (the service takes them) but
/// the emulator answers no `MemberList`.
const FILTERS: &[&str] =
    &["GroupBaseInfoFilter", "AppDefinedDataFilter_Group", "MemberInfoFilter", "AppDefinedDataFilter_GroupMember"];

/// The most groups one call may ask for.
pub(crate) const MAX_GROUPS: usize = 50;

/// The base-info fields the emulator answers, in answer order.
pub(crate) const BASE_FIELDS: &[&str] = &[
    "Type",
    "Name",
    "Introduction",
    "Notification",
    "FaceUrl",
    "Owner_Account",
    "MemberNum",
    "MaxMemberNum",
    "ApplyJoinOption",
    "ShutUpAllMember",
];

#[derive(Serialize)]
struct Body {
    #[serde(rename = "GroupInfo")]
    group_info: Vec<Value>,
}

/// One base-info field of `group`.
fn base_field(group: &Group, field: &str) -> Option<Value> {
    Some(match field {
        "Type" => json!(group.group_type.as_str()),
        "Name" => json!(group.name),
        "Introduction" => json!(group.introduction),
        "Notification" => json!(group.notification),
        "FaceUrl" => json!(group.face_url),
        "Owner_Account" => {
            json!(group.member_list.iter().find(|m| m.role_trimmed() == "Owner").map_or("", |m| m.account.as_str()))
        }
        "MemberNum" => json!(group.member_list.len()),
        // The field has no meaning for AVChatRoom groups (they have no member cap); still answered.
        "MaxMemberNum" => json!(group.max_member_num),
        "ApplyJoinOption" => json!(group.apply_join_option),
        "ShutUpAllMember" => json!(group.shut_up_all_member),
        _ => return None,
    })
}

pub(crate) fn handle(store: &mut Store, body: &Map<String, Value>, ctx: &Ctx) -> Result<Reply, ApiError> {
    protocol::check_fields(body, FIELDS)?;
    let ids = protocol::opt_str_array(body, "GroupIdList")?
        .ok_or_else(|| ApiError::param("required field \"GroupIdList\" is missing"))?;
    if ids.is_empty() || ids.len() > MAX_GROUPS {
        return Err(ApiError::param(format!(
            "GroupIdList has {} groups; from 1 to {MAX_GROUPS} are allowed",
            ids.len()
        )));
    }
    // No filter: every base field and all custom data. A filter: the base fields it names (all
    // when it names none) and the custom keys it names (no `AppDefinedData` when it names none).
    // `custom`: `None` = every key, `Some(None)` = no custom data, `Some(Some(keys))` = these.
    let (base, custom): (Vec<&str>, Option<Option<Vec<&str>>>) = match body.get("ResponseFilter") {
        None => (BASE_FIELDS.to_vec(), None),
        Some(Value::Object(filter)) => {
            protocol::check_fields(filter, FILTERS)
                .map_err(|e| ApiError::param(format!("ResponseFilter: {}", e.info)))?;
            for f in ["MemberInfoFilter", "AppDefinedDataFilter_GroupMember"] {
                protocol::opt_str_array(filter, f)?;
            }
            let base = protocol::opt_str_array(filter, "GroupBaseInfoFilter")?;
            let custom = protocol::opt_str_array(filter, "AppDefinedDataFilter_Group")?;
            (base.unwrap_or_else(|| BASE_FIELDS.to_vec()), Some(custom))
        }
        Some(_) => return Err(ApiError::param("field \"ResponseFilter\" must be an object")),
    };
    let mut group_info = Vec::with_capacity(ids.len());
    for id in ids {
        let mut entry = Map::new();
        entry.insert("GroupId".into(), json!(id));
        let Some(group) = store.groups.get(id) else {
            entry.insert("ErrorCode".into(), json!(codes::GROUP_NOT_FOUND));
            entry.insert("ErrorInfo".into(), json!(format!("group {id:?} does not exist")));
            group_info.push(Value::Object(entry));
            continue;
        };
        entry.insert("ErrorCode".into(), json!(0));
        entry.insert("ErrorInfo".into(), json!(""));
        for field in &base {
            // A name the emulator does not hold is left out, as the service leaves out what it
            // does not know.
            if let Some(v) = base_field(group, field) {
                entry.insert((*field).to_owned(), v);
            }
        }
        let keys = match &custom {
            None => None,
            Some(None) => {
                group_info.push(Value::Object(entry));
                continue;
            }
            Some(Some(keys)) => Some(keys),
        };
        // The asked keys a group holds; `[]` when it holds none of them.
        let data: Vec<Value> = group
            .app_defined_data
            .iter()
            .filter(|kv| keys.is_none_or(|keys| keys.contains(&kv.key.as_str())))
            .map(|kv| json!({"Key": kv.key, "Value": kv.value}))
            .collect();
        entry.insert("AppDefinedData".into(), Value::Array(data));
        group_info.push(Value::Object(entry));
    }
    protocol::ok(Body { group_info }, ctx.max_response_bytes)
}
