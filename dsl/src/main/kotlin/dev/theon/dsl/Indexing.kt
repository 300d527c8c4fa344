package dev.theon.dsl

import dev.theon.T as Core
import dev.theon.ops.Index

/*
 * Indexing with `[ ]`, NumPy's rules. An Int drops its axis, a Kotlin range keeps it (a slice), so the result type
 * follows from the kinds of indices: `m[0]` is a Vector, `m[0, 1]` a Scalar, `m[0..1]` and `m[0 until 2, 1..2]`
 * matrices. Kotlin ranges are inclusive (`1..3` is NumPy's `1:4`); `until` excludes the end, `step` and `downTo`
 * give strided and reversed slices, and negative ends count from the end (`-3..-1` is NumPy's `-3:`).
 * Other index kinds (a symbolic integer Scalar, an integer Vector for advanced indexing, [ALL], [NEW_AXIS],
 * [ELLIPSIS], [slice]) go through the generic `get(vararg Any)` and give a Tensor<D>. Basic indexing is a view.
 */

/** `:` — the whole axis. */
val ALL: Index = Index.all()
/** NumPy's `np.newaxis`: a new axis of size 1. */
val NEW_AXIS: Index = Index.newAxis()
/** `...`: as many whole axes as needed. */
val ELLIPSIS: Index = Index.ellipsis()

/** NumPy's `start:stop:step` (null leaves a bound out); bounds may be Kotlin integers or integer Scalars. */
fun slice(start: Any? = null, stop: Any? = null, step: Any? = null): Index =
    Index.slice(bound(start), bound(stop), bound(step))

private fun bound(b: Any?): Any? = when (b) {
    null -> null
    is Int -> b.toLong()
    is Long -> b
    is Tensor<*> -> b.variable
    else -> throw dev.theon.TheonException.TypeError("a slice bound must be a Kotlin integer, an integer Scalar or null, got $b")
}

/** A Kotlin progression as a NumPy slice: inclusive ends become exclusive stops. */
internal fun IntProgression.toSlice(): Index {
    if (step > 0) return Index.slice(first.toLong(), if (last == -1) null else last + 1L, if (step == 1) null else step.toLong())
    return Index.slice(first.toLong(), if (last == 0) null else last - 1L, step.toLong())
}

/** What the core's T.get takes for one DSL index. */
internal fun indexArg(i: Any?): Any? = when (i) {
    is IntProgression -> i.toSlice()
    is Int -> i.toLong()
    is Tensor<*> -> i.variable
    else -> i
}

private fun subtensor(x: Tensor<*>, vararg idx: Any?) = build { Core.get(x.variable, *idx.map(::indexArg).toTypedArray()) }

/** `this[indices]` with any kinds of index (see the file comment); the result's class follows its rank. */
operator fun <D : Element> Tensor<D>.get(vararg indices: Any): Tensor<D> = wrap(subtensor(this, *indices))

operator fun <D : Element> Vector<D>.get(i0: Int): Scalar<D> = Scalar(subtensor(this, i0))
operator fun <D : Element> Vector<D>.get(i0: IntProgression): Vector<D> = Vector(subtensor(this, i0))

operator fun <D : Element> Matrix<D>.get(i0: Int): Vector<D> = Vector(subtensor(this, i0))
operator fun <D : Element> Matrix<D>.get(i0: IntProgression): Matrix<D> = Matrix(subtensor(this, i0))
operator fun <D : Element> Matrix<D>.get(i0: Int, i1: Int): Scalar<D> = Scalar(subtensor(this, i0, i1))
operator fun <D : Element> Matrix<D>.get(i0: Int, i1: IntProgression): Vector<D> = Vector(subtensor(this, i0, i1))
operator fun <D : Element> Matrix<D>.get(i0: IntProgression, i1: Int): Vector<D> = Vector(subtensor(this, i0, i1))
operator fun <D : Element> Matrix<D>.get(i0: IntProgression, i1: IntProgression): Matrix<D> = Matrix(subtensor(this, i0, i1))

operator fun <D : Element> Tensor3<D>.get(i0: Int): Matrix<D> = Matrix(subtensor(this, i0))
operator fun <D : Element> Tensor3<D>.get(i0: IntProgression): Tensor3<D> = Tensor3(subtensor(this, i0))
operator fun <D : Element> Tensor3<D>.get(i0: Int, i1: Int): Vector<D> = Vector(subtensor(this, i0, i1))
operator fun <D : Element> Tensor3<D>.get(i0: Int, i1: IntProgression): Matrix<D> = Matrix(subtensor(this, i0, i1))
operator fun <D : Element> Tensor3<D>.get(i0: IntProgression, i1: Int): Matrix<D> = Matrix(subtensor(this, i0, i1))
operator fun <D : Element> Tensor3<D>.get(i0: IntProgression, i1: IntProgression): Tensor3<D> = Tensor3(subtensor(this, i0, i1))
operator fun <D : Element> Tensor3<D>.get(i0: Int, i1: Int, i2: Int): Scalar<D> = Scalar(subtensor(this, i0, i1, i2))
operator fun <D : Element> Tensor3<D>.get(i0: Int, i1: Int, i2: IntProgression): Vector<D> = Vector(subtensor(this, i0, i1, i2))
operator fun <D : Element> Tensor3<D>.get(i0: Int, i1: IntProgression, i2: Int): Vector<D> = Vector(subtensor(this, i0, i1, i2))
operator fun <D : Element> Tensor3<D>.get(i0: Int, i1: IntProgression, i2: IntProgression): Matrix<D> = Matrix(subtensor(this, i0, i1, i2))
operator fun <D : Element> Tensor3<D>.get(i0: IntProgression, i1: Int, i2: Int): Vector<D> = Vector(subtensor(this, i0, i1, i2))
operator fun <D : Element> Tensor3<D>.get(i0: IntProgression, i1: Int, i2: IntProgression): Matrix<D> = Matrix(subtensor(this, i0, i1, i2))
operator fun <D : Element> Tensor3<D>.get(i0: IntProgression, i1: IntProgression, i2: Int): Matrix<D> = Matrix(subtensor(this, i0, i1, i2))
operator fun <D : Element> Tensor3<D>.get(i0: IntProgression, i1: IntProgression, i2: IntProgression): Tensor3<D> = Tensor3(subtensor(this, i0, i1, i2))

operator fun <D : Element> Tensor4<D>.get(i0: Int): Tensor3<D> = Tensor3(subtensor(this, i0))
operator fun <D : Element> Tensor4<D>.get(i0: IntProgression): Tensor4<D> = Tensor4(subtensor(this, i0))
operator fun <D : Element> Tensor4<D>.get(i0: Int, i1: Int): Matrix<D> = Matrix(subtensor(this, i0, i1))
operator fun <D : Element> Tensor4<D>.get(i0: Int, i1: IntProgression): Tensor3<D> = Tensor3(subtensor(this, i0, i1))
operator fun <D : Element> Tensor4<D>.get(i0: IntProgression, i1: Int): Tensor3<D> = Tensor3(subtensor(this, i0, i1))
operator fun <D : Element> Tensor4<D>.get(i0: IntProgression, i1: IntProgression): Tensor4<D> = Tensor4(subtensor(this, i0, i1))
operator fun <D : Element> Tensor4<D>.get(i0: Int, i1: Int, i2: Int): Vector<D> = Vector(subtensor(this, i0, i1, i2))
operator fun <D : Element> Tensor4<D>.get(i0: Int, i1: Int, i2: IntProgression): Matrix<D> = Matrix(subtensor(this, i0, i1, i2))
operator fun <D : Element> Tensor4<D>.get(i0: Int, i1: IntProgression, i2: Int): Matrix<D> = Matrix(subtensor(this, i0, i1, i2))
operator fun <D : Element> Tensor4<D>.get(i0: Int, i1: IntProgression, i2: IntProgression): Tensor3<D> = Tensor3(subtensor(this, i0, i1, i2))
operator fun <D : Element> Tensor4<D>.get(i0: IntProgression, i1: Int, i2: Int): Matrix<D> = Matrix(subtensor(this, i0, i1, i2))
operator fun <D : Element> Tensor4<D>.get(i0: IntProgression, i1: Int, i2: IntProgression): Tensor3<D> = Tensor3(subtensor(this, i0, i1, i2))
operator fun <D : Element> Tensor4<D>.get(i0: IntProgression, i1: IntProgression, i2: Int): Tensor3<D> = Tensor3(subtensor(this, i0, i1, i2))
operator fun <D : Element> Tensor4<D>.get(i0: IntProgression, i1: IntProgression, i2: IntProgression): Tensor4<D> = Tensor4(subtensor(this, i0, i1, i2))
operator fun <D : Element> Tensor4<D>.get(i0: Int, i1: Int, i2: Int, i3: Int): Scalar<D> = Scalar(subtensor(this, i0, i1, i2, i3))
operator fun <D : Element> Tensor4<D>.get(i0: Int, i1: Int, i2: Int, i3: IntProgression): Vector<D> = Vector(subtensor(this, i0, i1, i2, i3))
operator fun <D : Element> Tensor4<D>.get(i0: Int, i1: Int, i2: IntProgression, i3: Int): Vector<D> = Vector(subtensor(this, i0, i1, i2, i3))
operator fun <D : Element> Tensor4<D>.get(i0: Int, i1: Int, i2: IntProgression, i3: IntProgression): Matrix<D> = Matrix(subtensor(this, i0, i1, i2, i3))
operator fun <D : Element> Tensor4<D>.get(i0: Int, i1: IntProgression, i2: Int, i3: Int): Vector<D> = Vector(subtensor(this, i0, i1, i2, i3))
operator fun <D : Element> Tensor4<D>.get(i0: Int, i1: IntProgression, i2: Int, i3: IntProgression): Matrix<D> = Matrix(subtensor(this, i0, i1, i2, i3))
operator fun <D : Element> Tensor4<D>.get(i0: Int, i1: IntProgression, i2: IntProgression, i3: Int): Matrix<D> = Matrix(subtensor(this, i0, i1, i2, i3))
operator fun <D : Element> Tensor4<D>.get(i0: Int, i1: IntProgression, i2: IntProgression, i3: IntProgression): Tensor3<D> = Tensor3(subtensor(this, i0, i1, i2, i3))
operator fun <D : Element> Tensor4<D>.get(i0: IntProgression, i1: Int, i2: Int, i3: Int): Vector<D> = Vector(subtensor(this, i0, i1, i2, i3))
operator fun <D : Element> Tensor4<D>.get(i0: IntProgression, i1: Int, i2: Int, i3: IntProgression): Matrix<D> = Matrix(subtensor(this, i0, i1, i2, i3))
operator fun <D : Element> Tensor4<D>.get(i0: IntProgression, i1: Int, i2: IntProgression, i3: Int): Matrix<D> = Matrix(subtensor(this, i0, i1, i2, i3))
operator fun <D : Element> Tensor4<D>.get(i0: IntProgression, i1: Int, i2: IntProgression, i3: IntProgression): Tensor3<D> = Tensor3(subtensor(this, i0, i1, i2, i3))
operator fun <D : Element> Tensor4<D>.get(i0: IntProgression, i1: IntProgression, i2: Int, i3: Int): Matrix<D> = Matrix(subtensor(this, i0, i1, i2, i3))
operator fun <D : Element> Tensor4<D>.get(i0: IntProgression, i1: IntProgression, i2: Int, i3: IntProgression): Tensor3<D> = Tensor3(subtensor(this, i0, i1, i2, i3))
operator fun <D : Element> Tensor4<D>.get(i0: IntProgression, i1: IntProgression, i2: IntProgression, i3: Int): Tensor3<D> = Tensor3(subtensor(this, i0, i1, i2, i3))
operator fun <D : Element> Tensor4<D>.get(i0: IntProgression, i1: IntProgression, i2: IntProgression, i3: IntProgression): Tensor4<D> = Tensor4(subtensor(this, i0, i1, i2, i3))

/** Elements at integer positions along axis 0 (advanced indexing): a vector indexed by a vector is a vector. */
operator fun <D : Element> Vector<D>.get(indices: Vector<out Integral>): Vector<D> = Vector(subtensor(this, indices))
/** Rows at integer positions (advanced indexing). */
operator fun <D : Element> Matrix<D>.get(rows: Vector<out Integral>): Matrix<D> = Matrix(subtensor(this, rows))
/** The element at a symbolic position. */
operator fun <D : Element> Vector<D>.get(i: Scalar<out Integral>): Scalar<D> = Scalar(subtensor(this, i))
/** The row at a symbolic position. */
operator fun <D : Element> Matrix<D>.get(i: Scalar<out Integral>): Vector<D> = Vector(subtensor(this, i))

/** `this[:, ..., start:stop]` along one [axis] (negative axis and bounds count from the end): a view of the same type. */
fun <S : Tensor<*>> S.slice(axis: Int, start: Long, stop: Long): S = same(build { Core.slice(variable, axis, start, stop) })

/** NumPy's take: elements at integer [indices] along [axis]; the indices' shape replaces that axis. */
fun <D : Element> Tensor<D>.take(indices: Tensor<out Integral>, axis: Int = 0): Tensor<D> =
    wrap(build { Core.take(variable, indices.variable, axis) })

/**
 * Theano's set_subtensor: a new tensor equal to this one with `this[indices]` set to [value] (broadcast to the
 * region); this tensor is unchanged (graphs are values). `m.setAt(0, 1..2, value = v)`.
 */
fun <D : Element, S : Tensor<D>> S.setAt(vararg indices: Any, value: Tensor<D>): S =
    same(build { Core.setSubtensor(subtensor(this, *indices), value.variable) })
/** As setAt, with a Kotlin number as the value (a weak literal of this tensor's element type). */
fun <D : Element, S : Tensor<D>> S.setAt(vararg indices: Any, value: Number): S =
    same(build { Core.setSubtensor(subtensor(this, *indices), value) })
/** Theano's inc_subtensor: this tensor with [by] added to `this[indices]` (repeated advanced indices accumulate). */
fun <D : Element, S : Tensor<D>> S.incAt(vararg indices: Any, by: Tensor<D>): S =
    same(build { Core.incSubtensor(subtensor(this, *indices), by.variable) })
/** As incAt, with a Kotlin number. */
fun <D : Element, S : Tensor<D>> S.incAt(vararg indices: Any, by: Number): S =
    same(build { Core.incSubtensor(subtensor(this, *indices), by) })
