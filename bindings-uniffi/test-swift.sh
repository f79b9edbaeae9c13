#!/usr/bin/env bash
# CI entry point of the Swift bindings (`make test-swift`). Callable from anywhere.
#
# Always (no Swift toolchain needed):
#   1. generates the Swift sources from the library (generate.sh);
#   2. checks the generated API: `TimAdminClient` with `async throws` methods for the three
#      endpoints, `MemberPager.nextPage`, the `UserSigProvider` protocol, the UserSig functions
#      and the `TimAdminError` enum, the core's records (TimAdminCore.swift);
#   3. checks the README's names table: its Swift column against every public Swift name
#      (swift/check-names.py);
#   4. checks that the FFI headers compile (`cc -fsyntax-only`).
# Where `swift` exists: builds the SwiftPM package and runs its XCTest suite against the
# emulator binary. Elsewhere it prints `SKIPPED: no swift toolchain` (never a pass).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
cd "$ROOT"

if [ -z "${TIMADMIN_SKIP_GENERATE:-}" ]; then
    bash "$HERE/generate.sh"
fi
SWIFT="$HERE/swift/Sources/TimAdmin/TimAdmin.swift"
CORE_SWIFT="$HERE/swift/Sources/TimAdmin/TimAdminCore.swift"
HEADER="$HERE/swift/Sources/TimAdminFFI/TimAdminFFI.h"

PASSED=0
FAILED=0
check() { # check NAME PATTERN [FILE] (extended regex that must match the generated Swift)
    if grep -Eq -- "$2" "${3:-$SWIFT}"; then PASSED=$((PASSED + 1)); echo "PASS $1"; else FAILED=$((FAILED + 1)); echo "FAIL $1: no match for /$2/"; fi
}
echo "== Swift API check ($SWIFT)"
check "TimAdminClient class" '^open class TimAdminClient\b'
check "TimAdminClient(options:) throws" 'public convenience init\(options: ClientOptions\) *throws'
check "TimAdminClient.fromEnv() throws" 'public static func fromEnv\(\) *throws *-> *TimAdminClient'
check "settingsJson()" 'open func settingsJson\(\) *-> *String'
check "ClientOptions.usersigLifetime" '^ *public var usersigLifetime: TimeInterval\?'
check "getGroupMemberInfo async throws" 'func getGroupMemberInfo\(request: GetGroupMemberInfoRequest\) async throws *-> *GetGroupMemberInfoResponse'
check "getGroupMutedAccount async throws" 'func getGroupMutedAccount\(request: GetGroupMutedAccountRequest\) async throws *-> *GetGroupMutedAccountResponse'
check "modifyGroupBaseInfo async throws" 'func modifyGroupBaseInfo\(request: ModifyGroupBaseInfoRequest\) async throws'
check "members(groupId:options:) returns MemberPager" 'func members\(groupId: String, options: PageOptions\? = nil\) *throws *-> *MemberPager'
check "MemberPager class" '^open class MemberPager\b'
check "MemberPager.nextPage async throws" 'func nextPage\(\) async throws *-> *MemberPage\?'
check "UserSigProvider protocol" '^public protocol UserSigProvider\b'
check "UserSigProvider.usersig async throws" 'func usersig\(\) async throws *-> *String'
check "generateUsersig" '^public func generateUsersig\(sdkappid: UInt64, secretKey: String, identifier: String, expire: UInt64, userbuf: Data\? = nil\)'
check "verifyUsersig" '^public func verifyUsersig\(sdkappid: UInt64, secretKey: String, identifier: String, usersig: String, userbuf: Data\? = nil\) *throws *-> *Claims'
check "decodeUsersig" '^public func decodeUsersig\(usersig: String\) *throws *-> *UnverifiedClaims'
check "TimAdminError enum" '^enum TimAdminError: Swift.Error'
check "TimAdminError.RateLimiterUnavailable" '^ *case RateLimiterUnavailable\('
check "core records in TimAdminCore.swift" '^public struct GetGroupMemberInfoRequest\b' "$CORE_SWIFT"
check "Role is the core's enum" '^ *case other\(String' "$CORE_SWIFT"
check "Claims.userbuf" '^ *public var userbuf: Data\?' "$CORE_SWIFT"
check "Claims.expiresAt()" '^public func expiresAt\(\) *-> *UInt64' "$CORE_SWIFT"
check "UnverifiedClaims record" '^public struct UnverifiedClaims\b' "$CORE_SWIFT"

echo "== README names table, Swift column ($HERE/swift/check-names.py)"
if python3 "$HERE/swift/check-names.py" "$ROOT/README.md" "$HERE"/swift/Sources/TimAdmin/*.swift; then
    PASSED=$((PASSED + 1))
else
    FAILED=$((FAILED + 1))
fi

echo "== FFI header syntax check ($HEADER and TimAdminCoreFFI.h, as the module map includes them)"
# gcc lacks clang's nullability qualifiers; blank them for this syntax-only check.
if printf '#include "TimAdminFFI.h"\n#include "TimAdminCoreFFI.h"\n' | cc -fsyntax-only -Wall -Werror -D_Nonnull= -D_Nullable= -D_Null_unspecified= \
        -I "$(dirname "$HEADER")" -x c -; then
    PASSED=$((PASSED + 1)); echo "PASS TimAdminFFI.h and TimAdminCoreFFI.h compile together"
else
    FAILED=$((FAILED + 1)); echo "FAIL TimAdminFFI.h with TimAdminCoreFFI.h does not compile"
fi
echo "swift-api-check: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ] || exit 1

if ! command -v swift >/dev/null 2>&1; then
    echo "SKIPPED: no swift toolchain (the XCTest suite in bindings-uniffi/swift/Tests did not run)"
    exit 0
fi
echo "== Swift: build the package and run the XCTest suite against the emulator"
cargo build -p timadmin-emulator
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
export TIMADMIN_LIB_DIR="$TARGET_DIR/debug"
export LD_LIBRARY_PATH="$TIMADMIN_LIB_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export DYLD_LIBRARY_PATH="$TIMADMIN_LIB_DIR${DYLD_LIBRARY_PATH:+:$DYLD_LIBRARY_PATH}"
export TIMADMIN_EMULATOR="$TARGET_DIR/debug/timadmin-emulator"
export TIMADMIN_FIXTURE="$ROOT/emulator/fixtures/demo.json"
(cd "$HERE/swift" && swift test)
echo "== examples/swift"
(cd "$ROOT/examples/swift" && swift run Quickstart)
