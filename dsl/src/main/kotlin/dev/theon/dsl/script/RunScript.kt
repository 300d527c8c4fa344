@file:JvmName("RunScript")

package dev.theon.dsl.script

import java.io.File
import kotlin.system.exitProcess

/**
 * `./theon run file.theon.kts [ARGS]`: runs a Theon script, prints the value of its last expression when it has one,
 * and exits with status 1 and the script's line on stderr when it fails.
 */
fun main(argv: Array<String>) {
    if (argv.isEmpty()) {
        System.err.println("usage: ./theon run FILE.theon.kts [ARGS]")
        exitProcess(2)
    }
    val file = File(argv[0])
    if (!file.isFile) {
        System.err.println("theon: no script file ${argv[0]}")
        exitProcess(2)
    }
    try {
        val value = TheonScripts.run(file, argv.copyOfRange(1, argv.size))
        if (value != null) println(value)
    } catch (e: ScriptError) {
        System.err.println(e.message)
        exitProcess(1)
    }
}
