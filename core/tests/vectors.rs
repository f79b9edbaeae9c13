//! Runs the shared cross-language vectors in tests/vectors/ against the core.

use std::sync::Arc;

use serde_json::{json, Value};
use timadmin::model::{Empty, GetGroupMemberInfoResponse, GetGroupMutedAccountResponse};
use timadmin::usersig::{FixedClock, Signer};
use timadmin::{
    validate, AppDefinedDataUpdate, ApplyJoinOption, Error, GetGroupMemberInfoRequest, GetGroupMutedAccountRequest,
    ModifyGroupBaseInfoRequest,
};

fn load(name: &str) -> Value {
    let path = format!("{}/../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn b64(v: &Value) -> Option<Vec<u8>> {
    use base64::Engine;
    v.as_str().map(|s| base64::engine::general_purpose::STANDARD.decode(s).unwrap())
}

fn signer(case: &Value) -> Signer {
    Signer::with_clock(
        case["sdkappid"].as_u64().unwrap(),
        case["key"].as_str().unwrap(),
        Arc::new(FixedClock(case["now"].as_u64().unwrap_or(0))),
    )
    .unwrap()
}

#[test]
fn usersig_mac_vectors() {
    let doc = load("usersig.json");
    for case in doc["mac"].as_array().unwrap() {
        let s = signer(case);
        let got = s.mac_b64(
            case["identifier"].as_str().unwrap(),
            case["time"].as_u64().unwrap(),
            case["expire"].as_u64().unwrap(),
            case["userbuf_b64"].as_str(),
        );
        assert_eq!(got, case["sig"].as_str().unwrap());
    }
}

#[test]
fn usersig_foreign_tokens_verify() {
    let doc = load("usersig.json");
    let valid = doc["valid"].as_array().unwrap();
    assert!(valid.len() >= 6);
    for case in valid {
        let userbuf = b64(&case["userbuf_b64"]);
        let claims = signer(case)
            .verify(case["identifier"].as_str().unwrap(), case["usersig"].as_str().unwrap(), userbuf.as_deref())
            .unwrap_or_else(|e| panic!("{}: {e}", case["name"]));
        let expect = &case["expect"];
        assert_eq!(claims.identifier, expect["identifier"].as_str().unwrap(), "{}", case["name"]);
        assert_eq!(claims.sdkappid, expect["sdkappid"].as_u64().unwrap());
        assert_eq!(claims.time, expect["time"].as_u64().unwrap());
        assert_eq!(claims.expire, expect["expire"].as_u64().unwrap());
        assert_eq!(claims.userbuf, userbuf);
    }
}

#[test]
fn usersig_invalid_tokens_fail_for_the_named_reason() {
    let doc = load("usersig.json");
    for case in doc["invalid"].as_array().unwrap() {
        let userbuf = b64(&case["userbuf_b64"]);
        let err = signer(case)
            .verify(case["identifier"].as_str().unwrap(), case["usersig"].as_str().unwrap(), userbuf.as_deref())
            .expect_err(case["name"].as_str().unwrap());
        // The reasons are core's stable ids, the ones every host exposes.
        let kind = err.reason();
        assert_eq!(kind, case["error"].as_str().unwrap(), "{}", case["name"]);
    }
}

#[test]
fn our_tokens_verify_with_an_independent_reading() {
    // Decode our own token by hand (base64 variant -> zlib -> JSON) and recheck the MAC from
    // its fields, as a foreign verifier would.
    use base64::Engine;
    use std::io::Read;
    let s = Signer::with_clock(1400000000, "k", Arc::new(FixedClock(1700000000))).unwrap();
    let token = s.sign("alice", 3600, Some(b"\x00\xffbuf")).unwrap();
    let std_b64: String = token
        .chars()
        .map(|c| match c {
            '*' => '+',
            '-' => '/',
            '_' => '=',
            c => c,
        })
        .collect();
    let raw = base64::engine::general_purpose::STANDARD.decode(std_b64).unwrap();
    let mut text = String::new();
    flate2::read::ZlibDecoder::new(&raw[..]).read_to_string(&mut text).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["TLS.ver"], "2.0");
    assert_eq!(doc["TLS.sdkappid"], 1400000000);
    assert_eq!(doc["TLS.time"], 1700000000);
    assert_eq!(doc["TLS.userbuf"], base64::engine::general_purpose::STANDARD.encode(b"\x00\xffbuf"));
    assert_eq!(doc["TLS.sig"], s.mac_b64("alice", 1700000000, 3600, doc["TLS.userbuf"].as_str()));
}

fn strings(v: &Value) -> Option<Vec<String>> {
    v.as_array().map(|a| a.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
}

fn member_info_request(args: &Value) -> GetGroupMemberInfoRequest {
    GetGroupMemberInfoRequest {
        group_id: args["group_id"].as_str().unwrap().into(),
        member_info_filter: strings(&args["member_info_filter"]),
        member_role_filter: strings(&args["member_role_filter"]),
        app_defined_data_filter_group_member: strings(&args["app_defined_data_filter_group_member"]),
        limit: args["limit"].as_u64().map(|v| v as u32),
        offset: args["offset"].as_u64(),
        next: args["next"].as_str().map(str::to_owned),
    }
}

fn muted_request(args: &Value) -> GetGroupMutedAccountRequest {
    GetGroupMutedAccountRequest {
        group_id: args["group_id"].as_str().unwrap().into(),
        topic_id: args["topic_id"].as_str().map(str::to_owned),
    }
}

fn modify_request(args: &Value) -> Result<ModifyGroupBaseInfoRequest, Error> {
    let s = |k: &str| args[k].as_str().map(str::to_owned);
    Ok(ModifyGroupBaseInfoRequest {
        group_id: s("group_id").unwrap(),
        name: s("name"),
        introduction: s("introduction"),
        notification: s("notification"),
        face_url: s("face_url"),
        max_member_num: args["max_member_num"].as_u64().map(|v| v as u32),
        apply_join_option: s("apply_join_option").map(|v| v.parse::<ApplyJoinOption>()).transpose()?,
        shut_up_all_member: args["shut_up_all_member"].as_bool(),
        app_defined_data: args["app_defined_data"].as_array().map(|pairs| {
            pairs
                .iter()
                .map(|p| match p[1].as_str() {
                    Some(v) => AppDefinedDataUpdate::set(p[0].as_str().unwrap(), v),
                    None => AppDefinedDataUpdate::delete(p[0].as_str().unwrap()),
                })
                .collect()
        }),
    })
}

#[test]
fn request_bodies_match_the_pages() {
    let doc = load("api.json");
    for case in doc["requests"].as_array().unwrap() {
        let args = &case["args"];
        let body = match case["command"].as_str().unwrap() {
            "get_group_member_info" => {
                let r = member_info_request(args);
                validate::member_info(&r).unwrap();
                serde_json::to_value(&r).unwrap()
            }
            "get_group_muted_account" => {
                let r = muted_request(args);
                validate::muted_account(&r).unwrap();
                serde_json::to_value(&r).unwrap()
            }
            "modify_group_base_info" => {
                let r = modify_request(args).unwrap();
                validate::modify_base_info(&r).unwrap();
                serde_json::to_value(&r).unwrap()
            }
            other => panic!("unknown command {other}"),
        };
        assert_eq!(body, case["body"], "{}", case["name"]);
    }
}

fn member_view(m: &timadmin::GroupMember) -> Value {
    json!({
        "member_account": m.member_account,
        "role": m.role.as_ref().map(|r| r.as_str().to_owned()),
        "join_time": m.join_time, "msg_seq": m.msg_seq, "msg_flag": m.msg_flag,
        "last_send_msg_time": m.last_send_msg_time, "mute_until": m.mute_until, "name_card": m.name_card,
        "app_member_defined_data": m.app_member_defined_data.as_ref().map(|kv| {
            kv.iter().map(|e| (e.key.clone(), Value::from(e.value.clone()))).collect::<serde_json::Map<_, _>>()
        }),
    })
}

#[test]
fn responses_decode_as_expected() {
    let doc = load("api.json");
    for case in doc["responses"].as_array().unwrap() {
        let body = serde_json::to_vec(&case["body"]).unwrap();
        let expect = &case["expect"];
        let name = case["name"].as_str().unwrap();
        if let Some(code) = expect["error_code"].as_i64() {
            let e = timadmin::transport::decode_for_tests::<Empty>(&body).unwrap_err();
            assert_eq!(e.code(), Some(code), "{name}");
            continue;
        }
        let got = match case["command"].as_str().unwrap() {
            "get_group_member_info" => {
                let r: GetGroupMemberInfoResponse = timadmin::transport::decode_for_tests(&body).unwrap();
                json!({"member_num": r.member_num, "next": r.next,
                       "member_list": r.member_list.iter().map(member_view).collect::<Vec<_>>()})
            }
            "get_group_muted_account" => {
                let r: GetGroupMutedAccountResponse = timadmin::transport::decode_for_tests(&body).unwrap();
                json!({"group_id": r.group_id, "muted_account_list": r.muted_account_list.iter()
                    .map(|m| json!({"member_account": m.member_account, "muted_until": m.muted_until})).collect::<Vec<_>>()})
            }
            _ => {
                let _: Empty = timadmin::transport::decode_for_tests(&body).unwrap();
                json!({})
            }
        };
        assert_eq!(&got, expect, "{name}");
    }
}

#[test]
fn invalid_arguments_are_rejected_naming_the_field() {
    let doc = load("api.json");
    for case in doc["invalid"].as_array().unwrap() {
        let args = &case["args"];
        let result = match case["command"].as_str().unwrap() {
            "get_group_member_info" => validate::member_info(&member_info_request(args)),
            "get_group_muted_account" => validate::muted_account(&muted_request(args)),
            _ => modify_request(args).and_then(|r| validate::modify_base_info(&r)),
        };
        match result {
            Err(Error::InvalidArgument { field, .. }) => {
                assert_eq!(field, case["field"].as_str().unwrap(), "{}", case["name"])
            }
            other => panic!("{}: expected InvalidArgument, got {other:?}", case["name"]),
        }
    }
}
