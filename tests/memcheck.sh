#!/usr/bin/env bash
# Memory over time (`make memcheck`): 100,000 calls in a loop from Python (the sync client) and
# from C (libtimadmin), each against the emulator binary in its own process, RSS sampled every
# 10,000 calls after a 2,000-call warm-up. Each fails if RSS grew by 8 MiB or more; the MEMCHECK
# lines are the figures of docs/RELIABILITY.md. CALLS=N changes the count.
# Needs the Python venv of bindings-python/test.sh (run `make test-python` first).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$ROOT"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
VENV="${TIMADMIN_VENV:-$ROOT/.venv}"
CALLS="${CALLS:-100000}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/timadmin-memcheck.XXXXXX")"
EMU_PID=""
cleanup() {
    if [ -n "$EMU_PID" ]; then kill "$EMU_PID" 2>/dev/null || true; wait "$EMU_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

cargo build -q -p timadmin-c -p timadmin-emulator
"$TARGET_DIR/debug/timadmin-emulator" --no-rate-limit --seed "$ROOT/emulator/fixtures/demo.json" >"$WORK/emu.out" 2>"$WORK/emu.err" &
EMU_PID=$!
for _ in $(seq 1 200); do [ -s "$WORK/emu.out" ] && break; sleep 0.1; done
READY="$(head -n 1 "$WORK/emu.out")"
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$READY" "$1"; }
ARGS=("$(field base_url)" "$(field sdkappid)" "$(field key)" "$CALLS")

status=0
"$VENV/bin/python" "$HERE/memcheck/memcheck.py" "${ARGS[@]}" || status=1
gcc -std=c11 -O1 -g -pthread -I"$ROOT/bindings-c/include" "$HERE/memcheck/memcheck.c" -o "$WORK/memcheck" \
    "$TARGET_DIR/debug/libtimadmin.a" -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
"$WORK/memcheck" "${ARGS[@]}" || status=1
exit $status
