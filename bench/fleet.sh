#!/usr/bin/env bash
# `make bench-fleet`: N = 1, 2 and 4 `timadmin` CLI processes page one community group of a
# fresh emulator (its own limit 200 calls/s per command) while sharing the default 200 calls/s
# through a fresh redis-server; prints, per N, what the emulator saw: calls, seconds,
# aggregate calls/s over the whole run and while all N processes were running, the worst
# one-second window and the 60007 answers. Then the per-call cost of sharing (criterion:
# bench/benches/fleet.rs) unless BENCH_FLEET_NO_CRITERION=1.
#
# Each run makes about CALLS calls (default 1600: 8 s at the budget), pages of 10 members so
# that the limiter, not the CPU, sets the pace. PROFILE=release uses release binaries (built
# here); the default is the debug binaries `make test` builds.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$ROOT"
bash tests/fleet/need-redis-server.sh

PROFILE="${PROFILE:-debug}"
CALLS="${CALLS:-1600}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
if [ "$PROFILE" = release ]; then
    cargo build -q --release -p timadmin-cli -p timadmin-emulator
else
    cargo build -q -p timadmin-cli -p timadmin-emulator
fi
BIN="$TARGET_DIR/$PROFILE"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/timadmin-bench-fleet.XXXXXX")"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

echo "fleet of N CLI processes sharing 200 calls/s through Redis ($PROFILE binaries, ~$CALLS calls per row)"
printf '%3s %7s %8s %14s %17s %10s %7s\n' N calls seconds "calls/s (run)" "calls/s (all N)" "worst 1s" 60007
for N in 1 2 4; do
    members=$((CALLS * 10 / N))
    admins=(); for i in $(seq 1 "$N"); do admins+=(--admin "fleet$i"); done
    : >"$WORK/emulator.out"
    "$BIN/timadmin-emulator" --port 0 --community-members "$members" "${admins[@]}" >"$WORK/emulator.out" 2>/dev/null &
    EMU=$!; PIDS+=("$EMU")
    for _ in $(seq 1 300); do [ -s "$WORK/emulator.out" ] && break; sleep 0.1; done
    READY="$(head -n 1 "$WORK/emulator.out")"
    field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$READY" "$1"; }
    port="$(free_port)"
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --loglevel warning --dir "$WORK" >/dev/null 2>&1 &
    REDIS=$!; PIDS+=("$REDIS")
    for _ in $(seq 1 100); do redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break; sleep 0.05; done
    export TIM_SDKAPPID="$(field sdkappid)" TIM_SECRET_KEY="$(field key)" TIM_BASE_URL="$(field base_url)"
    export TIM_RATE_LIMIT_REDIS_URL="redis://127.0.0.1:$port/0" TIM_FLEET_SIZE="$N"
    curl -fsS -X DELETE "$TIM_BASE_URL/__emulator/calls" >/dev/null
    procs=()
    for i in $(seq 1 "$N"); do
        TIM_IDENTIFIER="fleet$i" "$BIN/timadmin" -q members '@TGS#_demo' --all --limit 10 >/dev/null &
        procs+=($!)
    done
    for p in "${procs[@]}"; do wait "$p"; done
    curl -fsS "$TIM_BASE_URL/__emulator/calls" >"$WORK/calls.json"
    python3 tests/fleet/calls.py "$WORK/calls.json" --json | python3 -c '
import json, sys
n = int(sys.argv[1]); r = json.load(sys.stdin); run = r["run"]; active = r.get("all-active", run)
print("%3d %7d %8.2f %14.1f %17.1f %10d %7d" % (n, run["calls"], run["seconds"], run["rate"], active["rate"], run["worst_1s"], run["60007"]))
' "$N"
    kill "$EMU" "$REDIS"; wait "$EMU" "$REDIS" 2>/dev/null || true
done

if [ "${BENCH_FLEET_NO_CRITERION:-0}" != 1 ]; then
    echo
    echo "per-call cost of sharing (criterion, bench/benches/fleet.rs)"
    cargo bench -p timadmin-bench --bench fleet
fi
