package dev.theon.dsl.script

import dev.theon.dsl.Fn1
import dev.theon.tensor.NDArray
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import java.io.File
import java.nio.file.Files

class ScriptSpec : FunSpec({
    test("a script runs with the DSL imported and returns its last value") {
        val r = TheonScripts.run(
            """
            val x = dscalar("x"); val y = dscalar("y")
            val f = fn(x, y) { x * y + 1.0 }
            f(6.0, 7.0).toDouble()
            """.trimIndent(),
        )
        r shouldBe 43.0
    }

    test("a script file gets its arguments and may return typed tensors") {
        val dir = Files.createTempDirectory("theon-script").toFile()
        val file = File(dir, "scale.theon.kts")
        file.writeText(
            """
            val k = args[0].toDouble()
            val m = dmatrix("m")
            val scaled: Matrix<F64> = m * k
            fn(m) { scaled }
            """.trimIndent(),
        )
        val r = TheonScripts.run(file, arrayOf("2.5"))
        r.shouldBeInstanceOf<Fn1<NDArray>>()
        r(arrayOf(doubleArrayOf(2.0))).toDouble() shouldBe 5.0
        dir.deleteRecursively()
    }

    test("a compile error names the script and its line") {
        val e = shouldThrow<ScriptError> {
            TheonScripts.run(
                """
                val a = fvector("a")
                val b = dvector("b")
                val c = a + b
                c
                """.trimIndent(),
                name = "mixed.theon.kts",
            )
        }
        e.message shouldContain "mixed.theon.kts:3:"
        e.message shouldContain "error"
    }

    test("a run-time error names the script line where the graph was built") {
        val e = shouldThrow<ScriptError> {
            TheonScripts.run(
                """
                val p = matrixOf<F64>("p", rows = 2, cols = 3)
                val q = vectorOf<F64>("q", size = 4)

                val bad = p dot q
                """.trimIndent(),
                name = "sizes.theon.kts",
            )
        }
        e.message shouldContain "sizes.theon.kts:4"
        e.message shouldContain "dev.theon.TheonException.TypeError: dot"
    }
})
