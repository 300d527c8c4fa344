package dev.theon.samples

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeExactly
import io.kotest.matchers.doubles.shouldBeGreaterThanOrEqual
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import kotlin.math.abs
import kotlin.math.exp
import kotlin.math.ln1p

/**
 * The tutorial's logistic regression (400 examples, 784 features). The tutorial trains for 10000 steps, which the
 * sample's main does; the tests take fewer: 5 steps checked against plain loops, and 400 steps for the fit.
 */
class LogisticRegressionSpec : FunSpec({

    /**
     * The same gradient descent written out by hand in float64: p = 1 / (1 + exp(-z)) with z = x w + b. The random
     * starting weights put |z| in the tens, where 1 - p rounds to 0: the cross-entropy is taken from z, as
     * -log(p) = softplus(-z) and -log(1 - p) = softplus(z).
     */
    class Oracle(val data: LogisticRegression.Examples, init: DoubleArray) {
        val w = init.clone()
        var b = 0.0

        fun logit(row: DoubleArray): Double = row.indices.sumOf { row[it] * w[it] } + b

        fun probability(row: DoubleArray): Double = 1 / (1 + exp(-logit(row)))

        fun softplus(z: Double): Double = maxOf(z, 0.0) + ln1p(exp(-abs(z)))

        /** One step; returns the mean cross-entropy before the update. */
        fun step(): Double {
            val n = data.size
            val gw = DoubleArray(w.size) { 2 * 0.01 * w[it] }
            var gb = 0.0
            var xent = 0.0
            for (i in 0 until n) {
                val z = logit(data.x[i])
                val p = 1 / (1 + exp(-z))
                val y = data.y[i]
                xent += y * softplus(-z) + (1 - y) * softplus(z)
                val dz = (p - y) / n                      // d mean(xent) / d (x w + b)
                for (j in w.indices) gw[j] += dz * data.x[i][j]
                gb += dz
            }
            for (j in w.indices) w[j] -= 0.1 * gw[j]
            b -= 0.1 * gb
            return xent / n
        }

        fun accuracy(): Double = data.x.indices.count { (probability(data.x[it]) > 0.5) == (data.y[it] == 1.0) } / data.size.toDouble()
    }

    fun oracleFor(seed: Long): Oracle {
        val random = java.util.Random(seed)
        val data = LogisticRegression.Examples.random(LogisticRegression.EXAMPLES, LogisticRegression.FEATURES, random)
        return Oracle(data, DoubleArray(LogisticRegression.FEATURES) { random.nextGaussian() })
    }

    test("the data and model are the tutorial's: 400 examples of 784 features, labels 0 or 1") {
        val model = LogisticRegression.tutorial()
        model.data.x.size shouldBe 400
        model.data.x.all { it.size == 784 } shouldBe true
        model.data.y.all { it == 0.0 || it == 1.0 } shouldBe true
        model.weights.size shouldBe 784
        model.bias shouldBeExactly 0.0
    }

    test("five steps of gradient descent match plain loops: cross-entropy, weights and bias") {
        val model = LogisticRegression.tutorial()
        val oracle = oracleFor(LogisticRegression.SEED)
        repeat(5) {
            val expected = oracle.step()
            model.step() shouldBe (expected plusOrMinus 1e-9 * maxOf(1.0, expected))
        }
        val w = model.weights
        for (j in w.indices) w[j] shouldBe (oracle.w[j] plusOrMinus 1e-9 * maxOf(1.0, abs(oracle.w[j])))
        model.bias shouldBe (oracle.b plusOrMinus 1e-9)
        model.accuracy() shouldBeExactly oracle.accuracy()
    }

    test("400 steps (the tutorial takes 10000) fit the training data") {
        val model = LogisticRegression.tutorial()
        var xent = Double.NaN
        repeat(400) { xent = model.step() }
        xent shouldBeLessThan 0.1
        // more features than examples: the random labels can be fitted exactly, and the weights learnt do it
        val oracle = Oracle(model.data, model.weights).also { it.b = model.bias }
        model.accuracy() shouldBeExactly oracle.accuracy()
        model.accuracy() shouldBeGreaterThanOrEqual 0.99
    }
})
