#!/usr/bin/env bash
# `make mobile-size`: the size of the UniFFI library as a phone gets it, built exactly as the
# Android and iOS scripts build it (packaging/mobile-build.sh: profile `mobile`, no `redis`, no
# `http2`, one crate type so that LTO runs), for this machine's x86_64 Linux as a stand-in for the
# Android ABIs, beside the release build with the default features (what the Kotlin jar ships),
# both stripped. Then the largest symbols of the mobile build when it misses the 3 MB goal (or
# MOBILE_SIZE_SYMBOLS=1), from an unstripped copy (nm --size-sort), by crate. Exits 1 when the
# mobile library is over the goal.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$ROOT"
CARGO="${CARGO:-cargo}"
TARGET_DIR="$("$CARGO" metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

"$CARGO" build --release -p timadmin-uniffi
cp "$TARGET_DIR/release/libtimadmin_uniffi.so" "$WORK/release.so"
strip --strip-unneeded "$WORK/release.so"

# shellcheck source=packaging/mobile-build.sh
. "$HERE/mobile-build.sh"
"$CARGO" rustc "${MOBILE_CARGO_ARGS[@]}" --crate-type cdylib
cp "$TARGET_DIR/mobile/libtimadmin_uniffi.so" "$WORK/mobile.so"
strip --strip-unneeded "$WORK/mobile.so"

file_bytes() { stat -c %s "$1"; }
r=$(file_bytes "$WORK/release.so"); m=$(file_bytes "$WORK/mobile.so")
printf 'release, redis and http2 on, stripped:   %8d bytes (%.2f MB)\n' "$r" "$(echo "$r / 1000000" | bc -l)"
printf 'mobile, redis and http2 off, stripped:   %8d bytes (%.2f MB), %.0f%% of release\n' "$m" "$(echo "$m / 1000000" | bc -l)" "$(echo "100 * $m / $r" | bc -l)"
GOAL=3000000
if [ "$m" -le "$GOAL" ] && [ "${MOBILE_SIZE_SYMBOLS:-0}" != 1 ]; then
    echo "within the goal of $GOAL bytes (MOBILE_SIZE_SYMBOLS=1 for the breakdown)"
    exit 0
fi
# The same build with symbols (its own target dir, not to disturb the stripped one).
SYMS="$(CARGO="$CARGO" mobile_bindgen_lib "$TARGET_DIR")"
echo
echo "sections of the mobile build (size -A):"
size -A "$WORK/mobile.so" | awk '$2 > 50000 { printf "  %-22s %9d\n", $1, $2 }'
echo
echo "largest crates of the mobile build (sum of text symbols by crate, nm --size-sort):"
nm --size-sort --demangle=rust -S "$SYMS" | awk '$3 ~ /[tTrR]/' | python3 -c '
import collections, re, sys
by = collections.Counter()
for line in sys.stdin:
    parts = line.split(None, 3)
    if len(parts) < 4: continue
    size, name = int(parts[1], 16), parts[3]
    m = re.match(r"(?:<|_<)?(?:&(?:mut )?)?([A-Za-z_][A-Za-z0-9_]*)::", name)
    by[m.group(1) if m else "(other)"] += size
total = sum(by.values())
for crate, size in by.most_common(15):
    print("  %-28s %9d  %4.1f%%" % (crate, size, 100 * size / total))
'
if [ "$m" -gt "$GOAL" ]; then
    echo "over the goal of $GOAL bytes" >&2
    exit 1
fi
