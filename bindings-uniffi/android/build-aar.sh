#!/usr/bin/env bash
# Assembles the Android library of timadmin: dist/timadmin-android-VERSION.aar (+ .pom).
#
#   bash bindings-uniffi/android/build-aar.sh [OUT_DIR]      (default OUT_DIR: dist/)
#
# Needs: the Android NDK (ANDROID_NDK_HOME or ANDROID_NDK_ROOT), cargo-ndk
# (`cargo install cargo-ndk`), the Rust targets of ABIS (`rustup target add aarch64-linux-android
# armv7-linux-androideabi x86_64-linux-android`), a JDK and Maven (the Kotlin classes), python3.
# It checks for them first and, when one is missing, says which and exits with status 3.
#
# The AAR holds:
#   classes.jar               the UniFFI-generated Kotlin and bindings-uniffi/kotlin/src/main/kotlin
#                             (generated from a host build with the same features as the .so files)
#   jni/<abi>/libtimadmin_uniffi.so   from `cargo ndk`, built as packaging/mobile-build.sh says
#                             (profile `mobile`: size-optimised, stripped, unwinding kept; no
#                             `redis`, no `http2`; one crate type so that LTO runs), the build
#                             `make mobile-size` measures; linked with -z max-page-size=16384
#                             (.cargo/config.toml) for 16 KB-page devices
#   proguard.txt              the consumer keep rules (packaging/kotlin/timadmin.pro: JNA and the
#                             generated classes), applied by R8 in the app's release build
#   AndroidManifest.xml, R.txt
# Apps also need JNA's Android build and coroutines: the .pom declares
# net.java.dev.jna:jna:VERSION@aar and kotlinx-coroutines-android.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
ABIS="${ABIS:-arm64-v8a armeabi-v7a x86_64}"
MIN_SDK="${MIN_SDK:-24}"

# The Rust target of an Android ABI.
triple() {
    case "$1" in
        arm64-v8a) echo aarch64-linux-android ;; armeabi-v7a) echo armv7-linux-androideabi ;;
        x86_64) echo x86_64-linux-android ;; x86) echo i686-linux-android ;;
        *) return 1 ;;
    esac
}

# --- tools first -------------------------------------------------------------------------------
missing=()
command -v cargo >/dev/null 2>&1 || missing+=("cargo (https://rustup.rs)")
if ! command -v cargo-ndk >/dev/null 2>&1; then missing+=("cargo-ndk (cargo install cargo-ndk)"); fi
NDK="${ANDROID_NDK_HOME:-${ANDROID_NDK_ROOT:-}}"
if [ -z "$NDK" ] || [ ! -d "$NDK/toolchains/llvm/prebuilt" ]; then
    missing+=("ANDROID_NDK_HOME (the Android NDK r27 or newer; set ANDROID_NDK_HOME or ANDROID_NDK_ROOT)")
fi
if command -v rustup >/dev/null 2>&1; then
    installed="$(rustup target list --installed 2>/dev/null || true)"
    for abi in $ABIS; do
        t="$(triple "$abi")" || { echo "build-aar.sh: unknown ABI $abi" >&2; exit 2; }
        grep -qx "$t" <<<"$installed" || missing+=("rust target $t (rustup target add $t)")
    done
else
    missing+=("rustup (the Android Rust targets are added with it)")
fi
for tool in java mvn python3; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ "${#missing[@]}" -gt 0 ]; then
    {
        echo "build-aar.sh: SKIPPED, no AAR produced: missing tools:"
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
STAGE="$(mktemp -d "${TMPDIR:-/tmp}/timadmin-aar.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT
AAR="$STAGE/aar"
mkdir -p "$AAR/jni"

# shellcheck source=packaging/mobile-build.sh
. "$ROOT/packaging/mobile-build.sh"
echo "== cargo ndk ($ABIS): cargo rustc ${MOBILE_CARGO_ARGS[*]} --crate-type cdylib"
READELF="$(ls "$NDK"/toolchains/llvm/prebuilt/*/bin/llvm-readelf | head -n 1)"
for abi in $ABIS; do
    cargo ndk -t "$abi" --platform "$MIN_SDK" rustc "${MOBILE_CARGO_ARGS[@]}" --crate-type cdylib
    so="$AAR/jni/$abi/libtimadmin_uniffi.so"
    mkdir -p "$(dirname "$so")"
    built="$TARGET_DIR/$(triple "$abi")/mobile/libtimadmin_uniffi.so"
    [ -f "$built" ] || { echo "cargo ndk left no $built" >&2; exit 1; }
    cp "$built" "$so"
    case "$abi" in arm64-v8a|x86_64)
        # 16 KB pages (Android 15+ devices): every LOAD segment aligned to 0x4000.
        if "$READELF" -lW "$so" | awk '$1 == "LOAD" { print $NF }' | grep -qv '0x4000'; then
            echo "$so: LOAD segments not 16 KB-aligned (.cargo/config.toml max-page-size)" >&2; exit 1
        fi ;;
    esac
    echo "$abi: $(du -k "$so" | cut -f1) KiB"
done

echo "== classes.jar (Kotlin, generated from the same build for the host, unstripped)"
BINDGEN_LIB="$(mobile_bindgen_lib "$TARGET_DIR")"
UNIFFI_LIB="$BINDGEN_LIB" NATIVE_LIB="" bash "$ROOT/packaging/kotlin-jar.sh" "$STAGE/jar"
cp "$STAGE/jar/timadmin-kotlin-$VERSION.jar" "$AAR/classes.jar"
cp "$ROOT/packaging/kotlin/timadmin.pro" "$AAR/proguard.txt"
: >"$AAR/R.txt"
cat >"$AAR/AndroidManifest.xml" <<XML
<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="io.timadmin">
    <uses-sdk android:minSdkVersion="$MIN_SDK" />
    <uses-permission android:name="android.permission.INTERNET" />
</manifest>
XML
cp "$ROOT/LICENSE-MIT" "$ROOT/LICENSE-APACHE" "$ROOT/CHANGELOG.md" "$AAR/"
python3 - "$OUT/timadmin-android-$VERSION.aar" "$AAR" <<'PY'
import os, sys, zipfile
out, base = sys.argv[1:]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for d, _, files in sorted(os.walk(base)):
        for f in sorted(files):
            p = os.path.join(d, f)
            z.write(p, os.path.relpath(p, base))
PY
JNA_VERSION="$(sed -n 's/.*<jna.version>\(.*\)<\/jna.version>.*/\1/p' "$ROOT/bindings-uniffi/kotlin/pom.xml")"
COROUTINES_VERSION="$(sed -n 's/.*<coroutines.version>\(.*\)<\/coroutines.version>.*/\1/p' "$ROOT/bindings-uniffi/kotlin/pom.xml")"
cat >"$OUT/timadmin-android-$VERSION.pom" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.timadmin</groupId>
  <artifactId>timadmin-android</artifactId>
  <version>$VERSION</version>
  <packaging>aar</packaging>
  <name>timadmin (Android)</name>
  <url>https://github.com/timadmin/timadmin</url>
  <licenses>
    <license><name>MIT</name></license>
    <license><name>Apache-2.0</name></license>
  </licenses>
  <dependencies>
    <dependency><groupId>net.java.dev.jna</groupId><artifactId>jna</artifactId><version>$JNA_VERSION</version><type>aar</type></dependency>
    <dependency><groupId>org.jetbrains.kotlinx</groupId><artifactId>kotlinx-coroutines-android</artifactId><version>$COROUTINES_VERSION</version></dependency>
  </dependencies>
</project>
XML
echo "timadmin-android-$VERSION.aar: $(du -k "$OUT/timadmin-android-$VERSION.aar" | cut -f1) KiB in $OUT"
