package io.timadmin

import io.timadmin.core.*
import java.time.Duration
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** `assertThrows`, printing the exception as a user would see it (the leak sweep reads it). */
inline fun <reified T : Throwable> expectError(noinline block: () -> Unit): T {
    val e = assertThrows<T>(block)
    println("error shown to the user: $e")
    return e
}

/**
 * Hostile servers and hostile input (issue 11) from Kotlin: the emulator's `reply` and
 * `large_body` faults play the hostile server; every fix is the core's, surfaced as typed
 * `TimAdminException`s.
 */
class HostileServerTest {
    companion object {
        private lateinit var emulator: Emulator

        @JvmStatic
        @BeforeAll
        fun startEmulator() {
            uniffiEnsureInitialized()
            emulator = Emulator.start()
        }

        @JvmStatic
        @AfterAll
        fun stopEmulator() = emulator.close()

        const val PUBLIC = "@TGS#2DEMOPUB"
        /** Runs of at least this many characters of a secret must never be shown. */
        const val FRAGMENT = 16
        /** `$` for the emulator's `${USERSIG_PARTIAL}` placeholder inside Kotlin strings. */
        const val D = "$"
    }

    @BeforeEach
    fun resetEmulator() = emulator.reset()

    // Unit on purpose: JUnit 5 silently skips @Test methods that return a value.
    private fun run(block: suspend CoroutineScope.() -> Unit): Unit = runBlocking { withTimeout(60_000) { block() } }

    private fun noRetries(): ClientOptions = emulator.config(maxRetries = 0u)

    private suspend fun muted(c: TimAdminClient) = c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC))

    private suspend fun members(c: TimAdminClient, groupId: String = PUBLIC) =
        c.getGroupMemberInfo(GetGroupMemberInfoRequest(groupId = groupId))

    @Test
    fun bodiesOverTheLimitFailWithTheLimit() = run {
        emulator.fault("""{"kind":"large_body"}""")
        TimAdminClient(noRetries()).use { c ->
            val e = expectError<TimAdminException.BodyTooLarge> { runBlocking { muted(c) } }
            assertEquals(4_194_304uL, e.limit)
            assertTrue(e.message!!.contains("4194304"), e.message)
            emulator.fault("""{"kind":"large_body","bytes":1500000000,"content_length":true}""")
            expectError<TimAdminException.BodyTooLarge> { runBlocking { members(c) } }
        }
        TimAdminClient(noRetries().copy(maxResponseBytes = 1024uL)).use { c ->
            val e = expectError<TimAdminException.BodyTooLarge> { runBlocking { members(c) } }
            assertEquals(1024uL, e.limit)
        }
        emulator.fault("""{"kind":"large_body","bytes":5242880}""")
        TimAdminClient(noRetries().copy(maxResponseBytes = 8uL * 1024uL * 1024uL)).use { c ->
            assertEquals("@TGS#large", muted(c).groupId)
        }
    }

    @Test
    fun emptyAnswersAreDecodeErrorsNamingWhatIsMissing() = run {
        TimAdminClient(noRetries()).use { c ->
            emulator.fault("""{"kind":"reply","body":"{\"ActionStatus\":\"OK\"}"}""")
            val e = expectError<TimAdminException.Decode> { runBlocking { members(c) } }
            assertTrue(e.reason.contains("ErrorCode"), e.reason)
            emulator.fault("""{"kind":"reply","body":"{\"ActionStatus\":\"OK\",\"ErrorCode\":0}"}""")
            val m = expectError<TimAdminException.Decode> { runBlocking { muted(c) } }
            assertTrue(m.reason.contains("GroupId or MutedAccountList"), m.reason)
            emulator.fault("""{"kind":"reply","body":"{}"}""")
            expectError<TimAdminException.Decode> { runBlocking { members(c) } }
            // The emulator's own answers decode.
            assertEquals(5uL, members(c).memberNum)
        }
    }

    @Test
    fun badValuesAreRefusedBeforeTheNetwork() = run {
        TimAdminClient(noRetries()).use { c ->
            for (id in listOf("@TGS#\u0000x", "@TGS#1\n", "g".repeat(1 shl 20))) {
                val e = expectError<TimAdminException.InvalidArgument> { runBlocking { members(c, id) } }
                assertEquals("GroupId", e.field)
            }
        }
        fun field(config: ClientOptions): String =
            expectError<TimAdminException.InvalidArgument> { TimAdminClient(config) }.field
        assertEquals("identifier", field(noRetries().copy(identifier = "admin\nistrator")))
        assertEquals("identifier", field(noRetries().copy(identifier = "admin\u0000")))
        assertEquals("sdkappid", field(noRetries().copy(sdkappid = 4_294_967_296uL)))
        assertEquals("max_in_flight", field(noRetries().copy(maxInFlight = 0u)))
        assertEquals("max_response_bytes", field(noRetries().copy(maxResponseBytes = 0uL)))
        assertEquals("[]", emulator.calls().trim())
    }

    @Test
    fun clearTextHttpIsRefusedUnlessAllowed() {
        // Construction fails before any connection: these hosts are never contacted.
        for (url in listOf("http://203.0.113.7", "http://10.0.0.1:8080")) {
            val e = expectError<TimAdminException.InvalidArgument> { TimAdminClient(noRetries().copy(baseUrl = url)) }
            assertEquals("base_url", e.field)
            assertTrue(e.reason.contains("allow_insecure_http"), e.reason)
            TimAdminClient(noRetries().copy(baseUrl = url, allowInsecureHttp = true)).close()
        }
    }

    @Test
    fun redirectsAreNotFollowed() = run {
        TimAdminClient(noRetries()).use { c ->
            for (status in listOf(302, 307)) {
                emulator.reset()
                val target = "${emulator.baseUrl}/v4/group_open_http_svc/get_group_muted_account"
                emulator.fault("""{"kind":"reply","status":$status,"location":"$target"}""")
                val e = expectError<TimAdminException.HttpStatus> { runBlocking { muted(c) } }
                assertEquals(status.toUShort(), e.status)
                assertEquals(1, emulator.callCount("get_group_muted_account"))
            }
        }
    }

    @Test
    fun callsInFlightAreCappedPerClient() = run {
        // Four coroutines, each answer delayed 250 ms, one call on the wire at a time.
        emulator.fault("""{"kind":"delay","millis":250,"times":4,"command":"get_group_muted_account"}""")
        TimAdminClient(noRetries().copy(maxInFlight = 1u)).use { c ->
            val started = System.nanoTime()
            (1..4).map { async { muted(c) } }.awaitAll()
            val elapsed = Duration.ofNanos(System.nanoTime() - started)
            assertTrue(elapsed >= Duration.ofMillis(950), "elapsed $elapsed")
        }
    }

    @Test
    fun echoedFragmentsOfTheUserSigAreRedacted() = run {
        val usersig = generateUsersig(emulator.sdkappid, emulator.key, emulator.identifier, 3600uL)
        val config = ClientOptions(sdkappid = emulator.sdkappid, usersig = usersig, baseUrl = emulator.baseUrl, maxRetries = 0u)
        val shown = StringBuilder()
        TimAdminClient(config).use { c ->
            for (fault in listOf(
                """{"kind":"reply","body":"{\"ActionStatus\":\"FAIL\",\"ErrorCode\":10004,\"ErrorInfo\":\"bad $D{USERSIG_PARTIAL}\"}"}""",
                """{"kind":"reply","body":"{\"ActionStatus\":\"OK\",\"ErrorCode\":0,\"GroupId\":1,\"X\":\"$D{USERSIG}\"}"}""",
                """{"kind":"reply","status":502,"body":"<html>$D{USERSIG_PARTIAL}</html>"}""",
            )) {
                emulator.fault(fault)
                val e = expectError<TimAdminException> { runBlocking { muted(c) } }
                shown.append(e.toString()).append('\n')
                when (e) {
                    is TimAdminException.Api -> shown.append(e.info)
                    is TimAdminException.Decode -> shown.append(e.reason).append(e.excerpt)
                    is TimAdminException.HttpStatus -> shown.append(e.excerpt)
                    else -> {}
                }
            }
        }
        assertTrue(shown.contains("[redacted]"), shown.toString())
        for (start in 0..usersig.length - FRAGMENT) {
            assertFalse(shown.contains(usersig.substring(start, start + FRAGMENT)), shown.toString())
        }
    }
}
