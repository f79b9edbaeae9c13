// The Kotlin quickstart, as a mobile admin app would use timadmin: a client that gets its
// UserSigs from the app's own back end (never the secret key), the three endpoints, and a
// whole community group paged as a Flow. Runs against a local emulator: `make example-kotlin`.
package io.timadmin.examples

import io.timadmin.ClientOptions
import io.timadmin.TimAdminClient
import io.timadmin.TimAdminException
import io.timadmin.UserSigProvider
import io.timadmin.asFlow
import io.timadmin.restName
import io.timadmin.generateUsersig
import io.timadmin.core.GetGroupMutedAccountRequest
import io.timadmin.core.ModifyGroupBaseInfoRequest
import io.timadmin.core.PageOptions
import kotlinx.coroutines.flow.count
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking

/**
 * Stands in for your back end: in an app this makes an authenticated HTTPS call to your server,
 * which signs the admin UserSig with the secret key it alone holds. Here the "server" is this
 * process, signing with the emulator's key.
 */
class BackEndUserSigProvider(private val sdkappid: ULong, private val serverSideKey: String) : UserSigProvider {
    var asked = 0
        private set

    override suspend fun usersig(): String {
        asked++
        return generateUsersig(sdkappid, serverSideKey, "administrator", expire = 3600uL)
    }
}

/** The emulator binary as a child process; returns it and its ready line's fields. */
fun startEmulator(): Pair<Process, Map<String, String>> {
    val binary = System.getProperty("timadmin.emulator") ?: error("set -Dtimadmin.emulator=PATH")
    val fixture = System.getProperty("timadmin.fixture") ?: error("set -Dtimadmin.fixture=PATH")
    val process = ProcessBuilder(binary, "--port", "0", "--seed", fixture, "--community-members", "1234")
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start()
    val line = process.inputStream.bufferedReader().readLine() ?: error("the emulator did not start")
    val fields = Regex("\"(\\w+)\":\"?([^\",}]*)\"?").findAll(line).associate { it.groupValues[1] to it.groupValues[2] }
    return process to fields
}

fun main() = runBlocking {
    val (emulator, info) = startEmulator()
    try {
        val sdkappid = info.getValue("sdkappid").toULong()
        val provider = BackEndUserSigProvider(sdkappid, info.getValue("key"))
        val options = ClientOptions(sdkappid = sdkappid, usersigProvider = provider, baseUrl = info.getValue("base_url"))
        TimAdminClient(options).use { client ->
            // What the client runs with (defaults filled in, secrets as "***"): for logs and bug reports.
            println("settings: ${client.settingsJson()}")
            val muted = client.getGroupMutedAccount(GetGroupMutedAccountRequest(groupId = "@TGS#2DEMOPUB"))
            println("muted in ${muted.groupId}: ${muted.mutedAccountList.joinToString { it.memberAccount }}")

            val pager = client.members("@TGS#_demo", PageOptions(memberInfoFilter = listOf("Role", "JoinTime")))
            val total = pager.asFlow().count()
            println("@TGS#_demo has $total members, paged with ${pager.mode()} in pages of ${pager.pageSize()}")
            val firstThree = client.members("@TGS#_demo").asFlow().take(3).toList()
            println("first three: ${firstThree.joinToString { "${it.memberAccount} (${it.role?.restName})" }}")

            client.modifyGroupBaseInfo(ModifyGroupBaseInfoRequest(groupId = "@TGS#2DEMOPUB", name = "Renamed from Kotlin", shutUpAllMember = true))
            println("renamed @TGS#2DEMOPUB and muted everyone")

            try {
                client.getGroupMutedAccount(GetGroupMutedAccountRequest(groupId = "@TGS#2NOSUCHGROUP"))
            } catch (e: TimAdminException.Api) {
                println("expected error: ${e.code} ${e.kind}")
            }
        }
        println("the back end was asked for a UserSig ${provider.asked} time(s)")
        check(provider.asked == 1)
    } finally {
        emulator.destroy()
    }
}
