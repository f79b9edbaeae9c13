//! The checked-in C header must be exactly what cbindgen (pinned =0.29.4) generates from the
//! current sources. Regenerate it with `bindings-c/gen-header.sh`.

use std::path::Path;

#[test]
fn checked_in_header_is_up_to_date() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("read cbindgen.toml");
    // The version macros come from the workspace version (Cargo.toml), like timadmin_version().
    let version_macros = version_macros();
    config.after_includes = Some(match config.after_includes.take() {
        Some(text) => format!("{text}\n{version_macros}"),
        None => version_macros,
    });
    let bindings = cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen could not generate the header");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let header = crate_dir.join("include/timadmin.h");
    if std::env::var_os("TIMADMIN_WRITE_HEADER").is_some() {
        std::fs::write(&header, &generated).expect("write include/timadmin.h");
        return;
    }
    let checked_in = std::fs::read(&header).unwrap_or_default();
    assert!(
        checked_in == generated,
        "bindings-c/include/timadmin.h is out of date with the Rust sources; regenerate it with \
         bindings-c/gen-header.sh and commit the result"
    );
}

/// `TIMADMIN_VERSION_{MAJOR,MINOR,PATCH,STRING}` for the header, from this crate's version.
fn version_macros() -> String {
    format!(
        "\n/** The version of timadmin this header belongs to (timadmin_version() says which library is loaded). */\n\
         #define TIMADMIN_VERSION_MAJOR {}\n#define TIMADMIN_VERSION_MINOR {}\n#define TIMADMIN_VERSION_PATCH {}\n\
         #define TIMADMIN_VERSION_STRING \"{}\"",
        env!("CARGO_PKG_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_PATCH"),
        env!("CARGO_PKG_VERSION"),
    )
}

/// Every C name in the README's table of names ("One name per concept") is in the header.
#[test]
fn the_readme_names_table_matches_the_header() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(crate_dir.join("../README.md")).expect("read README.md");
    let header = std::fs::read_to_string(crate_dir.join("include/timadmin.h")).expect("read the header");
    let start = readme.find("| concept | Rust core | Python | C |").expect("the names table");
    let table = readme[start..].split("\n\n").next().unwrap_or_default();
    let mut checked = 0;
    for row in table.lines().skip(2) {
        let c_column = row.split('|').nth(4).unwrap_or_default();
        for name in c_column.split('`').skip(1).step_by(2).filter(|n| n.starts_with("timadmin_")) {
            let declared = header
                .match_indices(name)
                .any(|(at, _)| !header[at + name.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_'));
            assert!(declared, "README names {name}, which include/timadmin.h does not declare");
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} C names found in the README table");
}

/// The names issue 17 retired from the C ABI are gone (one name per concept: `Api`, not
/// SERVICE; `secret_key`, not `key`; `expire`, not `expire_secs`; the core's
/// `AppDefinedDataUpdate` and `Role`), and so is the caller-allocated options struct with its
/// `has_*` flags.
#[test]
fn retired_c_names_are_gone() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let header = std::fs::read_to_string(crate_dir.join("include/timadmin.h")).expect("read the header");
    for retired in [
        "TIMADMIN_STATUS_SERVICE_ERROR",
        "timadmin_error_service_",
        "timadmin_app_data_update",
        "expire_secs",
        "role_kind",
        "disable_rate_limit",
        "has_timeout_ms",
        "has_rate_limit",
        "has_max_retries",
        "has_usersig_lifetime_secs",
        "has_max_response_bytes",
        "has_max_in_flight",
        "has_fleet_size",
        "TIMADMIN_REDIS_FALLBACK_UNSET",
        "typedef struct timadmin_client_options {",
        "typedef struct timadmin_get_group_member_info_request {",
        "typedef struct timadmin_page_options {",
        "has_limit",
        "has_page_size",
        "TIMADMIN_APPLY_JOIN_OPTION_UNSET",
    ] {
        assert!(!header.contains(retired), "include/timadmin.h still has the retired name {retired:?}");
    }
    // The secret key is `secret_key` (a custom-data `key` elsewhere is fine).
    for function in ["timadmin_generate_usersig(", "timadmin_verify_usersig("] {
        let at = header.find(function).unwrap_or_else(|| panic!("include/timadmin.h lacks {function}"));
        let declaration = &header[at..at + header[at..].find(");").unwrap_or(0)];
        assert!(!declaration.contains("*key,"), "{function} still takes the retired parameter `key`");
    }
    for name in [
        "TIMADMIN_STATUS_API",
        "timadmin_error_api_code",
        "timadmin_error_api_info",
        "timadmin_error_api_kind",
        "timadmin_error_api_description",
        "timadmin_modify_group_base_info_request_add_app_defined_data(",
        "typedef struct timadmin_client_options timadmin_client_options;",
        "typedef struct timadmin_get_group_member_info_request timadmin_get_group_member_info_request;",
        "typedef struct timadmin_get_group_muted_account_request timadmin_get_group_muted_account_request;",
        "typedef struct timadmin_modify_group_base_info_request timadmin_modify_group_base_info_request;",
        "typedef struct timadmin_page_options timadmin_page_options;",
        "timadmin_client_options_new",
        "timadmin_client_options_free",
        "*secret_key,",
        "uint64_t expire,",
    ] {
        assert!(header.contains(name), "include/timadmin.h lacks {name:?}");
    }
}

/// Every setting of the core's table (`timadmin::settings::SETTINGS`) has a C setter
/// `timadmin_client_options_set_<name>` in the header: a setting added to core without one
/// fails here. `async_usersig_provider` is the one exception: a C callback is synchronous, so C
/// sets `usersig_provider` (the settings vectors mark the async case as needing it).
#[test]
fn every_core_setting_has_a_c_setter() {
    const NOT_IN_C: &[&str] = &["async_usersig_provider"];
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let header = std::fs::read_to_string(crate_dir.join("include/timadmin.h")).expect("read the header");
    let mut checked = 0;
    for setting in timadmin::settings::SETTINGS {
        if NOT_IN_C.contains(&setting.name) {
            continue;
        }
        let setter = format!("timadmin_client_options_set_{}(", setting.name);
        assert!(
            header.contains(&setter),
            "core's setting {} has no C setter {setter}...) in include/timadmin.h",
            setting.name
        );
        checked += 1;
    }
    assert!(header.contains("timadmin_client_options_set_rate_limit_off("));
    assert!(checked >= 17, "only {checked} settings checked");
    // Every setter the header declares is a setting of core's table (or the off switch).
    for (at, _) in header.match_indices("timadmin_client_options_set_") {
        let name: String = header[at + "timadmin_client_options_set_".len()..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let known =
            name.is_empty() || name == "rate_limit_off" || timadmin::settings::SETTINGS.iter().any(|s| s.name == name);
        assert!(known, "timadmin_client_options_set_{name} sets nothing core's table declares");
    }
}
