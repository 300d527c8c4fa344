package dev.theon.dsl

import dev.theon.TheonException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.math.exp
import kotlin.math.tanh

class GradSpec : FunSpec({
    val x0 = d(0.5, -1.0, 2.0)

    test("grad has the type of what it differentiates by; elementwise ops and sums") {
        val x = dvector("x")
        val g: Vector<F64> = grad((x pow 2).sum(), x)
        shouldBeClose(g.eval(x to x0), x0.map { 2 * it }.toDoubleArray())
        val gt: Vector<F64> = grad(tanh(x).sum(), x)
        shouldBeClose(gt.eval(x to x0), x0.map { 1 - tanh(it) * tanh(it) }.toDoubleArray(), 1e-12)
        val gs: Vector<F64> = grad((sigmoid(x) * 3.0).sum(), x)
        shouldBeClose(gs.eval(x to x0), x0.map { val s = 1 / (1 + exp(-it)); 3 * s * (1 - s) }.toDoubleArray(), 1e-12)
        val s = dscalar("s")
        val gss: Scalar<F64> = grad(s * s * s, s)
        gss.eval(s to 2.0).toDouble() shouldBe 12.0
    }

    test("several gradients destructure; a matrix gives a matrix") {
        val W = dmatrix("W"); val b = dvector("b"); val x = dvector("x")
        val cost = (W * x + b).sum()        // broadcasting: W (2x3) * x (3) + b (3)
        val (gW, gb) = grad(cost, W, b)
        val gWt: Matrix<F64> = gW
        val gbt: Vector<F64> = gb
        val W0 = arrayOf(d(1.0, 2.0, 3.0), d(4.0, 5.0, 6.0))
        shouldBeClose(gWt.eval(W to W0, b to x0, x to x0), x0 + x0)   // d/dW sum(W * x) = x on every row
        shouldBeClose(gbt.eval(W to W0, b to x0, x to x0), d(2.0, 2.0, 2.0))   // b broadcasts over 2 rows
        val (a, c, e) = grad(cost, W, b, x)
        listOf(a.ndim, c.ndim, e.ndim) shouldBe listOf(2, 1, 1)
        shouldBeClose(e.eval(W to W0, b to x0, x to x0), d(5.0, 7.0, 9.0))
        val all = grad(cost, listOf(W, b, x))
        all.map { it.ndim } shouldBe listOf(2, 1, 1)
    }

    test("grad options, Jacobian, Hessian, gradient controls") {
        val x = dvector("x"); val y = dvector("y")
        val cost = (x * y).sum()
        val gs = grad(cost, listOf(x), considerConstant = listOf(y))
        shouldBeClose(gs[0].eval(x to x0, y to d(1.0, 2.0, 3.0)), d(1.0, 2.0, 3.0))
        val z = dvector("z")
        shouldThrow<TheonException> { grad((x * x).sum(), z) }
        grad((x * x).sum(), listOf(z), disconnectedInputs = "ignore")[0].ndim shouldBe 1
        val j: Matrix<F64> = jacobian(x * x, x)
        shouldBeClose(j.eval(x to x0), d(1.0, 0.0, 0.0, 0.0, -2.0, 0.0, 0.0, 0.0, 4.0))
        val h: Matrix<F64> = hessian((x pow 3).sum(), x)
        shouldBeClose(h.eval(x to x0), d(3.0, 0.0, 0.0, 0.0, -6.0, 0.0, 0.0, 0.0, 12.0))
        val hv: Vector<F64> = hessianVectorProduct((x pow 3).sum(), x, y)
        shouldBeClose(hv.eval(x to x0, y to d(1.0, 1.0, 1.0)), d(3.0, -6.0, 12.0))
        val zg = grad((zeroGrad(x) * x).sum(), x)
        shouldBeClose(zg.eval(x to x0), x0)
        val dg = grad((disconnectedGrad(x) * x).sum(), x)
        shouldBeClose(dg.eval(x to x0), x0)
        val sc = grad(gradScale(x, 3.0).sum(), x)
        shouldBeClose(sc.eval(x to x0), d(3.0, 3.0, 3.0))
        val cl = grad((gradClip(x, -0.5, 0.5) * 4.0).sum(), x)
        shouldBeClose(cl.eval(x to x0), d(0.5, 0.5, 0.5))
        shouldThrow<TheonException> { grad(undefinedGrad(x).sum(), x) }
        val jt: Tensor<F64> = jacobian(x as Tensor<F64>, x as Tensor<F64>)
        jt.ndim shouldBe 2
        val l: Vector<F64> = lop(x * x, x, y)
        shouldBeClose(l.eval(x to x0, y to d(1.0, 1.0, 1.0)), x0.map { 2 * it }.toDoubleArray())
        val r: Vector<F64> = rop(x * x, x, y)
        shouldBeClose(r.eval(x to x0, y to d(1.0, 1.0, 1.0)), x0.map { 2 * it }.toDoubleArray())
    }

    test("a gradient error names the user's line") {
        val x = dvector("x")
        shouldThrow<TheonException> { grad((x * x).sum(), dvector("unrelated")) }.message shouldContain "GradSpec.kt"
    }
})
