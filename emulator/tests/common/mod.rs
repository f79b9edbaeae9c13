//! Shared helpers for the emulator's HTTP tests.
#![allow(dead_code)]

use std::path::PathBuf;

use serde_json::{json, Value};
use timadmin_emulator::{Emulator, EmulatorConfig};

/// A running emulator plus an HTTP client and a valid admin UserSig.
pub struct Harness {
    pub emu: Emulator,
    pub client: reqwest::Client,
    pub sig: String,
}

pub fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().build().expect("reqwest client")
}

pub fn demo_fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo.json")
}

/// Default config, no rate limit, demo fixture loaded.
pub fn demo_config() -> EmulatorConfig {
    EmulatorConfig { rate_limit_per_sec: None, seed_file: Some(demo_fixture()), ..EmulatorConfig::default() }
}

impl Harness {
    pub async fn start(config: EmulatorConfig) -> Harness {
        let emu = Emulator::start(config).await.expect("emulator starts");
        let sig = timadmin::usersig::generate(emu.sdkappid(), emu.key(), emu.admin_identifier(), 86_400).expect("sig");
        Harness { emu, client: client(), sig }
    }

    pub async fn demo() -> Harness {
        Harness::start(demo_config()).await
    }

    /// A correct request URL for `command`.
    pub fn url(&self, command: &str) -> String {
        self.url_with(
            command,
            &format!(
                "sdkappid={}&identifier={}&usersig={}&random={}&contenttype=json",
                self.emu.sdkappid(),
                self.emu.admin_identifier(),
                self.sig,
                rand_u32()
            ),
        )
    }

    pub fn url_with(&self, command: &str, query: &str) -> String {
        format!("{}/v4/group_open_http_svc/{command}?{query}", self.emu.base_url())
    }

    /// POSTs `body` (raw text) to `url` and parses the JSON reply, asserting HTTP 200.
    pub async fn post_raw(&self, url: &str, body: &str) -> Value {
        let resp = self.client.post(url).body(body.to_owned()).send().await.expect("send");
        assert_eq!(resp.status(), 200, "HTTP status");
        let text = resp.text().await.expect("body");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("reply is not JSON ({e}): {text}"))
    }

    /// Calls `command` with a correct envelope.
    pub async fn call(&self, command: &str, body: Value) -> Value {
        self.post_raw(&self.url(command), &body.to_string()).await
    }

    pub async fn member_info(&self, body: Value) -> Value {
        self.call("get_group_member_info", body).await
    }

    pub fn inspect_url(&self, path: &str) -> String {
        format!("{}/__emulator/{path}", self.emu.base_url())
    }
}

pub fn rand_u32() -> u32 {
    use std::time::{SystemTime, UNIX_EPOCH};
    let n = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(7);
    n.wrapping_mul(2_654_435_761)
}

/// Asserts a FAIL reply with `code`; returns ErrorInfo.
#[track_caller]
pub fn assert_fail(v: &Value, code: i64) -> String {
    assert_eq!(v["ActionStatus"], "FAIL", "{v}");
    assert_eq!(v["ErrorCode"], code, "{v}");
    let info = v["ErrorInfo"].as_str().unwrap_or_default().to_owned();
    assert!(!info.is_empty(), "ErrorInfo must explain: {v}");
    info
}

/// Asserts an OK reply.
#[track_caller]
pub fn assert_ok(v: &Value) {
    assert_eq!(v["ActionStatus"], "OK", "{v}");
    assert_eq!(v["ErrorCode"], 0, "{v}");
    assert_eq!(v["ErrorInfo"], "", "{v}");
}

pub fn accounts(v: &Value) -> Vec<String> {
    v["MemberList"]
        .as_array()
        .map(|a| a.iter().map(|m| m["Member_Account"].as_str().unwrap_or_default().to_owned()).collect())
        .unwrap_or_default()
}

pub fn gid(id: &str) -> Value {
    json!({ "GroupId": id })
}
