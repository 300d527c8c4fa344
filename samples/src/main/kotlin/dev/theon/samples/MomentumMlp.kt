package dev.theon.samples

import dev.theon.dsl.*
import dev.theon.tensor.NDArray
import java.util.Random

/** The starting parameters of the 2-4-1 network. */
class MlpWeights(val w1: Array<DoubleArray>, val b1: DoubleArray, val w2: DoubleArray, val b2: Double) {
    companion object {
        /** As the tutorial: Gaussian weights (W1 row by row, then w2), biases 1. */
        fun random(random: Random): MlpWeights {
            val w1 = Array(2) { DoubleArray(4) { random.nextGaussian() } }
            val w2 = DoubleArray(4) { random.nextGaussian() }
            return MlpWeights(w1, DoubleArray(4) { 1.0 }, w2, 1.0)
        }
    }
}

/**
 * The tutorial's 2-4-1 network: `sigmoid(sigmoid(x W1 + b1) w2 + b2)`, squared error summed over the batch, trained by
 * full-batch gradient descent with momentum. The parameters and their velocities are shared variables, and one call
 * of the training function computes the cost and updates all eight of them together.
 */
class MomentumMlp(init: MlpWeights, learningRate: Double = 0.01, momentum: Double = 0.9) {
    private val x = dmatrix("x")
    private val y = dvector("y")
    private val w1 = shared(init.w1, "W1")
    private val b1 = shared(init.b1, "b1")
    private val w2 = shared(init.w2, "w2")
    private val b2 = shared(init.b2, "b2")

    private val hidden: Matrix<F64> = sigmoid((x dot w1) + b1)
    /** The probability of class 1 for each row of x. */
    private val output: Vector<F64> = sigmoid((hidden dot w2) + b2)
    private val cost: Scalar<F64> = sqr(output - y).sum()

    private val train = fn(x, y, updates = momentumUpdates(cost, listOf(w1, b1, w2, b2), learningRate, momentum), name = "train") { cost }
    private val probability = fn(x, name = "probability") { output }

    /** One step on the whole batch; returns the cost before the step's update. */
    fun step(data: TwoClusters): Double = train(data.points, data.labels).toDouble()

    /** The network's probability of class 1 at each point. */
    fun probabilities(points: Array<DoubleArray>): DoubleArray = probability(points).toDoubleArray()

    /** The fraction of points whose class the network gets right (class 1 where the probability is above 0.5). */
    fun accuracy(data: TwoClusters): Double {
        val p = probabilities(data.points)
        return p.indices.count { (p[it] > 0.5) == (data.labels[it] == 1.0) } / data.size.toDouble()
    }

    /** The current parameter values: W1, b1, w2, b2. */
    fun parameters(): List<NDArray> = listOf(w1.value, b1.value, w2.value, b2.value)

    private companion object {
        /** For each parameter p, a velocity v (a shared variable, zero at first): v <- mu v - lr dcost/dp, p <- p + v. */
        fun momentumUpdates(cost: Scalar<F64>, params: List<Tensor<F64>>, lr: Double, mu: Double): List<Pair<Tensor<*>, Any>> =
            params.zip(grad(cost, params)).flatMap { (p, g) ->
                val velocity: Tensor<F64> = shared(NDArray.zeros(p.dtype, *p.value.shape()), "v_${p.name}")
                val step = velocity * mu - g.asTyped<Tensor<F64>>() * lr
                listOf(velocity to step, p to p + step)
            }
    }
}
