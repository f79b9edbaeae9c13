//! timadmin quickstart: starts the embedded emulator (no account, no network), then uses the
//! core as an admin script would: page through a community group's members, list muted
//! members, change a group's profile and read it back.
//!
//! Against the real service, build the client with `ClientOptions::from_env()` (TIM_SDKAPPID,
//! TIM_SECRET_KEY, TIM_REGION, ...) instead of pointing it at the emulator.

use std::collections::HashMap;
use std::error::Error;

use futures::TryStreamExt;
use timadmin::{
    AppDefinedDataUpdate, ApplyJoinOption, Client, ClientOptions, GetGroupMutedAccountRequest,
    ModifyGroupBaseInfoRequest, PageOptions, Role,
};
use timadmin_emulator::{Emulator, EmulatorConfig};

const COMMUNITY: &str = "@TGS#_demo";
const PUBLIC: &str = "@TGS#2DEMOPUB";

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    // 1. A local emulator with the demo fixture and a community group of 2,500 members.
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/../../emulator/fixtures/demo.json");
    let emulator = Emulator::start(EmulatorConfig {
        seed_file: Some(fixture.into()),
        community_members: Some(2_500),
        ..Default::default()
    })
    .await?;
    println!("emulator listening on {} (sdkappid {})", emulator.base_url(), emulator.sdkappid());

    // 2. A client that signs its own admin UserSig from the secret key.
    let config = ClientOptions {
        secret_key: Some(emulator.key().to_owned()),
        identifier: Some(emulator.admin_identifier().to_owned()),
        base_url: Some(emulator.base_url()),
        ..ClientOptions::new(emulator.sdkappid())
    }
    .build()?;
    let client = Client::new(config)?;
    println!("settings: {}", client.settings_json());

    // 3. Every member of a community group, paged with the Next cursor, one page in memory.
    println!("\n== members of {COMMUNITY} (paging with Next, 100 per call)");
    let mut pager = client.members(COMMUNITY, PageOptions::default())?;
    let mut roles: HashMap<String, usize> = HashMap::new();
    let mut pages = 0;
    while let Some(page) = pager.next_page().await? {
        pages += 1;
        for member in &page.members {
            let role = member.role.clone().unwrap_or(Role::Member);
            *roles.entry(role.to_string()).or_default() += 1;
        }
        if pages <= 2 {
            let first = page.members.first().map(|m| m.member_account.as_str()).unwrap_or("-");
            println!("page {pages}: {} members, first {first}", page.members.len());
        }
    }
    let mut roles: Vec<_> = roles.into_iter().collect();
    roles.sort();
    println!(
        "{} members in {pages} pages (MemberNum {}); by role: {roles:?}",
        pager.fetched(),
        pager.member_num().unwrap_or(0)
    );

    // The same as a stream, with a filter: only the owner and admins.
    let admins: Vec<_> = client
        .members(
            COMMUNITY,
            PageOptions { member_role_filter: Some(vec!["Owner".into(), "Admin".into()]), ..Default::default() },
        )?
        .into_stream()
        .try_collect()
        .await?;
    println!("owner and admins: {}", admins.len());

    // 4. Muted members.
    println!("\n== muted members of {PUBLIC}");
    let muted = client.get_group_muted_account(&GetGroupMutedAccountRequest::new(PUBLIC)).await?;
    for m in &muted.muted_account_list {
        let until = if m.muted_until == 4294967295 { "forever".to_string() } else { format!("unix {}", m.muted_until) };
        println!("{:<10} muted until {until}", m.member_account);
    }

    // 5. Change the group's profile, then read it back.
    println!("\n== modify {PUBLIC}");
    client
        .modify_group_base_info(&ModifyGroupBaseInfoRequest {
            name: Some("Quickstart group".into()),
            notification: Some("Welcome! Read the rules.".into()),
            apply_join_option: Some(ApplyJoinOption::NeedPermission),
            shut_up_all_member: Some(true),
            app_defined_data: Some(vec![AppDefinedDataUpdate::set("Topic", "rust")]),
            ..ModifyGroupBaseInfoRequest::new(PUBLIC)
        })
        .await?;
    let group = emulator.control().group(PUBLIC).ok_or("group vanished")?;
    println!(
        "read back: Name={:?} Notification={:?} ApplyJoinOption={} ShutUpAllMember={} Topic={:?}",
        group.name,
        group.notification,
        group.apply_join_option,
        group.shut_up_all_member,
        group.app_defined("Topic")
    );

    // 6. Bad input is refused before any network call, with the field named.
    let too_long = ModifyGroupBaseInfoRequest { name: Some("x".repeat(31)), ..ModifyGroupBaseInfoRequest::new(PUBLIC) };
    if let Err(e) = client.modify_group_base_info(&too_long).await {
        println!("\nrejected locally: {e}");
    }
    println!("\n{} REST calls made; done.", emulator.control().calls().len());
    emulator.stop();
    Ok(())
}
