#!/usr/bin/env bash
# `make bench` (and, with --smoke, `make bench-smoke`): every timadmin benchmark, each against a
# baseline measured in the same run, then one summary table (bench/summary.py).
#
#   1. signing and verifying: criterion (core) and Python's generate_usersig vs the official
#      TLSSigAPIv2 package from PyPI (installed into the bench venv .bench-venv);
#   2. calls over loopback against nginx serving canned JSON: the async client vs a bare
#      reqwest loop at 1 and 16 in flight, the blocking client, C through the ABI, Python sync vs
#      requests.Session, Python asyncio with 16 in flight;
#   3. the client-side limiter at 200/s and 500/s, counted on the emulator's call log, and
#      through a stall of the service (bench/stall_window.py: Python asyncio, 64 calls
#      answered 3 s late; the worst one-second window at the emulator and the time vs ideal);
#   4. paging a 100,000-member community group from the emulator vs a 1,000-member one
#      (wall time, calls, peak RSS of the client process);
#   5. a bulk job: `timadmin modify --from` over 2,000 groups at 200/s vs the ideal 10 s
#      (bench/bulk_modify.sh).
# Release builds throughout. Starts and stops its own servers. Writes the raw JSON lines to
# target/bench/results.jsonl.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$ROOT"

SMOKE=0
[ "${1:-}" = "--smoke" ] && SMOKE=1
if [ "$SMOKE" = 1 ]; then
    SECONDS_PER_RUN=0.4; LIMITER_CALLS=60; BIG_GROUP=5000; SMALL_GROUP=1000; PROFILE=dev; PROFILE_DIR=debug
else
    SECONDS_PER_RUN=3; LIMITER_CALLS=1000; BIG_GROUP=100000; SMALL_GROUP=1000; PROFILE=release; PROFILE_DIR=release
fi

. "$ROOT/tests/need.sh"
need nginx nginx-light   # the fixed-response server
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/timadmin-bench.XXXXXX")"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

echo "== building (profile $PROFILE)"
cargo build --profile "$PROFILE" -p timadmin-bench -p timadmin-c -p timadmin-emulator -p timadmin-cli
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
BIN="$TARGET_DIR/$PROFILE_DIR"
OUT="$TARGET_DIR/bench"
mkdir -p "$OUT"
# The smoke run (in make test) keeps its own files: it never overwrites the full run's figures.
if [ "$SMOKE" = 1 ]; then SUFFIX=-smoke; else SUFFIX=; fi
RESULTS="$OUT/results$SUFFIX.jsonl"
: > "$RESULTS"

echo "== bench venv (.bench-venv): timadmin ($PROFILE wheel), requests, the official TLSSigAPIv2"
VENV="$ROOT/.bench-venv"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check 'maturin>=1.16,<2' requests 'tls-sig-api-v2==1.1'
WHEELS="$WORK/wheels"
"$VENV/bin/maturin" build -q --profile "$PROFILE" --compatibility pypi -m bindings-python/Cargo.toml -o "$WHEELS" >/dev/null
"$VENV/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$WHEELS"/timadmin-*.whl

echo "== C bench program (static libtimadmin, $PROFILE)"
cc -O2 -Wall -Wextra -Werror -I bindings-c/include bench/c_calls.c "$BIN/libtimadmin.a" -lpthread -ldl -lm -o "$WORK/c_calls"

echo "== nginx with canned JSON"
NGINX_PORT="$(free_port)"
mkdir -p "$WORK/nginx"
sed "s|@PORT@|$NGINX_PORT|; s|@DIR@|$WORK/nginx|g" bench/nginx.conf.in > "$WORK/nginx/nginx.conf"
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
PIDS+=($!)
URL="http://127.0.0.1:$NGINX_PORT"
for _ in $(seq 50); do curl -s -o /dev/null "$URL/" && break; sleep 0.1; done

bench() { "$BIN/timadmin-bench" "$@" | tee -a "$RESULTS"; }

echo "== 1. signing"
if [ "$SMOKE" = 0 ]; then
    # Criterion's estimates are read from this run only: the old ones are removed first, and a
    # failed bench fails the run instead of leaving a stale figure to be reported.
    rm -rf "$TARGET_DIR/criterion/usersig_sign" "$TARGET_DIR/criterion/usersig_verify"
    cargo bench -q -p timadmin --bench usersig -- --warm-up-time 1 --measurement-time 3 > "$WORK/criterion.txt" 2>&1 \
        || { cat "$WORK/criterion.txt"; echo "the signing bench failed" >&2; exit 1; }
    grep -E "^usersig|time:" "$WORK/criterion.txt" || true
    python3 - "$TARGET_DIR/criterion" >> "$RESULTS" <<'EOF'
import json, os, sys
root = sys.argv[1]
for bench, path in (("rust-sign-core", "usersig_sign/core_signer_reused"),
                    ("rust-sign-naive-level6", "usersig_sign/baseline_fresh_encoder_level_6"),
                    ("rust-verify-core", "usersig_verify")):
    f = os.path.join(root, path, "new", "estimates.json")
    if not os.path.exists(f):
        sys.exit(f"criterion wrote no estimate for {path} in this run")
    ns = json.load(open(f))["mean"]["point_estimate"]
    print(json.dumps({"bench": bench, "us_each": ns / 1000, "per_sec": 1e9 / ns}))
EOF
fi

echo "== 2. calls against nginx (each kind twice, interleaved)"
for round in 1 2; do
    bench calls --base-url "$URL" --mode reqwest --seconds "$SECONDS_PER_RUN"
    bench calls --base-url "$URL" --mode timadmin --seconds "$SECONDS_PER_RUN"
    bench calls --base-url "$URL" --mode blocking --seconds "$SECONDS_PER_RUN"
    "$WORK/c_calls" "$URL" "$SECONDS_PER_RUN" | tee -a "$RESULTS"
    bench calls --base-url "$URL" --mode reqwest --concurrency 16 --seconds "$SECONDS_PER_RUN"
    bench calls --base-url "$URL" --mode timadmin --concurrency 16 --seconds "$SECONDS_PER_RUN"
done
"$VENV/bin/python" bench/bench_python.py "$URL" "$SECONDS_PER_RUN" | tee -a "$RESULTS"

echo "== 3. the client-side limiter"
bench limiter --rate 200 --calls "$LIMITER_CALLS"
bench limiter --rate 500 --calls "$((LIMITER_CALLS * 5 / 2))"
# Issue 18's stall: 1,200 asyncio calls at 200/s, the first 64 answered 3 s late (smoke: 240
# calls, 1 s late).
if [ "$SMOKE" = 1 ]; then
    "$VENV/bin/python" bench/stall_window.py --calls 240 --stall 1 | tee -a "$RESULTS"
else
    "$VENV/bin/python" bench/stall_window.py | tee -a "$RESULTS"
fi

echo "== 4. paging memory"
for members in "$SMALL_GROUP" "$BIG_GROUP"; do
    EMU_OUT="$WORK/emulator-$members.json"
    "$BIN/timadmin-emulator" --port 0 --no-rate-limit --community-members "$members" > "$EMU_OUT" &
    PIDS+=($!)
    for _ in $(seq 100); do [ -s "$EMU_OUT" ] && break; sleep 0.1; done
    EMU_URL="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["base_url"])' "$EMU_OUT")"
    bench paging --base-url "$EMU_URL" --group '@TGS#_demo'
    kill "${PIDS[-1]}" 2>/dev/null || true
done

echo "== 5. a bulk job: timadmin modify --from, 2,000 groups at 200/s (smoke: 200)"
if [ "$SMOKE" = 1 ]; then BULK_CALLS=200; else BULK_CALLS=2000; fi
bash bench/bulk_modify.sh "$BIN" "$BULK_CALLS" 200 | tee -a "$RESULTS"

echo
# The full run fails when a goal row says NO (or a benchmark left no figure); the smoke run only
# proves the benches build and run, so its figures are not judged.
if [ "$SMOKE" = 1 ]; then
    python3 bench/summary.py "$RESULTS" | tee "$OUT/summary$SUFFIX.txt"
else
    set +e
    python3 bench/summary.py --fail-on-no "$RESULTS" > "$OUT/summary.txt"
    status=$?
    set -e
    cat "$OUT/summary.txt"
    exit "$status"
fi
