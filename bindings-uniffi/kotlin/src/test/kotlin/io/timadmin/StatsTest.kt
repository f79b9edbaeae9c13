package io.timadmin

import io.timadmin.core.*
import java.math.BigDecimal
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** `statsJson()`: the core's per-client stats document, counted against the emulator. */
class StatsTest {
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
        const val MISSING = "@TGS#_nobody_here"
    }

    @BeforeEach
    fun resetEmulator() = emulator.reset()

    private fun run(block: suspend kotlinx.coroutines.CoroutineScope.() -> Unit): Unit =
        runBlocking { withTimeout(60_000) { block() } }

    @Suppress("UNCHECKED_CAST")
    private fun stats(c: TimAdminClient): Map<String, Any?> = Json.parse(c.statsJson()) as Map<String, Any?>

    @Suppress("UNCHECKED_CAST")
    private fun command(stats: Map<String, Any?>, name: String): Map<String, Any?> =
        (stats["commands"] as Map<String, Any?>)[name] as Map<String, Any?>

    private fun number(value: Any?): BigDecimal = value as BigDecimal

    @Suppress("UNCHECKED_CAST")
    private fun assertLatencyOrdered(command: Map<String, Any?>) {
        val l = command["latency_ms"] as Map<String, Any?>
        val (p50, p99, max) = listOf("p50", "p99", "max").map { number(l[it]) }
        assertTrue(p50.signum() > 0 && p50 <= p99 && p99 <= max, "latency $l")
    }

    @Test
    fun statsCountCallsErrorsAndRetriesPerCommand() = run {
        TimAdminClient(emulator.config(maxRetries = 2u)).use { c ->
            assertEquals("""{"commands":{},"in_flight":0,"peak_in_flight":0}""", c.statsJson())
            repeat(3) { c.getGroupMemberInfo(GetGroupMemberInfoRequest(groupId = PUBLIC)) }
            val e = assertThrows<TimAdminException.Api> {
                runBlocking { c.getGroupMemberInfo(GetGroupMemberInfoRequest(groupId = MISSING)) }
            }
            assertEquals(10010L, e.code)
            emulator.fault("""{"kind":"http_status","status":502,"times":1,"command":"get_group_muted_account"}""")
            c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC))

            val s = stats(c)
            val info = command(s, "get_group_member_info")
            assertEquals(listOf(4, 3, 0), listOf("calls", "ok", "retries").map { number(info[it]).toInt() })
            assertEquals(mapOf("group_not_found" to BigDecimal(1)), info["errors"])
            val muted = command(s, "get_group_muted_account")
            assertEquals(listOf(1, 1, 1), listOf("calls", "ok", "retries").map { number(muted[it]).toInt() })
            assertEquals(emptyMap<String, Any?>(), muted["errors"])
            assertLatencyOrdered(info)
            assertLatencyOrdered(muted)
            assertEquals(0, number(s["in_flight"]).toInt())
        }
    }

    @Test
    fun concurrentCallsShowInThePeak() = run {
        TimAdminClient(emulator.config()).use { c ->
            // Slow answers, so that the calls overlap however loaded the machine is.
            emulator.fault("""{"kind":"delay","millis":300,"times":4,"command":"get_group_muted_account"}""")
            (1..4).map { async { c.getGroupMutedAccount(GetGroupMutedAccountRequest(PUBLIC)) } }.awaitAll()
            val s = stats(c)
            assertEquals(4, number(command(s, "get_group_muted_account")["ok"]).toInt())
            assertTrue(number(s["peak_in_flight"]).toInt() >= 2, "stats $s")
            assertEquals(0, number(s["in_flight"]).toInt())
        }
    }
}
