package dev.theon.dsl

import dev.theon.tensor.DType
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf

class ShapeSpec : FunSpec({
    val a0 = arrayOf(d(1.0, 2.0, 3.0), d(4.0, 5.0, 6.0))
    val A = dmatrix("A")
    val flat = a0.flat()

    test("reshape is typed by the number of sizes") {
        val v: Vector<F64> = A.reshape(6)
        shouldBeClose(v.eval(A to a0), flat)
        val m: Matrix<F64> = A.reshape(3, -1)
        m.eval(A to a0).shape().toList() shouldBe listOf(3L, 2L)
        val t3: Tensor3<F64> = A.reshape(1, 2, 3)
        t3.eval(A to a0).shape().toList() shouldBe listOf(1L, 2L, 3L)
        val t4: Tensor4<F64> = A.reshape(1, 3, 1, 2)
        shouldBeClose(t4.eval(A to a0), flat)
        val g = A.reshape(longArrayOf(1, 1, 1, 1, 6))
        g.shouldBeInstanceOf<TensorN<F64>>()
        val n = lscalar("n")
        val sym = A.reshape(stack(n, n))
        sym.shouldBeInstanceOf<Matrix<F64>>()
        sym.eval(A to arrayOf(d(1.0, 2.0, 3.0, 4.0)), n to 2L).shape().toList() shouldBe listOf(2L, 2L)
    }

    test("flatten, dimshuffle, expandDims, squeeze") {
        val f: Vector<F64> = A.flatten()
        shouldBeClose(f.eval(A to a0), flat)
        val t3 = dtensor3("t3")
        val f2 = t3.flatten(2)
        f2.shouldBeInstanceOf<Matrix<F64>>()
        val v = dvector("v")
        val row = v.dimshuffle("x", 0)
        row.shouldBeInstanceOf<Matrix<F64>>()
        row.staticShape.toList() shouldBe listOf(1L, -1L)
        val e0: Vector<F64> = dscalar().expandDims()
        val e1: Matrix<F64> = v.expandDims(1)
        val e2: Tensor3<F64> = A.expandDims(0)
        val e3: Tensor4<F64> = t3.expandDims(-1)
        listOf(e0.ndim, e1.ndim, e2.ndim, e3.ndim) shouldBe listOf(1, 2, 3, 4)
        e1.staticShape.toList() shouldBe listOf(-1L, 1L)
        (dtensor4() as Tensor<F64>).expandDims(0).shouldBeInstanceOf<TensorN<F64>>()
        val sq = row.squeeze()
        sq.shouldBeInstanceOf<Vector<F64>>()
        val s1 = A.squeeze(0)
        s1.shouldBeInstanceOf<Vector<F64>>()
        shouldBeClose(s1.eval(A to arrayOf(d(7.0, 8.0))), d(7.0, 8.0))
    }

    test("concatenate, stack, split") {
        val B = dmatrix("B")
        val c: Matrix<F64> = concatenate(listOf(A, B), axis = 1)
        c.eval(A to a0, B to a0).shape().toList() shouldBe listOf(2L, 6L)
        val c0: Matrix<F64> = concatenate(A, B)
        shouldBeClose(c0.eval(A to a0, B to a0), flat + flat)
        val x = dscalar("x"); val y = dscalar("y")
        val sv: Vector<F64> = stack(x, y)
        shouldBeClose(sv.eval(x to 1.0, y to 2.0), d(1.0, 2.0))
        val v = dvector("v"); val w = dvector("w")
        val sm: Matrix<F64> = stack(listOf(v, w), axis = 1)
        shouldBeClose(sm.eval(v to d(1.0, 2.0), w to d(3.0, 4.0)), d(1.0, 3.0, 2.0, 4.0))
        val s3: Tensor3<F64> = stack(listOf(A, B))
        s3.eval(A to a0, B to a0).shape().toList() shouldBe listOf(2L, 2L, 3L)
        val s4: Tensor4<F64> = stack(listOf(dtensor3("p"), dtensor3("q")))
        s4.ndim shouldBe 4
        val parts: List<Matrix<F64>> = A.split(longArrayOf(1, 2), axis = 1)
        parts.size shouldBe 2
        shouldBeClose(parts[1].eval(A to a0), d(2.0, 3.0, 5.0, 6.0))
    }

    test("shape and shape(axis) are int64 and known at run time") {
        val s: Vector<I64> = A.shape
        s.eval(A to a0).toLongArray().toList() shouldBe listOf(2L, 3L)
        val n: Scalar<I64> = A.shape(-1)
        n.dtype shouldBe DType.INT64
        n.eval(A to a0).toLong() shouldBe 3L
    }
})
