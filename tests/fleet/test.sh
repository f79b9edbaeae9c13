#!/usr/bin/env bash
# The rate limit shared by a fleet, end to end (`make test-fleet`, part of `make test`):
#
# three processes of one app — the CLI with flags, the CLI with TIM_* variables, and Python
# (`Client.from_env()`, the module bindings-python/test.sh installs in .venv) — page one
# community group (15,000 members, 10 per page) of ONE emulator process (its own limit: 200 calls/s per command), sharing
# 200 calls/s through a password-protected redis-server. Then Redis is killed mid-run (the
# processes fall back to 200/3 calls/s each) and started again (they go back to Redis).
#
# Checks, from the emulator's call log: no 60007 at all; at most 200 calls in EVERY one-second
# window of the run, the two switches included (each process keeps to its share across a switch:
# see docs/FLEET.md), with the windows around the kill and around the restart reported on their
# own; at least 190 calls/s (95 % of the budget) with Redis, before the kill and after the
# restart, and on the fallback alone (from 1 s after the kill until the restart: the local
# limiter keeps its slots absolute, so three shares of 200/3 add up to the budget instead of
# losing the timer's lateness on every call); every process completes the whole group; each
# logs the switch to the fallback and back exactly once; Redis runs scripts again after its
# restart; the Redis password appears nowhere. Takes about 25 s.
#
# Needs the debug CLI and emulator (built here) and .venv (bindings-python/test.sh); installs
# redis-server from Debian when missing (sudo when not root). FLEET_KEEP=1 keeps the work
# directory (call log, outputs, logs, the kill and restart times) for a closer look.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

bash "$HERE/need-redis-server.sh"

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
PY="${TIMADMIN_VENV:-$ROOT/.venv}/bin/python"
if ! "$PY" -c 'import timadmin' 2>/dev/null; then
    echo "no timadmin module in ${TIMADMIN_VENV:-$ROOT/.venv}: run bash bindings-python/test.sh first" >&2
    exit 1
fi
echo "== building the CLI and the emulator (debug)"
cargo build -q -p timadmin-cli -p timadmin-emulator
TIM="$TARGET_DIR/debug/timadmin"

# Small pages (10 members) keep each call cheap, so that three debug-build processes keep up
# with the budget even on a busy 2-core machine: the limiter, not the CPU, sets the pace.
MEMBERS="${FLEET_MEMBERS:-15000}"     # 1500 pages per process, 4500 calls: about 23 s at 196/s
PAGE=10
SHARED_SECS="${FLEET_SHARED_SECS:-8}" # with Redis, before the kill
DOWN_SECS="${FLEET_DOWN_SECS:-6}"     # without Redis
PASSWORD="fleet-test-pw-5"
GROUP='@TGS#_demo'

WORK="$(mktemp -d "${TMPDIR:-/tmp}/timadmin-fleet.XXXXXX")"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [ "${FLEET_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

now_ms() { python3 -c 'import time; print(int(time.time() * 1000))'; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

echo "== emulator with a community group of $MEMBERS members"
"$TARGET_DIR/debug/timadmin-emulator" --port 0 --community-members "$MEMBERS" \
    --admin fleet-cli-flags --admin fleet-cli-env --admin fleet-python >"$WORK/emulator.out" 2>"$WORK/emulator.err" &
PIDS+=($!)
for _ in $(seq 1 300); do [ -s "$WORK/emulator.out" ] && break; sleep 0.1; done
READY="$(head -n 1 "$WORK/emulator.out")"
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$READY" "$1"; }
BASE_URL="$(field base_url)"; SDKAPPID="$(field sdkappid)"; KEY="$(field key)"
echo "emulator at $BASE_URL"

REDIS_PORT="$(free_port)"
start_redis() {
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --requirepass "$PASSWORD" \
        --loglevel warning --dir "$WORK" >>"$WORK/redis.log" 2>&1 &
    REDIS_PID=$!
    PIDS+=("$REDIS_PID")
    for _ in $(seq 1 100); do
        redis-cli -p "$REDIS_PORT" -a "$PASSWORD" --no-auth-warning ping 2>/dev/null | grep -q PONG && return 0
        sleep 0.05
    done
    echo "redis-server did not start" >&2
    return 1
}
scripts_run() {
    redis-cli -p "$REDIS_PORT" -a "$PASSWORD" --no-auth-warning info commandstats \
        | tr -d '\r' | sed -n 's/^cmdstat_evalsha\?:calls=\([0-9]*\),.*/\1/p' | paste -sd+ | bc
}
echo "== redis-server on 127.0.0.1:$REDIS_PORT (password, no persistence)"
start_redis
REDIS_URL="redis://:$PASSWORD@127.0.0.1:$REDIS_PORT/0"

curl -fsS -X DELETE "$BASE_URL/__emulator/calls" >/dev/null

echo "== three processes share 200 calls/s"
"$TIM" -v --sdkappid "$SDKAPPID" --secret-key "$KEY" --base-url "$BASE_URL" --identifier fleet-cli-flags \
    --rate-limit-redis-url "$REDIS_URL" --fleet-size 3 \
    members "$GROUP" --all --limit "$PAGE" >"$WORK/cli-flags.out" 2>"$WORK/cli-flags.err" &
P1=$!
env TIM_SDKAPPID="$SDKAPPID" TIM_SECRET_KEY="$KEY" TIM_BASE_URL="$BASE_URL" TIM_IDENTIFIER=fleet-cli-env \
    TIM_RATE_LIMIT_REDIS_URL="$REDIS_URL" TIM_FLEET_SIZE=3 \
    "$TIM" -v members "$GROUP" --all --limit "$PAGE" >"$WORK/cli-env.out" 2>"$WORK/cli-env.err" &
P2=$!
env TIM_SDKAPPID="$SDKAPPID" TIM_SECRET_KEY="$KEY" TIM_BASE_URL="$BASE_URL" TIM_IDENTIFIER=fleet-python \
    TIM_RATE_LIMIT_REDIS_URL="$REDIS_URL" TIM_FLEET_SIZE=3 \
    "$PY" "$HERE/pager.py" "$GROUP" "$PAGE" >"$WORK/python.out" 2>"$WORK/python.err" &
P3=$!
PIDS+=("$P1" "$P2" "$P3")

sleep "$SHARED_SECS"
T_KILL="$(now_ms)"; echo "$T_KILL" >"$WORK/t_kill"
echo "== killing redis-server (SIGKILL) at +${SHARED_SECS}s; before that it ran $(scripts_run) scripts"
kill -9 "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null || true
sleep "$DOWN_SECS"
T_RESTART="$(now_ms)"; echo "$T_RESTART" >"$WORK/t_restart"
echo "== restarting redis-server after ${DOWN_SECS}s"
start_redis

FAILED=0
for p in "$P1:cli-flags" "$P2:cli-env" "$P3:python"; do
    pid="${p%%:*}"; name="${p#*:}"
    if wait "$pid"; then echo "$name: exit 0"; else echo "$name: FAILED (exit $?)"; FAILED=1; fi
done
AFTER="$(scripts_run)"
echo "== Redis ran $AFTER scripts after its restart"

check() { # check CONDITION MESSAGE
    if eval "$1"; then echo "ok   $2"; else echo "FAIL $2"; FAILED=1; fi
}
check '[ "$(wc -l <"$WORK/cli-flags.out")" -eq "$MEMBERS" ]' "the CLI (flags) listed all $MEMBERS members"
check '[ "$(wc -l <"$WORK/cli-env.out")" -eq "$MEMBERS" ]' "the CLI (TIM_* variables) listed all $MEMBERS members"
check '[ "$(cat "$WORK/python.out")" = "$MEMBERS" ]' "Python listed all $MEMBERS members"
check '[ "${AFTER:-0}" -ge 100 ]' "shared limiting resumed after the restart (Redis scripts: ${AFTER:-0})"
for name in cli-flags cli-env python; do
    check '[ "$(grep -c "falling back" "$WORK/$name.err")" -eq 1 ]' "$name logged the switch to the fallback once"
    check '[ "$(grep -c "shared rate limit restored" "$WORK/$name.err")" -eq 1 ]' "$name logged the return to Redis once"
done
check '! grep -rl -- "$PASSWORD" "$WORK"/*.out "$WORK"/*.err' "the Redis password appears in no output or log"
echo "-- what the processes logged"
grep -h "falling back\|restored" "$WORK"/*.err | sed 's/^/   /'

echo "== the emulator's call log"
curl -fsS "$BASE_URL/__emulator/calls" >"$WORK/calls.json"
# The shared phases: from the first call of the last process to start until the kill, and
# from 1.5 s after the restart (each process tries Redis again within a second) until the first
# process finishes (all three running). The fallback alone: from 1 s after the kill (no call
# Redis allowed is left in a window) until the restart. "redis-down" and "run" include the
# switches; "kill" holds every window with a call on either side of the kill, "restart" every
# window from before the restart until the processes have settled on Redis again (each tries it
# within a second, then keeps to its share for 2.2 s).
if ! python3 "$HERE/calls.py" "$WORK/calls.json" \
        --phase shared all-started "$T_KILL" \
        --phase kill "$((T_KILL - 1000))" "$((T_KILL + 1500))" \
        --phase redis-down "$T_KILL" "$T_RESTART" \
        --phase fallback "$((T_KILL + 1000))" "$T_RESTART" \
        --phase restart "$((T_RESTART - 1000))" "$((T_RESTART + 4500))" \
        --phase shared-again "$((T_RESTART + 1500))" first-finish \
        --check shared 190 200 --check fallback 190 200 --check shared-again 190 200 \
        --check kill 0 200 --check restart 0 200 --check redis-down 0 200 --check run 0 200; then
    FAILED=1
fi

if [ "$FAILED" -ne 0 ]; then
    echo "fleet: FAILED"
    for f in "$WORK"/*.err; do echo "--- $f"; tail -n 20 "$f"; done
    exit 1
fi
echo "fleet: all checks passed"
