package dev.theon.dsl

import dev.theon.T as Core

/*
 * Products, typed by rank as NumPy's dot: Matrix dot Vector = Vector, Vector dot Vector = Scalar, Matrix dot Matrix
 * = Matrix, Vector dot Matrix = Vector. Both operands have one element type; inner sizes are checked when the graph
 * is built if they are known, else when it runs.
 */

/** Matrix-vector product. */
infix fun <D : Numeric> Matrix<D>.dot(o: Vector<D>): Vector<D> = Vector(build { Core.dot(variable, o.variable) })
/** Inner product. */
infix fun <D : Numeric> Vector<D>.dot(o: Vector<D>): Scalar<D> = Scalar(build { Core.dot(variable, o.variable) })
/** Matrix product. */
infix fun <D : Numeric> Matrix<D>.dot(o: Matrix<D>): Matrix<D> = Matrix(build { Core.dot(variable, o.variable) })
/** Vector-matrix product (the vector as a row). */
infix fun <D : Numeric> Vector<D>.dot(o: Matrix<D>): Vector<D> = Vector(build { Core.dot(variable, o.variable) })
/** NumPy's dot for any ranks: the last axis of this against the second-to-last (or only) axis of [o]. */
infix fun <D : Numeric> Tensor<D>.dot(o: Tensor<D>): Tensor<D> = wrap(build { Core.dot(variable, o.variable) })

/** NumPy's matmul (`@`) for matrices. */
infix fun <D : Numeric> Matrix<D>.matmul(o: Matrix<D>): Matrix<D> = Matrix(build { Core.matmul(variable, o.variable) })
/** Matrix times column vector. */
infix fun <D : Numeric> Matrix<D>.matmul(o: Vector<D>): Vector<D> = Vector(build { Core.matmul(variable, o.variable) })
/** Row vector times matrix. */
infix fun <D : Numeric> Vector<D>.matmul(o: Matrix<D>): Vector<D> = Vector(build { Core.matmul(variable, o.variable) })
/** Inner product. */
infix fun <D : Numeric> Vector<D>.matmul(o: Vector<D>): Scalar<D> = Scalar(build { Core.matmul(variable, o.variable) })
/** Batched matrix product. */
infix fun <D : Numeric> Tensor3<D>.matmul(o: Tensor3<D>): Tensor3<D> = Tensor3(build { Core.matmul(variable, o.variable) })
/** Each matrix of the batch times [o]. */
infix fun <D : Numeric> Tensor3<D>.matmul(o: Matrix<D>): Tensor3<D> = Tensor3(build { Core.matmul(variable, o.variable) })
/** This matrix times each matrix of the batch [o]. */
infix fun <D : Numeric> Matrix<D>.matmul(o: Tensor3<D>): Tensor3<D> = Tensor3(build { Core.matmul(variable, o.variable) })
/** NumPy's matmul for any ranks (batch axes broadcast). */
infix fun <D : Numeric> Tensor<D>.matmul(o: Tensor<D>): Tensor<D> = wrap(build { Core.matmul(variable, o.variable) })

/** Outer product: `out[i, j] = a[i] * b[j]`. */
fun <D : Numeric> outer(a: Vector<D>, b: Vector<D>): Matrix<D> = Matrix(build { Core.outer(a.variable, b.variable) })

/** NumPy's tensordot over the last [axes] axes of [a] and the first [axes] of [b]. */
fun <D : Numeric> tensordot(a: Tensor<D>, b: Tensor<D>, axes: Int): Tensor<D> = wrap(build { Core.tensordot(a.variable, b.variable, axes) })

/** NumPy's tensordot summing axis `axesA[i]` of [a] against `axesB[i]` of [b]. */
fun <D : Numeric> tensordot(a: Tensor<D>, b: Tensor<D>, axesA: IntArray, axesB: IntArray): Tensor<D> =
    wrap(build { Core.tensordot(a.variable, b.variable, axesA, axesB) })

/** The transpose (axes reversed), NumPy's `.T`: a view of the same type. */
val <S : Tensor<*>> S.T: S get() = same(build { Core.transpose(variable) })

/** The axes permuted: output axis i is axis `perm[i]`; none reverses them. Same rank, same type. */
fun <S : Tensor<*>> S.transpose(vararg perm: Int): S = same(build { Core.transpose(variable, *perm) })
