package dev.theon.dsl

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.doubles.plusOrMinus
import kotlin.math.exp
import kotlin.math.ln

class NnetSpec : FunSpec({
    val x0 = arrayOf(d(1.0, 2.0, 3.0), d(-1.0, 0.0, 1000.0))
    val X = dmatrix("X")
    fun softmaxRow(r: DoubleArray): DoubleArray { val m = r.max(); val e = r.map { exp(it - m) }; val s = e.sum(); return e.map { it / s }.toDoubleArray() }

    fun logSoftmaxRow(r: DoubleArray): DoubleArray { val m = r.max(); val lse = ln(r.sumOf { exp(it - m) }); return r.map { it - m - lse }.toDoubleArray() }

    test("softmax and logSoftmax along the last axis (and another), stable for large inputs") {
        val s: Matrix<F64> = softmax(X)
        shouldBeClose(s.eval(X to x0), softmaxRow(x0[0]) + softmaxRow(x0[1]), 1e-12)
        val l: Matrix<F64> = logSoftmax(X)
        shouldBeClose(l.eval(X to x0), logSoftmaxRow(x0[0]) + logSoftmaxRow(x0[1]), 1e-12)
        val s0: Matrix<F64> = softmax(X, axis = 0)
        val col0 = softmaxRow(d(x0[0][0], x0[1][0]))
        val r = s0.eval(X to x0).toDoubleMatrix()
        r[0][0] shouldBe (col0[0] plusOrMinus 1e-12)
        val v: Vector<F32> = softmax(fvector())
        v.ndim shouldBe 1
    }

    test("relu, leaky relu, elu keep the type") {
        val v = dvector("v")
        val r: Vector<F64> = relu(v)
        shouldBeClose(r.eval(v to d(-2.0, 3.0)), d(0.0, 3.0))
        shouldBeClose(relu(v, alpha = 0.1).eval(v to d(-2.0, 3.0)), d(-0.2, 3.0))
        shouldBeClose(elu(v).eval(v to d(-2.0, 3.0)), d(exp(-2.0) - 1, 3.0))
        shouldBeClose(elu(v, 0.5).eval(v to d(-2.0)), d(0.5 * (exp(-2.0) - 1)))
    }

    test("cross-entropies") {
        val p = dmatrix("p")
        val p0 = arrayOf(d(0.2, 0.8), d(0.6, 0.4))
        val labels = lvector("y")
        val ce: Vector<F64> = categoricalCrossentropy(p, labels)
        shouldBeClose(ce.eval(p to p0, labels to longArrayOf(1, 0)), d(-ln(0.8), -ln(0.6)))
        val onehot = dmatrix("t")
        val ce2: Vector<F64> = categoricalCrossentropy(p, onehot)
        shouldBeClose(ce2.eval(p to p0, onehot to arrayOf(d(0.0, 1.0), d(1.0, 0.0))), d(-ln(0.8), -ln(0.6)))
        val o = dvector("o"); val t = dvector("t")
        val bce: Vector<F64> = binaryCrossentropy(o, t)
        shouldBeClose(bce.eval(o to d(0.9, 0.2), t to d(1.0, 0.0)), d(-ln(0.9), -ln(0.8)))
        val sb: Vector<F64> = sigmoidBinaryCrossentropy(o, t)
        shouldBeClose(sb.eval(o to d(0.3, -2.0), t to d(1.0, 0.0)), d(-ln(1 / (1 + exp(-0.3))), -ln(1 - 1 / (1 + exp(2.0)))), 1e-12)
    }
})

