package dev.theon.dsl

import dev.theon.tensor.DType
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

/** Python's % (the result takes the divisor's sign), the oracle for rem. */
private fun pyMod(a: Double, b: Double): Double { val r = a % b; return if (r != 0.0 && (r < 0) != (b < 0)) r + b else r }
private fun maxNaN(a: Double, b: Double) = if (a.isNaN() || b.isNaN()) Double.NaN else maxOf(a, b)
private fun minNaN(a: Double, b: Double) = if (a.isNaN() || b.isNaN()) Double.NaN else minOf(a, b)

class ArithmeticSpec : FunSpec({
    // values: positive (pow and rem stay real) and with fractions, so floor division and rem are not trivial
    val s0 = arr { 1.5 }
    val v0 = arr(3) { 0.5 + it * 1.25 }
    val A0 = arr(2, 3) { 1.0 + it * 0.75 }
    val X0 = arr(2, 2, 3) { 0.25 + it * 0.5 }
    val Y0 = arr(2, 1, 2, 3) { 2.0 + it * 0.125 }
    val s = dscalar("s"); val v = dvector("v"); val A = dmatrix("A"); val X = dtensor3("X"); val Y = dtensor4("Y")
    val tA: Tensor<F64> = A; val tv: Tensor<F64> = v
    val inputs = arrayOf<Pair<Tensor<*>, Any>>(s to s0.nd(), v to v0.nd(), A to A0.nd(), X to X0.nd(), Y to Y0.nd())

    val o = Oracle(inputs)

    test("plus: every rank pairing broadcasts to the higher rank, values as NumPy") {
        o.check(s + s, Scalar::class, s0.zip(s0) { a, b -> a + b })
        o.check(v + v, Vector::class, v0.zip(v0) { a, b -> a + b })
        o.check(A + A, Matrix::class, A0.zip(A0) { a, b -> a + b })
        o.check(A + v, Matrix::class, A0.zip(v0) { a, b -> a + b })
        o.check(v + A, Matrix::class, v0.zip(A0) { a, b -> a + b })
        o.check(A + s, Matrix::class, A0.zip(s0) { a, b -> a + b })
        o.check(s + A, Matrix::class, s0.zip(A0) { a, b -> a + b })
        o.check(X + A, Tensor3::class, X0.zip(A0) { a, b -> a + b })
        o.check(A + X, Tensor3::class, A0.zip(X0) { a, b -> a + b })
        o.check(X + X, Tensor3::class, X0.zip(X0) { a, b -> a + b })
        o.check(Y + v, Tensor4::class, Y0.zip(v0) { a, b -> a + b })
        o.check(s + Y, Tensor4::class, s0.zip(Y0) { a, b -> a + b })
        o.check(Y + Y, Tensor4::class, Y0.zip(Y0) { a, b -> a + b })
        o.check(v + s, Vector::class, v0.zip(s0) { a, b -> a + b })
        o.check(s + v, Vector::class, s0.zip(v0) { a, b -> a + b })
        o.check(tA + tv, Tensor::class, A0.zip(v0) { a, b -> a + b })
    }

    test("minus: every rank pairing broadcasts to the higher rank, values as NumPy") {
        o.check(s - s, Scalar::class, s0.zip(s0) { a, b -> a - b })
        o.check(v - v, Vector::class, v0.zip(v0) { a, b -> a - b })
        o.check(A - A, Matrix::class, A0.zip(A0) { a, b -> a - b })
        o.check(A - v, Matrix::class, A0.zip(v0) { a, b -> a - b })
        o.check(v - A, Matrix::class, v0.zip(A0) { a, b -> a - b })
        o.check(A - s, Matrix::class, A0.zip(s0) { a, b -> a - b })
        o.check(s - A, Matrix::class, s0.zip(A0) { a, b -> a - b })
        o.check(X - A, Tensor3::class, X0.zip(A0) { a, b -> a - b })
        o.check(A - X, Tensor3::class, A0.zip(X0) { a, b -> a - b })
        o.check(X - X, Tensor3::class, X0.zip(X0) { a, b -> a - b })
        o.check(Y - v, Tensor4::class, Y0.zip(v0) { a, b -> a - b })
        o.check(s - Y, Tensor4::class, s0.zip(Y0) { a, b -> a - b })
        o.check(Y - Y, Tensor4::class, Y0.zip(Y0) { a, b -> a - b })
        o.check(v - s, Vector::class, v0.zip(s0) { a, b -> a - b })
        o.check(s - v, Vector::class, s0.zip(v0) { a, b -> a - b })
        o.check(tA - tv, Tensor::class, A0.zip(v0) { a, b -> a - b })
    }

    test("times: every rank pairing broadcasts to the higher rank, values as NumPy") {
        o.check(s * s, Scalar::class, s0.zip(s0) { a, b -> a * b })
        o.check(v * v, Vector::class, v0.zip(v0) { a, b -> a * b })
        o.check(A * A, Matrix::class, A0.zip(A0) { a, b -> a * b })
        o.check(A * v, Matrix::class, A0.zip(v0) { a, b -> a * b })
        o.check(v * A, Matrix::class, v0.zip(A0) { a, b -> a * b })
        o.check(A * s, Matrix::class, A0.zip(s0) { a, b -> a * b })
        o.check(s * A, Matrix::class, s0.zip(A0) { a, b -> a * b })
        o.check(X * A, Tensor3::class, X0.zip(A0) { a, b -> a * b })
        o.check(A * X, Tensor3::class, A0.zip(X0) { a, b -> a * b })
        o.check(X * X, Tensor3::class, X0.zip(X0) { a, b -> a * b })
        o.check(Y * v, Tensor4::class, Y0.zip(v0) { a, b -> a * b })
        o.check(s * Y, Tensor4::class, s0.zip(Y0) { a, b -> a * b })
        o.check(Y * Y, Tensor4::class, Y0.zip(Y0) { a, b -> a * b })
        o.check(v * s, Vector::class, v0.zip(s0) { a, b -> a * b })
        o.check(s * v, Vector::class, s0.zip(v0) { a, b -> a * b })
        o.check(tA * tv, Tensor::class, A0.zip(v0) { a, b -> a * b })
    }

    test("div: every rank pairing broadcasts to the higher rank, values as NumPy") {
        o.check(s / s, Scalar::class, s0.zip(s0) { a, b -> a / b })
        o.check(v / v, Vector::class, v0.zip(v0) { a, b -> a / b })
        o.check(A / A, Matrix::class, A0.zip(A0) { a, b -> a / b })
        o.check(A / v, Matrix::class, A0.zip(v0) { a, b -> a / b })
        o.check(v / A, Matrix::class, v0.zip(A0) { a, b -> a / b })
        o.check(A / s, Matrix::class, A0.zip(s0) { a, b -> a / b })
        o.check(s / A, Matrix::class, s0.zip(A0) { a, b -> a / b })
        o.check(X / A, Tensor3::class, X0.zip(A0) { a, b -> a / b })
        o.check(A / X, Tensor3::class, A0.zip(X0) { a, b -> a / b })
        o.check(X / X, Tensor3::class, X0.zip(X0) { a, b -> a / b })
        o.check(Y / v, Tensor4::class, Y0.zip(v0) { a, b -> a / b })
        o.check(s / Y, Tensor4::class, s0.zip(Y0) { a, b -> a / b })
        o.check(Y / Y, Tensor4::class, Y0.zip(Y0) { a, b -> a / b })
        o.check(v / s, Vector::class, v0.zip(s0) { a, b -> a / b })
        o.check(s / v, Vector::class, s0.zip(v0) { a, b -> a / b })
        o.check(tA / tv, Tensor::class, A0.zip(v0) { a, b -> a / b })
    }

    test("rem: every rank pairing broadcasts to the higher rank, values as NumPy") {
        o.check(s % s, Scalar::class, s0.zip(s0) { a, b -> pyMod(a, b) })
        o.check(v % v, Vector::class, v0.zip(v0) { a, b -> pyMod(a, b) })
        o.check(A % A, Matrix::class, A0.zip(A0) { a, b -> pyMod(a, b) })
        o.check(A % v, Matrix::class, A0.zip(v0) { a, b -> pyMod(a, b) })
        o.check(v % A, Matrix::class, v0.zip(A0) { a, b -> pyMod(a, b) })
        o.check(A % s, Matrix::class, A0.zip(s0) { a, b -> pyMod(a, b) })
        o.check(s % A, Matrix::class, s0.zip(A0) { a, b -> pyMod(a, b) })
        o.check(X % A, Tensor3::class, X0.zip(A0) { a, b -> pyMod(a, b) })
        o.check(A % X, Tensor3::class, A0.zip(X0) { a, b -> pyMod(a, b) })
        o.check(X % X, Tensor3::class, X0.zip(X0) { a, b -> pyMod(a, b) })
        o.check(Y % v, Tensor4::class, Y0.zip(v0) { a, b -> pyMod(a, b) })
        o.check(s % Y, Tensor4::class, s0.zip(Y0) { a, b -> pyMod(a, b) })
        o.check(Y % Y, Tensor4::class, Y0.zip(Y0) { a, b -> pyMod(a, b) })
        o.check(v % s, Vector::class, v0.zip(s0) { a, b -> pyMod(a, b) })
        o.check(s % v, Vector::class, s0.zip(v0) { a, b -> pyMod(a, b) })
        o.check(tA % tv, Tensor::class, A0.zip(v0) { a, b -> pyMod(a, b) })
    }

    test("pow: every rank pairing broadcasts to the higher rank, values as NumPy") {
        o.check(s pow s, Scalar::class, s0.zip(s0) { a, b -> Math.pow(a, b) })
        o.check(v pow v, Vector::class, v0.zip(v0) { a, b -> Math.pow(a, b) })
        o.check(A pow A, Matrix::class, A0.zip(A0) { a, b -> Math.pow(a, b) })
        o.check(A pow v, Matrix::class, A0.zip(v0) { a, b -> Math.pow(a, b) })
        o.check(v pow A, Matrix::class, v0.zip(A0) { a, b -> Math.pow(a, b) })
        o.check(A pow s, Matrix::class, A0.zip(s0) { a, b -> Math.pow(a, b) })
        o.check(s pow A, Matrix::class, s0.zip(A0) { a, b -> Math.pow(a, b) })
        o.check(X pow A, Tensor3::class, X0.zip(A0) { a, b -> Math.pow(a, b) })
        o.check(A pow X, Tensor3::class, A0.zip(X0) { a, b -> Math.pow(a, b) })
        o.check(X pow X, Tensor3::class, X0.zip(X0) { a, b -> Math.pow(a, b) })
        o.check(Y pow v, Tensor4::class, Y0.zip(v0) { a, b -> Math.pow(a, b) })
        o.check(s pow Y, Tensor4::class, s0.zip(Y0) { a, b -> Math.pow(a, b) })
        o.check(Y pow Y, Tensor4::class, Y0.zip(Y0) { a, b -> Math.pow(a, b) })
        o.check(v pow s, Vector::class, v0.zip(s0) { a, b -> Math.pow(a, b) })
        o.check(s pow v, Vector::class, s0.zip(v0) { a, b -> Math.pow(a, b) })
        o.check(tA pow tv, Tensor::class, A0.zip(v0) { a, b -> Math.pow(a, b) })
    }

    test("intDiv: every rank pairing broadcasts to the higher rank, values as NumPy") {
        o.check(s intDiv s, Scalar::class, s0.zip(s0) { a, b -> kotlin.math.floor(a / b) })
        o.check(v intDiv v, Vector::class, v0.zip(v0) { a, b -> kotlin.math.floor(a / b) })
        o.check(A intDiv A, Matrix::class, A0.zip(A0) { a, b -> kotlin.math.floor(a / b) })
        o.check(A intDiv v, Matrix::class, A0.zip(v0) { a, b -> kotlin.math.floor(a / b) })
        o.check(v intDiv A, Matrix::class, v0.zip(A0) { a, b -> kotlin.math.floor(a / b) })
        o.check(A intDiv s, Matrix::class, A0.zip(s0) { a, b -> kotlin.math.floor(a / b) })
        o.check(s intDiv A, Matrix::class, s0.zip(A0) { a, b -> kotlin.math.floor(a / b) })
        o.check(X intDiv A, Tensor3::class, X0.zip(A0) { a, b -> kotlin.math.floor(a / b) })
        o.check(A intDiv X, Tensor3::class, A0.zip(X0) { a, b -> kotlin.math.floor(a / b) })
        o.check(X intDiv X, Tensor3::class, X0.zip(X0) { a, b -> kotlin.math.floor(a / b) })
        o.check(Y intDiv v, Tensor4::class, Y0.zip(v0) { a, b -> kotlin.math.floor(a / b) })
        o.check(s intDiv Y, Tensor4::class, s0.zip(Y0) { a, b -> kotlin.math.floor(a / b) })
        o.check(Y intDiv Y, Tensor4::class, Y0.zip(Y0) { a, b -> kotlin.math.floor(a / b) })
        o.check(v intDiv s, Vector::class, v0.zip(s0) { a, b -> kotlin.math.floor(a / b) })
        o.check(s intDiv v, Vector::class, s0.zip(v0) { a, b -> kotlin.math.floor(a / b) })
        o.check(tA intDiv tv, Tensor::class, A0.zip(v0) { a, b -> kotlin.math.floor(a / b) })
    }

    test("maximum: every rank pairing, values as NumPy") {
        o.check(maximum(s, s), Scalar::class, s0.zip(s0) { a, b -> maxNaN(a, b) })
        o.check(maximum(v, v), Vector::class, v0.zip(v0) { a, b -> maxNaN(a, b) })
        o.check(maximum(A, A), Matrix::class, A0.zip(A0) { a, b -> maxNaN(a, b) })
        o.check(maximum(A, v), Matrix::class, A0.zip(v0) { a, b -> maxNaN(a, b) })
        o.check(maximum(v, A), Matrix::class, v0.zip(A0) { a, b -> maxNaN(a, b) })
        o.check(maximum(A, s), Matrix::class, A0.zip(s0) { a, b -> maxNaN(a, b) })
        o.check(maximum(s, A), Matrix::class, s0.zip(A0) { a, b -> maxNaN(a, b) })
        o.check(maximum(X, A), Tensor3::class, X0.zip(A0) { a, b -> maxNaN(a, b) })
        o.check(maximum(A, X), Tensor3::class, A0.zip(X0) { a, b -> maxNaN(a, b) })
        o.check(maximum(X, X), Tensor3::class, X0.zip(X0) { a, b -> maxNaN(a, b) })
        o.check(maximum(Y, v), Tensor4::class, Y0.zip(v0) { a, b -> maxNaN(a, b) })
        o.check(maximum(s, Y), Tensor4::class, s0.zip(Y0) { a, b -> maxNaN(a, b) })
        o.check(maximum(Y, Y), Tensor4::class, Y0.zip(Y0) { a, b -> maxNaN(a, b) })
        o.check(maximum(v, s), Vector::class, v0.zip(s0) { a, b -> maxNaN(a, b) })
        o.check(maximum(s, v), Vector::class, s0.zip(v0) { a, b -> maxNaN(a, b) })
        o.check(maximum(tA, tv), Tensor::class, A0.zip(v0) { a, b -> maxNaN(a, b) })
    }

    test("minimum: every rank pairing, values as NumPy") {
        o.check(minimum(s, s), Scalar::class, s0.zip(s0) { a, b -> minNaN(a, b) })
        o.check(minimum(v, v), Vector::class, v0.zip(v0) { a, b -> minNaN(a, b) })
        o.check(minimum(A, A), Matrix::class, A0.zip(A0) { a, b -> minNaN(a, b) })
        o.check(minimum(A, v), Matrix::class, A0.zip(v0) { a, b -> minNaN(a, b) })
        o.check(minimum(v, A), Matrix::class, v0.zip(A0) { a, b -> minNaN(a, b) })
        o.check(minimum(A, s), Matrix::class, A0.zip(s0) { a, b -> minNaN(a, b) })
        o.check(minimum(s, A), Matrix::class, s0.zip(A0) { a, b -> minNaN(a, b) })
        o.check(minimum(X, A), Tensor3::class, X0.zip(A0) { a, b -> minNaN(a, b) })
        o.check(minimum(A, X), Tensor3::class, A0.zip(X0) { a, b -> minNaN(a, b) })
        o.check(minimum(X, X), Tensor3::class, X0.zip(X0) { a, b -> minNaN(a, b) })
        o.check(minimum(Y, v), Tensor4::class, Y0.zip(v0) { a, b -> minNaN(a, b) })
        o.check(minimum(s, Y), Tensor4::class, s0.zip(Y0) { a, b -> minNaN(a, b) })
        o.check(minimum(Y, Y), Tensor4::class, Y0.zip(Y0) { a, b -> minNaN(a, b) })
        o.check(minimum(v, s), Vector::class, v0.zip(s0) { a, b -> minNaN(a, b) })
        o.check(minimum(s, v), Vector::class, s0.zip(v0) { a, b -> minNaN(a, b) })
        o.check(minimum(tA, tv), Tensor::class, A0.zip(v0) { a, b -> minNaN(a, b) })
    }
    test("Kotlin numbers on either side are weak literals of the tensor's type") {
        val w: Matrix<F64> = 0.1 * A
        o.check(w, Matrix::class, A0.map { 0.1 * it })
        o.check(A - 0.1, Matrix::class, A0.map { it - 0.1 })
        o.check(1.0 - A, Matrix::class, A0.map { 1.0 - it })
        o.check(A + 2, Matrix::class, A0.map { it + 2 })
        o.check(2L * v, Vector::class, v0.map { 2 * it })
        o.check(s / 4, Scalar::class, s0.map { it / 4 })
        o.check(3.0 / v, Vector::class, v0.map { 3.0 / it })
        o.check(2 / v, Vector::class, v0.map { 2 / it })
        o.check(v / 2L, Vector::class, v0.map { it / 2 })
        o.check(v / 2f, Vector::class, v0.map { it / 2 })
        o.check(2f / v, Vector::class, v0.map { 2 / it })
        o.check(A % 2.0, Matrix::class, A0.map { pyMod(it, 2.0) })
        o.check(7.0 % A, Matrix::class, A0.map { pyMod(7.0, it) })
        o.check(A pow 2, Matrix::class, A0.map { it * it })
        o.check(2.0 pow v, Vector::class, v0.map { Math.pow(2.0, it) })
        o.check(A intDiv 2.0, Matrix::class, A0.map { kotlin.math.floor(it / 2) })
        o.check(X * 0.5f, Tensor3::class, X0.map { it * 0.5 })
        o.check(0.5f + Y, Tensor4::class, Y0.map { it + 0.5 })
        o.check(3L - s, Scalar::class, s0.map { 3 - it })
        o.check(maximum(A, 3.0), Matrix::class, A0.map { maxOf(it, 3.0) })
        o.check(minimum(2.0, v), Vector::class, v0.map { minOf(it, 2.0) })
        o.check(maximum(v, 1), Vector::class, v0.map { maxOf(it, 1.0) })
        o.check(-A, Matrix::class, A0.map { -it })
        o.check(+A, Matrix::class, A0)
        o.check(-tA, Tensor::class, A0.map { -it })
    }

    test("float32 stays float32 with Double literals; integers stay integers with Int literals") {
        val f = fvector("f")
        val g: Vector<F32> = 0.5 * f + 1.0
        g.dtype shouldBe DType.FLOAT32
        g.eval(f to floatArrayOf(2f, 4f)).toFloatArray().toList() shouldBe listOf(2f, 3f)
        val i = ivector("i")
        val j: Vector<I32> = (i * 3 + 1L) % 4
        j.dtype shouldBe DType.INT32
        j.eval(i to intArrayOf(1, 2, -3)).toLongArray().toList() shouldBe listOf(0L, 3L, 0L)
        val k: Vector<I32> = i intDiv 2
        k.eval(i to intArrayOf(5, -5)).toLongArray().toList() shouldBe listOf(2L, -3L)
        val p: Vector<I32> = i pow 3
        p.eval(i to intArrayOf(2, -3)).toLongArray().toList() shouldBe listOf(8L, -27L)
        val n: Vector<I32> = -i
        n.eval(i to intArrayOf(7)).toLongArray().toList() shouldBe listOf(-7L)
        val l = lscalar("l")
        val big: Scalar<I64> = l * 3_000_000_000L
        big.eval(l to 3L).toLong() shouldBe 9_000_000_000L
        val x = scalar("x")
        val fx: Scalar<FX> = x * 2.0
        fx.dtype shouldBe DType.FLOATX
    }

    test("integer literals that do not fit the tensor's type are errors naming the literal") {
        val b = bvector("b")
        val e = io.kotest.assertions.throwables.shouldThrow<dev.theon.TheonException.TypeError> { b + 1000 }
        e.message!!.contains("1000") shouldBe true
    }
})

/** True when [v] is [root] or computed from it. */
fun dependsOn(v: Tensor<*>, root: Tensor<*>): Boolean {
    val seen = HashSet<dev.theon.graph.Variable>()
    fun walk(x: dev.theon.graph.Variable): Boolean {
        if (x === root.variable) return true
        if (!seen.add(x)) return false
        return x.owner()?.inputs()?.any { walk(it) } ?: false
    }
    return walk(v.variable)
}
