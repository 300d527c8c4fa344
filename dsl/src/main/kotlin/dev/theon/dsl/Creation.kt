package dev.theon.dsl

import dev.theon.T as Core

/*
 * Tensors made from sizes: zeros, ones, fill, arange, eye. A size is a Kotlin integer or a symbolic integer Scalar
 * (`x.shape(0)`); the number of sizes is the rank, so it types the result.
 */

private fun dim(d: Any): Any = when (d) {
    is Int -> d.toLong()
    is Tensor<*> -> d.variable
    else -> d
}

@PublishedApi
internal fun allocOf(e: Element, fill: Int, dims: Array<out Any>) =
    build { if (fill == 0) Core.zeros(e.dtype, *dims.map(::dim).toTypedArray()) else Core.ones(e.dtype, *dims.map(::dim).toTypedArray()) }

/** A vector of [n] zeros of element type [E] (`zeros<F64>(3)`); [n] may be an integer Scalar. */
inline fun <reified E : Element> zeros(n: Any): Vector<E> = Vector(allocOf(element<E>(), 0, arrayOf(n)))
/** A matrix of zeros. */
inline fun <reified E : Element> zeros(rows: Any, cols: Any): Matrix<E> = Matrix(allocOf(element<E>(), 0, arrayOf(rows, cols)))
/** A rank-3 tensor of zeros. */
inline fun <reified E : Element> zeros(d0: Any, d1: Any, d2: Any): Tensor3<E> = Tensor3(allocOf(element<E>(), 0, arrayOf(d0, d1, d2)))
/** A rank-4 tensor of zeros. */
inline fun <reified E : Element> zeros(d0: Any, d1: Any, d2: Any, d3: Any): Tensor4<E> =
    Tensor4(allocOf(element<E>(), 0, arrayOf(d0, d1, d2, d3)))

/** A vector of [n] ones of element type [E]. */
inline fun <reified E : Element> ones(n: Any): Vector<E> = Vector(allocOf(element<E>(), 1, arrayOf(n)))
/** A matrix of ones. */
inline fun <reified E : Element> ones(rows: Any, cols: Any): Matrix<E> = Matrix(allocOf(element<E>(), 1, arrayOf(rows, cols)))
/** A rank-3 tensor of ones. */
inline fun <reified E : Element> ones(d0: Any, d1: Any, d2: Any): Tensor3<E> = Tensor3(allocOf(element<E>(), 1, arrayOf(d0, d1, d2)))
/** A rank-4 tensor of ones. */
inline fun <reified E : Element> ones(d0: Any, d1: Any, d2: Any, d3: Any): Tensor4<E> =
    Tensor4(allocOf(element<E>(), 1, arrayOf(d0, d1, d2, d3)))

/** Zeros of x's type and run-time shape. */
fun <S : Tensor<*>> zerosLike(x: S): S = x.same(build { Core.zerosLike(x.variable) })
/** Ones of x's type and run-time shape. */
fun <S : Tensor<*>> onesLike(x: S): S = x.same(build { Core.onesLike(x.variable) })
/** A tensor shaped like [like] (at run time) holding [value] (a weak literal of like's element type). */
fun <S : Tensor<*>> fill(like: S, value: Number): S = like.same(build { Core.fill(like.variable, value) })

/**
 * Theano's alloc: [value] (a scalar or a tensor that broadcasts) repeated to the shape [dims] (Kotlin integers or
 * integer Scalars); the result's class follows the number of dims.
 */
fun <D : Element> alloc(value: Tensor<D>, vararg dims: Any): Tensor<D> = wrap(build { Core.alloc(value.variable, *dims.map(::dim).toTypedArray()) })

/** `0, 1, ..., stop - 1` as an int64 vector; [stop] may be an integer Scalar. */
fun arange(stop: Any): Vector<I64> = Vector(build { Core.arange(dim(stop)) })
/** `start, start + step, ...` below [stop] (above, for a negative step) as an int64 vector. */
fun arange(start: Long, stop: Long, step: Long = 1): Vector<I64> = Vector(build { Core.arange(start, stop, step) })
/** NumPy's arange with float bounds, as a floatX vector. */
fun arange(start: Double, stop: Double, step: Double = 1.0): Vector<FX> = Vector(build { Core.arange(start, stop, step) })

/** The identity matrix of size [n] with elements [E] (`eye<F64>(3)`); [n] may be an integer Scalar. */
inline fun <reified E : Element> eye(n: Any): Matrix<E> = eyeOf(element<E>(), n, null, 0)
/** NumPy's eye(n, m, k): ones on diagonal [k] (positive above the main one) of an (n, m) matrix. */
inline fun <reified E : Element> eye(n: Any, m: Any, k: Any = 0): Matrix<E> = eyeOf(element<E>(), n, m, k)

@PublishedApi
internal fun <E : Element> eyeOf(e: E, n: Any, m: Any?, k: Any): Matrix<E> =
    Matrix(build { Core.eye(dim(n), m?.let(::dim), dim(k), e.dtype) })
