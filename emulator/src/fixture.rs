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
        assert!(parse_fixture(r#"{"Groups":[{"GroupId":"g","Type":"Public"},{"GroupId":"g","Type":"Public"}]}"#).is_err());
    }
}
