//! End-to-end tests: the core speaking HTTP over loopback to the emulator (and, where the
//! emulator cannot misbehave the needed way, to a tiny scripted server).

#[path = "support/captured_logs.rs"]
mod captured_logs;

#[path = "support/test_config.rs"]
mod test_config;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use captured_logs::CapturedLogs;
use futures::TryStreamExt;
use test_config::{new_blocking, new_client, TestConfig};
use timadmin::usersig::{self, Signer};
use timadmin::{
    AppDefinedDataUpdate, ApplyJoinOption, Client, Endpoint, Error, GetGroupMemberInfoRequest,
    GetGroupMutedAccountRequest, ModifyGroupBaseInfoRequest, PageOptions, PagingMode, RetryPolicy, Role,
};
use timadmin_emulator::{Emulator, EmulatorConfig, Fault, FaultKind};

const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

fn demo_fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../emulator/fixtures/demo.json")
}

async fn emulator() -> Emulator {
    Emulator::start(EmulatorConfig { seed_file: Some(demo_fixture()), ..Default::default() }).await.unwrap()
}

fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(50),
        rate_limited_backoff: Duration::from_millis(50),
    }
}

fn config(emu: &Emulator) -> TestConfig {
    TestConfig::secret_key(emu.sdkappid(), emu.key())
        .with_base_url(&emu.base_url())
        .unwrap()
        .with_retry(fast_retries(3))
}

fn client(emu: &Emulator) -> Client {
    new_client(config(emu)).unwrap()
}

/// Every error shown to a user must be free of the key and of any UserSig.
fn assert_secret_free(e: &Error, secrets: &[&str]) {
    let shown = format!("{e} | {e:?}");
    for s in secrets.iter().chain([&KEY]) {
        assert!(!s.is_empty() && !shown.contains(s), "secret leaked in {shown}");
    }
    assert!(!shown.contains("usersig="), "URL query leaked in {shown}");
}

#[tokio::test]
async fn get_group_member_info_returns_the_fixture() {
    let emu = emulator().await;
    let c = client(&emu);
    let r = c.get_group_member_info(&GetGroupMemberInfoRequest::new("@TGS#2DEMOPUB")).await.unwrap();
    assert_eq!(r.member_num, 5);
    assert_eq!(r.next, None);
    let peter = r.member_list.iter().find(|m| m.member_account == "peter").unwrap();
    assert_eq!(peter.role, Some(Role::Member), "trailing space in the fixture's role is tolerated");
    assert_eq!(peter.mute_until, Some(4294967295));
    // Filters are sent and honoured.
    let r = c
        .get_group_member_info(&GetGroupMemberInfoRequest {
            member_info_filter: Some(vec!["Role".into()]),
            member_role_filter: Some(vec!["Owner".into()]),
            ..GetGroupMemberInfoRequest::new("@TGS#2DEMOPUB")
        })
        .await
        .unwrap();
    assert_eq!(r.member_list.len(), 1);
    assert_eq!(r.member_list[0].member_account, "bob");
    assert_eq!(r.member_list[0].join_time, None, "unrequested fields are absent");
    let body = emu.control().calls().last().unwrap().body.clone().unwrap();
    assert_eq!(body["MemberRoleFilter"], serde_json::json!(["Owner"]));
}

#[tokio::test]
async fn a_single_community_call_needs_no_next() {
    let emu = emulator().await;
    let c = client(&emu);
    let first = c
        .get_group_member_info(&GetGroupMemberInfoRequest {
            limit: Some(2),
            ..GetGroupMemberInfoRequest::new("@TGS#_demo")
        })
        .await
        .unwrap();
    assert_eq!(first.member_list.len(), 2);
    assert!(first.next.as_deref().is_some_and(|n| !n.is_empty()), "a cursor to the second page");
    let sent = emu.control().calls();
    assert_eq!(sent.last().and_then(|c| c.body.as_ref()).and_then(|b| b.get("Next")), Some(&serde_json::json!("")));
    // The wrong paging field for the group type is refused before anything is sent.
    let wrong = [
        GetGroupMemberInfoRequest { offset: Some(0), ..GetGroupMemberInfoRequest::new("@TGS#_demo") },
        GetGroupMemberInfoRequest { next: Some(String::new()), ..GetGroupMemberInfoRequest::new("@TGS#2DEMOPUB") },
    ];
    for (request, field) in wrong.iter().zip(["Offset", "Next"]) {
        let e = c.get_group_member_info(request).await.unwrap_err();
        assert!(matches!(e, Error::InvalidArgument { field: ref f, .. } if f == field), "{e:?}");
    }
    assert_eq!(emu.control().calls().len(), sent.len());
}

#[tokio::test]
async fn muted_accounts_of_group_and_topic() {
    let emu = emulator().await;
    let c = client(&emu);
    let r = c.get_group_muted_account(&GetGroupMutedAccountRequest::new("@TGS#2DEMOPUB")).await.unwrap();
    assert_eq!(r.group_id, "@TGS#2DEMOPUB");
    let muted: HashSet<_> = r.muted_account_list.iter().map(|m| (m.member_account.as_str(), m.muted_until)).collect();
    assert!(muted.contains(&("peter", 4294967295)));
    assert!(muted.contains(&("tommy", 4102444800)));
    assert!(!muted.iter().any(|(a, _)| *a == "carol"), "an expired mute is not listed");
    let topic = c
        .get_group_muted_account(&GetGroupMutedAccountRequest {
            group_id: "@TGS#_demo".into(),
            topic_id: Some("@TGS#_demo@TOPIC#_news".into()),
        })
        .await
        .unwrap();
    assert_eq!(topic.group_id, "@TGS#_demo");
}

#[tokio::test]
async fn modify_changes_state_and_deletes_custom_keys() {
    let emu = emulator().await;
    let c = client(&emu);
    c.modify_group_base_info(&ModifyGroupBaseInfoRequest {
        name: Some("新名字".into()),
        introduction: Some("intro".into()),
        notification: Some("notice".into()),
        face_url: Some("http://face.example/x.png".into()),
        max_member_num: Some(500),
        apply_join_option: Some(ApplyJoinOption::DisableApply),
        shut_up_all_member: Some(true),
        app_defined_data: Some(vec![AppDefinedDataUpdate::set("Level", "9")]),
        ..ModifyGroupBaseInfoRequest::new("@TGS#2DEMOPUB")
    })
    .await
    .unwrap();
    let g = emu.control().group("@TGS#2DEMOPUB").unwrap();
    assert_eq!(g.name, "新名字");
    assert_eq!(g.apply_join_option, "DisableApply");
    assert_eq!(g.shut_up_all_member, "On");
    assert_eq!(g.max_member_num, 500);
    assert_eq!(g.app_defined("Level"), Some("9"));
    c.modify_group_base_info(&ModifyGroupBaseInfoRequest {
        shut_up_all_member: Some(false),
        app_defined_data: Some(vec![AppDefinedDataUpdate::delete("Level")]),
        ..ModifyGroupBaseInfoRequest::new("@TGS#2DEMOPUB")
    })
    .await
    .unwrap();
    let g = emu.control().group("@TGS#2DEMOPUB").unwrap();
    assert_eq!(g.shut_up_all_member, "Off");
    assert_eq!(g.app_defined("Level"), None);
    let sent = emu.control().calls().last().unwrap().body.clone().unwrap();
    assert_eq!(sent["AppDefinedData"], serde_json::json!([{"Key": "Level", "Value": ""}]));
}

#[tokio::test]
async fn service_errors_are_typed() {
    let emu = emulator().await;
    let c = client(&emu);
    let e = c.get_group_member_info(&GetGroupMemberInfoRequest::new("@TGS#nope")).await.unwrap_err();
    assert_eq!(e.code(), Some(10010));
    assert_eq!(e.api_kind(), Some(timadmin::ApiErrorKind::GroupNotFound));
    assert_secret_free(&e, &[]);
    let not_admin = new_client(config(&emu).with_identifier("bob")).unwrap();
    let e = not_admin.get_group_muted_account(&GetGroupMutedAccountRequest::new("@TGS#2DEMOPUB")).await.unwrap_err();
    assert_eq!(e.code(), Some(10007));
    assert_secret_free(&e, &[]);
    let wrong_key =
        new_client(TestConfig::secret_key(emu.sdkappid(), "not-the-key").with_base_url(&emu.base_url()).unwrap())
            .unwrap();
    let e = wrong_key.get_group_muted_account(&GetGroupMutedAccountRequest::new("@TGS#2DEMOPUB")).await.unwrap_err();
    assert_eq!(e.code(), Some(70009));
    assert_secret_free(&e, &["not-the-key"]);
    // Invalid input never reaches the emulator.
    emu.control().clear_calls();
    let mut m = ModifyGroupBaseInfoRequest::new("@TGS#2DEMOPUB");
    m.notification = Some("x".repeat(301));
    assert!(matches!(c.modify_group_base_info(&m).await, Err(Error::InvalidArgument { .. })));
    assert!(emu.control().calls().is_empty());
}

#[tokio::test]
async fn every_request_has_a_fresh_random() {
    let emu = emulator().await;
    let c = client(&emu);
    for _ in 0..20 {
        c.get_group_muted_account(&GetGroupMutedAccountRequest::new("@TGS#2DEMOPUB")).await.unwrap();
    }
    let randoms: HashSet<_> = emu.control().calls().iter().map(|c| c.random.unwrap()).collect();
    assert!(randoms.len() >= 19, "random repeats: {randoms:?}");
}

#[tokio::test]
async fn pages_a_community_group_by_cursor() {
    let emu = emulator().await;
    emu.control().generate_community_group("@TGS#_big", 1_050).unwrap();
    let c = client(&emu);
    let pager = c.members("@TGS#_big", PageOptions::default()).unwrap();
    assert_eq!(pager.mode(), PagingMode::Cursor);
    let members: Vec<_> = pager.into_stream().try_collect().await.unwrap();
    let unique: HashSet<_> = members.iter().map(|m| m.member_account.clone()).collect();
    assert_eq!((members.len(), unique.len()), (1_050, 1_050));
    let calls = emu.control().calls();
    assert_eq!(calls.len(), 11, "ten full pages and one of 50");
    assert_eq!(calls[0].body.as_ref().unwrap()["Next"], "");
    assert!(calls.iter().all(|c| c.body.as_ref().unwrap().get("Offset").is_none()));
}

#[tokio::test]
async fn member_cursor_survives_a_cancelled_page_and_stops_after_an_error() {
    let emu = emulator().await;
    emu.control().generate_group(timadmin_emulator::GroupType::Public, "@TGS#cur", 30).unwrap();
    let c = new_client(config(&emu).with_retry(fast_retries(0))).unwrap();
    let options = PageOptions { page_size: 10, ..Default::default() };
    let mut cursor = timadmin::MemberCursor::new(c.members("@TGS#cur", options).unwrap());
    assert!(cursor.next_buffered().is_none(), "nothing is fetched before the first call");

    // A page abandoned mid-call (the caller's future dropped) is asked for again, not skipped.
    emu.control().inject_fault(Fault::new(FaultKind::Delay(Duration::from_millis(500))).times(1));
    let abandoned = tokio::time::timeout(Duration::from_millis(50), cursor.next_member()).await;
    assert!(abandoned.is_err(), "the delayed page was still in flight");
    let mut seen = Vec::new();
    for _ in 0..15 {
        seen.push(cursor.next_member().await.unwrap().unwrap().member_account);
    }
    assert_eq!(cursor.pager().fetched(), 20, "two pages of 10, the abandoned one counted once");

    // An error ends the cursor: the next call is `None`, not a retry from the middle.
    emu.control().inject_fault(Fault::new(FaultKind::HttpStatus(502)).times(1));
    for _ in 0..5 {
        seen.push(cursor.next_member().await.unwrap().unwrap().member_account);
    }
    assert!(cursor.next_member().await.is_err());
    assert!(cursor.next_member().await.unwrap().is_none());
    assert!(cursor.is_done());
    let unique: HashSet<_> = seen.iter().collect();
    assert_eq!((seen.len(), unique.len()), (20, 20));
}

#[tokio::test]
async fn pages_an_ordinary_group_by_offset() {
    let emu = emulator().await;
    emu.control().generate_group(timadmin_emulator::GroupType::Public, "@TGS#big", 1_000).unwrap();
    let c = client(&emu);
    let mut pager = c.members("@TGS#big", PageOptions { page_size: 250, ..Default::default() }).unwrap();
    assert_eq!(pager.mode(), PagingMode::Offset);
    let mut seen = HashSet::new();
    while let Some(page) = pager.next_page().await.unwrap() {
        assert_eq!(page.member_num, 1_000);
        for m in page.members {
            assert!(seen.insert(m.member_account));
        }
    }
    assert_eq!(seen.len(), 1_000);
    let offsets: Vec<_> =
        emu.control().calls().iter().map(|c| c.body.as_ref().unwrap()["Offset"].as_u64().unwrap()).collect();
    assert_eq!(offsets, vec![0, 250, 500, 750], "stops exactly when exhausted, without an extra call");
    assert!(pager.next_page().await.unwrap().is_none());
}

#[tokio::test]
async fn response_too_large_halves_the_page() {
    let emu = emulator().await;
    emu.control().generate_group(timadmin_emulator::GroupType::Public, "@TGS#huge", 100_000).unwrap();
    let c = client(&emu);
    // A single unpaged call really is over 1 MB in the emulator.
    let e = c.get_group_member_info(&GetGroupMemberInfoRequest::new("@TGS#huge")).await.unwrap_err();
    assert_eq!(e.code(), Some(10018));
    // The pager shrinks the same page and carries on.
    emu.control().clear_calls();
    emu.control().inject_fault(
        Fault::new(FaultKind::ErrorCode { code: 10018, info: "too large".into() })
            .times(2)
            .for_command("get_group_member_info"),
    );
    let mut pager = c.members("@TGS#huge", PageOptions { page_size: 400, ..Default::default() }).unwrap();
    let page = pager.next_page().await.unwrap().unwrap();
    assert_eq!(page.members.len(), 100);
    assert_eq!(pager.page_size(), 100);
    let limits: Vec<_> =
        emu.control().calls().iter().map(|c| c.body.as_ref().unwrap()["Limit"].as_u64().unwrap()).collect();
    assert_eq!(limits, vec![400, 200, 100]);
    let offsets: HashSet<_> =
        emu.control().calls().iter().map(|c| c.body.as_ref().unwrap()["Offset"].as_u64().unwrap()).collect();
    assert_eq!(offsets, HashSet::from([0]), "the same page is retried");
}

#[tokio::test]
async fn retries_transient_failures() {
    let emu = emulator().await;
    let c = client(&emu);
    let ctl = emu.control();
    let muted = GetGroupMutedAccountRequest::new("@TGS#2DEMOPUB");
    for kind in [
        FaultKind::ErrorCode { code: 10002, info: "busy".into() },
        FaultKind::ErrorCode { code: 70500, info: "internal".into() },
        FaultKind::ErrorCode { code: 60007, info: "too fast".into() },
        FaultKind::HttpStatus(502),
        FaultKind::CloseConnection,
    ] {
        ctl.clear_calls();
        ctl.inject_fault(Fault::new(kind.clone()).times(2));
        c.get_group_muted_account(&muted).await.unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        assert_eq!(ctl.calls().len(), 3, "{kind:?}: two failures then success");
    }
    // Not retried: a permanent error.
    ctl.clear_calls();
    ctl.inject_fault(Fault::new(FaultKind::ErrorCode { code: 10004, info: "bad".into() }));
    assert_eq!(c.get_group_muted_account(&muted).await.unwrap_err().code(), Some(10004));
    assert_eq!(ctl.calls().len(), 1);
    // Retries run out.
    ctl.clear_calls();
    ctl.inject_fault(Fault::new(FaultKind::HttpStatus(503)).times(10));
    let e = c.get_group_muted_account(&muted).await.unwrap_err();
    assert!(matches!(e, Error::HttpStatus { status: 503, .. }), "{e:?}");
    assert_eq!(ctl.calls().len(), 4, "one attempt and three retries");
    assert_secret_free(&e, &[]);
    ctl.clear_faults();
    // A truncated body is a decode error, shown without secrets.
    ctl.inject_fault(Fault::new(FaultKind::TruncatedBody));
    let e = c.get_group_member_info(&GetGroupMemberInfoRequest::new("@TGS#2DEMOPUB")).await.unwrap_err();
    assert!(matches!(e, Error::Decode { .. }), "{e:?}");
    assert_secret_free(&e, &[]);
    // A closed connection without retries is a transport error.
    let no_retry = new_client(config(&emu).with_max_retries(0)).unwrap();
    ctl.inject_fault(Fault::new(FaultKind::CloseConnection));
    let e = no_retry.get_group_muted_account(&muted).await.unwrap_err();
    assert!(matches!(e, Error::Transport(_)), "{e:?}");
    assert_secret_free(&e, &[]);
}

#[tokio::test]
async fn times_out_and_retries_after_a_timeout() {
    let emu = emulator().await;
    let ctl = emu.control();
    let muted = GetGroupMutedAccountRequest::new("@TGS#2DEMOPUB");
    let impatient = new_client(config(&emu).with_timeout(Duration::from_millis(200)).with_max_retries(0)).unwrap();
    ctl.inject_fault(Fault::new(FaultKind::Delay(Duration::from_secs(3))));
    let e = impatient.get_group_muted_account(&muted).await.unwrap_err();
    assert!(matches!(e, Error::Timeout(_)), "{e:?}");
    assert!(e.is_retryable());
    let patient = new_client(config(&emu).with_timeout(Duration::from_millis(200)).with_max_retries(1)).unwrap();
    ctl.clear_faults();
    ctl.inject_fault(Fault::new(FaultKind::Delay(Duration::from_secs(3))));
    patient.get_group_muted_account(&muted).await.unwrap();
}

#[tokio::test]
async fn fails_over_to_the_backup_domain() {
    let emu = emulator().await;
    // Nothing listens on port 9 of loopback: connection refused, as for an unreachable primary.
    let endpoint = Endpoint::base_urls("http://127.0.0.1:9", &emu.base_url()).unwrap();
    let c = new_client(config(&emu).with_endpoint(endpoint).with_max_retries(0)).unwrap();
    let r = c.get_group_muted_account(&GetGroupMutedAccountRequest::new("@TGS#2DEMOPUB")).await.unwrap();
    assert_eq!(r.group_id, "@TGS#2DEMOPUB");
    c.get_group_muted_account(&GetGroupMutedAccountRequest::new("@TGS#2DEMOPUB")).await.unwrap();
    assert_eq!(emu.control().calls().len(), 2);
    // Without a backup the same failure is a transport error that names no secret.
    let lone = new_client(config(&emu).with_base_url("http://127.0.0.1:9").unwrap().with_max_retries(0)).unwrap();
    let e = lone.get_group_muted_account(&GetGroupMutedAccountRequest::new("@TGS#2DEMOPUB")).await.unwrap_err();
    assert!(matches!(e, Error::Transport(_)), "{e:?}");
    assert_secret_free(&e, &[]);
}

#[tokio::test]
async fn provider_is_asked_again_when_the_usersig_is_rejected() {
    let emu = emulator().await;
    let signer = Signer::new(emu.sdkappid(), emu.key()).unwrap();
    let expired = signer.sign_at("administrator", 1_600_000_000, 60, None).unwrap();
    let fresh = signer.sign("administrator", 3600, None).unwrap();
    let asked = Arc::new(AtomicUsize::new(0));
    let (asked2, expired2, fresh2) = (Arc::clone(&asked), expired.clone(), fresh.clone());
    let provider = move || {
        let n = asked2.fetch_add(1, Ordering::SeqCst);
        Ok(if n == 0 { expired2.clone() } else { fresh2.clone() })
    };
    let c = new_client(TestConfig::provider(emu.sdkappid(), provider).with_base_url(&emu.base_url()).unwrap()).unwrap();
    c.get_group_muted_account(&GetGroupMutedAccountRequest::new("@TGS#2DEMOPUB")).await.unwrap();
    assert_eq!(asked.load(Ordering::SeqCst), 2);
    let codes: Vec<_> = emu.control().calls().iter().map(|c| c.error_code).collect();
    assert_eq!(codes, vec![Some(70001), Some(0)]);
    // The fresh one is cached.
    c.get_group_muted_account(&GetGroupMutedAccountRequest::new("@TGS#2DEMOPUB")).await.unwrap();
    assert_eq!(asked.load(Ordering::SeqCst), 2);

    // A pre-signed UserSig that expired is reported, not retried in a loop.
    let fixed =
        new_client(TestConfig::usersig(emu.sdkappid(), expired.clone()).with_base_url(&emu.base_url()).unwrap())
            .unwrap();
    emu.control().clear_calls();
    let e = fixed.get_group_muted_account(&GetGroupMutedAccountRequest::new("@TGS#2DEMOPUB")).await.unwrap_err();
    assert_eq!(e.code(), Some(70001));
    assert_eq!(emu.control().calls().len(), 1);
    assert_secret_free(&e, &[&expired, &fresh]);

    // A provider that fails is a credentials error.
    let failing = new_client(
        TestConfig::provider(emu.sdkappid(), || Err("vault unavailable".to_string()))
            .with_base_url(&emu.base_url())
            .unwrap(),
    )
    .unwrap();
    let e = failing.get_group_muted_account(&GetGroupMutedAccountRequest::new("@TGS#2DEMOPUB")).await.unwrap_err();
    assert!(matches!(e, Error::Credentials(ref m) if m.contains("vault")), "{e:?}");
}

#[tokio::test]
async fn self_signed_usersig_is_cached_and_valid() {
    let emu = emulator().await;
    let c = client(&emu);
    for _ in 0..5 {
        c.get_group_muted_account(&GetGroupMutedAccountRequest::new("@TGS#2DEMOPUB")).await.unwrap();
    }
    assert!(emu.control().calls().iter().all(|c| c.error_code == Some(0)));
    // The token the client signs verifies with the official algorithm.
    let sig = usersig::generate(emu.sdkappid(), emu.key(), "administrator", 60).unwrap();
    assert!(usersig::verify(emu.sdkappid(), emu.key(), "administrator", &sig).is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_side_rate_limit_keeps_under_the_service_limit() {
    let emu = emulator().await;
    emu.control().set_rate_limit(Some(20));
    // With the limiter at the service's rate, 60 concurrent calls never trip 60007.
    let limited = new_client(config(&emu).with_rate_limit(Some(20.0)).with_max_retries(0)).unwrap();
    let calls = (0..60).map(|_| {
        let c = limited.clone();
        tokio::spawn(async move { c.get_group_muted_account(&GetGroupMutedAccountRequest::new("@TGS#2DEMOPUB")).await })
    });
    for r in futures::future::join_all(calls).await {
        r.unwrap().unwrap();
    }
    assert!(emu.control().calls().iter().all(|c| c.error_code == Some(0)));
    // Control: without the limiter the same burst is refused by the service.
    emu.control().clear_calls();
    let unlimited = new_client(config(&emu).with_rate_limit(None).with_max_retries(0)).unwrap();
    let calls = (0..60).map(|_| {
        let c = unlimited.clone();
        tokio::spawn(async move { c.get_group_muted_account(&GetGroupMutedAccountRequest::new("@TGS#2DEMOPUB")).await })
    });
    let refused = futures::future::join_all(calls)
        .await
        .into_iter()
        .filter(|r| matches!(r, Ok(Err(e)) if e.code() == Some(60007)))
        .count();
    assert!(refused > 0);
}

#[test]
fn blocking_client_from_many_threads() {
    let emu = Emulator::start_blocking(EmulatorConfig {
        seed_file: Some(demo_fixture()),
        rate_limit_per_sec: None,
        ..Default::default()
    })
    .unwrap();
    emu.control().generate_community_group("@TGS#_threads", 300).unwrap();
    let c = Arc::new(new_blocking(config(&emu).with_rate_limit(None)).unwrap());
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let c = Arc::clone(&c);
            std::thread::spawn(move || {
                let n = c
                    .members("@TGS#_threads", PageOptions::default())
                    .unwrap()
                    .map(|m| m.unwrap().member_account)
                    .collect::<HashSet<_>>()
                    .len();
                let muted = c.get_group_muted_account(&GetGroupMutedAccountRequest::new("@TGS#2DEMOPUB")).unwrap();
                (n, muted.muted_account_list.len())
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), (300, 2));
    }
}

#[tokio::test]
async fn blocking_client_refuses_to_run_inside_a_runtime() {
    let emu = emulator().await;
    let c = new_blocking(config(&emu)).unwrap();
    let e = c.get_group_muted_account(&GetGroupMutedAccountRequest::new("@TGS#2DEMOPUB")).unwrap_err();
    assert!(matches!(e, Error::Runtime(_)), "{e:?}");
}

/// A scripted HTTP server for misbehaviour the emulator does not offer: it answers the n-th
/// request with the n-th body (the last one repeated).
async fn scripted_server(bodies: Vec<String>) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let bodies = Arc::new(bodies);
    let count = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let bodies = Arc::clone(&bodies);
            let count = Arc::clone(&count);
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                let mut got = Vec::new();
                // Read headers and the Content-Length body.
                loop {
                    let n = socket.read(&mut buf).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    got.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&got).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len = text
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if got.len() >= end + 4 + len {
                            break;
                        }
                    }
                }
                let i = count.fetch_add(1, Ordering::SeqCst).min(bodies.len() - 1);
                let body = &bodies[i];
                let reply = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                    body.len(),
                    body
                );
                let _ = socket.write_all(reply.as_bytes()).await;
            });
        }
    });
    format!("http://{addr}")
}

fn page(members: &[&str], next: Option<&str>, total: usize) -> String {
    let list: Vec<_> = members.iter().map(|m| serde_json::json!({"Member_Account": m})).collect();
    let mut v = serde_json::json!({"ActionStatus": "OK", "ErrorCode": 0, "MemberNum": total, "MemberList": list});
    if let Some(n) = next {
        v["Next"] = serde_json::json!(n);
    }
    v.to_string()
}

#[tokio::test]
async fn pager_refuses_a_repeated_cursor() {
    let url =
        scripted_server(vec![page(&["a"], Some("c1"), 9), page(&["b"], Some("c2"), 9), page(&["c"], Some("c1"), 9)])
            .await;
    let c = new_client(TestConfig::secret_key(1, "k").with_base_url(&url).unwrap()).unwrap();
    let result: Result<Vec<_>, _> =
        c.members("@TGS#_loop", PageOptions::default()).unwrap().into_stream().try_collect().await;
    let e = result.unwrap_err();
    assert!(matches!(e, Error::Paging(ref m) if m.contains("repeated")), "{e:?}");
}

#[tokio::test]
async fn pager_refuses_an_offset_that_makes_no_progress() {
    let same = page(&["a", "b"], None, 100);
    let url = scripted_server(vec![same]).await;
    let c = new_client(TestConfig::secret_key(1, "k").with_base_url(&url).unwrap()).unwrap();
    let mut pager = c.members("@TGS#stuck", PageOptions { page_size: 2, ..Default::default() }).unwrap();
    assert!(pager.next_page().await.unwrap().is_some());
    let e = pager.next_page().await.unwrap_err();
    assert!(matches!(e, Error::Paging(ref m) if m.contains("no progress")), "{e:?}");
}

#[tokio::test]
async fn pager_switches_to_cursor_mode_when_the_server_sends_next() {
    let url = scripted_server(vec![page(&["a"], Some("c1"), 2), page(&["b"], Some(""), 2)]).await;
    let c = new_client(TestConfig::secret_key(1, "k").with_base_url(&url).unwrap()).unwrap();
    let members: Vec<_> =
        c.members("@TGS#looks-ordinary", PageOptions::default()).unwrap().into_stream().try_collect().await.unwrap();
    assert_eq!(members.iter().map(|m| m.member_account.as_str()).collect::<Vec<_>>(), vec!["a", "b"]);
}

#[tokio::test]
async fn log_lines_carry_no_secret() {
    // Capture this thread's tracing output while a call fails over, retries and renews.
    let logs = CapturedLogs::start(tracing::Level::TRACE);
    let emu = emulator().await;
    let endpoint = Endpoint::base_urls("http://127.0.0.1:9", &emu.base_url()).unwrap();
    let c = new_client(config(&emu).with_endpoint(endpoint)).unwrap();
    emu.control().inject_fault(Fault::new(FaultKind::ErrorCode { code: 10002, info: "busy".into() }));
    c.get_group_muted_account(&GetGroupMutedAccountRequest::new("@TGS#2DEMOPUB")).await.unwrap();
    let text = logs.text();
    assert!(text.contains("retrying") && text.contains("backup"), "expected log lines, got: {text}");
    assert!(!text.contains(KEY) && !text.contains("usersig="), "secret in logs: {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_calls_ask_the_provider_once() {
    let emu = emulator().await;
    emu.control().set_rate_limit(None);
    let signer = Signer::new(emu.sdkappid(), emu.key()).unwrap();
    let asked = Arc::new(AtomicUsize::new(0));
    let asked2 = Arc::clone(&asked);
    let provider = move || {
        asked2.fetch_add(1, Ordering::SeqCst);
        // A slow vault: every concurrent caller would pile in without the refresh lock.
        std::thread::sleep(Duration::from_millis(100));
        signer.sign("administrator", 3600, None).map_err(|e| e.to_string())
    };
    let c = new_client(
        TestConfig::provider(emu.sdkappid(), provider).with_base_url(&emu.base_url()).unwrap().with_rate_limit(None),
    )
    .unwrap();
    let calls = (0..32).map(|_| {
        let c = c.clone();
        tokio::spawn(async move { c.get_group_muted_account(&GetGroupMutedAccountRequest::new("@TGS#2DEMOPUB")).await })
    });
    for r in futures::future::join_all(calls).await {
        r.unwrap().unwrap();
    }
    assert_eq!(asked.load(Ordering::SeqCst), 1);
}
