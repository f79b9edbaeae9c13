//! `usersig::decode`: a token's claims without verification. Any token that `Signer` makes
//! decodes back to exactly its claims (whatever the key, even long expired); arbitrary or
//! hostile text is a `Malformed` error, never a panic; size limits hold like `verify`'s.

use std::sync::Arc;

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use timadmin::usersig::{self, FixedClock, Signer, UnverifiedClaims, UserSigError};

proptest! {
    /// Whatever was signed, with whatever key, `decode` reads it back unchanged, without the
    /// key and regardless of the clock (`verify` would refuse the expired ones).
    #[test]
    fn decode_reads_back_what_was_signed(
        // Up to the 32 bytes a token may be signed for: any characters, or ASCII to the limit.
        identifier in prop_oneof!["[^\\p{Cc}]{1,8}", "[!-~]{1,32}"],
        sdkappid in 1u64..=u64::from(u32::MAX),
        time in 0u64..4_000_000_000,
        expire in 0u64..10_000_000_000,
        key in "[ -~]{1,64}",
        userbuf in option::of(vec(any::<u8>(), 0..64)),
    ) {
        let signer = Signer::with_clock(sdkappid, &key, Arc::new(FixedClock(time))).unwrap();
        let token = signer.sign(&identifier, expire, userbuf.as_deref()).unwrap();
        let claims = usersig::decode(&token).unwrap();
        prop_assert_eq!(claims, UnverifiedClaims { identifier, sdkappid, time, expire, userbuf });
    }

    /// Arbitrary text, and near-tokens (token alphabet), never panic: decoding ends in a
    /// `Malformed` error or in claims, and an error never repeats the input.
    #[test]
    fn decode_never_panics(token in prop_oneof![".{0,300}", "[A-Za-z0-9*_-]{0,600}", "eJ[A-Za-z0-9*_-]{0,200}"]) {
        match usersig::decode(&token) {
            Ok(_) => {}
            Err(UserSigError::Malformed(reason)) => {
                prop_assert!(token.len() < 8 || !reason.contains(&token), "{}", reason);
            }
            Err(other) => prop_assert!(false, "not Malformed: {:?}", other),
        }
    }

    /// A valid token with one character changed still either fails as `Malformed` or decodes:
    /// decoding does not look at the signature, so no other error is possible.
    #[test]
    fn altered_tokens_decode_or_are_malformed(position in any::<prop::sample::Index>(), replacement in "[A-Za-z0-9*_-]") {
        let signer = Signer::with_clock(1400000000, "k", Arc::new(FixedClock(1_700_000_000))).unwrap();
        let token = signer.sign("administrator", 86_400, None).unwrap();
        let mut chars: Vec<char> = token.chars().collect();
        let i = position.index(chars.len());
        chars[i] = replacement.chars().next().unwrap();
        let altered: String = chars.into_iter().collect();
        prop_assert!(matches!(usersig::decode(&altered), Ok(_) | Err(UserSigError::Malformed(_))));
    }
}

#[test]
fn decode_does_not_verify() {
    // Signed with a key nobody knows, long expired: decode still reads it, verify refuses it.
    let signer = Signer::with_clock(1400000000, "someone else's key", Arc::new(FixedClock(1_000_000_000))).unwrap();
    let token = signer.sign("alice", 60, Some(b"buf")).unwrap();
    let claims = usersig::decode(&token).unwrap();
    assert_eq!(claims.identifier, "alice");
    assert_eq!(claims.expires_at(), 1_000_000_060);
    assert_eq!(claims.userbuf.as_deref(), Some(&b"buf"[..]));
    assert!(usersig::verify(1400000000, "the app's key", "alice", &token).is_err());
}

#[test]
fn decode_is_bounded_like_verify() {
    // Over the size limit: refused before decoding.
    let long = "A".repeat(64 * 1024 + 1);
    assert!(matches!(usersig::decode(&long), Err(UserSigError::Malformed(_))));
    // A zlib bomb (10 MB of zeros in a few KB) is refused after inflating at most 64 KB.
    let bomb = usersig::encode_token_bytes(&usersig::zlib_with_level(&vec![b' '; 10 << 20], 9));
    assert!(bomb.len() < 64 * 1024);
    assert!(matches!(usersig::decode(&bomb), Err(UserSigError::Malformed(_))));
    // Empty, not base64, not zlib, not JSON, missing fields: each a named Malformed error.
    let json = |text: &str| usersig::encode_token_bytes(&usersig::zlib_with_level(text.as_bytes(), 6));
    for (token, reason) in [
        (String::new(), "empty"),
        ("!!!".to_owned(), "base64"),
        (usersig::encode_token_bytes(b"plain"), "zlib"),
        (json("[1]"), "JSON"),
        (json(r#"{"TLS.sdkappid":1,"TLS.time":1,"TLS.expire":1,"TLS.sig":"x"}"#), "TLS.identifier"),
        (json(r#"{"TLS.identifier":"a","TLS.sdkappid":-1,"TLS.time":1,"TLS.expire":1,"TLS.sig":"x"}"#), "TLS.sdkappid"),
        (json(r#"{"TLS.identifier":"a","TLS.sdkappid":1,"TLS.time":1,"TLS.expire":1}"#), "TLS.sig"),
        (
            json(
                r#"{"TLS.identifier":"a","TLS.sdkappid":1,"TLS.time":1,"TLS.expire":1,"TLS.sig":"x","TLS.userbuf":"%"}"#,
            ),
            "TLS.userbuf",
        ),
    ] {
        match usersig::decode(&token) {
            Err(UserSigError::Malformed(r)) => assert!(r.contains(reason), "{reason}: {r}"),
            other => panic!("{reason}: {other:?}"),
        }
    }
    // Numbers given as numeric strings (some implementations) are read.
    let claims = usersig::decode(&json(
        r#"{"TLS.identifier":"a","TLS.sdkappid":"7","TLS.time":"5","TLS.expire":"10","TLS.sig":"x"}"#,
    ))
    .unwrap();
    assert_eq!((claims.sdkappid, claims.time, claims.expire), (7, 5, 10));
}
