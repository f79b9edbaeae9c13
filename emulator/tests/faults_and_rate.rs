//! Fault injection (each kind, ordering, command filter, HTTP control route) and rate limiting.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use timadmin_emulator::{EmulatorConfig, Fault, FaultKind};

const CMD: &str = "get_group_member_info";

fn body() -> serde_json::Value {
    gid("@TGS#2DEMOPUB")
}

#[tokio::test]
async fn error_code_fault() {
    let h = Harness::demo().await;
    h.emu.control().inject_fault(Fault::new(FaultKind::ErrorCode { code: 10002, info: "try again".into() }).times(2));
    for _ in 0..2 {
        let v = h.member_info(body()).await;
        assert_eq!(assert_fail(&v, 10002), "try again");
    }
    assert_ok(&h.member_info(body()).await);
    let calls = h.emu.control().calls();
    assert_eq!(calls[0].error_code, Some(10002));
    assert_eq!(calls[0].fault.as_deref(), Some("error_code:10002"));
    assert_eq!(calls[2].fault, None);
}

#[tokio::test]
async fn http_status_fault() {
    let h = Harness::demo().await;
    h.emu.control().inject_fault(Fault::new(FaultKind::HttpStatus(502)));
    let resp = h.client.post(h.url(CMD)).body(body().to_string()).send().await.unwrap();
    assert_eq!(resp.status(), 502);
    assert!(serde_json::from_str::<serde_json::Value>(&resp.text().await.unwrap()).is_err());
    h.emu.control().inject_fault(Fault::new(FaultKind::HttpStatus(503)));
    let resp = h.client.post(h.url(CMD)).body(body().to_string()).send().await.unwrap();
    assert_eq!(resp.status(), 503);
    assert_ok(&h.member_info(body()).await);
    assert_eq!(h.emu.control().calls()[0].http_status, 502);
}

#[tokio::test]
async fn truncated_body_fault() {
    let h = Harness::demo().await;
    h.emu.control().inject_fault(Fault::new(FaultKind::TruncatedBody));
    let resp = h.client.post(h.url(CMD)).body(body().to_string()).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let text = resp.text().await.unwrap();
    assert!(text.starts_with("{\"ActionStatus\":\"OK\""), "{text}");
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_err(), "must not parse: {text}");
    let full = h.post_raw(&h.url(CMD), &body().to_string()).await;
    assert_eq!(text.len(), full.to_string().len() / 2);
}

#[tokio::test]
async fn delay_fault_exceeds_a_client_timeout() {
    let h = Harness::demo().await;
    h.emu.control().inject_fault(Fault::new(FaultKind::Delay(Duration::from_millis(1_500))));
    let started = Instant::now();
    let r = h.client.post(h.url(CMD)).timeout(Duration::from_millis(300)).body(body().to_string()).send().await;
    let err = r.expect_err("must time out");
    assert!(err.is_timeout(), "{err}");
    assert!(started.elapsed() < Duration::from_millis(1_400));
    // A patient client gets the normal reply after the delay.
    h.emu.control().inject_fault(Fault::new(FaultKind::Delay(Duration::from_millis(300))));
    let started = Instant::now();
    assert_ok(&h.member_info(body()).await);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn close_connection_fault_is_a_transport_error() {
    let h = Harness::demo().await;
    h.emu.control().inject_fault(Fault::new(FaultKind::CloseConnection));
    // The connection is dropped before any response head is sent: `send()` itself fails.
    let result = h.client.post(h.url(CMD)).body(body().to_string()).send().await;
    let err = result.expect_err("client must see a transport error");
    assert!(err.is_request() && !err.is_timeout() && !err.is_status(), "{err:?}");
    // The next call works on a fresh connection.
    assert_ok(&h.member_info(body()).await);
    let calls = h.emu.control().calls();
    assert_eq!(calls[0].fault.as_deref(), Some("close_connection"));
    assert_eq!(calls[0].error_code, None);
}

#[tokio::test]
async fn faults_are_consumed_in_order_and_filtered_by_command() {
    let h = Harness::demo().await;
    let c = h.emu.control();
    c.inject_fault(
        Fault::new(FaultKind::ErrorCode { code: 70169, info: "a".into() }).for_command("get_group_muted_account"),
    );
    c.inject_fault(Fault::new(FaultKind::ErrorCode { code: 10002, info: "b".into() }));
    c.inject_fault(Fault::new(FaultKind::ErrorCode { code: 70500, info: "c".into() }));
    assert_eq!(c.faults().len(), 3);
    assert_fail(&h.member_info(body()).await, 10002);
    assert_fail(&h.call("get_group_muted_account", body()).await, 70169);
    assert_fail(&h.call("get_group_muted_account", body()).await, 70500);
    assert_ok(&h.member_info(body()).await);
    c.inject_fault(Fault::new(FaultKind::HttpStatus(500)).times(5));
    c.clear_faults();
    assert!(c.faults().is_empty());
    assert_ok(&h.member_info(body()).await);
}

#[tokio::test]
async fn faults_over_http() {
    let h = Harness::demo().await;
    let post = |spec: serde_json::Value| {
        let (client, url) = (h.client.clone(), h.inspect_url("faults"));
        async move { client.post(url).json(&spec).send().await.unwrap() }
    };
    assert_eq!(
        post(json!({"kind": "error_code", "code": 60008, "info": "slow", "times": 2, "command": CMD})).await.status(),
        200
    );
    assert_eq!(post(json!({"kind": "http_status", "status": 502})).await.status(), 200);
    assert_eq!(post(json!({"kind": "nope"})).await.status(), 400);
    assert_eq!(post(json!({"kind": "delay"})).await.status(), 400);
    assert_eq!(post(json!({"kind": "truncated_body", "tims": 2})).await.status(), 400);
    let listed: serde_json::Value = h.client.get(h.inspect_url("faults")).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(listed[0]["code"], 60008);
    assert_fail(&h.member_info(body()).await, 60008);
    let resp = h.client.delete(h.inspect_url("faults")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_ok(&h.member_info(body()).await);
}

/// One call as the client saw it: sent at `sent`, answered at `answered`, with `code`. The
/// emulator checked it against its rate somewhere in between.
#[derive(Clone, Copy, Debug)]
struct Timed {
    sent: Instant,
    answered: Instant,
    code: i64,
}

async fn timed(h: &Harness, url: String) -> Timed {
    let sent = Instant::now();
    let v: serde_json::Value =
        h.client.post(url).body(r#"{"GroupId":"@TGS#2DEMOPUB"}"#).send().await.unwrap().json().await.unwrap();
    Timed { sent, answered: Instant::now(), code: v["ErrorCode"].as_i64().unwrap() }
}

/// The strict rule, judged from the client's side whatever the machine's load: the accepted
/// calls checked surely within one second of each other (sent after `t - 1 s`, answered by
/// `t`) are never more than `rate`; and a call sent after `rate` accepted calls were answered,
/// all surely within the second before it was answered, must be refused.
fn assert_strict(calls: &[Timed], rate: usize) {
    let second = Duration::from_secs(1);
    let accepted: Vec<&Timed> = calls.iter().filter(|c| c.code == 0).collect();
    for (m, call) in calls.iter().enumerate() {
        assert!(call.code == 0 || call.code == 60007, "{calls:?}");
        let in_window =
            accepted.iter().filter(|c| c.sent + second > call.answered && c.answered <= call.answered).count();
        if call.code == 0 {
            assert!(in_window <= rate, "call {m}: {in_window} accepted within one second (rate {rate})");
        }
        let before = accepted.iter().filter(|c| c.sent + second > call.answered && c.answered <= call.sent).count();
        if before >= rate {
            assert_eq!(call.code, 60007, "call {m} came after {before} accepted calls within a second (rate {rate})");
        }
    }
}

#[tokio::test]
async fn rate_limit_trips_with_60007_per_command() {
    let h = Harness::start(EmulatorConfig { rate_limit_per_sec: Some(2), ..demo_config() }).await;
    let mut calls = Vec::new();
    for _ in 0..7 {
        calls.push(timed(&h, h.url(CMD)).await);
    }
    let codes: Vec<i64> = calls.iter().map(|c| c.code).collect();
    // A fresh window takes the first `rate` calls.
    assert_eq!(&codes[..2], &[0, 0], "{codes:?}");
    assert_strict(&calls, 2);
    let limited = h.emu.control().calls().iter().filter(|c| c.error_code == Some(60007)).count();
    assert_eq!(limited, codes.iter().filter(|c| **c == 60007).count());
    // Other commands have their own bucket.
    assert_ok(&h.call("get_group_muted_account", body()).await);
    // Disabled at run time.
    h.emu.control().set_rate_limit(None);
    for _ in 0..50 {
        assert_ok(&h.member_info(body()).await);
    }
    // Re-enabled over HTTP (one call per second: an immediate second call is refused).
    let r = h.client.post(h.inspect_url("rate-limit")).json(&json!({"per_sec": 1})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(h.emu.control().rate_limit(), Some(1));
    let calls = [timed(&h, h.url(CMD)).await, timed(&h, h.url(CMD)).await];
    assert_eq!(calls[0].code, 0);
    assert_strict(&calls, 1);
    let r = h.client.post(h.inspect_url("rate-limit")).json(&json!({"per_sec": null})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(h.emu.control().rate_limit(), None);
    assert_ok(&h.member_info(body()).await);
    for bad in [json!({"per_sex": 3}), json!({}), json!({"per_sec": -1}), json!({"per_sec": "5"}), json!([5])] {
        let r = h.client.post(h.inspect_url("rate-limit")).json(&bad).send().await.unwrap();
        assert_eq!(r.status(), 400, "{bad}");
    }
    assert_eq!(h.emu.control().rate_limit(), None);
}

#[tokio::test]
async fn default_rate_limit_is_200_per_second() {
    let h = Harness::start(EmulatorConfig { seed_file: Some(demo_fixture()), ..EmulatorConfig::default() }).await;
    assert_eq!(h.emu.control().rate_limit(), Some(200));
    // 400 concurrent calls: a fresh window takes the first 200 checked, and never more than
    // 200 within one second.
    let h = std::sync::Arc::new(h);
    let mut tasks = Vec::new();
    for _ in 0..400 {
        let h = std::sync::Arc::clone(&h);
        tasks.push(tokio::spawn(async move { timed(&h, h.url(CMD)).await }));
    }
    let mut calls = Vec::new();
    for t in tasks {
        calls.push(t.await.unwrap());
    }
    let ok = calls.iter().filter(|c| c.code == 0).count();
    assert!(ok >= 200, "a fresh window takes 200: {ok}");
    assert_strict(&calls, 200);
}

#[tokio::test]
async fn evenly_spaced_calls_at_the_rate_never_trip() {
    let h = Harness::start(EmulatorConfig { rate_limit_per_sec: Some(50), ..demo_config() }).await;
    // Each call leaves 20 ms after the previous answer: the emulator's checks are at least
    // 1 s / 50 apart, however late a call is answered.
    for i in 0..120 {
        let v = h.member_info(body()).await;
        assert_eq!(v["ErrorCode"], 0, "call {i}: {v}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn arrivals_are_stamped_before_a_delay_and_the_peak_in_flight_is_kept() {
    let h = std::sync::Arc::new(Harness::start(EmulatorConfig { rate_limit_per_sec: None, ..demo_config() }).await);
    h.emu.control().inject_fault(Fault::new(FaultKind::Delay(Duration::from_millis(600))).times(3));
    let started_us = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros() as u64;
    let tasks: Vec<_> = (0..3)
        .map(|_| {
            let h = std::sync::Arc::clone(&h);
            tokio::spawn(async move { timed(&h, h.url(CMD)).await })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().code, 0);
    }
    let control = h.emu.control();
    let arrivals = control.arrivals(CMD);
    assert_eq!(arrivals.len(), 3);
    // Stamped on arrival, before the 600 ms delay: every answer came at least that long after.
    let answered_us = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros() as u64;
    assert!(arrivals.iter().all(|&t| t + 600_000 <= answered_us), "{arrivals:?} vs {answered_us}");
    assert!(arrivals.iter().all(|&t| t >= started_us), "{arrivals:?} vs {started_us}");
    assert_eq!(control.peak_in_flight(), 3);
    assert_eq!(control.busiest_second(CMD), 3);
    let stats: serde_json::Value = h.client.get(h.inspect_url("stats")).send().await.unwrap().json().await.unwrap();
    assert_eq!(stats["calls"], 3);
    assert_eq!(stats["in_flight"], 0);
    assert_eq!(stats["peak_in_flight"], 3);
    assert_eq!(stats["busiest_second"][CMD], 3);
    // Clearing the log starts the figures afresh.
    control.clear_calls();
    assert_eq!((control.peak_in_flight(), control.arrivals(CMD).len()), (0, 0));
}
