//! `uniffi-bindgen`, built from the same pinned `uniffi` as `bindings-uniffi`, so that the
//! generated Kotlin and Swift always match the library's scaffolding. Run by
//! `bindings-uniffi/generate.sh`; build it in its own cargo invocation (see there).

fn main() {
    uniffi::uniffi_bindgen_main()
}
