//! `usersig gen` refuses what `usersig verify` or the service would refuse — an identifier over
//! 32 bytes of UTF-8, a userbuf over 32 KiB — as bad arguments (exit 2, naming the argument),
//! printing no token; at the bounds it signs tokens that verify.

mod common;

use base64::Engine;
use common::{bare, run, Run};

const APP: &str = "1400000000";
const KEY: &str = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e";

fn usersig(args: &[&str]) -> Run {
    run(bare().args(["--sdkappid", APP, "--secret-key", KEY, "usersig"]).args(args))
}

fn refused(r: Run, field: &str) {
    let r = r.expect_code(2);
    assert!(r.stdout.is_empty(), "no token: {}", r.stdout);
    assert!(r.stderr.contains(&format!("invalid argument {field}:")), "{}", r.stderr);
    r.assert_never_shows(KEY);
}

#[test]
fn identifiers_over_32_bytes_are_refused() {
    let ok = "é".repeat(16);
    let token = usersig(&["gen", "--identifier", &ok]).ok().stdout.trim().to_owned();
    usersig(&["verify", "--identifier", &ok, &token]).ok();
    refused(usersig(&["gen", "--identifier", &"é".repeat(17)]), "identifier");
    refused(usersig(&["gen", "--identifier", &"a".repeat(33)]), "identifier");
}

#[test]
fn userbufs_over_32_kib_are_refused() {
    let b64 = |n: usize| base64::engine::general_purpose::STANDARD.encode(vec![0xa5u8; n]);
    let max = b64(32 * 1024);
    let token = usersig(&["gen", "--identifier", "alice", "--userbuf-base64", &max]).ok().stdout.trim().to_owned();
    usersig(&["verify", "--identifier", "alice", "--userbuf-base64", &max, &token]).ok();
    refused(usersig(&["gen", "--identifier", "alice", "--userbuf-base64", &b64(32 * 1024 + 1)]), "userbuf");
}
