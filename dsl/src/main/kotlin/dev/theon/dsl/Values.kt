package dev.theon.dsl

import dev.theon.T as Core
import dev.theon.Theon
import dev.theon.TheonException
import dev.theon.graph.SharedVariable
import dev.theon.tensor.NDArray
import kotlin.reflect.typeOf

/*
 * Values in graphs. `shared(value, name)` and `constant(value)` take their rank and element type from a Kotlin value:
 * Double/Float/Int/Long/Short/Byte/Boolean are scalars, DoubleArray & co. vectors, Array<DoubleArray> matrices, and
 * so on (the JVM arrays are the Java ones, so Java's double[][] works the same). An NDArray's rank and dtype are only
 * known at run time: name the type you expect (`val w: Matrix<F64> = shared(nd)` or `shared<Matrix<F64>>(nd)`) and
 * it is checked when the variable is made.
 *
 * A shared variable is an ordinary typed tensor whose variable is a core SharedVariable: use it in expressions and
 * as the key of `updates`; read and write its value with [value] / [setValue].
 */

/** A shared scalar of F64 holding a copy of [value]. */
fun shared(value: Double, name: String? = null): Scalar<F64> = Scalar(build { Theon.shared(value, name) })
/** A shared vector of F64 holding a copy of [value]. */
fun shared(value: DoubleArray, name: String? = null): Vector<F64> = Vector(build { Theon.shared(value, name) })
/** A shared matrix of F64 holding a copy of [value]. */
fun shared(value: Array<DoubleArray>, name: String? = null): Matrix<F64> = Matrix(build { Theon.shared(value, name) })
/** A shared tensor3 of F64 holding a copy of [value]. */
fun shared(value: Array<Array<DoubleArray>>, name: String? = null): Tensor3<F64> = Tensor3(build { Theon.shared(value, name) })
/** A shared tensor4 of F64 holding a copy of [value]. */
fun shared(value: Array<Array<Array<DoubleArray>>>, name: String? = null): Tensor4<F64> = Tensor4(build { Theon.shared(value, name) })
/** A shared scalar of F32 holding a copy of [value]. */
fun shared(value: Float, name: String? = null): Scalar<F32> = Scalar(build { Theon.shared(value, name) })
/** A shared vector of F32 holding a copy of [value]. */
fun shared(value: FloatArray, name: String? = null): Vector<F32> = Vector(build { Theon.shared(value, name) })
/** A shared matrix of F32 holding a copy of [value]. */
fun shared(value: Array<FloatArray>, name: String? = null): Matrix<F32> = Matrix(build { Theon.shared(value, name) })
/** A shared tensor3 of F32 holding a copy of [value]. */
fun shared(value: Array<Array<FloatArray>>, name: String? = null): Tensor3<F32> = Tensor3(build { Theon.shared(value, name) })
/** A shared tensor4 of F32 holding a copy of [value]. */
fun shared(value: Array<Array<Array<FloatArray>>>, name: String? = null): Tensor4<F32> = Tensor4(build { Theon.shared(value, name) })
/** A shared scalar of I32 holding a copy of [value]. */
fun shared(value: Int, name: String? = null): Scalar<I32> = Scalar(build { Theon.shared(value, name) })
/** A shared vector of I32 holding a copy of [value]. */
fun shared(value: IntArray, name: String? = null): Vector<I32> = Vector(build { Theon.shared(value, name) })
/** A shared matrix of I32 holding a copy of [value]. */
fun shared(value: Array<IntArray>, name: String? = null): Matrix<I32> = Matrix(build { Theon.shared(value, name) })
/** A shared tensor3 of I32 holding a copy of [value]. */
fun shared(value: Array<Array<IntArray>>, name: String? = null): Tensor3<I32> = Tensor3(build { Theon.shared(value, name) })
/** A shared scalar of I64 holding a copy of [value]. */
fun shared(value: Long, name: String? = null): Scalar<I64> = Scalar(build { Theon.shared(value, name) })
/** A shared vector of I64 holding a copy of [value]. */
fun shared(value: LongArray, name: String? = null): Vector<I64> = Vector(build { Theon.shared(value, name) })
/** A shared matrix of I64 holding a copy of [value]. */
fun shared(value: Array<LongArray>, name: String? = null): Matrix<I64> = Matrix(build { Theon.shared(value, name) })
/** A shared tensor3 of I64 holding a copy of [value]. */
fun shared(value: Array<Array<LongArray>>, name: String? = null): Tensor3<I64> = Tensor3(build { Theon.shared(value, name) })
/** A shared scalar of I16 holding a copy of [value]. */
fun shared(value: Short, name: String? = null): Scalar<I16> = Scalar(build { Theon.shared(value, name) })
/** A shared vector of I16 holding a copy of [value]. */
fun shared(value: ShortArray, name: String? = null): Vector<I16> = Vector(build { Theon.shared(value, name) })
/** A shared matrix of I16 holding a copy of [value]. */
fun shared(value: Array<ShortArray>, name: String? = null): Matrix<I16> = Matrix(build { Theon.shared(value, name) })
/** A shared scalar of I8 holding a copy of [value]. */
fun shared(value: Byte, name: String? = null): Scalar<I8> = Scalar(build { Theon.shared(value, name) })
/** A shared vector of I8 holding a copy of [value]. */
fun shared(value: ByteArray, name: String? = null): Vector<I8> = Vector(build { Theon.shared(value, name) })
/** A shared matrix of I8 holding a copy of [value]. */
fun shared(value: Array<ByteArray>, name: String? = null): Matrix<I8> = Matrix(build { Theon.shared(value, name) })
/** A shared scalar of B holding a copy of [value]. */
fun shared(value: Boolean, name: String? = null): Scalar<B> = Scalar(build { Theon.shared(value, name) })
/** A shared vector of B holding a copy of [value]. */
fun shared(value: BooleanArray, name: String? = null): Vector<B> = Vector(build { Theon.shared(value, name) })
/** A shared matrix of B holding a copy of [value]. */
fun shared(value: Array<BooleanArray>, name: String? = null): Matrix<B> = Matrix(build { Theon.shared(value, name) })
/** A shared tensor3 of B holding a copy of [value]. */
fun shared(value: Array<Array<BooleanArray>>, name: String? = null): Tensor3<B> = Tensor3(build { Theon.shared(value, name) })

/** A constant scalar of F64. */
fun constant(value: Double): Scalar<F64> = Scalar(build { Core.constant(NDArray.fromJava(value)) })
/** A constant vector of F64. */
fun constant(value: DoubleArray): Vector<F64> = Vector(build { Core.constant(NDArray.fromJava(value)) })
/** A constant matrix of F64. */
fun constant(value: Array<DoubleArray>): Matrix<F64> = Matrix(build { Core.constant(NDArray.fromJava(value)) })
/** A constant tensor3 of F64. */
fun constant(value: Array<Array<DoubleArray>>): Tensor3<F64> = Tensor3(build { Core.constant(NDArray.fromJava(value)) })
/** A constant tensor4 of F64. */
fun constant(value: Array<Array<Array<DoubleArray>>>): Tensor4<F64> = Tensor4(build { Core.constant(NDArray.fromJava(value)) })
/** A constant scalar of F32. */
fun constant(value: Float): Scalar<F32> = Scalar(build { Core.constant(NDArray.fromJava(value)) })
/** A constant vector of F32. */
fun constant(value: FloatArray): Vector<F32> = Vector(build { Core.constant(NDArray.fromJava(value)) })
/** A constant matrix of F32. */
fun constant(value: Array<FloatArray>): Matrix<F32> = Matrix(build { Core.constant(NDArray.fromJava(value)) })
/** A constant tensor3 of F32. */
fun constant(value: Array<Array<FloatArray>>): Tensor3<F32> = Tensor3(build { Core.constant(NDArray.fromJava(value)) })
/** A constant tensor4 of F32. */
fun constant(value: Array<Array<Array<FloatArray>>>): Tensor4<F32> = Tensor4(build { Core.constant(NDArray.fromJava(value)) })
/** A constant scalar of I32. */
fun constant(value: Int): Scalar<I32> = Scalar(build { Core.constant(NDArray.fromJava(value)) })
/** A constant vector of I32. */
fun constant(value: IntArray): Vector<I32> = Vector(build { Core.constant(NDArray.fromJava(value)) })
/** A constant matrix of I32. */
fun constant(value: Array<IntArray>): Matrix<I32> = Matrix(build { Core.constant(NDArray.fromJava(value)) })
/** A constant tensor3 of I32. */
fun constant(value: Array<Array<IntArray>>): Tensor3<I32> = Tensor3(build { Core.constant(NDArray.fromJava(value)) })
/** A constant scalar of I64. */
fun constant(value: Long): Scalar<I64> = Scalar(build { Core.constant(NDArray.fromJava(value)) })
/** A constant vector of I64. */
fun constant(value: LongArray): Vector<I64> = Vector(build { Core.constant(NDArray.fromJava(value)) })
/** A constant matrix of I64. */
fun constant(value: Array<LongArray>): Matrix<I64> = Matrix(build { Core.constant(NDArray.fromJava(value)) })
/** A constant tensor3 of I64. */
fun constant(value: Array<Array<LongArray>>): Tensor3<I64> = Tensor3(build { Core.constant(NDArray.fromJava(value)) })
/** A constant scalar of I16. */
fun constant(value: Short): Scalar<I16> = Scalar(build { Core.constant(NDArray.fromJava(value)) })
/** A constant vector of I16. */
fun constant(value: ShortArray): Vector<I16> = Vector(build { Core.constant(NDArray.fromJava(value)) })
/** A constant matrix of I16. */
fun constant(value: Array<ShortArray>): Matrix<I16> = Matrix(build { Core.constant(NDArray.fromJava(value)) })
/** A constant scalar of I8. */
fun constant(value: Byte): Scalar<I8> = Scalar(build { Core.constant(NDArray.fromJava(value)) })
/** A constant vector of I8. */
fun constant(value: ByteArray): Vector<I8> = Vector(build { Core.constant(NDArray.fromJava(value)) })
/** A constant matrix of I8. */
fun constant(value: Array<ByteArray>): Matrix<I8> = Matrix(build { Core.constant(NDArray.fromJava(value)) })
/** A constant scalar of B. */
fun constant(value: Boolean): Scalar<B> = Scalar(build { Core.constant(NDArray.fromJava(value)) })
/** A constant vector of B. */
fun constant(value: BooleanArray): Vector<B> = Vector(build { Core.constant(NDArray.fromJava(value)) })
/** A constant matrix of B. */
fun constant(value: Array<BooleanArray>): Matrix<B> = Matrix(build { Core.constant(NDArray.fromJava(value)) })
/** A constant tensor3 of B. */
fun constant(value: Array<Array<BooleanArray>>): Tensor3<B> = Tensor3(build { Core.constant(NDArray.fromJava(value)) })

/**
 * A shared variable holding a copy of an NDArray, typed as [T] (`shared<Matrix<F64>>(nd, "w")`, or from the
 * expected type); the NDArray's rank and dtype must match T (a star element type, `Matrix<*>`, takes any dtype).
 */
inline fun <reified T : Tensor<*>> shared(value: NDArray, name: String? = null): T =
    checkedAs(build { Theon.shared(value, name) }, typeOf<T>())

/** A constant holding an NDArray, typed as [T] (checked as in [shared]). */
inline fun <reified T : Tensor<*>> constant(value: NDArray): T = checkedAs(build { Core.constant(value) }, typeOf<T>())

/** The core shared variable behind this tensor, or an error naming it when it is not shared. */
val Tensor<*>.sharedVariable: SharedVariable
    get() = variable as? SharedVariable
        ?: throw TheonException.TypeError("$this is not a shared variable; only shared variables have a value between calls")

/** The current value of a shared variable (a copy); setting it replaces the value (rank and dtype must match). */
var Tensor<*>.value: NDArray
    get() = sharedVariable.get()
    set(v) = sharedVariable.set(v)

/** Replaces a shared variable's value with a Kotlin/Java array or number (converted when no precision is lost). */
fun Tensor<*>.setValue(v: Any) = sharedVariable.set(v)

/** With [borrow], the value is kept as given (the caller must not modify it afterwards). */
fun Tensor<*>.setValue(v: NDArray, borrow: Boolean) = sharedVariable.set(v, borrow)

/** The current value; with [borrow] the internal array itself, which must not be modified. */
fun Tensor<*>.getValue(borrow: Boolean = false): NDArray = sharedVariable.get(borrow)
