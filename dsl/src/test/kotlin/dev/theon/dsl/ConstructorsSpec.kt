package dev.theon.dsl

import dev.theon.T
import dev.theon.TheonException
import dev.theon.tensor.DType
import dev.theon.tensor.NDArray
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf

class ConstructorsSpec : FunSpec({

    test("every prefixed constructor makes its rank and dtype, named") {
        val prefixed: List<Triple<(String?) -> Tensor<*>, DType, Int>> = listOf(
            Triple(::scalar, DType.FLOATX, 0), Triple(::vector, DType.FLOATX, 1), Triple(::matrix, DType.FLOATX, 2),
            Triple(::tensor3, DType.FLOATX, 3), Triple(::tensor4, DType.FLOATX, 4),
            Triple(::dscalar, DType.FLOAT64, 0), Triple(::dvector, DType.FLOAT64, 1), Triple(::dmatrix, DType.FLOAT64, 2),
            Triple(::dtensor3, DType.FLOAT64, 3), Triple(::dtensor4, DType.FLOAT64, 4),
            Triple(::fscalar, DType.FLOAT32, 0), Triple(::fvector, DType.FLOAT32, 1), Triple(::fmatrix, DType.FLOAT32, 2),
            Triple(::ftensor3, DType.FLOAT32, 3), Triple(::ftensor4, DType.FLOAT32, 4),
            Triple(::lscalar, DType.INT64, 0), Triple(::lvector, DType.INT64, 1), Triple(::lmatrix, DType.INT64, 2),
            Triple(::ltensor3, DType.INT64, 3), Triple(::ltensor4, DType.INT64, 4),
            Triple(::iscalar, DType.INT32, 0), Triple(::ivector, DType.INT32, 1), Triple(::imatrix, DType.INT32, 2),
            Triple(::itensor3, DType.INT32, 3), Triple(::itensor4, DType.INT32, 4),
            Triple(::wscalar, DType.INT16, 0), Triple(::wvector, DType.INT16, 1), Triple(::wmatrix, DType.INT16, 2),
            Triple(::wtensor3, DType.INT16, 3), Triple(::wtensor4, DType.INT16, 4),
            Triple(::bscalar, DType.INT8, 0), Triple(::bvector, DType.INT8, 1), Triple(::bmatrix, DType.INT8, 2),
            Triple(::btensor3, DType.INT8, 3), Triple(::btensor4, DType.INT8, 4),
        )
        val classes = listOf(Scalar::class, Vector::class, Matrix::class, Tensor3::class, Tensor4::class)
        for ((make, dtype, rank) in prefixed) {
            val t = make("t")
            t.dtype shouldBe dtype
            t.ndim shouldBe rank
            t.name shouldBe "t"
            t::class shouldBe classes[rank]
            t.element shouldBe elementOf(dtype)
            t.staticShape.toList() shouldBe List(rank) { -1L }
        }
    }

    test("static types of the constructors") {
        val a: Scalar<F64> = dscalar(); val b: Vector<F32> = fvector(); val c: Matrix<FX> = matrix()
        val e: Tensor3<I64> = ltensor3(); val f: Tensor4<I32> = itensor4(); val g: Vector<I16> = wvector(); val h: Matrix<I8> = bmatrix()
        listOf(a, b, c, e, f, g, h).map { it.ndim } shouldBe listOf(0, 1, 2, 3, 4, 1, 2)
    }

    test("generic constructors take an element type and static sizes") {
        val flag: Scalar<B> = scalarOf("flag")
        flag.dtype shouldBe DType.BOOL
        val v = vectorOf<F32>("v", size = 3)
        v.staticShape.toList() shouldBe listOf(3L)
        val row = matrixOf<I64>("row", rows = 1)
        row.staticShape.toList() shouldBe listOf(1L, -1L)
        tensor3Of<F64>(d0 = 2).staticShape.toList() shouldBe listOf(2L, -1L, -1L)
        tensor4Of<I32>(d3 = 5).staticShape.toList() shouldBe listOf(-1L, -1L, -1L, 5L)
        val t5 = tensorOf<F64>(2, 3, 4, 5, 6, name = "t5")
        t5.shouldBeInstanceOf<TensorN<F64>>()
        t5.ndim shouldBe 5
        tensorOf(F32, longArrayOf(-1, 3)).shouldBeInstanceOf<Matrix<F32>>()
    }

    test("shared takes rank and dtype from Kotlin values") {
        val cases: List<Triple<Tensor<*>, DType, Int>> = listOf(
            Triple(shared(1.5), DType.FLOAT64, 0), Triple(shared(1.5f), DType.FLOAT32, 0), Triple(shared(3), DType.INT32, 0),
            Triple(shared(3L), DType.INT64, 0), Triple(shared(3.toShort()), DType.INT16, 0), Triple(shared(3.toByte()), DType.INT8, 0),
            Triple(shared(true), DType.BOOL, 0),
            Triple(shared(doubleArrayOf(1.0, 2.0)), DType.FLOAT64, 1), Triple(shared(floatArrayOf(1f)), DType.FLOAT32, 1),
            Triple(shared(intArrayOf(1)), DType.INT32, 1), Triple(shared(longArrayOf(1)), DType.INT64, 1),
            Triple(shared(shortArrayOf(1)), DType.INT16, 1), Triple(shared(byteArrayOf(1)), DType.INT8, 1),
            Triple(shared(booleanArrayOf(true)), DType.BOOL, 1),
            Triple(shared(arrayOf(doubleArrayOf(1.0))), DType.FLOAT64, 2), Triple(shared(arrayOf(floatArrayOf(1f))), DType.FLOAT32, 2),
            Triple(shared(arrayOf(intArrayOf(1))), DType.INT32, 2), Triple(shared(arrayOf(longArrayOf(1))), DType.INT64, 2),
            Triple(shared(arrayOf(shortArrayOf(1))), DType.INT16, 2), Triple(shared(arrayOf(byteArrayOf(1))), DType.INT8, 2),
            Triple(shared(arrayOf(booleanArrayOf(true))), DType.BOOL, 2),
            Triple(shared(arrayOf(arrayOf(doubleArrayOf(1.0)))), DType.FLOAT64, 3), Triple(shared(arrayOf(arrayOf(floatArrayOf(1f)))), DType.FLOAT32, 3),
            Triple(shared(arrayOf(arrayOf(intArrayOf(1)))), DType.INT32, 3), Triple(shared(arrayOf(arrayOf(longArrayOf(1)))), DType.INT64, 3),
            Triple(shared(arrayOf(arrayOf(booleanArrayOf(true)))), DType.BOOL, 3),
            Triple(shared(arrayOf(arrayOf(arrayOf(doubleArrayOf(1.0))))), DType.FLOAT64, 4),
            Triple(shared(arrayOf(arrayOf(arrayOf(floatArrayOf(1f))))), DType.FLOAT32, 4),
        )
        for ((t, dtype, rank) in cases) {
            t.dtype shouldBe dtype
            t.ndim shouldBe rank
            t.isShared shouldBe true
        }
        val w: Matrix<F64> = shared(arrayOf(doubleArrayOf(1.0, 2.0), doubleArrayOf(3.0, 4.0)), "w")
        w.value.toDoubleMatrix() shouldBe arrayOf(doubleArrayOf(1.0, 2.0), doubleArrayOf(3.0, 4.0))
        w.value = NDArray.of(arrayOf(doubleArrayOf(5.0)))
        w.value.toDoubleArray().toList() shouldBe listOf(5.0)
        w.setValue(arrayOf(doubleArrayOf(7.0, 8.0)))
        w.getValue(borrow = true).toDoubleArray().toList() shouldBe listOf(7.0, 8.0)
        shouldThrow<TheonException> { w.setValue(doubleArrayOf(1.0)) }.message shouldContain "rank"
        shouldThrow<TheonException.TypeError> { dscalar("x").value }.message shouldContain "not a shared variable"
    }

    test("shared and constant from an NDArray are typed by the expected type, checked") {
        val nd = NDArray.of(arrayOf(floatArrayOf(1f, 2f)))
        val w: Matrix<F32> = shared(nd, "w")
        w.dtype shouldBe DType.FLOAT32
        val any = shared<Matrix<*>>(nd)
        any.shouldBeInstanceOf<Matrix<*>>()
        shouldThrow<TheonException.TypeError> { shared<Vector<F32>>(nd) }.message shouldContain "is a Matrix, not a Vector"
        shouldThrow<TheonException.TypeError> { shared<Matrix<F64>>(nd) }.message shouldContain "not float64"
        val c: Vector<I64> = constant(NDArray.of(1L, 2L))
        c.eval().toLongArray().toList() shouldBe listOf(1L, 2L)
    }

    test("constants from Kotlin values") {
        val c: Matrix<F64> = constant(arrayOf(doubleArrayOf(1.0, 2.0)))
        (c * 2.0).eval().toDoubleArray().toList() shouldBe listOf(2.0, 4.0)
        val i: Vector<I32> = constant(intArrayOf(4, 5))
        (i + 1).eval().toLongArray().toList() shouldBe listOf(5L, 6L)
        val b: Scalar<B> = constant(true)
        (!b).eval().toBoolean() shouldBe false
        constant(2.5f).dtype shouldBe DType.FLOAT32
        constant(arrayOf(arrayOf(arrayOf(doubleArrayOf(1.0))))).ndim shouldBe 4
    }

    test("core variables convert to typed tensors, checked") {
        val v = T.dmatrix("m")
        v.typed().shouldBeInstanceOf<Matrix<*>>()
        val m: Matrix<F64> = v.asTyped()
        m.variable shouldBe v
        m shouldBe v.asTyped<Matrix<F64>>()
        shouldThrow<TheonException.TypeError> { v.asTyped<Matrix<F32>>() }
        shouldThrow<TheonException.TypeError> { v.asTyped<Vector<F64>>() }
        val t: Tensor<F64> = m
        t.asTyped<Matrix<F64>>() shouldBe m
        T.tensor(DType.FLOAT64, 6, "six").typed().shouldBeInstanceOf<TensorN<*>>()
        element<F32>() shouldBe F32
        elementOf(DType.INT16) shouldBe I16
    }
})
