package io.timadmin

import java.io.BufferedReader
import java.io.File
import java.io.InputStreamReader
import java.net.URI
import java.net.URLEncoder
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.util.concurrent.TimeUnit

/**
 * The `timadmin-emulator` binary as a real child process on a loopback port, seeded with the
 * demo fixture, plus its `/__emulator/` control routes (generate groups, inject faults, read
 * the call log and group state).
 */
class Emulator private constructor(
    private val process: Process,
    val baseUrl: String,
    val sdkappid: ULong,
    val key: String,
    val identifier: String,
) : AutoCloseable {
    private val http: HttpClient = HttpClient.newHttpClient()

    companion object {
        /** Starts the emulator named by the `timadmin.emulator` system property. */
        fun start(): Emulator {
            val binary = System.getProperty("timadmin.emulator") ?: error("system property timadmin.emulator is not set")
            val fixture = System.getProperty("timadmin.fixture") ?: error("system property timadmin.fixture is not set")
            check(File(binary).canExecute()) { "no emulator binary at $binary (cargo build -p timadmin-emulator)" }
            val process = ProcessBuilder(binary, "--port", "0", "--seed", fixture)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start()
            val line = BufferedReader(InputStreamReader(process.inputStream)).readLine()
                ?: error("the emulator exited before printing its ready line")
            fun field(name: String): String =
                Regex("\"$name\":\\s*\"?([^\",}]*)\"?").find(line)?.groupValues?.get(1)
                    ?: error("no $name in the emulator's ready line: $line")
            return Emulator(process, field("base_url"), field("sdkappid").toULong(), field("key"), field("identifier"))
        }
    }

    /** A client configuration for this emulator with the secret key (tests only: apps use a provider). */
    fun config(
        maxRetries: UInt? = null,
        timeout: java.time.Duration? = null,
    ): ClientOptions = ClientOptions(
        sdkappid = sdkappid,
        secretKey = key,
        baseUrl = baseUrl,
        maxRetries = maxRetries,
        timeout = timeout,
    )

    private fun send(method: String, path: String, body: String?): String {
        val builder = HttpRequest.newBuilder(URI.create("$baseUrl/__emulator/$path"))
        val request = when (method) {
            "POST" -> builder.POST(HttpRequest.BodyPublishers.ofString(body ?: "")).header("Content-Type", "application/json")
            "DELETE" -> builder.DELETE()
            else -> builder.GET()
        }.build()
        val response = http.send(request, HttpResponse.BodyHandlers.ofString())
        check(response.statusCode() in 200..299) { "$method /__emulator/$path: HTTP ${response.statusCode()} ${response.body()}" }
        return response.body()
    }

    /** Back to the seeded state: no faults, empty call log, generated groups gone. */
    fun reset() { send("POST", "reset", "") }

    /** Adds a group of `members` generated members. */
    fun generate(groupId: String, type: String, members: Int) {
        send("POST", "generate", """{"GroupId":"$groupId","Type":"$type","Members":$members}""")
    }

    /** Injects a fault, e.g. `{"kind":"delay","millis":500,"times":20}`. */
    fun fault(json: String) { send("POST", "faults", json) }

    /** One group in fixture format (JSON text). */
    fun group(groupId: String): String = send("GET", "groups/" + URLEncoder.encode(groupId, Charsets.UTF_8), null)

    /** The call log (JSON text). */
    fun calls(): String = send("GET", "calls", null)

    /** How many calls of `command` the emulator served. */
    fun callCount(command: String): Int = Regex("\"command\":\"$command\"").findAll(calls()).count()

    override fun close() {
        process.destroy()
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
    }
}
