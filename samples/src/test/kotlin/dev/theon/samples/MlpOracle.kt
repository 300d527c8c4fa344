package dev.theon.samples

import kotlin.math.exp

/**
 * The tutorial's 2-4-1 network trained by plain float64 loops, written out by hand (forward pass, backpropagation,
 * momentum): the tests' oracle for what Theon computes from the symbolic graph.
 */
class MlpOracle(init: MlpWeights, private val lr: Double = 0.01, private val mu: Double = 0.9) {
    private val w1 = Array(2) { init.w1[it].clone() }
    private val b1 = init.b1.clone()
    private val w2 = init.w2.clone()
    private var b2 = init.b2
    private val vw1 = Array(2) { DoubleArray(4) }
    private val vb1 = DoubleArray(4)
    private val vw2 = DoubleArray(4)
    private var vb2 = 0.0

    private fun sigmoid(z: Double) = 1 / (1 + exp(-z))

    private fun hidden(p: DoubleArray) = DoubleArray(4) { j -> sigmoid(p[0] * w1[0][j] + p[1] * w1[1][j] + b1[j]) }

    private fun output(h: DoubleArray) = sigmoid((0 until 4).sumOf { h[it] * w2[it] } + b2)

    fun probability(p: DoubleArray): Double = output(hidden(p))

    /** One full-batch step; returns the cost before the update. */
    fun step(data: TwoClusters): Double {
        val gw1 = Array(2) { DoubleArray(4) }
        val gb1 = DoubleArray(4)
        val gw2 = DoubleArray(4)
        var gb2 = 0.0
        var cost = 0.0
        for (n in 0 until data.size) {
            val p = data.points[n]
            val h = hidden(p)
            val o = output(h)
            val err = o - data.labels[n]
            cost += err * err
            val dz2 = 2 * err * o * (1 - o)            // d cost / d (h . w2 + b2)
            for (j in 0 until 4) {
                gw2[j] += dz2 * h[j]
                val dz1 = dz2 * w2[j] * h[j] * (1 - h[j])
                gb1[j] += dz1
                gw1[0][j] += dz1 * p[0]
                gw1[1][j] += dz1 * p[1]
            }
            gb2 += dz2
        }
        for (j in 0 until 4) {
            for (i in 0 until 2) { vw1[i][j] = mu * vw1[i][j] - lr * gw1[i][j]; w1[i][j] += vw1[i][j] }
            vb1[j] = mu * vb1[j] - lr * gb1[j]; b1[j] += vb1[j]
            vw2[j] = mu * vw2[j] - lr * gw2[j]; w2[j] += vw2[j]
        }
        vb2 = mu * vb2 - lr * gb2; b2 += vb2
        return cost
    }

    fun accuracy(data: TwoClusters): Double =
        (0 until data.size).count { (probability(data.points[it]) > 0.5) == (data.labels[it] == 1.0) } / data.size.toDouble()
}
