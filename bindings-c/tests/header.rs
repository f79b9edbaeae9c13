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
