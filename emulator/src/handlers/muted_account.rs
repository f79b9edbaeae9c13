//! `get_group_muted_account`: members whose mute has not ended, for the group or one topic.

use serde::Serialize;
use serde_json::{Map, Value};

use super::Ctx;
use crate::protocol::{self, codes, ApiError, Reply};
use crate::state::{MutedAccount, Store};

const FIELDS: &[&str] = &["GroupId", "TopicId"];

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "GroupId")]
    group_id: &'a str,
    #[serde(rename = "MutedAccountList")]
    muted_account_list: Vec<MutedAccount>,
}

pub(crate) fn handle(store: &mut Store, body: &Map<String, Value>, ctx: &Ctx) -> Result<Reply, ApiError> {
    protocol::check_fields(body, FIELDS)?;
    let group_id = protocol::group_id(body)?;
    let topic_id = protocol::opt_str(body, "TopicId")?;
    let group = store
        .groups
        .get(group_id)
        .ok_or_else(|| ApiError::new(codes::GROUP_NOT_FOUND, format!("group {group_id:?} does not exist")))?;
    let list: Vec<MutedAccount> = match topic_id {
        None => group
            .member_list
            .iter()
            .filter(|m| m.mute_until > ctx.now)
            .map(|m| MutedAccount { account: m.account.clone(), muted_until: m.mute_until })
            .collect(),
        Some(topic_id) => {
            if !group.group_type.is_community() {
                return Err(ApiError::param(format!(
                    "TopicId is only accepted for community groups; {group_id:?} is a {} group",
                    group.group_type
                )));
            }
            if topic_id.is_empty() {
                return Err(ApiError::param("TopicId must not be empty (omit it for the whole group)"));
            }
            let topic = group
                .topic(topic_id)
                .ok_or_else(|| ApiError::param(format!("topic {topic_id:?} does not exist in group {group_id:?}")))?;
            topic.muted_account_list.iter().filter(|m| m.muted_until > ctx.now).cloned().collect()
        }
    };
    protocol::ok(Body { group_id, muted_account_list: list }, ctx.max_response_bytes)
}
