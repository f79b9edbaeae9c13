//! Request envelope: routes, method, query parameters, UserSig and admin checks, body parsing.

mod common;

use std::sync::Arc;

use common::*;
use serde_json::json;
use timadmin::usersig::{FixedClock, Signer};
use timadmin_emulator::{EmulatorConfig, DEFAULT_KEY, DEFAULT_SDKAPPID};

const CMD: &str = "get_group_member_info";
const BODY: &str = r#"{"GroupId":"@TGS#2DEMOPUB"}"#;

#[tokio::test]
async fn valid_call_succeeds() {
    let h = Harness::demo().await;
    let v = h.post_raw(&h.url(CMD), BODY).await;
    assert_ok(&v);
    assert_eq!(v["MemberNum"], 5);
}

#[tokio::test]
async fn unknown_commands_are_10003_and_other_paths_60009() {
    let h = Harness::demo().await;
    // A command word the emulator does not serve, under the group service or another one, is
    // answered as the service does: HTTP 200, FAIL, 10003 (invalid command word).
    let other_service = format!("{}/v4/openim/sendmsg?x=1", h.emu.base_url());
    for url in [h.url("get_group_member_infos"), h.url("create_group"), other_service] {
        let resp = h.client.post(&url).body(BODY).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{url}");
        let v: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(v["ActionStatus"], "FAIL");
        let info = assert_fail(&v, 10003);
        assert!(info.contains("get_group_member_info"), "names what is served: {info}");
    }
    // Paths that are no command at all: 60009.
    for path in ["/", "/v4", "/v4/", "/v4/openim/", "/v4/a/b/c", "/v3/openim/sendmsg", "/v4/open-im/x"] {
        let url = format!("{}{path}", h.emu.base_url());
        assert_fail(&h.post_raw(&url, BODY).await, 60009);
    }
    let calls = h.emu.control().calls();
    assert_eq!(calls[0].error_code, Some(10003));
    assert_eq!(calls[2].command, "/v4/openim/sendmsg");
}

#[tokio::test]
async fn non_post_is_60002_with_http_200() {
    let h = Harness::demo().await;
    for method in [reqwest::Method::GET, reqwest::Method::PUT, reqwest::Method::DELETE] {
        let resp = h.client.request(method, h.url(CMD)).body(BODY).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        let v: serde_json::Value = resp.json().await.unwrap();
        assert_fail(&v, 60002);
    }
}

#[tokio::test]
async fn query_parameter_failures() {
    let h = Harness::demo().await;
    let (app, id, sig) = (h.emu.sdkappid(), h.emu.admin_identifier().to_owned(), h.sig.clone());
    let q = |s: &str| h.url_with(CMD, s);
    let cases: Vec<(String, i64)> = vec![
        // sdkappid
        (format!("identifier={id}&usersig={sig}&random=1&contenttype=json"), 60006),
        (format!("sdkappid=abc&identifier={id}&usersig={sig}&random=1&contenttype=json"), 60006),
        (format!("sdkappid=1400000001&identifier={id}&usersig={sig}&random=1&contenttype=json"), 60006),
        // identifier / usersig
        (format!("sdkappid={app}&usersig={sig}&random=1&contenttype=json"), 60004),
        (format!("sdkappid={app}&identifier=&usersig={sig}&random=1&contenttype=json"), 60004),
        (format!("sdkappid={app}&identifier={id}&random=1&contenttype=json"), 60004),
        // random
        (format!("sdkappid={app}&identifier={id}&usersig={sig}&contenttype=json"), 60002),
        (format!("sdkappid={app}&identifier={id}&usersig={sig}&random=4294967296&contenttype=json"), 60002),
        (format!("sdkappid={app}&identifier={id}&usersig={sig}&random=-1&contenttype=json"), 60002),
        (format!("sdkappid={app}&identifier={id}&usersig={sig}&random=abc&contenttype=json"), 60002),
        // contenttype
        (format!("sdkappid={app}&identifier={id}&usersig={sig}&random=1"), 60002),
        (format!("sdkappid={app}&identifier={id}&usersig={sig}&random=1&contenttype=xml"), 60002),
        // duplicates, bad encoding
        (format!("sdkappid={app}&sdkappid={app}&identifier={id}&usersig={sig}&random=1&contenttype=json"), 60002),
        (format!("sdkappid={app}&identifier=%zz&usersig={sig}&random=1&contenttype=json"), 60002),
    ];
    for (query, code) in cases {
        let v = h.post_raw(&q(&query), BODY).await;
        assert_eq!(v["ErrorCode"], code, "query {query}: {v}");
        assert_fail(&v, code);
    }
    // Edges of random that are valid.
    for r in ["0", "4294967295"] {
        let v = h
            .post_raw(&q(&format!("sdkappid={app}&identifier={id}&usersig={sig}&random={r}&contenttype=json")), BODY)
            .await;
        assert_ok(&v);
    }
}

#[tokio::test]
async fn usersig_failures_map_to_70xxx() {
    let h = Harness::demo().await;
    let app = h.emu.sdkappid();
    let admin = h.emu.admin_identifier().to_owned();
    let url_for = |sig: &str| {
        h.url_with(CMD, &format!("sdkappid={app}&identifier={admin}&usersig={sig}&random=5&contenttype=json"))
    };
    // Expired: issued long ago with a short lifetime.
    let old = Signer::with_clock(app, DEFAULT_KEY, Arc::new(FixedClock(1_600_000_000))).unwrap();
    let expired = old.sign(&admin, 60, None).unwrap();
    let info = assert_fail(&h.post_raw(&url_for(&expired), BODY).await, 70001);
    assert!(info.contains("expired"), "{info}");
    // Malformed.
    assert_fail(&h.post_raw(&url_for("not-a-usersig"), BODY).await, 70003);
    // Wrong key.
    let wrong_key = timadmin::usersig::generate(app, "another-key", &admin, 3600).unwrap();
    assert_fail(&h.post_raw(&url_for(&wrong_key), BODY).await, 70009);
    // Signed for another identifier.
    let other_id = timadmin::usersig::generate(app, DEFAULT_KEY, "someone", 3600).unwrap();
    assert_fail(&h.post_raw(&url_for(&other_id), BODY).await, 70013);
    // Signed for another app (query sdkappid is right).
    let other_app = timadmin::usersig::generate(app + 1, DEFAULT_KEY, &admin, 3600).unwrap();
    assert_fail(&h.post_raw(&url_for(&other_app), BODY).await, 70014);
}

#[tokio::test]
async fn non_admin_is_10007_and_admin_list_is_configurable() {
    let config = EmulatorConfig { admins: vec!["root".into(), "ops".into()], ..demo_config() };
    let h = Harness::start(config).await;
    assert_eq!(h.emu.admin_identifier(), "root");
    let app = h.emu.sdkappid();
    for (id, code) in [("alice", 10007), ("administrator", 10007), ("ops", 0), ("root", 0)] {
        let sig = timadmin::usersig::generate(app, DEFAULT_KEY, id, 3600).unwrap();
        let url = h.url_with(CMD, &format!("sdkappid={app}&identifier={id}&usersig={sig}&random=5&contenttype=json"));
        let v = h.post_raw(&url, BODY).await;
        assert_eq!(v["ErrorCode"], code, "{id}: {v}");
    }
}

#[tokio::test]
async fn body_must_be_a_json_object() {
    let h = Harness::demo().await;
    for body in ["", "{", "not json", "[1,2]", "\"GroupId\"", "null", "42"] {
        let v = h.post_raw(&h.url(CMD), body).await;
        assert_fail(&v, 60003);
    }
}

#[tokio::test]
async fn unknown_fields_are_rejected_by_name() {
    let h = Harness::demo().await;
    let cases = [
        ("get_group_member_info", json!({"GroupId": "@TGS#2DEMOPUB", "Limt": 10})),
        ("get_group_member_info", json!({"GroupID": "@TGS#2DEMOPUB"})),
        ("get_group_muted_account", json!({"GroupId": "@TGS#2DEMOPUB", "TopicID": "x"})),
        // (MuteAllMember, the newer name of ShutUpAllMember, is accepted: see muted_and_modify.)
        ("modify_group_base_info", json!({"GroupId": "@TGS#2DEMOPUB", "ShutupAllMember": "On"})),
    ];
    for (cmd, body) in cases {
        let bad = body.as_object().unwrap().keys().find(|k| *k != "GroupId").unwrap().clone();
        let info = assert_fail(&h.call(cmd, body.clone()).await, 10004);
        assert!(info.contains(&bad), "{cmd}: ErrorInfo {info:?} should name {bad}");
    }
    // Unknown field inside an AppDefinedData item.
    let v = h
        .call(
            "modify_group_base_info",
            json!({"GroupId": "@TGS#2DEMOPUB", "AppDefinedData": [{"Key": "a", "Vaule": "b"}]}),
        )
        .await;
    assert!(assert_fail(&v, 10004).contains("Vaule"));
}

#[tokio::test]
async fn wrong_types_and_nulls_are_10004() {
    let h = Harness::demo().await;
    let cases = [
        ("get_group_member_info", json!({"GroupId": 123})),
        ("get_group_member_info", json!({"GroupId": null})),
        ("get_group_member_info", json!({"GroupId": "@TGS#2DEMOPUB", "Limit": "10"})),
        ("get_group_member_info", json!({"GroupId": "@TGS#2DEMOPUB", "Limit": -1})),
        ("get_group_member_info", json!({"GroupId": "@TGS#2DEMOPUB", "Limit": 1.5})),
        ("get_group_member_info", json!({"GroupId": "@TGS#2DEMOPUB", "Offset": null})),
        ("get_group_member_info", json!({"GroupId": "@TGS#2DEMOPUB", "MemberInfoFilter": "Role"})),
        ("get_group_member_info", json!({"GroupId": "@TGS#2DEMOPUB", "MemberRoleFilter": [1]})),
        ("get_group_member_info", json!({"GroupId": "@TGS#2DEMOPUB", "AppDefinedDataFilter_GroupMember": {"a": 1}})),
        ("get_group_muted_account", json!({"GroupId": "@TGS#_demo", "TopicId": 5})),
        ("modify_group_base_info", json!({"GroupId": "@TGS#2DEMOPUB", "Name": 5})),
        ("modify_group_base_info", json!({"GroupId": "@TGS#2DEMOPUB", "MaxMemberNum": "500"})),
        ("modify_group_base_info", json!({"GroupId": "@TGS#2DEMOPUB", "AppDefinedData": {"Key": "a"}})),
        ("modify_group_base_info", json!({"GroupId": "@TGS#2DEMOPUB", "AppDefinedData": [{"Key": "a", "Value": 1}]})),
        ("modify_group_base_info", json!({"GroupId": "@TGS#2DEMOPUB", "AppDefinedData": [{"Key": "a"}]})),
        ("modify_group_base_info", json!({"GroupId": "@TGS#2DEMOPUB", "ShutUpAllMember": true})),
    ];
    for (cmd, body) in cases {
        let v = h.call(cmd, body.clone()).await;
        assert_eq!(v["ErrorCode"], 10004, "{cmd} {body}: {v}");
        assert_fail(&v, 10004);
    }
}

#[tokio::test]
async fn missing_empty_and_invalid_group_ids() {
    let h = Harness::demo().await;
    for cmd in ["get_group_member_info", "get_group_muted_account", "modify_group_base_info"] {
        assert_fail(&h.call(cmd, json!({})).await, 10004);
        assert_fail(&h.call(cmd, json!({"GroupId": ""})).await, 10015);
        assert_fail(&h.call(cmd, json!({"GroupId": "x".repeat(49)})).await, 10015);
        assert_fail(&h.call(cmd, json!({"GroupId": "@TGS#nope"})).await, 10010);
    }
}

#[tokio::test]
async fn defaults_match_the_documentation() {
    let c = EmulatorConfig::default();
    assert_eq!(c.sdkappid, DEFAULT_SDKAPPID);
    assert_eq!(c.sdkappid, 1_400_000_000);
    assert_eq!(c.key, "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e");
    assert_eq!(c.admins, vec!["administrator".to_owned()]);
    assert_eq!(c.rate_limit_per_sec, Some(200));
}

#[test]
fn start_blocking_serves_sync_callers() {
    let emu = timadmin_emulator::Emulator::start_blocking(demo_config()).unwrap();
    let url = emu.base_url();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let sig = timadmin::usersig::generate(emu.sdkappid(), emu.key(), emu.admin_identifier(), 600).unwrap();
    let full = format!(
        "{url}/v4/group_open_http_svc/{CMD}?sdkappid={}&identifier={}&usersig={sig}&random=1&contenttype=json",
        emu.sdkappid(),
        emu.admin_identifier()
    );
    let v: serde_json::Value =
        rt.block_on(async { client().post(&full).body(BODY).send().await.unwrap().json().await.unwrap() });
    assert_ok(&v);
    let control = emu.control();
    std::thread::spawn(move || assert!(control.group("@TGS#_demo").is_some())).join().unwrap();
    emu.stop();
    // After stop, the port no longer answers.
    let after = rt.block_on(async { client().post(&full).body(BODY).send().await });
    assert!(after.is_err(), "server still answering after stop");
}
