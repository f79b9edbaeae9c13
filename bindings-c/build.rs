//! The shared library's soname carries the ABI version, cargo-c style: `libtimadmin.so.MAJOR`,
//! or `libtimadmin.so.0.MINOR` while the version is 0.x (every 0.x minor may break the ABI).
//! `make -C bindings-c install` and the C tarball install `libtimadmin.so.<that>` with the
//! unversioned `libtimadmin.so` as a symlink to it.

fn main() {
    let major = env!("CARGO_PKG_VERSION_MAJOR");
    let minor = env!("CARGO_PKG_VERSION_MINOR");
    let abi = if major == "0" { format!("0.{minor}") } else { major.to_owned() };
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if matches!(os.as_str(), "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libtimadmin.so.{abi}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
