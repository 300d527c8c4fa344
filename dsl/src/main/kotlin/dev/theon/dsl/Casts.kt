package dev.theon.dsl

import dev.theon.T as Core

/*
 * Explicit element-type changes. Operators never mix element types (see Arithmetic.kt), so a cast is how an F32
 * meets an F64 or an integer meets a float: `x.cast<F64>() + y`, or `x.cast(F64)`. The rank is kept.
 */

/** This scalar with elements converted to [E]. */
inline fun <reified E : Element> Scalar<*>.cast(): Scalar<E> = cast(element<E>())
/** This scalar with elements converted to [to]. */
fun <E : Element> Scalar<*>.cast(to: E): Scalar<E> = Scalar(build { Core.cast(variable, to.dtype) })
/** This vector with elements converted to [E]. */
inline fun <reified E : Element> Vector<*>.cast(): Vector<E> = cast(element<E>())
/** This vector with elements converted to [to]. */
fun <E : Element> Vector<*>.cast(to: E): Vector<E> = Vector(build { Core.cast(variable, to.dtype) })
/** This matrix with elements converted to [E]. */
inline fun <reified E : Element> Matrix<*>.cast(): Matrix<E> = cast(element<E>())
/** This matrix with elements converted to [to]. */
fun <E : Element> Matrix<*>.cast(to: E): Matrix<E> = Matrix(build { Core.cast(variable, to.dtype) })
/** This tensor3 with elements converted to [E]. */
inline fun <reified E : Element> Tensor3<*>.cast(): Tensor3<E> = cast(element<E>())
/** This tensor3 with elements converted to [to]. */
fun <E : Element> Tensor3<*>.cast(to: E): Tensor3<E> = Tensor3(build { Core.cast(variable, to.dtype) })
/** This tensor4 with elements converted to [E]. */
inline fun <reified E : Element> Tensor4<*>.cast(): Tensor4<E> = cast(element<E>())
/** This tensor4 with elements converted to [to]. */
fun <E : Element> Tensor4<*>.cast(to: E): Tensor4<E> = Tensor4(build { Core.cast(variable, to.dtype) })
/** This tensor with elements converted to [E]. */
inline fun <reified E : Element> Tensor<*>.cast(): Tensor<E> = cast(element<E>())
/** This tensor with elements converted to [to]. */
fun <E : Element> Tensor<*>.cast(to: E): Tensor<E> = wrap(build { Core.cast(variable, to.dtype) })
