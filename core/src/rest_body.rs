//! Requests from their REST JSON bodies: what a user writes in a file for a bulk job (one
//! `modify_group_base_info` body per line) becomes the typed request, with a typed error naming
//! the REST field at fault. Only the shape is checked here (known fields, JSON types); the
//! request's rules are [`crate::validate`]'s, applied before any call.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::model::{AppDefinedDataUpdate, ModifyGroupBaseInfoRequest};

/// The REST fields of a `modify_group_base_info` body.
pub const MODIFY_FIELDS: &[&str] = &[
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

/// The mute-all switch's two REST names: `ShutUpAllMember` (the reference pages, and what
/// timadmin sends) and `MuteAllMember` (the newer vendor pages and SDKs written from them).
const MUTE_ALL_NAMES: [&str; 2] = ["ShutUpAllMember", "MuteAllMember"];

/// A string field, or `None` when absent.
fn string(map: &Map<String, Value>, field: &str) -> Result<Option<String>> {
    match map.get(field) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(Error::invalid(field, format!("must be a string, got {}", type_name(other)))),
    }
}

/// The JSON type of a value, for messages (never the value itself).
fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl ModifyGroupBaseInfoRequest {
    /// The request a `modify_group_base_info` REST body describes, e.g.
    /// `{"GroupId":"@TGS#1","Name":"n","ShutUpAllMember":"On","AppDefinedData":[{"Key":"k","Value":"v"}]}`.
    /// Unknown fields and wrong JSON types are [`Error::InvalidArgument`] naming the field; an
    /// `AppDefinedData` item with an empty `Value` deletes the key. The request is not validated
    /// here (see [`crate::validate::modify_base_info`]; every call validates before sending).
    pub fn from_rest(body: &Value) -> Result<Self> {
        let Value::Object(map) = body else {
            return Err(Error::invalid("body", format!("must be a JSON object, got {}", type_name(body))));
        };
        if let Some(unknown) = map.keys().find(|k| !MODIFY_FIELDS.contains(&k.as_str())) {
            return Err(Error::invalid(
                unknown.as_str(),
                format!("is not a modify_group_base_info field (the fields are {})", MODIFY_FIELDS.join(", ")),
            ));
        }
        let group_id = string(map, "GroupId")?.ok_or_else(|| Error::invalid("GroupId", "is required"))?;
        let max_member_num = match map.get("MaxMemberNum") {
            None => None,
            Some(v) => Some(
                v.as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(|| Error::invalid("MaxMemberNum", "must be a whole number from 0 to 4294967295"))?,
            ),
        };
        let apply_join_option = string(map, "ApplyJoinOption")?.map(|s| s.parse()).transpose()?;
        let mut shut_up_all_member = None;
        for name in MUTE_ALL_NAMES {
            let on = match string(map, name)?.as_deref() {
                None => continue,
                Some("On") => true,
                Some("Off") => false,
                Some(other) => return Err(Error::invalid(name, format!("{other:?} is neither On nor Off"))),
            };
            if shut_up_all_member.is_some() {
                return Err(Error::invalid(name, "give the mute-all switch once: ShutUpAllMember or MuteAllMember"));
            }
            shut_up_all_member = Some(on);
        }
        let app_defined_data = match map.get("AppDefinedData") {
            None => None,
            Some(Value::Array(items)) => Some(items.iter().map(app_defined_data_item).collect::<Result<Vec<_>>>()?),
            Some(other) => {
                return Err(Error::invalid("AppDefinedData", format!("must be an array, got {}", type_name(other))))
            }
        };
        Ok(ModifyGroupBaseInfoRequest {
            group_id,
            name: string(map, "Name")?,
            introduction: string(map, "Introduction")?,
            notification: string(map, "Notification")?,
            face_url: string(map, "FaceUrl")?,
            max_member_num,
            apply_join_option,
            shut_up_all_member,
            app_defined_data,
        })
    }
}

/// One `{"Key": ..., "Value": ...}` of `AppDefinedData`; an empty `Value` deletes the key.
fn app_defined_data_item(item: &Value) -> Result<AppDefinedDataUpdate> {
    const FIELD: &str = "AppDefinedData";
    let Value::Object(map) = item else {
        return Err(Error::invalid(FIELD, format!("items must be objects, got {}", type_name(item))));
    };
    if let Some(unknown) = map.keys().find(|k| *k != "Key" && *k != "Value") {
        return Err(Error::invalid(
            FIELD,
            format!("an item has the unknown field {unknown:?} (items are Key and Value)"),
        ));
    }
    let key = match map.get("Key") {
        Some(Value::String(k)) => k.clone(),
        _ => return Err(Error::invalid(FIELD, "every item needs a string Key")),
    };
    match map.get("Value") {
        None => Ok(AppDefinedDataUpdate::delete(key)),
        Some(Value::String(v)) if v.is_empty() => Ok(AppDefinedDataUpdate::delete(key)),
        Some(Value::String(v)) => Ok(AppDefinedDataUpdate::set(key, v.clone())),
        Some(other) => Err(Error::invalid(FIELD, format!("a Value must be a string, got {}", type_name(other)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ApplyJoinOption;
    use serde_json::json;

    fn field(e: Error) -> String {
        match e {
            Error::InvalidArgument { field, .. } => field,
            other => panic!("expected InvalidArgument, got {other:?}"),
        }
    }

    #[test]
    fn a_rest_body_round_trips() {
        let body = json!({"GroupId": "@TGS#1", "Name": "n", "MaxMemberNum": 50, "ApplyJoinOption": "FreeAccess",
            "ShutUpAllMember": "On", "AppDefinedData": [{"Key": "k", "Value": "v"}, {"Key": "gone", "Value": ""}]});
        let r = ModifyGroupBaseInfoRequest::from_rest(&body).unwrap();
        assert_eq!(r.group_id, "@TGS#1");
        assert_eq!(r.max_member_num, Some(50));
        assert_eq!(r.apply_join_option, Some(ApplyJoinOption::FreeAccess));
        assert_eq!(r.shut_up_all_member, Some(true));
        assert_eq!(r.app_defined_data.as_ref().unwrap()[1], AppDefinedDataUpdate::delete("gone"));
        assert_eq!(serde_json::to_value(&r).unwrap(), body);
    }

    #[test]
    fn shape_errors_name_the_field() {
        let f = |v: Value| field(ModifyGroupBaseInfoRequest::from_rest(&v).unwrap_err());
        assert_eq!(f(json!([])), "body");
        assert_eq!(f(json!({"Name": "n"})), "GroupId");
        assert_eq!(f(json!({"GroupId": "g", "Nmae": "n"})), "Nmae");
        assert_eq!(f(json!({"GroupId": 5})), "GroupId");
        assert_eq!(f(json!({"GroupId": "g", "MaxMemberNum": "5"})), "MaxMemberNum");
        assert_eq!(f(json!({"GroupId": "g", "MaxMemberNum": -1})), "MaxMemberNum");
        assert_eq!(f(json!({"GroupId": "g", "ApplyJoinOption": "free"})), "ApplyJoinOption");
        assert_eq!(f(json!({"GroupId": "g", "ShutUpAllMember": true})), "ShutUpAllMember");
        assert_eq!(f(json!({"GroupId": "g", "ShutUpAllMember": "on"})), "ShutUpAllMember");
        assert_eq!(f(json!({"GroupId": "g", "MuteAllMember": "on"})), "MuteAllMember");
        assert_eq!(f(json!({"GroupId": "g", "ShutUpAllMember": "On", "MuteAllMember": "On"})), "MuteAllMember");
        let mute = ModifyGroupBaseInfoRequest::from_rest(&json!({"GroupId": "g", "MuteAllMember": "Off"})).unwrap();
        assert_eq!(mute.shut_up_all_member, Some(false), "MuteAllMember is the same switch");
        assert_eq!(f(json!({"GroupId": "g", "AppDefinedData": [{"Key": 1}]})), "AppDefinedData");
    }
}
