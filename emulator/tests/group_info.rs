//! get_group_info: base info and custom data of every group type, the response filters, an
//! unknown group as a per-group 10010 inside an OK answer, and its own rate budget.

mod common;

use common::*;
use serde_json::{json, Value};
use timadmin_emulator::EmulatorConfig;

const ALL_GROUPS: [(&str, &str, &str); 6] = [
    ("@TGS#2DEMOPUB", "Public", "bob"),
    ("@TGS#1DEMOWORK", "Work", "bob"),
    ("@TGS#1DEMOPRIV", "Private", "alice"),
    ("@TGS#3DEMOROOM", "ChatRoom", "carol"),
    ("@TGS#aDEMOLIVE", "AVChatRoom", "streamer"),
    ("@TGS#_demo", "Community", "owner"),
];

fn info(v: &Value) -> &Vec<Value> {
    v["GroupInfo"].as_array().unwrap_or_else(|| panic!("no GroupInfo list: {v}"))
}

#[tokio::test]
async fn every_group_type_without_a_filter_has_every_base_field_and_its_custom_data() {
    let h = Harness::demo().await;
    let ids: Vec<&str> = ALL_GROUPS.iter().map(|g| g.0).collect();
    let v = h.call("get_group_info", json!({"GroupIdList": ids})).await;
    assert_ok(&v);
    let groups = info(&v);
    assert_eq!(groups.len(), ALL_GROUPS.len());
    for (g, (id, kind, owner)) in groups.iter().zip(ALL_GROUPS) {
        assert_eq!(g["GroupId"], id, "{g}");
        assert_eq!(g["ErrorCode"], 0, "{g}");
        assert_eq!(g["Type"], kind, "{g}");
        assert_eq!(g["Owner_Account"], owner, "{g}");
        for text in ["Name", "Introduction", "Notification", "FaceUrl"] {
            assert!(g[text].is_string(), "{text} of {g}");
        }
        assert!(g["MemberNum"].as_u64().is_some_and(|n| n > 0), "{g}");
        // An AVChatRoom has no member cap: 0.
        assert!(g["MaxMemberNum"].as_u64().is_some_and(|n| n > 0 || kind == "AVChatRoom"), "{g}");
        assert!(["FreeAccess", "NeedPermission", "DisableApply"].contains(&g["ApplyJoinOption"].as_str().unwrap()));
        assert!(["On", "Off"].contains(&g["ShutUpAllMember"].as_str().unwrap()), "{g}");
        assert!(g["AppDefinedData"].is_array(), "{g}");
    }
    let public = &groups[0];
    assert_eq!(public["Name"], "Demo public group");
    assert_eq!(public["Notification"], "Welcome!");
    assert_eq!(public["FaceUrl"], "https://example.invalid/face/public.png");
    assert_eq!(public["MaxMemberNum"], 2000);
    assert_eq!(public["MemberNum"], 5);
    assert_eq!(public["ApplyJoinOption"], "FreeAccess");
    assert_eq!(
        public["AppDefinedData"],
        json!([{"Key": "GroupTestData1", "Value": "Data1"}, {"Key": "GroupTestData2", "Value": "Data2"}])
    );
    assert_eq!(groups[1]["ApplyJoinOption"], "NeedPermission", "the default");
    assert_eq!(groups[1]["ShutUpAllMember"], "Off", "the default");
}

#[tokio::test]
async fn filters_choose_the_base_fields_and_custom_keys() {
    let h = Harness::demo().await;
    let v = h
        .call(
            "get_group_info",
            json!({"GroupIdList": ["@TGS#2DEMOPUB"], "ResponseFilter": {
                "GroupBaseInfoFilter": ["Name", "ShutUpAllMember"],
                "AppDefinedDataFilter_Group": ["GroupTestData2", "NoSuchKey"]}}),
        )
        .await;
    assert_ok(&v);
    assert_eq!(
        info(&v)[0],
        json!({"GroupId": "@TGS#2DEMOPUB", "ErrorCode": 0, "ErrorInfo": "", "Name": "Demo public group",
               "ShutUpAllMember": "Off", "AppDefinedData": [{"Key": "GroupTestData2", "Value": "Data2"}]})
    );
    // Only base fields asked: no custom data; the member filters are accepted.
    let v = h
        .call(
            "get_group_info",
            json!({"GroupIdList": ["@TGS#2DEMOPUB"], "ResponseFilter": {
                "GroupBaseInfoFilter": ["MaxMemberNum"], "MemberInfoFilter": ["Role"]}}),
        )
        .await;
    assert_ok(&v);
    assert_eq!(info(&v)[0], json!({"GroupId": "@TGS#2DEMOPUB", "ErrorCode": 0, "ErrorInfo": "", "MaxMemberNum": 2000}));
    // Custom keys the group does not hold: an empty list (so a deleted key reads as absent).
    let v = h
        .call(
            "get_group_info",
            json!({"GroupIdList": ["@TGS#2DEMOPUB"], "ResponseFilter": {
                "GroupBaseInfoFilter": [], "AppDefinedDataFilter_Group": ["NoSuchKey"]}}),
        )
        .await;
    assert_eq!(info(&v)[0]["AppDefinedData"], json!([]));
    // Bad bodies are 10004, naming what is wrong.
    for bad in [
        json!({}),
        json!({"GroupIdList": []}),
        json!({"GroupIdList": "@TGS#2DEMOPUB"}),
        json!({"GroupIdList": [1]}),
        json!({"GroupIdList": vec!["@TGS#2DEMOPUB"; 51]}),
        json!({"GroupIdList": ["@TGS#2DEMOPUB"], "Filter": {}}),
        json!({"GroupIdList": ["@TGS#2DEMOPUB"], "ResponseFilter": []}),
        json!({"GroupIdList": ["@TGS#2DEMOPUB"], "ResponseFilter": {"GroupBaseInfoFiltr": ["Name"]}}),
        json!({"GroupIdList": ["@TGS#2DEMOPUB"], "ResponseFilter": {"GroupBaseInfoFilter": "Name"}}),
    ] {
        assert_fail(&h.call("get_group_info", bad.clone()).await, 10004);
    }
}

#[tokio::test]
async fn an_unknown_group_is_10010_inside_an_ok_answer() {
    let h = Harness::demo().await;
    let v = h.call("get_group_info", json!({"GroupIdList": ["@TGS#missing", "@TGS#1DEMOWORK"]})).await;
    assert_ok(&v);
    let groups = info(&v);
    assert_eq!(groups[0]["GroupId"], "@TGS#missing");
    assert_eq!(groups[0]["ErrorCode"], 10010);
    assert!(groups[0].get("Name").is_none(), "{}", groups[0]);
    assert_eq!(groups[1]["ErrorCode"], 0);
    assert_eq!(groups[1]["Name"], "Demo work group");
    let calls = h.emu.control().calls();
    assert_eq!(calls.last().map(|c| (c.command.as_str(), c.error_code)), Some(("get_group_info", Some(0))));
}

#[tokio::test]
async fn a_modification_shows_in_the_next_read() {
    let h = Harness::demo().await;
    let modify = json!({"GroupId": "@TGS#1DEMOWORK", "Name": "renamed", "MaxMemberNum": 300, "MuteAllMember": "On",
                        "ApplyJoinOption": "DisableApply", "AppDefinedData": [{"Key": "k", "Value": "v"}]});
    assert_ok(&h.call("modify_group_base_info", modify).await);
    let v = h.call("get_group_info", json!({"GroupIdList": ["@TGS#1DEMOWORK"]})).await;
    let g = &info(&v)[0];
    assert_eq!(
        (&g["Name"], &g["MaxMemberNum"], &g["ShutUpAllMember"], &g["ApplyJoinOption"], &g["AppDefinedData"]),
        (&json!("renamed"), &json!(300), &json!("On"), &json!("DisableApply"), &json!([{"Key": "k", "Value": "v"}]))
    );
    // An empty value deletes the key.
    let delete = json!({"GroupId": "@TGS#1DEMOWORK", "AppDefinedData": [{"Key": "k", "Value": ""}]});
    assert_ok(&h.call("modify_group_base_info", delete).await);
    let v = h.call("get_group_info", json!({"GroupIdList": ["@TGS#1DEMOWORK"]})).await;
    assert_eq!(info(&v)[0]["AppDefinedData"], json!([]));
}

#[tokio::test]
async fn get_group_info_has_its_own_rate_budget() {
    let h = Harness::start(EmulatorConfig { rate_limit_per_sec: Some(2), ..demo_config() }).await;
    let read = json!({"GroupIdList": ["@TGS#1DEMOWORK"]});
    // Spend the modify budget: the first read is still accepted (a bucket of its own).
    for _ in 0..4 {
        h.call("modify_group_base_info", json!({"GroupId": "@TGS#1DEMOWORK", "Name": "n"})).await;
    }
    assert_ok(&h.call("get_group_info", read.clone()).await);
    // Many reads at once: the limit applies to get_group_info too (60007 beyond 2 a second).
    let started = std::time::Instant::now();
    let replies = futures::future::join_all((0..20).map(|_| h.call("get_group_info", read.clone()))).await;
    let accepted = replies.iter().filter(|v| v["ErrorCode"] == 0).count();
    let limited = replies.iter().filter(|v| v["ErrorCode"] == 60007).count();
    assert_eq!(accepted + limited, 20);
    let seconds = started.elapsed().as_secs() as usize + 1;
    assert!(limited > 0 && accepted <= 2 * seconds, "{accepted} accepted, {limited} limited in {seconds} s");
}
