package dev.theon.dsl

import dev.theon.T as Core

/*
 * Reductions. Over all axes (`x.sum()`) the result is a Scalar; over one axis of a typed tensor (`m.sum(0)`) the
 * result has one rank less (Matrix -> Vector); over several axes, or with keepdims, the result is a Tensor<...> of
 * the rank that follows (its run-time class tells it). Negative axes count from the end.
 *
 * Element types follow the core: sum and prod of integers and bools are int64 (exact), mean/var/std of them are
 * float64, max/min keep the element type, argmax/argmin are int64, all/any are bool.
 */

// ---- sum: Sum
/** Sum over all axes. */
fun <D : Floating> Tensor<D>.sum(): Scalar<D> = Scalar(build { Core.sum(variable) })
fun <D : Floating> Vector<D>.sum(axis: Int): Scalar<D> = Scalar(build { Core.sum(variable, axis) })
fun <D : Floating> Matrix<D>.sum(axis: Int): Vector<D> = Vector(build { Core.sum(variable, axis) })
fun <D : Floating> Tensor3<D>.sum(axis: Int): Matrix<D> = Matrix(build { Core.sum(variable, axis) })
fun <D : Floating> Tensor4<D>.sum(axis: Int): Tensor3<D> = Tensor3(build { Core.sum(variable, axis) })
/** Sum over the given axes; with keepdims they stay as axes of size 1. */
fun <D : Floating> Tensor<D>.sum(vararg axes: Int, keepdims: Boolean = false): Tensor<D> =
    wrap(build { Core.sum(variable, if (axes.isEmpty()) null else axes, keepdims) })
/** Sum over all axes. */
@JvmName("sumIntegral") fun <D : Integral> Tensor<D>.sum(): Scalar<I64> = Scalar(build { Core.sum(variable) })
@JvmName("sumVectorIntegral") fun <D : Integral> Vector<D>.sum(axis: Int): Scalar<I64> = Scalar(build { Core.sum(variable, axis) })
@JvmName("sumMatrixIntegral") fun <D : Integral> Matrix<D>.sum(axis: Int): Vector<I64> = Vector(build { Core.sum(variable, axis) })
@JvmName("sumTensor3Integral") fun <D : Integral> Tensor3<D>.sum(axis: Int): Matrix<I64> = Matrix(build { Core.sum(variable, axis) })
@JvmName("sumTensor4Integral") fun <D : Integral> Tensor4<D>.sum(axis: Int): Tensor3<I64> = Tensor3(build { Core.sum(variable, axis) })
/** Sum over the given axes; with keepdims they stay as axes of size 1. */
@JvmName("sumAxesIntegral") fun <D : Integral> Tensor<D>.sum(vararg axes: Int, keepdims: Boolean = false): Tensor<I64> =
    wrap(build { Core.sum(variable, if (axes.isEmpty()) null else axes, keepdims) })
/** Sum over all axes. */
@JvmName("sumBool") fun Tensor<B>.sum(): Scalar<I64> = Scalar(build { Core.sum(variable) })
@JvmName("sumVectorBool") fun Vector<B>.sum(axis: Int): Scalar<I64> = Scalar(build { Core.sum(variable, axis) })
@JvmName("sumMatrixBool") fun Matrix<B>.sum(axis: Int): Vector<I64> = Vector(build { Core.sum(variable, axis) })
@JvmName("sumTensor3Bool") fun Tensor3<B>.sum(axis: Int): Matrix<I64> = Matrix(build { Core.sum(variable, axis) })
@JvmName("sumTensor4Bool") fun Tensor4<B>.sum(axis: Int): Tensor3<I64> = Tensor3(build { Core.sum(variable, axis) })
/** Sum over the given axes; with keepdims they stay as axes of size 1. */
@JvmName("sumAxesBool") fun Tensor<B>.sum(vararg axes: Int, keepdims: Boolean = false): Tensor<I64> =
    wrap(build { Core.sum(variable, if (axes.isEmpty()) null else axes, keepdims) })

// ---- prod: Product
/** Product over all axes. */
fun <D : Floating> Tensor<D>.prod(): Scalar<D> = Scalar(build { Core.prod(variable) })
fun <D : Floating> Vector<D>.prod(axis: Int): Scalar<D> = Scalar(build { Core.prod(variable, axis) })
fun <D : Floating> Matrix<D>.prod(axis: Int): Vector<D> = Vector(build { Core.prod(variable, axis) })
fun <D : Floating> Tensor3<D>.prod(axis: Int): Matrix<D> = Matrix(build { Core.prod(variable, axis) })
fun <D : Floating> Tensor4<D>.prod(axis: Int): Tensor3<D> = Tensor3(build { Core.prod(variable, axis) })
/** Product over the given axes; with keepdims they stay as axes of size 1. */
fun <D : Floating> Tensor<D>.prod(vararg axes: Int, keepdims: Boolean = false): Tensor<D> =
    wrap(build { Core.prod(variable, if (axes.isEmpty()) null else axes, keepdims) })
/** Product over all axes. */
@JvmName("prodIntegral") fun <D : Integral> Tensor<D>.prod(): Scalar<I64> = Scalar(build { Core.prod(variable) })
@JvmName("prodVectorIntegral") fun <D : Integral> Vector<D>.prod(axis: Int): Scalar<I64> = Scalar(build { Core.prod(variable, axis) })
@JvmName("prodMatrixIntegral") fun <D : Integral> Matrix<D>.prod(axis: Int): Vector<I64> = Vector(build { Core.prod(variable, axis) })
@JvmName("prodTensor3Integral") fun <D : Integral> Tensor3<D>.prod(axis: Int): Matrix<I64> = Matrix(build { Core.prod(variable, axis) })
@JvmName("prodTensor4Integral") fun <D : Integral> Tensor4<D>.prod(axis: Int): Tensor3<I64> = Tensor3(build { Core.prod(variable, axis) })
/** Product over the given axes; with keepdims they stay as axes of size 1. */
@JvmName("prodAxesIntegral") fun <D : Integral> Tensor<D>.prod(vararg axes: Int, keepdims: Boolean = false): Tensor<I64> =
    wrap(build { Core.prod(variable, if (axes.isEmpty()) null else axes, keepdims) })
/** Product over all axes. */
@JvmName("prodBool") fun Tensor<B>.prod(): Scalar<I64> = Scalar(build { Core.prod(variable) })
@JvmName("prodVectorBool") fun Vector<B>.prod(axis: Int): Scalar<I64> = Scalar(build { Core.prod(variable, axis) })
@JvmName("prodMatrixBool") fun Matrix<B>.prod(axis: Int): Vector<I64> = Vector(build { Core.prod(variable, axis) })
@JvmName("prodTensor3Bool") fun Tensor3<B>.prod(axis: Int): Matrix<I64> = Matrix(build { Core.prod(variable, axis) })
@JvmName("prodTensor4Bool") fun Tensor4<B>.prod(axis: Int): Tensor3<I64> = Tensor3(build { Core.prod(variable, axis) })
/** Product over the given axes; with keepdims they stay as axes of size 1. */
@JvmName("prodAxesBool") fun Tensor<B>.prod(vararg axes: Int, keepdims: Boolean = false): Tensor<I64> =
    wrap(build { Core.prod(variable, if (axes.isEmpty()) null else axes, keepdims) })

// ---- mean: Mean (NaN for no elements)
/** Mean (NaN for no elements) over all axes. */
fun <D : Floating> Tensor<D>.mean(): Scalar<D> = Scalar(build { Core.mean(variable) })
fun <D : Floating> Vector<D>.mean(axis: Int): Scalar<D> = Scalar(build { Core.mean(variable, axis) })
fun <D : Floating> Matrix<D>.mean(axis: Int): Vector<D> = Vector(build { Core.mean(variable, axis) })
fun <D : Floating> Tensor3<D>.mean(axis: Int): Matrix<D> = Matrix(build { Core.mean(variable, axis) })
fun <D : Floating> Tensor4<D>.mean(axis: Int): Tensor3<D> = Tensor3(build { Core.mean(variable, axis) })
/** Mean (NaN for no elements) over the given axes; with keepdims they stay as axes of size 1. */
fun <D : Floating> Tensor<D>.mean(vararg axes: Int, keepdims: Boolean = false): Tensor<D> =
    wrap(build { Core.mean(variable, if (axes.isEmpty()) null else axes, keepdims) })
/** Mean (NaN for no elements) over all axes. */
@JvmName("meanIntegral") fun <D : Integral> Tensor<D>.mean(): Scalar<F64> = Scalar(build { Core.mean(variable) })
@JvmName("meanVectorIntegral") fun <D : Integral> Vector<D>.mean(axis: Int): Scalar<F64> = Scalar(build { Core.mean(variable, axis) })
@JvmName("meanMatrixIntegral") fun <D : Integral> Matrix<D>.mean(axis: Int): Vector<F64> = Vector(build { Core.mean(variable, axis) })
@JvmName("meanTensor3Integral") fun <D : Integral> Tensor3<D>.mean(axis: Int): Matrix<F64> = Matrix(build { Core.mean(variable, axis) })
@JvmName("meanTensor4Integral") fun <D : Integral> Tensor4<D>.mean(axis: Int): Tensor3<F64> = Tensor3(build { Core.mean(variable, axis) })
/** Mean (NaN for no elements) over the given axes; with keepdims they stay as axes of size 1. */
@JvmName("meanAxesIntegral") fun <D : Integral> Tensor<D>.mean(vararg axes: Int, keepdims: Boolean = false): Tensor<F64> =
    wrap(build { Core.mean(variable, if (axes.isEmpty()) null else axes, keepdims) })
/** Mean (NaN for no elements) over all axes. */
@JvmName("meanBool") fun Tensor<B>.mean(): Scalar<F64> = Scalar(build { Core.mean(variable) })
@JvmName("meanVectorBool") fun Vector<B>.mean(axis: Int): Scalar<F64> = Scalar(build { Core.mean(variable, axis) })
@JvmName("meanMatrixBool") fun Matrix<B>.mean(axis: Int): Vector<F64> = Vector(build { Core.mean(variable, axis) })
@JvmName("meanTensor3Bool") fun Tensor3<B>.mean(axis: Int): Matrix<F64> = Matrix(build { Core.mean(variable, axis) })
@JvmName("meanTensor4Bool") fun Tensor4<B>.mean(axis: Int): Tensor3<F64> = Tensor3(build { Core.mean(variable, axis) })
/** Mean (NaN for no elements) over the given axes; with keepdims they stay as axes of size 1. */
@JvmName("meanAxesBool") fun Tensor<B>.mean(vararg axes: Int, keepdims: Boolean = false): Tensor<F64> =
    wrap(build { Core.mean(variable, if (axes.isEmpty()) null else axes, keepdims) })

// ---- max: Maximum (NaN propagates)
/** Maximum (NaN propagates) over all axes. */
fun <D : Numeric> Tensor<D>.max(): Scalar<D> = Scalar(build { Core.max(variable) })
fun <D : Numeric> Vector<D>.max(axis: Int): Scalar<D> = Scalar(build { Core.max(variable, axis) })
fun <D : Numeric> Matrix<D>.max(axis: Int): Vector<D> = Vector(build { Core.max(variable, axis) })
fun <D : Numeric> Tensor3<D>.max(axis: Int): Matrix<D> = Matrix(build { Core.max(variable, axis) })
fun <D : Numeric> Tensor4<D>.max(axis: Int): Tensor3<D> = Tensor3(build { Core.max(variable, axis) })
/** Maximum (NaN propagates) over the given axes; with keepdims they stay as axes of size 1. */
fun <D : Numeric> Tensor<D>.max(vararg axes: Int, keepdims: Boolean = false): Tensor<D> =
    wrap(build { Core.max(variable, if (axes.isEmpty()) null else axes, keepdims) })

// ---- min: Minimum (NaN propagates)
/** Minimum (NaN propagates) over all axes. */
fun <D : Numeric> Tensor<D>.min(): Scalar<D> = Scalar(build { Core.min(variable) })
fun <D : Numeric> Vector<D>.min(axis: Int): Scalar<D> = Scalar(build { Core.min(variable, axis) })
fun <D : Numeric> Matrix<D>.min(axis: Int): Vector<D> = Vector(build { Core.min(variable, axis) })
fun <D : Numeric> Tensor3<D>.min(axis: Int): Matrix<D> = Matrix(build { Core.min(variable, axis) })
fun <D : Numeric> Tensor4<D>.min(axis: Int): Tensor3<D> = Tensor3(build { Core.min(variable, axis) })
/** Minimum (NaN propagates) over the given axes; with keepdims they stay as axes of size 1. */
fun <D : Numeric> Tensor<D>.min(vararg axes: Int, keepdims: Boolean = false): Tensor<D> =
    wrap(build { Core.min(variable, if (axes.isEmpty()) null else axes, keepdims) })

// ---- variance: Variance (population by default; ddof = 1 for the sample variance)
/** Variance (population by default; ddof = 1 for the sample variance) over all axes. */
fun <D : Floating> Tensor<D>.variance(): Scalar<D> = Scalar(build { Core.`var`(variable) })
fun <D : Floating> Vector<D>.variance(axis: Int): Scalar<D> = Scalar(build { Core.`var`(variable, axis) })
fun <D : Floating> Matrix<D>.variance(axis: Int): Vector<D> = Vector(build { Core.`var`(variable, axis) })
fun <D : Floating> Tensor3<D>.variance(axis: Int): Matrix<D> = Matrix(build { Core.`var`(variable, axis) })
fun <D : Floating> Tensor4<D>.variance(axis: Int): Tensor3<D> = Tensor3(build { Core.`var`(variable, axis) })
/** Variance (population by default; ddof = 1 for the sample variance) over the given axes; with keepdims they stay as axes of size 1. */
fun <D : Floating> Tensor<D>.variance(vararg axes: Int, keepdims: Boolean = false, ddof: Int = 0): Tensor<D> =
    wrap(build { Core.`var`(variable, if (axes.isEmpty()) null else axes, keepdims, ddof) })
/** Variance (population by default; ddof = 1 for the sample variance) over all axes. */
@JvmName("varianceIntegral") fun <D : Integral> Tensor<D>.variance(): Scalar<F64> = Scalar(build { Core.`var`(variable) })
@JvmName("varianceVectorIntegral") fun <D : Integral> Vector<D>.variance(axis: Int): Scalar<F64> = Scalar(build { Core.`var`(variable, axis) })
@JvmName("varianceMatrixIntegral") fun <D : Integral> Matrix<D>.variance(axis: Int): Vector<F64> = Vector(build { Core.`var`(variable, axis) })
@JvmName("varianceTensor3Integral") fun <D : Integral> Tensor3<D>.variance(axis: Int): Matrix<F64> = Matrix(build { Core.`var`(variable, axis) })
@JvmName("varianceTensor4Integral") fun <D : Integral> Tensor4<D>.variance(axis: Int): Tensor3<F64> = Tensor3(build { Core.`var`(variable, axis) })
/** Variance (population by default; ddof = 1 for the sample variance) over the given axes; with keepdims they stay as axes of size 1. */
@JvmName("varianceAxesIntegral") fun <D : Integral> Tensor<D>.variance(vararg axes: Int, keepdims: Boolean = false, ddof: Int = 0): Tensor<F64> =
    wrap(build { Core.`var`(variable, if (axes.isEmpty()) null else axes, keepdims, ddof) })

// ---- std: Standard deviation (ddof as variance)
/** Standard deviation (ddof as variance) over all axes. */
fun <D : Floating> Tensor<D>.std(): Scalar<D> = Scalar(build { Core.std(variable) })
fun <D : Floating> Vector<D>.std(axis: Int): Scalar<D> = Scalar(build { Core.std(variable, axis) })
fun <D : Floating> Matrix<D>.std(axis: Int): Vector<D> = Vector(build { Core.std(variable, axis) })
fun <D : Floating> Tensor3<D>.std(axis: Int): Matrix<D> = Matrix(build { Core.std(variable, axis) })
fun <D : Floating> Tensor4<D>.std(axis: Int): Tensor3<D> = Tensor3(build { Core.std(variable, axis) })
/** Standard deviation (ddof as variance) over the given axes; with keepdims they stay as axes of size 1. */
fun <D : Floating> Tensor<D>.std(vararg axes: Int, keepdims: Boolean = false, ddof: Int = 0): Tensor<D> =
    wrap(build { Core.std(variable, if (axes.isEmpty()) null else axes, keepdims, ddof) })
/** Standard deviation (ddof as variance) over all axes. */
@JvmName("stdIntegral") fun <D : Integral> Tensor<D>.std(): Scalar<F64> = Scalar(build { Core.std(variable) })
@JvmName("stdVectorIntegral") fun <D : Integral> Vector<D>.std(axis: Int): Scalar<F64> = Scalar(build { Core.std(variable, axis) })
@JvmName("stdMatrixIntegral") fun <D : Integral> Matrix<D>.std(axis: Int): Vector<F64> = Vector(build { Core.std(variable, axis) })
@JvmName("stdTensor3Integral") fun <D : Integral> Tensor3<D>.std(axis: Int): Matrix<F64> = Matrix(build { Core.std(variable, axis) })
@JvmName("stdTensor4Integral") fun <D : Integral> Tensor4<D>.std(axis: Int): Tensor3<F64> = Tensor3(build { Core.std(variable, axis) })
/** Standard deviation (ddof as variance) over the given axes; with keepdims they stay as axes of size 1. */
@JvmName("stdAxesIntegral") fun <D : Integral> Tensor<D>.std(vararg axes: Int, keepdims: Boolean = false, ddof: Int = 0): Tensor<F64> =
    wrap(build { Core.std(variable, if (axes.isEmpty()) null else axes, keepdims, ddof) })

// ---- argmax: Index of the maximum (over all axes: into the flattened tensor)
/** Index of the maximum (over all axes: into the flattened tensor) over all axes. */
fun <D : Numeric> Tensor<D>.argmax(): Scalar<I64> = Scalar(build { Core.argmax(variable) })
fun <D : Numeric> Vector<D>.argmax(axis: Int): Scalar<I64> = Scalar(build { Core.argmax(variable, axis) })
fun <D : Numeric> Matrix<D>.argmax(axis: Int): Vector<I64> = Vector(build { Core.argmax(variable, axis) })
fun <D : Numeric> Tensor3<D>.argmax(axis: Int): Matrix<I64> = Matrix(build { Core.argmax(variable, axis) })
fun <D : Numeric> Tensor4<D>.argmax(axis: Int): Tensor3<I64> = Tensor3(build { Core.argmax(variable, axis) })
/** Index of the maximum (over all axes: into the flattened tensor) over the given axes; with keepdims they stay as axes of size 1. */
fun <D : Numeric> Tensor<D>.argmax(vararg axes: Int, keepdims: Boolean = false): Tensor<I64> =
    wrap(build { Core.argmax(variable, if (axes.isEmpty()) null else axes, keepdims) })

// ---- argmin: Index of the minimum
/** Index of the minimum over all axes. */
fun <D : Numeric> Tensor<D>.argmin(): Scalar<I64> = Scalar(build { Core.argmin(variable) })
fun <D : Numeric> Vector<D>.argmin(axis: Int): Scalar<I64> = Scalar(build { Core.argmin(variable, axis) })
fun <D : Numeric> Matrix<D>.argmin(axis: Int): Vector<I64> = Vector(build { Core.argmin(variable, axis) })
fun <D : Numeric> Tensor3<D>.argmin(axis: Int): Matrix<I64> = Matrix(build { Core.argmin(variable, axis) })
fun <D : Numeric> Tensor4<D>.argmin(axis: Int): Tensor3<I64> = Tensor3(build { Core.argmin(variable, axis) })
/** Index of the minimum over the given axes; with keepdims they stay as axes of size 1. */
fun <D : Numeric> Tensor<D>.argmin(vararg axes: Int, keepdims: Boolean = false): Tensor<I64> =
    wrap(build { Core.argmin(variable, if (axes.isEmpty()) null else axes, keepdims) })

// ---- all: True when every element is non-zero
/** True when every element is non-zero over all axes. */
fun <D : Element> Tensor<D>.all(): Scalar<B> = Scalar(build { Core.all(variable) })
fun <D : Element> Vector<D>.all(axis: Int): Scalar<B> = Scalar(build { Core.all(variable, axis) })
fun <D : Element> Matrix<D>.all(axis: Int): Vector<B> = Vector(build { Core.all(variable, axis) })
fun <D : Element> Tensor3<D>.all(axis: Int): Matrix<B> = Matrix(build { Core.all(variable, axis) })
fun <D : Element> Tensor4<D>.all(axis: Int): Tensor3<B> = Tensor3(build { Core.all(variable, axis) })
/** True when every element is non-zero over the given axes; with keepdims they stay as axes of size 1. */
fun <D : Element> Tensor<D>.all(vararg axes: Int, keepdims: Boolean = false): Tensor<B> =
    wrap(build { Core.all(variable, if (axes.isEmpty()) null else axes, keepdims) })

// ---- any: True when some element is non-zero
/** True when some element is non-zero over all axes. */
fun <D : Element> Tensor<D>.any(): Scalar<B> = Scalar(build { Core.any(variable) })
fun <D : Element> Vector<D>.any(axis: Int): Scalar<B> = Scalar(build { Core.any(variable, axis) })
fun <D : Element> Matrix<D>.any(axis: Int): Vector<B> = Vector(build { Core.any(variable, axis) })
fun <D : Element> Tensor3<D>.any(axis: Int): Matrix<B> = Matrix(build { Core.any(variable, axis) })
fun <D : Element> Tensor4<D>.any(axis: Int): Tensor3<B> = Tensor3(build { Core.any(variable, axis) })
/** True when some element is non-zero over the given axes; with keepdims they stay as axes of size 1. */
fun <D : Element> Tensor<D>.any(vararg axes: Int, keepdims: Boolean = false): Tensor<B> =
    wrap(build { Core.any(variable, if (axes.isEmpty()) null else axes, keepdims) })
