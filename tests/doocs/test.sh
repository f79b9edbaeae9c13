#!/usr/bin/env bash
# A third-party SDK against the emulator over HTTPS (part of `make test`):
#
# 1. installs a JDK, Maven and curl from Debian's packages when missing (tests/need.sh);
# 2. builds the CLI and starts `timadmin emulator --tls --seed emulator/fixtures/demo.json`,
#    which writes its self-signed certificate as PEM and names it in its ready line;
# 3. checks the README's curl recipe: `curl --cacert CERT` gets an answer, plain curl is refused;
# 4. turns the PEM into a PKCS#12 truststore with keytool and runs tests/doocs (Maven + JUnit 5):
#    the doocs Java SDK, io.github.doocs:im-server-sdk-java from Maven Central, unmodified, calls
#    getGroupMemberInfo / getGroupMutedAccount / modifyGroupBaseInfo with domain
#    127.0.0.1:PORT, trusting the certificate through javax.net.ssl.trustStore; the suite then
#    checks the emulator's call log: every request was accepted (error code 0) but the one
#    deliberate failure.
# DOOCS_KEEP=1 keeps the work directory (ready line, certificate, truststore, emulator log).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

. "$ROOT/tests/need.sh"
need java default-jdk-headless
need keytool default-jdk-headless
need mvn maven
need curl curl
need python3 python3

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
echo "== building the CLI (debug)"
cargo build -q -p timadmin-cli
TIM="$TARGET_DIR/debug/timadmin"

WORK="$(mktemp -d)"
EMU_PID=""
cleanup() {
    if [ -n "$EMU_PID" ]; then kill "$EMU_PID" 2>/dev/null || true; wait "$EMU_PID" 2>/dev/null || true; fi
    if [ "${DOOCS_KEEP:-0}" = 1 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

echo "== timadmin emulator --tls"
"$TIM" emulator --tls --tls-cert "$WORK/emulator.pem" --seed emulator/fixtures/demo.json \
    >"$WORK/ready.json" 2>"$WORK/emulator.log" &
EMU_PID=$!
for _ in $(seq 1 200); do
    [ -s "$WORK/ready.json" ] && break
    kill -0 "$EMU_PID" 2>/dev/null || { cat "$WORK/emulator.log" >&2; echo "the emulator did not start" >&2; exit 1; }
    sleep 0.05
done
field() { python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())[sys.argv[2]])' "$WORK/ready.json" "$1"; }
BASE_URL="$(field base_url)"
CERT="$(field tls_cert)"
SDKAPPID="$(field sdkappid)"
IDENTIFIER="$(field identifier)"
SECRET_KEY="$(field secret_key)"
DOMAIN="${BASE_URL#https://}"
echo "emulator at $BASE_URL, certificate $CERT"
[ "$BASE_URL" != "$DOMAIN" ] || { echo "the base URL is not https://: $BASE_URL" >&2; exit 1; }
[ "$CERT" = "$WORK/emulator.pem" ] || { echo "the ready line names $CERT" >&2; exit 1; }

echo "== curl with --cacert (the README's recipe)"
USERSIG="$("$TIM" usersig gen --sdkappid "$SDKAPPID" --secret-key "$SECRET_KEY" --identifier "$IDENTIFIER" --expire 600)"
URL="$BASE_URL/v4/group_open_http_svc/get_group_muted_account?sdkappid=$SDKAPPID&identifier=$IDENTIFIER&usersig=$USERSIG&random=$RANDOM&contenttype=json"
ANSWER="$(curl -sS --fail --cacert "$CERT" -H 'Content-Type: application/json' -d '{"GroupId":"@TGS#2DEMOPUB"}' "$URL")"
case "$ANSWER" in
    *'"ActionStatus":"OK"'*) echo "curl: OK" ;;
    *) echo "curl got: $ANSWER" >&2; exit 1 ;;
esac
if curl -sS -o /dev/null -d '{}' "$URL" 2>/dev/null; then
    echo "curl without --cacert was not refused: the emulator is not serving its own certificate" >&2; exit 1
fi

echo "== PKCS#12 truststore of the certificate (keytool)"
keytool -importcert -noprompt -alias timadmin-emulator -file "$CERT" \
    -keystore "$WORK/truststore.p12" -storetype PKCS12 -storepass changeit >/dev/null

echo "== the doocs Java SDK (io.github.doocs:im-server-sdk-java) against the emulator over HTTPS"
mvn -B -ntp -f "$HERE/pom.xml" test \
    -Demulator.domain="$DOMAIN" -Demulator.sdkappid="$SDKAPPID" -Demulator.identifier="$IDENTIFIER" \
    -Demulator.secret.key="$SECRET_KEY" -Demulator.truststore="$WORK/truststore.p12" \
    -Demulator.truststore.password=changeit
echo "== doocs: ok"
