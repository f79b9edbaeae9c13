#!/usr/bin/env bash
# Builds the iOS XCFramework of timadmin and makes bindings-uniffi/apple a SwiftPM package that
# uses it as a binaryTarget (Package.swift here):
#   build/TimAdminFFI.xcframework       device (aarch64-apple-ios) and simulator (aarch64-apple-ios-sim
#                                       + x86_64-apple-ios, one lipo'd library) static libraries,
#                                       each with the generated C header and module map
#   Sources/TimAdmin/*.swift            the UniFFI-generated Swift API and the hand-written
#                                       additions of bindings-uniffi/swift/Sources/TimAdmin
#   OUT_DIR/TimAdminFFI-VERSION.xcframework.zip (+ its SwiftPM checksum, for a remote binaryTarget)
#
#   bash bindings-uniffi/apple/build-xcframework.sh [OUT_DIR]     (macOS with Xcode; default dist/)
#
# The libraries are built as packaging/mobile-build.sh says (profile `mobile`: size-optimised,
# stripped, unwinding kept; no `redis`, no `http2`; one crate type so that LTO runs), the build
# `make mobile-size` measures. The script checks for its tools first (macOS, xcodebuild, lipo, cargo, the Rust
# targets) and, when one is missing, says which and exits with status 3.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DEVICE_TARGET=aarch64-apple-ios
SIM_TARGETS=(aarch64-apple-ios-sim x86_64-apple-ios)

# --- tools first -------------------------------------------------------------------------------
missing=()
[ "$(uname -s)" = Darwin ] || missing+=("macOS (this is $(uname -s): Xcode runs only on macOS)")
command -v xcodebuild >/dev/null 2>&1 || missing+=("xcodebuild (Xcode 15 or newer: xcode-select --install is not enough)")
command -v lipo >/dev/null 2>&1 || missing+=("lipo (Xcode command line tools)")
command -v cargo >/dev/null 2>&1 || missing+=("cargo (https://rustup.rs)")
command -v python3 >/dev/null 2>&1 || missing+=("python3")
if command -v rustup >/dev/null 2>&1; then
    installed="$(rustup target list --installed 2>/dev/null || true)"
    for t in "$DEVICE_TARGET" "${SIM_TARGETS[@]}"; do
        grep -qx "$t" <<<"$installed" || missing+=("rust target $t (rustup target add $t)")
    done
else
    missing+=("rustup (the iOS Rust targets are added with it)")
fi
if [ "${#missing[@]}" -gt 0 ]; then
    {
        echo "build-xcframework.sh: SKIPPED, no XCFramework produced: missing tools:"
        printf '  - %s\n' "${missing[@]}"
    } >&2
    exit 3
fi

# --- build -------------------------------------------------------------------------------------
cd "$ROOT"
OUT="${1:-$ROOT/dist}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
VERSION="$(cargo metadata --format-version 1 --no-deps | python3 -c '
import json, sys
print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "timadmin"))')"
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
# shellcheck source=packaging/mobile-build.sh
. "$ROOT/packaging/mobile-build.sh"
STAGE="$(mktemp -d "${TMPDIR:-/tmp}/timadmin-xcframework.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT

echo "== static libraries: cargo rustc ${MOBILE_CARGO_ARGS[*]} --crate-type staticlib"
for t in "$DEVICE_TARGET" "${SIM_TARGETS[@]}"; do
    cargo rustc "${MOBILE_CARGO_ARGS[@]}" --target "$t" --crate-type staticlib
done
lib() { echo "$TARGET_DIR/$1/mobile/libtimadmin_uniffi.a"; }
mkdir -p "$STAGE/device" "$STAGE/simulator"
cp "$(lib "$DEVICE_TARGET")" "$STAGE/device/libtimadmin_uniffi.a"
lipo -create "$(lib "${SIM_TARGETS[0]}")" "$(lib "${SIM_TARGETS[1]}")" -output "$STAGE/simulator/libtimadmin_uniffi.a"

echo "== Swift sources and the FFI module (generated from a host build with the same features)"
BINDGEN_LIB="$(mobile_bindgen_lib "$TARGET_DIR")"
cargo build -q -p uniffi-bindgen
"$TARGET_DIR/debug/uniffi-bindgen" generate --no-format --library "$BINDGEN_LIB" \
    --config "$ROOT/bindings-uniffi/bindgen.toml" --language swift --out-dir "$STAGE/swift"
mkdir -p "$STAGE/headers"
cp "$STAGE/swift/TimAdminFFI.h" "$STAGE/swift/TimAdminCoreFFI.h" "$STAGE/headers/"
# One C module for both components' headers (as bindings-uniffi/generate.sh writes it).
sed 's|^\( *\)header "TimAdminFFI.h"|\1header "TimAdminFFI.h"\n\1header "TimAdminCoreFFI.h"|' \
    "$STAGE/swift/TimAdminFFI.modulemap" >"$STAGE/headers/module.modulemap"

echo "== xcodebuild -create-xcframework"
rm -rf "$HERE/build/TimAdminFFI.xcframework"
mkdir -p "$HERE/build"
xcodebuild -create-xcframework \
    -library "$STAGE/device/libtimadmin_uniffi.a" -headers "$STAGE/headers" \
    -library "$STAGE/simulator/libtimadmin_uniffi.a" -headers "$STAGE/headers" \
    -output "$HERE/build/TimAdminFFI.xcframework"
cp "$ROOT/LICENSE-MIT" "$ROOT/LICENSE-APACHE" "$ROOT/CHANGELOG.md" "$HERE/build/TimAdminFFI.xcframework/"

rm -rf "$HERE/Sources/TimAdmin"
mkdir -p "$HERE/Sources/TimAdmin"
cp "$STAGE/swift/TimAdmin.swift" "$STAGE/swift/TimAdminCore.swift" "$HERE/Sources/TimAdmin/"
for f in "$ROOT"/bindings-uniffi/swift/Sources/TimAdmin/*.swift; do
    case "$(basename "$f")" in TimAdmin.swift | TimAdminCore.swift) ;; *) cp "$f" "$HERE/Sources/TimAdmin/" ;; esac
done

ZIP="$OUT/TimAdminFFI-$VERSION.xcframework.zip"
rm -f "$ZIP"
(cd "$HERE/build" && ditto -c -k --sequesterRsrc --keepParent TimAdminFFI.xcframework "$ZIP")
echo "$ZIP"
echo "SwiftPM checksum (for .binaryTarget(url:checksum:)): $(swift package compute-checksum "$ZIP" 2>/dev/null || shasum -a 256 "$ZIP" | cut -d' ' -f1)"
echo "bindings-uniffi/apple is now a SwiftPM package: .package(path: \"…/bindings-uniffi/apple\"), product TimAdmin"
