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
    let r = h
        .client
        .post(h.url(CMD))
        .timeout(Duration::from_millis(300))
        .body(body().to_string())
        .send()
        .await;
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
    c.inject_fault(Fault::new(FaultKind::ErrorCode { code: 70169, info: "a".into() }).for_command("get_group_muted_account"));
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
    assert_eq!(post(json!({"kind": "error_code", "code": 60008, "info": "slow", "times": 2, "command": CMD})).await.status(), 200);
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

#[tokio::test]
async fn rate_limit_trips_with_60007_per_command() {
    let h = Harness::start(EmulatorConfig { rate_limit_per_sec: Some(2), ..demo_config() }).await;
    let started = Instant::now();
    let mut codes = Vec::new();
    for _ in 0..7 {
        codes.push(h.member_info(body()).await["ErrorCode"].as_i64().unwrap());
    }
    let elapsed = started.elapsed();
    assert_eq!(&codes[..2], &[0, 0], "burst equals the rate: {codes:?}");
    assert!(codes.iter().all(|c| *c == 0 || *c == 60007), "{codes:?}");
    // 2 + 2/s tokens: 7 calls within 2.5 s cannot all pass.
    assert!(codes.contains(&60007) || elapsed >= Duration::from_millis(2_500), "{codes:?} in {elapsed:?}");
    let limited = h.emu.control().calls().iter().filter(|c| c.error_code == Some(60007)).count();
    assert_eq!(limited, codes.iter().filter(|c| **c == 60007).count());
    // Other commands have their own bucket.
    assert_ok(&h.call("get_group_muted_account", body()).await);
    // Disabled at run time.
    h.emu.control().set_rate_limit(None);
    for _ in 0..50 {
        assert_ok(&h.member_info(body()).await);
    }
    // Re-enabled over HTTP (one call per second: the second immediate call is refused).
    let r = h.client.post(h.inspect_url("rate-limit")).json(&json!({"per_sec": 1})).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(h.emu.control().rate_limit(), Some(1));
    assert_ok(&h.member_info(body()).await);
    assert_fail(&h.member_info(body()).await, 60007);
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
    // 400 concurrent calls: the bucket holds 200 and refills 200/s, so if they all arrive
    // within a second some must be refused.
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..400 {
        let (client, url) = (h.client.clone(), h.url(CMD));
        tasks.push(tokio::spawn(async move {
            let v: serde_json::Value =
                client.post(url).body(r#"{"GroupId":"@TGS#2DEMOPUB"}"#).send().await.unwrap().json().await.unwrap();
            v["ErrorCode"].as_i64().unwrap()
        }));
    }
    let mut limited = 0;
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            0 => ok += 1,
            60007 => limited += 1,
            other => panic!("unexpected code {other}"),
        }
    }
    let elapsed = started.elapsed();
    assert!(ok >= 200, "at least the burst passes: {ok}");
    assert!(limited > 0 || elapsed >= Duration::from_secs(1), "some calls must be limited (ok={ok}, {elapsed:?})");
}

#[tokio::test]
async fn evenly_spaced_calls_at_the_rate_never_trip() {
    let h = Harness::start(EmulatorConfig { rate_limit_per_sec: Some(50), ..demo_config() }).await;
    let mut interval = tokio::time::interval(Duration::from_millis(20));
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    for i in 0..120 {
        interval.tick().await;
        let v = h.member_info(body()).await;
        assert_eq!(v["ErrorCode"], 0, "call {i}: {v}");
    }
}
