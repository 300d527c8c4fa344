package dev.theon.dsl.script

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

/**
 * Expressions that mix ranks or element types wrongly must not compile. Each snippet sits on its own numbered line of
 * one script (compiling is the slow part), and the test checks that the compiler reports an error on every snippet's
 * line and nowhere else; a control script of the allowed forms compiles cleanly.
 */
class NotCompilingSpec : FunSpec({
    val prelude = listOf(
        "val f32 = fvector(\"f32\"); val f64 = dvector(\"f64\"); val m = dmatrix(\"m\"); val i = ivector(\"i\")",
        "val w = shared(doubleArrayOf(1.0), \"w\"); val x = dscalar(\"x\")",
    )
    val bad = listOf(
        "F32 plus F64 without a cast" to "val e1 = f32 + f64",
        "dot of F64 and F32" to "val e2 = m dot f32",
        "Matrix dot Matrix is not a Vector" to "val e3: Vector<F64> = m dot m",
        "sum over one axis of a matrix is a vector" to "val e4: Scalar<F64> = m.sum(0)",
        "exp needs floats" to "val e5 = exp(i)",
        "integer true division" to "val e6 = i / i",
        "a Double literal on an integer tensor" to "val e7 = i + 0.5",
        "logic on floats" to "val e8 = f64 and f64",
        "arithmetic on bools" to "val e9 = (f64 gt 0.0) + (f64 gt 1.0)",
        "Vector + Vector is not a Matrix" to "val e10: Matrix<F64> = f64 + f64",
        "grad of an integer cost" to "val e11 = grad(i.sum(), f64)",
        "floatX must be a concrete precision" to "val e12 = fn(x, floatX = FX) { x }",
        "a cast gives the asked type only" to "val e13: Matrix<F32> = m.cast<F64>()",
        "softmax of integers" to "val e14 = softmax(i)",
        "grad has the type of its variable" to "val e15: Scalar<F64> = grad(f64.sum(), f64)",
        "an outer builder's update is not reachable from a nested one" to
            "val e16 = fn(x) { training(fn(x) { x }) { update(w, w) }; x }",
        "ints compared to a matrix of another type" to "val e17 = m gt i",
        "where's branches share one element type" to "val e18 = where(f64 gt 0.0, f64, f32)",
    )

    test("each wrongly typed snippet is a compile error on its own line") {
        val script = (prelude + bad.map { it.second }).joinToString("\n")
        val errors = TheonScripts.compileErrors(script, "bad.theon.kts")
        val lines = errors.map { Regex("""^bad\.theon\.kts:(\d+):""").find(it)!!.groupValues[1].toInt() }.toSet()
        for ((k, snippet) in bad.withIndex()) {
            val line = prelude.size + k + 1
            io.kotest.assertions.withClue("${snippet.first}: `${snippet.second}` (line $line) should not compile; errors: $errors") {
                (line in lines) shouldBe true
            }
        }
        lines.filter { it <= prelude.size } shouldBe emptyList()
        // type errors, not typos: every name in the snippets exists
        errors.filter { "Unresolved reference" in it } shouldBe emptyList()
    }

    test("the allowed forms of the same expressions compile") {
        val good = prelude + listOf(
            "val g1 = f32.cast<F64>() + f64",
            "val g2: Vector<F64> = m dot f64",
            "val g3: Matrix<F64> = m dot m",
            "val g4: Vector<F64> = m.sum(0)",
            "val g5 = exp(i.cast<F64>())",
            "val g6 = i intDiv i",
            "val g7 = i + 1",
            "val g8 = (f64 gt 0.0) and (f64 lt 1.0)",
            "val g9: Vector<I64> = (f64 gt 0.0).cast<I64>() + 1",
            "val g10: Matrix<F64> = m + f64",
            "val g11: Vector<F64> = grad(f64.sum(), f64)",
            "val g12 = fn(x, floatX = F32) { x }",
            "val g13 = fn(x) { update(w, w * 2.0); training(fn(x) { x }) { steps = 2 }; x }",
        )
        TheonScripts.compileErrors(good.joinToString("\n"), "good.theon.kts") shouldBe emptyList()
    }
})
