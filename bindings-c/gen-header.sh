#!/usr/bin/env bash
# Regenerates bindings-c/include/timadmin.h with cbindgen (the library, pinned =0.29.4 as a
# dev-dependency; no binary to install). CI checks it with `cargo test -p timadmin-c --test header`.
set -euo pipefail
cd "$(dirname "$0")/.."
TIMADMIN_WRITE_HEADER=1 cargo test -p timadmin-c --test header --quiet checked_in_header_is_up_to_date
echo "wrote bindings-c/include/timadmin.h"
