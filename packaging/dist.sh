#!/usr/bin/env bash
# `make dist`: every release artifact of timadmin in dist/, with SHA256SUMS.
#
#   timadmin-VERSION-cp39-abi3-manylinux_*_x86_64.whl   Python wheel (maturin, release, stripped)
#   timadmin-VERSION.tar.gz                              Python sdist (maturin; builds with Rust)
#   timadmin-c-VERSION-x86_64-linux-gnu.tar.gz           C library: lib/libtimadmin.{a,so.0.MINOR,so},
#                                                        include/timadmin.h, lib/pkgconfig/*.pc,
#                                                        lib/cmake/timadmin/*, relocatable
#   timadmin-kotlin-VERSION{.jar,-sources.jar,.pom}      Kotlin/JVM, native library inside the jar
#   timadmin-VERSION.crate, timadmin-emulator-VERSION.crate   `cargo package` (verified: they build)
#
# The release builds share the workspace's target dir: the C library and the UniFFI library are
# built by separate cargo invocations (one feature set each, so that neither carries the other's
# dependencies) and maturin reuses the dependencies both compiled. `make test-dist` tests each
# artifact from a directory that holds only it (tests/dist/test.sh).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$ROOT"
CARGO="${CARGO:-cargo}"
DIST="${DIST_DIR:-$ROOT/dist}"
step() { printf '\n== %s\n' "$*"; }
START=$(date +%s)

VERSION="$("$CARGO" metadata --format-version 1 --no-deps | python3 -c '
import json, sys
print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "timadmin"))')"
TARGET_DIR="$("$CARGO" metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
TRIPLE=x86_64-linux-gnu
rm -rf "$DIST"
mkdir -p "$DIST"
STAGE="$(mktemp -d "${TMPDIR:-/tmp}/timadmin-dist.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT

step "C library (release) -> timadmin-c-$VERSION-$TRIPLE.tar.gz"
"$CARGO" build --release -p timadmin-c
C_NAME="timadmin-c-$VERSION-$TRIPLE"
C_ROOT="$STAGE/$C_NAME"
make -s -C "$ROOT/bindings-c" install PROFILE=release PREFIX="$C_ROOT" TARGET_DIR="$TARGET_DIR"
# Relocatable: pkg-config resolves ${pcfiledir} to the .pc file's own directory (CMake's config
# already uses CMAKE_CURRENT_LIST_DIR), so the tarball works wherever it is unpacked.
sed -i 's|^prefix=.*|prefix=${pcfiledir}/../..|' "$C_ROOT"/lib/pkgconfig/*.pc
if grep -rl "$STAGE" "$C_ROOT/lib/pkgconfig" "$C_ROOT/lib/cmake"; then
    echo "the staging path leaked into the files above" >&2
    exit 1
fi
strip --strip-unneeded "$C_ROOT"/lib/libtimadmin.so.*
strip --strip-debug "$C_ROOT"/lib/libtimadmin.a
cp LICENSE-MIT LICENSE-APACHE CHANGELOG.md "$C_ROOT/"
tar --sort=name --owner=0 --group=0 --numeric-owner -C "$STAGE" -czf "$DIST/$C_NAME.tar.gz" "$C_NAME"

step "Kotlin/JVM (release UniFFI library) -> timadmin-kotlin-$VERSION.jar"
"$CARGO" build --release -p timadmin-uniffi
NATIVE_LIB="$TARGET_DIR/release/libtimadmin_uniffi.so" bash "$HERE/kotlin-jar.sh" "$DIST"

step "Python wheel and sdist (maturin)"
VENV="${TIMADMIN_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"
PY="$VENV/bin/python"
HERE_PY="$ROOT/bindings-python"
(HERE="$HERE_PY"; . "$HERE_PY/venv.sh")
"$VENV/bin/maturin" build --release --strip --auditwheel check --compatibility pypi \
    -m "$ROOT/bindings-python/Cargo.toml" -o "$DIST"
"$VENV/bin/maturin" sdist -m "$ROOT/bindings-python/Cargo.toml" -o "$DIST"

step "Rust crates (cargo package: each packaged crate is built from its .crate)"
# --allow-dirty: dist from a working tree; a release is cut from a clean tag.
"$CARGO" package --allow-dirty -p timadmin -p timadmin-emulator
cp "$TARGET_DIR/package/timadmin-$VERSION.crate" "$TARGET_DIR/package/timadmin-emulator-$VERSION.crate" "$DIST/"

step "SHA256SUMS"
(cd "$DIST" && sha256sum -- * > SHA256SUMS && cat SHA256SUMS)

step "dist/ ($(( $(date +%s) - START )) s)"
(cd "$DIST" && ls -l --time-style=+ -- * | awk '{ printf "%10d  %s\n", $5, $NF }')
