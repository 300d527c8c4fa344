package dev.theon.dsl

import dev.theon.TheonException
import dev.theon.backend.Backends
import dev.theon.tensor.DType
import dev.theon.tensor.NDArray
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldNotBeIn
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

/**
 * The snippet's `fn(..., backend = "simd", floatX = F32)` line, run for real: the simd backend is a test dependency of
 * this module. The cost is float64 whatever floatX says (its inputs are dmatrix and dvector); each call also applies the
 * update w <- 0.9 w, so the shared value tells that both calls committed it.
 */
private fun trainsOnSimdThenOnReference(trainOn: (String) -> Fn2<NDArray>, a: Array<DoubleArray>, b: DoubleArray, w: () -> NDArray) {
    val train = trainOn("simd")
    train.function.backend() shouldBe "simd"
    train.describe() shouldContain "backend simd"
    val r: NDArray = train(a, b)
    r.toDouble() shouldBe 4.0
    r.dtype() shouldBe DType.FLOAT64
    shouldBeClose(w(), d(0.9, 1.8))
    // the same line on the reference backend gives the same value and applies the update once more
    val onReference = trainOn("reference")
    onReference.function.backend() shouldBe "reference"
    onReference(a, b).toDouble() shouldBe 4.0
    shouldBeClose(w(), d(0.81, 1.62))
    // a backend whose module is not on the class path: the error says which artifact to add
    "opencl" shouldNotBeIn Backends.all().keys
    shouldThrow<TheonException.CompileError> { trainOn("opencl") }.message shouldContain "theon-backend-opencl"
}

/** The Kotlin snippet of the public API contract (API.md), line for line, with the values it promises. */
class ApiContractSpec : FunSpec({
    test("the API.md Kotlin snippet compiles and works, gradient included") {
        val x = dscalar("x"); val y = dscalar("y")           // Scalar<F64>
        val f = fn(x, y) { x + y }                            // f(2.0, 3.0).toDouble() == 5.0
        val A = dmatrix("A"); val v = dvector("v")             // Matrix<F64>, Vector<F64>
        val lin = (A dot v) + v                                // Vector<F64>; `A dot A` is a Matrix<F64>; A.T
        val w = shared(arrayOf(doubleArrayOf(1.0, 2.0)), "w")  // typed by the value's rank and dtype
        val cost = ((A dot v) - v).pow(2).sum()               // Scalar<F64>
        val gv = grad(cost, v)                                 // Vector<F64>

        f(2.0, 3.0).toDouble() shouldBe 5.0
        val linT: Vector<F64> = lin
        val aa: Matrix<F64> = A dot A
        val at: Matrix<F64> = A.T
        val wT: Matrix<F64> = w
        val costT: Scalar<F64> = cost
        val gvT: Vector<F64> = gv
        listOf(linT.ndim, aa.ndim, at.ndim, wT.ndim, costT.ndim, gvT.ndim) shouldBe listOf(1, 2, 2, 2, 0, 1)

        val a = arrayOf(d(1.0, 2.0), d(3.0, 4.0)); val b = d(1.0, -1.0)
        // (A v - v) = ([-1, -1] - [1, -1]) = [-2, 0]; cost = 4
        cost.eval(A to a, v to b).toDouble() shouldBe 4.0
        pp(cost) shouldContain "**"
        // d/dv |A v - v|^2 = 2 (A - I)^T (A v - v) = 2 [[0, 3], [2, 3]] [-2, 0] = [0, -8]
        shouldBeClose(gv.eval(A to a, v to b), d(0.0, -8.0))

        val trainOn = { backend: String -> fn(A, v, updates = listOf(w to w - 0.1 * w), backend = backend, floatX = F32) { cost } }
        trainsOnSimdThenOnReference(trainOn, a, b) { w.value }
    }

    test("the API.md Kotlin snippet without its grad line (needs no gradient of dot)") {
        val x = dscalar("x"); val y = dscalar("y")           // Scalar<F64>
        val f = fn(x, y) { x + y }                            // f(2.0, 3.0).toDouble() == 5.0
        val A = dmatrix("A"); val v = dvector("v")             // Matrix<F64>, Vector<F64>
        val lin = (A dot v) + v                                // Vector<F64>; `A dot A` is a Matrix<F64>; A.T
        val w = shared(arrayOf(doubleArrayOf(1.0, 2.0)), "w")  // typed by the value's rank and dtype
        val cost = ((A dot v) - v).pow(2).sum()               // Scalar<F64>

        f(2.0, 3.0).toDouble() shouldBe 5.0
        val linT: Vector<F64> = lin
        val aa: Matrix<F64> = A dot A
        val at: Matrix<F64> = A.T
        val wT: Matrix<F64> = w
        val costT: Scalar<F64> = cost
        listOf(linT.ndim, aa.ndim, at.ndim, wT.ndim, costT.ndim) shouldBe listOf(1, 2, 2, 2, 0)

        val a = arrayOf(d(1.0, 2.0), d(3.0, 4.0)); val b = d(1.0, -1.0)
        // (A v - v) = ([-1, -1] - [1, -1]) = [-2, 0]; cost = 4
        cost.eval(A to a, v to b).toDouble() shouldBe 4.0
        pp(cost) shouldContain "**"

        val trainOn = { backend: String -> fn(A, v, updates = listOf(w to w - 0.1 * w), backend = backend, floatX = F32) { cost } }
        trainsOnSimdThenOnReference(trainOn, a, b) { w.value }
    }

    test("the README's Kotlin quick start compiles and trains") {
        val x = dscalar("x"); val y = dscalar("y")
        val f = fn(x, y) { x + y }                             // f(2.0, 3.0).toDouble() == 5.0
        val A = dmatrix("A"); val v = dvector("v")
        val lin = (A dot v) + v                                 // Vector<F64>; broadcasting types follow the higher rank
        val w = shared(doubleArrayOf(0.0, 0.0), "w")           // Vector<F64>, from the value
        val cost = ((A * w).sum(1) - v).pow(2).mean()          // Scalar<F64>
        val step = fn(A, v, updates = listOf(w to w - 0.1 * grad(cost, w))) { cost }
        val row: Vector<F64> = A[0]; val block: Matrix<F64> = A[0..1, 1 until 3]

        f(2.0, 3.0).toDouble() shouldBe 5.0
        val linT: Vector<F64> = lin
        listOf(linT.ndim, row.ndim, block.ndim) shouldBe listOf(1, 1, 2)
        val a = arrayOf(d(1.0, 0.0), d(0.0, 1.0)); val t = d(1.0, 2.0)
        val first = step(a, t).toDouble()
        first shouldBe 2.5                                    // mean((0 - 1)^2, (0 - 2)^2)
        repeat(50) { step(a, t) }
        // with A = I the gradient is w - t, so each step multiplies w - t by 0.9 and the loss by 0.81
        shouldBeClose(d(step(a, t).toDouble()), d(2.5 * Math.pow(0.81, 51.0)), 1e-9)
    }
})
