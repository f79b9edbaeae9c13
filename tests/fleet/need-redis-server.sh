#!/usr/bin/env bash
# Installs redis-server from Debian's packages when it is missing (sudo when not root). The
# tests of the shared (fleet) rate limit start their own throwaway servers; nothing is enabled
# as a system service.
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/need.sh"
need redis-server redis-server
