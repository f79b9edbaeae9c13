//! Hostile servers and hostile input (issue 11): every case over loopback, against the emulator's
//! `Reply`/`LargeBody` faults or a small scripted TCP server. Nothing here connects anywhere but
//! 127.0.0.1; the non-loopback addresses below only appear in configurations refused at
//! construction.

#[path = "support/captured_logs.rs"]
mod captured_logs;

#[path = "support/test_config.rs"]
mod test_config;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use captured_logs::CapturedLogs;
use test_config::{new_blocking, new_client, TestConfig};
use timadmin::error::MIN_REDACTED_FRAGMENT;
use timadmin::options::{DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_RESPONSE_BYTES};
use timadmin::usersig::Signer;
use timadmin::{
    Client, ClientOptions, Error, GetGroupMemberInfoRequest, GetGroupMutedAccountRequest, ModifyGroupBaseInfoRequest,
    RetryPolicy,
};
use timadmin_emulator::{Emulator, EmulatorConfig, Fault, FaultKind};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const PUB: &str = "@TGS#2DEMOPUB";

/// The emulator of these tests. The leak sweep (`tests/leak-sweep.sh`) runs them with a canary
/// key (`TIMADMIN_CANARY_KEY`) and has the emulator note every UserSig it receives
/// (`TIMADMIN_EMULATOR_USERSIG_LOG`), then looks for both in everything printed.
async fn emulator() -> Emulator {
    init_logs();
    let fixture = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../emulator/fixtures/demo.json");
    let defaults = EmulatorConfig::default();
    Emulator::start(EmulatorConfig {
        seed_file: Some(fixture),
        key: std::env::var("TIMADMIN_CANARY_KEY").unwrap_or(defaults.key.clone()),
        usersig_log: std::env::var_os("TIMADMIN_EMULATOR_USERSIG_LOG").map(Into::into),
        ..defaults
    })
    .await
    .unwrap()
}

/// Logs of the core to the test output, at the level `RUST_LOG` says (the leak sweep: trace).
fn init_logs() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_test_writer()
        .try_init();
}

/// Shows an error the way a user would see it (captured by the test harness; printed with
/// `--nocapture`, which is how the leak sweep reads them).
fn shown(e: &Error) -> &Error {
    eprintln!("error shown to the user: {e} | {e:?}");
    e
}

fn config(emu: &Emulator) -> TestConfig {
    TestConfig::secret_key(emu.sdkappid(), emu.key()).with_base_url(&emu.base_url()).unwrap().with_retry(RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        rate_limited_backoff: Duration::from_millis(20),
    })
}

fn muted() -> GetGroupMutedAccountRequest {
    GetGroupMutedAccountRequest::new(PUB)
}

fn reply(status: u16, body: &str) -> Fault {
    Fault::new(FaultKind::Reply { status, body: body.into(), location: None })
}

/// Every run of `MIN_REDACTED_FRAGMENT` characters of `secret` is absent from `text`.
fn assert_no_fragment(text: &str, secret: &str) {
    for start in 0..=secret.len().saturating_sub(MIN_REDACTED_FRAGMENT) {
        let fragment = &secret[start..(start + MIN_REDACTED_FRAGMENT).min(secret.len())];
        assert!(!text.contains(fragment), "a fragment of a secret ({fragment}) leaked in: {text}");
    }
}

// 1. Response size limit ---------------------------------------------------------------------

#[tokio::test]
async fn an_endless_body_stops_at_the_limit_with_a_typed_error() {
    let emu = emulator().await;
    let ctl = emu.control();
    let client = new_client(config(&emu)).unwrap();
    ctl.inject_fault(Fault::new(FaultKind::LargeBody { bytes: None, content_length: false }));
    let started = Instant::now();
    let e = client.get_group_muted_account(&muted()).await.unwrap_err();
    assert_eq!(shown(&e), &Error::BodyTooLarge { limit: DEFAULT_MAX_RESPONSE_BYTES });
    assert!(e.to_string().contains(&DEFAULT_MAX_RESPONSE_BYTES.to_string()), "names the limit: {e}");
    assert!(!e.is_retryable());
    assert_eq!(ctl.calls().len(), 1, "not retried");
    assert!(started.elapsed() < Duration::from_secs(5), "stopped reading at the limit, not at the timeout");
}

#[tokio::test]
async fn an_announced_huge_body_is_refused_before_reading() {
    let emu = emulator().await;
    let client = new_client(config(&emu)).unwrap();
    // 1.5 GB announced by Content-Length: refused from the header alone.
    emu.control().inject_fault(Fault::new(FaultKind::LargeBody { bytes: Some(1_500_000_000), content_length: true }));
    let started = Instant::now();
    let e = client.get_group_member_info(&GetGroupMemberInfoRequest::new(PUB)).await.unwrap_err();
    assert_eq!(e, Error::BodyTooLarge { limit: DEFAULT_MAX_RESPONSE_BYTES });
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn the_limit_is_configurable() {
    let emu = emulator().await;
    let ctl = emu.control();
    let five_mib = 5 * 1024 * 1024;
    let default = new_client(config(&emu)).unwrap();
    ctl.inject_fault(Fault::new(FaultKind::LargeBody { bytes: Some(five_mib), content_length: false }));
    assert!(matches!(default.get_group_muted_account(&muted()).await, Err(Error::BodyTooLarge { .. })));
    // A client allowing 8 MiB reads the same (valid, whitespace-padded) answer whole.
    let roomy = new_client(config(&emu).with_max_response_bytes(8 * 1024 * 1024)).unwrap();
    ctl.inject_fault(Fault::new(FaultKind::LargeBody { bytes: Some(five_mib), content_length: false }));
    let r = roomy.get_group_muted_account(&muted()).await.unwrap();
    assert_eq!(r.group_id, "@TGS#large");
    // And a small limit applies to ordinary answers too.
    let tight = new_client(config(&emu).with_max_response_bytes(1024)).unwrap();
    let e = tight.get_group_member_info(&GetGroupMemberInfoRequest::new(PUB)).await.unwrap_err();
    assert_eq!(e, Error::BodyTooLarge { limit: 1024 });
}

// 2. Empty answers ---------------------------------------------------------------------------

#[tokio::test]
async fn empty_answers_are_decode_errors_naming_what_is_missing() {
    let emu = emulator().await;
    let ctl = emu.control();
    let client = new_client(config(&emu)).unwrap();
    let cases = [
        ("{}", "ActionStatus"),
        (r#"{"ActionStatus":"OK"}"#, "ErrorCode"),
        (r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#, "MemberNum or MemberList or Next"),
    ];
    for (body, missing) in cases {
        ctl.inject_fault(reply(200, body));
        match client.get_group_member_info(&GetGroupMemberInfoRequest::new(PUB)).await.map_err(|e| shown(&e).clone()) {
            Err(Error::Decode { reason, .. }) => assert!(reason.contains(missing), "{body}: {reason}"),
            other => panic!("{body}: expected a Decode error, got {other:?}"),
        }
    }
    for (body, missing) in [cases[0], cases[1], (cases[2].0, "GroupId or MutedAccountList")] {
        ctl.inject_fault(reply(200, body));
        match client.get_group_muted_account(&muted()).await {
            Err(Error::Decode { reason, .. }) => assert!(reason.contains(missing), "{body}: {reason}"),
            other => panic!("{body}: expected a Decode error, got {other:?}"),
        }
    }
    // modify_group_base_info's answer is the envelope alone, but the envelope is required.
    ctl.inject_fault(reply(200, "{}"));
    assert!(matches!(
        client.modify_group_base_info(&ModifyGroupBaseInfoRequest::new(PUB)).await,
        Err(Error::Decode { .. })
    ));
    // The emulator's real answers are still accepted, empty lists included.
    assert_eq!(client.get_group_member_info(&GetGroupMemberInfoRequest::new(PUB)).await.unwrap().member_num, 5);
    let none_muted = client.get_group_muted_account(&GetGroupMutedAccountRequest::new("@TGS#1DEMOWORK")).await.unwrap();
    assert!(none_muted.muted_account_list.is_empty());
    let roles = client
        .get_group_member_info(&GetGroupMemberInfoRequest {
            member_role_filter: Some(vec!["Admin".into()]),
            offset: Some(1000),
            ..GetGroupMemberInfoRequest::new(PUB)
        })
        .await
        .unwrap();
    assert!(roles.member_list.is_empty());
}

// 3. Bad values ------------------------------------------------------------------------------

#[tokio::test]
async fn bad_values_are_refused_before_any_network_call() {
    let emu = emulator().await;
    let ctl = emu.control();
    let client = new_client(config(&emu)).unwrap();
    let megabyte = "g".repeat(1 << 20);
    for (id, field) in [("@TGS#\0x", "GroupId"), ("@TGS#1\n", "GroupId"), (megabyte.as_str(), "GroupId")] {
        for e in [
            client.get_group_member_info(&GetGroupMemberInfoRequest::new(id)).await.unwrap_err(),
            client.get_group_muted_account(&GetGroupMutedAccountRequest::new(id)).await.unwrap_err(),
            client.modify_group_base_info(&ModifyGroupBaseInfoRequest::new(id)).await.unwrap_err(),
        ] {
            shown(&e);
            assert!(matches!(&e, Error::InvalidArgument { field: f, .. } if f == field), "{e:?}");
        }
        assert!(client.members(id, Default::default()).is_err());
    }
    let topic = GetGroupMutedAccountRequest { group_id: "@TGS#_demo".into(), topic_id: Some("t\0".into()) };
    assert!(matches!(client.get_group_muted_account(&topic).await, Err(Error::InvalidArgument { .. })));
    // Identifiers and the 32-bit SDKAppID, on the direct Config path too.
    for identifier in ["admin\nistrator", "admin\0", "\r"] {
        let e = new_client(config(&emu).with_identifier(identifier)).unwrap_err();
        assert!(matches!(&e, Error::InvalidArgument { field, .. } if field == "identifier"), "{e:?}");
        let opts = ClientOptions {
            secret_key: Some(emu.key().into()),
            base_url: Some(emu.base_url()),
            identifier: Some(identifier.into()),
            ..ClientOptions::new(emu.sdkappid())
        };
        assert!(matches!(opts.build(), Err(Error::InvalidArgument { .. })));
    }
    let big = TestConfig::secret_key(4_294_967_296, emu.key()).with_base_url(&emu.base_url()).unwrap();
    assert!(matches!(new_client(big.clone()), Err(Error::InvalidArgument { ref field, .. }) if field == "sdkappid"));
    assert!(matches!(new_blocking(big), Err(Error::InvalidArgument { ref field, .. }) if field == "sdkappid"));
    assert!(ctl.calls().is_empty(), "nothing was sent: {:?}", ctl.calls());
}

// 4. Clear-text credentials ------------------------------------------------------------------

#[tokio::test]
async fn clear_text_http_to_another_host_is_refused_at_construction() {
    // These addresses are never contacted: construction fails first.
    for url in ["http://203.0.113.7", "http://10.0.0.1:8080", "http://example.com/"] {
        let config = TestConfig::secret_key(1400000000, "k").with_base_url(url).unwrap();
        for e in [new_client(config.clone()).unwrap_err(), new_blocking(config.clone()).unwrap_err()] {
            assert!(
                matches!(&e, Error::InvalidArgument { field, reason } if field == "base_url" && reason.contains("clear text")),
                "{url}: {e:?}"
            );
        }
        // The loud opt-in builds (still without any connection).
        new_client(config.with_allow_insecure_http(true)).unwrap();
    }
    let emu = emulator().await;
    let localhost = emu.base_url().replace("127.0.0.1", "localhost");
    let client = new_client(config(&emu).with_base_url(&localhost).unwrap()).unwrap();
    client.get_group_muted_account(&muted()).await.unwrap();
}

// 5. Redirects -------------------------------------------------------------------------------

#[tokio::test]
async fn redirects_are_not_followed() {
    let emu = emulator().await;
    let ctl = emu.control();
    // Where a redirect would lead: a listener that counts whoever comes.
    let elsewhere = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let target = format!("http://{}/v4/group_open_http_svc/get_group_muted_account", elsewhere.local_addr().unwrap());
    let visitors = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&visitors);
    tokio::spawn(async move {
        while let Ok((_socket, _)) = elsewhere.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
        }
    });
    let client = new_client(config(&emu)).unwrap();
    let name_before = ctl.group(PUB).unwrap().name;
    for status in [301, 302, 303, 307, 308] {
        ctl.clear_calls();
        ctl.inject_fault(Fault::new(FaultKind::Reply { status, body: String::new(), location: Some(target.clone()) }));
        let e = client
            .modify_group_base_info(&ModifyGroupBaseInfoRequest {
                name: Some("x".into()),
                ..ModifyGroupBaseInfoRequest::new(PUB)
            })
            .await
            .unwrap_err();
        shown(&e);
        assert!(matches!(e, Error::HttpStatus { status: s, .. } if s == status), "{status}: {e:?}");
        assert!(!e.is_retryable());
        assert_eq!(ctl.calls().len(), 1, "{status}: not retried");
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(visitors.load(Ordering::SeqCst), 0, "nothing went to the redirect target");
    assert_eq!(ctl.group(PUB).unwrap().name, name_before, "the modify was not re-sent anywhere");
}

// 6. Calls in flight -------------------------------------------------------------------------

/// A keep-alive HTTP/1.1 server answering every request after `delay` with a muted-account
/// success, counting connections open at once and requests in progress at once.
struct CountingServer {
    url: String,
    connections: Arc<AtomicUsize>,
    peak_connections: Arc<AtomicUsize>,
    peak_requests: Arc<AtomicUsize>,
    accepted: Arc<AtomicUsize>,
}

fn raise(peak: &AtomicUsize, now: usize) {
    peak.fetch_max(now, Ordering::SeqCst);
}

async fn counting_server(delay: Duration) -> CountingServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let peak_connections = Arc::new(AtomicUsize::new(0));
    let requests = Arc::new(AtomicUsize::new(0));
    let peak_requests = Arc::new(AtomicUsize::new(0));
    let accepted = Arc::new(AtomicUsize::new(0));
    let server = CountingServer {
        url,
        connections: Arc::clone(&connections),
        peak_connections: Arc::clone(&peak_connections),
        peak_requests: Arc::clone(&peak_requests),
        accepted: Arc::clone(&accepted),
    };
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            accepted.fetch_add(1, Ordering::SeqCst);
            raise(&peak_connections, connections.fetch_add(1, Ordering::SeqCst) + 1);
            let (connections, requests, peak_requests) =
                (Arc::clone(&connections), Arc::clone(&requests), Arc::clone(&peak_requests));
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                'conn: loop {
                    // One request: headers, then Content-Length bytes of body.
                    let head_end = loop {
                        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                            break at + 4;
                        }
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => break 'conn,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    };
                    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
                    let length: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    while buf.len() < head_end + length {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => break 'conn,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    buf.drain(..head_end + length);
                    raise(&peak_requests, requests.fetch_add(1, Ordering::SeqCst) + 1);
                    tokio::time::sleep(delay).await;
                    requests.fetch_sub(1, Ordering::SeqCst);
                    let body = r#"{"ActionStatus":"OK","ErrorCode":0,"GroupId":"g","MutedAccountList":[]}"#;
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if socket.write_all(answer.as_bytes()).await.is_err() {
                        break;
                    }
                }
                connections.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    server
}

async fn burst(client: &Client, calls: usize) {
    let tasks: Vec<_> = (0..calls)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.get_group_muted_account(&GetGroupMutedAccountRequest::new("g")).await })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_in_flight_are_capped_per_client() {
    let server = counting_server(Duration::from_millis(10)).await;
    let base = TestConfig::secret_key(1400000000, "k").with_base_url(&server.url).unwrap().with_rate_limit(None);
    // 2,000 calls at once from one client: at most the default 64 sockets, queueing the rest.
    let client = new_client(base.clone()).unwrap();
    burst(&client, 2000).await;
    let (peak_requests, peak, accepted) = (
        server.peak_requests.load(Ordering::SeqCst),
        server.peak_connections.load(Ordering::SeqCst),
        server.accepted.load(Ordering::SeqCst),
    );
    eprintln!("2000 calls, cap {DEFAULT_MAX_IN_FLIGHT}: peak requests {peak_requests}, peak connections {peak}, accepted {accepted}");
    assert!(peak_requests <= DEFAULT_MAX_IN_FLIGHT as usize, "{peak_requests} requests at once");
    // hyper may open a connection while a just-used one is on its way back to the pool, so
    // sockets can exceed the cap by a few; never by the burst's size.
    assert!(peak <= 2 * DEFAULT_MAX_IN_FLIGHT as usize, "{peak} connections at once");
    drop(client);
    // A smaller cap, shared by clones of the client on every task.
    let server = counting_server(Duration::from_millis(10)).await;
    let client = new_client(base.with_base_url(&server.url).unwrap().with_max_in_flight(4)).unwrap();
    let clone = client.clone();
    let (a, b) = tokio::join!(burst(&client, 200), burst(&clone, 200));
    let _ = (a, b);
    assert!(server.peak_requests.load(Ordering::SeqCst) <= 4, "{}", server.peak_requests.load(Ordering::SeqCst));
    // A few extra sockets under a loaded machine, never one per call (400 here).
    assert!(server.peak_connections.load(Ordering::SeqCst) <= 16, "{}", server.peak_connections.load(Ordering::SeqCst));
    // Afterwards at most the cap stays open (idle); extra sockets are closed as they return.
    let settled = Instant::now();
    while server.connections.load(Ordering::SeqCst) > 4 && settled.elapsed() < Duration::from_secs(3) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        server.connections.load(Ordering::SeqCst) <= 4,
        "{} idle sockets",
        server.connections.load(Ordering::SeqCst)
    );
}

// 7. Partial UserSig in echoed text ----------------------------------------------------------

#[tokio::test]
async fn echoed_fragments_of_the_usersig_and_key_are_redacted() {
    init_logs();
    let logs = CapturedLogs::start(tracing::Level::TRACE);

    let emu = emulator().await;
    let ctl = emu.control();
    let usersig = Signer::new(emu.sdkappid(), emu.key()).unwrap().sign("administrator", 3600, None).unwrap();
    let by_sig = new_client(
        TestConfig::usersig(emu.sdkappid(), usersig.clone())
            .with_base_url(&emu.base_url())
            .unwrap()
            .with_max_retries(1),
    )
    .unwrap();
    let by_key = new_client(config(&emu)).unwrap();
    let key_part = &emu.key()[1..emu.key().len() - 2];
    let bodies = [
        (
            200,
            r#"{"ActionStatus":"FAIL","ErrorCode":70003,"ErrorInfo":"usersig ${USERSIG_PARTIAL} is bad"}"#.to_owned(),
        ),
        (200, r#"{"ActionStatus":"FAIL","ErrorCode":10002,"ErrorInfo":"busy ${USERSIG_PARTIAL}"}"#.to_owned()),
        (200, r#"{"ActionStatus":"OK","ErrorCode":0,"MemberNum":"${USERSIG_PARTIAL}"}"#.to_owned()),
        (
            200,
            r#"{"ActionStatus":"OK","ErrorCode":0,"GroupId":"g","MutedAccountList":[{"MutedUntil":"${USERSIG}"}]}"#
                .to_owned(),
        ),
        (502, "<html>upstream said ${USERSIG_PARTIAL}</html>".to_owned()),
        (200, format!(r#"{{"ActionStatus":"FAIL","ErrorCode":10004,"ErrorInfo":"key {key_part}"}}"#)),
    ];
    let mut shown = String::new();
    for (i, (status, body)) in bodies.iter().enumerate() {
        // Only a client holding the key knows what to scrub of it.
        let clients = if i == bodies.len() - 1 { vec![&by_key] } else { vec![&by_sig, &by_key] };
        for client in clients {
            ctl.clear_faults();
            ctl.inject_fault(reply(*status, body).times(3));
            let e = client.get_group_muted_account(&muted()).await.unwrap_err();
            eprintln!("error shown to the user: {e} | {e:?}");
            shown.push_str(&format!("{e}\n{e:?}\n"));
            let e = client.get_group_member_info(&GetGroupMemberInfoRequest::new(PUB)).await.err();
            shown.push_str(&format!("{e:?}\n"));
        }
    }
    // A cursor echoing the UserSig, reported by the pager.
    ctl.clear_faults();
    let repeated = r#"{"ActionStatus":"OK","ErrorCode":0,"MemberNum":3,"MemberList":[{"Member_Account":"a"}],"Next":"${USERSIG_PARTIAL}"}"#;
    ctl.inject_fault(reply(200, repeated).times(2));
    let mut pager = by_sig.members("@TGS#_demo", Default::default()).unwrap();
    let e = match pager.next_page().await {
        Ok(_) => pager.next_page().await.unwrap_err(),
        Err(e) => e,
    };
    assert!(matches!(e, Error::Paging(_)), "{e:?}");
    shown.push_str(&format!("{e}\n"));

    assert!(shown.contains("[redacted]"), "{shown}");
    let logged = logs.text();
    assert!(logged.contains("retrying"), "the trace log was captured");
    for text in [&shown, &logged] {
        assert_no_fragment(text, &usersig);
        assert_no_fragment(text, emu.key());
    }
}
