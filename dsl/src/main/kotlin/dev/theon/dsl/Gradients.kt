package dev.theon.dsl

import dev.theon.T as Core
import dev.theon.Theon
import dev.theon.graph.Variable

/*
 * Symbolic gradients. The gradient with respect to a tensor has that tensor's type (`grad(cost, w)` of a Matrix<F64>
 * is a Matrix<F64>); several at once destructure: `val (gw, gb) = grad(cost, w, b)`.
 */

/** d cost / d wrt, typed as [wrt]. */
fun <S : Tensor<*>> grad(cost: Scalar<out Floating>, wrt: S): S = wrt.same(build { Core.grad(cost.variable, wrt.variable) })

/** The gradients with respect to two tensors. */
fun <S1 : Tensor<*>, S2 : Tensor<*>> grad(cost: Scalar<out Floating>, w1: S1, w2: S2): Pair<S1, S2> {
    val g = gradients(cost, listOf(w1, w2))
    return w1.same(g[0]) to w2.same(g[1])
}

/** The gradients with respect to three tensors. */
fun <S1 : Tensor<*>, S2 : Tensor<*>, S3 : Tensor<*>> grad(cost: Scalar<out Floating>, w1: S1, w2: S2, w3: S3): Triple<S1, S2, S3> {
    val g = gradients(cost, listOf(w1, w2, w3))
    return Triple(w1.same(g[0]), w2.same(g[1]), w3.same(g[2]))
}

/** The gradients with respect to each tensor of [wrt], in order (each of the same class as its tensor). */
fun grad(cost: Scalar<out Floating>, wrt: List<Tensor<*>>): List<Tensor<*>> =
    gradients(cost, wrt).mapIndexed { i, g -> wrt[i].same(g) }

/**
 * The gradients with Theano's options: [considerConstant] (no gradient flows through them), [disconnectedInputs]
 * ("raise", "warn", "ignore"), [knownGrads] (gradients given for intermediate tensors).
 */
fun grad(
    cost: Scalar<out Floating>,
    wrt: List<Tensor<*>>,
    considerConstant: List<Tensor<*>> = emptyList(),
    disconnectedInputs: String = "raise",
    knownGrads: Map<Tensor<*>, Tensor<*>> = emptyMap(),
): List<Tensor<*>> {
    val o = Theon.gradOptions()
        .considerConstant(considerConstant.map { it.variable })
        .disconnectedInputs(disconnectedInputs)
        .knownGrads(knownGrads.entries.associate { it.key.variable to it.value.variable })
    return build { Core.grad(cost.variable, wrt.map { it.variable }, o) }.mapIndexed { i, g -> wrt[i].same(g) }
}

private fun gradients(cost: Scalar<out Floating>, wrt: List<Tensor<*>>): List<Variable> =
    build { Core.grad(cost.variable, wrt.map { it.variable }) }

/** The Jacobian of a vector with respect to a vector: a matrix `J[i, j] = d y[i] / d x[j]`. */
fun <D : Floating> jacobian(y: Vector<D>, x: Vector<D>): Matrix<D> = Matrix(build { Theon.jacobian(y.variable, x.variable) })
/** The Jacobian of any tensor with respect to any tensor: shape y.shape + x.shape. */
fun <D : Floating> jacobian(y: Tensor<D>, x: Tensor<D>): Tensor<D> = wrap(build { Theon.jacobian(y.variable, x.variable) })
/** The Hessian of a scalar cost with respect to a vector. */
fun <D : Floating> hessian(cost: Scalar<D>, x: Vector<D>): Matrix<D> = Matrix(build { Theon.hessian(cost.variable, x.variable) })
/** `H v` for the Hessian H of [cost] with respect to [x], without forming H; typed as [x]. */
fun <D : Floating, S : Tensor<D>> hessianVectorProduct(cost: Scalar<D>, x: S, v: S): S =
    x.same(build { Theon.hessianVectorProduct(cost.variable, x.variable, v.variable) })
/** The L-operator `v^T (d f / d wrt)`, typed as [wrt]. */
fun <D : Floating, S : Tensor<D>> lop(f: Tensor<D>, wrt: S, v: Tensor<D>): S = wrt.same(build { Theon.Lop(f.variable, wrt.variable, v.variable) })
/** The R-operator `(d f / d wrt) v`, typed as [f]. */
fun <D : Floating, S : Tensor<D>> rop(f: S, wrt: Tensor<D>, v: Tensor<D>): S = f.same(build { Theon.Rop(f.variable, wrt.variable, v.variable) })

/** Identity forward; its gradient is zero. */
fun <S : Tensor<*>> zeroGrad(x: S): S = x.same(build { Core.zeroGrad(x.variable) })
/** Identity forward; no gradient flows through it. */
fun <S : Tensor<*>> disconnectedGrad(x: S): S = x.same(build { Core.disconnectedGrad(x.variable) })
/** Identity forward; the gradient flowing back is clipped to [lo, hi]. */
fun <S : Tensor<*>> gradClip(x: S, lo: Double, hi: Double): S = x.same(build { Core.gradClip(x.variable, lo, hi) })
/** Identity forward; the gradient flowing back is multiplied by [k]. */
fun <S : Tensor<*>> gradScale(x: S, k: Double): S = x.same(build { Core.gradScale(x.variable, k) })
/** Identity forward; asking for a gradient through it is an error. */
fun <S : Tensor<*>> undefinedGrad(x: S): S = x.same(build { Core.undefinedGrad(x.variable) })
