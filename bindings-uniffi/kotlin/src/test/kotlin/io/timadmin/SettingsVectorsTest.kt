package io.timadmin

import java.io.File
import java.math.BigDecimal
import java.time.Duration
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * Every case of `tests/vectors/settings.json`, the settings parity vectors every host runs:
 * options cases build a `ClientOptions` record and compare `settingsJson()` (or the refusal's
 * `field`) with the case; `env` cases run `TimAdminClient.fromEnv()` in a child JVM whose
 * environment holds exactly the case's `TIM_*` variables (the JVM cannot change its own
 * environment), see [EnvCase]. The only cases skipped need a setting Kotlin cannot express: the
 * core's synchronous `usersig_provider` (Kotlin's `UserSigProvider` is the async one).
 */
class SettingsVectorsTest {
    /** The setting names (core's) each `ClientOptions` field sets; `usersigProvider` is async. */
    private val fieldOfSetting = mapOf(
        "sdkappid" to "sdkappid", "secret_key" to "secretKey", "usersig" to "usersig",
        "async_usersig_provider" to "usersigProvider", "identifier" to "identifier", "region" to "region",
        "base_url" to "baseUrl", "timeout" to "timeout", "max_retries" to "maxRetries", "rate_limit" to "rateLimit",
        "usersig_lifetime" to "usersigLifetime", "max_response_bytes" to "maxResponseBytes",
        "allow_insecure_http" to "allowInsecureHttp", "max_in_flight" to "maxInFlight",
        "rate_limit_redis_url" to "rateLimitRedisUrl", "fleet_size" to "fleetSize", "redis_fallback" to "redisFallback",
    )
    private val inexpressible = setOf("usersig_provider")

    private fun vectors(): List<Map<String, Any?>> {
        val path = System.getProperty("timadmin.vectors") ?: error("timadmin.vectors is not set")
        @Suppress("UNCHECKED_CAST")
        return (Json.parse(File(path).readText()) as Map<String, Any?>)["cases"] as List<Map<String, Any?>>
    }

    private fun seconds(v: Any?): Duration = Duration.ofNanos((v as BigDecimal).movePointRight(9).toLong())

    /** A `ClientOptions` record holding a case's options; an unknown setting fails the test. */
    private fun options(o: Map<String, Any?>): ClientOptions {
        val unknown = o.keys - fieldOfSetting.keys
        assertTrue(unknown.isEmpty(), "settings Kotlin cannot set: $unknown")
        fun num(k: String) = o[k] as BigDecimal?
        val rate: RateLimit? = when {
            !o.containsKey("rate_limit") -> null
            o["rate_limit"] == null || o["rate_limit"] == "off" -> RateLimit.Off
            else -> RateLimit.PerSecond(num("rate_limit")!!.toDouble())
        }
        val provider = (o["async_usersig_provider"] as String?)?.let { sig ->
            object : UserSigProvider {
                override suspend fun usersig(): String = sig
            }
        }
        return ClientOptions(
            sdkappid = num("sdkappid")?.toLong()?.toULong(),
            secretKey = o["secret_key"] as String?,
            usersig = o["usersig"] as String?,
            usersigProvider = provider,
            identifier = o["identifier"] as String?,
            region = o["region"] as String?,
            baseUrl = o["base_url"] as String?,
            timeout = o["timeout"]?.let(::seconds),
            maxRetries = num("max_retries")?.toInt()?.toUInt(),
            rateLimit = rate,
            usersigLifetime = o["usersig_lifetime"]?.let(::seconds),
            maxResponseBytes = num("max_response_bytes")?.toLong()?.toULong(),
            allowInsecureHttp = o["allow_insecure_http"] as Boolean?,
            maxInFlight = num("max_in_flight")?.toInt()?.toUInt(),
            rateLimitRedisUrl = o["rate_limit_redis_url"] as String?,
            fleetSize = num("fleet_size")?.toInt()?.toUInt(),
            redisFallback = when (o["redis_fallback"]) {
                null -> null
                "local-share" -> RedisFallback.LOCAL_SHARE
                "fail" -> RedisFallback.FAIL
                else -> error("redis_fallback ${o["redis_fallback"]}")
            },
        )
    }

    /** "settings <json>" or "error <field>": what building `build` came to. */
    private fun outcome(build: () -> TimAdminClient): String = try {
        build().use { "settings " + it.settingsJson() }
    } catch (e: TimAdminException.InvalidArgument) {
        "error " + e.field
    }

    private fun check(case: Map<String, Any?>, got: String) {
        val name = case["name"]
        @Suppress("UNCHECKED_CAST")
        val error = case["error"] as Map<String, Any?>?
        if (error != null) {
            assertEquals("error " + error["field"], got, "case \"$name\"")
        } else {
            assertTrue(got.startsWith("settings "), "case \"$name\": $got")
            assertEquals(Json.normal(case["settings"]), Json.normal(Json.parse(got.removePrefix("settings "))), "case \"$name\"")
        }
    }

    private fun skipped(case: Map<String, Any?>): Boolean =
        @Suppress("UNCHECKED_CAST")
        ((case["needs"] as List<String>?) ?: emptyList()).any { it in inexpressible }

    @Test
    fun everySettingOfTheCoreIsAClientOptionsField() {
        val keys = TimAdminClient(ClientOptions(sdkappid = 1400000000uL, secretKey = "k")).use {
            @Suppress("UNCHECKED_CAST")
            (Json.parse(it.settingsJson()) as Map<String, Any?>).keys
        }
        assertEquals(keys - inexpressible, fieldOfSetting.keys, "the core's settings vs ClientOptions")
        val fields = ClientOptions::class.java.declaredFields.map { it.name }.filter { it != "Companion" }.toSet()
        assertEquals(fieldOfSetting.values.toSet(), fields, "ClientOptions' fields")
    }

    @Test
    fun everyOptionsCase() {
        val cases = vectors().filter { it.containsKey("options") }
        var ran = 0
        for (case in cases.filterNot(::skipped)) {
            @Suppress("UNCHECKED_CAST")
            check(case, outcome { TimAdminClient(options(case["options"] as Map<String, Any?>)) })
            ran++
        }
        println("settings vectors, options: $ran of ${cases.size} run, ${cases.size - ran} skipped (synchronous usersig_provider)")
        assertTrue(ran > 0 && cases.size - ran == cases.count(::skipped))
    }

    @Test
    fun everyEnvCaseThroughFromEnvInAChildJvm() {
        val cases = vectors().filter { it.containsKey("env") }
        val java = File(System.getProperty("java.home"), "bin/java").path
        val pool = Executors.newFixedThreadPool(4)
        val results = cases.filterNot(::skipped).map { case ->
            pool.submit<Pair<Map<String, Any?>, String>> {
                val command = listOf(
                    java, "-cp", System.getProperty("java.class.path"),
                    "-Djna.library.path=" + System.getProperty("jna.library.path"), EnvCase::class.java.name,
                )
                val builder = ProcessBuilder(command).redirectErrorStream(true)
                builder.environment().keys.removeIf { it.startsWith("TIM_") }
                @Suppress("UNCHECKED_CAST")
                builder.environment().putAll(case["env"] as Map<String, String>)
                val process = builder.start()
                val out = process.inputStream.bufferedReader().readText()
                assertTrue(process.waitFor(60, TimeUnit.SECONDS), "case ${case["name"]} hangs")
                case to out.lines().last { it.startsWith("settings ") || it.startsWith("error ") || it.startsWith("failed ") }
            }
        }.map { it.get(120, TimeUnit.SECONDS) }
        pool.shutdown()
        for ((case, got) in results) check(case, got)
        println("settings vectors, env: ${results.size} of ${cases.size} run in child JVMs")
        assertEquals(cases.count { !skipped(it) }, results.size)
        assertTrue(results.isNotEmpty())
    }
}

/** The child JVM of an env case: builds `TimAdminClient.fromEnv()` and prints the outcome. */
object EnvCase {
    @JvmStatic
    fun main(args: Array<String>) {
        println(
            try {
                TimAdminClient.fromEnv().use { "settings " + it.settingsJson() }
            } catch (e: TimAdminException.InvalidArgument) {
                "error " + e.field
            } catch (e: Throwable) {
                "failed $e"
            },
        )
    }
}

/** Just enough JSON for the vectors: objects, arrays, strings, numbers (BigDecimal), true/false/null. */
object Json {
    fun parse(text: String): Any? {
        var i = 0
        fun ws() { while (i < text.length && text[i].isWhitespace()) i++ }
        fun value(): Any? {
            ws()
            return when (val c = text[i]) {
                '{' -> {
                    i++; val map = LinkedHashMap<String, Any?>(); ws()
                    if (text[i] == '}') { i++; return map }
                    while (true) {
                        ws(); val key = value() as String; ws(); check(text[i++] == ':')
                        map[key] = value(); ws()
                        if (text[i++] == '}') return map
                    }
                    @Suppress("UNREACHABLE_CODE") map
                }
                '[' -> {
                    i++; val list = mutableListOf<Any?>(); ws()
                    if (text[i] == ']') { i++; return list }
                    while (true) {
                        list += value(); ws()
                        if (text[i++] == ']') return list
                    }
                    @Suppress("UNREACHABLE_CODE") list
                }
                '"' -> {
                    i++; val sb = StringBuilder()
                    while (text[i] != '"') {
                        if (text[i] == '\\') {
                            i++
                            when (val e = text[i]) {
                                'n' -> sb.append('\n'); 't' -> sb.append('\t'); 'r' -> sb.append('\r')
                                'b' -> sb.append('\b'); 'f' -> sb.append('\u000c')
                                'u' -> { sb.append(text.substring(i + 1, i + 5).toInt(16).toChar()); i += 4 }
                                else -> sb.append(e)
                            }
                        } else sb.append(text[i])
                        i++
                    }
                    i++; sb.toString()
                }
                't' -> { i += 4; true }
                'f' -> { i += 5; false }
                'n' -> { i += 4; null }
                else -> {
                    val start = i
                    while (i < text.length && (text[i].isDigit() || text[i] in "+-.eE")) i++
                    check(i > start) { "unexpected '$c' at $start" }
                    BigDecimal(text.substring(start, i))
                }
            }
        }
        return value()
    }

    /** Numbers compared as numbers (2 == 2.0): stripped BigDecimals. */
    fun normal(v: Any?): Any? = when (v) {
        is BigDecimal -> v.stripTrailingZeros().toPlainString()
        is Map<*, *> -> v.mapValues { normal(it.value) }
        is List<*> -> v.map(::normal)
        else -> v
    }
}
