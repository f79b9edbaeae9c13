#!/usr/bin/env bash
# `make wheel`: builds the release abi3 manylinux wheel of `timadmin` into dist/ with maturin
# (release profile, stripped, checked against the manylinux policy by maturin's own audit).
# Install it anywhere with `pip install dist/timadmin-*.whl`: no Rust toolchain needed there.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VENV="${TIMADMIN_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"
PY="$VENV/bin/python"
step() { printf '\n== %s\n' "$*"; }
# shellcheck source=bindings-python/venv.sh
. "$HERE/venv.sh"

step "building the release wheel"
"$VENV/bin/maturin" build --release --strip --auditwheel check --compatibility pypi \
    -m "$HERE/Cargo.toml" -o "$ROOT/dist"
for wheel in "$ROOT"/dist/timadmin-*.whl; do
    echo "$(basename "$wheel"): $(du -k "$wheel" | cut -f1) KiB"
done
