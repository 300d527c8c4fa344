package dev.theon.samples

import java.util.Random

/**
 * Points in the plane from two Gaussian clusters: class 0 around (-1, -1), class 1 around (1, 1), standard deviation
 * [SPREAD] on each axis. The classes alternate (point i has class i % 2), so any prefix is balanced.
 */
class TwoClusters(
    /** One row (x, y) per point. */
    val points: Array<DoubleArray>,
    /** The class of each point, 0.0 or 1.0 (the network's target). */
    val labels: DoubleArray,
) {
    val size: Int get() = labels.size

    companion object {
        const val SPREAD = 0.5

        /** [n] points drawn from [random]: two Gaussian draws per point, in order. */
        fun sample(n: Int, random: Random): TwoClusters {
            val points = Array(n) { DoubleArray(2) }
            val labels = DoubleArray(n)
            for (i in 0 until n) {
                val cls = i % 2
                val mean = if (cls == 0) -1.0 else 1.0
                points[i][0] = mean + SPREAD * random.nextGaussian()
                points[i][1] = mean + SPREAD * random.nextGaussian()
                labels[i] = cls.toDouble()
            }
            return TwoClusters(points, labels)
        }
    }
}
