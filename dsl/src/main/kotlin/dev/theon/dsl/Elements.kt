package dev.theon.dsl

import dev.theon.tensor.DType

/**
 * Element types as Kotlin types, so a tensor's dtype is part of its static type (`Matrix<F32>`).
 *
 * Each marker is an `object`: the same name is a type (`Vector<F64>`) and a value (`floatX = F32`, `cast(F64)`).
 * The sub-interfaces say what an operation needs: arithmetic takes [Numeric] elements, `exp`/`log`/`/` take [Floating]
 * ones, logical `and`/`or` take [B].
 */
sealed interface Element {
    /** The core dtype this marker stands for. */
    val dtype: DType
}

/** Numbers: every element type but bool. */
sealed interface Numeric : Element

/** Floating-point elements: float32, float64 and floatX (bound when a function is compiled). */
sealed interface Floating : Numeric

/** A concrete float precision, the kind a function's `floatX` option is bound to. */
sealed interface Precision : Floating

/** Integer elements. */
sealed interface Integral : Numeric

/** float32 */
data object F32 : Precision { override val dtype get() = DType.FLOAT32 }
/** float64 */
data object F64 : Precision { override val dtype get() = DType.FLOAT64 }
/** floatX: float32 or float64, chosen per function when it is compiled (`fn(..., floatX = F32)`). */
data object FX : Floating { override val dtype get() = DType.FLOATX }
/** int8 */
data object I8 : Integral { override val dtype get() = DType.INT8 }
/** int16 */
data object I16 : Integral { override val dtype get() = DType.INT16 }
/** int32 */
data object I32 : Integral { override val dtype get() = DType.INT32 }
/** int64 */
data object I64 : Integral { override val dtype get() = DType.INT64 }
/** bool */
data object B : Element { override val dtype get() = DType.BOOL }

/** The marker of a core dtype. */
fun elementOf(dtype: DType): Element = when (dtype) {
    DType.FLOAT32 -> F32
    DType.FLOAT64 -> F64
    DType.FLOATX -> FX
    DType.INT8 -> I8
    DType.INT16 -> I16
    DType.INT32 -> I32
    DType.INT64 -> I64
    DType.BOOL -> B
}

/** The marker object of a reified element type: `element<F32>()` is [F32]. */
inline fun <reified E : Element> element(): E = when (E::class) {
    F32::class -> F32
    F64::class -> F64
    FX::class -> FX
    I8::class -> I8
    I16::class -> I16
    I32::class -> I32
    I64::class -> I64
    B::class -> B
    else -> throw IllegalArgumentException("${E::class.simpleName} is not a concrete element type; use F32, F64, FX, I8, I16, I32, I64 or B")
} as E
