//! The settings parity vectors (`tests/vectors/settings.json`) through the CLI: each case's
//! options as flags (`--name=value`), or its variables as the child's `TIM_*` environment, given
//! to `timadmin settings`, which must print the expected JSON or fail with exit code 2 naming
//! the expected field. Sends nothing.

mod common;

use common::{bare, run};
use serde_json::Value;
use timadmin::settings::{Kind, SETTINGS};

fn vectors() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/settings.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("settings.json")).expect("JSON");
    doc["cases"].as_array().expect("cases").clone()
}

/// A case's options as flags; `None` when one cannot be a flag (a callback).
fn flags(options: &Value) -> Option<Vec<String>> {
    let mut args = Vec::new();
    for (name, v) in options.as_object().expect("options") {
        let setting = SETTINGS.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("unknown setting {name}"));
        if setting.kind == Kind::Provider {
            return None;
        }
        let text = match v {
            Value::Null => "off".to_owned(), // only rate_limit may be null: off
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        args.push(format!("{}={text}", setting.flag()));
    }
    Some(args)
}

/// JSON equality with numbers compared as numbers.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// The field of `error: invalid argument FIELD: ...` on stderr.
fn field(stderr: &str) -> Option<&str> {
    let rest = stderr.split("invalid argument ").nth(1)?;
    rest.split(':').next()
}

#[test]
fn every_case() {
    let (mut ran, mut skipped) = (0, Vec::new());
    for case in vectors() {
        let name = case["name"].as_str().expect("name");
        let mut cmd = bare();
        if let Some(options) = case.get("options") {
            match flags(options) {
                Some(args) => cmd.args(args),
                None => {
                    skipped.push(name.to_owned());
                    continue;
                }
            };
        } else {
            for (k, v) in case["env"].as_object().expect("env") {
                cmd.env(k, v.as_str().expect("string"));
            }
        }
        cmd.arg("settings");
        let r = run(&mut cmd);
        if let Some(want) = case.get("settings") {
            assert_eq!(r.code, 0, "{name}: {}", r.stderr);
            let got = r.json();
            assert!(same(&got, want), "{name}:\n got  {got}\n want {want}");
        } else {
            let want = case["error"]["field"].as_str().expect("field");
            assert_eq!(r.code, 2, "{name}: {}{}", r.stdout, r.stderr);
            assert!(r.stdout.is_empty(), "{name}: {}", r.stdout);
            assert_eq!(field(&r.stderr), Some(want), "{name}: {}", r.stderr);
        }
        ran += 1;
    }
    eprintln!("CLI settings vectors: {ran} run, skipped (a callback is no flag): {skipped:?}");
    assert!(ran >= 100, "only {ran} cases ran");
    // Only the callback cases are skipped.
    assert!(skipped.len() <= 3, "{skipped:?}");
}

#[test]
fn every_setting_has_a_flag_and_its_variable_in_the_help() {
    let help = run(bare().arg("--help")).ok().stdout;
    for s in SETTINGS.iter().filter(|s| s.kind != Kind::Provider) {
        assert!(help.contains(&s.flag()), "--help lacks {}", s.flag());
        let env = s.env.expect("every flag has a variable");
        assert!(help.contains(env), "--help lacks {env}");
    }
}

#[test]
fn a_flag_wins_over_its_variable_and_secrets_are_never_printed() {
    let r = run(bare()
        .env("TIM_SDKAPPID", "1400000000")
        .env("TIM_SECRET_KEY", "env-secret-key")
        .env("TIM_TIMEOUT", "30")
        .env("TIM_REGION", "tokyo")
        .args(["--timeout", "2", "--usersig", "flag-usersig-secret", "--base-url", "http://127.0.0.1:9", "settings"]))
    .ok();
    let got = r.json();
    assert_eq!(got["timeout"], 2);
    assert_eq!(got["usersig"], "***");
    assert_eq!(got["secret_key"], Value::Null, "a credential flag replaces the variable's");
    assert_eq!(got["region"], Value::Null);
    r.assert_never_shows("env-secret-key");
    r.assert_never_shows("flag-usersig-secret");
    // Two flags for one choice are refused by the core, naming the setting.
    let r = run(bare().args(["--sdkappid", "1", "--secret-key", "k", "--usersig", "s", "settings"])).expect_code(2);
    assert_eq!(field(&r.stderr), Some("secret_key"), "{}", r.stderr);
}
