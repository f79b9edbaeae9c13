//! `timadmin members` end to end against the emulator: every output format, filters, single
//! pages by Offset and by Next, and `--all` over ordinary and community groups.

mod common;

use std::collections::HashSet;

use common::{accounts, emulator, tim_run};
use serde_json::Value;
use timadmin_emulator::GroupType;

const PUB: &str = "@TGS#2DEMOPUB";
const DEMO_ACCOUNTS: [&str; 5] = ["bob", "alice", "peter", "tommy", "carol"];

#[test]
fn json_is_one_array_of_rest_objects() {
    let emu = emulator();
    let run = tim_run(&emu, &["members", PUB, "--format", "json"]).ok();
    let v = run.json();
    let items = v.as_array().expect("a JSON array");
    assert_eq!(accounts(items), DEMO_ACCOUNTS);
    let bob = &items[0];
    assert_eq!(bob["Role"], "Owner");
    assert_eq!(bob["JoinTime"], 1425976500);
    assert_eq!(bob["MsgSeq"], 1233);
    assert_eq!(bob["MsgFlag"], "AcceptAndNotify");
    assert_eq!(bob["LastSendMsgTime"], 1425976500);
    assert_eq!(bob["MuteUntil"], 0);
    assert_eq!(bob["NameCard"], "Bob");
    assert_eq!(bob["AppMemberDefinedData"][0], serde_json::json!({"Key": "MemberDefined1", "Value": "ModifyDefined1"}));
    // The fixture's "Member " role comes out as the REST value.
    assert_eq!(items[2]["Role"], "Member");
    assert_eq!(items[2]["MuteUntil"], 4294967295u64);
    assert!(run.stderr.contains("5 members (MemberNum 5)"), "{}", run.stderr);
}

#[test]
fn ndjson_is_the_default_off_a_terminal() {
    let emu = emulator();
    let explicit = tim_run(&emu, &["members", PUB, "--format", "ndjson"]).ok();
    let default = tim_run(&emu, &["members", PUB]).ok();
    assert_eq!(explicit.stdout, default.stdout);
    let items = explicit.ndjson();
    assert_eq!(accounts(&items), DEMO_ACCOUNTS);
    assert_eq!(explicit.lines().len(), 5);
    assert_eq!(items[1]["NameCard"], "Alice");
    assert_eq!(items[1]["AppMemberDefinedData"][0]["Value"], "AliceDefined2");
}

#[test]
fn csv_has_a_header_and_raw_values() {
    let emu = emulator();
    let run = tim_run(&emu, &["members", PUB, "--format", "csv"]).ok();
    let lines = run.lines();
    assert_eq!(
        lines[0],
        "Member_Account,Role,JoinTime,MsgSeq,MsgFlag,LastSendMsgTime,MuteUntil,NameCard,AppMemberDefinedData"
    );
    assert_eq!(lines.len(), 6);
    assert_eq!(
        lines[1],
        "bob,Owner,1425976500,1233,AcceptAndNotify,1425976500,0,Bob,MemberDefined1=ModifyDefined1;MemberDefined2=ModifyDefined2"
    );
    assert_eq!(lines[3], "peter,Member,1425976700,1100,AcceptAndNotify,1425976800,4294967295,,");
}

#[test]
fn csv_quotes_per_rfc_4180() {
    let emu = emulator();
    emu.control().update_group(PUB, |g| g.member_list[1].name_card = "Alice, \"the\" admin".into()).unwrap();
    let run = tim_run(&emu, &["members", PUB, "--format", "csv", "--fields", "NameCard"]).ok();
    assert_eq!(run.lines()[0], "Member_Account,NameCard");
    assert_eq!(run.lines()[2], "alice,\"Alice, \"\"the\"\" admin\"");
}

#[test]
fn table_is_aligned_with_human_times() {
    let emu = emulator();
    let run = tim_run(&emu, &["members", PUB, "--format", "table"]).ok();
    let lines = run.lines();
    assert_eq!(lines.len(), 6, "{}", run.stdout);
    let header = lines[0];
    for name in ["Member_Account", "Role", "JoinTime", "MuteUntil", "NameCard", "AppMemberDefinedData"] {
        assert!(header.contains(name), "{header}");
    }
    let row = |account: &str| *lines.iter().find(|l| l.starts_with(account)).expect("row present");
    let col = |name: &str| header.find(name).expect("column present");
    // Each value starts exactly under its header.
    assert_eq!(&row("bob")[col("JoinTime")..col("JoinTime") + 20], "2015-03-10 08:35:00Z");
    assert_eq!(&row("bob")[col("Role")..col("Role") + 5], "Owner");
    assert_eq!(&row("bob")[col("MuteUntil")..col("MuteUntil") + 1], "-");
    assert_eq!(&row("peter")[col("MuteUntil")..col("MuteUntil") + 7], "forever");
    assert_eq!(&row("tommy")[col("MuteUntil")..col("MuteUntil") + 20], "2100-01-01 00:00:00Z");
    assert_eq!(&row("tommy")[col("LastSendMsgTime")..col("LastSendMsgTime") + 2], "- ");
    assert!(row("bob").ends_with("MemberDefined1=ModifyDefined1;MemberDefined2=ModifyDefined2"));
    assert!(lines.iter().all(|l| !l.ends_with(' ')), "no trailing spaces");
}

#[test]
fn filters_are_sent_under_their_rest_names() {
    let emu = emulator();
    let run = tim_run(
        &emu,
        &[
            "members",
            PUB,
            "--format",
            "json",
            "--fields",
            "Role,NameCard",
            "--roles",
            "Owner, Admin",
            "--app-data-keys",
            "MemberDefined2",
        ],
    )
    .ok();
    let v = run.json();
    let items = v.as_array().unwrap();
    assert_eq!(accounts(items), ["bob", "alice"]);
    for item in items {
        let mut keys: Vec<&str> = item.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["AppMemberDefinedData", "Member_Account", "NameCard", "Role"]);
        assert_eq!(item["AppMemberDefinedData"].as_array().unwrap().len(), 1);
        assert_eq!(item["AppMemberDefinedData"][0]["Key"], "MemberDefined2");
    }
    let calls = emu.control().calls();
    assert_eq!(calls.len(), 1);
    let body = calls[0].body.as_ref().unwrap();
    assert_eq!(body["GroupId"], PUB);
    assert_eq!(body["MemberInfoFilter"], serde_json::json!(["Role", "NameCard"]));
    assert_eq!(body["MemberRoleFilter"], serde_json::json!(["Owner", "Admin"]));
    assert_eq!(body["AppDefinedDataFilter_GroupMember"], serde_json::json!(["MemberDefined2"]));
    // The table and CSV show only the columns asked for.
    let csv = tim_run(&emu, &["members", PUB, "--format", "csv", "--fields", "Role,NameCard", "--roles", "Owner"]).ok();
    assert_eq!(csv.stdout, "Member_Account,Role,NameCard\nbob,Owner,Bob\n");
}

#[test]
fn one_page_by_offset_says_where_the_next_starts() {
    let emu = emulator();
    let run = tim_run(&emu, &["members", PUB, "--limit", "2", "--offset", "2"]).ok();
    assert_eq!(accounts(&run.ndjson()), ["peter", "tommy"]);
    assert!(run.stderr.contains("2 members (MemberNum 5); next page: --offset 4"), "{}", run.stderr);
    let body = emu.control().calls()[0].body.clone().unwrap();
    assert_eq!(body["Limit"], 2);
    assert_eq!(body["Offset"], 2);
    let last = tim_run(&emu, &["members", PUB, "--limit", "2", "--offset", "4"]).ok();
    assert_eq!(accounts(&last.ndjson()), ["carol"]);
    assert!(!last.stderr.contains("next page"), "{}", last.stderr);
}

/// The cursor printed after "next page: --next ".
fn next_cursor(stderr: &str) -> Option<String> {
    stderr.split("--next ").nth(1).map(|rest| rest.trim().to_owned())
}

#[test]
fn one_page_of_a_community_group_by_next_cursor() {
    let emu = emulator();
    emu.control().generate_community_group("@TGS#_page", 7).unwrap();
    let first = tim_run(&emu, &["members", "@TGS#_page", "--limit", "3"]).ok();
    assert_eq!(accounts(&first.ndjson()), ["user000000", "user000001", "user000002"]);
    // The first call of a community group carries an empty cursor.
    assert_eq!(emu.control().calls()[0].body.as_ref().unwrap()["Next"], "");
    let cursor = next_cursor(&first.stderr).expect("a cursor for the next page");
    let second = tim_run(&emu, &["members", "@TGS#_page", "--limit", "3", "--next", &cursor]).ok();
    assert_eq!(accounts(&second.ndjson()), ["user000003", "user000004", "user000005"]);
    let cursor = next_cursor(&second.stderr).expect("a cursor for the last page");
    let third = tim_run(&emu, &["members", "@TGS#_page", "--limit", "3", "--next", &cursor]).ok();
    assert_eq!(accounts(&third.ndjson()), ["user000006"]);
    assert!(third.stderr.contains("last page"), "{}", third.stderr);
}

/// Accounts `user000000`..`user{n-1}` as the generator names them.
fn generated(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("user{i:06}")).collect()
}

#[test]
fn all_pages_through_a_community_group_each_member_once() {
    let emu = emulator();
    emu.control().generate_community_group("@TGS#_big", 1050).unwrap();
    let run = tim_run(&emu, &["members", "@TGS#_big", "--all"]).ok();
    let got = accounts(&run.ndjson());
    assert_eq!(got.len(), 1050);
    assert_eq!(got.iter().collect::<HashSet<_>>().len(), 1050, "no member twice");
    assert_eq!(got, generated(1050));
    assert!(run.stderr.contains("1050 members (MemberNum 1050)"), "{}", run.stderr);
    // Paged by cursor, 100 at a time (the community maximum): 11 calls, cursors all different.
    let calls = emu.control().calls();
    assert_eq!(calls.len(), 11);
    let cursors: Vec<String> = calls
        .iter()
        .map(|c| c.body.as_ref().unwrap()["Next"].as_str().expect("every call carries Next").to_owned())
        .collect();
    assert_eq!(cursors[0], "");
    assert_eq!(cursors.iter().collect::<HashSet<_>>().len(), 11);
    assert!(calls.iter().all(|c| c.body.as_ref().unwrap().get("Offset").is_none()));
}

#[test]
fn all_in_every_format() {
    let emu = emulator();
    emu.control().generate_community_group("@TGS#_fmt", 1050).unwrap();
    let json = tim_run(&emu, &["members", "@TGS#_fmt", "--all", "--format", "json"]).ok();
    let v = json.json();
    assert_eq!(accounts(v.as_array().unwrap()), generated(1050));

    let csv = tim_run(&emu, &["members", "@TGS#_fmt", "--all", "--format", "csv", "--fields", "Role"]).ok();
    let lines = csv.lines();
    assert_eq!(lines.len(), 1051);
    assert_eq!(lines[0], "Member_Account,Role");
    assert_eq!(lines[1], "user000000,Owner");
    assert_eq!(lines[101], "user000100,Admin");
    assert_eq!(lines[1050], "user001049,Member");

    let table = tim_run(&emu, &["members", "@TGS#_fmt", "--all", "--format", "table"]).ok();
    let lines = table.lines();
    assert_eq!(lines.len(), 1051, "one header, then one row per member");
    assert!(lines[0].starts_with("Member_Account"));
    let rows: Vec<&str> = lines[1..].iter().map(|l| l.split_whitespace().next().unwrap()).collect();
    assert_eq!(rows, generated(1050));
    assert!(lines[251].contains("forever"), "user000250 is muted for good: {}", lines[251]);
}

#[test]
fn all_pages_an_ordinary_group_by_offset_with_the_given_page_size() {
    let emu = emulator();
    emu.control().generate_group(GroupType::Public, "@TGS#1200", 1200).unwrap();
    let run = tim_run(&emu, &["members", "@TGS#1200", "--all", "--limit", "500", "--roles", "Owner,Admin"]).ok();
    let items: Vec<Value> = run.ndjson();
    // The owner plus every 100th member.
    assert_eq!(items.len(), 12);
    assert!(items.iter().all(|m| m["Role"] == "Owner" || m["Role"] == "Admin"));
    let run = tim_run(&emu, &["members", "@TGS#1200", "--all", "--limit", "500"]).ok();
    assert_eq!(accounts(&run.ndjson()), generated(1200));
    let offsets: Vec<u64> =
        emu.control().calls().iter().skip(1).map(|c| c.body.as_ref().unwrap()["Offset"].as_u64().unwrap()).collect();
    assert_eq!(offsets, [0, 500, 1000]);
}

#[test]
fn an_empty_result_still_prints_valid_output() {
    let emu = emulator();
    emu.control().generate_community_group("@TGS#_solo", 1).unwrap();
    let json = tim_run(&emu, &["members", "@TGS#_solo", "--all", "--roles", "Admin", "--format", "json"]).ok();
    assert_eq!(json.json(), serde_json::json!([]));
    let csv = tim_run(&emu, &["members", "@TGS#_solo", "--roles", "Admin", "--format", "csv", "--fields", "Role"]).ok();
    assert_eq!(csv.stdout, "Member_Account,Role\n");
}
