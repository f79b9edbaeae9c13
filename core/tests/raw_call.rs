//! The raw call (`Client::call`, `BlockingClient::call`) against the emulator: the three typed
//! endpoints called raw answer as the typed calls do, an unknown command is the service's 10003,
//! the command-path vectors (`tests/vectors/commands.json`) are refused before anything is sent,
//! and a raw call of a typed endpoint's command shares that endpoint's rate budget.

#[path = "support/test_config.rs"]
mod test_config;

use std::path::PathBuf;

use serde_json::{json, Value};
use test_config::{new_blocking, new_client, TestConfig};
use timadmin::{
    ApiErrorKind, Client, Error, GetGroupMemberInfoRequest, GetGroupMutedAccountRequest, ModifyGroupBaseInfoRequest,
};
use timadmin_emulator::{Emulator, EmulatorConfig};

const GROUP: &str = "@TGS#2DEMOPUB";
const MUTED_GROUP: &str = "@TGS#_demo";
const TOPIC: &str = "@TGS#_demo@TOPIC#_news";

fn demo_fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../emulator/fixtures/demo.json")
}

async fn emulator(rate_limit_per_sec: Option<u32>) -> Emulator {
    Emulator::start(EmulatorConfig { seed_file: Some(demo_fixture()), rate_limit_per_sec, ..Default::default() })
        .await
        .unwrap()
}

fn config(emu: &Emulator) -> TestConfig {
    TestConfig::secret_key(emu.sdkappid(), emu.key()).with_base_url(&emu.base_url()).unwrap()
}

fn vectors() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/commands.json");
    let text = std::fs::read_to_string(path).expect("tests/vectors/commands.json");
    let doc: Value = serde_json::from_str(&text).expect("commands.json is JSON");
    doc["cases"].as_array().expect("cases").clone()
}

/// Accounts and roles of a raw `MemberList` (the service's `"Member "` spelling, which the typed
/// `Role` reads as `Member`, trimmed).
fn accounts_and_roles(list: &Value) -> Vec<(String, Option<String>)> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|m| (m["Member_Account"].as_str().unwrap().to_owned(), m["Role"].as_str().map(|r| r.trim().to_owned())))
        .collect()
}

#[tokio::test]
async fn the_typed_endpoints_called_raw_answer_as_the_typed_calls() {
    let emu = emulator(None).await;
    let client = new_client(config(&emu)).unwrap();

    let typed = client.get_group_member_info(&GetGroupMemberInfoRequest::new(GROUP)).await.unwrap();
    let raw = client.call("group_open_http_svc/get_group_member_info", &json!({"GroupId": GROUP})).await.unwrap();
    assert_eq!((raw["ActionStatus"].as_str(), raw["ErrorCode"].as_i64()), (Some("OK"), Some(0)), "{raw}");
    assert_eq!(raw["MemberNum"].as_u64(), Some(typed.member_num));
    let typed_members: Vec<_> = typed
        .member_list
        .iter()
        .map(|m| (m.member_account.clone(), m.role.as_ref().map(|r| r.as_str().to_owned())))
        .collect();
    assert!(!typed_members.is_empty());
    assert_eq!(accounts_and_roles(&raw["MemberList"]), typed_members);

    let mut muted_request = GetGroupMutedAccountRequest::new(MUTED_GROUP);
    muted_request.topic_id = Some(TOPIC.into());
    let typed = client.get_group_muted_account(&muted_request).await.unwrap();
    let raw = client
        .call("group_open_http_svc/get_group_muted_account", &json!({"GroupId": MUTED_GROUP, "TopicId": TOPIC}))
        .await
        .unwrap();
    let raw_muted: Vec<(String, u64)> = raw["MutedAccountList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["Member_Account"].as_str().unwrap().to_owned(), m["MutedUntil"].as_u64().unwrap()))
        .collect();
    let typed_muted: Vec<_> =
        typed.muted_account_list.iter().map(|m| (m.member_account.clone(), m.muted_until)).collect();
    assert!(!typed_muted.is_empty());
    assert_eq!(raw_muted, typed_muted);

    // modify: the raw call's effect, read back, is the typed call's.
    let answer = client
        .call("group_open_http_svc/modify_group_base_info", &json!({"GroupId": GROUP, "Name": "raw name"}))
        .await
        .unwrap();
    assert_eq!(answer["ActionStatus"], "OK");
    assert_eq!(emu.control().group(GROUP).unwrap().name, "raw name");
    let mut modify = ModifyGroupBaseInfoRequest::new(GROUP);
    modify.name = Some("typed name".into());
    client.modify_group_base_info(&modify).await.unwrap();
    assert_eq!(emu.control().group(GROUP).unwrap().name, "typed name");

    // The requests went to the typed endpoints' paths.
    let commands: Vec<String> = emu.control().calls().into_iter().map(|c| c.command).collect();
    let expected = [
        "get_group_member_info",
        "get_group_member_info",
        "get_group_muted_account",
        "get_group_muted_account",
        "modify_group_base_info",
        "modify_group_base_info",
    ];
    assert_eq!(commands, expected);
}

#[tokio::test]
async fn service_errors_are_the_typed_errors() {
    let emu = emulator(None).await;
    let client = new_client(config(&emu)).unwrap();
    let e = client.call("openim/sendmsg", &json!({"From_Account": "a"})).await.unwrap_err();
    assert!(matches!(e, Error::Api { code: 10003, kind: ApiErrorKind::InvalidCommand, .. }), "{e:?}");
    let calls = emu.control().calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].command, "/v4/openim/sendmsg");
    // The same error as a typed call for the same failure.
    let e = client.call("group_open_http_svc/get_group_member_info", &json!({"GroupId": "@TGS#nope"})).await;
    let typed = client.get_group_member_info(&GetGroupMemberInfoRequest::new("@TGS#nope")).await;
    match (e, typed) {
        (Err(Error::Api { code, kind, .. }), Err(Error::Api { code: c2, kind: k2, .. })) => {
            assert_eq!((code, kind), (c2, k2));
            assert_eq!(kind, ApiErrorKind::GroupNotFound);
        }
        other => panic!("{other:?}"),
    }
    // The stats count a raw call under the command's name: the word for the group service (with
    // the typed calls of that command), the path for the others.
    let stats: Value = serde_json::from_str(&client.stats_json()).unwrap();
    assert_eq!(stats["commands"]["openim/sendmsg"]["calls"], 1, "{stats}");
    assert_eq!(stats["commands"]["openim/sendmsg"]["ok"], 0, "{stats}");
    assert_eq!(stats["commands"]["get_group_member_info"]["calls"], 2, "{stats}");
}

#[test]
fn the_blocking_client_calls_raw() {
    let emu =
        Emulator::start_blocking(EmulatorConfig { seed_file: Some(demo_fixture()), ..Default::default() }).unwrap();
    let client = new_blocking(config(&emu)).unwrap();
    let answer = client.call("group_open_http_svc/get_group_member_info", &json!({"GroupId": GROUP})).unwrap();
    assert_eq!(answer["MemberNum"].as_u64(), Some(emu.control().group(GROUP).unwrap().member_list.len() as u64));
    let e = client.call("openim/sendmsg", &json!({})).unwrap_err();
    assert_eq!(e.code(), Some(10003));
}

#[tokio::test]
async fn command_vectors() {
    let emu = emulator(None).await;
    let client = new_client(config(&emu)).unwrap();
    for case in vectors() {
        let command = case["command"].as_str().unwrap();
        emu.control().clear_calls();
        let result = client.call(command, &json!({})).await;
        if case["valid"].as_bool().unwrap() {
            // Sent, answered by the emulator (a success or the service's error).
            assert!(matches!(result, Ok(_) | Err(Error::Api { .. })), "{command:?}: {result:?}");
            assert_eq!(emu.control().calls().len(), 1, "{command:?} was sent once");
        } else {
            let field = case["error"].as_str().unwrap();
            assert!(
                matches!(result, Err(Error::InvalidArgument { field: ref f, .. }) if f == field),
                "{command:?}: {result:?}"
            );
            assert!(emu.control().calls().is_empty(), "{command:?} reached the network");
        }
    }
    // A body that is not an object is refused too, before the network.
    emu.control().clear_calls();
    for body in [json!([]), json!("x"), json!(null), json!(1)] {
        let e = client.call("openim/sendmsg", &body).await.unwrap_err();
        assert!(matches!(e, Error::InvalidArgument { ref field, .. } if field == "body"), "{body}: {e:?}");
    }
    assert!(emu.control().calls().is_empty());
}

#[tokio::test]
async fn a_success_answer_without_the_envelope_is_refused() {
    // A non-service server answering 200 with JSON that lacks ActionStatus/ErrorCode.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut s, _)) = listener.accept().await {
            let mut buf = vec![0u8; 8192];
            let _ = s.read(&mut buf).await;
            let body = r#"{"Result":"fine"}"#;
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = s.write_all(reply.as_bytes()).await;
        }
    });
    let client: Client =
        new_client(TestConfig::secret_key(1400000000, "k").with_base_url(&format!("http://{addr}")).unwrap()).unwrap();
    let e = client.call("openim/sendmsg", &json!({})).await.unwrap_err();
    assert!(matches!(e, Error::Decode { ref reason, .. } if reason.contains("ActionStatus")), "{e:?}");
}

/// The most arrivals in any half-open window `[t, t + 1 s)`.
fn busiest_second(stamps_us: &[u64]) -> usize {
    let mut stamps = stamps_us.to_vec();
    stamps.sort_unstable();
    let (mut best, mut lo) = (0, 0);
    for (hi, &t) in stamps.iter().enumerate() {
        while stamps[lo] + 1_000_000 <= t {
            lo += 1;
        }
        best = best.max(hi - lo + 1);
    }
    best
}

#[test]
fn a_raw_call_shares_the_typed_calls_rate_budget() {
    const RATE: u32 = 5;
    // The emulator on its own runtime, counting (its own limit off); the client at 5/s.
    let emu =
        Emulator::start_blocking(EmulatorConfig { seed_file: Some(demo_fixture()), ..Default::default() }).unwrap();
    emu.control().set_rate_limit(None);
    let client = new_blocking(config(&emu).with_rate_limit(Some(f64::from(RATE))).with_max_in_flight(32)).unwrap();
    let results: Vec<bool> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..16)
            .map(|i| {
                let client = &client;
                scope.spawn(move || {
                    if i % 2 == 0 {
                        client.get_group_member_info(&GetGroupMemberInfoRequest::new(GROUP)).is_ok()
                    } else {
                        client.call("group_open_http_svc/get_group_member_info", &json!({"GroupId": GROUP})).is_ok()
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(results.iter().all(|&ok| ok), "{results:?}");
    let arrivals = emu.control().arrivals("get_group_member_info");
    assert_eq!(arrivals.len(), 16);
    let busiest = busiest_second(&arrivals);
    println!("16 interleaved typed and raw calls at {RATE}/s: busiest one-second window {busiest}");
    assert!(busiest <= RATE as usize, "{busiest} calls of one command within a second");
}
