//! The checked-in C header must be exactly what cbindgen (pinned =0.29.4) generates from the
//! current sources. Regenerate it with `bindings-c/gen-header.sh`.

use std::path::Path;

#[test]
fn checked_in_header_is_up_to_date() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("read cbindgen.toml");
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
