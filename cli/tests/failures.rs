//! Exit codes (1 service error, 2 bad arguments before any call, 3 transport/timeout), the
//! environment fallback, logging, and that no secret ever reaches stdout or stderr.

mod common;

use std::time::Duration;

use common::{bare, emulator, run, tim, tim_run, Run};
use timadmin_emulator::{Emulator, Fault, FaultKind};

const PUB: &str = "@TGS#2DEMOPUB";

#[test]
fn service_errors_exit_1_with_code_info_and_meaning() {
    let emu = emulator();
    for args in
        [&["members", "@TGS#NOPE"][..], &["muted", "@TGS#NOPE"][..], &["modify", "@TGS#NOPE", "--name", "x"][..]]
    {
        let r = tim_run(&emu, args).expect_code(1);
        assert!(r.stdout.is_empty(), "{}", r.stdout);
        assert!(r.stderr.starts_with("error: service error 10010: "), "{}", r.stderr);
        assert!(r.stderr.contains("(the group does not exist or was deleted)"), "{}", r.stderr);
        r.assert_never_shows(emu.key());
    }
    // A wrong key: the service refuses the signature (after one fresh attempt by the core).
    let r = run(bare().args([
        "--sdkappid",
        "1400000000",
        "--secret-key",
        "wrong-key",
        "--base-url",
        &emu.base_url(),
        "members",
        PUB,
    ]))
    .expect_code(1);
    assert!(r.stderr.contains("service error 7000"), "{}", r.stderr);
    r.assert_never_shows("wrong-key");
}

/// Runs `args` and asserts exit 2 with `needle` on stderr, nothing on stdout, and no call made.
fn rejected(emu: &Emulator, args: &[&str], needle: &str) -> Run {
    emu.control().clear_calls();
    let r = tim_run(emu, args).expect_code(2);
    assert!(r.stderr.contains(needle), "{args:?}: expected {needle:?} in:\n{}", r.stderr);
    assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
    assert!(emu.control().calls().is_empty(), "{args:?} reached the emulator: {:?}", emu.control().calls());
    r
}

#[test]
fn bad_arguments_exit_2_before_any_call() {
    let emu = emulator();
    let long_name = "x".repeat(31);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["members", PUB, "--limit", "0"], "invalid argument Limit"),
        (vec!["members", PUB, "--limit", "6001"], "invalid argument Limit"),
        (vec!["members", "@TGS#_demo", "--limit", "101"], "invalid argument Limit"),
        (vec!["members", "@TGS#_demo", "--offset", "3"], "invalid argument Offset"),
        (vec!["members", PUB, "--roles", "Owner,King"], "invalid argument MemberRoleFilter"),
        (vec!["members", PUB, "--fields", "Role,"], "invalid argument MemberInfoFilter"),
        (vec!["members", PUB, "--member-role-filter", "Owner,King"], "invalid argument MemberRoleFilter"),
        (vec!["members", PUB, "--member-info-filter", "Role,"], "invalid argument MemberInfoFilter"),
        (vec!["muted", PUB, "--topic-id", ""], "invalid argument TopicId"),
        (
            vec!["modify", PUB, "--app-defined-data", "k=1", "--delete-app-defined-data", "k"],
            "invalid argument AppDefinedData",
        ),
        (vec!["members", PUB, "--all", "--limit", "0"], "invalid argument --limit"),
        (vec!["members", PUB, "--offset", "1", "--next", "x"], "cannot be used with"),
        (vec!["members", PUB, "--all", "--offset", "1"], "cannot be used with"),
        (vec!["members", PUB, "--format", "xml"], "invalid value 'xml'"),
        (vec!["members", "   "], "invalid argument GroupId"),
        (vec!["members", PUB, "--limit", "-1"], "unexpected argument"),
        (vec!["muted", PUB, "--topic", ""], "invalid argument TopicId"),
        (vec!["modify", PUB, "--name", long_name.as_str()], "invalid argument Name: is 31 bytes"),
        (vec!["modify", PUB, "--name", "群群群群群群群群群群群"], "invalid argument Name: is 33 bytes"),
        (vec!["modify", PUB, "--max-member-num", "0"], "invalid argument MaxMemberNum"),
        (vec!["modify", PUB, "--app-data", "k=1", "--delete-app-data", "k"], "invalid argument AppDefinedData"),
        (vec!["modify", PUB, "--app-data", "novalue"], "is not KEY=VALUE"),
        (vec!["modify", PUB, "--apply-join-option", "Anyone"], "FreeAccess, NeedPermission, DisableApply"),
        (vec!["modify", PUB, "--shut-up-all-member", "yes"], "neither on nor off"),
        (vec!["modify", PUB], "nothing to modify"),
        (vec!["members", PUB, "--timeout", "0"], "invalid argument timeout"),
        (vec!["members", PUB, "--region", "mars"], "invalid argument base_url: give region or base_url"),
        (vec!["members", PUB, "--usersig", "sig"], "invalid argument secret_key: give only one"),
        (vec!["members", PUB, "--region", "tokyo"], "invalid argument base_url: give region or base_url, not both"),
        (vec!["members", PUB, "--identifier", " "], "invalid argument identifier"),
        (vec!["frobnicate"], "unrecognized subcommand"),
    ];
    for (args, needle) in &cases {
        let r = rejected(&emu, args, needle);
        r.assert_never_shows(emu.key());
    }
}

#[test]
fn missing_settings_exit_2() {
    let r = run(bare().args(["members", PUB])).expect_code(2);
    assert!(
        r.stderr.contains("invalid argument TIM_SDKAPPID: is required (set with --sdkappid or TIM_SDKAPPID)"),
        "{}",
        r.stderr
    );
    let r = run(bare().args(["--sdkappid", "1400000000", "members", PUB])).expect_code(2);
    assert!(r.stderr.contains("invalid argument secret_key: is required: give one of"), "{}", r.stderr);
    let r = run(bare().args(["--sdkappid", "abc", "--secret-key", "k", "members", PUB])).expect_code(2);
    assert!(r.stderr.contains("invalid value 'abc'"), "{}", r.stderr);
    let r = run(bare().env("TIM_SDKAPPID", "abc").args(["--secret-key", "k", "members", PUB])).expect_code(2);
    assert!(r.stderr.contains("invalid argument TIM_SDKAPPID: \"abc\" is not a whole number"), "{}", r.stderr);
    let r =
        run(bare().args(["--sdkappid", "1", "--secret-key", "k", "--region", "mars", "members", PUB])).expect_code(2);
    assert!(r.stderr.contains("invalid argument region"), "{}", r.stderr);
    let r = run(bare().args(["--sdkappid", "4294967296", "--secret-key", "k", "members", PUB])).expect_code(2);
    assert!(r.stderr.contains("invalid argument sdkappid"), "{}", r.stderr);
    let r = run(bare().args(["--sdkappid", "1", "--secret-key", "k", "--base-url", "ftp://x", "members", PUB]))
        .expect_code(2);
    assert!(r.stderr.contains("invalid argument"), "{}", r.stderr);
    r.assert_never_shows("--key k");
}

#[test]
fn transport_failures_exit_3() {
    let r = run(bare().args([
        "--sdkappid",
        "1400000000",
        "--secret-key",
        "some-key",
        "--base-url",
        "http://127.0.0.1:9",
        "--max-retries",
        "0",
        "--timeout",
        "2",
        "members",
        PUB,
    ]))
    .expect_code(3);
    assert!(r.stderr.starts_with("error: transport error"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    r.assert_never_shows("some-key");
}

#[test]
fn timeouts_and_broken_answers_exit_3() {
    let emu = emulator();
    emu.control().inject_fault(Fault::new(FaultKind::Delay(Duration::from_secs(5))));
    let r = tim_run(&emu, &["--timeout", "300ms", "--max-retries", "0", "members", PUB]).expect_code(3);
    assert!(r.stderr.contains("timed out"), "{}", r.stderr);
    emu.control().clear_faults();

    emu.control().inject_fault(Fault::new(FaultKind::HttpStatus(502)));
    let r = tim_run(&emu, &["--max-retries", "0", "muted", PUB]).expect_code(3);
    assert!(r.stderr.contains("HTTP status 502"), "{}", r.stderr);

    emu.control().inject_fault(Fault::new(FaultKind::TruncatedBody));
    let r = tim_run(&emu, &["--max-retries", "0", "members", PUB]).expect_code(3);
    assert!(r.stderr.contains("undecodable response"), "{}", r.stderr);
    r.assert_never_shows(emu.key());
}

#[test]
fn retries_come_from_the_core() {
    let emu = emulator();
    emu.control().inject_fault(Fault::new(FaultKind::ErrorCode { code: 10002, info: "busy".into() }).times(2));
    let r = tim_run(&emu, &["--max-retries", "2", "members", PUB]).ok();
    assert_eq!(r.ndjson().len(), 5);
    assert_eq!(emu.control().calls().len(), 3);

    emu.control().clear_calls();
    emu.control().inject_fault(Fault::new(FaultKind::ErrorCode { code: 10002, info: "busy".into() }).times(2));
    let r = tim_run(&emu, &["--max-retries", "1", "members", PUB]).expect_code(1);
    assert!(r.stderr.contains("service error 10002: busy (internal server error, try again)"), "{}", r.stderr);
    assert_eq!(emu.control().calls().len(), 2);
}

#[test]
fn an_error_mid_way_through_all_exits_with_its_code_after_the_pages_so_far() {
    let emu = emulator();
    emu.control().generate_community_group("@TGS#_mid", 350).unwrap();
    // Let two pages through, then fail the third call with a non-retryable service error.
    for _ in 0..2 {
        emu.control().inject_fault(Fault::new(FaultKind::Delay(Duration::ZERO)));
    }
    emu.control().inject_fault(Fault::new(FaultKind::ErrorCode { code: 10004, info: "bad".into() }));
    let r = tim_run(&emu, &["members", "@TGS#_mid", "--all"]).expect_code(1);
    assert_eq!(r.ndjson().len(), 200, "the pages before the error were written");
    assert!(r.stderr.contains("service error 10004"), "{}", r.stderr);
}

#[test]
fn flags_win_over_the_environment() {
    let emu = emulator();
    // Everything from the environment.
    let env_only = run(bare()
        .env("TIM_SDKAPPID", emu.sdkappid().to_string())
        .env("TIM_SECRET_KEY", emu.key())
        .env("TIM_BASE_URL", emu.base_url())
        .env("TIM_TIMEOUT", "5")
        .env("TIM_MAX_RETRIES", "0")
        .env("TIM_RATE_LIMIT", "50")
        .args(["members", PUB]))
    .ok();
    assert_eq!(env_only.ndjson().len(), 5);
    // Wrong values in the environment, right ones as flags.
    let r = run(bare()
        .env("TIM_SDKAPPID", "1")
        .env("TIM_SECRET_KEY", "wrong")
        .env("TIM_BASE_URL", "http://127.0.0.1:9")
        .env("TIM_IDENTIFIER", "nobody")
        .env("TIM_MAX_RETRIES", "0")
        .args(["members", PUB, "--identifier", "administrator"])
        .args(["--sdkappid", &emu.sdkappid().to_string(), "--secret-key", emu.key(), "--base-url", &emu.base_url()]))
    .ok();
    assert_eq!(r.ndjson().len(), 5);
    // A --usersig flag beats TIM_SECRET_KEY; a --region flag beats TIM_BASE_URL (then the
    // region's real domain would be used, so only check that the choice is not an error).
    let token = timadmin::usersig::generate(emu.sdkappid(), emu.key(), "administrator", 600).unwrap();
    let r = run(bare()
        .env("TIM_SECRET_KEY", "wrong")
        .args(["--sdkappid", &emu.sdkappid().to_string(), "--usersig", &token, "--base-url", &emu.base_url()])
        .args(["members", PUB]))
    .ok();
    assert_eq!(r.ndjson().len(), 5);
    r.assert_never_shows(&token);
    r.assert_never_shows("wrong");
    // TIM_USERSIG alone works too.
    let r = run(bare()
        .env("TIM_SDKAPPID", emu.sdkappid().to_string())
        .env("TIM_USERSIG", &token)
        .env("TIM_BASE_URL", emu.base_url())
        .args(["muted", PUB, "--format", "csv"]))
    .ok();
    assert_eq!(r.lines().len(), 3);
    // An environment value that does not parse is a bad argument.
    let r = run(tim(&emu).env("TIM_TIMEOUT", "soon").args(["members", PUB])).expect_code(2);
    assert!(r.stderr.contains("not a duration"), "{}", r.stderr);
}

#[test]
fn secrets_never_reach_stdout_or_stderr() {
    let emu = emulator();
    let key = emu.key().to_owned();
    let token = timadmin::usersig::generate(emu.sdkappid(), &key, "administrator", 600).unwrap();
    let with_key = |args: &[&str]| run(tim(&emu).args(["-vvv"]).args(args));
    let with_token = |args: &[&str]| {
        run(bare()
            .args(["-vvv", "--sdkappid", &emu.sdkappid().to_string(), "--usersig", &token])
            .args(["--base-url", &emu.base_url()])
            .args(args))
    };
    let mut runs = Vec::new();
    for args in [
        &["members", PUB, "--format", "table"][..],
        &["members", "@TGS#_demo", "--all", "--format", "json"][..],
        &["muted", PUB, "--format", "csv"][..],
        &["modify", PUB, "--name", "n"][..],
        &["members", "@TGS#NOPE"][..],
        &["modify", PUB, "--name", &"x".repeat(40)][..],
    ] {
        runs.push(with_key(args));
        runs.push(with_token(args));
    }
    emu.control().inject_fault(Fault::new(FaultKind::TruncatedBody).times(2));
    runs.push(with_key(&["--max-retries", "0", "members", PUB]));
    runs.push(with_token(&["--max-retries", "0", "members", PUB]));
    // A rejected UserSig: the service answers with an auth error.
    runs.push(run(bare()
        .args(["--sdkappid", &emu.sdkappid().to_string(), "--usersig", "not-a-real-usersig-token"])
        .args(["--base-url", &emu.base_url(), "members", PUB])));
    assert!(runs.iter().any(|r| r.stderr.contains("sending request")), "-vvv logs the core's events");
    assert_eq!(runs.last().unwrap().code, 1);
    for r in &runs {
        r.assert_never_shows(&key);
        r.assert_never_shows(&token);
        r.assert_never_shows("not-a-real-usersig-token");
        assert!(!r.stderr.contains("usersig="), "{}", r.stderr);
    }
    // Help shows where the key may come from, never its value.
    let help = run(bare().env("TIM_SECRET_KEY", &key).env("TIM_USERSIG", &token).args(["members", "--help"])).ok();
    assert!(help.stdout.contains("TIM_SECRET_KEY"), "{}", help.stdout);
    help.assert_never_shows(&key);
    help.assert_never_shows(&token);
}

#[test]
fn quiet_silences_notes_but_not_errors() {
    let emu = emulator();
    let r = tim_run(&emu, &["-q", "members", PUB]).ok();
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    assert_eq!(r.ndjson().len(), 5);
    let r = tim_run(&emu, &["members", "@TGS#NOPE", "--quiet"]).expect_code(1);
    assert!(r.stderr.contains("10010"));
}

#[test]
fn hostile_servers_and_input_are_refused_with_typed_errors() {
    // Clear text to a non-loopback host: refused before any connection (exit 2).
    for url in ["http://203.0.113.7", "http://10.0.0.1:8080"] {
        let r = run(bare().args([
            "--sdkappid",
            "1400000000",
            "--secret-key",
            "some-key",
            "--base-url",
            url,
            "members",
            PUB,
        ]))
        .expect_code(2);
        assert!(r.stderr.contains("clear text") && r.stderr.contains("allow_insecure_http"), "{}", r.stderr);
        r.assert_never_shows("some-key");
    }
    let emu = emulator();
    // A group ID with a control character, a 32-bit SDKAppID: refused before the network.
    let r = tim_run(&emu, &["members", "@TGS#\u{1}x"]).expect_code(2);
    assert!(r.stderr.contains("GroupId"), "{}", r.stderr);
    let r = run(bare().args([
        "--sdkappid",
        "4294967296",
        "--secret-key",
        "k",
        "--base-url",
        &emu.base_url(),
        "muted",
        PUB,
    ]))
    .expect_code(2);
    assert!(r.stderr.contains("sdkappid"), "{}", r.stderr);
    assert!(emu.control().calls().is_empty());
    // The body cap, named in the error; configurable.
    let r = tim_run(&emu, &["--max-response-bytes", "1024", "members", PUB]).expect_code(3);
    assert!(r.stderr.contains("limit of 1024 bytes"), "{}", r.stderr);
    emu.control().inject_fault(Fault::new(FaultKind::LargeBody { bytes: None, content_length: false }));
    let r = tim_run(&emu, &["muted", PUB]).expect_code(3);
    assert!(r.stderr.contains("limit of 4194304 bytes"), "{}", r.stderr);
    // An empty success answer, a redirect.
    emu.control().inject_fault(Fault::new(FaultKind::Reply {
        status: 200,
        body: r#"{"ActionStatus":"OK","ErrorCode":0}"#.into(),
        location: None,
    }));
    let r = tim_run(&emu, &["muted", PUB]).expect_code(3);
    assert!(r.stderr.contains("GroupId or MutedAccountList"), "{}", r.stderr);
    emu.control().clear_calls();
    let location = format!("{}/v4/group_open_http_svc/get_group_muted_account", emu.base_url());
    emu.control().inject_fault(Fault::new(FaultKind::Reply {
        status: 307,
        body: String::new(),
        location: Some(location),
    }));
    let r = tim_run(&emu, &["muted", PUB]).expect_code(3);
    assert!(r.stderr.contains("HTTP status 307"), "{}", r.stderr);
    assert_eq!(emu.control().calls().len(), 1, "the redirect was not followed");
    // The in-flight cap is a setting like the others.
    tim_run(&emu, &["--max-in-flight", "1", "muted", PUB]).ok();
    let r = tim_run(&emu, &["--max-in-flight", "0", "muted", PUB]).expect_code(2);
    assert!(r.stderr.contains("max_in_flight"), "{}", r.stderr);
}
