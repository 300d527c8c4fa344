package dev.theon.dsl

import dev.theon.TheonException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf

class LinalgSpec : FunSpec({
    val a0 = arrayOf(d(1.0, 2.0, 3.0), d(4.0, 5.0, 6.0))    // 2 x 3
    val b0 = arrayOf(d(1.0, -1.0), d(0.5, 2.0), d(3.0, 0.0)) // 3 x 2
    val x0 = d(2.0, -1.0, 0.5)
    val y0 = d(1.0, 3.0)
    fun mm(a: Array<DoubleArray>, b: Array<DoubleArray>) = Array(a.size) { i -> DoubleArray(b[0].size) { j -> a[i].indices.sumOf { k -> a[i][k] * b[k][j] } } }
    fun mv(a: Array<DoubleArray>, x: DoubleArray) = DoubleArray(a.size) { i -> a[i].indices.sumOf { k -> a[i][k] * x[k] } }
    val A = dmatrix("A"); val Bm = dmatrix("B"); val x = dvector("x"); val y = dvector("y")

    test("dot is typed by rank: M.V = V, V.V = S, M.M = M, V.M = V") {
        val mvr: Vector<F64> = A dot x
        shouldBeClose(mvr.eval(A to a0, x to x0), mv(a0, x0))
        val vv: Scalar<F64> = x dot x
        vv.eval(x to x0).toDouble() shouldBe x0.sumOf { it * it }
        val mmr: Matrix<F64> = A dot Bm
        shouldBeClose(mmr.eval(A to a0, Bm to b0), mm(a0, b0).flat())
        val vm: Vector<F64> = y dot A
        shouldBeClose(vm.eval(y to y0, A to a0), DoubleArray(3) { j -> y0[0] * a0[0][j] + y0[1] * a0[1][j] })
        val g: Tensor<F64> = (dtensor3("t") as Tensor<F64>) dot x
        g.shouldBeInstanceOf<Matrix<F64>>()
    }

    test("matmul, outer, tensordot") {
        val m: Matrix<F64> = A matmul Bm
        shouldBeClose(m.eval(A to a0, Bm to b0), mm(a0, b0).flat())
        val v: Vector<F64> = A matmul x
        shouldBeClose(v.eval(A to a0, x to x0), mv(a0, x0))
        val r: Vector<F64> = y matmul A
        r.eval(y to y0, A to a0).toDoubleArray().size shouldBe 3
        val s: Scalar<F64> = x matmul x
        s.eval(x to x0).toDouble() shouldBe x0.sumOf { it * it }
        val t = dtensor3("t")
        val bt: Tensor3<F64> = t matmul t
        val bm: Tensor3<F64> = t matmul Bm
        val mb: Tensor3<F64> = A matmul t
        val t0 = arrayOf(arrayOf(d(1.0, 2.0), d(3.0, 4.0)), arrayOf(d(0.0, 1.0), d(1.0, 0.0)))
        shouldBeClose(bt.eval(t to t0), mm(t0[0], t0[0]).flat() + mm(t0[1], t0[1]).flat())
        listOf(bm.ndim, mb.ndim) shouldBe listOf(3, 3)
        val gm: Tensor<F64> = (t as Tensor<F64>) matmul (t as Tensor<F64>)
        gm.ndim shouldBe 3
        val o: Matrix<F64> = outer(x, y)
        shouldBeClose(o.eval(x to x0, y to y0), DoubleArray(6) { x0[it / 2] * y0[it % 2] })
        val td = tensordot(A, Bm, 1)
        td.shouldBeInstanceOf<Matrix<F64>>()
        shouldBeClose(td.eval(A to a0, Bm to b0), mm(a0, b0).flat())
        val td2 = tensordot(A, A, intArrayOf(0, 1), intArrayOf(0, 1))
        td2.eval(A to a0).toDouble() shouldBe a0.flat().sumOf { it * it }
    }

    test("sizes known when the graph is built are checked then") {
        val p = matrixOf<F64>("P", rows = 2, cols = 3)
        val q = vectorOf<F64>("q", size = 4)
        shouldThrow<TheonException.TypeError> { p dot q }.message shouldContain "LinalgSpec.kt"
    }

    test(".T and transpose keep the type") {
        val t: Matrix<F64> = A.T
        t.eval(A to a0).toDoubleMatrix() shouldBe arrayOf(d(1.0, 4.0), d(2.0, 5.0), d(3.0, 6.0))
        val vt: Vector<F64> = x.T
        shouldBeClose(vt.eval(x to x0), x0)
        val t3 = dtensor3("t3")
        val p: Tensor3<F64> = t3.transpose(1, 0, 2)
        p.eval(t3 to arrayOf(arrayOf(d(1.0, 2.0)), arrayOf(d(3.0, 4.0)))).shape().toList() shouldBe listOf(1L, 2L, 2L)
        val r: Tensor3<F64> = t3.T
        r.eval(t3 to arrayOf(arrayOf(d(1.0, 2.0)))).shape().toList() shouldBe listOf(2L, 1L, 1L)
        val s: Scalar<F64> = dscalar().T
        s.ndim shouldBe 0
    }
})
