package io.timadmin

import io.timadmin.core.*
import java.time.Duration
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** A provider as an app writes one: asks "its back end" (here: signs with the emulator's key). */
class CountingProvider(
    private val emulator: Emulator,
    private val expire: ULong = 86_400uL,
    private val firstAnswers: MutableList<String> = mutableListOf(),
) : UserSigProvider {
    val asked = AtomicInteger(0)

    override suspend fun usersig(): String {
        asked.incrementAndGet()
        delay(5) // a real suspension, as a network call to the app's back end would be
        synchronized(firstAnswers) { if (firstAnswers.isNotEmpty()) return firstAnswers.removeAt(0) }
        return generateUsersig(emulator.sdkappid, emulator.key, emulator.identifier, expire)
    }
}

class TimAdminClientTest {
    companion object {
        private lateinit var emulator: Emulator

        @JvmStatic
        @BeforeAll
        fun startEmulator() {
            // Runs the generated code's checksum checks: stale bindings fail here, loudly.
            uniffiEnsureInitialized()
            emulator = Emulator.start()
        }

        @JvmStatic
        @AfterAll
        fun stopEmulator() = emulator.close()

        const val PUBLIC = "@TGS#2DEMOPUB"
        const val COMMUNITY = "@TGS#_demo"
    }

    @BeforeEach
    fun resetEmulator() = emulator.reset()

    // Unit on purpose: JUnit 5 silently skips @Test methods that return a value.
    private fun run(block: suspend CoroutineScope.() -> Unit): Unit = runBlocking { withTimeout(60_000) { block() } }

    private fun client(config: ClientOptions = emulator.config()): TimAdminClient = TimAdminClient(config)

    // ---- configuration ----

    @Test
    fun clientReportsItsAppAndDefaultIdentifier() {
        client().use { c ->
            assertEquals(emulator.sdkappid, c.sdkappid())
            assertEquals("administrator", c.identifier())
        }
        client(emulator.config().copy(identifier = "ops")).use { assertEquals("ops", it.identifier()) }
    }

    @Test
    fun badConfigurationsAreRefusedWithTheSetting() {
        fun field(config: ClientOptions): String =
            assertThrows<TimAdminException.InvalidArgument> { TimAdminClient(config) }.field
        val ok = emulator.config()
        assertEquals("secret_key", field(ok.copy(secretKey = null)))
        assertEquals("secret_key", field(ok.copy(usersig = "also-a-usersig")))
        assertEquals("base_url", field(ok.copy(region = "tokyo")))
        assertEquals("region", field(ok.copy(baseUrl = null, region = "mars")))
        assertEquals("base_url", field(ok.copy(baseUrl = "ftp://127.0.0.1")))
        assertEquals("sdkappid", field(ok.copy(sdkappid = 0uL)))
        assertEquals("sdkappid", field(ok.copy(sdkappid = 4_294_967_296uL)))
        assertEquals("identifier", field(ok.copy(identifier = " ")))
        assertEquals("timeout", field(ok.copy(timeout = Duration.ZERO)))
        assertEquals("rate_limit", field(ok.copy(rateLimit = RateLimit.PerSecond(-1.0))))
        assertEquals("usersig_lifetime", field(ok.copy(usersigLifetime = Duration.ofSeconds(5))))
    }

    @Test
    fun everySettingIsAccepted() = run {
        val config = emulator.config(maxRetries = 0u, timeout = Duration.ofSeconds(5)).copy(
            identifier = "administrator",
            rateLimit = RateLimit.Off,
            usersigLifetime = Duration.ofHours(1),
        )
        client(config).use { c ->
            assertEquals(PUBLIC, c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC)).groupId)
        }
        client(emulator.config().copy(rateLimit = RateLimit.PerSecond(50.0))).use { c ->
            c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC))
        }
        TimAdminClient(ClientOptions(sdkappid = 1400000000uL, secretKey = "k", region = "singapore")).close()
    }

    // ---- a rate limit shared by a fleet (Redis) ----

    @Test
    fun fleetSettingsAreCheckedAndNeverShowThePassword() {
        fun invalid(config: ClientOptions): TimAdminException.InvalidArgument =
            assertThrows<TimAdminException.InvalidArgument> { TimAdminClient(config) }
        val ok = emulator.config()
        for ((config, setting) in listOf(
            ok.copy(rateLimitRedisUrl = "rediss://:kt-pw-3@h:6380/0") to "rate_limit_redis_url",
            ok.copy(rateLimitRedisUrl = "kt-pw-3") to "rate_limit_redis_url",
            ok.copy(rateLimitRedisUrl = "redis://:kt-pw-3@h/0", rateLimit = RateLimit.Off) to "rate_limit_redis_url",
            ok.copy(rateLimitRedisUrl = "redis://:kt-pw-3@h/0", fleetSize = 0u) to "fleet_size",
        )) {
            val e = invalid(config)
            assertEquals(setting, e.field)
            assertFalse(e.message.orEmpty().contains("kt-pw-3"), e.message)
        }
    }

    @Test
    fun aFleetSharesTheLimitThroughRedis() = run {
        RedisServer.start("kt-pw-3").use { redis ->
            emulator.generate("@TGS#_ktfleet", "Community", 450)
            val config = emulator.config().copy(
                rateLimitRedisUrl = redis.url,
                fleetSize = 3u,
                redisFallback = RedisFallback.FAIL,
            )
            val before = redis.scriptsRun()
            client(config).use { c -> assertEquals(450, c.members("@TGS#_ktfleet").asFlow().toList().size) }
            assertTrue(redis.scriptsRun() - before >= 5, "every page took a permit from Redis")
        }
    }

    @Test
    fun anUnreachableRedisFailsCallsOrFallsBack() = run {
        val dead = "redis://:kt-pw-3@127.0.0.1:${java.net.ServerSocket(0).use { it.localPort }}/0"
        client(emulator.config().copy(rateLimitRedisUrl = dead, redisFallback = RedisFallback.FAIL)).use { c ->
            val e = assertThrows<TimAdminException.RateLimiterUnavailable> {
                runBlocking { c.getGroupMemberInfo(GetGroupMemberInfoRequest(groupId = PUBLIC)) }
            }
            assertTrue(e.detail.contains("redis://127.0.0.1:"), e.detail)
            assertFalse(e.detail.contains("kt-pw-3"), e.detail)
        }
        assertEquals(0, emulator.callCount("get_group_member_info"), "nothing was sent")
        // The default fallback: this process's share of the budget, calls go through.
        client(emulator.config().copy(rateLimitRedisUrl = dead, fleetSize = 4u)).use { c ->
            assertEquals(5uL, c.getGroupMemberInfo(GetGroupMemberInfoRequest(groupId = PUBLIC)).memberNum)
        }
    }

    // ---- the three endpoints ----

    @Test
    fun getGroupMemberInfoReturnsEveryField() = run {
        client().use { c ->
            val page = c.getGroupMemberInfo(GetGroupMemberInfoRequest(groupId = PUBLIC))
            assertEquals(5uL, page.memberNum)
            assertNull(page.next, "ordinary groups carry no Next")
            val bob = page.memberList.first { it.memberAccount == "bob" }
            assertEquals(Role.Owner, bob.role)
            assertEquals(1425976500uL, bob.joinTime)
            assertEquals(1233uL, bob.msgSeq)
            assertEquals("AcceptAndNotify", bob.msgFlag)
            assertEquals(1425976500uL, bob.lastSendMsgTime)
            assertEquals(0uL, bob.muteUntil)
            assertEquals("Bob", bob.nameCard)
            assertEquals(
                listOf(KeyValue("MemberDefined1", "ModifyDefined1"), KeyValue("MemberDefined2", "ModifyDefined2")),
                bob.appMemberDefinedData,
            )
            assertEquals(Role.Member, page.memberList.first { it.memberAccount == "peter" }.role, "\"Member \" is parsed leniently")
            assertEquals(listOf("Owner", "Admin", "Member"), page.memberList.take(3).map { it.role?.restName })
        }
    }

    @Test
    fun getGroupMemberInfoAppliesFiltersLimitAndOffset() = run {
        client().use { c ->
            val filtered = c.getGroupMemberInfo(
                GetGroupMemberInfoRequest(
                    groupId = PUBLIC,
                    memberInfoFilter = listOf("Role", "NameCard"),
                    memberRoleFilter = listOf("Member"),
                    appDefinedDataFilterGroupMember = listOf("MemberDefined2"),
                ),
            )
            assertEquals(listOf("peter", "tommy", "carol"), filtered.memberList.map { it.memberAccount })
            filtered.memberList.forEach {
                assertEquals(Role.Member, it.role)
                assertNull(it.joinTime, "JoinTime was not asked for")
            }
            val alice = c.getGroupMemberInfo(
                GetGroupMemberInfoRequest(groupId = PUBLIC, appDefinedDataFilterGroupMember = listOf("MemberDefined2"), limit = 1u, offset = 1uL),
            ).memberList.single()
            assertEquals("alice", alice.memberAccount)
            assertEquals(listOf(KeyValue("MemberDefined2", "AliceDefined2")), alice.appMemberDefinedData)
        }
    }

    @Test
    fun getGroupMemberInfoOnACommunityUsesTheNextCursor() = run {
        client().use { c ->
            val first = c.getGroupMemberInfo(GetGroupMemberInfoRequest(groupId = COMMUNITY, limit = 2u, next = ""))
            assertEquals(listOf("owner", "mod"), first.memberList.map { it.memberAccount })
            val cursor = first.next ?: error("a community page carries Next")
            assertTrue(cursor.isNotEmpty())
            val second = c.getGroupMemberInfo(GetGroupMemberInfoRequest(groupId = COMMUNITY, limit = 2u, next = cursor))
            assertEquals(listOf("m1", "m2"), second.memberList.map { it.memberAccount })
            // The first page needs no cursor: the core sends Next "" for a community group.
            val noCursor = c.getGroupMemberInfo(GetGroupMemberInfoRequest(groupId = COMMUNITY, limit = 2u))
            assertEquals(first.memberList, noCursor.memberList)
            val wrongMode = assertThrows<TimAdminException.InvalidArgument> {
                runBlocking { c.getGroupMemberInfo(GetGroupMemberInfoRequest(groupId = PUBLIC, next = "")) }
            }
            assertEquals("Next", wrongMode.field)
        }
    }

    @Test
    fun getGroupMutedAccountForAGroupAndATopic() = run {
        client().use { c ->
            val group = c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC))
            assertEquals(PUBLIC, group.groupId)
            assertEquals(
                setOf(MutedAccount("peter", 4294967295uL), MutedAccount("tommy", 4102444800uL)),
                group.mutedAccountList.toSet(),
            )
            val topic = c.getGroupMutedAccount(GetGroupMutedAccountRequest(COMMUNITY, topicId = "@TGS#_demo@TOPIC#_news"))
            assertEquals(listOf(MutedAccount("m1", 4294967295uL)), topic.mutedAccountList)
        }
    }

    @Test
    fun modifyGroupBaseInfoChangesEveryField() = run {
        client().use { c ->
            c.modifyGroupBaseInfo(
                ModifyGroupBaseInfoRequest(
                    groupId = PUBLIC,
                    name = "Renamed from Kotlin",
                    introduction = "intro",
                    notification = "notice",
                    faceUrl = "https://example.invalid/k.png",
                    maxMemberNum = 500u,
                    applyJoinOption = ApplyJoinOption.NEED_PERMISSION,
                    shutUpAllMember = true,
                    appDefinedData = listOf(AppDefinedDataUpdate("GroupTestData1", "changed"), AppDefinedDataUpdate("GroupTestData2", null)),
                ),
            )
        }
        val state = emulator.group(PUBLIC)
        for (expected in listOf(
            "\"Name\":\"Renamed from Kotlin\"", "\"Introduction\":\"intro\"", "\"Notification\":\"notice\"",
            "\"FaceUrl\":\"https://example.invalid/k.png\"", "\"MaxMemberNum\":500", "\"ApplyJoinOption\":\"NeedPermission\"",
            "\"ShutUpAllMember\":\"On\"", "{\"Key\":\"GroupTestData1\",\"Value\":\"changed\"}",
        )) {
            assertTrue(state.contains(expected), "$expected in $state")
        }
        assertFalse(state.contains("GroupTestData2"), "a null value deletes the key")
    }

    // ---- paging ----

    @Test
    fun pagingAnOrdinaryGroupByOffsetYieldsEveryMemberOnce() = run {
        emulator.generate("@TGS#2KOTLINBIG", "Public", 730)
        client().use { c ->
            val pager = c.members("@TGS#2KOTLINBIG", PageOptions(pageSize = 100u))
            assertEquals(PagingMode.OFFSET, pager.mode())
            val seen = mutableListOf<String>()
            var pages = 0
            while (true) {
                val page = pager.nextPage() ?: break
                pages++
                assertEquals(730uL, page.memberNum)
                seen += page.members.map { it.memberAccount }
            }
            assertEquals(8, pages)
            assertEquals(730, seen.size)
            assertEquals(730, seen.toSet().size, "every member exactly once")
            assertTrue(pager.isDone())
            assertEquals(730uL, pager.fetched())
            assertEquals(730uL, pager.memberNum())
            assertNull(pager.nextPage(), "an exhausted pager stays exhausted")
        }
    }

    @Test
    fun pagingACommunityByCursorYieldsEveryMemberOnce() = run {
        emulator.generate("@TGS#_kotlin", "Community", 450)
        client().use { c ->
            val pager = c.members("@TGS#_kotlin", PageOptions(pageSize = 500u))
            assertEquals(PagingMode.CURSOR, pager.mode())
            assertEquals(100u, pager.pageSize(), "community pages are at most 100")
            val seen = pager.asFlow().toList().map { it.memberAccount }
            assertEquals(450, seen.size)
            assertEquals(450, seen.toSet().size, "every member exactly once")
            assertEquals(5, emulator.callCount("get_group_member_info"))
        }
    }

    @Test
    fun pagingWithDefaultsAndFiltersThroughFlows() = run {
        emulator.generate("@TGS#2KOTLINFLT", "Public", 250)
        client().use { c ->
            val pages = c.members("@TGS#2KOTLINFLT").pages().toList()
            assertEquals(listOf(100, 100, 50), pages.map { it.members.size }, "default page size 100")
            val owners = c.members(PUBLIC, PageOptions(memberRoleFilter = listOf("Owner"), memberInfoFilter = listOf("Role")))
                .asFlow().toList()
            assertEquals(listOf("bob"), owners.map { it.memberAccount })
            assertNull(owners.single().joinTime)
        }
    }

    @Test
    fun pagingHalvesThePageWhenTheServiceSaysTooLarge() = run {
        emulator.generate("@TGS#2KOTLIN18", "Public", 120)
        emulator.fault("""{"kind":"error_code","code":10018,"times":1,"command":"get_group_member_info"}""")
        client().use { c ->
            val pager = c.members("@TGS#2KOTLIN18", PageOptions(pageSize = 100u))
            val members = pager.asFlow().toList()
            assertEquals(120, members.map { it.memberAccount }.toSet().size)
            assertEquals(50u, pager.pageSize())
        }
    }

    @Test
    fun pageOptionsDefaultToTheCoresPageSize() {
        client().use { c ->
            // `members(g)` without options takes the core's PageOptions::default().
            assertEquals(c.members("@TGS#2ANY").pageSize(), PageOptions().pageSize)
            assertEquals(c.members("@TGS#2ANY", PageOptions()).pageSize(), c.members("@TGS#2ANY").pageSize())
        }
    }

    @Test
    fun badPagingOptionsAreRefused() {
        client().use { c ->
            val e = assertThrows<TimAdminException.InvalidArgument> { c.members(PUBLIC, PageOptions(pageSize = 0u)) }
            assertEquals("page_size", e.field)
            assertThrows<TimAdminException.InvalidArgument> { c.members("") }
        }
    }

    // ---- errors ----

    @Test
    fun serviceErrorsAreTypedWithCodeAndKind() = run {
        client().use { c ->
            val e = assertThrows<TimAdminException.Api> {
                runBlocking { c.getGroupMemberInfo(GetGroupMemberInfoRequest(groupId = "@TGS#2NOSUCHGROUP")) }
            }
            assertEquals(10010L, e.code)
            assertEquals("group_not_found", e.kind)
            assertTrue(e.description.isNotEmpty())
            assertTrue(e.message!!.contains("10010"))
        }
    }

    @Test
    fun invalidRequestsFailBeforeAnyNetworkCall() = run {
        client().use { c ->
            val empty = assertThrows<TimAdminException.InvalidArgument> {
                runBlocking { c.getGroupMemberInfo(GetGroupMemberInfoRequest(groupId = "")) }
            }
            assertEquals("GroupId", empty.field)
            val tooLong = assertThrows<TimAdminException.InvalidArgument> {
                runBlocking { c.modifyGroupBaseInfo(ModifyGroupBaseInfoRequest(groupId = PUBLIC, name = "x".repeat(31))) }
            }
            assertEquals("Name", tooLong.field)
            assertThrows<TimAdminException.InvalidArgument> {
                runBlocking { c.getGroupMemberInfo(GetGroupMemberInfoRequest(groupId = PUBLIC, limit = 0u)) }
            }
        }
        assertEquals(0, emulator.callCount("get_group_member_info"))
        assertEquals(0, emulator.callCount("modify_group_base_info"))
    }

    @Test
    fun transientFaultsAreRetriedAndExhaustedRetriesAreTyped() = run {
        emulator.fault("""{"kind":"http_status","status":502,"times":2,"command":"get_group_muted_account"}""")
        client().use { c -> assertEquals(PUBLIC, c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC)).groupId) }
        emulator.fault("""{"kind":"http_status","status":502,"times":1,"command":"get_group_muted_account"}""")
        client(emulator.config(maxRetries = 0u)).use { c ->
            val e = assertThrows<TimAdminException.HttpStatus> { runBlocking { c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC)) } }
            assertEquals(502.toUShort(), e.status)
        }
        emulator.fault("""{"kind":"error_code","code":10002,"times":1,"command":"get_group_muted_account"}""")
        client(emulator.config(maxRetries = 0u)).use { c ->
            val e = assertThrows<TimAdminException.Api> { runBlocking { c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC)) } }
            assertEquals("internal_error", e.kind)
        }
        emulator.fault("""{"kind":"truncated_body","times":1,"command":"get_group_muted_account"}""")
        client(emulator.config(maxRetries = 0u)).use { c ->
            assertThrows<TimAdminException> { runBlocking { c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC)) } }
        }
    }

    @Test
    fun slowAnswersTimeOutAndDeadServersAreTransportErrors() = run {
        emulator.fault("""{"kind":"delay","millis":3000,"times":1,"command":"get_group_muted_account"}""")
        client(emulator.config(maxRetries = 0u, timeout = Duration.ofMillis(300))).use { c ->
            val e = assertThrows<TimAdminException.Timeout> { runBlocking { c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC)) } }
            assertEquals(Duration.ofMillis(300), e.after)
        }
        val dead = emulator.config(maxRetries = 0u).copy(baseUrl = "http://127.0.0.1:1")
        client(dead).use { c ->
            assertThrows<TimAdminException.Transport> { runBlocking { c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC)) } }
        }
    }

    @Test
    fun noSecretAppearsInAnyErrorMessage() = run {
        val messages = mutableListOf<String>()
        val usersig = generateUsersig(emulator.sdkappid, emulator.key, "administrator", 3600uL)
        emulator.fault("""{"kind":"error_code","code":70009,"info":"bad sig","times":1}""")
        client(emulator.config(maxRetries = 0u).copy(secretKey = null, usersig = usersig)).use { c ->
            messages += assertThrows<TimAdminException> { runBlocking { c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC)) } }.message!!
        }
        emulator.fault("""{"kind":"http_status","status":500,"times":1}""")
        client(emulator.config(maxRetries = 0u)).use { c ->
            messages += assertThrows<TimAdminException> { runBlocking { c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC)) } }.message!!
        }
        messages += assertThrows<TimAdminException> { TimAdminClient(emulator.config().copy(region = "x")) }.message!!
        messages += assertThrows<TimAdminException> { verifyUsersig(emulator.sdkappid, "wrong-key", "administrator", usersig) }.message!!
        assertEquals(4, messages.size)
        for (m in messages) {
            assertFalse(m.contains(emulator.key), "secret key in: $m")
            assertFalse(m.contains(usersig), "UserSig in: $m")
        }
    }

    // ---- UserSig ----

    @Test
    fun userSigsSignAndVerify() {
        val sig = generateUsersig(emulator.sdkappid, emulator.key, "alice", 600uL)
        val claims = verifyUsersig(emulator.sdkappid, emulator.key, "alice", sig)
        assertEquals("alice", claims.identifier)
        assertEquals(emulator.sdkappid, claims.sdkappid)
        assertEquals(600uL, claims.expire)
        assertEquals(claims.time + 600uL, claims.expiresAt())
        assertEquals("signature_mismatch", assertThrows<TimAdminException.UserSig> { verifyUsersig(emulator.sdkappid, "other-key", "alice", sig) }.reason)
        assertEquals("identifier_mismatch", assertThrows<TimAdminException.UserSig> { verifyUsersig(emulator.sdkappid, emulator.key, "bob", sig) }.reason)
        assertEquals("malformed", assertThrows<TimAdminException.UserSig> { verifyUsersig(emulator.sdkappid, emulator.key, "alice", "not a token") }.reason)
        assertThrows<TimAdminException.UserSig> { generateUsersig(emulator.sdkappid, "", "alice", 600uL) }
    }

    @Test
    fun aUserbufIsSignedAndVerified() {
        val userbuf = byteArrayOf(0, 1, 2, -1, 'k'.code.toByte())
        val sig = generateUsersig(emulator.sdkappid, emulator.key, "alice", expire = 600uL, userbuf = userbuf)
        val claims = verifyUsersig(emulator.sdkappid, emulator.key, "alice", sig)
        assertTrue(userbuf.contentEquals(claims.userbuf), "the token carries the userbuf")
        assertTrue(userbuf.contentEquals(verifyUsersig(emulator.sdkappid, emulator.key, "alice", sig, userbuf = userbuf).userbuf))
        val other = byteArrayOf(9)
        assertEquals("userbuf_mismatch", assertThrows<TimAdminException.UserSig> { verifyUsersig(emulator.sdkappid, emulator.key, "alice", sig, userbuf = other) }.reason)
        val plain = generateUsersig(emulator.sdkappid, emulator.key, "alice", 600uL)
        assertNull(verifyUsersig(emulator.sdkappid, emulator.key, "alice", plain).userbuf)
        assertEquals("userbuf_mismatch", assertThrows<TimAdminException.UserSig> { verifyUsersig(emulator.sdkappid, emulator.key, "alice", plain, userbuf = userbuf) }.reason)
    }

    @Test
    fun aPreSignedUserSigIsUsedAsIs() = run {
        val usersig = generateUsersig(emulator.sdkappid, emulator.key, "administrator", 3600uL)
        client(emulator.config().copy(secretKey = null, usersig = usersig)).use { c ->
            assertEquals(PUBLIC, c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC)).groupId)
        }
    }

    // ---- the UserSigProvider implemented in Kotlin ----

    @Test
    fun theProviderIsAskedOnceForManyCalls() = run {
        val provider = CountingProvider(emulator)
        client(emulator.config().copy(secretKey = null, usersigProvider = provider)).use { c ->
            repeat(5) { c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC)) }
            (1..10).map { async { c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC)) } }.awaitAll()
        }
        assertEquals(1, provider.asked.get())
    }

    @Test
    fun aRejectedUserSigMakesTheClientAskTheProviderAgain() = run {
        val wrong = generateUsersig(emulator.sdkappid, "not-the-key", "administrator", 3600uL)
        val provider = CountingProvider(emulator, firstAnswers = mutableListOf(wrong))
        client(emulator.config().copy(secretKey = null, usersigProvider = provider)).use { c ->
            assertEquals(PUBLIC, c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC)).groupId)
        }
        assertEquals(2, provider.asked.get(), "asked, rejected with 70009, asked again")
    }

    @Test
    fun theProviderIsAskedAgainBeforeItsTokenExpires() = run {
        val provider = CountingProvider(emulator, expire = 4uL)
        client(emulator.config().copy(secretKey = null, usersigProvider = provider)).use { c ->
            c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC))
            c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC))
            assertEquals(1, provider.asked.get())
            delay(3_200) // past three quarters of the 4 s token
            c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC))
            assertEquals(2, provider.asked.get())
        }
    }

    @Test
    fun providerFailuresAreCredentialsErrors() = run {
        val typed = object : UserSigProvider {
            override suspend fun usersig(): String = throw TimAdminException.Credentials("the back end said no")
        }
        client(emulator.config().copy(secretKey = null, usersigProvider = typed)).use { c ->
            val e = assertThrows<TimAdminException.Credentials> { runBlocking { c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC)) } }
            assertTrue(e.detail.contains("the back end said no"), e.detail)
        }
        val unexpected = object : UserSigProvider {
            override suspend fun usersig(): String = throw IllegalStateException("offline")
        }
        client(emulator.config().copy(secretKey = null, usersigProvider = unexpected)).use { c ->
            assertThrows<TimAdminException.Credentials> { runBlocking { c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC)) } }
        }
        val empty = object : UserSigProvider {
            override suspend fun usersig(): String = ""
        }
        client(emulator.config().copy(secretKey = null, usersigProvider = empty)).use { c ->
            assertThrows<TimAdminException.Credentials> { runBlocking { c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC)) } }
        }
        assertEquals(0, emulator.callCount("get_group_muted_account"))
    }

    // ---- concurrency and cancellation ----

    @Test
    fun twentyCoroutinesInFlightTakeAboutOneCallsTime() = run {
        emulator.fault("""{"kind":"delay","millis":1000,"times":20,"command":"get_group_muted_account"}""")
        client().use { c ->
            c.sdkappid()
            val started = System.nanoTime()
            val results = (1..20).map { async { c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC)) } }.awaitAll()
            val millis = (System.nanoTime() - started) / 1_000_000
            assertEquals(20, results.size)
            assertTrue(results.all { it.groupId == PUBLIC })
            // Serialised calls would take 20 s; concurrent ones about 1 s.
            assertTrue(millis < 6_000, "20 delayed calls took $millis ms: they did not run concurrently")
            println("20 concurrent calls of a 1 s endpoint took $millis ms")
        }
    }

    @Test
    fun cancellingTheCoroutineCancelsTheCall() = run {
        emulator.fault("""{"kind":"delay","millis":30000,"times":1,"command":"get_group_muted_account"}""")
        client().use { c ->
            val started = System.nanoTime()
            assertThrows<TimeoutCancellationException> {
                runBlocking { withTimeout(300) { c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC)) } }
            }
            val millis = (System.nanoTime() - started) / 1_000_000
            assertTrue(millis < 5_000, "cancellation took $millis ms")
            // The client is still usable after a cancelled call.
            assertEquals(PUBLIC, c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC)).groupId)
        }
    }

    @Test
    fun aCancelledPagerCanResumeFromTheSamePage() = run {
        emulator.generate("@TGS#_kotlinresume", "Community", 250)
        client().use { c ->
            val pager = c.members("@TGS#_kotlinresume")
            val first = pager.nextPage()!!.members.map { it.memberAccount }
            emulator.fault("""{"kind":"delay","millis":30000,"times":1,"command":"get_group_member_info"}""")
            assertThrows<TimeoutCancellationException> { runBlocking { withTimeout(300) { pager.nextPage() } } }
            val rest = pager.asFlow().toList().map { it.memberAccount }
            assertEquals(250, (first + rest).size)
            assertEquals(250, (first + rest).toSet().size)
        }
    }
}
