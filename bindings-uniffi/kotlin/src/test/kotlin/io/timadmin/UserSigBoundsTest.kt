package io.timadmin

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * Signing refuses what verifying or the service would refuse: an identifier over 32 bytes of
 * UTF-8 is `TimAdminException.InvalidArgument` with field `identifier`, before anything is signed.
 */
class UserSigBoundsTest {
    private val app = 1400000000uL
    private val key = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"

    @Test
    fun identifierIsBoundedInBytes() {
        for (ok in listOf("a".repeat(32), "é".repeat(16))) {
            val sig = generateUserSig(app, key, ok, 600uL)
            assertEquals(ok, verifyUserSig(app, key, ok, sig).identifier)
        }
        for (bad in listOf("a".repeat(33), "é".repeat(17), "a".repeat(49_000))) {
            val e = assertThrows<TimAdminException.InvalidArgument> { generateUserSig(app, key, bad, 600uL) }
            assertEquals("identifier", e.field)
            assertFalse(e.message.orEmpty().contains(key))
            assertTrue(e.reason.contains("32"), e.reason)
        }
    }
}
