#!/usr/bin/env bash
# Installs redis-server from Debian's packages when it is missing (sudo when not root). The
# tests of the shared (fleet) rate limit start their own throwaway servers; nothing is enabled
# as a system service.
set -euo pipefail
if ! command -v redis-server >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "== installing redis-server"
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
