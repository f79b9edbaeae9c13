// XCTest suite of the Swift bindings, mirroring bindings-uniffi/kotlin's JUnit suite. Runs
// against the `timadmin-emulator` binary named by TIMADMIN_EMULATOR (see ../../test-swift.sh).
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest
@testable import TimAdmin

/// The emulator binary as a child process, plus its `/__emulator/` control routes.
final class Emulator {
    let process = Process()
    let baseUrl: String
    let sdkappid: UInt64
    let key: String
    let identifier: String

    init() throws {
        let env = ProcessInfo.processInfo.environment
        guard let binary = env["TIMADMIN_EMULATOR"], let fixture = env["TIMADMIN_FIXTURE"] else {
            throw NSError(domain: "TimAdminTests", code: 1, userInfo: [NSLocalizedDescriptionKey: "TIMADMIN_EMULATOR and TIMADMIN_FIXTURE are not set: run bindings-uniffi/test-swift.sh"])
        }
        let out = Pipe()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--port", "0", "--seed", fixture]
        process.standardOutput = out
        try process.run()
        var line = Data()
        while true {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data([0x0A]) { break }
            line.append(byte)
        }
        let ready = try JSONSerialization.jsonObject(with: line) as? [String: Any] ?? [:]
        baseUrl = ready["base_url"] as? String ?? ""
        sdkappid = (ready["sdkappid"] as? NSNumber)?.uint64Value ?? 0
        key = ready["key"] as? String ?? ""
        identifier = ready["identifier"] as? String ?? "administrator"
    }

    deinit { process.terminate() }

    func config(maxRetries: UInt32? = nil, timeout: TimeInterval? = nil) -> ClientOptions {
        ClientOptions(sdkappid: sdkappid, secretKey: key, baseUrl: baseUrl, timeout: timeout, maxRetries: maxRetries)
    }

    @discardableResult
    func send(_ method: String, _ path: String, _ body: String? = nil) async throws -> String {
        var request = URLRequest(url: URL(string: "\(baseUrl)/__emulator/\(path)")!)
        request.httpMethod = method
        if let body { request.httpBody = Data(body.utf8) }
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (data, _) = try await URLSession.shared.data(for: request)
        return String(decoding: data, as: UTF8.self)
    }

    func reset() async throws { try await send("POST", "reset", "") }
    func generate(_ groupId: String, _ type: String, _ members: Int) async throws {
        try await send("POST", "generate", #"{"GroupId":"\#(groupId)","Type":"\#(type)","Members":\#(members)}"#)
    }
    func fault(_ json: String) async throws { try await send("POST", "faults", json) }
    func group(_ groupId: String) async throws -> String {
        try await send("GET", "groups/" + groupId.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
    }
    func callCount(_ command: String) async throws -> Int {
        try await send("GET", "calls").components(separatedBy: #""command":"\#(command)""#).count - 1
    }
}

/// A provider as an app writes one: asks "its back end" (here: signs with the emulator's key).
final class CountingProvider: UserSigProvider, @unchecked Sendable {
    let emulator: Emulator
    let expire: UInt64
    private let lock = NSLock()
    private var firstAnswers: [String]
    private var count = 0
    var asked: Int { lock.lock(); defer { lock.unlock() }; return count }

    init(_ emulator: Emulator, expire: UInt64 = 86_400, firstAnswers: [String] = []) {
        self.emulator = emulator
        self.expire = expire
        self.firstAnswers = firstAnswers
    }

    func usersig() async throws -> String {
        let scripted: String? = { lock.lock(); defer { lock.unlock() }; count += 1; return firstAnswers.isEmpty ? nil : firstAnswers.removeFirst() }()
        try await Task.sleep(nanoseconds: 5_000_000)
        if let scripted { return scripted }
        return try generateUsersig(sdkappid: emulator.sdkappid, secretKey: emulator.key, identifier: emulator.identifier, expire: expire)
    }
}

final class FailingProvider: UserSigProvider, @unchecked Sendable {
    func usersig() async throws -> String { throw TimAdminError.Credentials(detail: "the back end said no") }
}

final class TimAdminTests: XCTestCase {
    static let publicGroup = "@TGS#2DEMOPUB"
    static let community = "@TGS#_demo"
    var emulator: Emulator!

    override func setUp() async throws {
        uniffiEnsureInitialized()
        emulator = try Emulator()
        try await emulator.reset()
    }

    override func tearDown() { emulator = nil }

    func client(_ config: ClientOptions? = nil) throws -> TimAdminClient {
        try TimAdminClient(options: config ?? emulator.config())
    }

    func muted(_ c: TimAdminClient) async throws -> GetGroupMutedAccountResponse {
        try await c.getGroupMutedAccount(request: GetGroupMutedAccountRequest(groupId: Self.publicGroup))
    }

    func field(of config: ClientOptions) -> String? {
        do { _ = try TimAdminClient(options: config); return nil } catch TimAdminError.InvalidArgument(let field, _) { return field } catch { return "\(error)" }
    }

    // ---- configuration ----

    func testSettingsJsonShowsTheEffectiveSettingsWithoutSecrets() throws {
        var options = emulator.config()
        options.usersigLifetime = 600
        let json = try client(options).settingsJson()
        let settings = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        XCTAssertEqual(settings?["usersig_lifetime"] as? Double, 600)
        XCTAssertEqual(settings?["secret_key"] as? String, "***")
        XCTAssertFalse(json.contains(emulator.key))
        XCTAssertEqual(field(of: ClientOptions(sdkappid: nil, secretKey: "k")), "sdkappid")
    }

    func testClientReportsItsAppAndDefaultIdentifier() throws {
        let c = try client()
        XCTAssertEqual(c.sdkappid(), emulator.sdkappid)
        XCTAssertEqual(c.identifier(), "administrator")
    }

    func testBadConfigurationsAreRefusedWithTheSetting() {
        var c = emulator.config(); c.secretKey = nil
        XCTAssertEqual(field(of: c), "secret_key")
        c = emulator.config(); c.usersig = "also"
        XCTAssertEqual(field(of: c), "secret_key")
        c = emulator.config(); c.region = "tokyo"
        XCTAssertEqual(field(of: c), "base_url")
        c = emulator.config(); c.baseUrl = nil; c.region = "mars"
        XCTAssertEqual(field(of: c), "region")
        c = emulator.config(); c.sdkappid = 4_294_967_296
        XCTAssertEqual(field(of: c), "sdkappid")
        c = emulator.config(); c.timeout = 0
        XCTAssertEqual(field(of: c), "timeout")
        c = emulator.config(); c.rateLimit = .perSecond(calls: -1)
        XCTAssertEqual(field(of: c), "rate_limit")
        c = emulator.config(); c.rateLimitRedisUrl = "rediss://:sw-pw@h:6380/0"
        XCTAssertEqual(field(of: c), "rate_limit_redis_url")
        c = emulator.config(); c.rateLimitRedisUrl = "redis://:sw-pw@h/0"; c.fleetSize = 0
        XCTAssertEqual(field(of: c), "fleet_size")
    }

    func testAnUnreachableRedisWithFailThrowsBeforeSending() async throws {
        var config = emulator.config()
        config.rateLimitRedisUrl = "redis://:sw-pw@127.0.0.1:1/0"
        config.redisFallback = .fail
        do {
            _ = try await client(config).getGroupMemberInfo(request: GetGroupMemberInfoRequest(groupId: Self.publicGroup))
            XCTFail("expected RateLimiterUnavailable")
        } catch TimAdminError.RateLimiterUnavailable(let detail) {
            XCTAssertTrue(detail.contains("redis://127.0.0.1:1/0"), detail)
            XCTAssertFalse(detail.contains("sw-pw"), detail)
        }
        let calls = try await emulator.callCount("get_group_member_info")
        XCTAssertEqual(calls, 0)
    }

    // ---- the three endpoints ----

    func testGetGroupMemberInfoReturnsEveryField() async throws {
        let page = try await client().getGroupMemberInfo(request: GetGroupMemberInfoRequest(groupId: Self.publicGroup))
        XCTAssertEqual(page.memberNum, 5)
        XCTAssertNil(page.next)
        let bob = try XCTUnwrap(page.memberList.first { $0.memberAccount == "bob" })
        XCTAssertEqual(bob.role, .owner)
        XCTAssertEqual(bob.joinTime, 1425976500)
        XCTAssertEqual(bob.nameCard, "Bob")
        XCTAssertEqual(bob.appMemberDefinedData?.first, KeyValue(key: "MemberDefined1", value: "ModifyDefined1"))
    }

    func testGetGroupMemberInfoAppliesFilters() async throws {
        let page = try await client().getGroupMemberInfo(request: GetGroupMemberInfoRequest(
            groupId: Self.publicGroup, memberInfoFilter: ["Role"], memberRoleFilter: ["Member"]))
        XCTAssertEqual(page.memberList.map(\.memberAccount), ["peter", "tommy", "carol"])
        XCTAssertTrue(page.memberList.allSatisfy { $0.role == .member && $0.joinTime == nil })
    }

    func testGetGroupMemberInfoOnACommunityUsesTheNextCursor() async throws {
        let c = try client()
        let first = try await c.getGroupMemberInfo(request: GetGroupMemberInfoRequest(groupId: Self.community, limit: 2, next: ""))
        XCTAssertEqual(first.memberList.map(\.memberAccount), ["owner", "mod"])
        let second = try await c.getGroupMemberInfo(request: GetGroupMemberInfoRequest(groupId: Self.community, limit: 2, next: first.next))
        XCTAssertEqual(second.memberList.map(\.memberAccount), ["m1", "m2"])
    }

    func testGetGroupMutedAccountForAGroupAndATopic() async throws {
        let c = try client()
        let group = try await muted(c)
        XCTAssertEqual(Set(group.mutedAccountList), [MutedAccount(memberAccount: "peter", mutedUntil: 4294967295), MutedAccount(memberAccount: "tommy", mutedUntil: 4102444800)])
        let topic = try await c.getGroupMutedAccount(request: GetGroupMutedAccountRequest(groupId: Self.community, topicId: "@TGS#_demo@TOPIC#_news"))
        XCTAssertEqual(topic.mutedAccountList, [MutedAccount(memberAccount: "m1", mutedUntil: 4294967295)])
    }

    func testModifyGroupBaseInfoChangesEveryField() async throws {
        try await client().modifyGroupBaseInfo(request: ModifyGroupBaseInfoRequest(
            groupId: Self.publicGroup, name: "Renamed from Swift", introduction: "intro", notification: "notice",
            faceUrl: "https://example.invalid/s.png", maxMemberNum: 500, applyJoinOption: .needPermission,
            shutUpAllMember: true, appDefinedData: [AppDefinedDataUpdate(key: "GroupTestData1", value: "changed"), AppDefinedDataUpdate(key: "GroupTestData2", value: nil)]))
        let state = try await emulator.group(Self.publicGroup)
        for expected in [#""Name":"Renamed from Swift""#, #""MaxMemberNum":500"#, #""ApplyJoinOption":"NeedPermission""#, #""ShutUpAllMember":"On""#, #"{"Key":"GroupTestData1","Value":"changed"}"#] {
            XCTAssertTrue(state.contains(expected), "\(expected) in \(state)")
        }
        XCTAssertFalse(state.contains("GroupTestData2"))
    }

    // ---- paging ----

    func testPagingAnOrdinaryGroupByOffsetYieldsEveryMemberOnce() async throws {
        try await emulator.generate("@TGS#2SWIFTBIG", "Public", 730)
        let pager = try client().members(groupId: "@TGS#2SWIFTBIG", options: PageOptions(pageSize: 100))
        XCTAssertEqual(pager.mode(), .offset)
        var seen: [String] = []
        while let page = try await pager.nextPage() { seen += page.members.map(\.memberAccount) }
        XCTAssertEqual(seen.count, 730)
        XCTAssertEqual(Set(seen).count, 730)
        XCTAssertTrue(pager.isDone())
        XCTAssertEqual(pager.fetched(), 730)
    }

    func testPagingACommunityByCursorYieldsEveryMemberOnce() async throws {
        try await emulator.generate("@TGS#_swift", "Community", 450)
        let pager = try client().members(groupId: "@TGS#_swift", options: PageOptions(pageSize: 500))
        XCTAssertEqual(pager.mode(), .cursor)
        XCTAssertEqual(pager.pageSize(), 100)
        var seen: [String] = []
        for try await member in pager.allMembers() { seen.append(member.memberAccount) }
        XCTAssertEqual(seen.count, 450)
        XCTAssertEqual(Set(seen).count, 450)
        let calls = try await emulator.callCount("get_group_member_info")
        XCTAssertEqual(calls, 5)
    }

    func testBadPagingOptionsAreRefused() throws {
        XCTAssertThrowsError(try client().members(groupId: Self.publicGroup, options: PageOptions(pageSize: 0))) { error in
            guard case TimAdminError.InvalidArgument(let field, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(field, "page_size")
        }
    }

    // ---- errors ----

    func testServiceErrorsAreTypedWithCodeAndKind() async throws {
        do {
            _ = try await client().getGroupMemberInfo(request: GetGroupMemberInfoRequest(groupId: "@TGS#2NOSUCHGROUP"))
            XCTFail("expected an error")
        } catch TimAdminError.Api(let code, _, let kind, _) {
            XCTAssertEqual(code, 10010)
            XCTAssertEqual(kind, "group_not_found")
        }
    }

    func testInvalidRequestsFailBeforeAnyNetworkCall() async throws {
        do {
            _ = try await client().getGroupMemberInfo(request: GetGroupMemberInfoRequest(groupId: ""))
            XCTFail("expected an error")
        } catch TimAdminError.InvalidArgument(let field, _) {
            XCTAssertEqual(field, "GroupId")
        }
        let calls = try await emulator.callCount("get_group_member_info")
        XCTAssertEqual(calls, 0)
    }

    func testTransientFaultsAreRetriedAndExhaustedRetriesAreTyped() async throws {
        try await emulator.fault(#"{"kind":"http_status","status":502,"times":2,"command":"get_group_muted_account"}"#)
        _ = try await muted(client())
        try await emulator.fault(#"{"kind":"http_status","status":502,"times":1,"command":"get_group_muted_account"}"#)
        do {
            _ = try await muted(client(emulator.config(maxRetries: 0)))
            XCTFail("expected an error")
        } catch TimAdminError.HttpStatus(let status, _) {
            XCTAssertEqual(status, 502)
        }
    }

    func testSlowAnswersTimeOut() async throws {
        try await emulator.fault(#"{"kind":"delay","millis":3000,"times":1,"command":"get_group_muted_account"}"#)
        do {
            _ = try await muted(client(emulator.config(maxRetries: 0, timeout: 0.3)))
            XCTFail("expected an error")
        } catch TimAdminError.Timeout(let after) {
            XCTAssertEqual(after, 0.3, accuracy: 0.001)
        }
    }

    // ---- UserSig ----

    func testUserSigsSignAndVerify() throws {
        let sig = try generateUsersig(sdkappid: emulator.sdkappid, secretKey: emulator.key, identifier: "alice", expire: 600)
        let claims = try verifyUsersig(sdkappid: emulator.sdkappid, secretKey: emulator.key, identifier: "alice", usersig: sig)
        XCTAssertEqual(claims.identifier, "alice")
        XCTAssertEqual(claims.expire, 600)
        XCTAssertEqual(claims.expiresAt(), claims.time + 600)
        XCTAssertNil(claims.userbuf)
        XCTAssertThrowsError(try verifyUsersig(sdkappid: emulator.sdkappid, secretKey: "other", identifier: "alice", usersig: sig)) { error in
            guard case TimAdminError.UserSig(let reason, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(reason, "signature_mismatch")
        }
    }

    func testAUserbufIsSignedAndVerified() throws {
        let userbuf = Data([0, 1, 2, 255])
        let sig = try generateUsersig(sdkappid: emulator.sdkappid, secretKey: emulator.key, identifier: "alice", expire: 600, userbuf: userbuf)
        XCTAssertEqual(try verifyUsersig(sdkappid: emulator.sdkappid, secretKey: emulator.key, identifier: "alice", usersig: sig).userbuf, userbuf)
        XCTAssertEqual(try verifyUsersig(sdkappid: emulator.sdkappid, secretKey: emulator.key, identifier: "alice", usersig: sig, userbuf: userbuf).userbuf, userbuf)
        XCTAssertThrowsError(try verifyUsersig(sdkappid: emulator.sdkappid, secretKey: emulator.key, identifier: "alice", usersig: sig, userbuf: Data([9]))) { error in
            guard case TimAdminError.UserSig(let reason, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(reason, "userbuf_mismatch")
        }
    }

    func testDecodeReadsTheClaimsWithoutTheKey() throws {
        let userbuf = Data([0, 1, 2, 255])
        let sig = try generateUsersig(sdkappid: emulator.sdkappid, secretKey: "a key nobody here has", identifier: "mallory", expire: 600, userbuf: userbuf)
        let claims: UnverifiedClaims = try decodeUsersig(usersig: sig)
        XCTAssertEqual(claims.identifier, "mallory")
        XCTAssertEqual(claims.sdkappid, emulator.sdkappid)
        XCTAssertEqual(claims.expire, 600)
        XCTAssertEqual(claims.userbuf, userbuf)
        XCTAssertEqual(claims.expiresAt(), claims.time + 600)
        XCTAssertThrowsError(try decodeUsersig(usersig: "garbage!!")) { error in
            guard case TimAdminError.UserSig(let reason, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(reason, "malformed")
        }
    }

    // ---- the UserSigProvider implemented in Swift ----

    func testTheProviderIsAskedOnceForManyCalls() async throws {
        let provider = CountingProvider(emulator)
        var config = emulator.config(); config.secretKey = nil; config.usersigProvider = provider
        let c = try client(config)
        for _ in 0..<5 { _ = try await muted(c) }
        XCTAssertEqual(provider.asked, 1)
    }

    func testARejectedUserSigMakesTheClientAskTheProviderAgain() async throws {
        let wrong = try generateUsersig(sdkappid: emulator.sdkappid, secretKey: "not-the-key", identifier: "administrator", expire: 3600)
        let provider = CountingProvider(emulator, firstAnswers: [wrong])
        var config = emulator.config(); config.secretKey = nil; config.usersigProvider = provider
        _ = try await muted(client(config))
        XCTAssertEqual(provider.asked, 2)
    }

    func testProviderFailuresAreCredentialsErrors() async throws {
        var config = emulator.config(); config.secretKey = nil; config.usersigProvider = FailingProvider()
        do {
            _ = try await muted(client(config))
            XCTFail("expected an error")
        } catch TimAdminError.Credentials(let detail) {
            XCTAssertTrue(detail.contains("the back end said no"), detail)
        }
    }

    // ---- concurrency and cancellation ----

    func testTwentyTasksInFlightTakeAboutOneCallsTime() async throws {
        try await emulator.fault(#"{"kind":"delay","millis":1000,"times":20,"command":"get_group_muted_account"}"#)
        let c = try client()
        let started = Date()
        try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await self.muted(c).groupId } }
            var n = 0
            for try await id in group { XCTAssertEqual(id, Self.publicGroup); n += 1 }
            XCTAssertEqual(n, 20)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 6)
    }

    func testCancellingTheTaskCancelsTheCall() async throws {
        try await emulator.fault(#"{"kind":"delay","millis":30000,"times":1,"command":"get_group_muted_account"}"#)
        let c = try client()
        let started = Date()
        let task = Task { try await self.muted(c) }
        try await Task.sleep(nanoseconds: 300_000_000)
        task.cancel()
        _ = await task.result
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        _ = try await muted(c)
    }
}
