# Sourced by the test and bench scripts: `need COMMAND PACKAGE` installs PACKAGE from Debian's
# packages when COMMAND is missing (with sudo when not root; `apt-get update` at most once).
# Nothing installed is enabled as a system service by the scripts.
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
APT_UPDATED=0
need() { # need COMMAND PACKAGE
    if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$1" ]; then
        echo "== installing $2"
        if [ "$APT_UPDATED" = 0 ]; then $SUDO apt-get update -qq; APT_UPDATED=1; fi
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
    fi
}
