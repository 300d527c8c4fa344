package dev.theon.samples

import dev.theon.tensor.NDArray
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeExactly
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.util.Random
import kotlin.math.abs
import kotlin.math.exp

/** The Kotlin tutorial runs, and its values are the ones the Theano tutorial documents or plain loops compute. */
class TutorialSpec : FunSpec({
    val buffer = ByteArrayOutputStream()
    val tutorial = Tutorial(PrintStream(buffer))

    fun close(actual: NDArray, expected: DoubleArray, tol: Double = 1e-12) {
        val a = actual.toDoubleArray()
        a.size shouldBe expected.size
        for (i in a.indices) {
            if (tol == 0.0) a[i] shouldBeExactly expected[i]
            else a[i] shouldBe (expected[i] plusOrMinus tol * maxOf(1.0, abs(expected[i])))
        }
    }

    val logisticAt = doubleArrayOf(0.0, 1.0, -1.0, -2.0)
    fun sigmoid(v: Double) = 1 / (1 + exp(-v))

    test("algebra on scalars and matrices") {
        val (five, other, sum) = tutorial.babySteps()
        five.toDouble() shouldBeExactly 5.0
        other.toDouble() shouldBe (28.4 plusOrMinus 1e-12)
        close(sum, doubleArrayOf(11.0, 22.0, 33.0, 44.0), 0.0)
    }

    test("the logistic function, through exp and through tanh") {
        val (viaExp, viaTanh) = tutorial.logistic()
        close(viaExp, logisticAt.map(::sigmoid).toDoubleArray())
        close(viaTanh, logisticAt.map(::sigmoid).toDoubleArray())
        close(viaExp, doubleArrayOf(0.5, 0.73105858, 0.26894142, 0.11920292), 1e-8)   // the tutorial's printout
    }

    test("several outputs and default values") {
        val (diff, absDiff, squared) = tutorial.severalOutputs()
        close(diff, doubleArrayOf(1.0, 0.0, -1.0, -2.0), 0.0)
        close(absDiff, doubleArrayOf(1.0, 0.0, 1.0, 2.0), 0.0)
        close(squared, doubleArrayOf(1.0, 0.0, 1.0, 4.0), 0.0)
        tutorial.defaultValues() shouldContainExactly listOf(68.0, 70.0, 33.0)
    }

    test("shared variables: accumulator, decrementor, givens") {
        tutorial.sharedVariables() shouldContainExactly listOf(0L, 1L, 301L, 2L, 0L, 7L, 0L)
    }

    test("derivatives: x ** 2, the logistic function, a Jacobian, Hessians") {
        val d = tutorial.derivatives()
        d.square[0] shouldBeExactly 8.0
        d.square[1] shouldBe (188.4 plusOrMinus 1e-12)
        close(d.logistic, logisticAt.map { sigmoid(it) * (1 - sigmoid(it)) }.toDoubleArray())
        close(d.logistic, doubleArrayOf(0.25, 0.19661193, 0.19661193, 0.10499359), 1e-8)   // the tutorial's printout
        close(d.jacobian, doubleArrayOf(8.0, 0.0, 0.0, 8.0), 0.0)
        close(d.hessian, doubleArrayOf(2.0, 0.0, 0.0, 2.0), 0.0)
        close(d.linearJacobian, doubleArrayOf(9.0, 8.0, 7.0, 4.0, 5.0, 6.0), 0.0)
        d.linearJacobian.shape().toList() shouldBe listOf(2L, 3L)
    }

    test("printing and debug mode") {
        tutorial.printing() shouldBe "(x ** 2)"
        tutorial.debugMode() shouldContain "true_div"
    }

    test("the network's cost and accuracy per iteration are those of the same network trained by plain loops") {
        val run = tutorial.mlp(20)
        val random = Random(Tutorial.SEED)
        val data = TwoClusters.sample(1000, random)
        val oracle = MlpOracle(MlpWeights.random(random))
        for (it in run.history) {
            val cost = oracle.step(data)
            it.cost shouldBe (cost plusOrMinus 1e-9 * cost)
            it.accuracy shouldBeExactly oracle.accuracy(data)
        }
        run.history.last().cost shouldBeLessThan run.history.first().cost / 10
        // two clusters 2 sqrt(2) apart with deviation 0.5: the best possible accuracy is about 0.998
        run.finalAccuracy shouldBeGreaterThan 0.98
        run.plots shouldBe emptyList()
    }

    test("the plots: the data, the network's output over the plane, the training curves") {
        val dir = tempdir().toPath()
        val run = tutorial.mlp(20, dir)
        run.plots.map { it.fileName.toString() } shouldContainExactly listOf("clusters.png", "mlp-output.png", "mlp-training.png")
        readPng(dir.resolve("clusters.png"), 640, 520).colourCount() shouldBeGreaterThan 20
        readPng(dir.resolve("mlp-training.png"), 960, 400).colourCount() shouldBeGreaterThan 20
        val surface = readPng(dir.resolve("mlp-output.png"), 640, 520)
        // class 0 sits lower left (blue fill), class 1 upper right (red fill)
        val (r0, _, b0) = surface.rgbAt(0.25, 0.8)
        val (r1, _, b1) = surface.rgbAt(0.65, 0.2)
        (b0 - r0) shouldBeGreaterThan 40
        (r1 - b1) shouldBeGreaterThan 40
    }

    test("the whole tutorial runs end to end and writes its plots") {
        val dir = tempdir().toPath()
        val run = tutorial.run(dir)
        run.plots.size shouldBe 3
        val text = buffer.toString()
        for (section in listOf("Baby steps", "logistic function", "Shared variables", "Derivatives", "Debug mode", "2-4-1"))
            text shouldContain section
        text shouldContain "iteration 20"
        text shouldContain "wrote "
    }
})
