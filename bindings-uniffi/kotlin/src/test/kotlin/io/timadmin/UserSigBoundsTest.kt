package io.timadmin

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * Signing refuses what verifying or the service would refuse: an identifier over 32 bytes of
 * UTF-8 (field `identifier`) and a userbuf over 32 KiB (field `userbuf`) are
 * `TimAdminException.InvalidArgument`, before anything is signed.
 */
class UserSigBoundsTest {
    private val app = 1400000000uL
    private val key = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"

    @Test
    fun identifierIsBoundedInBytes() {
        for (ok in listOf("a".repeat(32), "é".repeat(16))) {
            val sig = generateUsersig(app, key, ok, 600uL)
            assertEquals(ok, verifyUsersig(app, key, ok, sig).identifier)
        }
        for (bad in listOf("a".repeat(33), "é".repeat(17), "a".repeat(49_000))) {
            val e = assertThrows<TimAdminException.InvalidArgument> { generateUsersig(app, key, bad, 600uL) }
            assertEquals("identifier", e.field)
            assertFalse(e.message.orEmpty().contains(key))
            assertTrue(e.reason.contains("32"), e.reason)
        }
    }

    @Test
    fun userbufIsBounded() {
        val id = "admin"
        val ok = ByteArray(32 * 1024) { 7 }
        val sig = generateUsersig(app, key, id, 600uL, ok)
        assertEquals(ok.toList(), verifyUsersig(app, key, id, sig, ok).userbuf?.toList())
        val e = assertThrows<TimAdminException.InvalidArgument> { generateUsersig(app, key, id, 600uL, ByteArray(32 * 1024 + 1)) }
        assertEquals("userbuf", e.field)
    }
}
