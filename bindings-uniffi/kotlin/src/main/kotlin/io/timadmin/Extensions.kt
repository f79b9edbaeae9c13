package io.timadmin

import io.timadmin.core.GroupMember
import io.timadmin.core.MemberPage
import io.timadmin.core.Role
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * Every member of the pager's group as a cold [Flow], one page in memory at a time:
 * `client.members("@TGS#_community").asFlow().collect { println(it.memberAccount) }`.
 * Errors surface as [TimAdminException] from `collect`; cancelling the collector cancels the
 * call in flight. A pager is single-use: collect its flow once.
 */
fun MemberPager.asFlow(): Flow<GroupMember> = flow {
    while (true) {
        val page = nextPage() ?: break
        for (member in page.members) emit(member)
    }
}

/** The pages themselves as a cold [Flow] (see [asFlow]). */
fun MemberPager.pages(): Flow<MemberPage> = flow {
    while (true) emit(nextPage() ?: break)
}

/** The role as the service spells it: `Owner`, `Admin`, `Member`, or an unknown role verbatim. */
val Role.restName: String
    get() = when (this) {
        Role.Owner -> "Owner"
        Role.Admin -> "Admin"
        Role.Member -> "Member"
        is Role.Other -> v1
    }
