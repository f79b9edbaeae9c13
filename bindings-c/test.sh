#!/usr/bin/env bash
# CI entry point of the C ABI (libtimadmin). Callable from anywhere; idempotent.
#
# 1. installs valgrind/pkg-config/cmake/compilers when missing (Debian);
# 2. builds libtimadmin (debug) and the emulator binary in the shared workspace target dir;
# 3. runs the crate's Rust tests, which include the check that include/timadmin.h is what
#    cbindgen generates from the sources (skipped when `make test` already ran them);
# 4. installs the library into a temporary PREFIX (`make install`);
# 5. checks the installed ABI (tests/abi_check.py) and package version, then compiles
#    bindings-c/tests/*.c (test_settings.c runs tests/vectors/settings.json, test_call.c
#    tests/vectors/commands.json), examples/c and examples/cpp with -Wall -Wextra -Werror
#    -pedantic against the INSTALLED header and static library (flags from pkg-config);
# 6. starts `timadmin-emulator` on a free loopback port with a fixture (demo groups plus large
#    groups for paging) and a password-protected `redis-server` without persistence (the shared
#    rate limit of test_fleet.c), and runs every program under valgrind (errors and leaks fail),
#    except the real-time test_window.c (the rate limit through a server stall), run natively;
# 7. builds examples/c with CMake's find_package(timadmin) and links examples/c against the
#    shared library via pkg-config, and runs both;
# and prints `c-tests: N passed, M failed`.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$ROOT"

. "$ROOT/tests/need.sh"
need valgrind valgrind
need pkg-config pkg-config
need cmake cmake
need make make
need gcc gcc
need g++ g++
need python3 python3
need redis-server redis-server

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/timadmin-c-tests.XXXXXX")"
EMU_PID=""
REDIS_PID=""
cleanup() {
    for pid in "$EMU_PID" "$REDIS_PID"; do
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

PASSED=0
FAILED=0
FAILED_NAMES=()
pass() { PASSED=$((PASSED + 1)); echo "PASS $1"; }
fail() { FAILED=$((FAILED + 1)); FAILED_NAMES+=("$1"); echo "FAIL $1"; }

echo "== building libtimadmin and timadmin-emulator (debug)"
cargo build -p timadmin-c -p timadmin-emulator

# `make test` has just run them with the whole workspace (TIMADMIN_RUST_TESTS_DONE=1), which
# spares a second build of the crates whose features differ when built alone.
if [ "${TIMADMIN_RUST_TESTS_DONE:-0}" != 1 ]; then
    echo "== Rust tests of the C layer, and header freshness (cbindgen =0.29.4)"
    if cargo test -p timadmin-c; then pass rust-unit-and-header; else fail rust-unit-and-header; fi
fi

echo "== make install"
PREFIX="$WORK/prefix"
make -s -C "$HERE" install PROFILE=debug PREFIX="$PREFIX" TARGET_DIR="$TARGET_DIR"
export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
STATIC_CFLAGS="$(pkg-config --cflags timadmin-static)"
STATIC_LIBS="$(pkg-config --libs timadmin-static)"
WARN="-Wall -Wextra -Werror -pedantic"

echo "== ABI that can grow: struct layouts (sizeof), opaque objects, exported symbols (nm -D)"
if python3 "$HERE/tests/abi_check.py" "$PREFIX" gcc; then pass abi-layout; else fail abi-layout; fi

echo "== the installed pkg-config and CMake files carry the workspace version (0.x: same 0.MINOR)"
WS_VERSION="$(sed -n '/^\[workspace\.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -n 1)"
version_compatible() { # version_compatible WANTED -> TRUE/FALSE from the installed ConfigVersion file
    cmake -DPACKAGE_FIND_VERSION="$1" -DFILE="$PREFIX/lib/cmake/timadmin/timadminConfigVersion.cmake" \
        -P "$HERE/tests/config_version.cmake" 2>&1
}
IFS=. read -r WS_MAJOR WS_MINOR _ <<<"$WS_VERSION"
if [ "$(pkg-config --modversion timadmin)" = "$WS_VERSION" ] \
    && [ "$(pkg-config --modversion timadmin-static)" = "$WS_VERSION" ] \
    && [ "$(version_compatible "$WS_MAJOR.$WS_MINOR")" = TRUE ] \
    && [ "$(version_compatible "$WS_VERSION")" = TRUE ] \
    && [ "$(version_compatible "$WS_MAJOR.$((WS_MINOR + 1))")" = FALSE ] \
    && [ "$(version_compatible "$((WS_MAJOR + 1)).0")" = FALSE ] \
    && { [ "$WS_MAJOR" != 0 ] || [ "$WS_MINOR" = 0 ] || [ "$(version_compatible "0.$((WS_MINOR - 1))")" = FALSE ]; }; then
    echo "libtimadmin $WS_VERSION: pkg-config and find_package(timadmin $WS_MAJOR.$WS_MINOR) agree"
    pass package-version
else
    echo "workspace $WS_VERSION; pkg-config says $(pkg-config --modversion timadmin);" \
        "find_package $WS_MAJOR.$WS_MINOR: $(version_compatible "$WS_MAJOR.$WS_MINOR")," \
        "$WS_MAJOR.$((WS_MINOR + 1)): $(version_compatible "$WS_MAJOR.$((WS_MINOR + 1))")"
    fail package-version
fi

echo "== compiling against $PREFIX"
mkdir -p "$WORK/bin"
PROGRAMS=()
compile() { # compile NAME COMPILER STD SOURCE...
    local name="$1" cc="$2" std="$3"
    shift 3
    # shellcheck disable=SC2086
    if "$cc" "$std" $WARN -g -O1 -pthread $STATIC_CFLAGS -I"$HERE/tests" -I"$WORK/include" "$@" -o "$WORK/bin/$name" $STATIC_LIBS; then
        PROGRAMS+=("$name")
    else
        fail "compile-$name"
    fi
}
# The shared cross-language vectors, as a C header for test_vectors.c.
mkdir -p "$WORK/include"
python3 "$HERE/tests/gen_vectors_h.py" "$ROOT/tests/vectors/usersig.json" "$WORK/include/usersig_vectors.h"
# The settings parity vectors for test_settings.c; fails when a case sets a setting C cannot set.
if ! python3 "$HERE/tests/gen_settings_h.py" "$ROOT/tests/vectors/settings.json" "$WORK/include/settings_vectors.h"; then
    fail settings-vectors-header
fi
# The raw call's command paths for test_call.c.
python3 "$HERE/tests/gen_commands_h.py" "$ROOT/tests/vectors/commands.json" "$WORK/include/commands_vectors.h"
for src in "$HERE"/tests/*.c; do
    compile "$(basename "$src" .c)" gcc -std=c11 "$src"
done
compile quickstart-c gcc -std=c11 "$ROOT/examples/c/quickstart.c"
compile raii-cpp g++ -std=c++17 "$ROOT"/examples/cpp/*.cpp

echo "== starting the emulator"
python3 "$HERE/tests/make_fixture.py" "$ROOT/emulator/fixtures/demo.json" "$WORK/fixture.json"
"$TARGET_DIR/debug/timadmin-emulator" --host 127.0.0.1 --port 0 --no-rate-limit --seed "$WORK/fixture.json" \
    >"$WORK/emulator.out" 2>"$WORK/emulator.err" &
EMU_PID=$!
for _ in $(seq 1 200); do
    [ -s "$WORK/emulator.out" ] && break
    kill -0 "$EMU_PID" 2>/dev/null || break
    sleep 0.1
done
READY="$(head -n 1 "$WORK/emulator.out" || true)"
if [ -z "$READY" ]; then
    echo "the emulator did not start:" >&2
    cat "$WORK/emulator.err" >&2
    fail emulator-start
    echo "c-tests: $PASSED passed, $FAILED failed"
    exit 1
fi
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$READY" "$1"; }
export TIMADMIN_TEST_BASE_URL="$(field base_url)"
export TIMADMIN_TEST_SDKAPPID="$(field sdkappid)"
export TIMADMIN_TEST_KEY="$(field key)"
export TIMADMIN_TEST_IDENTIFIER="$(field identifier)"
case "$TIMADMIN_TEST_BASE_URL" in
    http://127.0.0.1:*) ;;
    *) echo "refusing to test against a non-loopback URL: $TIMADMIN_TEST_BASE_URL" >&2; exit 1 ;;
esac
echo "emulator at $TIMADMIN_TEST_BASE_URL"

echo "== starting redis-server (test_fleet)"
REDIS_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --requirepass c-fleet-pw-9 \
    --loglevel warning --dir "$WORK" >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
for _ in $(seq 1 100); do
    redis-cli -p "$REDIS_PORT" -a c-fleet-pw-9 --no-auth-warning ping 2>/dev/null | grep -q PONG && break
    sleep 0.1
done
export TIMADMIN_TEST_REDIS_URL="redis://:c-fleet-pw-9@127.0.0.1:$REDIS_PORT/0"
# The examples read the TIM_* variables like any application would.
EXAMPLE_ENV=(TIM_SDKAPPID="$TIMADMIN_TEST_SDKAPPID" TIM_SECRET_KEY="$TIMADMIN_TEST_KEY"
    TIM_IDENTIFIER="$TIMADMIN_TEST_IDENTIFIER" TIM_BASE_URL="$TIMADMIN_TEST_BASE_URL")

echo "== running under valgrind"
# Nothing is suppressed. Memory errors and definite, indirect or possible leaks fail a program
# (timadmin_client_free waits for the client's runtime threads, so nothing is left behind).
VALGRIND=(valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible
    --show-leak-kinds=definite,indirect,possible --num-callers=30)
# Real-time programs run natively: under valgrind one thread runs at a time, so a request
# would leave long after its permit and the emulator's clock would not see the client's pacing.
NATIVE=" test_window "
for name in "${PROGRAMS[@]}"; do
    echo "-- $name"
    RUNNER=("${VALGRIND[@]}")
    case "$NATIVE" in *" $name "*) RUNNER=() ;; esac
    if env "${EXAMPLE_ENV[@]}" "${RUNNER[@]}" "$WORK/bin/$name" >"$WORK/$name.log" 2>&1; then
        cat "$WORK/$name.log"
        pass "$name"
    else
        code=$?
        cat "$WORK/$name.log"
        [ "$code" = 99 ] && echo "(valgrind reported errors or definite leaks)"
        fail "$name"
    fi
done

echo "== CMake find_package(timadmin)"
if cmake -S "$ROOT/examples/c" -B "$WORK/cmake-build" -DCMAKE_PREFIX_PATH="$PREFIX" -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_C_FLAGS="$WARN" >"$WORK/cmake.log" 2>&1 \
    && cmake --build "$WORK/cmake-build" >>"$WORK/cmake.log" 2>&1 \
    && env "${EXAMPLE_ENV[@]}" "$WORK/cmake-build/quickstart" >>"$WORK/cmake.log" 2>&1 \
    && env "${EXAMPLE_ENV[@]}" "$WORK/cmake-build/quickstart_shared" >>"$WORK/cmake.log" 2>&1; then
    pass cmake-find-package
else
    cat "$WORK/cmake.log"
    fail cmake-find-package
fi

echo "== shared library via pkg-config (timadmin.pc)"
if gcc -std=c11 $WARN "$ROOT/examples/c/quickstart.c" -o "$WORK/bin/quickstart-shared" \
        $(pkg-config --cflags --libs timadmin) >"$WORK/shared.log" 2>&1 \
    && env "${EXAMPLE_ENV[@]}" LD_LIBRARY_PATH="$PREFIX/lib" "$WORK/bin/quickstart-shared" >>"$WORK/shared.log" 2>&1; then
    pass shared-pkg-config
else
    cat "$WORK/shared.log"
    fail shared-pkg-config
fi

if [ "$FAILED" -gt 0 ]; then
    echo "failed: ${FAILED_NAMES[*]}"
fi
echo "c-tests: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
