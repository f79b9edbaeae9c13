//! get_group_muted_account and modify_group_base_info.

mod common;

use common::*;
use serde_json::json;
use timadmin_emulator::MUTED_FOREVER;

#[tokio::test]
async fn muted_list_has_only_active_mutes_including_forever() {
    let h = Harness::demo().await;
    let v = h.call("get_group_muted_account", gid("@TGS#2DEMOPUB")).await;
    assert_ok(&v);
    assert_eq!(v["GroupId"], "@TGS#2DEMOPUB");
    // carol's mute (1458115189) has ended; peter is muted for good; tommy until 2100.
    assert_eq!(
        v["MutedAccountList"],
        json!([
            {"Member_Account": "peter", "MutedUntil": 4294967295u64},
            {"Member_Account": "tommy", "MutedUntil": 4102444800u64},
        ])
    );
    assert_eq!(v["MutedAccountList"][0]["MutedUntil"].as_u64(), Some(MUTED_FOREVER));
}

#[tokio::test]
async fn muted_list_for_every_group_type() {
    let h = Harness::demo().await;
    for (id, expected) in [
        ("@TGS#1DEMOWORK", json!([])),
        ("@TGS#1DEMOPRIV", json!([])),
        ("@TGS#3DEMOROOM", json!([{"Member_Account": "frank", "MutedUntil": 4294967295u64}])),
        ("@TGS#aDEMOLIVE", json!([{"Member_Account": "viewer1", "MutedUntil": 4294967295u64}])),
        ("@TGS#_demo", json!([{"Member_Account": "m2", "MutedUntil": 4294967295u64}])),
    ] {
        let v = h.call("get_group_muted_account", gid(id)).await;
        assert_ok(&v);
        assert_eq!(v["MutedAccountList"], expected, "{id}");
    }
    assert_fail(&h.call("get_group_muted_account", gid("@TGS#missing")).await, 10010);
}

#[tokio::test]
async fn topic_mutes() {
    let h = Harness::demo().await;
    let v =
        h.call("get_group_muted_account", json!({"GroupId": "@TGS#_demo", "TopicId": "@TGS#_demo@TOPIC#_news"})).await;
    assert_ok(&v);
    // m3's topic mute has ended.
    assert_eq!(v["MutedAccountList"], json!([{"Member_Account": "m1", "MutedUntil": 4294967295u64}]));
    let v =
        h.call("get_group_muted_account", json!({"GroupId": "@TGS#_demo", "TopicId": "@TGS#_demo@TOPIC#_chat"})).await;
    assert_ok(&v);
    assert_eq!(v["MutedAccountList"], json!([]));
    // Unknown topic, empty topic, topic on a non-community group.
    let v =
        h.call("get_group_muted_account", json!({"GroupId": "@TGS#_demo", "TopicId": "@TGS#_demo@TOPIC#_nope"})).await;
    assert!(assert_fail(&v, 10004).contains("@TOPIC#_nope"));
    assert_fail(&h.call("get_group_muted_account", json!({"GroupId": "@TGS#_demo", "TopicId": ""})).await, 10004);
    assert_fail(&h.call("get_group_muted_account", json!({"GroupId": "@TGS#2DEMOPUB", "TopicId": "t"})).await, 10004);
    // Generated communities have a topic with mutes too.
    h.emu.control().generate_community_group("@TGS#_gen", 3_000).unwrap();
    let v =
        h.call("get_group_muted_account", json!({"GroupId": "@TGS#_gen", "TopicId": "@TGS#_gen@TOPIC#_general"})).await;
    assert_eq!(v["MutedAccountList"].as_array().unwrap().len(), 3);
    let v = h.call("get_group_muted_account", gid("@TGS#_gen")).await;
    assert_eq!(v["MutedAccountList"].as_array().unwrap().len(), 6);
}

#[tokio::test]
async fn mutes_set_through_control_are_visible() {
    let h = Harness::demo().await;
    let soon = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 3600;
    let changed = h
        .emu
        .control()
        .update_group("@TGS#1DEMOWORK", |g| {
            if let Some(m) = g.member_list.iter_mut().find(|m| m.account == "dave") {
                m.mute_until = soon;
            }
        })
        .unwrap();
    assert!(changed);
    let v = h.call("get_group_muted_account", gid("@TGS#1DEMOWORK")).await;
    assert_eq!(v["MutedAccountList"], json!([{"Member_Account": "dave", "MutedUntil": soon}]));
    assert!(!h.emu.control().update_group("@TGS#none", |_| {}).unwrap());
    // Invalid edits are refused and leave the group unchanged.
    let err = h.emu.control().update_group("@TGS#1DEMOWORK", |g| g.member_list[1].role = "Boss".into());
    assert!(err.is_err());
    assert_eq!(h.emu.control().group("@TGS#1DEMOWORK").unwrap().member_list[1].role, "Member");
}

#[tokio::test]
async fn modify_applies_every_field() {
    let h = Harness::demo().await;
    let v = h
        .call(
            "modify_group_base_info",
            json!({
                "GroupId": "@TGS#2DEMOPUB",
                "Name": "NewName",
                "Introduction": "NewIntroduction",
                "Notification": "NewNotification",
                "FaceUrl": "http://this.is.new.face.url",
                "MaxMemberNum": 500,
                "ApplyJoinOption": "NeedPermission",
                "ShutUpAllMember": "On",
                "AppDefinedData": [
                    {"Key": "GroupTestData1", "Value": "NewData"},
                    {"Key": "GroupTestData2", "Value": ""},
                    {"Key": "GroupTestData3", "Value": "Added"}
                ]
            }),
        )
        .await;
    assert_ok(&v);
    let g = h.emu.control().group("@TGS#2DEMOPUB").unwrap();
    assert_eq!(g.name, "NewName");
    assert_eq!(g.introduction, "NewIntroduction");
    assert_eq!(g.notification, "NewNotification");
    assert_eq!(g.face_url, "http://this.is.new.face.url");
    assert_eq!(g.max_member_num, 500);
    assert_eq!(g.apply_join_option, "NeedPermission");
    assert_eq!(g.shut_up_all_member, "On");
    assert_eq!(g.app_defined("GroupTestData1"), Some("NewData"));
    assert_eq!(g.app_defined("GroupTestData2"), None, "empty Value deletes the key");
    assert_eq!(g.app_defined("GroupTestData3"), Some("Added"));
    // Also visible through the inspection route.
    let url = h.inspect_url("groups/%40TGS%232DEMOPUB");
    let snap: serde_json::Value = h.client.get(url).send().await.unwrap().json().await.unwrap();
    assert_eq!(snap["Name"], "NewName");
    assert_eq!(snap["ShutUpAllMember"], "On");
    // Only GroupId: OK, nothing changes.
    assert_ok(&h.call("modify_group_base_info", gid("@TGS#2DEMOPUB")).await);
    assert_eq!(h.emu.control().group("@TGS#2DEMOPUB").unwrap(), g);
}

#[tokio::test]
async fn modify_validations() {
    let h = Harness::demo().await;
    let id = "@TGS#2DEMOPUB";
    let before = h.emu.control().group(id).unwrap();
    let cases = [
        (json!({"Name": "x".repeat(31)}), "Name"),
        (json!({"Name": "é".repeat(16)}), "Name"), // 32 bytes, 16 characters
        (json!({"Name": ""}), "Name"),
        (json!({"Introduction": "x".repeat(241)}), "Introduction"),
        (json!({"Notification": "x".repeat(301)}), "Notification"),
        (json!({"FaceUrl": "x".repeat(101)}), "FaceUrl"),
        (json!({"ApplyJoinOption": "Free"}), "ApplyJoinOption"),
        (json!({"ShutUpAllMember": "on"}), "ShutUpAllMember"),
        (json!({"ShutUpAllMember": "True"}), "ShutUpAllMember"),
        (json!({"MuteAllMember": "on"}), "MuteAllMember"),
        (json!({"ShutUpAllMember": "On", "MuteAllMember": "Off"}), "disagree"),
        (json!({"MaxMemberNum": 0}), "MaxMemberNum"),
        (json!({"MaxMemberNum": 4}), "MaxMemberNum"), // the group has 5 members
        (json!({"AppDefinedData": [{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}]}), "\"a\""),
        (json!({"AppDefinedData": [{"Key": "", "Value": "1"}]}), "Key"),
        (json!({"AppDefinedData": ["a"]}), "AppDefinedData"),
        // A valid change next to an invalid one is not applied (all-or-nothing).
        (json!({"Notification": "ok", "FaceUrl": "x".repeat(101)}), "FaceUrl"),
    ];
    for (mut body, needle) in cases {
        body["GroupId"] = json!(id);
        let v = h.call("modify_group_base_info", body.clone()).await;
        let info = assert_fail(&v, 10004);
        assert!(info.contains(needle), "{body}: {info:?} should mention {needle}");
    }
    assert_eq!(h.emu.control().group(id).unwrap(), before, "failed calls change nothing");
    // Boundaries are accepted (byte lengths, multi-byte characters).
    let ok = json!({
        "GroupId": id,
        "Name": "é".repeat(15),
        "Introduction": "x".repeat(240),
        "Notification": "x".repeat(300),
        "FaceUrl": "x".repeat(100),
        "MaxMemberNum": 5,
        "ApplyJoinOption": "DisableApply",
        "ShutUpAllMember": "Off",
    });
    assert_ok(&h.call("modify_group_base_info", ok).await);
    assert_eq!(h.emu.control().group(id).unwrap().max_member_num, 5);
    assert_fail(&h.call("modify_group_base_info", json!({"GroupId": "@TGS#zzz", "Name": "n"})).await, 10010);
}

#[tokio::test]
async fn modify_works_for_every_group_type() {
    let h = Harness::demo().await;
    for id in ["@TGS#1DEMOWORK", "@TGS#1DEMOPRIV", "@TGS#3DEMOROOM", "@TGS#aDEMOLIVE", "@TGS#_demo"] {
        let v = h.call("modify_group_base_info", json!({"GroupId": id, "Notification": format!("hello {id}")})).await;
        assert_ok(&v);
        assert_eq!(h.emu.control().group(id).unwrap().notification, format!("hello {id}"));
    }
    // MaxMemberNum has no effect on AVChatRoom groups.
    let before = h.emu.control().group("@TGS#aDEMOLIVE").unwrap().max_member_num;
    assert_ok(&h.call("modify_group_base_info", json!({"GroupId": "@TGS#aDEMOLIVE", "MaxMemberNum": 1})).await);
    assert_eq!(h.emu.control().group("@TGS#aDEMOLIVE").unwrap().max_member_num, before);
}

#[tokio::test]
async fn concurrent_modifications_are_all_applied() {
    let h = std::sync::Arc::new(Harness::demo().await);
    let mut tasks = Vec::new();
    for i in 0..20 {
        let h = h.clone();
        tasks.push(tokio::spawn(async move {
            let body = json!({"GroupId": "@TGS#2DEMOPUB", "AppDefinedData": [{"Key": format!("k{i}"), "Value": "v"}]});
            h.call("modify_group_base_info", body).await
        }));
    }
    for t in tasks {
        assert_ok(&t.await.unwrap());
    }
    let g = h.emu.control().group("@TGS#2DEMOPUB").unwrap();
    assert_eq!(g.app_defined_data.len(), 22);
}

#[tokio::test]
async fn mute_all_member_is_the_newer_name_of_shut_up_all_member() {
    // Newer vendor pages, and SDKs written from them (doocs Java), send MuteAllMember.
    let h = Harness::demo().await;
    let id = "@TGS#2DEMOPUB";
    assert_ok(&h.call("modify_group_base_info", json!({"GroupId": id, "MuteAllMember": "On"})).await);
    assert_eq!(h.emu.control().group(id).unwrap().shut_up_all_member, "On");
    assert_ok(
        &h.call("modify_group_base_info", json!({"GroupId": id, "MuteAllMember": "Off", "ShutUpAllMember": "Off"}))
            .await,
    );
    assert_eq!(h.emu.control().group(id).unwrap().shut_up_all_member, "Off");
}
