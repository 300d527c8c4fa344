package dev.theon.dsl.script

import kotlin.script.experimental.annotations.KotlinScript
import kotlin.script.experimental.api.ScriptAcceptedLocation
import kotlin.script.experimental.api.ScriptCompilationConfiguration
import kotlin.script.experimental.api.acceptedLocations
import kotlin.script.experimental.api.compilerOptions
import kotlin.script.experimental.api.defaultImports
import kotlin.script.experimental.api.ide
import kotlin.script.experimental.jvm.dependenciesFromClassContext
import kotlin.script.experimental.jvm.jvm

/**
 * The script definition of `*.theon.kts` files: Kotlin scripts with the DSL imported, compiled against the class path
 * that holds Theon, for the JVM Theon runs on. The script's arguments are `args`; the value of its last expression
 * is its result. Run one with `./theon run file.theon.kts` (see [RunScript]) or [TheonScripts].
 */
@KotlinScript(
    displayName = "Theon script",
    fileExtension = "theon.kts",
    compilationConfiguration = TheonScriptCompilation::class,
)
abstract class TheonScript(
    /** The command-line arguments after the script's path. */
    @Suppress("unused") val args: Array<String>,
)

/** How `*.theon.kts` scripts compile: the DSL's default imports, Theon's class path, JVM target 25. */
object TheonScriptCompilation : ScriptCompilationConfiguration({
    defaultImports(*DEFAULT_IMPORTS.toTypedArray())
    compilerOptions("-jvm-target", "25")
    jvm {
        dependenciesFromClassContext(TheonScript::class, wholeClasspath = true)
    }
    ide {
        acceptedLocations(ScriptAcceptedLocation.Everywhere)
    }
}) {
    private fun readResolve(): Any = TheonScriptCompilation
}

/** What every script (and the Jupyter integration) imports. */
val DEFAULT_IMPORTS: List<String> = listOf(
    "dev.theon.dsl.*",
    "dev.theon.tensor.NDArray",
    "dev.theon.tensor.DType",
)
