package dev.theon.dsl

import dev.theon.TheonException

/**
 * Errors raised while a graph is built carry the line of the user's code that built it.
 *
 * The core checks dtypes, ranks and static sizes when an op is applied and throws with a message that names the op and
 * its operands; through the DSL the core's own frames and the DSL's are all the user would see, so [build] adds
 * " (at File.kt:42)" for the first frame outside Theon: user code, a spec or test, or a script.
 */
@PublishedApi
internal inline fun <R> build(block: () -> R): R = try {
    block()
} catch (e: TheonException) {
    throw locate(e)
}

/** Marks an error that already names the user's line (nested DSL calls add it once). */
internal interface Located

internal class LocatedTypeError(message: String, cause: Throwable) : TheonException.TypeError(message), Located {
    init { initCause(cause) }
}

internal class LocatedGradientError(message: String, cause: Throwable) : TheonException.GradientError(message), Located {
    init { initCause(cause) }
}

internal class LocatedShapeError(message: String, cause: Throwable) : TheonException.ShapeError(message), Located {
    init { initCause(cause) }
}

internal class LocatedInputError(message: String, cause: Throwable) : TheonException.InputError(message, cause), Located

internal class LocatedCompileError(message: String, cause: Throwable) : TheonException.CompileError(message), Located {
    init { initCause(cause) }
}

/** The same kind of error with the user's source line appended, or [e] itself when there is nothing to add. */
@PublishedApi
internal fun locate(e: TheonException): TheonException {
    if (e is Located) return e
    val at = userFrame() ?: return e
    val msg = "${e.message} (at ${at.fileName}:${at.lineNumber})"
    return when (e) {
        is TheonException.TypeError -> LocatedTypeError(msg, e)
        is TheonException.GradientError -> LocatedGradientError(msg, e)
        is TheonException.CompileError -> LocatedCompileError(msg, e)
        is TheonException.ShapeError -> LocatedShapeError(msg, e)
        is TheonException.InputError -> LocatedInputError(msg, e)
        else -> e
    }
}

/** The first stack frame of user code: outside Theon and the platform, or in a spec, test or sample. */
internal fun userFrame(): StackTraceElement? = StackWalker.getInstance().walk { frames ->
    frames.filter { isUserCode(it.className) }.findFirst().map { it.toStackTraceElement() }.orElse(null)
}

internal fun isUserCode(className: String): Boolean {
    val top = className.substringBefore('$')
    if (top.endsWith("Spec") || top.endsWith("Test") || top.startsWith("dev.theon.samples.")) return true
    return PLATFORM.none { className.startsWith(it) }
}

private val PLATFORM = listOf("dev.theon.", "java.", "jdk.", "sun.", "kotlin.", "kotlinx.coroutines.", "org.jetbrains.kotlin.")
