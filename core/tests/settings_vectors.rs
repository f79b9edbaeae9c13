//! The settings parity vectors (`tests/vectors/settings.json`) through the Rust host: each case's
//! options as [`ClientOptions`] fields (or its variables through [`ClientOptions::from_lookup`]),
//! built into a [`Client`] whose [`Client::settings`] must be the expected JSON, or refused
//! with `InvalidArgument` naming the expected field. No case sends anything.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use timadmin::settings::SETTINGS;
use timadmin::{
    AsyncUserSigProvider, BlockingClient, Client, ClientOptions, Config, Error, RateLimit, UserSigProvider,
};

fn vectors() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/settings.json");
    let text = std::fs::read_to_string(path).expect("tests/vectors/settings.json");
    let doc: Value = serde_json::from_str(&text).expect("settings.json is JSON");
    doc["cases"].as_array().expect("cases").clone()
}

struct AsyncSig(String);

impl AsyncUserSigProvider for AsyncSig {
    fn usersig(&self) -> futures::future::BoxFuture<'static, Result<String, String>> {
        let sig = self.0.clone();
        Box::pin(async move { Ok(sig) })
    }
}

fn seconds(v: &Value) -> Duration {
    Duration::from_secs_f64(v.as_f64().expect("seconds are a number"))
}

/// A case's `options` as the Rust host's [`ClientOptions`].
fn options(json: &Value) -> ClientOptions {
    let mut o = ClientOptions::default();
    for (name, v) in json.as_object().expect("options object") {
        let text = || v.as_str().map(str::to_owned);
        match name.as_str() {
            "sdkappid" => o.sdkappid = v.as_u64(),
            "secret_key" => o.secret_key = text(),
            "usersig" => o.usersig = text(),
            "usersig_provider" => {
                let sig = v.as_str().expect("provider's UserSig").to_owned();
                let provider: Arc<dyn UserSigProvider> = Arc::new(move || Ok::<_, String>(sig.clone()));
                o.usersig_provider = Some(provider);
            }
            "async_usersig_provider" => {
                o.async_usersig_provider = Some(Arc::new(AsyncSig(v.as_str().expect("UserSig").to_owned())));
            }
            "identifier" => o.identifier = text(),
            "region" => o.region = text(),
            "base_url" => o.base_url = text(),
            "timeout" => o.timeout = Some(seconds(v)),
            "max_retries" => o.max_retries = v.as_u64().map(|n| u32::try_from(n).expect("u32")),
            "rate_limit" => {
                o.rate_limit = Some(match v {
                    Value::Null => RateLimit::Off,
                    Value::String(s) if s == "off" => RateLimit::Off,
                    n => RateLimit::PerSecond(n.as_f64().expect("rate")),
                })
            }
            "usersig_lifetime" => o.usersig_lifetime = Some(seconds(v)),
            "max_response_bytes" => o.max_response_bytes = v.as_u64(),
            "allow_insecure_http" => o.allow_insecure_http = v.as_bool(),
            "max_in_flight" => o.max_in_flight = v.as_u64().map(|n| u32::try_from(n).expect("u32")),
            "rate_limit_redis_url" => o.rate_limit_redis_url = text(),
            "fleet_size" => o.fleet_size = v.as_u64().map(|n| u32::try_from(n).expect("u32")),
            "redis_fallback" => o.redis_fallback = Some(v.as_str().expect("fallback").parse().expect("fallback name")),
            other => panic!("the Rust host has no setting {other:?}: add it to ClientOptions"),
        }
    }
    o
}

/// JSON equality with numbers compared as numbers (`2 == 2.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w)),
        _ => a == b,
    }
}

fn skipped(case: &Value) -> bool {
    case["needs"].as_array().is_some_and(|needs| needs.iter().any(|n| n == "redis" && !cfg!(feature = "redis")))
}

fn field(e: Error) -> String {
    match e {
        Error::InvalidArgument { field, .. } => field,
        other => panic!("not an InvalidArgument: {other:?}"),
    }
}

#[tokio::test]
async fn every_case() {
    let (mut ran, mut skipped_cases) = (0, 0);
    for case in vectors() {
        let name = case["name"].as_str().expect("name").to_owned();
        if skipped(&case) {
            skipped_cases += 1;
            continue;
        }
        let built: Result<Config, Error> = if let Some(opts) = case.get("options") {
            options(opts).build()
        } else {
            let vars: HashMap<String, String> = case["env"]
                .as_object()
                .expect("env object")
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().expect("env values are strings").to_owned()))
                .collect();
            ClientOptions::config_from_lookup(|k| vars.get(k).cloned())
        };
        match (built, case.get("settings"), case.get("error")) {
            (Ok(config), Some(want), None) => {
                let client = Client::new(config.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
                let shown = client.settings();
                assert!(same(&shown, want), "{name}:\n got  {shown}\n want {want}");
                let text: Value = serde_json::from_str(&client.settings_json()).expect("settings_json is JSON");
                assert!(same(&text, want), "{name}: settings_json");
                assert!(same(&config.settings(), want), "{name}: Config::settings");
            }
            (Err(e), None, Some(want)) => {
                let want = want["field"].as_str().expect("field");
                assert_eq!(field(e), want, "{name}");
            }
            (Ok(config), None, Some(want)) => {
                panic!("{name}: built {} but wanted an error {want}", config.settings_json())
            }
            (Err(e), Some(_), None) => panic!("{name}: refused: {e}"),
            _ => panic!("{name}: a case has settings or error, not both"),
        }
        ran += 1;
    }
    eprintln!("settings vectors: {ran} run, {skipped_cases} skipped (need the redis feature)");
    assert!(ran >= 90, "only {ran} cases ran");
}

#[test]
fn the_vectors_cover_every_setting() {
    let cases = vectors();
    for s in SETTINGS {
        let set_as_option = cases.iter().any(|c| c["options"].get(s.name).is_some());
        assert!(set_as_option, "no case sets {} as an option", s.name);
        if let Some(env) = s.env {
            assert!(cases.iter().any(|c| c["env"].get(env).is_some()), "no case sets {env}");
        }
        let refused = cases.iter().any(|c| c["error"]["field"] == s.name);
        let fixed = matches!(
            s.kind,
            timadmin::settings::Kind::Provider
                | timadmin::settings::Kind::Bool
                | timadmin::settings::Kind::RedisFallback
        ) || s.name == "max_retries";
        assert!(refused || fixed, "no case refuses a bad {}", s.name);
        for case in cases.iter().filter_map(|c| c.get("settings")) {
            assert!(case.get(s.name).is_some(), "an expected document lacks {}", s.name);
        }
    }
}

#[test]
fn the_blocking_client_shows_the_same_document() {
    let config = ClientOptions {
        secret_key: Some("topsecret-key".into()),
        base_url: Some("http://127.0.0.1:9".into()),
        ..ClientOptions::new(1400000000)
    }
    .build()
    .unwrap();
    let blocking = BlockingClient::new(config.clone()).unwrap();
    assert_eq!(blocking.settings(), config.settings());
    assert!(!blocking.settings_json().contains("topsecret"), "{}", blocking.settings_json());
}

#[test]
fn the_readme_table_lists_every_setting() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).expect("README.md");
    let start = readme.find("| setting | environment | CLI flag |").expect("the README's settings table");
    let rows: Vec<&str> = readme[start..].lines().skip(2).map(str::trim).take_while(|l| l.starts_with('|')).collect();
    assert_eq!(rows.len(), SETTINGS.len(), "one row per setting");
    for (row, s) in rows.iter().zip(SETTINGS) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(cells[1], format!("`{}`", s.name), "{row}");
        match s.env {
            Some(env) => {
                assert_eq!(cells[2], format!("`{env}`"), "{row}");
                assert_eq!(cells[3], format!("`{}`", s.flag()), "{row}");
            }
            None => assert_eq!((cells[2], cells[3]), ("—", "—"), "{row}"),
        }
    }
}
