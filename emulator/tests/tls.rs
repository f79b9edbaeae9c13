//! `--tls`: the emulator serves HTTPS with a self-signed certificate it makes at start, for
//! 127.0.0.1, ::1 and localhost. A client trusting that certificate (its PEM) gets the same
//! answers as over plain HTTP; a client that does not trust it is refused during the handshake.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::*;
use serde_json::{json, Value};
use timadmin_emulator::EmulatorConfig;

/// A client that trusts only `pem`.
fn trusting(pem: &str) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cert = reqwest::Certificate::from_pem(pem.as_bytes()).expect("the emulator's PEM parses");
    reqwest::Client::builder().tls_certs_only([cert]).build().expect("client")
}

#[tokio::test]
async fn tls_serves_the_same_api_over_https() {
    let mut h = Harness::start(EmulatorConfig { tls: true, ..demo_config() }).await;
    let base = h.emu.base_url();
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    let pem = h.emu.tls_cert_pem().expect("a TLS emulator has a certificate").to_owned();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\n") && pem.ends_with("-----END CERTIFICATE-----\n"), "{pem}");

    // Without trusting the certificate: refused, nothing served.
    let err = client().post(h.url("get_group_member_info")).body("{}").send().await.unwrap_err();
    assert!(format!("{err:?}").to_lowercase().contains("certificate"), "{err:?}");
    assert!(h.emu.control().calls().is_empty());

    // Trusting it: the API answers as over HTTP (and the inspection routes too).
    h.client = trusting(&pem);
    let v = h.member_info(json!({"GroupId": "@TGS#2DEMOPUB", "Limit": 2})).await;
    assert_ok(&v);
    assert_eq!(v["MemberNum"], 5);
    assert_fail(&h.call("nope", json!({})).await, 10003);
    let calls: Value = h.client.get(h.inspect_url("calls")).send().await.unwrap().json().await.unwrap();
    assert_eq!(calls.as_array().unwrap().len(), 2);

    // The certificate names localhost too.
    let by_name = h.url("get_group_muted_account").replace("https://127.0.0.1:", "https://localhost:");
    assert_ok(&h.post_raw(&by_name, r#"{"GroupId":"@TGS#2DEMOPUB"}"#).await);

    // Plain HTTP to the TLS port gets no HTTP answer.
    let plain = h.url("get_group_member_info").replace("https://", "http://");
    assert!(client().post(&plain).body(r#"{"GroupId":"@TGS#2DEMOPUB"}"#).send().await.is_err());
}

#[tokio::test]
async fn each_start_makes_its_own_certificate_and_plain_http_has_none() {
    let a = Harness::start(EmulatorConfig { tls: true, ..demo_config() }).await;
    let b = Harness::start(EmulatorConfig { tls: true, ..demo_config() }).await;
    assert_ne!(a.emu.tls_cert_pem(), b.emu.tls_cert_pem());
    // b's certificate does not open a.
    let err = trusting(b.emu.tls_cert_pem().unwrap()).post(a.url("get_group_member_info")).body("{}").send().await;
    assert!(err.is_err());
    let plain = Harness::demo().await;
    assert!(plain.emu.tls_cert_pem().is_none());
    assert!(plain.emu.base_url().starts_with("http://"));
}

struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn binary_writes_the_certificate_and_names_it_in_the_ready_line() {
    let dir = std::env::temp_dir().join(format!("timadmin-emulator-tls-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cert_path = dir.join("cert.pem");
    let mut child = Child(
        Command::new(env!("CARGO_BIN_EXE_timadmin-emulator"))
            .args(["--tls", "--tls-cert", cert_path.to_str().unwrap(), "--seed", demo_fixture().to_str().unwrap()])
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
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    assert_eq!(ready["tls_cert"], cert_path.to_str().unwrap());
    let pem = std::fs::read_to_string(&cert_path).unwrap();
    let key = ready["secret_key"].as_str().unwrap();
    let sig = timadmin::usersig::generate(1_400_000_000, key, "administrator", 600).unwrap();
    let url = format!(
        "{base}/v4/group_open_http_svc/get_group_muted_account?sdkappid=1400000000&identifier=administrator&usersig={sig}&random=7&contenttype=json"
    );
    let v: Value =
        trusting(&pem).post(&url).body(r#"{"GroupId":"@TGS#2DEMOPUB"}"#).send().await.unwrap().json().await.unwrap();
    assert_ok(&v);
    assert!(v["MutedAccountList"].as_array().is_some_and(|l| !l.is_empty()), "{v}");
    drop(child);
    let _ = std::fs::remove_dir_all(&dir);

    // --tls-cert without --tls is a usage error.
    let out = Command::new(env!("CARGO_BIN_EXE_timadmin-emulator")).args(["--tls-cert", "x.pem"]).output().unwrap();
    assert!(!out.status.success());
}
