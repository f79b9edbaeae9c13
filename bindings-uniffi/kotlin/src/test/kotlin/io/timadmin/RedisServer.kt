package io.timadmin

import java.io.File
import java.net.ServerSocket
import java.net.Socket
import java.util.concurrent.TimeUnit

/**
 * A real `redis-server` child process on a free loopback port, password-protected, without
 * persistence, for the shared (fleet) rate limit tests. `test-kotlin.sh` installs the package.
 */
class RedisServer private constructor(private val process: Process, val port: Int, val password: String) : AutoCloseable {
    companion object {
        fun start(password: String): RedisServer {
            val port = ServerSocket(0).use { it.localPort }
            val process = try {
                ProcessBuilder(
                    "redis-server", "--port", port.toString(), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--requirepass", password, "--loglevel", "warning",
                    "--dir", System.getProperty("java.io.tmpdir"),
                ).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start()
            } catch (e: java.io.IOException) {
                error("cannot start redis-server (apt-get install redis-server; test-kotlin.sh does): ${e.message}")
            }
            val server = RedisServer(process, port, password)
            val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10)
            while (runCatching { server.command("PING") }.getOrNull()?.contains("+PONG") != true) {
                check(System.nanoTime() < deadline) { "redis-server did not start on port $port" }
                Thread.sleep(50)
            }
            return server
        }
    }

    /** `redis://:PASSWORD@127.0.0.1:PORT/0`. */
    val url: String get() = "redis://:$password@127.0.0.1:$port/0"

    /** One inline command after AUTH; the raw reply. */
    fun command(line: String): String = Socket("127.0.0.1", port).use { s ->
        s.soTimeout = 2000
        s.getOutputStream().write("AUTH $password\r\n$line\r\n".toByteArray())
        Thread.sleep(50)
        val buf = ByteArray(65536)
        val n = s.getInputStream().read(buf)
        if (n > 0) String(buf, 0, n) else ""
    }

    /** How many GCRA scripts Redis ran (one per permit). */
    fun scriptsRun(): Int = command("INFO commandstats").lines()
        .filter { it.startsWith("cmdstat_evalsha:") || it.startsWith("cmdstat_eval:") }
        .sumOf { it.substringAfter("calls=").substringBefore(",").toInt() }

    override fun close() {
        process.destroy()
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
    }
}
