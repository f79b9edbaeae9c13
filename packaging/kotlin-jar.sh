#!/usr/bin/env bash
# Builds the Kotlin/JVM artifacts of timadmin into OUT_DIR (used by dist.sh and by
# bindings-uniffi/android/build-aar.sh):
#   timadmin-kotlin-VERSION.jar          the bindings' classes; with NATIVE_LIB set, that library at
#                                        JNA's resource path linux-x86-64/libtimadmin_uniffi.so;
#                                        META-INF/proguard/timadmin.pro; LICENSE-*, CHANGELOG.md
#   timadmin-kotlin-VERSION-sources.jar  the Kotlin sources (generated and hand-written)
#   timadmin-kotlin-VERSION.pom          the POM: kotlin-stdlib, kotlinx-coroutines-core, JNA
#
#   NATIVE_LIB=target/release/libtimadmin_uniffi.so bash packaging/kotlin-jar.sh OUT_DIR
# The Kotlin sources are generated (uniffi-bindgen, library mode) from UNIFFI_LIB, default
# NATIVE_LIB; the Android script passes a host build of the library with the mobile features.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
OUT="${1:?usage: kotlin-jar.sh OUT_DIR}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
NATIVE_LIB="${NATIVE_LIB:-}"
UNIFFI_LIB="${UNIFFI_LIB:-$NATIVE_LIB}"
[ -n "$UNIFFI_LIB" ] || { echo "kotlin-jar.sh: set NATIVE_LIB or UNIFFI_LIB" >&2; exit 2; }
CARGO="${CARGO:-cargo}"
cd "$ROOT"

VERSION="$("$CARGO" metadata --format-version 1 --no-deps | python3 -c '
import json, sys
print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "timadmin"))')"
TARGET_DIR="$("$CARGO" metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
# The dependency versions of the Kotlin build (bindings-uniffi/kotlin/pom.xml), one place.
read -r KOTLIN_VERSION COROUTINES_VERSION JNA_VERSION < <(python3 - "$ROOT/bindings-uniffi/kotlin/pom.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
props = ET.parse(sys.argv[1]).getroot().find("m:properties", ns)
print(*(props.find("m:" + k, ns).text.strip() for k in ("kotlin.version", "coroutines.version", "jna.version")))
PY
)

STAGE="$(mktemp -d "${TMPDIR:-/tmp}/timadmin-kotlin-jar.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT

echo "== uniffi-bindgen (its own cargo invocation: its features must not reach the library)"
"$CARGO" build -q -p uniffi-bindgen
"$TARGET_DIR/debug/uniffi-bindgen" generate --no-format --library "$UNIFFI_LIB" \
    --config "$ROOT/bindings-uniffi/bindgen.toml" --language kotlin \
    --out-dir "$STAGE/generated"

echo "== resources"
RES="$STAGE/resources"
mkdir -p "$RES/META-INF/proguard"
cp "$HERE/kotlin/timadmin.pro" "$RES/META-INF/proguard/timadmin.pro"
cp "$ROOT/LICENSE-MIT" "$ROOT/LICENSE-APACHE" "$ROOT/CHANGELOG.md" "$RES/META-INF/"
if [ -n "$NATIVE_LIB" ]; then
    mkdir -p "$RES/linux-x86-64"
    cp "$NATIVE_LIB" "$RES/linux-x86-64/libtimadmin_uniffi.so"
    strip --strip-unneeded "$RES/linux-x86-64/libtimadmin_uniffi.so"
fi

echo "== kotlinc (Maven) -> timadmin-kotlin-$VERSION.jar"
mvn -B -ntp -q -f "$HERE/kotlin/pom.xml" package \
    -Drevision="$VERSION" -Dkotlin.version="$KOTLIN_VERSION" -Dcoroutines.version="$COROUTINES_VERSION" \
    -Djna.version="$JNA_VERSION" -Dtimadmin.build.dir="$STAGE/build" -Dtimadmin.resources.dir="$RES" \
    -Dtimadmin.generated.dir="$STAGE/generated"
cp "$STAGE/build/timadmin-kotlin-$VERSION.jar" "$OUT/"

echo "== timadmin-kotlin-$VERSION-sources.jar and .pom"
python3 - "$OUT/timadmin-kotlin-$VERSION-sources.jar" "$STAGE/generated" "$ROOT/bindings-uniffi/kotlin/src/main/kotlin" \
    "$ROOT/LICENSE-MIT" "$ROOT/LICENSE-APACHE" "$ROOT/CHANGELOG.md" <<'PY'
import os, sys, zipfile
out, gen, hand, *extra = sys.argv[1:]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n")
    for base in (gen, hand):
        for d, _, files in os.walk(base):
            for f in sorted(files):
                if f.endswith(".kt"):
                    p = os.path.join(d, f)
                    z.write(p, os.path.relpath(p, base))
    for p in extra:
        z.write(p, "META-INF/" + os.path.basename(p))
PY
sed -e "s|@VERSION@|$VERSION|g" -e "s|@KOTLIN_VERSION@|$KOTLIN_VERSION|g" \
    -e "s|@COROUTINES_VERSION@|$COROUTINES_VERSION|g" -e "s|@JNA_VERSION@|$JNA_VERSION|g" \
    "$HERE/kotlin/timadmin-kotlin.pom.in" > "$OUT/timadmin-kotlin-$VERSION.pom"
ls -l "$OUT"/timadmin-kotlin-"$VERSION"*
