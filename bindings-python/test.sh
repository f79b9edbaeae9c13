#!/usr/bin/env bash
# CI entry point of the Python package `timadmin` (callable from anywhere, idempotent):
#   1. creates the venv $ROOT/.venv if missing (python3 -m venv) and installs maturin, pytest, mypy;
#   2. builds the abi3 manylinux wheel with the dev profile into the shared workspace target dir
#      (maturin, with its manylinux audit) and installs it into the venv;
#   3. runs pytest (against the embedded emulator, and a redis-server it installs when missing for
#      the fleet tests), mypy --strict on the examples and tests, mypy's stubtest on the package,
#      and every example script;
#   4. installs the same wheel into a fresh venv whose PATH has no cargo/rustc and runs an
#      example against the embedded emulator.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VENV="${TIMADMIN_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"
PY="$VENV/bin/python"
# The maturin build backend runs the `maturin` executable of the venv.
export PATH="$VENV/bin:$PATH"

step() { printf '\n== %s\n' "$*"; }

# shellcheck source=bindings-python/venv.sh
. "$HERE/venv.sh"

# tests/test_fleet.py runs a real redis-server (the shared rate limit of a fleet).
. "$ROOT/tests/need.sh"
need redis-server redis-server

step "building the wheel (maturin, dev profile, shared target dir, manylinux audit) and installing it"
# The same abi3 manylinux wheel as `make wheel` builds, in the fast dev profile.
WHEELS="$(mktemp -d "${TMPDIR:-/tmp}/timadmin-wheel.XXXXXX")"
trap 'rm -rf "$WHEELS"' EXIT
"$VENV/bin/maturin" build --profile dev --auditwheel check --compatibility pypi \
    -m "$HERE/Cargo.toml" -o "$WHEELS/dist"
WHEEL="$(ls "$WHEELS"/dist/timadmin-*.whl)"
"$PY" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps "$WHEEL"

step "pytest"
(cd "$ROOT" && "$PY" -m pytest "$HERE/tests" -q -p no:cacheprovider)

step "mypy --strict (examples and tests)"
(cd "$ROOT" && "$PY" -m mypy --strict --no-incremental "$ROOT/examples/python" "$HERE/tests")

step "stubtest"
# From a neutral directory so only the installed package is seen.
(cd "${TMPDIR:-/tmp}" && "$PY" -m mypy.stubtest timadmin)

step "examples"
for example in "$ROOT"/examples/python/[a-z]*.py; do
    echo "-- $(basename "$example")"
    (cd "$ROOT/examples/python" && env -u TIM_SDKAPPID "$PY" "$example")
done

step "the wheel in a fresh venv with no Rust toolchain on PATH"
"$PYTHON" -m venv "$WHEELS/norust"
NORUST_PATH="$WHEELS/norust/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
if PATH="$NORUST_PATH" command -v cargo >/dev/null 2>&1 || PATH="$NORUST_PATH" command -v rustc >/dev/null 2>&1; then
    echo "cargo or rustc is still on the stripped PATH: the no-Rust check would prove nothing" >&2
    exit 1
fi
PATH="$NORUST_PATH" "$WHEELS/norust/bin/python" -m pip install -q --disable-pip-version-check --no-index "$WHEEL"
(cd "$ROOT/examples/python" && env -u TIM_SDKAPPID PATH="$NORUST_PATH" \
    "$WHEELS/norust/bin/python" "$ROOT/examples/python/members.py")

step "bindings-python: all checks passed"
