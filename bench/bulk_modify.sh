#!/usr/bin/env bash
# The bulk-job row of `make bench` (issue 20): `timadmin modify --from FILE` over N groups
# through the emulator at R/s (default 2,000 at 200/s, ideal N/R = 10 s). Prints one JSON line:
#   {"bench":"bulk-modify-200","calls":2000,"rate":200,"seconds":…,"ideal_seconds":10,
#    "ratio":seconds/ideal,"failed":0,"modified":2000,"worst_1s_window":…}
# The goal is ratio <= 1.03 with no failure and every group modified exactly once.
#
#   bash bench/bulk_modify.sh BIN_DIR [CALLS] [RATE]
# BIN_DIR holds the built `timadmin` and `timadmin-emulator` (e.g. target/release).
set -euo pipefail
BIN="$1"; CALLS="${2:-2000}"; RATE="${3:-200}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/timadmin-bulk-bench.XXXXXX")"
EMU_PID=""
cleanup() { [ -n "$EMU_PID" ] && kill "$EMU_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

# The emulator enforces the service's own limit (RATE per command per sliding second).
"$BIN/timadmin-emulator" --port 0 --rate-limit "$RATE" > "$WORK/emu.json" &
EMU_PID=$!
for _ in $(seq 100); do [ -s "$WORK/emu.json" ] && break; sleep 0.1; done
read -r URL SDKAPPID KEY < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["base_url"], d["sdkappid"], d["key"])' "$WORK/emu.json")

python3 - "$CALLS" "$WORK" <<'PY'
import json, sys
n, work = int(sys.argv[1]), sys.argv[2]
groups = [{"GroupId": f"@TGS#bench{i:05d}", "Type": "Public", "Name": "before",
           "MemberList": [{"Member_Account": "owner", "Role": "Owner"}]} for i in range(n)]
json.dump({"Groups": groups}, open(f"{work}/seed.json", "w"))
with open(f"{work}/jobs.ndjson", "w") as f:
    for g in groups:
        f.write(json.dumps({"GroupId": g["GroupId"], "Name": "after"}) + "\n")
PY
curl -sf -X POST --data-binary "@$WORK/seed.json" "$URL/__emulator/seed" > /dev/null
curl -sf -X DELETE "$URL/__emulator/calls" > /dev/null

START=$(python3 -c 'import time; print(time.monotonic())')
set +e
TIM_SDKAPPID="$SDKAPPID" TIM_SECRET_KEY="$KEY" "$BIN/timadmin" --base-url "$URL" --rate-limit "$RATE" -q \
    modify --from "$WORK/jobs.ndjson" --concurrency 16 --results "$WORK/results.ndjson"
CODE=$?
set -e
END=$(python3 -c 'import time; print(time.monotonic())')
curl -sf "$URL/__emulator/calls" > "$WORK/calls.json"
curl -sf "$URL/__emulator/stats" > "$WORK/stats.json"

python3 - "$CALLS" "$RATE" "$START" "$END" "$CODE" "$WORK" <<'PY'
import collections, json, sys
calls, rate, start, end, code, work = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
results = [json.loads(l) for l in open(f"{work}/results.ndjson")]
log = json.load(open(f"{work}/calls.json"))
ok_calls = collections.Counter(c["body"]["GroupId"] for c in log
                               if c["command"] == "modify_group_base_info" and c["error_code"] == 0)
stats = json.load(open(f"{work}/stats.json"))
seconds, ideal = end - start, calls / rate
print(json.dumps({
    "bench": f"bulk-modify-{rate}", "calls": calls, "rate": rate, "seconds": round(seconds, 3),
    "ideal_seconds": ideal, "ratio": round(seconds / ideal, 4), "exit_code": code,
    "failed": sum(1 for r in results if not r.get("ok")), "results": len(results),
    "modified": len(ok_calls), "modified_more_than_once": sum(1 for n in ok_calls.values() if n > 1),
    "worst_1s_window": stats["busiest_second"].get("modify_group_base_info", 0),
}))
PY
