//! `timadmin muted`, `modify`, `usersig` and `emulator` end to end.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use common::{bare, emulator, run, tim, tim_run};
use serde_json::{json, Value};
use timadmin_emulator::{Fault, FaultKind, KeyValue, DEFAULT_KEY, DEFAULT_SDKAPPID};

const PUB: &str = "@TGS#2DEMOPUB";

#[test]
fn muted_in_every_format() {
    let emu = emulator();
    // carol's mute (2016) has ended, so only peter (for good) and tommy (until 2100) are listed.
    let json = tim_run(&emu, &["muted", PUB, "--format", "json"]).ok();
    assert_eq!(
        json.json(),
        json!([
            {"Member_Account": "peter", "MutedUntil": 4294967295u64},
            {"Member_Account": "tommy", "MutedUntil": 4102444800u64}
        ])
    );
    let ndjson = tim_run(&emu, &["muted", PUB]).ok();
    assert_eq!(
        ndjson.ndjson(),
        [
            json!({"Member_Account": "peter", "MutedUntil": 4294967295u64}),
            json!({"Member_Account": "tommy", "MutedUntil": 4102444800u64})
        ]
    );
    let csv = tim_run(&emu, &["muted", PUB, "--format", "csv"]).ok();
    assert_eq!(csv.stdout, "Member_Account,MutedUntil\npeter,4294967295\ntommy,4102444800\n");
    let table = tim_run(&emu, &["muted", PUB, "--format", "table"]).ok();
    assert_eq!(
        table.stdout,
        "Member_Account  MutedUntil\npeter           forever\ntommy           2100-01-01 00:00:00Z\n"
    );
    let body = emu.control().calls()[0].body.clone().unwrap();
    assert_eq!(body, json!({"GroupId": PUB}));
}

#[test]
fn muted_in_a_topic() {
    let emu = emulator();
    let run = tim_run(&emu, &["muted", "@TGS#_demo", "--topic", "@TGS#_demo@TOPIC#_news", "--format", "json"]).ok();
    assert_eq!(run.json(), json!([{"Member_Account": "m1", "MutedUntil": 4294967295u64}]));
    let body = emu.control().calls()[0].body.clone().unwrap();
    assert_eq!(body, json!({"GroupId": "@TGS#_demo", "TopicId": "@TGS#_demo@TOPIC#_news"}));
    let none = tim_run(&emu, &["muted", "@TGS#_demo", "--topic", "@TGS#_demo@TOPIC#_chat", "--format", "table"]).ok();
    assert_eq!(none.stdout, "Member_Account  MutedUntil\n");
}

#[test]
fn modify_changes_only_what_is_given() {
    let emu = emulator();
    let before = emu.control().group(PUB).unwrap();
    let run = tim_run(
        &emu,
        &[
            "modify",
            PUB,
            "--name",
            "群聊 renamed",
            "--introduction",
            "intro",
            "--notification",
            "notice",
            "--face-url",
            "https://example.invalid/f.png",
            "--max-member-num",
            "3000",
            "--apply-join-option",
            "DisableApply",
            "--shut-up-all-member",
            "on",
            "--app-data",
            "GroupTestData2=x=y",
            "--app-data",
            "Fresh=1",
            "--delete-app-data",
            "GroupTestData1",
        ],
    )
    .ok();
    assert_eq!(
        run.stdout,
        "modified @TGS#2DEMOPUB: Name, Introduction, Notification, FaceUrl, MaxMemberNum, ApplyJoinOption, \
         ShutUpAllMember, AppDefinedData\n"
    );
    let g = emu.control().group(PUB).unwrap();
    assert_eq!(g.name, "群聊 renamed");
    assert_eq!(g.introduction, "intro");
    assert_eq!(g.notification, "notice");
    assert_eq!(g.face_url, "https://example.invalid/f.png");
    assert_eq!(g.max_member_num, 3000);
    assert_eq!(g.apply_join_option, "DisableApply");
    assert_eq!(g.shut_up_all_member, "On");
    assert!(g.app_defined_data.contains(&KeyValue::new("GroupTestData2", "x=y")));
    assert!(g.app_defined_data.contains(&KeyValue::new("Fresh", "1")));
    assert!(g.app_defined("GroupTestData1").is_none());
    assert_eq!(g.member_list, before.member_list);
    let body = emu.control().calls()[0].body.clone().unwrap();
    assert_eq!(body["ShutUpAllMember"], "On");
    assert_eq!(
        body["AppDefinedData"],
        json!([
            {"Key": "GroupTestData2", "Value": "x=y"}, {"Key": "Fresh", "Value": "1"}, {"Key": "GroupTestData1", "Value": ""}
        ])
    );

    // A second, smaller change leaves the rest alone.
    tim_run(&emu, &["modify", PUB, "--shut-up-all-member", "OFF"]).ok();
    let g2 = emu.control().group(PUB).unwrap();
    assert_eq!(g2.shut_up_all_member, "Off");
    assert_eq!(g2.name, "群聊 renamed");
    assert_eq!(emu.control().calls()[1].body.clone().unwrap(), json!({"GroupId": PUB, "ShutUpAllMember": "Off"}));
}

#[test]
fn the_rest_command_words_and_earlier_names_are_accepted() {
    let emu = emulator();
    // Each endpoint's REST command word names the same subcommand as its short name.
    let short = tim_run(&emu, &["muted", PUB]).ok().ndjson();
    assert_eq!(tim_run(&emu, &["get-group-muted-account", PUB]).ok().ndjson(), short);
    let members = tim_run(&emu, &["get-group-member-info", PUB]).ok().ndjson();
    assert_eq!(members.len(), 5);
    tim_run(&emu, &["modify-group-base-info", PUB, "--name", "Renamed"]).ok();
    // `usersig generate` (`gen` for short), and `--key` as the earlier name of `--secret-key`.
    let long = run(tim(&emu).args(["usersig", "generate", "--identifier", "bob"])).ok();
    let token = long.lines()[0].to_owned();
    let c = timadmin::usersig::verify(DEFAULT_SDKAPPID, DEFAULT_KEY, "bob", &token).unwrap();
    assert_eq!(c.identifier, "bob");
    let old =
        run(bare().args(["--sdkappid", &DEFAULT_SDKAPPID.to_string(), "--key", DEFAULT_KEY, "usersig", "gen"])).ok();
    assert!(timadmin::usersig::verify(DEFAULT_SDKAPPID, DEFAULT_KEY, "administrator", old.lines()[0]).is_ok());
}

#[test]
fn usersig_gen_then_verify() {
    let emu = emulator();
    let gen = run(tim(&emu).args(["usersig", "gen", "--identifier", "alice", "--expire", "3600"])).ok();
    let lines = gen.lines();
    assert_eq!(lines.len(), 1);
    let token = lines[0].to_owned();
    assert!(!token.is_empty());
    let verify = run(tim(&emu).args(["usersig", "verify", "--identifier", "alice", &token])).ok();
    let claims = verify.json();
    assert_eq!(claims["identifier"], "alice");
    assert_eq!(claims["sdkappid"], DEFAULT_SDKAPPID);
    assert_eq!(claims["expire"], 3600);
    let time = claims["time"].as_u64().unwrap();
    assert_eq!(claims["expires_at"], time + 3600);
    assert!(claims.get("userbuf_base64").is_none());
    // The core's own verifier agrees.
    let c = timadmin::usersig::verify(DEFAULT_SDKAPPID, DEFAULT_KEY, "alice", &token).unwrap();
    assert_eq!(c.time, time);
}

#[test]
fn usersig_with_userbuf() {
    let emu = emulator();
    let gen = run(tim(&emu).args(["usersig", "gen", "--identifier", "bob", "--userbuf-base64", "aGVsbG8="])).ok();
    let token = gen.stdout.trim().to_owned();
    let ok =
        run(tim(&emu).args(["usersig", "verify", "--identifier", "bob", "--userbuf-base64", "aGVsbG8=", &token])).ok();
    assert_eq!(ok.json()["userbuf_base64"], "aGVsbG8=");
    let bad = run(tim(&emu).args(["usersig", "verify", "--identifier", "bob", "--userbuf-base64", "b3RoZXI=", &token]))
        .expect_code(1);
    assert!(bad.stderr.contains("userbuf mismatch"), "{}", bad.stderr);
    assert!(bad.stdout.is_empty());
}

#[test]
fn usersig_verify_fails_with_the_reason() {
    let emu = emulator();
    let token = run(tim(&emu).args(["usersig", "gen", "--identifier", "alice"])).ok().stdout.trim().to_owned();
    let cases: [(&[&str], &str); 4] = [
        (&["--identifier", "bob"], "identifier mismatch"),
        (&["--identifier", "alice", "--sdkappid", "1400000001"], "sdkappid mismatch"),
        (&["--identifier", "alice", "--secret-key", "not-the-key"], "signature mismatch"),
        (&["--identifier", "alice"], "malformed"),
    ];
    for (i, (args, reason)) in cases.iter().enumerate() {
        let subject = if i == 3 { "garbage!" } else { token.as_str() };
        let r = run(tim(&emu).args(["usersig", "verify"]).args(*args).arg(subject)).expect_code(1);
        assert!(r.stderr.contains("does not verify"), "{}", r.stderr);
        assert!(r.stderr.to_lowercase().contains(reason), "{reason}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{}", r.stdout);
        assert!(!r.stderr.contains(&token), "the token is not echoed");
        r.assert_never_shows(DEFAULT_KEY);
    }
    let expired = timadmin::usersig::Signer::with_clock(
        DEFAULT_SDKAPPID,
        DEFAULT_KEY,
        std::sync::Arc::new(timadmin::usersig::FixedClock(1_600_000_000)),
    )
    .unwrap()
    .sign("alice", 60, None)
    .unwrap();
    let r = run(tim(&emu).args(["usersig", "verify", "--identifier", "alice", &expired])).expect_code(1);
    assert!(r.stderr.contains("expired"), "{}", r.stderr);
}

#[test]
fn a_generated_usersig_is_accepted_by_the_service() {
    let emu = emulator();
    let token = run(tim(&emu).args(["usersig", "gen"])).ok().stdout.trim().to_owned();
    let r = run(bare().args([
        "--sdkappid",
        &emu.sdkappid().to_string(),
        "--usersig",
        &token,
        "--base-url",
        &emu.base_url(),
        "members",
        PUB,
    ]))
    .ok();
    assert_eq!(r.ndjson().len(), 5);
    r.assert_never_shows(&token);
    assert_eq!(emu.control().calls()[0].identifier.as_deref(), Some("administrator"));
}

#[test]
fn usersig_needs_the_key() {
    let r = run(bare().args(["--sdkappid", "1400000000", "usersig", "gen"])).expect_code(2);
    assert!(r.stderr.contains("--secret-key"), "{}", r.stderr);
    let r = run(bare().args(["--secret-key", "k", "usersig", "gen"])).expect_code(2);
    assert!(r.stderr.contains("--sdkappid"), "{}", r.stderr);
    let r = run(bare().args(["--secret-key", "k", "--sdkappid", "1", "usersig", "gen", "--userbuf-base64", "*"]))
        .expect_code(2);
    assert!(r.stderr.contains("base64"), "{}", r.stderr);
}

/// Kills the child on drop, so a failing test leaves no server behind.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn emulator_subcommand_serves_until_killed() {
    let fixture = common::demo_fixture();
    let mut child = Child(
        bare()
            .args(["emulator", "--port", "0", "--community-members", "250", "--seed"])
            .arg(&fixture)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("timadmin emulator starts"),
    );
    let stdout = child.0.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let info: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("first line is not JSON ({e}): {line}"));
    let base_url = info["base_url"].as_str().unwrap().to_owned();
    assert!(base_url.starts_with("http://127.0.0.1:"), "{base_url}");
    assert_eq!(info["sdkappid"], DEFAULT_SDKAPPID);
    assert_eq!(info["key"], DEFAULT_KEY);
    assert_eq!(info["identifier"], "administrator");

    // Point the other commands at it, through the environment this time.
    let members = run(bare()
        .env("TIM_SDKAPPID", info["sdkappid"].to_string())
        .env("TIM_SECRET_KEY", info["key"].as_str().unwrap())
        .env("TIM_IDENTIFIER", info["identifier"].as_str().unwrap())
        .env("TIM_BASE_URL", &base_url)
        .args(["members", "@TGS#_demo", "--all"]))
    .ok();
    assert_eq!(common::accounts(&members.ndjson()).len(), 250);
    let seeded = run(bare()
        .env("TIM_SDKAPPID", info["sdkappid"].to_string())
        .env("TIM_SECRET_KEY", DEFAULT_KEY)
        .env("TIM_BASE_URL", &base_url)
        .args(["members", PUB, "--format", "json"]))
    .ok();
    assert_eq!(seeded.json().as_array().unwrap().len(), 5);

    child.0.kill().unwrap();
    let status = child.0.wait().unwrap();
    assert!(!status.success());
}

#[test]
fn emulator_subcommand_rejects_a_bad_seed() {
    let r = run(bare().args(["emulator", "--port", "0", "--seed", "/nonexistent/fixture.json"])).expect_code(2);
    assert!(r.stderr.contains("error: emulator"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

/// Quotes `s` for a POSIX shell.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[test]
fn all_on_a_terminal_shows_a_progress_bar_and_defaults_to_a_table() {
    // A pseudo-terminal from util-linux `script` (part of every Debian base system): stderr is
    // the terminal; stdout goes to a file for the first run and to the terminal for the second.
    let emu = emulator();
    emu.control().generate_community_group("@TGS#_tty", 1050).unwrap();
    // Slow pages 2 and 3 down so the bar's steady tick surely draws with the length known
    // (faults apply in order; a zero delay lets page 1 through untouched).
    for millis in [0, 400, 400] {
        emu.control().inject_fault(Fault::new(FaultKind::Delay(Duration::from_millis(millis))));
    }
    let dir = std::env::temp_dir().join(format!("timadmin-cli-tty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out_file = dir.join("members.ndjson");
    let base = [
        env!("CARGO_BIN_EXE_timadmin"),
        "--sdkappid",
        &emu.sdkappid().to_string(),
        "--secret-key",
        emu.key(),
        "--base-url",
        &emu.base_url(),
    ]
    .map(sh_quote)
    .join(" ");
    let script = |command: String| {
        run(std::process::Command::new("script").env("SHELL", "/bin/sh").env("TERM", "xterm").args([
            "-qec",
            &command,
            "/dev/null",
        ]))
    };
    let r = script(format!("{base} members '@TGS#_tty' --all > {}", sh_quote(out_file.to_str().unwrap()))).ok();
    let written = std::fs::read_to_string(&out_file).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let accounts: Vec<&str> = written.lines().collect();
    assert_eq!(accounts.len(), 1050, "stdout is not a terminal: ndjson");
    assert!(accounts[0].starts_with("{\"Member_Account\":\"user000000\""));
    assert!(r.stdout.contains("/1,050 members"), "the terminal shows the bar:\n{}", r.stdout);
    assert!(r.stdout.contains("1050 members (MemberNum 1050)"), "{}", r.stdout);

    let r = script(format!("{base} members '@TGS#_tty' --limit 2")).ok();
    let text = r.stdout.replace('\r', "");
    assert!(text.contains("Member_Account  Role    JoinTime"), "a table on a terminal:\n{text}");
    assert!(text.contains("user000001      Member  2023-11-14 22:13:21Z"), "{text}");
    r.assert_never_shows(emu.key());
}
