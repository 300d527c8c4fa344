package dev.theon.dsl.script

import java.io.File
import kotlin.script.experimental.api.EvaluationResult
import kotlin.script.experimental.api.ResultValue
import kotlin.script.experimental.api.ResultWithDiagnostics
import kotlin.script.experimental.api.ScriptDiagnostic
import kotlin.script.experimental.api.ScriptEvaluationConfiguration
import kotlin.script.experimental.api.SourceCode
import kotlin.script.experimental.api.constructorArgs
import kotlin.script.experimental.host.toScriptSource
import kotlin.script.experimental.jvm.baseClassLoader
import kotlin.script.experimental.jvm.jvm
import kotlin.script.experimental.jvmhost.BasicJvmScriptingHost
import kotlin.script.experimental.jvmhost.createJvmCompilationConfigurationFromTemplate

/**
 * A script failed to compile or to run. The message gives the script's path and line for each problem
 * (`train.theon.kts:3:9: error: ...`, or for an exception the script line it was thrown from), as compilers do.
 */
class ScriptError(message: String, cause: Throwable? = null) : RuntimeException(message, cause)

/** Compiles and runs `*.theon.kts` scripts with the embedded Kotlin compiler. */
object TheonScripts {
    private val host by lazy { BasicJvmScriptingHost() }
    private val compilation by lazy { createJvmCompilationConfigurationFromTemplate<TheonScript>() }

    /** Runs a script file and returns the value of its last expression (null when it has none). */
    fun run(file: File, args: Array<String> = emptyArray()): Any? = run(file.toScriptSource(), args)

    /** Runs script text named [name] (the name shown in messages) and returns its value. */
    fun run(code: String, name: String = "script.theon.kts", args: Array<String> = emptyArray()): Any? =
        run(code.toScriptSource(name), args)

    /** The compile errors of script text, formatted with line and column; empty when it compiles. */
    fun compileErrors(code: String, name: String = "script.theon.kts"): List<String> {
        val result = host.runInCoroutineContext { host.compiler(code.toScriptSource(name), compilation) }
        return result.reports.filter { it.severity >= ScriptDiagnostic.Severity.ERROR }.map { format(it, name) }
    }

    private fun run(source: SourceCode, args: Array<String>): Any? {
        val evaluation = ScriptEvaluationConfiguration {
            constructorArgs(args)
            // the script sees the same Theon classes as its host, so values it returns are usable here
            jvm { baseClassLoader(TheonScript::class.java.classLoader) }
        }
        val name = source.name ?: "script.theon.kts"
        val result: ResultWithDiagnostics<EvaluationResult> = host.eval(source, compilation, evaluation)
        val errors = result.reports.filter { it.severity >= ScriptDiagnostic.Severity.ERROR }
        if (result is ResultWithDiagnostics.Failure || errors.isNotEmpty()) {
            val cause = errors.firstNotNullOfOrNull { it.exception }
            throw ScriptError(errors.joinToString("\n") { format(it, name) }.ifEmpty { "$name: the script failed" }, cause)
        }
        return when (val value = (result as ResultWithDiagnostics.Success).value.returnValue) {
            is ResultValue.Value -> value.value
            is ResultValue.Unit -> null
            is ResultValue.Error -> throw ScriptError(runtimeMessage(value.error, name), value.error)
            is ResultValue.NotEvaluated -> throw ScriptError("$name: the script was not evaluated")
        }
    }

    private fun format(d: ScriptDiagnostic, name: String): String {
        val at = d.location?.start
        val where = if (at != null) "${d.sourcePath?.let { File(it).name } ?: name}:${at.line}:${at.col}" else name
        return "$where: ${d.severity.name.lowercase()}: ${d.message}"
    }

    /** `name:line: Kind: message`, with the script line the exception was thrown from (or passed through). */
    private fun runtimeMessage(e: Throwable, name: String): String {
        val line = e.stackTrace.firstOrNull { it.fileName == name }?.lineNumber
        // the DSL's located errors are private subclasses of the core's public ones: name the public kind
        val kind = (if (e is dev.theon.dsl.Located) e.javaClass.superclass else e.javaClass).name.replace('$', '.')
        return "$name${if (line != null) ":$line" else ""}: $kind: ${e.message}"
    }
}
