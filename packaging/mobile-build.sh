# shellcheck shell=bash
# The one definition of the mobile library's build, sourced by packaging/mobile-size.sh
# (`make mobile-size`), bindings-uniffi/android/build-aar.sh and
# bindings-uniffi/apple/build-xcframework.sh, so that what `make mobile-size` measures is what a
# phone gets:
#
#   cargo rustc "${MOBILE_CARGO_ARGS[@]}" --crate-type cdylib      (Android .so; staticlib for iOS)
#
# - profile `mobile` (Cargo.toml): opt-level "z", fat LTO, one codegen unit, stripped, unwinding
#   kept (UniFFI turns a panic into an error the app can catch);
# - `--no-default-features`: neither `redis` (the fleet's shared rate limit: a Redis URL is refused
#   as an invalid setting) nor `http2` (calls use HTTP/1.1);
# - `cargo rustc --crate-type X`, ONE crate type: bindings-uniffi declares two (cdylib and lib), and
#   Cargo silently skips LTO for a package built as both (the rlib cannot take it;
#   rust-lang/cargo#9672): built that way the library was 34% larger (`make mobile-size`).
MOBILE_CARGO_ARGS=(--profile mobile -p timadmin-uniffi --lib --no-default-features)

# The Kotlin classes of the AAR and the Swift sources are generated (uniffi-bindgen, library mode)
# from the same build for the host, unstripped: uniffi-bindgen reads the UniFFI metadata from the
# symbol table, which the profile's `strip` removes ("No UniFFI metadata found"). Built in its own
# target dir (as `make mobile-size`'s breakdown), so the stripped build is left as it is.
#   mobile_bindgen_lib TARGET_DIR   builds it and prints the path of the library
mobile_bindgen_lib() {
    local target_dir="$1/mobile-symbols" ext=so
    [ "$(uname -s)" = Darwin ] && ext=dylib
    CARGO_PROFILE_MOBILE_STRIP=none "${CARGO:-cargo}" rustc "${MOBILE_CARGO_ARGS[@]}" --crate-type cdylib \
        --target-dir "$target_dir" >&2
    echo "$target_dir/mobile/libtimadmin_uniffi.$ext"
}
