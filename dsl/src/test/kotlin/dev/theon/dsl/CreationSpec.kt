package dev.theon.dsl

import dev.theon.tensor.DType
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf

class CreationSpec : FunSpec({
    test("zeros and ones are typed by element type and number of sizes") {
        val z: Vector<F64> = zeros(3)
        shouldBeClose(z.eval(), d(0.0, 0.0, 0.0))
        val o: Matrix<I32> = ones(2, 2)
        o.eval().toLongArray().toList() shouldBe listOf(1L, 1L, 1L, 1L)
        val z3: Tensor3<F32> = zeros(1, 2, 3)
        z3.eval().shape().toList() shouldBe listOf(1L, 2L, 3L)
        val o4: Tensor4<B> = ones(1, 1, 1, 2)
        o4.eval().toBooleanArray().toList() shouldBe listOf(true, true)
        val z2: Matrix<I64> = zeros(2, 1)
        z2.dtype shouldBe DType.INT64
        val o1: Vector<F32> = ones(2)
        val o3: Tensor3<F64> = ones(1, 1, 1)
        val z4: Tensor4<F64> = zeros(1, 1, 1, 1)
        listOf(o1.ndim, o3.ndim, z4.ndim) shouldBe listOf(1, 3, 4)
        val m = dmatrix("m")
        val like: Vector<F64> = ones(m.shape(0))
        like.eval(m to arrayOf(d(1.0), d(2.0), d(3.0))).toDoubleArray().toList() shouldBe listOf(1.0, 1.0, 1.0)
    }

    test("zerosLike, onesLike, fill, alloc") {
        val m = dmatrix("m")
        val m0 = arrayOf(d(1.0, 2.0))
        val z: Matrix<F64> = zerosLike(m)
        shouldBeClose(z.eval(m to m0), d(0.0, 0.0))
        val o: Matrix<F64> = onesLike(m)
        shouldBeClose(o.eval(m to m0), d(1.0, 1.0))
        val f: Matrix<F64> = fill(m, 7)
        shouldBeClose(f.eval(m to m0), d(7.0, 7.0))
        val v = dvector("v")
        val a = alloc(v, 2, 3)
        a.shouldBeInstanceOf<Matrix<F64>>()
        shouldBeClose(a.eval(v to d(1.0, 2.0, 3.0)), d(1.0, 2.0, 3.0, 1.0, 2.0, 3.0))
    }

    test("arange and eye") {
        val r: Vector<I64> = arange(4)
        r.eval().toLongArray().toList() shouldBe listOf(0L, 1L, 2L, 3L)
        arange(5L, 0L, -2L).eval().toLongArray().toList() shouldBe listOf(5L, 3L, 1L)
        val f: Vector<FX> = arange(0.0, 1.0, 0.25)
        f.dtype shouldBe DType.FLOATX
        shouldBeClose(fn { f }(), d(0.0, 0.25, 0.5, 0.75))
        val n = lscalar("n")
        arange(n).eval(n to 3L).toLongArray().toList() shouldBe listOf(0L, 1L, 2L)
        val e: Matrix<F64> = eye(3)
        shouldBeClose(e.eval(), d(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0))
        val k: Matrix<I32> = eye(2, 3, 1)
        k.eval().toLongArray().toList() shouldBe listOf(0L, 1L, 0L, 0L, 0L, 1L)
    }
})
