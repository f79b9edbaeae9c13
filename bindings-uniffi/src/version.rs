//! The library's version, the workspace's one version (`Cargo.toml`), at run time.

/// The version of timadmin this library was built from, e.g. `"0.2.0"` (Kotlin/Swift
/// `timadminVersion()`); the same string as the CLI's `--version`, Python's `__version__` and C's
/// `timadmin_version()`.
#[uniffi::export]
pub fn timadmin_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
