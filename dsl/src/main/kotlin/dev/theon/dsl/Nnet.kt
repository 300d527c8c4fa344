package dev.theon.dsl

import dev.theon.T as Core

/* Neural-network functions: activations keep their operand's type; losses give one value per row or element. */

/** Softmax along [axis] (default the last), computed stably; any rank >= 1. */
fun <D : Floating, S : Tensor<D>> softmax(x: S, axis: Int = -1): S = x.same(build { Core.softmax(x.variable, axis) })

/** log(softmax(x)) along [axis], computed stably. */
fun <D : Floating, S : Tensor<D>> logSoftmax(x: S, axis: Int = -1): S = x.same(build { Core.logSoftmax(x.variable, axis) })

/** Rectifier `max(x, 0)`; with [alpha] the leaky form `x > 0 ? x : alpha * x`. */
fun <D : Floating, S : Tensor<D>> relu(x: S, alpha: Double = 0.0): S = x.same(build { Core.relu(x.variable, alpha) })

/** Exponential linear unit `x > 0 ? x : alpha * (exp(x) - 1)`. */
fun <D : Floating, S : Tensor<D>> elu(x: S, alpha: Double = 1.0): S = x.same(build { Core.elu(x.variable, alpha) })

/** Categorical cross-entropy of predicted probabilities (rows) against integer class labels: one loss per row. */
fun <D : Floating> categoricalCrossentropy(coding: Matrix<D>, labels: Vector<out Integral>): Vector<D> =
    Vector(build { Core.categoricalCrossentropy(coding.variable, labels.variable) })

/** Categorical cross-entropy against one-hot (or probability) rows: `-sum(target * log(coding), axis = 1)`. */
fun <D : Floating> categoricalCrossentropy(coding: Matrix<D>, target: Matrix<D>): Vector<D> =
    Vector(build { Core.categoricalCrossentropy(coding.variable, target.variable) })

/** Elementwise `-(t log(o) + (1 - t) log(1 - o))`; broadcasts like arithmetic, typed as [output]. */
fun <D : Floating, S : Tensor<D>> binaryCrossentropy(output: S, target: Tensor<D>): S =
    output.same(build { Core.binaryCrossentropy(output.variable, target.variable) })

/** Binary cross-entropy of `sigmoid(logits)`, computed stably from the logits; typed as [logits]. */
fun <D : Floating, S : Tensor<D>> sigmoidBinaryCrossentropy(logits: S, target: Tensor<D>): S =
    logits.same(build { Core.sigmoidBinaryCrossentropy(logits.variable, target.variable) })
