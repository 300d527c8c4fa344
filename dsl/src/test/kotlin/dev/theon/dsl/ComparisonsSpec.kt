package dev.theon.dsl

import dev.theon.tensor.DType
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

private fun bool(b: Boolean) = if (b) 1.0 else 0.0

class ComparisonsSpec : FunSpec({
    // values with ties across the operands so eq/ge/le see equal elements
    val s0 = arr { 2.25 }
    val v0 = arr(3) { 1.0 + it * 1.25 }
    val A0 = arr(2, 3) { 1.0 + (it % 4) * 1.25 }
    val X0 = arr(2, 2, 3) { (it % 5) * 1.25 }
    val Y0 = arr(2, 1, 2, 3) { 3.5 - (it % 3) * 1.25 }
    val i0 = arr(4) { it.toDouble() }
    val s = dscalar("s"); val v = dvector("v"); val A = dmatrix("A"); val X = dtensor3("X"); val Y = dtensor4("Y")
    val i = ivector("i")
    val tA: Tensor<F64> = A; val tv: Tensor<F64> = v
    // bool operands from comparisons of float64 inputs
    val ps0 = arr { 1.0 }
    val pv0 = arr(3) { (it % 2).toDouble() }
    val pA0 = arr(2, 3) { ((it / 2) % 2).toDouble() }
    val pX0 = arr(2, 2, 3) { ((it / 3) % 2).toDouble() }
    val pY0 = arr(2, 1, 2, 3) { (it % 3 % 2).toDouble() }
    val qs = dscalar("qs"); val qv = dvector("qv"); val qA = dmatrix("qA"); val qX = dtensor3("qX"); val qY = dtensor4("qY")
    val ps = qs gt 0.5; val pv = qv gt 0.5; val pA = qA gt 0.5; val pX = qX gt 0.5; val pY = qY gt 0.5
    val tpA: Tensor<B> = pA; val tpv: Tensor<B> = pv
    val o = Oracle(arrayOf(s to s0.nd(), v to v0.nd(), A to A0.nd(), X to X0.nd(), Y to Y0.nd(),
        i to i0.data.map { it.toInt() }.toIntArray(),
        qs to ps0.nd(), qv to pv0.nd(), qA to pA0.nd(), qX to pX0.nd(), qY to pY0.nd()))

    test("gt: bool results, broadcast to the higher rank") {
        o.checkBool(s gt s, Scalar::class, s0.zip(s0) { a, b -> bool(a > b) })
        o.checkBool(v gt v, Vector::class, v0.zip(v0) { a, b -> bool(a > b) })
        o.checkBool(A gt A, Matrix::class, A0.zip(A0) { a, b -> bool(a > b) })
        o.checkBool(A gt v, Matrix::class, A0.zip(v0) { a, b -> bool(a > b) })
        o.checkBool(v gt A, Matrix::class, v0.zip(A0) { a, b -> bool(a > b) })
        o.checkBool(A gt s, Matrix::class, A0.zip(s0) { a, b -> bool(a > b) })
        o.checkBool(s gt A, Matrix::class, s0.zip(A0) { a, b -> bool(a > b) })
        o.checkBool(X gt A, Tensor3::class, X0.zip(A0) { a, b -> bool(a > b) })
        o.checkBool(A gt X, Tensor3::class, A0.zip(X0) { a, b -> bool(a > b) })
        o.checkBool(X gt X, Tensor3::class, X0.zip(X0) { a, b -> bool(a > b) })
        o.checkBool(Y gt v, Tensor4::class, Y0.zip(v0) { a, b -> bool(a > b) })
        o.checkBool(s gt Y, Tensor4::class, s0.zip(Y0) { a, b -> bool(a > b) })
        o.checkBool(Y gt Y, Tensor4::class, Y0.zip(Y0) { a, b -> bool(a > b) })
        o.checkBool(tA gt tv, Tensor::class, A0.zip(v0) { a, b -> bool(a > b) })
        o.checkBool(s gt 2.25, Scalar::class, s0.map { a -> val b = 2.25; bool(a > b) })
        o.checkBool(v gt 2.25, Vector::class, v0.map { a -> val b = 2.25; bool(a > b) })
        o.checkBool(A gt 2.25, Matrix::class, A0.map { a -> val b = 2.25; bool(a > b) })
        o.checkBool(X gt 2.25, Tensor3::class, X0.map { a -> val b = 2.25; bool(a > b) })
        o.checkBool(Y gt 2.25, Tensor4::class, Y0.map { a -> val b = 2.25; bool(a > b) })
        o.checkBool(tA gt 2.25, Tensor::class, A0.map { a -> val b = 2.25; bool(a > b) })
        o.checkBool(i gt 2, Vector::class, i0.map { a -> val b = 2.0; bool(a > b) })
    }

    test("lt: bool results, broadcast to the higher rank") {
        o.checkBool(s lt s, Scalar::class, s0.zip(s0) { a, b -> bool(a < b) })
        o.checkBool(v lt v, Vector::class, v0.zip(v0) { a, b -> bool(a < b) })
        o.checkBool(A lt A, Matrix::class, A0.zip(A0) { a, b -> bool(a < b) })
        o.checkBool(A lt v, Matrix::class, A0.zip(v0) { a, b -> bool(a < b) })
        o.checkBool(v lt A, Matrix::class, v0.zip(A0) { a, b -> bool(a < b) })
        o.checkBool(A lt s, Matrix::class, A0.zip(s0) { a, b -> bool(a < b) })
        o.checkBool(s lt A, Matrix::class, s0.zip(A0) { a, b -> bool(a < b) })
        o.checkBool(X lt A, Tensor3::class, X0.zip(A0) { a, b -> bool(a < b) })
        o.checkBool(A lt X, Tensor3::class, A0.zip(X0) { a, b -> bool(a < b) })
        o.checkBool(X lt X, Tensor3::class, X0.zip(X0) { a, b -> bool(a < b) })
        o.checkBool(Y lt v, Tensor4::class, Y0.zip(v0) { a, b -> bool(a < b) })
        o.checkBool(s lt Y, Tensor4::class, s0.zip(Y0) { a, b -> bool(a < b) })
        o.checkBool(Y lt Y, Tensor4::class, Y0.zip(Y0) { a, b -> bool(a < b) })
        o.checkBool(tA lt tv, Tensor::class, A0.zip(v0) { a, b -> bool(a < b) })
        o.checkBool(s lt 2.25, Scalar::class, s0.map { a -> val b = 2.25; bool(a < b) })
        o.checkBool(v lt 2.25, Vector::class, v0.map { a -> val b = 2.25; bool(a < b) })
        o.checkBool(A lt 2.25, Matrix::class, A0.map { a -> val b = 2.25; bool(a < b) })
        o.checkBool(X lt 2.25, Tensor3::class, X0.map { a -> val b = 2.25; bool(a < b) })
        o.checkBool(Y lt 2.25, Tensor4::class, Y0.map { a -> val b = 2.25; bool(a < b) })
        o.checkBool(tA lt 2.25, Tensor::class, A0.map { a -> val b = 2.25; bool(a < b) })
        o.checkBool(i lt 2, Vector::class, i0.map { a -> val b = 2.0; bool(a < b) })
    }

    test("ge: bool results, broadcast to the higher rank") {
        o.checkBool(s ge s, Scalar::class, s0.zip(s0) { a, b -> bool(a >= b) })
        o.checkBool(v ge v, Vector::class, v0.zip(v0) { a, b -> bool(a >= b) })
        o.checkBool(A ge A, Matrix::class, A0.zip(A0) { a, b -> bool(a >= b) })
        o.checkBool(A ge v, Matrix::class, A0.zip(v0) { a, b -> bool(a >= b) })
        o.checkBool(v ge A, Matrix::class, v0.zip(A0) { a, b -> bool(a >= b) })
        o.checkBool(A ge s, Matrix::class, A0.zip(s0) { a, b -> bool(a >= b) })
        o.checkBool(s ge A, Matrix::class, s0.zip(A0) { a, b -> bool(a >= b) })
        o.checkBool(X ge A, Tensor3::class, X0.zip(A0) { a, b -> bool(a >= b) })
        o.checkBool(A ge X, Tensor3::class, A0.zip(X0) { a, b -> bool(a >= b) })
        o.checkBool(X ge X, Tensor3::class, X0.zip(X0) { a, b -> bool(a >= b) })
        o.checkBool(Y ge v, Tensor4::class, Y0.zip(v0) { a, b -> bool(a >= b) })
        o.checkBool(s ge Y, Tensor4::class, s0.zip(Y0) { a, b -> bool(a >= b) })
        o.checkBool(Y ge Y, Tensor4::class, Y0.zip(Y0) { a, b -> bool(a >= b) })
        o.checkBool(tA ge tv, Tensor::class, A0.zip(v0) { a, b -> bool(a >= b) })
        o.checkBool(s ge 2.25, Scalar::class, s0.map { a -> val b = 2.25; bool(a >= b) })
        o.checkBool(v ge 2.25, Vector::class, v0.map { a -> val b = 2.25; bool(a >= b) })
        o.checkBool(A ge 2.25, Matrix::class, A0.map { a -> val b = 2.25; bool(a >= b) })
        o.checkBool(X ge 2.25, Tensor3::class, X0.map { a -> val b = 2.25; bool(a >= b) })
        o.checkBool(Y ge 2.25, Tensor4::class, Y0.map { a -> val b = 2.25; bool(a >= b) })
        o.checkBool(tA ge 2.25, Tensor::class, A0.map { a -> val b = 2.25; bool(a >= b) })
        o.checkBool(i ge 2, Vector::class, i0.map { a -> val b = 2.0; bool(a >= b) })
    }

    test("le: bool results, broadcast to the higher rank") {
        o.checkBool(s le s, Scalar::class, s0.zip(s0) { a, b -> bool(a <= b) })
        o.checkBool(v le v, Vector::class, v0.zip(v0) { a, b -> bool(a <= b) })
        o.checkBool(A le A, Matrix::class, A0.zip(A0) { a, b -> bool(a <= b) })
        o.checkBool(A le v, Matrix::class, A0.zip(v0) { a, b -> bool(a <= b) })
        o.checkBool(v le A, Matrix::class, v0.zip(A0) { a, b -> bool(a <= b) })
        o.checkBool(A le s, Matrix::class, A0.zip(s0) { a, b -> bool(a <= b) })
        o.checkBool(s le A, Matrix::class, s0.zip(A0) { a, b -> bool(a <= b) })
        o.checkBool(X le A, Tensor3::class, X0.zip(A0) { a, b -> bool(a <= b) })
        o.checkBool(A le X, Tensor3::class, A0.zip(X0) { a, b -> bool(a <= b) })
        o.checkBool(X le X, Tensor3::class, X0.zip(X0) { a, b -> bool(a <= b) })
        o.checkBool(Y le v, Tensor4::class, Y0.zip(v0) { a, b -> bool(a <= b) })
        o.checkBool(s le Y, Tensor4::class, s0.zip(Y0) { a, b -> bool(a <= b) })
        o.checkBool(Y le Y, Tensor4::class, Y0.zip(Y0) { a, b -> bool(a <= b) })
        o.checkBool(tA le tv, Tensor::class, A0.zip(v0) { a, b -> bool(a <= b) })
        o.checkBool(s le 2.25, Scalar::class, s0.map { a -> val b = 2.25; bool(a <= b) })
        o.checkBool(v le 2.25, Vector::class, v0.map { a -> val b = 2.25; bool(a <= b) })
        o.checkBool(A le 2.25, Matrix::class, A0.map { a -> val b = 2.25; bool(a <= b) })
        o.checkBool(X le 2.25, Tensor3::class, X0.map { a -> val b = 2.25; bool(a <= b) })
        o.checkBool(Y le 2.25, Tensor4::class, Y0.map { a -> val b = 2.25; bool(a <= b) })
        o.checkBool(tA le 2.25, Tensor::class, A0.map { a -> val b = 2.25; bool(a <= b) })
        o.checkBool(i le 2, Vector::class, i0.map { a -> val b = 2.0; bool(a <= b) })
    }

    test("eq: bool results, broadcast to the higher rank") {
        o.checkBool(s eq s, Scalar::class, s0.zip(s0) { a, b -> bool(a == b) })
        o.checkBool(v eq v, Vector::class, v0.zip(v0) { a, b -> bool(a == b) })
        o.checkBool(A eq A, Matrix::class, A0.zip(A0) { a, b -> bool(a == b) })
        o.checkBool(A eq v, Matrix::class, A0.zip(v0) { a, b -> bool(a == b) })
        o.checkBool(v eq A, Matrix::class, v0.zip(A0) { a, b -> bool(a == b) })
        o.checkBool(A eq s, Matrix::class, A0.zip(s0) { a, b -> bool(a == b) })
        o.checkBool(s eq A, Matrix::class, s0.zip(A0) { a, b -> bool(a == b) })
        o.checkBool(X eq A, Tensor3::class, X0.zip(A0) { a, b -> bool(a == b) })
        o.checkBool(A eq X, Tensor3::class, A0.zip(X0) { a, b -> bool(a == b) })
        o.checkBool(X eq X, Tensor3::class, X0.zip(X0) { a, b -> bool(a == b) })
        o.checkBool(Y eq v, Tensor4::class, Y0.zip(v0) { a, b -> bool(a == b) })
        o.checkBool(s eq Y, Tensor4::class, s0.zip(Y0) { a, b -> bool(a == b) })
        o.checkBool(Y eq Y, Tensor4::class, Y0.zip(Y0) { a, b -> bool(a == b) })
        o.checkBool(tA eq tv, Tensor::class, A0.zip(v0) { a, b -> bool(a == b) })
        o.checkBool(s eq 2.25, Scalar::class, s0.map { a -> val b = 2.25; bool(a == b) })
        o.checkBool(v eq 2.25, Vector::class, v0.map { a -> val b = 2.25; bool(a == b) })
        o.checkBool(A eq 2.25, Matrix::class, A0.map { a -> val b = 2.25; bool(a == b) })
        o.checkBool(X eq 2.25, Tensor3::class, X0.map { a -> val b = 2.25; bool(a == b) })
        o.checkBool(Y eq 2.25, Tensor4::class, Y0.map { a -> val b = 2.25; bool(a == b) })
        o.checkBool(tA eq 2.25, Tensor::class, A0.map { a -> val b = 2.25; bool(a == b) })
        o.checkBool(i eq 2, Vector::class, i0.map { a -> val b = 2.0; bool(a == b) })
    }

    test("neq: bool results, broadcast to the higher rank") {
        o.checkBool(s neq s, Scalar::class, s0.zip(s0) { a, b -> bool(a != b) })
        o.checkBool(v neq v, Vector::class, v0.zip(v0) { a, b -> bool(a != b) })
        o.checkBool(A neq A, Matrix::class, A0.zip(A0) { a, b -> bool(a != b) })
        o.checkBool(A neq v, Matrix::class, A0.zip(v0) { a, b -> bool(a != b) })
        o.checkBool(v neq A, Matrix::class, v0.zip(A0) { a, b -> bool(a != b) })
        o.checkBool(A neq s, Matrix::class, A0.zip(s0) { a, b -> bool(a != b) })
        o.checkBool(s neq A, Matrix::class, s0.zip(A0) { a, b -> bool(a != b) })
        o.checkBool(X neq A, Tensor3::class, X0.zip(A0) { a, b -> bool(a != b) })
        o.checkBool(A neq X, Tensor3::class, A0.zip(X0) { a, b -> bool(a != b) })
        o.checkBool(X neq X, Tensor3::class, X0.zip(X0) { a, b -> bool(a != b) })
        o.checkBool(Y neq v, Tensor4::class, Y0.zip(v0) { a, b -> bool(a != b) })
        o.checkBool(s neq Y, Tensor4::class, s0.zip(Y0) { a, b -> bool(a != b) })
        o.checkBool(Y neq Y, Tensor4::class, Y0.zip(Y0) { a, b -> bool(a != b) })
        o.checkBool(tA neq tv, Tensor::class, A0.zip(v0) { a, b -> bool(a != b) })
        o.checkBool(s neq 2.25, Scalar::class, s0.map { a -> val b = 2.25; bool(a != b) })
        o.checkBool(v neq 2.25, Vector::class, v0.map { a -> val b = 2.25; bool(a != b) })
        o.checkBool(A neq 2.25, Matrix::class, A0.map { a -> val b = 2.25; bool(a != b) })
        o.checkBool(X neq 2.25, Tensor3::class, X0.map { a -> val b = 2.25; bool(a != b) })
        o.checkBool(Y neq 2.25, Tensor4::class, Y0.map { a -> val b = 2.25; bool(a != b) })
        o.checkBool(tA neq 2.25, Tensor::class, A0.map { a -> val b = 2.25; bool(a != b) })
        o.checkBool(i neq 2, Vector::class, i0.map { a -> val b = 2.0; bool(a != b) })
    }

    test("and: bool operands, broadcast") {
        o.checkBool(ps and ps, Scalar::class, ps0.zip(ps0) { a, b -> bool(a != 0.0 && b != 0.0) })
        o.checkBool(pv and pv, Vector::class, pv0.zip(pv0) { a, b -> bool(a != 0.0 && b != 0.0) })
        o.checkBool(pA and pA, Matrix::class, pA0.zip(pA0) { a, b -> bool(a != 0.0 && b != 0.0) })
        o.checkBool(pA and pv, Matrix::class, pA0.zip(pv0) { a, b -> bool(a != 0.0 && b != 0.0) })
        o.checkBool(pv and pA, Matrix::class, pv0.zip(pA0) { a, b -> bool(a != 0.0 && b != 0.0) })
        o.checkBool(pA and ps, Matrix::class, pA0.zip(ps0) { a, b -> bool(a != 0.0 && b != 0.0) })
        o.checkBool(ps and pA, Matrix::class, ps0.zip(pA0) { a, b -> bool(a != 0.0 && b != 0.0) })
        o.checkBool(pX and pA, Tensor3::class, pX0.zip(pA0) { a, b -> bool(a != 0.0 && b != 0.0) })
        o.checkBool(pA and pX, Tensor3::class, pA0.zip(pX0) { a, b -> bool(a != 0.0 && b != 0.0) })
        o.checkBool(pX and pX, Tensor3::class, pX0.zip(pX0) { a, b -> bool(a != 0.0 && b != 0.0) })
        o.checkBool(pY and pv, Tensor4::class, pY0.zip(pv0) { a, b -> bool(a != 0.0 && b != 0.0) })
        o.checkBool(ps and pY, Tensor4::class, ps0.zip(pY0) { a, b -> bool(a != 0.0 && b != 0.0) })
        o.checkBool(pY and pY, Tensor4::class, pY0.zip(pY0) { a, b -> bool(a != 0.0 && b != 0.0) })
        o.checkBool(tpA and tpv, Tensor::class, pA0.zip(pv0) { a, b -> bool(a != 0.0 && b != 0.0) })
    }

    test("or: bool operands, broadcast") {
        o.checkBool(ps or ps, Scalar::class, ps0.zip(ps0) { a, b -> bool(a != 0.0 || b != 0.0) })
        o.checkBool(pv or pv, Vector::class, pv0.zip(pv0) { a, b -> bool(a != 0.0 || b != 0.0) })
        o.checkBool(pA or pA, Matrix::class, pA0.zip(pA0) { a, b -> bool(a != 0.0 || b != 0.0) })
        o.checkBool(pA or pv, Matrix::class, pA0.zip(pv0) { a, b -> bool(a != 0.0 || b != 0.0) })
        o.checkBool(pv or pA, Matrix::class, pv0.zip(pA0) { a, b -> bool(a != 0.0 || b != 0.0) })
        o.checkBool(pA or ps, Matrix::class, pA0.zip(ps0) { a, b -> bool(a != 0.0 || b != 0.0) })
        o.checkBool(ps or pA, Matrix::class, ps0.zip(pA0) { a, b -> bool(a != 0.0 || b != 0.0) })
        o.checkBool(pX or pA, Tensor3::class, pX0.zip(pA0) { a, b -> bool(a != 0.0 || b != 0.0) })
        o.checkBool(pA or pX, Tensor3::class, pA0.zip(pX0) { a, b -> bool(a != 0.0 || b != 0.0) })
        o.checkBool(pX or pX, Tensor3::class, pX0.zip(pX0) { a, b -> bool(a != 0.0 || b != 0.0) })
        o.checkBool(pY or pv, Tensor4::class, pY0.zip(pv0) { a, b -> bool(a != 0.0 || b != 0.0) })
        o.checkBool(ps or pY, Tensor4::class, ps0.zip(pY0) { a, b -> bool(a != 0.0 || b != 0.0) })
        o.checkBool(pY or pY, Tensor4::class, pY0.zip(pY0) { a, b -> bool(a != 0.0 || b != 0.0) })
        o.checkBool(tpA or tpv, Tensor::class, pA0.zip(pv0) { a, b -> bool(a != 0.0 || b != 0.0) })
    }

    test("xor: bool operands, broadcast") {
        o.checkBool(ps xor ps, Scalar::class, ps0.zip(ps0) { a, b -> bool((a != 0.0) != (b != 0.0)) })
        o.checkBool(pv xor pv, Vector::class, pv0.zip(pv0) { a, b -> bool((a != 0.0) != (b != 0.0)) })
        o.checkBool(pA xor pA, Matrix::class, pA0.zip(pA0) { a, b -> bool((a != 0.0) != (b != 0.0)) })
        o.checkBool(pA xor pv, Matrix::class, pA0.zip(pv0) { a, b -> bool((a != 0.0) != (b != 0.0)) })
        o.checkBool(pv xor pA, Matrix::class, pv0.zip(pA0) { a, b -> bool((a != 0.0) != (b != 0.0)) })
        o.checkBool(pA xor ps, Matrix::class, pA0.zip(ps0) { a, b -> bool((a != 0.0) != (b != 0.0)) })
        o.checkBool(ps xor pA, Matrix::class, ps0.zip(pA0) { a, b -> bool((a != 0.0) != (b != 0.0)) })
        o.checkBool(pX xor pA, Tensor3::class, pX0.zip(pA0) { a, b -> bool((a != 0.0) != (b != 0.0)) })
        o.checkBool(pA xor pX, Tensor3::class, pA0.zip(pX0) { a, b -> bool((a != 0.0) != (b != 0.0)) })
        o.checkBool(pX xor pX, Tensor3::class, pX0.zip(pX0) { a, b -> bool((a != 0.0) != (b != 0.0)) })
        o.checkBool(pY xor pv, Tensor4::class, pY0.zip(pv0) { a, b -> bool((a != 0.0) != (b != 0.0)) })
        o.checkBool(ps xor pY, Tensor4::class, ps0.zip(pY0) { a, b -> bool((a != 0.0) != (b != 0.0)) })
        o.checkBool(pY xor pY, Tensor4::class, pY0.zip(pY0) { a, b -> bool((a != 0.0) != (b != 0.0)) })
        o.checkBool(tpA xor tpv, Tensor::class, pA0.zip(pv0) { a, b -> bool((a != 0.0) != (b != 0.0)) })
    }
    test("not: the logical complement, same type") {
        val n: Matrix<B> = !pA
        o.checkBool(n, Matrix::class, pA0.map { if (it != 0.0) 0.0 else 1.0 })
        o.checkBool(!ps, Scalar::class, ps0.map { if (it != 0.0) 0.0 else 1.0 })
        o.checkBool(!tpA, Tensor::class, pA0.map { if (it != 0.0) 0.0 else 1.0 })
    }

    test("bools compare with eq/neq; comparisons of float32 are bool") {
        o.checkBool(pA eq pv, Matrix::class, pA0.zip(pv0) { a, b -> bool(a == b) })
        val f = fvector("f")
        (f gt 0.5).dtype shouldBe DType.BOOL
    }
})
