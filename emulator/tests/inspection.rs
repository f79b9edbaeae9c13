//! Inspection routes, call log, fixtures, generation, reset, and the binary.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};
use timadmin_emulator::{EmulatorConfig, GroupType, DEMO_COMMUNITY_ID};

#[tokio::test]
async fn call_log_records_calls_but_never_the_usersig() {
    let h = Harness::demo().await;
    let url = h.url_with(
        "get_group_member_info",
        &format!(
            "sdkappid={}&identifier=administrator&usersig={}&random=4294967295&contenttype=json",
            h.emu.sdkappid(),
            h.sig
        ),
    );
    assert_ok(&h.post_raw(&url, r#"{"GroupId":"@TGS#2DEMOPUB","Limit":2}"#).await);
    assert_fail(&h.call("modify_group_base_info", json!({"GroupId": "@TGS#2DEMOPUB", "Name": ""})).await, 10004);
    assert_fail(&h.post_raw(&h.url("get_group_muted_account"), "not json").await, 60003);
    assert_fail(&h.post_raw(&h.url("nope"), "{}").await, 10003);

    let calls = h.emu.control().calls();
    assert_eq!(calls.len(), 4);
    let c = &calls[0];
    assert_eq!(c.command, "get_group_member_info");
    assert_eq!(c.method, "POST");
    assert_eq!(c.sdkappid, Some(1_400_000_000));
    assert_eq!(c.identifier.as_deref(), Some("administrator"));
    assert_eq!(c.random, Some(u32::MAX));
    assert_eq!(c.body, Some(json!({"GroupId": "@TGS#2DEMOPUB", "Limit": 2})));
    assert_eq!(c.error_code, Some(0));
    assert_eq!(c.http_status, 200);
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
    assert!(c.timestamp_ms <= now_ms && c.timestamp_ms + 60_000 > now_ms);
    assert_eq!(calls[1].command, "modify_group_base_info");
    assert_eq!(calls[1].error_code, Some(10004));
    assert_eq!(calls[2].body, None);
    assert_eq!(calls[2].error_code, Some(60003));
    assert_eq!(calls[3].command, "nope");
    assert_eq!(calls[3].error_code, Some(10003));

    // Over HTTP too, and the secret appears nowhere.
    let text = h.client.get(h.inspect_url("calls")).send().await.unwrap().text().await.unwrap();
    let listed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 4);
    assert_eq!(listed[0]["random"], 4294967295u64);
    assert!(!text.contains(&h.sig), "usersig leaked into the call log");
    assert!(!text.to_lowercase().contains("usersig"), "{text}");
    assert!(!format!("{calls:?}").contains(&h.sig));

    let r = h.client.delete(h.inspect_url("calls")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(h.emu.control().calls().is_empty());
}

#[tokio::test]
async fn call_log_is_bounded() {
    let h = Harness::start(EmulatorConfig { call_log_capacity: 3, ..demo_config() }).await;
    for i in 0..5 {
        h.call("get_group_muted_account", json!({"GroupId": format!("@TGS#{i}")})).await;
    }
    let calls = h.emu.control().calls();
    assert_eq!(calls.len(), 3);
    assert_eq!(calls[0].body, Some(json!({"GroupId": "@TGS#2"})));
}

#[tokio::test]
async fn group_routes() {
    let h = Harness::demo().await;
    let list: Value = h.client.get(h.inspect_url("groups")).send().await.unwrap().json().await.unwrap();
    let ids: Vec<&str> = list.as_array().unwrap().iter().map(|g| g["GroupId"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        ["@TGS#1DEMOPRIV", "@TGS#1DEMOWORK", "@TGS#2DEMOPUB", "@TGS#3DEMOROOM", "@TGS#_demo", "@TGS#aDEMOLIVE"]
    );
    assert_eq!(list[2]["MemberNum"], 5);
    assert_eq!(list[2]["Type"], "Public");

    let g: Value = h.client.get(h.inspect_url("groups/%40TGS%23_demo")).send().await.unwrap().json().await.unwrap();
    assert_eq!(g["Type"], "Community");
    assert_eq!(g["Topics"][0]["TopicId"], "@TGS#_demo@TOPIC#_news");
    let missing = h.client.get(h.inspect_url("groups/%40TGS%23none")).send().await.unwrap();
    assert_eq!(missing.status(), 404);

    // Seed one group over HTTP; it is then served by the REST API.
    let group = json!({
        "GroupId": "@TGS#http", "Type": "Meeting", "Name": "via http",
        "MemberList": [{"Member_Account": "x", "Role": "Owner"}, {"Member_Account": "y", "MuteUntil": 4294967295u64}]
    });
    let r = h.client.post(h.inspect_url("groups")).json(&group).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v = h.member_info(gid("@TGS#http")).await;
    assert_eq!(accounts(&v), ["x", "y"]);
    assert_eq!(v["MemberList"][1]["Role"], "Member");
    assert_eq!(h.emu.control().group("@TGS#http").unwrap().max_member_num, 10_000);
    // Invalid groups are refused with a reason.
    let bad = json!({"GroupId": "@TGS#bad", "Type": "Public", "MemberList": [{"Member_Account": "x", "Rol": "Owner"}]});
    let r = h.client.post(h.inspect_url("groups")).json(&bad).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("Rol"));
    let bad = json!({"GroupId": "@TGS#notcommunity", "Type": "Community"});
    assert_eq!(h.client.post(h.inspect_url("groups")).json(&bad).send().await.unwrap().status(), 400);

    // Whole fixture and generation over HTTP.
    let fixture =
        json!({"Groups": [{"GroupId": "@TGS#f1", "Type": "Private"}, {"GroupId": "@TGS#f2", "Type": "Work"}]});
    assert_eq!(h.client.post(h.inspect_url("seed")).json(&fixture).send().await.unwrap().status(), 200);
    let gen = json!({"GroupId": "@TGS#_gen", "Type": "Community", "Members": 321});
    assert_eq!(h.client.post(h.inspect_url("generate")).json(&gen).send().await.unwrap().status(), 200);
    assert_eq!(h.emu.control().group("@TGS#_gen").unwrap().member_list.len(), 321);
    assert!(h.emu.control().group("@TGS#f2").is_some());

    let info: Value = h.client.get(h.inspect_url("info")).send().await.unwrap().json().await.unwrap();
    assert_eq!(info["base_url"], h.emu.base_url());
    assert_eq!(info["sdkappid"], 1_400_000_000u64);
    assert_eq!(info["identifier"], "administrator");
    assert_eq!(h.client.get(h.inspect_url("nope")).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn reset_restores_the_start_state() {
    let h = Harness::start(EmulatorConfig { rate_limit_per_sec: Some(100), ..demo_config() }).await;
    let c = h.emu.control();
    let before = c.group("@TGS#2DEMOPUB").unwrap();
    assert_ok(&h.call("modify_group_base_info", json!({"GroupId": "@TGS#2DEMOPUB", "Name": "changed"})).await);
    c.generate_group(GroupType::Public, "@TGS#extra", 10).unwrap();
    c.inject_fault(timadmin_emulator::Fault::new(timadmin_emulator::FaultKind::TruncatedBody));
    c.set_rate_limit(None);
    let r = h.client.post(h.inspect_url("reset")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(c.group("@TGS#2DEMOPUB").unwrap(), before);
    assert!(c.group("@TGS#extra").is_none());
    assert!(c.faults().is_empty());
    assert!(c.calls().is_empty());
    assert_eq!(c.rate_limit(), Some(100));
    assert!(c.remove_group("@TGS#2DEMOPUB"));
    c.reset();
    assert!(c.group("@TGS#2DEMOPUB").is_some());
}

#[tokio::test]
async fn demo_fixture_loads_through_the_library_api() {
    let h = Harness::start(EmulatorConfig { rate_limit_per_sec: None, ..EmulatorConfig::default() }).await;
    let c = h.emu.control();
    assert!(c.group_ids().is_empty());
    c.seed_file(&demo_fixture()).unwrap();
    let types: Vec<GroupType> = c.group_ids().iter().map(|id| c.group(id).unwrap().group_type).collect();
    for t in [
        GroupType::Public,
        GroupType::Work,
        GroupType::Private,
        GroupType::ChatRoom,
        GroupType::AVChatRoom,
        GroupType::Community,
    ] {
        assert!(types.contains(&t), "{t} missing from demo.json");
    }
    let public = c.group("@TGS#2DEMOPUB").unwrap();
    assert!(public.member_list.iter().any(|m| m.mute_until == 4_294_967_295));
    assert!(public.member_list.iter().any(|m| !m.app_member_defined_data.is_empty()));
    assert!(!c.group("@TGS#_demo").unwrap().topics.is_empty());
    // Bad fixtures are refused whole.
    assert!(c
        .seed_json(r#"{"Groups":[{"GroupId":"@TGS#ok","Type":"Public"},{"GroupId":"","Type":"Public"}]}"#)
        .is_err());
    assert!(c.group("@TGS#ok").is_none());
    assert!(c.seed_json("[]").is_err());
    assert!(c.seed_file(std::path::Path::new("/nonexistent/fixture.json")).is_err());
    assert!(c.generate_community_group("@TGS#nounderscore", 5).is_err());
}

#[tokio::test]
async fn generating_100k_members_is_fast() {
    let h = Harness::demo().await;
    let c = h.emu.control();
    let started = Instant::now();
    c.generate_community_group("@TGS#_100k", 100_000).unwrap();
    c.generate_group(GroupType::Public, "@TGS#100k", 100_000).unwrap();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "generation took {took:?}");
    let v = h.member_info(json!({"GroupId": "@TGS#_100k", "Next": "", "Limit": 100})).await;
    assert_eq!(v["MemberNum"], 100_000);
    assert_eq!(accounts(&v).len(), 100);
    let g = c.group("@TGS#100k").unwrap();
    assert_eq!(g.member_list.len(), 100_000);
    assert_eq!(g.member_list[99_999].account, "user099999");
}

#[tokio::test]
async fn community_members_option_generates_the_demo_community() {
    let h = Harness::start(EmulatorConfig { community_members: Some(1_234), ..demo_config() }).await;
    let g = h.emu.control().group(DEMO_COMMUNITY_ID).unwrap();
    assert_eq!(g.member_list.len(), 1_234);
    assert_eq!(g.group_type, GroupType::Community);
}

#[tokio::test]
async fn bad_configs_are_refused() {
    assert!(timadmin_emulator::Emulator::start(EmulatorConfig { key: String::new(), ..EmulatorConfig::default() })
        .await
        .is_err());
    assert!(timadmin_emulator::Emulator::start(EmulatorConfig { sdkappid: 0, ..EmulatorConfig::default() })
        .await
        .is_err());
    assert!(timadmin_emulator::Emulator::start(EmulatorConfig { admins: vec![], ..EmulatorConfig::default() })
        .await
        .is_err());
    let bad_seed = EmulatorConfig { seed_json: Some("{".into()), ..EmulatorConfig::default() };
    assert!(timadmin_emulator::Emulator::start(bad_seed).await.is_err());
}

/// Kills the child on drop so a failing test does not leak the server.
struct Child(std::process::Child);
impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn binary_prints_a_ready_line_and_serves() {
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_timadmin-emulator"))
            .args(["--seed", demo_fixture().to_str().unwrap(), "--community-members", "150", "--no-rate-limit"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap(),
    );
    let stdout = child.0.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    })
    .await
    .unwrap()
    .unwrap();
    let ready: Value = serde_json::from_str(line.trim()).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    let base = ready["base_url"].as_str().unwrap().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert_eq!(ready["sdkappid"], 1_400_000_000u64);
    assert_eq!(ready["identifier"], "administrator");
    let key = ready["key"].as_str().unwrap();
    let sig = timadmin::usersig::generate(1_400_000_000, key, "administrator", 600).unwrap();
    let url = format!(
        "{base}/v4/group_open_http_svc/get_group_member_info?sdkappid=1400000000&identifier=administrator&usersig={sig}&random=1&contenttype=json"
    );
    let v: Value =
        client().post(&url).body(r#"{"GroupId":"@TGS#_demo","Next":""}"#).send().await.unwrap().json().await.unwrap();
    assert_ok(&v);
    assert_eq!(v["MemberNum"], 150);
    let v: Value =
        client().post(&url).body(r#"{"GroupId":"@TGS#2DEMOPUB"}"#).send().await.unwrap().json().await.unwrap();
    assert_eq!(v["MemberNum"], 5);

    // SIGTERM ends it cleanly.
    #[cfg(unix)]
    {
        let pid = child.0.id().to_string();
        let status = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = child.0.try_wait().unwrap() {
                assert!(status.success(), "exit status {status}");
                break;
            }
            assert!(Instant::now() < deadline, "emulator did not exit on SIGTERM");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

#[test]
fn binary_rejects_bad_arguments() {
    let out = Command::new(env!("CARGO_BIN_EXE_timadmin-emulator")).args(["--port", "notaport"]).output().unwrap();
    assert!(!out.status.success());
    let out = Command::new(env!("CARGO_BIN_EXE_timadmin-emulator"))
        .args(["--seed", "/nonexistent/seed.json"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("seed.json"));
}
