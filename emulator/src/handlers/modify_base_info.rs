//! `modify_group_base_info`: validates every field first, then applies all changes at once.

use std::collections::HashSet;

use serde::Serialize;
use serde_json::{Map, Value};

use super::Ctx;
use crate::protocol::{self, codes, ApiError, Reply};
use crate::state::{GroupType, KeyValue, Store, APPLY_JOIN_OPTIONS};

const FIELDS: &[&str] = &[
    "GroupId",
    "Name",
    "Introduction",
    "Notification",
    "FaceUrl",
    "MaxMemberNum",
    "ApplyJoinOption",
    "ShutUpAllMember",
    "MuteAllMember",
    "AppDefinedData",
];

/// The mute-all switch: `ShutUpAllMember` on the reference pages, `MuteAllMember` on the newer
/// vendor pages and in SDKs written from them (the doocs Java SDK sends only `MuteAllMember`).
/// The service accepts both; given both, they must agree.
const MUTE_ALL_NAMES: [&str; 2] = ["ShutUpAllMember", "MuteAllMember"];

/// Byte limits of the text fields.
pub(crate) const LIMITS: [(&str, usize); 4] =
    [("Name", 30), ("Introduction", 240), ("Notification", 300), ("FaceUrl", 100)];

/// Largest custom-field value accepted, in bytes.
pub(crate) const MAX_APP_DATA_VALUE_BYTES: usize = 4096;

#[derive(Serialize)]
struct Empty {}

fn text(body: &Map<String, Value>, name: &str, max: usize) -> Result<Option<String>, ApiError> {
    let Some(v) = protocol::opt_str(body, name)? else {
        return Ok(None);
    };
    if v.len() > max {
        return Err(ApiError::param(format!("{name} is {} bytes; at most {max} bytes (UTF-8) are allowed", v.len())));
    }
    Ok(Some(v.to_owned()))
}

fn app_defined_data(body: &Map<String, Value>) -> Result<Option<Vec<KeyValue>>, ApiError> {
    let Some(v) = body.get("AppDefinedData") else {
        return Ok(None);
    };
    let Value::Array(items) = v else {
        return Err(ApiError::param("field \"AppDefinedData\" must be an array of {\"Key\", \"Value\"} objects"));
    };
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let Value::Object(obj) = item else {
            return Err(ApiError::param(format!("AppDefinedData[{i}] must be an object with Key and Value")));
        };
        for k in obj.keys() {
            if k != "Key" && k != "Value" {
                return Err(ApiError::param(format!(
                    "unknown field {k:?} in AppDefinedData[{i}] (accepted: Key, Value)"
                )));
            }
        }
        let key =
            protocol::req_str(obj, "Key").map_err(|e| ApiError::param(format!("AppDefinedData[{i}]: {}", e.info)))?;
        let value =
            protocol::req_str(obj, "Value").map_err(|e| ApiError::param(format!("AppDefinedData[{i}]: {}", e.info)))?;
        if key.is_empty() {
            return Err(ApiError::param(format!("AppDefinedData[{i}]: Key must not be empty")));
        }
        if value.len() > MAX_APP_DATA_VALUE_BYTES {
            return Err(ApiError::param(format!(
                "AppDefinedData[{i}]: Value is {} bytes; at most {MAX_APP_DATA_VALUE_BYTES} are allowed",
                value.len()
            )));
        }
        if !seen.insert(key) {
            return Err(ApiError::param(format!("AppDefinedData: Key {key:?} appears more than once")));
        }
        out.push(KeyValue::new(key, value));
    }
    Ok(Some(out))
}

pub(crate) fn handle(store: &mut Store, body: &Map<String, Value>, ctx: &Ctx) -> Result<Reply, ApiError> {
    protocol::check_fields(body, FIELDS)?;
    let group_id = protocol::group_id(body)?;
    let [name, introduction, notification, face_url] = LIMITS.map(|(f, max)| text(body, f, max));
    let (name, introduction, notification, face_url) = (name?, introduction?, notification?, face_url?);
    if name.as_deref() == Some("") {
        return Err(ApiError::param("Name must not be empty"));
    }
    let max_member_num = protocol::opt_u64(body, "MaxMemberNum")?;
    if max_member_num == Some(0) {
        return Err(ApiError::param("MaxMemberNum must be a positive integer"));
    }
    let apply = protocol::opt_str(body, "ApplyJoinOption")?;
    if let Some(a) = apply {
        if !APPLY_JOIN_OPTIONS.contains(&a) {
            return Err(ApiError::param(format!(
                "ApplyJoinOption {a:?} is invalid (accepted: FreeAccess, NeedPermission, DisableApply)"
            )));
        }
    }
    let mut shut_up = None;
    for field in MUTE_ALL_NAMES {
        let Some(s) = protocol::opt_str(body, field)? else { continue };
        if s != "On" && s != "Off" {
            return Err(ApiError::param(format!("{field} {s:?} is invalid (accepted: \"On\", \"Off\")")));
        }
        if shut_up.is_some_and(|earlier| earlier != s) {
            return Err(ApiError::param("ShutUpAllMember and MuteAllMember (its newer name) disagree"));
        }
        shut_up = Some(s);
    }
    let data = app_defined_data(body)?;

    let group = store
        .groups
        .get_mut(group_id)
        .ok_or_else(|| ApiError::new(codes::GROUP_NOT_FOUND, format!("group {group_id:?} does not exist")))?;
    if let Some(n) = max_member_num {
        // The field has no effect on AVChatRoom groups (per the page); accept and ignore it there.
        if group.group_type != GroupType::AVChatRoom && n < group.member_list.len() as u64 {
            return Err(ApiError::param(format!(
                "MaxMemberNum {n} is below the group's current member count {}",
                group.member_list.len()
            )));
        }
    }

    if let Some(v) = name {
        group.name = v;
    }
    if let Some(v) = introduction {
        group.introduction = v;
    }
    if let Some(v) = notification {
        group.notification = v;
    }
    if let Some(v) = face_url {
        group.face_url = v;
    }
    if let Some(n) = max_member_num {
        if group.group_type != GroupType::AVChatRoom {
            group.max_member_num = n;
        }
    }
    if let Some(a) = apply {
        group.apply_join_option = a.to_owned();
    }
    if let Some(s) = shut_up {
        group.shut_up_all_member = s.to_owned();
    }
    for kv in data.unwrap_or_default() {
        if kv.value.is_empty() {
            group.app_defined_data.retain(|e| e.key != kv.key);
        } else if let Some(e) = group.app_defined_data.iter_mut().find(|e| e.key == kv.key) {
            e.value = kv.value;
        } else {
            group.app_defined_data.push(kv);
        }
    }
    protocol::ok(Empty {}, ctx.max_response_bytes)
}
