# Sourced by test.sh and wheel.sh: makes sure the venv $VENV exists (python3 -m venv; installs
# Debian's python3-venv when the system Python lacks it) and holds maturin, pytest and mypy.
# Expects HERE, VENV, PYTHON, PY and the step() function to be set.
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

step "installing build and test tools"
"$PY" -m pip install -q --disable-pip-version-check 'maturin>=1.16,<2' 'pytest>=8' 'mypy>=1.10' 'typing_extensions>=4.6'
