package dev.theon.samples

import dev.theon.dsl.*
import dev.theon.tensor.NDArray
import java.io.PrintStream
import java.util.Locale
import java.util.Random

/**
 * The Theano tutorial's logistic regression: [Examples] of random features with random 0/1 labels, a weight vector
 * and a bias trained by gradient descent on the mean cross-entropy plus an L2 penalty on the weights,
 *
 *     p_1 = 1 / (1 + exp(-x w - b)),  cost = mean(-y log p_1 - (1 - y) log(1 - p_1)) + 0.01 sum(w ** 2),
 *
 * with learning rate 0.1. With more features (784) than examples (400) the labels can be fitted exactly, so the
 * accuracy on the training data climbs to 1.
 *
 * `./theon run dev.theon.samples.LogisticRegression [STEPS]` trains for STEPS steps (the tutorial's 10000 by default).
 */
class LogisticRegression(val data: Examples, initialWeights: DoubleArray, learningRate: Double = 0.1, l2: Double = 0.01) {

    /** The training data: one row of features per example, and its label (0.0 or 1.0). */
    class Examples(val x: Array<DoubleArray>, val y: DoubleArray) {
        val size: Int get() = y.size

        // converted once: a call given Kotlin arrays would copy the 400 x 784 features again at every step
        internal val features: NDArray = NDArray.of(x)
        internal val labels: NDArray = NDArray.of(*y)

        companion object {
            /** As the tutorial: standard normal features, then labels drawn uniformly from {0, 1}. */
            fun random(n: Int, features: Int, random: Random): Examples {
                val x = Array(n) { DoubleArray(features) { random.nextGaussian() } }
                val y = DoubleArray(n) { random.nextInt(2).toDouble() }
                return Examples(x, y)
            }
        }
    }

    private val x = dmatrix("x")
    private val y = dvector("y")
    private val w = shared(initialWeights, "w")
    private val b = shared(0.0, "b")

    // the tutorial writes 1 / (1 + exp(-x w - b)), which Theano rewrites into a sigmoid; Theon has no rewrite to
    // a sigmoid, and only as one do log(p_1) and log(1 - p_1) become the stable -softplus(-z) and -softplus(z)
    private val p1 = sigmoid((x dot w) + b)                 // probability that the label is 1
    private val prediction = p1 gt 0.5                      // Vector<B>
    private val xent = -y * log(p1) - (1.0 - y) * log(1.0 - p1)
    private val cost = xent.mean() + l2 * (w pow 2).sum()
    private val gradients = grad(cost, w, b)

    private val train = fn(x, y, updates = listOf(w to w - learningRate * gradients.first, b to b - learningRate * gradients.second),
        name = "train") { prediction to xent }
    private val predict = fn(x, name = "predict") { prediction }

    /** One step of gradient descent; returns the mean cross-entropy before the update. */
    fun step(): Double = train(data.features, data.labels).second.toDoubleArray().average()

    /** The predicted labels of the training data. */
    fun predictions(): BooleanArray = predict(data.features).toBooleanArray()

    /** The fraction of training examples whose label is predicted right. */
    fun accuracy(): Double {
        val p = predictions()
        return p.indices.count { p[it] == (data.y[it] == 1.0) } / data.size.toDouble()
    }

    val weights: DoubleArray get() = w.value.toDoubleArray()
    val bias: Double get() = b.value.toDouble()

    /** Trains for [steps] steps, printing the cross-entropy and the accuracy ten times along the way. */
    fun train(steps: Int, out: PrintStream) {
        val every = maxOf(1, steps / 10)
        for (i in 1..steps) {
            val xentropy = step()
            if (i == 1 || i % every == 0 || i == steps)
                out.printf(Locale.ROOT, "step %5d  cross-entropy %.6f  accuracy %.4f%n", i, xentropy, accuracy())
        }
    }

    companion object {
        const val EXAMPLES = 400
        const val FEATURES = 784
        const val SEED = 42L

        /** The tutorial's data and initial weights: examples first, then the weights, from one `Random(seed)`. */
        fun tutorial(seed: Long = SEED): LogisticRegression {
            val random = Random(seed)
            val data = Examples.random(EXAMPLES, FEATURES, random)
            return LogisticRegression(data, DoubleArray(FEATURES) { random.nextGaussian() })
        }

        private fun bits(v: BooleanArray) = v.joinToString("") { if (it) "1" else "0" }.chunked(100).joinToString("\n")

        @JvmStatic
        fun main(args: Array<String>) {
            val steps = args.firstOrNull()?.toInt() ?: 10000
            val model = tutorial()
            val out = System.out
            out.println("Logistic regression on $EXAMPLES random examples of $FEATURES features, $steps steps")
            out.printf(Locale.ROOT, "initial accuracy %.4f%n", model.accuracy())
            val start = System.nanoTime()
            model.train(steps, out)
            out.printf(Locale.ROOT, "trained in %.1f s; b = %.6f, |w| = %.4f%n", (System.nanoTime() - start) / 1e9, model.bias,
                kotlin.math.sqrt(model.weights.sumOf { it * it }))
            out.println("target values for D:\n" + bits(BooleanArray(model.data.size) { model.data.y[it] == 1.0 }))
            out.println("prediction on D:\n" + bits(model.predictions()))
            out.printf(Locale.ROOT, "accuracy on the training data: %.4f%n", model.accuracy())
        }
    }
}
