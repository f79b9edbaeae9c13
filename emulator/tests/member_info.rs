//! get_group_member_info: filters, paging per group type, community cursors, size cap.

mod common;

use std::collections::HashSet;

use common::*;
use serde_json::{json, Value};
use timadmin_emulator::{EmulatorConfig, GroupType};

#[tokio::test]
async fn basic_request_returns_all_fields_and_custom_data() {
    let h = Harness::demo().await;
    let v = h.member_info(gid("@TGS#2DEMOPUB")).await;
    assert_ok(&v);
    assert_eq!(v["MemberNum"], 5);
    assert!(v.get("Next").is_none(), "only community replies carry Next: {v}");
    assert_eq!(accounts(&v), ["bob", "alice", "peter", "tommy", "carol"]);
    let bob = &v["MemberList"][0];
    assert_eq!(bob["Role"], "Owner");
    assert_eq!(bob["JoinTime"], 1425976500);
    assert_eq!(bob["MsgSeq"], 1233);
    assert_eq!(bob["MsgFlag"], "AcceptAndNotify");
    assert_eq!(bob["LastSendMsgTime"], 1425976500);
    assert_eq!(bob["MuteUntil"], 0);
    assert_eq!(bob["NameCard"], "Bob");
    assert_eq!(
        bob["AppMemberDefinedData"],
        json!([{"Key": "MemberDefined1", "Value": "ModifyDefined1"}, {"Key": "MemberDefined2", "Value": "ModifyDefined2"}])
    );
    // Roles come back exactly as stored, trailing space included.
    assert_eq!(v["MemberList"][2]["Role"], "Member ");
    // 4294967295 survives as a 64-bit number.
    assert_eq!(v["MemberList"][2]["MuteUntil"].as_u64(), Some(4_294_967_295));
    // Undocumented extra field, as the live service sends.
    assert_eq!(v["MemberList"][2]["ShutUpUntil"].as_u64(), Some(4_294_967_295));
}

#[tokio::test]
async fn extra_fields_can_be_switched_off() {
    let h = Harness::start(EmulatorConfig { extra_response_fields: false, ..demo_config() }).await;
    let v = h.member_info(gid("@TGS#2DEMOPUB")).await;
    assert!(v["MemberList"][0].get("ShutUpUntil").is_none());
}

#[tokio::test]
async fn member_info_filter_selects_fields() {
    let h = Harness::demo().await;
    let v = h.member_info(json!({"GroupId": "@TGS#2DEMOPUB", "MemberInfoFilter": ["Role", "NameCard"]})).await;
    assert_ok(&v);
    for m in v["MemberList"].as_array().unwrap() {
        let keys: HashSet<&str> = m.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, HashSet::from(["Member_Account", "Role", "NameCard"]), "{m}");
    }
    // Unknown field names are caught.
    let v = h.member_info(json!({"GroupId": "@TGS#2DEMOPUB", "MemberInfoFilter": ["Role", "MuteUtil"]})).await;
    assert!(assert_fail(&v, 10004).contains("MuteUtil"));
    // Empty filter = no filter.
    let v = h.member_info(json!({"GroupId": "@TGS#2DEMOPUB", "MemberInfoFilter": []})).await;
    assert_eq!(v["MemberList"][0]["JoinTime"], 1425976500);
    // Asking for AppMemberDefinedData in MemberInfoFilter returns all custom keys.
    let v = h.member_info(json!({"GroupId": "@TGS#2DEMOPUB", "MemberInfoFilter": ["AppMemberDefinedData"]})).await;
    assert_eq!(v["MemberList"][0]["AppMemberDefinedData"].as_array().unwrap().len(), 2);
    assert!(v["MemberList"][0].get("Role").is_none());
}

#[tokio::test]
async fn role_filter_matches_trimmed_roles() {
    let h = Harness::demo().await;
    let v = h.member_info(json!({"GroupId": "@TGS#2DEMOPUB", "MemberRoleFilter": ["Owner", "Member"]})).await;
    assert_ok(&v);
    assert_eq!(accounts(&v), ["bob", "peter", "tommy", "carol"]);
    assert_eq!(v["MemberNum"], 5, "MemberNum is the group's total");
    let v = h.member_info(json!({"GroupId": "@TGS#2DEMOPUB", "MemberRoleFilter": ["Admin"]})).await;
    assert_eq!(accounts(&v), ["alice"]);
    let v = h.member_info(json!({"GroupId": "@TGS#2DEMOPUB", "MemberRoleFilter": ["Owner", "Boss"]})).await;
    assert!(assert_fail(&v, 10004).contains("Boss"));
    // With paging, the filter applies before Offset/Limit.
    let v = h
        .member_info(json!({"GroupId": "@TGS#2DEMOPUB", "MemberRoleFilter": ["Member"], "Limit": 2, "Offset": 1}))
        .await;
    assert_eq!(accounts(&v), ["tommy", "carol"]);
}

#[tokio::test]
async fn custom_data_filter_selects_keys() {
    let h = Harness::demo().await;
    let v = h
        .member_info(json!({"GroupId": "@TGS#2DEMOPUB", "AppDefinedDataFilter_GroupMember": ["MemberDefined2"]}))
        .await;
    assert_ok(&v);
    assert_eq!(
        v["MemberList"][0]["AppMemberDefinedData"],
        json!([{"Key": "MemberDefined2", "Value": "ModifyDefined2"}])
    );
    assert_eq!(
        v["MemberList"][1]["AppMemberDefinedData"],
        json!([{"Key": "MemberDefined2", "Value": "AliceDefined2"}])
    );
    assert!(v["MemberList"][2].get("AppMemberDefinedData").is_none(), "no selected keys → omitted");
    // MemberInfoFilter without the custom-data filter → no custom data.
    let v = h.member_info(json!({"GroupId": "@TGS#2DEMOPUB", "MemberInfoFilter": ["Role"]})).await;
    assert!(v["MemberList"][0].get("AppMemberDefinedData").is_none());
    // Both: the custom filter decides the custom keys.
    let v = h
        .member_info(json!({"GroupId": "@TGS#2DEMOPUB", "MemberInfoFilter": ["Role"], "AppDefinedDataFilter_GroupMember": ["MemberDefined1"]}))
        .await;
    assert_eq!(
        v["MemberList"][0]["AppMemberDefinedData"],
        json!([{"Key": "MemberDefined1", "Value": "ModifyDefined1"}])
    );
}

#[tokio::test]
async fn ordinary_groups_page_with_limit_and_offset() {
    let h = Harness::demo().await;
    let c = h.emu.control();
    for (t, id) in [
        (GroupType::Private, "@TGS#pg"),
        (GroupType::Work, "@TGS#wg"),
        (GroupType::Public, "@TGS#pub"),
        (GroupType::ChatRoom, "@TGS#cr"),
        (GroupType::Meeting, "@TGS#mt"),
    ] {
        c.generate_group(t, id, 250).unwrap();
        // No Limit → everybody.
        let all = h.member_info(gid(id)).await;
        assert_ok(&all);
        assert_eq!(all["MemberNum"], 250);
        assert_eq!(accounts(&all).len(), 250);
        // Pages of 100 cover everybody once, in order.
        let mut seen = Vec::new();
        for page in 0..3 {
            let v = h.member_info(json!({"GroupId": id, "Limit": 100, "Offset": page * 100})).await;
            assert_ok(&v);
            assert!(v.get("Next").is_none());
            seen.extend(accounts(&v));
        }
        assert_eq!(seen, accounts(&all), "{t}");
        // Offset past the end → empty list, still OK.
        let v = h.member_info(json!({"GroupId": id, "Limit": 10, "Offset": 1000})).await;
        assert_ok(&v);
        assert_eq!(v["MemberList"], json!([]));
        assert_eq!(v["MemberNum"], 250);
        // Offset alone works too.
        let v = h.member_info(json!({"GroupId": id, "Offset": 249})).await;
        assert_eq!(accounts(&v), ["user000249"]);
        // Limit bounds.
        assert_fail(&h.member_info(json!({"GroupId": id, "Limit": 0})).await, 10004);
        assert_fail(&h.member_info(json!({"GroupId": id, "Limit": 6001})).await, 10004);
        assert_ok(&h.member_info(json!({"GroupId": id, "Limit": 6000})).await);
        // Next is for communities only.
        assert_fail(&h.member_info(json!({"GroupId": id, "Next": ""})).await, 10004);
    }
}

#[tokio::test]
async fn avchatroom_is_refused() {
    let h = Harness::demo().await;
    let info = assert_fail(&h.member_info(gid("@TGS#aDEMOLIVE")).await, 10007);
    assert!(info.contains("AVChatRoom"), "{info}");
}

async fn pull_all(h: &Harness, id: &str, limit: Option<u64>, extra: Value) -> (Vec<String>, usize) {
    let mut next = String::new();
    let mut all = Vec::new();
    let mut calls = 0;
    loop {
        let mut body = json!({"GroupId": id, "Next": next});
        if let Some(l) = limit {
            body["Limit"] = json!(l);
        }
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        let v = h.member_info(body).await;
        assert_ok(&v);
        calls += 1;
        let page = accounts(&v);
        assert!(page.len() <= limit.unwrap_or(100) as usize);
        all.extend(page);
        next = v["Next"].as_str().expect("community replies carry Next").to_owned();
        if next.is_empty() {
            break;
        }
        assert!(next.bytes().all(|b| b.is_ascii_digit()), "cursor {next}");
        assert!(calls < 1000, "paging does not terminate");
    }
    (all, calls)
}

#[tokio::test]
async fn community_next_paging_yields_every_member_once() {
    let h = Harness::demo().await;
    h.emu.control().generate_community_group("@TGS#_big", 1_050).unwrap();
    let (all, calls) = pull_all(&h, "@TGS#_big", Some(100), json!({})).await;
    assert_eq!(calls, 11);
    assert_eq!(all.len(), 1_050);
    let unique: HashSet<_> = all.iter().collect();
    assert_eq!(unique.len(), 1_050);
    let expected: Vec<String> = (0..1_050).map(|i| format!("user{i:06}")).collect();
    assert_eq!(all, expected);
    // Default Limit is 100.
    let (all2, calls2) = pull_all(&h, "@TGS#_big", None, json!({})).await;
    assert_eq!((all2.len(), calls2), (1_050, 11));
    // A smaller Limit and a role filter.
    let (admins, _) = pull_all(&h, "@TGS#_big", Some(3), json!({"MemberRoleFilter": ["Admin"]})).await;
    assert_eq!(admins, (1..=10).map(|i| format!("user{:06}", i * 100)).collect::<Vec<_>>());
}

#[tokio::test]
async fn community_cursors_are_stable_and_validated() {
    let h = Harness::demo().await;
    h.emu.control().generate_community_group("@TGS#_c", 250).unwrap();
    let first = h.member_info(json!({"GroupId": "@TGS#_c", "Next": "", "Limit": 100})).await;
    assert_eq!(first["MemberNum"], 250);
    let cursor = first["Next"].as_str().unwrap().to_owned();
    assert!(!cursor.is_empty());
    // The same cursor gives the same page, repeatedly (stateless cursor).
    let a = h.member_info(json!({"GroupId": "@TGS#_c", "Next": cursor, "Limit": 100})).await;
    let b = h.member_info(json!({"GroupId": "@TGS#_c", "Next": cursor, "Limit": 100})).await;
    assert_eq!(accounts(&a), accounts(&b));
    assert_eq!(accounts(&a)[0], "user000100");
    for garbage in ["abc", "-1", "1", "99999999999999999999999", " 1", "144115188075855872"] {
        let v = h.member_info(json!({"GroupId": "@TGS#_c", "Next": garbage})).await;
        assert_fail(&v, 10004);
    }
}

#[tokio::test]
async fn community_rules() {
    let h = Harness::demo().await;
    // Offset refused (even 0).
    let info = assert_fail(&h.member_info(json!({"GroupId": "@TGS#_demo", "Next": "", "Offset": 0})).await, 10004);
    assert!(info.contains("Offset"));
    // Limit at most 100.
    assert_fail(&h.member_info(json!({"GroupId": "@TGS#_demo", "Next": "", "Limit": 101})).await, 10004);
    assert_fail(&h.member_info(json!({"GroupId": "@TGS#_demo", "Next": "", "Limit": 0})).await, 10004);
    // Next is required (first call passes "").
    assert_fail(&h.member_info(json!({"GroupId": "@TGS#_demo"})).await, 10004);
    // Small community: one page, Next "".
    let v = h.member_info(json!({"GroupId": "@TGS#_demo", "Next": ""})).await;
    assert_ok(&v);
    assert_eq!(v["Next"], "");
    assert_eq!(v["MemberNum"], 5);
    assert_eq!(accounts(&v), ["owner", "mod", "m1", "m2", "m3"]);
    assert_eq!(v["MemberList"][2]["AppMemberDefinedData"], json!([{"Key": "Level", "Value": "3"}]));
}

#[tokio::test]
async fn replies_over_1mb_fail_with_10018() {
    let h = Harness::demo().await;
    let c = h.emu.control();
    c.generate_group(GroupType::Public, "@TGS#huge", 100_000).unwrap();
    let started = std::time::Instant::now();
    let v = h.member_info(gid("@TGS#huge")).await;
    assert_fail(&v, 10018);
    assert!(started.elapsed().as_secs() < 5, "the cap must abort early");
    // Even the largest Limit is too much with full profiles (~200 bytes each): as on the service.
    assert_fail(&h.member_info(json!({"GroupId": "@TGS#huge", "Limit": 6000})).await, 10018);
    // Paging with a smaller Limit works.
    let v = h.member_info(json!({"GroupId": "@TGS#huge", "Limit": 2000, "Offset": 98_000})).await;
    assert_ok(&v);
    assert_eq!(v["MemberNum"], 100_000);
    assert_eq!(accounts(&v).len(), 2_000);
    assert_eq!(accounts(&v)[1999], "user099999");
    // Big custom data trips it even with a small Limit.
    let mut g = timadmin_emulator::Group::generated(GroupType::Public, "@TGS#fat", 3);
    for m in &mut g.member_list {
        m.app_member_defined_data.push(timadmin_emulator::KeyValue::new("blob", "x".repeat(400_000)));
    }
    c.add_group(g).unwrap();
    assert_fail(&h.member_info(json!({"GroupId": "@TGS#fat", "Limit": 3})).await, 10018);
    assert_ok(&h.member_info(json!({"GroupId": "@TGS#fat", "Limit": 2})).await);
    assert_ok(&h.member_info(json!({"GroupId": "@TGS#fat", "Limit": 3, "AppDefinedDataFilter_GroupMember": []})).await);
}

#[tokio::test]
async fn response_cap_is_configurable() {
    let h = Harness::start(EmulatorConfig { max_response_bytes: 2_000, ..demo_config() }).await;
    h.emu.control().generate_group(GroupType::Public, "@TGS#mid", 100).unwrap();
    assert_fail(&h.member_info(gid("@TGS#mid")).await, 10018);
    assert_ok(&h.member_info(json!({"GroupId": "@TGS#mid", "Limit": 5})).await);
}
