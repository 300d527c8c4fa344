package dev.theon.dsl

import dev.theon.tensor.DType
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

class CastsSpec : FunSpec({
    test("cast<E>() and cast(E) change the element type and keep the rank") {
        val m = dmatrix("m")
        val f: Matrix<F32> = m.cast<F32>()
        f.dtype shouldBe DType.FLOAT32
        val i: Matrix<I32> = m.cast(I32)
        // C-cast semantics: toward zero
        i.eval(m to arrayOf(d(1.9, -1.9))).toLongArray().toList() shouldBe listOf(1L, -1L)
        val s: Scalar<I64> = dscalar().cast<I64>()
        val v: Vector<B> = dvector().cast<B>()
        val t3: Tensor3<F64> = ftensor3().cast<F64>()
        val t4: Tensor4<FX> = dtensor4().cast(FX)
        val g: Tensor<I8> = (dmatrix() as Tensor<F64>).cast<I8>()
        listOf(s.dtype, v.dtype, t3.dtype, t4.dtype, g.dtype) shouldBe listOf(DType.INT64, DType.BOOL, DType.FLOAT64, DType.FLOATX, DType.INT8)
        listOf(s.ndim, v.ndim, t3.ndim, t4.ndim, g.ndim) shouldBe listOf(0, 1, 3, 4, 2)
        listOf(dscalar().cast(F32).dtype, dvector().cast(F32).dtype, dtensor3().cast(I16).dtype, dtensor4().cast(I32).dtype) shouldBe
            listOf(DType.FLOAT32, DType.FLOAT32, DType.INT16, DType.INT32)
    }

    test("mixing F32 and F64 goes through an explicit cast") {
        val x = fvector("x"); val y = dvector("y")
        val z: Vector<F64> = x.cast<F64>() + y
        shouldBeClose(z.eval(x to floatArrayOf(0.5f), y to d(0.25)), d(0.75))
        val w: Vector<F32> = x + y.cast<F32>()
        w.dtype shouldBe DType.FLOAT32
    }
})
