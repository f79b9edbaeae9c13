#!/usr/bin/env bash
# CI entry point of the Python package `timadmin` (callable from anywhere, idempotent):
#   1. creates the venv $ROOT/.venv if missing (python3 -m venv) and installs maturin, pytest, mypy;
#   2. builds the extension with the dev profile into the shared workspace target dir and
#      installs the package into the venv (pip + maturin as the PEP 517 backend);
#   3. runs pytest (against the embedded emulator, and a redis-server it installs when missing for
#      the fleet tests), mypy --strict on the examples and tests,
#      mypy's stubtest on the package, and every example script.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VENV="${TIMADMIN_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"
PY="$VENV/bin/python"
# The maturin build backend runs the `maturin` executable of the venv.
export PATH="$VENV/bin:$PATH"

step() { printf '\n== %s\n' "$*"; }

if [ ! -x "$PY" ]; then
    step "creating $VENV"
    if ! "$PYTHON" -m venv "$VENV"; then
        # Debian's python3 ships venv/ensurepip separately.
        if command -v apt-get >/dev/null 2>&1; then
            rm -rf "$VENV"
            SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
            $SUDO apt-get update -q && $SUDO apt-get install -y python3-venv
            "$PYTHON" -m venv "$VENV"
        else
            echo "cannot create a venv with $PYTHON" >&2
            exit 1
        fi
    fi
fi

if ! command -v redis-server >/dev/null 2>&1; then
    # tests/test_fleet.py runs a real redis-server (the shared rate limit of a fleet).
    step "installing redis-server"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q redis-server
fi

step "installing build and test tools"
"$PY" -m pip install -q --disable-pip-version-check 'maturin>=1.16,<2' 'pytest>=8' 'mypy>=1.10' 'typing_extensions>=4.6'

step "building and installing timadmin (maturin, dev profile, shared target dir)"
# --no-build-isolation: use the maturin installed above; MATURIN_PEP517_ARGS picks the fast
# dev profile for tests (a plain `pip install ./bindings-python` builds the release profile).
MATURIN_PEP517_ARGS="--profile dev" "$PY" -m pip install -q --disable-pip-version-check \
    --no-build-isolation --force-reinstall --no-deps "$HERE"

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

step "bindings-python: all checks passed"
