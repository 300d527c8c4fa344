package dev.theon.samples

import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.geom.geomContour
import org.jetbrains.letsPlot.geom.geomLine
import org.jetbrains.letsPlot.geom.geomPoint
import org.jetbrains.letsPlot.geom.geomRaster
import org.jetbrains.letsPlot.gggrid
import org.jetbrains.letsPlot.ggsize
import org.jetbrains.letsPlot.label.ggtitle
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.scale.scaleColorManual
import org.jetbrains.letsPlot.scale.scaleFillGradient2
import org.jetbrains.letsPlot.scale.scaleYLog10

/** One training step of the network: its cost (before the step's update) and the accuracy after it. */
data class Iteration(val step: Int, val cost: Double, val accuracy: Double)

/** The figures of the tutorial's network: the data, the network's output over the plane, and the training curves. */
object MlpPlots {
    private val classColors = listOf("#1f5fa8", "#c0392b")

    private fun pointsFrame(data: TwoClusters) = mapOf(
        "x" to data.points.map { it[0] },
        "y" to data.points.map { it[1] },
        "class" to data.labels.map { if (it == 1.0) "1" else "0" },
    )

    /** The two clusters, coloured by class. */
    fun data(data: TwoClusters): Figure =
        letsPlot(pointsFrame(data)) +
            geomPoint(size = 2.0, alpha = 0.6) { x = "x"; y = "y"; color = "class" } +
            scaleColorManual(values = classColors) +
            ggtitle("Two Gaussian clusters (${data.size} points)") + labs(x = "x1", y = "x2") + ggsize(640, 520)

    /**
     * The network's probability of class 1 over a [resolution] x [resolution] grid covering the data, its 0.5 level
     * (the decision boundary) and the data on top.
     */
    fun output(probabilities: (Array<DoubleArray>) -> DoubleArray, data: TwoClusters, title: String, resolution: Int = 120): Figure {
        val lo = DoubleArray(2) { axis -> data.points.minOf { it[axis] } - 0.5 }
        val hi = DoubleArray(2) { axis -> data.points.maxOf { it[axis] } + 0.5 }
        val grid = Array(resolution * resolution) { k ->
            val i = k % resolution; val j = k / resolution
            doubleArrayOf(lo[0] + (hi[0] - lo[0]) * i / (resolution - 1), lo[1] + (hi[1] - lo[1]) * j / (resolution - 1))
        }
        val p = probabilities(grid)
        // "margin" is p - 0.5, whose contours at multiples of 1 are the decision boundary alone
        val surface = mapOf("x" to grid.map { it[0] }, "y" to grid.map { it[1] }, "p" to p.toList(), "margin" to p.map { it - 0.5 })
        return letsPlot() +
            geomRaster(data = surface) { x = "x"; y = "y"; fill = "p" } +
            scaleFillGradient2(low = "#6b9bd1", mid = "#f7f7f7", high = "#e0796d", midpoint = 0.5, name = "P(class 1)", limits = 0.0 to 1.0) +
            geomContour(data = surface, binWidth = 1.0, color = "#333333", size = 0.7) { x = "x"; y = "y"; z = "margin" } +
            geomPoint(data = pointsFrame(data), size = 1.6, alpha = 0.7) { x = "x"; y = "y"; color = "class" } +
            scaleColorManual(values = classColors) +
            ggtitle(title) + labs(x = "x1", y = "x2") + ggsize(640, 520)
    }

    /** Cost (log scale) and accuracy per iteration, side by side. */
    fun training(history: List<Iteration>): Figure {
        val frame = mapOf(
            "iteration" to history.map { it.step },
            "cost" to history.map { it.cost },
            "accuracy" to history.map { it.accuracy },
        )
        val cost = letsPlot(frame) + geomLine(color = "#1f5fa8", size = 1.2) { x = "iteration"; y = "cost" } +
            geomPoint(color = "#1f5fa8") { x = "iteration"; y = "cost" } + scaleYLog10() + ggtitle("Cost (sum of squared errors)")
        val accuracy = letsPlot(frame) + geomLine(color = "#c0392b", size = 1.2) { x = "iteration"; y = "accuracy" } +
            geomPoint(color = "#c0392b") { x = "iteration"; y = "accuracy" } + ggtitle("Accuracy on the training data")
        return gggrid(listOf(cost, accuracy), ncol = 2) + ggsize(960, 400)
    }
}
