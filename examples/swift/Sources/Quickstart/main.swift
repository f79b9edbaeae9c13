// The Swift quickstart, as an iOS admin app would use timadmin: UserSigs come from the app's
// own back end through a `UserSigProvider` (never the secret key), the three endpoints, and a
// whole community group as an AsyncSequence. Runs against a local emulator process.
import Foundation
import TimAdmin

/// Stands in for your back end: in an app, an authenticated HTTPS call to your server, which
/// signs the admin UserSig with the secret key it alone holds.
final class BackEndUserSigProvider: UserSigProvider, @unchecked Sendable {
    let sdkappid: UInt64
    let serverSideKey: String
    init(sdkappid: UInt64, serverSideKey: String) { self.sdkappid = sdkappid; self.serverSideKey = serverSideKey }

    func usersig() async throws -> String {
        try generateUsersig(sdkappid: sdkappid, secretKey: serverSideKey, identifier: "administrator", expire: 3600)
    }
}

let env = ProcessInfo.processInfo.environment
let emulator = Process()
emulator.executableURL = URL(fileURLWithPath: env["TIMADMIN_EMULATOR"] ?? "../../target/debug/timadmin-emulator")
emulator.arguments = ["--port", "0", "--seed", env["TIMADMIN_FIXTURE"] ?? "../../emulator/fixtures/demo.json", "--community-members", "1234"]
let out = Pipe()
emulator.standardOutput = out
try emulator.run()
defer { emulator.terminate() }
var line = Data()
while true {
    let byte = out.fileHandleForReading.readData(ofLength: 1)
    if byte.isEmpty || byte == Data([0x0A]) { break }
    line.append(byte)
}
let info = try JSONSerialization.jsonObject(with: line) as? [String: Any] ?? [:]
let sdkappid = (info["sdkappid"] as? NSNumber)?.uint64Value ?? 0

let client = try TimAdminClient(options: ClientOptions(
    sdkappid: sdkappid,
    usersigProvider: BackEndUserSigProvider(sdkappid: sdkappid, serverSideKey: info["key"] as? String ?? ""),
    baseUrl: info["base_url"] as? String
))
// What the client runs with (defaults filled in, secrets as "***"): for logs and bug reports.
print("settings: \(client.settingsJson())")
let muted = try await client.getGroupMutedAccount(request: GetGroupMutedAccountRequest(groupId: "@TGS#2DEMOPUB"))
print("muted in \(muted.groupId): \(muted.mutedAccountList.map(\.memberAccount))")

var count = 0
for try await _ in try client.members(groupId: "@TGS#_demo").allMembers() { count += 1 }
print("@TGS#_demo has \(count) members")

try await client.modifyGroupBaseInfo(request: ModifyGroupBaseInfoRequest(groupId: "@TGS#2DEMOPUB", name: "Renamed from Swift"))
do {
    _ = try await client.getGroupMutedAccount(request: GetGroupMutedAccountRequest(groupId: "@TGS#2NOSUCHGROUP"))
} catch TimAdminError.Api(let code, _, let kind, _) {
    print("expected error: \(code) \(kind)")
}
