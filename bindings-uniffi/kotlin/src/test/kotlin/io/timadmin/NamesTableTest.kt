package io.timadmin

import java.io.File
import java.lang.reflect.Modifier
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * The Kotlin column of the README's "Every Kotlin and Swift name" table against the real surface:
 * the public classes of `io.timadmin` and `io.timadmin.core` as compiled (generated bindings and
 * `src/main/kotlin`), found by reflection. Every name in the column must exist, and every public
 * name (type, function, method, parameter, property, variant, enum constant) must be in the column.
 */
class NamesTableTest {
    /** UniFFI's runtime plumbing: public in the generated Kotlin, not part of timadmin's API. */
    private val plumbing = setOf(
        "Disposable", "InternalException", "NoHandle", "JavaLangRefCleanable", "JavaLangRefCleaner",
        "TimAdminClientInterface", "MemberPagerInterface", "UserSigProviderImpl", "ErrorHandler",
        "Companion", "DefaultImpls", "Timadmin_uniffiKt", "TimadminKt", "ExtensionsKt",
        "UniffiCleaner", "AndroidSystemCleaner", "AndroidSystemCleanable",
    )

    /** Members every data class, exception, enum or object has, or that UniFFI adds to each. */
    private val inherited = setOf(
        "equals", "hashCode", "toString", "copy", "copy\$default", "destroy", "close", "getMessage",
        "values", "valueOf", "getEntries", "ordinal", "getOrdinal", "compareTo",
        "getDeclaringClass", "describeConstable", "getCause", "getLocalizedMessage", "getStackTrace",
        "uniffiClonePointer", "uniffiCloneHandle", "getCleanable", "getHandle", "destroyObjects",
        "message", "other", "obj", "handle", "noHandle", "pointer", "lift", "lower", "entries",
        "use", "block", "withHandle",
    )

    private fun readmeColumn(): Set<String> {
        val readme = File(System.getProperty("timadmin.readme") ?: error("timadmin.readme is not set"))
        val lines = readme.readLines()
        val start = lines.indexOfFirst { it.trim() == "### Every Kotlin and Swift name" }
        assertTrue(start >= 0, "README.md has no \"### Every Kotlin and Swift name\" table")
        val rows = lines.drop(start + 1).dropWhile { !it.startsWith("|") }.takeWhile { it.startsWith("|") }
        val header = rows.first().split("|").map { it.trim() }
        val kotlin = header.indexOf("Kotlin")
        assertTrue(kotlin > 0, "no Kotlin column in $header")
        return rows.drop(2).flatMap { row ->
            val cell = row.split("|")[kotlin]
            Regex("`([^`]*)`").findAll(cell).flatMap { span ->
                Regex("[A-Za-z_][A-Za-z0-9_]*").findAll(span.groupValues[1]).map { it.value }
            }.toList()
        }.toSet()
    }

    private fun classNames(pkg: String): List<String> {
        // Both output directories hold an `io/timadmin`: the main classes and this suite's.
        return javaClass.classLoader.getResources(pkg.replace('.', '/')).toList()
            .filter { it.protocol == "file" && !it.path.contains("test-classes") }
            .flatMap { url -> File(url.toURI()).listFiles()!!.filter { it.isFile && it.name.endsWith(".class") } }
            .map { "$pkg.${it.name.removeSuffix(".class")}" }
    }

    private fun api(simpleName: String): Boolean =
        simpleName !in plumbing && !simpleName.contains("FfiConverter") && !simpleName.contains("Uniffi") &&
            !simpleName.startsWith("uniffi") && !simpleName.contains("RustBuffer") && !simpleName.contains("ForeignBytes") &&
            !simpleName.contains("ByValue") && !simpleName.contains("ByReference") &&
            !simpleName.first().isDigit() && !simpleName.first().isLowerCase() && simpleName.isNotEmpty()

    /** Every public name of the Kotlin surface, found by reflection. */
    private fun surface(): Set<String> {
        val names = mutableSetOf<String>()
        fun member(raw: String, getter: Boolean = false) {
            // Kotlin mangles names taking or returning unsigned types: `status-Mh2AYeg`.
            val name = raw.substringBefore('-').ifEmpty { raw }
            val n = if (getter && name.length > 3 && name.startsWith("get") && name[3].isUpperCase()) name[3].lowercase() + name.substring(4) else name
            if (n.matches(Regex("[A-Za-z_][A-Za-z0-9_]*")) && n !in inherited && !n.contains('$') && !n.contains("uniffi", ignoreCase = true) && !n.startsWith("component") && !n.matches(Regex("set[A-Z].*"))) names += n
        }
        val classes = (classNames("io.timadmin") + classNames("io.timadmin.core")).map { Class.forName(it) }
        for (cls in classes) {
            val nested = cls.name.substringAfterLast('.').split('$')
            val facade = nested.size == 1 && nested[0].endsWith("Kt") && nested[0] in plumbing
            // A companion's methods are the class's "static" ones (`TimAdminClient.fromEnv()`).
            val companion = nested.size > 1 && nested.last() == "Companion" && nested.dropLast(1).all(::api)
            if (!Modifier.isPublic(cls.modifiers) || (!companion && nested.any { !facade && !api(it) })) continue
            if (!facade && !companion) names += nested.last()
            cls.enumConstants?.forEach { names += (it as Enum<*>).name }
            val methods = cls.declaredMethods.filter { Modifier.isPublic(it.modifiers) && !it.isSynthetic && !it.isBridge }
            for (m in methods) {
                if (facade && (m.name.startsWith("uniffi") || m.name.contains('$'))) continue
                // A top-level extension property's getter takes its receiver: `getRestName(Role)`.
                member(m.name, getter = m.parameterCount == (if (facade) 1 else 0))
                m.parameters.forEach { if (it.isNamePresent) member(it.name) }
            }
            for (c in cls.declaredConstructors.filter { Modifier.isPublic(it.modifiers) && !it.isSynthetic }) {
                c.parameters.forEach { if (it.isNamePresent) member(it.name) }
            }
        }
        return names
    }

    @Test
    fun theReadmeColumnIsTheKotlinSurface() {
        val column = readmeColumn()
        val surface = surface()
        val missingFromKotlin = column - surface
        val missingFromReadme = surface - column
        println("names table: ${column.size} Kotlin names; surface: ${surface.size} public names")
        assertTrue(
            missingFromKotlin.isEmpty() && missingFromReadme.isEmpty(),
            "in README.md's Kotlin column but not in Kotlin: ${missingFromKotlin.sorted()}; " +
                "public in Kotlin but not in README.md's Kotlin column: ${missingFromReadme.sorted()}",
        )
    }
}
