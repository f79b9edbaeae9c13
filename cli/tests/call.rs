//! `timadmin call COMMAND [JSON | -]` end to end against the emulator: the three typed endpoints
//! called raw answer as their subcommands do, an unknown command is the service's 10003 (exit
//! 1), and the command-path vectors (`tests/vectors/commands.json`) are refused before the network
//! (exit 2).

mod common;

use std::io::Write;
use std::process::Stdio;

use common::{accounts, emulator, tim, tim_run, Run};
use serde_json::{json, Value};

const PUB: &str = "@TGS#2DEMOPUB";
const MUTED: &str = "@TGS#_demo";

/// Runs `timadmin call ARGS` with `stdin` as its standard input.
fn call_with_stdin(emu: &timadmin_emulator::Emulator, args: &[&str], stdin: &str) -> Run {
    let mut child = tim(emu)
        .arg("call")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

#[test]
fn the_typed_endpoints_called_raw_answer_as_their_subcommands() {
    let emu = emulator();
    let body = json!({"GroupId": PUB}).to_string();
    let raw = tim_run(&emu, &["call", "group_open_http_svc/get_group_member_info", &body]).ok().json();
    assert_eq!(raw["ActionStatus"], "OK");
    let typed = tim_run(&emu, &["members", PUB, "--format", "ndjson"]).ok().ndjson();
    let raw_members = raw["MemberList"].as_array().unwrap();
    assert_eq!(accounts(raw_members), accounts(&typed));
    let roles = |items: &[Value]| -> Vec<String> {
        items.iter().map(|m| m["Role"].as_str().unwrap_or("").trim().to_owned()).collect()
    };
    assert_eq!(roles(raw_members), roles(&typed));
    assert_eq!(raw["MemberNum"].as_u64(), Some(typed.len() as u64));

    // The body from stdin, with `-` and with no argument.
    let muted_body = json!({"GroupId": MUTED}).to_string();
    let dash = call_with_stdin(&emu, &["group_open_http_svc/get_group_muted_account", "-"], &muted_body).ok().json();
    let none = call_with_stdin(&emu, &["group_open_http_svc/get_group_muted_account"], &muted_body).ok().json();
    assert_eq!(dash["MutedAccountList"], none["MutedAccountList"]);
    let typed = tim_run(&emu, &["muted", MUTED, "--format", "json"]).ok().json();
    let pairs = |list: &Value| -> Vec<(String, u64)> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|m| (m["Member_Account"].as_str().unwrap().to_owned(), m["MutedUntil"].as_u64().unwrap()))
            .collect()
    };
    assert!(!pairs(&typed).is_empty());
    assert_eq!(pairs(&dash["MutedAccountList"]), pairs(&typed));

    let modify = json!({"GroupId": PUB, "Name": "raw from the CLI"}).to_string();
    let answer = tim_run(&emu, &["call", "group_open_http_svc/modify_group_base_info", &modify]).ok().json();
    assert_eq!((answer["ActionStatus"].as_str(), answer["ErrorCode"].as_i64()), (Some("OK"), Some(0)));
    assert_eq!(emu.control().group(PUB).unwrap().name, "raw from the CLI");
}

#[test]
fn an_unknown_command_is_the_service_error() {
    let emu = emulator();
    let run = tim_run(&emu, &["call", "openim/sendmsg", r#"{"From_Account":"a"}"#]).expect_code(1);
    assert!(run.stderr.contains("service error 10003"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    run.assert_never_shows(emu.key());
}

#[test]
fn command_vectors_and_bad_bodies_are_refused_before_the_network() {
    let emu = emulator();
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/commands.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    for case in doc["cases"].as_array().unwrap() {
        let command = case["command"].as_str().unwrap();
        if command.starts_with('-') || command.contains('\0') {
            continue; // not passable as a positional argument
        }
        emu.control().clear_calls();
        let run = tim_run(&emu, &["call", command, "{}"]);
        if case["valid"].as_bool().unwrap() {
            assert!(matches!(run.code, 0 | 1), "{command:?}: {run:?}");
            assert_eq!(emu.control().calls().len(), 1, "{command:?} was sent once");
        } else {
            let field = case["error"].as_str().unwrap();
            let run = run.expect_code(2);
            assert!(run.stderr.contains(&format!("invalid argument {field}")), "{command:?}: {}", run.stderr);
            assert!(emu.control().calls().is_empty(), "{command:?} reached the network");
        }
    }
    emu.control().clear_calls();
    for body in ["[]", "not json", "\"x\""] {
        let run = tim_run(&emu, &["call", "openim/sendmsg", body]).expect_code(2);
        assert!(run.stderr.contains("invalid argument body"), "{body}: {}", run.stderr);
    }
    assert!(emu.control().calls().is_empty());
}
