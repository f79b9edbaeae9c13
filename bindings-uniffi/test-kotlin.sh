#!/usr/bin/env bash
# CI entry point of the Kotlin bindings (`make test-kotlin`). Callable from anywhere.
#
# 1. installs a JDK, Maven and redis-server (the fleet tests start one) from Debian's packages
#    when missing (sudo when not root);
# 2. (generate.sh) builds the UniFFI library and the timadmin-emulator binary, then, in a
#    separate cargo invocation, uniffi-bindgen, and writes the Kotlin and Swift sources;
# 3. runs `mvn test` in bindings-uniffi/kotlin: kotlinc compiles the generated bindings and
#    the JUnit 5 suite, which starts the emulator binary as a child process and loads
#    libtimadmin_uniffi.so through JNA;
# 4. builds and runs examples/kotlin against a fresh emulator.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$ROOT"

. "$ROOT/tests/need.sh"
need java default-jdk-headless
need javac default-jdk-headless
need mvn maven
need python3 python3
need redis-server redis-server

MVN=(mvn -B -ntp)


echo "== building the UniFFI library and timadmin-emulator, generating the Kotlin and Swift bindings"
bash "$HERE/generate.sh"

echo "== Kotlin: compile the bindings and run the JUnit suite against the emulator"
start=$(date +%s)
"${MVN[@]}" -f "$HERE/kotlin/pom.xml" install
echo "kotlin build and tests took $(( $(date +%s) - start )) s"

echo "== examples/kotlin against a fresh emulator"
"${MVN[@]}" -f "$ROOT/examples/kotlin/pom.xml" compile exec:java
