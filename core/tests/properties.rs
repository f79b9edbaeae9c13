//! Property tests of every decoder and parser of the core: arbitrary (and adversarial) input
//! never panics, always ends in a typed result, and never allocates more than a small multiple
//! of its own size. Case counts follow `PROPTEST_CASES` (proptest's default: 256 per property).
//!
//! Allocation is measured by a counting global allocator (per thread, so parallel tests do not
//! disturb each other): the peak of live bytes while one decode runs.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Arc;
use std::time::Duration;

use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use serde_json::{json, Value};
use timadmin::error::{redact, MIN_REDACTED_FRAGMENT};
use timadmin::model::{Answer, Empty};
use timadmin::transport::decode_for_tests;
use timadmin::usersig::{self, FixedClock, Signer};
use timadmin::validate::{MAX_GROUP_ID_BYTES, MAX_IDENTIFIER_BYTES};
use timadmin::{
    ClientOptions, Endpoint, Error, GetGroupMemberInfoRequest, GetGroupMemberInfoResponse, GetGroupMutedAccountRequest,
    GetGroupMutedAccountResponse, GroupMember, KeyValue, ModifyGroupBaseInfoRequest, MutedAccount, RateLimit, Region,
    Role,
};

// ---- allocation accounting --------------------------------------------------------------

struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn grow(bytes: usize) {
    let _ = LIVE.try_with(|live| {
        let now = live.get() + bytes;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

fn shrink(bytes: usize) {
    let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(bytes)));
}

// SAFETY: every call is forwarded to the system allocator; the bookkeeping only touches
// const-initialised thread-locals, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        shrink(layout.size());
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grow(layout.size());
        }
        p
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            shrink(layout.size());
            grow(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f`, returning its result and the most bytes it held at once beyond what was live before.
fn peak_during<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let before = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(before));
    let r = f();
    (r, PEAK.with(Cell::get).saturating_sub(before))
}

/// A decode holds at most this many bytes per input byte, plus a constant: the body cap
/// (`max_response_bytes`) therefore bounds a decode's memory.
const AMPLIFICATION: usize = 32;
const SLACK: usize = 64 * 1024;

/// Decodes `body` as every endpoint's answer: no panic, only `Decode` or `Api` errors, bounded
/// memory. Returns the three outcomes.
fn decode_all(body: &[u8]) -> [Result<(), Error>; 3] {
    fn one<T: Answer>(body: &[u8]) -> Result<(), Error> {
        let (result, peak) = peak_during(|| decode_for_tests::<T>(body).map(|_| ()));
        assert!(peak <= AMPLIFICATION * body.len() + SLACK, "{peak} bytes held to decode {} bytes", body.len());
        if let Err(e) = &result {
            assert!(matches!(e, Error::Decode { .. } | Error::Api { .. }), "untyped failure {e:?}");
        }
        result
    }
    [one::<GetGroupMemberInfoResponse>(body), one::<GetGroupMutedAccountResponse>(body), one::<Empty>(body)]
}

// ---- strategies -------------------------------------------------------------------------

/// Any JSON document, a few levels deep.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        ".{0,40}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..8).prop_map(Value::Array),
            btree_map(".{0,12}", inner, 0..8).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A value for a field of the envelope or of a result: mostly well-typed, sometimes anything.
fn field(well_typed: impl Strategy<Value = Value> + 'static) -> impl Strategy<Value = Option<Value>> {
    option::weighted(0.7, prop_oneof![4 => well_typed.boxed(), 1 => json_value().boxed()])
}

fn member_like() -> impl Strategy<Value = Value> {
    (
        field(".{0,20}".prop_map(Value::String)),
        field(prop_oneof![Just("Owner"), Just("Admin"), Just("Member "), Just("Custom")].prop_map(|s| json!(s))),
        field(any::<u32>().prop_map(|n| json!(n))),
        field(
            vec((".{0,8}", ".{0,8}"), 0..3)
                .prop_map(|kv| Value::Array(kv.into_iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect())),
        ),
        btree_map("[A-Za-z]{1,10}", json_value(), 0..2),
    )
        .prop_map(|(account, role, join, data, extra)| {
            let mut m: serde_json::Map<String, Value> = extra.into_iter().collect();
            for (k, v) in
                [("Member_Account", account), ("Role", role), ("JoinTime", join), ("AppMemberDefinedData", data)]
            {
                if let Some(v) = v {
                    m.insert(k.into(), v);
                }
            }
            Value::Object(m)
        })
}

/// A body shaped like an answer: each envelope and result field present or not, well-typed or
/// not, plus unknown fields.
fn answer_like() -> impl Strategy<Value = Value> {
    (
        field(
            prop_oneof![Just("OK".to_owned()), Just("FAIL".to_owned()), Just("ok".to_owned()), ".{0,6}"]
                .prop_map(|s| json!(s)),
        ),
        field(prop_oneof![Just(0i64), any::<i64>(), 10002..10020i64].prop_map(|n| json!(n))),
        field(".{0,30}".prop_map(Value::String)),
        field(any::<u32>().prop_map(|n| json!(n))),
        field(vec(member_like(), 0..5).prop_map(Value::Array)),
        field("[0-9]{0,20}".prop_map(Value::String)),
        field("@TGS#[A-Z0-9]{1,10}".prop_map(Value::String)),
        field(vec((".{0,10}", any::<u32>()), 0..4).prop_map(|l| {
            Value::Array(l.into_iter().map(|(a, t)| json!({"Member_Account": a, "MutedUntil": t})).collect())
        })),
        btree_map("[A-Za-z]{1,12}", json_value(), 0..3),
    )
        .prop_map(|(status, code, info, num, list, next, group, muted, extra)| {
            let mut m: serde_json::Map<String, Value> = extra.into_iter().collect();
            for (k, v) in [
                ("ActionStatus", status),
                ("ErrorCode", code),
                ("ErrorInfo", info),
                ("MemberNum", num),
                ("MemberList", list),
                ("Next", next),
                ("GroupId", group),
                ("MutedAccountList", muted),
            ] {
                if let Some(v) = v {
                    m.insert(k.into(), v);
                }
            }
            Value::Object(m)
        })
}

fn role() -> impl Strategy<Value = Option<Role>> {
    option::of(prop_oneof![Just(Role::Owner), Just(Role::Admin), Just(Role::Member)])
}

fn group_member() -> impl Strategy<Value = GroupMember> {
    (
        ".{0,20}",
        role(),
        option::of(any::<u64>()),
        option::of(any::<u64>()),
        option::of(".{0,10}"),
        option::of(any::<u64>()),
        option::of(".{0,10}"),
        option::of(vec((".{0,8}", ".{0,8}").prop_map(|(key, value)| KeyValue { key, value }), 0..3)),
    )
        .prop_map(|(member_account, role, join_time, msg_seq, msg_flag, mute_until, name_card, data)| {
            GroupMember {
                member_account,
                role,
                join_time,
                msg_seq,
                msg_flag,
                last_send_msg_time: None,
                mute_until,
                name_card,
                app_member_defined_data: data,
            }
        })
}

// ---- properties -------------------------------------------------------------------------

proptest! {
    /// Arbitrary bytes as an answer body: typed errors only, bounded memory.
    #[test]
    fn answers_from_arbitrary_bytes(body in vec(any::<u8>(), 0..4096)) {
        let _ = decode_all(&body);
    }

    /// Arbitrary JSON documents as an answer body.
    #[test]
    fn answers_from_arbitrary_json(v in json_value()) {
        let _ = decode_all(&serde_json::to_vec(&v).unwrap());
    }

    /// Answer-shaped bodies: success only with the envelope `OK`/0 and at least one result field;
    /// a non-zero code is always the service's error with that code.
    #[test]
    fn the_envelope_decides(v in answer_like()) {
        let body = serde_json::to_vec(&v).unwrap();
        let [members, muted, modify] = decode_all(&body);
        let status = v.get("ActionStatus").and_then(Value::as_str);
        let code = v.get("ErrorCode").and_then(Value::as_i64);
        let well_formed_envelope = status.is_some() && code.is_some()
            && v.get("ErrorInfo").is_none_or(|i| i.is_string() || i.is_null());
        if members.is_ok() || muted.is_ok() || modify.is_ok() {
            prop_assert_eq!(status, Some("OK"));
            prop_assert_eq!(code, Some(0));
        }
        if members.is_ok() {
            prop_assert!(["MemberNum", "MemberList", "Next"].iter().any(|f| v.get(*f).is_some_and(|x| !x.is_null())));
        }
        if muted.is_ok() {
            prop_assert!(["GroupId", "MutedAccountList"].iter().any(|f| v.get(*f).is_some_and(|x| !x.is_null())));
        }
        if well_formed_envelope && (code != Some(0) || status == Some("FAIL")) {
            for r in [&members, &muted, &modify] {
                prop_assert_eq!(r.as_ref().unwrap_err().code(), code);
            }
        }
        if !well_formed_envelope {
            for r in [&members, &muted, &modify] {
                prop_assert!(matches!(r, Err(Error::Decode { .. })), "{:?}", r);
            }
        }
    }

    /// What the service sends decodes to exactly what it holds.
    #[test]
    fn answers_round_trip(
        members in vec(group_member(), 0..20),
        member_num in any::<u64>(),
        next in option::of("[0-9]{0,20}"),
        muted in vec((".{0,12}", any::<u64>()), 0..10),
        group_id in "@TGS#[A-Za-z0-9_]{1,20}",
    ) {
        let body = json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "MemberNum": member_num,
                          "MemberList": members, "Next": next});
        let r = decode_for_tests::<GetGroupMemberInfoResponse>(&serde_json::to_vec(&body).unwrap()).unwrap();
        prop_assert_eq!(r, GetGroupMemberInfoResponse { member_num, member_list: members, next });
        let list: Vec<MutedAccount> = muted.into_iter().map(|(member_account, muted_until)| MutedAccount { member_account, muted_until }).collect();
        let body = json!({"ActionStatus": "OK", "ErrorCode": 0, "GroupId": group_id, "MutedAccountList": list});
        let r = decode_for_tests::<GetGroupMutedAccountResponse>(&serde_json::to_vec(&body).unwrap()).unwrap();
        prop_assert_eq!(r, GetGroupMutedAccountResponse { group_id, muted_account_list: list });
    }

    /// A page of `n` minimal members (the densest list an answer can hold) stays within the
    /// allocation bound.
    #[test]
    fn dense_member_lists_are_bounded(n in 0usize..5000, account_len in 0usize..3) {
        let member = format!(r#"{{"Member_Account":"{}"}}"#, "a".repeat(account_len));
        let body = format!(r#"{{"ActionStatus":"OK","ErrorCode":0,"MemberNum":{n},"MemberList":[{}]}}"#, vec![member; n].join(","));
        let [members, _, _] = decode_all(body.as_bytes());
        prop_assert!(members.is_ok());
    }

    /// UserSig decoding and verification never panic on arbitrary text.
    #[test]
    fn usersig_from_arbitrary_text(token in prop_oneof![".{0,300}", "[A-Za-z0-9*_-]{0,600}"], id in ".{0,40}") {
        let (result, peak) = peak_during(|| usersig::verify(1400000000, "key", &id, &token));
        prop_assert!(result.is_err());
        prop_assert!(peak <= 8 * token.len() + 256 * 1024, "{} bytes", peak);
        let _ = usersig::decode_unverified(&token);
    }

    /// Tokens round-trip for any identifier (up to the service's 32 bytes; a longer one is
    /// refused with InvalidArgument), app, lifetime and user buffer; a token altered in one
    /// character either fails or still carries exactly the signed claims.
    #[test]
    fn usersig_round_trip_and_tamper(
        identifier in "[^\\p{Cc}]{1,40}",
        sdkappid in 1u64..=u64::from(u32::MAX),
        expire in 0u64..10_000_000_000,
        userbuf in option::of(vec(any::<u8>(), 0..64)),
        position in any::<prop::sample::Index>(),
        replacement in "[A-Za-z0-9*_-]",
    ) {
        let signer = Signer::with_clock(sdkappid, "5bd2850fff3ecb11d7c8", Arc::new(FixedClock(1_700_000_000))).unwrap();
        let signed = signer.sign(&identifier, expire, userbuf.as_deref());
        if identifier.len() > MAX_IDENTIFIER_BYTES {
            prop_assert!(matches!(signed, Err(usersig::UserSigError::InvalidArgument { .. })), "{:?}", signed);
            return Ok(());
        }
        let token = signed.unwrap();
        let claims = signer.verify(&identifier, &token, userbuf.as_deref()).unwrap();
        prop_assert_eq!(&claims.identifier, &identifier);
        prop_assert_eq!((claims.sdkappid, claims.time, claims.expire), (sdkappid, 1_700_000_000, expire));
        prop_assert_eq!(claims.userbuf.as_deref(), userbuf.as_deref());
        let mut chars: Vec<char> = token.chars().collect();
        let i = position.index(chars.len());
        chars[i] = replacement.chars().next().unwrap();
        let altered: String = chars.into_iter().collect();
        if let Ok(c) = signer.verify(&identifier, &altered, userbuf.as_deref()) {
            prop_assert_eq!(c, claims);
        }
    }

    /// Region names and base URLs: parsed or refused with InvalidArgument, never a panic; an
    /// accepted base URL is http(s) with a host, and clear text is only accepted to loopback.
    #[test]
    fn regions_and_base_urls(text in prop_oneof![".{0,60}", "(https?|ftp)://[a-z0-9.:\\[\\]@/?#%-]{0,40}"]) {
        match text.parse::<Region>() {
            Ok(r) => prop_assert_eq!(r.name().parse::<Region>().unwrap(), r),
            Err(e) => prop_assert!(matches!(e, Error::InvalidArgument { .. }), "{:?}", e),
        }
        match Endpoint::base_url(&text) {
            Ok(_) => {
                let options = ClientOptions { secret_key: Some("k".into()), base_url: Some(text.clone()), ..ClientOptions::new(1) };
                let url = url::Url::parse(text.trim()).unwrap();
                prop_assert!(matches!(url.scheme(), "http" | "https") && url.host().is_some());
                let loopback = match url.host() {
                    Some(url::Host::Domain(d)) => d == "localhost" || d == "localhost.",
                    Some(url::Host::Ipv4(a)) => a.is_loopback(),
                    Some(url::Host::Ipv6(a)) => a.is_loopback() || a.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
                    None => false,
                };
                match options.build() {
                    Ok(_) => prop_assert!(url.scheme() == "https" || loopback, "clear text accepted to {}", url),
                    Err(e) => prop_assert!(!loopback && matches!(e, Error::InvalidArgument { ref field, .. } if field == "base_url"), "{:?}", e),
                }
            }
            Err(e) => prop_assert!(matches!(e, Error::InvalidArgument { ref field, .. } if field == "base_url"), "{:?}", e),
        }
    }

    /// Any combination of settings builds a valid Config or is refused with InvalidArgument.
    #[test]
    fn client_options_build_or_refuse(
        sdkappid in option::of(prop_oneof![any::<u64>(), 1u64..=u64::from(u32::MAX)]),
        key in option::of(".{0,20}"),
        sig in option::of(".{0,20}"),
        identifier in option::of(".{0,40}"),
        region in option::of(prop_oneof![".{0,10}", Just("singapore".to_owned())]),
        base_url in option::of(prop_oneof![".{0,30}", Just("http://127.0.0.1:9".to_owned()), Just("http://10.0.0.1".to_owned())]),
        timeout_ms in option::of(0u64..100_000),
        retries in option::of(any::<u32>()),
        rate in option::of(prop_oneof![
            Just(RateLimit::Off),
            any::<f64>().prop_map(RateLimit::PerSecond),
            (-320i32..20).prop_map(|e| RateLimit::PerSecond(10f64.powi(e))),
        ]),
        lifetime in option::of(0u64..1_000_000),
        max_response_bytes in option::of(any::<u64>()),
        allow_insecure_http in option::of(any::<bool>()),
        max_in_flight in option::of(any::<u32>()),
    ) {
        let options = ClientOptions {
            sdkappid,
            secret_key: key,
            usersig: sig,
            identifier,
            region,
            base_url,
            timeout: timeout_ms.map(Duration::from_millis),
            max_retries: retries,
            rate_limit: rate,
            usersig_lifetime: lifetime.map(Duration::from_secs),
            max_response_bytes,
            allow_insecure_http,
            max_in_flight,
            ..ClientOptions::default()
        };
        match options.build() {
            Ok(config) => {
                // What builds must also make a client (no panic in the limiter, the pool...).
                let client = timadmin::Client::new(config.clone());
                prop_assert!(client.is_ok(), "{:?}", client.err());
                let shown = config.settings();
                prop_assert!(shown["sdkappid"].as_u64().is_some_and(|n| (1..=u64::from(u32::MAX)).contains(&n)));
                let identifier = shown["identifier"].as_str().unwrap_or_default();
                prop_assert!(!identifier.trim().is_empty() && identifier.len() <= MAX_IDENTIFIER_BYTES);
                prop_assert!(!identifier.chars().any(char::is_control));
                prop_assert!(shown["max_in_flight"].as_u64() >= Some(1) && shown["max_response_bytes"].as_u64() >= Some(1024));
                prop_assert!(shown["timeout"].as_f64().is_some_and(|t| t > 0.0 && t <= 86_400.0));
            }
            Err(e) => prop_assert!(matches!(e, Error::InvalidArgument { .. }), "{:?}", e),
        }
    }

    /// Request validation: accepted requests carry bounded IDs without control characters.
    #[test]
    fn requests_validate_or_refuse(
        group_id in prop_oneof![".{0,60}", "@TGS#_?[A-Za-z0-9]{0,50}"],
        topic in option::of(".{0,120}"),
        next in option::of(".{0,30}"),
        limit in option::of(any::<u32>()),
        offset in option::of(any::<u64>()),
        filter in option::of(vec(".{0,10}", 0..4)),
        name in option::of(".{0,40}"),
    ) {
        let checks = [
            timadmin::validate::member_info(&GetGroupMemberInfoRequest {
                limit, offset, next: next.clone(), member_info_filter: filter.clone(),
                ..GetGroupMemberInfoRequest::new(group_id.clone())
            }),
            timadmin::validate::muted_account(&GetGroupMutedAccountRequest { group_id: group_id.clone(), topic_id: topic }),
            timadmin::validate::modify_base_info(&ModifyGroupBaseInfoRequest { name, ..ModifyGroupBaseInfoRequest::new(group_id.clone()) }),
        ];
        for check in checks {
            match check {
                Ok(()) => {
                    prop_assert!(group_id.len() <= MAX_GROUP_ID_BYTES && !group_id.trim().is_empty());
                    prop_assert!(!group_id.chars().any(char::is_control));
                }
                Err(e) => prop_assert!(matches!(e, Error::InvalidArgument { .. }), "{:?}", e),
            }
        }
    }

    /// Whatever surrounds them, no run of 16 characters of a secret survives redaction, and
    /// text without secrets is left alone.
    #[test]
    fn redaction_leaves_no_fragment(
        secret in "[A-Za-z0-9*_-]{16,300}",
        pieces in vec((".{0,20}", any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..5),
        plain in "[^*]{0,80}",
    ) {
        let mut text = String::new();
        for (filler, a, b) in &pieces {
            let (mut i, mut j) = (a.index(secret.len()), b.index(secret.len() + 1));
            if i > j { std::mem::swap(&mut i, &mut j); }
            text.push_str(filler);
            text.push_str(&secret[i..j]);
        }
        let shown = redact(&text, &[&secret]);
        for start in 0..=secret.len() - MIN_REDACTED_FRAGMENT {
            prop_assert!(!shown.contains(&secret[start..start + MIN_REDACTED_FRAGMENT]), "{} in {}", secret, shown);
        }
        prop_assert_eq!(redact(&plain, &["*".repeat(20).as_str()]), plain);
    }
}

/// A zlib bomb as a UserSig: 10 MB of zeros in a token of a few KB is refused after inflating
/// at most 64 KB.
#[test]
fn a_usersig_inflation_bomb_is_bounded() {
    let compressed = usersig::zlib_with_level(&vec![0u8; 10 << 20], 9);
    let token = usersig::encode_token_bytes(&compressed);
    assert!(token.len() < 64 * 1024, "{}", token.len());
    let (result, peak) = peak_during(|| usersig::decode_unverified(&token));
    assert!(result.is_err());
    assert!(peak < 1 << 20, "{peak} bytes held for a bomb");
}
