//! `timadmin usersig doctor`: one test per verdict (accepted, 70001, 70003, 70009, 70013,
//! 70014), each checking the plain-words explanation, the exit code, that the secret key never
//! appears in the output and that the token is not echoed. Where the emulator can answer, the
//! code the doctor predicts is the code the emulator gives to the same token.

mod common;

use std::sync::Arc;

use common::*;
use timadmin::usersig::{FixedClock, Signer};
use timadmin_emulator::{DEFAULT_KEY, DEFAULT_SDKAPPID};

const APP: &str = "1400000000";

/// A token of the default app and key, issued now.
fn token(identifier: &str, expire: u64) -> String {
    timadmin::usersig::generate(DEFAULT_SDKAPPID, DEFAULT_KEY, identifier, expire).unwrap()
}

/// `timadmin usersig doctor TOKEN` with `args` before it.
fn doctor(args: &[&str], token: &str) -> Run {
    let mut cmd = bare();
    cmd.args(args).args(["usersig", "doctor", token]);
    run(&mut cmd)
}

/// The checks every run passes: neither the key nor the token is printed.
fn assert_discreet(r: &Run, token: &str) {
    r.assert_never_shows(DEFAULT_KEY);
    if token.len() >= 8 {
        r.assert_never_shows(token);
    }
}

/// The error code the emulator answers a `muted` call made with `token` as `identifier`.
fn emulator_code(token: &str, identifier: &str) -> String {
    let emu = emulator();
    let r = run(bare().args([
        "--sdkappid",
        APP,
        "--usersig",
        token,
        "--identifier",
        identifier,
        "--base-url",
        &emu.base_url(),
        "--max-retries",
        "0",
        "muted",
        "@TGS#2DEMOPUB",
    ]));
    if r.code == 0 {
        return "accepted".into();
    }
    r.stderr.split("service error ").nth(1).map(|rest| rest[..5].to_owned()).unwrap_or_else(|| r.stderr.clone())
}

#[test]
fn without_the_key_it_prints_the_claims_unverified() {
    let signer = Signer::with_clock(DEFAULT_SDKAPPID, DEFAULT_KEY, Arc::new(FixedClock(4_000_000_000))).unwrap();
    let t = signer.sign("alice", 86_400 * 180, Some(b"abc")).unwrap();
    let r = doctor(&[], &t).ok();
    assert_discreet(&r, &t);
    for needle in [
        "identifier  alice",
        "SDKAppID    1400000000",
        "issued      2096-10-02 07:06:40 UTC (in ",
        "expires     2097-03-31 07:06:40 UTC (in ",
        "lifetime 15552000 s (180 days)",
        "userbuf     3 bytes, base64 YWJj",
        "Signature: not checked",
        "signature was NOT checked",
        "years in the future: the signing machine's clock is ahead",
    ] {
        assert!(r.stdout.contains(needle), "missing {needle:?} in:\n{}", r.stdout);
    }
}

#[test]
fn with_the_right_key_it_verifies_and_accepts() {
    let t = token("administrator", 3600);
    let r = doctor(&["--secret-key", DEFAULT_KEY, "--sdkappid", APP, "--identifier", "administrator"], &t).ok();
    assert_discreet(&r, &t);
    assert!(r.stdout.contains("Signature: valid for this secret key."), "{}", r.stdout);
    assert!(r.stdout.contains("Verdict: the service would accept this token"), "{}", r.stdout);
    assert!(!r.stdout.contains("Not checked"), "{}", r.stdout);
    assert!(r.stdout.contains("(in 1 hour)") || r.stdout.contains("(in 59 minutes)"), "{}", r.stdout);
    assert_eq!(emulator_code(&t, "administrator"), "accepted");
    // The key from the environment is not printed either.
    let r = run(bare().env("TIM_SECRET_KEY", DEFAULT_KEY).args(["usersig", "doctor", &t])).ok();
    assert_discreet(&r, &t);
    assert!(r.stdout.contains("Signature: valid"), "{}", r.stdout);
}

#[test]
fn expired_is_70001_and_names_the_clock() {
    let signer = Signer::with_clock(DEFAULT_SDKAPPID, DEFAULT_KEY, Arc::new(FixedClock(1_700_000_000))).unwrap();
    let t = signer.sign("administrator", 600, None).unwrap();
    let r = doctor(&["--secret-key", DEFAULT_KEY], &t).expect_code(1);
    assert_discreet(&r, &t);
    assert!(r.stdout.contains("would refuse this token with 70001 (UserSig expired)"), "{}", r.stdout);
    assert!(r.stdout.contains("expires     2023-11-14 22:23:20 UTC ("), "{}", r.stdout);
    assert!(r.stdout.contains("clock"), "{}", r.stdout);
    assert!(r.stdout.contains("Signature: valid"), "the signature is still judged on its own: {}", r.stdout);
    assert!(r.stderr.contains("expired"), "{}", r.stderr);
    assert_eq!(emulator_code(&t, "administrator"), "70001");
}

#[test]
fn unreadable_is_70003() {
    for t in ["not a usersig", "eJwrSS0uAQAEXQHB", &token("administrator", 60)[..40]] {
        let r = doctor(&["--secret-key", DEFAULT_KEY], t).expect_code(1);
        assert_discreet(&r, t);
        assert!(r.stdout.contains("would refuse this token with 70003"), "{t}: {}", r.stdout);
        assert!(r.stdout.contains("Pass the whole token"), "{}", r.stdout);
    }
    assert_eq!(emulator_code("eJwrSS0uAQAEXQHB", "administrator"), "70003");
    // Whitespace around an otherwise good token.
    let t = token("administrator", 60);
    let r = doctor(&[], &format!("{t}\n")).expect_code(1);
    assert!(r.stdout.contains("70003") && r.stdout.contains("whitespace"), "{}", r.stdout);
}

#[test]
fn wrong_key_is_70009_and_points_at_the_app_region_and_key() {
    let other_key = "a-key-of-another-app-0123456789";
    let t = timadmin::usersig::generate(DEFAULT_SDKAPPID, other_key, "administrator", 600).unwrap();
    let r = doctor(&["--secret-key", DEFAULT_KEY, "--sdkappid", APP], &t).expect_code(1);
    assert_discreet(&r, &t);
    r.assert_never_shows(other_key);
    assert!(r.stdout.contains("Signature: DOES NOT MATCH this secret key."), "{}", r.stdout);
    assert!(r.stdout.contains("would refuse this token with 70009"), "{}", r.stdout);
    for needle in ["key is the one of app 1400000000", "region", "domain"] {
        assert!(r.stdout.contains(needle), "missing {needle:?}: {}", r.stdout);
    }
    assert_eq!(emulator_code(&t, "administrator"), "70009");
}

#[test]
fn another_identifier_is_70013() {
    let t = token("bob", 600);
    let r = doctor(&["--secret-key", DEFAULT_KEY, "--identifier", "administrator"], &t).expect_code(1);
    assert_discreet(&r, &t);
    assert!(r.stdout.contains("would refuse this token with 70013"), "{}", r.stdout);
    assert!(
        r.stdout.contains(r#"made for identifier "bob", but requests are made as "administrator""#),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("admin"), "{}", r.stdout);
    assert_eq!(emulator_code(&t, "administrator"), "70013");
    // From the environment too; without any identifier given, nothing is compared.
    let r = run(bare().env("TIM_IDENTIFIER", "administrator").args(["usersig", "doctor", &t])).expect_code(1);
    assert!(r.stdout.contains("70013"), "{}", r.stdout);
    let r = doctor(&[], &t).ok();
    assert!(r.stdout.contains("--identifier (the account you call as)"), "{}", r.stdout);
}

#[test]
fn another_sdkappid_is_70014() {
    let t = token("administrator", 600);
    let r = doctor(&["--sdkappid", "1400000001"], &t).expect_code(1);
    assert_discreet(&r, &t);
    assert!(r.stdout.contains("would refuse this token with 70014"), "{}", r.stdout);
    assert!(r.stdout.contains("made for SDKAppID 1400000000, but requests carry sdkappid=1400000001"), "{}", r.stdout);
    assert!(r.stdout.contains("--secret-key (the signature)"), "unchecked parts are named: {}", r.stdout);
}

#[test]
fn an_empty_key_is_a_usage_error() {
    let t = token("administrator", 600);
    let r = doctor(&["--secret-key", ""], &t).expect_code(2);
    assert!(r.stderr.contains("--secret-key"), "{}", r.stderr);
}
