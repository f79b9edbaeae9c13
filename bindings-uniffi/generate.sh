#!/usr/bin/env bash
# Builds the UniFFI library and writes the Kotlin and Swift sources generated from it.
#   bash bindings-uniffi/generate.sh            # debug profile (tests)
#   PROFILE=release bash bindings-uniffi/generate.sh
# Two UniFFI components come out of the one library: this crate's (client, pager, options,
# provider, errors, UserSig functions; names in uniffi.toml) and the core's plain records and
# enums, which the core derives itself (crate `timadmin`, feature `uniffi`; names in bindgen.toml).
# Outputs (build outputs, never edited by hand; ignored by git):
#   bindings-uniffi/kotlin/generated/io/timadmin/timadmin_uniffi.kt       (package io.timadmin)
#   bindings-uniffi/kotlin/generated/io/timadmin/core/timadmin.kt         (package io.timadmin.core)
#   bindings-uniffi/swift/Sources/TimAdmin/{TimAdmin,TimAdminCore}.swift  (both Swift module TimAdmin)
#   bindings-uniffi/swift/Sources/TimAdminFFI/{TimAdminFFI.h,TimAdminCoreFFI.h,module.modulemap}
# The library and the generator are built in SEPARATE cargo invocations: built together, cargo
# unifies features and the generator's dependencies (clap, askama, goblin...) end up in the
# shipped library.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$ROOT"
PROFILE="${PROFILE:-debug}"
CARGO="${CARGO:-cargo}"
profile_flag=()
[ "$PROFILE" = release ] && profile_flag=(--release)
TARGET_DIR="$("$CARGO" metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
LIB="$TARGET_DIR/$PROFILE/libtimadmin_uniffi.so"

# The emulator is built with the library (the tests and examples run it) so that both share one
# feature set with the C suite's build and nothing is compiled twice.
"$CARGO" build "${profile_flag[@]}" -p timadmin-uniffi -p timadmin-emulator
"$CARGO" build -p uniffi-bindgen
BINDGEN="$TARGET_DIR/debug/uniffi-bindgen"

KOTLIN_OUT="$HERE/kotlin/generated"
SWIFT_OUT="$HERE/swift/Sources"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# --no-format: ktlint and swift-format are not installed here.
"$BINDGEN" generate --no-format --library "$LIB" --config "$HERE/bindgen.toml" --language kotlin --out-dir "$tmp/kotlin"
"$BINDGEN" generate --no-format --library "$LIB" --config "$HERE/bindgen.toml" --language swift --out-dir "$tmp/swift"

rm -rf "$KOTLIN_OUT" "$SWIFT_OUT/TimAdmin/TimAdmin.swift" "$SWIFT_OUT/TimAdmin/TimAdminCore.swift" "$SWIFT_OUT/TimAdminFFI"
mkdir -p "$KOTLIN_OUT" "$SWIFT_OUT/TimAdmin" "$SWIFT_OUT/TimAdminFFI"
cp -R "$tmp/kotlin/." "$KOTLIN_OUT/"
cp "$tmp/swift/TimAdmin.swift" "$tmp/swift/TimAdminCore.swift" "$SWIFT_OUT/TimAdmin/"
cp "$tmp/swift/TimAdminFFI.h" "$tmp/swift/TimAdminCoreFFI.h" "$SWIFT_OUT/TimAdminFFI/"
# One C module for both headers (their shared structs are guarded by UNIFFI_SHARED_H): the
# generator writes one module map per component, both named TimAdminFFI.
sed 's|^\( *\)header "TimAdminFFI.h"|\1header "TimAdminFFI.h"\n\1header "TimAdminCoreFFI.h"|' \
    "$tmp/swift/TimAdminFFI.modulemap" >"$SWIFT_OUT/TimAdminFFI/module.modulemap"
grep -q 'header "TimAdminCoreFFI.h"' "$SWIFT_OUT/TimAdminFFI/module.modulemap"
echo "generated: $(find "$KOTLIN_OUT" -name '*.kt' | sed "s|$ROOT/||" | tr '\n' ' ')bindings-uniffi/swift/Sources/{TimAdmin/{TimAdmin,TimAdminCore}.swift,TimAdminFFI/}"
echo "library:   ${LIB#$ROOT/}"
