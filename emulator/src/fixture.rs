//! The seed (fixture) format: `{"Groups": [Group, ...]}` where each group uses the REST field
//! names (see `README.md` for the full description and `fixtures/demo.json` for an example).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::error::EmulatorError;
use crate::state::Group;

/// A whole fixture document.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// The groups to create (replacing existing groups with the same ID).
    #[serde(rename = "Groups")]
    pub groups: Vec<Group>,
}

/// Parses and validates a fixture document; every group is normalized (defaults filled in).
pub fn parse_fixture(json: &str) -> Result<Vec<Group>, EmulatorError> {
    let fixture: Fixture = serde_json::from_str(json).map_err(|e| EmulatorError::Fixture(e.to_string()))?;
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(fixture.groups.len());
    for g in fixture.groups {
        if !seen.insert(g.group_id.clone()) {
            return Err(EmulatorError::Fixture(format!("group {:?} appears twice", g.group_id)));
        }
        out.push(g.normalize()?);
    }
    Ok(out)
}

/// Parses and validates one group object (the element type of `Groups`).
pub fn parse_group(json: &str) -> Result<Group, EmulatorError> {
    let g: Group = serde_json::from_str(json).map_err(|e| EmulatorError::Fixture(e.to_string()))?;
    g.normalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_fixture_parses() {
        let text = include_str!("../fixtures/demo.json");
        let groups = parse_fixture(text).unwrap();
        assert!(groups.len() >= 5);
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let err = parse_fixture(r#"{"Groups":[{"GroupId":"g","Type":"Public","Nmae":"x"}]}"#).unwrap_err();
        assert!(err.to_string().contains("Nmae"), "{err}");
        assert!(parse_fixture(r#"{"Groups":[{"GroupId":"g","Type":"Nope"}]}"#).is_err());
        assert!(
            parse_fixture(r#"{"Groups":[{"GroupId":"g","Type":"Public"},{"GroupId":"g","Type":"Public"}]}"#).is_err()
        );
    }

    #[test]
    fn group_invariants_are_enforced() {
        let bad = [
            // topics only for communities
            r#"{"GroupId":"g","Type":"Public","Topics":[{"TopicId":"t"}]}"#,
            // topic mutes must name members
            r#"{"GroupId":"@TGS#_c","Type":"Community","Topics":[{"TopicId":"t","MutedAccountList":[{"Member_Account":"x","MutedUntil":1}]}]}"#,
            // two owners
            r#"{"GroupId":"g","Type":"Work","MemberList":[{"Member_Account":"a","Role":"Owner"},{"Member_Account":"b","Role":"Owner"}]}"#,
            // bad MsgFlag, bad ApplyJoinOption, bad ShutUpAllMember, too-long Name
            r#"{"GroupId":"g","Type":"Work","MemberList":[{"Member_Account":"a","MsgFlag":"Loud"}]}"#,
            r#"{"GroupId":"g","Type":"Work","ApplyJoinOption":"Anyone"}"#,
            r#"{"GroupId":"g","Type":"Work","ShutUpAllMember":"Yes"}"#,
            r#"{"GroupId":"g","Type":"Work","Name":"0123456789012345678901234567890"}"#,
            // duplicate custom keys, empty account, negative time
            r#"{"GroupId":"g","Type":"Work","AppDefinedData":[{"Key":"k","Value":"1"},{"Key":"k","Value":"2"}]}"#,
            r#"{"GroupId":"g","Type":"Work","MemberList":[{"Member_Account":""}]}"#,
            r#"{"GroupId":"g","Type":"Work","MemberList":[{"Member_Account":"a","JoinTime":-1}]}"#,
            // IDs: whitespace, too long
            r#"{"GroupId":"a b","Type":"Work"}"#,
            r#"{"GroupId":"0123456789012345678901234567890123456789012345678","Type":"Work"}"#,
        ];
        for json in bad {
            assert!(parse_group(json).is_err(), "accepted: {json}");
        }
        let ok = parse_group(
            r#"{"GroupId":"g","Type":"AVChatRoom","MemberList":[{"Member_Account":"a","Role":" Admin "}]}"#,
        )
        .unwrap();
        assert_eq!(ok.member_list[0].role, " Admin ");
        assert_eq!(ok.member_list[0].msg_flag, "AcceptAndNotify");
        assert_eq!(ok.apply_join_option, "NeedPermission");
        assert_eq!(ok.shut_up_all_member, "Off");
    }
}
