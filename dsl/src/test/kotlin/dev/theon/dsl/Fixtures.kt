package dev.theon.dsl

import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import dev.theon.tensor.NDArray

/** Test helpers: Kotlin array literals and approximate comparisons against values computed in the test. */

fun d(vararg x: Double): DoubleArray = x
fun rows(vararg r: DoubleArray): Array<DoubleArray> = arrayOf(*r)

/** Every element of [actual] (C order) within [tol] of [expected]. */
fun shouldBeClose(actual: NDArray, expected: DoubleArray, tol: Double = 1e-12) = shouldBeClose(actual.toDoubleArray(), expected, tol)

fun shouldBeClose(actual: DoubleArray, expected: DoubleArray, tol: Double = 1e-12) {
    actual.size shouldBe expected.size
    for (i in actual.indices) {
        if (expected[i].isNaN()) actual[i].isNaN() shouldBe true
        else if (tol == 0.0) actual[i] shouldBe expected[i]
        else actual[i] shouldBe (expected[i] plusOrMinus tol * maxOf(1.0, kotlin.math.abs(expected[i])))
    }
}

/** A matrix as its C-order elements. */
fun Array<DoubleArray>.flat(): DoubleArray = flatMap { it.asIterable() }.toDoubleArray()

/** An elementwise map of a C-order matrix. */
fun Array<DoubleArray>.map2(f: (Double) -> Double): Array<DoubleArray> = Array(size) { i -> DoubleArray(this[i].size) { j -> f(this[i][j]) } }

/** The line of the caller, to check the line numbers in error messages. */
fun lineHere(): Int = Throwable().stackTrace[1].lineNumber

/** A plain C-order array with a shape: the test's own oracle for broadcasting. */
class Arr(val shape: IntArray, val data: DoubleArray) {
    val size get() = data.size

    /** NumPy broadcasting of two arrays through [f], computed with plain loops. */
    fun zip(o: Arr, f: (Double, Double) -> Double): Arr {
        val rank = maxOf(shape.size, o.shape.size)
        val a = IntArray(rank - shape.size) { 1 } + shape
        val b = IntArray(rank - o.shape.size) { 1 } + o.shape
        val out = IntArray(rank) { maxOf(a[it], b[it]) }
        val n = out.fold(1) { x, y -> x * y }
        val r = DoubleArray(n)
        val idx = IntArray(rank)
        for (k in 0 until n) {
            var rem = k
            for (d in rank - 1 downTo 0) { idx[d] = rem % out[d]; rem /= out[d] }
            r[k] = f(data[flat(idx, a)], o.data[flat(idx, b)])
        }
        return Arr(out, r)
    }

    fun map(f: (Double) -> Double) = Arr(shape, DoubleArray(size) { f(data[it]) })

    private fun flat(idx: IntArray, s: IntArray): Int {
        var p = 0
        for (d in s.indices) p = p * s[d] + (if (s[d] == 1) 0 else idx[d])
        return p
    }

    /** The same values as an NDArray of float64. */
    fun nd(): NDArray = NDArray.fromDoubles(dev.theon.tensor.DType.FLOAT64, data, *shape.map { it.toLong() }.toLongArray())
}

fun arr(vararg shape: Int, f: (Int) -> Double) = Arr(shape, DoubleArray(shape.fold(1) { a, b -> a * b }) { f(it) })

/** Evaluates typed expressions against the test's oracle, feeding each only the inputs it uses. */
class Oracle(val inputs: Array<Pair<Tensor<*>, Any>>) {
    /** The static type of [t] is [cls] and its value has the oracle's shape and values. */
    inline fun <reified S : Tensor<*>> check(t: S, cls: kotlin.reflect.KClass<*>, expected: Arr, tol: Double = 1e-12) {
        S::class shouldBe cls
        t.ndim shouldBe expected.shape.size
        val r = value(t)
        r.shape().toList() shouldBe expected.shape.map { it.toLong() }
        shouldBeClose(r, expected.data, tol)
    }

    fun value(t: Tensor<*>): NDArray = t.eval(*inputs.filter { (k, _) -> dependsOn(t, k) }.toTypedArray())
}

/** As [Oracle.check] for bool results: the value is bool and equals the 0/1 oracle. */
inline fun <reified S : Tensor<B>> Oracle.checkBool(t: S, cls: kotlin.reflect.KClass<*>, expected: Arr) {
    t.dtype shouldBe dev.theon.tensor.DType.BOOL
    check(t, cls, expected, 0.0)
}
