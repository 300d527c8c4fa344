package dev.theon.dsl

import dev.theon.TheonException
import dev.theon.graph.SharedVariable
import dev.theon.graph.Variable
import dev.theon.tensor.DType
import kotlin.reflect.KClass
import kotlin.reflect.typeOf

/**
 * A symbolic tensor whose element type [D] is part of its Kotlin type; the classes [Scalar], [Vector], [Matrix],
 * [Tensor3] and [Tensor4] put the rank there too, and [TensorN] holds every other rank. `Tensor<D>` itself is the
 * escape hatch for code that works on any rank: its operations return `Tensor<D>`, whose run-time class still tells
 * the rank (`if (t is Matrix<F64>) ...`).
 *
 * A tensor is a thin view of a core [Variable] ([variable]); two tensors over the same variable are equal. Sizes are
 * not in the type: they are checked by the core when the graph is built, and the error then names the caller's line.
 */
sealed interface Tensor<D : Element> : FnInput {
    /** The core variable, for everything the DSL does not cover (`T.xxx(t.variable)`). */
    val variable: Variable

    /** The core dtype (FLOATX for floatX tensors until a function binds it). */
    val dtype: DType get() = variable.dtype()

    /** The marker of the element type, the value of [D] at run time. */
    val element: Element get() = elementOf(dtype)

    /** The rank. */
    val ndim: Int get() = variable.ndim()

    /** The static shape: a known size per dim, or -1 where it is only known at run time. */
    val staticShape: LongArray get() = variable.type().shape()

    /** The variable's name, or null. */
    val name: String? get() = variable.name()

    /** True when this is a shared variable (its value lives between calls; see [value]). */
    val isShared: Boolean get() = variable is SharedVariable
}

/*
 * Broadcasting types. A tensor of rank r broadcasts against any tensor of rank >= r, and the result has the higher
 * rank. `UpToMatrix<D>` is "a scalar, vector or matrix of D"; the binary operators take, for a receiver of rank r,
 * an operand of type `UpTo<r>` (result: rank r) and, for an operand of rank r, a receiver of type `UpTo<r>` (result:
 * rank r). Kotlin picks the most specific overload, so `Matrix + Vector` and `Vector + Matrix` are both matrices.
 */

/** Any tensor of rank at most 4 with elements [D]. */
sealed interface UpToTensor4<D : Element> : Tensor<D>
/** A scalar, vector, matrix or rank-3 tensor with elements [D]. */
sealed interface UpToTensor3<D : Element> : UpToTensor4<D>
/** A scalar, vector or matrix with elements [D]. */
sealed interface UpToMatrix<D : Element> : UpToTensor3<D>
/** A scalar or vector with elements [D]. */
sealed interface UpToVector<D : Element> : UpToMatrix<D>

/** What every typed tensor class shares: the variable, a rank check, identity by variable, printing. */
sealed class TypedVariable(
    /** The core variable. */
    val variable: Variable,
    rank: Int,
) {
    init {
        if (rank >= 0 && variable.ndim() != rank || rank < 0 && variable.ndim() <= 4)
            throw TheonException.TypeError("a ${kindName(rank)} needs a rank-${if (rank < 0) "5+" else rank} variable; "
                    + "${variable.describe()} has type ${variable.type()}")
    }

    override fun equals(other: Any?): Boolean = other is TypedVariable && other.variable === variable
    override fun hashCode(): Int = System.identityHashCode(variable)
    override fun toString(): String = variable.toString()
}

/** Rank 0. */
class Scalar<D : Element> @PublishedApi internal constructor(variable: Variable) : TypedVariable(variable, 0), UpToVector<D>
/** Rank 1. */
class Vector<D : Element> @PublishedApi internal constructor(variable: Variable) : TypedVariable(variable, 1), UpToVector<D>
/** Rank 2. */
class Matrix<D : Element> @PublishedApi internal constructor(variable: Variable) : TypedVariable(variable, 2), UpToMatrix<D>
/** Rank 3. */
class Tensor3<D : Element> @PublishedApi internal constructor(variable: Variable) : TypedVariable(variable, 3), UpToTensor3<D>
/** Rank 4. */
class Tensor4<D : Element> @PublishedApi internal constructor(variable: Variable) : TypedVariable(variable, 4), UpToTensor4<D>
/** Any rank above 4 (the DSL's typed operations stop at rank 4; these use the generic `Tensor<D>` overloads). */
class TensorN<D : Element> @PublishedApi internal constructor(variable: Variable) : TypedVariable(variable, -1), Tensor<D>

private fun kindName(rank: Int) = when (rank) {
    0 -> "Scalar"; 1 -> "Vector"; 2 -> "Matrix"; 3 -> "Tensor3"; 4 -> "Tensor4"; else -> "TensorN"
}

/** The typed view of a core variable whose element type the caller vouches for: the class follows the rank. */
@PublishedApi
internal fun <D : Element> wrap(v: Variable): Tensor<D> = when (v.ndim()) {
    0 -> Scalar(v)
    1 -> Vector(v)
    2 -> Matrix(v)
    3 -> Tensor3(v)
    4 -> Tensor4(v)
    else -> TensorN(v)
}

/**
 * A variable of the same rank as this tensor, typed as this tensor's static type [S]. For operations that keep the
 * rank; it checks the rank so that a wrong wrapper can never be built.
 */
@Suppress("UNCHECKED_CAST")
internal fun <S : Tensor<*>> S.same(v: Variable): S {
    if (v.ndim() != ndim)
        throw TheonException.TypeError("the result ${v.describe()} : ${v.type()} has rank ${v.ndim()} but the DSL expected rank $ndim (the rank of $this)")
    return wrap<Element>(v) as S
}

/** The typed view of any core variable, its class chosen by rank and its element type read from the dtype. */
fun Variable.typed(): Tensor<*> = wrap<Element>(this)

/** The class of the typed tensor of a given rank. */
internal fun classOfRank(rank: Int): KClass<out Tensor<*>> = when (rank) {
    0 -> Scalar::class; 1 -> Vector::class; 2 -> Matrix::class; 3 -> Tensor3::class; 4 -> Tensor4::class; else -> TensorN::class
}

/**
 * This core variable as the typed tensor [T] (`v.asTyped<Matrix<F64>>()`), after checking its rank and dtype
 * against [T]; a star (`Matrix<*>`) accepts any element type.
 */
inline fun <reified T : Tensor<*>> Variable.asTyped(): T = checkedAs(this, typeOf<T>())

/** This tensor re-typed as [T] after a run-time check (`t.asTyped<Matrix<F64>>()`), e.g. after a generic operation. */
inline fun <reified T : Tensor<*>> Tensor<*>.asTyped(): T = checkedAs(variable, typeOf<T>())

@PublishedApi
internal fun <T> checkedAs(v: Variable, type: kotlin.reflect.KType): T {
    val cls = type.classifier as KClass<*>
    val wanted = type.arguments.firstOrNull()?.type?.classifier as KClass<*>?
    val actual = classOfRank(v.ndim())
    if (cls != Tensor::class && cls != actual)
        throw TheonException.TypeError("${v.describe()} : ${v.type()} is a ${actual.simpleName}, not a ${cls.simpleName}")
    if (wanted != null) {
        val e = markerOf(wanted)
        if (e.dtype != v.dtype())
            throw TheonException.TypeError("${v.describe()} : ${v.type()} has dtype ${v.dtype()}, not ${e.dtype} (${e})")
    }
    @Suppress("UNCHECKED_CAST")
    return wrap<Element>(v) as T
}

/** The marker object of a marker class, or an error for the abstract kinds (Floating, Numeric, ...). */
internal fun markerOf(c: KClass<*>): Element = listOf(F32, F64, FX, I8, I16, I32, I64, B).firstOrNull { it::class == c }
    ?: throw TheonException.TypeError("${c.simpleName} is a kind of element, not one element type; use F32, F64, FX, I8, I16, I32, I64 or B")
