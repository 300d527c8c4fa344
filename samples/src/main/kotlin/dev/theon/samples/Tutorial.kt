package dev.theon.samples

import dev.theon.Theon
import dev.theon.TheonException
import dev.theon.dsl.*
import dev.theon.tensor.NDArray
import java.io.PrintStream
import java.nio.file.Path
import java.util.Locale
import java.util.Random

/**
 * The Theano tutorial in Kotlin, through the typed DSL: algebra, the logistic function, several outputs, default
 * values, shared variables and givens, derivatives, printing, debug mode, and the 2-4-1 network trained with momentum
 * on two Gaussian clusters, with plots of the data and of what the network learnt.
 *
 * `./theon demo [DIR]` runs it (plots go to DIR, by default `samples/out/`). Each step returns what it computed, so
 * that the tests can check it against the values the Theano tutorial documents.
 */
class Tutorial(private val out: PrintStream = System.out) {

    /** The whole tutorial; the network's plots go to [plotDir]. */
    fun run(plotDir: Path): MlpRun {
        out.println(Theon.config())
        babySteps()
        logistic()
        severalOutputs()
        defaultValues()
        sharedVariables()
        derivatives()
        printing()
        debugMode()
        return mlp(20, plotDir)
    }

    private fun section(title: String) = out.println("\n== $title ==")

    /** x + y on scalars, then on matrices: {f(2, 3), f(16.3, 12.1), the matrix sum}. */
    fun babySteps(): List<NDArray> {
        section("Baby steps: algebra")
        val x = dscalar("x")
        val y = dscalar("y")
        val z = x + y                                   // Scalar<F64>
        val f = fn(x, y) { z }
        val five = f(2.0, 3.0)
        val other = f(16.3, 12.1)
        out.println("z = ${pp(z)};  f(2, 3) = $five;  f(16.3, 12.1) = $other;  z.eval(x=2, y=3) = ${z.eval(x to 2.0, y to 3.0)}")
        val a = dmatrix("a")
        val b = dmatrix("b")
        val add = fn(a, b) { a + b }
        val sum = add(arrayOf(doubleArrayOf(1.0, 2.0), doubleArrayOf(3.0, 4.0)), arrayOf(doubleArrayOf(10.0, 20.0), doubleArrayOf(30.0, 40.0)))
        out.println("[[1, 2], [3, 4]] + [[10, 20], [30, 40]] =\n$sum")
        return listOf(five, other, sum)
    }

    /** The logistic function of [[0, 1], [-1, -2]], through exp and through tanh: the two agree. */
    fun logistic(): Pair<NDArray, NDArray> {
        section("The logistic function")
        val x = dmatrix("x")
        val viaExp = 1.0 / (1.0 + exp(-x))
        val viaTanh = (1.0 + tanh(x / 2.0)) / 2.0
        val both = fn(x) { viaExp to viaTanh }
        val r = both(arrayOf(doubleArrayOf(0.0, 1.0), doubleArrayOf(-1.0, -2.0)))
        out.println("1 / (1 + exp(-x)) at [[0, 1], [-1, -2]] =\n${r.first}\n(1 + tanh(x / 2)) / 2 =\n${r.second}")
        return r
    }

    /** diff, |diff| and diff squared of two matrices, from one function with three outputs. */
    fun severalOutputs(): Triple<NDArray, NDArray, NDArray> {
        section("Several outputs")
        val a = dmatrix("a")
        val b = dmatrix("b")
        val diff = a - b
        val f = fn(a, b) { Triple(diff, abs(diff), diff * diff) }
        val r = f(arrayOf(doubleArrayOf(1.0, 1.0), doubleArrayOf(1.0, 1.0)), arrayOf(doubleArrayOf(0.0, 1.0), doubleArrayOf(2.0, 3.0)))
        out.println("diff =\n${r.first}\nabs_diff =\n${r.second}\ndiff_squared =\n${r.third}")
        return r
    }

    /** (x + y) * w with defaults y = 1 and w = 2: {f(33), f(33, 2), f(33, 0, 1)}. */
    fun defaultValues(): List<Double> {
        section("Default values")
        val x = dscalar("x")
        val y = dscalar("y")
        val w = dscalar("w")
        val f = fn(x, y withDefault 1.0, w withDefault 2.0) { (x + y) * w }
        val r = listOf(f.call(33.0), f(33.0, 2.0), f(33.0, 0.0, 1.0)).map { it.toDouble() }
        out.println("f(33) = ${r[0]};  f(33, 2) = ${r[1]};  f(33, 0, 1) = ${r[2]}")
        return r
    }

    /**
     * An accumulator and a decrementor sharing one state, and a function where givens replace the state. Returns, in
     * order: what accumulator(1) returned, the state after accumulator(1), after accumulator(300), after setting -1 and
     * accumulator(3), after decrementor(2); then skip_shared(1, 3) and the state after it.
     */
    fun sharedVariables(): List<Long> {
        section("Shared variables")
        val state = shared(0L, "state")                 // Scalar<I64>
        val inc = lscalar("inc")
        val accumulator = fn(inc, updates = listOf(state to state + inc)) { state }
        val decrementor = fn(inc, updates = listOf(state to state - inc)) { state }
        val r = mutableListOf<Long>()
        r += accumulator(1).toLong()                   // returns the state before the update
        r += state.value.toLong()
        accumulator(300)
        r += state.value.toLong()
        state.setValue(-1L)
        accumulator(3)
        r += state.value.toLong()
        decrementor(2)
        r += state.value.toLong()
        out.println("accumulator(1) returned ${r[0]}; state after accumulator(1): ${r[1]}, after accumulator(300): ${r[2]}, "
                + "after state = -1 and accumulator(3): ${r[3]}, after decrementor(2): ${r[4]}")
        val foo = lscalar("foo")
        val skipShared = fn(inc, foo, givens = listOf(state to foo)) { state * 2 + inc }
        r += skipShared(1, 3).toLong()
        r += state.value.toLong()
        out.println("state * 2 + inc with foo given for state: skip_shared(1, 3) = ${r[5]} (state still ${r[6]})")
        return r
    }

    /** What [derivatives] computes. */
    class Derivatives(
        /** d(x**2)/dx at 4 and at 94.2. */
        val square: List<Double>,
        /** d(sum(logistic(x)))/dx at [[0, 1], [-1, -2]]. */
        val logistic: NDArray,
        /** The Jacobian of x**2 at [4, 4]. */
        val jacobian: NDArray,
        /** The Hessian of sum(x**2) at [4, 4]. */
        val hessian: NDArray,
        /** The Jacobian of dot(A, x) + b with respect to x at A = [[9, 8, 7], [4, 5, 6]]. */
        val linearJacobian: NDArray,
    )

    fun derivatives(): Derivatives {
        section("Derivatives")
        val x = dscalar("x")
        val gy = grad(x pow 2, x)                       // Scalar<F64>, like x
        out.println("pp(grad(x ** 2, x)) = ${pp(gy)}")
        val f = fn(x) { gy }
        val square = listOf(f(4.0).toDouble(), f(94.2).toDouble())
        out.println("d(x**2)/dx at 4 = ${square[0]}, at 94.2 = ${square[1]}")

        val m = dmatrix("m")
        val gs = grad((1.0 / (1.0 + exp(-m))).sum(), m)   // Matrix<F64>
        val logistic = fn(m) { gs }(arrayOf(doubleArrayOf(0.0, 1.0), doubleArrayOf(-1.0, -2.0)))
        out.println("d sum(logistic(x)) / dx at [[0, 1], [-1, -2]] =\n$logistic")

        val v = dvector("v")
        val squareJacobian = fn(v) { jacobian(v pow 2, v) }(doubleArrayOf(4.0, 4.0))
        out.println("jacobian of v ** 2 at [4, 4] =\n$squareJacobian")
        val sumHessian = fn(v) { hessian((v pow 2).sum(), v) }(doubleArrayOf(4.0, 4.0))
        out.println("hessian of sum(v ** 2) at [4, 4] =\n$sumHessian")

        val A = dmatrix("A")
        val b = dvector("b")
        val linearJacobian = jacobian((A dot v) + b, v).eval(
            A to arrayOf(doubleArrayOf(9.0, 8.0, 7.0), doubleArrayOf(4.0, 5.0, 6.0)), v to doubleArrayOf(1.0, 2.0, 3.0), b to doubleArrayOf(0.0, 0.0))
        out.println("jacobian of dot(A, v) + b with respect to v at A = [[9, 8, 7], [4, 5, 6]]:\n$linearJacobian")
        return Derivatives(square, logistic, squareJacobian, sumHessian, linearJacobian)
    }

    /** pp and debugprint of x ** 2 and of a compiled function; returns the pp text. */
    fun printing(): String {
        section("Printing")
        val x = dscalar("x")
        val y = x pow 2
        val text = pp(y)
        out.println("pp(x ** 2) = $text")
        out.println("debugprint(x ** 2):\n${debugprint(y)}")
        out.println("debugprint of the compiled grad(x ** 2, x):\n${debugprint(fn(x) { grad(y, x) })}")
        return text
    }

    /** 0 / 0: NaN in FAST_RUN, an error naming the node in DEBUG mode (whose message is returned). */
    fun debugMode(): String {
        section("Debug mode")
        val x = dscalar("x")
        val y = dscalar("y")
        out.println("FAST_RUN: 0 / 0 = ${fn(x, y) { x / y }(0.0, 0.0)}")
        val checked = fn(x, y, mode = "DEBUG") { x / y }
        return try {
            checked(0.0, 0.0)
            throw IllegalStateException("DEBUG mode let 0 / 0 through")
        } catch (e: TheonException.NanError) {
            out.println("DEBUG: ${e.message}")
            e.message ?: ""
        }
    }

    /** The network's run: the data, each iteration's cost and accuracy, and the plots written. */
    class MlpRun(val data: TwoClusters, val history: List<Iteration>, val plots: List<Path>) {
        val finalAccuracy: Double get() = history.last().accuracy
    }

    /**
     * The 2-4-1 network with momentum (learning rate 0.01, momentum 0.9) on 1000 points from two Gaussian clusters,
     * [iterations] full-batch steps; data and initial weights come from `Random(SEED)` in the order the Java demo draws
     * them, so both print the same numbers. With [plotDir], writes clusters.png, mlp-output.png and mlp-training.png.
     */
    fun mlp(iterations: Int = 20, plotDir: Path? = null): MlpRun {
        section("A 2-4-1 network with momentum on two Gaussian clusters")
        val random = Random(SEED)
        val data = TwoClusters.sample(1000, random)
        val net = MomentumMlp(MlpWeights.random(random))
        val history = (1..iterations).map { i ->
            val cost = net.step(data)
            Iteration(i, cost, net.accuracy(data))
                .also { out.printf(Locale.ROOT, "iteration %2d  cost %9.4f  accuracy %.3f%n", it.step, it.cost, it.accuracy) }
        }
        val plots = if (plotDir == null) emptyList() else listOf(
            Plots.savePng(MlpPlots.data(data), plotDir.resolve("clusters.png")),
            Plots.savePng(MlpPlots.output(net::probabilities, data, "Network output after $iterations iterations"), plotDir.resolve("mlp-output.png")),
            Plots.savePng(MlpPlots.training(history), plotDir.resolve("mlp-training.png")),
        )
        plots.forEach { out.println("wrote ${it.toAbsolutePath().normalize()}") }
        return MlpRun(data, history, plots)
    }

    companion object {
        /** The seed of the network's data and initial weights. */
        const val SEED = 1234L

        /** `./theon demo [DIR]` or `./theon run dev.theon.samples.Tutorial [DIR]`. */
        @JvmStatic
        fun main(args: Array<String>) {
            Tutorial().run(Plots.outputDirectory(args))
        }
    }
}
