#!/usr/bin/env bash
# Secret-leak sweep: runs a part of every suite with a fresh random canary secret key, captures
# everything printed — trace-level Rust logs (RUST_LOG=trace), Python logging at DEBUG, every
# exception text, C error messages, Kotlin exception messages, panic messages, the CLI's -vvv
# stderr — and fails if the canary key or any UserSig issued during the run (every distinct
# UserSig the emulators received, which they note when TIMADMIN_EMULATOR_USERSIG_LOG is set)
# appears anywhere, even as a fragment of 16 characters (tests/leak_check.py).
#
# What runs (all against emulators keyed with the canary, half of them echoing the UserSig back):
#   Rust    core/tests/hostile.rs and core/tests/soak.rs, --nocapture, RUST_LOG=trace
#   CLI     `timadmin -vvv` against the emulator binary, once per hostile answer, with the key
#           and with a UserSig
#   C       bindings-c/tests/test_hostile.c, test_faults.c, test_endpoints.c
#   Python  bindings-python/tests/test_hostile.py, test_errors.py, test_async.py,
#           test_client.py, with DEBUG logging shown and every exception printed
#   Kotlin  HostileServerTest (JUnit, through Maven)
#
# `make test` runs it last, reusing what the suites built (Rust targets, the Python venv, the
# generated Kotlin bindings). Alone: `make leak-sweep` after `make test` (or the suites' own
# scripts). TIMADMIN_KEEP_SWEEP=1 keeps the captured logs.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$ROOT"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
VENV="${TIMADMIN_VENV:-$ROOT/.venv}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/timadmin-leak-sweep.XXXXXX")"
LOGS="$WORK/logs"        # everything scanned
PRIVATE="$WORK/private"  # never scanned: the emulator's ready line (it prints its key), the UserSig list
mkdir -p "$LOGS" "$PRIVATE"
EMU_PID=""
cleanup() {
    if [ -n "$EMU_PID" ] && kill -0 "$EMU_PID" 2>/dev/null; then
        kill "$EMU_PID" 2>/dev/null || true
        wait "$EMU_PID" 2>/dev/null || true
    fi
    if [ "${TIMADMIN_KEEP_SWEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
step() { printf '\n== leak sweep: %s\n' "$*"; }
started=$(date +%s)

CANARY="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
export TIMADMIN_CANARY_KEY="$CANARY" TIMADMIN_EMULATOR_KEY="$CANARY"
export TIMADMIN_EMULATOR_USERSIG_LOG="$PRIVATE/usersigs.txt"
export RUST_LOG=trace RUST_BACKTRACE=1 TIMADMIN_LEAK_SWEEP=1
: >"$TIMADMIN_EMULATOR_USERSIG_LOG"

step "the checker finds planted leaks"
python3 "$HERE/leak_check.py" --self-test

step "Rust: core hostile and soak tests, trace logs"
# The same package selection as `make test`'s build, so nothing is rebuilt with other features.
WORKSPACE=(--workspace --exclude uniffi-bindgen)
cargo test -q "${WORKSPACE[@]}" --test hostile --test soak -- --nocapture >"$LOGS/rust-core.log" 2>&1 \
    || { cat "$LOGS/rust-core.log"; exit 1; }
cargo build -q "${WORKSPACE[@]}" --all-targets

step "the emulator binary, keyed with the canary"
python3 "$ROOT/bindings-c/tests/make_fixture.py" "$ROOT/emulator/fixtures/demo.json" "$WORK/fixture.json"
"$TARGET_DIR/debug/timadmin-emulator" --no-rate-limit --seed "$WORK/fixture.json" \
    >"$PRIVATE/emulator.out" 2>"$LOGS/emulator.err" &
EMU_PID=$!
for _ in $(seq 1 200); do
    [ -s "$PRIVATE/emulator.out" ] && break
    sleep 0.1
done
READY="$(head -n 1 "$PRIVATE/emulator.out")"
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$READY" "$1"; }
BASE_URL="$(field base_url)"
SDKAPPID="$(field sdkappid)"
case "$BASE_URL" in http://127.0.0.1:*) ;; *) echo "not loopback: $BASE_URL" >&2; exit 1 ;; esac
control() { # control METHOD PATH [JSON]
    python3 - "$BASE_URL/__emulator/$2" "$1" "${3:-}" <<'PY'
import sys, urllib.request
url, method, body = sys.argv[1], sys.argv[2], sys.argv[3]
req = urllib.request.Request(url, method=method, data=body.encode() if body else None,
                             headers={"Content-Type": "application/json"})
urllib.request.urlopen(req, timeout=10).read()
PY
}

step "CLI: timadmin -vvv against every hostile answer"
TIM=("$TARGET_DIR/debug/timadmin" -vvv --sdkappid "$SDKAPPID" --base-url "$BASE_URL" --max-retries 1 --timeout 500ms)
TOKEN="$("$TARGET_DIR/debug/timadmin" usersig generate --sdkappid "$SDKAPPID" --secret-key "$CANARY" --expire 3600 2>"$LOGS/cli-gen.err")"
SCENARIOS=(
    ''
    '{"kind":"error_code","code":10002,"info":"busy","times":3}'
    '{"kind":"error_code","code":70009,"info":"bad sig","times":2}'
    '{"kind":"http_status","status":502,"times":3}'
    '{"kind":"truncated_body"}'
    '{"kind":"close_connection","times":3}'
    '{"kind":"delay","millis":1500,"times":3}'
    '{"kind":"large_body"}'
    '{"kind":"reply","status":307,"location":"http://127.0.0.1:9/"}'
    '{"kind":"reply","body":"{\"ActionStatus\":\"OK\"}"}'
    '{"kind":"reply","body":"{\"ActionStatus\":\"FAIL\",\"ErrorCode\":70003,\"ErrorInfo\":\"sig ${USERSIG} / ${USERSIG_PARTIAL}\"}","times":2}'
    '{"kind":"reply","body":"{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"MemberNum\":\"${USERSIG_PARTIAL}\",\"GroupId\":7}","times":2}'
    '{"kind":"reply","status":502,"body":"<html>${USERSIG}</html>","times":3}'
)
for scenario in "${SCENARIOS[@]}"; do
    for credential in key usersig; do
        for command in "members @TGS#2DEMOPUB" "muted @TGS#2DEMOPUB" "modify @TGS#2MODIFYME --name sweep"; do
            control DELETE faults
            [ -n "$scenario" ] && control POST faults "$scenario"
            if [ "$credential" = key ]; then cred=(--key "$CANARY"); else cred=(--usersig "$TOKEN"); fi
            echo "-- $credential: $command: ${scenario:-no fault}" >>"$LOGS/cli.log"
            # shellcheck disable=SC2086
            "${TIM[@]}" "${cred[@]}" $command >>"$LOGS/cli.log" 2>&1 || true
        done
    done
done
control DELETE faults
# Bad input and configuration errors print the arguments' names, never their values' secrets.
"${TIM[@]}" --key "$CANARY" --base-url "http://203.0.113.7" members '@TGS#2DEMOPUB' >>"$LOGS/cli.log" 2>&1 || true
"${TIM[@]}" --key "$CANARY" --identifier "$(printf 'admin\nx')" muted '@TGS#2DEMOPUB' >>"$LOGS/cli.log" 2>&1 || true
"$TARGET_DIR/debug/timadmin" usersig verify --sdkappid "$SDKAPPID" --key "$CANARY" "${TOKEN}x" >>"$LOGS/cli.log" 2>&1 || true

step "C: test_hostile, test_faults, test_endpoints against the canary emulator"
NATIVE_LIBS="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"
export TIMADMIN_TEST_BASE_URL="$BASE_URL" TIMADMIN_TEST_SDKAPPID="$SDKAPPID" TIMADMIN_TEST_KEY="$CANARY"
export TIMADMIN_TEST_IDENTIFIER=administrator
for t in test_hostile test_faults test_endpoints; do
    # shellcheck disable=SC2086
    gcc -std=c11 -g -O1 -pthread -I"$ROOT/bindings-c/include" -I"$ROOT/bindings-c/tests" \
        "$ROOT/bindings-c/tests/$t.c" -o "$WORK/$t" "$TARGET_DIR/debug/libtimadmin.a" $NATIVE_LIBS
    echo "-- $t" >>"$LOGS/c.log"
    "$WORK/$t" >>"$LOGS/c.log" 2>&1 || { cat "$LOGS/c.log"; exit 1; }
done

step "Python: hostile, error, async and client tests; DEBUG logging shown; every exception printed"
if ! "$VENV/bin/python" -c 'import timadmin' 2>/dev/null; then
    echo "no timadmin in $VENV: run bash bindings-python/test.sh first" >&2
    exit 1
fi
(cd "$ROOT" && "$VENV/bin/python" -m pytest -q -s -p no:cacheprovider -o log_cli=true --log-cli-level=DEBUG \
    bindings-python/tests/test_hostile.py bindings-python/tests/test_errors.py \
    bindings-python/tests/test_async.py bindings-python/tests/test_client.py) >"$LOGS/python.log" 2>&1 \
    || { tail -50 "$LOGS/python.log"; exit 1; }

step "Kotlin: HostileServerTest against the canary emulator binary"
if [ ! -d "$ROOT/bindings-uniffi/kotlin/generated" ]; then
    bash "$ROOT/bindings-uniffi/generate.sh" >"$LOGS/kotlin-generate.log" 2>&1
fi
mvn -B -ntp -f "$ROOT/bindings-uniffi/kotlin/pom.xml" test -Dtest=HostileServerTest >"$LOGS/kotlin.log" 2>&1 \
    || { tail -50 "$LOGS/kotlin.log"; exit 1; }
cp -r "$ROOT/bindings-uniffi/kotlin/target/surefire-reports" "$LOGS/kotlin-surefire-reports" 2>/dev/null || true

step "checking everything captured"
kill "$EMU_PID" 2>/dev/null || true
wait "$EMU_PID" 2>/dev/null || true
EMU_PID=""
# Not vacuous: trace logs were on, and every host saw (and redacted) an echoed UserSig.
grep -q "sending request" "$LOGS/rust-core.log" || { echo "no trace logs captured" >&2; exit 1; }
grep -q "sending request" "$LOGS/cli.log" || { echo "no CLI trace logs captured" >&2; exit 1; }
grep -qi "sending request" "$LOGS/python.log" || { echo "no Python DEBUG logs captured" >&2; exit 1; }
for log in rust-core cli c python kotlin; do
    grep -q '\[redacted\]' "$LOGS/$log.log" || { echo "$log: no redacted echo seen" >&2; exit 1; }
done
wc -c "$LOGS"/*.log | tail -1
python3 "$HERE/leak_check.py" --canary "$CANARY" --usersigs "$TIMADMIN_EMULATOR_USERSIG_LOG" "$LOGS"
echo "leak sweep took $(( $(date +%s) - started )) s"
