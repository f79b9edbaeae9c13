package io.timadmin

import io.timadmin.core.*
import java.io.File
import java.math.BigDecimal
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.BeforeAll
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * `TimAdminClient.call` against the emulator: the three typed endpoints called raw answer as the
 * typed calls do, an unknown command is the service's 10003, and the command-path vectors
 * (`tests/vectors/commands.json`) and bad bodies are refused before the network.
 */
class RawCallTest {
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
        const val MEMBER_INFO = "group_open_http_svc/get_group_member_info"
        const val MUTED = "group_open_http_svc/get_group_muted_account"
        const val MODIFY = "group_open_http_svc/modify_group_base_info"
    }

    @BeforeEach
    fun resetEmulator() = emulator.reset()

    @Suppress("UNCHECKED_CAST")
    private fun obj(text: String): Map<String, Any?> = Json.parse(text) as Map<String, Any?>

    @Suppress("UNCHECKED_CAST")
    private fun list(v: Any?): List<Map<String, Any?>> = v as List<Map<String, Any?>>

    private fun calls(): List<Any?> = Json.parse(emulator.calls()) as List<Any?>

    @Test
    fun theTypedEndpointsCalledRawAnswerAsTheTypedCalls() = runBlocking {
        TimAdminClient(emulator.config()).use { c ->
            val raw = obj(c.call(MEMBER_INFO, """{"GroupId":"$PUBLIC"}"""))
            assertEquals("OK", raw["ActionStatus"])
            assertEquals(BigDecimal.ZERO, raw["ErrorCode"])
            val typed = c.getGroupMemberInfo(GetGroupMemberInfoRequest(groupId = PUBLIC))
            assertEquals(typed.memberNum.toLong(), (raw["MemberNum"] as BigDecimal).toLong())
            // The service spells one role "Member " (the typed Role reads it as Member).
            val rawMembers = list(raw["MemberList"]).map { it["Member_Account"] to (it["Role"] as String).trim() }
            val typedMembers = typed.memberList.map { it.memberAccount to it.role!!.restName }
            assertEquals(5, typedMembers.size)
            assertEquals(typedMembers, rawMembers)

            val rawMuted = obj(c.call(MUTED, """{"GroupId":"$PUBLIC"}"""))
            val muted = c.getGroupMutedAccount(GetGroupMutedAccountRequest(groupId = PUBLIC))
            val pairs = list(rawMuted["MutedAccountList"]).map {
                it["Member_Account"] to (it["MutedUntil"] as BigDecimal).toLong().toULong()
            }
            assertTrue(pairs.isNotEmpty())
            assertEquals(muted.mutedAccountList.map { it.memberAccount to it.mutedUntil }, pairs)

            val answer = obj(c.call(MODIFY, """{"GroupId":"$PUBLIC","Name":"Raw from Kotlin"}"""))
            assertEquals("OK", answer["ActionStatus"])
            assertTrue(emulator.group(PUBLIC).contains("Raw from Kotlin"))
            assertEquals(2, emulator.callCount("get_group_member_info"))
            assertEquals(1, emulator.callCount("modify_group_base_info"))
        }
    }

    @Test
    fun anUnknownCommandIsTheTypedApiError() = runBlocking {
        TimAdminClient(emulator.config()).use { c ->
            val e = assertThrows<TimAdminException.Api> { runBlocking { c.call("openim/sendmsg", "{}") } }
            assertEquals(10003L, e.code)
            assertEquals("invalid_command", e.kind)
            assertEquals(1, calls().size)
        }
    }

    @Test
    fun commandVectorsAndBadBodiesAreRefusedBeforeTheNetwork() = runBlocking {
        val path = File(System.getProperty("timadmin.vectors") ?: error("timadmin.vectors is not set"))
            .resolveSibling("commands.json")
        @Suppress("UNCHECKED_CAST")
        val cases = obj(path.readText())["cases"] as List<Map<String, Any?>>
        assertTrue(cases.size > 20)
        TimAdminClient(emulator.config()).use { c ->
            for (case in cases) {
                val command = case["command"] as String
                emulator.reset()
                if (case["valid"] == true) {
                    try {
                        c.call(command, "{}")
                    } catch (e: TimAdminException.Api) {
                        // sent, and answered with the service's error
                    }
                    assertEquals(1, calls().size, command)
                } else {
                    val e = assertThrows<TimAdminException.InvalidArgument>(command) { runBlocking { c.call(command, "{}") } }
                    assertEquals(case["error"], e.field, command)
                    assertEquals(0, calls().size, command)
                }
            }
            emulator.reset()
            for (body in listOf("[]", "not json", "\"x\"", "null", "")) {
                val e = assertThrows<TimAdminException.InvalidArgument>(body) { runBlocking { c.call("openim/sendmsg", body) } }
                assertEquals("body", e.field)
            }
            assertEquals(0, calls().size)
        }
    }
}
