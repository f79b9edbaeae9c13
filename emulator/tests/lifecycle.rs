//! Starting and stopping: stop is prompt even with a delayed request in flight, and a stopped
//! emulator no longer accepts connections.

mod common;

use std::time::{Duration, Instant};

use common::*;
use timadmin_emulator::{Emulator, EmulatorConfig, Fault, FaultKind};

#[test]
fn stop_is_prompt_with_a_delayed_request_in_flight() {
    let emu = Emulator::start_blocking(demo_config()).unwrap();
    emu.control().inject_fault(Fault::new(FaultKind::Delay(Duration::from_secs(30))));
    let sig = timadmin::usersig::generate(emu.sdkappid(), emu.key(), emu.admin_identifier(), 600).unwrap();
    let url = format!(
        "{}/v4/group_open_http_svc/get_group_muted_account?sdkappid={}&identifier={}&usersig={sig}&random=1&contenttype=json",
        emu.base_url(),
        emu.sdkappid(),
        emu.admin_identifier()
    );
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let pending = rt.spawn(async move { client().post(url).body(r#"{"GroupId":"@TGS#2DEMOPUB"}"#).send().await });
    // Wait until the server has the request (the fault is consumed when it arrives).
    let deadline = Instant::now() + Duration::from_secs(5);
    while !emu.control().faults().is_empty() {
        assert!(Instant::now() < deadline, "request never arrived");
        std::thread::sleep(Duration::from_millis(5));
    }
    let started = Instant::now();
    emu.stop();
    assert!(started.elapsed() < Duration::from_secs(5), "stop took {:?}", started.elapsed());
    // The in-flight request ends (answered after the cut-short delay, or dropped), not after 30 s.
    let outcome = rt.block_on(async { tokio::time::timeout(Duration::from_secs(5), pending).await });
    assert!(outcome.is_ok(), "in-flight request still hanging after stop");
}

#[tokio::test]
async fn stopped_async_emulator_refuses_connections() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let base = emu.base_url();
    let c = client();
    assert_eq!(c.get(format!("{base}/__emulator/info")).send().await.unwrap().status(), 200);
    emu.stop();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        // A fresh client so no pooled connection is reused.
        if client().get(format!("{base}/__emulator/info")).send().await.is_err() {
            break;
        }
        assert!(Instant::now() < deadline, "still serving after stop");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn several_emulators_run_side_by_side() {
    let a = Emulator::start(EmulatorConfig { sdkappid: 1_400_000_001, ..demo_config() }).await.unwrap();
    let b = Emulator::start(EmulatorConfig { sdkappid: 1_400_000_002, ..EmulatorConfig::default() }).await.unwrap();
    assert_ne!(a.base_url(), b.base_url());
    assert!(a.control().group("@TGS#_demo").is_some());
    assert!(b.control().group("@TGS#_demo").is_none());
    assert_eq!(b.sdkappid(), 1_400_000_002);
}

#[tokio::test]
async fn start_on_a_given_address() {
    let emu = Emulator::start_on("127.0.0.1:0".parse().unwrap(), EmulatorConfig::default()).await.unwrap();
    assert_eq!(emu.base_url(), format!("http://{}", emu.local_addr()));
    // Binding the same port again fails with an error, not a panic.
    let again = Emulator::start_on(emu.local_addr(), EmulatorConfig::default()).await;
    assert!(matches!(again, Err(timadmin_emulator::EmulatorError::Io(_))));
}
