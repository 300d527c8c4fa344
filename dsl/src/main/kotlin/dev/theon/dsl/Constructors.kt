package dev.theon.dsl

import dev.theon.T as Core
import dev.theon.graph.Variable

/*
 * Typed constructors, as the core's T: the prefix gives the element type (b, w, i, l, f, d = int8, int16, int32,
 * int64, float32, float64; none = floatX, bound when a function is compiled). Sizes are unknown; the generic forms
 * ([vectorOf], [matrixOf], ...) take an element type and optional static sizes (-1 unknown, 1 broadcastable).
 */

/** A floatX scalar. */
fun scalar(name: String? = null): Scalar<FX> = Scalar(Core.scalar(name))
/** A floatX vector. */
fun vector(name: String? = null): Vector<FX> = Vector(Core.vector(name))
/** A floatX matrix. */
fun matrix(name: String? = null): Matrix<FX> = Matrix(Core.matrix(name))
/** A floatX tensor3. */
fun tensor3(name: String? = null): Tensor3<FX> = Tensor3(Core.tensor3(name))
/** A floatX tensor4. */
fun tensor4(name: String? = null): Tensor4<FX> = Tensor4(Core.tensor4(name))

/** A float64 scalar. */
fun dscalar(name: String? = null): Scalar<F64> = Scalar(Core.dscalar(name))
/** A float64 vector. */
fun dvector(name: String? = null): Vector<F64> = Vector(Core.dvector(name))
/** A float64 matrix. */
fun dmatrix(name: String? = null): Matrix<F64> = Matrix(Core.dmatrix(name))
/** A float64 tensor3. */
fun dtensor3(name: String? = null): Tensor3<F64> = Tensor3(Core.dtensor3(name))
/** A float64 tensor4. */
fun dtensor4(name: String? = null): Tensor4<F64> = Tensor4(Core.dtensor4(name))

/** A float32 scalar. */
fun fscalar(name: String? = null): Scalar<F32> = Scalar(Core.fscalar(name))
/** A float32 vector. */
fun fvector(name: String? = null): Vector<F32> = Vector(Core.fvector(name))
/** A float32 matrix. */
fun fmatrix(name: String? = null): Matrix<F32> = Matrix(Core.fmatrix(name))
/** A float32 tensor3. */
fun ftensor3(name: String? = null): Tensor3<F32> = Tensor3(Core.ftensor3(name))
/** A float32 tensor4. */
fun ftensor4(name: String? = null): Tensor4<F32> = Tensor4(Core.ftensor4(name))

/** A int64 scalar. */
fun lscalar(name: String? = null): Scalar<I64> = Scalar(Core.lscalar(name))
/** A int64 vector. */
fun lvector(name: String? = null): Vector<I64> = Vector(Core.lvector(name))
/** A int64 matrix. */
fun lmatrix(name: String? = null): Matrix<I64> = Matrix(Core.lmatrix(name))
/** A int64 tensor3. */
fun ltensor3(name: String? = null): Tensor3<I64> = Tensor3(Core.ltensor3(name))
/** A int64 tensor4. */
fun ltensor4(name: String? = null): Tensor4<I64> = Tensor4(Core.ltensor4(name))

/** A int32 scalar. */
fun iscalar(name: String? = null): Scalar<I32> = Scalar(Core.iscalar(name))
/** A int32 vector. */
fun ivector(name: String? = null): Vector<I32> = Vector(Core.ivector(name))
/** A int32 matrix. */
fun imatrix(name: String? = null): Matrix<I32> = Matrix(Core.imatrix(name))
/** A int32 tensor3. */
fun itensor3(name: String? = null): Tensor3<I32> = Tensor3(Core.itensor3(name))
/** A int32 tensor4. */
fun itensor4(name: String? = null): Tensor4<I32> = Tensor4(Core.itensor4(name))

/** A int16 scalar. */
fun wscalar(name: String? = null): Scalar<I16> = Scalar(Core.wscalar(name))
/** A int16 vector. */
fun wvector(name: String? = null): Vector<I16> = Vector(Core.wvector(name))
/** A int16 matrix. */
fun wmatrix(name: String? = null): Matrix<I16> = Matrix(Core.wmatrix(name))
/** A int16 tensor3. */
fun wtensor3(name: String? = null): Tensor3<I16> = Tensor3(Core.wtensor3(name))
/** A int16 tensor4. */
fun wtensor4(name: String? = null): Tensor4<I16> = Tensor4(Core.wtensor4(name))

/** A int8 scalar. */
fun bscalar(name: String? = null): Scalar<I8> = Scalar(Core.bscalar(name))
/** A int8 vector. */
fun bvector(name: String? = null): Vector<I8> = Vector(Core.bvector(name))
/** A int8 matrix. */
fun bmatrix(name: String? = null): Matrix<I8> = Matrix(Core.bmatrix(name))
/** A int8 tensor3. */
fun btensor3(name: String? = null): Tensor3<I8> = Tensor3(Core.btensor3(name))
/** A int8 tensor4. */
fun btensor4(name: String? = null): Tensor4<I8> = Tensor4(Core.btensor4(name))

/** A scalar of element type [E]: `scalarOf<B>("flag")`. */
inline fun <reified E : Element> scalarOf(name: String? = null): Scalar<E> = Scalar(declare(element<E>(), longArrayOf(), name))

/** A vector of element type [E] and static size [size] (-1 unknown). */
inline fun <reified E : Element> vectorOf(name: String? = null, size: Long = -1): Vector<E> =
    Vector(declare(element<E>(), longArrayOf(size), name))

/** A matrix of element type [E]; a static size of 1 makes that axis broadcastable (a row or column). */
inline fun <reified E : Element> matrixOf(name: String? = null, rows: Long = -1, cols: Long = -1): Matrix<E> =
    Matrix(declare(element<E>(), longArrayOf(rows, cols), name))

/** A rank-3 tensor of element type [E] with optional static sizes. */
inline fun <reified E : Element> tensor3Of(name: String? = null, d0: Long = -1, d1: Long = -1, d2: Long = -1): Tensor3<E> =
    Tensor3(declare(element<E>(), longArrayOf(d0, d1, d2), name))

/** A rank-4 tensor of element type [E] with optional static sizes. */
inline fun <reified E : Element> tensor4Of(name: String? = null, d0: Long = -1, d1: Long = -1, d2: Long = -1, d3: Long = -1): Tensor4<E> =
    Tensor4(declare(element<E>(), longArrayOf(d0, d1, d2, d3), name))

/** A tensor of element type [E] and any rank, with static sizes (-1 unknown); its class follows the rank. */
inline fun <reified E : Element> tensorOf(vararg shape: Long, name: String? = null): Tensor<E> = wrap(declare(element<E>(), shape, name))

/** A tensor of element type [element] and any rank, as [tensorOf] with the element type as a value. */
fun <E : Element> tensorOf(element: E, shape: LongArray, name: String? = null): Tensor<E> = wrap(declare(element, shape, name))

@PublishedApi
internal fun declare(e: Element, shape: LongArray, name: String?): Variable = build { Core.tensor(e.dtype, shape, name) }
