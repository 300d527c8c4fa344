package dev.theon.dsl

import dev.theon.tensor.DType
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlin.math.*

private fun case(name: String, f: (Matrix<F64>) -> Matrix<F64>, oracle: (Double) -> Double) = Triple(name, f, oracle)

class ElementwiseSpec : FunSpec({
    val x0 = arr(2, 3) { 0.05 + it * 0.15 }          // in (0, 1): every function below is defined there
    val A = dmatrix("A")
    val o = Oracle(arrayOf(A to x0.nd()))

    test("float functions keep the operand's type and match kotlin.math") {
        val table = listOf(
            case("exp", { exp(it) }, ::exp), case("expm1", { expm1(it) }, ::expm1),
            case("log", { log(it) }, ::ln), case("log1p", { log1p(it) }, ::ln1p),
            case("log2", { log2(it) }, ::log2), case("log10", { log10(it) }, ::log10),
            case("sqrt", { sqrt(it) }, ::sqrt), case("inv", { inv(it) }, { 1.0 / it }),
            case("sin", { sin(it) }, ::sin), case("cos", { cos(it) }, ::cos), case("tan", { tan(it) }, ::tan),
            case("arcsin", { arcsin(it) }, ::asin), case("arccos", { arccos(it) }, ::acos), case("arctan", { arctan(it) }, ::atan),
            case("sinh", { sinh(it) }, ::sinh), case("cosh", { cosh(it) }, ::cosh), case("tanh", { tanh(it) }, ::tanh),
            case("sigmoid", { sigmoid(it) }, { 1.0 / (1.0 + exp(-it)) }), case("softplus", { softplus(it) }, { ln(1.0 + exp(it)) }),
            case("floor", { floor(it * 10.0) }, { floor(it * 10.0) }), case("ceil", { ceil(it * 10.0) }, { ceil(it * 10.0) }),
            case("round", { round(it * 10.0) }, { Math.rint(it * 10.0) }),
            case("abs", { abs(-it) }, { it }), case("sgn", { sgn(it - 0.5) }, { sign(it - 0.5) }), case("sqr", { sqr(it) }, { it * it }),
            case("clip", { clip(it, 0.2, 0.6) }, { it.coerceIn(0.2, 0.6) }),
        )
        for ((name, f, oracle) in table) {
            val r = f(A)
            r.shouldBeInstanceOf<Matrix<F64>>()
            withClue(name) { o.check(r, Matrix::class, x0.map(oracle), 1e-13) }
        }
    }

    test("every rank keeps its type") {
        val s: Scalar<F32> = exp(fscalar()); val v: Vector<FX> = tanh(vector()); val t3: Tensor3<F64> = sigmoid(dtensor3())
        val t4: Tensor4<F32> = log(ftensor4()); val g: Tensor<F64> = sqrt(dmatrix() as Tensor<F64>)
        listOf(s.ndim, v.ndim, t3.ndim, t4.ndim, g.ndim) shouldBe listOf(0, 1, 3, 4, 2)
        s.dtype shouldBe DType.FLOAT32
        val i: Vector<I32> = abs(ivector()) + sgn(ivector()) + sqr(ivector())
        i.dtype shouldBe DType.INT32
    }

    test("erf and erfc at documented values") {
        val v = dvector("v")
        // erf(0.5), erf(1), erf(2) from Abramowitz & Stegun table 7.1
        shouldBeClose(erf(v).eval(v to d(0.0, 0.5, 1.0, 2.0, -0.5)), d(0.0, 0.5204998778, 0.8427007929, 0.9953222650, -0.5204998778), 1e-9)
        shouldBeClose(erfc(v).eval(v to d(0.0, 1.0, 2.0)), d(1.0, 1 - 0.8427007929, 1 - 0.9953222650), 1e-8)
    }

    test("isnan and isinf are bool tensors of the same rank") {
        val v = dvector("v")
        val n: Vector<B> = isnan(v)
        n.eval(v to d(1.0, Double.NaN, Double.POSITIVE_INFINITY)).toBooleanArray().toList() shouldBe listOf(false, true, false)
        val inf: Vector<B> = isinf(v)
        inf.eval(v to d(1.0, Double.NaN, Double.NEGATIVE_INFINITY)).toBooleanArray().toList() shouldBe listOf(false, false, true)
        val s: Scalar<B> = isnan(dscalar()); val m: Matrix<B> = isinf(dmatrix()); val t3: Tensor3<B> = isnan(dtensor3())
        val t4: Tensor4<B> = isinf(dtensor4()); val g: Tensor<B> = isnan(dmatrix() as Tensor<F64>)
        listOf(s.ndim, m.ndim, t3.ndim, t4.ndim, g.ndim) shouldBe listOf(0, 2, 3, 4, 2)
    }

    test("where selects elementwise and broadcasts") {
        val v = dvector("v"); val m = dmatrix("m")
        val w: Vector<F64> = where(v gt 0.0, v, -v)
        w.eval(v to d(-1.0, 2.0, -3.0)).toDoubleArray().toList() shouldBe listOf(1.0, 2.0, 3.0)
        val z: Vector<F64> = where(v gt 0.0, v, 0.0)
        z.eval(v to d(-1.0, 2.0)).toDoubleArray().toList() shouldBe listOf(0.0, 2.0)
        val y: Vector<F64> = where(v gt 0.0, 10.0, v)
        y.eval(v to d(-1.0, 2.0)).toDoubleArray().toList() shouldBe listOf(-1.0, 10.0)
        val b = where(v gt 0.0, v, m)
        b.shouldBeInstanceOf<Matrix<F64>>()
        b.eval(v to d(-1.0, 2.0), m to rows(d(5.0, 6.0))).toDoubleArray().toList() shouldBe listOf(5.0, 2.0)
        val e = io.kotest.assertions.throwables.shouldThrow<dev.theon.TheonException.TypeError> { where(m gt 0.0, v, v) }
        e.message!!.contains("higher than both branches") shouldBe true
    }
})

private inline fun <T> withClue(clue: String, f: () -> T): T = io.kotest.assertions.withClue(clue, f)
