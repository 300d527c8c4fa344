package dev.theon.dsl

import dev.theon.T as Core

/*
 * Shape operations. The number of sizes given to reshape is the result's rank, so it types the result; the other
 * operations keep or change the rank in a way the types say (flatten is a Vector, expandDims adds one rank, stack
 * adds one rank to what it stacks). Operations whose result rank depends on values (dimshuffle, squeeze, reshape
 * to a symbolic shape) return the generic Tensor<D>.
 */

/** The same elements in C order as a vector of [n] (-1: inferred). */
fun <D : Element> Tensor<D>.reshape(n: Long): Vector<D> = Vector(build { Core.reshape(variable, n) })
/** The same elements in C order as a matrix; one size may be -1 (inferred). */
fun <D : Element> Tensor<D>.reshape(d0: Long, d1: Long): Matrix<D> = Matrix(build { Core.reshape(variable, d0, d1) })
/** The same elements as a rank-3 tensor. */
fun <D : Element> Tensor<D>.reshape(d0: Long, d1: Long, d2: Long): Tensor3<D> = Tensor3(build { Core.reshape(variable, d0, d1, d2) })
/** The same elements as a rank-4 tensor. */
fun <D : Element> Tensor<D>.reshape(d0: Long, d1: Long, d2: Long, d3: Long): Tensor4<D> =
    Tensor4(build { Core.reshape(variable, d0, d1, d2, d3) })
/** The same elements with the shape given as an array (its length is the rank). */
fun <D : Element> Tensor<D>.reshape(shape: LongArray): Tensor<D> = wrap(build { Core.reshape(variable, *shape) })
/** The same elements with a symbolic shape: an int64 vector of known static length (`stack(n, 3L)`). */
fun <D : Element> Tensor<D>.reshape(shape: Vector<out Integral>): Tensor<D> = wrap(build { Core.reshape(variable, shape.variable) })

/** All elements in C order as a vector. */
fun <D : Element> Tensor<D>.flatten(): Vector<D> = Vector(build { Core.flatten(variable) })
/** Theano's flatten(ndim): keeps the first `ndim - 1` axes and merges the rest. */
fun <D : Element> Tensor<D>.flatten(ndim: Int): Tensor<D> = wrap(build { Core.flatten(variable, ndim) })

/** Theano's dimshuffle: axis numbers and "x" for a new broadcastable axis (`v.dimshuffle("x", 0)` is a row). */
fun <D : Element> Tensor<D>.dimshuffle(vararg pattern: Any): Tensor<D> = wrap(build { Core.dimshuffle(variable, *pattern) })

/** A new axis of size 1 at [axis]: a scalar becomes a vector. */
fun <D : Element> Scalar<D>.expandDims(axis: Int = 0): Vector<D> = Vector(build { Core.expandDims(variable, axis) })
/** A new axis of size 1 at [axis]: a vector becomes a row (axis 0) or a column (axis 1). */
fun <D : Element> Vector<D>.expandDims(axis: Int): Matrix<D> = Matrix(build { Core.expandDims(variable, axis) })
/** A new axis of size 1 at [axis]. */
fun <D : Element> Matrix<D>.expandDims(axis: Int): Tensor3<D> = Tensor3(build { Core.expandDims(variable, axis) })
/** A new axis of size 1 at [axis]. */
fun <D : Element> Tensor3<D>.expandDims(axis: Int): Tensor4<D> = Tensor4(build { Core.expandDims(variable, axis) })
/** A new axis of size 1 at [axis]. */
fun <D : Element> Tensor<D>.expandDims(axis: Int): Tensor<D> = wrap(build { Core.expandDims(variable, axis) })

/** Drops every axis of static size 1. */
fun <D : Element> Tensor<D>.squeeze(): Tensor<D> = wrap(build { Core.squeeze(variable) })
/** Drops the given axes, which must have size 1 (checked at run time when not known statically). */
fun <D : Element> Tensor<D>.squeeze(vararg axes: Int): Tensor<D> = wrap(build { Core.squeeze(variable, *axes) })

/** Joins tensors of one type along an existing axis. */
fun <D : Element, S : Tensor<D>> concatenate(xs: List<S>, axis: Int = 0): S =
    xs.first().same(build { Core.concatenate(xs.map { it.variable }, axis) })
/** Joins tensors of one type along axis 0. */
fun <D : Element, S : Tensor<D>> concatenate(first: S, vararg rest: S): S = concatenate(listOf(first) + rest, 0)

/** Stacks scalars into a vector. */
@JvmName("stackScalars") fun <D : Element> stack(xs: List<Scalar<D>>): Vector<D> = Vector(build { Core.stack(xs.map { it.variable }, 0) })
/** Stacks vectors of one size as the rows (axis 0) or columns (axis 1) of a matrix. */
@JvmName("stackVectors") fun <D : Element> stack(xs: List<Vector<D>>, axis: Int = 0): Matrix<D> = Matrix(build { Core.stack(xs.map { it.variable }, axis) })
/** Stacks matrices into a rank-3 tensor. */
@JvmName("stackMatrices") fun <D : Element> stack(xs: List<Matrix<D>>, axis: Int = 0): Tensor3<D> = Tensor3(build { Core.stack(xs.map { it.variable }, axis) })
/** Stacks rank-3 tensors into a rank-4 tensor. */
@JvmName("stackTensor3s") fun <D : Element> stack(xs: List<Tensor3<D>>, axis: Int = 0): Tensor4<D> = Tensor4(build { Core.stack(xs.map { it.variable }, axis) })
/** Stacks scalars into a vector: `stack(a, b, c)`. */
fun <D : Element> stack(vararg xs: Scalar<D>): Vector<D> = stack(xs.toList())

/** Cuts along [axis] into consecutive pieces of the given sizes (views of the same type). */
fun <D : Element, S : Tensor<D>> S.split(sizes: LongArray, axis: Int = 0): List<S> =
    build { Core.split(variable, sizes, axis) }.map { same(it) }

/** The run-time shape as an int64 vector (Theano's `x.shape`). */
val Tensor<*>.shape: Vector<I64> get() = Vector(build { Core.shape(variable) })

/** The run-time size of one axis (negative counts from the end) as an int64 scalar. */
fun Tensor<*>.shape(axis: Int): Scalar<I64> = Scalar(build { Core.shape(variable, axis) })
