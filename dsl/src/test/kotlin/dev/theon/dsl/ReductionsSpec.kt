package dev.theon.dsl

import dev.theon.tensor.DType
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.types.shouldBeInstanceOf

class ReductionsSpec : FunSpec({
    val m0 = arrayOf(d(3.0, -1.0, 4.0), d(1.5, 9.0, -2.0))     // 2 x 3
    val m = dmatrix("m")
    fun colwise(f: (List<Double>) -> Double) = DoubleArray(3) { j -> f(listOf(m0[0][j], m0[1][j])) }
    fun rowwise(f: (List<Double>) -> Double) = DoubleArray(2) { i -> f(m0[i].toList()) }
    val all = m0.flat().toList()
    fun mean(x: List<Double>) = x.sum() / x.size
    fun variance(x: List<Double>) = mean(x).let { mu -> x.sumOf { (it - mu) * (it - mu) } / x.size }

    test("full reductions are scalars of the float type") {
        val table: List<Triple<String, Scalar<F64>, Double>> = listOf(
            Triple("sum", m.sum(), all.sum()), Triple("prod", m.prod(), all.fold(1.0) { a, b -> a * b }),
            Triple("mean", m.mean(), mean(all)), Triple("max", m.max(), all.max()), Triple("min", m.min(), all.min()),
            Triple("variance", m.variance(), variance(all)), Triple("std", m.std(), kotlin.math.sqrt(variance(all))),
        )
        for ((name, r, expected) in table) {
            r.dtype shouldBe DType.FLOAT64
            io.kotest.assertions.withClue(name) { shouldBeClose(r.eval(m to m0), d(expected), 1e-12) }
        }
    }

    test("one axis drops one rank") {
        val table: List<Triple<String, Vector<F64>, DoubleArray>> = listOf(
            Triple("sum 0", m.sum(0), colwise { it.sum() }), Triple("sum 1", m.sum(1), rowwise { it.sum() }),
            Triple("sum -1", m.sum(-1), rowwise { it.sum() }),
            Triple("prod 0", m.prod(0), colwise { it[0] * it[1] }), Triple("mean 1", m.mean(1), rowwise(::mean)),
            Triple("max 0", m.max(0), colwise { it.max() }), Triple("min 1", m.min(1), rowwise { it.min() }),
            Triple("variance 0", m.variance(0), colwise(::variance)), Triple("std 1", m.std(1), rowwise { kotlin.math.sqrt(variance(it)) }),
        )
        for ((name, r, expected) in table) io.kotest.assertions.withClue(name) { shouldBeClose(r.eval(m to m0), expected, 1e-12) }
        val s: Scalar<F64> = dvector().sum(0)
        val v: Vector<F64> = dmatrix().max(1)
        val mm: Matrix<F64> = dtensor3().mean(2)
        val t3: Tensor3<F64> = dtensor4().min(0)
        listOf(s.ndim, v.ndim, mm.ndim, t3.ndim) shouldBe listOf(0, 1, 2, 3)
    }

    test("several axes or keepdims give the generic type with the right rank") {
        val t = dtensor3("t")
        val r = t.sum(0, 2)
        r.shouldBeInstanceOf<Vector<F64>>()
        val t0 = Array(2) { i -> Array(3) { j -> DoubleArray(4) { k -> i * 100.0 + j * 10.0 + k } } }
        shouldBeClose(r.eval(t to t0), DoubleArray(3) { j -> (0 until 2).sumOf { i -> (0 until 4).sumOf { k -> t0[i][j][k] } } })
        val k = m.sum(1, keepdims = true)
        k.shouldBeInstanceOf<Matrix<F64>>()
        k.eval(m to m0).shape().toList() shouldBe listOf(2L, 1L)
        m.max(keepdims = true).eval(m to m0).shape().toList() shouldBe listOf(1L, 1L)
        m.variance(ddof = 1).eval(m to m0).toDouble() shouldBe (all.sumOf { (it - mean(all)).let { d -> d * d } } / 5 plusOrMinus 1e-12)
        m.std(1, ddof = 1).eval(m to m0).toDoubleArray().toList().size shouldBe 2
    }

    test("integer and bool reductions follow the core: exact int64 sums, float64 means") {
        val i = ivector("i")
        val s: Scalar<I64> = i.sum()
        s.eval(i to intArrayOf(2_000_000_000, 2_000_000_000)).toLong() shouldBe 4_000_000_000L
        val p: Scalar<I64> = i.prod()
        p.eval(i to intArrayOf(3, -4)).toLong() shouldBe -12L
        val mu: Scalar<F64> = i.mean()
        mu.eval(i to intArrayOf(1, 2)).toDouble() shouldBe 1.5
        val im = imatrix("im")
        val cs: Vector<I64> = im.sum(0)
        cs.eval(im to arrayOf(intArrayOf(1, 2), intArrayOf(3, 4))).toLongArray().toList() shouldBe listOf(4L, 6L)
        val cm: Vector<F64> = im.mean(1)
        cm.eval(im to arrayOf(intArrayOf(1, 2), intArrayOf(3, 4))).toDoubleArray().toList() shouldBe listOf(1.5, 3.5)
        val iv: Scalar<F64> = i.variance()
        iv.eval(i to intArrayOf(1, 3)).toDouble() shouldBe 1.0
        i.std().eval(i to intArrayOf(1, 3)).toDouble() shouldBe 1.0
        val mx: Scalar<I32> = i.max()
        mx.eval(i to intArrayOf(5, 9, 2)).toLong() shouldBe 9L
        val x = dvector("x")
        val mask = x gt 0.0
        val count: Scalar<I64> = mask.sum()
        count.eval(x to d(1.0, -1.0, 2.0)).toLong() shouldBe 2L
        val frac: Scalar<F64> = mask.mean()
        frac.dtype shouldBe DType.FLOAT64
        val pr: Scalar<I64> = mask.prod()
        pr.dtype shouldBe DType.INT64
        mask.sum(0).dtype shouldBe DType.INT64
        mask.sum(0, keepdims = true).dtype shouldBe DType.INT64
        mask.mean(0).dtype shouldBe DType.FLOAT64
    }

    test("argmax, argmin, all, any") {
        val a: Scalar<I64> = m.argmax()
        a.eval(m to m0).toLong() shouldBe 4L
        val a0: Vector<I64> = m.argmin(0)
        a0.eval(m to m0).toLongArray().toList() shouldBe listOf(1L, 0L, 1L)
        m.argmax(1).eval(m to m0).toLongArray().toList() shouldBe listOf(2L, 1L)
        val pos = m gt 0.0
        val al: Scalar<B> = pos.all()
        al.eval(m to m0).toBoolean() shouldBe false
        val an: Vector<B> = pos.any(0)
        an.eval(m to m0).toBooleanArray().toList() shouldBe listOf(true, true, true)
        pos.all(1).eval(m to m0).toBooleanArray().toList() shouldBe listOf(false, false)
        (m gt -5.0).all().eval(m to m0).toBoolean() shouldBe true
        m.argmax(0, keepdims = true).eval(m to m0).shape().toList() shouldBe listOf(1L, 3L)
    }
})

