//! Property tests of the emulator's input parsers: fixture documents (files, `seed_json`,
//! `POST /__emulator/seed`) and fault specifications (`POST /__emulator/faults`). Arbitrary and
//! fixture-shaped input never panics; what is accepted keeps the store's invariants and survives
//! a round trip. Case counts follow `PROPTEST_CASES` (default 256).

use std::collections::HashSet;

use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use serde_json::{json, Value};
use timadmin_emulator::fixture::{parse_fixture, Fixture};
use timadmin_emulator::{EmulatorError, Fault, FaultSpec, COMMUNITY_PREFIX, MAX_GROUP_ID_BYTES};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        ".{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            btree_map(".{0,10}", inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A value that is usually right for the field, sometimes anything.
fn mostly(right: impl Strategy<Value = Value> + 'static) -> impl Strategy<Value = Option<Value>> {
    option::weighted(0.8, prop_oneof![6 => right.boxed(), 1 => json_value().boxed()])
}

fn member() -> impl Strategy<Value = Value> {
    (
        mostly(prop_oneof!["[a-z]{1,6}", Just(String::new())].prop_map(Value::String)),
        mostly(prop_oneof![Just("Owner"), Just("Admin"), Just("Member "), Just("King")].prop_map(|s| json!(s))),
        mostly(any::<u32>().prop_map(|n| json!(n))),
        mostly(prop_oneof![Just("AcceptAndNotify"), Just("Discard"), Just("Loud")].prop_map(|s| json!(s))),
    )
        .prop_map(|(account, role, join, flag)| {
            let mut m = serde_json::Map::new();
            for (k, v) in [("Member_Account", account), ("Role", role), ("JoinTime", join), ("MsgFlag", flag)] {
                if let Some(v) = v {
                    m.insert(k.into(), v);
                }
            }
            Value::Object(m)
        })
}

fn group() -> impl Strategy<Value = Value> {
    (
        mostly(prop_oneof!["@TGS#_?[A-Za-z0-9]{0,50}", ".{0,10}"].prop_map(Value::String)),
        mostly(
            prop_oneof![
                Just("Public"),
                Just("Work"),
                Just("Private"),
                Just("Community"),
                Just("AVChatRoom"),
                Just("Nope")
            ]
            .prop_map(|s| json!(s)),
        ),
        mostly(".{0,35}".prop_map(Value::String)),
        mostly(vec(member(), 0..6).prop_map(Value::Array)),
        mostly(
            vec(("[a-z]{0,3}", ".{0,5}"), 0..3)
                .prop_map(|kv| Value::Array(kv.into_iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect())),
        ),
        option::weighted(0.1, ("[A-Z][a-z]{2,8}", json_value())),
    )
        .prop_map(|(id, kind, name, members, data, extra)| {
            let mut g = serde_json::Map::new();
            for (k, v) in
                [("GroupId", id), ("Type", kind), ("Name", name), ("MemberList", members), ("AppDefinedData", data)]
            {
                if let Some(v) = v {
                    g.insert(k.into(), v);
                }
            }
            if let Some((k, v)) = extra {
                g.insert(k, v);
            }
            Value::Object(g)
        })
}

fn fixture_error(e: &EmulatorError) -> bool {
    matches!(e, EmulatorError::Fixture(_) | EmulatorError::InvalidGroup { .. })
}

proptest! {
    /// Arbitrary text as a fixture: refused with a fixture error, never a panic.
    #[test]
    fn fixtures_from_arbitrary_text(text in prop_oneof![".{0,200}", "\\{\"Groups\":\\[.{0,100}"]) {
        if let Err(e) = parse_fixture(&text) {
            prop_assert!(fixture_error(&e), "{:?}", e);
        }
    }

    /// Any JSON document as a fixture.
    #[test]
    fn fixtures_from_arbitrary_json(v in json_value()) {
        if let Err(e) = parse_fixture(&v.to_string()) {
            prop_assert!(fixture_error(&e), "{:?}", e);
        }
    }

    /// Fixture-shaped documents: what is accepted keeps every invariant the server relies on,
    /// and reads back the same after a round trip.
    #[test]
    fn accepted_fixtures_keep_the_invariants(groups in vec(group(), 0..4)) {
        let doc = json!({"Groups": groups}).to_string();
        match parse_fixture(&doc) {
            Err(e) => prop_assert!(fixture_error(&e), "{:?}", e),
            Ok(groups) => {
                let mut ids = HashSet::new();
                for g in &groups {
                    prop_assert!(ids.insert(g.group_id.clone()));
                    prop_assert!(!g.group_id.is_empty() && g.group_id.len() <= MAX_GROUP_ID_BYTES);
                    prop_assert!(!g.group_id.chars().any(|c| c.is_control() || c.is_whitespace()));
                    prop_assert_eq!(g.group_id.starts_with(COMMUNITY_PREFIX), g.group_type.is_community());
                    prop_assert!(g.name.len() <= 30);
                    let mut accounts = HashSet::new();
                    for m in &g.member_list {
                        prop_assert!(!m.account.is_empty() && accounts.insert(m.account.clone()));
                    }
                    prop_assert!(g.member_list.iter().filter(|m| m.role.trim() == "Owner").count() <= 1);
                }
                let again = parse_fixture(&serde_json::to_string(&Fixture { groups: groups.clone() }).unwrap()).unwrap();
                prop_assert_eq!(again, groups);
            }
        }
    }

    /// Fault specifications from arbitrary JSON: a fault or an error message, never a panic.
    #[test]
    fn fault_specs(v in json_value(), kind in prop_oneof![
        Just("error_code"), Just("http_status"), Just("truncated_body"), Just("delay"),
        Just("close_connection"), Just("reply"), Just("large_body"), Just("nope")
    ], status in option::of(any::<u16>()), bytes in option::of(any::<u64>())) {
        if let Ok(spec) = serde_json::from_value::<FaultSpec>(v) {
            let _ = Fault::try_from(spec);
        }
        let spec = json!({"kind": kind, "status": status, "bytes": bytes, "code": 10002, "millis": 1});
        let spec: FaultSpec = serde_json::from_value(spec).unwrap();
        if let Ok(fault) = Fault::try_from(spec) {
            prop_assert_eq!(Fault::try_from(FaultSpec::from(&fault)).unwrap(), fault);
        }
    }
}
