package io.timadmin

import io.timadmin.core.UnverifiedClaims
import java.io.File
import java.math.BigDecimal
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * `decodeUsersig`: a UserSig's claims without the key and without checking the signature (the
 * core's `usersig::decode`), as `UnverifiedClaims`. A token made by `generateUsersig` decodes to
 * what was signed, the shared vectors' tokens to their claims, a token of an unknown key too;
 * garbage is `TimAdminException.UserSig` with reason `malformed`, as in the core.
 */
class UserSigDecodeTest {
    private val app = 1400000000uL
    private val key = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"

    @Suppress("UNCHECKED_CAST")
    private fun vectors(): Map<String, Any?> {
        val readme = File(System.getProperty("timadmin.readme") ?: error("timadmin.readme is not set"))
        return Json.parse(File(readme.parentFile, "tests/vectors/usersig.json").readText()) as Map<String, Any?>
    }

    @Test
    fun decodeGivesWhatGenerateSigned() {
        val userbuf = byteArrayOf(0, 1, 2, -6, -1)
        val before = System.currentTimeMillis() / 1000
        val sig = generateUsersig(app, key, "alice", 600uL, userbuf)
        val claims: UnverifiedClaims = decodeUsersig(sig)
        assertEquals("alice", claims.identifier)
        assertEquals(app, claims.sdkappid)
        assertEquals(600uL, claims.expire)
        assertArrayEquals(userbuf, claims.userbuf)
        assertTrue(claims.time.toLong() in (before - 1)..(System.currentTimeMillis() / 1000 + 1))
        assertEquals(claims.time + 600uL, claims.expiresAt())
        val verified = verifyUsersig(app, key, "alice", sig)
        assertEquals(verified.time, claims.time)
        assertNull(decodeUsersig(generateUsersig(app, key, "bob", 60uL)).userbuf)
    }

    @Test
    fun decodeNeedsNoKey() {
        val forged = generateUsersig(app + 7uL, "a key nobody here has", "mallory", 60uL)
        assertThrows<TimAdminException.UserSig> { verifyUsersig(app + 7uL, key, "mallory", forged) }
        val claims = decodeUsersig(forged)
        assertEquals("mallory", claims.identifier)
        assertEquals(app + 7uL, claims.sdkappid)
    }

    @Test
    fun decodeReadsTheSharedVectors() {
        @Suppress("UNCHECKED_CAST")
        val valid = vectors()["valid"] as List<Map<String, Any?>>
        assertTrue(valid.isNotEmpty())
        for (case in valid) {
            @Suppress("UNCHECKED_CAST")
            val expect = case["expect"] as Map<String, Any?>
            val claims = decodeUsersig(case["usersig"] as String)
            val name = case["name"] as String
            assertEquals(expect["identifier"], claims.identifier, name)
            assertEquals((expect["sdkappid"] as BigDecimal).toLong().toULong(), claims.sdkappid, name)
            assertEquals((expect["time"] as BigDecimal).toLong().toULong(), claims.time, name)
            assertEquals((expect["expire"] as BigDecimal).toLong().toULong(), claims.expire, name)
            val userbuf = (case["userbuf_b64"] as String?)?.let { java.util.Base64.getDecoder().decode(it) }
            assertArrayEquals(userbuf, claims.userbuf, name)
        }
    }

    @Test
    fun garbageIsTheCoresMalformedError() {
        @Suppress("UNCHECKED_CAST")
        val invalid = vectors()["invalid"] as List<Map<String, Any?>>
        val tokens = invalid.filter { it["error"] == "malformed" }.map { it["usersig"] as String } +
            listOf("garbage!!", "*".repeat(70_000))
        assertTrue(tokens.size > 3)
        for (token in tokens) {
            val e = assertThrows<TimAdminException.UserSig> { decodeUsersig(token) }
            assertEquals("malformed", e.reason)
            if (token.isNotEmpty()) assertFalse(e.message.orEmpty().contains(token.take(16)), e.message)
        }
    }
}
