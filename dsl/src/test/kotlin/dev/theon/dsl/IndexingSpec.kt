package dev.theon.dsl

import dev.theon.TheonException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf

class IndexingSpec : FunSpec({
    // m0[i][j] = 10 i + j, so every picked element tells where it came from
    val m0 = Array(4) { i -> DoubleArray(5) { j -> 10.0 * i + j } }
    val M = dmatrix("M")
    val v0 = DoubleArray(6) { it.toDouble() }
    val v = dvector("v")
    fun pick(rows: IntProgression, cols: IntProgression) = rows.flatMap { i -> cols.map { j -> 10.0 * i + j } }.toDoubleArray()

    test("Ints drop axes, ranges keep them: the type follows") {
        val row: Vector<F64> = M[2]
        shouldBeClose(row.eval(M to m0), m0[2])
        val e: Scalar<F64> = M[1, 3]
        e.eval(M to m0).toDouble() shouldBe 13.0
        val block: Matrix<F64> = M[1..2, 0 until 2]
        shouldBeClose(block.eval(M to m0), pick(1..2, 0..1))
        val col: Vector<F64> = M[0..3, 4]
        shouldBeClose(col.eval(M to m0), d(4.0, 14.0, 24.0, 34.0))
        val r2: Vector<F64> = M[3, 1..3]
        shouldBeClose(r2.eval(M to m0), d(31.0, 32.0, 33.0))
        val rows: Matrix<F64> = M[1..2]
        rows.eval(M to m0).shape().toList() shouldBe listOf(2L, 5L)
        val s: Scalar<F64> = v[-1]
        s.eval(v to v0).toDouble() shouldBe 5.0
        val sl: Vector<F64> = v[1..3]
        shouldBeClose(sl.eval(v to v0), d(1.0, 2.0, 3.0))
    }

    test("Kotlin ranges map to NumPy slices: until, step, downTo, negative ends") {
        shouldBeClose(v[0 until 6 step 2].eval(v to v0), d(0.0, 2.0, 4.0))
        shouldBeClose(v[5 downTo 0].eval(v to v0), d(5.0, 4.0, 3.0, 2.0, 1.0, 0.0))
        shouldBeClose(v[4 downTo 1 step 2].eval(v to v0), d(4.0, 2.0))
        shouldBeClose(v[-3..-1].eval(v to v0), d(3.0, 4.0, 5.0))
        shouldBeClose(v[-1 downTo -3].eval(v to v0), d(5.0, 4.0, 3.0))
        shouldBeClose(v[-3..-2].eval(v to v0), d(3.0, 4.0))
        shouldBeClose(M[1..2, 4 downTo 0 step 2].eval(M to m0), d(14.0, 12.0, 10.0, 24.0, 22.0, 20.0))
    }

    test("rank 3 and 4 indexing is typed for every mix of Ints and ranges") {
        val t = dtensor3("t")
        val t0 = Array(2) { i -> Array(3) { j -> DoubleArray(4) { k -> 100.0 * i + 10.0 * j + k } } }
        val a: Matrix<F64> = t[1]
        val b: Vector<F64> = t[1, 2]
        val c: Scalar<F64> = t[1, 2, 3]
        val e: Tensor3<F64> = t[0..1, 1..2, 0..0]
        val f: Matrix<F64> = t[0..1, 2, 1..3]
        val g: Vector<F64> = t[0..1, 0, 3]
        c.eval(t to t0).toDouble() shouldBe 123.0
        shouldBeClose(b.eval(t to t0), d(120.0, 121.0, 122.0, 123.0))
        shouldBeClose(g.eval(t to t0), d(3.0, 103.0))
        f.eval(t to t0).toDoubleArray().toList() shouldBe listOf(21.0, 22.0, 23.0, 121.0, 122.0, 123.0)
        listOf(a.ndim, e.ndim) shouldBe listOf(2, 3)
        val u = dtensor4("u")
        val u1: Tensor3<F64> = u[0]
        val u2: Scalar<F64> = u[0, 0, 0, 0]
        val u3: Tensor4<F64> = u[0..0, 0..0, 0..0, 0..0]
        val u4: Matrix<F64> = u[0, 0..1, 1, 0..1]
        listOf(u1.ndim, u2.ndim, u3.ndim, u4.ndim) shouldBe listOf(3, 0, 4, 2)
    }

    test("ALL, NEW_AXIS, ELLIPSIS, slice and symbolic positions go through the generic get") {
        val c = M[ALL, 1]
        c.shouldBeInstanceOf<Vector<F64>>()
        shouldBeClose(c.eval(M to m0), d(1.0, 11.0, 21.0, 31.0))
        val na = v[NEW_AXIS, ALL]
        na.shouldBeInstanceOf<Matrix<F64>>()
        na.staticShape[0] shouldBe 1L
        val el = M[ELLIPSIS, 0]
        shouldBeClose(el.eval(M to m0), d(0.0, 10.0, 20.0, 30.0))
        shouldBeClose(v[slice(1, null, 2)].eval(v to v0), d(1.0, 3.0, 5.0))
        val i = lscalar("i")
        val at: Scalar<F64> = v[i]
        at.eval(v to v0, i to 4L).toDouble() shouldBe 4.0
        val r: Vector<F64> = M[i]
        shouldBeClose(r.eval(M to m0, i to 3L), m0[3])
        shouldBeClose(v[slice(i, null)].eval(v to v0, i to 4L), d(4.0, 5.0))
    }

    test("advanced indexing and take") {
        val idx = lvector("idx")
        val g: Vector<F64> = v[idx]
        shouldBeClose(g.eval(v to v0, idx to longArrayOf(5, 0, 5)), d(5.0, 0.0, 5.0))
        val rows: Matrix<F64> = M[idx]
        rows.eval(M to m0, idx to longArrayOf(3, 1)).shape().toList() shouldBe listOf(2L, 5L)
        val tk = M.take(idx, axis = 1)
        tk.shouldBeInstanceOf<Matrix<F64>>()
        shouldBeClose(tk.eval(M to m0, idx to longArrayOf(4)), d(4.0, 14.0, 24.0, 34.0))
    }

    test("setAt and incAt give a new tensor of the same type") {
        val s: Vector<F64> = v.setAt(1..2, value = 9.0)
        shouldBeClose(s.eval(v to v0), d(0.0, 9.0, 9.0, 3.0, 4.0, 5.0))
        val w = dvector("w")
        val m: Matrix<F64> = M.setAt(0, value = w)
        shouldBeClose(m.eval(M to m0, w to DoubleArray(5) { -1.0 }).toDoubleArray().copyOfRange(0, 6), d(-1.0, -1.0, -1.0, -1.0, -1.0, 10.0))
        val k = lvector("k")
        val acc = v.incAt(k, by = 1.0)
        shouldBeClose(acc.eval(v to v0, k to longArrayOf(0, 0, 2)), d(2.0, 1.0, 3.0, 3.0, 4.0, 5.0))
        val incT: Vector<F64> = v.incAt(0..1, by = dvector("b"))
        incT.ndim shouldBe 1
    }

    test("an index past the end when the size is known fails with the user's line") {
        val fixed = vectorOf<F64>("fixed", size = 3)
        val e = shouldThrow<TheonException> { fixed[7] }
        (e.message ?: "").contains("IndexingSpec.kt") shouldBe true
    }
})

class SliceAxisSpec : FunSpec({
    test("slice(axis, start, stop) keeps the type") {
        val m = dmatrix("m")
        val s: Matrix<F64> = m.slice(1, 1, 3)
        shouldBeClose(s.eval(m to arrayOf(d(0.0, 1.0, 2.0, 3.0))), d(1.0, 2.0))
        shouldBeClose(m.slice(-1, -2, 4).eval(m to arrayOf(d(0.0, 1.0, 2.0, 3.0))), d(2.0, 3.0))
    }
})
