package dev.theon.dsl

import dev.theon.T as Core

/*
 * Elementwise functions as top-level functions (`exp(x)`, `tanh(A dot v)`): each returns the type it is given.
 * The float functions need Floating elements (an integer tensor is cast first: `exp(i.cast<F64>())`), so a result's
 * element type is always the operand's; abs, sgn and sqr take any number.
 */

/** Elementwise e to the x. */
fun <D : Floating, S : Tensor<D>> exp(x: S): S = x.same(build { Core.exp(x.variable) })
/** Elementwise exp(x) - 1, accurate near 0. */
fun <D : Floating, S : Tensor<D>> expm1(x: S): S = x.same(build { Core.expm1(x.variable) })
/** Elementwise natural logarithm. */
fun <D : Floating, S : Tensor<D>> log(x: S): S = x.same(build { Core.log(x.variable) })
/** Elementwise log(1 + x), accurate near 0. */
fun <D : Floating, S : Tensor<D>> log1p(x: S): S = x.same(build { Core.log1p(x.variable) })
/** Elementwise base-2 logarithm. */
fun <D : Floating, S : Tensor<D>> log2(x: S): S = x.same(build { Core.log2(x.variable) })
/** Elementwise base-10 logarithm. */
fun <D : Floating, S : Tensor<D>> log10(x: S): S = x.same(build { Core.log10(x.variable) })
/** Elementwise square root. */
fun <D : Floating, S : Tensor<D>> sqrt(x: S): S = x.same(build { Core.sqrt(x.variable) })
/** Elementwise 1 / x. */
fun <D : Floating, S : Tensor<D>> inv(x: S): S = x.same(build { Core.inv(x.variable) })
/** Elementwise sine. */
fun <D : Floating, S : Tensor<D>> sin(x: S): S = x.same(build { Core.sin(x.variable) })
/** Elementwise cosine. */
fun <D : Floating, S : Tensor<D>> cos(x: S): S = x.same(build { Core.cos(x.variable) })
/** Elementwise tangent. */
fun <D : Floating, S : Tensor<D>> tan(x: S): S = x.same(build { Core.tan(x.variable) })
/** Elementwise inverse sine. */
fun <D : Floating, S : Tensor<D>> arcsin(x: S): S = x.same(build { Core.arcsin(x.variable) })
/** Elementwise inverse cosine. */
fun <D : Floating, S : Tensor<D>> arccos(x: S): S = x.same(build { Core.arccos(x.variable) })
/** Elementwise inverse tangent. */
fun <D : Floating, S : Tensor<D>> arctan(x: S): S = x.same(build { Core.arctan(x.variable) })
/** Elementwise hyperbolic sine. */
fun <D : Floating, S : Tensor<D>> sinh(x: S): S = x.same(build { Core.sinh(x.variable) })
/** Elementwise hyperbolic cosine. */
fun <D : Floating, S : Tensor<D>> cosh(x: S): S = x.same(build { Core.cosh(x.variable) })
/** Elementwise hyperbolic tangent. */
fun <D : Floating, S : Tensor<D>> tanh(x: S): S = x.same(build { Core.tanh(x.variable) })
/** Elementwise logistic 1 / (1 + exp(-x)). */
fun <D : Floating, S : Tensor<D>> sigmoid(x: S): S = x.same(build { Core.sigmoid(x.variable) })
/** Elementwise log(1 + exp(x)), stable for large x. */
fun <D : Floating, S : Tensor<D>> softplus(x: S): S = x.same(build { Core.softplus(x.variable) })
/** Elementwise error function. */
fun <D : Floating, S : Tensor<D>> erf(x: S): S = x.same(build { Core.erf(x.variable) })
/** Elementwise 1 - erf(x), accurate in the tail. */
fun <D : Floating, S : Tensor<D>> erfc(x: S): S = x.same(build { Core.erfc(x.variable) })
/** Elementwise round down. */
fun <D : Floating, S : Tensor<D>> floor(x: S): S = x.same(build { Core.floor(x.variable) })
/** Elementwise round up. */
fun <D : Floating, S : Tensor<D>> ceil(x: S): S = x.same(build { Core.ceil(x.variable) })
/** Elementwise round half to even, as NumPy. */
fun <D : Floating, S : Tensor<D>> round(x: S): S = x.same(build { Core.round(x.variable) })
/** Elementwise absolute value. */
fun <D : Numeric, S : Tensor<D>> abs(x: S): S = x.same(build { Core.abs(x.variable) })
/** Elementwise sign: -1, 0 or 1 (NaN stays NaN). */
fun <D : Numeric, S : Tensor<D>> sgn(x: S): S = x.same(build { Core.sgn(x.variable) })
/** Elementwise square. */
fun <D : Numeric, S : Tensor<D>> sqr(x: S): S = x.same(build { Core.sqr(x.variable) })
/** Elementwise clip to [lo, hi] (Kotlin numbers, weak literals of x's element type). */
fun <D : Numeric, S : Tensor<D>> clip(x: S, lo: Number, hi: Number): S = x.same(build { Core.clip(x.variable, lo, hi) })

/** Elementwise: true where x is NaN. */
fun <D : Numeric> isnan(x: Scalar<D>): Scalar<B> = Scalar(build { Core.isnan(x.variable) })
/** Elementwise: true where x is NaN. */
fun <D : Numeric> isnan(x: Vector<D>): Vector<B> = Vector(build { Core.isnan(x.variable) })
/** Elementwise: true where x is NaN. */
fun <D : Numeric> isnan(x: Matrix<D>): Matrix<B> = Matrix(build { Core.isnan(x.variable) })
/** Elementwise: true where x is NaN. */
fun <D : Numeric> isnan(x: Tensor3<D>): Tensor3<B> = Tensor3(build { Core.isnan(x.variable) })
/** Elementwise: true where x is NaN. */
fun <D : Numeric> isnan(x: Tensor4<D>): Tensor4<B> = Tensor4(build { Core.isnan(x.variable) })
/** Elementwise: true where x is NaN. */
fun <D : Numeric> isnan(x: Tensor<D>): Tensor<B> = wrap(build { Core.isnan(x.variable) })
/** Elementwise: true where x is infinite. */
fun <D : Numeric> isinf(x: Scalar<D>): Scalar<B> = Scalar(build { Core.isinf(x.variable) })
/** Elementwise: true where x is infinite. */
fun <D : Numeric> isinf(x: Vector<D>): Vector<B> = Vector(build { Core.isinf(x.variable) })
/** Elementwise: true where x is infinite. */
fun <D : Numeric> isinf(x: Matrix<D>): Matrix<B> = Matrix(build { Core.isinf(x.variable) })
/** Elementwise: true where x is infinite. */
fun <D : Numeric> isinf(x: Tensor3<D>): Tensor3<B> = Tensor3(build { Core.isinf(x.variable) })
/** Elementwise: true where x is infinite. */
fun <D : Numeric> isinf(x: Tensor4<D>): Tensor4<B> = Tensor4(build { Core.isinf(x.variable) })
/** Elementwise: true where x is infinite. */
fun <D : Numeric> isinf(x: Tensor<D>): Tensor<B> = wrap(build { Core.isinf(x.variable) })

/**
 * Elementwise `cond ? a : b` (Theano's switch, NumPy's where). `a` and `b` share one element type; the three broadcast
 * together, and the result is typed as `a`/`b` (their common type), so `cond` must not have a higher rank than both.
 */
fun <D : Element, S : Tensor<D>> where(cond: Tensor<B>, a: S, b: S): S {
    val r = build { Core.where(cond.variable, a.variable, b.variable) }
    val rank = maxOf(a.ndim, b.ndim)
    if (r.ndim() != rank)
        throw locate(dev.theon.TheonException.TypeError("where: the condition $cond has rank ${cond.ndim}, higher than both branches "
                + "(rank ${a.ndim} and ${b.ndim}); broadcast a branch to the condition's rank first"))
    return if (a.ndim == rank) a.same(r) else b.same(r)
}

/** Elementwise `cond ? a : b` with a Kotlin number for the second branch (a weak literal of a's element type). */
fun <D : Element, S : Tensor<D>> where(cond: Tensor<B>, a: S, b: Number): S = a.same(build { Core.where(cond.variable, a.variable, b) })

/** Elementwise `cond ? a : b` with a Kotlin number for the first branch (a weak literal of b's element type). */
fun <D : Element, S : Tensor<D>> where(cond: Tensor<B>, a: Number, b: S): S = b.same(build { Core.where(cond.variable, a, b.variable) })
